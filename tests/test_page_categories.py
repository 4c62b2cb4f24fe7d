"""AppTest of the Categories page: no data, the sample data, the shared home-goods file, rule edits, reordering,
one-click rules, CSV import and reset."""
import pytest
from streamlit.testing.v1 import AppTest

from core.categories import default_rules
from tests.apptest_helpers import APP, errors, fresh_app, page_path, upload
from tests.conftest import PRACTICUM_UPD

PAGE = page_path("1_Categories.py")
NEW_CATEGORY = "➕ New category…"


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def deltas(at) -> dict[str, str]:
    return {m.label: m.delta for m in at.metric}


def table(at, first_column: str):
    """The shown dataframe whose first column is ``first_column``."""
    return next(d.value for d in at.dataframe if d.value.columns[0] == first_column)


def edit_rules(at, edited=None, added=(), deleted=()):
    """Edit the rules table as the browser would, and rerun."""
    at.session_state[at.data_editor[0].key] = {"edited_rows": edited or {}, "added_rows": list(added),
                                               "deleted_rows": list(deleted)}
    return at.run()


def add_button(at):
    return next(b for b in at.button if b.label == "Add rule")


def rules_caption(at) -> str:
    return next(c.value for c in at.caption if c.value.startswith("In force:"))


@pytest.fixture
def practicum(shared_datasets):
    at = upload(AppTest.from_file(APP, default_timeout=60).run(), PRACTICUM_UPD)   # caches kept: same file
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    return at


def test_sample_data_shows_rules_figures_chart_and_tables():
    at = fresh_app().run().switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    assert metrics(at) == {"Order lines categorised": "99.2%", "Revenue categorised": "98.9%",
                           "Product names categorised": "98.5%"}
    assert rules_caption(at) == ("In force: the default Russian home goods rules — 1,222 rules, 1,222 enabled, "
                                 "13 categories.")
    assert len(at.data_editor[0].value) == 1222
    assert at.data_editor[0].value.columns.tolist() == ["priority", "keyword", "category", "mode", "enabled"]
    assert at.get("vega_lite_chart"), "revenue and orders by category"
    uncategorised = table(at, "product")
    assert uncategorised["revenue"].is_monotonic_decreasing and len(uncategorised) > 0
    assert table(at, "word").columns.tolist() == ["word", "names", "revenue"]


def test_home_goods_file_coverage_uncategorised_and_conflicts(practicum):
    at = practicum
    assert metrics(at) == {"Order lines categorised": "99.2%", "Revenue categorised": "99.9%",
                           "Product names categorised": "98.5%"}
    assert [t.label for t in at.tabs] == ["Rules", "Uncategorised (35)", "Conflicts (766)", "By category",
                                          "Import, export, reset"]
    uncategorised = table(at, "product")
    assert uncategorised.iloc[0].tolist() == ["Овсянница сизая серый объем 1 л", 8, 1099.0]
    assert uncategorised["revenue"].sum() == 7773.0
    conflicts = next(d.value for d in at.dataframe if "winner" in d.value.columns)
    assert len(conflicts) == 766
    assert conflicts.iloc[0].to_dict() == {
        "product": "Сумка-тележка хозяйственная Rolser BAB010 rojo JOY-1800 красная", "revenue": 53807.0,
        "category": "Сумки и тележки", "winner": "#89 тележк (contains)",
        "others": "#1215 хозяйствен (contains) → Хранение и хозяйство"}


def test_editing_rules_changes_coverage_and_bad_edits_keep_the_last_valid_rules(practicum):
    at = edit_rules(practicum, edited={133: {"enabled": False}})        # rule 134 "вантуз": the 675,000 plunger
    assert not errors(at)
    assert metrics(at)["Revenue categorised"] == "87.3%"
    assert deltas(at)["Revenue categorised"] == "-12.6 pp"
    assert "1,221 enabled" in rules_caption(at)
    at = edit_rules(at, edited={0: {"category": ""}},
                    added=[{"keyword": "подголовник", "category": "Мебель", "enabled": True}])
    assert any("row 1: category is empty" in e and "last valid rules stay in force" in e for e in errors(at))
    assert metrics(at)["Revenue categorised"] == "87.3%"
    next(b for b in at.button if b.label == "Discard my edits").click().run()
    assert not errors(at) and len(at.data_editor[0].value) == 1222
    at = edit_rules(at, added=[{"keyword": "вантуз", "category": "Ванная", "mode": "whole word", "enabled": True}],
                    deleted=[133])
    assert not errors(at)
    assert metrics(at)["Revenue categorised"] == "99.9%" and deltas(at)["Revenue categorised"] == "+12.6 pp"
    assert rules_caption(at).startswith("In force: your edited rules — 1,222 rules, 1,222 enabled")
    assert at.data_editor[0].value.iloc[-1].tolist() == [1222, "вантуз", "Ванная", "whole word", True]
    at.switch_page("streamlit_app.py").run()                          # the rules survive a page switch
    at.switch_page(PAGE).run()
    assert rules_caption(at).startswith("In force: your edited rules")
    assert at.data_editor[0].value.iloc[-1]["keyword"] == "вантуз" and not deltas(at)["Revenue categorised"]


