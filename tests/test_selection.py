"""The default batch: each gmina-area at its own last contract year; --year Y is Y."""

from __future__ import annotations

import dataclasses

import pytest

from wkus_lib.batch.selection import default_plan, default_years, latest_year, supported_reports
from wkus_lib.demo import DemoSummary
from wkus_lib.store import Store, read_store

BOCKI = "2003042"


@pytest.fixture(scope="module")
def store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


def test_with_every_area_up_to_date_the_default_is_the_latest_year(store: Store) -> None:
    year = latest_year(store.contracts)
    assert default_plan(store) == {year: supported_reports(store.contracts, year)}


def test_an_area_that_stopped_contracting_keeps_its_reports_for_its_last_year(
    store: Store,
) -> None:
    contracts = store.contracts
    stopped = contracts[(contracts["teryt"] == BOCKI) & (contracts["mode"] == "annual_grant")
                        & (contracts["start_year"] >= 2024)]
    assert len(stopped), "the demo's Boćki has annual grants in 2024-2025"
    cut = dataclasses.replace(store, contracts=contracts.drop(index=stopped.index))
    plan = default_plan(cut)
    areas = set(stopped["area"])
    earlier = {(kind, teryt, area) for year, units in plan.items() if year < 2025
               for kind, teryt, area in units}
    assert earlier == {("ex_ante", BOCKI, area) for area in areas}
    assert all(year == 2023 for year, units in plan.items() if year < 2025 and units)
    latest = plan[2025]
    assert not any(teryt == BOCKI and area in areas for _kind, teryt, area in latest)
    assert ("gmina_overview", BOCKI, None) in latest  # its multi-year contracts run to 2025
    years = default_years(cut)
    chosen = years[(years["teryt"] == BOCKI) & years["area"].isin(areas)]
    assert set(chosen["year"]) == {2023}


def test_a_contract_beyond_the_data_does_not_move_the_year(store: Store) -> None:
    contracts = store.contracts.copy()
    first = contracts.index[(contracts["teryt"] == BOCKI) & (contracts["mode"] == "multi_year")
                            & (contracts["end_year"] == 2025)][0]
    contracts.loc[first, "end_year"] = 2028
    plan = default_plan(dataclasses.replace(store, contracts=contracts))
    area = contracts.loc[first, "area"]
    assert ("on_going", BOCKI, area) in plan[2025]
    assert set(plan) == {2025}, "no report is planned for the contract's future years"
