"""k-means clusters of customers on log-transformed, standardised recency, frequency and monetary value.

Features: ``recency_days``, ``frequency`` and ``monetary`` are transformed with ``log1p`` (monetary clipped at 0
first, so net returns cannot make it undefined), then standardised with the fitted data's mean and standard
deviation. Optional category spend shares (``share_features``) are standardised too and down-weighted so that
all shares together weigh as much as one RFM feature.

Fitting is deterministic for a seed and independent of row order: customers are sorted by ``customer_id``, then
``n_init`` k-means++ starts (scipy ``kmeans2``, one ``numpy`` Generator from the seed) are refined by Lloyd
iterations and the lowest inertia (sum of squared distances in the standardised space) wins. Cluster ids are
canonical: 1..k by descending median monetary value of their customers (ties: by centre), so the same data and
seed always give the same ids, cluster 1 being the biggest spenders.

Labels are a Series indexed by customer_id, named ``cluster``, int64 values 1..k; the app keeps them in
``st.session_state["cluster_labels"]`` for the exports (see :func:`labels_frame`).

New customers are assigned with the *fitted* model (its means, stds and centres) and scored against the current
RFM score edges (:func:`score_against`); nothing is refitted on new data.
"""
from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster.vq import kmeans2, vq
from scipy.spatial.distance import cdist

from core import categories, i18n, pipeline, rfm, segments
from core.codes import positions
from core.errors import InputError
from core.i18n import Message
from core.settings import ClusterChoices, Settings

FEATURES = ("recency_days", "frequency", "monetary")
LOG_FEATURES = frozenset(FEATURES)
SHARE_PREFIX = "share: "
K_RANGE = range(2, 9)
MIN_CUSTOMERS = 10
N_INIT = 5
MAX_ITER = 100
TOLERANCE = 1e-6          # stop when the centres move less than this (sum of squares, standardised units)
SUGGEST_SAMPLE = 20_000   # suggest_k fits on a fixed-seed sample of at most this many customers
SILHOUETTE_SAMPLE = 5000
PLOT_SAMPLE = 5000
LABELS_KEY = "cluster_labels"    # st.session_state key of the page's labels Series (for the exports)
_LEVELS = {   # low, middle, high value of the feature -> words
    "recency_days": ("recent", "lapsing", "inactive"),
    "frequency": ("infrequent", "occasional", "frequent"),
    "monetary": ("low spend", "mid spend", "high spend"),
}
ONE_TIME = "one-time"   # frequency word when the centre is below 1.5 orders
_DOMINANT_SHARE = 0.5


@dataclass(frozen=True)
class ClusterModel:
    """A fitted clustering, everything needed to assign new customers and to name the clusters.

    features: columns used, RFM ones first, then ``"share: <category>"``. means, stds: of the transformed
    features (log1p for RFM) on the fitted customers; stds include the shares' down-weighting and are 1 for
    constant features. centres: k rows in the standardised space, row i = cluster i + 1 (canonical order).
    inertia: sum of squared distances to the centres (standardised space). names: descriptive name per cluster.
    percentiles: 0..100th percentiles (101 values) of each RFM feature on the fitted data, original units, used
    to describe centres.
    """

    features: tuple[str, ...]
    means: tuple[float, ...]
    stds: tuple[float, ...]
    centres: tuple[tuple[float, ...], ...]
    k: int
    seed: int
    inertia: float
    names: tuple[str, ...]
    percentiles: tuple[tuple[float, ...], ...] = ()

    def label(self, cluster: int) -> str:
        """``"1 · recent, frequent, high spend"``: id and name, as the page and charts show a cluster."""
        return f"{cluster} · {self.names[cluster - 1]}"


# ----------------------------------------------------------------------------------------------------------------
# Fitting


def share_features(lines: pd.DataFrame, category_col: str = "category") -> pd.DataFrame:
    """Category spend shares per customer (index customer_id, one 0..1 column per category) for ``extra``."""
    return categories.category_spend_shares(lines, category_col).drop(columns="dominant_category")


