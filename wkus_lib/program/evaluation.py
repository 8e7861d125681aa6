"""One gmina's evaluation as the programme reads it, and what follows from it.

The store is seen only through :meth:`Store.for_gmina`. From the evaluation
come the priority tasks (areas whose multi-year contract ended, with the
ex-post recommendation of :mod:`wkus_lib.report.ex_post`; contracts still
running; areas on annual grants; areas with a needs diagnosis but no task),
the planned funds (each area's grant actually paid in the last year of data)
and the grant history shown as their basis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

import pandas as pd

from wkus_lib.catalog import Catalog, IndicatorSpec
from wkus_lib.domain import AREA_IDS, AREA_NAMES, AreaId, Gmina
from wkus_lib.errors import ParameterError
from wkus_lib.indicators import IndicatorInputs, indicator_table
from wkus_lib.program.model import PLACEHOLDER, FundsLine, PriorityTask
from wkus_lib.report.context import ReportContext, format_indicator_value
from wkus_lib.report.ex_post import KEY_INDICATORS, RECOMMENDATION_RULES, recommendation
from wkus_lib.store import Store
from wkus_lib.style import STATUS_LABELS, format_number

HISTORY_YEARS: Final = 5
"""Years of grant history shown as the basis of the planned funds."""
_TITLE_PERIOD: Final = re.compile(r"\s+w (latach \d{4}\s*[–-]\s*\d{4}|\d{4} r\.)\s*$")


@dataclass(frozen=True)
class Evaluation:
    """One gmina's store, indicators and catalogue as the programme reads them."""

    gmina: Gmina
    store: Store
    catalog: Catalog
    inputs: IndicatorInputs
    indicators: pd.DataFrame
    base_year: int

    def context(self, area: AreaId, stage: str, year: int) -> ReportContext:
        return ReportContext(
            gmina=self.gmina, area=area, stage=stage, year=year, store=self.store,
            indicators=self.indicators, catalog=self.catalog,
            threshold=self.inputs.threshold, inputs=self.inputs,
        )

    def rows(self, area: AreaId | None, stage: str, year: int) -> pd.DataFrame:
        """Indicator rows of one area (None: the gmina-level ones), stage and year."""
        table = self.indicators
        chosen = table[(table["stage"] == stage) & (table["year"] == year)]
        chosen = chosen[chosen["area"].isna()] if area is None else chosen[chosen["area"] == area]
        return chosen.drop_duplicates("indicator").set_index("indicator")

    def contracts(self, area: AreaId) -> pd.DataFrame:
        """The area's contracts that started before the programme's basis year ended."""
        contracts = self.store.contracts
        chosen = contracts[(contracts["area"] == area)
                           & (contracts["start_year"] <= self.base_year)]
        return chosen.sort_values(["start_year", "end_year"])


def evaluate(store: Store, gmina: Gmina, catalog: Catalog, first_year: int) -> Evaluation:
    """The gmina's evaluation up to the basis year: the last year of data before ``first_year``.

    Raises :class:`ParameterError` (Polish) when the store has no contracts of
    the gmina before ``first_year``.
    """
    own = store.for_gmina(gmina.teryt)
    before = own.contracts[own.contracts["start_year"] < first_year]
    if before.empty:
        raise ParameterError(
            f"Brak umów gminy {gmina.name} ({gmina.teryt}) sprzed roku {first_year} w magazynie "
            "danych: program wieloletni opiera się na ocenie wcześniejszych lat. Zaimportuj dane "
            "gminy albo wybierz późniejszy okres programu.")
    base_year = min(int(before["end_year"].max()), first_year - 1)
    inputs = IndicatorInputs(own, catalog, catalog.settings.suppression.threshold)
    return Evaluation(gmina=gmina, store=own, catalog=catalog, inputs=inputs,
                      indicators=indicator_table(inputs), base_year=base_year)


def _task_name(contracts: pd.DataFrame, area: AreaId) -> str:
    """The latest contract's title without its period (the programme sets a new one)."""
    if contracts.empty:
        return AREA_NAMES[area]
    title = str(contracts.iloc[-1]["title"])
    return _TITLE_PERIOD.sub("", title).strip() or AREA_NAMES[area]


