"""The on-going report: hand-worked calculations, every warning rule, then the notebook."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from report_checks import other_gminas_in, visible_text

from wkus_lib.batch.params import resolve_batch
from wkus_lib.batch.runner import run_batch
from wkus_lib.catalog import Catalog, load_catalog
from wkus_lib.demo import DemoSummary
from wkus_lib.evaluation.on_going import (
    Reading,
    ResultShare,
    WarningCheck,
    WarningLimits,
    budget_execution,
    cumulative_results,
    early_warnings,
)
from wkus_lib.report.on_going import worded_warning
from wkus_lib.store import read_store
from wkus_lib.text.numbers import format_number

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TERYT, AREA, YEAR = "2002063", "kultura", 2024  # Łapy, contract 2022–2025, its third year
CONTRACT = "2002063/kultura/2022"


# ------------------------------------------------------------ cumulative results


def _results() -> pd.DataFrame:
    """A contract 2022–2025 with two results; evaluated in 2024."""
    rows = [
        # R1: targets 100, 100, 120, 120; achieved 90, 100, 60 (2025 not yet reported)
        ("R1", 2022, 100.0, 90.0), ("R1", 2023, 100.0, 100.0), ("R1", 2024, 120.0, 60.0),
        ("R1", 2025, 120.0, 500.0),  # a later year's achieved value must be ignored
        # R2: target 10 a year; 2023 not reported
        ("R2", 2022, 10.0, 10.0), ("R2", 2023, 10.0, np.nan), ("R2", 2024, 10.0, 10.0),
        ("R2", 2025, 10.0, np.nan),
    ]
    frame = pd.DataFrame(rows, columns=["result_id", "year", "target", "achieved"])
    return frame.assign(contract_id="c", name=frame["result_id"], unit="osoby",
                        start_year=2022, end_year=2025)


def test_cumulative_results_hand_worked() -> None:
    table = cumulative_results(_results(), year=2024).set_index("result_id")
    r1, r2 = table.loc["R1"], table.loc["R2"]
    # R1: target to date 100 + 100 + 120 = 320, achieved 90 + 100 + 60 = 250 → 78,125 %.
    assert (r1["target_to_date"], r1["achieved_to_date"]) == (320.0, 250.0)
    assert r1["pct_to_date"] == pytest.approx(78.125)
    # Whole contract: mean yearly target 110 × 4 years = 440; 3 of 4 years reported, so the
    # time-proportional target is 440 × 3/4 = 330 and 250 / 330 = 75,76 % < 80 % → behind.
    assert r1["contract_target"] == 440.0
    assert r1["time_share"] == 0.75
    assert r1["pct_of_time_target"] == pytest.approx(250 / 330 * 100)
    assert r1["pct_of_contract"] == pytest.approx(250 / 440 * 100)
    assert bool(r1["behind"]) and r1["years_missing"] == 0
    # R2: 2023 unreported: sums over 2022 and 2024 only, 20 / 20 = 100 %; contract 40,
    # time share 2/4, time-proportional target 20 → 100 %, not behind; one year missing.
    assert (r2["target_to_date"], r2["achieved_to_date"], r2["pct_to_date"]) == (20.0, 20.0,
                                                                                 100.0)
    assert r2["time_share"] == 0.5 and r2["pct_of_time_target"] == 100.0
    assert not bool(r2["behind"]) and r2["years_missing"] == 1


def test_results_only_planned_for_later_years_are_left_out() -> None:
    frame = _results()
    later = frame[frame["result_id"] == "R2"].assign(result_id="R3", year=2025)
    table = cumulative_results(pd.concat([frame, later.iloc[:1]]), year=2024)
    assert table["result_id"].tolist() == ["R1", "R2"]


def test_unreported_result_is_not_behind_but_unknown() -> None:
    frame = _results().assign(achieved=np.nan)
    table = cumulative_results(frame, year=2024)
    assert table["pct_of_time_target"].isna().all()
    assert not table["behind"].any()


# ------------------------------------------------------------ budget execution


def test_budget_execution_hand_worked() -> None:
    lines = pd.DataFrame({
        "year": [2022, 2022, 2023, 2023, 2024],
        "planned": [100.0, 50.0, 200.0, 100.0, 999.0],
        "actual": [90.0, np.nan, 180.0, 120.0, 1.0],
    })
    table = budget_execution(lines, year=2023)
    # 2022: the line without an actual cost stays in the plan (0 spent): 90 / 150 = 60 %.
    # 2023: (180 + 120) / (200 + 100) = 100 %.  Cumulative: 390 / 450 = 86,67 %. 2024 ignored.
    assert table["year"].tolist() == [2022, 2023]
    assert table["execution"].tolist() == [60.0, 100.0]
    assert table["execution_cum"].tolist() == pytest.approx([60.0, 390 / 450 * 100])
    assert table["missing_lines"].tolist() == [1, 0]
    assert table["planned_all"].tolist() == [150.0, 300.0]


# ------------------------------------------------------------ early warnings


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _fine_results() -> pd.DataFrame:
    return pd.DataFrame({"result_id": ["R1"], "name": ["osoby"], "pct_of_time_target": [95.0],
                         "behind": [False]})


def _warnings(
    catalog: Catalog, *, budget: Reading | None = None, results: pd.DataFrame | None = None,
    **changes: Reading,
) -> dict[str, WarningCheck]:
    """All seven rules on healthy readings, with ``changes`` replacing some of them."""
    readings = {"Q1": Reading(80.0, n=10), "Q5": Reading(100.0), "Q6": Reading(95.0),
                "Q7": Reading(1.0), "TRI": Reading(5.0, n=10), **changes}
    checks = early_warnings(
        budget=Reading(100.0) if budget is None else budget,
        results=_fine_results() if results is None else results,
        readings=readings, catalog=catalog, limits=WarningLimits())
    return {check.rule_id: check for check in checks}


def _fired(checks: dict[str, WarningCheck]) -> set[str]:
    return {rule for rule, check in checks.items() if check.state == "fired"}


def test_no_warning_when_everything_is_fine(catalog: Catalog) -> None:
    checks = _warnings(catalog)
    assert sorted(checks) == ["O1", "O2", "O3", "O4", "O5", "O6", "O7"]
    assert _fired(checks) == set()


@pytest.mark.parametrize(("execution", "fires"), [
    (84.9, True), (85.0, False), (110.0, False), (110.1, True),
])
def test_budget_rule_o1(catalog: Catalog, execution: float, fires: bool) -> None:
    assert ("O1" in _fired(_warnings(catalog, budget=Reading(execution)))) is fires


def test_results_rule_o2_names_the_result_behind(catalog: Catalog) -> None:
    behind = pd.DataFrame({"result_id": ["R1", "R2"], "name": ["uczestnicy", "godziny"],
                           "pct_of_time_target": [79.9, 80.0], "behind": [True, False]})
    check = _warnings(catalog, results=behind)["O2"]
    assert check.state == "fired"
    assert check.behind == (ResultShare("R1", "uczestnicy", 79.9),)
    assert check.limits == (pytest.approx(80.0),) and check.reading.value == 79.9
    observed = worded_warning(check, catalog, threshold=5).observed
    assert "R1 uczestnicy" in observed and "R2" not in observed
    assert _warnings(catalog)["O2"].state == "ok"


@pytest.mark.parametrize(("rule", "indicator", "bad", "good"), [
    ("O3", "Q1", 59.9, 60.0),   # Q1 red below the catalogue's amber 60
    ("O4", "Q6", 69.9, 70.0),   # staff continuity red below 70 %
    ("O5", "Q7", 5.1, 5.0),     # complaints red above 5 per 100 clients (lower is better)
    ("O7", "Q5", 74.9, 75.0),   # standard compliance red below 75 %
])
def test_traffic_light_rules(
    catalog: Catalog, rule: str, indicator: str, bad: float, good: float
) -> None:
    assert _warnings(catalog, **{indicator: Reading(bad)})[rule].state == "fired"
    assert _warnings(catalog, **{indicator: Reading(good)})[rule].state == "ok"


def test_triangulation_rule_o6(catalog: Catalog) -> None:
    assert _warnings(catalog, TRI=Reading(15.1, n=8))["O6"].state == "fired"
    assert _warnings(catalog, TRI=Reading(15.0, n=8))["O6"].state == "ok"


def test_hidden_or_missing_values_never_fire(catalog: Catalog) -> None:
    checks = _warnings(catalog, Q1=Reading(None, suppressed=True), TRI=Reading(None),
                       budget=Reading(None), results=_fine_results().iloc[:0])
    assert {checks[r].state for r in ("O1", "O2", "O3", "O6")} == {"no_data"}
    assert checks["O3"].reading == Reading(None, suppressed=True)
    assert "mniej niż 5 odpowiedzi" in worded_warning(checks["O3"], catalog, threshold=5).observed
    assert worded_warning(checks["O1"], catalog, threshold=5).observed == "brak danych"


def test_warnings_are_records_and_the_report_words_them(catalog: Catalog) -> None:
    checks = _warnings(catalog, budget=Reading(120.0), Q7=Reading(6.0))
    assert (checks["O1"].indicator, checks["O1"].limits) == ("E3", (85.0, 110.0))
    assert checks["O5"].limits == (catalog.indicator("Q7").thresholds.amber,)  # type: ignore[union-attr]
    budget = worded_warning(checks["O1"], catalog, threshold=5)
    assert budget.observed == format_number(120.0, 1, unit="%")
    assert budget.short == "E3 poza przedziałem 85–110 %"
    complaints = worded_warning(checks["O5"], catalog, threshold=5)
    assert complaints.rule.startswith("Q7 ") and " > " in complaints.rule
    assert (complaints.state, budget.state) == ("fired", "fired")


# ------------------------------------------------------------ the notebook


@pytest.fixture(scope="module")
def on_going_html(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("reports")
    specs = resolve_batch(TERYT, "on_going", AREA, year=YEAR, store_dir=demo.store_dir)
    result = run_batch(specs, out_dir=out, notebooks_dir=NOTEBOOKS, jobs=1,
                       formats=("html",), quiet=True)
    assert result.exit_code == 0, result.summary()
    return (out / f"{specs[0].output_stem}.html").read_text(encoding="utf-8")


def _heading_at(html: str, heading: str) -> int:
    """Where a section heading (h2) starts in the HTML."""
    found = re.search(r"<h2[^>]*>\s*" + re.escape(heading), html)
    assert found, heading
    return found.start()



@pytest.mark.slow
def test_cumulative_numbers_from_the_store_appear_in_polish_format(
    on_going_html: str, demo: DemoSummary
) -> None:
    store = read_store(demo.store_dir)
    results = store.results
    r1 = results[(results["contract_id"] == CONTRACT) & (results["result_id"] == "R1")
                 & results["year"].between(2022, YEAR)]
    assert format_number(r1["achieved"].sum(), 0) in on_going_html
    finance = store.finance
    lines = finance[(finance["contract_id"] == CONTRACT) & finance["year"].between(2022, YEAR)]
    execution = lines["actual"].sum() / lines["planned"].sum() * 100
    assert format_number(execution, 1, unit="%") in on_going_html


@pytest.mark.slow
def test_report_has_banner_sections_in_order(on_going_html: str) -> None:
    text = visible_text(on_going_html)
    assert "DANE SYNTETYCZNE" in text
    order = ["Podsumowanie", "Rezultaty narastająco", "Wykonanie budżetu", "Ankiety roku 2024",
             "Wczesne ostrzeżenia: reguły", "Jakość danych", "Aneks metodologiczny"]
    positions = [_heading_at(on_going_html, heading) for heading in order]
    assert positions == sorted(positions)
    assert "open_report" not in on_going_html and "store_dir" not in text


@pytest.mark.slow
def test_data_quality_section_shows_the_scorecard_of_its_own_area_and_year(
    on_going_html: str, demo: DemoSummary
) -> None:
    section = on_going_html[_heading_at(on_going_html, "Jakość danych"):
                            _heading_at(on_going_html, "Aneks metodologiczny")]
    text = visible_text(section)
    assert f"Karta jakości danych, {YEAR}" in text
    assert "Zasady kontroli jakości danych" in text
    store = read_store(demo.store_dir)
    clients = store.survey_responses
    clients = clients[(clients["teryt"] == TERYT) & (clients["area"] == AREA)
                      & (clients["year"] == YEAR) & (clients["instrument"] == "klient")]
    contracts = store.contracts[(store.contracts["teryt"] == TERYT)
                                & (store.contracts["area"] == AREA)]
    served = store.beneficiaries[store.beneficiaries["contract_id"].isin(
        contracts["contract_id"]) & (store.beneficiaries["year"] == YEAR)]["clients_served"].sum()
    rate = clients["respondent_id"].nunique() / served * 100
    assert format_number(rate, 1, unit="%") in section
    assert "Zwrot ankiet klientów" in text and "Wartość odstająca" in text


@pytest.mark.slow
def test_report_names_no_other_gmina(on_going_html: str, demo: DemoSummary) -> None:
    assert not other_gminas_in(on_going_html, TERYT, read_store(demo.store_dir).contracts)


def test_committed_on_going_notebook_documents_its_parameters() -> None:
    import papermill as pm

    params = pm.inspect_notebook(str(NOTEBOOKS / "on_going.ipynb"))
    assert params["teryt"]["inferred_type_name"] == "str"
    assert params["year"]["inferred_type_name"] == "int"
    assert {"area", "stage", "store_dir", "lang"} <= set(params)
    assert all(p["help"] for p in params.values())


def test_a_warning_rule_without_data_is_named_not_counted_as_quiet() -> None:
    from wkus_lib.report.on_going import WordedWarning, _quiet_warnings_text

    def check(rule_id: str, state: str) -> WordedWarning:
        return WordedWarning(rule_id, "reguła", "—", state, "reguła")  # type: ignore[arg-type]

    assert _quiet_warnings_text([check("O1", "ok"), check("O2", "ok")]) == (
        "Żadna z 2 reguł ostrzegawczych nie zadziałała.")
    assert _quiet_warnings_text([check("O1", "ok"), check("O2", "no_data"),
                                 check("O3", "no_data")]) == (
        "Żadna z reguł ostrzegawczych, które dało się sprawdzić, nie zadziałała; "
        "bez danych za ten rok: O2, O3.")
    assert _quiet_warnings_text([check("O1", "no_data")]) == (
        "Reguł ostrzegawczych nie dało się sprawdzić: brak danych za ten rok (O1).")