def fit_clusters(customers: pd.DataFrame, k: int, seed: int = 0, features: Sequence[str] = FEATURES,
                 extra: pd.DataFrame | None = None, n_init: int = N_INIT) -> tuple[ClusterModel, pd.Series]:
    """Fit k-means with ``k`` clusters; returns the model and the labels (index customer_id, values 1..k).

    ``customers``: one row per customer with a ``customer_id`` column (or index) and the ``features`` columns.
    ``extra``: optional per-customer numeric columns (index customer_id), e.g. :func:`share_features`; customers
    missing from it get 0. Raises InputError for fewer than ``k`` distinct customers, k < 2 or missing values.
    """
    ids, raw, names = _design(customers, features, extra)
    if not isinstance(k, (int, np.integer)) or k < 2:
        raise InputError(Message("errors.clustering.bad_k", k=k))
    means, stds = _scaler(raw, names)
    z = (raw - means) / stds
    _require_distinct(z, k)
    centres, labels, inertia = _best_of(z, k, np.random.default_rng(seed), n_init)
    centres, labels = _canonical(centres, labels, _monetary(customers, ids))
    model = ClusterModel(features=names, means=tuple(means.tolist()), stds=tuple(stds.tolist()),
                         centres=tuple(tuple(row) for row in centres.tolist()), k=int(k), seed=int(seed),
                         inertia=float(inertia), names=(), percentiles=_percentiles(raw, names))
    model = dataclasses.replace(model, names=tuple(describe_centres(model)))
    return model, pd.Series(labels + 1, index=pd.Index(ids, name="customer_id"), name="cluster", dtype="int64")


def suggest_k(customers: pd.DataFrame, ks: Iterable[int] = K_RANGE, seed: int = 0,
              features: Sequence[str] = FEATURES, extra: pd.DataFrame | None = None,
              n_init: int = N_INIT, max_customers: int = SUGGEST_SAMPLE) -> pd.DataFrame:
    """Silhouette and inertia of a fit per k (columns k, silhouette, inertia; ks the data cannot support skipped).

    With more than ``max_customers`` customers the fits use a fixed-seed sample of that many (scaled like the
    whole table), and inertia is that sample's. Silhouette (−1..1, higher = better separated) is computed on a
    fixed-seed sample of at most ``SILHOUETTE_SAMPLE`` customers; inertia always falls with k, look for the elbow.
    """
    _, raw, names = _design(customers, features, extra)
    means, stds = _scaler(raw, names)
    z = (raw - means) / stds
    if len(z) > max_customers:
        z = z[np.sort(np.random.default_rng(seed).choice(len(z), max_customers, replace=False))]
    distinct = len(np.unique(z, axis=0))
    rows = []
    for k in ks:
        if k < 2 or k >= distinct:
            continue
        _, labels, inertia = _best_of(z, int(k), np.random.default_rng(seed), n_init)
        rows.append({"k": int(k), "silhouette": silhouette(z, labels, seed=seed), "inertia": float(inertia)})
    return pd.DataFrame(rows, columns=["k", "silhouette", "inertia"]).astype(
        {"k": "int64", "silhouette": "float64", "inertia": "float64"})


def best_k(suggestions: pd.DataFrame) -> int | None:
    """The k with the highest silhouette (ties: the smaller k); None when there is no suggestion."""
    if suggestions.empty:
        return None
    return int(suggestions.sort_values(["silhouette", "k"], ascending=[False, True])["k"].iloc[0])


