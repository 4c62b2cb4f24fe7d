"""Session state and cached pipeline calls shared by every page (the only place that names state keys).

A session holds the current data source (the bundled sample or the user's upload, as bytes) and one
:class:`core.settings.Settings`. Expensive stages are cached on the upload's content hash plus the settings
that affect them, never on the DataFrame itself (Streamlit hashes only a sample of large frames). The caches are
``st.cache_resource``: a hit returns the cached object itself, where ``st.cache_data`` would unpickle a copy on
every call (for a million lines, seconds per rerun, as each page reads the lines several times). So what a cached
stage returns is never modified: core functions build new frames, and pages change only the frames they build.
Widget values that must survive page switches are kept in the settings, not in widget keys, because
Streamlit forgets the state of widgets that are not rendered on the current page.

Interface language: :func:`ui_language` (the settings' ``ui_language``, else Russian when the browser's locale is
Russian, else English; the data's language is not used, so a Russian export can be read in English and the default
stays English); pages take their texts from ``core.i18n`` through :func:`t` and :func:`tn`. The sidebar's switch
(:func:`sidebar`) stores the choice in the settings, so it survives page switches and goes into the settings JSON.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from core import categories, customer_table, i18n, io, pipeline, profiles
from core.categories import Rule
from core.errors import InputError
from core.formatting import CURRENCY_CHOICES, NO_CURRENCY, currency_for
from core.settings import CleaningPolicy, Settings

SAMPLE_FILE = Path(__file__).resolve().parents[1] / "sample_data" / "orders.csv"

SOURCE_KEY = "source"
SETTINGS_KEY = "settings"
MAPPING_TOUCHED_KEY = "mapping_touched"
LANGUAGE_WIDGET, CURRENCY_WIDGET = "ui_language_choice", "currency_choice"


@dataclass(frozen=True)
class Source:
    """The bytes being analysed; ``digest`` (SHA-256 of the bytes) keys every cache."""

    name: str
    data: bytes
    digest: str
    is_sample: bool


def _source_from_bytes(name: str, data: bytes, is_sample: bool) -> Source:
    return Source(name=name, data=data, digest=hashlib.sha256(data).hexdigest(), is_sample=is_sample)


def init() -> None:
    """Give a new session the sample data and default settings (a browser reload starts a new session)."""
    if SOURCE_KEY not in st.session_state:
        st.session_state[SOURCE_KEY] = _source_from_bytes(SAMPLE_FILE.name, SAMPLE_FILE.read_bytes(), True)
    if SETTINGS_KEY not in st.session_state:
        st.session_state[SETTINGS_KEY] = Settings()


def source() -> Source | None:
    """The data being analysed, or ``None`` after the user removed it."""
    init()
    return st.session_state[SOURCE_KEY]


def settings() -> Settings:
    init()
    return st.session_state[SETTINGS_KEY]


def update_settings(**changes) -> Settings:
    """Replace top-level settings fields (e.g. ``mapping=...``) and return the new settings."""
    st.session_state[SETTINGS_KEY] = dataclasses.replace(settings(), **changes)
    return st.session_state[SETTINGS_KEY]


def choose_sheet(sheet: str | None) -> None:
    """Read another sheet of the workbook (None: the first that holds a table): its columns differ, so the mapping
    starts afresh."""
    update_settings(sheet=sheet, mapping={})
    st.session_state.pop(MAPPING_TOUCHED_KEY, None)


def touch_mapping(field: str) -> None:
    """``on_change`` of a column-mapping choice: the field's column is the user's explicit choice from now on
    (kept even when it equals the automatic one, which is how the first of two same-named columns is chosen)."""
    st.session_state.setdefault(MAPPING_TOUCHED_KEY, set()).add(field)


def touched_mapping() -> set[str]:
    """The fields whose column the user picked for the current file and sheet."""
    return st.session_state.get(MAPPING_TOUCHED_KEY, set())


def use_upload(name: str, data: bytes) -> None:
    """Make an uploaded file the current source; mapping and sheet reset because the columns differ."""
    new = _source_from_bytes(name, data, is_sample=False)
    current = source()
    if current is None or new.digest != current.digest:
        st.session_state[SOURCE_KEY] = new
        update_settings(mapping={}, sheet=None)
        st.session_state.pop(MAPPING_TOUCHED_KEY, None)


def use_sample() -> None:
    st.session_state[SOURCE_KEY] = _source_from_bytes(SAMPLE_FILE.name, SAMPLE_FILE.read_bytes(), True)
    update_settings(mapping={}, sheet=None)
    st.session_state.pop(MAPPING_TOUCHED_KEY, None)


def use_no_data() -> None:
    st.session_state[SOURCE_KEY] = None


@st.cache_resource(max_entries=4, show_spinner=False)
def _read(digest: str, file_name: str, sheet: str | None, _data: bytes) -> io.RawTable:
    return io.read_table(_data, file_name, sheet=sheet)


@st.cache_resource(max_entries=4, show_spinner=False)
def _map(digest: str, sheet: str | None, mapping: tuple[tuple[str, str], ...],
         _raw: io.RawTable) -> pipeline.Intake:
    return pipeline.map_columns(_raw, dict(mapping))


@st.cache_resource(max_entries=4, show_spinner=False)
def _prepare(digest: str, sheet: str | None, mapping: tuple[tuple[str, str], ...], policy: CleaningPolicy,
             _intake: pipeline.Intake) -> pipeline.Prepared:
    return pipeline.prepare(_intake.canonical, policy)


@st.cache_resource(max_entries=4, show_spinner=False)
def _categorise(digest: str, prepare_key: str, rules_key: str, _lines, _rules) -> pd.DataFrame:
    return pipeline.categorise_lines(_lines, _rules)


@st.cache_resource(max_entries=8, show_spinner=False)
def _dominant(digest: str, prepare_key: str, rules_key: str, date: pd.Timestamp, _lines) -> pd.Series:
    return pipeline.dominant_categories(_lines, date)


@st.cache_resource(max_entries=8, show_spinner=False)
def _segment(digest: str, prepare_key: str, rules_key: str, segment_key: str, _lines, _customers,
             _settings: Settings, _dominant: pd.Series) -> pipeline.Segmentation:
    return pipeline.segment_customers(_lines, _customers, _settings, _dominant)


def _key(*parts) -> str:
    """A cache key from settings parts (dataclasses and plain values) as canonical JSON."""
    return json.dumps([dataclasses.asdict(p) if dataclasses.is_dataclass(p) else p for p in parts],
                      sort_keys=True, ensure_ascii=False, default=str)


@st.cache_resource(max_entries=8, show_spinner=False)
def _detected_language(digest: str, prepare_key: str, _lines: pd.DataFrame) -> str:
    return categories.detect_language(_lines["product"])


def language() -> str:
    """The settings' language, else the one detected from the product names (cached per data; English for a
    customer table, which has no product names)."""
    current = settings()
    if current.language:
        return current.language
    if is_customer_table():
        return i18n.DEFAULT_LANGUAGE
    return _detected_language(source().digest, _prepare_key(current), prepared().lines)


def rules() -> tuple[Rule, ...]:
    """The category rules in force: the user's, else the default set for the data's language."""
    return pipeline.effective_rules(settings(), language())


def lines() -> pd.DataFrame:
    """Clean lines with their category under the current rules."""
    src, current = source(), settings()
    in_force, clean = rules(), prepared().lines
    with st.spinner(t("spinner.categorise")):
        return _categorise(src.digest, _prepare_key(current), _key(list(in_force)), clean, in_force)


@st.cache_resource(max_entries=4, show_spinner=False)
def _customer_input(digest: str, file_name: str, _data: bytes) -> customer_table.CustomerInput:
    return customer_table.read(_data, file_name)


@st.cache_resource(max_entries=8, show_spinner=False)
def _segment_table(digest: str, segment_key: str, _customers: pd.DataFrame,
                   _settings: Settings) -> pipeline.Segmentation:
    return pipeline.segment_customer_table(_customers, _settings)


def is_customer_table() -> bool:
    """Whether the current file is a customer table (CSV, XLSX or Parquet with the customer-table columns of
    ``core.customer_table``) rather than order lines: then only scoring onward applies."""
    src = source()
    if src is None:
        return False
    if src.data.startswith(io.PARQUET_MAGIC):
        columns = customer_table.parquet_columns(src.data)
        return columns is None or customer_table.looks_like_customer_table(columns)  # unreadable: say so there
    try:
        return customer_table.looks_like_customer_table(raw_table().columns)
    except InputError:
        return False


def customer_input() -> customer_table.CustomerInput:
    """The current customer table read and checked; raises InputError naming what is wrong."""
    src = source()
    with st.spinner(t("spinner.read")):
        return _customer_input(src.digest, src.name, src.data)


def customers() -> pd.DataFrame:
    """One row per customer (``core.orders.CUSTOMER_COLUMNS``), from the order lines or the customer table."""
    return customer_input().customers if is_customer_table() else prepared().customers


def _segment_key(current: Settings) -> str:
    return _key(current.scoring, list(pipeline.effective_segment_map(current)), current.analysis_date)


def segmentation() -> pipeline.Segmentation:
    """Customers scored and segmented under the current scoring, segment map and analysis date."""
    src, current = source(), settings()
    if is_customer_table():
        with st.spinner(t("spinner.segment")):
            return _segment_table(src.digest, _segment_key(current), customer_input().customers, current)
    rules_key, categorised = _key(list(rules())), lines()
    date = pipeline.analysis_date(current, categorised)
    with st.spinner(t("spinner.dominant")):
        dominant = _dominant(src.digest, _prepare_key(current), rules_key, date, categorised)
    customers = prepared().customers
    with st.spinner(t("spinner.segment")):
        return _segment(src.digest, _prepare_key(current), rules_key, _segment_key(current), categorised, customers,
                        current, dominant)


def _prepare_key(current: Settings) -> str:
    return _key(current.sheet, current.mapping, current.cleaning)


def raw_table() -> io.RawTable:
    """The current file as read (all columns as text); raises InputError for unreadable files."""
    src, current = source(), settings()
    with st.spinner(t("spinner.read")):
        return _read(src.digest, src.name, current.sheet, src.data)


def intake() -> pipeline.Intake:
    """The current file read and mapped; raises InputError for unreadable files or unmapped columns."""
    src, current = source(), settings()
    raw = raw_table()
    with st.spinner(t("spinner.map")):
        return _map(src.digest, current.sheet, tuple(sorted(current.mapping.items())), raw)


def prepared() -> pipeline.Prepared:
    """Clean lines, orders and customers of the current file under the current settings."""
    src, current = source(), settings()
    mapping = tuple(sorted(current.mapping.items()))
    loaded = intake()
    with st.spinner(t("spinner.prepare")):
        return _prepare(src.digest, current.sheet, mapping, current.cleaning, loaded)


def analysis() -> tuple[pipeline.Intake, pipeline.Prepared] | None:
    """Intake and prepared tables, or ``None`` (no data, or a one-line error shown to the user)."""
    if source() is None:
        return None
    try:
        loaded, result = intake(), prepared()
        pipeline.require_usable_rows(result)
    except InputError as exc:
        st.error(text(exc))
        return None
    return loaded, result


def ui_language() -> str:
    """The interface language: the settings' choice, else Russian for a Russian browser locale, else English."""
    chosen = settings().ui_language
    if chosen:
        return chosen
    try:
        locale = st.context.locale
    except Exception:                                   # no browser behind this run (bare mode, old Streamlit)
        locale = None
    return i18n.language_from_locale(locale) or i18n.DEFAULT_LANGUAGE


