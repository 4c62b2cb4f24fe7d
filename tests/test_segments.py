"""Segment maps: defaults, first-match assignment, validation, the R×F grid preview, lifecycle, migration."""
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InputError
from core.rfm import ScoreSpec, ScoringSettings, default_analysis_date, rfm_from_lines, score_rfm
from core.segments import (NOT_YET, OTHER, SegmentRule, assign_segments, default_segment_map, grid_coverage,
                           lifecycle_groups, migration_matrix, segment_map_from_frame, segment_map_to_frame,
                           validate_segment_map)
from tests.test_rfm import practicum_lines

CLASSIC = ["Champions", "Loyal", "Potential Loyalists", "New", "Promising", "Need Attention", "At Risk",
           "Cannot Lose Them", "Hibernating", "Lost"]


def scored(*rfm):
    """A scored table from (R, F, M) tuples."""
    return pd.DataFrame(rfm, columns=["R", "F", "M"])


@pytest.mark.parametrize("bins", [3, 4, 5])
def test_default_maps_are_valid_have_the_ten_segments_and_cover_every_cell(bins):
    rules = default_segment_map(bins)
    assert sorted(r.name for r in rules) == sorted(CLASSIC)
    assert validate_segment_map(rules, bins) == []
    grid = grid_coverage(rules, bins, bins)
    assert len(grid) == bins * bins and not grid["uncovered"].any()
    overlaps = grid.loc[grid["overlap"], ["R", "F", "segment"]].values.tolist()
    assert overlaps == ([[1, 3, "At Risk / Cannot Lose Them"]] if bins == 3 else [])   # the 3-bin M split
    assert set(grid["segment"].str.split(" / ").explode()) == set(CLASSIC)           # every segment reachable


def test_five_bin_map_by_hand():
    cells = scored((5, 5, 1), (5, 4, 1), (4, 5, 1), (3, 4, 1), (5, 3, 1), (4, 2, 1), (5, 1, 1), (4, 1, 1),
                   (3, 1, 1), (3, 3, 1), (2, 5, 1), (1, 5, 1), (2, 3, 1), (1, 4, 1), (2, 2, 1), (1, 2, 1), (1, 1, 1))
    assert assign_segments(cells, default_segment_map(5)).tolist() == [
        "Champions", "Champions", "Loyal", "Loyal", "Potential Loyalists", "Potential Loyalists", "New",
        "Promising", "Need Attention", "Need Attention", "Cannot Lose Them", "Cannot Lose Them", "At Risk",
        "At Risk", "Hibernating", "Lost", "Lost"]


def test_four_and_three_bin_maps_by_hand():
    four = scored((4, 4, 1), (3, 3, 1), (4, 2, 1), (4, 1, 1), (3, 1, 1), (2, 2, 1), (2, 4, 1), (1, 3, 1), (2, 1, 1),
                  (1, 2, 1))
    assert assign_segments(four, default_segment_map(4)).tolist() == [
        "Champions", "Loyal", "Potential Loyalists", "New", "Promising", "Need Attention", "Cannot Lose Them",
        "At Risk", "Hibernating", "Lost"]
    three = scored((3, 3, 1), (2, 3, 1), (3, 2, 1), (3, 1, 1), (2, 1, 1), (2, 2, 1), (1, 3, 3), (1, 3, 2), (1, 2, 3),
                   (1, 1, 3))
    assert assign_segments(three, default_segment_map(3)).tolist() == [
        "Champions", "Loyal", "Potential Loyalists", "New", "Promising", "Need Attention", "Cannot Lose Them",
        "At Risk", "Hibernating", "Lost"]


def test_first_match_wins_and_unmatched_go_to_other():
    rules = (SegmentRule("Top", 3, 3, 1, 3), SegmentRule("Frequent", 1, 3, 3, 3), SegmentRule("Rich", 1, 3, 1, 3, 3))
    result = assign_segments(scored((3, 3, 3), (2, 3, 1), (1, 1, 3), (1, 1, 2)), rules)
    assert result.tolist() == ["Top", "Frequent", "Rich", OTHER]
    assert list(result.cat.categories) == ["Top", "Frequent", "Rich", OTHER] and result.name == "segment"


def test_default_map_for_unsupported_bins_is_an_input_error():
    with pytest.raises(InputError, match="3, 4 or 5 bins"):
        default_segment_map(6)


