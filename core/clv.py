"""Customer lifetime value: BG/NBD purchase model and Gamma-Gamma spend model, fitted by maximum likelihood.

Models (own implementation, API shaped like the ``lifetimes`` package):

* BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way"): while alive a customer buys as a
  Poisson process with rate lambda ~ Gamma(r, alpha); after each *repeat* purchase they drop out with probability
  p ~ Beta(a, b). Inputs per customer, in one time unit (days or weeks): x = repeat purchases (distinct purchase days
  minus one), t_x = time from first to last purchase, T = time from first purchase to the end of observation.
* Gamma-Gamma (Fader, Hardie & Lee 2005, "RFM and CLV"): each repeat purchase value ~ Gamma(p, nu) with
  nu ~ Gamma(q, v); fitted on repeat customers only, with x and their mean repeat purchase value.

Both are fitted with ``scipy.optimize.minimize`` (L-BFGS-B, analytic gradient) over log-parameters, bounded to
[1e-6, 1e6]. Fit problems that still give a usable model end up in ``warnings_`` (plain sentences for the page);
only an impossible fit raises :class:`InputError`.
"""
from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize, special

from core.errors import InputError
from core.formatting import format_date, format_number, format_percent
from core.i18n import Message, t

UNIT_DAYS = {"D": 1.0, "W": 7.0}
MONTH_DAYS = 365.25 / 12  # one CLV discounting period, in days
MIN_REPEAT_BUYERS = 20
MIN_REPEAT_SHARE = 0.05
MIN_HISTORY_DAYS = 90
MAX_SPEND_FREQUENCY_CORR = 0.3
MAX_POPULATION_MEAN_RATIO = 5.0  # a fitted mean order value above 5x the repeat customers' mean is not believed
MIN_HETEROGENEITY_Q = 50.0  # q beyond this: typical order values vary by under 1/sqrt(50) = 14 % across customers
P_ALIVE_NOTE_NO_REPEAT = Message("clv.p_alive_note_no_repeat")

_LOG_BOUND = math.log(1e6)
_NEAR_BOUND = math.log(10.0)  # within a factor 10 of a bound counts as at the bound


# --------------------------------------------------------------------------------------------------------------
# Transactions -> per-customer summary
# --------------------------------------------------------------------------------------------------------------
def _time_unit_days(time_unit: str) -> float:
    if time_unit not in UNIT_DAYS:
        raise InputError(Message("errors.clv.time_unit", units=str(sorted(UNIT_DAYS)), value=repr(time_unit)))
    return UNIT_DAYS[time_unit]


def _day(value, what: str) -> pd.Timestamp:
    """``value`` as a day (midnight, no time zone); ``what`` names it in errors: a ``clv.what.<what>`` key."""
    name = Message(f"clv.what.{what}")
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise InputError(Message("errors.clv.not_a_date", what=name, value=repr(value))) from exc
    if pd.isna(ts):
        raise InputError(Message("errors.clv.date_missing", what=name))
    return ts.tz_localize(None).normalize() if ts.tzinfo else ts.normalize()


def _purchase_days(transactions: pd.DataFrame, customer_col: str, date_col: str, value_col: str | None) -> pd.DataFrame:
    """One row per (customer, calendar day) with columns customer, day and (if value_col) value summed over the day."""
    cols = [customer_col, date_col] + ([value_col] if value_col is not None else [])
    missing = [c for c in cols if c not in transactions.columns]
    if missing:
        raise InputError(Message("errors.clv.no_columns", missing=str(missing),
                                 available=str(list(transactions.columns))))
    df = transactions[cols]
    if df[[customer_col, date_col]].isna().any().any():
        raise InputError(Message("errors.clv.missing_ids", customer_col=customer_col, date_col=date_col))
    try:
        days = pd.to_datetime(df[date_col], format="ISO8601")
    except (TypeError, ValueError) as exc:
        raise InputError(Message("errors.clv.bad_dates", column=repr(date_col), detail=str(exc))) from exc
    if days.dt.tz is not None:
        days = days.dt.tz_localize(None)
    out = pd.DataFrame({"customer": df[customer_col].to_numpy(), "day": days.dt.normalize().to_numpy()})
    if value_col is None:
        return out.drop_duplicates(ignore_index=True)
    values = pd.to_numeric(df[value_col], errors="coerce")
    if values.isna().any():
        raise InputError(Message("errors.clv.bad_values", column=repr(value_col), n=int(values.isna().sum())))
    out["value"] = values.to_numpy(dtype=float)
    return out.groupby(["customer", "day"], as_index=False, sort=False)["value"].sum()


