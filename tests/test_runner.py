"""The batch runner, tested the way batches run: papermill kernels in worker processes.

Fixture notebooks (tests/fixtures/notebooks): ``report.ipynb`` records what its
kernel saw (TERYT and its type, interpreter, working folder) in a removed cell
and shows two tables; ``failing.ipynb`` prints, then raises in its second cell.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import nbformat
import pytest

from wkus_lib.batch import report_key
from wkus_lib.batch.params import ReportParams, ReportSpec
from wkus_lib.batch.runner import BatchResult, load_manifest, run_batch
from wkus_lib.demo.corrections import correct_achieved
from wkus_lib.domain import AreaId, ReportKind
from wkus_lib.errors import InputError, ParameterError

NOTEBOOKS = Path(__file__).parent / "fixtures" / "notebooks"
FACTS_MIMETYPE = "application/vnd.wkus.test+json"
# nbformat has no type hints: its functions are used as untyped callables.
read_notebook: Any = nbformat.read
write_notebook: Any = nbformat.write
new_markdown_cell: Any = nbformat.v4.new_markdown_cell


def make_spec(
    store: Path, teryt: str, area: AreaId, *, notebook: str = "report.ipynb", year: int = 2024
) -> ReportSpec:
    params = ReportParams(teryt=teryt, area=area, kind="on_going", year=year,
                          store_dir=str(store))
    return ReportSpec(
        notebook=notebook, params=params, output_stem=f"{teryt}-gmina/on_going/{area}",
        title=f"Gmina {teryt} — {area}", group=(f"Gmina {teryt}", "Ocena bieżąca", area),
    )


def _specs_json(specs: list[ReportSpec]) -> str:
    """Specs as JSON for a batch in another process (``ReportParams`` rebuilds the params)."""
    return json.dumps([{**vars(spec), "params": spec.params.model_dump()} for spec in specs])


def write_store(folder: Path, *, data_hash: str = "hash-1", synthetic: bool = True) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {"hash": data_hash, "synthetic": synthetic, "note": "", "tables": {}}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


def facts(report_ipynb: Path) -> dict[str, Any]:
    nb = read_notebook(report_ipynb, as_version=4)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if FACTS_MIMETYPE in output.get("data", {}):
                return dict(output["data"][FACTS_MIMETYPE])
    raise AssertionError("the notebook recorded no facts")


def output_bytes(out_dir: Path, stem: str) -> dict[str, bytes]:
    return {s: (out_dir / f"{stem}.{s}").read_bytes() for s in ("html", "pdf", "xlsx", "ipynb")}


@pytest.fixture(autouse=True)
def _library_files_held_still(monkeypatch: pytest.MonkeyPatch) -> None:
    """The library's hash is the one at each test's start: an edit of ``wkus_lib`` while a
    test runs would rebuild every report (tests/test_report_key.py tests the hash itself)."""
    at_start = report_key.library_hash()
    monkeypatch.setattr(report_key, "library_hash", lambda: at_start)


@pytest.fixture(scope="module")
def pool() -> Iterator[Executor]:
    """One warm spawn pool for the module: workers import papermill and WeasyPrint once."""
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as executor:
        yield executor


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="module")
def mixed_batch(
    tmp_path_factory: pytest.TempPathFactory, pool: Executor, store: Path
) -> tuple[BatchResult, Path]:
    """Two good reports around a failing one."""
    out_dir = tmp_path_factory.mktemp("reports")
    specs = [
        make_spec(store, "0201011", "sport"),
        make_spec(store, "0201011", "kultura", notebook="failing.ipynb"),
        make_spec(store, "2013023", "sport"),
    ]
    return run_batch(specs, out_dir=out_dir, notebooks_dir=NOTEBOOKS, executor=pool), out_dir


@pytest.mark.slow
def test_kernel_runs_on_this_interpreter_in_the_notebooks_folder(
    mixed_batch: tuple[BatchResult, Path],
) -> None:
    _, out_dir = mixed_batch
    seen = facts(out_dir / "0201011-gmina/on_going/sport.ipynb")
    assert seen["executable"] == sys.executable
    assert Path(seen["cwd"]) == NOTEBOOKS.resolve()


@pytest.mark.slow
def test_report_kernels_keep_no_ipython_history(mixed_batch: tuple[BatchResult, Path]) -> None:
    """The user's IPython history database is theirs: report cells are in the notebooks."""
    _, out_dir = mixed_batch
    assert facts(out_dir / "0201011-gmina/on_going/sport.ipynb")["history_enabled"] is False


