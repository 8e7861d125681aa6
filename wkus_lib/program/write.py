"""Both renderings of a draft written atomically into the gmina's folder."""

from __future__ import annotations

from pathlib import Path

from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.program.docx import render_docx
from wkus_lib.program.html import render_html
from wkus_lib.program.model import ProgramDraft


def program_stem(draft: ProgramDraft) -> str:
    """File name without extension: ``program_wspolpracy_2027-2030``."""
    return f"program_wspolpracy_{draft.first_year}-{draft.last_year}"


def write_program(draft: ProgramDraft, out_dir: Path) -> tuple[Path, Path]:
    """Write ``<out>/<teryt>-<slug>/program_wspolpracy_<years>.{docx,html}`` atomically."""
    folder = out_dir / draft.gmina.slug
    docx_path = folder / f"{program_stem(draft)}.docx"
    html_path = folder / f"{program_stem(draft)}.html"
    atomic_write_bytes(docx_path, render_docx(draft))
    atomic_write_bytes(html_path, render_html(draft).encode("utf-8"))
    return docx_path, html_path
