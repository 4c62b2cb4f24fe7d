"""Forecast: probability alive, expected orders, expected order value and CLV per customer (BG/NBD + Gamma-Gamma
from ``core.clv``), summed by segment, the top customers, a calibration/holdout check and the fitted parameters.

Session state: widgets ``forecast_horizon``, ``forecast_unit``, ``forecast_group`` (see ``ui.widgets.remembered``),
``forecast_discount``, ``forecast_margin`` and ``forecast_split``, each mirrored in ``<key>_kept``. ``clv_table``:
the current forecast (index customer_id; p_alive, p_alive_note, expected_orders, expected_aov, clv) with
``clv_basis`` (data digest + ``core.clv.settings_key``) and ``clv_label`` (horizon, discount, margin in words),
for the Export page's Customers sheet. All three are replaced on every visit of this page.
"""
import pandas as pd
import streamlit as st

from core import charts, clv
from core.errors import InputError
from core.formatting import format_money, format_number
from ui import state
from ui.widgets import chart_with_download, remembered, seed_widget

TABLE_KEY, BASIS_KEY, LABEL_KEY = "clv_table", "clv_basis", "clv_label"
TOP_ROWS = 100

st.set_page_config(page_title="Forecast", page_icon="🔮", layout="wide")
state.require_data()
st.title("Forecast: who buys again and what they are worth")
st.caption("Two standard models of repeat buying, fitted to your orders: BG/NBD for how often customers buy and "
           "when they stop, Gamma-Gamma for how much an order is worth. Together they give each customer's "
           "probability of still being active, expected orders and customer lifetime value (CLV) for a horizon.")

try:
    segmentation, orders, groupings = state.segmentation(), state.prepared().orders, state.customer_groupings()
except InputError as exc:
    st.error(str(exc))
    st.stop()
current, digest = state.settings(), state.source().digest
data_key = clv.settings_key(current)
end = clv.observation_end_for(segmentation.analysis_date)


def _kept(key: str, default) -> str:
    """The widget key, seeded from its plain mirror (or ``default``); :func:`_keep` updates the mirror."""
    return seed_widget(key, st.session_state.get(f"{key}_kept", default))


def _keep(key: str, value):
    st.session_state[f"{key}_kept"] = value
    return value


@st.cache_data(max_entries=4, show_spinner="Fitting the purchase and spend models…")
def _fit(digest: str, data_key: str, time_unit: str, end: pd.Timestamp, _orders: pd.DataFrame) -> clv.FittedCLV:
    return clv.fit_clv_models(_orders, end, time_unit)


@st.cache_data(max_entries=8, show_spinner="Forecasting every customer…")
def _forecast(digest: str, data_key: str, time_unit: str, horizon: int, discount: float, margin: float,
              _fitted: clv.FittedCLV) -> pd.DataFrame:
    return clv.customer_clv(_fitted.summary, _fitted.bgnbd, _fitted.gg, horizon, discount, time_unit, margin)


@st.cache_data(max_entries=8, show_spinner="Checking the model on a holdout period…")
def _holdout(digest: str, data_key: str, time_unit: str, split: pd.Timestamp, end: pd.Timestamp,
             _orders: pd.DataFrame):
    return clv.holdout_check(_orders, split, end, time_unit)


horizon_cell, unit_cell, discount_cell, margin_cell = st.columns(4)
horizon = remembered(horizon_cell.selectbox, "Horizon", list(clv.HORIZON_DAYS), "forecast_horizon", 365,
                     format_func=lambda days: f"Next {days} days")
time_unit = remembered(unit_cell.radio, "Time unit of the models", list(clv.TIME_UNIT_NAMES), "forecast_unit",
                       "W", format_func=lambda unit: clv.TIME_UNIT_NAMES[unit].capitalize(), horizontal=True,
                       help="Weeks fit faster and usually as well; the forecasts barely differ.")
discount = _keep("forecast_discount", discount_cell.number_input(
    "Discount rate, % a month", min_value=0.0, max_value=10.0, step=0.5, format="%.1f",
    key=_kept("forecast_discount", 0.0), help="Money later is worth less: 1 % a month is about 12.7 % a year. "
    "0 sums the revenue as it comes."))
