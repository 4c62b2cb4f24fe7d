"""Keyword categorisation: matching semantics, validation, CSV, summaries, and the default rule sets on real data."""
import time

import numpy as np
import pandas as pd
import pytest

from core.categories import (
    LANGUAGES,
    MATCH_MODES,
    OTHER,
    Rule,
    categorise,
    categorise_names,
    category_spend_shares,
    category_summary,
    coverage,
    default_rules,
    detect_language,
    frequent_words,
    matching_rules,
    rules_from_csv,
    rules_from_frame,
    rules_to_csv,
    rules_to_frame,
    uncategorised,
    validate_rules,
)
from core.errors import InputError
from tests.conftest import KEYWORD_RULES, ONLINE_RETAIL, PRACTICUM_UPD

RU_CATEGORIES = {
    "Растения и рассада": 516,
    "Сад и дача": 109,
    "Посуда и кухня": 132,
    "Текстиль": 46,
    "Хранение и хозяйство": 43,
    "Уборка и бытовая химия": 36,
    "Ванная": 42,
    "Интерьер и декор": 50,
    "Сумки и тележки": 13,
    "Ремонт и инструменты": 137,
    "Освещение": 16,
    "Мебель": 29,
    "Бытовая техника": 53,
}
EN_CATEGORIES = {
    "Christmas & seasonal": 23,
    "Kitchen & dining": 92,
    "Home décor": 67,
    "Bags & storage": 26,
    "Stationery & cards": 50,
    "Lighting & candles": 25,
    "Toys & games": 47,
    "Garden": 22,
    "Jewellery & accessories": 41,
    "Textiles": 32,
    "Party & gifts": 20,
    "Bath & beauty": 17,
}

