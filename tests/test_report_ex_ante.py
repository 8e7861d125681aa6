"""The ex-ante report: hand-worked calculations, then the notebook end to end."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from report_checks import other_gminas_in, visible_text

from wkus_lib.batch.params import resolve_batch
from wkus_lib.batch.runner import run_batch
from wkus_lib.demo import DemoSummary
from wkus_lib.evaluation.ex_ante import (
    ChecklistRow,
    DecisionFacts,
    baseline_mean,
    contest_cost,
    decision_checklist,
    horizon_costs,
    needs_by_year,
)
from wkus_lib.report.ex_ante import worded_checklist
from wkus_lib.store import read_store
from wkus_lib.text.numbers import format_number

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TERYT, AREA, YEAR, HORIZON = "2002063", "sport", 2025, 4  # Łapy, annual grants through 2025


# ------------------------------------------------------------ horizon cost comparison


def test_horizon_costs_hand_worked() -> None:
    # 4 years, 100 clients a year, grant unit cost 1 000 zł, in-house 1 200 zł, contest 5 000 zł:
    # in-house:       4 × 100 × 1 200           = 480 000, no contest
    # annual grants:  4 × 100 × 1 000 = 400 000 + 4 contests × 5 000 = 20 000 → 420 000
    # multi-year:     the same 400 000          + 1 contest × 5 000          → 405 000
    # saving of the contract against annual grants = (4 − 1) × 5 000 = 15 000.
    table = horizon_costs(horizon=4, clients=100, grant_unit_cost=1000.0,
                          in_house_unit_cost=1200.0, contest_cost=5000.0).set_index("option")
    assert table["contests"].tolist() == [0, 4, 1]
    assert table["service_cost"].tolist() == [480_000.0, 400_000.0, 400_000.0]
    assert table["procedure_cost"].tolist() == [0.0, 20_000.0, 5_000.0]
    assert table["total"].tolist() == [480_000.0, 420_000.0, 405_000.0]
    assert table["per_year"].tolist() == [120_000.0, 105_000.0, 101_250.0]
    assert table["vs_multi_year"].tolist() == [75_000.0, 15_000.0, 0.0]


def test_one_year_horizon_makes_grants_and_contract_cost_the_same() -> None:
    # One year: one contest either way, so annual grants and the contract cost the same.
    table = horizon_costs(horizon=1, clients=10, grant_unit_cost=100.0,
                          in_house_unit_cost=None, contest_cost=50.0).set_index("option")
    assert table.loc["annual_grants", "total"] == table.loc["multi_year", "total"] == 1050.0


def test_without_in_house_estimate_only_that_option_is_missing() -> None:
    table = horizon_costs(horizon=3, clients=10, grant_unit_cost=100.0,
                          in_house_unit_cost=None, contest_cost=50.0).set_index("option")
    assert math.isnan(table.loc["in_house", "total"])
    assert table.loc["multi_year", "total"] == 3 * 10 * 100.0 + 50.0


def test_horizon_below_one_year_is_refused() -> None:
    with pytest.raises(ValueError, match="co najmniej 1 rok"):
        horizon_costs(horizon=0, clients=1, grant_unit_cost=1.0, in_house_unit_cost=1.0,
                      contest_cost=1.0)


def test_contest_cost_is_staff_time_plus_other_costs() -> None:
    # 62 h × 45,50 zł + 1 000 zł = 2 821 + 1 000 = 3 821 zł
    assert contest_cost(62, 45.5, 1000.0) == pytest.approx(3821.0)


def test_baseline_is_the_mean_of_the_latest_years_with_a_value() -> None:
    series = pd.DataFrame({"year": [2019, 2020, 2021, 2022, 2023],
                           "value": [100.0, 200.0, 300.0, np.nan, 600.0]})
    # Latest three years with a value among 2019–2023: 2020, 2021, 2023 → (200 + 300 + 600) / 3
    assert baseline_mean(series, range(2019, 2024)) == (pytest.approx(366.6667, rel=1e-6),
                                                        (2020, 2021, 2023))
    # Only the years asked for count (2023 is a contract year here).
    assert baseline_mean(series, [2019, 2020], last=3) == (150.0, (2019, 2020))
    value, years = baseline_mean(series, [2022])
    assert math.isnan(value) and years == ()


def test_needs_coverage_uses_the_latest_diagnosis_made_by_that_year() -> None:
    needs = pd.DataFrame({"year": [2021, 2023], "people_in_need": [200, 400]})
    served = pd.DataFrame({"year": [2020, 2021, 2022, 2023], "clients_served": [50, 100, 150, 100]})
    table = needs_by_year(needs, served)
    # 2020: no diagnosis yet; 2021–2022: the 2021 diagnosis (200); 2023: the new one (400).
    assert table["diagnosis_year"].tolist()[1:] == [2021, 2021, 2023]
    assert math.isnan(table["coverage"].iloc[0])
    assert table["coverage"].tolist()[1:] == [50.0, 75.0, 25.0]


# ------------------------------------------------------------ the decision checklist


def _facts(**changes: object) -> DecisionFacts:
    base = DecisionFacts(
        year=2025, horizon=4, multi_year_programme=True, annual_programme=True,
        contests_published=True, standard_requirements_assessed=8, catalogue_requirements=8,
        client_survey_years=3, results_years=5, per_year_amount=100_000.0,
        proposed_indicators=20,
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _states(facts: DecisionFacts) -> list[str]:
    return [row.state for row in decision_checklist(facts)]


def test_checklist_marks_what_the_data_show() -> None:
    # contest, term, amounts, standard, indicators, monitoring, programme
    assert _states(_facts()) == ["yes", "yes", "check", "yes", "check", "yes", "yes"]
    unmet = _facts(multi_year_programme=False, standard_requirements_assessed=0,
                   client_survey_years=0, contests_published=None)
    assert _states(unmet) == ["check", "yes", "check", "no", "check", "no", "no"]
    worded = worded_checklist(decision_checklist(unmet), unmet)
    assert [row.state for row in worded] == _states(unmet)
    assert all(row.gap for row in worded if row.state == "no")
    assert not any(row.gap for row in worded if row.state != "no")


def test_checklist_rows_are_records_worded_by_the_report() -> None:
    facts = _facts(horizon=2, per_year_amount=None)
    rows = decision_checklist(facts)
    assert rows[:3] == [ChecklistRow("contest", "yes"), ChecklistRow("term", "no"),
                        ChecklistRow("amounts", "check")]
    worded = worded_checklist(rows, facts)
    assert "2 — krócej niż zalecane" in worded[1].evidence
    assert worded[2].evidence.startswith("Brak danych do szacunku")
    amount = worded_checklist(rows, _facts(per_year_amount=100_000.0))[2].evidence
    assert format_number(100_000.0, 0, unit="zł") in amount


def test_checklist_term_follows_the_horizon() -> None:
    assert _states(_facts(horizon=2))[1] == "no"
    assert _states(_facts(horizon=3))[1] == "yes"
    assert _states(_facts(horizon=6))[1] == "check"  # longer than the commonly cited 5 years


def test_checklist_programme_unknown_is_left_to_the_evaluator() -> None:
    rows = decision_checklist(_facts(multi_year_programme=None))
    assert rows[-1].state == "check"


# ------------------------------------------------------------ the notebook


@pytest.fixture(scope="module")
def reports(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The Łapy sport report in Polish and in English, built by the runner in parallel."""
    out = tmp_path_factory.mktemp("reports")
    specs = [*resolve_batch(TERYT, "ex_ante", AREA, year=YEAR, store_dir=demo.store_dir),
             *resolve_batch(TERYT, "ex_ante", AREA, year=YEAR, store_dir=demo.store_dir,
                            lang="en")]
    result = run_batch(specs, out_dir=out, notebooks_dir=NOTEBOOKS, jobs=2,
                       formats=("html",), quiet=True)
    assert result.exit_code == 0, result.summary()
    return {spec.params.lang: (out / f"{spec.output_stem}.html").read_text(
        encoding="utf-8") for spec in specs}



