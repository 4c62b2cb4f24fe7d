"""Clusters: k-means groups of customers on recency, frequency and spend, named, profiled, compared with the RFM
segments; new customers are assigned with the fitted model.

Session state: widgets ``clusters_k`` (0 = the suggested k), ``clusters_seed`` and ``clusters_shares``, seeded
from the settings' ``clusters`` (``core.settings.ClusterChoices``), which they write back, so the choices survive
page switches and go into the settings file (the first visit adds them: the clusters are then part of the
analysis and its exports); the typed customer's ``clusters_new_*``, each mirrored in ``<key>_kept`` (plain keys
survive page switches, widget keys do not) and re-seeded from it on every visit. ``cluster_labels``
(``core.clustering.LABELS_KEY``): the current fit's labels, a Series indexed by customer_id with values 1..k, for
the exports (``clustering.export_columns`` adds the names); ``cluster_model``: the fitted ``ClusterModel``;
``cluster_basis``: the data digest + ``clustering.export_key`` they were fitted under, which the Export page
checks. All three are replaced on every visit of this page.
"""
import pandas as pd
import streamlit as st

from core import charts, clustering
from core.errors import InputError
from core.formatting import format_money, format_number
from core.settings import SEED_MAX, ClusterChoices
from ui import state
from ui.state import segment_name, t, tn
from ui.widgets import chart_with_download, mirror, mirrored_key, seed_widget

MODEL_KEY, BASIS_KEY = "cluster_model", "cluster_basis"

lang = state.start_page("pages/7_Clusters.py")
state.require_data()

try:
    segmentation, lines = state.segmentation(), state.lines()
except InputError as exc:
    st.error(state.text(exc))
    st.stop()
customers = segmentation.customers
if len(customers) < clustering.MIN_CUSTOMERS:
    st.info(t("clusters.too_few", minimum=clustering.MIN_CUSTOMERS, n=format_number(len(customers), lang=lang)))
    st.stop()


current, rules = state.settings(), state.rules()
data_key = clustering.settings_key(current, rules)
digest = state.source().digest
saved = current.clusters or ClusterChoices()


@st.cache_resource(max_entries=4, show_spinner=False)
def _shares(digest: str, data_key: str, _lines):
    return clustering.share_features(_lines)


@st.cache_resource(max_entries=4, show_spinner=False)
def _suggest(digest: str, data_key: str, seed: int, use_shares: bool, _customers, _extra):
    return clustering.suggest_k(_customers, seed=seed, extra=_extra)


@st.cache_resource(max_entries=8, show_spinner=False)
def _fit(digest: str, data_key: str, k: int, seed: int, use_shares: bool, _customers, _extra):
    return clustering.fit_clusters(_customers, k, seed=seed, extra=_extra)


choose, seed_column, shares_column = st.columns([2, 1, 2])
seed = int(seed_column.number_input(t("clusters.seed"), min_value=0, max_value=SEED_MAX, step=1,
                                    key=seed_widget("clusters_seed", saved.seed), help=t("clusters.seed_help")))
use_shares = shares_column.checkbox(t("clusters.shares"), key=seed_widget("clusters_shares", saved.category_shares),
                                    help=t("clusters.shares_help"))
with st.spinner(t("clusters.spinner_shares")):
    extra = _shares(digest, data_key, lines) if use_shares else None
with st.spinner(t("clusters.spinner_suggest")):
    suggestions = _suggest(digest, data_key, seed, use_shares, customers, extra)
suggested = clustering.best_k(suggestions)
if suggested is None:
    st.info(t("clusters.too_alike"))
    st.stop()
suggested_label = t("clusters.suggested", k=suggested)
choice = int(choose.selectbox(t("clusters.k"), [0, *clustering.K_RANGE], key=seed_widget("clusters_k", saved.k),
                             format_func=lambda k: suggested_label if k == 0 else str(k)))
