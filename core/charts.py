"""Altair chart specs built from tidy frames, shared by the app, the PDF report and the tests."""
from __future__ import annotations

import altair as alt
import pandas as pd

FONT = "DejaVu Sans"


def monthly_revenue_chart(monthly: pd.DataFrame, currency: str = "") -> alt.Chart:
    """Bars of revenue per month (from ``core.orders.revenue_by_month``) with orders and customers in the tooltip."""
    revenue_title = f"Revenue, {currency}" if currency else "Revenue"
    return (alt.Chart(monthly, title="Revenue by month")
            .mark_bar(color="#4c78a8")
            .encode(x=alt.X("yearmonth(month):O", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=-45)),
                    y=alt.Y("revenue:Q", title=revenue_title, axis=alt.Axis(format=",.0f")),
                    tooltip=[alt.Tooltip("month:T", title="Month", format="%B %Y"),
                             alt.Tooltip("revenue:Q", title=revenue_title, format=",.0f"),
                             alt.Tooltip("orders:Q", title="Orders", format=","),
                             alt.Tooltip("customers:Q", title="Customers", format=",")])
            .properties(height=300))
