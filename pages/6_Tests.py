"""Tests: is a difference between groups of customers real? A test builder, the store's four research questions
and a downloadable table of the session's results.

Session state: ``test_results`` — every ``core.stats.TestResult`` run here, oldest first (the Excel export reads it);
``test_results_basis`` — the data digest and settings they hold for (a change empties ``test_results``);
``test_last_run`` — the last run's results with their chart data. Choices persist via ``ui.widgets.remembered``.
"""
import dataclasses

import streamlit as st

from core import charts, stats
from core.errors import InputError
from core.io import FIELDS, REQUIRED_FIELDS
from ui import state
from ui.widgets import remembered

RESULTS_KEY, BASIS_KEY, LAST_KEY = "test_results", "test_results_basis", "test_last_run"
METRIC_LABELS = {**{k: v.capitalize() for k, v in stats.METRICS.items()},
                 stats.CATEGORY_MIX: "Category mix (main category of each customer or order)"}
UNITS = {"order_value": "orders", "items_per_order": "orders", "orders_per_customer": "customers",
         "revenue_per_customer": "customers", "revenue_per_product": "products", "monthly_revenue": "months"}
CORRECTIONS = {"holm": "Holm", "bh": "Benjamini–Hochberg"}
TESTS = {("rank", True): "Mann-Whitney U — compares typical values, robust to a few huge orders (recommended)",
         ("means", True): "Welch's t-test — compares means, sensitive to outliers",
         ("rank", False): "Kruskal-Wallis H, then Mann-Whitney for each pair (recommended)",
         ("means", False): "One-way ANOVA, then Welch's t-test for each pair — compares means"}

st.set_page_config(page_title="Tests", page_icon="🧪", layout="wide")
state.require_data()
st.title("Are the differences real?")
st.caption("A hypothesis test tells whether a difference between groups of customers is bigger than chance alone "
           "would produce. Build a test, or run the store's four research questions in one click.")
try:
    lines, groupings = state.lines(), state.customer_groupings()
except InputError as exc:
    st.error(f"{exc}. Fix it on the Segments page.")
    st.stop()
basis = state.source().digest + dataclasses.replace(state.settings(), templates={}).to_json()
if st.session_state.get(BASIS_KEY) != basis:                    # new data or settings: old results no longer hold
    st.session_state.update({RESULTS_KEY: [], BASIS_KEY: basis, LAST_KEY: []})


@st.cache_data(max_entries=16, show_spinner="Collecting the values to compare…")
def cached_samples(basis: str, metric: str, grouping_label: str, _lines, _grouping):
    mix = metric == stats.CATEGORY_MIX
    return stats.mix_samples(_lines, _grouping) if mix else stats.metric_samples(_lines, metric, _grouping)


def record(results, samples, metrics, group_titles, correction: str) -> None:
    """Keep the results for the session (a re-run replaces the same question and test) with their chart data."""
    runs = [{"result": r, "metric": stats.METRICS.get(m, ""), "grouping": g, "correction": correction}
            | ({"shares": stats.mix_shares(r)} if s is None else {
                "summary": stats.distribution_summary(s, r.groups, r.alpha), "points": stats.sample_points(
                    s, r.groups)}) for r, s, m, g in zip(results, samples, metrics, group_titles)]
    new = {(r.question, r.test) for r in results}
    kept = [r for r in st.session_state[RESULTS_KEY] if (r.question, r.test) not in new]
    st.session_state.update({RESULTS_KEY: kept + list(results), LAST_KEY: runs})


