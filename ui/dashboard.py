"""Cached dashboard computations and the filter widgets shared by the Explore and Plan pages.

Every expensive call is cached on the data's digest, the settings as JSON (recommendation texts left out: they
do not change any number) and the filter values; DataFrames are passed as underscore parameters, so Streamlit
never hashes them.

Filter state (survives page switches): ``st.session_state["explore_filters"]`` is a dict with the keys
``digest`` (the data it belongs to; another upload resets it), ``start``/``end`` (dates), ``categories`` and
``groups`` (lists), ``grouping`` (a label of :func:`ui.state.customer_groupings`), ``explore_metric`` and
``explore_cohort_measure``. The Plan page keeps its choices in ``st.session_state["plan_choices"]`` (``digest``,
``plan_grouping``, ``plan_lead``, ``plan_top``). Widgets are re-seeded from these dicts with ``seed_widget``.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from core import dashboard
from core.errors import InputError
from core.formatting import date_input_format, format_date
from core.planner import CampaignPlan
from ui import state
from ui.state import segment_name, t
from ui.widgets import seed_widget

FILTERS_KEY = "explore_filters"
PLAN_KEY = "plan_choices"
ALL_CUSTOMERS = "All customers"        # the one group of the Plan page's "everyone" choice (shown translated)
_FILTER_WIDGETS = ("explore_dates", "explore_categories", "explore_grouping", "explore_groups", "explore_metric",
                   "explore_cohort_measure")
_PLAN_WIDGETS = ("plan_grouping", "plan_lead", "plan_top")


def settings_key() -> str:
    """The settings that change the dashboard's numbers, as JSON (not the texts, the language or the currency)."""
    return state.settings().results_key()


@st.cache_resource(max_entries=2, show_spinner=False)
def _book(digest: str, settings_json: str, _load) -> dashboard.Book:
    lines, customer_ids = _load()
    return dashboard.build_book(lines, customer_ids)


@st.cache_resource(max_entries=4, show_spinner=False)
def _options(digest: str, settings_json: str, lang: str, _load) -> dict[str, list[str]]:
    return {label: [str(value) for value in _present(grouping)] for label, grouping in _load().items()}


@st.cache_resource(max_entries=8, show_spinner=False)
def _groups(digest: str, settings_json: str, grouping: str, _book: dashboard.Book, _load) -> pd.Series:
    return dashboard.book_groups(_book, _load()[grouping])


@st.cache_resource(max_entries=16, show_spinner=False)
def _explore(digest: str, settings_json: str, grouping: str | None, filters_json: str, currency: str, lang: str,
             _book: dashboard.Book, _groups: pd.Series | None, _filters: dashboard.Filters) -> dashboard.Explore:
    return dashboard.explore(_book, _filters, _groups, currency=currency, lang=lang)


@st.cache_resource(max_entries=8, show_spinner=False)
def _plan(digest: str, settings_json: str, grouping: str, lead: int, top: int, _book: dashboard.Book,
          _groups: pd.Series) -> CampaignPlan:
    return dashboard.plan(_book, _groups, lead_months=lead, top=top)


# The tables behind these caches (clean lines, segmentation) are only loaded on a cache miss, through the
# ``_load`` callables, so a rerun with everything cached does not copy a million lines out of the caches.

def _lines_and_ids() -> tuple[pd.DataFrame, pd.Index]:
    return state.lines(), pd.Index(state.prepared().customers["customer_id"])


def _groupings() -> dict[str, pd.Series]:
    try:
        return state.customer_groupings()
    except InputError:
        return {}


def book() -> dashboard.Book:
    """The current data's purchase lines as codes (needs data: call after ``state.require_data()``)."""
    with st.spinner(t("dashboard.spinner_book")):
        return _book(state.source().digest, settings_key(), _lines_and_ids)


def grouping_options() -> dict[str, list[str]]:
    """Grouping label -> its values with customers; empty when the segments cannot be computed (the pages
    still work without them)."""
    return _options(state.source().digest, settings_key(), state.ui_language(), _groupings)


def groups(current: dashboard.Book, label: str | None) -> pd.Series | None:
    """The grouping ``label`` on the book's customer codes (``ALL_CUSTOMERS``: one group of everyone)."""
    if label == ALL_CUSTOMERS:
        return pd.Series(ALL_CUSTOMERS, index=pd.RangeIndex(len(current.customer_ids)))
    if label not in grouping_options():
        return None
    return _groups(state.source().digest, settings_key(), label, current, _groupings)


def explore(current: dashboard.Book, filters: dashboard.Filters, grouping: str | None) -> dashboard.Explore:
    by = groups(current, grouping) if filters.groups else None
    with st.spinner(t("dashboard.spinner_explore")):
        return _explore(state.source().digest, settings_key(), grouping if by is not None else None, filters.key(),
                        state.currency(), state.ui_language(), current, by, filters)


