"""RFM table and scoring: hand-computed cases, ties and merged bins, cut points, shuffle invariance, real data."""
import functools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.rfm import (ScoreSpec, ScoringSettings, default_analysis_date, rfm_from_lines, rfm_table, score,
                      score_rfm)
from tests.conftest import PRACTICUM_UPD


@functools.cache
def _practicum_lines() -> pd.DataFrame:
    df = pd.read_csv(PRACTICUM_UPD, dtype={"customer_id": str, "order_id": str})
    df["date"] = pd.to_datetime(df["date"].astype(str), format="%Y%m%d%H")
    df = df.sort_values("date", kind="stable").drop_duplicates(["customer_id", "order_id", "product"], keep="last")
    owners = df.groupby("order_id")["customer_id"].nunique()
    df = df[~df["order_id"].isin(owners[owners > 1].index) & (df["quantity"] < 1000)].copy()
    df["revenue"] = df["quantity"] * df["price"]
    return df.reset_index(drop=True)


def practicum_lines() -> pd.DataFrame:
    """PRACTICUM_UPD cleaned with the README's published policy, with plain pandas (5,521 lines)."""
    return _practicum_lines().copy()


def practicum_customers() -> pd.DataFrame:
    """The customer table of :func:`practicum_lines`, built with plain pandas groupby (not core.orders)."""
    lines = practicum_lines()
    order_dates = lines.groupby(["customer_id", "order_id"])["date"].min().reset_index()
    customers = order_dates.groupby("customer_id").agg(first_purchase=("date", "min"),
                                                       last_purchase=("date", "max"), orders=("order_id", "size"))
    customers["revenue"] = lines.groupby("customer_id")["revenue"].sum()
    customers["aov"] = customers["revenue"] / customers["orders"]
    return customers.reset_index()


def customers(*rows):
    """Customer table from (customer_id, first_purchase, last_purchase, orders, revenue) tuples."""
    frame = pd.DataFrame(rows, columns=["customer_id", "first_purchase", "last_purchase", "orders", "revenue"])
    frame[["first_purchase", "last_purchase"]] = frame[["first_purchase", "last_purchase"]].apply(pd.to_datetime)
    frame["aov"] = frame["revenue"] / frame["orders"]
    return frame


CUSTOMERS = customers(("a", "2020-01-01 09:00", "2020-01-31 15:00", 3, 300.0),
                      ("b", "2019-12-01 23:00", "2019-12-01 23:00", 1, 80.0),
                      ("c", "2019-11-15 00:00", "2020-01-30 08:00", 2, 150.0))


def test_default_analysis_date_is_midnight_after_the_last_transaction():
    assert default_analysis_date(CUSTOMERS) == pd.Timestamp("2020-02-01")
    lines = pd.DataFrame({"date": pd.to_datetime(["2020-03-01 10:00", "2020-03-31 23:59"])})
    assert default_analysis_date(lines) == pd.Timestamp("2020-04-01")


def test_rfm_table_by_hand():
    rfm = rfm_table(CUSTOMERS).set_index("customer_id")
    assert rfm["recency_days"].to_dict() == {"a": 1, "b": 62, "c": 2}       # 2020-02-01 minus the purchase's date
    assert rfm["tenure_days"].to_dict() == {"a": 31, "b": 62, "c": 78}
    assert rfm["frequency"].to_dict() == {"a": 3, "b": 1, "c": 2}
    assert rfm["monetary"].to_dict() == {"a": 300.0, "b": 80.0, "c": 150.0}
    assert rfm["aov"].to_dict() == {"a": 100.0, "b": 80.0, "c": 75.0}
    assert rfm["recency_days"].dtype == "int64"


def test_user_set_analysis_date_counts_as_its_midnight_and_index_customer_id_works():
    rfm = rfm_table(CUSTOMERS.set_index("customer_id"), pd.Timestamp("2020-03-01 17:45"))
    assert rfm.set_index("customer_id")["recency_days"].to_dict() == {"a": 30, "b": 91, "c": 31}


def test_analysis_date_not_after_the_data_is_an_input_error():
    with pytest.raises(InputError, match="after the last purchase"):
        rfm_table(CUSTOMERS, pd.Timestamp("2020-01-31"))


