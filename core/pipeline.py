"""The one path for the data, shared by the app and the CLI so they can never disagree.

``bytes -> read -> map columns -> canonical lines -> clean (with report) -> orders -> customers
-> categorise -> RFM scores -> segments``.
The app caches each stage on the upload's content hash plus the settings that stage depends on, so a later
choice (thresholds, segment map) recomputes only from the cached tables before it.
"""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from core import categories, io, rfm, segments
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


def load(data: bytes, file_name: str, settings: Settings, typed: Collection[str] = ()) -> Intake:
    """Read an upload, resolve the column mapping (auto-mapped, then the user's overrides) and type the columns.

    ``typed``: the fields of ``settings.mapping`` a person typed (the CLI's ``--map``; see
    ``core.io.resolve_mapping``). Raises :class:`core.errors.InputError` for unreadable files and missing or
    ambiguous columns.
    """
    return map_columns(io.read_table(data, file_name, sheet=settings.sheet), settings.mapping, typed)


def map_columns(raw: io.RawTable, overrides: dict[str, str], typed: Collection[str] = ()) -> Intake:
    """Resolve the mapping (auto-mapped, then ``overrides``) of a read file and type its columns."""
    mapping = io.resolve_mapping(raw, overrides, typed)
    return Intake(raw=raw, mapping=mapping, canonical=io.to_canonical(raw, mapping))


def prepare(canonical: pd.DataFrame, policy: CleaningPolicy) -> Prepared:
    """Clean the lines and build orders and customers (see ``core.clean`` and ``core.orders``)."""
    result = clean(canonical, policy)
    orders = build_orders(result.lines)
    customers = build_customers(result.lines, orders)
    return Prepared(lines=result.lines, orders=orders, customers=customers, report=result.report)


@dataclass(frozen=True)
class Segmentation:
    """Customers scored and segmented as of ``analysis_date`` (midnight; only earlier purchases count).

    customers: ``core.rfm.rfm_table`` columns plus R, F, M, RFM, segment, lifecycle (Single order / Repeat)
    and dominant_category (NA without category spend). scores: ``core.rfm.ScoreResult`` keyed R, F, M.
    segment_map: the rules applied (the settings' map or the default one for the bins).
    """

    analysis_date: pd.Timestamp
    customers: pd.DataFrame
    scores: dict[str, rfm.ScoreResult]
    segment_map: tuple[segments.SegmentRule, ...]


def effective_language(settings: Settings, lines: pd.DataFrame) -> str:
    """The settings' language, else the one of the product names (Cyrillic -> "ru")."""
    return settings.language or categories.detect_language(lines["product"])


def effective_rules(settings: Settings, language: str) -> tuple[categories.Rule, ...]:
    """The settings' category rules, else the default set for ``language`` (see :func:`effective_language`)."""
    return settings.rules if settings.rules is not None else categories.default_rules(language)


def categorise_lines(lines: pd.DataFrame, rules: tuple[categories.Rule, ...]) -> pd.DataFrame:
    """Clean lines with a ``category`` column (first matching rule, ``Other`` when none)."""
    return lines.assign(category=categories.categorise(lines["product"], rules))


def effective_segment_map(settings: Settings, scores: Mapping[str, rfm.ScoreResult] | None = None
                          ) -> tuple[segments.SegmentRule, ...]:
    """The settings' segment map, else the classic map fitted to the numbers of R, F and M bins and, given the
    ``scores`` of a scoring run, to the scores in use (``core.segments.default_segment_map_for``)."""
    if settings.segment_map is not None:
        return settings.segment_map
    scoring = settings.scoring
    used = None if scores is None else {letter: result.used_scores for letter, result in scores.items()}
    return segments.default_segment_map_for(scoring.recency.n_bins, scoring.frequency.n_bins,
                                            scoring.monetary.n_bins, used)


def analysis_date(settings: Settings, lines: pd.DataFrame) -> pd.Timestamp:
    """The settings' analysis date, else the midnight after the last purchase."""
    if settings.analysis_date:
        return pd.Timestamp(settings.analysis_date)
    return rfm.default_analysis_date(lines)


def dominant_categories(lines: pd.DataFrame, date: pd.Timestamp) -> pd.Series:
    """Each customer's dominant category (most spend before ``date``), indexed by customer_id; NA without spend."""
    return categories.dominant_category(lines[lines["date"] < date])


def segment_customers(lines: pd.DataFrame, customers: pd.DataFrame, settings: Settings,
                      dominant: pd.Series | None = None) -> Segmentation:
    """Score R, F, M and assign segments as of the analysis date.

    With the default date the prepared customer table is used as is; an earlier date rebuilds customers from the
    lines before it. ``dominant`` (from :func:`dominant_categories`, which the app caches because it does not
    depend on thresholds) is computed here when not given and ``lines`` has a ``category`` column.
    """
    date = analysis_date(settings, lines)
    if settings.analysis_date and (lines["date"] >= date).any():
        table = rfm.rfm_from_lines(lines, date)
    else:
        table = rfm.rfm_table(customers, date)
    scored, scores = rfm.score_rfm(table, settings.scoring)
    segment_map = effective_segment_map(settings, scores)
    scored["segment"] = segments.assign_segments(scored, segment_map)
    scored["lifecycle"] = segments.lifecycle_groups(scored)
    if dominant is None and "category" in lines:
        dominant = dominant_categories(lines, date)
    if dominant is not None:
        scored["dominant_category"] = scored["customer_id"].map(dominant)
    return Segmentation(analysis_date=date, customers=scored, scores=scores, segment_map=segment_map)


