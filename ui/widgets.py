"""Small rendering helpers used by several pages (charts with their data, keyed widgets bound to settings)."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from core import charts
from ui import state


def chart_with_download(chart: alt.Chart, data: pd.DataFrame, file_stem: str) -> None:
    """Show an Altair chart in the interface language (:func:`localize_chart`) and, under it, a CSV download of the
    table behind it (UTF-8 with BOM for Excel)."""
    st.altair_chart(localize_chart(chart), width="stretch")
    st.download_button(state.t("common.download_csv", rows=state.tn("count.rows", len(data))),
                       data.to_csv(index=False).encode("utf-8-sig"), file_name=f"{file_stem}.csv", mime="text/csv",
                       key=f"download_{file_stem}")


def seed_widget(key: str, value) -> str:
    """Put ``value`` into a widget's state unless the widget already has one; returns the key.

    Streamlit forgets a widget's state when its page is left, so pages re-seed widgets from the settings.
    """
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def mirrored_key(key: str, default) -> str:
    """A widget key seeded from its plain mirror ``<key>_kept`` (or ``default``): pass it as the widget's ``key``
    and the widget's value to :func:`mirror`, so the value survives page switches."""
    return seed_widget(key, st.session_state.get(f"{key}_kept", default))


def mirror(key: str, value):
    """Keep a widget's ``value`` in its plain mirror ``<key>_kept`` (see :func:`mirrored_key`); returns it."""
    st.session_state[f"{key}_kept"] = value
    return value


def remembered(widget, label: str, options: list, key: str, default, **kwargs):
    """Call a choice widget (``st.selectbox``, ``st.radio``, ``st.multiselect``, or a container's) whose value
    survives page switches (mirrored in the plain key ``<key>_kept``) and falls back to ``default`` when the
    remembered value is no longer among ``options``. Returns the widget's value."""
    value = st.session_state.get(key, st.session_state.get(f"{key}_kept", default))
    valid = all(v in options for v in value) if isinstance(value, list) else value in options
    st.session_state[key] = value if valid else default
    st.session_state[f"{key}_kept"] = widget(label, options, key=key, **kwargs)
    return st.session_state[f"{key}_kept"]


def drop_invalid_choice(key: str, options: list) -> None:
    """Forget a choice widget's value that is no longer among ``options`` (e.g. a grouping label after the
    interface language changed), so the widget starts from its first option instead of failing."""
    if key in st.session_state and st.session_state[key] not in options:
        del st.session_state[key]


def localize_chart(chart: alt.TopLevelMixin, lang: str | None = None) -> alt.TopLevelMixin:
    """``chart`` in the interface language (``core.charts.localized``)."""
    return charts.localized(chart, lang or state.ui_language())


def show_chart(chart: alt.TopLevelMixin, **kwargs) -> None:
    """``st.altair_chart`` of a chart in the interface language (see :func:`localize_chart`)."""
    st.altair_chart(localize_chart(chart), width=kwargs.pop("width", "stretch"), **kwargs)
