"""BG/NBD + Gamma-Gamma CLV (core.clv): CDNOW published figures, hand-checked summaries, CLV discounting,
edge cases and the calibration/holdout check.

Reference figures: /work/shared/datasets/README.md section 2 (printed by reference_numbers.py there).
"""

import numpy as np
import pandas as pd
import pytest

from core.clv import (
    MONTH_DAYS,
    P_ALIVE_NOTE_NO_REPEAT,
    BetaGeoFitter,
    GammaGammaFitter,
    _beta_quadrature,
    _purchases_while_alive,
    clv_by_segment,
    customer_clv,
    holdout_check,
    simulate_bgnbd,
    summary_from_transactions,
)
from core.errors import InputError
from tests.conftest import CDNOW

# reference_numbers.py's fitted values, exactly as printed
REF_BGNBD = {"r": 0.2426, "alpha": 4.4138, "a": 0.7930, "b": 2.4263}
REF_GG = {"p": 6.2479, "q": 3.7446, "v": 15.4500}
PUBLISHED_BGNBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
PUBLISHED_GG = {"p": 6.25, "q": 3.74, "v": 15.44}


def _model(cls, params):
    model = cls()
    model.params_ = dict(params)
    return model


def _assert_params(fitted: dict, target: dict, rel: float = 1e-3):
    for name, value in target.items():
        assert fitted[name] == pytest.approx(value, rel=rel), name


@pytest.fixture(scope="module")
def cdnow_sample() -> pd.DataFrame:
    """CDNOW_sample.txt as the README says: no header, 5 whitespace-separated columns, dates YYYYMMDD."""
    tx = pd.read_csv(CDNOW / "CDNOW_sample.txt", sep=r"\s+", header=None,
                     names=["master_id", "customer_id", "date", "cds", "dollars"],
                     dtype={"master_id": str, "customer_id": int, "date": str})
    return tx.assign(date=pd.to_datetime(tx["date"], format="%Y%m%d"))


@pytest.fixture(scope="module")
def cdnow_summary() -> pd.DataFrame:
    return pd.read_csv(CDNOW / "cdnow_customers_summary.csv").set_index("ID")


@pytest.fixture(scope="module")
def cdnow_summary_zbar() -> pd.DataFrame:
    return pd.read_csv(CDNOW / "cdnow_customers_summary_with_transactions.csv").set_index("ID")


@pytest.fixture(scope="module")
def own_summary(cdnow_sample) -> pd.DataFrame:
    return summary_from_transactions(cdnow_sample, value_col="dollars", observation_end="1997-09-30", time_unit="W")


# ---------------------------------------------------------------------------------------------------------------
# CDNOW reference figures
# ---------------------------------------------------------------------------------------------------------------
def test_cdnow_summary_from_sample_matches_published_summary(own_summary, cdnow_summary, cdnow_summary_zbar):
    assert len(own_summary) == 2357
    assert int((own_summary["x"] > 0).sum()) == 946
    assert int(own_summary["x"].sum()) == 2457
    joined = own_summary.join(cdnow_summary, suffixes=("", "_file")).join(cdnow_summary_zbar[["zbar"]])
    assert len(joined) == 2357
    assert (joined["x"] == joined["frequency"]).all()
    # the files round t_x, T and zbar to 2 decimals
    assert (joined["t_x"] - joined["recency"]).abs().max() < 0.005
    assert (joined["T"] - joined["T_file"]).abs().max() < 0.005
    assert (joined["monetary"] - joined["zbar"]).abs().max() <= 0.005 + 1e-9


def test_bgnbd_fit_on_cdnow_summary_reproduces_reference(cdnow_summary):
    model = BetaGeoFitter().fit(cdnow_summary["frequency"], cdnow_summary["recency"], cdnow_summary["T"],
                                time_unit="W")
    _assert_params(model.params_, REF_BGNBD)
    assert model.log_likelihood_ == pytest.approx(-9582.43, abs=0.005)
    assert model.converged_
    assert model.warnings_ == []


def test_bgnbd_fit_on_own_summary_reproduces_reference(own_summary):
    model = BetaGeoFitter().fit(own_summary["x"], own_summary["t_x"], own_summary["T"], time_unit="W")
    _assert_params(model.params_, REF_BGNBD)
    assert model.log_likelihood_ == pytest.approx(-9582.43, abs=0.01)


def test_expected_purchases_reference_customer():
    published = _model(BetaGeoFitter, PUBLISHED_BGNBD)
    assert published.expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.2260, abs=5e-5)
    fitted = _model(BetaGeoFitter, REF_BGNBD)
    assert fitted.expected_purchases(39, 2, 30.43, 38.86) == pytest.approx(1.2259, abs=5e-5)


