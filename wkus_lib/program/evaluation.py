"""One gmina's evaluation as the programme reads it, and what follows from it.

The store is seen only through :meth:`Store.for_gmina`. From the evaluation
come the priority tasks (areas whose multi-year contract ended, with the
ex-post recommendation of :func:`wkus_lib.evaluation.ex_post.recommend`; contracts still
running; areas on annual grants; areas with a needs diagnosis but no task),
the planned funds and the grant history shown as their basis.

Each area is read at its own evaluation year (:mod:`wkus_lib.evaluation.year`):
when an organisation's report for the basis year has not arrived, the area's
findings and its proposed funds come from the last year whose report is
complete, and the draft says so (:attr:`Evaluation.notes`) instead of
proposing 0 zł. A store without the gmina's contracts still gives a draft
(statutory chapters, tasks from the needs diagnosis) that names what is
missing (:attr:`Evaluation.gaps`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import pandas as pd

from wkus_lib.catalog import Catalog
from wkus_lib.catalog.prices import deflate
from wkus_lib.domain import (
    AREA_IDS,
    AREA_NAMES,
    EX_ANTE,
    EX_POST,
    MULTI_YEAR,
    ON_GOING,
    AreaId,
    Gmina,
)
from wkus_lib.errors import ParameterError
from wkus_lib.evaluation.data_gaps import gap_message, store_gaps
from wkus_lib.evaluation.ex_post import KEY_INDICATORS, NO_RECOMMENDATION, recommend
from wkus_lib.evaluation.indicators import IndicatorInputs, indicator_table
from wkus_lib.evaluation.year import EvaluationYear, evaluation_year
from wkus_lib.program.model import PLACEHOLDER, FundsLine, PriorityTask
from wkus_lib.report.context import format_indicator_value, late_report_note
from wkus_lib.report.ex_post import RECOMMENDATION_LABELS
from wkus_lib.report.style import STATUS_LABELS
from wkus_lib.store import Store
from wkus_lib.text.numbers import format_number

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
    area_years: Mapping[AreaId, EvaluationYear]
    """Each area's evaluation year up to ``base_year`` and its last complete year."""
    gaps: tuple[str, ...] = ()
    """Polish ``brak danych: …`` lines for the tables the gmina has no rows in."""

    def findings_year(self, area: AreaId, year: int) -> int:
        """``year``, or the area's last complete year before it when its report is late."""
        complete = self.area_years[area].complete_year
        return year if complete is None or complete >= year else complete

    def notes(self) -> list[str]:
        """One Polish sentence per area whose basis year is not complete."""
        return [f"{AREA_NAMES[area]}: {note}" for area, years in self.area_years.items()
                if (note := late_report_note(years)) is not None]

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

    Raises :class:`ParameterError` (Polish) when the gmina's contracts all start
    in ``first_year`` or later (a programme period before the data). A gmina
    without any contract gets the basis year ``first_year − 1`` and its gaps named.
    """
    own = store.for_gmina(gmina.teryt)
    before = own.contracts[own.contracts["start_year"] < first_year]
    if before.empty and len(own.contracts):
        raise ParameterError(
            f"Brak umów gminy {gmina.name} ({gmina.teryt}) sprzed roku {first_year} w magazynie "
            "danych: program wieloletni opiera się na ocenie wcześniejszych lat. Zaimportuj dane "
            "gminy albo wybierz późniejszy okres programu.")
    base_year = (first_year - 1 if before.empty
                 else min(int(before["end_year"].max()), first_year - 1))
    inputs = IndicatorInputs(own, catalog, catalog.settings.suppression.threshold)
    area_years = {area: evaluation_year(own, gmina.teryt, area, up_to=base_year)
                  for area in AREA_IDS}
    return Evaluation(gmina=gmina, store=own, catalog=catalog, inputs=inputs,
                      indicators=indicator_table(inputs), base_year=base_year,
                      area_years=area_years,
                      gaps=(*store_gaps(own, f"{gmina.name}, {gmina.teryt}"),
                            *_baseline_gaps(own, base_year)))


BASELINE_TABLES: Final = ("cooperation_checklist", "cooperation_survey")
"""The tables the evaluation chapter's baselines (the cooperation indicators) come from."""