def t(key: str, **params) -> str:
    """The catalogue message ``key`` (``core.i18n``) in the interface language."""
    return i18n.t(key, ui_language(), **params)


def tn(key: str, n: float, **params) -> str:
    """The catalogue message ``key`` with the plural form for ``n``, in the interface language."""
    return i18n.tn(key, n, ui_language(), **params)


def text(value) -> str:
    """A core message, or an error raised with one (``core.i18n.Message``), in the interface language; plain
    strings as they are."""
    return str(i18n.localize(value, ui_language()))


def segment_name(name) -> str:
    """The display name of a segment or group value in the interface language (user-typed names as they are)."""
    return i18n.segment_name(name, ui_language())


def currency() -> str:
    """The currency sign in force ('' for none): the settings' choice, else ₽ for Russian product names."""
    choice = settings().currency
    if choice or source() is None:
        return "" if choice == NO_CURRENCY else choice
    try:
        return currency_for(choice, language())
    except InputError:
        return ""


def _store_choice(key: str, field: str) -> None:
    """``on_change`` of a sidebar choice: the new value goes into the settings before the script reruns."""
    update_settings(**{field: st.session_state[key]})


def _bound_choice(widget, label: str, options: list, key: str, value, field: str, **kwargs):
    """A sidebar choice that shows the settings' ``value`` and writes changes to the settings field ``field``.

    The widget's state is set from the settings on every run: a widget of the same key on another page is a new
    widget to Streamlit, which would otherwise start from its first option."""
    st.session_state[key] = value
    return widget(label, options, key=key, on_change=_store_choice, args=(key, field), **kwargs)


