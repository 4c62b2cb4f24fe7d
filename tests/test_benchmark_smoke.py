"""Smoke test of the end-to-end benchmark: ``benchmarks/run.py --rows 100000`` run as a subprocess, as a person runs
it, so the script cannot rot. Checks its JSON (every key, positive numbers, the stage list, targets) and that our
pipeline's outputs equal the notebook baseline's on that data, reading the outputs the run kept.

Where they must be equal: kept lines, customers, orders, revenue, the category of every line (same default rules),
each customer's recency days, frequency, monetary value and dominant category. Where they differ by design: the
notebook scores with ``pd.qcut(x.rank(method="first"), 5)``, which splits customers with EQUAL values into
different scores by row order; the app gives equal values one score (the lowest their bin spans). So scores may
differ only on tied values (plus at most one rank per bin edge where qcut's interpolated edges and the app's
``rank * bins // customers`` fall apart), and with the app's tie rule written in notebook form
(``baseline.scores_ties_lowest``) the scores, and the notebook's own row-wise segment assignment on them, are equal.
"""
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from benchmarks import baseline
from core.segments import default_segment_map
from tests.conftest import REPO

pytestmark = pytest.mark.slow
ROWS = 100_000
STAGES = ["read", "clean", "categorise", "rfm", "segment", "profiles", "dashboard"]
LETTERS = {"R": "recency_days", "F": "frequency", "M": "monetary"}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """(the JSON report, the folder with the CSV and both outputs)."""
    folder = tmp_path_factory.mktemp("benchmark")
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "run.py"), "--rows", str(ROWS), "--keep",
                             str(folder)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1, "the benchmark prints exactly one JSON object"
    return json.loads(lines[0]), folder


def test_report_has_every_key_with_positive_numbers(run):
    report, _ = run
    assert report["stages"] == STAGES
    for key in ("seconds", "cpu_seconds"):
        assert list(report[key]) == STAGES
        assert all(value > 0 for value in report[key].values()), report[key]
    assert list(report["baseline"]["seconds"]) == STAGES[:-1]          # the notebook has no dashboard
    assert all(value > 0 for value in report["baseline"]["seconds"].values())
    for key in ("csv_mb", "end_to_end_seconds", "all_stages_seconds", "rescore_seconds", "rescore_app_path_seconds",
                "recategorise_seconds", "workbook_seconds", "workbook_mb", "peak_rss_mb", "peak_rss_pipeline_mb",
                "rss_after_imports_mb", "peak_rss_csv_multiple", "speedup", "speedup_cpu"):
        assert isinstance(report[key], (int, float)) and report[key] > 0, key
    assert report["end_to_end_seconds"] == pytest.approx(sum(report["seconds"][s] for s in STAGES[:-1]), abs=0.01)
    assert report["speedup"] == pytest.approx(report["baseline"]["total_seconds"] / report["end_to_end_seconds"],
                                              rel=0.01)
    assert report["peak_rss_mb"] >= report["peak_rss_pipeline_mb"] >= report["rss_after_imports_mb"]
    assert 0.95 * ROWS <= report["rows"] <= 1.05 * ROWS and report["baseline"]["rows"] == report["rows"]
    assert "baseline_extrapolated_from_rows" not in report                # the baseline ran on the same rows
    assert report["customers"] > 0 and report["workbook_customers"] == min(report["customers"], 100_000)
    assert report["recategorise_edit"]["lines_changed"] > 0              # the edited rule really moved lines
    assert set(report["targets"]) == {"speedup_ge_25x", "rescore_le_0_3s", "peak_rss_le_3x_csv"}
    assert all(isinstance(met, bool) for met in report["targets"].values())
    assert report["targets"]["rescore_le_0_3s"] == (report["rescore_seconds"] <= 0.3)
    assert len(report["load_average"]["start"]) == 3 and report["machine"]["cores"] >= 1
    assert report["date"][:4].isdigit()


def test_figures_and_line_categories_equal_the_baseline(run):
    report, folder = run
    agreement = report["agreement"]
    assert all(agreement["figures_equal"].values()), agreement["figures_equal"]
    ours = pd.read_parquet(folder / "ours" / "lines.parquet")
    notebook = pd.read_parquet(folder / "baseline" / "lines.parquet")
    assert len(ours) == report["kept_rows"] and ours.index.sort_values().equals(notebook.index.sort_values())
    notebook = notebook.reindex(ours.index)
    assert (ours["category"] == notebook["category"]).all()             # same rules, same first match
    assert ours["category"].nunique() > 5 and (ours["category"] != "Other").mean() > 0.9
    assert agreement["lines_category_differs"] == 0 and agreement["lines_compared"] == len(ours)


