"""Dashboard benchmark: ``python benchmarks/dashboard.py --rows 1000000`` prints one JSON object.

Generates a seeded synthetic export with the sample-data generator, runs it through the pipeline once (not
timed), then times every computation of the Explore and Plan pages on the clean, categorised lines: coding the
lines (once per data and settings), mapping a customer grouping onto the codes, the Explore tables without and
with filters, and the campaign plan. Each stage is run ``--repeat`` times and its best wall-clock time in
seconds is reported (and its best CPU time, which a busy machine inflates less); ``total_seconds`` is the sum
of the stages (a first visit of both pages plus one filter change).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from core import dashboard, pipeline  # noqa: E402
from core.settings import Settings  # noqa: E402
from sample_data.generate import generate  # noqa: E402


def best_of(repeat: int, function, *args, **kwargs):
    """(best wall-clock seconds, best CPU seconds, result of the last run)."""
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function(*args, **kwargs)
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - start_cpu)
    return round(best, 3), round(best_cpu, 3), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    export = generate(rows=args.rows, seed=args.seed)
    analysis = pipeline.run(export.to_csv(index=False).encode(), "orders.csv", Settings())
    lines, customers = analysis.lines, analysis.segmentation.customers
    grouping = customers.set_index("customer_id")["segment"]
    categories = list(lines["category"].value_counts().index[:2])
    first, last = lines["date"].min(), lines["date"].max()
    filters = dashboard.Filters(start=(first + (last - first) / 4).date(), end=(last - (last - first) / 4).date(),
                                categories=tuple(categories), groups=("Champions", "Loyal", "At Risk"))

    seconds, cpu = {}, {}
    customer_ids = pd.Index(analysis.prepared.customers["customer_id"])
    seconds["book"], cpu["book"], book = best_of(args.repeat, dashboard.build_book, lines, customer_ids)
    seconds["groups"], cpu["groups"], groups = best_of(args.repeat, dashboard.book_groups, book, grouping)
    seconds["explore"], cpu["explore"], full = best_of(args.repeat, dashboard.explore, book, dashboard.Filters(),
                                                       groups)
    seconds["explore_filtered"], cpu["explore_filtered"], part = best_of(args.repeat, dashboard.explore, book,
                                                                         filters, groups)
    seconds["plan"], cpu["plan"], plan = best_of(args.repeat, dashboard.plan, book, groups)
    print(json.dumps({"rows": len(export), "lines": len(lines), "orders": book.orders,
                      "customers": len(book.customer_ids), "categories": len(full.categories),
                      "cohort_cells": len(full.cohorts), "plan_groups": len(plan.table),
                      "filtered_orders": part.totals["orders"], "seconds": seconds,
                      "total_seconds": round(sum(seconds.values()), 3), "cpu_seconds": cpu,
                      "total_cpu_seconds": round(sum(cpu.values()), 3)}))


if __name__ == "__main__":
    main()
