"""Order and customer tables built from clean order lines.

Orders are distinct order ids, never lines. Return lines kept under the ``net`` returns policy reduce revenue
but are not orders: an order is counted only if it has at least one purchase line.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from core.codes import remember, sorted_codes, taken_codes
from core.seasonality import id_codes, order_dates

ORDER_COLUMNS = ["order_id", "customer_id", "date", "lines", "items", "revenue"]
CUSTOMER_COLUMNS = ["customer_id", "first_purchase", "last_purchase", "orders", "revenue", "aov"]


def build_orders(lines: pd.DataFrame) -> pd.DataFrame:
    """One row per (order id, customer) with at least one purchase line, sorted by order id, then customer id.

    date: the earliest timestamp of the order's lines; lines: purchase lines; items: units bought;
    revenue: money of the purchase lines (currency of the export). Return lines and lines without an order or
    customer id are left out. Grouped on the ids' sorted codes (``core.codes``, handed on by ``core.clean``):
    by order alone when every order id has one customer, else by (order, customer); the codes of the result's
    ids are handed on to :func:`build_customers`.
    """
    order_codes, order_ids = sorted_codes(lines["order_id"])
    customer_codes, customer_ids = sorted_codes(lines["customer_id"])
    purchase = (order_codes >= 0) & (customer_codes >= 0)
    if "is_return" in lines:
        purchase &= ~lines["is_return"].to_numpy(dtype=bool)
    rows = np.flatnonzero(purchase)
    order, customer = order_codes[rows], customer_codes[rows]
    first_customer = np.zeros(len(order_ids), dtype=np.int64)
    first_customer[order[::-1]] = customer[::-1]
    width = 1 if (customer == first_customer[order]).all() else len(customer_ids)
    key = order * width + (customer if width > 1 else 0)
    orders = (pd.DataFrame({"key": key, "date": lines["date"].to_numpy()[rows],
                            "quantity": lines["quantity"].to_numpy()[rows],
                            "revenue": lines["revenue"].to_numpy()[rows]}, copy=False)
              .groupby("key", sort=True)
              .agg(date=("date", "min"), lines=("quantity", "size"), items=("quantity", "sum"),
                   revenue=("revenue", "sum")))
    keys = orders.index.to_numpy()
    order_rank = keys // width
    customer_rank = first_customer[order_rank] if width == 1 else keys % width
    orders = orders.reset_index(drop=True)
    orders.insert(0, "order_id", order_ids.take(order_rank))
    orders.insert(1, "customer_id", customer_ids.take(customer_rank))
    orders["lines"] = orders["lines"].astype("int64")
    orders = orders[ORDER_COLUMNS]
    remember(orders["order_id"], *taken_codes(np.arange(len(order_ids)), order_ids, order_rank))
    remember(orders["customer_id"], *taken_codes(np.arange(len(customer_ids)), customer_ids, customer_rank))
    return orders


def build_customers(lines: pd.DataFrame, orders: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per customer with at least one order, sorted by customer id.

    first_purchase / last_purchase: timestamps of the first and last order; orders: distinct order ids;
    revenue: all kept lines' money, returns netted when they were kept; aov: revenue / orders.
    """
    if orders is None:
        orders = build_orders(lines)
    customer_codes, customer_ids = sorted_codes(orders["customer_id"])
    per_customer = (pd.DataFrame({"customer": customer_codes, "date": orders["date"].to_numpy(),
                                  "revenue": orders["revenue"].to_numpy()}, copy=False)
                    .groupby("customer", sort=True)
                    .agg(first_purchase=("date", "min"), last_purchase=("date", "max"),
                         orders=("date", "size"), revenue=("revenue", "sum")))
    per_customer.index = customer_ids.take(per_customer.index.to_numpy()).rename("customer_id")
    if "is_return" in lines and lines["is_return"].any():
        returned = lines[lines["is_return"]].groupby("customer_id")["revenue"].sum()
        per_customer["revenue"] = per_customer["revenue"].add(returned, fill_value=0.0)
    customers = per_customer.reset_index()
    customers["orders"] = customers["orders"].astype("int64")
    customers["aov"] = customers["revenue"] / customers["orders"]
    customers = customers[CUSTOMER_COLUMNS]
    if customers["customer_id"].is_monotonic_increasing:   # unique (grouped) and sorted: each row its own code
        remember(customers["customer_id"], np.arange(len(customers)), pd.Index(customers["customer_id"]))
    return customers


def kpis(orders: pd.DataFrame, customers: pd.DataFrame) -> dict:
    """Headline figures: customers, orders, revenue, average order value and the period covered (timestamps)."""
    revenue = float(customers["revenue"].sum())
    order_count = int(orders["order_id"].nunique())
    return {
        "customers": int(len(customers)),
        "orders": order_count,
        "revenue": revenue,
        "aov": revenue / order_count if order_count else 0.0,
        "first_date": orders["date"].min() if len(orders) else None,
        "last_date": orders["date"].max() if len(orders) else None,
    }


def revenue_by_month(orders: pd.DataFrame) -> pd.DataFrame:
    """Per calendar month of the order date: month (first day, timestamp), orders, customers, revenue.

    An order id counts once, in the month of its earliest row (``core.seasonality.order_dates``), so an order
    shared by two customers is one order of one month and the months add up to the distinct order ids; its
    customers and revenue fall in that month too. Months without orders inside the period appear with zeros so
    trends are not drawn across gaps.
    """
    if orders.empty:
        return pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"), "orders": [], "customers": [],
                             "revenue": []})
    dates = order_dates(id_codes(orders["order_id"]), orders["date"].to_numpy())
    month = pd.Series(dates, index=orders.index).dt.to_period("M").dt.to_timestamp()
    monthly = (orders.assign(month=month).groupby("month")
               .agg(orders=("order_id", "nunique"), customers=("customer_id", "nunique"),
                    revenue=("revenue", "sum")))
    full = pd.date_range(monthly.index.min(), monthly.index.max(), freq="MS", name="month")
    return monthly.reindex(full, fill_value=0).reset_index()
