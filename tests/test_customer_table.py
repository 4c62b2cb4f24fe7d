"""Customer-level input: a customer table built elsewhere continues from scoring onward with the same results,
and the SQL documented in the README builds core's customer table (checked on sqlite3)."""
import json
import re
import sqlite3
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from core import categories, customer_table, pipeline
from core.errors import InputError
from core.settings import Settings
from tests.conftest import PRACTICUM_OLD, PRACTICUM_UPD, REPO

PUBLISHED = Settings.from_json(json.dumps(
    {"cleaning": {"dedupe_order_lines": True, "drop_shared_orders": True, "quantity_limit": 1000}}))
DOCS = REPO / "README.md"


def documented_sql() -> str:
    """The ```sql block of the README that starts with ``-- customer_table.sql``."""
    blocks = re.findall(r"```sql\n(.*?)```", DOCS.read_text(encoding="utf-8"), flags=re.S)
    (sql,) = [block for block in blocks if block.startswith("-- customer_table.sql")]
    return sql


def typed_lines(analysis: pipeline.Analysis) -> pd.DataFrame:
    """The typed order lines as a warehouse holds them (dates as ISO text, which sorts like timestamps)."""
    canonical = analysis.intake.canonical
    return canonical.assign(date=canonical["date"].dt.strftime("%Y-%m-%d %H:%M:%S"))


def exported_customers(analysis: pipeline.Analysis) -> pd.DataFrame:
    """Core's customer table with spend_<category> columns, as the Spark job writes it."""
    lines = analysis.lines
    spend = (lines.groupby(["customer_id", lines["category"].astype(str)])["revenue"].sum()
             .unstack(fill_value=0.0).add_prefix("spend_"))
    return analysis.prepared.customers.join(spend, on="customer_id")


@pytest.fixture(scope="module")
def published():
    return pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, PUBLISHED)


def test_a_customer_table_gives_the_same_segmentation_as_the_lines(published, tmp_path):
    path = tmp_path / "customers.parquet"
    exported_customers(published).to_parquet(path, index=False)
    read = customer_table.read(path.read_bytes(), path.name)
    assert read.source["format"] == "parquet" and read.source["kind"] == "customers"
    segmentation = pipeline.segment_customer_table(read.customers, PUBLISHED)
    columns = ["customer_id", "recency_days", "frequency", "monetary", "R", "F", "M", "RFM", "segment",
               "lifecycle", "dominant_category"]
    pd.testing.assert_frame_equal(segmentation.customers[columns], published.segmentation.customers[columns])
    expected = pipeline.summary(published)
    got = pipeline.customer_table_summary(read.source, read.customers, segmentation)
    assert list(got) == list(expected) and got["rows"] is None
    for key in ("customers", "orders", "revenue", "first_date", "last_date", "analysis_date", "scores", "segments"):
        assert got[key] == expected[key], key
    spend = got["categories"]["by_category"]
    assert {name: round(value["revenue"], 2) for name, value in spend.items()} == \
        {name: round(value["revenue"], 2) for name, value in expected["categories"]["by_category"].items()}


