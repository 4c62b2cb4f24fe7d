"""All user choices of one analysis in one frozen dataclass tree that round-trips through JSON.

The app edits a copy (``dataclasses.replace``) and hands it back; the CLI reads the same JSON with ``--settings``.
Unknown, missing (required) or mistyped fields, at any depth, raise :class:`InputError` naming the field path
(``settings: cleaning.returns must be ...``, ``settings: segment_map[0]: missing r_max``). Fields a file leaves out
take their defaults, so files written before a field existed still load.
"""
from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from dataclasses import dataclass, field
from datetime import date

from core.categories import LANGUAGES, Rule, validate_rules
from core.errors import InputError
from core.formatting import CURRENCY_CHOICES
from core.i18n import LANGUAGES as UI_LANGUAGES, Message, join
from core.io import FIELDS
from core.profiles import MAIL, SKIP, SKIP_AFTER_DAYS
from core.rfm import ScoringSettings
from core.segments import SegmentRule, validate_segment_map

RETURN_POLICIES = ("drop", "net")
SEED_MAX = 2**31 - 1                      # the largest cluster seed (the Clusters page's seed input allows the same)
MAX_SKIP_AFTER_DAYS = 3650                # the skip rule's longest lapse, in days (ten years)
MAX_DISCOUNT_PERCENT = 10.0               # monthly discount rates the Forecast page offers: 0 to 10 %
MIN_MARGIN_PERCENT = 1                    # margins the Forecast page offers: 1 to 100 % of revenue


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


def _require_between(field_name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise InputError(Message("errors.settings.range", field=field_name, low=low, high=high, value=value))


def _require_one_of(field_name: str, value: object, choices) -> None:
    if value not in choices:
        raise InputError(Message("errors.settings.one_of", field=field_name, value=value,
                                 choices=", ".join(map(str, choices))))


@dataclass(frozen=True)
class ClusterChoices:
    """The Clusters page's choices (``core.clustering``), in the settings once clusters are part of the analysis:
    the exports then carry each customer's cluster (``python -m core export`` computes them the same way).

    k: number of clusters, one of ``core.clustering.K_RANGE`` (2..8), or 0 (the default) for the k with the best
        silhouette (``clustering.best_k`` of ``clustering.suggest_k``).
    seed: seed of the k-means starts, 0..:data:`SEED_MAX`; the same data and seed give the same clusters.
    category_shares: also cluster on each customer's spend share per category (``clustering.share_features``).
    """

    k: int = 0
    seed: int = 0
    category_shares: bool = False

    def __post_init__(self) -> None:
        from core.clustering import K_RANGE          # core.clustering imports this module
        _require_one_of("clusters.k", self.k, (0, *K_RANGE))
        _require_between("clusters.seed", self.seed, 0, SEED_MAX)


@dataclass(frozen=True)
class ForecastChoices:
    """The Forecast page's choices (``core.clv``), in the settings once the CLV forecast is part of the analysis:
    the exports then carry each customer's P(alive), expected orders, expected order value and CLV.

    horizon_days: how far ahead the forecast looks, in days: one of ``core.clv.HORIZON_DAYS`` (90, 180, 365).
    time_unit: the unit the models count time in, ``"W"`` (weeks, the default) or ``"D"`` (days).
    monthly_discount_percent: discount rate per month in percent, 0..:data:`MAX_DISCOUNT_PERCENT` (0: none).
    margin_percent: the share of revenue that is profit, in percent, 1..100 (100: CLV in revenue).
    """

    horizon_days: int = 365
    time_unit: str = "W"
    monthly_discount_percent: float = 0.0
    margin_percent: int = 100

    def __post_init__(self) -> None:
        from core.clv import HORIZON_DAYS, TIME_UNITS    # imported when used: the models load scipy
        _require_one_of("forecast.horizon_days", self.horizon_days, HORIZON_DAYS)
        _require_one_of("forecast.time_unit", self.time_unit, TIME_UNITS)
        _require_between("forecast.monthly_discount_percent", self.monthly_discount_percent, 0,
                         MAX_DISCOUNT_PERCENT)
        _require_between("forecast.margin_percent", self.margin_percent, MIN_MARGIN_PERCENT, 100)


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
    clusters: the Clusters page's choices (None: no clusters in the exports), see :class:`ClusterChoices`.
    forecast: the Forecast page's choices (None: no CLV forecast in the exports), see :class:`ForecastChoices`.
    mailing_lists: segment names (as inside, e.g. ``Champions``) that get a mailing-list sheet in the workbook;
    names without customers in the data get none.
    skip_after_days: the recommendations' skip rule flags groups whose median customer has not ordered for more
    days than this (1..3650) and that bring below-average revenue per customer (``core.profiles``).
    skip_overrides: the user's own "skip" or "mail" per group name, over the rule.
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
    clusters: ClusterChoices | None = None
    forecast: ForecastChoices | None = None
    mailing_lists: tuple[str, ...] = ()
    skip_after_days: int = SKIP_AFTER_DAYS
    skip_overrides: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _require_between("skip_after_days", self.skip_after_days, 1, MAX_SKIP_AFTER_DAYS)
        for name, choice in self.skip_overrides.items():
            _require_one_of(f"skip_overrides.{name}", choice, (SKIP, MAIL))
        if unknown := sorted(set(self.mapping) - set(FIELDS)):
            raise InputError(Message("errors.settings.unknown_field", field=f"mapping.{unknown[0]}"))
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

    def results_key(self) -> str:
        """JSON of the settings the analysis' figures depend on: every field but the recommendation texts, the
        interface language, the currency sign, the skip choices and the choices of what to export (clusters,
        forecast, mailing lists), so results computed under settings with the same key still hold."""
        return dataclasses.replace(self, templates={}, ui_language=None, currency="", clusters=None, forecast=None,
                                   mailing_lists=(), skip_after_days=SKIP_AFTER_DAYS, skip_overrides={}).to_json()

    @classmethod
    def from_json(cls, text: str | bytes) -> "Settings":
        """Parse JSON written by :meth:`to_json` (missing optional fields take defaults; unknown fields, missing
        required ones and wrong types are an error naming the field path)."""
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(Message("errors.settings.not_json", error=str(exc))) from None
        return from_dict(cls, data)


def from_dict(cls: type, data: object, path: str = "") -> typing.Any:
    """Build dataclass ``cls`` from plain JSON data, checking every field's type and that the fields without a
    default are there; errors name the field path (``segment_map[0]: missing r_max, f_min``)."""
    label = path or "settings"
    if not isinstance(data, dict):
        raise InputError(Message("errors.settings.object", path=label))
    hints = typing.get_type_hints(cls)
    fields = dataclasses.fields(cls)
    unknown = sorted(set(data) - {f.name for f in fields})
    if unknown:
        where = f"{path}." if path else ""
        raise InputError(Message("errors.settings.unknown_field", field=f"{where}{unknown[0]}"))
    missing = [f.name for f in fields if f.name not in data
               and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    if missing:
        raise InputError(Message("errors.settings.missing_field", path=label, fields=", ".join(missing)))
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
    if hint is float:                     # NaN and Infinity, which Python's JSON reader accepts, are no numbers
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise InputError(Message("errors.settings.number", path=path))
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise InputError(Message("errors.settings.text", path=path))
        return value
    raise TypeError(f"unsupported settings type {hint!r} at {path}")  # a programming error, not user input
