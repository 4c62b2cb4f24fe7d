"""End to end in a real browser (one server, one Chromium, a few contexts = a few Streamlit sessions).

1. One English user's session in order: upload a shared file, change a column mapping and the cleaning, edit a
   category rule in the grid, change the RFM bins (the segment counts change, to core's), download the Excel
   workbook (its scores and counts are core's), visit every page.
2. A Russian browser (``ru-RU``: the interface defaults to Russian) over the main pages: Russian titles and menu.
3. Two sessions with different uploads and settings, taking turns: each sees only its own figures.

Every figure asserted comes from ``core`` on the same file and settings. Full-page screenshots of every step and
page land in ``test-artifacts/`` (``ru_<page>.png`` for the Russian ones): look at them.
"""
import collections
import dataclasses
import io

import openpyxl
import pytest
from playwright.sync_api import expect, sync_playwright

from core import categories, i18n, pipeline
from core.formatting import format_number, format_period
from core.orders import kpis
from core.rfm import ScoreSpec, ScoringSettings
from core.settings import CleaningPolicy, Settings
from tests.browser import (CHROMIUM_ARGS, chromium_path, go_to, grid_rows, metric, poll, screenshot,
                           session, settle, streamlit_server, upload)
from tests.conftest import ONLINE_RETAIL, PRACTICUM_UPD
from ui.state import PAGES as MENU

expect.set_options(timeout=30_000)
pytestmark = pytest.mark.browser

# the settings the first session goes through, step by step (what core is asked for the expected figures)
MAPPED_TO_ORDERS = Settings(mapping={"customer_id": "order_id"})
PUBLISHED = Settings(cleaning=CleaningPolicy(dedupe_order_lines=True, drop_shared_orders=True, quantity_limit=1000))
FIRST_RULE, *OTHER_RULES = categories.default_rules("ru")
RULE_EDITED = dataclasses.replace(PUBLISHED, rules=(dataclasses.replace(FIRST_RULE, keyword="а"), *OTHER_RULES))
THREE_R_BINS = ScoringSettings(recency=ScoreSpec(bins=3))
R_THREE_BINS = dataclasses.replace(RULE_EDITED, scoring=THREE_R_BINS)
_RUNS: dict = {}


def core_run(path, settings: Settings = Settings()) -> pipeline.Analysis:
    """``core.pipeline.run`` on the file at ``path`` (cached per file and settings)."""
    key = (path, settings.to_json())
    if key not in _RUNS:
        _RUNS[key] = pipeline.run(path.read_bytes(), path.name, settings)
    return _RUNS[key]


def core_home_figures(path, settings: Settings = Settings(), lang: str = "en") -> tuple[str, str]:
    """Customers and orders as the home page shows them, from core."""
    analysis = core_run(path, settings)
    figures = kpis(analysis.prepared.orders, analysis.prepared.customers)
    return format_number(figures["customers"], lang=lang), format_number(figures["orders"], lang=lang)


def core_segments(path, settings: Settings, lang: str = "en") -> dict[str, int]:
    """Customers per segment (display names, empty segments included), from core."""
    totals = pipeline.segment_totals(core_run(path, settings).segmentation)
    return {i18n.segment_name(row["name"], lang): row["customers"] for row in totals}


def core_coverage(settings: Settings) -> str:
    """The share of the home-goods file's order lines given a category, as the Categories page shows it."""
    return f"{pipeline.summary(core_run(PRACTICUM_UPD, settings))['categories']['coverage_rows']:.1%}"


def expect_home_figures(page, path, settings: Settings = Settings(), lang: str = "en") -> None:
    customers, orders = core_home_figures(path, settings, lang)
    expect(metric(page, i18n.t("common.customers", lang))).to_have_text(customers)
    expect(metric(page, i18n.t("common.orders", lang))).to_have_text(orders)


def shown_segments(page, lang: str = "en") -> dict[str, int]:
    """Customers per segment in the Segments page's summary table (its last grid)."""
    rows = grid_rows(page.locator("[data-testid='stDataFrame']").last)
    if not rows or rows[0][:2] != [i18n.t("common.segment", lang), i18n.t("common.customers", lang)]:
        return {}
    return {row[0]: int(row[1]) for row in rows[1:]}


