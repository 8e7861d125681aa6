"""The batch runner: many reports, each in a fresh kernel, past any failure.

:func:`run_batch` checks everything it can before a kernel starts (notebooks
exist, the store has a manifest, output paths are unique), skips reports whose
inputs have not changed, and hands the rest to a
:class:`concurrent.futures.Executor` — by default a spawn process pool, or a
Dask client's executor. Each worker runs :func:`build_report`: papermill
executes the notebook in its own kernel, then the worker renders HTML, PDF
and XLSX and writes them atomically. Workers only return results; the parent
alone writes ``manifest.json`` (after every report, atomically) and
``index.html``, so a batch killed half-way resumes where it stopped.

A report is up to date when its key — a SHA-256 of the store hash, the
notebook's bytes, the parameters, the library's version and source, and the
formats — matches the manifest and its files exist.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from types import FrameType
from typing import Any, Final, Literal, TypeAlias

from tqdm import tqdm

from wkus_lib import export, index_page
from wkus_lib.errors import ParameterError, WkusError
from wkus_lib.params import ReportSpec
from wkus_lib.store import atomic_write_bytes, read_manifest

FORMATS: Final[tuple[str, ...]] = ("html", "pdf", "xlsx")
MANIFEST_NAME: Final = "manifest.json"
KERNEL_NAME: Final = "python3"
CELL_TIMEOUT_S: Final = 600.0
FAILED_SUFFIX: Final = ".failed.ipynb"
_PAPERMILL_TAGS: Final = frozenset({"injected-parameters", "papermill-error-cell-tag"})
"""Tags of cells papermill adds with random ids; the ids are replaced by stable ones."""
Status: TypeAlias = Literal["ok", "failed", "skipped"]


class BatchInterrupted(WkusError):
    """The batch was stopped (SIGTERM or Ctrl+C); finished reports are kept."""


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
class BatchResult:
    """All outcomes of a batch, in the order the specs were given."""

    outcomes: list[ReportOutcome]
    out_dir: Path

    def with_status(self, status: Status) -> list[ReportOutcome]:
        """The outcomes with one status."""
        return [o for o in self.outcomes if o.status == status]

    @property
    def exit_code(self) -> int:
        """0 when every report is done or up to date, 1 when any failed."""
        return 1 if self.with_status("failed") else 0

    def summary(self) -> str:
        """Polish summary for the end of a CLI run: counts, then each failure."""
        counts = (
            f"Raporty: {len(self.outcomes)} — gotowe: {len(self.with_status('ok'))}, "
            f"błędy: {len(self.with_status('failed'))}, "
            f"pominięte (aktualne): {len(self.with_status('skipped'))}."
        )
        lines = [counts]
        failed = self.with_status("failed")
        if failed:
            lines.append("Nieudane raporty:")
        for outcome in failed:
            notebook = outcome.outputs.get("failed_ipynb")
            where = f" (notatnik: {self.out_dir / notebook})" if notebook else ""
            summary = outcome.error.summary if outcome.error else "nieznany błąd"
            lines.append(f"  • {outcome.spec.output_stem}: {summary}{where}")
        lines.append(
            f"Spis raportów: {self.out_dir / index_page.INDEX_NAME}; "
            f"szczegóły: {self.out_dir / MANIFEST_NAME}"
        )
        return "\n".join(lines)


@dataclass(frozen=True)
class ReportTask:
    """Everything a worker needs to build one report; picklable, paths absolute."""

    spec: ReportSpec
    notebook_text: str
    notebooks_dir: str
    out_dir: str
    formats: tuple[str, ...]
    synthetic: bool
    cell_timeout_s: float | None = CELL_TIMEOUT_S


def run_batch(
    specs: Sequence[ReportSpec],
    *,
    out_dir: Path,
    notebooks_dir: Path,
    executor: Executor | None = None,
    jobs: int | None = None,
    formats: Sequence[str] = FORMATS,
    force: bool = False,
    cell_timeout_s: float | None = CELL_TIMEOUT_S,
    quiet: bool = False,
) -> BatchResult:
    """Build every report of ``specs`` that is not up to date; never stop at a failure.

    Parameters
    ----------
    specs
        Reports to build, usually from :func:`wkus_lib.params.resolve_batch`.
    out_dir, notebooks_dir
        Where reports, ``manifest.json`` and ``index.html`` go; where the
        notebooks named by the specs are (also each kernel's working folder).
    executor
        Any :class:`concurrent.futures.Executor`; default a spawn process
        pool of ``jobs`` workers (default: the number of CPUs).
    formats
        Subset of :data:`FORMATS`; the executed ``.ipynb`` is always kept.
    force
        Rebuild reports even when they are up to date.
    cell_timeout_s
        Longest time one notebook cell may run (``None``: no limit).
    quiet
        No progress bar and no per-report lines on stderr.

    Raises
    ------
    ParameterError
        Before any kernel starts: unknown format, missing notebook,
        duplicate output path, parameters without ``store_dir``.
    BatchInterrupted
        On SIGTERM or Ctrl+C, after the manifest and index are written.
    """
    out_dir, notebooks_dir = Path(out_dir).resolve(), Path(notebooks_dir).resolve()
    chosen_formats = _check_formats(formats)
    _check_unique_stems(specs)
    notebooks = _read_notebooks(specs, notebooks_dir)
    stores = _read_stores(specs)
    manifest = load_manifest(out_dir)
    code_hash = library_hash()
    results: dict[str, ReportOutcome] = {}
    tasks: list[ReportTask] = []
    entries: dict[str, dict[str, Any]] = {}
    for spec in specs:
        store = stores[_store_dir(spec)]
        entry = _manifest_entry_base(
            spec, notebooks[spec.notebook], store, chosen_formats, code_hash
        )
        entries[spec.output_stem] = entry
        previous = manifest["reports"].get(spec.output_stem)
        if not force and _is_up_to_date(previous, entry["key"], out_dir):
            assert previous is not None
            results[spec.output_stem] = ReportOutcome(
                spec, "skipped", float(previous["duration_s"]), dict(previous["outputs"])
            )
        else:
            tasks.append(ReportTask(
                spec, notebooks[spec.notebook], str(notebooks_dir), str(out_dir),
                chosen_formats, bool(store["synthetic"]), cell_timeout_s,
            ))
    progress = tqdm(total=len(specs), desc="Raporty", unit="rap.", file=sys.stderr,
                    disable=quiet, dynamic_ncols=True)

    def record(outcome: ReportOutcome) -> None:
        results[outcome.spec.output_stem] = outcome
        if outcome.status != "skipped":
            manifest["reports"][outcome.spec.output_stem] = _manifest_entry(
                entries[outcome.spec.output_stem], outcome
            )
            save_manifest(out_dir, manifest)
        progress.update()
        if not quiet:
            tqdm.write(_log_line(outcome, out_dir), file=sys.stderr)

    try:
        for outcome in list(results.values()):
            record(outcome)
        if tasks:
            with _sigterm_raises():
                _run_tasks(tasks, executor, jobs, record)
    except (BatchInterrupted, KeyboardInterrupt):
        done = sum(1 for o in results.values() if o.status != "failed")
        raise BatchInterrupted(
            f"Przerwano tworzenie raportów: gotowe {done} z {len(specs)}. Uruchom to samo "
            "polecenie ponownie, aby dokończyć — gotowe raporty zostaną pominięte."
        ) from None
    finally:
        progress.close()
        statuses = {stem: o.status for stem, o in results.items()}
        index_page.write_index(out_dir, manifest, statuses)
    return BatchResult([results[s.output_stem] for s in specs], out_dir)


def build_report(task: ReportTask) -> ReportOutcome:
    """Execute one notebook and write its outputs; a failure becomes an outcome, never raised.

    Runs in a worker process. The executed notebook is kept as
    ``<stem>.ipynb``; on failure the partially executed one as
    ``<stem>.failed.ipynb`` and stale outputs of that report are removed.
    """
    started = time.perf_counter()
    timings: dict[str, float] = {}
    out_dir, stem = Path(task.out_dir), task.spec.output_stem
    with tempfile.TemporaryDirectory(prefix="wkus-") as work:
        executed = Path(work) / "executed.ipynb"
        try:
            with _timed(timings, "execute"):
                nb = _execute(task, Path(work) / task.spec.notebook, executed)
            files = _render(task, nb, timings)
        except Exception as error:  # any failure is recorded, never raised
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


def report_key(
    spec: ReportSpec, notebook_text: str, data_hash: str, formats: Sequence[str], code_hash: str
) -> str:
    """SHA-256 of everything a report depends on; equal keys mean an identical report.

    ``code_hash`` is :func:`library_hash`, computed once per batch by the caller.
    """
    parts = {
        "data_hash": data_hash,
        "notebook_hash": _sha256(notebook_text),
        "parameters": spec.parameters_json(),
        "library_version": library_version(),
        "library_hash": code_hash,
        "formats": sorted(formats),
        "notebook": spec.notebook,
    }
    return _sha256(json.dumps(parts, sort_keys=True))


def library_version() -> str:
    """Installed version of the ``wkus`` distribution."""
    try:
        return metadata.version("wkus")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def library_hash() -> str:
    """SHA-256 of the package's code, data and templates: an edit reruns the reports.

    The version alone misses edits in a development install; hashing a few
    dozen small files costs milliseconds.
    """
    root = Path(str(resources.files("wkus_lib")))
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_manifest(out_dir: Path) -> dict[str, Any]:
    """The reports manifest of ``out_dir`` (empty if none yet)."""
    path = Path(out_dir) / MANIFEST_NAME
    if not path.exists():
        return {"format": 1, "reports": {}}
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def save_manifest(out_dir: Path, manifest: Mapping[str, Any]) -> None:
    """Write the manifest atomically; only the parent process calls this."""
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    atomic_write_bytes(Path(out_dir) / MANIFEST_NAME, text.encode("utf-8"))


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


@functools.cache
def _venv_kernel_manager() -> type[Any]:
    """A kernel manager that always starts ipykernel on *this* interpreter.

    A user-level ``python3`` kernelspec (``~/.local/share/jupyter/kernels``)
    takes precedence over the venv's and would run reports on another Python
    with other packages. The local transport is CurveZMQ-encrypted when pyzmq
    supports it (ipykernel warns on every start otherwise).
    """
    import zmq
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class VenvKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self) -> KernelSpec:
            if self._kernel_spec is None:
                self._kernel_spec = KernelSpec(resource_dir=RESOURCES, **get_kernel_dict())
            return self._kernel_spec

        @default("transport_encryption")
        def _encrypt_when_possible(self) -> str:
            return "auto" if zmq.has("curve") else "disabled"

    return VenvKernelManager


def _execute(task: ReportTask, source: Path, executed: Path) -> Any:
    """Run the notebook with papermill in a fresh kernel; return the normalised notebook."""
    import papermill

    source.write_text(task.notebook_text, encoding="utf-8")
    with export.quiet_logger("papermill"):
        nb = papermill.execute_notebook(
            str(source), str(executed),
            parameters=dict(task.spec.parameters),
            kernel_name=KERNEL_NAME,
            cwd=task.notebooks_dir,
            progress_bar=False,
            log_output=False,
            request_save_on_cell_execute=False,
            execution_timeout=task.cell_timeout_s,
            kernel_manager_class=_venv_kernel_manager(),
        )
    return _normalise(nb, task.spec)


def _render(task: ReportTask, nb: Any, timings: dict[str, float]) -> dict[str, bytes]:
    import nbformat

    files: dict[str, bytes] = {}
    spec, lang = task.spec, str(task.spec.parameters.get("lang") or "pl")
    notes = [export.SYNTHETIC_BANNER] if task.synthetic else []
    html = ""
    if "html" in task.formats or "pdf" in task.formats:
        with _timed(timings, "html"), _export_step("html"):
            html = export.render_html(nb, title=spec.title, lang=lang, synthetic=task.synthetic,
                                      resources_dir=Path(task.notebooks_dir))
        if "html" in task.formats:
            files["html"] = html.encode("utf-8")
    if "pdf" in task.formats:
        with _timed(timings, "pdf"), _export_step("pdf"):
            files["pdf"] = export.render_pdf(html, base_url=task.notebooks_dir)
    if "xlsx" in task.formats:
        with _timed(timings, "xlsx"), _export_step("xlsx"):
            files["xlsx"] = export.render_xlsx(export.collect_tables(nb), title=spec.title,
                                               notes=notes)
    files["ipynb"] = (nbformat.writes(nb) + "\n").encode("utf-8")  # type: ignore[no-untyped-call]
    return files


def _normalise(nb: Any, spec: ReportSpec) -> Any:
    """Drop run times and temporary paths so identical runs give identical notebooks."""
    papermill_meta = nb.metadata.get("papermill", {})
    for key in ("start_time", "end_time", "duration"):
        papermill_meta.pop(key, None)
    papermill_meta["input_path"] = spec.notebook
    papermill_meta["output_path"] = f"{spec.output_stem}.ipynb"
    for index, cell in enumerate(nb.cells):
        cell.metadata.pop("execution", None)
        for key in ("start_time", "end_time", "duration"):
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
    if not executed.exists():
        (out_dir / f"{stem}{FAILED_SUFFIX}").unlink(missing_ok=True)
        return {}
    import nbformat

    nb = _normalise(nbformat.read(executed, as_version=4), task.spec)  # type: ignore[no-untyped-call]
    text = nbformat.writes(nb) + "\n"  # type: ignore[no-untyped-call]
    atomic_write_bytes(out_dir / f"{stem}{FAILED_SUFFIX}", text.encode("utf-8"))
    return {"failed_ipynb": f"{stem}{FAILED_SUFFIX}"}


def _run_tasks(
    tasks: Sequence[ReportTask],
    executor: Executor | None,
    jobs: int | None,
    record: Callable[[ReportOutcome], None],
) -> None:
    own = executor is None
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    pool = executor or _ReportPool(workers, mp_context=multiprocessing.get_context("spawn"))
    futures: dict[Future[ReportOutcome], ReportTask] = {
        pool.submit(build_report, task): task for task in tasks
    }
    try:
        for future in as_completed(futures):
            record(_outcome_of(future, futures[future]))
    except BaseException:
        for future in futures:
            future.cancel()
        if isinstance(pool, _ReportPool):
            pool.terminate_workers()
        raise
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)


class _ReportPool(ProcessPoolExecutor):
    def terminate_workers(self) -> None:
        """Stop running reports now (Python 3.14 has this built in); kernels follow their worker."""
        for process in list((self._processes or {}).values()):
            process.terminate()


def _outcome_of(future: Future[ReportOutcome], task: ReportTask) -> ReportOutcome:
    try:
        return future.result()
    except Exception as error:  # a worker that died is one failed report
        failure = ReportError(
            exception=type(error).__name__,
            summary=f"Proces roboczy przerwał pracę: {type(error).__name__}: {error}",
        )
        return ReportOutcome(task.spec, "failed", 0.0, {}, failure)


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Turn SIGTERM into :class:`BatchInterrupted` so workers and the manifest are cleaned up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise BatchInterrupted("SIGTERM")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


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


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ParameterError(
            f"Nieznany format „{unknown[0]}”. Dostępne: {', '.join(FORMATS)}"
        )
    return tuple(f for f in FORMATS if f in formats)


def _check_unique_stems(specs: Sequence[ReportSpec]) -> None:
    seen: set[str] = set()
    for spec in specs:
        if spec.output_stem in seen:
            raise ParameterError(f"Dwa raporty zapisałyby się do tego samego pliku: "
                                 f"{spec.output_stem}")
        seen.add(spec.output_stem)


def _read_notebooks(specs: Sequence[ReportSpec], notebooks_dir: Path) -> dict[str, str]:
    names = sorted({spec.notebook for spec in specs})
    missing = [n for n in names if not (notebooks_dir / n).is_file()]
    if missing:
        available = ", ".join(sorted(p.name for p in notebooks_dir.glob("*.ipynb"))) or "brak"
        raise ParameterError(
            f"Brak notatnika „{missing[0]}” w {notebooks_dir}. Dostępne: {available}"
        )
    return {n: (notebooks_dir / n).read_text(encoding="utf-8") for n in names}


def _store_dir(spec: ReportSpec) -> str:
    store_dir = spec.parameters.get("store_dir")
    if not isinstance(store_dir, str):
        raise ParameterError(f"Raport {spec.output_stem} nie ma parametru store_dir.")
    return store_dir


def _read_stores(specs: Sequence[ReportSpec]) -> dict[str, dict[str, Any]]:
    """Each store's manifest (hash, synthetic); a Polish error if a store was never built."""
    return {d: read_manifest(Path(d)) for d in sorted({_store_dir(s) for s in specs})}


def _manifest_entry_base(
    spec: ReportSpec,
    notebook_text: str,
    store: Mapping[str, Any],
    formats: Sequence[str],
    code_hash: str,
) -> dict[str, Any]:
    return {
        "title": spec.title,
        "group": list(spec.group),
        "notebook": spec.notebook,
        "parameters": dict(spec.parameters),
        "data_hash": str(store["hash"]),
        "synthetic": bool(store.get("synthetic", False)),
        "notebook_hash": _sha256(notebook_text),
        "version": library_version(),
        "library_hash": code_hash,
        "formats": list(formats),
        "key": report_key(spec, notebook_text, str(store["hash"]), formats, code_hash),
    }


def _manifest_entry(base: Mapping[str, Any], outcome: ReportOutcome) -> dict[str, Any]:
    error = outcome.error
    return {
        **base,
        "status": outcome.status,
        "duration_s": round(outcome.duration_s, 2),
        "timings": outcome.timings,
        "outputs": outcome.outputs,
        "error": None if error is None else {
            "exception": error.exception, "summary": error.summary,
            "cell": error.cell, "traceback": error.traceback,
        },
    }


def _is_up_to_date(entry: Mapping[str, Any] | None, key: str, out_dir: Path) -> bool:
    return (
        entry is not None
        and entry.get("status") == "ok"
        and entry.get("key") == key
        and all((out_dir / path).is_file() for path in entry.get("outputs", {}).values())
    )


def _log_line(outcome: ReportOutcome, out_dir: Path) -> str:
    label = index_page.STATUS_LABELS[outcome.status]
    seconds = f"{outcome.duration_s:6.1f} s".replace(".", ",")
    first = next(iter(outcome.outputs.values()), outcome.spec.output_stem)
    line = f"{label:<20} {seconds}  {out_dir / first}"
    if outcome.error:
        line += f"\n{'':<20} {outcome.error.summary}"
    return line


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _excerpt(text: str, limit: int, *, tail: bool = False) -> str:
    if len(text) <= limit:
        return text
    return "…" + text[-limit:] if tail else text[:limit] + "…"


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text)
