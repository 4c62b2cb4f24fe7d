"""Segment maps over R/F(/M) scores, the R×F grid preview, lifecycle groups and segment migration.

A map is an ordered tuple of :class:`SegmentRule`; ranges are inclusive score ranges; the first matching rule
wins and customers matching none go to ``Other``. Segment columns are pandas Categoricals whose categories are
the rule names in map order, then ``Other``, so tables keep the map's priority order (and list empty segments).
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.errors import InputError
from core.i18n import Message, join, segment_message
from core.rfm import ScoringSettings, rfm_from_lines, score_rfm

OTHER = "Other"
NOT_YET = "(not yet a customer)"
SINGLE_ORDER, REPEAT = "Single order", "Repeat"
MAP_COLUMNS = ["segment", "r_min", "r_max", "f_min", "f_max", "m_min", "m_max"]


@dataclass(frozen=True)
class SegmentRule:
    """One row of the map: inclusive score ranges; ``m_min``/``m_max`` None = no bound on M."""

    name: str
    r_min: int
    r_max: int
    f_min: int
    f_max: int
    m_min: int | None = None
    m_max: int | None = None

    def matches(self, r: np.ndarray, f: np.ndarray, m: np.ndarray | None) -> np.ndarray:
        """Boolean mask of the score arrays this rule covers (``m`` may be None when the rule has no M range)."""
        mask = (r >= self.r_min) & (r <= self.r_max) & (f >= self.f_min) & (f <= self.f_max)
        if self.m_min is not None:
            mask &= m >= self.m_min
        if self.m_max is not None:
            mask &= m <= self.m_max
        return mask


_R = SegmentRule
# The classic 10 segments. 5 bins: the widely used R×F grid (Champions 5/4-5, Loyal 3-4/4-5, Potential Loyalists
# 4-5/2-3, New 5/1, Promising 4/1, At Risk 1-2/3-4, Cannot Lose Them 1-2/5, Hibernating 1-2/1-2), with its
# "About to Sleep" cells (R3 F1-2) folded into Need Attention and the oldest low-frequency corner (R1 F1-2)
# called Lost. 4 and 3 bins shrink the same layout; a 3×3 grid has 9 cells for 10 segments, so R1 F3 is split by
# monetary value: Cannot Lose Them are the top M, At Risk the rest (that cell is flagged as an overlap on
# purpose). Every map covers every cell; Cannot Lose Them comes before At Risk so the 3-bin split works.
_DEFAULT_MAPS = {
    5: (_R("Champions", 5, 5, 4, 5), _R("Loyal", 3, 4, 4, 5), _R("Potential Loyalists", 4, 5, 2, 3),
        _R("New", 5, 5, 1, 1), _R("Promising", 4, 4, 1, 1), _R("Need Attention", 3, 3, 1, 3),
        _R("Cannot Lose Them", 1, 2, 5, 5), _R("At Risk", 1, 2, 3, 4), _R("Hibernating", 2, 2, 1, 2),
        _R("Lost", 1, 1, 1, 2)),
    4: (_R("Champions", 4, 4, 3, 4), _R("Loyal", 3, 3, 3, 4), _R("Potential Loyalists", 3, 4, 2, 2),
        _R("New", 4, 4, 1, 1), _R("Promising", 3, 3, 1, 1), _R("Need Attention", 2, 2, 2, 2),
        _R("Cannot Lose Them", 1, 2, 4, 4), _R("At Risk", 1, 2, 3, 3), _R("Hibernating", 2, 2, 1, 1),
        _R("Lost", 1, 1, 1, 2)),
    3: (_R("Champions", 3, 3, 3, 3), _R("Loyal", 2, 2, 3, 3), _R("Potential Loyalists", 3, 3, 2, 2),
        _R("New", 3, 3, 1, 1), _R("Promising", 2, 2, 1, 1), _R("Need Attention", 2, 2, 2, 2),
        _R("Cannot Lose Them", 1, 1, 3, 3, 3, 3), _R("At Risk", 1, 1, 3, 3), _R("Hibernating", 1, 1, 2, 2),
        _R("Lost", 1, 1, 1, 1)),
}


def default_segment_map(bins: int = 5) -> tuple[SegmentRule, ...]:
    """The 10 classic segments for R and F scored with ``bins`` (3, 4 or 5) bins; see ``_DEFAULT_MAPS``."""
    if bins not in _DEFAULT_MAPS:
        raise InputError(Message("errors.segments.no_default_map", bins=bins))
    return _DEFAULT_MAPS[bins]


def validate_segment_map(rules, bins: int | tuple[int, int, int] | None = None) -> list[str]:
    """Problems of a map, one message per problem, with 1-based row numbers; empty list = valid.

    Checks: at least one rule, non-empty names, the reserved name ``Other``, duplicate names, min > max,
    scores below 1 or above the bins. ``bins``: one number for R, F and M or an (R, F, M) tuple;
    None skips the upper bound.
    """
    rules = list(rules)
    return _problems(rules, bins, range(1, len(rules) + 1))


def segment_map_from_frame(df: pd.DataFrame, bins: int | tuple[int, int, int] | None = None
                           ) -> tuple[SegmentRule, ...]:
    """Rules from an edited table with :data:`MAP_COLUMNS` (m_min/m_max optional, blank = no bound).

    Fully blank rows are skipped; row numbers in messages are the table's 1-based rows. Raises InputError
    listing every problem (whole numbers only; see :func:`validate_segment_map`, checked against ``bins``).
    """
    missing = [c for c in MAP_COLUMNS[:5] if c not in df.columns]
    if missing:
        raise InputError(Message("errors.segments.missing_columns", columns=", ".join(missing)))
    rules, rows, problems = [], [], []
    for row_number, (_, row) in enumerate(df.iterrows(), 1):
        values = {c: row.get(c) for c in MAP_COLUMNS}
        if all(pd.isna(v) or (isinstance(v, str) and not v.strip()) for v in values.values()):
            continue
        name = "" if pd.isna(values["segment"]) else str(values["segment"]).strip()
        where = _row(row_number, name)
        bounds, row_problems = {}, []
        for column in MAP_COLUMNS[1:]:
            value = values[column]
            if pd.isna(value) or (isinstance(value, str) and not value.strip()):
                if column.startswith("m_"):
                    bounds[column] = None
                else:
                    row_problems.append(Message("errors.segments.missing_score", where=where, label=_label(column)))
                continue
            number = pd.to_numeric(value, errors="coerce") if isinstance(value, str) else value
            if pd.isna(number) or float(number) != round(float(number)):
                row_problems.append(Message("errors.segments.not_whole", where=where, label=_label(column),
                                            value=value))
                continue
            bounds[column] = int(number)
        if row_problems:
            problems += row_problems
        else:
            rules.append(SegmentRule(name, **bounds))
            rows.append(row_number)
    if rules or not problems:
        problems += _problems(rules, bins, rows)
    if problems:
        raise InputError(Message("errors.segments.bad_map", problems=join(problems)))
    return tuple(rules)


def segment_map_to_frame(rules) -> pd.DataFrame:
    """The editable table of a map: :data:`MAP_COLUMNS`, scores as nullable integers (blank M = no bound)."""
    frame = pd.DataFrame([(r.name, r.r_min, r.r_max, r.f_min, r.f_max, r.m_min, r.m_max) for r in rules],
                         columns=MAP_COLUMNS)
    return frame.astype({c: "Int64" for c in MAP_COLUMNS[1:]}).astype({"segment": "str"})


def assign_segments(scored: pd.DataFrame, rules) -> pd.Series:
    """Segment of every row of ``scored`` (columns R, F and, if a rule uses it, M): first matching rule, else Other.

    Returns a Categorical Series named ``segment`` (categories: rule names in order, then Other), same index.
    An empty map puts everyone in Other. Raises InputError for an invalid map (:func:`validate_segment_map`
    without the upper bounds).
    """
    rules = tuple(rules)
    problems = _problems(list(rules), None, range(1, len(rules) + 1)) if rules else []
    if problems:
        raise InputError(Message("errors.segments.bad_map", problems=join(problems)))
    r, f = scored["R"].to_numpy(), scored["F"].to_numpy()
    m = scored["M"].to_numpy() if "M" in scored.columns else None
    conditions = [rule.matches(r, f, m) for rule in rules]
    codes = np.select(conditions, np.arange(len(rules)), default=len(rules)) if rules else np.zeros(len(r), int)
    categories = [rule.name for rule in rules] + [OTHER]
    return pd.Series(pd.Categorical.from_codes(codes, categories=categories), index=scored.index, name="segment")


def grid_coverage(rules, r_bins: int, f_bins: int, scored: pd.DataFrame | None = None,
                  m_bins: int | None = None) -> pd.DataFrame:
    """One row per (R, F) cell, R descending then F ascending, for the heatmap preview.

    Columns: R, F; segment (winning rule; ``A / B`` in M order when the winner depends on M; Other where nothing
    matches);
    matching_rules (rules covering the cell for some M); uncovered (some customers of the cell would fall into
    Other); overlap (several rules match the same R, F, M, so order decides); customers (scored customers in
    the cell, 0 without ``scored``). m_bins: number of M scores, used when a rule has an M range
    (default ``f_bins``).
    """
    rules = tuple(rules)
    m_levels = np.arange(1, (m_bins or f_bins) + 1)
    cells = pd.MultiIndex.from_product([range(r_bins, 0, -1), range(1, f_bins + 1)], names=["R", "F"])
    per_cell = (scored.groupby(["R", "F"]).size() if scored is not None else pd.Series(dtype="int64"))
    rows = []
    for r, f in cells:
        r_arr, f_arr = np.full(len(m_levels), r), np.full(len(m_levels), f)
        hits = np.array([rule.matches(r_arr, f_arr, m_levels) for rule in rules]).reshape(len(rules), len(m_levels))
        per_m = hits.sum(axis=0)
        winners = [rules[int(np.argmax(hits[:, i]))].name if per_m[i] else OTHER for i in range(len(m_levels))]
        rows.append({"R": r, "F": f, "segment": " / ".join(dict.fromkeys(winners)),
                     "matching_rules": int(hits.any(axis=1).sum()), "uncovered": bool((per_m == 0).any()),
                     "overlap": bool((per_m > 1).any()), "customers": int(per_cell.get((r, f), 0))})
    return pd.DataFrame(rows)


def lifecycle_groups(rfm: pd.DataFrame) -> pd.Series:
    """``Single order`` (frequency 1) or ``Repeat`` (2+ orders) per customer; Categorical named ``lifecycle``."""
    codes = (rfm["frequency"].to_numpy() >= 2).astype(int)
    return pd.Series(pd.Categorical.from_codes(codes, categories=[SINGLE_ORDER, REPEAT]), index=rfm.index,
                     name="lifecycle")


def migration_window(first_purchase, analysis_date, preferred_days: int = 90) -> tuple[int, int] | None:
    """(default, maximum) whole days back for the migration comparison, or None when the history is too short.

    The earlier date must leave at least one day of orders before it: with the first purchase on day ``first``
    and the analysis date ``now`` (midnights), at most ``(now - first).days - 1`` days back. The default is
    ``preferred_days``, or half the history when that is shorter (at least 1)."""
    span = (pd.Timestamp(analysis_date).normalize() - pd.Timestamp(first_purchase).normalize()).days
    maximum = span - 1
    if maximum < 1:
        return None
    return min(preferred_days, max(1, span // 2), maximum), maximum


def migration_matrix(lines: pd.DataFrame, analysis_date_now: pd.Timestamp, analysis_date_before: pd.Timestamp,
                     scoring: ScoringSettings, rules) -> pd.DataFrame:
    """Customers by segment at the earlier date (rows, ``from``) × segment now (columns, ``to``).

    Each date is scored on its own: only lines before that midnight count and quantile bins come from that
    date's customers. Customers without orders before the earlier date are the row ``(not yet a customer)``.
    Rows and columns list every segment in map order plus Other, even when empty. Integer counts; the total
    is the number of customers now. Raises InputError unless the earlier date is before the other one.
    """
    rules = tuple(rules)
    now, before = pd.Timestamp(analysis_date_now).normalize(), pd.Timestamp(analysis_date_before).normalize()
    if before >= now:
        raise InputError(Message("errors.segments.migration_dates", before=before, now=now))
    segments = {}
    for key, date in (("now", now), ("before", before)):
        rfm = rfm_from_lines(lines, date)
        scored, _ = score_rfm(rfm, scoring)
        segments[key] = pd.Series(assign_segments(scored, rules).cat.codes.to_numpy(),
                                  index=rfm["customer_id"].to_numpy())
    categories = [rule.name for rule in rules] + [OTHER]
    to_codes = segments["now"]
    from_codes = segments["before"].reindex(to_codes.index, fill_value=len(categories))
    counts = np.zeros((len(categories) + 1, len(categories)), dtype="int64")
    np.add.at(counts, (from_codes.to_numpy(), to_codes.to_numpy()), 1)
    return pd.DataFrame(counts, index=pd.Index(categories + [NOT_YET], name="from"),
                        columns=pd.Index(categories, name="to"))


def _problems(rules: list[SegmentRule], bins, row_numbers) -> list[str]:
    if not rules:
        return [Message("errors.segments.empty_map")]
    r_bins, f_bins, m_bins = (bins, bins, bins) if bins is None or isinstance(bins, int) else bins
    problems, first_row = [], {}
    for row_number, rule in zip(row_numbers, rules):
        where = _row(row_number, rule.name)
        if not rule.name:
            problems.append(Message("errors.segments.empty_name", where=where))
        elif rule.name == OTHER:
            problems.append(Message("errors.segments.reserved_name", where=where, other=segment_message(OTHER)))
        elif rule.name in first_row:
            problems.append(Message("errors.segments.duplicate_name", where=where, row=first_row[rule.name]))
        else:
            first_row[rule.name] = row_number
        for letter, low, high, top in (("R", rule.r_min, rule.r_max, r_bins), ("F", rule.f_min, rule.f_max, f_bins),
                                       ("M", rule.m_min, rule.m_max, m_bins)):
            for kind, value in (("min", low), ("max", high)):
                if value is not None and (value < 1 or (top is not None and value > top)):
                    problems.append(Message("errors.segments.out_of_range", where=where, letter=letter, kind=kind,
                                            value=value, top=top or "n"))
            if low is not None and high is not None and low > high:
                problems.append(Message("errors.segments.min_above_max", where=where, letter=letter, low=low,
                                        high=high))
    return problems


def _row(row_number: int, name: str) -> str:
    if name:
        return Message("errors.segments.row_named", row=row_number, name=segment_message(name))
    return Message("errors.segments.row", row=row_number)


def _label(column: str) -> str:
    return f"{column[0].upper()} {column[2:]}"


# Page helpers: a default map for any number of bins, whether a map fits the bins, migration in one line.
def default_segment_map_for(r_bins: int, f_bins: int, m_bins: int | None = None,
                            used: Mapping[str, Sequence[int]] | None = None) -> tuple[SegmentRule, ...]:
    """The classic map (:func:`default_segment_map`) fitted to R, F (and M) scored with any number of bins (1..9
    each, e.g. from cut points) and, with ``used`` ({"R"|"F"|"M": scores that some customer has}), to the scores
    actually in use.

    The base map is the one for ``min(R, F)`` bins clipped to 3..5 (the map ``core.pipeline`` picks). The k scores
    in use of an axis stand for base scores: with k >= base the i-th (1-based) stands for ``ceil(i * base / k)``;
    with fewer, they are spread from the lowest to the highest base score, so merged bins keep their meaning: F
    scored 1, 4 and 5 of 5 because most customers ordered once stands for base F 1, 3 and 5, which makes recent
    two-order customers Potential Loyalists rather than Champions, and R scores 1-4 (the most recent day holds
    over a fifth of the customers) make the most recent customers R 5. A lone score in use stands for the top R
    (everyone bought equally recently) and the bottom F and M (no sign of more). An unused score takes the base
    score of the used one below it, so a rule covers whole ranges and, because every base map covers every cell,
    so does the result. With every score used and ``k == base`` on every axis the base map comes back unchanged.
    ``m_bins`` rescales the M ranges (only the 3-bin map has one; None keeps them as they are).
    """
    base = min(max(min(r_bins, f_bins), 3), 5)
    used = used or {}
    r_base = _base_scores(r_bins, base, used.get("R"), single_is_top=True)
    f_base = _base_scores(f_bins, base, used.get("F"), single_is_top=False)
    m_base = None if m_bins is None else _base_scores(m_bins, base, used.get("M"), single_is_top=False)
    rules = []
    for rule in default_segment_map(base):
        r_range = _scores_within(rule.r_min, rule.r_max, r_base)
        f_range = _scores_within(rule.f_min, rule.f_max, f_base)
        m_range = (rule.m_min, rule.m_max)
        if m_base is not None and rule.m_min is not None:
            m_range = _scores_within(rule.m_min, rule.m_max, m_base)
        if r_range and f_range and m_range:
            rules.append(SegmentRule(rule.name, *r_range, *f_range, *m_range))
    return tuple(rules)


def _base_scores(bins: int, base: int, used: Sequence[int] | None, single_is_top: bool) -> list[int]:
    """The base score each score 1..``bins`` stands for (see :func:`default_segment_map_for`); ``used`` None or
    empty: every score is in use."""
    in_use = sorted({int(s) for s in used if 1 <= s <= bins}) if used else []
    in_use = in_use or list(range(1, bins + 1))
    k = len(in_use)
    if k >= base:
        stands_for = [-(-i * base // k) for i in range(1, k + 1)]
    elif k == 1:
        stands_for = [base if single_is_top else 1]
    else:
        stands_for = [1 + math.floor(i * (base - 1) / (k - 1) + 0.5) for i in range(k)]
    lookup = dict(zip(in_use, stands_for))
    result, current = [], stands_for[0]
    for score in range(1, bins + 1):
        current = lookup.get(score, current)
        result.append(current)
    return result


def _scores_within(low: int, high: int, base_scores: list[int]) -> tuple[int, int] | None:
    """The scores (1-based positions of ``base_scores``) whose base score lies in low..high, as (min, max)."""
    scores = [s for s, b in enumerate(base_scores, 1) if low <= b <= high]
    return (scores[0], scores[-1]) if scores else None


def map_fit_problems(rules, bins: tuple[int, int, int], segment: pd.Series) -> list[str]:
    """Why a map does not fit the current scores, one message each; empty = it fits.

    ``bins``: (R, F, M) numbers of scores; ``segment``: the assigned segments. Reports rule bounds above the
    bins (:func:`validate_segment_map`) and customers that no rule matches (they end up in Other).
    """
    problems = validate_segment_map(rules, bins)
    unmatched = int((segment == OTHER).sum())
    if unmatched:
        problems.append(Message("segments.unmatched", unmatched=unmatched, total=len(segment),
                                other=segment_message(OTHER)))
    return problems


def migration_summary(matrix: pd.DataFrame) -> dict[str, int]:
    """Totals of a :func:`migration_matrix`: customers now (``total``), ``new`` (no order before the earlier
    date), ``stayed`` (same segment at both dates, Other included) and ``moved`` (the rest)."""
    total = int(matrix.to_numpy().sum())
    new = int(matrix.loc[NOT_YET].sum()) if NOT_YET in matrix.index else 0
    stayed = int(sum(matrix.loc[name, name] for name in matrix.columns if name in matrix.index))
    return {"total": total, "new": new, "stayed": stayed, "moved": total - new - stayed}
