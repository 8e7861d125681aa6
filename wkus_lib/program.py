"""The draft of a multi-year cooperation programme (wieloletni program współpracy).

Art. 5a ust. 4 of the act on public benefit activity lists what a programme
contains; :data:`STATUTORY_SECTIONS` holds those parts in that order.
:func:`build_program` fills them for one gmina and a range of years from the
gmina's evaluation (the store, seen only through :meth:`Store.for_gmina`) and
the indicator catalogue:

- priority tasks come from the evaluation: areas whose multi-year contract
  ended (with the ex-post recommendation of :mod:`wkus_lib.report.ex_post`),
  areas with a contract still running, areas on annual grants (candidates for
  a multi-year contract) and areas with a needs diagnosis but no task;
- planned funds are a proposal: each area's grant actually paid in the last
  year of data, with the history shown as its basis;
- the assessment section is the catalogue's indicators with their formulas,
  targets and data sources;
- what only the office knows (dates, resolutions, consultation results) is
  standard text with :data:`PLACEHOLDER` marks for the evaluator to fill.

The draft is data (:class:`ProgramDraft`); :func:`render_docx` (python-docx)
and :func:`render_html` (jinja2, ``templates/program/``) present it, and
:func:`write_program` writes both atomically.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Final, Literal

import docx
import jinja2
import pandas as pd
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.shared import Cm, Length, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from wkus_lib.catalog import Catalog, IndicatorSpec
from wkus_lib.domain import AREA_IDS, AREA_NAMES, MODEL_NAMES, AreaId, Gmina
from wkus_lib.errors import ParameterError
from wkus_lib.indicators import IndicatorInputs, indicator_table
from wkus_lib.report.context import ReportContext, format_indicator_value
from wkus_lib.report.ex_post import KEY_INDICATORS, RECOMMENDATION_RULES, recommendation
from wkus_lib.schemas import TABLES
from wkus_lib.store import Store, atomic_write_bytes
from wkus_lib.style import STATUS_LABELS, format_money, format_number

PLACEHOLDER: Final = "[do uzupełnienia]"
PLACEHOLDER_PATTERN: Final = re.compile(r"\[do uzupełnienia[^\]]*\]")
MIN_YEARS: Final = 2
MAX_YEARS: Final = 5
HISTORY_YEARS: Final = 5
"""Years of grant history shown as the basis of the planned funds."""
ACT: Final = "ustawy o działalności pożytku publicznego i o wolontariacie"

STATUTORY_SECTIONS: Final[tuple[tuple[str, str], ...]] = (
    ("cele", "Cel główny i cele szczegółowe programu"),
    ("zasady", "Zasady współpracy"),
    ("zakres", "Zakres przedmiotowy"),
    ("formy", "Formy współpracy"),
    ("priorytety", "Priorytetowe zadania publiczne"),
    ("okres", "Okres realizacji programu"),
    ("realizacja", "Sposób realizacji programu"),
    ("srodki", "Wysokość środków planowanych na realizację programu"),
    ("ocena", "Sposób oceny realizacji programu"),
    ("konsultacje", "Informacja o sposobie tworzenia programu oraz o przebiegu konsultacji"),
    ("komisje", ("Tryb powoływania i zasady działania komisji konkursowych do opiniowania "
                "ofert w otwartych konkursach ofert")),
)
"""The parts art. 5a ust. 4 requires, in the act's order: (key, heading)."""

DATA_SOURCES: Final[dict[str, tuple[str, str]]] = {
    "contracts": ("rejestr umów gminy", ""),
    "finance": ("sprawozdania realizatorów", "koszty i źródła finansowania"),
    "contributions": ("sprawozdania realizatorów", "wkład osobowy i rzeczowy"),
    "results": ("sprawozdania realizatorów", "rezultaty"),
    "beneficiaries": ("sprawozdania realizatorów", "odbiorcy, kadra, skargi"),
    "needs": ("diagnoza potrzeb", ""),
    "procedure_costs": ("kalkulacja kosztu konkursu w urzędzie", ""),
    "survey_responses": ("ankiety klientów i personelu, samoocena realizatora", ""),
    "survey_comments": ("wypowiedzi z ankiet", ""),
    "standard_checklist": ("samoocena realizatora i kontrola standardu usługi", ""),
    "cooperation_checklist": ("lista kontrolna współpracy (urząd)", ""),
    "cooperation_survey": ("ankieta współpracy (urzędnicy i organizacje)", ""),
}
"""Where each store table's data come from (document, detail), as the assessment names it."""

_YEAR_RANGE: Final = re.compile(r"^\s*(\d{4})\s*[-–—]\s*(\d{4})\s*$")
_TITLE_PERIOD: Final = re.compile(r"\s+w (latach \d{4}\s*[–-]\s*\d{4}|\d{4} r\.)\s*$")


# ------------------------------------------------------------------ the draft


@dataclass(frozen=True)
class Provision:
    """One ustęp of a paragraph: a sentence, optionally followed by points 1), 2), …"""

    text: str
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    """One „§”: numbered through the whole programme; its ustępy numbered when more than one."""

    number: int
    provisions: tuple[Provision, ...]