def test_cli_reads_a_customer_table_by_its_columns_or_when_told(published, tmp_path):
    parquet, csv = tmp_path / "customers.parquet", tmp_path / "customers.csv"
    table = exported_customers(published)
    table.to_parquet(parquet, index=False)
    table.drop(columns=[c for c in table if c.startswith("spend_")]).to_csv(csv, index=False)
    expected = pipeline.summary(published)
    for args in ([parquet], [parquet, "--input-kind", "customers"], [csv]):
        result = subprocess.run([sys.executable, "-m", "core", "summary", *map(str, args)], capture_output=True,
                                text=True, cwd=REPO, timeout=120)
        assert result.returncode == 0 and result.stderr == "", result.stderr
        summary = json.loads(result.stdout)
        assert summary["input"]["kind"] == "customers" and summary["rows"] is None
        assert summary["segments"] == expected["segments"]
        assert summary["customers"] == 2412 and summary["orders"] == 3491
    assert summary["categories"] is None                   # the CSV has no spend columns
    result = subprocess.run([sys.executable, "-m", "core", "summary", str(csv), "--input-kind", "orders"],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 2 and result.stderr.startswith("error: no column found for date")


def test_columns_are_matched_loosely_and_typed(tmp_path):
    text = ("Customer ID,First Purchase,LAST_PURCHASE,Orders,Revenue,AOV,spend_Garden,spend_Kitchen,spend_Other\n"
            "17850.0,2023-01-05 10:00,2023-03-01,3,\"1,250.50\",1,100,100,0\n"
            "13047.0,05.01.2023,2023-01-05T12:30:00Z,1,80,80,-5,20,\n"
            "12583.0,2023-02-01,2023-02-01,1,0,0,,,\n")
    read = customer_table.read(text.encode(), "customers.csv")
    customers = read.customers.set_index("customer_id")
    assert list(customers.index) == ["12583", "13047", "17850"]           # sorted, 17850.0 -> 17850
    assert customers.loc["17850", "revenue"] == 1250.5
    assert customers.loc["17850", "aov"] == pytest.approx(416.8333, 1e-4)
    assert customers.loc["13047", "last_purchase"] == pd.Timestamp("2023-01-05 12:30")
    assert str(customers["orders"].dtype) == "int64"
    assert read.source["columns"]["first_purchase"] == "First Purchase"
    dominant = customer_table.dominant_category(customer_table.spend_table(read.customers))
    assert dominant["17850"] == "Garden"     # a tie goes to the name that sorts first
    assert dominant["13047"] == "Kitchen"    # negative spend counts as 0
    assert pd.isna(dominant["12583"])        # nothing spent
    segmentation = pipeline.segment_customer_table(read.customers, Settings())
    assert segmentation.analysis_date == pd.Timestamp("2023-03-02")
    assert segmentation.customers["dominant_category"].isna().sum() == 1


@pytest.mark.parametrize("text, message", [
    ("customer_id,first_purchase,orders\nA,2023-01-01,1\n", "no column last_purchase, revenue"),
    ("customer_id,first_purchase,last_purchase,orders,revenue\n", "has no data rows"),
    ("customer_id,first_purchase,last_purchase,orders,revenue\nA,2023-01-01,2023-01-02,1,5\nA,2023-01-01,"
     "2023-01-02,1,5\n", "customer_id 'A' appears more than once"),
    ("customer_id,first_purchase,last_purchase,orders,revenue\nA,2023-01-01,soon,1,5\n",
     "last_purchase: 1 row(s) where the value is not a date, e.g. row 2 ('soon')"),
    ("customer_id,first_purchase,last_purchase,orders,revenue\nA,2023-01-01,2023-01-02,0,5\n",
     "orders: 1 row(s) where the value is not a whole number of at least 1"),
    ("customer_id,first_purchase,last_purchase,orders,revenue\nA,2023-02-01,2023-01-02,1,5\n",
     "first_purchase: 1 row(s) where the value is after last_purchase"),
    ("customer_id,first_purchase,last_purchase,orders,revenue,spend_X\nA,2023-01-01,2023-01-02,1,5,lots\n",
     "spend_X: 1 row(s) where the value is not a number"),
])
def test_bad_customer_tables_are_input_errors_naming_the_problem(text, message):
    with pytest.raises(InputError, match=re.escape(message)):
        customer_table.read(text.encode(), "customers.csv")


def test_cli_names_the_missing_columns_on_one_line(tmp_path):
    path = tmp_path / "customers.csv"
    path.write_text("customer_id,first_purchase,last_purchase,orders\nA,2023-01-01,2023-01-02,1\n")
    result = subprocess.run([sys.executable, "-m", "core", "summary", str(path), "--input-kind", "customers"],
                            capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "no column revenue" in result.stderr and result.stderr.startswith("error: ")


def test_an_analysis_date_before_the_last_purchase_is_refused(published):
    settings = Settings(analysis_date="2019-06-01")
    with pytest.raises(InputError, match="must be after the last purchase"):
        pipeline.segment_customer_table(published.prepared.customers, settings)


@pytest.mark.parametrize("path", [PRACTICUM_UPD, PRACTICUM_OLD], ids=["upd", "old"])
def test_documented_sql_builds_cores_customer_table_on_sqlite(path):
    analysis = pipeline.run(path.read_bytes(), path.name, PUBLISHED)
    connection = sqlite3.connect(":memory:")
    typed_lines(analysis).astype({"customer_id": object, "order_id": object, "product": object}).to_sql(
        "order_lines", connection, index=False)
    got = pd.read_sql_query(documented_sql(), connection)
    expected = analysis.prepared.customers
    assert got["customer_id"].tolist() == expected["customer_id"].tolist()
    assert got["orders"].tolist() == expected["orders"].tolist()
    np.testing.assert_allclose(got["revenue"], expected["revenue"], rtol=1e-12)
    for column in ("first_purchase", "last_purchase"):
        assert (pd.to_datetime(got[column]).to_numpy() == expected[column].to_numpy()).all()
    from_sql, _ = customer_table.from_frame(got)   # and it is a valid customer-level input as it comes
    assert len(from_sql) == len(expected)


def test_dominant_category_follows_category_spend_shares(published):
    lines = published.lines
    shares = categories.category_spend_shares(lines)
    spend = exported_customers(published)
    dominant = customer_table.dominant_category(customer_table.spend_table(spend))
    expected = shares["dominant_category"].reindex(dominant.index)
    pd.testing.assert_series_equal(dominant, expected, check_names=False)


def test_order_lines_in_parquet_are_read_like_the_csv(tmp_path):
    """A warehouse export of order lines in Parquet (typed columns: timestamps, floats, ints) gives the CSV's
    summary on the CLI, and is not taken for a customer table."""
    frame = pd.read_csv(PRACTICUM_UPD)
    frame["date"] = pd.to_datetime(frame["date"].astype(str), format="%Y%m%d%H")   # a real timestamp column
    path = tmp_path / "lines.parquet"
    frame.to_parquet(path, index=False)
    result = subprocess.run([sys.executable, "-m", "core", "summary", str(path)], capture_output=True, text=True,
                            cwd=REPO, timeout=120)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    summary = json.loads(result.stdout)
    expected = pipeline.summary(pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, Settings()))
    assert summary["input"]["format"] == "parquet" and summary["rows"] == expected["rows"]
    assert (summary["customers"], summary["orders"]) == (expected["customers"], expected["orders"])
    assert summary["revenue"] == pytest.approx(expected["revenue"], abs=0.005)
    assert summary["segments"] == expected["segments"]
    assert customer_table.looks_like_customer_table(customer_table.parquet_columns(path.read_bytes())) is False


def test_a_damaged_parquet_file_is_one_clear_error():
    with pytest.raises(InputError, match="could not read 'broken.parquet' as Parquet"):
        pipeline.run(b"PAR1" + b"\x00" * 64, "broken.parquet", Settings())