def silhouette(points: np.ndarray, labels: np.ndarray, max_points: int = SILHOUETTE_SAMPLE, seed: int = 0) -> float:
    """Mean silhouette (Euclidean) of ``points`` labelled ``labels``, on a fixed-seed sample of ``max_points``.

    s(i) = (b − a) / max(a, b) with a the mean distance to the other members of i's cluster and b the smallest
    mean distance to another cluster; 0 for members of one-point clusters. Computed in blocks of rows against
    the whole sample (memory ~ 1000 × sample). NaN when the sample has fewer than 2 clusters.
    """
    x = np.asarray(points, dtype="float64")
    x = x.reshape(len(x), -1)
    labels = np.asarray(labels)
    if len(x) > max_points:
        keep = np.sort(np.random.default_rng(seed).choice(len(x), max_points, replace=False))
        x, labels = x[keep], labels[keep]
    _, codes = np.unique(labels, return_inverse=True)
    k = int(codes.max()) + 1 if len(codes) else 0
    if k < 2:
        return float("nan")
    members = np.zeros((len(x), k))
    members[np.arange(len(x)), codes] = 1.0
    sizes = members.sum(axis=0)
    scores = np.empty(len(x))
    for start in range(0, len(x), 1000):
        rows = np.arange(start, min(start + 1000, len(x)))
        sums = cdist(x[rows], x) @ members                       # distance sums to each cluster
        own = codes[rows]
        own_size = sizes[own]
        a = sums[np.arange(len(rows)), own] / np.maximum(own_size - 1, 1)
        means = sums / sizes
        means[np.arange(len(rows)), own] = np.inf
        b = means.min(axis=1)
        spread = np.maximum(a, b)
        block = np.divide(b - a, spread, out=np.zeros(len(rows)), where=spread > 0)
        scores[rows] = np.where(own_size > 1, block, 0.0)
    return float(scores.mean())


# ----------------------------------------------------------------------------------------------------------------
# Using a fitted model


def assign(model: ClusterModel, new_customers: pd.DataFrame, extra: pd.DataFrame | None = None) -> pd.Series:
    """Cluster (1..k) of each new customer: nearest fitted centre after the fitted transform and scaling.

    ``new_customers`` needs the model's RFM feature columns. Share features come from ``extra``; when it is
    None, shares count as average (the fitted mean), e.g. for a customer typed in by hand. Customers missing
    from ``extra`` get 0 shares. Index: customer_id (column or index), in the input's row order.
    """
    rfm_features = [f for f in model.features if not f.startswith(SHARE_PREFIX)]
    ids, raw, _ = _design(new_customers, rfm_features, None, sort=False)
    means, stds = np.array(model.means), np.array(model.stds)
    z = np.zeros((len(ids), len(model.features)))
    z[:, :len(rfm_features)] = (raw - means[:len(rfm_features)]) / stds[:len(rfm_features)]
    if extra is not None and len(model.features) > len(rfm_features):
        columns = [f.removeprefix(SHARE_PREFIX) for f in model.features[len(rfm_features):]]
        shares = extra.reindex(index=ids, columns=columns).fillna(0.0).to_numpy(dtype="float64")
        z[:, len(rfm_features):] = (shares - means[len(rfm_features):]) / stds[len(rfm_features):]
    labels, _ = vq(z, np.array(model.centres), check_finite=False)
    return pd.Series(labels + 1, index=pd.Index(ids, name="customer_id"), name="cluster", dtype="int64")


def centres_frame(model: ClusterModel) -> pd.DataFrame:
    """The centres in the features' own units (recency days, orders, money, shares 0..1), one row per cluster.

    Columns: cluster, name, then the features. RFM centres are back-transformed with ``expm1``, so they are
    geometric-mean-like typical values rather than arithmetic means.
    """
    values = np.array(model.centres) * np.array(model.stds) + np.array(model.means)
    logged = np.array([f in LOG_FEATURES for f in model.features])
    values[:, logged] = np.expm1(values[:, logged])
    frame = pd.DataFrame(values, columns=list(model.features))
    frame.insert(0, "name", list(model.names) if model.names else [""] * model.k)
    frame.insert(0, "cluster", np.arange(1, model.k + 1, dtype="int64"))
    return frame