@dataclass(frozen=True)
class Table:
    """A table with one header row; ``widths`` are shares of the text width."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    numeric: frozenset[int] = frozenset()


Block = Paragraph | Table


@dataclass(frozen=True)
class Section:
    """One chapter (rozdział) of the programme."""

    key: str
    chapter: int
    title: str
    blocks: tuple[Block, ...]

    @property
    def heading(self) -> str:
        """The chapter heading as printed: ``Rozdział 2. Cel główny …``."""
        return f"Rozdział {self.chapter}. {self.title}"


TaskKind = Literal["ended", "running", "annual", "untended"]
"""Why a task is a priority: its multi-year contract ended or runs, it is funded by annual
grants, or a needs diagnosis shows people in need and the gmina funds no task there."""


@dataclass(frozen=True)
class PriorityTask:
    """A public task the evaluation puts first, with the evidence behind it."""

    kind: TaskKind
    area: AreaId
    task: str
    basis: str
    proposal: str
    indicators: str


@dataclass(frozen=True)
class FundsLine:
    """The proposed yearly funds of one area and their basis (złote; None = to fill in)."""

    area: AreaId
    last_year_grant: float | None
    mean_grant: float | None

    @property
    def proposed_per_year(self) -> float | None:
        """The proposal: the grant actually paid in the last year of data."""
        return self.last_year_grant


@dataclass(frozen=True)
class ProgramDraft:
    """A multi-year cooperation programme for one gmina, ready to render."""

    gmina: Gmina
    first_year: int
    last_year: int
    base_year: int
    synthetic: bool
    title: str
    annex_line: str
    notes: tuple[str, ...]
    sections: tuple[Section, ...]
    priority_tasks: tuple[PriorityTask, ...]
    funds: tuple[FundsLine, ...]
    indicator_ids: tuple[str, ...]

    @property
    def years(self) -> int:
        """How many budget years the programme covers."""
        return self.last_year - self.first_year + 1

    def section(self, key: str) -> Section:
        """The section ``key`` (see :data:`STATUTORY_SECTIONS`)."""
        return next(s for s in self.sections if s.key == key)


# ------------------------------------------------------------------ inputs


def parse_year_range(text: str) -> tuple[int, int]:
    """``"2027-2030"`` → ``(2027, 2030)``; a Polish :class:`ParameterError` otherwise.

    A multi-year programme covers 2 to 5 budget years (one year is the annual
    programme; contracts under it run at most 5 years).

    Examples
    --------
    >>> parse_year_range("2027–2030")
    (2027, 2030)
    """
    match = _YEAR_RANGE.match(text)
    if match is None:
        raise _year_error(text, "to nie są dwa lata czterocyfrowe",
                          "Podaj rok początkowy i końcowy rozdzielone łącznikiem, np. 2027-2030.")
    first, last = int(match.group(1)), int(match.group(2))
    if first > last:
        raise _year_error(text, f"rok początkowy {first} jest późniejszy niż końcowy {last}",
                          f"Podaj lata w kolejności, np. {last}-{first}.")
    years = last - first + 1
    if years > MAX_YEARS:
        raise _year_error(text, f"okres obejmuje {years} lat, a najwyżej {MAX_YEARS}",
                          "Umowy wieloletnie zawiera się na nie dłużej niż 5 lat; "
                          "skróć okres programu.")
    if years < MIN_YEARS:
        raise _year_error(text, "program wieloletni obejmuje co najmniej 2 lata",
                          "Na jeden rok rada gminy uchwala program roczny.")
    if first < 2000 or last > 2100:
        raise _year_error(text, "rok spoza zakresu 2000–2100", "Sprawdź, czy nie ma literówki.")
    return first, last


def _year_error(text: str, problem: str, hint: str) -> ParameterError:
    return ParameterError(f"Niepoprawny okres programu „{text}”: {problem}. {hint}")


def find_gmina(teryt: str, registry: dict[str, Gmina]) -> Gmina:
    """The registry's gmina ``teryt``; a Polish :class:`ParameterError` listing valid codes."""
    gmina = registry.get(teryt.strip())
    if gmina is None:
        listed = ", ".join(f"{g.teryt} {g.name}" for g in registry.values())
        raise ParameterError(
            f"Nieznana gmina „{teryt}”: podaj 7-cyfrowy kod TERYT z rejestru. Dostępne: {listed}")
    return gmina


# ------------------------------------------------------------------ the evaluation


@dataclass(frozen=True)
class _Evaluation:
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


def _evaluate(store: Store, gmina: Gmina, catalog: Catalog, first_year: int) -> _Evaluation:
    own = store.for_gmina(gmina.teryt)
    before = own.contracts[own.contracts["start_year"] < first_year]
    if before.empty:
        raise ParameterError(
            f"Brak umów gminy {gmina.name} ({gmina.teryt}) sprzed roku {first_year} w magazynie "
            "danych: program wieloletni opiera się na ocenie wcześniejszych lat. Zaimportuj dane "
            "gminy albo wybierz późniejszy okres programu.")
    base_year = min(int(before["end_year"].max()), first_year - 1)
    inputs = IndicatorInputs(own, catalog, catalog.settings.suppression.threshold)
    return _Evaluation(gmina=gmina, store=own, catalog=catalog, inputs=inputs,
                       indicators=indicator_table(inputs), base_year=base_year)