def test_gamma_gamma_on_cdnow_reproduces_reference(cdnow_summary_zbar):
    gg = GammaGammaFitter().fit(cdnow_summary_zbar["x"], cdnow_summary_zbar["zbar"])  # drops the 1,411 x = 0 rows
    _assert_params(gg.params_, REF_GG)
    assert gg.log_likelihood_ == pytest.approx(-4055.92, abs=0.005)
    assert gg.converged_ and gg.warnings_ == []
    assert float(gg.expected_average_value(0, 0.0)) == pytest.approx(35.17, abs=0.005)


def test_gamma_gamma_on_own_summary_reproduces_reference(own_summary):
    gg = GammaGammaFitter().fit(own_summary["x"], own_summary["monetary"])
    _assert_params(gg.params_, REF_GG)


def test_gamma_gamma_conditional_expectation_by_hand():
    gg = _model(GammaGammaFitter, PUBLISHED_GG)
    # customer 1 of CDNOW: x = 2, zbar = 22.35 -> p (v + x zbar) / (p x + q - 1)
    expected = 6.25 * (15.44 + 2 * 22.35) / (6.25 * 2 + 3.74 - 1)
    assert float(gg.expected_average_value(2, 22.35)) == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(24.664, abs=5e-4)
    # shrinks towards the population mean p v / (q - 1) = 35.22, less so with more purchases
    values = gg.expected_average_value([0, 1, 10, 1000], [0.0, 10.0, 10.0, 10.0])
    assert values[0] == pytest.approx(6.25 * 15.44 / 2.74, rel=1e-12)
    assert values[0] > values[1] > values[2] > values[3] > 10.0
    assert values[3] == pytest.approx(10.0, rel=5e-3)


# ---------------------------------------------------------------------------------------------------------------
# Maths checks against simulation and against the closed form
# ---------------------------------------------------------------------------------------------------------------
def test_predictions_match_a_simulated_bgnbd_population():
    sim = simulate_bgnbd(200_000, **REF_BGNBD, T_max=52.0, seed=3)
    model = _model(BetaGeoFitter, REF_BGNBD)
    # E[X(T)] for a new customer = mean simulated repeat purchases by T (standard error 0.0046)
    assert model.expected_purchases_new_customer(sim["T"]).mean() == pytest.approx(sim["x"].mean(), abs=0.015)
    # P(alive) is the posterior probability, so it averages to the simulated alive share (SE 0.0019)
    repeat = sim["x"] > 0
    p_alive = model.probability_alive(sim["x"], sim["t_x"], sim["T"])
    assert p_alive[repeat].mean() == pytest.approx(sim.loc[repeat, "alive"].mean(), abs=0.006)
    fitted = BetaGeoFitter().fit(sim["x"], sim["t_x"], sim["T"])
    _assert_params(fitted.params_, REF_BGNBD, rel=0.1)


def test_quadrature_agrees_with_closed_form_and_rescues_degenerate_fits():
    A = np.array([0.2426, 2.2426, 10.2426])
    B = np.array([2.4263, 4.4263, 12.4263])
    tau = np.array([0.5, 3.0, 20.0])
    assert np.allclose(_beta_quadrature(A, B, 0.7930, tau), _purchases_while_alive(A, B, 0.7930, tau), rtol=1e-7)
    # near "no drop-out" (a -> 0, b -> inf) scipy's hyp2f1 fails; the answer tends to the Poisson rate
    # (r + x) / (alpha + T) times the horizon
    model = _model(BetaGeoFitter, {"r": 0.74, "alpha": 40.8, "a": 2e-5, "b": 99814.0})
    got = model.expected_purchases(np.array([30.0, 365.0, 3650.0]), 1, 10, 40)
    assert np.allclose(got, 1.74 / 80.8 * np.array([30.0, 365.0, 3650.0]), rtol=1e-4)


def test_expected_purchases_finite_and_increasing_on_long_horizons():
    model = _model(BetaGeoFitter, {"r": 0.5, "alpha": 0.5, "a": 0.3, "b": 5000.0})
    t = np.array([0.0, 1.0, 10.0, 100.0, 1000.0, 10000.0])[:, None]
    got = model.expected_purchases(t, np.array([0, 1, 5, 50]), np.array([0, 1, 3, 9]), np.array([0, 2, 4, 10]))
    assert np.isfinite(got).all()
    assert (got[0] == 0).all()
    assert (np.diff(got, axis=0) > 0).all()


