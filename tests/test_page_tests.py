"""AppTest of the Tests page: no data, the sample data and the shared home-goods file.

The statistic and p-value the page shows are checked against scipy on samples computed in the test with core alone
(``core.pipeline.run`` and ``core.stats.metric_samples`` with the same default settings).
"""
import functools
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from core import pipeline, stats
from core.settings import Settings
from tests.apptest_helpers import errors, open_page, page_path
from tests.conftest import ONLINE_RETAIL, PRACTICUM_UPD
from ui.state import SAMPLE_FILE

PAGE = page_path("6_Tests.py")


@functools.cache
def order_values(path) -> dict:
    """{segment: order values} as core computes them, largest groups first."""
    analysis = pipeline.run(path.read_bytes(), path.name, Settings())
    segments = analysis.segmentation.customers.set_index("customer_id")["segment"]
    samples = stats.metric_samples(analysis.lines, "order_value", segments)
    return {g: samples.loc[samples.group == g, "value"].to_numpy() for g in stats.group_sizes(samples).index}


def open_tests_page(path=None):
    return open_page("6_Tests.py", path)


def click(at, label: str):
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception and not errors(at), (at.exception, errors(at))
    return at


def shown(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def groups_widget(at):
    return next(m for m in at.multiselect if m.label.startswith("Groups to compare"))


def chart_downloads(at) -> list[str]:
    """Labels of the CSV downloads under the charts (``ui.widgets.chart_with_download``)."""
    return [d.proto.label for d in at.get("download_button") if d.proto.label.startswith("Download data")]


@functools.cache
def customers(path):
    analysis = pipeline.run(path.read_bytes(), path.name, Settings())
    return analysis.lines, analysis.segmentation.customers.set_index("customer_id")


def test_sample_data_two_groups_then_k_groups_with_pairwise_table():
    at = open_tests_page()
    assert any("No test has been run yet" in i.value for i in at.info)
    expected = order_values(SAMPLE_FILE)
    (first, a), (second, b) = list(expected.items())[:2]
    assert groups_widget(at).value == [first, second]              # the two largest groups by default
    click(at, "Run the test")
    ref = sps.mannwhitneyu(a, b, alternative="two-sided")
    assert shown(at)["Statistic U"] == stats.format_statistic(ref.statistic)
    assert shown(at)["p-value"] == stats.format_p(ref.pvalue)
    (result,) = at.session_state["test_results"]
    assert result.statistic == ref.statistic and result.p_value == pytest.approx(ref.pvalue, rel=1e-12)
    assert result.sizes == (len(a), len(b))
    assert chart_downloads(at) == ["Download data (2 rows, CSV)"]           # the box plot's summary per group

    third = list(expected)[2]
    groups_widget(at).select(third).run()
    click(at, "Run the test")
    ref = sps.kruskal(*(expected[g] for g in (first, second, third)))
    assert shown(at)["Statistic H"] == stats.format_statistic(ref.statistic)
    assert shown(at)["p-value"] == stats.format_p(ref.pvalue)
    pairs = next(d.value for d in at.dataframe if "Higher group" in d.value.columns)
    assert pairs["Pair"].tolist() == [f"{first} vs {second}", f"{first} vs {third}", f"{second} vs {third}"]
    assert len(at.session_state["test_results"]) == 2
    intervals = at.session_state["test_results"][1].pairwise[["effect_ci_low", "effect_ci_high"]]
    assert pairs["CI"].tolist() == [stats.format_interval(tuple(ci)) for ci in intervals.to_numpy()]
    table = next(d.value for d in at.dataframe if "Verdict" in d.value.columns)
    assert len(table) == 2 + 3                                      # two tests, three pairwise rows
    assert table["Centres"].iloc[0] == (f"{first}: median {np.median(a):,.2f}, mean {a.mean():,.2f}; "
                                        f"{second}: median {np.median(b):,.2f}, mean {b.mean():,.2f}")

    # results and choices survive a visit to another page
    at.switch_page("streamlit_app.py").run()
    at.switch_page(PAGE).run()
    assert len(at.session_state["test_results"]) == 2 and groups_widget(at).value == [first, second, third]


def test_sample_data_category_mix_by_lifecycle_is_a_chi_square_test():
    at = open_tests_page()
    at.selectbox(key="tests_metric").select(stats.CATEGORY_MIX).run()
    assert "Month" in at.selectbox(key="tests_grouping").options
    assert "Dominant category" not in at.selectbox(key="tests_grouping").options
    at.selectbox(key="tests_grouping").select("Single vs repeat").run()
    click(at, "Run the test")
    analysis = pipeline.run(SAMPLE_FILE.read_bytes(), SAMPLE_FILE.name, Settings())
    lifecycle = analysis.segmentation.customers.set_index("customer_id")["lifecycle"]
    samples = stats.mix_samples(analysis.lines, lifecycle)
    chi2, p, _, _ = sps.chi2_contingency(sps.contingency.crosstab(samples.value, samples.group).count,
                                         correction=False)
    assert shown(at)["Statistic χ²"] == stats.format_statistic(chi2)
    assert shown(at)["p-value"] == stats.format_p(p)
    assert at.session_state["test_results"][0].test == "chi-square test of independence"
    assert at.get("vega_lite_chart")                                 # the category mix chart
    shares = stats.mix_shares(samples, at.session_state["test_results"][0].groups)
    assert chart_downloads(at) == [f"Download data ({len(shares)} rows, CSV)"]


def test_sample_data_repeat_rate_of_two_groups_is_a_two_proportion_test():
    at = open_tests_page()
    at.selectbox(key="tests_metric").select(stats.REPEAT_RATE).run()
    assert "Single vs repeat" not in at.selectbox(key="tests_grouping").options
    at.selectbox(key="tests_grouping").select("dominant_category").run()
    click(at, "Run the test")
    lines, table = customers(SAMPLE_FILE)
    repeat = lines.groupby("customer_id")["order_id"].nunique() >= 2
    counts = pd.crosstab(table["dominant_category"].reindex(repeat.index), repeat)
    (result,) = at.session_state["test_results"]
    chosen = counts.loc[list(result.groups)]
    assert list(result.groups) == counts.sum(axis=1).sort_values(ascending=False).index[:2].tolist()
    chi2, p, _, _ = sps.chi2_contingency(chosen, correction=False)
    assert result.test == "two-proportion z-test" and result.statistic ** 2 == pytest.approx(chi2, rel=1e-9)
    assert shown(at)["p-value"] == stats.format_p(p)
    assert result.sizes == tuple(chosen.sum(axis=1))
    assert chart_downloads(at) == ["Download data (4 rows, CSV)"]           # repeat and single in each group


def test_sample_data_chi_square_between_two_customer_groupings():
    at = open_tests_page()
    at.selectbox(key="tests_metric").select(stats.GROUPING_MIX).run()
    at.selectbox(key="tests_grouping").select("dominant_category").run()
    at.selectbox(key="tests_second_grouping").select("lifecycle").run()
    click(at, "Run the test")
    lines, table = customers(SAMPLE_FILE)
    (result,) = at.session_state["test_results"]
    labels = table.loc[table["dominant_category"].isin(result.groups)]
    chi2, p, _, _ = sps.chi2_contingency(pd.crosstab(labels["lifecycle"], labels["dominant_category"]),
                                         correction=False)
    assert result.test == "chi-square test of independence" and result.statistic == pytest.approx(chi2, rel=1e-9)
    assert shown(at)["Statistic χ²"] == stats.format_statistic(chi2) and shown(at)["p-value"] == stats.format_p(p)
    assert result.question == "Does the single vs repeat mix differ across dominant category groups?"
    assert len(chart_downloads(at)) == 1


def test_sample_data_monthly_revenue_of_two_groups_is_compared_month_by_month():
    at = open_tests_page()
    at.selectbox(key="tests_metric").select("monthly_revenue").run()
    at.selectbox(key="tests_grouping").select("Single vs repeat").run()
    assert [o.startswith("Wilcoxon signed-rank") for o in at.radio(key="tests_kind").options] == [True, False]
    click(at, "Run the test")
    analysis = pipeline.run(SAMPLE_FILE.read_bytes(), SAMPLE_FILE.name, Settings())
    lifecycle = analysis.segmentation.customers.set_index("customer_id")["lifecycle"]
    monthly = stats.metric_samples(analysis.lines, "monthly_revenue", lifecycle)
    (result,) = at.session_state["test_results"]
    first, second = result.groups
    ref = sps.wilcoxon(monthly.loc[monthly.group == first, "value"], monthly.loc[monthly.group == second, "value"])
    assert result.test == "Wilcoxon signed-rank test" and result.statistic == ref.statistic
    assert shown(at)["Statistic T"] == stats.format_statistic(ref.statistic)
    assert shown(at)["p-value"] == stats.format_p(ref.pvalue)


def test_online_retail_groups_by_mapped_columns_product_code_and_country():
    at = open_tests_page(ONLINE_RETAIL)
    assert at.selectbox(key="tests_grouping").options[-2:] == ["Country", "Product code"]
    at.selectbox(key="tests_grouping").select("product_code").run()
    click(at, "Run the test")
    lines, table = customers(ONLINE_RETAIL)
    (result,) = at.session_state["test_results"]
    samples = stats.metric_samples(lines, "order_value", "product_code")
    ref = sps.mannwhitneyu(*(samples.loc[samples.group == g, "value"] for g in result.groups))
    assert result.statistic == ref.statistic and result.p_value == pytest.approx(ref.pvalue, rel=1e-12)

    at.selectbox(key="tests_metric").select(stats.GROUPING_MIX).run()
    assert "product_code" not in at.selectbox(key="tests_second_grouping").options
    at.selectbox(key="tests_grouping").select("segment").run()
    at.selectbox(key="tests_second_grouping").select("country").run()
    click(at, "Run the test")
    result = at.session_state["test_results"][-1]
    # each customer's country is the one it spent most in
    spend = lines.groupby(["customer_id", "country"], as_index=False)["revenue"].sum().sort_values(
        ["customer_id", "revenue", "country"], ascending=[True, False, True]).drop_duplicates("customer_id")
    country = spend.set_index("customer_id")["country"]
    chosen = table["segment"].astype(str).isin(result.groups)
    chi2, p, _, _ = sps.chi2_contingency(pd.crosstab(country[chosen[chosen].index], table["segment"][chosen]),
                                         correction=False)
    assert result.statistic == pytest.approx(chi2, rel=1e-9) and shown(at)["p-value"] == stats.format_p(p)
    assert result.question == "Does the country mix differ across rfm segment groups?"


def test_home_goods_file_two_group_test_and_the_research_questions():
    at = open_tests_page(PRACTICUM_UPD)
    expected = order_values(PRACTICUM_UPD)
    (first, a), (second, b) = list(expected.items())[:2]
    click(at, "Run the test")
    ref = sps.mannwhitneyu(a, b, alternative="two-sided")
    assert shown(at)["Statistic U"] == stats.format_statistic(ref.statistic)
    assert shown(at)["p-value"] == stats.format_p(ref.pvalue)
    assert at.session_state["test_results"][0].statistic == ref.statistic

    click(at, "Run the store's research questions")
    results = at.session_state["test_results"]
    assert len(results) == 5 and [r.question[:2] for r in results[1:]] == ["Q1", "Q2", "Q3", "Q4"]
    assert all(math.isfinite(r.p_value) and math.isfinite(r.p_adjusted) for r in results[1:])
    assert [m.value for m in at.metric if m.label == "Statistic χ²"]        # the category mix question is shown
    assert len(chart_downloads(at)) == 4                                   # a chart and its CSV per question
    assert sum(m.label == "p-value" for m in at.metric) == 4
    table = next(d.value for d in at.dataframe if "Verdict" in d.value.columns)
    assert table["Question"].str[:2].tolist()[-4:] == ["Q1", "Q2", "Q3", "Q4"]
    assert table["Corrected p"].tolist()[-4:] == [stats.format_p(r.p_adjusted) for r in results[1:]]


def test_results_can_be_downloaded_and_cleared():
    at = open_tests_page()
    click(at, "Run the test")
    (download,) = [d for d in at.get("download_button") if "Download CSV" in d.proto.label]
    assert download.proto.label == "Download CSV (1 row)"
    click(at, "Clear the results")
    assert at.session_state["test_results"] == [] and not at.metric
    assert any("No test has been run yet" in i.value for i in at.info)