def _task_name(contracts: pd.DataFrame, area: AreaId) -> str:
    """The latest contract's title without its period (the programme sets a new one)."""
    if contracts.empty:
        return AREA_NAMES[area]
    title = str(contracts.iloc[-1]["title"])
    return _TITLE_PERIOD.sub("", title).strip() or AREA_NAMES[area]


def _indicator_summary(evaluation: _Evaluation, rows: pd.DataFrame, ids: Sequence[str]) -> str:
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


def priority_tasks(evaluation: _Evaluation, first_year: int, last_year: int) -> list[PriorityTask]:
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


def funds_lines(evaluation: _Evaluation, areas: Iterable[AreaId]) -> list[FundsLine]:
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


def _grants_by_area_year(evaluation: _Evaluation) -> pd.DataFrame:
    finance = evaluation.store.finance
    grants = finance[finance["source"] == "dotacja"].merge(
        evaluation.store.contracts[["contract_id", "area"]], on="contract_id")
    return grants.groupby(["area", "year"], as_index=False)[["planned", "actual"]].sum()


def grant_history(evaluation: _Evaluation) -> pd.DataFrame:
    """Grants to organisations by year (planned, actual, contracts): the basis of the funds."""
    grants = _grants_by_area_year(evaluation)
    first = evaluation.base_year - HISTORY_YEARS + 1
    grants = grants[(grants["year"] >= first) & (grants["year"] <= evaluation.base_year)]
    totals = grants.groupby("year", as_index=False)[["planned", "actual"]].sum()
    years = evaluation.inputs.contract_years
    counts = years.groupby("year")["contract_id"].nunique().rename("contracts")
    return totals.merge(counts, on="year", how="left").sort_values("year")


# ------------------------------------------------------------------ the text


def _executive(gmina: Gmina) -> tuple[str, str]:
    """The executive organ (nominative, genitive): wójt of a rural gmina, else burmistrz."""
    if gmina.gmina_type == "wiejska":
        return "Wójt", "Wójta"
    if gmina.gmina_type == "miejska" and gmina.population > 100_000:
        return "Prezydent Miasta", "Prezydenta Miasta"
    return "Burmistrz", "Burmistrza"


def program_title(gmina: Gmina, first_year: int, last_year: int) -> str:
    """The programme's title with the gmina's name and the period."""
    return (f"Wieloletni program współpracy Gminy {gmina.name} z organizacjami pozarządowymi "
            f"oraz podmiotami wymienionymi w art. 3 ust. 3 {ACT} "
            f"na lata {first_year}–{last_year}")


def _sentence_item(text: str) -> str:
    """A catalogue sentence as a list item: lower-case start, no final full stop."""
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:]


def _unmet_checklist(evaluation: _Evaluation) -> list[str]:
    """Yes/no items of the cooperation checklist the gmina did not meet in the basis year."""
    checklist = evaluation.store.cooperation_checklist
    year = checklist[checklist["year"] == evaluation.base_year]
    items = evaluation.catalog.checklist_items()
    binary = items[items["kind"] == "binary"]
    unmet = year[(year["value"] < 1) & year["item_id"].isin(binary["item_id"])]
    texts = binary.set_index("item_id")["text_pl"]
    return [_sentence_item(str(texts[i])) for i in binary["item_id"] if i in set(unmet["item_id"])]


def _value_text(evaluation: _Evaluation, spec: IndicatorSpec, rows: pd.DataFrame) -> str:
    if spec.id not in rows.index:
        return "—"
    row = rows.loc[spec.id]
    if bool(row["suppressed"]):
        return f"ukryte (n < {evaluation.inputs.threshold})"
    return format_indicator_value(None if pd.isna(row["value"]) else float(row["value"]),
                                  spec.unit)


def target_text(spec: IndicatorSpec) -> str:
    """Target and traffic-light thresholds in words, or a placeholder when there is no norm.

    Examples
    --------
    >>> from wkus_lib.catalog import load_catalog
    >>> target_text(load_catalog().indicator("E4"))
    'cel: ≤ 10,0 %; dobrze ≤ 10,0 %, uwaga ≤ 15,0 %'
    """
    sign = "≥" if spec.direction == "higher" else "≤"
    parts = []
    if spec.target is not None:
        parts.append(f"cel: {sign} {format_indicator_value(spec.target, spec.unit)}")
    if spec.thresholds is not None:
        green = format_indicator_value(spec.thresholds.green, spec.unit)
        amber = format_indicator_value(spec.thresholds.amber, spec.unit)
        parts.append(f"dobrze {sign} {green}, uwaga {sign} {amber}")
    if not parts:
        better = "niższa" if spec.direction == "lower" else "wyższa"
        return f"bez normy ({better} wartość lepsza); cel gminy {PLACEHOLDER}"
    return "; ".join(parts)


def _source_text(spec: IndicatorSpec) -> str:
    """The indicator's data sources, details of one document merged: ``sprawozdania
    realizatorów (koszty i źródła finansowania; rezultaty)``."""
    details: dict[str, list[str]] = {}
    for name in [n for n in spec.inputs if n != "contracts"] or ["contracts"]:
        document, detail = DATA_SOURCES.get(name) or ((TABLES[name].__doc__ or name)
                                                      .split(".")[0], "")
        details.setdefault(document, [])
        if detail:
            details[document].append(detail)
    return "; ".join(f"{document} ({'; '.join(parts)})" if parts else document
                     for document, parts in details.items())