# Home-goods names in the style of other Russian stores (DIY superstore, furniture store, fixed-price store,
# garden centre), written for this test, with rough prices in roubles. None comes from the practicum file.
OTHER_STORES = [
    ("Смеситель для кухни однорычажный с высоким изливом, хром", 4990),
    ("Ламинат Сосна Гала 33 класс 8 мм 2.131 м²", 1200),
    ("Краска для стен и потолков матовая белая 10 л", 2500),
    ("Дрель-шуруповерт аккумуляторная 18V, 2 АКБ", 6990),
    ("Набор сверл по металлу 19 шт.", 590),
    ("Перфоратор SDS-plus 780 Вт", 8990),
    ("Саморезы по дереву 3.5x35 мм, 200 шт.", 190),
    ("Плитка настенная Ницца 25x35 см 1.4 м² белая", 900),
    ("Обои флизелиновые 1.06x10 м, бежевые", 1500),
    ("Светильник потолочный светодиодный 24 Вт", 1290),
    ("Лампа светодиодная E27 10 Вт 2700K", 99),
    ("Удлинитель 3 розетки 5 м с заземлением", 450),
    ("Унитаз-компакт с сиденьем микролифт", 7990),
    ("Грунт универсальный 50 л", 390),
    ('Шланг садовый 1/2" 20 м', 1190),
    ("Газонокосилка электрическая 1200 Вт", 9990),
    ("Теплица из поликарбоната 3x4 м", 25000),
    ("Лопата штыковая с черенком", 690),
    ("Секатор плоскостной", 1490),
    ("Мангал складной 3 мм", 2490),
    ("Стремянка алюминиевая 3 ступени", 2990),
    ("Дверная ручка на розетке, хром", 690),
    ("Герметик силиконовый санитарный белый 280 мл", 290),
    ("Ковер Флоренция 160x230 см", 5990),
    ("Штора блэкаут на ленте 200x260 см", 1990),
    ("Диван-кровать угловой Вегас", 39990),
    ("Стул Руссо, серый", 3490),
    ("Шкаф-купе 2-дверный Локер", 19990),
    ("Комод Ларс 4 ящика", 8990),
    ("Кровать Орион 160x200 с подъемным механизмом", 24990),
    ("Матрас пружинный 160x200", 12990),
    ("Зеркало настенное в раме 60x80", 3990),
    ("Комплект постельного белья евро сатин", 3990),
    ("Подушка 50x70 бамбук", 990),
    ("Одеяло всесезонное 172x205", 2490),
    ("Плед флисовый 150x200", 890),
    ("Набор столовых приборов 24 предмета", 2990),
    ("Кастрюля эмалированная 3 л", 1490),
    ("Сковорода антипригарная 28 см", 2990),
    ("Стеллаж металлический 5 полок", 2490),
    ("Люстра потолочная 5 рожков", 4990),
    ("Настольная лампа офисная", 1290),
    ("Обувница 3 секции", 2990),
    ("Прикроватная тумба Мальта", 4990),
    ("Губки для посуды, 5 шт.", 49),
    ("Средство для мытья посуды 500 мл", 99),
    ("Мешки для мусора 60 л, 20 шт.", 69),
    ("Салфетки из микрофибры 3 шт.", 99),
    ("Прищепки для белья 20 шт.", 59),
    ("Кружка с рисунком 350 мл", 99),
    ("Контейнер пищевой 1 л", 79),
    ("Свеча ароматическая в стакане", 99),
    ("Батарейки AA 4 шт.", 89),
    ("Зубная паста 100 мл", 79),
    ("Шампунь для волос 400 мл", 99),
    ("Пакеты для запекания 5 шт.", 59),
    ("Фольга алюминиевая 10 м", 79),
    ("Лейка пластиковая 1.5 л", 99),
    ("Семена Огурец Герман F1", 39),
    ("Таблетки торфяные 5 шт.", 49),
    ("Гирлянда светодиодная 3 м", 199),
    ("Ёлочные шары 6 шт.", 149),
    ("Органайзер для косметики", 149),
    ("Вешалка-плечики 3 шт.", 99),
    ("Щетка для унитаза с подставкой", 149),
    ("Гортензия метельчатая Лаймлайт С3", 899),
    ("Туя западная Смарагд 80-100 см", 1290),
    ("Орхидея Фаленопсис 2 ствола d12", 1299),
    ("Спатифиллум Свит Шопен d17 h60", 1190),
    ("Монстера деликатесная d24", 3490),
    ("Луковицы тюльпанов микс, 10 шт.", 299),
    ("Петуния ампельная Сурфиния в подвесном кашпо", 450),
    ("Клубника ремонтантная Альбион, саженец", 199),
    ("Яблоня колоновидная Президент С5", 1490),
    # written after the rule set was drafted, as a held-out check: it scored 85 % of revenue; its misses (door,
    # blinds, mosquito net, sawn timber) were then added to the set as general vocabulary
    ("Кашпо напольное 30 л, антрацит", 1290),
    ("Ящик для рассады с поддоном", 249),
    ("Поддон для горшка 20 см", 59),
    ("Сетка москитная на окно 150x180", 290),
    ("Карниз для штор двухрядный 2 м", 890),
    ("Рулонная штора 60x160", 990),
    ("Жалюзи горизонтальные 60x160", 590),
    ("Полотенцесушитель водяной М-образный", 3490),
    ("Ванна акриловая 170x70", 12990),
    ("Душевая стойка с тропическим душем", 8990),
    ("Водонагреватель накопительный 80 л", 11990),
    ("Чайник эмалированный 2 л", 890),
    ("Набор бокалов для вина 6 шт.", 990),
    ("Термокружка 450 мл", 599),
    ("Коврик для йоги 173x61", 990),
    ("Наволочки 50x70, 2 шт.", 299),
    ("Дверь межкомнатная Порта 80 см", 6990),
    ("Замок врезной с ручками", 990),
    ("Доска обрезная 25x100x3000", 390),
    ("Цемент М500 50 кг", 590),
    ("Утеплитель минвата 50 мм", 990),
    ("Провод ПВС 3x1.5 10 м", 690),
    ("Гарантийное обслуживание 1 год", 1500),  # services: no category on purpose
    ("Доставка до подъезда", 500),
]

# The third-party table's 8 room-based categories, mapped to the categories of the Russian default set that
# cover the same goods (rooms also hold their textiles, e.g. tablecloths under Кухня, towels under Ванная).
THIRD_PARTY_MAPPING = {
    "Сад и огород": {"Растения и рассада", "Сад и дача"},
    "Комнатные растения": {"Растения и рассада"},
    "Кухня": {"Посуда и кухня", "Бытовая техника", "Текстиль"},
    "Ванная комната и гардероб": {"Ванная", "Хранение и хозяйство", "Текстиль"},
    "Строительство и ремонт": {"Ремонт и инструменты"},
    "Уборка": {"Уборка и бытовая химия"},
    "Спальня, прихожая, декор": {"Текстиль", "Интерьер и декор", "Мебель", "Освещение", "Хранение и хозяйство"},
    "Сумки и тележки": {"Сумки и тележки"},
}


@pytest.fixture(scope="module")
def practicum(shared_datasets) -> pd.DataFrame:
    """Raw ecom_dataset_upd.csv lines with revenue and the Russian default categories."""
    lines = pd.read_csv(PRACTICUM_UPD)
    lines["revenue"] = lines["quantity"] * lines["price"]
    lines["category"] = categorise(lines["product"], default_rules("ru"))
    return lines