def test_rfm_from_lines_ignores_lines_from_the_analysis_date_on():
    lines = pd.DataFrame({"date": pd.to_datetime(["2020-01-05", "2020-01-20", "2020-02-01", "2020-02-03"]),
                          "customer_id": ["a", "a", "a", "b"], "order_id": ["1", "2", "3", "4"],
                          "quantity": 1.0, "price": [10.0, 20.0, 40.0, 80.0], "revenue": [10.0, 20.0, 40.0, 80.0]})
    rfm = rfm_from_lines(lines, pd.Timestamp("2020-02-01"))
    assert rfm[["customer_id", "frequency", "monetary", "recency_days"]].values.tolist() == [["a", 2, 30.0, 12]]
    with pytest.raises(InputError, match="no orders before"):
        rfm_from_lines(lines, pd.Timestamp("2020-01-01"))


def test_quantile_scores_of_distinct_values_are_equal_bins():
    scores, result = score(pd.Series(range(1, 11), name="M"), ScoreSpec(bins=5))
    assert scores.tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert result.edges == (2, 4, 6, 8)
    assert result.counts == {1: 2, 2: 2, 3: 2, 4: 2, 5: 2}
    assert (result.bins_effective, result.merged, result.note) == (5, False, "")
    assert result.labels == {1: "≤ 2", 2: "3–4", 3: "5–6", 4: "7–8", 5: "9+"}


def test_quantile_scores_match_qcut_when_all_values_are_distinct():
    values = pd.Series(np.random.default_rng(1).permutation(np.arange(300) * 1.5 + 7), name="M")
    for bins in (3, 4, 5):
        scores, _ = score(values, ScoreSpec(bins=bins))
        assert scores.tolist() == (pd.qcut(values, bins, labels=False) + 1).tolist()


def test_recency_fewer_days_scores_higher_and_edges_stay_right_closed_in_days():
    scores, result = score(pd.Series([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], name="R"), ScoreSpec(), higher_is_better=False)
    assert scores.tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    assert result.edges == (2, 4, 6, 8)
    assert result.labels == {5: "≤ 2", 4: "3–4", 3: "5–6", 2: "7–8", 1: "9+"}


def test_ties_get_one_score_and_bins_merge_keeping_the_lowest_score():
    # 7 one-order, 2 two-order, 1 three-order customers: share strictly below = 0, 0.7, 0.9 -> 1 + floor(5 * share)
    scores, result = score(pd.Series([1, 2, 1, 1, 3, 1, 2, 1, 1, 1], name="F"), ScoreSpec(bins=5))
    assert scores.tolist() == [1, 4, 1, 1, 5, 1, 4, 1, 1, 1]
    assert result.edges == (1, 2)
    assert (result.bins_requested, result.bins_effective, result.merged) == (5, 3, True)
    assert result.counts == {1: 7, 2: 0, 3: 0, 4: 2, 5: 1}
    assert result.labels == {1: "≤ 1", 4: "2", 5: "3+"}
    assert result.note.startswith("F: 3 of 5 bins") and "4: 2" in result.note


def test_recency_ties_merge_at_the_bad_end_into_score_one():
    # 6 customers at 300 days, one each at 10 and 20: more days = worse; share strictly worse = 0, 6/8, 7/8
    scores, result = score(pd.Series([300, 10, 300, 300, 20, 300, 300, 300], name="R"), ScoreSpec(bins=4), False)
    assert scores.tolist() == [1, 4, 1, 1, 4, 1, 1, 1]
    assert result.edges == (20,)
    assert result.counts == {1: 6, 2: 0, 3: 0, 4: 2}
    assert result.labels == {4: "≤ 20", 1: "21+"}


def test_frequency_all_one_collapses_to_a_single_bin():
    scores, result = score(pd.Series([1] * 6, name="F"), ScoreSpec(bins=3))
    assert scores.tolist() == [1] * 6
    assert (result.edges, result.bins_effective, result.merged, result.counts) == ((), 1, True, {1: 6, 2: 0, 3: 0})