def assessment_tables(evaluation: _Evaluation) -> list[Table]:
    """One table per model: every catalogue indicator with formula, target and source.

    Gmina-level indicators (the cooperation model) also show the basis-year value.
    """
    gmina_rows = pd.concat([evaluation.rows(None, stage, evaluation.base_year)
                            for stage in ("ex_ante", "on_going", "ex_post")])
    gmina_rows = gmina_rows[~gmina_rows.index.duplicated()]
    tables = []
    for model, model_name in MODEL_NAMES.items():
        specs = [s for s in evaluation.catalog.indicators if s.model == model]
        if not specs:
            continue
        with_baseline = any(s.id in gmina_rows.index for s in specs)
        header: tuple[str, ...] = ("Symbol", "Wskaźnik [jednostka]", "Sposób obliczenia",
                                   "Wartość docelowa", "Źródło danych")
        widths: tuple[float, ...] = (0.11, 0.19, 0.34, 0.18, 0.18)
        if with_baseline:
            header += (f"Wartość {evaluation.base_year} r.",)
            widths = (0.11, 0.17, 0.29, 0.16, 0.15, 0.12)
        rows = []
        for spec in specs:
            name = f"{spec.name_pl} [{spec.unit}]" + (" (opcjonalny)" if spec.optional else "")
            row: tuple[str, ...] = (spec.id, name, spec.formula_pl, target_text(spec),
                                    _source_text(spec))
            if with_baseline:
                row += (_value_text(evaluation, spec, gmina_rows),)
            rows.append(row)
        tables.append(Table(
            caption=f"Wskaźniki modelu „{model_name}”", header=header, rows=tuple(rows),
            widths=widths, numeric=frozenset({5}) if with_baseline else frozenset(),
        ))
    return tables


def _priority_table(tasks: Sequence[PriorityTask]) -> Table:
    return Table(
        caption="Priorytetowe zadania publiczne i podstawa ich wyboru",
        header=("Lp.", "Obszar i zadanie", "Podstawa (ocena)", "Wskaźniki", "Proponowana forma"),
        rows=tuple(
            (f"{number}.", f"{AREA_NAMES[t.area]}: {t.task}", t.basis, t.indicators, t.proposal)
            for number, t in enumerate(tasks, start=1)
        ),
        widths=(0.06, 0.25, 0.22, 0.25, 0.22),
    )


def _funds_tables(evaluation: _Evaluation, lines: Sequence[FundsLine],
                  first_year: int, last_year: int) -> tuple[Table, Table]:
    years = last_year - first_year + 1
    base = evaluation.base_year
    history = grant_history(evaluation)
    past = Table(
        caption=f"Dotacje gminy dla organizacji w latach {int(history['year'].min())}–{base} "
                "(podstawa propozycji)" if len(history) else "Dotacje gminy dla organizacji",
        header=("Rok", "Plan [zł]", "Wykonanie [zł]", "Liczba umów"),
        rows=tuple(
            (str(year), format_money(planned), format_money(actual), format_number(count, 0))
            for year, planned, actual, count in zip(
                history["year"], history["planned"], history["actual"], history["contracts"],
                strict=True)
        ),
        widths=(0.16, 0.3, 0.3, 0.24), numeric=frozenset({1, 2, 3}),
    )
    proposal_rows = []
    for line in lines:
        per_year = line.proposed_per_year
        proposal_rows.append((
            AREA_NAMES[line.area], format_money(line.last_year_grant),
            format_money(line.mean_grant),
            format_money(per_year) if per_year is not None else PLACEHOLDER,
            format_money(per_year * years) if per_year is not None else PLACEHOLDER,
        ))
    total = sum(line.proposed_per_year or 0.0 for line in lines)
    proposal_rows.append(("Razem", "", "", format_money(total), format_money(total * years)))
    proposal = Table(
        caption=f"Proponowane środki na lata {first_year}–{last_year} według obszarów",
        header=("Obszar", f"Wykonanie {base} [zł]", f"Średnio {base - 2}–{base} [zł]",
                "Propozycja na rok [zł]", f"Razem {first_year}–{last_year} [zł]"),
        rows=tuple(proposal_rows),
        widths=(0.32, 0.17, 0.17, 0.17, 0.17), numeric=frozenset({1, 2, 3, 4}),
    )
    return past, proposal


