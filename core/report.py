"""The PDF report of one analysis for a store manager: 6–12 A4 pages of figures, charts and plain words.

Pages: 1 headline figures and key findings; 2 sales over time (revenue by month, orders by weekday, busiest
months); 3 categories (chart, table, coverage); 4 segments at a glance (shares of customers and revenue, the R×F
grid); 5 segment table; 6+ what to send each segment (the recommendations); the hypothesis tests when some were
run; last, data quality and method (row accounting, cleaning choices, how scores were cut).

Language (``lang``, "en" or "ru"): every heading, label, sentence and table header comes from the catalogue
(``core.i18n``), built-in segment names are shown as ``core.i18n.segment_name`` gives them, numbers, money,
shares and dates are formatted for the language (``core.formatting``: ``1 234 567,89 ₽`` in Russian) and the
charts get their texts and number/date locale from :func:`core.charts.localized`. Data values (file, product,
category and user-typed segment names, the rule and score ranges) are shown as they are.

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
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import altair as alt
import pandas as pd

from core import categories, charts, export, i18n, pipeline, seasonality, segments
from core.formatting import NO_CURRENCY, format_date, format_money, format_number, format_percent, format_period
from core.orders import kpis, revenue_by_month
from core.rfm import ScoreResult
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


def chart_png(chart: alt.TopLevelMixin, scale: int = PNG_SCALE, lang: str = "en") -> bytes:
    """PNG of an Altair chart drawn with DejaVu Sans (vl-convert, offline), its texts and number and date
    formats in ``lang`` (:func:`core.charts.localized`, applied after the font so that its locale is kept)."""
    spec = charts.localized(chart.configure(font=charts.FONT), lang).to_dict()
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
        page_label = str                  # page number -> text; _Writer sets the translated one

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT, "", 8)
            self.set_text_color(*_GREY)
            self.cell(0, 6, f"{self.footer_text}   ·   {pdf_text(self.page_label(self.page_no()))}", align="C")
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

    def __init__(self, title: str, footer: str, page_label: Callable[[int], str], lang: str) -> None:
        """``footer``: the text on every page before ``page_label(page number)`` ("page 2 of {nb}"; fpdf2 puts
        the page count in place of ``{nb}``); ``lang``: the document's language in its metadata."""
        self.pdf, self.face = _document()
        self.pdf.set_title(pdf_text(title))
        self.pdf.set_lang(lang)
        self.pdf.footer_text = pdf_text(footer)
        self.pdf.page_label = page_label

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


@dataclass(frozen=True)
class _Locale:
    """The report's language and currency sign: catalogue texts, numbers, money, shares, dates, display names
    and charts, all for ``lang``."""

    lang: str
    currency: str          # the sign shown with money, "" for none

    def t(self, key: str, **params) -> str:
        return i18n.t(key, self.lang, **params)

    def tn(self, key: str, n: float, **params) -> str:
        return i18n.tn(key, n, self.lang, **params)

    def number(self, value: float | None, decimals: int = 0) -> str:
        return format_number(value, decimals, self.lang)

    def money(self, value: float | None, decimals: int = 0) -> str:
        return format_money(value, self.currency, decimals, self.lang)

    def money_label(self, label: str) -> str:
        """A column label of money amounts, with the sign when there is one: ``Revenue, ₽``."""
        return f"{label}, {self.currency}" if self.currency else label

    def share(self, value: float | None) -> str:
        """``28%``, ``7.7%``, ``<0.1%`` for a small non-zero share, ``0%`` (ru ``28 %``, ``7,7 %``); ``–`` when
        unknown. Shares are 0..1."""
        if value is None or pd.isna(value) or not math.isfinite(value):
            return "–"
        if 0 < abs(value) < 0.0005:
            return "<" + format_percent(0.001, 1, self.lang)
        return format_percent(value, 0 if abs(value) >= 0.095 or value == 0 else 1, self.lang)

    def date(self, value) -> str:
        return format_date(value, self.lang)

    def name(self, value: object) -> str:
        """A segment, group or category name as shown (built-in names in ``lang``, others as typed)."""
        return i18n.segment_name(value, self.lang)

    def names(self, frame: pd.DataFrame, column: str) -> pd.DataFrame:
        """``frame`` with ``column``'s names as shown (R×F grid cells may hold several, joined by `` / ``)."""
        return frame.assign(**{column: [" / ".join(self.name(part) for part in str(value).split(" / "))
                                        for value in frame[column]]})

    def chart(self, chart: alt.TopLevelMixin) -> bytes:
        return chart_png(chart, lang=self.lang)


