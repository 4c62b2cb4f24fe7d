"""Explore: when customers order (month, weekday, hour), what each category brings, and how cohorts come back."""
import streamlit as st

from core import charts
from core.charts import COHORT_MEASURES
from core.dashboard import sold_categories
from core.formatting import format_money, format_number
from core.seasonality import METRICS
from ui import dashboard as dash
from ui import state
from ui.widgets import chart_with_download

st.set_page_config(page_title="Explore", page_icon="📈", layout="wide")
st.title("Explore your orders")
st.caption("When customers order, what each category brings and how often customers come back. The filters in "
           "the sidebar apply to every chart; the findings are computed from your data.")
state.require_data()

book = dash.book()
if not book.orders:
    st.info("The data has no purchase orders to explore (only returns).")
    st.stop()
filters, grouping = dash.filter_widgets(book, sold_categories(book))
result = dash.explore(book, filters, grouping)
st.caption(f"Showing {dash.describe(filters, book.first_date.date(), book.last_date.date())}")
if not result.totals["orders"]:
    st.info("No orders match these filters. Widen the dates or clear the category or customer filters in the "
            "sidebar.")
    st.stop()

totals = result.totals
cells = st.columns(4)
cells[0].metric("Orders", format_number(totals["orders"]))
cells[1].metric("Revenue", format_money(totals["revenue"]))
cells[2].metric("Customers", format_number(totals["customers"]))
cells[3].metric("Average order", format_money(totals["aov"], decimals=2))

time_tab, category_tab, cohort_tab = st.tabs(["Time patterns", "Categories", "Cohorts and repeat orders"])

with time_tab:
    st.markdown("\n".join(f"- {line}" for line in result.findings))
    metric = st.radio("Measure", list(METRICS), format_func=METRICS.get, horizontal=True,
                      key=dash.remembered_choice(dash.FILTERS_KEY, "explore_metric", list(METRICS), "orders"))
    dash.remember(dash.FILTERS_KEY, explore_metric=metric)
    chart_with_download(charts.trend_chart(result.trend, metric), result.trend, "explore_by_month")
    left, right = st.columns(2)
    with left:
        chart_with_download(charts.weekday_chart(result.weekdays, metric), result.weekdays, "explore_by_weekday")
    with right:
        if result.hours is None:
            st.info("The export has dates without a time of day, so there is no pattern by hour.")
        else:
            chart_with_download(charts.hour_chart(result.hours, metric), result.hours, "explore_by_hour")

with category_tab:
    contrast = result.categories
    st.markdown("\n".join(f"- {line}" for line in result.category_findings))
    st.caption("Each bubble is a category: how many orders include it (across) and how much money it brings per "
               "such order (up); bubble size is its revenue. Hover for the average price and shares.")
    chart_with_download(charts.category_contrast_chart(contrast), contrast, "explore_categories")
    chart_with_download(charts.category_share_chart(contrast), contrast, "explore_category_shares")
    chart_with_download(charts.category_season_chart(result.category_months, list(contrast["category"])),
                        result.category_months, "explore_category_months")

with cohort_tab:
    repeat = result.repeat
    cells = st.columns(4)
    cells[0].metric("Customers", format_number(repeat["customers"]))
    cells[1].metric("Ordered once", f"{repeat['single_order_share']:.0%}",
                    help=f"{format_number(repeat['single_order_customers'])} customers with a single order in the "
                         "filtered data.")
    cells[2].metric("Orders per customer", format_number(repeat["orders_per_customer"], 2))
    median = repeat["median_days_between_orders"]
    cells[3].metric("Median days to the next order", "–" if median != median else format_number(median, 0))
    if result.cohorts.empty:
        st.info("No customer placed a first order in the selected dates.")
    else:
        measures = list(COHORT_MEASURES)
        measure = st.radio("Cohort measure", measures, format_func=lambda m: COHORT_MEASURES[m][0],
                           horizontal=True, key=dash.remembered_choice(dash.FILTERS_KEY, "explore_cohort_measure",
                                                                       measures, "retention"))
        dash.remember(dash.FILTERS_KEY, explore_cohort_measure=measure)
        st.caption("A cohort is the customers whose first order fell in that month; orders before the selected "
                   "dates still count for who is new. Retention: the share of the cohort ordering again in a "
                   "later month.")
        chart_with_download(charts.cohort_chart(result.cohorts, measure), result.cohorts, "explore_cohorts")
    if result.gaps["gaps"].sum():
        chart_with_download(charts.gap_chart(result.gaps), result.gaps, "explore_days_between_orders")
    else:
        st.info("No customer has two orders in the filtered data, so there are no gaps between orders to show.")
