"""Polish grammar of numbers: the noun form that goes with a count.

Polish has three forms after a whole number: one (1 rok), few (2–4, 22–24,
… but not 12–14: 2 lata) and many (0, 5–21, 25–31, …: 5 lat). Every count
phrase in the project picks its form here, so "1 lat" or "5 wiersze" cannot
reappear in one place while fixed in another.

The forms are given in the case the sentence needs: after "z" (genitive) a
year is ``plural(n, "roku", "lat", "lat")`` — "z 1 roku", "z 3 lat".
"""

from __future__ import annotations


def plural_form(count: int) -> str:
    """Which Polish form a count takes: ``"one"``, ``"few"`` or ``"many"``.

    >>> [plural_form(n) for n in (0, 1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 102, 112)]
    ['many', 'one', 'few', 'few', 'many', 'many', 'many', 'many', 'many', 'few', 'many', 'few', 'many']
    """
    count = abs(int(count))
    if count == 1:
        return "one"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return "few"
    return "many"


def plural(count: int, one: str, few: str, many: str) -> str:
    """The noun form for ``count`` (one / few / many, see :func:`plural_form`).

    >>> [plural(n, "rok", "lata", "lat") for n in (1, 3, 5, 22)]
    ['rok', 'lata', 'lat', 'lata']
    >>> plural(1, "roku", "lat", "lat"), plural(14, "gmina", "gminy", "gmin")
    ('roku', 'gmin')
    """
    form = plural_form(count)
    return one if form == "one" else few if form == "few" else many


def count_phrase(count: int, one: str, few: str, many: str) -> str:
    """The count and its noun: ``count_phrase(1, "wywiad", "wywiady", "wywiadów")`` = "1 wywiad".

    >>> count_phrase(2, "wywiad", "wywiady", "wywiadów"), count_phrase(12, "wiersz", "wiersze", "wierszy")
    ('2 wywiady', '12 wierszy')
    """
    return f"{count} {plural(count, one, few, many)}"