def show(run: dict) -> None:
    result, level = run["result"], f"{1 - run['result'].alpha:.0%}"
    with st.container(border=True):
        st.markdown(f"#### {result.question}")
        (st.success if result.p_value < result.alpha else st.info)(f"**At α = {result.alpha:g}:** {result.verdict}.")
        st.caption(f"**{result.test}.** H0: {result.h0}. H1: {result.h1}.")
        cells = st.columns(4)
        cells[0].metric(f"Statistic {stats.STATISTIC_SYMBOLS.get(result.test, '')}",
                        stats.format_statistic(result.statistic))
        adjusted = None if result.p_adjusted is None else f"corrected {stats.format_p(result.p_adjusted)}"
        cells[1].metric("p-value", stats.format_p(result.p_value), adjusted, "off", delta_arrow="off",
                        help="How often a difference at least this big would appear by chance if H0 were true."
                             + (f" Corrected by {CORRECTIONS[run['correction']]} over the four questions."
                                if adjusted else ""))
        cells[2].metric(f"Effect size ({result.effect_name})", stats.format_effect(result.effect),
                        f"{result.magnitude} effect", "off", delta_arrow="off")
        cells[3].metric(f"{level} CI of the effect", stats.format_interval(result.effect_ci),
                        help="Bootstrap interval: the effect sizes compatible with the data.")
        for warning in result.warnings:
            st.warning(f"{warning[:1].upper()}{warning[1:]}.")
        if "shares" in run:
            st.altair_chart(charts.category_mix_chart(run["shares"], run["grouping"]), width="stretch")
            st.dataframe({run["grouping"]: result.groups, "n": result.sizes}, hide_index=True, width="content")
        else:
            st.altair_chart(charts.distribution_chart(run["summary"], run["points"], run["metric"], 1 - result.alpha),
                            width="stretch")
            st.caption(f"Box = middle half of the values, dark bar = {level} CI of the median, black tick = median, "
                       "red diamond = mean, grey dots = the values (a random sample of large groups).")
            titles = {"n": "n", "median": "Median", "median_low": f"Median {level} CI from", "median_high": "to",
                      "mean": "Mean"}
            st.dataframe(run["summary"].round(2), hide_index=True, width="content", column_order=["group", *titles],
                         column_config={"group": st.column_config.TextColumn(run["grouping"], width="medium")}
                         | {c: st.column_config.NumberColumn(t, format="localized") for c, t in titles.items()})
        if result.pairwise is not None:
            st.markdown(f"**Every pair** (p-values corrected by {CORRECTIONS[run['correction']]})")
            st.dataframe(stats.pairwise_table(result), hide_index=True, key=f"pairs_{result.question}")


def builder(alpha: float, correction: str) -> None:
    specs = {**groupings, "Category of the line": "category", "Month": "month",
             **{f.capitalize(): f for f in FIELDS if f not in (*REQUIRED_FIELDS, "product_code") and f in lines}}
    left, middle = st.columns(2)
    metric = remembered(left.selectbox, "What to compare", list(METRIC_LABELS), "tests_metric", "order_value",
                        format_func=METRIC_LABELS.get)
    excluded = {"monthly_revenue": {"Month"}, stats.CATEGORY_MIX: {"Category of the line", "Dominant category"}}
    labels = [label for label in specs if label not in excluded.get(metric, ())]
    label = remembered(middle.selectbox, "Groups of", labels, "tests_grouping", labels[0])
    try:
        samples = cached_samples(basis, metric, label, lines, specs[label])
    except InputError as exc:
        st.error(str(exc))
        return
    sizes = stats.group_sizes(samples)
    if len(sizes) < 2:
        st.info(f"“{label}” has only one group in this data; choose another grouping.")
        return
    unit = UNITS.get(metric) or ("orders" if isinstance(specs[label], str) and specs[label] != "repeat"
                                 else "customers")
    groups = remembered(st.multiselect, f"Groups to compare (number of {unit} in brackets)", sizes.index.tolist(),
                        f"tests_groups_{basis[:12]}_{metric}_{label}", sizes.index[:2].tolist(),
                        format_func=lambda g: f"{g} ({sizes[g]:,})", placeholder="Pick two or more groups")
    if metric == stats.CATEGORY_MIX:
        st.markdown("**Test:** chi-square test of independence, effect size Cramér's V")
    else:
        kind = remembered(st.radio, "Test", ["rank", "means"], "tests_kind", "rank",
                          format_func=lambda k: TESTS[(k, len(groups) <= 2)])
    if st.button("Run the test", type="primary", disabled=len(groups) < 2,
                 help=None if len(groups) >= 2 else "Pick at least two groups."):
        with st.spinner("Testing and bootstrapping the effect size…"):
            try:
                if metric == stats.CATEGORY_MIX:
                    result = stats.compare_mix(lines, specs[label], groups, label.lower(), alpha)
                else:
                    many = f"Does {stats.METRICS[metric]} differ across the {len(groups)} groups of {label}?"
                    result = stats.compare_metric(lines, metric, specs[label], groups, kind == "means", alpha,
                                                  correction, question=many if len(groups) > 4 else "")
                record([result], [None if metric == stats.CATEGORY_MIX else samples], [metric], [label], correction)
            except InputError as exc:
                st.error(str(exc))


