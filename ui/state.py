"""Session state and cached pipeline calls shared by every page (the only place that names state keys).

A session holds the current data source (the bundled sample or the user's upload, as bytes) and one
:class:`core.settings.Settings`. Expensive stages are cached on the upload's content hash plus the settings
that affect them, never on the DataFrame itself (``st.cache_data`` hashes only a sample of large frames).
Widget values that must survive page switches are kept in the settings, not in widget keys, because
Streamlit forgets the state of widgets that are not rendered on the current page.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from core import categories, io, pipeline
from core.categories import Rule
from core.errors import InputError
from core.settings import CleaningPolicy, Settings

SAMPLE_FILE = Path(__file__).resolve().parents[1] / "sample_data" / "orders.csv"

SOURCE_KEY = "source"
SETTINGS_KEY = "settings"


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


def use_upload(name: str, data: bytes) -> None:
    """Make an uploaded file the current source; mapping and sheet reset because the columns differ."""
    new = _source_from_bytes(name, data, is_sample=False)
    current = source()
    if current is None or new.digest != current.digest:
        st.session_state[SOURCE_KEY] = new
        update_settings(mapping={}, sheet=None)


def use_sample() -> None:
    st.session_state[SOURCE_KEY] = _source_from_bytes(SAMPLE_FILE.name, SAMPLE_FILE.read_bytes(), True)
    update_settings(mapping={}, sheet=None)


def use_no_data() -> None:
    st.session_state[SOURCE_KEY] = None


@st.cache_data(max_entries=4, show_spinner="Reading the file…")
def _read(digest: str, file_name: str, sheet: str | None, _data: bytes) -> io.RawTable:
    return io.read_table(_data, file_name, sheet=sheet)


@st.cache_data(max_entries=4, show_spinner="Converting dates, numbers and ids…")
def _map(digest: str, sheet: str | None, mapping: tuple[tuple[str, str], ...],
         _raw: io.RawTable) -> pipeline.Intake:
    return pipeline.map_columns(_raw, dict(mapping))


@st.cache_data(max_entries=4, show_spinner="Cleaning lines and building orders and customers…")
def _prepare(digest: str, sheet: str | None, mapping: tuple[tuple[str, str], ...], policy: CleaningPolicy,
             _intake: pipeline.Intake) -> pipeline.Prepared:
    return pipeline.prepare(_intake.canonical, policy)


@st.cache_data(max_entries=4, show_spinner="Sorting products into categories…")
def _categorise(digest: str, prepare_key: str, rules_key: str, _lines, _rules) -> pd.DataFrame:
    return pipeline.categorise_lines(_lines, _rules)


@st.cache_data(max_entries=8, show_spinner="Finding each customer's main category…")
def _dominant(digest: str, prepare_key: str, rules_key: str, date: pd.Timestamp, _lines) -> pd.Series:
    return pipeline.dominant_categories(_lines, date)


@st.cache_data(max_entries=8, show_spinner="Scoring customers and assigning segments…")
def _segment(digest: str, prepare_key: str, rules_key: str, segment_key: str, _lines, _customers,
             _settings: Settings, _dominant: pd.Series) -> pipeline.Segmentation:
    return pipeline.segment_customers(_lines, _customers, _settings, _dominant)


def _key(*parts) -> str:
    """A cache key from settings parts (dataclasses and plain values) as canonical JSON."""
    return json.dumps([dataclasses.asdict(p) if dataclasses.is_dataclass(p) else p for p in parts],
                      sort_keys=True, ensure_ascii=False, default=str)


@st.cache_data(max_entries=8, show_spinner=False)
def _detected_language(digest: str, prepare_key: str, _lines: pd.DataFrame) -> str:
    return categories.detect_language(_lines["product"])


def language() -> str:
    """The settings' language, else the one detected from the product names (cached per data)."""
    current = settings()
    if current.language:
        return current.language
    return _detected_language(source().digest, _prepare_key(current), prepared().lines)


def rules() -> tuple[Rule, ...]:
    """The category rules in force: the user's, else the default set for the data's language."""
    return pipeline.effective_rules(settings(), language())


def lines() -> pd.DataFrame:
    """Clean lines with their category under the current rules."""
    src, current = source(), settings()
    in_force = rules()
    return _categorise(src.digest, _prepare_key(current), _key(list(in_force)), prepared().lines, in_force)


def segmentation() -> pipeline.Segmentation:
    """Customers scored and segmented under the current scoring, segment map and analysis date."""
    src, current = source(), settings()
    rules_key, categorised = _key(list(rules())), lines()
    date = pipeline.analysis_date(current, categorised)
    dominant = _dominant(src.digest, _prepare_key(current), rules_key, date, categorised)
    return _segment(src.digest, _prepare_key(current), rules_key,
                    _key(current.scoring, list(pipeline.effective_segment_map(current)), current.analysis_date),
                    categorised, prepared().customers, current, dominant)


def _prepare_key(current: Settings) -> str:
    return _key(current.sheet, current.mapping, current.cleaning)


def raw_table() -> io.RawTable:
    """The current file as read (all columns as text); raises InputError for unreadable files."""
    src, current = source(), settings()
    return _read(src.digest, src.name, current.sheet, src.data)


def intake() -> pipeline.Intake:
    """The current file read and mapped; raises InputError for unreadable files or unmapped columns."""
    src, current = source(), settings()
    return _map(src.digest, current.sheet, tuple(sorted(current.mapping.items())), raw_table())


def prepared() -> pipeline.Prepared:
    """Clean lines, orders and customers of the current file under the current settings."""
    src, current = source(), settings()
    mapping = tuple(sorted(current.mapping.items()))
    return _prepare(src.digest, current.sheet, mapping, current.cleaning, intake())


def analysis() -> tuple[pipeline.Intake, pipeline.Prepared] | None:
    """Intake and prepared tables, or ``None`` (no data, or a one-line error shown to the user)."""
    if source() is None:
        return None
    try:
        loaded, result = intake(), prepared()
        pipeline.require_usable_rows(result)
    except InputError as exc:
        st.error(f"{exc}")
        return None
    return loaded, result


def sidebar() -> None:
    """Which data the session is looking at, on every page."""
    src = source()
    with st.sidebar:
        if src is None:
            st.caption("No data loaded.")
        elif src.is_sample:
            st.caption("Showing the bundled **sample data**. Upload your own export on the home page.")
        else:
            st.caption(f"Data: **{src.name}**")


def require_data() -> tuple[pipeline.Intake, pipeline.Prepared]:
    """For pages after the home page: the analysis, or an explanation and ``st.stop()`` when there is none."""
    init()
    sidebar()
    result = analysis()
    if result is None:
        st.info("No analysable data in this session (a browser reload starts a new session). Open the home "
                "page to upload an order export, load the sample data or fix the column mapping.")
        st.page_link("streamlit_app.py", label="Go to the home page", icon="🏠")
        st.stop()
    return result


GROUPINGS = {"RFM segment": "segment", "Single vs repeat": "lifecycle", "Dominant category": "dominant_category"}


def customer_groupings() -> dict[str, pd.Series]:
    """Every per-customer grouping the pages offer (label -> Series indexed by customer_id)."""
    customers = segmentation().customers.set_index("customer_id")
    return {label: customers[column] for label, column in GROUPINGS.items() if column in customers}
