"""The programme report as DOCX (council), HTML (BIP) and XLSX (its tables), byte-stable."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Final

import docx
import jinja2
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph
from openpyxl import Workbook
from openpyxl.cell.cell import Cell

from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.files.spreadsheet_safe import protect_workbook, write_text_cell
from wkus_lib.files.stable import document_bytes, workbook_bytes
from wkus_lib.files.word import a4_document, text_width_cm
from wkus_lib.report.annex import NumberFormat
from wkus_lib.statutory.report import PLACEHOLDER, ProgrammeReport, ReportTable
from wkus_lib.text.numbers import MISSING

SYNTHETIC_NOTE: Final = ("Uwaga: sprawozdanie przygotowane z danych syntetycznych "
                         "(demonstracja) — nie opisuje rzeczywistej gminy.")
_SHEET_NAME_LENGTH: Final = 31
_MARGIN_CM: Final = 2.0
_TABLE_FONT: Final = Pt(9)
_LONGEST_COUNTED: Final = 22
"""Characters of a cell counted when sharing the page width among columns (longer wrap)."""
_FEWEST_COUNTED: Final = 7
"""Characters every column is given room for, however short its texts."""
_CHAR_CM: Final = 0.21
"""The width of an average character of the 9 pt table font (bold headers included)."""
_CELL_PADDING_CM: Final = 0.4
_SHOWN_NUMBER: Final = re.compile(
    r"^(?P<sign>−?)(?P<whole>\d{1,3}(?:\u00a0\d{3})+|\d+)(?:,(?P<fraction>\d+))?"
    r"(?:\u00a0(?P<unit>zł|%|pkt proc\.))?$")
"""A whole cell as :func:`wkus_lib.text.numbers.format_number` writes it: ``1\u00a0234,50\u00a0zł``."""


def _add_text(paragraph: Paragraph, text: str) -> None:
    """Text with every :data:`PLACEHOLDER` highlighted in yellow."""
    parts = text.split(PLACEHOLDER)
    for position, part in enumerate(parts):
        if part:
            paragraph.add_run(part)
        if position < len(parts) - 1:
            run = paragraph.add_run(PLACEHOLDER)
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _add_table(document: docx.document.Document, table: ReportTable) -> None:
    """A captioned grid: the caption stays with it, the header row repeats on every page,
    numbers are right-aligned."""
    caption = document.add_paragraph(table.title, style="Caption")
    caption.paragraph_format.space_before = Pt(8)
    caption.paragraph_format.keep_with_next = True
    if not table.rows:
        _add_text(document.add_paragraph(), f"Brak wierszy w danych — {PLACEHOLDER}")
        return
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.autofit = False
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for cell, header in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
    for row in table.rows:
        for cell, text in zip(grid.add_row().cells, row, strict=True):
            cell.text = text
            if shown_number(text) is not None:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for column, width in zip(grid.columns, _column_widths(table), strict=True):
        column.width = width
        for cell in column.cells:
            cell.width = width
            for run in cell.paragraphs[0].runs:
                run.font.size = _TABLE_FONT


def _column_widths(table: ReportTable) -> list[Cm]:
    """Widths filling the text width: every column as wide as its texts need (up to
    :data:`_LONGEST_COUNTED` characters and at least its longest header word); when that is
    too wide, only the columns wider than an equal share give up room, in proportion."""
    needs = [
        _CHAR_CM * max(_FEWEST_COUNTED, max((len(word) for word in header.split()), default=1),
                       *(min(len(row[position]), _LONGEST_COUNTED) for row in table.rows))
        + _CELL_PADDING_CM
        for position, header in enumerate(table.columns)
    ]
    width = text_width_cm(_MARGIN_CM)
    if sum(needs) <= width:
        return [Cm(width * need / sum(needs)) for need in needs]
    share = width / len(needs)
    narrow = sum(need for need in needs if need <= share)
    wide = sum(need for need in needs if need > share)
    return [Cm(need if need <= share else (width - narrow) * need / wide) for need in needs]


def render_docx(report: ProgrammeReport) -> bytes:
    """The report as a Word document; identical reports give identical bytes."""
    document = a4_document(margin_cm=_MARGIN_CM)
    document.styles["Normal"].font.size = Pt(11)
    document.add_heading(report.title, level=0)
    if report.synthetic:
        document.add_paragraph(SYNTHETIC_NOTE)
    for number, section in enumerate(report.sections, start=1):
        document.add_heading(f"{number}. {section.title}", level=1)
        for text in section.paragraphs:
            _add_text(document.add_paragraph(), text)
        for table in section.tables:
            _add_table(document, table)
    if report.gaps:
        document.add_heading("Brakujące dane — do uzupełnienia w magazynie", level=1)
        for gap in report.gaps:
            document.add_paragraph(gap, style="List Bullet")
    return document_bytes(document, title=report.title)


def render_html(report: ProgrammeReport) -> str:
    """The report as one self-contained HTML page for BIP (every text escaped)."""
    folder = Path(str(resources.files("wkus_lib") / "templates" / "statutory"))
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), autoescape=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )
    environment.globals["placeholder"] = PLACEHOLDER
    environment.globals["is_number"] = lambda text: text == MISSING or shown_number(text) is not None
    return environment.get_template("sprawozdanie.html.j2").render(
        report=report, synthetic_note=SYNTHETIC_NOTE)


def _sheet_title(number: int, table_number: int) -> str:
    return f"{number}.{table_number}"[:_SHEET_NAME_LENGTH]


def shown_number(text: str) -> tuple[float, NumberFormat] | None:
    """The number a table cell shows and its Excel format, or None for text.

    Years and ranges stay text-like: ``2021`` is a number without grouping, ``2019–2025``
    and ``ukryto (…)`` are text.

    >>> value, shape = shown_number("−1\u00a0234,50\u00a0zł")
    >>> value, shape.excel()
    (-1234.5, '#,##0.00" zł"_-')
    >>> shown_number("2019–2025") is None, shown_number("2021")[1].excel()
    (True, '0_-')
    """
    match = _SHOWN_NUMBER.match(text)
    if match is None:
        return None
    whole, fraction = match["whole"].replace("\u00a0", ""), match["fraction"] or ""
    value = float(f"{whole}.{fraction or 0}") * (-1 if match["sign"] else 1)
    grouping = len(whole) <= 3 or "\u00a0" in match["whole"]
    return value, NumberFormat(decimals=len(fraction), unit=match["unit"] or "",
                               grouping=grouping)


def _write_shown(cell: Cell, text: str) -> None:
    """A shown number as a number with its Polish format (Excel's locale shows the comma);
    any other text as text."""
    number = shown_number(text)
    if number is None:
        write_text_cell(cell, text)
        return
    cell.value, cell.number_format = number[0], number[1].excel()


def render_xlsx(report: ProgrammeReport) -> bytes:
    """Every table of the report on its own sheet: numbers as numbers, formatted as the
    DOCX shows them (decimals, zł, %), other cells as text."""
    workbook = Workbook()
    contents = workbook.active
    assert contents is not None  # a new workbook always has one sheet
    contents.title = "spis"
    write_text_cell(contents.cell(row=1, column=1), report.title)
    write_text_cell(contents.cell(row=2, column=1), "arkusz")
    write_text_cell(contents.cell(row=2, column=2), "tabela")
    line = 3
    for number, section in enumerate(report.sections, start=1):
        for table_number, table in enumerate(section.tables, start=1):
            title = _sheet_title(number, table_number)
            sheet = workbook.create_sheet(title)
            write_text_cell(contents.cell(row=line, column=1), title)
            write_text_cell(contents.cell(row=line, column=2), table.title)
            line += 1
            write_text_cell(sheet.cell(row=1, column=1), table.title)
            for column, header in enumerate(table.columns, start=1):
                write_text_cell(sheet.cell(row=2, column=column), header)
            for row_number, row in enumerate(table.rows, start=3):
                for column, text in enumerate(row, start=1):
                    _write_shown(sheet.cell(row=row_number, column=column), text)
    protect_workbook(workbook)
    return workbook_bytes(workbook)


def report_stem(report: ProgrammeReport) -> str:
    """File name without extension: ``sprawozdanie_program_wspolpracy_2025``."""
    return f"sprawozdanie_program_wspolpracy_{report.year}"


def write_report(report: ProgrammeReport, out_dir: Path) -> tuple[Path, Path, Path]:
    """Write ``<out>/<teryt>-<slug>/<stem>.{docx,html,xlsx}`` atomically."""
    folder = out_dir / report.gmina.slug
    stem = report_stem(report)
    paths = (folder / f"{stem}.docx", folder / f"{stem}.html", folder / f"{stem}.xlsx")
    atomic_write_bytes(paths[0], render_docx(report))
    atomic_write_bytes(paths[1], render_html(report).encode("utf-8"))
    atomic_write_bytes(paths[2], render_xlsx(report))
    return paths
