"""Clusters: k-means groups of customers on recency, frequency and spend, named, profiled, compared with the RFM
segments; new customers are assigned with the fitted model.

Session state: widgets ``clusters_k`` (0 = the suggested k), ``clusters_seed``, ``clusters_shares`` and the typed
customer's ``clusters_new_*``, each mirrored in ``<key>_kept`` (plain keys survive page switches, widget keys do not)
and re-seeded from it on every visit. ``cluster_labels`` (``core.clustering.LABELS_KEY``): the current fit's
labels, a Series indexed by customer_id with values 1..k, for the exports (``clustering.labels_frame`` adds the
names); ``cluster_model``: the fitted ``ClusterModel``. Both are replaced on every visit of this page.
"""
import dataclasses
import json

import pandas as pd
import streamlit as st

from core import charts, clustering
from core.errors import InputError
from core.formatting import format_money, format_number
from ui import state
from ui.widgets import chart_with_download, seed_widget

MODEL_KEY = "cluster_model"

st.set_page_config(page_title="Clusters", page_icon="🧩", layout="wide")
state.require_data()
st.title("Customer clusters")
st.caption("Groups of similar customers found by k-means on days since the last purchase, number of orders and "
           "spend (log scale, standardised). Unlike RFM segments, the groups come from the data itself.")

try:
    segmentation, lines = state.segmentation(), state.lines()
except InputError as exc:
    st.error(str(exc))
    st.stop()
customers = segmentation.customers
if len(customers) < clustering.MIN_CUSTOMERS:
    st.info(f"Clustering needs at least {clustering.MIN_CUSTOMERS} customers; this data has "
            f"{format_number(len(customers))}. Upload a longer order export on the home page.")
    st.stop()


def _kept(key: str, default) -> str:
    """The widget key, seeded from its plain mirror (or ``default``); :func:`_keep` updates the mirror."""
    return seed_widget(key, st.session_state.get(f"{key}_kept", default))


def _keep(key: str, value):
    st.session_state[f"{key}_kept"] = value
    return value


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False,
                      default=lambda o: dataclasses.asdict(o) if dataclasses.is_dataclass(o) else str(o))


current = state.settings()
data_key = _json([current.sheet, current.mapping, current.cleaning, current.analysis_date, list(state.rules())])
digest = state.source().digest


@st.cache_data(max_entries=4, show_spinner="Computing category spend shares…")
def _shares(digest: str, data_key: str, _lines):
    return clustering.share_features(_lines)


@st.cache_data(max_entries=4, show_spinner="Trying 2 to 8 clusters…")
def _suggest(digest: str, data_key: str, seed: int, use_shares: bool, _customers, _extra):
    return clustering.suggest_k(_customers, seed=seed, extra=_extra)


@st.cache_data(max_entries=8, show_spinner="Finding the clusters…")
def _fit(digest: str, data_key: str, k: int, seed: int, use_shares: bool, _customers, _extra):
    return clustering.fit_clusters(_customers, k, seed=seed, extra=_extra)


choose, seed_column, shares_column = st.columns([2, 1, 2])
seed = _keep("clusters_seed", int(seed_column.number_input(
    "Random seed", min_value=0, max_value=2**31 - 1, step=1, key=_kept("clusters_seed", 0),
    help="The same seed always gives the same clusters.")))
use_shares = _keep("clusters_shares", shares_column.checkbox(
    "Also use category spend shares", key=_kept("clusters_shares", False),
    help="Customers who buy in the same categories end up closer together."))
extra = _shares(digest, data_key, lines) if use_shares else None
suggestions = _suggest(digest, data_key, seed, use_shares, customers, extra)
suggested = clustering.best_k(suggestions)
if suggested is None:
    st.info("These customers are too alike to split into clusters (too few different order histories).")
    st.stop()
choice = _keep("clusters_k", choose.selectbox(
    "Number of clusters", [0, *clustering.K_RANGE], key=_kept("clusters_k", 0),
    format_func=lambda k: f"Suggested: {suggested} (best silhouette)" if k == 0 else str(k)))
k = suggested if choice == 0 else int(choice)
try:
    model, labels = _fit(digest, data_key, k, seed, use_shares, customers, extra)
except InputError as exc:
    st.error(str(exc))
    st.stop()
st.session_state[clustering.LABELS_KEY] = labels
st.session_state[MODEL_KEY] = model

quality = suggestions.set_index("k")["silhouette"]
cells = st.columns(3)
cells[0].metric("Clusters", format_number(k))
cells[1].metric("Customers", format_number(len(labels)))
cells[2].metric("Silhouette", format_number(quality.get(k), 2), help="−1..1; above 0.5 is a clear structure, "
                "0.25–0.5 a reasonable one, below 0.25 weak.")
with st.expander("How many clusters? Silhouette and inertia for 2 to 8"):
    chart_with_download(charts.cluster_quality_chart(suggestions, k), suggestions, "cluster_quality")

