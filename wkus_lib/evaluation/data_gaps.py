"""What is missing from the data, named where it would have been shown.

Partial data never stop a command: an indicator without its input table is
simply not computed, a check without its rows is not run. So that nothing is
silently left out, every command says which tables it found empty for the
gminy it worked on, in one form: ``brak danych: <table> (<where>) — dodaj …``
with the entry form that fills the table and the command that loads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import pandas as pd

from wkus_lib.intake.headers import TABLE_TITLES
from wkus_lib.schemas import TABLES
from wkus_lib.store import Store
from wkus_lib.text.i18n import N_
from wkus_lib.text.plural import count_phrase

TABLE_LABELS: Final[dict[str, str]] = {
    "contracts": N_("umowy"),
    "finance": N_("sprawozdanie finansowe (koszty)"),
    "contributions": N_("wkład osobowy i rzeczowy"),
    "results": N_("rezultaty"),
    "beneficiaries": N_("odbiorcy i kadra"),
    "needs": N_("diagnoza potrzeb"),
    "procedure_costs": N_("koszty procedury konkursowej"),
    "survey_responses": N_("ankiety usługowe (klient, personel, samoocena)"),
    "survey_comments": N_("wypowiedzi z ankiet"),
    "standard_checklist": N_("lista kontrolna standardu usługi"),
    "cooperation_checklist": N_("lista kontrolna współpracy"),
    "cooperation_survey": N_("ankieta współpracy"),
}
"""Polish names of the store's tables, as messages about missing data name them
(marked for translation: reports show them through :func:`wkus_lib.text.i18n._`)."""

GAP_PREFIX: Final = "brak danych"


def table_label(name: str) -> str:
    """The Polish name of store table ``name`` (its own name for a table added later)."""
    return TABLE_LABELS.get(name, name)


def empty_tables(store: Store, tables: Iterable[str] | None = None) -> tuple[str, ...]:
    """Store tables (of ``tables``, default all) without a single row, in store order."""
    wanted = set(TABLES) if tables is None else set(tables)
    return tuple(name for name, frame in store.tables().items()
                 if name in wanted and frame.empty)


def gap_message(table: str, where: str = "") -> str:
    """``brak danych: rezultaty (Łapy, 2002063) — dodaj je (formularz „Rezultaty”) …``.

    The same form as the reports' messages (:mod:`wkus_lib.report.missing`): what is
    missing, the entry form that fills it (``wkus templates``) and "import again".

    >>> gap_message("results", "Łapy, 2002063")
    'brak danych: rezultaty (Łapy, 2002063) — dodaj je (formularz „Rezultaty” z „wkus templates”) i zaimportuj ponownie'
    """
    scope = f" ({where})" if where else ""
    form = TABLE_TITLES.get(table)
    source = f" (formularz „{form}” z „wkus templates”)" if form else ""
    return f"{GAP_PREFIX}: {table_label(table)}{scope} — dodaj je{source} i zaimportuj ponownie"


def gap_messages(tables: Sequence[str], where: str = "") -> list[str]:
    """One :func:`gap_message` per table."""
    return [gap_message(table, where) for table in tables]


def store_gaps(store: Store, where: str = "") -> list[str]:
    """:func:`gap_message` for every empty table of ``store`` (e.g. one gmina's view)."""
    return gap_messages(empty_tables(store), where)


def _keyed_tables(store: Store) -> dict[str, pd.DataFrame]:
    """Every table with ``teryt`` (and ``area`` where it has one): contract-level tables
    take both from their contracts, as :meth:`Store.for_gmina` does."""
    keys = store.contracts[["contract_id", "teryt", "area"]]
    keyed = {}
    for name, frame in store.tables().items():
        if name != "contracts" and "contract_id" in frame.columns:
            frame = frame.merge(keys, on="contract_id")
        keyed[name] = frame
    return keyed


MANY_GMINY: Final = 5
"""Above this many gminy missing the same table, one line names the count and a few."""


def gmina_gaps(store: Store, teryt: Iterable[str], names: Mapping[str, str]) -> list[str]:
    """:func:`gap_message` for every table each gmina of ``teryt`` has no rows in,
    the gmina named ``Name, teryt`` (``names``: teryt → name; the code alone otherwise).

    A table missing in more than :data:`MANY_GMINY` gminy gets one line with their
    number and the first three, so a national store does not print thousands of
    lines. One pass per table, not per gmina: the whole country's store stays fast."""
    present = {name: set(frame["teryt"].unique()) for name, frame in _keyed_tables(store).items()}
    codes = list(teryt)
    where = {code: f"{names[code]}, {code}" if code in names else code for code in codes}
    absent = {name: [code for code in codes if code not in present[name]] for name in TABLES}
    many = {name for name, missing in absent.items() if len(missing) > MANY_GMINY}
    lines = []
    for code in codes:
        lines += gap_messages([name for name in TABLES
                               if name not in many and code not in present[name]], where[code])
    for name in TABLES:
        if name in many:
            missing = absent[name]
            shown = "; ".join(where[code] for code in missing[:3])
            count = len(missing)
            lines.append(gap_message(
                name, f"{count_phrase(count, 'gmina', 'gminy', 'gmin')}: {shown} i inne"))
    return lines


def late_report_gaps(store: Store, teryt: Iterable[str], names: Mapping[str, str], *,
                     up_to: int | None = None) -> list[str]:
    """``brak danych: sprawozdanie organizacji za 2025 r. …`` for each gmina-area of
    ``teryt`` whose contracts of its evaluation year lack part of the NGO report
    (:mod:`wkus_lib.evaluation.year`; ``up_to`` caps the year)."""
    from wkus_lib.domain import AREA_NAMES
    from wkus_lib.evaluation.year import NO_CONTRACT, evaluation_years

    chosen = set(teryt)
    table = evaluation_years(store, up_to=up_to)
    lines = []
    for row in table[table["teryt"].isin(chosen)].itertuples(index=False):
        missing = tuple(row.missing)
        if not missing or missing == (NO_CONTRACT,):
            continue
        code = str(row.teryt)
        gmina = f"{names[code]}, {code}" if code in names else code
        area = AREA_NAMES.get(row.area, str(row.area))
        lines.append(f"{GAP_PREFIX}: sprawozdanie organizacji za {int(row.year)} r. "
                     f"({gmina} · {area}; brak: {', '.join(missing)}) — dodaj je "
                     "i zaimportuj ponownie")
    return lines


def choice_gaps(store: Store, names: Mapping[str, str], *, year: int | None = None,
                areas: Iterable[str] | None = None) -> list[str]:
    """The asked ``year`` or ``areas`` for which a gmina of ``names`` has no data at all
    (no dated row, no contract active up to the data horizon)."""
    from wkus_lib.domain import AREA_NAMES
    from wkus_lib.evaluation.year import contract_years, data_horizon

    keyed = _keyed_tables(store)
    active = contract_years(store.contracts, data_horizon(store))
    dated = pd.concat([active[["teryt", "year"]],
                       *(frame[["teryt", "year"]] for frame in keyed.values()
                         if "year" in frame.columns)], ignore_index=True)
    years = dated.groupby("teryt")["year"].agg(["min", "max", "unique"])
    pairs = [frame[["teryt", "area"]].drop_duplicates() for frame in keyed.values()
             if "area" in frame.columns]
    places = {(str(t), str(a)) for part in pairs
              for t, a in zip(part["teryt"], part["area"], strict=True)}
    lines = []
    for code in sorted(names):
        where = f"{names[code]}, {code}"
        if year is not None and code in years.index and year not in set(
                years.at[code, "unique"]):
            lines.append(f"{GAP_PREFIX}: rok {year} ({where}) — dane gminy są za lata "
                         f"{int(years.at[code, 'min'])}–{int(years.at[code, 'max'])}; wybierz "
                         "rok z tego zakresu albo dodaj dane za ten rok i zaimportuj ponownie")
        for area in areas or ():
            if (code, area) not in places:
                label = AREA_NAMES.get(area, area)  # type: ignore[call-overload]
                lines.append(f"{GAP_PREFIX}: obszar {label} ({where}) — gmina nie ma tu umów, "
                             "diagnozy ani ankiet; dodaj je i zaimportuj ponownie albo wybierz "
                             "inny obszar")
    return lines


def data_gaps(store: Store, names: Mapping[str, str], *, up_to: int | None = None,
              areas: Iterable[str] | None = None) -> list[str]:
    """Everything a command leaves out for the gminy of ``names`` (teryt → name):
    :func:`choice_gaps` (the asked year ``up_to`` and ``areas``), :func:`gmina_gaps`,
    then :func:`late_report_gaps`."""
    codes = sorted(names)
    return [*choice_gaps(store, names, year=up_to, areas=areas),
            *gmina_gaps(store, codes, names),
            *late_report_gaps(store, codes, names, up_to=up_to)]
