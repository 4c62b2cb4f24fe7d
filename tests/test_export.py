"""The Excel workbook, customers CSV and settings file (core.export), read back with openpyxl, and the CLI export."""
import io
import json
import subprocess
import sys
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pytest

from core import export, pipeline
from core.categories import Rule, category_summary
from core.i18n import WEEKDAYS, segment_name, t
from core.profiles import segment_profiles
from core.settings import CleaningPolicy, ClusterChoices, ForecastChoices, Settings
from core.stats import results_frame
from tests.conftest import PRACTICUM_UPD, REPO, repeat_vs_single

FORMULA_LIKE = ['=HYPERLINK("http://example.com","click")', "+7 999", "-5", "@SUM(A1)", "\t=1+1", " =1+2",
                "\r-3"]


@pytest.fixture(scope="module")
def practicum():
    settings = Settings()
    return pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, settings), settings


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def table(sheet) -> pd.DataFrame:
    rows = list(sheet.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def settings_from_sheet(sheet) -> Settings:
    """The settings file a workbook's Settings sheet holds: its ``settings.json`` rows joined, read back."""
    rows = list(sheet.iter_rows(values_only=True))[1:]
    parts = [value for name, value in rows
             if name == export.SETTINGS_JSON_ROW or name.startswith(f"{export.SETTINGS_JSON_ROW} (")]
    return Settings.from_json("".join(parts))


def formula_cells(book: openpyxl.Workbook) -> list[str]:
    return [f"{sheet.title}!{cell.coordinate}" for sheet in book for row in sheet.iter_rows() for cell in row
            if cell.data_type == "f"]


@pytest.fixture(scope="module")
def practicum_book(practicum):
    analysis, settings = practicum
    return read(export.workbook_bytes(analysis, settings, mailing_segments=["Potential Loyalists", "Lost", "Nobody"]))


def test_sheets_headers_and_formatting(practicum, practicum_book):
    analysis, _ = practicum
    book = practicum_book
    assert book.sheetnames == ["Summary", "Customers", "Mail Potential Loyalists", "Mail Lost", "Segments", "Categories",
                               "Category rules", "Data quality", "Settings"]     # unknown segment: no sheet
    customers = book["Customers"]
    header = [c.value for c in customers[1]]
    assert header[:10] == ["Customer", "Segment", "RFM code", "R score", "F score", "M score",
                           "Days since last purchase", "Orders", "Spend", "Average order"]
    assert {"First purchase", "Last purchase", "Main category"} <= set(header)
    n = len(analysis.segmentation.customers)
    for name in book.sheetnames[1:]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert all(cell.font.b for cell in sheet[1]), name
        assert sheet.auto_filter.ref == f"A1:{openpyxl.utils.get_column_letter(sheet.max_column)}{sheet.max_row}"
        assert all(sheet.column_dimensions[openpyxl.utils.get_column_letter(i + 1)].width >= 8
                   for i in range(sheet.max_column)), name
    assert customers.max_row == n + 1
    row = {h: c for h, c in zip(header, customers[2])}
    assert row["Spend"].number_format == "#,##0.00" and row["Orders"].number_format == "#,##0"
    assert row["First purchase"].number_format == "yyyy-mm-dd hh:mm" and row["First purchase"].is_date
    shares = {h: c for h, c in zip([c.value for c in book["Segments"][1]], book["Segments"][2])}
    assert shares["Share of customers"].number_format == "0.0%"


def test_customer_values_equal_the_core_table(practicum, practicum_book):
    analysis, _ = practicum
    expected = analysis.segmentation.customers.sort_values("customer_id").reset_index(drop=True)
    got = table(practicum_book["Customers"])
    assert got["Customer"].tolist() == expected["customer_id"].tolist()
    assert got["Segment"].tolist() == expected["segment"].astype(str).tolist()
    assert got["RFM code"].tolist() == expected["RFM"].tolist()
    for header, column in [("R score", "R"), ("F score", "F"), ("M score", "M"),
                           ("Days since last purchase", "recency_days"), ("Orders", "frequency")]:
        assert got[header].tolist() == expected[column].tolist(), header
    np.testing.assert_allclose(got["Spend"].astype(float), expected["monetary"], rtol=1e-12)
    assert (pd.to_datetime(got["Last purchase"]) - expected["last_purchase"]).abs().max() < pd.Timedelta("1s")
    assert got["Main category"].fillna("").tolist() == expected["dominant_category"].fillna("").tolist()
    mailing = table(practicum_book["Mail Potential Loyalists"])
    assert len(mailing) == (expected["segment"] == "Potential Loyalists").sum() == 754
    assert set(mailing["Segment"]) == {"Potential Loyalists"}


def test_segments_categories_and_quality_equal_the_core_tables(practicum, practicum_book):
    analysis, _ = practicum
    profiles = segment_profiles(analysis.lines, analysis.segmentation.customers)
    segments = table(practicum_book["Segments"])
    assert segments["Segment"].tolist() == profiles["segment"].astype(str).tolist()
    assert segments["Customers"].tolist() == profiles["customers"].tolist()
    assert segments["Recommendation"].str.len().min() > 20 and set(segments["Mail or skip"]) <= {"mail", "skip"}
    # the default map fitted to the F scores in use (1, 4, 5): two-order customers (F 4) are Potential Loyalists
    assert segments.loc[segments["Segment"] == "Potential Loyalists", "Rule (scores)"].item() == "R 4–5, F 4"
    summary = category_summary(analysis.lines)
    categories = table(practicum_book["Categories"])
    assert categories["Category"].tolist() == summary.index.tolist()
    assert "Растения и рассада" in categories["Category"].tolist()
    np.testing.assert_allclose(categories["Revenue"].astype(float), summary["revenue"])
    rules = table(practicum_book["Category rules"])
    assert len(rules) == len(analysis.rules) and rules["Priority"].tolist()[:3] == [1, 2, 3]
    quality = table(practicum_book["Data quality"]).set_index("Reason code")
    report = analysis.prepared.report
    assert quality.loc["input", "Count"] == report.input_rows == 7474
    assert quality.loc["kept", "Count"] + quality.drop(index=["input", "kept"])["Count"].sum() == report.input_rows
    summary_rows = {row[0]: row[1] for row in practicum_book["Summary"].iter_rows(values_only=True) if row[0]}
    assert summary_rows["Customers"] == 2451 and summary_rows["Orders"] == 3521
    assert summary_rows["Analysis date (recency counted to)"] == pd.Timestamp("2020-02-01")
    assert summary_rows["Revenue"] == pytest.approx(5357944.42, abs=0.01)


def hostile_analysis():
    """Customers, products and a rule keyword that look like formulas, with control characters and Cyrillic."""
    rows = []
    names = FORMULA_LIKE + ["ok\x01\x07\x1fbad\x0b", "Ёлка <b>&amp;</b>", "_x0041_ literal", "emoji 🎄 end"]
    for i, name in enumerate(names):
        for j in range(2):
            rows.append({"date": f"2023-{1 + i % 9:02d}-{10 + j * 10} 10:00", "customer_id": name,
                         "order_id": f"O{i}-{j}", "product": f"{name} товар", "quantity": 1, "price": 10 + i})
    data = pd.DataFrame(rows).to_csv(index=False).encode("utf-8")
    rules = (Rule("=cmd|' /C calc'!A0", "Вредное"), Rule("товар", "Товары"))
    settings = Settings(rules=rules, cleaning=CleaningPolicy())
    return pipeline.run(data, "hostile.csv", settings), settings, names


def test_formula_like_text_stays_text_and_control_characters_go():
    analysis, settings, names = hostile_analysis()
    customer_ids = analysis.segmentation.customers["customer_id"]
    notes = [FORMULA_LIKE[i % len(FORMULA_LIKE)] for i in range(len(customer_ids))]
    extra = pd.DataFrame({"customer_id": customer_ids, "note": notes,
                          "joined": pd.date_range("2024-03-31 01:30", periods=len(customer_ids), freq="h",
                                                  tz="Europe/Moscow")})
    data = export.workbook_bytes(analysis, settings, extra=extra,
                                 mailing_segments=analysis.segmentation.customers["segment"].astype(str).unique())
    book = read(data)
    assert formula_cells(book) == []
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                xml = package.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name
                assert not any(chr(c) in xml for c in [*range(0, 9), 11, 12, *range(14, 32)]), name
    customers = table(book["Customers"])
    written = set(customers["Customer"])              # ids as the intake read them (it trims spaces)
    assert {'=HYPERLINK("http://example.com","click")', "+7 999", "-5", "@SUM(A1)", "=1+1", "=1+2"} <= written
    assert "ok\x01\x07\x1fbad" in set(analysis.segmentation.customers["customer_id"])
    assert "okbad" in written and "Ёлка <b>&amp;</b>" in written and "emoji 🎄 end" in written
    assert "_x0041_ literal" in written or "_x005F_x0041_ literal" in written   # Excel shows the literal text
    assert set(customers["Note"]) == {text.replace("\r", "\n") for text in FORMULA_LIKE}   # tab, spaces kept
    joined = pd.to_datetime(customers["Joined"])
    assert joined.min() == pd.Timestamp("2024-03-31 01:30")                     # wall time kept, zone dropped
    rules = table(book["Category rules"])
    assert rules["Keyword"].tolist()[0] == "=cmd|' /C calc'!A0"
    assert all(cell.data_type == "s" for cell in book["Customers"]["A"][1:])


def test_customers_csv_has_a_bom_cyrillic_and_neutralised_formulas():
    analysis, _, _ = hostile_analysis()
    frame = export.customers_table(analysis)
    data = export.customers_csv(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert "Ёлка <b>&amp;</b>" in text and "Товары" in text
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(back.columns) == list(frame.columns) and len(back) == len(frame)
    ids = set(back["customer_id"])
    assert {"'+7 999", "'-5", "'@SUM(A1)", "'=1+1", "'=HYPERLINK(\"http://example.com\",\"click\")"} <= ids
    assert "okbad" in ids and not any(export.is_formula_like(v) for v in ids)
    plain = pd.read_csv(io.BytesIO(export.customers_csv(frame, excel_safe=False)), encoding="utf-8-sig", dtype=str)
    assert "+7 999" in set(plain["customer_id"])


def test_row_limit_splits_tables_across_sheets(practicum):
    analysis, settings = practicum
    book = read(export.workbook_bytes(analysis, settings, max_rows=1000))
    assert book.sheetnames[1:4] == ["Customers", "Customers (2)", "Customers (3)"]
    parts = [table(book[name]) for name in book.sheetnames[1:4]]
    assert [len(p) for p in parts] == [1000, 1000, 451]
    ids = pd.concat(parts)["Customer"].tolist()
    assert ids == sorted(analysis.segmentation.customers["customer_id"].tolist())
    assert "Category rules (2)" in book.sheetnames
    notes = " ".join(str(row[0]) for row in book["Summary"].iter_rows(values_only=True) if row[0])
    assert "continues on Customers (2), Customers (3)" in notes
    with pytest.raises(ValueError):
        export.workbook_bytes(analysis, settings, max_rows=0)


def test_sheet_names_are_valid_and_unique():
    names = export._SheetNames()
    taken = [names.take("Mail A/B: [test]?*"), names.take("mail a_b_ _test___"), names.take("x" * 40),
             names.take("x" * 40, part=12), names.take("'quoted'")]
    assert taken[0] == "Mail A_B_ _test___"
    assert taken[1].lower() != taken[0].lower() and all(len(t) <= 31 for t in taken)
    assert taken[3].endswith(" (12)") and taken[4] == "quoted"


def test_tests_sheet_only_with_results_and_extra_columns(practicum):
    analysis, settings = practicum
    customers = analysis.segmentation.customers
    result = repeat_vs_single(analysis, metric_label="spend")
    clusters = pd.DataFrame({"cluster": np.arange(len(customers)) % 3 + 1},
                            index=customers["customer_id"].iloc[::-1].to_numpy())      # any order, by id
    book = read(export.workbook_bytes(analysis, settings, tests=[result], extra=clusters.iloc[:-5]))
    assert "Tests" in book.sheetnames
    tests = table(book["Tests"])
    assert len(tests) == len(results_frame([result])) and tests["p-value"].iloc[0] == pytest.approx(result.p_value)
    got = table(book["Customers"]).set_index("Customer")["Cluster"]
    assert got.notna().sum() == len(customers) - 5
    assert got.dropna().astype(int).to_dict() == clusters.iloc[:-5]["cluster"].to_dict()


def test_settings_round_trip_and_rows(practicum):
    analysis, _ = practicum
    changed = Settings(mapping={"price": "price"}, cleaning=CleaningPolicy(returns="net", quantity_limit=500),
                       analysis_date="2020-01-15", templates={"Lost": "Bye {segment}"})
    assert Settings.from_json(export.settings_json(changed)) == changed
    saved = export.settings_for_download(changed, analysis)
    assert saved.rules == analysis.rules and saved.segment_map == analysis.segmentation.segment_map
    assert saved.language == "ru" and saved.analysis_date == "2020-01-15"
    back = Settings.from_json(export.settings_json(saved))
    assert back == saved
    rerun = pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, back)
    assert rerun.segmentation.customers["segment"].equals(
        pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, changed).segmentation.customers["segment"])
    rows = dict(export.settings_rows(saved).itertuples(index=False))
    assert rows["cleaning.returns"] == "net" and rows["cleaning.quantity_limit"] in ("500", "500.0")
    assert rows["analysis_date"] == "2020-01-15" and rows["templates.Lost"] == "Bye {segment}"
    assert json.loads(rows["rules[1]"])["keyword"] == analysis.rules[0].keyword