def expect_segments(page, path, settings: Settings, lang: str = "en") -> dict[str, int]:
    """The summary table shows core's customers per segment (waits for a rerun to finish drawing it)."""
    expected = core_segments(path, settings, lang)
    assert poll(lambda: shown_segments(page, lang), expected) == expected
    return expected


def expand(page, label: str) -> None:
    """Open the expander ``label`` and wait until its content shows."""
    expander = page.locator("[data-testid='stExpander']", has_text=label).first
    expander.locator("summary").click()
    expect(expander.locator("[data-testid='stExpanderDetails']")).to_be_visible()
    page.wait_for_timeout(300)                  # the opening animation


def choose(page, label, option, nth=0):
    """Pick ``option`` in the ``nth`` selectbox labelled ``label``."""
    box = page.locator("[data-testid='stSelectbox']", has_text=label).nth(nth)
    expect(box).to_be_visible()
    box.locator("input").click()
    expect(page.get_by_role("listbox")).to_be_visible()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def page_name(script: str) -> str:
    """``pages/2_Segments.py`` -> ``Segments``; the home page is ``home``."""
    return "home" if script == "streamlit_app.py" else script.split("/")[1].split("_", 1)[1].removesuffix(".py")


@pytest.fixture(scope="module")
def app():
    """One Chromium and the app's URL for the whole module."""
    executable = chromium_path()
    with streamlit_server() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser, url
        browser.close()


@pytest.fixture(scope="module")
def page(app):
    # an English browser: the interface defaults to the browser's language (a Russian browser gets Russian,
    # see ui.state.ui_language), not to the data's, so these English texts hold for the Cyrillic upload
    with session(*app, locale="en-US") as page:
        yield page


def test_home_opens_on_sample_data_then_takes_an_upload(page):
    expect(page.get_by_text("synthetic sample data")).to_be_visible()
    screenshot(page, "01_home_sample")
    upload(page, PRACTICUM_UPD)
    expect_home_figures(page, PRACTICUM_UPD)
    figures = kpis(core_run(PRACTICUM_UPD).prepared.orders, core_run(PRACTICUM_UPD).prepared.customers)
    period = format_period(figures["first_date"], figures["last_date"], "en")
    expect(page.get_by_text(f"Period: {period}")).to_be_visible()
    screenshot(page, "02_home_uploaded")


def test_changing_a_column_mapping_changes_the_figures(page):
    expand(page, "Column mapping")
    choose(page, "customer_id", "order_id")
    expect_home_figures(page, PRACTICUM_UPD, MAPPED_TO_ORDERS)          # one "customer" per order now
    screenshot(page, "03_home_mapping_changed")
    choose(page, "customer_id", "customer_id")
    expect_home_figures(page, PRACTICUM_UPD)


def test_changing_the_cleaning_policy_changes_the_figures(page):
    expand(page, "Cleaning options")
    for option in ("Keep only the latest line per customer, order and product",
                   "Drop orders shared by several customers", "Drop lines with a very large quantity"):
        page.get_by_text(option).click()
        settle(page)
    expect_home_figures(page, PRACTICUM_UPD, PUBLISHED)
    screenshot(page, "04_home_published_policy")


def test_editing_a_rule_in_the_grid_changes_coverage(page):
    go_to(page, "Categories")
    coverage = metric(page, "Order lines categorised")
    expect(coverage).to_have_text(core_coverage(PUBLISHED))
    screenshot(page, "05_categories_default")
    editor = page.locator("[data-testid='stDataFrame']").first
    expect(editor.locator("canvas").first).to_be_attached()
    page.wait_for_timeout(500)             # the grid draws on the canvas after it appears
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
    expect(coverage).to_have_text(core_coverage(RULE_EDITED))
    screenshot(page, "06_categories_rule_edited")


def test_changing_rfm_thresholds_changes_segment_counts(page):
    go_to(page, "Segments")
    before = expect_segments(page, PRACTICUM_UPD, RULE_EDITED)
    screenshot(page, "07_segments_default")
    choose(page, "Number of bins", "3", nth=0)                      # R: 5 -> 3 quantile bins
    after = expect_segments(page, PRACTICUM_UPD, R_THREE_BINS)
    assert after != before
    screenshot(page, "08_segments_r3")


