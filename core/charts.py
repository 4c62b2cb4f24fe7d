"""Altair chart specs built from tidy frames, shared by the app, the PDF report and the tests.

The specs are built with English texts; :func:`localized` puts a chart into another interface language.
"""
from __future__ import annotations

import re

import altair as alt
import pandas as pd
from altair.utils.schemapi import SchemaBase

from core import i18n

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


def cluster_quality_chart(suggestions: pd.DataFrame, chosen_k: int | None = None) -> alt.HConcatChart:
    """Silhouette (higher = better separated) and inertia (look for the elbow) per number of clusters, side by
    side, from ``core.clustering.suggest_k``; a dashed rule marks ``chosen_k``."""
    tooltip = [alt.Tooltip("k:O", title="Clusters"), alt.Tooltip("silhouette:Q", title="Silhouette", format=".3f"),
               alt.Tooltip("inertia:Q", title="Inertia", format=",.0f")]
    x = alt.X("k:O", title="Number of clusters", axis=alt.Axis(labelAngle=0))
    panels = []
    for column, title, color, axis_format in (("silhouette", "Silhouette (higher = better)", "#4c78a8", ".2f"),
                                              ("inertia", "Inertia (look for the elbow)", "#f58518", ",.0f")):
        line = (alt.Chart(suggestions).mark_line(point=True, color=color)
                .encode(x=x, y=alt.Y(f"{column}:Q", title=title, scale=alt.Scale(zero=False),
                                     axis=alt.Axis(format=axis_format)), tooltip=tooltip))
        if chosen_k is not None:
            rule = (alt.Chart(pd.DataFrame({"k": [chosen_k]})).mark_rule(color="gray", strokeDash=[4, 4])
                    .encode(x=alt.X("k:O")))
            line = alt.layer(line, rule)
        panels.append(line.properties(width=300, height=220))
    return alt.hconcat(*panels, title="Choosing the number of clusters")


def cluster_scatter_chart(points: pd.DataFrame, currency: str = "") -> alt.Chart:
    """Recency vs monetary on log axes, one dot per customer coloured by cluster (``core.clustering.plot_sample``)."""
    money_title = f"Spend, {currency} (log scale)" if currency else "Spend (log scale)"
    order = list(dict.fromkeys(points.sort_values("cluster")["cluster_label"]))
    return (alt.Chart(points, title="Customers by recency and spend")
            .mark_circle(size=28, opacity=0.6)
            .encode(x=alt.X("recency_days:Q", title="Days since the last purchase (log scale)",
                            scale=alt.Scale(type="log"), axis=alt.Axis(format=",.0f")),
                    y=alt.Y("monetary:Q", title=money_title, scale=alt.Scale(type="log"),
                            axis=alt.Axis(format=",.0f")),
                    color=alt.Color("cluster_label:N", title="Cluster", sort=order, scale=alt.Scale(scheme="tableau10"),
                                    legend=alt.Legend(orient="bottom", columns=2, labelLimit=400)),
                    tooltip=[alt.Tooltip("customer_id:N", title="Customer"),
                             alt.Tooltip("cluster_label:N", title="Cluster"),
                             alt.Tooltip("recency_days:Q", title="Days since last purchase", format=","),
                             alt.Tooltip("frequency:Q", title="Orders", format=","),
                             alt.Tooltip("monetary:Q", title="Spend", format=",.0f")])
            .properties(height=420))


def cluster_segment_heatmap(counts: pd.DataFrame, segment_order: list[str] | None = None) -> alt.LayerChart:
    """Clusters × RFM segments (``core.clustering.cluster_segment_counts``): colour = share of the cluster,
    text = customers."""
    clusters = list(dict.fromkeys(counts.sort_values("cluster")["cluster_label"]))
    base = alt.Chart(counts, title="Clusters × RFM segments").encode(
        x=alt.X("segment:N", title="RFM segment", sort=segment_order,
                axis=alt.Axis(labelAngle=-35, labelAlign="right", labelOverlap=False, labelLimit=160)),
        y=alt.Y("cluster_label:N", title=None, sort=clusters, axis=alt.Axis(labelLimit=320)),
        tooltip=[alt.Tooltip("cluster_label:N", title="Cluster"), alt.Tooltip("segment:N", title="Segment"),
                 alt.Tooltip("customers:Q", title="Customers", format=","),
                 alt.Tooltip("share_of_cluster:Q", title="Share of the cluster", format=".0%")])
    rect = base.mark_rect().encode(color=alt.Color("share_of_cluster:Q", title="Share of the cluster",
                                                   scale=alt.Scale(scheme="blues", domain=[0, 1]),
                                                   legend=alt.Legend(format=".0%")))
    text = base.mark_text(fontSize=11).encode(
        text=alt.Text("customers:Q", format=","),
        color=alt.condition("datum.share_of_cluster > 0.5", alt.value("white"), alt.value("black")))
    return alt.layer(rect, text).properties(height=alt.Step(34))


