"""Read an uploaded order export (CSV or Excel bytes), map its columns and convert it to the canonical order table.

Flow: ``read_table`` (bytes -> all-text ``RawTable``) -> ``resolve_mapping`` (auto-detected columns + user
overrides) -> ``to_canonical`` (typed frame, same rows in the same order; the cleaning step drops and counts).

Decision rules, always taken per column from its distinct values, never per row:

* Numbers (``parse_numbers``): currency marks (₽ руб. р. $ £ € ¥ and their ISO codes) and spaces of any kind
  (thousands separators: space, NBSP, narrow NBSP, thin space, apostrophe) are removed. A separator is a thousands
  separator when it splits groups of three digits after a 1-3 digit lead (``1,234,567``, ``1.234,5``). A single
  group (``1,234`` or ``1.234``) is ambiguous; it follows the column's decimal mark, which is the comma when more
  distinct values show an unambiguous decimal comma (``12,50``, ``0,125``, ``1.234,56``, ``1.234.567``) than an
  unambiguous decimal dot (``12.5``, ``1,234.56``, ``1,234,567``), else the dot. So ``1,234`` alone reads as
  1234 and ``1.234`` alone as 1.234. Anything else that is not a number becomes NaN; ``inf`` and ``1e309`` stay inf.
* Dates (``parse_dates``): each distinct value is matched against the formats ISO ``YYYY-MM-DD[ HH:MM[:SS[.f]]]``
  (also with ``T``, ``/`` or ``.``), ``dd.mm.yyyy[ HH:MM[:SS]]``, slashed ``a/b/yyyy[ H:MM[:SS]][ AM/PM]``, compact
  ``YYYYMMDD[HH[MM[SS]]]`` and Excel serial days (5 digits, years 1990-2100). A trailing time-zone (``Z``, ``UTC``,
  ``+0300``, ``+03:00``) is dropped, keeping the local wall-clock time. Formats with separators describe themselves,
  so every such value is parsed; bare numbers (compact or serial) are parsed only when their format is the column's
  majority by rows, otherwise they become NaT, except Excel serials in a workbook (a date cell that lost its date
  format is a number there), which are always parsed. Slashed dates are day-first when any first part is above 12,
  month-first when any second part is above 12 (the side with more rows wins if both), else month-first (UCI data).
  Two-digit years mean 20yy. Years outside 1900-2100 and impossible dates (31.02) become NaT.
* Ids (``normalize_ids``): stripped, empty -> NA, and so are the placeholders databases and pandas write for a
  missing value (``nan``, ``NULL``, ``None``, ``N/A``, ``#N/A``, ``<NA>``, any case; see ``ID_PLACEHOLDERS``); when
  every id in the column looks like an integer, the float spelling ``17850.0`` becomes ``17850``; other ids
  (``00123``, ``C489434``) are kept as written.
* Misaligned lines (CSV): a line with values beyond the header's last column (an unquoted delimiter inside a
  value, e.g. ``Mug, blue`` or ``$1,234.50`` in a comma-separated file) cannot be read reliably; its row positions
  are kept in ``RawTable.misaligned`` and cleaning drops it under its own reason.
* Encodings (``read_table``): a BOM, else UTF-8 when the whole file is (checked by the Arrow reader as it parses);
  a UTF-8 file with a few lines in another encoding (at most 1 % of the lines, or 5) is still read as UTF-8, those
  lines keep U+FFFD for the bytes that are not UTF-8 and a note names them; otherwise the most natural-looking of
  the Windows code pages and UTF-8 with U+FFFD (cp1251 read from UTF-8 Cyrillic looks unnatural: "Р°С‚").

Storage: the raw cells stay dictionary-encoded (each distinct text once); conversions run once per distinct text,
and the sorted codes of the id and text columns go on to cleaning and the order tables (``core.codes``).
* Column names (``auto_map``): compared casefolded with letters and digits only, also without a unit or currency
  at the end (``Цена, руб.``, ``Price (USD)``, ``Qty, шт``).
"""
from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import re
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from charset_normalizer import from_bytes

from core.codes import remember, taken_codes
from core.errors import InputError
from core.i18n import Message

FIELDS = ("date", "customer_id", "order_id", "product", "quantity", "price", "country", "product_code", "status")
REQUIRED_FIELDS = ("date", "customer_id", "order_id", "product", "quantity", "price")

STR_DTYPE = pd.StringDtype("pyarrow", na_value=np.nan)  # pandas' default "str" dtype
DATETIME_DTYPE = "datetime64[us]"  # the unit pandas 3 gives parsed text

_ZIP_MAGIC = b"PK\x03\x04"
PARQUET_MAGIC = b"PAR1"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other old Office files)
_BOMS = (  # UTF-32 LE before UTF-16 LE: its BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_SAMPLE_BYTES = 1 << 16
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}  # catalogue errors.io.delimiter.*
_SNIFF_RECORDS = 50
_SEP_LINE = re.compile(rb"\A[sS][eE][pP]=([,;\t|])[,;\t| ]*(?:\r\n|\r|\n|\Z)")  # Excel's "sep=;" first line
_LEGACY_ENCODINGS = ("cp1251", "cp1252")  # Russian and Western Windows code pages, tried before other guesses
_CP1251_MOJIBAKE = re.compile(  # UTF-8 Cyrillic read as cp1251: "Р°" (а), "С‚" (т), "Рѕ" (о), ...
    "[РС][" + re.escape(bytes(range(0x80, 0xC0)).decode("cp1251", errors="ignore")) + "]"
)
_MAX_CONTROL_SHARE = 0.01  # more control characters than this in the decoded text means binary content
_MAX_LISTED_COLUMNS = 40
_MAX_LISTED_LINES = 10
_BLOCK_BYTES = 4 << 20  # bytes per block of the Arrow CSV reader (fewer chunks to combine than its default 1 MiB)
_THREADS = 2  # column conversions run side by side
_DICTIONARY = pa.dictionary(pa.int32(), pa.large_string())  # how the raw cells are kept
_STRAY_LINES, _STRAY_SHARE = 5, 0.01  # lines not UTF-8 that a UTF-8 file may have (the larger of the two)
_WIDENINGS = 8  # times the C reader re-reads a file whose rows past the sample are wider than the sample's
_WIDER_ROW = re.compile(r"Expected \d+ fields in line \d+, saw (\d+)")
_HEADER_SEARCH_ROWS = 20  # data rows searched for column names when the first line has none (title lines)

