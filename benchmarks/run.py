"""End-to-end pipeline benchmark: ``python benchmarks/run.py --rows 1000000`` prints one JSON object.

Generates a synthetic home-goods export with the sample-data generator (seeded), writes it as CSV, then times
each stage of the pipeline on it. Timings are wall-clock seconds on this machine; peak RSS in MB.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import io, pipeline  # noqa: E402
from core.clean import clean  # noqa: E402
from core.orders import build_customers, build_orders  # noqa: E402
from core.settings import CleaningPolicy  # noqa: E402
from sample_data.generate import generate, write_csv  # noqa: E402


class Stopwatch:
    """Collects named stage timings in seconds."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, name: str):
        watch = self

        class _Stage:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                watch.seconds[name] = round(time.perf_counter() - self.start, 3)

        return _Stage()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.csv"
        write_csv(generate(rows=args.rows, seed=args.seed), path)
        data = path.read_bytes()
        stage = Stopwatch()
        with stage("read"):
            raw = io.read_table(data, path.name)
        with stage("map_and_type"):
            intake = pipeline.map_columns(raw, {})
        policy = CleaningPolicy(dedupe_order_lines=True, drop_shared_orders=True, quantity_limit=1000)
        with stage("clean"):
            lines = clean(intake.canonical, policy).lines
        with stage("orders"):
            orders = build_orders(lines)
        with stage("customers"):
            customers = build_customers(lines, orders)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    total = sum(stage.seconds.values())
    print(json.dumps({"rows": len(raw.frame), "csv_mb": round(len(data) / 2**20, 1),
                      "customers": len(customers), "seconds": stage.seconds,
                      "read_clean_aggregate_seconds": round(total, 3), "peak_rss_mb": round(peak_rss_mb)}))


if __name__ == "__main__":
    main()
