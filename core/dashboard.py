"""The dashboard's data in one call per page, fast on a million lines: the Explore page's filtered time
patterns, categories and cohorts, and the Plan page's campaign plan.

:func:`build_book` turns the clean, categorised lines into integer codes once per data and settings (purchase
lines only: returns kept under the "net" policy are left out, as in :func:`core.orders.build_orders`). The
book's rows are (order id, customer) pairs, as in :func:`core.orders.build_orders`, so every customer keeps
their own lines and revenue; but each pair is dated by the earliest purchase line of its whole order id (all its
customers, all categories), so an order id shared by two customers is one order at one time: it counts once
in every month, weekday and hour count, and the order counts add up to the distinct order ids. :func:`explore`
then filters the book by :class:`Filters` with boolean masks and hands small code-based tables to
:mod:`core.seasonality` and :mod:`core.cohorts`; :func:`plan` hands the whole book to :mod:`core.planner`.

Filters never move an order in time. The date range keeps whole order ids by their date. Categories keep the
lines of those categories: an order "in category X" is an order id with at least one line in X, counted once at
its order date, its revenue being its lines in X. Groups keep the lines of those groups' customers: an order "of
segment Y" is an order id with a line bought by a customer of Y, counted once at its order date with the
revenue of Y's customers' lines; an order shared by customers of two segments is an order of each (as an order
with two categories is in both), so per-segment counts can add up to more than the total.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core import cohorts, planner, seasonality
from core.codes import factorized
from core.categories import OTHER


@dataclass(frozen=True)
class Book:
    """Purchase lines and their orders as integer codes (``line_*`` per line, ``order_*`` per order)."""

    line_order: np.ndarray        # int64: the line's order (0..orders-1)
    line_category: np.ndarray     # int64: index into ``categories``
    line_revenue: np.ndarray      # float64
    line_items: np.ndarray        # float64 (units)
    categories: tuple[str, ...]
    order_date: np.ndarray        # datetime64: the earliest purchase line of the order id (all its customers)
    order_customer: np.ndarray    # int64: index into ``customer_ids``
    order_id: np.ndarray          # int64: code of the order id (the orders of a shared order id have the same)
    customer_ids: pd.Index

    @property
    def orders(self) -> int:
        return len(self.order_date)

    @property
    def first_date(self) -> pd.Timestamp | None:
        return pd.Timestamp(self.order_date.min()) if self.orders else None

    @property
    def last_date(self) -> pd.Timestamp | None:
        return pd.Timestamp(self.order_date.max()) if self.orders else None


@dataclass(frozen=True)
class Filters:
    """Dashboard filters; empty tuples mean "all". ``start``/``end`` are dates, both days included."""

    start: dt.date | None = None
    end: dt.date | None = None
    categories: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()

    def key(self) -> str:
        """Canonical JSON, for cache keys."""
        return json.dumps(asdict(self), default=str, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class Scope:
    """The book under filters as code-based tables (ids are integer codes).

    orders / lines: in the date range; orders_all_dates: the other filters only (cohorts need the orders
    before the range to know who is new). period: the data's span clipped to the date range (None if empty).
    """

    orders: pd.DataFrame
    lines: pd.DataFrame
    orders_all_dates: pd.DataFrame
    period: seasonality.Period | None


@dataclass(frozen=True)
class Explore:
    """Every table of the Explore page (see the functions named in each comment)."""

    period: seasonality.Period | None
    totals: dict                     # orders, revenue, customers, aov
    trend: pd.DataFrame              # seasonality.month_trend
    weekdays: pd.DataFrame           # seasonality.weekday_pattern
    hours: pd.DataFrame | None       # seasonality.hour_pattern; None when the export has no times of day
    months: pd.DataFrame             # seasonality.month_of_year
    findings: list[str]              # seasonality.findings
    categories: pd.DataFrame         # seasonality.category_contrast
    category_findings: list[str]     # seasonality.category_findings
    category_months: pd.DataFrame    # seasonality.category_months
    cohorts: pd.DataFrame            # cohorts.cohort_table
    gaps: pd.DataFrame               # cohorts.gap_histogram
    repeat: dict = field(default_factory=dict)   # cohorts.repeat_summary


def build_book(lines: pd.DataFrame, customer_ids: pd.Index | None = None) -> Book:
    """Code the purchase lines of ``lines`` (clean lines, optionally with ``category`` and ``is_return``).

    ``customer_ids`` (e.g. the customer table's ids) fixes the customer codes to positions in it, so groupings
    indexed the same way line up without a lookup; ids missing from it fall back to codes of their own.
    """
    keep = ~lines["is_return"].to_numpy(dtype=bool) if "is_return" in lines else np.ones(len(lines), dtype=bool)
    order, order_id, customer_ids, order_customer = _order_codes(lines["order_id"], lines["customer_id"], keep,
                                                                 customer_ids)
    date = lines["date"].to_numpy()[keep]
    if "category" in lines:
        category, categories = seasonality.category_codes(lines["category"])
        category = category[keep]
    else:
        category, categories = np.zeros(len(order), dtype=np.int64), [OTHER]
    first = np.full(len(order_customer), np.iinfo(np.int64).max)
    np.minimum.at(first, order, date.view(np.int64))
    return Book(line_order=order, line_category=category,
                line_revenue=lines["revenue"].to_numpy(dtype=float)[keep],
                line_items=lines["quantity"].to_numpy(dtype=float)[keep], categories=tuple(categories),
                order_date=seasonality.order_dates(order_id, first.view(date.dtype)),
                order_customer=order_customer, order_id=order_id,
                customer_ids=customer_ids)


def sold_categories(book: Book) -> list[str]:
    """The categories with purchase lines, by revenue descending (ties by name)."""
    revenue = np.bincount(book.line_category, weights=book.line_revenue, minlength=len(book.categories))
    lines = np.bincount(book.line_category, minlength=len(book.categories))
    return sorted((c for c, n in zip(book.categories, lines) if n), key=lambda c: (
        -revenue[book.categories.index(c)], c))


def book_groups(book: Book, grouping: pd.Series) -> pd.Series:
    """A per-customer grouping (indexed by customer id) re-indexed by the book's customer codes (NA: no group)."""
    if grouping.index.equals(book.customer_ids):
        values = grouping.array
    else:
        values = grouping.reindex(book.customer_ids).array
    return pd.Series(values, index=pd.RangeIndex(len(book.customer_ids)), name=grouping.name)


def select(book: Book, filters: Filters = Filters(), groups: pd.Series | None = None) -> Scope:
    """The book under ``filters``; ``groups`` (from :func:`book_groups`) is needed for a group filter."""
    line_mask = None
    if filters.categories:
        wanted = np.isin(np.asarray(book.categories, dtype=object), list(filters.categories))
        line_mask = wanted[book.line_category]
    if filters.groups and groups is not None:
        customer_ok = groups.isin(list(filters.groups)).to_numpy(dtype=bool)
        by_customer = customer_ok[book.order_customer[book.line_order]]
        line_mask = by_customer if line_mask is None else line_mask & by_customer
    chosen = book.line_order if line_mask is None else book.line_order[line_mask]
    n = book.orders
    line_count = np.bincount(chosen, minlength=n)
    revenue = np.bincount(chosen, weights=_take(book.line_revenue, line_mask), minlength=n)
    items = np.bincount(chosen, weights=_take(book.line_items, line_mask), minlength=n)
    has_lines = line_count > 0
    period = seasonality.period_of(pd.Series(book.order_date), filters.start, filters.end)
    dated = filters.start is not None or filters.end is not None
    in_range = has_lines.copy() if dated else has_lines
    if filters.start is not None:
        in_range &= book.order_date >= np.datetime64(pd.Timestamp(filters.start).normalize())
    if filters.end is not None:
        in_range &= book.order_date < np.datetime64(pd.Timestamp(filters.end).normalize() + pd.Timedelta(days=1))

    def orders_where(mask: np.ndarray) -> pd.DataFrame:
        ids = np.flatnonzero(mask)
        return pd.DataFrame({"order_id": book.order_id[ids], "customer_id": book.order_customer[ids],
                             "date": book.order_date[ids], "lines": line_count[ids], "items": items[ids],
                             "revenue": revenue[ids]}, copy=False)

    keep_line = line_mask
    if dated:
        keep_line = in_range[book.line_order] if line_mask is None else in_range[book.line_order] & line_mask
    order = _take(book.line_order, keep_line)
    lines = pd.DataFrame({"order_id": book.order_id[order], "customer_id": book.order_customer[order],
                          "date": book.order_date[order],
                          "category": pd.Categorical.from_codes(_take(book.line_category, keep_line),
                                                                categories=list(book.categories), validate=False),
                          "revenue": _take(book.line_revenue, keep_line),
                          "quantity": _take(book.line_items, keep_line)}, copy=False)
    orders = orders_where(in_range)
    return Scope(orders=orders, lines=lines, orders_all_dates=orders_where(has_lines) if dated else orders,
                 period=period)


def explore(book: Book, filters: Filters = Filters(), groups: pd.Series | None = None,
            currency: str = "", lang: str = "en") -> Explore:
    """All tables of the Explore page for the book under ``filters`` (findings in ``lang`` with ``currency``)."""
    scope = select(book, filters, groups)
    orders, lines, period = scope.orders, scope.lines, scope.period
    trend = seasonality.month_trend(orders, period)
    weekdays = seasonality.weekday_pattern(orders, period)
    hours = seasonality.hour_pattern(orders) if seasonality.has_time_of_day(orders["date"]) else None
    months = seasonality.month_of_year(orders, period)
    contrast = seasonality.category_contrast(lines)
    days = cohorts.inter_order_days(orders)
    revenue = float(orders["revenue"].sum())
    customers = int(np.count_nonzero(np.bincount(orders["customer_id"].to_numpy()))) if len(orders) else 0
    order_count = int(np.count_nonzero(np.bincount(orders["order_id"].to_numpy()))) if len(orders) else 0
    totals = {"orders": order_count, "revenue": revenue, "customers": customers,
              "aov": revenue / order_count if order_count else float("nan")}
    return Explore(
        period=period, totals=totals, trend=trend, weekdays=weekdays, hours=hours, months=months,
        findings=seasonality.findings(trend, weekdays, months, hours, currency, lang),
        categories=contrast, category_findings=seasonality.category_findings(contrast, currency, lang),
        category_months=seasonality.category_months(lines, period),
        cohorts=cohorts.cohort_table(scope.orders_all_dates, filters.start, filters.end),
        gaps=cohorts.gap_histogram(days), repeat=cohorts.repeat_summary(orders, days))


def plan(book: Book, groups: pd.Series, lead_months: int = 1, top: int = planner.TOP_CATEGORIES
         ) -> planner.CampaignPlan:
    """The campaign plan over the whole book for ``groups`` (from :func:`book_groups`)."""
    scope = select(book)
    return planner.build_plan(scope.orders, scope.lines, groups, lead_months=lead_months, top=top)


def _take(values: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
    return values if mask is None else values[mask]


def _order_codes(order_id: pd.Series, customer_id: pd.Series, keep: np.ndarray, customer_ids: pd.Index | None
                 ) -> tuple[np.ndarray, np.ndarray, pd.Index, np.ndarray]:
    """Dense order codes of the kept lines, each order's order-id code, the customer index and each order's
    customer code.

    An order is an (order id, customer) pair, so an order id shared by two customers is two orders; orders
    whose lines were all dropped (returns) are gone. Customers are compared on their codes (``core.codes``) and
    looked up once per distinct id: in positions of ``customer_ids`` when given and complete (Arrow hash lookup),
    else factorised in order of appearance.
    """
    order = pd.factorize(order_id)[0]
    customer, customer_values = factorized(customer_id)
    if not keep.all():
        order, customer = order[keep], customer[keep]
    if not len(order):
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, pd.Index(customer_ids if customer_ids is not None else []), empty
    first_line = np.zeros(int(order.max()) + 1, dtype=np.int64)
    first_line[order[::-1]] = np.arange(len(order) - 1, -1, -1)      # the first kept line of each order id
    used = np.bincount(order, minlength=len(first_line)) > 0
    first_line = first_line[used]
    order = (np.cumsum(used) - 1)[order]
    order_id = np.arange(len(first_line), dtype=np.int64)
    same = customer == customer[first_line[order]]
    if not same.all():
        # lines whose customer differs from their order id's first one: each (order id, customer) pair there
        # becomes an order of its own
        other = np.flatnonzero(~same)
        other_customer = pd.factorize(customer[other])[0]
        _, first, pair = np.unique(order[other] * (int(other_customer.max()) + 1) + other_customer,
                                   return_index=True, return_inverse=True)
        order_id = np.concatenate([order_id, order[other][first]])
        order[other] = len(first_line) + pair
        first_line = np.concatenate([first_line, other[first]])
    owner_code, uniques = _customer_codes(customer[first_line], customer_values, customer_ids)
    return order.astype(np.int64), order_id, uniques, owner_code


def _customer_codes(codes: np.ndarray, values: pd.Index, customer_ids: pd.Index | None
                    ) -> tuple[np.ndarray, pd.Index]:
    """Customer codes of the ids ``values[codes]``: positions in ``customer_ids`` when every id is in it, else
    factorised in order of appearance."""
    if customer_ids is not None and len(customer_ids):
        value_set = pa.array(customer_ids.array, from_pandas=True)
        distinct = pa.array(values.array, from_pandas=True)
        if distinct.type == value_set.type:
            position = np.append(pc.fill_null(pc.index_in(distinct, value_set=value_set), -1).to_numpy(), -1)
            found = position[codes]
            if (found >= 0).all():
                return found.astype(np.int64), customer_ids
    known = codes >= 0                                              # -1: no customer id, stays -1
    order_codes = np.full(len(codes), -1, dtype=np.int64)
    order_codes[known], first = pd.factorize(codes[known])
    return order_codes, pd.Index(values.take(first))