# ---------------------------------------------------------------------------------------------------------------
# summary_from_transactions
# ---------------------------------------------------------------------------------------------------------------
@pytest.fixture
def hand_transactions() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": ["A", "A", "A", "A", "B", "C", "C", "D"],
        "date": pd.to_datetime(["2024-01-01 10:00", "2024-01-01 15:00", "2024-01-11", "2024-01-31",
                                "2024-01-20", "2024-01-05", "2024-02-15", "2024-02-20"], format="ISO8601"),
        "revenue": [10.0, 5.0, 20.0, 40.0, 7.0, 3.0, 100.0, 9.0],
    })


def test_summary_by_hand_in_days(hand_transactions):
    s = summary_from_transactions(hand_transactions, observation_end="2024-02-10")
    assert s.index.name == "customer_id"
    assert list(s.index) == ["A", "B", "C"]  # D's only purchase is after the end
    # A: 01-01 (two orders, merged), 01-11, 01-31 -> 2 repeats, t_x = 30 days, T = 40 days, repeat mean (20+40)/2
    assert s.loc["A"].to_dict() == {"x": 2, "t_x": 30.0, "T": 40.0, "monetary": 30.0}
    assert s.loc["B"].to_dict() == {"x": 0, "t_x": 0.0, "T": 21.0, "monetary": 0.0}
    # C's 02-15 purchase is after the end
    assert s.loc["C"].to_dict() == {"x": 0, "t_x": 0.0, "T": 36.0, "monetary": 0.0}


def test_summary_weeks_default_end_and_no_value(hand_transactions):
    s = summary_from_transactions(hand_transactions, value_col=None, time_unit="W")
    assert "monetary" not in s.columns
    assert s.loc["A", "t_x"] == pytest.approx(30 / 7) and s.loc["A", "T"] == pytest.approx(50 / 7)  # to 02-20
    assert s.loc["C"].tolist() == pytest.approx([1, 41 / 7, 46 / 7])
    assert s.loc["D"].tolist() == [0, 0.0, 0.0]


def test_summary_input_errors(hand_transactions):
    with pytest.raises(InputError, match="no column"):
        summary_from_transactions(hand_transactions, value_col="amount")
    with pytest.raises(InputError, match="time unit"):
        summary_from_transactions(hand_transactions, time_unit="M")
    with pytest.raises(InputError, match="no purchases"):
        summary_from_transactions(hand_transactions, observation_end="2023-12-31")
    with pytest.raises(InputError, match="not dates"):
        summary_from_transactions(hand_transactions.assign(date="yesterday"))
    with pytest.raises(InputError, match="missing or non-numeric"):
        summary_from_transactions(hand_transactions.assign(revenue=["1"] * 7 + ["x"]))


# ---------------------------------------------------------------------------------------------------------------
# Small data, warnings and impossible fits
# ---------------------------------------------------------------------------------------------------------------
def test_tiny_shop_fits_with_warnings_and_gives_finite_clv():
    tx = pd.DataFrame({
        "customer_id": [1, 1, 2, 3, 3, 3, 4, 5, 6, 7, 7, 8],
        "date": pd.to_datetime(["2024-03-01", "2024-03-20", "2024-03-02", "2024-03-05", "2024-03-15", "2024-04-10",
                                "2024-03-09", "2024-03-30", "2024-04-02", "2024-03-11", "2024-04-20",
                                "2024-04-25"]),
        "revenue": [20, 25, 15, 40, 35, 45, 10, 12, 30, 22, 18, 50.0],
    })
    s = summary_from_transactions(tx, observation_end="2024-04-30")
    bg = BetaGeoFitter().fit(s["x"], s["t_x"], s["T"], time_unit="D")
    assert any("Only 3 of 8 customers" in w for w in bg.warnings_)
    assert any("only 60 days" in w for w in bg.warnings_)
    gg = GammaGammaFitter().fit(s["x"], s["monetary"])
    assert any("only 3 repeat customer" in w for w in gg.warnings_)
    clv = customer_clv(s, bg, gg, horizon_days=180)
    assert len(clv) == 8
    assert np.isfinite(clv[["p_alive", "expected_orders", "expected_aov", "clv"]].to_numpy()).all()
    assert (clv["clv"] >= 0).all()


def test_fit_hitting_a_bound_is_reported():
    # every buyer is still buying on the last day: no sign of drop-out, so a runs to its lower bound
    x = np.tile(np.arange(1, 11), 20)
    T = np.full(200, 50.0)
    bg = BetaGeoFitter().fit(x, T, T)
    assert bg.params_["a"] < 1e-5
    assert any("edge of the allowed range" in w and "a" in w for w in bg.warnings_)


