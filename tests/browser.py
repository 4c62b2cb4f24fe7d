"""Browser test support: a Streamlit server on a free port and Debian Chromium driven by Playwright.

Playwright's own browser download is not used (no network); the suite drives ``/usr/bin/chromium``. Without a
browser the tests are skipped with a loud reason, except under CI (``CI`` set), where that is a failure.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import REPO, unavailable

ARTIFACTS = REPO / "test-artifacts"
VIEWPORT = {"width": 1400, "height": 1000}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def chromium_path() -> str:
    """The Chromium executable, or skip (fail under CI) with the reason."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        unavailable("NO BROWSER: Debian chromium not found; browser end-to-end tests did not run")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server():
    """Start the app headless on a free loopback port; yields its base URL; stops it afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", str(REPO / "streamlit_app.py"), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false"]
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def wait_idle(page, timeout: int = 60_000) -> None:
    """Wait until the Streamlit script has finished running (``data-test-script-state`` = notRunning)."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)


def settle(page) -> None:
    """Wait for the rerun a widget change or a click starts to finish."""
    page.wait_for_timeout(400)
    wait_idle(page)


@contextmanager
def session(browser, url: str, locale: str = "en-US"):
    """A page in a new browser context (its own cookies, so its own Streamlit session) on the home page, the
    browser's language ``locale``; the context is closed afterwards."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale=locale)
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(url + "/")
        wait_idle(page)
        yield page
    finally:
        context.close()


def upload(page, path: Path) -> None:
    """Upload ``path`` on the home page and wait until the sidebar names it and the rerun is over."""
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(path))
    expect(page.locator("[data-testid='stSidebar']")).to_contain_text(path.name)
    settle(page)


def go_to(page, name: str) -> None:
    """Click the sidebar menu link ``name`` (drawn by ``ui.state.sidebar``)."""
    page.locator("[data-testid='stSidebar'] [data-testid='stPageLink-NavLink']", has_text=name).first.click()
    settle(page)


def metric(page, label: str):
    """The value of the metric labelled ``label`` (the last one: a rerun may still show the stale one above)."""
    return page.locator("[data-testid='stMetric']", has_text=label).last.locator("[data-testid='stMetricValue']")


def grid_rows(frame) -> list[list[str]]:
    """The text of an ``st.dataframe``'s rows, header first, from the accessible table the grid keeps beside
    its canvas (raw values: ``117``, ``0.0589``; only the rows in view, so give the grid the height of its rows)."""
    script = "f => Array.from(f.querySelectorAll('table tr'), r => Array.from(r.children, c => c.textContent))"
    return frame.evaluate(script)


def poll(read, expected, timeout: float = 30):
    """``read()`` until it returns ``expected`` or ``timeout`` seconds pass; returns the last value read (assert
    on it, so a mismatch shows what the page had)."""
    deadline = time.monotonic() + timeout
    while (value := read()) != expected and time.monotonic() < deadline:
        time.sleep(0.25)
    return value


def wait_rendered(page) -> None:
    """Wait until every visible grid has drawn its canvas and every visible chart its marks (a screenshot taken
    earlier shows empty skeletons)."""
    for frame in page.locator("[data-testid='stDataFrame']").filter(visible=True).all():
        expect(frame.locator("canvas").first).to_be_attached()
    for chart in page.locator("[data-testid='stVegaLiteChart']").filter(visible=True).all():
        expect(chart.locator("canvas, svg").first).to_be_visible()
    page.wait_for_timeout(200)


def screenshot(page, name: str) -> Path:
    """The whole page as ``test-artifacts/<name>.png``. Streamlit scrolls inside ``stMain``, so ``full_page`` alone
    gives the viewport: the viewport is made as tall as the main container's content, then restored."""
    wait_rendered(page)
    size = page.viewport_size
    content = "() => document.querySelector(\"[data-testid='stMain']\").scrollHeight"
    height = page.evaluate(content)
    if height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": height})
        page.wait_for_timeout(300)
        wait_rendered(page)
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
