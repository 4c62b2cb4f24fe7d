"""The dashboard's coded book and filters: hand-checked frames, and the shared home-goods file against plain
pandas."""
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from core import cohorts, dashboard, pipeline, seasonality
from core.orders import build_orders
from core.settings import CleaningPolicy, Settings
from tests.conftest import PRACTICUM_UPD


@pytest.fixture
def lines():
    """Order 1 is shared by A and B; order 3 has a returned line; order 4 is only a return."""
    rows = [("1", "A", "2024-01-01 10:00", "Plants", 2, 50, False),
            ("1", "B", "2024-01-01 12:00", "Bags", 1, 900, False),
            ("1", "A", "2024-01-01 09:00", "Bags", 1, 800, False),
            ("2", "B", "2024-02-10 08:00", "Plants", 1, 40, False),
            ("3", "C", "2024-03-05 11:00", "Plants", 3, 30, False),
            ("3", "C", "2024-03-05 11:00", "Bags", -1, 700, True),
            ("4", "A", "2024-03-20 15:00", "Bags", -1, 800, True)]
    frame = pd.DataFrame(rows, columns=["order_id", "customer_id", "date", "category", "quantity", "price",
                                        "is_return"])
    return frame.assign(date=pd.to_datetime(frame["date"]), quantity=frame["quantity"].astype(float),
                        revenue=frame["quantity"] * frame["price"],
                        category=pd.Categorical(frame["category"], categories=["Bags", "Plants", "Tea"]))


def test_book_codes_orders_as_order_customer_pairs_without_returns(lines):
    book = dashboard.build_book(lines)
    assert book.orders == 4                                   # (1, A), (2, B), (3, C), (1, B); order 4 is gone
    assert len(book.line_order) == 5 and book.line_revenue.sum() == 1930
    scope = dashboard.select(book)
    orders = scope.orders.assign(customer=lambda t: book.customer_ids[t["customer_id"]]).sort_values(
        ["date", "customer"])
    assert orders["customer"].tolist() == ["A", "B", "B", "C"]
    # both customers of order 1 are dated by its earliest line (A's at 09:00), not B's own 12:00
    assert orders["date"].tolist() == list(pd.to_datetime(["2024-01-01 09:00", "2024-01-01 09:00",
                                                           "2024-02-10 08:00", "2024-03-05 11:00"]))
    assert orders["revenue"].tolist() == [900, 900, 40, 90]
    assert orders["order_id"].iloc[0] == orders["order_id"].iloc[1]   # the shared order id is one order id
    reference = build_orders(lines)
    assert sorted(orders["revenue"]) == sorted(reference["revenue"])
    assert dashboard.sold_categories(book) == ["Bags", "Plants"]


def test_filters_keep_lines_by_category_orders_by_date_and_customers_by_group(lines):
    book = dashboard.build_book(lines, pd.Index(["A", "B", "C"]))
    assert list(book.customer_ids) == ["A", "B", "C"]
    plants = dashboard.select(book, dashboard.Filters(categories=("Plants",)))
    assert sorted(plants.orders["revenue"]) == [40, 90, 100]
    assert set(plants.lines["category"]) == {"Plants"}
    february = dashboard.select(book, dashboard.Filters(start=dt.date(2024, 2, 1), end=dt.date(2024, 2, 29)))
    assert february.orders["revenue"].tolist() == [40]
    assert len(february.orders_all_dates) == 4                # cohorts still see every date
    assert february.period == (pd.Timestamp("2024-02-01"), pd.Timestamp("2024-02-29"))
    groups = dashboard.book_groups(book, pd.Series({"C": "Loyal", "A": "New", "B": "New"}))
    assert groups.tolist() == ["New", "New", "Loyal"]
    loyal = dashboard.select(book, dashboard.Filters(groups=("Loyal",)), groups)
    assert loyal.orders["revenue"].tolist() == [90]
    # order 1 is an order of both groups, counted once each, at its own time whichever group is shown
    groups = dashboard.book_groups(book, pd.Series({"A": "New", "B": "Loyal", "C": "Loyal"}))
    for group, revenue, orders in [("New", 900, 1), ("Loyal", 1030, 3)]:
        result = dashboard.explore(book, dashboard.Filters(groups=(group,)), groups)
        assert (result.totals["orders"], result.totals["revenue"]) == (orders, revenue)
        assert result.hours.loc[9, "orders"] == 1 and result.hours["orders"].sum() == orders
    bags = dashboard.explore(book, dashboard.Filters(categories=("Bags",)))
    assert bags.totals["orders"] == 1 and bags.totals["revenue"] == 1700     # order 1, A's and B's bags
    assert bags.categories.set_index("category").loc["Bags", "share_orders"] == 1
    assert bags.trend["orders"].tolist() == [1, 0, 0] and bags.hours.loc[9, "orders"] == 1
    nothing = dashboard.explore(book, dashboard.Filters(categories=("Tea",)))
    assert nothing.totals["orders"] == 0 and nothing.findings == [] and nothing.categories.empty
    assert nothing.cohorts.empty and nothing.gaps["gaps"].sum() == 0


def test_filters_key_is_canonical():
    a = dashboard.Filters(start=dt.date(2024, 1, 1), categories=("Bags",))
    assert a.key() == dashboard.Filters(start=dt.date(2024, 1, 1), categories=("Bags",)).key()
    assert a.key() != dashboard.Filters(start=dt.date(2024, 1, 2), categories=("Bags",)).key()


@pytest.fixture(scope="module")
def shared(shared_datasets):
    analysis = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, Settings())
    book = dashboard.build_book(analysis.lines, pd.Index(analysis.prepared.customers["customer_id"]))
    return analysis, book


