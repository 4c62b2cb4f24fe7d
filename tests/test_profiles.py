"""Segment profiles and recommendations: a hand-computed shop, seasonality weighting, skip rule, real data."""
import functools

import numpy as np
import pandas as pd
import pytest

from core.errors import InputError
from core.profiles import DEFAULT_TEMPLATES, MONTHS, recommendations, segment_profiles
from core.rfm import ScoringSettings, rfm_table, score_rfm
from core.segments import assign_segments, default_segment_map, lifecycle_groups
from tests.conftest import KEYWORD_RULES
from tests.test_rfm import practicum_customers, practicum_lines


def lines(*rows):
    """Lines from (date, customer, order, revenue, category) tuples (quantity 1)."""
    frame = pd.DataFrame(rows, columns=["date", "customer_id", "order_id", "revenue", "category"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["quantity"], frame["price"], frame["product"] = 1.0, frame["revenue"], frame["category"]
    return frame


SHOP = lines(("2020-03-03 10:00", "c1", "o1", 100.0, "Garden"), ("2020-03-03 10:00", "c1", "o1", 50.0, "Kitchen"),
             ("2020-04-07 12:00", "c1", "o2", 150.0, "Garden"), ("2020-03-10 09:00", "c2", "o3", 100.0, "Kitchen"),
             ("2019-12-02 18:00", "c3", "o4", 200.0, "Bath"))
# analysis date 2020-04-08: recency c1 1, c2 29, c3 128 days
SCORED = pd.DataFrame({"customer_id": ["c1", "c2", "c3"], "frequency": [2, 1, 1], "monetary": [300.0, 100.0, 200.0],
                       "recency_days": [1, 29, 128], "segment": ["A", "A", "B"]})


def test_profiles_by_hand():
    profiles = segment_profiles(SHOP, SCORED).set_index("segment")
    assert profiles.index.tolist() == ["A", "B"]                  # plain text groups: by revenue, descending
    a, b = profiles.loc["A"], profiles.loc["B"]
    assert (a["customers"], a["revenue"], a["mean_orders"], a["median_recency_days"], a["repeat_share"]) == (
        2, 400.0, 1.5, 15.0, 0.5)
    assert a["share_customers"] == pytest.approx(2 / 3) and a["share_revenue"] == pytest.approx(2 / 3)
    assert a["aov"] == pytest.approx(400 / 3)
    assert (a["category_1"], a["category_1_share"], a["category_2"], a["category_2_share"]) == (
        "Garden", 0.625, "Kitchen", 0.375)
    assert pd.isna(a["category_3"]) and np.isnan(a["category_3_share"])
    assert (a["peak_month"], a["peak_months"], a["peak_weekday"]) == (3, "March–April", "Tuesday")
    assert (b["customers"], b["revenue"], b["category_1"], b["category_1_share"]) == (1, 200.0, "Bath", 1.0)
    # one December order: Nov-Dec and Dec-Jan tie on the sum; the window starting with the busier month wins
    assert (b["peak_month"], b["peak_months"], b["peak_weekday"]) == (12, "December–January", "Monday")


def test_categorical_groups_keep_their_order_and_missing_category_column_gives_na():
    scored = SCORED.assign(segment=pd.Categorical(["A", "A", "B"], categories=["B", "Unused", "A"]))
    profiles = segment_profiles(SHOP.drop(columns="category"), scored)
    assert profiles["segment"].tolist() == ["B", "A"]
    assert profiles[["category_1", "category_2", "category_3"]].isna().all().all()


def test_peak_months_weight_months_by_how_often_the_data_covers_them():
    # Data spans Jan 2019 - Mar 2020, so Jan-Mar occur twice. Raw counts: Jan 4, Feb 1, Jun 3, Jul 1 (Jan-Feb = 5
    # beats Jun-Jul = 4); per occurrence: Jan 2, Feb 0.5, Jun 3, Jul 1, so Jun-Jul (4) beats Jan-Feb (2.5).
    dates = ["2019-01-05", "2019-01-06", "2020-01-07", "2020-01-08", "2020-02-03", "2019-06-03", "2019-06-04",
             "2019-06-05", "2019-07-01", "2020-03-31"]
    shop = lines(*[(d, "c1" if i < 9 else "c2", f"o{i}", 10.0, "Garden") for i, d in enumerate(dates)])
    scored = pd.DataFrame({"customer_id": ["c1"], "frequency": [9], "monetary": [90.0], "recency_days": [300],
                           "segment": ["A"]})
    profile = segment_profiles(shop, scored).iloc[0]
    assert (profile["peak_month"], profile["peak_months"]) == (6, "June–July")


def test_an_order_shared_by_two_customers_counts_once_at_its_first_line():
    # o1 is recorded for c1 on Monday 2 March and for c2 on Wednesday 1 April; o2 and o3 are c2's own Wednesday
    # orders. Counted once at its first line, o1 is one March order: March, April and May have one order each and
    # the earlier window wins. Counted per (order, customer) at each customer's time, April would have two and
    # April–May would win.
    shop = lines(("2020-03-02 10:00", "c1", "o1", 10.0, "Garden"), ("2020-04-01 10:00", "c2", "o1", 10.0, "Garden"),
                 ("2020-04-01 11:00", "c2", "o2", 10.0, "Garden"), ("2020-05-06 11:00", "c2", "o3", 10.0, "Garden"),
                 ("2020-03-04 11:00", "c3", "o4", 10.0, "Garden"))
    scored = pd.DataFrame({"customer_id": ["c1", "c2", "c3"], "frequency": [1, 3, 1], "monetary": [10.0, 30.0, 10.0],
                           "recency_days": [60, 3, 60], "segment": ["A", "A", "B"]})
    a = segment_profiles(shop, scored).set_index("segment").loc["A"]
    assert (a["peak_month"], a["peak_months"], a["peak_weekday"]) == (3, "March–April", "Wednesday")


def profile_row(segment, recency, share_revenue, share_customers, category="Garden", peak_month=3):
    return {"segment": segment, "median_recency_days": recency, "share_revenue": share_revenue,
            "share_customers": share_customers, "category_1": category, "category_2": pd.NA, "category_3": pd.NA,
            "peak_month": peak_month, "peak_weekday": "Tuesday"}


def test_recommendations_lead_the_peak_by_a_month_and_apply_the_skip_rule():
    profiles = pd.DataFrame([profile_row("Lost", 400, 0.05, 0.2), profile_row("At Risk", 400, 0.3, 0.2),
                             profile_row("New", 10, 0.01, 0.2, peak_month=1), profile_row("Кухня", 50, 0.5, 0.4)])
    result = recommendations(profiles).set_index("segment")
    assert result["skip"].to_dict() == {"Lost": True, "At Risk": False, "New": False, "Кухня": False}
    assert result.loc["Lost", "send_months"] == "February–March"              # peak March–April
    assert result.loc["New", "send_months"] == "December–January"             # peak January–February
    assert result.loc["Lost", "recommendation"] == (
        "One last win-back offer on Garden, then stop mailing. Send in February–March, on Tuesday. Skip, not worth "
        "the spend: lapsed over 365 days with below-average revenue per customer: median 400 days since the last "
        "order; 5.0% of revenue from 20.0% of customers.")
    assert result.loc["Кухня", "recommendation"].startswith("Offer on Garden.")        # no template: Other's
    assert result.loc["At Risk", "reason"] == ("median 400 days since the last order; 30.0% of revenue from "
                                               "20.0% of customers")
    assert recommendations(profiles, skip_after_days=500)["skip"].sum() == 0


def test_the_users_skip_choices_win_over_the_rule_and_say_so():
    from core.profiles import skip_overrides_from
    profiles = pd.DataFrame([profile_row("Lost", 400, 0.05, 0.2), profile_row("At Risk", 400, 0.3, 0.2),
                             profile_row("New", 10, 0.01, 0.2)])
    rule = recommendations(profiles).set_index("segment")["skip"]
    chosen = recommendations(profiles, skip_overrides={"Lost": "mail", "New": "skip"}).set_index("segment")
    assert chosen["skip"].to_dict() == {"Lost": False, "At Risk": False, "New": True}
    assert chosen.loc["Lost", "reason"].startswith("mailed by your choice (lapsed over 365 days")
    assert chosen.loc["New", "reason"] == ("skipped by your choice (median 10 days since the last order; 1.0% of "
                                           "revenue from 20.0% of customers)")
    assert "Skip, not worth the spend" in chosen.loc["New", "recommendation"]
    assert recommendations(profiles, skip_after_days=300, lang="ru", skip_overrides={"Lost": "mail"}).set_index(
        "segment").loc["Lost", "reason"].startswith("рассылка по вашему выбору")
    # ticks that agree with the rule drop the choice; another grouping's choices stay
    overrides = skip_overrides_from(["Lost", "At Risk", "New"], [True, True, False], rule, {"Кухня": "skip",
                                                                                            "Lost": "mail"})
    assert overrides == {"Кухня": "skip", "At Risk": "skip"}


def test_custom_templates_and_placeholder_errors():
    profiles = pd.DataFrame([profile_row("Potential Loyalists", 40, 0.3, 0.2, category=pd.NA)])
    result = recommendations(profiles, {"Potential Loyalists": "{segment}: {top_category} in {months} ({weekday})"})
    assert result.loc[0, "recommendation"] == "Potential Loyalists: your bestsellers in February–March (Tuesday)"
    assert result.loc[0, "categories"] == ""
    with pytest.raises(InputError, match=r"unknown placeholder \{discount\}"):
        recommendations(profiles, {"Lost": "Take {discount} off"})
    with pytest.raises(InputError, match="unmatched brace"):
        recommendations(profiles, {"Lost": "Take {"})


def test_every_default_template_names_categories_and_timing():
    for template in DEFAULT_TEMPLATES.values():
        assert "{categories}" in template and "{months}" in template and "{weekday}" in template


@functools.cache
def _product_categories() -> pd.Series:
    """First matching keyword's category per product name (case-insensitive substring), plain pandas."""
    rules = pd.read_csv(KEYWORD_RULES)
    products = pd.Series(practicum_lines()["product"].unique())
    category = pd.Series(pd.NA, index=products, dtype="object")
    for name, keyword in zip(rules["category"], rules["product"]):
        hit = products.str.lower().str.contains(keyword.lower(), regex=False).to_numpy() & category.isna().to_numpy()
        category[hit] = name
    return category


@pytest.fixture(scope="module")
def practicum():
    shop = practicum_lines()
    shop["category"] = shop["product"].map(_product_categories())
    scored, _ = score_rfm(rfm_table(practicum_customers()), ScoringSettings())
    scored["segment"] = assign_segments(scored, default_segment_map(5))
    return shop, scored


def test_practicum_profiles_add_up_and_match_independent_groupbys(practicum):
    shop, scored = practicum
    profiles = segment_profiles(shop, scored).set_index("segment")
    assert profiles["customers"].sum() == 2412
    assert profiles["revenue"].sum() == pytest.approx(3918179.42, abs=0.01) == pytest.approx(shop["revenue"].sum())
    assert profiles["share_customers"].sum() == pytest.approx(1) and profiles["share_revenue"].sum() == pytest.approx(1)
    segment_of = scored.set_index("customer_id")["segment"].astype(str)
    merged = shop.assign(segment=shop["customer_id"].map(segment_of))
    assert profiles["revenue"].to_dict() == pytest.approx(merged.groupby("segment")["revenue"].sum().to_dict())
    assert profiles["customers"].to_dict() == merged.groupby("segment")["customer_id"].nunique().to_dict()
    lost = merged[merged["segment"] == "Lost"]
    spend = lost.groupby("category")["revenue"].sum().sort_values(ascending=False) / lost["revenue"].sum()
    assert profiles.loc["Lost", "category_1"] == spend.index[0]
    assert profiles.loc["Lost", "category_1_share"] == pytest.approx(spend.iloc[0])
    champions = scored[(scored["R"] == 5) & (scored["F"] >= 4)]          # the Champions rule, by hand
    assert profiles.loc["Champions", "customers"] == len(champions)
    assert profiles.loc["Champions", "median_recency_days"] == champions["recency_days"].median()
    assert profiles.loc["Champions", "repeat_share"] == (champions["frequency"] >= 2).mean()


def test_practicum_recommendations_name_the_top_category_and_months(practicum):
    shop, scored = practicum
    profiles = segment_profiles(shop, scored)
    result = recommendations(profiles)
    assert len(result) == len(profiles)
    for profile, rec in zip(profiles.itertuples(), result.itertuples()):
        assert profile.category_1 in rec.recommendation
        assert any(month in rec.recommendation for month in MONTHS)
        assert rec.send_months.split("–")[1] == MONTHS[profile.peak_month - 1]    # send a month before the peak
    # Lost: over a year since the last order and slightly below-average revenue per customer -> skip
    assert result.set_index("segment")["skip"].to_dict()["Lost"]
    assert result["skip"].sum() == 1


def test_practicum_lifecycle_profiles(practicum):
    shop, scored = practicum
    scored = scored.assign(lifecycle=lifecycle_groups(scored))
    profiles = segment_profiles(shop, scored, group_col="lifecycle").set_index("segment")
    orders = shop.groupby("customer_id")["order_id"].nunique()
    assert profiles.loc["Single order", "customers"] == (orders == 1).sum() == 1539
    assert profiles.loc["Repeat", "repeat_share"] == 1.0 and profiles.loc["Single order", "repeat_share"] == 0.0
    assert profiles.loc["Repeat", "mean_orders"] == pytest.approx(orders[orders > 1].mean())


# Page helpers: the editable recommendation texts and the top categories in one text.
from core.profiles import templates_frame, templates_from_frame, top_categories_text  # noqa: E402


def test_templates_frame_shows_overrides_defaults_and_the_other_fallback():
    frame = templates_frame(["Champions", "Kitchen"], {"Champions": "Hi {segment}"})
    assert frame["segment"].tolist() == ["Champions", "Kitchen", "Other"]
    assert frame["template"].tolist() == ["Hi {segment}", DEFAULT_TEMPLATES["Other"], DEFAULT_TEMPLATES["Other"]]
    assert frame["customised"].tolist() == [True, False, False]


def test_templates_from_frame_keeps_only_real_overrides_and_other_names():
    frame = templates_frame(["Champions", "Lost"], {"Lost": "old", "Repeat": "kept {months}"})
    frame.loc[0, "template"] = "  Thanks, {segment}: {top_category} in {months}  "
    frame.loc[1, "template"] = ""                                              # blank = back to the default
    frame.loc[2, "template"] = DEFAULT_TEMPLATES["Other"]                       # unchanged default: no override
    overrides = templates_from_frame(frame, {"Lost": "old", "Repeat": "kept {months}"})
    assert overrides == {"Champions": "Thanks, {segment}: {top_category} in {months}", "Repeat": "kept {months}"}
    assert templates_from_frame(templates_frame(["Champions"])) == {}


def test_templates_from_frame_lists_every_bad_row():
    frame = pd.DataFrame({"segment": ["Champions", "Lost", "New", None],
                          "template": ["Hi {name}", "Bye {segment", "{weekday:d}", "orphan"]})
    with pytest.raises(InputError) as error:
        templates_from_frame(frame)
    message = str(error.value)
    assert message.startswith("recommendation texts: ")
    assert "row 1: template for 'Champions' uses unknown placeholder {name}" in message
    assert "row 2: template for 'Lost' has an unmatched brace" in message
    assert "row 3: template for 'New' cannot be filled" in message
    assert "row 4: the group name is empty" in message


def test_top_categories_text_by_hand():
    profiles = segment_profiles(SHOP, SCORED).set_index("segment")
    text = top_categories_text(profiles)
    assert text.to_dict() == {"A": "Garden 62%, Kitchen 38%", "B": "Bath 100%"}
    assert top_categories_text(profiles.iloc[:0]).empty
