"""Time patterns of orders (monthly trend, weekday, hour, month of the year), category contrasts and category
seasonality, and the findings stated in words.

Inputs use the column names of :mod:`core.orders`. Orders: ``order_id, customer_id, date, revenue``. Lines:
``order_id, date, category, revenue, quantity`` (``customer_id`` optional).
An order is an order id, counted once, at its earliest timestamp (:func:`order_dates`): an order id shared by two
customers (two rows of :func:`core.orders.build_orders`, possibly at different hours or months) is one order in
one month, weekday and hour, as the home page's order count is one per order id. Its revenue is the sum of its
rows, so bucket revenues add up to the input's revenue.
Ids may be text or integer codes (codes are much faster on a million rows). Everything is vectorised: buckets
are integer codes counted with ``np.bincount``, distinct customers are distinct (bucket, customer) pairs.

A *period* is ``(first_day, last_day)`` (timestamps, both days included): the span the figures describe. It
defaults to the orders' own first and last day; the dashboard passes the filter's date range clipped to the
data, so a category with no orders in some month still shows that month as zero.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core import i18n
from core.codes import factorized
from core.formatting import format_money, format_month, format_number, format_percent

MONTHS, WEEKDAYS = i18n.MONTHS["en"], i18n.WEEKDAYS["en"]  # the names inside, as core.profiles

Period = tuple[pd.Timestamp, pd.Timestamp]

METRICS = {"orders": "Orders", "revenue": "Revenue", "customers": "Customers", "aov": "Average order"}
"""Measures of the time-pattern tables (column -> label)."""

_PROFILE_COLUMNS = ["orders", "revenue", "customers", "aov"]
_BITMAP_CELLS = 64_000_000
FINDING_MIN_ORDER_SHARE = 0.02
"""Categories in fewer orders than this share are left out of the "most per order" finding."""
TRIM_SHARE = 0.1
"""Share of a category's orders cut from each end (smallest and largest revenue) for the trimmed mean per order.

