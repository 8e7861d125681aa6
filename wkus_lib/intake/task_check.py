"""The NGO task report check: each report (contract × year) against its offer and contract.

A task report (sprawozdanie z wykonania zadania publicznego, form of the 2018
regulation, Dz.U. 2018 poz. 2057) enters the store as rows of the finance,
contributions, results and beneficiaries tables. :func:`check_task_reports`
lists, in Polish, what an official should ask the NGO about:

- costs (``finance``): a line without the amount spent; a cost category whose
  actual total exceeds the offer's plan, or a funding source other than the
  grant whose actual total falls below it, by more than
  ``settings.task_report.cost_shift_pct`` % (a catalogue setting: each contract
  states its own share of allowed shifts); the grant spent above the amount
  granted (any amount);
- contributions (``contributions``): a personal contribution whose value is not
  volunteer hours × hourly rate (within ``settings.data_quality.contribution_tolerance``
  zł), or whose hours or rate are missing, so its value cannot be checked;
- results (``results``): a result without the achieved level, a result below
  its planned level by more than ``settings.task_report.result_shortfall_pct`` %
  (a setting too);
- a multi-year task: a year of the contract before the last reported one with
  no report, a result of an earlier year missing from a later one;
- a report with no rows in one of the tables: the missing part, named.

The store has no column for how a result was measured, the contribution the
offer declared, or a report's own cumulative totals (they are computed from the
yearly rows, so they add up by construction); :data:`NOT_CHECKED` says so once
wherever the findings are shown. Findings are data, never exceptions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Final, Literal

import pandas as pd

from wkus_lib.catalog import Settings, load_catalog
from wkus_lib.domain import MULTI_YEAR
from wkus_lib.text.numbers import format_money, format_number
from wkus_lib.text.plural import count_phrase

if TYPE_CHECKING:
    from wkus_lib.store import Store

FindingKind = Literal["rozbieżność", "brak danych"]

FINDING_COLUMNS: Final = ["teryt", "contract_id", "year", "table", "line", "kind",
                          "planned", "reported", "message", "question", "issue"]
REPORT_TABLES: Final = ("finance", "contributions", "results", "beneficiaries")
IMPORT_TABLES: Final = ("finance", "contributions", "results")  # an import touching them
TABLE_NAMES: Final = {
    "finance": "zestawienie kosztów",
    "contributions": "wkład osobowy i rzeczowy",
    "results": "rezultaty",
    "beneficiaries": "odbiorcy",
}
CATEGORY_NAMES: Final = {"dzialania": "koszty realizacji działań",
                         "administracyjne": "koszty administracyjne"}
SOURCE_NAMES: Final = {
    "dotacja": "dotacja",
    "srodki_wlasne": "środki własne",
    "swiadczenia_odbiorcow": "świadczenia pieniężne od odbiorców",
    "inne_publiczne": "inne środki publiczne",
    "inne": "pozostałe źródła",
}
NOT_CHECKED: Final = (
    "Czego magazyn nie zawiera, więc kontrola tego nie sprawdza: sposobu pomiaru rezultatów "
    "[brak informacji o sposobie pomiaru] — zapytaj organizację, jak zmierzyła każdy "
    "rezultat i czy jest trwały; wkładu osobowego i rzeczowego zadeklarowanego w ofercie "
    "(porównaj z ofertą ręcznie); kolumn narastających sprawozdania z zadania wieloletniego "
    "(sumy narastające liczone są z danych rocznych).")
ISSUE_NAMES: Final = {
    "cost_not_reported": "koszt bez kwoty poniesionej",
    "grant_overspent": "dotacja wydana ponad przyznaną kwotę",
    "cost_not_planned": "koszty nieplanowane w ofercie",
    "category_over_plan": "kategoria kosztów ponad plan",
    "own_funds_below_offer": "wkład finansowy z innego źródła niż dotacja poniżej oferty",
    "contribution_unpriced": "wkład osobowy bez godzin albo stawki",
    "contribution_mismatch": "wkład osobowy różny od godzin × stawki",
    "result_not_reported": "rezultat bez osiągniętej wartości",
    "result_shortfall": "rezultat poniżej planu",
    "year_not_reported": "zadanie wieloletnie bez sprawozdania za rok",
    "result_dropped": "rezultat, który zniknął w kolejnym roku",
    "part_missing": "brakująca część sprawozdania",
}
"""The kinds of finding, in the order the summary lists them (:func:`findings_summary`)."""
MONEY_TOLERANCE: Final = 0.005


@dataclass(frozen=True)
class Finding:
    """One thing to ask the NGO about one report."""

    teryt: str
    contract_id: str
    year: int
    table: str
    line: str
    kind: FindingKind
    planned: float | None
    reported: float | None
    message: str
    question: str
    issue: str
    """A key of :data:`ISSUE_NAMES`."""


def _money(value: float) -> str:
    return format_money(value, 2)


def _amount(value: float) -> str:
    """A result level: whole numbers without decimals, others with one."""
    return format_number(value, 0 if float(value).is_integer() else 1)


def _finance_findings(teryt: str, contract_id: str, year: int, lines: pd.DataFrame,
                      shift_pct: float) -> list[Finding]:
    found: list[Finding] = []

    def add(issue: str, line: str, kind: FindingKind, planned: float | None,
            reported: float | None, message: str, question: str) -> None:
        found.append(Finding(teryt, contract_id, year, "finance", line, kind, planned,
                             reported, message, question, issue))

    for row in lines[lines["actual"].isna()].itertuples():
        line = f"{CATEGORY_NAMES.get(row.category, row.category)} — " \
               f"{SOURCE_NAMES.get(row.source, row.source)}"
        add("cost_not_reported", line, "brak danych", float(row.planned), None,
            f"planowano {_money(row.planned)}, nie podano kosztu poniesionego",
            "Ile wydano w tej pozycji? Uzupełnij koszt poniesiony.")
    known = lines.dropna(subset=["actual"])
    for column, names in (("category", CATEGORY_NAMES), ("source", SOURCE_NAMES)):
        totals = known.groupby(column)[["planned", "actual"]].sum()
        for key, total in totals.iterrows():
            planned, actual = float(total["planned"]), float(total["actual"])
            label = names.get(str(key), str(key))
            line = f"razem: {label}"
            if key == "dotacja" and actual > planned + MONEY_TOLERANCE:
                add("grant_overspent", line, "rozbieżność", planned, actual,
                    f"wydano z dotacji {_money(actual)}, a przyznano w planie "
                    f"{_money(planned)} (więcej o {_money(actual - planned)})",
                    "Skąd wydatki z dotacji ponad przyznaną kwotę? Nadwyżka nie może być "
                    "pokryta z dotacji — poproś o korektę sprawozdania.")
                continue
            if planned <= MONEY_TOLERANCE:
                if actual > MONEY_TOLERANCE:
                    add("cost_not_planned", line, "rozbieżność", planned, actual,
                        f"w ofercie nie planowano kosztów, poniesiono {_money(actual)}",
                        "Dlaczego poniesiono koszty nieplanowane w ofercie i czy zmieniono "
                        "umowę (aneks)?")
                continue
            change = (actual - planned) / planned * 100
            allowed = format_number(shift_pct, 1, unit="%")
            if column == "category" and change > shift_pct:
                add("category_over_plan", line, "rozbieżność", planned, actual,
                    f"planowano {_money(planned)}, poniesiono {_money(actual)} "
                    f"({format_number(change, 1, unit='%')} więcej; dopuszczalne "
                    f"zwiększenie w ustawieniach: {allowed})",
                    "Czym organizacja uzasadnia zwiększenie kosztów tej kategorii i czy "
                    "umowa dopuszcza przesunięcie tej wielkości?")
            elif column == "source" and key != "dotacja" and change < -shift_pct:
                add("own_funds_below_offer", line, "rozbieżność", planned, actual,
                    f"w ofercie {_money(planned)}, w sprawozdaniu {_money(actual)} "
                    f"({format_number(-change, 1, unit='%')} mniej; dopuszczalne "
                    f"zmniejszenie w ustawieniach: {allowed})",
                    "Dlaczego wkład finansowy z tego źródła jest mniejszy niż w ofercie i "
                    "czy umowa pozwala zmniejszyć wkład własny?")
    return found


def _contribution_findings(teryt: str, contract_id: str, year: int, rows: pd.DataFrame,
                           tolerance: float) -> list[Finding]:
    found: list[Finding] = []
    for row in rows[rows["kind"] == "osobowy"].itertuples():
        hours, rate, value = row.volunteer_hours, row.hourly_rate, float(row.value)
        if pd.isna(hours) or pd.isna(rate):
            found.append(Finding(
                teryt, contract_id, year, "contributions", "wkład osobowy", "brak danych",
                None, value,
                f"wkład osobowy {_money(value)} bez liczby godzin albo stawki za godzinę, "
                "wyceny nie można sprawdzić",
                "Ile godzin przepracowali wolontariusze i członkowie, po jakiej stawce?",
                "contribution_unpriced"))
            continue
        expected = float(hours) * float(rate)
        if abs(value - expected) > tolerance:
            found.append(Finding(
                teryt, contract_id, year, "contributions", "wkład osobowy", "rozbieżność",
                expected, value,
                f"{format_number(float(hours), 1)} h × {_money(float(rate))}/h = "
                f"{_money(expected)}, a wykazano {_money(value)} "
                f"(różnica {_money(abs(value - expected))})",
                "Która liczba jest prawidłowa: godziny, stawka czy wartość wkładu?",
                "contribution_mismatch"))
    return found


def _result_findings(teryt: str, contract_id: str, year: int, rows: pd.DataFrame,
                     shortfall_pct: float) -> list[Finding]:
    found: list[Finding] = []
    for row in rows.itertuples():
        line = f"{row.result_id}: {row.name}"
        target = float(row.target)
        if pd.isna(row.achieved):
            found.append(Finding(
                teryt, contract_id, year, "results", line, "brak danych", target, None,
                f"planowany poziom {_amount(target)} (jednostka: {row.unit}), nie podano "
                "osiągniętego",
                "Jaki poziom rezultatu osiągnięto i jak go zmierzono?", "result_not_reported"))
        elif float(row.achieved) < target * (1 - shortfall_pct / 100):
            achieved = float(row.achieved)
            found.append(Finding(
                teryt, contract_id, year, "results", line, "rozbieżność", target, achieved,
                f"planowany poziom {_amount(target)}, osiągnięty {_amount(achieved)} "
                f"(jednostka: {row.unit}; {format_number(achieved / target * 100, 1)} "
                f"% planu; dopuszczalny niedobór w ustawieniach: "
                f"{format_number(shortfall_pct, 1, unit='%')})",
                "Dlaczego rezultatu nie osiągnięto w pełni, jak go zmierzono i czy umowa "
                "przewiduje zwrot części dotacji?", "result_shortfall"))
    return found


def _missing_part(teryt: str, contract_id: str, year: int, table: str) -> Finding:
    asks = {
        "finance": "Dołącz zestawienie kosztów (planowane i poniesione, według źródeł).",
        "contributions": "Czy organizacja wniosła wkład osobowy lub rzeczowy? Jeśli tak, "
                         "dołącz jego wycenę.",
        "results": "Dołącz tabelę rezultatów: planowany i osiągnięty poziom, sposób pomiaru.",
        "beneficiaries": "Ilu odbiorców objęło zadanie? Dołącz dane o odbiorcach.",
    }
    return Finding(teryt, contract_id, year, table, "cała tabela", "brak danych", None, None,
                   f"w sprawozdaniu nie ma części „{TABLE_NAMES[table]}”",
                   asks[table], "part_missing")


def _multi_year_findings(contract: pd.Series, reported: Iterable[int],
                         results: pd.DataFrame) -> list[Finding]:
    teryt, contract_id = str(contract["teryt"]), str(contract["contract_id"])
    years = sorted(set(reported))
    found: list[Finding] = []
    if not years:
        return found
    last = years[-1]
    for year in range(int(contract["start_year"]), last):
        if year not in years:
            found.append(Finding(
                teryt, contract_id, year, "finance", "cała tabela", "brak danych", None, None,
                f"zadanie wieloletnie ({int(contract['start_year'])}–"
                f"{int(contract['end_year'])}) nie ma sprawozdania za rok {year}, "
                f"choć ma za rok {last}",
                f"Dołącz sprawozdanie za rok {year} — bez niego sumy narastające są "
                "niepełne.", "year_not_reported"))
    by_year = {int(y): set(rows["result_id"]) for y, rows in results.groupby("year")}
    seen: set[str] = set()
    for year in sorted(by_year):
        dropped = sorted(seen - by_year[year])
        if dropped:
            count = count_phrase(len(dropped), "rezultat", "rezultaty", "rezultatów")
            found.append(Finding(
                teryt, contract_id, year, "results", ", ".join(dropped), "rozbieżność",
                None, None,
                f"zadanie wieloletnie: {count} z wcześniejszych lat "
                f"({', '.join(dropped)}) nie ma w sprawozdaniu za rok {year}",
                "Czy rezultat zrealizowano wcześniej, czy zmieniono umowę? Sprawozdanie "
                "wieloletnie podaje rezultaty narastająco.", "result_dropped"))
        seen |= by_year[year]
    return found


def check_task_reports(store: Store, teryt: str | None = None, year: int | None = None,
                       settings: Settings | None = None) -> pd.DataFrame:
    """Every finding of every task report (contract × year) in ``store``, optionally of one
    gmina and one year, as rows of :data:`FINDING_COLUMNS`, sorted by gmina, contract,
    year, table. An empty frame means nothing to ask. Thresholds from ``settings``
    (default: the catalogue's)."""
    settings = settings or load_catalog().settings
    contracts = store.contracts
    if teryt is not None:
        contracts = contracts[contracts["teryt"] == teryt]
    tables = {name: getattr(store, name) for name in REPORT_TABLES}
    tables = {name: frame[frame["contract_id"].isin(contracts["contract_id"])]
              for name, frame in tables.items()}
    by_contract = {name: dict(tuple(frame.groupby("contract_id", sort=False)))
                   for name, frame in tables.items()}
    findings: list[Finding] = []
    for contract in contracts.to_dict("records"):
        cid, code = str(contract["contract_id"]), str(contract["teryt"])
        own = {name: groups.get(cid, tables[name].iloc[0:0])
               for name, groups in by_contract.items()}
        reported = sorted({int(y) for frame in own.values() for y in frame["year"]})
        if contract["mode"] == MULTI_YEAR:
            findings += [f for f in _multi_year_findings(pd.Series(contract), reported,
                                                         own["results"])
                         if year is None or f.year == year]
        for report_year in reported:
            if year is not None and report_year != year:
                continue
            rows = {name: frame[frame["year"] == report_year] for name, frame in own.items()}
            for name, frame in rows.items():
                if frame.empty:
                    findings.append(_missing_part(code, cid, report_year, name))
            findings += _finance_findings(code, cid, report_year, rows["finance"],
                                          settings.task_report.cost_shift_pct)
            findings += _contribution_findings(
                code, cid, report_year, rows["contributions"],
                settings.data_quality.contribution_tolerance)
            findings += _result_findings(code, cid, report_year, rows["results"],
                                         settings.task_report.result_shortfall_pct)
    frame = pd.DataFrame([asdict(f) for f in findings], columns=FINDING_COLUMNS)
    order = {name: i for i, name in enumerate(REPORT_TABLES)}
    frame["year"] = frame["year"].astype("int64")
    return (frame.assign(_order=frame["table"].map(order))
            .sort_values(["teryt", "contract_id", "year", "_order"], kind="stable")
            .drop(columns="_order").reset_index(drop=True))


def findings_after_import(tables: Mapping[str, pd.DataFrame],
                          changes: Iterable[tuple[str, Mapping[str, object]]]) -> list[str]:
    """The Polish lines of the import report: every finding of each contract whose
    finance, contributions or results rows the import added, changed or removed.

    ``tables`` is the store after the import (table name → frame); ``changes`` are
    (table, key) pairs of the import's changes."""
    touched = {str(key.get("contract_id")) for table, key in changes
               if table in IMPORT_TABLES}
    if not touched:
        return []
    from wkus_lib.store import Store

    contracts = tables["contracts"]
    store = Store(**{**dict(tables),
                     "contracts": contracts[contracts["contract_id"].isin(touched)]})
    findings = check_task_reports(store)
    heading = f"Sprawozdania z wykonania zadań (umowy z tego importu): {reports_summary(findings)}"
    return [heading, *findings_text(findings)]


def report_label(contract_id: str, year: int) -> str:
    """How a report is named in text: ``umowa K-1, sprawozdanie za 2024``."""
    return f"umowa {contract_id}, sprawozdanie za {year}"


def reports_summary(findings: pd.DataFrame) -> str:
    """One Polish line: how many reports have discrepancies or missing parts, or none."""
    if findings.empty:
        return "bez rozbieżności względem oferty i umowy."
    reports = findings.drop_duplicates(["contract_id", "year"])
    odd = findings[findings["kind"] == "rozbieżność"].drop_duplicates(["contract_id", "year"])
    return (f"{count_phrase(len(reports), 'sprawozdanie', 'sprawozdania', 'sprawozdań')} "
            f"z uwagami, w tym {len(odd)} z rozbieżnościami względem oferty i umowy.")


def findings_summary(findings: pd.DataFrame, gmina_names: Mapping[str, str] | None = None,
                     *, most: int = 3) -> list[str]:
    """Polish lines that summarise ``findings`` before (or instead of) the full list: the
    findings per kind and how many reports have them, the reports by their number of
    findings, the findings per gmina (named by ``gmina_names``), and the ``most`` reports
    with the most findings. No lines when there are no findings."""
    if findings.empty:
        return []
    names = gmina_names or {}
    lines = [f"Uwagi według rodzaju ({_findings(len(findings))}):"]
    found = findings.groupby("issue").size()
    reports = findings.drop_duplicates(["issue", "contract_id", "year"]).groupby("issue").size()
    order = {issue: position for position, issue in enumerate(ISSUE_NAMES)}
    for issue in sorted(found.index, key=lambda issue: (-int(found[issue]), order[issue])):
        in_reports = count_phrase(int(reports[issue]), "sprawozdaniu", "sprawozdaniach",
                                  "sprawozdaniach")
        lines.append(f"  {ISSUE_NAMES[issue]}: {_findings(int(found[issue]))} w {in_reports}")
    per_report = findings.groupby(["contract_id", "year"], sort=False).size()
    spread = per_report.value_counts().sort_index()
    lines.append("Sprawozdania według liczby uwag: " + "; ".join(
        f"{count_phrase(int(with_size), 'sprawozdanie', 'sprawozdania', 'sprawozdań')} z "
        f"{count_phrase(int(size), 'uwagą', 'uwagami', 'uwagami')}"
        for size, with_size in spread.items()) + ".")
    if findings["teryt"].nunique() > 1:
        lines.append("Według gminy:")
        for teryt, rows in findings.groupby("teryt", sort=True):
            name = f"{names[str(teryt)]} ({teryt})" if str(teryt) in names else str(teryt)
            own = len(rows.drop_duplicates(["contract_id", "year"]))
            lines.append(f"  {name}: "
                         f"{count_phrase(own, 'sprawozdanie', 'sprawozdania', 'sprawozdań')}"
                         f", {_findings(len(rows))}")
    top = per_report.sort_values(ascending=False, kind="stable").head(most)
    lines.append("Najwięcej uwag: " + "; ".join(
        f"{report_label(str(contract_id), int(year))} ({_findings(int(size))})"
        for (contract_id, year), size in top.items()) + ".")
    return lines


def _findings(count: int) -> str:
    return count_phrase(count, "uwaga", "uwagi", "uwag")


def findings_text(findings: pd.DataFrame) -> list[str]:
    """Polish lines, one block per report: the report, then each finding and its question."""
    lines: list[str] = []
    for (contract_id, year), rows in findings.groupby(["contract_id", "year"], sort=False):
        lines.append(f"{report_label(str(contract_id), int(year))}: {_findings(len(rows))}")
        for row in rows.itertuples():
            lines.append(f"  {row.kind} — {TABLE_NAMES[row.table]}, {row.line}: {row.message}")
            lines.append(f"    zapytaj: {row.question}")
    return lines
