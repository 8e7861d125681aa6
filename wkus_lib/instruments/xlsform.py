"""XLSForms (KoboToolbox, ODK) of the catalogue's questionnaires.

Each question's ``name`` is the catalogue ``item_id`` and sits in a group
named after its criterion, so a Kobo/ODK export has headers such as
``satysfakcja/k_sat1`` that ``wkus import`` maps back with no manual step.
The fields ``teryt``, ``area`` (service surveys), ``year`` and
``instrument`` (and ``group`` for the cooperation survey) travel with every
submission: fixed (``calculate``) when the evaluator gives them, otherwise
asked of whoever runs the survey. Every answer is a ``select_one`` on the
catalogue's 1–5 scale plus "nie dotyczy" (``nd``, stored as missing).

Forms are checked with pyxform, the converter KoboToolbox and ODK use.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from pyxform.errors import PyXFormError
from pyxform.xls2xform import convert

from wkus_lib.catalog import Catalog
from wkus_lib.domain import AREA_IDS, AREA_NAMES, YEAR_MAX, YEAR_MIN
from wkus_lib.errors import WkusError
from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.files.spreadsheet_safe import protect_workbook
from wkus_lib.instruments.forms import Questionnaire, audience_clause, clause_paragraphs

SURVEY_COLUMNS: Final = (
    "type", "name", "label", "hint", "required", "constraint", "constraint_message",
    "appearance", "calculation", "default",
)
CHOICE_COLUMNS: Final = ("list_name", "name", "label")
SETTINGS_COLUMNS: Final = ("form_title", "form_id", "version", "style")
SCALE_LIST: Final = "skala"
AREA_LIST: Final = "obszar"
TERYT_CONSTRAINT: Final = r"regex(., '^[0-9]{6}[1-3]$')"

Row = dict[str, str]


@dataclass(frozen=True)
class StudySetup:
    """What the evaluator fixes for one round of a survey (``None``: asked in the form)."""

    teryt: str | None = None
    area: str | None = None
    year: int | None = None
    administrator: str | None = None


def _fixed_or_asked(name: str, value: str | None, asked: Row) -> Row:
    if value is None:
        return {"name": name, **asked}
    return {"type": "calculate", "name": name, "calculation": f"'{value}'"}


def _context_rows(form: Questionnaire, setup: StudySetup) -> list[Row]:
    rows = [
        _fixed_or_asked("teryt", setup.teryt, {
            "type": "text", "label": "Kod TERYT gminy (7 cyfr)",
            "hint": "Wypełnia osoba prowadząca badanie.", "required": "yes",
            "constraint": TERYT_CONSTRAINT,
            "constraint_message": "Kod TERYT ma 7 cyfr, ostatnia to 1, 2 albo 3.",
        }),
    ]
    if form.group is None:
        rows.append(_fixed_or_asked("area", setup.area, {
            "type": f"select_one {AREA_LIST}", "label": "Obszar usługi",
            "hint": "Wypełnia osoba prowadząca badanie.", "required": "yes",
        }))
    rows.append(_fixed_or_asked("year", None if setup.year is None else str(setup.year), {
        "type": "integer", "label": "Rok, którego dotyczy ocena",
        "hint": "Wypełnia osoba prowadząca badanie.", "required": "yes",
        "constraint": f". >= {YEAR_MIN} and . <= {YEAR_MAX}",
        "constraint_message": f"Rok między {YEAR_MIN} a {YEAR_MAX}.",
    }))
    rows.append({"type": "calculate", "name": "instrument",
                 "calculation": f"'{form.instrument}'"})
    if form.group is not None:
        rows.append({"type": "calculate", "name": "group", "calculation": f"'{form.group}'"})
    return rows


def survey_rows(form: Questionnaire, catalog: Catalog, setup: StudySetup) -> list[Row]:
    """The ``survey`` sheet: metadata, the clause, context fields, one group per criterion."""
    title = audience_clause(catalog, form.form_id).title_pl
    rows: list[Row] = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "note", "name": "informacja",
         "label": "\n\n".join((f"**{title}**", *clause_paragraphs(catalog, setup.administrator,
                                                               form.form_id)))},
        {"type": "note", "name": "instrukcja",
         "label": catalog.instruments.instructions_pl or ""},
        *_context_rows(form, setup),
    ]
    for group in form.item_groups:
        rows.append({"type": "begin_group", "name": group.criterion, "label": group.heading_pl,
                     "appearance": "field-list"})
        rows.extend(
            {"type": f"select_one {SCALE_LIST}", "name": item.item_id, "label": item.text_pl,
             "appearance": "likert"}
            for item in group.items
        )
        rows.append({"type": "end_group", "name": group.criterion})
    return rows


def choice_rows(form: Questionnaire, catalog: Catalog) -> list[Row]:
    """The ``choices`` sheet: the scale with "nie dotyczy", and the areas."""
    instruments = catalog.instruments
    rows = [
        {"list_name": SCALE_LIST, "name": str(point), "label": label}
        for point, label in sorted(instruments.likert_labels.items())
    ]
    rows.append({"list_name": SCALE_LIST, "name": instruments.not_applicable.name,
                 "label": instruments.not_applicable.label_pl})
    if form.group is None:
        rows.extend({"list_name": AREA_LIST, "name": area, "label": AREA_NAMES[area]}
                    for area in AREA_IDS)
    return rows


def settings_row(form: Questionnaire, survey: list[Row], choices: list[Row]) -> Row:
    """The ``settings`` sheet: title, id and a version that changes with the content."""
    digest = hashlib.sha256(
        json.dumps([survey, choices], ensure_ascii=False, sort_keys=True).encode("utf-8")
    ).hexdigest()[:10]
    return {"form_title": form.title_pl, "form_id": f"wkus_{form.form_id}",
            "version": digest, "style": "pages"}


def _sheet(workbook: Workbook, title: str, columns: tuple[str, ...], rows: list[Row]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row.get(column, "") or None for column in columns])
    for index, column in enumerate(columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = 60 if column == "label" else 18
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def xlsform_bytes(form: Questionnaire, catalog: Catalog, setup: StudySetup) -> bytes:
    """The XLSForm workbook (``survey``, ``choices``, ``settings``) as bytes (no timestamps)."""
    from wkus_lib.files.stable import workbook_bytes

    survey = survey_rows(form, catalog, setup)
    choices = choice_rows(form, catalog)
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    _sheet(workbook, "survey", SURVEY_COLUMNS, survey)
    _sheet(workbook, "choices", CHOICE_COLUMNS, choices)
    _sheet(workbook, "settings", SETTINGS_COLUMNS, [settings_row(form, survey, choices)])
    workbook.properties.title = form.title_pl
    return workbook_bytes(protect_workbook(workbook))  # text stays text


def convert_xlsform(payload: bytes, label: str) -> str:
    """The XForm (XML) pyxform makes of an XLSForm; :class:`WkusError` if it refuses it."""
    try:
        result = convert(xlsform=payload, file_type=".xlsx", warnings=[])
    except PyXFormError as error:
        raise WkusError(f"Formularz XLSForm {label} jest niepoprawny według pyxform: {error}") \
            from error
    return str(result.xform)


def write_xlsform(form: Questionnaire, catalog: Catalog, path: Path, setup: StudySetup) -> Path:
    """Write the form to ``path`` after pyxform accepts it; return ``path``."""
    payload = xlsform_bytes(form, catalog, setup)
    convert_xlsform(payload, path.name)
    atomic_write_bytes(path, payload)
    return path
