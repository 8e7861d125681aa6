"""Batches on a Dask distributed cluster: a local cluster stands in for several machines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_runner import facts, make_spec, write_store

from wkus_lib.batch.dask_executor import connect
from wkus_lib.batch.runner import load_manifest, run_batch
from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary

FIXTURES = Path(__file__).parent / "fixtures" / "notebooks"


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """Address of a local Dask cluster: one worker process with one thread, as SCALING.md says."""
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster:  # any free port: never clash with another cluster
        yield str(cluster.scheduler_address)


@pytest.mark.slow
def test_a_batch_runs_on_a_dask_cluster_past_a_failure(scheduler: str, tmp_path: Path) -> None:
    store = write_store(tmp_path / "store")
    specs = [
        make_spec(store, "0201011", "sport"),
        make_spec(store, "0201011", "kultura", notebook="failing.ipynb"),
    ]
    with connect(scheduler) as executor:
        result = run_batch(specs, out_dir=tmp_path / "out", notebooks_dir=FIXTURES,
                           executor=executor, quiet=True)
    assert [o.status for o in result.outcomes] == ["ok", "failed"]
    seen = facts(tmp_path / "out" / "0201011-gmina/on_going/sport.ipynb")
    assert (seen["teryt"], seen["teryt_type"]) == ("0201011", "str")
    assert (tmp_path / "out" / "0201011-gmina/on_going/sport.pdf").is_file()
    assert load_manifest(tmp_path / "out")["reports"]["0201011-gmina/on_going/kultura"][
        "error"]["exception"] == "ValueError"


@pytest.mark.slow
def test_wkus_report_with_executor_dask_builds_a_demo_report(
    scheduler: str, demo: DemoSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    code = main(["report", "--gmina", "2013023", "--stage", "gmina_overview",
                 "--format", "html", "--store", str(demo.store_dir), "--out", str(out),
                 "--executor", "dask", "--scheduler", scheduler])
    assert code == 0, capsys.readouterr().err
    [entry] = load_manifest(out)["reports"].values()
    assert entry["status"] == "ok"
    html = (out / entry["outputs"]["html"]).read_text(encoding="utf-8")
    assert "Ciechanowiec" in html


def test_executor_dask_without_a_scheduler_is_refused_in_polish(
    demo: DemoSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["report", "--gmina", "2013023", "--store", str(demo.store_dir),
                 "--out", str(tmp_path), "--executor", "dask"])
    assert code == 2
    assert "--executor dask wymaga adresu planisty" in capsys.readouterr().err