_SYNONYMS = {  # normalized source names (see _normalized_name) in priority order
    "date": (
        "date", "orderdate", "invoicedate", "createdat", "purchasedate", "transactiondate", "saledate",
        "orderdatetime", "datetime", "timestamp", "orderedat", "purchasedat",
        "дата", "датазаказа", "датапокупки", "датапродажи", "датаоформления", "датаивремя", "времязаказа",
    ),
    "customer_id": (
        "customerid", "customer", "clientid", "client", "userid", "buyerid", "buyer", "customeremail", "email",
        "emailaddress", "billingemail", "idклиента", "кодклиента", "idпокупателя", "кодпокупателя", "покупатель",
        "клиент", "почта", "электроннаяпочта", "phone", "телефон", "фио",
    ),
    "order_id": (
        "orderid", "order", "ordernumber", "orderno", "invoiceno", "invoice", "invoiceid", "invoicenumber",
        "transactionid", "idзаказа", "номерзаказа", "заказ", "заказа", "кодзаказа", "номерчека", "чек",
    ),
    "product": (
        "product", "productname", "item", "itemname", "lineitemname", "description", "productdescription",
        "itemdescription", "title", "producttitle",
        "товар", "наименование", "наименованиетовара", "названиетовара", "название", "продукт", "номенклатура",
    ),
    "quantity": ("quantity", "qty", "lineitemquantity", "units", "количество", "колво", "кол"),
    "price": (
        "price", "unitprice", "lineitemprice", "itemprice", "priceperunit", "saleprice", "sellingprice",
        "цена", "ценазаединицу", "ценазашт", "ценапродажи",
    ),
    "country": ("country", "billingcountry", "shippingcountry", "customercountry", "страна"),
    "product_code": (
        "productcode", "stockcode", "sku", "lineitemsku", "itemcode", "productid", "itemid", "article",
        "articlenumber", "артикул", "кодтовара",
    ),
    "status": (  # an order's state; cancelled or refunded orders are dropped by cleaning (core.clean)
        "status", "orderstatus", "financialstatus", "paymentstatus", "статус", "статусзаказа", "статусоплаты",
    ),
}
_SHOPIFY_ORDER_NAME = "name"  # Shopify's order number column ("#1001"); only trusted next to "Lineitem ..." columns
_UNIT_SUFFIX = re.compile(  # a unit or currency closing a header: "Цена, руб.", "Price (USD)", "Qty, шт", "Сумма ₽"
    r"(?:[\s,;/]+|\s*[(\[]\s*|\s+in\s+)"
    r"(?:руб(?:лей|ля|ль)?\.?|р\.|₽|rub|rur|usd|eur|gbp|[$£€¥]|шт\.?|pcs\.?|units?)\s*[)\]]?\s*$"
)

_NUMBER_JUNK = r"(?i)руб\.?|р\.|rub|usd|eur|gbp|[₽$£€¥]|[\s\x{00a0}\x{2007}\x{2009}\x{202f}']"
_COMMA_GROUPED = r"^[+-]?[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?$"
_DOT_GROUPED = r"^[+-]?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?$"
_COMMA_SINGLE_GROUP = r"^[+-]?[1-9]\d{0,2},\d{3}$"
_DOT_SINGLE_GROUP = r"^[+-]?[1-9]\d{0,2}\.\d{3}$"
_COMMA_DECIMAL = r"^[+-]?\d*,\d+$"
_DOT_DECIMAL = r"^[+-]?\d*\.\d+$"
_PLAIN_NUMBER = r"(?i)^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$|^[+-]?(?:inf|infinity|nan)$"

_TIME = (
    r"(?:[ T]+(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,9}))?)?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?)?"
)
_DATE_FORMATS = {
    "iso": rf"^(?P<year>\d{{4}})[-/.](?P<month>\d{{1,2}})[-/.](?P<day>\d{{1,2}}){_TIME}$",
    "dotted": rf"^(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.(?P<year>\d{{4}}|\d{{2}}){_TIME}$",
    "slash": rf"^(?P<first>\d{{1,2}})[/-](?P<second_part>\d{{1,2}})[/-](?P<year>\d{{4}}|\d{{2}}){_TIME}$",
    "compact": (
        r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})"
        r"(?:(?P<hour>\d{2})(?:(?P<minute>\d{2})(?P<second>\d{2})?)?)?(?:\.0+)?$"
    ),
    "serial": r"^\d{5}(?:\.\d+)?$",
}
_SELF_DESCRIBING_DATE_FORMATS = ("iso", "dotted", "slash")
_TIME_ZONE_SUFFIX = (
    r"^(.*?\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?:Z|UTC|GMT)?\s*(?:[+-]\d{2}:?\d{2}|[+-]\d{2})?$"
)
_EXCEL_EPOCH = np.datetime64("1899-12-30", "s")
_EXCEL_SERIAL_RANGE = (32874, 73051)  # 1990-01-01 up to (not including) 2100-01-01
_YEAR_RANGE = (1900, 2100)


@dataclass(frozen=True)
class RawTable:
    """An uploaded table as text, before any column mapping or typing.

    The cells are kept dictionary-encoded (each distinct text once, an int32 code per row: a third of the memory
    of plain text for an order export, whose ids, names and dates repeat); :attr:`frame` gives them as text.
    """

    cells: pa.Table  # every source column (unique names) as one dictionary<int32, large_string> array; null = empty
    file_name: str
    format: str  # "csv", "xlsx" or "parquet"
    encoding: str | None  # codec name ("utf-8", "utf-8-sig", "utf-16", "cp1251", ...); None for xlsx
    delimiter: str | None  # one of , ; \t | ; None for xlsx
    sheet: str | None  # sheet read (xlsx), None for csv
    sheets: tuple[str, ...]  # all sheet names (xlsx), () for csv
    header: tuple[str, ...]  # original header cells (stripped) in order, duplicates included
    notes: tuple[Message, ...] = ()  # how the file was read, for the user: lines not UTF-8, empty sheets skipped
    # data rows (0-based) with values past the header's last column (CSV); cleaning drops them
    misaligned: np.ndarray = dataclasses.field(default_factory=lambda: np.empty(0, np.int64))

    @property
    def columns(self) -> list[str]:
        """The column names (unique: empty header cells are "column N", repeats get " (2)", ...)."""
        return self.cells.column_names

    @property
    def rows(self) -> int:
        return self.cells.num_rows

    @property
    def frame(self) -> pd.DataFrame:
        """Every column as text (str dtype, missing = NaN), built anew on each call (the cells are what is kept)."""
        return self.head(self.rows)

    def head(self, rows: int) -> pd.DataFrame:
        """The first ``rows`` rows as text, like :attr:`frame`."""
        return pd.DataFrame({name: _str_series(_decoded(self.cells.column(name).chunk(0)[:rows]))
                             for name in self.columns}, columns=self.columns)


def read_table(data: bytes, file_name: str, sheet: str | None = None) -> RawTable:
    """Read CSV, XLSX or Parquet bytes into a RawTable; raises InputError for empty, binary or unreadable files.

    Zip content (xlsx, even when named .csv) is read as Excel, Parquet content as Parquet (every column as text),
    anything else as delimited text.
    ``sheet`` picks an Excel sheet (default: the first that holds a table, i.e. two rows and two columns with
    values, so a cover or empty first sheet is skipped with a note); it is ignored for CSV.
    Fully empty rows are skipped, like blank lines, and so are trailing columns with no header and no values.
    An Excel ``sep=;`` first line sets the delimiter and is skipped.
    """
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(data, file_name, sheet)
    if data.startswith(PARQUET_MAGIC):
        return _read_parquet(data, file_name)
    if data.startswith(_OLE_MAGIC):
        raise InputError(Message("errors.io.old_xls", file=file_name))
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise InputError(Message("errors.io.not_xlsx", file=file_name))
    return _read_csv(data, file_name)


def auto_map(columns: Sequence[str]) -> dict[str, str]:
    """Field -> source column for the fields recognised by name (case, space, underscore and dash insensitive, with
    or without a unit or currency at the end: ``Цена, руб.`` is the price, ``Price total`` is not).

    Each source column is used for at most one field; among several candidates the best-known name wins,
    then the leftmost column. Shopify's ``Name`` counts as the order id only next to ``Lineitem ...`` columns.
    """
    names = [_loose_names(column) for column in columns]
    synonyms = dict(_SYNONYMS)
    if any(name.startswith("lineitem") for loose in names for name in loose):
        synonyms["order_id"] = (_SHOPIFY_ORDER_NAME, *synonyms["order_id"])
    mapping: dict[str, str] = {}
    used: set[int] = set()
    for field in FIELDS:
        position = next(
            (
                index
                for synonym in synonyms[field]
                for index, loose in enumerate(names)
                if synonym in loose and index not in used
            ),
            None,
        )
        if position is not None:
            mapping[field] = columns[position]
            used.add(position)
    return mapping


