"""Batch processes die with their parent, and batches into one folder keep each other's reports.

The batches here run the fixture notebooks (tests/fixtures/notebooks) in the
real process pool, with the zygote's forked kernels or fresh ones. A report
for the area named by ``WKUS_TEST_SLOW_AREA`` sleeps 60 s in its kernel, so a
batch can be caught while a kernel is alive.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Final

import psutil
import pytest

from wkus_lib.batch.build import ReportOutcome
from wkus_lib.batch.index_page import INDEX_NAME
from wkus_lib.batch.params import ReportParams, ReportSpec
from wkus_lib.batch.runner import (
    MANIFEST_LOCK_NAME,
    PlannedReport,
    _Journal,
    load_manifest,
    manifest_lock,
)
from wkus_lib.domain import AreaId

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
SLOW_AREA: Final = "kultura"
BATCH = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from wkus_lib.batch.params import ReportParams, ReportSpec
    from wkus_lib.batch.runner import run_batch

    if __name__ == "__main__":
        specs = [ReportSpec(**{**s, "params": ReportParams(**s["params"]),
                                "group": tuple(s["group"])}) for s in json.loads(sys.argv[1])]
        run_batch(specs, out_dir=Path(sys.argv[2]), notebooks_dir=Path(sys.argv[3]), jobs=1,
                  formats=("html",), kernel_start=sys.argv[4], quiet=True)
""")


def _spec(store: Path, teryt: str, area: AreaId) -> ReportSpec:
    params = ReportParams(teryt=teryt, area=area, kind="on_going", year=2024,
                          store_dir=str(store))
    return ReportSpec(
        notebook="report.ipynb", params=params,
        output_stem=f"{teryt}-gmina/on_going/{area}", title=f"Gmina {teryt} — {area}",
        group=(f"Gmina {teryt}", "Ocena bieżąca", area),
    )


@pytest.fixture()
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    manifest = {"hash": "hash-1", "synthetic": True, "note": "", "tables": {}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def _start_batch(tmp_path: Path, specs: list[ReportSpec], out_dir: Path,
                 kernel_start: str = "fork", name: str = "batch") -> subprocess.Popen[bytes]:
    """The batch in a new process; its output goes to ``<name>.log`` in ``tmp_path``."""
    script = tmp_path / "batch.py"
    script.write_text(BATCH, encoding="utf-8")
    with (tmp_path / f"{name}.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, str(script), json.dumps([{**vars(s), "params": s.params.model_dump()} for s in specs]),
             str(out_dir), str(NOTEBOOKS), kernel_start],
            env={**os.environ, "WKUS_TEST_SLOW_AREA": SLOW_AREA},
            stdout=log, stderr=subprocess.STDOUT,
        )


def _log(tmp_path: Path, name: str = "batch") -> str:
    return (tmp_path / f"{name}.log").read_text(encoding="utf-8", errors="replace")


def _kernels(root: psutil.Process) -> list[psutil.Process]:
    """Report kernels under ``root``: forked by a zygote, or fresh ``ipykernel_launcher``s."""
    found = []
    for process in root.children(recursive=True):
        try:
            command = " ".join(process.cmdline())
            parent = process.parent()
            parent_command = " ".join(parent.cmdline()) if parent else ""
        except psutil.NoSuchProcess:
            continue
        if "ipykernel_launcher" in command or "wkus_lib.batch.zygote" in parent_command:
            found.append(process)
    return found


def _finished(out_dir: Path) -> set[str]:
    if not (out_dir / "manifest.json").exists():
        return set()
    return {stem for stem, e in load_manifest(out_dir)["reports"].items() if e["status"] == "ok"}


@pytest.mark.slow
@pytest.mark.parametrize("kernel_start", ["fork", "fresh"])
def test_kill_9_of_a_batch_leaves_no_worker_zygote_or_kernel_behind(
    kernel_start: str, tmp_path: Path, store: Path,
) -> None:
    batch = _start_batch(tmp_path, [_spec(store, "2013023", SLOW_AREA)], tmp_path / "reports",
                         kernel_start)
    tree: list[psutil.Process] = []
    try:
        root = psutil.Process(batch.pid)
        deadline = time.monotonic() + 120
        while not _kernels(root):
            assert batch.poll() is None, _log(tmp_path)
            assert time.monotonic() < deadline, "no report kernel started"
            time.sleep(0.2)
        tree = root.children(recursive=True)
        assert len(tree) >= 2  # at least a worker and a kernel (and the zygote when forking)
        batch.send_signal(signal.SIGKILL)
        batch.wait(timeout=10)
        _, alive = psutil.wait_procs(tree, timeout=15)
        survivors = [p.pid for p in alive if p.is_running()]
        assert survivors == [], _log(tmp_path)
    finally:
        for process in tree:
            with contextlib.suppress(psutil.NoSuchProcess):
                process.kill()
        if batch.poll() is None:
            batch.kill()
            batch.wait()


