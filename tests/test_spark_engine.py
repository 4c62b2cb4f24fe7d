"""The Spark engine gives the pandas engine's results (marked ``spark``; skipped only without Java or pyspark).

One local SparkSession serves the whole module. Parity means: the same input block, every drop-reason count,
customers, orders, dates, category rows and names, score bins, segment sizes and the same per-customer table
(ids, first/last purchase, orders; revenue to 1e-9 relative) with the same R/F/M scores, segments and dominant
categories. Money sums may differ in the last bits (Spark adds in another order), so money is compared to 0.01.
"""
import importlib.util
import json
import os
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from core import io, pipeline, spark_engine
from core.errors import InputError
from core.orders import CUSTOMER_COLUMNS
from core.settings import Settings
from tests.conftest import ONLINE_RETAIL, PRACTICUM_OLD, PRACTICUM_UPD, REPO

pytestmark = [pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas"),
              pytest.mark.filterwarnings("ignore:The copy keyword is deprecated")]

HAS_PYSPARK = importlib.util.find_spec("pyspark") is not None
HAS_JAVA = spark_engine.java_available()
NO_PYSPARK = "pyspark is not installed (pip install -r requirements-spark.txt)"
NO_JAVA = "Java is not installed (the Spark engine needs java on PATH or JAVA_HOME)"


def spark_test(function):
    """Marked ``spark``; skipped only when Java is missing (the issue allows that), or pyspark outside CI (the dev
    requirements install it; under CI the test then runs and fails)."""
    function = pytest.mark.skipif(not HAS_JAVA, reason=NO_JAVA)(function)
    function = pytest.mark.skipif(not HAS_PYSPARK and not os.environ.get("CI"), reason=NO_PYSPARK)(function)
    return pytest.mark.spark(function)


PUBLISHED = Settings.from_json(json.dumps(
    {"cleaning": {"dedupe_order_lines": True, "drop_shared_orders": True, "quantity_limit": 1000}}))
NET = Settings.from_json(json.dumps(
    {"cleaning": {"returns": "net", "dedupe_order_lines": True, "drop_shared_orders": True, "quantity_limit": 1000}}))

# A cp1251, semicolon-separated export with Russian headers, decimal commas, "руб." amounts, dd.mm.yyyy dates,
# float-spelled customer ids and one line for every cleaning step.
EDGE_ROWS = [
    ("01.03.2023 10:00", "17850.0", "1001", "Ваза стеклянная", "2", "1 234,50 руб."),
    ("01.03.2023 10:00", "17850.0", "1001", "Ваза стеклянная", "2", "1 234,50 руб."),  # exact duplicate
    ("01.03.2023 11:00", "17850.0", "1001", "Ваза стеклянная", "3", "1 234,50 руб."),  # later line, same product
    ("01.03.2023 10:00", "", "1001", "Плед шерстяной", "1", "2 500"),                    # customer from its order
    ("", "17850.0", "1001", "Свеча ароматическая", "4", "99,9"),                       # date from its order
    ("05.03.2023 09:30", "13047.0", "1002", "Плед шерстяной", "1", "2 500"),
    ("05.03.2023 09:30", "13047.0", "1002", "Кружка керамическая", "-1", "350"),         # return
    ("06.03.2023 12:00", "13047.0", "C1003", "Кружка керамическая", "1", "350"),        # cancellation
    ("07.03.2023 08:00", "12583.0", "1004", "Кружка керамическая", "2", "350"),
    ("07.03.2023 08:00", "12346.0", "1004", "Свеча ароматическая", "1", "99,9"),        # shared order
    ("08.03.2023 18:45", "12583.0", "1005", "Ваза стеклянная", "1000", "10"),             # quantity limit
    ("09.03.2023 18:45", "12583.0", "1006", "Гирлянда", "0", "10"),                     # zero quantity
    ("10.03.2023 18:45", "12583.0", "1007", "Гирлянда", "1", "0"),                      # zero price
    ("31.02.2023 10:00", "12583.0", "1008", "Гирлянда", "1", "50"),                     # impossible date
    ("11.03.2023 10:00", "12583.0", "1009", "Гирлянда", "n/a", "50"),                   # not a number
    ("12.03.2023 10:00", "", "1010", "Гирлянда", "1", "50"),                            # no customer
    ("13.03.2023 10:00", "15100.0", "1011", "Гирлянда", "-2", "50"),                    # return without purchase
    ("14.03.2023 10:00", "15100.0", "", "Ваза стеклянная", "1", "100"),                 # no order id
    ("15.03.2023 10:00", "13047.0", "1012", "", "1", "75,25"),                           # no product name
    ("20.03.2023 23:59", "12583.0", "1013", "Плед шерстяной", "2", "2 499,99"),
    ("21.03.2023 10:00", "12583.0", "1014", "Ваза стеклянная", "3", "100"),
    ("21.03.2023 12:00", "12583.0", "1014", "Ваза стеклянная", "-1", "100"),           # return of that purchase
    ("22.03.2023 10:00", "12583.0", "1015", "Ваза", " синяя", "1", "100"),               # ";" inside a name
    ("23.03.2023 10:00", "NULL", "1016", "Гирлянда", "1", "50"),                        # placeholder id
]