margin = _keep("forecast_margin", margin_cell.number_input(
    "Margin, %", min_value=1, max_value=100, step=5, key=_kept("forecast_margin", 100),
    help="Share of revenue you keep; 100 gives revenue CLV, your gross margin gives profit CLV."))

try:
    fitted = _fit(digest, data_key, time_unit, end, orders)
    forecast = _forecast(digest, data_key, time_unit, horizon, discount / 100, margin / 100, fitted)
except InputError as exc:
    st.error(f"No forecast for this data: {exc}.")
    st.stop()
for warning in fitted.warnings:
    st.warning(warning)
st.session_state[TABLE_KEY] = clv.export_columns(forecast)
st.session_state[BASIS_KEY] = digest + data_key
st.session_state[LABEL_KEY] = (f"next {horizon} days, {format_number(discount, 1)} % monthly discount, "
                               f"{margin} % margin")

totals = clv.forecast_totals(forecast, fitted.summary)
st.caption(f"Orders up to **{end:%Y-%m-%d}** (the day before the analysis date, as for RFM); purchases on the same "
           "day count as one. CLV: " + st.session_state[LABEL_KEY] + ".")
cells = st.columns(5)
cells[0].metric("Customers", format_number(totals["customers"]))
cells[1].metric("Repeat buyers", format_number(totals["repeat_buyers"]),
                help=f"{totals['repeat_buyers'] / totals['customers']:.1%} of customers bought on two or more days.")
cells[2].metric("Repeat buyers' P(alive)", f"{totals['p_alive_repeat']:.0%}",
                help=f"Mean over repeat buyers; {totals['likely_active_repeat']:.0%} of them have P(alive) ≥ 50 %. "
                     "One-time buyers are left out: " + clv.P_ALIVE_NOTE_NO_REPEAT)
cells[3].metric(f"Expected orders, {horizon} days", format_number(totals["expected_orders"]))
cells[4].metric(f"CLV, {horizon} days", format_money(totals["clv"]))
if totals["clv_missing"]:
    st.caption(f"{format_number(totals['clv_missing'])} customers have no CLV (no expected order value, see the "
               "warning above); the CLV sums leave them out.")

st.subheader(f"CLV by group, next {horizon} days")
group_label = remembered(st.columns([1, 2])[0].selectbox, "Group customers by", list(groupings), "forecast_group",
                         next(iter(groupings)))
by_group = clv.clv_by_group(forecast, groupings[group_label]).rename_axis("group").reset_index()
number = st.column_config.NumberColumn
GROUP_COLUMNS = {"group": group_label, "customers": number("Customers", format="localized"),
                 "expected_orders": number("Expected orders", format="%.1f"),
                 "clv": number("CLV, sum", format="localized"), "clv_mean": number("CLV per customer", format="%.2f"),
                 "p_alive_mean": number("Mean P(alive)", format="%.1f%%"),
                 "no_clv": number("Without CLV", format="localized")}
chart_with_download(charts.clv_segment_chart(by_group, group_label, horizon), by_group, "clv_by_group")
st.dataframe(by_group.round({"clv": 0}).assign(p_alive_mean=100 * by_group["p_alive_mean"]), hide_index=True,
             width="stretch", column_config=GROUP_COLUMNS,
             column_order=[c for c in GROUP_COLUMNS if c != "no_clv" or totals["clv_missing"]])
st.caption(f"Mean P(alive) counts every one-time buyer as 1. {clv.P_ALIVE_NOTE_NO_REPEAT}"
           + (" Groups whose customers all lack an expected order value have no CLV." if totals["clv_missing"] else ""))

st.subheader(f"Top {TOP_ROWS} customers by CLV")
ranked = clv.customer_forecast_table(forecast, fitted.summary)
CUSTOMER_COLUMNS = {"customer_id": "Customer", "clv": number(f"CLV, {horizon} days", format="%.2f"),
                    "p_alive": number("P(alive)", format="%.1f%%"), "p_alive_basis": "P(alive) basis",
                    "expected_orders": number("Expected orders", format="%.2f"),
                    "expected_aov": number("Expected order value", format="%.2f"),
                    "purchases": number("Purchase days", format="localized"),
                    "monetary": number("Average repeat purchase", format="%.2f")}