def segment_totals(segmentation: Segmentation) -> list[dict]:
    """Per segment in map order (Other last, empty ones included): customers, revenue and their shares (0..1)."""
    customers = segmentation.customers
    table = customers.groupby("segment", observed=False).agg(customers=("customer_id", "size"),
                                                             revenue=("monetary", "sum"))
    total_customers, total_revenue = table["customers"].sum(), table["revenue"].sum()
    return [{"name": str(name), "customers": int(row.customers), "revenue": round(float(row.revenue), 2),
             "share_customers": float(row.customers / total_customers) if total_customers else 0.0,
             "share_revenue": float(row.revenue / total_revenue) if total_revenue else 0.0}
            for name, row in table.iterrows()]


@dataclass(frozen=True)
class Analysis:
    """Every stage of one run, as the CLI and the exports use it."""

    intake: Intake
    prepared: Prepared
    lines: pd.DataFrame          # clean lines with their category
    rules: tuple[categories.Rule, ...]
    segmentation: Segmentation


def run(data: bytes, file_name: str, settings: Settings, typed: Collection[str] = ()) -> Analysis:
    """The whole pipeline for one file (``typed`` as in :func:`load`); raises InputError for bad input or when no
    usable row is left."""
    intake = load(data, file_name, settings, typed)
    prepared = prepare(intake.canonical, settings.cleaning)
    require_usable_rows(prepared)
    rules = effective_rules(settings, effective_language(settings, prepared.lines))
    lines = categorise_lines(prepared.lines, rules)
    segmentation = segment_customers(lines, prepared.customers, settings)
    return Analysis(intake=intake, prepared=prepared, lines=lines, rules=rules, segmentation=segmentation)


def summary(analysis: Analysis) -> dict:
    """The CLI's ``summary`` JSON object (keys are a stable contract: later features only add keys)."""
    intake, prepared, segmentation = analysis.intake, analysis.prepared, analysis.segmentation
    raw, report = intake.raw, prepared.report
    dates = prepared.lines["date"]
    return {
        "input": {"file": raw.file_name, "format": raw.format, "encoding": raw.encoding,
                  "delimiter": raw.delimiter, "columns": dict(intake.mapping), "notes": list(map(str, raw.notes))},
        "rows": {"input": report.input_rows, "kept": report.kept_rows, "dropped": dict(report.dropped)},
        "customers": int(len(prepared.customers)),
        "orders": int(prepared.orders["order_id"].nunique()),
        "revenue": round(float(prepared.lines["revenue"].sum()), 2),
        "first_date": dates.min().isoformat() if len(dates) else None,
        "last_date": dates.max().isoformat() if len(dates) else None,
        "categories": categories.coverage(analysis.lines),
        **segmentation_summary(segmentation),
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


# --- customer-level input (a customer table built elsewhere, or by the Spark engine) ------------------------------


def segment_customer_table(customers: pd.DataFrame, settings: Settings,
                           last_activity: pd.Timestamp | None = None) -> Segmentation:
    """Score and segment a ready customer table, the same way :func:`segment_customers` does from lines.

    ``customers``: ``core.orders.CUSTOMER_COLUMNS`` plus optional ``spend_<category>`` columns (see
    ``core.customer_table``), which give ``dominant_category`` (NA without them). The analysis date is the
    settings' one, else the midnight after ``last_activity`` (default: the last purchase). There are no lines to
    rebuild an earlier state from, so every purchase must be before the analysis date (InputError otherwise).
    """
    from core import customer_table
    from core.orders import CUSTOMER_COLUMNS
    if settings.analysis_date:
        date = pd.Timestamp(settings.analysis_date)
    else:
        last = customers["last_purchase"].max() if last_activity is None else pd.Timestamp(last_activity)
        date = rfm.default_analysis_date(pd.DataFrame({"last_purchase": [last]}))
    table = rfm.rfm_table(customers[CUSTOMER_COLUMNS], date)
    scored, scores = rfm.score_rfm(table, settings.scoring)
    segment_map = effective_segment_map(settings, scores)
    scored["segment"] = segments.assign_segments(scored, segment_map)
    scored["lifecycle"] = segments.lifecycle_groups(scored)
    spend = customer_table.spend_table(customers)
    if spend is not None:
        scored["dominant_category"] = scored["customer_id"].map(customer_table.dominant_category(spend))
    return Segmentation(analysis_date=date, customers=scored, scores=scores, segment_map=segment_map)


def segmentation_summary(segmentation: Segmentation) -> dict:
    """The scoring part of the ``summary`` JSON: analysis_date, scores, segments and ``scored`` (the customers and
    revenue before the analysis date, which the segments sum to; with the default date all of them)."""
    customers = segmentation.customers
    return {
        "analysis_date": segmentation.analysis_date.date().isoformat(),
        "scores": {letter: {"bins": result.bins_requested, "edges": list(result.edges)}
                   for letter, result in segmentation.scores.items()},
        "segments": segment_totals(segmentation),
        "scored": {"customers": int(len(customers)), "revenue": round(float(customers["monetary"].sum()), 2)},
    }


def customer_table_summary(source: dict, customers: pd.DataFrame, segmentation: Segmentation) -> dict:
    """The ``summary`` JSON for a customer table: the keys of :func:`summary`; ``rows`` is null (no lines were
    seen), orders is the sum of the per-customer orders, revenue the sum of revenue, first/last_date span the
    purchases, and ``categories`` comes from the spend columns (``core.customer_table.category_totals``; null
    without them)."""
    from core import customer_table
    figures = customer_table.kpis(customers)
    return {
        "input": dict(source),
        "rows": None,
        "customers": figures["customers"],
        "orders": figures["orders"],
        "revenue": round(figures["revenue"], 2),
        "first_date": figures["first_date"].isoformat(),
        "last_date": figures["last_date"].isoformat(),
        "categories": customer_table.category_totals(customers),
        **segmentation_summary(segmentation),
    }
