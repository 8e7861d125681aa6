"""The evaluation year per gmina and area and the last complete year of the NGO report."""

from __future__ import annotations

import dataclasses

import pandas as pd

from wkus_lib.demo import DemoSummary
from wkus_lib.evaluation.year import (
    TABLE_LABELS,
    EvaluationYear,
    contract_years,
    evaluation_year,
    evaluation_years,
)
from wkus_lib.report.context import late_report_note
from wkus_lib.schemas import TABLES
from wkus_lib.store import Store, empty_table, read_store

TERYT = "2003042"
AREA = "pomoc_spoleczna"


def _store(**tables: pd.DataFrame) -> Store:
    frames = {name: empty_table(name) for name in TABLES}
    frames.update({name: TABLES[name].validate(frame) for name, frame in tables.items()})
    return Store(**frames)


def _contract(cid: str, start: int, end: int, *, area: str = AREA,
              mode: str = "multi_year") -> dict[str, object]:
    return {"contract_id": cid, "teryt": TERYT, "area": area, "ngo_name": "Fundacja",
            "title": "Usługi", "mode": mode, "form": "wspieranie",
            "start_year": start, "end_year": end}


def _report(cid: str, years: range, skip: dict[str, set[int]] | None = None
            ) -> dict[str, pd.DataFrame]:
    skip = skip or {}
    finance = [{"contract_id": cid, "year": y, "category": "dzialania", "source": "dotacja",
                "planned": 1000.0, "actual": 900.0} for y in years
               if y not in skip.get("finance", set())]
    results = [{"contract_id": cid, "year": y, "result_id": "r1", "name": "osoby",
                "unit": "osoby", "target": 10.0, "achieved": 9.0} for y in years
               if y not in skip.get("results", set())]
    beneficiaries = [{"contract_id": cid, "year": y, "clients_served": 30,
                      "service_hours": 100.0, "complaints": 0, "staff_count": 3,
                      "staff_left": 0} for y in years
                     if y not in skip.get("beneficiaries", set())]
    return {"finance": pd.DataFrame(finance, columns=list(TABLES["finance"].to_schema().columns)),
            "results": pd.DataFrame(results, columns=list(TABLES["results"].to_schema().columns)),
            "beneficiaries": pd.DataFrame(
                beneficiaries, columns=list(TABLES["beneficiaries"].to_schema().columns))}


def test_complete_data_give_the_last_year_and_no_note() -> None:
    store = _store(contracts=pd.DataFrame([_contract("k1", 2022, 2025)]),
                   **_report("k1", range(2022, 2026)))
    result = evaluation_year(store, TERYT, AREA)
    assert result == EvaluationYear(year=2025, complete_year=2025, missing=())
    assert late_report_note(result) is None


def test_a_late_report_falls_back_to_the_last_complete_year_and_says_so() -> None:
    store = _store(contracts=pd.DataFrame([_contract("k1", 2022, 2025)]),
                   **_report("k1", range(2022, 2026),
                             skip={"results": {2025}, "beneficiaries": {2025, 2024}}))
    result = evaluation_year(store, TERYT, AREA)
    assert result.year == 2025
    assert result.complete_year == 2023
    assert result.missing == (TABLE_LABELS["results"], TABLE_LABELS["beneficiaries"])
    note = late_report_note(result)
    assert note is not None
    assert "2025 r." in note and "z roku 2023" in note and "rezultaty" in note
    assert "zaimportuj ponownie" in note


def test_one_contract_of_two_without_a_report_makes_the_year_incomplete() -> None:
    first, second = _report("k1", range(2024, 2026)), _report("k2", range(2024, 2026),
                                                              skip={"finance": {2025}})
    store = _store(
        contracts=pd.DataFrame([_contract("k1", 2024, 2025),
                                _contract("k2", 2024, 2025, mode="annual_grant")]),
        **{name: pd.concat([first[name], second[name]]) for name in first})
    result = evaluation_year(store, TERYT, AREA)
    assert (result.year, result.complete_year) == (2025, 2024)
    assert result.missing == (TABLE_LABELS["finance"],)


def test_contract_years_stop_at_the_data_horizon_and_up_to_moves_it() -> None:
    store = _store(contracts=pd.DataFrame([_contract("k1", 2022, 2027)]),
                   **_report("k1", range(2022, 2025)))
    assert evaluation_year(store, TERYT, AREA) == EvaluationYear(2024, 2024, ())
    asked = evaluation_year(store, TERYT, AREA, up_to=2026)
    assert (asked.year, asked.complete_year) == (2026, 2024)
    assert evaluation_year(store, TERYT, AREA, up_to=2023) == EvaluationYear(2023, 2023, ())


def test_years_with_only_surveys_or_needs_name_the_missing_contracts() -> None:
    needs = pd.DataFrame([{"teryt": TERYT, "area": AREA, "year": 2025, "people_in_need": 40,
                           "in_house_unit_cost": None}])
    store = _store(contracts=pd.DataFrame([_contract("k1", 2022, 2023, mode="annual_grant")]),
                   needs=needs, **_report("k1", range(2022, 2024)))
    result = evaluation_year(store, TERYT, AREA)
    assert (result.year, result.complete_year) == (2025, 2023)
    assert result.missing == (TABLE_LABELS["contracts"],)
    assert "Brak umów" in (late_report_note(result) or "")
    only_needs = evaluation_year(_store(needs=needs), TERYT, AREA)
    assert only_needs == EvaluationYear(2025, None, (TABLE_LABELS["contracts"],))
    assert "nie da się policzyć" in (late_report_note(only_needs) or "")


def test_an_area_without_any_data_has_no_year() -> None:
    result = evaluation_year(_store(), TERYT, AREA)
    assert result == EvaluationYear(None, None, ())
    assert late_report_note(result) is None
    assert evaluation_years(_store()).empty


def test_the_table_agrees_with_the_single_lookup(demo: DemoSummary) -> None:
    store = read_store(demo.store_dir)
    results = store.results
    late = store.contracts[store.contracts["teryt"] == TERYT]["contract_id"]
    store = dataclasses.replace(
        store, results=results[~(results["contract_id"].isin(late) & (results["year"] == 2025))])
    table = evaluation_years(store)
    assert not table.duplicated(["teryt", "area"]).any()
    for row in table.itertuples(index=False):
        single = evaluation_year(store, row.teryt, row.area)
        assert (single.year, single.complete_year, single.missing) == (
            row.year, row.complete_year, row.missing)
    late_rows = table[table["teryt"] == TERYT]
    assert (late_rows["complete_year"] < late_rows["year"]).all()
    others = table[table["teryt"] != TERYT]
    assert (others["complete_year"] == others["year"]).all()


def test_contract_years_expand_and_clip() -> None:
    frame = contract_years(pd.DataFrame([_contract("k1", 2022, 2027),
                                         _contract("k2", 2026, 2028)]), 2024)
    assert list(zip(frame["contract_id"], frame["year"], strict=True)) == [
        ("k1", 2022), ("k1", 2023), ("k1", 2024), ("k2", 2026)]


def test_the_note_follows_the_report_language() -> None:
    from wkus_lib.text.i18n import language

    late = EvaluationYear(2025, 2024, (TABLE_LABELS["results"], TABLE_LABELS["finance"]))
    with language("en"):
        note = late_report_note(late)
    assert note == ("The organisation's report for 2025 is missing (missing: results, "
                    "financial report (costs)) — baselines and budgets are computed from "
                    "2024, the last complete year. Add the report and import again.")
    assert (late_report_note(late) or "").startswith("Brak sprawozdania organizacji za 2025 r.")
