"""AppTest of the Explore page: no data, the sample data with filters that survive page switches, filters that
leave nothing, no segments, and the shared home-goods file."""
import datetime as dt
import json

import pandas as pd
import pyarrow as pa
import pytest

from core import pipeline, seasonality
from core.settings import Settings
from tests.apptest_helpers import errors, fresh_app, page_path, upload
from tests.conftest import PRACTICUM_UPD

EXPLORE, PLAN = page_path("4_Explore.py"), page_path("5_Plan.py")


def specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def fields(spec, channels: tuple[str, ...] | None = None) -> set[str]:
    """Every encoded field name anywhere in a Vega-Lite spec; with ``channels`` (e.g. ``("x", "y")``: the axes,
    tooltips left out) only the fields under those encoding channels."""
    found = set()
    if isinstance(spec, dict):
        if channels is None and isinstance(spec.get("field"), str):
            found.add(spec["field"])
        for key, value in spec.items():
            found |= fields(value, None if channels and key in channels else channels)
    elif isinstance(spec, list):
        for value in spec:
            found |= fields(value, channels)
    return found


def chart_data(at, index: int) -> pd.DataFrame:
    """The table a chart of the page was drawn from (its one inline dataset)."""
    (dataset,) = at.get("vega_lite_chart")[index].proto.datasets
    return pa.ipc.open_stream(dataset.data.data).read_all().to_pandas()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def explore(at=None):
    at = at or fresh_app().run()
    at.switch_page(EXPLORE).run()
    assert not at.exception and not errors(at)
    return at


def test_sample_data_findings_charts_and_downloads():
    at = explore()
    text = " ".join(m.value for m in at.markdown)
    assert "Busiest weekday" in text and "Peak season" in text and "sells most often" in text
    assert [t.label for t in at.tabs] == ["Time patterns", "Categories", "Cohorts and repeat orders"]
    charts = specs(at)
    assert len(charts) == 8
    expected = [{"month", "orders", "revenue", "customers", "aov"}, {"day", "orders", "orders_per_day"},
                {"hour", "orders", "share"},
                {"orders", "trimmed_revenue_per_order", "revenue_per_order", "revenue", "category", "average_price"},
                {"category", "share", "measure"}, {"month", "category", "share", "revenue"},
                {"cohort", "months_since", "value", "retention", "cohort_size"}, {"bin", "gaps", "share"}]
    for spec, wanted in zip(charts, expected):
        assert wanted <= fields(spec), (wanted - fields(spec))
    assert len(at.get("download_button")) == 8
    axes = fields(charts[3], ("x", "y"))             # per order: the trimmed mean up, the price per unit across
    assert {"orders", "trimmed_revenue_per_order", "average_price", "category"} <= axes
    assert "revenue_per_order" not in axes
    home = fresh_app().run()
    assert metrics(at)["Orders"] == metrics(home)["Orders"] and "Ordered once" in metrics(at)


def test_filters_change_the_numbers_and_survive_a_page_switch():
    at = explore()
    all_orders = metrics(at)["Orders"]
    at.multiselect(key="explore_categories").select("Сумки и тележки").run()
    at.date_input(key="explore_dates").set_value((dt.date(2023, 1, 1), dt.date(2023, 6, 30))).run()
    at.radio(key="explore_metric").set_value("revenue").run()
    assert not at.exception
    filtered = metrics(at)["Orders"]
    assert int(filtered.replace(",", "")) < int(all_orders.replace(",", "")) / 5
    assert specs(at)[0]["layer"][0]["encoding"]["y"]["field"] == "revenue"
    assert any("Сумки и тележки" in c.value for c in at.caption)
    at.switch_page(PLAN).run()
    at.switch_page(EXPLORE).run()
    assert at.multiselect(key="explore_categories").value == ["Сумки и тележки"]
    assert at.date_input(key="explore_dates").value == (dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    assert at.radio(key="explore_metric").value == "revenue"
    assert metrics(at)["Orders"] == filtered


def test_filters_that_leave_no_orders_say_so():
    at = explore()
    at.multiselect(key="explore_groups").select("New").run()     # recent single-order customers …
    at.date_input(key="explore_dates").set_value((dt.date(2022, 10, 1), dt.date(2022, 10, 31))).run()  # … a year ago
    assert not at.exception
    assert any("No orders match these filters" in i.value for i in at.info)
    assert not at.get("vega_lite_chart")


def test_without_segments_the_page_still_works():
    at = fresh_app().run()
    at.session_state["settings"] = Settings(analysis_date="2000-01-01")   # no purchase before it: no segments
    at.switch_page(EXPLORE).run()
    assert not at.exception
    assert any("Customer groups are not available" in c.value for c in at.caption)
    assert len(at.get("vega_lite_chart")) == 8


def test_shared_file_figures_findings_and_charts_come_from_the_data(shared_datasets):
    at = explore(upload(fresh_app().run(), PRACTICUM_UPD))
    assert metrics(at)["Orders"] == "3,521" and metrics(at)["Customers"] == "2,451"
    lines = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, Settings()).lines
    first = lines.groupby("order_id")["date"].min()                    # an order counts once, at its first line
    per_weekday = first.dt.day_of_week.value_counts()
    days = pd.Series(pd.date_range(lines["date"].min().normalize(), lines["date"].max(), freq="D").day_of_week
                     ).value_counts()
    rate = per_weekday / days
    busiest, quietest = seasonality.WEEKDAYS[rate.idxmax()], seasonality.WEEKDAYS[rate.idxmin()]
    text = " ".join(m.value for m in at.markdown)
    assert f"Busiest weekday: **{busiest}**" in text and f"quietest: **{quietest}**" in text
    assert at.get("download_button")[0].proto.label == "Download data (16 rows, CSV)"   # October 2018 – January 2020
    assert "**Растения и рассада** sells most often" in text and "**Сумки и тележки** brings the most per order" in text
    trend, weekdays, hours = chart_data(at, 0), chart_data(at, 1), chart_data(at, 2)
    assert weekdays["orders"].tolist() == per_weekday.sort_index().tolist() == [580, 600, 532, 549, 459, 346, 455]
    assert hours["orders"].tolist() == first.dt.hour.value_counts().reindex(range(24), fill_value=0).tolist()
    assert trend["orders"].tolist() == first.dt.to_period("M").value_counts().sort_index().tolist()
    assert trend["orders"].sum() == weekdays["orders"].sum() == hours["orders"].sum() == len(first) == 3521
    assert trend["revenue"].sum() == pytest.approx(lines["revenue"].sum())
