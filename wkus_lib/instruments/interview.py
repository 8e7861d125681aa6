"""Interview scenarios: the interviewer's guide (DOCX) and the coding sheet (XLSX).

The guide groups questions by criterion and lists each criterion's codes.
The coding sheet has one row per coded fragment; the code column accepts
only the scenario's codes (an Excel list), and every code maps to a
criterion and a kind (strength, problem, recommendation), so coded
interviews are counted per criterion with :func:`count_codes`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final
from zipfile import BadZipFile

import pandas as pd
from docx.shared import Pt
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from wkus_lib.catalog import Catalog, CodeKind, Interview
from wkus_lib.errors import CatalogError, InputError
from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.instruments.forms import audience_clause, clause_paragraphs

CODING_SHEET: Final = "Kodowanie"
CODES_SHEET: Final = "Kody"
GUIDE_SHEET: Final = "Instrukcja"
CODING_COLUMNS: Final = {
    "interview_id": "Wywiad (pseudonim)",
    "teryt": "Gmina (TERYT)",
    "area": "Obszar",
    "year": "Rok",
    "fragment": "Fragment wypowiedzi",
    "code": "Kod",
    "note": "Uwagi",
}
CODED_ROWS: Final = 500
KIND_NAMES: Final[dict[CodeKind, str]] = {
    "mocna_strona": "mocna strona",
    "problem": "problem",
    "rekomendacja": "rekomendacja",
}
COUNT_COLUMNS: Final = ("criterion", "criterion_pl", "kind", "fragments", "interviews")


# ------------------------------------------------------------------ the guide


def interview_key(interview: Interview, catalog: Catalog) -> str:
    """The catalogue key of ``interview`` (e.g. ``personel_grupowy``): its clause's audience."""
    for key, candidate in catalog.instruments.interviews.items():
        if candidate == interview:
            return key
    raise CatalogError(f"Katalog ({catalog.source}) nie ma scenariusza „{interview.name_pl}”.")


def guide_document(interview: Interview, catalog: Catalog, administrator: str | None) -> bytes:
    """The interviewer's guide as DOCX bytes: clause, introduction, criteria, closing, codes."""
    from wkus_lib.files.stable import document_bytes
    from wkus_lib.files.word import a4_document

    labels = catalog.instruments
    document = a4_document(margin_cm=2.0)
    document.styles["Normal"].font.name = "DejaVu Sans"
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading(interview.name_pl, level=0)
    participants = interview.participants_pl.replace(
        "{quotes_threshold}", str(catalog.settings.suppression.quotes_threshold))
    document.add_paragraph(f"Uczestnicy: {participants}.")
    document.add_paragraph(f"Czas: około {interview.duration_min} minut.")
    criteria = ", ".join(labels.criterion_label(s.criterion).name_pl for s in interview.sections)
    document.add_paragraph(f"Kryteria oceny: {criteria}.")

    audience = interview_key(interview, catalog)
    document.add_heading(audience_clause(catalog, audience).title_pl, level=1)
    document.add_paragraph().add_run(
        "Odczytaj przed rozpoczęciem, zanim włączysz nagrywanie:").italic = True
    for paragraph in clause_paragraphs(catalog, administrator, audience):
        document.add_paragraph(paragraph)

    document.add_heading("Wprowadzenie", level=1)
    for step in interview.introduction_pl:
        document.add_paragraph(step, style="List Bullet")

    number = 0
    for index, section in enumerate(interview.sections, start=1):
        name = labels.criterion_label(section.criterion).name_pl
        document.add_heading(f"{index}. {name}", level=1)
        for question in section.questions:
            number += 1
            document.add_paragraph(f"{number}. {question.text_pl}")
            for probe in question.probes_pl:
                document.add_paragraph(f"Dopytaj: {probe}", style="List Bullet 2")
        codes = document.add_paragraph("Kody: ")
        codes.runs[0].bold = True
        codes.add_run("; ".join(f"{c.code} – {c.label_pl} ({KIND_NAMES[c.kind]})"
                                for c in section.codes))

    if interview.closing_pl:
        document.add_heading("Zakończenie", level=1)
        for step in interview.closing_pl:
            document.add_paragraph(step, style="List Bullet")

    document.add_heading("Kodowanie", level=1)
    document.add_paragraph(
        "Po wywiadzie wpisz do arkusza kodowania każdy istotny fragment wypowiedzi w osobnym "
        "wierszu i nadaj mu jeden kod z listy. Wywiad oznacz pseudonimem (np. W01), nigdy "
        "imieniem i nazwiskiem. Nie przepisuj danych, które pozwalają rozpoznać osobę."
    )
    return document_bytes(document, title=interview.name_pl)


