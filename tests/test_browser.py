"""End to end in a real browser: upload a shared file, change the mapping, see figures, visit every page."""
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser import CHROMIUM_ARGS, chromium_path, screenshot, streamlit_server, wait_idle
from tests.conftest import PRACTICUM_UPD, REPO

pytestmark = pytest.mark.browser

PAGES = sorted(p.stem.split("_", 1)[1] for p in (REPO / "pages").glob("*.py")) if (REPO / "pages").exists() else []


@pytest.fixture(scope="module")
def page():
    executable = chromium_path()
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
        page.goto(url + "/")
        wait_idle(page)
        page.base_url = url
        yield page
        browser.close()


def metric(page, label):
    return page.locator("[data-testid='stMetric']", has_text=label).locator("[data-testid='stMetricValue']")


def test_home_opens_on_sample_data_then_takes_an_upload(page):
    expect(page.get_by_text("synthetic sample data")).to_be_visible()
    screenshot(page, "home_sample")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(PRACTICUM_UPD))
    expect(metric(page, "Customers")).to_have_text("2,451", timeout=60_000)
    wait_idle(page)
    expect(metric(page, "Orders")).to_have_text("3,521")
    expect(page.get_by_text("Period: 2018-10-01 – 2020-01-31")).to_be_visible()
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text("ecom_dataset_upd.csv")
    screenshot(page, "home_uploaded")


def test_changing_the_cleaning_policy_changes_the_figures(page):
    page.get_by_text("Cleaning options").click()
    page.get_by_text("Keep only the latest line per customer, order and product").click()
    wait_idle(page)
    page.get_by_text("Drop orders shared by several customers").click()
    wait_idle(page)
    page.get_by_text("Drop lines with a very large quantity").click()
    wait_idle(page)
    expect(metric(page, "Customers")).to_have_text("2,412", timeout=30_000)
    expect(metric(page, "Orders")).to_have_text("3,491")
    screenshot(page, "home_published_policy")


def test_every_page_renders_without_an_exception(page):
    for name in PAGES:
        page.locator("[data-testid='stSidebarNavLink']", has_text=name.replace("_", " ")).first.click()
        wait_idle(page)
        page.wait_for_timeout(500)
        wait_idle(page)
        assert page.locator("[data-testid='stException']").count() == 0, name
        screenshot(page, f"page_{name}")
