"""AppTest of the Forecast page: no data, the sample data (figures checked against a direct core fit), the shared
home-goods file, tiny and one-time-only uploads, and the CLV columns reaching the Export page's workbook."""
import io
import json

import openpyxl
import pandas as pd
import pytest

from core import clv, io as core_io, pipeline
from core.settings import ForecastChoices, Settings
from tests.apptest_helpers import errors, fresh_app, page_path, upload
from tests.conftest import PRACTICUM_UPD
from ui.state import SAMPLE_FILE

PAGE = page_path("8_Forecast.py")
EXPORT = page_path("9_Export.py")


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def number(text: str) -> float:
    return float(text.replace(",", "").rstrip("%").removesuffix("\u00a0₽"))


def chart_titles(at) -> list[str]:
    titles = []
    for chart in at.get("vega_lite_chart"):
        title = json.loads(chart.proto.spec).get("title", "")
        titles.append(title if isinstance(title, str) else title.get("text", ""))
    return titles


def table(at, first_column: str) -> pd.DataFrame:
    (frame,) = [d.value for d in at.dataframe if d.value.columns[0] == first_column]
    return frame


def direct_fit(path, time_unit="W") -> clv.FittedCLV:
    """The models fitted straight from core on the file's orders, as the page should fit them."""
    prepared = pipeline.prepare(pipeline.map_columns(core_io.read_table(path.read_bytes(), path.name), {}).canonical,
                                Settings().cleaning)
    end = clv.observation_end_for(pipeline.analysis_date(Settings(), prepared.lines))
    return clv.fit_clv_models(prepared.orders, end, time_unit)


def upload_bytes(at, name: str, data: bytes):
    at.file_uploader(key="orders_file").set_value((name, data, "text/csv"))
    return at.run()


def tiny_csv(repeat: bool = True) -> bytes:
    """8 customers over 40 days; with ``repeat`` three of them buy again on a later day."""
    rows, order = ["date,customer_id,order_id,product,quantity,price"], 1
    for c in range(8):
        days = [c * 3] + ([c * 3 + 10, c * 3 + 25] if repeat and c < 3 else [])
        for day in days:
            date = pd.Timestamp("2024-03-01") + pd.Timedelta(days=day)
            rows.append(f"{date:%Y-%m-%d},cust{c},{order},Mug {c},1,{100 + 10 * c}")
            order += 1
    return ("\n".join(rows) + "\n").encode()


def test_sample_data_matches_a_direct_core_fit():
    at = fresh_app().run()
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    fitted = direct_fit(SAMPLE_FILE)
    direct = clv.customer_clv(fitted.summary, fitted.bgnbd, fitted.gg, 365, 0.0, "W")
    shown = metrics(at)
    assert shown["Customers"] == "1,986" and number(shown["Repeat buyers"]) == (fitted.summary["x"] > 0).sum()
    assert number(shown["Expected orders, 365 days"]) == round(direct["expected_orders"].sum())
    assert number(shown["CLV, 365 days"]) == round(direct["clv"].sum())

    stored = at.session_state["clv_table"]
    assert len(stored) == 1986 and list(stored.columns) == list(clv.CLV_COLUMNS)
    assert stored["expected_orders"].sum() == pytest.approx(direct["expected_orders"].sum(), rel=1e-9)
    assert at.session_state["settings"].forecast == ForecastChoices()       # the first visit adds the forecast
    assert at.session_state["clv_basis"] == at.session_state["source"].digest + clv.export_key(
        Settings(forecast=ForecastChoices()))

    parameters = table(at, "model").set_index("parameter")["value"]
    for name, shown_as in (("r", "r"), ("alpha", "α"), ("a", "a"), ("b", "b")):
        assert parameters[shown_as] == pytest.approx(fitted.bgnbd.params_[name], rel=1e-6)
    assert (table(at, "model")["parameter"] == "log-likelihood").sum() == 2

    by_group = table(at, "group")
    assert by_group["customers"].sum() == 1986 and set(by_group["group"]) >= {"Champions", "Loyal"}
    top = table(at, "customer_id")
    assert len(top) == 100 and top["clv"].is_monotonic_decreasing
    assert any(clv.P_ALIVE_NOTE_NO_REPEAT in c.value for c in at.caption)
    assert any("Repeat purchases in" in t for t in chart_titles(at)), "holdout chart"
    assert any("the model expected" in m.value and "happened" in m.value for m in at.markdown)

    at.selectbox(key="forecast_horizon").select(90).run()
    at.number_input(key="forecast_discount").set_value(1.0).run()
    shorter = clv.customer_clv(fitted.summary, fitted.bgnbd, fitted.gg, 90, 0.01, "W")
    assert number(metrics(at)["CLV, 90 days"]) == round(shorter["clv"].sum())
    at.radio(key="forecast_unit").set_value("D").run()
    assert not at.exception and not errors(at)
    assert number(metrics(at)["Expected orders, 90 days"]) == round(shorter["expected_orders"].sum())
    at.selectbox(key="forecast_group").select("Single vs repeat").run()
    assert set(table(at, "group")["group"]) == {"Single order", "Repeat"}

    assert at.session_state["settings"].forecast == ForecastChoices(90, "D", 1.0, 100)

    at.switch_page("streamlit_app.py").run()
    at.switch_page(PAGE).run()                      # the choices survive a page switch
    assert "CLV, 90 days" in metrics(at) and at.radio(key="forecast_unit").value == "D"


