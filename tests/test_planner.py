"""Campaign planner: a tiny hand-checked frame, group ordering, and agreement with the segment profiles on the
shared home-goods file."""
import pandas as pd
import pytest

from core import dashboard, pipeline, planner
from core.orders import build_orders
from core.profiles import WEEKDAYS, recommendations, segment_profiles
from core.settings import Settings
from tests.conftest import PRACTICUM_UPD

# (order, customer, timestamp, category, revenue): Garden buys in March–April on Mondays around 10:00, Gifts in
# November–December on Tuesday evenings. The period (March 2023 – May 2024) has March, April and May twice.
ROWS = [("g1", "X1", "2023-03-06 10:00", "Seeds", 100), ("g1", "X1", "2023-03-06 10:00", "Other", 500),
        ("g2", "X1", "2023-04-03 10:00", "Pots", 300), ("g3", "X1", "2024-03-04 10:00", "Seeds", 50),
        ("g4", "X2", "2023-04-11 18:00", "Tools", 80), ("g5", "X2", "2023-07-10 18:00", "Lamps", 1000),
        ("h1", "Y1", "2023-11-14 20:00", "Candles", 40), ("h2", "Y1", "2023-12-12 20:00", "Candles", 60),
        ("h3", "Y1", "2023-12-19 20:00", "Cards", 5), ("h4", "Y1", "2024-05-07 20:00", "Cards", 5)]
GROUPS = pd.Series({"X1": "Garden", "X2": "Garden", "Y1": "Gifts", "Z1": "Gifts", "W1": None})


@pytest.fixture
def lines():
    frame = pd.DataFrame(ROWS, columns=["order_id", "customer_id", "date", "category", "revenue"])
    return frame.assign(date=pd.to_datetime(frame["date"]), quantity=1.0, price=frame["revenue"], is_return=False)


def plan_of(lines, groups=GROUPS, **options):
    return planner.build_plan(build_orders(lines), lines, groups, **options)


def test_tiny_plan_says_which_group_when_and_what(lines):
    table = plan_of(lines).table.set_index("group")
    assert list(table.index) == ["Garden", "Gifts"]                   # audience tie -> by name; W1 has no group
    garden, gifts = table.loc["Garden"], table.loc["Gifts"]
    assert (garden["audience"], gifts["audience"]) == (2, 2)
    assert (garden["orders"], gifts["orders"]) == (5, 4) and gifts["orders_per_customer"] == 2
    assert garden["revenue"] == 2030 and garden["share_revenue"] == pytest.approx(2030 / 2140)
    assert (garden["peak_months"], garden["send_months"], garden["send_weekday"]) == (
        "March–April", "February–March", "Monday")
    assert (gifts["peak_months"], gifts["send_months"], gifts["send_weekday"]) == (
        "November–December", "October–November", "Tuesday")
    assert (garden["peak_hour"], gifts["peak_hour"]) == (10, 20)
    # too few orders in the peak months: categories from all months, never the catch-all "Other"
    assert (garden["categories"], garden["categories_from"]) == ("Lamps, Pots, Seeds", "all months")
    assert gifts["categories"] == "Candles, Cards"
    assert garden["note"] == "only 5 orders: the timing is a rough guess"


def test_lead_top_and_peak_month_categories(lines, monkeypatch):
    table = plan_of(lines, lead_months=0, top=2).table.set_index("group")
    assert table.loc["Garden", "send_months"] == "March–April" and table.loc["Garden", "categories"] == "Lamps, Pots"
    monkeypatch.setattr(planner, "MIN_PEAK_ORDERS", 1)
    garden = plan_of(lines).table.set_index("group").loc["Garden"]
    assert (garden["categories"], garden["categories_from"]) == ("Pots, Seeds, Tools", "peak months")


def test_an_order_id_shared_by_two_customers_of_a_group_counts_once_at_its_earliest_line(lines):
    """g4 (X2, Tuesday 2023-04-11 18:00) recorded again for X1 on Wednesday 2023-07-12 at 09:00."""
    again = pd.DataFrame([("g4", "X1", "2023-07-12 09:00", "Tools", 80)], columns=lines.columns[:5])
    shared = pd.concat([lines, again.assign(date=pd.to_datetime(again["date"]), quantity=1.0, price=80.0,
                                            is_return=False)], ignore_index=True)
    plan = plan_of(shared)
    garden = plan.table.set_index("group").loc["Garden"]
    assert garden["orders"] == 5 and garden["revenue"] == 2110              # one more row, not one more order
    calendar = plan.calendar[plan.calendar["group"] == "Garden"].set_index("name")
    assert calendar.loc["April", "orders"] == 2 and calendar.loc["July", "orders"] == 1   # g4 stays in April