@pytest.fixture(scope="module")
def spark():
    session = spark_engine.make_session()
    yield session
    session.stop()


@pytest.fixture(scope="module")
def edge_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("spark") / "edge.csv"
    text = "Дата;Клиент;Номер заказа;Товар;Количество;Цена\r\n" + "".join(";".join(row) + "\r\n" for row in EDGE_ROWS)
    path.write_bytes(text.encode("cp1251"))
    return path


def assert_same_summary(expected: dict, got: dict) -> None:
    assert list(got) == list(expected)
    assert got["input"] == expected["input"]
    assert got["rows"] == expected["rows"]                       # every drop reason, input and kept rows
    for key in ("customers", "orders", "first_date", "last_date", "analysis_date"):
        assert got[key] == expected[key], key
    assert got["revenue"] == pytest.approx(expected["revenue"], abs=0.01)
    want, have = expected["categories"], got["categories"]
    assert have["coverage_rows"] == want["coverage_rows"] and have["coverage_names"] == want["coverage_names"]
    assert have["coverage_revenue"] == pytest.approx(want["coverage_revenue"], rel=1e-9)
    assert list(have["by_category"]) == list(want["by_category"])
    for name, values in want["by_category"].items():
        assert have["by_category"][name]["rows"] == values["rows"]
        assert have["by_category"][name]["revenue"] == pytest.approx(values["revenue"], abs=0.01)
    for letter, score in expected["scores"].items():
        assert got["scores"][letter]["bins"] == score["bins"]
        assert got["scores"][letter]["edges"] == pytest.approx(score["edges"], rel=1e-9)
    assert [s["name"] for s in got["segments"]] == [s["name"] for s in expected["segments"]]
    for have_segment, want_segment in zip(got["segments"], expected["segments"]):
        assert have_segment["customers"] == want_segment["customers"]
        assert have_segment["revenue"] == pytest.approx(want_segment["revenue"], abs=0.01)
        assert have_segment["share_revenue"] == pytest.approx(want_segment["share_revenue"], rel=1e-9)


def assert_same_customers(expected: pd.DataFrame, got: pd.DataFrame) -> None:
    expected, got = expected.reset_index(drop=True), got.reset_index(drop=True)
    exact = ["customer_id", "first_purchase", "last_purchase", "orders"]
    pd.testing.assert_frame_equal(got[exact], expected[exact])
    np.testing.assert_allclose(got["revenue"], expected["revenue"], rtol=1e-9, atol=1e-9)


def assert_same_segmentation(expected: pipeline.Segmentation, got: pipeline.Segmentation) -> None:
    assert got.analysis_date == expected.analysis_date
    columns = ["customer_id", "recency_days", "frequency", "R", "F", "M", "RFM", "segment", "lifecycle",
               "dominant_category"]
    pd.testing.assert_frame_equal(got.customers[columns].reset_index(drop=True),
                                  expected.customers[columns].reset_index(drop=True))


def both_engines(spark, path, settings):
    analysis = pipeline.run(path.read_bytes(), path.name, settings)
    result = spark_engine.run(spark, path, settings)
    return analysis, result


@spark_test
@pytest.mark.parametrize("path, settings", [(PRACTICUM_UPD, PUBLISHED), (ONLINE_RETAIL, NET)],
                         ids=["practicum-published", "online-retail-net"])
def test_spark_engine_matches_pandas_on_the_shared_datasets(spark, path, settings):
    analysis, result = both_engines(spark, path, settings)
    assert_same_summary(pipeline.summary(analysis), spark_engine.summary(result))
    assert_same_customers(analysis.prepared.customers, result.customers[CUSTOMER_COLUMNS])
    assert_same_segmentation(analysis.segmentation, result.segmentation)
    if path == PRACTICUM_UPD:  # the published reference numbers (shared datasets README)
        summary = spark_engine.summary(result)
        assert (summary["rows"]["kept"], summary["customers"], summary["orders"]) == (5521, 2412, 3491)
        assert summary["revenue"] == pytest.approx(3918179.42, abs=0.005)
        assert summary["rows"]["dropped"]["duplicate_order_line"] == 1886
    else:
        assert result.report.returns_kept == analysis.prepared.report.returns_kept > 0


