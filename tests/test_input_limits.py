"""Bounded resources for every input: hostile files are refused fast, in bounded memory.

Each hostile file is made here (a FIFO cannot be committed, the others are a few KB
of generated zip). A file whose real limit would be slow to reach uses a lowered limit.
"""

from __future__ import annotations

import os
import random
import threading
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from wkus_lib.errors import InputError
from wkus_lib.intake.importer import import_files
from wkus_lib.intake.readers import MAX_COLUMNS, InputLimits, read_file

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Dane" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def hostile_xlsx(path: Path, *, cells: str, strings: list[str] | None = None,
                 repeat_string: tuple[str, int] | None = None, merges: str = "") -> Path:
    """A minimal XLSX written by hand, streamed so a huge part never sits in memory.

    ``cells``: the ``<row>`` elements; ``strings``: shared strings; ``repeat_string``:
    one shared string made of a character repeated that many times (a zip bomb).
    """
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
             f"<sheetData>{cells}</sheetData>{merges}</worksheet>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}">'.encode())
            for text in strings or []:
                part.write(f"<si><t>{text}</t></si>".encode())
            if repeat_string is not None:
                char, times = repeat_string
                part.write(b"<si><t>")
                chunk = char.encode() * (1024 * 1024)
                for _ in range(times // len(chunk)):
                    part.write(chunk)
                part.write(b"</t></si>")
            part.write(b"</sst>")
    return path


_HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>Kod</t></is></c>'
               '<c r="B1" t="inlineStr"><is><t>Opis</t></is></c></row>'
               '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="s"><v>0</v></c></row>')