def _indicator_summary(evaluation: Evaluation, rows: pd.DataFrame, ids: Sequence[str]) -> str:
    """One line per indicator present: ``Q3R 84,5 % (uwaga)``, ``Q1 ukryte (…)``."""
    labels = STATUS_LABELS["pl"]
    parts = []
    for indicator in ids:
        if indicator not in rows.index:
            continue
        row = rows.loc[indicator]
        if bool(row["suppressed"]):
            parts.append(f"{indicator} ukryte (mniej niż {evaluation.inputs.threshold} "
                         "odpowiedzi)")
        elif not pd.isna(row["value"]):
            unit = evaluation.catalog.indicator(indicator).unit
            value = format_indicator_value(float(row["value"]), unit)
            parts.append(f"{indicator} {value} ({labels[row['status']]})")
    return "\n".join(parts) or "brak wartości wskaźników"


def _years_text(first: int, last: int) -> str:
    """``w 2019 r.`` or ``w latach 2019–2025``."""
    return f"w {first} r." if first == last else f"w latach {first}–{last}"


def priority_tasks(evaluation: Evaluation, first_year: int, last_year: int) -> list[PriorityTask]:
    """Tasks from the evaluation, most advanced first: multi-year contracts (ended, then
    running), areas on annual grants, then areas with diagnosed needs and no task."""
    labels = {rule_id: label for rule_id, label, _rule in RECOMMENDATION_RULES}
    period = f"{first_year}–{last_year}"
    ended: list[PriorityTask] = []
    running: list[PriorityTask] = []
    annual: list[PriorityTask] = []
    untended: list[PriorityTask] = []
    needs = evaluation.store.needs
    for area in AREA_IDS:
        contracts = evaluation.contracts(area)
        name = _task_name(contracts, area)
        multi = contracts[contracts["mode"] == "multi_year"]
        last_multi = multi.iloc[-1] if len(multi) else None
        if last_multi is not None and int(last_multi["end_year"]) >= int(
                contracts["end_year"].max()):
            start, end = int(last_multi["start_year"]), int(last_multi["end_year"])
            if end <= evaluation.base_year:
                rows = evaluation.rows(area, "ex_post", end)
                chosen, _evidence = recommendation(evaluation.context(area, "ex_post", end))
                proposal = {
                    "continue": f"kontynuacja w formie umowy wieloletniej na lata {period} "
                                "(otwarty konkurs ofert)",
                    "modify": f"umowa wieloletnia na lata {period} ze zmianami w warunkach "
                              "konkursu (wskaźniki „źle” i „uwaga” obok)",
                    "stop": "nie przedłużać w obecnej formie; nowa diagnoza potrzeb i ocena "
                            "ex ante przed decyzją",
                }[chosen]
                ended.append(PriorityTask(
                    kind="ended", area=area, task=name,
                    basis=f"umowa wieloletnia {start}–{end}; ocena końcowa (ex post) {end} r.: "
                          f"rekomendacja „{labels[chosen]}”",
                    proposal=proposal,
                    indicators=_indicator_summary(evaluation, rows, KEY_INDICATORS),
                ))
            else:
                rows = evaluation.rows(area, "on_going", evaluation.base_year)
                running.append(PriorityTask(
                    kind="running", area=area, task=name,
                    basis=f"umowa wieloletnia {start}–{end} w trakcie; ocena bieżąca "
                          f"{evaluation.base_year} r.",
                    proposal=f"kontynuacja umowy do {end} r.; ocena końcowa (ex post) "
                             f"w {end} r. rozstrzygnie o kolejnej umowie",
                    indicators=_indicator_summary(evaluation, rows, KEY_INDICATORS),
                ))
        elif len(contracts):
            grant_years = sorted({
                year for start, end in zip(contracts["start_year"], contracts["end_year"],
                                           strict=True)
                for year in range(int(start), int(end) + 1)})
            last = grant_years[-1]
            rows = evaluation.rows(area, "ex_ante", last)
            annual.append(PriorityTask(
                kind="annual", area=area, task=name,
                basis=f"dotacje roczne {_years_text(grant_years[0], last)} "
                      f"(liczba konkursów: {len(contracts)})",
                proposal=f"ocena wstępna (ex ante) i decyzja o umowie wieloletniej na lata "
                         f"{period}; do tego czasu konkurs roczny",
                indicators=_indicator_summary(evaluation, rows, ("Q2C", "Q3R", "Q1", "E1", "E3")),
            ))
        else:
            diagnosed = needs[(needs["area"] == area) & (needs["year"] <= evaluation.base_year)]
            if diagnosed.empty:
                continue
            latest = diagnosed.sort_values("year").iloc[-1]
            untended.append(PriorityTask(
                kind="untended", area=area, task=AREA_NAMES[area],
                basis=f"diagnoza potrzeb {int(latest['year'])} r.: "
                      f"{format_number(int(latest['people_in_need']), 0)} osób potrzebujących; "
                      "gmina nie zleca tu zadań",
                proposal=f"otwarty konkurs ofert na nowe zadanie; {PLACEHOLDER}",
                indicators="brak (zadanie niezlecane)",
            ))
    return ended + running + annual + untended


