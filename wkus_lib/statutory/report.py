"""The annual report on the cooperation programme (art. 5a ust. 3 UDPP), as data.

:func:`build_programme_report` reads one gmina's rows of the store
(:meth:`Store.for_gmina`) and the indicator catalogue and returns a
:class:`ProgrammeReport`: sections of paragraphs and tables for year ``Y``
with the ``Y−1`` columns beside them. Every number comes from the store;
what the store cannot hold (contests announced, offers received, the
narrative) is written as :data:`PLACEHOLDER`, and tables the gmina has no
rows in give a note of what to add (:attr:`ProgrammeReport.gaps`).

:func:`evaluation_chapter` is the "sposób oceny realizacji programu" of next
year's programme (art. 5a ust. 4 pkt 9): the indicators with year ``Y``'s
values as baselines and the catalogue's targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import pandas as pd

from wkus_lib.catalog import Catalog
from wkus_lib.domain import ANNUAL_GRANT, AREA_NAMES, MULTI_YEAR, Gmina
from wkus_lib.errors import ParameterError
from wkus_lib.evaluation.data_gaps import gap_message, table_label
from wkus_lib.evaluation.indicators import IndicatorInputs, indicator_table
from wkus_lib.metrics import cooperation
from wkus_lib.report.context import format_indicator_value
from wkus_lib.report.style import STATUS_LABELS
from wkus_lib.schemas import FUNDING_SOURCES
from wkus_lib.store import Store
from wkus_lib.text.numbers import MISSING, format_number
from wkus_lib.text.plural import count_phrase

PLACEHOLDER: Final = "[do uzupełnienia]"
"""Marks every part the office writes or fills in by hand."""
SUPPRESSED: Final = "ukryto (za mało odpowiedzi)"
"""A survey value from fewer respondents than the catalogue's threshold."""
COOPERATION_IDS: Final = ("W1", "W2", "W3", "W4", "W5", "W6", "WC", "WGAP")
"""The cooperation index, its parts and the JST–NGO perception gap."""
MODE_LABELS: Final = {MULTI_YEAR: "kontrakty wieloletnie", ANNUAL_GRANT: "dotacje roczne"}
SOURCE_LABELS: Final = {
    "dotacja": "dotacja (przyznana przez gminę)",
    "srodki_wlasne": "środki własne organizacji",
    "swiadczenia_odbiorcow": "świadczenia pieniężne odbiorców",
    "inne_publiczne": "inne środki publiczne",
    "inne": "pozostałe źródła",
}
CONTRIBUTION_LABELS: Final = {"osobowy": "wkład osobowy", "rzeczowy": "wkład rzeczowy"}
COMPARISON_CAVEATS: Final = (
    ("Porównanie obejmuje tylko obszary, w których gmina przeszła z dotacji rocznych na "
    "kontrakt wieloletni; koszty są w cenach stałych (wskaźnik cen usług GUS)."),
    ("Obszar porównawczy to inny obszar tej samej gminy finansowany dotacjami rocznymi w tych "
    "samych latach; bez niego wynik to sama zmiana przed i po."),
    ("To porównanie obserwacyjne, nie dowód przyczynowy: zmiana kosztu mogła mieć też inne "
    "przyczyny (organizacja, liczba odbiorców, zakres usługi)."),
)


