"""Which reports the data support: a batch renders only those.

A batch request ("all gminy, all stages, all areas") names far more reports
than there are data for. The rules, for the evaluation year ``year``:

- ``ex_ante`` — an area the gmina funds in ``year`` with annual grants only:
  the candidate for a decision to contract for several years;
- ``on_going`` — an area with a multi-year contract running in ``year``;
- ``ex_post`` — an area whose multi-year contract ended in ``year``;
- ``gmina_overview`` — a gmina with any contract in ``year``;
- ``benchmark`` — an area with contracts in ``year`` in at least one gmina.

The evaluation year. ``wkus report --year Y`` means what it says: every
report of the batch is for ``Y`` (:func:`supported_reports`). Without
``--year`` the year is chosen per gmina and area (:func:`default_plan`): the
last year a contract of that gmina-area is active, up to the data horizon
(the last year of any data in the store; a contract running beyond it does
not count its future years). So a gmina that stopped contracting in an area
in 2023 still gets that area's reports, for 2023, in a default batch whose
other reports are for 2025. A gmina's overview takes the last year of its
areas; the benchmark, comparing gminy, takes the last year any contract
covers up to the data horizon. A year whose NGO report has not arrived stays
the evaluation year (its contracts are active); the reports then read
baselines and findings from the last complete year and say so
(:mod:`wkus_lib.evaluation.year`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from wkus_lib.batch.params import ReportSpec, Unit
from wkus_lib.domain import BENCHMARK, EX_ANTE, EX_POST, GMINA_OVERVIEW, MULTI_YEAR, ON_GOING
from wkus_lib.evaluation.year import contract_years, data_horizon
from wkus_lib.store import Store


def latest_year(contracts: pd.DataFrame) -> int:
    """The last year any contract covers (its planned end, even beyond the data)."""
    return int(contracts["end_year"].max())


def supported_reports(contracts: pd.DataFrame, year: int) -> set[Unit]:
    """Every (kind, teryt, area) the contracts support in ``year``."""
    active = contracts[(contracts["start_year"] <= year) & (contracts["end_year"] >= year)]
    multi = active[active["mode"] == MULTI_YEAR]
    multi_areas = set(zip(multi["teryt"], multi["area"], strict=True))
    units: set[Unit] = set()
    for teryt, area in set(zip(active["teryt"], active["area"], strict=True)):
        if (teryt, area) in multi_areas:
            units.add((ON_GOING, teryt, area))
        else:
            units.add((EX_ANTE, teryt, area))
        units.add((GMINA_OVERVIEW, teryt, None))
        units.add((BENCHMARK, None, area))
    ended = multi[multi["end_year"] == year]
    units |= {(EX_POST, t, a) for t, a in zip(ended["teryt"], ended["area"], strict=True)}
    return units


def default_years(store: Store) -> pd.DataFrame:
    """Per gmina and area: ``year``, the last year a contract is active, up to the data
    horizon (columns ``teryt``, ``area``, ``year``)."""
    active = contract_years(store.contracts, data_horizon(store))
    return active.groupby(["teryt", "area"], as_index=False)["year"].max()


def default_plan(store: Store) -> dict[int, set[Unit]]:
    """The default batch: per evaluation year, the reports to build for that year.

    Each gmina-area's reports are for its own :func:`default_years` year, each
    gmina's overview for the last of its areas' years, each area's benchmark for the
    last of all these years.
    """
    if store.contracts.empty:
        return {}
    years = default_years(store)
    plan: dict[int, set[Unit]] = {}
    own = {(str(t), str(a)): int(y)
           for t, a, y in zip(years["teryt"], years["area"], years["year"], strict=True)}
    gmina_year = years.groupby("teryt")["year"].max()
    benchmark_year = int(years["year"].max())
    for year in sorted(set(own.values()) | {benchmark_year}):
        for unit in supported_reports(store.contracts, year):
            kind, teryt, area = unit
            if kind == BENCHMARK:
                chosen = benchmark_year
            elif kind == GMINA_OVERVIEW:
                chosen = int(gmina_year[teryt])
            else:
                chosen = own[(str(teryt), str(area))]
            if chosen == year:
                plan.setdefault(year, set()).add(unit)
    return plan


def keep_supported(specs: Iterable[ReportSpec], units: set[Unit]) -> list[ReportSpec]:
    """The specs whose (kind, teryt, area) the data support, in their order."""
    return [spec for spec in specs if spec.params.unit() in units]
