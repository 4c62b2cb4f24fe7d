"""Campaign planner: for each customer group, when to mail (months, weekday, hour) and which categories to
feature, with the audience size. "Which segment, when, which categories."

Inputs: an order table (``order_id, customer_id, date, revenue``: a row per order id and customer, as
:func:`core.orders.build_orders`), its lines (``order_id, customer_id, date, category, revenue``) and ``groups``,
a Series of group labels indexed by customer id (an RFM segment, lifecycle, dominant category, ...). Ids may be
text or integer codes. Orders and lines are dated by their order id (:func:`core.seasonality.order_dates`: its
earliest row), and a group's orders are the distinct order ids of its customers: an order id shared by two
customers of a group counts once for it, one shared by customers of two groups once for each. Timing follows
the rule of :func:`core.profiles.segment_profiles`: the busiest two-month window of orders per calendar month
(divided by how often the month occurs in the data) and the weekday with the most orders; the send window is
that peak moved ``lead_months`` earlier so the mail arrives before the season.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.categories import OTHER
from core.profiles import MONTHS, WEEKDAYS
from core.seasonality import (calendar_month, category_codes, distinct_counts, has_time_of_day, hour, id_codes,
                              month_occurrences, once_per_order, order_dates, peak_windows, period_of, weekday,
                              window_name)

TOP_CATEGORIES = 3
MIN_ORDERS = 30
"""Groups with fewer orders get a note that their timing is a rough guess."""
MIN_PEAK_ORDERS = 20
"""Featured categories come from the peak months when the group has at least this many orders in them."""
PLAN_COLUMNS = ["group", "audience", "share_customers", "orders", "revenue", "share_revenue", "orders_per_customer",
                "peak_months", "send_months", "send_weekday", "peak_hour", "categories", "categories_from", "note"]
CALENDAR_COLUMNS = ["group", "month", "name", "orders", "orders_per_month", "index", "peak", "send"]


@dataclass(frozen=True)
class CampaignPlan:
    """``table``: one row per group with customers (PLAN_COLUMNS); ``calendar``: group × calendar month
    (CALENDAR_COLUMNS) with the seasonal index (1 = the group's average month) and the send months."""

    table: pd.DataFrame
    calendar: pd.DataFrame


def build_plan(orders: pd.DataFrame, lines: pd.DataFrame, groups: pd.Series, lead_months: int = 1,
               top: int = TOP_CATEGORIES) -> CampaignPlan:
    """The plan for every group with customers, in category order for a Categorical ``groups``, else by
    audience descending.

    table columns: group, audience (customers in the group), share_customers (0..1), orders (distinct order
    ids of the group's customers), revenue (of their order rows; the groups add up to the table's revenue),
    share_revenue (0..1), orders_per_customer (orders / audience), peak_months (e.g. "March–April"; "" without orders),
    send_months (the peak moved ``lead_months`` earlier), send_weekday (the weekday with most orders),
    peak_hour (0..23, NA when the export has no times), categories (up to ``top`` by revenue, comma-separated,
    never the catch-all "Other"), categories_from ("peak months" when the group has at least MIN_PEAK_ORDERS
    orders in its peak window, else "all months"), note (a warning for groups with few orders).
    """
    names, audience, member = _groups(groups)
    n = len(names)
    order_group = _group_of(orders["customer_id"], groups, member)
    inside = order_group >= 0
    order = id_codes(orders["order_id"])
    dates = order_dates(order, orders["date"].to_numpy())[inside]
    og = order_group[inside]
    once = once_per_order(order[inside], og)               # a group's orders are distinct order ids
    occurrences = month_occurrences(period_of(orders["date"]))

    def per_group(bucket: np.ndarray, size: int) -> np.ndarray:
        """Orders per (group, bucket 0..size-1), shape (n, size)."""
        return np.bincount((og * size + bucket)[once], minlength=n * size).reshape(n, size)

    counts = per_group(calendar_month(dates), 12)
    rates = np.divide(counts, occurrences, out=np.zeros((n, 12)), where=occurrences > 0)
    group_orders = counts.sum(axis=1)
    peak = np.where(group_orders > 0, peak_windows(rates) if n else np.empty(0, dtype=int), -1)
    send = np.where(peak >= 0, (peak - lead_months) % 12, -1)
    busiest_day = per_group(weekday(dates), 7).argmax(axis=1)
    busiest_hour = per_group(hour(dates), 24).argmax(axis=1) if has_time_of_day(pd.Series(dates)) else None
    revenue = np.bincount(og, weights=orders["revenue"].to_numpy(dtype=float)[inside], minlength=n)
    featured, basis = _categories(lines, groups, member, peak, n, top)

    table = pd.DataFrame({
        "group": names, "audience": audience,
        "share_customers": audience / audience.sum() if audience.sum() else np.nan,
        "orders": group_orders, "revenue": revenue,
        "share_revenue": revenue / revenue.sum() if revenue.sum() else np.nan,
        "orders_per_customer": group_orders / np.maximum(audience, 1),
        "peak_months": [window_name(p) if p >= 0 else "" for p in peak],
        "send_months": [window_name(s) if s >= 0 else "" for s in send],
        "send_weekday": [WEEKDAYS[w] if o else "" for w, o in zip(busiest_day, group_orders)],
        "peak_hour": pd.array([h if o else None for h, o in zip(busiest_hour, group_orders)]
                              if busiest_hour is not None else [None] * n, dtype="Int64"),
        "categories": featured, "categories_from": basis,
        "note": [_note(o) for o in group_orders]})

    month_mean = np.divide(rates.sum(axis=1), (occurrences > 0).sum(), out=np.zeros(n),
                           where=group_orders > 0) if (occurrences > 0).any() else np.zeros(n)
    index = np.divide(rates, month_mean[:, None], out=np.full((n, 12), np.nan), where=month_mean[:, None] > 0)
    offsets = (np.arange(12)[None, :] - peak[:, None]) % 12
    send_offsets = (np.arange(12)[None, :] - send[:, None]) % 12
    calendar = pd.DataFrame({
        "group": np.repeat(np.asarray(names, dtype=object), 12), "month": np.tile(np.arange(1, 13), n),
        "name": np.tile(np.asarray(MONTHS, dtype=object), n), "orders": counts.ravel(),
        "orders_per_month": np.where(occurrences > 0, rates, np.nan).ravel(), "index": index.ravel(),
        "peak": ((offsets < 2) & (peak[:, None] >= 0)).ravel(),
        "send": ((send_offsets < 2) & (send[:, None] >= 0)).ravel()})
    return CampaignPlan(table=table[PLAN_COLUMNS], calendar=calendar[CALENDAR_COLUMNS])


def _groups(groups: pd.Series) -> tuple[list, np.ndarray, np.ndarray]:
    """Group names in plan order, customers per group and each customer's group code (-1: no group)."""
    present = groups.dropna()
    counts = present.value_counts()
    if isinstance(groups.dtype, pd.CategoricalDtype):
        names = [name for name in groups.cat.categories if counts.get(name, 0) > 0]
    else:
        names = sorted(counts.index, key=lambda name: (-counts[name], str(name)))
    counts = counts.reindex(names)
    if not names:
        member = np.full(len(groups), -1)
    elif isinstance(groups.dtype, pd.CategoricalDtype):
        position = pd.Index(names).get_indexer(groups.cat.categories)
        codes = groups.cat.codes.to_numpy()
        member = np.where(codes >= 0, position[codes], -1)
    else:
        member = pd.Index(names).get_indexer(groups.to_numpy())
    return names, counts.to_numpy(dtype=np.int64), member


def _group_of(customer_id: pd.Series, groups: pd.Series, member: np.ndarray) -> np.ndarray:
    """The group code of each row's customer (-1 when the customer has no group)."""
    values = customer_id.to_numpy()
    if (isinstance(groups.index, pd.RangeIndex) and groups.index.start == 0 and groups.index.step == 1
            and values.dtype.kind in "iu" and (not len(values) or (values.min() >= 0
                                                                     and values.max() < len(groups)))):
        return member[values].astype(np.int64)      # the dashboard's customer codes
    codes, uniques = pd.factorize(customer_id)
    if not len(uniques):
        return np.empty(0, dtype=np.int64)
    position = groups.index.get_indexer(uniques)
    per_unique = np.where(position >= 0, member[position], -1)
    return per_unique[codes].astype(np.int64)


def _categories(lines: pd.DataFrame, groups: pd.Series, member: np.ndarray, peak: np.ndarray, n: int,
                top: int) -> tuple[list[str], list[str]]:
    """Top categories by revenue per group, from its peak months when they have enough orders."""
    featured, basis = [""] * n, [""] * n
    if "category" not in lines or lines.empty or not n:
        return featured, basis
    line_group = _group_of(lines["customer_id"], groups, member)
    inside = line_group >= 0
    lg = line_group[inside]
    codes, names = category_codes(lines["category"])
    codes, names = codes[inside], np.asarray(names, dtype=object)
    k = len(names)
    order = id_codes(lines["order_id"])
    month = calendar_month(order_dates(order, lines["date"].to_numpy())[inside])
    order = order[inside]
    in_peak = ((month - peak[lg]) % 12 < 2) & (peak[lg] >= 0)
    revenue = lines["revenue"].to_numpy(dtype=float)[inside]
    usable = names != OTHER
    all_months = np.bincount(lg * k + codes, weights=revenue, minlength=n * k).reshape(n, k)
    peak_months = np.bincount(lg[in_peak] * k + codes[in_peak], weights=revenue[in_peak],
                              minlength=n * k).reshape(n, k)
    peak_orders = distinct_counts(lg[in_peak], order[in_peak], n)
    for g in range(n):
        use_peak = peak_orders[g] >= MIN_PEAK_ORDERS
        spend = (peak_months if use_peak else all_months)[g]
        ranked = sorted((i for i in range(k) if spend[i] > 0 and usable[i]), key=lambda i: (-spend[i], names[i]))
        ranked = ranked[:top]
        featured[g] = ", ".join(str(names[i]) for i in ranked)
        basis[g] = ("peak months" if use_peak else "all months") if ranked else ""
    return featured, basis


def _note(orders: int) -> str:
    if not orders:
        return "no orders: no timing"
    if orders < MIN_ORDERS:
        return f"only {orders} orders: the timing is a rough guess"
    return ""
