"""End-to-end benchmark: ``python benchmarks/run.py --rows 1000000`` prints one JSON object.

Generates a synthetic home-goods export with the sample-data generator (seeded) and writes it as CSV. Then, each
in a fresh Python process so neither's memory or warm caches affect the other:

* our pipeline, stage by stage (wall-clock and CPU seconds), on the CSV bytes:

  - ``read``: ``pipeline.load`` (read the bytes, map and type the columns);
  - ``clean``: ``core.clean.clean`` with the policy below (row accounting included);
  - ``categorise``: language detection + ``pipeline.categorise_lines`` with the default rules;
  - ``rfm``: ``build_orders`` + ``build_customers`` (per-customer first/last purchase, orders, revenue);
  - ``segment``: ``pipeline.segment_customers`` (RFM columns, scores, segments, lifecycle, dominant category);
  - ``profiles``: ``profiles.segment_profiles`` + ``profiles.recommendations``;
  - ``dashboard``: ``core.dashboard`` book, groups, Explore tables and campaign plan (a first visit of both
    pages; the notebook baseline has no equivalent, so it is not in ``end_to_end_seconds``);

  then what the app redoes after a change: ``rescore`` (``score_rfm`` + ``assign_segments`` with other
  ScoringSettings on the cached customer table; median of 5; ``rescore_app_path`` is the whole
  ``segment_customers`` call the app's cache re-runs), ``recategorise`` (``categorise_lines`` with one rule
  edited; median of 3), and the Excel workbook (``export.workbook_bytes``) for a 100,000-customer subset of this
  run (the first 100,000 customers by id, their lines, scores from the full run; all customers when there are
  fewer). Peak RSS (``ru_maxrss``) of that process, which holds the CSV bytes as the app holds an upload.
* the notebook-style pandas baseline (``benchmarks/baseline.py``) on the same CSV, or with ``--baseline-rows N``
  on a generated N-row file with its seconds scaled by rows (``baseline_extrapolated_from_rows``).

Both write their outputs; ``agreement`` compares them (figures, category per line, R/F/M values, scores and
segments; see ``compare``). ``--keep DIR`` keeps the CSV and the outputs there (the smoke test reads them).
Targets (at 1e6 rows): >= 25x faster than the baseline end to end, re-score <= 0.3 s, peak RSS <= 3x the CSV.
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from benchmarks import baseline  # noqa: E402
from core import categories, dashboard, export, pipeline, profiles, rfm, segments  # noqa: E402
from core.clean import clean  # noqa: E402
from core.orders import build_customers, build_orders  # noqa: E402
from core.rfm import ScoreSpec, ScoringSettings  # noqa: E402
from core.settings import CleaningPolicy, Settings  # noqa: E402

STAGES = ("read", "clean", "categorise", "rfm", "segment", "profiles", "dashboard")
END_TO_END = STAGES[:-1]            # the stages the notebook baseline also does
POLICY = CleaningPolicy(dedupe_order_lines=True, drop_shared_orders=True, quantity_limit=baseline.QUANTITY_LIMIT)
RESCORE = ScoringSettings(recency=ScoreSpec("cuts", cuts=(30, 90, 180, 365)),
                          frequency=ScoreSpec("cuts", cuts=(1, 2, 4)), monetary=ScoreSpec(bins=4))
WORKBOOK_CUSTOMERS = 100_000
TARGETS = {"speedup": 25.0, "rescore_seconds": 0.3, "peak_rss_csv_multiple": 3.0}
LETTERS = {"R": "recency_days", "F": "frequency", "M": "monetary"}


class Stopwatch:
    """Collects named stage timings: wall-clock and CPU seconds (a loaded machine inflates the first more)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.peak_rss: dict[str, int] = {}     # process peak RSS (MB) at the end of each stage

    def __call__(self, name: str):
        watch = self

        class _Stage:
            def __enter__(self):
                self.start, self.start_cpu = time.perf_counter(), time.process_time()

            def __exit__(self, *exc):
                watch.seconds[name] = round(time.perf_counter() - self.start, 3)
                watch.cpu[name] = round(time.process_time() - self.start_cpu, 3)
                watch.peak_rss[name] = peak_rss_mb()

        return _Stage()


def repeated(function, times: int) -> list[float]:
    timings = []
    for _ in range(times):
        start = time.perf_counter()
        function()
        timings.append(round(time.perf_counter() - start, 4))
    return timings