def test_impossible_fits_raise_input_error():
    with pytest.raises(InputError, match="no customers"):
        BetaGeoFitter().fit([], [], [])
    with pytest.raises(InputError, match="more than once"):
        BetaGeoFitter().fit([0, 0], [0, 0], [5, 6])
    with pytest.raises(InputError, match="t_x <= T"):
        BetaGeoFitter().fit([1, 2], [7, 3], [5, 6])
    with pytest.raises(InputError, match="whole numbers"):
        BetaGeoFitter().fit([1.5, 2], [1, 3], [5, 6])
    with pytest.raises(InputError, match="missing or infinite"):
        BetaGeoFitter().fit([1, np.nan], [1, 3], [5, 6])
    with pytest.raises(InputError, match="no repeat customer"):
        GammaGammaFitter().fit([0, 0, 1], [0.0, 0.0, -3.0])


def test_gamma_gamma_drops_refund_customers_with_a_warning(cdnow_summary_zbar):
    x = np.append(cdnow_summary_zbar["x"].to_numpy(), [2, 3])
    m = np.append(cdnow_summary_zbar["zbar"].to_numpy(), [-10.0, 0.0])
    gg = GammaGammaFitter().fit(x, m)
    assert gg.warnings_ == ["2 repeat customer(s) with a mean purchase value <= 0 (refunds?) were left out of the "
                            "spend model."]
    _assert_params(gg.params_, REF_GG)


def test_gamma_gamma_warns_when_spend_follows_frequency():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 20, 300)
    gg = GammaGammaFitter().fit(x, 5.0 * x * rng.uniform(0.8, 1.2, 300))
    assert any("correlated" in w for w in gg.warnings_)


# ---------------------------------------------------------------------------------------------------------------
# CLV, P(alive) note, segments
# ---------------------------------------------------------------------------------------------------------------
@pytest.fixture
def two_customers() -> pd.DataFrame:
    return pd.DataFrame({"x": [2, 0], "t_x": [30.43, 0.0], "T": [38.86, 20.0], "monetary": [22.35, 0.0]},
                        index=pd.Index(["c1", "c2"], name="customer_id"))


def test_p_alive_is_one_with_note_for_one_time_buyers(two_customers):
    bg, gg = _model(BetaGeoFitter, PUBLISHED_BGNBD), _model(GammaGammaFitter, PUBLISHED_GG)
    clv = customer_clv(two_customers, bg, gg, time_unit="W")
    assert clv.loc["c2", "p_alive"] == 1.0
    assert clv.loc["c2", "p_alive_note"] == P_ALIVE_NOTE_NO_REPEAT
    assert "assumption" in P_ALIVE_NOTE_NO_REPEAT
    assert clv.loc["c1", "p_alive_note"] == ""
    # P(alive | x=2, t_x=30.43, T=38.86) = 1 / (1 + a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))
    r, alpha, a, b = PUBLISHED_BGNBD.values()
    by_hand = 1 / (1 + a / (b + 1) * ((alpha + 38.86) / (alpha + 30.43)) ** (r + 2))
    assert clv.loc["c1", "p_alive"] == pytest.approx(by_hand, rel=1e-12)


def test_clv_without_discount_is_orders_times_aov(two_customers):
    bg, gg = _model(BetaGeoFitter, PUBLISHED_BGNBD), _model(GammaGammaFitter, PUBLISHED_GG)
    clv = customer_clv(two_customers, bg, gg, horizon_days=365, time_unit="W")
    orders = bg.expected_purchases(365 / 7, [2, 0], [30.43, 0.0], [38.86, 20.0])
    assert clv["expected_orders"].to_numpy() == pytest.approx(orders, rel=1e-12)
    assert clv["expected_aov"].to_numpy() == pytest.approx(gg.expected_average_value([2, 0], [22.35, 0.0]))
    assert clv["clv"].to_numpy() == pytest.approx(orders * clv["expected_aov"].to_numpy(), rel=1e-12)
    half = customer_clv(two_customers, bg, gg, horizon_days=365, time_unit="W", margin=0.5)
    assert half["clv"].to_numpy() == pytest.approx(0.5 * clv["clv"].to_numpy(), rel=1e-12)


def test_clv_discount_factor(two_customers):
    bg, gg = _model(BetaGeoFitter, PUBLISHED_BGNBD), _model(GammaGammaFitter, PUBLISHED_GG)
    # one month: all orders discounted once, so the ratio is exactly 1/1.01
    flat = customer_clv(two_customers, bg, gg, horizon_days=MONTH_DAYS, time_unit="W")
    disc = customer_clv(two_customers, bg, gg, horizon_days=MONTH_DAYS, monthly_discount=0.01, time_unit="W")
    assert (disc["clv"] / flat["clv"]).to_numpy() == pytest.approx([1 / 1.01] * 2, rel=1e-12)
    # three months: the ratio is sum_m e_m / 1.01^m / sum_m e_m with e_m the expected orders in month m
    flat = customer_clv(two_customers, bg, gg, horizon_days=3 * MONTH_DAYS, time_unit="W")
    disc = customer_clv(two_customers, bg, gg, horizon_days=3 * MONTH_DAYS, monthly_discount=0.01, time_unit="W")
    ends = np.array([0, 1, 2, 3]) * MONTH_DAYS / 7
    cum = bg.expected_purchases(ends, 2, 30.43, 38.86)
    e = np.diff(cum)
    factor = (e / 1.01 ** np.array([1, 2, 3])).sum() / e.sum()
    assert 1 / 1.01 ** 3 < factor < 1 / 1.01
    assert disc.loc["c1", "clv"] / flat.loc["c1", "clv"] == pytest.approx(factor, rel=1e-12)
    assert disc.loc["c1", "clv"] < flat.loc["c1", "clv"]