def test_validation_messages_name_the_rows():
    rules = [SegmentRule("A", 1, 5, 1, 5), SegmentRule("", 1, 1, 1, 1), SegmentRule("B", 4, 2, 1, 6),
             SegmentRule("A", 0, 1, 1, 1, 2, 1), SegmentRule(OTHER, 1, 1, 1, 1)]
    assert validate_segment_map(rules, 5) == [
        "row 2: segment name is empty",
        "row 3 (B): R min 4 is greater than R max 2",
        "row 3 (B): F max 6 is outside 1–5",
        "row 4 (A): duplicate name, already used in row 1",
        "row 4 (A): R min 0 is outside 1–5",
        "row 4 (A): M min 2 is greater than M max 1",
        "row 5 (Other): the name Other is reserved for customers matching no rule"]
    assert validate_segment_map([SegmentRule("A", 1, 4, 1, 4, 1, 4)], (4, 3, 5)) == [
        "row 1 (A): F max 4 is outside 1–3"]
    assert validate_segment_map([], 5) == ["the segment map is empty: add at least one rule"]


def test_map_frame_round_trip():
    rules = default_segment_map(3)
    frame = segment_map_to_frame(rules)
    assert list(frame.columns) == ["segment", "r_min", "r_max", "f_min", "f_max", "m_min", "m_max"]
    assert frame.loc[frame["segment"] == "Cannot Lose Them", ["m_min", "m_max"]].values.tolist() == [[3, 3]]
    assert frame["m_min"].isna().sum() == 9
    assert segment_map_from_frame(frame, 3) == rules


def test_map_from_edited_frame_skips_blank_rows_and_reports_every_problem():
    frame = pd.DataFrame({"segment": ["Best", None, "Worst", "Best", " "],
                          "r_min": ["4", None, 1, 1, None], "r_max": [5, None, 2.5, 2, None],
                          "f_min": [1, None, None, 3, None], "f_max": [5, None, 5, 2, None]})
    with pytest.raises(InputError) as error:
        segment_map_from_frame(frame, 5)
    assert str(error.value) == ("segment map: row 3 (Worst): R max 2.5 is not a whole number; "
                                "row 3 (Worst): F min is missing; row 4 (Best): duplicate name, already used in row 1; "
                                "row 4 (Best): F min 3 is greater than F max 2")
    good = segment_map_from_frame(frame.iloc[[0, 1]])
    assert good == (SegmentRule("Best", 4, 5, 1, 5),)


def test_grid_coverage_flags_gaps_and_overlaps_and_counts_customers():
    rules = (SegmentRule("A", 1, 2, 1, 2), SegmentRule("B", 2, 3, 2, 3), SegmentRule("C", 3, 3, 3, 3, 2, 3))
    data = scored((2, 2, 1), (2, 2, 3), (3, 1, 1), (3, 3, 1), (3, 3, 2), (3, 3, 3))
    grid = grid_coverage(rules, 3, 3, data).set_index(["R", "F"])
    assert grid.index.tolist()[:3] == [(3, 1), (3, 2), (3, 3)]
    assert grid.loc[(2, 2)].tolist() == ["A", 2, False, True, 2]
    assert grid.loc[(3, 1)].tolist() == [OTHER, 0, True, False, 1]
    assert grid.loc[(1, 3)].tolist() == [OTHER, 0, True, False, 0]
    assert grid.loc[(3, 3)].tolist() == ["B", 2, False, True, 3]        # C (M 2-3) is shadowed by B everywhere
    assert grid.loc[(1, 1)].tolist() == ["A", 1, False, False, 0]
    assert sorted(grid.index[grid["uncovered"]]) == [(1, 3), (3, 1)]
    assert sorted(grid.index[grid["overlap"]]) == [(2, 2), (3, 3)]
    m_only = grid_coverage((SegmentRule("Rich", 1, 1, 1, 1, 2),), 1, 1, m_bins=3)
    assert m_only[["segment", "uncovered", "overlap"]].values.tolist() == [["Other / Rich", True, False]]


