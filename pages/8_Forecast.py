"""Forecast: probability alive, expected orders, expected order value and CLV per customer (BG/NBD + Gamma-Gamma
from ``core.clv``), summed by segment, the top customers, a calibration/holdout check and the fitted parameters.

Session state: widgets ``forecast_horizon``, ``forecast_unit``, ``forecast_discount`` and ``forecast_margin``,
seeded from the settings' ``forecast`` (``core.settings.ForecastChoices``), which they write back, so the choices
survive page switches and go into the settings file (the first visit adds them: the forecast is then part of the
analysis and its exports); ``forecast_group`` (see ``ui.widgets.remembered``) and ``forecast_split``, mirrored in
``<key>_kept``. ``clv_table``: the current forecast (index customer_id; p_alive, p_alive_note, expected_orders,
expected_aov, clv) with ``clv_basis`` (data digest + ``core.clv.export_key``) and ``clv_label`` (horizon, discount,
margin in words), for the Export page's Customers sheet. All three are replaced on every visit of this page.
"""
import pandas as pd
import streamlit as st

from core import charts, clv
from core.errors import InputError
from core.formatting import date_input_format, format_date, format_money, format_number, format_percent
from core.settings import MAX_DISCOUNT_PERCENT, MIN_MARGIN_PERCENT, ForecastChoices
from ui import state
from ui.state import t
from ui.widgets import chart_with_download, mirror, mirrored_key, remembered, seed_widget

TABLE_KEY, BASIS_KEY, LABEL_KEY = "clv_table", "clv_basis", "clv_label"
TOP_ROWS = 100

lang = state.start_page("pages/8_Forecast.py")
money = state.currency()
state.require_data()

try:
    segmentation, orders, groupings = state.segmentation(), state.prepared().orders, state.customer_groupings()
except InputError as exc:
    st.error(state.text(exc))
    st.stop()
current, digest = state.settings(), state.source().digest
data_key = clv.settings_key(current)
end = clv.observation_end_for(segmentation.analysis_date)


def number(value, decimals: int = 0) -> str:
    return format_number(value, decimals, lang)


@st.cache_resource(max_entries=4, show_spinner=False)
def _fit(digest: str, data_key: str, time_unit: str, end: pd.Timestamp, _orders: pd.DataFrame) -> clv.FittedCLV:
    return clv.fit_clv_models(_orders, end, time_unit)


@st.cache_resource(max_entries=8, show_spinner=False)
def _forecast(digest: str, data_key: str, time_unit: str, horizon: int, discount: float, margin: float,
              _fitted: clv.FittedCLV) -> pd.DataFrame:
    return clv.customer_clv(_fitted.summary, _fitted.bgnbd, _fitted.gg, horizon, discount, time_unit, margin)


@st.cache_resource(max_entries=8, show_spinner=False)
def _holdout(digest: str, data_key: str, time_unit: str, split: pd.Timestamp, end: pd.Timestamp,
             _orders: pd.DataFrame):
    return clv.holdout_check(_orders, split, end, time_unit)


saved = current.forecast or ForecastChoices()
horizon_cell, unit_cell, discount_cell, margin_cell = st.columns(4)
horizon = horizon_cell.selectbox(t("forecast.horizon"), list(clv.HORIZON_DAYS),
                                 key=seed_widget("forecast_horizon", saved.horizon_days),
                                 format_func=lambda days: t("forecast.horizon_days", days=days))
time_unit = unit_cell.radio(t("forecast.time_unit"), list(clv.TIME_UNITS),
                            key=seed_widget("forecast_unit", saved.time_unit),
                            format_func=lambda unit: clv.time_unit_name(unit, lang).capitalize(), horizontal=True,
                            help=t("forecast.time_unit_help"))
discount = discount_cell.number_input(t("forecast.discount"), min_value=0.0, max_value=MAX_DISCOUNT_PERCENT, step=0.5,
                                      format="%.1f", help=t("forecast.discount_help"),
                                      key=seed_widget("forecast_discount", float(saved.monthly_discount_percent)))
margin = margin_cell.number_input(t("forecast.margin"), min_value=MIN_MARGIN_PERCENT, max_value=100, step=5,
                                  key=seed_widget("forecast_margin", saved.margin_percent),
                                  help=t("forecast.margin_help"))
