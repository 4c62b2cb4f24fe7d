"""Tests: is a difference between groups of customers real? A test builder, the store's four research questions
and a downloadable table of the session's results.

Session state: ``test_results`` — every ``core.stats.TestResult`` run here, oldest first (the Excel export reads it);
``test_results_basis`` — the data digest and settings they hold for (a change empties ``test_results``);
``test_last_run`` — the last run's results with their chart data. Choices persist via ``ui.widgets.remembered``.
"""

import streamlit as st

from core import charts, i18n, stats
from core.errors import InputError
from core.formatting import format_number
from core.io import FIELDS, REQUIRED_FIELDS
from ui import state
from ui.state import segment_name, t
from ui.widgets import chart_with_download, remembered

RESULTS_KEY, BASIS_KEY, LAST_KEY = "test_results", "test_results_basis", "test_last_run"
lang = state.start_page("pages/6_Tests.py")
CATEGORICAL = {stats.CATEGORY_MIX: "category", stats.REPEAT_RATE: "repeat", stats.GROUPING_MIX: None}
"""Categorical builder "metrics" -> the variable ``core.stats.mix_samples`` counts (None: a second grouping)."""
METRIC_LABELS = {key: t(f"tests.metric.{key}") for key in [*stats.METRICS, *CATEGORICAL]}
UNITS = {"order_value": "orders", "items_per_order": "orders", "orders_per_customer": "customers",
         "revenue_per_customer": "customers", "revenue_per_product": "products", "monthly_revenue": "months",
         stats.REPEAT_RATE: "customers", stats.GROUPING_MIX: "customers"}
CORRECTIONS = {"holm": "Holm", "bh": "Benjamini–Hochberg"}
TESTS = {(kind, shape): t(f"tests.test.{kind}_{shape}") for kind in ("rank", "means")
         for shape in ("two", "many", "paired")}

state.require_data()
try:
    lines, groupings = state.lines(), state.customer_groupings()
except InputError as exc:
    st.error(t("common.fix_on_segments", error=state.text(exc)))
    st.stop()
basis = state.source().digest + state.settings().results_key()
if st.session_state.get(BASIS_KEY) != basis:                    # new data or settings: old results no longer hold
    st.session_state.update({RESULTS_KEY: [], BASIS_KEY: basis, LAST_KEY: []})


@st.cache_resource(max_entries=16, show_spinner=False)
def cached_samples(basis: str, metric: str, grouping_key: str, variable_key: str, _lines, _grouping, _variable):
    if metric in CATEGORICAL:
        return stats.mix_samples(_lines, _grouping, _variable)
    return stats.metric_samples(_lines, metric, _grouping)


def displayed(frame, columns=("group",)):
    """A chart table with built-in group names in the interface language."""
    return frame.assign(**{column: frame[column].map(segment_name) for column in columns})


def record(results, samples, metrics, group_titles, correction: str, row_titles=None) -> None:
    """Keep the results for the session (a re-run replaces the same question and test) with their chart data;
    ``row_titles``: what a categorical test counts (None: the product category)."""
    runs = []
    for r, s, m, g, rows in zip(results, samples, metrics, group_titles, row_titles or [None] * len(results)):
        run = {"result": r, "metric": stats.METRICS.get(m, ""), "grouping": g, "correction": correction, "rows": rows}
        if m in CATEGORICAL:
            run["shares"] = displayed(stats.mix_shares(s, r.groups), ("group", "category"))
        else:
            run |= {"summary": displayed(stats.distribution_summary(s, r.groups, r.alpha)),
                    "points": displayed(stats.sample_points(s, r.groups))}
        runs.append(run)
    new = {(r.question, r.test) for r in results}
    kept = [r for r in st.session_state[RESULTS_KEY] if (r.question, r.test) not in new]
    st.session_state.update({RESULTS_KEY: kept + list(results), LAST_KEY: runs})