def summary_from_transactions(
    transactions: pd.DataFrame,
    customer_col: str = "customer_id",
    date_col: str = "date",
    value_col: str | None = "revenue",
    observation_end=None,
    time_unit: str = "D",
) -> pd.DataFrame:
    """Per-customer BG/NBD inputs from a transaction log (one row per order line or order).

    Purchases on the same calendar day are merged into one purchase (values summed); times of day are ignored.
    Only transactions on or before ``observation_end`` (a day, inclusive; default the last date in the data) count.
    Returns a frame indexed by customer (index name ``customer_col``) with columns
    x (repeat purchases = purchase days - 1), t_x (first to last purchase) and T (first purchase to
    observation_end), both in ``time_unit`` ("D" days or "W" weeks = days / 7), and, unless ``value_col`` is None,
    monetary = mean value of the repeat purchases (first purchase excluded; 0 when x = 0; may be <= 0 with refunds).
    Raises InputError on missing columns, missing or unparseable ids/dates/values, or no purchase by observation_end.
    """
    unit = _time_unit_days(time_unit)
    daily = _purchase_days(transactions, customer_col, date_col, value_col)
    end = daily["day"].max() if observation_end is None else _day(observation_end, "observation_end")
    daily = daily[daily["day"] <= end]
    if daily.empty:
        raise InputError(Message("errors.clv.no_purchases", end=str(end.date())))
    g = daily.groupby("customer", sort=True)
    first, last = g["day"].min(), g["day"].max()
    x = g.size() - 1
    out = pd.DataFrame({
        "x": x.astype("int64"),
        "t_x": (last - first).dt.days / unit,
        "T": (end - first).dt.days / unit,
    })
    if value_col is not None:
        first_value = daily.sort_values("day", kind="stable").groupby("customer")["value"].first()
        repeat_value = g["value"].sum() - first_value
        out["monetary"] = (repeat_value / x.where(x > 0)).fillna(0.0)
    out.index.name = customer_col
    return out


# --------------------------------------------------------------------------------------------------------------
# Shared fitting machinery
# --------------------------------------------------------------------------------------------------------------
def _maximise(neg_ll_and_grad: Callable, start: np.ndarray, names: tuple[str, ...], explained_bounds=frozenset()):
    """Minimise a mean negative log-likelihood over log-parameters; returns (params dict, converged, warnings).

    A parameter that runs to the edge of its range gets a warning unless it is in ``explained_bounds`` (the
    caller explains that case itself)."""
    res = optimize.minimize(
        neg_ll_and_grad, np.log(start), jac=True, method="L-BFGS-B",
        bounds=[(-_LOG_BOUND, _LOG_BOUND)] * len(start),
        options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-9},
    )
    grad_norm = float(np.max(np.abs(res.jac)))
    converged = bool(res.success) or grad_norm < 1e-5  # a line-search stop at the optimum is still converged
    notes = []
    if not converged:
        notes.append(Message("clv.note.not_converged", reason=str(res.message)))
    at_bound = [n for n, v in zip(names, res.x) if abs(v) > _LOG_BOUND - _NEAR_BOUND]
    if set(at_bound) - set(explained_bounds):
        notes.append(Message("clv.note.at_bound", names=", ".join(at_bound)))
    return dict(zip(names, (float(v) for v in np.exp(res.x)))), converged, notes


def _finite_array(values, name: str) -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    if not np.isfinite(arr).all():
        raise InputError(Message("errors.clv.not_finite", name=name))
    return arr


