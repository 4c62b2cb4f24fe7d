"""The message catalogue (both languages, same placeholders, every key used exists) and locale formatting."""
import pickle
import re

import pandas as pd
import pytest

from core import clustering, customer_table, i18n, stats
from core.categories import LANGUAGES, Rule, rules_from_csv, rules_from_frame, validate_rules
from core.charts import COHORT_MEASURES
from core.clean import DROP_REASONS
from core.errors import InputError
from core.formatting import (currency_for, format_date, format_money, format_month, format_number, format_percent,
                             format_period)
from core.i18n import MESSAGES, segment_key, segment_name, t, tn
from core.io import FIELDS
from core.profiles import TEMPLATE_NAMES, recommendations, templates_from_frame
from core.rfm import ScoreSpec, parse_cut_points, score, score_spec_from_input
from core.seasonality import METRICS
from core.segments import (NOT_YET, OTHER, REPEAT, SINGLE_ORDER, SegmentRule, default_segment_map, map_fit_problems,
                           segment_map_from_frame, segment_map_to_frame)
from core.settings import Settings
from tests.conftest import REPO

SOURCES = [REPO / "streamlit_app.py", *sorted((REPO / "pages").glob("*.py")), *sorted((REPO / "ui").glob("*.py")),
           *sorted(p for p in (REPO / "core").glob("*.py") if p.name != "i18n.py")]
LITERAL_KEY = re.compile(r"""(?<![A-Za-z0-9])(?:_?tn?|Message)\(\s*["']([^"']+)["']""")  # t("key"), Message(...)
DYNAMIC_KEY = re.compile(r"""(?<![A-Za-z0-9])(?:_?tn?|Message)\(\s*f["']([^"'{]*)""")
PAGE_KEY = re.compile(r"""(?<![A-Za-z0-9])t\(\s*f["']\{prefix\}\.(?:page_title|title|caption)["']""")
"""The page header keys of ``ui.state.start_page``, checked per screen in test_every_screen_has_its_header_texts."""


def test_every_message_has_both_languages_with_the_same_placeholders():
    problems = []
    for key, entry in sorted(MESSAGES.items()):
        if set(entry) != set(i18n.LANGUAGES) or not all(entry.get(lang) for lang in i18n.LANGUAGES):
            problems.append(f"{key}: missing or empty language")
            continue
        if i18n.placeholders(entry["en"]) != i18n.placeholders(entry["ru"]):
            problems.append(f"{key}: placeholders differ")
        if isinstance(entry["en"], tuple) or isinstance(entry["ru"], tuple):      # plural forms
            if not (isinstance(entry["en"], tuple) and len(entry["en"]) == 2 and isinstance(entry["ru"], tuple)
                    and len(entry["ru"]) == 3):
                problems.append(f"{key}: plural forms must be English (one, other), Russian (one, few, many)")
    assert not problems, problems
    assert len(MESSAGES) > 400


def test_every_key_used_in_the_code_exists():
    used, dynamic = {}, {}
    for path in SOURCES:
        text = path.read_text(encoding="utf-8")
        for key in LITERAL_KEY.findall(text):
            used.setdefault(key, path.name)
        for prefix in DYNAMIC_KEY.findall(PAGE_KEY.sub("", text)):
            dynamic.setdefault(prefix, path.name)
    assert len(used) > 100, "the pages use the catalogue"
    missing = {key: where for key, where in used.items() if key not in MESSAGES}
    assert not missing, f"keys used but not in core/i18n.py: {missing}"
    unknown = {prefix: where for prefix, where in dynamic.items() if not prefix.startswith(i18n.DYNAMIC_PREFIXES)}
    assert not unknown, f"keys built at run time outside DYNAMIC_PREFIXES: {unknown}"