# ------------------------------------------------------------ the coding sheet


def coding_sheet(interview: Interview, catalog: Catalog) -> bytes:
    """The coding workbook as XLSX bytes: coding rows, the code list, instructions."""
    from wkus_lib.files.spreadsheet_safe import protect_workbook
    from wkus_lib.files.stable import workbook_bytes

    workbook = Workbook()
    coding = workbook.active
    assert coding is not None  # a new workbook always has one sheet
    coding.title = CODING_SHEET
    coding.append(list(CODING_COLUMNS.values()))
    for cell in coding[1]:
        cell.font = Font(bold=True)
    widths = {"A": 18, "B": 14, "C": 16, "D": 8, "E": 70, "F": 12, "G": 30}
    for letter, width in widths.items():
        coding.column_dimensions[letter].width = width
    coding.freeze_panes = "A2"

    codes = workbook.create_sheet(CODES_SHEET)
    codes.append(["Kod", "Kryterium", "Kryterium (identyfikator)", "Rodzaj", "Opis"])
    for cell in codes[1]:
        cell.font = Font(bold=True)
    for section in interview.sections:
        criterion = catalog.instruments.criterion_label(section.criterion).name_pl
        for code in section.codes:
            codes.append([code.code, criterion, section.criterion, KIND_NAMES[code.kind],
                          code.label_pl])
    code_count = sum(len(section.codes) for section in interview.sections)
    for letter, width in {"A": 10, "B": 30, "C": 24, "D": 14, "E": 45}.items():
        codes.column_dimensions[letter].width = width

    code_letter = "ABCDEFG"[list(CODING_COLUMNS).index("code")]
    validation = DataValidation(
        type="list", formula1=f"{CODES_SHEET}!$A$2:$A${code_count + 1}", allow_blank=True,
        showErrorMessage=True, errorTitle="Nieznany kod",
        error="Wybierz kod z listy (arkusz „Kody”).",
    )
    coding.add_data_validation(validation)
    validation.add(f"{code_letter}2:{code_letter}{CODED_ROWS + 1}")

    guide = workbook.create_sheet(GUIDE_SHEET)
    for line in (
        interview.name_pl,
        "Jeden wiersz arkusza „Kodowanie” = jeden fragment wypowiedzi z jednym kodem.",
        "Wywiad oznacz pseudonimem (np. W01); nie wpisuj imion, nazwisk ani adresów.",
        "Kody i kryteria, do których należą, są w arkuszu „Kody”.",
        "Liczbę fragmentów według kryterium i rodzaju podaje polecenie „wkus count-codes”.",
    ):
        guide.append([line])
    guide.column_dimensions["A"].width = 90
    for row_cells in guide.iter_rows():
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True)
    workbook.properties.title = interview.name_pl
    return workbook_bytes(protect_workbook(workbook))


def write_interview_files(
    interview: Interview, catalog: Catalog, guide_path: Path, sheet_path: Path,
    administrator: str | None,
) -> tuple[Path, Path]:
    """Write the guide (DOCX) and the coding sheet (XLSX); return both paths."""
    atomic_write_bytes(guide_path, guide_document(interview, catalog, administrator))
    atomic_write_bytes(sheet_path, coding_sheet(interview, catalog))
    return guide_path, sheet_path