def test_shared_file_clv_table_covers_every_customer():
    at = upload(fresh_app().run(), PRACTICUM_UPD)
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    assert metrics(at)["Customers"] == "2,451" and len(at.session_state["clv_table"]) == 2451
    fitted = direct_fit(PRACTICUM_UPD)
    direct = clv.customer_clv(fitted.summary, fitted.bgnbd, fitted.gg, 365, 0.0, "W")
    assert number(metrics(at)["Expected orders, 365 days"]) == round(direct["expected_orders"].sum())
    assert table(at, "group")["customers"].sum() == 2451
    assert table(at, "group")["clv"].isna().any()                   # groups of one-time buyers have no CLV ...
    assert {frame.proto.placeholder for frame in at.dataframe} == {"—"}  # ... shown as a dash, not "None"
    assert any("no finite mean" in w.value for w in at.warning)     # q <= 1: one-time buyers get no value
    assert any("have no CLV" in c.value for c in at.caption)
    assert any("Repeat purchases in" in t for t in chart_titles(at))


def test_tiny_upload_warns_and_no_repeat_buyer_is_one_error():
    at = upload_bytes(fresh_app().run(), "tiny.csv", tiny_csv())
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    texts = [w.value for w in at.warning]
    assert any("Only 3 of 8 customers" in w for w in texts) and any("only 31 days" in w for w in texts)
    assert len(at.session_state["clv_table"]) == 8

    at.switch_page("streamlit_app.py").run()
    upload_bytes(at, "once.csv", tiny_csv(repeat=False))
    at.switch_page(PAGE).run()
    assert not at.exception and not errors(at)
    assert [i.value for i in at.info if "bought more than once" in i.value] == [
        "No forecast for this data: no customer has bought more than once, so repeat behaviour cannot be modelled."]


def test_export_workbook_gains_the_clv_columns_after_the_forecast_page():
    at = fresh_app().run()
    at.switch_page(PAGE).run()
    stored = at.session_state["clv_table"]
    at.switch_page(EXPORT).run()
    assert any("CLV forecast from the Forecast page (next 365 days" in c.value for c in at.caption)
    (button,) = [b for b in at.button if b.label == "Create the workbook"]
    button.click().run(timeout=120)
    assert not at.exception and not errors(at)
    book = openpyxl.load_workbook(io.BytesIO(at.session_state["export_built"]["workbook"][1]), read_only=True)
    rows = book["Customers"].iter_rows(values_only=True)
    header = next(rows)
    assert {"P(alive)", "P(alive) note", "Expected orders", "Expected average order", "CLV"} <= set(header)
    sheet = pd.DataFrame(list(rows), columns=header).set_index("Customer")
    assert len(sheet) == 1986
    expected = stored["clv"].reindex(sheet.index)
    assert sheet["CLV"].astype(float).to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-9)
    one_time = sheet["P(alive) note"].notna()
    assert one_time.any() and (sheet.loc[one_time, "P(alive)"] == 1).all()

    at.session_state["clv_basis"] = "other data"    # a forecast of other data or settings is left out
    at.run()
    assert not any("CLV forecast from the Forecast page" in c.value for c in at.caption)
    assert any("the Forecast page has not computed it" in c.value for c in at.caption)
