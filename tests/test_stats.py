"""core.stats: statistics equal scipy's, effect sizes equal hand computations, corrections equal known vectors,
verdicts and warnings read right, the builder's units are right, and the research preset runs on real data."""
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from core import pipeline, stats
from core.errors import InputError
from core.settings import Settings
from tests.conftest import PRACTICUM_UPD

RNG = np.random.default_rng(42)
SKEWED_A = np.round(RNG.lognormal(6.5, 0.8, 60), 0)  # rounded, so there are ties
SKEWED_B = np.round(RNG.lognormal(6.2, 0.8, 45), 0)
SKEWED_C = np.round(RNG.lognormal(6.3, 0.9, 50), 0)


# ------------------------------------------------------------------ two groups


def test_mann_whitney_equals_scipy_and_rank_biserial_by_hand():
    res = stats.compare_two(SKEWED_A, SKEWED_B)
    ref = sps.mannwhitneyu(SKEWED_A, SKEWED_B, alternative="two-sided")
    assert res.test == "Mann-Whitney U"
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    assert res.sizes == (60, 45)
    assert res.centers["A"] == {"median": np.median(SKEWED_A), "mean": pytest.approx(SKEWED_A.mean())}
    # a = [1, 2, 3], b = [2, 4, 5, 6]: 1 pair a > b, 1 tie, 10 pairs a < b -> r = (1 - 10) / 12
    tiny = stats.compare_two([1, 2, 3], [2, 4, 5, 6])
    assert tiny.effect_name == "rank-biserial r"
    assert tiny.effect == pytest.approx(-0.75)
    assert tiny.statistic == 1.5  # U of a = 1 + 0.5 * 1 tie


def test_welch_equals_scipy_and_cohens_d_by_hand():
    res = stats.compare_two(SKEWED_A, SKEWED_B, test="welch")
    ref = sps.ttest_ind(SKEWED_A, SKEWED_B, equal_var=False)
    assert res.test == "Welch's t-test"
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    # means 2.5 and 5, variances 5/3 and 5/2, pooled SD sqrt((3 * 5/3 + 4 * 5/2) / 7) = sqrt(15/7)
    tiny = stats.compare_two([1, 2, 3, 4], [3, 4, 5, 6, 7], test="welch")
    assert tiny.effect_name == "Cohen's d"
    assert tiny.effect == pytest.approx(-2.5 / math.sqrt(15 / 7))


def test_two_group_verdicts_yes_and_no():
    high, low = np.arange(30) + 20.0, np.arange(30.0)
    yes = stats.compare_two(low, high, names=("Loyal", "Champions"))
    assert yes.verdict == "order value of Champions tends to be higher than of Loyal: yes, p < 0.001, large effect"
    assert yes.effect < 0 and yes.magnitude == "large"
    welch = stats.compare_two(high, low, names=("Champions", "Loyal"), metric_label="revenue", test="welch")
    assert welch.verdict == "average revenue of Champions is higher than of Loyal: yes, p < 0.001, large effect"
    near = stats.compare_two(np.arange(30) + 2.0, low, names=("Champions", "Loyal"))
    p = sps.mannwhitneyu(np.arange(30) + 2.0, low).pvalue
    assert p > 0.1
    assert near.verdict == f"no significant difference in order value between Champions and Loyal: p = {p:.2f}"
    # the same data is significant at a looser alpha, with the p-value printed to 3 decimals below 0.1
    mid = stats.compare_two(np.arange(30) + 5.0, low, alpha=0.1)
    p_mid = sps.mannwhitneyu(np.arange(30) + 5.0, low).pvalue
    assert 0.01 < p_mid < 0.1
    assert 0.3 <= mid.effect < 0.5
    assert mid.verdict == f"order value of A tends to be higher than of B: yes, p = {p_mid:.3f}, medium effect"


def test_small_sample_zero_variance_and_missing_value_warnings():
    res = stats.compare_two([5, 5, 5, 5], [1, 2, 3, np.nan, 4, 8], names=("flat", "few"), test="welch")
    assert res.sizes == (4, 5)
    assert res.warnings == (
        "few: ignored 1 missing or infinite value(s)",
        "small groups: flat (4), few (5) have fewer than 20 values; the p-value and effect size are imprecise",
        "flat: all 4 values are equal (zero variance)",
    )
    normal = np.random.default_rng(3)
    assert stats.compare_two(normal.normal(size=60), normal.normal(size=45), test="welch").warnings == ()


def test_welch_warns_about_strong_skew_in_small_samples():
    skewed = np.r_[np.ones(40), 500.0]
    res = stats.compare_two(skewed, np.arange(41.0), names=("X", "Y"), test="welch")
    assert any(w.startswith("X: strongly skewed (skewness 6.2)") for w in res.warnings)
    assert not any("skewed" in w for w in stats.compare_two(skewed, np.arange(41.0)).warnings)


def test_all_equal_values_give_an_undefined_test_not_a_crash():
    res = stats.compare_two([3, 3, 3], [3, 3, 3], names=("X", "Y"), test="welch")
    assert math.isnan(res.p_value) and res.magnitude == "unknown"
    assert res.effect_ci == (pytest.approx(math.nan, nan_ok=True), pytest.approx(math.nan, nan_ok=True))
    assert res.verdict.startswith("no test possible for order value between X and Y")


def test_input_errors():
    with pytest.raises(InputError, match="group 'B' has 1 value"):
        stats.compare_two([1, 2, 3], [4, np.nan])
    with pytest.raises(InputError, match="unknown two-group test"):
        stats.compare_two([1, 2], [3, 4], test="t")
    with pytest.raises(InputError, match="must contain numbers"):
        stats.compare_two(["a", "b"], [3, 4])
    with pytest.raises(InputError, match="different names"):
        stats.compare_two([1, 2], [3, 4], names=("A", "A"))
    with pytest.raises(InputError, match="alpha"):
        stats.compare_two([1, 2], [3, 4], alpha=5)
    with pytest.raises(InputError, match="at least 2 groups"):
        stats.compare_many({"A": [1, 2, 3]})


# ------------------------------------------------------------------ paired groups


PAIRED_RNG = np.random.default_rng(11)
MONTHS = pd.period_range("2023-01", periods=24, freq="M").strftime("%Y-%m")
PAIRED_A = pd.Series(np.round(PAIRED_RNG.lognormal(11, 0.5, 24), 0), index=MONTHS)
PAIRED_B = pd.Series(np.round(PAIRED_A.to_numpy() * PAIRED_RNG.lognormal(-0.1, 0.3, 24), 0), index=MONTHS)


