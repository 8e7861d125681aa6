"""The draft as one self-contained HTML page (jinja2, ``templates/program/``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jinja2

from wkus_lib.program.model import (
    SYNTHETIC_NOTE,
    ProgramDraft,
    Table,
    provision_labels,
    text_runs,
)


def render_html(draft: ProgramDraft) -> str:
    """The draft as one self-contained HTML page (``templates/program/program.html.j2``)."""
    folder = Path(str(resources.files("wkus_lib") / "templates" / "program"))
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), autoescape=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )
    environment.globals["text_runs"] = text_runs
    environment.globals["provision_labels"] = provision_labels
    environment.globals["zip"] = zip
    environment.tests["table"] = lambda block: isinstance(block, Table)
    return environment.get_template("program.html.j2").render(draft=draft, synthetic_note=SYNTHETIC_NOTE)
