"""Spark local mode vs pandas on the same synthetic order export: wall time per stage and peak memory.

    python benchmarks/spark_vs_pandas.py --rows 1000000 [--rows 10000000] [--spark-memory 8g] [--json out.json]

Each engine runs in a fresh subprocess (so peak RSS and warm-up are its own) on a CSV generated once per size
under the temp folder: practicum-like lines (YYYYMMDDHH dates over two years, UUID customers, ~3 lines per order,
Russian product names from the shared practicum data, 0.5 % exact duplicates, 1 % re-recorded order lines, 0.2 %
returns) read with the published cleaning policy. Both engines must report the same rows, customers, orders and
revenue; the script exits 1 otherwise. Spark's stages come from ``SparkAnalysis.timings``; pandas' from the
pipeline's own stages. A run longer than --timeout seconds is stopped and reported as such.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
PRACTICUM = REPO.parent / "shared" / "datasets" / "practicum" / "ecom_dataset_upd.csv"
POLICY = {"cleaning": {"dedupe_order_lines": True, "drop_shared_orders": True, "quantity_limit": 1000}}


def generate(rows: int, path: Path, seed: int = 7) -> None:
    """Write ``rows`` synthetic order lines to ``path`` (CSV, UTF-8, the practicum columns)."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(seed)
    if PRACTICUM.exists():
        products = pd.read_csv(PRACTICUM, usecols=["product", "price"]).drop_duplicates("product")
        names, prices = products["product"].to_numpy(dtype=object), products["price"].to_numpy(dtype=float)
    else:
        names = np.array([f"Товар {i}" for i in range(2000)], dtype=object)
        prices = rng.integers(50, 5000, len(names)).astype(float)
    base = int(rows * 0.985)
    orders = max(base // 3, 1)
    customers = max(base // 20, 1)
    customer_ids = np.array([str(uuid.UUID(int=int(x))) for x in rng.integers(0, 2**63, customers)], dtype=object)
    order_customer = rng.integers(0, customers, orders)
    order_hour = np.sort(rng.integers(0, 2 * 365 * 24, orders))
    order_of_line = np.sort(rng.integers(0, orders, base))
    product = rng.integers(0, len(names), base)
    quantity = np.where(rng.random(base) < 0.9, 1, rng.integers(2, 10, base))
    quantity[rng.random(base) < 0.002] *= -1                         # returns
    stamp = np.datetime64("2018-10-01T00") + order_hour[order_of_line].astype("timedelta64[h]")
    frame = pd.DataFrame({
        "date": pd.Series(stamp).dt.strftime("%Y%m%d%H"),
        "customer_id": customer_ids[order_customer[order_of_line]],
        "order_id": (68_000 + order_of_line).astype(str),
        "product": names[product],
        "quantity": quantity.astype(str),
        "price": np.char.mod("%.1f", prices[product]),
    })
    extra = rows - base
    exact = frame.sample(n=extra // 3, random_state=seed)                   # exact duplicates
    later = frame.sample(n=extra - len(exact), random_state=seed + 1)       # the same order line re-recorded later
    later = later.assign(date=(pd.to_datetime(later["date"], format="%Y%m%d%H") + pd.Timedelta(hours=1))
                         .dt.strftime("%Y%m%d%H"))
    frame = pd.concat([frame, exact, later], ignore_index=True).sample(frac=1.0, random_state=seed)
    pacsv.write_csv(pa.Table.from_pandas(frame, preserve_index=False), path,
                    pacsv.WriteOptions(quoting_style="needed"))


def dataset(rows: int) -> Path:
    path = Path(tempfile.gettempdir()) / f"spark_vs_pandas_{rows}.csv"
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".part")
        generate(rows, partial)
        partial.replace(path)
        print(f"generated {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.0f} s",
              file=sys.stderr)
    return path


def run_pandas(path: Path) -> dict:
    from core import pipeline
    from core.settings import Settings
    settings = Settings.from_json(json.dumps(POLICY))
    stages, clock = {}, time.perf_counter()

    def lap(stage):
        nonlocal clock
        now = time.perf_counter()
        stages[stage] = round(now - clock, 2)
        clock = now

    data = path.read_bytes()
    lap("read bytes")
    intake = pipeline.load(data, path.name, settings)
    lap("read + type (core.io)")
    prepared = pipeline.prepare(intake.canonical, settings.cleaning)
    lap("clean + orders + customers")
    pipeline.require_usable_rows(prepared)
    language = pipeline.effective_language(settings, prepared.lines)
    rules = settings.rules if settings.rules is not None else pipeline.categories.default_rules(language)
    lines = pipeline.categorise_lines(prepared.lines, rules)
    lap("categorise")
    segmentation = pipeline.segment_customers(lines, prepared.customers, settings)
    lap("score + segment")
    summary = pipeline.summary(pipeline.Analysis(intake, prepared, lines, rules, segmentation))
    lap("summary")
    return {"stages": stages, "summary": summary}


def run_spark(path: Path, memory: str, partitions: int) -> dict:
    from core import spark_engine
    from core.settings import Settings
    settings = Settings.from_json(json.dumps(POLICY))
    started = time.perf_counter()
    spark = spark_engine.make_session(memory=memory, quick_start=False)
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    session = round(time.perf_counter() - started, 2)
    try:
        result = spark_engine.run(spark, path, settings)
        jvm_peak = _descendants_peak_rss_mb()
    finally:
        spark.stop()
    return {"stages": {"session start": session, **result.timings}, "summary": spark_engine.summary(result),
            "jvm_peak_rss_mb": jvm_peak}


def _own_peak_rss_mb() -> int:
    """This process' peak resident memory (VmHWM; ru_maxrss also counted the JVM launcher's fork)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def _descendants_peak_rss_mb() -> int:
    """Sum of the peak resident memory (VmHWM) of this process' descendants: the JVM in local mode."""
    parents = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        parents[int(status.parent.name)] = (int(fields["PPid"]), fields.get("VmHWM", "0 kB"))
    mine, total, grew = {os.getpid()}, 0, True
    while grew:
        found = {pid for pid, (ppid, _) in parents.items() if ppid in mine and pid not in mine}
        grew = bool(found)
        mine |= found
    for pid in mine - {os.getpid()}:
        total += int(parents[pid][1].split()[0])
    return round(total / 1024)


def child(engine: str, rows: int, memory: str, partitions: int) -> None:
    path = dataset(rows)
    started = time.perf_counter()
    result = run_pandas(path) if engine == "pandas" else run_spark(path, memory, partitions)
    result["total"] = round(time.perf_counter() - started, 2)
    result["peak_rss_mb"] = _own_peak_rss_mb()
    print(json.dumps(result, ensure_ascii=False))


def measure(engine: str, rows: int, args) -> dict:
    command = [sys.executable, __file__, "--child", engine, "--rows", str(rows), "--spark-memory", args.spark_memory,
               "--partitions", str(args.partitions)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout, cwd=REPO)
    except subprocess.TimeoutExpired:
        return {"timeout": args.timeout}
    if done.returncode:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, action="append", help="rows to generate (repeatable; default 1e6)")
    parser.add_argument("--spark-memory", default="8g", help="Spark driver memory (local mode: all of Spark)")
    parser.add_argument("--partitions", type=int, default=8, help="spark.sql.shuffle.partitions")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per engine run before giving up")
    parser.add_argument("--engines", default="pandas,spark")
    parser.add_argument("--json", help="also write the results here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = args.rows or [1_000_000]
    if args.child:
        child(args.child, sizes[0], args.spark_memory, args.partitions)
        return 0
    results, status = {}, 0
    for rows in sizes:
        path = dataset(rows)
        results[rows] = {"file_mb": round(path.stat().st_size / 1e6)}
        for engine in args.engines.split(","):
            result = measure(engine, rows, args)
            results[rows][engine] = result
            shown = {k: v for k, v in result.items() if k != "summary"}
            print(f"{rows:>11,} {engine:<6} {json.dumps(shown, ensure_ascii=False)}", flush=True)
        done = [results[rows][e]["summary"] for e in args.engines.split(",") if "summary" in results[rows][e]]
        if len(done) == 2:
            keys = ("rows", "customers", "orders")
            same = all(done[0][k] == done[1][k] for k in keys) and abs(done[0]["revenue"] - done[1]["revenue"]) <= 0.01
            results[rows]["same_results"] = same
            print(f"{rows:>11,} same rows/customers/orders/revenue: {same}", flush=True)
            status |= not same
        for engine in args.engines.split(","):
            results[rows][engine].pop("summary", None)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return status


if __name__ == "__main__":
    sys.exit(main())