def test_wilcoxon_equals_scipy_and_matched_pairs_rank_biserial_by_hand():
    res = stats.compare_paired(PAIRED_A, PAIRED_B, names=("repeat", "single"))
    ref = sps.wilcoxon(PAIRED_A, PAIRED_B)
    assert res.test == "Wilcoxon signed-rank test" and res.effect_name == "matched-pairs rank-biserial r"
    assert res.statistic == ref.statistic and res.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    assert res.sizes == (24, 24) and res.centers["single"]["median"] == PAIRED_B.median()
    d = PAIRED_A - PAIRED_B
    ranks = sps.rankdata(d.abs())
    assert res.effect == pytest.approx((ranks[d > 0].sum() - ranks[d < 0].sum()) / ranks.sum(), rel=1e-12)
    assert res.effect == pytest.approx(0.58) and res.effect_ci[0] < res.effect < res.effect_ci[1]
    assert res.verdict.startswith("monthly revenue of repeat tends to be higher than of single, month by month: yes, ")
    assert res.h0 == ("monthly revenue of repeat minus single, month by month, is symmetric around zero (neither "
                      "tends to be higher)")
    # differences 3, -1, 2, 0, 5, -4: the zero is dropped, ranks of |d| 3, 1, 2, 5, 4; T+ = 10, T- = 5, r = 5/15;
    # months are matched by label (the b-only month is left out)
    a = pd.Series([13, 9, 12, 10, 15, 6], index=list("uvwxyz"))
    b = pd.Series({"z": 10, "y": 10, "x": 10, "w": 10, "v": 10, "u": 10, "extra": 99})
    tiny = stats.compare_paired(a, b, pairs="pair")
    assert tiny.statistic == 5 == sps.wilcoxon(a, b.drop("extra")[a.index]).statistic
    assert tiny.effect == pytest.approx(1 / 3) and tiny.sizes == (6, 6)
    assert tiny.warnings == ("1 unit(s) without a value in both groups left out",
                             "only 6 pairs (fewer than 20); the p-value and effect size are imprecise",
                             "1 of 6 pairs have no difference and are left out of the signed-rank test")
    assert tiny.verdict.startswith("no significant difference in monthly revenue between A and B: p = ")


def test_paired_t_equals_scipy_and_cohens_dz_by_hand():
    res = stats.compare_paired(PAIRED_A, PAIRED_B, test="paired-t")
    ref = sps.ttest_rel(PAIRED_A, PAIRED_B)
    assert res.test == "paired t-test" and res.effect_name == "Cohen's d_z"
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12) and res.p_value == pytest.approx(ref.pvalue,
                                                                                                    rel=1e-12)
    # differences 1, 2, 3, 4: mean 2.5, SD sqrt(5/3)
    tiny = stats.compare_paired([2, 4, 6, 8], [1, 2, 3, 4], test="paired-t")
    assert tiny.effect == pytest.approx(2.5 / math.sqrt(5 / 3))
    assert tiny.verdict.startswith("average monthly revenue of A is higher than of B, month by month: yes, p = ")
    flat = stats.compare_paired([2, 3, 4], [1, 2, 3], test="paired-t", names=("X", "Y"))
    assert "the differences: all 3 values are equal (zero variance)" in flat.warnings
    with pytest.raises(InputError, match="at least 2 pairs"):
        stats.compare_paired(pd.Series([1.0, 2.0], index=["a", "b"]), pd.Series([1.0, np.nan], index=["a", "b"]))
    with pytest.raises(InputError, match="unknown paired test"):
        stats.compare_paired([1, 2], [3, 4], test="sign")


def test_paired_bootstrap_rows_equal_the_estimate_on_each_resample():
    d = (PAIRED_A - PAIRED_B).to_numpy()
    rows = np.stack([d, np.r_[d[:20], 0.0, 0.0, d[:2]], -d])
    expected = []
    for row in rows:
        nonzero = row[row != 0]
        ranks = sps.rankdata(np.abs(nonzero))
        expected.append((ranks[nonzero > 0].sum() - ranks[nonzero < 0].sum()) / ranks.sum())
    np.testing.assert_allclose(stats._signed_rank_rows([rows]), expected, rtol=1e-12)
    np.testing.assert_allclose(stats._dz_rows([rows]), rows.mean(axis=1) / rows.std(axis=1, ddof=1), rtol=1e-12)
    first = stats.compare_paired(PAIRED_A, PAIRED_B, seed=3)
    assert first.effect_ci == stats.compare_paired(PAIRED_A, PAIRED_B, seed=3).effect_ci
    assert first.effect_ci != stats.compare_paired(PAIRED_A, PAIRED_B, seed=4).effect_ci


# ------------------------------------------------------------------ bootstrap


def test_bootstrap_ci_is_deterministic_and_contains_the_estimate():
    rng = np.random.default_rng(7)
    a, b = rng.normal(10.5, 2, 80), rng.normal(10, 2, 70)
    for test in ("mann-whitney", "welch"):
        first = stats.compare_two(a, b, test=test, seed=3)
        assert first.effect_ci == stats.compare_two(a, b, test=test, seed=3).effect_ci
        assert first.effect_ci != stats.compare_two(a, b, test=test, seed=4).effect_ci
        low, high = first.effect_ci
        assert low < first.effect < high
        assert 0.2 < high - low < 0.9  # a 95 % interval for ~150 values is neither a point nor everything
    many = stats.compare_many({"a": a, "b": b, "c": rng.normal(11, 2, 60)}, seed=3)
    assert many.effect_ci[0] < many.effect < many.effect_ci[1]


def test_rank_bootstrap_statistics_equal_scipy_on_one_row():
    samples = [SKEWED_A, SKEWED_B, SKEWED_C]
    codes, n_codes = stats._codes(samples)
    rows = [c[None, :] for c in codes]
    h = sps.kruskal(*samples).statistic
    assert stats._epsilon_squared_rows(n_codes)(rows)[0] == pytest.approx(h / (155 - 1), rel=1e-12)
    u = sps.mannwhitneyu(SKEWED_A, SKEWED_B).statistic
    codes2, n2 = stats._codes(samples[:2])
    r = stats._rank_biserial_rows(n2)([c[None, :] for c in codes2])[0]
    assert r == pytest.approx(2 * u / (60 * 45) - 1, rel=1e-12)


def test_bootstrap_is_capped_on_large_data_and_says_so():
    rng = np.random.default_rng(1)
    a, b = rng.lognormal(6, 1, 4000), rng.lognormal(6.05, 1, 2000)
    res = stats.compare_two(a, b)
    assert res.warnings == ("effect-size CI bootstrapped on a random 5,000 of the 6,000 values, drawn "
                            "proportionally from each group (speed cap 5,000)",)
    assert res.effect_ci == stats.compare_two(a, b).effect_ci
    assert res.effect_ci[0] < res.effect < res.effect_ci[1]


# ------------------------------------------------------------------ k groups and corrections