@pytest.fixture(scope="module")
def online_retail(shared_datasets) -> pd.DataFrame:
    """Online Retail II, December 2009: rows with Quantity > 0 and a Customer ID, English default categories."""
    raw = pd.read_csv(ONLINE_RETAIL, dtype={"Invoice": str, "StockCode": str, "Customer ID": "Int64"})
    raw = raw[(raw["Quantity"] > 0) & raw["Customer ID"].notna()]
    lines = pd.DataFrame({"product": raw["Description"], "revenue": raw["Quantity"] * raw["Price"]})
    lines["category"] = categorise(lines["product"], default_rules("en"))
    return lines


def names_categories(names, rules) -> list[str]:
    return categorise_names(names, rules).tolist()


# ----------------------------------------------------------------------------------------------------------------
# Default rule sets on real data


def test_default_rule_sets_are_valid_and_sized():
    for language, expected in (("ru", RU_CATEGORIES), ("en", EN_CATEGORIES)):
        rules = default_rules(language)
        assert validate_rules(rules) == []
        counts = pd.Series([r.category for r in rules]).value_counts().to_dict()
        assert counts == expected
        assert all(r.enabled and r.mode in MATCH_MODES for r in rules)
    assert len(default_rules("ru")) == 1222 and len(default_rules("en")) == 462
    assert 8 <= len(RU_CATEGORIES) <= 15
    assert LANGUAGES == ("ru", "en")
    with pytest.raises(InputError, match="Unknown rule set language 'de'"):
        default_rules("de")


def test_practicum_coverage(practicum):
    summary = coverage(practicum)
    assert summary["coverage_revenue"] == pytest.approx(0.998549, abs=1e-6)
    assert summary["coverage_rows"] == pytest.approx(7417 / 7474)
    assert summary["coverage_names"] == pytest.approx(2308 / 2343)
    assert summary["coverage_revenue"] >= 0.95 and summary["coverage_names"] >= 0.90
    by_category = summary["by_category"]
    assert list(by_category)[:4] == ["Хранение и хозяйство", "Сумки и тележки", "Ванная", "Растения и рассада"]
    assert by_category[OTHER] == {"rows": 57, "revenue": 7773.0}
    assert by_category["Растения и рассада"]["rows"] == 4165
    assert sum(v["rows"] for v in by_category.values()) == 7474
    assert sum(v["revenue"] for v in by_category.values()) == pytest.approx(5_357_944.4167, abs=0.01)
    # the 1,000-piece plunger order (675,000) is 12.6 % of revenue; coverage holds without it too
    rest = practicum[practicum["quantity"] < 1000]
    assert coverage(rest)["coverage_revenue"] == pytest.approx(1 - 7773 / (5_357_944.4167 - 675_000), abs=1e-6)


def test_tricky_names_with_default_rules():
    rules = default_rules("ru")
    names = [
        "Настенная сушилка для белья Gimi Brio Super 100",  # `ель` in "белья" must not make it a plant
        "Сушилка для посуды двухъярусная",
        "Тюльпан Louvre (Лувр) Бахромчатый 25 шт",  # not `тюль` (net curtain)
        "Коврик придверный розовый 40х60",  # not a rose
        "Роза чайногибридная Глория Дей",  # not `чай`
        "Ель канадская Коника ртк 303 горшок 9 л",
        "Муляж Клубника 1 шт полиуретан",
        "Щетка для мытья окон с автоматической подачей",  # `томат` only at a word start
        "Земляника садовая Виктория",  # `садов` is only a fallback
        "Шкаф для ванной комнаты навесной",
    ]
    assert names_categories(names, rules) == [
        "Хранение и хозяйство",
        "Посуда и кухня",
        "Растения и рассада",
        "Текстиль",
        "Растения и рассада",
        "Растения и рассада",
        "Интерьер и декор",
        "Уборка и бытовая химия",
        "Растения и рассада",
        "Ванная",
    ]


def test_other_russian_stores_generalisation():
    lines = pd.DataFrame(OTHER_STORES, columns=["product", "revenue"])
    lines["category"] = categorise(lines["product"], default_rules("ru"))
    summary = coverage(lines)
    assert len(lines) == 98
    assert summary["coverage_revenue"] == pytest.approx(1 - 2000 / lines["revenue"].sum())
    assert summary["coverage_revenue"] >= 0.80
    assert uncategorised(lines)["product"].tolist() == ["Гарантийное обслуживание 1 год", "Доставка до подъезда"]
    category = lines.set_index("product")["category"]
    assert category["Смеситель для кухни однорычажный с высоким изливом, хром"] == "Ванная"
    assert category["Луковицы тюльпанов микс, 10 шт."] == "Растения и рассада"