def show(run: dict, number: int) -> None:
    result, level = run["result"], f"{1 - run['result'].alpha:.0%}"
    with st.container(border=True):
        st.markdown(f"#### {result.question}")
        (st.success if result.p_value < result.alpha else st.info)(
            t("tests.verdict", alpha=f"{result.alpha:g}", verdict=result.verdict))
        st.caption(f"**{result.test}.** H0: {result.h0}. H1: {result.h1}.")
        cells = st.columns(4)
        cells[0].metric(t("tests.statistic", symbol=stats.STATISTIC_SYMBOLS.get(result.test, "")).strip(),
                        stats.format_statistic(result.statistic))
        adjusted = None if result.p_adjusted is None else t("tests.corrected", p=stats.format_p(result.p_adjusted))
        cells[1].metric(t("tests.p_value"), stats.format_p(result.p_value), adjusted, "off", delta_arrow="off",
                        help=t("tests.p_value_help")
                             + (t("tests.p_value_corrected_help", method=CORRECTIONS[run["correction"]])
                                if adjusted else ""))
        cells[2].metric(t("tests.effect_size", name=result.effect_name), stats.format_effect(result.effect),
                        t("tests.magnitude", magnitude=t(f"tests.magnitude.{result.magnitude}")), "off",
                        delta_arrow="off")
        cells[3].metric(t("tests.effect_ci", level=level), stats.format_interval(result.effect_ci),
                        help=t("tests.effect_ci_help"))
        for warning in map(state.text, result.warnings):
            st.warning(f"{warning[:1].upper()}{warning[1:]}.")
        if "shares" in run:
            rows = run["rows"]
            title = rows and t("tests.mix_chart_title", rows=rows, cols=run["grouping"])
            chart = charts.category_mix_chart(run["shares"], run["grouping"], category_title=rows or "Category",
                                              title=title)
            chart_with_download(chart, run["shares"], f"test_{number}_mix")
            st.dataframe({run["grouping"]: [segment_name(g) for g in result.groups], "n": result.sizes},
                         hide_index=True, width="content", placeholder="—")
        else:
            chart_with_download(charts.distribution_chart(run["summary"], run["points"], run["metric"],
                                                          1 - result.alpha), run["summary"], f"test_{number}_values")
            st.caption(t("tests.box_caption", level=level))
            titles = {"n": "n", "median": t("tests.median"), "median_low": t("tests.median_ci_from", level=level),
                      "median_high": t("tests.to"), "mean": t("tests.mean")}
            st.dataframe(run["summary"].round(2), hide_index=True, width="content", column_order=["group", *titles],
                         column_config={"group": st.column_config.TextColumn(run["grouping"], width="medium")}
                         | {c: st.column_config.NumberColumn(t, format="localized") for c, t in titles.items()},
                         placeholder="—")
        if result.pairwise is not None:
            st.markdown(t("tests.every_pair", method=CORRECTIONS[run["correction"]]))
            st.dataframe(localized_table(stats.pairwise_table(result, lang)), hide_index=True,
                         key=f"pairs_{result.question}", placeholder="—")


def localized_table(table):
    """A ``core.stats`` results or pairwise table with column names, magnitudes and group names in the interface
    language (the English table is returned as it is)."""
    if lang == "en":
        return table
    renamed = table.rename(columns={column: t(f"tests.col.{column}") for column in table.columns
                                    if i18n.has(f"tests.col.{column}")})
    for column in (t("tests.col.Magnitude"), t("tests.col.Effect")):
        if column in renamed and renamed[column].dtype == object:
            renamed[column] = renamed[column].map(
                lambda size: t(f"tests.magnitude.{size}") if i18n.has(f"tests.magnitude.{size}") else size)
    return renamed


