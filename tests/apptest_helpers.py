"""Helpers for Streamlit AppTest: run a page of the app with no data, the sample data or an uploaded file."""
from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO

APP = str(REPO / "streamlit_app.py")


def fresh_app(timeout: float = 60) -> AppTest:
    """The home page with cleared caches, so one test's data never leaks into the next."""
    st.cache_data.clear()
    st.cache_resource.clear()
    return AppTest.from_file(APP, default_timeout=timeout)


def upload(at: AppTest, path: Path) -> AppTest:
    """Upload ``path`` through the home page's file uploader and rerun."""
    at.file_uploader(key="orders_file").set_value((path.name, path.read_bytes(), "text/csv"))
    return at.run()


def errors(at: AppTest) -> list[str]:
    return [e.value for e in at.error]


def page_path(name: str) -> str:
    """A page file path relative to the entry script, as ``AppTest.switch_page`` wants it."""
    return f"pages/{name}"


def open_page(page: str, path: Path | None = None) -> AppTest:
    """The app with ``path`` uploaded (default: the sample data) on ``page`` (a file in ``pages/``), checked to run
    without an exception."""
    at = fresh_app().run()
    if path is not None:
        upload(at, path)
    at.switch_page(page_path(page)).run()
    assert not at.exception, at.exception
    return at
