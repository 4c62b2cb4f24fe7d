"""End to end in a real browser, one user's session in order: upload a shared file, change a column mapping,
edit a category rule in the grid, change RFM thresholds, download the Excel workbook, visit every page.

Screenshots of every step land in ``test-artifacts/`` (look at them: layout, labels, Russian text).
"""
import dataclasses
import io

import openpyxl
import pytest
from playwright.sync_api import expect, sync_playwright

expect.set_options(timeout=30_000)

from core import categories, pipeline
from core.settings import CleaningPolicy, Settings
from tests.browser import CHROMIUM_ARGS, chromium_path, screenshot, streamlit_server, wait_idle
from tests.conftest import PRACTICUM_UPD, REPO

pytestmark = pytest.mark.browser

PAGES = [p.stem.split("_", 1)[1] for p in sorted((REPO / "pages").glob("*.py"))]


@pytest.fixture(scope="module")
def page():
    executable = chromium_path()
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        # an English browser: the interface defaults to the browser's language (a Russian browser gets Russian,
        # see ui.state.ui_language), not to the data's, so these English texts hold for the Cyrillic upload
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True, locale="en-US")
        page.set_default_timeout(60_000)
        page.goto(url + "/")
        wait_idle(page)
        yield page
        browser.close()


def settle(page):
    """Wait for the rerun a widget change starts to finish."""
    page.wait_for_timeout(400)
    wait_idle(page)


def metric(page, label):
    """The value of the metric labelled ``label`` (the last one: a rerun may still show the stale one above)."""
    return page.locator("[data-testid='stMetric']", has_text=label).last.locator("[data-testid='stMetricValue']")


def go_to(page, name):
    page.locator("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']", has_text=name).first.click()
    settle(page)


def choose(page, label, option, nth=0):
    """Pick ``option`` in the ``nth`` selectbox labelled ``label``."""
    box = page.locator("[data-testid='stSelectbox']", has_text=label).nth(nth)
    expect(box).to_be_visible()
    box.locator("input").click()
    expect(page.get_by_role("listbox")).to_be_visible()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def edited_rule_coverage() -> float:
    """Line coverage under the published policy when the first default rule's keyword is "а" (computed by core)."""
    rules = categories.default_rules("ru")
    rules = (dataclasses.replace(rules[0], keyword="а"), *rules[1:])
    settings = Settings(cleaning=CleaningPolicy(dedupe_order_lines=True, drop_shared_orders=True,
                                                quantity_limit=1000), rules=rules)
    return pipeline.summary(pipeline.run(PRACTICUM_UPD.read_bytes(), "x.csv", settings))["categories"]["coverage_rows"]


def test_home_opens_on_sample_data_then_takes_an_upload(page):
    expect(page.get_by_text("synthetic sample data")).to_be_visible()
    screenshot(page, "01_home_sample")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(PRACTICUM_UPD))
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("ecom_dataset_upd.csv")
    settle(page)
    expect(metric(page, "Customers")).to_have_text("2,451")
    expect(metric(page, "Orders")).to_have_text("3,521")
    expect(page.get_by_text("Period: 2018-10-01 – 2020-01-31")).to_be_visible()
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("ecom_dataset_upd.csv")
    screenshot(page, "02_home_uploaded")


def test_changing_a_column_mapping_changes_the_figures(page):
    page.get_by_text("Column mapping").click()
    settle(page)
    choose(page, "customer_id", "order_id")
    expect(metric(page, "Customers")).to_have_text("3,521")         # one "customer" per order now
    screenshot(page, "03_home_mapping_changed")
    choose(page, "customer_id", "customer_id")
    expect(metric(page, "Customers")).to_have_text("2,451")


def test_changing_the_cleaning_policy_changes_the_figures(page):
    page.get_by_text("Cleaning options").click()
    for option in ("Keep only the latest line per customer, order and product",
                   "Drop orders shared by several customers", "Drop lines with a very large quantity"):
        page.get_by_text(option).click()
        settle(page)
    expect(metric(page, "Customers")).to_have_text("2,412")
    expect(metric(page, "Orders")).to_have_text("3,491")
    screenshot(page, "04_home_published_policy")


def test_editing_a_rule_in_the_grid_changes_coverage(page):
    go_to(page, "Categories")
    expect(metric(page, "Order lines categorised")).to_have_text("99.0%")
    screenshot(page, "05_categories_default")
    editor = page.locator("[data-testid='stDataFrame']").first
    expect(editor).to_be_visible()
    page.wait_for_timeout(1000)            # the grid draws on a canvas after the element appears
    grid = editor.bounding_box()
    header, row = 35, 35
    page.mouse.click(grid["x"] + grid["width"] * 0.32, grid["y"] + header + row / 2)   # keyword of rule 1
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")           # open the cell editor
    page.wait_for_timeout(500)
    page.keyboard.press("Control+A")
    page.keyboard.type("а", delay=50)      # Cyrillic "а": a keyword found in nearly every name
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    settle(page)
    expect(page.get_by_text("In force: your edited rules")).to_be_visible()
    expect(metric(page, "Order lines categorised")).to_have_text(f"{edited_rule_coverage():.1%}")
    screenshot(page, "06_categories_rule_edited")


def test_changing_rfm_thresholds_changes_segment_counts(page):
    go_to(page, "Segments")
    summary = page.locator("[data-testid='stDataFrame']").last
    screenshot(page, "07_segments_default")
    before = page.locator("[data-testid='stMarkdown']", has_text="customers as of").first.inner_text()
    choose(page, "Number of bins", "3", nth=0)                      # R: 5 -> 3 quantile bins
    expect(page.locator("[data-testid='stMarkdown']", has_text="customers as of").first).to_have_text(before)
    expect(page.get_by_text("≤ 70")).to_have_count(0)
    screenshot(page, "08_segments_r3")
    assert summary.count() == 1


def test_excel_download_opens_with_openpyxl(page):
    go_to(page, "Export")
    page.get_by_role("button", name="Create the workbook").click()
    button = page.get_by_role("button", name="Download the workbook")
    expect(button).to_be_visible(timeout=120_000)
    with page.expect_download() as download_info:
        button.click()
    data = download_info.value.path().read_bytes()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames[:2] == ["Summary", "Customers"]
    assert book["Customers"].max_row == 2412 + 1                    # one row per customer under the policy
    screenshot(page, "09_export")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_renders_without_an_exception(page, name):
    go_to(page, name.replace("_", " "))
    page.wait_for_timeout(800)
    wait_idle(page)
    assert page.locator("[data-testid='stException']").count() == 0, name
    screenshot(page, f"page_{name}")
