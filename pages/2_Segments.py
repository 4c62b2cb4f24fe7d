"""Segments: the analysis date, how R, F and M are scored, the segment map with its R×F grid, and the totals."""
import dataclasses
import datetime as dt

import pandas as pd
import streamlit as st

from core import charts
from core.errors import InputError
from core.formatting import date_input_format, format_date, format_number
from core.pipeline import effective_segment_map, segment_totals
from core.i18n import Message, segment_key
from core.rfm import (QUANTILE_BINS, ScoringSettings, default_analysis_date, format_cut_points,
                      score_spec_from_input, score_table)
from core.segments import (default_segment_map_for, grid_coverage, map_fit_problems, segment_map_from_frame,
                           segment_map_to_frame)
from ui import state
from ui.state import segment_name, t
from ui.widgets import chart_with_download, seed_widget

lang = state.start_page("pages/2_Segments.py")
state.require_data(lines_needed=False)
settings = state.settings()
digest = state.source().digest[:12]
MAP_VERSION = "segment_map_version"          # bumped whenever the map is replaced, so the editor starts afresh
EXAMPLE_CUTS = {"R": (30, 90, 180), "F": (1, 2, 4), "M": (100, 500, 1000)}
METRICS = {letter: t(f"segments.metric.{letter}") for letter in "RFM"}


def automatic_map(scores) -> tuple:
    """The default map for the current bins and the scores in use (what ``segment_map=None`` gives)."""
    return effective_segment_map(dataclasses.replace(settings, segment_map=None), scores)


def replace_map(rules, scores) -> None:
    """Store a new segment map (None when it is the automatic default, so it keeps following bins and scores)."""
    state.update_settings(segment_map=None if tuple(rules) == automatic_map(scores) else tuple(rules))
    st.session_state[MAP_VERSION] = st.session_state.get(MAP_VERSION, 0) + 1
    st.rerun()


# --- Analysis date -------------------------------------------------------------------------------------------
customer_table = state.customers()
default_date = default_analysis_date(customer_table).date()
earliest = customer_table["first_purchase"].min().date() + dt.timedelta(days=1)
stored = dt.date.fromisoformat(settings.analysis_date) if settings.analysis_date else default_date
chosen = st.columns([1, 3])[0].date_input(
    t("segments.analysis_date"), min_value=earliest, max_value=default_date + dt.timedelta(days=3 * 365),
    format=date_input_format(lang),
    key=seed_widget(f"analysis_date_{digest}", stored if earliest <= stored else default_date),
    help=t("segments.analysis_date_help", default=format_date(default_date, lang)))
analysis_date = None if chosen == default_date else chosen.isoformat()
if analysis_date != settings.analysis_date:
    state.update_settings(analysis_date=analysis_date)
    st.rerun()

try:
    segmentation = state.segmentation()
except InputError as exc:
    st.error(state.text(exc))
    st.stop()
customers = segmentation.customers

# --- Scoring -------------------------------------------------------------------------------------------------
st.subheader(t("segments.scores"))
st.caption(t("segments.scores_caption"))
scoring_names = {"quantile": t("segments.quantile"), "cuts": t("segments.cuts")}
specs = {"R": settings.scoring.recency, "F": settings.scoring.frequency, "M": settings.scoring.monetary}
scores = score_table(segmentation.scores)
scores["range"] = scores["range"].replace("merged", t("segments.merged"))
new_specs = {}
for column, (letter, spec) in zip(st.columns(3, gap="medium"), specs.items()):
    with column:
        result = segmentation.scores[letter]
        st.markdown(f"**{letter} · {METRICS[letter]}** ({t(f'segments.unit.{letter}')})")
        method = st.radio(t("segments.scoring"), ["quantile", "cuts"], horizontal=True,
                          label_visibility="collapsed", format_func=scoring_names.get,
                          key=seed_widget(f"score_{letter}_method", spec.method))
        bins = st.selectbox(t("segments.bins"), QUANTILE_BINS, disabled=method != "quantile",
                            key=seed_widget(f"score_{letter}_bins", spec.bins if spec.method == "quantile" else 5))
        cuts = st.text_input(t("segments.cuts"), disabled=method != "cuts", placeholder=t("segments.cuts_placeholder"),
                             key=seed_widget(f"score_{letter}_cuts", format_cut_points(
                                 spec.cuts or result.edges or EXAMPLE_CUTS[letter])),
                             help=t("segments.cuts_help"))
        try:
            new_specs[letter] = score_spec_from_input(method, bins, cuts, Message(f"segments.metric.{letter}"))
        except InputError as exc:
            st.error(t("segments.cuts_error", error=state.text(exc)))
            new_specs[letter] = spec
        st.dataframe(scores[scores["metric"] == letter], hide_index=True, width="stretch", column_order=[
            "score", "range", "customers", "share"], column_config={
            "score": st.column_config.NumberColumn(t("segments.score")),
            "range": st.column_config.TextColumn(t("segments.range")),
            "customers": st.column_config.NumberColumn(t("common.customers"), format="localized"),
            "share": st.column_config.NumberColumn(t("common.share"), format="percent")}, placeholder="—")
        if result.note:
            st.info(state.text(result.note))
