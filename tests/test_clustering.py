"""k-means clusters: determinism, canonical ids, silhouette, blob recovery, names, assignment and re-scoring; the
app's choices, names in the interface language and the export columns."""
import dataclasses

import numpy as np
import pandas as pd
import pytest

from core import charts, clustering, pipeline, rfm
from core.categories import Rule
from core.errors import InputError
from core.rfm import ScoreSpec
from core.settings import ClusterChoices, ForecastChoices, Settings
from tests.conftest import REPO

SAMPLE = REPO / "sample_data" / "orders.csv"


def blobs(per_blob: int = 100, seed: int = 1) -> tuple[pd.DataFrame, pd.Series]:
    """Three well-separated groups: recent frequent big spenders, middling customers, long-gone one-time buyers."""
    rng = np.random.default_rng(seed)
    parts, truth = [], []
    for name, recency, orders, spend in (("best", 5, (8, 13), 20_000), ("middle", 60, (2, 5), 2_000),
                                         ("gone", 400, (1, 2), 150)):
        parts.append(pd.DataFrame({
            "recency_days": np.round(recency * rng.lognormal(0, 0.15, per_blob)).astype(int),
            "frequency": rng.integers(*orders, per_blob),
            "monetary": np.round(spend * rng.lognormal(0, 0.15, per_blob), 2)}))
        truth += [name] * per_blob
    customers = pd.concat(parts, ignore_index=True)
    customers.insert(0, "customer_id", [f"c{i:04d}" for i in rng.permutation(len(customers))])
    return customers, pd.Series(truth, index=customers["customer_id"])


def shop(customers: int = 2000, seed: int = 0) -> pd.DataFrame:
    """A realistic small shop: no clear clusters, most customers order once."""
    rng = np.random.default_rng(seed)
    frequency = rng.geometric(0.6, customers)
    return pd.DataFrame({"customer_id": [f"id{i:05d}" for i in range(customers)],
                         "recency_days": rng.integers(1, 731, customers), "frequency": frequency,
                         "monetary": np.round(rng.lognormal(7, 1, customers) * frequency, 2)})


@pytest.fixture(scope="module")
def sample_analysis():
    return pipeline.run(SAMPLE.read_bytes(), SAMPLE.name, Settings())


def test_silhouette_matches_a_hand_computed_case():
    # clusters {0, 1} and {4, 5}: s = (4.5-1)/4.5 for the outer points, (3.5-1)/3.5 for the inner ones
    assert clustering.silhouette(np.array([[0.0], [1.0], [4.0], [5.0]]), np.array([0, 0, 1, 1])) == \
        pytest.approx(47 / 63)
    # a one-point cluster scores 0: (9/10 + 8/9 + 0) / 3
    assert clustering.silhouette(np.array([0.0, 1.0, 10.0]), np.array([7, 7, 3])) == pytest.approx((0.9 + 8 / 9) / 3)
    assert np.isnan(clustering.silhouette(np.array([0.0, 1.0]), np.array([1, 1])))


def test_silhouette_of_a_large_set_uses_a_fixed_sample():
    rng = np.random.default_rng(3)
    points = np.vstack([rng.normal(0, 1, (4000, 2)), rng.normal(8, 1, (4000, 2))])
    labels = np.repeat([0, 1], 4000)
    first = clustering.silhouette(points, labels, max_points=1500, seed=5)
    assert first == clustering.silhouette(points, labels, max_points=1500, seed=5)
    assert first == pytest.approx(clustering.silhouette(points, labels, max_points=8000), abs=0.02)


def test_three_separated_blobs_are_recovered_with_canonical_ids_and_names():
    customers, truth = blobs()
    model, labels = clustering.fit_clusters(customers, 3, seed=0)
    assert pd.crosstab(labels, truth.reindex(labels.index)).gt(0).sum(axis=1).eq(1).all()   # one blob per cluster
    ids = {name: set(labels[truth.reindex(labels.index) == name]) for name in ("best", "middle", "gone")}
    assert ids == {"best": {1}, "middle": {2}, "gone": {3}}        # by descending median spend
    assert model.names == ("recent, frequent, high spend", "lapsing, occasional, mid spend",
                           "inactive, one-time, low spend")
    assert model.label(1) == "1 · recent, frequent, high spend"
    assert clustering.describe_centres(model) == list(model.names)


