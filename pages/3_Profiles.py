"""Profiles: who each group of customers is, what and when they buy, what to mail them, and how segments moved."""
import dataclasses

import pandas as pd
import streamlit as st

from core import charts
from core.errors import InputError
from core.formatting import format_number
from core.profiles import (PLACEHOLDERS, recommendations, segment_profiles, templates_frame, templates_from_frame,
                           top_categories_text)
from core.rfm import ScoringSettings
from core.segments import migration_matrix, migration_summary
from ui import state
from ui.widgets import chart_with_download

st.set_page_config(page_title="Profiles", page_icon="👥", layout="wide")
st.title("Customer profiles")
st.caption("Who each group of customers is, what and when they buy, and what to send them. Segments come from "
           "the **Segments** page; categories from the category rules.")
state.require_data()
settings = state.settings()
TEMPLATES_VERSION = "templates_version"   # bumped whenever the texts are saved or reset, so the editor starts afresh


@st.cache_data(max_entries=8, show_spinner="Profiling the groups…")
def cached_profiles(digest: str, settings_key: str, grouping: str, _lines: pd.DataFrame,
                    _customers: pd.DataFrame, _group: pd.Series) -> pd.DataFrame:
    return segment_profiles(_lines, _customers.join(_group.rename("group"), on="customer_id"), "group")


@st.cache_data(max_entries=8, show_spinner="Scoring customers as of the earlier date…")
def cached_migration(digest: str, settings_key: str, days: int, _lines: pd.DataFrame, _now: pd.Timestamp,
                     _scoring: ScoringSettings, _rules) -> pd.DataFrame:
    return migration_matrix(_lines, _now, _now - pd.Timedelta(days=days), _scoring, _rules)


def save_templates(templates: dict[str, str]) -> None:
    state.update_settings(templates=templates)
    st.session_state[TEMPLATES_VERSION] = st.session_state.get(TEMPLATES_VERSION, 0) + 1
    st.rerun()


try:
    segmentation, groupings, lines = state.segmentation(), state.customer_groupings(), state.lines()
except InputError as exc:
    st.error(f"{exc}. Fix it on the Segments page.")
    st.stop()
digest = state.source().digest
settings_key = dataclasses.replace(settings, templates={}).to_json()   # texts do not change the numbers

# --- Profiles ------------------------------------------------------------------------------------------------
grouping = st.columns([1, 2])[0].selectbox("Group customers by", list(groupings), key="profile_grouping")
profiles = cached_profiles(digest, settings_key, grouping, lines, segmentation.customers, groupings[grouping])
if profiles.empty:
    st.info(f"No customer has a value for “{grouping}” (e.g. no product matched a category rule).")
    st.stop()
left_out = int(groupings[grouping].isna().sum())
if left_out:
    st.caption(f"{format_number(left_out)} customers without a value for “{grouping}” are left out.")
table = profiles.assign(top_categories=top_categories_text(profiles))
shown, height = table.round({"revenue": 0, "aov": 2, "mean_orders": 2}), (len(table) + 1) * 35 + 3
text = st.column_config.TextColumn
st.markdown("**Who they are**")
st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config={
    "segment": text(grouping, pinned=True),
    "customers": st.column_config.NumberColumn("Customers", format="localized"),
    "share_customers": st.column_config.NumberColumn("% of customers", format="percent"),
    "revenue": st.column_config.NumberColumn("Revenue", format="localized"),
    "share_revenue": st.column_config.NumberColumn("% of revenue", format="percent"),
    "aov": st.column_config.NumberColumn("Avg order", format="localized", help="Revenue per order"),
    "mean_orders": st.column_config.NumberColumn("Orders each", format="%.2f", help="Mean orders per customer"),
    "median_recency_days": st.column_config.NumberColumn("Days since order", format="%.0f",
                                                         help="Median days since the customer's last order"),
    "repeat_share": st.column_config.NumberColumn("Repeat buyers", format="percent",
                                                  help="Customers with 2 or more orders")},
    column_order=["segment", "customers", "share_customers", "revenue", "share_revenue", "aov", "mean_orders",
                  "median_recency_days", "repeat_share"])
