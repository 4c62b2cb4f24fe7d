"""Plan: which group of customers to mail, when (months, weekday, hour) and which categories to feature."""
import pandas as pd
import streamlit as st

from core import charts, i18n
from core.formatting import format_percent
from core.errors import InputError
from core.planner import MIN_ORDERS
from ui import dashboard as dash
from ui import state
from ui.state import segment_name, t
from ui.widgets import chart_with_download, drop_invalid_choice

lang = state.start_page("pages/5_Plan.py")
state.require_data()

book = dash.book()
if not book.orders:
    st.info(t("plan.no_orders"))
    st.stop()
labels = [*dash.grouping_options(), dash.ALL_CUSTOMERS]
if len(labels) == 1:
    st.caption(t("plan.no_segments"))
LEADS = [0, 1, 2]
leads = {0: t("plan.lead_0"), 1: t("plan.lead_1"), 2: t("plan.lead_2")}
everyone = t("dashboard.all_customers")
left, middle, right = st.columns([2, 2, 1])
drop_invalid_choice("plan_grouping", labels)                  # grouping labels follow the interface language
grouping = left.selectbox(t("plan.plan_for"), labels, key=dash.remembered_choice(dash.PLAN_KEY, "plan_grouping",
                                                                                 labels, labels[0]),
                          format_func=lambda label: everyone if label == dash.ALL_CUSTOMERS else label,
                          help=t("plan.plan_for_help"))
lead = middle.radio(t("plan.lead"), LEADS, horizontal=True, format_func=leads.get,
                    key=dash.remembered_choice(dash.PLAN_KEY, "plan_lead", LEADS, 1), help=t("plan.lead_help"))
top = right.number_input(t("plan.top"), min_value=1, max_value=5, step=1,
                         key=dash.remembered_choice(dash.PLAN_KEY, "plan_top", [1, 2, 3, 4, 5], 3))
dash.remember(dash.PLAN_KEY, plan_grouping=grouping, plan_lead=lead, plan_top=int(top))
title = everyone if grouping == dash.ALL_CUSTOMERS else grouping

campaign = dash.plan(book, grouping, lead, int(top))
table = campaign.table
if table.empty:
    st.info(t("plan.no_values", grouping=title))
    st.stop()


def note(orders: int) -> str:
    """``core.planner``'s note for a group with few orders, in the interface language."""
    return t("plan.note_none") if not orders else t("plan.note_few", orders=orders) if orders < MIN_ORDERS else ""


def skip_flags(label: str) -> pd.Series:
    """Group name -> the Profiles page's "skip" flag (rule or the user's choice); none for "all customers"."""
    if label not in dash.grouping_options():             # "all customers", or no segments for these settings
        return pd.Series(dtype=bool)
    try:
        return state.group_advice(label).set_index("segment")["skip"]
    except InputError:                                    # a broken text: the Profiles page says which
        return pd.Series(dtype=bool)


sources = {"peak months": t("plan.from_peak"), "all months": t("plan.from_all"), "": ""}
skip = table["group"].astype(str).map(skip_flags(grouping).astype(bool)).eq(True)       # no flag: mail
table = table.assign(skip=skip.to_numpy()).sort_values("skip", kind="stable")     # groups to skip go last
table = table.assign(group=table["group"].map(segment_name),
                     peak_months=table["peak_months"].map(lambda months: i18n.translate_months(months, lang)),
                     send_months=table["send_months"].map(lambda months: i18n.translate_months(months, lang)),
                     send_weekday=table["send_weekday"].map(lambda day: i18n.translate_weekday(day, lang)),
                     categories_from=table["categories_from"].map(lambda basis: sources.get(basis, basis)),
                     note=[note(int(orders)) for orders in table["orders"]])

st.subheader(t("plan.which"))
plan_lines = []
for row in table.itertuples(index=False):
    if not row.orders:
        continue
    hour = "" if pd.isna(row.peak_hour) else t("plan.before_hour", hour=f"{row.peak_hour:02d}")
    featured = t("plan.feature", categories=row.categories) if row.categories else ""
    plan_lines.append(t("plan.line", group=row.group, audience=i18n.tn("count.customers", row.audience, lang),
                        share=format_percent(row.share_revenue, 0, lang), months=row.send_months,
                        weekday=row.send_weekday, hour=hour, featured=featured)
                      + (f" _({row.note})_" if row.note else "") + (t("plan.skipped") if row.skip else ""))
st.markdown("\n".join(plan_lines))

st.caption(t("plan.recency_caption"))
money = state.currency()
st.dataframe(table.round({"revenue": 0, "orders_per_customer": 2}), hide_index=True, width="stretch", key="plan_table",
             column_order=["group", "skip", "audience", "send_months", "send_weekday", "peak_hour", "categories",
                           "share_customers", "share_revenue", "orders", "revenue", "orders_per_customer",
                           "peak_months", "categories_from", "note"], column_config={
    "group": st.column_config.TextColumn(title, pinned=True),
    "skip": st.column_config.CheckboxColumn(t("profiles.skip"), help=t("plan.skip_help")),
    "audience": st.column_config.NumberColumn(t("plan.audience"), format="localized", help=t("plan.audience_help")),
    "share_customers": st.column_config.NumberColumn(t("plan.share_customers"), format="percent"),
    "orders": st.column_config.NumberColumn(t("common.orders"), format="localized"),
    "revenue": st.column_config.NumberColumn(t("common.revenue") + (f", {money}" if money else ""),
                                             format="localized"),
    "share_revenue": st.column_config.NumberColumn(t("plan.share_revenue"), format="percent"),
    "orders_per_customer": st.column_config.NumberColumn(t("explore.orders_per_customer"), format="localized"),
    "peak_months": st.column_config.TextColumn(t("profiles.busiest_months")),
    "send_months": st.column_config.TextColumn(t("profiles.send_in")),
    "send_weekday": st.column_config.TextColumn(t("plan.send_on")),
    "peak_hour": st.column_config.NumberColumn(t("plan.busiest_hour"), format="%d:00"),
    "categories": st.column_config.TextColumn(t("plan.feature_categories"), width="large"),
    "categories_from": st.column_config.TextColumn(t("plan.categories_from")),
    "note": st.column_config.TextColumn(t("plan.note"))}, placeholder="—")
st.download_button(t("plan.download", rows=i18n.tn("count.rows", len(table), lang)),
                   table.to_csv(index=False).encode("utf-8-sig"), file_name="campaign_plan.csv", mime="text/csv",
                   key="download_campaign_plan")

st.subheader(t("plan.calendar"))
st.caption(t("plan.calendar_caption"))
calendar = campaign.calendar.assign(group=campaign.calendar["group"].map(segment_name),
                                    name=[i18n.month_name(m, lang) for m in campaign.calendar["month"]])
chart_with_download(charts.plan_calendar_chart(calendar, title), calendar, "campaign_calendar")
