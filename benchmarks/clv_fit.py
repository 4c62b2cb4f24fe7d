"""Time the BG/NBD and Gamma-Gamma fits on synthetic customers; prints one JSON object.

Usage: python benchmarks/clv_fit.py [n_customers]   (default 100,000; target: BG/NBD fit <= 5 s)

Customers are drawn from a BG/NBD process with the CDNOW parameters (weeks, first purchases spread over 52 weeks)
by ``core.clv.simulate_bgnbd``; repeat customers get Gamma-Gamma spends with the CDNOW spend parameters.
The JSON also shows how close the fitted parameters come to the true ones, and times ``customer_clv`` over
12 monthly periods for all customers.
"""
from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.clv import BetaGeoFitter, GammaGammaFitter, customer_clv, simulate_bgnbd  # noqa: E402

TRUE_BGNBD = {"r": 0.2426, "alpha": 4.4138, "a": 0.7930, "b": 2.4263}
TRUE_GG = {"p": 6.2479, "q": 3.7446, "v": 15.4500}


def main(n_customers: int = 100_000, seed: int = 1) -> dict:
    data = simulate_bgnbd(n_customers, **TRUE_BGNBD, T_max=52.0, seed=seed)
    rng = np.random.default_rng(seed + 1)
    x = data["x"].to_numpy()
    nu = rng.gamma(TRUE_GG["q"], 1.0 / TRUE_GG["v"], n_customers)
    # mean of x Gamma(p, nu) spends is Gamma(p x, x nu); 0 for one-time buyers
    monetary = np.where(x > 0, rng.gamma(TRUE_GG["p"] * np.maximum(x, 1)) / (np.maximum(x, 1) * nu), 0.0)

    start = time.perf_counter()
    bg = BetaGeoFitter().fit(data["x"], data["t_x"], data["T"], time_unit="W")
    bg_seconds = time.perf_counter() - start
    start = time.perf_counter()
    gg = GammaGammaFitter().fit(x, monetary)
    gg_seconds = time.perf_counter() - start
    start = time.perf_counter()
    clv = customer_clv(data.assign(monetary=monetary), bg, gg, horizon_days=365, monthly_discount=0.01, time_unit="W")
    clv_seconds = time.perf_counter() - start

    return {
        "n_customers": n_customers,
        "repeat_customers": int((x > 0).sum()),
        "bgnbd_fit_seconds": round(bg_seconds, 3),
        "bgnbd_target_seconds": 5.0,
        "bgnbd_converged": bg.converged_,
        "bgnbd_true": TRUE_BGNBD,
        "bgnbd_fitted": {k: round(v, 4) for k, v in bg.params_.items()},
        "bgnbd_warnings": bg.warnings_,
        "gamma_gamma_fit_seconds": round(gg_seconds, 3),
        "gamma_gamma_true": TRUE_GG,
        "gamma_gamma_fitted": {k: round(v, 4) for k, v in gg.params_.items()},
        "gamma_gamma_warnings": gg.warnings_,
        "clv_12_months_seconds": round(clv_seconds, 3),
        "clv_total": round(float(clv["clv"].sum()), 2),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000), indent=2))