def peak_rss_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def edited_rules(rules: tuple[categories.Rule, ...], lines: pd.DataFrame) -> tuple[tuple[categories.Rule, ...], int]:
    """``rules`` with one rule edited as a user would (the first rule of the category with the most lines gets
    another category), and that rule's 1-based number."""
    winners = lines["category"].value_counts()       # on the categorical's codes: no million texts made
    category = next(c for c in winners.index if c != categories.OTHER)
    position = next(i for i, rule in enumerate(rules) if rule.category == category)
    other = next(rule.category for rule in rules if rule.category != category)
    edited = list(rules)
    edited[position] = dataclasses.replace(rules[position], category=other)
    return tuple(edited), position + 1


def category_names(category: pd.Series) -> np.ndarray:
    """Each line's category name from the categorical's codes (the names are shared, not copied per line)."""
    return np.asarray(category.cat.categories, dtype=object)[category.cat.codes.to_numpy()]


def ours(csv: Path, out: Path) -> dict:
    """Our pipeline on ``csv`` in this process; writes its outputs to ``out``; returns the report."""
    # the notebook's fixed classic map (not the one fitted to the scores in use), so segments compare one to one
    settings = Settings(cleaning=POLICY, segment_map=segments.default_segment_map(5))
    rss_imports = peak_rss_mb()
    data = csv.read_bytes()
    stage = Stopwatch()
    with stage("read"):
        intake = pipeline.load(data, csv.name, settings)
    with stage("clean"):
        result = clean(intake.canonical, settings.cleaning)
    clean_lines = result.lines
    with stage("categorise"):
        rules = pipeline.effective_rules(settings, pipeline.effective_language(settings, clean_lines))
        lines = pipeline.categorise_lines(clean_lines, rules)
    with stage("rfm"):
        orders = build_orders(clean_lines)
        customers = build_customers(clean_lines, orders)
    with stage("segment"):
        segmentation = pipeline.segment_customers(lines, customers, settings)
    with stage("profiles"):
        table = profiles.segment_profiles(lines, segmentation.customers)
        profiles.recommendations(table)
    with stage("dashboard"):
        book = dashboard.build_book(lines, pd.Index(customers["customer_id"]))
        groups = dashboard.book_groups(book, segmentation.customers.set_index("customer_id")["segment"])
        dashboard.explore(book, dashboard.Filters(), groups)
        dashboard.plan(book, groups)
    rss_pipeline = peak_rss_mb()

    # What the app recomputes after a change, from its cached tables.
    date = segmentation.analysis_date
    table = rfm.rfm_table(customers, date)
    rescored = dataclasses.replace(settings, scoring=RESCORE)
    rescore_map = pipeline.effective_segment_map(rescored)

    def rescore():
        scored, _ = rfm.score_rfm(table, RESCORE)
        return segments.assign_segments(scored, rescore_map)

    rescore_times = repeated(rescore, 5)
    dominant = pipeline.dominant_categories(lines, date)
    app_path_times = repeated(lambda: pipeline.segment_customers(lines, customers, rescored, dominant), 5)
    new_rules, edited_rule = edited_rules(rules, lines)
    recategorise_times = repeated(lambda: pipeline.categorise_lines(clean_lines, new_rules), 3)
    changed = int((category_names(pipeline.categorise_lines(clean_lines, new_rules)["category"])
                   != category_names(lines["category"])).sum())

    # The workbook for (at most) 100,000 customers of this run.
    scored = segmentation.customers
    ids = scored["customer_id"].sort_values().iloc[:WORKBOOK_CUSTOMERS]
    keep_line = lines["customer_id"].isin(ids).to_numpy()     # Arrow's is_in, not a Python-object index lookup
    sub_lines = lines[keep_line]                                # filtered once: the clean lines share its columns
    prepared = pipeline.Prepared(lines=sub_lines.drop(columns="category"),
                                 orders=orders[orders["customer_id"].isin(ids)],
                                 customers=customers[customers["customer_id"].isin(ids)], report=result.report)
    sub = pipeline.Analysis(intake=intake, prepared=prepared, lines=sub_lines, rules=rules,
                            segmentation=dataclasses.replace(segmentation,
                                                             customers=scored[scored["customer_id"].isin(ids)]))
    start = time.perf_counter()
    workbook = export.workbook_bytes(sub, settings)
    workbook_seconds = round(time.perf_counter() - start, 3)
    rss = peak_rss_mb()

    out.mkdir(parents=True, exist_ok=True)
    lines[["category"]].astype({"category": str}).to_parquet(out / "lines.parquet")
    columns = ["customer_id", *LETTERS.values(), *LETTERS, "segment", "dominant_category"]
    scored[columns].astype({"segment": str, "dominant_category": str}).to_parquet(out / "customers.parquet")
    segment_profiles = profiles.segment_profiles(lines, scored)
    segment_profiles.astype({"segment": str}).to_parquet(out / "profiles.parquet")
    return {
        "rows": result.report.input_rows, "kept_rows": result.report.kept_rows, "customers": len(customers),
        "orders": int(orders["order_id"].nunique()), "revenue": round(float(clean_lines["revenue"].sum()), 2),
        "analysis_date": date.date().isoformat(), "rules": len(rules),
        "seconds": stage.seconds, "cpu_seconds": stage.cpu, "peak_rss_by_stage_mb": stage.peak_rss,
        "rescore_seconds": statistics.median(rescore_times), "rescore_seconds_runs": rescore_times,
        "rescore_app_path_seconds": statistics.median(app_path_times),
        "recategorise_seconds": statistics.median(recategorise_times), "recategorise_seconds_runs": recategorise_times,
        "recategorise_edit": {"rule": edited_rule, "lines_changed": changed},
        "workbook_seconds": workbook_seconds, "workbook_customers": len(ids),
        "workbook_mb": round(len(workbook) / 2**20, 1),
        "peak_rss_pipeline_mb": rss_pipeline, "peak_rss_mb": rss, "rss_after_imports_mb": rss_imports,
    }


