"""Property tests (hypothesis) over messy random data.

* cleaning accounts for every row (input = kept + sum of drops) under any policy, and the counts do not depend on
  row order;
* the whole pipeline (CSV bytes -> segments) gives every customer the same R, F, M and segment when the rows of the
  file are shuffled, and exactly one segment each;
* a segment map assigns exactly one segment per customer: the first matching rule, else Other;
* keyword categories do not depend on row order, nor on the other names categorised with a name.
"""
import json
import math

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import pipeline
from core.categories import MATCH_MODES, OTHER, Rule, categorise, validate_rules
from core.clean import DROP_REASONS, clean
from core.io import STR_DTYPE
from core.segments import SegmentRule, assign_segments, default_segment_map
from core.settings import CleaningPolicy, Settings

def examples(count: int) -> settings:
    """Hypothesis settings: no deadline (CI machines vary), ``count`` examples."""
    return settings(deadline=None, max_examples=count,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- messy canonical lines for core.clean -----------------------------------------------------------------------

STAMPS = [pd.Timestamp("2023-01-01 09:00"), pd.Timestamp("2023-01-01 09:00:01"), pd.Timestamp("2023-02-15"),
          pd.Timestamp("2023-02-15 18:30"), pd.Timestamp("2024-02-29 23:59:59")]
MESSY_VALUES = {
    "date": [*STAMPS, None],
    "customer_id": ["A", "B", "c", "17850", "Ёлкин", None],
    "order_id": ["1", "2", "3", "C3", "c9", "C", "#1001", None],
    "product": ["Tea", "Cup", "Ваза", "=SUM(A1)", None],
    "quantity": [1.0, 2.0, 3.0, 0.5, 0.0, -0.0, -1.0, -3.0, 999.0, 1000.0, 1e6, math.nan, math.inf, -math.inf],
    "price": [10.0, 2.5, 0.1, 0.0, -3.0, 1e-9, 5000.0, math.nan, math.inf],
    "country": ["UK", "RU", None],
}


@st.composite
def messy_rows(draw, max_size: int = 40) -> list[dict]:
    """Rows of canonical values; each column is sometimes entirely missing (an unmapped or empty column)."""
    size = draw(st.integers(0, max_size))
    columns = {}
    for column, values in MESSY_VALUES.items():
        missing = math.nan if column in ("quantity", "price") else None
        choice = st.just(missing) if draw(st.integers(0, 9)) == 0 else st.sampled_from(values)
        columns[column] = draw(st.lists(choice, min_size=size, max_size=size))
    return [{column: columns[column][i] for column in columns} for i in range(size)]


policies = st.builds(
    CleaningPolicy,
    returns=st.sampled_from(["drop", "net"]),
    drop_exact_duplicates=st.booleans(),
    dedupe_order_lines=st.booleans(),
    drop_shared_orders=st.booleans(),
    quantity_limit=st.sampled_from([None, 1.0, 3.0, 1000.0]),
    fill_from_order=st.booleans(),
)


def canonical_frame(rows: list[dict], with_country: bool) -> pd.DataFrame:
    columns = ["date", "customer_id", "order_id", "product", "quantity", "price"] + (["country"] if with_country
                                                                                    else [])
    frame = pd.DataFrame(rows, columns=columns)
    frame["date"] = pd.Series(pd.to_datetime(frame["date"]), dtype="datetime64[us]")
    for column in ("customer_id", "order_id", "product", "country"):
        if column in frame:
            frame[column] = frame[column].astype(STR_DTYPE)
    frame[["quantity", "price"]] = frame[["quantity", "price"]].astype("float64")
    return frame


@examples(80)
@given(rows=messy_rows(), with_country=st.booleans(), policy=policies,
       index_offset=st.integers(0, 1000))
def test_cleaning_accounts_for_every_row_under_any_policy(rows, with_country, policy, index_offset):
    frame = canonical_frame(rows, with_country)
    frame.index = frame.index + index_offset  # any index: the report counts positions
    before = frame.copy()
    result = clean(frame, policy)
    report, lines = result.report, result.lines

    assert set(report.dropped) == set(DROP_REASONS)
    assert all(count >= 0 for count in report.dropped.values())
    assert report.input_rows == len(frame) == report.kept_rows + sum(report.dropped.values())
    assert report.kept_rows == len(lines) and lines.index.is_unique
    assert set(lines.index) <= set(range(len(frame)))
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is left alone (filling works on a copy)

    assert lines["customer_id"].notna().all() and lines["date"].notna().all()
    assert np.isfinite(lines["quantity"]).all() and np.isfinite(lines["price"]).all()
    assert (lines["price"] > 0).all() and (lines["quantity"] != 0).all()
    assert (lines["revenue"] == lines["quantity"] * lines["price"]).all()
    assert ((lines["quantity"] < 0) == lines["is_return"]).all()
    assert report.returns_kept == int(lines["is_return"].sum())
    if policy.returns == "drop":
        assert not lines["is_return"].any()
    if policy.quantity_limit is not None:
        assert (lines["quantity"] < policy.quantity_limit).all()
    if policy.returns == "net":
        buyers = set(lines.loc[~lines["is_return"], "customer_id"])
        assert set(lines.loc[lines["is_return"], "customer_id"]) <= buyers


@examples(60)
@given(rows=messy_rows(), policy=policies, seed=st.integers(0, 2**32 - 1))
def test_cleaning_counts_do_not_depend_on_row_order(rows, policy, seed):
    frame = canonical_frame(rows, with_country=True)
    shuffled = frame.sample(frac=1, random_state=np.random.RandomState(seed))
    first, second = clean(frame, policy), clean(shuffled, policy)
    assert first.report == second.report
    assert first.lines["revenue"].sum() == second.lines["revenue"].sum() or math.isclose(
        first.lines["revenue"].sum(), second.lines["revenue"].sum(), rel_tol=1e-12)


# --- whole pipeline on CSV bytes --------------------------------------------------------------------------------

CUSTOMERS = ["anna@shop.test", "boris@shop.test", "17850", "Ёлкин", "c-5", "zoë", "X", "1e5"]
PRICES = [0.1, 0.2, 0.7, 1.15, 19.99, 149.5, 1250.25]  # not exact in binary: sums must not depend on row order
order_line = st.fixed_dictionaries({
    "customer": st.sampled_from(CUSTOMERS),
    "day": st.integers(0, 400),
    "hour": st.integers(0, 23),
    "product": st.sampled_from(["Чай, зелёный", "Cup \"big\"", "Ваза", "Плед шерстяной", "Tea", "=1+1", "Свеча"]),
    "quantity": st.sampled_from([1, 1, 2, 3, 10, -1, 0]),
    "price": st.sampled_from(PRICES),
    "order_shift": st.integers(0, 2),
})


def orders_csv(rows: list[dict], order: list[int]) -> bytes:
    """The rows in the given order as a UTF-8 CSV export; the order id is derived from customer, day and shift."""
    frame = pd.DataFrame(
        {
            "Order Date": [(pd.Timestamp("2023-01-01") + pd.Timedelta(days=r["day"], hours=r["hour"]))
                           .strftime("%d.%m.%Y %H:%M") for r in rows],
            "Customer": [r["customer"] for r in rows],
            "Order": [f"{CUSTOMERS.index(r['customer'])}-{r['day']}-{r['order_shift']}" for r in rows],
            "Product": [r["product"] for r in rows],
            "Qty": [r["quantity"] for r in rows],
            "Price": [r["price"] for r in rows],
        }
    ).iloc[order]
    return frame.to_csv(index=False).encode("utf-8")


def per_customer(analysis: pipeline.Analysis) -> pd.DataFrame:
    columns = ["customer_id", "recency_days", "frequency", "monetary", "R", "F", "M", "RFM", "segment", "lifecycle"]
    table = analysis.segmentation.customers[columns].astype({"segment": str, "lifecycle": str})
    return table.sort_values("customer_id").reset_index(drop=True)


@examples(25)
@given(rows=st.lists(order_line, min_size=1, max_size=60), data=st.data(),
       cleaning=st.sampled_from([{}, {"returns": "net", "dedupe_order_lines": True, "drop_shared_orders": True}]),
       bins=st.sampled_from([3, 4, 5]))
def test_pipeline_scores_and_segments_do_not_depend_on_row_order(rows, data, cleaning, bins):
    permutation = data.draw(st.permutations(range(len(rows))), label="permutation")
    spec = {"method": "quantile", "bins": bins}
    options = Settings.from_json(json.dumps(
        {"cleaning": cleaning, "scoring": {"recency": spec, "frequency": spec, "monetary": spec}}))
    if not any(r["quantity"] > 0 for r in rows):
        return  # nothing bought: the pipeline rightly refuses such a file (covered by the bad-input corpus)
    original = pipeline.run(orders_csv(rows, list(range(len(rows)))), "orders.csv", options)
    shuffled = pipeline.run(orders_csv(rows, permutation), "orders.csv", options)

    pd.testing.assert_frame_equal(per_customer(original), per_customer(shuffled))
    assert original.prepared.report == shuffled.prepared.report
    assert pipeline.summary(original)["segments"] == pipeline.summary(shuffled)["segments"]

    # every customer with a purchase gets exactly one segment, from the map (or Other)
    customers = original.segmentation.customers
    buyers = set(original.lines.loc[~original.lines["is_return"], "customer_id"])
    assert customers["customer_id"].is_unique and set(customers["customer_id"]) == buyers
    names = {rule.name for rule in original.segmentation.segment_map} | {"Other"}
    assert customers["segment"].notna().all() and set(customers["segment"].astype(str)) <= names
    assert sum(s["customers"] for s in pipeline.summary(original)["segments"]) == len(customers)


# --- segment maps -----------------------------------------------------------------------------------------------


@st.composite
def segment_maps(draw, bins: int):
    rules = []
    for number in range(draw(st.integers(1, 6))):
        r_min, r_max = sorted(draw(st.lists(st.integers(1, bins), min_size=2, max_size=2)))
        f_min, f_max = sorted(draw(st.lists(st.integers(1, bins), min_size=2, max_size=2)))
        m_bounds = draw(st.one_of(st.none(), st.lists(st.integers(1, bins), min_size=2, max_size=2).map(sorted)))
        m_min, m_max = m_bounds if m_bounds else (None, None)
        rules.append(SegmentRule(f"Segment {number}", r_min, r_max, f_min, f_max, m_min, m_max))
    return tuple(rules)


@examples(60)
@given(data=st.data(), bins=st.sampled_from([3, 4, 5]))
def test_every_customer_gets_exactly_the_first_matching_segment(data, bins):
    rules = data.draw(st.one_of(segment_maps(bins), st.just(default_segment_map(bins))), label="map")
    scores = data.draw(st.lists(st.tuples(*[st.integers(1, bins)] * 3), min_size=0, max_size=50), label="scores")
    scored = pd.DataFrame(scores, columns=["R", "F", "M"], dtype="int64")
    segments = assign_segments(scored, rules)
    assert len(segments) == len(scored) and segments.notna().all()
    assert list(segments.cat.categories) == [rule.name for rule in rules] + ["Other"]
    for (r, f, m), segment in zip(scores, segments):
        matching = [rule.name for rule in rules
                    if rule.r_min <= r <= rule.r_max and rule.f_min <= f <= rule.f_max
                    and (rule.m_min is None or m >= rule.m_min) and (rule.m_max is None or m <= rule.m_max)]
        assert segment == (matching[0] if matching else "Other")


def test_the_default_maps_cover_every_cell():
    for bins in (3, 4, 5):
        grid = [(r, f, m) for r in range(1, bins + 1) for f in range(1, bins + 1) for m in range(1, bins + 1)]
        scored = pd.DataFrame(grid, columns=["R", "F", "M"])
        assert (assign_segments(scored, default_segment_map(bins)) != "Other").all()


# --- categories -------------------------------------------------------------------------------------------------

WORDS = ["ваза", "Ваза", "ВАЗА", "ёлка", "елка", "Ёлочная", "розы", "розовый", "tea", "Teapot", "cup", "cupcake",
         "плед", "свеча", "set", "of", "3", "d-12"]
names = st.one_of(
    st.none(),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map("-".join),
)
rule = st.builds(
    Rule,
    keyword=st.sampled_from(["ваз", "ваза", "ёлк", "елка", "роз", "tea", "cup", "плед", "свеч", "set of", "d-12"]),
    category=st.sampled_from(["Декор", "Новый год", "Сад", "Kitchen", "Текстиль"]),
    mode=st.sampled_from(MATCH_MODES),
    enabled=st.booleans(),
)


@examples(80)
@given(products=st.lists(names, min_size=0, max_size=40), rules=st.lists(rule, min_size=0, max_size=8),
       data=st.data())
def test_categories_do_not_depend_on_row_order(products, rules, data):
    rules = _valid(rules)
    permutation = data.draw(st.permutations(range(len(products))), label="permutation")
    series = pd.Series(products, dtype=STR_DTYPE, index=pd.RangeIndex(100, 100 + len(products)))
    shuffled = series.iloc[permutation]
    first, second = categorise(series, rules), categorise(shuffled, rules)
    assert list(first.cat.categories) == list(second.cat.categories)
    assert first.reindex(second.index).astype(str).tolist() == second.astype(str).tolist()
    # the same name always gets the same category, and a missing name gets Other
    by_name = pd.DataFrame({"name": series.fillna("<missing>"), "category": first.astype(str)})
    assert (by_name.groupby("name")["category"].nunique() <= 1).all()
    assert (first[series.isna()] == OTHER).all()
    # ... and the one it gets alone: the batch around a name does not matter
    for name in series.dropna().unique()[:10]:
        alone = categorise(pd.Series([name], dtype=STR_DTYPE), rules).iloc[0]
        assert (first[series == name] == alone).all()


def _valid(rules: list[Rule]) -> tuple[Rule, ...]:
    """Drop rules that repeat an earlier keyword and mode (validation rejects duplicates)."""
    kept: list[Rule] = []
    for candidate in rules:
        if not validate_rules((*kept, candidate)):
            kept.append(candidate)
    return tuple(kept)
