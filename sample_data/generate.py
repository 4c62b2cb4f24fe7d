"""Seeded generator of a synthetic order export of a Russian home-goods online store.

The output has the store's export schema (one row per order line)::

    date,customer_id,order_id,product,quantity,price
    2023040221,ba614d88-8ab0-4a37-aa65-1499d5adc5be,101345,Рассада томата Розовый мёд в кассете 4 шт,1,46.5

* ``date`` is the order hour as text ``YYYYMMDDHH`` (kept as text because two rows are deliberately unparseable);
* ``customer_id`` is a UUID-like string, ``order_id`` an integer, ``quantity`` an integer, ``price`` roubles.

Behaviour modelled: 14 months (2022-10-01 .. 2023-11-30) with a strong spring peak of seedlings and plants,
more orders on weekdays and in daytime, ~30 % repeat buyers plus a few loyal customers with 5-15 orders,
1-5 lines per order, pack-size quantities for seedlings and small items, rare bulk quantities, a price
indexation on 2023-06-01 and occasional promo discounts.

On top of the clean rows a fixed, small number of messy rows is planted (see ``MESSY_ROWS``) so a cleaning
report has something to show. Their counts do not grow with ``rows``.

Everything is vectorised numpy, so ``generate(rows=1_000_000)`` takes a few seconds. The same seed gives the
same DataFrame and, through ``write_csv``, the same bytes.

Usage: ``python sample_data/generate.py [--rows N] [--seed S] [--out PATH]``.
"""
from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_OUT = Path(__file__).resolve().parent / "orders.csv"
COLUMNS = ["date", "customer_id", "order_id", "product", "quantity", "price"]

PERIOD_START = np.datetime64("2022-10-01", "D")
PERIOD_END = np.datetime64("2023-11-30", "D")  # inclusive
PRICE_INDEXATION_DATE = np.datetime64("2023-06-01", "D")
PRICE_INDEXATION = 1.08  # every price goes up 8 % from PRICE_INDEXATION_DATE
PROMO_SHARE, PROMO_DISCOUNT = 0.05, 0.10  # 5 % of lines are sold 10 % off
FIRST_ORDER_ID = 100_001

# Messy rows planted into every output, by kind. The counts are fixed whatever the size of the output.
MESSY_ROWS = {
    "exact_duplicates": 12,  # a line repeated verbatim (extra copies)
    "later_hour_repeats": 8,  # the same customer/order/product/quantity/price again 1-5 hours later (extra copies)
    "shared_order_ids": 3,  # order ids that carry lines of two different customers
    "returns": 5,  # negative quantity
    "zero_quantity": 2,
    "zero_price": 2,
    "empty_customer_id": 3,
    "unparseable_dates": 2,  # BAD_DATES below instead of YYYYMMDDHH
    "quantity_1000": 1,  # a typo-like 1000 of a cheap product; clean quantities stay <= MAX_BULK_QUANTITY
}
BAD_DATES = ["2023-13-45", "n/a"]
MAX_BULK_QUANTITY = 100

# Customers: how many orders each one places in the period. P(1 order) ~ 0.69, so ~30 % are repeat buyers;
# "loyal" customers (1 %) place LOYAL_ORDERS_RANGE orders.
ORDERS_PER_CUSTOMER = np.array([1, 2, 3, 4])
ORDERS_PER_CUSTOMER_P = np.array([0.70, 0.18, 0.08, 0.04])
LOYAL_SHARE = 0.01
LOYAL_ORDERS_RANGE = (5, 15)  # inclusive

LINES_PER_ORDER = np.array([1, 2, 3, 4, 5])
LINES_PER_ORDER_P = np.array([0.46, 0.22, 0.15, 0.10, 0.07])
MAIN_GROUP_SHARE = 0.7  # a line comes from the order's main product group with this probability
BULK_LINE_SHARE = 0.005  # lines of cheap products (under CHEAP_PRICE) with a bulk quantity of 20..MAX_BULK_QUANTITY
CHEAP_PRICE = 300
TYPO_PRICE = 100  # the quantity-1000 line costs under 100 000 in all
SPRING_MONTHS = (3, 4, 5)
REPEATED_PICK_LOSS = 0.02  # share of drawn lines dropped because the order already has that product (measured)

