"""Hypothesis tests that tell a marketer whether a difference between groups of customers is real.

Every test returns a :class:`TestResult`: the test, H0/H1 in words, statistic, p-value, an effect size with a
bootstrap confidence interval, group sizes and centres, a one-line verdict at the chosen α and warnings.

Tests: two groups, Mann-Whitney U (default; money is skewed) or Welch's t-test; two groups measured on the same
units (monthly revenue: the same months), Wilcoxon signed-rank (default) or the paired t-test; k groups,
Kruskal-Wallis (default) or one-way ANOVA, each followed by pairwise Mann-Whitney / Welch tests corrected by Holm or
Benjamini-Hochberg; two categorical variables, Pearson's chi-square test of independence (no Yates correction,
so the statistic and Cramér's V agree); two proportions, the pooled two-proportion z-test.

Effect sizes and the magnitude words (thresholds are lower bounds of small / medium / large, Cohen 1988; below
"small" is "negligible"; the absolute value is compared):

* rank-biserial r = P(a > b) − P(a < b) = 2·U_a/(n_a·n_b) − 1, for Mann-Whitney: 0.1 / 0.3 / 0.5;
* Cohen's d = (mean_a − mean_b) / pooled SD (n − 1 weighted), for Welch: 0.2 / 0.5 / 0.8;
* matched-pairs rank-biserial r = (T+ − T−) / (T+ + T−), the rank sums of the positive and negative non-zero
  differences a − b, for Wilcoxon: 0.1 / 0.3 / 0.5;
* Cohen's d_z = mean / SD of the differences a − b, for the paired t-test: 0.2 / 0.5 / 0.8;
* η² = SS_between / SS_total, for ANOVA: 0.01 / 0.06 / 0.14;
* ε² = H / (n − 1) (tie-corrected H), for Kruskal-Wallis: 0.01 / 0.06 / 0.14;
* bias-corrected Cramér's V (Bergsma 2013) = √(φ̃² / (min(r̃, c̃) − 1)) for an r × c table of n counts, with
  φ̃² = max(0, χ²/n − (r − 1)(c − 1)/(n − 1)), r̃ = r − (r − 1)²/(n − 1), c̃ = c − (c − 1)²/(n − 1):
  0.1 / 0.3 / 0.5 divided by √(min(r, c) − 1). The plain V = √(χ² / (n·(min(r, c) − 1))) is biased upwards, the
  more so the more cells per observation (a 14 × 16 table of 3,521 orders by month: plain V 0.104, corrected 0.082);
* Cohen's h = 2·asin√p_a − 2·asin√p_b, for proportions: 0.2 / 0.5 / 0.8.

Confidence intervals are (1 − α) percentile bootstrap intervals from 2,000 resamples with a fixed seed.
Numeric samples are resampled within each group (paired samples: the pairs); when the groups hold more than
5,000 values together, the bootstrap runs on a random 5,000 of them drawn proportionally from each group (a speed
cap, reported in the warnings). Proportions are resampled from their counts, which needs no cap. Contingency
tables are resampled from their counts too, but not from the observed table: resampling it adds the upward bias of
V a second time, so the percentile interval of V (even of the corrected V) lies above the estimate (orders by
month: corrected V 0.082, interval 0.091 to 0.113). The table is first shrunk towards independence (its margins
kept) until its own V equals the corrected estimate, and the corrected V of the resamples of that table gives the
interval. In simulations of 2 × 2 to 14 × 16 tables with 100 to 3,500 counts (200 samples each) this 95 % interval
covered the true V in 92–99 % of the samples (100 % without association), the percentile interval of the
corrected V in 0–99 %.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from core import i18n
from core.errors import InputError

MIN_GROUP_SIZE = 20
"""Groups smaller than this get a warning: p-values and effect sizes from them are imprecise."""
MIN_EXPECTED = 5
"""Chi-square cells whose expected count is below this get a warning (Cochran's rule)."""
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_MAX_VALUES = 5000
"""Cap on the number of values (all groups together) that a numeric bootstrap resamples."""
_CHUNK_CELLS = 1_000_000  # resampled values held in memory at once

CRAMERS_V = "bias-corrected Cramér's V"
"""The chi-square test's effect name (see the module docstring)."""
THRESHOLDS: dict[str, tuple[float, float, float]] = {
    "rank-biserial r": (0.1, 0.3, 0.5),
    "Cohen's d": (0.2, 0.5, 0.8),
    "matched-pairs rank-biserial r": (0.1, 0.3, 0.5),
    "Cohen's d_z": (0.2, 0.5, 0.8),
    "η²": (0.01, 0.06, 0.14),
    "ε²": (0.01, 0.06, 0.14),
    CRAMERS_V: (0.1, 0.3, 0.5),
    "Cohen's h": (0.2, 0.5, 0.8),
}
"""Lower bounds of small / medium / large per effect size; Cramér's V bounds are divided by √(min(r, c) − 1)."""

METRICS: dict[str, str] = {
    "order_value": "order value",
    "orders_per_customer": "orders per customer",
    "revenue_per_customer": "revenue per customer",
    "revenue_per_product": "revenue per product",
    "items_per_order": "items per order",
    "monthly_revenue": "monthly revenue",
}
"""Metric key -> human label, for :func:`metric_samples`."""
PAIRED_METRICS = ("monthly_revenue",)
"""Metrics whose units (calendar months) every group has: two groups are compared month by month
(:func:`compare_metric`)."""

# metric -> (unit of observation, column summed or counted, aggregation)
_METRIC_UNITS = {
    "order_value": ("order_id", "revenue", "sum"),
    "orders_per_customer": ("customer_id", "order_id", "nunique"),
    "revenue_per_customer": ("customer_id", "revenue", "sum"),
    "revenue_per_product": ("product", "revenue", "sum"),
    "items_per_order": ("order_id", "quantity", "sum"),
    "monthly_revenue": ("month", "revenue", "sum"),
}
SINGLE, REPEAT = "single-order customers", "repeat customers"
"""Group labels of the ``"repeat"`` grouping (a repeat customer has two or more distinct orders)."""

_TWO_SAMPLE = {"mann-whitney": ("Mann-Whitney U", "rank-biserial r"), "welch": ("Welch's t-test", "Cohen's d")}
_TWO_TEXTS = {"mann-whitney": "mw", "welch": "welch"}  # catalogue texts stats.<kind>_h0, _h1, _claim
_PAIRED = {"wilcoxon": ("Wilcoxon signed-rank test", "matched-pairs rank-biserial r", "wilcoxon"),
           "paired-t": ("paired t-test", "Cohen's d_z", "paired_t")}  # test, effect, catalogue texts
_K_SAMPLE = {"kruskal": ("Kruskal-Wallis H", "ε²", "mann-whitney"), "anova": ("one-way ANOVA", "η²", "welch")}
_CORRECTIONS = {"holm": "Holm", "bh": "Benjamini-Hochberg"}


@dataclass(frozen=True)
class TestResult:
    """One hypothesis test, ready to show. ``centers`` maps group -> {"median", "mean"} (numeric tests),
    {"proportion"} (proportions) or {row category: share of the group} (chi-square). ``effect_ci`` is the
    (1 − α) bootstrap interval, NaN when the bootstrap is undefined. ``pairwise`` is the corrected pairwise table
    of k-group tests. ``p_adjusted`` is set when the test belongs to a corrected family (the research preset).
    ``warnings`` are ``core.i18n.Message`` texts (``errors.stats.*``): English as they are, in another language
    with ``i18n.localize``. Texts (question, hypotheses, verdict) are in the language the test was run in."""

    __test__ = False  # keeps pytest from collecting this class

    question: str
    test: str
    h0: str
    h1: str
    groups: tuple[str, ...]
    sizes: tuple[int, ...]
    centers: dict
    statistic: float
    p_value: float
    effect_name: str
    effect: float
    effect_ci: tuple[float, float]
    magnitude: str
    verdict: str
    warnings: tuple[str, ...]
    alpha: float
    pairwise: pd.DataFrame | None = field(default=None, compare=False)
    p_adjusted: float | None = None


# ---------------------------------------------------------------- small helpers


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence numpy/scipy runtime warnings (zero variance, ties); our own warnings report those cases."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        yield


def _check_alpha(alpha: float) -> None:
    if not 0 < alpha < 1:
        raise InputError(i18n.Message("errors.stats.alpha", alpha=alpha))


def _check_correction(correction: str) -> None:
    if correction not in _CORRECTIONS:
        raise InputError(i18n.Message("errors.stats.unknown_correction", correction=correction))


def _format_p(p: float) -> str:
    """'p < 0.001', 'p = 0.003' (3 decimals below 0.1) or 'p = 0.41'."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.1 else f"p = {p:.2f}"


def magnitude(effect_name: str, value: float, min_dim: int = 2) -> str:
    """'negligible' / 'small' / 'medium' / 'large' for |value| by :data:`THRESHOLDS`; 'unknown' for NaN.

    ``min_dim`` = min(rows, columns) of the table, used only for Cramér's V.
    """
    if math.isnan(value):
        return "unknown"
    scale = math.sqrt(min_dim - 1) if effect_name == CRAMERS_V else 1.0
    small, medium, large = (t / scale for t in THRESHOLDS[effect_name])
    size = abs(value)
    if size >= large:
        return "large"
    if size >= medium:
        return "medium"
    return "small" if size >= small else "negligible"


def _floats(values, name: str) -> pd.Series:
    """One group's values as a float Series (a Series keeps its index); InputError when they are not numbers."""
    try:
        return pd.Series(values, dtype=float)
    except (TypeError, ValueError):
        raise InputError(i18n.Message("errors.stats.not_numbers", group=i18n.segment_message(name))) from None


def _numeric(values, name: str) -> tuple[np.ndarray, int]:
    """Finite values of one group as floats and how many missing/infinite ones were dropped."""
    arr = _floats(np.ravel(values), name).to_numpy()
    finite = arr[np.isfinite(arr)]
    if finite.size < 2:
        raise InputError(i18n.Message("errors.stats.too_few_values", group=i18n.segment_message(name),
                                      n=finite.size))
    return finite, arr.size - finite.size


def _sample_warnings(samples: Mapping[str, np.ndarray], dropped: Mapping[str, int], parametric: bool) -> list[str]:
    """Warnings shared by the numeric tests: dropped values, small groups, zero variance, skew (t-test/ANOVA)."""
    name = i18n.segment_message
    out = [i18n.Message("errors.stats.dropped", group=name(g), n=n) for g, n in dropped.items() if n]
    if small := _small_groups({g: len(v) for g, v in samples.items()}):
        out.append(i18n.Message("errors.stats.small_groups_values", groups=small, min=MIN_GROUP_SIZE))
    out += [i18n.Message("errors.stats.zero_variance", group=name(g), n=len(v)) for g, v in samples.items()
            if np.ptp(v) == 0]
    if parametric:
        with _quiet():
            skews = {g: stats.skew(v) for g, v in samples.items() if len(v) < 100}
        out += [i18n.Message("errors.stats.skewed", group=name(g), skewness=float(s)) for g, s in skews.items()
                if abs(s) > 2]
    return out


def _groups(names: Sequence[object]) -> str:
    """'A, B, C', built-in segment names shown in the interface language (``core.i18n.segment_message``)."""
    return i18n.join([i18n.segment_message(name) for name in names], ", ")


def _small_groups(sizes: Mapping[str, float]) -> str:
    """'A (12), B (3)': the groups with fewer than MIN_GROUP_SIZE observations ('' when none)."""
    return i18n.join([i18n.Message("errors.stats.group_size", group=i18n.segment_message(g), n=int(n))
                      for g, n in sizes.items() if n < MIN_GROUP_SIZE], ", ")


def _centers(samples: Mapping[str, np.ndarray]) -> dict:
    return {g: {"median": float(np.median(v)), "mean": float(np.mean(v))} for g, v in samples.items()}


# ---------------------------------------------------------------- bootstrap


def _subsample(samples: list[np.ndarray], rng: np.random.Generator) -> tuple[list[np.ndarray], list[str]]:
    """Samples cut to BOOTSTRAP_MAX_VALUES in total, proportionally per group, plus a note when cut."""
    total = sum(len(s) for s in samples)
    if total <= BOOTSTRAP_MAX_VALUES:
        return samples, []
    keep = [min(len(s), max(2, round(len(s) * BOOTSTRAP_MAX_VALUES / total))) for s in samples]
    cut = [rng.choice(s, size=k, replace=False) for s, k in zip(samples, keep)]
    return cut, [i18n.Message("errors.stats.bootstrap_cap", kept=sum(keep), total=total,
                              cap=BOOTSTRAP_MAX_VALUES)]


def _bootstrap(samples: list[np.ndarray], effect: Callable[[list[np.ndarray]], np.ndarray],
               rng: np.random.Generator) -> np.ndarray:
    """BOOTSTRAP_RESAMPLES values of ``effect`` on within-group resamples; ``effect`` maps a list of
    (resamples, n_group) arrays to one value per resample. Works in memory-bounded chunks."""
    step = max(1, _CHUNK_CELLS // sum(len(s) for s in samples))
    draws = []
    for start in range(0, BOOTSTRAP_RESAMPLES, step):
        b = min(step, BOOTSTRAP_RESAMPLES - start)
        with _quiet():
            draws.append(effect([s[rng.integers(0, len(s), size=(b, len(s)))] for s in samples]))
    return np.concatenate(draws)


def _percentile_ci(draws: np.ndarray, alpha: float) -> tuple[float, float]:
    """(1 − α) percentile interval of the finite draws; NaNs when there are none."""
    finite = draws[np.isfinite(draws)]
    if finite.size == 0:
        return (math.nan, math.nan)
    low, high = np.percentile(finite, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return (float(low), float(high))


def _codes(samples: list[np.ndarray]) -> tuple[list[np.ndarray], int]:
    """Values replaced by integer codes that keep their order and ties, and the number of distinct codes."""
    uniques, inverse = np.unique(np.concatenate(samples), return_inverse=True)
    edges = np.cumsum([0] + [len(s) for s in samples])
    return [inverse[a:b] for a, b in zip(edges[:-1], edges[1:])], len(uniques)


def _rank_sums(groups: list[np.ndarray], n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row: each group's sum of average ranks in the pooled row, and the tie term Σ(t³ − t).

    ``groups`` are (rows, n_group) integer codes from :func:`_codes`; counting codes per row replaces sorting.
    """
    pooled = np.concatenate(groups, axis=1)
    counts = _code_counts(pooled, n_codes)
    twice_rank = 2 * np.cumsum(counts, axis=1) - counts + 1  # twice the average rank, exact in integers
    ranks = np.take_along_axis(twice_rank, pooled, axis=1)
    edges = np.cumsum([0] + [g.shape[1] for g in groups])
    sums = np.stack([ranks[:, a:b].sum(axis=1) for a, b in zip(edges[:-1], edges[1:])], axis=1) / 2
    return sums, (counts * counts * counts - counts).sum(axis=1).astype(float)


def _code_counts(codes: np.ndarray, n_codes: int) -> np.ndarray:
    """(rows, n_codes) counts of each code per row of a (rows, n) code array."""
    rows = codes.shape[0]
    flat = codes + (np.arange(rows) * n_codes)[:, None]
    return np.bincount(flat.ravel(), minlength=rows * n_codes).reshape(rows, n_codes)


def _rank_biserial_rows(n_codes: int) -> Callable[[list[np.ndarray]], np.ndarray]:
    def effect(groups: list[np.ndarray]) -> np.ndarray:
        """2·U of a = Σ over codes of a's count × (2 · b's count up to the code − b's count at it), in integers."""
        (n1, n2), (a, b) = (g.shape[1] for g in groups), (_code_counts(g, n_codes) for g in groups)
        twice_u = (a * (2 * np.cumsum(b, axis=1) - b)).sum(axis=1)
        return twice_u / (n1 * n2) - 1
    return effect


def _epsilon_squared_rows(n_codes: int) -> Callable[[list[np.ndarray]], np.ndarray]:
    def effect(groups: list[np.ndarray]) -> np.ndarray:
        sizes = np.array([g.shape[1] for g in groups])
        n = sizes.sum()
        sums, ties = _rank_sums(groups, n_codes)
        h = (12 / (n * (n + 1)) * (sums ** 2 / sizes).sum(axis=1) - 3 * (n + 1)) / (1 - ties / (n ** 3 - n))
        return h / (n - 1)
    return effect


def _cohens_d_rows(groups: list[np.ndarray]) -> np.ndarray:
    a, b = groups
    n1, n2 = a.shape[1], b.shape[1]
    pooled = np.sqrt(((n1 - 1) * a.var(axis=1, ddof=1) + (n2 - 1) * b.var(axis=1, ddof=1)) / (n1 + n2 - 2))
    return (a.mean(axis=1) - b.mean(axis=1)) / pooled


def _signed_rank_rows(groups: list[np.ndarray]) -> np.ndarray:
    """Matched-pairs rank-biserial r per row of differences (``groups`` = [differences]); zero differences are left
    out as in scipy's Wilcoxon test: they take the lowest average ranks, so the others' ranks lose their count."""
    d = groups[0]
    ranks = stats.rankdata(np.abs(d), axis=1) - (d == 0).sum(axis=1, keepdims=True)
    plus, minus = np.where(d > 0, ranks, 0.0).sum(axis=1), np.where(d < 0, ranks, 0.0).sum(axis=1)
    return (plus - minus) / (plus + minus)


def _dz_rows(groups: list[np.ndarray]) -> np.ndarray:
    """Cohen's d_z per row of differences (``groups`` = [differences])."""
    d = groups[0]
    return d.mean(axis=1) / d.std(axis=1, ddof=1)


def _eta_squared_rows(groups: list[np.ndarray]) -> np.ndarray:
    """η² per row; callers centre the data first so the sums of squares do not lose precision."""
    n = sum(g.shape[1] for g in groups)
    sums = np.stack([g.sum(axis=1) for g in groups], axis=1)
    correction = sums.sum(axis=1) ** 2 / n
    between = (sums ** 2 / [g.shape[1] for g in groups]).sum(axis=1) - correction
    total = sum((g ** 2).sum(axis=1) for g in groups) - correction
    return between / total


# ---------------------------------------------------------------- two groups


def _two_sample(a: np.ndarray, b: np.ndarray, test: str) -> tuple[float, float, float]:
    """(statistic, two-sided p-value, effect size) of Mann-Whitney (U of a, r) or Welch (t, d)."""
    with _quiet():
        if test == "mann-whitney":
            res = stats.mannwhitneyu(a, b, alternative="two-sided")
            return float(res.statistic), float(res.pvalue), float(2 * res.statistic / (len(a) * len(b)) - 1)
        res = stats.ttest_ind(a, b, equal_var=False)
        return float(res.statistic), float(res.pvalue), float(_cohens_d_rows([a[None, :], b[None, :]])[0])


def _two_sample_draws(samples: list[np.ndarray], test: str, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap draws of the effect of :func:`_two_sample` (rank-biserial r or Cohen's d) on two samples."""
    if test == "mann-whitney":
        codes, n_codes = _codes(samples)
        return _bootstrap(codes, _rank_biserial_rows(n_codes), rng)
    return _bootstrap(samples, _cohens_d_rows, rng)


def _higher_first(names: tuple[str, str], effect: float, mean_diff: float) -> tuple[str, str]:
    """The two names ordered higher group first, by the effect's sign (the mean difference if it is NaN)."""
    sign = effect if not math.isnan(effect) else mean_diff
    return names if sign >= 0 else (names[1], names[0])


def compare_two(a, b, names: tuple[str, str] = ("A", "B"), metric_label: str = "order value",
                test: str = "mann-whitney", alpha: float = 0.05, seed: int = 0, question: str = "",
                lang: str = "en") -> TestResult:
    """Two-sided test of ``metric_label`` between two groups of numbers (NaN/inf values are dropped).

    ``test``: "mann-whitney" (default; rank test, right for skewed money; statistic U of ``a``, effect rank-biserial
    r > 0 when ``a`` tends to be higher) or "welch" (Welch's t-test, effect Cohen's d > 0 when mean of ``a`` is
    higher). Raises InputError when a group has fewer than 2 finite values or the names are equal. ``lang``: the
    language of the question, hypotheses and verdict (``core.i18n`` keys ``stats.*``); warnings are catalogue
    messages whatever ``lang`` (see :class:`TestResult`).
    """
    if test not in _TWO_SAMPLE:
        raise InputError(i18n.Message("errors.stats.unknown_two_test", test=test))
    _check_alpha(alpha)
    if names[0] == names[1]:
        raise InputError(i18n.Message("errors.stats.same_names", name=i18n.segment_message(names[0])))
    (x, dropped_a), (y, dropped_b) = _numeric(a, names[0]), _numeric(b, names[1])
    samples = {names[0]: x, names[1]: y}
    statistic, p, effect = _two_sample(x, y, test)
    rng = np.random.default_rng(seed)
    boot, notes = _subsample([x, y], rng)
    draws = _two_sample_draws(boot, test, rng)
    test_name, effect_name = _TWO_SAMPLE[test]
    size = magnitude(effect_name, effect)
    asked, h0, h1, verdict = _two_group_texts(_TWO_TEXTS[test], names, metric_label, effect, x.mean() - y.mean(), p,
                                              alpha, size, lang)
    return TestResult(
        question=question or asked,
        test=test_name, h0=h0, h1=h1, groups=tuple(names), sizes=(len(x), len(y)), centers=_centers(samples),
        statistic=statistic, p_value=p, effect_name=effect_name, effect=effect,
        effect_ci=_percentile_ci(draws, alpha), magnitude=size, verdict=verdict,
        warnings=tuple(_sample_warnings(samples, {names[0]: dropped_a, names[1]: dropped_b}, test == "welch")
                       + notes),
        alpha=alpha)


def _two_group_texts(kind: str, names: tuple[str, str], metric_label: str, effect: float, mean_diff: float,
                     p: float, alpha: float, size: str, lang: str, **extra) -> tuple[str, str, str, str]:
    """(question, H0, H1, verdict) of a two-group test from the catalogue's ``stats.<kind>_h0``, ``_h1`` and
    ``_claim`` (the higher group by the effect's sign); ``extra`` fills their other placeholders."""
    shown = {"metric": metric_label, "a": _name(names[0], lang), "b": _name(names[1], lang), **extra}
    high, low = _higher_first(names, effect, mean_diff)
    claim = _t(f"stats.{kind}_claim", lang, **shown | {"high": _name(high, lang), "low": _name(low, lang)})
    return (_t("stats.q_two", lang, **shown), *_hypotheses(kind, names, metric_label, lang, **extra),
            _verdict(p, alpha, claim, size, _t("stats.subject_two", lang, **shown), lang))


def _hypotheses(kind: str, names: tuple[str, str], metric_label: str, lang: str, **extra) -> tuple[str, str]:
    """(H0, H1) of a two-group test: the catalogue's ``stats.<kind>_h0`` and ``_h1``."""
    shown = {"metric": metric_label, "a": _name(names[0], lang), "b": _name(names[1], lang), **extra}
    return _t(f"stats.{kind}_h0", lang, **shown), _t(f"stats.{kind}_h1", lang, **shown)


def compare_paired(a, b, names: tuple[str, str] = ("A", "B"), metric_label: str = "monthly revenue",
                   test: str = "wilcoxon", pairs: str = "month", alpha: float = 0.05, seed: int = 0,
                   question: str = "", lang: str = "en") -> TestResult:
    """Two-sided paired test of ``metric_label`` between two groups measured on the same units (e.g. months).

    ``a`` and ``b`` are Series indexed by the unit (sequences pair by position); units with a finite value in both
    are the pairs, the others are left out (a warning counts them). ``test``: "wilcoxon" (default; Wilcoxon
    signed-rank test of the differences a − b, scipy's defaults: zero differences dropped, exact p-value for up
    to 50 pairs without ties or zeros; statistic T = the smaller of the two rank sums; effect matched-pairs
    rank-biserial r > 0 when ``a`` tends to be higher) or "paired-t" (paired t-test, statistic t, effect Cohen's
    d_z). The bootstrap resamples the pairs. ``pairs`` names the unit in the texts ("month" or "pair"). Raises
    InputError for fewer than 2 pairs or equal names.
    """
    if test not in _PAIRED:
        raise InputError(i18n.Message("errors.stats.unknown_paired_test", test=test))
    _check_alpha(alpha)
    if names[0] == names[1]:
        raise InputError(i18n.Message("errors.stats.same_names", name=i18n.segment_message(names[0])))
    both = pd.concat([_floats(a, names[0]).rename("a"), _floats(b, names[1]).rename("b")], axis=1)
    paired = both[np.isfinite(both).all(axis=1)]
    if len(paired) < 2:
        raise InputError(i18n.Message("errors.stats.too_few_pairs", n=len(paired)))
    x, y = paired["a"].to_numpy(), paired["b"].to_numpy()
    d = x - y
    effect_rows = _signed_rank_rows if test == "wilcoxon" else _dz_rows
    with _quiet():
        res = stats.wilcoxon(x, y) if test == "wilcoxon" else stats.ttest_rel(x, y)
        effect = float(effect_rows([d[None, :]])[0])
    rng = np.random.default_rng(seed)
    boot, notes = _subsample([d], rng)
    test_name, effect_name, kind = _PAIRED[test]
    size = magnitude(effect_name, effect)
    asked, h0, h1, verdict = _two_group_texts(kind, names, metric_label, effect, d.mean(),
                                              float(res.pvalue), alpha, size, lang, by=_t(f"stats.by_{pairs}", lang))
    return TestResult(
        question=question or asked, test=test_name, h0=h0, h1=h1, groups=tuple(names), sizes=(len(d), len(d)),
        centers=_centers({names[0]: x, names[1]: y}), statistic=float(res.statistic), p_value=float(res.pvalue),
        effect_name=effect_name, effect=effect, effect_ci=_percentile_ci(_bootstrap(boot, effect_rows, rng), alpha),
        magnitude=size, verdict=verdict, warnings=tuple(_pair_warnings(d, len(both) - len(paired), test) + notes),
        alpha=alpha)


def _pair_warnings(d: np.ndarray, unpaired: int, test: str) -> list[str]:
    """Warnings of a paired test: units left out, few pairs, zero differences (Wilcoxon drops them), constant or
    strongly skewed differences (paired t-test)."""
    out = [i18n.Message("errors.stats.unpaired", n=unpaired)] if unpaired else []
    if len(d) < MIN_GROUP_SIZE:
        out.append(i18n.Message("errors.stats.few_pairs", n=len(d), min=MIN_GROUP_SIZE))
    if test == "wilcoxon" and (zeros := int((d == 0).sum())):
        out.append(i18n.Message("errors.stats.zero_differences", n=zeros, total=len(d)))
    differences = i18n.Message("errors.stats.differences")
    if test == "paired-t" and np.ptp(d) == 0:
        out.append(i18n.Message("errors.stats.zero_variance", group=differences, n=len(d)))
    elif test == "paired-t" and len(d) < 100:
        with _quiet():
            skewness = float(stats.skew(d))
        if abs(skewness) > 2:
            out.append(i18n.Message("errors.stats.skewed", group=differences, skewness=skewness))
    return out


def _verdict(p: float, alpha: float, claim: str, size: str, subject: str, lang: str = "en") -> str:
    """'<claim>: yes, p = …, <size> effect' / 'no significant difference in <subject>: p = …'."""
    if math.isnan(p):
        return _t("stats.verdict_undefined", lang, subject=subject)
    if p < alpha:
        return _t("stats.verdict_yes", lang, claim=claim, p=_format_p(p), size=_t(f"tests.magnitude.{size}", lang))
    return _t("stats.verdict_no", lang, subject=subject, p=_format_p(p))


def _t(key: str, lang: str, **params) -> str:
    return i18n.t(key, lang, **params)


def _name(group: object, lang: str) -> str:
    """A group's name in texts: built-in segment names in ``lang`` (``core.i18n.segment_name``)."""
    return str(group) if lang == "en" else i18n.segment_name(group, lang)


# ---------------------------------------------------------------- k groups


def adjust_pvalues(p, method: str = "holm") -> np.ndarray:
    """Holm (step-down, family-wise error) or Benjamini-Hochberg ("bh", false discovery rate) adjusted p-values,
    in the input order, capped at 1. NaNs stay NaN and do not count towards the number of tests."""
    _check_correction(method)
    p = np.asarray(p, dtype=float).ravel()
    out = np.full(p.shape, np.nan)
    ok = ~np.isnan(p)
    q = p[ok]
    if np.any((q < 0) | (q > 1)):
        raise InputError(i18n.Message("errors.stats.p_values"))
    m = q.size
    order = np.argsort(q, kind="stable")
    ranked = q[order]
    if method == "holm":
        adjusted = np.maximum.accumulate(ranked * (m - np.arange(m)))
    else:
        adjusted = np.minimum.accumulate((ranked * m / np.arange(1, m + 1))[::-1])[::-1]
    result = np.empty(m)
    result[order] = np.minimum(adjusted, 1.0)
    out[ok] = result
    return out


def _pairwise(samples: Mapping[str, np.ndarray], boot: Mapping[str, np.ndarray], test: str, correction: str,
              alpha: float, rng: np.random.Generator, metric_label: str, lang: str) -> pd.DataFrame:
    """All pairs of groups with ``test`` ("mann-whitney" or "welch"), p-values corrected over the pairs, effect
    intervals bootstrapped from ``boot`` (the k-group bootstrap's capped samples), hypotheses in ``lang``."""
    rows = []
    test_name, effect_name = _TWO_SAMPLE[test]
    for (ga, a), (gb, b) in combinations(samples.items(), 2):
        statistic, p, effect = _two_sample(a, b, test)
        high, low = _higher_first((ga, gb), effect, a.mean() - b.mean())
        low_ci, high_ci = _percentile_ci(_two_sample_draws([boot[ga], boot[gb]], test, rng), alpha)
        h0, h1 = _hypotheses(_TWO_TEXTS[test], (ga, gb), metric_label, lang)
        rows.append({"group_a": ga, "group_b": gb, "n_a": len(a), "n_b": len(b), "test": test_name,
                     "statistic": statistic, "p_value": p, "effect_name": effect_name, "effect": effect,
                     "effect_ci_low": low_ci, "effect_ci_high": high_ci, "magnitude": magnitude(effect_name, effect),
                     "higher": high, "lower": low, "h0": h0, "h1": h1})
    table = pd.DataFrame(rows)
    table.insert(table.columns.get_loc("p_value") + 1, "p_adjusted", adjust_pvalues(table["p_value"], correction))
    table.insert(table.columns.get_loc("p_adjusted") + 1, "significant", table["p_adjusted"] < alpha)
    return table


def compare_many(samples: Mapping[str, object], metric_label: str = "order value", test: str = "kruskal",
                 alpha: float = 0.05, correction: str = "holm", seed: int = 0, question: str = "",
                 lang: str = "en") -> TestResult:
    """Test whether ``metric_label`` differs across two or more groups ({name: numbers}), then test every pair.

    ``test``: "kruskal" (default; effect ε², pairs by Mann-Whitney) or "anova" (effect η², pairs by Welch).
    ``correction`` of the pairwise p-values: "holm" or "bh". The pairwise table is on ``pairwise`` (a row per
    pair: groups, sizes, test, statistic, p_value, p_adjusted, significant, effect_name, effect with its bootstrap
    interval effect_ci_low/high from the same capped resamples, magnitude, higher and lower group, h0, h1); the
    verdict lists up to five pairs that differ after correction. Raises InputError for fewer than 2 groups.
    """
    if test not in _K_SAMPLE:
        raise InputError(i18n.Message("errors.stats.unknown_k_test", test=test))
    _check_alpha(alpha)
    _check_correction(correction)
    if len(samples) < 2:
        raise InputError(i18n.Message("errors.stats.too_few_groups", n=len(samples)))
    cleaned = {str(g): _numeric(v, str(g)) for g, v in samples.items()}
    values = {g: v for g, (v, _) in cleaned.items()}
    arrays = list(values.values())
    test_name, effect_name, pair_test = _K_SAMPLE[test]
    rng = np.random.default_rng(seed)
    boot, notes = _subsample(arrays, rng)
    with _quiet():
        res = stats.kruskal(*arrays) if test == "kruskal" else stats.f_oneway(*arrays)
    statistic, p = float(res.statistic), float(res.pvalue)
    if test == "kruskal":
        effect = statistic / (sum(map(len, arrays)) - 1)
        codes, n_codes = _codes(boot)
        draws = _bootstrap(codes, _epsilon_squared_rows(n_codes), rng)
    else:
        shift = np.concatenate(arrays).mean()
        with _quiet():
            effect = float(_eta_squared_rows([a[None, :] - shift for a in arrays])[0])
        draws = _bootstrap([a - shift for a in boot], _eta_squared_rows, rng)
    extra = []
    sds = [a.std(ddof=1) for a in arrays]
    if test == "anova" and min(sds) > 0 and max(sds) / min(sds) > 2:
        extra.append(i18n.Message("errors.stats.unequal_variances", ratio=float(max(sds) / min(sds))))
    pairs = _pairwise(values, dict(zip(values, boot)), pair_test, correction, alpha, rng, metric_label, lang)
    size = magnitude(effect_name, effect)
    names = tuple(values)
    across = (", ".join(_name(g, lang) for g in names) if len(names) <= 4
              else _t("stats.across_n", lang, n=len(names)))
    verdict = _verdict(p, alpha, _t("stats.many_claim", lang, metric=metric_label, across=across), size,
                       _t("stats.subject_many", lang, metric=metric_label, across=across), lang)
    if p < alpha:
        verdict += "; " + _pairs_text(pairs, correction, lang=lang)
    kind = "anova" if test == "anova" else "kw"
    h0, h1 = _t(f"stats.{kind}_h0", lang, metric=metric_label), _t(f"stats.{kind}_h1", lang, metric=metric_label)
    return TestResult(
        question=question or _t("stats.q_many", lang, metric=metric_label, across=across), test=test_name, h0=h0,
        h1=h1,
        groups=names, sizes=tuple(map(len, arrays)), centers=_centers(values), statistic=statistic, p_value=p,
        effect_name=effect_name, effect=effect, effect_ci=_percentile_ci(draws, alpha), magnitude=size,
        verdict=verdict,
        warnings=tuple(_sample_warnings(values, {g: d for g, (_, d) in cleaned.items()}, test == "anova")
                       + extra + notes),
        alpha=alpha, pairwise=pairs)


def _pairs_text(pairs: pd.DataFrame, correction: str, limit: int = 5, lang: str = "en") -> str:
    """'pairs that differ after Holm correction: A > C (p = 0.002), …' or that no pair does."""
    hits = pairs[pairs["significant"]].sort_values("p_adjusted")
    method = _CORRECTIONS[correction]
    if hits.empty:
        return _t("stats.pairs_none", lang, method=method)
    shown = [f"{_name(r.higher, lang)} > {_name(r.lower, lang)} ({_format_p(r.p_adjusted)})"
             for r in hits.head(limit).itertuples()]
    more = _t("stats.pairs_more", lang, n=len(hits) - limit) if len(hits) > limit else ""
    return _t("stats.pairs", lang, method=method, pairs=", ".join(shown), more=more)


# ---------------------------------------------------------------- categorical


def chi_square(data: pd.DataFrame | pd.Series, other: pd.Series | None = None,
               names: tuple[str, str] | None = None, alpha: float = 0.05, seed: int = 0,
               question: str = "", lang: str = "en") -> TestResult:
    """Pearson chi-square test of independence (no Yates correction) with the bias-corrected Cramér's V and its
    bootstrap interval from the table shrunk towards independence (see the module docstring).

    ``data`` is a contingency table of counts (rows = categories, columns = groups), or a Series of categories
    with ``other`` a Series of groups (aligned on the index; pairs with a missing value are dropped). ``names``
    = (row variable, column variable), by default from the Series or axis names. All-zero rows and columns are
    dropped; the table must then be at least 2 × 2. ``centers`` holds each group's category shares.
    """
    _check_alpha(alpha)
    table = _contingency(data, other)
    row_name, col_name = names or (
        (data.name, other.name) if other is not None else (table.index.name, table.columns.name))
    row_name, col_name = str(row_name or "rows"), str(col_name or "columns")
    counts = table.to_numpy()
    n = counts.sum()
    with _quiet():
        statistic, p, _, expected = stats.chi2_contingency(counts, correction=False)
    min_dim = min(counts.shape)
    effect = float(_cramers_v_rows(counts[None])[0])
    model = _shrunk_table(counts, statistic)
    draws = _cramers_v_rows(np.random.default_rng(seed).multinomial(int(n), model.ravel(), BOOTSTRAP_RESAMPLES)
                            .reshape(-1, *counts.shape))
    size = magnitude(CRAMERS_V, effect, min_dim)
    shown = {"rows": row_name, "cols": col_name}
    verdict = _verdict(p, alpha, _t("stats.mix_claim", lang, **shown), size, _t("stats.mix_subject", lang, **shown),
                       lang)
    if p < alpha:
        verdict += "; " + _largest_deviation(table, expected, lang)
    groups = tuple(str(c) for c in table.columns)
    shares = table / table.sum(axis=0)
    return TestResult(
        question=question or _t("stats.mix_question", lang, **shown),
        test="chi-square test of independence",
        h0=_t("stats.mix_h0", lang, **shown), h1=_t("stats.mix_h1", lang, **shown),
        groups=groups, sizes=tuple(int(s) for s in table.sum(axis=0)),
        centers={str(c): {str(r): float(v) for r, v in shares[c].items()} for c in table.columns},
        statistic=float(statistic), p_value=float(p), effect_name=CRAMERS_V, effect=effect,
        effect_ci=_percentile_ci(draws, alpha), magnitude=size, verdict=verdict,
        warnings=tuple(_table_warnings(table, expected)), alpha=alpha)


def _contingency(data: pd.DataFrame | pd.Series, other: pd.Series | None) -> pd.DataFrame:
    """Validated counts table without all-zero rows/columns."""
    if other is not None:
        pairs = pd.concat([pd.Series(data).rename("row"), pd.Series(other).rename("col")], axis=1,
                          join="inner").dropna()
        table = pd.crosstab(pairs["row"].astype(str), pairs["col"].astype(str))
    elif isinstance(data, pd.DataFrame):
        table = data
    else:
        raise InputError(i18n.Message("errors.stats.chi_square_input"))
    try:
        values = table.to_numpy(dtype=float)
    except (TypeError, ValueError):
        raise InputError(i18n.Message("errors.stats.table_not_numbers")) from None
    if not np.isfinite(values).all() or (values < 0).any():
        raise InputError(i18n.Message("errors.stats.table_bad_counts"))
    table = pd.DataFrame(values, index=table.index, columns=table.columns)
    table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
    if min(table.shape) < 2:
        raise InputError(i18n.Message("errors.stats.table_too_small", rows=table.shape[0], cols=table.shape[1]))
    return table


def _cramers_v_rows(tables: np.ndarray) -> np.ndarray:
    """Bias-corrected Cramér's V (see the module docstring) of each (rows, cols) table in a (resamples, rows, cols)
    stack; empty margins of a resample count nothing, the correction uses the stack's rows and cols. NaN when
    n ≤ max(rows, cols) leaves no corrected dimension above 1."""
    rows, cols = tables.shape[1:]
    n = tables.sum(axis=(1, 2)).astype(float)
    expected = tables.sum(axis=2)[:, :, None] * tables.sum(axis=1)[:, None, :] / n[:, None, None]
    with _quiet():
        chi2 = np.where(expected > 0, (tables - expected) ** 2 / expected, 0.0).sum(axis=(1, 2))
        dim = np.minimum(rows - (rows - 1) ** 2 / (n - 1), cols - (cols - 1) ** 2 / (n - 1)) - 1
        return np.where(dim > 0, np.sqrt(_corrected_phi2(chi2 / n, rows, cols, n) / dim), np.nan)


def _corrected_phi2(phi2, rows: int, cols: int, n):
    """Bergsma's φ̃² = max(0, φ² − (rows − 1)(cols − 1)/(n − 1)): φ² less its expectation under independence."""
    return np.maximum(phi2 - (rows - 1) * (cols - 1) / (n - 1), 0.0)


def _shrunk_table(counts: np.ndarray, statistic: float) -> np.ndarray:
    """Cell probabilities of ``counts`` moved towards independence (same margins) until the table's own φ² is the
    bias-corrected φ̃² of the sample: the model the chi-square bootstrap resamples (see the module docstring)."""
    rows, cols = counts.shape
    n = counts.sum()
    observed = counts / n
    independent = observed.sum(axis=1, keepdims=True) * observed.sum(axis=0, keepdims=True)
    phi2 = statistic / n
    keep = math.sqrt(_corrected_phi2(phi2, rows, cols, n) / phi2) if phi2 > 0 else 0.0  # the mixture's φ²: keep² · φ²
    return independent + keep * (observed - independent)


def _table_warnings(table: pd.DataFrame, expected: np.ndarray) -> list[str]:
    out = []
    low = expected < MIN_EXPECTED
    if low.any():
        out.append(i18n.Message("errors.stats.low_expected", low=low.sum(), cells=low.size, share=float(low.mean()),
                                min=MIN_EXPECTED, smallest=float(expected.min())))
    if small := _small_groups(table.sum(axis=0)):
        out.append(i18n.Message("errors.stats.small_groups", groups=small, min=MIN_GROUP_SIZE))
    return out


def _largest_deviation(table: pd.DataFrame, expected: np.ndarray, lang: str = "en") -> str:
    """The cell with the largest adjusted standardised residual, in words."""
    counts = table.to_numpy()
    n = counts.sum()
    row_share = counts.sum(axis=1, keepdims=True) / n
    col_share = counts.sum(axis=0, keepdims=True) / n
    residual = (counts - expected) / np.sqrt(expected * (1 - row_share) * (1 - col_share))
    i, j = np.unravel_index(np.argmax(np.abs(residual)), residual.shape)
    group_total = counts[:, j].sum()
    return _t("stats.deviation", lang, row=_name(table.index[i], lang), col=_name(table.columns[j], lang),
              direction=_t("stats.more" if residual[i, j] > 0 else "stats.less", lang),
              share=f"{counts[i, j] / group_total:.0%}", overall=f"{row_share[i, 0]:.0%}")


def two_proportions(successes: Sequence[int], totals: Sequence[int], names: tuple[str, str] = ("A", "B"),
                    metric_label: str | None = None, alpha: float = 0.05, seed: int = 0, question: str = "",
                    lang: str = "en") -> TestResult:
    """Pooled two-proportion z-test (two-sided; z² equals the uncorrected 2 × 2 chi-square) with Cohen's h.

    ``successes`` and ``totals`` are counts per group (e.g. repeat customers and all customers); ``metric_label``
    names the proportion (the catalogue's repeat rate in ``lang`` when None). Raises InputError unless
    0 ≤ successes ≤ totals and totals > 0. The statistic is z of the first group minus the second.
    """
    _check_alpha(alpha)
    x, n = np.asarray(successes, dtype=float), np.asarray(totals, dtype=float)
    if x.shape != (2,) or n.shape != (2,) or (n <= 0).any() or (x < 0).any() or (x > n).any() \
            or (x % 1).any() or (n % 1).any():
        raise InputError(i18n.Message("errors.stats.proportions_input"))
    share = x / n
    pooled = x.sum() / n.sum()
    with _quiet():
        z = (share[0] - share[1]) / math.sqrt(pooled * (1 - pooled) * (1 / n[0] + 1 / n[1]))
    p = float(2 * stats.norm.sf(abs(z))) if math.isfinite(z) else math.nan
    effect = float(2 * np.arcsin(np.sqrt(share[0])) - 2 * np.arcsin(np.sqrt(share[1])))
    rng = np.random.default_rng(seed)
    resampled = rng.binomial(n.astype(int), share, size=(BOOTSTRAP_RESAMPLES, 2)) / n
    draws = 2 * np.arcsin(np.sqrt(resampled[:, 0])) - 2 * np.arcsin(np.sqrt(resampled[:, 1]))
    size = magnitude("Cohen's h", effect)
    label = metric_label or _t("stats.repeat_rate", lang)
    asked, h0, h1, verdict = _two_group_texts("prop", names, label, effect, effect, p, alpha, size, lang)
    verdict += _t("stats.prop_shares", lang, a=share[0], b=share[1])
    warns = []
    if small := _small_groups(dict(zip(names, n))):
        warns.append(i18n.Message("errors.stats.small_groups", groups=small, min=MIN_GROUP_SIZE))
    if min((n * pooled).min(), (n * (1 - pooled)).min()) < MIN_EXPECTED:
        warns.append(i18n.Message("errors.stats.low_expected_z", min=MIN_EXPECTED))
    return TestResult(
        question=question or asked, test="two-proportion z-test", h0=h0, h1=h1, groups=tuple(names),
        sizes=tuple(int(t) for t in n), centers={g: {"proportion": float(s)} for g, s in zip(names, share)},
        statistic=float(z), p_value=p, effect_name="Cohen's h", effect=effect,
        effect_ci=_percentile_ci(draws, alpha), magnitude=size, verdict=verdict, warnings=tuple(warns), alpha=alpha)


# ---------------------------------------------------------------- builder


def _order_month(lines: pd.DataFrame) -> pd.Series:
    """Per line: calendar month 'YYYY-MM' of its order's first line, so an order is never split over months."""
    return lines.groupby("order_id")["date"].transform("min").dt.strftime("%Y-%m")


def _line_groups(lines: pd.DataFrame, grouping: pd.Series | str) -> pd.Series:
    """Per line: its group label, NaN when the customer has no label."""
    if isinstance(grouping, pd.Series):
        return lines["customer_id"].map(grouping)
    if grouping == "repeat":
        orders = lines.groupby("customer_id")["order_id"].nunique()
        return lines["customer_id"].map(orders.ge(2).map({True: REPEAT, False: SINGLE}))
    if grouping == "month":
        return _order_month(lines)
    if grouping in lines.columns:
        return lines[grouping]
    raise InputError(i18n.Message("errors.stats.unknown_grouping", grouping=grouping))


def metric_samples(lines: pd.DataFrame, metric: str, grouping: pd.Series | str) -> pd.DataFrame:
    """Tidy sample frame (``value``, ``group``) of a :data:`METRICS` metric, one row per unit and group.

    Units: order_value = revenue of one order; items_per_order = sum of quantity of one order;
    orders_per_customer = distinct orders of one customer; revenue_per_customer = revenue of one customer;
    revenue_per_product = revenue of one distinct product name; monthly_revenue = revenue of one calendar month,
    zero for months without orders between the first and last order month (an order belongs to the month of its
    first line). ``grouping``: a Series of labels indexed by customer_id (e.g. segment; customers without a
    label are left out), "repeat" (single-order vs repeat customers), "month" (the order's month) or any column
    of ``lines`` (e.g. "category"). A line-level grouping such as category splits a unit: the order value of an
    order in "plants" is the revenue of that order's plant lines. Groups are strings, sorted.
    """
    return _tidy(_metric_values(lines, metric, grouping))


def _tidy(values: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"value": values.to_numpy(dtype=float),
                         "group": values.index.get_level_values("group").astype(str)})


def _metric_values(lines: pd.DataFrame, metric: str, grouping: pd.Series | str) -> pd.Series:
    """The values of :func:`metric_samples` indexed by (group, unit)."""
    if metric not in METRICS:
        raise InputError(i18n.Message("errors.stats.unknown_metric", metric=metric, metrics=", ".join(METRICS)))
    if metric == "monthly_revenue" and isinstance(grouping, str) and grouping == "month":
        raise InputError(i18n.Message("errors.stats.month_by_month"))
    unit, column, how = _METRIC_UNITS[metric]
    needed = {"date", "customer_id", "order_id", column} | ({unit} - {"month"})
    missing = sorted(needed - set(lines.columns))
    if missing:
        raise InputError(i18n.Message("errors.stats.missing_columns", columns=", ".join(missing)))
    if lines.empty:
        raise InputError(i18n.Message("errors.stats.no_lines"))
    units = _order_month(lines) if unit == "month" else lines[unit]
    frame = pd.DataFrame({
        "unit": units,
        "group": _line_groups(lines, grouping),
        "x": lines[column],
    }).dropna(subset=["group"])
    if frame.empty:
        raise InputError(i18n.Message("errors.stats.no_group_labels"))
    frame["group"] = frame["group"].astype(str)
    values = frame.groupby(["group", "unit"], sort=True)["x"].agg(how)
    if unit == "month":
        months = pd.period_range(units.min(), units.max(), freq="M").strftime("%Y-%m")
        values = values.reindex(pd.MultiIndex.from_product(
            [values.index.get_level_values("group").unique(), months], names=["group", "unit"]), fill_value=0)
    return values


def _split(frame: pd.DataFrame, groups: Sequence[str] | None, what: str) -> dict[str, np.ndarray]:
    """{group: values} for ``groups`` (all groups when None), in that order; ``what`` names the data in errors (a
    :data:`METRICS` key, "category_mix" or "metric")."""
    available = list(dict.fromkeys(frame["group"]))
    wanted = [str(g) for g in groups] if groups is not None else available
    absent = [g for g in wanted if g not in available]
    label = i18n.Message(f"errors.stats.data.{what}")
    if absent:
        raise InputError(i18n.Message("errors.stats.absent_groups", label=label, absent=_groups(absent),
                                      available=_groups(available)))
    if len(wanted) < 2:
        raise InputError(i18n.Message("errors.stats.too_few_groups_with", label=label, n=len(wanted)))
    by_group = frame.groupby("group")["value"]
    return {g: by_group.get_group(g).to_numpy() for g in wanted}


def compare_metric(lines: pd.DataFrame, metric: str, grouping: pd.Series | str,
                   groups: Sequence[str] | None = None, parametric: bool = False, alpha: float = 0.05,
                   correction: str = "holm", seed: int = 0, question: str = "", lang: str = "en") -> TestResult:
    """Builder: test ``metric`` across ``groups`` of ``grouping`` (see :func:`metric_samples`; all groups when
    None). Two groups: Mann-Whitney (Welch if ``parametric``), or for :data:`PAIRED_METRICS` month by month,
    Wilcoxon signed-rank (paired t-test); more: Kruskal-Wallis (ANOVA) with pairwise tests. ``lang``: the language
    of the texts (the metric named as the catalogue's ``tests.metric.<metric>``)."""
    label = METRICS.get(metric, metric)
    values = _metric_values(lines, metric, grouping)
    samples = _split(_tidy(values), groups, metric)
    if lang != "en" and i18n.has(f"tests.metric.{metric}"):
        label = i18n.t(f"tests.metric.{metric}", lang).lower()
    if len(samples) == 2 and metric in PAIRED_METRICS:
        wide = values.unstack("group")
        ga, gb = samples
        return compare_paired(wide[ga], wide[gb], (ga, gb), label, "paired-t" if parametric else "wilcoxon",
                              "month", alpha, seed, question, lang)
    if len(samples) == 2:
        (ga, a), (gb, b) = samples.items()
        return compare_two(a, b, (ga, gb), label, "welch" if parametric else "mann-whitney", alpha, seed, question,
                           lang)
    return compare_many(samples, label, "anova" if parametric else "kruskal", alpha, correction, seed, question,
                        lang)


# ---------------------------------------------------------------- preset and table


def _top_two(counts: pd.Series, what: str) -> tuple[str, str]:
    """The two labels with the largest counts (ties by label)."""
    ranked = counts[counts > 0].sort_index().sort_values(ascending=False, kind="stable")
    if len(ranked) < 2:
        raise InputError(i18n.Message(f"errors.stats.need_two_{what}", n=len(ranked)))
    return str(ranked.index[0]), str(ranked.index[1])


def research_preset(lines: pd.DataFrame, segments: pd.Series, alpha: float = 0.05, correction: str = "holm",
                    segment_pair: tuple[str, str] | None = None, category_pair: tuple[str, str] | None = None,
                    seed: int = 0, lang: str = "en") -> list[TestResult]:
    """The store's four research questions, with rank tests for money:

    1. order value between two segments (default: the two segments with most customers in ``lines``);
    2. category mix across all segments: chi-square of each customer's dominant category (most revenue, ties
       alphabetical) × segment. Customers, not order lines, are counted so observations are independent;
    3. monthly revenue of repeat vs single-order customers, month by month (Wilcoxon signed-rank test on the
       months from the first to the last order month; a month without orders of a group counts as 0);
    4. revenue per product between two categories (default: the two with most revenue).

    The four p-values are a family: ``correction`` ("holm" or "bh") fills ``p_adjusted`` and a significant
    verdict says whether it survives the correction. Raises InputError when a question cannot be asked (e.g. a
    single segment or category).
    """
    _check_correction(correction)
    segments = segments.dropna().rename(index=str).astype(str)
    customers = segments.reindex(lines["customer_id"].unique()).dropna()
    pair = segment_pair or _top_two(customers.value_counts(), "segments")
    q1 = compare_metric(lines, "order_value", segments, pair, alpha=alpha, seed=seed, lang=lang,
                        question=_t("stats.q1", lang, a=_name(pair[0], lang), b=_name(pair[1], lang)))
    mix = mix_samples(lines, segments)
    q2 = chi_square(mix["value"], mix["group"],
                    names=(_t("stats.dominant_category", lang), _t("stats.segment", lang)),
                    alpha=alpha, seed=seed, question=_t("stats.q2", lang), lang=lang)
    q3 = compare_metric(lines, "monthly_revenue", "repeat", (REPEAT, SINGLE), alpha=alpha, seed=seed, lang=lang,
                        question=_t("stats.q3", lang))
    categories = category_pair or _top_two(lines.groupby("category")["revenue"].sum(), "categories")
    q4 = compare_metric(lines, "revenue_per_product", "category", categories, alpha=alpha, seed=seed, lang=lang,
                        question=_t("stats.q4", lang, a=_name(categories[0], lang), b=_name(categories[1], lang)))
    results = [q1, q2, q3, q4]
    adjusted = adjust_pvalues([r.p_value for r in results], correction)
    method = _CORRECTIONS[correction]
    out = []
    for result, p_adj in zip(results, adjusted):
        verdict = result.verdict
        if result.p_value < alpha:
            verdict += _t("stats.preset_correction", lang, method=method, n=len(results), p=_format_p(p_adj),
                          outcome=_t("stats.still" if p_adj < alpha else "stats.no_longer", lang))
        out.append(replace(result, verdict=verdict, p_adjusted=float(p_adj)))
    return out


RESULT_COLUMNS = ["question", "test", "h0", "h1", "groups", "n_per_group", "centers", "statistic", "p_value",
                  "p_adjusted", "effect_size", "effect", "effect_ci_low", "effect_ci_high", "magnitude", "verdict",
                  "warnings", "alpha"]
"""The columns of :func:`results_frame`."""


def results_frame(results: Sequence[TestResult], lang: str = "en") -> pd.DataFrame:
    """One row per test, for display and export; pairwise tests follow their k-group test as extra rows.

    Columns (:data:`RESULT_COLUMNS`): question, test, h0, h1, groups, n_per_group, centers (each group's median
    and mean, proportion or category shares), statistic, p_value, p_adjusted (family or pairwise correction, else
    NaN), effect_size (name), effect, effect_ci_low, effect_ci_high, magnitude, verdict, warnings ("; "-joined),
    alpha. The tests' own texts stay in the language they were run in; ``lang`` is the language of the texts built
    here (groups, sizes, centres, the pairwise rows' question suffix and verdicts).
    """
    rows = []
    for result in results:
        rows += [_frame_row(r, lang) for r in [result, *_pair_results(result, lang)]]
    return pd.DataFrame(rows, columns=RESULT_COLUMNS)


def _frame_row(r: TestResult, lang: str) -> dict:
    sizes = "; ".join(_t("stats.group_n", lang, group=_name(g, lang), n=n) for g, n in zip(r.groups, r.sizes))
    return {
        "question": r.question, "test": r.test, "h0": r.h0, "h1": r.h1, "groups": _groups_text(r.groups, lang),
        "n_per_group": sizes, "centers": _centers_text(r.centers, lang), "statistic": r.statistic, "p_value": r.p_value,
        "p_adjusted": math.nan if r.p_adjusted is None else r.p_adjusted, "effect_size": r.effect_name,
        "effect": r.effect, "effect_ci_low": r.effect_ci[0], "effect_ci_high": r.effect_ci[1],
        "magnitude": r.magnitude, "verdict": r.verdict, "warnings": "; ".join(r.warnings), "alpha": r.alpha}


def _pair_results(result: TestResult, lang: str) -> list[TestResult]:
    """The pairwise tests of a k-group result as results of their own (corrected p in ``p_adjusted``)."""
    out = []
    for pair in (result.pairwise.itertuples() if result.pairwise is not None else ()):
        names = (pair.group_a, pair.group_b)
        p = _format_p(pair.p_adjusted)
        verdict = (_t("stats.pair_yes", lang, high=_name(pair.higher, lang), low=_name(pair.lower, lang), p=p)
                   if pair.significant else
                   _t("stats.pair_no", lang, a=_name(names[0], lang), b=_name(names[1], lang), p=p))
        out.append(TestResult(
            question=_t("stats.pairwise_question", lang, question=result.question), test=pair.test, h0=pair.h0,
            h1=pair.h1, groups=names, sizes=(pair.n_a, pair.n_b), centers={g: result.centers[g] for g in names},
            statistic=pair.statistic, p_value=pair.p_value, effect_name=pair.effect_name, effect=pair.effect,
            effect_ci=(pair.effect_ci_low, pair.effect_ci_high), magnitude=pair.magnitude, verdict=verdict,
            warnings=(), alpha=result.alpha, p_adjusted=pair.p_adjusted))
    return out


def _groups_text(groups: Sequence[str], lang: str) -> str:
    """'A vs B' for two groups, 'A, B, C' for more, names in ``lang``."""
    if len(groups) == 2:
        return _t("stats.versus", lang, a=_name(groups[0], lang), b=_name(groups[1], lang))
    return ", ".join(_name(g, lang) for g in groups)


def _centers_text(centers: dict, lang: str = "en") -> str:
    """'A: median 1,200.00, mean 1,530.00; B: …', 'A: proportion 41.0%' or 'A: plants 25%, kitchen 75%; B: …'."""
    parts = []
    for group, values in centers.items():
        name = _name(group, lang)
        if "median" in values:
            parts.append(_t("stats.centre_values", lang, group=name, median=values["median"], mean=values["mean"]))
        elif "proportion" in values:
            parts.append(_t("stats.centre_proportion", lang, group=name, share=values["proportion"]))
        else:
            shares = ", ".join(_t("stats.centre_share", lang, category=_name(k, lang), share=v)
                               for k, v in values.items())
            parts.append(_t("stats.centre_shares", lang, group=name, shares=shares))
    return "; ".join(parts)


# ---------------------------------------------------------------- helpers of the Tests page


CATEGORY_MIX = "category_mix"
"""The builder's categorical "metric": the mix of product categories across groups, tested by :func:`compare_mix`."""
GROUPING_MIX = "grouping_mix"
"""The builder's "metric" for a second grouping of the customers (e.g. lifecycle within segments): the chi-square
test of the two groupings (:func:`compare_mix` with ``variable``)."""
REPEAT_RATE = "repeat_rate"
"""The builder's proportion: the share of repeat customers per group (:func:`compare_repeat_rate`)."""

STATISTIC_SYMBOLS = {"Mann-Whitney U": "U", "Welch's t-test": "t", "Kruskal-Wallis H": "H", "one-way ANOVA": "F",
                     "Wilcoxon signed-rank test": "T", "paired t-test": "t",
                     "chi-square test of independence": "χ²", "two-proportion z-test": "z"}
"""Test name -> the symbol of its statistic."""


def format_p(p: float | None) -> str:
    """'p < 0.001', 'p = 0.003' or 'p = 0.41'; 'p = –' when the p-value is missing or undefined."""
    if p is None or not math.isfinite(p):
        return "p = –"
    return _format_p(float(p))


def format_statistic(value: float | None) -> str:
    """A test statistic for people: whole numbers with thousands separators ('12,345'), otherwise 3 significant
    digits below 1, 2 decimals below 100 and 1 decimal above ('1,234.5'); '–' when undefined."""
    if value is None or not math.isfinite(value):
        return "–"
    if float(value).is_integer():
        return f"{value:,.0f}"
    if abs(value) < 1:
        return f"{value:.3g}"
    return f"{value:.2f}" if abs(value) < 100 else f"{value:,.1f}"


def _ranked(counts: pd.Series) -> list[str]:
    """Labels with a positive count, largest first, ties by label (the order :func:`_top_two` picks from)."""
    ranked = counts[counts > 0].rename(index=str).sort_index().sort_values(ascending=False, kind="stable")
    return ranked.index.tolist()


def group_sizes(samples: pd.DataFrame) -> pd.Series:
    """Units (rows) per group of a tidy frame with a ``group`` column, largest first, ties by label."""
    counts = samples["group"].astype(str).value_counts()
    return counts.sort_index().sort_values(ascending=False, kind="stable").rename_axis("group").rename("n")


def mix_samples(lines: pd.DataFrame, grouping: pd.Series | str,
                variable: pd.Series | str = "category") -> pd.DataFrame:
    """Tidy (``value`` = label of ``variable``, ``group``) frame of two categorical variables, one row per
    independent unit, for :func:`compare_mix` and :func:`compare_repeat_rate`.

    ``grouping`` and ``variable`` each label customers (a Series of labels indexed by customer_id, or "repeat":
    single-order vs repeat customers) or order lines ("month", the order's month, or a column of ``lines`` such as
    "category" or "country"). The unit is the customer when either labels customers, else the order; a unit takes
    the line label it spent most on (most revenue, ties alphabetical), e.g. each customer's dominant category (the
    research preset's rule) or country, each order's dominant category. A variable against itself raises
    InputError (the mix would be the grouping).
    """
    if grouping is variable or all(isinstance(spec, str) for spec in (grouping, variable)) and grouping == variable:
        raise InputError(i18n.Message("errors.stats.mix_by_itself", variable=_label_name(variable)))
    columns = {spec for spec in (grouping, variable) if isinstance(spec, str) and spec not in ("repeat", "month")}
    missing = sorted(({"date", "customer_id", "order_id", "revenue"} | columns) - set(lines.columns))
    if missing:
        raise InputError(i18n.Message("errors.stats.missing_columns", columns=", ".join(missing)))
    if lines.empty:
        raise InputError(i18n.Message("errors.stats.no_lines"))
    unit = "customer_id" if _mix_unit(grouping, variable) == "customer" else "order_id"
    frame = pd.DataFrame({"unit": lines[unit], "group": _line_groups(lines, grouping),
                          "value": _line_groups(lines, variable), "revenue": lines["revenue"]}
                         ).dropna(subset=["group", "value"])
    if frame.empty:
        raise InputError(i18n.Message("errors.stats.no_labelled_values", variable=_label_name(variable)))
    frame = frame.astype({"group": str, "value": str})
    return pd.DataFrame({column: _dominant(frame, column) for column in ("value", "group")}).reset_index(drop=True)


def _mix_unit(grouping: pd.Series | str, variable: pd.Series | str) -> str:
    """"customer" when either variable labels customers (see :func:`mix_samples`), else "order"."""
    per_customer = [isinstance(spec, pd.Series) or spec == "repeat" for spec in (grouping, variable)]
    return "customer" if any(per_customer) else "order"


def _label_name(spec: pd.Series | str) -> str:
    return spec if isinstance(spec, str) else str(spec.name or "labels")


def _dominant(frame: pd.DataFrame, column: str) -> pd.Series:
    """Per unit of a (unit, ``column``, revenue) frame: the label of ``column`` with most revenue, ties by label."""
    revenue = frame.groupby(["unit", column], as_index=False)["revenue"].sum()
    return (revenue.sort_values(["unit", "revenue", column], ascending=[True, False, True])
            .drop_duplicates("unit").set_index("unit")[column])


def _across(groups: Sequence[str], grouping_label: str, lang: str) -> str:
    """The compared groups in a question: their names up to four, else 'the 7 segment groups'."""
    if len(groups) <= 4:
        return ", ".join(_name(g, lang) for g in groups)
    return _t("stats.mix_across_n", lang, n=len(groups), grouping=grouping_label)


def compare_mix(lines: pd.DataFrame, grouping: pd.Series | str, groups: Sequence[str] | None = None,
                grouping_label: str = "group", alpha: float = 0.05, seed: int = 0, question: str = "",
                lang: str = "en", variable: pd.Series | str = "category", variable_label: str = "") -> TestResult:
    """Chi-square test of whether the mix of ``variable`` differs across ``groups`` of ``grouping`` (all groups
    when None), counting customers or orders by their label (see :func:`mix_samples`). The default variable is the
    product category (customers or orders by their dominant category); any other, e.g. a second grouping of the
    customers (lifecycle, dominant country), is named ``variable_label`` in the texts."""
    frame = mix_samples(lines, grouping, variable)
    is_category = isinstance(variable, str) and variable == "category"
    chosen = list(_split(frame.assign(value=0.0), groups, CATEGORY_MIX if is_category else GROUPING_MIX))
    frame = frame[frame["group"].isin(chosen)]
    unit = _mix_unit(grouping, variable)
    rows = _t(f"stats.mix_rows_{unit}", lang) if is_category else variable_label or _label_name(variable)
    if is_category and not question:
        question = _t(f"stats.mix_q_{unit}", lang, across=_across(chosen, grouping_label, lang))
    return chi_square(frame["value"], frame["group"], names=(rows, grouping_label), alpha=alpha, seed=seed,
                      lang=lang, question=question)


def compare_repeat_rate(lines: pd.DataFrame, grouping: pd.Series | str, groups: Sequence[str] | None = None,
                        grouping_label: str = "group", alpha: float = 0.05, seed: int = 0, question: str = "",
                        lang: str = "en") -> TestResult:
    """Whether the repeat rate (share of customers with two or more orders) differs across ``groups`` of
    ``grouping`` (all groups when None; a line-level grouping labels each customer by the value it spent most
    on, see :func:`mix_samples`): two groups by :func:`two_proportions`, more by the chi-square test of repeat
    status × group."""
    frame = mix_samples(lines, grouping, "repeat")
    chosen = list(_split(frame.assign(value=0.0), groups, REPEAT_RATE))
    frame = frame[frame["group"].isin(chosen)]
    label = _t("stats.repeat_rate", lang)
    if len(chosen) == 2:
        counts = pd.crosstab(frame["group"], frame["value"]).reindex(index=chosen, columns=[REPEAT, SINGLE],
                                                                     fill_value=0)
        return two_proportions(counts[REPEAT], counts.sum(axis=1), tuple(chosen), label, alpha, seed, question, lang)
    return chi_square(frame["value"], frame["group"], names=(_t("stats.repeat_status", lang), grouping_label),
                      alpha=alpha, seed=seed, lang=lang,
                      question=question or _t("stats.q_many", lang, metric=label,
                                              across=_across(chosen, grouping_label, lang)))


def distribution_summary(samples: pd.DataFrame, groups: Sequence[str] | None = None,
                         alpha: float = 0.05) -> pd.DataFrame:
    """Per group of a tidy (value, group) frame, in ``groups`` order (all groups when None): n, median with its
    distribution-free (1 − α) confidence interval (binomial order statistics; the whole range for tiny groups),
    mean, quartiles q1/q3, Tukey whiskers (the most extreme values within 1.5 IQR of the quartiles), min, max."""
    _check_alpha(alpha)
    rows = []
    for group, values in _split(samples, groups, "metric").items():
        v = np.sort(values[np.isfinite(values)])
        n = len(v)
        j = max(int(stats.binom.ppf(alpha / 2, n, 0.5)), 1)  # P(Bin(n, ½) ≤ j − 1) ≤ α/2
        q1, q3 = np.percentile(v, [25, 75])
        reach = 1.5 * (q3 - q1)
        rows.append({"group": group, "n": n, "median": float(np.median(v)), "median_low": float(v[j - 1]),
                     "median_high": float(v[n - j]), "mean": float(v.mean()), "q1": float(q1), "q3": float(q3),
                     "whisker_low": float(v[v >= q1 - reach].min()), "whisker_high": float(v[v <= q3 + reach].max()),
                     "min": float(v[0]), "max": float(v[-1])})
    return pd.DataFrame(rows)


def sample_points(samples: pd.DataFrame, groups: Sequence[str] | None = None, max_points: int = 1500,
                  seed: int = 0) -> pd.DataFrame:
    """Values to draw as dots (group, value, jitter in [−0.3, 0.3]): all of them when the groups hold at most
    ``max_points`` together, else a random ``max_points`` drawn proportionally (at least 30 per group)."""
    rng = np.random.default_rng(seed)
    split = _split(samples, groups, "metric")
    total = sum(len(v) for v in split.values())
    parts = []
    for group, values in split.items():
        keep = len(values) if total <= max_points else min(len(values), max(30, round(len(values) * max_points
                                                                                      / total)))
        chosen = values if keep == len(values) else rng.choice(values, size=keep, replace=False)
        parts.append(pd.DataFrame({"group": group, "value": chosen, "jitter": rng.uniform(-0.3, 0.3, keep)}))
    return pd.concat(parts, ignore_index=True)


def preset_choices(lines: pd.DataFrame, segments: pd.Series) -> tuple[list[str], list[str]]:
    """(segments by customers in ``lines``, categories by revenue), largest first: the pairs the research preset
    can compare, its defaults first."""
    segments = segments.dropna().rename(index=str).astype(str)
    customers = segments.reindex(lines["customer_id"].unique()).dropna()
    return (_ranked(customers.value_counts()),
            _ranked(lines.groupby("category", observed=True)["revenue"].sum()) if "category" in lines else [])


def research_samples(lines: pd.DataFrame, segments: pd.Series,
                     results: Sequence[TestResult]) -> list[pd.DataFrame]:
    """The tidy (value, group) samples behind the four :func:`research_preset` results, limited to each result's
    groups (the customers' dominant categories for the chi-square question), e.g. to chart them."""
    segments = segments.dropna().rename(index=str).astype(str)
    frames = [metric_samples(lines, "order_value", segments), mix_samples(lines, segments),
              metric_samples(lines, "monthly_revenue", "repeat"),
              metric_samples(lines, "revenue_per_product", "category")]
    return [frame[frame["group"].isin(result.groups)].reset_index(drop=True)
            for frame, result in zip(frames, results)]


def mix_shares(samples: pd.DataFrame, groups: Sequence[str] | None = None) -> pd.DataFrame:
    """The shares of each label per group of a :func:`mix_samples` frame as a long table (group, category =
    the label, share, count), groups in ``groups`` order (all, sorted, when None), labels sorted."""
    chosen = [str(g) for g in groups] if groups is not None else sorted(samples["group"].unique())
    counts = (samples[samples["group"].isin(chosen)].groupby(["group", "value"]).size().rename("count")
              .reset_index().rename(columns={"value": "category"}))
    counts["share"] = counts["count"] / counts.groupby("group")["count"].transform("sum")
    order = counts["group"].map({g: i for i, g in enumerate(chosen)})
    return (counts.assign(order=order).sort_values(["order", "category"], kind="stable")
            .reset_index(drop=True)[["group", "category", "share", "count"]])


def pairwise_table(result: TestResult, lang: str = "en") -> pd.DataFrame:
    """The pairwise tests of a k-group result for people: Pair, n (both sizes), Statistic, p and Corrected p as
    text, the effect (column named after the effect size, rounded to 2 decimals), its bootstrap CI as text,
    Effect (magnitude) and Higher group ('A > B' when the corrected p is below α, else 'no difference'); group
    names and words in ``lang``. Empty without pairwise tests."""
    columns = ["Pair", "n", "Statistic", "p", "Corrected p", "Effect size", "CI", "Effect", "Higher group"]
    if result.pairwise is None or result.pairwise.empty:
        return pd.DataFrame(columns=columns)
    pairs = result.pairwise
    higher = [_name(high, lang) + " > " + _name(low, lang) if significant else _t("stats.no_difference", lang)
              for high, low, significant in zip(pairs["higher"], pairs["lower"], pairs["significant"])]
    return pd.DataFrame({
        "Pair": [_groups_text(pair, lang) for pair in zip(pairs["group_a"], pairs["group_b"])],
        "n": [f"{a:,} / {b:,}" for a, b in zip(pairs["n_a"], pairs["n_b"])],
        "Statistic": pairs["statistic"].map(format_statistic), "p": pairs["p_value"].map(format_p),
        "Corrected p": pairs["p_adjusted"].map(format_p), "Effect size": pairs["effect"].round(2),
        "CI": [format_interval(ci) for ci in zip(pairs["effect_ci_low"], pairs["effect_ci_high"])],
        "Effect": pairs["magnitude"], "Higher group": higher,
    }, columns=columns).rename(columns={"Effect size": pairs["effect_name"].iloc[0]})


def results_table(results: Sequence[TestResult], lang: str = "en") -> pd.DataFrame:
    """:func:`results_frame` for people: readable column names, the group centres, p-values as 'p = 0.003' /
    'p < 0.001' text, the effect with its interval as one text ('0.12 (0.05 to 0.19)'), statistics rounded."""
    frame = results_frame(results, lang)
    interval = [format_effect(e) + (f" ({format_interval((lo, hi))})" if math.isfinite(lo) else "")
                for e, lo, hi in zip(frame["effect"], frame["effect_ci_low"], frame["effect_ci_high"])]
    return pd.DataFrame({
        "Question": frame["question"], "Groups": frame["groups"], "Test": frame["test"], "n": frame["n_per_group"],
        "Centres": frame["centers"],
        "Statistic": frame["statistic"].map(format_statistic), "p": frame["p_value"].map(format_p),
        "Corrected p": frame["p_adjusted"].map(lambda p: format_p(p) if math.isfinite(p) else ""),
        "Effect size": frame["effect_size"], "Effect (CI)": interval, "Magnitude": frame["magnitude"],
        "Verdict": frame["verdict"], "Warnings": frame["warnings"]})


def format_effect(value: float | None) -> str:
    """An effect size with 2 decimals ('0.12', '-0.03'); '–' when undefined."""
    return f"{value:.2f}" if value is not None and math.isfinite(value) else "–"


def format_interval(interval: tuple[float, float]) -> str:
    """A confidence interval as '0.05 to 0.19'; '–' when the bootstrap was undefined."""
    low, high = interval
    return f"{format_effect(low)} to {format_effect(high)}" if math.isfinite(low) and math.isfinite(high) else "–"
