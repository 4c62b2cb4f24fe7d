"""Optional Spark engine: the heavy part (read -> type -> clean -> orders -> customer table) in PySpark.

``python -m core summary ORDERS.csv --engine spark`` runs it in local mode and prints the same JSON as the
pandas engine; on a cluster, :func:`main` (``spark-submit ... core/spark_engine.py IN OUT.parquet``) writes the
customer table that ``python -m core summary OUT.parquet --input-kind customers`` (and the app) continue from.
pyspark is an optional extra (``requirements-spark.txt``) and is imported only inside functions, so ``core``
works without it; :class:`~core.errors.InputError` says how to install it when it is missing.

Stages, each with the pandas engine's exact rules (``core.io``, ``core.clean``, ``core.orders``):

1. Inspect (pandas, cheap): the file's head is read with ``core.io`` for the encoding, the delimiter, the
   header and the column mapping (the settings' overrides included).
2. Read: Spark reads the whole CSV with an all-string schema, the detected delimiter and encoding, RFC quotes,
   and caches the mapped columns (the file is parsed once).
3. Profile (light scans of the cache): distinct date texts with their row counts, distinct quantity and price
   texts, and whether ids have dots. The column-wide decisions of ``core.io`` are taken from it exactly as pandas takes them:
   date formats accepted (bare numbers only when their format holds most rows), day-first or month-first for
   slashed dates, plain numbers or the decimal-comma vote, ``17850.0`` -> ``17850`` for integer-like ids.
4. Type (per row, Spark): dates parsed once per distinct text and joined back (epoch microseconds, no time
   zones involved), numbers and ids converted with the same regular expressions (RE2 -> Java syntax).
5. Clean in ``core.clean`` order with one ``reason`` column: the first reason that drops a row. One shuffle by
   order id and one sort serve the windows for exact duplicates, "latest line per customer/order/product" (ties
   by quantity then price) and orders shared by several customers; returns of customers without a purchase
   (``net``) take a window by customer. One aggregation counts every reason.
6. Aggregate in Spark: lines per product (rows, revenue, first row), orders (min date, revenue), customers
   (first/last purchase, orders, revenue, returns netted). Distinct product names are categorised in pandas
   with ``core.categories`` and broadcast back for the per-customer ``spend_<category>`` columns.
7. ``toPandas()`` the customer table and score / segment it with ``pipeline.segment_customer_table``.

Differences from the pandas engine (see docs/spark.md): sums run in another order (revenue may differ in the
last bits, far below a cent; sums within 1e-9 of zero are 0); the encoding is taken from the first MiB (the rest must be UTF-8 when that is
UTF-8; checked for local files); a data row identical to the header row is skipped only after an Excel
``sep=`` line; .xlsx is not read (CSV only); for several input files the row order (language sample, order of
equal categories in the JSON) follows Spark's partitions, not the file order.
"""
from __future__ import annotations

import argparse
import codecs
import json
import os
import re
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from core import categories, io, pipeline
from core.categories import OTHER
from core.clean import DROP_REASONS, CleaningReport, is_cancelled_status
from core.errors import InputError
from core.settings import CleaningPolicy, Settings

PYSPARK_MISSING = "the Spark engine needs pyspark: pip install -r requirements-spark.txt"
JVM_LOG = Path(tempfile.gettempdir()) / "core-spark-jvm.log"
SAMPLE_BYTES = 1 << 20             # head of the file read with core.io for encoding, delimiter and mapping
BROADCAST_DATES = 2_000_000        # distinct date texts up to this many are broadcast to the join
LANGUAGE_LINES, LANGUAGE_NAMES = 50_000, 5_000   # as core.categories.detect_language samples
_UTF8_CHUNK = 1 << 24
_OVERFLOW_COLUMNS = 16             # cells read past the header's last column, to find misaligned lines
_SEP_LINE = re.compile(rb"\A[sS][eE][pP]=([,;\t|])")
_ZIP_MAGIC = b"PK\x03\x04"
_JAVA_CHARSETS = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32",
                  "cp1251": "windows-1251", "cp1252": "windows-1252", "koi8-r": "KOI8-R",
                  "mac-cyrillic": "x-MacCyrillic", "cp866": "IBM866", "latin-1": "ISO-8859-1",
                  "iso8859-5": "ISO-8859-5", "iso8859-15": "ISO-8859-15", "ascii": "US-ASCII"}
_WIDE_ENCODINGS = ("utf-16", "utf-32")   # not line-splittable byte-wise: Spark reads them with multiLine
_MICROS_PER_DAY = 86_400_000_000
_EXCEL_EPOCH_DAYS = -25_569              # 1899-12-30 in days since 1970-01-01
_ID_INTEGER_FLOAT = r"^[+-]?\d+(?:\.0+)?$"
_TRIM = r"^\p{IsWhite_Space}+|\p{IsWhite_Space}+$"   # = Arrow's utf8_trim_whitespace
_WHITE_SPACE = tuple("\t\n\x0b\x0c\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000"
                     + "".join(chr(c) for c in range(0x2000, 0x200B)))   # Unicode White_Space


def _java(pattern: str) -> str:
    """An RE2 pattern of core.io in Java syntax: ``(?P<name>`` -> ``(?<name>`` (no underscores), and Unicode
    case folding for ``(?i)`` as RE2 does it."""
    pattern = re.sub(r"\(\?P<(\w+)>", lambda m: "(?<" + m.group(1).replace("_", "") + ">", pattern)
    return pattern.replace("(?i)", "(?iu)")


def _groups(pattern: str) -> dict[str, int]:
    return re.compile(pattern).groupindex


# --- session -----------------------------------------------------------------------------------------------------


def _spark_modules():
    """(SparkSession, Window, functions, types), imported lazily; InputError when pyspark is not installed."""
    try:
        from pyspark.sql import SparkSession, Window
        from pyspark.sql import functions, types
    except ImportError:
        raise InputError(PYSPARK_MISSING) from None
    return SparkSession, Window, functions, types


def java_available() -> bool:
    """Whether a ``java`` executable is on PATH or under JAVA_HOME."""
    home = os.environ.get("JAVA_HOME")
    return bool(shutil.which("java") or (home and (Path(home) / "bin" / "java").exists()))


