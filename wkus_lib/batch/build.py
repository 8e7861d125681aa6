"""Building one report inside a worker process: execute, render, write.

:func:`build_report` is what the batch runner sends to its executor. It runs
the notebook with papermill in a new kernel process — forked from the worker's
pre-imported zygote (:mod:`wkus_lib.batch.kernels`, the default on Linux) or a fresh
interpreter — so nothing survives from one report to the next; renders the
formats asked for in the worker itself (nbconvert and WeasyPrint stay imported
between reports), writes them atomically and returns a :class:`ReportOutcome`. It never raises for a
report's own failure: the partially executed notebook is kept as
``<stem>.failed.ipynb`` and the outcome carries the exception name, a Polish
summary and the failing cell.

papermill, nbformat and the kernel machinery are imported inside the
functions: the parent process that only plans a batch never needs them.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias

from wkus_lib.batch import export, kernels
from wkus_lib.batch.params import ReportSpec
from wkus_lib.batch.parent_death import die_with_parent
from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.files.pdf import quiet_logger, render_pdf
from wkus_lib.report.outputs import SYNTHETIC_BANNER
from wkus_lib.startup import skip_unused_optional_imports

FORMATS: Final[tuple[str, ...]] = ("html", "pdf", "xlsx")
KERNEL_NAME: Final = "python3"
CELL_TIMEOUT_S: Final = 600.0
FAILED_SUFFIX: Final = ".failed.ipynb"
_PAPERMILL_TAGS: Final = frozenset({"injected-parameters", "papermill-error-cell-tag"})
"""Tags of cells papermill adds with random ids; the ids are replaced by stable ones."""
_TIMING_KEYS: Final = ("start_time", "end_time", "duration")

Status: TypeAlias = Literal["ok", "failed", "skipped"]
KernelStart: TypeAlias = Literal["fork", "fresh"]
"""``fork``: kernels forked from the worker's pre-imported zygote (fast); ``fresh``: a new
interpreter per report (fully isolated, the reference the fast mode is tested against)."""
DEFAULT_KERNEL_START: Final[KernelStart] = "fork" if sys.platform == "linux" else "fresh"
"""Forking a process that has imported everything is safe on Linux; macOS system
libraries may not survive a fork without exec, and Windows has no fork."""


@dataclass(frozen=True)
class ReportError:
    """Why a report failed: exception name, a Polish summary, where in the notebook."""

    exception: str
    summary: str
    cell: str | None = None
    traceback: str = ""


@dataclass(frozen=True)
class ReportOutcome:
    """What became of one report; ``outputs`` maps a format to a path under the output folder."""

    spec: ReportSpec
    status: Status
    duration_s: float
    outputs: dict[str, str] = field(default_factory=dict)
    error: ReportError | None = None
    timings: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportTask:
    """Everything a worker needs to build one report; picklable, paths absolute.

    The notebook travels as text, so what runs is exactly what was hashed.
    """

    spec: ReportSpec
    notebook_text: str
    notebooks_dir: str
    out_dir: str
    formats: tuple[str, ...]
    synthetic: bool
    cell_timeout_s: float | None = CELL_TIMEOUT_S
    kernel_start: KernelStart = DEFAULT_KERNEL_START


def build_report(task: ReportTask) -> ReportOutcome:
    """Execute one notebook and write its outputs; a failure becomes an outcome, never raised.

    The executed notebook is kept as ``<stem>.ipynb``; on failure the
    partially executed one as ``<stem>.failed.ipynb``, and stale outputs of
    that report are removed so they cannot pass for current ones.
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    out_dir, stem = Path(task.out_dir), task.spec.output_stem
    with tempfile.TemporaryDirectory(prefix="wkus-") as work:
        executed = Path(work) / "executed.ipynb"
        try:
            with _timed(timings, "execute"):
                nb = _execute(task, Path(work) / task.spec.notebook, executed, timings)
            files = _render(task, nb, timings)
        except Exception as error:  # noqa: BLE001 — any failure is recorded, never raised
            outputs = _keep_failed_notebook(task, executed)
            return ReportOutcome(
                task.spec, "failed", time.perf_counter() - started, outputs,
                describe_failure(error), timings,
            )
    for suffix, payload in files.items():
        atomic_write_bytes(out_dir / f"{stem}.{suffix}", payload)
    (out_dir / f"{stem}{FAILED_SUFFIX}").unlink(missing_ok=True)
    outputs = {suffix: f"{stem}.{suffix}" for suffix in files}
    return ReportOutcome(task.spec, "ok", time.perf_counter() - started, outputs, None, timings)