@dataclass(frozen=True)
class ReportTable:
    """One table: a title, column headers and rows of shown texts."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ReportSection:
    """A numbered chapter: paragraphs first, then tables."""

    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[ReportTable, ...] = ()


@dataclass(frozen=True)
class ProgrammeReport:
    """The whole report of one gmina for one year."""

    gmina: Gmina
    year: int
    title: str
    sections: tuple[ReportSection, ...]
    gaps: tuple[str, ...]
    synthetic: bool


def money(value: float | None) -> str:
    """Złote with two decimals, Polish separators; missing → "—"."""
    return format_number(value, 2, unit="zł")


def count(value: float) -> str:
    """A whole count with Polish separators."""
    return format_number(value, 0)


def _active(contracts: pd.DataFrame, year: int) -> pd.DataFrame:
    return contracts[(contracts["start_year"] <= year) & (contracts["end_year"] >= year)]


def _contracts_section(store: Store, year: int) -> ReportSection:
    previous = year - 1
    rows: list[tuple[str, ...]] = []
    now, before = _active(store.contracts, year), _active(store.contracts, previous)
    for area in sorted(set(now["area"]) | set(before["area"])):
        cells: list[str] = [AREA_NAMES.get(area, area)]
        for frame in (now, before):
            in_area = frame[frame["area"] == area]
            cells += [count(int((in_area["mode"] == mode).sum())) for mode in MODE_LABELS]
        rows.append(tuple(cells))
    total = ["razem"]
    for frame in (now, before):
        total += [count(int((frame["mode"] == mode).sum())) for mode in MODE_LABELS]
    rows.append(tuple(total))
    new_grants = int(((store.contracts["start_year"] == year)
                      & (store.contracts["mode"] == ANNUAL_GRANT)).sum())
    paragraphs = (
        (f"Zadania priorytetowe realizowane w {year} r.: {PLACEHOLDER} (nazwy zadań z programu "
        "współpracy; tabela niżej podaje umowy według obszarów)."),
        (f"Liczba ogłoszonych otwartych konkursów ofert: {PLACEHOLDER}. Liczba złożonych ofert: "
        f"{PLACEHOLDER}. Magazyn danych nie zawiera tych liczb — wpisz je z rejestru konkursów."),
        f"W {year} r. zawarto {count_phrase(new_grants, 'nową umowę dotacji rocznej', 'nowe umowy dotacji rocznej', 'nowych umów dotacji rocznej')}.",
    )
    columns = ("obszar", *(f"{label} {y}" for y in (year, previous) for label in MODE_LABELS.values()))
    table = ReportTable(f"Umowy realizowane w {year} i {previous} r. według obszaru i trybu",
                        columns, tuple(rows))
    return ReportSection("Zadania priorytetowe, konkursy i umowy", paragraphs, (table,))


def _sum(frame: pd.DataFrame, column: str) -> float:
    return float(frame[column].sum(min_count=1)) if len(frame) else float("nan")


def _finance_section(store: Store, year: int) -> ReportSection:
    previous = year - 1
    finance = store.finance
    rows: list[tuple[str, ...]] = []
    for source in FUNDING_SOURCES:
        cells = [SOURCE_LABELS[source]]
        for y in (year, previous):
            part = finance[(finance["year"] == y) & (finance["source"] == source)]
            cells += [money(_sum(part, "planned")), money(_sum(part, "actual"))]
        rows.append(tuple(cells))
    total = ["razem"]
    for y in (year, previous):
        part = finance[finance["year"] == y]
        total += [money(_sum(part, "planned")), money(_sum(part, "actual"))]
    rows.append(tuple(total))
    by_source = ReportTable(
        f"Koszty zadań według źródła finansowania w {year} i {previous} r.",
        ("źródło", f"planowane {year}", f"poniesione {year}",
         f"planowane {previous}", f"poniesione {previous}"), tuple(rows))
    grants = finance[(finance["source"] == "dotacja") & (finance["year"] == year)]
    grants = grants.merge(store.contracts[["contract_id", "area", "mode"]], on="contract_id")
    area_rows = []
    for (area, mode), part in grants.groupby(["area", "mode"], sort=True):
        area_rows.append((AREA_NAMES.get(area, area), MODE_LABELS[mode],
                          money(_sum(part, "planned")), money(_sum(part, "actual"))))
    by_area = ReportTable(
        f"Dotacje w {year} r. według obszaru i trybu (przyznane i wydane)",
        ("obszar", "tryb", "przyznane", "wydane"), tuple(area_rows))
    contributions = store.contributions
    contribution_rows = []
    for kind, label in CONTRIBUTION_LABELS.items():
        cells = [label]
        for y in (year, previous):
            part = contributions[(contributions["year"] == y) & (contributions["kind"] == kind)]
            cells.append(money(_sum(part, "value")))
        contribution_rows.append(tuple(cells))
    volunteers = contributions[contributions["kind"] == "osobowy"]
    contribution_rows.append((
        "godziny pracy wolontariuszy",
        *(format_number(_sum(volunteers[volunteers["year"] == y], "volunteer_hours"), 0)
          for y in (year, previous))))
    own = ReportTable(
        f"Wkład niefinansowy organizacji w {year} i {previous} r.",
        ("wkład", str(year), str(previous)), tuple(contribution_rows))
    paragraphs = (
        ("Kwoty „planowane” pochodzą z ofert i umów, „poniesione” — ze sprawozdań organizacji. "
        "Wkład własny finansowy to wiersze „środki własne organizacji”, „świadczenia pieniężne "
        "odbiorców”, „inne środki publiczne” i „pozostałe źródła”."),
    )
    return ReportSection("Środki: planowane, przyznane i wydane; wkład własny",
                         paragraphs, (by_source, by_area, own))


def _beneficiaries_section(store: Store, year: int) -> ReportSection:
    previous = year - 1
    people = store.beneficiaries.merge(store.contracts[["contract_id", "area"]], on="contract_id")
    rows = []
    for area in sorted(set(people.loc[people["year"].isin([year, previous]), "area"])):
        cells = [AREA_NAMES.get(area, area)]
        for column in ("clients_served", "service_hours"):
            for y in (year, previous):
                part = people[(people["area"] == area) & (people["year"] == y)]
                cells.append(format_number(_sum(part, column), 0))
        rows.append(tuple(cells))
    beneficiaries = ReportTable(
        f"Odbiorcy i godziny usług w {year} i {previous} r.",
        ("obszar", f"odbiorcy {year}", f"odbiorcy {previous}",
         f"godziny {year}", f"godziny {previous}"), tuple(rows))
    results = store.results.merge(store.contracts[["contract_id", "area"]], on="contract_id")
    results = results[results["year"] == year]
    result_rows = []
    for area, part in results.groupby("area", sort=True):
        reported = part[part["achieved"].notna()]
        result_rows.append((
            AREA_NAMES.get(area, area), count(len(part)),
            count(int((reported["achieved"] >= reported["target"]).sum())),
            count(int((reported["achieved"] < reported["target"]).sum())),
            count(len(part) - len(reported)),
        ))
    achieved = ReportTable(
        f"Rezultaty zadań w {year} r.: planowane a osiągnięte",
        ("obszar", "rezultaty planowane", "osiągnięte w pełni", "osiągnięte częściowo",
         "bez danych w sprawozdaniu"), tuple(result_rows))
    return ReportSection(
        "Odbiorcy i rezultaty",
        (f"Opis najważniejszych efektów dla mieszkańców: {PLACEHOLDER}",),
        (beneficiaries, achieved))


def _checklist_section(store: Store, catalog: Catalog, year: int) -> ReportSection:
    previous = year - 1
    checklist = store.cooperation_checklist
    values = {(row.item_id, int(row.year)): float(row.value) for row in checklist.itertuples()}
    rows = []
    for item in catalog.instruments.cooperation_checklist:
        if item.indicator not in ("W3", "W4") and not item.item_id.startswith(("w3", "w4")):
            continue
        shown = []
        for y in (year, previous):
            value = values.get((item.item_id, y))
            if value is None:
                shown.append(MISSING)
            elif item.kind == "binary":
                shown.append("tak" if value >= 1 else "nie")
            else:
                shown.append(format_number(value, 2))
        rows.append((item.text_pl, *shown))
    paragraphs: list[str] = [
        (f"Formy współpracy pozafinansowej (konsultacje projektów aktów, zespoły wspólne, "
        f"wymiana informacji) — opis: {PLACEHOLDER}"),
    ]
    if not (checklist["year"] == year).any():
        paragraphs.append(f"{PLACEHOLDER} {gap_message('cooperation_checklist', f'za {year} r.')}.")
    table = ReportTable(f"Współpraca finansowa i pozafinansowa według listy kontrolnej "
                        f"({year} i {previous} r.)", ("pozycja", str(year), str(previous)),
                        tuple(rows))
    return ReportSection("Współpraca pozafinansowa", tuple(paragraphs), (table,))


def _indicator_value(table: pd.DataFrame, indicator: str, year: int, area: str | None) -> str:
    rows = table[(table["indicator"] == indicator) & (table["year"] == year)]
    rows = rows[rows["area"].isna() | (rows["area"] == "<NA>")] if area is None \
        else rows[rows["area"] == area]
    if rows.empty:
        return MISSING
    row = rows.iloc[0]
    if bool(row["suppressed"]):
        return SUPPRESSED
    return format_number(row["value"], 1)


def _target(catalog: Catalog, indicator: str) -> str:
    spec = next(s for s in catalog.indicators if s.id == indicator)
    return MISSING if spec.target is None else format_number(spec.target, 1)


def _name(catalog: Catalog, indicator: str) -> str:
    spec = next(s for s in catalog.indicators if s.id == indicator)
    return f"{spec.id} {spec.name_pl} [{spec.unit}]"


def _group_views(inputs: IndicatorInputs, year: int) -> ReportTable:
    catalog, threshold = inputs.catalog, inputs.threshold
    survey = inputs.store.cooperation_survey
    survey = survey[survey["year"] == year]
    rows = []
    if not survey.empty:
        views = {group: cooperation.survey_scores(
                     survey, inputs.cooperation_items, group=group,
                     min_answered=inputs.min_answered, level=inputs.confidence_level)
                 for group in ("jst", "ngo")}
        for indicator in ("W5", "W6"):
            cells = [_name(catalog, indicator)]
            for group in ("jst", "ngo"):
                frame = views[group]
                frame = frame[frame["indicator"] == indicator]
                if frame.empty or pd.isna(frame["value"].iloc[0]):
                    cells.append(MISSING)
                elif int(frame["n"].iloc[0]) < threshold:
                    cells.append(SUPPRESSED)
                else:
                    cells.append(format_number(float(frame["value"].iloc[0]), 1))
            rows.append(tuple(cells))
    return ReportTable(f"Ocena współpracy w {year} r.: urzędnicy (JST) i organizacje (NGO)",
                       ("wskaźnik", "JST", "NGO"), tuple(rows))


def _cooperation_section(inputs: IndicatorInputs, table: pd.DataFrame,
                         year: int) -> ReportSection:
    store, catalog = inputs.store, inputs.catalog
    previous = year - 1
    rows = tuple(
        (_name(catalog, i), _indicator_value(table, i, year, None),
         _indicator_value(table, i, previous, None), _target(catalog, i))
        for i in COOPERATION_IDS if any(s.id == i for s in catalog.indicators))
    index = ReportTable("Indeks współpracy (W1–W6, WC) i luka percepcji (WGAP)",
                        ("wskaźnik", str(year), str(previous), "wartość docelowa"), rows)
    paragraphs = [
        ("WGAP to różnica ocen urzędników i organizacji (punkty 0–100): wartość dodatnia — "
        "urząd ocenia współpracę lepiej niż organizacje."),
        f"Wnioski ze wspólnego spotkania urzędu i organizacji o wynikach: {PLACEHOLDER}",
    ]
    if not (store.cooperation_survey["year"] == year).any():
        paragraphs.append(f"{PLACEHOLDER} {gap_message('cooperation_survey', f'za {year} r.')}.")
    return ReportSection("Ocena współpracy: indeks, urząd i organizacje", tuple(paragraphs),
                         (index, _group_views(inputs, year)))


def _targets_section(catalog: Catalog, table: pd.DataFrame, year: int) -> ReportSection:
    shown = table[table["target"].notna() & ~table["indicator"].isin(COOPERATION_IDS)
                  & (table["area"].notna() & (table["area"] != "<NA>"))]
    # An indicator shared by two stages (on-going, ex post) has the same value in both.
    shown = shown.drop_duplicates(["area", "indicator", "year"])
    previous = {(row.area, row.indicator): row
                for row in shown[shown["year"] == year - 1].itertuples()}
    rows = []
    for row in shown[shown["year"] == year].itertuples():
        # The catalogue unit's precision, as every other report shows the indicator.
        unit = catalog.indicator(row.indicator).unit
        before = previous.get((row.area, row.indicator))
        rows.append((AREA_NAMES.get(row.area, row.area), _name(catalog, row.indicator),
                     _shown_value(row, unit), _shown_value(before, unit),
                     format_indicator_value(row.target, unit),
                     STATUS_LABELS.get(row.status, MISSING)))
    targets = ReportTable(f"Wskaźniki oceny programu w {year} r. a wartości docelowe",
                          ("obszar", "wskaźnik", f"wartość {year}", f"wartość {year - 1}",
                           "wartość docelowa", f"ocena {year}"), tuple(rows))
    return ReportSection("Wskaźniki oceny programu a wartości docelowe", (), (targets,))


def _shown_value(row: Any, unit: str) -> str:
    """An indicator row's value as shown (hidden, or the unit's precision); no row: "—"."""
    if row is None:
        return MISSING
    return SUPPRESSED if row.suppressed else format_indicator_value(row.value, unit)


def _comparison_section(store: Store, catalog: Catalog, table: pd.DataFrame,
                        year: int) -> ReportSection:
    e9 = table[(table["indicator"] == "E9") & (table["year"] == year) & table["value"].notna()]
    rows = tuple((AREA_NAMES.get(r.area, r.area), format_number(r.value, 1, unit="%"))
                 for r in e9.itertuples())
    paragraphs = [
        ("E9: zmiana kosztu jednostkowego po przejściu z dotacji rocznych na kontrakt wieloletni "
        "(wartość ujemna — usługa tańsza na odbiorcę)."),
        *COMPARISON_CAVEATS,
    ]
    contracts = store.contracts
    ended = contracts[(contracts["mode"] == MULTI_YEAR) & (contracts["end_year"] == year)
                      & contracts["area"].isin(e9["area"])]
    unpriced = catalog.price_index.missing(
        y for row in ended.itertuples() for y in range(int(row.start_year), year + 1))
    if rows and unpriced:
        listed = ", ".join(str(y) for y in unpriced)
        paragraphs.append(
            f"Koszty z {listed} r. nie wchodzą do porównania: katalog nie ma jeszcze wskaźnika "
            f"cen usług GUS za {'ten rok' if len(unpriced) == 1 else 'te lata'} (dopisz go w "
            "pliku ceny_gus_cpi.csv kopii katalogu, „wkus catalog”).")
    if not rows:
        paragraphs.insert(0, f"W {year} r. nie zakończył się żaden kontrakt wieloletni, który "
                             "można porównać z wcześniejszymi dotacjami rocznymi obszaru.")
    comparison = ReportTable(f"Kontrakty wieloletnie a dotacje roczne: E9 w {year} r.",
                             ("obszar", "zmiana kosztu jednostkowego (E9)"), rows)
    return ReportSection("Kontrakty wieloletnie a dotacje roczne — co pokazują dane",
                         tuple(paragraphs), (comparison,))


def _baseline(table: pd.DataFrame, indicator: str, year: int) -> str:
    shown = _indicator_value(table, indicator, year, None)
    return PLACEHOLDER if shown == MISSING else shown


def evaluation_chapter(catalog: Catalog, table: pd.DataFrame, year: int) -> ReportTable:
    """Art. 5a ust. 4 pkt 9: the gmina-level indicators with year ``year``'s values as
    baselines and the catalogue's targets as the proposed targets for ``year + 1``.

    ``table`` is :func:`~wkus_lib.evaluation.indicators.compute_indicators` for one gmina. A baseline
    the year's data cannot give (no checklist or survey rows) is :data:`PLACEHOLDER`: the
    office fills it in, and the report's gaps say what to import.
    """
    rows = tuple(
        (_name(catalog, i), _baseline(table, i, year), _target(catalog, i))
        for i in COOPERATION_IDS if any(s.id == i for s in catalog.indicators))
    return ReportTable(
        f"Wskaźniki oceny realizacji programu na {year + 1} r.",
        ("wskaźnik", f"wartość bazowa ({year})", f"wartość docelowa ({year + 1})"), rows)


def gmina_inputs(store: Store, gmina: Gmina, catalog: Catalog) -> IndicatorInputs:
    """The indicator inputs of ``gmina`` alone (its rows of ``store``)."""
    return IndicatorInputs(store=store.for_gmina(gmina.teryt), catalog=catalog,
                           threshold=catalog.settings.suppression.threshold)


def gmina_indicators(inputs: IndicatorInputs, year: int) -> pd.DataFrame:
    """The catalogue's indicators in ``year`` and ``year − 1`` (small cells suppressed)."""
    return indicator_table(inputs, years=[year - 1, year])