# --------------------------------------------------------------------------------------------------------------
# BG/NBD
# --------------------------------------------------------------------------------------------------------------
@dataclass
class BetaGeoFitter:
    """BG/NBD model. After ``fit``: params_ {r, alpha, a, b} (alpha in the fit's time unit), log_likelihood_
    (total, natural log), converged_, warnings_ (list of sentences; empty when all is well)."""

    params_: dict[str, float] = field(default_factory=dict, init=False)
    log_likelihood_: float = field(default=float("nan"), init=False)
    converged_: bool = field(default=False, init=False)
    warnings_: list[str] = field(default_factory=list, init=False)

    def fit(self, x, t_x, T, time_unit: str | None = None) -> BetaGeoFitter:
        """Fit by maximum likelihood on per-customer x (whole numbers >= 0), t_x and T (0 <= t_x <= T).

        ``time_unit`` ("D"/"W", optional; an addition to the lifetimes API) only enables the short-history warning
        (longest customer history under 90 days). Raises InputError for no customers, bad values or no repeat
        buyer at all (the purchase rate is then not identifiable). Warns for < 20 repeat buyers or < 5 % of
        customers, short history, non-convergence and parameters at the bounds.
        """
        x = _finite_array(x, "x")
        t_x = _finite_array(t_x, "t_x")
        T = _finite_array(T, "T")
        if not len(x) == len(t_x) == len(T):
            raise InputError(Message("errors.clv.lengths_bgnbd"))
        if len(x) == 0:
            raise InputError(Message("errors.clv.no_customers"))
        if (x < 0).any() or (x != np.round(x)).any():
            raise InputError(Message("errors.clv.x_whole"))
        if (t_x < 0).any() or (t_x > T).any():
            raise InputError(Message("errors.clv.t_x_range"))
        n, n_rep = len(x), int((x > 0).sum())
        if n_rep == 0:
            raise InputError(Message("errors.clv.no_repeat"))

        notes = []
        if n_rep < MIN_REPEAT_BUYERS or n_rep < MIN_REPEAT_SHARE * n:
            notes.append(Message("clv.note.few_repeat", repeat=n_rep, n=n, share=n_rep / n,
                                 min_buyers=MIN_REPEAT_BUYERS, min_share=MIN_REPEAT_SHARE))
        if time_unit is not None:
            history_days = float(T.max()) * _time_unit_days(time_unit)
            if history_days < MIN_HISTORY_DAYS:
                notes.append(Message("clv.note.short_history", days=history_days, minimum=MIN_HISTORY_DAYS))

        pos = x > 0
        xp, tp, txp = x[pos], T[pos], t_x[pos]
        ux, counts = np.unique(x, return_counts=True)  # x-only terms are summed over distinct x values
        rate = x.sum() / max(T.sum(), 1e-9)  # repeat purchases per unit time: scales the start of alpha
        start = np.array([1.0, min(max(1.0 / rate, 1e-3), 1e5), 0.5, 1.0])

        def neg_ll(logp: np.ndarray):
            # per customer: lnG(r+x) - lnG(r) + r ln(alpha) + lnB(a, b+x) - lnB(a, b) + ln(e^A3 + [x>0] e^A4)
            r, alpha, a, b = np.exp(logp)
            log_aT = np.log(alpha + T)
            A3 = -(r + x) * log_aT
            log_at = np.log(alpha + txp)
            A4 = math.log(a) - np.log(b + xp - 1) - (r + xp) * log_at
            L = np.logaddexp(A3[pos], A4)
            w4 = np.exp(A4 - L)  # posterior probability of "dropped out right after the last purchase"
            ll = (counts @ (special.gammaln(r + ux) + special.betaln(a, b + ux))
                  + n * (r * math.log(alpha) - special.gammaln(r) - special.betaln(a, b))
                  + A3.sum() + (L - A3[pos]).sum())
            dig_abx = counts @ special.digamma(a + b + ux)
            d_r = (counts @ special.digamma(r + ux) + n * (math.log(alpha) - special.digamma(r))
                   - log_aT.sum() + w4 @ (log_aT[pos] - log_at))
            d_alpha = (n * r / alpha - ((r + x) / (alpha + T)).sum()
                       + (w4 * (r + xp)) @ (1.0 / (alpha + tp) - 1.0 / (alpha + txp)))
            d_a = n * special.digamma(a + b) - dig_abx + w4.sum() / a
            d_b = (counts @ special.digamma(b + ux) - dig_abx + n * (special.digamma(a + b) - special.digamma(b))
                   - w4 @ (1.0 / (b + xp - 1)))
            grad = np.array([d_r * r, d_alpha * alpha, d_a * a, d_b * b])
            return -ll / n, -grad / n

        params, converged, fit_notes = _maximise(neg_ll, start, ("r", "alpha", "a", "b"))
        self.params_ = params
        self.log_likelihood_ = -float(neg_ll(np.log(list(params.values())))[0]) * n
        self.converged_ = converged
        self.warnings_ = notes + fit_notes
        return self

    def _p(self) -> tuple[float, float, float, float]:
        if not self.params_:
            raise RuntimeError("call fit() before predicting")
        return self.params_["r"], self.params_["alpha"], self.params_["a"], self.params_["b"]

    def probability_alive(self, x, t_x, T) -> np.ndarray:
        """P(customer still active at T | x, t_x, T), elementwise. Exactly 1 for x = 0 by the model's assumption
        (no drop-out before the first repeat purchase): show :data:`P_ALIVE_NOTE_NO_REPEAT` with it."""
        r, alpha, a, b = self._p()
        x, t_x, T = (np.asarray(v, dtype=float) for v in (x, t_x, T))
        with np.errstate(divide="ignore", invalid="ignore"):
            log_odds_dead = (np.log(a) - np.log(b + x - 1)
                             + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x)))
        return np.where(x > 0, special.expit(-log_odds_dead), 1.0)

    def expected_purchases(self, t, x, t_x, T) -> np.ndarray:
        """Expected repeat purchases in the next ``t`` time units for a customer with history (x, t_x, T)
        (FHL 2005 eq. 10); broadcasts. 0 for t = 0; always finite and non-negative."""
        r, alpha, a, b = self._p()
        t, x, t_x, T = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in (t, x, t_x, T)))
        return _purchases_while_alive(r + x, b + x, a, t / (alpha + T)) * self.probability_alive(x, t_x, T)

    def expected_purchases_new_customer(self, t) -> np.ndarray:
        """Expected repeat purchases within ``t`` time units of a new customer's first purchase (FHL 2005 eq. 9)."""
        r, alpha, a, b = self._p()
        t = np.asarray(t, dtype=float)
        return _purchases_while_alive(np.full(t.shape, r), np.full(t.shape, b), a, t / alpha)


_QUAD_STEP = 0.1
_QUAD_NODES = np.arange(-6.0, 6.0 + _QUAD_STEP / 2, _QUAD_STEP)


def _purchases_while_alive(A: np.ndarray, B: np.ndarray, a: float, tau: np.ndarray) -> np.ndarray:
    """E[(1 - (1 + p tau)^-A) / p] with p ~ Beta(a, B): expected purchases in a window of tau (in units of the
    posterior rate scale, alpha + T) by a customer alive at its start, whose rate is Gamma(A) and drop-out
    probability Beta(a, B) distributed (A = r + x, B = b + x). Same shapes in and out.

    Closed form (a + B - 1)/(a - 1) * [1 - (1 + tau)^-A 2F1(A, B; a + B - 1; tau/(1 + tau))]. scipy's hyp2f1 is
    wrong or NaN in parts of this range (large B, tau >> 1, a near 1), so the value is kept only where it matches
    the Pfaff-transformed form 1 - 2F1(A, a - 1; a + B - 1; -tau) to 1e-9; elsewhere :func:`_beta_quadrature`.
    """
    lead = (a + B - 1) / (a - 1)
    with np.errstate(all="ignore"):
        euler = lead * (1.0 - np.exp(-A * np.log1p(tau)) * special.hyp2f1(A, B, a + B - 1, tau / (1 + tau)))
        pfaff = lead * (1.0 - special.hyp2f1(A, a - 1, a + B - 1, -tau))
    ok = np.isfinite(euler) & (euler >= 0) & (np.abs(euler - pfaff) <= 1e-9 * np.abs(euler))
    out = np.where(ok, euler, 0.0)
    if not ok.all():
        out[~ok] = _beta_quadrature(A[~ok], B[~ok], a, tau[~ok])
    return out


