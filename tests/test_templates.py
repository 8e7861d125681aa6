"""Entry templates: generated from the schemas, open in openpyxl, import back unchanged."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from wkus_lib.demo import DemoSummary
from wkus_lib.domain import load_gminy
from wkus_lib.intake.headers import HEADERS, TABLE_TITLES
from wkus_lib.intake.importer import import_files
from wkus_lib.intake.pseudonym import load_key, pseudonymise
from wkus_lib.intake.templates import (
    INSTRUCTION_SHEET,
    LISTS_SHEET,
    template_file_name,
    write_templates,
)
from wkus_lib.schemas import KEYS, TABLES
from wkus_lib.store import read_store


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    paths = write_templates(tmp_path_factory.mktemp("templates"))
    return dict(zip(TABLE_TITLES, paths, strict=True))


def _validations(sheet: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, str]:
    """Column letter → the list formula (or type) of its data validation."""
    found: dict[str, str] = {}
    for validation in sheet.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            letter = cell_range.coord.split(":")[0].rstrip("0123456789")
            found[letter] = validation.formula1 or validation.type or ""
    return found


def test_one_template_per_table_with_polish_headers_in_schema_order(
    templates: dict[str, Path],
) -> None:
    assert set(templates) == set(TABLES)
    for table, path in templates.items():
        assert path.name == template_file_name(table)
        workbook = openpyxl.load_workbook(path)
        data = workbook.worksheets[0]
        assert data.title == TABLE_TITLES[table]
        assert [c.value for c in data[1]] == list(HEADERS[table].values())
        assert data.freeze_panes == "A2"
        assert workbook[INSTRUCTION_SHEET].sheet_state == "visible"


def test_drop_down_lists_for_gmina_area_mode_and_likert(templates: dict[str, Path]) -> None:
    contracts = openpyxl.load_workbook(templates["contracts"])
    lists = _validations(contracts.worksheets[0])
    columns = list(HEADERS["contracts"])
    letter = {c: openpyxl.utils.get_column_letter(i + 1) for i, c in enumerate(columns)}
    assert "pomoc_spoleczna" in lists[letter["area"]]
    assert "multi_year" in lists[letter["mode"]] and "annual_grant" in lists[letter["mode"]]
    assert lists[letter["teryt"]].startswith(f"'{LISTS_SHEET}'!$A$2")
    hidden = contracts[LISTS_SHEET]
    assert hidden.sheet_state == "hidden"
    gminy = [hidden.cell(row=r, column=1).value for r in range(2, hidden.max_row + 1)]
    assert gminy == [f"{g.teryt} {g.name}" for g in load_gminy().values()]

    survey = openpyxl.load_workbook(templates["survey_responses"]).worksheets[0]
    answer_letter = openpyxl.utils.get_column_letter(list(HEADERS["survey_responses"]).index(
        "answer") + 1)
    assert _validations(survey)[answer_letter] == '"1,2,3,4,5,nie dotyczy"'


def test_number_formats_and_text_codes(templates: dict[str, Path]) -> None:
    finance = openpyxl.load_workbook(templates["finance"]).worksheets[0]
    columns = list(HEADERS["finance"])
    planned = openpyxl.utils.get_column_letter(columns.index("planned") + 1)
    contract = openpyxl.utils.get_column_letter(columns.index("contract_id") + 1)
    assert finance.column_dimensions[planned].number_format == "#,##0.00"
    assert finance.column_dimensions[contract].number_format == "@"


def test_instruction_sheet_explains_every_column_from_the_schema(
    templates: dict[str, Path],
) -> None:
    sheet = openpyxl.load_workbook(templates["finance"])[INSTRUCTION_SHEET]
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    schema = TABLES["finance"].to_schema()
    for column, header in HEADERS["finance"].items():
        assert rows[header][3] == schema.columns[column].description
        assert rows[header][4] == schema.columns[column].title
    assert "środki finansowe własne" in str(rows[HEADERS["finance"]["source"]][5])


def _filled(template: Path, frame: pd.DataFrame, table: str) -> bytes:
    """The template with the store's rows typed in as an evaluator would (numbers as numbers)."""
    workbook = openpyxl.load_workbook(template)
    sheet = workbook.worksheets[0]
    for values in frame[list(HEADERS[table])].itertuples(index=False):
        sheet.append([
            None if pd.isna(v) else ("tak" if v is True else "nie" if v is False else
                                     v.item() if hasattr(v, "item") else v)
            for v in values
        ])
    sink = io.BytesIO()
    workbook.save(sink)
    return sink.getvalue()


@pytest.mark.slow
def test_round_trip_templates_filled_from_demo_store_import_to_the_demo_store(
    templates: dict[str, Path], demo: DemoSummary, tmp_path: Path,
) -> None:
    """Generate templates → fill them from the demo store → import → the same store.

    Respondent ids: the importer never stores an identifier as given; it stores
    HMAC-SHA256(key, id). So the expected store is the demo store with every
    ``respondent_id`` replaced by ``pseudonymise(id, key)`` under the key used
    for the import. Comparing exactly (not "some pseudonym") checks that the
    mapping is deterministic and keeps distinct respondents distinct — the
    answers of one person stay linked, which the reliability and duplicate
    checks rely on. Everything else must be equal value for value.

    The demo plants a questionnaire entered twice (same natural key, for the
    data-quality check); the importer never stores a repeated key, so exactly
    those rows go to the quarantine and every other row comes back.
    """
    key_file = tmp_path / "klucz" / "pseudonym.key"
    demo_store = read_store(demo.store_dir)
    filled: list[Path] = []
    for table, frame in demo_store.tables().items():
        path = tmp_path / "wypelnione" / templates[table].name
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(_filled(templates[table], frame, table))
        filled.append(path)

    report = import_files(filled, tmp_path / "store", key_file=key_file)

    repeated = {table: frame.duplicated(list(KEYS[table]), keep=False)
                for table, frame in demo_store.tables().items()}
    planted = {table: int(rows.sum()) for table, rows in repeated.items() if rows.any()}
    assert report.exit_code == (1 if planted else 0), report.to_text()
    assert report.open_quarantine == planted
    key = load_key(key_file)
    imported = read_store(tmp_path / "store")
    for table, expected in demo_store.tables().items():
        expected = expected[~repeated[table]].reset_index(drop=True)
        if "respondent_id" in expected:
            expected = expected.assign(
                respondent_id=expected["respondent_id"].map(lambda rid: pseudonymise(rid, key))
            )
            # The store keeps rows sorted by all columns; new ids sort differently.
            expected = expected.sort_values(list(expected.columns), kind="stable")
            expected = expected.reset_index(drop=True)
        pd.testing.assert_frame_equal(imported.tables()[table], expected, obj=table)