def next_programme_evaluation(store: Store, gmina: Gmina, catalog: Catalog,
                              year: int) -> ReportTable:
    """:func:`evaluation_chapter` straight from the store, for ``wkus program``."""
    return evaluation_chapter(catalog, gmina_indicators(gmina_inputs(store, gmina, catalog), year),
                              year)


def _sources_section(store: Store, year: int, version: str) -> ReportSection:
    rows = []
    for name, frame in store.tables().items():
        years = sorted(int(y) for y in frame["year"].unique()) if "year" in frame else []
        if "start_year" in frame and len(frame):
            years = list(range(int(frame["start_year"].min()), int(frame["end_year"].max()) + 1))
        shown = f"{years[0]}–{years[-1]}" if len(years) > 1 else (str(years[0]) if years else MISSING)
        rows.append((table_label(name), count(len(frame)), shown))
    paragraphs = (
        f"Wersja magazynu danych (skrót manifestu): {store.data_hash or MISSING}.",
        f"Oprogramowanie: wkus {version}.",
        (f"Sprawozdanie za {year} r. przygotowano z danych umów, sprawozdań organizacji, "
        "listy kontrolnej i ankiet współpracy zapisanych w magazynie."),
    )
    table = ReportTable("Źródła danych: tabele magazynu, liczba wierszy gminy i lata",
                        ("tabela", "wiersze", "lata"), tuple(rows))
    return ReportSection("Źródła danych i wersja oprogramowania", paragraphs, (table,))


