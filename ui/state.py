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
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from core import io, pipeline
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