The mean per order follows one huge line (a 1000-unit line of 675,000 makes a category with 190 orders look the
richest); the median drops the size of the big orders altogether and, on a hundred orders, flips between two
categories under resampling. A 10 % trimmed mean ignores up to a tenth of outliers at either end and keeps the
weight of the typical large orders. Categories with fewer than 10 orders lose nothing (their plain mean)."""


def period_of(dates: pd.Series, start=None, end=None) -> Period | None:
    """``(first_day, last_day)`` of ``dates`` (midnights), narrowed to ``start``/``end`` when given; ``None`` when
    ``dates`` is empty or the range leaves no day."""
    if dates.empty:
        return None
    first, last = dates.min().normalize(), dates.max().normalize()
    if start is not None:
        first = max(first, pd.Timestamp(start).normalize())
    if end is not None:
        last = min(last, pd.Timestamp(end).normalize())
    return (first, last) if first <= last else None


def has_time_of_day(dates: pd.Series) -> bool:
    """Whether the timestamps carry a time of day (False for exports with dates only: every time is midnight)."""
    values = dates.to_numpy()
    return bool(len(values)) and bool((values != values.astype("datetime64[D]")).any())


def month_trend(orders: pd.DataFrame, period: Period | None = None) -> pd.DataFrame:
    """Per calendar month of the period: month (first day), orders, revenue, customers (distinct), aov.

    Months without orders appear with zeros (aov NaN), so the trend is not drawn across gaps. Each order id
    counts once, in the month of its earliest row; orders outside the period are left out.
    """
    period = period or period_of(orders["date"])
    if period is None:
        return _empty({"month": "datetime64[ns]", **dict.fromkeys(_PROFILE_COLUMNS, "float64")})
    months = pd.period_range(period[0], period[1], freq="M").to_timestamp()
    first = month_numbers([period[0]])[0]
    table = _profile(orders, lambda dates: month_numbers(dates) - first, len(months))
    table.insert(0, "month", months)
    return table


def weekday_pattern(orders: pd.DataFrame, period: Period | None = None) -> pd.DataFrame:
    """Per weekday (0 = Monday): weekday, day (name), orders, revenue, customers, aov, days (how many of that
    weekday the period has) and orders_per_day (orders / days; NaN when the period has none of that weekday)."""
    period = period or period_of(orders["date"])
    table = _profile(orders, weekday, 7)
    table.insert(0, "weekday", np.arange(7))
    table.insert(1, "day", list(WEEKDAYS))
    days = weekday_counts(*period) if period else np.zeros(7, dtype=np.int64)
    table["days"] = days
    table["orders_per_day"] = np.divide(table["orders"], days, out=np.full(7, np.nan), where=days > 0)
    return table


def weekday_counts(first: pd.Timestamp, last: pd.Timestamp) -> np.ndarray:
    """How many Mondays … Sundays lie between ``first`` and ``last`` (both included)."""
    n_days = (last.normalize() - first.normalize()).days + 1
    if n_days <= 0:
        return np.zeros(7, dtype=np.int64)
    weeks, rest = divmod(n_days, 7)
    offset = (np.arange(7) - first.day_of_week) % 7
    return weeks + (offset < rest).astype(np.int64)


def hour_pattern(orders: pd.DataFrame) -> pd.DataFrame:
    """Per hour of the day (0..23): hour, label (``"09:00"``), orders, revenue, customers, aov, share (of orders)."""
    table = _profile(orders, hour, 24)
    table.insert(0, "hour", np.arange(24))
    table.insert(1, "label", [f"{h:02d}:00" for h in range(24)])
    total = table["orders"].sum()
    table["share"] = table["orders"] / total if total else 0.0
    return table


def month_of_year(orders: pd.DataFrame, period: Period | None = None) -> pd.DataFrame:
    """Per calendar month (1..12): month, name, orders, revenue, occurrences (how often the month lies in the
    period, partial months included), orders_per_month (orders / occurrences, NaN when it never occurs) and
    index (orders_per_month / its mean over the months that occur; 1 = an average month).

    Dividing by occurrences keeps months covered twice (e.g. October to January of a 16-month export) from
    winning by default, as in :func:`core.profiles.segment_profiles`. Each order id counts once, in the month of
    its earliest row.
    """
    period = period or period_of(orders["date"])
    occurrences = month_occurrences(period)
    profile = _profile(orders, calendar_month, 12)
    counts = profile["orders"].to_numpy()
    rate = np.divide(counts, occurrences, out=np.full(12, np.nan), where=occurrences > 0)
    mean = np.nanmean(rate) if (occurrences > 0).any() else np.nan
    return pd.DataFrame({"month": np.arange(1, 13), "name": list(MONTHS), "orders": counts,
                         "revenue": profile["revenue"].to_numpy(),
                         "occurrences": occurrences, "orders_per_month": rate,
                         "index": rate / mean if mean else np.full(12, np.nan)})


def month_occurrences(period: Period | None) -> np.ndarray:
    """How many times each calendar month (January first) lies in the period, partial months included."""
    if period is None:
        return np.zeros(12, dtype=np.int64)
    covered = pd.period_range(period[0], period[1], freq="M").month.to_numpy()
    return np.bincount(covered - 1, minlength=12)


def peak_windows(rates: np.ndarray) -> np.ndarray:
    """First month (0 = January) of the busiest two-month window of each row of a ``(groups, 12)`` rate array.

    The same rule as :func:`core.profiles.segment_profiles`: the largest sum of two consecutive months (December
    wraps to January); ties go to the window starting with the busier month, then to the earlier one.
    """
    rates = np.nan_to_num(np.atleast_2d(np.asarray(rates, dtype=float)))
    pair = rates + np.roll(rates, -1, axis=1)
    best = pair == pair.max(axis=1, keepdims=True)
    first = np.where(best, rates, -np.inf)
    best &= first == first.max(axis=1, keepdims=True)
    return best.argmax(axis=1)


def window_name(start: int, months: int = 2) -> str:
    """``window_name(2) -> "March–April"`` (``start`` 0 = January; wraps after December)."""
    names = [MONTHS[(start + i) % 12] for i in range(months)]
    return names[0] if months == 1 else f"{names[0]}–{names[-1]}"


def month_numbers(dates) -> np.ndarray:
    """Months since January 1970 (int64) of datetime values: ``year * 12 + month - 1 - 1970 * 12``.

    Converting to ``datetime64[M]`` directly is slow (about 70 ms per million values); days convert fast, and the
    months of the few distinct days come from a small lookup table.
    """
    days = np.asarray(dates).astype("datetime64[D]").astype(np.int64)
    if not len(days):
        return days
    low = days.min()
    table = np.arange(low, days.max() + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return table[days - low]


def calendar_month(dates) -> np.ndarray:
    """Calendar month 0 (January) … 11 (December) of datetime values."""
    return month_numbers(dates) % 12


def weekday(dates) -> np.ndarray:
    """0 = Monday … 6 = Sunday of datetime values (1970-01-01 was a Thursday)."""
    return (np.asarray(dates).astype("datetime64[D]").astype(np.int64) + 3) % 7


def hour(dates) -> np.ndarray:
    """Hour of the day 0..23 of datetime values."""
    values = np.asarray(dates)
    return (values - values.astype("datetime64[D]")).astype("timedelta64[h]").astype(np.int64)


def findings(trend: pd.DataFrame, weekdays: pd.DataFrame, months: pd.DataFrame,
             hours: pd.DataFrame | None = None, currency: str = "", lang: str = "en") -> list[str]:
    """The time patterns stated in words (Markdown), computed from :func:`month_trend`, :func:`weekday_pattern`,
    :func:`month_of_year` and, when the export has times of day, :func:`hour_pattern`. Empty without orders.

    Weekdays are compared by orders per day of that weekday in the period. Peak months need a period of at least
    12 months (the busiest two-month window of the month-of-year rates); shorter periods name the busiest month.
    ``lang``: the language of the sentences and of the numbers in them (``core.i18n``, keys ``findings.*``).
    """
    total = int(trend["orders"].sum())
    if not total:
        return []
    said = []

    def t(key: str, **params) -> str:
        return i18n.t(key, lang, **params)

    def number(value, decimals: int = 0) -> str:
        return format_number(value, decimals, lang)

    def money(value) -> str:
        return format_money(value, currency, lang=lang)

    def day(name: str) -> str:
        return i18n.translate_weekday(name, lang)

    rate = weekdays["orders_per_day"]
    if rate.notna().sum() >= 2:
        busy, quiet = weekdays.loc[rate.idxmax()], weekdays.loc[rate.idxmin()]
        if busy["orders_per_day"] == quiet["orders_per_day"]:
            said.append(t("findings.even_weekdays"))
        else:
            high, low = busy["orders_per_day"], quiet["orders_per_day"]
            ratio = t("findings.ratio_quietest", ratio=number(high / low, 1)) if low else ""
            said.append(t("findings.busiest_weekday", day=day(busy["day"]), orders=number(high, 1), ratio=ratio,
                          quiet=day(quiet["day"]), low=number(low, 1)))
    aov = weekdays["aov"]
    if aov.notna().sum() >= 2 and aov.max() > aov.min():
        big, small = weekdays.loc[aov.idxmax()], weekdays.loc[aov.idxmin()]
        said.append(t("findings.largest_orders", big=day(big["day"]), big_aov=money(big["aov"]),
                      small=day(small["day"]), small_aov=money(small["aov"])))
    if len(trend) >= 12:
        start = int(peak_windows(months["orders_per_month"].to_numpy())[0])
        window = months["index"].iloc[[start, (start + 1) % 12]].mean()
        quiet = months.loc[months["orders_per_month"].idxmin()]
        said.append(t("findings.peak_season", window=i18n.translate_months(window_name(start), lang),
                      ratio=number(window, 1), quiet=i18n.translate_month(quiet["name"], lang)))
    elif len(trend) >= 2:
        top = trend.loc[trend["orders"].idxmax()]
        said.append(t("findings.short_period", months=len(trend), month=format_month(top["month"], lang),
                      orders=number(top["orders"])))
    if len(trend) >= 2:
        top = trend.loc[trend["revenue"].idxmax()]
        said.append(t("findings.highest_revenue", month=format_month(top["month"], lang), revenue=money(top["revenue"]),
                      share=format_percent(top["revenue"] / trend["revenue"].sum(), 0, lang)))
    if hours is not None and hours["orders"].any():
        busy, quiet = hours.loc[hours["orders"].idxmax()], hours.loc[hours["orders"].idxmin()]
        said.append(t("findings.busiest_hour", busy=_hour_range(busy["hour"]),
                      busy_share=format_percent(busy["share"], 0, lang), quiet=_hour_range(quiet["hour"]),
                      quiet_share=format_percent(quiet["share"], 1, lang)))
    return said


def category_contrast(lines: pd.DataFrame) -> pd.DataFrame:
    """Per category with sales, by revenue descending: category, revenue, orders (distinct order ids with a line
    of the category), items (units), lines, revenue_per_order (mean: revenue / orders), trimmed_revenue_per_order
    (the :data:`TRIM_SHARE` trimmed mean of the category's revenue per order, see :func:`trimmed_means`),
    average_price (revenue / items, per unit; NaN without units), share_revenue (of all lines' revenue) and
    share_orders (of the distinct order ids in ``lines``, so under a filter it is a share of the filtered
    orders; shares of orders add up to more than 100 % because an order can hold several categories);
    customers (distinct buyers) when ``lines`` has ``customer_id``. Money is in the lines' currency.

    An order id shared by two customers is one order: its revenue per order is the sum of both customers'
    lines of the category.
    """
    if lines.empty:
        return _empty({"category": "str", **dict.fromkeys(
            ["revenue", "orders", "items", "lines", "revenue_per_order", "trimmed_revenue_per_order",
             "average_price", "share_revenue", "share_orders"], "float64")})
    codes, names = category_codes(lines["category"])
    n = len(names)
    order = id_codes(lines["order_id"])
    line_revenue = lines["revenue"].to_numpy(dtype=float)
    revenue = np.bincount(codes, weights=line_revenue, minlength=n)
    pair = order * n + codes                              # (order id, category), one run per pair once sorted
    ordered = np.argsort(pair)
    pair = pair[ordered]
    first = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
    pair_category = pair[first] % n
    orders = np.bincount(pair_category, minlength=n)
    items = np.bincount(codes, weights=lines["quantity"].to_numpy(dtype=float), minlength=n)
    table = pd.DataFrame({
        "category": names, "revenue": revenue, "orders": orders, "items": items,
        "lines": np.bincount(codes, minlength=n),
        "revenue_per_order": np.divide(revenue, orders, out=np.full(n, np.nan), where=orders > 0),
        "trimmed_revenue_per_order": trimmed_means(pair_category, np.add.reduceat(line_revenue[ordered], first),
                                                   n),
        "average_price": np.divide(revenue, items, out=np.full(n, np.nan), where=items > 0),
        "share_revenue": revenue / revenue.sum() if revenue.sum() else np.nan,
        "share_orders": orders / np.count_nonzero(np.bincount(order))})
    if "customer_id" in lines:
        table["customers"] = distinct_counts(codes, id_codes(lines["customer_id"]), n)
    table = table[table["lines"] > 0]
    return (table.sort_values(["revenue", "category"], ascending=[False, True], kind="stable")
            .reset_index(drop=True))


def trimmed_means(group: np.ndarray, values: np.ndarray, n: int, share: float = TRIM_SHARE) -> np.ndarray:
    """Per group 0..n-1, the mean of its ``values`` without the ``int(share * count)`` smallest and as many
    largest ones (as ``scipy.stats.trim_mean``); NaN for a group without values. ``group``: integer codes
    0..n-1 per value. One sort of the values by group, then each group's slice is partitioned at its two cut
    points (linear time) and only the middle is summed: a loop over the groups, not the values."""
    count = np.bincount(group, minlength=n)
    cut = (share * count).astype(np.int64)
    small = group.astype(np.int16) if n <= np.iinfo(np.int16).max else group     # a radix sort for int16
    by_group = values[np.argsort(small, kind="stable")]
    end = np.cumsum(count)
    total = np.zeros(n)
    for g in np.flatnonzero(count):
        part = by_group[end[g] - count[g]:end[g]]
        if cut[g]:
            part = np.partition(part, (cut[g], count[g] - cut[g] - 1))[cut[g]:count[g] - cut[g]]
        total[g] = part.sum()
    kept = count - 2 * cut
    return np.divide(total, kept, out=np.full(n, np.nan), where=kept > 0)


def category_findings(contrast: pd.DataFrame, currency: str = "", lang: str = "en") -> list[str]:
    """What :func:`category_contrast` shows, in words: the top revenue category, then the category in the most
    orders versus the one that brings the most per order, both among categories in at least
    FINDING_MIN_ORDER_SHARE of the orders (so a category bought a handful of times does not win; all categories
    when none is). "Per order" is the trimmed mean (``trimmed_revenue_per_order``, see :data:`TRIM_SHARE`), and
    the sentence says so: one huge line does not make a category the richest. Ties go to the first row (the
    higher revenue). Empty without categories."""
    if contrast.empty:
        return []
    table = contrast[contrast["share_orders"] >= FINDING_MIN_ORDER_SHARE]
    table = table if len(table) else contrast
    frequent = table.loc[table["orders"].idxmax()]
    rich = table.loc[table["trimmed_revenue_per_order"].idxmax()]
    top = contrast.iloc[0]

    def money(value) -> str:
        return format_money(value, currency, lang=lang)

    def share(value) -> str:
        return format_percent(value, 0, lang)

    def name(category) -> str:
        return i18n.segment_name(category, lang)             # the catch-all "Other" in the language

    said = [i18n.t("findings.top_revenue_category", lang, category=name(top["category"]), revenue=money(top["revenue"]),
                   share=share(top["share_revenue"]))]
    trim = share(TRIM_SHARE)
    if frequent["category"] == rich["category"]:
        said.append(i18n.t("findings.frequent_and_rich", lang, category=name(frequent["category"]),
                           share_orders=share(frequent["share_orders"]),
                           per_order=money(frequent["trimmed_revenue_per_order"]), trim=trim))
    else:
        said.append(i18n.t("findings.frequent_vs_rich", lang, frequent=name(frequent["category"]),
                           frequent_share=share(frequent["share_orders"]),
                           frequent_per_order=money(frequent["trimmed_revenue_per_order"]),
                           rich=name(rich["category"]), rich_per_order=money(rich["trimmed_revenue_per_order"]),
                           rich_share=share(rich["share_orders"]), trim=trim))
    return said


def category_months(lines: pd.DataFrame, period: Period | None = None) -> pd.DataFrame:
    """Month × category grid (every month of the period for every category with sales): month (first day),
    category, revenue, orders (distinct order ids with the category that month) and share (the month's part of
    the category's revenue in the period, 0..1, so small categories show their own seasonality).

    Every line sits in its order's month (:func:`order_dates`: the earliest line of its order id), so an order
    counts once per category, in the same month as in :func:`month_trend`; lines of orders outside the period
    are left out."""
    period = period or period_of(lines["date"])
    if period is None or lines.empty:
        return _empty({"month": "datetime64[ns]", "category": "str", "revenue": "float64", "orders": "int64",
                       "share": "float64"})
    months = pd.period_range(period[0], period[1], freq="M").to_timestamp()
    codes, names = category_codes(lines["category"])
    order = id_codes(lines["order_id"])
    month = month_numbers(order_dates(order, lines["date"].to_numpy())) - month_numbers([period[0]])[0]
    revenue = lines["revenue"].to_numpy(dtype=float)
    k, size = len(names), len(months) * len(names)
    inside = (month >= 0) & (month < len(months))
    if not inside.all():
        codes, order, month, revenue = codes[inside], order[inside], month[inside], revenue[inside]
    cell = month * k + codes
    revenue = np.bincount(cell, weights=revenue, minlength=size)
    if len(order) and (int(order.max()) + 1) * k <= _BITMAP_CELLS:
        # distinct (order, category) pairs, each counted in its order's month
        seen = np.zeros((int(order.max()) + 1) * k, dtype=bool)
        seen[order * k + codes] = True
        month_of_order = np.zeros(int(order.max()) + 1, dtype=np.int64)
        month_of_order[order] = month
        pair = np.flatnonzero(seen)
        orders = np.bincount(month_of_order[pair // k] * k + pair % k, minlength=size)
    else:
        orders = distinct_counts(cell, order, size)
    sold = np.bincount(codes, minlength=len(names)) > 0
    grid = pd.DataFrame({"month": np.repeat(months.to_numpy(), len(names)),
                         "category": np.tile(np.asarray(names, dtype=object), len(months)),
                         "revenue": revenue, "orders": orders})
    grid = grid[np.tile(sold, len(months))].reset_index(drop=True)
    total = grid.groupby("category", sort=False)["revenue"].transform("sum")
    grid["share"] = grid["revenue"] / total.where(total != 0)
    grid["category"] = grid["category"].astype("str")
    return grid


def _profile(orders: pd.DataFrame, bucket_of, n: int) -> pd.DataFrame:
    """orders (distinct order ids), revenue, distinct customers and aov per bucket 0..n-1, the bucket being
    ``bucket_of`` (datetime64 array -> int array) of each order's :func:`order_dates` (orders outside 0..n-1 are
    ignored)."""
    order = id_codes(orders["order_id"])
    bucket = bucket_of(order_dates(order, orders["date"].to_numpy()))
    customer = id_codes(orders["customer_id"])
    inside = (bucket >= 0) & (bucket < n)
    revenue = orders["revenue"].to_numpy(dtype=float)
    if not inside.all():
        order, bucket, customer, revenue = order[inside], bucket[inside], customer[inside], revenue[inside]
    counts = distinct_counts(bucket, order, n)
    revenue = np.bincount(bucket, weights=revenue, minlength=n)
    customers = distinct_counts(bucket, customer, n)
    aov = np.divide(revenue, counts, out=np.full(n, np.nan), where=counts > 0)
    return pd.DataFrame({"orders": counts, "revenue": revenue, "customers": customers, "aov": aov})


def order_dates(order: np.ndarray, dates) -> np.ndarray:
    """The date of each row's order: the earliest of ``dates`` (datetime64) among the rows with the same order id
    (``order``: integer codes >= 0, see :func:`id_codes`). Rows of an order id shared by two customers, or lines
    of one order recorded at several hours, then fall in the same month, weekday and hour. When every order id
    already has one date (distinct orders, or the dashboard's lines) the dates come back as they are after one
    scatter and one gather; otherwise only the rows of the order ids with several dates are looked at. NaT
    counts as the earliest date."""
    dates = np.asarray(dates)
    if not len(order):
        return dates
    values = dates.view(np.int64)
    stamp = np.zeros(int(order.max()) + 1, dtype=np.int64)
    stamp[order] = values                                   # one of each order id's dates
    differs = stamp[order] != values
    if not differs.any():
        return dates
    rows = np.zeros(len(stamp), dtype=bool)
    rows[order[differs]] = True
    rows = rows[order]                                      # every row of an order id with several dates
    earliest = np.full(len(stamp), np.iinfo(np.int64).max)
    np.minimum.at(earliest, order[rows], values[rows])
    values = values.copy()
    values[rows] = earliest[order[rows]]
    return values.view(dates.dtype)


def once_per_order(order: np.ndarray, bucket: np.ndarray) -> np.ndarray:
    """Boolean mask keeping one row of each (bucket, order id) pair (``order``: integer codes >= 0; ``bucket``:
    integers >= 0), so ``np.bincount(bucket[mask])`` counts distinct order ids per bucket. Only the rows of order
    ids that occur more than once are hashed: a table of distinct orders costs one ``bincount``."""
    keep = np.ones(len(order), dtype=bool)
    if not len(order):
        return keep
    repeated = np.flatnonzero(np.bincount(order)[order] > 1)
    if len(repeated):
        pairs = pd.DataFrame({"bucket": bucket[repeated], "order": order[repeated]})
        keep[repeated[pairs.duplicated().to_numpy()]] = False
    return keep


def distinct_counts(bucket: np.ndarray, ids: np.ndarray, n: int) -> np.ndarray:
    """How many distinct ``ids`` (integer codes >= 0) each bucket 0..n-1 has.

    A (bucket, id) bitmap when it is not much larger than the data (the fast path for months, weekdays and
    hours), else hashing of the pairs.
    """
    if not len(ids):
        return np.zeros(n, dtype=np.int64)
    width = int(ids.max()) + 1
    pairs = bucket.astype(np.int64) * width + ids
    if n * width <= min(_BITMAP_CELLS, max(16 * len(ids), 1_000_000)):
        seen = np.zeros(n * width, dtype=bool)
        seen[pairs] = True
        return seen.reshape(n, width).sum(axis=1)
    return np.bincount(pd.unique(pairs) // width, minlength=n)


def id_codes(ids: pd.Series) -> np.ndarray:
    """Integer codes >= 0 of an id column: the values themselves when they already are small non-negative
    integers (the dashboard's codes), else factorised."""
    if ids.dtype.kind in "iu":
        values = ids.to_numpy()
        if not len(values) or (values.min() >= 0 and values.max() <= 4 * len(values)):
            return values.astype(np.int64, copy=False)
    return factorized(ids)[0]


def category_codes(category: pd.Series) -> tuple[np.ndarray, list[str]]:
    """Integer codes and names of a category column (Categorical or text; missing -> "Other")."""
    if isinstance(category.dtype, pd.CategoricalDtype) and not category.isna().any():
        return category.cat.codes.to_numpy().astype(np.int64), [str(c) for c in category.cat.categories]
    codes, names = pd.factorize(category.astype("str").fillna("Other"))
    return codes.astype(np.int64), [str(c) for c in names]


def _hour_range(hour: int) -> str:
    return f"{int(hour):02d}:00–{(int(hour) + 1) % 24:02d}:00"


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})