def test_the_grid_chart_marks_gaps_overlaps_and_both_with_tooltips():
    import json
    from core.charts import GRID_ISSUES, rf_grid_heatmap
    rules = (SegmentRule("A", 1, 2, 1, 2), SegmentRule("B", 2, 2, 2, 2, 1, 1), SegmentRule("Rich", 1, 1, 1, 1, 3))
    grid = grid_coverage(rules, 2, 2, m_bins=3)          # R1 F1: A for every M and Rich for M 3 -> overlap only
    spec = rf_grid_heatmap(grid).to_dict()
    (data,) = [rows for rows in spec["datasets"].values()]
    issues = {(row["R"], row["F"]): row["issue"] for row in data}
    assert issues == {(2, 1): "", (2, 2): GRID_ISSUES["overlap"], (1, 1): GRID_ISSUES["overlap"], (1, 2): ""}
    mixed = grid_coverage((SegmentRule("Low M", 1, 1, 1, 1, 1, 1), SegmentRule("Also low", 1, 1, 1, 1, 1, 2)), 1, 1,
                          m_bins=3)                       # M 1: two rules, M 3: none
    row = mixed.iloc[0]
    assert row["uncovered"] and row["overlap"]
    (cell,) = list(rf_grid_heatmap(mixed).to_dict()["datasets"].values())[0]
    assert cell["issue"] == GRID_ISSUES["both"]
    text = json.dumps(spec)
    assert all(title in text for title in ("Rules covering the cell", "Check", "Customers"))   # the tooltip
    assert '"tooltip"' in text


def test_lifecycle_groups():
    groups = lifecycle_groups(pd.DataFrame({"frequency": [1, 2, 7, 1]}))
    assert groups.tolist() == ["Single order", "Repeat", "Repeat", "Single order"]
    assert groups.name == "lifecycle"


@settings(max_examples=100, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(1, 400), st.integers(1, 4), st.integers(1, 5)), min_size=1, max_size=50),
       bins=st.sampled_from([3, 4, 5]), data=st.data())
def test_shuffling_customers_changes_no_score_or_segment(rows, bins, data):
    rfm = pd.DataFrame([(f"c{i}", r, f, m * 100.0) for i, (r, f, m) in enumerate(rows)],
                       columns=["customer_id", "recency_days", "frequency", "monetary"])
    scoring = ScoringSettings(*(ScoreSpec(bins=bins),) * 3)

    def segments(frame):
        table, _ = score_rfm(frame, scoring)
        table["segment"] = assign_segments(table, default_segment_map(bins))
        return table.set_index("customer_id")[["R", "F", "M", "RFM", "segment"]].astype(str).sort_index()

    order = data.draw(st.permutations(range(len(rows))))
    original = segments(rfm)
    pd.testing.assert_frame_equal(segments(rfm.iloc[order].reset_index(drop=True)), original)
    assert original["segment"].notna().all() and len(original) == len(rows)        # exactly one segment each


def test_migration_by_hand():
    lines = pd.DataFrame({"date": pd.to_datetime(["2020-01-10", "2020-03-20", "2020-03-25", "2019-06-01"]),
                          "customer_id": ["a", "a", "b", "c"], "order_id": ["1", "2", "3", "4"],
                          "quantity": 1.0, "price": [50.0, 50.0, 30.0, 600.0]})
    lines["revenue"] = lines["price"]
    scoring = ScoringSettings(ScoreSpec("cuts", cuts=(30, 90)), ScoreSpec("cuts", cuts=(1, 2)),
                              ScoreSpec("cuts", cuts=(100, 500)))
    matrix = migration_matrix(lines, pd.Timestamp("2020-04-01"), pd.Timestamp("2020-02-01"), scoring,
                              default_segment_map(3))
    # before (2020-02-01): a one order 22 days ago -> R3 F1 New; c 245 days -> R1 F1 Lost; b not yet a customer.
    # now (2020-04-01): a two orders, 12 days -> R3 F2 Potential Loyalists; b 7 days -> New; c 305 days -> Lost.
    nonzero = {(i, c): v for (i, c), v in matrix.stack().items() if v}
    assert nonzero == {("New", "Potential Loyalists"): 1, ("Lost", "Lost"): 1, (NOT_YET, "New"): 1}
    assert list(matrix.index) == [r.name for r in default_segment_map(3)] + [OTHER, NOT_YET]
    assert matrix.index.name == "from" and matrix.columns.name == "to"
    with pytest.raises(InputError, match="must be before"):
        migration_matrix(lines, pd.Timestamp("2020-02-01"), pd.Timestamp("2020-02-01"), scoring,
                         default_segment_map(3))


