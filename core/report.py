"""The PDF report of one analysis for a store manager: 6–12 A4 pages of figures, charts and plain words.

Pages: 1 headline figures and key findings; 2 sales over time (revenue by month, orders by weekday, busiest
months); 3 categories (chart, table, coverage); 4 segments at a glance (shares of customers and revenue, the R×F
grid); 5 segment table; 6+ what to send each segment (the recommendations); the hypothesis tests when some were
run; last, data quality and method (row accounting, cleaning choices, how scores were cut).

Charts are the app's Altair specs (:mod:`core.charts`) rendered to PNG by vl-convert at scale 2; the PDF is laid
out with fpdf2. Both use DejaVu Sans, which covers Latin and Cyrillic; the TTF files ship inside the
``matplotlib`` wheel (only the files are used, matplotlib is never imported). Text is cleaned of control
characters and characters the font lacks become ``?`` instead of silently disappearing.
"""
from __future__ import annotations

import importlib.util
import math
import re
import struct
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd

from core import categories, charts, export, pipeline, seasonality, segments
from core.formatting import format_money, format_number, format_period
from core.orders import kpis, revenue_by_month
from core.settings import Settings
from core.stats import TestResult

FONT = "DejaVu"
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
PNG_SCALE = 2
CHART_CATEGORIES = 15          # categories drawn in the chart (the table lists them all up to TABLE_CATEGORIES)
TABLE_CATEGORIES = 25
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BLUE = (31, 78, 121)
_HEADING_FILL = (220, 230, 241)
_GREY = (90, 90, 90)


class ReportError(RuntimeError):
    """The report cannot be built on this machine (fonts or the chart renderer are missing)."""


# ----------------------------------------------------------------------------------------------------------------
# Fonts and charts


@lru_cache(maxsize=1)
def font_dir() -> Path:
    """Folder with the DejaVu Sans TTFs (inside the installed matplotlib package, found without importing it)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise ReportError("the PDF report needs the DejaVu fonts of the matplotlib package: "
                          "pip install -r requirements.txt")
    folder = Path(next(iter(spec.submodule_search_locations))) / "mpl-data" / "fonts" / "ttf"
    missing = [name for name in FONT_FILES.values() if not (folder / name).is_file()]
    if missing:
        raise ReportError(f"font file {missing[0]} not found in {folder}")
    return folder


@lru_cache(maxsize=1)
def _glyphs() -> frozenset[int]:
    """Code points the regular and bold fonts both have."""
    from fontTools.ttLib import TTFont   # a dependency of fpdf2
    maps = [set(TTFont(font_dir() / FONT_FILES[style], lazy=True).getBestCmap()) for style in ("", "B")]
    return frozenset(maps[0] & maps[1])


def pdf_text(value: object) -> str:
    """Text the PDF font can show: control characters removed (tabs and newlines become spaces), characters the
    font lacks replaced by ``?``; ``None``/NaN become an empty string."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    text = _CONTROL.sub("", str(value).replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n"))
    glyphs = _glyphs()
    return "".join(ch if ord(ch) in glyphs or ch == "\n" else "?" for ch in text)


@lru_cache(maxsize=1)
def _chart_renderer():
    try:
        import vl_convert
    except ImportError as exc:   # pragma: no cover - a broken install
        raise ReportError("the PDF report needs vl-convert-python: pip install -r requirements.txt") from exc
    vl_convert.register_font_directory(str(font_dir()))
    return vl_convert


def chart_png(chart: alt.TopLevelMixin, scale: int = PNG_SCALE) -> bytes:
    """PNG of an Altair chart drawn with DejaVu Sans (vl-convert, offline)."""
    spec = chart.configure(font=charts.FONT).to_dict()
    return _chart_renderer().vegalite_to_png(spec, scale=scale)


def page_count(pdf: bytes) -> int:
    """Number of pages of a PDF written by fpdf2 (its page objects are uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG header."""
    return struct.unpack(">II", png[16:24])


# ----------------------------------------------------------------------------------------------------------------
# The document