def resolve_mapping(raw: RawTable, overrides: Mapping[str, str | None] | None = None,
                    typed: Collection[str] = ()) -> dict[str, str]:
    """Field -> column of raw: auto_map, then the user's overrides (an override wins; "" or None unmaps).

    Override columns match exactly, else by the same loose name comparison as auto_map; ``Amount (1)`` names the
    first of several ``Amount`` columns (the others are ``Amount (2)``, ...). ``typed``: the fields whose override a
    person typed (the command line's ``--map``) rather than picked from the column list (the app): a typed header
    that is itself ambiguous is refused like an automatic choice. Raises InputError for an unknown field, a column
    not in the file, missing required fields, or an automatic or typed required field whose header appears more
    than once with different values (identical duplicate columns are accepted).
    """
    columns = raw.columns
    mapping = auto_map(columns)
    picked = set()
    for field, column in (overrides or {}).items():
        if field not in FIELDS:
            raise _unknown_field(field)
        if column is None or not str(column).strip():
            mapping.pop(field, None)
            continue
        mapping[field] = _find_column(str(column), raw, field)
        header = raw.header[columns.index(mapping[field])]
        if field not in typed or _normalized_name(column) != _normalized_name(header):
            picked.add(field)        # picked from the list, or typed unambiguously ("Amount (2)", "Amount (1)")
    missing = [field for field in REQUIRED_FIELDS if field not in mapping]
    if missing:
        raise _missing_fields(raw, columns, missing)
    for field in REQUIRED_FIELDS:
        if field not in picked:
            _reject_ambiguous_duplicate(raw, field, mapping[field])
    return mapping


def to_canonical(raw: RawTable, mapping: Mapping[str, str]) -> pd.DataFrame:
    """The typed order table: mapped fields in FIELDS order, exactly raw's rows in the same order.

    date: datetime64[us], naive, NaT where unparseable; customer_id, order_id, product_code: str ids (NA where
    empty); product, country, status: stripped str (NA where empty); quantity, price: float64 (NaN where not a number,
    inf kept); plus ``misaligned`` (bool) when some CSV lines have values past the header (``RawTable.misaligned``).
    Raises InputError for an unknown field or a column not in raw. Each column is converted once per
    distinct text; the sorted codes of the text columns are handed on (``core.codes.remember``), so cleaning does
    not hash the text again.
    """
    for field, column in mapping.items():
        if field not in FIELDS:
            raise _unknown_field(field)
        if column not in raw.columns:
            raise _column_not_in_file(column, field, raw.columns)
    encoded = {field: raw.cells.column(mapping[field]).chunk(0) for field in FIELDS if field in mapping}
    with ThreadPoolExecutor(max_workers=_THREADS) as pool:  # Arrow and numpy release the GIL
        converted = dict(zip(encoded, pool.map(lambda field: _convert(field, encoded[field], raw.format), encoded)))
    canonical = pd.DataFrame({field: values for field, (values, _) in converted.items()}, copy=False)
    for field, (_, codes) in converted.items():
        if codes is not None:
            remember(canonical[field], *codes)
    if len(raw.misaligned):
        misaligned = np.zeros(raw.rows, dtype=bool)
        misaligned[raw.misaligned] = True
        canonical[MISALIGNED] = misaligned
    return canonical


def _convert(field: str, encoded: pa.DictionaryArray, file_format: str) -> tuple[object, tuple | None]:
    """One mapped column converted for its field, and its sorted codes (text fields; None for the others)."""
    if field == "date":
        return _dates(encoded, excel_serials=file_format == "xlsx"), None
    if field in ("quantity", "price"):
        return _numbers(encoded), None
    text, codes = _texts(encoded, ids=field in _ID_FIELDS)
    return _str_series(text), codes


def parse_dates(values: pd.Series, excel_serials: bool = False) -> pd.Series:
    """Dates and times as naive datetime64[us] (NaT where unparseable); formats decided per column (module doc).

    Datetime input is returned as naive wall-clock time; any other dtype is read as text. ``excel_serials``: parse
    Excel serial days (1990-2100) even when they are a minority of the column (a workbook's number cells).
    """
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        wall_clock = values.dt.tz_localize(None) if values.dt.tz is not None else values
        return wall_clock.astype(DATETIME_DTYPE)
    return pd.Series(_dates(_encoded(values), excel_serials), index=values.index, name=values.name, copy=False)