# Order hour (0..23) weights and weekday (Mon..Sun) factors.
HOUR_WEIGHTS = np.array([0.30, 0.15, 0.10, 0.08, 0.08, 0.15, 0.40, 0.90, 1.50, 2.20, 2.80, 3.00,
                         3.00, 2.90, 2.80, 2.70, 2.50, 2.40, 2.30, 2.40, 2.40, 2.00, 1.30, 0.70])
WEEKDAY_FACTORS = np.array([1.15, 1.15, 1.12, 1.10, 1.05, 0.80, 0.70])


@dataclass(frozen=True)
class ProductLine:
    """A family of products: ``pattern`` filled with every combination of ``variants``.

    ``variants[0]`` is ordered from the cheapest to the dearest variant; it places each product's price inside
    ``price_range`` (roubles), the other variants only add noise.
    """

    pattern: str
    variants: tuple[tuple[str, ...], ...]
    price_range: tuple[float, float]


@dataclass(frozen=True)
class ProductGroup:
    """A product group with its share of demand, monthly seasonality and typical quantity per line."""

    share: float  # relative share of order lines over a year
    seasonality: tuple[float, ...]  # demand factor for January..December
    single_item_p: float  # P(quantity == 1); quantities are geometric with this parameter
    lines: tuple[ProductLine, ...]


def _line(pattern: str, price_range: tuple[float, float], *variants: tuple[str, ...]) -> ProductLine:
    return ProductLine(pattern, variants, price_range)


