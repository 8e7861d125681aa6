"""Every hostile file through ``import_files``: a clear Polish message, no traceback, no lost row.

The corpus and what each file must give are in ``tests/fixtures/hostile/EXPECTED.yaml``.
Two hostile files are made here instead of committed: a CSV far larger than any real
one (200 MiB) and a file name carrying path separators.
"""

from __future__ import annotations

import hashlib
import shutil
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml

from wkus_lib.intake.headers import HEADERS
from wkus_lib.intake.importer import ImportReport, import_files
from wkus_lib.intake.readers import MAX_FILE_BYTES

CORPUS = Path(__file__).parent / "fixtures" / "hostile"
EXPECTED: list[dict[str, Any]] = yaml.safe_load((CORPUS / "EXPECTED.yaml").read_text("utf-8"))
MIN_CORPUS_FILES = 30


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _import(paths: list[Path], tmp_path: Path) -> ImportReport:
    return import_files(paths, tmp_path / "store", key_file=tmp_path / "klucz.bin")


SEED_CONTRACTS = (
    "Numer umowy;Kod TERYT gminy;Obszar;Nazwa organizacji;Tytuł zadania publicznego;"
    "Tryb umowy;Forma zlecenia;Rok rozpoczęcia;Rok zakończenia\n"
    + "".join(
        f"{teryt}/{area}/{start};{teryt};{area};Organizacja {n};Zadanie {n};multi_year;"
        f"powierzanie;{start};2025\n"
        for n, (teryt, area, start) in enumerate([
            ("2002063", "pomoc_spoleczna", 2022), ("2008063", "zdrowie", 2022),
            ("2009042", "kultura", 2023), ("2002143", "pomoc_spoleczna", 2022),
            ("2002143", "sport", 2023), ("2010023", "edukacja", 2023),
        ])
    )
)
"""Contracts the corpus's finance, results, … rows refer to: imported first, as a gmina would."""
CONTRACT_LEVEL = {table for table, headers in HEADERS.items()
                  if "contract_id" in headers and table != "contracts"}


def _seed_contracts(tmp_path: Path) -> None:
    seed = tmp_path / "umowy_wczesniej.csv"
    seed.write_text(SEED_CONTRACTS, encoding="utf-8")
    assert _import([seed], tmp_path).added == {"contracts": 6}


def _case(entry: dict[str, Any]) -> Any:
    marks = []
    if entry.get("pending"):
        marks.append(pytest.mark.xfail(reason=entry["pending"], strict=True))
    return pytest.param(entry, id=entry["file"], marks=marks)


def test_corpus_is_large_and_fully_described() -> None:
    described = {entry["file"] for entry in EXPECTED}
    present = {p.name for p in CORPUS.iterdir() if p.name != "EXPECTED.yaml"}
    assert described == present
    assert len(present) >= MIN_CORPUS_FILES


@pytest.mark.parametrize("entry", [_case(entry) for entry in EXPECTED])
def test_hostile_file_gives_its_message_and_keeps_valid_rows(
    entry: dict[str, Any], tmp_path: Path
) -> None:
    source = CORPUS / entry["file"]
    before = _sha256(source)
    if entry["table"] in CONTRACT_LEVEL:
        _seed_contracts(tmp_path)

    report = _import([source], tmp_path)

    text = report.to_text()
    for fragment in entry["message"]:
        assert fragment in text, f"brak „{fragment}” w raporcie:\n{text}"
    for secret in entry.get("absent", ()):
        assert secret not in text
    assert sum(report.added.values()) == entry["valid_rows"], text
    assert sum(report.quarantined.values()) == entry["invalid_rows"], text
    if entry["table"] is None:
        assert entry["file"] in set(report.problems["file"]), text
    else:
        assert entry["table"] in report.added, text
    assert _sha256(source) == before  # raw files are never modified


def test_whole_corpus_in_one_call_reports_every_file(tmp_path: Path) -> None:
    files = [CORPUS / entry["file"] for entry in EXPECTED]
    hashes = {path: _sha256(path) for path in files}

    report = _import(files, tmp_path)

    text = report.to_text()
    # 02 and 12 hold two of the same contracts with other quotes and dashes: a conflict
    # the report names, not a crash.
    assert "2002063/sport/2023" in text and "2008063/zdrowie/2022" in text
    rejected = {entry["file"] for entry in EXPECTED if entry["table"] is None}
    assert rejected <= set(report.problems["file"]), text
    for table in {entry["table"] for entry in EXPECTED if entry["valid_rows"]} - {None}:
        assert report.added.get(table, 0) > 0, text
    assert {path: _sha256(path) for path in files} == hashes
    assert sorted(p.name for p in CORPUS.iterdir()) == sorted(
        [entry["file"] for entry in EXPECTED] + ["EXPECTED.yaml"]
    )


def test_file_name_with_path_separators_is_read_and_named(tmp_path: Path) -> None:
    inbox = tmp_path / "skrzynka"
    inbox.mkdir()
    hostile = inbox / "..\\..\\Windows\\umowy Łapy 2023.csv"
    shutil.copyfile(CORPUS / "02_umowy_iso8859-2.csv", hostile)

    report = _import([hostile], tmp_path)

    assert report.added == {"contracts": 4}
    assert hostile.name in report.to_text()
    assert sorted(p.name for p in inbox.iterdir()) == [hostile.name]


def _write_huge_csv(path: Path, size: int) -> None:
    header = (
        "Kod TERYT gminy;Obszar;Rok;Narzędzie;Identyfikator respondenta;Kod pytania;"
        "Odpowiedź (1–5)\r\n"
    )
    block = "".join(
        f"2002063;pomoc_spoleczna;2023;klient;R-{n:06d};k_sat{1 + n % 3};{1 + n % 5}\r\n"
        for n in range(20_000)
    ).encode("cp1250")
    with path.open("wb") as handle:
        handle.write(header.encode("cp1250"))
        while handle.tell() < size:
            handle.write(block)


def test_file_far_larger_than_any_real_one_is_refused_at_once(tmp_path: Path) -> None:
    huge = tmp_path / "ankiety_cala_polska.csv"
    _write_huge_csv(huge, 200 * 1024 * 1024)
    assert huge.stat().st_size > 4 * MAX_FILE_BYTES

    _import([CORPUS / "26_pusty.csv"], tmp_path)  # load the importer's modules before measuring
    tracemalloc.start()
    started = time.perf_counter()
    report = _import([huge], tmp_path)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    text = report.to_text()
    assert "plik jest za duży" in text and "Podziel plik" in text
    assert report.added == {}
    assert peak < 2 * 1024 * 1024  # the file is never loaded (measured: about 30 KiB)
    assert seconds < 5  # measured: about 0.03 s
