"""Segments: the analysis date, how R, F and M are scored, the segment map with its R×F grid, and the totals."""
import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from core import charts
from core.errors import InputError
from core.formatting import format_number
from core.pipeline import effective_segment_map, segment_totals
from core.rfm import (METRIC_NAMES, METRIC_UNITS, QUANTILE_BINS, ScoringSettings, default_analysis_date,
                      format_cut_points, score_spec_from_input, score_table)
from core.segments import (default_segment_map_for, grid_coverage, map_fit_problems, segment_map_from_frame,
                           segment_map_to_frame)
from ui import state
from ui.widgets import chart_with_download, seed_widget

st.set_page_config(page_title="Segments", page_icon="🎯", layout="wide")
st.title("RFM segments")
st.caption("Customers are scored on **R**ecency (days since the last order), **F**requency (orders) and "
           "**M**onetary value (revenue), then put into segments by a map of score ranges. Choose how to score, "
           "edit the map and check the result.")
_, prepared = state.require_data()
settings = state.settings()
digest = state.source().digest[:12]
MAP_VERSION = "segment_map_version"          # bumped whenever the map is replaced, so the editor starts afresh
EXAMPLE_CUTS = {"R": (30, 90, 180), "F": (1, 2, 4), "M": (100, 500, 1000)}


def replace_map(rules) -> None:
    """Store a new segment map (None when it is the automatic default, so it keeps following the bins)."""
    automatic = effective_segment_map(dataclasses.replace(settings, segment_map=None))
    state.update_settings(segment_map=None if tuple(rules) == automatic else tuple(rules))
    st.session_state[MAP_VERSION] = st.session_state.get(MAP_VERSION, 0) + 1
    st.rerun()


# --- Analysis date -------------------------------------------------------------------------------------------
default_date = default_analysis_date(prepared.customers).date()
earliest = prepared.customers["first_purchase"].min().date() + dt.timedelta(days=1)
stored = dt.date.fromisoformat(settings.analysis_date) if settings.analysis_date else default_date
chosen = st.columns([1, 3])[0].date_input(
    "Analysis date", min_value=earliest, max_value=default_date + dt.timedelta(days=3 * 365), format="YYYY-MM-DD",
    key=seed_widget(f"analysis_date_{digest}", stored if earliest <= stored else default_date),
    help=f"Recency is counted up to this date and only purchases before it count. Default: {default_date}, "
         "the day after the last purchase. An earlier date shows the shop as it was then.")
analysis_date = None if chosen == default_date else chosen.isoformat()
if analysis_date != settings.analysis_date:
    state.update_settings(analysis_date=analysis_date)
    st.rerun()

try:
    segmentation = state.segmentation()
except InputError as exc:
    st.error(str(exc))
    st.stop()
customers = segmentation.customers

# --- Scoring -------------------------------------------------------------------------------------------------
st.subheader("Scores")
st.caption("**Quantile bins** split customers into equal groups; **cut points** are your own boundaries in "
           "the metric's unit, e.g. `1, 2, 4` orders give 1 | 2 | 3–4 | 5+. Higher score = better customer.")
specs = {"R": settings.scoring.recency, "F": settings.scoring.frequency, "M": settings.scoring.monetary}
scores = score_table(segmentation.scores)
new_specs = {}
for column, (letter, spec) in zip(st.columns(3, gap="medium"), specs.items()):
    with column:
        result = segmentation.scores[letter]
        st.markdown(f"**{letter} · {METRIC_NAMES[letter]}** ({METRIC_UNITS[letter]})")
        method = st.radio("Scoring", ["quantile", "cuts"], horizontal=True, label_visibility="collapsed",
                          format_func={"quantile": "Quantile bins", "cuts": "Cut points"}.get,
                          key=seed_widget(f"score_{letter}_method", spec.method))
        bins = st.selectbox("Number of bins", QUANTILE_BINS, disabled=method != "quantile",
                            key=seed_widget(f"score_{letter}_bins", spec.bins if spec.method == "quantile" else 5))
        cuts = st.text_input("Cut points", disabled=method != "cuts", placeholder="e.g. 1, 2, 4",
                             key=seed_widget(f"score_{letter}_cuts", format_cut_points(
                                 spec.cuts or result.edges or EXAMPLE_CUTS[letter])),
                             help="Ascending numbers separated by commas; each is the top of a bin (right-closed).")
        try:
            new_specs[letter] = score_spec_from_input(method, bins, cuts, METRIC_NAMES[letter])
        except InputError as exc:
            st.error(f"{exc}. Still using the previous scoring.")
            new_specs[letter] = spec
        st.dataframe(scores[scores["metric"] == letter], hide_index=True, width="stretch", column_order=[
            "score", "range", "customers", "share"], column_config={
            "score": st.column_config.NumberColumn("Score"), "range": st.column_config.TextColumn("Range"),
            "customers": st.column_config.NumberColumn("Customers", format="localized"),
            "share": st.column_config.NumberColumn("Share", format="percent")})
        if result.note:
            st.info(result.note)
