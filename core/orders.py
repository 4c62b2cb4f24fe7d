"""Order and customer tables built from clean order lines.

Orders are distinct order ids, never lines. Return lines kept under the ``net`` returns policy reduce revenue
but are not orders: an order is counted only if it has at least one purchase line.
"""
from __future__ import annotations

import pandas as pd

ORDER_COLUMNS = ["order_id", "customer_id", "date", "lines", "items", "revenue"]
CUSTOMER_COLUMNS = ["customer_id", "first_purchase", "last_purchase", "orders", "revenue", "aov"]


def build_orders(lines: pd.DataFrame) -> pd.DataFrame:
    """One row per (order id, customer) with at least one purchase line, sorted by order id.

    date: the earliest timestamp of the order's lines; lines: purchase lines; items: units bought;
    revenue: money of the purchase lines (currency of the export). Return lines are left out.
    """
    purchases = lines[~lines["is_return"]] if "is_return" in lines else lines
    orders = (purchases.groupby(["order_id", "customer_id"], sort=True, observed=True)
              .agg(date=("date", "min"), lines=("quantity", "size"), items=("quantity", "sum"),
                   revenue=("revenue", "sum"))
              .reset_index())
    orders["lines"] = orders["lines"].astype("int64")
    return orders[ORDER_COLUMNS]


def build_customers(lines: pd.DataFrame, orders: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per customer with at least one order, sorted by customer id.

    first_purchase / last_purchase: timestamps of the first and last order; orders: distinct order ids;
    revenue: all kept lines' money, returns netted when they were kept; aov: revenue / orders.
    """
    if orders is None:
        orders = build_orders(lines)
    per_customer = (orders.groupby("customer_id", sort=True)
                    .agg(first_purchase=("date", "min"), last_purchase=("date", "max"),
                         orders=("order_id", "size"), revenue=("revenue", "sum")))
    if "is_return" in lines and lines["is_return"].any():
        returned = lines[lines["is_return"]].groupby("customer_id")["revenue"].sum()
        per_customer["revenue"] = per_customer["revenue"].add(returned, fill_value=0.0)
    customers = per_customer.reset_index()
    customers["orders"] = customers["orders"].astype("int64")
    customers["aov"] = customers["revenue"] / customers["orders"]
    return customers[CUSTOMER_COLUMNS]


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

    Months without orders inside the period appear with zeros so trends are not drawn across gaps.
    """
    if orders.empty:
        return pd.DataFrame({"month": pd.Series(dtype="datetime64[ns]"), "orders": [], "customers": [],
                             "revenue": []})
    month = orders["date"].dt.to_period("M").dt.to_timestamp()
    monthly = (orders.assign(month=month).groupby("month")
               .agg(orders=("order_id", "nunique"), customers=("customer_id", "nunique"),
                    revenue=("revenue", "sum")))
    full = pd.date_range(monthly.index.min(), monthly.index.max(), freq="MS", name="month")
    return monthly.reindex(full, fill_value=0).reset_index()
