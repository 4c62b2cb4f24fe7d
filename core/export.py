"""Exports of one analysis: the Excel workbook, the customers CSV and the settings JSON.

Workbook sheets (in this order): Summary (KPIs, period, analysis date), Customers (one row per customer, optional
extra per-customer columns such as cluster or CLV), one mailing list per chosen segment ("Mail <segment>"),
Segments (profiles, rule and recommendation), Categories (coverage per category), Category rules, Tests (only
when results are given), Data quality (row accounting) and Settings (the settings in force, see
:func:`settings_table`: one row per field, then the settings file itself in rows named ``settings.json``).

Every table has a bold frozen header, an autofilter, column widths and number, date and currency formats.

Language (``lang``, "en" or "ru"): sheet names, headers, the Summary's labels and notes, row-accounting reasons,
the display names of the built-in segments and groups (``core.i18n.segment_name``; user-typed names stay as
typed), the recommendations and the test magnitudes come from the catalogue (``core.i18n``); the English workbook
is the default. Numbers are stored as numbers and dates as Excel dates: the number formats only say where the
thousands separator, the decimals and the currency sign go (``#,##0.00 "₽"``, ``"£"#,##0.00``), and Excel shows
them with the separators of the reader's own locale (``1 234 567,89`` in a Russian Excel), so only the date
order and the currency sign's place depend on ``lang`` (``dd.mm.yyyy`` for ru, ``yyyy-mm-dd`` for en).

Safety: text is only ever written as a string cell (data cells as inline strings, ``t="inlineStr"``; headers
and the Summary with xlsxwriter's ``write_string`` under ``strings_to_formulas: False``); no cell is ever a
formula, so a customer, product or keyword called ``=HYPERLINK(...)``, ``+7 999``, ``-5``, ``@SUM(A1)`` or
``\t=1+1`` stays text. Characters XML 1.0 forbids (C0 controls except tab and newline, C1 controls, U+FFFE/U+FFFF,
lone surrogates) are removed, carriage returns become newlines, ``_xHHHH_`` sequences are escaped so Excel shows
them literally, and cells are cut at Excel's 32,767 characters (UTF-16 units).
Timezone-aware dates are written as their local wall time. A table longer than a sheet's 1,048,575 data rows
continues on ``<name> (2)``, ``<name> (3)``, … and the Summary says so.

Speed: xlsxwriter writes each sheet's structure and styles; the data rows are generated column-wise with numpy
as the same cell XML and streamed into the package in chunks (see :func:`write_workbook`), so 100,000 customers
take seconds and memory stays bounded by a chunk.
"""
from __future__ import annotations

import dataclasses
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import xlsxwriter

from core import categories, i18n, pipeline
from core.errors import InputError
from core.formatting import NO_CURRENCY, currency_after, format_number
from core.orders import kpis
from core.profiles import SKIP_AFTER_DAYS, recommendations, segment_profiles
from core.settings import Settings
from core.stats import TestResult, results_frame

EXCEL_MAX_ROWS = 1_048_576
MAX_DATA_ROWS = EXCEL_MAX_ROWS - 1          # one row is the header
EXCEL_MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767
MAX_SHEET_NAME = 31

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_ILLEGAL_RE2 = r"[\x{00}-\x{08}\x{0B}\x{0C}\x{0E}-\x{1F}\x{7F}-\x{9F}\x{FFFE}\x{FFFF}]"  # same, for Arrow
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = re.compile("^[\t\n\x0b\x0c\r \xa0]*[=+\\-@]")   # also used as an RE2 pattern
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_DAY_US = 86_400 * 1_000_000
_EXCEL_ESCAPE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")  # Excel reads these as escapes: escape their _
_ZIP_LEVEL = 3   # deflate: 12.7 MB in ~2.5 s CPU for 100k customers (level 6: 10.9 MB, ~3.2 s; 1: 14.1 MB, ~2.1 s)

# Known customer columns: catalogue key of the header shown in the workbook and kind (see number_formats).
CUSTOMER_COLUMNS: dict[str, tuple[str, str]] = {
    "customer_id": ("export.col.customer", "text"),
    "segment": ("common.segment", "text"),
    "RFM": ("export.col.rfm", "text"),
    "R": ("export.col.r", "int"),
    "F": ("export.col.f", "int"),
    "M": ("export.col.m", "int"),
    "recency_days": ("export.col.recency_days", "int"),
    "frequency": ("common.orders", "int"),
    "monetary": ("export.col.spend", "money"),
    "aov": ("common.average_order", "money"),
    "first_purchase": ("export.col.first_purchase", "datetime"),
    "last_purchase": ("export.col.last_purchase", "datetime"),
    "tenure_days": ("export.col.tenure_days", "int"),
    "lifecycle": ("export.col.lifecycle", "text"),
    "dominant_category": ("export.col.main_category", "text"),
}
EXTRA_COLUMNS: dict[str, tuple[str, str]] = {
    "cluster": ("export.col.cluster", "int"),
    "cluster_name": ("export.col.cluster_name", "text"),
    "p_alive": ("export.col.p_alive", "percent"),
    "p_alive_note": ("export.col.p_alive_note", "text"),
    "expected_orders": ("export.col.expected_orders", "number"),
    "expected_aov": ("export.col.expected_aov", "money"),
    "clv": ("export.col.clv", "money"),
}
NAME_COLUMNS = ("segment", "lifecycle", "dominant_category", "category", "category_1", "category_2", "category_3")
"""Columns holding segment, group or category names, shown with their display names (``segment_name``)."""
_WIDTHS = {"int": 10, "number": 12, "money": 14, "percent": 9, "datetime": 17, "date": 11, "bool": 8,
           "general": 12}


