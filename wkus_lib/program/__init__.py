"""The draft of a multi-year cooperation programme (wieloletni program współpracy).

Art. 5a ust. 4 of the act on public benefit activity lists what a programme
contains; :func:`build_program` fills those parts for one gmina and a range
of years from the gmina's evaluation and the indicator catalogue. The draft
is data (:class:`ProgramDraft`); :func:`render_docx` and :func:`render_html`
present it, and :func:`write_program` writes both atomically.

One concern per module:

- :mod:`~wkus_lib.program.model`: the draft's types, placeholders, the act's sections;
- :mod:`~wkus_lib.program.inputs`: the gmina and the period, checked before any data;
- :mod:`~wkus_lib.program.evaluation`: the gmina's evaluation → priority tasks and funds;
- :mod:`~wkus_lib.program.tables`: priority, funds and assessment tables;
- :mod:`~wkus_lib.program.text`: the standard Polish text, chapters and „§” numbering;
- :mod:`~wkus_lib.program.build`: store and catalogue → :class:`ProgramDraft`;
- :mod:`~wkus_lib.program.docx`, :mod:`~wkus_lib.program.html`: the two renderings;
- :mod:`~wkus_lib.program.write`: both files written into the gmina's folder.
"""

from wkus_lib.program.build import build_program
from wkus_lib.program.docx import render_docx
from wkus_lib.program.html import render_html
from wkus_lib.program.inputs import MAX_YEARS, MIN_YEARS, parse_year_range
from wkus_lib.program.model import (
    PLACEHOLDER,
    STATUTORY_SECTIONS,
    Block,
    FundsLine,
    Paragraph,
    PriorityTask,
    ProgramDraft,
    Provision,
    Section,
    Table,
    TaskKind,
)
from wkus_lib.program.write import program_stem, write_program

__all__ = [
    "MAX_YEARS",
    "MIN_YEARS",
    "PLACEHOLDER",
    "STATUTORY_SECTIONS",
    "Block",
    "FundsLine",
    "Paragraph",
    "PriorityTask",
    "ProgramDraft",
    "Provision",
    "Section",
    "Table",
    "TaskKind",
    "build_program",
    "parse_year_range",
    "program_stem",
    "render_docx",
    "render_html",
    "write_program",
]