def plan(current: dashboard.Book, grouping: str, lead: int, top: int) -> CampaignPlan:
    with st.spinner(t("dashboard.spinner_plan")):
        return _plan(state.source().digest, settings_key(), grouping, lead, top, current, groups(current, grouping))


def _remembered(key: str, widgets: tuple[str, ...]) -> dict:
    """The page's saved choices for the current data (reset, with their widgets, when the data changed)."""
    digest = state.source().digest
    saved = st.session_state.get(key)
    if not saved or saved.get("digest") != digest:
        saved = {"digest": digest}
        st.session_state[key] = saved
        for widget in widgets:
            st.session_state.pop(widget, None)
    return saved


def _keep_valid(key: str, options: list) -> None:
    """Drop values a multiselect no longer offers (e.g. categories renamed on the Categories page)."""
    if key in st.session_state:
        st.session_state[key] = [value for value in st.session_state[key] if value in options]


def filter_widgets(current: dashboard.Book, categories: list[str]) -> tuple[dashboard.Filters, str | None]:
    """Date range, categories and customer group in the sidebar; returns the filters and the grouping label."""
    saved = _remembered(FILTERS_KEY, _FILTER_WIDGETS)
    first, last = current.first_date.date(), current.last_date.date()
    start = min(max(saved.get("start") or first, first), last)
    end = max(min(saved.get("end") or last, last), start)
    shown = st.session_state.get("explore_dates")
    if isinstance(shown, (tuple, list)) and len(shown) == 2:   # keep a complete range inside the data's dates
        low = min(max(shown[0], first), last)
        st.session_state["explore_dates"] = (low, max(min(shown[1], last), low))
    lang = state.ui_language()
    with st.sidebar:
        st.subheader(t("dashboard.filters"))
        chosen = st.date_input(t("dashboard.dates"), min_value=first, max_value=last, format=date_input_format(lang),
                               key=seed_widget("explore_dates", (start, end)), help=t("dashboard.dates_help"))
        chosen = tuple(chosen) if isinstance(chosen, (tuple, list)) else (chosen,)
        start = chosen[0] if chosen else first
        end = chosen[1] if len(chosen) > 1 else last
        _keep_valid("explore_categories", categories)
        names = {c: segment_name(c) for c in categories}          # the catch-all "Other" in the language
        picked = st.multiselect(t("dashboard.categories"), categories, placeholder=t("dashboard.all_categories"),
                                key=seed_widget("explore_categories",
                                                [c for c in saved.get("categories", []) if c in categories]),
                                help=t("dashboard.categories_help"), format_func=names.get)
        available = grouping_options()
        grouping, members = None, []
        if available:
            labels = list(available)
            if st.session_state.get("explore_grouping") not in (None, *labels):   # labels follow the language
                st.session_state.pop("explore_grouping")
            grouping = st.selectbox(t("dashboard.customer_group"), labels, key=seed_widget(
                "explore_grouping", saved.get("grouping") if saved.get("grouping") in labels else labels[0]))
            values = available[grouping]
            _keep_valid("explore_groups", values)
            shown = {value: segment_name(value) for value in values}
            members = st.multiselect(grouping, values, placeholder=t("dashboard.all_customers"), key=seed_widget(
                "explore_groups", [g for g in saved.get("groups", []) if g in values]), format_func=shown.get)
        else:
            st.caption(t("dashboard.no_groups"))
    saved.update(start=start, end=end, categories=list(picked), grouping=grouping, groups=list(members))
    filters = dashboard.Filters(start=start if start > first else None, end=end if end < last else None,
                                categories=tuple(picked), groups=tuple(members))
    return filters, grouping


def remembered_choice(key: str, widget: str, options: list, default):
    """A widget's value for a choice kept in the page's dict (``FILTERS_KEY`` or ``PLAN_KEY``)."""
    widgets = _FILTER_WIDGETS if key == FILTERS_KEY else _PLAN_WIDGETS
    saved = _remembered(key, widgets)
    value = saved.get(widget, default)
    return seed_widget(widget, value if value in options else default)


def remember(key: str, **values) -> None:
    st.session_state[key].update(values)


def _present(grouping: pd.Series) -> list:
    """The group values that have customers, in category order for a Categorical."""
    counts = grouping.value_counts()
    if isinstance(grouping.dtype, pd.CategoricalDtype):
        return [c for c in grouping.cat.categories if counts.get(c, 0) > 0]
    return sorted(counts.index, key=str)


def describe(filters: dashboard.Filters, first: dt.date, last: dt.date) -> str:
    """The filters in force, in words."""
    lang = state.ui_language()
    start, end = filters.start or first, filters.end or last
    parts = [f"{format_date(start, lang)} – {format_date(end, lang)}"]
    if filters.categories:
        parts.append(t("dashboard.described_categories",
                       categories=", ".join(segment_name(c) for c in filters.categories)))
    if filters.groups:
        parts.append(t("dashboard.described_customers", groups=", ".join(segment_name(g) for g in filters.groups)))
    return " · ".join(parts)