def test_settings_sheet_writes_out_the_settings_in_force_and_holds_their_json(practicum):
    analysis, _ = practicum
    settings = Settings(templates={"Lost": "Bye _x0041_ \x85 \ufffe {segment}"}, ui_language="ru",
                        clusters=ClusterChoices(k=3, seed=5), forecast=ForecastChoices(horizon_days=90),
                        mailing_lists=("Lost",))
    book = read(export.workbook_bytes(analysis, settings, mailing_segments=settings.mailing_lists))
    saved = export.settings_for_download(settings, analysis)
    assert settings_from_sheet(book["Settings"]) == saved                 # the sheet reproduces the analysis
    assert saved.rules == analysis.rules and len(saved.rules) > 1000 and saved.language == "ru"
    rows = table(book["Settings"])
    json_rows = rows[rows["Setting"].str.startswith(export.SETTINGS_JSON_ROW)]
    assert json_rows["Setting"].tolist()[:2] == ["settings.json", "settings.json (2)"]     # > one cell of rules
    assert json_rows["Value"].str.len().max() <= 16_383
    values = dict(zip(rows["Setting"], rows["Value"]))
    assert "rules" not in values and "segment_map" not in values          # written out, not "null"
    assert json.loads(values["rules[1]"])["keyword"] == analysis.rules[0].keyword
    assert json.loads(values[f"segment_map[{len(saved.segment_map)}]"])["name"] == saved.segment_map[-1].name
    assert values["language"] == "ru" and values["clusters.k"] == "3" and values["forecast.horizon_days"] == "90"
    assert values["mailing_lists[1]"] == "Lost"