def category_chart(summary: pd.DataFrame, currency: str = "", other: str = "Other") -> alt.HConcatChart:
    """Revenue and orders per category side by side, from ``core.categories.category_summary`` with the index reset
    (column ``category``); categories in the table's order (by revenue), the uncategorised ``other`` bar grey."""
    revenue_title = f"Revenue, {currency}" if currency else "Revenue"
    order = summary["category"].tolist()
    tooltip = [alt.Tooltip("category:N", title="Category"),
               alt.Tooltip("revenue:Q", title=revenue_title, format=",.0f"),
               alt.Tooltip("revenue_share:Q", title="Share of revenue", format=".1%"),
               alt.Tooltip("orders:Q", title="Orders", format=","),
               alt.Tooltip("customers:Q", title="Customers", format=","),
               alt.Tooltip("rows:Q", title="Order lines", format=",")]
    color = alt.condition(alt.datum.category == other, alt.value("#bab0ac"), alt.value("#4c78a8"))
    base = alt.Chart(summary).mark_bar().encode(color=color, tooltip=tooltip)
    revenue = base.encode(
        y=alt.Y("category:N", title=None, sort=order, axis=alt.Axis(labelLimit=240)),
        x=alt.X("revenue:Q", title=revenue_title, axis=alt.Axis(format=",.0f")),
    ).properties(title="Revenue", width=380, height=alt.Step(22))
    orders = base.encode(
        y=alt.Y("category:N", title=None, sort=order, axis=None),
        x=alt.X("orders:Q", title="Orders", axis=alt.Axis(format=",d")),
    ).properties(title="Orders", width=260, height=alt.Step(22))
    return alt.hconcat(revenue, orders, spacing=12).properties(title="Revenue and orders by category")


GRID_LINE = 14
"""Segment names longer than this many characters take two lines in an R×F grid cell (see :func:`two_lines`)."""
GRID_ISSUES = {"uncovered": "Some customers match no rule (Other)", "overlap": "Several rules match (first wins)",
               "both": "No rule for some M, several rules for other M"}


def rf_grid_heatmap(grid: pd.DataFrame) -> alt.LayerChart:
    """The R×F grid of a segment map (``core.segments.grid_coverage``): each cell coloured and labelled with the
    segment it gets and its customers; a red border marks cells some customers of which match no rule, an
    orange one cells where several rules match (the first one wins), a purple one cells with both (the outcome
    depends on M: no rule for some M scores, several for others)."""
    labels = [two_lines(str(name)) for name in grid["segment"]]
    data = grid.assign(issue="", label=labels, lines=[label.count("\n") + 1 for label in labels])
    data.loc[data["overlap"], "issue"] = GRID_ISSUES["overlap"]
    data.loc[data["uncovered"], "issue"] = GRID_ISSUES["uncovered"]
    data.loc[data["uncovered"] & data["overlap"], "issue"] = GRID_ISSUES["both"]
    segment_order = list(dict.fromkeys(data["segment"]))
    base = alt.Chart(data, title="Segment of each R×F cell (customers in the cell)").encode(
        x=alt.X("F:O", title="F score (orders, higher = more)", axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("R:O", title="R score (higher = more recent)", sort="descending"),
        tooltip=[alt.Tooltip("R:O", title="R score"), alt.Tooltip("F:O", title="F score"),
                 alt.Tooltip("segment:N", title="Segment"), alt.Tooltip("customers:Q", title="Customers", format=","),
                 alt.Tooltip("matching_rules:Q", title="Rules covering the cell"),
                 alt.Tooltip("issue:N", title="Check")])
    rect = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("segment:N", sort=segment_order, scale=alt.Scale(scheme="set3"), legend=None))
    issues = base.transform_filter("datum.issue != ''").mark_rect(filled=False, strokeWidth=3).encode(
        stroke=alt.Stroke("issue:N", title="Check", scale=alt.Scale(domain=list(GRID_ISSUES.values()),
                                                                    range=["#d62728", "#ff7f0e", "#9467bd"]),
                          legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400)))
    names = [base.transform_filter(f"datum.lines == {lines}").mark_text(
        fontSize=11, dy=dy, lineBreak="\n", lineHeight=11, limit=alt.ExprRef("bandwidth('x') - 6")
    ).encode(text="label:N") for lines, dy in ((1, -7), (2, -14))]                  # long names on two lines
    counts = base.mark_text(fontSize=11, dy=12, fontWeight="bold").encode(text=alt.Text("customers:Q", format=","))
    return alt.layer(rect, issues, *names, counts).properties(width="container", height=alt.Step(52))


def two_lines(text: str, longest: int = GRID_LINE) -> str:
    """``text`` broken at the space nearest its middle when it is longer than ``longest`` characters (one line
    break at most, so a name fits a cell of the R×F grid); shorter text and text without spaces stay as they
    are."""
    if len(text) <= longest or " " not in text:
        return text
    middle = len(text) / 2
    cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
    return f"{text[:cut]}\n{text[cut + 1:]}"