def report_pdf(analysis: pipeline.Analysis, settings: Settings, *,
               tests: Sequence[TestResult] | pd.DataFrame | None = None, currency: str = "",
               progress: Callable[[str], None] | None = None, lang: str = "en") -> bytes:
    """The PDF report as bytes. ``tests``: results of the Tests page (a page of results when given; their
    questions and verdicts are shown in the language they were run in). ``currency``: the sign shown with money
    (``"₽"``, ``"£"``, ``"$"``, ``"€"``; ``""`` or ``"none"``: none, the default, as exports rarely say; an
    automatic choice is the caller's, see :func:`core.formatting.currency_for`). ``progress``: told each step,
    in ``lang``. ``lang``: "en" (default) or "ru", the language of every text, number, date and chart."""
    loc = _Locale(lang, "" if currency == NO_CURRENCY else currency)
    say = progress or (lambda message: None)
    prepared, segmentation = analysis.prepared, analysis.segmentation
    figures = kpis(prepared.orders, prepared.customers)
    file_name = analysis.intake.raw.file_name
    doc = _Writer(loc.t("report.title", file=file_name),
                  loc.t("report.footer", file=file_name, date=loc.date(segmentation.analysis_date)),
                  lambda page: loc.t("report.page", page=page, pages="{nb}"), lang)
    segment_table = export.segments_table(analysis, settings.templates, lang, settings.skip_after_days,
                                          settings.skip_overrides)
    category_table = export.categories_table(analysis).pipe(loc.names, "category")

    say(loc.t("report.step_cover"))
    _cover(doc, loc, analysis, figures, segment_table, category_table)
    say(loc.t("report.step_sales"))
    _sales(doc, loc, analysis)
    say(loc.t("report.step_categories"))
    _categories(doc, loc, analysis, category_table)
    say(loc.t("report.step_segments"))
    _segments_overview(doc, loc, analysis)
    _segment_table(doc, loc, analysis, segment_table)
    say(loc.t("report.step_recommendations"))
    _recommendations(doc, loc, segment_table)
    test_frame = export.tests_table(tests)
    if test_frame is not None:
        say(loc.t("report.step_tests"))
        _tests(doc, loc, test_frame)
    say(loc.t("report.quality_heading"))
    _quality(doc, loc, analysis, settings)
    return doc.output()


def _cover(doc: _Writer, loc: _Locale, analysis: pipeline.Analysis, figures: dict, segment_table: pd.DataFrame,
           category_table: pd.DataFrame) -> None:
    segmentation = analysis.segmentation
    customers = segmentation.customers
    pdf = doc.pdf
    pdf.add_page()
    doc.text(loc.t("report.heading"), size=22, style="B", color=_BLUE, space=1)
    doc.text(loc.t("report.subtitle", file=analysis.intake.raw.file_name,
                   period=format_period(figures["first_date"], figures["last_date"], loc.lang),
                   date=loc.date(segmentation.analysis_date), today=loc.date(date.today())),
             size=9, color=_GREY, space=5)
    repeat = float((customers["frequency"] >= 2).mean()) if len(customers) else 0.0
    doc.kpis([(loc.t("common.customers"), loc.number(figures["customers"])),
              (loc.t("common.orders"), loc.number(figures["orders"])),
              (loc.t("common.revenue"), loc.money(figures["revenue"])),
              (loc.t("common.average_order"), loc.money(figures["aov"], decimals=2)),
              (loc.t("report.kpi_repeat"), loc.share(repeat)),
              (loc.t("export.summary.segments"), loc.number(int(customers["segment"].nunique())))])
    doc.heading(loc.t("report.key_findings"))
    doc.bullets(_findings(loc, analysis, segment_table, category_table, repeat))
    doc.heading(loc.t("report.how_to_read"))
    doc.text(loc.t("report.how_to_read_text", champions=loc.name("Champions"), at_risk=loc.name("At Risk")),
             size=9.5)


