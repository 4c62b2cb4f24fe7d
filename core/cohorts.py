"""Monthly acquisition cohorts, the days between a customer's consecutive orders, and how many customers order
only once.

Input: an order table with ``order_id, customer_id, date, revenue`` (the columns of
:func:`core.orders.build_orders`: a row per order id and customer; ids may be text or integer codes). Every
row is dated by its order (:func:`core.seasonality.order_dates`: the earliest row of its order id), so an
order id shared by two customers is one order at one time, as on the Explore page's time charts; each of its
customers still has it as their order, with their own lines' revenue. A customer's cohort is the month of
their first order in the table.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.seasonality import id_codes, month_numbers, once_per_order, order_dates

COHORT_COLUMNS = ["cohort", "months_since", "cohort_size", "customers", "retention", "orders", "revenue",
                  "revenue_per_customer"]
GAP_BINS = ((0, 0, "under a day"), (1, 7, "1–7 days"), (8, 14, "8–14 days"), (15, 30, "15–30 days"),
            (31, 60, "31–60 days"), (61, 90, "61–90 days"), (91, 180, "91–180 days"),
            (181, 365, "181–365 days"), (366, None, "over a year"))
"""Histogram bins of whole days between orders: (first day, last day or None for open, label)."""

_DAY = np.timedelta64(1, "D")


def cohort_table(orders: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """Cohort × months since the first order, one row per observed cell, by cohort then month.

    Columns: cohort (month of the first order, first day), months_since (0 = the first month), cohort_size
    (customers of the cohort), customers (of them, those with an order that month), retention (customers /
    cohort_size, 0..1; 1 in month 0), orders (distinct order ids of the cohort's customers that month: an order
    shared by two customers of the cohort counts once, one shared by customers of two cohorts once in each),
    revenue (the cohort's customers' rows; the cells add up to the table's revenue), revenue_per_customer
    (revenue / cohort_size).

    ``start``/``end`` (dates, both included) keep customers whose first order falls between them and count
    orders up to ``end``; earlier orders still decide who is new, so a date filter never turns old customers
    into new ones. Cells after the last month (``end``, else the last order) are not observed and left out;
    months without customers are left out too.
    """
    if orders.empty:
        return _empty()
    customer, order = id_codes(orders["customer_id"]), id_codes(orders["order_id"])
    date = order_dates(order, orders["date"].to_numpy()).astype("datetime64[s]")
    first = np.full(customer.max() + 1, np.iinfo(np.int64).max)
    np.minimum.at(first, customer, date.astype(np.int64))
    first = first.astype("datetime64[s]")
    last_day = pd.Timestamp(end).normalize() if end is not None else pd.Timestamp(date.max()).normalize()
    stop = np.datetime64(last_day, "s") + _DAY
    keep_customer = first < stop
    if start is not None:
        keep_customer &= first >= np.datetime64(pd.Timestamp(start).normalize(), "s")
    keep = keep_customer[customer] & (date < stop)
    if not keep.any():
        return _empty()
    customer, order, date = customer[keep], order[keep], date[keep]
    revenue = orders["revenue"].to_numpy(dtype=float)[keep]
    month = month_numbers(date)
    first_month = np.zeros(len(first), dtype=np.int64)
    first_month[keep_customer] = month_numbers(first[keep_customer])
    base = int(first_month[customer].min())
    span = int(month_numbers([np.datetime64(last_day, "D")])[0]) - base + 1   # months from the first cohort
    cohort_of = first_month - base                                        # per customer code
    cell = cohort_of[customer] * span + month - first_month[customer]
    size = span * span
    # active customers per cell = distinct (customer, month) pairs, each in its customer's cohort row
    key = customer * span + (month - base)
    if len(first) * span <= max(16 * len(key), 1_000_000):
        seen = np.zeros(len(first) * span, dtype=bool)
        seen[key] = True
        pair = np.flatnonzero(seen)
    else:
        pair = pd.unique(key)
    who, when = pair // span, pair % span
    active = np.bincount(cohort_of[who] * span + when - cohort_of[who], minlength=size)
    grid = pd.DataFrame({"cohort": np.repeat(np.arange(span), span), "months_since": np.tile(np.arange(span), span),
                         "customers": active, "orders": np.bincount(cell[once_per_order(order, cell)], minlength=size),
                         "revenue": np.bincount(cell, weights=revenue, minlength=size)})
    cohort_size = active[np.arange(span) * span]
    grid["cohort_size"] = cohort_size[grid["cohort"]]
    grid = grid[(grid["cohort"] + grid["months_since"] < span) & (grid["cohort_size"] > 0)].reset_index(drop=True)
    grid["cohort"] = (base + grid["cohort"].to_numpy()).astype("datetime64[M]").astype("datetime64[ns]")
    grid["retention"] = grid["customers"] / grid["cohort_size"]
    grid["revenue_per_customer"] = grid["revenue"] / grid["cohort_size"]
    return grid[COHORT_COLUMNS]


def inter_order_days(orders: pd.DataFrame) -> np.ndarray:
    """Days (fractional) between each pair of consecutive orders of the same customer, in no particular order;
    one gap fewer than the customer has rows (0 when two of their orders fall at the same time). Orders are
    dated by their order id (:func:`core.seasonality.order_dates`)."""
    if len(orders) < 2:
        return np.empty(0)
    customer = id_codes(orders["customer_id"])
    dates = order_dates(id_codes(orders["order_id"]), orders["date"].to_numpy())
    seconds = dates.astype("datetime64[s]").astype(np.int64)
    seconds = seconds - seconds.min()
    shift = max(int(seconds.max()).bit_length(), 1)
    if int(customer.max()).bit_length() + shift < 63:       # one sort of customer·2^shift + seconds
        key = np.sort((customer << shift) | seconds)
        customer, seconds = key >> shift, key & ((1 << shift) - 1)
    else:
        order = np.lexsort((seconds, customer))
        customer, seconds = customer[order], seconds[order]
    same = customer[1:] == customer[:-1]
    return (seconds[1:] - seconds[:-1])[same] / 86_400


def gap_histogram(days: np.ndarray) -> pd.DataFrame:
    """Counts of :func:`inter_order_days` in :data:`GAP_BINS` (by whole days): bin (label), from_days, to_days
    (None for the open last bin), gaps, share (0..1; 0 when there are no gaps). Every bin is listed."""
    whole = np.floor(np.asarray(days, dtype=float))
    edges = [low for low, _, _ in GAP_BINS[1:]]
    counts = np.bincount(np.searchsorted(edges, whole, side="right"), minlength=len(GAP_BINS))
    total = counts.sum()
    return pd.DataFrame({"bin": [label for _, _, label in GAP_BINS],
                         "from_days": [low for low, _, _ in GAP_BINS],
                         "to_days": pd.array([high for _, high, _ in GAP_BINS], dtype="Int64"),
                         "gaps": counts, "share": counts / total if total else np.zeros(len(GAP_BINS))})


def repeat_summary(orders: pd.DataFrame, days: np.ndarray | None = None) -> dict:
    """customers, single_order_customers (customers with one row: one order), repeat_customers,
    single_order_share (0..1, NaN without customers), orders_per_customer (distinct order ids / customers, so it
    matches the page's order and customer totals: an order shared by two customers counts once; NaN without
    customers) and median_days_between_orders (NaN without repeat orders; ``days`` from :func:`inter_order_days`
    when already computed)."""
    customer = id_codes(orders["customer_id"])
    per_customer = np.bincount(customer) if len(customer) else np.empty(0, dtype=np.int64)
    customers = int(np.count_nonzero(per_customer))
    single = int((per_customer == 1).sum())
    order_count = int(np.count_nonzero(np.bincount(id_codes(orders["order_id"])))) if len(orders) else 0
    days = inter_order_days(orders) if days is None else days
    return {"customers": customers, "single_order_customers": single, "repeat_customers": customers - single,
            "single_order_share": single / customers if customers else float("nan"),
            "orders_per_customer": order_count / customers if customers else float("nan"),
            "median_days_between_orders": float(np.median(days)) if len(days) else float("nan")}


def _empty() -> pd.DataFrame:
    dtypes = {"cohort": "datetime64[ns]", "months_since": "int64", "cohort_size": "int64", "customers": "int64",
              "retention": "float64", "orders": "int64", "revenue": "float64", "revenue_per_customer": "float64"}
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in dtypes.items()})