def test_priority_numbers_reorder_the_rules_and_decide_conflicts(practicum):
    at = edit_rules(practicum, edited={1214: {"priority": 1}})         # "хозяйствен" to the top
    assert not errors(at)
    editor = at.data_editor[0].value
    assert editor["keyword"].iloc[:2].tolist() == ["хозяйствен", "сушилка для посуды"]
    assert editor["priority"].tolist() == list(range(1, 1223))
    conflicts = next(d.value for d in at.dataframe if "winner" in d.value.columns)
    assert conflicts.iloc[0][["category", "winner"]].tolist() == ["Хранение и хозяйство", "#1 хозяйствен (contains)"]
    at = edit_rules(at, edited={0: {"priority": 1215}})                # back down: behind the rule now at 1215
    assert at.data_editor[0].value["keyword"].tolist() == [rule.keyword for rule in default_rules("ru")]
    conflicts = next(d.value for d in at.dataframe if "winner" in d.value.columns)
    assert conflicts.iloc[0]["category"] == "Сумки и тележки"


def test_one_click_rule_from_a_frequent_word(practicum):
    at = practicum
    at.selectbox(key="add_word_0").select("овсянница")
    at.selectbox(key="add_category_0").select("Растения и рассада")
    add_button(at).click().run()
    assert not errors(at)
    assert any(s.value == "Added rule #1223: “овсянница” (starts with) → Растения и рассада." for s in at.success)
    assert metrics(at)["Order lines categorised"] == "99.3%" and deltas(at)["Order lines categorised"] == "+0.1 pp"
    assert [t.label for t in at.tabs][1] == "Uncategorised (34)"
    at.selectbox(key="add_word_1").select("бензин")
    at.selectbox(key="add_category_1").select(NEW_CATEGORY).run()
    at.text_input(key="add_keyword_1_бензин").input("бензин для зажигалок")
    at.text_input(key="add_new_category_1").input("Туризм")
    add_button(at).click().run()
    assert not errors(at)
    assert "14 categories" in rules_caption(at)
    assert at.data_editor[0].value.iloc[-1].tolist() == [1224, "бензин для зажигалок", "Туризм", "starts with", True]
    at.selectbox(key="add_word_2").select("объем").run()
    at.text_input(key="add_keyword_2_объем").input("овсянница")
    add_button(at).click().run()
    assert any("Cannot add the rule: row 1225 (same as row 1223): duplicate rule" in e for e in errors(at))


def test_csv_import_language_switch_and_reset(practicum):
    at = practicum
    bad = "keyword;category\n;Посуда\n".encode()
    at.file_uploader(key="rules_file_0").set_value(("rules.csv", bad, "text/csv")).run()
    assert errors(at) == ["Fix the category rules: row 1: keyword is empty."]
    assert metrics(at)["Revenue categorised"] == "99.9%"
    rules = "keyword,category,mode,enabled\nтележк,Trolleys,contains,yes\n".encode()
    at.file_uploader(key="rules_file_0").set_value(("rules.csv", rules, "text/csv")).run()
    assert not errors(at)
    assert any(s.value == "Imported 1 rule from rules.csv." for s in at.success)
    assert rules_caption(at) == "In force: your edited rules — 1 rule, 1 enabled, 1 category."
    assert metrics(at)["Order lines categorised"] == "6.6%"
    at.selectbox(key="rules_language").select("en").run()
    assert rules_caption(at).startswith("In force: your edited rules")        # edited rules stay in force
    next(b for b in at.button if b.label.startswith("Reset to the default")).click().run()
    assert rules_caption(at) == ("In force: the default English gift & home rules — 462 rules, 462 enabled, "
                                 "12 categories.")
    at.selectbox(key="rules_language").select("auto").run()
    assert metrics(at)["Revenue categorised"] == "99.9%" and len(at.data_editor[0].value) == 1222
    reset = next(b for b in at.button if b.label.startswith("Reset to the default"))
    assert reset.label == "Reset to the default Russian home goods rules" and reset.disabled