new_scoring = ScoringSettings(recency=new_specs["R"], frequency=new_specs["F"], monetary=new_specs["M"])
if new_scoring != settings.scoring:
    state.update_settings(scoring=new_scoring)
    st.rerun()

# --- Segment map and R×F grid --------------------------------------------------------------------------------
st.subheader("Segment map")
bins = tuple(segmentation.scores[letter].bins_requested for letter in "RFM")
problems = map_fit_problems(segmentation.segment_map, bins, customers["segment"])
map_frame = segment_map_to_frame(segmentation.segment_map)
editor_column, help_column = st.columns([2, 1], gap="medium")
with help_column:
    st.markdown("Rules in **priority order**: a customer gets the first rule whose score ranges contain theirs; "
                "customers matching no rule go to **Other**. Leave M min/max blank for any M. Add rows at the "
                "bottom of the table; select rows on the left to delete them.")
    if problems:
        st.warning("The map does not fit the current scores: " + "; ".join(problems) + ".")
        if st.button(f"Use the default map for R {bins[0]} × F {bins[1]} bins", type="primary"):
            replace_map(default_segment_map_for(*bins))
    if st.button("Reset to the default map", disabled=settings.segment_map is None and not problems):
        replace_map(default_segment_map_for(*bins))
with editor_column:
    column_config = {"segment": st.column_config.TextColumn("Segment", required=True, width=160)} | {
        f"{letter.lower()}_{end}": st.column_config.NumberColumn(f"{letter} {end}", min_value=1, max_value=9,
                                                                 step=1, width=64)
        for letter in "RFM" for end in ("min", "max")}
    edited = st.data_editor(map_frame, key=f"segment_map_editor_{st.session_state.get(MAP_VERSION, 0)}",
                            num_rows="dynamic", hide_index=True, width="stretch", column_config=column_config,
                            height=(len(map_frame) + 2) * 35 + 3, placeholder="")
    if not edited.equals(map_frame):
        try:
            replace_map(segment_map_from_frame(edited, bins))
        except InputError as exc:
            st.error(f"{exc}. The previous map stays in force until the table is fixed.")
grid = grid_coverage(segmentation.segment_map, bins[0], bins[1], customers, m_bins=bins[2])
chart_with_download(charts.rf_grid_heatmap(grid), grid, "segment_grid")

# --- Summary -------------------------------------------------------------------------------------------------
st.subheader("Segments")
totals = pd.DataFrame(segment_totals(segmentation)).rename(columns={"name": "segment"})
st.markdown(f"{format_number(len(customers))} customers as of **{segmentation.analysis_date:%Y-%m-%d}**.")
summary_column, chart_column = st.columns([3, 2], gap="medium")
summary_config = {
    "segment": st.column_config.TextColumn("Segment"),
    "customers": st.column_config.NumberColumn("Customers", format="localized"),
    "share_customers": st.column_config.NumberColumn("% of customers", format="percent"),
    "revenue": st.column_config.NumberColumn("Revenue", format="localized"),
    "share_revenue": st.column_config.NumberColumn("% of revenue", format="percent")}
summary_column.dataframe(totals.assign(revenue=totals["revenue"].round()), hide_index=True, width="stretch",
                         height=(len(totals) + 1) * 35 + 3, column_config=summary_config,
                         column_order=list(summary_config))
with chart_column:
    chart_with_download(charts.segment_share_chart(totals), totals, "segment_summary")