def describe_centres(model: ClusterModel) -> list[str]:
    """A descriptive name per cluster, e.g. ``"recent, frequent, high spend"``.

    Each RFM centre value is placed among the fitted customers by its mid-rank (share of customers below it
    plus half of those equal to it, from ``model.percentiles``): below 1/3 low, above 2/3 high, else middle.
    Recency words are reversed (few days = "recent"); a frequency centre below 1.5 orders reads "one-time"
    whatever its rank (in most shops most customers ordered once).
    With share features, ", mostly <category>" is added when one category's mean share is above half.
    Names repeated by several clusters get " (2)", " (3)" … on the later ones.
    """
    centres = centres_frame(model)
    names = []
    for _, centre in centres.iterrows():
        words = []
        for position, feature in enumerate(f for f in model.features if f in _LEVELS):
            value = float(centre[feature])
            level = _level(value, np.array(model.percentiles[position])) if model.percentiles else 1
            word = _LEVELS[feature][level]
            if feature == "frequency" and value < 1.5:
                word = ONE_TIME
            words.append(word)
        shares = centre[[f for f in model.features if f.startswith(SHARE_PREFIX)]]
        if len(shares) and shares.max() > _DOMINANT_SHARE:
            words.append(f"mostly {str(shares.idxmax()).removeprefix(SHARE_PREFIX)}")
        names.append(", ".join(words) or f"cluster {len(names) + 1}")
    seen: dict[str, int] = {}
    unique = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def labels_frame(labels: pd.Series, model: ClusterModel) -> pd.DataFrame:
    """Per customer: customer_id, cluster (1..k) and cluster_name, for the exports."""
    return pd.DataFrame({"customer_id": labels.index, "cluster": labels.to_numpy(),
                         "cluster_name": [model.names[c - 1] for c in labels.to_numpy()]})


def cluster_profiles(customers: pd.DataFrame, labels: pd.Series, lines: pd.DataFrame | None = None,
                     names: Sequence[str] | None = None) -> pd.DataFrame:
    """One row per cluster (1..k, empty ones left out): who they are.

    Columns: cluster, name (when ``names``), customers, share_customers (0..1), revenue (sum of monetary),
    share_revenue (0..1), median_recency_days, median_frequency, median_monetary, median_R/F/M (when scored),
    top_categories (up to 3 by the cluster's line revenue, e.g. ``"Kitchen 45%, Decor 20%"``; when ``lines``
    with a ``category`` column is given).
    """
    table = _with_labels(customers, labels)
    aggregations = {"customers": ("customer_id", "size"), "revenue": ("monetary", "sum"),
                    "median_recency_days": ("recency_days", "median"), "median_frequency": ("frequency", "median"),
                    "median_monetary": ("monetary", "median")}
    aggregations |= {f"median_{s}": (s, "median") for s in ("R", "F", "M") if s in table.columns}
    profile = table.groupby("cluster").agg(**aggregations)
    profile.insert(1, "share_customers", profile["customers"] / profile["customers"].sum())
    total_revenue = profile["revenue"].sum()
    profile.insert(3, "share_revenue", profile["revenue"] / total_revenue if total_revenue else 0.0)
    if lines is not None and "category" in lines.columns:
        profile["top_categories"] = _top_categories(lines, table).reindex(profile.index).fillna("")
    profile = profile.reset_index()
    if names is not None:
        profile.insert(1, "name", [names[c - 1] for c in profile["cluster"]])
    return profile


def cluster_segment_counts(labels: pd.Series, segment: pd.Series, names: Sequence[str] | None = None
                           ) -> pd.DataFrame:
    """Cross-table of clusters × RFM segments, tidy: cluster, cluster_label, segment, customers, share_of_cluster.

    ``labels`` and ``segment`` are indexed by customer_id. Every (cluster, segment) pair of the present
    clusters and segments appears (0 when empty); segments keep their Categorical order.
    """
    segment = segment.reindex(labels.index)
    if isinstance(segment.dtype, pd.CategoricalDtype):
        segment = segment.cat.remove_unused_categories()
    counts = pd.crosstab(labels.rename("cluster"), segment.rename("segment"))
    tidy = counts.stack().rename("customers").reset_index()
    tidy["segment"] = tidy["segment"].astype(str)
    tidy["share_of_cluster"] = tidy["customers"] / tidy.groupby("cluster")["customers"].transform("sum")
    tidy.insert(1, "cluster_label", [f"{c} · {names[c - 1]}" if names else str(c) for c in tidy["cluster"]])
    return tidy