def _build_sections(evaluation: _Evaluation, tasks: Sequence[PriorityTask],
                    lines: Sequence[FundsLine], first_year: int, last_year: int) -> list[Section]:
    gmina = evaluation.gmina
    executive, executive_gen = _executive(gmina)
    base = evaluation.base_year
    period = f"{first_year}–{last_year}"
    catalog = evaluation.catalog
    areas = [a for a in AREA_IDS if a in {t.area for t in tasks}]
    candidates = [t for t in tasks if t.kind == "annual"]
    running = [t for t in tasks if t.kind == "running"]
    unmet = _unmet_checklist(evaluation)
    wc = catalog.indicator("WC") if "WC" in catalog.ids else None
    gmina_rows = evaluation.rows(None, "ex_ante", base)
    if gmina_rows.empty:
        gmina_rows = evaluation.rows(None, "on_going", base)

    aims = [
        ("zapewnienie mieszkańcom ciągłości usług społecznych przez zlecanie zadań "
        "priorytetowych w formie umów wieloletnich opartych na standardzie usługi"),
        ("poprawa jakości usług mierzona wskaźnikami modelu „Jakość” (satysfakcja, "
        "adekwatność, skuteczność, podmiotowość klientów)"),
        "gospodarne i efektywne wydatkowanie środków publicznych (model „Efektywność”)",
    ]
    if wc is not None and wc.target is not None:
        baseline = _value_text(evaluation, wc, gmina_rows)
        aims.append(f"wzmocnienie współpracy gminy z organizacjami: indeks współpracy (WC) "
                    f"co najmniej {format_indicator_value(wc.target, wc.unit)} pkt "
                    f"(w {base} r.: {baseline})")
    if candidates:
        aims.append("przygotowanie decyzji o kontraktowaniu wieloletnim w obszarach: "
                    + ", ".join(_sentence_item(AREA_NAMES[t.area]) for t in candidates))
    if unmet:
        aims.append(f"uzupełnienie braków wskazanych w ocenie współpracy za {base} r.: "
                    + "; ".join(unmet))

    sections: list[tuple[str, str, list[Provision | Table]]] = [
        ("ogolne", "Postanowienia ogólne", [
            Provision("Ilekroć w programie jest mowa o:", (
                (f"ustawie — należy przez to rozumieć ustawę z dnia 24 kwietnia 2003 r. "
                f"o działalności pożytku publicznego i o wolontariacie (Dz. U. z {PLACEHOLDER} "
                f"r. poz. {PLACEHOLDER})"),
                ("organizacjach — należy przez to rozumieć organizacje pozarządowe oraz "
                "podmioty wymienione w art. 3 ust. 3 ustawy"),
                f"gminie — należy przez to rozumieć Gminę {gmina.name}",
                ("umowie wieloletniej — należy przez to rozumieć umowę o realizację zadania "
                "publicznego zawartą na okres dłuższy niż jeden rok budżetowy, opartą na "
                "standardzie usługi, z monitoringiem i ewaluacją"),
                ("ocenie — należy przez to rozumieć ocenę wstępną (ex ante), bieżącą "
                "(on-going) i końcową (ex post) realizacji zadań"),
            )),
        ]),
        ("cele", "", [
            Provision(f"Celem głównym programu jest budowanie partnerstwa Gminy {gmina.name} "
                      "i organizacji w zaspokajaniu potrzeb mieszkańców, w szczególności przez "
                      "wieloletnie kontraktowanie usług społecznych."),
            Provision("Cele szczegółowe programu:", tuple(aims)),
        ]),
        ("zasady", "", [
            Provision("Współpraca gminy z organizacjami opiera się na zasadach pomocniczości, "
                      "suwerenności stron, partnerstwa, efektywności, uczciwej konkurencji "
                      "i jawności."),
            Provision("Przy umowach wieloletnich strony stosują ponadto zasady:", (
                "jakości opartej na standardzie usługi uzgodnionym przed konkursem",
                ("mierzalności: rezultaty i wskaźniki określone w umowie są monitorowane "
                "co roku i oceniane po zakończeniu umowy"),
                "elastyczności: zmiany zakresu w kolejnych latach wynikają z oceny bieżącej",
            )),
        ]),
        ("zakres", "", [
            Provision("Przedmiotem współpracy jest realizacja zadań publicznych, o których mowa "
                      "w art. 4 ust. 1 ustawy, należących do zadań gminy, w szczególności "
                      "w obszarach:", tuple(_sentence_item(AREA_NAMES[a]) for a in areas)
                      or (PLACEHOLDER,)),
        ]),
        ("formy", "", [
            Provision("Współpraca ma formę finansową:", (
                ("zlecanie realizacji zadań publicznych w formie wspierania albo powierzania, "
                "w trybie otwartego konkursu ofert"),
                ("zawieranie umów wieloletnich na czas określony, nie dłuższy niż 5 lat, "
                f"najdłużej do końca {last_year} r., z kwotami dotacji określonymi na każdy rok"),
                "zlecanie zadań z pominięciem konkursu w trybie art. 19a ustawy",
            )),
            Provision("Współpraca ma formę pozafinansową:", (
                "wzajemne informowanie się o planowanych kierunkach działalności",
                ("konsultowanie z organizacjami projektów aktów prawa miejscowego "
                "w dziedzinach dotyczących ich działalności statutowej"),
                ("tworzenie wspólnych zespołów o charakterze doradczym i inicjatywnym, "
                "w tym przy ustalaniu standardów usług"),
                "udział przedstawicieli organizacji w ocenie realizacji umów wieloletnich",
            )),
        ]),
        ("priorytety", "", [
            Provision(f"Zadania priorytetowe wskazano na podstawie oceny realizacji zadań "
                      f"publicznych w latach do {base} r. (wkus: ocena wstępna, bieżąca "
                      "i końcowa). Zestawia je tabela poniżej."),
            _priority_table(tasks),
            Provision(f"Lista może zostać uzupełniona o zadania wskazane w konsultacjach: "
                      f"{PLACEHOLDER}."),
        ]),
        ("okres", "", [
            Provision(f"Program obowiązuje od 1 stycznia {first_year} r. do 31 grudnia "
                      f"{last_year} r."),
            Provision(f"Umowy wieloletnie zawarte przed {first_year} r. realizuje się do końca "
                      "okresu, na który je zawarto."
                      if running
                      else "Umowy wieloletnie zawierane w ramach programu nie mogą trwać "
                           f"dłużej niż do 31 grudnia {last_year} r."),
        ]),
        ("realizacja", "", [
            Provision(f"Program realizuje {executive} przy pomocy [do uzupełnienia: komórka "
                      "urzędu odpowiedzialna za współpracę z organizacjami]."),
            Provision("Zadania priorytetowe zleca się w otwartych konkursach ofert. W "
                      "konkursach na umowy wieloletnie ogłoszenie określa:", (
                "standard usługi i sposób jego kontroli",
                "rezultaty z wartościami docelowymi na każdy rok umowy",
                "wskaźniki z rozdziału o sposobie oceny realizacji programu",
                "wysokość środków na każdy rok realizacji zadania",
            )),
            Provision("Realizator przekazuje po każdym roku sprawozdanie częściowe; gmina co "
                      "roku przeprowadza ocenę bieżącą (on-going), a w ostatnim roku umowy "
                      "ocenę końcową (ex post), która rozstrzyga o kontynuacji."),
        ]),
        ("srodki", "", [
            Provision(f"Proponowana wysokość środków na realizację programu w latach {period} "
                      f"wynosi łącznie {format_money(_total(lines) * (last_year - first_year + 1))}"
                      f", w tym rocznie {format_money(_total(lines))}. Propozycja przyjmuje dla "
                      f"każdego obszaru dotację wypłaconą w {base} r., w cenach z {base} r.; "
                      f"waloryzacja na kolejne lata: {PLACEHOLDER}."),
            *_funds_tables(evaluation, lines, first_year, last_year),
            Provision("Ostateczną wysokość środków na każdy rok określają uchwały budżetowe "
                      "gminy na kolejne lata."),
        ]),
        ("ocena", "", [
            Provision("Realizację programu ocenia się co roku; sprawozdanie z realizacji "
                      "programu przedkłada się radzie gminy i publikuje w Biuletynie "
                      "Informacji Publicznej do 31 maja roku następnego."),
            Provision(f"Ocena posługuje się wskaźnikami z katalogu wskaźników WKUS "
                      f"({catalog.source}) w trzech modelach: „Jakość”, „Efektywność” "
                      "i „Współpraca”. Wartości docelowe i progi ocen (dobrze, uwaga, źle) "
                      "zestawiają tabele poniżej; wyniki ankiet z mniej niż "
                      f"{evaluation.inputs.threshold} odpowiedzi nie są publikowane."),
            *assessment_tables(evaluation),
        ]),
        ("konsultacje", "", [
            Provision(f"Projekt programu przygotował {PLACEHOLDER} na podstawie oceny "
                      f"realizacji zadań publicznych w latach do {base} r. i sprawozdań "
                      "z realizacji dotychczasowych programów współpracy."),
            Provision(f"Konsultacje projektu z organizacjami przeprowadzono w dniach "
                      f"{PLACEHOLDER} w formie {PLACEHOLDER}, zgodnie z uchwałą nr "
                      f"{PLACEHOLDER} w sprawie sposobu konsultowania z organizacjami projektów "
                      "aktów prawa miejscowego."),
            Provision(f"W konsultacjach zgłoszono {PLACEHOLDER} uwag, z których uwzględniono "
                      f"{PLACEHOLDER}; sprawozdanie z konsultacji opublikowano w Biuletynie "
                      f"Informacji Publicznej dnia {PLACEHOLDER}."),
        ]),
        ("komisje", "", [
            Provision(f"Komisję konkursową do opiniowania ofert powołuje {executive} "
                      "w drodze zarządzenia przed rozstrzygnięciem każdego otwartego "
                      f"konkursu ofert. W skład komisji wchodzi {PLACEHOLDER} przedstawicieli "
                      f"{executive_gen} oraz {PLACEHOLDER} osób wskazanych przez organizacje, "
                      "z wyłączeniem osób reprezentujących organizacje biorące udział "
                      "w konkursie."),
            Provision("Komisja może działać bez udziału osób wskazanych przez organizacje, "
                      "jeżeli żadna organizacja nie wskaże osób do składu komisji albo "
                      "wskazane osoby nie mogą wziąć w niej udziału."),
            Provision("Członkowie komisji składają oświadczenie, że nie zachodzą wobec nich "
                      "okoliczności powodujące wyłączenie z udziału w opiniowaniu ofert; "
                      "w pracach komisji mogą uczestniczyć z głosem doradczym osoby "
                      "posiadające specjalistyczną wiedzę w dziedzinie zadania."),
            Provision("Komisja ocenia oferty według kryteriów ogłoszenia konkursu; przy "
                      "umowach wieloletnich ocenia także zgodność oferty ze standardem usługi "
                      "oraz rezultaty i wskaźniki proponowane na każdy rok."),
            Provision(f"Z prac komisji sporządza się protokół, który wraz z opinią przekazuje "
                      f"się {_dative(executive)}; decyzję"
                      " o wyborze ofert i wysokości dotacji podejmuje "
                      f"{executive}. Szczegółowy regulamin pracy komisji: {PLACEHOLDER}."),
        ]),
        ("koncowe", "Postanowienia końcowe", [
            Provision("Zmiany programu wymagają formy właściwej dla jego uchwalenia."),
            Provision("W sprawach nieuregulowanych w programie stosuje się przepisy ustawy."),
        ]),
    ]
    titles = dict(STATUTORY_SECTIONS)
    return _numbered([(key, title or titles[key], content) for key, title, content in sections])


