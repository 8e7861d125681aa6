"""Which reports the data support: a batch renders only those.

A batch request ("all gminy, all stages, all areas") names far more reports
than there are data for. The rules, for the evaluation year ``year``:

- ``ex_ante`` — an area the gmina funds in ``year`` with annual grants only:
  the candidate for a decision to contract for several years;
- ``on_going`` — an area with a multi-year contract running in ``year``;
- ``ex_post`` — an area whose multi-year contract ended in ``year``;
- ``gmina_overview`` — a gmina with any contract in ``year``;
- ``benchmark`` — an area with contracts in ``year`` in at least one gmina.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from wkus_lib.params import ReportSpec

Unit = tuple[str, str | None, str | None]
"""(report kind, teryt or None, area or None)."""


def latest_year(contracts: pd.DataFrame) -> int:
    """The last year any contract covers: the default evaluation year."""
    return int(contracts["end_year"].max())


def supported_reports(contracts: pd.DataFrame, year: int) -> set[Unit]:
    """Every (kind, teryt, area) the contracts support in ``year``."""
    active = contracts[(contracts["start_year"] <= year) & (contracts["end_year"] >= year)]
    multi = active[active["mode"] == "multi_year"]
    multi_areas = set(zip(multi["teryt"], multi["area"], strict=True))
    units: set[Unit] = set()
    for teryt, area in set(zip(active["teryt"], active["area"], strict=True)):
        if (teryt, area) in multi_areas:
            units.add(("on_going", teryt, area))
        else:
            units.add(("ex_ante", teryt, area))
        units.add(("gmina_overview", teryt, None))
        units.add(("benchmark", None, area))
    ended = multi[multi["end_year"] == year]
    units |= {("ex_post", t, a) for t, a in zip(ended["teryt"], ended["area"], strict=True)}
    return units


def keep_supported(specs: Iterable[ReportSpec], units: set[Unit]) -> list[ReportSpec]:
    """The specs whose (kind, teryt, area) the data support, in their order."""
    return [
        spec for spec in specs
        if (
            str(spec.parameters["stage"]),
            spec.parameters.get("teryt"),
            spec.parameters.get("area"),
        ) in units
    ]
