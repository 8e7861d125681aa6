"""Input schemas: documented in docs/DATA.md, strict about codes and scales."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from wkus_lib.schemas import TABLES
from wkus_lib.store import validate_table

DATA_DOC = Path(__file__).resolve().parents[1] / "docs" / "DATA.md"


def _doc_sections() -> dict[str, str]:
    text = DATA_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^## `([a-z_]+)`.*$", text, flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_data_doc_documents_every_table_and_column_and_nothing_else() -> None:
    sections = _doc_sections()
    assert set(sections) == set(TABLES)
    for name, model in TABLES.items():
        documented = set(re.findall(r"^\| `([a-z_]+)` \|", sections[name], flags=re.MULTILINE))
        assert documented == set(model.to_schema().columns), name


def _responses(**overrides: object) -> pd.DataFrame:
    row = {"teryt": "2013023", "area": "sport", "year": 2024, "instrument": "klient",
           "respondent_id": "R-1", "item_id": "k_sat1", "answer": 4}
    row.update(overrides)
    return pd.DataFrame([row])


@pytest.mark.parametrize("answer", [0, 6])
def test_likert_answer_outside_one_to_five_is_rejected_with_row_and_value(answer: int) -> None:
    frame = pd.concat([_responses(), _responses(answer=answer)], ignore_index=True)
    outcome = validate_table("survey_responses", frame, "ankieta.csv")
    assert len(outcome.valid) == 1
    problem = outcome.problems.iloc[0]
    assert (problem["file"], problem["row"], problem["column"]) == ("ankieta.csv", 3, "answer")
    assert problem["value"] == str(answer)


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"answer": 6}, "wartość za duża: najwięcej 5"),
        ({"answer": 0}, "wartość za mała: najmniej 1"),
        ({"area": "kosmos"}, "wartość spoza dozwolonej listy: "),
        ({"teryt": "201302"}, "niepoprawny format"),
    ],
)
def test_problems_read_as_polish_not_as_pandera_checks(
    overrides: dict[str, object], expected: str
) -> None:
    outcome = validate_table("survey_responses", _responses(**overrides), "a.csv")
    problem = str(outcome.problems.iloc[0]["problem"])
    assert problem.startswith(expected)
    assert not re.search(r"[a-z]+_[a-z_]+\(|str_matches|isin\(", problem), problem
    if "area" in overrides:
        assert "edukacja" in problem and "[" not in problem


def test_teryt_with_lost_leading_digit_is_rejected() -> None:
    outcome = validate_table("survey_responses", _responses(teryt="201302"), "a.csv")
    assert outcome.valid.empty
    assert outcome.problems.iloc[0]["column"] == "teryt"
    assert "format" in outcome.problems.iloc[0]["problem"]


def test_teryt_stays_a_string_after_validation() -> None:
    outcome = validate_table("survey_responses", _responses(), "a.csv")
    assert outcome.valid["teryt"].iloc[0] == "2013023"


def test_missing_answer_is_allowed() -> None:
    outcome = validate_table("survey_responses", _responses(answer=None), "a.csv")
    assert len(outcome.valid) == 1 and outcome.problems.empty


def test_contract_ending_before_it_starts_is_rejected() -> None:
    frame = pd.DataFrame([{
        "contract_id": "C1", "teryt": "2013023", "area": "sport", "ngo_name": "Klub",
        "title": "Zajęcia", "mode": "multi_year", "form": "wspieranie",
        "start_year": 2025, "end_year": 2022,
    }])
    outcome = validate_table("contracts", frame, "umowy.csv")
    assert outcome.valid.empty
    assert "zakończenia" in " ".join(outcome.problems["problem"])


def test_row_level_check_is_reported_once_naming_the_compared_columns() -> None:
    frame = pd.DataFrame([{
        "contract_id": "C1", "teryt": "2013023", "area": "sport", "ngo_name": "Klub",
        "title": "Zajęcia", "mode": "multi_year", "form": "wspieranie",
        "start_year": 2025, "end_year": 2022,
    }])
    problems = validate_table("contracts", frame, "umowy.csv").problems
    assert len(problems) == 1
    assert problems.iloc[0]["column"] == "start_year, end_year"
    assert problems.iloc[0]["value"] == "start_year=2025, end_year=2022"
