"""Customer-level input: a customer table built elsewhere (a Spark job, a SQL warehouse), one row per customer.

The heavy part of the pipeline (cleaning, orders, customers) can run where the order lines live; the app and
the CLI continue from scoring onward with this table (``pipeline.segment_customer_table``).

Columns (matched by name; case, spaces, underscores and dashes do not matter):

* ``customer_id``, ``first_purchase``, ``last_purchase``, ``orders``, ``revenue``: required. Ids are text
  (``17850.0`` is read as ``17850`` when every id is a whole number); dates are any format ``core.io`` reads,
  or real date/timestamp columns (Parquet); orders is a whole number >= 1; revenue a finite number (net of
  returns, currency of the shop).
* ``spend_<category>``: optional, any number of them: the customer's net spend in that category (empty = 0).
  They give each customer's dominant category (the largest spend clipped at 0; ties go to the category name
  that sorts first; none when nothing is spent), as ``core.categories.category_spend_shares`` does on lines.
* anything else (``aov``, ``recency_days``, ...) is ignored: the app recomputes what it needs.

Formats: Parquet (by content), CSV or .xlsx (read like order exports by ``core.io.read_table``).
"""
from __future__ import annotations

import io as _bytes_io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from core import io
from core.categories import OTHER
from core.errors import InputError
from core.i18n import Message
from core.orders import CUSTOMER_COLUMNS

REQUIRED_COLUMNS = ("customer_id", "first_purchase", "last_purchase", "orders", "revenue")
SPEND_PREFIX = "spend_"
_SNIFF_BYTES = 1 << 16
_LISTED = 20


@dataclass(frozen=True)
class CustomerInput:
    """A read customer table: ``customers`` has CUSTOMER_COLUMNS (typed like ``core.orders.build_customers``,
    sorted by customer_id) followed by the ``spend_<category>`` columns; ``source`` describes the file."""

    customers: pd.DataFrame
    source: dict


def _key(name: object) -> str:
    """A column name reduced for matching: casefolded, only letters and digits."""
    return re.sub(r"[\W_]+", "", str(name).casefold())


def is_spend_column(name: object) -> bool:
    """Whether a column name is ``spend_<category>`` (prefix case-insensitive, category not empty)."""
    text = str(name)
    return text[: len(SPEND_PREFIX)].casefold() == SPEND_PREFIX and bool(text[len(SPEND_PREFIX):].strip())


def looks_like_customer_table(columns: Sequence[object]) -> bool:
    """Whether the columns name every required customer-table column (the auto-detection rule)."""
    keys = {_key(column) for column in columns}
    return all(_key(required) in keys for required in REQUIRED_COLUMNS)


def sniff_columns(path: str | Path) -> list[str] | None:
    """Column names of a Parquet file or of a CSV's first line (reading only the head); None when unknown."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            head = file.read(_SNIFF_BYTES)
        if head.startswith(io.PARQUET_MAGIC):
            import pyarrow.parquet as pq
            return list(pq.read_schema(path).names)
        if head.startswith(b"PK\x03\x04") or not head:
            return None  # workbooks: read them with --input-kind customers
        cut = max(head.rfind(b"\n"), head.rfind(b"\r"))
        if len(head) == _SNIFF_BYTES and cut > 0:
            head = head[:cut + 1]
        return list(io.read_table(head, path.name).columns)
    except (OSError, InputError, ValueError):
        return None


def parquet_columns(data: bytes) -> list[str] | None:
    """Column names of Parquet bytes from the file's footer (no data read); None when not readable Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    try:
        return list(pq.read_schema(pa.BufferReader(data)).names)
    except (pa.ArrowException, OSError):
        return None


def read(data: bytes, file_name: str, sheet: str | None = None) -> CustomerInput:
    """Read and validate a customer table (Parquet, CSV or .xlsx bytes; ``sheet`` as in ``core.io.read_table``);
    raises InputError naming what is wrong."""
    if data.startswith(io.PARQUET_MAGIC):
        try:
            frame = pd.read_parquet(_bytes_io.BytesIO(data))
        except Exception as error:  # pyarrow reports damaged files with several exception types
            raise InputError(Message("errors.customer_table.bad_parquet", file=file_name,
                                     error=str(error).splitlines()[0])) from None
        source = {"file": file_name, "format": "parquet", "encoding": None, "delimiter": None, "notes": []}
    else:
        raw = io.read_table(data, file_name, sheet=sheet)
        frame = raw.frame
        source = {"file": file_name, "format": raw.format, "encoding": raw.encoding, "delimiter": raw.delimiter,
                  "notes": list(map(str, raw.notes))}
    customers, columns = from_frame(frame, file_name)
    return CustomerInput(customers=customers, source={**source, "kind": "customers", "columns": columns})


