"""The bad-input corpus (tests/data/bad, outcomes in cases.json) through the CLI and through core.pipeline.run.

Every case either fails cleanly (exit 2, exactly one stderr line ``error: ...`` with the expected text, no
traceback; core raises InputError with the same text) or succeeds with the hand-computed figures. Large files
are built once per module by ``generate.large_files()`` in a temporary folder; CLI runs go in parallel.
"""
import importlib.util
import io
import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from core import pipeline
from core.clean import DROP_REASONS
from core.errors import InputError
from core.settings import Settings
from tests.conftest import REPO

CORPUS = Path(__file__).resolve().parent / "data" / "bad"
CASES = {name: case for name, case in json.loads((CORPUS / "cases.json").read_text("utf-8")).items()
         if not name.startswith("_")}
ERRORS = sorted(name for name, case in CASES.items() if "error" in case)
SUCCESSES = sorted(name for name, case in CASES.items() if "error" not in case)
NOT_CORPUS = {"generate.py", "cases.json"}
MAX_COMMITTED_BYTES = 100_000


def _load_generator():
    spec = importlib.util.spec_from_file_location("bad_corpus_generate", CORPUS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


def settings_of(case: dict) -> Settings:
    return Settings.from_json(json.dumps({**case.get("settings", {}), "mapping": case.get("map", {})}))


def cli_args(case: dict, path: Path, settings_dir: Path, name: str) -> list[str]:
    args = ["summary", str(path)]
    if "settings" in case:
        settings_path = settings_dir / f"{name}.json"
        settings_path.write_text(json.dumps(case["settings"]), encoding="utf-8")
        args += ["--settings", str(settings_path)]
    for field, column in case.get("map", {}).items():
        args += ["--map", f"{field}={column}"]
    return args


@pytest.fixture(scope="module")
def generated_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bad_generated")
    for name, data in generate.large_files().items():
        (folder / name).write_bytes(data)
    return folder


def case_path(case: dict, generated_dir: Path) -> Path:
    return (generated_dir if case.get("generated") else CORPUS) / case["file"]


@pytest.fixture(scope="module")
def cli_results(generated_dir, tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """Every case through ``python -m core``, a few processes at a time."""
    settings_dir = tmp_path_factory.mktemp("bad_settings")

    def run(name: str) -> subprocess.CompletedProcess:
        args = cli_args(CASES[name], case_path(CASES[name], generated_dir), settings_dir, name)
        return subprocess.run([sys.executable, "-m", "core", *args], capture_output=True, text=True,
                              encoding="utf-8", cwd=REPO, timeout=120)

    with ThreadPoolExecutor(max_workers=3) as pool:
        return dict(zip(CASES, pool.map(run, CASES)))


# --- the corpus itself ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_files() -> dict[str, bytes]:
    return generate.small_files()


def test_the_manifest_covers_every_corpus_file_and_nothing_else(small_files):
    committed = {path.name for path in CORPUS.iterdir() if path.is_file() and path.name not in NOT_CORPUS}
    small, large = set(small_files), set(generate.LARGE_FILES)
    assert committed == small
    assert {case["file"] for case in CASES.values() if not case.get("generated")} == small
    assert {case["file"] for case in CASES.values() if case.get("generated")} == large
    assert len(CASES) >= 25 and len(ERRORS) >= 10 and len(SUCCESSES) >= 15
    for name, case in CASES.items():
        assert case.get("why"), name
        assert ("error" in case) != ("rows" in case), name


def workbook_cells(data: bytes) -> list[list]:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets]


def test_committed_files_are_small_and_match_the_generator(small_files):
    for name, data in small_files.items():
        committed = (CORPUS / name).read_bytes()
        assert len(committed) < MAX_COMMITTED_BYTES, name
        if data.startswith(b"PK\x03\x04") and name != "broken_zip.csv":  # workbook bytes vary with openpyxl's version
            assert workbook_cells(committed) == workbook_cells(data), name
        else:
            assert committed == data, f"{name} is stale: run python tests/data/bad/generate.py"


def test_the_generator_is_deterministic(small_files):
    assert generate.small_files() == small_files
    assert generate.many_columns() == generate.many_columns()


def test_generated_files_are_as_large_as_promised(generated_dir):
    assert (generated_dir / "huge_product_name.csv").stat().st_size > 1_000_000
    header = (generated_dir / "many_columns.csv").read_text("utf-8").split("\n", 1)[0]
    assert header.count(",") + 1 == 2_000
    long_header = (generated_dir / "long_header_ragged_rows.csv").read_bytes().split(b"\n", 1)[0]
    assert len(long_header) > 1 << 16
    assert (generated_dir / "one_customer_200k_rows.csv").read_bytes().count(b"\n") == 200_001


# --- errors -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ERRORS)
def test_cli_rejects_with_one_helpful_line(name, cli_results):
    case, result = CASES[name], cli_results[name]
    assert result.returncode == 2, (result.stdout[:500], result.stderr)
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert case["error"] in lines[0]
    assert "could not process the input" not in lines[0]  # the generic fallback is for bugs only


@pytest.mark.parametrize("name", ERRORS)
def test_core_raises_input_error(name, generated_dir):
    case = CASES[name]
    data = case_path(case, generated_dir).read_bytes()
    with pytest.raises(InputError) as caught:
        pipeline.run(data, case["file"], settings_of(case), typed=case.get("map", {}))
    message = str(caught.value)
    assert case["error"] in message
    assert "\n" not in message and len(message) < 2_000


# --- successes --------------------------------------------------------------------------------------------------


def expected_dropped(case: dict) -> dict[str, int]:
    unknown = set(case["rows"]["dropped"]) - set(DROP_REASONS)
    assert not unknown, f"unknown drop reasons in the manifest: {unknown}"
    return {reason: case["rows"]["dropped"].get(reason, 0) for reason in DROP_REASONS}


def check_summary(case: dict, summary: dict) -> None:
    assert summary["rows"]["input"] == case["rows"]["input"]
    assert summary["rows"]["kept"] == case["rows"]["kept"]
    assert summary["rows"]["dropped"] == expected_dropped(case)
    assert summary["rows"]["input"] == summary["rows"]["kept"] + sum(summary["rows"]["dropped"].values())
    assert summary["customers"] == case["customers"]
    assert summary["orders"] == case["orders"]
    assert summary["revenue"] == pytest.approx(case["revenue"], abs=0.005)
    assert (summary["first_date"], summary["last_date"]) == (case["first_date"], case["last_date"])
    for key in ("encoding", "delimiter", "columns", "notes"):
        if key in case:
            assert summary["input"][key] == case[key], key
    segments = summary["segments"]
    assert sum(segment["customers"] for segment in segments) == case["customers"]
    assert sum(segment["revenue"] for segment in segments) == pytest.approx(case["revenue"], abs=0.05)
    assert sum(c["rows"] for c in summary["categories"]["by_category"].values()) == case["rows"]["kept"]


@pytest.mark.parametrize("name", SUCCESSES)
def test_cli_summary_has_the_hand_computed_figures(name, cli_results):
    case, result = CASES[name], cli_results[name]
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    check_summary(case, json.loads(result.stdout))


@pytest.mark.parametrize("name", SUCCESSES)
def test_core_run_has_the_hand_computed_figures(name, generated_dir):
    case = CASES[name]
    analysis = pipeline.run(case_path(case, generated_dir).read_bytes(), case["file"], settings_of(case),
                            typed=case.get("map", {}))       # what the CLI's --map types
    check_summary(case, json.loads(json.dumps(pipeline.summary(analysis))))
    lines, report = analysis.prepared.lines, analysis.prepared.report
    if "products" in case:
        assert lines["product"].tolist() == case["products"]
    if "customer_ids" in case:
        assert lines["customer_id"].tolist() == case["customer_ids"]
    if "product_lengths" in case:
        assert lines["product"].str.len().tolist() == case["product_lengths"]
    if "filled_from_order" in case:
        assert report.filled_from_order == case["filled_from_order"]
    customers = analysis.segmentation.customers
    assert customers["customer_id"].is_unique and len(customers) == case["customers"]
    assert customers["segment"].notna().all()
    assert set(customers["customer_id"]) == set(lines["customer_id"])


# --- known gaps -------------------------------------------------------------------------------------------------


def test_a_line_without_order_id_is_dropped_and_counted():
    data = b"date,customer_id,order_id,product,quantity,price\n2023-01-05,A,,Tea,1,2\n2023-01-06,B,2,Cup,1,3\n"
    summary = pipeline.summary(pipeline.run(data, "orders.csv", Settings()))
    segment_revenue = sum(segment["revenue"] for segment in summary["segments"])
    assert summary["revenue"] == pytest.approx(segment_revenue)
    assert summary["rows"]["kept"] == 1 and summary["rows"]["dropped"]["missing_order"] == 1
    assert summary["customers"] == 1 and summary["revenue"] == 3.0
