"""The draft as a Word document (python-docx), byte-identical for identical drafts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Final

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Cm, Length, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from wkus_lib.files.stable import document_bytes
from wkus_lib.files.word import a4_document
from wkus_lib.program.model import (
    SYNTHETIC_NOTE,
    Paragraph,
    ProgramDraft,
    Table,
    provision_labels,
    text_runs,
)

_DOCX_TEXT_WIDTH_CM: Final = 16.0


def render_docx(draft: ProgramDraft) -> bytes:
    """The draft as a Word document (python-docx): A4, real heading styles, § numbering,
    tables with repeated header rows, placeholders highlighted. Identical drafts give
    identical bytes."""
    document = a4_document(margin_cm=2.5)
    _docx_styles(document)
    properties = document.core_properties
    properties.subject = "Projekt wieloletniego programu współpracy"
    properties.language = "pl-PL"
    properties.keywords = f"program współpracy; {draft.gmina.name}; {draft.gmina.teryt}"

    header = document.sections[0].header.paragraphs[0]
    header.text = ("DANE SYNTETYCZNE — projekt demonstracyjny" if draft.synthetic
                   else "PROJEKT — do edycji")
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _docx_page_number(document.sections[0].footer.paragraphs[0])

    annex = document.add_paragraph()
    annex.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _docx_runs(annex, draft.annex_line, size=Pt(9))
    if draft.synthetic:
        _docx_runs(document.add_paragraph(), SYNTHETIC_NOTE, bold=True,
                   colour=RGBColor(0x9C, 0x00, 0x18))
    for note in draft.notes:
        _docx_runs(document.add_paragraph(), note, italic=True)
    document.add_paragraph(draft.title, style="Title")

    for section in draft.sections:
        document.add_heading(section.heading, level=1)
        for block in section.blocks:
            if isinstance(block, Table):
                _docx_table(document, block)
            else:
                _docx_paragraph(document, block)
    return document_bytes(document, title=draft.title,
                          created=datetime(draft.first_year - 1, 1, 1, tzinfo=UTC))


def _docx_styles(document: DocxDocument) -> None:
    """Compact heading sizes."""
    styles = document.styles
    styles["Normal"].font.size = Pt(11)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    styles["Title"].font.size = Pt(18)
    styles["Heading 1"].font.size = Pt(13)


def _docx_page_number(paragraph: DocxParagraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph._p.append(field)


def _docx_paragraph(document: DocxDocument, block: Paragraph) -> None:
    """A „§”: its label in bold, ustępy numbered, points hanging below them."""
    for provision, label in zip(block.provisions, provision_labels(block), strict=True):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Cm(0.6)
        if label:
            paragraph.add_run(label + " ").bold = label.startswith("§")
        _docx_runs(paragraph, provision.text)
        for number, point in enumerate(provision.points, start=1):
            item = document.add_paragraph()
            item.paragraph_format.left_indent = Cm(1.2)
            item.paragraph_format.first_line_indent = Cm(-0.6)
            end = ";" if number < len(provision.points) else "."
            _docx_runs(item, f"{number}) {point}{end}")


def _docx_runs(paragraph: DocxParagraph, text: str, *, bold: bool = False,
               italic: bool = False, size: Length | None = None,
               colour: RGBColor | None = None) -> None:
    """Add ``text`` to ``paragraph``: placeholders bold on a yellow highlight, ``\\n`` a line
    break."""
    for piece, gap in text_runs(text):
        lines = piece.split("\n")
        for number, line in enumerate(lines, start=1):
            run = paragraph.add_run(line)
            if bold or gap:
                run.bold = True
            if italic:
                run.italic = True
            if size is not None:
                run.font.size = size
            if colour is not None:
                run.font.color.rgb = colour
            if gap:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            if number < len(lines):
                run.add_break()


def _docx_table(document: DocxDocument, table: Table) -> None:
    """A captioned grid: shaded header row repeated on every page, numbers right-aligned."""
    caption = document.add_paragraph(style="Caption")
    caption.paragraph_format.keep_with_next = True
    caption.add_run(table.caption)
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Cm(_DOCX_TEXT_WIDTH_CM * share) for share in table.widths]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    header_row = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(repeat)
    for values in (table.header, *table.rows):
        is_header = values is table.header
        cells = header_row.cells if is_header else grid.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.width = widths[column]
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if column in table.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _docx_runs(paragraph, value, bold=is_header or value == "Razem", size=Pt(8.5))
            if is_header:
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:fill"), "E3E8EF")
                cell._tc.get_or_add_tcPr().append(shading)
    document.add_paragraph()