def _dative(executive: str) -> str:
    return {"Wójt": "Wójtowi", "Burmistrz": "Burmistrzowi",
            "Prezydent Miasta": "Prezydentowi Miasta"}[executive]


def _total(lines: Sequence[FundsLine]) -> float:
    return sum(line.proposed_per_year or 0.0 for line in lines)


def _numbered(sections: Sequence[tuple[str, str, list[Provision | Table]]]) -> list[Section]:
    """Chapters numbered 1, 2, …; each chapter's consecutive provisions form one „§”."""
    out: list[Section] = []
    number = 0
    for chapter, (key, title, content) in enumerate(sections, start=1):
        blocks: list[Block] = []
        pending: list[Provision] = []
        for item in [*content, None]:
            if isinstance(item, Provision):
                pending.append(item)
                continue
            if pending:
                number += 1
                blocks.append(Paragraph(number=number, provisions=tuple(pending)))
                pending = []
            if item is not None:
                blocks.append(item)
        out.append(Section(key=key, chapter=chapter, title=title, blocks=tuple(blocks)))
    return out


def build_program(
    store: Store, gmina: Gmina, catalog: Catalog, first_year: int, last_year: int
) -> ProgramDraft:
    """The programme draft for ``gmina`` and the years ``first_year``–``last_year``.

    Only the gmina's rows of ``store`` are read. Raises :class:`ParameterError`
    (Polish) when the store has no contracts of the gmina before ``first_year``.
    """
    evaluation = _evaluate(store, gmina, catalog, first_year)
    tasks = priority_tasks(evaluation, first_year, last_year)
    lines = funds_lines(evaluation, [t.area for t in tasks])
    notes = [
        ("PROJEKT do edycji, przygotowany przez wkus z danych oceny; fragmenty oznaczone "
        f"{PLACEHOLDER} uzupełnia urząd, a całość wymaga sprawdzenia przed konsultacjami.")
    ]
    if store.synthetic:
        notes.insert(0, "DANE SYNTETYCZNE — projekt wygenerowany z danych demonstracyjnych; "
                        "liczby są wygenerowane i nie opisują rzeczywistej gminy.")
    return ProgramDraft(
        gmina=gmina, first_year=first_year, last_year=last_year,
        base_year=evaluation.base_year, synthetic=store.synthetic,
        title=program_title(gmina, first_year, last_year),
        annex_line=f"Załącznik do uchwały nr {PLACEHOLDER} Rady {PLACEHOLDER} "
                   f"z dnia {PLACEHOLDER}",
        notes=tuple(notes),
        sections=tuple(_build_sections(evaluation, tasks, lines, first_year, last_year)),
        priority_tasks=tuple(tasks), funds=tuple(lines), indicator_ids=catalog.ids,
    )