def make_session(master: str | None = None, memory: str | None = None, quick_start: bool = True):
    """A local-mode SparkSession with the verified settings (loopback only, no UI, quiet start).

    master: default ``$CORE_SPARK_MASTER`` or ``local[*]``; memory: driver memory, default ``$CORE_SPARK_MEMORY``
    or ``2g``. quick_start uses the C1 JIT only (faster start, slower on large data). The JVM's output goes to
    :data:`JVM_LOG`, so stdout keeps the one JSON object and stderr stays clean.
    """
    SparkSession, _, _, _ = _spark_modules()
    if not java_available():
        raise InputError("the Spark engine needs Java 17 or newer: install a JDK and put java on PATH "
                         "(or set JAVA_HOME), or use --engine pandas")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
    builder = (SparkSession.builder.master(master or os.environ.get("CORE_SPARK_MASTER", "local[*]"))
               .appName("core-rfm")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.driver.memory", memory or os.environ.get("CORE_SPARK_MEMORY", "2g"))
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.execution.arrow.pyspark.enabled", "true"))
    if quick_start:
        builder = builder.config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1")
    # The JVM inherits fds 1 and 2 when it starts: point them at a log file only while it starts.
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    try:
        with open(JVM_LOG, "ab") as log:
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            try:
                spark = builder.getOrCreate()
            finally:
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
    except InputError:
        raise
    except Exception as error:  # e.g. PySparkRuntimeError JAVA_GATEWAY_EXITED: the cause is in the JVM log
        raise InputError(f"the Spark engine could not start Java ({type(error).__name__}); last line of "
                         f"{JVM_LOG}: {_log_tail()}") from None
    finally:
        os.close(saved[0])
        os.close(saved[1])
    spark.sparkContext.setLogLevel("ERROR")
    configure(spark)
    return spark


def configure(spark) -> None:
    """Session settings the engine relies on (also applied to a session made elsewhere, e.g. spark-submit)."""
    spark.conf.set("spark.sql.legacy.javaCharsets", "true")   # cp1251 and other legacy code pages for CSV


def _log_tail() -> str:
    try:
        lines = [line.strip() for line in JVM_LOG.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return "(no log)"
    return lines[-1][:300] if lines else "(empty)"


# --- inspecting the input ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """What core.io found in the file's head and how Spark reads the whole file."""

    path: str
    sample: io.RawTable
    mapping: dict[str, str]
    positions: dict[str, int]      # field -> 0-based column position
    width: int                     # columns in the Spark schema
    encoding: str                  # Python codec name (as core.io reports it)
    delimiter: str
    multiline: bool                # quoted line breaks (or UTF-16/32): Spark reads the file in one piece
    declared_delimiter: bool       # an Excel "sep=;" first line precedes the header

    def input_block(self) -> dict:
        return {"file": Path(self.path).name, "format": "csv", "encoding": self.encoding,
                "delimiter": self.delimiter, "columns": dict(self.mapping), "notes": list(map(str, self.sample.notes))}


def inspect(path: str | os.PathLike, overrides: dict[str, str] | None = None, typed: Collection[str] = ()) -> Source:
    """Read the head of a local CSV file (or of the first file of a folder) with core.io: encoding, delimiter,
    header and the column mapping (auto-mapped, then ``overrides``; ``typed`` as in ``core.io.resolve_mapping``).
    Raises InputError for unreadable input."""
    path = str(path)
    first = _first_file(path)
    try:
        with open(first, "rb") as file:
            head = file.read(SAMPLE_BYTES + 1)
    except OSError as error:
        raise InputError(f"cannot read input file {first}: {error.strerror}") from None
    name = Path(first).name
    if head.startswith(_ZIP_MAGIC) or name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise InputError(f"{name!r} is a workbook; the Spark engine reads CSV order exports: save it as CSV, "
                         "or use --engine pandas")
    if head.startswith(io.PARQUET_MAGIC):
        raise InputError(f"{name!r} is a Parquet file; the Spark engine reads CSV order lines: use --engine pandas "
                         "for Parquet order lines, or --input-kind customers for a customer table")
    sample = _cut_sample(head)
    raw = io.read_table(sample, name)
    mapping = io.resolve_mapping(raw, overrides or {}, typed)
    if raw.encoding == "utf-8" and len(head) > SAMPLE_BYTES:
        _require_utf8(first)
    columns = raw.columns
    positions = {field: columns.index(column) for field, column in mapping.items()}
    declared = bool(_SEP_LINE.match(sample.removeprefix(codecs.BOM_UTF8)))
    wide = raw.encoding.startswith(_WIDE_ENCODINGS)
    quoted_breaks = bool(raw.frame.apply(lambda c: c.str.contains("[\r\n]", regex=True, na=False).any()).any())
    return Source(path=path, sample=raw, mapping=mapping, positions=positions,
                  width=max(len(raw.header), len(columns)), encoding=raw.encoding, delimiter=raw.delimiter,
                  multiline=wide or quoted_breaks, declared_delimiter=declared)


def _first_file(path: str) -> str:
    target = Path(path)
    if target.is_file():
        return path
    if target.is_dir():
        files = sorted(p for p in target.iterdir() if p.is_file() and not p.name.startswith(("_", ".")))
        if not files:
            raise InputError(f"the folder {path} has no data files")
        return str(files[0])
    raise InputError(f"input file not found: {path}")


def _cut_sample(head: bytes) -> bytes:
    """The head up to its last complete line (aligned to the code unit of UTF-16/32 files)."""
    if len(head) <= SAMPLE_BYTES:
        return head
    head = head[:SAMPLE_BYTES]
    unit = 4 if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)) else \
        2 if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else 1
    end = head.rfind(b"\n")
    if end < 0:
        return head
    end += 1
    return head[: end + (-end % unit)]


