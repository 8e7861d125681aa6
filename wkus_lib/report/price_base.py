"""The price base of a report: which year's prices real values are in, and the gaps.

Reports compare złoty across years in constant prices
(:mod:`wkus_lib.catalog.prices`): the base year is the evaluation year or, when the
catalogue's services price index does not reach it, the index's last year.
Years the index lacks keep only their nominal value, and the report names
them with where to add the missing index.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from wkus_lib.catalog.prices import PRICES_FILE, PriceIndex, base_year_for, deflate_known
from wkus_lib.text.i18n import _


def report_base_year(index: PriceIndex, evaluation_year: int) -> int:
    """The base year of a report's real values (:func:`wkus_lib.catalog.prices.base_year_for`)."""
    return base_year_for(evaluation_year, index)[0]


def real_values(
    values: npt.ArrayLike, years: npt.ArrayLike, index: PriceIndex, evaluation_year: int
) -> npt.NDArray[np.float64]:
    """Values in prices of the report's base year; NaN in years the index lacks."""
    return deflate_known(values, years, report_base_year(index, evaluation_year), index)


def real_label(index: PriceIndex, evaluation_year: int) -> str:
    """``ceny stałe 2024 r.``: the label real values carry in tables."""
    return _("ceny stałe {year} r.").format(year=report_base_year(index, evaluation_year))


def missing_index_note(years: Iterable[int]) -> str | None:
    """The note naming years without a price index (None when there are none)."""
    listed = sorted({int(y) for y in years})
    if not listed:
        return None
    return _("Brak wskaźnika cen usług za {years} r. — dopisz go w pliku {file} katalogu "
             "(kopię katalogu tworzy `wkus catalog KATALOG`); kwoty z tych lat są tylko w "
             "cenach bieżących.").format(years=", ".join(str(y) for y in listed),
                                         file=PRICES_FILE)


def price_base_text(index: PriceIndex, evaluation_year: int) -> str:
    """The annex line: the index, its source and years, the base year and the rule beyond it."""
    base, shifted = base_year_for(evaluation_year, index)
    text = _("Ceny stałe: kwoty z różnych lat porównujemy w cenach {base} r., przeliczone "
             "średniorocznym wskaźnikiem cen usług konsumpcyjnych GUS (rok poprzedni = 100; "
             "GUS, „Sytuacja społeczno-gospodarcza kraju”, Ceny towarów i usług "
             "konsumpcyjnych, publikacja z 30 stycznia 2025 r.; plik {file} katalogu, lata "
             "{first}–{last}). Tabele podpisują kwoty jako „ceny bieżące” albo „ceny "
             "stałe”.").format(base=base, file=PRICES_FILE, first=index.first_year,
                                last=index.last_year)
    if shifted:
        text += " " + _("Indeks nie obejmuje roku oceny ({year} r.), więc bazą jest ostatni "
                        "rok indeksu; kwoty z lat bez wskaźnika pokazujemy tylko w cenach "
                        "bieżących i pomijamy w porównaniach kosztów między latami.").format(
            year=evaluation_year)
    return text