def test_online_retail_coverage(online_retail):
    summary = coverage(online_retail)
    assert online_retail["revenue"].sum() == pytest.approx(686_654.16, abs=0.005)  # README figure
    assert summary["coverage_revenue"] == pytest.approx(0.975408, abs=1e-6)
    assert summary["coverage_rows"] == pytest.approx(29794 / 30761)
    assert summary["coverage_names"] == pytest.approx(2533 / 2720)
    assert summary["coverage_revenue"] >= 0.70
    assert list(summary["by_category"])[:3] == ["Home décor", "Kitchen & dining", "Lighting & candles"]
    top_other = uncategorised(online_retail)["product"].head(2).tolist()
    assert top_other == ["POSTAGE", "Manual"]  # fees and manual adjustments stay uncategorised
    assert names_categories(
        ["WHITE HANGING HEART T-LIGHT HOLDER", "JUMBO BAG RED WHITE SPOTTY", "PAPER CHAIN KIT 50'S CHRISTMAS",
         "SCOTTIE DOG HOT WATER BOTTLE", "WHITE BEADED GARLAND STRING 20LIGHT"],
        default_rules("en"),
    ) == ["Lighting & candles", "Bags & storage", "Christmas & seasonal", "Textiles", "Lighting & candles"]


def test_agreement_with_third_party_keyword_table(shared_datasets):
    """On names the third-party table (478 substring keywords) puts in exactly one category, ours agree with it
    under THIRD_PARTY_MAPPING on 90.8 %; the rest are mostly taxonomy differences (bath curtains: decor there)."""
    table = pd.read_csv(KEYWORD_RULES)
    names = pd.Series(pd.read_csv(PRACTICUM_UPD)["product"].unique())
    lowered = names.str.lower()
    theirs = pd.DataFrame(
        [(i, category) for category, keyword in zip(table["category"], table["product"])
         for i in np.flatnonzero(lowered.str.contains(keyword.lower(), regex=False))],
        columns=["name", "category"],
    ).drop_duplicates()
    per_name = theirs.groupby("name")["category"].agg(set)
    assert len(per_name) == 2343 and (per_name.map(len) > 1).sum() == 544  # README figures
    single = per_name[per_name.map(len) == 1].map(lambda s: next(iter(s)))
    ours = categorise_names(names, default_rules("ru")).to_numpy()[single.index]
    agree = np.array([mine in THIRD_PARTY_MAPPING[their] for their, mine in zip(single, ours)])
    assert len(single) == 1799
    assert agree.mean() == pytest.approx(0.907727, abs=1e-6)
    assert agree.mean() >= 0.85
    # the third-party table's known false positive: `Ель` (spruce) inside "для белья"
    drier = names[lowered.str.contains("сушилка для белья")]
    assert (categorise_names(drier, default_rules("ru")) == "Хранение и хозяйство").all()


def test_detect_language(practicum, online_retail):
    assert detect_language(practicum["product"]) == "ru"
    assert detect_language(online_retail["product"]) == "en"
    assert detect_language(pd.Series(["Кружка MUG", "Plate"])) == "ru"  # 6 of 14 letters Cyrillic: 43 %
    assert detect_language(pd.Series(["Кружка", "Big white plate", "Tea cup"])) == "en"  # 6 of 25: 24 %
    assert detect_language(pd.Series([], dtype=str)) == "en"
    assert detect_language(pd.Series(["123", None])) == "en"


# ----------------------------------------------------------------------------------------------------------------
# Matching semantics


def test_first_match_wins_in_table_order():
    dryer = "Настенная сушилка для белья"
    specific_first = (Rule("сушилка для белья", "Хранение"), Rule("бель", "Текстиль"))
    assert names_categories([dryer, "Постельное белье"], specific_first) == ["Хранение", "Текстиль"]
    assert names_categories([dryer], specific_first[::-1]) == ["Текстиль"]
    disabled = (Rule("сушилка для белья", "Хранение", enabled=False), Rule("бель", "Текстиль"))
    assert names_categories([dryer], disabled) == ["Текстиль"]
    assert names_categories([dryer], ()) == [OTHER]


def test_case_yo_and_unicode_normalisation():
    rules = (Rule("Ёлка", "Декор"), Rule("led", "Свет", "whole word"), Rule("file", "Папки"))
    names = [
        "ЕЛКА искусственная",
        "ёлочка",  # not "елка"
        "Е\u0308ЛКА новогодняя",  # Е + combining diaeresis, NFKC-composed to Ё
        "Лента ＬＥＤ 5 м",  # fullwidth letters
        "Лампа\u00a0LED\u00a0E27",  # no-break spaces separate words
        "Папка-ﬁle А4",  # the "fi" ligature
    ]
    assert names_categories(names, rules) == ["Декор", OTHER, "Декор", "Свет", "Свет", "Папки"]