def test_suggest_k_picks_three_for_three_blobs():
    suggestions = clustering.suggest_k(blobs()[0])
    assert list(suggestions["k"]) == list(range(2, 9))
    assert clustering.best_k(suggestions) == 3
    assert suggestions["silhouette"].max() > 0.7
    assert suggestions["inertia"].is_monotonic_decreasing


def test_suggest_k_on_a_large_table_fits_a_fixed_sample():
    customers = blobs(per_blob=400)[0]
    suggestions = clustering.suggest_k(customers, ks=[2, 3, 4], max_customers=300)
    pd.testing.assert_frame_equal(suggestions, clustering.suggest_k(customers.iloc[::-1], ks=[2, 3, 4],
                                                                    max_customers=300))
    assert clustering.best_k(suggestions) == 3
    assert suggestions["inertia"].iloc[0] < clustering.fit_clusters(customers, 2)[0].inertia / 2   # of 300, not 1,200


def test_same_seed_gives_identical_labels_and_shuffled_rows_change_nothing():
    customers = shop()
    model, labels = clustering.fit_clusters(customers, 4, seed=7)
    again_model, again = clustering.fit_clusters(customers, 4, seed=7)
    assert model == again_model
    pd.testing.assert_series_equal(labels, again)
    shuffled = customers.sample(frac=1, random_state=11)
    shuffled_model, shuffled_labels = clustering.fit_clusters(shuffled, 4, seed=7)
    pd.testing.assert_series_equal(shuffled_labels.sort_index(), labels.sort_index())
    assert shuffled_model == model


def test_labels_are_numbered_by_descending_median_spend():
    customers = shop()
    for k in (3, 5):
        _, labels = clustering.fit_clusters(customers, k, seed=2)
        medians = customers.set_index("customer_id")["monetary"].groupby(labels).median()
        assert list(medians.index) == list(range(1, k + 1))
        assert medians.is_monotonic_decreasing
        assert labels.name == "cluster" and labels.index.name == "customer_id" and labels.dtype == "int64"


def test_customer_table_indexed_by_id_works_like_a_column():
    customers = shop(300)
    _, from_column = clustering.fit_clusters(customers, 3)
    _, from_index = clustering.fit_clusters(customers.set_index("customer_id"), 3)
    pd.testing.assert_series_equal(from_column, from_index)


def test_fitted_customers_and_centres_are_assigned_to_their_own_cluster():
    customers = shop()
    model, labels = clustering.fit_clusters(customers, 5, seed=1)
    pd.testing.assert_series_equal(clustering.assign(model, customers), labels.reindex(customers["customer_id"]))
    centres = clustering.centres_frame(model)
    assert list(clustering.assign(model, centres.assign(customer_id=[f"new{i}" for i in range(5)]))) == [1, 2, 3, 4, 5]
    assert list(centres["name"]) == list(model.names)


def test_a_typed_new_customer_gets_the_cluster_of_the_nearest_blob():
    customers, _ = blobs()
    model, _ = clustering.fit_clusters(customers, 3)
    new = pd.DataFrame({"customer_id": ["a", "b", "c"], "recency_days": [3, 70, 500], "frequency": [11, 3, 1],
                        "monetary": [25_000.0, 1_800.0, 90.0]})
    assert list(clustering.assign(model, new)) == [1, 2, 3]


def test_zero_and_negative_spend_are_clipped_not_undefined():
    customers = shop(200)
    customers.loc[:4, "monetary"] = [0.0, -50.0, -5000.0, 0.0, -1.0]
    model, labels = clustering.fit_clusters(customers, 3)
    assert labels.notna().all() and np.isfinite(model.means).all()


