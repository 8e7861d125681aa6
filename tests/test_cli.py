"""The wkus command: clear Polish errors before any kernel starts; indicator CSV."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.store import read_store, write_store


@pytest.mark.parametrize(
    ("option", "value", "named_choice"),
    [("--gmina", "9999999", "Ciechanowiec (2013023)"), ("--gmina", "Lapyy", "2002063 Łapy"),
     ("--gmina", "Bolesławiec", "0201022 Bolesławiec (gmina wiejska"),
     ("--area", "nieistnieje", "pomoc_spoleczna")],
)
def test_unknown_choice_fails_fast_listing_valid_choices(
    option: str, value: str, named_choice: str, demo: DemoSummary, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    started = time.perf_counter()
    code = main(["report", option, value, "--store", str(demo.store_dir),
                 "--out", str(tmp_path / "out")])
    elapsed = time.perf_counter() - started
    error = capsys.readouterr().err
    assert code == 2
    assert f"„{value}”" in error and named_choice in error
    assert elapsed < 5, "validation must not start kernels"
    assert not (tmp_path / "out").exists()


def test_missing_store_is_a_polish_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["indicators", "--store", str(tmp_path / "brak"), "--out", str(tmp_path / "x.csv")])
    assert code == 2
    assert "wkus demo-data" in capsys.readouterr().err


def test_indicators_command_writes_a_machine_csv(demo: DemoSummary, tmp_path: Path) -> None:
    out = tmp_path / "wskazniki.csv"
    assert main(["indicators", "--gmina", "2002063", "--stage", "ex_post",
                 "--store", str(demo.store_dir), "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"teryt": str})
    assert set(table["teryt"]) == {"2002063"}
    assert set(table["stage"]) == {"ex_post"}
    assert list(table.columns) == ["teryt", "area", "stage", "year", "indicator", "value", "n",
                                   "ci_low", "ci_high", "target", "status", "suppressed"]
    text = out.read_text(encoding="utf-8")
    assert "," in text.splitlines()[0] and ";" not in text  # decimal point, comma separator


def test_catalog_copy_loads_and_feeds_the_indicator_table(demo: DemoSummary, tmp_path: Path) -> None:
    folder = tmp_path / "katalog"
    assert main(["catalog", str(folder)]) == 0
    indicators = folder / "indicators.yaml"
    text = indicators.read_text(encoding="utf-8")
    assert "id: E3" in text
    out = tmp_path / "w.csv"
    assert main(["indicators", "--gmina", "2002063", "--catalog", str(folder),
                 "--store", str(demo.store_dir), "--out", str(out)]) == 0
    assert "E3" in set(pd.read_csv(out)["indicator"])


@pytest.mark.parametrize(("content", "named"), [
    (None, "Plik nie istnieje"),
    ("outcome,quantity\nx,1\n", "proxy_value"),
    (("outcome,quantity,proxy_value,deadweight,displacement,attribution,drop_off,"
      "duration_years\nx,1,100,1.5,0,0,0,1\n"), "deadweight"),
])
def test_bad_sroi_file_fails_before_any_report(
    content: str | None, named: str, demo: DemoSummary, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "sroi.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code = main(["report", "--stage", "ex_post", "--sroi-file", str(path),
                 "--store", str(demo.store_dir), "--out", str(tmp_path / "out")])
    error = capsys.readouterr().err
    assert code == 2
    assert "sroi.csv" in error and named in error
    assert not (tmp_path / "out").exists()


def test_a_gmina_is_named_by_code_or_name_in_any_spelling(
    demo: DemoSummary, tmp_path: Path
) -> None:
    tables = []
    for given in ("2002063", "Łapy", "ŁAPY", "lapy"):
        out = tmp_path / f"{given}.csv"
        assert main(["indicators", "--gmina", given, "--stage", "ex_post",
                     "--store", str(demo.store_dir), "--out", str(out)]) == 0
        tables.append(out.read_bytes())
    assert len(set(tables)) == 1


def test_a_gmina_without_data_is_said_so_and_exits_1(
    demo: DemoSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "w.csv"
    code = main(["indicators", "--gmina", "2010092", "--store", str(demo.store_dir),
                 "--out", str(out)])
    error = capsys.readouterr().err
    assert code == 1
    assert f"Brak danych gminy Siemiatycze (2010092) w magazynie {demo.store_dir}" in error
    assert "Łapy (2002063)" in error  # the gminy that do have data
    assert not out.exists()
    code = main(["indicators", "--gmina", "2010092,Łapy", "--store", str(demo.store_dir),
                 "--out", str(out)])
    assert code == 1
    assert set(pd.read_csv(out, dtype={"teryt": str})["teryt"]) == {"2002063"}


def test_report_for_a_gmina_without_data_exits_1_before_any_kernel(
    demo: DemoSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["report", "--gmina", "Warszawa", "--store", str(demo.store_dir),
                 "--out", str(tmp_path / "out")])
    assert code == 1
    assert "Brak danych gminy Warszawa (1465011)" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_store_is_found_by_the_variable_from_any_folder(
    demo: DemoSummary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("WKUS_STORE", str(demo.store_dir))
    assert main(["indicators", "--gmina", "Łapy", "--out", "w.csv"]) == 0
    assert f"(magazyn {Path(demo.store_dir).resolve()})" in capsys.readouterr().out
    assert set(pd.read_csv(tmp_path / "w.csv", dtype={"teryt": str})["teryt"]) == {"2002063"}
    monkeypatch.setenv("WKUS_STORE", str(tmp_path / "brak"))
    assert main(["indicators", "--gmina", "Łapy", "--out", "w.csv"]) == 2
    assert "zmiennej WKUS_STORE" in capsys.readouterr().err


def test_program_takes_a_gmina_name(
    demo: DemoSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["program", "--gmina", "ŁAPY", "--years", "2027-2030",
                 "--store", str(demo.store_dir), "--out", str(tmp_path)]) == 0
    assert "gminy Łapy" in capsys.readouterr().err
    assert main(["program", "--gmina", "Bolesławiec", "--years", "2027-2030",
                 "--store", str(demo.store_dir), "--out", str(tmp_path)]) == 2
    assert "0201011 Bolesławiec" in capsys.readouterr().err


@pytest.mark.slow
def test_report_accepts_a_gmina_outside_the_pilots_that_has_data(
    demo: DemoSummary, tmp_path: Path
) -> None:
    """One pilot's rows relabelled as Siemiatycze (gmina wiejska, 2010092) in a new store."""
    lapy = read_store(demo.store_dir).for_gmina("2002063")
    tables = {
        name: frame.assign(teryt="2010092") if "teryt" in frame.columns else frame
        for name, frame in lapy.tables().items()
    }
    store_dir = tmp_path / "store"
    write_store(tables, store_dir, synthetic=True)
    out = tmp_path / "out"
    assert main(["report", "--gmina", "2010092", "--stage", "gmina_overview", "--format", "html",
                 "--store", str(store_dir), "--out", str(out)]) == 0
    page = (out / "2010092-siemiatycze" / "gmina_overview" / "gmina.html").read_text(
        encoding="utf-8")
    assert "Siemiatycze" in page  # (contract titles still say "w gminie Łapy")