new_scoring = ScoringSettings(recency=new_specs["R"], frequency=new_specs["F"], monetary=new_specs["M"])
if new_scoring != settings.scoring:
    state.update_settings(scoring=new_scoring)
    st.rerun()

# --- Segment map and R×F grid --------------------------------------------------------------------------------
st.subheader(t("segments.map"))
bins = tuple(segmentation.scores[letter].bins_requested for letter in "RFM")
problems = [state.text(p) for p in map_fit_problems(segmentation.segment_map, bins, customers["segment"])]
map_frame = segment_map_to_frame(segmentation.segment_map)
map_frame["segment"] = map_frame["segment"].map(segment_name).astype("str")   # names typed by the user stay
editor_column, help_column = st.columns([5, 2], gap="medium")          # room for long (Russian) segment names
with help_column:
    st.markdown(t("segments.map_help"))
    if problems:
        st.warning(t("segments.map_misfit", problems="; ".join(problems)))
        if st.button(t("segments.use_default_for_bins", r=bins[0], f=bins[1]), type="primary"):
            replace_map(automatic_map(segmentation.scores), segmentation.scores)
    if st.button(t("segments.reset_map"), disabled=settings.segment_map is None and not problems):
        replace_map(automatic_map(segmentation.scores), segmentation.scores)
    if settings.segment_map is None and segmentation.segment_map != default_segment_map_for(*bins):
        in_use = "; ".join(f"{letter}: {', '.join(map(str, segmentation.scores[letter].used_scores))}"
                           for letter in "RF" if len(segmentation.scores[letter].used_scores) < bins["RF".index(letter)])
        st.caption(t("segments.map_fitted", scores=in_use))
with editor_column:
    column_config = {"segment": st.column_config.TextColumn(t("common.segment"), required=True, width=200)} | {
        f"{letter.lower()}_{end}": st.column_config.NumberColumn(f"{letter} {end}", min_value=1, max_value=9,
                                                                 step=1, width=64)
        for letter in "RFM" for end in ("min", "max")}
    edited = st.data_editor(map_frame, key=f"segment_map_editor_{st.session_state.get(MAP_VERSION, 0)}",
                            num_rows="dynamic", hide_index=True, width="stretch", column_config=column_config,
                            height=(len(map_frame) + 2) * 35 + 3, placeholder="")
    if not edited.equals(map_frame):
        inside = edited.assign(segment=[name if pd.isna(name) else segment_key(str(name), lang)
                                        for name in edited["segment"]])     # display names back to the names inside
        try:
            replace_map(segment_map_from_frame(inside, bins), segmentation.scores)
        except InputError as exc:
            st.error(t("segments.map_error", error=exc))
grid = grid_coverage(segmentation.segment_map, bins[0], bins[1], customers, m_bins=bins[2])
grid["segment"] = [" / ".join(segment_name(name) for name in cell.split(" / ")) for cell in grid["segment"]]
chart_with_download(charts.rf_grid_heatmap(grid), grid, "segment_grid")

# --- Summary -------------------------------------------------------------------------------------------------
st.subheader(t("segments.summary"))
totals = pd.DataFrame(segment_totals(segmentation)).rename(columns={"name": "segment"})
totals["segment"] = totals["segment"].map(segment_name)
st.markdown(t("segments.customers_as_of", customers=format_number(len(customers), lang=lang),
              date=format_date(segmentation.analysis_date, lang)))
summary_column, chart_column = st.columns([3, 2], gap="medium")
money = state.currency()
summary_config = {
    "segment": st.column_config.TextColumn(t("common.segment")),
    "customers": st.column_config.NumberColumn(t("common.customers"), format="localized"),
    "share_customers": st.column_config.NumberColumn(t("common.pct_customers"), format="percent"),
    "revenue": st.column_config.NumberColumn(t("common.revenue") + (f", {money}" if money else ""),
                                             format="localized"),
    "share_revenue": st.column_config.NumberColumn(t("common.pct_revenue"), format="percent")}
summary_column.dataframe(totals.assign(revenue=totals["revenue"].round()), hide_index=True, width="stretch",
                         height=(len(totals) + 1) * 35 + 3, column_config=summary_config,
                         column_order=list(summary_config))
with chart_column:
    chart_with_download(charts.segment_share_chart(totals), totals, "segment_summary")