def _baseline_gaps(store: Store, base_year: int) -> list[str]:
    """``brak danych: …`` for each baseline table with rows, but none in ``base_year`` (an
    empty table is already named by :func:`~wkus_lib.evaluation.data_gaps.store_gaps`)."""
    return [gap_message(name, f"za {base_year} r.: wartości bazowe oceny programu")
            for name in BASELINE_TABLES
            if len(frame := getattr(store, name)) and not (frame["year"] == base_year).any()]


def _task_name(contracts: pd.DataFrame, area: AreaId) -> str:
    """The latest contract's title without its period (the programme sets a new one)."""
    if contracts.empty:
        return AREA_NAMES[area]
    title = str(contracts.iloc[-1]["title"])
    return _TITLE_PERIOD.sub("", title).strip() or AREA_NAMES[area]


def _indicator_summary(evaluation: Evaluation, rows: pd.DataFrame, ids: Sequence[str]) -> str:
    """One line per indicator present: ``Q3R 84,5 % (uwaga)``, ``Q1 ukryte (…)``."""
    labels = STATUS_LABELS
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


def _late_text(year: int, seen: int) -> str:
    """``; wskaźniki z 2024 r. (sprawozdanie za 2025 r. niepełne)`` when ``seen`` is earlier."""
    if seen == year:
        return ""
    return f"; wskaźniki z {seen} r. (sprawozdanie za {year} r. niepełne)"


def _years_text(first: int, last: int) -> str:
    """``w 2019 r.`` or ``w latach 2019–2025``."""
    return f"w {first} r." if first == last else f"w latach {first}–{last}"