def test_text_helpers():
    assert export.clean_text("a\x00b\x1fc\r\nd\re\ufffe") == "abc\nd\ne"
    assert len(export.clean_text("x" * 40_000)) == export.MAX_CELL_CHARS
    assert len(export.clean_text("🎄" * 20_000).encode("utf-16-le")) <= 2 * export.MAX_CELL_CHARS   # UTF-16 units
    assert all(export.is_formula_like(v) for v in FORMULA_LIKE)
    assert not any(export.is_formula_like(v) for v in ["a=b", "7+1", "Ёлка", ""])


# ---------------------------------------------------------------------------------------------------------------- CLI


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "core", *map(str, args)], capture_output=True, text=True, cwd=REPO,
                          timeout=180)


def test_cli_export_writes_the_workbook(tmp_path):
    settings = tmp_path / "settings.json"
    settings.write_text(Settings(cleaning=CleaningPolicy(returns="net")).to_json())
    out = tmp_path / "segments.xlsx"
    result = run_cli("export", PRACTICUM_UPD, "--out", out, "--settings", settings, "--mailing-list", "Loyal")
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert printed["workbook"] == str(out) and printed["customers"] == 2451 and "Mail Loyal" in printed["sheets"]
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == printed["sheets"]
    rows = {row[0]: row[1] for row in book["Settings"].iter_rows(values_only=True)}
    assert rows["cleaning.returns"] == "net"
    assert not list(tmp_path.glob("*.part"))