def _beta_quadrature(A: np.ndarray, B: np.ndarray, a: float, tau: np.ndarray) -> np.ndarray:
    """The expectation of :func:`_purchases_while_alive` by quadrature (1-D arrays; about 1e-7 relative error,
    121 evaluations per element). With g(p) = (1 - (1 + p tau)^-A)/p, g(0) = A tau, g(1) = 1 - (1 + tau)^-A,
    E[g] = g(0) B/(a+B) + g(1) a/(a+B) + E[k] with k(p) = g(p) - g(0)(1 - p) - g(1) p vanishing at both ends;
    E[k] is a trapezoid rule over logit(p) = log(a/B) + s sinh(u), which converges exponentially for this smooth
    integrand whose tails the subtraction makes decay at least like e^(-|logit p|)."""
    centre = math.log(a) - np.log(B)
    scale = np.minimum(3.0, np.sqrt(1.0 / a + 1.0 / B))
    g0 = A * tau
    g1 = -np.expm1(-A * np.log1p(tau))
    log_beta = special.betaln(a, B)
    total = np.zeros(A.shape)
    for u in _QUAD_NODES:
        y = centre + scale * math.sinh(u)
        log_p, log_q = -np.logaddexp(0.0, -y), -np.logaddexp(0.0, y)
        p = np.maximum(np.exp(log_p), 1e-300)
        k = -np.expm1(-A * np.log1p(p * tau)) / p - g0 * np.exp(log_q) - g1 * p
        total += np.exp(a * log_p + B * log_q - log_beta) * k * scale * math.cosh(u)
    return g0 * B / (a + B) + g1 * a / (a + B) + _QUAD_STEP * total


def simulate_bgnbd(n_customers: int, r: float, alpha: float, a: float, b: float, T_max: float,
                   seed: int = 0) -> pd.DataFrame:
    """Draw customers from the BG/NBD process with first purchases uniform over the last ``T_max`` time units.

    Exact, vectorised: with N ~ Poisson(lambda T) purchases possible while alive and J ~ Geometric(p) the repeat
    purchase after which the customer drops out, x = min(N, J) and t_x is the x-th of N uniform order statistics
    on [0, T] (t_x = T * Beta(x, N - x + 1)). Returns columns x, t_x, T and alive (True if not yet dropped at T).
    """
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1.0 / alpha, n_customers)
    p = rng.beta(a, b, n_customers)
    T = rng.uniform(0.0, T_max, n_customers)
    n_arrivals = rng.poisson(lam * T)
    drop_after = rng.geometric(p)
    x = np.minimum(n_arrivals, drop_after)
    t_x = np.zeros(n_customers)
    pos = x > 0
    t_x[pos] = T[pos] * rng.beta(x[pos], n_arrivals[pos] - x[pos] + 1)
    return pd.DataFrame({"x": x, "t_x": t_x, "T": T, "alive": n_arrivals < drop_after})


