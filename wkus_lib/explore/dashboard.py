"""``wkus dashboard``: the explorer notebook served by Voilà on this computer only.

Voilà runs the notebook in a fresh kernel for every visitor and shows its
outputs without code. Three locks keep the data on this computer and with
the person who started it:

- the server listens on 127.0.0.1 only, so nobody else on the network can
  open it;
- it answers only requests whose ``Host`` header is local (``127.0.0.1``,
  ``localhost``, ``[::1]``), so a web page cannot reach it by DNS
  rebinding;
- it needs a random token, printed in the address it opens (as JupyterLab
  does): other users of this computer and other pages in the browser do not
  know it. The token and these settings reach Voilà in a private
  configuration file, never on the command line (which others can list).

Pages open fast: each page gets its own new kernel, forked from a process
that has imported the explorer and computed the store's indicator table
once (:mod:`wkus_lib.explore.voila_server`, which runs Voilà). Voilà's own
pool of kernels started ahead is not used: in it some pages never finished
loading. The page is Voilà's template ``wkus_dashboard`` (in
``wkus_lib/templates/dashboard``): Polish title, ``lang="pl"`` and loading
text, no notes for the notebook's authors, and nothing fetched from outside
this computer.

The store folder reaches the kernel through the
:data:`wkus_lib.store.locate.STORE_ENV_VARIABLE` environment variable, and the
page address may choose the gmina (``/?token=…&teryt=2002063``). Ctrl+C (or
SIGTERM) stops Voilà and its kernels.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import webbrowser
from collections.abc import Mapping
from pathlib import Path
from types import FrameType
from typing import Final

from wkus_lib.store.locate import NOTEBOOKS_DIR

HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8866
EXPLORER_NOTEBOOK: Final = NOTEBOOKS_DIR / "explore.ipynb"
SHUTDOWN_SECONDS: Final = 15
BROWSER_WAIT_SECONDS: Final = 120
CONFIG_NAME: Final = "voila.json"
TEMPLATE_ROOT: Final = Path(__file__).resolve().parents[1] / "templates" / "dashboard"
"""A Jupyter data folder holding the Voilà template ``voila/templates/wkus_dashboard``."""
TEMPLATE: Final = "wkus_dashboard"
PAGE_LANGUAGE: Final = "pl"
KERNEL_MANAGER: Final = "wkus_lib.explore.voila_server.ForkedServerKernelManager"
"""Each kernel's manager: kernels are forked from a process that imported the explorer."""


def new_token() -> str:
    """A fresh random access token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def voila_config(token: str) -> dict[str, object]:
    """Voilà's configuration: this token required, only local ``Host`` headers answered,
    a new forked kernel for each page, the Polish template.

    Voilà itself allows any ``Host``; jupyter_server's check (loopback
    addresses and ``localhost`` only) comes back with ``allow_remote_access``
    off. The page address cannot switch the template or theme.
    """
    return {
        "Voila": {
            "token": token,
            "tornado_settings": {"allow_remote_access": False,
                                 "local_hostnames": ["localhost"]},
        },
        "VoilaConfiguration": {
            "template": TEMPLATE,
            "preheat_kernel": False,
            "allow_template_override": "NO",
            "allow_theme_override": "NO",
        },
        "VoilaExporter": {"language_code": PAGE_LANGUAGE},
        "AsyncMappingKernelManager": {"kernel_manager_class": KERNEL_MANAGER},
    }


def write_voila_config(folder: Path, token: str) -> Path:
    """Write :func:`voila_config` into ``folder`` readable by this user only; its path."""
    path = folder / CONFIG_NAME
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as sink:
        json.dump(voila_config(token), sink)
    return path


def voila_environment(environ: Mapping[str, str], store: Path) -> dict[str, str]:
    """Voilà's environment: ``environ`` with the store for the kernels and the template folder.

    Voilà finds templates in the Jupyter data folders; :data:`TEMPLATE_ROOT`
    comes first among them.
    """
    from wkus_lib.store.locate import STORE_ENV_VARIABLE

    data_path = os.pathsep.join(
        part for part in (str(TEMPLATE_ROOT), environ.get("JUPYTER_PATH", "")) if part)
    return {**environ, STORE_ENV_VARIABLE: str(store), "JUPYTER_PATH": data_path}


def voila_command(notebook: Path, port: int, config_dir: Path) -> list[str]:
    """The Voilà command line: localhost only, sources hidden, no tracebacks, this port only.

    Configuration comes from ``config_dir`` alone (:func:`write_voila_config`),
    not from the user's Jupyter folders, so none of them can switch the locks
    off. Voilà never opens the browser itself: its address would lack the token.
    """
    return [
        sys.executable, "-m", "wkus_lib.explore.voila_server", str(notebook),
        f"--Voila.ip={HOST}",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--Voila.config_file_paths={config_dir}",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--theme=light",
        "--no-browser",
    ]


def page_address(port: int, token: str, teryt: str | None = None) -> str:
    """The explorer's address with its token (and a gmina, when given)."""
    gmina = f"&teryt={teryt}" if teryt else ""
    return f"http://{HOST}:{port}/?token={token}{gmina}"