@pytest.mark.parametrize("spec", [ScoreSpec(), ScoreSpec(bins=3), ScoreSpec(bins=4),
                                  ScoreSpec("cuts", cuts=(1, 2, 4)), ScoreSpec("cuts", cuts=(30, 90, 180, 365))])
@pytest.mark.parametrize("column,higher", [("recency_days", False), ("frequency", True), ("monetary", True)])
def test_score_against_reproduces_rfm_score_on_the_fitted_values(spec, column, higher):
    values = shop()[column]
    expected, result = rfm.score(values, spec, higher)
    pd.testing.assert_series_equal(clustering.score_against(values, result, higher), expected)


def test_score_against_puts_values_outside_the_fitted_range_in_the_end_bins():
    values = pd.Series([10, 20, 30, 40, 50], name="monetary")
    _, result = rfm.score(values, ScoreSpec(bins=5))
    new = pd.Series([-5, 10, 10.5, 50, 1e9], name="monetary")
    assert list(clustering.score_against(new, result)) == [1, 1, 2, 5, 5]
    _, recency = rfm.score(values.rename("R"), ScoreSpec(bins=5), higher_is_better=False)
    assert list(clustering.score_against(new, recency, higher_is_better=False)) == [5, 5, 4, 1, 1]


def test_score_against_uses_the_merged_scores_of_tied_bins():
    orders = pd.Series([1] * 70 + [2] * 20 + [3] * 10, name="F")
    _, result = rfm.score(orders, ScoreSpec(bins=5))
    assert result.merged
    assert list(clustering.score_against(pd.Series([1, 2, 3, 9]), result)) == [1, 4, 5, 5]


def test_known_customers_get_their_segment_and_cluster_back(sample_analysis):
    segmentation = sample_analysis.segmentation
    customers = segmentation.customers
    model, labels = clustering.fit_clusters(customers, 4)
    known = customers.sample(300, random_state=1)
    result = clustering.classify_new(model, known, segmentation.scores, segmentation.segment_map)
    assert list(result["customer_id"]) == list(known["customer_id"])
    assert list(result["segment"].astype(str)) == list(known["segment"].astype(str))
    assert list(result[["R", "F", "M"]].to_numpy().ravel()) == list(known[["R", "F", "M"]].to_numpy().ravel())
    assert list(result["cluster"]) == list(labels.reindex(known["customer_id"]))
    assert list(result["cluster_name"]) == [model.names[c - 1] for c in result["cluster"]]


def test_another_file_is_read_with_the_current_settings_and_assigned(sample_analysis):
    segmentation = sample_analysis.segmentation
    model, labels = clustering.fit_clusters(segmentation.customers, 3)
    result = clustering.classify_file(SAMPLE.read_bytes(), SAMPLE.name, Settings(), model, segmentation)
    assert len(result) == len(segmentation.customers)
    by_id = result.set_index("customer_id")
    assert (by_id["cluster"] == labels.reindex(by_id.index)).all()
    assert (by_id["segment"].astype(str) == segmentation.customers.set_index("customer_id")["segment"]
            .astype(str).reindex(by_id.index)).all()
    with pytest.raises(InputError):
        clustering.classify_file(b"just some text", "notes.csv", Settings(), model, segmentation)


def test_new_period_recency_counts_to_the_later_date(sample_analysis):
    customers = sample_analysis.prepared.customers
    early = clustering.new_customers_rfm(customers, pd.Timestamp("2020-01-01"))
    late = clustering.new_customers_rfm(customers, pd.Timestamp("2030-01-01"))
    assert early["recency_days"].min() == 1
    assert late["recency_days"].min() > 2000


def test_category_shares_as_extra_features(sample_analysis):
    customers, lines = sample_analysis.segmentation.customers, sample_analysis.lines
    shares = clustering.share_features(lines)
    model, labels = clustering.fit_clusters(customers, 4, extra=shares)
    assert model.features[:3] == clustering.FEATURES
    assert all(f.startswith(clustering.SHARE_PREFIX) for f in model.features[3:]) and len(model.features) > 5
    pd.testing.assert_series_equal(clustering.assign(model, customers, shares),
                                   labels.reindex(customers["customer_id"]))
    assert clustering.assign(model, customers.head(5)).between(1, 4).all()      # typed-in: shares count as average


