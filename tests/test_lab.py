"""``make lab``: JupyterLab in Polish by default, with a language pack that matches it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wkus_lib.errors import InputError, WkusError
from wkus_lib.workshop.lab import (
    OVERRIDES_NAME,
    POLISH_LOCALE,
    TRANSLATION_PLUGIN,
    check_language_pack_version,
    default_settings_dir,
    installed_versions,
    main,
    major_minor,
    with_polish_default,
    write_polish_default,
)

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "wkus-test"
STARTUP_SECONDS = 120


def test_polish_default_keeps_every_other_setting() -> None:
    overrides = {"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                 TRANSLATION_PLUGIN: {"locale": "de_DE", "displayNamespaces": True}}
    merged = with_polish_default(overrides)
    assert merged[TRANSLATION_PLUGIN] == {"locale": POLISH_LOCALE, "displayNamespaces": True}
    assert merged["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    assert overrides[TRANSLATION_PLUGIN]["locale"] == "de_DE"  # the input is not changed


def test_settings_step_merges_into_an_existing_overrides_file(tmp_path: Path) -> None:
    (tmp_path / OVERRIDES_NAME).write_text(
        json.dumps({"@jupyterlab/notebook-extension:tracker": {"codeCellConfig": {"x": 1}}}),
        encoding="utf-8",
    )
    path = write_polish_default(tmp_path)
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written[TRANSLATION_PLUGIN]["locale"] == POLISH_LOCALE
    assert written["@jupyterlab/notebook-extension:tracker"] == {"codeCellConfig": {"x": 1}}
    assert write_polish_default(tmp_path).read_text(encoding="utf-8") == path.read_text(
        encoding="utf-8")


def test_broken_overrides_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    broken = tmp_path / OVERRIDES_NAME
    broken.write_text("{ nie json", encoding="utf-8")
    with pytest.raises(InputError, match="JSON"):
        write_polish_default(tmp_path)
    assert broken.read_text(encoding="utf-8") == "{ nie json"


def test_installed_language_pack_matches_jupyterlab_major_minor() -> None:
    lab, pack = installed_versions()
    assert major_minor(lab) == major_minor(pack)
    check_language_pack_version(lab, pack)


def test_a_language_pack_for_another_jupyterlab_is_refused() -> None:
    with pytest.raises(WkusError, match="nie pasuje do JupyterLab 4.5.11"):
        check_language_pack_version("4.5.11", "4.4.post2")


def test_settings_command_writes_the_folder_it_is_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--settings-dir", str(tmp_path / "settings")]) == 0
    assert "po polsku" in capsys.readouterr().out
    assert (tmp_path / "settings" / OVERRIDES_NAME).is_file()


def test_settings_go_where_jupyterlab_reads_them() -> None:
    from jupyterlab.labapp import LabApp

    assert Path(LabApp().app_settings_dir).resolve() == default_settings_dir().resolve()


def test_make_lab_sets_polish_then_starts_lab_in_notebooks() -> None:
    plan = subprocess.run(
        ["make", "-n", "lab"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    settings = next(i for i, line in enumerate(plan) if "wkus_lib.workshop.lab" in line)
    lab = next(i for i, line in enumerate(plan) if "jupyter lab" in line)
    assert settings < lab and "--ServerApp.root_dir=notebooks" in plan[lab]


def test_installing_the_environment_sets_polish_right_after_the_packages() -> None:
    plan = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", ".venv/.installed"], cwd=ROOT,
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    install = next(i for i, line in enumerate(plan) if "pip install" in line)
    settings = next(i for i, line in enumerate(plan) if "-m wkus_lib.workshop.lab" in line)
    done = next(i for i, line in enumerate(plan) if "touch .venv/.installed" in line)
    assert install < settings < done


# ------------------------------------------------------------------ the real server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str) -> Any:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.fixture
def polish_lab(tmp_path: Path) -> Iterator[str]:
    """A JupyterLab server (no browser) whose settings went through the ``make lab`` step."""
    settings = tmp_path / "settings"
    assert main(["--settings-dir", str(settings)]) == 0
    port = _free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
         f"--port={port}", f"--IdentityProvider.token={TOKEN}",
         "--LabApp.extension_manager=readonly", f"--LabApp.app_settings_dir={settings}",
         f"--LabApp.user_settings_dir={tmp_path / 'user'}",
         f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}",
         f"--ServerApp.root_dir={ROOT / 'notebooks'}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                _get(f"{base}/lab/api/translations/")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("JupyterLab nie wystartował")
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_jupyter_lab_serves_polish_as_the_default_language(polish_lab: str) -> None:
    languages = _get(f"{polish_lab}/lab/api/translations/")["data"]
    assert languages[POLISH_LOCALE]["nativeName"].startswith("Polski")
    strings = _get(f"{polish_lab}/lab/api/translations/{POLISH_LOCALE}")["data"]["jupyterlab"]
    assert strings["Settings"] == ["Ustawienia"]
    plugin = _get(f"{polish_lab}/lab/api/settings/{TRANSLATION_PLUGIN}")
    assert plugin["schema"]["properties"]["locale"]["default"] == POLISH_LOCALE


@pytest.mark.slow
def test_the_first_start_of_jupyter_lab_shows_polish_menus(polish_lab: str) -> None:
    """A browser that never opened JupyterLab, user settings empty: the menus are Polish."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must run the browser test: Chromium is not installed ({chromium})")
        pytest.skip(f"Chromium is not installed ({chromium}): scripts/install-system-deps.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium),
                                             args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(f"{polish_lab}/lab?token={TOKEN}", timeout=180_000)
            menus = page.locator(".lm-MenuBar-content")
            menus.get_by_text("Plik", exact=True).wait_for(timeout=180_000)
            labels = menus.inner_text().split()
            assert {"Plik", "Edycja", "Widok", "Ustawienia", "Pomoc"} <= set(labels)
            assert not {"File", "Edit", "View", "Settings", "Help"} & set(labels)
            assert page.evaluate("document.documentElement.lang") == "pl-PL"
        finally:
            browser.close()
