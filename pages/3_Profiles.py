"""Profiles: who each group of customers is, what and when they buy, what to mail them, and how segments moved."""

import pandas as pd
import streamlit as st

from core import charts, i18n
from core.errors import InputError
from core.formatting import format_date, format_number
from core.profiles import (PLACEHOLDERS, recommendations, skip_overrides_from, templates_frame,
                           templates_from_frame, top_categories_text)
from core.settings import MAX_SKIP_AFTER_DAYS
from core.rfm import ScoringSettings
from core.segments import migration_matrix, migration_summary, migration_window
from ui import state
from ui.state import segment_name, t
from ui.widgets import chart_with_download, drop_invalid_choice, seed_widget

lang = state.start_page("pages/3_Profiles.py")
state.require_data()
settings = state.settings()
TEMPLATES_VERSION = "templates_version"   # bumped whenever the texts are saved or reset, so the editor starts afresh


@st.cache_resource(max_entries=8, show_spinner=False)
def cached_migration(digest: str, settings_key: str, days: int, _lines: pd.DataFrame, _now: pd.Timestamp,
                     _scoring: ScoringSettings, _rules) -> pd.DataFrame:
    return migration_matrix(_lines, _now, _now - pd.Timedelta(days=days), _scoring, _rules)


def save_templates(templates: dict[str, str]) -> None:
    state.update_settings(templates=templates)
    st.session_state[TEMPLATES_VERSION] = st.session_state.get(TEMPLATES_VERSION, 0) + 1
    st.rerun()


def save_skip_overrides(overrides: dict[str, str]) -> None:
    state.update_settings(skip_overrides=overrides)
    st.session_state[TEMPLATES_VERSION] = st.session_state.get(TEMPLATES_VERSION, 0) + 1
    st.rerun()


def shown_names(frame: pd.DataFrame, column: str = "segment") -> pd.DataFrame:
    """``frame`` with the group names in ``column`` as the interface shows them (built-in names translated)."""
    return frame.assign(**{column: frame[column].map(segment_name).astype("str")})


try:
    segmentation, groupings, lines = state.segmentation(), state.customer_groupings(), state.lines()
except InputError as exc:
    st.error(t("common.fix_on_segments", error=state.text(exc)))
    st.stop()
digest = state.source().digest
settings_key = settings.results_key()                   # what the figures depend on

# --- Profiles ------------------------------------------------------------------------------------------------
drop_invalid_choice("profile_grouping", list(groupings))          # labels change with the interface language
grouping = st.columns([1, 2])[0].selectbox(t("profiles.group_by"), list(groupings), key="profile_grouping")
with st.spinner(t("profiles.spinner_profiles")):
    profiles = state.group_profiles(grouping)
if profiles.empty:
    st.info(t("profiles.no_values", grouping=grouping))
    st.stop()
left_out = int(groupings[grouping].isna().sum())
if left_out:
    st.caption(t("profiles.left_out", n=format_number(left_out, lang=lang), grouping=grouping))
table = shown_names(profiles.assign(top_categories=top_categories_text(profiles, lang)))
table["peak_months"] = table["peak_months"].map(lambda months: i18n.translate_months(months, lang))
table["peak_weekday"] = table["peak_weekday"].map(lambda day: i18n.translate_weekday(day, lang))
shown = table.round({"revenue": 0, "aov": 2, "mean_orders": 2})
height = (len(table) + 1) * 35 + 3
text = st.column_config.TextColumn
money = state.currency()
with_money = (lambda label: f"{label}, {money}") if money else (lambda label: label)
st.markdown(t("profiles.who"))
st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config={
    "segment": text(grouping, pinned=True),
    "customers": st.column_config.NumberColumn(t("common.customers"), format="localized"),
    "share_customers": st.column_config.NumberColumn(t("common.pct_customers"), format="percent"),
    "revenue": st.column_config.NumberColumn(with_money(t("common.revenue")), format="localized"),
    "share_revenue": st.column_config.NumberColumn(t("common.pct_revenue"), format="percent"),
    "aov": st.column_config.NumberColumn(with_money(t("profiles.avg_order")), format="localized",
                                         help=t("profiles.avg_order_help")),
    "mean_orders": st.column_config.NumberColumn(t("profiles.orders_each"), format="localized",
                                                 help=t("profiles.orders_each_help")),
    "median_recency_days": st.column_config.NumberColumn(t("profiles.days_since"), format="localized",
                                                         help=t("profiles.days_since_help")),
    "repeat_share": st.column_config.NumberColumn(t("profiles.repeat"), format="percent",
                                                  help=t("profiles.repeat_help"))},
    column_order=["segment", "customers", "share_customers", "revenue", "share_revenue", "aov", "mean_orders",
                  "median_recency_days", "repeat_share"], placeholder="—")
st.markdown(t("profiles.what_when"))
st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config={
    "segment": text(grouping, pinned=True), "top_categories": text(t("profiles.top_categories")),
    "peak_months": text(t("profiles.busiest_months")), "peak_weekday": text(t("profiles.busiest_weekday"))},
    column_order=["segment", "peak_months", "peak_weekday", "top_categories"],     # the long texts last
    placeholder="—")
chart_with_download(charts.segment_share_chart(shown_names(profiles), grouping), table.drop(columns="peak_month"),
                    "profiles")