def segment_share_chart(table: pd.DataFrame, group_title: str = "segment") -> alt.Chart:
    """Share of customers next to share of revenue per group, one pair of horizontal bars per row of ``table``
    (columns segment, customers, share_customers, revenue, share_revenue; rows in display order), e.g.
    ``core.pipeline.segment_totals`` or ``core.profiles.segment_profiles``. ``group_title``: what a row is, as
    it reads after "by" in the title (``"segment"``, ``"RFM segment"``)."""
    order = [str(name) for name in table["segment"]]
    measures = {"share_customers": "Customers", "share_revenue": "Revenue"}
    data = table[["segment", "customers", "share_customers", "revenue", "share_revenue"]].assign(
        segment=lambda frame: frame["segment"].astype("str"))
    return (alt.Chart(data, title=f"Share of customers and revenue by {group_title}")
            .transform_fold(list(measures), as_=["measure", "share"])
            .transform_calculate(measure_label="datum.measure == 'share_customers' ? 'Customers' : 'Revenue'")
            .mark_bar()
            .encode(y=alt.Y("segment:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
                    x=alt.X("share:Q", title="Share of all customers / all revenue", axis=alt.Axis(format=".0%")),
                    yOffset=alt.YOffset("measure_label:N", sort=list(measures.values())),
                    color=alt.Color("measure_label:N", title=None, sort=list(measures.values()),
                                    scale=alt.Scale(range=["#4c78a8", "#f58518"]),
                                    legend=alt.Legend(orient="bottom")),
                    tooltip=[alt.Tooltip("segment:N", title=group_title[:1].upper() + group_title[1:]),
                             alt.Tooltip("customers:Q", title="Customers", format=","),
                             alt.Tooltip("share_customers:Q", title="Share of customers", format=".1%"),
                             alt.Tooltip("revenue:Q", title="Revenue", format=",.0f"),
                             alt.Tooltip("share_revenue:Q", title="Share of revenue", format=".1%")])
            .properties(height=alt.Step(14)))


def migration_heatmap(matrix: pd.DataFrame, days: int | None = None) -> alt.LayerChart:
    """Segment then (rows, ``from``) × segment now (columns, ``to``) from ``core.segments.migration_matrix``:
    text = customers, colour = share of the row's customers (where the segment's customers went)."""
    long = matrix.stack().rename("customers").reset_index()
    long.columns = ["from", "to", "customers"]
    long["from"], long["to"] = long["from"].astype("str"), long["to"].astype("str")
    row_totals = long.groupby("from")["customers"].transform("sum")
    long["share_of_from"] = (long["customers"] / row_totals.where(row_totals > 0)).fillna(0.0)
    then = f"{days} days earlier" if days else "Earlier"
    base = alt.Chart(long, title=f"Where customers moved: segment {then.lower()} → segment now").encode(
        x=alt.X("to:N", title="Segment now", scale=alt.Scale(domain=[str(c) for c in matrix.columns]),
                axis=alt.Axis(labelAngle=-35, labelLimit=160, labelOverlap=False, orient="top")),
        y=alt.Y("from:N", title=f"Segment {then.lower()}", scale=alt.Scale(domain=[str(i) for i in matrix.index]),
                axis=alt.Axis(labelLimit=200)),
        tooltip=[alt.Tooltip("from:N", title=f"Segment {then.lower()}"), alt.Tooltip("to:N", title="Segment now"),
                 alt.Tooltip("customers:Q", title="Customers", format=","),
                 alt.Tooltip("share_of_from:Q", title="Share of the earlier segment", format=".0%")])
    cells = base.mark_rect(fill="#f4f4f4", stroke="white", strokeWidth=1)        # empty cells stay light grey
    rect = base.transform_filter("datum.customers > 0").mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("share_of_from:Q", title="Share of the earlier segment",
                                                   scale=alt.Scale(scheme="blues", domain=[0, 1]),
                                                   legend=alt.Legend(format=".0%", orient="bottom")))
    text = base.transform_filter("datum.customers > 0").mark_text(fontSize=11).encode(
        text=alt.Text("customers:Q", format=","),
        color=alt.condition("datum.share_of_from > 0.5", alt.value("white"), alt.value("black")))
    return alt.layer(cells, rect, text).properties(height=alt.Step(30))


# --- Dashboard (Explore and Plan pages): time patterns, categories, cohorts, campaign calendar ------------------
DASHBOARD_METRICS = {"orders": ("Orders", ",.0f"), "revenue": ("Revenue", ",.0f"), "customers": ("Customers", ",.0f"),
                     "aov": ("Average order", ",.2f")}
"""Measure column -> (title, d3 number format) of ``core.seasonality`` time-pattern tables."""


def _metric_title(metric: str, currency: str = "") -> str:
    title = DASHBOARD_METRICS[metric][0]
    return f"{title}, {currency}" if currency and metric in ("revenue", "aov") else title


def _metric_tooltips(currency: str = "") -> list[alt.Tooltip]:
    return [alt.Tooltip(f"{metric}:Q", title=_metric_title(metric, currency), format=fmt)
            for metric, (_, fmt) in DASHBOARD_METRICS.items()]


def trend_chart(trend: pd.DataFrame, metric: str = "orders", currency: str = "") -> alt.LayerChart:
    """Line with points of one measure per month (``core.seasonality.month_trend``); all measures in the tooltip."""
    title = _metric_title(metric, currency)
    base = alt.Chart(trend, title=f"{DASHBOARD_METRICS[metric][0]} by month").encode(
        x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=-45, tickCount="month")),
        y=alt.Y(f"{metric}:Q", title=title, axis=alt.Axis(format=DASHBOARD_METRICS[metric][1])),
        tooltip=[alt.Tooltip("month:T", title="Month", format="%B %Y"), *_metric_tooltips(currency)])
    return (base.mark_line(color="#4c78a8") + base.mark_point(color="#4c78a8", filled=True, size=50)
            ).properties(height=360)


