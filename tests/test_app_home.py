"""AppTest of the home page: sample data, no data, an uploaded shared file, mapping and policy changes."""
import hashlib

from core.formatting import format_money, format_number
from tests.apptest_helpers import errors, fresh_app, upload
from tests.conftest import ONLINE_RETAIL, PRACTICUM_UPD


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_opens_on_the_sample_data_with_a_note_to_upload():
    at = fresh_app().run()
    assert not at.exception and not errors(at)
    assert any("sample data" in i.value for i in at.info)
    figures = metrics(at)
    assert int(figures["Customers"].replace(",", "")) >= 1500
    assert at.get("vega_lite_chart"), "revenue by month chart is shown"


def test_no_data_explains_what_to_do():
    at = fresh_app().run()
    at.button[1].click().run()                      # "Remove the data"
    assert not at.exception
    assert any("No data loaded" in i.value for i in at.info)
    assert not at.metric


def test_uploaded_home_goods_file_shows_its_figures():
    at = upload(fresh_app().run(), PRACTICUM_UPD)
    assert not at.exception and not errors(at)
    # Russian product names: the currency is automatically the rouble (Settings.currency "" = automatic)
    assert metrics(at) == {"Customers": "2,451", "Orders": "3,521", "Revenue": "5,357,944\u00a0₽",
                           "Average order": "1,521.71\u00a0₽"}
    assert any(m.value == "Period: **2018-10-01 – 2020-01-31**" for m in at.markdown)
    assert not any("sample data" in i.value for i in at.info)


def test_cleaning_policy_change_updates_the_figures():
    at = upload(fresh_app().run(), PRACTICUM_UPD)
    at.checkbox(key="policy_dedupe").check().run()
    at.checkbox(key="policy_shared").check().run()
    at.checkbox(key="policy_limit_on").check().run()
    assert metrics(at)["Customers"] == format_number(2412)
    assert metrics(at)["Orders"] == format_number(3491)
    assert metrics(at)["Revenue"] == format_money(3918179.42, "₽")


def test_mapping_override_and_the_error_when_a_required_field_is_unmapped():
    at = upload(fresh_app().run(), ONLINE_RETAIL)
    assert metrics(at)["Customers"] == "955"
    key = f"map_customer_id_{hashlib.sha256(ONLINE_RETAIL.read_bytes()).hexdigest()[:12]}_"    # a CSV: no sheet
    at.selectbox(key=key).select("(not mapped)").run()
    assert any("customer_id" in e for e in errors(at))
    assert not at.exception
    at.selectbox(key=key).select("Country").run()
    assert not errors(at)
    assert int(metrics(at)["Customers"]) < 30            # one "customer" per country now


def test_the_interface_switches_to_russian_and_back_and_the_currency_is_a_setting():
    at = upload(fresh_app().run(), PRACTICUM_UPD)
    assert at.radio(key="ui_language_choice").value == "en"            # no Russian browser locale here: English
    at.radio(key="ui_language_choice").set_value("ru").run()
    assert not at.exception and not errors(at)
    assert at.title[0].value == "Сегменты клиентов вашего магазина"
    assert metrics(at) == {"Клиенты": "2\u00a0451", "Заказы": "3\u00a0521", "Выручка": "5\u00a0357\u00a0944\u00a0₽",
                           "Средний чек": "1\u00a0521,71\u00a0₽"}
    assert any(m.value == "Период: **01.10.2018 – 31.01.2020**" for m in at.markdown)
    assert [e.label for e in at.expander][:2] == ["Сопоставление столбцов", "Параметры очистки"]
    assert at.session_state["settings"].ui_language == "ru"
    at.radio(key="currency_choice").set_value("€").run()
    assert metrics(at)["Выручка"] == "5\u00a0357\u00a0944\u00a0€"
    at.radio(key="ui_language_choice").set_value("en").run()
    assert metrics(at) == {"Customers": "2,451", "Orders": "3,521", "Revenue": "€5,357,944",
                           "Average order": "€1,521.71"}
    assert at.session_state["settings"].currency == "€"


def test_english_gift_shop_data_has_no_currency_sign_by_default():
    at = upload(fresh_app().run(), ONLINE_RETAIL)
    assert not any(sign in value for value in metrics(at).values() for sign in "₽£$€")


