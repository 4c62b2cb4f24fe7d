"""Time patterns, category contrasts and findings: hand-checked frames and the shared home-goods file."""
import numpy as np
import pandas as pd
import pytest
from scipy import stats

from core import pipeline, seasonality
from core.orders import build_orders
from core.settings import CleaningPolicy, Settings
from tests.conftest import PRACTICUM_UPD

PUBLISHED_POLICY = CleaningPolicy(dedupe_order_lines=True, drop_shared_orders=True, quantity_limit=1000)


@pytest.fixture
def orders():
    """2024-01-01 is a Monday; the period 2024-01-01..2024-03-10 has exactly 10 of every weekday."""
    return pd.DataFrame({
        "order_id": ["o1", "o2", "o3", "o4", "o5"],
        "customer_id": ["A", "A", "B", "C", "B"],
        "date": pd.to_datetime(["2024-01-01 10:00", "2024-01-02 10:30", "2024-01-08 12:00", "2024-02-05 09:00",
                                "2024-03-10 23:00"]),
        "revenue": [100.0, 50.0, 30.0, 200.0, 20.0]})


@pytest.fixture
def lines():
    """Plants sell often and cheaply, bags rarely and dearly."""
    return pd.DataFrame({
        "order_id": ["o1", "o1", "o2", "o3", "o4"],
        "customer_id": ["A", "A", "B", "A", "C"],
        "date": pd.to_datetime(["2024-01-05", "2024-01-05", "2024-02-01", "2024-02-20", "2024-03-03"]),
        "category": pd.Categorical(["Plants", "Bags", "Plants", "Plants", "Bags"],
                                   categories=["Bags", "Plants", "Tea"]),
        "quantity": [2.0, 1.0, 1.0, 3.0, 1.0],
        "revenue": [200.0, 1000.0, 100.0, 150.0, 1200.0]})


@pytest.fixture(scope="module")
def shared(shared_datasets):
    return pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, Settings())


def test_month_trend_counts_orders_revenue_distinct_customers_and_fills_gaps(orders):
    trend = seasonality.month_trend(orders, (pd.Timestamp("2023-12-15"), pd.Timestamp("2024-03-10")))
    assert list(trend["month"]) == list(pd.to_datetime(["2023-12-01", "2024-01-01", "2024-02-01", "2024-03-01"]))
    assert list(trend["orders"]) == [0, 3, 1, 1]
    assert list(trend["revenue"]) == [0, 180, 200, 20]
    assert list(trend["customers"]) == [0, 2, 1, 1]
    assert np.isnan(trend["aov"].iloc[0]) and list(trend["aov"].iloc[1:]) == [60, 200, 20]


def test_weekday_pattern_counts_and_orders_per_day(orders):
    weekdays = seasonality.weekday_pattern(orders)
    assert list(weekdays["day"]) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    assert list(weekdays["orders"]) == [3, 1, 0, 0, 0, 0, 1]
    assert list(weekdays["customers"]) == [3, 1, 0, 0, 0, 0, 1]
    assert weekdays.loc[0, "revenue"] == 330
    assert list(weekdays["days"]) == [10] * 7
    assert weekdays.loc[0, "orders_per_day"] == pytest.approx(0.3)


def test_weekday_counts_match_a_calendar():
    for first, last in [("2024-01-01", "2024-01-01"), ("2024-01-03", "2024-02-17"), ("2023-12-31", "2025-03-02")]:
        days = pd.date_range(first, last, freq="D")
        expected = np.bincount(days.day_of_week, minlength=7)
        assert list(seasonality.weekday_counts(pd.Timestamp(first), pd.Timestamp(last))) == list(expected)


def test_hour_pattern_and_time_of_day_detection(orders):
    hours = seasonality.hour_pattern(orders)
    assert len(hours) == 24 and hours.loc[10, "orders"] == 2 and hours.loc[10, "label"] == "10:00"
    assert hours.loc[23, "customers"] == 1 and hours["share"].sum() == pytest.approx(1)
    assert seasonality.has_time_of_day(orders["date"])
    assert not seasonality.has_time_of_day(orders["date"].dt.normalize())


