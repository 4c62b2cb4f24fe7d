"""Segment profiles (who they are, what and when they buy) and a mailing recommendation per segment.

Works for any grouping column of the customer table: RFM segments, lifecycle groups, dominant category, ...
"""
from __future__ import annotations

from collections.abc import Mapping

import string

import numpy as np
import pandas as pd

from core import i18n
from core.codes import factorized, positions
from core.errors import InputError
from core.formatting import format_number, format_percent
from core.seasonality import once_per_order, order_dates

MONTHS, WEEKDAYS = i18n.MONTHS["en"], i18n.WEEKDAYS["en"]  # the English names used inside (Monday first)
TOP_CATEGORIES = 3
SKIP_AFTER_DAYS = 365
SKIP, MAIL = "skip", "mail"                   # values of the user's skip_overrides
NO_CATEGORIES = "your bestsellers"
PLACEHOLDERS = ("segment", "categories", "top_category", "months", "weekday", "share_customers", "share_revenue",
                "verdict")
TEMPLATE_NAMES = ("Champions", "Loyal", "Potential Loyalists", "New", "Promising", "Need Attention",
                  "Cannot Lose Them", "At Risk", "Hibernating", "Lost", "Single order", "Repeat", "Other")


def default_templates(lang: str = "en") -> dict[str, str]:
    """Default recommendation per group name in ``lang`` (the catalogue's ``template.<name>``); groups without an
    entry use ``Other``. Placeholders: PLACEHOLDERS."""
    return {name: i18n.t(f"template.{name}", lang) for name in TEMPLATE_NAMES}


DEFAULT_TEMPLATES: dict[str, str] = default_templates("en")
"""The English defaults (the CLI and the exports use them)."""


