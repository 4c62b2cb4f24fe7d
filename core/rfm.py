"""RFM: per-customer recency, frequency and monetary value, and their 1..n scores (higher score = better).

Dates: the analysis date is a midnight. Everything strictly before it counts; recency_days is the number of
calendar days from the last purchase's date to the analysis date (a purchase the day before scores 1 day).

Scoring is by value only, never by row position: equal values always get the same score and shuffling the
rows changes nothing.

* ``quantile`` with n bins: a customer's score is ``1 + floor(n * share of customers with a strictly worse
  value)``, worse meaning lower (F, M) or more days (R). With all values distinct this gives n equal bins.
  Equal values cannot be split, so when one value holds many customers (frequency is mostly 1 in small
  shops) the bins it spans merge into one, which keeps the lowest of their scores; the scores of the
  swallowed bins stay unused (counted 0). Example: 70 % one-order, 20 % two-order, 10 % three-order
  customers with 5 bins score 1, 4 and 5, so one-order customers stay at the bottom and repeat buyers
  keep top scores.
* ``cuts``: the user's ascending inner cut points in the metric's own unit, right-closed:
  F cuts ``(1, 2, 4)`` give ``<=1 | (1, 2] | (2, 4] | >4``, i.e. 1 | 2 | 3-4 | 5+ orders;
  R cuts ``(30, 90, 180)`` give <=30 | 31-90 | 91-180 | >180 days, scored 4, 3, 2, 1.

Edges (:class:`ScoreResult`) are always the effective, right-closed boundaries in the metric's unit,
ascending: a value ``v`` is in the first bin when ``v <= edges[0]``, in bin i when
``edges[i-1] < v <= edges[i]``, in the last when ``v > edges[-1]``. For quantiles every edge is a real
customer value and every bin is non-empty, so ``bins_effective = len(edges) + 1``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from core.errors import InputError
from core.i18n import Message
from core.orders import build_customers

METHODS = ("quantile", "cuts")
QUANTILE_BINS = (3, 4, 5)
MAX_CUTS = 8   # 9 bins at most, so each score is one digit of the "RFM" code
_RFM_CODES = np.array([f"{code:03d}" for code in range(1000)])


@dataclass(frozen=True)
class ScoreSpec:
    """How one metric is scored.

    method: ``quantile`` (``bins`` = 3, 4 or 5) or ``cuts`` (``cuts`` = 1-8 strictly ascending inner cut points
    in the metric's unit, right-closed; ``bins`` is then ignored and the number of bins is ``len(cuts) + 1``).
    """

    method: str = "quantile"
    bins: int = 5
    cuts: tuple[float, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "cuts", tuple(float(c) for c in self.cuts))
        if self.method not in METHODS:
            raise InputError(Message("errors.rfm.unknown_method", methods=", ".join(METHODS), method=self.method))
        if self.method == "quantile" and self.bins not in QUANTILE_BINS:
            raise InputError(Message("errors.rfm.quantile_bins", bins=self.bins))
        if self.method == "cuts" and (problem := _cuts_problem(self.cuts)):
            raise InputError(problem)

    @property
    def n_bins(self) -> int:
        """Number of scores 1..n this spec produces."""
        return len(self.cuts) + 1 if self.method == "cuts" else self.bins


@dataclass(frozen=True)
class ScoringSettings:
    """Scoring of recency (days, fewer = better), frequency (orders) and monetary (revenue)."""

    recency: ScoreSpec = field(default_factory=ScoreSpec)
    frequency: ScoreSpec = field(default_factory=ScoreSpec)
    monetary: ScoreSpec = field(default_factory=ScoreSpec)


@dataclass(frozen=True)
class ScoreResult:
    """What scoring one metric produced.

    edges: effective right-closed boundaries, ascending, in the metric's unit (see the module docstring).
    counts: customers per score for every score 1..bins_requested (0 for scores unused after merging).
    labels: value range of each used score, e.g. ``{1: '≤ 1', 4: '2', 5: '3+'}`` for integer metrics,
        ``'(120, 450]'`` style for others.
    merged: quantile bins merged because of equal values (``bins_effective < bins_requested``).
    note: one line for the page/CLI when bins merged or a cut bin is empty (a ``core.i18n.Message``), else ``''``.
    """

    metric: str
    bins_requested: int
    bins_effective: int
    edges: tuple[float, ...]
    counts: dict[int, int]
    merged: bool
    note: str
    labels: dict[int, str] = field(default_factory=dict)

    @property
    def used_scores(self) -> tuple[int, ...]:
        """The scores some customer has, ascending."""
        return tuple(score for score, count in sorted(self.counts.items()) if count)


def default_analysis_date(lines_or_customers: pd.DataFrame) -> pd.Timestamp:
    """Midnight after the last transaction: the day after the max of ``date`` (lines) or ``last_purchase``."""
    column = "date" if "date" in lines_or_customers.columns else "last_purchase"
    last = lines_or_customers[column].max()
    if pd.isna(last):
        raise InputError(Message("errors.rfm.no_purchases"))
    return last.normalize() + pd.Timedelta(days=1)


def rfm_table(customers: pd.DataFrame, analysis_date: pd.Timestamp | None = None) -> pd.DataFrame:
    """The customer table (``core.orders.build_customers``) plus RFM columns, one row per customer.

    Adds recency_days (int, calendar days from the last purchase's date to the analysis date, >= 1),
    frequency (= orders), monetary (= revenue, currency of the data), tenure_days (int, days since the first
    purchase's date) and aov (monetary / frequency). customer_id stays a column (an index of that name is
    turned into one). analysis_date: any time of day counts as that day's midnight; default
    :func:`default_analysis_date`. Raises InputError when a purchase falls on or after it.
    """
    if "customer_id" not in customers.columns and customers.index.name == "customer_id":
        customers = customers.reset_index()
    date = default_analysis_date(customers) if analysis_date is None else pd.Timestamp(analysis_date).normalize()
    last = customers["last_purchase"].max()
    if last >= date:
        raise InputError(Message("errors.rfm.date_not_after_last", date=date, last=last))
    rfm = customers.copy()
    rfm["recency_days"] = (date - rfm["last_purchase"].dt.normalize()).dt.days.astype("int64")
    rfm["frequency"] = rfm["orders"].astype("int64")
    rfm["monetary"] = rfm["revenue"].astype("float64")
    rfm["tenure_days"] = (date - rfm["first_purchase"].dt.normalize()).dt.days.astype("int64")
    rfm["aov"] = rfm["monetary"] / rfm["frequency"]
    return rfm


def rfm_from_lines(lines: pd.DataFrame, analysis_date: pd.Timestamp | None = None) -> pd.DataFrame:
    """:func:`rfm_table` as of ``analysis_date`` from order lines, ignoring lines on or after that midnight.

    Used for "as of an earlier date" views (segment migration). Raises InputError when no order is left.
    """
    date = default_analysis_date(lines) if analysis_date is None else pd.Timestamp(analysis_date).normalize()
    before = lines[lines["date"] < date]
    customers = build_customers(before)
    if customers.empty:
        raise InputError(Message("errors.rfm.no_orders_before", date=date))
    return rfm_table(customers, date)


def score(values: pd.Series, spec: ScoreSpec, higher_is_better: bool = True) -> tuple[pd.Series, ScoreResult]:
    """Scores 1..n (int64, same index as ``values``) and what they mean; ``values.name`` is the metric name.

    See the module docstring for the quantile rule, cut points, merging and edges. Recency uses
    ``higher_is_better=False`` (fewer days = higher score). Raises InputError for no or missing values.
    """
    metric = "" if values.name is None else str(values.name)
    x = values.to_numpy(dtype="float64")
    if not len(x):
        raise InputError(Message("errors.rfm.no_customers", metric=metric))
    if not np.isfinite(x).all():
        raise InputError(Message("errors.rfm.missing_values", metric=metric, n=int((~np.isfinite(x)).sum())))
    n = spec.n_bins
    distinct, inverse = np.unique(x, return_inverse=True)
    if spec.method == "quantile":
        per_value = np.bincount(inverse)
        below = np.concatenate(([0], np.cumsum(per_value)[:-1]))    # customers with a strictly lower value
        worse = below if higher_is_better else len(x) - below - per_value
        distinct_scores = 1 + (n * worse) // len(x)
        edges = distinct[:-1][distinct_scores[1:] != distinct_scores[:-1]]
        bin_scores = np.unique(distinct_scores)   # a merged bin keeps the lowest score it spans
    else:
        edges = np.array(spec.cuts)
        bin_index = np.searchsorted(edges, distinct, side="left")
        distinct_scores = bin_index + 1 if higher_is_better else n - bin_index
        bin_scores = np.arange(1, n + 1)
    bin_scores = bin_scores if higher_is_better else bin_scores[::-1]   # now in ascending value order
    scores = distinct_scores[inverse].astype("int64")
    counts = {s: int(c) for s, c in enumerate(np.bincount(scores, minlength=n + 1)[1:], 1)}
    integer = bool((x == np.round(x)).all() and (edges == np.round(edges)).all())
    labels = {int(s): label for s, label in zip(bin_scores, _range_labels(edges, integer))}
    merged = spec.method == "quantile" and len(edges) + 1 < n
    result = ScoreResult(metric=metric, bins_requested=n, bins_effective=len(edges) + 1,
                         edges=tuple(float(e) for e in edges), counts=counts, merged=merged,
                         note=_note(metric, n, len(edges) + 1, counts, labels, merged), labels=labels)
    return pd.Series(scores, index=values.index, name=metric), result


def score_rfm(rfm: pd.DataFrame, scoring: ScoringSettings) -> tuple[pd.DataFrame, dict[str, ScoreResult]]:
    """Copy of ``rfm`` with R (from recency_days), F (frequency), M (monetary) scores and the ``RFM`` code.

    R, F, M are int64 in 1..n, higher = better; ``RFM`` is the three digits as text, e.g. ``"545"``.
    Returns the results keyed ``"R"``, ``"F"``, ``"M"``.
    """
    scored = rfm.copy()
    results = {}
    for letter, column, spec, higher in (("R", "recency_days", scoring.recency, False),
                                         ("F", "frequency", scoring.frequency, True),
                                         ("M", "monetary", scoring.monetary, True)):
        scored[letter], results[letter] = score(rfm[column].rename(letter), spec, higher)
    codes = scored["R"].to_numpy() * 100 + scored["F"].to_numpy() * 10 + scored["M"].to_numpy()
    scored["RFM"] = pd.Series(_RFM_CODES[codes], index=scored.index, dtype="str")
    return scored, results


def _range_labels(edges: np.ndarray, integer: bool) -> list[str]:
    """Labels of the len(edges)+1 right-closed bins in ascending value order."""
    if not len(edges):
        return ["all"]
    if integer:
        middle = [_number(b) if b == a + 1 else f"{_number(a + 1)}–{_number(b)}" for a, b in zip(edges, edges[1:])]
        return [f"≤ {_number(edges[0])}", *middle, f"{_number(edges[-1] + 1)}+"]
    middle = [f"({_number(a)}, {_number(b)}]" for a, b in zip(edges, edges[1:])]
    return [f"≤ {_number(edges[0])}", *middle, f"> {_number(edges[-1])}"]


def _number(value: float) -> str:
    return str(int(value)) if value == round(value) else f"{value:.2f}"


def _note(metric: str, requested: int, effective: int, counts: dict[int, int], labels: dict[int, str],
          merged: bool) -> str:
    if merged:
        used = ", ".join(f"{s}: {label}" for s, label in sorted(labels.items()))
        return Message("segments.note_merged", metric=metric, effective=effective, requested=requested, used=used)
    empty = [str(s) for s, c in counts.items() if c == 0]
    return Message("segments.note_empty", metric=metric, scores=", ".join(empty)) if empty else ""


# Page helpers: the scoring controls of the Segments page (text in, spec out) and the table behind them.


def parse_cut_points(text: str, metric: str = "") -> tuple[float, ...]:
    """Cut points typed by a user, e.g. ``"1, 2, 4"`` or ``"30; 90 180"`` (commas, semicolons or spaces;
    ``.`` as the decimal mark) -> ``(1.0, 2.0, 4.0)``. Checked like :class:`ScoreSpec` (1 to MAX_CUTS values,
    strictly ascending). Raises InputError starting with ``"<metric> cut points: "``."""
    prefix = Message("errors.rfm.metric_cut_points", metric=metric) if metric else Message("errors.rfm.cut_points")
    tokens = text.replace(";", " ").replace(",", " ").split()
    if not tokens:
        raise InputError(Message("errors.rfm.enter_cuts", prefix=prefix, max=MAX_CUTS))
    values = []
    for token in tokens:
        try:
            values.append(float(token))
            if not np.isfinite(values[-1]):
                raise ValueError(token)
        except ValueError:
            raise InputError(Message("errors.rfm.not_a_number", prefix=prefix, token=token)) from None
    if problem := _cuts_problem(values, prefix):
        raise InputError(problem)
    return tuple(values)


def _cuts_problem(cuts, prefix: str | None = None) -> Message | None:
    """What is wrong with inner cut points (1 to MAX_CUTS numbers, strictly ascending), None when nothing; with
    ``prefix`` (e.g. "R cut points") the message reads "<prefix>: ..."."""
    cuts = np.array(cuts, dtype=float)
    if not 1 <= len(cuts) <= MAX_CUTS:
        kind, params = "count", {"max": MAX_CUTS, "n": len(cuts)}
    elif not np.isfinite(cuts).all() or (np.diff(cuts) <= 0).any():
        kind, params = "order", {"cuts": ", ".join(_number(c) for c in cuts)}
    else:
        return None
    if prefix is None:
        return Message(f"errors.rfm.cuts_{kind}", **params)
    return Message(f"errors.rfm.prefixed_cuts_{kind}", prefix=prefix, **params)


def format_cut_points(cuts) -> str:
    """``(1.0, 2.0, 4.0) -> "1, 2, 4"``; the inverse of :func:`parse_cut_points`."""
    return ", ".join(_number(float(c)) for c in cuts)


def score_spec_from_input(method: str, bins: int, cuts_text: str, metric: str = "") -> ScoreSpec:
    """The spec for one metric from the page's controls: quantile ``bins`` or the cut points in ``cuts_text``
    (ignored for quantiles). Raises InputError naming the metric for unparsable or invalid cut points."""
    if method == "cuts":
        return ScoreSpec("cuts", cuts=parse_cut_points(cuts_text, metric))
    try:
        return ScoreSpec(method, bins=int(bins))
    except InputError as exc:
        if not metric:
            raise
        raise InputError(Message("errors.rfm.for_metric", metric=metric, error=exc.args[0])) from None


def score_table(scores: dict[str, ScoreResult]) -> pd.DataFrame:
    """One row per metric and score 1..bins_requested, best score first: metric (R/F/M), score, range (value
    range in the metric's unit, ``"merged"`` for a score left unused because bins merged), customers and share
    (0..1 of the metric's customers)."""
    rows = []
    for letter, result in scores.items():
        total = sum(result.counts.values())
        for score_value in sorted(result.counts, reverse=True):
            customers = result.counts[score_value]
            rows.append({"metric": letter, "score": int(score_value),
                         "range": result.labels.get(score_value, "merged"), "customers": int(customers),
                         "share": customers / total if total else 0.0})
    return pd.DataFrame(rows, columns=["metric", "score", "range", "customers", "share"])
