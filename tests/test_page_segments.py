"""AppTest of the Segments page: no data, sample data, an uploaded shop, scoring changes, map edits, bad input.

Every count the page shows is checked against ``core.pipeline.run`` with the same settings, run in the test.
"""
import datetime as dt
import functools

import pytest

from core import pipeline
from core.rfm import ScoreSpec, ScoringSettings
from core.segments import default_segment_map, default_segment_map_for
from core.settings import Settings
from tests.apptest_helpers import errors, fresh_app, open_page, page_path, upload
from tests.conftest import PRACTICUM_UPD
from ui.state import SAMPLE_FILE

PAGE = page_path("2_Segments.py")


def expected_counts(path=SAMPLE_FILE, settings: Settings = Settings()) -> dict[str, int]:
    """Customers per segment (map order, Other last) computed with core alone."""
    return _counts(path, settings.to_json())


@functools.cache
def _counts(path, settings_json: str) -> dict[str, int]:
    analysis = pipeline.run(path.read_bytes(), path.name, Settings.from_json(settings_json))
    return {row["name"]: row["customers"] for row in pipeline.segment_totals(analysis.segmentation)}


def shown_counts(at) -> dict[str, int]:
    """The segment summary table of the page as {segment: customers}."""
    table = next(d.value for d in at.dataframe if "share_revenue" in d.value.columns)
    assert table["share_customers"].sum() == pytest.approx(1)
    return dict(zip(table["segment"], table["customers"].astype(int)))


def segments_page(path=None):
    return open_page("2_Segments.py", path)


def test_sample_data_shows_scores_grid_and_segments_as_core_computes_them():
    at = segments_page()
    assert not errors(at) and not at.warning
    counts = shown_counts(at)
    assert counts == expected_counts()
    assert sum(counts.values()) == 1986 and counts["Champions"] == 117 and counts["Lost"] == 373
    # F scores 1, 4, 5 (most customers ordered once) stand for the classic map's F 1, 3, 5: recent two-order
    # customers are Potential Loyalists (R 4-5, F 4 here), three-plus-order ones Champions (R 5, F 5)
    assert counts["Potential Loyalists"] == 159 and all(counts[name] for name in counts if name != "Other")
    assert any(c.value.startswith("The default map follows the scores in use (F: 1, 4, 5)") for c in at.caption)
    assert any(i.value.startswith("F: 3 of 5 bins") for i in at.info)      # frequency bins merged, said so
    r_scores = next(d.value for d in at.dataframe if "range" in d.value.columns)
    assert r_scores["range"].tolist() == ["≤ 70", "71–148", "149–213", "214–286", "287+"]
    assert r_scores["customers"].tolist() == [392, 397, 399, 393, 405]
    assert len(at.get("vega_lite_chart")) == 2                              # R×F grid and segment shares
    assert at.data_editor(key="segment_map_editor_0").value["segment"].tolist() == [
        rule.name for rule in default_segment_map(5)]


def test_uploaded_home_goods_shop_gets_its_own_segments():
    at = segments_page(PRACTICUM_UPD)
    assert not errors(at)
    counts = shown_counts(at)
    assert counts == expected_counts(PRACTICUM_UPD)
    # every customer of the last three months has two orders (the file's appended rows reuse old customers), so
    # the 485 most recent are Potential Loyalists, not yet Champions (3+ orders) and not New (1 order)
    assert sum(counts.values()) == 2451 and counts["Potential Loyalists"] == 754
    assert counts["Champions"] == counts["New"] == 0
    assert any(m.value == "2,451 customers as of **2020-02-01**." for m in at.markdown)


def test_frequency_cut_points_rescore_with_the_default_map_fitted_to_the_new_bins():
    at = segments_page()
    before = shown_counts(at)
    at.radio(key="score_F_method").set_value("cuts").run()
    at.text_input(key="score_F_cuts").input("1, 2, 4").run()
    cuts = ScoringSettings(frequency=ScoreSpec("cuts", cuts=(1, 2, 4)))
    counts = shown_counts(at)
    # F now has 4 bins and R 5: the automatic map is the classic one stretched to R 5 × F 4, covering every cell
    fitted = Settings(scoring=cuts, segment_map=default_segment_map_for(5, 4, 5))
    assert counts == expected_counts(settings=Settings(scoring=cuts)) == expected_counts(settings=fitted) != before
    assert counts["Other"] == 0
    assert not at.warning