def plot_sample(customers: pd.DataFrame, labels: pd.Series, names: Sequence[str] | None = None,
                max_points: int = PLOT_SAMPLE, seed: int = 0) -> pd.DataFrame:
    """Customers to draw on the recency × monetary chart: at most ``max_points`` (fixed-seed sample), only
    positive monetary (log axis). Columns: customer_id, recency_days, frequency, monetary, cluster, cluster_label.
    """
    table = _with_labels(customers, labels)
    table = table[table["monetary"] > 0].sort_values("customer_id", kind="stable")
    if len(table) > max_points:
        keep = np.sort(np.random.default_rng(seed).choice(len(table), max_points, replace=False))
        table = table.iloc[keep]
    points = table[["customer_id", "recency_days", "frequency", "monetary", "cluster"]].reset_index(drop=True)
    points["cluster_label"] = [f"{c} · {names[c - 1]}" if names else str(c) for c in points["cluster"]]
    return points


# ----------------------------------------------------------------------------------------------------------------
# Scoring and segmenting new customers against the current thresholds


def score_against(values: pd.Series, score_result: rfm.ScoreResult, higher_is_better: bool = True) -> pd.Series:
    """Scores of ``values`` under existing right-closed edges (same index, int64), as ``core.rfm.score`` gave.

    A value ``v`` falls in bin 0 when ``v <= edges[0]``, bin i when ``edges[i-1] < v <= edges[i]``, the last bin
    above ``edges[-1]``. Bins map to scores as in the fit: every score 1..n when no bins merged, else the used
    scores in order; reversed for recency (``higher_is_better=False``: fewer days = higher score). Values outside
    the fitted range land in the first or last bin.
    """
    x = values.to_numpy(dtype="float64")
    if not np.isfinite(x).all():
        raise InputError(Message("errors.clustering.new_value_missing",
                                 name=values.name or Message("errors.clustering.value")))
    edges = np.array(score_result.edges, dtype="float64")
    bins = len(edges) + 1
    if score_result.bins_effective == score_result.bins_requested == bins:
        bin_scores = np.arange(1, bins + 1)
    else:
        bin_scores = np.array(sorted(s for s, count in score_result.counts.items() if count > 0))
        if len(bin_scores) != bins:
            raise InputError(Message("errors.clustering.edges_mismatch", metric=score_result.metric))
    if not higher_is_better:
        bin_scores = bin_scores[::-1]
    index = np.searchsorted(edges, x, side="left")
    return pd.Series(bin_scores[index].astype("int64"), index=values.index, name=values.name)


def classify_new(model: ClusterModel, new_rfm: pd.DataFrame, scores: dict[str, rfm.ScoreResult],
                 segment_map: Sequence[segments.SegmentRule], extra: pd.DataFrame | None = None) -> pd.DataFrame:
    """Cluster and RFM segment of new customers under the fitted model and the current thresholds.

    ``new_rfm``: customer_id, recency_days, frequency, monetary. ``scores``: ``Segmentation.scores`` (R, F, M).
    Returns customer_id, recency_days, frequency, monetary, cluster, cluster_name, R, F, M, segment.
    """
    table = new_rfm.reset_index(drop=True) if "customer_id" in new_rfm.columns else \
        new_rfm.rename_axis("customer_id").reset_index()
    table = table[["customer_id", "recency_days", "frequency", "monetary"]].copy()
    table["cluster"] = assign(model, table, extra).to_numpy()
    table["cluster_name"] = [model.names[c - 1] for c in table["cluster"]]
    for letter, column, higher in (("R", "recency_days", False), ("F", "frequency", True),
                                   ("M", "monetary", True)):
        table[letter] = score_against(table[column], scores[letter], higher)
    table["segment"] = segments.assign_segments(table, segment_map)
    return table


def new_customers_rfm(customers: pd.DataFrame, analysis_date: pd.Timestamp) -> pd.DataFrame:
    """RFM table of another file's customers (``Prepared.customers``), recency counted to the later of
    ``analysis_date`` and the day after that file's last purchase."""
    date = max(pd.Timestamp(analysis_date).normalize(), rfm.default_analysis_date(customers))
    return rfm.rfm_table(customers, date)