@pytest.fixture(scope="module")
def customers(run):
    """Our customers joined with the notebook's (``_nb`` columns), by customer id."""
    _, folder = run
    ours = pd.read_parquet(folder / "ours" / "customers.parquet").set_index("customer_id")
    notebook = pd.read_parquet(folder / "baseline" / "customers.parquet")
    assert ours.index.sort_values().equals(notebook.index.sort_values())
    return ours.join(notebook, suffixes=("", "_nb"))


def test_customer_values_and_dominant_categories_equal_the_baseline(customers):
    assert (customers["recency_days"] == customers["recency_days_nb"]).all()
    assert (customers["frequency"] == customers["frequency_nb"]).all()
    np.testing.assert_allclose(customers["monetary"], customers["monetary_nb"], rtol=1e-9)
    assert (customers["dominant_category"] == customers["dominant_category_nb"]).all()


def test_notebook_scores_differ_only_on_tied_values(run, customers):
    report, _ = run
    for letter, column in LETTERS.items():
        values = customers[f"{column}_nb"]
        differ = customers[letter] != customers[f"{letter}_nb"]
        untied = differ & ~values.duplicated(keep=False)
        # qcut's interpolated edges may move at most one rank per bin edge, and then by one score
        assert untied.sum() <= baseline.BINS - 1, (letter, customers[untied])
        assert ((customers[letter] - customers[f"{letter}_nb"]).abs()[untied] == 1).all()
        assert report["agreement"]["scores"][letter]["differ_untied"] == untied.sum()
        # with the app's tie rule in notebook form the scores are the same for every customer
        matched = baseline.scores_ties_lowest(values, higher_is_better=letter != "R")
        assert (matched == customers[letter]).all(), letter
    # frequency is mostly 1 order: rank(method="first") spreads those customers over several scores by row order
    assert report["agreement"]["scores"]["F"]["differ_notebook_rank_first"] > 0.2 * len(customers)


def test_segments_equal_the_notebooks_with_the_same_tie_rule(run, customers):
    report, folder = run
    assert tuple((r.name, r.r_min, r.r_max, r.f_min, r.f_max) for r in default_segment_map(5)) == baseline.SEGMENT_MAP
    scores = pd.DataFrame({letter: baseline.scores_ties_lowest(customers[f"{column}_nb"], letter != "R")
                           for letter, column in LETTERS.items()})
    notebook_segments = scores.apply(baseline.segment_of, axis=1)
    assert (notebook_segments == customers["segment"]).all()
    segments = report["agreement"]["segments"]
    assert segments["ours"] == segments["notebook_ties_lowest_rule"]
    assert report["agreement"]["segments_equal_with_ties_lowest_rule"] is True
    assert segments["ours"] == customers["segment"].value_counts().reindex(list(segments["ours"]),
                                                                           fill_value=0).to_dict()
    assert segments["ours"] != segments["notebook_rank_first"]        # the documented tie-breaking difference
    # and the profiles' headline figures per segment follow
    profiles = pd.read_parquet(folder / "ours" / "profiles.parquet").set_index("segment")
    by_segment = customers.groupby(notebook_segments)["monetary_nb"].agg(["size", "sum"])
    assert profiles["customers"].to_dict() == by_segment["size"].to_dict()
    np.testing.assert_allclose(profiles["revenue"], by_segment["sum"].reindex(profiles.index), rtol=1e-9)


def test_the_app_pages_benchmark_runs_every_page_without_an_error():
    result = subprocess.run([sys.executable, str(REPO / "benchmarks" / "app_pages.py"), "--rows", "5000"], cwd=REPO,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rows"] == 5000 and report["errors"] == []
    assert list(report["seconds"]) == ["Home (upload)", "1_Categories", "2_Segments", "3_Profiles", "4_Explore",
                                       "5_Plan", "6_Tests", "7_Clusters", "8_Forecast", "9_Export"]
    assert all(step["open"] > 0 for step in report["seconds"].values())