@pytest.mark.slow
def test_teryt_with_leading_zero_reaches_the_notebook_as_a_string(
    mixed_batch: tuple[BatchResult, Path],
) -> None:
    _, out_dir = mixed_batch
    seen = facts(out_dir / "0201011-gmina/on_going/sport.ipynb")
    assert (seen["teryt"], seen["teryt_type"]) == ("0201011", "str")


@pytest.mark.slow
def test_a_failing_report_does_not_stop_the_others(mixed_batch: tuple[BatchResult, Path]) -> None:
    result, out_dir = mixed_batch
    assert [o.status for o in result.outcomes] == ["ok", "failed", "ok"]
    assert result.exit_code == 1
    for stem in ("0201011-gmina/on_going/sport", "2013023-gmina/on_going/sport"):
        assert all((out_dir / f"{stem}.{s}").is_file() for s in ("html", "pdf", "xlsx", "ipynb"))


@pytest.mark.slow
def test_a_failure_keeps_the_partial_notebook_and_is_recorded(
    mixed_batch: tuple[BatchResult, Path],
) -> None:
    result, out_dir = mixed_batch
    stem = "0201011-gmina/on_going/kultura"
    partial = (out_dir / f"{stem}.failed.ipynb").read_text(encoding="utf-8")
    assert "PRZED_BLEDEM" in partial
    assert "Brak danych dla gminy 0201011" in partial
    assert not (out_dir / f"{stem}.html").exists()
    entry = load_manifest(out_dir)["reports"][stem]
    assert entry["status"] == "failed"
    assert entry["outputs"] == {"failed_ipynb": f"{stem}.failed.ipynb"}
    assert entry["error"]["exception"] == "ValueError"
    assert entry["error"]["summary"].startswith("Błąd w komórce [")
    assert "raise ValueError" in entry["error"]["cell"]
    summary = result.summary()
    assert "błędy: 1" in summary
    assert f"{stem}: Błąd w komórce" in summary


@pytest.mark.slow
def test_manifest_traces_each_report_to_its_inputs(
    mixed_batch: tuple[BatchResult, Path], store: Path
) -> None:
    _, out_dir = mixed_batch
    entry = load_manifest(out_dir)["reports"]["2013023-gmina/on_going/sport"]
    assert entry["status"] == "ok"
    assert entry["data_hash"] == "hash-1"
    assert entry["parameters"]["teryt"] == "2013023"
    assert entry["parameters"]["store_dir"] == str(store)
    assert len(entry["notebook_hash"]) == 64
    assert entry["version"]
    assert entry["duration_s"] > 0
    assert entry["error"] is None
    assert set(entry["outputs"]) == {"html", "pdf", "xlsx", "ipynb"}


@pytest.mark.slow
def test_html_report_has_no_code_and_no_injected_parameters(
    mixed_batch: tuple[BatchResult, Path],
) -> None:
    _, out_dir = mixed_batch
    html = (out_dir / "0201011-gmina/on_going/sport.html").read_text(encoding="utf-8")
    body = html[html.index("<body"):]
    assert "Zażółć gęślą jaźń" in body
    for hidden in ("KOD_ZRODLOWY", "injected-parameters", "teryt =", "0201011", "SEKRET",
                   "NIE_DO_RAPORTU", "store_dir"):
        assert hidden not in body


@pytest.mark.slow
def test_xlsx_annex_holds_the_tables_the_report_showed(
    mixed_batch: tuple[BatchResult, Path],
) -> None:
    from openpyxl import load_workbook

    _, out_dir = mixed_batch
    book = load_workbook(out_dir / "2013023-gmina/on_going/sport.xlsx")
    assert book.sheetnames[0] == "Spis tabel"
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    texts = {str(cell.value) for cell in cells if cell.value is not None}
    assert any("Koszt jednostkowy: Łapy/2024 [zł]" in text for text in texts)  # title kept whole
    assert any("Wskaźniki" in text for text in texts | set(book.sheetnames))
    formula_like = [cell for cell in cells if cell.value == "=SUM(A1:A9)"]
    assert formula_like, "the formula-like text cell is kept"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in formula_like)


