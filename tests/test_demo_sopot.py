"""Sopot in the demo: the second pilot's care-services contract, end to end in the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wkus_lib.batch.selection import latest_year, supported_reports
from wkus_lib.catalog import load_catalog
from wkus_lib.cli import main
from wkus_lib.demo import (
    DEMO_POPULATION,
    DEMO_TERYT,
    SOPOT_TERYT,
    DemoSummary,
    demo_gminy,
    generate_tables,
    gmina_populations,
)
from wkus_lib.demo.interviews import CLIENT_SCENARIO, INTERVIEW_DIR, STAFF_SCENARIO
from wkus_lib.domain import PILOT_TERYT, load_gminy
from wkus_lib.evaluation.indicators import compute_indicators
from wkus_lib.instruments.interview import count_codes, read_coding_sheet
from wkus_lib.store import Store, read_store
from wkus_lib.text.plural import count_phrase

SEED = 2024
AREA = "pomoc_spoleczna"
CONTRACT = f"{SOPOT_TERYT}/{AREA}/2022"


@pytest.fixture(scope="module")
def store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


def _sopot(frame: pd.DataFrame) -> pd.DataFrame:
    """Sopot's rows of a gmina-level or contract-level table."""
    key = frame["teryt"] if "teryt" in frame else frame["contract_id"].str[:7]
    return frame[key == SOPOT_TERYT]


def test_sopot_is_the_tenth_demo_gmina_from_the_registry() -> None:
    assert DEMO_TERYT == (*PILOT_TERYT, SOPOT_TERYT)
    sopot = demo_gminy()[-1]
    assert (sopot.teryt, sopot.name, sopot.gmina_type, sopot.voivodeship) == (
        "2264011", "Sopot", "miejska", "pomorskie")
    assert set(DEMO_POPULATION) == set(DEMO_TERYT)
    assert 30_000 <= DEMO_POPULATION[SOPOT_TERYT] <= 36_000


def test_care_services_move_from_annual_grants_to_one_contract_with_a_foundation(
    store: Store,
) -> None:
    contracts = _sopot(store.contracts)
    care = contracts[contracts["area"] == AREA]
    multi = care[care["mode"] == "multi_year"]
    assert list(multi["contract_id"]) == [CONTRACT]
    contract = multi.iloc[0]
    assert (contract["start_year"], contract["end_year"]) == (2022, 2025)
    assert contract["ngo_name"].startswith("Fundacja ")
    assert "Usługi opiekuńcze" in contract["title"] and "w Sopocie" in contract["title"]
    annual = care[care["mode"] == "annual_grant"]
    assert sorted(annual["start_year"]) == [2019, 2020, 2021]
    assert (annual["end_year"] == annual["start_year"]).all()
    owners = store.contracts.loc[store.contracts["ngo_name"] == contract["ngo_name"], "teryt"]
    assert set(owners) == {SOPOT_TERYT}


def test_other_areas_stay_on_annual_grants(store: Store) -> None:
    others = _sopot(store.contracts).query("area != @AREA")
    assert others["area"].nunique() >= 3
    assert (others["mode"] == "annual_grant").all()
    years = others.groupby("area")["start_year"].apply(sorted)
    assert all(list(y) == list(range(2019, 2026)) for y in years)


def test_quality_tools_answered_every_survey_year(store: Store) -> None:
    survey = _sopot(store.survey_responses)
    care = survey[survey["area"] == AREA]
    sizes = care.groupby(["year", "instrument"])["respondent_id"].nunique().unstack()
    assert list(sizes.index) == [2021, 2022, 2023, 2024, 2025]
    assert (sizes["samoocena"] == 1).all()  # the provider's self-assessment
    assert sizes["personel"].between(3, 10).all()  # staff
    threshold = load_catalog().settings.suppression.threshold
    assert (sizes["klient"] >= 4 * threshold).all()  # clients: published, not suppressed
    served = store.beneficiaries.set_index(["contract_id", "year"])["clients_served"]
    for year, clients in sizes["klient"].items():
        contract = CONTRACT if year >= 2022 else f"{SOPOT_TERYT}/{AREA}/{year}"
        assert clients <= served[(contract, year)]
    checklist = store.standard_checklist
    checked = checklist[checklist["contract_id"] == CONTRACT]
    assert sorted(checked["year"].unique()) == [2022, 2023, 2024, 2025]
    assert (checked.groupby("year")["requirement_id"].nunique() == 8).all()
    needs = _sopot(store.needs)
    assert AREA in set(needs["area"])


def test_sopot_figures_fit_a_city_of_33000(store: Store) -> None:
    finance = _sopot(store.finance)
    cost = finance.groupby(["contract_id", "year"])["actual"].sum()
    people = store.beneficiaries.set_index(["contract_id", "year"]).loc[cost.index]
    care = cost.index.get_level_values("contract_id").str.contains(AREA)
    assert cost[care].between(1_000_000, 3_000_000).all()
    assert people.loc[care, "clients_served"].between(100, 200).all()
    assert people.loc[care, "service_hours"].between(25_000, 60_000).all()
    per_hour = cost[care] / people.loc[care, "service_hours"]
    assert per_hour.between(25, 60).all()
    per_inhabitant = cost.groupby(level="year").sum() / DEMO_POPULATION[SOPOT_TERYT]
    assert per_inhabitant.between(80, 300).all()