# --- Recommendations -----------------------------------------------------------------------------------------
st.subheader(t("profiles.recommendations"))
days_cell, reset_cell = st.columns([1, 2], vertical_alignment="bottom")
skip_after = days_cell.number_input(t("profiles.skip_after"), min_value=1, max_value=MAX_SKIP_AFTER_DAYS, step=30,
                                    key=seed_widget("skip_after_days", settings.skip_after_days),
                                    help=t("profiles.skip_after_help"))
if skip_after != settings.skip_after_days:
    state.update_settings(skip_after_days=int(skip_after))
    st.rerun()
if reset_cell.button(t("profiles.reset_skip"), disabled=not settings.skip_overrides):
    save_skip_overrides({})
try:
    advice = state.group_advice(grouping)
except InputError as exc:
    st.error(t("profiles.template_error", error=state.text(exc)))
    advice = recommendations(profiles, None, settings.skip_after_days, lang, settings.skip_overrides)
by_rule = recommendations(profiles, None, settings.skip_after_days, lang).set_index("segment")["skip"]
inside_names = advice["segment"]
advice = shown_names(advice)
st.caption(t("profiles.recommendations_caption"))
for row in advice[advice["skip"]].itertuples():
    st.warning(t("profiles.skip_warning", segment=row.segment, reason=row.reason))
badges = {True: t("profiles.badge_skip"), False: t("profiles.badge_mail")}
for start in range(0, len(advice), 2):
    for column, row in zip(st.columns(2), advice.iloc[start:start + 2].itertuples()):
        with column.container(border=True):
            st.markdown(f"**{row.segment}** · {badges[bool(row.skip)]} · {row.send_months}, {row.weekday}")
            st.markdown(row.recommendation.replace("$", "\\$"))
with st.expander(t("profiles.as_table"), expanded=bool(settings.skip_overrides)):
    edited = st.data_editor(advice, hide_index=True, width="stretch", disabled=[c for c in advice if c != "skip"],
                            key=f"skip_editor_{st.session_state.get(TEMPLATES_VERSION, 0)}", column_config={
        "segment": text(grouping, pinned=True), "skip": st.column_config.CheckboxColumn(t("profiles.skip")),
        "recommendation": text(t("profiles.recommendation"), width="large"), "send_months": text(t("profiles.send_in")),
        "weekday": text(t("profiles.on")), "categories": text(t("profiles.categories")),
        "reason": text(t("profiles.why"))},
        column_order=["segment", "skip", "recommendation", "send_months", "weekday", "categories", "reason"])
    if not edited["skip"].equals(advice["skip"]):
        save_skip_overrides(skip_overrides_from(inside_names, edited["skip"], by_rule, settings.skip_overrides))

with st.expander(t("profiles.edit_texts")):
    st.caption(t("profiles.edit_caption", placeholders=", ".join(f"`{{{name}}}`" for name in PLACEHOLDERS)))
    texts = shown_names(templates_frame(profiles["segment"], settings.templates, lang))
    edited = st.data_editor(texts, key=f"templates_editor_{st.session_state.get(TEMPLATES_VERSION, 0)}",
                            hide_index=True, width="stretch", disabled=["segment", "customised"], column_config={
                                "segment": st.column_config.TextColumn(grouping, width=150),
                                "template": st.column_config.TextColumn(t("profiles.text"), width="large"),
                                "customised": st.column_config.CheckboxColumn(t("profiles.edited"), width=70)})
    if st.button(t("profiles.reset_texts"), disabled=not settings.templates):
        save_templates({})
    if not edited.equals(texts):
        inside = edited.assign(segment=[name if pd.isna(name) else i18n.segment_key(str(name), lang)
                                        for name in edited["segment"]])
        try:
            save_templates(templates_from_frame(inside, settings.templates, lang))
        except InputError as exc:
            st.error(t("profiles.texts_error", error=state.text(exc)))

# --- Migration -----------------------------------------------------------------------------------------------
st.subheader(t("profiles.migration"))
st.caption(t("profiles.migration_caption"))
window = migration_window(lines["date"].min(), segmentation.analysis_date)
if window is None:
    st.info(t("profiles.migration_too_short"))
    st.stop()
default_days, max_days = window
if not 1 <= st.session_state.get("migration_days", default_days) <= max_days:
    st.session_state["migration_days"] = default_days
days = st.columns([1, 2])[0].number_input(t("profiles.days_earlier"), min_value=1, max_value=max_days,
                                          value=default_days, step=30, key="migration_days",
                                          help=t("profiles.days_earlier_help", maximum=max_days))
try:
    with st.spinner(t("profiles.spinner_migration")):
        matrix = cached_migration(digest, settings_key, int(days), lines, segmentation.analysis_date,
                                  settings.scoring, segmentation.segment_map)
except InputError as exc:
    st.error(t("profiles.error", error=state.text(exc)))
    st.stop()
moves = migration_summary(matrix)
before = segmentation.analysis_date - pd.Timedelta(days=int(days))
st.markdown(t("profiles.moves", total=format_number(moves["total"], lang=lang),
              now=format_date(segmentation.analysis_date, lang), stayed=format_number(moves["stayed"], lang=lang),
              before=format_date(before, lang), moved=format_number(moves["moved"], lang=lang),
              new=format_number(moves["new"], lang=lang)))
matrix = matrix.rename(index=segment_name, columns=segment_name)
migration = matrix.reset_index()
chart_with_download(charts.migration_heatmap(matrix, int(days)), migration, "segment_migration")
with st.expander(t("profiles.migration_table")):
    st.dataframe(migration, hide_index=True, width="stretch", key="migration_table", placeholder="—")
