"""Settings round-trip through JSON; invalid settings name the offending field."""
import dataclasses
import json

import pytest

from core.categories import Rule
from core.errors import InputError
from core.i18n import localize
from core.segments import SegmentRule
from core.settings import CleaningPolicy, ClusterChoices, ForecastChoices, Settings

PUBLISHED_POLICY = {"cleaning": {"dedupe_order_lines": True, "drop_shared_orders": True, "quantity_limit": 1000}}


def test_settings_round_trip_through_json_unchanged():
    settings = Settings(mapping={"price": "Цена", "country": ""}, sheet="Заказы",
                        cleaning=CleaningPolicy(returns="net", dedupe_order_lines=True, quantity_limit=500.0))
    text = settings.to_json()
    assert Settings.from_json(text) == settings
    assert json.loads(text)["cleaning"]["returns"] == "net"
    assert "Цена" in text                        # written as readable UTF-8, not \\u escapes


def test_missing_fields_take_defaults():
    settings = Settings.from_json(json.dumps(PUBLISHED_POLICY))
    assert settings.cleaning == CleaningPolicy(dedupe_order_lines=True, drop_shared_orders=True, quantity_limit=1000)
    assert settings.mapping == {} and settings.sheet is None
    assert settings.clusters is None and settings.forecast is None and settings.mailing_lists == ()   # older files


def test_analysis_choices_round_trip_and_take_defaults_field_by_field():
    settings = Settings(clusters=ClusterChoices(k=4, seed=7, category_shares=True),
                        forecast=ForecastChoices(horizon_days=90, time_unit="D", monthly_discount_percent=1.5,
                                                 margin_percent=40),
                        mailing_lists=("Champions", "Лояльные"),
                        rules=(Rule("ваза", "Декор"),), segment_map=(SegmentRule("All", 1, 5, 1, 5),))
    text = settings.to_json()
    assert Settings.from_json(text) == settings
    data = json.loads(text)
    assert data["clusters"] == {"k": 4, "seed": 7, "category_shares": True}
    assert data["forecast"] == {"horizon_days": 90, "time_unit": "D", "monthly_discount_percent": 1.5,
                                "margin_percent": 40}
    assert data["mailing_lists"] == ["Champions", "Лояльные"]
    partial = Settings.from_json('{"clusters": {"k": 3}, "forecast": {"margin_percent": 60}}')
    assert partial.clusters == ClusterChoices(k=3, seed=0, category_shares=False)
    assert partial.forecast == ForecastChoices(horizon_days=365, time_unit="W", monthly_discount_percent=0.0,
                                               margin_percent=60)
    assert Settings.from_json('{"forecast": {"monthly_discount_percent": 2}}').forecast.monthly_discount_percent == 2.0


@pytest.mark.parametrize("data, message", [
    ({"cleaning": {"returns": "keep"}}, "cleaning.returns must be one of drop, net"),
    ({"cleaning": {"quantity_limit": "lots"}}, "cleaning.quantity_limit must be a number"),
    ({"cleaning": {"quantity_limit": -5}}, "cleaning.quantity_limit must be a positive number"),
    ({"cleaning": {"drop_exact_duplicates": "yes"}}, "cleaning.drop_exact_duplicates must be true or false"),
    ({"cleaning": {"colour": "red"}}, "unknown field cleaning.colour"),
    ({"mapping": {"price": 3}}, "mapping must be an object of text values"),
    ({"mapping": []}, "mapping must be an object of text values"),
    ({"sheets": "x"}, "unknown field sheets"),
    ([1, 2], "settings must be an object"),
])
def test_invalid_settings_name_the_field(data, message):
    with pytest.raises(InputError, match=message.replace(".", r"\.")):
        Settings.from_json(json.dumps(data))


