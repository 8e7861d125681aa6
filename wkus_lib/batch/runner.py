"""The batch runner: many reports, each in its own kernel process, past any failure.

:func:`run_batch` checks everything it can before a kernel starts (formats,
notebooks, the store's manifest, unique output paths), skips reports that
are up to date, and hands the rest to a :class:`concurrent.futures.Executor`
— by default a spawn process pool whose workers import the exporters once and
fork each report's kernel from a pre-imported zygote
(:mod:`wkus_lib.batch.kernels`), or any other executor, e.g. a Dask client's. Workers
run :func:`wkus_lib.batch.build.build_report` and only return outcomes; the
parent alone writes ``manifest.json`` (after every report, atomically) and
``index.html``, so a batch killed half-way resumes where it stopped.

Batches die with their parent: the pool's workers, their zygotes and
kernels ask Linux to kill them when their parent goes
(:mod:`wkus_lib.batch.parent_death`), so a ``kill -9`` of ``wkus report`` leaves no
process behind. Several batches may write into one folder at once: each
change to ``manifest.json`` is a read-merge-write under a lock on the folder
(``.wkus-manifest.lock``), so every batch's reports stay listed in the
manifest and in ``index.html``.

A report is up to date when its key — the rows of the store it reads, the
notebook's bytes, the parameters, the library's files, the catalogue and the
formats (:mod:`wkus_lib.batch.report_key`) — matches its manifest entry and its
files exist; the entry says why a report was rebuilt (``rebuilt_because``),
and :func:`plan_batch` tells it before anything is built (``--dry-run``).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any, Final

from filelock import FileLock, Timeout
from tqdm import tqdm

from wkus_lib.batch import index_page
from wkus_lib.batch.build import (
    CELL_TIMEOUT_S,
    DEFAULT_KERNEL_START,
    FORMATS,
    KernelStart,
    ReportError,
    ReportOutcome,
    ReportTask,
    Status,
    build_report,
    prepare_pool_worker,
)
from wkus_lib.batch.params import ReportSpec
from wkus_lib.batch.report_key import (
    FORCED,
    OUTPUT_MISSING,
    BatchKeys,
    KeyParts,
    change_reasons,
    sha256_text,
)
from wkus_lib.errors import InputError, ParameterError, WkusError
from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.store import read_manifest

MANIFEST_NAME: Final = "manifest.json"
MANIFEST_LOCK_NAME: Final = ".wkus-manifest.lock"
MANIFEST_LOCK_TIMEOUT_S: Final = 120.0


class BatchInterrupted(WkusError):
    """The batch was stopped (SIGTERM or Ctrl+C); finished reports are kept."""


@dataclass(frozen=True)
class BatchResult:
    """All outcomes of a batch, in the order the specs were given."""

    outcomes: list[ReportOutcome]
    out_dir: Path

    @property
    def done(self) -> list[ReportOutcome]:
        """Reports built in this run."""
        return self._with_status("ok")

    @property
    def failed(self) -> list[ReportOutcome]:
        """Reports that failed in this run."""
        return self._with_status("failed")

    @property
    def skipped(self) -> list[ReportOutcome]:
        """Reports left as they were because their inputs had not changed."""
        return self._with_status("skipped")

    @property
    def exit_code(self) -> int:
        """0 when every report is done or up to date, 1 when any failed."""
        return 1 if self.failed else 0

    def summary(self) -> str:
        """Polish summary for the end of a CLI run: counts, then each failure."""
        counts = (
            f"Raporty: {len(self.outcomes)} — gotowe: {len(self.done)}, "
            f"błędy: {len(self.failed)}, pominięte (aktualne): {len(self.skipped)}."
        )
        lines = [counts]
        if self.failed:
            lines.append("Nieudane raporty:")
        for outcome in self.failed:
            notebook = outcome.outputs.get("failed_ipynb")
            where = f" (notatnik: {self.out_dir / notebook})" if notebook else ""
            summary = outcome.error.summary if outcome.error else "nieznany błąd"
            lines.append(f"  • {outcome.spec.output_stem}: {summary}{where}")
        lines.append(
            f"Spis raportów: {self.out_dir / index_page.INDEX_NAME}; "
            f"szczegóły: {self.out_dir / MANIFEST_NAME}"
        )
        return "\n".join(lines)

    def _with_status(self, status: Status) -> list[ReportOutcome]:
        return [o for o in self.outcomes if o.status == status]


@dataclass(frozen=True)
class PlannedReport:
    """One report of a batch and why it is built (empty ``reasons``: up to date, skipped)."""

    spec: ReportSpec
    inputs: dict[str, Any]
    reasons: tuple[str, ...]

    @property
    def rebuild(self) -> bool:
        """True when the report is built in this batch."""
        return bool(self.reasons)


def plan_batch(
    specs: Sequence[ReportSpec],
    *,
    out_dir: Path,
    notebooks_dir: Path,
    formats: Sequence[str] = FORMATS,
    force: bool = False,
) -> list[PlannedReport]:
    """What a batch would do, report by report, with the reasons; writes nothing.

    Raises the same :class:`ParameterError` and :class:`InputError` as
    :func:`run_batch` before any kernel starts.
    """
    out_dir, notebooks_dir = Path(out_dir).resolve(), Path(notebooks_dir).resolve()
    chosen = _check_formats(formats)
    _check_unique_stems(specs)
    notebooks = _read_notebooks(specs, notebooks_dir)
    stores = {d: read_manifest(Path(d)) for d in sorted({s.params.store_dir for s in specs})}
    keys = BatchKeys(stores)
    manifest = load_manifest(out_dir)
    planned: list[PlannedReport] = []
    for spec in specs:
        store, text = stores[spec.params.store_dir], notebooks[spec.notebook]
        parts = keys.parts(spec.params.notebook_parameters(),
                           spec.params.notebook_parameters_json(), text, chosen)
        inputs = _entry_inputs(spec, text, store, chosen, parts)
        previous = manifest["reports"].get(spec.output_stem)
        planned.append(PlannedReport(spec, inputs, _reasons(previous, parts, out_dir, force)))
    return planned


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
    kernel_start: KernelStart = DEFAULT_KERNEL_START,
) -> BatchResult:
    """Build every report of ``specs`` that is not up to date; never stop at a failure.

    Parameters
    ----------
    specs
        Reports to build, usually from :func:`wkus_lib.batch.params.resolve_batch`.
    out_dir, notebooks_dir
        Where reports, ``manifest.json`` and ``index.html`` go; where the
        notebooks named by the specs are (also each kernel's working folder).
    executor
        Any :class:`concurrent.futures.Executor`; default a spawn process
        pool of ``jobs`` workers (default: the number of CPUs).
    formats
        Subset of ``("html", "pdf", "xlsx")``; the executed ``.ipynb`` is always kept.
    force
        Rebuild reports even when they are up to date.
    cell_timeout_s
        Longest time one notebook cell may run (``None``: no limit).
    quiet
        No progress bar and no per-report lines on stderr.
    kernel_start
        ``"fork"`` (default on Linux): each report's kernel is forked from the
        worker's pre-imported zygote; ``"fresh"`` (default elsewhere): a new
        interpreter per report. The tests prove both give byte-identical reports.

    Raises
    ------
    ParameterError
        Before any kernel starts: unknown format, missing notebook,
        duplicate output path.
    InputError
        Before any kernel starts: a store without a manifest.
    BatchInterrupted
        On SIGTERM or Ctrl+C, after the manifest and index are written.
    """
    out_dir, notebooks_dir = Path(out_dir).resolve(), Path(notebooks_dir).resolve()
    chosen = _check_formats(formats)
    planned = plan_batch(specs, out_dir=out_dir, notebooks_dir=notebooks_dir, formats=chosen,
                         force=force)
    notebooks = _read_notebooks(specs, notebooks_dir)
    journal = _Journal(out_dir, len(specs), quiet)
    tasks: list[ReportTask] = []
    for report in planned:
        spec = report.spec
        if journal.plan(report):
            tasks.append(ReportTask(spec, notebooks[spec.notebook], str(notebooks_dir),
                                    str(out_dir), chosen, bool(report.inputs["synthetic"]),
                                    cell_timeout_s, kernel_start))
    try:
        journal.record_skipped()
        if tasks:
            with _sigterm_raises():
                _run_tasks(longest_first(tasks, journal.manifest["reports"]), executor, jobs,
                           journal.record, kernel_start)
    except (BatchInterrupted, KeyboardInterrupt):
        raise BatchInterrupted(
            f"Przerwano tworzenie raportów: gotowe {journal.finished} z {len(specs)}. Uruchom to "
            "samo polecenie ponownie, aby dokończyć — gotowe raporty zostaną pominięte."
        ) from None
    finally:
        journal.close()
    return BatchResult([journal.results[s.output_stem] for s in specs], out_dir)


def longest_first(
    tasks: Sequence[ReportTask], previous: Mapping[str, Mapping[str, Any]]
) -> list[ReportTask]:
    """The tasks, those that took longest when last built first, so that no worker is
    left running a long report alone at the end of a batch while the others idle.

    A report never built before counts as long as the mean of the reports of its
    notebook that were; with no history at all, the order is kept.
    """
    by_notebook: dict[str, list[float]] = {}
    for entry in previous.values():
        if isinstance(entry.get("duration_s"), (int, float)) and entry.get("notebook"):
            by_notebook.setdefault(str(entry["notebook"]), []).append(float(entry["duration_s"]))

    def expected(task: ReportTask) -> float:
        entry = previous.get(task.spec.output_stem, {})
        if isinstance(entry.get("duration_s"), (int, float)):
            return float(entry["duration_s"])
        same = by_notebook.get(task.spec.notebook, [])
        return sum(same) / len(same) if same else 0.0

    return sorted(tasks, key=expected, reverse=True)


def library_version() -> str:
    """Installed version of the ``wkus`` distribution (recorded; the key hashes the files)."""
    try:
        return metadata.version("wkus")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def load_manifest(out_dir: Path) -> dict[str, Any]:
    """The reports manifest of ``out_dir`` (empty if none yet)."""
    path = Path(out_dir) / MANIFEST_NAME
    if not path.exists():
        return {"format": 1, "reports": {}}
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(
            f"Spis raportów jest uszkodzony ({error})", file=str(path),
            hint="Usuń ten plik; raporty zostaną wtedy utworzone od nowa.",
        ) from None
    if not isinstance(manifest.get("reports"), dict):
        raise InputError("Spis raportów nie ma sekcji „reports”", file=str(path),
                         hint="Usuń ten plik; raporty zostaną wtedy utworzone od nowa.")
    return manifest


@contextmanager
def manifest_lock(out_dir: Path, timeout_s: float = MANIFEST_LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the reports folder's manifest lock (held for one read-merge-write only).

    Raises
    ------
    InputError
        Another process held it for ``timeout_s`` seconds.
    """
    path = Path(out_dir) / MANIFEST_LOCK_NAME
    try:
        with FileLock(path, timeout=timeout_s):
            yield
    except Timeout:
        raise InputError(
            f"Spis raportów jest zajęty przez inny proces od ponad {timeout_s:.0f} s",
            file=str(path),
            hint="Sprawdź, czy inne „wkus report” do tego katalogu nie zawisło; "
                 "jeśli żadne nie działa, usuń ten plik blokady.",
        ) from None


def save_manifest(out_dir: Path, manifest: Mapping[str, Any]) -> None:
    """Write the manifest atomically; only the parent process calls this."""
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    atomic_write_bytes(Path(out_dir) / MANIFEST_NAME, text.encode("utf-8"))


class _Journal:
    """The parent's record of a batch: manifest entries, progress bar, log lines, index."""

    def __init__(self, out_dir: Path, total: int, quiet: bool) -> None:
        self.out_dir = out_dir
        self.quiet = quiet
        self.manifest = load_manifest(out_dir)
        self.inputs: dict[str, dict[str, Any]] = {}
        self.results: dict[str, ReportOutcome] = {}
        self._up_to_date: list[ReportOutcome] = []
        self.progress = tqdm(total=total, desc="Raporty", unit="rap.", file=sys.stderr,
                             disable=quiet, dynamic_ncols=True)

    @property
    def finished(self) -> int:
        """Reports done or up to date so far."""
        return sum(1 for o in self.results.values() if o.status != "failed")

    def plan(self, report: PlannedReport) -> bool:
        """Remember a report's inputs; True when it must be built."""
        spec = report.spec
        self.inputs[spec.output_stem] = {**report.inputs, "rebuilt_because": list(report.reasons)}
        if report.rebuild:
            return True
        previous = self.manifest["reports"][spec.output_stem]
        self._up_to_date.append(ReportOutcome(
            spec, "skipped", float(previous["duration_s"]), dict(previous["outputs"])
        ))
        return False

    def record_skipped(self) -> None:
        for outcome in self._up_to_date:
            self.record(outcome)

    def record(self, outcome: ReportOutcome) -> None:
        """Keep an outcome; a built or failed report updates the manifest on disk at once,
        merged with what other batches into the same folder wrote meanwhile."""
        stem = outcome.spec.output_stem
        self.results[stem] = outcome
        if outcome.status != "skipped":
            entry = _manifest_entry(self.inputs[stem], outcome)
            self.out_dir.mkdir(parents=True, exist_ok=True)
            with manifest_lock(self.out_dir):
                self.manifest = load_manifest(self.out_dir)
                self.manifest["reports"][stem] = entry
                save_manifest(self.out_dir, self.manifest)
        self.progress.update()
        if not self.quiet:
            tqdm.write(_log_line(outcome, self.out_dir), file=sys.stderr)

    def close(self) -> None:
        """The index of every report in the folder's manifest (other batches' too)."""
        self.progress.close()
        statuses = {stem: o.status for stem, o in self.results.items()}
        self.out_dir.mkdir(parents=True, exist_ok=True)
        with manifest_lock(self.out_dir):
            self.manifest = load_manifest(self.out_dir)
            index_page.write_index(self.out_dir, self.manifest, statuses, today=date.today())


def _run_tasks(
    tasks: Sequence[ReportTask],
    executor: Executor | None,
    jobs: int | None,
    record: Callable[[ReportOutcome], None],
    kernel_start: KernelStart,
) -> None:
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks)))
    pool = executor or _ReportPool(
        workers, mp_context=multiprocessing.get_context("spawn"),
        initializer=prepare_pool_worker,
        initargs=(kernel_start, os.getpid(), tasks[0].notebooks_dir),
    )
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
        if executor is None:
            pool.shutdown(wait=True, cancel_futures=True)


