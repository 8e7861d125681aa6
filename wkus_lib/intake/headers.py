"""Polish column headers of every store table, and recognising a table from its headers.

The headers are defined once, here: entry templates write them, the importer
reads them back. Matching is forgiving the way spreadsheets are: any case,
with or without Polish diacritics, spaces or underscores, units in brackets
(``Koszt planowany [zł]`` = ``koszt planowany``) and the English column name
of the schema itself (``planned``) all name the same column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Final

from wkus_lib.schemas import TABLES

_CONTRACT: Final = {"contract_id": "Numer umowy", "year": "Rok"}
_GMINA_YEAR: Final = {"teryt": "Kod TERYT gminy", "year": "Rok"}
_SURVEY: Final = {
    "teryt": "Kod TERYT gminy",
    "area": "Obszar",
    "year": "Rok",
    "instrument": "Narzędzie",
    "respondent_id": "Identyfikator respondenta",
}

HEADERS: Final[dict[str, dict[str, str]]] = {
    "contracts": {
        "contract_id": "Numer umowy",
        "teryt": "Kod TERYT gminy",
        "area": "Obszar",
        "ngo_name": "Nazwa organizacji",
        "title": "Tytuł zadania publicznego",
        "mode": "Tryb umowy",
        "form": "Forma zlecenia",
        "start_year": "Rok rozpoczęcia",
        "end_year": "Rok zakończenia",
    },
    "finance": {
        **_CONTRACT,
        "category": "Kategoria kosztu",
        "source": "Źródło finansowania",
        "planned": "Koszt planowany [zł]",
        "actual": "Koszt poniesiony [zł]",
    },
    "contributions": {
        **_CONTRACT,
        "kind": "Rodzaj wkładu",
        "value": "Wartość wkładu [zł]",
        "volunteer_hours": "Godziny pracy wolontariuszy",
        "hourly_rate": "Stawka za godzinę [zł/h]",
    },
    "results": {
        **_CONTRACT,
        "result_id": "Kod rezultatu",
        "name": "Nazwa rezultatu",
        "unit": "Jednostka miary",
        "target": "Planowany poziom rezultatu",
        "achieved": "Osiągnięty poziom rezultatu",
    },
    "beneficiaries": {
        **_CONTRACT,
        "clients_served": "Liczba odbiorców",
        "service_hours": "Godziny usługi",
        "complaints": "Liczba skarg",
        "staff_count": "Liczba osób personelu",
        "staff_left": "Odejścia personelu",
    },
    "needs": {
        "teryt": "Kod TERYT gminy",
        "area": "Obszar",
        "year": "Rok",
        "people_in_need": "Liczba osób potrzebujących",
        "in_house_unit_cost": "Koszt jednostkowy w gminie [zł]",
    },
    "procedure_costs": {
        **_GMINA_YEAR,
        "contest_staff_hours": "Godziny pracy urzędników na konkurs",
        "hourly_rate": "Koszt godziny pracy urzędnika [zł/h]",
        "other_costs": "Inne koszty konkursu [zł]",
    },
    "survey_responses": {**_SURVEY, "item_id": "Kod pytania", "answer": "Odpowiedź (1–5)"},
    "survey_comments": {**_SURVEY, "text": "Treść wypowiedzi"},
    "standard_checklist": {
        **_CONTRACT,
        "requirement_id": "Kod wymagania standardu",
        "self_met": "Spełnione według realizatora (tak/nie)",
        "jst_confirmed": "Potwierdzone przez JST (tak/nie)",
    },
    "cooperation_checklist": {**_GMINA_YEAR, "item_id": "Pozycja listy", "value": "Wartość"},
    "cooperation_survey": {
        **_GMINA_YEAR,
        "group": "Grupa respondentów",
        "respondent_id": "Identyfikator respondenta",
        "item_id": "Kod pytania",
        "answer": "Odpowiedź (1–5)",
    },
}
"""The Polish header of every schema column, per table (templates write these)."""

TABLE_TITLES: Final[dict[str, str]] = {
    "contracts": "Umowy",
    "finance": "Koszty",
    "contributions": "Wkład niefinansowy",
    "results": "Rezultaty",
    "beneficiaries": "Odbiorcy i kadra",
    "needs": "Diagnoza potrzeb",
    "procedure_costs": "Koszt konkursu",
    "survey_responses": "Ankiety usługowe",
    "survey_comments": "Wypowiedzi z ankiet",
    "standard_checklist": "Standard usługi",
    "cooperation_checklist": "Lista współpracy",
    "cooperation_survey": "Ankieta współpracy",
}
"""Polish name of each table: sheet name of its template (at most 31 characters)."""

ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "contract_id": ("umowa", "nr umowy", "id umowy", "numer"),
    "teryt": ("teryt", "kod teryt", "kod gminy", "gmina"),
    "area": ("obszar tematyczny", "obszar zadania"),
    "year": ("rok budzetowy", "okres sprawozdawczy"),
    "respondent_id": ("respondent", "id respondenta", "identyfikator"),
    "answer": ("odpowiedz",),
    "item_id": ("pytanie", "kod pozycji"),
    "group": ("grupa",),
}
"""Other names users give a column, whatever the table."""

_BRACKETED: Final = re.compile(r"[\[(][^\])]*[\])]")
_SEPARATORS: Final = re.compile(r"[\s_\-–—.:/]+")


def normalize_header(text: str) -> str:
    """Lower case, no diacritics, units in brackets dropped, separators as single spaces.

    >>> normalize_header("Koszt planowany [zł]")
    'koszt planowany'
    >>> normalize_header("KOSZT_PLANOWANY")
    'koszt planowany'
    """
    without_units = _BRACKETED.sub(" ", text)
    folded = without_units.replace("ł", "l").replace("Ł", "L")
    plain = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode("ascii")
    return _SEPARATORS.sub(" ", plain.lower()).strip()


def _names_by_table() -> dict[str, dict[str, str]]:
    """normalised header → column, per table (Polish header, schema name, aliases)."""
    names: dict[str, dict[str, str]] = {}
    for table, headers in HEADERS.items():
        lookup: dict[str, str] = {}
        for column, polish in headers.items():
            for alias in ALIASES.get(column, ()):
                lookup.setdefault(normalize_header(alias), column)
        for column, polish in headers.items():
            lookup[normalize_header(column)] = column
            lookup[normalize_header(polish)] = column
        names[table] = lookup
    return names


_NAMES: Final = _names_by_table()


def column_for(table: str, header: str) -> str | None:
    """The schema column of ``table`` that ``header`` names, or None."""
    return _NAMES[table].get(normalize_header(header))


def required_columns(table: str) -> tuple[str, ...]:
    """Columns a file must have for ``table``: those the schema does not allow empty."""
    schema = TABLES[table].to_schema()
    return tuple(name for name, column in schema.columns.items() if not column.nullable)


def find_table(headers: Sequence[str]) -> str | None:
    """The table whose required columns all appear among ``headers``; None if no table fits.

    When several fit, the one naming most of the headers wins (then the one
    with fewer columns left unnamed).
    """
    best: tuple[int, int] | None = None
    chosen: str | None = None
    for table in HEADERS:
        matched = {column_for(table, h) for h in headers if h} - {None}
        if not set(required_columns(table)) <= matched:
            continue
        score = (len(matched), -len(HEADERS[table]))
        if best is None or score > best:
            best, chosen = score, table
    return chosen
