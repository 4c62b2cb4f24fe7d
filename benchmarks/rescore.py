"""Re-scoring benchmark: time ``score_rfm`` + ``assign_segments`` on synthetic customers; prints one JSON object.

What the app redoes when the user changes thresholds or the segment map (target: <= 0.3 s at 100k+ customers).
Usage: ``python benchmarks/rescore.py [--customers 150000] [--repeats 7]``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.rfm import ScoreSpec, ScoringSettings, score_rfm  # noqa: E402
from core.segments import assign_segments, default_segment_map  # noqa: E402


def synthetic_rfm(customers: int, seed: int = 0) -> pd.DataFrame:
    """A small shop's shape: recency 1-730 days, frequency mostly 1 (geometric), log-normal revenue."""
    rng = np.random.default_rng(seed)
    frequency = rng.geometric(0.6, customers)
    return pd.DataFrame({
        "customer_id": [f"c{i:07d}" for i in range(customers)],
        "recency_days": rng.integers(1, 731, customers),
        "frequency": frequency,
        "monetary": np.round(rng.lognormal(7, 1, customers) * frequency, 2),
    })


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=150_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    rfm = synthetic_rfm(args.customers)
    cases = {
        "quantile_5": (ScoringSettings(), default_segment_map(5)),
        "quantile_3": (ScoringSettings(*(ScoreSpec(bins=3),) * 3), default_segment_map(3)),
        "cuts_4": (ScoringSettings(ScoreSpec("cuts", cuts=(30, 90, 180)), ScoreSpec("cuts", cuts=(1, 2, 4)),
                                   ScoreSpec("cuts", cuts=(500, 1000, 3000))), default_segment_map(4)),
    }
    report = {"customers": args.customers, "repeats": args.repeats, "target_seconds": 0.3, "cases": {}}
    for name, (scoring, rules) in cases.items():
        timings = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            scored, results = score_rfm(rfm, scoring)
            segments = assign_segments(scored, rules)
            timings.append(time.perf_counter() - start)
        report["cases"][name] = {
            "median_seconds": round(float(np.median(timings)), 4), "max_seconds": round(max(timings), 4),
            "bins_effective": {k: r.bins_effective for k, r in results.items()},
            "segments": {str(k): int(v) for k, v in segments.value_counts(sort=False).items()},
        }
    report["within_target"] = all(c["max_seconds"] <= 0.3 for c in report["cases"].values())
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
