"""The XLSX annex read back with openpyxl: formats, rounding, yes/no, names, print setup."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from wkus_lib.files import stable as stable_files
from wkus_lib.report import annex, display
from wkus_lib.report.annex import NumberFormat, Table

COST = Table(
    "Koszt jednostkowy i wykonanie budżetu w kolejnych latach",
    ["Rok", "Koszt [zł]", "Wykonanie", "Udział", "Ukryte"],
    [[2024, 1234.5678, 87.30609213661634, 0.8531, False],
     [2025, 998.0, 103.17929658231886, 0.1, True]],
    section="Efektywność",
    formats={"Koszt [zł]": NumberFormat(0, "zł"), "Wykonanie": NumberFormat(1, "%"),
             "Udział": NumberFormat(1, "%", scale=100)},
)


def _book(tables: list[Table], **kwargs: Any) -> Any:
    return load_workbook(io.BytesIO(annex.render_xlsx(tables, title="Raport", **kwargs)))


def test_numbers_are_rounded_as_shown_and_formatted_with_their_unit() -> None:
    sheet = _book([COST])["Efektywność"]
    assert [c.value for c in sheet[1]][:1] == [COST.title]
    assert [c.value for c in sheet[2]] == COST.columns
    year, cost, execution, share, hidden = sheet[3]
    assert (year.value, year.number_format) == (2024, "0_-")  # a year is not "2 024"
    assert (cost.value, cost.number_format) == (1235, '#,##0" zł"_-')
    assert (execution.value, execution.number_format) == (87.3, '#,##0.0" %"_-')
    assert (share.value, share.number_format) == (0.853, "#,##0.0%_-")
    assert hidden.value == "nie" and sheet["E4"].value == "tak"


def test_full_values_changed_by_rounding_are_listed_with_their_cell() -> None:
    book = _book([COST])
    exact = book["Wartości dokładne"]
    rows = [[c.value for c in row] for row in exact.iter_rows(min_row=2)]
    assert ["Efektywność", "B3", COST.title, "2024", "Koszt [zł]", 1235, 1234.5678] in rows
    assert ["Efektywność", "C3", COST.title, "2024", "Wykonanie", 87.3, 87.30609213661634] in rows
    # 998.0 shown as 998 and 0.1 shown as 10,0 % are exact already: not listed.
    assert not any(r[1] in ("B4", "D4") for r in rows)
    contents = [c.value for c in book["Spis tabel"]["A"] if c.value]
    assert any("Wartości dokładne" in str(v) for v in contents)


def test_a_table_without_shown_formats_gets_the_report_defaults() -> None:
    table = Table("Bez formatów", ["Rok", "n", "wynik"], [[2025, 12, 76.13636363636363]])
    sheet = _book([table])["Bez formatów"]
    assert [(c.value, c.number_format) for c in sheet[3]] == [
        (2025, "0_-"), (12, "#,##0_-"), (76.1, "#,##0.0_-")]


def test_english_tables_say_yes_and_no_and_have_english_sheets() -> None:
    table = Table("Flags", ["Hidden"], [[True], [False]], lang="en")
    book = _book([table])
    assert book.sheetnames[0] == "Contents"
    assert [book["Flags"]["A3"].value, book["Flags"]["A4"].value] == ["yes", "no"]


def test_tables_of_one_section_share_a_sheet_in_the_order_shown() -> None:
    tables = [Table("A", ["x"], [[1]], section="Aneks metodologiczny"),
              Table("B", ["y", "z"], [["t", 2]], section="Aneks metodologiczny"),
              Table("C", ["x"], [[3]], section="Koszty")]
    book = _book(tables)
    assert book.sheetnames == ["Spis tabel", "Aneks metodologiczny", "Koszty"]
    sheet = book["Aneks metodologiczny"]
    assert [sheet.cell(row=r, column=1).value for r in range(1, 8)] == [
        "A", "x", 1, None, "B", "y", "t"]
    contents = book["Spis tabel"]
    links = [c for c in contents["A"] if c.hyperlink is not None]
    assert [(c.value, c.hyperlink.location) for c in links] == [
        ("Aneks metodologiczny", "'Aneks metodologiczny'!A1"),
        ("Aneks metodologiczny", "'Aneks metodologiczny'!A5"),
        ("Koszty", "'Koszty'!A1")]


def test_every_sheet_prints_on_a4_one_page_wide_with_its_header_repeated() -> None:
    narrow = Table("Wąska", ["Rok", "n"], [[2020 + i, i] for i in range(80)], section="Wąska")
    wide = Table("Szeroka", [f"kolumna numer {i}" for i in range(12)], [list(range(12))],
                 section="Szeroka")
    book = _book([narrow, wide, Table("Druga", ["a"], [[1]], section="Szeroka")])
    for sheet in book.worksheets:
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4  # "9" is A4
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert book["Wąska"].print_title_rows == "$1:$2"
    assert book["Wąska"].page_setup.orientation == "portrait"
    assert book["Szeroka"].page_setup.orientation == "landscape"
    # Two tables on one sheet: a repeated header would be the wrong table's.
    assert book["Szeroka"].print_title_rows is None


@pytest.mark.parametrize(("title", "expected"), [
    ("Koszt jednostkowy i wykonanie budżetu w kolejnych latach", "Koszt jednostkowy i wykonanie"),
    ("Alfa Cronbacha skal ankiety klientów (wszystkie lata razem)",
     "Alfa Cronbacha skal ankiety"),
    ("Kontrakt wieloletni a dotacje roczne", "Kontrakt wieloletni a dotacje"),
    ("Źródła finansowania: dotacja/wkład [zł] w latach 2021–2024",
     "Źródła finansowania dotacja"),
    ("Bardzodługiesłowobezspacjiktóreniemagranicysłowa", "Bardzodługiesłowobezspacjiktóre"),
])
def test_sheet_names_are_cut_at_a_word_boundary(title: str, expected: str) -> None:
    [name] = annex.sheet_names([title])
    assert name == expected
    assert len(name) <= annex.SHEET_NAME_MAX


def test_sheet_names_are_unique_valid_and_keep_polish_letters() -> None:
    names = annex.sheet_names(
        ["spis tabel", "Koszty", "KOSZTY", "", "'Zysk'", "a" * 40, "a" * 40],
        reserved=["Spis tabel"],
    )
    assert names[:5] == ["spis tabel (2)", "Koszty", "KOSZTY (2)", "Tabela 4", "Zysk"]
    assert names[5] == "a" * 31 and names[6] == "a" * 27 + " (2)"
    assert all(len(n) <= annex.SHEET_NAME_MAX and not re.search(r"[\[\]:*?/\\]", n)
               for n in names)


def test_formula_like_text_stays_text() -> None:
    table = Table("=zła", ["=kolumna"], [["=1+1"], ["@SUM(A1)"], ["-5"]])
    payload = annex.render_xlsx([table], title="=T")
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if "worksheets/" in n]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)


def test_annex_bytes_are_identical_and_carry_no_timestamps() -> None:
    first = annex.render_xlsx([COST], title="Raport")
    assert first == annex.render_xlsx([COST], title="Raport")
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {stable_files.ZIP_DATE_TIME}


def test_shown_formats_are_read_from_the_html_the_report_displays() -> None:
    frame = pd.DataFrame({"Rok": [2024, 2025], "Koszt": [1234.5678, 20.0],
                          "Udział": [0.8531, 0.1], "Wynik": [76.1363, None],
                          "Uwagi": ["a", "b"]})
    cells = {"Rok": ["2024", "2025"], "Koszt": ["1\u00a0235\u00a0zł", "20\u00a0zł"],
             "Udział": ["85,3\u00a0%", "10,0\u00a0%"], "Wynik": ["76,1", "ukryte"],
             "Uwagi": ["a", "b"]}
    formats = display.shown_number_formats(display.html_table(cells, {"Koszt"}), frame)
    assert formats == {
        "Rok": {"decimals": 0, "unit": "", "grouping": False, "scale": 1},
        "Koszt": {"decimals": 0, "unit": "zł", "grouping": True, "scale": 1},
        "Udział": {"decimals": 1, "unit": "%", "grouping": False, "scale": 100},
        "Wynik": {"decimals": 1, "unit": "", "grouping": False, "scale": 1},
    }


def test_signed_numbers_are_read_with_their_sign() -> None:
    frame = pd.DataFrame({"Różnica": [574496.2, -1234.0, 0.0]})
    body = display.html_table({"Różnica": ["+574\u00a0496\u00a0zł", "−1\u00a0234\u00a0zł", "0\u00a0zł"]},
                              {"Różnica"})
    assert display.shown_number_formats(body, frame) == {
        "Różnica": {"decimals": 0, "unit": "zł", "grouping": True, "scale": 1}}


def test_a_column_shown_as_other_numbers_gets_no_format() -> None:
    frame = pd.DataFrame({"x": [5.0]})
    body = display.html_table({"x": ["7,0"]}, {"x"})
    assert display.shown_number_formats(body, frame) == {}


def test_rows_with_long_text_are_as_high_as_their_wrapped_lines() -> None:
    formula = "Średnia wyników respondentów z pytań ankiety klienta o satysfakcji " * 4
    table = Table("Definicje", ["Wskaźnik", "Wzór"], [["Q1", formula], ["Q2", "krótko"]])
    sheet = _book([table])["Definicje"]
    width = sheet.column_dimensions["B"].width
    assert width == annex.COLUMN_WIDTH_MAX
    lines = -(-len(formula) // int(width - 1))
    assert sheet.row_dimensions[3].height == pytest.approx(annex.LINE_HEIGHT * lines, abs=15)
    assert sheet.row_dimensions[3].height >= 3 * annex.LINE_HEIGHT
    assert sheet.row_dimensions[4].height is None  # one line: the program's own height


def test_a_scorecard_keeps_each_rows_unit_and_decimals_in_the_annex() -> None:
    """Values of several indicators in one column: each row rounded and formatted as shown."""
    frame = pd.DataFrame({"Wskaźnik": ["Q1", "E1", "E3", "Q7"],
                          "Wartość": [61.66666, 1064.3, 0.92516, None],
                          "n": [8, 12, 3, 4]})
    cells = {"Wskaźnik": ["Q1", "E1", "E3", "Q7"],
             "Wartość": ["61,7", "1\u00a0064\u00a0zł", "92,5\u00a0%", "ukryte"],
             "n": ["8", "12", "3", "n < 5"]}
    payload = {"title": "Karta wyników", "lang": "pl",
               "formats": display.shown_number_formats(display.html_table(cells, {"n"}), frame)}
    assert len(payload["formats"]["Wartość"]["rows"]) == 4
    rows = [[None if pd.isna(v) else v for v in row] for row in frame.astype(object).values.tolist()]
    table = annex.table_from_payload(payload, "Podsumowanie", rows, list(frame.columns))
    sheet = _book([table])["Podsumowanie"]
    assert [(sheet[f"B{r}"].value, sheet[f"B{r}"].number_format) for r in range(3, 7)] == [
        (61.7, "0.0_-"), (1064, '#,##0" zł"_-'), (0.925, "0.0%_-"), (None, "General")]
    assert [sheet[f"C{r}"].value for r in range(3, 7)] == [8, 12, 3, 4]


def test_integer_columns_from_pandas_get_their_shown_format() -> None:
    frame = pd.DataFrame({"Osoby": [866, 1250]})  # int64: numpy integers, not Python ints
    body = display.html_table({"Osoby": ["866", "1\u00a0250"]}, {"Osoby"})
    assert display.shown_number_formats(body, frame) == {
        "Osoby": {"decimals": 0, "unit": "", "grouping": True, "scale": 1}}