def test_practicum_migration_sums():
    lines = practicum_lines()
    now = default_analysis_date(lines)
    before = now - pd.Timedelta(days=180)
    rules = default_segment_map(5)
    matrix = migration_matrix(lines, now, before, ScoringSettings(), rules)
    first_order = lines.groupby("customer_id")["date"].min()
    customers_before = int((first_order < before).sum())
    assert matrix.to_numpy().sum() == lines["customer_id"].nunique() == 2412
    assert matrix.drop(index=NOT_YET).to_numpy().sum() == customers_before
    assert matrix.loc[NOT_YET].sum() == 2412 - customers_before > 0
    scored_now, _ = score_rfm(rfm_from_lines(lines, now), ScoringSettings())
    assert matrix.sum(axis=0).to_dict() == assign_segments(scored_now, rules).value_counts().to_dict()
    scored_before, _ = score_rfm(rfm_from_lines(lines, before), ScoringSettings())
    before_counts = assign_segments(scored_before, rules).value_counts()
    assert matrix.drop(index=NOT_YET).sum(axis=1).to_dict() == before_counts.to_dict()


def test_every_practicum_customer_gets_exactly_one_segment():
    lines = practicum_lines()
    scored_now, results = score_rfm(rfm_from_lines(lines), ScoringSettings())
    segments = assign_segments(scored_now, default_segment_map(5))
    assert len(segments) == 2412 and segments.notna().all()
    assert segments.value_counts().sum() == 2412 and (segments == OTHER).sum() == 0
    assert np.array_equal(segments.index, scored_now.index)


# Page helpers: a default map for any bins, whether a map fits, migration totals.
from core.segments import default_segment_map_for, map_fit_problems, migration_summary  # noqa: E402


@pytest.mark.parametrize("bins", [3, 4, 5])
def test_default_map_for_square_bins_is_the_classic_map(bins):
    assert default_segment_map_for(bins, bins) == default_segment_map(bins)
    assert default_segment_map_for(bins, bins, bins) == default_segment_map(bins)


@pytest.mark.parametrize("r_bins, f_bins, m_bins", [(5, 4, 5), (4, 5, 5), (9, 2, 2), (2, 9, 3), (3, 3, 5),
                                                     (6, 6, 6), (5, 3, 2), (1, 1, 1)])
def test_default_map_for_any_bins_fits_and_covers_every_cell(r_bins, f_bins, m_bins):
    rules = default_segment_map_for(r_bins, f_bins, m_bins)
    assert validate_segment_map(rules, (r_bins, f_bins, m_bins)) == []
    grid = grid_coverage(rules, r_bins, f_bins, m_bins=m_bins)
    assert len(grid) == r_bins * f_bins and not grid["uncovered"].any()


def test_default_map_for_stretches_the_base_map_by_hand():
    rules = {rule.name: rule for rule in default_segment_map_for(5, 4)}   # base: the 4-bin map, R stretched to 5
    assert (rules["Champions"].r_min, rules["Champions"].r_max) == (4, 5)         # R 4 and 5 stand for base R 4
    assert (rules["Loyal"].r_min, rules["Loyal"].r_max) == (3, 3)
    assert (rules["Champions"].f_min, rules["Champions"].f_max) == (3, 4)         # F unchanged
    three = {rule.name: rule for rule in default_segment_map_for(3, 3, 5)}      # the M split moves to the top M
    assert (three["Cannot Lose Them"].m_min, three["Cannot Lose Them"].m_max) == (4, 5)
    assert (three["At Risk"].m_min, three["At Risk"].m_max) == (None, None)