class _ReportPool(ProcessPoolExecutor):
    def terminate_workers(self) -> None:
        """Stop running reports now (Python 3.14 has this built in); kernels follow their worker."""
        for process in list((self._processes or {}).values()):
            process.terminate()


def _outcome_of(future: Future[ReportOutcome], task: ReportTask) -> ReportOutcome:
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001 — a worker that died is one failed report
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


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ParameterError(f"Nieznany format „{unknown[0]}”. Dostępne: {', '.join(FORMATS)}")
    return tuple(f for f in FORMATS if f in formats)


def _check_unique_stems(specs: Sequence[ReportSpec]) -> None:
    seen: set[str] = set()
    for spec in specs:
        if spec.output_stem in seen:
            raise ParameterError(
                f"Dwa raporty zapisałyby się do tego samego pliku: {spec.output_stem}"
            )
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


def _entry_inputs(
    spec: ReportSpec, notebook_text: str, store: Mapping[str, Any], formats: Sequence[str],
    parts: KeyParts,
) -> dict[str, Any]:
    """The manifest fields that trace a report to what it was built from."""
    return {
        "title": spec.title,
        "group": list(spec.group),
        "notebook": spec.notebook,
        "parameters": spec.params.notebook_parameters(),
        "data_hash": str(store["hash"]),
        "synthetic": bool(store.get("synthetic", False)),
        "notebook_hash": sha256_text(notebook_text),
        "version": library_version(),
        "formats": list(formats),
        "key_parts": parts.as_json(),
        "key": parts.key,
    }


