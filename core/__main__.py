"""Command-line interface: ``python -m core summary INPUT [--settings S.json] [--map field=Column ...]
[--sheet NAME]`` and ``python -m core export INPUT --out FILE.xlsx [--pdf FILE.pdf] [--mailing-list SEGMENT ...]
[--settings S.json] [--rules R.csv] [--map field=Column ...] [--sheet NAME] [--lang en|ru] [--currency SIGN]
[--clusters K [--seed S] [--category-shares]] [--clv DAYS [--time-unit W|D] [--discount PERCENT]
[--margin PERCENT]]`` (the app's workbook; prints the files and sheets written as JSON). ``--map`` columns are
typed, so a header that appears twice with different values is refused there (``Amount (1)`` and ``Amount (2)``
name each); ``--sheet`` picks the workbook's sheet (default: the first that holds a table). The exports' language
and currency sign come from the settings file (``ui_language``, ``currency``) unless ``--lang`` / ``--currency``
say otherwise; the summary's JSON never depends on them. Mailing lists, cluster and CLV choices come from the
settings file too (``mailing_lists``, ``clusters``, ``forecast``), each flag overriding its value, so a settings
file saved by the app gives the app's workbook.

Contract (tested): one JSON object on stdout and exit 0; or exit 2 with a single line ``error: ...`` on
stderr for bad input or bad options — never a traceback.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import warnings
from pathlib import Path

from core import i18n, pipeline
from core.categories import rules_from_csv
from core.errors import InputError
from core.formatting import CURRENCIES, NO_CURRENCY, currency_for
from core.io import FIELDS
from core.settings import ClusterChoices, ForecastChoices, Settings

EXIT_BAD_INPUT = 2
CURRENCY_OPTIONS = {"auto": "", NO_CURRENCY: NO_CURRENCY, **{sign: sign for sign in CURRENCIES},
                    "RUB": "₽", "GBP": "£", "USD": "$", "EUR": "€"}
"""``--currency`` values -> the settings' currency choice ("" = automatic; ISO codes for shells without ₽)."""
SHEET_HELP = "the sheet of an .xlsx input to read (default: the first sheet that holds a table)"
MAP_HELP = (f"map a field ({', '.join(FIELDS)}) to a source column; repeatable; of two columns with the same header "
            "'Amount (1)' is the first and 'Amount (2)' the second")


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one ``error:`` line (exit 2) instead of the multi-line usage."""

    def error(self, message: str) -> None:  # noqa: D102 - argparse hook
        raise InputError(f"{message} (see {self.prog} --help)")


def _parse_map(items: list[str]) -> dict[str, str]:
    mapping = {}
    for item in items:
        field, sep, column = item.partition("=")
        field = field.strip()
        if not sep or field not in FIELDS:
            raise InputError(f"--map expects field=Column with a field among {', '.join(FIELDS)}, got {item!r}")
        mapping[field] = column
    return mapping


def _read_settings(path: str | None, map_items: list[str], sheet: str | None) -> Settings:
    settings = Settings()
    if path:
        settings = Settings.from_json(_read_bytes(path, "settings file"))
    if map_items:
        settings = dataclasses.replace(settings, mapping={**settings.mapping, **_parse_map(map_items)})
    if sheet is not None:
        settings = dataclasses.replace(settings, sheet=sheet)
    return settings


def _read_bytes(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"{what} not found: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{what} is a folder, not a file: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror}") from None


def _settings(args: argparse.Namespace) -> Settings:
    """Settings from --settings, then --rules, --map and --sheet on top."""
    settings = _read_settings(args.settings, args.map, args.sheet)
    if args.rules:
        settings = dataclasses.replace(settings, rules=rules_from_csv(_read_bytes(args.rules, "rules file")))
    return settings


def _summary(args: argparse.Namespace) -> dict:
    """Order lines with the pandas (default) or the Spark engine, or a customer table (--input-kind customers, or
    auto-detected by its columns: customer_id, first_purchase, last_purchase, orders, revenue)."""
    from core import customer_table
    settings = _settings(args)
    kind = args.input_kind
    if kind == "auto":
        columns = customer_table.sniff_columns(args.input)
        kind = "customers" if columns and customer_table.looks_like_customer_table(columns) else "orders"
    if kind == "customers":
        read = customer_table.read(_read_bytes(args.input, "input file"), Path(args.input).name, settings.sheet)
        segmentation = pipeline.segment_customer_table(read.customers, settings)
        return pipeline.customer_table_summary(read.source, read.customers, segmentation)
    if args.engine == "spark":
        from core import spark_engine  # reads the file in Spark, never whole into memory here
        return spark_engine.summary(spark_engine.run_file(args.input, settings, typed=_typed(args)))
    analysis = pipeline.run(_read_bytes(args.input, "input file"), Path(args.input).name, settings, _typed(args))
    return pipeline.summary(analysis)


def _typed(args: argparse.Namespace) -> set[str]:
    """The fields whose column was typed with --map (see ``core.io.resolve_mapping``)."""
    return set(_parse_map(args.map))


def _writable(path: str, what: str) -> Path:
    """``path`` as a file that can be created or replaced: its folder must exist; raise InputError otherwise."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{what} is a folder, not a file: {path}")
    if not target.parent.is_dir():
        raise InputError(f"cannot write {what} {path}: the folder {target.parent} does not exist")
    return target


