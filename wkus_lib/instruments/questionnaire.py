"""Printable questionnaires: HTML from a Jinja2 template, then an A4 PDF (WeasyPrint).

Each page carries the data-protection clause, the instructions, the context
fields (gmina, area, year) and one table per criterion with a tick box per
scale point and for "nie dotyczy". The small ``[item_id]`` after each item
lets whoever types paper answers into a spreadsheet use the column names
``wkus import`` knows.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from wkus_lib.catalog import Catalog
from wkus_lib.domain import AREA_NAMES
from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.instruments.forms import Questionnaire, audience_clause, clause_paragraphs
from wkus_lib.instruments.xlsform import StudySetup


def _environment() -> jinja2.Environment:
    folder = Path(str(resources.files("wkus_lib") / "templates" / "instruments"))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), autoescape=True,
        undefined=jinja2.StrictUndefined,
    )


def questionnaire_context(
    form: Questionnaire, catalog: Catalog, setup: StudySetup
) -> dict[str, Any]:
    """What the template shows: texts, numbered items per criterion, scale labels."""
    instruments = catalog.instruments
    clause = audience_clause(catalog, form.form_id)
    scale = [f"{point} – {label}" for point, label in sorted(instruments.likert_labels.items())]
    scale.append(instruments.not_applicable.label_pl)
    number = 0
    groups = []
    for group in form.item_groups:
        items = []
        for item in group.items:
            number += 1
            items.append({"number": number, "text": item.text_pl, "item_id": item.item_id})
        groups.append({"heading": group.heading_pl, "rows": items})
    return {
        "title": form.title_pl,
        "respondents": form.respondents_pl,
        "clause_title": clause.title_pl,
        "clause": clause_paragraphs(catalog, setup.administrator, form.form_id),
        "instructions": instruments.instructions_pl or "",
        "show_area": form.group is None,
        "setup_teryt": setup.teryt or "",
        "setup_area": AREA_NAMES.get(setup.area, setup.area) if setup.area else "",  # type: ignore[call-overload]
        "setup_year": "" if setup.year is None else str(setup.year),
        "scale": scale,
        "groups": groups,
    }


def questionnaire_html(form: Questionnaire, catalog: Catalog, setup: StudySetup) -> str:
    """The questionnaire as a standalone HTML page (A4 print styles)."""
    template = _environment().get_template("questionnaire.html.j2")
    return template.render(**questionnaire_context(form, catalog, setup))


def write_questionnaire_pdf(
    form: Questionnaire, catalog: Catalog, path: Path, setup: StudySetup
) -> Path:
    """Write the printable A4 PDF to ``path``; return ``path``."""
    from wkus_lib.files.pdf import render_pdf

    atomic_write_bytes(path, render_pdf(questionnaire_html(form, catalog, setup)))
    return path
