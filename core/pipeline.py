"""The one path for the data, shared by the app and the CLI so they can never disagree.

``bytes -> read -> map columns -> canonical lines -> clean (with report) -> orders -> customers``.
The app caches :func:`load` on the upload's content hash and :func:`prepare` on that hash plus the cleaning
policy; later stages recompute from the cached tables.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import io
from core.clean import DROP_REASONS, CleaningReport, clean
from core.errors import InputError
from core.orders import build_customers, build_orders
from core.settings import CleaningPolicy, Settings


@dataclass(frozen=True)
class Intake:
    """A read file, the column mapping in force and the typed canonical lines (nothing dropped yet)."""

    raw: io.RawTable
    mapping: dict[str, str]
    canonical: pd.DataFrame


@dataclass(frozen=True)
class Prepared:
    """Clean lines with the order and customer tables built from them, and the row accounting."""

    lines: pd.DataFrame
    orders: pd.DataFrame
    customers: pd.DataFrame
    report: CleaningReport


def load(data: bytes, file_name: str, settings: Settings) -> Intake:
    """Read an upload, resolve the column mapping (auto-mapped, then the user's overrides) and type the columns.

    Raises :class:`core.errors.InputError` for unreadable files and missing or ambiguous columns.
    """
    return map_columns(io.read_table(data, file_name, sheet=settings.sheet), settings.mapping)


def map_columns(raw: io.RawTable, overrides: dict[str, str]) -> Intake:
    """Resolve the mapping (auto-mapped, then ``overrides``) of a read file and type its columns."""
    mapping = io.resolve_mapping(raw, overrides)
    return Intake(raw=raw, mapping=mapping, canonical=io.to_canonical(raw, mapping))


def prepare(canonical: pd.DataFrame, policy: CleaningPolicy) -> Prepared:
    """Clean the lines and build orders and customers (see ``core.clean`` and ``core.orders``)."""
    result = clean(canonical, policy)
    orders = build_orders(result.lines)
    customers = build_customers(result.lines, orders)
    return Prepared(lines=result.lines, orders=orders, customers=customers, report=result.report)


def summary(intake: Intake, prepared: Prepared) -> dict:
    """The CLI's ``summary`` JSON object (keys are a stable contract: later features only add keys)."""
    raw, report = intake.raw, prepared.report
    dates = prepared.lines["date"]
    return {
        "input": {"file": raw.file_name, "format": raw.format, "encoding": raw.encoding,
                  "delimiter": raw.delimiter, "columns": dict(intake.mapping)},
        "rows": {"input": report.input_rows, "kept": report.kept_rows, "dropped": dict(report.dropped)},
        "customers": int(len(prepared.customers)),
        "orders": int(prepared.orders["order_id"].nunique()),
        "revenue": round(float(prepared.lines["revenue"].sum()), 2),
        "first_date": dates.min().isoformat() if len(dates) else None,
        "last_date": dates.max().isoformat() if len(dates) else None,
    }


def require_usable_rows(prepared: Prepared) -> None:
    """Raise :class:`InputError` when cleaning kept no line, naming the main reason."""
    report = prepared.report
    if report.kept_rows:
        return
    if not report.input_rows:
        raise InputError("the file has no data rows: export the orders with at least one line")
    reason, count = max(report.dropped.items(), key=lambda item: item[1])
    raise InputError(f"no usable rows: all {report.input_rows} rows were dropped, {count} of them because "
                     f"'{DROP_REASONS[reason].lower()}'; check the column mapping and the cleaning options")