def test_clv_input_errors(two_customers):
    bg, gg = _model(BetaGeoFitter, PUBLISHED_BGNBD), _model(GammaGammaFitter, PUBLISHED_GG)
    with pytest.raises(InputError, match="monetary"):
        customer_clv(two_customers.drop(columns="monetary"), bg, gg)
    with pytest.raises(InputError, match="horizon"):
        customer_clv(two_customers, bg, gg, horizon_days=0)
    with pytest.raises(InputError, match="discount"):
        customer_clv(two_customers, bg, gg, monthly_discount=-0.1)
    with pytest.raises(InputError, match="margin"):
        customer_clv(two_customers, bg, gg, margin=1.5)


def test_clv_by_segment_sums():
    clv = pd.DataFrame({"p_alive": [1.0, 0.5, 0.2], "expected_orders": [1.0, 2.0, 3.0], "clv": [10.0, 30.0, 5.0]},
                       index=pd.Index(["a", "b", "c"], name="customer_id"))
    segments = pd.Series({"a": "loyal", "b": "loyal"}, name="segment")
    out = clv_by_segment(clv, segments)
    assert list(out.index) == ["loyal", "(no segment)"]
    assert out.loc["loyal"].to_dict() == {"customers": 2, "expected_orders": 3.0, "clv": 40.0, "clv_mean": 20.0,
                                          "p_alive_mean": 0.75}
    assert out.loc["(no segment)", "clv"] == 5.0


def test_cdnow_clv_totals(own_summary):
    bg = BetaGeoFitter().fit(own_summary["x"], own_summary["t_x"], own_summary["T"])
    gg = GammaGammaFitter().fit(own_summary["x"], own_summary["monetary"])
    clv = customer_clv(own_summary, bg, gg, horizon_days=365, monthly_discount=0.01, time_unit="W")
    assert (clv["p_alive_note"] != "").sum() == 2357 - 946
    assert np.isfinite(clv["clv"]).all() and (clv["clv"] > 0).all()
    # one-time buyers all get the population mean order value, 35.17 dollars
    assert clv.loc[own_summary["x"] == 0, "expected_aov"].to_numpy() == pytest.approx(35.17, abs=0.01)


# ---------------------------------------------------------------------------------------------------------------
# Calibration / holdout
# ---------------------------------------------------------------------------------------------------------------
def test_holdout_check_on_cdnow(cdnow_sample):
    per, totals = holdout_check(cdnow_sample, "1997-09-30", "1998-06-30", time_unit="W")
    # actual: distinct (customer, day) purchases from 1997-10-01 to 1998-06-30, counted straight from the file
    later = cdnow_sample[cdnow_sample["date"] > "1997-09-30"]
    assert totals["actual"] == len(later.drop_duplicates(["customer_id", "date"])) == 1882
    assert totals["customers"] == 2357
    assert totals["holdout_length"] == 39.0
    _assert_params(totals["params"], REF_BGNBD)
    # BG/NBD under-forecasts this holdout by about 12 %: predicted 1,653.4 vs 1,882 actual
    assert totals["predicted"] == pytest.approx(1653.4, abs=0.5)
    assert totals["relative_error"] == pytest.approx(1653.4 / 1882 - 1, abs=5e-4)
    assert abs(totals["relative_error"]) < 0.15
    assert per["calibration_purchases"].tolist() == ["0", "1", "2", "3", "4", "5", "6", "7+"]
    assert per["customers"].tolist() == [1411, 439, 214, 100, 62, 38, 29, 64]
    assert (per["actual"] * per["customers"]).sum() == pytest.approx(1882)
    assert (per["predicted"] * per["customers"]).sum() == pytest.approx(totals["predicted"])
    assert per.loc[0, "actual"] == pytest.approx(334 / 1411)
    assert per.loc[0, "predicted"] == pytest.approx(0.2251, abs=5e-4)
    # the conditional expectation rises with past purchases, like the actual holdout purchases
    assert per["predicted"].is_monotonic_increasing