def segment_profiles(lines: pd.DataFrame, scored_with_segment: pd.DataFrame, group_col: str = "segment"
                     ) -> pd.DataFrame:
    """One row per group present in ``scored_with_segment[group_col]`` (customer_id, frequency, recency_days,
    monetary columns), in category order for a Categorical column, else by revenue descending.

    Columns: segment (the group, whatever ``group_col`` is), customers, share_customers, revenue (sum of
    monetary), share_revenue (shares are 0..1 of all customers / revenue of the table), aov (revenue / orders),
    mean_orders, median_recency_days, repeat_share (customers with 2+ orders, 0..1), category_1..3 and
    category_1..3_share (top categories by revenue within the group, share of its line revenue; NA when
    ``lines`` has no category or fewer categories), peak_month (1-12, first month of the busiest two-month
    window), peak_months (e.g. ``"March–April"``), peak_weekday. Seasonality counts each group's orders (an order
    id once, at its earliest purchase line, as ``core.planner``) per
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

    # Integer codes instead of per-group frames: each line's group, each order's group, and bincounts.
    line_customer = positions(lines["customer_id"], customers["customer_id"])
    in_table = line_customer >= 0
    group_code = pd.Index(base.index).get_indexer(group)  # -1: no group value
    line_group = np.where(in_table, group_code[line_customer], -1)
    dates = lines["date"][in_table]
    months_covered = pd.period_range(dates.min(), dates.max(), freq="M").month
    occurrences = np.bincount(months_covered, minlength=13)[1:]
    top = _top_categories_per_group(lines, line_group, len(base))
    per_month, per_weekday = _orders_per_month_and_weekday(lines, line_customer, group_code, len(base))
    rows = [{"segment": name, **top[g], **_seasonality(per_month[g], per_weekday[g], occurrences)}
            for g, name in enumerate(base.index)]
    extra = pd.DataFrame(rows)
    columns = ["customers", "share_customers", "revenue", "share_revenue", "aov", "mean_orders",
               "median_recency_days", "repeat_share"]
    profiles = pd.concat([extra[["segment"]], base[columns].reset_index(drop=True),
                          extra.drop(columns="segment")], axis=1)
    profiles["peak_month"] = profiles["peak_month"].astype("Int64")
    return profiles


def recommendations(profiles: pd.DataFrame, templates: dict[str, str] | None = None,
                    skip_after_days: int = SKIP_AFTER_DAYS, lang: str = "en",
                    skip_overrides: Mapping[str, str] | None = None) -> pd.DataFrame:
    """One mailing recommendation per profile row (:func:`segment_profiles`).

    Columns: segment, recommendation (the group's template filled in), send_months (the busiest two-month
    window moved one month earlier, so mail arrives before the peak, e.g. ``"February–March"`` for a
    March–April peak), weekday (the busiest order weekday), categories (top categories, comma-separated),
    skip, reason. ``templates`` override :data:`DEFAULT_TEMPLATES` per name (see PLACEHOLDERS).

    Skip rule ("not worth mailing"): the median customer has not ordered for more than ``skip_after_days``
    (default 365) AND the group brings less revenue per customer than the shop average
    (share_revenue < share_customers). ``skip_overrides`` ({group name: "skip" | "mail"}, the user's own choice)
    win over the rule, and the reason says so. Raises InputError for a template with an unknown placeholder.

    ``lang``: the language of the default texts, the reasons, month and weekday names and of the ``{segment}``
    placeholder (the display name of a built-in segment); ``segment`` stays the name inside.
    """
    templates = {**default_templates(lang), **(templates or {})}
    for name, template in templates.items():
        _check_template(name, template)
    rows = []
    for p in profiles.itertuples(index=False):
        categories = [c for c in (p.category_1, p.category_2, p.category_3) if not pd.isna(c)]
        lapsed = p.median_recency_days > skip_after_days
        by_rule = bool(lapsed and p.share_revenue < p.share_customers)
        chosen = (skip_overrides or {}).get(str(p.segment))
        skip = by_rule if chosen is None else chosen == SKIP
        none = i18n.t("profiles.no_categories", lang)
        values = {"segment": p.segment if lang == "en" else i18n.segment_name(p.segment, lang),
                  "categories": ", ".join(categories) or none, "top_category": categories[0] if categories else none,
                  "share_customers": _percent(p.share_customers, lang),
                  "share_revenue": _percent(p.share_revenue, lang)}
        days = (f"{p.median_recency_days:g}" if lang == "en" else
                format_number(p.median_recency_days, 0 if p.median_recency_days == int(p.median_recency_days) else 1,
                              lang))
        reason = i18n.t("profiles.reason", lang, days=days, share_revenue=values["share_revenue"],
                        share_customers=values["share_customers"])
        if by_rule:
            reason = i18n.t("profiles.reason_skip", lang, limit=skip_after_days, reason=reason)
        if chosen is not None and skip != by_rule:
            reason = i18n.t(f"profiles.reason_chosen_{chosen}", lang, reason=reason)
        send_months = (i18n.t("common.any_month", lang) if pd.isna(p.peak_month) else
                       f"{i18n.month_name(p.peak_month - 1 or 12, lang)}–{i18n.month_name(p.peak_month, lang)}")
        weekday = i18n.translate_weekday(p.peak_weekday, lang) if p.peak_weekday else i18n.t("common.any_day", lang)
        verdict = i18n.t("profiles.verdict_skip" if skip else "profiles.verdict_mail", lang, reason=reason)
        values.update(months=send_months, weekday=weekday, verdict=verdict)
        template = templates.get(str(p.segment), templates["Other"])
        rows.append({"segment": p.segment, "recommendation": _fill(p.segment, template, values),
                     "send_months": send_months, "weekday": values["weekday"],
                     "categories": ", ".join(categories), "skip": skip, "reason": reason})
    return pd.DataFrame(rows, columns=["segment", "recommendation", "send_months", "weekday", "categories", "skip",
                                       "reason"])


def skip_overrides_from(groups, chosen_skip, rule_skip: pd.Series, current: Mapping[str, str]) -> dict[str, str]:
    """The user's skip choices after they ticked ``chosen_skip`` (bools, one per name in ``groups``): a group whose
    tick differs from the rule (``rule_skip``, indexed by group name) gets "skip" or "mail", one that agrees with
    it loses its choice; choices for groups not listed (another grouping's) stay."""
    overrides = dict(current)
    for name, chosen in zip(map(str, groups), map(bool, chosen_skip)):
        overrides.pop(name, None)
        if chosen != bool(rule_skip.get(name, False)):
            overrides[name] = SKIP if chosen else MAIL
    return overrides


def _percent(share: float, lang: str) -> str:
    return f"{share:.1%}" if lang == "en" else format_percent(share, 1, lang)


def _top_categories_per_group(lines: pd.DataFrame, line_group: np.ndarray, groups: int) -> list[dict]:
    """Per group code 0..groups-1 (``line_group``: each line's, -1 = none): its top categories by revenue and their
    share of the group's line revenue (NA without a category column or when that revenue sums to 0)."""
    revenue = lines["revenue"].to_numpy(dtype=float)
    order = np.argsort(line_group, kind="stable")
    bounds = np.searchsorted(line_group[order], np.arange(groups + 1))
    totals = [pd.Series(revenue[order[bounds[g]:bounds[g + 1]]]).sum() for g in range(groups)]
    spend = [pd.Series(dtype="float64")] * groups
    if "category" in lines.columns:
        category, names = pd.factorize(lines["category"], sort=True)
        lined = (line_group >= 0) & (category >= 0)
        width = len(names)
        sums = (pd.Series(revenue[lined]).groupby(line_group[lined].astype(np.int64) * width + category[lined],
                                                   sort=True).sum())
        pair_group, pair_category = np.divmod(sums.index.to_numpy(), max(width, 1))
        for g in range(groups):
            mine = pair_group == g
            spend[g] = pd.Series(sums.to_numpy()[mine], index=names.take(pair_category[mine]).rename("category"),
                                 name="revenue")
    return [_top_categories(spend[g], totals[g]) for g in range(groups)]


def _top_categories(spend: pd.Series, total: float) -> dict:
    """The top categories of one group from its revenue per category (index: the categories with lines)."""
    top = pd.Series(dtype="float64")
    if len(spend) and total:
        top = (spend / total).reset_index().sort_values(["revenue", "category"], ascending=[False, True],
                                                        kind="stable")
        top = pd.Series(top["revenue"].to_numpy(), index=top["category"].to_numpy())[:TOP_CATEGORIES]
    row = {}
    for i in range(TOP_CATEGORIES):
        row[f"category_{i + 1}"] = top.index[i] if i < len(top) else pd.NA
        row[f"category_{i + 1}_share"] = float(top.iloc[i]) if i < len(top) else np.nan
    return row


def _orders_per_month_and_weekday(lines: pd.DataFrame, line_customer: np.ndarray, group_code: np.ndarray,
                                  groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Orders of each group's customers per calendar month (groups × 12) and weekday (groups × 7, Monday first),
    counted as ``core.planner`` counts them: an order id once per group, dated by its earliest purchase line
    (``core.seasonality.order_dates``), so an order shared by two customers is one order at one time."""
    order, _ = factorized(lines["order_id"])
    purchase = (order >= 0) & lines["customer_id"].notna().to_numpy()
    if "is_return" in lines:
        purchase &= ~lines["is_return"].to_numpy(dtype=bool)
    order, customer = order[purchase].astype(np.int64), line_customer[purchase]
    dates = order_dates(order, lines["date"].to_numpy()[purchase])
    owner = np.where(customer >= 0, group_code[customer], -1)
    counted = np.flatnonzero((owner >= 0) & ~np.isnat(dates))
    counted = counted[once_per_order(order[counted], owner[counted])]
    stamps, owner = pd.DatetimeIndex(dates[counted]), owner[counted]
    per_month = np.bincount(owner * 12 + stamps.month - 1, minlength=groups * 12).reshape(groups, 12)
    per_weekday = np.bincount(owner * 7 + stamps.day_of_week, minlength=groups * 7).reshape(groups, 7)
    return per_month, per_weekday


def _seasonality(per_month: np.ndarray, per_weekday: np.ndarray, occurrences: np.ndarray) -> dict:
    if not per_month.sum():
        return {"peak_month": pd.NA, "peak_months": "", "peak_weekday": ""}
    rate = np.divide(per_month, occurrences, out=np.zeros(12), where=occurrences > 0)
    start = max(range(12), key=lambda m: (rate[m] + rate[(m + 1) % 12], rate[m], -m))
    weekday = int(np.argmax(per_weekday))
    return {"peak_month": start + 1, "peak_months": f"{MONTHS[start]}–{MONTHS[(start + 1) % 12]}",
            "peak_weekday": WEEKDAYS[weekday]}


def _fill(name: object, template: str, values: dict[str, str]) -> str:
    try:
        return template.format_map(values)
    except ValueError as exc:   # a bad format spec such as {weekday:d}
        raise InputError(i18n.Message("errors.profiles.cannot_fill", name=i18n.segment_message(name),
                                      error=str(exc))) from None


def _check_template(name: str, template: str) -> None:
    try:
        fields = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
    except ValueError:
        raise InputError(i18n.Message("errors.profiles.unmatched_brace", name=i18n.segment_message(name))) from None
    unknown = sorted(fields - set(PLACEHOLDERS))
    if unknown:
        raise InputError(i18n.Message("errors.profiles.unknown_placeholder", name=i18n.segment_message(name),
                                      placeholder=unknown[0], allowed=", ".join("{" + p + "}" for p in PLACEHOLDERS)))


# Page helpers: the editable template table of the Profiles page and the top categories as one text.
_EXAMPLE_VALUES = {name: "x" for name in PLACEHOLDERS}


def templates_frame(names, overrides: dict[str, str] | None = None, lang: str = "en") -> pd.DataFrame:
    """The editable table of recommendation texts: one row per group name in ``names`` plus ``Other`` (the
    fallback for names without a text). Columns: segment, template (the user's override, else the default in
    ``lang``, else the ``Other`` default), customised (True where an override is in force)."""
    overrides, defaults = overrides or {}, default_templates(lang)
    names = list(dict.fromkeys([str(n) for n in names] + ["Other"]))
    rows = [{"segment": name,
             "template": overrides.get(name) or defaults.get(name, defaults["Other"]),
             "customised": name in overrides} for name in names]
    return pd.DataFrame(rows, columns=["segment", "template", "customised"])


def templates_from_frame(frame: pd.DataFrame, previous: dict[str, str] | None = None,
                         lang: str = "en") -> dict[str, str]:
    """Template overrides from an edited :func:`templates_frame` (columns segment, template).

    A blank text or the default text (in ``lang`` or English) means "use the default" (no override). Overrides
    in ``previous`` for names not in the table are kept. Raises InputError listing every bad row (1-based):
    unknown placeholders, unmatched braces, texts that cannot be filled, a missing group name.
    """
    overrides = {name: text for name, text in (previous or {}).items()}
    problems = []
    for row_number, (_, row) in enumerate(frame.iterrows(), 1):
        name = "" if pd.isna(row.get("segment")) else str(row["segment"]).strip()
        text = "" if pd.isna(row.get("template")) else str(row["template"]).strip()
        if not name:
            if text:
                problems.append(i18n.Message("errors.profiles.empty_name", row=row_number))
            continue
        overrides.pop(name, None)
        defaults = {DEFAULT_TEMPLATES.get(name, DEFAULT_TEMPLATES["Other"]),
                    default_templates(lang).get(name, default_templates(lang)["Other"])}
        if not text or text in defaults:
            continue
        try:
            _check_template(name, text)
            _fill(name, text, _EXAMPLE_VALUES)
        except InputError as exc:
            problems.append(i18n.Message("errors.profiles.bad_row", row=row_number, error=exc.args[0]))
            continue
        overrides[name] = text
    if problems:
        raise InputError(i18n.Message("errors.profiles.bad_templates", problems=i18n.join(problems)))
    return overrides


def top_categories_text(profiles: pd.DataFrame, lang: str = "en") -> pd.Series:
    """Per profile row the top categories with their share of the group's revenue, e.g.
    ``"Garden 45%, Kitchen 20%"`` (``lang`` "ru": ``"Сад 45 %"``; empty without categories); same index as
    ``profiles``."""
    def text(row) -> str:
        return ", ".join(f"{i18n.segment_name(row[f'category_{i}'], lang)} "
                         f"{format_percent(row[f'category_{i}_share'], 0, lang)}"
                         for i in range(1, TOP_CATEGORIES + 1) if not pd.isna(row[f"category_{i}"]))
    return profiles.apply(text, axis=1).astype("str") if len(profiles) else pd.Series(dtype="str")