def parse_numbers(values: pd.Series) -> pd.Series:
    """Numbers as float64: NaN where not a number, inf kept; decimal comma and thousands rules in the module doc."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("float64")
    return pd.Series(_numbers(_encoded(values)), index=values.index, name=values.name, copy=False)


def normalize_ids(values: pd.Series) -> pd.Series:
    """Ids as stripped str (NA where empty); ``17850.0`` -> ``17850`` when the whole column is integer-like."""
    return _str_series(_texts(_encoded(values), ids=True)[0], values)


def _dates(encoded: pa.DictionaryArray, excel_serials: bool) -> np.ndarray:
    """datetime64[us] per row of dictionary-encoded text (each distinct text parsed once)."""
    distinct = pc.replace_substring_regex(pc.utf8_trim_whitespace(encoded.dictionary), _TIME_ZONE_SUFFIX, r"\1")
    codes = pc.fill_null(encoded.indices, -1).to_numpy()
    rows_per_value = np.bincount(codes[codes >= 0], minlength=len(distinct))
    parsed = np.append(_parse_distinct_dates(distinct, rows_per_value, excel_serials), np.datetime64("NaT", "us"))
    return parsed[codes]


def _numbers(encoded: pa.DictionaryArray) -> np.ndarray:
    """float64 per row of dictionary-encoded text: plain numbers when every distinct text is one (``142.0``),
    else numbers as people write them (module doc)."""
    try:
        distinct = pc.cast(encoded.dictionary, pa.float64())
    except pa.ArrowInvalid:
        distinct = _parse_written_numbers(encoded.dictionary)
    return pc.take(distinct, encoded.indices).to_numpy(zero_copy_only=False)


def _texts(encoded: pa.DictionaryArray, ids: bool) -> tuple[pa.Array, tuple[np.ndarray, pd.Index]]:
    """Text per row of dictionary-encoded text, stripped, empty -> null; for ``ids`` also ``17850.0`` -> ``17850``
    when every distinct id is integer-like. Returns it with its sorted codes (``core.codes.sorted_codes``)."""
    distinct = encoded.dictionary
    trimmed = pc.utf8_trim_whitespace(distinct)
    if pc.any(pc.not_equal(pc.binary_length(trimmed), pc.binary_length(distinct))).as_py():
        distinct = trimmed
    distinct = _blank_to_null(distinct)
    if ids:
        placeholder = pc.is_in(pc.utf8_lower(distinct), value_set=pa.array(ID_PLACEHOLDERS, pa.large_string()))
        if pc.any(placeholder).as_py():
            distinct = pc.if_else(placeholder, pa.scalar(None, distinct.type), distinct)
    if ids and pc.any(pc.match_substring(distinct, ".")).as_py() and pc.all(
            pc.match_substring_regex(distinct, r"^[+-]?\d+(?:\.0+)?$")).as_py():
        distinct = pc.replace_substring_regex(distinct, r"\.0+$", "")
    # cleaning can make texts equal ("a" and " a") or empty; otherwise they are still the distinct texts
    values = pc.dictionary_encode(distinct) if distinct is not encoded.dictionary else pa.DictionaryArray.from_arrays(
        pa.array(np.arange(len(distinct), dtype=np.int32)), distinct)
    names = pd.Index(_str_series(values.dictionary))
    order = names.argsort()
    rank = np.full(len(order) + 1, -1, dtype=np.int64)  # the last slot: null, code -1
    rank[order] = np.arange(len(order))
    per_text = np.append(rank[pc.fill_null(values.indices, -1).to_numpy()], -1)  # the last slot: null rows
    rows = pc.fill_null(encoded.indices, len(per_text) - 1).to_numpy()
    return pc.take(distinct, encoded.indices), taken_codes(per_text, names.take(order), rows)


def _encoded(values: pd.Series) -> pa.DictionaryArray:
    return pc.dictionary_encode(_arrow_text(values))


_ID_FIELDS = ("customer_id", "order_id", "product_code")
ID_PLACEHOLDERS = ("nan", "-nan", "nat", "null", "none", "n/a", "na", "#n/a", "#na", "<na>", "#n/a n/a")  # casefolded
MISALIGNED = "misaligned"  # canonical column (bool) present when some CSV lines have values past the header


# --- reading ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DelimitedText:
    """A text file as the CSV reader sees it, before parsing (see :func:`read_text`)."""

    utf8: bytes  # the text as UTF-8, without BOM and without an Excel "sep=" line
    encoding: str  # the codec it was written in
    delimiter: str | None  # None when the text has no record (blank)
    widest_row: int  # fields in the widest sampled record or the first line, whichever is more
    notes: tuple[Message, ...]  # e.g. the lines that are not UTF-8 in a UTF-8 file
    checked: bool = True  # False: UTF-8 judged from the start of the file only (see read_text)
    header_width: int | None = None  # fields in the header record (quotes respected); None when the sample cuts it


def read_text(data: bytes, file_name: str, check_all: bool = True) -> DelimitedText:
    """Decode delimited text and find its delimiter, as :func:`read_table` does for CSV (encodings in the module
    doc; delimiter: an Excel ``sep=`` line, else the one of , ; tab | that splits the first records most
    consistently). ``check_all=False``: a file whose start is UTF-8 is taken as UTF-8 without checking the rest
    (for a reader that checks it as it goes). Raises InputError for binary content or a mix of encodings that
    cannot be decoded."""
    encoding, stray = _detect_encoding(data, file_name, check_all)
    utf8 = _as_utf8(data, encoding, file_name, replace=bool(stray))
    declared = _SEP_LINE.match(utf8)
    if declared:  # Excel's "sep=;" line names the delimiter and is not part of the table
        utf8 = utf8[declared.end() :]
    sample = codecs.getincrementaldecoder("utf-8")().decode(utf8[:_SAMPLE_BYTES], final=len(utf8) <= _SAMPLE_BYTES)
    records = _sample_records(sample, complete=len(utf8) <= _SAMPLE_BYTES)
    notes = (_stray_lines_note(file_name, stray, utf8.count(b"\n") + (not utf8.endswith(b"\n"))),) if stray else ()
    checked = check_all or encoding != "utf-8"
    if not any(records.values()):
        return DelimitedText(utf8, encoding, None, 0, notes, checked)
    delimiter = declared.group(1).decode() if declared else _pick_delimiter(records)
    # A header line longer than the sample is cut there: count its delimiters so no column is lost.
    widest_row = max([len(record) for record in records[delimiter]] + [_first_line_width(utf8, delimiter)])
    sampled = records[delimiter]
    header_width = len(sampled[0]) if len(sampled) > 1 or len(utf8) <= _SAMPLE_BYTES else None
    return DelimitedText(utf8, encoding, delimiter, widest_row, notes, checked, header_width)


def _read_csv(data: bytes, file_name: str) -> RawTable:
    text = read_text(data, file_name, check_all=False)  # the Arrow reader checks that every cell is UTF-8
    if text.delimiter is None and not text.checked and not _is_utf8(data):
        text = read_text(data, file_name)
    if text.delimiter is None:
        raise _no_data_rows(file_name)
    try:
        grid = _parse_delimited(text, file_name)
    except _NotUtf8:
        text = read_text(data, file_name)
        grid = _parse_delimited(text, file_name)
    grid, misaligned = _split_misaligned(grid, text.header_width)
    cells, header = _cells_from_grid(grid, file_name)
    notes = text.notes + ((_misaligned_note(file_name, misaligned, len(grid[0]) - 1),) if len(misaligned) else ())
    return RawTable(cells, file_name, "csv", text.encoding, text.delimiter, None, (), header, notes, misaligned)


def _split_misaligned(grid: list[pa.DictionaryArray], header_width: int | None
                      ) -> tuple[list[pa.DictionaryArray], np.ndarray]:
    """The grid without the cells past the header's last column when only a minority of the data rows (fewer than
    half) have values there, and those rows (0-based data row positions, fully empty rows not counted). When most
    rows have such values they are columns the header did not name, and everything is kept."""
    none = np.empty(0, np.int64)
    if header_width is None or len(grid) <= header_width:
        return grid, none
    overflow, filled = _any_value(grid[header_width:]), _any_value(grid)
    rows = np.flatnonzero(overflow.to_numpy(zero_copy_only=False)[filled.to_numpy(zero_copy_only=False)])
    rows = rows[rows > 0] - 1  # the header row is not a data row
    data_rows = int(pc.sum(filled).as_py() or 0) - 1
    if not len(rows) or 2 * len(rows) >= data_rows:
        return grid, none
    return grid[:header_width], rows


def _any_value(columns: Sequence[pa.Array]) -> pa.BooleanArray:
    """Per row, whether any of ``columns`` (at least one, all as long) has a value there."""
    filled = columns[0].is_valid()
    for column in columns[1:]:
        filled = pc.or_(filled, column.is_valid())
    return filled


def _misaligned_note(file_name: str, rows: np.ndarray, total: int) -> Message:
    """Names the rows with values past the header by spreadsheet row number (the header is row 1)."""
    key = "errors.io.misaligned_line" if len(rows) == 1 else "errors.io.misaligned_lines"
    return Message(key, file=file_name, n=len(rows), total=total, rows=_listed_lines(rows + 2))


def _listed_lines(numbers: Sequence[int]) -> str | Message:
    """Line numbers for a message: the first _MAX_LISTED_LINES, then "and N more"."""
    shown = ", ".join(str(number) for number in numbers[:_MAX_LISTED_LINES])
    more = len(numbers) - _MAX_LISTED_LINES
    return Message("errors.io.listed_more", listed=shown, n=more) if more > 0 else shown


def _first_line_width(utf8: bytes, delimiter: str) -> int:
    """Fields in the first non-blank line, counting every delimiter (quoted ones too, so never too few)."""
    start = re.match(rb"[\r\n ]*", utf8).end()
    line_end = re.compile(rb"[\r\n]").search(utf8, start)
    return utf8.count(delimiter.encode(), start, line_end.start() if line_end else len(utf8)) + 1


def _detect_encoding(data: bytes, file_name: str, check_all: bool = True) -> tuple[str, tuple[int, ...]]:
    """Codec name and the lines that are not in it (UTF-8 only): a BOM first, then strict UTF-8 over the whole
    file (over its first 64 KiB without ``check_all``), then UTF-8 with a few stray lines (:func:`_stray_lines`),
    else the most plausible of the legacy code pages and UTF-8 with its undecodable lines
    (:func:`_guess_legacy_encoding`)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, ()
    if not _has_many_nul_bytes(data[:_SAMPLE_BYTES]):
        if _is_utf8(data) if check_all else _starts_as_utf8(data):
            return "utf-8", ()
        if stray := _stray_lines(data):
            return "utf-8", stray
    encoding = _guess_legacy_encoding(data, file_name)
    return encoding, (_lines_not_utf8(data)[0] if encoding == "utf-8" else ())