def test_report_selection_yields_sopot_ex_post_in_the_default_year(store: Store) -> None:
    year = latest_year(store.contracts)
    assert year == 2025
    units = supported_reports(store.contracts, year)
    assert ("ex_post", SOPOT_TERYT, AREA) in units
    assert ("on_going", SOPOT_TERYT, AREA) in units
    assert ("gmina_overview", SOPOT_TERYT, None) in units
    others = set(_sopot(store.contracts).query("area != @AREA")["area"])
    assert {("ex_ante", SOPOT_TERYT, a) for a in others} <= units


def test_ex_post_criteria_are_published_and_compared_with_annual_grants(store: Store) -> None:
    table = compute_indicators(store, teryt=[SOPOT_TERYT], areas=[AREA],
                               stages=["ex_post"], years=[2025])
    rows = table[table["area"] == AREA].set_index("indicator")
    for criterion in ("Q1", "Q2", "Q3", "Q4"):  # the four Sopot criteria, client view
        assert not rows.loc[criterion, "suppressed"], criterion
        assert rows.loc[criterion, "n"] >= 20 and np.isfinite(rows.loc[criterion, "value"])
    for indicator in ("Q5", "TRI", "E9", "E9R"):  # standard, self-assessment gap, vs annual
        assert np.isfinite(rows.loc[indicator, "value"]), indicator


def test_adding_sopot_leaves_the_pilot_gminy_unchanged() -> None:
    demo = generate_tables(SEED)
    pilots = [g for g in demo_gminy() if g.teryt != SOPOT_TERYT]
    alone = generate_tables(SEED, pilots, deliberate_problems=True)
    for name, frame in demo.items():
        key = frame["teryt"] if "teryt" in frame else frame["contract_id"].str[:7]
        pd.testing.assert_frame_equal(frame[key != SOPOT_TERYT].reset_index(drop=True),
                                      alone[name], obj=name)
        assert (key == SOPOT_TERYT).any(), name
    sopot_ids = set(_sopot(demo["survey_responses"])["respondent_id"])
    assert sopot_ids and not sopot_ids & set(alone["survey_responses"]["respondent_id"])
    assert not sopot_ids & set(alone["cooperation_survey"]["respondent_id"])


def test_no_deliberate_problem_in_sopot(demo: DemoSummary) -> None:
    problems = pd.read_csv(demo.store_dir / "problems.csv", dtype=str, encoding="utf-8")
    for record in problems.to_dict("records"):
        raw = pd.read_csv(demo.raw_dir / str(record["file"]), dtype=str, keep_default_na=False)
        row = raw.loc[int(record["row"]) - 2]
        owner = row["teryt"] if "teryt" in raw else row["contract_id"][:7]
        assert owner != SOPOT_TERYT


def test_populations_of_registry_gminy_without_a_figure() -> None:
    registry = load_gminy()
    chosen = [registry[code] for code in ("0201011", "0201022", "1465011", "2002063")]
    assert all(g.population is None for g in chosen)
    first = gmina_populations(chosen, seed=7)
    assert first[3] == DEMO_POPULATION["2002063"]
    assert ((first >= 1_500) & (first <= 200_000)).all() and (first % 10 == 0).all()
    np.testing.assert_array_equal(gmina_populations(chosen, seed=7), first)
    np.testing.assert_array_equal(gmina_populations(chosen[::-1], seed=7), first[::-1])
    assert not np.array_equal(gmina_populations(chosen, seed=8)[:3], first[:3])
    tables = generate_tables(7, chosen[:3], first_year=2021, last_year=2023)
    assert set(tables["contracts"]["teryt"]) == {g.teryt for g in chosen[:3]}


@pytest.mark.parametrize(("scenario", "interviews"), [(STAFF_SCENARIO, 1), (CLIENT_SCENARIO, 8)])
def test_coded_interviews_count_by_criterion(
    demo: DemoSummary, scenario: str, interviews: int, capsys: pytest.CaptureFixture[str],
) -> None:
    path = demo.raw_dir / INTERVIEW_DIR / f"2264011-sopot-{AREA}-2025-{scenario}.xlsx"
    coded = read_coding_sheet(path)
    assert coded["interview_id"].nunique() == interviews
    assert set(coded["teryt"]) == {SOPOT_TERYT} and set(coded["area"]) == {AREA}
    assert set(coded["year"]) == {"2025"}
    assert not coded.duplicated(["fragment"]).any()
    catalog = load_catalog()
    counts = count_codes(coded, catalog.instruments.interviews[scenario], catalog, file=path.name)
    per_criterion = counts.groupby("criterion")["fragments"].sum()
    assert set(per_criterion.index) == {"satysfakcja", "adekwatnosc", "skutecznosc",
                                        "podmiotowosc"}
    assert (per_criterion > 0).all()
    kinds = counts.groupby("kind")["fragments"].sum()
    assert kinds["mocna_strona"] > 0 and kinds["problem"] > 0 and kinds["rekomendacja"] > 0
    assert main(["count-codes", str(path), "--scenario", scenario]) == 0
    fragments = count_phrase(len(coded), "zakodowany fragment", "zakodowane fragmenty",
                             "zakodowanych fragmentów")
    assert fragments in capsys.readouterr().out
