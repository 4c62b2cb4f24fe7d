"""Every page without data (the user removed it, or a browser reload started a new session that has none): it
explains what to do and links to the home page, shows no figures, and raises nothing."""
import pytest

from tests.apptest_helpers import errors, fresh_app, page_path
from tests.conftest import REPO
from ui.state import PAGES

PAGE_FILES = [script.removeprefix("pages/") for script, _, _ in PAGES if script.startswith("pages/")]


@pytest.mark.parametrize("page", PAGE_FILES)
def test_a_page_without_data_points_to_the_home_page(page):
    at = fresh_app().run()
    next(b for b in at.button if b.label == "Remove the data").click().run()
    assert any("No data loaded" in i.value for i in at.info)
    at.switch_page(page_path(page)).run()
    assert not at.exception and not errors(at)
    assert [i.value for i in at.info] == [
        "No analysable data in this session (a browser reload starts a new session). Open the home page to upload "
        "an order export, load the sample data or fix the column mapping."]
    assert not at.metric and not at.dataframe and not at.data_editor and not at.get("vega_lite_chart")
    assert not at.get("download_button")
    assert len(at.title) == 1                                        # the page's own title, then the explanation


def test_the_menu_lists_every_page_file():
    assert sorted(PAGE_FILES) == sorted(path.name for path in (REPO / "pages").glob("*.py")) and len(PAGE_FILES) == 9
