"""Segment profiles (who they are, what and when they buy) and a mailing recommendation per segment.

Works for any grouping column of the customer table: RFM segments, lifecycle groups, dominant category, ...
"""
from __future__ import annotations

import string

import numpy as np
import pandas as pd

from core.errors import InputError
from core.orders import build_orders

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
TOP_CATEGORIES = 3
SKIP_AFTER_DAYS = 365
NO_CATEGORIES = "your bestsellers"
PLACEHOLDERS = ("segment", "categories", "top_category", "months", "weekday", "share_customers", "share_revenue",
                "verdict")
_SEND = "Send in {months}, on {weekday}. {verdict}"
DEFAULT_TEMPLATES: dict[str, str] = {
    "Champions": "Reward, don't discount: early access and loyalty perks on {categories}; ask for reviews. " + _SEND,
    "Loyal": "Upsell: bundles and premium items in {categories}; invite to the loyalty programme. " + _SEND,
    "Potential Loyalists": "Second-order incentive on {categories} (free delivery or a time-limited discount). "
                           + _SEND,
    "New": "Welcome series: how-to tips and a coupon for the next order in {categories}. " + _SEND,
    "Promising": "Build the habit: recommendations from {categories} with a small free-delivery offer. " + _SEND,
    "Need Attention": "Limited-time offer based on their past purchases in {categories}. " + _SEND,
    "Cannot Lose Them": "Win them back personally: the strongest offer and new arrivals in {categories}. " + _SEND,
    "At Risk": "Reactivation: a personal discount on {categories} and what is new since their last order. " + _SEND,
    "Hibernating": "Low-cost reminder: seasonal bestsellers and discounts in {categories}. " + _SEND,
    "Lost": "One last win-back offer on {categories}, then stop mailing. " + _SEND,
    "Single order": "Second-order incentive on {categories}. " + _SEND,
    "Repeat": "Loyalty perks and new arrivals in {categories}. " + _SEND,
    "Other": "Offer on {categories}. " + _SEND,
}
"""Default recommendation per group name; groups without an entry use ``Other``. Placeholders: PLACEHOLDERS."""


def segment_profiles(lines: pd.DataFrame, scored_with_segment: pd.DataFrame, group_col: str = "segment"
                     ) -> pd.DataFrame:
    """One row per group present in ``scored_with_segment[group_col]`` (customer_id, frequency, recency_days,
    monetary columns), in category order for a Categorical column, else by revenue descending.

    Columns: segment (the group, whatever ``group_col`` is), customers, share_customers, revenue (sum of
    monetary), share_revenue (shares are 0..1 of all customers / revenue of the table), aov (revenue / orders),
    mean_orders, median_recency_days, repeat_share (customers with 2+ orders, 0..1), category_1..3 and
    category_1..3_share (top categories by revenue within the group, share of its line revenue; NA when
    ``lines`` has no category or fewer categories), peak_month (1-12, first month of the busiest two-month
    window), peak_months (e.g. ``"March–April"``), peak_weekday. Seasonality counts each group's orders per
    calendar month divided by how many times that month occurs in ``lines``' date range, so months covered
    twice do not win by default; ties go to the window starting with the busier month, then the earlier one
    (weekdays: the earlier). Only ``lines`` of the table's customers are used; customers without a group value
    are left out.
    """
    customers = scored_with_segment
    if "customer_id" not in customers.columns:
        customers = customers.reset_index()
    group = customers[group_col]
    base = (customers.assign(repeat=customers["frequency"] >= 2)
            .groupby(group_col, observed=True, sort=False)
            .agg(customers=("customer_id", "size"), revenue=("monetary", "sum"), orders=("frequency", "sum"),
                 mean_orders=("frequency", "mean"), median_recency_days=("recency_days", "median"),
                 repeat_share=("repeat", "mean")))
    if isinstance(group.dtype, pd.CategoricalDtype):
        base = base.reindex([c for c in group.cat.categories if c in base.index])
    else:
        base = base.sort_values("revenue", ascending=False, kind="stable")
    base["share_customers"] = base["customers"] / base["customers"].sum()
    base["share_revenue"] = base["revenue"] / base["revenue"].sum() if base["revenue"].sum() else np.nan
    base["aov"] = base["revenue"] / base["orders"]

    # Index lookups instead of isin/map: isin on Arrow strings is several times slower at 1e6 lines.
    customer_index, group_values = pd.Index(customers["customer_id"].to_numpy()), group.to_numpy()
    position = customer_index.get_indexer(lines["customer_id"])
    lines = lines[position >= 0]
    line_group = pd.Series(group_values[position[position >= 0]], index=lines.index)
    orders = build_orders(lines)
    order_group = pd.Series(group_values[customer_index.get_indexer(orders["customer_id"])], index=orders.index)
    months_covered = pd.period_range(lines["date"].min(), lines["date"].max(), freq="M").month
    occurrences = np.bincount(months_covered, minlength=13)[1:]

    rows = []
    for name in base.index:
        row = {"segment": name}
        row.update(_top_categories(lines[line_group == name]))
        row.update(_seasonality(orders[order_group == name], occurrences))
        rows.append(row)
    extra = pd.DataFrame(rows)
    columns = ["customers", "share_customers", "revenue", "share_revenue", "aov", "mean_orders",
               "median_recency_days", "repeat_share"]
    profiles = pd.concat([extra[["segment"]], base[columns].reset_index(drop=True),
                          extra.drop(columns="segment")], axis=1)
    profiles["peak_month"] = profiles["peak_month"].astype("Int64")
    return profiles


