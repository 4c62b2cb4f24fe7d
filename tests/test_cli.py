"""The CLI contract: one JSON object on stdout and exit 0, or exit 2 with one `error:` line on stderr."""
import json
import subprocess
import sys

import pandas as pd
import pytest

from tests.conftest import ONLINE_RETAIL, PRACTICUM_OLD, PRACTICUM_UPD, REPO
from tests.test_settings import MALFORMED

PUBLISHED_POLICY = {"cleaning": {"dedupe_order_lines": True, "drop_shared_orders": True, "quantity_limit": 1000}}


def run_cli(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "core", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def summary(*args):
    result = run_cli("summary", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def published_settings(tmp_path_factory):
    path = tmp_path_factory.mktemp("settings") / "published.json"
    path.write_text(json.dumps(PUBLISHED_POLICY))
    return path


@pytest.mark.parametrize("path, rows, customers, orders, revenue", [
    (PRACTICUM_OLD, 4784, 2393, 2754, 3411515.00),
    (PRACTICUM_UPD, 5521, 2412, 3491, 3918179.42),
])
def test_published_policy_reproduces_the_reference_numbers(published_settings, path, rows, customers, orders,
                                                           revenue):
    result = summary(path, "--settings", published_settings)
    assert (result["rows"]["kept"], result["customers"], result["orders"]) == (rows, customers, orders)
    assert result["revenue"] == pytest.approx(revenue, abs=0.005)
    input_rows = {PRACTICUM_OLD: 6737, PRACTICUM_UPD: 7474}[path]
    assert result["rows"]["input"] == input_rows == rows + sum(result["rows"]["dropped"].values())
    assert result["rows"]["dropped"]["duplicate_order_line"] == 1886
    assert result["rows"]["dropped"]["quantity_limit"] == 1


def test_summary_json_contract_on_the_home_goods_file():
    result = summary(PRACTICUM_UPD)
    assert set(result) >= {"input", "rows", "customers", "orders", "revenue", "first_date", "last_date"}
    assert result["input"] == {"file": "ecom_dataset_upd.csv", "format": "csv", "encoding": "utf-8",
                               "delimiter": ",", "columns": {f: f for f in
                                                             ["date", "customer_id", "order_id", "product",
                                                              "quantity", "price"]}, "notes": []}
    assert result["first_date"] == "2018-10-01T00:00:00" and result["last_date"] == "2020-01-31T15:00:00"
    assert result["rows"]["kept"] == 7474                 # default policy: no duplicates, returns or bad values
    assert result["customers"] == 2451 and result["orders"] == 3521


def test_online_retail_is_auto_mapped_and_matches_a_plain_pandas_count():
    result = summary(ONLINE_RETAIL)
    assert result["input"]["columns"] == {"date": "InvoiceDate", "customer_id": "Customer ID", "order_id": "Invoice",
                                          "product": "Description", "quantity": "Quantity", "price": "Price",
                                          "country": "Country", "product_code": "StockCode"}
    frame = pd.read_csv(ONLINE_RETAIL, dtype={"Invoice": str, "StockCode": str, "Customer ID": "Int64"})
    bought = frame[(frame["Quantity"] > 0) & frame["Customer ID"].notna() & (frame["Price"] > 0)
                   & ~frame["Invoice"].str.startswith("C")]
    bought = bought.drop_duplicates()
    assert result["rows"]["input"] == 45228
    assert result["rows"]["dropped"]["missing_customer"] == 13468
    assert result["rows"]["kept"] == len(bought)
    assert result["customers"] == bought["Customer ID"].nunique() == 955
    assert result["orders"] == bought["Invoice"].nunique()
    assert result["revenue"] == pytest.approx((bought["Quantity"] * bought["Price"]).sum(), abs=0.01)


def test_map_option_overrides_the_automatic_mapping(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("when,who,order,item,qty,amount,buyer\n2023010110,A,1,Ваза,2,10.5,Z\n"
                    "2023010211,B,2,Плед,1,30,Z\n", encoding="utf-8")
    result = summary(path, "--map", "date=when", "--map", "customer_id=who", "--map", "order_id=order",
                     "--map", "product=item", "--map", "quantity=qty", "--map", "price=amount")
    assert result["customers"] == 2 and result["revenue"] == 51.0
    result = summary(path, "--map", "date=when", "--map", "customer_id=buyer", "--map", "order_id=order",
                     "--map", "product=item", "--map", "quantity=qty", "--map", "price=amount")
    assert result["customers"] == 1


@pytest.mark.parametrize("content, args, message", [
    (b"", [], "no data"),
    (bytes(range(256)) * 40, [], ""),
    (b"\x89PNG\r\n\x1a\n" + bytes(500), [], ""),
    (b"date,customer_id,order_id,product,quantity\n2023010110,A,1,x,1\n", [], "price"),
    (b"date,customer_id,order_id,product,quantity,price\n", [], "no data"),
    (b"date,customer_id,order_id,product,quantity,price\nnot a date,A,1,x,1,2\n", [], "no usable rows"),
    ("date,customer_id,order_id,product,quantity,price\n2023010110,A,1,x,1,2\n".encode(), ["--colour"], "colour"),
    ("date,customer_id,order_id,product,quantity,price\n2023010110,A,1,x,1,2\n".encode(), ["--map", "size=x"],
     "--map"),
    ("date,customer_id,order_id,product,quantity,price\n2023010110,A,1,x,1,2\n".encode(),
     ["--map", "price=Nope"], "Nope"),
])
def test_bad_input_exits_2_with_one_error_line(tmp_path, content, args, message):
    path = tmp_path / "orders.csv"
    path.write_bytes(content)
    result = run_cli("summary", path, *args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args, message", [
    (["summary", "/nonexistent/orders.csv"], "input file not found"),
    (["summary"], "required"),
    (["frobnicate"], "invalid choice"),
    ([], "required"),
])
def test_bad_command_lines_exit_2(args, message):
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_invalid_settings_file_names_the_field(tmp_path):
    path = tmp_path / "s.json"
    path.write_text('{"cleaning": {"returns": "keep"}}')
    result = run_cli("summary", PRACTICUM_UPD, "--settings", path)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: settings: cleaning.returns must be one of drop, net, not 'keep'"


@pytest.mark.parametrize("text, message", MALFORMED)
def test_malformed_settings_files_exit_2_naming_the_field(tmp_path, capsys, text, message):
    """In process (the test above runs the real entry point): the settings error itself, not a crash blamed on
    the order file."""
    from core.__main__ import main
    path = tmp_path / "s.json"
    path.write_text(text)
    for command in (["summary", str(PRACTICUM_UPD)], ["export", str(PRACTICUM_UPD), "--out", str(tmp_path / "x.xlsx")]):
        assert main([*command, "--settings", str(path)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err == f"error: {message}\n"
    assert not (tmp_path / "x.xlsx").exists()


def test_summary_reports_categories_scores_and_segments():
    result = summary(PRACTICUM_UPD)
    categories = result["categories"]
    assert categories["coverage_revenue"] >= 0.95 and categories["coverage_names"] >= 0.90
    assert sum(c["rows"] for c in categories["by_category"].values()) == result["rows"]["kept"]
    assert "Other" in categories["by_category"]
    assert result["analysis_date"] == "2020-02-01"                  # the day after the last purchase
    assert set(result["scores"]) == {"R", "F", "M"}
    assert result["scores"]["F"] == {"bins": 5, "edges": [1.0, 2.0]}   # 1 | 2 | 3+ orders: bins merged
    names = [s["name"] for s in result["segments"]]
    assert names[:3] == ["Champions", "Loyal", "Potential Loyalists"] and names[-1] == "Other"
    assert sum(s["customers"] for s in result["segments"]) == result["customers"]
    assert sum(s["revenue"] for s in result["segments"]) == pytest.approx(result["revenue"], abs=0.05)
    assert sum(s["share_customers"] for s in result["segments"]) == pytest.approx(1.0)
    assert result["scored"] == {"customers": result["customers"], "revenue": pytest.approx(result["revenue"])}


def test_an_earlier_analysis_date_segments_the_customers_before_it(tmp_path):
    settings = tmp_path / "settings.json"
    settings.write_text('{"analysis_date": "2019-03-01"}')
    result = summary(PRACTICUM_UPD, "--settings", settings)
    lines = pd.read_csv(PRACTICUM_UPD)
    before = lines[lines["date"] < 2019030100]
    assert result["customers"] == 2451 and result["analysis_date"] == "2019-03-01"     # the file's figures stay
    assert result["scored"]["customers"] == before["customer_id"].nunique() == 986
    assert sum(s["customers"] for s in result["segments"]) == result["scored"]["customers"]
    assert sum(s["revenue"] for s in result["segments"]) == pytest.approx(result["scored"]["revenue"], abs=0.05)
    assert result["scored"]["revenue"] < result["revenue"]


def test_rules_file_replaces_the_default_categories(tmp_path):
    rules = tmp_path / "rules.csv"
    rules.write_text("keyword,category,mode,enabled\nрассад,Рассада,contains,true\nтележк,Тележки,contains,true\n",
                     encoding="utf-8")
    result = summary(PRACTICUM_UPD, "--rules", rules)
    frame = pd.read_csv(PRACTICUM_UPD)
    names = frame["product"].str.lower()
    seedlings = names.str.contains("рассад")
    trolleys = names.str.contains("тележк") & ~seedlings
    by_category = result["categories"]["by_category"]
    assert by_category["Рассада"]["rows"] == int(seedlings.sum())
    assert by_category["Тележки"]["rows"] == int(trolleys.sum())
    assert by_category["Other"]["rows"] == len(frame) - int(seedlings.sum()) - int(trolleys.sum())


def test_bad_rules_file_exits_2_naming_the_rows(tmp_path):
    rules = tmp_path / "rules.csv"
    rules.write_text("keyword,category,mode,enabled\nрассад,Рассада,contains,true\n,Тележки,contains,true\n"
                     "ваза,Декор,sometimes,true\n", encoding="utf-8")
    result = run_cli("summary", PRACTICUM_UPD, "--rules", rules)
    assert result.returncode == 2
    line = result.stderr.strip()
    assert line.startswith("error: ") and len(line.splitlines()) == 1
    assert "row 2" in line and "row 3" in line


def test_thresholds_and_map_come_from_the_settings_file(tmp_path):
    settings = tmp_path / "s.json"
    settings.write_text(json.dumps({
        "scoring": {"frequency": {"method": "cuts", "cuts": [1, 2, 4]},
                    "recency": {"method": "cuts", "cuts": [30, 90, 180]}},
        "segment_map": [{"name": "Repeat, recent", "r_min": 3, "r_max": 4, "f_min": 2, "f_max": 4},
                        {"name": "Repeat", "r_min": 1, "r_max": 4, "f_min": 2, "f_max": 4}]}))
    result = summary(PRACTICUM_UPD, "--settings", settings)
    assert result["scores"]["F"] == {"bins": 4, "edges": [1.0, 2.0, 4.0]}
    assert result["scores"]["R"] == {"bins": 4, "edges": [30.0, 90.0, 180.0]}
    frame = pd.read_csv(PRACTICUM_UPD)
    frame["date"] = pd.to_datetime(frame["date"].astype(str), format="%Y%m%d%H")
    per_customer = frame.groupby("customer_id").agg(orders=("order_id", "nunique"), last=("date", "max"))
    recency = (pd.Timestamp("2020-02-01") - per_customer["last"].dt.normalize()).dt.days
    repeat = per_customer["orders"] >= 2
    counts = {s["name"]: s["customers"] for s in result["segments"]}
    assert counts == {"Repeat, recent": int((repeat & (recency <= 90)).sum()),
                      "Repeat": int((repeat & (recency > 90)).sum()), "Other": int((~repeat).sum())}


def two_sheet_workbook(path):
    """An .xlsx whose first sheet is a title only; 'Orders' and 'Later' have order lines."""
    import openpyxl
    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    workbook.active.append(["Orders export, March 2024"])
    header = ["date", "customer_id", "order_id", "product", "quantity", "price"]
    for title, rows in (("Orders", [["2024-03-01", "a", "1", "Vase", 2, 10], ["2024-03-02", "b", "2", "Mug", 1, 4]]),
                        ("Later", [["2024-04-01", "c", "3", "Jug", 1, 7]])):
        sheet = workbook.create_sheet(title)
        for row in [header, *rows]:
            sheet.append(row)
    workbook.save(path)
    return path


def test_a_workbook_is_read_from_its_first_table_sheet_or_the_sheet_option(tmp_path):
    path = two_sheet_workbook(tmp_path / "orders.xlsx")
    result = summary(path)
    assert (result["customers"], result["revenue"]) == (2, 24.0)
    assert result["input"]["notes"] == ["the sheet 'Cover' of 'orders.xlsx' holds no table, so the sheet 'Orders' "
                                        "was read; choose another one under Sheet in the app, or with --sheet on the "
                                        "command line"]
    result = summary(path, "--sheet", "Later")
    assert (result["customers"], result["revenue"], result["input"]["notes"]) == (1, 7.0, [])
    for sheet, message in (("Cover", "'orders.xlsx, sheet Cover' has no data rows"),
                           ("Nope", "sheet 'Nope' is not in 'orders.xlsx'; pick one of: Cover, Orders, Later")):
        failed = run_cli("summary", path, "--sheet", sheet)
        assert failed.returncode == 2 and failed.stderr.startswith(f"error: {message}"), failed.stderr
    out = tmp_path / "later.xlsx"
    exported = run_cli("export", path, "--out", out, "--sheet", "Later")
    assert exported.returncode == 0, exported.stderr
    assert json.loads(exported.stdout)["customers"] == 1


def test_a_typed_map_to_a_repeated_header_is_refused_and_its_numbered_names_work(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("date,customer_id,order_id,product,quantity,Amount,Amount\n2023-01-05,A,1,Tea,2,3,4\n",
                    encoding="utf-8")
    failed = run_cli("summary", path, "--map", "price=Amount")
    assert failed.returncode == 2
    assert failed.stderr.strip() == (
        "error: the header 'Amount' for price appears 2 times with different values; choose one: 'Amount' or "
        "'Amount (2)' (in the app under Column mapping, on the command line with --map price='Amount (2)'; there "
        "'Amount (1)' is the first)")
    assert summary(path, "--map", "price=Amount (2)")["revenue"] == 8.0
    assert summary(path, "--map", "price=Amount (1)")["revenue"] == 6.0
