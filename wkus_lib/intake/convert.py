"""Cell conversion: the text a spreadsheet holds → the typed value a schema column expects.

Each column has a *kind* derived from its pandera model (one source of truth).
Conversion never guesses silently: a value that cannot be read raises
:class:`CellError` with a Polish problem and hint; values that can be read but
break a rule (a year 1899, an area not on the list) are passed on unchanged so
the schema validation reports them with the same words as the rest of wkus.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Final, Literal

import pandas as pd

from wkus_lib.catalog import load_catalog
from wkus_lib.domain import (
    AREA_NAMES,
    CONTRACT_MODE_NAMES,
    REGISTRY_SOURCE,
    Gmina,
    load_gminy,
    resolve_gmina,
)
from wkus_lib.errors import ParameterError
from wkus_lib.intake.headers import normalize_header
from wkus_lib.intake.readers import Detection, parse_number
from wkus_lib.schemas import TABLES

Kind = Literal["text", "code", "choice", "teryt", "int", "float", "bool", "likert"]
Value = str | int | float | bool | None

MACHINE_DETECTION: Final = Detection(
    encoding=None, separator=None, decimal=".", thousands=None, date_format=None
)
"""How values typed by a program (not a spreadsheet) are read: decimal point, no thousands."""

CODE_COLUMNS: Final = frozenset(
    {"contract_id", "respondent_id", "item_id", "result_id", "requirement_id"}
)
MISSING_ANSWERS: Final = frozenset({"nie dotyczy", "nd", "n d", "n a", "na", "98"})
"""Answers stored as missing (normalised): „nie dotyczy”, „nd”, „N/A”, the survey code 98."""

_TRUE: Final = frozenset({"tak", "t", "1", "true", "prawda", "yes", "y", "x"})
_FALSE: Final = frozenset({"nie", "n", "0", "false", "falsz", "no"})
IDENTIFIER_COLUMNS: Final = CODE_COLUMNS | {"teryt"}
"""Columns that join tables: compared character by character, so invisible marks matter."""
INVISIBLE_CHARACTERS: Final = {
    "\u00a0": "twarda spacja",
    "\u00ad": "miękki dywiz",
    "\u180e": "separator samogłosek",
    "\u200b": "spacja o zerowej szerokości",
    "\u200c": "rozdzielacz o zerowej szerokości",
    "\u200d": "łącznik o zerowej szerokości",
    "\u200e": "znak kierunku pisania (LRM)",
    "\u200f": "znak kierunku pisania (RLM)",
    "\u202a": "znak kierunku pisania",
    "\u202b": "znak kierunku pisania",
    "\u202c": "znak kierunku pisania",
    "\u202d": "znak kierunku pisania",
    "\u202e": "znak kierunku pisania",
    "\u202f": "wąska twarda spacja",
    "\u2060": "łącznik słów",
    "\u2066": "izolator kierunku pisania",
    "\u2067": "izolator kierunku pisania",
    "\u2068": "izolator kierunku pisania",
    "\u2069": "izolator kierunku pisania",
    "\ufeff": "znacznik BOM",
}
"""Characters that do not show on screen but make two identifiers differ (never in ids)."""
INVISIBLE: Final = re.compile("[" + "".join(INVISIBLE_CHARACTERS) + "]")
CATALOGUE_CODES: Final = {
    ("survey_responses", "item_id"): "pytań ankiet usług (klient, personel, samoocena)",
    ("cooperation_survey", "item_id"): "pytań ankiety współpracy",
    ("cooperation_checklist", "item_id"): "pozycji listy współpracy",
}
"""Columns holding a code of the catalogue, and what the catalogue lists for them (Polish)."""
COOPERATION_INSTRUMENT: Final = "wspolpraca"
TERYT_HINT: Final = ("Kod TERYT gminy ma 7 cyfr, ostatnia to typ gminy (1, 2 lub 3); w Excelu "
                     "zapisz go jako tekst, bo zero na początku ginie.")
_CODE_NAME_SEPARATOR: Final = re.compile(r"^(\d{6,7})\s*[/|:;,–—-]\s*")
"""``2002063 / Łapy``, ``2002063-Łapy``: a code, a separator, then a name."""
_DIGITS_ONLY: Final = re.compile(r"^[\d\s.,+\-]+$")
_LABELLED_ANSWER: Final = re.compile(r"^([1-9]\d*)\s*(?:[–—=:.)-]|\s)\s*\D")

CHOICE_LABELS: Final[dict[str, dict[str, str]]] = {
    "area": {str(code): name for code, name in AREA_NAMES.items()},
    "mode": {str(code): name for code, name in CONTRACT_MODE_NAMES.items()},
    "category": {"dzialania": "koszty realizacji działań",
                 "administracyjne": "koszty administracyjne"},
    "source": {
        "dotacja": "dotacja",
        "srodki_wlasne": "środki finansowe własne",
        "swiadczenia_odbiorcow": "świadczenia pieniężne od odbiorców zadania",
        "inne_publiczne": "inne środki publiczne",
        "inne": "pozostałe źródła",
    },
    "kind": {"osobowy": "wkład osobowy", "rzeczowy": "wkład rzeczowy"},
    "group": {"jst": "urzędnicy JST", "ngo": "organizacje pozarządowe"},
    "form": {"wspieranie": "wspieranie", "powierzanie": "powierzanie"},
    "instrument": {"klient": "ankieta klienta", "personel": "ankieta personelu",
                   "samoocena": "samoocena realizatora"},
}
"""Polish meaning of each allowed code (instruction sheets; also accepted on import)."""


class CellError(ValueError):
    """A cell that cannot be read as its column's type: Polish problem and hint."""

    def __init__(self, problem: str, hint: str) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint


