"""A pre-imported process that forks one fresh IPython kernel per report.

Starting a kernel the ordinary way costs a new interpreter and, inside it,
the imports of IPython, ipykernel, pandas, matplotlib and ``wkus_lib``: more
than the report's own work. The zygote pays for those imports once, then
answers each request with ``os.fork()``: the child turns itself into the
kernel that ``python -m ipykernel_launcher -f <connection file>`` would have
started (same working folder, environment, arguments and ``sys.path``) and
runs it until the kernel manager shuts it down.

Isolation is the same as one process per report: every kernel is a new
process forked from the same untouched snapshot, so nothing a report does
(variables, pandas options, rcParams, environment, working folder,
monkeypatches) can reach the next one. Nothing in the snapshot holds report
data: modules are imported, the tables' pandera schemas built, the packaged
indicator catalogue parsed and a throwaway figure and table made up to warm
the libraries' caches; no store is read, and no DataFrame survives. (The
zygote of ``wkus dashboard`` also holds the store's indicator table, the
same for every page: :mod:`wkus_lib.explore.voila_server`.)

The zygote is started by :class:`wkus_lib.batch.kernels.KernelZygote` with one end
of a socket pair (file descriptor in ``argv[1]``); it serves requests
``{"argv", "env", "cwd"}`` and replies ``{"pid"}`` (or ``{"error"}``). It
exits when the other end closes, so it never outlives its worker.
"""

from __future__ import annotations

import gc
import importlib
import os
import signal
import sys
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Final

from wkus_lib.batch.parent_death import die_with_parent
from wkus_lib.startup import KERNEL_UNUSED_MODULES, skip_unused_optional_imports

LAUNCHER_ARGV: Final = ("-m", "ipykernel_launcher")
"""What a kernel spec's ``argv`` holds after the interpreter; the rest are the launcher's."""
PRELOADED_MODULES: Final = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "IPython.core.interactiveshell",
    "pandas",
    "pandas.core.arrays.arrow._arrow_utils",
    "pandas.core.arrays.arrow.extension_types",
    "pandas.core.reshape.reshape",
    "pandas.io.formats.string",
    "pyarrow.parquet",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "pandera.accessors.pandas_accessor",
    "pandera.api.geopandas.model",
    "pandera.backends.pandas.builtin_checks",
    "pandera.backends.pandas.builtin_hypotheses",
    "pandera.backends.pandas.register",
    "pandera.backends.register_checks",
    "pandera.strategies.pandas_constraints",
    "pandera.strategies.pandas_strategies",
    "wkus_lib.report",
    "wkus_lib.report.ex_ante",
    "wkus_lib.report.on_going",
    "wkus_lib.report.ex_post",
    "wkus_lib.report.overview",
    "wkus_lib.report.benchmark",
    "pandas.core.methods.to_dict",
    "bdb",
)
"""Modules every report kernel imports; importing them here is the whole speed-up.

``matplotlib.pyplot`` is left out on purpose: importing it selects the
kernel's inline backend, which must happen inside the kernel, as it would in
a freshly started one.
"""
INLINE_BACKEND: Final = "module://matplotlib_inline.backend_inline"


def preload(extra: tuple[str, ...] = ()) -> None:
    """Import what a report kernel needs, as ipykernel would find it, and what ``extra`` names.

    An entry of ``extra`` is a module to import, or ``module:function``: import
    it, then call that function without arguments (a warm-up whose failure is
    ignored: a kernel that needs its result does the work itself).

    ipykernel sets ``MPLBACKEND`` before the kernel runs any code; it is set
    here first, so matplotlib reads the same value at import time.
    """
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]  # as ipykernel_launcher does before importing anything
    if not os.environ.get("MPLBACKEND"):
        os.environ["MPLBACKEND"] = INLINE_BACKEND
    # debugpy (imported by ipykernel.debugger) would print a warning about frozen modules.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    skip_unused_optional_imports(KERNEL_UNUSED_MODULES)
    for name in (*PRELOADED_MODULES, *(entry.partition(":")[0] for entry in extra)):
        try:
            importlib.import_module(name)
        except ImportError:
            continue  # the kernel will import (and report) it itself
    _build_shared_definitions()
    _warm_up_rendering()
    for module, _, function in (entry.partition(":") for entry in extra):
        if function and module in sys.modules:
            try:
                getattr(sys.modules[module], function)()
            except Exception:  # noqa: BLE001, S112 — the kernel will do (and report) it itself
                continue
    gc.collect()
    # Every kernel forked from here would otherwise scan these ~240,000 objects in
    # each full collection (0.1 s) and, by touching them, copy their memory pages.
    gc.freeze()