def child(args: list[str], parse: bool = True) -> dict:
    """Run a Python script in a fresh process and return the JSON object it prints."""
    result = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"benchmark step failed: {' '.join(args)}\n{result.stderr}")
    return json.loads(result.stdout) if parse else {}


def write(rows: int, seed: int, path: Path) -> None:
    """``generate(rows=rows, seed=seed)`` written with ``write_csv``, by the generator's CLI in its own process:
    Linux carries a process's peak RSS over fork and exec, so a big frame here would show in the children's."""
    child([str(ROOT / "sample_data" / "generate.py"), "--rows", str(rows), "--seed", str(seed), "--out", str(path)],
          parse=False)


def compare(our_dir: Path, base_dir: Path, our: dict, base: dict) -> dict:
    """How our outputs and the baseline's agree on the same data.

    Figures (kept lines, customers, orders, revenue) and the category of every line must be equal; so must each
    customer's R, F, M values (monetary to float rounding). Scores differ by design: the notebook's
    ``qcut(rank(method="first"))`` splits equal values by row order, ours gives equal values one score (the
    lowest their bin spans). With that tie rule in notebook form (``baseline.scores_ties_lowest``) the scores,
    and the notebook's row-wise segment assignment on them, must equal ours. ``differ_untied`` counts customers
    whose notebook score differs although no other customer has their value: qcut puts its edges at
    interpolated ranks, ours at ``rank * bins // customers``, so at most one rank per bin edge can fall apart.
    """
    our_lines, base_lines = pd.read_parquet(our_dir / "lines.parquet"), pd.read_parquet(base_dir / "lines.parquet")
    our_customers = pd.read_parquet(our_dir / "customers.parquet").set_index("customer_id")
    base_customers = pd.read_parquet(base_dir / "customers.parquet")
    both = our_customers.join(base_customers, how="inner", suffixes=("", "_nb"))
    lines = our_lines.join(base_lines, how="inner", suffixes=("", "_nb"))
    report = {"figures_equal": {key: our[key] == base[key] for key in ("kept_rows", "customers", "orders")}
              | {"revenue": bool(np.isclose(our["revenue"], base["revenue"], rtol=1e-9))},
              "lines_compared": len(lines), "lines_category_differs": int((lines["category"]
                                                                           != lines["category_nb"]).sum()),
              "customers_compared": len(both),
              "recency_days_differ": int((both["recency_days"] != both["recency_days_nb"]).sum()),
              "frequency_differ": int((both["frequency"] != both["frequency_nb"]).sum()),
              "monetary_max_relative_difference": float((both["monetary"] - both["monetary_nb"]).abs().max()
                                                        / both["monetary"].abs().max()),
              "dominant_category_differs": int((both["dominant_category"] != both["dominant_category_nb"]).sum()),
              "scores": {}}
    matched = pd.DataFrame(index=both.index)
    for letter, column in LETTERS.items():
        values = both[f"{column}_nb"]
        tied = values.duplicated(keep=False)
        differ = both[letter] != both[f"{letter}_nb"]
        matched[letter] = baseline.scores_ties_lowest(values, higher_is_better=letter != "R")
        report["scores"][letter] = {
            "differ_notebook_rank_first": int(differ.sum()), "differ_untied": int((differ & ~tied).sum()),
            "tied_customers": int(tied.sum()),
            "differ_with_ties_lowest_rule": int((both[letter] != matched[letter]).sum())}
    order = [name for name, *_ in baseline.SEGMENT_MAP] + [baseline.OTHER]

    def counts(series: pd.Series) -> dict[str, int]:
        return {name: int(n) for name, n in series.value_counts().reindex(order, fill_value=0).items()}

    report["segments"] = {"ours": counts(both["segment"]), "notebook_rank_first": counts(both["segment_nb"]),
                          "notebook_ties_lowest_rule": counts(matched.apply(baseline.segment_of, axis=1))}
    report["segments_equal_with_ties_lowest_rule"] = (report["segments"]["ours"]
                                                      == report["segments"]["notebook_ties_lowest_rule"])
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--baseline-rows", type=int, help="run the baseline on a generated file of this many rows "
                        "and scale its seconds linearly (when it would take too long on --rows)")
    parser.add_argument("--keep", type=Path, help="keep the CSV and both outputs in this folder")
    parser.add_argument("--ours", nargs=2, type=Path, metavar=("CSV", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ours:
        print(json.dumps(ours(*args.ours)))
        return

    started = dt.datetime.now().astimezone()
    load_start = os.getloadavg()
    folder = Path(tempfile.mkdtemp(prefix="benchmark-")) if args.keep is None else args.keep
    folder.mkdir(parents=True, exist_ok=True)
    try:
        csv = folder / "orders.csv"
        write(args.rows, args.seed, csv)
        our = child([__file__, "--ours", str(csv), str(folder / "ours")])
        base_csv = csv
        if args.baseline_rows and args.baseline_rows < args.rows:
            base_csv = folder / "orders_baseline.csv"
            write(args.baseline_rows, args.seed, base_csv)
        base = child([str(ROOT / "benchmarks" / "baseline.py"), str(base_csv), "--out", str(folder / "baseline")])
        if base_csv != csv:   # compare on the baseline's file, with our pipeline run on it too
            check = child([__file__, "--ours", str(base_csv), str(folder / "ours_on_baseline_rows")])
            agreement = compare(folder / "ours_on_baseline_rows", folder / "baseline", check, base)
        else:
            agreement = compare(folder / "ours", folder / "baseline", our, base)
        csv_mb = csv.stat().st_size / 2**20
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)

    scale = our["rows"] / base["rows"]
    base_seconds = {name: round(seconds * scale, 3) for name, seconds in base["seconds"].items()}
    end_to_end = round(sum(our["seconds"][name] for name in END_TO_END), 3)
    base_total = round(sum(base_seconds.values()), 3)
    speedup = round(base_total / end_to_end, 1)
    cpu_speedup = round(sum(base["cpu_seconds"].values()) * scale / sum(our["cpu_seconds"][s] for s in END_TO_END), 1)
    rss_multiple = round(our["peak_rss_mb"] / csv_mb, 2)
    report = {
        "date": started.isoformat(timespec="seconds"),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "pandas": pd.__version__,
                    "platform": platform.platform()},
        "load_average": {"start": [round(x, 2) for x in load_start],
                         "end": [round(x, 2) for x in os.getloadavg()]},
        "rows": our["rows"], "csv_mb": round(csv_mb, 1), "kept_rows": our["kept_rows"],
        "customers": our["customers"], "orders": our["orders"], "rules": our["rules"],
        "stages": list(STAGES),
        "seconds": our["seconds"], "cpu_seconds": our["cpu_seconds"],
        "end_to_end_seconds": end_to_end,
        "all_stages_seconds": round(sum(our["seconds"].values()), 3),
        "rescore_seconds": our["rescore_seconds"], "rescore_seconds_runs": our["rescore_seconds_runs"],
        "rescore_app_path_seconds": our["rescore_app_path_seconds"],
        "recategorise_seconds": our["recategorise_seconds"], "recategorise_edit": our["recategorise_edit"],
        "workbook_seconds": our["workbook_seconds"], "workbook_customers": our["workbook_customers"],
        "workbook_mb": our["workbook_mb"],
        "workbook_source": "first customers by id of this run, with their lines; scores from the full run",
        "peak_rss_mb": our["peak_rss_mb"], "peak_rss_pipeline_mb": our["peak_rss_pipeline_mb"],
        "rss_after_imports_mb": our["rss_after_imports_mb"], "peak_rss_by_stage_mb": our["peak_rss_by_stage_mb"],
        "peak_rss_csv_multiple": rss_multiple,
        "baseline": {"seconds": base_seconds, "total_seconds": base_total, "rows": base["rows"],
                     "cpu_seconds": base["cpu_seconds"], "peak_rss_mb": base["peak_rss_mb"]},
        "speedup": speedup, "speedup_cpu": cpu_speedup,
        "targets": {"speedup_ge_25x": speedup >= TARGETS["speedup"],
                    "rescore_le_0_3s": our["rescore_seconds"] <= TARGETS["rescore_seconds"],
                    "peak_rss_le_3x_csv": rss_multiple <= TARGETS["peak_rss_csv_multiple"]},
        "agreement": agreement,
    }
    if scale != 1:
        report["baseline_extrapolated_from_rows"] = base["rows"]
    print(json.dumps(report))


if __name__ == "__main__":
    main()
