"""Benchmark of report batches: the naive CLI loop, ``wkus report`` and the floor.

In one run, on the same demo data and the same reports:

(a) naive — per report, the papermill CLI, then the nbconvert CLI (HTML
    without code), then the WeasyPrint CLI (PDF), each a new process;
(b) shipped — :func:`wkus_lib.runner.run_batch` with HTML and PDF, as
    ``wkus report`` runs it (one worker process per core);
(c) floor — the sum of the in-kernel cell execution times that papermill
    records (in (a)'s executed notebooks: the runner strips run times from
    its outputs so they stay byte-identical), divided by the cores: what the
    reports' own work costs with every start-up cost removed.

Prints reports per second, the ratios b/a and b/c and the peak RSS of any
child process (worker or kernel), and writes them to ``bench/RESULTS.md``
with a description of the machine. Not part of the test suite: ``make
bench-reports``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

from wkus_lib.demo import write_demo
from wkus_lib.params import ReportSpec, resolve_batch
from wkus_lib.runner import run_batch
from wkus_lib.selection import keep_supported, latest_year, supported_reports
from wkus_lib.store import read_store

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BIN = Path(sys.executable).parent


def choose_reports(store_dir: Path, count: int) -> list[ReportSpec]:
    """The first ``count`` reports of the full demo batch, all kinds mixed (stable order)."""
    contracts = read_store(store_dir).contracts
    year = latest_year(contracts)
    specs = keep_supported(resolve_batch("all", "all", "all", year=year, store_dir=store_dir),
                           supported_reports(contracts, year))
    by_kind: dict[str, list[ReportSpec]] = {}
    for spec in specs:
        by_kind.setdefault(str(spec.parameters["stage"]), []).append(spec)
    mixed = [s for group in zip(*by_kind.values(), strict=False) for s in group]
    return mixed[:count]


def run_naive(specs: list[ReportSpec], out_dir: Path) -> float:
    """(a): three CLI processes per report, one report after another; wall seconds."""
    started = time.perf_counter()
    for index, spec in enumerate(specs):
        params = out_dir / f"{index}.yaml"
        # A YAML file keeps TERYT codes strings (``-p`` would turn them into integers).
        params.write_text(yaml.safe_dump(dict(spec.parameters), allow_unicode=True),
                          encoding="utf-8")
        executed = out_dir / f"{index}.ipynb"
        subprocess.run([str(BIN / "papermill"), str(NOTEBOOKS / spec.notebook), str(executed),
                        "-f", str(params), "--cwd", str(NOTEBOOKS), "--no-progress-bar"],
                       check=True, capture_output=True)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input",
                        str(executed)], check=True, capture_output=True)
        subprocess.run([str(BIN / "weasyprint"), str(executed.with_suffix(".html")),
                        str(executed.with_suffix(".pdf"))], check=True, capture_output=True)
    return time.perf_counter() - started


def run_shipped(specs: list[ReportSpec], out_dir: Path, jobs: int) -> float:
    """(b): the batch runner as ``wkus report`` uses it; wall seconds."""
    started = time.perf_counter()
    result = run_batch(specs, out_dir=out_dir, notebooks_dir=NOTEBOOKS, jobs=jobs,
                       formats=("html", "pdf"), force=True, quiet=True)
    elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(result.summary())
    return elapsed


def cell_seconds(naive_dir: Path, count: int) -> float:
    """Sum of the cell execution times papermill recorded in the naive run's notebooks."""
    total = 0.0
    for index in range(count):
        nb = nbformat.read(naive_dir / f"{index}.ipynb", as_version=4)
        total += sum(float(cell.metadata.get("papermill", {}).get("duration") or 0.0)
                     for cell in nb.cells)
    return total


def machine() -> str:
    """A one-line description of this machine."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=8, help="number of reports (default 8)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_demo(root / "raw", root / "store", seed=2024)
        specs = choose_reports(root / "store", args.reports)
        naive_dir, shipped_dir = root / "naive", root / "shipped"
        naive_dir.mkdir()
        naive = run_naive(specs, naive_dir)
        shipped = run_shipped(specs, shipped_dir, args.jobs)
        floor = cell_seconds(naive_dir, len(specs)) / args.jobs
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    count = len(specs)
    figures = {
        "reports": count,
        "jobs": args.jobs,
        "naive_s": round(naive, 1),
        "shipped_s": round(shipped, 1),
        "floor_s": round(floor, 1),
        "naive_reports_per_s": round(count / naive, 3),
        "shipped_reports_per_s": round(count / shipped, 3),
        "speedup_vs_naive": round(naive / shipped, 2),
        "shipped_over_floor": round(shipped / floor, 2),
        "peak_child_rss_mib": round(peak_mib),
    }
    print(json.dumps(figures, indent=2))
    args.results.write_text(
        "# Report batch benchmark\n\n"
        f"Machine: {machine()}.\n\n"
        f"{count} demo reports (HTML + PDF), all kinds mixed, {args.jobs} worker processes.\n\n"
        "| measure | value |\n|---|---|\n"
        f"| (a) naive CLI loop (papermill, nbconvert, weasyprint CLIs) | {naive:.1f} s, "
        f"{count / naive:.3f} reports/s |\n"
        f"| (b) `wkus report` as shipped | {shipped:.1f} s, {count / shipped:.3f} reports/s |\n"
        f"| (c) floor: in-kernel cell time / cores | {floor:.1f} s |\n"
        f"| b/a speed-up | {naive / shipped:.2f}× |\n"
        f"| b/c (1.0 = at the floor) | {shipped / floor:.2f} |\n"
        f"| peak RSS of any child process (worker or kernel) | {peak_mib:.0f} MiB |\n\n"
        "Produced by `make bench-reports` (`bench/report_batch.py`).\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
