"""Real prices: złoty of different years in constant prices of one base year.

The index is the GUS annual consumer price index of services (previous year
= 100), shipped as editable catalogue data (``ceny_gus_cpi.csv``, columns
``year``, ``cpi_total``, ``cpi_goods``, ``cpi_services``; source in
:data:`SOURCE_PL`). Social services are services, so the services column is
the deflator.

Chaining the yearly indices gives each year's price level; an index file
with years F…L covers the levels of F − 1…L (the index of F relates F to
F − 1). A value of year *y* in prices of base year *b* is

    real = nominal × level(b) / level(y).

A year outside the chain is never guessed: :class:`PriceIndexError` names
it and says where to add it. The rule for years after the last index year
(the file ends in 2024): money of those years has no real value until the
user adds the year's index; comparisons across years use only the years the
index covers and name the years left out (see
:mod:`wkus_lib.metrics.efficiency`), and the default base year is the
evaluation year or, when the index does not reach it, the last index year
(:func:`base_year_for`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Final

import numpy as np
import numpy.typing as npt

from wkus_lib.errors import InputError

PRICES_FILE: Final = "ceny_gus_cpi.csv"
INDEX_COLUMN: Final = "cpi_services"
SOURCE_PL: Final = (
    "GUS, „Sytuacja społeczno-gospodarcza kraju”, Ceny towarów i usług konsumpcyjnych "
    "(opublikowano 2025-01-30): średnioroczny wskaźnik cen usług konsumpcyjnych, "
    "rok poprzedni = 100"
)
FloatArray = npt.NDArray[np.float64]


class PriceIndexError(InputError):
    """A year the price index does not cover, or a malformed index file."""


@dataclass(frozen=True)
class PriceIndex:
    """The services price index: ``indices[k]`` is year ``first_year + k`` against the year before.

    Examples
    --------
    >>> index = PriceIndex(first_year=2022, indices=(111.2, 111.2))
    >>> index.covered_years
    (2021, 2022, 2023)
    >>> round(index.level(2023) / index.level(2021), 4)
    1.2365
    """

    first_year: int
    indices: tuple[float, ...]
    file: str = PRICES_FILE
    source: str = SOURCE_PL

    @property
    def last_year(self) -> int:
        """The last year with an index."""
        return self.first_year + len(self.indices) - 1

    @property
    def covered_years(self) -> tuple[int, ...]:
        """Years whose price level is known: the year before the first index to the last."""
        return tuple(range(self.first_year - 1, self.last_year + 1))

    def covers(self, year: int) -> bool:
        """Whether the price level of ``year`` is known."""
        return self.first_year - 1 <= year <= self.last_year

    def level(self, year: int) -> float:
        """Price level of ``year``, the year before the first index = 1."""
        if not self.covers(year):
            raise missing_year_error([year], self)
        factors = np.asarray(self.indices[: year - self.first_year + 1], dtype=float) / 100.0
        return float(np.prod(factors))

    def missing(self, years: Iterable[int]) -> list[int]:
        """The years of ``years`` the index does not cover, sorted, each once."""
        return sorted({int(y) for y in years if not self.covers(int(y))})


def missing_year_error(years: Sequence[int], index: PriceIndex) -> PriceIndexError:
    """The Polish error naming the missing years and the file to add them to."""
    listed = ", ".join(str(y) for y in sorted(set(years)))
    plural = "lata" if len(set(years)) > 1 else "rok"
    return PriceIndexError(
        f"brak wskaźnika cen usług za {listed} r. (indeks obejmuje lata "
        f"{index.first_year}–{index.last_year})",
        file=index.file, column=INDEX_COLUMN,
        hint=f"Dopisz {plural} {listed} w pliku {PRICES_FILE} katalogu (kopię katalogu tworzy "
             "polecenie wkus catalog KATALOG) według publikacji GUS.",
    )


def deflate(
    values: npt.ArrayLike, years: npt.ArrayLike, base_year: int, index: PriceIndex
) -> FloatArray:
    """Nominal złoty of ``years`` in constant prices of ``base_year``.

    Raises :class:`PriceIndexError` naming every year (of ``years`` or the
    base year) the index does not cover; NaN values stay NaN.

    Examples
    --------
    Services prices rose 11.2 % in 2022 and again in 2023. 1 000 zł spent in
    2021 is in 2023 prices 1 000 × 1.112 × 1.112 = 1 236.54 zł; 1 112 zł
    spent in 2022 is 1 112 × 1.112 = 1 236.54 zł too.

    >>> index = PriceIndex(first_year=2022, indices=(111.2, 111.2))
    >>> deflate([1000.0, 1112.0], [2021, 2022], 2023, index).round(2).tolist()
    [1236.54, 1236.54]
    """
    nominal = np.asarray(values, dtype=float)
    year = np.asarray(years, dtype="int64")
    missing = index.missing([*year.tolist(), base_year])
    if missing:
        raise missing_year_error(missing, index)
    levels = np.array([index.level(y) for y in index.covered_years])
    position = year - (index.first_year - 1)
    real: FloatArray = nominal * index.level(base_year) / levels[position]
    return real


def deflate_known(
    values: npt.ArrayLike, years: npt.ArrayLike, base_year: int, index: PriceIndex
) -> FloatArray:
    """As :func:`deflate`, but NaN in years the index does not cover (for tables that name them).

    The base year must be covered. Use :meth:`PriceIndex.missing` to name
    the years left without a real value.

    >>> index = PriceIndex(first_year=2022, indices=(111.2,))
    >>> deflate_known([100.0, 100.0], [2021, 2023], 2022, index).round(2).tolist()
    [111.2, nan]
    """
    nominal = np.asarray(values, dtype=float)
    year = np.asarray(years, dtype="int64")
    known = np.array([index.covers(int(y)) for y in year], dtype=bool)
    real = np.full(nominal.shape, np.nan)
    if known.any():
        real[known] = deflate(nominal[known], year[known], base_year, index)
    elif not index.covers(base_year):
        raise missing_year_error([base_year], index)
    return real


def base_year_for(evaluation_year: int, index: PriceIndex) -> tuple[int, bool]:
    """The price base of a report: the evaluation year, or the last index year if it lacks it.

    Returns the base year and whether it differs from the evaluation year.

    >>> base_year_for(2025, PriceIndex(first_year=2016, indices=(100.0,) * 9))
    (2024, True)
    """
    if index.covers(evaluation_year):
        return evaluation_year, False
    return (index.last_year if evaluation_year > index.last_year else index.first_year - 1), True


def parse_price_index(text: str, label: str) -> PriceIndex:
    """Read the index CSV (comma or semicolon, decimal point or comma); errors name the cell.

    Years must follow each other without a gap (a gap breaks the chain of
    price levels); every index must be a positive number.
    """
    lines = text.lstrip("\ufeff").splitlines()
    delimiter = ";" if lines and ";" in lines[0] else ","
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    columns = [c.strip() for c in reader.fieldnames or []]
    for needed in ("year", INDEX_COLUMN):
        if needed not in columns:
            raise PriceIndexError(
                f"brak kolumny „{needed}”", file=label,
                hint="Plik musi mieć kolumny year i cpi_services (rok poprzedni = 100).")
    years: list[int] = []
    indices: list[float] = []
    for row_number, raw in enumerate(reader, start=2):
        row = {str(k).strip(): (v or "").strip() for k, v in raw.items()}
        if not any(row.values()):
            continue
        try:
            year = int(row["year"])
        except ValueError:
            raise PriceIndexError("rok nie jest liczbą całkowitą", file=label, row=row_number,
                                  column="year", value=row["year"],
                                  hint="Wpisz rok czterema cyframi, np. 2025.") from None
        try:
            value = float(row[INDEX_COLUMN].replace(",", "."))
        except ValueError:
            value = float("nan")
        if not np.isfinite(value) or value <= 0:
            raise PriceIndexError(
                "wskaźnik cen musi być liczbą dodatnią", file=label, row=row_number,
                column=INDEX_COLUMN, value=row[INDEX_COLUMN],
                hint="Wpisz wskaźnik GUS przy roku poprzednim = 100, np. 106,6.")
        if years and year != years[-1] + 1:
            raise PriceIndexError(
                f"lata muszą następować po sobie (po {years[-1]} r. jest {year} r.)",
                file=label, row=row_number, column="year", value=year,
                hint="Uzupełnij brakujące lata albo uporządkuj wiersze rosnąco.")
        years.append(year)
        indices.append(value)
    if not years:
        raise PriceIndexError("plik nie ma żadnego roku", file=label,
                              hint="Przywróć plik z kopii katalogu (wkus catalog KATALOG).")
    return PriceIndex(first_year=years[0], indices=tuple(indices), file=label)


def read_price_index(source: Traversable, label: str) -> PriceIndex:
    """The index from a file (a path or a packaged resource); ``label`` names it in errors."""
    try:
        text = source.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise PriceIndexError(f"nie można odczytać pliku ({error})", file=label,
                              hint="Zapisz plik jako CSV w kodowaniu UTF-8.") from None
    return parse_price_index(text, label)


def packaged_price_index() -> PriceIndex:
    """The index shipped with the catalogue (``wkus_lib/data/ceny_gus_cpi.csv``)."""
    return read_price_index(resources.files("wkus_lib") / "data" / PRICES_FILE,
                            f"wkus_lib/data/{PRICES_FILE}")
