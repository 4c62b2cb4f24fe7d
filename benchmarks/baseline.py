"""Notebook-style pandas baseline of the pipeline, timed by ``benchmarks/run.py`` for the speed-up ratio.

What an analyst would write in a notebook for the same job, honestly but without the product's tricks: default
``pd.read_csv``, ``pd.to_datetime(df.date.astype(str), format=...)``, boolean filters and ``drop_duplicates`` for
cleaning, a row-wise ``df["product"].apply(...)`` that tries the SAME default keyword rules in Python (first match
wins; regexes compiled once), ``groupby`` per customer, ``pd.qcut(x.rank(method="first"), 5)`` scores, the classic
segment map applied by a row-wise ``apply`` over customers, and profiles built in a Python loop over segments.
It never imports ``core``: it is an independent implementation, so agreeing with it means something.

Cleaning mirrors the benchmark's policy (``run.py``: exact duplicates, repeated order lines keeping the latest,
orders shared by several customers and quantities >= 1000 dropped; returns, zero quantities and prices dropped).

The one concession to correctness is ``dtype={"date": str}`` in ``read_csv`` (see ``read``), the fix a notebook
user applies after pandas' DtypeWarning.

Usage: ``python benchmarks/baseline.py orders.csv [--out DIR]`` prints one JSON object (seconds per stage, the
headline figures, peak RSS) and, with ``--out``, writes its outputs as Parquet for ``run.py`` to compare.
"""
from __future__ import annotations

import argparse
import json
import re
import resource
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RULES_CSV = ROOT / "core" / "rules" / "ru_home_goods.csv"   # the product's default Russian rules, read as a table
OTHER = "Other"
STAGES = ("read", "clean", "categorise", "rfm", "segment", "profiles")
BINS = 5
# The classic 10 segments on 5 R and F bins, as a notebook would type them: (name, R min, R max, F min, F max).
SEGMENT_MAP = (
    ("Champions", 5, 5, 4, 5), ("Loyal", 3, 4, 4, 5), ("Potential Loyalists", 4, 5, 2, 3), ("New", 5, 5, 1, 1),
    ("Promising", 4, 4, 1, 1), ("Need Attention", 3, 3, 1, 3), ("Cannot Lose Them", 1, 2, 5, 5),
    ("At Risk", 1, 2, 3, 4), ("Hibernating", 2, 2, 1, 2), ("Lost", 1, 1, 1, 2),
)
QUANTITY_LIMIT = 1000


# --- the notebook, cell by cell ---------------------------------------------------------------------------------


def read(path: Path) -> pd.DataFrame:
    # dtype for date: with pure type inference the C parser reads the file in chunks, a chunk whose dates include
    # "n/a" becomes float ("2023050815.0") and to_datetime(format=...) silently turns it into NaT (pandas warns
    # "DtypeWarning: Columns (0: date) have mixed types"); at 1e6 rows that dropped 131,071 lines.
    df = pd.read_csv(path, dtype={"date": str})
    df["date"] = pd.to_datetime(df["date"].astype(str), format="%Y%m%d%H", errors="coerce")
    return df


def clean(df: pd.DataFrame) -> pd.DataFrame:
    df = df.dropna(subset=["customer_id", "order_id", "date"])
    df = df[(df["quantity"] > 0) & (df["price"] > 0)]
    df = df.drop_duplicates()
    df = df.sort_values("date").drop_duplicates(["customer_id", "order_id", "product"], keep="last")
    owners = df.groupby("order_id")["customer_id"].nunique()
    df = df[df["order_id"].isin(owners[owners == 1].index)]
    df = df[df["quantity"] < QUANTITY_LIMIT]
    df["revenue"] = df["quantity"] * df["price"]
    return df


def load_rules(path: Path = RULES_CSV) -> list[tuple[str, str, str]]:
    """(keyword, category, mode) of the enabled rules, in priority order."""
    rules = pd.read_csv(path, dtype=str, keep_default_na=False)
    rules = rules[rules["enabled"].str.lower().isin(["true", "1", "yes", ""])]
    return list(zip(rules["keyword"], rules["category"], rules["mode"]))


def normalise(text: str) -> str:
    return text.lower().replace("ё", "е")


def make_categoriser(rules: list[tuple[str, str, str]]):
    """A function name -> category: the first rule that matches, else Other. Words are runs of letters, digits
    and ``_`` (Python's ``\\w``), as in the app."""
    checks = []
    for keyword, category, mode in rules:
        word = re.escape(normalise(keyword))
        if mode == "contains":
            checks.append((category, normalise(keyword), None))
        elif mode == "whole word":
            checks.append((category, None, re.compile(rf"(?<!\w){word}(?!\w)")))
        elif mode == "starts with":
            checks.append((category, None, re.compile(rf"(?<!\w){word}")))
        else:
            checks.append((category, None, re.compile(keyword, re.IGNORECASE)))

    def categorise(name) -> str:
        if not isinstance(name, str):
            return OTHER
        text = normalise(name)
        for category, keyword, pattern in checks:
            if (keyword in text) if pattern is None else pattern.search(text):
                return category
        return OTHER

    return categorise