def weekday_chart(weekdays: pd.DataFrame, metric: str = "orders", currency: str = "") -> alt.Chart:
    """Bars of one measure per weekday, Monday first (``core.seasonality.weekday_pattern``)."""
    title = _metric_title(metric, currency)
    return (alt.Chart(weekdays, title=f"{DASHBOARD_METRICS[metric][0]} by weekday")
            .mark_bar(color="#4c78a8")
            .encode(x=alt.X("day:N", title=None, sort=list(weekdays["day"]),
                            axis=alt.Axis(labelAngle=0, labelExpr="slice(datum.label, 0, 3)")),
                    y=alt.Y(f"{metric}:Q", title=title, axis=alt.Axis(format=DASHBOARD_METRICS[metric][1])),
                    tooltip=[alt.Tooltip("day:N", title="Weekday"), *_metric_tooltips(currency),
                             alt.Tooltip("orders_per_day:Q", title="Orders per day", format=",.1f"),
                             alt.Tooltip("days:Q", title="Days in the period", format=",")])
            .properties(height=320))


def hour_chart(hours: pd.DataFrame, metric: str = "orders", currency: str = "") -> alt.Chart:
    """Bars of one measure per hour of the day (``core.seasonality.hour_pattern``)."""
    title = _metric_title(metric, currency)
    return (alt.Chart(hours, title=f"{DASHBOARD_METRICS[metric][0]} by hour of the day")
            .mark_bar(color="#72b7b2")
            .encode(x=alt.X("hour:O", title="Hour of the day", axis=alt.Axis(labelAngle=0)),
                    y=alt.Y(f"{metric}:Q", title=title, axis=alt.Axis(format=DASHBOARD_METRICS[metric][1])),
                    tooltip=[alt.Tooltip("label:O", title="Hour"), *_metric_tooltips(currency),
                             alt.Tooltip("share:Q", title="Share of orders", format=".1%")])
            .properties(height=320))


def _category_tooltips(currency: str = "") -> list[alt.Tooltip]:
    money = f", {currency}" if currency else ""
    return [alt.Tooltip("category:N", title="Category"),
            alt.Tooltip("revenue:Q", title=f"Revenue{money}", format=",.0f"),
            alt.Tooltip("share_revenue:Q", title="Share of revenue", format=".1%"),
            alt.Tooltip("orders:Q", title="Orders with the category", format=","),
            alt.Tooltip("share_orders:Q", title="Share of orders", format=".1%"),
            alt.Tooltip("trimmed_revenue_per_order:Q", title=f"Revenue per order (trimmed mean){money}",
                        format=",.0f"),
            alt.Tooltip("revenue_per_order:Q", title=f"Mean revenue per order{money}", format=",.0f"),
            alt.Tooltip("average_price:Q", title=f"Average price{money}", format=",.2f"),
            alt.Tooltip("items:Q", title="Units", format=",.0f")]


def category_contrast_chart(contrast: pd.DataFrame, currency: str = "") -> alt.HConcatChart:
    """Categories (``core.seasonality.category_contrast``) in two panels. Left, a scatter: orders with the
    category across, its trimmed mean revenue per order up (the statistic of the findings, so one huge order
    does not lift a category), bubble area = revenue, labelled; frequent-but-cheap and rare-but-rich categories
    end up in opposite corners. The orders axis is logarithmic when the categories differ more than 30-fold.
    Right, bars of the average price per unit (revenue / units), dearest first, so a category of cheap items
    bought by the dozen is told apart from one of a few dear items. Money in ``currency``."""
    money = f", {currency}" if currency else ""
    spread = contrast["orders"].max() / max(contrast["orders"].min(), 1) if len(contrast) else 1
    scale = alt.Scale(type="log", nice=False, padding=24) if spread > 30 else alt.Scale(zero=False, padding=24)
    tooltips = _category_tooltips(currency)
    base = alt.Chart(contrast, title="Categories: how often they sell vs what an order brings").encode(
        x=alt.X("orders:Q", title="Orders with the category", scale=scale, axis=alt.Axis(format=",.0f")),
        y=alt.Y("trimmed_revenue_per_order:Q", title=f"Revenue per order (trimmed mean){money}",
                scale=alt.Scale(zero=True), axis=alt.Axis(format=",.0f")),
        tooltip=tooltips)
    points = base.mark_circle(opacity=0.75, stroke="white", strokeWidth=1).encode(
        size=alt.Size("revenue:Q", title=f"Revenue{money}", scale=alt.Scale(range=[60, 2400]), legend=None),
        color=alt.Color("category:N", legend=None))
    labels = base.mark_text(align="left", dx=10, dy=-8, fontSize=11, color="#333").encode(text="category:N")
    prices = alt.Chart(contrast, title="Average price per unit").mark_bar(color="#4c78a8").encode(
        y=alt.Y("category:N", title=None, sort="-x", axis=alt.Axis(labelLimit=200)),
        x=alt.X("average_price:Q", title=f"Average price{money}", axis=alt.Axis(format=",.0f")),
        tooltip=tooltips)
    return alt.hconcat((points + labels).properties(width=400, height=440),     # both fit a 1400 px window
                       prices.properties(width=200, height=440), spacing=16)


