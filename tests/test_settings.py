"""Settings round-trip through JSON; invalid settings name the offending field."""
import json

import pytest

from core.errors import InputError
from core.settings import CleaningPolicy, Settings

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


def test_broken_json_is_a_clear_error():
    with pytest.raises(InputError, match="not valid JSON"):
        Settings.from_json("{mapping: ")