def test_kruskal_equals_scipy_with_pairwise_mann_whitney_and_epsilon_squared_by_hand():
    samples = {"A": SKEWED_A, "B": SKEWED_B, "C": SKEWED_C}
    res = stats.compare_many(samples, correction="bh")
    ref = sps.kruskal(SKEWED_A, SKEWED_B, SKEWED_C)
    assert res.test == "Kruskal-Wallis H" and res.effect_name == "ε²"
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    pairs = res.pairwise
    assert list(zip(pairs.group_a, pairs.group_b)) == [("A", "B"), ("A", "C"), ("B", "C")]
    expected = [sps.mannwhitneyu(samples[x], samples[y]).pvalue for x, y in zip(pairs.group_a, pairs.group_b)]
    np.testing.assert_allclose(pairs.p_value, expected, rtol=1e-12)
    np.testing.assert_allclose(pairs.p_adjusted, sps.false_discovery_control(expected), rtol=1e-12)
    # ranks 1..6 in pairs: rank sums 3, 7, 11; H = 12/42 * (9 + 49 + 121)/2 - 21 = 32/7; ε² = H/5
    tiny = stats.compare_many({"x": [1, 2], "y": [3, 4], "z": [5, 6]})
    assert tiny.statistic == pytest.approx(32 / 7)
    assert tiny.effect == pytest.approx(32 / 35)


def test_anova_equals_scipy_with_welch_pairs_and_eta_squared_by_hand():
    res = stats.compare_many({"A": SKEWED_A, "B": SKEWED_B, "C": SKEWED_C}, test="anova")
    ref = sps.f_oneway(SKEWED_A, SKEWED_B, SKEWED_C)
    assert res.test == "one-way ANOVA" and res.effect_name == "η²"
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    welch = sps.ttest_ind(SKEWED_A, SKEWED_C, equal_var=False)
    row = res.pairwise.iloc[1]
    assert (row.group_a, row.group_b, row.test) == ("A", "C", "Welch's t-test")
    assert row.statistic == pytest.approx(welch.statistic, rel=1e-12)
    # grand mean 3.5; SS_between = 3 * 1.5² * 2 = 13.5; SS_total = 17.5
    tiny = stats.compare_many({"x": [1, 2, 3], "y": [4, 5, 6]}, test="anova")
    assert tiny.effect == pytest.approx(13.5 / 17.5)


def test_k_group_verdict_lists_the_pairs_that_differ():
    base = np.arange(30.0)
    res = stats.compare_many({"low": base, "same": base + 1, "high": base + 40})
    assert res.verdict.startswith("order value differs across low, same, high: yes, p < 0.001, large effect; "
                                  "pairs that differ after Holm correction: ")
    assert "high > low (p < 0.001)" in res.verdict and "high > same (p < 0.001)" in res.verdict
    assert "same > low" not in res.verdict
    assert res.pairwise.significant.tolist() == [False, True, True]
    flat = stats.compare_many({"a": base, "b": base + 1, "c": base - 1}, metric_label="items per order")
    p = sps.kruskal(base, base + 1, base - 1).pvalue
    assert flat.verdict == f"no significant difference in items per order across a, b, c: p = {p:.2f}"


def test_anova_warns_about_unequal_spreads():
    rng = np.random.default_rng(0)
    res = stats.compare_many({"a": rng.normal(0, 1, 30), "b": rng.normal(0, 5, 30)}, test="anova")
    assert any(w.startswith("group standard deviations differ") for w in res.warnings)


def test_holm_and_bh_against_known_vectors():
    p = [0.01, 0.04, 0.03, 0.005]
    # Holm: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 -> running max 0.06
    np.testing.assert_allclose(stats.adjust_pvalues(p, "holm"), [0.03, 0.06, 0.06, 0.02])
    # BH: sorted times 4/1, 4/2, 4/3, 4/4 = 0.02, 0.02, 0.04, 0.04 -> running min from the top
    np.testing.assert_allclose(stats.adjust_pvalues(p, "bh"), [0.02, 0.04, 0.04, 0.02])
    np.testing.assert_allclose(stats.adjust_pvalues([0.6, 0.7], "holm"), [1.0, 1.0])  # 1.2 capped, running max
    random_p = np.random.default_rng(5).uniform(0, 0.2, 25)
    np.testing.assert_allclose(stats.adjust_pvalues(random_p, "bh"), sps.false_discovery_control(random_p))
    np.testing.assert_allclose(stats.adjust_pvalues([0.01, np.nan, 0.04], "holm"), [0.02, np.nan, 0.04])
    with pytest.raises(InputError, match="unknown correction"):
        stats.adjust_pvalues(p, "bonferroni")


def test_magnitude_thresholds():
    assert [stats.magnitude("Cohen's d", v) for v in (0.19, -0.2, 0.79, 0.8)] == [
        "negligible", "small", "medium", "large"]
    assert [stats.magnitude("rank-biserial r", v) for v in (0.09, 0.1, -0.3, 0.5)] == [
        "negligible", "small", "medium", "large"]
    assert [stats.magnitude("η²", v) for v in (0.009, 0.01, 0.06, 0.14)] == ["negligible", "small", "medium", "large"]
    # Cramér's V for a table with 3 rows or columns at least: thresholds / sqrt(2)
    assert [stats.magnitude(stats.CRAMERS_V, v, 3) for v in (0.07, 0.071, 0.22, 0.36)] == [
        "negligible", "small", "medium", "large"]


# ------------------------------------------------------------------ categorical


def test_chi_square_equals_scipy_and_cramers_v_by_hand():
    table = pd.DataFrame([[10, 20], [30, 40]], index=pd.Index(["plants", "kitchen"], name="category"),
                         columns=pd.Index(["Champions", "Loyal"], name="segment"))
    res = stats.chi_square(table)
    ref = sps.chi2_contingency(table.to_numpy(), correction=False)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    # 2 × 2: plain V = |ad − bc| / sqrt(row and column totals) = 200 / sqrt(30 * 70 * 40 * 60) = 0.089 is scipy's;
    # its φ² = 0.0079 is below the bias (2 − 1)(2 − 1)/(n − 1) = 1/99, so the corrected V is 0
    plain = 200 / math.sqrt(30 * 70 * 40 * 60)
    assert sps.contingency.association(table.to_numpy(), method="cramer") == pytest.approx(plain)
    assert res.effect_name == "bias-corrected Cramér's V" and res.effect == 0.0 and res.magnitude == "negligible"
    assert res.effect_ci[0] == 0.0 <= res.effect_ci[1]
    assert res.groups == ("Champions", "Loyal") and res.sizes == (40, 60)
    assert res.centers["Champions"] == {"plants": 0.25, "kitchen": 0.75}
    assert res.verdict == f"no significant difference in category mix across segment groups: p = {ref.pvalue:.2f}"
    assert res.warnings == ()

    big = sps.chi2_contingency(np.array([[30, 5, 12], [10, 25, 14], [8, 9, 30]]), correction=False)
    res3 = stats.chi_square(pd.DataFrame([[30, 5, 12], [10, 25, 14], [8, 9, 30]]))
    assert res3.statistic == pytest.approx(big.statistic, rel=1e-12)
    # Bergsma: φ̃² = χ²/143 − 2·2/142, r̃ = c̃ = 3 − 2²/142
    assert res3.effect == pytest.approx(math.sqrt((big.statistic / 143 - 4 / 142) / (3 - 4 / 142 - 1)), rel=1e-12)
    assert res3.effect < sps.contingency.association(np.array([[30, 5, 12], [10, 25, 14], [8, 9, 30]]))
    assert res3.verdict.startswith(f"rows mix differs across columns groups: yes, p < 0.001, {res3.magnitude} effect;"
                                   " biggest difference: ")