def test_holdout_check_rejects_reversed_periods(cdnow_sample):
    with pytest.raises(InputError, match="after the calibration end"):
        holdout_check(cdnow_sample, "1998-06-30", "1997-09-30")
    with pytest.raises(InputError, match="max_purchases"):
        holdout_check(cdnow_sample, "1997-09-30", "1998-06-30", max_purchases=0)


# ---------------------------------------------------------------------------------------------------------------
# The Forecast page's pieces
# ---------------------------------------------------------------------------------------------------------------
def test_observation_end_and_default_split():
    from core.clv import default_calibration_end, observation_end_for
    assert observation_end_for(pd.Timestamp("2024-05-01")) == pd.Timestamp("2024-04-30")
    assert observation_end_for("2024-05-01 00:00") == pd.Timestamp("2024-04-30")
    # 100 days of history: 03-17 to 04-10, the last 25 days, are held out
    assert default_calibration_end("2024-01-01 13:00", "2024-04-10") == pd.Timestamp("2024-03-16")
    assert default_calibration_end("2024-01-01", "2024-01-04") == pd.Timestamp("2024-01-03")  # inside the history
    with pytest.raises(InputError, match="too short"):
        default_calibration_end("2024-01-01", "2024-01-02")
    with pytest.raises(InputError, match="holdout share"):
        default_calibration_end("2024-01-01", "2024-04-10", holdout_share=1.0)


def test_fit_clv_models_prefixes_warnings_and_agrees_with_the_fitters(cdnow_sample):
    from core.clv import fit_clv_models
    orders = cdnow_sample.rename(columns={"dollars": "revenue"})
    fitted = fit_clv_models(orders, "1998-06-30", "W")
    summary = summary_from_transactions(orders, observation_end="1998-06-30", time_unit="W")
    pd.testing.assert_frame_equal(fitted.summary, summary)
    bg = BetaGeoFitter().fit(summary["x"], summary["t_x"], summary["T"], time_unit="W")
    assert fitted.bgnbd.params_ == bg.params_ and fitted.observation_end == pd.Timestamp("1998-06-30")
    assert fitted.time_unit == "W"
    tiny = pd.DataFrame({"customer_id": [1, 1, 2, 3], "date": pd.to_datetime(["2024-03-01", "2024-03-20",
                                                                              "2024-03-02", "2024-03-05"]),
                         "revenue": [20.0, 25, 15, 40]})
    warned = fit_clv_models(tiny, "2024-03-31", "D")
    assert any(w.startswith("Purchase model (BG/NBD): Only 1 of 3") for w in warned.warnings)
    assert any(w.startswith("Spend model (Gamma-Gamma): The spend model rests on only 1") for w in warned.warnings)
    with pytest.raises(InputError, match="more than once"):
        fit_clv_models(tiny.iloc[1:], "2024-03-31", "D")


def test_totals_table_and_export_columns(two_customers):
    from core.clv import (P_ALIVE_ASSUMED, P_ALIVE_ESTIMATED, customer_forecast_table, export_columns,
                          forecast_totals, p_alive_basis_words)
    bg, gg = _model(BetaGeoFitter, PUBLISHED_BGNBD), _model(GammaGammaFitter, PUBLISHED_GG)
    clv = customer_clv(two_customers, bg, gg, time_unit="W")
    totals = forecast_totals(clv, two_customers)
    assert totals["customers"] == 2 and totals["repeat_buyers"] == 1 and totals["one_time_buyers"] == 1
    assert totals["expected_orders"] == pytest.approx(clv["expected_orders"].sum())
    assert totals["clv"] == pytest.approx(clv["clv"].sum()) and totals["clv_missing"] == 0
    assert totals["p_alive_repeat"] == pytest.approx(clv.loc["c1", "p_alive"])   # the one-time buyer's 1 left out
    assert totals["likely_active_repeat"] == 1.0

    table = customer_forecast_table(clv, two_customers)
    assert table["customer_id"].tolist() == ["c1", "c2"] and table["purchases"].tolist() == [3, 1]
    assert table["p_alive_basis"].tolist() == [P_ALIVE_ESTIMATED, P_ALIVE_ASSUMED]
    no_value = clv.assign(clv=[np.nan, 5.0])
    assert customer_forecast_table(no_value, two_customers)["customer_id"].tolist() == ["c2", "c1"]
    assert forecast_totals(no_value, two_customers)["clv"] == 5.0
    assert forecast_totals(no_value, two_customers)["clv_missing"] == 1

    exported = export_columns(clv)
    assert list(exported.columns) == ["p_alive", "p_alive_note", "expected_orders", "expected_aov", "clv"]
    assert exported.loc["c1", "p_alive_note"] is None
    assert exported.loc["c2", "p_alive_note"] == P_ALIVE_NOTE_NO_REPEAT
    assert clv.loc["c1", "p_alive_note"] == ""                                   # the input is left alone
    russian = export_columns(clv, "ru")
    assert russian.loc["c1", "p_alive_note"] is None
    assert russian.loc["c2", "p_alive_note"].startswith("Повторной покупки ещё не было: BG/NBD предполагает")
    assert p_alive_basis_words(table["p_alive_basis"], "ru").tolist() == ["оценка модели",
                                                                          "1 по допущению (повторных покупок ещё нет)"]
    assert p_alive_basis_words(table["p_alive_basis"]).tolist() == ["estimated",
                                                                    "1 by assumption (no repeat purchase yet)"]