MALFORMED = [   # (settings file text, the whole error message)
    ('{"segment_map": [{"name": "A", "r_min": 1}]}', "settings: segment_map[0]: missing r_max, f_min, f_max"),
    ('{"rules": [{"category": "x"}]}', "settings: rules[0]: missing keyword"),
    ('{"rules": "ваза"}', "settings: rules must be a list"),
    ('{"segment_map": [{"name": "A", "r_min": 1, "r_max": 2, "f_min": 1, "f_max": 2, "m": 3}]}',
     "settings: unknown field segment_map[0].m"),
    ('{"scoring": {"recency": {"method": "cuts", "cuts": [NaN]}}}',
     "settings: scoring.recency.cuts[0] must be a number"),
    ('{"cleaning": {"quantity_limit": Infinity}}', "settings: cleaning.quantity_limit must be a number"),
    ('{"mapping": {"colour": "Colour"}}', "settings: unknown field mapping.colour"),
    ('{"clusters": 4}', "settings: clusters must be an object"),
    ('{"clusters": {"k": 12}}', "settings: clusters.k must be one of 0, 2, 3, 4, 5, 6, 7, 8, not 12"),
    ('{"clusters": {"seed": -1}}', "settings: clusters.seed must be between 0 and 2147483647, not -1"),
    ('{"clusters": {"k": "3"}}', "settings: clusters.k must be a whole number"),
    ('{"clusters": {"size": 3}}', "settings: unknown field clusters.size"),
    ('{"forecast": {"horizon_days": 100}}', "settings: forecast.horizon_days must be one of 90, 180, 365, not 100"),
    ('{"forecast": {"time_unit": "M"}}', "settings: forecast.time_unit must be one of W, D, not 'M'"),
    ('{"forecast": {"monthly_discount_percent": "1%"}}',
     "settings: forecast.monthly_discount_percent must be a number"),
    ('{"forecast": {"margin_percent": 0}}', "settings: forecast.margin_percent must be between 1 and 100, not 0"),
    ('{"mailing_lists": "Champions"}', "settings: mailing_lists must be a list"),
    ('{"mailing_lists": [["Champions"]]}', "settings: mailing_lists[0] must be text"),
]


@pytest.mark.parametrize("text, message", MALFORMED)
def test_malformed_settings_files_are_input_errors_naming_the_field_path(text, message):
    with pytest.raises(InputError) as caught:
        Settings.from_json(text)
    assert str(caught.value) == message


def test_a_missing_field_is_named_in_russian_too():
    with pytest.raises(InputError) as caught:
        Settings.from_json(MALFORMED[0][0])
    assert localize(caught.value.args[0], "ru") == "настройки: segment_map[0]: не хватает полей: r_max, f_min, f_max"


def test_results_key_ignores_texts_language_currency_and_export_choices():
    base = Settings(cleaning=CleaningPolicy(returns="net"))
    dressed = dataclasses.replace(base, templates={"Lost": "Bye"}, ui_language="ru", currency="€",
                                  clusters=ClusterChoices(k=3), forecast=ForecastChoices(), mailing_lists=("Lost",))
    assert dressed.results_key() == base.results_key()
    assert base.results_key() != Settings().results_key()
    assert dataclasses.replace(base, analysis_date="2020-01-01").results_key() != base.results_key()


def test_broken_json_is_a_clear_error():
    with pytest.raises(InputError, match="not valid JSON"):
        Settings.from_json("{mapping: ")


def test_skip_choices_round_trip_are_checked_and_do_not_change_the_figures():
    settings = Settings(skip_after_days=180, skip_overrides={"Lost": "mail", "Кухня": "skip"})
    assert Settings.from_json(settings.to_json()) == settings
    assert settings.results_key() == Settings().results_key()               # the figures do not depend on them
    with pytest.raises(InputError, match="skip_overrides.Lost"):
        Settings.from_json('{"skip_overrides": {"Lost": "maybe"}}')
    with pytest.raises(InputError, match="skip_after_days"):
        Settings(skip_after_days=0)