def builder(alpha: float, correction: str) -> None:
    # grouping key -> the groupings of the customer table (by label) or a column of the lines
    customer_level = {column: state.grouping_label(column) for column in state.GROUPINGS
                      if state.grouping_label(column) in groupings}
    mapped = [f for f in FIELDS if f not in REQUIRED_FIELDS and f in lines]     # optional columns: country, ...
    specs = {**{column: groupings[label] for column, label in customer_level.items()},
             "category": "category", "month": "month", **{f: f for f in mapped}}
    names = {**customer_level,
             "category": t("tests.group.category"), "month": t("tests.group.month"),
             **{f: t(f"tests.group.{f}") for f in FIELDS if f in specs}}
    # a mapped column labels a customer by its main value; product codes are too many to label customers
    per_customer = [*customer_level, *(f for f in mapped if f != "product_code")]
    left, middle, right = st.columns(3)
    metric = remembered(left.selectbox, t("tests.what"), list(METRIC_LABELS), "tests_metric", "order_value",
                        format_func=METRIC_LABELS.get)
    excluded = {"monthly_revenue": {"month"}, "revenue_per_product": {"product_code"},   # a code is one product
                stats.CATEGORY_MIX: {"category", "dominant_category", "product_code"}, stats.REPEAT_RATE: {"lifecycle"}}
    offered = per_customer if metric in (stats.REPEAT_RATE, stats.GROUPING_MIX) else specs
    keys = [key for key in offered if key not in excluded.get(metric, ())]
    key = remembered(middle.selectbox, t("tests.groups_of"), keys, "tests_grouping", keys[0],
                     format_func=lambda k: names.get(k, k))
    label, variable, second = names[key], CATEGORICAL.get(metric), ""
    rows = t("stats.repeat_status").capitalize() if metric == stats.REPEAT_RATE else None  # what the chart stacks
    if metric == stats.GROUPING_MIX:
        others = [k for k in per_customer if k != key]
        second = remembered(right.selectbox, t("tests.compare_with"), others, "tests_second_grouping", others[0],
                            format_func=lambda k: names.get(k, k))
        variable, rows = specs[second], names[second]
    try:
        with st.spinner(t("tests.spinner_samples")):
            samples = cached_samples(basis, metric, key, second, lines, specs[key], variable)
    except InputError as exc:
        st.error(state.text(exc))
        return
    sizes = stats.group_sizes(samples)
    if len(sizes) < 2:
        st.info(t("tests.one_group", grouping=label))
        return
    unit = UNITS.get(metric) or ("orders" if isinstance(specs[key], str) and specs[key] != "repeat"
                                 else "customers")
    shown = {g: f"{segment_name(g)} ({format_number(sizes[g], lang=lang)})" for g in sizes.index}
    groups = remembered(st.multiselect, t("tests.groups_to_compare", unit=t(f"tests.unit.{unit}")),
                        sizes.index.tolist(), f"tests_groups_{basis[:12]}_{metric}_{key}", sizes.index[:2].tolist(),
                        format_func=lambda g: shown.get(g, g), placeholder=t("tests.pick_groups"))
    if metric in CATEGORICAL:
        two_proportions = metric == stats.REPEAT_RATE and len(groups) == 2
        st.markdown(t("tests.two_proportions" if two_proportions else "tests.chi_square"))
    else:
        shape = ("paired" if metric in stats.PAIRED_METRICS else "two") if len(groups) <= 2 else "many"
        kind = remembered(st.radio, t("tests.test"), ["rank", "means"], "tests_kind", "rank",
                          format_func=lambda k: TESTS[(k, shape)])
    if st.button(t("tests.run"), type="primary", disabled=len(groups) < 2,
                 help=None if len(groups) >= 2 else t("tests.pick_two")):
        with st.spinner(t("tests.spinner_run")):
            try:
                if metric == stats.REPEAT_RATE:
                    result = stats.compare_repeat_rate(lines, specs[key], groups, label.lower(), alpha, lang=lang)
                elif metric in CATEGORICAL:
                    result = stats.compare_mix(lines, specs[key], groups, label.lower(), alpha, lang=lang,
                                               variable=variable, variable_label=(rows or "").lower())
                else:
                    many = t("tests.question_many", metric=METRIC_LABELS[metric].lower(), n=len(groups),
                             grouping=label)
                    result = stats.compare_metric(lines, metric, specs[key], groups, kind == "means", alpha,
                                                  correction, question=many if len(groups) > 4 else "", lang=lang)
                record([result], [samples], [metric], [label], correction, [rows])
            except InputError as exc:
                st.error(state.text(exc))


