"""The provider's self-assessment form: completeness check and saving through the importer."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from wkus_lib.catalog import load_catalog
from wkus_lib.instruments.forms import questionnaire
from wkus_lib.instruments.self_assessment import (
    SelfAssessmentForm,
    check_completeness,
    response_rows,
)
from wkus_lib.store import read_store

CATALOG = load_catalog()
FORM = questionnaire(CATALOG, "samoocena")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def form(tmp_path: Path) -> SelfAssessmentForm:
    return SelfAssessmentForm(tmp_path / "magazyn", key_file=tmp_path / "klucz.key")


def _fill(form: SelfAssessmentForm, answers: list[int | str]) -> None:
    form.teryt.value = "2002063"
    form.area.value = "pomoc_spoleczna"
    form.year.value = 2024
    form.provider.value = "Stowarzyszenie Pomocna Dłoń"
    for choice, answer in zip(form.items.values(), answers, strict=True):
        choice.value = answer


def test_form_offers_every_self_assessment_item_with_the_scale_and_not_applicable(
    form: SelfAssessmentForm,
) -> None:
    assert list(form.items) == [item.item_id for item in FORM.items]
    options = form.items["s_sat1"].options
    assert [value for _, value in options] == [1, 2, 3, 4, 5, "nd"]
    assert options[0][0] == CATALOG.instruments.likert_labels[1]
    assert options[-1][0] == "nie dotyczy"


def test_empty_form_lists_what_is_missing_and_cannot_be_saved(
    form: SelfAssessmentForm, tmp_path: Path,
) -> None:
    assert form.save_button.disabled
    assert "Odpowiedzi: 0 z 4" in form.status.value
    assert "kod TERYT gminy" in form.status.value
    assert "brak odpowiedzi na pytania nr 1, 2, 3, 4" in form.status.value
    assert form.save() is None
    assert "Nie zapisano" in form.result.value
    assert not (tmp_path / "magazyn").exists()


def test_completeness_updates_as_answers_are_chosen(form: SelfAssessmentForm) -> None:
    _fill(form, [4, "nd", 5, 3])
    assert not form.save_button.disabled
    assert "Formularz jest kompletny" in form.status.value
    form.items["s_sku1"].value = None
    assert form.save_button.disabled
    assert "brak odpowiedzi na pytania nr 3" in form.status.value


def test_saving_writes_pseudonymised_answers_through_the_importer(
    form: SelfAssessmentForm, tmp_path: Path,
) -> None:
    _fill(form, [4, "nd", 5, 3])
    report = form.save()
    assert report is not None
    assert report.problems.empty
    assert report.added == {"survey_responses": 4}
    assert "Zapisano samoocenę" in form.result.value
    stored = read_store(tmp_path / "magazyn").survey_responses
    assert set(stored["instrument"]) == {"samoocena"}
    assert "Stowarzyszenie Pomocna Dłoń" not in set(stored["respondent_id"])
    answers = dict(zip(stored["item_id"], stored["answer"], strict=True))
    assert answers["s_sat1"] == 4 and pd.isna(answers["s_ade1"]) and answers["s_pod1"] == 3
    assert json.loads((tmp_path / "magazyn" / "manifest.json").read_text())["tables"][
        "survey_responses"]["rows"] == 4


def test_saving_the_same_answers_again_adds_nothing(form: SelfAssessmentForm) -> None:
    _fill(form, [4, 4, 4, 4])
    form.save()
    report = form.save()
    assert report is not None and report.added == {"survey_responses": 0}
    assert "Nic nie dodano" in form.result.value


def test_changed_answers_of_a_saved_provider_are_refused(form: SelfAssessmentForm) -> None:
    _fill(form, [4, 4, 4, 4])
    form.save()
    form.items["s_sat1"].value = 1
    assert form.save() is None
    assert "jest już w magazynie z innymi odpowiedziami" in form.result.value


def test_saved_answers_feed_the_self_assessment_scores(
    form: SelfAssessmentForm, tmp_path: Path,
) -> None:
    from wkus_lib.metrics import quality
    from wkus_lib.store import read_store

    _fill(form, [5, 5, "nd", 1])
    form.save()
    items = CATALOG.survey_items()
    scores = quality.perspective_scores(
        read_store(tmp_path / "magazyn").survey_responses, items[items["instrument"] != "wspolpraca"],
        keys=("teryt", "area", "year"), min_answered=0.5, level=0.95,
    )
    by_criterion = scores.set_index("criterion")["value"]
    assert by_criterion["satysfakcja"] == 100.0
    assert by_criterion["podmiotowosc"] == 0.0


def test_rows_carry_the_unit_and_missing_for_not_applicable() -> None:
    rows = response_rows(FORM, teryt=" 2002063 ", area="sport", year=2023, provider="Fundacja",
                         answers={"s_sat1": 2, "s_ade1": "nd"})
    assert list(rows["item_id"]) == [item.item_id for item in FORM.items]
    assert set(rows["teryt"]) == {"2002063"}
    assert rows["answer"].iloc[0] == 2
    assert rows["answer"].isna().tolist() == [False, True, True, True]


def test_bad_context_values_are_named_in_polish() -> None:
    check = check_completeness(FORM, teryt="12345", area=None, year=1999, provider=" ",
                               answers={item.item_id: 3 for item in FORM.items})
    assert not check.complete
    assert check.unanswered == ()
    message = check.message()
    for fragment in ("kod TERYT gminy", "obszar usługi", "rok oceny (2000–2100)",
                     "nazwa realizatora"):
        assert fragment in message


@pytest.mark.slow
def test_notebook_runs_headless_and_shows_the_form(tmp_path: Path) -> None:
    import papermill

    notebook = ROOT / "notebooks" / "self_assessment.ipynb"
    out = tmp_path / "samoocena.ipynb"
    papermill.execute_notebook(
        str(notebook), str(out), kernel_name="python3", cwd=str(notebook.parent),
        parameters={"store_dir": str(tmp_path / "magazyn"), "teryt": "2002063"},
        progress_bar=False, log_output=False,
    )
    outputs = [output for cell in json.loads(out.read_text("utf-8"))["cells"]
               for output in cell.get("outputs", [])]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert not any(o.get("output_type") == "error" for o in outputs)
    assert not (tmp_path / "magazyn").exists()  # showing the form writes nothing


def test_notebook_is_thin_and_uses_the_form() -> None:
    notebook = json.loads((ROOT / "notebooks" / "self_assessment.ipynb").read_text("utf-8"))
    code = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert any("SelfAssessmentForm(" in source for source in code)
    assert sum(len(source.splitlines()) for source in code) <= 15