def funds_lines(evaluation: Evaluation, areas: Iterable[AreaId]) -> list[FundsLine]:
    """Per area: the grant (dotacja, actual) of the last year of data and its recent mean."""
    grants = _grants_by_area_year(evaluation)
    recent = range(evaluation.base_year - 2, evaluation.base_year + 1)
    lines = []
    for area in areas:
        by_year = grants[grants["area"] == area].set_index("year")["actual"]
        last = by_year.get(evaluation.base_year)
        window = by_year[by_year.index.isin(recent)]
        lines.append(FundsLine(
            area=area,
            last_year_grant=None if last is None or pd.isna(last) else float(last),
            mean_grant=float(window.sum() / len(recent)) if len(window) else None,
        ))
    return lines


def _grants_by_area_year(evaluation: Evaluation) -> pd.DataFrame:
    finance = evaluation.store.finance
    grants = finance[finance["source"] == "dotacja"].merge(
        evaluation.store.contracts[["contract_id", "area"]], on="contract_id")
    return grants.groupby(["area", "year"], as_index=False)[["planned", "actual"]].sum()


def grant_history(evaluation: Evaluation) -> pd.DataFrame:
    """Grants to organisations by year (planned, actual, contracts): the basis of the funds."""
    grants = _grants_by_area_year(evaluation)
    first = evaluation.base_year - HISTORY_YEARS + 1
    grants = grants[(grants["year"] >= first) & (grants["year"] <= evaluation.base_year)]
    totals = grants.groupby("year", as_index=False)[["planned", "actual"]].sum()
    years = evaluation.inputs.contract_years
    counts = years.groupby("year")["contract_id"].nunique().rename("contracts")
    return totals.merge(counts, on="year", how="left").sort_values("year")


def funds_total(lines: Sequence[FundsLine]) -> float:
    """The proposed funds of all areas for one year (złote; lines to fill in count as 0)."""
    return sum(line.proposed_per_year or 0.0 for line in lines)


def unmet_checklist(evaluation: Evaluation) -> list[str]:
    """Yes/no items of the cooperation checklist the gmina did not meet in the basis year,
    as the catalogue words them."""
    checklist = evaluation.store.cooperation_checklist
    year = checklist[checklist["year"] == evaluation.base_year]
    items = evaluation.catalog.checklist_items()
    binary = items[items["kind"] == "binary"]
    unmet = year[(year["value"] < 1) & year["item_id"].isin(binary["item_id"])]
    texts = binary.set_index("item_id")["text_pl"]
    return [str(texts[i]) for i in binary["item_id"] if i in set(unmet["item_id"])]


def value_text(evaluation: Evaluation, spec: IndicatorSpec, rows: pd.DataFrame) -> str:
    """The indicator's value among ``rows`` in Polish format; a dash when absent."""
    if spec.id not in rows.index:
        return "—"
    row = rows.loc[spec.id]
    if bool(row["suppressed"]):
        return f"ukryte (n < {evaluation.inputs.threshold})"
    return format_indicator_value(None if pd.isna(row["value"]) else float(row["value"]),
                                  spec.unit)