# GUS services price index (previous year = 100) → factor to 2024 prices. The packaged index
# ends in 2024, so a 2025 report is in 2024 prices and averages the grant years 2022–2024.
TO_2024_PRICES = {2022: 1.112 * 1.066, 2023: 1.066, 2024: 1.0}


def _multi_year_total_from_store(store_dir: Path) -> float:
    """The contract option over 4 years in 2024 prices, recomputed here from the raw tables."""
    store = read_store(store_dir)
    contracts = store.contracts
    ids = contracts[(contracts["teryt"] == TERYT) & (contracts["area"] == AREA)]["contract_id"]
    finance = store.finance[store.finance["contract_id"].isin(ids)]
    served = store.beneficiaries[store.beneficiaries["contract_id"].isin(ids)]
    cost = finance.groupby("year")["actual"].sum()
    clients = served.groupby("year")["clients_served"].sum()
    unit_cost = sum(float(cost.loc[y] / clients.loc[y]) * factor
                    for y, factor in TO_2024_PRICES.items()) / len(TO_2024_PRICES)
    contest = store.procedure_costs
    contest = contest[(contest["teryt"] == TERYT) & (contest["year"] == 2024)].iloc[0]
    one_contest = (contest["contest_staff_hours"] * contest["hourly_rate"]
                   + contest["other_costs"])
    return HORIZON * float(clients.loc[YEAR]) * unit_cost + float(one_contest)