@pytest.mark.slow
def test_index_groups_reports_with_status_and_relative_links(
    mixed_batch: tuple[BatchResult, Path],
) -> None:
    _, out_dir = mixed_batch
    index = (out_dir / "index.html").read_text(encoding="utf-8")
    assert '<html lang="pl">' in index
    assert "DANE SYNTETYCZNE" in index
    assert index.index("Gmina 0201011") < index.index("Gmina 2013023")
    assert 'href="0201011-gmina/on_going/kultura.failed.ipynb"' in index
    assert 'href="2013023-gmina/on_going/sport.pdf"' in index
    assert ">błąd<" in index
    assert str(out_dir) not in index


@pytest.mark.slow
def test_rerun_skips_unchanged_reports_and_reruns_changed_ones(
    tmp_path: Path, pool: Executor, store: Path
) -> None:
    notebooks = Path(shutil.copytree(NOTEBOOKS, tmp_path / "notebooks"))
    out_dir = tmp_path / "reports"
    specs = [make_spec(store, "2013023", "sport"), make_spec(store, "2013023", "kultura")]
    first = run_batch(specs, out_dir=out_dir, notebooks_dir=notebooks, executor=pool,
                      formats=("html",))
    assert [o.status for o in first.outcomes] == ["ok", "ok"]
    html = out_dir / "2013023-gmina/on_going/sport.html"
    written = html.stat().st_mtime_ns

    again = run_batch(specs, out_dir=out_dir, notebooks_dir=notebooks, executor=pool,
                      formats=("html",))
    assert [o.status for o in again.outcomes] == ["skipped", "skipped"]
    assert html.stat().st_mtime_ns == written
    assert "pominięty – aktualny" in (out_dir / "index.html").read_text(encoding="utf-8")

    changed_year = [specs[0], make_spec(store, "2013023", "kultura", year=2025)]
    rerun = run_batch(changed_year, out_dir=out_dir, notebooks_dir=notebooks, executor=pool,
                      formats=("html",))
    assert [o.status for o in rerun.outcomes] == ["skipped", "ok"]

    nb = read_notebook(notebooks / "report.ipynb", as_version=4)
    nb.cells.append(new_markdown_cell("Nowy akapit wniosków."))
    write_notebook(nb, notebooks / "report.ipynb")
    edited = run_batch(changed_year, out_dir=out_dir, notebooks_dir=notebooks, executor=pool,
                       formats=("html",))
    assert [o.status for o in edited.outcomes] == ["ok", "ok"]
    assert "Nowy akapit wniosków." in html.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_changed_data_hash_reruns_the_report(tmp_path: Path, pool: Executor) -> None:
    store = write_store(tmp_path / "store", data_hash="before")
    spec = make_spec(store, "2013023", "sport")
    kwargs: dict[str, Any] = {"out_dir": tmp_path / "reports", "notebooks_dir": NOTEBOOKS,
                              "executor": pool, "formats": ("html",)}
    assert run_batch([spec], **kwargs).outcomes[0].status == "ok"
    write_store(store, data_hash="after")
    assert run_batch([spec], **kwargs).outcomes[0].status == "ok"
    assert run_batch([spec], **kwargs).outcomes[0].status == "skipped"


@pytest.mark.slow
def test_forced_rerun_gives_byte_identical_html_pdf_xlsx_and_notebook(
    mixed_batch: tuple[BatchResult, Path], tmp_path: Path, pool: Executor, store: Path
) -> None:
    _, first_dir = mixed_batch
    out_dir = Path(shutil.copytree(first_dir, tmp_path / "reports"))
    stem = "2013023-gmina/on_going/sport"
    before = output_bytes(out_dir, stem)
    result = run_batch([make_spec(store, "2013023", "sport")], out_dir=out_dir,
                       notebooks_dir=NOTEBOOKS, executor=pool, force=True)
    assert result.outcomes[0].status == "ok"
    assert output_bytes(out_dir, stem) == before