def test_shared_file_explore_matches_the_plain_tables(shared):
    analysis, book = shared
    result = dashboard.explore(book)
    orders = build_orders(analysis.lines)
    assert result.totals["orders"] == 3521 and result.totals["customers"] == 2451
    assert result.totals["revenue"] == pytest.approx(orders["revenue"].sum())
    for ours, theirs in [(result.trend, seasonality.month_trend(orders)),
                         (result.weekdays, seasonality.weekday_pattern(orders)),
                         (result.hours, seasonality.hour_pattern(orders)),
                         (result.cohorts, cohorts.cohort_table(orders))]:
        pd.testing.assert_frame_equal(ours, theirs, check_dtype=False)
    assert result.repeat == cohorts.repeat_summary(orders)
    contrast = result.categories.set_index("category")
    pairs = analysis.lines.groupby("category", observed=True)["order_id"].nunique()
    assert contrast["orders"].to_dict() == pairs.to_dict()
    assert len(result.findings) == 5 and "Busiest weekday" in result.findings[0]


def plain_counts(lines: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """Plain pandas on the lines: the lines with each one dated by its order id's earliest line (over the lines
    given: pass the whole file, then filter, so a filter never moves an order), and the distinct order ids per
    month, weekday and hour of those dates."""
    dated = lines.assign(date=lines.groupby("order_id")["date"].transform("min"))
    return dated, {key: dated.groupby(bucket)["order_id"].nunique() for key, bucket in [
        ("trend", dated["date"].dt.to_period("M")), ("weekdays", dated["date"].dt.day_of_week),
        ("hours", dated["date"].dt.hour)]}


def test_shared_file_time_charts_count_each_order_id_once(shared):
    analysis, book = shared
    result = dashboard.explore(book)
    _, plain = plain_counts(analysis.lines)
    assert result.weekdays["orders"].tolist() == plain["weekdays"].tolist() == [580, 600, 532, 549, 459, 346, 455]
    assert result.hours["orders"].tolist() == plain["hours"].reindex(range(24), fill_value=0).tolist()
    assert result.trend["orders"].tolist() == plain["trend"].tolist()
    for table in (result.trend, result.weekdays, result.hours, result.months):
        assert table["orders"].sum() == result.totals["orders"] == 3521
        assert table["revenue"].sum() == pytest.approx(analysis.lines["revenue"].sum())
    assert result.repeat["orders_per_customer"] == pytest.approx(3521 / 2451)


def test_shared_file_filters_match_plain_pandas(shared):
    analysis, book = shared
    customers = analysis.segmentation.customers
    grouping = customers.set_index("customer_id")["segment"]
    groups = dashboard.book_groups(book, grouping)
    filters = dashboard.Filters(start=dt.date(2019, 3, 1), end=dt.date(2019, 8, 31),
                                groups=("Potential Loyalists", "Lost"),
                                categories=("Растения и рассада", "Сумки и тележки"))
    result = dashboard.explore(book, filters, groups)
    dated, _ = plain_counts(analysis.lines)
    kept = dated[dated["category"].isin(filters.categories) & dated["customer_id"].map(grouping).isin(filters.groups)
                 & (dated["date"] >= "2019-03-01") & (dated["date"] < "2019-09-01")]
    _, plain = plain_counts(kept)
    assert result.totals["orders"] == kept["order_id"].nunique() == 135
    assert result.totals["customers"] == kept["customer_id"].nunique()
    assert result.totals["revenue"] == pytest.approx(kept["revenue"].sum())
    assert result.trend["month"].dt.month.tolist() == [3, 4, 5, 6, 7, 8]
    assert result.trend["orders"].tolist() == plain["trend"].tolist()
    assert result.weekdays["orders"].tolist() == plain["weekdays"].tolist()
    assert result.hours["orders"].tolist() == plain["hours"].reindex(range(24), fill_value=0).tolist()
    for table in (result.trend, result.weekdays, result.hours, result.months):
        assert table["orders"].sum() == result.totals["orders"]
    assert set(result.categories["category"]) == set(filters.categories)
    share = kept.groupby("category", observed=True)["order_id"].nunique() / kept["order_id"].nunique()
    assert result.categories.set_index("category")["share_orders"].to_dict() == pytest.approx(share.to_dict())
    assert result.repeat["customers"] == kept["customer_id"].nunique()


def test_shared_file_date_filter_repeat_figures_count_the_customers_in_range(shared):
    """The customer codes of a filtered scope are the book's (up to 2,450): customers are the codes present."""
    analysis, book = shared
    result = dashboard.explore(book, dashboard.Filters(start=dt.date(2019, 1, 1), end=dt.date(2019, 3, 31)))
    dated, _ = plain_counts(analysis.lines)
    kept = dated[(dated["date"] >= "2019-01-01") & (dated["date"] < "2019-04-01")]
    per_customer = kept.groupby("customer_id")["order_id"].nunique()
    assert result.totals["orders"] == kept["order_id"].nunique() == 698
    assert result.totals["revenue"] == pytest.approx(kept["revenue"].sum())
    assert result.repeat["customers"] == len(per_customer) == 625
    assert result.repeat["single_order_customers"] == (per_customer == 1).sum() == 589
    assert result.repeat["orders_per_customer"] == pytest.approx(698 / 625)


def test_net_returns_policy_leaves_return_lines_out(shared_datasets):
    settings = Settings(cleaning=CleaningPolicy(returns="net"))
    analysis = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, settings)
    book = dashboard.build_book(analysis.lines)
    purchases = analysis.lines[~analysis.lines["is_return"]]
    assert len(book.line_order) == len(purchases)
    assert np.isclose(book.line_revenue.sum(), purchases["revenue"].sum())