def prepare_worker(
    kernel_start: KernelStart = DEFAULT_KERNEL_START, notebooks_dir: str | None = None
) -> None:
    """Warm a worker process before its first report (a process pool's initializer).

    Starts the zygote, which imports in its own process meanwhile, imports
    papermill here and renders an empty report to HTML and PDF: the exporter's
    template is compiled, the report's style sheets parsed and the fonts found
    once per worker, while the zygote still imports, not in the first report.
    Never raises: a pool whose initializer fails is broken for every report,
    while the same problem met in :func:`build_report` fails only that report,
    with a message.
    """
    skip_unused_optional_imports()
    with suppress(Exception):
        if kernel_start == "fork":
            kernels.zygote().start()
        import nbformat
        import papermill  # noqa: F401 — imported for its start-up cost only

        empty = nbformat.v4.new_notebook()  # type: ignore[no-untyped-call]
        html = export.render_html(empty, title="wkus", synthetic=True)
        render_pdf(html, base_url=notebooks_dir)  # the reports' base: their style sheets stay parsed


def prepare_pool_worker(kernel_start: KernelStart, parent_pid: int, notebooks_dir: str) -> None:
    """:func:`prepare_worker` for a worker of the batch's own process pool, which also
    dies with the batch (``parent_pid``) even when the batch is killed outright;
    its zygote and kernels follow it."""
    die_with_parent(parent_pid)
    prepare_worker(kernel_start, notebooks_dir)