st.markdown("**What and when they buy**")
st.dataframe(shown, hide_index=True, width="stretch", height=height, column_config={
    "segment": text(grouping, pinned=True), "top_categories": text("Top categories (share of revenue)"),
    "peak_months": text("Busiest months"), "peak_weekday": text("Busiest weekday")},
    column_order=["segment", "top_categories", "peak_months", "peak_weekday"])
chart_with_download(charts.segment_share_chart(profiles, grouping), table.drop(columns="peak_month"), "profiles")

# --- Recommendations -----------------------------------------------------------------------------------------
st.subheader("Mailing recommendations")
try:
    advice = recommendations(profiles, settings.templates)
except InputError as exc:
    st.error(f"{exc}. Showing the default texts.")
    advice = recommendations(profiles)
st.caption("Send a month before the group's busiest two months, on its busiest weekday. **Skip** groups whose "
           "median customer has not ordered for over a year and who bring less revenue per customer than average.")
for row in advice[advice["skip"]].itertuples():
    st.warning(f"**Skip {row.segment}**: {row.reason}.")
for start in range(0, len(advice), 2):
    for column, row in zip(st.columns(2), advice.iloc[start:start + 2].itertuples()):
        with column.container(border=True):
            verdict = ":red-badge[Skip]" if row.skip else ":green-badge[Mail]"
            st.markdown(f"**{row.segment}** · {verdict} · {row.send_months}, {row.weekday}")
            st.markdown(row.recommendation.replace("$", "\\$"))
with st.expander("Recommendations as a table"):
    st.dataframe(advice, hide_index=True, width="stretch", column_config={
        "segment": text(grouping, pinned=True), "skip": st.column_config.CheckboxColumn("Skip"),
        "recommendation": text("Recommendation", width="large"), "send_months": text("Send in"),
        "weekday": text("On"), "categories": text("Categories"), "reason": text("Why")},
        column_order=["segment", "skip", "recommendation", "send_months", "weekday", "categories", "reason"])

with st.expander("Edit the recommendation texts"):
    st.caption("One text per group; blank = the default text. Placeholders filled in per group: "
               + ", ".join(f"`{{{name}}}`" for name in PLACEHOLDERS) + ". Groups without a text use **Other**.")
    texts = templates_frame(profiles["segment"], settings.templates)
    edited = st.data_editor(texts, key=f"templates_editor_{st.session_state.get(TEMPLATES_VERSION, 0)}",
                            hide_index=True, width="stretch", disabled=["segment", "customised"], column_config={
                                "segment": st.column_config.TextColumn(grouping, width=150),
                                "template": st.column_config.TextColumn("Text", width="large"),
                                "customised": st.column_config.CheckboxColumn("Edited", width=70)})
    if st.button("Reset all texts to the defaults", disabled=not settings.templates):
        save_templates({})
    if not edited.equals(texts):
        try:
            save_templates(templates_from_frame(edited, settings.templates))
        except InputError as exc:
            st.error(f"{exc}. The previous texts stay in force until the table is fixed.")

# --- Migration -----------------------------------------------------------------------------------------------
st.subheader("Segment migration")
st.caption("RFM segments now compared with the same scoring and map applied to the orders before an earlier "
           "date.")
days = st.columns([1, 2])[0].number_input("Compare with this many days earlier", min_value=1, max_value=3650,
                                          value=90, step=30, key="migration_days")
try:
    matrix = cached_migration(digest, settings_key, int(days), lines, segmentation.analysis_date,
                              settings.scoring, segmentation.segment_map)
except InputError as exc:
    st.error(f"{exc}.")
    st.stop()
moves = migration_summary(matrix)
before = segmentation.analysis_date - pd.Timedelta(days=int(days))
st.markdown(f"Of **{format_number(moves['total'])}** customers on {segmentation.analysis_date:%Y-%m-%d}, "
            f"**{format_number(moves['stayed'])}** were in the same segment on {before:%Y-%m-%d}, "
            f"**{format_number(moves['moved'])}** moved and **{format_number(moves['new'])}** had not ordered yet.")
migration = matrix.reset_index()
chart_with_download(charts.migration_heatmap(matrix, int(days)), migration, "segment_migration")
with st.expander("Migration table"):
    st.dataframe(migration, hide_index=True, width="stretch", key="migration_table")
