"""``wkus dashboard``: the explorer notebook served by Voilà on this computer only.

Voilà runs the notebook in a fresh kernel for every visitor and shows its
outputs without code. The server listens on 127.0.0.1 only, so nobody else
on the network can open it. The store folder reaches the kernel through the
:data:`wkus_lib.locate.STORE_ENV_VARIABLE` environment variable, and the
page address may choose the gmina (``/?teryt=2002063``). Ctrl+C (or SIGTERM)
stops Voilà and its kernels.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType
from typing import Final

HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8866
EXPLORER_NOTEBOOK: Final = Path(__file__).resolve().parent.parent / "notebooks" / "explore.ipynb"
SHUTDOWN_SECONDS: Final = 15


def voila_command(notebook: Path, port: int, *, open_browser: bool) -> list[str]:
    """The Voilà command line: localhost only, sources hidden, no tracebacks, this port only."""
    return [
        sys.executable, "-m", "voila", str(notebook),
        f"--Voila.ip={HOST}",
        f"--port={port}",
        "--Voila.port_retries=0",
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--theme=light",
        *([] if open_browser else ["--no-browser"]),
    ]


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
    from wkus_lib.locate import STORE_ENV_VARIABLE
    from wkus_lib.store import read_manifest

    store = store_dir.resolve()
    read_manifest(store)  # a missing store fails here, with a Polish hint, before Voilà starts
    env = {**os.environ, STORE_ENV_VARIABLE: str(store)}
    print(f"Panel eksploratora: http://{HOST}:{port}/ (magazyn danych: {store_dir}). "
          f"Wybraną gminę otwiera adres http://{HOST}:{port}/?teryt=2013023. "
          "Zatrzymanie: Ctrl+C.", flush=True)
    # Ctrl+C and SIGTERM both end in KeyboardInterrupt here, even when the parent
    # started us with SIGINT ignored; Voilà is then stopped with SIGTERM (it shuts
    # its kernels down) while further signals are ignored.
    stop_signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, _raise_interrupt) for sig in stop_signals}
    process: subprocess.Popen[bytes] | None = None
    try:
        process = subprocess.Popen(
            voila_command(EXPLORER_NOTEBOOK, port, open_browser=open_browser),
            env=env, cwd=EXPLORER_NOTEBOOK.parent,
        )
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


def _cmd_dashboard(args: argparse.Namespace) -> int:
    from wkus_lib.locate import locate_store

    return serve(locate_store(args.store), args.port, open_browser=not args.no_browser)


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``wkus dashboard`` to the command line."""
    dashboard = commands.add_parser(
        "dashboard", help="panel eksploratora wskaźników w przeglądarce (Voilà, tylko ten komputer)"
    )
    dashboard.add_argument("--store", default="",
                           help="katalog magazynu danych (domyślnie zmienna WKUS_STORE, "
                                "a bez niej data/store projektu)")
    dashboard.add_argument("--port", type=int, default=DEFAULT_PORT,
                           help=f"port serwera (domyślnie {DEFAULT_PORT})")
    dashboard.add_argument("--no-browser", action="store_true",
                           help="nie otwieraj przeglądarki")
    dashboard.set_defaults(handler=_cmd_dashboard)
