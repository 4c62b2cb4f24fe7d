"""AppTest of the Export page: no data, the sample data's downloads, restoring an analysis from a settings file
(the Clusters, Forecast and Export choices too, giving the CLI's workbook), malformed settings files, and cluster
columns left out when they were fitted under other settings."""
import dataclasses
import hashlib
import io
import json

import openpyxl

from core.clustering import display_name
from core.settings import CleaningPolicy, ClusterChoices, ForecastChoices, Settings
from core.stats import compare_two
from tests.apptest_helpers import errors, fresh_app, page_path
from tests.test_export import settings_from_sheet, table
from tests.test_settings import MALFORMED
from ui.state import SAMPLE_FILE

PAGE = page_path("9_Export.py")
CLUSTERS, FORECAST = page_path("7_Clusters.py"), page_path("8_Forecast.py")


def downloads(at) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def click(at, label: str):
    (button,) = [b for b in at.button if b.label == label]
    return button.click().run(timeout=120)


def built(at, kind: str) -> bytes:
    return at.session_state["export_built"][kind][1]


def restore(at, settings: Settings, name: str = "segments.json"):
    at.file_uploader(key="settings_file").set_value((name, settings.to_json().encode(), "application/json"))
    return at.run()


def captions(at) -> str:
    return " | ".join(c.value for c in at.caption)


def test_sample_data_downloads_workbook_with_mailing_list_tests_and_pdf():
    at = fresh_app().run()
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    assert downloads(at) == ["Download customers (1,986 rows, CSV)", "Download the settings (JSON)"]
    assert [b.label for b in at.button] == ["Create the workbook", "Create the PDF report"]

    click(at, "Create the workbook")
    assert not at.exception and downloads(at)[0].startswith("Download the workbook (")
    book = openpyxl.load_workbook(io.BytesIO(built(at, "workbook")), read_only=True)
    assert book.sheetnames == ["Summary", "Customers", "Segments", "Categories", "Category rules", "Data quality",
                               "Settings"]
    assert sum(1 for _ in book["Customers"].iter_rows()) == 1986 + 1

    # a mailing list and the Tests page's results make a new workbook
    settings = at.session_state["settings"]                           # the settings the tests were run on
    sample_digest = hashlib.sha256(SAMPLE_FILE.read_bytes()).hexdigest()
    result = compare_two([1.0, 2, 3, 4, 5], [2.0, 3, 4, 5, 6], ("a", "b"))
    at.session_state["test_results"] = [result]
    at.session_state["test_results_basis"] = sample_digest + dataclasses.replace(settings, templates={}).to_json()
    at.multiselect(key="export_mailing").select("Champions").run()
    assert any("hypothesis tests" in c.value for c in at.caption)
    click(at, "Create the workbook")
    book = openpyxl.load_workbook(io.BytesIO(built(at, "workbook")), read_only=True)
    assert "Mail Champions" in book.sheetnames and "Tests" in book.sheetnames

    click(at, "Create the PDF report")
    assert not at.exception and not errors(at)
    pdf_label = [label for label in downloads(at) if "PDF" in label]
    assert pdf_label and " pages, " in pdf_label[0]
    assert built(at, "pdf").startswith(b"%PDF")


def test_uploading_settings_restores_the_analysis_and_reseeds_the_home_page():
    at = fresh_app().run()
    at.switch_page(PAGE).run()
    before = at.markdown[0].value
    saved = Settings(cleaning=CleaningPolicy(returns="net"), analysis_date="2023-06-01")
    at.session_state["policy_returns"] = "drop"                         # a stale home-page widget value
    at.file_uploader(key="settings_file").set_value(("segments.json", saved.to_json().encode(),
                                                     "application/json")).run()
    assert not at.exception and not errors(at)
    assert at.session_state["settings"] == saved
    assert "policy_returns" not in at.session_state
    assert any("Restored the analysis from segments.json" in s.value for s in at.success)
    assert at.markdown[0].value != before and "2023-06-01" in at.markdown[0].value

    at.switch_page("streamlit_app.py").run()
    assert at.radio(key="policy_returns").value == "net"                 # re-seeded from the restored settings

    at.radio(key="policy_returns").set_value("drop").run()              # changed again, then the same file again
    assert at.session_state["settings"].cleaning.returns == "drop"
    at.switch_page(PAGE).run()
    at.file_uploader(key="settings_file").set_value(("segments.json", saved.to_json().encode(),
                                                     "application/json")).run()
    assert at.session_state["settings"] == saved


def test_an_invalid_settings_file_names_the_field_and_changes_nothing():
    at = fresh_app().run()
    at.switch_page(PAGE).run()
    bad = json.dumps({"scoring": {"recency": {"bins": 7}}}).encode()
    at.file_uploader(key="settings_file").set_value(("bad.json", bad, "application/json")).run()
    assert not at.exception
    assert any("This settings file cannot be used" in e and "bins" in e for e in errors(at))
    assert at.session_state["settings"] == Settings()
    at.file_uploader(key="settings_file").set_value(("junk.json", b"{not json", "application/json")).run()
    assert any("not valid JSON" in e for e in errors(at))