PAGES = (("streamlit_app.py", "home.nav", "🛒"), ("pages/1_Categories.py", "categories.page_title", "🏷️"),
         ("pages/2_Segments.py", "segments.page_title", "🎯"), ("pages/3_Profiles.py", "profiles.page_title", "👥"),
         ("pages/4_Explore.py", "explore.page_title", "📈"), ("pages/5_Plan.py", "plan.page_title", "📅"),
         ("pages/6_Tests.py", "tests.page_title", "🧪"), ("pages/7_Clusters.py", "clusters.page_title", "🧩"),
         ("pages/8_Forecast.py", "forecast.page_title", "🔮"), ("pages/9_Export.py", "export.page_title", "📤"))
"""Every screen in menu order: script (relative to the app folder), catalogue key of its title, icon. The sidebar
menu is drawn from it (Streamlit's own, which names pages after their files, is switched off in
``.streamlit/config.toml``), so page names follow the interface language."""


def start_page(script: str) -> str:
    """The top of every screen ``script`` (a :data:`PAGES` entry): the session's state, the browser tab's title
    and icon, the page's title and caption (catalogue ``<page>.title`` and ``<page>.caption``); returns the
    interface language."""
    init()
    _, key, icon = next(page for page in PAGES if page[0] == script)
    prefix = key.split(".")[0]
    st.set_page_config(page_title=t(f"{prefix}.page_title"), page_icon=icon, layout="wide")
    st.title(t(f"{prefix}.title"))
    st.caption(t(f"{prefix}.caption"))
    return ui_language()