def _require_utf8(path: str) -> None:
    """InputError when a file whose head is UTF-8 is not UTF-8 throughout (Spark would read it garbled)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with open(path, "rb") as file:
        while chunk := file.read(_UTF8_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                raise InputError(f"{Path(path).name!r} starts as UTF-8 but byte {offset + error.start} is not "
                                 "UTF-8; save the file as UTF-8, or use --engine pandas") from None
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InputError(f"{Path(path).name!r} ends inside a UTF-8 character; export the file again") from None


def read_csv(spark, source: Source):
    """The whole file as an all-string DataFrame ``c0..c{n-1}`` plus ``row_id`` (file order for one file);
    fully empty rows skipped like core.io does."""
    _, _, F, T = _spark_modules()
    overflow = [f"overflow{i}" for i in range(_OVERFLOW_COLUMNS)]
    schema = T.StructType([T.StructField(name, T.StringType())
                           for name in [f"c{i}" for i in range(source.width)] + overflow])
    frame = (spark.read.schema(schema)
             .option("header", True).option("sep", source.delimiter).option("quote", '"').option("escape", '"')
             .option("encoding", _JAVA_CHARSETS.get(source.encoding, source.encoding))
             .option("multiLine", source.multiline).option("mode", "PERMISSIVE")
             .csv(source.path))
    cells = [F.col(f"c{i}") for i in range(source.width)]
    frame = frame.filter(F.coalesce(*cells, *overflow).isNotNull())
    if source.declared_delimiter:  # Spark took the "sep=" line for the header: skip the real header row
        header = [cell or None for cell in source.sample.header]
        same = [F.trim(c).eqNullSafe(F.lit(h)) for c, h in zip(cells, header)]
        frame = frame.filter(~_all(same))
    frame = frame.withColumn("row_id", F.monotonically_increasing_id())
    misaligned = F.coalesce(*overflow).isNotNull().alias(io.MISALIGNED)
    return frame.select("row_id", *sorted({f"c{i}" for i in source.positions.values()}, key=lambda c: int(c[1:])),
                        misaligned)


def _all(conditions):
    result = conditions[0]
    for condition in conditions[1:]:
        result = result & condition
    return result


# --- profiling and typing ------------------------------------------------------------------------------------------


def _trim(F, column):
    """Unicode white space stripped at both ends; the regular expression runs only on the rare values that start
    or end with white space (a cheap first/last character check for the rest)."""
    edges = F.substring(column, 1, 1).isin(*_WHITE_SPACE) | F.substring(column, -1, 1).isin(*_WHITE_SPACE)
    return F.when(edges, F.regexp_replace(column, _TRIM, "")).otherwise(column)


def _text(F, column):
    """Stripped text, empty -> null (core.io's free text and the first step of ids)."""
    trimmed = _trim(F, column)
    return F.when(trimmed != "", trimmed)


def _id_text(F, column):
    """An id's first step: stripped text, empty or a missing-value placeholder (``nan``, ``NULL``) -> null."""
    text = _text(F, column)
    return F.when(~F.lower(text).isin(*io.ID_PLACEHOLDERS), text)


@dataclass(frozen=True)
class Profile:
    """Column-wide decisions, taken as core.io takes them, from the whole file."""

    date_formats: tuple[str, ...]          # accepted formats, core.io order
    day_first: bool                        # slashed dates
    plain_numbers: dict[str, bool]         # field -> every value is a plain number
    comma_decimal: dict[str, bool]         # field -> the decimal-comma vote won
    strip_float_ids: dict[str, bool]       # id field -> 17850.0 becomes 17850
    needs_fill: bool                       # some line with an order id lacks its customer or date
    distinct_dates: int


def profile(spark, raw, source: Source, policy: CleaningPolicy):
    """(Profile, parsed distinct dates DataFrame [_date_text, _date_us]) from three light scans of ``raw``
    (cache it): a global aggregate for the ids, the distinct date texts, the distinct quantity and price texts."""
    _, _, F, _ = _spark_modules()
    pos = source.positions
    order_text = _id_text(F, F.col(f"c{pos['order_id']}"))
    has_order = order_text.isNotNull()
    id_fields = [name for name in ("customer_id", "order_id", "product_code") if name in pos]
    id_texts = {name: order_text if name == "order_id" else _id_text(F, F.col(f"c{pos[name]}"))
                for name in id_fields}
    date_text = F.col(f"c{pos['date']}")
    flags = raw.agg(  # whether an id has a dot (no regex per row), and lines that may take a value from the order
        *[F.max(id_texts[name].contains(".")).alias(name) for name in id_fields],
        F.sum(F.when(has_order & (id_texts["customer_id"].isNull() | date_text.isNull()), 1).otherwise(0))
        .alias("_missing")).first()
    missing_with_order = flags["_missing"] or 0
    dotted = [name for name in id_fields if flags[name]]
    strip = dict.fromkeys(id_fields, False)
    if dotted:  # 17850.0 -> 17850 only when every id of the column is integer-like (rare: one more scan)
        row = raw.agg(*[F.min(F.when(id_texts[name].isNotNull(), id_texts[name].rlike(_ID_INTEGER_FLOAT)))
                        .alias(name) for name in dotted]).first()
        strip.update({name: bool(row[name]) for name in dotted})
    numbers = (raw.select(F.lit("quantity").alias("field"), F.col(f"c{pos['quantity']}").alias("value"))
               .union(raw.select(F.lit("price"), F.col(f"c{pos['price']}"))))
    plain, comma = _number_decisions(F, numbers)
    dates = (raw.filter(date_text.isNotNull()).groupBy(date_text.alias("_date_text"))
             .agg(F.count(F.lit(1)).alias("rows"), F.sum(F.when(has_order, 1).otherwise(0)).alias("rows_with_order"))
             .withColumn("_norm", F.regexp_replace(_trim(F, F.col("_date_text")), _java(io._TIME_ZONE_SUFFIX), "$1"))
             .localCheckpoint())
    formats, day_first, distinct = _date_decisions(F, dates)
    parsed = _parse_dates(F, dates, formats, day_first).localCheckpoint()
    missing_with_order += parsed.filter(F.col("_date_us").isNull()).agg(F.sum("rows_with_order")).first()[0] or 0
    result = Profile(date_formats=formats, day_first=day_first, plain_numbers=plain, comma_decimal=comma,
                     strip_float_ids=strip, distinct_dates=distinct,
                     needs_fill=policy.fill_from_order and bool(missing_with_order))
    return result, parsed.select("_date_text", "_date_us")


def _number_decisions(F, numbers) -> tuple[dict[str, bool], dict[str, bool]]:
    """Per number field of ``numbers`` [field, value (raw text)]: all values plain (Arrow's cast succeeds), and the
    decimal-comma vote over the distinct texts (core.io._parse_written_numbers)."""
    values = numbers.filter(F.col("value").isNotNull()).distinct()
    text = F.replace(F.regexp_replace("value", _java(io._NUMBER_JUNK), ""), F.lit("\u2212"), F.lit("-"))

    def count(condition):
        return F.sum(F.when(condition, 1).otherwise(0))

    def matches(pattern):
        return text.rlike(_java(pattern))

    rows = values.groupBy("field").agg(
        count(~F.col("value").rlike(_java(io._PLAIN_NUMBER))).alias("non_plain"),
        (count(matches(io._DOT_GROUPED) & ~matches(io._DOT_SINGLE_GROUP))
         + count(matches(io._COMMA_DECIMAL) & ~matches(io._COMMA_SINGLE_GROUP))).alias("comma_votes"),
        (count(matches(io._COMMA_GROUPED) & ~matches(io._COMMA_SINGLE_GROUP))
         + count(matches(io._DOT_DECIMAL) & ~matches(io._DOT_SINGLE_GROUP))).alias("dot_votes"),
    ).collect()
    plain = {"quantity": True, "price": True}
    comma = {"quantity": False, "price": False}
    for row in rows:
        plain[row["field"]] = row["non_plain"] == 0
        comma[row["field"]] = row["comma_votes"] > row["dot_votes"]
    return plain, comma


def _date_decisions(F, dates) -> tuple[tuple[str, ...], bool, int]:
    """Accepted date formats (self-describing ones, plus compact or serial when it is the majority by rows) and
    the slashed order (day-first when more rows have a first part above 12 than a second part), as core.io."""
    names = list(io._DATE_FORMATS)
    slash = io._DATE_FORMATS["slash"]
    groups = _groups(slash)
    norm = F.col("_norm")
    first = F.regexp_extract(norm, _java(slash), groups["first"]).try_cast("int")
    second = F.regexp_extract(norm, _java(slash), groups["second_part"]).try_cast("int")
    is_slash = norm.rlike(_java(slash))
    aggregates = [F.sum(F.when(norm.rlike(_java(io._DATE_FORMATS[name])), F.col("rows")).otherwise(0)).alias(name)
                  for name in names]
    aggregates += [F.sum(F.when(is_slash & (first > 12), F.col("rows")).otherwise(0)).alias("_day_first"),
                   F.sum(F.when(is_slash & (second > 12), F.col("rows")).otherwise(0)).alias("_month_first"),
                   F.count(F.lit(1)).alias("_distinct")]
    row = dates.agg(*aggregates).first()
    rows = {name: row[name] or 0 for name in names}
    majority = max(rows, key=rows.get)
    accepted = (*io._SELF_DESCRIBING_DATE_FORMATS,
                *([majority] if majority not in io._SELF_DESCRIBING_DATE_FORMATS else []))
    return accepted, (row["_day_first"] or 0) > (row["_month_first"] or 0), row["_distinct"]


def _parse_dates(F, dates, formats: tuple[str, ...], day_first: bool):
    """``dates`` [_date_text, _norm, ...] with ``_date_us``: epoch microseconds (naive wall-clock time) of the
    normalised text; null where no accepted format matches or the date does not exist (core.io's
    _parse_distinct_dates). Built in stages (match and extract, then numbers, then microseconds) so that every
    regular expression runs once per value and the generated code stays small."""
    norm = F.col("_norm")
    keep = [F.col(name) for name in dates.columns]
    extracted, numbers, stamps = [], [], []
    for name in formats:
        pattern = io._DATE_FORMATS[name]
        java = _java(pattern)
        matched = norm.rlike(java)
        if name == "serial":
            extracted.append(F.when(matched, norm.try_cast("double")).alias("serial_value"))
            serial = F.col("serial_value")
            valid = (serial >= io._EXCEL_SERIAL_RANGE[0]) & (serial < io._EXCEL_SERIAL_RANGE[1])
            seconds = F.bround(serial * 86_400, 0).cast("long")
            stamps.append(F.when(valid, (seconds + _EXCEL_EPOCH_DAYS * 86_400) * 1_000_000).alias("us_serial"))
            continue
        groups = _groups(pattern)
        extracted += [F.when(matched, F.regexp_extract(norm, java, index)).alias(f"{name}_{group}")
                      for group, index in groups.items()]

        def part(group, default=0):
            if group not in groups:
                return F.lit(default).cast("long")
            text = F.col(f"{name}_{group}")
            return F.when(text == "", F.lit(default).cast("long")).otherwise(text.try_cast("long"))

        year = part("year")
        year = F.when(year < 100, year + 2000).otherwise(year)
        if "first" in groups:
            first, second = part("first"), part("second_part")
            day, month = (first, second) if day_first else (second, first)
        else:
            day, month = part("day"), part("month")
        hour = part("hour")
        if "ampm" in groups:
            meridiem = F.lower(F.substring(F.col(f"{name}_ampm"), 1, 1))
            hour = F.when(meridiem == "p", hour % 12 + 12).when(meridiem == "a", hour % 12).otherwise(hour)
        micro = F.lit(0).cast("long")
        if "fraction" in groups:
            fraction = F.col(f"{name}_fraction")
            micro = F.when(fraction == "", F.lit(0).cast("long")).otherwise(
                F.substring(F.rpad(fraction, 6, "0"), 1, 6).try_cast("long"))
        for label, value in (("y", year), ("mo", month), ("d", day), ("h", hour), ("mi", part("minute")),
                             ("s", part("second")), ("us", micro)):
            numbers.append(value.alias(f"{name}__{label}"))
        stamps.append(_epoch_micros(F, *[F.col(f"{name}__{label}") for label in ("y", "mo", "d", "h", "mi", "s",
                                                                                  "us")]).alias(f"us_{name}"))
    staged = dates.select(*keep, *extracted)
    staged = staged.select(*keep, *[F.col(c) for c in staged.columns if c.startswith("serial")], *numbers)
    staged = staged.select(*keep, *stamps)
    # formats exclude each other; a later one would win, as in core.io's assignment order
    return staged.select(*keep, F.coalesce(*[F.col(f"us_{name}") for name in reversed(formats)],
                                           F.lit(None).cast("long")).alias("_date_us"))


def _epoch_micros(F, year, month, day, hour, minute, second, micro):
    """Microseconds since 1970-01-01 from calendar parts (days_from_civil); null where the date or time does not
    exist or the year is outside core.io's range. Pure integer arithmetic: no time zone, no ANSI errors."""
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    month_days = (F.when(month == 2, F.when(leap, 29).otherwise(28))
                  .when(month.isin(4, 6, 9, 11), 30).otherwise(31))
    valid = (year.between(*io._YEAR_RANGE) & month.between(1, 12) & (day >= 1) & (day <= month_days)
             & (hour < 24) & (minute < 60) & (second < 60))
    shifted = year - F.when(month <= 2, 1).otherwise(0)
    era = F.floor(shifted / 400)
    year_of_era = shifted - era * 400
    day_of_year = F.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1
    day_of_era = year_of_era * 365 + F.floor(year_of_era / 4) - F.floor(year_of_era / 100) + day_of_year
    days = era * 146_097 + day_of_era - 719_468
    return F.when(valid, days * _MICROS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1_000_000 + micro)


def _number(F, column, plain: bool, comma_decimal: bool):
    """float64 as core.io.parse_numbers gives it (only finite values matter downstream: the rest is dropped)."""
    if plain:  # every value is a plain number, which Spark's cast reads exactly like Arrow's
        return column.try_cast("double")
    text = F.replace(F.regexp_replace(column, _java(io._NUMBER_JUNK), ""), F.lit("\u2212"), F.lit("-"))
    comma_grouped, dot_grouped = text.rlike(_java(io._COMMA_GROUPED)), text.rlike(_java(io._DOT_GROUPED))
    comma_single, dot_single = text.rlike(_java(io._COMMA_SINGLE_GROUP)), text.rlike(_java(io._DOT_SINGLE_GROUP))
    comma_thousands = comma_grouped & ~comma_single if comma_decimal else comma_grouped
    dot_thousands = dot_grouped if comma_decimal else dot_grouped & ~dot_single
    cleaned = F.when(comma_thousands, F.replace(text, F.lit(","), F.lit(""))).otherwise(text)
    cleaned = F.when(dot_thousands, F.replace(cleaned, F.lit("."), F.lit(""))).otherwise(cleaned)
    cleaned = F.replace(cleaned, F.lit(","), F.lit("."))
    return F.when(cleaned.rlike(_java(io._PLAIN_NUMBER)), cleaned.try_cast("double"))


def canonical(raw, source: Source, prof: Profile, dates):
    """The typed order lines (core.io.to_canonical): row_id, date (epoch µs), ids, text, quantity, price."""
    _, _, F, _ = _spark_modules()
    pos = source.positions
    date_text = F.col(f"c{pos['date']}")
    lookup = F.broadcast(dates) if prof.distinct_dates <= BROADCAST_DATES else dates
    joined = raw.join(lookup, date_text == F.col("_date_text"), "left")
    columns = [F.col("row_id"), F.col(io.MISALIGNED), F.col("_date_us").alias("date")]
    for name in ("customer_id", "order_id", "product_code"):
        if name in pos:
            text = _id_text(F, F.col(f"c{pos[name]}"))
            if prof.strip_float_ids.get(name):
                text = F.regexp_replace(text, r"\.0+$", "")
            columns.append(text.alias(name))
    for name in ("product", "country", "status"):
        if name in pos:
            columns.append(_text(F, F.col(f"c{pos[name]}")).alias(name))
    for name in ("quantity", "price"):
        columns.append(_number(F, F.col(f"c{pos[name]}"), prof.plain_numbers[name],
                               prof.comma_decimal[name]).alias(name))
    return joined.select(*columns)


# --- cleaning ------------------------------------------------------------------------------------------------------


def fill_from_order(lines):
    """core.clean._fill_from_order: an empty customer id or date taken from the other lines of its order when
    they agree on one value. Adds ``filled`` (bool)."""
    _, _, F, _ = _spark_modules()
    needs = (F.col("customer_id").isNull() | F.col("date").isNull()) & F.col("order_id").isNotNull()
    orders = lines.filter(needs).select("order_id").distinct()
    known = (lines.join(orders, "order_id", "left_semi").groupBy("order_id")
             .agg(F.count_distinct("customer_id").alias("_customers"),
                  F.first("customer_id", ignorenulls=True).alias("_customer"),
                  F.count_distinct("date").alias("_dates"), F.first("date", ignorenulls=True).alias("_date")))
    joined = lines.join(known, "order_id", "left")
    fill_customer = F.col("customer_id").isNull() & (F.col("_customers") == 1)
    fill_date = F.col("date").isNull() & (F.col("_dates") == 1)
    return (joined.withColumn("filled", F.coalesce(fill_customer | fill_date, F.lit(False)))
            .withColumn("customer_id", F.when(fill_customer, F.col("_customer")).otherwise(F.col("customer_id")))
            .withColumn("date", F.when(fill_date, F.col("_date")).otherwise(F.col("date")))
            .drop("_customers", "_customer", "_dates", "_date"))


def clean(lines, policy: CleaningPolicy):
    """core.clean.clean in Spark: every row keeps a ``reason`` (null = kept, else the first DROP_REASONS key that
    dropped it). Kept rows get the signed quantity (returns negative under ``net``), ``is_return`` and revenue."""
    _, Window, F, _ = _spark_modules()
    kept = F.col("reason").isNull()
    fields = [name for name in io.FIELDS if name in lines.columns]

    def drop(frame, reason, condition):
        return frame.withColumn("reason", F.when(kept & condition, F.lit(reason)).otherwise(F.col("reason")))

    def finite(name):
        return F.col(name).isNotNull() & ~F.isnan(name) & (F.abs(name) != float("inf"))

    frame = lines.withColumn("reason", F.lit(None).cast("string"))
    frame = drop(frame, "misaligned_line", F.col(io.MISALIGNED))
    frame = drop(frame, "missing_customer", F.col("customer_id").isNull())
    frame = drop(frame, "missing_order", F.col("order_id").isNull())
    frame = drop(frame, "unparseable_date", F.col("date").isNull())
    frame = drop(frame, "invalid_quantity", ~finite("quantity"))
    frame = drop(frame, "invalid_price", ~finite("price"))
    if "status" in frame.columns:  # distinct statuses are few: judged in Python, as core.clean judges them
        statuses = [row["status"] for row in frame.select("status").where(F.col("status").isNotNull()).distinct()
                    .collect()]
        own = F.coalesce(F.col("status").isin(*[s for s in statuses if is_cancelled_status(s)]), F.lit(False))
        order_cancelled = F.max(own.cast("int")).over(Window.partitionBy("order_id")) == 1
        frame = drop(frame, "cancelled_status", own | (F.col("status").isNull() & order_cancelled))
    cancelled = (F.substring("order_id", 1, 1).isin("C", "c") & F.substring("order_id", 2, 1).between("0", "9"))
    frame = frame.withColumn("is_return", F.coalesce((F.col("quantity") < 0) | cancelled, F.lit(False)))
    if policy.returns == "drop":
        frame = drop(frame, "return_or_cancellation", F.col("is_return")).withColumn("is_return", F.lit(False))
    frame = drop(frame, "zero_quantity", F.col("quantity") == 0)
    frame = drop(frame, "non_positive_price", F.col("price") <= 0)
    if policy.drop_exact_duplicates or policy.dedupe_order_lines or policy.drop_shared_orders:
        # One shuffle by order id and one sort: lines of a (order, customer, product, purchase or return) sorted
        # with the kept ones first, latest first (ties by quantity, then price); identical lines are then
        # neighbours, and a return never supersedes the purchase it returns.
        frame = frame.repartition("order_id").withColumn("_kept", kept)
        rest = [name for name in fields if name not in ("order_id", "customer_id", "product")]
        lines_window = Window.partitionBy("order_id", "customer_id", "product", "is_return").orderBy(
            F.desc("_kept"), F.desc("date"), F.desc("quantity"), F.desc("price"),
            *[name for name in rest if name not in ("date", "quantity", "price")], "row_id")
        position = F.row_number().over(lines_window)
        if policy.drop_exact_duplicates:  # identical lines share every earlier step's fate: keep the first
            same = [F.lag(name).over(lines_window).eqNullSafe(F.col(name)) for name in rest]
            frame = drop(frame, "exact_duplicate", (position > 1) & F.lag("_kept").over(lines_window) & _all(same))
        if policy.dedupe_order_lines:  # the first line of the group is the kept, latest one
            frame = drop(frame, "duplicate_order_line", position > 1)
        if policy.drop_shared_orders:  # same ordering prefix: no new sort
            order_window = Window.partitionBy("order_id")
            customer = F.when(kept, F.col("customer_id"))
            frame = drop(frame, "shared_order", F.col("order_id").isNotNull()
                         & (F.min(customer).over(order_window) != F.max(customer).over(order_window)))
    if policy.quantity_limit is not None:
        frame = drop(frame, "quantity_limit", F.col("quantity") >= policy.quantity_limit)
    if policy.returns == "net":
        window = Window.partitionBy(kept, "customer_id")
        purchases = F.max(F.when(~F.col("is_return"), 1).otherwise(0)).over(window)
        frame = drop(frame, "return_without_purchase", F.col("is_return") & (purchases == 0))
    quantity = F.when(F.col("is_return"), -F.abs("quantity")).otherwise(F.col("quantity"))
    if "filled" not in frame.columns:
        frame = frame.withColumn("filled", F.lit(False))
    return frame.select("row_id", "date", "customer_id", "order_id", "product", quantity.alias("quantity"),
                        "price", "is_return", (quantity * F.col("price")).alias("revenue"), "reason", "filled")


# --- aggregation ---------------------------------------------------------------------------------------------------


def customer_table(lines, product_categories=None, category_names: tuple[str, ...] = ()):
    """Orders and customers of kept lines (core.orders.build_orders / build_customers) as Spark DataFrames.

    Returns (orders [order_id, customer_id, date, revenue], customers [customer_id, first_purchase,
    last_purchase (epoch µs), orders, revenue, _spend0.._spendN]); the spend columns follow ``category_names``
    (net revenue per category, 0 when none), from ``product_categories`` [product, category] (null product or
    no match = Other).
    """
    _, _, F, _ = _spark_modules()
    purchases = lines.filter(~F.col("is_return") & F.col("order_id").isNotNull())
    orders = (purchases.groupBy("order_id", "customer_id")
              .agg(F.min("date").alias("date"), F.sum("revenue").alias("revenue")))
    customers = (orders.groupBy("customer_id")
                 .agg(F.min("date").alias("first_purchase"), F.max("date").alias("last_purchase"),
                      F.count(F.lit(1)).alias("orders"), F.sum("revenue").alias("revenue")))
    returned = (lines.filter(F.col("is_return")).groupBy("customer_id")
                .agg(F.sum("revenue").alias("_returned")))
    customers = (customers.join(returned, "customer_id", "left")
                 .withColumn("revenue", _snap(F, F.col("revenue") + F.coalesce(F.col("_returned"), F.lit(0.0))))
                 .drop("_returned"))
    if product_categories is not None and category_names:
        tagged = (lines.join(F.broadcast(product_categories), "product", "left")
                  .withColumn("category", F.coalesce(F.col("category"), F.lit(OTHER))))
        spend = tagged.groupBy("customer_id").pivot("category", list(category_names)).agg(_snap(F, F.sum("revenue")))
        spend = spend.toDF("customer_id", *[f"_spend{i}" for i in range(len(category_names))])
        customers = customers.join(spend, "customer_id", "left").fillna(
            0.0, subset=[f"_spend{i}" for i in range(len(category_names))])
    return orders, customers


def _to_pandas(frame) -> pd.DataFrame:
    """``toPandas()`` without pyspark's warnings about pandas 3 (the results are correct; checked by the tests)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        return frame.toPandas()


def _snap(F, total):
    """A money sum with its float noise around zero removed: a purchase fully returned nets to 0.0 as in pandas
    (whose compensated sums give exactly 0 there), so it is neither a positive spend nor a distinct monetary value."""
    return F.when(F.abs(total) < 1e-9, F.lit(0.0)).otherwise(total)


def _to_pandas_customers(customers, category_names: tuple[str, ...]) -> pd.DataFrame:
    """The Spark customer table as core.orders.build_customers' frame plus ``spend_<category>`` columns."""
    frame = _to_pandas(customers)
    result = pd.DataFrame({
        "customer_id": frame["customer_id"].astype(io.STR_DTYPE),
        "first_purchase": _micros(frame["first_purchase"]),
        "last_purchase": _micros(frame["last_purchase"]),
        "orders": frame["orders"].astype("int64"),
        "revenue": frame["revenue"].astype("float64"),
    })
    result["aov"] = result["revenue"] / result["orders"]
    for i, name in enumerate(category_names):
        result[f"spend_{name}"] = frame[f"_spend{i}"].astype("float64").to_numpy()
    return result.sort_values("customer_id", kind="stable", ignore_index=True)


def _micros(values: pd.Series) -> pd.Series:
    return pd.Series(np.asarray(values, dtype="int64").view("datetime64[us]"), index=values.index)


def _timestamp(micros) -> pd.Timestamp:
    return pd.Timestamp(np.datetime64(int(micros), "us"))


def coverage(per_product: pd.DataFrame, category_of: pd.Series) -> dict:
    """core.categories.coverage from per-product totals (product, rows, revenue, first_row): same fractions;
    categories in order of first appearance before the stable sort by revenue and rows."""
    category = per_product["product"].map(category_of).fillna(OTHER).astype(str)
    known = (category != OTHER).to_numpy()
    rows, revenue = per_product["rows"].to_numpy(), per_product["revenue"].to_numpy()
    total = float(revenue.sum())
    named = per_product["product"].notna().to_numpy()
    groups = (per_product.assign(category=category).groupby("category", sort=False)
              .agg(size=("rows", "sum"), sum=("revenue", "sum"), first=("first_row", "min"))
              .sort_values("first", kind="stable")[["size", "sum"]])
    if OTHER not in groups.index:
        groups.loc[OTHER] = [0, 0.0]
    groups = groups.sort_values(["sum", "size"], ascending=False, kind="stable")
    return {
        "coverage_rows": float(rows[known].sum() / rows.sum()) if rows.sum() else 0.0,
        "coverage_revenue": float(revenue[known].sum()) / total if total > 0 else 0.0,
        "coverage_names": float((known & named).sum() / named.sum()) if named.sum() else 0.0,
        "by_category": {str(name): {"rows": int(row["size"]), "revenue": float(row["sum"])}
                        for name, row in groups.iterrows()},
    }


# --- the whole run -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SparkAnalysis:
    """A Spark engine run: what ``pipeline.summary`` reports, with the customer table in pandas."""

    source: Source
    report: CleaningReport
    customers: pd.DataFrame         # build_customers' columns + spend_<category>, all kept lines
    orders: int                     # distinct order ids
    revenue: float                  # all kept lines
    first_date: pd.Timestamp
    last_date: pd.Timestamp
    categories: dict                # core.categories.coverage
    rules: tuple
    segmentation: pipeline.Segmentation
    timings: dict[str, float] = field(default_factory=dict)   # seconds per stage


def run(spark, path: str | os.PathLike, settings: Settings, typed: Collection[str] = ()) -> SparkAnalysis:
    """The pandas engine's ``pipeline.run`` + ``summary`` inputs (``typed`` as there), with the heavy stages in
    ``spark``."""
    _, _, F, _ = _spark_modules()
    configure(spark)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(stage):
        nonlocal clock
        now = time.perf_counter()
        timings[stage] = round(now - clock, 3)
        clock = now

    source = inspect(path, settings.mapping, typed)
    lap("inspect")
    raw = read_csv(spark, source).persist()   # the CSV is parsed once: profile and typing read the cache
    cached = [raw]
    try:
        prof, dates = profile(spark, raw, source, settings.cleaning)
        lap("profile")
        lines = canonical(raw, source, prof, dates)
        if prof.needs_fill:
            lines = fill_from_order(lines)
        marked = clean(lines, settings.cleaning).localCheckpoint()   # materialised; lineage cut
        raw.unpersist()
        cached.remove(raw)
        counts = marked.groupBy("reason").agg(
            F.count(F.lit(1)).alias("rows"), F.sum(F.col("filled").cast("long")).alias("filled"),
            F.sum(F.col("is_return").cast("long")).alias("returns")).collect()
        dropped = dict.fromkeys(DROP_REASONS, 0)
        kept_rows = returns_kept = 0
        for row in counts:
            if row["reason"] is None:
                kept_rows, returns_kept = row["rows"], row["returns"] or 0
            else:
                dropped[row["reason"]] = row["rows"]
        report = CleaningReport(input_rows=sum(row["rows"] for row in counts), kept_rows=kept_rows,
                                dropped=dropped, filled_from_order=sum(row["filled"] or 0 for row in counts),
                                returns_kept=returns_kept)
        lap("clean")
        if not kept_rows:
            pipeline.require_usable_rows(pipeline.Prepared(None, None, pd.DataFrame(), report))
        kept = marked.filter(F.col("reason").isNull())
        per_product, rules, category_of, product_categories, names = categorise_products(spark, kept, settings)
        lap("products")
        orders, customers = customer_table(kept, product_categories, names)
        orders = orders.persist()
        cached.append(orders)
        table = _to_pandas_customers(customers, names)
        order_count = orders.select("order_id").distinct().count()
        pipeline.require_usable_rows(pipeline.Prepared(None, orders, table, report))
        last_line = _timestamp(per_product["last_us"].max())
        scoring_table = table
        if settings.analysis_date:
            date = pd.Timestamp(settings.analysis_date)
            if last_line >= date:  # an earlier date: rebuild the customers from the lines before it
                cut = int(np.datetime64(date.to_datetime64(), "us").astype("int64"))
                _, before = customer_table(kept.filter(F.col("date") < cut), product_categories, names)
                scoring_table = _to_pandas_customers(before, names)
                if scoring_table.empty:
                    raise InputError(f"no orders before {date:%Y-%m-%d}: choose a later analysis date")
        lap("customers")
    finally:
        for frame in reversed(cached):
            frame.unpersist()
    segmentation = pipeline.segment_customer_table(scoring_table, settings, last_activity=last_line)
    lap("score")
    return SparkAnalysis(
        source=source, report=report, customers=table, orders=int(order_count),
        revenue=float(per_product["revenue"].sum()), first_date=_timestamp(per_product["first_us"].min()),
        last_date=last_line, categories=coverage(per_product, category_of), rules=tuple(rules),
        segmentation=segmentation, timings=timings)


def categorise_products(spark, kept, settings: Settings):
    """Per-product totals of the kept lines (pandas: product, rows, revenue, first_row, first_us, last_us), the
    rules in force, each distinct name's category (pandas, core.categories), that mapping as a Spark DataFrame
    [product, category] and the sorted names of the categories present."""
    _, _, F, _ = _spark_modules()
    per_product = _to_pandas(kept.groupBy("product").agg(
        F.count(F.lit(1)).alias("rows"), F.sum("revenue").alias("revenue"),
        F.min("row_id").alias("first_row"), F.min("date").alias("first_us"),
        F.max("date").alias("last_us")))
    language = settings.language
    if settings.rules is None and language is None:
        language = categories.detect_language(_language_sample(kept, per_product, F))
    rules = settings.rules if settings.rules is not None else categories.default_rules(language)
    category_of = categories.categorise_names(per_product["product"].dropna().astype(str), rules)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        product_categories = spark.createDataFrame(pd.DataFrame(
            {"product": category_of.index.astype(object), "category": category_of.to_numpy(dtype=object)}),
            "product string, category string")
    present = set(category_of.to_numpy(dtype=object)) | ({OTHER} if per_product["product"].isna().any() else set())
    return per_product, tuple(rules), category_of, product_categories, tuple(sorted(present))


def _language_sample(kept, per_product: pd.DataFrame, F) -> pd.Series:
    """The product names core.categories.detect_language looks at: distinct names of the first 50,000 kept lines
    with a name, in order of first appearance (at most 5,000)."""
    named = per_product[per_product["product"].notna()]
    cutoff = np.inf
    if named["rows"].sum() > LANGUAGE_LINES:
        cutoff = (kept.filter(F.col("product").isNotNull()).select("row_id").orderBy("row_id")
                  .limit(LANGUAGE_LINES).agg(F.max("row_id")).first()[0])
    names = named[named["first_row"] <= cutoff].sort_values("first_row")["product"]
    return names.head(LANGUAGE_NAMES).astype(str).reset_index(drop=True)


def run_file(path: str | os.PathLike, settings: Settings, spark=None, typed: Collection[str] = ()) -> SparkAnalysis:
    """:func:`run` in ``spark``, else in the active session, else in a local session of its own (stopped
    afterwards; its start-up time is reported as the ``session`` stage)."""
    if spark is None and "pyspark" in sys.modules:
        SparkSession, _, _, _ = _spark_modules()
        spark = SparkSession.getActiveSession()
    if spark is not None:
        return run(spark, path, settings, typed)
    started = time.perf_counter()
    session = make_session()
    try:
        result = run(session, path, settings, typed)
    finally:
        session.stop()
    return SparkAnalysis(**{**result.__dict__,
                            "timings": {"session": round(time.perf_counter() - started
                                                         - sum(result.timings.values()), 3), **result.timings}})


def summary(result: SparkAnalysis) -> dict:
    """The CLI's ``summary`` JSON, key for key as ``pipeline.summary`` gives it for the pandas engine."""
    report = result.report
    return {
        "input": result.source.input_block(),
        "rows": {"input": report.input_rows, "kept": report.kept_rows, "dropped": dict(report.dropped)},
        "customers": int(len(result.customers)),
        "orders": result.orders,
        "revenue": round(result.revenue, 2),
        "first_date": result.first_date.isoformat(),
        "last_date": result.last_date.isoformat(),
        "categories": result.categories,
        **pipeline.segmentation_summary(result.segmentation),
    }


# --- cluster job ---------------------------------------------------------------------------------------------------


def write_customer_table(spark, path: str, out: str, settings: Settings) -> dict:
    """Clean ``path`` and write the customer table (``core.customer_table`` columns, timestamps, spend per
    category) to ``out`` as Parquet, all in Spark (nothing collected but the per-product totals). Returns the
    row accounting."""
    _, _, F, _ = _spark_modules()
    configure(spark)
    source = inspect(path, settings.mapping)
    raw = read_csv(spark, source).persist()
    try:
        prof, dates = profile(spark, raw, source, settings.cleaning)
        lines = canonical(raw, source, prof, dates)
        if prof.needs_fill:
            lines = fill_from_order(lines)
        marked = clean(lines, settings.cleaning).localCheckpoint()
    finally:
        raw.unpersist()
    try:
        kept = marked.filter(F.col("reason").isNull())
        counts = {row["reason"] or "kept": row["rows"]
                  for row in marked.groupBy("reason").agg(F.count(F.lit(1)).alias("rows")).collect()}
        _, _, _, product_categories, names = categorise_products(spark, kept, settings)
        _, customers = customer_table(kept, product_categories, names)
        customers = customers.select(
            "customer_id", F.timestamp_micros("first_purchase").alias("first_purchase"),
            F.timestamp_micros("last_purchase").alias("last_purchase"), "orders", "revenue",
            *[F.col(f"_spend{i}").alias(f"spend_{name}") for i, name in enumerate(names)])
        customers.write.mode("overwrite").parquet(out)
    finally:
        marked.unpersist()
    return {"input": source.input_block(), "rows": counts}


def main(argv: list[str] | None = None) -> int:
    """``spark-submit core/spark_engine.py ORDERS OUT.parquet [--settings S.json]`` (the session comes from
    spark-submit: master, memory and executors are its options)."""
    parser = argparse.ArgumentParser(prog="spark_engine", description=main.__doc__)
    parser.add_argument("input", help="CSV order lines: a file or a folder of part files")
    parser.add_argument("output", help="Parquet folder for the customer table")
    parser.add_argument("--settings", help="settings JSON saved by the app")
    args = parser.parse_args(argv)
    settings = Settings.from_json(Path(args.settings).read_bytes()) if args.settings else Settings()
    SparkSession, _, _, _ = _spark_modules()
    active = SparkSession.getActiveSession()
    spark = active or SparkSession.builder.appName("core-customer-table").getOrCreate()
    try:
        print(json.dumps(write_customer_table(spark, args.input, args.output, settings), ensure_ascii=False))
    finally:
        if active is None:
            spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