def test_match_modes():
    names = ["Сушилка для белья", "Ель голубая", "Ель-ёлка", "Розы красные", "Коврик розовый", "Мороз", "Кель"]
    contains, whole, starts = (Rule("ель", "X", mode) for mode in ("contains", "whole word", "starts with"))
    assert names_categories(names, (contains,)) == ["X", "X", "X", OTHER, OTHER, OTHER, "X"]
    assert names_categories(names, (whole,)) == [OTHER, "X", "X", OTHER, OTHER, OTHER, OTHER]
    assert names_categories(names, (Rule("роз", "R", "starts with"),)) == [OTHER] * 3 + ["R", "R", OTHER, OTHER]
    assert names_categories(names, (starts,)) == [OTHER, "X", "X", OTHER, OTHER, OTHER, OTHER]
    # multi-word and punctuated keywords; a trailing space in contains mode means "word ends here"
    assert names_categories(["T-LIGHT HOLDER", "TLIGHT", "white t-lights"], (Rule("t-light", "L", "whole word"),)) == [
        "L", OTHER, OTHER]
    assert names_categories(["для белья", "ель голубая"], (Rule("ель ", "P"),)) == [OTHER, "P"]
    # regex: RE2 syntax, case-insensitive, on the normalised name
    regex = (Rule(r"\b\d+ ?lights?\b", "L", "regex"),)
    names = ["STRING 20LIGHT", "10 LIGHTS", "LIGHTS", "20 lightsaber"]
    assert names_categories(names, regex) == ["L", "L", OTHER, OTHER]
    assert names_categories(["ЁЖИК", "ежик"], (Rule("^ё", "E", "regex"),)) == ["E", "E"]


def test_regex_cannot_hang():
    """RE2 matches in linear time: Python's re would need ~2^40 steps per name for (a+)+$ on 'a' * 40 + 'b'."""
    rules = (Rule("(a+)+$", "A", "regex"), Rule("x", "X"))
    names = ["a" * 40 + "b", "aaaa", "b" * 100_000 + "x"] + [f"{'a' * 60}b{i}" for i in range(2_000)]
    start = time.perf_counter()
    result = categorise_names(names, rules)
    assert time.perf_counter() - start < 2.0
    assert result.iloc[:3].tolist() == [OTHER, "A", "X"] and (result.iloc[3:] == OTHER).all()
    # what RE2 cannot run safely is rejected up front
    unsafe = (Rule("(?<=a)b", "A", "regex"), Rule("(a{1000}){1000}", "A", "regex"), Rule("a" * 201, "A", "regex"))
    assert validate_rules(unsafe) == [
        "rows 1 (invalid perl operator: (?<=), 2 (invalid repetition size: {1000}): "
        "invalid regular expression (RE2 syntax)",
        "row 3: keyword is longer than 200 characters",
    ]


def test_categorise_maps_unique_names_back_to_lines():
    products = pd.Series(["Тарелка", None, "Кружка", "Тарелка", "Ваза"], index=[10, 11, 12, 13, 14])
    rules = (
        Rule("тарелк", "Кухня"), Rule("кружк", "Кухня"), Rule("ваз", "Декор"), Rule("свеч", "Декор", enabled=False)
    )
    result = categorise(products, rules)
    assert result.index.tolist() == [10, 11, 12, 13, 14] and result.name == "category"
    assert result.tolist() == ["Кухня", OTHER, "Кухня", "Кухня", "Декор"]
    assert result.cat.categories.tolist() == ["Кухня", "Декор", OTHER]
    by_name = categorise_names(products, rules)
    assert by_name.index.tolist() == ["Тарелка", "Кружка", "Ваза"] and by_name.index.name == "product"
    assert categorise(pd.Series([], dtype=str), rules).tolist() == []


def test_matching_rules_lists_cross_category_conflicts():
    rules = (
        Rule("сушилка для белья", "Хранение"),
        Rule("бель", "Текстиль"),
        Rule("ель", "Растения"),
        Rule("постельн", "Текстиль"),
        Rule("ель", "Растения", "whole word", enabled=False),
    )
    names = ["Сушилка для белья", "Постельное белье", "Ель голубая", "Кружка"]
    conflicts = matching_rules(names, rules)
    assert conflicts.to_dict("records") == [
        {
            "product": "Сушилка для белья",
            "rules": [1, 2, 3],
            "keywords": ["сушилка для белья", "бель", "ель"],
            "categories": ["Хранение", "Текстиль", "Растения"],
            "winner": 1,
            "category": "Хранение",
        },
        {
            "product": "Постельное белье",
            "rules": [2, 3, 4],
            "keywords": ["бель", "ель", "постельн"],
            "categories": ["Текстиль", "Растения"],
            "winner": 2,
            "category": "Текстиль",
        },
    ]
    none = matching_rules(["Кружка"], rules)
    assert none.empty and none.columns.tolist() == ["product", "rules", "keywords", "categories", "winner", "category"]