picked = ClusterChoices(k=choice, seed=seed, category_shares=use_shares)
if picked != current.clusters:
    current = state.update_settings(clusters=picked)
k = suggested if choice == 0 else choice
try:
    with st.spinner(t("clusters.spinner_fit")):
        model, labels = _fit(digest, data_key, k, seed, use_shares, customers, extra)
except InputError as exc:
    st.error(state.text(exc))
    st.stop()
st.session_state[clustering.LABELS_KEY] = labels
st.session_state[MODEL_KEY] = model
st.session_state[BASIS_KEY] = digest + clustering.export_key(current, rules)
names = [clustering.display_name(name, lang) for name in model.names]     # as the interface shows them


def label(cluster: int) -> str:
    return f"{cluster} · {names[cluster - 1]}"


money = state.currency()
with_money = (lambda text: f"{text}, {money}") if money else (lambda text: text)
quality = suggestions.set_index("k")["silhouette"]
cells = st.columns(3)
cells[0].metric(t("clusters.clusters"), format_number(k, lang=lang))
cells[1].metric(t("common.customers"), format_number(len(labels), lang=lang))
cells[2].metric(t("clusters.silhouette"), format_number(quality.get(k), 2, lang), help=t("clusters.silhouette_help"))
with st.expander(t("clusters.how_many")):
    chart_with_download(charts.cluster_quality_chart(suggestions, k), suggestions, "cluster_quality")

st.subheader(t("clusters.profiles"))
profiles = clustering.cluster_profiles(customers, labels, lines, names)
profiles[["share_customers", "share_revenue"]] *= 100
number, share = st.column_config.NumberColumn, "%.1f%%"
COLUMNS = {"cluster": number(t("clusters.cluster"), format="%d"), "name": t("clusters.name"),
           "recency_days": number(t("clusters.days_since")),
           "customers": number(t("common.customers"), format="localized"),
           "share_customers": number(t("common.share"), format=share),
           "median_recency_days": number(t("clusters.median_days"), format="%.0f"),
           "median_frequency": number(t("clusters.median_orders"), format="%.0f"),
           "frequency": number(t("common.orders")),
           "median_monetary": number(with_money(t("clusters.median_spend")), format="localized"),
           "monetary": number(with_money(t("clusters.spend")), format="localized"),
           "share_revenue": number(t("clusters.revenue_share"), format=share),
           "top_categories": st.column_config.TextColumn(t("profiles.top_categories"), width="large"),
           "revenue": number(with_money(t("common.revenue")), format="localized"),
           "median_R": number(t("clusters.median_score", score="R"), format="%.1f"),
           "median_F": number(t("clusters.median_score", score="F"), format="%.1f"),
           "median_M": number(t("clusters.median_score", score="M"), format="%.1f"),
           "cluster_name": t("clusters.cluster_name"), "customer_id": t("clusters.customer"),
           "segment": t("state.grouping.segment")}
shown = profiles.round({"revenue": 0, "median_monetary": 0})
figures = [c for c in COLUMNS if c in profiles and c != "top_categories"]
st.dataframe(shown, hide_index=True, width="stretch", column_config=COLUMNS, column_order=figures, placeholder="—")
if "top_categories" in profiles:                     # the long texts in a table of their own, so nothing is cut
    st.dataframe(shown, hide_index=True, width="stretch", column_config=COLUMNS,
                 column_order=["cluster", "name", "top_categories"], placeholder="—")
st.caption(t("clusters.names_caption"))
assigned = clustering.labels_frame(labels, model)
assigned["cluster_name"] = [names[c - 1] for c in assigned["cluster"]]
st.download_button(t("clusters.download", rows=tn("count.rows", len(assigned))),
                   assigned.to_csv(index=False).encode("utf-8-sig"), file_name="customer_clusters.csv",
                   mime="text/csv", key="download_customer_clusters")

