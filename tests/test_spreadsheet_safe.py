"""No formula reaches a spreadsheet: every CSV and XLSX the project writes, with hostile text.

CSV: no cell's raw text starts with a formula trigger unless it is a plain number.
XLSX: no cell is a formula (no ``<f>`` in the sheet XML, no ``data_type == "f"``), and
formula-like text is a text cell with Excel's quote prefix. The quarantine CSV goes
back through ``wkus import`` and gives the user's text exactly as first written.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from wkus_lib.catalog import load_catalog
from wkus_lib.cli import main
from wkus_lib.cli.check import write_output
from wkus_lib.demo import DemoSummary
from wkus_lib.files.spreadsheet_safe import (
    FORMULA_TRIGGERS,
    is_formula_like,
    neutralise,
    neutralise_frame,
    protect_workbook,
    restore,
    safe_csv,
)
from wkus_lib.instruments.forms import questionnaire
from wkus_lib.instruments.interview import coding_sheet
from wkus_lib.instruments.xlsform import StudySetup, xlsform_bytes
from wkus_lib.intake.importer import QUARANTINE_DIR, import_files
from wkus_lib.intake.quarantine import open_quarantine, quarantine_csv
from wkus_lib.intake.templates import template_bytes
from wkus_lib.report.annex import Table, render_xlsx
from wkus_lib.schemas import TABLES
from wkus_lib.store import read_store

HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\t=1",
           "\r=1"]
"""The OWASP examples: each would run (or be read as a formula) if written raw."""
_PLAIN_NUMBER = re.compile(r"^[+\-]?\d[\d \u00a0.,]*$")


def _csv_cells(payload: str, separator: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(payload, newline=""), delimiter=separator)
            for cell in row]


def assert_csv_inert(payload: str, separator: str = ",") -> None:
    """No raw CSV cell starts with a trigger, unless it is a plain number like ``-5``."""
    for cell in _csv_cells(payload, separator):
        assert not cell.startswith(FORMULA_TRIGGERS) or _PLAIN_NUMBER.match(cell), repr(cell)


def assert_xlsx_inert(payload: bytes) -> int:
    """No formula anywhere in the workbook; formula-like text is quote-prefixed text.

    Returns how many formula-like text cells were found (so a test can require some).
    """
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                assert not re.search(rb"<f[ >]", archive.read(name)), name
    workbook = openpyxl.load_workbook(io.BytesIO(payload))
    found = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                    assert cell.data_type == "s" and cell.quotePrefix, cell.coordinate
                    found += 1
    return found


# ---------------------------------------------------------------- the shared function


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_neutralised_and_restored(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert restore(neutralise(text)) == text
    assert is_formula_like(text)


@pytest.mark.parametrize("value", ["-5", "+48 600 100 200", "-1 234,50", -5, 3.5, None, "tak",
                                   "'cytat", "Kurs $C#$"])
def test_numbers_and_ordinary_text_are_left_as_they_are(value: object) -> None:
    assert neutralise(value) == value
    assert restore(value) == value


@given(st.text(alphabet="=+-@'\t\r 5a,", max_size=8))
def test_restore_undoes_neutralise_for_any_text(text: str) -> None:
    safe = neutralise(text)
    assert restore(safe) == text
    assert not safe.startswith(FORMULA_TRIGGERS) or _PLAIN_NUMBER.match(safe)


def test_frame_helper_keeps_numbers_as_numbers() -> None:
    frame = pd.DataFrame({"tekst": HOSTILE, "liczba": [-5, 1, 2, 3, 4, 5]})

    safe = neutralise_frame(frame)

    assert safe["liczba"].tolist() == [-5, 1, 2, 3, 4, 5]
    assert safe["tekst"].tolist() == ["'" + text for text in HOSTILE]
    assert frame["tekst"].tolist() == HOSTILE  # the input frame is not changed
    assert_csv_inert(safe_csv(frame))


def test_protect_workbook_turns_formula_text_into_text() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row, text in enumerate(HOSTILE, start=1):
        sheet.cell(row=row, column=1, value=text)
    sheet.cell(row=1, column=2, value=-5)
    buffer = io.BytesIO()
    protect_workbook(workbook).save(buffer)

    assert assert_xlsx_inert(buffer.getvalue()) == len(HOSTILE)
    read = openpyxl.load_workbook(buffer).active
    assert read is not None
    assert [read.cell(row=r, column=1).value for r in range(1, 7)] == HOSTILE  # text unchanged
    assert read["B1"].value == -5


# ---------------------------------------------------------------- the quarantine


CONTRACT_HEADER = ("Numer umowy;Kod TERYT gminy;Obszar;Nazwa organizacji;"
                   "Tytuł zadania publicznego;Tryb umowy;Forma zlecenia;Rok rozpoczęcia;"
                   "Rok zakończenia")
TITLES = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3",
          "- zajęcia dla dzieci", "'=z apostrofem", "=1+1"]
"""Titles a user may really write: each must come back from the quarantine exactly."""


def _hostile_contracts(path: Path) -> Path:
    rows = [f'U/{n};2002063;sport;Klub;"{title.replace(chr(34), chr(34) * 2)}";tryb {n};'
            f"powierzanie;2023;2025" for n, title in enumerate(TITLES)]
    path.write_text("\n".join([CONTRACT_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_quarantine_csv_is_inert_and_round_trips_the_users_text(tmp_path: Path) -> None:
    store, key = tmp_path / "store", tmp_path / "klucz.bin"
    source = _hostile_contracts(tmp_path / "=HYPERLINK(1)+@x.csv")

    first = import_files([source], store, key_file=key)

    assert first.quarantined == {"contracts": len(TITLES)}
    held = (store / QUARANTINE_DIR / "contracts.csv").read_bytes().decode("utf-8-sig")
    assert_csv_inert(held, ";")
    assert "'=HYPERLINK(1)+@x.csv" in held  # the file name too (column „plik”)
    waiting = open_quarantine(store)["contracts"]
    assert waiting["plik"].tolist() == [source.name] * len(TITLES)  # read back as it was
    assert waiting["Tytuł zadania publicznego"].tolist() == TITLES

    fixed = tmp_path / "kwarantanna_poprawiona.csv"
    fixed.write_bytes(re.sub(r";tryb \d+;", ";multi_year;", held).encode("utf-8-sig"))
    second = import_files([fixed], store, key_file=key)

    assert second.added == {"contracts": len(TITLES)}, second.to_text()
    stored = read_store(store).contracts.sort_values("contract_id")
    assert stored["title"].tolist() == TITLES
    assert "contracts" not in open_quarantine(store)


def test_a_carriage_return_inside_a_cell_never_starts_a_row() -> None:
    payload = safe_csv(pd.DataFrame({"a": ["x\r=1", "y\n@SUM(A1)"], "b": [1, 2]}))

    assert payload == 'a,b\r\n"x\r=1",1\r\n"y\n@SUM(A1)",2\r\n'


def test_quarantine_csv_neutralises_tab_and_carriage_return_starts() -> None:
    frame = pd.DataFrame({"plik": HOSTILE, "wiersz": ["2"] * 6, "Kwota": ["-5"] * 6})

    payload = quarantine_csv(frame).decode("utf-8-sig")

    assert_csv_inert(payload, ";")
    assert "-5" in _csv_cells(payload, ";")


# ---------------------------------------------------------------- the other outputs


def test_indicator_table_csv_is_inert(
    demo: DemoSummary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from wkus_lib.evaluation import indicators

    real = indicators.compute_indicators

    def hostile(*args: object, **kwargs: object) -> pd.DataFrame:
        table = real(*args, **kwargs)
        table["indicator"] = [HOSTILE[n % len(HOSTILE)] for n in range(len(table))]
        return table

    monkeypatch.setattr(indicators, "compute_indicators", hostile)
    out = tmp_path / "wskazniki.csv"

    main(["indicators", "--gmina", "2002063", "--store", str(demo.store_dir),
          "--out", str(out)])

    payload = out.read_text("utf-8")
    assert_csv_inert(payload)
    assert "'=HYPERLINK" in payload


def test_data_quality_card_csv_is_inert(tmp_path: Path) -> None:
    out = tmp_path / "karta.csv"

    write_output(pd.DataFrame({"check": HOSTILE, "value": [-5.0] * 6}), out, {},
                 synthetic=False)

    assert_csv_inert(out.read_text("utf-8"))


def test_report_annex_is_inert() -> None:
    table = Table(title="=tytuł", columns=["@kolumna", "Wartość"],
                  rows=[[text, -5.0] for text in HOSTILE], section="-sekcja")

    payload = render_xlsx([table], title="+raport", notes=["=uwaga"])

    assert assert_xlsx_inert(payload) >= len(HOSTILE)


@pytest.mark.parametrize("table", list(TABLES))
def test_entry_templates_are_inert(table: str) -> None:
    assert_xlsx_inert(template_bytes(table))


def test_coding_sheets_and_xlsforms_are_inert() -> None:
    catalog = load_catalog()
    for interview in catalog.instruments.interviews.values():
        assert_xlsx_inert(coding_sheet(interview, catalog))
    form = questionnaire(catalog, "klient")
    setup = StudySetup(teryt="2002063", area="sport", year=2024, administrator=HOSTILE[0])
    assert_xlsx_inert(xlsform_bytes(form, catalog, setup))