def test_custom_frequency_cuts_are_right_closed():
    spec = ScoreSpec("cuts", cuts=(1, 2, 4))                # 1 | 2 | 3-4 | 5+
    scores, result = score(pd.Series([1, 2, 3, 4, 5, 9, 1], name="F"), spec)
    assert scores.tolist() == [1, 2, 3, 3, 4, 4, 1]
    assert (result.bins_requested, result.bins_effective, result.edges) == (4, 4, (1, 2, 4))
    assert result.labels == {1: "≤ 1", 2: "2", 3: "3–4", 4: "5+"}


def test_custom_recency_cuts_in_days():
    spec = ScoreSpec("cuts", cuts=(30, 90, 180))            # <=30 | 31-90 | 91-180 | >180, fewer days = better
    scores, result = score(pd.Series([1, 30, 31, 90, 91, 180, 181], name="R"), spec, higher_is_better=False)
    assert scores.tolist() == [4, 4, 3, 3, 2, 2, 1]
    assert result.counts == {1: 1, 2: 2, 3: 2, 4: 2}
    assert result.labels == {4: "≤ 30", 3: "31–90", 2: "91–180", 1: "181+"}


def test_empty_cut_bins_are_reported_not_merged():
    scores, result = score(pd.Series([5.5, 7.25], name="M"), ScoreSpec("cuts", cuts=(10, 100)))
    assert scores.tolist() == [1, 1]
    assert (result.merged, result.counts) == (False, {1: 2, 2: 0, 3: 0})
    assert result.note == "M: no customers with score 2, 3"
    assert result.labels == {1: "≤ 10", 2: "(10, 100]", 3: "> 100"}


@pytest.mark.parametrize("kwargs, message", [
    ({"bins": 6}, "3, 4 or 5 bins"), ({"method": "rank"}, "must be one of"),
    ({"method": "cuts"}, "give 1 to 8"), ({"method": "cuts", "cuts": (5, 2)}, "strictly ascending"),
    ({"method": "cuts", "cuts": (1, 1)}, "strictly ascending")])
def test_bad_score_specs_are_input_errors(kwargs, message):
    with pytest.raises(InputError, match=message):
        ScoreSpec(**kwargs)


def test_missing_values_are_an_input_error():
    with pytest.raises(InputError, match="1 customers have no value"):
        score(pd.Series([1.0, np.nan], name="M"), ScoreSpec())


def test_score_rfm_by_hand():
    rfm = rfm_table(CUSTOMERS)
    scoring = ScoringSettings(ScoreSpec(bins=3), ScoreSpec("cuts", cuts=(1, 2)), ScoreSpec(bins=3))
    scored, results = score_rfm(rfm, scoring)
    # recency 1, 62, 2 -> strictly more days: 2, 0, 1 of 3 -> R 3, 1, 2; monetary 300, 80, 150 -> M 3, 1, 2
    assert scored["R"].tolist() == [3, 1, 2]
    assert scored["F"].tolist() == [3, 1, 2]
    assert scored["M"].tolist() == [3, 1, 2]
    assert scored["RFM"].tolist() == ["333", "111", "222"]
    assert set(results) == {"R", "F", "M"} and results["R"].metric == "R"
    assert "R" not in rfm.columns


@settings(max_examples=150, deadline=None)
@given(values=st.lists(st.integers(1, 6), min_size=1, max_size=60), bins=st.sampled_from([3, 4, 5]),
       higher=st.booleans(), data=st.data())
