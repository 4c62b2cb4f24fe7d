"""Acquisition cohorts, days between orders and single-order customers: a hand-made 3-customer frame and the
shared home-goods file."""
import numpy as np
import pandas as pd
import pytest

from core import cohorts, pipeline
from core.orders import build_orders
from core.settings import Settings
from tests.conftest import PRACTICUM_UPD


@pytest.fixture
def orders():
    """A: January, February, April. B: January only. C: February and twice in March."""
    rows = [("A", "2024-01-10", 100), ("A", "2024-02-15", 50), ("A", "2024-04-01", 30), ("B", "2024-01-20", 200),
            ("C", "2024-02-03", 40), ("C", "2024-03-03", 60), ("C", "2024-03-20", 10)]
    return pd.DataFrame({"order_id": [f"o{i}" for i in range(len(rows))], "customer_id": [r[0] for r in rows],
                         "date": pd.to_datetime([r[1] for r in rows]), "revenue": [float(r[2]) for r in rows]})


def cells(table):
    return {(f"{row.cohort:%Y-%m}", row.months_since): row for row in table.itertuples(index=False)}


def test_cohort_retention_and_revenue_of_three_customers(orders):
    table = cohorts.cohort_table(orders)
    assert list(table.columns) == cohorts.COHORT_COLUMNS
    got = cells(table)
    assert sorted(got) == [("2024-01", 0), ("2024-01", 1), ("2024-01", 2), ("2024-01", 3),
                           ("2024-02", 0), ("2024-02", 1), ("2024-02", 2)]     # no March/April cohort
    assert [got[("2024-01", k)].retention for k in range(4)] == [1, 0.5, 0, 0.5]
    assert [got[("2024-02", k)].retention for k in range(3)] == [1, 1, 0]
    assert {got[("2024-01", k)].cohort_size for k in range(4)} == {2}
    assert got[("2024-01", 0)].revenue == 300 and got[("2024-01", 0)].revenue_per_customer == 150
    assert got[("2024-02", 1)].orders == 2 and got[("2024-02", 1)].revenue == 70
    assert got[("2024-01", 3)].customers == 1 and got[("2024-01", 2)].orders == 0


def test_date_range_keeps_customers_new_in_it_and_cuts_later_orders(orders):
    later = cells(cohorts.cohort_table(orders, start="2024-02-01"))
    assert sorted(later) == [("2024-02", 0), ("2024-02", 1), ("2024-02", 2)]   # A's February order is not new
    earlier = cells(cohorts.cohort_table(orders, end="2024-03-31"))
    assert sorted(earlier) == [("2024-01", 0), ("2024-01", 1), ("2024-01", 2), ("2024-02", 0), ("2024-02", 1)]
    assert earlier[("2024-01", 1)].retention == 0.5
    assert cohorts.cohort_table(orders, start="2024-05-01").empty
    assert cohorts.cohort_table(orders.iloc[:0]).empty


def test_days_between_consecutive_orders_and_their_histogram(orders):
    days = cohorts.inter_order_days(orders.sample(frac=1, random_state=3))
    assert sorted(days) == [17, 29, 36, 46]
    histogram = cohorts.gap_histogram(days).set_index("bin")
    assert histogram.loc["15–30 days", "gaps"] == 2 and histogram.loc["31–60 days", "gaps"] == 2
    assert histogram["gaps"].sum() == 4 and histogram["share"].sum() == pytest.approx(1)
    assert len(cohorts.inter_order_days(orders.iloc[:1])) == 0


def test_histogram_bins_by_whole_days():
    histogram = cohorts.gap_histogram(np.array([0, 0.99, 1, 7.9, 8, 365.5, 366, 1000]))
    assert histogram["gaps"].tolist() == [2, 2, 1, 0, 0, 0, 0, 1, 2]
    assert histogram["bin"].iloc[0] == "under a day" and pd.isna(histogram["to_days"].iloc[-1])
    assert cohorts.gap_histogram(np.empty(0))["share"].tolist() == [0] * 9


