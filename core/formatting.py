"""Numbers and dates formatted for people (thousands separators, currency, locale-specific decimal mark)."""
from __future__ import annotations

import math

import pandas as pd

_SEPARATORS = {"en": (",", "."), "ru": ("\u00a0", ",")}   # (thousands, decimal)


def format_number(value: float | int | None, decimals: int = 0, lang: str = "en") -> str:
    """``1234567.891 -> '1,234,568'`` (en) or ``'1 234 568'`` (ru, non-breaking space); ``None``/NaN -> '–'."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    thousands, decimal = _SEPARATORS.get(lang, _SEPARATORS["en"])
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def format_money(value: float | None, currency: str = "", decimals: int = 0, lang: str = "en") -> str:
    """Amount with an optional currency sign: ``'₽'`` goes after the number, ``'£ $ €'`` before it (en usage)."""
    number = format_number(value, decimals, lang)
    if not currency or number == "–":
        return number
    return f"{number}\u00a0{currency}" if currency == "₽" or lang == "ru" else f"{currency}{number}"


def format_period(first: pd.Timestamp | None, last: pd.Timestamp | None) -> str:
    """``'2018-10-01 – 2020-01-31'`` (dates only); '–' when unknown."""
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return "–"
    return f"{first:%Y-%m-%d} – {last:%Y-%m-%d}"
