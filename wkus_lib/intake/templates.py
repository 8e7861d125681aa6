"""Blank XLSX entry templates, one per store table, generated from the schemas.

Each workbook has the data sheet (Polish headers from
:data:`wkus_lib.intake.headers.HEADERS`, frozen header row, number formats,
drop-down lists), an ``Instrukcja`` sheet explaining every column (meaning and
the field of the NGO report, sprawozdanie, it comes from — both taken from the
pandera models) and a hidden ``Listy`` sheet that feeds the longer drop-downs
(all 2,477 gminy of the registry, catalogue item codes). The importer skips both
helper sheets, so a filled template imports as it is.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Final, Literal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from wkus_lib.catalog import load_catalog
from wkus_lib.domain import (
    LIKERT_MAX,
    LIKERT_MIN,
    REGISTRY_SOURCE,
    YEAR_MAX,
    YEAR_MIN,
    ascii_slug,
    load_gminy,
)
from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.files.spreadsheet_safe import protect_workbook
from wkus_lib.intake.convert import CHOICE_LABELS, MISSING_ANSWERS, column_spec
from wkus_lib.intake.headers import HEADERS, TABLE_TITLES
from wkus_lib.schemas import TABLES

INSTRUCTION_SHEET: Final = "Instrukcja"
LISTS_SHEET: Final = "Listy"
VALIDATED_ROWS: Final = 5000
"""Rows 2…5001 of the data sheet carry drop-downs and checks."""
NOT_APPLICABLE: Final = "nie dotyczy"
BOOL_CHOICES: Final = ("tak", "nie")
NUMBER_FORMATS: Final = {"int": "0", "float": "#,##0.00", "likert": "0"}
TEXT_FORMAT: Final = "@"  # codes stay text: a TERYT code never loses its leading zero
KIND_NAMES: Final = {
    "text": "tekst", "code": "kod (tekst)", "choice": "wybór z listy", "teryt": "kod TERYT",
    "int": "liczba całkowita", "float": "liczba (np. 1 234,50)", "bool": "tak/nie",
    "likert": f"odpowiedź {LIKERT_MIN}–{LIKERT_MAX} albo „{NOT_APPLICABLE}”",
}
_HEADER_FILL: Final = PatternFill("solid", fgColor="DDEBF7")
_GENERAL_NOTES: Final = (
    ("Wpisuj dane od wiersza 2 arkusza z danymi; nie zmieniaj nagłówków (program rozpoznaje "
    "po nich tabelę i kolumny)."),
    "Kwoty wpisuj w złotych, z przecinkiem dziesiętnym, bez znaku „zł”.",
    "Puste komórki oznaczają brak danych tam, gdzie kolumna na to pozwala.",
    "Wczytanie: wkus import <plik.xlsx> — błędne wiersze trafią do kwarantanny z opisem.",
)

_COLUMN_NOTES: Final = {
    "teryt": "Kod TERYT gminy to 7 cyfr zapisanych jako tekst; z listy możesz wybrać gminę "
    f"z rejestru wszystkich gmin ({REGISTRY_SOURCE}), uporządkowanego według kodu, czyli "
    "województw i powiatów (liczy się kod na początku). Można też wpisać samą nazwę gminy, "
    "jeśli jest jedyną gminą o tej nazwie.",
    "respondent_id": "Identyfikator respondenta: numer ankiety, nigdy imię, nazwisko ani PESEL; "
    "przy wczytaniu zostanie zastąpiony pseudonimem.",
    "answer": "Odpowiedź: liczba 1–5 albo „nie dotyczy” (zapisywane jako brak odpowiedzi).",
}
_ALWAYS_SURVEY_ITEMS: Final = ("survey_responses", "cooperation_survey")


def template_file_name(table: str) -> str:
    """``01-umowy.xlsx``: table order and Polish title, ASCII-safe."""
    position = list(TABLE_TITLES).index(table) + 1
    return f"{position:02d}-{ascii_slug(TABLE_TITLES[table])}.xlsx"


def _allowed(table: str, column: str) -> tuple[str, ...]:
    spec = column_spec(table, column)
    if spec.kind == "bool":
        return BOOL_CHOICES
    if spec.kind == "likert":
        return (*(str(v) for v in range(LIKERT_MIN, LIKERT_MAX + 1)), NOT_APPLICABLE)
    return spec.allowed


def _lists(table: str) -> dict[str, list[str]]:
    """Long drop-down lists of a table (column → values), kept on the hidden sheet."""
    catalog = load_catalog()
    lists: dict[str, list[str]] = {}
    if "teryt" in HEADERS[table]:
        lists["teryt"] = [f"{g.teryt} {g.name}" for g in load_gminy().values()]
    if table in _ALWAYS_SURVEY_ITEMS:
        items = catalog.survey_items()
        cooperation = items["instrument"] == "wspolpraca"
        chosen = items[cooperation] if table == "cooperation_survey" else items[~cooperation]
        lists["item_id"] = chosen["item_id"].tolist()
    if table == "standard_checklist":
        lists["requirement_id"] = catalog.standard_requirements()["requirement_id"].tolist()
    if table == "cooperation_checklist":
        lists["item_id"] = catalog.checklist_items()["item_id"].tolist()
    return lists


def _validation(table: str, column: str, reference: str | None) -> DataValidation | None:
    spec = column_spec(table, column)
    field = TABLES[table].to_schema().columns[column]
    header = HEADERS[table][column]
    if reference is not None:
        # A warning only for gminy: a gmina created after the register's state date is allowed.
        strict = column != "teryt"
        return DataValidation(
            type="list", formula1=reference, allow_blank=True,
            errorStyle="stop" if strict else "warning", showErrorMessage=True,
            error="Wybierz wartość z listy.", errorTitle=header,
        )
    allowed = _allowed(table, column)
    if allowed:
        return DataValidation(
            type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=field.nullable,
            showErrorMessage=True, error="Wybierz wartość z listy: " + ", ".join(allowed),
            errorTitle=header,
        )
    if spec.kind in ("int", "float"):
        year = column in ("year", "start_year", "end_year")
        low, high = (YEAR_MIN, YEAR_MAX) if year else (0, None)
        kind: Literal["whole", "decimal"] = "whole" if spec.kind == "int" else "decimal"
        if high is None:
            return DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(low),
                                  allow_blank=field.nullable, showErrorMessage=True,
                                  error="Wpisz liczbę nie mniejszą niż 0.", errorTitle=header)
        return DataValidation(type=kind, operator="between", formula1=str(low),
                              formula2=str(high), allow_blank=field.nullable,
                              showErrorMessage=True, error=f"Wpisz rok {low}–{high}.",
                              errorTitle=header)
    return None


def _data_sheet(sheet: Worksheet, table: str, references: dict[str, str]) -> None:
    sheet.title = TABLE_TITLES[table]
    columns = list(HEADERS[table])
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=HEADERS[table][column])
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        dimension = sheet.column_dimensions[letter]
        dimension.width = max(14, min(40, len(HEADERS[table][column]) + 4))
        kind = column_spec(table, column).kind
        dimension.number_format = NUMBER_FORMATS.get(kind, TEXT_FORMAT)
        validation = _validation(table, column, references.get(column))
        if validation is not None:
            validation.prompt = TABLES[table].to_schema().columns[column].description or ""
            validation.showInputMessage = True
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS + 1}")
            sheet.add_data_validation(validation)
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = "A2"


def _instruction_sheet(sheet: Worksheet, table: str) -> None:
    model = TABLES[table]
    sheet.append([f"{TABLE_TITLES[table]} ({table}) — {model.__doc__ or ''}".strip()])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])
    notes = [*_GENERAL_NOTES, *(n for c, n in _COLUMN_NOTES.items() if c in HEADERS[table])]
    for note in notes:
        sheet.append([note])
    sheet.append([])
    heading = ["Kolumna", "Typ", "Obowiązkowa", "Znaczenie", "Skąd (pole sprawozdania / źródło)",
               "Dozwolone wartości"]
    sheet.append(heading)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    schema = model.to_schema()
    for column, header in HEADERS[table].items():
        field = schema.columns[column]
        labels = CHOICE_LABELS.get(column, {})
        allowed = "; ".join(
            f"{code} = {labels[code]}" if code in labels and labels[code] != code else code
            for code in _allowed(table, column)
        )
        if column_spec(table, column).kind == "likert":
            allowed += f" (1 = zdecydowanie się nie zgadzam … 5 = zdecydowanie się zgadzam; " \
                       f"{', '.join(sorted(MISSING_ANSWERS))} = brak odpowiedzi)"
        sheet.append([
            header, KIND_NAMES[column_spec(table, column).kind],
            "nie" if field.nullable else "tak", field.description or "", field.title or "—",
            allowed,
        ])
    for letter, width in zip("ABCDEF", (34, 22, 12, 60, 38, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _lists_sheet(workbook: Workbook, lists: dict[str, list[str]]) -> dict[str, str]:
    """Write the hidden list sheet; return column → range formula for the drop-downs."""
    references: dict[str, str] = {}
    if not lists:
        return references
    sheet = workbook.create_sheet(LISTS_SHEET)
    sheet.sheet_state = "hidden"
    for index, (column, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=column)
        for row, value in enumerate(values, start=2):
            sheet.cell(row=row, column=index, value=value)
        references[column] = (
            f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
        )
    return references


def template_bytes(table: str) -> bytes:
    """The XLSX entry template of one table."""
    workbook = Workbook()
    data = workbook.worksheets[0]
    _instruction_sheet(workbook.create_sheet(INSTRUCTION_SHEET), table)
    references = _lists_sheet(workbook, _lists(table))
    _data_sheet(data, table, references)
    workbook.active = 0
    sink = io.BytesIO()
    protect_workbook(workbook).save(sink)
    return sink.getvalue()


def write_templates(out_dir: Path, tables: Sequence[str] | None = None) -> list[Path]:
    """Write one template per table (default: every table) into ``out_dir``; return the paths."""
    written: list[Path] = []
    for table in tables or list(TABLE_TITLES):
        path = out_dir / template_file_name(table)
        atomic_write_bytes(path, template_bytes(table))
        written.append(path)
    return written
