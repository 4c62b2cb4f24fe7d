"""AppTest of the Export page: no data, the sample data's downloads, and restoring an analysis from a settings file."""
import dataclasses
import hashlib
import io
import json

import openpyxl

from core.settings import CleaningPolicy, Settings
from core.stats import compare_two
from tests.apptest_helpers import errors, fresh_app, page_path
from ui.state import SAMPLE_FILE

PAGE = page_path("9_Export.py")


def downloads(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def click(at, label: str):
    (button,) = [b for b in at.button if b.label == label]
    return button.click().run(timeout=120)


def built(at, kind: str) -> bytes:
    return at.session_state["export_built"][kind][1]


def test_without_data_the_page_points_to_the_home_page():
    at = fresh_app().run()
    at.button[1].click().run()                      # "Remove the data"
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    assert any("No analysable data" in i.value for i in at.info)
    assert downloads(at) == [] and not at.button


def test_sample_data_downloads_workbook_with_mailing_list_tests_and_pdf():
    at = fresh_app().run()
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    assert downloads(at) == ["Download customers (1,986 rows, CSV)", "Download the settings (JSON)"]
    assert [b.label for b in at.button] == ["Create the workbook", "Create the PDF report"]

    click(at, "Create the workbook")
    assert not at.exception and downloads(at)[0].startswith("Download the workbook (")
    book = openpyxl.load_workbook(io.BytesIO(built(at, "workbook")), read_only=True)
    assert book.sheetnames == ["Summary", "Customers", "Segments", "Categories", "Category rules", "Data quality",
                               "Settings"]
    assert sum(1 for _ in book["Customers"].iter_rows()) == 1986 + 1

    # a mailing list and the Tests page's results make a new workbook
    settings = at.session_state["settings"]                           # the settings the tests were run on
    sample_digest = hashlib.sha256(SAMPLE_FILE.read_bytes()).hexdigest()
    result = compare_two([1.0, 2, 3, 4, 5], [2.0, 3, 4, 5, 6], ("a", "b"))
    at.session_state["test_results"] = [result]
    at.session_state["test_results_basis"] = sample_digest + dataclasses.replace(settings, templates={}).to_json()
    at.multiselect(key="export_mailing").select("Champions").run()
    assert any("hypothesis tests" in c.value for c in at.caption)
    click(at, "Create the workbook")
    book = openpyxl.load_workbook(io.BytesIO(built(at, "workbook")), read_only=True)
    assert "Mail Champions" in book.sheetnames and "Tests" in book.sheetnames

    click(at, "Create the PDF report")
    assert not at.exception and not errors(at)
    pdf_label = [label for label in downloads(at) if "PDF" in label]
    assert pdf_label and " pages, " in pdf_label[0]
    assert built(at, "pdf").startswith(b"%PDF")


def test_uploading_settings_restores_the_analysis_and_reseeds_the_home_page():
    at = fresh_app().run()
    at.switch_page(PAGE).run()
    before = at.markdown[0].value
    saved = Settings(cleaning=CleaningPolicy(returns="net"), analysis_date="2023-06-01")
    at.session_state["policy_returns"] = "drop"                         # a stale home-page widget value
    at.file_uploader(key="settings_file").set_value(("segments.json", saved.to_json().encode(),
                                                     "application/json")).run()
    assert not at.exception and not errors(at)
    assert at.session_state["settings"] == saved
    assert "policy_returns" not in at.session_state
    assert any("Restored the analysis from segments.json" in s.value for s in at.success)
    assert at.markdown[0].value != before and "2023-06-01" in at.markdown[0].value

    at.switch_page("streamlit_app.py").run()
    assert at.radio(key="policy_returns").value == "net"                 # re-seeded from the restored settings

    at.radio(key="policy_returns").set_value("drop").run()              # changed again, then the same file again
    assert at.session_state["settings"].cleaning.returns == "drop"
    at.switch_page(PAGE).run()
    at.file_uploader(key="settings_file").set_value(("segments.json", saved.to_json().encode(),
                                                     "application/json")).run()
    assert at.session_state["settings"] == saved


def test_an_invalid_settings_file_names_the_field_and_changes_nothing():
    at = fresh_app().run()
    at.switch_page(PAGE).run()
    bad = json.dumps({"scoring": {"recency": {"bins": 7}}}).encode()
    at.file_uploader(key="settings_file").set_value(("bad.json", bad, "application/json")).run()
    assert not at.exception
    assert any("This settings file cannot be used" in e and "bins" in e for e in errors(at))
    assert at.session_state["settings"] == Settings()
    at.file_uploader(key="settings_file").set_value(("junk.json", b"{not json", "application/json")).run()
    assert any("not valid JSON" in e for e in errors(at))
