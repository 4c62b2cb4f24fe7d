"""Two browser sessions with different uploads and settings never see each other's data or settings.

Two AppTest instances of the app run in this one process, so they share Streamlit's process-wide caches
(``st.cache_resource``) exactly as two users of one server do: a cache keyed on too little (not the upload's digest,
not the rules or the scoring) would hand one session the other's tables. Session A uploads the home-goods shop and
edits the category rules (replacing them in its settings, then editing and deleting rules in the Categories
editor); session B uploads the UCI gift shop and scores with 3 bins. Both visit the Categories and Segments pages,
taking turns, and every figure each page shows is checked against ``core.pipeline.run`` on that session's own
file and settings.
"""
import dataclasses
import re

import pytest
from streamlit.testing.v1 import AppTest

from core import categories, pipeline
from core.categories import default_rules
from core.rfm import ScoreSpec, ScoringSettings
from core.settings import Settings
from tests.apptest_helpers import APP, errors, fresh_app, page_path, upload
from tests.conftest import ONLINE_RETAIL, PRACTICUM_UPD
from ui.state import SETTINGS_KEY, SOURCE_KEY

CATEGORIES, SEGMENTS = page_path("1_Categories.py"), page_path("2_Segments.py")
RULES_A = default_rules("ru")[:300]                       # a shorter rule set: lower coverage than the default
THREE_BINS = ScoringSettings(*(ScoreSpec(bins=3),) * 3)


def expected(path, settings: Settings) -> dict:
    """What the pages must show for ``path`` under ``settings``, from core alone."""
    analysis = pipeline.run(path.read_bytes(), path.name, settings)
    cover = categories.coverage(analysis.lines)
    return {"coverage": [round(cover[key] * 100, 1) for key in ("coverage_rows", "coverage_revenue", "coverage_names")],
            "rules": len(analysis.rules), "customers": len(analysis.segmentation.customers),
            "segments": {row["name"]: row["customers"] for row in pipeline.segment_totals(analysis.segmentation)}}


def visit(at: AppTest, page: str) -> AppTest:
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert not errors(at), errors(at)
    return at


def percent(text: str) -> float:
    """``"99.2%"`` (or a localised ``"99,2 %"``) -> 99.2."""
    return float(re.sub(r"[^\d,.]", "", text).replace(",", "."))


def shown_categories(at: AppTest) -> dict:
    """The Categories page's coverage figures (lines, revenue, names; percent) and the number of rules."""
    return {"coverage": [percent(m.value) for m in at.metric], "rules": len(at.data_editor[0].value)}


def shown_segments(at: AppTest) -> dict[str, int]:
    table = next(d.value for d in at.dataframe if "share_revenue" in d.value.columns)
    return dict(zip(table["segment"], table["customers"].astype(int)))


@pytest.fixture(scope="module")
def sessions(shared_datasets):
    """Sessions A and B after their uploads and settings changes (on the home page)."""
    a = upload(fresh_app().run(), PRACTICUM_UPD)            # caches cleared once, then shared by both
    b = upload(AppTest.from_file(APP, default_timeout=60).run(), ONLINE_RETAIL)
    a.session_state[SETTINGS_KEY] = dataclasses.replace(a.session_state[SETTINGS_KEY], rules=RULES_A)
    b.session_state[SETTINGS_KEY] = dataclasses.replace(b.session_state[SETTINGS_KEY], scoring=THREE_BINS)
    return a.run(), b.run()


def test_each_session_sees_only_its_own_data_rules_and_segments(sessions):
    a, b = sessions
    assert a.session_state[SOURCE_KEY].name == PRACTICUM_UPD.name and not a.session_state[SOURCE_KEY].is_sample
    assert b.session_state[SOURCE_KEY].name == ONLINE_RETAIL.name
    a_expected = expected(PRACTICUM_UPD, a.session_state[SETTINGS_KEY])
    b_expected = expected(ONLINE_RETAIL, b.session_state[SETTINGS_KEY])
    assert a_expected["coverage"] != b_expected["coverage"] and a_expected["customers"] != b_expected["customers"]

    # taking turns, so each page run finds the other session's tables in the shared caches
    assert shown_categories(visit(a, CATEGORIES)) == {"coverage": a_expected["coverage"], "rules": 300}
    assert shown_categories(visit(b, CATEGORIES)) == {"coverage": b_expected["coverage"],
                                                      "rules": len(default_rules("en"))}
    a_segments, b_segments = shown_segments(visit(a, SEGMENTS)), shown_segments(visit(b, SEGMENTS))
    assert a_segments == a_expected["segments"] and sum(a_segments.values()) == a_expected["customers"] == 2451
    assert b_segments == b_expected["segments"] and sum(b_segments.values()) == b_expected["customers"]
    assert b.session_state["score_R_bins"] == 3 and a.session_state["score_R_bins"] == 5

    # neither session's settings were touched by the other's
    assert a.session_state[SETTINGS_KEY].rules == RULES_A and a.session_state[SETTINGS_KEY].scoring == ScoringSettings()
    assert b.session_state[SETTINGS_KEY].rules is None and b.session_state[SETTINGS_KEY].scoring == THREE_BINS


def test_a_rule_edit_in_one_session_leaves_the_other_alone(sessions):
    a, b = sessions
    visit(a, CATEGORIES)
    before = shown_categories(a)["coverage"]
    a.session_state[a.data_editor[0].key] = {"edited_rows": {0: {"category": "Сад и дача"}}, "added_rows": [],
                                             "deleted_rows": list(range(1, 151))}
    a.run()
    assert not a.exception and not errors(a)
    edited = a.session_state[SETTINGS_KEY].rules
    assert edited == (dataclasses.replace(RULES_A[0], category="Сад и дача"), *RULES_A[151:])
    a_expected = expected(PRACTICUM_UPD, a.session_state[SETTINGS_KEY])
    assert shown_categories(a) == {"coverage": a_expected["coverage"], "rules": 150}
    assert a_expected["coverage"] != before                           # the edit shows

    b_expected = expected(ONLINE_RETAIL, b.session_state[SETTINGS_KEY])
    assert shown_categories(visit(b, CATEGORIES)) == {"coverage": b_expected["coverage"],
                                                      "rules": len(default_rules("en"))}
    assert b.session_state[SETTINGS_KEY].rules is None and b.session_state[SETTINGS_KEY].scoring == THREE_BINS
    assert shown_segments(visit(b, SEGMENTS)) == b_expected["segments"]
    assert shown_segments(visit(a, SEGMENTS)) == a_expected["segments"]
    assert a.session_state[SETTINGS_KEY].rules == edited and a.session_state[SETTINGS_KEY].scoring == ScoringSettings()