def preset(alpha: float, correction: str) -> None:
    st.markdown("**Q1** order value between two segments · **Q2** category mix across all segments · **Q3** "
                "monthly revenue of repeat vs single-order customers · **Q4** revenue per product between two "
                "categories. Money is compared with Mann-Whitney; the four p-values are corrected together.")
    segments = groupings.get("RFM segment")
    ranked_segments, ranked_categories = stats.preset_choices(lines, segments) if segments is not None else ([], [])
    if len(ranked_segments) < 2 or len(ranked_categories) < 2:
        st.info("The research questions need at least two segments and two categories with customers.")
        return
    left, middle = st.columns(2)
    segment_pair = remembered(left.multiselect, "Segments for Q1", ranked_segments, "tests_preset_segments",
                              ranked_segments[:2], max_selections=2)
    category_pair = remembered(middle.multiselect, "Categories for Q4", ranked_categories,
                               "tests_preset_categories", ranked_categories[:2], max_selections=2)
    if st.button("Run the store's research questions", type="primary",
                 disabled=len(segment_pair) != 2 or len(category_pair) != 2):
        with st.spinner("Running the four tests and bootstrapping their effect sizes…"):
            try:
                results = stats.research_preset(lines, segments, alpha, correction, tuple(segment_pair),
                                                tuple(category_pair))
                record(results, stats.research_samples(lines, segments, results),
                       ["order_value", None, "monthly_revenue", "revenue_per_product"],
                       ["Segment", "Segment", "Customers", "Category"], correction)
            except InputError as exc:
                st.error(str(exc))


options = st.columns([2, 3, 3])
alpha = remembered(options[0].radio, "Significance level α", [0.01, 0.05, 0.10], "tests_alpha", 0.05,
                   horizontal=True, format_func=lambda a: f"{a:.2f}",
                   help="How strong the evidence must be: 0.05 accepts a 5% chance of a false alarm.")
correction = remembered(options[1].radio, "Correction for several comparisons", list(CORRECTIONS),
                        "tests_correction", "holm", horizontal=True, format_func=CORRECTIONS.get,
                        help="Holm keeps the chance of any false alarm at α; Benjamini–Hochberg keeps the share "
                             "of false alarms among the findings at α and so finds more.")
build_tab, preset_tab = st.tabs(["Build a test", "The store's research questions"])
with build_tab:
    builder(alpha, correction)
with preset_tab:
    preset(alpha, correction)
for run in st.session_state[LAST_KEY]:
    show(run)

st.subheader("All results of this session")
results = st.session_state[RESULTS_KEY]
if not results:
    st.info("No test has been run yet. Choose what to compare above and press **Run the test**, or run the "
            "store's research questions.")
    st.stop()
st.dataframe(stats.results_table(results), hide_index=True, key="tests_table", column_config={
    "Question": st.column_config.TextColumn(width="large"), "Verdict": st.column_config.TextColumn(width="large")})
download, clear, _ = st.columns([2, 1, 3])
table = stats.results_frame(results)
download.download_button(f"Download CSV ({len(table)} row{'s' * (len(table) > 1)})", table.to_csv(index=False)
                         .encode("utf-8-sig"), file_name="test_results.csv", mime="text/csv",
                         key="download_test_results")
if clear.button("Clear the results"):
    st.session_state.update({RESULTS_KEY: [], LAST_KEY: []})
    st.rerun()
