"""Refused files say where they went wrong; withdrawal never uses a sheet the mapper refuses."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from wkus_lib.intake.importer import import_files
from wkus_lib.store import read_store

CONTRACT_HEADER = ("Numer umowy;Kod TERYT gminy;Obszar;Nazwa organizacji;"
                   "Tytuł zadania publicznego;Tryb umowy;Forma zlecenia;Rok rozpoczęcia;"
                   "Rok zakończenia")
FINANCE_HEADER = ["Numer umowy", "Rok", "Kategoria kosztu", "Źródło finansowania",
                  "Koszt planowany [zł]", "Koszt poniesiony [zł]"]
FINANCE_ROWS = [["U/7", 2024, "dzialania", "dotacja", 1000, 900],
                ["U/7", 2024, "administracyjne", "dotacja", 100, 90]]


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """A store with contract U/7 and its two cost rows."""
    contracts = tmp_path / "umowy.csv"
    contracts.write_text(CONTRACT_HEADER + "\nU/7;2013023;sport;Klub Świt;Szkolenie;"
                         "annual_grant;wspieranie;2024;2024\n", encoding="utf-8")
    finance = tmp_path / "koszty.csv"
    finance.write_text("\n".join(";".join(str(v) for v in row)
                                 for row in [FINANCE_HEADER, *FINANCE_ROWS]) + "\n",
                       encoding="utf-8")
    target = tmp_path / "store"
    report = import_files([contracts, finance], target, key_file=tmp_path / "klucz.bin")
    assert report.added == {"contracts": 1, "finance": 2}, report.to_text()
    return target


def _workbook(path: Path, rows: list[list[object]], *, hidden: bool = False) -> Path:
    workbook = openpyxl.Workbook()
    visible = workbook.active
    assert visible is not None
    visible.title = "Notatki"
    visible.append(["Co wycofać", "Dlaczego"])
    visible.append(["koszty U/7", "błąd w sprawozdaniu"])
    sheet = workbook.create_sheet("Koszty") if hidden else visible
    if not hidden:
        sheet.delete_rows(1, 2)
    for row in rows:
        sheet.append(row)
    if hidden:
        sheet.sheet_state = "hidden"
    workbook.save(path)
    return path


def test_a_refused_file_names_its_row_in_the_report(tmp_path: Path) -> None:
    mixed = tmp_path / "mieszane.csv"
    mixed.write_bytes("Numer umowy;Tytuł zadania publicznego\r\nU/1;Zajęcia\r\n".encode()
                      + "U/2;Świetlica\r\n".encode("cp1250"))

    report = import_files([mixed], tmp_path / "store", key_file=tmp_path / "klucz.bin")

    [problem] = report.problems.to_dict("records")
    assert problem["file"] == "mieszane.csv" and problem["row"] == 3
    assert "mieszane.csv, wiersz 3" in report.to_text()


def test_a_hidden_sheet_of_key_columns_withdraws_nothing(tmp_path: Path, store: Path) -> None:
    keys = _workbook(tmp_path / "wycofaj.xlsx",
                     [FINANCE_HEADER[:4], ["U/7", 2024, "dzialania", "dotacja"]], hidden=True)

    report = import_files([], store, key_file=tmp_path / "klucz.bin", withdraw=[keys])

    assert sum(report.removed.values()) == 0
    assert len(read_store(store).finance) == 2
    assert "jest ukryty" in report.to_text() and "Odkryj" in report.to_text()


def test_the_same_key_columns_on_a_visible_sheet_still_withdraw(
        tmp_path: Path, store: Path) -> None:
    keys = _workbook(tmp_path / "wycofaj.xlsx",
                     [FINANCE_HEADER[:4], ["U/7", 2024, "dzialania", "dotacja"]])

    report = import_files([], store, key_file=tmp_path / "klucz.bin", withdraw=[keys])

    assert report.removed == {"finance": 1}, report.to_text()
    assert read_store(store).finance["category"].tolist() == ["administracyjne"]


def test_a_table_with_a_duplicated_column_withdraws_nothing(tmp_path: Path, store: Path) -> None:
    rows = [[*FINANCE_HEADER, "Koszt poniesiony [zł]"], [*FINANCE_ROWS[0], 850]]
    duplicated = _workbook(tmp_path / "wycofaj.xlsx", rows)

    report = import_files([], store, key_file=tmp_path / "klucz.bin", withdraw=[duplicated])

    assert sum(report.removed.values()) == 0
    assert len(read_store(store).finance) == 2
    assert "oznaczają to samo" in report.to_text()


def test_key_columns_given_twice_withdraw_nothing(tmp_path: Path, store: Path) -> None:
    rows = [[*FINANCE_HEADER[:4], "Rok"], ["U/7", 2024, "dzialania", "dotacja", 2023]]
    twice = _workbook(tmp_path / "wycofaj.xlsx", rows)

    report = import_files([], store, key_file=tmp_path / "klucz.bin", withdraw=[twice])

    assert sum(report.removed.values()) == 0
    assert len(read_store(store).finance) == 2
    assert "kolumny klucza występują więcej niż raz („Rok”, „Rok”)" in report.to_text()
