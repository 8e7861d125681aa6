"""Benchmark: one report kind for every gmina of a voivodeship on a local Dask cluster.

Generates the voivodeship's synthetic data (``wkus demo-data --voivodeship``:
every gmina of the registry in it, e.g. the 118 of podlaskie), starts a
local Dask cluster as ``docs/SCALING.md`` describes a real one (one process
per core, one thread per process, workers behind nannies), and builds one
report kind (``gmina_overview`` by default: one report per gmina) for every
gmina with :func:`wkus_lib.batch.runner.run_batch` through
:func:`wkus_lib.batch.dask_executor.connect`, HTML + PDF as ``make bench``.

Measured: wall time and reports/s, the reports' own work (cell, HTML and
PDF seconds from the manifest) per report, and memory sampled every 0.5 s:
the largest PSS sum of one Dask worker (nanny + worker + zygote + kernel)
and the largest RSS of one process. ``docs/SCALING.md`` extrapolates these
figures to the 2 477 gminy of the country.

Run: ``python bench/voivodeship_batch.py [--voivodeship podlaskie] [--kind gmina_overview]
[--reports N] [--jobs N] [--json]``; without ``--json`` the figures replace
the voivodeship section of ``bench/RESULTS.md`` (``make bench`` runs it
through ``bench/report_batch.py --voivodeship podlaskie``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Final

from measure import MIB, MemorySampler, load, machine, work_phases

from wkus_lib.batch.dask_executor import connect
from wkus_lib.batch.params import ReportSpec, resolve_batch
from wkus_lib.batch.runner import run_batch
from wkus_lib.batch.selection import keep_supported, latest_year, supported_reports
from wkus_lib.demo import write_demo
from wkus_lib.store import read_store

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SECTION: Final = "## One report kind for a whole voivodeship on a local Dask cluster"


def choose_reports(store_dir: Path, kind: str, count: int | None) -> list[ReportSpec]:
    """Every supported report of ``kind`` in the store's last year (the first ``count``)."""
    contracts = read_store(store_dir).contracts
    year = latest_year(contracts)
    specs = keep_supported(resolve_batch("all", kind, "all", year=year, store_dir=store_dir),
                           supported_reports(contracts, year))
    return specs if count is None else specs[:count]


def run_on_local_cluster(
    specs: list[ReportSpec], out_dir: Path, jobs: int
) -> tuple[float, dict[str, float], MemorySampler]:
    """The batch on a ``LocalCluster`` of ``jobs`` one-thread workers; seconds, phases, memory."""
    from distributed import LocalCluster

    sampler = MemorySampler()
    with LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, sampler.running():
        started = time.perf_counter()
        with connect(str(cluster.scheduler_address)) as executor:
            result = run_batch(specs, out_dir=out_dir, notebooks_dir=NOTEBOOKS,
                               executor=executor, formats=("html", "pdf"), force=True,
                               quiet=True)
        elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(result.summary())
    phases = work_phases(out_dir)
    return elapsed, phases, sampler


def measure(voivodeship: str, kind: str, count: int | None, jobs: int) -> dict[str, Any]:
    """Generate, build, measure; the figures as a dict."""
    load_before = load()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        summary = write_demo(root / "raw", root / "store", seed=2024, voivodeship=voivodeship)
        specs = choose_reports(root / "store", kind, count)
        print(f"{summary.gminy} gmin, {len(specs)} raportów {kind} na lokalnym klastrze Dask "
              f"({jobs} procesów)…", file=sys.stderr, flush=True)
        elapsed, phases, memory = run_on_local_cluster(specs, root / "out", jobs)
    reports = len(specs)
    work = sum(phases.values())
    return {
        "voivodeship": voivodeship, "gminy": summary.gminy, "kind": kind, "reports": reports,
        "subset": reports < summary.gminy if kind == "gmina_overview" else count is not None,
        "workers": jobs, "wall_s": round(elapsed, 1),
        "reports_per_s": round(reports / elapsed, 3),
        "reports_per_s_per_worker": round(reports / elapsed / jobs, 3),
        "work_s_per_report": round(work / reports, 2),
        "work_phase_shares": {k: round(v / work, 2) for k, v in phases.items()},
        "peak_worker_pss_mib": round(memory.peak_worker_pss / MIB),
        "peak_process_rss_mib": round(memory.peak_rss / MIB),
        "load_before": load_before, "load_after": load(),
    }


def section(f: dict[str, Any]) -> str:
    """The voivodeship section of ``bench/RESULTS.md``."""
    shares = f["work_phase_shares"]
    subset = (f" (a subset: the first {f['reports']} of the voivodeship's reports)"
              if f["subset"] else "")
    rows = [
        ("gminy generated (`wkus demo-data --voivodeship`)",
         f"{f['gminy']} ({f['voivodeship']})"),
        (f"`{f['kind']}` reports built (HTML + PDF){subset}", str(f["reports"])),
        ("Dask workers (one process, one thread each)", str(f["workers"])),
        ("wall time", f"{f['wall_s']} s"),
        ("reports/s", str(f["reports_per_s"])),
        ("reports/s per worker", str(f["reports_per_s_per_worker"])),
        ("work per report: cell + HTML + PDF seconds",
         (f"{f['work_s_per_report']} s (cells {shares['cells']:.0%}, HTML {shares['html']:.0%}, "
          f"PDF {shares['pdf']:.0%})")),
        ("peak memory per worker: PSS of nanny + worker + zygote + kernel",
         f"{f['peak_worker_pss_mib']} MiB"),
        ("peak RSS of one process", f"{f['peak_process_rss_mib']} MiB"),
    ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    return (
        f"{SECTION}\n\n"
        f"Machine: {machine()}. Load average before: {f['load_before']}; after: "
        f"{f['load_after']}.\n\n"
        "| measure | value |\n|---|---|\n"
        f"{table}\n\n"
        "Produced by `python bench/voivodeship_batch.py` (also `make bench`, through "
        "`bench/report_batch.py --voivodeship`). Extrapolation to the whole country: "
        "`docs/SCALING.md`.\n"
    )


def with_section(results: str, new_section: str) -> str:
    """``results`` with its voivodeship section replaced by (or followed by) ``new_section``."""
    before = results.split(SECTION, 1)[0].rstrip("\n")
    return f"{before}\n\n{new_section}" if before else new_section


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voivodeship", default="podlaskie")
    parser.add_argument("--kind", default="gmina_overview",
                        help="report kind (gmina_overview: one per gmina)")
    parser.add_argument("--reports", type=int, default=None,
                        help="only the first N reports (default: all of the voivodeship)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", action="store_true",
                        help="print the figures as one JSON line instead of writing RESULTS.md")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    figures = measure(args.voivodeship, args.kind, args.reports, args.jobs)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
        return
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    old = args.results.read_text(encoding="utf-8") if args.results.exists() else ""
    args.results.write_text(with_section(old, section(figures)), encoding="utf-8")


if __name__ == "__main__":
    main()