@dataclass(frozen=True)
class ColumnSpec:
    """What one schema column accepts."""

    kind: Kind
    allowed: tuple[str, ...] = ()
    catalogue_items: frozenset[str] = frozenset()  # catalogue codes the column may hold
    catalogue_label: str = ""  # what those codes are, in Polish (genitive plural)


@cache
def column_spec(table: str, column: str) -> ColumnSpec:
    """The kind of ``table.column`` read from its pandera model."""
    field = TABLES[table].to_schema().columns[column]
    dtype = str(field.dtype).lower()
    allowed = next(
        (tuple(c.statistics["allowed_values"]) for c in field.checks if c.name == "isin"), ()
    )
    if column == "teryt":
        return ColumnSpec("teryt")
    if dtype == "int8":
        return ColumnSpec("likert")
    if dtype.startswith("int"):
        return ColumnSpec("int")
    if dtype.startswith("float"):
        return ColumnSpec("float")
    if dtype.startswith("bool"):
        return ColumnSpec("bool")
    if allowed:
        return ColumnSpec("choice", allowed)
    if (table, column) in CATALOGUE_CODES:
        return ColumnSpec("code", catalogue_items=_catalogue_codes(table),
                          catalogue_label=CATALOGUE_CODES[table, column])
    return ColumnSpec("code" if column in CODE_COLUMNS else "text")


@cache
def _catalogue_codes(table: str) -> frozenset[str]:
    """The codes of the default catalogue a row of ``table`` may name."""
    catalog = load_catalog()
    if table == "cooperation_checklist":
        codes = catalog.checklist_items()["item_id"]
    else:
        items = catalog.survey_items()
        cooperation = items["instrument"].eq(COOPERATION_INSTRUMENT)
        codes = items.loc[cooperation if table == "cooperation_survey" else ~cooperation,
                          "item_id"]
    return frozenset(str(code) for code in codes)


@cache
def _choice_lookup(column: str, allowed: tuple[str, ...]) -> dict[str, str]:
    lookup = {normalize_header(code): code for code in allowed}
    for code, label in CHOICE_LABELS.get(column, {}).items():
        lookup.setdefault(normalize_header(label), code)
    return lookup


@cache
def _registry() -> dict[str, Gmina]:
    return load_gminy()


def _teryt(text: str) -> str:
    """A gmina's code read whole: 7 digits of the registry, its name, or code and own name.

    ``2002063.5`` or ``2002063 / Sokółka`` never become ``2002063``: a number that is
    not exactly 7 digits, a code missing from the registry, or a code followed by
    another gmina's name is a problem.
    """
    if text.isascii() and text.isdigit():
        if len(text) != 7:
            raise CellError(f"„{text}” nie jest kodem TERYT gminy: ma {_digits(len(text))} "
                            "zamiast 7", TERYT_HINT)
        if text not in _registry():
            raise CellError(
                f"kodu TERYT „{text}” nie ma w rejestrze gmin ({REGISTRY_SOURCE})",
                "Sprawdź kod w rejestrze TERYT GUS (kod gminy ma 7 cyfr, np. 2002063 – Łapy) "
                "albo wpisz nazwę gminy; kod z innego rejestru lub z literówką nie połączy "
                "się z danymi gminy.",
            )
        return text
    if _DIGITS_ONLY.match(text):
        raise CellError(
            f"„{text}” nie jest kodem TERYT gminy: kod to dokładnie 7 cyfr, bez kropek, "
            "przecinków i części dziesiętnej", TERYT_HINT,
        )
    try:
        return resolve_gmina(_CODE_NAME_SEPARATOR.sub(r"\1 ", text), _registry()).teryt
    except ParameterError as error:
        raise CellError(
            str(error).rstrip("."),
            "Wpisz 7-cyfrowy kod TERYT gminy (np. 2002063), jej nazwę albo kod i nazwę tej "
            "samej gminy (np. „2002063 Łapy”).",
        ) from None