def test_scores_depend_on_values_only(values, bins, higher, data):
    """Shuffling rows changes nothing, equal values share a score, and the score is 1 + floor(n * share worse)."""
    series = pd.Series(values, index=[f"c{i}" for i in range(len(values))], dtype=float)
    scores, result = score(series, ScoreSpec(bins=bins), higher)
    order = data.draw(st.permutations(range(len(values))))
    shuffled, shuffled_result = score(series.iloc[order], ScoreSpec(bins=bins), higher)
    assert shuffled.reindex(scores.index).tolist() == scores.tolist()
    assert shuffled_result == result
    n = len(values)
    expected = [1 + bins * sum((w < v) if higher else (w > v) for w in values) // n for v in values]
    assert scores.tolist() == expected
    assert sum(result.counts.values()) == n and result.bins_effective == len(set(expected))
    group = np.searchsorted(result.edges, values, side="left")        # right-closed bins of the effective edges
    assert len(set(zip(group, expected))) == result.bins_effective


def test_practicum_rfm_totals_and_frequency_merge():
    rfm = rfm_table(practicum_customers())
    lines = practicum_lines()
    assert default_analysis_date(lines) == pd.Timestamp("2020-02-01")
    assert len(rfm) == 2412 and rfm["frequency"].sum() == 3491
    assert rfm["monetary"].sum() == pytest.approx(3918179.42, abs=0.01)
    order_dates = lines.groupby(["customer_id", "order_id"])["date"].min()       # an order's date: its first line
    last = order_dates.groupby("customer_id").max()
    expected = (pd.Timestamp("2020-02-01") - last.dt.normalize()).dt.days
    assert rfm.set_index("customer_id")["recency_days"].to_dict() == expected.to_dict()
    assert expected.min() == 1
    scored, results = score_rfm(rfm, ScoringSettings())
    orders = lines.groupby("customer_id")["order_id"].nunique()
    single, double = int((orders == 1).sum()), int((orders == 2).sum())
    assert results["F"].edges == (1, 2) and results["F"].merged
    assert results["F"].counts == {1: single, 2: 0, 3: 0, 4: double, 5: 2412 - single - double}
    assert single == 1539


# Page helpers: typed cut points and the per-score table.
from core.rfm import format_cut_points, parse_cut_points, score_spec_from_input, score_table  # noqa: E402


@pytest.mark.parametrize("text, cuts", [("1, 2, 4", (1, 2, 4)), ("30;90 180", (30, 90, 180)),
                                        (" 0.5 ,2.75 ", (0.5, 2.75)), ("7", (7,))])
def test_cut_points_parse_commas_semicolons_and_spaces(text, cuts):
    assert parse_cut_points(text) == cuts
    assert parse_cut_points(format_cut_points(cuts)) == cuts


@pytest.mark.parametrize("text, message", [("", "enter 1 to 8 numbers"), (" , ", "enter 1 to 8 numbers"),
                                           ("1, two", "'two' is not a number"), ("4, 2", "strictly ascending"),
                                           ("1, 1", "strictly ascending"), ("1,2,3,4,5,6,7,8,9", "not 9"),
                                           ("1, inf", "'inf' is not a number"), ("nan", "not a number")])
def test_bad_cut_points_are_input_errors_naming_the_metric(text, message):
    with pytest.raises(InputError, match=message) as error:
        parse_cut_points(text, "Frequency")
    assert str(error.value).startswith("Frequency cut points: ")


def test_score_spec_from_input_ignores_the_other_control():
    assert score_spec_from_input("quantile", 4, "not numbers") == ScoreSpec(bins=4)
    assert score_spec_from_input("cuts", 3, "1, 2, 4") == ScoreSpec("cuts", cuts=(1, 2, 4))
    with pytest.raises(InputError, match="^Recency cut points"):
        score_spec_from_input("cuts", 5, "", "Recency")
    assert format_cut_points((30.0, 90.5)) == "30, 90.50"


def test_score_table_lists_every_score_best_first_and_marks_merged_ones():
    scored, results = score_rfm(rfm_table(CUSTOMERS, "2020-02-01"),
                                ScoringSettings(ScoreSpec(bins=3), ScoreSpec("cuts", cuts=(1, 2)), ScoreSpec(bins=3)))
    table = score_table(results)
    assert list(table["metric"].unique()) == ["R", "F", "M"]
    frequency = table[table["metric"] == "F"]
    assert frequency[["score", "range", "customers"]].values.tolist() == [[3, "3+", 1], [2, "2", 1], [1, "≤ 1", 1]]
    assert frequency["share"].sum() == pytest.approx(1)
    ones = pd.Series([1, 1, 1, 2], name="F")
    _, merged = score(ones, ScoreSpec(bins=5))
    table = score_table({"F": merged})
    assert table.set_index("score")["range"].to_dict() == {5: "merged", 4: "2+", 3: "merged", 2: "merged", 1: "≤ 1"}
    assert table["customers"].tolist() == [0, 1, 0, 0, 3]