@pytest.mark.parametrize(
    ("command", "out", "expected"),
    [
        ("report", "{file}", "to istniejący plik, a potrzebny jest katalog"),
        ("report", "{long}", "nazwa jest za długa dla systemu plików"),
        ("report", "/proc/wkus-raporty", "nie da się tu zapisywać"),
        ("report", "", "--out jest puste"),
        ("report", "{file}/raporty", "to plik, a nie katalog"),
        ("indicators", "{folder}", "to katalog, a potrzebny jest plik"),
        ("indicators", "", "--out jest puste"),
        ("indicators", "/proc/wskazniki.csv", "nie da się tu zapisywać"),
        ("indicators", "{long}.csv", "nazwa jest za długa"),
        ("check", "{folder}/karta.csv/", "to katalog, a potrzebny jest plik"),
        ("check", "{file}/karta.csv", "to plik, a nie katalog"),
    ],
)
def test_unusable_output_paths_are_polish_errors_before_any_work(
    command: str, out: str, expected: str, demo: DemoSummary, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    existing_file = tmp_path / "plik.txt"
    existing_file.write_text("x", encoding="utf-8")
    folder = tmp_path / "katalog"
    folder.mkdir()
    (folder / "karta.csv").mkdir()
    target = out.format(file=existing_file, folder=folder, long=tmp_path / ("a" * 300))
    before = sorted(p.name for p in tmp_path.rglob("*"))
    started = time.perf_counter()
    code = main([command, "--store", str(demo.store_dir), "--out", target])
    error = capsys.readouterr().err
    assert code == 2
    assert error.startswith("Błąd: --out")
    assert expected in error
    assert "Traceback" not in error
    assert time.perf_counter() - started < 5, "refused before reading the store"
    assert sorted(p.name for p in tmp_path.rglob("*")) == before, "nothing created"


def test_a_new_output_folder_is_created_only_by_the_work(
    demo: DemoSummary, tmp_path: Path,
) -> None:
    out = tmp_path / "nowy" / "podkatalog" / "wskazniki.csv"
    assert main(["indicators", "--gmina", "2002063", "--store", str(demo.store_dir),
                 "--out", str(out)]) in (0, 1)
    assert out.is_file()