def _warm_up_rendering() -> None:
    """Draw a throwaway figure and shape a throwaway table made up here.

    The first figure a process draws loads fonts and fills matplotlib's
    caches; the first groupby, merge and string column fill pandas' and
    pyarrow's. Nothing of it is kept but those caches, and matplotlib's
    settings are restored afterwards.
    """
    import io

    import matplotlib as mpl
    import pandas as pd
    from matplotlib.figure import Figure
    from PIL import Image

    from wkus_lib.report.style import apply_figure_style
    from wkus_lib.text.numbers import format_number

    Image.preinit()
    with mpl.rc_context():
        apply_figure_style()
        figure = Figure()
        axes = figure.subplots()
        axes.bar(["Zażółć", "gęślą"], [1.5, 2.5], yerr=[0.2, 0.3])
        axes.set_title(format_number(1234.5, 1, unit="zł"))
        figure.savefig(io.BytesIO(), format="png", metadata={"Software": None})
    table = pd.DataFrame({"key": ["a", "b", "a"], "value": [1.0, 2.0, 3.0]})
    summary = table.groupby("key", as_index=False)["value"].agg(["mean", "count"])
    table.merge(summary, on="key").to_dict(orient="split")
    table.pivot_table(index="key", values="value", aggfunc="sum").to_html()


def _build_shared_definitions() -> None:
    """Build what every report builds the same way first: schemas and the packaged catalogue.

    pandera builds a model's schema on first use and imports its optional
    back-ends (Dask among them) while doing so; the packaged indicator
    catalogue is parsed from YAML once per process. Neither holds any gmina's
    data, and both are the same for every report.
    """
    from wkus_lib.catalog import load_catalog
    from wkus_lib.schemas import TABLES

    for model in TABLES.values():
        model.to_schema()
    load_catalog()


def serve(connection: Connection) -> None:
    """Fork a kernel for every request until the worker closes the connection."""
    signal.signal(signal.SIGCHLD, _reap_children)
    while True:
        try:
            request: dict[str, Any] = connection.recv()
        except (EOFError, OSError):
            return
        try:
            pid = _fork_kernel(request, connection)
        except OSError as error:
            connection.send({"error": f"{type(error).__name__}: {error}"})
        else:
            connection.send({"pid": pid})


def _fork_kernel(request: dict[str, Any], connection: Connection) -> int:
    argv = list(request["argv"])
    if tuple(argv[1:3]) != LAUNCHER_ARGV:
        raise OSError(f"nieobsługiwane polecenie jądra: {argv!r}")
    zygote_pid = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    try:
        die_with_parent(zygote_pid)  # a kernel never outlives its zygote, even one killed
        connection.close()
        _become_kernel(argv, dict(request["env"]), str(request["cwd"]))
    except BaseException as error:  # noqa: BLE001 — a forked child must never return
        print(f"wkus: jądro nie wystartowało: {error!r}", file=sys.stderr, flush=True)
        os._exit(1)
    os._exit(0)


def _become_kernel(argv: list[str], env: dict[str, str], cwd: str) -> None:
    """Turn this fresh child into ``python -m ipykernel_launcher <argv[3:]>`` and run it."""
    os.setsid()  # its own process group: the manager's interrupts and kills reach only it
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    stdin = os.open(os.devnull, os.O_RDONLY)
    os.dup2(stdin, 0)
    os.close(stdin)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    # The kernel exits when its parent disappears; its parent is the zygote, not the
    # worker. ipykernel read JPY_PARENT_PID when the zygote imported it, so the
    # option is given explicitly.
    zygote_pid = str(os.getppid())
    os.environ["JPY_PARENT_PID"] = zygote_pid
    import ipykernel_launcher
    from ipykernel import kernelapp

    sys.argv = [str(ipykernel_launcher.__file__), *argv[3:],
                f"--IPKernelApp.parent_handle={zygote_pid}"]
    kernelapp.launch_new_instance()


def _reap_children(signum: int, frame: object) -> None:
    """Collect finished kernels at once, so the worker sees them gone."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main() -> None:
    """Entry point: ``python -m wkus_lib.batch.zygote <fd> [<worker pid> [<module> …]]``.

    With the worker's pid the zygote dies with its worker (:func:`die_with_parent`);
    it also ends when the worker closes the connection. Modules named after the
    pid are imported too.
    """
    if len(sys.argv) > 2:
        die_with_parent(int(sys.argv[2]))
    connection = Connection(int(sys.argv[1]))
    preload(tuple(sys.argv[3:]))
    connection.send({"ready": os.getpid()})
    serve(connection)


if __name__ == "__main__":
    main()