def _document():
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    class Report(FPDF):
        footer_text = ""

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, "", 8)
            self.set_text_color(*_GREY)
            self.cell(0, 6, f"{self.footer_text}   ·   page {self.page_no()} of {{nb}}", align="C")
            self.set_text_color(0, 0, 0)

    pdf = Report(format="A4", unit="mm")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=16)
    for style, name in FONT_FILES.items():
        pdf.add_font(FONT, style, str(font_dir() / name))
    pdf.set_font(FONT, "", 10)
    pdf.set_creator("Customer segments app")
    return pdf, FontFace


class _Writer:
    """Small layout helpers over an fpdf2 document."""

    def __init__(self, title: str, footer: str) -> None:
        self.pdf, self.face = _document()
        self.pdf.set_title(pdf_text(title))
        self.pdf.footer_text = pdf_text(footer)

    @property
    def width(self) -> float:
        return self.pdf.epw

    def page(self, heading: str) -> None:
        self.pdf.add_page()
        self.heading(heading, size=16)

    def heading(self, text: str, size: int = 12, space: float = 2) -> None:
        pdf = self.pdf
        if pdf.get_y() > pdf.h - 40:
            pdf.add_page()
        pdf.set_font(FONT, "B", size)
        pdf.set_text_color(*_BLUE)
        pdf.multi_cell(0, size * 0.5, pdf_text(text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.ln(space)
        pdf.set_font(FONT, "", 10)

    def text(self, text: str, size: float = 10, style: str = "", color=(0, 0, 0), space: float = 1.5) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*color)
        pdf.multi_cell(0, size * 0.5, pdf_text(text), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(FONT, "", 10)
        pdf.ln(space)

    def bullets(self, items: Sequence[str], size: float = 10) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "", size)
        for item in items:
            pdf.set_x(pdf.l_margin)
            pdf.cell(5, size * 0.5, "•")
            pdf.multi_cell(0, size * 0.5, pdf_text(item), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)

    def note(self, text: str) -> None:
        self.text(text, size=8, style="I", color=_GREY)

    def image(self, png: bytes, max_height: float | None = None) -> None:
        """A chart at the full text width, or narrower so that it fits ``max_height`` (mm) and the page."""
        pdf = self.pdf
        pixels_w, pixels_h = png_size(png)
        width = min(self.width, pixels_w / PNG_SCALE * 0.2646)       # never enlarge: 1 CSS px = 0.2646 mm
        height = width * pixels_h / pixels_w
        room = pdf.h - pdf.b_margin - pdf.get_y()
        limit = min(max_height or height, pdf.h - pdf.t_margin - pdf.b_margin - 20)
        if height > limit:
            width, height = width * limit / height, limit
        if height > room:
            pdf.add_page()
        x = pdf.l_margin + (self.width - width) / 2
        from io import BytesIO
        pdf.image(BytesIO(png), x=x, w=width, h=height)
        pdf.ln(3)

    def table(self, rows: Sequence[Sequence[object]], widths: Sequence[float], align: Sequence[str],
              size: float = 8.5) -> None:
        """A table whose first row is the header (repeated on each page)."""
        pdf = self.pdf
        pdf.set_font(FONT, "", size)
        style = self.face(emphasis="BOLD", fill_color=_HEADING_FILL)
        with pdf.table(width=min(self.width, sum(widths)), col_widths=tuple(widths), text_align=tuple(align),
                       headings_style=style, line_height=size * 0.5, repeat_headings=1,
                       padding=(0.8, 1.2)) as table:
            for row in rows:
                table.row([pdf_text(cell) for cell in row])
        pdf.set_font(FONT, "", 10)
        pdf.ln(3)

    def kpis(self, items: Sequence[tuple[str, str]], columns: int = 3) -> None:
        pdf = self.pdf
        box_w, box_h, gap = (self.width - (columns - 1) * 4) / columns, 20, 4
        top = pdf.get_y()
        for i, (label, value) in enumerate(items):
            x = pdf.l_margin + (i % columns) * (box_w + gap)
            y = top + (i // columns) * (box_h + gap)
            pdf.set_fill_color(242, 246, 250)
            pdf.rect(x, y, box_w, box_h, style="F")
            pdf.set_xy(x + 3, y + 3)
            pdf.set_font(FONT, "", 8)
            pdf.set_text_color(*_GREY)
            pdf.cell(box_w - 6, 4, pdf_text(label))
            pdf.set_xy(x + 3, y + 9)
            pdf.set_font(FONT, "B", 14)
            pdf.set_text_color(*_BLUE)
            pdf.cell(box_w - 6, 8, pdf_text(value))
        pdf.set_text_color(0, 0, 0)
        rows = math.ceil(len(items) / columns)
        pdf.set_xy(pdf.l_margin, top + rows * (box_h + gap) + 2)
        pdf.set_font(FONT, "", 10)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


# ----------------------------------------------------------------------------------------------------------------
# Content


def report_pdf(analysis: pipeline.Analysis, settings: Settings, *,
               tests: Sequence[TestResult] | pd.DataFrame | None = None, currency: str = "",
               progress: Callable[[str], None] | None = None) -> bytes:
    """The PDF report as bytes. ``tests``: results of the Tests page (a page of results when given).
    ``currency``: sign shown with money (none by default: exports rarely say). ``progress``: told each step."""
    say = progress or (lambda message: None)
    prepared, segmentation = analysis.prepared, analysis.segmentation
    figures = kpis(prepared.orders, prepared.customers)
    file_name = analysis.intake.raw.file_name
    doc = _Writer(f"Customer segments: {file_name}", f"Customer segments · {file_name} · "
                  f"as of {segmentation.analysis_date:%Y-%m-%d}")
    segment_table = export.segments_table(analysis, settings.templates)
    category_table = export.categories_table(analysis)

    say("Headline figures")
    _cover(doc, analysis, figures, segment_table, category_table, currency)
    say("Drawing the sales charts")
    _sales(doc, analysis, currency)
    say("Drawing the category chart")
    _categories(doc, analysis, category_table, currency)
    say("Drawing the segment charts")
    _segments_overview(doc, analysis)
    _segment_table(doc, analysis, segment_table, currency)
    say("Writing the recommendations")
    _recommendations(doc, segment_table)
    test_frame = export.tests_table(tests)
    if test_frame is not None:
        say("Writing the test results")
        _tests(doc, test_frame)
    say("Data quality and method")
    _quality(doc, analysis, settings)
    return doc.output()


def _share(value: float) -> str:
    """``28%``, ``7.7%``, ``<0.1%`` (for a small non-zero share), ``0%``; ``–`` when unknown."""
    if value is None or pd.isna(value) or not math.isfinite(value):
        return "–"
    if 0 < abs(value) < 0.0005:
        return "<0.1%"
    return f"{value:.0%}" if abs(value) >= 0.095 or value == 0 else f"{value:.1%}"


def _cover(doc: _Writer, analysis: pipeline.Analysis, figures: dict, segment_table: pd.DataFrame,
           category_table: pd.DataFrame, currency: str) -> None:
    segmentation = analysis.segmentation
    customers = segmentation.customers
    pdf = doc.pdf
    pdf.add_page()
    doc.text("Customer segments report", size=22, style="B", color=_BLUE, space=1)
    doc.text(f"{analysis.intake.raw.file_name} · orders {format_period(figures['first_date'], figures['last_date'])}"
             f" · recency counted to {segmentation.analysis_date:%Y-%m-%d} · created {date.today():%Y-%m-%d}",
             size=9, color=_GREY, space=5)
    repeat = float((customers["frequency"] >= 2).mean()) if len(customers) else 0.0
    doc.kpis([("Customers", format_number(figures["customers"])), ("Orders", format_number(figures["orders"])),
              ("Revenue", format_money(figures["revenue"], currency)),
              ("Average order", format_money(figures["aov"], currency, decimals=2)),
              ("Repeat customers (2+ orders)", _share(repeat)),
              ("Segments with customers", format_number(int(customers["segment"].nunique())))])
    doc.heading("Key findings")
    doc.bullets(_findings(analysis, segment_table, category_table, repeat))
    doc.heading("How to read this report")
    doc.text("Every customer gets three scores from 1 to 5: R (how recently they bought; 5 = most recent), "
             "F (how many orders; 5 = most) and M (how much they spent; 5 = most). Segments group customers by "
             "their R and F scores, e.g. Champions bought recently and often, At Risk used to buy often but not "
             "lately. The pages that follow show when and what the shop sells, who is in each segment and what to "
             "send them. The last page explains which order lines were left out and why.", size=9.5)


def _findings(analysis: pipeline.Analysis, segment_table: pd.DataFrame, category_table: pd.DataFrame,
              repeat: float) -> list[str]:
    items = []
    table = segment_table[segment_table["customers"] > 0]
    if len(table):
        best = table.sort_values("share_revenue", ascending=False).iloc[0]
        items.append(f"The {best['segment']} segment brings the most revenue: {_share(best['share_revenue'])} of it "
                     f"from {_share(best['share_customers'])} of the customers.")
        biggest = table.sort_values("customers", ascending=False).iloc[0]
        if biggest["segment"] != best["segment"]:
            items.append(f"The largest segment is {biggest['segment']}: {format_number(biggest['customers'])} "
                         f"customers ({_share(biggest['share_customers'])}), {_share(biggest['share_revenue'])} "
                         f"of revenue.")
        skip = table.loc[table["skip"] == "skip", "segment"].astype(str).tolist()
        mail = len(table) - len(skip)
        items.append(f"{mail} of {len(table)} segments are worth mailing"
                     + (f"; skip {', '.join(skip)} (lapsed over a year and below-average spend)." if skip else "."))
    items.append(f"{_share(1 - repeat)} of customers have ordered only once: a second-order offer is the "
                 f"cheapest growth.")
    known = category_table[category_table["category"] != categories.OTHER]
    if len(known):
        top = known.iloc[0]
        items.append(f"Top category: {top['category']} with {_share(top['revenue_share'])} of revenue.")
    months = seasonality.month_of_year(analysis.prepared.orders)
    rates = months["orders_per_month"].to_numpy()
    if pd.notna(rates).sum() >= 2:
        best = int(months["orders_per_month"].idxmax())
        items.append(f"Busiest month: {months.loc[best, 'name']} "
                     f"({months.loc[best, 'index']:.1f}× an average month's orders).")
    return items


def _sales(doc: _Writer, analysis: pipeline.Analysis, currency: str) -> None:
    orders = analysis.prepared.orders
    doc.page("When customers buy")
    monthly = revenue_by_month(orders)
    doc.image(chart_png(charts.monthly_revenue_chart(monthly, currency).properties(width=640, height=230)),
              max_height=100)
    weekdays = seasonality.weekday_pattern(orders)
    doc.image(chart_png(charts.weekday_chart(weekdays, "orders").properties(width=640, height=170)),
              max_height=75)
    months = seasonality.month_of_year(orders)
    occurring = months[months["occurrences"] > 0].sort_values("orders_per_month", ascending=False)
    if len(occurring):
        busiest = ", ".join(occurring["name"].head(3))
        quietest = ", ".join(occurring["name"].tail(2)[::-1])
        doc.text(f"Busiest months (orders per month, months covered twice counted once): {busiest}. "
                 f"Quietest: {quietest}. Plan mailings a few weeks before the busy months.", size=9.5)
    doc.note("Revenue by month counts every kept order line; months without orders show as zero.")


def _categories(doc: _Writer, analysis: pipeline.Analysis, table: pd.DataFrame, currency: str) -> None:
    doc.page("What customers buy")
    chart = charts.category_chart(table.head(CHART_CATEGORIES), currency, other=categories.OTHER)
    doc.image(chart_png(chart), max_height=115)
    cover = categories.coverage(analysis.lines)
    money = f"Revenue{', ' + currency if currency else ''}"
    rows = [("Category", "Lines", "Orders", "Customers", money, "Share")]
    for row in table.head(TABLE_CATEGORIES).itertuples(index=False):
        rows.append((row.category, format_number(row.rows), format_number(row.orders),
                     format_number(row.customers), format_number(row.revenue), _share(row.revenue_share)))
    doc.table(rows, widths=(70, 20, 20, 22, 30, 18), align=("LEFT",) + ("RIGHT",) * 5)
    shown = "" if len(table) <= TABLE_CATEGORIES else f" The table shows the top {TABLE_CATEGORIES} of {len(table)}."
    doc.note(f"Keyword rules put {_share(cover['coverage_revenue'])} of revenue and "
             f"{_share(cover['coverage_names'])} of product names into a category; the rest is '{categories.OTHER}'. "
             f"{format_number(len(analysis.rules))} rules are in force.{shown}")


def _segments_overview(doc: _Writer, analysis: pipeline.Analysis) -> None:
    segmentation = analysis.segmentation
    doc.page("Segments at a glance")
    totals = pd.DataFrame(pipeline.segment_totals(segmentation)).rename(columns={"name": "segment"})
    totals = totals[totals["customers"] > 0]
    doc.image(chart_png(charts.segment_share_chart(totals).properties(width=520)), max_height=110)
    bins = [segmentation.scores[letter].bins_requested for letter in "RFM"]
    grid = segments.grid_coverage(segmentation.segment_map, bins[0], bins[1], segmentation.customers,
                                  m_bins=bins[2])
    doc.image(chart_png(charts.rf_grid_heatmap(grid).properties(width=520)), max_height=125)
    doc.note("Each cell of the grid is one combination of R and F scores, labelled with its segment and number of "
             "customers.")


def _segment_table(doc: _Writer, analysis: pipeline.Analysis, table: pd.DataFrame, currency: str) -> None:
    doc.page("Who is in each segment")
    money = f", {currency}" if currency else ""
    rows = [("Segment", "Rule", "Customers", "% of cust.", f"Revenue{money}", "% of rev.", f"Avg order{money}",
             "Days since last order", "Repeat", "Top category")]
    for row in table.itertuples(index=False):
        rows.append((row.segment, row.rule, format_number(row.customers), _share(row.share_customers),
                     format_number(row.revenue), _share(row.share_revenue), format_number(row.aov),
                     format_number(row.median_recency_days), _share(row.repeat_share),
                     "" if pd.isna(row.category_1) else row.category_1))
    doc.table(rows, widths=(27, 18, 19, 13, 19, 13, 16, 17, 14, 24), align=("LEFT", "LEFT") + ("RIGHT",) * 7
              + ("LEFT",), size=7)
    doc.note("Days since last order: the median customer of the segment. Repeat: customers with 2 or more orders. "
             "Average order: the segment's revenue divided by its orders. Rule: the R and F scores (and M, where "
             "given) that put a customer into the segment; the first matching rule wins.")
    doc.heading("How the scores were cut", size=11)
    scores = analysis.segmentation.scores
    levels = sorted({s for result in scores.values() for s in result.labels}, reverse=True)
    rows = [("Score", "Days since last purchase (R)", "Orders (F)", "Spend (M)")]
    for level in levels:
        rows.append((str(level), *(scores[letter].labels.get(level, "–") for letter in "RFM")))
    doc.table(rows, widths=(16, 50, 40, 50), align=("CENTER", "LEFT", "LEFT", "LEFT"))
    notes = [result.note.rstrip(".") + "." for result in scores.values() if result.note]
    doc.note(" ".join(notes + [f"Recency is counted in days to {analysis.segmentation.analysis_date:%Y-%m-%d}."]))


def _recommendations(doc: _Writer, table: pd.DataFrame) -> None:
    doc.page("What to send each segment")
    doc.text("One suggestion per segment, from its top categories and its busiest months and weekday. Mail a few "
             "weeks before the busy months; 'skip' marks segments not worth the spend.", size=9.5, space=3)
    for row in table.itertuples(index=False):
        verdict = "skip" if row.skip == "skip" else "mail"
        doc.heading(f"{row.segment} · {format_number(row.customers)} customers · {_share(row.share_revenue)} of "
                    f"revenue · {verdict}", size=11, space=1)
        when = f"Send in {row.send_months}, on {row.weekday}." if row.send_months else ""
        doc.text(f"{when} Top categories: {_categories_text(row)}.", size=9, color=_GREY, space=1)
        doc.text(row.recommendation, size=9.5, space=3)


def _categories_text(row) -> str:
    parts = []
    for i in (1, 2, 3):
        name, share = getattr(row, f"category_{i}"), getattr(row, f"category_{i}_share")
        if not pd.isna(name):
            parts.append(f"{name} ({_share(share)})")
    return ", ".join(parts) or "none"


def _p_text(p: float) -> str:
    if p is None or not math.isfinite(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def _tests(doc: _Writer, frame: pd.DataFrame) -> None:
    doc.page("Are the differences real?")
    doc.text("Each question was checked with a hypothesis test. A p-value below the significance level (α) means "
             "the difference is unlikely to be chance; the effect size says how big it is.", size=9.5, space=3)
    main = frame[~frame["question"].astype(str).str.endswith("(pairwise)")]
    rows = [("Question", "Test", "p-value", "Effect", "Verdict")]
    for row in main.itertuples(index=False):
        effect = "–" if not math.isfinite(row.effect) else f"{row.effect_size} {row.effect:.2f} ({row.magnitude})"
        p = row.p_adjusted if math.isfinite(row.p_adjusted) else row.p_value
        rows.append((row.question, row.test, _p_text(p), effect, row.verdict))
    doc.table(rows, widths=(38, 25, 15, 28, 74), align=("LEFT", "LEFT", "RIGHT", "LEFT", "LEFT"), size=7.5)
    pairwise = len(frame) - len(main)
    if pairwise:
        doc.note(f"{pairwise} pairwise comparisons follow from the tests with several groups; they are in the "
                 f"workbook's Tests sheet.")


def _quality(doc: _Writer, analysis: pipeline.Analysis, settings: Settings) -> None:
    report = analysis.prepared.report
    doc.page("Data quality and method")
    doc.text(f"{format_number(report.kept_rows)} of {format_number(report.input_rows)} order lines were kept for "
             f"the analysis; {format_number(report.input_rows - report.kept_rows)} were left out for the reasons "
             f"below.", size=9.5, space=2)
    table = export.quality_table(analysis)
    shown = table[(table["rows"] > 0) | table["reason"].isin(["input", "kept"])]
    rows = [("Lines", "Count", "Share")]
    rows += [(row.description, format_number(row.rows), _share(row.share)) for row in shown.itertuples(index=False)]
    doc.table(rows, widths=(120, 25, 20), align=("LEFT", "RIGHT", "RIGHT"))
    if report.filled_from_order:
        doc.note(f"{format_number(report.filled_from_order)} lines took an empty customer or date from the other "
                 f"lines of their order.")
    policy = settings.cleaning
    choices = [f"Returns and cancellations: {'dropped' if policy.returns == 'drop' else 'netted against spend'}.",
               f"Exact duplicate lines: {'dropped' if policy.drop_exact_duplicates else 'kept'}.",
               "Repeated customer/order/product lines: "
               + ("only the latest kept." if policy.dedupe_order_lines else "all kept."),
               f"Orders shared by several customers: {'dropped' if policy.drop_shared_orders else 'kept'}.",
               "Very large quantities: " + ("no limit." if policy.quantity_limit is None
                                            else f"lines with {format_number(policy.quantity_limit)} or more dropped.")]
    doc.heading("Cleaning choices", size=11)
    doc.bullets(choices, size=9)
    doc.note("The settings file from the Export page restores every choice of this analysis.")
