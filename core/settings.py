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

from core.errors import InputError

RETURN_POLICIES = ("drop", "net")


@dataclass(frozen=True)
class CleaningPolicy:
    """How order lines are cleaned; every dropped line is counted under a reason (see ``core.clean``).

    returns: ``drop`` removes returns/cancellations (negative quantity or an order id like ``C12345``);
        ``net`` keeps them so they reduce the customer's spend (they never count as orders).
    drop_exact_duplicates: drop lines identical in every mapped column, keeping one.
    dedupe_order_lines: keep only the last line per (customer, order, product) — "last" is the latest timestamp.
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
            raise InputError(f"settings: cleaning.returns must be one of {', '.join(RETURN_POLICIES)}, "
                             f"not {self.returns!r}")
        if self.quantity_limit is not None and not self.quantity_limit > 0:
            raise InputError("settings: cleaning.quantity_limit must be a positive number or null")


@dataclass(frozen=True)
class Settings:
    """One analysis: column mapping (field -> source column), the sheet of an xlsx file, and the cleaning policy."""

    mapping: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    cleaning: CleaningPolicy = field(default_factory=CleaningPolicy)

    def to_json(self) -> str:
        """Pretty JSON with every field, so a saved file documents all choices."""
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> "Settings":
        """Parse JSON written by :meth:`to_json` (missing fields take defaults; unknown ones are an error)."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"settings: not valid JSON ({exc})") from None
        return from_dict(cls, data)


def from_dict(cls: type, data: object, path: str = "") -> typing.Any:
    """Build dataclass ``cls`` from plain JSON data, checking every field's type; errors name the field path."""
    label = path or "settings"
    if not isinstance(data, dict):
        raise InputError(f"settings: {label} must be an object")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - names)
    if unknown:
        where = f"{path}." if path else ""
        raise InputError(f"settings: unknown field {where}{unknown[0]}")
    values = {name: _convert(hints[name], value, f"{path}.{name}" if path else name)
              for name, value in data.items()}
    return cls(**values)


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
            raise InputError(f"settings: {path} must be an object of text values")
        return dict(value)
    if origin is tuple:
        if not isinstance(value, list):
            raise InputError(f"settings: {path} must be a list")
        item_hint = args[0]
        return tuple(_convert(item_hint, item, f"{path}[{i}]") for i, item in enumerate(value))
    if hint is bool:
        if not isinstance(value, bool):
            raise InputError(f"settings: {path} must be true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(f"settings: {path} must be a whole number")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InputError(f"settings: {path} must be a number")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise InputError(f"settings: {path} must be text")
        return value
    raise TypeError(f"unsupported settings type {hint!r} at {path}")  # a programming error, not user input
