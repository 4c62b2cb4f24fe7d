"""Integer codes (core.codes) and the code-based order and customer tables against their text formulations."""
import numpy as np
import pandas as pd
import pytest

from core import codes as codes_module
from core.codes import positions, remember, same_ids, sorted_codes, taken_codes
from core.orders import build_customers, build_orders


def test_sorted_codes_equal_pandas_sorted_factorize():
    for values in (pd.Series(["b", None, "ä", "a", "b", "Ёлка", "елка"], dtype="str"),
                   pd.Series(["b", None, "a", "b"], dtype=object), pd.Series([3.0, np.nan, 1.0, 3.0])):
        codes, distinct = sorted_codes(values)
        expected_codes, expected = pd.factorize(values, sort=True)
        assert codes.tolist() == expected_codes.tolist() and list(distinct) == list(expected)


def test_positions_equal_an_index_lookup():
    ids = pd.Series(["c", "a", "b"], dtype="str")
    values = pd.Series(["a", "x", None, "c", "a"], dtype="str")
    assert positions(values, ids).tolist() == pd.Index(ids).get_indexer(values).tolist() == [1, -1, -1, 0, 1]
    with pytest.raises(ValueError):
        positions(values, pd.Series(["a", "a"], dtype="str"))


def test_positions_from_remembered_codes_equal_an_index_lookup():
    ids = pd.Series(["c", "a", "b", "d"], dtype="str")
    for values in (pd.Series(["a", "x", None, "c", "a"], dtype="str"), pd.Series(["d", "a", None, "b"], dtype="str")):
        sorted_codes(values), sorted_codes(ids)                      # both remembered now
        assert codes_module._remembered(values) is not None and codes_module._remembered(ids) is not None
        assert positions(values, ids).tolist() == pd.Index(ids).get_indexer(values).tolist()
    twice = pd.Series(["a", "a"], dtype="str")
    sorted_codes(twice)
    with pytest.raises(ValueError):
        positions(pd.Series(["a"], dtype="str"), twice)


def test_codes_are_remembered_per_array_and_handed_on_through_a_take():
    values = pd.Series(["b", "a", None, "c", "b", "a"], dtype="str")
    codes, ids = sorted_codes(values)
    codes[:] = 99                                                   # a caller's copy: the memory is unchanged
    assert sorted_codes(values)[0].tolist() == [1, 0, -1, 2, 1, 0]
    rows = np.array([0, 2, 4])                                      # "b", None, "b": "a" and "c" are gone
    taken = values.take(rows).reset_index(drop=True)
    assert codes_module._remembered(taken) is None                   # a new array: nothing known about it
    remember(taken, *taken_codes(*sorted_codes(values), rows))
    assert [sorted_codes(taken)[0].tolist(), list(sorted_codes(taken)[1])] == [[0, -1, 0], ["b"]]
    assert pd.factorize(taken, sort=True)[0].tolist() == [0, -1, 0]


def test_cleaning_hands_on_the_codes_of_its_lines_text_columns():
    from core.clean import clean
    from core.settings import CleaningPolicy
    frame = pd.DataFrame({"date": pd.to_datetime(["2023-01-02", "2023-01-01", "2023-01-03", None]),
                          "customer_id": pd.Series(["b", "a", "b", "c"], dtype="str"),
                          "order_id": pd.Series(["2", "1", "3", "4"], dtype="str"),
                          "product": pd.Series(["Mug", "Vase", None, "Jug"], dtype="str"),
                          "quantity": [1.0, 2.0, 1.0, 1.0], "price": [3.0, 4.0, 5.0, 6.0]})
    lines = clean(frame, CleaningPolicy()).lines                     # the line without a date is dropped
    for column in ("customer_id", "order_id", "product"):
        assert codes_module._remembered(lines[column]) is not None, column
        codes, ids = sorted_codes(lines[column])
        expected_codes, expected = pd.factorize(lines[column].astype(object), sort=True)
        assert codes.tolist() == expected_codes.tolist() and list(ids) == list(expected), column


def _orders_by_text(lines: pd.DataFrame) -> pd.DataFrame:
    """build_orders as a groupby on the id columns themselves (its definition)."""
    purchases = lines[~lines["is_return"]]
    orders = (purchases.groupby(["order_id", "customer_id"], sort=True, observed=True)
              .agg(date=("date", "min"), lines=("quantity", "size"), items=("quantity", "sum"),
                   revenue=("revenue", "sum")).reset_index())
    return orders.astype({"lines": "int64"})


@pytest.mark.parametrize("shared", [False, True])
def test_orders_and_customers_equal_the_text_groupby(shared):
    rng = np.random.default_rng(3)
    n = 3000
    order = rng.integers(0, 400, n)
    customer = order % 97 if not shared else np.where(rng.random(n) < 0.05, rng.integers(0, 97, n), order % 97)
    lines = pd.DataFrame({
        "date": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 10**6, n), unit="s"),
        "customer_id": pd.Series([f"c{c}" for c in customer], dtype="str").where(rng.random(n) > 0.01),
        "order_id": pd.Series([f"{o:04d}" for o in order], dtype="str").where(rng.random(n) > 0.01),
        "quantity": rng.integers(1, 5, n).astype(float), "revenue": rng.random(n).round(2) * 100,
        "is_return": rng.random(n) < 0.05})
    orders = build_orders(lines)
    pd.testing.assert_frame_equal(orders, _orders_by_text(lines)[orders.columns])
    assert orders.duplicated("order_id").any() == shared
    customers = build_customers(lines, orders)
    per_customer = orders.groupby("customer_id").agg(orders=("order_id", "size"), first=("date", "min"))
    assert customers["customer_id"].tolist() == per_customer.index.tolist()
    assert customers["orders"].tolist() == per_customer["orders"].tolist()
    assert customers["first_purchase"].tolist() == per_customer["first"].tolist()


def test_same_ids_holds_for_the_same_ids_in_any_order_only():
    ids = pd.Series([f"c{i}" for i in range(5000)], dtype="str")
    assert same_ids(pd.Index(ids.sample(frac=1, random_state=0)), ids)
    assert not same_ids(pd.Index(ids.iloc[:-1]), ids)                       # one missing
    assert not same_ids(pd.Index([*ids.iloc[:-1], "other"]), ids)           # one different
    assert same_ids(pd.Index(["17850", "13047"], dtype=object), pd.Series(["13047", "17850"], dtype="str"))