@pytest.mark.slow
def test_two_batches_into_one_folder_both_stay_in_manifest_and_index(
    tmp_path: Path, store: Path,
) -> None:
    """Batch A builds one report and then sleeps in its second; batch B, started meanwhile,
    builds its report and ends; A is stopped afterwards (its end writes the index)."""
    out_dir = tmp_path / "reports"
    first_a = "2013023-gmina/on_going/sport"
    only_b = "2002063-gmina/on_going/sport"
    a = _start_batch(tmp_path, [_spec(store, "2013023", "sport"),
                                _spec(store, "2013023", SLOW_AREA)], out_dir, name="a")
    try:
        deadline = time.monotonic() + 120
        while first_a not in _finished(out_dir):
            assert a.poll() is None, _log(tmp_path, "a")
            assert time.monotonic() < deadline, "batch A built nothing"
            time.sleep(0.2)
        b = _start_batch(tmp_path, [_spec(store, "2002063", "sport")], out_dir, name="b")
        assert b.wait(timeout=180) == 0, _log(tmp_path, "b")
        assert a.poll() is None, "batch A must still be running (its slow report)"
        a.send_signal(signal.SIGTERM)
        a.wait(timeout=60)
        assert "Przerwano tworzenie raportów: gotowe 1 z 2" in _log(tmp_path, "a")
    finally:
        if a.poll() is None:
            a.kill()
            a.wait()
    assert _finished(out_dir) == {first_a, only_b}
    index = (out_dir / INDEX_NAME).read_text(encoding="utf-8")
    assert "2013023" in index and "2002063" in index
    assert f"{first_a}.html" in index and f"{only_b}.html" in index


def _outcome(spec: ReportSpec) -> ReportOutcome:
    return ReportOutcome(spec, "ok", 1.0, {"html": f"{spec.output_stem}.html"})


def test_journals_of_overlapping_batches_merge_the_manifest_and_index(
    tmp_path: Path, store: Path,
) -> None:
    """Both batches read the (empty) manifest before either records: nothing is lost."""
    out_dir = tmp_path / "reports"
    spec_a, spec_b = _spec(store, "2013023", "sport"), _spec(store, "2002063", "sport")
    first, second = _Journal(out_dir, 1, quiet=True), _Journal(out_dir, 1, quiet=True)
    for journal, spec in ((first, spec_a), (second, spec_b)):
        journal.plan(PlannedReport(spec, {"key": spec.output_stem, "title": spec.title,
                                          "group": list(spec.group)}, ("wymuszone",)))
    second.record(_outcome(spec_b))
    first.record(_outcome(spec_a))
    second.close()
    first.close()
    assert set(load_manifest(out_dir)["reports"]) == {spec_a.output_stem, spec_b.output_stem}
    index = (out_dir / INDEX_NAME).read_text(encoding="utf-8")
    assert "2013023" in index and "2002063" in index


def test_a_manifest_held_too_long_is_a_polish_error(tmp_path: Path) -> None:
    with manifest_lock(tmp_path):
        probe = subprocess.run(
            [sys.executable, "-c",
             ("import sys; from pathlib import Path; from wkus_lib.batch.runner import manifest_lock\n"
              "from wkus_lib.errors import InputError\n"
              "try:\n"
              "    with manifest_lock(Path(sys.argv[1]), timeout_s=0.2): pass\n"
              "except InputError as e: print(e)\n"), str(tmp_path)],
            capture_output=True, text=True, timeout=60, check=True,
        )
    assert "Spis raportów jest zajęty przez inny proces" in probe.stdout
    assert MANIFEST_LOCK_NAME in probe.stdout
    with manifest_lock(tmp_path, timeout_s=0.2):
        pass  # free again


def test_a_child_that_asks_dies_with_its_parent(tmp_path: Path) -> None:
    """Parent → child (asks for the parent-death signal) → the parent is killed → the child goes."""
    ready = tmp_path / "ready"
    code = textwrap.dedent(f"""
        import os, subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c",
            "import os, sys, time, pathlib\\n"
            "from wkus_lib.batch.parent_death import die_with_parent\\n"
            "assert die_with_parent(int(sys.argv[1]))\\n"
            "pathlib.Path(sys.argv[2]).write_text(str(os.getpid()))\\n"
            "time.sleep(120)\\n", str(os.getpid()), {str(ready)!r}])
        time.sleep(120)
    """)
    parent = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() or not ready.read_text():
            assert time.monotonic() < deadline
            time.sleep(0.1)
        child = psutil.Process(int(ready.read_text()))
        parent.kill()
        parent.wait(timeout=10)
        _, alive = psutil.wait_procs([child], timeout=10)
        assert alive == []
    finally:
        parent.kill()


def test_a_child_whose_parent_is_already_gone_exits_at_once() -> None:
    probe = subprocess.run(
        [sys.executable, "-c",
         ("from wkus_lib.batch.parent_death import die_with_parent\n"
          "die_with_parent(1)  # not our parent: as if it had died before the call\n"
          "print('still here')\n")],
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert probe.returncode == 1
    assert "still here" not in probe.stdout
