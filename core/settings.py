"""All user choices of one analysis in one frozen dataclass tree that round-trips through JSON.

The app edits a copy (``dataclasses.replace``) and hands it back; the CLI reads the same JSON with ``--settings``.
Unknown or mistyped fields raise :class:`InputError` naming the field (``settings: cleaning.returns must be ...``).
"""
from __future__ import annotations

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field
from datetime import date

from core.categories import LANGUAGES, Rule, validate_rules
from core.errors import InputError
from core.formatting import CURRENCY_CHOICES
from core.i18n import LANGUAGES as UI_LANGUAGES, Message, join
from core.rfm import ScoringSettings
from core.segments import SegmentRule, validate_segment_map

RETURN_POLICIES = ("drop", "net")


@dataclass(frozen=True)
class CleaningPolicy:
    """How order lines are cleaned; every dropped line is counted under a reason (see ``core.clean``).

    returns: ``drop`` removes returns/cancellations (negative quantity or an order id like ``C12345``);
        ``net`` keeps them so they reduce the customer's spend (they never count as orders).
    drop_exact_duplicates: drop lines identical in every mapped column, keeping one.
    dedupe_order_lines: keep only the last line per (customer, order, product) — "last" is the latest timestamp;
        purchase and return lines are deduplicated separately (a return never replaces its purchase).
    drop_shared_orders: drop every line of an order id that belongs to more than one customer.
    quantity_limit: drop lines with quantity >= this value (``None``: no limit).
    fill_from_order: a line with an empty customer or date takes it from the other lines of its order
        (Shopify exports fill these only on an order's first line).
    """

    returns: str = "drop"
    drop_exact_duplicates: bool = True
    dedupe_order_lines: bool = False
    drop_shared_orders: bool = False
    quantity_limit: float | None = None
    fill_from_order: bool = True

    def __post_init__(self) -> None:
        if self.returns not in RETURN_POLICIES:
            raise InputError(Message("errors.settings.one_of", field="cleaning.returns",
                                     choices=", ".join(RETURN_POLICIES), value=self.returns))
        if self.quantity_limit is not None and not self.quantity_limit > 0:
            raise InputError(Message("errors.settings.quantity_limit"))


@dataclass(frozen=True)
class Settings:
    """One analysis.

    mapping: field -> source column overrides on top of the automatic mapping ("" unmaps an optional field).
    sheet: the sheet of an xlsx file (None: the first). cleaning: see :class:`CleaningPolicy`.
    language: "ru" or "en" for the default category rules and texts (None: from the product names).
    rules: category keyword rules in priority order (None: the default set for the language).
    scoring: how R, F and M are scored. segment_map: segment rules in priority order (None: the classic map
    for the number of R/F bins). analysis_date: ISO date, recency is counted to it (None: the day after the
    last purchase). templates: recommendation text per segment name, overriding the defaults (one text per
    segment, used whatever the interface language; the defaults come in both languages).
    ui_language: "en" or "ru" for the interface (None: the browser's language when it is Russian, else English).
    It is separate from ``language`` because that one picks the category rules for the product names: a Russian
    analyst may read an English shop's data (and the reverse), and switching the interface must not re-categorise
    the products. currency: the sign shown with money ("₽", "£", "$", "€", "none"; "": automatic, ₽ for Russian
    product names and no sign otherwise, see ``core.formatting.currency_for``).
    """

    mapping: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    cleaning: CleaningPolicy = field(default_factory=CleaningPolicy)
    language: str | None = None
    rules: tuple[Rule, ...] | None = None
    scoring: ScoringSettings = field(default_factory=ScoringSettings)
    segment_map: tuple[SegmentRule, ...] | None = None
    analysis_date: str | None = None
    templates: dict[str, str] = field(default_factory=dict)
    ui_language: str | None = None
    currency: str = ""

    def __post_init__(self) -> None:
        if self.ui_language is not None and self.ui_language not in UI_LANGUAGES:
            raise InputError(Message("errors.settings.one_of_or_null", field="ui_language",
                                     choices=", ".join(UI_LANGUAGES), value=self.ui_language))
        if self.currency not in CURRENCY_CHOICES:
            raise InputError(Message("errors.settings.currency", choices=", ".join(c for c in CURRENCY_CHOICES if c),
                                     value=self.currency))
        if self.language is not None and self.language not in LANGUAGES:
            raise InputError(Message("errors.settings.one_of_or_null", field="language", choices=", ".join(LANGUAGES),
                                     value=self.language))
        if self.rules is not None and (problems := validate_rules(self.rules)):
            raise InputError(Message("errors.settings.at_path", path="rules", error=join(problems)))
        if self.segment_map is not None and (problems := validate_segment_map(self.segment_map)):
            raise InputError(Message("errors.settings.at_path", path="segment_map", error=join(problems)))
        if self.analysis_date is not None:
            try:
                date.fromisoformat(self.analysis_date)
            except ValueError:
                raise InputError(Message("errors.settings.analysis_date", value=self.analysis_date)) from None

    def to_json(self) -> str:
        """Pretty JSON with every field, so a saved file documents all choices."""
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> "Settings":
        """Parse JSON written by :meth:`to_json` (missing fields take defaults; unknown ones are an error)."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(Message("errors.settings.not_json", error=str(exc))) from None
        return from_dict(cls, data)


def from_dict(cls: type, data: object, path: str = "") -> typing.Any:
    """Build dataclass ``cls`` from plain JSON data, checking every field's type; errors name the field path."""
    label = path or "settings"
    if not isinstance(data, dict):
        raise InputError(Message("errors.settings.object", path=label))
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        where = f"{path}." if path else ""
        raise InputError(Message("errors.settings.unknown_field", field=f"{where}{unknown[0]}"))
    values = {name: _convert(hints[name], value, f"{path}.{name}" if path else name)
              for name, value in data.items()}
    try:
        return cls(**values)
    except InputError as exc:
        if str(exc).startswith("settings:") or not path:
            raise
        raise InputError(Message("errors.settings.at_path", path=path, error=exc.args[0])) from None


def _convert(hint: typing.Any, value: object, path: str) -> typing.Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(inner, value, path)
    if dataclasses.is_dataclass(hint):
        return from_dict(hint, value, path)
    if origin is dict:
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise InputError(Message("errors.settings.text_object", path=path))
        return dict(value)
    if origin is tuple:
        if not isinstance(value, list):
            raise InputError(Message("errors.settings.list", path=path))
        item_hint = args[0]
        return tuple(_convert(item_hint, item, f"{path}[{i}]") for i, item in enumerate(value))
    if hint is bool:
        if not isinstance(value, bool):
            raise InputError(Message("errors.settings.bool", path=path))
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(Message("errors.settings.int", path=path))
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(Message("errors.settings.number", path=path))
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise InputError(Message("errors.settings.text", path=path))
        return value
    raise TypeError(f"unsupported settings type {hint!r} at {path}")  # a programming error, not user input