class CountingExecutor(Executor):
    """A foreign executor (as a Dask client's would be): delegates and counts submissions."""

    def __init__(self, inner: Executor) -> None:
        self.inner = inner
        self.submitted = 0

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        self.submitted += 1
        return self.inner.submit(fn, *args, **kwargs)


@pytest.mark.slow
def test_any_executor_is_accepted(tmp_path: Path, store: Path, pool: Executor) -> None:
    executor = CountingExecutor(pool)
    result = run_batch([make_spec(store, "2013023", "sport")], out_dir=tmp_path,
                       notebooks_dir=NOTEBOOKS, executor=executor, formats=("xlsx",))
    assert executor.submitted == 1
    assert result.outcomes[0].status == "ok"
    assert set(result.outcomes[0].outputs) == {"xlsx", "ipynb"}


INTERRUPTED_BATCH = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from wkus_lib.batch.params import ReportParams, ReportSpec
    from wkus_lib.batch.runner import run_batch

    if __name__ == "__main__":
        specs = [ReportSpec(**{**s, "params": ReportParams(**s["params"]),
                                "group": tuple(s["group"])}) for s in json.loads(sys.argv[1])]
        run_batch(specs, out_dir=Path(sys.argv[2]), notebooks_dir=Path(sys.argv[3]), jobs=1,
                  formats=("html",))
