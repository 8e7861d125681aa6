"""What the user asks for: the programme period, checked before any data are read.

The gmina is named like in every other command: :func:`wkus_lib.domain.resolve_gmina`.
"""

from __future__ import annotations

import re
from typing import Final

from wkus_lib.errors import ParameterError

MIN_YEARS: Final = 2
MAX_YEARS: Final = 5
_YEAR_RANGE: Final = re.compile(r"^\s*(\d{4})\s*[-–—]\s*(\d{4})\s*$")


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


