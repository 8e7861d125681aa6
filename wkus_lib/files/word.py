"""A new Word document as Polish offices print it: A4, even margins, Polish proofing.

python-docx starts from a US Letter template with English proofing; every DOCX
the project writes (the cooperation programme, the programme report, the
interview guide) starts here instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

if TYPE_CHECKING:
    from docx.document import Document

A4_WIDTH_CM = 21.0
A4_HEIGHT_CM = 29.7


def a4_document(*, margin_cm: float) -> Document:
    """An empty A4 document with ``margin_cm`` on every side and Polish as its language.

    >>> document = a4_document(margin_cm=2.0)
    >>> round(document.sections[0].page_width.cm, 1), round(document.sections[0].left_margin.cm, 1)
    (21.0, 2.0)
    """
    document = docx.Document()
    for page in document.sections:
        page.page_width, page.page_height = Cm(A4_WIDTH_CM), Cm(A4_HEIGHT_CM)
        page.left_margin = page.right_margin = Cm(margin_cm)
        page.top_margin = page.bottom_margin = Cm(margin_cm)
    run_defaults = document.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if run_defaults is not None:
        language = run_defaults.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            run_defaults.append(language)
        language.set(qn("w:val"), "pl-PL")
    return document


def text_width_cm(margin_cm: float) -> float:
    """The width between the margins of an :func:`a4_document`.

    >>> text_width_cm(2.0)
    17.0
    """
    return A4_WIDTH_CM - 2 * margin_cm