def test_excel_download_opens_with_openpyxl(page):
    go_to(page, "Export")
    page.get_by_role("button", name="Create the workbook").click()
    button = page.get_by_role("button", name="Download the workbook")
    expect(button).to_be_visible(timeout=120_000)
    with page.expect_download() as download_info:
        button.click()
    book = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()), read_only=True)
    assert book.sheetnames[:2] == ["Summary", "Customers"]
    header, *rows = book["Customers"].iter_rows(values_only=True)
    customers = core_run(PRACTICUM_UPD, R_THREE_BINS).segmentation.customers
    assert len(rows) == len(customers)                              # one row per customer under the policy
    r_scores = {row[header.index("R score")] for row in rows}
    assert r_scores == {1, 2, 3}                                    # the 3 R bins chosen on the Segments page
    segments = collections.Counter(row[header.index("Segment")] for row in rows)
    assert segments == {name: n for name, n in core_segments(PRACTICUM_UPD, R_THREE_BINS).items() if n}
    screenshot(page, "09_export")


def menu_params(entries) -> list:
    """(script, catalogue key of its menu name) of menu ``entries``, with the page names as test ids."""
    return [pytest.param(script, key, id=page_name(script)) for script, key, _ in entries]


@pytest.mark.parametrize("script, key", menu_params(MENU[1:]))
def test_every_page_renders_without_an_exception(page, script, key):
    go_to(page, i18n.t(key, "en"))
    assert page.locator("[data-testid='stException']").count() == 0, script
    screenshot(page, f"page_{page_name(script)}")
    for number, tab in enumerate(page.get_by_role("tab").all()):        # the other tabs' charts and tables too
        if tab.get_attribute("aria-selected") != "true":
            tab.click()
            screenshot(page, f"page_{page_name(script)}_tab{number}")


RUSSIAN_PAGES = [entry for entry in MENU if page_name(entry[0]) != "Clusters"]


@pytest.fixture(scope="module")
def russian(app):
    with session(*app, locale="ru-RU") as page:
        yield page


def test_a_russian_browser_gets_the_russian_interface(russian):
    upload(russian, PRACTICUM_UPD)
    expect_home_figures(russian, PRACTICUM_UPD, lang="ru")          # Russian labels and "2 451"
    links = russian.locator("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']")
    expect(links).to_have_count(len(MENU))
    for link, (_, key, _) in zip(links.all(), MENU):
        expect(link).to_contain_text(i18n.t(key, "ru"))


@pytest.mark.parametrize("script, key", menu_params(RUSSIAN_PAGES))
def test_russian_pages(russian, script, key):
    go_to(russian, i18n.t(key, "ru"))
    title = "home.title" if key == "home.nav" else key.replace("page_title", "title")
    expect(russian.get_by_role("heading", name=i18n.t(title, "ru"))).to_be_visible()
    assert russian.locator("[data-testid='stException']").count() == 0
    screenshot(russian, f"ru_{page_name(script)}")


def test_two_sessions_see_only_their_own_data_and_settings(app):
    """A: the home-goods shop; B: the UCI gift shop. A remaps its customers, B scores R in 3 bins; each checks
    its own figures after the other's change."""
    with session(*app) as a, session(*app) as b:
        upload(a, PRACTICUM_UPD)
        upload(b, ONLINE_RETAIL)
        expect_home_figures(a, PRACTICUM_UPD)
        expect_home_figures(b, ONLINE_RETAIL)
        expand(a, "Column mapping")
        choose(a, "customer_id", "order_id")
        expect_home_figures(a, PRACTICUM_UPD, MAPPED_TO_ORDERS)
        go_to(b, "Segments")                                        # a rerun of B after A's change
        expect_segments(b, ONLINE_RETAIL, Settings())
        choose(b, "Number of bins", "3", nth=0)
        expect_segments(b, ONLINE_RETAIL, Settings(scoring=THREE_R_BINS))
        go_to(b, "Home")
        expect_home_figures(b, ONLINE_RETAIL)
        expect(b.locator("[data-testid='stSidebar']")).not_to_contain_text(PRACTICUM_UPD.name)
        go_to(a, "Segments")                                        # A after B's change: still 5 R bins
        expect_segments(a, PRACTICUM_UPD, MAPPED_TO_ORDERS)
        expect(a.get_by_role("combobox", name="Number of bins").first).to_have_value("5")
        screenshot(a, "isolation_a_segments")
        screenshot(b, "isolation_b_home")
