"""Cleaning: each drop reason, the accounting identity, the published policy's reference numbers."""
import numpy as np
import pandas as pd
import pytest

from core.clean import DROP_REASONS, clean
from core.io import MISALIGNED
from core.orders import build_customers, build_orders, kpis, revenue_by_month
from core.settings import CleaningPolicy


def lines(*rows):
    """Canonical lines from (date, customer, order, product, quantity, price) tuples."""
    frame = pd.DataFrame(rows, columns=["date", "customer_id", "order_id", "product", "quantity", "price"])
    frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    for column in ("customer_id", "order_id", "product"):
        frame[column] = frame[column].astype("str")
    frame[["quantity", "price"]] = frame[["quantity", "price"]].astype(float)
    return frame


def test_every_drop_reason_is_counted_once_and_the_identity_holds():
    canonical = lines(
        ("2023-01-01 10:00", "A", "1", "Ваза", 1, 100),           # kept
        ("2023-01-01 10:00", None, "2", "Ваза", 1, 100),          # missing_customer
        ("2023-01-01 10:00", "A", None, "Ваза", 1, 100),          # missing_order
        (None, "B", "3", "Ваза", 1, 100),                         # unparseable_date
        ("2023-01-02", "B", "4", "Ваза", np.nan, 100),            # invalid_quantity
        ("2023-01-02", "B", "5", "Ваза", 1, np.inf),              # invalid_price
        ("2023-01-02", "B", "C6", "Ваза", 1, 100),                # return_or_cancellation (C invoice)
        ("2023-01-02", "B", "7", "Ваза", -2, 100),                # return_or_cancellation (negative)
        ("2023-01-03", "B", "8", "Ваза", 0, 100),                 # zero_quantity
        ("2023-01-03", "B", "9", "Ваза", 1, 0),                   # non_positive_price
        ("2023-01-01 10:00", "A", "1", "Ваза", 1, 100),           # exact_duplicate
        ("2023-01-04 10:00", "C", "10", "Кружка", 1, 50),         # duplicate_order_line (superseded)
        ("2023-01-04 12:00", "C", "10", "Кружка", 2, 50),         # kept (latest)
        ("2023-01-05", "D", "11", "Плед", 1, 900),                # shared_order
        ("2023-01-05", "E", "11", "Плед", 1, 900),                # shared_order
        ("2023-01-06", "F", "12", "Стремянка", 1000, 10),         # quantity_limit
        (None, None, "13", "Mug", 1, 10),                         # misaligned_line (first reason, though empty)
    )
    canonical[MISALIGNED] = [False] * (len(canonical) - 1) + [True]  # values past the header (core.io)
    policy = CleaningPolicy(dedupe_order_lines=True, drop_shared_orders=True, quantity_limit=1000)
    result = clean(canonical, policy)
    expected = {"misaligned_line": 1, "missing_customer": 1, "missing_order": 1, "unparseable_date": 1,
                "invalid_quantity": 1, "invalid_price": 1, "cancelled_status": 0,
                "return_or_cancellation": 2, "return_without_purchase": 0, "zero_quantity": 1,
                "non_positive_price": 1, "exact_duplicate": 1, "duplicate_order_line": 1, "shared_order": 2,
                "quantity_limit": 1}
    assert result.report.dropped == expected
    assert result.report.kept_rows == 2
    assert result.report.input_rows == len(canonical) == 2 + sum(expected.values())
    assert list(result.lines["order_id"]) == ["1", "10"]
    assert list(result.lines["revenue"]) == [100.0, 100.0]
    assert MISALIGNED not in result.lines
    assert set(DROP_REASONS) == set(expected)


def test_netted_returns_reduce_spend_but_are_not_orders():
    canonical = lines(
        ("2023-01-01", "A", "1", "Ваза", 2, 100),
        ("2023-01-05", "A", "C2", "Ваза", 1, 100),    # cancellation invoice, positive quantity in the file
        ("2023-01-06", "B", "3", "Плед", -1, 900),     # return of a customer who bought nothing here
    )
    result = clean(canonical, CleaningPolicy(returns="net"))
    assert result.report.dropped["return_without_purchase"] == 1
    assert result.report.returns_kept == 1
    orders = build_orders(result.lines)
    customers = build_customers(result.lines, orders)
    assert list(orders["order_id"]) == ["1"]
    assert customers.set_index("customer_id").loc["A", ["orders", "revenue"]].tolist() == [1, 100.0]


def test_empty_customer_and_date_are_filled_from_the_order():
    canonical = lines(
        ("2023-01-01 09:00", "a@shop.ru", "#1001", "Ваза", 1, 100),
        (None, None, "#1001", "Кружка", 2, 50),
        (None, None, "#1002", "Плед", 1, 900),           # no other line to take them from
    )
    result = clean(canonical, CleaningPolicy())
    assert result.report.filled_from_order == 1
    assert result.report.dropped["missing_customer"] == 1
    assert result.lines["customer_id"].tolist() == ["a@shop.ru", "a@shop.ru"]
    assert result.lines["date"].tolist() == [pd.Timestamp("2023-01-01 09:00")] * 2


def test_latest_duplicate_line_wins_whatever_the_row_order():
    canonical = lines(
        ("2023-01-04 12:00", "C", "10", "Кружка", 2, 50),
        ("2023-01-04 10:00", "C", "10", "Кружка", 1, 50),
        ("2023-01-04 12:00", "C", "10", "Кружка", 3, 50),   # same hour: the larger quantity wins, by value
    )
    policy = CleaningPolicy(dedupe_order_lines=True)
    kept = [clean(canonical.iloc[list(order)], policy).lines["quantity"].tolist()
            for order in ([0, 1, 2], [2, 1, 0], [1, 2, 0])]
    assert kept == [[3.0], [3.0], [3.0]]


