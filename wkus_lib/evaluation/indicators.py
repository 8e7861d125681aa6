"""One entry point: every catalogue indicator for every gmina × area × year × stage.

:func:`compute_indicators` turns a validated :class:`~wkus_lib.store.Store`
into one tidy table with the columns :data:`OUTPUT_COLUMNS`. Everything is
vectorised (group-bys over the whole store), so the whole country takes
seconds, not hours.

Which rows exist
----------------
A *unit* is a gmina × area × year with at least one contract (multi-year or
annual grant) active that year. Its stages:

- ``ex_ante`` — no multi-year contract runs in the area that year (the
  annual-grant regime: the diagnosis and the baseline for the decision to
  contract; areas that never switch stay ``ex_ante`` and are the comparison
  areas of E9);
- ``on_going`` — a multi-year contract runs in the area that year;
- ``ex_post`` — the last year of a multi-year contract (so that year is both
  ``on_going`` and ``ex_post``).

An indicator appears in a unit's row for each of the unit's stages listed in
the catalogue entry's ``stages``, with ``value`` NA when its inputs are
missing. The cooperation model (W1–W6, WC, WGAP) is gmina-level: its rows
have ``area`` NA and exist for each gmina × year × stage that any of the
gmina's units has. Values are computed from that year's data, except the
ex-post-only comparisons (E9, E9R, E10) and E8 in ``ex_post`` rows, which
cover the *evaluated contract*: the multi-year contract ending that year,
from its first year (with consecutive contracts, only the one that ends).
E8 sums its years; E9/E9R compare its years with the area's annual-grant
years before it, against comparison area-years of the same gmina, unit
costs in constant prices (design in :mod:`wkus_lib.metrics.efficiency`).
The optional E10 appears only where the user supplies SROI outcomes.

Columns
-------
``n`` is the number of respondents for survey indicators (Q1–Q4, TRI, W5,
W6, WGAP: the smaller group), of results for Q3R, of requirements for Q5,
Q5D, Q5K, of checklist items for W1–W4 and of cooperation areas for WC; NA
otherwise. ``ci_low``/``ci_high`` are 95 % intervals (the catalogue's level)
of survey indicators. A survey indicator from fewer than ``threshold``
respondents is suppressed (value and interval NA, ``suppressed`` true) with
:func:`wkus_lib.metrics.privacy.suppress_small_cells`; WC uses only the
published W5/W6. Only primary suppression applies: the table publishes no
totals of which its cells are parts. ``status`` is the traffic light of the
catalogue (``none`` without a value or thresholds). Rows are sorted by gmina
(TERYT), area (domain order, NA last), stage (ex_ante, on_going, ex_post),
year and indicator (catalogue order).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from wkus_lib.catalog import Catalog, IndicatorSpec, load_catalog
from wkus_lib.domain import (
    ANNUAL_GRANT,
    AREA_IDS,
    EX_ANTE,
    EX_POST,
    MULTI_YEAR,
    ON_GOING,
    STAGE_IDS,
)
from wkus_lib.errors import CatalogError, InputError, ParameterError
from wkus_lib.intake.sroi import read_outcomes_file
from wkus_lib.metrics import cooperation, efficiency, quality, sroi
from wkus_lib.metrics.privacy import suppress_small_cells
from wkus_lib.store import Store

OUTPUT_COLUMNS: Final = (
    "teryt", "area", "stage", "year", "indicator", "value", "n", "ci_low", "ci_high",
    "target", "status", "suppressed",
)
UNIT_KEYS: Final = ("teryt", "area", "year")
GMINA_KEYS: Final = ("teryt", "year")
VALUE_COLUMNS: Final = ("value", "n", "ci_low", "ci_high")
_ADMIN: Final = "administracyjne"
_SOURCE_COLUMNS: Final = {
    "dotacja": "grant", "srodki_wlasne": "own_funds", "swiadczenia_odbiorcow": "fees",
    "inne_publiczne": "other_public", "inne": "other",
}
Level = Literal["area", "gmina"]


@dataclass(frozen=True)
class IndicatorInputs:
    """The store prepared for indicator functions: filtered tables and shared intermediates.

    Intermediates (unit aggregates, survey scores) are computed once, on
    first use, and shared by the indicators that need them.
    """

    store: Store
    catalog: Catalog
    threshold: int
    sroi_outcomes: pd.DataFrame | None = None
    sroi_discount_rate: float | None = None

    @property
    def confidence_level(self) -> float:
        """Confidence level of intervals (catalogue setting)."""
        return self.catalog.settings.confidence_level

    @property
    def min_answered(self) -> float:
        """Missing-answer policy of survey scales (catalogue setting)."""
        return self.catalog.settings.missing_answers.min_answered

    @cached_property
    def contract_years(self) -> pd.DataFrame:
        """One row per contract and year it runs (contract columns plus ``year``)."""
        contracts = self.store.contracts
        start = contracts["start_year"].to_numpy(dtype="int64")
        length = np.clip(contracts["end_year"].to_numpy(dtype="int64") - start + 1, 0, None)
        row = np.repeat(np.arange(len(contracts)), length)
        offset = np.arange(len(row)) - np.repeat(np.cumsum(length) - length, length)
        columns = ["contract_id", "teryt", "area", "mode", "start_year", "end_year"]
        frame = contracts[columns].iloc[row].reset_index(drop=True)
        return frame.assign(year=start[row] + offset)

    @cached_property
    def units(self) -> pd.DataFrame:
        """Gmina × area × year with a contract: does a multi-year contract run / end then?"""
        cy = self.contract_years
        multi = cy["mode"].to_numpy() == MULTI_YEAR
        flags = cy[list(UNIT_KEYS)].assign(
            multi=multi, ends_multi=multi & (cy["year"].to_numpy() == cy["end_year"].to_numpy())
        )
        units = flags.groupby(list(UNIT_KEYS), sort=True)[["multi", "ends_multi"]].any()
        units = units.reset_index()
        return units.assign(mode=np.where(units["multi"], MULTI_YEAR, ANNUAL_GRANT))

    @cached_property
    def unit_stages(self) -> pd.DataFrame:
        """teryt, area, year, stage: every stage of every unit (see the module docstring)."""
        units = self.units
        keys = list(UNIT_KEYS)
        parts = [
            units.loc[~units["multi"], keys].assign(stage=EX_ANTE),
            units.loc[units["multi"], keys].assign(stage=ON_GOING),
            units.loc[units["ends_multi"], keys].assign(stage=EX_POST),
        ]
        return pd.concat(parts, ignore_index=True)

    @cached_property
    def gmina_stages(self) -> pd.DataFrame:
        """teryt, year, stage: the union of the stages of a gmina's units."""
        return (
            self.unit_stages[[*GMINA_KEYS, "stage"]].drop_duplicates().reset_index(drop=True)
        )

    def _with_unit(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Contract-level rows with the contract's teryt and area (unknown contracts dropped)."""
        lookup = self.store.contracts.drop_duplicates("contract_id").set_index("contract_id")
        position = lookup.index.get_indexer(pd.Index(frame["contract_id"]))
        known = position >= 0
        return frame[known].assign(
            teryt=lookup["teryt"].to_numpy()[position[known]],
            area=lookup["area"].to_numpy()[position[known]],
        )

    @cached_property
    def unit_report(self) -> pd.DataFrame:
        """Per unit: money, contributions, volume, complaints and staff (sums over contracts)."""
        keys = list(UNIT_KEYS)
        finance = self._with_unit(self.store.finance)
        actual = finance["actual"].to_numpy(dtype=float, na_value=np.nan)
        reported = ~np.isnan(actual)
        source = finance["source"].to_numpy()
        money = finance[keys].assign(
            total_actual=actual,
            admin_actual=np.where(finance["category"].to_numpy() == _ADMIN, actual, 0.0),
            planned_total=finance["planned"].to_numpy(dtype=float, na_value=np.nan),
            unreported_lines=(~reported).astype(float),
            **{name: np.where(source == code, actual, 0.0)
               for code, name in _SOURCE_COLUMNS.items()},
        ).groupby(keys, sort=True).sum(min_count=1)

        contributions = self._with_unit(self.store.contributions)
        kind = contributions["kind"].to_numpy()
        value = contributions["value"].to_numpy(dtype=float, na_value=np.nan)
        gifts = contributions[keys].assign(
            personal=np.where(kind == "osobowy", value, 0.0),
            in_kind=np.where(kind == "rzeczowy", value, 0.0),
        ).groupby(keys, sort=True).sum(min_count=1)

        counts = ["clients_served", "service_hours", "complaints", "staff_count", "staff_left"]
        beneficiaries = self._with_unit(self.store.beneficiaries)
        volume = beneficiaries[[*keys, *counts]].astype({c: float for c in counts}).groupby(
            keys, sort=True).sum(min_count=1)

        report = self.units[keys].set_index(keys).join([money, gifts, volume], how="left")
        return report.reset_index()

    @cached_property
    def unit_results(self) -> pd.DataFrame:
        """Per unit: Q3R (value, n) and the achieved units of the contracts' main results."""
        keys = list(UNIT_KEYS)
        results = self._with_unit(self.store.results)
        achievement = quality.mean_result_achievement(
            results, by=keys, cap=self.catalog.settings.result_display_cap
        )
        main = results.sort_values(["contract_id", "year", "result_id"], kind="stable")
        main = main.drop_duplicates(["contract_id", "year"], keep="first")
        main_units = main.groupby(keys, sort=True)["achieved"].sum(min_count=1).rename(
            "main_result_achieved").reset_index()
        return achievement.merge(main_units, on=keys, how="outer")

    @cached_property
    def survey_items(self) -> pd.DataFrame:
        """The catalogue's survey items (:meth:`Catalog.survey_items`)."""
        return self.catalog.survey_items()

    @cached_property
    def service_scores(self) -> pd.DataFrame:
        """Criterion scores of every service instrument per unit."""
        items = self.survey_items
        items = items[items["instrument"] != "wspolpraca"]
        return quality.perspective_scores(
            self.store.survey_responses, items, keys=UNIT_KEYS,
            min_answered=self.min_answered, level=self.confidence_level,
        )

    @cached_property
    def triangulation(self) -> pd.DataFrame:
        """TRI per unit: the largest self-assessment − client gap."""
        gaps = quality.triangulation_gaps(
            self.service_scores, keys=UNIT_KEYS,
            flag_threshold=self.catalog.settings.triangulation_flag_points,
        )
        return quality.largest_triangulation_gap(gaps, keys=UNIT_KEYS)

    @cached_property
    def standard(self) -> pd.DataFrame:
        """Q5, Q5D, Q5K per unit."""
        checklist = self._with_unit(self.store.standard_checklist)
        return quality.standard_compliance(checklist, by=UNIT_KEYS)

    @cached_property
    def cooperation_items(self) -> pd.DataFrame:
        """Survey items of the cooperation questionnaire."""
        items = self.survey_items
        return items[items["instrument"] == "wspolpraca"]

    @cached_property
    def checklist(self) -> pd.DataFrame:
        """W1–W4 per gmina × year."""
        return cooperation.checklist_scores(
            self.store.cooperation_checklist, self.catalog.checklist_items(), keys=GMINA_KEYS
        )

    @cached_property
    def ngo_scores(self) -> pd.DataFrame:
        """W5–W6 (and any other survey indicator of the cooperation items) per gmina × year."""
        return cooperation.survey_scores(
            self.store.cooperation_survey, self.cooperation_items, keys=GMINA_KEYS,
            min_answered=self.min_answered, level=self.confidence_level,
        )

    @cached_property
    def yearly_comparison_inputs(self) -> pd.DataFrame:
        """teryt, area, year, mode, unit_cost (E1), achievement (Q3R) for E9."""
        report = self.unit_report
        cost = efficiency.unit_cost(report["total_actual"], report["clients_served"])
        yearly = self.units[[*UNIT_KEYS, "mode"]].merge(
            report[list(UNIT_KEYS)].assign(unit_cost=cost), on=list(UNIT_KEYS), how="left"
        )
        achievement = self.unit_results[[*UNIT_KEYS, "value"]].rename(
            columns={"value": "achievement"})
        return yearly.merge(achievement, on=list(UNIT_KEYS), how="left")

    @cached_property
    def evaluated_contracts(self) -> pd.DataFrame:
        """teryt, area, end_year, start_year: the multi-year contracts ex-post rows evaluate.

        One row per area and year a multi-year contract ends; where several
        end together, the period starts with the earliest of them.
        """
        contracts = self.store.contracts
        multi = contracts[contracts["mode"] == MULTI_YEAR]
        return multi.groupby(["teryt", "area", "end_year"], sort=True)["start_year"].min(
        ).reset_index()

    @cached_property
    def comparison(self) -> pd.DataFrame:
        """E9/E9R for every evaluated contract, in constant prices (``multi_year_comparison_table``)."""
        return efficiency.multi_year_comparison_table(
            self.yearly_comparison_inputs, self.evaluated_contracts,
            price_index=self.catalog.price_index)


IndicatorFunction = Callable[[IndicatorInputs, IndicatorSpec], pd.DataFrame]


@dataclass(frozen=True)
class Implementation:
    """How one catalogue indicator is computed.

    ``compute`` returns the unit (or gmina-year) keys plus ``value``, ``n``,
    ``ci_low``, ``ci_high`` and, for stage-specific values, ``stage``.
    ``respondents`` marks values whose ``n`` counts survey respondents
    (small-cell suppression applies).
    """

    compute: IndicatorFunction
    level: Level = "area"
    respondents: bool = False


def _missing_counts(length: int) -> pd.Series:
    return pd.Series(pd.array([pd.NA] * length, dtype="Int64"))


def _unit_values(
    inputs: IndicatorInputs,
    value: pd.Series | npt.NDArray[np.float64],
    n: pd.Series | None = None,
    source: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Unit keys of ``source`` (the unit report by default) with a value and optional ``n``."""
    frame = inputs.unit_report if source is None else source
    counts = _missing_counts(len(frame)) if n is None else n
    return pd.DataFrame({
        **{key: frame[key].array for key in UNIT_KEYS},
        "value": np.asarray(value, dtype=float), "n": np.asarray(counts),
        "ci_low": np.full(len(frame), np.nan), "ci_high": np.full(len(frame), np.nan),
    })


def _client_scale(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    scores = inputs.service_scores
    client = scores["instrument"] == quality.CLIENT
    chosen = scores[client & (scores["criterion"] == spec.criterion)]
    return chosen[[*UNIT_KEYS, *VALUE_COLUMNS]]


def _needs_coverage(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    """Q2C against the latest needs diagnosis made in or before the year."""
    keys = list(UNIT_KEYS)
    needs = inputs.store.needs[[*keys, "people_in_need"]]
    needs = needs.sort_values(keys, kind="stable").drop_duplicates(keys, keep="last")
    report = pd.merge_asof(
        inputs.unit_report[[*keys, "clients_served"]].sort_values("year", kind="stable"),
        needs.sort_values("year", kind="stable"),
        on="year", by=["teryt", "area"], direction="backward",
    )
    return _unit_values(
        inputs, quality.needs_coverage(report["clients_served"], report["people_in_need"]),
        source=report,
    )


def _result_achievement(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    results = inputs.unit_results
    return _unit_values(inputs, results["value"], results["n"], source=results)


def _standard(column: str) -> IndicatorFunction:
    def compute(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
        standard = inputs.standard
        return _unit_values(inputs, standard[column], standard["n_requirements"], source=standard)

    return compute


def _staff_continuity(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    report = inputs.unit_report
    continuity = quality.staff_continuity(report["staff_left"], report["staff_count"])
    return _unit_values(inputs, continuity)


def _complaints(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    report = inputs.unit_report
    return _unit_values(
        inputs, quality.complaints_per_100(report["complaints"], report["clients_served"])
    )


def _triangulation(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    return inputs.triangulation[[*UNIT_KEYS, *VALUE_COLUMNS]]


def _unit_cost(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    report = inputs.unit_report
    cost = efficiency.unit_cost(report["total_actual"], report["clients_served"])
    return _unit_values(inputs, cost)


def _hour_cost(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    report = inputs.unit_report
    return _unit_values(
        inputs, efficiency.cost_per_service_hour(report["total_actual"], report["service_hours"])
    )


def _result_unit_cost(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    report = inputs.unit_report.merge(inputs.unit_results, on=list(UNIT_KEYS), how="left")
    return _unit_values(
        inputs,
        efficiency.cost_per_result_unit(report["total_actual"], report["main_result_achieved"]),
        source=report,
    )


def _budget_execution(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    """E3 against every planned line (unreported lines stay in the plan; see ``unreported_lines``)."""
    report = inputs.unit_report
    return _unit_values(
        inputs, efficiency.budget_execution(report["total_actual"], report["planned_total"])
    )


def _admin_share(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    report = inputs.unit_report
    return _unit_values(
        inputs, efficiency.admin_cost_share(report["admin_actual"], report["total_actual"])
    )


def _filled(report: pd.DataFrame, column: str) -> pd.Series:
    return report[column].fillna(0.0)


def _leverage(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    report = inputs.unit_report
    value = efficiency.leverage(
        report["grant"],
        own_funds=_filled(report, "own_funds"), fees=_filled(report, "fees"),
        other_public=_filled(report, "other_public"), other=_filled(report, "other"),
        personal=_filled(report, "personal"), in_kind=_filled(report, "in_kind"),
    )
    return _unit_values(inputs, value)


def _grant_share(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    report = inputs.unit_report
    total_value = report["total_actual"] + _filled(report, "personal") + _filled(report, "in_kind")
    return _unit_values(inputs, efficiency.grant_share(report["grant"], total_value))


def _volunteer_value(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    """E7: the personal contribution at its reported value (as in E5, E6 and SROI)."""
    return _unit_values(inputs, efficiency.volunteer_value(inputs.unit_report["personal"]))


def _transaction_cost_saved(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    """E8: yearly saving in on-going rows, the evaluated contract's saving in ex-post rows.

    A year without the gmina's contest cost has no value ("brak danych"),
    and so has the ex-post sum of a contract with such a year: never the
    mean of other years. The ex-post value covers the multi-year contracts
    ending that year, from their start (the same contract E9 evaluates).
    """
    costs = inputs.store.procedure_costs
    per_contest = costs[list(GMINA_KEYS)].assign(
        cost=efficiency.contest_cost(
            costs["contest_staff_hours"], costs["hourly_rate"], costs["other_costs"])
    ).groupby(list(GMINA_KEYS), sort=True)["cost"].mean().reset_index()
    cy = inputs.contract_years.merge(per_contest, on=list(GMINA_KEYS), how="left")
    cost = cy["cost"].to_numpy(dtype=float, na_value=np.nan)
    held = (cy["year"].to_numpy() == cy["start_year"].to_numpy()).astype(float)
    cy = cy.assign(saved=efficiency.transaction_cost_saved(1.0, held, cost))
    keys = list(UNIT_KEYS)
    yearly = _sum_or_missing(cy, keys)
    multi = cy[cy["mode"] == MULTI_YEAR]
    since_start = _sum_or_missing(multi, ["teryt", "area", "end_year"]).rename(
        columns={"end_year": "year"})
    parts = [yearly.assign(stage=ON_GOING), since_start.assign(stage=EX_POST)]
    frame = pd.concat(parts, ignore_index=True).rename(columns={"saved": "value"})
    return frame.assign(n=_missing_counts(len(frame)), ci_low=np.nan, ci_high=np.nan)


def _sum_or_missing(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum of ``saved`` per ``by``; NaN when any year in the group has no value."""
    groups = frame.groupby(by, sort=True)["saved"]
    total = groups.sum(min_count=1).where(groups.count() == groups.size())
    return total.reset_index()


def _comparison(column: str) -> IndicatorFunction:
    def compute(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
        table = inputs.comparison.rename(columns={"end_year": "year"})
        return _unit_values(inputs, table[column], source=table)

    return compute


def evaluated_contract_start(inputs: IndicatorInputs, teryt: str, area: str, year: int) -> int:
    """First year of the multi-year contract E10 evaluates: the one running in ``year``.

    With consecutive contracts it is the later one (the latest start among
    the multi-year contracts of the area running that year); ``year`` itself
    where no multi-year contract runs then.
    """
    contracts = inputs.store.contracts
    running = contracts[(contracts["teryt"] == teryt) & (contracts["area"] == area)
                        & (contracts["mode"] == MULTI_YEAR) & (contracts["start_year"] <= year)
                        & (contracts["end_year"] >= year)]
    return int(running["start_year"].max()) if len(running) else int(year)


def sroi_input_flows(inputs: IndicatorInputs, teryt: str, area: str, year: int) -> pd.Series:
    """E10's inputs per calendar year: actual cost + personal + in-kind contributions.

    Index: every year from the evaluated contract's first year
    (:func:`evaluated_contract_start`) to ``year``. A year without any
    reported actual cost is NaN (never taken as zero); contributions not
    reported count as none.
    """
    report = inputs.unit_report
    report = report[(report["teryt"] == teryt) & (report["area"] == area)]
    value = (report["total_actual"] + _filled(report, "personal")
             + _filled(report, "in_kind")).to_numpy(dtype=float, na_value=np.nan)
    by_year = pd.Series(value, index=report["year"].to_numpy(dtype="int64"), dtype=float)
    start = evaluated_contract_start(inputs, teryt, area, year)
    years = pd.Index(range(start, int(year) + 1), name="year")
    return by_year.groupby(level=0).sum(min_count=1).reindex(years)


@dataclass(frozen=True)
class SroiUnitResult:
    """E10 of one gmina × area × ex-post year with its sensitivity range."""

    teryt: str
    area: str
    year: int
    value: float
    sensitivity_low: float
    sensitivity_high: float


def sroi_discount_rate(inputs: IndicatorInputs) -> float:
    """The run's SROI discount rate: given with the inputs, else the catalogue's."""
    rate = inputs.sroi_discount_rate
    return inputs.catalog.settings.sroi.discount_rate if rate is None else rate


def sroi_results(inputs: IndicatorInputs) -> list[SroiUnitResult]:
    """E10 and its sensitivity range for every gmina × area × year of the user's outcomes.

    A year of the evaluated contract without reported costs leaves E10 NA
    (``wkus check`` and the report name the missing year).
    """
    outcomes = inputs.sroi_outcomes
    if outcomes is None or outcomes.empty:
        return []
    rate = sroi_discount_rate(inputs)
    rates = inputs.catalog.settings.sroi.sensitivity_discount_rates
    results = []
    for (teryt, area, year), group in outcomes.groupby(list(UNIT_KEYS), sort=True):
        teryt, area, year = str(teryt), str(area), int(year)
        flows = sroi_input_flows(inputs, teryt, area, year)
        first = int(flows.index[0])
        if flows.isna().any():
            value = low = high = float("nan")
        else:
            value = sroi.sroi(group, flows, discount_rate=rate, first_year=first).ratio
            low, high = sroi.sensitivity_range(sroi.sroi_sensitivity(
                group, flows, discount_rate=rate, first_year=first, discount_rates=rates))
        results.append(SroiUnitResult(teryt, area, year, value, low, high))
    return results


def sroi_outcomes_by_unit(
    outcomes: pd.DataFrame, contracts: pd.DataFrame, *, up_to: int | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """The user's outcomes with the gmina × area × ex-post year each belongs to.

    ``outcomes`` needs ``teryt`` and ``area``; its optional ``year`` is the
    ex-post year (the last year of the evaluated contract). Without it, the
    outcomes of a gmina and area belong to its multi-year contract that
    ended last (up to ``up_to``). Returns the outcomes with ``year`` and a
    Polish line per gmina and area whose rows fit no ended multi-year
    contract (those rows are left out). :class:`ValueError` without
    ``teryt``/``area``.
    """
    missing = [c for c in ("teryt", "area") if c not in outcomes.columns]
    if missing:
        raise ValueError(f"Brak kolumn {', '.join(missing)}: tabela wskaźników musi wiedzieć, "
                         "której gminy i obszaru dotyczy każdy efekt.")
    multi = contracts[contracts["mode"] == MULTI_YEAR]
    if up_to is not None:
        multi = multi[multi["end_year"] <= up_to]
    ends = multi.groupby(["teryt", "area"])["end_year"].agg(lambda years: set(map(int, years)))
    frame = outcomes.assign(teryt=outcomes["teryt"].astype(str), area=outcomes["area"].astype(str))
    given = (frame["year"] if "year" in frame.columns
             else pd.Series(np.nan, index=frame.index, dtype=float))
    years, notes = [], []
    for teryt, area, asked in zip(frame["teryt"], frame["area"], given, strict=True):
        ended = ends.get((teryt, area), set())
        year = (max(ended) if ended else None) if pd.isna(asked) else int(asked)
        years.append(year if year in ended else None)
        if year not in ended:
            notes.append(f"Plik SROI: gmina {teryt}, obszar {area}"
                         + ("" if pd.isna(asked) else f", rok {int(asked)}")
                         + ": brak umowy wieloletniej zakończonej w tym roku; efekty pominięte.")
    kept = frame.assign(year=pd.array(years, dtype="Int64"))
    kept = kept[kept["year"].notna()].astype({"year": "int64"})
    return kept.reset_index(drop=True), list(dict.fromkeys(notes))


def read_sroi_outcomes(
    path: str | Path, contracts: pd.DataFrame, *, up_to: int | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """The outcomes file of ``wkus indicators --sroi-file`` by unit (:func:`sroi_outcomes_by_unit`).

    Raises :class:`~wkus_lib.errors.InputError` naming the file for a bad file.
    """
    frame = read_outcomes_file(path)
    try:
        return sroi_outcomes_by_unit(frame, contracts, up_to=up_to)
    except ValueError as problem:
        raise InputError(str(problem).rstrip("."), file=str(path),
                         hint="Dodaj kolumny teryt (kod gminy) i area (obszar); "
                              "opcjonalnie year (ostatni rok umowy).") from None


SROI_RANGE_COLUMNS: Final = ("sroi_low", "sroi_high")


def with_sroi_ranges(
    table: pd.DataFrame,
    store: Store,
    outcomes: pd.DataFrame,
    *,
    catalog: Catalog | None = None,
    discount_rate: float | None = None,
) -> pd.DataFrame:
    """``table`` with :data:`SROI_RANGE_COLUMNS`: E10's lowest and highest sensitivity value.

    The range spans every row of :func:`wkus_lib.metrics.sroi.sroi_sensitivity`
    (deadweight, attribution, drop-off ± 0.1, the catalogue's sensitivity
    discount rates); NA on every other indicator's rows.
    """
    catalog = load_catalog() if catalog is None else catalog
    inputs = IndicatorInputs(
        store=_filter_store(store, frozenset(outcomes["teryt"].astype(str))), catalog=catalog,
        threshold=catalog.settings.suppression.threshold, sroi_outcomes=outcomes,
        sroi_discount_rate=discount_rate,
    )
    ranges = pd.DataFrame(
        [{"teryt": r.teryt, "area": r.area, "year": r.year, "indicator": "E10",
          "sroi_low": r.sensitivity_low, "sroi_high": r.sensitivity_high}
         for r in sroi_results(inputs)],
        columns=["teryt", "area", "year", "indicator", *SROI_RANGE_COLUMNS],
    ).astype({"year": "int64", "sroi_low": float, "sroi_high": float})
    keys = ["teryt", "area", "year", "indicator"]
    merged = table.drop(columns=[c for c in SROI_RANGE_COLUMNS if c in table.columns]).merge(
        ranges, on=keys, how="left")
    return merged


def _sroi(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    """E10 where the user gave outcomes (teryt, area, year + sroi.OUTCOME_COLUMNS)."""
    results = sroi_results(inputs)
    if not results:
        return pd.DataFrame(columns=[*UNIT_KEYS, *VALUE_COLUMNS])
    rows = [{"teryt": r.teryt, "area": r.area, "year": r.year, "value": r.value}
            for r in results]
    return pd.DataFrame(rows).assign(n=_missing_counts(len(rows)), ci_low=np.nan, ci_high=np.nan)


def _gmina_values(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        **{key: frame[key].array for key in GMINA_KEYS},
        "value": frame["value"].array, "n": frame["n"].array,
        **{bound: frame[bound].array if bound in frame.columns else np.full(len(frame), np.nan)
           for bound in ("ci_low", "ci_high")},
    })


def _checklist(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    scores = inputs.checklist
    return _gmina_values(scores[scores["indicator"] == spec.id])


def _ngo_scale(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    scores = inputs.ngo_scores
    return _gmina_values(scores[scores["indicator"] == spec.id])


def _cooperation_index(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    """WC from W1–W4 and the W5/W6 values that survive small-cell suppression."""
    survey = inputs.ngo_scores[[*GMINA_KEYS, "indicator", "value", "n"]].reset_index(drop=True)
    survey = survey.assign(ci_low=np.nan, ci_high=np.nan)
    is_survey = np.ones(len(survey), dtype=bool)
    published = _suppress(survey, is_survey, inputs.threshold)
    published = published[~published["suppressed"].to_numpy(dtype=bool)]
    components = pd.concat(
        [inputs.checklist[[*GMINA_KEYS, "indicator", "value"]],
         published[[*GMINA_KEYS, "indicator", "value"]]],
        ignore_index=True,
    )
    index = cooperation.composite_index(
        components, inputs.catalog.settings.cooperation_weights, keys=GMINA_KEYS
    )
    return _gmina_values(index)


def _perception_gap(inputs: IndicatorInputs, spec: IndicatorSpec) -> pd.DataFrame:
    gap = cooperation.perception_gap(
        inputs.store.cooperation_survey, inputs.cooperation_items, keys=GMINA_KEYS,
        min_answered=inputs.min_answered, level=inputs.confidence_level,
    )
    return _gmina_values(gap)


INDICATOR_FUNCTIONS: Final[Mapping[str, Implementation]] = {
    "Q1": Implementation(_client_scale, respondents=True),
    "Q2": Implementation(_client_scale, respondents=True),
    "Q2C": Implementation(_needs_coverage),
    "Q3": Implementation(_client_scale, respondents=True),
    "Q3R": Implementation(_result_achievement),
    "Q4": Implementation(_client_scale, respondents=True),
    "Q5": Implementation(_standard("not_refuted")),
    "Q5D": Implementation(_standard("self_declared")),
    "Q5K": Implementation(_standard("confirmed")),
    "Q6": Implementation(_staff_continuity),
    "Q7": Implementation(_complaints),
    "TRI": Implementation(_triangulation, respondents=True),
    "E1": Implementation(_unit_cost),
    "E1H": Implementation(_hour_cost),
    "E2": Implementation(_result_unit_cost),
    "E3": Implementation(_budget_execution),
    "E4": Implementation(_admin_share),
    "E5": Implementation(_leverage),
    "E6": Implementation(_grant_share),
    "E7": Implementation(_volunteer_value),
    "E8": Implementation(_transaction_cost_saved),
    "E9": Implementation(_comparison("unit_cost_effect_pct")),
    "E9R": Implementation(_comparison("achievement_effect")),
    "E10": Implementation(_sroi),
    "W1": Implementation(_checklist, level="gmina"),
    "W2": Implementation(_checklist, level="gmina"),
    "W3": Implementation(_checklist, level="gmina"),
    "W4": Implementation(_checklist, level="gmina"),
    "W5": Implementation(_ngo_scale, level="gmina", respondents=True),
    "W6": Implementation(_ngo_scale, level="gmina", respondents=True),
    "WC": Implementation(_cooperation_index, level="gmina"),
    "WGAP": Implementation(_perception_gap, level="gmina", respondents=True),
}
"""Implementation of each catalogue indicator by id (a test keeps the two in step)."""


# ----------------------------------------------------------------- assembly


def _filter_store(store: Store, teryt: Collection[str] | None) -> Store:
    """Only the chosen gminy (E9 compares areas within a gmina, so nothing it needs is lost)."""
    if teryt is None:
        return store
    contracts = store.contracts[store.contracts["teryt"].isin(teryt)]
    ids = contracts["contract_id"]
    tables: dict[str, pd.DataFrame] = {}
    for name, frame in store.tables().items():
        if name == "contracts":
            kept = contracts
        elif "contract_id" in frame.columns:
            kept = frame[frame["contract_id"].isin(ids)]
        else:
            kept = frame[frame["teryt"].isin(teryt)]
        tables[name] = kept.reset_index(drop=True)
    return Store(**tables, synthetic=store.synthetic, data_hash=store.data_hash)


def _check_choice(name: str, chosen: Collection[str] | None, allowed: Collection[str]) -> None:
    if chosen is None:
        return
    unknown = sorted(set(chosen) - set(allowed))
    if unknown:
        raise ParameterError(
            f"Nieznane wartości parametru „{name}”: {', '.join(unknown)} "
            f"(dozwolone: {', '.join(allowed)})."
        )


def _level_skeleton(inputs: IndicatorInputs, level: Level) -> tuple[list[str], pd.DataFrame]:
    """The keys and the stage rows (units or gminy × year × stage) of a level."""
    if level == "area":
        return list(UNIT_KEYS), inputs.unit_stages
    return list(GMINA_KEYS), inputs.gmina_stages


def _stage_rows(skeleton: pd.DataFrame, specs: Sequence[IndicatorSpec]) -> pd.DataFrame:
    """For each indicator in turn, the skeleton rows of its stages, with ``indicator``."""
    stage = skeleton["stage"].to_numpy()
    positions = [np.flatnonzero(np.isin(stage, list(spec.stages))) for spec in specs]
    rows = skeleton.take(np.concatenate(positions)).reset_index(drop=True)
    return rows.assign(indicator=_repeated([spec.id for spec in specs],
                                           [len(p) for p in positions]))


def _repeated(labels: Sequence[str], counts: Sequence[int]) -> pd.Series:
    """Each label ``counts`` times in turn: a text column taken from the few labels."""
    return pd.Series(pd.array(list(labels), dtype="str").take(
        np.repeat(np.arange(len(labels)), counts)))


def _stacked_values(
    keys: Sequence[str], specs: Sequence[IndicatorSpec], values: Sequence[pd.DataFrame]
) -> pd.DataFrame:
    """The values of several indicators one after another, with ``indicator``.

    ``n`` passes through float on its way to Int64: counts are far below 2**53.
    """
    def stacked(column: str, dtype: type) -> npt.NDArray[Any]:
        return np.concatenate([
            frame[column].to_numpy(dtype=dtype, na_value=np.nan) for frame in values
        ])

    return pd.DataFrame({
        **{key: pd.concat([frame[key] for frame in values], ignore_index=True)
           for key in keys},
        "indicator": _repeated([spec.id for spec in specs], [len(frame) for frame in values]),
        "value": stacked("value", float),
        "n": pd.array(stacked("n", float), dtype="Int64"),
        "ci_low": stacked("ci_low", float),
        "ci_high": stacked("ci_high", float),
    })


def _level_rows(
    inputs: IndicatorInputs, level: Level, specs: Sequence[IndicatorSpec]
) -> list[pd.DataFrame]:
    """The rows of a level's indicators: every stage row of the unit (gmina) with its values.

    Values per unit (gmina) and year are joined to the stage rows of all such
    indicators at once; values given per stage (``stage`` column) and optional
    indicators (rows only where there is a value) are joined one by one. The
    rows come grouped by join, not in table order: :func:`indicator_table`
    sorts them (each row has its own teryt, area, stage, year and indicator).
    """
    keys, skeleton = _level_skeleton(inputs, level)
    parts: list[pd.DataFrame] = []
    shared_specs: list[IndicatorSpec] = []
    shared_values: list[pd.DataFrame] = []
    for spec in specs:
        values = INDICATOR_FUNCTIONS[spec.id].compute(inputs, spec)
        if spec.optional or "stage" in values.columns:
            on = [*keys, "stage"] if "stage" in values.columns else keys
            values = values[[*on, *VALUE_COLUMNS]].astype(
                {"value": float, "ci_low": float, "ci_high": float, "n": "Int64"})
            rows = skeleton[skeleton["stage"].isin(spec.stages)].merge(
                values, on=on, how="inner" if spec.optional else "left")
            parts.append(rows.assign(indicator=spec.id))
        else:
            shared_specs.append(spec)
            shared_values.append(values)
    if shared_specs:
        parts.append(_stage_rows(skeleton, shared_specs).merge(
            _stacked_values(keys, shared_specs, shared_values), on=[*keys, "indicator"],
            how="left"))
    if level == "gmina":
        parts = [part.assign(area=pd.Series(pd.NA, index=part.index, dtype="str"))
                 for part in parts]
    return parts


def _suppress(table: pd.DataFrame, respondent_based: np.ndarray, threshold: int) -> pd.DataFrame:
    """Small-cell suppression of survey values: value and interval NA, ``suppressed`` true.

    Only the cells below the threshold go to
    :func:`~wkus_lib.metrics.privacy.suppress_small_cells`, as one group: the
    indicator table publishes no totals of which its cells are parts, so
    there is nothing for secondary suppression to protect, and a group made
    only of small cells is hidden exactly.
    """
    n = table["n"].to_numpy(dtype=float, na_value=np.nan)
    small = np.flatnonzero(respondent_based & (n < threshold))
    hidden_columns = ["value", "ci_low", "ci_high"]
    cells = table.iloc[small][["n", *hidden_columns]].reset_index(drop=True)
    result = suppress_small_cells(
        cells, count_column="n", value_columns=hidden_columns, threshold=threshold
    ).table
    suppressed = np.zeros(len(table), dtype=bool)
    suppressed[small] = result["suppressed"].to_numpy(dtype=bool)
    updates = {
        column: _replace_at(table[column], small, result[column]) for column in hidden_columns
    }
    return table.assign(**updates, suppressed=suppressed)


def _replace_at(column: pd.Series, positions: np.ndarray, values: pd.Series) -> np.ndarray:
    out: np.ndarray = column.to_numpy(dtype=float, na_value=np.nan, copy=True)
    out[positions] = values.to_numpy(dtype=float, na_value=np.nan)
    return out


def _ranks(column: pd.Series, order: Sequence[str] | None = None) -> npt.NDArray[np.int64]:
    """Each value's place in ``order`` (by default the sorted values); missing or absent last.

    The column is hashed once and only its distinct values are looked up.
    """
    codes, distinct = pd.factorize(column)
    if order is None:
        order = sorted(distinct)
    lookup = pd.Index(list(order)).get_indexer(distinct)
    places = np.append(np.where(lookup < 0, len(order), lookup), len(order))
    return np.asarray(places[codes], dtype=np.int64)


def _sorted(table: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    order = np.lexsort((
        _ranks(table["indicator"], catalog.ids), table["year"].to_numpy(),
        _ranks(table["stage"], STAGE_IDS), _ranks(table["area"], AREA_IDS),
        _ranks(table["teryt"]),
    ))
    return table.iloc[order].reset_index(drop=True)


def _empty_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "teryt": pd.Series(dtype="str"), "area": pd.Series(dtype="str"),
            "stage": pd.Series(dtype="str"), "year": pd.Series(dtype="int64"),
            "indicator": pd.Series(dtype="str"), "value": pd.Series(dtype="float64"),
            "n": pd.Series(dtype="Int64"), "ci_low": pd.Series(dtype="float64"),
            "ci_high": pd.Series(dtype="float64"), "target": pd.Series(dtype="float64"),
            "status": pd.Series(dtype="str"), "suppressed": pd.Series(dtype="bool"),
        }
    )


def compute_indicators(
    store: Store,
    *,
    catalog: Catalog | None = None,
    teryt: Iterable[str] | None = None,
    areas: Iterable[str] | None = None,
    stages: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
    threshold: int | None = None,
    sroi_outcomes: pd.DataFrame | None = None,
    sroi_discount_rate: float | None = None,
) -> pd.DataFrame:
    """Every catalogue indicator as one tidy table (see the module docstring).

    Parameters
    ----------
    store
        The validated input tables.
    catalog
        Indicator catalogue; the packaged one by default.
    teryt, areas, stages, years
        Restrict the output (``None`` = all). Gminy also restrict the
        inputs; areas, stages and years only the output rows, so E9 still
        sees the baseline years and the comparison areas. With ``areas``
        the gmina-level rows (``area`` NA) stay in.
    threshold
        Fewest respondents of a published survey value; the catalogue's
        ``settings.suppression.threshold`` (5) by default.
    sroi_outcomes
        Optional E10 input: ``teryt``, ``area``, ``year`` (the ex-post year)
        and the columns of :data:`wkus_lib.metrics.sroi.OUTCOME_COLUMNS`,
        with user-supplied proxy values. Without it E10 is left out.
    sroi_discount_rate
        Discount rate for E10; the catalogue's ``settings.sroi.discount_rate``
        by default.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`OUTPUT_COLUMNS`, sorted by teryt, area, stage, year,
        indicator.

    Raises
    ------
    CatalogError
        The catalogue has an indicator without an implementation.
    ParameterError
        Unknown area or stage, or a threshold below 1.
    """
    catalog = load_catalog() if catalog is None else catalog
    missing = [spec.id for spec in catalog.indicators if spec.id not in INDICATOR_FUNCTIONS]
    if missing:
        raise CatalogError(
            f"Katalog {catalog.source}: brak implementacji wskaźników {', '.join(missing)} "
            "(dodaj je do wkus_lib.evaluation.indicators.INDICATOR_FUNCTIONS albo usuń z katalogu)."
        )
    threshold = catalog.settings.suppression.threshold if threshold is None else threshold
    if threshold < 1:
        raise ParameterError(f"Próg ukrywania musi wynosić co najmniej 1 (podano {threshold}).")
    teryt_set = None if teryt is None else frozenset(teryt)
    inputs = IndicatorInputs(
        store=_filter_store(store, teryt_set), catalog=catalog, threshold=threshold,
        sroi_outcomes=sroi_outcomes, sroi_discount_rate=sroi_discount_rate,
    )
    return indicator_table(inputs, areas=areas, stages=stages, years=years)


def indicator_table(
    inputs: IndicatorInputs,
    *,
    areas: Iterable[str] | None = None,
    stages: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
) -> pd.DataFrame:
    """The tidy table from already prepared inputs (see :func:`compute_indicators`).

    For callers that also read the inputs' intermediates (a report's E9
    details, survey scores), so those are computed once.
    """
    catalog, threshold = inputs.catalog, inputs.threshold
    area_set = None if areas is None else frozenset(areas)
    stage_set = None if stages is None else frozenset(stages)
    year_set = None if years is None else frozenset(int(y) for y in years)
    _check_choice("areas", area_set, AREA_IDS)
    _check_choice("stages", stage_set, STAGE_IDS)
    if inputs.units.empty:
        return _empty_table()
    parts = [
        part
        for level in ("area", "gmina")
        for part in _level_rows(inputs, level, [
            spec for spec in catalog.indicators if INDICATOR_FUNCTIONS[spec.id].level == level])
        if len(part)
    ]
    if not parts:
        return _empty_table()
    table = pd.concat(parts, ignore_index=True)
    if stage_set is not None:
        table = table[table["stage"].isin(stage_set)]
    if year_set is not None:
        table = table[table["year"].isin(year_set)]
    if area_set is not None:
        table = table[table["area"].isin(area_set) | table["area"].isna()]
    # Sorted before the columns that follow from each row alone are added (fewer to reorder).
    table = _sorted(table, catalog)
    respondent_ids = [i for i, impl in INDICATOR_FUNCTIONS.items() if impl.respondents]
    table = _suppress(table, table["indicator"].isin(respondent_ids).to_numpy(), threshold)
    codes, ids = pd.factorize(table["indicator"], use_na_sentinel=False)
    table = table.assign(
        target=catalog.threshold_table()["target"].reindex(ids).to_numpy()[codes],
        status=catalog.statuses(table["indicator"], table["value"]),
    )
    return table.astype(
        {"teryt": "str", "area": "str", "stage": "str", "year": "int64", "indicator": "str",
         "value": "float64", "n": "Int64", "ci_low": "float64", "ci_high": "float64",
         "target": "float64", "status": "str", "suppressed": "bool"}
    )[list(OUTPUT_COLUMNS)]
