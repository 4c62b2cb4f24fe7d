"""Deterministic generator of the bad-input corpus in this folder (see cases.json for the expected outcomes).

    python tests/data/bad/generate.py           # (re)write the small files committed here
    python tests/data/bad/generate.py --check   # exit 1 when a committed file differs from what this script makes

Small files (< ~100 KB) are committed so people can open them; large ones (a 1 MB product name, thousands of
columns, 200,000 rows of one customer) are only built at test time by ``large_files()``. Every byte comes from
fixed text or fixed seeds, so two runs give identical files (the xlsx zip gets fixed timestamps).
"""
from __future__ import annotations

import codecs
import gzip
import io
import random
import re
import struct
import sys
import zipfile
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = "date,customer_id,order_id,product,quantity,price"


def lines(*rows: str, end: str = "\n") -> bytes:
    return "".join(row + end for row in rows).encode("utf-8")


def png_image() -> bytes:
    """A real 16x16 RGB PNG (a gradient), as a product photo uploaded by mistake would be."""
    width = height = 16
    raw = b"".join(b"\x00" + b"".join(bytes((x * 16, y * 16, 128)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def xlsx_workbook(title_rows: bool = False, cover: bool = False) -> bytes:
    """An Excel workbook of orders (typed cells: datetimes, integers, floats), zip timestamps fixed.

    title_rows: a report title and an empty row above the header, as Excel reports often have.
    cover: a first sheet with only a report title, and an empty second sheet, before the orders.
    """
    import datetime

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if cover:
        sheet.title = "Cover"
        sheet.append(["Sales by order line, March 2023"])
        workbook.create_sheet("Notes")
        sheet = workbook.create_sheet("Orders")
    sheet.title = "Orders"
    if title_rows:
        sheet.append(["Sales by order line, March 2023"])
        sheet.append([])
    sheet.append(["Order Date", "Customer ID", "Order ID", "Product", "Quantity", "Unit Price"])
    sheet.append([datetime.datetime(2023, 3, 1, 9, 30), 17850, 1001, "Tea towel", 2, 3.25])
    sheet.append([datetime.datetime(2023, 3, 1, 9, 30), 17850, 1001, "Mug", 1, 4.5])
    sheet.append([datetime.datetime(2023, 3, 8, 14, 0), 13047, 1002, "Teapot", 1, 19.99])
    stamp = datetime.datetime(2024, 1, 1)
    workbook.properties.created = workbook.properties.modified = stamp
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the current time
                body = _fixed_core_times(body)
            target.writestr(zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0)), body,
                            compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _fixed_core_times(xml: bytes) -> bytes:
    return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>2024-01-01T00:00:00Z\g<2>", xml)


def small_files() -> dict[str, bytes]:
    """Every committed corpus file: name -> bytes."""
    files: dict[str, bytes] = {}

    # --- unreadable or empty files ------------------------------------------------------------------------------
    files["empty.csv"] = b""
    files["header_only.csv"] = (HEADER + "\r\n").encode()
    files["blank_lines_only.csv"] = b"\r\n   \r\n,,,,,\r\n;;\r\n"
    files["random_bytes.csv"] = random.Random(20240601).randbytes(8192)
    files["image_png.csv"] = png_image()
    files["gzip_export.csv"] = gzip.compress(lines(HEADER, "2023-01-01,A,1,Tea,1,2"), mtime=0)
    files["old_xls_renamed.csv"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 4
    files["broken_zip.csv"] = b"PK\x03\x04" + random.Random(7).randbytes(600)
    files["xlsx_renamed.csv"] = xlsx_workbook()
    files["xlsx_title_rows.xlsx"] = xlsx_workbook(title_rows=True)
    files["xlsx_cover_sheet.xlsx"] = xlsx_workbook(cover=True)
    files["html_page.csv"] = lines(
        "<!DOCTYPE html>", "<html><head><title>Orders</title></head>", "<body><p>Session expired</p></body></html>"
    )

    # --- wrong columns --------------------------------------------------------------------------------------------
    files["missing_price_column.csv"] = lines(
        "date,customer_id,order_id,product,quantity,comment",
        "2023-01-05,A,1,Tea,1,gift",
        "2023-01-06,B,2,Cup,2,",
    )
    files["title_line_before_header.csv"] = lines(
        "Orders export for shop.example, 01.01.2023 - 31.01.2023",
        "",
        HEADER,
        "2023-01-05,A,1,Tea,1,2",
        "2023-01-06,B,2,Cup,2,3",
    )
    files["title_line_without_delimiter.csv"] = "".join(row + "\r\n" for row in (
        "Отчёт о продажах",
        "Дата;Покупатель;Заказ;Товар;Количество;Цена",
        "01.02.2023;Иванов;15;Ромашка;2;150,00",
    )).encode("cp1251")
    files["duplicate_headers_different.csv"] = lines(
        "date,customer_id,order_id,product,quantity,price,price",
        "2023-01-05,A,1,Tea,1,2.00,2.40",
        "2023-01-06,B,2,Cup,2,3.00,3.60",
    )
    files["duplicate_headers_identical.csv"] = lines(
        "date,customer_id,order_id,product,quantity,price,Price",
        "2023-01-05,A,1,Tea,1,2.00,2.00",
        "2023-01-06,B,2,Cup,2,3.00,3.00",
        "2023-01-07,A,3,Pot,1,10.50,10.50",
    )
    files["padded_uppercase_headers.csv"] = lines(
        "  DATE  , CUSTOMER_ID ,Order-ID,  PRODUCT,QUANTITY  ,PRICE ",
        "2023-02-01,a1,1,Tea,1,2.5",
        "2023-02-02,a2,2,Cup,2,4",
        "2023-02-03,a1,3,Pot,1,12",
    )

    # --- values that are all unusable -----------------------------------------------------------------------------
    files["all_invalid_prices.csv"] = lines(
        HEADER,
        "2023-01-05,A,1,Tea,1,n/a",
        "2023-01-05,A,1,Cup,1,free",
        "2023-01-06,B,2,Pot,1,",
        "2023-01-07,C,3,Jug,2,—",
    )
    files["all_missing_customers.csv"] = lines(
        HEADER,
        "2023-01-05,,1,Tea,1,2",
        "2023-01-06, ,2,Cup,1,3",
        "2023-01-07,,3,Pot,1,4",
    )

    # --- encodings, delimiters, line ends -----------------------------------------------------------------------
    files["semicolon_decimal_comma.csv"] = lines(
        "Дата;Клиент;Номер заказа;Товар;Количество;Цена",
        "01.03.2023;anna@example.com;1001;Ваза стеклянная;2;149,90",
        "01.03.2023;anna@example.com;1001;Плед шерстяной;1;1 250,00",
        "05.03.2023;boris@example.com;1002;Свеча;3;99,5",
        "07.03.2023;anna@example.com;1003;Ваза стеклянная;1;149,90",
        end="\r\n",
    )
    files["cp1251.csv"] = "".join(row + "\r\n" for row in (
        "Дата;Покупатель;Заказ;Товар;Кол-во;Цена",
        "12.01.2024;Иванов И.;5001;Ёлка искусственная;1;2 490,00",
        "12.01.2024;Иванов И.;5001;Гирлянда;2;350,00",
        "15.01.2024;Петрова А.;5002;Ёлочная игрушка;10;45,50",
    )).encode("cp1251")
    files["utf8_stray_cp1251_line.csv"] = (  # a line appended in a cp1251 editor to a UTF-8 export
        lines("Дата,Клиент,Номер заказа,Товар,Количество,Цена",
              "2024-02-01,anna@shop.ru,501,Рассада томата,2,150",
              "2024-02-01,anna@shop.ru,501,Горшок керамический,1,300",
              "2024-02-03,boris@shop.ru,502,Семена огурца,3,40")
        + "2024-02-04,vera@shop.ru,503,Лейка садовая,1,450\n".encode("cp1251")
        + lines("2024-02-05,anna@shop.ru,504,Рассада перца,4,120")
    )
    files["unit_headers.csv"] = lines(
        "Дата;Клиент;Заказ;Товар;Кол-во, шт;Цена, руб.;Сумма, ₽",
        "01.03.2023;anna;1;Ваза;2;150,00;300,00",
        "02.03.2023;boris;2;Плед;1;1 250,00;1 250,00",
    )
    files["utf16_tab.csv"] = "".join(row + "\r\n" for row in (
        "Order Date\tCustomer ID\tOrder ID\tProduct\tQuantity\tUnit Price",
        "2023-06-01\tC1\tA-1\tMug\t2\t7.50",
        "2023-06-02\tC2\tA-2\tTeapot\t1\t24.00",
        "2023-06-02\tC1\tA-3\tMug\t1\t7.50",
    )).encode("utf-16")  # with BOM, little-endian: Excel's "Unicode Text"
    files["utf8_bom.csv"] = codecs.BOM_UTF8 + lines(
        HEADER, "2023-01-05,A,1,Чай,1,2.5", "2023-01-06,B,2,Кофе,2,4", end="\r\n"
    )
    files["mixed_line_endings.csv"] = (
        f"{HEADER}\r\n2023-01-05,A,1,Tea,1,2\n2023-01-06,B,2,Cup,1,3\r2023-01-07,C,3,Pot,2,4\r\n"
        "2023-01-08,A,4,Jug,1,5"
    ).encode()
    files["embedded_newlines.csv"] = (
        f"{HEADER}\r\n"
        '2023-01-05,A,1,"Tea\r\nwith lemon",1,2\r\n'
        '2023-01-06,B,2,"Cup, ""big""\nblue",1,3\r\n'
        '2023-01-07,C,3,"Line one\n\nline three",2,4\r\n'
    ).encode()
    files["excel_sep_line.csv"] = lines(
        "sep=;",
        "Date;Customer;Order;Product;Qty;Price",
        "05.01.2023;A;1;Tea;1;2,50",
        "06.01.2023;B;2;Cup;2;3,00",
        end="\r\n",
    )
    files["trailing_delimiters.csv"] = lines(
        HEADER + ",",
        "2023-01-05,A,1,Tea,1,2,",
        "2023-01-06,B,2,Cup,2,3,",
        "2023-01-07,A,3,Pot,1,4,",
    )

    # --- odd cell contents ----------------------------------------------------------------------------------------
    files["formula_like_names.csv"] = lines(
        HEADER,
        '2023-01-05,A,1,"=HYPERLINK(""http://x"",""y"")",1,2',
        "2023-01-05,A,1,+7 999,1,3",
        "2023-01-06,B,2,@SUM(A1),2,4",
        "2023-01-07,C,3,-2+3,1,5",
        "2023-01-07,C,3,=cmd|' /C calc'!A0,1,6",
    )
    files["control_characters.csv"] = lines(
        HEADER,
        "2023-01-05,A,1,Tea\x01bag,1,2",
        "2023-01-05,A,1,\x1b[31mRed cup\x1b[0m,1,3",
        "2023-01-06,B,2,Bell\x07,2,4",
        "2023-01-07,C\x7f,3,Back\x08space,1,5",
    )
    files["negative_quantities_zero_prices.csv"] = lines(
        HEADER,
        "2023-02-01,A,1,Cup,2,5",
        "2023-02-01,A,1,Plate,-1,8",
        "2023-02-02,B,2,Bowl,1,0",
        "2023-02-02,B,2,Spoon,1,-3",
        "2023-02-03,C,3,Fork,0,4",
        "2023-02-04,B,4,Knife,3,2.5",
    )
    files["several_date_formats.csv"] = lines(
        HEADER,
        "2023-01-05 10:00,A,1,Tea,1,2",
        "05.01.2023,A,2,Cup,1,3",
        "01/20/2023 3:15 PM,B,3,Pot,1,4",
        "2023-01-21T08:00:00Z,B,4,Jug,1,5",
        "1/2/2023,C,5,Mug,1,6",
        "20230115,C,6,Bowl,1,7",
        "44941,C,7,Vase,1,8",
    )
    files["partly_unparseable_dates.csv"] = lines(
        HEADER,
        "2023-03-01,A,1,Tea,1,10",
        "not a date,A,2,Tea,1,10",
        ",B,3,Cup,1,10",
        "2023-02-30,B,4,Cup,1,10",
        "2023-03-05,B,5,Pot,1,10",
        "1850-01-01,C,6,Jug,1,10",
    )
    files["excel_serial_dates.csv"] = lines(
        HEADER, "44927,A,1,Tea,1,2", "44928.5,B,2,Cup,1,3", "44930.75,A,3,Pot,2,4"
    )
    files["float_ids_uci.csv"] = lines(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
        "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,12/1/2010 8:26,2.55,17850.0,United Kingdom",
        "536365,71053,WHITE METAL LANTERN,6,12/1/2010 8:26,3.39,17850.0,United Kingdom",
        "536366,22633,HAND WARMER UNION JACK,6,12/1/2010 8:28,1.85,17850,United Kingdom",
        "536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,12/1/2010 8:34,1.69,13047.0,United Kingdom",
    )
    files["uci_cancellations.csv"] = lines(
        "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country",
        "536378,22386,JUMBO BAG PINK POLKADOT,10,2010-12-01 09:37:00,1.95,14688,United Kingdom",
        "536378,85099C,JUMBO  BAG BAROQUE BLACK WHITE,10,2010-12-01 09:37:00,1.95,14688,United Kingdom",
        "C536379,D,Discount,-1,2010-12-01 09:41:00,27.5,14527,United Kingdom",
        "536380,22961,JAM MAKING SET PRINTED,24,2010-12-01 09:41:00,1.45,17809,United Kingdom",
        "536381,22139,RETROSPOT TEA SET CERAMIC 11 PC,1,2010-12-01 09:41:00,4.95,15311,United Kingdom",
        "C536383,35004C,SET OF 3 COLOURED  FLYING DUCKS,-1,2010-12-01 09:49:00,4.65,15311,United Kingdom",
    )
    files["quoted_thousands.csv"] = lines(
        HEADER,
        '2023-01-05,A,1,Sofa,1,"1 234,50"',
        '2023-01-06,B,2,Lamp,2,"12,00"',
        '2023-01-07,A,3,Table,1,"2 000"',
        '2023-01-08,C,4,Chair,1,"1\u00a0500,00"',
    )
    files["currency_marks.csv"] = lines(
        "Дата;Клиент;Заказ;Товар;Количество;Цена",
        "01.02.2023;A;1;Ваза;1;1 200 ₽",
        "02.02.2023;B;2;Плед;2;350 руб.",
        "03.02.2023;A;3;Свеча;1;99,90 р.",
    )
    files["inf_and_nan_numbers.csv"] = lines(
        HEADER,
        "2023-01-05,A,1,Tea,1,inf",
        "2023-01-05,A,1,Cup,1,1e309",
        "2023-01-06,B,2,Pot,nan,4",
        "2023-01-06,B,2,Jug,1e1,0.5",
    )
    files["totals_row.csv"] = lines(
        HEADER,
        "2023-04-01,A,1,Tea,1,10",
        "2023-04-02,B,2,Cup,2,20",
        ",,,Total,3,50",
    )
    files["concatenated_exports.csv"] = lines(
        HEADER,
        "2023-04-01,A,1,Tea,1,10",
        "2023-04-02,B,2,Cup,2,20",
        HEADER,
        "2023-04-01,A,1,Tea,1,10",
        "2023-04-02,B,2,Cup,2,20",
        "2023-04-03,B,3,Pot,1,7",
    )
    files["shopify_multiline_orders.csv"] = lines(
        "Name,Email,Financial Status,Paid at,Created at,Lineitem quantity,Lineitem name,Lineitem price,"
        "Lineitem sku,Billing Country",
        "#1001,ann@shop.test,paid,2023-05-01 10:05:00 +0300,2023-05-01 10:00:00 +0300,2,Linen towel,12.00,LT-1,RU",
        "#1001,,,,,1,Soap,4.50,SP-1,",
        "#1002,bob@shop.test,paid,2023-05-03 09:20:00 +0300,2023-05-03 09:15:00 +0300,1,Candle,8.00,CD-1,RU",
        "#1002,,,,,3,Matches,0.50,MT-1,",
        "#1003,ann@shop.test,paid,2023-05-10 18:01:00 +0300,2023-05-10 18:00:00 +0300,1,Soap,4.50,SP-1,RU",
    )
    files["shopify_refunded_orders.csv"] = lines(
        "Name,Email,Financial Status,Fulfillment Status,Created at,Lineitem quantity,Lineitem name,Lineitem price,"
        "Lineitem sku,Billing Country,Cancelled at",
        "#1001,ann@shop.test,paid,fulfilled,2023-05-01 10:00:00 +0300,2,Linen towel,12.00,LT-1,RU,",
        "#1001,,,,,1,Soap,4.50,SP-1,,",
        "#1002,bob@shop.test,refunded,,2023-05-03 09:15:00 +0300,1,Candle,8.00,CD-1,RU,",
        "#1002,,,,,3,Matches,0.50,MT-1,,",
        "#1003,ann@shop.test,partially_refunded,fulfilled,2023-05-10 18:00:00 +0300,1,Soap,4.50,SP-1,RU,",
        "#1004,cat@shop.test,voided,,2023-05-11 18:00:00 +0300,1,Vase,30.00,VS-1,RU,2023-05-11 19:00:00 +0300",
        "#1005,bob@shop.test,paid,fulfilled,2023-05-12 18:00:00 +0300,1,Vase,30.00,VS-1,RU,",
    )
    files["stray_quotes_in_names.csv"] = lines(
        HEADER,
        "2023-01-05,A,1,Tea,1,2",
        '2023-01-06,B,2,"Cup 12" size,1,3',
        '2023-01-07,C,3,Pot 5",1,4',
    )
    files["unterminated_quote.csv"] = lines(
        HEADER,
        "2023-01-05,A,1,Tea,1,2",
        '2023-01-06,B,2,"Cup 12 size,1,3',
        "2023-01-07,C,3,Pot,1,4",
    )
    files["empty_order_ids.csv"] = lines(
        HEADER,
        "2023-01-05,A,,Tea,1,2",
        "2023-01-06,B,,Cup,2,3",
    )
    files["single_column.csv"] = lines("orders", "Tea for A", "Cup for B")
    files["unquoted_separators.csv"] = lines(
        HEADER,
        "2023-01-05,A,1,Tea,1,2",
        "2023-01-06,B,2,Mug, blue,1,3",
        "2023-01-07,C,3,Pot,2,4",
        "2023-01-08,A,4,Vase,1,$1,234.50",
        "2023-01-09,B,5,Cup,1,5",
        "2023-01-10,C,6,Bowl,3,1",
    )
    files["placeholder_ids.csv"] = lines(
        "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
        "536365,85123A,WHITE HANGING HEART,6,12/1/2010 8:26,2.55,17850.0,United Kingdom",
        "536366,71053,WHITE METAL LANTERN,2,12/1/2010 8:28,3.39,nan,United Kingdom",
        "536367,84406B,CREAM CUPID HEARTS,8,12/1/2010 8:34,2.75,NULL,France",
        "536368,22633,HAND WARMER,1,12/2/2010 9:00,1.85,None,France",
        "N/A,22632,HAND WARMER RED,1,12/2/2010 9:05,1.85,13047.0,United Kingdom",
        "536370,22728,ALARM CLOCK,4,12/3/2010 10:00,3.75,13047.0,United Kingdom",
    )
    return files


# --- large files, built at test time ---------------------------------------------------------------------------

HUGE_NAME_CHARS = 1_000_000
MANY_COLUMNS = 2_000
ONE_CUSTOMER_ROWS = 200_000


def huge_product_name() -> bytes:
    """Three orders; the second line's product name is 1,000,000 characters (mostly 2-byte Cyrillic)."""
    unit = "Ваза стеклянная ёмкость "  # 24 characters
    name = (unit * (HUGE_NAME_CHARS // len(unit) + 1))[: HUGE_NAME_CHARS - 1] + "!"  # no space to strip at the end
    return lines(HEADER, "2023-01-05,A,1,Tea,1,2", f'2023-01-06,B,2,"{name}",1,3', "2023-01-07,A,3,Pot,2,4")


def many_columns(required: bool = True) -> bytes:
    """2,000 columns: the six required ones (or, with required=False, none of them) among 1,994 extra ones."""
    extra = [f"attr_{i:04d}" for i in range(MANY_COLUMNS - 6)]
    header = (HEADER.split(",") if required else [f"field_{i}" for i in range(6)]) + extra
    rows = [",".join(header)]
    for number, (date, customer, product, quantity, price) in enumerate(
        [("2023-01-05", "A", "Tea", "1", "2"), ("2023-01-06", "B", "Cup", "2", "3"), ("2023-01-07", "A", "Pot", "1", "4")],
        start=1,
    ):
        rows.append(",".join([date, customer, str(number), product, quantity, price] + [str(i % 10) for i in range(len(extra))]))
    return lines(*rows)


def long_header_with_ragged_rows() -> bytes:
    """2,000 columns whose header line (~90 KB) is longer than the 64 KB sniffed sample, the six required columns
    last, and a short row, so the ragged-row reader has to learn the width from the whole header line."""
    extra = [f"a rather long column label, number {i:06d}" for i in range(MANY_COLUMNS - 6)]
    filler = ["x"] * len(extra)
    return lines(
        ",".join([f'"{label}"' for label in extra] + HEADER.split(",")),  # quoted: the labels hold commas
        ",".join(filler + ["2023-01-05", "A", "1", "Tea", "1", "2"]),
        ",".join(filler + ["2023-01-06", "B", "2", "Cup", "2", "3"]),
        "x,y",
    )


def one_customer_many_rows() -> bytes:
    """200,000 lines of customer 42: orders of 4 lines each, one order per hour from 2022-01-01 00:00.

    Line i: order 100000 + i // 4, product "Item {i % 4}", quantity 1 + i % 3, price 1.25 + (i % 4).
    Every 12 lines (lcm of 3 and 4) pair each quantity 1-3 with each price 1.25-4.25 once: 6 * 11 = 66 of revenue.
    200,000 = 12 * 16,666 + 8, and lines 0..7 of a block add 40.75, so revenue = 16,666 * 66 + 40.75 = 1,099,996.75.
    The last order (49,999) is 49,999 hours after the start: 2027-09-15 07:00.
    """
    import datetime

    start = datetime.datetime(2022, 1, 1)
    out = io.StringIO()
    out.write(HEADER + "\n")
    for i in range(ONE_CUSTOMER_ROWS):
        order = i // 4
        stamp = (start + datetime.timedelta(hours=order)).strftime("%Y-%m-%d %H:%M:%S")
        out.write(f"{stamp},42,{100000 + order},Item {i % 4},{1 + i % 3},{1.25 + i % 4}\n")
    return out.getvalue().encode()


WIDE_LINE_AT = 5_000  # good lines before the wider one


def wide_line_after_sample() -> bytes:
    """5,000 good lines (~150 KB, past the 64 KB sniffed sample), then a line with an unquoted comma in its
    product name, then one more good line: the reader must widen its grid instead of refusing the file.

    Line i (0-based): customer C{i % 100}, order i, product Tea, quantity 1, price 2 -> revenue 2 per line."""
    good = [f"2023-03-{1 + i % 28:02d},C{i % 100},{i},Tea,1,2" for i in range(WIDE_LINE_AT)]
    return lines(HEADER, *good, f"2023-03-29,C1,{WIDE_LINE_AT},Cup, large,1,3", f"2023-03-30,C2,{WIDE_LINE_AT + 1},Pot,1,2")


LARGE_FILES = {  # name -> builder
    "wide_line_after_sample.csv": wide_line_after_sample,
    "huge_product_name.csv": huge_product_name,
    "many_columns.csv": many_columns,
    "many_columns_none_mapped.csv": lambda: many_columns(required=False),
    "long_header_ragged_rows.csv": long_header_with_ragged_rows,
    "one_customer_200k_rows.csv": one_customer_many_rows,
}


def large_files() -> dict[str, bytes]:
    """Every generated corpus file: name -> bytes (about a second for all of them)."""
    return {name: build() for name, build in LARGE_FILES.items()}


def main(argv: list[str]) -> int:
    files = small_files()
    if "--check" in argv:
        stale = [name for name, data in files.items() if (HERE / name).read_bytes() != data]
        print("\n".join(f"differs: {name}" for name in stale) or "all corpus files up to date")
        return 1 if stale else 0
    for name, data in files.items():
        (HERE / name).write_bytes(data)
    print(f"wrote {len(files)} files to {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