def category_share_chart(contrast: pd.DataFrame) -> alt.Chart:
    """Side-by-side bars per category: its share of orders next to its share of revenue (both 0..1), so a
    category that sells often but cheaply (long orders bar, short revenue bar) stands out."""
    measures = ["Share of orders", "Share of revenue"]          # labels in a calculate: translated by localized()
    return (alt.Chart(contrast, title="Share of orders vs share of revenue")
            .transform_fold(["share_orders", "share_revenue"], as_=["field", "share"])
            .transform_calculate(measure="datum.field == 'share_orders' ? 'Share of orders' : 'Share of revenue'")
            .mark_bar()
            .encode(y=alt.Y("category:N", title=None, sort=list(contrast["category"]),
                            axis=alt.Axis(labelLimit=220)),
                    x=alt.X("share:Q", title="Share", axis=alt.Axis(format=".0%")),
                    yOffset=alt.YOffset("measure:N", sort=measures),
                    color=alt.Color("measure:N", title=None, sort=measures, legend=alt.Legend(orient="bottom"),
                                    scale=alt.Scale(range=["#4c78a8", "#f58518"])),
                    tooltip=[alt.Tooltip("category:N", title="Category"), alt.Tooltip("measure:N", title="Measure"),
                             alt.Tooltip("share:Q", title="Share", format=".1%"),
                             alt.Tooltip("orders:Q", title="Orders with the category", format=","),
                             alt.Tooltip("revenue:Q", title="Revenue", format=",.0f")])
            .properties(height=alt.Step(11)))


def category_season_chart(grid: pd.DataFrame, order: list[str] | None = None, currency: str = "") -> alt.Chart:
    """Month × category heatmap (``core.seasonality.category_months``): colour = the month's share of the
    category's revenue in the period, so each row shows its own season; revenue and orders in the tooltip.
    ``order``: categories top to bottom (default: as in ``grid``). The colour scale stops at four times an even
    share (darker cells are clamped), so a category sold once does not wash out the others."""
    money = f", {currency}" if currency else ""
    top = min(1.0, 4 / max(grid["month"].nunique(), 1))
    return (alt.Chart(grid, title="Seasonality by category (each row: share of the category's revenue)")
            .mark_rect(stroke="white", strokeWidth=0.5)
            .encode(x=alt.X("yearmonth(month):O", title="Month", axis=alt.Axis(format="%b %Y", labelAngle=-45)),
                    y=alt.Y("category:N", title=None, sort=order or list(dict.fromkeys(grid["category"])),
                            axis=alt.Axis(labelLimit=220)),
                    color=alt.Color("share:Q", title="Share of revenue",
                                    scale=alt.Scale(scheme="blues", domain=[0, top], clamp=True),
                                    legend=alt.Legend(format=".0%", orient="bottom", gradientLength=240)),
                    tooltip=[alt.Tooltip("category:N", title="Category"),
                             alt.Tooltip("month:T", title="Month", format="%B %Y"),
                             alt.Tooltip("revenue:Q", title=f"Revenue{money}", format=",.0f"),
                             alt.Tooltip("orders:Q", title="Orders", format=","),
                             alt.Tooltip("share:Q", title="Share of the category's revenue", format=".1%")])
            .properties(height=alt.Step(22)))


COHORT_MEASURES = {"retention": ("Retention", ".0%"), "revenue_per_customer": ("Revenue per cohort customer", ",.0f"),
                   "revenue": ("Revenue", ",.0f"), "customers": ("Active customers", ",.0f")}
"""Measures of ``core.cohorts.cohort_table`` the cohort heatmap can show: column -> (title, d3 format)."""


