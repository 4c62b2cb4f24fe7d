"""AppTest of the Plan page: no data, the sample data (groupings, lead, categories, choices kept across pages),
no segments, and the shared home-goods file."""
import json

from core.settings import Settings
from tests.apptest_helpers import errors, fresh_app, page_path, upload
from tests.conftest import PRACTICUM_UPD
from tests.test_page_explore import fields

PLAN, EXPLORE = page_path("5_Plan.py"), page_path("4_Explore.py")


def plan_page(at=None):
    at = at or fresh_app().run()
    at.switch_page(PLAN).run()
    assert not at.exception and not errors(at)
    return at


def table(at):
    return at.dataframe[0].value


def test_sample_plan_table_words_calendar_and_downloads():
    at = plan_page()
    plan = table(at)
    assert plan["group"].iloc[0] == "Champions" and plan["audience"].sum() == 1986
    assert plan["send_months"].str.contains("–").all() and plan["categories"].str.len().gt(0).all()
    words = " ".join(m.value for m in at.markdown)
    assert "**Champions**" in words and "send in **" in words and "feature **" in words
    (calendar,) = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert {"group", "name", "index", "mark", "orders", "send", "peak"} <= fields(calendar)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == [f"Download the plan ({len(plan)} rows, CSV)", f"Download data ({12 * len(plan)} rows, CSV)"]


def test_grouping_lead_and_categories_change_the_plan_and_survive_a_page_switch():
    at = plan_page()
    at.selectbox(key="plan_grouping").select("Single vs repeat").run()
    at.radio(key="plan_lead").set_value(0).run()
    at.number_input(key="plan_top").set_value(1).run()
    assert not at.exception
    plan = table(at)
    assert plan["group"].tolist() == ["Single order", "Repeat"]
    assert (plan["send_months"] == plan["peak_months"]).all()             # no lead: send in the peak
    assert not plan["categories"].str.contains(",").any()                  # one category each
    at.switch_page(EXPLORE).run()
    at.switch_page(PLAN).run()
    assert at.selectbox(key="plan_grouping").value == "Single vs repeat"
    assert at.radio(key="plan_lead").value == 0 and at.number_input(key="plan_top").value == 1
    assert table(at)["group"].tolist() == ["Single order", "Repeat"]


def test_without_segments_everyone_is_one_group():
    at = fresh_app().run()
    at.session_state["settings"] = Settings(analysis_date="2000-01-01")   # no purchase before it: no segments
    at.switch_page(PLAN).run()
    assert not at.exception
    assert at.selectbox(key="plan_grouping").options == ["All customers"]
    assert table(at)["audience"].tolist() == [1986]


def test_shared_file_plan(shared_datasets):
    at = plan_page(upload(fresh_app().run(), PRACTICUM_UPD))
    plan = table(at)
    assert plan["audience"].sum() == 2451 and len(plan) == 8            # the 8 non-empty RFM segments
    at.selectbox(key="plan_grouping").select("All customers").run()
    plan = table(at)
    assert plan["audience"].tolist() == [2451] and plan["send_months"].tolist() == ["January–February"]
