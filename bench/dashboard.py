"""Benchmark of ``wkus dashboard``: how soon the explorer is usable in a browser.

On the pilot demo data, in a headless Chromium (Debian's ``chromium``, driven
by Playwright):

(a) first page — from starting ``wkus dashboard`` to the first page being
    usable: the gmina selector shown and the headline value of the chosen
    gmina filled in (also: when the server first accepts a connection);
(b) new pages — a new page (tab) of the same browser opened on the same
    server, from the request to usable. ``--pages`` pages are opened one after another
    right away, then the same number again each after ``--pause`` seconds
    (each page gets a new kernel, forked from the pre-imported process).

Every request the pages make is checked: one to any host but the local
server counts as a failure. The load average is recorded: on a shared
machine it explains noisy figures. Not part of the test suite (the project
measures performance here, never in timed tests): run
``.venv/bin/python bench/dashboard.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from wkus_lib.demo import write_demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
GMINA_SELECT = ".wkus-gmina select"
VALUE = ".wkus-explore-headline-box .wkus-explore-value"
TIMEOUT_MS = 180_000


def _printed_address(process: subprocess.Popen[bytes], log: Path) -> str:
    """The address with the token that ``wkus dashboard`` prints first."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        found = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", log.read_text())
        if found:
            return found.group(0)
        if process.poll() is not None:
            sys.exit(f"wkus dashboard exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.05)
    sys.exit(f"wkus dashboard printed no address:\n{log.read_text()}")


def _listening_after(url: str, server: subprocess.Popen[bytes], started: float) -> float:
    """Seconds from ``started`` until the server accepts connections (before any kernel is ready)."""
    address = urlsplit(url)
    while server.poll() is None:
        try:
            with socket.create_connection((address.hostname, address.port), timeout=1):
                return time.monotonic() - started
        except OSError:
            time.sleep(0.05)
    sys.exit(f"wkus dashboard exited with {server.returncode}")


def _usable_after(page: Any, url: str) -> float:
    """Seconds from asking for ``url`` until the gmina selector and the headline value show."""
    start = time.monotonic()
    page.goto(url, timeout=TIMEOUT_MS, wait_until="commit")
    page.wait_for_selector(GMINA_SELECT, state="visible", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "s => { const e = document.querySelector(s); return e && e.textContent.trim() !== ''; }",
        arg=VALUE, timeout=TIMEOUT_MS)
    return time.monotonic() - start


def _page(context: Any, foreign: list[str]) -> Any:
    """A new page whose requests to any host but the local server are recorded and refused."""
    page = context.new_page()

    def check(route: Any) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith("data:") or host in LOCAL_HOSTS:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", check)
    return page


def measure(store_dir: Path, pages: int, pause: float, log: Path) -> dict[str, Any]:
    """Start the dashboard, open its first page, then new pages; the figures in seconds."""
    from playwright.sync_api import sync_playwright

    foreign: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        # One browser profile for every page, as a user's browser: files it already has
        # (Voilà's scripts) come from its cache.
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        started = time.monotonic()
        with log.open("wb") as sink:
            server = subprocess.Popen(
                [sys.executable, "-m", "wkus_lib.cli", "dashboard", "--store", str(store_dir),
                 "--port", str(_free_port()), "--no-browser"],
                stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            url = _printed_address(server, log)
            listening = _listening_after(url, server, started)
            first_page = _page(context, foreign)
            _usable_after(first_page, url)
            first = time.monotonic() - started
            at_once = []
            for _ in range(pages):
                page = _page(context, foreign)
                at_once.append(_usable_after(page, url))
                page.close()
            paused = []
            for _ in range(pages):
                time.sleep(pause)
                page = _page(context, foreign)
                paused.append(_usable_after(page, url))
                page.close()
            first_page.close()
        finally:
            if server.poll() is None:
                os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
            browser.close()
    return {"server_answers_s": round(listening, 2), "first_page_s": round(first, 2),
            "new_pages_at_once_s": [round(x, 2) for x in at_once],
            "new_pages_after_pause_s": [round(x, 2) for x in paused],
            "pause_s": pause, "foreign_requests": foreign}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=3, help="new pages in each series")
    parser.add_argument("--pause", type=float, default=20.0,
                        help="seconds before each page of the second series")
    parser.add_argument("--json", action="store_true", help="print the figures on one line")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"Chromium is not installed ({CHROMIUM}): scripts/install-system-deps.sh")
    load_before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_demo(root / "raw", root / "store", seed=2024)
        try:
            figures = measure(root / "store", args.pages, args.pause, root / "dashboard.log")
        except Exception:
            log = (root / "dashboard.log").read_text(errors="replace")
            print(f"wkus dashboard log (end):\n{log[-6000:]}", file=sys.stderr)
            raise
    figures["load_before"] = load_before
    figures["load_after"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(json.dumps(figures, indent=None if args.json else 2, ensure_ascii=False))
    if figures["foreign_requests"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
