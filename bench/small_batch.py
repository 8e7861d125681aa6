"""One gmina's batch against its own work: how close ``wkus report`` runs to it.

Runs ``wkus report --gmina TERYT --force`` (a new process each time, as a user
would) ``--runs`` times into a temporary folder and prints, per run, the wall
time of the command, the work of its reports — the cell, HTML, PDF and XLSX
times the manifest records for each report, summed and divided by the worker
processes — and their ratio (1.0: no start-up, messaging or idle time at all).

``--compare PATH`` also runs the same command with ``PYTHONPATH=PATH`` (e.g. a
checkout of an older commit), alternating with this checkout run by run, so
both see the same load on a shared machine. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PHASES = ("cells", "html", "pdf", "xlsx")


def run_once(
    checkout: Path, out: Path, teryt: str, store: Path, jobs: int, extra: list[str]
) -> dict[str, Any]:
    """Wall seconds, work seconds (summed phases / jobs) and their ratio of one batch.

    ``out`` is kept between runs (``--force`` rebuilds every report), as a user's
    reports folder is: its manifest holds the previous run's times.
    """
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "wkus_lib.cli", "report", "--gmina", teryt,
                    "--force", "--jobs", str(jobs), "--store", str(store), "--out", str(out),
                    *extra],
                   check=True, capture_output=True, env=env, cwd=checkout)
    wall = time.perf_counter() - started
    reports = json.loads((out / "manifest.json").read_text())["reports"].values()
    work = sum(float(r["timings"].get(p, 0.0)) for r in reports for p in PHASES) / jobs
    return {"reports": len(reports), "wall_s": round(wall, 2), "work_s": round(work, 2),
            "ratio": round(wall / work, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gmina", default="2013023")
    parser.add_argument("--store", type=Path, default=ROOT / "data" / "store")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stage", default=None, help="passed on as --stage (default: all)")
    parser.add_argument("--compare", type=Path, default=None,
                        help="another checkout to run alternately (PYTHONPATH)")
    args = parser.parse_args()
    extra = ["--stage", args.stage] if args.stage else []
    checkouts = {"this": ROOT} | ({"compare": args.compare.resolve()} if args.compare else {})
    ratios: dict[str, list[float]] = {name: [] for name in checkouts}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for name, checkout in checkouts.items():
                figures = run_once(checkout, Path(tmp) / name, args.gmina, args.store.resolve(),
                                   args.jobs, extra)
                ratios[name].append(figures["ratio"])
                print(f"run {run + 1} {name}: {figures}; load {os.getloadavg()[0]:.1f}",
                      flush=True)
    for name, values in ratios.items():
        print(f"{name}: median wall/work {statistics.median(values):.2f} over {len(values)} runs")


if __name__ == "__main__":
    main()