def test_month_of_year_divides_by_how_often_each_month_occurs():
    period = (pd.Timestamp("2018-10-01"), pd.Timestamp("2020-01-31"))
    assert list(seasonality.month_occurrences(period)) == [2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2]
    orders = pd.DataFrame({"order_id": list("wxyz"), "customer_id": list("abcd"), "revenue": 1.0,
                           "date": pd.to_datetime(["2018-10-05", "2019-10-05", "2019-03-01", "2019-03-02"])})
    months = seasonality.month_of_year(orders, period)
    assert months.loc[9, "orders"] == 2 and months.loc[9, "orders_per_month"] == 1
    assert months.loc[2, "orders_per_month"] == 2
    assert months["index"].mean() == pytest.approx(1)


def test_peak_windows_follow_the_profiles_tie_rules():
    rates = np.zeros((4, 12))
    rates[0, [0, 1]] = 1                      # January–February
    rates[1, [2, 3, 4]] = [2, 1, 2]           # March–April and April–May tie: the busier first month wins
    rates[2, [0, 1, 6, 7]] = 1                # full tie: the earlier window wins
    rates[3, [11, 0]] = 5                     # December wraps to January
    assert list(seasonality.peak_windows(rates)) == [0, 2, 0, 11]
    assert seasonality.window_name(11) == "December–January"


def test_distinct_counts_bitmap_and_hashing_agree(monkeypatch):
    rng = np.random.default_rng(1)
    bucket, ids = rng.integers(0, 12, 5000), rng.integers(0, 800, 5000)
    fast = seasonality.distinct_counts(bucket, ids, 12)
    monkeypatch.setattr(seasonality, "_BITMAP_CELLS", 0)
    hashed = seasonality.distinct_counts(bucket, ids, 12)
    expected = pd.DataFrame({"b": bucket, "i": ids}).groupby("b")["i"].nunique().to_numpy()
    assert list(fast) == list(hashed) == list(expected)


def test_findings_name_the_busiest_and_quietest_days_from_the_data(orders):
    period = seasonality.period_of(orders["date"])
    said = seasonality.findings(seasonality.month_trend(orders, period), seasonality.weekday_pattern(orders, period),
                                seasonality.month_of_year(orders, period), seasonality.hour_pattern(orders))
    text = " ".join(said)
    assert "Busiest weekday: **Monday**" in text and "quietest: **Wednesday**" in text
    assert "less than a year" in text and "**January 2024** (3 orders)" in text
    assert "Highest revenue: **February 2024** (200, 50% of the period)" in text
    assert "Busiest hour: **10:00–11:00** (40% of orders)" in text
    empty = orders.iloc[:0]
    assert seasonality.findings(seasonality.month_trend(empty), seasonality.weekday_pattern(empty),
                                seasonality.month_of_year(empty)) == []


def test_category_contrast_orders_revenue_per_order_and_average_price(lines):
    table = seasonality.category_contrast(lines).set_index("category")
    assert list(table.index) == ["Bags", "Plants"]                # by revenue; the unsold "Tea" is left out
    assert table.loc["Plants", ["revenue", "orders", "items", "lines", "customers"]].tolist() == [450, 3, 6, 3, 2]
    assert table.loc["Plants", "revenue_per_order"] == 150 and table.loc["Plants", "average_price"] == 75
    assert table.loc["Bags", "revenue_per_order"] == 1100 and table.loc["Bags", "share_orders"] == 0.5
    assert table.loc["Plants", "share_orders"] == 0.75
    assert table["share_revenue"].sum() == pytest.approx(1)
    said = " ".join(seasonality.category_findings(table.reset_index()))
    assert "**Plants** sells most often" in said and "**Bags** brings the most per order (1,100" in said


