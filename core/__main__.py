"""Command-line interface: ``python -m core summary INPUT [--settings S.json] [--map field=Column ...]``.

Contract (tested): one JSON object on stdout and exit 0; or exit 2 with a single line ``error: ...`` on
stderr for bad input or bad options — never a traceback.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from core import pipeline
from core.categories import rules_from_csv
from core.errors import InputError
from core.io import FIELDS
from core.settings import Settings

EXIT_BAD_INPUT = 2


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


def _read_settings(path: str | None, map_items: list[str]) -> Settings:
    settings = Settings()
    if path:
        settings = Settings.from_json(_read_bytes(path, "settings file"))
    if map_items:
        settings = dataclasses.replace(settings, mapping={**settings.mapping, **_parse_map(map_items)})
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
    """Settings from --settings, then --rules and --map on top."""
    settings = _read_settings(args.settings, args.map)
    if args.rules:
        settings = dataclasses.replace(settings, rules=rules_from_csv(_read_bytes(args.rules, "rules file")))
    return settings


def _summary(args: argparse.Namespace) -> dict:
    settings = _settings(args)
    analysis = pipeline.run(_read_bytes(args.input, "input file"), Path(args.input).name, settings)
    return pipeline.summary(analysis)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m core", description="Customer segmentation pipeline for order exports.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    summary = commands.add_parser("summary", help="read, clean and summarise an order export as JSON")
    summary.add_argument("input", help="CSV or XLSX order export")
    summary.add_argument("--settings", help="settings JSON saved by the app")
    summary.add_argument("--map", action="append", default=[], metavar="FIELD=COLUMN",
                         help=f"map a field ({', '.join(FIELDS)}) to a source column; repeatable")
    summary.add_argument("--rules", help="category rules CSV (keyword, category, mode, enabled)")
    summary.set_defaults(handler=_summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        result = args.handler(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (MemoryError, RecursionError, ValueError, TypeError, KeyError, IndexError, OSError) as exc:
        # Anything a malformed file can still trigger deep in a parser must not become a traceback.
        print(f"error: could not process the input ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no details'})",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    json.dump(result, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