@spark_test
@pytest.mark.parametrize("settings", [Settings(), Settings.from_json(json.dumps(
    {"cleaning": {"returns": "net", "dedupe_order_lines": True, "drop_shared_orders": True, "quantity_limit": 1000},
     "analysis_date": "2023-03-10"}))], ids=["default", "net-earlier-date"])
def test_spark_engine_matches_pandas_on_every_cleaning_step(spark, edge_file, settings):
    analysis, result = both_engines(spark, edge_file, settings)
    expected = pipeline.summary(analysis)
    assert expected["input"]["encoding"] == "cp1251" and expected["input"]["delimiter"] == ";"
    assert_same_summary(expected, spark_engine.summary(result))
    assert result.report == analysis.prepared.report           # incl. lines filled from their order
    assert_same_customers(analysis.prepared.customers, result.customers[CUSTOMER_COLUMNS])
    assert_same_segmentation(analysis.segmentation, result.segmentation)
    dropped = expected["rows"]["dropped"]
    if settings.cleaning.returns == "net":  # the vase returned in order 1014 nets against its purchase there
        lines = analysis.prepared.lines
        assert lines.loc[lines["order_id"] == "1014", "revenue"].tolist() == [300.0, -100.0]
        assert all(dropped[reason] for reason in ("misaligned_line", "missing_customer", "missing_order", "unparseable_date",
                                                  "invalid_quantity", "return_without_purchase", "zero_quantity",
                                                  "non_positive_price", "exact_duplicate", "duplicate_order_line",
                                                  "shared_order", "quantity_limit"))


BAD_CORPUS = REPO / "tests" / "data" / "bad"


@spark_test
@pytest.mark.parametrize("name", ["shopify_refunded_orders", "unquoted_separators", "placeholder_ids"])
def test_spark_engine_matches_pandas_on_status_misaligned_lines_and_placeholder_ids(spark, name):
    analysis, result = both_engines(spark, BAD_CORPUS / f"{name}.csv", Settings())
    assert_same_summary(pipeline.summary(analysis), spark_engine.summary(result))
    assert result.report == analysis.prepared.report
    assert_same_customers(analysis.prepared.customers, result.customers[CUSTOMER_COLUMNS])


DATE_COLUMNS = [  # each list is one column: formats, day/month order and the bare-number majority are per column
    ["2019-10-01 10:00:00", "2019/10/1", " 2019-10-01 10:00:00+03:00 ", "2020-02-30", "2020-02-29 23:59:59.123",
     "2019-10-01T10:00:00Z", "1899-12-31", "x", None, "2019-13-01", "31.12.2019 23:59", "1.2.20", "29.02.2021"],
    ["12/31/2019 1:05 PM", "1/2/2019", "02/03/19 12:00 AM", "3-4-2019", "12/1/2019 12:30 a.m."],
    ["01/02/2019", "13/02/2019", "14/02/2019", "02/13/2019"],
    ["43000", "43000.5", "43831.999994", "20181001", "12345", "2019-01-01", "201810011530", "2018100100.0"],
]   # compact YYYYMMDDHH majorities and plain numbers are covered by the shared datasets above
NUMBER_COLUMNS = [
    ["1 234,50", "12,5", "99", "1.234", "₽ 1 000", "1,234.56", "руб. 10", "−5", "abc", "1d", " 7 "],
    ["1,234", "1.234", "12.5", "12.50 USD", "1'234.5", "1\u00a0234,5"],
    ["1.234,56", "1.234.567", "1,234", "0,125", "12 р.", "1\u202f234,5"],
]


@spark_test
def test_date_and_number_parsing_match_core_io(spark):
    from pyspark.sql import functions as F
    for values in DATE_COLUMNS:
        frame = spark.createDataFrame(pd.DataFrame({"_date_text": pd.Series(values, dtype=object)}),
                                      "_date_text string")
        dates = (frame.filter(F.col("_date_text").isNotNull()).groupBy("_date_text")
                 .agg(F.count(F.lit(1)).alias("rows"))
                 .withColumn("_norm", F.regexp_replace(F.regexp_replace("_date_text", spark_engine._TRIM, ""),
                                                       spark_engine._java(io._TIME_ZONE_SUFFIX), "$1")))
        formats, day_first, _ = spark_engine._date_decisions(F, dates)
        parsed = spark_engine._parse_dates(F, dates, formats, day_first).toPandas()
        lookup = dict(zip(parsed["_date_text"], parsed["_date_us"]))
        got = pd.Series([np.datetime64(int(lookup[v]), "us") if v in lookup and pd.notna(lookup[v])
                         else np.datetime64("NaT", "us") for v in values], dtype="datetime64[us]")
        expected = io.parse_dates(pd.Series(values, dtype=object))
        pd.testing.assert_series_equal(got, expected, check_names=False)
    for values in NUMBER_COLUMNS:
        frame = spark.createDataFrame(pd.DataFrame({"value": pd.Series(values, dtype=object)}), "value string")
        plain, comma = spark_engine._number_decisions(F, frame.select(F.lit("price").alias("field"), "value"))
        got = frame.select(spark_engine._number(F, F.col("value"), plain["price"], comma["price"])).toPandas()
        got = got.iloc[:, 0].to_numpy(dtype=float, na_value=np.nan)
        expected = io.parse_numbers(pd.Series(values, dtype=object)).to_numpy()
        finite = np.isfinite(expected)   # non-finite values are all dropped as invalid: NaN and inf alike
        assert (np.isfinite(got) == finite).all(), values
        assert (got[finite] == expected[finite]).all(), values