def classify_file(data: bytes, file_name: str, settings: Settings, model: ClusterModel,
                  segmentation: pipeline.Segmentation, rules: Sequence[categories.Rule] | None = None
                  ) -> pd.DataFrame:
    """:func:`classify_new` for another order export (a new period or new customers), read and cleaned with the
    current ``settings`` (:func:`core.pipeline.load` + ``prepare``); recency as in :func:`new_customers_rfm`.

    Share features, when the model uses them, come from the file's lines categorised with ``rules`` (default:
    the settings' rules, else the default set for the file's language).
    Raises InputError for an unreadable file or no usable rows.
    """
    prepared = pipeline.prepare(pipeline.load(data, file_name, settings).canonical, settings.cleaning)
    pipeline.require_usable_rows(prepared)
    new_rfm = new_customers_rfm(prepared.customers, segmentation.analysis_date)
    extra = None
    if any(f.startswith(SHARE_PREFIX) for f in model.features):
        rules = tuple(rules) if rules is not None else pipeline.effective_rules(settings, pipeline.effective_language(settings, prepared.lines))
        extra = share_features(pipeline.categorise_lines(prepared.lines, rules))
    return classify_new(model, new_rfm, segmentation.scores, segmentation.segment_map, extra)


# ----------------------------------------------------------------------------------------------------------------
# The app's choices, names in the interface language and the exports


def settings_key(settings: Settings, rules: Sequence[categories.Rule]) -> str:
    """JSON of what the clustering features depend on: the settings that change the customers' recency,
    frequency and spend (sheet, mapping, cleaning, analysis date) and the category ``rules`` in force (for the
    category shares); with the data's digest it keys the Clusters page's caches."""
    return json.dumps({"sheet": settings.sheet, "mapping": settings.mapping,
                       "cleaning": dataclasses.asdict(settings.cleaning), "analysis_date": settings.analysis_date,
                       "rules": [dataclasses.asdict(rule) for rule in rules]}, sort_keys=True, ensure_ascii=False)


def export_key(settings: Settings, rules: Sequence[categories.Rule]) -> str:
    """:func:`settings_key` plus the settings' cluster choices (``null`` without them): with the data's digest it
    says which clustering a page's labels hold, so the exports leave out labels of other data or settings."""
    choices = None if settings.clusters is None else dataclasses.asdict(settings.clusters)
    return json.dumps([settings_key(settings, rules), choices], ensure_ascii=False)


def fit_chosen(customers: pd.DataFrame, lines: pd.DataFrame,
               choices: ClusterChoices) -> tuple[ClusterModel, pd.Series]:
    """Fit the clusters ``choices`` ask for, as the Clusters page does: category spend shares of the categorised
    ``lines`` as extra features when ``choices.category_shares``; ``choices.k`` clusters, or for k = 0 the k with
    the best silhouette (:func:`best_k` of :func:`suggest_k`, same seed). Returns :func:`fit_clusters`' model and
    labels. Raises InputError for fewer than :data:`MIN_CUSTOMERS` customers, customers too alike to split into
    any k of :data:`K_RANGE`, or fewer distinct customers than k."""
    if len(customers) < MIN_CUSTOMERS:
        raise InputError(Message("errors.clustering.too_few_customers", min=MIN_CUSTOMERS, n=len(customers)))
    extra = share_features(lines) if choices.category_shares else None
    k = choices.k or best_k(suggest_k(customers, seed=choices.seed, extra=extra))
    if k is None:
        raise InputError(Message("errors.clustering.too_alike"))
    return fit_clusters(customers, k, seed=choices.seed, extra=extra)


_REPEAT_SUFFIX = re.compile(r"(.*?)((?: \(\d+\))?)", re.S)


def display_name(name: str, lang: str) -> str:
    """A cluster name of :func:`describe_centres` (English words such as ``"recent, frequent, high spend (2)"``,
    ``"lapsing, one-time, mostly Декор"`` or ``"cluster 3"``) in ``lang``: each word from the catalogue
    (``clusters.word.<word>``, ``clusters.mostly``, ``clusters.cluster_n``), the category with its display name
    (``core.i18n.segment_name``: built-in names such as ``Other`` translated, the rules' own as they are) and a
    repeat suffix `` (2)`` kept. Words the catalogue lacks stay as they are; English names come back unchanged."""
    if lang == i18n.DEFAULT_LANGUAGE:
        return name
    base, suffix = _REPEAT_SUFFIX.fullmatch(name).groups()
    if base.startswith("cluster "):
        return i18n.t("clusters.cluster_n", lang, n=base.removeprefix("cluster ")) + suffix
    levels, mostly, category = base.partition("mostly ")      # the category is the last part, and may hold ", "
    words = [i18n.t(f"clusters.word.{word}", lang) if i18n.has(f"clusters.word.{word}") else word
             for word in levels.split(", ") if word]
    if mostly:
        words.append(i18n.t("clusters.mostly", lang, category=i18n.segment_name(category, lang)))
    return ", ".join(words) + suffix