def preset(alpha: float, correction: str) -> None:
    st.markdown(t("tests.preset_intro"))
    segments = groupings.get(state.grouping_label("segment"))
    ranked_segments, ranked_categories = stats.preset_choices(lines, segments) if segments is not None else ([], [])
    if len(ranked_segments) < 2 or len(ranked_categories) < 2:
        st.info(t("tests.preset_unavailable"))
        return
    left, middle = st.columns(2)
    segment_names = {name: segment_name(name) for name in ranked_segments}
    segment_pair = remembered(left.multiselect, t("tests.segments_q1"), ranked_segments, "tests_preset_segments",
                              ranked_segments[:2], max_selections=2, format_func=lambda s: segment_names.get(s, s))
    category_pair = remembered(middle.multiselect, t("tests.categories_q4"), ranked_categories,
                               "tests_preset_categories", ranked_categories[:2], max_selections=2)
    if st.button(t("tests.run_preset"), type="primary",
                 disabled=len(segment_pair) != 2 or len(category_pair) != 2):
        with st.spinner(t("tests.spinner_preset")):
            try:
                results = stats.research_preset(lines, segments, alpha, correction, tuple(segment_pair),
                                                tuple(category_pair), lang=lang)
                record(results, stats.research_samples(lines, segments, results),
                       ["order_value", stats.CATEGORY_MIX, "monthly_revenue", "revenue_per_product"],
                       [t("common.segment"), t("common.segment"), t("common.customers"), t("common.category")],
                       correction)
            except InputError as exc:
                st.error(state.text(exc))


options = st.columns([2, 3, 3])
alpha = remembered(options[0].radio, t("tests.alpha"), [0.01, 0.05, 0.10], "tests_alpha", 0.05,
                   horizontal=True, format_func=lambda a: f"{a:.2f}", help=t("tests.alpha_help"))
correction = remembered(options[1].radio, t("tests.correction"), list(CORRECTIONS),
                        "tests_correction", "holm", horizontal=True, format_func=CORRECTIONS.get,
                        help=t("tests.correction_help"))
build_tab, preset_tab = st.tabs([t("tests.tab_build"), t("tests.tab_preset")])
with build_tab:
    builder(alpha, correction)
with preset_tab:
    preset(alpha, correction)
for number, run in enumerate(st.session_state[LAST_KEY], 1):
    show(run, number)

st.subheader(t("tests.all_results"))
results = st.session_state[RESULTS_KEY]
if not results:
    st.info(t("tests.none_yet"))
    st.stop()
st.dataframe(localized_table(stats.results_table(results, lang)), hide_index=True, key="tests_table", column_config={
    t("tests.col.Question"): st.column_config.TextColumn(width="large"),
    t("tests.col.Verdict"): st.column_config.TextColumn(width="large")}, placeholder="—")
download, clear, _ = st.columns([2, 1, 3])
table = stats.results_frame(results, lang)
download.download_button(t("tests.download", rows=i18n.tn("count.rows", len(table), lang)),
                         table.to_csv(index=False).encode("utf-8-sig"), file_name="test_results.csv",
                         mime="text/csv", key="download_test_results")
if clear.button(t("tests.clear")):
    st.session_state.update({RESULTS_KEY: [], LAST_KEY: []})
    st.rerun()
