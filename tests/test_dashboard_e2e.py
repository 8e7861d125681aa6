"""`wkus dashboard` end to end: Voilà serves the explorer, a real headless Chromium drives it.

The browser is Debian's ``chromium`` (``scripts/install-system-deps.sh``
installs it), driven by Playwright with that executable: no browser
downloads. Without Chromium the browser tests skip, except in CI
(``CI=true``), where they fail. Every page the tests open refuses, and
records, any request to a host other than the local server: the dashboard
must work offline. Set ``WKUS_SAVE_SCREENSHOTS=1`` to also save the
screenshots to ``reports/screenshots/``. How fast pages open is measured by
``bench/dashboard.py``, not here.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.evaluation.indicators import compute_indicators
from wkus_lib.explore.dashboard import (
    HOST,
    TEMPLATE,
    TEMPLATE_ROOT,
    page_address,
    voila_command,
    voila_config,
    voila_environment,
    write_voila_config,
)
from wkus_lib.store import read_store
from wkus_lib.text.numbers import format_number

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
START_TIMEOUT_S = 120
PAGE_TIMEOUT_MS = 180_000
LAPY, MONKI = "2002063", "2008063"
HEADLINE = ".wkus-explore-headline-box .wkus-explore-headline"
VALUE = ".wkus-explore-headline-box .wkus-explore-value"
FIGURE = ".wkus-explore-main img"
GMINA_SELECT = ".wkus-gmina select"
CONTROLS = (".wkus-explorer .widget-dropdown, .wkus-explorer .widget-select-multiple, "
            ".wkus-explorer .widget-slider")
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _printed_address(process: subprocess.Popen[bytes], log: Path) -> str:
    """The address with the token that ``wkus dashboard`` prints first."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        found = re.search(r"http://127\.0\.0\.1:\d+/\?token=[\w-]+", log.read_text())
        if found:
            return found.group(0)
        if process.poll() is not None:
            pytest.fail(f"wkus dashboard exited with {process.returncode}:\n{log.read_text()}")
        time.sleep(0.2)
    pytest.fail(f"wkus dashboard printed no address in {START_TIMEOUT_S} s:\n{log.read_text()}")


