"""Explore: when customers order (month, weekday, hour), what each category brings, and how cohorts come back."""
import streamlit as st

from core import charts, i18n
from core.charts import COHORT_MEASURES
from core.cohorts import GAP_BINS
from core.dashboard import sold_categories
from core.formatting import format_money, format_number, format_percent
from core.seasonality import METRICS
from ui import dashboard as dash
from ui import state
from ui.state import t
from ui.widgets import chart_with_download

lang = state.start_page("pages/4_Explore.py")
state.require_data()


def other_named(frame, column: str = "category"):
    """``frame`` with the catch-all category "Other" named in the interface language."""
    return frame.assign(**{column: frame[column].map(lambda name: i18n.segment_name(name, lang))})


book = dash.book()
if not book.orders:
    st.info(t("explore.no_orders"))
    st.stop()
filters, grouping = dash.filter_widgets(book, sold_categories(book))
result = dash.explore(book, filters, grouping)
st.caption(t("explore.showing", filters=dash.describe(filters, book.first_date.date(), book.last_date.date())))
if not result.totals["orders"]:
    st.info(t("explore.no_match"))
    st.stop()

money = state.currency()
totals = result.totals
cells = st.columns(4)
cells[0].metric(t("common.orders"), format_number(totals["orders"], lang=lang))
cells[1].metric(t("common.revenue"), format_money(totals["revenue"], money, lang=lang))
cells[2].metric(t("common.customers"), format_number(totals["customers"], lang=lang))
cells[3].metric(t("common.average_order"), format_money(totals["aov"], money, decimals=2, lang=lang))

time_tab, category_tab, cohort_tab = st.tabs([t("explore.tab_time"), t("explore.tab_categories"),
                                              t("explore.tab_cohorts")])

with time_tab:
    st.markdown("\n".join(f"- {line}" for line in result.findings))
    measures = {key: t(f"explore.metric.{key}") for key in METRICS}
    metric = st.radio(t("explore.measure"), list(METRICS), format_func=measures.get, horizontal=True,
                      key=dash.remembered_choice(dash.FILTERS_KEY, "explore_metric", list(METRICS), "orders"))
    dash.remember(dash.FILTERS_KEY, explore_metric=metric)
    chart_with_download(charts.trend_chart(result.trend, metric, money), result.trend, "explore_by_month")
    left, right = st.columns(2)
    with left:
        weekdays = result.weekdays.assign(day=[i18n.weekday_name(d, lang) for d in result.weekdays["weekday"]])
        chart_with_download(charts.weekday_chart(weekdays, metric, money), weekdays, "explore_by_weekday")
    with right:
        if result.hours is None:
            st.info(t("explore.no_hours"))
        else:
            chart_with_download(charts.hour_chart(result.hours, metric, money), result.hours, "explore_by_hour")

with category_tab:
    contrast = other_named(result.categories)
    st.markdown("\n".join(f"- {line}" for line in result.category_findings))
    st.caption(t("explore.bubbles_caption"))
    chart_with_download(charts.category_contrast_chart(contrast, money), contrast, "explore_categories")
    chart_with_download(charts.category_share_chart(contrast), contrast, "explore_category_shares")
    category_months = other_named(result.category_months)
    chart_with_download(charts.category_season_chart(category_months, list(contrast["category"])),
                        category_months, "explore_category_months")

with cohort_tab:
    repeat = result.repeat
    cells = st.columns(4)
    cells[0].metric(t("common.customers"), format_number(repeat["customers"], lang=lang))
    cells[1].metric(t("explore.ordered_once"), format_percent(repeat["single_order_share"], 0, lang),
                    help=t("explore.ordered_once_help",
                           n=format_number(repeat["single_order_customers"], lang=lang)))
    cells[2].metric(t("explore.orders_per_customer"), format_number(repeat["orders_per_customer"], 2, lang))
    median = repeat["median_days_between_orders"]
    cells[3].metric(t("explore.median_days"), "–" if median != median else format_number(median, 0, lang))
    if result.cohorts.empty:
        st.info(t("explore.no_cohorts"))
    else:
        measures = {key: t(f"explore.cohort.{key}") for key in COHORT_MEASURES}
        measure = st.radio(t("explore.cohort_measure"), list(measures), format_func=measures.get,
                           horizontal=True, key=dash.remembered_choice(dash.FILTERS_KEY, "explore_cohort_measure",
                                                                       list(measures), "retention"))
        dash.remember(dash.FILTERS_KEY, explore_cohort_measure=measure)
        st.caption(t("explore.cohort_caption"))
        chart_with_download(charts.cohort_chart(result.cohorts, measure, money), result.cohorts, "explore_cohorts")
    if result.gaps["gaps"].sum():
        labels = {label: (t("explore.gap_under_day") if high == 0 else t("explore.gap_over_year") if high is None
                          else t("explore.gap_days", low=low, high=high)) for low, high, label in GAP_BINS}
        gaps = result.gaps.assign(bin=result.gaps["bin"].map(labels))
        chart_with_download(charts.gap_chart(gaps), gaps, "explore_days_between_orders")
    else:
        st.info(t("explore.no_gaps"))