def recommendations(profiles: pd.DataFrame, templates: dict[str, str] | None = None,
                    skip_after_days: int = SKIP_AFTER_DAYS) -> pd.DataFrame:
    """One mailing recommendation per profile row (:func:`segment_profiles`).

    Columns: segment, recommendation (the group's template filled in), send_months (the busiest two-month
    window moved one month earlier, so mail arrives before the peak, e.g. ``"February–March"`` for a
    March–April peak), weekday (the busiest order weekday), categories (top categories, comma-separated),
    skip, reason. ``templates`` override :data:`DEFAULT_TEMPLATES` per name (see PLACEHOLDERS).

    Skip rule ("not worth mailing"): the median customer has not ordered for more than ``skip_after_days``
    (default 365) AND the group brings less revenue per customer than the shop average
    (share_revenue < share_customers). Raises InputError for a template with an unknown placeholder.
    """
    templates = {**DEFAULT_TEMPLATES, **(templates or {})}
    for name, template in templates.items():
        _check_template(name, template)
    rows = []
    for p in profiles.itertuples(index=False):
        categories = [c for c in (p.category_1, p.category_2, p.category_3) if not pd.isna(c)]
        lapsed = p.median_recency_days > skip_after_days
        skip = bool(lapsed and p.share_revenue < p.share_customers)
        values = {"segment": p.segment, "categories": ", ".join(categories) or NO_CATEGORIES,
                  "top_category": categories[0] if categories else NO_CATEGORIES,
                  "share_customers": f"{p.share_customers:.1%}", "share_revenue": f"{p.share_revenue:.1%}"}
        reason = (f"median {p.median_recency_days:g} days since the last order; {values['share_revenue']} of "
                  f"revenue from {values['share_customers']} of customers")
        if skip:
            reason = f"lapsed over {skip_after_days} days with below-average revenue per customer: {reason}"
        send_months = ("any month" if pd.isna(p.peak_month)
                       else f"{MONTHS[(p.peak_month - 2) % 12]}–{MONTHS[p.peak_month - 1]}")
        values.update(months=send_months, weekday=p.peak_weekday or "any day",
                      verdict=f"{'Skip, not worth the spend' if skip else 'Worth the spend'}: {reason}.")
        template = templates.get(str(p.segment), templates["Other"])
        rows.append({"segment": p.segment, "recommendation": _fill(p.segment, template, values),
                     "send_months": send_months, "weekday": values["weekday"],
                     "categories": ", ".join(categories), "skip": skip, "reason": reason})
    return pd.DataFrame(rows, columns=["segment", "recommendation", "send_months", "weekday", "categories", "skip",
                                       "reason"])


def _top_categories(lines: pd.DataFrame) -> dict:
    top = pd.Series(dtype="float64")
    if "category" in lines.columns and lines["revenue"].sum():
        spend = lines.groupby("category", observed=True)["revenue"].sum() / lines["revenue"].sum()
        top = spend.reset_index().sort_values(["revenue", "category"], ascending=[False, True], kind="stable")
        top = pd.Series(top["revenue"].to_numpy(), index=top["category"].to_numpy())[:TOP_CATEGORIES]
    row = {}
    for i in range(TOP_CATEGORIES):
        row[f"category_{i + 1}"] = top.index[i] if i < len(top) else pd.NA
        row[f"category_{i + 1}_share"] = float(top.iloc[i]) if i < len(top) else np.nan
    return row


