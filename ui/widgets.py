"""Small rendering helpers used by several pages (charts with their data, keyed widgets bound to settings)."""
from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st


def chart_with_download(chart: alt.Chart, data: pd.DataFrame, file_stem: str) -> None:
    """Show an Altair chart and, under it, a CSV download of the table behind it (UTF-8 with BOM for Excel)."""
    st.altair_chart(chart, width="stretch")
    st.download_button(f"Download data ({len(data):,} rows, CSV)", data.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"{file_stem}.csv", mime="text/csv", key=f"download_{file_stem}")


def seed_widget(key: str, value) -> str:
    """Put ``value`` into a widget's state unless the widget already has one; returns the key.

    Streamlit forgets a widget's state when its page is left, so pages re-seed widgets from the settings.
    """
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def remembered(widget, label: str, options: list, key: str, default, **kwargs):
    """Call a choice widget (``st.selectbox``, ``st.radio``, ``st.multiselect``, or a container's) whose value
    survives page switches (mirrored in the plain key ``<key>_kept``) and falls back to ``default`` when the
    remembered value is no longer among ``options``. Returns the widget's value."""
    value = st.session_state.get(key, st.session_state.get(f"{key}_kept", default))
    valid = all(v in options for v in value) if isinstance(value, list) else value in options
    st.session_state[key] = value if valid else default
    st.session_state[f"{key}_kept"] = widget(label, options, key=key, **kwargs)
    return st.session_state[f"{key}_kept"]
