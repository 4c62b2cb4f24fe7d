"""Small rendering helpers used by several pages (charts with their data, keyed widgets bound to settings)."""
from __future__ import annotations

import re

import altair as alt
import pandas as pd
import streamlit as st
from altair.utils.schemapi import SchemaBase

from core import i18n
from core.formatting import format_number
from ui import state


def chart_with_download(chart: alt.Chart, data: pd.DataFrame, file_stem: str) -> None:
    """Show an Altair chart in the interface language (:func:`localize_chart`) and, under it, a CSV download of the
    table behind it (UTF-8 with BOM for Excel)."""
    st.altair_chart(localize_chart(chart), width="stretch")
    rows = format_number(len(data), lang=state.ui_language())
    st.download_button(state.t("common.download_csv", rows=rows), data.to_csv(index=False).encode("utf-8-sig"),
                       file_name=f"{file_stem}.csv", mime="text/csv", key=f"download_{file_stem}")


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


# --- charts in the interface language ------------------------------------------------------------------------------
_RU_LOCALE = {
    "number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₽"],
               "minus": "\u2212", "percent": "\u00a0%"},
    "time": {"dateTime": "%A, %e %B %Y г. %X", "date": "%d.%m.%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
             "days": ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
             "shortDays": ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
             "months": list(i18n.MONTHS["ru"]), "shortMonths": list(i18n.SHORT_MONTHS["ru"])},
}
CHART_LOCALES = {"ru": _RU_LOCALE}
"""d3 number and time locales (Vega-Lite ``config.locale``) per interface language; English uses Vega's default,
so the charts' ``format`` strings (``",.0f"``, ``"%b %Y"``) read ``1 234 567`` and ``янв 2020`` in Russian."""
_TEXT_KEYS = ("title", "text")
_LIST_KEYS = ("sort", "domain")


def localize_chart(chart: alt.TopLevelMixin, lang: str | None = None) -> alt.TopLevelMixin:
    """``chart`` (from ``core.charts``) with its titles, axis, legend and tooltip titles and legend labels in the
    interface language (``core.i18n.translate_chart_text``) and the language's number and date locale; changed in
    place and returned. English charts are returned as they are."""
    lang = lang or state.ui_language()
    if lang == i18n.DEFAULT_LANGUAGE:
        return chart

    def text(value):
        return i18n.translate_chart_text(value, lang)

    def walk(node) -> None:
        if isinstance(node, SchemaBase):
            for key, value in list(node._kwds.items()):
                if key == "data" and isinstance(value, pd.DataFrame):
                    node._kwds[key] = _translated_labels(value, text)
                elif key in _TEXT_KEYS and isinstance(value, str):
                    node._kwds[key] = text(value)
                elif key in _LIST_KEYS and isinstance(value, list):
                    node._kwds[key] = [text(item) if isinstance(item, str) else item for item in value]
                elif key == "calculate" and isinstance(value, str):
                    node._kwds[key] = re.sub(r"'([^']*)'", lambda m: "'" + text(m.group(1)) + "'", value)
                else:
                    walk(value)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in list(node.items()):
                if key in _TEXT_KEYS and isinstance(value, str):
                    node[key] = text(value)
                elif key == "calculate" and isinstance(value, str):
                    node[key] = re.sub(r"'([^']*)'", lambda m: "'" + text(m.group(1)) + "'", value)
                else:
                    walk(value)

    walk(chart)
    if lang in CHART_LOCALES:
        config = chart.config if chart.config is not alt.Undefined else alt.Config()
        config.locale = CHART_LOCALES[lang]
        chart.config = config
    return chart


def _translated_labels(frame: pd.DataFrame, text) -> pd.DataFrame:
    """A copy of a chart's data whose text cells that are chart labels (e.g. the R×F grid's check names) are
    translated; the frame itself (also offered as a CSV download) is not changed."""
    changed = {}
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            unique = [v for v in pd.unique(values.dropna()) if isinstance(v, str)][:64]
            mapping = {v: text(v) for v in unique if text(v) != v}
            if mapping:
                changed[column] = values.replace(mapping)
    return frame.assign(**changed) if changed else frame


def show_chart(chart: alt.TopLevelMixin, **kwargs) -> None:
    """``st.altair_chart`` of a chart in the interface language (see :func:`localize_chart`)."""
    st.altair_chart(localize_chart(chart), width=kwargs.pop("width", "stretch"), **kwargs)
