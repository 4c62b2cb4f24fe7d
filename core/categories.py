"""Keyword categorisation of product names and category summaries.

A rule maps a keyword to a category with a match mode. Rules apply in table order and the first matching
(enabled) rule wins; names no rule matches get ``OTHER``. Names and keywords are normalised alike: Unicode NFKC,
lower case, ``ё`` read as ``е``, so ``Ёлка``, ``ЕЛКА`` and ``елка`` are equal.

Modes (words are separated by spaces, punctuation and symbols; letters of any script, digits and ``_`` form words):

* ``contains``: the keyword occurs anywhere (``ель`` matches "для б-ель-я"); spaces in it count;
* ``whole word``: the keyword is bounded by non-word characters or the ends of the name on both sides;
* ``starts with``: some word of the name starts with the keyword (``роз`` matches "розы" and "розовый");
* ``regex``: an RE2 regular expression, case-insensitive, on the normalised name. RE2 (pyarrow.compute) runs in
  time linear in the text, so patterns such as ``(a+)+$`` cannot backtrack catastrophically; lookarounds and
  backreferences are not supported and are reported by validation.

Matching is vectorised: each unique name is normalised once, and every run of consecutive rules with the same
category becomes one RE2 alternation run over the still-unmatched names (same result as rule by rule).
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from core.codes import factorized, sorted_codes
from core.errors import InputError
from core.i18n import Message, join
from core.io import read_text

MATCH_MODES = ("contains", "whole word", "starts with", "regex")
OTHER = "Other"
LANGUAGES = ("ru", "en")
MAX_KEYWORD_LENGTH = 200
MAX_CATEGORY_LENGTH = 40

_RULE_FILES = {"ru": "ru_home_goods.csv", "en": "en_gift_home.csv"}
# Word separators: ASCII and Latin-1 punctuation, spaces and symbols, general punctuation to misc. symbols and
# arrows, CJK punctuation, emoji. (An explicit class: RE2 compiles it ~20x faster than [^\p{L}\p{N}_].)
_NON_WORD = (
    r"[\x00-\x2F\x3A-\x40\x5B-\x5E\x60\x7B-\x{BF}\x{D7}\x{F7}\x{2000}-\x{2BFF}\x{3000}-\x{303F}"
    r"\x{FE30}-\x{FE4F}\x{1F000}-\x{1FAFF}]"
)
_WORD_START = f"(?:^|{_NON_WORD})"
_WORD_END = f"(?:$|{_NON_WORD})"
# A character outside ASCII and basic Cyrillic: only names with one can change under NFKC.
_NEEDS_NFKC = r"[^\x00-\x7F\x{0400}-\x{045F}]"
_RE2_SPECIAL = frozenset("\\.+*?()|[]{}^$")
_CATEGORY_NAME = re.compile(r"[^\W_][\w &,.'’()/+\-]*")
_TRUE = frozenset({"true", "1", "yes", "y", "on", "да", "x"})
_FALSE = frozenset({"false", "0", "no", "n", "off", "нет"})
_LISTED_ROWS = 10
_STOP_WORDS = frozenset(
    # Russian function words, units and descriptors that never make a useful category keyword
    "для без под над при или это как что все его она они так через около после шт штук штуки "
    "уп упак упаковке упаковка см мм мл литр литра литров кг гр вт размер цвет цвета цветов ассортименте "
    "микс набор комплект новый новая большой большая малый малая мини макси средний средняя диам "
    "белый белая белое черный черная красный красная синий синяя зеленый зеленая желтый желтая серый серая "
    "розовый розовая голубой голубая коричневый бежевый бежевая оранжевый фиолетовый прозрачный "
    # English equivalents
    "the and with for set pack of assorted small large medium mini big new colour colours color design "
    "red white pink blue black green yellow grey gray cream brown purple orange ivory silver gold".split()
)


@dataclass(frozen=True)
class Rule:
    """One categorisation rule; ``mode`` is one of ``MATCH_MODES``; disabled rules are skipped."""

    keyword: str
    category: str
    mode: str = "contains"
    enabled: bool = True


# ----------------------------------------------------------------------------------------------------------------
# Rule sets, tables and CSV


@lru_cache(maxsize=None)
def default_rules(language: str) -> tuple[Rule, ...]:
    """The bundled rule set: ``"ru"`` (Russian home goods) or ``"en"`` (English gift and home store)."""
    if language not in _RULE_FILES:
        raise InputError(Message("errors.categories.unknown_language", language=language,
                                 languages=", ".join(LANGUAGES)))
    data = resources.files("core").joinpath("rules", _RULE_FILES[language]).read_bytes()
    return rules_from_csv(data)


def detect_language(products: pd.Series) -> str:
    """``"ru"`` if Cyrillic letters make up >= 30 % of the letters in (up to 5,000) unique names, else ``"en"``.

    Names without any letters (or an empty series) give ``"en"``.
    """
    sample = products.dropna().head(50_000).drop_duplicates().head(5_000).astype(str)
    names = pa.array(sample.to_numpy(dtype=object), type=pa.string())
    letters = pc.sum(pc.count_substring_regex(names, r"\p{L}")).as_py() or 0
    cyrillic = pc.sum(pc.count_substring_regex(names, r"\p{Cyrillic}")).as_py() or 0
    return "ru" if letters and cyrillic / letters >= 0.3 else "en"


def rules_to_frame(rules: Iterable[Rule]) -> pd.DataFrame:
    """The editable table: columns keyword, category, mode (str) and enabled (bool), one row per rule."""
    rules = tuple(rules)
    return pd.DataFrame(
        {
            "keyword": pd.Series([r.keyword for r in rules], dtype=str),
            "category": pd.Series([r.category for r in rules], dtype=str),
            "mode": pd.Series([r.mode for r in rules], dtype=str),
            "enabled": pd.Series([bool(r.enabled) for r in rules], dtype=bool),
        }
    )


def rules_from_frame(df: pd.DataFrame) -> tuple[Rule, ...]:
    """Rules from an editor or CSV table with columns keyword, category and optional mode, enabled.

    Column names are matched case-insensitively. Missing mode means ``contains``; missing enabled means true;
    enabled also accepts yes/no, 1/0, да/нет. Keywords are kept verbatim (spaces count in ``contains`` mode);
    category and mode are stripped. Fully blank rows (no keyword, no category) are skipped.
    Raises ``InputError`` listing the offending 1-based row numbers and reasons.
    """
    columns = {str(c).strip().lower(): c for c in df.columns}
    missing = [c for c in ("keyword", "category") if c not in columns]
    if missing:
        found = ", ".join(map(str, df.columns)) or Message("errors.categories.no_columns")
        raise InputError(Message("errors.categories.missing_columns", found=found))

    def column(name: str) -> list:
        return df[columns[name]].tolist() if name in columns else [None] * len(df)

    rules, row_numbers, bad_enabled = [], [], []
    for number, keyword, category, mode, enabled in zip(
        range(1, len(df) + 1), column("keyword"), column("category"), column("mode"), column("enabled")
    ):
        keyword, category, mode = _text(keyword), _text(category).strip(), _text(mode).strip().lower()
        if not keyword.strip() and not category:
            continue
        flag = _parse_enabled(enabled)
        if flag is None:
            bad_enabled.append((number, repr(enabled)))
            flag = True
        mode = re.sub(r"[\s_-]+", " ", mode) or "contains"
        rules.append(Rule(keyword, category, mode, flag))
        row_numbers.append(number)
    problems = _problems(rules, row_numbers)
    if bad_enabled:
        problems.append(_rows_message(bad_enabled, Message("errors.categories.bad_enabled")))
    if problems:
        raise InputError(Message("errors.categories.fix_rules", problems=join(problems)))
    return tuple(rules)


def validate_rules(rules: Sequence[Rule]) -> list[str]:
    """Human-readable problems with ``rules`` (rows are 1-based positions); an empty list when all is fine.

    Checks: empty keyword; keyword longer than ``MAX_KEYWORD_LENGTH``; category name format (1-40 characters,
    letters, digits, spaces and ``& , . ' ( ) / + -``, starting with a letter or digit); categories differing only
    in letter case; unknown mode; duplicate rule (same normalised keyword and mode); invalid RE2 regex.
    """
    return _problems(list(rules), list(range(1, len(rules) + 1)))


def rules_to_csv(rules: Iterable[Rule]) -> bytes:
    """UTF-8 CSV (no BOM, LF) with columns keyword, category, mode, enabled (``true``/``false``)."""
    frame = rules_to_frame(rules)
    frame["enabled"] = frame["enabled"].map({True: "true", False: "false"})
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def rules_from_csv(data: bytes) -> tuple[Rule, ...]:
    """Rules from CSV bytes as Excel or an editor saves them, validated as in ``rules_from_frame``: encoding (UTF-8
    with or without BOM, UTF-16, Windows code pages such as Russian Excel's cp1251) and delimiter (comma,
    semicolon, tab, an Excel ``sep=`` line) are found as for order exports (``core.io.read_text``)."""
    try:
        text = read_text(data, "rules.csv")
    except InputError:
        raise InputError(Message("errors.categories.not_text")) from None
    if text.delimiter is None:
        raise InputError(Message("errors.categories.empty_file"))
    try:
        frame = pd.read_csv(io.BytesIO(text.utf8), sep=text.delimiter, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise InputError(Message("errors.categories.unreadable_csv", error=str(exc).splitlines()[0])) from None
    return rules_from_frame(frame)


# ----------------------------------------------------------------------------------------------------------------
# Matching


def categorise_names(names: pd.Series | Sequence[str], rules: Sequence[Rule]) -> pd.Series:
    """Category of each unique non-missing name: index = names in first-seen order, values = category or ``OTHER``.

    Raises ``InputError`` when the rules are invalid.
    """
    unique = _unique_names(names)
    categories, codes = _categorise_unique(unique, rules)
    values = np.asarray(categories, dtype=object)[codes]
    return pd.Series(values, index=pd.Index(unique, name="product"), name="category")


def categorise(products: pd.Series, rules: Sequence[Rule]) -> pd.Series:
    """Per-line category (categorical dtype, same index as ``products``); missing names get ``OTHER``.

    Categories are listed in rule order, then ``OTHER``. Each unique name is matched once and mapped back.
    """
    line_codes, uniques = factorized(products)
    categories, codes = _categorise_unique(uniques.astype(str).to_numpy(dtype=object), rules)
    codes = np.append(codes, categories.index(OTHER))  # missing names have code -1: the appended OTHER
    return pd.Series(pd.Categorical.from_codes(codes[line_codes], categories), index=products.index, name="category")


def matching_rules(names: pd.Series | Sequence[str], rules: Sequence[Rule]) -> pd.DataFrame:
    """Conflicts: unique names matched by enabled rules of more than one category (where rule order decides).

    Columns: product; rules (matching rule numbers, 1-based positions in ``rules``); keywords (their keywords);
    categories (distinct categories of those rules, in rule order); winner (number of the rule that wins now,
    the first match); category (the winning category). Names matched only within one category are left out.
    Raises ``InputError`` when the rules are invalid.
    """
    columns = ["product", "rules", "keywords", "categories", "winner", "category"]
    unique = _unique_names(names)
    _raise_if_invalid(rules)
    normalised = _normalise(pa.array(unique, type=pa.string()))
    blocks = _blocks(rules)
    everything = np.arange(len(unique))
    block_hits = [_matches(normalised, block, everything) for block in blocks]
    names_of = list(dict.fromkeys(block[0][1].category for block in blocks))
    category_hits = np.zeros((len(unique), len(names_of)), dtype=bool)
    for block, hit in zip(blocks, block_hits):
        category_hits[:, names_of.index(block[0][1].category)] |= hit
    ambiguous = category_hits.sum(axis=1) > 1
    pairs = []  # (name position, rule number, rule)
    for block, hit in zip(blocks, block_hits):
        candidates = np.flatnonzero(hit & ambiguous)
        if not candidates.size:
            continue
        for item in block:
            pairs.extend((i, item[0], item[1]) for i in candidates[_matches(normalised, [item], candidates)])
    if not pairs:
        return pd.DataFrame(columns=columns)
    found = pd.DataFrame(pairs, columns=["position", "number", "rule"]).sort_values(["position", "number"])
    rows = []
    for position, group in found.groupby("position", sort=True):
        matched = list(group["rule"])
        rows.append(
            {
                "product": unique[position],
                "rules": list(group["number"]),
                "keywords": [rule.keyword for rule in matched],
                "categories": list(dict.fromkeys(rule.category for rule in matched)),
                "winner": int(group["number"].iloc[0]),
                "category": matched[0].category,
            }
        )
    return pd.DataFrame(rows, columns=columns)


# ----------------------------------------------------------------------------------------------------------------
# Summaries over order lines (columns product, revenue, category; customer_id and order_id where noted)


def coverage(lines: pd.DataFrame, category_col: str = "category") -> dict:
    """CLI summary: shares of rows, net revenue and unique names that got a category other than ``OTHER``.

    ``{"coverage_rows", "coverage_revenue", "coverage_names": fractions 0..1,
    "by_category": {name: {"rows": int, "revenue": float}}}``, by revenue descending, always including ``OTHER``.
    Fractions are 0.0 for no lines or non-positive total revenue.
    """
    category = as_categorical(lines[category_col])
    known = (category != OTHER).to_numpy(dtype=bool)
    total = float(lines["revenue"].sum())
    names = lines["product"].nunique()
    groups = lines.groupby(category, sort=False, observed=True)["revenue"].agg(["size", "sum"])
    groups.index = groups.index.astype(str)
    if OTHER not in groups.index:
        groups.loc[OTHER] = [0, 0.0]
    groups = groups.sort_values(["sum", "size"], ascending=False, kind="stable")
    return {
        "coverage_rows": float(known.mean()) if len(lines) else 0.0,
        "coverage_revenue": float(lines.loc[known, "revenue"].sum()) / total if total > 0 else 0.0,
        "coverage_names": lines.loc[known, "product"].nunique() / names if names else 0.0,
        "by_category": {
            str(name): {"rows": int(row["size"]), "revenue": float(row["sum"])} for name, row in groups.iterrows()
        },
    }


def category_summary(lines: pd.DataFrame, category_col: str = "category") -> pd.DataFrame:
    """Per category (index): rows, orders (distinct order_id), customers (distinct customer_id), revenue and
    revenue_share (0..1 of net revenue; 0 when that is not positive), sorted by revenue descending."""
    groups = lines.groupby(as_categorical(lines[category_col]).rename("category"), sort=False, observed=True).agg(
        rows=("product", "size"),
        orders=("order_id", "nunique"),
        customers=("customer_id", "nunique"),
        revenue=("revenue", "sum"),
    )
    groups.index = groups.index.astype(str)
    total = groups["revenue"].sum()
    groups["revenue_share"] = groups["revenue"] / total if total > 0 else 0.0
    return groups.sort_values(["revenue", "rows"], ascending=False, kind="stable")


def uncategorised(lines: pd.DataFrame, category_col: str = "category") -> pd.DataFrame:
    """Names categorised as ``OTHER``: columns product, rows, revenue; by revenue, then rows, descending."""
    other = lines[(as_categorical(lines[category_col]) == OTHER).to_numpy(dtype=bool)]
    table = other.groupby("product", sort=False)["revenue"].agg(rows="size", revenue="sum").reset_index()
    return table.sort_values(["revenue", "rows", "product"], ascending=[False, False, True], ignore_index=True)


def as_categorical(category: pd.Series) -> pd.Series:
    """A category column as categorical (as ``categorise`` makes it; other columns are converted as text), so the
    summaries compare and group integer codes rather than a million strings."""
    if isinstance(category.dtype, pd.CategoricalDtype):
        return category
    return category.astype(str).astype("category")


def frequent_words(names: pd.Series, top: int = 30, revenue: pd.Series | None = None) -> pd.DataFrame:
    """Most common words in ``names`` (e.g. the uncategorised ones), as candidate rule keywords.

    Words are normalised (lower case, ``ё`` as ``е``), letters only, >= 3 characters, stop words, units and
    colours skipped. Pass distinct names, e.g. ``uncategorised(lines)["product"]``. Columns: word, names (how many
    of ``names`` contain it) and, when ``revenue`` (aligned with ``names`` by position) is given, revenue (its sum
    over those names). Sorted by revenue (if given), then names, descending; at most ``top`` rows.
    """
    normalised = pd.Series(
        _normalise(pa.array(names.astype(str).to_numpy(dtype=object), type=pa.string())).to_pylist(), dtype=object
    )
    table = pd.DataFrame({"name": np.arange(len(normalised)), "word": normalised.str.findall(r"[^\W\d_]{3,}")})
    if revenue is not None:
        table["revenue"] = np.asarray(revenue, dtype=float)
    words = table.explode("word").dropna(subset=["word"]).drop_duplicates(["name", "word"])
    words = words[~words["word"].isin(_STOP_WORDS)]
    aggregations = {"names": ("name", "size")} | ({"revenue": ("revenue", "sum")} if revenue is not None else {})
    result = words.groupby("word").agg(**aggregations).reset_index()
    order = (["revenue"] if revenue is not None else []) + ["names"]
    result = result.sort_values(order + ["word"], ascending=[False] * len(order) + [True], ignore_index=True)
    return result.head(top)


def category_spend_shares(lines: pd.DataFrame, category_col: str = "category") -> pd.DataFrame:
    """Per customer (index customer_id): share of spend per category (columns by name) and ``dominant_category``.

    Net revenue per category is clipped at 0 (returns cannot make a share negative); shares sum to 1 for
    customers with positive spend, else they are all 0 and ``dominant_category`` is missing (NA). Ties go to the
    category name that sorts first (see :func:`dominant_category`).
    """
    spend = (
        lines.groupby(["customer_id", lines[category_col].astype(str).rename("category")])["revenue"]
        .sum()
        .unstack(fill_value=0.0)
        .clip(lower=0.0)
    )
    spend = spend[sorted(spend.columns)]
    spend.columns.name = None
    total = spend.sum(axis=1)
    shares = spend.div(total.where(total > 0), axis=0).fillna(0.0)
    return shares.assign(dominant_category=dominant_category(lines, category_col))


def dominant_category(lines: pd.DataFrame, category_col: str = "category") -> pd.Series:
    """Per customer with lines (index customer_id, sorted): the category with the most net spend clipped at 0,
    ties to the name that sorts first; NA when nothing positive is spent. Summed per (customer, category) on
    integer codes, so no customer × category table is built."""
    customer, customer_ids = sorted_codes(lines["customer_id"])
    category, values = pd.factorize(lines[category_col])
    names = [str(value) for value in values] + ["nan"]  # a missing category reads as "nan", as astype(str) does
    name_rank = np.empty(len(names), dtype=np.int64)
    name_rank[sorted(range(len(names)), key=names.__getitem__)] = np.arange(len(names))
    has_customer = customer >= 0
    key = customer[has_customer] * len(names) + name_rank[category[has_customer]]
    spend = pd.Series(lines["revenue"].to_numpy(dtype=float)[has_customer]).groupby(key, sort=True).sum()
    clipped = np.maximum(spend.to_numpy(), 0.0)
    pair_customer, pair_rank = np.divmod(spend.index.to_numpy(), len(names))
    starts = np.flatnonzero(np.diff(pair_customer, prepend=-1))
    best = np.maximum.reduceat(clipped, starts) if len(starts) else clipped
    owner = np.cumsum(np.diff(pair_customer, prepend=-1) != 0) - 1
    winners = np.flatnonzero((clipped == best[owner]) & (best[owner] > 0))
    first = winners[np.diff(owner[winners], prepend=-1) != 0]  # pairs are in name order within a customer
    rank = np.full(len(starts), -1, dtype=np.int64)
    rank[owner[first]] = pair_rank[first]
    dominant = pc.take(pa.array(sorted(names), type=pa.large_string()), pa.array(rank, mask=rank < 0))
    index = pd.Index(customer_ids.take(pair_customer[starts]), name="customer_id")
    return pd.Series(pd.array(dominant, dtype=pd.StringDtype("pyarrow", na_value=pd.NA)), index=index,
                     name="dominant_category")


# ----------------------------------------------------------------------------------------------------------------
# Internals


def _text(value) -> str:
    """Cell value as text; missing values become ``""``."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _parse_enabled(value) -> bool | None:
    """True/False from a bool, number or yes/no text; missing means True; None when unreadable."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = _text(value).strip().lower()
    if not text or text in _TRUE:
        return True
    if text in _FALSE:
        return False
    try:
        number = float(text)
    except ValueError:
        return None
    return {1.0: True, 0.0: False}.get(number)


def _rows_message(items: list[tuple[int, str | None]], reason: str) -> str:
    """``"rows 3 (note), 7: reason"`` from (row, note or None) pairs; at most 10 rows are listed."""
    shown = [Message("errors.categories.row_note", row=n, note=note) if note is not None else str(n)
             for n, note in items[:_LISTED_ROWS]]
    more = Message("errors.categories.more_rows", n=len(items) - _LISTED_ROWS) if len(items) > _LISTED_ROWS else ""
    return Message("errors.categories.row" if len(items) == 1 else "errors.categories.rows",
                   rows=join(shown, ", "), more=more, reason=reason)


def _problems(rules: list[Rule], row_numbers: list[int]) -> list[str]:
    """Validation messages for ``rules`` reported under the given row numbers, one message per kind of problem."""
    found: dict[str, list[tuple[int, str | None]]] = {}

    def add(reason: str, number: int, note: str | None = None) -> None:
        found.setdefault(reason, []).append((number, note))

    spellings: dict[str, tuple[str, int]] = {}
    seen: dict[tuple[str, str], int] = {}
    for number, rule, form in zip(row_numbers, rules, _forms(rules)):
        if not rule.keyword.strip():
            add(Message("errors.categories.empty_keyword"), number)
        elif len(rule.keyword) > MAX_KEYWORD_LENGTH:
            add(Message("errors.categories.long_keyword", limit=MAX_KEYWORD_LENGTH), number)
        elif rule.mode == "regex" and (error := _regex_error(form)):
            add(Message("errors.categories.bad_regex"), number, error)
        elif (form, rule.mode) in seen:
            add(Message("errors.categories.duplicate_rule"), number,
                Message("errors.categories.same_as_row", row=seen[form, rule.mode]))
        else:
            seen[form, rule.mode] = number
        if not rule.category:
            add(Message("errors.categories.empty_category"), number)
        elif len(rule.category) > MAX_CATEGORY_LENGTH or not _CATEGORY_NAME.fullmatch(rule.category):
            add(Message("errors.categories.bad_category", limit=MAX_CATEGORY_LENGTH), number, repr(rule.category))
        else:
            spelling, first = spellings.setdefault(rule.category.casefold(), (rule.category, number))
            if spelling != rule.category:
                note = Message("errors.categories.case_note", category=rule.category, other=spelling, row=first)
                add(Message("errors.categories.case_differs"), number, note)
        if rule.mode not in MATCH_MODES:
            add(Message("errors.categories.unknown_mode", modes=", ".join(MATCH_MODES)), number, repr(rule.mode))
    return [_rows_message(items, reason) for reason, items in found.items()]


def _raise_if_invalid(rules: Sequence[Rule]) -> None:
    """Raise ``InputError`` with all validation messages, if any."""
    problems = validate_rules(rules)
    if problems:
        raise InputError(Message("errors.categories.fix_rules", problems=join(problems)))


def _regex_error(pattern: str) -> str | None:
    """RE2's complaint about ``pattern`` (one line), or None when it compiles."""
    try:
        pc.match_substring_regex(pa.array([""], type=pa.string()), pattern, ignore_case=True)
    except pa.ArrowInvalid as exc:
        return str(exc).splitlines()[0].removeprefix("Invalid regular expression: ")
    return None


def _normalise(values: pa.Array) -> pa.Array:
    """NFKC, lower case, ``ё`` -> ``е`` (vectorised; NFKC only runs on names outside ASCII and basic Cyrillic)."""
    unstable = pc.match_substring_regex(values, _NEEDS_NFKC)
    if pc.any(unstable).as_py():
        values = pc.replace_with_mask(values, unstable, pc.utf8_normalize(pc.filter(values, unstable), "NFKC"))
    return pc.replace_substring(pc.utf8_lower(values), "ё", "е")


def _unique_names(names: pd.Series | Sequence[str]) -> np.ndarray:
    """Distinct non-missing names as text, in first-seen order."""
    return pd.Series(names, dtype=object).dropna().astype(str).drop_duplicates().to_numpy(dtype=object)


def _forms(rules: Sequence[Rule]) -> list[str]:
    """What each rule looks for: the keyword normalised like names, or (regex mode) the pattern with NFKC and
    ``ё`` -> ``е`` applied (not lower-cased, which would turn ``\\W`` into ``\\w``; regexes ignore case instead)."""
    keywords = pa.array([r.keyword for r in rules], type=pa.string())
    literal = _normalise(keywords).to_pylist()
    regex = pc.replace_substring(pc.replace_substring(pc.utf8_normalize(keywords, "NFKC"), "ё", "е"), "Ё", "Е")
    return [p if r.mode == "regex" else k for r, k, p in zip(rules, literal, regex.to_pylist())]


def _escape(text: str) -> str:
    """``text`` as an RE2 literal."""
    return "".join("\\" + c if c in _RE2_SPECIAL else c for c in text)


def _blocks(rules: Sequence[Rule]) -> list[list[tuple[int, Rule, str]]]:
    """Enabled rules as (1-based number, rule, form), grouped into runs of consecutive rules of one category."""
    enabled = [(number, rule) for number, rule in enumerate(rules, start=1) if rule.enabled]
    blocks: list[list[tuple[int, Rule, str]]] = []
    for (number, rule), form in zip(enabled, _forms([rule for _, rule in enabled])):
        if blocks and blocks[-1][0][1].category == rule.category:
            blocks[-1].append((number, rule, form))
        else:
            blocks.append([(number, rule, form)])
    return blocks


def _matches(normalised: pa.Array, items: list[tuple[int, Rule, str]], positions: np.ndarray) -> np.ndarray:
    """Whether any of the rules ``items`` matches each normalised name at ``positions`` (bool, like ``positions``).

    One RE2 alternation: literal keywords grouped by mode (word boundaries written once per group), regexes
    case-insensitive.
    """
    by_mode: dict[str, list[str]] = {mode: [] for mode in MATCH_MODES}
    for _, rule, form in items:
        by_mode[rule.mode].append(form if rule.mode == "regex" else _escape(form))
    parts = [f"(?i:{pattern})" for pattern in by_mode["regex"]]
    if by_mode["contains"]:
        parts.append("|".join(by_mode["contains"]))
    if by_mode["whole word"]:
        parts.append(f"{_WORD_START}(?:{'|'.join(by_mode['whole word'])}){_WORD_END}")
    if by_mode["starts with"]:
        parts.append(f"{_WORD_START}(?:{'|'.join(by_mode['starts with'])})")
    pattern = "|".join(f"(?:{part})" for part in parts)
    return pc.match_substring_regex(normalised.take(positions), pattern).to_numpy(zero_copy_only=False)


def _categorise_unique(names: np.ndarray, rules: Sequence[Rule]) -> tuple[list[str], np.ndarray]:
    """(categories in rule order + ``OTHER``, category code per name) for distinct non-missing ``names``."""
    _raise_if_invalid(rules)
    blocks = _blocks(rules)
    categories = list(dict.fromkeys([block[0][1].category for block in blocks] + [OTHER]))
    codes = np.full(len(names), categories.index(OTHER), dtype=np.int32)
    normalised = _normalise(pa.array(names, type=pa.string()))
    todo = np.arange(len(names))
    for block in blocks:
        if not todo.size:
            break
        hit = _matches(normalised, block, todo)
        codes[todo[hit]] = categories.index(block[0][1].category)
        todo = todo[~hit]
    return categories, codes


# ----------------------------------------------------------------------------------------------------------------
# Editing rules in the app (the Categories page)


def rules_to_editor_frame(rules: Iterable[Rule]) -> pd.DataFrame:
    """``rules_to_frame`` with a leading ``priority`` column: the 1-based position (the first matching rule wins)."""
    frame = rules_to_frame(rules)
    frame.insert(0, "priority", pd.Series(np.arange(1, len(frame) + 1), dtype="int64"))
    return frame


def rules_from_editor(table: pd.DataFrame) -> tuple[Rule, ...]:
    """Rules from the edited ``rules_to_editor_frame`` table, reordered by the priority numbers the user typed.

    The index holds each row's 0-based position in the table the editor was given (``st.data_editor`` keeps the
    labels of the remaining rows and numbers added rows on from the end). A row whose priority is unchanged
    (position + 1) keeps its place; a row given a smaller number moves to that position, ahead of the row that is
    there; a row given a larger number moves to that position, behind the row that is there; rows without a
    priority go last in table order. Validation runs first, in table order, so error row numbers are table rows.
    Raises ``InputError`` as ``rules_from_frame``.
    """
    rules_table = table.drop(columns="priority", errors="ignore")
    rules_from_frame(rules_table)
    if pd.api.types.is_integer_dtype(table.index.dtype):
        original = table.index.to_numpy(dtype=float) + 1
    else:
        original = np.arange(1, len(table) + 1, dtype=float)
    wanted = (pd.to_numeric(table["priority"], errors="coerce").to_numpy(dtype=float) if "priority" in table
              else np.full(len(table), np.nan))
    direction = np.sign(np.nan_to_num(wanted - original, nan=0.0))
    order = np.lexsort((original, direction, np.where(np.isnan(wanted), np.inf, wanted)))
    return rules_from_frame(rules_table.iloc[order])


def append_rule(rules: Sequence[Rule], keyword: str, category: str, mode: str = "starts with") -> tuple[Rule, ...]:
    """``rules`` plus a new last rule (keyword and category stripped).

    Last means lowest priority: the new rule only catches names that no other enabled rule matches, so it never
    moves an already categorised name and coverage can only grow. Raises ``InputError`` naming what is wrong with
    the new rule (empty keyword, bad category name, a duplicate of an existing rule, ...).
    """
    new = (*rules, Rule(keyword.strip(), category.strip(), mode))
    problems = validate_rules(new)
    if problems:
        raise InputError(Message("errors.categories.cannot_add", problems=join(problems)))
    return new


def explain_conflicts(conflicts: pd.DataFrame, rules: Sequence[Rule], lines: pd.DataFrame) -> pd.DataFrame:
    """``matching_rules`` output in words, for deciding on rule order; by revenue, then product.

    Columns: product; revenue (its net revenue in ``lines``); category (the one it gets now); winner (the rule
    that wins now, as ``#12 ваз (starts with)``); others (the matching rules of other categories, as
    ``#57 ваза (contains) → Посуда и кухня``, joined by ``; ``). Rule numbers are 1-based positions in ``rules``.
    """
    columns = ["product", "revenue", "category", "winner", "others"]
    if conflicts.empty:
        return pd.DataFrame(columns=columns)

    def label(number: int) -> str:
        rule = rules[number - 1]
        return f"#{number} {rule.keyword} ({rule.mode})"

    revenue = lines.groupby("product")["revenue"].sum()
    table = pd.DataFrame(
        {
            "product": conflicts["product"].to_numpy(),
            "revenue": conflicts["product"].map(revenue).fillna(0.0).to_numpy(dtype=float),
            "category": conflicts["category"].to_numpy(),
            "winner": [label(number) for number in conflicts["winner"]],
            "others": [
                "; ".join(f"{label(n)} → {rules[n - 1].category}" for n in numbers if rules[n - 1].category != won)
                for numbers, won in zip(conflicts["rules"], conflicts["category"])
            ],
        }
    )
    return table.sort_values(["revenue", "product"], ascending=[False, True], ignore_index=True)
