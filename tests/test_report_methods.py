"""The methods every annex states: values from the catalogue settings, never from the text."""

from __future__ import annotations

import pandas as pd
import pytest

from wkus_lib.catalog import Catalog, load_catalog
from wkus_lib.report.methods import agreeing_groups, agreeing_groups_text, method_notes
from wkus_lib.text.i18n import language


def _with_settings(catalog: Catalog, **changes: object) -> Catalog:
    settings = catalog.settings.model_copy(update=changes)
    return catalog.model_copy(update={"settings": settings})


def _text(frame: pd.DataFrame) -> str:
    return " ".join(frame.iloc[:, 1])


def test_notes_state_every_method_with_the_catalogues_values() -> None:
    catalog = load_catalog()
    text = _text(method_notes(catalog, 5))
    assert "przedziałem 95 %" in text and "t Studenta" in text and "obcięty do 0–100" in text
    assert "wszyscy respondenci odpowiedzieli tak samo, przedziału też nie podajemy" in text
    assert "mniej niż 50 % pytań skali" in text
    assert "odpowiedzieli na oba" in text and "Przy mniej niż 10 respondentach" in text
    assert "mniej niż 5 odpowiedzi" in text and "co najmniej 10 osób" in text


def test_other_settings_change_the_text() -> None:
    base = load_catalog()
    catalog = _with_settings(
        base,
        confidence_level=0.9,
        missing_answers=base.settings.missing_answers.model_copy(update={"min_answered": 0.75}),
        reliability=base.settings.reliability.model_copy(update={"min_respondents": 20}),
        suppression=base.settings.suppression.model_copy(update={"quotes_threshold": 6}),
    )
    text = _text(method_notes(catalog, 3))
    assert "przedziałem 90 %" in text and "mniej niż 75 % pytań" in text
    assert "Przy mniej niż 20 respondentach" in text
    assert "mniej niż 3 odpowiedzi" in text and "co najmniej 6 osób" in text


def test_english_notes() -> None:
    with language("en"):
        text = _text(method_notes(load_catalog(), 5))
    assert "Student's t" in text and "pairwise deletion" in text and "fewer than 5 answers" in text


def test_values_of_agreeing_answers_are_named() -> None:
    # Q1 2023: 6 respondents, value 75, no interval → all answers agreed; Q1 2022 has an
    # interval; Q2 2023 is suppressed; E1 is no survey scale; Q4 from one respondent.
    table = pd.DataFrame({
        "area": ["sport"] * 5,
        "indicator": ["Q1", "Q1", "Q2", "E1", "Q4"],
        "year": [2023, 2022, 2023, 2023, 2023],
        "value": [75.0, 70.0, None, 500.0, 50.0],
        "n": pd.array([6, 8, 3, None, 1], dtype="Int64"),
        "ci_low": [None, 60.0, None, None, None],
        "suppressed": [False, False, True, False, False],
    })
    groups = agreeing_groups(table, load_catalog())
    assert groups[["indicator", "year"]].to_numpy().tolist() == [["Q1", 2023]]
    assert agreeing_groups_text(groups) == (
        "Bez przedziału, bo wszyscy respondenci odpowiedzieli tak samo: Q1 2023 (n = 6).")
    assert agreeing_groups_text(groups.iloc[0:0]) is None


@pytest.mark.parametrize("policy", ["pairwise"])
def test_the_stated_deletion_policy_is_the_one_reports_use(policy: str) -> None:
    from wkus_lib.metrics.reliability import DEFAULT_NAN_POLICY, reliability_report

    assert DEFAULT_NAN_POLICY == policy
    assert reliability_report.__kwdefaults__["nan_policy"] == DEFAULT_NAN_POLICY