@pytest.mark.slow
def test_contract_cost_computed_from_the_store_appears_in_polish_format(
    reports: dict[str, str], demo: DemoSummary
) -> None:
    expected = format_number(_multi_year_total_from_store(demo.store_dir), 0, unit="zł")
    assert expected in reports["pl"]


@pytest.mark.slow
def test_report_has_banner_sections_and_no_code(reports: dict[str, str]) -> None:
    text = visible_text(reports["pl"])
    assert "DANE SYNTETYCZNE" in text
    for heading in ("Podsumowanie", "Diagnoza potrzeb", "Koszt usługi w horyzoncie 4 lat",
                    "Warunki decyzji o kontrakcie wieloletnim", "Aneks metodologiczny"):
        assert heading in text, heading
    summary = re.search(r"<h2[^>]*>\s*Podsumowanie", reports["pl"])
    appendix = re.search(r"<h2[^>]*>\s*Aneks metodologiczny", reports["pl"])
    assert summary and appendix and summary.start() < appendix.start()
    assert "☐ spełniony" in text
    assert "open_report" not in reports["pl"] and "store_dir" not in text


@pytest.mark.slow
def test_report_names_no_other_gmina(reports: dict[str, str], demo: DemoSummary) -> None:
    assert not other_gminas_in(reports["pl"], TERYT, read_store(demo.store_dir).contracts)


@pytest.mark.slow
def test_english_report_is_in_english(reports: dict[str, str]) -> None:
    text = visible_text(reports["en"])
    for phrase in ("Summary", "Needs diagnosis", "Cost of the service over 4 years",
                   "Decision checklist", "Proposed indicators and targets of the contract"):
        assert phrase in text, phrase
    for polish in ("Podsumowanie", "Diagnoza potrzeb", "Lista kontrolna decyzji", "dotacje roczne"):
        assert polish not in text, polish


def test_committed_ex_ante_notebook_documents_its_parameters() -> None:
    import papermill as pm

    params = pm.inspect_notebook(str(NOTEBOOKS / "ex_ante.ipynb"))
    assert params["teryt"]["inferred_type_name"] == "str"
    assert params["horizon"]["inferred_type_name"] == "int"
    assert params["horizon"]["default"] == "4"
    assert {"area", "stage", "year", "store_dir", "lang"} <= set(params)
    assert all(p["help"] for p in params.values())