def _write_atomically(target: Path, what: str, write) -> None:
    """Call ``write(file)`` on a temporary file beside ``target``, then move it into place (never half a file)."""
    import os
    import tempfile
    try:
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as exc:
        raise InputError(f"cannot write {what} {target}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as file:
            write(file)
        os.replace(temporary, target)
    except OSError as exc:
        raise InputError(f"cannot write {what} {target}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _export(args: argparse.Namespace) -> dict:
    """Write the app's Excel workbook (and with --pdf the PDF report); print what was written as JSON."""
    from core import export
    out = _writable(args.out, "workbook")
    pdf_out = _writable(args.pdf, "PDF report") if args.pdf else None
    settings = _with_choice_flags(args, _settings(args))
    analysis = pipeline.run(_read_bytes(args.input, "input file"), Path(args.input).name, settings, _typed(args))
    lang, currency = _export_locale(args, settings, analysis)
    settings = _with_mailing_lists(args, settings, analysis, lang)
    extra, computed = _extra_columns(analysis, settings, lang)
    info = {}
    _write_atomically(out, "workbook", lambda file: info.update(book=export.write_workbook(
        file, analysis, settings, extra=extra, mailing_segments=settings.mailing_lists, lang=lang,
        currency=currency)))
    result = {"workbook": str(out), "sheets": list(info["book"].sheets),
              "customers": int(len(analysis.segmentation.customers)), **computed}
    if pdf_out is not None:
        from core import report
        document = report.report_pdf(analysis, settings, currency=currency, lang=lang)
        _write_atomically(pdf_out, "PDF report", lambda file: file.write(document))
        result["pdf"] = str(pdf_out)
    return result


_CHOICE_FLAGS = {
    "clusters": (ClusterChoices, "clusters", {"clusters": "k", "seed": "seed", "category_shares": "category_shares"}),
    "forecast": (ForecastChoices, "clv", {"clv": "horizon_days", "time_unit": "time_unit",
                                         "discount": "monthly_discount_percent", "margin": "margin_percent"}),
}
"""Settings field -> (its choices class, the option that turns it on, option dest -> choices field)."""


def _flag(dest: str) -> str:
    return "--" + dest.replace("_", "-")


def _with_choice_flags(args: argparse.Namespace, settings: Settings) -> Settings:
    """The settings with the export's cluster and forecast options on top, each overriding the settings file's
    value: ``--clusters`` / ``--clv`` add clusters / the forecast when the settings have none; the other options
    only refine what is on (alone they are an error). Each value is checked alone, so an error names its option."""
    changes = {}
    for field, (choices, switch, fields) in _CHOICE_FLAGS.items():
        given = {dest: getattr(args, dest) for dest in fields if getattr(args, dest) is not None}
        current = getattr(settings, field)
        if current is None and switch not in given:
            if given:
                raise InputError(f"{_flag(next(iter(given)))} needs {_flag(switch)} (or {field!r} in the settings "
                                 "file)")
            continue
        for dest, value in given.items():
            try:
                choices(**{fields[dest]: value})
            except InputError as exc:
                raise InputError(f"{_flag(dest)} {value}: {str(exc).removeprefix('settings: ')}") from None
        changes[field] = dataclasses.replace(current or choices(), **{fields[d]: v for d, v in given.items()})
    return dataclasses.replace(settings, **changes)


def _with_mailing_lists(args: argparse.Namespace, settings: Settings, analysis: pipeline.Analysis,
                        lang: str) -> Settings:
    """The settings with ``--mailing-list``'s segments (names inside or as shown in ``lang``) as their mailing
    lists when given, each of which must have customers; else the settings' own lists (a segment without
    customers there gets no sheet, as in the app)."""
    if not args.mailing_list:
        return settings
    mailing = [i18n.segment_key(name, lang) for name in args.mailing_list]     # "Чемпионы" -> "Champions"
    unknown = sorted(set(mailing) - set(analysis.segmentation.customers["segment"].astype(str)))
    if unknown:
        raise InputError(f"--mailing-list: no customer is in segment {unknown[0]!r}; segments with customers: "
                         f"{', '.join(map(str, analysis.segmentation.customers['segment'].unique()))}")
    return dataclasses.replace(settings, mailing_lists=tuple(dict.fromkeys(mailing)))


def _extra_columns(analysis: pipeline.Analysis, settings: Settings, lang: str):
    """(the Customers sheet's cluster and CLV columns, what was computed) for the settings' cluster and forecast
    choices, computed as the Clusters and Forecast pages do (``core.clustering.fit_chosen``,
    ``core.clv.forecast_columns``; ``None`` and ``{}`` without either). What was computed goes into the printed
    JSON: ``clusters`` (the number of clusters fitted, the suggested one for k = 0) and ``clv_horizon_days``."""
    import pandas as pd
    parts, computed = [], {}
    if settings.clusters is not None:
        from core import clustering
        model, labels = clustering.fit_chosen(analysis.segmentation.customers, analysis.lines, settings.clusters)
        parts.append(clustering.export_columns(labels, model, lang))
        computed["clusters"] = model.k
    if settings.forecast is not None:
        from core import clv
        try:
            parts.append(clv.forecast_columns(analysis.prepared.orders, analysis.segmentation.analysis_date,
                                              settings.forecast, lang))
        except InputError as exc:
            raise InputError(f"CLV forecast: {exc}") from None
        computed["clv_horizon_days"] = settings.forecast.horizon_days
    return (pd.concat(parts, axis=1) if parts else None), computed


def _export_locale(args: argparse.Namespace, settings: Settings, analysis: pipeline.Analysis) -> tuple[str, str]:
    """(language, currency sign) of the exports: ``--lang``, else the settings' ``ui_language``, else English;
    ``--currency``, else the settings' ``currency``, an automatic choice being ₽ for Russian product names and no
    sign otherwise (``core.formatting.currency_for``); ``""`` = no sign."""
    lang = args.lang or settings.ui_language or i18n.DEFAULT_LANGUAGE
    choice = settings.currency if args.currency is None else CURRENCY_OPTIONS[args.currency]
    return lang, currency_for(choice, pipeline.effective_language(settings, analysis.lines))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m core", description="Customer segmentation pipeline for order exports.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    summary = commands.add_parser("summary", help="read, clean and summarise an order export as JSON")
    summary.add_argument("input", help="CSV or XLSX order export")
    summary.add_argument("--settings", help="settings JSON saved by the app")
    summary.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                         help=MAP_HELP)
    summary.add_argument("--rules", help="category rules CSV (keyword, category, mode, enabled)")
    summary.add_argument("--sheet", metavar="NAME", help=SHEET_HELP)
    summary.add_argument("--engine", choices=("pandas", "spark"), default="pandas",
                         help="run cleaning, orders and customers with pandas (default) or PySpark in local mode "
                              "(pip install -r requirements-spark.txt; needs Java 17+)")
    summary.add_argument("--input-kind", choices=("auto", "orders", "customers"), default="auto",
                         help="order lines, or a customer table (customer_id, first_purchase, last_purchase, "
                              "orders, revenue, optional spend_<category>; CSV, XLSX or Parquet) to score as is; "
                              "auto (default): a customer table when those columns are there")
    summary.set_defaults(handler=_summary)
    export = commands.add_parser(
        "export", help="write the segments workbook (Excel) and optionally the PDF report",
        description="Write the segments workbook (Excel) and optionally the PDF report, in the language and with "
                    "the currency sign of the settings file (ui_language, currency) unless --lang or --currency "
                    "say otherwise. Russian exports have Russian sheet names, headers and texts, dd.mm.yyyy dates "
                    "and 1 234 567,89 ₽ figures in the PDF; Excel shows the workbook's numbers with the reader's "
                    "own separators.")
    export.add_argument("input", help="CSV or XLSX order export")
    export.add_argument("--out", required=True, metavar="FILE.xlsx", help="the workbook to write")
    export.add_argument("--pdf", metavar="FILE.pdf", help="also write the PDF report")
    export.add_argument("--mailing-list", action="append", default=[], metavar="SEGMENT",
                        help="add a sheet with the customers of this segment (its name as in the summary, e.g. "
                             "Champions, or as shown in the export's language); repeatable (default: the settings' "
                             "mailing_lists)")
    export.add_argument("--settings", help="settings JSON saved by the app")
    export.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                        help=MAP_HELP)
    export.add_argument("--rules", help="category rules CSV (keyword, category, mode, enabled)")
    export.add_argument("--sheet", metavar="NAME", help=SHEET_HELP)
    export.add_argument("--lang", choices=i18n.LANGUAGES,
                        help="language of the workbook and the report (default: the settings' ui_language, else "
                             "en)")
    export.add_argument("--currency", choices=list(CURRENCY_OPTIONS), metavar="SIGN",
                        help=f"currency sign of money amounts: {', '.join(CURRENCY_OPTIONS)} (default: the settings' "
                             "currency; auto = ₽ for Russian product names, else none)")
    export.add_argument("--clusters", type=int, metavar="K",
                        help="add each customer's cluster, found as on the Clusters page (k-means on recency, "
                             "frequency and spend): K clusters (2 to 8), or 0 for the number with the best "
                             "silhouette, the app's default (default: the settings' clusters, else none)")
    export.add_argument("--seed", type=int, metavar="S",
                        help="seed of the clusters; the same seed gives the same clusters (default: the settings', "
                             "else 0)")
    export.add_argument("--category-shares", action=argparse.BooleanOptionalAction,
                        help="also cluster on each customer's spend share per category (default: the settings', "
                             "else no)")
    export.add_argument("--clv", type=int, metavar="DAYS",
                        help="add each customer's P(alive), expected orders, expected order value and CLV over the "
                             "next DAYS days (90, 180 or 365), forecast as on the Forecast page (default: the "
                             "settings' forecast, else none)")
    export.add_argument("--time-unit", metavar="W|D",
                        help="time unit of the CLV models: W (weeks) or D (days) (default: the settings', else W)")
    export.add_argument("--discount", type=float, metavar="PERCENT",
                        help="monthly discount rate of the CLV in percent, 0 to 10 (default: the settings', else 0)")
    export.add_argument("--margin", type=int, metavar="PERCENT",
                        help="share of revenue that is profit, in percent, 1 to 100; 100 gives CLV in revenue "
                             "(default: the settings', else 100)")
    export.set_defaults(handler=_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        with warnings.catch_warnings():  # library warnings would break the one-line stderr contract
            warnings.simplefilter("ignore")
            args = build_parser().parse_args(argv)
            result = args.handler(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - the contract: one error line, never a traceback
        # Anything a malformed file can still trigger deep in a parser must not become a traceback.
        details = str(exc).splitlines()[0] if str(exc).strip() else "no details"
        print(f"error: could not process the input ({type(exc).__name__}: {details}); check that it is an order "
              "export (CSV or .xlsx), and if it is, report this message with the file", file=sys.stderr)
        return EXIT_BAD_INPUT
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def run_and_exit(argv: list[str] | None = None) -> None:
    """Run :func:`main` and end the process with its exit code at once, after flushing the output.

    Arrow's native thread pools (the CSV and Parquet readers) can abort a normal interpreter shutdown with
    "terminate called without an active exception" (exit -6 instead of 0 or 2; apache/arrow#34314), which would
    break the exit-code contract. Everything the CLI opens is closed by then (a Spark session is stopped by
    ``core.spark_engine.run_file``), so skipping the interpreter's teardown loses nothing."""
    code = main(argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run_and_exit()
