"""The app on a customer table (one row per customer, e.g. written by the Spark job or a warehouse query): the home
page reads it, the Segments page scores and segments it exactly as from the order lines, and the pages that need
order lines say so instead of failing."""
import pandas as pd
import pytest

from core import customer_table, pipeline
from core.settings import Settings
from tests.apptest_helpers import errors, fresh_app, page_path
from tests.conftest import PRACTICUM_UPD
from tests.test_page_segments import shown_counts

LINE_PAGES = ["1_Categories.py", "3_Profiles.py", "4_Explore.py", "5_Plan.py", "6_Tests.py", "7_Clusters.py",
              "8_Forecast.py", "9_Export.py"]


@pytest.fixture(scope="module")
def from_lines():
    return pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, Settings())


@pytest.fixture(scope="module", params=["parquet", "csv"])
def table_file(request, from_lines, tmp_path_factory):
    customers = from_lines.prepared.customers[list(customer_table.REQUIRED_COLUMNS)]
    path = tmp_path_factory.mktemp("customers") / f"customers.{request.param}"
    customers.to_parquet(path) if request.param == "parquet" else customers.to_csv(path, index=False)
    return path


def uploaded(path):
    at = fresh_app().run()
    at.file_uploader(key="orders_file").set_value((path.name, path.read_bytes(), "application/octet-stream"))
    return at.run()


def test_the_home_page_reads_a_customer_table(table_file, from_lines):
    at = uploaded(table_file)
    assert not at.exception and not errors(at)
    figures = {m.label: m.value for m in at.metric}
    orders = int(from_lines.prepared.customers["orders"].sum())        # a shared order counts once per customer
    assert figures == {"Customers": "2,451", "Orders": f"{orders:,}", "Revenue": "5,357,944",
                       "Average order": f"{5357944.42 / orders:,.2f}"}
    assert orders == 3_554
    assert any("is a customer table" in m.value and "customer_id ← customer_id" in m.value for m in at.markdown)
    assert not at.expander or all("mapping" not in e.label.lower() for e in at.expander)   # nothing to map


def test_segments_of_a_customer_table_equal_those_from_the_order_lines(table_file, from_lines):
    at = uploaded(table_file)
    at.switch_page(page_path("2_Segments.py")).run()
    assert not at.exception and not errors(at)
    expected = {row["name"]: row["customers"] for row in pipeline.segment_totals(from_lines.segmentation)}
    assert shown_counts(at) == expected
    assert shown_counts(at)["Potential Loyalists"] == 754
    at.selectbox(key="score_R_bins").select(3).run()                     # rescoring works on the table too
    assert not errors(at) and shown_counts(at) != expected


def test_order_lines_in_parquet_are_analysed_as_order_lines(tmp_path):
    path = tmp_path / "lines.parquet"
    pd.read_csv(PRACTICUM_UPD).to_parquet(path, index=False)
    at = uploaded(path)
    assert not at.exception and not errors(at)
    assert not any("is a customer table" in m.value for m in at.markdown)
    figures = {m.label: m.value for m in at.metric}
    assert (figures["Customers"], figures["Orders"]) == ("2,451", "3,521")     # as from the CSV (home test)
    at.switch_page(page_path("1_Categories.py")).run()                        # a page that needs order lines
    assert not at.exception and not errors(at) and at.data_editor


@pytest.mark.parametrize("page", LINE_PAGES)
def test_pages_that_need_order_lines_say_so(page, tmp_path):
    path = tmp_path / "customers.csv"
    pd.DataFrame({"customer_id": ["a", "b"], "first_purchase": ["2024-01-01", "2024-02-01"],
                  "last_purchase": ["2024-03-01", "2024-02-01"], "orders": [3, 1], "revenue": [300.0, 50.0]}
                 ).to_csv(path, index=False)
    at = uploaded(path)
    at.switch_page(page_path(page)).run()
    assert not at.exception and not errors(at)
    assert any(i.value.startswith("This page needs order lines") for i in at.info)
