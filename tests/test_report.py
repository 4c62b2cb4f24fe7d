"""The PDF report (core.report): its text as pdftotext reads it, its page count, and a rendered page."""
import shutil
import subprocess

import altair as alt
import pandas as pd
import pytest
from PIL import Image

from core import charts, pipeline, report
from core.formatting import format_money
from core.i18n import segment_name
from core.orders import kpis
from core.settings import Settings
from tests.conftest import PRACTICUM_UPD, repeat_vs_single, unavailable


@pytest.fixture(scope="module", autouse=True)
def poppler():
    """pdftotext and pdftoppm read the PDFs: without them the tests skip loudly, and fail under CI."""
    if not shutil.which("pdftotext") or not shutil.which("pdftoppm"):
        unavailable("NO POPPLER: poppler-utils (pdftotext, pdftoppm) not found; the PDF report tests did not run")


@pytest.fixture(scope="module")
def practicum():
    settings = Settings()
    return pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, settings), settings


@pytest.fixture(scope="module")
def pdf_with_tests(practicum, tmp_path_factory):
    analysis, settings = practicum
    result = repeat_vs_single(analysis, ("repeat", "single-order"), metric_label="spend per customer",
                              question="Do repeat customers spend more?")
    steps = []
    data = report.report_pdf(analysis, settings, tests=[result], progress=steps.append)
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(data)
    return path, steps


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_report_text_has_figures_segments_categories_and_tests(practicum, pdf_with_tests):
    analysis, _ = practicum
    path, steps = pdf_with_tests
    text = pdf_text(path)
    pages = text.split("\f")
    assert 6 <= report.page_count(path.read_bytes()) <= 12
    assert len([p for p in pages if p.strip()]) == report.page_count(path.read_bytes())
    for heading in ["Customer segments report", "When customers buy", "What customers buy", "Segments at a glance",
                    "Who is in each segment", "What to send each segment", "Are the differences real?",
                    "Data quality and method"]:
        assert heading in text, heading
    assert "2,451" in text and "3,521" in text and "5,357,944" in text           # customers, orders, revenue
    for segment in analysis.segmentation.customers["segment"].astype(str).unique():
        assert segment in text, segment
    for category in ["Хранение и хозяйство", "Растения и рассада", "Сумки и тележки"]:
        assert category in text, category
    assert "Do repeat customers" in text and "Mann-Whitney U" in text and "rank-biserial r 0.19" in text
    assert "7,474 of 7,474 order lines were kept" in text
    assert "R 4–5, F 4" in text and "page 1 of" in text                          # Potential Loyalists' rule
    assert steps[0] == "Headline figures" and "Writing the test results" in steps


def test_report_without_tests_leaves_the_page_out(practicum, tmp_path):
    analysis, settings = practicum
    path = tmp_path / "plain.pdf"
    path.write_bytes(report.report_pdf(analysis, settings, currency="₽"))
    text = pdf_text(path)
    assert "Are the differences real?" not in text and "Data quality and method" in text
    assert "5 357 944 ₽" in text.replace("\u00a0", " ") or "₽5,357,944" in text or "5,357,944 ₽" in text.replace(
        "\u00a0", " ")
    assert 6 <= report.page_count(path.read_bytes()) <= 12


def test_rendered_pages_show_charts(pdf_with_tests, tmp_path):
    path, _ = pdf_with_tests
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "2", "-l", "4", str(path), str(tmp_path / "page")],
                   check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == 3
    for image in images:
        pixels = Image.open(image).convert("RGB")
        colours = pixels.getcolors(maxcolors=1 << 20)
        blue = sum(n for n, (r, g, b) in colours if b > 120 and r < 120)         # chart bars (#4c78a8)
        assert blue > 0.01 * pixels.width * pixels.height, image.name


def test_text_and_chart_helpers():
    assert report.pdf_text("Ёлка\x01 ₽ — «да»\tок") == "Ёлка ₽ — «да» ок"
    assert report.pdf_text("漢字") == "??" and report.pdf_text(None) == "" and report.pdf_text(float("nan")) == ""
    chart = alt.Chart(pd.DataFrame({"Сегмент": ["Чемпионы", "Спящие"], "n": [3, 5]})).mark_bar().encode(
        x="n:Q", y="Сегмент:N").properties(width=300, height=100)
    png = report.chart_png(chart)
    assert png.startswith(b"\x89PNG") and report.png_size(png)[0] >= 2 * 300
    assert report.font_dir().joinpath("DejaVuSans.ttf").is_file()


# ------------------------------------------------------------------------------------------------- Russian report

ENGLISH_HEADINGS = ["Customer segments report", "Key findings", "How to read this report", "When customers buy",
                    "What customers buy", "Segments at a glance", "Who is in each segment", "How the scores were cut",
                    "What to send each segment", "Are the differences real?", "Data quality and method",
                    "Cleaning choices", "page 1 of"]


