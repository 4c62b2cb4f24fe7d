"""App benchmark: seconds to open each page, and to rerun it unchanged, on an upload of N generated lines; prints
one JSON object.

What a user waits for in the browser, less the network and drawing: the home page after the upload (read, map,
clean, figures), then each page of the menu in order, first as the user switches to it (its own stages computed,
earlier ones from the cache) and then rerun with nothing changed (every stage from the cache: should be well under
a second). Runs the pages with Streamlit's AppTest in this process, caches cleared first.
Usage: ``python benchmarks/app_pages.py [--rows 1000000]``.
"""
from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sample_data.generate import generate  # noqa: E402
from ui.state import PAGES  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    text = io.StringIO()
    generate(rows=args.rows).to_csv(text, index=False)
    data = text.getvalue().encode()
    st.cache_data.clear()
    st.cache_resource.clear()
    app = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=900).run()

    clock = time.perf_counter()
    app.file_uploader(key="orders_file").set_value(("orders.csv", data, "text/csv"))
    app.run()
    pages = {"Home (upload)": {"open": round(time.perf_counter() - clock, 2)}}
    problems = [element.value for element in [*app.exception, *app.error]]
    for script, _, _ in PAGES:
        if not script.startswith("pages/"):
            continue
        clock = time.perf_counter()
        app.switch_page(script).run()
        opened = time.perf_counter() - clock
        clock = time.perf_counter()
        app.run()
        pages[Path(script).stem] = {"open": round(opened, 2), "rerun": round(time.perf_counter() - clock, 2)}
        problems += [str(element.value) for element in [*app.exception, *app.error]]
    print(json.dumps({"rows": args.rows, "csv_mb": round(len(data) / 2**20, 1), "seconds": pages,
                      "errors": problems}, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