def read_coding_sheet(path: Path) -> pd.DataFrame:
    """The filled rows of a coding sheet (columns of :data:`CODING_COLUMNS`, all text).

    ``row`` is the Excel row number; rows without a fragment and a code are skipped.
    """
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, ValueError, KeyError, BadZipFile, InvalidFileException) as error:
        raise InputError("nie można odczytać arkusza kodowania (oczekiwano pliku XLSX)",
                         file=str(path), hint="Użyj arkusza utworzonego przez "
                         "„wkus instruments”.") from error
    if CODING_SHEET not in workbook.sheetnames:
        raise InputError(f"brak arkusza „{CODING_SHEET}”", file=str(path),
                         hint="Użyj arkusza utworzonego przez „wkus instruments”.")
    rows = workbook[CODING_SHEET].iter_rows(values_only=True)
    header = [str(cell).strip() if cell is not None else "" for cell in next(rows, ())]
    columns = {name: header.index(title) for name, title in CODING_COLUMNS.items()
               if title in header}
    missing = [CODING_COLUMNS[name] for name in ("interview_id", "code") if name not in columns]
    if missing:
        raise InputError(f"brak kolumn: {', '.join(missing)}", file=str(path),
                         hint=f"Nagłówki arkusza „{CODING_SHEET}”: "
                         f"{', '.join(CODING_COLUMNS.values())}.")
    records = []
    for number, values in enumerate(rows, start=2):
        record: dict[str, object] = {"row": number}
        for name, position in columns.items():
            cell = values[position] if position < len(values) else None
            record[name] = None if cell is None or str(cell).strip() == "" else str(cell).strip()
        if record.get("code") is None and record.get("fragment") is None:
            continue
        records.append(record)
    workbook.close()
    return pd.DataFrame.from_records(records, columns=["row", *CODING_COLUMNS])


def count_codes(
    coded: pd.DataFrame, interview: Interview, catalog: Catalog, *, file: str
) -> pd.DataFrame:
    """Coded fragments per criterion and kind (every pair, zeros included).

    Parameters
    ----------
    coded
        Rows of :func:`read_coding_sheet` (``row``, ``interview_id``, ``code`` …).
    interview
        The scenario whose codes the sheet uses.
    catalog
        For the criteria names.
    file
        The sheet's name, for messages.

    Returns
    -------
    pandas.DataFrame
        :data:`COUNT_COLUMNS`: ``fragments`` coded with the criterion's codes
        of that kind and ``interviews`` (distinct interview pseudonyms) that
        have at least one of them, in scenario order.

    Raises
    ------
    InputError
        For a fragment without a code, a code not in the scenario or a row
        without an interview pseudonym (naming the file, row and value).
    """
    table = interview.code_table()
    known = dict(zip(table["code"], zip(table["criterion"], table["kind"], strict=True),
                     strict=True))
    code_column, interview_column = CODING_COLUMNS["code"], CODING_COLUMNS["interview_id"]
    for record in coded.to_dict("records"):
        row = int(record["row"])
        if record["code"] is None:
            raise InputError("fragment bez kodu", file=file, row=row,
                             column=code_column, hint="Nadaj kod z arkusza „Kody”.")
        if str(record["code"]).upper() not in known:
            raise InputError("kod spoza listy scenariusza", file=file, row=row,
                             column=code_column, value=record["code"],
                             hint=f"Dozwolone kody: {', '.join(known)}.")
        if record["interview_id"] is None:
            raise InputError("brak pseudonimu wywiadu", file=file, row=row,
                             column=interview_column, hint="Wpisz pseudonim, np. W01.")
    codes = coded["code"].astype("string").str.upper()
    mapped = pd.DataFrame({
        "criterion": codes.map(lambda c: known[c][0]),
        "kind": codes.map(lambda c: known[c][1]),
        "interview_id": coded["interview_id"],
    })
    pairs = table[["criterion", "kind"]].drop_duplicates().reset_index(drop=True)
    counts = mapped.groupby(["criterion", "kind"], sort=False).agg(
        fragments=("interview_id", "size"), interviews=("interview_id", "nunique"),
    ).reset_index()
    result = pairs.merge(counts, on=["criterion", "kind"], how="left")
    result[["fragments", "interviews"]] = result[["fragments", "interviews"]].fillna(0).astype(int)
    result["criterion_pl"] = [
        catalog.instruments.criterion_label(c).name_pl for c in result["criterion"]]
    return result.loc[:, list(COUNT_COLUMNS)]
