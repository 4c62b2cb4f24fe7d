"""Benchmark: re-categorise 1e6 order lines over ~20k unique product names with the Russian default rules.

Run from the repository root: ``.venv/bin/python benchmarks/categorise.py``. Prints one JSON line with the
median wall time of ``core.categories.categorise`` over 5 runs (target <= 0.3 s), as after a rule edit.
"""
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.categories import OTHER, categorise, default_rules  # noqa: E402

ROWS = 1_000_000
RUNS = 5
# Head nouns across the default categories, including plant genera matched by the last rules and a few
# words no rule knows (they stay uncategorised and so are tested against every rule).
NOUNS = (
    "Сушилка для белья", "Гладильная доска", "Тележка хозяйственная", "Сумка-тележка", "Коврик для ванной",
    "Штора для ванной", "Тарелка обеденная", "Кастрюля эмалированная", "Сковорода антипригарная", "Кружка",
    "Контейнер пищевой", "Полотенце махровое", "Плед флисовый", "Комплект постельного белья", "Вешалка",
    "Корзина для белья", "Швабра с отжимом", "Ведро пластиковое", "Стремянка алюминиевая", "Набор сверл",
    "Светильник потолочный", "Лампа настольная", "Стул складной", "Полка настенная", "Пылесос",
    "Горшок для цветов", "Грунт универсальный", "Шланг поливочный", "Секатор", "Рассада томата",
    "Семена огурца", "Пеларгония зональная", "Петуния ампельная", "Роза чайногибридная", "Гортензия метельчатая",
    "Фаленопсис", "Спатифиллум", "Туя западная", "Калла крупноцветковая", "Урна уличная", "Корыто оцинкованное",
    "Гарантийное обслуживание", "Доставка до подъезда", "Сертификат номиналом",
)
ADJECTIVES = ("белый", "серый", "красная", "синяя", "зелёный", "бежевая", "чёрный", "прозрачный", "в ассортименте", "")
BRANDS = ("Ника", "Gimi", "Rolser", "Luminarc", "Curver", "Attribute", "Zalger", "Hausmann", "Webber", "Россия")


def synthetic_names(count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` distinct names: noun, adjective, brand and a size/article suffix."""
    nouns = rng.choice(NOUNS, count)
    adjectives = rng.choice(ADJECTIVES, count)
    brands = rng.choice(BRANDS, count)
    parts = enumerate(zip(nouns, adjectives, brands))
    names = [f"{noun} {adjective} {brand}, {i % 97 + 3} см, арт. {i:05d}" for i, (noun, adjective, brand) in parts]
    return np.array(names, dtype=object)


def main() -> None:
    rng = np.random.default_rng(20240601)
    names = synthetic_names(20_000, rng)
    weights = 1.0 / np.arange(1, len(names) + 1) ** 0.8  # a few best sellers, a long tail
    products = pd.Series(names[rng.choice(len(names), ROWS, p=weights / weights.sum())], dtype="str")
    rules = default_rules("ru")
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        categories = categorise(products, rules)
        timings.append(time.perf_counter() - start)
    print(
        json.dumps(
            {
                "unique_names": int(products.nunique()),
                "rows": len(products),
                "rules": len(rules),
                "categorise_seconds": round(statistics.median(timings), 3),
                "coverage_rows": round(float((categories != OTHER).mean()), 3),
            }
        )
    )


if __name__ == "__main__":
    main()