def export_columns(labels: pd.Series, model: ClusterModel, lang: str = "en") -> pd.DataFrame:
    """The exports' cluster columns: cluster (1..k) and cluster_name (:func:`display_name` in ``lang``) per
    customer, indexed by customer_id (the index of ``labels``)."""
    names = np.array([display_name(name, lang) for name in model.names], dtype=object)
    return pd.DataFrame({"cluster": labels.to_numpy(), "cluster_name": names[labels.to_numpy() - 1]},
                        index=labels.index)


# ----------------------------------------------------------------------------------------------------------------
# Internals


def _ids(customers: pd.DataFrame) -> np.ndarray:
    if "customer_id" in customers.columns:
        return customers["customer_id"].to_numpy()
    return customers.index.to_numpy()


def _design(customers: pd.DataFrame, features: Sequence[str], extra: pd.DataFrame | None, sort: bool = True
            ) -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """Customer ids (sorted unless ``sort`` is False), their transformed features (not yet scaled), feature names."""
    features = tuple(features)
    missing = [f for f in features if f not in customers.columns]
    if missing:
        raise InputError(Message("errors.clustering.missing_columns", columns=", ".join(missing)))
    if not features:
        raise InputError(Message("errors.clustering.no_features"))
    ids = _ids(customers)
    order = np.argsort(ids.astype(str), kind="stable") if sort else np.arange(len(ids))
    ids = ids[order]
    raw = customers[list(features)].to_numpy(dtype="float64")[order]
    if not np.isfinite(raw).all():
        raise InputError(Message("errors.clustering.missing_values"))
    logged = np.array([f in LOG_FEATURES for f in features])
    raw[:, logged] = np.log1p(np.clip(raw[:, logged], 0.0, None))
    names = features
    if extra is not None:
        numeric = extra.select_dtypes("number")
        shares = numeric.reindex(ids).fillna(0.0).to_numpy(dtype="float64")
        raw = np.hstack([raw, shares])
        names = features + tuple(f"{SHARE_PREFIX}{c}" for c in numeric.columns)
    return ids, raw, names


