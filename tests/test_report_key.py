"""Report keys by what a report reads: one gmina's change rebuilds only what reads it.

Keys are computed on the demo store without running any kernel; the runner's
own rebuild counts are tested in tests/test_runner.py.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from wkus_lib.batch import report_key
from wkus_lib.batch.params import ReportParams, ReportSpec, resolve_batch
from wkus_lib.batch.report_key import BatchKeys, KeyParts, change_reasons, library_hash
from wkus_lib.batch.runner import MANIFEST_NAME, plan_batch
from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.demo.corrections import correct_achieved
from wkus_lib.store import read_manifest, read_store
from wkus_lib.store.locate import NOTEBOOKS_DIR

SOPOT, LAPY = "2264011", "2002063"
SOPOT_CONTRACT = "2264011/pomoc_spoleczna/2022"  # multi-year, 2022–2025


def copied_store(demo: DemoSummary, tmp_path: Path) -> Path:
    return Path(shutil.copytree(demo.store_dir, tmp_path / "store"))


def batch(store: Path, year: int) -> list[ReportSpec]:
    """Sopot and Łapy: every stage in two areas, their overviews, two benchmarks."""
    return resolve_batch([SOPOT, LAPY], "ex_ante,on_going,ex_post,gmina_overview,benchmark",
                         "pomoc_spoleczna,sport", year=year, store_dir=store)


def keys(store: Path, specs: list[ReportSpec]) -> dict[str, KeyParts]:
    batch_keys = BatchKeys({str(store.resolve()): read_manifest(store)})
    return {s.output_stem: batch_keys.parts(s.params.notebook_parameters(),
                                            s.params.notebook_parameters_json(), "nb", ("html",))
            for s in specs}


def changed(before: dict[str, KeyParts], after: dict[str, KeyParts]) -> set[str]:
    return {stem for stem in before if before[stem].key != after[stem].key}


def test_one_changed_row_changes_only_its_gminas_keys_and_its_areas_benchmark(
    demo: DemoSummary, tmp_path: Path
) -> None:
    store = copied_store(demo, tmp_path)
    specs = batch(store, 2024)
    before = keys(store, specs)
    correct_achieved(store, SOPOT_CONTRACT, 2023)
    after = keys(store, specs)
    sopot = {s.output_stem for s in specs if s.params.teryt == SOPOT}
    assert changed(before, after) == sopot | {"benchmark/pomoc_spoleczna"}
    # Only the results table's part moved.
    stem = f"{SOPOT}-sopot/ex_post/pomoc_spoleczna"
    assert change_reasons({"status": "ok", "key_parts": before[stem].as_json()},
                          after[stem]) == ["zmieniły się dane: results"]


def test_a_change_after_the_reports_year_changes_none_of_its_keys(
    demo: DemoSummary, tmp_path: Path
) -> None:
    store = copied_store(demo, tmp_path)
    specs, later = batch(store, 2024), batch(store, 2025)
    before, before_later = keys(store, specs), keys(store, later)
    correct_achieved(store, SOPOT_CONTRACT, 2025)
    assert read_manifest(store)["hash"] != demo.data_hash
    assert changed(before, keys(store, specs)) == set()
    sopot_2025 = {s.output_stem for s in later if s.params.teryt == SOPOT}
    assert changed(before_later, keys(store, later)) == sopot_2025 | {"benchmark/pomoc_spoleczna"}


def test_another_areas_multi_year_rows_leave_a_benchmark_alone_but_annual_grants_do_not(
    demo: DemoSummary, tmp_path: Path
) -> None:
    """E9 compares a contract with the gmina's annual-grant areas: those rows count."""
    store = copied_store(demo, tmp_path)
    specs = resolve_batch([SOPOT], "benchmark", "sport", year=2024, store_dir=store)
    before = keys(store, specs)
    correct_achieved(store, SOPOT_CONTRACT, 2023)
    assert changed(before, keys(store, specs)) == set()
    correct_achieved(store, f"{SOPOT}/kultura/2023", 2023)  # an annual grant
    assert changed(before, keys(store, specs)) == {"benchmark/sport"}


def test_library_hash_changes_with_any_byte_of_the_package(tmp_path: Path) -> None:
    package = Path(shutil.copytree(Path(__file__).parents[1] / "wkus_lib", tmp_path / "lib",
                                   ignore=shutil.ignore_patterns("__pycache__")))
    before = library_hash(package)
    assert library_hash(package) == before
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert library_hash(package) == before
    template = next((package / "templates").rglob("*.j2"))
    template.write_bytes(template.read_bytes() + b" ")
    assert library_hash(package) != before