def test_key_families_built_at_run_time_are_complete():
    for reason in [*DROP_REASONS, "kept"]:
        assert f"clean.{reason}" in MESSAGES
    for field in FIELDS:
        assert f"field.{field}" in MESSAGES
    for name in [rule.name for rule in default_segment_map(5)] + [OTHER, SINGLE_ORDER, REPEAT, NOT_YET]:
        assert f"segment.{name}" in MESSAGES, name
    for column in ("segment", "lifecycle", "dominant_category"):
        assert f"state.grouping.{column}" in MESSAGES
    for name in TEMPLATE_NAMES:
        assert f"template.{name}" in MESSAGES
    for letter in "RFM":
        assert f"segments.metric.{letter}" in MESSAGES and f"segments.unit.{letter}" in MESSAGES
    for language in LANGUAGES:
        assert f"categories.ruleset.{language}" in MESSAGES
    for part in ("rows", "revenue", "names"):
        assert f"categories.coverage_{part}" in MESSAGES
    for metric in METRICS:
        assert f"explore.metric.{metric}" in MESSAGES
    for measure in COHORT_MEASURES:
        assert f"explore.cohort.{measure}" in MESSAGES
    for metric in [*stats.METRICS, stats.CATEGORY_MIX]:
        assert f"tests.metric.{metric}" in MESSAGES
    for size in ("negligible", "small", "medium", "large", "unknown"):
        assert f"tests.magnitude.{size}" in MESSAGES
    for kind in ("rank", "means"):
        assert f"tests.test.{kind}_two" in MESSAGES and f"tests.test.{kind}_many" in MESSAGES
    for unit in ("orders", "customers", "products", "months"):
        assert f"tests.unit.{unit}" in MESSAGES
    for field in [*FIELDS, "category", "month"]:
        assert f"tests.group.{field}" in MESSAGES
    for words in clustering._LEVELS.values():
        for word in words:
            assert f"clusters.word.{word}" in MESSAGES
    assert f"clusters.word.{clustering.ONE_TIME}" in MESSAGES
    for kind in ("mw", "welch", "anova", "kw"):
        assert f"stats.{kind}_h0" in MESSAGES and f"stats.{kind}_h1" in MESSAGES
    for kind in ("mw", "welch"):
        assert f"stats.{kind}_claim" in MESSAGES
    for unit in ("customer", "order"):
        assert f"stats.mix_rows_{unit}" in MESSAGES and f"stats.mix_q_{unit}" in MESSAGES
    for column in ["Question", "Groups", "Test", "n", "Statistic", "p", "Corrected p", "Effect size", "Effect (CI)",
                   "Magnitude", "Verdict", "Warnings", "Pair", "Effect", "Higher group"]:    # core.stats tables
        assert f"tests.col.{column}" in MESSAGES


def test_english_catalogue_texts_match_the_names_inside():
    for name in [rule.name for rule in default_segment_map(5)] + [OTHER, SINGLE_ORDER, REPEAT, NOT_YET]:
        assert segment_name(name, "en") == name
    assert t("clean.exact_duplicate", "en") == DROP_REASONS["exact_duplicate"]


def test_segment_display_names_translate_and_map_back():
    assert segment_name("Champions", "ru") == "Чемпионы"
    assert segment_name("At Risk", "ru") == "Под угрозой ухода"
    assert segment_name("Мои любимые", "ru") == "Мои любимые"            # user's own names are shown as typed
    assert segment_key("Чемпионы", "ru") == "Champions"
    assert segment_key("Stars", "ru") == "Stars"


def test_messages_fill_placeholders_and_plurals():
    assert t("sidebar.data", "ru", name="x.csv") == "Данные: **x.csv**"
    assert t("home.title", "de") == t("home.title", "en")                  # unknown language: English
    assert [tn("count.rules", n, "ru") for n in (1, 3, 5, 11, 21, 1224)] == [
        "1 правило", "3 правила", "5 правил", "11 правил", "21 правило", "1\u00a0224 правила"]
    assert [tn("count.rules", n, "en") for n in (1, 2, 1224)] == ["1 rule", "2 rules", "1,224 rules"]
    with pytest.raises(KeyError):
        t("no.such.key", "en")


def test_number_formats_per_language():
    assert format_number(1234567.891, 2, "ru") == "1\u00a0234\u00a0567,89"
    assert format_number(1234567.891, 2, "en") == "1,234,567.89"
    assert format_number(1234567.891) == "1,234,568"
    assert format_number(float("nan"), 2, "ru") == format_number(None) == format_number(pd.NA) == "–"
    assert format_percent(0.125, 1, "en") == "12.5%" and format_percent(0.125, 1, "ru") == "12,5\u00a0%"