st.subheader(t("clusters.recency_spend"))
points = clustering.plot_sample(customers, labels, names, seed=seed)
chart_with_download(charts.cluster_scatter_chart(points, money), points, "cluster_scatter")
hidden = int((customers["monetary"] <= 0).sum())
if len(points) < len(customers):
    shown = t("clusters.shown", shown=format_number(len(points), lang=lang), total=format_number(len(customers),
                                                                                                 lang=lang))
    st.caption(shown + (t("clusters.hidden", n=format_number(hidden, lang=lang)) if hidden else
                        t("clusters.sample")))

st.subheader(t("clusters.vs_segments"))
counts = clustering.cluster_segment_counts(labels, customers.set_index("customer_id")["segment"], names)
segment_order = [segment_name(s) for s in customers["segment"].cat.categories if s in set(counts["segment"])]
counts["segment"] = counts["segment"].map(segment_name)
chart_with_download(charts.cluster_segment_heatmap(counts, segment_order), counts, "clusters_by_segment")
table = counts.pivot(index="cluster_label", columns="segment", values="customers")[segment_order]
st.dataframe(table.rename_axis(index=t("clusters.cluster"), columns=None), width="stretch",
             column_config={s: number(s, format="localized", width="medium") for s in segment_order}, placeholder="—")

st.subheader(t("clusters.assign"))
st.caption(t("clusters.assign_caption"))
typed, from_file = st.tabs([t("clusters.tab_typed"), t("clusters.tab_file")])
with typed:
    left, middle, right = st.columns(3)
    recency = mirror("clusters_new_recency", left.number_input(
        t("clusters.days_since_last"), min_value=1, step=1, key=mirrored_key("clusters_new_recency", 30)))
    frequency = mirror("clusters_new_frequency", middle.number_input(
        t("common.orders"), min_value=1, step=1, key=mirrored_key("clusters_new_frequency", 1)))
    monetary = mirror("clusters_new_monetary", right.number_input(
        with_money(t("clusters.spend")), min_value=0.0, step=100.0, format="%.0f",
        key=mirrored_key("clusters_new_monetary", float(round(customers["monetary"].median())))))
    typed_customer = {"customer_id": ["typed"], "recency_days": [recency], "frequency": [frequency],
                      "monetary": [monetary]}
    row = clustering.classify_new(model, pd.DataFrame(typed_customer), segmentation.scores,
                                  segmentation.segment_map).iloc[0]
    st.success(t("clusters.typed_result", cluster=label(int(row["cluster"])), segment=segment_name(row["segment"]),
                 r=row["R"], f=row["F"], m=row["M"], days=format_number(recency, lang=lang),
                 orders=tn("count.orders", frequency), spend=format_money(monetary, money, lang=lang)))
    if use_shares:
        st.caption(t("clusters.typed_shares"))
with from_file:
    new_file = st.file_uploader(t("clusters.new_file"), type=["csv", "txt", "tsv", "xlsx", "xlsm"],
                                key="clusters_new_file", help=t("clusters.new_file_help"))
    if new_file is not None:
        try:
            new = clustering.classify_file(new_file.getvalue(), new_file.name, current, model, segmentation, rules)
        except InputError as exc:
            st.error(state.text(exc))
        else:
            new = new.assign(cluster_name=[names[c - 1] for c in new["cluster"]],
                             segment=new["segment"].map(segment_name))
            summary = new.groupby(["cluster", "cluster_name"]).size().rename("customers").reset_index()
            st.markdown(t("clusters.assigned", n=format_number(len(new), lang=lang)))
            st.dataframe(summary, hide_index=True, column_config=COLUMNS, placeholder="—")
            st.dataframe(new, hide_index=True, width="stretch", column_config=COLUMNS, placeholder="—")
            st.download_button(t("clusters.download_new"),
                               new.to_csv(index=False).encode("utf-8-sig"), file_name="new_customer_clusters.csv",
                               mime="text/csv", key="download_new_clusters")