def _stray_lines(data: bytes) -> tuple[int, ...]:
    """The lines that are not UTF-8 when the rest shows the file is UTF-8: at most max(5, 1 % of the lines) such
    lines, and more other lines with UTF-8 multi-byte characters than that (a Windows code page file has none);
    () otherwise."""
    limit = max(_STRAY_LINES, int(_STRAY_SHARE * (data.count(b"\n") + 1)))
    found = _lines_not_utf8(data, limit)
    return found[0] if found and found[0] and found[1] > len(found[0]) else ()


def _lines_not_utf8(data: bytes, limit: int | None = None) -> tuple[tuple[int, ...], int] | None:
    """The line numbers (1-based, lines end at LF) with bytes that are not UTF-8, and how many other lines have a
    UTF-8 multi-byte character (counted with a ``limit``, up to ``limit + 1``; 0 without); None as soon as more
    than ``limit`` lines are not UTF-8. Decoded in chunks of whole lines (LF is never inside a UTF-8 sequence)."""
    stray: list[int] = []
    utf8_lines, first_line, start = 0, 1, 0
    while start < len(data):
        end = data.find(b"\n", min(start + _SAMPLE_BYTES * 64, len(data)))
        end = len(data) if end < 0 else end + 1
        text = data[start:end].decode("utf-8", errors="replace")
        chunk_stray = _lines_matching(text, "\ufffd+", first_line, None if limit is None else limit + 1 - len(stray))
        stray += chunk_stray
        if limit is not None and len(stray) > limit:
            return None
        if limit is not None and utf8_lines <= limit:  # one match per line with a character neither ASCII nor U+FFFD
            found = _lines_matching(text, "[^\x00-\x7f\ufffd][^\n]*", first_line, limit + 1 + len(chunk_stray))
            utf8_lines += len(set(found) - set(chunk_stray))
        first_line += text.count("\n")
        start = end
    return tuple(stray), utf8_lines


def _lines_matching(text: str, pattern: str, first_line: int, at_most: int | None) -> list[int]:
    """The distinct line numbers (``first_line`` is the text's first) with a match of ``pattern``, up to
    ``at_most`` of them (None: all)."""
    lines: list[int] = []
    line, position = first_line, 0
    for match in re.finditer(pattern, text):
        line += text.count("\n", position, match.start())
        position = match.start()
        if not lines or lines[-1] != line:
            if len(lines) == at_most:
                break
            lines.append(line)
    return lines


def _stray_lines_note(file_name: str, lines: tuple[int, ...], total: int) -> Message:
    key = "errors.io.line_not_utf8" if len(lines) == 1 else "errors.io.lines_not_utf8"
    return Message(key, file=file_name, lines=_listed_lines(lines), n=len(lines), total=total)


def _has_many_nul_bytes(sample: bytes) -> bool:
    """Whether NUL bytes exceed the control share: UTF-16/32 without BOM, or binary content."""
    return sample.count(b"\x00") > _MAX_CONTROL_SHARE * len(sample)


def _starts_as_utf8(data: bytes) -> bool:
    """Whether the first 64 KiB are UTF-8 (a character cut at the end allowed)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data[:_SAMPLE_BYTES], final=len(data) <= _SAMPLE_BYTES)
    except UnicodeDecodeError:
        return False
    return True


def _is_utf8(data: bytes) -> bool:
    """Whether all bytes are valid UTF-8 (Arrow's vectorised validation, no Python string built)."""
    offsets = pa.array([0, len(data)], pa.int64()).buffers()[1]
    try:
        pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)]).validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _guess_legacy_encoding(data: bytes, file_name: str) -> str:
    """The candidate whose text looks most natural: cp1251, cp1252, charset-normalizer's guesses, then UTF-8 with
    U+FFFD for the bytes that are not UTF-8 (a UTF-8 file with more than a few lines in another code page).

    Judged on a sample starting at the line of the first non-ASCII byte; raises InputError for binary content.
    """
    wide_characters = _has_many_nul_bytes(data[:_SAMPLE_BYTES])  # UTF-16/32 (or binary): judge from the start
    first_high_byte = None if wide_characters else re.search(rb"[\x80-\xff]", data)
    start = data.rfind(b"\n", 0, first_high_byte.start()) + 1 if first_high_byte else 0
    sample = data[start : start + _SAMPLE_BYTES]
    reaches_end = start + _SAMPLE_BYTES >= len(data)
    candidates = [*_LEGACY_ENCODINGS, *(match.encoding for match in from_bytes(sample)), "utf-8"]
    scores: dict[str, float] = {}
    for position, candidate in enumerate(candidates):
        encoding = codecs.lookup(candidate).name
        if encoding in scores:
            continue
        errors = "replace" if position == len(candidates) - 1 else "strict"
        try:
            text = codecs.getincrementaldecoder(encoding)(errors).decode(sample, final=reaches_end)
        except UnicodeDecodeError:
            continue
        scores[encoding] = _implausibility(text)
    plausible = {encoding: score for encoding, score in scores.items() if score != float("inf")}
    if not plausible:
        raise InputError(Message("errors.io.binary", file=file_name))
    return min(plausible, key=plausible.get)  # ties keep candidate order


def _implausibility(text: str) -> float:
    """How unnatural a decoded text looks: inf when binary, else the count of mis-decoding signs.

    Signs: control characters, spacing accents (¸ ´ ¨ ...), words mixing Latin and Cyrillic letters or using other
    scripts, Latin words made mostly of accented letters (Cyrillic read as cp1252: "Ðîìàøêà"), the pairs UTF-8
    Cyrillic becomes in cp1251 ("Р°", "С‚", "Рѕ": Р or С then a character of the bytes 0x80-0xBF) and runs of
    U+FFFD (bytes that did not decode).
    """
    controls = len(re.findall(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text))
    if controls > _MAX_CONTROL_SHARE * max(len(text), 1):
        return float("inf")
    signs = controls + len(re.findall(r"[\u00a8\u00af\u00b4\u00b8\u02c6-\u02dd]", text))
    signs += len(_CP1251_MOJIBAKE.findall(text)) + len(re.findall("\ufffd+", text))
    for word in set(re.findall(r"[^\W\d_]+", text)):
        cyrillic = len(re.findall(r"[\u0400-\u04ff]", word))
        latin = len(re.findall(r"[A-Za-z\u00c0-\u024f]", word))
        accented = latin - len(re.findall(r"[A-Za-z]", word))
        if cyrillic + latin < len(word) or (cyrillic and latin) or (len(word) > 1 and 2 * accented > len(word)):
            signs += 1
    return signs


def _as_utf8(data: bytes, encoding: str, file_name: str, replace: bool = False) -> bytes:
    """The file's bytes re-encoded as UTF-8 without BOM (no copy when already UTF-8); ``replace``: bytes that are
    not UTF-8 become U+FFFD."""
    if encoding == "utf-8":
        return data.decode("utf-8", errors="replace").encode("utf-8") if replace else data
    if encoding == "utf-8-sig":
        return data[len(codecs.BOM_UTF8) :]
    try:
        return data.decode(encoding).encode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(Message("errors.io.mixed_encoding", file=file_name, encoding=encoding,
                                 byte=error.start)) from error