def report_gaps(store: Store, year: int) -> tuple[str, ...]:
    """What is missing for year ``year`` (Polish, one line each)."""
    gaps = []
    for name in ("contracts", "finance", "contributions", "results", "beneficiaries",
                 "cooperation_checklist", "cooperation_survey"):
        frame = getattr(store, name)
        if "year" in frame.columns:
            missing = not (frame["year"] == year).any()
        else:
            missing = _active(frame, year).empty
        if missing:
            gaps.append(gap_message(name, f"za {year} r."))
    return tuple(gaps)


def data_years(store: Store) -> list[int]:
    """The years with any row in ``store`` (contracts count in each year they run)."""
    years: set[int] = set()
    for frame in store.tables().values():
        if "year" in frame.columns:
            years.update(int(y) for y in frame["year"].unique())
    for row in store.contracts.itertuples():
        years.update(range(int(row.start_year), int(row.end_year) + 1))
    return sorted(years)


def _check_year(store: Store, gmina: Gmina, year: int) -> None:
    """A Polish :class:`ParameterError` when the gmina has no data at all, or none in ``year``."""
    years = data_years(store)
    if not years:
        raise ParameterError(
            f"Magazyn nie zawiera żadnych danych gminy {gmina.name} ({gmina.teryt}): "
            "sprawozdanie nie ma z czego powstać. Zaimportuj umowy i sprawozdania gminy "
            "(„wkus import”) albo wybierz inną gminę (--gmina).")
    if year not in years:
        shown = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
        raise ParameterError(
            f"--year {year}: magazyn nie ma danych gminy {gmina.name} z {year} r. "
            f"(dane są z lat {shown}); podaj rok z tego zakresu.")


