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

from wkus_lib.domain import AREA_NAMES, CONTRACT_MODE_NAMES, load_gminy
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
_TERYT_FIRST: Final = re.compile(r"^(\d{7})(?:\D.*)?$")
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
    return ColumnSpec("code" if column in CODE_COLUMNS else "text")


@cache
def _choice_lookup(column: str, allowed: tuple[str, ...]) -> dict[str, str]:
    lookup = {normalize_header(code): code for code in allowed}
    for code, label in CHOICE_LABELS.get(column, {}).items():
        lookup.setdefault(normalize_header(label), code)
    return lookup


@cache
def _gmina_names() -> dict[str, str]:
    names: dict[str, list[str]] = {}
    for gmina in load_gminy().values():
        names.setdefault(normalize_header(gmina.name), []).append(gmina.teryt)
    return {name: codes[0] for name, codes in names.items() if len(codes) == 1}


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
    if spec.kind == "teryt":
        first = _TERYT_FIRST.match(text)
        if first:
            return first.group(1)
        return _gmina_names().get(normalize_header(text), text)
    if spec.kind == "choice":
        return _choice_lookup(column, spec.allowed).get(normalize_header(text), text)
    if spec.kind == "code" and text.startswith("="):
        raise CellError("formuła albo odnośnik zamiast kodu",
                        "Wpisz sam kod (tekst), bez znaku „=”.")
    return text


def likert_lookup(labels: Mapping[int, str]) -> dict[str, int]:
    """Normalised Likert label → answer (from the catalogue's ``likert_labels``)."""
    return {normalize_header(text): int(answer) for answer, text in labels.items()}
