"""The legal calendar: which documents a gmina owes when, and which the workbench can write.

Recurring documents of the gmina (each shown at its last deadline before
``today`` and its next one from ``today`` on):

- sprawozdanie z realizacji programu współpracy za rok R — to the council by
  31 May of R+1, then published in BIP (art. 5a ust. 3 UDPP);
- roczny program współpracy na rok R+1 — adopted by 30 November of R
  (art. 5a ust. 1 UDPP; its "sposób oceny realizacji programu": ust. 4 pkt 9);
- ocena zasobów pomocy społecznej za rok R — to the council by 30 April of R+1
  (art. 16a ust. 4 UPS).

Per contract: the NGO's task report (sprawozdanie końcowe z wykonania zadania
publicznego, art. 18 UDPP, form of Dz.U. 2018 poz. 2057) within 30 days of
the end of the task. The store holds years, not dates, so a task is taken to
end on 31 December of its ``end_year``; reports due within a year either side
of ``today`` are listed. Such a report is "w magazynie" once the store holds
the contract's costs spent in its last year; its command is then ``wkus check``,
which compares the report with the offer and the contract.

:func:`legal_calendar` is pure: ``today`` comes from the caller (the CLI edge),
so outputs built from it are reproducible in tests.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Final, Literal

import pandas as pd

from wkus_lib.store import Store

Status = Literal["due", "passed", "overdue", "done"]
STATUS_LABELS: Final[dict[str, str]] = {
    "due": "nadchodzi",
    "passed": "termin minął — sprawdź, czy dokument przyjęto",
    "overdue": "po terminie — brak sprawozdania w magazynie",
    "done": "w magazynie",
}
UDPP: Final = "ustawy o działalności pożytku publicznego i o wolontariacie"
UPS: Final = "ustawy o pomocy społecznej"
NGO_REPORT_DAYS: Final = 30
NGO_REPORT_WINDOW: Final = timedelta(days=365)
SOCIAL_ASSISTANCE_AREA: Final = "pomoc_spoleczna"


@dataclass(frozen=True)
class Deadline:
    """One document due on one date."""

    due: date
    document: str
    legal_basis: str
    command: str | None
    status: Status

    @property
    def status_label(self) -> str:
        """The status in Polish."""
        return STATUS_LABELS[self.status]

    @property
    def due_text(self) -> str:
        """``31.05.2026`` — the Polish date format."""
        return self.due.strftime("%d.%m.%Y")


@dataclass(frozen=True)
class _Recurring:
    month: int
    day: int
    year_offset: int
    """The year the document is about, relative to the deadline's year."""


_PROGRAMME_REPORT: Final = _Recurring(5, 31, -1)
_PROGRAMME: Final = _Recurring(11, 30, +1)
_OZPS: Final = _Recurring(4, 30, -1)


def _occurrences(rule: _Recurring, today: date) -> tuple[date, date]:
    """The last deadline before ``today`` and the next one on or after it."""
    this_year = date(today.year, rule.month, rule.day)
    if this_year >= today:
        return date(today.year - 1, rule.month, rule.day), this_year
    return this_year, date(today.year + 1, rule.month, rule.day)


def _years_with_contracts(contracts: pd.DataFrame, area: str | None = None) -> set[int]:
    rows = contracts if area is None else contracts[contracts["area"] == area]
    years: set[int] = set()
    for start, end in zip(rows["start_year"], rows["end_year"], strict=True):
        years.update(range(int(start), int(end) + 1))
    return years


def legal_calendar(store: Store, teryt: str, today: date) -> list[Deadline]:
    """The gmina's deadlines around ``today``, by date: the documents, their legal basis,
    the ``wkus`` command that writes them from the store (None when the store has no
    data for it or the workbench does not write it) and their status."""
    view = store.for_gmina(teryt)
    contracts = view.contracts
    years = _years_with_contracts(contracts)
    social_years = _years_with_contracts(contracts, SOCIAL_ASSISTANCE_AREA)
    deadlines: list[Deadline] = []
    for due in _occurrences(_PROGRAMME_REPORT, today):
        year = due.year + _PROGRAMME_REPORT.year_offset
        deadlines.append(Deadline(
            due, f"Sprawozdanie z realizacji programu współpracy za {year} r. (do rady, "
                 "potem w BIP)", f"art. 5a ust. 3 {UDPP}",
            f"wkus sprawozdanie --gmina {teryt} --year {year}" if year in years else None,
            _gmina_status(due, today)))
    for due in _occurrences(_PROGRAMME, today):
        year = due.year + _PROGRAMME.year_offset
        deadlines.append(Deadline(
            due, f"Program współpracy z organizacjami pozarządowymi na {year} r. (uchwała rady)",
            f"art. 5a ust. 1 i ust. 4 pkt 9 {UDPP}",
            f"wkus program --gmina {teryt} --years {year}-{year + 3}" if years else None,
            _gmina_status(due, today)))
    for due in _occurrences(_OZPS, today):
        year = due.year + _OZPS.year_offset
        deadlines.append(Deadline(
            due, f"Ocena zasobów pomocy społecznej za {year} r. (do rady)",
            f"art. 16a ust. 4 {UPS}",
            f"wkus ozps --gmina {teryt} --year {year}"
            if social_years & {year - 2, year - 1, year, year + 1} else None,
            _gmina_status(due, today)))
    deadlines.extend(_ngo_reports(view, today))
    return sorted(deadlines, key=lambda d: (d.due, d.document))


def _gmina_status(due: date, today: date) -> Status:
    return "due" if due >= today else "passed"


def _ngo_reports(view: Store, today: date) -> list[Deadline]:
    spent = view.finance.dropna(subset=["actual"])
    reported = set(zip(spent["contract_id"], spent["year"].astype(int), strict=True))
    deadlines: list[Deadline] = []
    for row in view.contracts.sort_values("contract_id").itertuples(index=False):
        end_year = int(row.end_year)
        due = date(end_year, 12, 31) + timedelta(days=NGO_REPORT_DAYS)
        if abs(due - today) > NGO_REPORT_WINDOW:
            continue
        if (row.contract_id, end_year) in reported:
            status: Status = "done"
        else:
            status = "due" if due >= today else "overdue"
        deadlines.append(Deadline(
            due, f"Sprawozdanie końcowe z wykonania zadania „{row.title}” "
                 f"({row.ngo_name}, umowa {row.contract_id})",
            f"art. 18 {UDPP}; wzór: Dz.U. 2018 poz. 2057",
            f"wkus check --gmina {row.teryt} --year {end_year}" if status == "done" else None,
            status))
    return deadlines


def manifest_calendars(manifest: Mapping[str, Any], today: date) -> dict[str, list[Deadline]]:
    """Each gmina's calendar for the reports index, keyed by TERYT code, from the stores
    the manifest's reports were built from. A store that can no longer be read gives no
    calendar (the index must still be written)."""
    from wkus_lib.errors import WkusError
    from wkus_lib.store import read_store

    stores: dict[str, set[str]] = {}
    for entry in (manifest.get("reports") or {}).values():
        params = entry.get("parameters") or {}
        teryt, store_dir = params.get("teryt"), params.get("store_dir")
        if isinstance(teryt, str) and isinstance(store_dir, str):
            stores.setdefault(store_dir, set()).add(teryt)
    calendars: dict[str, list[Deadline]] = {}
    for store_dir in sorted(stores):
        try:
            store = read_store(Path(store_dir))
        except (WkusError, OSError):
            continue
        for teryt in sorted(stores[store_dir]):
            calendars.setdefault(teryt, legal_calendar(store, teryt, today))
    return calendars