def _findings(loc: _Locale, analysis: pipeline.Analysis, segment_table: pd.DataFrame, category_table: pd.DataFrame,
              repeat: float) -> list[str]:
    items = []
    table = segment_table[segment_table["customers"] > 0]
    if len(table):
        best = table.sort_values("share_revenue", ascending=False).iloc[0]
        items.append(loc.t("report.finding_best", segment=loc.name(best["segment"]),
                           share_revenue=loc.share(best["share_revenue"]),
                           share_customers=loc.share(best["share_customers"])))
        biggest = table.sort_values("customers", ascending=False).iloc[0]
        if biggest["segment"] != best["segment"]:
            items.append(loc.t("report.finding_largest", segment=loc.name(biggest["segment"]),
                               customers=loc.tn("count.customers", biggest["customers"]),
                               share_customers=loc.share(biggest["share_customers"]),
                               share_revenue=loc.share(biggest["share_revenue"])))
        skip = [loc.name(name) for name in table.loc[table["skip"] == "skip", "segment"]]
        counts = {"mail": len(table) - len(skip), "total": len(table)}
        items.append(loc.t("report.finding_mail_skip", skip=", ".join(skip), **counts) if skip
                     else loc.t("report.finding_mail", **counts))
    items.append(loc.t("report.finding_single", share=loc.share(1 - repeat)))
    known = category_table[category_table["category"] != loc.name(categories.OTHER)]
    if len(known):
        top = known.iloc[0]
        items.append(loc.t("report.finding_top_category", category=top["category"],
                           share=loc.share(top["revenue_share"])))
    months = seasonality.month_of_year(analysis.prepared.orders)
    rates = months["orders_per_month"].to_numpy()
    if pd.notna(rates).sum() >= 2:
        best = int(months["orders_per_month"].idxmax())
        items.append(loc.t("report.finding_busiest_month", month=i18n.month_name(months.loc[best, "month"], loc.lang),
                           index=loc.number(months.loc[best, "index"], 1)))
    return items