def test_cli_unwritable_out_exits_2_with_one_line():
    result = run_cli("export", PRACTICUM_UPD, "--out", "/nonexistent/dir/x.xlsx")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == ("error: cannot write workbook /nonexistent/dir/x.xlsx: the folder /nonexistent/dir "
                             "does not exist\n")


@pytest.mark.parametrize("args, message", [
    (["export", REPO / "no_such_file.csv", "--out", "{tmp}/x.xlsx"], "input file not found"),
    (["export", REPO / "tests" / "data" / "bad" / "empty.csv", "--out", "{tmp}/x.xlsx"], ""),
    (["export", PRACTICUM_UPD, "--out", "{tmp}"], "is a folder"),
    (["export", PRACTICUM_UPD], "--out"),
    (["export", PRACTICUM_UPD, "--out", "{tmp}/x.xlsx", "--mailing-list", "Nobody"], "segment 'Nobody'"),
    (["export", PRACTICUM_UPD, "--out", "{tmp}/x.xlsx", "--settings", "{tmp}/bad.json"], "cleaning.returns"),
    (["export", PRACTICUM_UPD, "--out", "{tmp}/x.xlsx", "--map", "price=No such column"], "No such column"),
    (["export", PRACTICUM_UPD, "--out", "{tmp}/x.xlsx", "--seed", "3"],
     "--seed needs --clusters (or 'clusters' in the settings file)"),
    (["export", PRACTICUM_UPD, "--out", "{tmp}/x.xlsx", "--discount", "2"], "--discount needs --clv"),
    (["export", PRACTICUM_UPD, "--out", "{tmp}/x.xlsx", "--clusters", "1"],
     "--clusters 1: clusters.k must be one of 0, 2, 3, 4, 5, 6, 7, 8, not 1"),
    (["export", PRACTICUM_UPD, "--out", "{tmp}/x.xlsx", "--clv", "100"],
     "--clv 100: forecast.horizon_days must be one of 90, 180, 365, not 100"),
    (["export", PRACTICUM_UPD, "--out", "{tmp}/x.xlsx", "--clv", "90", "--margin", "0"],
     "--margin 0: forecast.margin_percent must be between 1 and 100, not 0"),
    (["export", PRACTICUM_UPD, "--out", "{tmp}/x.xlsx", "--clv", "90", "--time-unit", "M"], "--time-unit M"),
    (["export", PRACTICUM_UPD, "--out", "{tmp}/x.xlsx", "--clusters", "many"], "invalid int value: 'many'"),
])
def test_cli_export_errors_are_one_line_and_exit_2(tmp_path, capsys, args, message):
    """In process (the subprocess test above covers the real entry point): exit 2, one ``error:`` line."""
    from core.__main__ import main
    (tmp_path / "bad.json").write_text(json.dumps({"cleaning": {"returns": "sometimes"}}))
    code = main([str(a).replace("{tmp}", str(tmp_path)) for a in args])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err
    assert not (tmp_path / "x.xlsx").exists() and not list(tmp_path.glob("*.part"))