def test_matching_rules_winner_agrees_with_categorise(practicum):
    rules = default_rules("ru")
    conflicts = matching_rules(practicum["product"], rules)
    assert len(conflicts) == 766
    assert (conflicts["winner"] == conflicts["rules"].str[0]).all()
    expected = categorise_names(conflicts["product"], rules)
    assert conflicts["category"].tolist() == expected.tolist()


# ----------------------------------------------------------------------------------------------------------------
# Validation, tables and CSV


def test_validation_lists_offending_rows():
    frame = pd.DataFrame(
        [
            ("елка", "Декор", "contains", True),
            ("  ", "Декор", "contains", True),
            ("ваза", "!!!", "contains", True),
            ("ЁЛКА", "Декор", "", True),
            ("тарелк", "Кухня", "exact", True),
            ("(?<=a)b", "Кухня", "regex", True),
            ("плед", "Текстиль", "contains", "maybe"),
            ("штор", "текстиль", "whole-word", "no"),
            (None, None, None, None),
            ("плед", "Текстиль", "starts_with", 1),
        ],
        columns=["Keyword", "Category", "Mode", "Enabled"],
    )
    with pytest.raises(InputError) as error:
        rules_from_frame(frame)
    assert str(error.value) == (
        "Fix the category rules: row 2: keyword is empty; "
        "row 3 ('!!!'): category must be 1-40 characters (letters, digits, spaces and & , . ' ( ) / + -) "
        "starting with a letter or digit; "
        "row 4 (same as row 1): duplicate rule (same keyword and match mode); "
        "row 5 ('exact'): unknown match mode; use one of: contains, whole word, starts with, regex; "
        "row 6 (invalid perl operator: (?<=): invalid regular expression (RE2 syntax); "
        "row 8 ('текстиль' vs 'Текстиль' in row 7): category differs from another only in letter case; "
        "row 7 ('maybe'): enabled must be true or false."
    )
    fixed = frame.drop(index=[1, 2, 3, 4, 5]).assign(
        Enabled=[True, "yes", "no", None, 1], Category=["Декор", "Текстиль", "Текстиль", None, "Текстиль"]
    )
    assert rules_from_frame(fixed) == (
        Rule("елка", "Декор"),
        Rule("плед", "Текстиль"),
        Rule("штор", "Текстиль", "whole word", False),
        Rule("плед", "Текстиль", "starts with"),
    )
    with pytest.raises(InputError, match="needs columns keyword and category"):
        rules_from_frame(pd.DataFrame({"word": ["x"]}))
    many = tuple(Rule("", "X") for _ in range(12))
    assert validate_rules(many) == ["rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more: keyword is empty"]
    assert validate_rules((Rule("x", ""),)) == ["row 1: category is empty"]
    with pytest.raises(InputError, match="row 2 \\(same as row 1\\): duplicate"):
        categorise(pd.Series(["x"]), (Rule("Ёж", "A"), Rule("ёж", "B")))


def test_frame_and_csv_round_trip():
    rules = default_rules("ru")[:5] + (Rule("ель ", "Растения", "whole word", False), Rule(r"\d+ ?l", "L", "regex"))
    frame = rules_to_frame(rules)
    assert frame.columns.tolist() == ["keyword", "category", "mode", "enabled"]
    assert frame["enabled"].dtype == bool and frame["enabled"].tolist() == [True] * 5 + [False, True]
    assert rules_from_frame(frame) == rules
    data = rules_to_csv(rules)
    assert data.startswith(b"keyword,category,mode,enabled\n")
    assert "ель ,Растения,whole word,false\n" in data.decode("utf-8")
    assert rules_from_csv(data) == rules
    for language in LANGUAGES:
        assert rules_from_csv(rules_to_csv(default_rules(language))) == default_rules(language)
    excel = "\ufeffkeyword;category;mode;enabled\r\nтарелк;Кухня;;ИСТИНА\r\nкружк;Кухня;contains;FALSE\r\n"
    with pytest.raises(InputError, match="row 1 \\('ИСТИНА'\\): enabled must be true or false"):
        rules_from_csv(excel.encode("utf-8"))
    excel = excel.replace("ИСТИНА", "TRUE")
    assert rules_from_csv(excel.encode("utf-8")) == (Rule("тарелк", "Кухня"), Rule("кружк", "Кухня", enabled=False))
    russian_excel = "keyword;category;mode;enabled\r\nтарелк;Кухня;;TRUE\r\nёлк;Декор;whole word;FALSE\r\n"
    assert rules_from_csv(russian_excel.encode("cp1251")) == (Rule("тарелк", "Кухня"),
                                                             Rule("ёлк", "Декор", "whole word", enabled=False))
    assert rules_from_csv(("sep=;\r\n" + russian_excel).encode("utf-16")) == rules_from_csv(
        russian_excel.encode("cp1251"))
    with pytest.raises(InputError, match="not readable text"):
        rules_from_csv(bytes(range(256)) * 8)
    with pytest.raises(InputError, match="empty"):
        rules_from_csv(b"")
    assert rules_to_frame(()).shape == (0, 4) and rules_from_csv(b"keyword,category\n") == ()