def cohort_chart(cohorts: pd.DataFrame, measure: str = "retention", currency: str = "") -> alt.LayerChart:
    """Cohort heatmap: acquisition month down, months since the first order across, colour = ``measure``
    (COHORT_MEASURES); cell labels when the grid is small enough to read. Month 0 is left out of the colour
    scale for retention (always 100 %) so later months keep their contrast."""
    title, fmt = COHORT_MEASURES[measure]
    money = f", {currency}" if currency and "revenue" in measure else ""
    table = cohorts.assign(value=cohorts[measure])
    if measure == "retention":
        table["value"] = table["value"].where(table["months_since"] > 0)
    base = alt.Chart(table, title=f"Cohorts: {title.lower()}{money} by months since the first order").encode(
        x=alt.X("months_since:O", title="Months since the first order", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("yearmonth(cohort):O", title="First order in", axis=alt.Axis(format="%b %Y")))
    cells = base.mark_rect(stroke="white", strokeWidth=0.5).encode(
        color=alt.Color("value:Q", title=f"{title}{money}", scale=alt.Scale(scheme="greens"),
                        legend=alt.Legend(format=fmt, orient="bottom", gradientLength=240)),
        tooltip=[alt.Tooltip("cohort:T", title="First order in", format="%B %Y"),
                 alt.Tooltip("months_since:O", title="Months since"),
                 alt.Tooltip("cohort_size:Q", title="Cohort customers", format=","),
                 alt.Tooltip("customers:Q", title="Active customers", format=","),
                 alt.Tooltip("retention:Q", title="Retention", format=".1%"),
                 alt.Tooltip("orders:Q", title="Orders", format=","),
                 alt.Tooltip("revenue:Q", title=f"Revenue{money}", format=",.0f"),
                 alt.Tooltip("revenue_per_customer:Q", title=f"Revenue per cohort customer{money}",
                             format=",.0f")])
    chart = cells
    if len(table) <= 400:
        dark = float(table["value"].max()) * 0.6 if table["value"].notna().any() else 0.0
        chart = cells + base.mark_text(fontSize=10).encode(
            text=alt.Text(f"{measure}:Q", format=fmt),
            color=alt.condition(f"datum.value > {dark}", alt.value("white"), alt.value("#222")))
    return chart.properties(height=alt.Step(22))


def gap_chart(histogram: pd.DataFrame) -> alt.Chart:
    """Bars of the days between a customer's consecutive orders (``core.cohorts.gap_histogram``)."""
    return (alt.Chart(histogram, title="Days between a customer's consecutive orders")
            .mark_bar(color="#54a24b")
            .encode(x=alt.X("bin:N", title="Days until the next order", sort=list(histogram["bin"]),
                            axis=alt.Axis(labelAngle=-30)),
                    y=alt.Y("gaps:Q", title="Repeat orders", axis=alt.Axis(format=",.0f")),
                    tooltip=[alt.Tooltip("bin:N", title="Gap"),
                             alt.Tooltip("gaps:Q", title="Repeat orders", format=","),
                             alt.Tooltip("share:Q", title="Share", format=".1%")])
            .properties(height=320))


def plan_calendar_chart(calendar: pd.DataFrame, group_title: str = "Group") -> alt.LayerChart:
    """Campaign calendar (``core.planner.CampaignPlan.calendar``): groups down, calendar months across, colour =
    the group's seasonal index (1 = its average month), ✉ on the months to send in."""
    groups = list(dict.fromkeys(calendar["group"].astype(str)))
    table = calendar.assign(group=calendar["group"].astype(str), mark=calendar["send"].map({True: "✉", False: ""}))
    base = alt.Chart(table, title="When to mail each group (✉ = send; colour = orders vs the group's average month)"
                     ).encode(x=alt.X("name:N", title=None, sort=list(dict.fromkeys(calendar["name"])),
                                      axis=alt.Axis(labelAngle=0, labelExpr="slice(datum.label, 0, 3)")),
                              y=alt.Y("group:N", title=group_title, sort=groups, axis=alt.Axis(labelLimit=220)))
    cells = base.mark_rect(stroke="white", strokeWidth=1).encode(
        color=alt.Color("index:Q", title="Orders vs average month", scale=alt.Scale(scheme="orangered", domainMin=0),
                        legend=alt.Legend(format=".1~f", orient="bottom", gradientLength=240, titleLimit=400)),
        tooltip=[alt.Tooltip("group:N", title=group_title), alt.Tooltip("name:N", title="Month"),
                 alt.Tooltip("orders:Q", title="Orders (all years)", format=","),
                 alt.Tooltip("orders_per_month:Q", title="Orders per such month", format=",.1f"),
                 alt.Tooltip("index:Q", title="Vs the group's average month", format=".2f"),
                 alt.Tooltip("peak:N", title="Peak month"), alt.Tooltip("send:N", title="Send")])
    marks = base.mark_text(fontSize=15, color="#111").encode(text="mark:N")
    return (cells + marks).properties(height=alt.Step(30))


def distribution_chart(summary: pd.DataFrame, points: pd.DataFrame, metric_label: str,
                       level: float = 0.95) -> alt.LayerChart:
    """Compared distributions, one row per group in ``summary`` order (``core.stats.distribution_summary``):
    grey dots = the values (or a sample, ``core.stats.sample_points``), box = middle half with Tukey whiskers,
    dark bar = ``level`` confidence interval of the median, black tick = median, red diamond = mean. Non-negative
    data with a long right tail get a symmetric-log axis so the boxes stay readable."""
    order = summary["group"].astype(str).tolist()
    low, high = float(summary["min"].min()), float(summary["max"].max())
    skewed = low >= 0 and high > 4 * max(summary["q3"].max(), 1e-9)
    scale = alt.Scale(type="log" if low > 0 else "symlog") if skewed else alt.Scale(zero=False)
    title = f"{metric_label[:1].upper()}{metric_label[1:]}" + (" (log scale)" if skewed else "")
    ticks = [0.0] * (low <= 0) + [m * 10.0 ** e for e in range(-3, 10) for m in (1, 2, 5)
                                  if max(low, 1e-3) <= m * 10.0 ** e <= high] if skewed else None
    if ticks and len(ticks) > 12:
        ticks = [t for t in ticks if t == 0 or f"{t:e}"[0] == "1"]
    x = alt.X("value:Q", title=title, scale=scale, axis=alt.Axis(format=",.4~r", labelOverlap=True,
                                                                      values=ticks or alt.Undefined))
    y = alt.Y("group:N", title=None, sort=order, axis=alt.Axis(labelLimit=240))
    ci = f"{level:.0%} CI of the median"
    tooltip = [alt.Tooltip("group:N", title="Group"), alt.Tooltip("n:Q", title="Values", format=","),
               alt.Tooltip("median:Q", title="Median", format=",.2f"),
               alt.Tooltip("median_low:Q", title=f"{ci}, from", format=",.2f"),
               alt.Tooltip("median_high:Q", title=f"{ci}, to", format=",.2f"),
               alt.Tooltip("mean:Q", title="Mean", format=",.2f"),
               alt.Tooltip("q1:Q", title="Lower quartile", format=",.2f"),
               alt.Tooltip("q3:Q", title="Upper quartile", format=",.2f")]
    dots = (alt.Chart(points).mark_circle(size=14, opacity=0.35, color="#8c8c8c")
            .encode(x=x, y=y, yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-0.5, 0.5])),
                    tooltip=[alt.Tooltip("group:N", title="Group"), alt.Tooltip("value:Q", title="Value",
                                                                                format=",.2f")]))
    base = alt.Chart(summary).encode(y=y, tooltip=tooltip)
    whiskers = base.mark_rule(color="#4c78a8").encode(x=alt.X("whisker_low:Q", scale=scale), x2="whisker_high:Q")
    box = base.mark_bar(size=26, opacity=0.3, color="#4c78a8").encode(x=alt.X("q1:Q", scale=scale), x2="q3:Q")
    median_ci = base.mark_bar(size=8, color="#1f3f66").encode(x=alt.X("median_low:Q", scale=scale),
                                                              x2="median_high:Q")
    median = base.mark_tick(color="black", thickness=2, size=30).encode(x=alt.X("median:Q", scale=scale))
    mean = base.mark_point(shape="diamond", filled=True, size=70, color="#e45756").encode(
        x=alt.X("mean:Q", scale=scale))
    return (alt.layer(dots, whiskers, box, median_ci, median, mean, title=f"{metric_label[:1].upper()}"
                                                                          f"{metric_label[1:]} by group")
            .properties(height=alt.Step(60)))