def customers_sheet(path) -> pd.DataFrame:
    """A written workbook's customers sheet (the second, in either language), indexed by customer id."""
    book = openpyxl.load_workbook(path, read_only=True)
    frame = table(book[book.sheetnames[1]])                               # Customers / Клиенты
    return frame.set_index(frame.columns[0])


def core_clusters(analysis, k: int, seed: int, shares: bool = False) -> pd.Series:
    """Cluster labels straight from core, as the Clusters page fits them (k = 0: the suggested k)."""
    from core import clustering
    customers = analysis.segmentation.customers
    extra = clustering.share_features(analysis.lines) if shares else None
    k = k or clustering.best_k(clustering.suggest_k(customers, seed=seed, extra=extra))
    return clustering.fit_clusters(customers, k, seed=seed, extra=extra)


def core_clv(analysis, horizon: int, unit: str, discount: float, margin: float) -> pd.DataFrame:
    """The CLV straight from core, as the Forecast page computes it (discount and margin as fractions)."""
    from core import clv
    fitted = clv.fit_clv_models(analysis.prepared.orders, clv.observation_end_for(
        analysis.segmentation.analysis_date), unit)
    return clv.customer_clv(fitted.summary, fitted.bgnbd, fitted.gg, horizon, discount, unit, margin)


def test_cli_export_adds_cluster_and_clv_columns_equal_to_core_and_writes_the_pdf(practicum, tmp_path, capsys):
    from core.__main__ import main
    analysis, _ = practicum
    out, pdf = tmp_path / "segments.xlsx", tmp_path / "report.pdf"
    code = main(["export", str(PRACTICUM_UPD), "--out", str(out), "--pdf", str(pdf), "--clusters", "0", "--seed", "3",
                 "--clv", "180", "--discount", "1.5", "--margin", "60"])
    printed = json.loads(capsys.readouterr().out)
    model, labels = core_clusters(analysis, 0, 3)
    forecast = core_clv(analysis, 180, "W", 0.015, 0.6)
    assert code == 0 and printed["clusters"] == model.k and printed["clv_horizon_days"] == 180
    sheet = customers_sheet(out)
    assert list(sheet.columns[-7:]) == ["Cluster", "Cluster name", "P(alive)", "P(alive) note", "Expected orders",
                                        "Expected average order", "CLV"]
    assert len(sheet) == 2451 and sheet["Cluster"].astype(int).to_dict() == labels.to_dict()
    assert sheet["Cluster name"].tolist() == [model.names[c - 1] for c in labels.reindex(sheet.index)]
    for column, name in (("CLV", "clv"), ("Expected orders", "expected_orders"), ("P(alive)", "p_alive")):
        np.testing.assert_allclose(sheet[column].astype(float), forecast[name].reindex(sheet.index), rtol=1e-9)
    assert sheet["CLV"].isna().sum() == forecast["clv"].isna().sum() > 0     # one-time buyers: no finite mean
    saved = settings_from_sheet(openpyxl.load_workbook(out)["Settings"])
    assert saved.clusters == ClusterChoices(k=0, seed=3) and saved.forecast == ForecastChoices(180, "W", 1.5, 60)

    assert printed["pdf"] == str(pdf) and pdf.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for heading in ("report.heading", "report.sales_heading", "report.categories_heading", "report.segments_heading",
                    "report.recommendations_heading"):
        assert t(heading, "en") in text, heading