def test_a_cluster_dominated_by_one_category_is_named_after_it():
    customers, truth = blobs()
    kitchen = (truth == "gone").astype(float)
    shares = pd.DataFrame({"Kitchen": kitchen, "Garden": 1 - kitchen})
    model, _ = clustering.fit_clusters(customers, 3, extra=shares)
    assert model.names[2] == "inactive, one-time, low spend, mostly Kitchen"
    assert model.names[0].endswith("mostly Garden")


def test_impossible_requests_are_input_errors():
    customers = shop(50)
    with pytest.raises(InputError, match="2 or more"):
        clustering.fit_clusters(customers, 1)
    with pytest.raises(InputError, match="at least 10"):
        clustering.fit_clusters(customers.head(5), 2)
    alike = pd.DataFrame({"customer_id": [f"c{i}" for i in range(20)], "recency_days": [5, 9] * 10,
                          "frequency": 1, "monetary": 100.0})
    with pytest.raises(InputError, match="only 2 different"):
        clustering.fit_clusters(alike, 3)
    assert list(clustering.suggest_k(alike)["k"]) == []
    assert clustering.best_k(clustering.suggest_k(alike)) is None
    with pytest.raises(InputError, match="no monetary"):
        clustering.fit_clusters(customers.drop(columns="monetary"), 2)


def test_profiles_cross_table_plot_sample_and_export_frame(sample_analysis):
    customers, lines = sample_analysis.segmentation.customers, sample_analysis.lines
    model, labels = clustering.fit_clusters(customers, 4)
    profiles = clustering.cluster_profiles(customers, labels, lines, model.names)
    assert profiles["customers"].sum() == len(customers)
    assert profiles["share_customers"].sum() == pytest.approx(1)
    assert profiles["revenue"].sum() == pytest.approx(customers["monetary"].sum())
    assert list(profiles["name"]) == list(model.names)
    assert profiles["top_categories"].str.contains("%").all()
    counts = clustering.cluster_segment_counts(labels, customers.set_index("customer_id")["segment"], model.names)
    assert counts["customers"].sum() == len(customers)
    assert counts.groupby("cluster")["share_of_cluster"].sum().round(9).eq(1).all()
    points = clustering.plot_sample(customers, labels, model.names, max_points=500, seed=3)
    assert len(points) == 500 and (points["monetary"] > 0).all()
    pd.testing.assert_frame_equal(points, clustering.plot_sample(customers.iloc[::-1], labels, model.names,
                                                                 max_points=500, seed=3))
    export = clustering.labels_frame(labels, model)
    assert list(export.columns) == ["customer_id", "cluster", "cluster_name"] and len(export) == len(customers)
    suggestions = clustering.suggest_k(customers, ks=[2, 3])
    for chart in (charts.cluster_quality_chart(suggestions, 3), charts.cluster_scatter_chart(points),
                  charts.cluster_segment_heatmap(counts, sorted(counts["segment"].unique()))):
        assert chart.to_dict()


# ---------------------------------------------------------------------------------------------------------------
# The app's choices, display names and the export columns


@pytest.mark.parametrize("name, russian", [
    ("recent, frequent, high spend", "недавние, частые, большие траты"),
    ("lapsing, one-time, mid spend (2)", "уходящие, разовые, средние траты (2)"),
    ("inactive, occasional, low spend, mostly Декор", "неактивные, время от времени, малые траты, в основном Декор"),
    ("recent, infrequent, low spend, mostly Other (3)", "недавние, редкие, малые траты, в основном Прочие (3)"),
    ("inactive, one-time, low spend, mostly Home, garden (big)",
     "неактивные, разовые, малые траты, в основном Home, garden (big)"),
    ("cluster 4", "кластер 4"),
    ("cluster 4 (2)", "кластер 4 (2)"),
    ("mostly Kitchen", "в основном Kitchen"),
    ("unheard-of, recent", "unheard-of, недавние"),
])
def test_display_name_translates_the_words_and_keeps_categories_and_suffixes(name, russian):
    assert clustering.display_name(name, "ru") == russian
    assert clustering.display_name(name, "en") == name