def _sample_records(sample: str, complete: bool) -> dict[str, list[list[str]]]:
    """The first records of the sample per candidate delimiter (quotes respected; a cut last record dropped).

    Records of nothing but whitespace and delimiters are skipped, so the result is empty for every delimiter or none.
    """
    records = {}
    for delimiter in _DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        rows = [row for row in reader if "".join(row).strip("".join(_DELIMITERS) + " \r\n")]
        if not complete and len(rows) > 1:
            rows = rows[:-1]
        records[delimiter] = rows[:_SNIFF_RECORDS]
    return records


def _pick_delimiter(records: dict[str, list[list[str]]]) -> str:
    """The delimiter that gives at least two columns with the most rows as wide as the header, then the most columns."""

    def quality(delimiter: str) -> tuple[bool, float, int]:
        rows = records[delimiter]
        width = len(rows[0])
        consistent = sum(len(row) == width for row in rows[1:]) / max(len(rows) - 1, 1)
        return width > 1, consistent, width

    return max(_DELIMITERS, key=quality)  # ties keep the order , ; tab |


class _NotUtf8(Exception):
    """A file taken as UTF-8 from its start is not UTF-8 further on."""


def _parse_delimited(text: DelimitedText, file_name: str) -> list[pa.DictionaryArray]:
    """All cells, header row included, one dictionary-encoded array per column: pyarrow's reader, or the C reader
    for ragged rows. Raises _NotUtf8 when unchecked text turns out not to be UTF-8."""
    try:
        return _parse_with_arrow(text.utf8, text.delimiter)
    except pa.ArrowInvalid:  # e.g. ragged rows, line breaks inside quotes, or bytes that are not UTF-8
        if not text.checked and not _is_utf8(text.utf8):
            raise _NotUtf8 from None
        return _encoded_columns(_parse_with_c_reader(text.utf8, text.delimiter, text.widest_row, file_name))


def _parse_with_arrow(utf8: bytes, delimiter: str) -> list[pa.DictionaryArray]:
    """pyarrow's multithreaded reader with the options of pandas' pyarrow engine (``dtype=str``, only "" is
    missing), each column dictionary-encoded as it is parsed; raises ArrowInvalid for what it cannot read. Each
    column becomes one array (the reader's chunks make every later take several times slower), its chunks let
    go as it is made."""
    table = pa_csv.read_csv(
        pa.py_buffer(utf8), read_options=pa_csv.ReadOptions(autogenerate_column_names=True, block_size=_BLOCK_BYTES),
        parse_options=pa_csv.ParseOptions(delimiter=delimiter),
        convert_options=pa_csv.ConvertOptions(null_values=[""], strings_can_be_null=True,
                                              default_column_type=_DICTIONARY))
    columns = []
    while table.num_columns:
        columns.append(_one_array(table.column(0).unify_dictionaries()))
        table = table.remove_column(0)
    return columns


def _parse_with_c_reader(utf8: bytes, delimiter: str, widest_row: int, file_name: str) -> pd.DataFrame:
    """pandas' C reader, as wide as the widest row (short rows padded with missing cells). ``widest_row`` comes
    from the sample; a wider row further on widens the grid and the text is read again (at most _WIDENINGS times)."""
    widenings = 0
    while True:
        try:
            return pd.read_csv(io.BytesIO(utf8), engine="c", encoding="utf-8", names=range(widest_row),
                               index_col=False, sep=delimiter, header=None, dtype=str, keep_default_na=False,
                               na_values=[""])
        except pd.errors.ParserError as error:
            wider = _WIDER_ROW.search(str(error))
            if not (wider and int(wider.group(1)) > widest_row and widenings < _WIDENINGS):
                reason = " ".join(str(error).split()).removeprefix("Error tokenizing data. C error: ")
                delimiter_name = Message(f"errors.io.delimiter.{_DELIMITER_NAMES[delimiter]}")
                raise InputError(Message("errors.io.unparseable", file=file_name, reason=reason,
                                         delimiter=delimiter_name)) from error
            widest_row, widenings = int(wider.group(1)), widenings + 1


def _encoded_columns(grid: pd.DataFrame) -> list[pa.DictionaryArray]:
    """A text grid (missing = NaN) as one dictionary-encoded array per column."""
    return [_one_array(pc.dictionary_encode(pa.array(grid.iloc[:, position].astype(STR_DTYPE).array,
                                                     type=pa.large_string())))
            for position in range(grid.shape[1])]


def _one_array(column: pa.ChunkedArray | pa.Array) -> pa.DictionaryArray:
    """A dictionary-encoded column as one array, its dictionary of type large_string."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    return column.cast(_DICTIONARY) if column.type != _DICTIONARY else column


def _read_parquet(data: bytes, file_name: str) -> RawTable:
    """Order lines in a Parquet file (a warehouse or Spark export): every column as text, as a CSV would give it
    (timestamps as ``2023-01-05 10:30:00.000000``, a time zone's offset kept for the date parser to drop, numbers
    as written by Arrow); types Arrow cannot write as text (lists, structs) through their Python text."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(pa.BufferReader(data))
    except (pa.ArrowException, OSError) as error:
        raise InputError(Message("errors.io.bad_parquet", file=file_name, error=str(error).splitlines()[0])) from None
    if not table.num_columns or not table.num_rows:
        raise _no_data_rows(file_name)
    header = tuple(_clean_header_cell(name) for name in table.column_names)
    columns = []
    for position in range(table.num_columns):
        column = table.column(position).combine_chunks()
        try:
            text = pc.cast(column, pa.large_string())
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            text = pa.array([None if value is None else str(value) for value in column.to_pylist()], pa.large_string())
        columns.append(_one_array(pc.dictionary_encode(_blank_to_null(text))))
    return RawTable(pa.table(columns, names=_unique_names(header)), file_name, "parquet", None, None, None, (),
                    header)


def _read_xlsx(data: bytes, file_name: str, sheet: str | None) -> RawTable:
    """The chosen sheet, else the first sheet that holds a table (see :func:`_holds_table`), with a note naming the
    sheets skipped before it."""
    try:
        workbook = pd.ExcelFile(io.BytesIO(data), engine="openpyxl")
    except Exception as error:  # openpyxl reports damaged workbooks with many exception types (zip, XML, key errors)
        raise InputError(Message("errors.io.unreadable_xlsx", file=file_name)) from error
    sheets = tuple(workbook.sheet_names)
    if sheet is not None and sheet not in sheets:
        raise InputError(Message("errors.io.unknown_sheet", sheet=sheet, file=file_name, sheets=", ".join(sheets)))
    for position, name in enumerate(sheets if sheet is None else (sheet,)):
        grid = _sheet_grid(workbook, name, file_name)
        if sheet is None and not _holds_table(grid):
            continue
        cells, header = _cells_from_grid(_encoded_columns(grid), file_name, name)
        skipped = ", ".join(map(repr, sheets[:position]))
        notes = (Message("errors.io.skipped_sheet" if position == 1 else "errors.io.skipped_sheets", file=file_name,
                         skipped=skipped, sheet=name),) if position else ()
        return RawTable(cells, file_name, "xlsx", None, None, name, sheets, header, notes)
    raise InputError(Message("errors.io.no_sheet_with_table", file=file_name, sheets=", ".join(map(repr, sheets))))


