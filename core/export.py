"""Exports of one analysis: the Excel workbook, the customers CSV and the settings JSON.

Workbook sheets (in this order): Summary (KPIs, period, analysis date), Customers (one row per customer, optional
extra per-customer columns such as cluster or CLV), one mailing list per chosen segment ("Mail <segment>"),
Segments (profiles, rule and recommendation), Categories (coverage per category), Category rules, Tests (only
when results are given), Data quality (row accounting) and Settings (every choice, one row per field).

Every table has a bold frozen header, an autofilter, column widths and number, date and currency formats.

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

from core import categories, pipeline
from core.errors import InputError
from core.orders import kpis
from core.profiles import recommendations, segment_profiles
from core.settings import Settings
from core.stats import TestResult, results_frame

EXCEL_MAX_ROWS = 1_048_576
MAX_DATA_ROWS = EXCEL_MAX_ROWS - 1          # one row is the header
EXCEL_MAX_COLUMNS = 16_384
MAX_CELL_CHARS = 32_767
MAX_SHEET_NAME = 31
MAIL_PREFIX = "Mail "

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_ILLEGAL_RE2 = r"[\x{00}-\x{08}\x{0B}\x{0C}\x{0E}-\x{1F}\x{7F}-\x{9F}\x{FFFE}\x{FFFF}]"  # same, for Arrow
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_FORMULA_START = re.compile("^[\t\n\x0b\x0c\r \xa0]*[=+\\-@]")   # also used as an RE2 pattern
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_DAY_US = 86_400 * 1_000_000
_EXCEL_ESCAPE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")  # Excel reads these as escapes: escape their _
_ZIP_LEVEL = 3   # deflate: 12.7 MB in ~2.5 s CPU for 100k customers (level 6: 10.9 MB, ~3.2 s; 1: 14.1 MB, ~2.1 s)

# Known customer columns: header shown in the workbook and kind (see _FORMATS).
CUSTOMER_COLUMNS: dict[str, tuple[str, str]] = {
    "customer_id": ("Customer", "text"),
    "segment": ("Segment", "text"),
    "RFM": ("RFM code", "text"),
    "R": ("R score", "int"),
    "F": ("F score", "int"),
    "M": ("M score", "int"),
    "recency_days": ("Days since last purchase", "int"),
    "frequency": ("Orders", "int"),
    "monetary": ("Spend", "money"),
    "aov": ("Average order", "money"),
    "first_purchase": ("First purchase", "datetime"),
    "last_purchase": ("Last purchase", "datetime"),
    "tenure_days": ("Days since first purchase", "int"),
    "lifecycle": ("Single or repeat", "text"),
    "dominant_category": ("Main category", "text"),
}
EXTRA_COLUMNS: dict[str, tuple[str, str]] = {
    "cluster": ("Cluster", "int"),
    "cluster_name": ("Cluster name", "text"),
    "p_alive": ("P(alive)", "percent"),
    "p_alive_note": ("P(alive) note", "text"),
    "expected_orders": ("Expected orders", "number"),
    "expected_aov": ("Expected average order", "money"),
    "clv": ("CLV", "money"),
}
_FORMATS = {"int": "#,##0", "number": "#,##0.00", "money": "#,##0.00", "percent": "0.0%",
            "datetime": "yyyy-mm-dd hh:mm", "date": "yyyy-mm-dd", "general": "General", "text": "General",
            "bool": "General"}
_WIDTHS = {"int": 10, "number": 12, "money": 14, "percent": 9, "datetime": 17, "date": 11, "bool": 8,
           "general": 12}


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


def segments_table(analysis: pipeline.Analysis, templates: dict[str, str] | None = None) -> pd.DataFrame:
    """Per segment present (map order): rule, profile (:func:`core.profiles.segment_profiles`) and the mailing
    recommendation (:func:`core.profiles.recommendations`)."""
    profiles = segment_profiles(analysis.lines, analysis.segmentation.customers)
    advice = recommendations(profiles, templates)
    rules = {r.name: _rule_text(r) for r in analysis.segmentation.segment_map}
    table = profiles.assign(rule=profiles["segment"].astype(str).map(rules).fillna(""))
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


def quality_table(analysis: pipeline.Analysis) -> pd.DataFrame:
    """Row accounting: all input lines, then each drop reason and the kept lines, with their share of the input."""
    report = analysis.prepared.report
    table = report.table()
    total = pd.DataFrame({"reason": ["input"], "description": ["Lines in the file"], "rows": [report.input_rows],
                          "share": [1.0 if report.input_rows else 0.0]})
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


def customers_csv(table: pd.DataFrame, excel_safe: bool = True) -> bytes:
    """The customers table as CSV in UTF-8 with a BOM (Excel then reads Cyrillic right); column names as in
    :func:`customers_table`. Control characters are removed; with ``excel_safe`` text that starts with ``=``,
    ``+``, ``-`` or ``@`` gets a leading apostrophe so that Excel does not run it as a formula (OWASP advice
    for CSV; the workbook needs no such change, its text cells are never formulas)."""
    out = table.copy()
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
    return out.to_csv(index=False, lineterminator="\r\n", date_format="%Y-%m-%d %H:%M:%S").encode("utf-8-sig")


# ----------------------------------------------------------------------------------------------------------------
# The workbook


def workbook_bytes(analysis: pipeline.Analysis, settings: Settings, **options) -> bytes:
    """The workbook as bytes; keyword options as :func:`write_workbook`."""
    buffer = io.BytesIO()
    write_workbook(buffer, analysis, settings, **options)
    return buffer.getvalue()


def write_workbook(target, analysis: pipeline.Analysis, settings: Settings, *,
                   tests: Sequence[TestResult] | pd.DataFrame | None = None, extra: pd.DataFrame | None = None,
                   mailing_segments: Iterable[str] = (), max_rows: int = MAX_DATA_ROWS,
                   progress=None) -> WorkbookInfo:
    """Write the workbook to ``target`` (a path or a writable binary file object).

    tests: results of the Tests page (a list of TestResult or a results frame); the Tests sheet is left out
    without them. extra: per-customer columns (cluster, CLV, ...) indexed by customer_id or with that column.
    mailing_segments: segment names that get their own sheet with their customers (unknown or empty ones are
    skipped). max_rows: data rows per sheet before a table continues on the next sheet (Excel's limit unless a
    test injects a small one). progress: optional callable(message) told what is being written.

    How: xlsxwriter writes every sheet's structure (column widths and formats, frozen header, autofilter, the
    header row and one prototype row of empty cells carrying each column's style); the data rows are then
    generated column-wise with numpy into the same cell XML (inline strings, numbers, booleans) and streamed into
    the zip in chunks, in place of the prototype row. Per-cell Python calls made xlsxwriter alone take ~16 s
    CPU for 100,000 customers; this takes a fraction of that and never holds more than a chunk of XML.
    """
    if max_rows < 1:
        raise ValueError("max_rows must be at least 1")
    say = progress or (lambda message: None)
    say("Preparing the tables")
    sections = _sections(analysis, settings, tests, extra, mailing_segments)
    has_tests = any(title == "Tests" for title, _, _ in sections)

    structure = io.BytesIO()
    book = xlsxwriter.Workbook(structure, {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False, "remove_timezone": True})
    book.set_properties({"title": "Customer segments",
                         "subject": clean_text(f"RFM segments of {analysis.intake.raw.file_name}"),
                         "comments": "Text cells are never formulas; see the Summary sheet."})
    formats = _formats(book)
    names = _SheetNames()
    summary_sheet = book.add_worksheet(names.take("Summary"))
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
    _write_summary(summary_sheet, formats, analysis, splits, has_tests)
    book.close()
    _stream_rows(structure, target, plans, say)
    return WorkbookInfo(sheets=tuple(written), rows={title: len(frame) for title, frame, _ in sections})


def _sections(analysis: pipeline.Analysis, settings: Settings, tests, extra: pd.DataFrame | None,
              mailing_segments: Iterable[str]) -> list[tuple[str, pd.DataFrame, list[Column]]]:
    """(sheet title, table, columns) of every table sheet, in workbook order."""
    customers = customers_table(analysis, extra)
    sections = [("Customers", customers, _customer_columns(customers))]
    segment = customers["segment"].astype(str) if "segment" in customers else pd.Series(dtype=str)
    for name in dict.fromkeys(str(s) for s in mailing_segments):
        members = customers[segment == name].reset_index(drop=True)
        if len(members):
            sections.append((MAIL_PREFIX + name, members, _customer_columns(members)))
    sections.append(("Segments", segments_table(analysis, settings.templates), _SEGMENT_COLUMNS))
    sections.append(("Categories", categories_table(analysis), _CATEGORY_COLUMNS))
    rules = categories.rules_to_frame(analysis.rules)
    sections.append(("Category rules", rules.assign(priority=np.arange(1, len(rules) + 1)), _RULE_COLUMNS))
    test_frame = tests_table(tests)
    if test_frame is not None:
        sections.append(("Tests", test_frame, _test_columns(test_frame)))
    sections.append(("Data quality", quality_table(analysis), _QUALITY_COLUMNS))
    sections.append(("Settings", settings_rows(settings), _SETTINGS_COLUMNS))
    return sections


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


def _formats(book) -> dict:
    formats = {kind: book.add_format({"num_format": spec, "valign": "top"}) for kind, spec in _FORMATS.items()}
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
    """Copy the xlsxwriter package to ``target``, putting the data rows in place of each prototype row."""
    by_path = {f"xl/worksheets/sheet{plan.number}.xml": plan for plan in plans}
    with zipfile.ZipFile(structure) as source, \
            zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=_ZIP_LEVEL) as out:
        for info in source.infolist():
            plan = by_path.get(info.filename)
            if plan is None or plan.stop == plan.start:
                out.writestr(info, source.read(info.filename))
                continue
            say(f"Writing {plan.name} ({plan.stop - plan.start:,} rows)")
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


def _customer_columns(frame: pd.DataFrame) -> list[Column]:
    known = {**CUSTOMER_COLUMNS, **EXTRA_COLUMNS}
    columns = []
    for name in frame.columns:
        header, kind = known.get(name, (str(name).replace("_", " ").capitalize(), _kind_of(frame[name])))
        if _kind_of(frame[name]) == "text" and kind != "text":   # a known name holding text: keep the text
            kind = "text"
        columns.append(Column(name, header, kind))
    return columns


_SEGMENT_COLUMNS = [
    Column("segment", "Segment", "text"), Column("rule", "Rule (scores)", "text"),
    Column("customers", "Customers", "int"), Column("share_customers", "Share of customers", "percent"),
    Column("revenue", "Revenue", "money"), Column("share_revenue", "Share of revenue", "percent"),
    Column("aov", "Average order", "money"), Column("mean_orders", "Orders per customer", "number"),
    Column("median_recency_days", "Median days since last purchase", "int"),
    Column("repeat_share", "Repeat customers", "percent"),
    Column("category_1", "Top category", "text"), Column("category_1_share", "Top category share", "percent"),
    Column("category_2", "2nd category", "text"), Column("category_2_share", "2nd category share", "percent"),
    Column("category_3", "3rd category", "text"), Column("category_3_share", "3rd category share", "percent"),
    Column("peak_months", "Busiest months", "text"), Column("peak_weekday", "Busiest weekday", "text"),
    Column("send_months", "Send in", "text"), Column("skip", "Mail or skip", "text"),
    Column("recommendation", "Recommendation", "text"), Column("reason", "Why", "text"),
]
_CATEGORY_COLUMNS = [
    Column("category", "Category", "text"), Column("rows", "Lines", "int"), Column("orders", "Orders", "int"),
    Column("customers", "Customers", "int"), Column("revenue", "Revenue", "money"),
    Column("revenue_share", "Share of revenue", "percent"),
]
_RULE_COLUMNS = [
    Column("priority", "Priority", "int"), Column("keyword", "Keyword", "text"), Column("category", "Category", "text"),
    Column("mode", "Match", "text"), Column("enabled", "Enabled", "bool"),
]
_QUALITY_COLUMNS = [
    Column("description", "Lines", "text"), Column("reason", "Reason code", "text"), Column("rows", "Count", "int"),
    Column("share", "Share of the file", "percent"),
]
_SETTINGS_COLUMNS = [Column("setting", "Setting", "text"), Column("value", "Value", "text")]
_TEST_KINDS = {"statistic": ("Statistic", "number"), "p_value": ("p-value", "general"),
               "p_adjusted": ("Adjusted p-value", "general"), "effect": ("Effect", "number"),
               "effect_ci_low": ("Effect CI low", "number"), "effect_ci_high": ("Effect CI high", "number"),
               "alpha": ("α", "general")}


def _test_columns(frame: pd.DataFrame) -> list[Column]:
    return [Column(name, *_TEST_KINDS.get(name, (str(name).replace("_", " ").capitalize(), "text")))
            for name in frame.columns]


def _rule_text(rule) -> str:
    def span(letter: str, low, high) -> str:
        return f"{letter} {low}" if low == high else f"{letter} {low}–{high}"
    parts = [span("R", rule.r_min, rule.r_max), span("F", rule.f_min, rule.f_max)]
    if rule.m_min is not None or rule.m_max is not None:
        parts.append(span("M", rule.m_min if rule.m_min is not None else "1", rule.m_max if rule.m_max is not None
                          else "max"))
    return ", ".join(parts)


def _write_summary(sheet, formats: dict, analysis: pipeline.Analysis, splits: dict[str, list[str]],
                   has_tests: bool) -> None:
    prepared, segmentation = analysis.prepared, analysis.segmentation
    figures = kpis(prepared.orders, prepared.customers)
    report = prepared.report
    cover = categories.coverage(analysis.lines)
    repeat = float((segmentation.customers["frequency"] >= 2).mean()) if len(segmentation.customers) else 0.0
    rows: list[tuple[str, object, str]] = [
        ("File", analysis.intake.raw.file_name, "text"),
        ("First purchase", figures["first_date"], "datetime"),
        ("Last purchase", figures["last_date"], "datetime"),
        ("Analysis date (recency counted to)", segmentation.analysis_date, "date"),
        ("Customers", figures["customers"], "int"),
        ("Orders", figures["orders"], "int"),
        ("Revenue", figures["revenue"], "money"),
        ("Average order", figures["aov"], "money"),
        ("Repeat customers", repeat, "percent"),
        ("Segments with customers", int(segmentation.customers["segment"].nunique()), "int"),
        ("Revenue in a category (not Other)", cover["coverage_revenue"], "percent"),
        ("Lines in the file", report.input_rows, "int"),
        ("Lines kept for analysis", report.kept_rows, "int"),
        ("Lines dropped", report.input_rows - report.kept_rows, "int"),
        ("Lines that took customer or date from their order", report.filled_from_order, "int"),
        ("Hypothesis tests included", "yes" if has_tests else "no (run them on the Tests page)", "text"),
        ("Created", datetime.now().replace(microsecond=0), "datetime"),
    ]
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 1, 40)
    sheet.write_string(0, 0, "Customer segments", formats["title"])
    for i, (label, value, kind) in enumerate(rows, start=2):
        sheet.write_string(i, 0, label, formats["label"])
        if kind == "text":
            sheet.write_string(i, 1, clean_text(value), formats["text"])
        elif kind in ("datetime", "date"):
            serial = _numbers(pd.Series([value]), kind)[0] if value is not None else math.nan
            if math.isfinite(serial):
                sheet.write_number(i, 1, serial, formats[kind])
        else:
            sheet.write_number(i, 1, float(value), formats[kind])
    notes = ["Sheets: " + ", ".join(name for sheets in splits.values() for name in sheets) + "."]
    for title, sheets in splits.items():
        if len(sheets) > 1:
            notes.append(f"{title} has more rows than one Excel sheet holds; it continues on "
                         f"{', '.join(sheets[1:])}.")
    notes.append("Text is stored as text: names starting with =, +, - or @ are never run as formulas.")
    for j, note in enumerate(notes, start=len(rows) + 3):
        sheet.write_string(j, 0, clean_text(note), formats["note"])