def test_category_months_grid_and_shares(lines):
    grid = seasonality.category_months(lines)
    assert len(grid) == 6 and set(grid["category"]) == {"Bags", "Plants"}
    plants = grid[grid["category"] == "Plants"].set_index("month")
    assert plants["revenue"].tolist() == [200, 250, 0] and plants["orders"].tolist() == [1, 2, 0]
    assert grid.groupby("category")["share"].sum().tolist() == pytest.approx([1, 1])


def test_an_order_id_counts_once_at_its_earliest_row(orders):
    """o1 shared by A (Monday 10:00) and D (Wednesday 2024-02-07 15:00): one order, on A's Monday at 10:00."""
    shared = pd.concat([orders, pd.DataFrame({"order_id": ["o1"], "customer_id": ["D"], "revenue": [7.0],
                                              "date": pd.to_datetime(["2024-02-07 15:00"])})], ignore_index=True)
    weekdays = seasonality.weekday_pattern(shared)
    assert weekdays["orders"].tolist() == [3, 1, 0, 0, 0, 0, 1]               # nothing on Wednesday
    assert weekdays.loc[0, "revenue"] == 337 and weekdays.loc[0, "customers"] == 4
    assert seasonality.hour_pattern(shared).loc[10, "orders"] == 2
    trend = seasonality.month_trend(shared)
    assert trend["orders"].tolist() == [3, 1, 1] and trend["revenue"].tolist() == [187, 200, 20]
    assert seasonality.month_of_year(shared)["orders"].sum() == 5
    assert list(seasonality.order_dates(np.array([0, 1, 0]), shared["date"].to_numpy()[[0, 1, 5]])) == list(
        shared["date"].to_numpy()[[0, 1, 0]])


def plain_orders(lines: pd.DataFrame) -> pd.DataFrame:
    """Plain pandas: one row per order id, dated by its earliest line, with all its lines' revenue."""
    return lines.groupby("order_id").agg(date=("date", "min"), revenue=("revenue", "sum"))


def test_shared_file_patterns_count_each_order_id_once_as_a_plain_groupby(shared):
    lines = shared.lines
    plain = plain_orders(lines)
    orders = build_orders(lines)                  # a row per (order id, customer): shared ids have 2 or 3 rows
    assert len(plain) == 3521 and len(orders) == 3554
    date = plain["date"]

    def per(key, size):
        counts = plain.groupby(key).size().reindex(range(size), fill_value=0)
        money = plain.groupby(key)["revenue"].sum().reindex(range(size), fill_value=0)
        return counts.tolist(), money.tolist()

    weekdays = seasonality.weekday_pattern(orders)
    assert weekdays["orders"].tolist() == [580, 600, 532, 549, 459, 346, 455] == per(date.dt.day_of_week, 7)[0]
    assert weekdays["revenue"].tolist() == pytest.approx(per(date.dt.day_of_week, 7)[1])
    hours = seasonality.hour_pattern(orders)
    assert hours["orders"].tolist() == per(date.dt.hour, 24)[0]
    assert hours["revenue"].tolist() == pytest.approx(per(date.dt.hour, 24)[1])
    months = seasonality.month_of_year(orders)
    assert months["orders"].tolist() == per(date.dt.month - 1, 12)[0]
    trend = seasonality.month_trend(orders)
    by_month = plain.groupby(date.dt.to_period("M")).size()
    assert len(trend) == 16 and trend["orders"].tolist() == by_month.tolist()
    for table in (weekdays, hours, months, trend):
        assert table["orders"].sum() == 3521                                  # the page's Orders total
        assert table["revenue"].sum() == pytest.approx(lines["revenue"].sum())
    # customers per weekday: the customers of the orders on that weekday (both customers of a shared order)
    buyers = lines.assign(day=lines["order_id"].map(date).dt.day_of_week).groupby("day")["customer_id"].nunique()
    assert weekdays["customers"].tolist() == buyers.tolist()


def test_shared_file_category_months_follow_the_order_dates(shared):
    lines = shared.lines
    grid = seasonality.category_months(lines)
    month = lines["order_id"].map(plain_orders(lines)["date"]).dt.to_period("M").dt.to_timestamp()
    expected = lines.groupby([month, "category"], observed=True)["order_id"].nunique()
    got = grid[grid["orders"] > 0].set_index(["month", "category"])["orders"]
    assert got.to_dict() == expected.to_dict()
    assert grid["revenue"].sum() == pytest.approx(lines["revenue"].sum())