def number_formats(lang: str = "en", currency: str = "") -> dict[str, str]:
    """Excel number format per column kind (int, number, money, percent, datetime, date, general, text, bool).

    ``currency``: the sign money cells carry (``"₽"``, ``"£"``, ``"$"``, ``"€"``), after the amount for ₽ and in
    Russian, before it otherwise (as :func:`core.formatting.format_money`); ``""`` or ``"none"``: plain numbers.
    Dates are ``dd.mm.yyyy`` in Russian and ``yyyy-mm-dd`` otherwise. The ``,`` and ``.`` of a format code are
    placeholders: Excel shows the reader's own thousands and decimal separators."""
    money = "#,##0.00"
    if currency and currency != NO_CURRENCY:
        sign = '"' + currency.replace('"', "") + '"'
        money = f"{money} {sign}" if currency_after(currency, lang) else f"{sign}{money}"
    date = "dd.mm.yyyy" if lang == "ru" else "yyyy-mm-dd"
    return {"int": "#,##0", "number": "#,##0.00", "money": money, "percent": "0.0%", "datetime": f"{date} hh:mm",
            "date": date, "general": "General", "text": "General", "bool": "General"}


@dataclass(frozen=True)
class Column:
    """One column of a sheet: source column, header and kind (text, int, number, money, percent, datetime,
    date, bool, general)."""

    name: str
    header: str
    kind: str


@dataclass(frozen=True)
class WorkbookInfo:
    """What :func:`write_workbook` wrote: sheet names in order and data rows per table (before splitting)."""

    sheets: tuple[str, ...]
    rows: dict[str, int]


# ----------------------------------------------------------------------------------------------------------------
# Text safety


def clean_text(value: object) -> str:
    """``value`` as text a spreadsheet can hold: XML-illegal characters removed, CR -> LF, at most 32,767 UTF-16
    code units (Excel's cell limit; a character outside the BMP, such as an emoji, takes two)."""
    text = str(value)
    text = _ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _cut(text)


def _cut(text: str) -> str:
    if len(text) <= MAX_CELL_CHARS // 2:
        return text
    units = text.encode("utf-16-le")[:2 * MAX_CELL_CHARS]
    return units.decode("utf-16-le", errors="ignore")


def is_formula_like(text: str) -> bool:
    """True for text a spreadsheet could read as a formula: ``=``, ``+``, ``-`` or ``@`` first (after spaces)."""
    return bool(_FORMULA_START.match(text))