def _seasonality(orders: pd.DataFrame, occurrences: np.ndarray) -> dict:
    if orders.empty:
        return {"peak_month": pd.NA, "peak_months": "", "peak_weekday": ""}
    per_month = np.bincount(orders["date"].dt.month, minlength=13)[1:]
    rate = np.divide(per_month, occurrences, out=np.zeros(12), where=occurrences > 0)
    start = max(range(12), key=lambda m: (rate[m] + rate[(m + 1) % 12], rate[m], -m))
    weekday = int(np.argmax(np.bincount(orders["date"].dt.day_of_week, minlength=7)))
    return {"peak_month": start + 1, "peak_months": f"{MONTHS[start]}–{MONTHS[(start + 1) % 12]}",
            "peak_weekday": WEEKDAYS[weekday]}


def _fill(name: object, template: str, values: dict[str, str]) -> str:
    try:
        return template.format_map(values)
    except ValueError as exc:   # a bad format spec such as {weekday:d}
        raise InputError(f"template for {str(name)!r} cannot be filled: {exc}") from None


def _check_template(name: str, template: str) -> None:
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError:
        raise InputError(f"template for {name!r} has an unmatched brace; "
                         "write {{ or }} for a literal brace") from None
    unknown = sorted(fields - set(PLACEHOLDERS))
    if unknown:
        raise InputError(f"template for {name!r} uses unknown placeholder {{{unknown[0]}}}; "
                         f"allowed: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}")


# Page helpers: the editable template table of the Profiles page and the top categories as one text.
_EXAMPLE_VALUES = {name: "x" for name in PLACEHOLDERS}


def templates_frame(names, overrides: dict[str, str] | None = None) -> pd.DataFrame:
    """The editable table of recommendation texts: one row per group name in ``names`` plus ``Other`` (the
    fallback for names without a text). Columns: segment, template (the user's override, else the default,
    else the ``Other`` default), customised (True where an override is in force)."""
    overrides = overrides or {}
    names = list(dict.fromkeys([str(n) for n in names] + ["Other"]))
    rows = [{"segment": name,
             "template": overrides.get(name) or DEFAULT_TEMPLATES.get(name, DEFAULT_TEMPLATES["Other"]),
             "customised": name in overrides} for name in names]
    return pd.DataFrame(rows, columns=["segment", "template", "customised"])


def templates_from_frame(frame: pd.DataFrame, previous: dict[str, str] | None = None) -> dict[str, str]:
    """Template overrides from an edited :func:`templates_frame` (columns segment, template).

    A blank text or the default text means "use the default" (no override). Overrides in ``previous`` for names
    not in the table are kept. Raises InputError listing every bad row (1-based): unknown placeholders,
    unmatched braces, texts that cannot be filled, a missing group name.
    """
    overrides = {name: text for name, text in (previous or {}).items()}
    problems = []
    for row_number, (_, row) in enumerate(frame.iterrows(), 1):
        name = "" if pd.isna(row.get("segment")) else str(row["segment"]).strip()
        text = "" if pd.isna(row.get("template")) else str(row["template"]).strip()
        if not name:
            if text:
                problems.append(f"row {row_number}: the group name is empty")
            continue
        overrides.pop(name, None)
        default = DEFAULT_TEMPLATES.get(name, DEFAULT_TEMPLATES["Other"])
        if not text or text == default:
            continue
        try:
            _check_template(name, text)
            _fill(name, text, _EXAMPLE_VALUES)
        except InputError as exc:
            problems.append(f"row {row_number}: {exc}")
            continue
        overrides[name] = text
    if problems:
        raise InputError("recommendation texts: " + "; ".join(problems))
    return overrides


def top_categories_text(profiles: pd.DataFrame) -> pd.Series:
    """Per profile row the top categories with their share of the group's revenue, e.g.
    ``"Garden 45%, Kitchen 20%"`` (empty without categories); same index as ``profiles``."""
    def text(row) -> str:
        return ", ".join(f"{row[f'category_{i}']} {row[f'category_{i}_share']:.0%}"
                         for i in range(1, TOP_CATEGORIES + 1) if not pd.isna(row[f"category_{i}"]))
    return profiles.apply(text, axis=1).astype("str") if len(profiles) else pd.Series(dtype="str")
