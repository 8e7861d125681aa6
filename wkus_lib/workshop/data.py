"""The workshop's data: the synthetic demo store and one gmina's indicator table.

Every workshop notebook opens its data with :func:`open_workshop`: without a
``store_dir`` it writes the seeded demo data into a temporary folder (offline,
the same numbers on every machine), reads the store into memory and removes
the folder. Exercises use one pilot gmina (Ciechanowiec) whose social
assistance area went from annual grants (2019–2021) to a multi-year contract
(2022–2025).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from wkus_lib.catalog import Catalog, load_catalog
from wkus_lib.demo import write_demo
from wkus_lib.evaluation.indicators import IndicatorInputs, indicator_table
from wkus_lib.metrics import likert
from wkus_lib.store import Store, read_store

WORKSHOP_SEED: Final = 2024
WORKSHOP_TERYT: Final = "2013023"
"""Ciechanowiec, the leader of the Podlasie pilot."""
CONTRACT_AREA: Final = "pomoc_spoleczna"
"""Annual grants 2019–2021, a multi-year contract 2022–2025 in the demo data."""
EVALUATION_YEAR: Final = 2025
"""The contract's last year: the ex-post evaluation."""
CLIENT: Final = "klient"


@dataclass(frozen=True)
class WorkshopData:
    """One gmina's demo data for the exercises (never another gmina's rows)."""

    teryt: str
    store: Store
    catalog: Catalog
    inputs: IndicatorInputs
    indicators: pd.DataFrame
    """The gmina's tidy indicator table (``wkus indicators`` columns)."""

    def contracts(self, area: str) -> pd.DataFrame:
        """Contracts of one area, oldest first."""
        contracts = self.store.contracts
        chosen = contracts[contracts["area"] == area]
        return chosen.sort_values("start_year", kind="stable").reset_index(drop=True)

    def _of_area(self, table: pd.DataFrame, area: str, year: int | None) -> pd.DataFrame:
        ids = self.contracts(area)["contract_id"]
        rows = table[table["contract_id"].isin(ids)]
        if year is not None:
            rows = rows[rows["year"] == year]
        return rows.reset_index(drop=True)

    def finance(self, area: str, year: int | None = None) -> pd.DataFrame:
        """Cost lines (planned, actual) of the area's contracts, one year or all."""
        return self._of_area(self.store.finance, area, year)

    def beneficiaries(self, area: str, year: int | None = None) -> pd.DataFrame:
        """Clients served, service hours, complaints and staff of the area's contracts."""
        return self._of_area(self.store.beneficiaries, area, year)

    def results(self, area: str, year: int | None = None) -> pd.DataFrame:
        """Planned (``target``) and achieved results of the area's contracts."""
        return self._of_area(self.store.results, area, year)

    def survey(self, area: str, instrument: str = CLIENT, year: int | None = None) -> pd.DataFrame:
        """Long survey answers of one instrument in one area (one year or all)."""
        responses = self.store.survey_responses
        rows = responses[(responses["area"] == area) & (responses["instrument"] == instrument)]
        if year is not None:
            rows = rows[rows["year"] == year]
        return rows.reset_index(drop=True)

    def survey_items(self, instrument: str = CLIENT) -> pd.DataFrame:
        """The catalogue's items of one instrument (criterion, reverse-keyed or not)."""
        items = self.catalog.survey_items()
        return items[items["instrument"] == instrument].reset_index(drop=True)

    def indicator_rows(
        self, indicator: str, *, area: str | None = None, stage: str | None = None,
        year: int | None = None,
    ) -> pd.DataFrame:
        """Rows of the indicator table for one indicator (gmina-level rows: ``area`` None)."""
        table = self.indicators
        rows = table[table["indicator"] == indicator]
        rows = rows[rows["area"].isna()] if area is None else rows[rows["area"] == area]
        if stage is not None:
            rows = rows[rows["stage"] == stage]
        if year is not None:
            rows = rows[rows["year"] == year]
        return rows.reset_index(drop=True)

    def value(self, indicator: str, *, area: str | None, stage: str, year: int) -> float:
        """One value of the indicator table (NaN when missing or suppressed)."""
        rows = self.indicator_rows(indicator, area=area, stage=stage, year=year)
        return float(rows["value"].iloc[0]) if len(rows) else float("nan")

    def scorecard(self, area: str, stage: str, year: int) -> pd.DataFrame:
        """The area's indicators of one stage and year with names, as a report's scorecard."""
        table = self.indicators
        rows = table[(table["area"] == area) & (table["stage"] == stage) & (table["year"] == year)]
        names = self.catalog.indicator_table().set_index("indicator")["name_pl"]
        return rows.assign(name=names.reindex(rows["indicator"]).to_numpy()).reset_index(drop=True)


def first_respondent(responses: pd.DataFrame) -> str:
    """The respondent an exercise scores by hand: the first pseudonym in sort order."""
    return str(min(responses["respondent_id"].unique()))


def recoded_item_matrix(responses: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Respondents × items (answers, reverse-keyed items recoded ``6 − x``).

    A respondent is one ``year`` + ``respondent_id``; only ``items`` are kept.
    """
    chosen = responses[responses["item_id"].isin(items["item_id"])]
    wide = chosen.pivot_table(
        index=["year", "respondent_id"], columns="item_id", values="answer", aggfunc="first"
    ).astype(float)
    wide = wide.reindex(columns=list(items["item_id"]))
    reverse = items.set_index("item_id")["reverse"].reindex(wide.columns).to_numpy(dtype=bool)
    return pd.DataFrame(
        likert.reverse_code(wide.to_numpy(), reverse), index=wide.index, columns=wide.columns
    )


def open_workshop(
    store_dir: str | Path | None = None, *, seed: int = WORKSHOP_SEED, teryt: str = WORKSHOP_TERYT
) -> WorkshopData:
    """The workshop gmina's data: from ``store_dir``, or the seeded demo data when None."""
    if store_dir is None:
        with tempfile.TemporaryDirectory(prefix="wkus-warsztat-") as folder:
            root = Path(folder)
            write_demo(root / "raw", root / "store", seed=seed)
            store = read_store(root / "store")
    else:
        store = read_store(Path(store_dir))
    store = store.for_gmina(teryt)
    catalog = load_catalog()
    inputs = IndicatorInputs(store, catalog, catalog.settings.suppression.threshold)
    return WorkshopData(
        teryt=teryt, store=store, catalog=catalog, inputs=inputs,
        indicators=indicator_table(inputs),
    )