def test_calendar_marks_peak_and_send_months(lines):
    calendar = plan_of(lines).calendar
    assert len(calendar) == 24 and list(calendar.columns) == planner.CALENDAR_COLUMNS
    garden = calendar[calendar["group"] == "Garden"].set_index("name")
    assert list(garden.index[garden["peak"]]) == ["March", "April"]
    assert list(garden.index[garden["send"]]) == ["February", "March"]
    assert garden.loc["March", "orders"] == 2 and garden.loc["March", "orders_per_month"] == 1
    assert garden.loc["March", "index"] == pytest.approx(4)          # rates 1, 1, 1 in 12 months: mean 0.25
    assert garden.loc["January", "index"] == 0
    gifts = calendar[calendar["group"] == "Gifts"].set_index("name")
    assert list(gifts.index[gifts["send"]]) == ["October", "November"]


def test_categorical_groups_keep_their_order_and_a_group_without_orders_gets_a_note(lines):
    groups = pd.Series(pd.Categorical(["Gifts", "Gifts", "Dormant", "Garden"], categories=[
        "Gifts", "Empty", "Dormant", "Garden"]), index=["Y1", "Z1", "Z2", "X1"])
    table = plan_of(lines, groups).table
    assert table["group"].tolist() == ["Gifts", "Dormant", "Garden"]   # "Empty" has no customer
    dormant = table.set_index("group").loc["Dormant"]
    assert (dormant["orders"], dormant["peak_months"], dormant["send_weekday"], dormant["categories"]) == (
        0, "", "", "")
    assert dormant["note"] == "no orders: no timing" and pd.isna(dormant["peak_hour"])
    assert table.set_index("group").loc["Garden", "orders"] == 3      # X2 is not in this grouping


def test_shared_file_plan_counts_order_ids_and_agrees_with_the_segment_profiles(shared_datasets):
    analysis = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, Settings())
    customers = analysis.segmentation.customers
    segment = customers.set_index("customer_id")["segment"]
    book = dashboard.build_book(analysis.lines, pd.Index(analysis.prepared.customers["customer_id"]))
    groups = dashboard.book_groups(book, segment)
    plan = dashboard.plan(book, groups)
    table = plan.table.set_index("group")
    # plain pandas: a segment's orders are the distinct order ids of its customers, dated by their earliest line
    lines = analysis.lines
    dated = lines.assign(date=lines.groupby("order_id")["date"].transform("min"),
                         group=lines["customer_id"].map(segment))
    orders = dated.drop_duplicates(["group", "order_id"])
    assert table["orders"].to_dict() == orders.groupby("group", observed=True).size().to_dict()
    assert table["revenue"].to_dict() == pytest.approx(dated.groupby("group", observed=True)["revenue"].sum().to_dict())
    by_month = orders.groupby(["group", orders["date"].dt.month], observed=True).size()
    calendar = plan.calendar.set_index(["group", "month"])["orders"]
    assert calendar[calendar > 0].to_dict() == by_month.to_dict()
    weekdays = orders.groupby(["group", orders["date"].dt.day_of_week], observed=True).size().unstack(fill_value=0)
    busiest = weekdays.to_numpy().argmax(axis=1)                     # ties: the earlier weekday
    assert table.loc[weekdays.index, "send_weekday"].tolist() == [WEEKDAYS[d] for d in busiest]

    profiles = segment_profiles(analysis.lines, customers).set_index("segment")
    assert list(table.index) == list(profiles.index)
    assert table["audience"].tolist() == profiles["customers"].tolist()
    assert table["peak_months"].tolist() == profiles["peak_months"].tolist()
    # both count an order id once per group at its earliest line: Lost's Mondays and Tuesdays tie at 73 (the
    # earlier wins); a row per (order id, customer) at the customer's own time would give 74 and 75 (Tuesday)
    rows = build_orders(lines).assign(group=lambda t: t["customer_id"].map(segment))
    lost = rows[rows["group"] == "Lost"]["date"].dt.day_of_week.value_counts()
    assert (lost[0], lost[1]) == (74, 75) and weekdays.loc["Lost", [0, 1]].tolist() == [73, 73]
    assert table["send_weekday"].tolist() == profiles["peak_weekday"].tolist()
    assert profiles.loc["Lost", "peak_weekday"] == "Monday"
    sent = recommendations(profiles.reset_index()).set_index("segment")
    assert table["send_months"].tolist() == sent["send_months"].tolist()
    assert table["audience"].sum() == 2451 and (table["categories"] != "").all()

    # the fast path on integer codes gives the same plan as plain frames with text ids
    orders = build_orders(analysis.lines)
    lines = analysis.lines.drop(columns="date").merge(orders[["order_id", "customer_id", "date"]],
                                                      on=["order_id", "customer_id"])
    plain = planner.build_plan(orders, lines, customers.set_index("customer_id")["segment"]).table
    pd.testing.assert_frame_equal(plain.set_index("group"), table)