def upload_bytes(at, name: str, data: bytes):
    at.file_uploader(key="orders_file").set_value((name, data, "application/octet-stream"))
    return at.run()


def test_another_sheet_of_a_workbook_is_mapped_afresh(tmp_path):
    import pandas as pd
    russian = pd.DataFrame({"Дата": ["01.03.2024", "02.03.2024"], "Клиент": ["a", "b"], "Заказ": ["1", "2"],
                            "Товар": ["Ваза", "Плед"], "Количество": [1, 2], "Цена": [100, 50]})
    plain = pd.DataFrame({"date": ["2024-03-01", "2024-03-02", "2024-03-05"], "customer_id": ["a", "b", "c"],
                          "order_id": ["1", "2", "3"], "product": ["Ваза", "Плед", "Кружка"], "quantity": [1, 2, 3],
                          "price": [100, 50, 10]})
    path = tmp_path / "orders.xlsx"
    with pd.ExcelWriter(path) as writer:
        russian.to_excel(writer, sheet_name="Orders", index=False)
        plain.to_excel(writer, sheet_name="Other", index=False)
    at = upload_bytes(fresh_app().run(), path.name, path.read_bytes())
    assert not errors(at) and metrics(at)["Customers"] == "2"
    at.selectbox(key=next(s.key for s in at.selectbox if s.key.startswith("sheet_"))).select("Other").run()
    assert not errors(at), errors(at)
    assert metrics(at)["Customers"] == "3" and metrics(at)["Revenue"] == "230\u00a0₽"
    assert at.session_state["settings"].sheet == "Other" and at.session_state["settings"].mapping == {}


def test_the_first_of_two_same_named_columns_can_be_chosen():
    data = ("date,customer_id,order_id,product,quantity,price,price\n"
            "2024-03-01,a,1,Vase,1,10,12\n2024-03-02,b,2,Mug,2,10,12\n").encode()
    at = upload_bytes(fresh_app().run(), "dup.csv", data)
    (message,) = errors(at)
    assert "'price' for price appears 2 times with different values" in message
    key = f"map_price_{hashlib.sha256(data).hexdigest()[:12]}_"
    at.selectbox(key=key).select("price (2)").run()
    assert not errors(at) and metrics(at)["Revenue"] == "36"               # 1 × 12 + 2 × 12
    at.selectbox(key=key).select("price").run()                          # back to the first column, on purpose
    assert not errors(at) and metrics(at)["Revenue"] == "30"               # 1 × 10 + 2 × 10
    assert at.session_state["settings"].mapping == {"price": "price"}


def test_a_workbook_whose_first_sheet_has_no_table_opens_on_the_first_sheet_with_one():
    import io

    import openpyxl
    workbook = openpyxl.Workbook()
    workbook.active.title = "Cover"
    workbook.active.append(["Sales report, March 2024"])
    orders = workbook.create_sheet("Orders")
    for row in (["date", "customer_id", "order_id", "product", "quantity", "price"],
                ["2024-03-01", "a", "1", "Vase", 1, 10], ["2024-03-02", "b", "2", "Mug", 2, 5]):
        orders.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    at = upload_bytes(fresh_app().run(), "report.xlsx", buffer.getvalue())
    assert not errors(at) and metrics(at)["Customers"] == "2" and metrics(at)["Revenue"] == "20"
    assert [w.value for w in at.warning] == ["the sheet 'Cover' of 'report.xlsx' holds no table, so the sheet "
                                             "'Orders' was read; choose another one under Sheet in the app, or "
                                             "with --sheet on the command line"]
    sheet = next(s for s in at.selectbox if s.key.startswith("sheet_"))
    assert (sheet.options, sheet.value) == (["Cover", "Orders"], "Orders")
    sheet.select("Cover").run()                                # picked on purpose: its error, and a way back
    assert errors(at) == ["'report.xlsx, sheet Cover' has no data rows; upload an export with a header row and at "
                          "least one order line"]
    next(b for b in at.button if b.label == "Read the first sheet with a table").click().run()
    assert not errors(at) and metrics(at)["Customers"] == "2" and at.session_state["settings"].sheet is None