# ----------------------------------------------------------------------------------------------------------------
# Summaries


@pytest.fixture
def lines() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["a", "a", "a", "b", "b", "c", "d", "d"],
            "order_id": ["1", "1", "2", "3", "3", "4", "5", "6"],
            "product": ["Тарелка", "Ваза", "Тарелка", "Ваза", "Ваза зелёная", "Кружка", "Штора", "Штора"],
            "revenue": [60.0, 30.0, 10.0, 50.0, 50.0, 0.0, 40.0, -40.0],
            "category": pd.Categorical(["Кухня", "Декор", "Кухня", "Декор", "Декор", OTHER, OTHER, OTHER]),
        }
    )


def test_coverage_summary(lines):
    assert coverage(lines) == {
        "coverage_rows": 5 / 8,
        "coverage_revenue": 1.0,
        "coverage_names": 3 / 5,
        "by_category": {
            "Декор": {"rows": 3, "revenue": 130.0},
            "Кухня": {"rows": 2, "revenue": 70.0},
            OTHER: {"rows": 3, "revenue": 0.0},
        },
    }
    known = lines[lines["category"] != OTHER]
    assert coverage(known)["by_category"][OTHER] == {"rows": 0, "revenue": 0.0}
    assert coverage(lines.iloc[:0]) | {"by_category": None} == {
        "coverage_rows": 0.0, "coverage_revenue": 0.0, "coverage_names": 0.0, "by_category": None}


def test_category_summary(lines):
    summary = category_summary(lines)
    assert summary.index.tolist() == ["Декор", "Кухня", OTHER]
    assert summary["rows"].tolist() == [3, 2, 3]
    assert summary["orders"].tolist() == [2, 2, 3]
    assert summary["customers"].tolist() == [2, 1, 2]
    assert summary["revenue_share"].tolist() == pytest.approx([0.65, 0.35, 0.0])


def test_uncategorised_and_frequent_words(lines):
    table = uncategorised(lines)
    assert table.to_dict("list") == {"product": ["Штора", "Кружка"], "rows": [2, 1], "revenue": [0.0, 0.0]}
    names = pd.Series(["Урна уличная стальная 40 л", "Урна-пепельница из стали", "Корыто оцинкованное 45 л", "Ёршик"])
    words = frequent_words(names, top=3, revenue=pd.Series([7000.0, 5000.0, 9000.0, 100.0]))
    assert words.to_dict("list") == {
        "word": ["урна", "корыто", "оцинкованное"], "names": [2, 1, 1], "revenue": [12000.0, 9000.0, 9000.0]
    }
    plain = frequent_words(names)
    assert plain.columns.tolist() == ["word", "names"] and plain.iloc[0].tolist() == ["урна", 2]
    assert "ершик" in plain["word"].tolist() and "из" not in plain["word"].tolist() and len(plain) == 8


def test_category_spend_shares(lines):
    tie = pd.DataFrame(
        {"customer_id": ["e", "e"], "order_id": ["7", "7"], "product": ["Тарелка", "Ваза"],
         "revenue": [25.0, 25.0], "category": ["Кухня", "Декор"]}
    )
    shares = category_spend_shares(pd.concat([lines.astype({"category": str}), tie], ignore_index=True))
    assert shares.index.name == "customer_id" and shares.index.tolist() == ["a", "b", "c", "d", "e"]
    assert shares.columns.tolist() == [OTHER, "Декор", "Кухня", "dominant_category"]
    assert shares.loc["a", ["Декор", "Кухня", OTHER]].tolist() == pytest.approx([0.3, 0.7, 0.0])
    assert shares.loc["b", "Декор"] == 1.0
    categories = shares.drop(columns="dominant_category")
    assert categories.loc[["a", "b", "e"]].sum(axis=1).tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert categories.loc[["c", "d"]].sum(axis=1).tolist() == [0.0, 0.0]  # no positive spend
    dominant = shares["dominant_category"]
    assert dominant.loc[["a", "b", "e"]].tolist() == ["Кухня", "Декор", "Декор"]  # e: tie, "Декор" < "Кухня"
    assert dominant.loc[["c", "d"]].isna().all()


