"""Plan: which group of customers to mail, when (months, weekday, hour) and which categories to feature."""
import pandas as pd
import streamlit as st

from core import charts
from core.formatting import format_number
from ui import dashboard as dash
from ui import state
from ui.widgets import chart_with_download

st.set_page_config(page_title="Campaign plan", page_icon="📅", layout="wide")
st.title("Campaign plan")
st.caption("For each group of customers: when they order most, so when to send, on which weekday, and which "
           "categories to feature, with the audience size. Based on all orders in the data.")
state.require_data()

book = dash.book()
if not book.orders:
    st.info("The data has no purchase orders to plan from (only returns).")
    st.stop()
labels = [*dash.grouping_options(), dash.ALL_CUSTOMERS]
if len(labels) == 1:
    st.caption("Customer segments are not available (check the Segments page), so the plan treats all customers "
               "as one group.")
LEADS = [0, 1, 2]
left, middle, right = st.columns([2, 2, 1])
grouping = left.selectbox("Plan for", labels, key=dash.remembered_choice(dash.PLAN_KEY, "plan_grouping", labels,
                                                                          labels[0]),
                          help="Segments from the Segments page, or other ways of grouping customers.")
lead = middle.radio("Send ahead of the peak by", LEADS, horizontal=True,
                    format_func=lambda n: {0: "0 (in the peak)", 1: "1 month", 2: "2 months"}[n],
                    key=dash.remembered_choice(dash.PLAN_KEY, "plan_lead", LEADS, 1),
                    help="Mail before the busiest two months so the offer arrives when customers are about to buy.")
top = right.number_input("Categories to feature", min_value=1, max_value=5, step=1,
                         key=dash.remembered_choice(dash.PLAN_KEY, "plan_top", [1, 2, 3, 4, 5], 3))
dash.remember(dash.PLAN_KEY, plan_grouping=grouping, plan_lead=lead, plan_top=int(top))

campaign = dash.plan(book, grouping, lead, int(top))
table = campaign.table
if table.empty:
    st.info(f"No customer has a value for “{grouping}” (e.g. no product matched a category rule). Pick another "
            "grouping.")
    st.stop()

st.subheader("Which group, when, which categories")
plan_lines = []
for row in table.itertuples(index=False):
    if not row.orders:
        continue
    hour = "" if pd.isna(row.peak_hour) else f", before {row.peak_hour:02d}:00"
    featured = f"; feature **{row.categories}**" if row.categories else ""
    plan_lines.append(f"- **{row.group}** ({format_number(row.audience)} customers, {row.share_revenue:.0%} of "
                      f"revenue): send in **{row.send_months}**, on **{row.send_weekday}s**{hour}{featured}."
                      + (f" _({row.note})_" if row.note else ""))
st.markdown("\n".join(plan_lines))

st.caption("Segments defined by recency (such as New or Lost) bought mostly in recent or in old months, so "
           "their busiest months partly reflect when they bought, not only the season.")
st.dataframe(table.assign(revenue=table["revenue"].round()), hide_index=True, width="stretch", key="plan_table",
             column_order=["group", "audience", "send_months", "send_weekday", "peak_hour", "categories",
                           "share_customers", "share_revenue", "orders", "revenue", "orders_per_customer",
                           "peak_months", "categories_from", "note"], column_config={
    "group": st.column_config.TextColumn(grouping, pinned=True),
    "audience": st.column_config.NumberColumn("Audience", format="localized", help="Customers in the group"),
    "share_customers": st.column_config.NumberColumn("Share of customers", format="percent"),
    "orders": st.column_config.NumberColumn("Orders", format="localized"),
    "revenue": st.column_config.NumberColumn("Revenue", format="localized"),
    "share_revenue": st.column_config.NumberColumn("Share of revenue", format="percent"),
    "orders_per_customer": st.column_config.NumberColumn("Orders per customer", format="%.2f"),
    "peak_months": st.column_config.TextColumn("Busiest months"),
    "send_months": st.column_config.TextColumn("Send in"),
    "send_weekday": st.column_config.TextColumn("Send on"),
    "peak_hour": st.column_config.NumberColumn("Busiest hour", format="%d:00"),
    "categories": st.column_config.TextColumn("Feature categories", width="large"),
    "categories_from": st.column_config.TextColumn("Categories from"),
    "note": st.column_config.TextColumn("Note")})
st.download_button(f"Download the plan ({len(table)} rows, CSV)", table.to_csv(index=False).encode("utf-8-sig"),
                   file_name="campaign_plan.csv", mime="text/csv", key="download_campaign_plan")

st.subheader("Calendar")
st.caption("Each row is a group; colour shows how busy each calendar month is for it compared with its average "
           "month (orders per month, averaged over the years in the data). ✉ marks the months to send in.")
chart_with_download(charts.plan_calendar_chart(campaign.calendar, grouping), campaign.calendar, "campaign_calendar")