def _sheet_grid(workbook: pd.ExcelFile, sheet: str, file_name: str) -> pd.DataFrame:
    """Every cell of a sheet as text (date cells as ISO text, numbers as written by pandas, empty = missing)."""
    try:
        return pd.read_excel(workbook, sheet_name=sheet, header=None, dtype=str)
    except Exception as error:  # a damaged sheet part, as in _read_xlsx
        raise InputError(Message("errors.io.unreadable_xlsx", file=file_name)) from error


def _holds_table(grid: pd.DataFrame) -> bool:
    """Whether a sheet has at least two rows and two columns with values (a cover or title sheet has not)."""
    filled = grid.notna()
    return bool(filled.any(axis=1).sum() >= 2 and filled.any(axis=0).sum() >= 2)


def _cells_from_grid(grid: list[pa.DictionaryArray], file_name: str, sheet: str | None = None
                     ) -> tuple[pa.Table, tuple[str, ...]]:
    """Split the columns of a grid into (cells with unique column names, header cells): fully empty rows and
    trailing columns with neither header nor values dropped, each dictionary left with the texts its rows use.
    InputError when no data rows."""
    if grid and grid[0].null_count:  # a row can be fully empty only where its first cell is
        filled = _any_value(grid)
        grid = [column.filter(filled) for column in grid]
    if not grid or len(grid[0]) < 2:
        raise _no_data_rows(file_name, sheet)
    header = [_clean_header_cell(column[0].as_py()) for column in grid]
    body = [column.slice(1) for column in grid]
    width = len(header)
    while width > 1 and not header[width - 1] and body[width - 1].null_count == len(body[width - 1]):
        width -= 1
    names = _unique_names(header[:width])
    columns = [_without_text(column, head.indices[0].as_py()) for column, head in zip(body[:width], grid)]
    return pa.table(columns, names=names), tuple(header[:width])


def _without_text(column: pa.DictionaryArray, code: int | None) -> pa.DictionaryArray:
    """``column`` without the dictionary text ``code`` (its header cell's) when no row uses it, so a dictionary
    holds exactly the texts of its rows (the grid's other rows are all kept or fully empty)."""
    if code is None or pc.any(pc.equal(column.indices, code)).as_py():
        return column
    indices = pc.subtract(column.indices, pc.cast(pc.greater(column.indices, code), pa.int32()))
    dictionary = pa.concat_arrays([column.dictionary[:code], column.dictionary[code + 1:]])
    return pa.DictionaryArray.from_arrays(indices, dictionary)


def _clean_header_cell(cell: object) -> str:
    """A header cell without surrounding whitespace and BOM remnants; "" when missing."""
    if pd.isna(cell):
        return ""
    text = str(cell)
    for remnant in ("\ufeff", "ï»¿", "п»ї", "\u200b"):
        text = text.strip().removeprefix(remnant)
    return text.strip()


def _unique_names(header: Sequence[str]) -> list[str]:
    """Column names from header cells: empty ones become "column N" (1-based), repeats get " (2)", " (3)", ..."""
    names: list[str] = []
    taken: set[str] = set()
    for position, cell in enumerate(header, start=1):
        base = cell or f"column {position}"
        name, repeat = base, 1
        while name in taken:
            repeat += 1
            name = f"{base} ({repeat})"
        names.append(name)
        taken.add(name)
    return names


def _no_data_rows(file_name: str, sheet: str | None = None) -> InputError:
    if sheet is None:
        return InputError(Message("errors.io.no_data_rows", file=file_name))
    return InputError(Message("errors.io.no_data_rows_sheet", file=file_name, sheet=sheet))


# --- mapping ---------------------------------------------------------------------------------------------------


def _normalized_name(name: str) -> str:
    """A column name reduced for matching: casefolded, ё -> е, only letters and digits kept."""
    return re.sub(r"[\W_]+", "", str(name).casefold().replace("ё", "е"))


def _loose_names(name: str) -> set[str]:
    """The normalized name, and the normalized name without a closing unit or currency (``Цена, руб.`` -> цена)."""
    folded = str(name).casefold()
    return {_normalized_name(folded), _normalized_name(_UNIT_SUFFIX.sub("", folded))} - {""}


def _find_column(requested: str, raw: RawTable, field: str) -> str:
    """The frame column the user means: its exact name, else the one column whose header matches loosely, else the
    first of repeated headers for ``Header (1)``."""
    columns = raw.columns
    if requested in columns:
        return requested
    wanted = _normalized_name(requested)
    loose = [column for column in columns if wanted in _loose_names(column)]
    if len(loose) == 1:
        return loose[0]
    first = re.fullmatch(r"(.+?)\s*\(1\)", requested.strip())
    repeats = [index for index, cell in enumerate(raw.header) if first and cell == first.group(1)]
    if len(repeats) > 1:
        return columns[repeats[0]]
    raise _column_not_in_file(requested, field, columns)


def _missing_fields(raw: RawTable, columns: Sequence[str], missing: Sequence[str]) -> InputError:
    """The error for required fields without a column, pointing at title lines or a one-column file when so."""
    found = len(REQUIRED_FIELDS) - len(missing)
    for values in raw.head(_HEADER_SEARCH_ROWS).itertuples(index=False):
        cells = [value.strip() for value in values if isinstance(value, str) and value.strip()]
        if len(cells) == 1:  # a title line without delimiters made the file look like one column
            cells = [cell.strip() for cell in re.split(r"[,;\t|]", cells[0])]
        mapped = auto_map(cells)
        if sum(field in mapped for field in REQUIRED_FIELDS) > max(found, len(REQUIRED_FIELDS) // 2):
            return InputError(Message("errors.io.header_further_down", fields=", ".join(missing),
                                      file=raw.file_name, cells=_listed(cells[:3])))
    if len(columns) == 1:
        return InputError(Message("errors.io.single_column", file=raw.file_name, column=columns[0]))
    return InputError(Message("errors.io.no_column", fields=", ".join(missing), columns=_listed(columns),
                              field=missing[0]))


def _unknown_field(field: str) -> InputError:
    return InputError(Message("errors.io.unknown_field", field=field, fields=", ".join(FIELDS)))


def _column_not_in_file(column: str, field: str, columns: Sequence[str]) -> InputError:
    return InputError(Message("errors.io.column_not_in_file", column=column, field=field, columns=_listed(columns)))


def _reject_ambiguous_duplicate(raw: RawTable, field: str, column: str) -> None:
    """InputError when the column's header appears again (same name, loosely) with different values."""
    position = raw.columns.index(column)
    name = _normalized_name(raw.header[position])
    twins = [index for index, cell in enumerate(raw.header) if _normalized_name(cell) == name]  # itself included
    text = _decoded(raw.cells.column(position).chunk(0)) if len(twins) > 1 else None
    if any(not _decoded(raw.cells.column(twin).chunk(0)).equals(text) for twin in twins if twin != position):
        names = [raw.columns[twin] for twin in twins]
        raise InputError(Message(
            "errors.io.ambiguous_header", header=raw.header[position], field=field, n=len(twins),
            choices=", ".join(map(repr, names[:-1])), last=repr(names[-1]), example=names[1],
            first=f"{raw.header[twins[0]]} (1)"))


def _listed(columns: Sequence[str]) -> str:
    shown = ", ".join(repr(str(column)) for column in list(columns)[:_MAX_LISTED_COLUMNS])
    more = len(columns) - _MAX_LISTED_COLUMNS
    return Message("errors.io.listed_more", listed=shown, n=more) if more > 0 else shown


# --- converting ------------------------------------------------------------------------------------------------


def _arrow_text(values: pd.Series) -> pa.Array:
    """Values as one Arrow large_string array (missing = null); arrow-backed text is not converted again."""
    if not (isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow"):
        values = values.astype(STR_DTYPE)
    text = pa.array(values.array, type=pa.large_string())
    return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text


def _blank_to_null(text: pa.Array) -> pa.Array:
    """Empty strings as null; ``text`` itself when it has none."""
    blank = pc.equal(text, "")
    return pc.if_else(blank, pa.scalar(None, text.type), text) if pc.any(blank).as_py() else text


def _str_series(text: pa.Array, like: pd.Series | None = None) -> pd.Series:
    """Arrow text as a pandas str Series, with the index and name of ``like``."""
    return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([text]), dtype=STR_DTYPE),
                     index=None if like is None else like.index, name=None if like is None else like.name)