def build_programme_report(store: Store, gmina: Gmina, catalog: Catalog, year: int,
                           version: str) -> ProgrammeReport:
    """The report for ``gmina`` and ``year`` from the gmina's rows of ``store`` only.

    Raises :class:`ParameterError` (Polish) when the gmina has no rows in ``year``.
    """
    inputs = gmina_inputs(store, gmina, catalog)
    own = inputs.store
    _check_year(own, gmina, year)
    table = gmina_indicators(inputs, year)
    chapter = evaluation_chapter(catalog, table, year)
    sections = (
        ReportSection("Wprowadzenie", (
            (f"Sprawozdanie z realizacji programu współpracy gminy {gmina.name} z organizacjami "
            f"pozarządowymi w {year} r. (art. 5a ust. 3 ustawy o działalności pożytku publicznego "
            "i o wolontariacie), przedkładane radzie gminy do 31 maja i publikowane w BIP."),
            f"Cele programu i sposób jego realizacji: {PLACEHOLDER}",
        )),
        _contracts_section(own, year),
        _finance_section(own, year),
        _beneficiaries_section(own, year),
        _checklist_section(own, catalog, year),
        _cooperation_section(inputs, table, year),
        _targets_section(catalog, table, year),
        _comparison_section(own, catalog, table, year),
        ReportSection("Sposób oceny realizacji programu na kolejny rok",
                      (("Propozycja do rozdziału programu na kolejny rok (art. 5a ust. 4 pkt 9): "
                       "wartości bazowe z tego sprawozdania, wartości docelowe z katalogu "
                       "wskaźników — do przyjęcia lub zmiany przez urząd."),), (chapter,)),
        ReportSection("Wnioski i rekomendacje", (f"Wnioski: {PLACEHOLDER}",
                                                 f"Rekomendacje na kolejny rok: {PLACEHOLDER}")),
        _sources_section(own, year, version),
    )
    return ProgrammeReport(
        gmina=gmina, year=year,
        title=f"Sprawozdanie z realizacji programu współpracy gminy {gmina.name} "
              f"z organizacjami pozarządowymi za {year} r.",
        sections=sections, gaps=report_gaps(own, year), synthetic=store.synthetic)
