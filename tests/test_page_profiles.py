"""AppTest of the Profiles page: no data, sample data, an uploaded shop, groupings, editable texts, migration.

Figures the page shows are checked against core functions run in the test on the same data.
"""
import functools

import pandas as pd
import pytest

from core import i18n, pipeline
from core.profiles import recommendations, segment_profiles
from core.segments import NOT_YET, migration_matrix, migration_summary
from core.settings import Settings
from tests.apptest_helpers import errors, fresh_app, open_page, page_path, upload
from tests.conftest import ONLINE_RETAIL, PRACTICUM_UPD
from ui.state import SAMPLE_FILE

PAGE = page_path("3_Profiles.py")


@functools.cache
def analysis(path=SAMPLE_FILE) -> pipeline.Analysis:
    return pipeline.run(path.read_bytes(), path.name, Settings())


def table(at, column: str) -> pd.DataFrame:
    """The first table of the page with ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def profiles_page(path=None):
    return open_page("3_Profiles.py", path)


def test_sample_profiles_recommendations_and_migration_match_core():
    at = profiles_page()
    assert not errors(at)
    run = analysis()
    customers = run.segmentation.customers
    expected = segment_profiles(run.lines, customers)
    profiles = table(at, "repeat_share")
    assert profiles["segment"].tolist() == expected["segment"].tolist()
    assert profiles["customers"].tolist() == expected["customers"].tolist()
    assert profiles["customers"].sum() == len(customers) == 1986
    assert profiles.set_index("segment")["customers"].to_dict() == (
        customers["segment"].value_counts()[lambda counts: counts > 0].to_dict())
    assert profiles["peak_months"].tolist() == expected["peak_months"].tolist()
    assert profiles["aov"].tolist() == pytest.approx(expected["aov"].tolist(), abs=0.005)     # shown rounded
    advice = table(at, "recommendation")
    core_advice = recommendations(expected)
    assert advice["recommendation"].tolist() == core_advice["recommendation"].tolist()
    skipped = core_advice.loc[core_advice["skip"], "segment"].tolist()
    assert advice.loc[advice["skip"], "segment"].tolist() == skipped
    assert [w.value.split(":")[0] for w in at.warning] == [f"**Skip {name}**" for name in skipped]
    # segment migration, 90 days back by default
    now = run.segmentation.analysis_date
    matrix = migration_matrix(run.lines, now, now - pd.Timedelta(days=90), Settings().scoring,
                              run.segmentation.segment_map)
    shown = table(at, "from").set_index("from")
    assert shown.to_numpy().sum() == matrix.to_numpy().sum() == 1986
    assert shown.loc[NOT_YET].tolist() == matrix.loc[NOT_YET].tolist()
    moves = migration_summary(matrix)
    assert any(m.value.startswith(f"Of **1,986** customers on {now:%Y-%m-%d}, **{moves['stayed']:,}** were in the "
                                  f"same segment") for m in at.markdown)
    assert len(at.get("vega_lite_chart")) == 2


def test_uploaded_shop_by_lifecycle_and_by_dominant_category():
    at = profiles_page(PRACTICUM_UPD)
    assert not errors(at)
    run = analysis(PRACTICUM_UPD)
    customers = run.segmentation.customers
    core_advice = recommendations(segment_profiles(run.lines, customers)).set_index("segment")
    assert core_advice.loc["Lost", "skip"] and core_advice["skip"].sum() == 1      # lapsed, below-average value
    assert [w.value for w in at.warning] == [f"**Skip Lost**: {core_advice.loc['Lost', 'reason']}."]
    assert table(at, "recommendation").set_index("segment")["skip"].to_dict() == core_advice["skip"].to_dict()
    at.selectbox(key="profile_grouping").select("Single vs repeat").run()
    profiles = table(at, "repeat_share").set_index("segment")
    assert profiles["customers"].to_dict() == {"Single order": int((customers["frequency"] == 1).sum()),
                                               "Repeat": int((customers["frequency"] > 1).sum())}
    assert profiles["customers"].sum() == 2451
    assert profiles["repeat_share"].to_dict() == {"Single order": 0.0, "Repeat": 1.0}
    at.selectbox(key="profile_grouping").select("Dominant category").run()
    assert not errors(at)
    profiles = table(at, "repeat_share").set_index("segment")
    assert profiles["customers"].to_dict() == customers["dominant_category"].value_counts().to_dict()
    assert profiles["customers"].sum() == customers["dominant_category"].notna().sum()


def test_recommendation_texts_are_edited_validated_and_reset():
    at = profiles_page()
    first = table(at, "recommendation")["segment"].iloc[0]
    at.session_state["templates_editor_0"] = {"edited_rows": {0: {"template": "Hello {segment}, try {top_category}"}},
                                              "added_rows": [], "deleted_rows": []}
    at.run()
    assert not errors(at)
    top = table(at, "repeat_share")["category_1"].iloc[0]
    assert table(at, "recommendation")["recommendation"].iloc[0] == f"Hello {first}, try {top}"
    assert at.session_state["settings"].templates == {first: "Hello {segment}, try {top_category}"}
    editor = at.data_editor(key="templates_editor_1").value                # saved texts start a fresh editor
    assert editor["customised"].tolist()[0] is True
    at.session_state["templates_editor_1"] = {"edited_rows": {1: {"template": "Dear {name}"}}, "added_rows": [],
                                              "deleted_rows": []}
    at.run()
    assert len(errors(at)) == 1 and "uses unknown placeholder {name}" in errors(at)[0]
    assert at.session_state["settings"].templates == {first: "Hello {segment}, try {top_category}"}
    next(b for b in at.button if b.label == "Reset all texts to the defaults").click().run()
    assert at.session_state["settings"].templates == {} and not errors(at)
    assert table(at, "recommendation")["recommendation"].iloc[0].startswith("Reward, don't discount")


def test_migration_over_a_different_number_of_days():
    at = profiles_page()
    at.number_input(key="migration_days").set_value(365).run()
    assert not errors(at)
    run = analysis()
    now = run.segmentation.analysis_date
    matrix = migration_matrix(run.lines, now, now - pd.Timedelta(days=365), Settings().scoring,
                              run.segmentation.segment_map)
    shown = table(at, "from").set_index("from")
    assert shown.to_numpy().tolist() == matrix.to_numpy().tolist()
    assert shown.to_numpy().sum() == 1986
    first_day = run.lines["date"].min().normalize()
    assert at.number_input(key="migration_days").max == (now - first_day).days - 1   # an earlier date has orders


def test_the_page_in_russian_translates_names_recommendations_months_and_keeps_user_texts():
    at = fresh_app().run()
    upload(at, PRACTICUM_UPD)
    at.radio(key="ui_language_choice").set_value("ru").run()
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    assert at.title[0].value == "Профили клиентов"
    assert at.selectbox(key="profile_grouping").value == "RFM-сегмент"
    run = analysis(PRACTICUM_UPD)
    core_advice = recommendations(segment_profiles(run.lines, run.segmentation.customers), lang="ru")
    lost = core_advice.set_index("segment").loc["Lost"]
    assert [w.value for w in at.warning] == [f"**Пропустить «Потерянные»**: {lost['reason']}."]
    assert lost["reason"].startswith("не покупают больше 365 дней")
    advice = table(at, "recommendation").set_index("segment")
    assert advice.loc["Потенциально лояльные", "recommendation"].startswith("Стимул к следующему заказу в категориях")
    assert "Рассылка окупится" in advice.loc["Потенциально лояльные", "recommendation"]
    assert advice.loc["Потенциально лояльные", "send_months"] in {f"{a}–{b}" for a, b in zip(i18n.MONTHS["ru"],
                                                                                i18n.MONTHS["ru"][1:])} | {
        "декабрь–январь"}
    profiles = table(at, "repeat_share")
    assert set(profiles["peak_weekday"]) <= set(i18n.WEEKDAYS["ru"])
    # a text edited in Russian is stored under the name inside and used in English too
    at.session_state["templates_editor_0"] = {"edited_rows": {0: {"template": "Привет, {segment}!"}}, "added_rows": [],
                                "deleted_rows": []}
    at.run()
    assert not errors(at)
    segment = run.segmentation.customers["segment"]
    first = next(name for name in segment.cat.categories if (segment == name).any())   # the editor's first row
    assert at.session_state["settings"].templates == {first: "Привет, {segment}!"}
    assert table(at, "recommendation")["recommendation"].iloc[0] == f"Привет, {i18n.segment_name(first, 'ru')}!"
    at.radio(key="ui_language_choice").set_value("en").run()
    assert table(at, "recommendation")["recommendation"].iloc[0] == f"Привет, {first}!"


def test_a_one_month_history_gets_a_migration_window_inside_it():
    at = fresh_app().run()
    upload(at, ONLINE_RETAIL)                       # 2009-12-01 .. 2009-12-23: 90 days back would be before it
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at), errors(at)
    days = at.number_input(key="migration_days")
    assert (days.value, days.max) == (11, 22)            # half the 23 days of history; at most 22 days back
    moves = next(m.value for m in at.markdown if m.value.startswith("Of **"))
    assert "customers on 2009-12-24" in moves and "same segment on 2009-12-13" in moves


def test_the_user_decides_who_to_skip_and_the_plan_and_workbook_follow():
    from core import export
    at = profiles_page(PRACTICUM_UPD)
    assert [w.value.split("**")[1] for w in at.warning] == ["Skip Lost"]         # the rule: lapsed, below average
    advice = at.data_editor(key="skip_editor_0").value
    rows = {name: i for i, name in enumerate(advice["segment"])}
    at.session_state["skip_editor_0"] = {"edited_rows": {rows["Lost"]: {"skip": False},
                                                         rows["Potential Loyalists"]: {"skip": True}},
                                         "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and not errors(at)
    settings = at.session_state["settings"]
    assert settings.skip_overrides == {"Lost": "mail", "Potential Loyalists": "skip"}
    assert [w.value.split("**")[1] for w in at.warning] == ["Skip Potential Loyalists"]
    assert at.data_editor(key="skip_editor_1").value.set_index("segment").loc[
        "Potential Loyalists", "reason"].startswith("skipped by your choice")

    at.switch_page(page_path("5_Plan.py")).run()
    plan = next(d.value for d in at.dataframe if "audience" in d.value.columns)
    assert plan["skip"].tolist() == [False] * (len(plan) - 1) + [True]          # skipped last
    assert plan["group"].iloc[-1] == "Potential Loyalists"
    assert any("Potential Loyalists" in m.value and ":red-badge[Skip]" in m.value for m in at.markdown)

    run = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, settings)
    segments = export.segments_table(run, settings.templates, "en", settings.skip_after_days,
                                     settings.skip_overrides).set_index("segment")
    assert segments.loc["Potential Loyalists", "skip"] == "skip" and segments.loc["Lost", "skip"] == "mail"

    at.switch_page(PAGE).run()
    at.number_input(key="skip_after_days").set_value(3650).run()               # no group is lapsed that long
    assert at.session_state["settings"].skip_after_days == 3650
    assert [w.value.split("**")[1] for w in at.warning] == ["Skip Potential Loyalists"]   # the choice stays