def test_a_netted_return_in_the_same_order_does_not_supersede_the_purchase():
    canonical = lines(
        ("2023-01-01 10:00", "a", "1", "Vase", 2, 10),
        ("2023-01-01 12:00", "a", "1", "Vase", -1, 10),    # later, same customer, order and product: a return
        ("2023-01-02 09:00", "b", "2", "Mug", 1, 3),
    )
    policy = CleaningPolicy(returns="net", dedupe_order_lines=True)
    for order in ([0, 1, 2], [2, 1, 0]):
        result = clean(canonical.iloc[order], policy)
        assert result.report.kept_rows == 3 and sum(result.report.dropped.values()) == 0
        customers = build_customers(result.lines).set_index("customer_id")
        assert customers.loc["a", ["orders", "revenue"]].tolist() == [1, (2 - 1) * 10.0]
        assert customers.loc["b", "revenue"] == 3.0
    repeated = lines(*[("2023-01-01 10:00", "a", "1", "Vase", 2, 10), ("2023-01-01 11:00", "a", "1", "Vase", 3, 10),
                       ("2023-01-01 12:00", "a", "1", "Vase", -1, 10), ("2023-01-01 13:00", "a", "1", "Vase", -2, 10)])
    kept = clean(repeated, policy)     # purchases and returns are each deduplicated: the latest of each stays
    assert kept.lines["quantity"].tolist() == [3.0, -2.0] and kept.report.dropped["duplicate_order_line"] == 2


def test_orders_customers_and_monthly_revenue():
    canonical = lines(
        ("2023-01-01 10:00", "A", "1", "Ваза", 2, 100),
        ("2023-01-01 11:00", "A", "1", "Кружка", 1, 50),
        ("2023-03-10", "A", "2", "Плед", 1, 900),
        ("2023-03-11", "B", "3", "Ваза", 1, 100),
    )
    result = clean(canonical, CleaningPolicy())
    orders = build_orders(result.lines)
    assert orders[["order_id", "lines", "items", "revenue"]].values.tolist() == [
        ["1", 2, 3.0, 250.0], ["2", 1, 1.0, 900.0], ["3", 1, 1.0, 100.0]]
    assert orders.loc[0, "date"] == pd.Timestamp("2023-01-01 10:00")
    customers = build_customers(result.lines, orders)
    assert customers[["customer_id", "orders", "revenue", "aov"]].values.tolist() == [
        ["A", 2, 1150.0, 575.0], ["B", 1, 100.0, 100.0]]
    figures = kpis(orders, customers)
    assert (figures["customers"], figures["orders"], figures["revenue"]) == (2, 3, 1250.0)
    assert figures["aov"] == pytest.approx(1250 / 3)
    monthly = revenue_by_month(orders)
    assert monthly["revenue"].tolist() == [250.0, 0.0, 1000.0]      # February shown as an empty month
    assert monthly["month"].dt.month.tolist() == [1, 2, 3]


def test_an_order_shared_by_two_customers_counts_once_in_its_first_month():
    canonical = lines(
        ("2023-01-31 23:00", "A", "1", "Ваза", 1, 100),
        ("2023-02-01 09:00", "B", "1", "Кружка", 1, 50),      # the same order id, recorded for B the next day
        ("2023-02-02", "B", "2", "Плед", 1, 900),
    )
    orders = build_orders(clean(canonical, CleaningPolicy()).lines)
    monthly = revenue_by_month(orders)
    assert monthly[["orders", "customers", "revenue"]].values.tolist() == [[1, 2, 150.0], [1, 1, 900.0]]


def test_monthly_orders_add_up_to_the_distinct_order_ids_of_the_shared_file(shared_datasets):
    from core import pipeline
    from core.settings import Settings
    from tests.conftest import PRACTICUM_UPD
    prepared = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, Settings()).prepared
    monthly = revenue_by_month(prepared.orders)
    assert kpis(prepared.orders, prepared.customers)["orders"] == 3521
    assert monthly["orders"].sum() == 3521                  # 3,529 when shared orders counted in each month
    assert monthly["revenue"].sum() == pytest.approx(prepared.orders["revenue"].sum())


def test_a_cancelling_status_drops_its_line_and_the_unmarked_lines_of_its_order():
    canonical = lines(
        ("2023-05-01", "ann", "#1", "Towel", 2, 12),     # paid
        ("2023-05-01", "ann", "#1", "Soap", 1, 4.5),     # status on the first line only: paid
        ("2023-05-03", "bob", "#2", "Candle", 1, 8),     # Refunded
        ("2023-05-03", "bob", "#2", "Matches", 3, 0.5),  # no status of its own: the order's refund
        ("2023-05-04", "bob", "#3", "Vase", 1, 30),      # Отменён клиентом
        ("2023-05-05", "cat", "#4", "Cup", 1, 5),        # partially_refunded: kept
        ("2023-05-05", "cat", "#4", "Plate", 1, 6),      # Возврат: only this line (its own status)
    )
    canonical["status"] = pd.Series(["paid", None, " Refunded", None, "Отменён клиентом", "partially_refunded",
                                     "Возврат"], dtype="str")
    result = clean(canonical, CleaningPolicy())
    assert result.report.dropped["cancelled_status"] == 4
    assert result.lines["product"].tolist() == ["Towel", "Soap", "Cup"]
    assert result.report.kept_rows + sum(result.report.dropped.values()) == 7