def test_parameters_table_and_holdout_sentence(two_customers):
    from core.clv import FittedCLV, holdout_sentence, parameters_table
    bg, gg = _model(BetaGeoFitter, PUBLISHED_BGNBD), _model(GammaGammaFitter, PUBLISHED_GG)
    bg.log_likelihood_, gg.log_likelihood_ = -9582.4, -4000.0
    fitted = FittedCLV(summary=two_customers, bgnbd=bg, gg=gg, observation_end=pd.Timestamp("1997-09-30"),
                       time_unit="W")
    table = parameters_table(fitted)
    assert table["parameter"].tolist() == ["r", "α", "a", "b", "log-likelihood", "p", "q", "v", "log-likelihood"]
    assert table["value"].tolist()[:5] == [0.243, 4.414, 0.793, 2.426, -9582.4]
    meanings = " ".join(table["meaning"])
    assert "purchases a week" in meanings and f"{0.793 / (0.793 + 2.426):.1%}" in meanings
    assert f"{6.25 * 15.44 / 2.74:,.2f}" in meanings                              # population mean order value

    totals = {"customers": 2357, "actual": 1882, "predicted": 1653.4, "relative_error": 1653.4 / 1882 - 1,
              "holdout_length": 39.0, "time_unit": "W"}
    text = holdout_sentence(totals, "1997-09-30", "1998-06-30")
    assert text.startswith("Fitted on purchases up to 1997-09-30, the model expected **1,653** repeat purchases "
                           "from its 2,357 customers in the 39.0 weeks up to 1998-06-30; **1,882** happened")
    assert text.endswith("**12% too few** (fair agreement).")
    assert "too many** (close" in holdout_sentence({**totals, "relative_error": 0.05}, "1997-09-30", "1998-06-30")
    assert "undefined" in holdout_sentence({**totals, "actual": 0, "relative_error": float("nan")},
                                           "1997-09-30", "1998-06-30")

    russian = holdout_sentence(totals, "1997-09-30", "1998-06-30", "ru")
    assert russian == ("Построенная по покупкам до 30.09.1997, модель ожидала **1\u00a0653** повторных покупок от "
                       "своих 2\u00a0357 клиентов за 39,0 нед. по 30.06.1998; на деле их было **1\u00a0882**: "
                       "**на 12\u00a0% меньше** (приемлемое совпадение).")
    meanings_ru = " ".join(parameters_table(fitted, "ru")["meaning"])
    assert "покупки в неделю" in meanings_ru and "a/(a+b) = 24,6\u00a0%" in meanings_ru
    assert "p·v/(q−1) = 35,22" in meanings_ru
    assert parameters_table(fitted, "ru")["model"].iloc[0] == "BG/NBD (покупки)"


def test_settings_key_follows_only_what_changes_the_orders():
    import dataclasses

    from core.clv import settings_key
    from core.settings import CleaningPolicy, Settings
    base = Settings()
    assert settings_key(base) == settings_key(dataclasses.replace(base, templates={"Champions": "Hi"}))
    assert settings_key(base) == settings_key(dataclasses.replace(base, language="en"))
    assert settings_key(base) != settings_key(dataclasses.replace(base, analysis_date="2024-01-01"))
    assert settings_key(base) != settings_key(dataclasses.replace(base, cleaning=CleaningPolicy(returns="net")))
    assert settings_key(base) != settings_key(dataclasses.replace(base, mapping={"date": "Date"}))


def test_clv_by_group_counts_customers_without_clv():
    from core.clv import clv_by_group
    clv = pd.DataFrame({"p_alive": [1.0, 0.5, 1.0, 1.0], "expected_orders": [1.0, 2.0, 3.0, 1.0],
                        "clv": [np.nan, 30.0, np.nan, np.nan]}, index=pd.Index(list("abcd"), name="customer_id"))
    out = clv_by_group(clv, pd.Series({"a": "new", "b": "loyal", "c": "new"}, name="segment"))
    assert list(out.index) == ["loyal", "(no segment)", "new"]              # groups without any CLV last
    assert out["no_clv"].tolist() == [0, 1, 2] and out["customers"].tolist() == [1, 1, 2]
    assert out.loc["loyal", "clv"] == 30.0 and out["clv"].iloc[1:].isna().all()            # missing, not 0
    assert out.loc["new", "expected_orders"] == 4.0