def priority_tasks(evaluation: Evaluation, first_year: int, last_year: int) -> list[PriorityTask]:
    """Tasks from the evaluation, most advanced first: multi-year contracts (ended, then
    running), areas on annual grants, then areas with diagnosed needs and no task."""
    labels = RECOMMENDATION_LABELS
    period = f"{first_year}–{last_year}"
    ended: list[PriorityTask] = []
    running: list[PriorityTask] = []
    annual: list[PriorityTask] = []
    untended: list[PriorityTask] = []
    needs = evaluation.store.needs
    for area in AREA_IDS:
        contracts = evaluation.contracts(area)
        name = _task_name(contracts, area)
        multi = contracts[contracts["mode"] == MULTI_YEAR]
        last_multi = multi.iloc[-1] if len(multi) else None
        if last_multi is not None and int(last_multi["end_year"]) >= int(
                contracts["end_year"].max()):
            start, end = int(last_multi["start_year"]), int(last_multi["end_year"])
            if end <= evaluation.base_year:
                rows = evaluation.rows(area, EX_POST, end)
                chosen = recommend(rows["status"].astype(str).to_dict()).rule
                proposal = {
                    "continue": f"kontynuacja w formie umowy wieloletniej na lata {period} "
                                "(otwarty konkurs ofert)",
                    "modify": f"umowa wieloletnia na lata {period} ze zmianami w warunkach "
                              "konkursu (wskaźniki „źle” i „uwaga” obok)",
                    "stop": "nie przedłużać w obecnej formie; nowa diagnoza potrzeb i ocena "
                            "ex ante przed decyzją",
                    NO_RECOMMENDATION: f"decyzja po uzupełnieniu danych oceny końcowej "
                                       f"{PLACEHOLDER}",
                }[chosen]
                verdict = (f"rekomendacja „{labels[chosen]}”" if chosen in labels else
                           "bez rekomendacji (brak wskaźników ze światłami; uzupełnij dane)")
                ended.append(PriorityTask(
                    kind="ended", area=area, task=name,
                    basis=f"umowa wieloletnia {start}–{end}; ocena końcowa (ex post) {end} r.: "
                          f"{verdict}",
                    proposal=proposal,
                    indicators=_indicator_summary(evaluation, rows, KEY_INDICATORS),
                ))
            else:
                seen = evaluation.findings_year(area, evaluation.base_year)
                rows = evaluation.rows(area, ON_GOING, seen)
                running.append(PriorityTask(
                    kind="running", area=area, task=name,
                    basis=f"umowa wieloletnia {start}–{end} w trakcie; ocena bieżąca "
                          f"{seen} r." + _late_text(evaluation.base_year, seen),
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
            seen = evaluation.findings_year(area, last)
            rows = evaluation.rows(area, EX_ANTE, seen)
            annual.append(PriorityTask(
                kind="annual", area=area, task=name,
                basis=f"dotacje roczne {_years_text(grant_years[0], last)} "
                      f"(liczba konkursów: {len(contracts)})" + _late_text(last, seen),
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
    """Per area: the grant (dotacja, actual) of its basis year and the mean of the three
    years up to it. The basis year is the area's last year with a complete NGO report up
    to the programme's basis year; an area that has none falls back to its last year with
    a paid grant (``complete`` false); without any the line is left to fill in (None).

    The mean is in constant prices of the basis year (the catalogue's services price
    index); when the index lacks one of those years the mean is None and the years are
    named (``unpriced_years``), never guessed."""
    grants = _grants_by_area_year(evaluation)
    lines = []
    for area in areas:
        basis = evaluation.area_years[area].complete_year
        by_year = grants[grants["area"] == area].set_index("year")["actual"].dropna()
        by_year = by_year[by_year.index <= evaluation.base_year]
        complete = basis is not None
        if basis is None and len(by_year):
            basis = int(by_year.index.max())
        last = None if basis is None else by_year.get(basis)
        recent = range(basis - 2, basis + 1) if basis is not None else range(0)
        window = by_year[by_year.index.isin(recent)].dropna()
        index = evaluation.catalog.price_index
        unpriced = (tuple(index.missing([*window.index, basis]))
                    if basis is not None and len(window) else ())
        real = (None if unpriced or not len(window) or basis is None else
                float(deflate(window.to_numpy(), window.index.to_numpy(), basis, index).sum()
                      / len(recent)))
        lines.append(FundsLine(
            area=area,
            last_year_grant=None if last is None or pd.isna(last) else float(last),
            mean_grant=real, basis_year=basis, complete=complete, unpriced_years=unpriced,
        ))
    return lines


def funds_basis_text(lines: Sequence[FundsLine], base: int) -> str:
    """Which year's grants the proposal takes, in Polish, for the funds chapter."""
    if all(line.basis_year == base and line.complete for line in lines):
        return (f"Propozycja przyjmuje dla każdego obszaru dotację wypłaconą w {base} r., "
                f"w cenach z {base} r. " + _mean_prices_text(lines))
    text = ("Propozycja przyjmuje dla każdego obszaru dotację wypłaconą w ostatnim roku "
            f"z pełnym sprawozdaniem organizacji (do {base} r.; rok podano w tabeli, gdy "
            "jest wcześniejszy), w cenach tego roku")
    if any(line.basis_year is not None and not line.complete for line in lines):
        text += ("; obszar bez pełnego sprawozdania — dotację z ostatniego roku z kosztami "
                 "(oznaczoną w tabeli)")
    if any(line.basis_year is None for line in lines):
        text += f"; obszar bez kosztów uzupełnia urząd ({PLACEHOLDER})"
    return text + ". " + _mean_prices_text(lines)


def _mean_prices_text(lines: Sequence[FundsLine]) -> str:
    """How the three-year mean is priced, and the years without a price index."""
    text = ("Średnia z trzech lat jest w cenach roku podstawy (dotacje z wcześniejszych lat "
            "przeliczone wskaźnikiem cen usług konsumpcyjnych GUS z pliku ceny_gus_cpi.csv "
            "katalogu)")
    missing = sorted({year for line in lines for year in line.unpriced_years})
    if missing:
        listed = ", ".join(str(y) for y in missing)
        text += (f"; brak wskaźnika cen usług za {listed} r. — dopisz go w pliku "
                 f"ceny_gus_cpi.csv katalogu (średnia {PLACEHOLDER})")
    return text


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