st.dataframe(ranked.head(TOP_ROWS).assign(p_alive=lambda top: 100 * top["p_alive"]), hide_index=True,
             width="stretch", column_config=CUSTOMER_COLUMNS, column_order=list(CUSTOMER_COLUMNS))
if (ranked["repeat_purchases"] == 0).any():
    st.caption(f"**Why P(alive) is 1 for one-time buyers.** {clv.P_ALIVE_NOTE_NO_REPEAT}")
st.download_button(f"Download the forecast for all customers ({format_number(len(ranked))} rows, CSV)",   # on click
                   lambda: ranked.assign(p_alive_note=forecast["p_alive_note"].reindex(ranked["customer_id"])
                                         .to_numpy()).to_csv(index=False).encode("utf-8-sig"),
                   file_name="customer_clv.csv", mime="text/csv", key="download_customer_clv", on_click="ignore")

st.subheader("How well does the model predict? Holdout check")
first_day = orders.loc[orders["date"] < segmentation.analysis_date, "date"].min().normalize()
if end - first_day < pd.Timedelta(days=clv.MIN_HOLDOUT_DAYS):
    st.info(f"The history is shorter than {clv.MIN_HOLDOUT_DAYS} days, too short to hold a period back.")
else:
    low, high = (first_day + pd.Timedelta(days=1)).date(), (end - pd.Timedelta(days=1)).date()
    default = clv.default_calibration_end(first_day, end).date()
    if not low <= st.session_state.get("forecast_split_kept", default) <= high:
        st.session_state["forecast_split_kept"] = default
        st.session_state.pop("forecast_split", None)
    split = _keep("forecast_split", st.columns([1, 3])[0].date_input(
        "Fit on purchases up to", min_value=low, max_value=high, key=_kept("forecast_split", default),
        help=f"The default keeps the last {clv.DEFAULT_HOLDOUT_SHARE:.0%} of the history for the check."))
    st.caption("The model is fitted again on the purchases up to this day only, then predicts each customer's "
               f"repeat purchases up to {end:%Y-%m-%d}; the bars compare them with what happened.")
    try:
        per_frequency, holdout = _holdout(digest, data_key, time_unit, pd.Timestamp(split), end, orders)
    except InputError as exc:
        st.warning(f"The holdout check cannot run with this split: {exc}.")
    else:
        for warning in holdout["warnings"]:
            st.warning(f"Holdout fit: {warning}")
        st.markdown(clv.holdout_sentence(holdout, split, end))
        chart_with_download(charts.holdout_chart(per_frequency, f"the {format_number(holdout['holdout_length'], 1)} "
                                                 f"{clv.TIME_UNIT_NAMES[time_unit]} after {split:%Y-%m-%d}"),
                            per_frequency, "clv_holdout_check")
        st.caption("Bars per group of customers with the same number of repeat purchases before the split; "
                   "7+ groups the most loyal. Close pairs mean the model ranks customers well.")

with st.expander("Model parameters"):
    parameters = clv.parameters_table(fitted)
    spenders = int(((fitted.summary["x"] > 0) & (fitted.summary["monetary"] > 0)).sum())
    st.dataframe(parameters, hide_index=True, width="stretch",
                 column_config={"model": st.column_config.TextColumn("Model", width="medium"),
                                "parameter": "Parameter", "value": number("Value", format="%.4f"),
                                "meaning": st.column_config.TextColumn("Meaning", width="large")})
    st.caption(f"Fitted in {clv.TIME_UNIT_NAMES[time_unit]} on {format_number(len(fitted.summary))} customers "
               f"(purchase model) and {format_number(spenders)} repeat buyers with positive spend (spend model). "
               f"Converged: purchase model {'yes' if fitted.bgnbd.converged_ else 'no'}, spend model "
               f"{'yes' if fitted.gg.converged_ else 'no'}.")