def category_mix_chart(shares: pd.DataFrame, group_title: str = "Group", unit: str = "Count",
                       category_title: str = "Category", title: str | None = None) -> alt.Chart:
    """Each group's category mix as a 100 % bar (``core.stats.mix_shares``), groups in the table's order; the
    categories are stacked and coloured in the order of their overall count, the same in every bar.
    ``category_title`` names what is stacked (legend and tooltip), ``title`` the chart ("Category mix by <group>"
    when None)."""
    order = list(dict.fromkeys(shares["group"].astype(str)))
    categories = shares.groupby("category")["count"].sum().sort_values(ascending=False, kind="stable").index.tolist()
    data = shares.assign(rank=shares["category"].map({c: i for i, c in enumerate(categories)}))
    return (alt.Chart(data, title=title or f"Category mix by {group_title.lower()}")
            .mark_bar()
            .encode(y=alt.Y("group:N", title=None, sort=order, axis=alt.Axis(labelLimit=240)),
                    x=alt.X("share:Q", title="Share", stack="normalize", axis=alt.Axis(format=".0%")),
                    color=alt.Color("category:N", title=category_title, sort=categories,
                                    scale=alt.Scale(scheme="tableau20", domain=categories),
                                    legend=alt.Legend(orient="bottom", columns=3, labelLimit=260)),
                    order=alt.Order("rank:Q"),
                    tooltip=[alt.Tooltip("group:N", title=group_title),
                             alt.Tooltip("category:N", title=category_title),
                             alt.Tooltip("share:Q", title="Share", format=".1%"),
                             alt.Tooltip("count:Q", title=unit, format=",")])
            .properties(height=alt.Step(28)))


# --- Forecast page: CLV by group and the calibration/holdout check ----------------------------------------------
def clv_segment_chart(table: pd.DataFrame, group_title: str = "Segment", horizon_days: int | None = None,
                      currency: str = "") -> alt.Chart:
    """Horizontal bars of the summed CLV per group, in the table's order (``core.clv.clv_by_segment`` with the
    index reset to a ``group`` column); customers, expected orders, mean CLV and mean P(alive) in the tooltip."""
    money = f", {currency}" if currency else ""
    span = f" over the next {horizon_days} days" if horizon_days else ""
    data = table.assign(group=table["group"].astype(str))
    return (alt.Chart(data, title=f"Customer lifetime value{span}")
            .mark_bar(color="#4c78a8")
            .encode(y=alt.Y("group:N", title=group_title, sort=list(data["group"]), axis=alt.Axis(labelLimit=260)),
                    x=alt.X("clv:Q", title=f"CLV, sum{money}", axis=alt.Axis(format=",.0f")),
                    tooltip=[alt.Tooltip("group:N", title=group_title),
                             alt.Tooltip("customers:Q", title="Customers", format=","),
                             alt.Tooltip("expected_orders:Q", title="Expected orders", format=",.1f"),
                             alt.Tooltip("clv:Q", title=f"CLV, sum{money}", format=",.0f"),
                             alt.Tooltip("clv_mean:Q", title=f"CLV per customer{money}", format=",.2f"),
                             alt.Tooltip("p_alive_mean:Q", title="Mean P(alive)", format=".1%")])
            .properties(height=alt.Step(24)))


