"""Every translated page in Russian: it runs, its title and labels are Russian, its numbers and charts use the
Russian locale; and the default interface stays English unless the browser asks for Russian."""
import json

import pytest

from core.i18n import MESSAGES, MONTHS
from tests.apptest_helpers import errors, fresh_app, page_path
from ui.state import ui_language

RUSSIAN_TITLES = {
    "1_Categories.py": "Категории товаров", "2_Segments.py": "RFM-сегменты", "3_Profiles.py": "Профили клиентов",
    "4_Explore.py": "Обзор заказов", "5_Plan.py": "План рассылок", "6_Tests.py": "Различия настоящие?",
    "7_Clusters.py": "Кластеры клиентов", "8_Forecast.py": "Прогноз: кто купит снова и сколько стоит клиент",
    "9_Export.py": "Выгрузка",
}


def russian(page: str | None = None):
    at = fresh_app().run()
    at.radio(key="ui_language_choice").set_value("ru").run()
    if page:
        at.switch_page(page_path(page)).run()
    assert not at.exception, at.exception
    assert not errors(at), errors(at)
    return at


def chart_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def texts(spec) -> list[str]:
    """Every title anywhere in a Vega-Lite spec."""
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "title" and isinstance(value, str):
                found.append(value)
            else:
                found += texts(value)
    elif isinstance(spec, list):
        for value in spec:
            found += texts(value)
    return found


@pytest.mark.parametrize("page", sorted(RUSSIAN_TITLES))
def test_every_translated_page_runs_in_russian(page):
    at = russian(page)
    assert at.title[0].value == RUSSIAN_TITLES[page]
    assert at.sidebar.radio(key="ui_language_choice").value == "ru"
    english = {entry["en"] for key, entry in MESSAGES.items() if key.endswith((".title", ".caption"))
               and isinstance(entry["en"], str)} - {entry["ru"] for entry in MESSAGES.values()}
    assert not [c.value for c in at.caption if c.value in english]          # no English captions left
    for spec in chart_specs(at):
        assert spec["config"]["locale"]["number"]["decimal"] == ","
        assert spec["config"]["locale"]["time"]["months"][0] == "январь"


def test_russian_charts_have_russian_titles_and_the_english_ones_stay():
    at = russian()
    (spec,) = chart_specs(at)                                                 # revenue by month on the home page
    assert "Выручка по месяцам" in texts(spec) and "Revenue by month" not in texts(spec)
    assert "Выручка, ₽" in texts(spec)
    at.radio(key="ui_language_choice").set_value("en").run()
    (spec,) = chart_specs(at)
    assert "Revenue by month" in texts(spec) and "locale" not in spec.get("config", {})


def test_explore_in_russian_has_russian_findings_and_weekdays():
    at = russian("4_Explore.py")
    text = " ".join(m.value for m in at.markdown)
    assert "Самый активный день недели" in text and "Пик сезона" in text
    assert [t.label for t in at.tabs] == ["Время заказов", "Категории", "Когорты и повторные заказы"]
    weekdays = next(spec for spec in chart_specs(at) if "По дням недели".lower() in " ".join(texts(spec)).lower())
    assert weekdays


def test_plan_in_russian_names_groups_months_and_weekdays():
    at = russian("5_Plan.py")
    plan = next(d.value for d in at.dataframe if "audience" in d.value.columns)
    assert plan["group"].iloc[0] == "Чемпионы"
    months = {m for pair in plan["send_months"] for m in pair.split("–")}
    assert months <= set(MONTHS["ru"])
    assert "отправлять в период" in " ".join(m.value for m in at.markdown)


def test_the_default_interface_language_comes_from_the_browser_locale(monkeypatch):
    import streamlit as st
    from core.settings import Settings
    from ui import state
    monkeypatch.setattr(state, "settings", lambda: Settings())
    monkeypatch.setattr(type(st.context), "locale", property(lambda self: "ru-RU"))
    assert ui_language() == "ru"
    monkeypatch.setattr(type(st.context), "locale", property(lambda self: "en-US"))
    assert ui_language() == "en"
    monkeypatch.setattr(type(st.context), "locale", property(lambda self: None))
    assert ui_language() == "en"
    monkeypatch.setattr(state, "settings", lambda: Settings(ui_language="ru"))
    assert ui_language() == "ru"                                              # the user's choice wins


def test_tests_page_in_russian_gives_russian_questions_and_verdicts():
    at = russian("6_Tests.py")
    next(b for b in at.button if b.label == "Запустить проверку").click().run()
    assert not at.exception and not errors(at)
    (result,) = at.session_state["test_results"]
    assert result.question.startswith("Различается ли «сумма заказа» у групп")
    assert result.verdict.startswith(("значимой разницы нет", "значения «сумма заказа» у"))
    assert any(m.label == "p-значение" for m in at.metric)
    table = next(d.value for d in at.dataframe if "Вопрос" in d.value.columns)
    assert table["Вывод"].iloc[0] == result.verdict
    next(b for b in at.button if b.label == "Запустить исследовательские вопросы магазина").click().run()
    assert not at.exception and not errors(at)
    questions = [r.question for r in at.session_state["test_results"][1:]]
    assert [q[:2] for q in questions] == ["Q1", "Q2", "Q3", "Q4"] and questions[2].startswith("Q3. Различается ли")


def test_forecast_in_russian_has_russian_figures_sentences_and_tables():
    at = russian("8_Forecast.py")
    labels = [m.label for m in at.metric]
    assert labels == ["Клиенты", "Повторные покупатели", "P(активен) повторных", "Ожидаемые заказы, 365 дн.",
                      "CLV, 365 дн."]
    assert at.metric[4].value.endswith("\u00a0₽") and "\u00a0" in at.metric[0].value       # 1 986 клиентов
    sentence = next(m.value for m in at.markdown if m.value.startswith("Построенная по покупкам до"))
    assert "нед. по" in sentence and "на деле их было" in sentence
    top = next(d.value for d in at.dataframe if d.value.columns[0] == "customer_id" and "p_alive_basis" in d.value)
    assert set(top["p_alive_basis"]) <= {"оценка модели", "1 по допущению (повторных покупок ещё нет)"}
    notes = at.session_state["clv_table"]["p_alive_note"].dropna()
    assert len(notes) and notes.str.startswith("Повторной покупки ещё не было").all()
    titles = [title for spec in chart_specs(at) for title in texts(spec)]
    assert any(title.startswith("Пожизненная ценность клиентов (CLV) за следующие 365 дн.") for title in titles)
    assert any(title.startswith("Повторные покупки за") for title in titles)


def test_export_in_russian_offers_russian_segment_names_for_mailing_lists():
    at = russian("9_Export.py")
    mailing = at.multiselect(key="export_mailing")
    assert mailing.label.startswith("Списки рассылки") and "Чемпионы" in mailing.options
    assert [b.label for b in at.button][:1] == ["Собрать книгу Excel"]


def test_segments_page_in_russian_names_the_metric_in_russian_in_cut_point_errors():
    at = russian("2_Segments.py")
    at.radio(key="score_F_method").set_value("cuts").run()
    at.text_input(key="score_F_cuts").input("2, 1").run()
    (error,) = [e.value for e in at.error]
    assert error.startswith("Частота, границы: нужны числа в строго возрастающем порядке, а указано 2, 1")
    assert "Frequency" not in error