def test_money_and_currency():
    assert format_money(5357944, "₽", lang="en") == "5,357,944\u00a0₽"
    assert format_money(5357944, "₽", lang="ru") == "5\u00a0357\u00a0944\u00a0₽"
    assert format_money(1521.714, "£", 2, "en") == "£1,521.71"
    assert format_money(1521.714, "£", 2, "ru") == "1\u00a0521,71\u00a0£"
    assert format_money(10, "none") == format_money(10, "") == "10"
    assert currency_for("", "ru") == "₽" and currency_for("", "en") == ""
    assert currency_for("$", "ru") == "$" and currency_for("none", "ru") == ""


def test_dates_per_language():
    first, last = pd.Timestamp("2018-10-01 10:00"), pd.Timestamp("2020-01-31")
    assert format_period(first, last) == "2018-10-01 – 2020-01-31"
    assert format_period(first, last, "ru") == "01.10.2018 – 31.01.2020"
    assert format_date(last, "ru") == "31.01.2020" and format_date(None) == "–"
    assert format_month(last, "en") == "January 2020" and format_month(last, "ru") == "январь 2020"


def test_locale_gives_the_interface_language():
    assert i18n.language_from_locale("ru-RU") == "ru" and i18n.language_from_locale("ru") == "ru"
    assert i18n.language_from_locale("en-GB") == "en"
    assert i18n.language_from_locale("de-DE") is None and i18n.language_from_locale(None) is None


def test_interface_language_and_currency_settings_round_trip_and_are_checked():
    settings = Settings(ui_language="ru", currency="€")
    assert Settings.from_json(settings.to_json()) == settings
    assert Settings().ui_language is None and Settings().currency == ""
    with pytest.raises(InputError, match="ui_language must be one of en, ru"):
        Settings(ui_language="de")
    with pytest.raises(InputError, match="currency must be one of"):
        Settings(currency="EUR")


def test_chart_texts_translate_titles_patterns_and_currency_suffixes():
    assert i18n.translate_chart_text("Revenue by month", "ru") == "Выручка по месяцам"
    assert i18n.translate_chart_text("Revenue by month", "en") == "Revenue by month"
    assert i18n.translate_chart_text("Revenue, ₽", "ru") == "Выручка, ₽"
    assert i18n.translate_chart_text("Segment 90 days earlier", "ru") == "Сегмент 90 дн. назад"
    assert i18n.translate_chart_text("Чемпионы", "ru") == "Чемпионы"              # data values stay as they are


def test_explore_charts_in_russian_have_russian_legends_and_axis_titles():
    """The Explore page's category shares (legend labels made in a calculate) and days-between-orders chart."""
    from core import charts
    contrast = pd.DataFrame({"category": ["Кухня", "Сад"], "share_orders": [0.7, 0.3], "share_revenue": [0.4, 0.6],
                             "orders": [7, 3], "revenue": [400.0, 600.0]})
    shares = charts.localized(charts.category_share_chart(contrast), "ru").to_dict()
    assert "'Доля заказов'" in shares["transform"][1]["calculate"] and "Share of" not in str(shares)
    assert shares["encoding"]["color"]["sort"] == ["Доля заказов", "Доля выручки"]
    gaps = pd.DataFrame({"bin": ["1–7 days", "8–14 days"], "gaps": [5, 2], "share": [5 / 7, 2 / 7]})
    assert charts.localized(charts.gap_chart(gaps), "ru").to_dict()["encoding"]["y"]["title"] == "Повторные заказы"