def _sales(doc: _Writer, loc: _Locale, analysis: pipeline.Analysis) -> None:
    orders = analysis.prepared.orders
    doc.page(loc.t("report.sales_heading"))
    monthly = revenue_by_month(orders)
    doc.image(loc.chart(charts.monthly_revenue_chart(monthly, loc.currency).properties(width=640, height=230)),
              max_height=100)
    weekdays = seasonality.weekday_pattern(orders)
    weekdays["day"] = [i18n.SHORT_WEEKDAYS[loc.lang][day] for day in weekdays["weekday"]]
    doc.image(loc.chart(charts.weekday_chart(weekdays, "orders").properties(width=640, height=170)),
              max_height=75)
    months = seasonality.month_of_year(orders)
    occurring = months[months["occurrences"] > 0].sort_values("orders_per_month", ascending=False)
    names = [i18n.month_name(month, loc.lang) for month in occurring["month"]]
    if len(names) == 1:
        doc.text(loc.t("report.sales_one_month", month=names[0]), size=9.5)
    elif names:                                  # the busiest half (three at most), the quietest of the rest (two)
        busiest = names[:min(3, (len(names) + 1) // 2)]
        quietest = names[len(busiest):][-2:][::-1]
        doc.text(loc.t("report.sales_text", busiest=", ".join(busiest), quietest=", ".join(quietest)), size=9.5)
    doc.note(loc.t("report.sales_note"))


def _categories(doc: _Writer, loc: _Locale, analysis: pipeline.Analysis, table: pd.DataFrame) -> None:
    doc.page(loc.t("report.categories_heading"))
    chart = charts.category_chart(table.head(CHART_CATEGORIES), loc.currency, other=loc.name(categories.OTHER))
    doc.image(loc.chart(chart), max_height=115)
    cover = categories.coverage(analysis.lines)
    rows = [(loc.t("common.category"), loc.t("common.lines"), loc.t("common.orders"), loc.t("common.customers"),
             loc.money_label(loc.t("common.revenue")), loc.t("common.share"))]
    for row in table.head(TABLE_CATEGORIES).itertuples(index=False):
        rows.append((row.category, loc.number(row.rows), loc.number(row.orders), loc.number(row.customers),
                     loc.number(row.revenue), loc.share(row.revenue_share)))
    doc.table(rows, widths=(70, 20, 20, 22, 30, 18), align=("LEFT",) + ("RIGHT",) * 5)
    note = loc.t("report.categories_note", revenue=loc.share(cover["coverage_revenue"]),
                 names=loc.share(cover["coverage_names"]), other=loc.name(categories.OTHER),
                 rules=loc.tn("count.rules", len(analysis.rules)))
    if len(table) > TABLE_CATEGORIES:
        note += " " + loc.t("report.categories_shown", top=TABLE_CATEGORIES, total=len(table))
    doc.note(note)


def _segments_overview(doc: _Writer, loc: _Locale, analysis: pipeline.Analysis) -> None:
    segmentation = analysis.segmentation
    doc.page(loc.t("report.segments_heading"))
    totals = pd.DataFrame(pipeline.segment_totals(segmentation)).rename(columns={"name": "segment"})
    totals = totals[totals["customers"] > 0].pipe(loc.names, "segment")
    doc.image(loc.chart(charts.segment_share_chart(totals).properties(width=520)), max_height=110)
    bins = [segmentation.scores[letter].bins_requested for letter in "RFM"]
    grid = segments.grid_coverage(segmentation.segment_map, bins[0], bins[1], segmentation.customers,
                                  m_bins=bins[2])
    doc.image(loc.chart(charts.rf_grid_heatmap(loc.names(grid, "segment")).properties(width=520)), max_height=125)
    doc.note(loc.t("report.grid_note"))


def _segment_table(doc: _Writer, loc: _Locale, analysis: pipeline.Analysis, table: pd.DataFrame) -> None:
    doc.page(loc.t("report.segment_table_heading"))
    rows = [(loc.t("common.segment"), loc.t("report.col_rule"), loc.t("common.customers"),
             loc.t("report.col_pct_customers"), loc.money_label(loc.t("common.revenue")),
             loc.t("report.col_pct_revenue"), loc.money_label(loc.t("report.col_aov")), loc.t("report.col_recency"),
             loc.t("report.col_repeat"), loc.t("export.col.category_1"))]
    for row in table.itertuples(index=False):
        rows.append((loc.name(row.segment), row.rule, loc.number(row.customers), loc.share(row.share_customers),
                     loc.number(row.revenue), loc.share(row.share_revenue), loc.number(row.aov),
                     loc.number(row.median_recency_days), loc.share(row.repeat_share),
                     "" if pd.isna(row.category_1) else loc.name(row.category_1)))
    # widths (mm) fit the longest header word in either language, so that no word is split
    doc.table(rows, widths=(26, 17.5, 17.5, 16, 17, 15, 15, 19.5, 18.5, 18), align=("LEFT", "LEFT") + ("RIGHT",) * 7
              + ("LEFT",), size=7)
    doc.note(loc.t("report.segment_table_note"))
    doc.heading(loc.t("report.scores_heading"), size=11)
    scores = analysis.segmentation.scores
    levels = sorted({s for result in scores.values() for s in result.labels}, reverse=True)
    rows = [(loc.t("segments.score"), loc.t("report.col_r"), loc.t("report.col_f"), loc.t("report.col_m"))]
    for level in levels:
        rows.append((str(level), *(scores[letter].labels.get(level, "–") for letter in "RFM")))
    doc.table(rows, widths=(16, 50, 40, 50), align=("CENTER", "LEFT", "LEFT", "LEFT"))
    notes = [note + "." for note in (score_note(result, loc.lang) for result in scores.values()) if note]
    doc.note(" ".join(notes + [loc.t("report.recency_to", date=loc.date(analysis.segmentation.analysis_date))]))


def score_note(result: ScoreResult, lang: str = "en") -> str:
    """One metric's scoring note in ``lang`` (no final full stop): which bins merged because equal values cannot
    be split, or which scores no customer got; ``""`` when there is nothing to say."""
    if result.merged:
        used = ", ".join(f"{score}: {label}" for score, label in sorted(result.labels.items()))
        return i18n.t("segments.note_merged", lang, metric=result.metric, effective=result.bins_effective,
                      requested=result.bins_requested, used=used)
    empty = [str(score) for score, count in result.counts.items() if count == 0]
    return i18n.t("segments.note_empty", lang, metric=result.metric, scores=", ".join(empty)) if empty else ""


def _recommendations(doc: _Writer, loc: _Locale, table: pd.DataFrame) -> None:
    doc.page(loc.t("report.recommendations_heading"))
    doc.text(loc.t("report.recommendations_intro", skip=loc.t("export.verdict_skip")), size=9.5, space=3)
    for row in table.itertuples(index=False):
        verdict = loc.t("export.verdict_skip") if row.skip == "skip" else loc.t("export.verdict_mail")
        doc.heading(loc.t("report.recommendation_heading", segment=loc.name(row.segment),
                          customers=loc.tn("count.customers", row.customers), share=loc.share(row.share_revenue),
                          verdict=verdict), size=11, space=1)
        when = loc.t("report.when", months=row.send_months, weekday=row.weekday)
        when = "" if when in row.recommendation else f"{when} "        # the default texts say it already
        doc.text(f"{when}{loc.t('report.top_categories', categories=_categories_text(loc, row))}", size=9,
                 color=_GREY, space=1)
        doc.text(row.recommendation, size=9.5, space=3)


def _categories_text(loc: _Locale, row) -> str:
    parts = []
    for i in (1, 2, 3):
        name, share = getattr(row, f"category_{i}"), getattr(row, f"category_{i}_share")
        if not pd.isna(name):
            parts.append(f"{loc.name(name)} ({loc.share(share)})")
    return ", ".join(parts) or loc.t("report.no_categories")


def _p_text(loc: _Locale, p: float) -> str:
    if p is None or not math.isfinite(p):
        return "–"
    return "< " + loc.number(0.001, 3) if p < 0.001 else loc.number(p, 3)


def _tests(doc: _Writer, loc: _Locale, frame: pd.DataFrame) -> None:
    doc.page(loc.t("tests.title"))
    doc.text(loc.t("report.tests_intro"), size=9.5, space=3)
    main = frame[~frame["question"].astype(str).str.endswith("(pairwise)")]
    rows = [(loc.t("tests.col.Question"), loc.t("tests.col.Test"), loc.t("tests.p_value"), loc.t("tests.col.Effect"),
             loc.t("tests.col.Verdict"))]
    for row in main.itertuples(index=False):
        size = export.magnitude_text(row.magnitude, loc.lang)
        effect = "–" if not math.isfinite(row.effect) else f"{row.effect_size} {loc.number(row.effect, 2)} ({size})"
        p = row.p_adjusted if math.isfinite(row.p_adjusted) else row.p_value
        rows.append((row.question, row.test, _p_text(loc, p), effect, row.verdict))
    doc.table(rows, widths=(36, 25, 20, 28, 71), align=("LEFT", "LEFT", "RIGHT", "LEFT", "LEFT"), size=7.5)
    pairwise = len(frame) - len(main)
    if pairwise:
        doc.note(loc.t("report.pairwise_note", n=loc.number(pairwise), sheet=loc.t("export.sheet.tests")))


def _quality(doc: _Writer, loc: _Locale, analysis: pipeline.Analysis, settings: Settings) -> None:
    report = analysis.prepared.report
    doc.page(loc.t("report.quality_heading"))
    doc.text(loc.t("report.quality_kept", kept=loc.number(report.kept_rows), total=loc.number(report.input_rows),
                   dropped=loc.number(report.input_rows - report.kept_rows)), size=9.5, space=2)
    table = export.quality_table(analysis, loc.lang)
    shown = table[(table["rows"] > 0) | table["reason"].isin(["input", "kept"])]
    rows = [(loc.t("common.lines"), loc.t("export.col.count"), loc.t("common.share"))]
    rows += [(row.description, loc.number(row.rows), loc.share(row.share)) for row in shown.itertuples(index=False)]
    doc.table(rows, widths=(120, 25, 20), align=("LEFT", "RIGHT", "RIGHT"))
    if report.filled_from_order:
        doc.note(loc.t("report.filled_note", n=loc.number(report.filled_from_order)))
    policy = settings.cleaning
    choices = [loc.t("report.returns_drop") if policy.returns == "drop" else loc.t("report.returns_net"),
               loc.t("report.duplicates_drop") if policy.drop_exact_duplicates else loc.t("report.duplicates_keep"),
               loc.t("report.repeated_latest") if policy.dedupe_order_lines else loc.t("report.repeated_all"),
               loc.t("report.shared_drop") if policy.drop_shared_orders else loc.t("report.shared_keep"),
               loc.t("report.quantity_none") if policy.quantity_limit is None
               else loc.t("report.quantity_limit", limit=loc.number(policy.quantity_limit))]
    doc.heading(loc.t("report.cleaning_heading"), size=11)
    doc.bullets(choices, size=9)
    doc.note(loc.t("report.settings_note"))