def sidebar() -> None:
    """The menu, which data the session is looking at, the interface language and the currency, on every page."""
    src = source()
    with st.sidebar:
        for script, key, icon in PAGES:
            st.page_link(script, label=t(key), icon=icon)
        st.divider()
        _bound_choice(st.radio, t("sidebar.language"), list(i18n.LANGUAGES), LANGUAGE_WIDGET, ui_language(),
                      "ui_language", horizontal=True, format_func=i18n.LANGUAGE_NAMES.get)
        names = {"": t("sidebar.currency_auto"), NO_CURRENCY: t("sidebar.currency_none")}
        _bound_choice(st.radio, t("sidebar.currency"), list(CURRENCY_CHOICES), CURRENCY_WIDGET,
                      settings().currency, "currency", help=t("sidebar.currency_help"), horizontal=True,
                      format_func=lambda c: names.get(c, c))
        if src is None:
            st.caption(t("sidebar.no_data"))
        elif src.is_sample:
            st.caption(t("sidebar.sample"))
        else:
            st.caption(t("sidebar.data", name=src.name))


def require_data(lines_needed: bool = True) -> tuple[pipeline.Intake, pipeline.Prepared] | None:
    """For pages after the home page: the analysis (None for a customer table when ``lines_needed`` is False),
    or an explanation and ``st.stop()`` when there is none, or when the page needs order lines and the data is a
    customer table."""
    init()
    sidebar()
    if is_customer_table():
        try:
            customer_input()
        except InputError as exc:
            st.error(text(exc))
            st.stop()
        if not lines_needed:
            return None
        st.info(t("state.needs_order_lines"))
        st.page_link("pages/2_Segments.py", label=t("segments.page_title"), icon="🎯")
        st.stop()
    result = analysis()
    if result is None:
        st.info(t("state.no_analysable_data"))
        st.page_link("streamlit_app.py", label=t("state.go_home"), icon="🏠")
        st.stop()
    return result


GROUPINGS = ("segment", "lifecycle", "dominant_category")
"""The customer table's grouping columns the pages offer; their labels are ``state.grouping.<column>``."""


def grouping_label(column: str) -> str:
    """The label of a grouping column (``"segment"`` -> "RFM segment") in the interface language."""
    return t(f"state.grouping.{column}")


@st.cache_resource(max_entries=8, show_spinner=False)
def _group_profiles(digest: str, results_key: str, label: str, _lines: pd.DataFrame, _customers: pd.DataFrame,
                    _group: pd.Series) -> pd.DataFrame:
    return profiles.segment_profiles(_lines, _customers.join(_group.rename("group"), on="customer_id"), "group")


def group_profiles(label: str) -> pd.DataFrame:
    """``core.profiles.segment_profiles`` of the groups of the grouping ``label`` (a :func:`customer_groupings`
    label), cached on the data and the settings the figures depend on."""
    group = customer_groupings()[label]
    return _group_profiles(source().digest, settings().results_key(), group.name, lines(), segmentation().customers,
                           group)


def group_advice(label: str) -> pd.DataFrame:
    """``core.profiles.recommendations`` for the groups of ``label`` under the settings' texts and skip choices, in
    the interface language; raises InputError for a text with an unknown placeholder."""
    current = settings()
    return profiles.recommendations(group_profiles(label), current.templates, current.skip_after_days, ui_language(),
                                    current.skip_overrides)


def customer_groupings() -> dict[str, pd.Series]:
    """Every per-customer grouping the pages offer (label in the interface language -> Series indexed by
    customer_id; the values are the names inside, e.g. English segment names: show them with
    :func:`segment_name`)."""
    customers = segmentation().customers.set_index("customer_id")
    return {grouping_label(column): customers[column] for column in GROUPINGS if column in customers}