def test_russian_recommendations_use_russian_texts_months_and_numbers():
    profiles = pd.DataFrame({"segment": ["Champions", "Lost"], "category_1": ["Кухня", pd.NA],
                             "category_2": [pd.NA, pd.NA], "category_3": [pd.NA, pd.NA],
                             "median_recency_days": [12.0, 400.5], "share_customers": [0.1, 0.5],
                             "share_revenue": [0.4, 0.05], "peak_month": pd.array([3, pd.NA], dtype="Int64"),
                             "peak_weekday": ["Friday", ""]})
    english = recommendations(profiles)
    russian = recommendations(profiles, lang="ru").set_index("segment")
    assert english["recommendation"].iloc[0].startswith("Reward, don't discount")
    assert russian.loc["Champions", "send_months"] == "февраль–март"
    assert russian.loc["Champions", "weekday"] == "пятница"
    assert russian.loc["Champions", "recommendation"].startswith("Поощряйте, а не давайте скидки")
    assert "Рассылка окупится: медиана 12 дн. с последнего заказа; 40,0\u00a0% выручки от 10,0\u00a0% клиентов" in (
        russian.loc["Champions", "recommendation"])
    assert russian.loc["Lost", "skip"] and russian.loc["Lost", "send_months"] == "любой месяц"
    assert russian.loc["Lost", "reason"].startswith("не покупают больше 365 дней")
    assert "400,5 дн." in russian.loc["Lost", "reason"] and "«хиты продаж»" in russian.loc["Lost", "recommendation"]


def test_a_message_is_its_english_text_and_localises_with_its_parameters():
    message = i18n.Message("sidebar.data", name="x.csv")
    assert message == "Data: **x.csv**" and isinstance(message, str)
    assert i18n.localize(message, "ru") == "Данные: **x.csv**"
    copy = pickle.loads(pickle.dumps(message))                    # Streamlit's caches pickle results
    assert (copy, copy.key, copy.params) == (message, "sidebar.data", {"name": "x.csv"})
    error = InputError(i18n.Message("common.fix_on_segments", error=i18n.Message("sidebar.no_data")))
    assert str(error) == "No data loaded.. Fix it on the Segments page."
    assert i18n.localize(error, "ru") == "Данные не загружены.. Исправьте это на странице «Сегменты»."
    assert i18n.localize("plain text", "ru") == "plain text" and i18n.localize(InputError("x"), "ru") == "x"


# --- errors and warnings raised by core: English as before, Russian through i18n.localize ---------------------