st.subheader("Cluster profiles")
profiles = clustering.cluster_profiles(customers, labels, lines, model.names)
profiles[["share_customers", "share_revenue"]] *= 100
number, share = st.column_config.NumberColumn, "%.1f%%"
COLUMNS = {"cluster": number("Cluster", format="%d"), "name": "Name", "recency_days": number("Days since purchase"),
           "customers": number("Customers", format="localized"), "share_customers": number("Share", format=share),
           "median_recency_days": number("Median days since purchase", format="%.0f"),
           "median_frequency": number("Median orders", format="%.0f"), "frequency": number("Orders"),
           "median_monetary": number("Median spend", format="localized"),
           "monetary": number("Spend", format="localized"),
           "share_revenue": number("Revenue share", format=share), "top_categories": "Top categories",
           "revenue": number("Revenue", format="localized"), "median_R": number("Median R", format="%.1f"),
           "median_F": number("Median F", format="%.1f"), "median_M": number("Median M", format="%.1f"),
           "cluster_name": "Cluster name", "customer_id": "Customer", "segment": "RFM segment"}
st.dataframe(profiles.round({"revenue": 0, "median_monetary": 0}), hide_index=True, width="stretch",
             column_config=COLUMNS, column_order=[c for c in COLUMNS if c in profiles])
st.caption("Names compare each cluster's typical customer with all customers (lower, middle or upper third).")
assigned = clustering.labels_frame(labels, model)
st.download_button(f"Download the cluster of each customer ({format_number(len(assigned))} rows, CSV)",
                   assigned.to_csv(index=False).encode("utf-8-sig"), file_name="customer_clusters.csv",
                   mime="text/csv", key="download_customer_clusters")

st.subheader("Recency and spend")
points = clustering.plot_sample(customers, labels, model.names, seed=seed)
chart_with_download(charts.cluster_scatter_chart(points), points, "cluster_scatter")
hidden = int((customers["monetary"] <= 0).sum())
if len(points) < len(customers):
    st.caption(f"{format_number(len(points))} of {format_number(len(customers))} customers shown"
               + (f"; {format_number(hidden)} with no positive spend cannot sit on a log axis." if hidden else
                  " (a fixed random sample)."))

st.subheader("Clusters and RFM segments")
counts = clustering.cluster_segment_counts(labels, customers.set_index("customer_id")["segment"], model.names)
segment_order = [s for s in customers["segment"].cat.categories if s in set(counts["segment"])]
chart_with_download(charts.cluster_segment_heatmap(counts, segment_order), counts, "clusters_by_segment")
table = counts.pivot(index="cluster_label", columns="segment", values="customers")[segment_order]
st.dataframe(table.rename_axis(index="Cluster", columns=None), width="stretch",
             column_config={s: number(s, format="localized") for s in segment_order})

st.subheader("Assign new customers")
st.caption("New customers get the nearest cluster of the model fitted above and an RFM segment under the current "
           "thresholds; nothing is refitted on them.")
typed, from_file = st.tabs(["Type one customer", "Upload a file"])
with typed:
    left, middle, right = st.columns(3)
    recency = _keep("clusters_new_recency", left.number_input(
        "Days since the last purchase", min_value=1, step=1, key=_kept("clusters_new_recency", 30)))
    frequency = _keep("clusters_new_frequency", middle.number_input(
        "Orders", min_value=1, step=1, key=_kept("clusters_new_frequency", 1)))
    monetary = _keep("clusters_new_monetary", right.number_input(
        "Spend", min_value=0.0, step=100.0, format="%.0f",
        key=_kept("clusters_new_monetary", float(round(customers["monetary"].median())))))
    typed_customer = {"customer_id": ["typed"], "recency_days": [recency], "frequency": [frequency],
                      "monetary": [monetary]}
    row = clustering.classify_new(model, pd.DataFrame(typed_customer), segmentation.scores,
                                  segmentation.segment_map).iloc[0]
    st.success(f"Cluster **{model.label(int(row['cluster']))}** · RFM segment **{row['segment']}** "
               f"(R {row['R']}, F {row['F']}, M {row['M']}) for {format_number(recency)} days, "
               f"{format_number(frequency)} order{'s' if frequency != 1 else ''}, {format_money(monetary)} spend.")
    if use_shares:
        st.caption("Category shares of a typed-in customer count as average.")
with from_file:
    new_file = st.file_uploader("Order export with new customers or a new period",
                                type=["csv", "txt", "tsv", "xlsx", "xlsm"], key="clusters_new_file",
                                help="Read with the current column mapping and cleaning options.")
    if new_file is not None:
        try:
            new = clustering.classify_file(new_file.getvalue(), new_file.name, current, model, segmentation,
                                           state.rules())
        except InputError as exc:
            st.error(str(exc))
        else:
            summary = new.groupby(["cluster", "cluster_name"]).size().rename("customers").reset_index()
            st.markdown(f"**{format_number(len(new))}** customers assigned.")
            st.dataframe(summary, hide_index=True, column_config=COLUMNS)
            st.dataframe(new, hide_index=True, width="stretch", column_config=COLUMNS)
            st.download_button("Download the new customers' clusters (CSV)",
                               new.to_csv(index=False).encode("utf-8-sig"), file_name="new_customer_clusters.csv",
                               mime="text/csv", key="download_new_clusters")
