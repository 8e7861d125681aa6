"""Benchmark: every indicator for a synthetic country (2 477 gminy × 9 areas × 6 years).

Generates the national synthetic data set with :mod:`wkus_lib.demo`
(DANE SYNTETYCZNE), validates it into a :class:`~wkus_lib.store.Store` and
times :func:`wkus_lib.evaluation.indicators.compute_indicators` on it. Prints the
generation time, the indicator time (wall clock and CPU: on a shared machine
the wall clock also counts other processes' turns), the rows produced, the
memory the table needs (the largest resident memory while it is computed,
sampled every 5 ms, minus the resident memory before, when the store is
already in memory) and the peak resident memory of the whole process
(generation included). Targets: the table in under 5 s and 1 GiB.

Run: ``python bench/indicators_national.py [--gminy 2477] [--seed 2024] [--json]``
(``make bench`` runs it through ``bench/report_batch.py --national``).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import psutil

from wkus_lib import demo
from wkus_lib.evaluation.indicators import compute_indicators
from wkus_lib.schemas import TABLES
from wkus_lib.store import Store

NATIONAL_GMINY = 2477
FIRST_YEAR = 2020
LAST_YEAR = 2025
TARGET_SECONDS = 5.0
TARGET_GIB = 1.0
SAMPLE_S = 0.005
T = TypeVar("T")


def peak_rss_gib() -> float:
    """Peak resident set size of this process [GiB] (``ru_maxrss`` is KiB on Linux)."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 1 if sys.platform == "darwin" else 1024
    return kib * scale / 1024**3


def with_peak_rss(work: Callable[[], T]) -> tuple[T, float]:
    """``work()`` and the largest resident memory [GiB] above the one before it, while it ran."""
    process = psutil.Process()
    before = process.memory_info().rss
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(SAMPLE_S):
            peak = max(peak, process.memory_info().rss)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        result = work()
    finally:
        done.set()
        sampler.join()
    return result, (max(peak, process.memory_info().rss) - before) / 1024**3


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; return 0 if within both targets, 1 otherwise."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gminy", type=int, default=NATIONAL_GMINY)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--json", action="store_true",
                        help="also print the figures as one JSON line (for report_batch.py)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    gminy = demo.synthetic_gminy(args.gminy, seed=args.seed)
    tables = demo.generate_tables(args.seed, gminy, first_year=FIRST_YEAR, last_year=LAST_YEAR)
    generated = time.perf_counter()
    frames: dict[str, Any] = {name: TABLES[name].validate(frame) for name, frame in tables.items()}
    store = Store(**frames, synthetic=True)
    del tables
    validated = time.perf_counter()
    cpu_start = time.process_time()
    table, table_gib = with_peak_rss(lambda: compute_indicators(store))
    cpu = time.process_time() - cpu_start
    computed = time.perf_counter()

    seconds = computed - validated
    gib = peak_rss_gib()
    print(f"{demo.SYNTHETIC_MARK}: {args.gminy} gmin, lata {FIRST_YEAR}–{LAST_YEAR}, "
          f"seed {args.seed}")
    print(f"odpowiedzi ankiet klientów/personelu: {len(store.survey_responses):,}")
    print(f"generowanie danych:   {generated - start:7.1f} s")
    print(f"walidacja (pandera):  {validated - generated:7.1f} s")
    print(f"wskaźniki:            {seconds:7.1f} s (cel < {TARGET_SECONDS:.0f} s), "
          f"czas procesora {cpu:.1f} s")
    print(f"wiersze tabeli:       {len(table):,}")
    print(f"pamięć na tabelę:     {table_gib:7.2f} GiB ponad magazyn (cel < {TARGET_GIB:.0f} GiB)")
    print(f"szczyt pamięci (RSS): {gib:7.2f} GiB (cały proces, z generowaniem danych)")
    if args.json:
        print(json.dumps({
            "gminy": args.gminy, "generate_s": round(generated - start, 1),
            "validate_s": round(validated - generated, 1), "indicators_s": round(seconds, 1),
            "indicators_cpu_s": round(cpu, 1), "rows": len(table),
            "table_gib": round(table_gib, 2), "peak_rss_gib": round(gib, 2),
        }))
    return 0 if seconds < TARGET_SECONDS and table_gib < TARGET_GIB else 1


if __name__ == "__main__":
    raise SystemExit(main())