def _text_array(series: pd.Series) -> pa.Array:
    """Text values cleaned for a cell as an Arrow string array (null for missing), vectorised in Arrow."""
    array = None
    try:
        array = pa.array(series, from_pandas=True)
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
            array = None
    except (pa.ArrowException, UnicodeEncodeError, TypeError, ValueError):
        array = None
    if array is None:                                   # mixed objects, numbers kept as text, lone surrogates
        missing = series.isna().to_numpy()
        values = [None if m else _ILLEGAL.sub("", str(v)) for v, m in zip(series.astype(object), missing)]
        array = pa.array(values, type=pa.string())
    array = array.cast(pa.string()) if pa.types.is_large_string(array.type) else array
    array = pc.replace_substring(pc.replace_substring(array, "\r\n", "\n"), "\r", "\n")
    array = pc.replace_substring_regex(array, _ILLEGAL_RE2, "")
    if pc.any(pc.greater(pc.utf8_length(array), MAX_CELL_CHARS // 2)).as_py():   # rare: cut in Python
        array = pa.array([None if v is None else _cut(v) for v in array.to_pylist()], type=pa.string())
    return array


def _clean_series(series: pd.Series) -> list:
    """Text values cleaned for a cell (None for missing)."""
    return _text_array(series).to_pylist()


# ----------------------------------------------------------------------------------------------------------------
# Tables behind the sheets (pure, also used by the CSV and the tests)


def customers_table(analysis: pipeline.Analysis, extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per customer (sorted by id): the known columns of :data:`CUSTOMER_COLUMNS` that exist, then the
    columns of ``extra`` (indexed by customer_id, or with a customer_id column) that are not already there.
    Customers missing from ``extra`` get empty values there."""
    scored = analysis.segmentation.customers
    frame = scored[[c for c in CUSTOMER_COLUMNS if c in scored.columns]].sort_values("customer_id", kind="stable")
    frame = frame.reset_index(drop=True)
    if extra is not None and len(extra.columns):
        extra = extra.set_index("customer_id") if "customer_id" in extra.columns else extra
        extra = extra.loc[~extra.index.duplicated(), [c for c in extra.columns if c not in frame.columns]]
        if len(extra.columns):
            joined = extra.reindex(frame["customer_id"].to_numpy())
            frame = pd.concat([frame, joined.reset_index(drop=True)], axis=1)
    if len(frame.columns) > EXCEL_MAX_COLUMNS:
        raise InputError(f"too many customer columns for Excel: {len(frame.columns)} (at most {EXCEL_MAX_COLUMNS})")
    return frame


def segments_table(analysis: pipeline.Analysis, templates: dict[str, str] | None = None,
                   lang: str = "en", skip_after_days: int = SKIP_AFTER_DAYS,
                   skip_overrides: dict[str, str] | None = None) -> pd.DataFrame:
    """Per segment present (map order): rule, profile (:func:`core.profiles.segment_profiles`) and the mailing
    recommendation (:func:`core.profiles.recommendations`); ``skip`` is the code ``"skip"`` or ``"mail"``.

    ``lang``: the language of the recommendation, reason, send_months, weekday, peak_months and peak_weekday
    texts; ``segment`` and the category columns keep the names inside (see :data:`NAME_COLUMNS`)."""
    profiles = segment_profiles(analysis.lines, analysis.segmentation.customers)
    advice = recommendations(profiles, templates, skip_after_days, lang, skip_overrides)
    rules = {r.name: _rule_text(r) for r in analysis.segmentation.segment_map}
    table = profiles.assign(rule=profiles["segment"].astype(str).map(rules).fillna(""),
                            peak_months=profiles["peak_months"].map(lambda text: i18n.translate_months(text, lang)),
                            peak_weekday=profiles["peak_weekday"].map(lambda day: i18n.translate_weekday(day, lang)))
    table = table.merge(advice.drop(columns=["categories"]), on="segment", how="left")
    table["skip"] = np.where(table["skip"].astype(bool), "skip", "mail")
    return table


def categories_table(analysis: pipeline.Analysis) -> pd.DataFrame:
    """Per category: rows, orders, customers, revenue, revenue_share (:func:`core.categories.category_summary`)."""
    return categories.category_summary(analysis.lines).reset_index()


def tests_table(tests: Sequence[TestResult] | pd.DataFrame | None) -> pd.DataFrame | None:
    """A results frame (:func:`core.stats.results_frame`) from test results, or ``None`` when there are none."""
    if tests is None:
        return None
    frame = tests if isinstance(tests, pd.DataFrame) else results_frame(list(tests))
    return frame if len(frame) else None


def quality_table(analysis: pipeline.Analysis, lang: str = "en") -> pd.DataFrame:
    """Row accounting: all input lines, then each drop reason and the kept lines, with their share of the input
    (0..1). Columns reason (the code), description (in ``lang``, the catalogue's ``clean.<reason>``), rows,
    share."""
    report = analysis.prepared.report
    table = report.table()
    table["description"] = [i18n.t(f"clean.{reason}", lang) for reason in table["reason"]]
    total = pd.DataFrame({"reason": ["input"], "description": [i18n.t("export.quality_input", lang)],
                          "rows": [report.input_rows], "share": [1.0 if report.input_rows else 0.0]})
    return pd.concat([total, table], ignore_index=True)


def settings_rows(settings: Settings) -> pd.DataFrame:
    """Every settings field as (setting, value) text rows: nested fields dotted, list items numbered from 1."""
    rows: list[tuple[str, str]] = []

    def walk(value: object, path: str) -> None:
        if isinstance(value, dict) and value:
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key))
        elif isinstance(value, (list, tuple)) and value:
            for i, item in enumerate(value, start=1):
                rows.append((f"{path}[{i}]", item if isinstance(item, str) else json.dumps(item, ensure_ascii=False)))
        else:
            rows.append((path, value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)))

    walk(dataclasses.asdict(settings), "")
    return pd.DataFrame(rows, columns=["setting", "value"])


SETTINGS_JSON_ROW = "settings.json"
"""``setting`` of the Settings sheet's rows holding the settings file: ``settings.json``, then ``settings.json (2)``,
… when it needs more than one cell; their values joined in order are the JSON that the app's settings upload and
``python -m core export --settings`` read."""
_JSON_CELL_CHARS = MAX_CELL_CHARS // 2      # a character may take two of a cell's UTF-16 units


def settings_table(settings: Settings, analysis: pipeline.Analysis) -> pd.DataFrame:
    """The Settings sheet: the settings in force (:func:`settings_for_download`: rules, segment map and language
    written out) as :func:`settings_rows`, then the same settings as one-line JSON in :data:`SETTINGS_JSON_ROW`
    rows of at most 16,383 characters each. What a cell would change is written as a JSON escape (characters a
    cell cannot hold, and the ``_`` of ``_xHHHH_``, which spreadsheet readers may take for an escape of their
    own), so the joined cells read back as the same settings."""
    saved = settings_for_download(settings, analysis)
    text = json.dumps(dataclasses.asdict(saved), ensure_ascii=False, separators=(",", ":"))
    text = _ILLEGAL.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
    text = _EXCEL_ESCAPE.sub(lambda found: "\\u005f" + found.group()[1:], text)
    parts = [text[start:start + _JSON_CELL_CHARS] for start in range(0, len(text), _JSON_CELL_CHARS)]
    names = [SETTINGS_JSON_ROW if i == 1 else f"{SETTINGS_JSON_ROW} ({i})" for i in range(1, len(parts) + 1)]
    return pd.concat([settings_rows(saved), pd.DataFrame({"setting": names, "value": parts})], ignore_index=True)


def settings_for_download(settings: Settings, analysis: pipeline.Analysis) -> Settings:
    """The settings with the rules, segment map and language in force written out, so the file documents them
    and restores the same analysis even if the defaults change. Mapping overrides and the analysis date stay as
    they are (empty = automatic), so a newer export of the same shop is read the same way."""
    return dataclasses.replace(settings, rules=tuple(analysis.rules),
                               segment_map=tuple(analysis.segmentation.segment_map),
                               language=settings.language or pipeline.effective_language(settings, analysis.lines))


def settings_json(settings: Settings) -> bytes:
    """The settings file (UTF-8 JSON, every field) that the app and ``python -m core --settings`` read back."""
    return settings.to_json().encode("utf-8")


def customers_csv(table: pd.DataFrame, excel_safe: bool = True, lang: str = "en") -> bytes:
    """The customers table as CSV in UTF-8 with a BOM (Excel then reads Cyrillic right). Control characters are
    removed; with ``excel_safe`` text that starts with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe so
    that Excel does not run it as a formula (OWASP advice for CSV; the workbook needs no such change, its text
    cells are never formulas).

    ``lang`` "en" (default): column names as in :func:`customers_table`, ``,`` between fields, ``.`` decimals,
    dates ``2020-01-31 10:00:00``. "ru": the workbook's Russian headers and segment display names, and what a
    Russian Excel opens by double-click: ``;`` between fields, ``,`` decimals, dates ``31.01.2020 10:00:00``
    (never thousands separators, so the numbers stay numbers)."""
    out = _named(table.copy(), lang)
    for column in out.columns:
        series = out[column]
        if _kind_of(series) == "datetime":
            out[column] = _naive(series)
        elif _kind_of(series) == "text":
            text = _text_array(series)
            if excel_safe:
                risky = pc.match_substring_regex(text, _FORMULA_START.pattern)
                text = pc.if_else(risky, pc.binary_join_element_wise("'", text, ""), text)
            out[column] = pd.Series(text.to_numpy(zero_copy_only=False), index=out.index, dtype=object)
    if lang == "ru":
        out.columns = [column.header for column in _customer_columns(table, lang)]
        return out.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n",
                          date_format="%d.%m.%Y %H:%M:%S").encode("utf-8-sig")
    return out.to_csv(index=False, lineterminator="\r\n", date_format="%Y-%m-%d %H:%M:%S").encode("utf-8-sig")


# ----------------------------------------------------------------------------------------------------------------
# The workbook


def workbook_bytes(analysis: pipeline.Analysis, settings: Settings, **options) -> bytes:
    """The workbook as bytes; keyword options as :func:`write_workbook` (tests, extra, mailing_segments,
    max_rows, progress, lang, currency)."""
    buffer = io.BytesIO()
    write_workbook(buffer, analysis, settings, **options)
    return buffer.getvalue()


def write_workbook(target, analysis: pipeline.Analysis, settings: Settings, *,
                   tests: Sequence[TestResult] | pd.DataFrame | None = None, extra: pd.DataFrame | None = None,
                   mailing_segments: Iterable[str] = (), max_rows: int = MAX_DATA_ROWS,
                   progress=None, lang: str = "en", currency: str = "") -> WorkbookInfo:
    """Write the workbook to ``target`` (a path or a writable binary file object).

    tests: results of the Tests page (a list of TestResult or a results frame); the Tests sheet is left out
    without them. extra: per-customer columns (cluster, CLV, ...) indexed by customer_id or with that column.
    mailing_segments: segment names that get their own sheet with their customers (unknown or empty ones are
    skipped; names inside, e.g. ``Champions``, whose sheet is "Mail Champions" or "Рассылка Чемпионы"). max_rows:
    data rows per sheet before a table continues on the next sheet (Excel's limit unless a test injects a small
    one). progress: optional callable(message) told what is being written, in ``lang``. lang: "en" (default) or
    "ru", the language of every text the workbook adds (see the module docstring). currency: the sign of the
    money formats (``"₽"``, ``"£"``, ``"$"``, ``"€"``; ``""`` or ``"none"``: none; an automatic choice is the
    caller's, see :func:`core.formatting.currency_for`), see :func:`number_formats`.

    How: xlsxwriter writes every sheet's structure (column widths and formats, frozen header, autofilter, the
    header row and one prototype row of empty cells carrying each column's style); the data rows are then
    generated column-wise with numpy into the same cell XML (inline strings, numbers, booleans) and streamed into
    the zip in chunks, in place of the prototype row. Per-cell Python calls made xlsxwriter alone take ~16 s
    CPU for 100,000 customers; this takes a fraction of that and never holds more than a chunk of XML.
    """
    if max_rows < 1:
        raise ValueError("max_rows must be at least 1")
    say = progress or (lambda message: None)
    say(i18n.t("export.step_prepare", lang))
    test_frame = tests_table(tests)
    sections = _sections(analysis, settings, test_frame, extra, mailing_segments, lang)

    structure = io.BytesIO()
    book = xlsxwriter.Workbook(structure, {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False, "remove_timezone": True})
    book.set_properties({"title": i18n.t("export.book_title", lang),
                         "subject": clean_text(i18n.t("export.subject", lang, file=analysis.intake.raw.file_name)),
                         "comments": i18n.t("export.comments", lang)})
    formats = _formats(book, number_formats(lang, currency))
    names = _SheetNames()
    summary_sheet = book.add_worksheet(names.take(i18n.t("export.sheet.summary", lang)))
    written: list[str] = [summary_sheet.name]
    splits: dict[str, list[str]] = {}
    plans: list[_SheetPlan] = []
    for title, frame, columns in sections:
        parts = max(1, math.ceil(len(frame) / max_rows))
        widths = [_width(column, frame[column.name]) for column in columns]
        splits[title] = []
        for part in range(parts):
            start, stop = part * max_rows, min(len(frame), (part + 1) * max_rows)
            sheet = book.add_worksheet(names.take(title, part + 1))
            _sheet_structure(sheet, formats, columns, widths, stop - start)
            plans.append(_SheetPlan(len(written) + 1, sheet.name, frame, columns, start, stop))
            splits[title].append(sheet.name)
            written.append(sheet.name)
    _write_summary(summary_sheet, formats, analysis, splits, test_frame is not None, lang)
    book.close()
    _stream_rows(structure, target, plans, lambda plan: say(i18n.t(
        "export.step_write", lang, sheet=plan.name, rows=format_number(plan.stop - plan.start, lang=lang))))
    return WorkbookInfo(sheets=tuple(written), rows={title: len(frame) for title, frame, _ in sections})


def _sections(analysis: pipeline.Analysis, settings: Settings, test_frame: pd.DataFrame | None,
              extra: pd.DataFrame | None, mailing_segments: Iterable[str],
              lang: str) -> list[tuple[str, pd.DataFrame, list[Column]]]:
    """(sheet title, table as shown, columns) of every table sheet, in workbook order, in ``lang``."""
    def t(key: str, **params) -> str:
        return i18n.t(key, lang, **params)

    customers = customers_table(analysis, extra)
    shown, columns = _named(customers, lang), _customer_columns(customers, lang)
    sections = [(t("export.sheet.customers"), shown, columns)]
    segment = customers["segment"].astype(str) if "segment" in customers else pd.Series(dtype=str)
    for name in dict.fromkeys(str(s) for s in mailing_segments):
        members = (segment == name).to_numpy()
        if members.any():
            sections.append((t("export.sheet.mail", segment=i18n.segment_name(name, lang)),
                             shown[members].reset_index(drop=True), columns))
    segments = segments_table(analysis, settings.templates, lang, settings.skip_after_days, settings.skip_overrides)
    segments["skip"] = segments["skip"].map({"mail": t("export.verdict_mail"), "skip": t("export.verdict_skip")})
    sections.append((t("export.sheet.segments"), _named(segments, lang), _columns(_SEGMENT_COLUMNS, lang)))
    sections.append((t("export.sheet.categories"), _named(categories_table(analysis), lang),
                     _columns(_CATEGORY_COLUMNS, lang)))
    rules = categories.rules_to_frame(analysis.rules)
    sections.append((t("export.sheet.rules"), rules.assign(priority=np.arange(1, len(rules) + 1)),
                     _columns(_RULE_COLUMNS, lang)))
    if test_frame is not None:
        sections.append((t("export.sheet.tests"), _magnitudes(test_frame, lang), _test_columns(test_frame, lang)))
    sections.append((t("export.sheet.quality"), quality_table(analysis, lang), _columns(_QUALITY_COLUMNS, lang)))
    sections.append((t("export.sheet.settings"), settings_table(settings, analysis), _columns(_SETTINGS_COLUMNS,
                                                                                             lang)))
    return sections


def _named(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` with the built-in segment, group and category names of its :data:`NAME_COLUMNS` shown in
    ``lang`` (``core.i18n.segment_name``; one look-up per distinct value, so 100,000 rows cost nothing);
    English frames come back as they are."""
    if lang == i18n.DEFAULT_LANGUAGE:
        return frame
    shown = {}
    for column in NAME_COLUMNS:
        if column in frame.columns and _kind_of(frame[column]) == "text":
            codes, values = pd.factorize(frame[column])
            names = np.array([i18n.segment_name(value, lang) for value in values] + [None], dtype=object)
            shown[column] = names[codes]                                  # code -1 (missing) -> the last: None
    return frame.assign(**shown) if shown else frame


def magnitude_text(size: str, lang: str = "en") -> str:
    """An effect magnitude of ``core.stats`` (``negligible``, ``small``, ``medium``, ``large``, ``unknown``) in
    ``lang``; other text comes back as it is."""
    return i18n.t(f"tests.magnitude.{size}", lang) if i18n.has(f"tests.magnitude.{size}") else str(size)


def _magnitudes(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A results frame with its effect magnitudes in ``lang``."""
    if lang == i18n.DEFAULT_LANGUAGE or "magnitude" not in frame.columns:
        return frame
    return frame.assign(magnitude=[magnitude_text(size, lang) for size in frame["magnitude"]])


@dataclass(frozen=True)
class _SheetPlan:
    """Rows ``start:stop`` of ``frame`` go to worksheet number ``number`` (1-based, xlsxwriter's sheetN.xml)."""

    number: int
    name: str
    frame: pd.DataFrame
    columns: list[Column]
    start: int
    stop: int


class _SheetNames:
    """Valid, unique (case-insensitively, as Excel wants) sheet names of at most 31 characters."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, title: str, part: int = 1) -> str:
        base = _SHEET_FORBIDDEN.sub("_", clean_text(title).replace("\n", " ")).strip().strip("'") or "Sheet"
        suffix = f" ({part})" if part > 1 else ""
        candidate, n = base[:MAX_SHEET_NAME - len(suffix)] + suffix, 1
        while candidate.lower() in self.used:
            n += 1
            extra = f"{suffix} ~{n}"
            candidate = base[:MAX_SHEET_NAME - len(extra)] + extra
        self.used.add(candidate.lower())
        return candidate


def _formats(book, specs: dict[str, str]) -> dict:
    formats = {kind: book.add_format({"num_format": spec, "valign": "top"}) for kind, spec in specs.items()}
    formats["text"] = book.add_format({"valign": "top"})
    formats["header"] = book.add_format({"bold": True, "bg_color": "#DCE6F1", "bottom": 1, "valign": "top",
                                         "text_wrap": True})
    formats["title"] = book.add_format({"bold": True, "font_size": 14})
    formats["label"] = book.add_format({"bold": True, "valign": "top"})
    formats["note"] = book.add_format({"italic": True, "font_color": "#595959"})
    return formats


def _sheet_structure(sheet, formats: dict, columns: list[Column], widths: list[float], rows: int) -> None:
    """Widths, frozen header, autofilter over all rows, header row and the prototype row of styled blanks."""
    last = len(columns) - 1
    for c, column in enumerate(columns):
        sheet.set_column(c, c, widths[c], formats[column.kind])
        sheet.write_string(0, c, clean_text(column.header), formats["header"])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(rows, 1), last)
    sheet.ignore_errors({"number_stored_as_text": f"A1:{xlsxwriter.utility.xl_col_to_name(last)}{rows + 1}"})
    if rows:
        for c, column in enumerate(columns):
            sheet.write_blank(1, c, None, formats[column.kind])


_ROW2 = re.compile(r'<row r="2"[^>]*>(.*?)</row>', re.S)
_PROTO_CELL = re.compile(r'<c r="([A-Z]+)2"(?: s="(\d+)")?')
_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')
_CHUNK_ROWS = 20_000


def _stream_rows(structure: io.BytesIO, target, plans: list[_SheetPlan], say) -> None:
    """Copy the xlsxwriter package to ``target``, putting the data rows in place of each prototype row;
    ``say(plan)`` is called before each sheet's rows."""
    by_path = {f"xl/worksheets/sheet{plan.number}.xml": plan for plan in plans}
    with zipfile.ZipFile(structure) as source, \
            zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=_ZIP_LEVEL) as out:
        for info in source.infolist():
            plan = by_path.get(info.filename)
            if plan is None or plan.stop == plan.start:
                out.writestr(info, source.read(info.filename))
                continue
            say(plan)
            xml = source.read(info.filename).decode("utf-8")
            proto = _ROW2.search(xml)
            if proto is None:
                raise RuntimeError(f"no prototype row in {info.filename} ({plan.name})")
            styles = dict(_PROTO_CELL.findall(proto.group(1)))
            last = xlsxwriter.utility.xl_col_to_name(len(plan.columns) - 1)
            head = _DIMENSION.sub(f'<dimension ref="A1:{last}{plan.stop - plan.start + 1}"/>', xml[:proto.start()],
                                  count=1)
            with out.open(info.filename, "w", force_zip64=True) as stream:   # the archive's compression level
                stream.write(head.encode("utf-8"))
                for begin in range(plan.start, plan.stop, _CHUNK_ROWS):
                    end = min(begin + _CHUNK_ROWS, plan.stop)
                    stream.write(_rows_xml(plan, styles, begin, end))
                stream.write(xml[proto.end():].encode("utf-8"))


def _rows_xml(plan: _SheetPlan, styles: dict[str, str], begin: int, end: int) -> bytes:
    """UTF-8 ``<row>`` elements for rows ``begin:end`` of the plan's frame, built column-wise in Arrow."""
    first = begin - plan.start + 2                       # sheet row number of ``begin`` (row 1 is the header)
    numbers = pc.cast(pa.array(np.arange(first, first + end - begin)), pa.string())
    parts: list = ['<row r="', numbers, '">']
    for c, column in enumerate(plan.columns):
        letter = xlsxwriter.utility.xl_col_to_name(c)
        style = f' s="{styles[letter]}"' if styles.get(letter) else ""
        inner, kind_attr = _cell_values(plan.frame[column.name].iloc[begin:end], column.kind)
        # a null inner value makes the whole cell null, and a null cell is left out of its row
        parts.append(pc.binary_join_element_wise(f'<c r="{letter}', numbers, f'"{style}{kind_attr}>', inner, "</c>",
                                                 ""))
    parts.append("</row>")
    rows = pc.binary_join_element_wise(*parts, "", null_handling="replace", null_replacement="")
    return _joined_bytes(rows)


def _joined_bytes(array: pa.Array) -> bytes:
    """All values of a string array, concatenated (straight from its data buffer)."""
    array = array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array
    if not len(array):
        return b""
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)[array.offset:array.offset + len(array) + 1]
    return array.buffers()[2].to_pybytes()[offsets[0]:offsets[-1]]


def _cell_values(series: pd.Series, kind: str) -> tuple[pa.Array, str]:
    """Inner XML of each cell (Arrow strings, null for an empty cell) and the cell's type attribute."""
    if kind == "text":
        text = _text_array(series)
        for raw, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")):
            text = pc.replace_substring(text, raw, entity)
        text = pc.replace_substring_regex(text, _EXCEL_ESCAPE.pattern, r"_x005F\1")
        return pc.binary_join_element_wise('<is><t xml:space="preserve">', text, "</t></is>", ""), ' t="inlineStr"'
    if kind == "bool":
        flags = pa.array(series.astype("boolean").to_numpy(dtype=object, na_value=None), type=pa.bool_())
        return pc.if_else(flags, "<v>1</v>", "<v>0</v>"), ' t="b"'
    numbers = _numbers(series, kind)
    values = pc.cast(pa.array(numbers, mask=~np.isfinite(numbers)), pa.string())
    return pc.binary_join_element_wise("<v>", values, "</v>", ""), ""


def _numbers(series: pd.Series, kind: str) -> np.ndarray:
    """Float values of a numeric or date column (dates as Excel serial days); NaN where empty."""
    if kind in ("datetime", "date"):
        naive = _naive(series)
        micros = (naive - _EXCEL_EPOCH).to_numpy(dtype="timedelta64[us]").astype("float64")
        numbers = micros / _DAY_US
        numbers[pd.isna(naive).to_numpy()] = np.nan
        return numbers
    return pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _naive(series: pd.Series) -> pd.Series:
    """Datetimes without timezone (the local wall time is kept), as datetime64."""
    dates = pd.to_datetime(series, errors="coerce")
    if getattr(dates.dt, "tz", None) is not None:
        dates = dates.dt.tz_localize(None)
    return dates


def _width(column: Column, series: pd.Series) -> float:
    header = min(len(column.header), 40) + 2
    if column.kind != "text":
        return max(header, _WIDTHS.get(column.kind, 12))
    sample = [v for v in _clean_series(series.iloc[:2000]) if v is not None]
    longest = max((max(map(len, v.split("\n"))) for v in sample), default=0)
    return max(header, min(longest + 2, 60), 8)


def _kind_of(series: pd.Series) -> str:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return "datetime"
    return "text"


def _customer_columns(frame: pd.DataFrame, lang: str) -> list[Column]:
    """Columns of a customers table: the known ones with their headers in ``lang``, others named after the column
    (``tenure_band`` -> "Tenure band") with the kind of their dtype."""
    known = {**CUSTOMER_COLUMNS, **EXTRA_COLUMNS}
    columns = []
    for name in frame.columns:
        key, kind = known.get(name, (None, _kind_of(frame[name])))
        if _kind_of(frame[name]) == "text" and kind != "text":   # a known name holding text: keep the text
            kind = "text"
        columns.append(Column(name, i18n.t(key, lang) if key else _pretty(name), kind))
    return columns


def _pretty(name: object) -> str:
    return str(name).replace("_", " ").capitalize()


def _columns(specs: Sequence[tuple[str, str, str]], lang: str) -> list[Column]:
    """Columns from (source column, catalogue key of the header, kind) specs, headers in ``lang``."""
    return [Column(name, i18n.t(key, lang), kind) for name, key, kind in specs]


_SEGMENT_COLUMNS = [
    ("segment", "common.segment", "text"), ("rule", "export.col.rule", "text"),
    ("customers", "common.customers", "int"), ("share_customers", "export.col.share_customers", "percent"),
    ("revenue", "common.revenue", "money"), ("share_revenue", "export.col.share_revenue", "percent"),
    ("aov", "common.average_order", "money"), ("mean_orders", "export.col.mean_orders", "number"),
    ("median_recency_days", "export.col.median_recency_days", "int"),
    ("repeat_share", "export.col.repeat_share", "percent"),
    ("category_1", "export.col.category_1", "text"), ("category_1_share", "export.col.category_1_share", "percent"),
    ("category_2", "export.col.category_2", "text"), ("category_2_share", "export.col.category_2_share", "percent"),
    ("category_3", "export.col.category_3", "text"), ("category_3_share", "export.col.category_3_share", "percent"),
    ("peak_months", "profiles.busiest_months", "text"), ("peak_weekday", "profiles.busiest_weekday", "text"),
    ("send_months", "profiles.send_in", "text"), ("skip", "export.col.skip", "text"),
    ("recommendation", "profiles.recommendation", "text"), ("reason", "profiles.why", "text"),
]
_CATEGORY_COLUMNS = [
    ("category", "common.category", "text"), ("rows", "common.lines", "int"), ("orders", "common.orders", "int"),
    ("customers", "common.customers", "int"), ("revenue", "common.revenue", "money"),
    ("revenue_share", "export.col.share_revenue", "percent"),
]
_RULE_COLUMNS = [
    ("priority", "categories.priority", "int"), ("keyword", "categories.keyword", "text"),
    ("category", "common.category", "text"), ("mode", "categories.match", "text"),
    ("enabled", "export.col.enabled", "bool"),
]
_QUALITY_COLUMNS = [
    ("description", "common.lines", "text"), ("reason", "export.col.reason_code", "text"),
    ("rows", "export.col.count", "int"), ("share", "export.col.share_of_file", "percent"),
]
_SETTINGS_COLUMNS = [("setting", "export.col.setting", "text"), ("value", "export.col.value", "text")]
_TEST_COLUMNS = {"question": ("tests.col.Question", "text"), "test": ("tests.col.Test", "text"),
                 "h0": ("export.col.h0", "text"), "h1": ("export.col.h1", "text"),
                 "groups": ("tests.col.Groups", "text"), "n_per_group": ("export.col.n_per_group", "text"),
                 "centers": ("export.col.centers", "text"), "statistic": ("tests.col.Statistic", "number"),
                 "p_value": ("tests.p_value", "general"), "p_adjusted": ("export.col.p_adjusted", "general"),
                 "effect_size": ("tests.col.Effect size", "text"), "effect": ("tests.col.Effect", "number"),
                 "effect_ci_low": ("export.col.effect_ci_low", "number"),
                 "effect_ci_high": ("export.col.effect_ci_high", "number"),
                 "magnitude": ("tests.col.Magnitude", "text"), "verdict": ("tests.col.Verdict", "text"),
                 "warnings": ("tests.col.Warnings", "text"), "alpha": ("export.col.alpha", "general")}
"""Columns of ``core.stats.results_frame``: catalogue key of the header and kind."""


def _test_columns(frame: pd.DataFrame, lang: str) -> list[Column]:
    return [Column(name, i18n.t(_TEST_COLUMNS[name][0], lang), _TEST_COLUMNS[name][1]) if name in _TEST_COLUMNS
            else Column(name, _pretty(name), "text") for name in frame.columns]


def _rule_text(rule) -> str:
    def span(letter: str, low, high) -> str:
        return f"{letter} {low}" if low == high else f"{letter} {low}–{high}"
    parts = [span("R", rule.r_min, rule.r_max), span("F", rule.f_min, rule.f_max)]
    if rule.m_min is not None or rule.m_max is not None:
        parts.append(span("M", rule.m_min if rule.m_min is not None else "1", rule.m_max if rule.m_max is not None
                          else "max"))
    return ", ".join(parts)


def _write_summary(sheet, formats: dict, analysis: pipeline.Analysis, splits: dict[str, list[str]],
                   has_tests: bool, lang: str) -> None:
    prepared, segmentation = analysis.prepared, analysis.segmentation
    figures = kpis(prepared.orders, prepared.customers)
    report = prepared.report
    cover = categories.coverage(analysis.lines)
    repeat = float((segmentation.customers["frequency"] >= 2).mean()) if len(segmentation.customers) else 0.0
    tests_included = (i18n.t("export.summary.tests_yes", lang) if has_tests
                      else i18n.t("export.summary.tests_no", lang))
    rows: list[tuple[str, object, str]] = [
        ("home.file", analysis.intake.raw.file_name, "text"),
        ("export.col.first_purchase", figures["first_date"], "datetime"),
        ("export.col.last_purchase", figures["last_date"], "datetime"),
        ("export.summary.analysis_date", segmentation.analysis_date, "date"),
        ("common.customers", figures["customers"], "int"),
        ("common.orders", figures["orders"], "int"),
        ("common.revenue", figures["revenue"], "money"),
        ("common.average_order", figures["aov"], "money"),
        ("export.col.repeat_share", repeat, "percent"),
        ("export.summary.segments", int(segmentation.customers["segment"].nunique()), "int"),
        ("export.summary.categorised", cover["coverage_revenue"], "percent"),
        ("export.quality_input", report.input_rows, "int"),
        ("export.summary.kept", report.kept_rows, "int"),
        ("export.summary.dropped", report.input_rows - report.kept_rows, "int"),
        ("export.summary.filled", report.filled_from_order, "int"),
        ("export.summary.tests", tests_included, "text"),
        ("export.summary.created", datetime.now().replace(microsecond=0), "datetime"),
    ]
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 40)
    sheet.write_string(0, 0, i18n.t("export.book_title", lang), formats["title"])
    for i, (label, value, kind) in enumerate(rows, start=2):
        sheet.write_string(i, 0, i18n.t(label, lang), formats["label"])
        if kind == "text":
            sheet.write_string(i, 1, clean_text(value), formats["text"])
        elif kind in ("datetime", "date"):
            serial = _numbers(pd.Series([value]), kind)[0] if value is not None else math.nan
            if math.isfinite(serial):
                sheet.write_number(i, 1, serial, formats[kind])
        else:
            sheet.write_number(i, 1, float(value), formats[kind])
    every_sheet = ", ".join(name for sheets in splits.values() for name in sheets)
    notes = [i18n.t("export.note.sheets", lang, sheets=every_sheet)]
    for title, sheets in splits.items():
        if len(sheets) > 1:
            notes.append(i18n.t("export.note.continues", lang, sheet=title, sheets=", ".join(sheets[1:])))
    notes.append(i18n.t("export.note.text", lang))
    for j, note in enumerate(notes, start=len(rows) + 3):
        sheet.write_string(j, 0, clean_text(note), formats["note"])
