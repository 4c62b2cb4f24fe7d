"""Export benchmark: ``python benchmarks/export.py --customers 100000`` prints one JSON object.

Generates a synthetic home-goods export with the sample-data generator (seeded), runs the pipeline on it, then
times the workbook (all sheets plus two mailing lists), the customers CSV and, with ``--pdf``, the PDF report.
The workbook is read back with openpyxl (read-only) to check that every customer row and column arrived.
Timings are wall-clock seconds on this machine (``workbook_cpu``: CPU seconds of the workbook, which a busy
machine does not inflate); peak RSS in MB.
"""
from __future__ import annotations

import argparse
import io
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import export, pipeline  # noqa: E402
from core.settings import Settings  # noqa: E402
from sample_data.generate import generate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--pdf", action="store_true", help="also time the PDF report")
    args = parser.parse_args()

    frame = generate(customers=args.customers, seed=args.seed)
    data = frame.to_csv(index=False).encode("utf-8")
    settings = Settings()
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    analysis = pipeline.run(data, "orders.csv", settings)
    seconds["pipeline"] = round(time.perf_counter() - start, 3)

    start, cpu = time.perf_counter(), time.process_time()
    workbook = export.workbook_bytes(analysis, settings, mailing_segments=["Champions", "At Risk"])
    seconds["workbook"] = round(time.perf_counter() - start, 3)
    seconds["workbook_cpu"] = round(time.process_time() - cpu, 3)

    start = time.perf_counter()
    table = export.customers_table(analysis)
    csv = export.customers_csv(table)
    seconds["csv"] = round(time.perf_counter() - start, 3)

    pdf_pages = None
    if args.pdf:
        from core import report
        start = time.perf_counter()
        pdf = report.report_pdf(analysis, settings)
        seconds["pdf"] = round(time.perf_counter() - start, 3)
        pdf_pages = report.page_count(pdf)

    import openpyxl
    book = openpyxl.load_workbook(io.BytesIO(workbook), read_only=True)
    sheet = book["Customers"]
    rows = columns = 0
    for row in sheet.iter_rows(values_only=True):
        rows += 1
        columns = max(columns, sum(value is not None for value in row))
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"customers": len(analysis.segmentation.customers), "lines": len(analysis.lines),
                      "workbook_mb": round(len(workbook) / 2**20, 1), "csv_mb": round(len(csv) / 2**20, 1),
                      "sheets": book.sheetnames, "customer_rows_read_back": rows - 1,
                      "customer_columns_read_back": columns, "customer_columns_expected": len(table.columns),
                      "pdf_pages": pdf_pages, "seconds": seconds, "peak_rss_mb": round(peak_rss_mb)}))


if __name__ == "__main__":
    main()