def describe_failure(error: BaseException) -> ReportError:
    """Exception name, a Polish summary and, for notebook errors, the failing cell."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    name = type(error).__name__
    if isinstance(error, PapermillExecutionError):
        return ReportError(
            exception=str(error.ename),
            summary=f"Błąd w komórce [{error.exec_count}] notatnika: {error.ename}: "
            f"{_excerpt(str(error.evalue), 300)}",
            cell=_excerpt(str(error.source), 800),
            traceback=_excerpt(_strip_ansi("\n".join(error.traceback)), 2000, tail=True),
        )
    if isinstance(error, CellTimeoutError):
        summary = f"Komórka notatnika przekroczyła limit czasu: {_excerpt(str(error), 200)}"
    elif isinstance(error, DeadKernelError):
        summary = "Jądro Pythona niespodziewanie przestało działać (np. z braku pamięci)."
    elif isinstance(error, kernels.ZygoteError):
        summary = (f"Nie udało się uruchomić jądra Pythona ({error}). Jeśli to się powtarza, "
                   "użyj: wkus report --isolated")
    elif isinstance(error, _ExportError):
        summary = f"Nie udało się utworzyć pliku {error.suffix.upper()}: {error.cause}"
        name = type(error.cause).__name__
    else:
        summary = f"Nieoczekiwany błąd: {name}: {_excerpt(str(error), 300)}"
    return ReportError(exception=name, summary=summary)


class _ExportError(Exception):
    """Rendering one format failed; carries the format for the Polish summary."""

    def __init__(self, suffix: str, cause: Exception) -> None:
        super().__init__(f"{suffix}: {cause!r}")
        self.suffix = suffix
        self.cause = cause


def _execute(
    task: ReportTask, source: Path, executed: Path, timings: dict[str, float]
) -> Any:
    """Run the notebook with papermill in a new kernel; return the normalised notebook."""
    import papermill

    source.write_text(task.notebook_text, encoding="utf-8")
    with quiet_logger("papermill"):
        nb = papermill.execute_notebook(
            str(source), str(executed),
            parameters=task.spec.params.notebook_parameters(),
            kernel_name=KERNEL_NAME,
            cwd=task.notebooks_dir,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=task.cell_timeout_s,
            kernel_manager_class=_kernel_manager(task.kernel_start),
        )
    timings["cells"] = round(cell_seconds(nb), 3)
    return _normalise(nb, task.spec)


def cell_seconds(nb: Any) -> float:
    """Sum of the in-kernel run times papermill recorded for the cells (before normalising)."""
    return sum(float(c.metadata.get("papermill", {}).get("duration") or 0.0) for c in nb.cells)


def _kernel_manager(kernel_start: KernelStart) -> type[Any]:
    if kernel_start == "fork":
        return kernels.forked_kernel_manager()
    return kernels.fresh_kernel_manager()


def _render(task: ReportTask, nb: Any, timings: dict[str, float]) -> dict[str, bytes]:
    """Every file of a report, in memory; written only when all of them succeeded."""
    files: dict[str, bytes] = {}
    spec, lang = task.spec, task.spec.params.lang
    html = ""
    if "html" in task.formats or "pdf" in task.formats:
        with _timed(timings, "html"), _export_step("html"):
            html = export.render_html(nb, title=spec.title, lang=lang, synthetic=task.synthetic,
                                      resources_dir=Path(task.notebooks_dir))
        if "html" in task.formats:
            files["html"] = html.encode("utf-8")
    if "pdf" in task.formats:
        with _timed(timings, "pdf"), _export_step("pdf"):
            files["pdf"] = render_pdf(html, base_url=task.notebooks_dir)
    if "xlsx" in task.formats:
        notes = [SYNTHETIC_BANNER] if task.synthetic else []
        with _timed(timings, "xlsx"), _export_step("xlsx"):
            files["xlsx"] = export.render_xlsx(export.collect_tables(nb), title=spec.title,
                                               notes=notes)
    files["ipynb"] = _notebook_bytes(nb)
    return files


def _normalise(nb: Any, spec: ReportSpec) -> Any:
    """Drop run times and temporary paths so identical runs give identical notebooks."""
    papermill_meta = nb.metadata.get("papermill", {})
    for key in _TIMING_KEYS:
        papermill_meta.pop(key, None)
    papermill_meta["input_path"] = spec.notebook
    papermill_meta["output_path"] = f"{spec.output_stem}.ipynb"
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        for key in _TIMING_KEYS:
            cell.metadata.get("papermill", {}).pop(key, None)
        added_by_papermill = _PAPERMILL_TAGS.intersection(cell.metadata.get("tags", []))
        if added_by_papermill:
            cell.id = f"{min(added_by_papermill)}-{index}"
    return nb


def _keep_failed_notebook(task: ReportTask, executed: Path) -> dict[str, str]:
    """Keep the partial notebook as ``.failed.ipynb``; remove the report's stale outputs."""
    out_dir, stem = Path(task.out_dir), task.spec.output_stem
    for suffix in (*FORMATS, "ipynb"):
        (out_dir / f"{stem}.{suffix}").unlink(missing_ok=True)
    failed = out_dir / f"{stem}{FAILED_SUFFIX}"
    if not executed.exists():
        failed.unlink(missing_ok=True)
        return {}
    import nbformat

    nb = nbformat.read(executed, as_version=4)  # type: ignore[no-untyped-call]
    atomic_write_bytes(failed, _notebook_bytes(_normalise(nb, task.spec)))
    return {"failed_ipynb": f"{stem}{FAILED_SUFFIX}"}


def _notebook_bytes(nb: Any) -> bytes:
    import nbformat

    text: str = nbformat.writes(nb)  # type: ignore[no-untyped-call]
    return (text + "\n").encode("utf-8")


@contextmanager
def _timed(timings: dict[str, float], phase: str) -> Iterator[None]:
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[phase] = round(time.perf_counter() - started, 3)


@contextmanager
def _export_step(suffix: str) -> Iterator[None]:
    try:
        yield
    except Exception as error:
        raise _ExportError(suffix, error) from error


def _excerpt(text: str, limit: int, *, tail: bool = False) -> str:
    if len(text) <= limit:
        return text
    return "…" + text[-limit:] if tail else text[:limit] + "…"


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