def test_cramers_v_interval_contains_the_estimate_on_a_sparse_table():
    # 8 × 6 cells for 340 customers, a weak diagonal: resampling the observed table puts even the corrected V of the
    # resamples above the estimate; the shrunk table's resamples do not
    counts = np.full((8, 6), 6)
    counts[np.arange(6), np.arange(6)] = 14
    counts[6], counts[7] = [5, 7, 6, 8, 6, 5], [9, 6, 5, 6, 7, 6]
    res = stats.chi_square(pd.DataFrame(counts), seed=1)
    chi2 = sps.chi2_contingency(counts, correction=False).statistic
    assert res.effect == pytest.approx(math.sqrt((chi2 / 340 - 7 * 5 / 339) / (6 - 25 / 339 - 1)), rel=1e-12)
    observed = stats._cramers_v_rows(np.random.default_rng(1).multinomial(340, counts.ravel() / 340, 2000)
                                     .reshape(-1, 8, 6))
    assert np.percentile(observed, 2.5) > res.effect                 # the bias the shrunk table removes
    low, high = res.effect_ci
    assert low <= res.effect < high
    assert (round(res.effect, 4), round(low, 4), round(high, 4)) == (0.0808, 0.0, 0.1474)
    assert res.effect_ci == stats.chi_square(pd.DataFrame(counts), seed=1).effect_ci
    stronger = counts.copy()
    stronger[np.arange(6), np.arange(6)] = 26
    strong = stats.chi_square(pd.DataFrame(stronger), seed=1)
    assert strong.effect_ci[0] < strong.effect < strong.effect_ci[1]
    # no association at all: the corrected V is 0 and the interval starts at 0
    flat = stats.chi_square(pd.DataFrame([[20, 20], [30, 30]]))
    assert flat.effect == 0.0 and flat.effect_ci[0] == 0.0 < flat.effect_ci[1]


def test_chi_square_from_two_series_and_expected_count_warning():
    category = pd.Series(["plants"] * 6 + ["kitchen"] * 6 + ["bath"] * 3, index=[f"c{i}" for i in range(15)])
    segment = pd.Series(["new", "loyal"] * 7 + ["new"], index=[f"c{i}" for i in range(15)])
    segment["c99"] = "loyal"  # not in category: dropped by the index alignment
    res = stats.chi_square(category, segment, names=("category", "segment"))
    table = pd.crosstab(category, segment.loc[category.index])
    ref = sps.chi2_contingency(table.to_numpy(), correction=False)
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert res.sizes == (7, 8)
    assert res.warnings[0] == (f"6 of 6 cells (100%) have an expected count below 5 (smallest "
                               f"{ref.expected_freq.min():.1f}); the chi-square p-value may be inaccurate, merge "
                               "small categories or groups")
    assert res.warnings[1] == "small groups: loyal (7), new (8) have fewer than 20 observations"


def test_chi_square_rejects_bad_tables():
    with pytest.raises(InputError, match="at least 2 categories and 2 groups"):
        stats.chi_square(pd.DataFrame([[3, 0], [4, 0]]))
    with pytest.raises(InputError, match="non-negative counts"):
        stats.chi_square(pd.DataFrame([[3, -1], [4, 2]]))


def test_two_proportions_equals_uncorrected_chi_square_and_cohens_h_by_hand():
    res = stats.two_proportions([50, 25], [100, 100], names=("email", "no email"))
    ref = sps.chi2_contingency([[50, 50], [25, 75]], correction=False)
    assert res.statistic ** 2 == pytest.approx(ref.statistic, rel=1e-12)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert res.effect == pytest.approx(math.pi / 6)  # 2·asin√0.5 − 2·asin√0.25 = π/2 − π/3
    assert res.verdict == ("repeat rate of email is higher than of no email: yes, p < 0.001, medium effect "
                           "(50.0% vs 25.0%)")
    assert res.effect_ci[0] < res.effect < res.effect_ci[1]
    small = stats.two_proportions([1, 3], [10, 12])
    assert small.warnings[0] == "small groups: A (10), B (12) have fewer than 20 observations"
    assert small.warnings[1].startswith("fewer than 5 expected successes or failures")
    with pytest.raises(InputError, match="two whole success counts"):
        stats.two_proportions([5, 30], [10, 20])
    russian = stats.two_proportions([50, 25], [100, 100], names=("Champions", "Lost"), lang="ru")
    assert russian.question == "Различается ли «доля повторных клиентов» у групп Чемпионы и Потерянные?"
    assert russian.h0 == "показатель «доля повторных клиентов» одинаков у Чемпионы и Потерянные"
    assert russian.verdict == ("показатель «доля повторных клиентов» у Чемпионы выше, чем у Потерянные: да, "
                               "p < 0.001, эффект средний (50,0\u00a0% против 25,0\u00a0%)")


# ------------------------------------------------------------------ builder


@pytest.fixture
def lines() -> pd.DataFrame:
    rows = [  # date, customer, order, product, quantity, price, category
        ("2024-01-05", "c1", "o1", "rose", 2, 100.0, "plants"),
        ("2024-01-05", "c1", "o1", "pan", 1, 500.0, "kitchen"),
        ("2024-03-10", "c1", "o2", "rose", 1, 100.0, "plants"),
        ("2024-01-20", "c2", "o3", "pan", 3, 500.0, "kitchen"),
        ("2024-03-31", "c3", "o4", "basil", 4, 50.0, "plants"),
        ("2024-04-01", "c3", "o4", "rose", 1, 100.0, "plants"),
    ]
    df = pd.DataFrame(rows, columns=["date", "customer_id", "order_id", "product", "quantity", "price", "category"])
    df["date"] = pd.to_datetime(df["date"])
    df["revenue"] = df["quantity"] * df["price"]
    return df


def _values(frame: pd.DataFrame) -> dict[str, list[float]]:
    return {g: sorted(v) for g, v in frame.groupby("group")["value"]}