def from_frame(frame: pd.DataFrame, file_name: str = Message("errors.customer_table.default_name")
               ) -> tuple[pd.DataFrame, dict[str, str]]:
    """Typed, validated customer table and the column used for each field (spend columns under their own name).

    Result columns: CUSTOMER_COLUMNS (aov = revenue / orders), then ``spend_<category>`` float columns in the
    file's order; sorted by customer_id.
    """
    names = [str(column) for column in frame.columns]
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(_key(name), name)
    missing = [field for field in REQUIRED_COLUMNS if _key(field) not in by_key]
    if missing:
        listed = ", ".join(repr(name) for name in names[:_LISTED]) + (" ..." if len(names) > _LISTED else "")
        raise InputError(Message("errors.customer_table.not_customer_table", file=file_name,
                                 missing=", ".join(missing), required=", ".join(REQUIRED_COLUMNS), listed=listed))
    columns = {field: by_key[_key(field)] for field in REQUIRED_COLUMNS}
    if not len(frame):
        raise InputError(Message("errors.customer_table.no_rows", file=file_name))
    ids = io.normalize_ids(frame[columns["customer_id"]])
    _require(ids.notna(), "customer_id", Message("errors.customer_table.empty"), frame[columns["customer_id"]])
    repeated = ids[ids.duplicated()]
    if len(repeated):
        raise InputError(Message("errors.customer_table.repeated_id", id=repeated.iloc[0],
                                 rows=ids.duplicated(keep=False).sum()))
    first = io.parse_dates(frame[columns["first_purchase"]])
    last = io.parse_dates(frame[columns["last_purchase"]])
    not_a_date = Message("errors.customer_table.not_a_date")
    _require(first.notna(), "first_purchase", not_a_date, frame[columns["first_purchase"]])
    _require(last.notna(), "last_purchase", not_a_date, frame[columns["last_purchase"]])
    _require(first <= last, "first_purchase", Message("errors.customer_table.after_last"),
             frame[columns["first_purchase"]])
    orders = io.parse_numbers(frame[columns["orders"]])
    _require(np.isfinite(orders) & (orders >= 1) & (orders == np.round(orders)), "orders",
             Message("errors.customer_table.bad_orders"), frame[columns["orders"]])
    revenue = io.parse_numbers(frame[columns["revenue"]])
    not_a_number = Message("errors.customer_table.not_a_number")
    _require(np.isfinite(revenue), "revenue", not_a_number, frame[columns["revenue"]])
    customers = pd.DataFrame({"customer_id": ids, "first_purchase": first, "last_purchase": last,
                              "orders": orders.astype("int64"), "revenue": revenue.astype("float64")})
    customers["aov"] = customers["revenue"] / customers["orders"]
    spend_names = [name for name in names if is_spend_column(name)]
    for name in spend_names:
        values = io.parse_numbers(frame[name])
        text = frame[name]
        empty = text.isna() | (text.astype(str).str.strip() == "") if not pd.api.types.is_numeric_dtype(text) \
            else text.isna()
        _require(np.isfinite(values) | empty, name, not_a_number, text)
        column = SPEND_PREFIX + name[len(SPEND_PREFIX):].strip()
        if column in customers.columns:
            raise InputError(Message("errors.customer_table.spend_twice", column=column))
        customers[column] = values.where(np.isfinite(values), 0.0).astype("float64")
        columns[column] = name
    customers = customers.sort_values("customer_id", kind="stable", ignore_index=True)
    return customers[CUSTOMER_COLUMNS + [c for c in customers.columns if c not in CUSTOMER_COLUMNS]], columns


def _require(ok: pd.Series, column: str, problem: str, values: pd.Series) -> None:
    bad = ~np.asarray(ok, dtype=bool)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise InputError(Message("errors.customer_table.bad_values", column=column, n=int(bad.sum()), problem=problem,
                                 row=position + 2, value=values.iloc[position]))


def kpis(customers: pd.DataFrame) -> dict:
    """The headline figures of ``core.orders.kpis`` from a customer table: customers, orders (the sum of the
    per-customer orders: an order shared by two customers counts twice), revenue, aov (revenue per order),
    first_date and last_date (the first first purchase and the last last purchase; None without customers)."""
    orders, revenue = int(customers["orders"].sum()), float(customers["revenue"].sum())
    empty = customers.empty
    return {"customers": int(len(customers)), "orders": orders, "revenue": revenue,
            "aov": revenue / orders if orders else 0.0,
            "first_date": None if empty else customers["first_purchase"].min(),
            "last_date": None if empty else customers["last_purchase"].max()}


def spend_columns(customers: pd.DataFrame) -> dict[str, str]:
    """``spend_<category>`` column -> category name, in column order."""
    return {column: column[len(SPEND_PREFIX):] for column in customers.columns if is_spend_column(column)}


def spend_table(customers: pd.DataFrame) -> pd.DataFrame | None:
    """Net spend per category (columns = category names, index = customer_id); None without spend columns."""
    columns = spend_columns(customers)
    if not columns:
        return None
    spend = customers[list(columns)].rename(columns=columns)
    spend.index = pd.Index(customers["customer_id"], name="customer_id")
    return spend.astype("float64")


def dominant_category(spend: pd.DataFrame) -> pd.Series:
    """Per customer (spend's index): the category with the largest spend clipped at 0, ties to the name that
    sorts first; NA when nothing positive is spent. Same rule as ``categories.category_spend_shares``."""
    clipped = spend.clip(lower=0.0)
    clipped = clipped[sorted(clipped.columns)]
    total = clipped.sum(axis=1)
    if not len(clipped.columns):
        return pd.Series(pd.NA, index=spend.index, dtype="string", name="dominant_category")
    dominant = clipped.idxmax(axis=1).astype(object).where(total > 0, pd.NA)
    return dominant.astype("string").rename("dominant_category")


def category_totals(customers: pd.DataFrame) -> dict | None:
    """Summary of the spend columns: ``coverage_revenue`` (share of the positive total spend outside Other) and
    ``by_category`` {name: {"revenue": net spend}} by spend descending; None without spend columns."""
    spend = spend_table(customers)
    if spend is None:
        return None
    totals = spend.sum(axis=0).sort_values(ascending=False, kind="stable")
    total = float(totals.sum())
    known = float(totals.drop(OTHER, errors="ignore").sum())
    return {"coverage_revenue": known / total if total > 0 else 0.0,
            "by_category": {str(name): {"revenue": float(value)} for name, value in totals.items()}}
