"""Tests for core.io: reading uploads (CSV/XLSX bytes), column mapping and the typed canonical frame."""
import io
import math
import zipfile

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from core import io as core_io

from core.errors import InputError
from core.io import (
    FIELDS,
    REQUIRED_FIELDS,
    auto_map,
    normalize_ids,
    parse_dates,
    parse_numbers,
    read_table,
    resolve_mapping,
    to_canonical,
)
from tests.conftest import ONLINE_RETAIL, PRACTICUM_OLD, PRACTICUM_UPD, REPO

HEADER = "date,customer_id,order_id,product,quantity,price"


def canonical_from(data: bytes, file_name: str = "orders.csv", overrides=None) -> pd.DataFrame:
    raw = read_table(data, file_name)
    return to_canonical(raw, resolve_mapping(raw, overrides))


def texts(*values) -> pd.Series:
    return pd.Series(values, dtype="str")


def stamps(*values) -> list:
    return [pd.Timestamp(value) if value is not None else pd.NaT for value in values]


def raises_input_error(data: bytes, file_name: str = "orders.csv", **kwargs) -> str:
    with pytest.raises(InputError) as caught:
        read_table(data, file_name, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- real datasets ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def practicum_old(shared_datasets):
    return read_table(PRACTICUM_OLD.read_bytes(), PRACTICUM_OLD.name)


@pytest.fixture(scope="module")
def online_retail(shared_datasets):
    return read_table(ONLINE_RETAIL.read_bytes(), ONLINE_RETAIL.name)


def test_practicum_old_crlf_file_reads_and_converts(practicum_old):
    raw = practicum_old
    assert (raw.format, raw.encoding, raw.delimiter, raw.sheet, raw.sheets) == ("csv", "utf-8", ",", None, ())
    assert raw.header == ("date", "customer_id", "order_id", "product", "quantity", "price")
    assert raw.frame.shape == (6737, 6)
    assert all(dtype == "str" for dtype in raw.frame.dtypes)
    assert raw.frame["price"].iloc[-1] == raw.frame["price"].iloc[-1].strip()  # CRLF left no "\r"

    mapping = resolve_mapping(raw)
    assert mapping == {field: field for field in REQUIRED_FIELDS}
    canonical = to_canonical(raw, mapping)
    assert list(canonical.columns) == list(REQUIRED_FIELDS)
    assert canonical["date"].dtype == "datetime64[us]"
    assert canonical["quantity"].dtype == "float64" and canonical["price"].dtype == "float64"
    assert all(canonical[column].dtype == "str" for column in ("customer_id", "order_id", "product"))
    assert canonical.isna().sum().sum() == 0

    first = canonical.iloc[0]
    assert first["date"] == pd.Timestamp("2018-10-01 00:00")
    assert first["customer_id"] == "ee47d746-6d2f-4d3c-9622-c31412542920"
    assert first["order_id"] == "68477"
    assert first["product"] == "Комнатное растение в горшке Алое Вера, d12, h30"
    assert (first["quantity"], first["price"]) == (1.0, 142.0)
    assert canonical["date"].min() == pd.Timestamp("2018-10-01 00:00")
    assert canonical["date"].max() == pd.Timestamp("2019-10-31 16:00")
    assert (canonical["price"].min(), canonical["price"].max()) == (9.0, 14917.0)

    outlier = canonical[canonical["quantity"] >= 1000]
    assert len(outlier) == 1
    assert outlier.iloc[0]["order_id"] == "71743"
    assert outlier.iloc[0]["price"] == 675.0
    assert outlier.iloc[0]["date"] == pd.Timestamp("2019-06-18 15:00")
    assert canonical["customer_id"].nunique() == 2451 and canonical["order_id"].nunique() == 2784


def test_practicum_updated_file_has_appended_rows_and_fractional_prices(shared_datasets):
    canonical = canonical_from(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name)
    assert len(canonical) == 7474
    assert canonical["date"].min() == pd.Timestamp("2018-10-01 00:00")
    assert canonical["date"].max() == pd.Timestamp("2020-01-31 15:00")
    fractional = canonical["price"] % 1 != 0
    assert fractional.sum() == 47
    assert {2811.5, 55.66666666666666, 139.33333333333334} <= set(canonical.loc[fractional, "price"])
    assert canonical["order_id"].nunique() == 3521


def test_online_retail_is_auto_mapped_with_real_values(online_retail):
    raw = online_retail
    assert raw.frame.shape == (45228, 8)
    mapping = resolve_mapping(raw)
    assert mapping == {
        "date": "InvoiceDate",
        "customer_id": "Customer ID",
        "order_id": "Invoice",
        "product": "Description",
        "quantity": "Quantity",
        "price": "Price",
        "country": "Country",
        "product_code": "StockCode",
    }
    canonical = to_canonical(raw, mapping)
    assert list(canonical.columns) == [field for field in FIELDS if field != "status"]  # no status column
    assert len(canonical) == 45228
    assert canonical["customer_id"].iloc[:3].tolist() == ["13085", "13085", "13085"]
    assert canonical["customer_id"].isna().sum() == 13468
    assert canonical["customer_id"].nunique() == 1045
    assert canonical["product"].isna().sum() == 228
    assert canonical["product_code"].iloc[1] == "79323P"
    assert canonical["country"].nunique() == 24
    assert canonical["date"].min() == pd.Timestamp("2009-12-01 07:45:00")
    assert canonical["date"].max() == pd.Timestamp("2009-12-23 16:58:00")
    assert (canonical["quantity"].min(), canonical["quantity"].max()) == (-1395.0, 5184.0)
    assert canonical["order_id"].str.startswith("C").sum() == 1015

    bought = canonical[(canonical["quantity"] > 0) & canonical["customer_id"].notna()]
    assert len(bought) == 30761
    assert round((bought["quantity"] * bought["price"]).sum(), 2) == 686654.16

    padded = raw.frame["Description"].str.startswith(" ").fillna(False)
    assert raw.frame.loc[padded, "Description"].iloc[0] == " WHITE CHERRY LIGHTS"
    assert canonical.loc[padded, "product"].iloc[0] == "WHITE CHERRY LIGHTS"


# --- encodings and binary content -------------------------------------------------------------------------------

RUSSIAN_CSV = (
    "Дата;Покупатель;Заказ;Товар;Количество;Цена\n"
    "01.02.2023;Иванов;15;Ромашка;2;150,00\n"
    "02.02.2023 10:30;Петрова;16;ёлка;1;1 200,50\n"
)


def test_cp1251_russian_file_is_decoded_and_auto_mapped():
    raw = read_table(RUSSIAN_CSV.encode("cp1251"), "заказы.csv")
    assert (raw.encoding, raw.delimiter) == ("cp1251", ";")
    assert raw.header == ("Дата", "Покупатель", "Заказ", "Товар", "Количество", "Цена")
    canonical = to_canonical(raw, resolve_mapping(raw))
    assert canonical["product"].tolist() == ["Ромашка", "ёлка"]
    assert canonical["customer_id"].tolist() == ["Иванов", "Петрова"]
    assert canonical["price"].tolist() == [150.0, 1200.5]
    assert canonical["date"].tolist() == stamps("2023-02-01", "2023-02-02 10:30")


def test_short_cp1251_file_comes_out_as_cyrillic():
    raw = read_table("product,price\nРомашка,1\nёлка,2\n".encode("cp1251"), "a.csv")
    assert raw.encoding == "cp1251"
    assert raw.frame["product"].tolist() == ["Ромашка", "ёлка"]


def test_cp1251_after_a_long_ascii_start_is_still_detected():
    ascii_rows = "".join(f"2023-01-01,c{i},{i},Tea,1,2.5\n" for i in range(4000))
    data = (f"{HEADER}\n{ascii_rows}2023-01-02,c9,9,Ромашка,1,3\n").encode("cp1251")
    assert len(data) > 70_000
    raw = read_table(data, "a.csv")
    assert raw.encoding == "cp1251"
    assert raw.frame["product"].iloc[-1] == "Ромашка"


def russian_rows(first: int, count: int) -> str:
    return "".join(f"2024-02-{1 + i % 28:02d},c{i},{i},Рассада томата {i},1,10\n" for i in range(first, first + count))


def test_a_utf8_file_with_a_stray_cp1251_line_is_read_as_utf8_and_the_line_named():
    header = "Дата,Клиент,Номер заказа,Товар,Количество,Цена\n"
    data = (header + russian_rows(0, 2000)).encode() + "2024-02-05,x,9999,Ромашка,1,5\n".encode("cp1251") + \
        russian_rows(2000, 1000).encode()
    assert len(data) > 65_536 * 1.5                     # the stray line is far beyond the sniffed sample
    raw = read_table(data, "a.csv")
    assert raw.encoding == "utf-8" and raw.header[:2] == ("Дата", "Клиент")
    canonical = to_canonical(raw, resolve_mapping(raw))
    assert canonical["product"].iloc[[0, 1999, 2001, 3000]].tolist() == [
        "Рассада томата 0", "Рассада томата 1999", "Рассада томата 2000", "Рассада томата 2999"]
    assert canonical["product"].iloc[2000] == "\ufffd" * 7 and canonical["price"].iloc[2000] == 5.0
    assert len(canonical) == 3001                        # the line is kept, so nothing is lost from the accounting
    (note,) = raw.notes
    assert note == ("'a.csv' is UTF-8 except line 2002 (of 3,002): its bytes that are not UTF-8 are shown as "
                    "\ufffd; correct that line or save the file again as UTF-8")
    assert note.text("ru").startswith("'a.csv' в кодировке UTF-8, кроме строки 2002 (из 3\u00a0002)")


def test_more_stray_lines_than_a_handful_are_listed_and_still_read_as_utf8():
    rows = [russian_rows(i, 1).encode("cp1251" if i % 50 == 7 else "utf-8") for i in range(1000)]
    raw = read_table(b"date,customer_id,order_id,product,quantity,price\n" + b"".join(rows), "a.csv")
    assert raw.encoding == "utf-8" and raw.frame["product"].iloc[8] == "Рассада томата 8"
    assert raw.frame["product"].iloc[7] == "\ufffd" * 7 + " " + "\ufffd" * 6 + " 7"      # "Рассада томата 7"
    assert raw.notes == ("'a.csv' is UTF-8 except 20 lines (of 1,001): 9, 59, 109, 159, 209, 259, 309, 359, 409, "
                         "459 and 10 more; their bytes that are not UTF-8 are shown as \ufffd; correct those lines or "
                         "save the file again as UTF-8",)


def test_utf8_cyrillic_read_as_cp1251_looks_implausible():
    assert core_io._implausibility("Рассада томата, Ёлочная игрушка") == 0
    mojibake = "Рассада томата".encode().decode("cp1251")
    assert mojibake == "Р\xa0Р°СЃСЃР°РґР° С‚РѕРјР°С‚Р°"
    assert core_io._implausibility(mojibake) == 13          # one sign per pair (every letter but the first)


def test_cp1252_western_file_keeps_accents():
    raw = read_table("Kunde;Größe\nMüller;3,50\nCafé;4\n".encode("cp1252"), "a.csv")
    assert raw.encoding == "cp1252"
    assert raw.header == ("Kunde", "Größe")
    assert raw.frame["Kunde"].tolist() == ["Müller", "Café"]


def test_multibyte_character_cut_at_the_sample_end_is_still_utf8():
    prefix = f"{HEADER}\n2023-01-05,c1,1,"
    filler = "x" * (65_535 - len(prefix.encode()))  # "Ж" (2 bytes in UTF-8) then straddles byte 65,536
    data = f"{prefix}{filler}Ж,1,2\n".encode()
    assert data[65_535:65_537] == "Ж".encode()
    raw = read_table(data, "a.csv")
    assert raw.encoding == "utf-8"
    assert raw.frame["product"].iloc[0].endswith("xЖ")


def test_utf16_without_bom_is_recognised():
    raw = read_table("product,price\nРомашка,1\n".encode("utf-16-le"), "a.csv")
    assert raw.encoding == "utf-16-le"
    assert raw.frame["product"].tolist() == ["Ромашка"]


def test_utf16_with_bom():
    raw = read_table(f"{HEADER}\n2023-01-05,c1,7,Ромашка,2,10.5\n".encode("utf-16"), "a.csv")
    assert raw.encoding == "utf-16"
    canonical = to_canonical(raw, resolve_mapping(raw))
    assert canonical["product"].tolist() == ["Ромашка"]
    assert canonical["price"].tolist() == [10.5]


def test_utf8_bom_is_not_part_of_the_first_header():
    raw = read_table(f"\ufeff{HEADER}\n2023-01-05,c1,7,Tea,2,10.5\n".encode("utf-8"), "a.csv")
    assert raw.encoding == "utf-8-sig"
    assert raw.header[0] == "date"
    assert resolve_mapping(raw)["date"] == "date"


def test_header_cells_lose_surrounding_whitespace():
    raw = read_table(b" date , customer_id ,order_id,product,quantity,price\n20230105,c1,7,Tea,2,10.5\n", "a.csv")
    assert raw.header[:2] == ("date", "customer_id")
    assert list(raw.frame.columns[:2]) == ["date", "customer_id"]


@pytest.mark.parametrize(
    "data",
    [
        np.random.default_rng(7).bytes(4096),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00\x1f\xf3\xffa",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200),
    ],
    ids=["random bytes", "png", "old xls"],
)
def test_binary_content_is_rejected(data):
    message = raises_input_error(data, "orders.csv")
    assert "orders.csv" in message


@pytest.mark.parametrize(
    "data", [b"", b"  \r\n\n", b" , ,\n;\n", f"{HEADER}\n".encode(), HEADER.encode(), f"\n\n{HEADER}\r\n\r\n".encode()]
)
def test_empty_or_header_only_file_has_no_data_rows(data):
    assert "no data rows" in raises_input_error(data)


# --- delimiters, quoting, line ends -----------------------------------------------------------------------------


def test_semicolon_with_decimal_comma():
    data = (
        "date;customer_id;order_id;product;quantity;price\n"
        "2023-01-05;c1;1;Чай, зелёный;1;12,50\n"
        "2023-01-06;c2;2;Кофе;2;1 234,5\n"
    )
    raw = read_table(data.encode(), "a.csv")
    assert raw.delimiter == ";"
    canonical = to_canonical(raw, resolve_mapping(raw))
    assert canonical["product"].tolist() == ["Чай, зелёный", "Кофе"]
    assert canonical["price"].tolist() == [12.5, 1234.5]


@pytest.mark.parametrize("delimiter", ["\t", "|", ";", ","])
def test_delimiter_is_detected(delimiter):
    rows = [HEADER.split(","), "2023-01-05 c1 7 Tea 2 10.5".split(), "2023-01-06 c2 8 Cup 1 3".split()]
    data = "\n".join(delimiter.join(row) for row in rows).encode()
    raw = read_table(data, "a.txt")
    assert raw.delimiter == delimiter
    assert raw.frame.shape == (2, 6)
    assert raw.frame["product"].tolist() == ["Tea", "Cup"]


def test_delimiters_inside_quotes_do_not_count():
    data = b'order;note\n1;"a;b;c"\n2;"d;e"\n3;f\n'
    raw = read_table(data, "a.csv")
    assert raw.delimiter == ";"
    assert raw.frame["note"].tolist() == ["a;b;c", "d;e", "f"]


def test_quoted_newlines_and_crlf_line_ends():
    data = f'{HEADER}\r\n2023-01-05,c1,1,"Tea\r\nwith lemon",1,2\r\n2023-01-06,c2,2,"Cup, ""big""",1,3\r\n'.encode()
    canonical = canonical_from(data)
    assert len(canonical) == 2
    assert canonical["product"].tolist() == ["Tea\r\nwith lemon", 'Cup, "big"']
    assert canonical["price"].tolist() == [2.0, 3.0]


def test_mixed_line_ends():
    data = f"{HEADER}\r\n2023-01-05,c1,1,Tea,1,2\n2023-01-06,c2,2,Cup,1,3\r\n2023-01-07,c3,3,Pot,1,4".encode()
    canonical = canonical_from(data)
    assert canonical["order_id"].tolist() == ["1", "2", "3"]
    assert canonical["price"].tolist() == [2.0, 3.0, 4.0]


def test_short_rows_are_padded_and_trailing_delimiters_dropped():
    raw = read_table(b"a,b,c\n1,2,\n3,4\n5,6,7,\n", "a.csv")
    assert raw.header == ("a", "b", "c")
    assert raw.frame["a"].tolist() == ["1", "3", "5"]
    assert raw.frame["c"].isna().tolist() == [True, True, False]
    assert raw.frame["c"].iloc[2] == "7"


def test_a_wider_row_after_the_sniffed_sample_is_set_aside_not_fatal():
    rows = "".join(f"2023-01-05,c{i},{i},Tea,1,2\n" for i in range(3000))
    raw = read_table(f"{HEADER}\n{rows}2023-01-06,c1,1,Tea,1,2,extra\n".encode(), "orders.csv")
    assert raw.columns == HEADER.split(",") and raw.rows == 3001
    assert raw.misaligned.tolist() == [3000]
    assert "line 3002 of 'orders.csv' has more values than the header has columns" in str(raw.notes[0])


def test_lines_with_a_separator_inside_an_unquoted_value_are_misaligned():
    raw = read_table(f"{HEADER}\n2023-01-05,A,1,Mug, blue,1,3\n2023-01-06,B,2,Tea,1,2\n"
                     f"2023-01-07,C,3,Pot,1,4\n".encode(), "orders.csv")
    assert raw.misaligned.tolist() == [0]
    canonical = to_canonical(raw, auto_map(raw.columns))
    assert canonical["misaligned"].tolist() == [True, False, False]


def test_extra_values_beyond_the_header_get_a_column():
    raw = read_table(b"a,b\n1,2\n3,4,5\n", "a.csv")
    assert list(raw.frame.columns) == ["a", "b", "column 3"]
    assert raw.header == ("a", "b", "")
    assert raw.frame["column 3"].isna().tolist() == [True, False]


def test_blank_and_whitespace_cells_are_missing_after_conversion():
    data = f"{HEADER},country\n2023-01-05, c1 ,1,  ,1,2,\n2023-01-06,,2,Cup, ,3,UK\n".encode()
    canonical = canonical_from(data)
    assert canonical["customer_id"].tolist()[0] == "c1"
    assert canonical["customer_id"].isna().tolist() == [False, True]
    assert canonical["product"].isna().tolist() == [True, False]
    assert math.isnan(canonical["quantity"].iloc[1])
    assert canonical["country"].isna().tolist() == [True, False]


# --- Excel ------------------------------------------------------------------------------------------------------


def two_sheet_workbook() -> bytes:
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Notes"
    notes.append(["exported by", "shop"])
    notes.append(["today", "yes"])
    orders = workbook.create_sheet("Orders")
    orders.append(["Order Date", "Customer ID", "Order ID", "Product", "Qty", "Unit Price", "SKU"])
    orders.append([pd.Timestamp("2023-03-15 10:30").to_pydatetime(), 17850, 1001, "Tea", 2, 12.5, "00123"])
    orders.append([None, None, None, None, None, None, None])
    orders.append([pd.Timestamp("2023-03-16").to_pydatetime(), 17850.0, 1002, " Cup ", 1, 3, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_second_sheet_is_read_and_converted():
    raw = read_table(two_sheet_workbook(), "shop.xlsx", sheet="Orders")
    assert (raw.format, raw.encoding, raw.delimiter) == ("xlsx", None, None)
    assert (raw.sheet, raw.sheets) == ("Orders", ("Notes", "Orders"))
    assert raw.frame.shape == (2, 7)  # the empty row is skipped
    canonical = to_canonical(raw, resolve_mapping(raw))
    assert canonical["date"].tolist() == stamps("2023-03-15 10:30", "2023-03-16")
    assert canonical["customer_id"].tolist() == ["17850", "17850"]
    assert canonical["order_id"].tolist() == ["1001", "1002"]
    assert canonical["product"].tolist() == ["Tea", "Cup"]
    assert canonical["quantity"].tolist() == [2.0, 1.0]
    assert canonical["price"].tolist() == [12.5, 3.0]
    assert canonical["product_code"].iloc[0] == "00123" and pd.isna(canonical["product_code"].iloc[1])


def test_xlsx_first_sheet_by_default_and_unknown_sheet_lists_sheets():
    raw = read_table(two_sheet_workbook(), "shop.xlsx")
    assert raw.sheet == "Notes"
    assert raw.header == ("exported by", "shop")
    message = raises_input_error(two_sheet_workbook(), "shop.xlsx", sheet="Sales")
    assert "'Sales'" in message and "Notes, Orders" in message


def test_xlsx_renamed_to_csv_is_read_as_excel():
    raw = read_table(two_sheet_workbook(), "export.csv", sheet="Orders")
    assert raw.format == "xlsx"
    assert raw.frame["Product"].tolist() == ["Tea", " Cup "]


def workbook_bytes(*sheets: tuple[str, list]) -> bytes:
    """An .xlsx with the given (title, rows) sheets."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


ORDER_ROWS = [["date", "customer_id", "order_id", "product", "quantity", "price"], ["2024-03-01", "a", "1", "Vase", 1, 10]]


def test_a_workbook_is_read_from_its_first_sheet_that_holds_a_table():
    data = workbook_bytes(("Cover", [["Sales report"], [], ["March 2024"]]), ("Empty", []), ("Orders", ORDER_ROWS),
                          ("Other", ORDER_ROWS))
    raw = read_table(data, "shop.xlsx")
    assert (raw.sheet, raw.sheets, raw.frame.shape) == ("Orders", ("Cover", "Empty", "Orders", "Other"), (1, 6))
    assert raw.notes == ("the sheets 'Cover', 'Empty' of 'shop.xlsx' hold no table, so the sheet 'Orders' was read; "
                         "choose another one under Sheet in the app, or with --sheet on the command line",)
    assert read_table(workbook_bytes(("Empty", []), ("Orders", ORDER_ROWS)), "shop.xlsx").notes[0].startswith(
        "the sheet 'Empty' of 'shop.xlsx' holds no table")
    assert read_table(data, "shop.xlsx", sheet="Other").notes == ()
    assert "'shop.xlsx, sheet Empty' has no data rows" in raises_input_error(data, "shop.xlsx", sheet="Empty")
    message = raises_input_error(workbook_bytes(("Cover", [["Sales report"], ["March"]]), ("Empty", [])), "shop.xlsx")
    assert message == ("no sheet of 'shop.xlsx' holds a table (a header row and at least one line, in two or more "
                       "columns); its sheets: 'Cover', 'Empty'; upload an export with a header row and at least one "
                       "order line")


def test_excel_serial_numbers_among_date_cells_are_dates():
    import datetime
    rows = [ORDER_ROWS[0]] + [[datetime.datetime(2024, 3, day, 10), "a", str(day), "Vase", 1, 10] for day in (1, 2, 3)]
    rows.append([45000, "b", "9", "Mug", 1, 5])              # a date cell that lost its format: 2023-03-15
    rows.append([45000.75, "b", "10", "Mug", 1, 5])          # with a time: 18:00
    rows.append([12, "b", "11", "Mug", 1, 5])                # not a plausible serial
    canonical = canonical_from(workbook_bytes(("Orders", rows)), "shop.xlsx")
    assert canonical["date"].tolist() == stamps("2024-03-01 10:00", "2024-03-02 10:00", "2024-03-03 10:00",
                                                "2023-03-15", "2023-03-15 18:00", None)
    text = pd.Series(["2024-03-01 10:00:00", "2024-03-02 10:00:00", "45000"], dtype="str")
    assert parse_dates(text).tolist() == stamps("2024-03-01 10:00", "2024-03-02 10:00", None)   # CSV: as before
    assert parse_dates(text, excel_serials=True).tolist()[2] == pd.Timestamp("2023-03-15")


def test_bad_excel_files_are_rejected():
    assert "not a valid .xlsx" in raises_input_error(b"date,price\n1,2\n", "shop.xlsx")
    assert "not a readable .xlsx" in raises_input_error(b"PK\x03\x04" + bytes(100), "shop.xlsx")
    damaged = io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("[Content_Types].xml", "<not xml")
    assert "not a readable .xlsx" in raises_input_error(damaged.getvalue(), "shop.xlsx")


# --- dates ------------------------------------------------------------------------------------------------------


def test_compact_integer_dates():
    parsed = parse_dates(texts("2018100100", "2019061815", "20230315", "202303151405", "20230315140509", None))
    assert parsed.dtype == "datetime64[us]"
    assert parsed.tolist() == stamps(
        "2018-10-01 00:00", "2019-06-18 15:00", "2023-03-15", "2023-03-15 14:05", "2023-03-15 14:05:09", None
    )


def test_iso_dates_with_t_fractions_and_time_zones_keep_wall_clock():
    parsed = parse_dates(
        texts(
            "2009-12-01 07:45:00",
            "2023-05-01T10:00:00",
            "2023-05-01T10:00:00.123456",
            "2023-05-01",
            "2023-05-01 10:00:00 +0300",
            "2023-05-01T10:00:00Z",
            "2023-05-01 10:00:00 UTC",
            "2023-05-01T10:00:00.5-05:00",
        )
    )
    assert parsed.tolist() == stamps(
        "2009-12-01 07:45:00",
        "2023-05-01 10:00",
        "2023-05-01 10:00:00.123456",
        "2023-05-01",
        "2023-05-01 10:00",
        "2023-05-01 10:00",
        "2023-05-01 10:00",
        "2023-05-01 10:00:00.5",
    )


def test_dotted_day_first_dates():
    parsed = parse_dates(texts("15.03.2023", "15.03.2023 14:05", "01.02.2023 14:05:09", "01.02.23", "31.02.2023"))
    assert parsed.tolist() == stamps("2023-03-15", "2023-03-15 14:05", "2023-02-01 14:05:09", "2023-02-01", None)


def test_slashed_dates_are_month_first_unless_values_say_otherwise():
    assert parse_dates(texts("12/1/2009 7:45", "1/2/2010")).tolist() == stamps("2009-12-01 07:45", "2010-01-02")
    assert parse_dates(texts("12/1/2009", "1/13/2010")).tolist() == stamps("2009-12-01", "2010-01-13")
    assert parse_dates(texts("12/1/2009", "13/1/2010")).tolist() == stamps("2009-01-12", "2010-01-13")
    assert parse_dates(texts("5/1/2023 10:00 PM", "5/2/2023 12:15 AM")).tolist() == stamps(
        "2023-05-01 22:00", "2023-05-02 00:15"
    )


def test_excel_serial_dates_in_plausible_range_only():
    parsed = parse_dates(texts("45000", "45000.5", "0", "12"))
    assert parsed.tolist() == stamps("2023-03-15", "2023-03-15 12:00", None, None)


def test_bare_numbers_of_a_minority_format_become_nat():
    assert parse_dates(texts("2018100100", "2018100101", "45000")).tolist() == stamps(
        "2018-10-01 00:00", "2018-10-01 01:00", None
    )
    assert parse_dates(texts("2023-03-01", "2023-03-02", "45000")).tolist() == stamps("2023-03-01", "2023-03-02", None)


def test_mixed_self_describing_formats_are_each_parsed():
    parsed = parse_dates(texts("2023-03-01 10:00", "02.03.2023", "3/4/2023", "2023/03/05", "hello", "", None))
    assert parsed.tolist() == stamps("2023-03-01 10:00", "2023-03-02", "2023-03-04", "2023-03-05", None, None, None)


def test_parse_dates_keeps_index_and_accepts_datetimes():
    values = pd.Series(["20230315", "bad"], index=[10, 20], dtype="str", name="date")
    parsed = parse_dates(values)
    assert parsed.index.tolist() == [10, 20] and parsed.name == "date"
    aware = pd.Series(pd.to_datetime(["2023-05-01 10:00"]).tz_localize("Europe/Moscow"))
    assert parse_dates(aware).tolist() == stamps("2023-05-01 10:00")
    assert parse_dates(pd.Series([2018100100, 2018100115])).tolist() == stamps("2018-10-01 00:00", "2018-10-01 15:00")


# --- numbers ----------------------------------------------------------------------------------------------------


def test_plain_numbers_and_infinities():
    parsed = parse_numbers(texts("142.0", "-3", "1e3", "inf", "1e309", None))
    assert parsed.dtype == "float64"
    assert parsed.tolist()[:5] == [142.0, -3.0, 1000.0, math.inf, math.inf]
    assert math.isnan(parsed.iloc[5])


def test_written_numbers_with_currency_spaces_and_separators():
    parsed = parse_numbers(
        texts(
            "12,50", "1 234,50", "1\u00a0234,5", "2\u202f000,25", "1.234,56", "₽ 1 200", "100 руб.", "€5", " 7 ", "−5,5"
        )
    )
    assert parsed.tolist() == [12.5, 1234.5, 1234.5, 2000.25, 1234.56, 1200.0, 100.0, 5.0, 7.0, -5.5]


def test_comma_thousands_with_dot_decimals():
    parsed = parse_numbers(texts("1,234.56", "$1,000", "£3.50", "12,345,678"))
    assert parsed.tolist() == [1234.56, 1000.0, 3.5, 12345678.0]


def test_single_group_separator_follows_the_column_decimal_mark():
    assert parse_numbers(texts("1,234", "2,500")).tolist() == [1234.0, 2500.0]  # no evidence: dot is decimal
    assert parse_numbers(texts("1,234", "12,5")).tolist() == [1.234, 12.5]  # 12,5 proves a decimal comma
    assert parse_numbers(texts("1.234", "5")).tolist() == [1.234, 5.0]
    assert parse_numbers(texts("1.234", "12,5")).tolist() == [1234.0, 12.5]
    assert parse_numbers(texts("0,125", "7")).tolist() == [0.125, 7.0]


def test_non_numbers_become_nan():
    parsed = parse_numbers(texts("abc", "", "1,2,3", "12abc", "5"))
    assert parsed.isna().tolist() == [True, True, True, True, False]
    assert parsed.iloc[4] == 5.0


def test_numeric_input_passes_through():
    assert parse_numbers(pd.Series([1, 2], index=[5, 6])).tolist() == [1.0, 2.0]


# --- ids --------------------------------------------------------------------------------------------------------


def test_float_looking_ids_lose_the_fraction():
    ids = normalize_ids(texts("17850.0", "13085.0", None, " 12 ", ""))
    assert ids.dtype == "str"
    assert ids.tolist()[:2] == ["17850", "13085"] and ids.iloc[3] == "12"
    assert ids.isna().tolist() == [False, False, True, False, True]
    assert normalize_ids(pd.Series([17850.0, np.nan])).tolist()[0] == "17850"


def test_other_ids_stay_as_written():
    assert normalize_ids(texts("00123", "0045", "17850.0")).tolist() == ["00123", "0045", "17850"]
    assert normalize_ids(texts("17850.0", "A1.5")).tolist() == ["17850.0", "A1.5"]
    assert normalize_ids(texts("C489434", "ee47d746-6d2f")).tolist() == ["C489434", "ee47d746-6d2f"]


# --- mapping ----------------------------------------------------------------------------------------------------


def test_auto_map_known_schemas():
    uci = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"]
    assert auto_map(uci) == {
        "date": "InvoiceDate",
        "customer_id": "CustomerID",
        "order_id": "InvoiceNo",
        "product": "Description",
        "quantity": "Quantity",
        "price": "UnitPrice",
        "country": "Country",
        "product_code": "StockCode",
    }
    shopify = [
        "Name", "Email", "Financial Status", "Paid at", "Created at", "Lineitem quantity", "Lineitem name",
        "Lineitem price", "Lineitem sku", "Billing Name", "Billing Country", "Shipping Country",
    ]
    assert auto_map(shopify) == {
        "date": "Created at",
        "customer_id": "Email",
        "order_id": "Name",
        "product": "Lineitem name",
        "quantity": "Lineitem quantity",
        "price": "Lineitem price",
        "country": "Billing Country",
        "product_code": "Lineitem sku",
        "status": "Financial Status",
    }
    assert auto_map(["Дата заказа", "ID клиента", "Номер заказа", "Наименование", "Кол-во", "Цена"]) == {
        "date": "Дата заказа",
        "customer_id": "ID клиента",
        "order_id": "Номер заказа",
        "product": "Наименование",
        "quantity": "Кол-во",
        "price": "Цена",
    }
    assert auto_map(["ORDER_DATE", "customer", "order", "SKU", "qty", "unit price", "Item"]) == {
        "date": "ORDER_DATE",
        "customer_id": "customer",
        "order_id": "order",
        "product": "Item",
        "quantity": "qty",
        "price": "unit price",
        "product_code": "SKU",
    }
    assert "order_id" not in auto_map(["Name", "Price"])  # "Name" is an order number only in Shopify exports


@pytest.mark.parametrize("header", ["Цена, руб.", "Цена (руб)", "Цена, ₽", "Цена ₽", "Price (USD)", "Price, $",
                                    "Unit Price (GBP)", "price in EUR", "Цена за шт., руб.", "Цена [руб.]"])
def test_a_unit_or_currency_after_the_price_header_is_ignored(header):
    assert auto_map(["Дата", "Клиент", "Заказ", "Товар", "Кол-во, шт", header])["price"] == header


def test_headers_that_only_look_like_a_price_with_a_unit_are_not_the_price():
    mapped = auto_map(["date", "customer", "order", "product", "Qty (pcs)", "Price total", "Сумма, ₽",
                       "Total price (USD)"])
    assert mapped["quantity"] == "Qty (pcs)" and "price" not in mapped
    assert auto_map(["Цена за шт.", "Товар"])["price"] == "Цена за шт."     # "шт" is part of this name
    assert auto_map(["Сумма, ₽", "Цена, руб.", "Количество, шт."]) == {"quantity": "Количество, шт.",
                                                                       "price": "Цена, руб."}


def test_shopify_export_converts():
    data = (
        "Name,Email,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Country\n"
        "#1001,ann@example.com,2023-05-01 10:00:00 +0300,2,Mug,12.00,MUG-1,RU\n"
    ).encode()
    canonical = canonical_from(data, "orders_export.csv")
    row = canonical.iloc[0]
    assert (row["order_id"], row["customer_id"]) == ("#1001", "ann@example.com")
    assert (row["product_code"], row["country"]) == ("MUG-1", "RU")
    assert row["date"] == pd.Timestamp("2023-05-01 10:00")
    assert (row["quantity"], row["price"]) == (2.0, 12.0)


def test_identical_duplicate_header_is_accepted():
    data = f"{HEADER},price\n2023-01-05,c1,1,Tea,1,2.5,2.5\n".encode()
    raw = read_table(data, "a.csv")
    assert raw.header[-2:] == ("price", "price")
    assert list(raw.frame.columns[-2:]) == ["price", "price (2)"]
    assert resolve_mapping(raw)["price"] == "price"


def test_duplicate_header_with_different_values_needs_a_choice():
    raw = read_table(f"{HEADER},Price\n2023-01-05,c1,1,Tea,1,2.5,3\n".encode(), "a.csv")
    with pytest.raises(InputError, match="price") as caught:
        resolve_mapping(raw)
    assert str(caught.value) == (
        "the header 'price' for price appears 2 times with different values; choose one: 'price' or 'Price' (in the "
        "app under Column mapping, on the command line with --map price='Price'; there 'price (1)' is the first)")
    assert resolve_mapping(raw, {"price": "Price"})["price"] == "Price"


def test_a_typed_header_that_is_itself_ambiguous_is_refused():
    raw = read_table(f"{HEADER},Amount,Amount\n2023-01-05,c1,1,Tea,1,2.5,3,4\n".encode(), "a.csv")
    assert list(raw.frame.columns[-2:]) == ["Amount", "Amount (2)"]
    for typed in ("Amount", "amount"):
        with pytest.raises(InputError) as caught:
            resolve_mapping(raw, {"price": typed}, typed={"price"})
        assert str(caught.value).startswith("the header 'Amount' for price appears 2 times with different values; "
                                            "choose one: 'Amount' or 'Amount (2)'")
    assert resolve_mapping(raw, {"price": "Amount (2)"}, typed={"price"})["price"] == "Amount (2)"
    assert resolve_mapping(raw, {"price": "Amount (1)"}, typed={"price"})["price"] == "Amount"
    assert resolve_mapping(raw, {"price": "Amount"})["price"] == "Amount"      # picked from the app's column list
    same = read_table(f"{HEADER},Amount,Amount\n2023-01-05,c1,1,Tea,1,2.5,3,3\n".encode(), "a.csv")
    assert resolve_mapping(same, {"price": "Amount"}, typed={"price"})["price"] == "Amount"  # identical twins


def test_missing_required_columns_are_listed():
    raw = read_table(b"date,customer_id,order_id,product,cost\n2023-01-05,c1,1,Tea,2\n", "a.csv")
    with pytest.raises(InputError) as caught:
        resolve_mapping(raw)
    message = str(caught.value)
    assert message == ("no column found for quantity, price; the file has the columns 'date', 'customer_id', "
                       "'order_id', 'product', 'cost'; choose the column of each (in the app under Column mapping, "
                       "on the command line with --map quantity=COLUMN)")


def test_overrides_win_and_can_unmap_optional_fields():
    raw = read_table(
        b"when,who,order_id,product,quantity,price,amount,Country\n20230105,c1,1,Tea,1,2,3,UK\n", "a.csv"
    )
    mapping = resolve_mapping(raw, {"date": "when", "customer_id": "WHO", "price": "amount", "country": ""})
    assert mapping == {
        "date": "when",
        "customer_id": "who",
        "order_id": "order_id",
        "product": "product",
        "quantity": "quantity",
        "price": "amount",
    }
    canonical = to_canonical(raw, mapping)
    assert list(canonical.columns) == list(REQUIRED_FIELDS)
    assert canonical["price"].tolist() == [3.0]
    assert canonical["date"].tolist() == stamps("2023-01-05")


def test_bad_overrides_are_rejected():
    raw = read_table(f"{HEADER}\n2023-01-05,c1,1,Tea,1,2\n".encode(), "a.csv")
    with pytest.raises(InputError, match="unknown field 'cost'"):
        resolve_mapping(raw, {"cost": "price"})
    with pytest.raises(InputError, match="'Amount' mapped to price is not in the file"):
        resolve_mapping(raw, {"price": "Amount"})
    with pytest.raises(InputError, match="no column found for price"):
        resolve_mapping(raw, {"price": None})
    with pytest.raises(InputError, match="'nope' mapped to price"):
        to_canonical(raw, {"price": "nope"})


def test_to_canonical_keeps_every_row_in_order():
    data = f"{HEADER}\n2023-01-05,c1,3,Tea,x,2\nbad,,2,,1,y\n2023-01-07,c3,1,Pot,1,4\n".encode()
    canonical = canonical_from(data)
    assert canonical.index.tolist() == [0, 1, 2]
    assert canonical["order_id"].tolist() == ["3", "2", "1"]
    assert canonical["date"].isna().tolist() == [False, True, False]
    assert canonical["quantity"].isna().tolist() == [True, False, False]
    assert canonical["price"].isna().tolist() == [False, True, False]


# --- fast paths against their fallbacks --------------------------------------------------------------------------

CORPUS = sorted((REPO / "tests" / "data" / "bad").glob("*.csv"))


def _delimited_files(shared_datasets):
    return [*CORPUS, *sorted(shared_datasets.glob("*/*.csv")), *sorted(shared_datasets.glob("*/*.txt"))]


def test_arrow_reader_and_c_reader_give_the_same_text_grid(shared_datasets):
    """pyarrow's reader is the fast path; the C reader reads what it rejects. Where both read, they agree."""
    compared = 0
    for path in _delimited_files(shared_datasets):
        try:
            raw = read_table(path.read_bytes(), path.name)
        except InputError:
            continue
        if raw.format != "csv":
            continue
        utf8 = core_io._as_utf8(path.read_bytes(), raw.encoding, path.name)
        declared = core_io._SEP_LINE.match(utf8)
        utf8 = utf8[declared.end():] if declared else utf8
        try:
            fast = core_io._parse_with_arrow(utf8, raw.delimiter)
        except pa.ArrowInvalid:
            continue
        slow = core_io._encoded_columns(core_io._parse_with_c_reader(utf8, raw.delimiter, len(fast), path.name))
        assert len(fast) == len(slow), path.name
        for position, (one, other) in enumerate(zip(fast, slow)):
            assert core_io._decoded(one).equals(core_io._decoded(other)), (path.name, position)
        compared += 1
    assert compared >= 40


def test_raw_cells_are_dictionary_encoded_and_the_text_columns_come_with_their_codes():
    from core.codes import sorted_codes
    data = (f"{HEADER}\n" + "".join(f"20230101,C{i % 7},{i % 900},Ваза {i % 3},1,10\n" for i in range(5000))
            + "20230102, C1 ,7.0,,1,10\n").encode()   # a padded id, a float-spelled order id, no product
    raw = read_table(data, "orders.csv")
    assert [raw.cells.column(name).num_chunks for name in raw.columns] == [1] * 6
    assert len(raw.cells.column("customer_id").chunk(0).dictionary) == 8      # " C1 " is still a text of its own
    canonical = to_canonical(raw, resolve_mapping(raw))
    assert canonical["customer_id"].iloc[-1] == "C1" and canonical["order_id"].iloc[-1] == "7"      # as order 7
    for field in ("customer_id", "order_id", "product"):
        codes, ids = sorted_codes(canonical[field])
        expected_codes, expected_ids = pd.factorize(canonical[field].astype(object), sort=True)
        assert codes.tolist() == expected_codes.tolist() and ids.tolist() == expected_ids.tolist(), field


def test_ids_and_names_are_trimmed_and_blanks_become_missing_on_the_copy_path():
    ids = normalize_ids(texts(" A1 ", "B2", "  ", None))
    assert ids.tolist()[:2] == ["A1", "B2"] and ids.iloc[2:].isna().all()
    assert normalize_ids(texts("A1", "B2")).tolist() == ["A1", "B2"]
    assert normalize_ids(texts("17850.0", " 12.00")).tolist() == ["17850", "12"]