@pytest.fixture(scope="module")
def russian_pdf(practicum, tmp_path_factory):
    analysis, settings = practicum
    result = repeat_vs_single(analysis, ("Repeat", "Single order"), metric_label="траты клиента", lang="ru")
    steps = []
    data = report.report_pdf(analysis, settings, tests=[result], currency="₽", lang="ru", progress=steps.append)
    path = tmp_path_factory.mktemp("report_ru") / "report.pdf"
    path.write_bytes(data)
    return path, steps


def test_russian_report_has_russian_texts_names_and_figures(practicum, russian_pdf):
    analysis, _ = practicum
    path, steps = russian_pdf
    text = pdf_text(path).replace("\u00a0", " ")                  # pdftotext may keep or drop the NBSPs
    for heading in ["Отчёт о сегментах клиентов", "Главное", "Как читать этот отчёт", "Когда покупают",
                    "Что покупают", "Сегменты: общая картина", "Кто в каждом сегменте", "Как разбиты баллы",
                    "Что отправить каждому сегменту", "Различия настоящие?", "Качество данных и метод",
                    "Параметры очистки", "стр. 1 из"]:
        assert heading in text, heading
    for heading in ENGLISH_HEADINGS:
        assert heading not in text, heading
    for segment in analysis.segmentation.customers["segment"].astype(str).unique():
        assert segment_name(segment, "ru") in text, segment
    assert "Потенциально лояльные" in text and "Potential Loyalists" not in text and "Прочие" in text
    figures = kpis(analysis.prepared.orders, analysis.prepared.customers)
    revenue = format_money(figures["revenue"], "₽", lang="ru").replace("\u00a0", " ")
    aov = format_money(figures["aov"], "₽", decimals=2, lang="ru").replace("\u00a0", " ")
    assert revenue == "5 357 944 ₽" and aov == "1 521,71 ₽" and revenue in text and aov in text
    assert "2 451" in text and "3 521" in text and "7 474 из 7 474 строк" in text
    assert "01.10.2018 – 31.01.2020" in text and "на 01.02.2020" in text and "2020-02-01" not in text
    assert "R 4–5, F 4" in text and "Стимул к следующему заказу" in text and "рассылать" in text
    assert "Mann-Whitney U" in text and "rank-biserial r 0,19" in text and "(малый)" in text
    assert "?" not in text.split("\f")[0]                     # no character the font lacks on the first page
    assert steps[0] == "Основные показатели" and "Пишу результаты проверок" in steps


def test_russian_report_pages_render_cyrillic_and_charts(russian_pdf, tmp_path):
    """Pages 1 (figures) and 4 (segment charts) at 60 dpi: the KPI boxes and the chart bars are there. The PNGs of
    this test were also looked at by eye when the Russian report was written: Cyrillic in the headings, tables
    and charts, no overlapping or cut text."""
    path, _ = russian_pdf
    for page in (1, 4):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), str(path),
                        str(tmp_path / f"ru{page}")], check=True)
    (first,), (charts_page,) = tmp_path.glob("ru1*.png"), tmp_path.glob("ru4*.png")
    colours = Image.open(charts_page).convert("RGB").getcolors(maxcolors=1 << 20)
    assert sum(n for n, (r, g, b) in colours if b > 120 and r < 120) > 0.01 * sum(n for n, _ in colours)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "DejaVuSans" in fonts or not shutil.which("pdffonts")
    assert Image.open(first).size[0] > 400


def test_charts_in_russian_have_russian_texts_and_locale():
    monthly = pd.DataFrame({"month": pd.date_range("2020-01-01", periods=3, freq="MS"), "revenue": [1e6, 2e6, 3e5],
                            "orders": [1, 2, 3], "customers": [1, 2, 3]})
    spec = charts.localized(charts.monthly_revenue_chart(monthly, "₽"), "ru").to_dict()
    assert spec["title"] == "Выручка по месяцам" and spec["encoding"]["y"]["title"] == "Выручка, ₽"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    english = charts.monthly_revenue_chart(monthly, "₽")
    assert charts.localized(english, "en") is english and english.to_dict()["title"] == "Revenue by month"
    png = report.chart_png(charts.monthly_revenue_chart(monthly, "₽"), lang="ru")
    assert png.startswith(b"\x89PNG")
    assert charts.two_lines("Потенциально лояльные") == "Потенциально\nлояльные"
    assert charts.two_lines("Champions") == "Champions" and charts.two_lines("Безпробеловдлинноеслово") == (
        "Безпробеловдлинноеслово")


def test_a_one_month_shop_gets_no_busiest_and_quietest_month_at_once(tmp_path):
    from core.settings import Settings
    from tests.conftest import ONLINE_RETAIL
    analysis = pipeline.run(ONLINE_RETAIL.read_bytes(), ONLINE_RETAIL.name, Settings())
    path = tmp_path / "one_month.pdf"
    path.write_bytes(report.report_pdf(analysis, Settings()))
    text = pdf_text(path)
    assert "All orders fall in one calendar month (December): too short to see a season." in text
    assert "Quietest: December" not in text
