"""Small-cell suppression of survey statistics and free-text quotes.

Client data are personal data of social-assistance beneficiaries (RODO), so
no statistic from fewer than ``threshold`` respondents is published, and no
quote from a group under ``QUOTE_THRESHOLD`` respondents (DOMAIN.md §6).

Primary suppression hides the small cells. Secondary suppression protects
them from subtraction: a group total published elsewhere (the gmina's
overall score, the total n) minus the visible cells of the group equals the
hidden cells taken together, so each group must hide either nothing or at
least two cells with together at least ``threshold`` respondents. Every
suppressed cell is listed in a log for the methods appendix; the log never
contains the suppressed counts themselves.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

DEFAULT_THRESHOLD: Final = 5
QUOTE_THRESHOLD: Final = 10

SUPPRESSED_COLUMN: Final = "suppressed"
LOG_COLUMNS: Final = ("row", "reason", "kind")
PRIMARY: Final = "primary"
SECONDARY: Final = "secondary"
SECONDARY_REASON: Final = "ukrycie wtórne (ochrona przed odejmowaniem)"
UNKNOWN_GROUP_SIZE_REASON: Final = "nieznana liczba respondentów w grupie"

_Positions = npt.NDArray[np.intp]


@dataclass(frozen=True)
class SuppressionResult:
    """A table after suppression and the log of what was hidden.

    Attributes
    ----------
    table : pandas.DataFrame
        The input rows in their order, plus a bool column ``suppressed``;
        the hidden value columns of suppressed rows are NA.
    log : pandas.DataFrame
        One row per suppressed row: the group columns, ``row`` (the row's
        index label), ``reason`` (Polish, for the methods appendix) and
        ``kind`` (``"primary"`` or ``"secondary"``).
    """

    table: pd.DataFrame
    log: pd.DataFrame


def small_cell_reason(threshold: int) -> str:
    """Log reason of a primary suppressed cell, e.g. ``"mniej niż 5 odpowiedzi"``."""
    return f"mniej niż {threshold} odpowiedzi"


def small_group_reason(threshold: int) -> str:
    """Log reason of a suppressed quote, e.g. ``"mniej niż 10 respondentów w grupie"``."""
    return f"mniej niż {threshold} respondentów w grupie"


def _check_arguments(
    frame: pd.DataFrame, columns: Iterable[str], group_columns: Sequence[str], threshold: int
) -> None:
    if threshold < 1:
        raise ValueError(f"Próg ukrywania musi wynosić co najmniej 1 (podano {threshold}).")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"Brak kolumn w tabeli: {', '.join(missing)}.")
    if SUPPRESSED_COLUMN in frame.columns:
        raise ValueError(f"Tabela ma już kolumnę „{SUPPRESSED_COLUMN}”.")
    clashing = [c for c in group_columns if c in LOG_COLUMNS]
    if clashing:
        raise ValueError(f"Kolumny grupujące nie mogą się nazywać: {', '.join(clashing)}.")


def _cell_counts(table: pd.DataFrame, count_column: str) -> npt.NDArray[np.int64]:
    numbers = pd.to_numeric(table[count_column], errors="coerce")
    counts: npt.NDArray[np.float64] = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    invalid = np.isnan(counts) | (counts < 0) | (counts != np.floor(counts))
    if invalid.any():
        label = table.index[int(np.argmax(invalid))]
        raise ValueError(
            f"Kolumna „{count_column}”, wiersz {label!r}: liczba odpowiedzi musi być "
            "nieujemną liczbą całkowitą."
        )
    return counts.astype(np.int64)


def _tie_break_rank(index: pd.Index) -> npt.NDArray[np.intp]:
    # Rank by row label, so that a permutation of the rows suppresses the same
    # cells; for the usual RangeIndex this is the original row order.
    positions = np.arange(len(index), dtype=np.intp)
    if not index.is_unique:
        return positions
    try:
        sorter = np.asarray(index.argsort(), dtype=np.intp)
    except TypeError:
        return positions
    rank = np.empty_like(positions)
    rank[sorter] = positions
    return rank


def _groups(frame: pd.DataFrame, group_columns: Sequence[str]) -> list[_Positions]:
    if not group_columns:
        return [np.arange(len(frame), dtype=np.intp)]
    grouped = frame.groupby(list(group_columns), dropna=False, sort=False)
    return [np.asarray(p, dtype=np.intp) for p in grouped.indices.values()]


def _protect_group(
    positions: _Positions,
    counts: npt.NDArray[np.int64],
    rank: npt.NDArray[np.intp],
    threshold: int,
) -> dict[int, str]:
    """Suppression kind of each hidden row of one group, by position."""
    kinds = {int(p): PRIMARY for p in positions if 0 < counts[p] < threshold}
    if not kinds:
        return kinds
    hidden_total = int(sum(counts[p] for p in kinds))
    # Zero cells add no protection: their count is known to be nothing.
    complements = iter(
        sorted(
            (int(p) for p in positions if int(p) not in kinds and counts[p] > 0),
            key=lambda p: (counts[p], rank[p]),
        )
    )
    while len(kinds) < 2 or hidden_total < threshold:
        position = next(complements, None)
        if position is None:
            # The group's own total is then a small cell: hide all of it.
            return {int(p): kinds.get(int(p), SECONDARY) for p in positions}
        kinds[position] = SECONDARY
        hidden_total += int(counts[position])
    return kinds


def _with_missing(column: pd.Series, hide: npt.NDArray[np.bool_]) -> pd.Series:
    # NumPy bool and integer columns cannot hold NA: widen them to the
    # nullable dtypes instead of letting pandas turn counts into floats.
    if isinstance(column.dtype, np.dtype) and column.dtype.kind == "b":
        column = column.astype("boolean")
    elif isinstance(column.dtype, np.dtype) and column.dtype.kind in "iu":
        column = column.astype("Int64")
    return column.mask(hide)


def _result(
    frame: pd.DataFrame,
    kinds: Mapping[int, str],
    reasons: Mapping[int, str],
    hidden_columns: Sequence[str],
    group_columns: Sequence[str],
) -> SuppressionResult:
    hide = np.zeros(len(frame), dtype=np.bool_)
    hide[list(kinds)] = True
    table = frame.copy()
    for column in hidden_columns:
        table[column] = _with_missing(table[column], hide)
    table[SUPPRESSED_COLUMN] = hide
    positions = sorted(kinds)
    records = zip(
        *(frame[g].iloc[positions].tolist() for g in group_columns),
        frame.index[positions].tolist(),
        [reasons[p] for p in positions],
        [kinds[p] for p in positions],
        strict=True,
    )
    log = pd.DataFrame.from_records(list(records), columns=[*group_columns, *LOG_COLUMNS])
    return SuppressionResult(table=table, log=log)


def suppress_small_cells(
    table: pd.DataFrame,
    *,
    count_column: str = "n",
    value_columns: Sequence[str],
    threshold: int = DEFAULT_THRESHOLD,
    group_columns: Sequence[str] = (),
) -> SuppressionResult:
    r"""Hide statistics from fewer than ``threshold`` respondents, with secondary suppression.

    Primary: a cell with :math:`0 < n < t` is hidden (an empty cell,
    :math:`n = 0`, has no statistic to protect). Secondary: within each group
    (rows sharing ``group_columns``; the whole table if none) the hidden set
    :math:`H` must satisfy

    .. math::

        H = \emptyset \quad\text{or}\quad |H| \ge 2 \;\wedge\; \sum_{c\in H} n_c \ge t,

    so that the group total minus the visible cells reveals only an
    aggregate of at least :math:`t` respondents spread over at least two
    cells. Cells are added smallest :math:`n` first; ties go to the smaller
    row label (the original row order for a default index), so a permutation
    of the rows hides the same cells. A group that cannot be protected this
    way has a total below :math:`t` itself and is hidden whole; its total must
    then not be published either.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per cell (e.g. gmina × area × year) with its number of
        respondents in ``count_column``.
    count_column : str
        Number of respondents behind each cell; non-negative integers.
    value_columns : sequence of str
        Columns set to NA in hidden rows. Include ``count_column`` to hide
        the small counts too, as a frequency table should.
    threshold : int
        Fewest respondents for a published statistic (statistical offices
        use 3–10; 5 is the common survey default).
    group_columns : sequence of str
        Columns whose values define the groups sharing a published total.

    Returns
    -------
    SuppressionResult
        The table with ``suppressed`` and the log: reason
        ``"mniej niż {threshold} odpowiedzi"`` (primary) or
        ``"ukrycie wtórne (ochrona przed odejmowaniem)"`` (secondary).

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley,
    ch. 4 (threshold rule, primary and secondary cell suppression).

    Examples
    --------
    >>> cells = pd.DataFrame({"area": ["sport", "kultura", "zdrowie"],
    ...                       "n": [3, 12, 20], "score": [80.0, 65.0, 70.0]})
    >>> result = suppress_small_cells(cells, value_columns=["score"])
    >>> result.table["suppressed"].tolist()
    [True, True, False]
    >>> result.log["kind"].tolist()
    ['primary', 'secondary']
    """
    columns = [count_column, *value_columns, *group_columns]
    _check_arguments(table, columns, group_columns, threshold)
    counts = _cell_counts(table, count_column)
    rank = _tie_break_rank(table.index)
    kinds: dict[int, str] = {}
    for positions in _groups(table, group_columns):
        kinds.update(_protect_group(positions, counts, rank, threshold))
    primary_reason = small_cell_reason(threshold)
    reasons = {p: primary_reason if k == PRIMARY else SECONDARY_REASON for p, k in kinds.items()}
    return _result(table, kinds, reasons, value_columns, group_columns)


def _group_size_lookup(
    group_sizes: pd.Series | Mapping[Any, float], width: int
) -> dict[tuple[Hashable, ...], float]:
    items = group_sizes.items()
    lookup: dict[tuple[Hashable, ...], float] = {}
    for key, size in items:
        normalised = key if isinstance(key, tuple) else (key,)
        if len(normalised) != width:
            raise ValueError(
                f"Klucz liczebności grupy {key!r} ma {len(normalised)} elementów, "
                f"a kolumn grupujących jest {width}."
            )
        lookup[normalised] = float("nan") if pd.isna(size) else float(size)
    return lookup


def suppress_quotes(
    comments: pd.DataFrame,
    *,
    group_sizes: pd.Series | Mapping[Any, float],
    group_columns: Sequence[str],
    threshold: int = QUOTE_THRESHOLD,
    text_columns: Sequence[str] = ("text",),
) -> SuppressionResult:
    """Hide free-text quotes from groups with fewer than ``threshold`` respondents.

    A quote is more identifying than a number (style, details, events), so
    the threshold is higher than for statistics. The group size is the
    number of respondents of the group, not the number of comments. A group
    missing from ``group_sizes`` (or with an NA size) is treated as too
    small: a quote is only shown when it is known to be safe.

    Parameters
    ----------
    comments : pandas.DataFrame
        One row per quote with the ``group_columns`` and ``text_columns``.
    group_sizes : pandas.Series or mapping
        Respondents per group, keyed like ``comments.groupby(group_columns)``:
        a scalar key for one group column, a tuple for several.
    group_columns : sequence of str
        At least one column defining the groups (e.g. teryt, area, year).
    threshold : int
        Fewest respondents of a group whose quotes may be shown.
    text_columns : sequence of str
        Columns set to NA in hidden rows.

    Returns
    -------
    SuppressionResult
        Every hidden quote is logged as ``"primary"`` with reason
        ``"mniej niż {threshold} respondentów w grupie"`` or
        ``"nieznana liczba respondentów w grupie"``.

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley,
    ch. 3 (microdata: identification through rare combinations).

    Examples
    --------
    >>> quotes = pd.DataFrame({"teryt": ["2009042", "2011083"],
    ...                        "text": ["Pani Ania zawsze pomoże.", "Dobrze zorganizowane."]})
    >>> result = suppress_quotes(quotes, group_sizes={"2009042": 4, "2011083": 31},
    ...                          group_columns=["teryt"])
    >>> result.table["text"].isna().tolist()
    [True, False]
    """
    if not group_columns:
        raise ValueError("Podaj co najmniej jedną kolumnę grupującą wypowiedzi.")
    _check_arguments(comments, [*group_columns, *text_columns], group_columns, threshold)
    sizes = _group_size_lookup(group_sizes, len(group_columns))
    small_reason = small_group_reason(threshold)
    keys = zip(*(comments[c] for c in group_columns), strict=True)
    reasons: dict[int, str] = {}
    for position, key in enumerate(keys):
        size = sizes.get(key, float("nan"))
        if np.isnan(size):
            reasons[position] = UNKNOWN_GROUP_SIZE_REASON
        elif size < threshold:
            reasons[position] = small_reason
    kinds = dict.fromkeys(reasons, PRIMARY)
    return _result(comments, kinds, reasons, text_columns, group_columns)