def categorise(df: pd.DataFrame, rules: list[tuple[str, str, str]]) -> pd.DataFrame:
    df["category"] = df["product"].apply(make_categoriser(rules))
    return df


def rfm_table(df: pd.DataFrame) -> tuple[pd.DataFrame, pd.Timestamp]:
    now = df["date"].max().normalize() + pd.Timedelta(days=1)
    rfm = df.groupby("customer_id").agg(first_purchase=("date", "min"), last_purchase=("date", "max"),
                                        frequency=("order_id", "nunique"), monetary=("revenue", "sum"))
    rfm["recency_days"] = (now - rfm["last_purchase"].dt.normalize()).dt.days
    return rfm, now


def segment_of(row) -> str:
    for name, r_min, r_max, f_min, f_max in SEGMENT_MAP:
        if r_min <= row["R"] <= r_max and f_min <= row["F"] <= f_max:
            return name
    return OTHER


def segment(df: pd.DataFrame, rfm: pd.DataFrame) -> pd.DataFrame:
    rfm["R"] = pd.qcut(rfm["recency_days"].rank(method="first"), BINS, labels=range(BINS, 0, -1)).astype(int)
    rfm["F"] = pd.qcut(rfm["frequency"].rank(method="first"), BINS, labels=range(1, BINS + 1)).astype(int)
    rfm["M"] = pd.qcut(rfm["monetary"].rank(method="first"), BINS, labels=range(1, BINS + 1)).astype(int)
    rfm["segment"] = rfm.apply(segment_of, axis=1)
    spend = df.groupby(["customer_id", "category"])["revenue"].sum().unstack(fill_value=0)
    rfm["dominant_category"] = spend.idxmax(axis=1)
    return rfm


def profiles(df: pd.DataFrame, rfm: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for name in [s[0] for s in SEGMENT_MAP] + [OTHER]:
        members = rfm[rfm["segment"] == name]
        if members.empty:
            continue
        lines = df[df["customer_id"].isin(members.index)]
        top = lines.groupby("category")["revenue"].sum().sort_values(ascending=False).head(3)
        orders = lines.drop_duplicates("order_id")
        row = {"segment": name, "customers": len(members), "share_customers": len(members) / len(rfm),
               "revenue": members["monetary"].sum(), "share_revenue": members["monetary"].sum() / rfm["monetary"].sum(),
               "aov": members["monetary"].sum() / members["frequency"].sum(),
               "mean_orders": members["frequency"].mean(), "median_recency_days": members["recency_days"].median(),
               "repeat_share": (members["frequency"] >= 2).mean(),
               "peak_month": orders["date"].dt.month.value_counts().idxmax(),
               "peak_weekday": orders["date"].dt.day_name().value_counts().idxmax()}
        for i, (category, revenue) in enumerate(top.items(), 1):
            row[f"category_{i}"] = category
            row[f"category_{i}_share"] = revenue / lines["revenue"].sum()
        rows.append(row)
    return pd.DataFrame(rows)


# --- helpers for comparing with the app (not part of the timed notebook) ----------------------------------------


def scores_ties_lowest(values: pd.Series, higher_is_better: bool = True, bins: int = BINS) -> pd.Series:
    """Quantile scores where equal values share the score of the first of them (``rank(method="min")``):
    ``1 + bins * (customers with a worse value) // customers``, the app's documented rule, in notebook form."""
    worse = (values if higher_is_better else -values).rank(method="min").astype("int64") - 1
    return 1 + bins * worse // len(values)


def run(path: Path) -> tuple[dict, dict]:
    """The notebook end to end: (seconds per stage, outputs)."""
    seconds, cpu = {}, {}

    def timed(stage, function, *args):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function(*args)
        seconds[stage] = round(time.perf_counter() - start, 3)
        cpu[stage] = round(time.process_time() - start_cpu, 3)
        return result

    raw = timed("read", read, path)
    rows = len(raw)
    df = timed("clean", clean, raw)
    del raw
    rules = load_rules()
    df = timed("categorise", categorise, df, rules)
    rfm, now = timed("rfm", rfm_table, df)
    rfm = timed("segment", segment, df, rfm)
    table = timed("profiles", profiles, df, rfm)
    figures = {"rows": rows, "kept_rows": len(df), "customers": len(rfm), "orders": int(df["order_id"].nunique()),
               "revenue": round(float(df["revenue"].sum()), 2), "analysis_date": now.date().isoformat(),
               "rules": len(rules)}
    return {"seconds": seconds, "cpu_seconds": cpu, **figures}, {"lines": df, "customers": rfm, "profiles": table}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--out", type=Path, help="write lines.parquet, customers.parquet, profiles.parquet here")
    args = parser.parse_args()
    report, outputs = run(args.csv)
    report["total_seconds"] = round(sum(report["seconds"].values()), 3)
    report["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        outputs["lines"][["category"]].to_parquet(args.out / "lines.parquet")
        outputs["customers"].drop(columns=["first_purchase", "last_purchase"]).to_parquet(
            args.out / "customers.parquet")
        outputs["profiles"].to_parquet(args.out / "profiles.parquet", index=False)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