def test_malformed_settings_files_name_the_field_and_change_nothing():
    at = fresh_app().run()
    at.switch_page(PAGE).run()
    for number, (text, message) in enumerate(MALFORMED):
        at.file_uploader(key="settings_file").set_value((f"bad{number}.json", text.encode(), "application/json"))
        at.run()
        assert not at.exception, text
        assert errors(at) == [f"This settings file cannot be used: {message}"], text
        assert at.session_state["settings"] == Settings()


def sheets_without_the_creation_time(data) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(data, read_only=True)
    created = "Created"
    return {name: [row for row in book[name].iter_rows(values_only=True) if row[:1] != (created,)]
            for name in book.sheetnames}


def test_restored_choices_reseed_clusters_forecast_and_mailing_lists_and_give_the_clis_workbook(tmp_path, capsys):
    from core.__main__ import main
    saved = Settings(clusters=ClusterChoices(k=3, seed=5, category_shares=True),
                     forecast=ForecastChoices(horizon_days=90, time_unit="D", monthly_discount_percent=1.5,
                                              margin_percent=40),
                     mailing_lists=("Lost", "Champions"))
    at = fresh_app().run()
    at.switch_page(PAGE).run()
    restore(at, saved)
    assert not at.exception and not errors(at) and at.session_state["settings"] == saved
    assert at.multiselect(key="export_mailing").value == ["Lost", "Champions"]
    assert "Clusters page has not computed them" in captions(at) and "Forecast page has not computed it" in captions(at)

    at.switch_page(CLUSTERS).run()
    assert not at.exception and not errors(at)
    assert at.selectbox(key="clusters_k").value == 3 and at.number_input(key="clusters_seed").value == 5
    assert at.checkbox(key="clusters_shares").value is True
    at.switch_page(FORECAST).run()
    assert not at.exception and not errors(at)
    assert at.selectbox(key="forecast_horizon").value == 90 and at.radio(key="forecast_unit").value == "D"
    assert at.number_input(key="forecast_discount").value == 1.5 and at.number_input(key="forecast_margin").value == 40
    assert at.session_state["settings"] == saved                       # showing the choices changes none of them

    at.switch_page(PAGE).run()
    assert "the clusters from the Clusters page" in captions(at) and "next 90 days" in captions(at)
    assert "has not computed" not in captions(at)
    click(at, "Create the workbook")
    app_book = io.BytesIO(built(at, "workbook"))
    settings_file, cli_book = tmp_path / "segments.json", tmp_path / "cli.xlsx"
    settings_file.write_text(saved.to_json())                          # the file the app restored from
    assert main(["export", str(SAMPLE_FILE), "--out", str(cli_book), "--settings", str(settings_file)]) == 0
    assert json.loads(capsys.readouterr().out)["clusters"] == 3
    app, cli = sheets_without_the_creation_time(app_book), sheets_without_the_creation_time(cli_book)
    assert list(app) == ["Summary", "Customers", "Mail Lost", "Mail Champions", "Segments", "Categories",
                         "Category rules", "Data quality", "Settings"] == list(cli)
    assert app == cli
    customers = table(openpyxl.load_workbook(app_book, read_only=True)["Customers"])
    assert customers["Cluster"].nunique() == 3 and customers["CLV"].notna().any()


def test_clusters_fitted_under_other_choices_are_left_out_and_names_follow_the_language():
    at = fresh_app().run()
    at.switch_page(CLUSTERS).run()
    at.switch_page(PAGE).run()
    assert "the clusters from the Clusters page" in captions(at)
    restore(at, dataclasses.replace(at.session_state["settings"], clusters=ClusterChoices(k=5)))
    assert "the clusters from the Clusters page" not in captions(at)       # the labels are of the suggested k
    assert "Clusters page has not computed them" in captions(at)
    click(at, "Create the workbook")
    assert "Cluster" not in next(openpyxl.load_workbook(io.BytesIO(built(at, "workbook")), read_only=True)[
        "Customers"].iter_rows(values_only=True))

    at.switch_page(CLUSTERS).run()
    assert at.selectbox(key="clusters_k").value == 5
    at.radio(key="ui_language_choice").set_value("ru").run()
    at.switch_page(PAGE).run()
    assert "кластеры со страницы «Кластеры»" in captions(at)
    click(at, "Собрать книгу Excel")
    book = openpyxl.load_workbook(io.BytesIO(built(at, "workbook")), read_only=True)
    customers = table(book["Клиенты"]).set_index("Клиент")
    model, labels = at.session_state["cluster_model"], at.session_state["cluster_labels"]
    assert model.k == 5 and customers["Кластер"].astype(int).to_dict() == labels.to_dict()
    assert customers["Название кластера"].tolist() == [display_name(model.names[c - 1], "ru")
                                                       for c in labels.reindex(customers.index)]
    assert set(customers["Название кластера"]).isdisjoint(model.names)
    assert settings_from_sheet(book["Настройки"]).clusters == ClusterChoices(k=5)