def test_a_heavy_tailed_spend_fit_gives_one_time_buyers_no_absurd_order_value():
    """The home-goods shop with the published cleaning: Gamma-Gamma's q lands just above 1, so its population mean
    p·v/(q−1) is ~200,000 an order against a repeat customers' mean of ~782; one-time buyers must not get it."""
    import json
    from core import clv, pipeline
    from core.settings import Settings
    from tests.conftest import PRACTICUM_UPD
    settings = Settings.from_json(json.dumps(
        {"cleaning": {"dedupe_order_lines": True, "drop_shared_orders": True, "quantity_limit": 1000}}))
    analysis = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, settings)
    fitted = clv.fit_clv_models(analysis.prepared.orders, clv.observation_end_for(analysis.segmentation.analysis_date))
    p, q, v = (fitted.gg.params_[k] for k in "pqv")
    observed = fitted.summary.loc[(fitted.summary["x"] > 0) & (fitted.summary["monetary"] > 0), "monetary"].mean()
    assert 1 < q < 1.01 and p * v / (q - 1) > 100_000 and observed == pytest.approx(782.15, abs=0.01)
    assert not fitted.gg.population_mean_usable_
    assert [w.key for w in fitted.warnings] == ["clv.warning.spend_model"]
    assert "over 5 times the repeat customers' mean (782)" in fitted.warnings[0]
    forecast = customer_clv(fitted.summary, fitted.bgnbd, fitted.gg, 365, 0.0, "W")
    one_time = fitted.summary["x"] == 0
    assert forecast.loc[one_time, "expected_aov"].isna().all() and forecast.loc[~one_time, "clv"].notna().all()
    assert forecast["clv"].sum() < analysis.prepared.lines["revenue"].sum()           # not 95 million any more


def test_spend_values_that_hardly_differ_are_one_level_not_a_failed_fit():
    """The bundled sample: q and v run to the range's edge together (no spread of typical order values); the
    page says so calmly instead of calling the predictions unreliable."""
    from core import clv, pipeline
    from core.settings import Settings
    from ui.state import SAMPLE_FILE
    analysis = pipeline.run(SAMPLE_FILE.read_bytes(), SAMPLE_FILE.name, Settings())
    fitted = clv.fit_clv_models(analysis.prepared.orders, clv.observation_end_for(analysis.segmentation.analysis_date))
    assert fitted.gg.params_["q"] > 50 and fitted.gg.population_mean_usable_
    (warning,) = fitted.warnings
    assert warning.params["warning"].key == "clv.note.one_spend_level"
    assert "ran to the edge" not in warning


def test_forecast_columns_repeat_the_forecast_pages_steps():
    from core import pipeline
    from core.clv import export_columns, fit_clv_models, forecast_columns, observation_end_for
    from core.settings import ForecastChoices, Settings
    from tests.conftest import REPO
    sample = REPO / "sample_data" / "orders.csv"
    analysis = pipeline.run(sample.read_bytes(), sample.name, Settings())
    orders, date = analysis.prepared.orders, analysis.segmentation.analysis_date
    choices = ForecastChoices(horizon_days=180, time_unit="D", monthly_discount_percent=1.5, margin_percent=40)
    got = forecast_columns(orders, date, choices, "ru")
    fitted = fit_clv_models(orders, observation_end_for(date), "D")
    expected = export_columns(customer_clv(fitted.summary, fitted.bgnbd, fitted.gg, 180, 0.015, "D", 0.4), "ru")
    pd.testing.assert_frame_equal(got, expected)
    assert len(got) == len(analysis.segmentation.customers) and got["clv"].sum() > 0
    weekly = forecast_columns(orders, date, ForecastChoices(), "en")
    assert weekly["clv"].sum() > got["clv"].sum()          # a year of revenue vs half a year of 40 % margin


def test_export_key_adds_the_forecast_choices_to_the_settings_key():
    import dataclasses

    from core.clv import export_key, settings_key
    from core.settings import ForecastChoices, Settings
    base = Settings()
    chosen = dataclasses.replace(base, forecast=ForecastChoices())
    keys = {export_key(base), export_key(chosen),
            export_key(dataclasses.replace(base, forecast=ForecastChoices(horizon_days=90)))}
    assert len(keys) == 3 and settings_key(chosen) == settings_key(base)
    assert export_key(dataclasses.replace(chosen, mailing_lists=("Lost",), templates={"Lost": "x"})) == (
        export_key(chosen))