def _scaler(raw: np.ndarray, names: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Means and standard deviations (1 for constant columns); share columns' stds scaled by sqrt(count)."""
    means = raw.mean(axis=0)
    stds = raw.std(axis=0)
    stds[stds <= 1e-12] = 1.0
    shares = np.array([n.startswith(SHARE_PREFIX) for n in names])
    if shares.any():
        stds[shares] *= np.sqrt(shares.sum())
    return means, stds


def _require_distinct(z: np.ndarray, k: int) -> None:
    if len(z) < MIN_CUSTOMERS:
        raise InputError(Message("errors.clustering.too_few_customers", min=MIN_CUSTOMERS, n=len(z)))
    distinct = len(np.unique(z, axis=0))
    if distinct < k:
        raise InputError(Message("errors.clustering.too_few_profiles", distinct=distinct, k=k))


def _best_of(z: np.ndarray, k: int, rng: np.random.Generator, n_init: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Lowest-inertia result of ``n_init`` k-means++ starts (first one wins ties)."""
    best = None
    for _ in range(max(1, n_init)):
        start, _ = kmeans2(z, k, iter=1, minit="++", rng=rng)
        result = _lloyd(z, start)
        if best is None or result[2] < best[2]:
            best = result
    return best


def _lloyd(z: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Lloyd iterations until no label changes, the centres move less than TOLERANCE, or MAX_ITER; an emptied
    cluster moves to the farthest point."""
    k = len(centres)
    labels = None
    for _ in range(MAX_ITER):
        new_labels, distances = vq(z, centres, check_finite=False)
        if labels is not None and np.array_equal(new_labels, labels):
            break
        labels = new_labels
        counts = np.bincount(labels, minlength=k)
        sums = np.stack([np.bincount(labels, weights=z[:, j], minlength=k) for j in range(z.shape[1])], axis=1)
        previous, centres = centres, sums / np.maximum(counts, 1)[:, None]
        empty = np.flatnonzero(counts == 0)
        if len(empty):
            farthest = np.argsort(-distances, kind="stable")[:len(empty)]
            centres[empty] = z[farthest]
        elif np.square(centres - previous).sum() <= TOLERANCE:
            break
    labels, distances = vq(z, centres, check_finite=False)
    return centres, labels, float(np.square(distances).sum())


def _canonical(centres: np.ndarray, labels: np.ndarray, monetary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Renumber clusters by descending median monetary, then by centre coordinates (descending)."""
    k = len(centres)
    medians = np.array([np.median(monetary[labels == c]) if (labels == c).any() else -np.inf for c in range(k)])
    keys = [tuple(-centres[:, j]) for j in range(centres.shape[1] - 1, -1, -1)]
    order = np.lexsort([*[np.array(key) for key in keys], -medians])
    rank = np.empty(k, dtype="int64")
    rank[order] = np.arange(k)
    return centres[order], rank[labels]


def _monetary(customers: pd.DataFrame, sorted_ids: np.ndarray) -> np.ndarray:
    """Monetary values in the order of the sorted ids (zeros when the table has no monetary column)."""
    if "monetary" not in customers.columns:
        return np.zeros(len(sorted_ids))
    return customers.set_index(pd.Index(_ids(customers)))["monetary"].reindex(sorted_ids).to_numpy(dtype="float64")


def _percentiles(raw: np.ndarray, names: tuple[str, ...]) -> tuple[tuple[float, ...], ...]:
    """101 percentiles of each RFM feature in its own units (inverting log1p)."""
    grid = []
    for position, name in enumerate(names):
        if name in _LEVELS:
            values = np.percentile(raw[:, position], np.arange(101), method="inverted_cdf")
            grid.append(tuple(np.expm1(values).tolist()))
    return tuple(grid)


def _level(value: float, percentiles: np.ndarray) -> int:
    """0 (low), 1 (middle) or 2 (high): the value's mid-rank among the percentiles, split at 1/3 and 2/3."""
    tolerance = 1e-9 * max(1.0, abs(value))
    below = np.count_nonzero(percentiles < value - tolerance)
    at_or_below = np.count_nonzero(percentiles <= value + tolerance)
    mid_rank = (below + at_or_below) / 2 / len(percentiles)
    return 0 if mid_rank < 1 / 3 else 2 if mid_rank > 2 / 3 else 1


def _with_labels(customers: pd.DataFrame, labels: pd.Series) -> pd.DataFrame:
    table = customers if "customer_id" in customers.columns else customers.rename_axis("customer_id").reset_index()
    table = table.assign(cluster=table["customer_id"].map(labels))
    if table["cluster"].isna().any():
        raise InputError(Message("errors.clustering.no_label"))
    return table.assign(cluster=table["cluster"].astype("int64"))


def _top_categories(lines: pd.DataFrame, table: pd.DataFrame) -> pd.Series:
    """Per cluster: up to three categories by line revenue with their share, as text."""
    row = positions(lines["customer_id"], table["customer_id"])       # each line's customer row, -1: none
    known = row >= 0
    category = categories.as_categorical(lines["category"])
    spend = (pd.DataFrame({"cluster": table["cluster"].to_numpy()[row[known]],
                           "category": pd.Categorical.from_codes(category.cat.codes.to_numpy()[known],
                                                                 category.cat.categories),
                           "revenue": lines["revenue"].to_numpy()[known]})
             .groupby(["cluster", "category"], observed=True)["revenue"].sum().clip(lower=0))
    texts = {}
    for cluster, group in spend.groupby(level="cluster"):
        total = group.sum()
        top = group.droplevel("cluster").sort_values(ascending=False, kind="stable").head(3)
        texts[int(cluster)] = ", ".join(f"{name} {value / total:.0%}" for name, value in top.items()
                                        if total > 0 and value > 0)
    return pd.Series(texts, dtype="object")