def _refused_fast(path: Path, limits: InputLimits | None = None) -> InputError:
    """Read ``path`` expecting a refusal; the refusal must take < 5 s and < 50 MB."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InputError) as caught:
            read_file(path, limits=limits)
    finally:
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert seconds < 5, seconds
    assert peak < 50 * 1024 * 1024, peak
    error = caught.value
    error.problem = error.problem.replace("\u00a0", " ")  # thousands apart: compare as spaces
    return error


def test_one_cell_at_the_last_excel_cell_is_refused_before_anything_is_built(
        tmp_path: Path) -> None:
    path = hostile_xlsx(tmp_path / "daleko.xlsx", strings=["tekst"], cells=(
        _HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))
    assert path.stat().st_size < 3000

    error = _refused_fast(path)

    assert "16 384 kolumn" in error.problem and "2 000" in error.problem
    assert error.hint is not None and "Podziel" in error.hint


def test_a_far_row_in_one_column_is_refused_by_rows(tmp_path: Path) -> None:
    path = hostile_xlsx(tmp_path / "dlugi.xlsx", strings=["tekst"], cells=(
        _HEADER_ROW + '<row r="1048576"><c r="A1048576"><v>1</v></c></row>'))

    error = _refused_fast(path, InputLimits(rows=100_000))

    assert "1 048 576 wierszy" in error.problem and "100 000" in error.problem


def test_cells_are_counted_as_the_grid_rows_times_columns(tmp_path: Path) -> None:
    path = hostile_xlsx(tmp_path / "prostokat.xlsx", strings=["tekst"], cells=(
        _HEADER_ROW + '<row r="5000"><c r="AZ5000"><v>1</v></c></row>'))

    error = _refused_fast(path, InputLimits(cells=100_000))

    assert "5 000 wierszy × 52 kolumny = 260 000 komórek" in error.problem


def test_a_merged_range_reaching_far_counts_like_a_cell(tmp_path: Path) -> None:
    path = hostile_xlsx(tmp_path / "scalone.xlsx", strings=["tekst"], cells=_HEADER_ROW,
                        merges='<mergeCells count="1"><mergeCell ref="A1:XFD1"/></mergeCells>')

    error = _refused_fast(path)

    assert f"{MAX_COLUMNS:,}".replace(",", " ") in error.problem


def test_a_small_zip_whose_shared_strings_unpack_beyond_the_limit_is_refused(
        tmp_path: Path) -> None:
    path = hostile_xlsx(tmp_path / "bomba.xlsx", cells=_HEADER_ROW,
                        repeat_string=("a", 8 * 1024 * 1024))
    assert path.stat().st_size < 100_000  # 8 MiB of text in a few KB

    error = _refused_fast(path, InputLimits(file_bytes=4 * 1024 * 1024))

    assert "po rozpakowaniu zajmują 8,0 MiB" in error.problem and "4,0 MiB" in error.problem


def test_too_many_shared_strings_are_refused(tmp_path: Path) -> None:
    path = hostile_xlsx(tmp_path / "teksty.xlsx", cells=_HEADER_ROW,
                        strings=[f"t{n}" for n in range(2000)])

    error = _refused_fast(path, InputLimits(shared_strings=1000))

    assert "ponad 1 000 różnych tekstów" in error.problem


def test_a_workbook_within_the_limits_is_still_read(tmp_path: Path) -> None:
    path = hostile_xlsx(tmp_path / "dobry.xlsx", strings=["tekst"], cells=_HEADER_ROW)

    [sheet] = read_file(path, limits=InputLimits(rows=10, columns=2, cells=20,
                                                 shared_strings=1))

    assert sheet.headers == ("Kod", "Opis")
    assert sheet.rows.to_numpy().tolist() == [["1", "tekst"]]


def test_text_file_with_too_many_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "szeroki.csv"
    path.write_text("a;b\n1;2\n" + ";" * 5000 + "\n", encoding="utf-8")

    error = _refused_fast(path)

    assert "5 001 kolumn" in error.problem


def test_text_file_with_too_many_rows_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "dlugi.csv"
    path.write_text("a;b\n" + "1;2\n" * 3000, encoding="utf-8")

    error = _refused_fast(path, InputLimits(rows=1000))

    assert "3 001 wierszy" in error.problem and "1 000" in error.problem
    assert len(read_file(path)[0].rows) == 3000  # the default limit reads it


def _in_thread(target: Path) -> list[object]:
    """Read ``target`` in a thread; the outcome, or nothing if it hung for 5 s."""
    outcome: list[object] = []

    def run() -> None:
        try:
            read_file(target)
        except InputError as error:
            outcome.append(error)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(5)
    return outcome


def test_a_fifo_is_refused_by_type_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "potok.csv"
    os.mkfifo(fifo)

    [error] = _in_thread(fifo)

    assert isinstance(error, InputError) and "potok (FIFO)" in error.problem


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_a_device_is_refused_by_type_without_reading() -> None:
    [error] = _in_thread(Path("/dev/zero"))

    assert isinstance(error, InputError) and "nie jest zwykły plik" in error.problem


def test_import_names_the_refused_fifo_and_goes_on_with_other_files(tmp_path: Path) -> None:
    fifo = tmp_path / "potok.csv"
    os.mkfifo(fifo)
    good = tmp_path / "umowy.csv"
    good.write_text(
        "Numer umowy;Kod TERYT gminy;Obszar;Nazwa organizacji;Tytuł zadania publicznego;"
        "Tryb umowy;Forma zlecenia;Rok rozpoczęcia;Rok zakończenia\n"
        "U/1;2002063;sport;Klub;Zadanie;multi_year;powierzanie;2023;2025\n", encoding="utf-8")

    report = import_files([fifo, good], tmp_path / "store", key_file=tmp_path / "klucz.bin")

    assert report.added == {"contracts": 1}
    assert "potok (FIFO)" in report.to_text()


def test_a_damaged_package_is_always_a_polish_error(tmp_path: Path) -> None:
    good = hostile_xlsx(tmp_path / "dobry.xlsx", strings=["tekst"] * 50, cells=_HEADER_ROW)
    base = good.read_bytes()
    rng = random.Random(2024)
    damaged = tmp_path / "uszkodzony.xlsx"
    refused = 0
    for _ in range(400):
        payload = bytearray(base)
        for _ in range(rng.randint(1, 5)):
            payload[rng.randrange(30, len(payload))] = rng.randrange(256)
        damaged.write_bytes(bytes(payload))
        try:
            read_file(damaged)
        except InputError:
            refused += 1  # anything else (zlib, zip version, encryption) fails the test
    assert refused > 300


def test_a_far_row_within_the_limits_is_read_without_a_million_row_grid(tmp_path: Path) -> None:
    path = hostile_xlsx(tmp_path / "daleki_wiersz.xlsx", strings=["tekst"], cells=(
        _HEADER_ROW + '<row r="1048576"><c r="B1048576"><v>7</v></c></row>'))
    started = time.perf_counter()

    [sheet] = read_file(path)

    seconds = time.perf_counter() - started
    assert sheet.rows.index.tolist() == [2, 1_048_576]  # numbered as Excel shows them
    assert sheet.rows.to_numpy().tolist() == [["1", "tekst"], [None, "7"]]
    assert seconds < 3, seconds  # measured: about 0.6 s (openpyxl walks the gap, keeps nothing)


def test_a_package_listing_too_many_parts_is_refused_before_it_is_opened(
        tmp_path: Path) -> None:
    path = hostile_xlsx(tmp_path / "czesci.xlsx", strings=["tekst"], cells=_HEADER_ROW)
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(300):
            archive.writestr(f"customXml/item{number}.xml", "")

    error = _refused_fast(path, InputLimits(package_parts=100))

    assert "plik ma 306 części" in error.problem and "100" in error.problem
    assert len(read_file(path)) == 1  # the default limit reads it
