"""Friendly Polish feedback on a participant's answer.

A comparison never raises on a participant's answer: an unanswered stub
(``...``), a wrong type or a missing value each give a message saying what
to do. :class:`Feedback` renders itself in a notebook (text and HTML), so a
self-check cell only has to return it.
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

UNANSWERED: Final = "Uzupełnij odpowiedź: wpisz ją zamiast „...” i uruchom komórkę jeszcze raz."
_COLOURS: Final = {True: "#1b7a3d", False: "#a33b00", None: "#555555"}


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: ``correct`` is None while the answer is missing."""

    correct: bool | None
    message: str

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        colour = _COLOURS[self.correct]
        return (
            f'<div style="border-left: 4px solid {colour}; padding: 4px 10px; '
            f'color: {colour}">{html.escape(self.message)}</div>'
        )


def unanswered(answer: object) -> bool:
    """Is the answer still the exercise stub (``...``) or None?"""
    return answer is Ellipsis or answer is None


def _as_number(answer: object) -> float | None:
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        return None
    return float(answer)


def _number_text(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")


def compare_number(
    answer: object,
    expected: float,
    *,
    tolerance: float,
    praise: str,
    hint: str,
    decimals: int = 2,
) -> Feedback:
    """Is ``answer`` a number within ``tolerance`` of ``expected``?

    ``praise`` follows "Dobrze!" and may explain the result; ``hint`` says
    what to look at again. The right value is never revealed in the hint.

    Examples
    --------
    >>> compare_number(75.004, 75.0, tolerance=0.01, praise="Wynik 75 pkt.", hint="Skala.").correct
    True
    >>> compare_number(..., 75.0, tolerance=0.01, praise="", hint="").correct is None
    True
    """
    if unanswered(answer):
        return Feedback(None, UNANSWERED)
    number = _as_number(answer)
    if number is None:
        return Feedback(
            False, f"Odpowiedź powinna być liczbą, a jest: {answer!r}. Sprawdź: {hint}"
        )
    if math.isnan(number):
        return Feedback(False, f"Wyszło „brak wartości” (NaN). Sprawdź: {hint}")
    if math.isnan(expected):
        return Feedback(False, "W danych brakuje wartości do porównania — zapytaj prowadzącego.")
    if abs(number - expected) <= tolerance:
        return Feedback(True, f"Dobrze! {praise}")
    direction = "za dużo" if number > expected else "za mało"
    return Feedback(
        False,
        f"Jeszcze nie: {_number_text(number, decimals)} to {direction}. Sprawdź jeszcze raz: {hint}",
    )


def _normalised(text: str) -> str:
    return " ".join(text.strip().lower().split())


def compare_choice(
    answer: object,
    expected: str,
    *,
    synonyms: dict[str, str] | None = None,
    praise: str,
    hint: str,
) -> Feedback:
    """Is the text ``answer`` the expected choice (case and spaces ignored)?

    ``synonyms`` maps other accepted spellings (e.g. Polish words) to choices.
    """
    if unanswered(answer):
        return Feedback(None, UNANSWERED)
    if not isinstance(answer, str):
        return Feedback(False, f"Odpowiedź powinna być tekstem w cudzysłowie, a jest: {answer!r}.")
    aliases = {_normalised(k): v for k, v in (synonyms or {}).items()}
    chosen = aliases.get(_normalised(answer), _normalised(answer))
    if chosen == _normalised(expected):
        return Feedback(True, f"Dobrze! {praise}")
    return Feedback(False, f"Jeszcze nie: „{answer}” to nie ta odpowiedź. Sprawdź: {hint}")


def compare_set(
    answer: object, expected: Iterable[str], *, praise: str, hint: str
) -> Feedback:
    """Is ``answer`` (a set, list or tuple of codes) exactly the expected set?

    On a wrong answer says how many are missing and which are superfluous,
    without naming the missing ones.
    """
    if unanswered(answer):
        return Feedback(None, UNANSWERED)
    if isinstance(answer, str) or not isinstance(answer, Iterable):
        return Feedback(
            False, f"Podaj zbiór kodów, np. {{\"Q1\", \"E4\"}}, a nie: {answer!r}."
        )
    given = {str(item) for item in answer}
    wanted = set(expected)
    if given == wanted:
        return Feedback(True, f"Dobrze! {praise}")
    parts = []
    if wanted - given:
        parts.append(f"brakuje jeszcze {len(wanted - given)} z {len(wanted)}")
    if given - wanted:
        parts.append(f"niepotrzebne: {', '.join(sorted(given - wanted))}")
    return Feedback(False, f"Jeszcze nie: {'; '.join(parts)}. Sprawdź: {hint}")


def compare_bool(answer: object, expected: bool, *, praise: str, hint: str) -> Feedback:
    """Is ``answer`` the expected True/False?"""
    if unanswered(answer):
        return Feedback(None, UNANSWERED)
    if not isinstance(answer, bool) and type(answer).__name__ != "bool_":
        return Feedback(False, f"Odpowiedz True albo False, a nie: {answer!r}.")
    if bool(answer) == expected:
        return Feedback(True, f"Dobrze! {praise}")
    return Feedback(False, f"Jeszcze nie. Sprawdź: {hint}")