def test_default_map_for_keeps_the_winner_of_each_base_cell():
    r = np.repeat(np.arange(1, 6), 4)
    f = np.tile(np.arange(1, 5), 5)
    stretched = assign_segments(scored(*zip(r, f, np.ones_like(r))), default_segment_map_for(5, 4))
    base_r = -(-r * 4 // 5)
    base = assign_segments(scored(*zip(base_r, f, np.ones_like(r))), default_segment_map(4))
    assert stretched.astype(str).tolist() == base.astype(str).tolist()


def ranges(rules) -> dict[str, tuple[int, int, int, int]]:
    return {rule.name: (rule.r_min, rule.r_max, rule.f_min, rule.f_max) for rule in rules}


def test_the_default_map_follows_the_scores_in_use_when_bins_merged():
    # F scored 1, 4, 5 of 5 (most customers ordered once) stands for base F 1, 3, 5
    fitted = ranges(default_segment_map_for(5, 5, 5, used={"R": (1, 2, 3, 4, 5), "F": (1, 4, 5)}))
    assert fitted["Potential Loyalists"] == (4, 5, 4, 4)          # recent two-order customers
    assert fitted["Champions"] == (5, 5, 5, 5) and fitted["Loyal"] == (3, 4, 5, 5)
    assert fitted["New"] == (5, 5, 1, 3) and fitted["Need Attention"] == (3, 3, 1, 4)
    assert fitted["At Risk"] == (1, 2, 4, 4) and fitted["Cannot Lose Them"] == (1, 2, 5, 5)
    # R scores 1-4 only (the most recent day holds over a fifth of the customers): R 4 is the most recent
    recent = ranges(default_segment_map_for(5, 5, 5, used={"R": (1, 2, 3, 4), "F": (1, 2, 3, 4, 5)}))
    assert recent["Champions"][:2] == (4, 5) and recent["New"][:2] == (4, 5) and recent["Promising"][:2] == (3, 3)
    # every score in use: the classic map; one value only: the top R, the bottom F
    assert default_segment_map_for(5, 5, 5, used={"R": range(1, 6), "F": range(1, 6)}) == default_segment_map(5)
    lone = ranges(default_segment_map_for(5, 5, 5, used={"R": (1,), "F": (1,)}))
    assert lone == {"New": (1, 5, 1, 5)}                          # everyone bought equally recently, once
    assert assign_segments(scored((1, 1, 3), (1, 1, 5)), default_segment_map_for(
        5, 5, 5, used={"R": (1,), "F": (1,)})).tolist() == ["New", "New"]


@pytest.mark.parametrize("used_r, used_f", [((1, 4, 5), (1, 5)), ((2, 5), (1, 3, 4, 5)), ((3,), (1, 2)),
                                            ((1, 2, 3, 4), (1, 4, 5))])
def test_the_fitted_default_map_covers_every_cell(used_r, used_f):
    rules = default_segment_map_for(5, 5, 5, used={"R": used_r, "F": used_f})
    assert validate_segment_map(rules, (5, 5, 5)) == []
    assert not grid_coverage(rules, 5, 5, m_bins=5)["uncovered"].any()


def test_scoring_runs_fit_the_default_map_to_merged_frequency_bins():
    # 70 % one order, 20 % two, 10 % three: F scores 1, 4, 5; the recent two-order customers are Potential
    # Loyalists and the recent three-order ones Champions
    from core import pipeline
    from core.settings import Settings
    n = 100
    customers = pd.DataFrame({
        "customer_id": [f"c{i:03d}" for i in range(n)],
        "first_purchase": pd.Timestamp("2023-01-01"),
        "last_purchase": pd.Timestamp("2023-12-31") - pd.to_timedelta(np.arange(n) * 3, unit="D"),
        "orders": np.tile([1] * 7 + [2] * 2 + [3], 10), "revenue": np.arange(n) + 100.0})
    customers["aov"] = customers["revenue"] / customers["orders"]
    segmentation = pipeline.segment_customer_table(customers, Settings())
    assert segmentation.scores["F"].used_scores == (1, 4, 5)
    segment = segmentation.customers.set_index("customer_id")["segment"].astype(str)
    assert segment["c007"] == "Potential Loyalists" and segment["c009"] == "Champions" and segment["c000"] == "New"
    assert segmentation.segment_map == default_segment_map_for(5, 5, 5, used={
        letter: result.used_scores for letter, result in segmentation.scores.items()})


def test_map_fit_problems_name_scores_above_the_bins_and_unmatched_customers():
    five = default_segment_map(5)
    customers = scored((5, 5, 5), (1, 1, 1), (2, 3, 4))
    assert map_fit_problems(five, (5, 5, 5), assign_segments(customers, five)) == []
    problems = map_fit_problems(five, (3, 3, 3), assign_segments(customers, five))
    assert any("R min 5 is outside 1–3" in p for p in problems)
    partial = (SegmentRule("Best", 5, 5, 1, 5),)
    problems = map_fit_problems(partial, (5, 5, 5), assign_segments(customers, partial))
    assert problems == ["2 of 3 customers match no rule and end up in Other"]


def test_migration_summary_by_hand():
    matrix = pd.DataFrame([[3, 1, 0], [2, 4, 1], [0, 0, 5], [6, 0, 2]],
                          index=pd.Index(["A", "B", OTHER, NOT_YET], name="from"),
                          columns=pd.Index(["A", "B", OTHER], name="to"))
    assert migration_summary(matrix) == {"total": 24, "new": 8, "stayed": 12, "moved": 4}