@spark_test
def test_documented_sql_runs_on_spark_sql_with_the_same_customers(spark):
    from tests.test_customer_table import documented_sql, typed_lines
    analysis = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, PUBLISHED)
    lines = typed_lines(analysis).astype({"customer_id": object, "order_id": object, "product": object})
    spark.createDataFrame(lines).createOrReplaceTempView("order_lines")
    got = spark.sql(documented_sql()).toPandas()
    expected = analysis.prepared.customers
    assert got["customer_id"].tolist() == expected["customer_id"].tolist()
    assert got["orders"].tolist() == expected["orders"].tolist()
    np.testing.assert_allclose(got["revenue"], expected["revenue"], rtol=1e-12)
    assert (pd.to_datetime(got["last_purchase"]).to_numpy() == expected["last_purchase"].to_numpy()).all()


@spark_test
def test_cluster_job_writes_a_customer_table_the_app_continues_from(spark, edge_file, tmp_path, capsys):
    from core import customer_table
    out = tmp_path / "customers.parquet"
    assert spark_engine.main([str(edge_file), str(out), "--settings", str(_settings_file(tmp_path, NET))]) == 0
    written = json.loads(capsys.readouterr().out)
    analysis = pipeline.run(edge_file.read_bytes(), edge_file.name, NET)
    assert written["rows"]["kept"] == analysis.prepared.report.kept_rows
    parts = sorted(out.glob("*.parquet"))
    frame = pd.concat([pd.read_parquet(part) for part in parts], ignore_index=True)
    customers, _ = customer_table.from_frame(frame)
    assert_same_customers(analysis.prepared.customers, customers)
    segmentation = pipeline.segment_customer_table(customers, NET)
    expected = analysis.segmentation.customers.set_index("customer_id")
    got = segmentation.customers.set_index("customer_id")
    assert got["segment"].tolist() == expected["segment"].tolist()
    assert got["dominant_category"].fillna("-").tolist() == expected["dominant_category"].fillna("-").tolist()


def _settings_file(folder, settings):
    path = folder / "settings.json"
    path.write_text(settings.to_json(), encoding="utf-8")
    return path


@spark_test
def test_cli_spark_engine_prints_the_pandas_json_and_nothing_on_stderr():
    def cli(*args):
        result = subprocess.run([sys.executable, "-m", "core", "summary", str(PRACTICUM_OLD), *args],
                                capture_output=True, text=True, cwd=REPO, timeout=300)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        return json.loads(result.stdout)

    assert_same_summary(cli(), cli("--engine", "spark"))


# --- without a JVM: the optional dependency is reported, never a traceback ------------------------------------------


def _cli_without(setup: str, *args, env=None):
    code = f"import sys; {setup}; from core.__main__ import main; sys.exit(main({list(args)!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120,
                          env=env)


def test_missing_pyspark_is_a_clear_input_error(monkeypatch):
    for name in [name for name in sys.modules if name == "pyspark" or name.startswith("pyspark.")] or ["pyspark"]:
        monkeypatch.setitem(sys.modules, name, None)     # import pyspark.sql now raises ImportError
    with pytest.raises(InputError, match=re.escape(spark_engine.PYSPARK_MISSING)):
        spark_engine.make_session()
    result = _cli_without("sys.modules['pyspark'] = None", "summary", str(PRACTICUM_OLD), "--engine", "spark")
    assert result.returncode == 2
    assert result.stderr == f"error: {spark_engine.PYSPARK_MISSING}\n"


@pytest.mark.skipif(not HAS_PYSPARK, reason=NO_PYSPARK)
def test_missing_java_is_a_clear_input_error():
    env = {key: value for key, value in os.environ.items() if key != "JAVA_HOME"}
    env["PATH"] = os.path.dirname(sys.executable)
    result = _cli_without("pass", "summary", str(PRACTICUM_OLD), "--engine", "spark", env=env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: the Spark engine needs Java")


def test_core_imports_without_pyspark():
    code = ("import sys; sys.modules['pyspark'] = None; import core.spark_engine, core.pipeline, core.__main__; "
            "print('ok')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.stdout == "ok\n", result.stderr