picked = ForecastChoices(horizon_days=horizon, time_unit=time_unit, monthly_discount_percent=discount,
                         margin_percent=margin)
if picked != current.forecast:
    current = state.update_settings(forecast=picked)

try:
    with st.spinner(t("spinner.forecast")):
        fitted = _fit(digest, data_key, time_unit, end, orders)
        forecast = _forecast(digest, data_key, time_unit, horizon, discount / 100, margin / 100, fitted)
except InputError as exc:                           # the data cannot carry the model: an empty state, not a fault
    st.info(t("forecast.no_forecast", error=state.text(exc)))
    st.stop()
for warning in fitted.warnings:
    st.warning(state.text(warning))
label = t("forecast.label", days=horizon, discount=number(discount, 1), margin=margin)
st.session_state[TABLE_KEY] = clv.export_columns(forecast, lang)
st.session_state[BASIS_KEY] = digest + clv.export_key(current)
st.session_state[LABEL_KEY] = label
note = state.text(clv.P_ALIVE_NOTE_NO_REPEAT)

totals = clv.forecast_totals(forecast, fitted.summary)
st.caption(t("forecast.basis", end=format_date(end, lang), label=label))
cells = st.columns(5)
cells[0].metric(t("common.customers"), number(totals["customers"]))
cells[1].metric(t("forecast.repeat_buyers"), number(totals["repeat_buyers"]),
                help=t("forecast.repeat_buyers_help",
                       share=format_percent(totals["repeat_buyers"] / totals["customers"], 1, lang)))
cells[2].metric(t("forecast.p_alive_repeat"), format_percent(totals["p_alive_repeat"], 0, lang),
                help=t("forecast.p_alive_repeat_help", likely=format_percent(totals["likely_active_repeat"], 0, lang),
                       note=note))
cells[3].metric(t("forecast.expected_orders_days", days=horizon), number(totals["expected_orders"]))
cells[4].metric(t("forecast.clv_days", days=horizon), format_money(totals["clv"], money, lang=lang))
if totals["clv_missing"]:
    st.caption(t("forecast.clv_missing", n=number(totals["clv_missing"])))

st.subheader(t("forecast.by_group", days=horizon))
group_label = remembered(st.columns([1, 2])[0].selectbox, t("forecast.group_by"), list(groupings), "forecast_group",
                         next(iter(groupings)))
by_group = clv.clv_by_group(forecast, groupings[group_label]).rename_axis("group").reset_index()
by_group["group"] = by_group["group"].map(state.segment_name)
column = st.column_config.NumberColumn
GROUP_COLUMNS = {"group": group_label, "customers": column(t("forecast.col.customers"), format="localized"),
                 "expected_orders": column(t("forecast.col.expected_orders"), format="localized"),
                 "clv": column(t("forecast.col.clv_sum"), format="localized"),
                 "clv_mean": column(t("forecast.col.clv_mean"), format="localized"),
                 "p_alive_mean": column(t("forecast.col.p_alive_mean"), format="percent"),
                 "no_clv": column(t("forecast.col.no_clv"), format="localized")}
chart_with_download(charts.clv_segment_chart(by_group, group_label, horizon, money), by_group, "clv_by_group")
# "localized" numbers follow the browser's locale (1 234,5 in a Russian browser); rounding sets the decimals
st.dataframe(by_group.round({"clv": 0, "clv_mean": 2, "expected_orders": 1, "p_alive_mean": 3}), hide_index=True,
             width="stretch", column_config=GROUP_COLUMNS,
             column_order=[c for c in GROUP_COLUMNS if c != "no_clv" or totals["clv_missing"]], placeholder="—")
st.caption(t("forecast.group_caption", note=note)
           + (t("forecast.group_caption_missing") if totals["clv_missing"] else ""))