def test_fewer_recency_bins_and_an_earlier_analysis_date_rescore():
    at = segments_page()
    at.selectbox(key="score_R_bins").select(3).run()
    three = ScoringSettings(recency=ScoreSpec(bins=3))
    assert shown_counts(at) == expected_counts(settings=Settings(scoring=three))
    date_key = next(w.key for w in at.date_input)
    at.date_input(key=date_key).set_value(dt.date(2023, 6, 1)).run()
    assert not errors(at)
    assert shown_counts(at) == expected_counts(settings=Settings(scoring=three, analysis_date="2023-06-01"))
    assert any(m.value.endswith("customers as of **2023-06-01**.") for m in at.markdown)


def test_invalid_cut_points_show_an_error_and_keep_the_previous_scores():
    at = segments_page()
    at.radio(key="score_M_method").set_value("cuts").run()
    assert not errors(at)
    assert shown_counts(at) == expected_counts()        # cut points seeded from the quantile edges: same scores
    at.text_input(key="score_M_cuts").input("500, 100").run()
    assert errors(at) == ["Monetary cut points: must be numbers in strictly ascending order, got 500, 100. "
                          "Still using the previous scoring."]
    assert shown_counts(at) == expected_counts()


def test_editing_the_segment_map_renames_deletes_and_adds_rules():
    at = segments_page()
    before = shown_counts(at)
    at.session_state["segment_map_editor_0"] = {
        "edited_rows": {0: {"segment": "Stars"}}, "deleted_rows": [9],                      # row 10 is Lost
        "added_rows": [{"segment": "Dormant", "r_min": 1, "r_max": 1, "f_min": 1, "f_max": 2}]}
    at.run()
    assert not errors(at)
    counts = shown_counts(at)
    assert counts["Stars"] == before["Champions"] and counts["Dormant"] == before["Lost"]
    assert "Champions" not in counts and "Lost" not in counts and counts["Other"] == 0
    editor = at.data_editor(key="segment_map_editor_1")                 # a replaced map starts a fresh editor
    assert editor.value["segment"].tolist()[-1] == "Dormant"
    at.session_state["segment_map_editor_1"] = {"edited_rows": {1: {"r_max": 7}}, "added_rows": [],
                                                "deleted_rows": []}
    at.run()
    assert errors(at) == ["segment map: row 2 (Loyal): R max 7 is outside 1–5. The previous map stays in force "
                          "until the table is fixed."]
    assert shown_counts(at) == counts
    next(b for b in at.button if b.label == "Reset to the default map").click().run()
    assert shown_counts(at) == before and not errors(at)


def test_the_page_in_russian_shows_russian_labels_segment_names_and_numbers():
    at = fresh_app().run()
    upload(at, PRACTICUM_UPD)
    at.radio(key="ui_language_choice").set_value("ru").run()
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    assert at.title[0].value == "RFM-сегменты"
    assert [s.value for s in at.subheader] == ["Баллы", "Карта сегментов", "Сегменты"]
    assert any(m.value == "Клиентов на **01.02.2020**: 2\u00a0451." for m in at.markdown)
    counts = shown_counts(at)                                   # Russian display names, the same counts
    english = expected_counts(PRACTICUM_UPD)
    assert counts["Потенциально лояльные"] == english["Potential Loyalists"] == 754
    assert counts["Прочие"] == english["Other"]
    assert sum(counts.values()) == 2451
    editor = at.data_editor(key="segment_map_editor_0").value
    assert editor["segment"].tolist()[:3] == ["Чемпионы", "Лояльные", "Потенциально лояльные"]
    # renaming one rule in Russian keeps the others' names inside English (the settings and the CLI see English)
    at.session_state["segment_map_editor_0"] = {"edited_rows": {2: {"segment": "Звёзды"}}, "deleted_rows": [],
                                                "added_rows": []}
    at.run()
    assert not errors(at)
    names = [rule.name for rule in at.session_state["settings"].segment_map]
    assert names[:4] == ["Champions", "Loyal", "Звёзды", "New"] and shown_counts(at)["Звёзды"] == 754


def test_the_page_in_english_keeps_english_names_and_numbers():
    at = segments_page(PRACTICUM_UPD)
    assert at.title[0].value == "RFM segments"
    assert [s.value for s in at.subheader] == ["Scores", "Segment map", "Segments"]
    assert shown_counts(at)["Potential Loyalists"] == 754