def raised(call, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_category_rule_errors_localise_row_by_row():
    error = raised(rules_from_frame, pd.DataFrame({"keyword": ["", "vase", "vase"],
                                                   "category": ["Kitchen", "Decor", "Decor"]}))
    assert str(error) == ("Fix the category rules: row 1: keyword is empty; row 3 (same as row 2): duplicate rule "
                          "(same keyword and match mode).")
    assert i18n.localize(error, "ru") == (
        "Исправьте правила категорий: строка 1: пустое ключевое слово; строка 3 (как в строке 2): правило "
        "повторяется (то же ключевое слово и тот же тип совпадения).")
    assert i18n.localize(error, "en") == str(error)
    problems = validate_rules([Rule("", "Kitchen")] * 12)
    assert problems == ["rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more: keyword is empty"]
    assert i18n.localize(problems[0], "ru") == "строки 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 и ещё 2: пустое ключевое слово"
    error = raised(rules_from_csv, bytes(range(256)) * 8)
    assert i18n.localize(error, "ru") == ("Файл правил не читается как текст (двоичное содержимое или неизвестная "
                                          "кодировка); сохраните его как CSV и загрузите снова.")


def test_segment_map_errors_localise_with_display_names():
    rules = [SegmentRule("Other", 1, 5, 1, 5), SegmentRule("", 3, 2, 1, 9), SegmentRule("Champions", 1, 5, 1, 5),
             SegmentRule("Champions", 1, 5, 1, 5)]
    error = raised(segment_map_from_frame, segment_map_to_frame(rules), 5)
    assert str(error) == (
        "segment map: row 1 (Other): the name Other is reserved for customers matching no rule; row 2: segment name "
        "is empty; row 2: R min 3 is greater than R max 2; row 2: F max 9 is outside 1–5; row 4 (Champions): "
        "duplicate name, already used in row 3")
    assert i18n.localize(error, "ru") == (
        "карта сегментов: строка 1 (Прочие): название «Прочие» зарезервировано для клиентов, не подошедших ни под "
        "одно правило; строка 2: не указано название сегмента; строка 2: R min 3 больше, чем R max 2; строка 2: "
        "F max 9 вне диапазона 1–5; строка 4 (Чемпионы): название повторяется, оно уже есть в строке 3")
    problems = map_fit_problems(rules[2:3], (5, 5, 5), pd.Series(["Champions", OTHER, OTHER]))
    assert i18n.localize(problems[-1], "ru") == "2 из 3 клиентов не подходят ни под одно правило и попадают в «Прочие»"


def test_scoring_errors_and_notes_localise():
    error = raised(parse_cut_points, "3, 1", "R")
    assert str(error) == "R cut points: must be numbers in strictly ascending order, got 3, 1"
    assert i18n.localize(error, "ru") == "R, границы: нужны числа в строго возрастающем порядке, а указано 3, 1"
    assert str(raised(ScoreSpec, "cuts", cuts=())) == "cut points: give 1 to 8 values, not 0"
    error = raised(score_spec_from_input, "quantile", 7, "", "F")
    assert (str(error), i18n.localize(error, "ru")) == ("F: quantile scoring needs 3, 4 or 5 bins, not 7",
                                                        "F: для квантилей нужно 3, 4 или 5 групп, а не 7")
    _, result = score(pd.Series([1, 1, 1, 1, 2], name="F"), ScoreSpec())
    assert result.note == ("F: 2 of 5 bins, equal values cannot be split so bins merged (scores used 1: ≤ 1, "
                           "5: 2+)")
    assert i18n.localize(result.note, "ru").startswith("F: 2 из 5 групп — одинаковые значения нельзя разделить")


def test_settings_errors_localise_with_the_field_path():
    error = raised(Settings.from_json, '{"cleaning": {"returns": "keep"}}')
    assert str(error) == "settings: cleaning.returns must be one of drop, net, not 'keep'"
    assert i18n.localize(error, "ru") == "настройки: поле cleaning.returns должно быть одним из: drop, net, а не 'keep'"
    error = raised(Settings.from_json, '{"scoring": {"recency": {"bins": 7}}}')
    assert str(error) == "settings: scoring.recency: quantile scoring needs 3, 4 or 5 bins, not 7"
    assert i18n.localize(error, "ru") == "настройки: scoring.recency: для квантилей нужно 3, 4 или 5 групп, а не 7"
    error = raised(Settings, rules=(Rule("", "Kitchen"),))
    assert (str(error), i18n.localize(error, "ru")) == ("settings: rules: row 1: keyword is empty",
                                                        "настройки: rules: строка 1: пустое ключевое слово")


def test_customer_table_and_cluster_errors_localise():
    columns = ["customer_id", "first_purchase", "last_purchase", "orders", "revenue"]
    error = raised(customer_table.from_frame, pd.DataFrame(columns=columns))
    assert str(error) == "'the customer table' has no customers: the table has a header but no rows"
    assert i18n.localize(error, "ru") == "'таблица клиентов': нет клиентов — у таблицы есть заголовок, но нет строк"
    error = raised(customer_table.from_frame, pd.DataFrame([["a", "2024-01-01", "2024-01-02", "0", "1"]],
                                                           columns=columns), "c.csv")
    assert str(error) == ("orders: 1 row(s) where the value is not a whole number of at least 1, e.g. row 2 ('0'); "
                          "fix the customer table and load it again")
    assert i18n.localize(error, "ru") == (
        "orders: строк, где значение не является целым числом от 1 и больше, — 1, например строка 2 ('0'); "
        "исправьте таблицу клиентов и загрузите её снова")
    customers = pd.DataFrame({"customer_id": list("abc"), "recency_days": [1, 2, 3], "frequency": [1, 2, 3],
                              "monetary": [1.0, 2.0, 3.0]})
    error = raised(clustering.fit_clusters, customers, 1)
    assert (str(error), i18n.localize(error, "ru")) == ("clusters: k must be a whole number of 2 or more, not 1",
                                                        "кластеры: k должно быть целым числом не меньше 2, а не 1")


def test_recommendation_text_errors_localise():
    error = raised(templates_from_frame, pd.DataFrame({"segment": ["Champions", ""], "template": ["Hi {nope}", "x"]}))
    assert str(error).startswith("recommendation texts: row 1: template for 'Champions' uses unknown placeholder "
                                 "{nope}; allowed: {segment}, ")
    assert str(error).endswith("; row 2: the group name is empty")
    russian = i18n.localize(error, "ru")
    assert russian.startswith("тексты рекомендаций: строка 1: в тексте для 'Чемпионы' неизвестная подстановка "
                              "{nope}; допустимые: {segment}, ")
    assert russian.endswith("; строка 2: не указано название группы")


def test_test_warnings_and_errors_localise():
    result = stats.compare_two([1, 2, 3, 4, 5], [2, 3, 4, 5, 6, float("nan")], names=("Champions", "Lost"))
    assert result.warnings == ("Lost: ignored 1 missing or infinite value(s)",
                               "small groups: Champions (5), Lost (5) have fewer than 20 values; the p-value and "
                               "effect size are imprecise")
    assert [i18n.localize(w, "ru") for w in result.warnings] == [
        "Потерянные: не учтены пустые или бесконечные значения (1)",
        "малые группы: Чемпионы (5), Потерянные (5) — меньше 20 значений; p-значение и размер эффекта неточны"]
    table = stats.chi_square(pd.DataFrame({"A": [3, 1], "B": [2, 5]}))
    assert i18n.localize(table.warnings[-1], "ru") == "малые группы: A (4), B (7) — меньше 20 наблюдений"
    error = raised(stats.compare_two, [1], [2, 3])
    assert str(error) == "group 'A' has 1 value(s); each group needs at least 2 to compare"
    assert i18n.localize(error, "ru") == "в группе 'A' значений: 1; для сравнения в каждой группе нужно хотя бы 2"


def test_error_key_families_built_at_run_time_are_complete():
    for kind in ("count", "order"):
        assert f"errors.rfm.cuts_{kind}" in MESSAGES and f"errors.rfm.prefixed_cuts_{kind}" in MESSAGES
    for metric, label in stats.METRICS.items():
        assert t(f"errors.stats.data.{metric}", "en") == label
    for what in (stats.CATEGORY_MIX, "metric"):
        assert f"errors.stats.data.{what}" in MESSAGES
    for what in ("segments", "categories"):
        assert f"errors.stats.need_two_{what}" in MESSAGES


def test_join_keeps_messages_and_nests_shallowly():
    assert i18n.join(["a", "b"]) == "a; b" and not isinstance(i18n.join(["a", "b"]), i18n.Message)
    assert i18n.join([]) == ""
    parts = [i18n.Message("errors.segments.row", row=n) for n in range(1, 1001)]
    joined = i18n.join(parts, ", ")
    assert joined == ", ".join(f"row {n}" for n in range(1, 1001))
    assert i18n.localize(joined, "ru") == ", ".join(f"строка {n}" for n in range(1, 1001))
    assert pickle.loads(pickle.dumps(joined)).text("ru") == i18n.localize(joined, "ru")


CONVERTED = ["categories", "segments", "rfm", "settings", "customer_table", "clustering", "profiles", "stats"]


def test_converted_modules_raise_catalogue_messages_only():
    literal = re.compile(r"""InputError\(\s*f?["']""")
    found = {name: literal.findall((REPO / "core" / f"{name}.py").read_text(encoding="utf-8")) for name in CONVERTED}
    assert not {name: hits for name, hits in found.items() if hits}
    for name in CONVERTED:
        assert "Message(" in (REPO / "core" / f"{name}.py").read_text(encoding="utf-8"), name


def test_no_catalogue_key_is_written_twice():
    """A repeated key in the MESSAGES literal silently replaces the first one (two pages would share a text)."""
    import ast
    tree = ast.parse((REPO / "core" / "i18n.py").read_text(encoding="utf-8"))
    (catalogue,) = [node.value for node in tree.body if isinstance(node, ast.AnnAssign)
                    and getattr(node.target, "id", "") == "MESSAGES"]
    keys = [key.value for key in catalogue.keys]
    assert len(keys) == len(MESSAGES) and len(set(keys)) == len(keys), sorted({k for k in keys if keys.count(k) > 1})


def test_every_screen_has_its_header_texts():
    from ui.state import PAGES
    for _, nav_key, _ in PAGES:
        prefix = nav_key.split(".")[0]
        for part in ("page_title", "title", "caption", "nav" if prefix == "home" else "page_title"):
            assert f"{prefix}.{part}" in MESSAGES, (prefix, part)