def test_cli_export_takes_clusters_forecast_and_mailing_lists_from_the_settings(practicum, tmp_path, capsys):
    """A settings file as the app saves it drives the export; the options override it field by field."""
    from core.__main__ import main
    from core.clustering import display_name
    analysis, _ = practicum
    path, out = tmp_path / "settings.json", tmp_path / "segments.xlsx"
    path.write_text(Settings(ui_language="ru", clusters=ClusterChoices(k=3, seed=2, category_shares=True),
                             forecast=ForecastChoices(horizon_days=90, time_unit="D", monthly_discount_percent=2),
                             mailing_lists=("Loyal", "Nobody")).to_json())
    assert main(["export", str(PRACTICUM_UPD), "--out", str(out), "--settings", str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["clusters"] == 3 and printed["clv_horizon_days"] == 90
    assert [name for name in printed["sheets"] if name.startswith("Рассылка")] == ["Рассылка Лояльные"]
    sheet = customers_sheet(out)
    model, labels = core_clusters(analysis, 3, 2, shares=True)
    assert sheet["Кластер"].astype(int).to_dict() == labels.to_dict()
    assert sheet["Название кластера"].tolist() == [display_name(model.names[c - 1], "ru")
                                                   for c in labels.reindex(sheet.index)]
    np.testing.assert_allclose(sheet["CLV"].astype(float), core_clv(analysis, 90, "D", 0.02, 1.0)["clv"].reindex(
        sheet.index), rtol=1e-9)

    assert main(["export", str(PRACTICUM_UPD), "--out", str(out), "--settings", str(path), "--clusters", "4",
                 "--no-category-shares", "--clv", "365", "--time-unit", "W", "--mailing-list", "Потерянные"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["clusters"] == 4 and [name for name in printed["sheets"] if name.startswith("Рассылка")] == [
        "Рассылка Потерянные"]
    sheet = customers_sheet(out)
    assert sheet["Кластер"].astype(int).to_dict() == core_clusters(analysis, 4, 2)[1].to_dict()   # the file's seed
    np.testing.assert_allclose(sheet["CLV"].astype(float), core_clv(analysis, 365, "W", 0.02, 1.0)["clv"].reindex(
        sheet.index), rtol=1e-9)
    saved = settings_from_sheet(openpyxl.load_workbook(out)["Настройки"])
    assert saved.clusters == ClusterChoices(k=4, seed=2, category_shares=False)
    assert saved.forecast == ForecastChoices(horizon_days=365, time_unit="W", monthly_discount_percent=2)
    assert saved.mailing_lists == ("Lost",)


def test_cli_export_says_when_the_forecast_cannot_be_made(tmp_path, capsys):
    from core.__main__ import main
    orders = tmp_path / "once.csv"
    orders.write_text("date,customer_id,order_id,product,quantity,price\n" + "".join(
        f"2024-03-01,c{n},{n},Mug,1,10\n" for n in range(12)))           # twelve identical one-time buyers
    assert main(["export", str(orders), "--out", str(tmp_path / "x.xlsx"), "--clv", "90"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: CLV forecast: no customer has bought more than once") and (
        err.count("\n") == 1)
    assert main(["export", str(orders), "--out", str(tmp_path / "x.xlsx"), "--clusters", "0"]) == 2
    assert capsys.readouterr().err.startswith("error: clusters: the customers are too alike")
    assert not (tmp_path / "x.xlsx").exists()


# ------------------------------------------------------------------------------------------------- Russian exports


@pytest.fixture(scope="module")
def russian_book(practicum):
    analysis, settings = practicum
    result = repeat_vs_single(analysis, metric_label="траты", lang="ru")
    steps = []
    data = export.workbook_bytes(analysis, settings, tests=[result], lang="ru", currency="₽", progress=steps.append,
                                 mailing_segments=["Potential Loyalists", "Lost", "Nobody"])
    return read(data), steps, result


def test_russian_workbook_has_russian_sheets_headers_names_and_formats(practicum, russian_book):
    analysis, _ = practicum
    book, steps, result = russian_book
    assert book.sheetnames == ["Сводка", "Клиенты", "Рассылка Потенциально лояльные", "Рассылка Потерянные", "Сегменты",
                               "Категории", "Правила категорий", "Проверки гипотез", "Качество данных", "Настройки"]
    assert steps[0] == "Готовлю таблицы" and any(step.startswith("Записываю лист «Клиенты» (строк: 2") for step in steps)
    assert formula_cells(book) == []
    header = [c.value for c in book["Клиенты"][1]]
    assert header[:10] == ["Клиент", "Сегмент", "Код RFM", "Балл R", "Балл F", "Балл M", "Дней с последней покупки",
                           "Заказы", "Траты", "Средний чек"]
    assert {"Первая покупка", "Последняя покупка", "Основная категория"} <= set(header)
    customers = table(book["Клиенты"])
    expected = analysis.segmentation.customers.sort_values("customer_id")
    assert customers["Сегмент"].tolist() == [segment_name(s, "ru") for s in expected["segment"]]
    assert "Потенциально лояльные" in set(customers["Сегмент"]) and "Potential Loyalists" not in set(customers["Сегмент"])
    assert set(table(book["Рассылка Потенциально лояльные"])["Сегмент"]) == {"Потенциально лояльные"}
    row = {h: c for h, c in zip(header, book["Клиенты"][2])}
    assert row["Траты"].number_format == row["Средний чек"].number_format == '#,##0.00 "₽"'
    assert row["Заказы"].number_format == "#,##0"
    assert row["Первая покупка"].is_date and row["Первая покупка"].number_format == "dd.mm.yyyy hh:mm"
    summary = {r[0].value: r[1] for r in book["Сводка"].iter_rows() if r[0].value and len(r) > 1}
    assert summary["Дата анализа (давность считается до неё)"].value == pd.Timestamp("2020-02-01")
    assert summary["Дата анализа (давность считается до неё)"].number_format == "dd.mm.yyyy"
    assert summary["Выручка"].value == pytest.approx(5357944.42, abs=0.01)
    assert summary["Выручка"].number_format == '#,##0.00 "₽"' and summary["Клиенты"].value == 2451
    assert summary["Проверки гипотез включены"].value == "да"
    segments = table(book["Сегменты"])
    assert segments.columns[:3].tolist() == ["Сегмент", "Правило (баллы)", "Клиенты"]
    assert segments["Сегмент"].iloc[0] == "Лояльные" and set(segments["Рассылать или нет"]) <= {"рассылать",
                                                                                                 "пропустить"}
    potential = segments.set_index("Сегмент").loc["Потенциально лояльные"]
    assert potential["Рекомендация"].startswith("Стимул к следующему заказу")
    assert potential["Правило (баллы)"] == "R 4–5, F 4" and potential["Пиковый день недели"] in WEEKDAYS["ru"]
    quality = table(book["Качество данных"]).set_index("Код причины")
    assert quality.loc["input", "Строки"] == "Строк в файле"
    assert quality.loc["kept", "Строки"] == "Оставлено для анализа" and quality.loc["kept", "Количество"] == 7474
    tests = table(book["Проверки гипотез"])
    assert tests.columns[:4].tolist() == ["Вопрос", "Критерий", "H0 (нулевая гипотеза)", "H1 (альтернатива)"]
    assert tests["Величина эффекта"].iloc[0] == t(f"tests.magnitude.{result.magnitude}", "ru") != result.magnitude
    categories = table(book["Категории"])
    assert categories.columns.tolist() == ["Категория", "Строки", "Заказы", "Клиенты", "Выручка", "Доля выручки"]
    assert "Прочие" in set(categories["Категория"]) and "Other" not in set(categories["Категория"])


def test_russian_workbook_keeps_text_safe_and_splits_long_tables():
    analysis, settings, _ = hostile_analysis()
    book = read(export.workbook_bytes(analysis, settings, lang="ru", max_rows=5,
                                      mailing_segments=analysis.segmentation.customers["segment"].astype(str)))
    assert formula_cells(book) == [] and "Клиенты (2)" in book.sheetnames
    assert all(len(name) <= export.MAX_SHEET_NAME for name in book.sheetnames)
    assert len(set(name.lower() for name in book.sheetnames)) == len(book.sheetnames)
    ids = pd.concat([table(book[name]) for name in book.sheetnames if name.startswith("Клиенты")])["Клиент"]
    assert {'=HYPERLINK("http://example.com","click")', "+7 999", "@SUM(A1)"} <= set(ids)
    notes = " ".join(str(row[0]) for row in book["Сводка"].iter_rows(values_only=True) if row[0])
    assert "продолжается на листах Клиенты (2)" in notes


def test_number_formats_put_the_currency_sign_where_the_language_wants_it():
    assert export.number_formats()["money"] == "#,##0.00" and export.number_formats("en", "none")["money"] == "#,##0.00"
    assert export.number_formats("en", "£")["money"] == '"£"#,##0.00'
    assert export.number_formats("en", "₽")["money"] == '#,##0.00 "₽"'
    assert export.number_formats("ru", "€")["money"] == '#,##0.00 "€"'
    assert export.number_formats("ru")["date"] == "dd.mm.yyyy" and export.number_formats("en")["date"] == "yyyy-mm-dd"
    assert export.number_formats("ru")["datetime"] == "dd.mm.yyyy hh:mm"


def test_russian_customers_csv_opens_in_a_russian_excel(practicum):
    analysis, _ = practicum
    frame = export.customers_table(analysis)
    data = export.customers_csv(frame, lang="ru")
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", sep=";", dtype=str)
    assert back.columns[:4].tolist() == ["Клиент", "Сегмент", "Код RFM", "Балл R"] and len(back) == len(frame)
    assert "Потенциально лояльные" in set(back["Сегмент"])
    first = frame.iloc[0]
    assert back["Траты"].iloc[0] == f"{first['monetary']}".replace(".", ",")
    assert back["Первая покупка"].iloc[0] == f"{first['first_purchase']:%d.%m.%Y %H:%M:%S}"
    hostile, _, _ = hostile_analysis()
    ids = set(pd.read_csv(io.BytesIO(export.customers_csv(export.customers_table(hostile), lang="ru")),
                          encoding="utf-8-sig", sep=";", dtype=str)["Клиент"])
    assert "'+7 999" in ids and not any(export.is_formula_like(v) for v in ids)


def test_cli_export_takes_language_and_currency_from_the_settings(tmp_path, capsys):
    """In process: ``ui_language: ru`` gives the Russian workbook and report, the automatic currency is ₽ for
    the Russian product names; --lang and --currency override the settings."""
    from core.__main__ import main
    settings = tmp_path / "settings.json"
    settings.write_text(Settings(ui_language="ru").to_json())
    out, pdf = tmp_path / "segments.xlsx", tmp_path / "report.pdf"
    code = main(["export", str(PRACTICUM_UPD), "--out", str(out), "--pdf", str(pdf), "--settings", str(settings),
                 "--mailing-list", "Потенциально лояльные"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 0 and printed["sheets"][:3] == ["Сводка", "Клиенты", "Рассылка Потенциально лояльные"]
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == printed["sheets"] and book["Клиенты"]["B1"].value == "Сегмент"
    assert {h.value: c.number_format for h, c in zip(book["Клиенты"][1], book["Клиенты"][2])}["Траты"] == (
        '#,##0.00 "₽"')
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Отчёт о сегментах клиентов" in text and "₽" in text

    code = main(["export", str(PRACTICUM_UPD), "--out", str(out), "--settings", str(settings), "--lang", "en",
                 "--currency", "GBP", "--mailing-list", "Loyal"])
    printed = json.loads(capsys.readouterr().out)
    assert code == 0 and printed["sheets"][:3] == ["Summary", "Customers", "Mail Loyal"]
    book = openpyxl.load_workbook(out)
    assert book["Customers"]["I2"].number_format == '"£"#,##0.00' and book["Customers"]["I1"].value == "Spend"


def test_cli_summary_json_does_not_depend_on_the_export_language(tmp_path):
    english, russian = tmp_path / "en.json", tmp_path / "ru.json"
    english.write_text(Settings().to_json())
    russian.write_text(Settings(ui_language="ru", currency="€").to_json())
    results = [run_cli("summary", PRACTICUM_UPD, "--settings", path) for path in (english, russian)]
    assert all(result.returncode == 0 for result in results) and results[0].stdout == results[1].stdout
