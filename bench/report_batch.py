"""Benchmark of report batches: the naive CLI loop, ``wkus report`` and the floor.

In one run, on the same demo data and the same reports (by default the full
pilot demo batch, HTML + PDF):

(a) naive — per report, the papermill CLI, then the nbconvert CLI (HTML
    without code), then the WeasyPrint CLI (PDF), each a new process;
(b) shipped — :func:`wkus_lib.batch.runner.run_batch` as ``wkus report`` runs it:
    one worker per core, each report's kernel forked from the worker's
    pre-imported zygote, HTML and PDF rendered in the worker;
(b') isolated (``--with-isolated``) — the same with a fresh interpreter per
    report (``wkus report --isolated``);
(c) floor — the sum of the in-kernel cell times that papermill records,
    divided by the cores: the reports' own work with every start-up cost
    removed. Two definitions, both printed: (c1) cell times of the naive run
    (kernels that import everything themselves: the issue's definition) and
    (c2) cell times of the shipped run (imports already done in the zygote,
    so its first cell is shorter: the stricter floor);
(c3) work — the shipped run's cell, HTML and PDF times (the manifest's
    timings) summed and divided by the cores: what (b) would take with no
    start-up, messaging or scheduling cost at all. a/c3 is therefore the
    largest speed-up over (a) that this work allows on these cores, and b/c3
    how close the runner comes to it;
(d) one gmina — ``wkus report --gmina 2013023 --force`` twice, each a new
    process as a user runs it, against its own reports' work (the small-batch
    case: start-up is paid once for few reports);
(e) one changed row — one result row of Sopot corrected in the store, then
    (b) again without ``--force``: how many reports rebuild and how long.

Peak memory per worker is sampled during (b) every 0.5 s: the largest RSS of
one process, and the largest PSS sum of a worker with its zygote and kernel
(PSS shares copy-on-write pages fairly between forked processes). The load
average is recorded: on a shared machine it explains noisy figures.

``--dashboard`` also runs ``bench/dashboard.py`` (``wkus dashboard`` in a
headless Chromium: first page, new pages, requests to other hosts);
``--national`` also runs ``bench/indicators_national.py`` (2 477 gminy) in
its own process and adds its time and memory; ``--voivodeship podlaskie``
runs ``bench/voivodeship_batch.py`` (one report kind for every gmina of the
voivodeship on a local Dask cluster) and adds its section. Results go to
``bench/RESULTS.md`` with a description of the machine. Not part of the
test suite: ``make bench``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
import yaml
from measure import MIB, MemorySampler, load, machine, work_phases
from small_batch import run_once as run_one_gmina
from voivodeship_batch import section as voivodeship_section

from wkus_lib.batch.build import KernelStart, cell_seconds
from wkus_lib.batch.params import ReportSpec, resolve_batch
from wkus_lib.batch.runner import run_batch
from wkus_lib.batch.selection import keep_supported, latest_year, supported_reports
from wkus_lib.demo import write_demo
from wkus_lib.demo.corrections import correct_achieved
from wkus_lib.store import read_store

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BIN = Path(sys.executable).parent
ONE_GMINA = "2013023"
"""Ciechanowiec: the gmina of the one-gmina batch (19 reports in the demo)."""
CORRECTED_CONTRACT = ("2264011/pomoc_spoleczna/2022", 2023)
"""The result row changed for the incremental rebuild: Sopot's contract, its 2023 report."""


def choose_reports(store_dir: Path, count: int | None) -> list[ReportSpec]:
    """The demo batch, all kinds interleaved (stable order); the first ``count`` if given."""
    contracts = read_store(store_dir).contracts
    year = latest_year(contracts)
    specs = keep_supported(resolve_batch("all", "all", "all", year=year, store_dir=store_dir),
                           supported_reports(contracts, year))
    by_kind: dict[str, list[ReportSpec]] = {}
    for spec in specs:
        by_kind.setdefault(spec.params.kind, []).append(spec)
    longest = max(len(group) for group in by_kind.values())
    mixed = [g[i] for i in range(longest) for g in by_kind.values() if i < len(g)]
    return mixed if count is None else mixed[:count]