def test_a_code_change_changes_the_library_part_and_packaged_notebooks_do_not(
    tmp_path: Path,
) -> None:
    """A wheel's ``wkus_lib/notebooks`` is no part of the library (each report's notebook is
    its own part): the same source keys alike from a wheel and from a checkout."""
    package = Path(shutil.copytree(Path(__file__).parents[1] / "wkus_lib", tmp_path / "lib",
                                   ignore=shutil.ignore_patterns("__pycache__")))
    before = library_hash(package)
    (package / "notebooks").mkdir()
    (package / "notebooks" / "ex_post.ipynb").write_text("{}", encoding="utf-8")
    assert library_hash(package) == before
    module = package / "metrics" / "efficiency.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert library_hash(package) != before


def test_dry_run_says_a_report_is_rebuilt_because_the_library_changed(
    demo: DemoSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    store = Path(demo.store_dir).resolve()
    specs = resolve_batch([SOPOT], "on_going", "pomoc_spoleczna", year=2024, store_dir=store)
    # The manifest a finished batch leaves: each report built (no output files to check).
    [built] = plan_batch(specs, out_dir=out, notebooks_dir=NOTEBOOKS_DIR)
    manifest = {"format": 1, "reports": {built.spec.output_stem: {
        **built.inputs, "status": "ok", "outputs": {}}}}
    (out / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    command = ["report", "--store", str(store), "--gmina", SOPOT, "--stage", "on_going",
               "--area", "pomoc_spoleczna", "--year", "2024", "--out", str(out), "--dry-run"]

    assert main(command) == 0
    assert "do zbudowania 0 raportów, aktualne: 1 z 1" in capsys.readouterr().out
    edited = report_key.library_hash() + "-edited"
    monkeypatch.setattr(report_key, "library_hash", lambda: edited)
    assert main(command) == 0
    printed = capsys.readouterr().out
    assert (f"do zbudowania: {SOPOT}-sopot/on_going/pomoc_spoleczna — zmienił się kod "
            "biblioteki\n") in printed
    assert json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8")) == manifest


def test_sroi_file_bytes_are_part_of_the_parameters(demo: DemoSummary, tmp_path: Path) -> None:
    sroi = tmp_path / "sroi.csv"
    sroi.write_text("outcome,quantity\na,1\n", encoding="utf-8")
    params = ReportParams(teryt=SOPOT, area="pomoc_spoleczna", kind="ex_post", year=2024,
                          store_dir=str(demo.store_dir), sroi_file=str(sroi))
    spec = ReportSpec("ex_post.ipynb", params, "s", "t")
    batch_keys = BatchKeys({str(demo.store_dir): read_manifest(demo.store_dir)})
    before = batch_keys.parts(spec.params.notebook_parameters(),
                              spec.params.notebook_parameters_json(), "nb", ("html",))
    sroi.write_text("outcome,quantity\na,2\n", encoding="utf-8")
    after = batch_keys.parts(spec.params.notebook_parameters(),
                             spec.params.notebook_parameters_json(), "nb", ("html",))
    assert change_reasons({"status": "ok", "key_parts": before.as_json()}, after) == [
        "zmieniły się parametry"]


def test_keying_a_large_batch_takes_well_under_a_second(demo: DemoSummary) -> None:
    """All gminy × five kinds × eight areas × six years on the demo store."""
    store = Path(demo.store_dir)
    gminy = sorted(read_store(store).contracts["teryt"].unique())
    specs = [spec for year in range(2020, 2026)
             for spec in resolve_batch(gminy, "all", "all", year=year, store_dir=store)]
    started = time.perf_counter()
    keys(store, specs)
    assert len(specs) > 1500
    assert time.perf_counter() - started < 2.0


def test_dry_run_prints_reasons_and_writes_nothing(
    demo: DemoSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "reports"
    code = main(["report", "--store", str(demo.store_dir), "--gmina", SOPOT, "--stage",
                 "on_going,benchmark", "--area", "pomoc_spoleczna", "--year", "2024",
                 "--out", str(out), "--dry-run"])
    printed = capsys.readouterr().out
    assert code == 0
    assert f"do zbudowania: {SOPOT}-sopot/on_going/pomoc_spoleczna — nowy raport" in printed
    assert "do zbudowania: benchmark/pomoc_spoleczna — nowy raport" in printed
    assert "Nic nie zapisano." in printed
    assert not out.exists()


def test_reasons_name_each_changed_part() -> None:
    parts = KeyParts({"results": "a", "finance": "f"}, "n", "p", "l", "c", ("html",))
    old = {"status": "ok", "key_parts": parts.as_json()}
    assert change_reasons(old, parts) == []
    new = KeyParts({"results": "b", "finance": "f"}, "n2", "p", "l2", "c2", ("html",))
    assert change_reasons(old, new) == [
        "zmieniły się dane: results", "zmienił się notatnik", "zmienił się kod biblioteki",
        "zmienił się katalog wskaźników"]
    assert change_reasons({**old, "status": "failed"}, parts) == ["poprzednio nieudany"]
    assert change_reasons({"status": "ok"}, parts) == [
        "wpis spisu raportów z wcześniejszej wersji programu"]
