"""The PDF report (core.report): its text as pdftotext reads it, its page count, and a rendered page."""
import shutil
import subprocess

import altair as alt
import pandas as pd
import pytest
from PIL import Image

from core import pipeline, report
from core.settings import Settings
from core.stats import compare_two
from tests.conftest import PRACTICUM_UPD

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext") or not shutil.which("pdftoppm"),
                                reason="needs poppler-utils (pdftotext, pdftoppm)")


@pytest.fixture(scope="module")
def practicum():
    settings = Settings()
    return pipeline.run(PRACTICUM_UPD.read_bytes(), PRACTICUM_UPD.name, settings), settings


@pytest.fixture(scope="module")
def pdf_with_tests(practicum, tmp_path_factory):
    analysis, settings = practicum
    customers = analysis.segmentation.customers
    result = compare_two(customers.loc[customers["frequency"] > 1, "monetary"],
                         customers.loc[customers["frequency"] == 1, "monetary"], ("repeat", "single-order"),
                         metric_label="spend per customer", question="Do repeat customers spend more?")
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