def _wait_until_serving(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"wkus dashboard exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"wkus dashboard did not answer in {START_TIMEOUT_S} s:\n{log.read_text()}")


def _status(port: int, target: str, host: str) -> tuple[int, str]:
    """Status and ``Location`` of a plain GET to 127.0.0.1:``port`` with this ``Host`` header."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", target, headers={"Host": host})
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


def _stop_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> int:
    """Signal the dashboard's process group; kill it if it does not end. The exit status."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        return process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait()


@contextmanager
def running_dashboard(store_dir: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``wkus dashboard`` on a free port in its own process group, always stopped afterwards.

    Yields the printed address with its token (``http://127.0.0.1:PORT/?token=…``).
    """
    port = _free_port()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "wkus_lib.cli", "dashboard", "--store", str(store_dir),
             "--port", str(port), "--no-browser"],
            stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        url = _printed_address(process, log)
        _wait_until_serving(process, url, log)
        yield url, process
    finally:
        _stop_group(process, signal.SIGTERM)


_SERVER_LOGS: dict[str, Path] = {}
"""The log of each running dashboard, by its address (shown when a page does not load)."""


@pytest.fixture(scope="module")
def dashboard_url(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("dashboard") / "dashboard.log"
    with running_dashboard(demo.store_dir, log) as (url, _process):
        _SERVER_LOGS[url] = log
        yield url


def _open(page: Any, dashboard_url: str, query: str) -> Any:
    """``page.goto`` the dashboard; a page that does not load is asked once more (a new
    kernel), and if that fails too the test fails with the server's log."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    address = f"{dashboard_url}&{query}"
    try:
        return page.goto(address, timeout=PAGE_TIMEOUT_MS)
    except PlaywrightTimeout:
        try:
            return page.goto(address, timeout=PAGE_TIMEOUT_MS)
        except PlaywrightTimeout:
            log = _SERVER_LOGS[dashboard_url].read_text(encoding="utf-8", errors="replace")
            pytest.fail(f"the page did not load twice in {PAGE_TIMEOUT_MS // 1000} s; "
                        f"server log (end):\n{log[-6000:]}")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        reason = (f"Chromium is not installed ({CHROMIUM}); install the Debian package "
                  "`chromium` (scripts/install-system-deps.sh does it as root)")
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the browser test: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def foreign_requests() -> Iterator[list[str]]:
    """Requests the test's pages made to hosts other than the local server (must stay empty)."""
    refused: list[str] = []
    yield refused
    assert refused == [], f"the dashboard asked other hosts: {refused}"


def _local_page(browser: object, refused: list[str], width: int = 1200, height: int = 2000,
                ) -> object:
    """A new page that lets requests reach only the local server; others are refused and noted."""
    from playwright.sync_api import Browser, Route

    assert isinstance(browser, Browser)
    page = browser.new_page(viewport={"width": width, "height": height})

    def only_local(route: Route) -> None:
        url = route.request.url
        if url.startswith("data:") or urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", only_local)
    return page


def _save_screenshot(page: object, name: str, tmp_path: Path) -> None:
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    shot = page.screenshot(path=str(tmp_path / name), full_page=True)
    assert len(shot) > 10_000
    if os.environ.get("WKUS_SAVE_SCREENSHOTS"):
        target = ROOT / "reports" / "screenshots" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(tmp_path / name, target)


def _latest_e4_in_sport(demo: DemoSummary, teryt: str) -> str:
    """The headline number computed independently of the explorer (Polish format)."""
    table = compute_indicators(read_store(demo.store_dir), teryt=[teryt], areas=["sport"])
    rows = table[(table["indicator"] == "E4") & (table["area"] == "sport")]
    latest = rows[rows["year"] == rows["year"].max()]["value"].iloc[0]
    return format_number(latest, 1, unit="%")


def _same_text(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.slow
def test_dashboard_opens_the_addressed_gmina_and_follows_another_choice(
    browser: object, dashboard_url: str, demo: DemoSummary, tmp_path: Path,
    foreign_requests: list[str],
) -> None:
    from playwright.sync_api import Page, expect

    page = _local_page(browser, foreign_requests)
    assert isinstance(page, Page)
    try:
        _open(page, dashboard_url, f"teryt={LAPY}")
        expect(page.locator(HEADLINE)).to_contain_text("Łapy", timeout=PAGE_TIMEOUT_MS)
        figure = page.locator(FIGURE).first
        expect(figure).to_be_visible(timeout=PAGE_TIMEOUT_MS)
        first_value = page.locator(VALUE).inner_text()
        first_figure = figure.get_attribute("src")
        assert _same_text(first_value) == _same_text(_latest_e4_in_sport(demo, LAPY))
        assert first_figure and first_figure.startswith("data:image/png;base64,")
        assert "from wkus_lib import explore" not in page.content(), "code must be hidden"

        gmina = page.locator(".wkus-gmina select")
        labels = gmina.locator("option").all_inner_texts()
        gmina.select_option(index=next(i for i, text in enumerate(labels) if MONKI in text))

        expect(page.locator(HEADLINE)).to_contain_text("Mońki", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_function(
            "([selector, before]) => { const img = document.querySelector(selector);"
            " return img !== null && img.getAttribute('src') !== before; }",
            arg=[FIGURE, first_figure], timeout=PAGE_TIMEOUT_MS,
        )
        second_value = page.locator(VALUE).inner_text()
        assert _same_text(second_value) == _same_text(_latest_e4_in_sport(demo, MONKI))
        assert second_value != first_value
        assert page.locator(FIGURE).first.get_attribute("src") != first_figure
        _save_screenshot(page, "dashboard.png", tmp_path)
    finally:
        page.close()


@pytest.mark.slow
def test_the_page_is_polish_offline_and_without_notes_for_authors(
    browser: object, dashboard_url: str, foreign_requests: list[str],
) -> None:
    from playwright.sync_api import Page, expect

    page = _local_page(browser, foreign_requests)
    assert isinstance(page, Page)
    try:
        response = _open(page, dashboard_url, f"teryt={LAPY}")
        assert response is not None and response.ok
        served = response.text()  # the whole page as sent, loading screen included
        expect(page.locator(HEADLINE)).to_contain_text("Łapy", timeout=PAGE_TIMEOUT_MS)
        assert page.title() == "Eksplorator wskaźników — wkus"
        assert page.evaluate("document.documentElement.lang") == "pl"
        assert "Wczytywanie panelu wskaźników…" in served
        assert '"Wczytywanie panelu wskaźników: krok "' in served
        assert "Running " not in served
        shown = page.locator("body").inner_text()
        assert "Eksplorator wskaźników" in shown
        for note in ("Uwagi dla autorów", "interactive = True", "papermill"):
            assert note not in shown and note not in served, note
        assert "cdn." not in served
    finally:
        page.close()


@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 1400])
def test_every_control_fits_the_window(
    browser: object, dashboard_url: str, foreign_requests: list[str], tmp_path: Path,
    width: int,
) -> None:
    from playwright.sync_api import Page

    page = _local_page(browser, foreign_requests, width=width, height=1400)
    assert isinstance(page, Page)
    try:
        _open(page, dashboard_url, f"teryt={LAPY}")
        page.locator(FIGURE).first.wait_for(state="visible", timeout=PAGE_TIMEOUT_MS)
        controls = page.locator(CONTROLS)
        assert controls.count() == 7  # gmina, area, stage, indicator, years, compare, others
        for index in range(controls.count()):
            box = controls.nth(index).bounding_box()
            assert box is not None and box["width"] > 100, index
            assert 0 <= box["x"] and box["x"] + box["width"] <= width, (index, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        _save_screenshot(page, f"dashboard-{width}.png", tmp_path)
    finally:
        page.close()


@pytest.mark.slow
def test_unknown_gmina_in_the_address_shows_a_polish_warning(
    browser: object, dashboard_url: str, foreign_requests: list[str],
) -> None:
    from playwright.sync_api import Page, expect

    page = _local_page(browser, foreign_requests)
    assert isinstance(page, Page)
    try:
        _open(page, dashboard_url, "teryt=9999999")
        expect(page.get_by_text("9999999")).to_contain_text("nie ma w magazynie danych",
                                                            timeout=PAGE_TIMEOUT_MS)
        expect(page.locator(HEADLINE)).to_contain_text("Ciechanowiec", timeout=PAGE_TIMEOUT_MS)
        assert "Traceback" not in page.content()
    finally:
        page.close()


@pytest.mark.slow
def test_ctrl_c_stops_the_dashboard_cleanly(demo: DemoSummary, tmp_path: Path) -> None:
    log = tmp_path / "dashboard.log"
    with running_dashboard(demo.store_dir, log) as (_url, process):
        status = _stop_group(process, signal.SIGINT)  # what Ctrl+C in a terminal sends
    output = log.read_text(encoding="utf-8")
    assert status == 0, output
    assert "Panel zatrzymany." in output
    assert "http://127.0.0.1:" in output


@pytest.mark.slow
def test_a_script_in_the_address_is_shown_as_text_never_run(
    browser: object, dashboard_url: str, foreign_requests: list[str],
) -> None:
    from urllib.parse import quote

    from playwright.sync_api import Page, expect

    payload = """<img src=x onerror="document.title='pwned'"><script>alert(1)</script>"""
    page = _local_page(browser, foreign_requests)
    assert isinstance(page, Page)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        _open(page, dashboard_url, f"teryt={quote(payload)}")
        title = page.title()
        expect(page.get_by_text("nie ma w magazynie danych")).to_contain_text(
            "<img src=x", timeout=PAGE_TIMEOUT_MS)
        expect(page.locator(HEADLINE)).to_contain_text("Ciechanowiec", timeout=PAGE_TIMEOUT_MS)
        page.wait_for_timeout(1000)  # an onerror handler would have run by now
        assert page.title() == title != "pwned"
        assert dialogs == []
        assert page.locator("img[src='x']").count() == 0
    finally:
        page.close()


@pytest.mark.slow
def test_foreign_hosts_and_requests_without_the_token_are_refused(dashboard_url: str) -> None:
    port = int(dashboard_url.split(":")[2].split("/")[0])
    token_target = "/?" + dashboard_url.split("?", 1)[1]
    # A local Host is let through to the login check (a redirect, not 403). Asked with the
    # token, each would start a kernel for a page nobody opens; the pages themselves are
    # opened with the token by the browser tests.
    for local in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"):
        status, location = _status(port, "/", local)
        assert status == 302 and "/login" in location, (local, status, location)
    for foreign in ("evil.example", f"evil.example:{port}", f"192.168.1.10:{port}"):
        assert _status(port, token_target, foreign)[0] == 403, foreign
    for target in ("/", "/?teryt=2002063", "/?token=wrong"):
        status, location = _status(port, target, f"127.0.0.1:{port}")
        assert status in (302, 403), target
        assert status == 403 or "/login" in location, (target, location)


def test_voila_listens_on_localhost_only_with_code_and_tracebacks_hidden(tmp_path: Path) -> None:
    command = voila_command(Path("explore.ipynb"), 8866, tmp_path)
    assert HOST == "127.0.0.1"
    assert f"--Voila.ip={HOST}" in command
    assert {"--strip_sources=True", "--show_tracebacks=False", "--no-browser",
            "--Voila.port_retries=0", "--port=8866",
            f"--Voila.config_file_paths={tmp_path}"} <= set(command)
    assert not any("token" in part for part in command), "the token must not show in `ps`"


def test_voila_gives_each_page_a_new_kernel_with_the_polish_template() -> None:
    config = voila_config("abc")
    voila = config["VoilaConfiguration"]
    assert isinstance(voila, dict)
    assert voila["preheat_kernel"] is False  # kernels started ahead left pages loading forever
    assert voila["template"] == TEMPLATE
    assert voila["allow_template_override"] == voila["allow_theme_override"] == "NO"
    assert config["VoilaExporter"] == {"language_code": "pl"}
    template = TEMPLATE_ROOT / "voila" / "templates" / TEMPLATE
    assert (template / "index.html.j2").is_file() and (template / "conf.json").is_file()


def test_voila_finds_the_template_first_and_the_kernels_the_store(tmp_path: Path) -> None:
    env = voila_environment({"JUPYTER_PATH": "/elsewhere", "HOME": "/home/x"}, tmp_path)
    assert env["JUPYTER_PATH"].split(os.pathsep) == [str(TEMPLATE_ROOT), "/elsewhere"]
    assert env["WKUS_STORE"] == str(tmp_path) and env["HOME"] == "/home/x"
    assert voila_environment({}, tmp_path)["JUPYTER_PATH"] == str(TEMPLATE_ROOT)


def test_voila_config_needs_the_token_and_local_hosts_in_a_private_file(tmp_path: Path) -> None:
    path = write_voila_config(tmp_path, "abc")
    assert json.loads(path.read_text(encoding="utf-8")) == voila_config("abc")
    settings = voila_config("abc")["Voila"]
    assert isinstance(settings, dict)
    assert settings["token"] == "abc"
    assert settings["tornado_settings"]["allow_remote_access"] is False
    assert path.stat().st_mode & 0o077 == 0
    assert page_address(8866, "abc", "2013023") == "http://127.0.0.1:8866/?token=abc&teryt=2013023"


def test_dashboard_without_a_store_says_what_to_do_in_polish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["dashboard", "--store", str(tmp_path / "brak"), "--no-browser"]) == 2
    assert "wkus demo-data" in capsys.readouterr().err