def test_display_names_of_a_fit_are_all_translated(sample_analysis):
    model, _ = clustering.fit_clusters(sample_analysis.segmentation.customers, 8, extra=clustering.share_features(
        sample_analysis.lines))
    english_words = {word for levels in clustering._LEVELS.values() for word in levels} | {clustering.ONE_TIME}
    for name in model.names:
        shown = clustering.display_name(name, "ru")
        assert not any(word in shown.split(", ") for word in english_words), shown
        assert len(shown.split(", ")) == len(name.split(", "))


def test_fit_chosen_repeats_the_pages_steps(sample_analysis):
    customers, lines = sample_analysis.segmentation.customers, sample_analysis.lines
    suggested = clustering.best_k(clustering.suggest_k(customers, seed=3))
    model, labels = clustering.fit_chosen(customers, lines, ClusterChoices(k=0, seed=3))
    expected_model, expected = clustering.fit_clusters(customers, suggested, seed=3)
    assert model == expected_model and model.k == suggested
    pd.testing.assert_series_equal(labels, expected)
    shares = clustering.share_features(lines)
    model, labels = clustering.fit_chosen(customers, lines, ClusterChoices(k=5, seed=1, category_shares=True))
    expected_model, expected = clustering.fit_clusters(customers, 5, seed=1, extra=shares)
    assert model == expected_model and model.features[3:] == expected_model.features[3:] != ()
    pd.testing.assert_series_equal(labels, expected)


def test_fit_chosen_explains_what_cannot_be_clustered():
    with pytest.raises(InputError, match="at least 10 customers, the data has 9"):
        clustering.fit_chosen(shop(9), pd.DataFrame(), ClusterChoices())
    alike = pd.DataFrame({"customer_id": [f"c{i}" for i in range(20)], "recency_days": 5, "frequency": 1,
                          "monetary": 100.0})
    with pytest.raises(InputError, match="too alike"):
        clustering.fit_chosen(alike, pd.DataFrame(), ClusterChoices())


def test_export_columns_carry_names_in_the_language(sample_analysis):
    customers = sample_analysis.segmentation.customers
    model, labels = clustering.fit_clusters(customers, 4)
    english, russian = clustering.export_columns(labels, model), clustering.export_columns(labels, model, "ru")
    assert english.index.equals(labels.index) and english.index.name == "customer_id"
    assert english["cluster"].tolist() == labels.tolist()
    assert english["cluster_name"].tolist() == [model.names[c - 1] for c in labels]
    assert russian["cluster_name"].tolist() == [clustering.display_name(model.names[c - 1], "ru") for c in labels]
    assert set(russian["cluster_name"]).isdisjoint(model.names)


def test_keys_follow_what_changes_the_clusters():
    rules = (Rule("vase", "Decor"),)
    base = Settings()
    key, export_key = clustering.settings_key(base, rules), clustering.export_key(base, rules)
    same = dataclasses.replace(base, templates={"Lost": "Bye"}, ui_language="ru", scoring=rfm.ScoringSettings(
        recency=ScoreSpec(bins=3)), forecast=ForecastChoices(), mailing_lists=("Lost",))
    assert clustering.settings_key(same, rules) == key and clustering.export_key(same, rules) == export_key
    assert clustering.settings_key(base, (Rule("vase", "Vases"),)) != key
    assert clustering.settings_key(dataclasses.replace(base, analysis_date="2020-01-01"), rules) != key
    chosen = dataclasses.replace(base, clusters=ClusterChoices(k=3))
    assert clustering.settings_key(chosen, rules) == key
    assert len({export_key, clustering.export_key(chosen, rules),
                clustering.export_key(dataclasses.replace(base, clusters=ClusterChoices(k=3, seed=1)), rules)}) == 3