""")


@pytest.mark.slow
def test_sigterm_then_rerun_completes_without_redoing_finished_reports(
    tmp_path: Path, store: Path, pool: Executor
) -> None:
    out_dir = tmp_path / "reports"
    script = tmp_path / "interrupted_batch.py"
    script.write_text(INTERRUPTED_BATCH, encoding="utf-8")
    specs = [make_spec(store, "2013023", area) for area in ("sport", "kultura", "zdrowie")]
    runner = subprocess.Popen(
        [sys.executable, str(script), _specs_json(specs),
         str(out_dir), str(NOTEBOOKS)],
        env={**os.environ, "WKUS_TEST_SLOW_AREA": "kultura"},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    first = "2013023-gmina/on_going/sport"
    deadline = time.monotonic() + 60
    while first not in _finished(out_dir) and runner.poll() is None:
        assert time.monotonic() < deadline, "the first report never finished"
        time.sleep(0.2)
    runner.send_signal(signal.SIGTERM)
    _, stderr = runner.communicate(timeout=30)
    assert runner.returncode != 0
    assert "Przerwano tworzenie raportów: gotowe 1 z 3" in stderr
    assert _finished(out_dir) == {first}
    written = (out_dir / f"{first}.html").stat().st_mtime_ns

    result = run_batch(specs, out_dir=out_dir, notebooks_dir=NOTEBOOKS, executor=pool,
                       formats=("html",))
    assert [o.status for o in result.outcomes] == ["skipped", "ok", "ok"]
    assert (out_dir / f"{first}.html").stat().st_mtime_ns == written


def _finished(out_dir: Path) -> set[str]:
    if not (out_dir / "manifest.json").exists():
        return set()
    return {stem for stem, e in load_manifest(out_dir)["reports"].items() if e["status"] == "ok"}


def test_a_missing_notebook_is_refused_before_any_kernel_starts(
    tmp_path: Path, store: Path
) -> None:
    with pytest.raises(ParameterError, match="Brak notatnika „ex_post.ipynb”.*Dostępne: failing"):
        run_batch([make_spec(store, "2013023", "sport", notebook="ex_post.ipynb")],
                  out_dir=tmp_path / "reports", notebooks_dir=NOTEBOOKS)
    assert not (tmp_path / "reports").exists()


def test_an_unknown_format_is_refused(tmp_path: Path, store: Path) -> None:
    with pytest.raises(ParameterError, match="Nieznany format „docx”"):
        run_batch([make_spec(store, "2013023", "sport")], out_dir=tmp_path,
                  notebooks_dir=NOTEBOOKS, formats=("html", "docx"))


def test_two_reports_with_one_output_path_are_refused(tmp_path: Path, store: Path) -> None:
    spec = make_spec(store, "2013023", "sport")
    with pytest.raises(ParameterError, match="tego samego pliku"):
        run_batch([spec, spec], out_dir=tmp_path, notebooks_dir=NOTEBOOKS)


def test_a_store_never_built_is_a_polish_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="Magazyn danych jest pusty"):
        run_batch([make_spec(tmp_path / "none", "2013023", "sport")], out_dir=tmp_path,
                  notebooks_dir=NOTEBOOKS)


def test_a_damaged_manifest_is_a_polish_input_error(tmp_path: Path, store: Path) -> None:
    (tmp_path / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="Spis raportów jest uszkodzony.*Usuń ten plik"):
        run_batch([make_spec(store, "2013023", "sport")], out_dir=tmp_path,
                  notebooks_dir=NOTEBOOKS)


def _kind_spec(store: Path, teryt: str | None, area: AreaId, kind: ReportKind) -> ReportSpec:
    """A report of ``kind`` (``benchmark``: no gmina) on the fixture notebook, year 2024."""
    params = ReportParams(teryt=teryt, area=area, kind=kind, year=2024, store_dir=str(store))
    stem = f"benchmark/{area}" if teryt is None else f"{teryt}-gmina/{kind}/{area}"
    return ReportSpec(notebook="report.ipynb", params=params, output_stem=stem,
                      title=stem, group=(str(teryt), kind, area))


@pytest.mark.slow
def test_a_changed_row_rebuilds_only_the_reports_that_read_it(
    tmp_path: Path, pool: Executor, demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sopot and Łapy reports and two benchmarks; a correction in Sopot's multi-year contract."""
    from wkus_lib.batch.runner import plan_batch

    store = Path(shutil.copytree(demo.store_dir, tmp_path / "store"))
    specs = [
        _kind_spec(store, "2264011", "pomoc_spoleczna", "on_going"),
        _kind_spec(store, "2264011", "sport", "ex_ante"),
        _kind_spec(store, "2002063", "sport", "ex_ante"),
        _kind_spec(store, None, "pomoc_spoleczna", "benchmark"),
        _kind_spec(store, None, "sport", "benchmark"),
    ]
    kwargs: dict[str, Any] = {"out_dir": tmp_path / "reports", "notebooks_dir": NOTEBOOKS,
                              "executor": pool, "formats": ("html",), "quiet": True}

    def statuses() -> list[str]:
        return [o.status for o in run_batch(specs, **kwargs).outcomes]

    assert statuses() == ["ok"] * 5
    manifest = load_manifest(tmp_path / "reports")["reports"]
    assert {e["rebuilt_because"][0] for e in manifest.values()} == {"nowy raport"}

    correct_achieved(store, "2264011/pomoc_spoleczna/2022", 2023)
    html = tmp_path / "reports" / "2002063-gmina/ex_ante/sport.html"
    written = html.stat().st_mtime_ns
    planned = plan_batch(specs, out_dir=tmp_path / "reports", notebooks_dir=NOTEBOOKS,
                         formats=("html",))
    assert [p.reasons for p in planned] == [
        ("zmieniły się dane: results",), ("zmieniły się dane: results",), (),
        ("zmieniły się dane: results",), ()]
    assert load_manifest(tmp_path / "reports")["reports"] == manifest  # planning writes nothing
    assert statuses() == ["ok", "ok", "skipped", "ok", "skipped"]
    assert html.stat().st_mtime_ns == written
    entry = load_manifest(tmp_path / "reports")["reports"]["benchmark/pomoc_spoleczna"]
    assert entry["rebuilt_because"] == ["zmieniły się dane: results"]

    correct_achieved(store, "2264011/pomoc_spoleczna/2022", 2025)  # after the reports' year
    assert statuses() == ["skipped"] * 5

    monkeypatch.setattr(report_key, "library_hash", lambda: "edited library")
    assert statuses() == ["ok"] * 5
    entries = load_manifest(tmp_path / "reports")["reports"].values()
    assert {tuple(e["rebuilt_because"]) for e in entries} == {("zmienił się kod biblioteki",)}