PRODUCT_GROUPS: dict[str, ProductGroup] = {
    "seedlings": ProductGroup(0.14, (0, 0.3, 1.8, 3.2, 2.6, 0.6, 0, 0, 0, 0, 0, 0), 0.45, (
        _line("Рассада томата {1} в кассете {0} шт", (40, 138), ("4", "6"),
              ("Бычье сердце", "Черри красный", "Де Барао", "Розовый мёд", "Санька", "Пётр Великий",
               "Жёлтая капля")),
        _line("Рассада огурца {1} d-{0} см", (35, 100), ("8", "10"), ("Герман", "Кураж", "Зозуля", "Родничок")),
        _line("Рассада перца {1} в кассете {0} шт", (40, 130), ("4", "6"),
              ("Калифорнийское чудо", "Ласточка", "Биг Мама", "Жёлтый букет")),
        _line("Рассада капусты {1} кассета {0} шт", (45, 120), ("6", "9"),
              ("белокочанной Слава", "цветной Снежок", "брокколи Тонус")),
        _line("Рассада клубники {1} d-{0} см", (50, 138), ("7", "9"), ("Виктория", "Клери", "Альбион", "Мара де Буа")),
        _line("Рассада {1} в горшке d-{0} см", (18, 90), ("7", "9"),
              ("базилика зелёного", "базилика фиолетового", "мяты перечной", "мелиссы", "тимьяна")),
        _line("Петуния ампельная {1} d-{0} см", (60, 138), ("9", "12"),
              ("розовая", "белая", "фиолетовая", "красная", "жёлтая")),
        _line("Бархатцы {1} в кассете {0} шт", (30, 90), ("4", "6"), ("оранжевые", "жёлтые", "махровые")),
        _line("Виола {1} в кассете {0} шт", (35, 100), ("4", "6"), ("жёлтая", "синяя", "микс")),
    )),
    "houseplants": ProductGroup(0.16, (0.5, 0.7, 1.7, 2.2, 1.8, 1.0, 0.7, 0.7, 0.8, 0.8, 0.6, 0.7), 0.75, (
        _line("Пеларгония зональная d-{0} см {1}", (120, 350), ("9", "12"),
              ("розовая", "красная", "белая", "лососевая", "фиолетовая")),
        _line("Фикус Бенджамина d-{0} см", (250, 1400), ("12", "17", "21")),
        _line("Фикус каучуконосный {1} d-{0} см", (300, 1300), ("12", "17"), ("Робуста", "Абиджан", "Тинеке")),
        _line("Спатифиллум {1} d-{0} см", (250, 1100), ("12", "17"), ("Шопен", "Сенсация", "Алана")),
        _line("Орхидея Фаленопсис {1} d-{0} см", (500, 1500), ("9", "12"), ("белая", "розовая", "жёлтая", "сиреневая")),
        _line("Алоэ вера d-{0} см", (120, 450), ("9", "12", "14")),
        _line("Хлорофитум {1} d-{0} см", (90, 300), ("9", "12"), ("зелёный", "пёстрый")),
        _line("Замиокулькас d-{0} см", (450, 1500), ("12", "17")),
        _line("Калатея {1} d-{0} см", (350, 900), ("12", "14"), ("Медальон", "Лансифолия", "Макояна")),
        _line("Монстера деликатесная d-{0} см", (700, 1500), ("14", "19")),
        _line("Каланхоэ Каландива {1} d-{0} см", (130, 350), ("9", "12"), ("красное", "жёлтое", "розовое")),
        _line("Фиалка узамбарская {0} d-9 см", (110, 250), ("синяя", "белая", "розовая", "махровая")),
        _line("Кактус микс d-{0} см", (90, 250), ("5", "7")),
        _line("Цикламен персидский {1} d-{0} см", (250, 600), ("9", "12"), ("красный", "белый", "розовый")),
        _line("Розмарин d-{0} см", (150, 350), ("9", "12")),
        _line("Лаванда узколистная d-{0} см", (150, 380), ("9", "12")),
        _line("Драцена Маргината d-{0} см", (350, 1200), ("12", "17")),
        _line("Пуансеттия d-{0} см {1}", (300, 700), ("12", "14"), ("красная", "белая")),
    )),
    "garden": ProductGroup(0.10, (0.3, 0.6, 1.4, 2.0, 1.9, 1.3, 0.9, 0.8, 0.7, 0.5, 0.3, 0.3), 0.70, (
        _line("Семена {1} {0}", (15, 60), ("Поиск", "Аэлита", "СеДеК", "Гавриш"),
              ("моркови Нантская", "укропа Грибовский", "огурца Муромский", "редиса Жара", "петрушки кудрявой",
               "томата Бычье сердце", "свёклы Бордо")),
        _line("Грунт универсальный {1} {0} л", (120, 650), ("10", "25", "50"), ("Терра Вита", "Фаско", "Морозко")),
        _line("Грунт для {1} {0} л", (60, 250), ("2,5", "5"), ("орхидей", "кактусов", "рассады", "фиалок")),
        _line("Лейка {1} {0} л", (150, 700), ("1,5", "5", "10"),
              ("пластиковая зелёная", "пластиковая синяя", "оцинкованная")),
        _line("Шланг поливочный {1} {0} м", (500, 2600), ("15", "20", "30"), ("d-12 мм", "d-19 мм")),
        _line("Секатор {0} {1}", (300, 2200), ("Palisad", "Grinda", "Gardena", "Fiskars"),
              ("плоскостной", "контактный")),
        _line("Перчатки садовые {0}", (45, 180), ("хлопковые", "нитриловые", "с ПВХ-точкой")),
        _line("Опрыскиватель ручной {0} л", (250, 700), ("1", "1,5", "2")),
        _line("Кашпо {1} d-{0} см", (150, 1200), ("14", "18", "24"),
              ("керамическое белое", "пластиковое терракотовое", "плетёное")),
    )),
    "kitchen": ProductGroup(0.14, (0.9, 0.9, 1.0, 1.0, 0.9, 0.9, 0.9, 0.9, 1.0, 1.1, 1.2, 1.5), 0.80, (
        _line("Тарелка {1} {0} см {2}", (120, 450), ("20", "23", "26"), ("обеденная", "глубокая"),
              ("Luminarc", "Kutahya", "Fiore")),
        _line("Кастрюля эмалированная {0} л {1}", (700, 2800), ("2", "3", "4,5"),
              ("Appetite", "Лысьва", "Kitchen Art")),
        _line("Сковорода {1} {0} см {2}", (600, 3500), ("20", "24", "26", "28"), ("антипригарная", "чугунная"),
              ("Tefal", "Rondell", "Kukmara")),
        _line("Кружка {1} {0} мл", (120, 450), ("250", "350", "450"),
              ("фарфоровая белая", "керамическая с рисунком", "стеклянная")),
        _line("Нож {1} {0}", (200, 2200), ("Fackelmann", "Tramontina", "Victorinox"),
              ("поварской", "для овощей", "хлебный", "филейный")),
        _line("Доска разделочная {1} {0} см", (150, 800), ("25х15", "30х20", "40х25"), ("бамбуковая", "пластиковая")),
        _line("Тёрка четырёхгранная {0}", (200, 600), ("Attribute", "Fackelmann")),
        _line("Набор столовых приборов на {0}", (900, 3500), ("4 персоны", "6 персон", "12 персон")),
        _line("Чайник заварочный {0} мл", (350, 1200), ("600", "800", "1000")),
    )),
    "textiles": ProductGroup(0.08, (1.0, 0.9, 0.9, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.2, 1.3, 1.4), 0.85, (
        _line("Полотенце махровое {0} см {1}", (120, 900), ("30х50", "50х90", "70х140"),
              ("белое", "бежевое", "голубое", "серое", "зелёное")),
        _line("Скатерть {1} {0} см", (400, 1900), ("120х140", "140х180", "150х220"),
              ("льняная", "хлопковая", "водоотталкивающая")),
        _line("Плед {1} {0} см {2}", (600, 3000), ("130х150", "150х200", "200х220"), ("флисовый", "велсофт"),
              ("бежевый", "серый", "тёмно-синий")),
        _line("Подушка {1} {0} см", (400, 1600), ("50х70", "70х70"), ("бамбуковая", "пуховая", "холлофайбер")),
        _line("Постельное бельё {0} {1}", (1200, 4800), ("1,5-спальное", "2-спальное", "евро"),
              ("бязь", "поплин", "сатин")),
        _line("Одеяло {1} {0} см", (900, 3200), ("140х205", "172х205", "200х220"), ("всесезонное", "облегчённое")),
    )),
    "storage": ProductGroup(0.14, (1.0, 1.0, 1.2, 1.2, 1.1, 1.0, 0.9, 0.9, 1.0, 1.0, 1.0, 1.0), 0.75, (
        _line("Корзина для белья {1} {0} л", (300, 1500), ("35", "50", "60"), ("пластиковая", "плетёная", "складная")),
        _line("Контейнер для хранения {0} л с крышкой", (150, 900), ("5", "10", "20", "45")),
        _line("Контейнер для продуктов {0} л {1}", (90, 500), ("0,5", "1", "1,5"), ("стеклянный", "пластиковый")),
        _line("Вешалка-плечики {1} {0} шт", (40, 450), ("1", "3", "5"), ("деревянная", "пластиковая", "бархатная")),
        _line("Вешалка для брюк {0}", (60, 200), ("металлическая", "с зажимами")),
        _line("Сушилка для белья {1} {0}", (800, 4500), ("Nika", "Gimi", "Leifheit"),
              ("напольная", "настенная", "потолочная")),
        _line("Швабра {1} {0}", (300, 2500), ("York", "Vileda", "Leifheit"), ("с отжимом", "плоская", "для окон")),
        _line("Ведро {1} {0} л", (100, 700), ("5", "10", "12"), ("пластмассовое", "оцинкованное", "с отжимом")),
        _line("Таз пластмассовый {0} л", (120, 400), ("10", "20", "30")),
        _line("Гладильная доска {1} {0} см", (1500, 5000), ("110х30", "120х38", "130х45"), ("Nika", "Colombo")),
        _line("Набор прищепок {0} шт", (60, 200), ("20", "24", "36")),
        _line("Чехол для гладильной доски {0} см", (200, 700), ("120х38", "130х50")),
    )),
    "bathroom": ProductGroup(0.07, (1.0,) * 12, 0.90, (
        _line("Коврик для ванной {0} см {1}", (250, 1200), ("40х60", "50х80", "60х90"),
              ("бежевый", "серый", "голубой", "зелёный")),
        _line("Штора для ванной {1} {0} см", (300, 1500), ("180х180", "180х200", "240х200"),
              ("полиэстер", "PEVA", "с рисунком")),
        _line("Дозатор для жидкого мыла {0}", (150, 900), ("пластиковый", "керамический", "стеклянный", "нержавеющий")),
        _line("Ёршик для унитаза {0}", (90, 700), ("пластиковый", "с подставкой", "напольный")),
        _line("Мыльница {0}", (80, 400), ("пластиковая", "на присоске", "керамическая")),
        _line("Полка для ванной {0}", (350, 1800), ("настенная", "угловая", "двухъярусная")),
        _line("Карниз для ванной {0} см", (350, 1200), ("170", "200", "260")),
    )),
    "decor": ProductGroup(0.08, (0.8, 1.1, 1.1, 0.9, 0.9, 0.8, 0.8, 0.8, 0.9, 1.0, 1.4, 2.2), 0.80, (
        _line("Ваза {1} h-{0} см", (300, 2000), ("20", "25", "30"),
              ("стеклянная", "керамическая белая", "керамическая синяя")),
        _line("Рамка для фото {0} см {1}", (90, 600), ("10х15", "15х21", "21х30"), ("белая", "чёрная", "дерево")),
        _line("Свеча {0} {1}", (80, 700), ("столбик", "ароматическая в стакане"), ("ваниль", "лаванда", "хвоя")),
        _line("Искусственные цветы {1} {0}", (120, 900), ("ветка", "букет"),
              ("роза красная", "пион розовый", "гортензия белая", "лаванда")),
        _line("Часы настенные {1} d-{0} см", (600, 2500), ("25", "30", "35"), ("белые", "чёрные", "под дерево")),
        _line("Гирлянда светодиодная {0} м {1}", (250, 1100), ("3", "5", "10"), ("тёплый белый", "мультиколор")),
        _line("Подсвечник {0}", (150, 600), ("стеклянный", "металлический")),
    )),
    "bags": ProductGroup(0.04, (0.7, 0.7, 0.9, 1.2, 1.4, 1.4, 1.3, 1.2, 1.0, 0.8, 0.7, 0.7), 0.95, (
        _line("Сумка-тележка {1} {0} {2}", (1000, 4600), ("складная", "на двух колёсах", "трёхколёсная"),
              ("Перфекто", "Gimi", "Rolser"), ("синяя", "красная", "чёрная")),
        _line("Хозяйственная сумка {0} {1}", (150, 700), ("складная", "на молнии", "большая"),
              ("синяя", "в клетку", "серая")),
    )),
    "repair": ProductGroup(0.05, (0.8, 0.8, 1.0, 1.2, 1.3, 1.2, 1.1, 1.1, 1.0, 0.9, 0.8, 0.7), 0.70, (
        _line("Стремянка {1} {0}", (1500, 5000), ("3 ступени", "4 ступени", "5 ступеней", "6 ступеней"),
              ("стальная", "алюминиевая")),
        _line("Набор отвёрток {1} {0} предметов", (300, 1600), ("6", "8", "12"), ("Stayer", "Зубр", "Kraftool")),
        _line("Крепёж {1} {0} шт", (50, 450), ("20", "50", "100"),
              ("саморезы 3,5х25 мм", "дюбель-гвоздь 6х40 мм", "уголок мебельный 20х20 мм")),
        _line("Молоток слесарный {0} г", (250, 900), ("300", "500", "800")),
        _line("Рулетка {0} м", (150, 600), ("3", "5", "10")),
        _line("Изолента ПВХ 19 мм {0}", (40, 80), ("синяя", "чёрная", "красная")),
        _line("Клей монтажный {0}", (200, 450), ("Момент", "Титан")),
    )),
}
PLANT_GROUPS = ("seedlings", "houseplants")


