"""What the benchmarks share: memory sampling of child processes, the machine, the load."""

from __future__ import annotations

import os
import platform
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil

SAMPLE_S = 0.5
MIB = 2**20


class MemorySampler:
    """Peak memory of this process's descendants while a batch runs.

    Every ``SAMPLE_S`` seconds: the largest RSS of one process, and the
    largest PSS sum of one child of this process with all its descendants (a
    worker with its zygote and kernel; PSS shares copy-on-write pages fairly
    between forked processes).
    """

    def __init__(self) -> None:
        self.peak_rss = 0
        self.peak_worker_pss = 0
        self._stop = threading.Event()

    @contextmanager
    def running(self) -> Iterator[MemorySampler]:
        thread = threading.Thread(target=self._sample, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(SAMPLE_S):
            for worker in me.children():
                total_pss = 0
                for process in [worker, *_descendants(worker)]:
                    try:
                        info = process.memory_full_info()
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        continue
                    self.peak_rss = max(self.peak_rss, info.rss)
                    total_pss += info.pss
                self.peak_worker_pss = max(self.peak_worker_pss, total_pss)


def _descendants(process: psutil.Process) -> list[psutil.Process]:
    try:
        return list(process.children(recursive=True))
    except psutil.NoSuchProcess:
        return []


def machine() -> str:
    """A one-line description of this machine."""
    memory = psutil.virtual_memory().total / 2**30
    return (f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def load() -> str:
    """The load average (1, 5, 15 min)."""
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def work_phases(out_dir: Path) -> dict[str, float]:
    """Seconds of cell execution, HTML and PDF summed over a batch's reports (its manifest)."""
    from wkus_lib.batch.runner import load_manifest

    entries = load_manifest(out_dir)["reports"].values()
    return {phase: sum(float(e["timings"].get(phase, 0.0)) for e in entries)
            for phase in ("cells", "html", "pdf")}
