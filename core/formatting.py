"""Numbers, money and dates formatted for people (thousands separators, currency, locale-specific decimal mark).

``lang`` is the interface language: ``en`` gives ``1,234,567.89`` and ISO dates, ``ru`` gives ``1 234 567,89``
(non-breaking spaces) and ``31.01.2020``. Currency is a setting (``Settings.currency``): ``""`` picks it from the
data's language (:func:`currency_for`: Russian product names -> ₽, otherwise no sign, because an English-language
shop may sell in pounds, dollars or euros and the data does not say which), ``"none"`` shows no sign.
"""
from __future__ import annotations

import math

import pandas as pd

_SEPARATORS = {"en": (",", "."), "ru": ("\u00a0", ",")}   # (thousands, decimal)
CURRENCIES = ("₽", "£", "$", "€")
NO_CURRENCY = "none"
CURRENCY_CHOICES = ("", *CURRENCIES, NO_CURRENCY)         # "" = automatic


def format_number(value: float | int | None, decimals: int = 0, lang: str = "en") -> str:
    """``1234567.891 -> '1,234,568'`` (en) or ``'1 234 568'`` (ru, non-breaking space); ``None``/NaN -> '–'."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)) or pd.isna(value):
        return "–"
    thousands, decimal = _SEPARATORS.get(lang, _SEPARATORS["en"])
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def format_money(value: float | None, currency: str = "", decimals: int = 0, lang: str = "en") -> str:
    """Amount with an optional currency sign: ``'₽'`` goes after the number, ``'£ $ €'`` before it (en usage);
    in Russian every sign goes after the number."""
    number = format_number(value, decimals, lang)
    if not currency or currency == NO_CURRENCY or number == "–":
        return number
    return f"{number}\u00a0{currency}" if currency == "₽" or lang == "ru" else f"{currency}{number}"


def format_percent(value: float | None, decimals: int = 0, lang: str = "en") -> str:
    """``0.125 -> '12.5%'`` (en, 1 decimal) or ``'12,5 %'`` (ru, non-breaking space); ``None``/NaN -> '–'."""
    if value is None or pd.isna(value):
        return "–"
    if lang == "ru":
        return f"{format_number(value * 100, decimals, lang)}\u00a0%"
    return f"{value:.{decimals}%}"


def currency_for(setting: str, data_language: str | None) -> str:
    """The currency sign in force: the setting, else ₽ for Russian data and none otherwise ('' = no sign)."""
    if setting == NO_CURRENCY:
        return ""
    if setting:
        return setting
    return "₽" if data_language == "ru" else ""


def format_date(value, lang: str = "en") -> str:
    """A date as ``2020-01-31`` (en, ISO) or ``31.01.2020`` (ru); '–' when unknown."""
    if value is None or pd.isna(value):
        return "–"
    return f"{pd.Timestamp(value):%d.%m.%Y}" if lang == "ru" else f"{pd.Timestamp(value):%Y-%m-%d}"


def format_month(value, lang: str = "en") -> str:
    """A month as ``January 2020`` (en) or ``январь 2020`` (ru)."""
    from core.i18n import month_name
    if value is None or pd.isna(value):
        return "–"
    stamp = pd.Timestamp(value)
    return f"{month_name(stamp.month, lang)} {stamp.year}"


def format_period(first: pd.Timestamp | None, last: pd.Timestamp | None, lang: str = "en") -> str:
    """``'2018-10-01 – 2020-01-31'`` (dates only; ru ``'01.10.2018 – 31.01.2020'``); '–' when unknown."""
    if first is None or last is None or pd.isna(first) or pd.isna(last):
        return "–"
    return f"{format_date(first, lang)} – {format_date(last, lang)}"


DATE_INPUT_FORMATS = {"en": "YYYY-MM-DD", "ru": "DD.MM.YYYY"}


def date_input_format(lang: str) -> str:
    """The ``format`` of ``st.date_input`` for ``lang``."""
    return DATE_INPUT_FORMATS.get(lang, DATE_INPUT_FORMATS["en"])


def currency_after(currency: str, lang: str = "en") -> bool:
    """Whether the sign goes after the amount: ₽ always, every sign in Russian; ``£ $ €`` before it in English
    (the placement :func:`format_money` uses; the Excel number formats of ``core.export`` follow it too)."""
    return currency == "₽" or lang == "ru"
