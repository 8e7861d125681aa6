"""Fast mode (kernels forked from a pre-imported zygote) is as isolated as a fresh kernel.

Two proofs: the demo reports rendered both ways are byte-identical, and a
notebook that plants state (variables, options, environment, folder,
``sys.path``, monkeypatches, data) never finds any of it in the next report
run by the same worker and zygote. The full demo batch is compared when
``WKUS_FULL_BATCH_TEST=1`` (about 3 minutes on 2 cores); ``make bench``
compares it on every run too.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

import pytest
from test_runner import facts, make_spec, write_store

from wkus_lib.batch.build import KernelStart
from wkus_lib.batch.params import ReportSpec, resolve_batch
from wkus_lib.batch.runner import BatchResult, run_batch
from wkus_lib.batch.selection import keep_supported, latest_year, supported_reports
from wkus_lib.cli import NOTEBOOKS_DIR
from wkus_lib.demo import DemoSummary
from wkus_lib.store import read_store

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"
BOOKKEEPING = frozenset({"manifest.json", "index.html", ".wkus-manifest.lock"})


def demo_batch(store_dir: Path) -> list[ReportSpec]:
    """The full demo batch, as ``wkus report --gmina all --stage all --area all`` builds it."""
    contracts = read_store(store_dir).contracts
    year = latest_year(contracts)
    specs = resolve_batch("all", "all", "all", year=year, store_dir=store_dir)
    return keep_supported(specs, supported_reports(contracts, year))


def one_of_each_kind(specs: list[ReportSpec]) -> list[ReportSpec]:
    """The first report of every kind (ex ante, on-going, ex post, overview, benchmark)."""
    first: dict[str, ReportSpec] = {}
    for spec in specs:
        first.setdefault(spec.notebook, spec)
    return list(first.values())


def render(specs: list[ReportSpec], out_dir: Path, kernel_start: KernelStart) -> BatchResult:
    return run_batch(specs, out_dir=out_dir, notebooks_dir=NOTEBOOKS_DIR, jobs=2, quiet=True,
                     kernel_start=kernel_start)


def report_files(out_dir: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(out_dir)): path.read_bytes()
        for path in sorted(out_dir.rglob("*")) if path.is_file() and path.name not in BOOKKEEPING
    }


def assert_identical(fast_dir: Path, isolated_dir: Path) -> None:
    fast, isolated = report_files(fast_dir), report_files(isolated_dir)
    assert sorted(fast) == sorted(isolated)
    different = [name for name in fast if fast[name] != isolated[name]]
    assert different == []


@pytest.mark.slow
def test_fast_and_isolated_modes_give_byte_identical_reports(
    demo: DemoSummary, tmp_path: Path
) -> None:
    specs = one_of_each_kind(demo_batch(demo.store_dir))
    assert {s.notebook for s in specs} == {
        "ex_ante.ipynb", "on_going.ipynb", "ex_post.ipynb", "gmina_overview.ipynb",
        "benchmark.ipynb",
    }
    fast = render(specs, tmp_path / "fast", "fork")
    isolated = render(specs, tmp_path / "isolated", "fresh")
    assert [o.status for o in fast.outcomes] == ["ok"] * len(specs)
    assert [o.status for o in isolated.outcomes] == ["ok"] * len(specs)
    assert len(report_files(tmp_path / "fast")) == 4 * len(specs)  # html, pdf, xlsx, ipynb
    assert_identical(tmp_path / "fast", tmp_path / "isolated")


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("WKUS_FULL_BATCH_TEST") != "1",
                    reason="the full demo batch twice takes minutes: WKUS_FULL_BATCH_TEST=1")
def test_the_full_demo_batch_is_byte_identical_in_fast_and_isolated_modes(
    demo: DemoSummary, tmp_path: Path
) -> None:
    specs = demo_batch(demo.store_dir)
    for kernel_start, folder in (("fork", "fast"), ("fresh", "isolated")):
        result = render(specs, tmp_path / folder, kernel_start)  # type: ignore[arg-type]
        assert result.exit_code == 0
    assert_identical(tmp_path / "fast", tmp_path / "isolated")


@pytest.fixture(scope="module")
def one_worker() -> Iterator[Executor]:
    """A single worker: every report goes through the same zygote, one after another."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as executor:
        yield executor


@pytest.mark.slow
def test_no_state_or_data_planted_by_a_report_reaches_the_next_one(
    tmp_path: Path, one_worker: Executor
) -> None:
    store = write_store(tmp_path / "store")
    gminy = ["2013023", "0201011", "2002063"]
    specs = [make_spec(store, t, "sport", notebook="plant_state.ipynb") for t in gminy]
    result = run_batch(specs, out_dir=tmp_path / "out", notebooks_dir=FIXTURES,
                       executor=one_worker, formats=("html",), quiet=True)
    assert [o.status for o in result.outcomes] == ["ok"] * 3
    found = [facts(tmp_path / "out" / f"{s.output_stem}.ipynb") for s in specs]
    assert [f["teryt"] for f in found] == gminy
    assert len({f["pid"] for f in found}) == 3
    assert len({f["parent_pid"] for f in found}) == 1  # all forked from one zygote
    for seen in found:
        assert seen["cwd"] == str(FIXTURES.resolve())
        assert seen["env"] == []
        assert seen["pandas_max_rows"] == found[0]["pandas_max_rows"] != 7
        assert seen["rc_linewidth"] == found[0]["rc_linewidth"] != 9.0
        assert seen["sys_path_planted"] == []
        assert seen["builtins_planted"] is False
        assert seen["module_planted"] == []
        assert seen["format_number_patched"] is False
        assert seen["globals_planted"] == []
        assert seen["dataframes_in_process"] == 0  # the zygote holds no gmina's data


@pytest.mark.slow
def test_fresh_kernels_are_children_of_the_worker_and_forked_ones_are_not(
    tmp_path: Path, one_worker: Executor
) -> None:
    store = write_store(tmp_path / "store")
    parents = {}
    for kernel_start in ("fork", "fresh"):
        spec = make_spec(store, "2013023", "sport", notebook="plant_state.ipynb")
        out_dir = tmp_path / kernel_start
        run_batch([spec], out_dir=out_dir, notebooks_dir=FIXTURES, executor=one_worker,
                  formats=("html",), quiet=True, kernel_start=kernel_start)  # type: ignore[arg-type]
        parents[kernel_start] = facts(out_dir / f"{spec.output_stem}.ipynb")["parent_pid"]
    worker_pid = one_worker.submit(os.getpid).result()
    assert parents["fresh"] == worker_pid
    assert parents["fork"] != worker_pid