# ----------------------------------------------------------------------------------------------------------------
# Editing helpers of the Categories page

from core.categories import append_rule, explain_conflicts, rules_from_editor, rules_to_editor_frame  # noqa: E402

FIVE = tuple(Rule(k, c) for k, c in [("a1", "A"), ("b2", "B"), ("c3", "C"), ("d4", "D"), ("e5", "E")])


def keywords_after(edit) -> list[str]:
    table = rules_to_editor_frame(FIVE)
    edit(table)
    return [rule.keyword for rule in rules_from_editor(table)]


def test_editor_frame_round_trip_and_priority_moves():
    table = rules_to_editor_frame(FIVE)
    assert table.columns.tolist() == ["priority", "keyword", "category", "mode", "enabled"]
    assert table["priority"].tolist() == [1, 2, 3, 4, 5]
    assert rules_from_editor(table) == FIVE
    assert keywords_after(lambda t: t.__setitem__("priority", [1, 2, 3, 4, 1])) == ["e5", "a1", "b2", "c3", "d4"]
    assert keywords_after(lambda t: t.__setitem__("priority", [4, 2, 3, 4, 5])) == ["b2", "c3", "d4", "a1", "e5"]
    assert keywords_after(lambda t: t.__setitem__("priority", [9, 2, 3, 4, 5])) == ["b2", "c3", "d4", "e5", "a1"]
    assert keywords_after(lambda t: t.__setitem__("priority", [1, 2, 3, 2, 2])) == ["a1", "d4", "e5", "b2", "c3"]


def test_editor_rows_added_and_deleted_like_st_data_editor():
    table = rules_to_editor_frame(FIVE).drop(index=[1])         # the editor keeps the labels of the other rows
    table.loc[5] = [np.nan, "new", "N", "contains", True]       # added rows are numbered on from the end
    table.loc[6] = [2, "top", "T", "whole word", False]
    table.loc[7] = [np.nan, "", None, None, True]               # a blank added row is skipped
    rules = rules_from_editor(table)
    assert [r.keyword for r in rules] == ["a1", "top", "c3", "d4", "e5", "new"]
    assert rules[1] == Rule("top", "T", "whole word", False)


def test_editor_errors_name_table_rows():
    table = rules_to_editor_frame(FIVE)
    table.loc[1, "priority"] = 5
    table.loc[4, "category"] = ""
    table.loc[5] = [1, "a1", "A", "contains", True]
    with pytest.raises(InputError, match=r"row 5: category is empty; row 6 \(same as row 1\): duplicate rule"):
        rules_from_editor(table)


def test_append_rule():
    rules = append_rule(FIVE, " f6 ", " F ")
    assert rules == (*FIVE, Rule("f6", "F", "starts with"))
    assert append_rule((), "x", "X", "regex") == (Rule("x", "X", "regex"),)
    with pytest.raises(InputError, match=r"Cannot add the rule: row 6 \(same as row 1\): duplicate rule"):
        append_rule(FIVE, "A1", "Z", "contains")
    with pytest.raises(InputError, match="row 6: keyword is empty"):
        append_rule(FIVE, "  ", "Z")
    with pytest.raises(InputError, match=r"row 6 \('a' vs 'A' in row 1\): category differs"):
        append_rule(FIVE, "q", "a")


def test_explain_conflicts():
    rules = (Rule("сушилка для белья", "Хранение"), Rule("бель", "Текстиль"), Rule("ель", "Растения"),
             Rule("постельн", "Текстиль"))
    names = ["Сушилка для белья", "Постельное белье", "Ель голубая", "Кружка"]
    lines = pd.DataFrame({"product": names + ["Постельное белье"], "revenue": [100.0, 80.0, 50.0, 10.0, 70.0]})
    table = explain_conflicts(matching_rules(names, rules), rules, lines)
    assert table.to_dict("records") == [
        {"product": "Постельное белье", "revenue": 150.0, "category": "Текстиль", "winner": "#2 бель (contains)",
         "others": "#3 ель (contains) → Растения"},
        {"product": "Сушилка для белья", "revenue": 100.0, "category": "Хранение",
         "winner": "#1 сушилка для белья (contains)",
         "others": "#2 бель (contains) → Текстиль; #3 ель (contains) → Растения"},
    ]
    empty = explain_conflicts(matching_rules(["Кружка"], rules), rules, lines)
    assert empty.empty and empty.columns.tolist() == ["product", "revenue", "category", "winner", "others"]