def _decoded(encoded: pa.DictionaryArray) -> pa.Array:
    """Dictionary-encoded text as plain text (large_string)."""
    return pc.take(encoded.dictionary, encoded.indices)


def _matches(text: pa.Array, pattern: str) -> np.ndarray:
    return pc.fill_null(pc.match_substring_regex(text, pattern), False).to_numpy(zero_copy_only=False)


def _parse_written_numbers(text: pa.Array) -> pa.Array:
    """Float64 for numbers as people write them (currency, spaces, decimal comma); null where not a number."""
    encoded = pc.dictionary_encode(text)
    distinct = pc.replace_substring(pc.replace_substring_regex(encoded.dictionary, _NUMBER_JUNK, ""), "\u2212", "-")
    comma_grouped, dot_grouped = _matches(distinct, _COMMA_GROUPED), _matches(distinct, _DOT_GROUPED)
    comma_single, dot_single = _matches(distinct, _COMMA_SINGLE_GROUP), _matches(distinct, _DOT_SINGLE_GROUP)
    comma_votes = (dot_grouped & ~dot_single).sum() + (_matches(distinct, _COMMA_DECIMAL) & ~comma_single).sum()
    dot_votes = (comma_grouped & ~comma_single).sum() + (_matches(distinct, _DOT_DECIMAL) & ~dot_single).sum()
    comma_is_decimal = comma_votes > dot_votes
    comma_thousands = comma_grouped & (~comma_single | ~comma_is_decimal)
    dot_thousands = dot_grouped & (~dot_single | comma_is_decimal)
    distinct = pc.if_else(comma_thousands, pc.replace_substring(distinct, ",", ""), distinct)
    distinct = pc.if_else(dot_thousands, pc.replace_substring(distinct, ".", ""), distinct)
    distinct = pc.replace_substring(distinct, ",", ".")
    valid = _matches(distinct, _PLAIN_NUMBER)
    numbers = pc.cast(pc.if_else(valid, distinct, pa.scalar(None, distinct.type)), pa.float64())
    return pc.take(numbers, encoded.indices)


def _parse_distinct_dates(distinct: pa.Array, rows_per_value: np.ndarray, excel_serials: bool) -> np.ndarray:
    """datetime64[us] for each distinct text value (NaT where no accepted format matches)."""
    parsed = np.full(len(distinct), np.datetime64("NaT", "us"))
    matches = {name: _matches(distinct, pattern) for name, pattern in _DATE_FORMATS.items()}
    rows = {name: rows_per_value[mask].sum() for name, mask in matches.items()}
    majority = max(rows, key=rows.get)
    accepted = dict.fromkeys([*_SELF_DESCRIBING_DATE_FORMATS, *(["serial"] if excel_serials else []), majority])
    for name in accepted:
        mask = matches[name]
        if not mask.any():
            continue
        subset = distinct.filter(pa.array(mask))
        if name == "serial":
            parsed[mask] = _excel_serial_dates(pc.cast(subset, pa.float64()).to_numpy())
        else:
            parsed[mask] = _dates_from_parts(pc.extract_regex(subset, _DATE_FORMATS[name]), rows_per_value[mask])
    return parsed


def _dates_from_parts(parts: pa.StructArray, rows_per_value: np.ndarray) -> np.ndarray:
    """datetime64[us] from regex parts (year, month, day or first/second_part, time); NaT where impossible."""
    year = _part(parts, "year", 0)
    year = np.where(year < 100, year + 2000, year)
    if "first" in parts.type.names:  # slashed: the order is decided once for the whole column
        first, second = _part(parts, "first", 0), _part(parts, "second_part", 0)
        day_first_rows, month_first_rows = rows_per_value[first > 12].sum(), rows_per_value[second > 12].sum()
        day_first = day_first_rows > month_first_rows
        day, month = (first, second) if day_first else (second, first)
    else:
        day, month = _part(parts, "day", 0), _part(parts, "month", 0)
    hour = _part(parts, "hour", 0)
    if "ampm" in parts.type.names:
        meridiem = pc.utf8_lower(pc.utf8_slice_codeunits(parts.field("ampm"), 0, 1)).to_numpy(zero_copy_only=False)
        hour = np.where(meridiem == "p", hour % 12 + 12, np.where(meridiem == "a", hour % 12, hour))
    microsecond = np.zeros(len(parts), dtype=np.int64)
    if "fraction" in parts.type.names:
        six_digits = pc.utf8_slice_codeunits(pc.utf8_rpad(parts.field("fraction"), 6, "0"), 0, 6)
        microsecond = pc.cast(six_digits, pa.int64()).to_numpy()
    minute, second = _part(parts, "minute", 0), _part(parts, "second", 0)
    return _assemble_datetimes(year, month, day, hour, minute, second, microsecond)


def _part(parts: pa.StructArray, name: str, default: int) -> np.ndarray:
    """One regex part as int64; the default where the part is absent or empty."""
    if name not in parts.type.names:
        return np.full(len(parts), default, dtype=np.int64)
    text = parts.field(name)
    filled = pc.if_else(pc.equal(text, ""), pa.scalar(str(default), text.type), text)
    return pc.cast(filled, pa.int64()).to_numpy()


def _assemble_datetimes(year, month, day, hour, minute, second, microsecond) -> np.ndarray:
    """datetime64[us] from int64 arrays; NaT where the date or time does not exist or the year is implausible."""
    valid = (
        (year >= _YEAR_RANGE[0]) & (year <= _YEAR_RANGE[1]) & (month >= 1) & (month <= 12) & (day >= 1)
        & (hour < 24) & (minute < 60) & (second < 60)
    )
    months = ((np.where(valid, year, 1970) - 1970) * 12 + np.where(valid, month, 1) - 1).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + (np.where(valid, day, 1) - 1).astype("timedelta64[D]")
    valid &= days.astype("datetime64[M]") == months  # e.g. 31.02 rolls into March
    microseconds = ((hour * 60 + minute) * 60 + second) * 1_000_000 + microsecond
    stamps = days.astype("datetime64[us]") + np.where(valid, microseconds, 0).astype("timedelta64[us]")
    stamps[~valid] = np.datetime64("NaT")
    return stamps


def _excel_serial_dates(serials: np.ndarray) -> np.ndarray:
    """datetime64[us] from Excel serial day numbers, to the second; NaT outside 1990-2100."""
    valid = (serials >= _EXCEL_SERIAL_RANGE[0]) & (serials < _EXCEL_SERIAL_RANGE[1])
    seconds = np.round(np.where(valid, serials, 0) * 86_400).astype("int64").astype("timedelta64[s]")
    stamps = (_EXCEL_EPOCH + seconds).astype("datetime64[us]")
    stamps[~valid] = np.datetime64("NaT")
    return stamps
