"""The bundled synthetic order export (sample_data/orders.csv) and its generator (sample_data/generate.py)."""
import subprocess
import sys

import pandas as pd
import pytest

from sample_data.generate import PLANT_GROUPS, generate, product_catalogue, write_csv
from tests.conftest import REPO

COMMITTED_CSV = REPO / "sample_data" / "orders.csv"
UUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"


@pytest.fixture(scope="module")
def orders() -> pd.DataFrame:
    """The committed CSV (only empty fields read as missing), plus parsed ``when`` (NaT if bad) and ``revenue``."""
    df = pd.read_csv(COMMITTED_CSV, dtype={"date": str, "customer_id": str}, keep_default_na=False, na_values=[""])
    df["when"] = pd.to_datetime(df["date"], format="%Y%m%d%H", errors="coerce")
    df["revenue"] = df["quantity"] * df["price"]
    return df


def test_regenerating_with_default_seed_reproduces_committed_csv(tmp_path):
    out = tmp_path / "orders.csv"
    write_csv(generate(), out)
    assert out.read_bytes() == COMMITTED_CSV.read_bytes()


def test_cli_default_run_writes_the_same_bytes(tmp_path):
    out = tmp_path / "orders.csv"
    subprocess.run([sys.executable, str(REPO / "sample_data" / "generate.py"), "--out", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == COMMITTED_CSV.read_bytes()


def test_same_seed_gives_same_data_and_another_seed_does_not():
    assert generate(customers=800, seed=7).equals(generate(customers=800, seed=7))
    assert not generate(customers=800, seed=7).equals(generate(customers=800, seed=8))


def test_committed_file_schema_and_size():
    text = COMMITTED_CSV.read_text(encoding="utf-8")
    assert text.startswith("date,customer_id,order_id,product,quantity,price\n")
    assert COMMITTED_CSV.stat().st_size < 800_000
    assert "ё" in text and "\r" not in text


def test_default_output_figures(orders):
    assert 6_000 <= len(orders) <= 9_000
    assert orders["customer_id"].nunique() >= 1_500
    assert orders["order_id"].nunique() >= 2_500
    assert orders["product"].nunique() >= 300
    assert orders["customer_id"].dropna().str.match(UUID_PATTERN).all()
    assert orders["when"].min() == pd.Timestamp("2022-10-01 06:00")
    assert orders["when"].max() == pd.Timestamp("2023-11-30 22:00")
    assert orders["when"].dt.to_period("M").nunique() == 14


def test_prices_are_roubles_with_realistic_ranges(orders):
    paid = orders[orders["price"] > 0]
    assert ((paid["price"] * 2) % 1 == 0).all()  # whole roubles or 50 kopecks
    assert (paid["price"] % 1 != 0).sum() > 100
    seedlings = paid[paid["product"].str.startswith("Рассада")]
    assert seedlings["price"].between(15, 150).all()
    trolleys = paid[paid["product"].str.startswith("Сумка-тележка")]
    assert len(trolleys) > 50 and trolleys["price"].between(900, 5_000).all()


def test_plants_peak_in_spring(orders):
    groups = product_catalogue().set_index("product")["group"]
    plants = orders[orders["product"].map(groups).isin(PLANT_GROUPS)]
    month = plants["when"].dt.month
    spring = plants.loc[month.isin([3, 4, 5]), "revenue"].sum()
    winter = plants.loc[month.isin([11, 12, 1]), "revenue"].sum()
    assert spring > 1.5 * winter > 0
    assert not orders.loc[orders["when"].dt.month.isin([11, 12, 1]), "product"].str.startswith("Рассада").any()


def test_weekday_and_daytime_patterns(orders):
    first_lines = orders.dropna(subset=["when"]).drop_duplicates("order_id")
    weekend = first_lines["when"].dt.day_of_week >= 5
    assert (~weekend).sum() / 5 > 1.3 * weekend.sum() / 2  # orders per weekday vs per weekend day
    assert first_lines["when"].dt.hour.between(8, 22).mean() > 0.85


def test_repeat_buyers_and_loyal_customers(orders):
    orders_per_customer = orders.groupby("customer_id")["order_id"].nunique()
    assert 0.25 <= (orders_per_customer >= 2).mean() <= 0.35
    loyal = orders_per_customer[orders_per_customer >= 5]
    assert 5 <= len(loyal) <= 50 and loyal.max() <= 15


def test_orders_have_one_to_five_lines(orders):
    clean = orders.drop_duplicates(["customer_id", "order_id", "product"])
    lines_per_order = clean.groupby("order_id").size()
    assert lines_per_order.max() == 5
    assert 0.4 <= (lines_per_order == 1).mean() <= 0.6


def test_messy_rows_are_present_in_documented_counts(orders):
    assert orders.drop(columns=["when", "revenue"]).duplicated().sum() == 12
    same_line_other_hour = orders.duplicated(["customer_id", "order_id", "product"]) & ~orders.duplicated(
        ["date", "customer_id", "order_id", "product"])
    assert same_line_other_hour.sum() == 8
    assert (orders.groupby("order_id")["customer_id"].nunique() > 1).sum() == 3
    assert (orders["quantity"] < 0).sum() == 5
    assert (orders["quantity"] == 0).sum() == 2
    assert (orders["price"] == 0).sum() == 2
    assert orders["customer_id"].isna().sum() == 3
    assert orders["when"].isna().sum() == 2
    assert set(orders.loc[orders["when"].isna(), "date"]) == {"2023-13-45", "n/a"}
    assert (orders["quantity"] == 1000).sum() == 1
    assert (orders["quantity"] > 100).sum() == 1  # the 1000 is the only quantity above the bulk buys


def test_rows_argument_scales_the_output():
    df = generate(rows=20_000)
    assert 18_000 <= len(df) <= 22_000
    assert df["customer_id"].nunique() > 6_000