# ------------------------------------------------------------------ rendering


def text_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` split into (piece, is_placeholder) runs, so renderers can highlight gaps.

    Examples
    --------
    >>> text_runs("uchwała nr [do uzupełnienia] z dnia")
    [('uchwała nr ', False), ('[do uzupełnienia]', True), (' z dnia', False)]
    """
    runs: list[tuple[str, bool]] = []
    position = 0
    for match in PLACEHOLDER_PATTERN.finditer(text):
        if match.start() > position:
            runs.append((text[position:match.start()], False))
        runs.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], False))
    return runs


def provision_labels(paragraph: Paragraph) -> list[str]:
    """How each ustęp of a „§” starts: ``§ 3.`` then ``1.``, ``2.`` … (no number when alone)."""
    many = len(paragraph.provisions) > 1
    labels = []
    for index in range(len(paragraph.provisions)):
        label = f"{index + 1}." if many else ""
        labels.append(f"§ {paragraph.number}. {label}".rstrip() if index == 0 else label)
    return labels


def render_html(draft: ProgramDraft) -> str:
    """The draft as one self-contained HTML page (``templates/program/program.html.j2``)."""
    folder = Path(str(resources.files("wkus_lib") / "templates" / "program"))
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder), autoescape=True,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
    )
    environment.globals["text_runs"] = text_runs
    environment.globals["provision_labels"] = provision_labels
    environment.globals["zip"] = zip
    environment.tests["table"] = lambda block: isinstance(block, Table)
    return environment.get_template("program.html.j2").render(draft=draft)


_DOCX_TEXT_WIDTH_CM: Final = 16.0
_DOCX_FIXED_TIME: Final = (2000, 1, 1, 0, 0, 0)


def render_docx(draft: ProgramDraft) -> bytes:
    """The draft as a Word document (python-docx): A4, real heading styles, § numbering,
    tables with repeated header rows, placeholders highlighted. Identical drafts give
    identical bytes."""
    document = docx.Document()
    _docx_page_and_styles(document)
    properties = document.core_properties
    properties.title = draft.title
    properties.subject = "Projekt wieloletniego programu współpracy"
    properties.author = "wkus"
    properties.last_modified_by = "wkus"
    properties.language = "pl-PL"
    properties.keywords = f"program współpracy; {draft.gmina.name}; {draft.gmina.teryt}"
    properties.created = properties.modified = datetime(draft.first_year - 1, 1, 1, tzinfo=UTC)
    properties.revision = 1

    header = document.sections[0].header.paragraphs[0]
    header.text = ("DANE SYNTETYCZNE — projekt demonstracyjny" if draft.synthetic
                   else "PROJEKT — do edycji")
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _docx_page_number(document.sections[0].footer.paragraphs[0])

    annex = document.add_paragraph()
    annex.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _docx_runs(annex, draft.annex_line, size=Pt(9))
    for note in draft.notes:
        synthetic = note.startswith("DANE SYNTETYCZNE")
        _docx_runs(document.add_paragraph(), note, bold=synthetic, italic=not synthetic,
                   colour=RGBColor(0x9C, 0x00, 0x18) if synthetic else None)
    document.add_paragraph(draft.title, style="Title")

    for section in draft.sections:
        document.add_heading(section.heading, level=1)
        for block in section.blocks:
            if isinstance(block, Table):
                _docx_table(document, block)
            else:
                _docx_paragraph(document, block)
    sink = io.BytesIO()
    document.save(sink)
    return _normalised_zip(sink.getvalue())


def _docx_page_and_styles(document: DocxDocument) -> None:
    """A4 with 2,5 cm margins; compact heading sizes; Polish as the proofing language."""
    page = document.sections[0]
    page.page_width, page.page_height = Cm(21.0), Cm(29.7)
    page.left_margin = page.right_margin = Cm(2.5)
    page.top_margin = page.bottom_margin = Cm(2.5)
    styles = document.styles
    styles["Normal"].font.size = Pt(11)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    styles["Title"].font.size = Pt(18)
    styles["Heading 1"].font.size = Pt(13)
    run_defaults = styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if run_defaults is not None:
        language = run_defaults.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            run_defaults.append(language)
        language.set(qn("w:val"), "pl-PL")


def _docx_page_number(paragraph: DocxParagraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph._p.append(field)


def _docx_paragraph(document: DocxDocument, block: Paragraph) -> None:
    """A „§”: its label in bold, ustępy numbered, points hanging below them."""
    for provision, label in zip(block.provisions, provision_labels(block), strict=True):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Cm(0.6)
        if label:
            paragraph.add_run(label + " ").bold = label.startswith("§")
        _docx_runs(paragraph, provision.text)
        for number, point in enumerate(provision.points, start=1):
            item = document.add_paragraph()
            item.paragraph_format.left_indent = Cm(1.2)
            item.paragraph_format.first_line_indent = Cm(-0.6)
            end = ";" if number < len(provision.points) else "."
            _docx_runs(item, f"{number}) {point}{end}")


def _docx_runs(paragraph: DocxParagraph, text: str, *, bold: bool = False,
               italic: bool = False, size: Length | None = None,
               colour: RGBColor | None = None) -> None:
    """Add ``text`` to ``paragraph``: placeholders bold on a yellow highlight, ``\\n`` a line
    break."""
    for piece, gap in text_runs(text):
        lines = piece.split("\n")
        for number, line in enumerate(lines, start=1):
            run = paragraph.add_run(line)
            if bold or gap:
                run.bold = True
            if italic:
                run.italic = True
            if size is not None:
                run.font.size = size
            if colour is not None:
                run.font.color.rgb = colour
            if gap:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            if number < len(lines):
                run.add_break()


def _docx_table(document: DocxDocument, table: Table) -> None:
    """A captioned grid: shaded header row repeated on every page, numbers right-aligned."""
    caption = document.add_paragraph(style="Caption")
    caption.paragraph_format.keep_with_next = True
    caption.add_run(table.caption)
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Cm(_DOCX_TEXT_WIDTH_CM * share) for share in table.widths]
    for column, width in zip(grid.columns, widths, strict=True):
        column.width = width
    header_row = grid.rows[0]
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(repeat)
    for values in (table.header, *table.rows):
        is_header = values is table.header
        cells = header_row.cells if is_header else grid.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            cell.width = widths[column]
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if column in table.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _docx_runs(paragraph, value, bold=is_header or value == "Razem", size=Pt(8.5))
            if is_header:
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:fill"), "E3E8EF")
                cell._tc.get_or_add_tcPr().append(shading)
    document.add_paragraph()


def _normalised_zip(payload: bytes) -> bytes:
    """The same archive with fixed member dates, so identical drafts give identical files."""
    source = zipfile.ZipFile(io.BytesIO(payload))
    sink = io.BytesIO()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=_DOCX_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(member.filename))
    return sink.getvalue()


def program_stem(draft: ProgramDraft) -> str:
    """File name without extension: ``program_wspolpracy_2027-2030``."""
    return f"program_wspolpracy_{draft.first_year}-{draft.last_year}"


def write_program(draft: ProgramDraft, out_dir: Path) -> tuple[Path, Path]:
    """Write ``<out>/<teryt>-<slug>/program_wspolpracy_<years>.{docx,html}`` atomically."""
    folder = out_dir / draft.gmina.slug
    docx_path = folder / f"{program_stem(draft)}.docx"
    html_path = folder / f"{program_stem(draft)}.html"
    atomic_write_bytes(docx_path, render_docx(draft))
    atomic_write_bytes(html_path, render_html(draft).encode("utf-8"))
    return docx_path, html_path