def _reasons(
    previous: Mapping[str, Any] | None, parts: KeyParts, out_dir: Path, force: bool
) -> tuple[str, ...]:
    """Why a report is built (empty: it is up to date and skipped)."""
    if force:
        return (FORCED,)
    if previous is not None and previous.get("status") == "ok" \
            and previous.get("key") == parts.key:
        outputs = previous.get("outputs", {}).values()
        return () if all((out_dir / path).is_file() for path in outputs) else (OUTPUT_MISSING,)
    return tuple(change_reasons(previous, parts)) or (OUTPUT_MISSING,)


def _manifest_entry(inputs: Mapping[str, Any], outcome: ReportOutcome) -> dict[str, Any]:
    error = outcome.error
    return {
        **inputs,
        "status": outcome.status,
        "duration_s": round(outcome.duration_s, 2),
        "timings": outcome.timings,
        "outputs": outcome.outputs,
        "error": None if error is None else {
            "exception": error.exception, "summary": error.summary,
            "cell": error.cell, "traceback": error.traceback,
        },
    }


def _log_line(outcome: ReportOutcome, out_dir: Path) -> str:
    label = index_page.STATUS_LABELS[outcome.status]
    seconds = f"{outcome.duration_s:6.1f} s".replace(".", ",")
    first = next(iter(outcome.outputs.values()), outcome.spec.output_stem)
    line = f"{label:<20} {seconds}  {out_dir / first}"
    if outcome.error:
        line += f"\n{'':<20} {outcome.error.summary}"
    return line

