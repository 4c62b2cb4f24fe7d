"""Set up and run the project with nothing but Python 3.11+ installed.

    python3 scripts/dev.py app      # install requirements into .venv, start the app on the sample data
    python3 scripts/dev.py test     # install dev requirements (+ Debian chromium when missing), run all tests

Extra arguments go to streamlit or pytest (``python3 scripts/dev.py test -k io``). Requirements are installed
again only when a requirements file changed.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
CHROMIUM = Path("/usr/bin/chromium")
EMOJI_FONT = Path("/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf")
DEBIAN_TEST_PACKAGES = {            # package -> is it there already?
    "chromium": CHROMIUM.exists,                                  # browser tests
    "poppler-utils": lambda: shutil.which("pdftotext") is not None,   # PDF checks
    "fonts-noto-color-emoji": EMOJI_FONT.exists,                  # the menu's icons in the screenshots
}


def ensure_venv(requirements: str) -> None:
    """Create .venv and install ``requirements`` unless the same files were installed before."""
    if not PYTHON.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    files = sorted(ROOT.glob("requirements*.txt"))
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files) + requirements.encode()).hexdigest()
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    run([str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r",
         str(ROOT / requirements)])
    stamp.write_text(digest)


def ensure_debian_packages() -> None:
    """Install Debian's chromium (browser tests), poppler-utils (PDF checks) and the emoji font (the menu's icons
    in the browser tests' screenshots) when missing and we can."""
    missing = [package for package, present in DEBIAN_TEST_PACKAGES.items() if not present()]
    if not missing or not shutil.which("apt-get"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(sudo + ["apt-get", "update", "-qq"], env=env)
    run(sudo + ["apt-get", "install", "-y", "-qq", *missing], env=env)


def run(command: list[str], **kwargs) -> None:
    result = subprocess.run(command, cwd=ROOT, **kwargs)
    if result.returncode:
        sys.exit(result.returncode)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("app", "test"):
        print(__doc__)
        return 2
    command, extra = argv[0], argv[1:]
    if command == "app":
        ensure_venv("requirements.txt")
        os.execv(str(PYTHON), [str(PYTHON), "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"), *extra])
    ensure_venv("requirements-dev.txt")
    ensure_debian_packages()
    return subprocess.run([str(PYTHON), "-m", "pytest", *extra], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