def holdout_chart(per_frequency: pd.DataFrame, holdout_label: str = "the holdout period") -> alt.Chart:
    """Actual next to predicted mean repeat purchases in the holdout per number of calibration repeat purchases
    (``core.clv.holdout_check``'s first table): the Fader-Hardie calibration plot as pairs of horizontal bars,
    0 calibration purchases at the top."""
    order = list(per_frequency["calibration_purchases"].astype(str))
    measures = {"actual": "Actual", "predicted": "Predicted"}
    data = per_frequency.assign(calibration_purchases=per_frequency["calibration_purchases"].astype(str))
    return (alt.Chart(data, title=f"Repeat purchases in {holdout_label}: predicted vs actual")
            .transform_fold(list(measures), as_=["measure", "purchases"])
            .transform_calculate(measure_label="datum.measure == 'actual' ? 'Actual' : 'Predicted'")
            .mark_bar()
            .encode(y=alt.Y("calibration_purchases:N", sort=order, title="Repeat purchases before the split"),
                    yOffset=alt.YOffset("measure_label:N", sort=list(measures.values())),
                    x=alt.X("purchases:Q", title="Repeat purchases per customer after the split",
                            axis=alt.Axis(format=",.2~f")),
                    color=alt.Color("measure_label:N", title=None, sort=list(measures.values()),
                                    scale=alt.Scale(range=["#4c78a8", "#f58518"]),
                                    legend=alt.Legend(orient="bottom")),
                    tooltip=[alt.Tooltip("calibration_purchases:N", title="Repeat purchases before the split"),
                             alt.Tooltip("customers:Q", title="Customers", format=","),
                             alt.Tooltip("actual:Q", title="Actual per customer", format=",.3f"),
                             alt.Tooltip("predicted:Q", title="Predicted per customer", format=",.3f")])
            .properties(height=alt.Step(14)))


# --- Charts in the interface language -----------------------------------------------------------------------------
_RU_LOCALE = {
    "number": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0₽"],
               "minus": "\u2212", "percent": "\u00a0%"},
    "time": {"dateTime": "%A, %e %B %Y г. %X", "date": "%d.%m.%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
             "days": ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
             "shortDays": ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
             "months": list(i18n.MONTHS["ru"]), "shortMonths": list(i18n.SHORT_MONTHS["ru"])},
}
CHART_LOCALES = {"ru": _RU_LOCALE}
"""d3 number and time locales (Vega-Lite ``config.locale``) per interface language; English uses Vega's default,
so the charts' ``format`` strings (``",.0f"``, ``"%b %Y"``) read ``1 234 567`` and ``янв 2020`` in Russian."""
_TEXT_KEYS = ("title", "text")
_LIST_KEYS = ("sort", "domain")
_QUOTED = re.compile(r"'([^']*)'")


def localized(chart: alt.TopLevelMixin, lang: str) -> alt.TopLevelMixin:
    """``chart`` (from this module) in ``lang``: titles, axis, legend and tooltip titles, sort and domain lists,
    quoted labels of ``calculate`` expressions and the text cells of its data that are chart labels translated
    (``core.i18n.translate_chart_text``; data values such as names stay as they are), and the language's number
    and date locale set in its config (kept by a later ``configure``, which replaces the config, only if applied
    after it). Changed in place and returned; English charts are returned as they are."""
    if lang == i18n.DEFAULT_LANGUAGE:
        return chart

    def text(value: str) -> str:
        return i18n.translate_chart_text(value, lang)

    def walk(node) -> None:
        if isinstance(node, (list, tuple)):
            for item in node:
                walk(item)
            return
        items = node._kwds if isinstance(node, SchemaBase) else node if isinstance(node, dict) else None
        for key, value in list((items or {}).items()):
            if key == "data" and isinstance(value, pd.DataFrame):
                items[key] = _translated_labels(value, text)
            elif key in _TEXT_KEYS and isinstance(value, str):
                items[key] = text(value)
            elif key in _LIST_KEYS and isinstance(value, list):
                items[key] = [text(item) if isinstance(item, str) else item for item in value]
            elif key == "calculate" and isinstance(value, str):
                items[key] = _QUOTED.sub(lambda match: "'" + text(match.group(1)) + "'", value)
            else:
                walk(value)

    walk(chart)
    if lang in CHART_LOCALES:
        config = chart.config if chart.config is not alt.Undefined else alt.Config()
        config.locale = CHART_LOCALES[lang]
        chart.config = config
    return chart


def _translated_labels(frame: pd.DataFrame, text) -> pd.DataFrame:
    """A copy of a chart's data whose text cells that are chart labels (e.g. the R×F grid's check names) are
    translated (at most 64 distinct values a column are looked at); the frame itself is not changed."""
    changed = {}
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
            unique = [v for v in pd.unique(values.dropna()) if isinstance(v, str)][:64]
            mapping = {v: text(v) for v in unique if text(v) != v}
            if mapping:
                changed[column] = values.replace(mapping)
    return frame.assign(**changed) if changed else frame