def _digits(count: int) -> str:
    if count == 1:
        return "1 cyfrę"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} cyfry"
    return f"{count} cyfr"


def is_empty(value: object) -> bool:
    """None, NaN/NA or only whitespace."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _number(value: object, detection: Detection) -> float:
    if isinstance(value, bool):
        raise CellError("wartość logiczna zamiast liczby", "Wpisz liczbę.")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    if text.startswith("="):
        raise CellError("formuła albo odnośnik zamiast liczby",
                        "Wpisz samą liczbę, bez znaku „=”.")
    try:
        number = parse_number(text, detection)
    except ValueError as error:
        raise CellError(str(error),
                        "Wpisz liczbę, np. 1234,50; bez jednostek i liter.") from error
    if math.isnan(number) or math.isinf(number):
        raise CellError("to nie jest liczba", "Wpisz liczbę, np. 1234,50.")
    return number


def _integer(value: object, detection: Detection) -> int:
    number = _number(value, detection)
    if not number.is_integer():
        raise CellError("to nie jest liczba całkowita", "Wpisz liczbę całkowitą, bez części "
                        "dziesiętnej.")
    return int(number)


def _likert(value: object, detection: Detection, labels: Mapping[str, int]) -> int | None:
    text = str(value).strip()
    folded = normalize_header(text)
    if folded in MISSING_ANSWERS:
        return None
    if folded in labels:
        return labels[folded]
    labelled = _LABELLED_ANSWER.match(text)
    if labelled:
        return int(labelled.group(1))
    try:
        return _integer(value, detection)
    except CellError as error:
        raise CellError(
            "odpowiedź nie jest liczbą 1–5 ani etykietą skali",
            "Wpisz 1–5, etykietę (np. „raczej się zgadzam”) albo „nie dotyczy”.",
        ) from error


def convert_cell(
    value: object, spec: ColumnSpec, column: str, detection: Detection,
    likert_labels: Mapping[str, int],
) -> Value:
    """The typed value of one cell; None when empty. Raises :class:`CellError`."""
    if is_empty(value):
        return None
    if spec.kind == "int":
        return _integer(value, detection)
    if spec.kind == "float":
        return _number(value, detection)
    if spec.kind == "likert":
        return _likert(value, detection, likert_labels)
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        folded = normalize_header(str(value))
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
        raise CellError("to nie jest „tak” ani „nie”", "Wpisz „tak” albo „nie”.")
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if spec.kind in ("teryt", "code"):
        invisible = INVISIBLE.search(text)
        if invisible:
            name = INVISIBLE_CHARACTERS[invisible.group()]
            raise CellError(
                f"identyfikator zawiera niewidoczny znak U+{ord(invisible.group()):04X} "
                f"({name}) – nie połączyłby się z tym samym identyfikatorem w innych tabelach",
                "Usuń niewidoczny znak (najprościej: wpisz identyfikator w komórce od nowa).",
            )
    if spec.kind == "teryt":
        return _teryt(text)
    if spec.kind == "choice":
        return _choice_lookup(column, spec.allowed).get(normalize_header(text), text)
    if spec.kind == "code" and text.startswith("="):
        raise CellError("formuła albo odnośnik zamiast kodu",
                        "Wpisz sam kod (tekst), bez znaku „=”.")
    if spec.catalogue_items:
        return _catalogue_item(text, spec)
    return text


def _catalogue_item(text: str, spec: ColumnSpec) -> str:
    """A code of the catalogue (any case), else a problem naming the code."""
    items = spec.catalogue_items
    if text in items:
        return text
    by_lower = {item.lower(): item for item in items}
    if text.lower() in by_lower:
        return by_lower[text.lower()]
    raise CellError(
        f"kodu „{text}” nie ma wśród {spec.catalogue_label} w katalogu",
        "Sprawdź kod: kody są w katalogu wskaźników i narzędzi (instruments.yaml, "
        "polecenie „wkus instruments”) i na liście w szablonie („wkus templates”), np. "
        + ", ".join(sorted(items)[:4]) + ".",
    )


def likert_lookup(labels: Mapping[int, str]) -> dict[str, int]:
    """Normalised Likert label → answer (from the catalogue's ``likert_labels``)."""
    return {normalize_header(text): int(answer) for answer, text in labels.items()}
