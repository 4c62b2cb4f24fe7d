"""Clustering benchmark: time ``fit_clusters`` (k=4) and ``suggest_k`` (k=2..8) on synthetic customers; prints JSON.

What the Clusters page computes on a first visit (both are cached afterwards). Also times assigning all customers
to the fitted model and re-scoring them against the fitted edges (the "assign new customers" path).
Usage: ``python benchmarks/clustering.py [--customers 100000] [--repeats 3]``.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.rescore import synthetic_rfm  # noqa: E402
from core import clustering  # noqa: E402
from core.rfm import ScoreSpec, score  # noqa: E402


def timed(function, repeats: int) -> tuple[dict, object]:
    timings, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return {"median_seconds": round(float(np.median(timings)), 3), "max_seconds": round(max(timings), 3)}, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    customers = synthetic_rfm(args.customers)
    report = {"customers": args.customers, "repeats": args.repeats, "n_init": clustering.N_INIT,
              "silhouette_sample": clustering.SILHOUETTE_SAMPLE}

    report["fit_k4"], (model, labels) = timed(lambda: clustering.fit_clusters(customers, 4, seed=0), args.repeats)
    report["fit_k4"] |= {"inertia": round(model.inertia, 1), "names": list(model.names),
                         "sizes": {int(k): int(v) for k, v in labels.value_counts().sort_index().items()}}
    report["suggest_k_2_8"], suggestions = timed(lambda: clustering.suggest_k(customers, seed=0), 1)
    report["suggest_k_2_8"] |= {"best_k": clustering.best_k(suggestions),
                                "silhouette": {int(r.k): round(r.silhouette, 3) for r in suggestions.itertuples()}}
    report["assign_all"], _ = timed(lambda: clustering.assign(model, customers), args.repeats)
    _, result = score(customers["monetary"], ScoreSpec())
    report["score_against_all"], _ = timed(lambda: clustering.score_against(customers["monetary"], result),
                                           args.repeats)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