def _open_when_listening(port: int, address: str) -> None:
    """Open ``address`` in the browser once the server accepts connections (gives up quietly)."""
    deadline = time.monotonic() + BROWSER_WAIT_SECONDS
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                webbrowser.open(address)
                return
        except OSError:
            time.sleep(0.5)


def _stop(process: subprocess.Popen[bytes]) -> int:
    """Ask Voilà to stop (SIGTERM: it shuts its kernels down), kill it if it does not."""
    if process.poll() is None:
        process.terminate()
    try:
        return process.wait(timeout=SHUTDOWN_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.wait()


def _raise_interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def serve(store_dir: Path, port: int, *, open_browser: bool) -> int:
    """Run Voilà on the explorer until it stops or the user interrupts it; the exit status."""
    from wkus_lib.store import read_manifest

    store = store_dir.resolve()
    read_manifest(store)  # a missing store fails here, with a Polish hint, before Voilà starts
    env = voila_environment(os.environ, store)
    token = new_token()
    print(f"Panel eksploratora: {page_address(port, token)} (magazyn danych: {store_dir}). "
          f"Wybraną gminę otwiera adres {page_address(port, token, '2013023')}. "
          "Adres zawiera klucz dostępu, nowy przy każdym uruchomieniu: nie udostępniaj go. "
          "Zatrzymanie: Ctrl+C.", flush=True)
    with tempfile.TemporaryDirectory(prefix="wkus-dashboard-") as config_dir:
        write_voila_config(Path(config_dir), token)
        if open_browser:
            threading.Thread(target=_open_when_listening, daemon=True,
                             args=(port, page_address(port, token))).start()
        return _run_voila(voila_command(EXPLORER_NOTEBOOK, port, Path(config_dir)), env, port)


def _run_voila(command: list[str], env: dict[str, str], port: int) -> int:
    """Run Voilà until it stops or the user interrupts it; the exit status."""
    # Ctrl+C and SIGTERM both end in KeyboardInterrupt here, even when the parent
    # started us with SIGINT ignored; Voilà is then stopped with SIGTERM (it shuts
    # its kernels down) while further signals are ignored.
    stop_signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, _raise_interrupt) for sig in stop_signals}
    process: subprocess.Popen[bytes] | None = None
    try:
        process = subprocess.Popen(command, env=env, cwd=EXPLORER_NOTEBOOK.parent)
        code = process.wait()
    except KeyboardInterrupt:
        for sig in stop_signals:
            signal.signal(sig, signal.SIG_IGN)
        if process is not None:
            _stop(process)
        print("Panel zatrzymany.", flush=True)
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if code != 0:
        print(f"Voilà zakończyła pracę z kodem {code} (czy port {port} jest wolny? "
              "Spróbuj --port z inną liczbą).", file=sys.stderr)
    return code