def test_an_order_shared_by_two_customers_is_one_order_at_its_earliest_time(orders):
    """o0 (A, 2024-01-10) also recorded for a new customer D on 2024-02-20: one order, in January."""
    shared = pd.concat([orders, pd.DataFrame({"order_id": ["o0"], "customer_id": ["D"], "revenue": [25.0],
                                              "date": pd.to_datetime(["2024-02-20"])})], ignore_index=True)
    got = cells(cohorts.cohort_table(shared))
    assert got[("2024-01", 0)].orders == 2 and got[("2024-01", 0)].cohort_size == 3   # D joins A's January
    assert got[("2024-01", 0)].revenue == 325 and got[("2024-01", 1)].orders == 1     # A's February order
    assert sorted(cohorts.inter_order_days(shared)) == [17, 29, 36, 46]               # D has no gap
    summary = cohorts.repeat_summary(shared)
    assert summary["customers"] == 4 and summary["orders_per_customer"] == 7 / 4


def test_repeat_summary(orders):
    summary = cohorts.repeat_summary(orders)
    assert summary["customers"] == 3 and summary["single_order_customers"] == 1
    assert summary["single_order_share"] == pytest.approx(1 / 3) and summary["repeat_customers"] == 2
    assert summary["orders_per_customer"] == pytest.approx(7 / 3)
    assert summary["median_days_between_orders"] == 32.5
    assert np.isnan(cohorts.repeat_summary(orders.iloc[:0])["single_order_share"])


def test_shared_file_cohorts_match_a_plain_groupby_on_order_dates(shared_datasets):
    analysis = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, Settings())
    lines, customers = analysis.lines, analysis.prepared.customers
    table = cohorts.cohort_table(build_orders(lines))
    # plain pandas: every line dated by its order id's earliest line; a customer's cohort is their first order
    date = lines.groupby("order_id")["date"].transform("min")
    month = date.dt.year * 12 + date.dt.month - 1
    cohort = month.groupby(lines["customer_id"]).transform("min")
    cell = [cohort.rename("cohort"), (month - cohort).rename("since")]
    plain = lines.groupby(cell).agg(orders=("order_id", "nunique"), customers=("customer_id", "nunique"),
                                    revenue=("revenue", "sum"))
    ours = table.assign(cohort=table["cohort"].dt.year * 12 + table["cohort"].dt.month - 1).set_index(
        ["cohort", "months_since"])
    ours = ours[ours["customers"] > 0]
    assert ours["orders"].to_dict() == plain["orders"].to_dict()
    assert ours["customers"].to_dict() == plain["customers"].to_dict()
    assert ours["revenue"].to_dict() == pytest.approx(plain["revenue"].to_dict())
    first = table[table["months_since"] == 0]
    assert first["cohort_size"].sum() == len(customers) == 2451
    assert (first["retention"] == 1).all() and table["retention"].between(0, 1).all()
    # 8 customers joined a shared order id after its first customer: their cohort is that order's month, not
    # the month of their own first line (the customer table's first_purchase)
    own = customers.set_index("customer_id")["first_purchase"]
    moved = own.dt.year * 12 + own.dt.month - 1 != cohort.groupby(lines["customer_id"]).first()
    assert moved.sum() == 8
    # 13 cohorts, October 2018 to October 2019 (the rows appended later reuse old customers), each observed
    # until January 2020: 16 + 15 + ... + 4 cells
    assert len(first) == 13 and len(table) == sum(range(4, 17))
    assert table["revenue"].sum() == pytest.approx(lines["revenue"].sum())
    summary = cohorts.repeat_summary(build_orders(lines))
    assert summary["single_order_customers"] == int((customers["orders"] == 1).sum())
    assert summary["orders_per_customer"] == pytest.approx(3521 / 2451)