def test_trimmed_means_match_scipy_and_ignore_one_huge_order():
    rng = np.random.default_rng(5)
    group, values = rng.integers(0, 4, 500), rng.lognormal(6, 1, 500)
    values[7] = 1e7
    ours = seasonality.trimmed_means(group, values, 5)
    assert ours[:4] == pytest.approx([stats.trim_mean(values[group == g], 0.1) for g in range(4)])
    assert np.isnan(ours[4]) and ours[:4].max() < 2000                        # the 1e7 is cut off
    few = seasonality.trimmed_means(np.zeros(9, dtype=np.int64), np.arange(9.0), 1)
    assert few[0] == 4                                                         # under 10 values: the plain mean


def test_shared_file_categories_plants_most_often_bags_most_per_order(shared_datasets):
    analysis = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, Settings(cleaning=PUBLISHED_POLICY))
    contrast = seasonality.category_contrast(analysis.lines).set_index("category")
    pairs = analysis.lines.groupby("category", observed=True)["order_id"].nunique()
    assert contrast["orders"].to_dict() == pairs[pairs > 0].to_dict()
    assert contrast["revenue"].sum() == pytest.approx(3918179.42)
    plants, bags = contrast.loc["Растения и рассада"], contrast.loc["Сумки и тележки"]
    assert plants["orders"] == contrast["orders"].max()
    assert bags["revenue_per_order"] > 3 * plants["revenue_per_order"]
    said = " ".join(seasonality.category_findings(contrast.reset_index()))
    assert "**Растения и рассада** sells most often" in said
    assert "**Сумки и тележки** brings the most per order" in said


@pytest.mark.parametrize("cleaning, rich_per_order", [(CleaningPolicy(), "1,909"), (PUBLISHED_POLICY, "1,746")])
def test_shared_file_most_per_order_is_a_trimmed_mean_not_one_plunger(shared_datasets, cleaning, rich_per_order):
    """Default cleaning keeps the 1000-plunger line (675,000): by the mean per order the bathroom category wins
    (4,752); the trimmed mean names bags and trolleys under both policies, as plain pandas and scipy do."""
    lines = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, Settings(cleaning=cleaning)).lines
    per_order = lines.groupby(["category", "order_id"], observed=True)["revenue"].sum()
    orders = per_order.groupby(level="category", observed=True).size()
    eligible = per_order.groupby(level="category", observed=True).apply(
        lambda v: stats.trim_mean(v.to_numpy(), 0.1))[orders >= 0.02 * lines["order_id"].nunique()]
    assert eligible.idxmax() == "Сумки и тележки" and orders.idxmax() == "Растения и рассада"
    contrast = seasonality.category_contrast(lines).set_index("category")
    assert contrast.loc[eligible.index, "trimmed_revenue_per_order"].tolist() == pytest.approx(eligible.tolist())
    assert contrast["share_orders"].to_dict() == pytest.approx((orders / lines["order_id"].nunique()).to_dict())
    said = seasonality.category_findings(contrast.reset_index(), "₽")[1]
    assert said.startswith("**Растения и рассада** sells most often (in 29% of orders")
    assert f"while **Сумки и тележки** brings the most per order ({rich_per_order}\xa0₽" in said
    assert "a trimmed mean, without the 10% smallest and the 10% largest orders" in said
    if cleaning == CleaningPolicy():
        assert contrast["revenue_per_order"].idxmax() == "Ванная"                # the mean is fooled
        assert contrast.loc["Ванная", "revenue_per_order"] == pytest.approx(4752.26, abs=0.01)
    russian = seasonality.category_findings(contrast.reset_index(), "₽", lang="ru")[1]
    assert "а **Сумки и тележки** приносит больше всего на заказ" in russian and "усечённое среднее" in russian