# --------------------------------------------------------------------------------------------------------------
# Gamma-Gamma
# --------------------------------------------------------------------------------------------------------------
@dataclass
class GammaGammaFitter:
    """Gamma-Gamma spend model. After ``fit``: params_ {p, q, v} (v in money units), log_likelihood_,
    converged_, warnings_."""

    params_: dict[str, float] = field(default_factory=dict, init=False)
    log_likelihood_: float = field(default=float("nan"), init=False)
    converged_: bool = field(default=False, init=False)
    warnings_: list[str] = field(default_factory=list, init=False)
    population_mean_usable_: bool | None = field(default=None, init=False)   # None (not fitted here): q > 1

    def fit(self, x, monetary) -> GammaGammaFitter:
        """Fit on repeat customers: x > 0 with mean repeat purchase value ``monetary`` > 0 (others are dropped;
        dropped repeat customers with monetary <= 0 are reported in warnings_). Raises InputError when no repeat
        customer with positive spend remains. Warns for < 20 customers, |corr(x, monetary)| > 0.3 (the model
        assumes spend does not depend on frequency), mean spend undefined (q <= 1) and fit problems."""
        x = _finite_array(x, "x")
        m = _finite_array(monetary, "monetary")
        if len(x) != len(m):
            raise InputError(Message("errors.clv.lengths_gg"))
        keep = (x > 0) & (m > 0)
        n_bad = int(((x > 0) & (m <= 0)).sum())
        x, m = x[keep], m[keep]
        n = len(x)
        if n == 0:
            raise InputError(Message("errors.clv.no_spenders"))

        notes = []
        if n_bad:
            notes.append(Message("clv.note.non_positive_spend", n=n_bad))
        if n < MIN_REPEAT_BUYERS:
            notes.append(Message("clv.note.few_spenders", n=n, minimum=MIN_REPEAT_BUYERS))
        elif abs(corr := float(np.corrcoef(x, m)[0, 1])) > MAX_SPEND_FREQUENCY_CORR:
            notes.append(Message("clv.note.spend_correlated", corr=corr))

        log_m, log_x, xm = np.log(m), np.log(x), x * m
        ux, counts = np.unique(x, return_counts=True)  # x-only terms are summed over distinct x values
        start = np.array([1.0, 2.0, float(m.mean())])  # population mean p*v/(q-1) starts at the sample mean

        def neg_ll(logp: np.ndarray):
            # per customer: lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(v + x m)
            p, q, v = np.exp(logp)
            px, pu = p * x, p * ux
            log_vxm = np.log(v + xm)
            ll = (counts @ (special.gammaln(pu + q) - special.gammaln(pu)) + n * (q * math.log(v) - special.gammaln(q))
                  + ((px - 1) * log_m + px * log_x - (px + q) * log_vxm).sum())
            dig_u = special.digamma(pu + q)
            d_p = (counts * ux) @ (dig_u - special.digamma(pu)) + x @ (log_m + log_x - log_vxm)
            d_q = counts @ dig_u + n * (math.log(v) - special.digamma(q)) - log_vxm.sum()
            d_v = n * q / v - ((px + q) / (v + xm)).sum()
            grad = np.array([d_p * p, d_q * q, d_v * v])
            return -ll / n, -grad / n

        # q and v growing together without bound mean customers' typical order values hardly differ: the model then
        # is one spend level for everybody (a usable limit, said in words below, not a failed fit)
        params, converged, fit_notes = _maximise(neg_ll, start, ("p", "q", "v"), explained_bounds={"q", "v"})
        p, q, v = params["p"], params["q"], params["v"]
        observed = float(m.mean())
        self.population_mean_usable_ = q > 1 and p * v / (q - 1) <= MAX_POPULATION_MEAN_RATIO * observed
        if q <= 1:
            notes.append(Message("clv.note.no_finite_mean"))
        elif not self.population_mean_usable_:
            notes.append(Message("clv.note.implausible_mean", mean=p * v / (q - 1), observed=observed,
                                 ratio=MAX_POPULATION_MEAN_RATIO))
        elif q > MIN_HETEROGENEITY_Q and max(abs(math.log(q)), abs(math.log(v))) > _LOG_BOUND - _NEAR_BOUND:
            notes.append(Message("clv.note.one_spend_level", mean=p * v / (q - 1)))
        self.params_ = params
        self.log_likelihood_ = -float(neg_ll(np.log(list(params.values())))[0]) * n
        self.converged_ = converged
        self.warnings_ = notes + fit_notes
        return self

    def expected_average_value(self, x, monetary) -> np.ndarray:
        """E[mean order value | x, monetary] = p (v + x m) / (p x + q - 1), a shrinkage of m towards the
        population mean p v / (q - 1); the population mean itself for x = 0, NaN when it is not usable (q <= 1, or
        more than ``MAX_POPULATION_MEAN_RATIO`` times the repeat customers' mean: a heavy-tailed fit with q just
        above 1 would hand every one-time buyer an absurd value). Money units."""
        if not self.params_:
            raise RuntimeError("call fit() before predicting")
        p, q, v = self.params_["p"], self.params_["q"], self.params_["v"]
        x, m = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(monetary, dtype=float))
        m = np.where(x > 0, m, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            value = p * (v + x * m) / (p * x + q - 1)
        usable = q > 1 if self.population_mean_usable_ is None else self.population_mean_usable_
        return np.where((x == 0) & (not usable), np.nan, value)


# --------------------------------------------------------------------------------------------------------------
# Per-customer CLV, segment sums, calibration/holdout check
# --------------------------------------------------------------------------------------------------------------
def customer_clv(
    summary: pd.DataFrame,
    bgnbd: BetaGeoFitter,
    gg: GammaGammaFitter,
    horizon_days: float = 365,
    monthly_discount: float = 0.0,
    time_unit: str = "D",
    margin: float = 1.0,
) -> pd.DataFrame:
    """Per-customer P(alive), expected orders and value over the next ``horizon_days``.

    ``summary`` has columns x, t_x, T (in ``time_unit``, the unit the BG/NBD model was fitted in) and monetary.
    The horizon is cut into months of 365.25/12 days (the last one partial); with E(t) the expected purchases up
    to t (``bgnbd.expected_purchases``):

        clv = margin * expected_aov * sum_{m=1..M} [E(tau_m) - E(tau_{m-1})] / (1 + monthly_discount) ** m,

    tau_m = min(m, horizon/month) months, i.e. each month's orders are discounted at the month's end.
    ``margin`` (a fraction 0..1, an addition to the planned API) turns revenue into profit; 1 gives revenue CLV.
    Columns: p_alive, p_alive_note (text for x = 0, else ""), expected_orders (whole horizon), expected_aov
    (Gamma-Gamma conditional mean, money units), clv (money units).
    """
    missing = [c for c in ("x", "t_x", "T", "monetary") if c not in summary.columns]
    if missing:
        raise InputError(Message("errors.clv.summary_columns", missing=str(missing)))
    if not horizon_days > 0:
        raise InputError(Message("errors.clv.horizon"))
    if not monthly_discount >= 0:
        raise InputError(Message("errors.clv.discount"))
    if not 0 <= margin <= 1:
        raise InputError(Message("errors.clv.margin"))
    unit = _time_unit_days(time_unit)
    x = summary["x"].to_numpy(dtype=float)
    t_x = summary["t_x"].to_numpy(dtype=float)
    T = summary["T"].to_numpy(dtype=float)
    n_months = math.ceil(horizon_days / MONTH_DAYS - 1e-9)
    ends = np.minimum(np.arange(1, n_months + 1) * MONTH_DAYS, horizon_days) / unit
    cumulative = bgnbd.expected_purchases(ends[None, :], x[:, None], t_x[:, None], T[:, None])
    per_month = np.diff(cumulative, axis=1, prepend=0.0)
    discount = (1.0 + monthly_discount) ** -np.arange(1, n_months + 1)
    aov = gg.expected_average_value(x, summary["monetary"].to_numpy(dtype=float))
    return pd.DataFrame({
        "p_alive": bgnbd.probability_alive(x, t_x, T),
        "p_alive_note": np.where(x == 0, P_ALIVE_NOTE_NO_REPEAT, ""),
        "expected_orders": cumulative[:, -1],
        "expected_aov": aov,
        "clv": margin * aov * (per_month * discount).sum(axis=1),
    }, index=summary.index)


def clv_by_segment(clv: pd.DataFrame, segments: pd.Series) -> pd.DataFrame:
    """Sum a :func:`customer_clv` frame by segment (``segments`` maps customer id -> segment label).

    Customers missing from ``segments`` go to "(no segment)". Columns: customers, expected_orders (sum),
    clv (sum), clv_mean, p_alive_mean; sorted by clv descending.
    """
    labels = segments.reindex(clv.index).astype(object).fillna("(no segment)")
    out = clv.groupby(labels.to_numpy()).agg(
        customers=("clv", "size"), expected_orders=("expected_orders", "sum"), clv=("clv", "sum"),
        clv_mean=("clv", "mean"), p_alive_mean=("p_alive", "mean"))
    out.index.name = segments.name or "segment"
    return out.sort_values("clv", ascending=False)


def holdout_check(
    transactions: pd.DataFrame,
    calibration_end,
    holdout_end,
    time_unit: str = "W",
    customer_col: str = "customer_id",
    date_col: str = "date",
    max_purchases: int = 7,
) -> tuple[pd.DataFrame, dict]:
    """Fit BG/NBD on purchases up to ``calibration_end`` and compare with the holdout (calibration_end, holdout_end].

    Only customers whose first purchase is in the calibration period are scored; purchases are distinct purchase
    days. Returns (per_frequency, totals). per_frequency has one row per calibration repeat-purchase count
    0..max_purchases-1 and "{max_purchases}+" (column ``calibration_purchases``, a string), with customers and mean
    ``actual`` vs mean ``predicted`` holdout purchases per customer (the Fader-Hardie plot). totals: customers,
    actual and predicted total holdout purchases, relative_error (predicted / actual - 1, NaN if actual is 0),
    holdout_length (in time_unit), time_unit, params and warnings of the calibration fit.
    """
    unit = _time_unit_days(time_unit)
    if max_purchases < 1:
        raise InputError(Message("errors.clv.max_purchases"))
    cal_end = _day(calibration_end, "calibration_end")
    hold_end = _day(holdout_end, "holdout_end")
    if hold_end <= cal_end:
        raise InputError(Message("errors.clv.holdout_order"))
    summary = summary_from_transactions(transactions, customer_col, date_col, None, cal_end, time_unit)
    model = BetaGeoFitter().fit(summary["x"], summary["t_x"], summary["T"], time_unit=time_unit)
    daily = _purchase_days(transactions, customer_col, date_col, None)
    in_holdout = daily[(daily["day"] > cal_end) & (daily["day"] <= hold_end)]
    actual = in_holdout.groupby("customer").size().reindex(summary.index, fill_value=0).to_numpy()
    length = (hold_end - cal_end).days / unit
    predicted = model.expected_purchases(length, summary["x"], summary["t_x"], summary["T"])
    capped = np.minimum(summary["x"].to_numpy(), max_purchases)
    labels = [str(k) for k in range(max_purchases)] + [f"{max_purchases}+"]
    per = (pd.DataFrame({"k": capped, "actual": actual, "predicted": predicted})
           .groupby("k").agg(customers=("actual", "size"), actual=("actual", "mean"), predicted=("predicted", "mean"))
           .reset_index())
    per.insert(0, "calibration_purchases", [labels[k] for k in per.pop("k")])
    total_actual, total_pred = int(actual.sum()), float(predicted.sum())
    totals = {
        "customers": len(summary),
        "actual": total_actual,
        "predicted": total_pred,
        "relative_error": total_pred / total_actual - 1 if total_actual else float("nan"),
        "holdout_length": length,
        "time_unit": time_unit,
        "params": model.params_,
        "warnings": model.warnings_,
    }
    return per, totals


# --------------------------------------------------------------------------------------------------------------
# The Forecast page's pieces: one fit per data and time unit, tables and sentences for people
# --------------------------------------------------------------------------------------------------------------
HORIZON_DAYS = (90, 180, 365)
TIME_UNITS = ("W", "D")  # weeks first: they fit faster and forecast about as well
DEFAULT_HOLDOUT_SHARE = 0.25
MIN_HOLDOUT_DAYS = 14  # a shorter history cannot be split into calibration and holdout periods
CLV_COLUMNS = ("p_alive", "p_alive_note", "expected_orders", "expected_aov", "clv")
P_ALIVE_ASSUMED, P_ALIVE_ESTIMATED = "assumed", "estimated"  # p_alive_basis values; words: clv.basis.<value>


def time_unit_name(time_unit: str, lang: str = "en", amount: float | None = None) -> str:
    """"weeks" / "days" in ``lang``; with ``amount`` the unit as it reads after that number ("12.5 weeks",
    Russian abbreviated: "12,5 нед.")."""
    _time_unit_days(time_unit)
    if amount is None:
        return t(f"clv.unit.{time_unit}", lang)
    return t(f"clv.unit_after_number.{time_unit}", lang, amount=amount)


def observation_end_for(analysis_date) -> pd.Timestamp:
    """The last observed day that agrees with RFM: the day before the analysis date (RFM counts purchases
    strictly before the analysis date's midnight)."""
    return _day(analysis_date, "analysis_date") - pd.Timedelta(days=1)


def default_calibration_end(first_day, observation_end, holdout_share: float = DEFAULT_HOLDOUT_SHARE) -> pd.Timestamp:
    """The day that leaves the last ``holdout_share`` of the history (first purchase .. observation end) for the
    holdout check, kept at least one day inside the history."""
    first, end = _day(first_day, "first_purchase"), _day(observation_end, "observation_end")
    if end - first < pd.Timedelta(days=2):
        raise InputError(Message("errors.clv.history_too_short"))
    if not 0 < holdout_share < 1:
        raise InputError(Message("errors.clv.holdout_share"))
    split = (first + (end - first) * (1 - holdout_share)).normalize()
    return min(max(split, first + pd.Timedelta(days=1)), end - pd.Timedelta(days=1))


@dataclass(frozen=True)
class FittedCLV:
    """Both models fitted on one order history: ``summary`` (x, t_x, T in ``time_unit``, monetary; indexed by
    customer id), the fitted ``bgnbd`` and ``gg`` models and the last observed day."""

    summary: pd.DataFrame
    bgnbd: BetaGeoFitter
    gg: GammaGammaFitter
    observation_end: pd.Timestamp
    time_unit: str

    @property
    def warnings(self) -> list[Message]:
        """The fits' warnings, each prefixed with the model it concerns."""
        return ([Message("clv.warning.purchase_model", warning=w) for w in self.bgnbd.warnings_]
                + [Message("clv.warning.spend_model", warning=w) for w in self.gg.warnings_])


def fit_clv_models(transactions: pd.DataFrame, observation_end, time_unit: str = "W",
                   customer_col: str = "customer_id", date_col: str = "date",
                   value_col: str = "revenue") -> FittedCLV:
    """Summarise ``transactions`` (one row per order; same-day purchases are merged) up to ``observation_end``
    and fit BG/NBD (with the short-history check) and Gamma-Gamma on it. Raises InputError when either model
    cannot be fitted at all (no repeat buyer, no repeat buyer with positive spend, bad input)."""
    end = _day(observation_end, "observation_end")
    summary = summary_from_transactions(transactions, customer_col, date_col, value_col, end, time_unit)
    bgnbd = BetaGeoFitter().fit(summary["x"], summary["t_x"], summary["T"], time_unit=time_unit)
    gg = GammaGammaFitter().fit(summary["x"], summary["monetary"])
    return FittedCLV(summary=summary, bgnbd=bgnbd, gg=gg, observation_end=end, time_unit=time_unit)


def forecast_totals(clv: pd.DataFrame, summary: pd.DataFrame) -> dict:
    """Headline figures of a :func:`customer_clv` frame: customers, repeat_buyers, one_time_buyers,
    expected_orders (sum), clv (sum over customers with a value), clv_missing (customers without one, e.g. one-time
    buyers when the spend model has no finite mean), p_alive_repeat (mean P(alive) of repeat buyers only, NaN
    without any) and likely_active_repeat (share of repeat buyers with P(alive) >= 0.5)."""
    repeat = summary["x"].reindex(clv.index).to_numpy() > 0
    alive = clv["p_alive"].to_numpy()[repeat]
    return {
        "customers": len(clv),
        "repeat_buyers": int(repeat.sum()),
        "one_time_buyers": int((~repeat).sum()),
        "expected_orders": float(clv["expected_orders"].sum()),
        "clv": float(clv["clv"].sum(skipna=True)),
        "clv_missing": int(clv["clv"].isna().sum()),
        "p_alive_repeat": float(alive.mean()) if len(alive) else float("nan"),
        "likely_active_repeat": float((alive >= 0.5).mean()) if len(alive) else float("nan"),
    }


def customer_forecast_table(clv: pd.DataFrame, summary: pd.DataFrame) -> pd.DataFrame:
    """One row per customer, highest CLV first (no CLV last, then by expected orders): customer_id, purchases
    (distinct purchase days), repeat_purchases (x), monetary (mean repeat purchase), p_alive, p_alive_basis
    (:data:`P_ALIVE_ASSUMED` for one-time buyers, else :data:`P_ALIVE_ESTIMATED`; in words:
    :func:`p_alive_basis_words`), expected_orders, expected_aov, clv."""
    x = summary["x"].reindex(clv.index)
    table = pd.DataFrame({
        "purchases": x + 1,
        "repeat_purchases": x,
        "monetary": summary["monetary"].reindex(clv.index) if "monetary" in summary else np.nan,
        "p_alive": clv["p_alive"],
        "p_alive_basis": np.where(x.to_numpy() > 0, P_ALIVE_ESTIMATED, P_ALIVE_ASSUMED),
        "expected_orders": clv["expected_orders"],
        "expected_aov": clv["expected_aov"],
        "clv": clv["clv"],
    }, index=clv.index)
    table = table.sort_values(["clv", "expected_orders"], ascending=False, na_position="last", kind="stable")
    return table.rename_axis("customer_id").reset_index()


def p_alive_basis_words(basis: pd.Series, lang: str = "en") -> pd.Series:
    """The ``p_alive_basis`` column in words: "1 by assumption (no repeat purchase yet)" / "estimated"."""
    return basis.map({value: t(f"clv.basis.{value}", lang) for value in (P_ALIVE_ASSUMED, P_ALIVE_ESTIMATED)})


def clv_by_group(clv: pd.DataFrame, groups: pd.Series) -> pd.DataFrame:
    """:func:`clv_by_segment` plus ``no_clv``, the group's customers without a CLV (no expected order value, e.g.
    one-time buyers when the spend model has no finite mean). A group none of whose customers has a CLV gets a
    missing CLV sum instead of 0 and sorts last."""
    table = clv_by_segment(clv, groups)
    labels = groups.reindex(clv.index).astype(object).fillna("(no segment)")
    table["no_clv"] = clv["clv"].isna().groupby(labels.to_numpy()).sum().reindex(table.index).astype("int64")
    table.loc[table["no_clv"] == table["customers"], "clv"] = np.nan
    return table.sort_values("clv", ascending=False, na_position="last", kind="stable")


def parameters_table(fitted: FittedCLV, lang: str = "en") -> pd.DataFrame:
    """Fitted parameters of both models with what they mean (in ``lang``): columns model, parameter, value,
    meaning; each model ends with its total log-likelihood row."""
    bg, gg = fitted.bgnbd.params_, fitted.gg.params_
    facts = {"unit": time_unit_name(fitted.time_unit, lang), "rate": bg["r"] / bg["alpha"],
             "one": t(f"clv.unit_one.{fitted.time_unit}", lang), "drop": bg["a"] / (bg["a"] + bg["b"]),
             "mean_value": (format_number(gg["p"] * gg["v"] / (gg["q"] - 1), 2, lang) if gg["q"] > 1
                            else t("clv.mean_value_undefined", lang))}
    rows = []
    for model, params, ll in (("bgnbd", bg, fitted.bgnbd.log_likelihood_), ("gg", gg, fitted.gg.log_likelihood_)):
        name = t(f"clv.model.{model}", lang)
        for parameter, value in params.items():
            rows.append((name, "α" if parameter == "alpha" else parameter, value,
                         t(f"clv.meaning.{parameter}", lang, **facts)))
        rows.append((name, t("clv.log_likelihood", lang), ll, t("clv.meaning.log_likelihood", lang)))
    return pd.DataFrame(rows, columns=["model", "parameter", "value", "meaning"])


def holdout_sentence(totals: dict, calibration_end, holdout_end, lang: str = "en") -> str:
    """The :func:`holdout_check` totals in words (``lang``): period, predicted vs actual repeat purchases, relative
    error and how close that is (within 10 % close, 25 % fair, else poor)."""
    cal, hold = _day(calibration_end, "calibration_end"), _day(holdout_end, "holdout_end")
    head = t("clv.holdout.head", lang, calibration_end=format_date(cal, lang), holdout_end=format_date(hold, lang),
             predicted=format_number(totals["predicted"], 0, lang),
             customers=format_number(totals["customers"], 0, lang),
             length=time_unit_name(totals["time_unit"], lang, totals["holdout_length"]),
             actual=format_number(totals["actual"], 0, lang))
    error = totals["relative_error"]
    if not math.isfinite(error):
        return head + t("clv.holdout.undefined", lang)
    if abs(error) < 0.005:
        return head + t("clv.holdout.exact", lang)
    direction = "too_many" if error > 0 else "too_few"
    verdict = "close" if abs(error) <= 0.1 else "fair" if abs(error) <= 0.25 else "poor"
    return head + t(f"clv.holdout.{direction}", lang, error=format_percent(abs(error), 0, lang),
                    agreement=t(f"clv.holdout.{verdict}", lang))


def export_columns(clv: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The :data:`CLV_COLUMNS` of a :func:`customer_clv` frame for the exports: the P(alive) note (in ``lang``)
    stays only where it applies (one-time buyers) and is missing elsewhere, so spreadsheets show an empty cell."""
    out = clv[list(CLV_COLUMNS)].copy()
    has_note = out["p_alive_note"] != ""
    out["p_alive_note"] = pd.Series(P_ALIVE_NOTE_NO_REPEAT.text(lang), index=out.index, dtype=object).where(has_note,
                                                                                                           None)
    return out


def settings_key(settings) -> str:
    """JSON of the settings that change the order history the CLV models see (sheet, mapping, cleaning, analysis
    date); with the data's digest it keys the Forecast page's caches and the CLV columns of the export."""
    return json.dumps({"sheet": settings.sheet, "mapping": settings.mapping,
                       "cleaning": dataclasses.asdict(settings.cleaning), "analysis_date": settings.analysis_date},
                      sort_keys=True, ensure_ascii=False, default=str)


def export_key(settings) -> str:
    """:func:`settings_key` plus the settings' forecast choices (``core.settings.ForecastChoices``; ``null``
    without them): with the data's digest it says which forecast the Forecast page's CLV table holds, so the
    exports leave out a forecast of other data, settings or choices."""
    choices = None if settings.forecast is None else dataclasses.asdict(settings.forecast)
    return json.dumps([settings_key(settings), choices], ensure_ascii=False)


def forecast_columns(orders: pd.DataFrame, analysis_date, choices, lang: str = "en") -> pd.DataFrame:
    """The exports' CLV columns (:func:`export_columns`, indexed by customer_id) as the Forecast page computes
    them for ``choices`` (a ``core.settings.ForecastChoices``): both models fitted with :func:`fit_clv_models` on
    ``orders`` (one row per order: customer_id, date, revenue) up to :func:`observation_end_for` ``analysis_date``
    in ``choices.time_unit``, then :func:`customer_clv` over ``choices.horizon_days`` days with the monthly
    discount and the margin given in percent. Raises InputError when a model cannot be fitted (e.g. no repeat
    buyer)."""
    fitted = fit_clv_models(orders, observation_end_for(analysis_date), choices.time_unit)
    forecast = customer_clv(fitted.summary, fitted.bgnbd, fitted.gg, choices.horizon_days,
                            choices.monthly_discount_percent / 100, choices.time_unit, choices.margin_percent / 100)
    return export_columns(forecast, lang)