st.subheader(t("forecast.top", n=TOP_ROWS))
ranked = clv.customer_forecast_table(forecast, fitted.summary)
ranked["p_alive_basis"] = clv.p_alive_basis_words(ranked["p_alive_basis"], lang)
CUSTOMER_COLUMNS = {"customer_id": t("forecast.col.customer"),
                    "clv": column(t("forecast.clv_days", days=horizon), format="localized"),
                    "p_alive": column(t("forecast.col.p_alive"), format="percent"),
                    "p_alive_basis": st.column_config.TextColumn(t("forecast.col.p_alive_basis"), width="medium"),
                    "expected_orders": column(t("forecast.col.expected_orders"), format="localized"),
                    "expected_aov": column(t("forecast.col.expected_aov"), format="localized"),
                    "purchases": column(t("forecast.col.purchases"), format="localized"),
                    "monetary": column(t("forecast.col.monetary"), format="localized")}
st.dataframe(ranked.head(TOP_ROWS).round({"clv": 2, "p_alive": 3, "expected_orders": 2, "expected_aov": 2,
                                          "monetary": 2}),
             hide_index=True, width="stretch", column_config=CUSTOMER_COLUMNS, column_order=list(CUSTOMER_COLUMNS),
             placeholder="—")
if (ranked["repeat_purchases"] == 0).any():
    st.caption(t("forecast.why_one", note=note))
exported = st.session_state[TABLE_KEY]["p_alive_note"]
st.download_button(t("forecast.download", rows=state.tn("count.rows", len(ranked))),   # built on click
                   lambda: ranked.assign(p_alive_note=exported.reindex(ranked["customer_id"]).to_numpy())
                   .to_csv(index=False).encode("utf-8-sig"),
                   file_name="customer_clv.csv", mime="text/csv", key="download_customer_clv", on_click="ignore")

st.subheader(t("forecast.holdout"))
first_day = orders.loc[orders["date"] < segmentation.analysis_date, "date"].min().normalize()
if end - first_day < pd.Timedelta(days=clv.MIN_HOLDOUT_DAYS):
    st.info(t("forecast.history_short", days=clv.MIN_HOLDOUT_DAYS))
else:
    low, high = (first_day + pd.Timedelta(days=1)).date(), (end - pd.Timedelta(days=1)).date()
    default = clv.default_calibration_end(first_day, end).date()
    if not low <= st.session_state.get("forecast_split_kept", default) <= high:
        st.session_state["forecast_split_kept"] = default
        st.session_state.pop("forecast_split", None)
    split = mirror("forecast_split", st.columns([1, 3])[0].date_input(
        t("forecast.split"), min_value=low, max_value=high, key=mirrored_key("forecast_split", default),
        format=date_input_format(lang),
        help=t("forecast.split_help", share=format_percent(clv.DEFAULT_HOLDOUT_SHARE, 0, lang))))
    st.caption(t("forecast.split_caption", end=format_date(end, lang)))
    try:
        with st.spinner(t("spinner.holdout")):
            per_frequency, holdout = _holdout(digest, data_key, time_unit, pd.Timestamp(split), end, orders)
    except InputError as exc:
        st.warning(t("forecast.holdout_failed", error=state.text(exc)))
    else:
        for warning in holdout["warnings"]:
            st.warning(t("forecast.holdout_warning", warning=state.text(warning)))
        st.markdown(clv.holdout_sentence(holdout, split, end, lang))
        period = t("forecast.holdout_period", split=format_date(split, lang),
                   length=clv.time_unit_name(time_unit, lang, holdout["holdout_length"]))
        chart_with_download(charts.holdout_chart(per_frequency, period), per_frequency, "clv_holdout_check")
        st.caption(t("forecast.holdout_caption"))

with st.expander(t("forecast.parameters")):
    spenders = int(((fitted.summary["x"] > 0) & (fitted.summary["monetary"] > 0)).sum())
    st.dataframe(clv.parameters_table(fitted, lang), hide_index=True, width="stretch",
                 column_config={"model": st.column_config.TextColumn(t("forecast.col.model"), width="medium"),
                                "parameter": t("forecast.col.parameter"),
                                "value": column(t("forecast.col.value"), format="%.4f"),
                                "meaning": st.column_config.TextColumn(t("forecast.col.meaning"), width="large")},
                 placeholder="—")
    converged = {True: t("forecast.yes"), False: t("forecast.no")}
    st.caption(t("forecast.fitted_on", unit=clv.time_unit_name(time_unit, lang), customers=number(len(fitted.summary)),
                 spenders=number(spenders), bgnbd=converged[fitted.bgnbd.converged_],
                 gg=converged[fitted.gg.converged_]))