def test_metric_samples_units(lines):
    segments = pd.Series({"c1": "Champions", "c2": "Loyal"})  # c3 has no segment
    assert _values(stats.metric_samples(lines, "order_value", segments)) == {
        "Champions": [100.0, 700.0], "Loyal": [1500.0]}
    assert _values(stats.metric_samples(lines, "items_per_order", "repeat")) == {
        stats.REPEAT: [1.0, 3.0], stats.SINGLE: [3.0, 5.0]}
    assert _values(stats.metric_samples(lines, "orders_per_customer", "repeat")) == {
        stats.REPEAT: [2.0], stats.SINGLE: [1.0, 1.0]}
    assert _values(stats.metric_samples(lines, "revenue_per_customer", segments)) == {
        "Champions": [800.0], "Loyal": [1500.0]}
    # a line-level grouping splits an order: o1 is 200 of plants and 500 of kitchen
    assert _values(stats.metric_samples(lines, "order_value", "category")) == {
        "kitchen": [500.0, 1500.0], "plants": [100.0, 200.0, 300.0]}
    assert _values(stats.metric_samples(lines, "revenue_per_product", "category")) == {
        "kitchen": [2000.0], "plants": [200.0, 400.0]}
    # o4 spans March and April and counts in March, its first month; February has no orders and counts as 0
    monthly = stats.metric_samples(lines, "monthly_revenue", "repeat")
    assert monthly[monthly.group == stats.SINGLE]["value"].tolist() == [1500.0, 0.0, 300.0]
    assert monthly[monthly.group == stats.REPEAT]["value"].tolist() == [700.0, 0.0, 100.0]
    assert _values(stats.metric_samples(lines, "order_value", "month")) == {
        "2024-01": [700.0, 1500.0], "2024-03": [100.0, 300.0]}
    assert list(stats.metric_samples(lines, "order_value", segments).columns) == ["value", "group"]


def test_metric_samples_errors(lines):
    with pytest.raises(InputError, match="unknown metric"):
        stats.metric_samples(lines, "aov", "repeat")
    with pytest.raises(InputError, match="unknown grouping"):
        stats.metric_samples(lines, "order_value", "colour")
    with pytest.raises(InputError, match="one value per group"):
        stats.metric_samples(lines, "monthly_revenue", "month")
    with pytest.raises(InputError, match="lack column"):
        stats.metric_samples(lines.drop(columns="revenue"), "order_value", "repeat")
    with pytest.raises(InputError, match="no order line has a group label"):
        stats.metric_samples(lines, "order_value", pd.Series({"x": "Champions"}))


def test_compare_metric_chooses_the_test(lines):
    two = stats.compare_metric(lines, "order_value", "category")
    assert two.test == "Mann-Whitney U" and two.groups == ("kitchen", "plants")
    assert two.statistic == sps.mannwhitneyu([500.0, 1500.0], [100.0, 200.0, 300.0]).statistic
    assert stats.compare_metric(lines, "order_value", "category", parametric=True).test == "Welch's t-test"
    # monthly revenue of both groups is known for the same months (January, February, March): paired
    monthly = stats.compare_metric(lines, "monthly_revenue", "repeat", [stats.REPEAT, stats.SINGLE])
    ref = sps.wilcoxon([700.0, 0.0, 100.0], [1500.0, 0.0, 300.0])
    assert monthly.test == "Wilcoxon signed-rank test" and monthly.sizes == (3, 3)
    assert (monthly.statistic, monthly.p_value) == (ref.statistic, ref.pvalue) and monthly.effect == -1.0
    paired_t = stats.compare_metric(lines, "monthly_revenue", "repeat", parametric=True)
    assert paired_t.test == "paired t-test" and paired_t.groups == (stats.REPEAT, stats.SINGLE)
    assert paired_t.statistic == pytest.approx(sps.ttest_rel([700.0, 0.0, 100.0], [1500.0, 0.0, 300.0]).statistic)
    with pytest.raises(InputError, match="no order value data for group"):
        stats.compare_metric(lines, "order_value", "category", groups=["plants", "garden"])


def test_results_frame_has_one_row_per_test_and_pairwise_rows():
    two = stats.compare_two(SKEWED_A, SKEWED_B, names=("Champions", "Loyal"))
    many = stats.compare_many({"A": SKEWED_A, "B": SKEWED_B, "C": SKEWED_C})
    frame = stats.results_frame([two, many])
    assert list(frame.columns) == stats.RESULT_COLUMNS and frame.shape == (5, 18)
    assert (frame.loc[0, "h0"], frame.loc[0, "h1"]) == (two.h0, two.h1)
    assert frame.loc[0, "groups"] == "Champions vs Loyal"
    assert frame.loc[0, "n_per_group"] == "Champions: 60; Loyal: 45"
    assert frame.loc[0, "effect_size"] == "rank-biserial r"
    assert (frame.loc[0, "effect_ci_low"], frame.loc[0, "effect_ci_high"]) == two.effect_ci
    assert frame.loc[0, "centers"].startswith(f"Champions: median {np.median(SKEWED_A):,.2f}, mean ")
    assert math.isnan(frame.loc[0, "p_adjusted"])
    assert frame.loc[1, "groups"] == "A, B, C"
    assert frame.loc[2:, "groups"].tolist() == ["A vs B", "A vs C", "B vs C"]
    np.testing.assert_allclose(frame.loc[2:, "p_adjusted"], many.pairwise.p_adjusted)
    assert frame.loc[2, "question"] == f"{many.question} (pairwise)"
    # pairwise rows: hypotheses and centres of their two groups, the bootstrap interval of their effect
    assert frame.loc[3, "h0"] == "order value of A and C has the same distribution (neither tends to be higher)"
    assert frame.loc[3, "centers"] == (f"A: median {np.median(SKEWED_A):,.2f}, mean {SKEWED_A.mean():,.2f}; "
                                       f"C: median {np.median(SKEWED_C):,.2f}, mean {SKEWED_C.mean():,.2f}")
    for row, (x, y) in zip(frame.loc[2:].itertuples(), [(SKEWED_A, SKEWED_B), (SKEWED_A, SKEWED_C),
                                                          (SKEWED_B, SKEWED_C)]):
        alone = stats.compare_two(x, y)                      # the same pair on its own: the same interval up to noise
        assert row.effect == alone.effect and row.effect_ci_low < row.effect < row.effect_ci_high
        assert (row.effect_ci_low, row.effect_ci_high) == pytest.approx(alone.effect_ci, abs=0.03)
    assert frame.loc[2:, "verdict"].tolist() == [
        f"A > B: yes, adjusted {stats.format_p(many.pairwise.p_adjusted[0])}",
        f"A > C: yes, adjusted {stats.format_p(many.pairwise.p_adjusted[1])}",
        f"no significant difference between B and C, adjusted {stats.format_p(many.pairwise.p_adjusted[2])}"]
    np.testing.assert_allclose(frame.loc[2:, ["effect_ci_low", "effect_ci_high"]],
                               many.pairwise[["effect_ci_low", "effect_ci_high"]])
    assert stats.results_frame([many]).equals(stats.results_frame([stats.compare_many(
        {"A": SKEWED_A, "B": SKEWED_B, "C": SKEWED_C})]))                                    # deterministic


def test_results_frame_columns_flow_into_the_excel_tests_sheet():
    from core import export
    result = stats.compare_many({"A": SKEWED_A, "B": SKEWED_B, "C": SKEWED_C}, correction="bh")
    frame = export.tests_table([result])
    assert list(frame.columns) == stats.RESULT_COLUMNS and len(frame) == 4
    columns = {c.name: (c.header, c.kind) for c in export._test_columns(frame, "en")}
    assert columns["h0"] == ("H0 (null hypothesis)", "text") and columns["centers"] == ("Centers", "text")
    assert columns["effect_ci_low"] == ("Effect CI low", "number")
    assert frame["effect_ci_low"].notna().all() and frame["h1"].str.len().gt(0).all()