def product_catalogue() -> pd.DataFrame:
    """Every product name with its group and price band: columns ``group, product, price_low, price_high``.

    ``price_low``/``price_high`` narrow the line's ``price_range`` to this product's slot of ``variants[0]``.
    The catalogue does not depend on the seed; only the prices drawn inside the band do.
    """
    records = []
    for group_name, group in PRODUCT_GROUPS.items():
        for line in group.lines:
            low, high = line.price_range
            step = (high / low) ** (1 / len(line.variants[0]))
            for combo in itertools.product(*(range(len(v)) for v in line.variants)):
                name = line.pattern.format(*(v[i] for v, i in zip(line.variants, combo)))
                band_low = low * step ** combo[0]
                records.append((group_name, name, band_low, band_low * step))
    return pd.DataFrame.from_records(records, columns=["group", "product", "price_low", "price_high"])


def _shop_round(price: np.ndarray) -> np.ndarray:
    """Round like the store does: to 50 kopecks under 100 roubles, to whole roubles above."""
    return np.where(price < 100, np.round(price * 2) / 2, np.round(price))


def _uuid_strings(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` random version-4 UUID strings (``8-4-4-4-12`` lowercase hex), formatted without a Python loop."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    hex_digits = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
    nibbles = np.stack([raw >> 4, raw & 0x0F], axis=2).reshape(n, 32)
    chars = hex_digits[nibbles]
    dash = np.full((n, 1), ord("-"), dtype=np.uint8)
    text = np.hstack([chars[:, :8], dash, chars[:, 8:12], dash, chars[:, 12:16], dash, chars[:, 16:20], dash,
                      chars[:, 20:]])
    return text.view("S36").ravel().astype(str)


def _expected_lines_per_customer() -> float:
    """Mean order lines per customer implied by the order and line distributions."""
    loyal_mean = sum(LOYAL_ORDERS_RANGE) / 2
    orders = (1 - LOYAL_SHARE) * ORDERS_PER_CUSTOMER @ ORDERS_PER_CUSTOMER_P + LOYAL_SHARE * loyal_mean
    return orders * (LINES_PER_ORDER @ LINES_PER_ORDER_P) * (1 - REPEATED_PICK_LOSS)


def _draw_rows(cdf: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse-CDF draw: for each row ``i`` the index ``k`` with ``cdf[i, k-1] <= u[i] < cdf[i, k]``."""
    return np.minimum((u[:, None] >= cdf).sum(axis=1), cdf.shape[1] - 1)


def _clean_lines(customers: int, rng: np.random.Generator, catalogue: pd.DataFrame) -> pd.DataFrame:
    """Clean order lines: columns ``hour`` (hours since PERIOD_START), ``customer``, ``order_id``, ``product``
    (catalogue index), ``quantity``, ``price``; sorted by hour, order id and line."""
    group_names = list(PRODUCT_GROUPS)
    groups = list(PRODUCT_GROUPS.values())

    # Demand per (calendar month, group) and per day.
    group_month = np.array([[g.share * g.seasonality[m] for g in groups] for m in range(12)])
    days = np.arange(PERIOD_START, PERIOD_END + 1)
    day_month = days.astype("datetime64[M]").astype(int) % 12
    day_weekday = (days.astype(int) + 3) % 7  # 1970-01-01 was a Thursday
    trend = np.linspace(0.9, 1.1, len(days))  # the shop grows a little
    day_weights = (group_month.sum(axis=1)[day_month] * WEEKDAY_FACTORS[day_weekday] * trend
                   * rng.gamma(20, 1 / 20, len(days)))

    # Orders: how many per customer, then when.
    loyal = rng.random(customers) < LOYAL_SHARE
    n_orders = np.where(loyal, rng.integers(LOYAL_ORDERS_RANGE[0], LOYAL_ORDERS_RANGE[1] + 1, customers),
                        rng.choice(ORDERS_PER_CUSTOMER, customers, p=ORDERS_PER_CUSTOMER_P))
    order_customer = np.repeat(np.arange(customers), n_orders)
    n = len(order_customer)
    order_day = rng.choice(len(days), n, p=day_weights / day_weights.sum())
    order_hour = order_day * 24 + rng.choice(24, n, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    chronological = np.argsort(order_hour, kind="stable")
    order_customer, order_day, order_hour = (a[chronological] for a in (order_customer, order_day, order_hour))
    order_ids = FIRST_ORDER_ID + np.cumsum(rng.choice([1, 2, 3], n, p=[0.94, 0.04, 0.02])) - 1

    # Each order has a main group drawn from that month's demand; each line stays in it or picks afresh.
    month_cdf = np.cumsum(group_month / group_month.sum(axis=1, keepdims=True), axis=1)
    order_group = _draw_rows(month_cdf[day_month[order_day]], rng.random(n))
    n_lines = rng.choice(LINES_PER_ORDER, n, p=LINES_PER_ORDER_P)
    line_order = np.repeat(np.arange(n), n_lines)
    m = len(line_order)
    line_group = np.where(rng.random(m) < MAIN_GROUP_SHARE, order_group[line_order],
                          _draw_rows(month_cdf[day_month[order_day[line_order]]], rng.random(m)))

    # Products: Zipf-like popularity inside each group. A product's key is 2 * group + the cumulative share of
    # its group up to and including it (the group's last product has exactly 2 * group + 1), so searching for
    # 2 * group + u with u in [0, 1) always lands on a product of that group.
    group_index = catalogue["group"].map({name: i for i, name in enumerate(group_names)}).to_numpy()
    popularity = np.empty(len(catalogue))
    for g in range(len(groups)):
        members = np.flatnonzero(group_index == g)
        popularity[members] = rng.permutation(1 / np.arange(1, len(members) + 1) ** 0.8)
    cumulative = pd.Series(popularity).groupby(group_index).cumsum()
    product_key = 2 * group_index + cumulative / cumulative.groupby(group_index).transform("last")
    line_product = np.searchsorted(product_key.to_numpy(), 2 * line_group + rng.random(m), side="left")

    # The export lists a product once per order: keep the first pick of each (order, product).
    key = line_order.astype(np.int64) * len(catalogue) + line_product
    keep = np.zeros(m, dtype=bool)
    keep[np.unique(key, return_index=True)[1]] = True
    line_order, line_group, line_product = line_order[keep], line_group[keep], line_product[keep]
    m = len(line_order)

    # Prices: a base price per product inside its band, indexed from PRICE_INDEXATION_DATE, some promo lines.
    low, high = catalogue["price_low"].to_numpy(), catalogue["price_high"].to_numpy()
    base_price = _shop_round(low * (high / low) ** rng.random(len(catalogue)))
    line_day = order_day[line_order]
    indexed = days[line_day] >= PRICE_INDEXATION_DATE
    promo = rng.random(m) < PROMO_SHARE
    price = _shop_round(base_price[line_product] * np.where(indexed, PRICE_INDEXATION, 1.0)
                        * np.where(promo, 1 - PROMO_DISCOUNT, 1.0))

    # Quantities: geometric per group (seedling cassettes and small items come in several), rare bulk buys of
    # cheap products.
    single_p = np.array([g.single_item_p for g in groups])
    quantity = np.minimum(rng.geometric(single_p[line_group]), 30)
    bulk = (rng.random(m) < BULK_LINE_SHARE) & (base_price[line_product] < CHEAP_PRICE)
    quantity[bulk] = rng.integers(20, MAX_BULK_QUANTITY + 1, bulk.sum())

    return pd.DataFrame({
        "hour": order_hour[line_order],
        "customer": order_customer[line_order],
        "order_id": order_ids[line_order],
        "product": line_product,
        "quantity": quantity,
        "price": price,
    })


def _plant_messy_rows(lines: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """Add MESSY_ROWS to clean ``lines``; return the lines (re-sorted) and a mask of rows whose date is bad.

    Every messy row is made from a different one-line order of a one-order customer, so the kinds never overlap
    (e.g. an exact duplicate is never also a return) and their counts can be checked independently. Rows of the
    last day are not used, so a "later hour" repeat stays inside the period.
    """
    order_size = lines.groupby("order_id")["order_id"].transform("size")
    customer_orders = lines.groupby("customer")["order_id"].transform("nunique")
    last_hour = (PERIOD_END - PERIOD_START).astype(int) * 24
    pool = np.flatnonzero((order_size == 1) & (customer_orders == 1) & (lines["hour"] < last_hour))
    # the typo-like 1000 is a cheap product bought in the spring peak, so it does not make a month of its own
    spring = pd.to_datetime(PERIOD_START + lines["hour"].to_numpy() // 24).month.isin(SPRING_MONTHS)
    cheap = pool[(lines["price"].to_numpy()[pool] < TYPO_PRICE) & spring[pool]]
    counts = dict(MESSY_ROWS, shared_order_ids=2 * MESSY_ROWS["shared_order_ids"])  # a donor + a receiver each
    del counts["quantity_1000"]  # drawn from the cheap rows
    if len(cheap) < 1 or len(pool) < sum(counts.values()) + 1:
        raise ValueError("too few customers to plant the messy rows; use at least a few hundred customers")
    quantity_1000 = rng.choice(cheap, MESSY_ROWS["quantity_1000"], replace=False)
    picked = rng.choice(np.setdiff1d(pool, quantity_1000), sum(counts.values()), replace=False)
    targets = dict(zip(counts, np.split(picked, np.cumsum(list(counts.values()))[:-1])))
    targets["quantity_1000"] = quantity_1000

    out = lines.copy()
    out.loc[targets["returns"], "quantity"] *= -1
    out.loc[targets["zero_quantity"], "quantity"] = 0
    out.loc[targets["zero_price"], "price"] = 0.0
    out.loc[targets["quantity_1000"], "quantity"] = 1000
    out.loc[targets["empty_customer_id"], "customer"] = -1
    donors, receivers = targets["shared_order_ids"].reshape(2, -1)
    out.loc[receivers, "order_id"] = out.loc[donors, "order_id"].to_numpy()
    bad_date = np.zeros(len(out), dtype=bool)
    bad_date[targets["unparseable_dates"]] = True

    repeats = out.loc[targets["later_hour_repeats"]].copy()
    repeats["hour"] += rng.integers(1, 6, len(repeats))
    extra = pd.concat([out.loc[targets["exact_duplicates"]], repeats])
    out = pd.concat([out, extra], ignore_index=True)
    bad_date = np.concatenate([bad_date, np.zeros(len(extra), dtype=bool)])
    order = np.lexsort((out["order_id"].to_numpy(), out["hour"].to_numpy()))
    return out.iloc[order].reset_index(drop=True), bad_date[order]


def _date_numbers(hours: np.ndarray) -> np.ndarray:
    """Hours since PERIOD_START as ``YYYYMMDDHH`` integers."""
    days = PERIOD_START + hours // 24
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (days - days.astype("datetime64[M]")).astype(np.int64) + 1
    return year * 1_000_000 + month * 10_000 + day * 100 + hours % 24


def generate(rows: int | None = None, customers: int = 2000, seed: int = 42) -> pd.DataFrame:
    """Generate the synthetic order export.

    ``rows``: if given, ``customers`` is ignored and scaled so the output has about that many lines (within a
    few per cent; for benchmarks). ``customers``: how many customers place orders (at least a few hundred).
    ``seed``: the same seed gives the same DataFrame.

    Returns the columns ``date, customer_id, order_id, product, quantity, price`` in the export's order: ``date``
    is text (``YYYYMMDDHH``, or one of BAD_DATES), ``customer_id`` text (empty for the planted rows),
    ``order_id`` and ``quantity`` int64, ``price`` float64.
    """
    if rows is not None:
        customers = round(rows / _expected_lines_per_customer())
    rng = np.random.default_rng(seed)
    catalogue = product_catalogue()
    customer_ids = _uuid_strings(rng, customers)
    lines, bad_date = _plant_messy_rows(_clean_lines(customers, rng, catalogue), rng)

    # Text columns are built with pandas' (Arrow) string take, which is much faster than numpy string arrays.
    date = pd.Series(_date_numbers(lines["hour"].to_numpy())).astype("str")
    date.iloc[np.flatnonzero(bad_date)] = BAD_DATES
    customer = lines["customer"].to_numpy()
    customer_text = pd.Series(np.append(customer_ids, ""), dtype="str")  # the last entry is the empty id
    return pd.DataFrame({
        "date": date.array,
        "customer_id": customer_text.take(np.where(customer >= 0, customer, customers)).array,
        "order_id": lines["order_id"].to_numpy(np.int64),
        "product": catalogue["product"].take(lines["product"].to_numpy()).array,
        "quantity": lines["quantity"].to_numpy(np.int64),
        "price": lines["price"].to_numpy(np.float64),
    }, columns=COLUMNS)


def write_csv(df: pd.DataFrame, path: str | Path) -> None:
    """Write ``df`` as the store exports it: UTF-8, comma-separated, ``\\n`` line ends, no index."""
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def main(argv: list[str] | None = None) -> None:
    """CLI: generate and write the CSV, then print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, help="about this many lines (default: 2,000 customers, ~6,000 lines)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output CSV (default {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    df = generate(rows=args.rows, seed=args.seed)
    write_csv(df, args.out)
    customers = df.loc[df["customer_id"] != "", "customer_id"].nunique()
    print(f"wrote {len(df):,} rows, {customers:,} customers, {df['order_id'].nunique():,} orders to {args.out}")


if __name__ == "__main__":
    main()