def run_naive(specs: list[ReportSpec], out_dir: Path) -> float:
    """(a): three CLI processes per report, one report after another; wall seconds."""
    started = time.perf_counter()
    for index, spec in enumerate(specs):
        params = out_dir / f"{index}.yaml"
        # A YAML file keeps TERYT codes strings (``-p`` would turn them into integers).
        params.write_text(yaml.safe_dump(spec.params.notebook_parameters(), allow_unicode=True),
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


def run_runner(
    specs: list[ReportSpec], out_dir: Path, jobs: int, kernel_start: KernelStart
) -> tuple[float, dict[str, float], MemorySampler]:
    """(b)/(b'): the batch runner; wall seconds, summed seconds per phase, memory.

    Phases are the manifest's timings: ``cells`` (in-kernel cell time),
    ``html`` and ``pdf`` (rendering in the worker).
    """
    sampler = MemorySampler()
    started = time.perf_counter()
    with sampler.running():
        result = run_batch(specs, out_dir=out_dir, notebooks_dir=NOTEBOOKS, jobs=jobs,
                           formats=("html", "pdf"), force=True, quiet=True,
                           kernel_start=kernel_start)
    elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(result.summary())
    phases = work_phases(out_dir)
    return elapsed, phases, sampler


def run_incremental(specs: list[ReportSpec], out_dir: Path, jobs: int) -> dict[str, Any]:
    """The same batch again after one corrected row, without ``--force``: what it rebuilt."""
    started = time.perf_counter()
    result = run_batch(specs, out_dir=out_dir, notebooks_dir=NOTEBOOKS, jobs=jobs,
                       formats=("html", "pdf"), quiet=True)
    elapsed = time.perf_counter() - started
    if result.exit_code != 0:
        raise SystemExit(result.summary())
    return {"rebuilt": len(result.done), "skipped": len(result.skipped),
            "wall_s": round(elapsed, 1)}


def report_files(out_dir: Path) -> dict[str, bytes]:
    """Every report file of a batch (HTML, PDF, notebook) by its path; not the bookkeeping."""
    return {str(p.relative_to(out_dir)): p.read_bytes() for p in sorted(out_dir.rglob("*"))
            if p.is_file() and p.name not in ("manifest.json", "index.html")}


def naive_cell_seconds(naive_dir: Path, count: int) -> float:
    """Sum of the cell execution times papermill recorded in the naive run's notebooks."""
    return sum(cell_seconds(nbformat.read(naive_dir / f"{i}.ipynb", as_version=4))
               for i in range(count))


def run_script(name: str, *args: str) -> dict[str, Any]:
    """``bench/<name> --json`` in its own process (its memory is its own); its JSON figures."""
    completed = subprocess.run([sys.executable, str(ROOT / "bench" / name), *args, "--json"],
                               capture_output=True, text=True, check=False)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise SystemExit(f"{name} failed:\n{completed.stderr[-2000:]}")
    figures: dict[str, Any] = json.loads(lines[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=None,
                        help="only the first N reports (default: the full demo batch)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--with-isolated", action="store_true",
                        help="also time the batch with a fresh interpreter per report")
    parser.add_argument("--national", action="store_true",
                        help="also run the national indicator benchmark (2 477 gminy)")
    parser.add_argument("--voivodeship", default=None,
                        help="also time one report kind for every gmina of this voivodeship "
                             "on a local Dask cluster (bench/voivodeship_batch.py)")
    parser.add_argument("--dashboard", action="store_true",
                        help="also time the dashboard in Chromium (bench/dashboard.py)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    load_before = load()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_demo(root / "raw", root / "store", seed=2024)
        specs = choose_reports(root / "store", args.reports)
        count = len(specs)
        naive_dir = root / "naive"
        naive_dir.mkdir()
        print(f"{count} raportów; (a) pętla naiwna…", file=sys.stderr, flush=True)
        naive = run_naive(specs, naive_dir)
        floor_naive = naive_cell_seconds(naive_dir, count) / args.jobs
        print("(b) wkus report…", file=sys.stderr, flush=True)
        shipped, phases, memory = run_runner(specs, root / "shipped", args.jobs, "fork")
        isolated = identical = None
        if args.with_isolated:
            print("(b') wkus report --isolated…", file=sys.stderr, flush=True)
            isolated, _, _ = run_runner(specs, root / "isolated", args.jobs, "fresh")
            identical = report_files(root / "shipped") == report_files(root / "isolated")
        print("(d) jedna gmina…", file=sys.stderr, flush=True)
        one_gmina = [run_one_gmina(ROOT, root / "one", ONE_GMINA, root / "store", args.jobs, [])
                     for _ in range(2)]
        print("(e) jeden poprawiony wiersz…", file=sys.stderr, flush=True)
        correct_achieved(root / "store", *CORRECTED_CONTRACT)
        incremental = run_incremental(specs, root / "shipped", args.jobs)
    dashboard = run_script("dashboard.py") if args.dashboard else None
    national = run_script("indicators_national.py") if args.national else None
    voivodeship = (run_script("voivodeship_batch.py", "--voivodeship", args.voivodeship,
                              "--jobs", str(args.jobs)) if args.voivodeship else None)
    floor_shipped = phases["cells"] / args.jobs
    work_total = sum(phases.values())
    work = work_total / args.jobs
    figures: dict[str, Any] = {
        "reports": count, "jobs": args.jobs, "load_before": load_before, "load_after": load(),
        "naive_s": round(naive, 1), "shipped_s": round(shipped, 1),
        "isolated_s": None if isolated is None else round(isolated, 1),
        "fast_equals_isolated": identical,
        "floor_naive_cells_s": round(floor_naive, 1),
        "floor_shipped_cells_s": round(floor_shipped, 1),
        "work_s": round(work, 1),
        "work_phase_shares": {k: round(v / work_total, 2) for k, v in phases.items()},
        "naive_reports_per_s": round(count / naive, 3),
        "shipped_reports_per_s": round(count / shipped, 3),
        "speedup_vs_naive": round(naive / shipped, 2),
        "shipped_over_floor_naive": round(shipped / floor_naive, 2),
        "shipped_over_floor_shipped": round(shipped / floor_shipped, 2),
        "naive_over_work": round(naive / work, 2),
        "shipped_over_work": round(shipped / work, 2),
        "peak_process_rss_mib": round(memory.peak_rss / MIB),
        "peak_worker_pss_mib": round(memory.peak_worker_pss / MIB),
        "one_gmina": {"teryt": ONE_GMINA, "runs": one_gmina},
        "incremental": incremental,
        "dashboard": dashboard,
        "national": national,
        "voivodeship": voivodeship,
    }
    print(json.dumps(figures, indent=2, ensure_ascii=False))
    args.results.write_text(results_markdown(figures), encoding="utf-8")


def results_markdown(f: dict[str, Any]) -> str:
    """``bench/RESULTS.md`` from the figures of one run."""
    count, jobs, shares = f["reports"], f["jobs"], f["work_phase_shares"]
    rows = [
        ("(a) naive CLI loop (papermill, nbconvert, weasyprint CLIs per report)",
         f"{f['naive_s']} s, {f['naive_reports_per_s']} reports/s"),
        ("(b) `wkus report` as shipped (kernels forked from a pre-imported zygote)",
         f"{f['shipped_s']} s, {f['shipped_reports_per_s']} reports/s"),
    ]
    if f["isolated_s"] is not None:
        rows.append(("(b') `wkus report --isolated` (a fresh interpreter per report)",
                     f"{f['isolated_s']} s, {round(count / f['isolated_s'], 3)} reports/s"))
        rows.append(("(b) and (b') outputs byte-identical (HTML, PDF, .ipynb of every report)",
                     "yes" if f["fast_equals_isolated"] else "NO"))
    rows += [
        ("(c1) floor: cell time of the naive run / cores", f"{f['floor_naive_cells_s']} s"),
        ("(c2) floor: cell time of the shipped run / cores (imports done in the zygote)",
         f"{f['floor_shipped_cells_s']} s"),
        ("(c3) work: cell + HTML + PDF time of the shipped run / cores",
         (f"{f['work_s']} s (cells {shares['cells']:.0%}, HTML {shares['html']:.0%}, "
          f"PDF {shares['pdf']:.0%})")),
        ("b/a speed-up", f"{f['speedup_vs_naive']}×"),
        ("b/c1 (1.0 = at the floor)", str(f["shipped_over_floor_naive"])),
        ("b/c2 (stricter)", str(f["shipped_over_floor_shipped"])),
        ("a/c3: the largest speed-up this work allows on these cores", f"{f['naive_over_work']}×"),
        ("b/c3: runner overhead over the work (1.0 = none)", str(f["shipped_over_work"])),
        *[((f"(d) one gmina, `wkus report --gmina {f['one_gmina']['teryt']} --force` "
            f"(a new process, as a user runs it), run {number}"),
           (f"{run['reports']} reports: {run['wall_s']} s wall, {run['work_s']} s work "
            f"(cells + HTML + PDF + XLSX / cores), wall/work {run['ratio']}"))
          for number, run in enumerate(f["one_gmina"]["runs"], start=1)],
        ("(e) one result row of Sopot corrected, then (b) again without `--force`",
         (f"{f['incremental']['rebuilt']} reports rebuilt, {f['incremental']['skipped']} "
          f"up to date, {f['incremental']['wall_s']} s")),
        ("peak RSS of one process during (b)", f"{f['peak_process_rss_mib']} MiB"),
        ("peak memory per worker during (b): PSS of worker + zygote + kernel",
         f"{f['peak_worker_pss_mib']} MiB"),
    ]
    dashboard = f.get("dashboard")
    if dashboard:
        seconds = ", ".join(f"{x} s" for x in dashboard["new_pages_at_once_s"])
        paused = ", ".join(f"{x} s" for x in dashboard["new_pages_after_pause_s"])
        rows += [
            ("dashboard (`wkus dashboard`, headless Chromium): server accepts connections",
             f"{dashboard['server_answers_s']} s after start"),
            ("dashboard: first page usable (gmina list shown, headline value filled)",
             f"{dashboard['first_page_s']} s after start"),
            ("dashboard: new pages, opened one after another", seconds),
            (f"dashboard: new pages, each after {dashboard['pause_s']} s", paused),
            ("dashboard: requests to any host but the local server",
             str(len(dashboard["foreign_requests"]))),
        ]
    national = f["national"]
    if national:
        rows += [
            (f"national indicator table ({national['gminy']} gminy × 9 areas × 6 years): time",
             (f"{national['indicators_s']} s, CPU {national['indicators_cpu_s']} s "
              f"({national['rows']} rows)")),
            ("national indicator table: memory above the store (peak RSS while computed)",
             f"{national['table_gib']} GiB"),
            ("national benchmark process: peak RSS (data generation included)",
             f"{national['peak_rss_gib']} GiB"),
        ]
    table = "\n".join(f"| {name} | {value} |" for name, value in rows)
    return (
        "# Report batch benchmark\n\n"
        f"Machine: {machine()}. Load average (1, 5, 15 min) before the run: "
        f"{f['load_before']}; after: {f['load_after']} (a shared machine: other work "
        "slows every measure of the same run alike).\n\n"
        f"{count} demo reports (HTML + PDF; the full pilot demo batch unless fewer were asked "
        f"for), all kinds interleaved, {jobs} worker processes; every measure in one run on "
        "the same data.\n\n"
        "| measure | value |\n|---|---|\n"
        f"{table}\n\n"
        "The floor is the sum of the in-kernel cell times papermill records, divided by the "
        "cores. (c1) takes them from the naive run, whose kernels import pandas, matplotlib "
        "and `wkus_lib` in their first cell; (c2) from the shipped run, whose kernels find "
        "those modules already imported, so it is lower and b/c2 the stricter ratio. Neither "
        "floor contains HTML or PDF rendering, which (b) must also do: (c3) adds them, "
        "as the workers measured them, so a/c3 is the speed-up a runner without any "
        "start-up, messaging or scheduling cost would reach.\n\n"
        "Produced by `make bench` (`bench/report_batch.py --with-isolated --dashboard "
        "--national --voivodeship podlaskie`).\n"
        + (f"\n{voivodeship_section(f['voivodeship'])}" if f.get("voivodeship") else "")
    )


if __name__ == "__main__":
    main()