def test_results_and_pairwise_texts_in_russian():
    base = np.arange(30.0)
    many = stats.compare_many({"Champions": base, "Lost": base + 40, "New": base + 1}, "сумма заказа", lang="ru")
    frame = stats.results_frame([many], lang="ru")
    assert frame.loc[0, "groups"] == "Чемпионы, Потерянные, Новые"
    assert frame.loc[0, "centers"].startswith("Чемпионы: медиана 14,50, среднее 14,50; Потерянные: медиана 54,50")
    assert frame.loc[1, "question"] == f"{many.question} (попарно)"
    assert frame.loc[1, "groups"] == "Чемпионы против Потерянные"
    assert frame.loc[1, "verdict"] == "Потерянные > Чемпионы: да, с поправкой p < 0.001"
    assert frame.loc[2, "verdict"].startswith("значимой разницы между Чемпионы и Новые нет, с поправкой p = ")
    assert frame.loc[1, "h0"] == ("распределение «сумма заказа» у Чемпионы и Потерянные одинаково (ни одна группа не "
                                  "склонна к большим значениям)")
    pairs = stats.pairwise_table(many, lang="ru")
    assert pairs["Higher group"].tolist() == ["Потерянные > Чемпионы", "нет разницы", "Потерянные > Новые"]


# ------------------------------------------------------------------ research preset on real data


@pytest.fixture(scope="module")
def practicum(shared_datasets) -> pd.DataFrame:
    df = pd.read_csv(PRACTICUM_UPD, dtype={"customer_id": str, "order_id": str})
    df["date"] = pd.to_datetime(df["date"].astype(str), format="%Y%m%d%H")
    df["revenue"] = df["quantity"] * df["price"]
    df["category"] = np.where(df["product"].str.contains("рассад", case=False), "seedlings", "other")
    return df


@pytest.fixture(scope="module")
def home_goods(shared_datasets) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The shared home-goods file as the app reads it (default settings): its lines and the customer table
    (segment, lifecycle, dominant_category, ...) indexed by customer_id."""
    analysis = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, Settings())
    return analysis.lines, analysis.segmentation.customers.set_index("customer_id")


def test_cramers_v_interval_contains_the_estimate_on_the_home_goods_file(home_goods):
    lines, customers = home_goods
    segments = customers["segment"]
    q2 = stats.research_preset(lines, segments)[1]
    by_month = stats.compare_mix(lines, "month")
    # before the fix: plain V 0.1384 with CI (0.1385, 0.1656) and 0.1043 with (0.1117, 0.1300), above the estimate
    for res, grouping, expected in ((q2, segments, (0.12, 0.101, 0.1331)),
                                    (by_month, "month", (0.0816, 0.0674, 0.0905))):
        samples = stats.mix_samples(lines, grouping)
        table = pd.crosstab(samples["value"], samples["group"]).to_numpy()
        n, (rows, cols) = table.sum(), table.shape
        chi2 = sps.chi2_contingency(table, correction=False).statistic
        assert res.statistic == pytest.approx(chi2, rel=1e-9)
        corrected = (chi2 / n - (rows - 1) * (cols - 1) / (n - 1)) / (min(rows - (rows - 1) ** 2 / (n - 1),
                                                                           cols - (cols - 1) ** 2 / (n - 1)) - 1)
        assert res.effect == pytest.approx(math.sqrt(corrected), rel=1e-12)
        assert res.effect_ci[0] < res.effect < res.effect_ci[1]
        assert (round(res.effect, 4), *np.round(res.effect_ci, 4)) == expected


def test_research_preset_on_practicum(practicum):
    spend = practicum.groupby("customer_id")["revenue"].sum()
    segments = pd.qcut(spend, 3, labels=["low", "mid", "high"]).astype(str)
    results = stats.research_preset(practicum, segments)
    assert len(results) == 4
    for r in results:
        assert all(math.isfinite(x) for x in (r.statistic, r.p_value, r.effect, *r.effect_ci, r.p_adjusted))
    q1, q2, q3, q4 = results
    # Q1: the two segments with most customers, order values computed independently here
    assert segments.value_counts().index[:2].tolist() == ["mid", "low"]
    orders = practicum.assign(segment=practicum.customer_id.map(segments)).groupby(
        ["segment", "order_id"])["revenue"].sum()
    ref = sps.mannwhitneyu(orders["mid"], orders["low"])
    assert q1.groups == ("mid", "low") and q1.sizes == (len(orders["mid"]), len(orders["low"]))
    assert q1.statistic == ref.statistic and q1.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert q2.test == "chi-square test of independence" and q2.groups == ("high", "low", "mid")
    assert sum(q2.sizes) == practicum.customer_id.nunique() == 2451
    assert q3.groups == (stats.REPEAT, stats.SINGLE) and q3.sizes == (16, 16)  # 2018-10 .. 2020-01
    month = practicum.groupby("order_id")["date"].transform("min").dt.strftime("%Y-%m")
    repeat = practicum.groupby("customer_id")["order_id"].transform("nunique") > 1
    monthly = practicum.groupby([month, repeat])["revenue"].sum().unstack(fill_value=0)
    ref = sps.wilcoxon(monthly[True], monthly[False])
    assert q3.test == "Wilcoxon signed-rank test" and len(monthly) == 16
    assert q3.statistic == ref.statistic and q3.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    assert q4.groups == ("other", "seedlings") and sum(q4.sizes) == practicum["product"].nunique() == 2343
    np.testing.assert_allclose([r.p_adjusted for r in results],
                               stats.adjust_pvalues([r.p_value for r in results], "holm"))
    assert q1.verdict.endswith("; after Holm correction over the 4 questions p < 0.001: still significant")
    frame = stats.results_frame(results)
    assert frame["question"].str[:2].tolist() == ["Q1", "Q2", "Q3", "Q4"]


def test_compare_metric_k_groups_on_practicum(practicum):
    res = stats.compare_metric(practicum, "items_per_order", "month", correction="bh")
    items = practicum.assign(month=practicum.groupby("order_id")["date"].transform("min").dt.strftime("%Y-%m"))
    per_order = items.groupby(["month", "order_id"])["quantity"].sum()
    months = sorted(per_order.index.get_level_values("month").unique())
    ref = sps.kruskal(*(per_order[m] for m in months))
    assert res.test == "Kruskal-Wallis H" and res.groups == tuple(months) and len(months) == 16
    assert res.statistic == pytest.approx(ref.statistic, rel=1e-9)
    assert res.p_value == pytest.approx(ref.pvalue, rel=1e-9)
    assert len(res.pairwise) == 16 * 15 // 2
    assert res.verdict.startswith("items per order differs across the 16 groups: yes, p < 0.001, ")


# ------------------------------------------------------------------ helpers of the Tests page


def test_format_p_and_statistic_for_people():
    assert [stats.format_p(p) for p in (0.0, 0.0004, 0.003, 0.0456, 0.41, float("nan"), None)] == [
        "p < 0.001", "p < 0.001", "p = 0.003", "p = 0.046", "p = 0.41", "p = –", "p = –"]
    assert [stats.format_statistic(v) for v in (277600.0, 73593.5, 38.4612, -3.14159, 0.012345, float("inf"))] == [
        "277,600", "73,593.5", "38.46", "-3.14", "0.0123", "–"]


def test_group_sizes_largest_first_ties_by_label():
    samples = pd.DataFrame({"value": range(7), "group": ["b", "a", "c", "c", "b", "a", "c"]})
    assert stats.group_sizes(samples).to_dict() == {"c": 3, "a": 2, "b": 2}
    assert list(stats.group_sizes(samples).index) == ["c", "a", "b"]


def test_mix_samples_counts_customers_or_orders_by_their_main_category(lines):
    segments = pd.Series({"c1": "Champions", "c2": "Loyal", "c3": "Loyal"})
    # c1: kitchen 500 > plants 300; c2: kitchen; c3: plants
    per_customer = stats.mix_samples(lines, segments).sort_values(["group", "value"]).reset_index(drop=True)
    assert per_customer.to_dict("list") == {"value": ["kitchen", "kitchen", "plants"],
                                            "group": ["Champions", "Loyal", "Loyal"]}
    # per order: o1 kitchen (500 > 200), o2 plants, o3 kitchen, o4 plants; o4 is a March order
    per_order = stats.mix_samples(lines, "month")
    assert sorted(zip(per_order["group"], per_order["value"])) == [
        ("2024-01", "kitchen"), ("2024-01", "kitchen"), ("2024-03", "plants"), ("2024-03", "plants")]
    with pytest.raises(InputError, match="category itself"):
        stats.mix_samples(lines, "category")
    with pytest.raises(InputError, match="lack column"):
        stats.mix_samples(lines.drop(columns="category"), "repeat")


def test_repeat_rate_between_groups_equals_scipy(home_goods):
    lines, customers = home_goods
    category = customers["dominant_category"]
    repeat = lines.groupby("customer_id")["order_id"].nunique() >= 2
    counts = pd.crosstab(category.reindex(repeat.index), repeat)
    pair = ("Хранение и хозяйство", "Растения и рассада")
    two = stats.compare_repeat_rate(lines, category, pair, "dominant category")
    chi2, p, _, _ = sps.chi2_contingency(counts.loc[list(pair)], correction=False)
    assert two.test == "two-proportion z-test" and two.groups == pair
    assert two.sizes == tuple(counts.loc[list(pair)].sum(axis=1))
    assert two.statistic ** 2 == pytest.approx(chi2, rel=1e-9) and two.p_value == pytest.approx(p, rel=1e-9)
    shares = counts.loc[list(pair), True] / counts.loc[list(pair)].sum(axis=1)
    assert [two.centers[g]["proportion"] for g in pair] == pytest.approx(shares.tolist())
    assert two.effect == pytest.approx(2 * math.asin(math.sqrt(shares.iloc[0])) - 2 * math.asin(math.sqrt(
        shares.iloc[1])))
    every = stats.compare_repeat_rate(lines, category, grouping_label="dominant category")
    chi2, p, _, _ = sps.chi2_contingency(counts.T, correction=False)
    assert every.test == "chi-square test of independence" and len(every.groups) == len(counts) == 13
    assert every.statistic == pytest.approx(chi2, rel=1e-9) and every.p_value == pytest.approx(p, rel=1e-9)
    assert every.question == "Does repeat rate differ across the 13 dominant category groups?"
    assert every.warnings[0].startswith("2 of 26 cells (8%) have an expected count below 5")
    with pytest.raises(InputError, match="repeat cannot be grouped by repeat itself"):
        stats.compare_repeat_rate(lines, "repeat")


def test_chi_square_between_two_customer_groupings(home_goods, lines):
    home, customers = home_goods
    segments, lifecycle = customers["segment"], customers["lifecycle"]
    res = stats.compare_mix(home, segments, grouping_label="segment", variable=lifecycle,
                            variable_label="single vs repeat")
    table = pd.crosstab(lifecycle.astype(str), segments.astype(str))
    chi2, p, _, _ = sps.chi2_contingency(table, correction=False)
    assert res.statistic == pytest.approx(chi2, rel=1e-9) and res.p_value == pytest.approx(p, rel=1e-9)
    assert res.groups == tuple(table.columns) and res.sizes == tuple(table.sum())
    assert res.question == "Does the single vs repeat mix differ across segment groups?"
    # a line column against a customer grouping counts customers by the value they spent most on
    with_country = lines.assign(country=["UK", "UK", "FR", "DE", "DE", "FR"])     # c3: 200 in DE, 100 in FR
    segment = pd.Series({"c1": "Champions", "c2": "Loyal", "c3": "Loyal"})
    samples = stats.mix_samples(with_country, segment, "country")
    assert samples.to_dict("list") == {"value": ["UK", "DE", "DE"], "group": ["Champions", "Loyal", "Loyal"]}
    assert stats.mix_samples(with_country, "country", segment).to_dict("list") == {
        "value": ["Champions", "Loyal", "Loyal"], "group": ["UK", "DE", "DE"]}
    with pytest.raises(InputError, match="lack column"):
        stats.mix_samples(lines, segment, "country")


def test_compare_mix_equals_scipy_and_the_preset_question_on_practicum(practicum):
    spend = practicum.groupby("customer_id")["revenue"].sum()
    segments = pd.qcut(spend, 3, labels=["low", "mid", "high"]).astype(str)
    q2 = stats.research_preset(practicum, segments)[1]
    mix = stats.compare_mix(practicum, segments, grouping_label="segment")
    assert (mix.statistic, mix.p_value, mix.sizes) == (q2.statistic, q2.p_value, q2.sizes)
    two = stats.compare_mix(practicum, segments, ["high", "low"], "segment", alpha=0.01)
    samples = stats.mix_samples(practicum, segments)
    samples = samples[samples.group.isin(["high", "low"])]
    chi2, p, _, _ = sps.chi2_contingency(pd.crosstab(samples.value, samples.group), correction=False)
    assert two.statistic == pytest.approx(chi2, rel=1e-12) and two.p_value == pytest.approx(p, rel=1e-9)
    assert two.groups == ("high", "low") and two.alpha == 0.01
    assert two.question == "Does the category mix (customers by their main category) differ across high, low?"
    with pytest.raises(InputError, match="no category mix data for group"):
        stats.compare_mix(practicum, segments, ["high", "nobody"])


def test_distribution_summary_median_interval_and_whiskers():
    values = np.arange(1.0, 21.0)                       # 1..20, median 10.5
    frame = pd.DataFrame({"value": np.r_[values, [1.0, 2.0, 3.0, 100.0]],
                          "group": ["a"] * 20 + ["b"] * 4})
    summary = stats.distribution_summary(frame, ["b", "a"]).set_index("group")
    a = summary.loc["a"]
    assert a["n"] == 20 and a["median"] == 10.5 and a["mean"] == 10.5
    # n = 20, 95 %: the 6th and 15th order statistics (coverage 1 - 2 P(Bin(20, ½) <= 5) = 0.959)
    assert (a["median_low"], a["median_high"]) == (6.0, 15.0)
    assert (a["q1"], a["q3"]) == tuple(np.percentile(values, [25, 75]))
    assert (a["whisker_low"], a["whisker_high"], a["min"], a["max"]) == (1.0, 20.0, 1.0, 20.0)
    b = summary.loc["b"]
    assert b["whisker_high"] == 3.0 and b["max"] == 100.0          # 100 is an outlier beyond 1.5 IQR
    assert (b["median_low"], b["median_high"]) == (1.0, 100.0)     # tiny group: the whole range
    assert list(summary.index) == ["b", "a"]


def test_sample_points_keeps_small_data_and_caps_large_data():
    small = pd.DataFrame({"value": np.arange(10.0), "group": ["a"] * 5 + ["b"] * 5})
    points = stats.sample_points(small)
    assert len(points) == 10 and points["jitter"].abs().max() <= 0.3
    large = pd.DataFrame({"value": np.arange(5000.0), "group": ["a"] * 4950 + ["b"] * 50})
    capped = stats.sample_points(large, max_points=1000)
    assert capped.groupby("group").size().to_dict() == {"a": 990, "b": 30}
    assert capped["value"].is_unique
    pd.testing.assert_frame_equal(capped, stats.sample_points(large, max_points=1000))   # deterministic


def test_preset_choices_and_research_samples_match_the_preset(practicum):
    spend = practicum.groupby("customer_id")["revenue"].sum()
    segments = pd.qcut(spend, 3, labels=["low", "mid", "high"]).astype(str)
    ranked_segments, ranked_categories = stats.preset_choices(practicum, segments)
    results = stats.research_preset(practicum, segments)
    assert tuple(ranked_segments[:2]) == results[0].groups and sorted(ranked_segments) == ["high", "low", "mid"]
    assert set(ranked_categories[:2]) == set(results[3].groups)
    samples = stats.research_samples(practicum, segments, results)
    mix = pd.crosstab(samples[1]["value"], samples[1]["group"])
    assert results[1].statistic == pytest.approx(sps.chi2_contingency(mix, correction=False).statistic, rel=1e-12)
    assert tuple(mix.columns) == results[1].groups and tuple(mix.sum()) == results[1].sizes
    for result, frame in (pair for i, pair in enumerate(zip(results, samples)) if i != 1):     # Q1, Q3, Q4
        split = {g: frame.loc[frame.group == g, "value"] for g in result.groups}
        paired = result.test == "Wilcoxon signed-rank test"                 # Q3: the same months, in order
        ref = sps.wilcoxon(*split.values()) if paired else sps.mannwhitneyu(*split.values())
        assert result.statistic == ref.statistic and result.p_value == pytest.approx(ref.pvalue, rel=1e-9)
        assert tuple(len(v) for v in split.values()) == result.sizes


def _tidy_counts(table: pd.DataFrame) -> pd.DataFrame:
    """A (value = row label, group = column label) frame with one row per count of ``table``."""
    counts = table.stack()
    return pd.DataFrame({"value": counts.index.get_level_values(0).repeat(counts),
                         "group": counts.index.get_level_values(1).repeat(counts)})


def test_mix_shares_pairwise_and_results_tables():
    table = pd.DataFrame([[30, 10], [10, 30]], index=["plants", "kitchen"], columns=["A", "B"])
    chi = stats.chi_square(table)
    shares = stats.mix_shares(_tidy_counts(table), ["B", "A"])
    assert shares.to_dict("list") == {"group": ["B", "B", "A", "A"], "category": ["kitchen", "plants"] * 2,
                                      "share": [0.75, 0.25, 0.25, 0.75], "count": [30, 10, 10, 30]}
    assert stats.mix_shares(_tidy_counts(table))["group"].tolist() == ["A", "A", "B", "B"]
    many = stats.compare_many({"A": SKEWED_A, "B": SKEWED_B, "C": SKEWED_C})
    pairs = stats.pairwise_table(many)
    assert list(pairs.columns) == ["Pair", "n", "Statistic", "p", "Corrected p", "rank-biserial r", "CI", "Effect",
                                   "Higher group"]
    assert pairs["Pair"].tolist() == ["A vs B", "A vs C", "B vs C"] and pairs.loc[0, "n"] == "60 / 45"
    assert pairs["CI"].tolist() == [stats.format_interval(ci) for ci in zip(many.pairwise.effect_ci_low,
                                                                            many.pairwise.effect_ci_high)]
    assert pairs["Corrected p"].tolist() == [stats.format_p(p) for p in many.pairwise["p_adjusted"]]
    assert stats.pairwise_table(chi).empty
    shown = stats.results_table([chi, many])
    assert len(shown) == 5 and shown.loc[0, "p"] == stats.format_p(chi.p_value)
    assert list(shown.columns[:5]) == ["Question", "Groups", "Test", "n", "Centres"]
    assert shown.loc[0, "Centres"] == "A: plants 75%, kitchen 25%; B: plants 25%, kitchen 75%"
    assert shown.loc[0, "Effect (CI)"] == f"{chi.effect:.2f} ({chi.effect_ci[0]:.2f} to {chi.effect_ci[1]:.2f})"
    low, high = many.pairwise.effect_ci_low[0], many.pairwise.effect_ci_high[0]
    assert shown.loc[2, "Effect (CI)"] == f"{many.pairwise.effect[0]:.2f} ({low:.2f} to {high:.2f})"
    assert shown.loc[0, "Corrected p"] == ""


def test_tests_page_charts_pick_a_log_axis_for_long_tails():
    from core import charts

    def x_scale(values):
        frame = pd.DataFrame({"value": values, "group": ["A", "B"] * (len(values) // 2)})
        spec = charts.distribution_chart(stats.distribution_summary(frame), stats.sample_points(frame),
                                         "order value").to_dict()
        return spec["layer"][0]["encoding"]["x"]["scale"].get("type", "linear")

    assert x_scale(np.r_[np.arange(1.0, 20.0), 1000.0]) == "log"
    assert x_scale(np.r_[np.arange(0.0, 19.0), 1000.0]) == "symlog"      # zeros (e.g. months without orders)
    assert x_scale(np.arange(10.0, 30.0)) == "linear"
    table = pd.DataFrame([[30, 20], [10, 30]], index=["kitchen", "plants"], columns=["A", "B"])
    spec = charts.category_mix_chart(stats.mix_shares(_tidy_counts(table)), "Segment").to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["kitchen", "plants"]     # by overall count: 50, 40


def test_format_effect_and_interval():
    assert stats.format_effect(-0.0312) == "-0.03" and stats.format_effect(float("nan")) == "–"
    assert stats.format_interval((0.051, 0.19)) == "0.05 to 0.19"
    assert stats.format_interval((float("nan"), float("nan"))) == "–"
