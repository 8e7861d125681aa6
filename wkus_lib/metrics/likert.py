"""Likert scales: reverse coding, 0–100 scores, respondent and scale scores.

Every survey item is answered on a 1–5 scale (``instruments.yaml``). A scale
(e.g. the client items of one criterion) is scored in three steps:

1. reverse-keyed items are recoded ``x' = 6 − x``;
2. each respondent's score is the mean of the items they answered, provided
   they answered at least ``min_answered`` of the scale's items (the
   missing-answer policy), rescaled ``(mean − 1) / 4 × 100`` to 0–100;
3. the scale score is the mean of respondent scores with ``n`` respondents
   and a t-interval clipped to [0, 100] (DOMAIN.md §6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from wkus_lib.domain import LIKERT_MAX, LIKERT_MIN
from wkus_lib.metrics.uncertainty import Estimate, mean_with_ci, without_spread

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

SCORE_BOUNDS: Final = (0.0, 100.0)
ESTIMATE_COLUMNS: Final = ("value", "n", "sd", "ci_low", "ci_high")


def reverse_code(answers: npt.ArrayLike, reverse: npt.ArrayLike) -> FloatArray:
    """Recode reverse-keyed answers: ``x' = 6 − x`` where ``reverse`` (1↔5, 2↔4).

    Parameters
    ----------
    answers
        Answers 1–5; NaN for a missing answer (stays NaN).
    reverse
        Boolean per answer (or one for all): is the item reverse-keyed?

    Examples
    --------
    >>> reverse_code([1, 2, 5], [True, False, True]).tolist()
    [5.0, 2.0, 1.0]
    """
    x = np.asarray(answers, dtype=float)
    return np.where(np.asarray(reverse, dtype=bool), (LIKERT_MIN + LIKERT_MAX) - x, x)


def item_score_0_100(mean_answer: npt.ArrayLike) -> FloatArray:
    """Rescale a 1–5 mean to 0–100: ``(mean − 1) / 4 × 100``.

    Examples
    --------
    >>> item_score_0_100([1.0, 3.0, 4.5]).tolist()
    [0.0, 50.0, 87.5]
    """
    x = np.asarray(mean_answer, dtype=float)
    return (x - LIKERT_MIN) / (LIKERT_MAX - LIKERT_MIN) * 100.0


def _empty_column(dtype: object) -> pd.Series:
    # Taking nothing from an Arrow-backed index gives an array of no chunks,
    # which pandas cannot merge with another such array: build typed empty columns.
    return pd.Series([], dtype=dtype)


@dataclass(frozen=True)
class _CodedScores:
    """Every respondent's score on every scale, in the order of the group columns.

    ``row_codes`` hold every answer row's code of each group column (the
    smallest integer type); ``rows`` is one answer row of each respondent ×
    scale (the first), so ``row_codes[c][rows]`` are its codes, and
    ``uniques`` turn codes back into values. ``scale_group`` numbers the
    keys + scale columns of each score, increasing in the same order.
    """

    uniques: dict[str, pd.Index]
    row_codes: dict[str, npt.NDArray[np.integer]]
    rows: IntArray
    scale_group: IntArray
    answered: IntArray
    n_items: IntArray
    score: FloatArray

    def decoded(self, columns: Sequence[str], rows: IntArray) -> dict[str, pd.Series | pd.Index]:
        """The values of ``columns`` in answer rows ``rows``."""
        if not len(rows):
            return {c: _empty_column(self.uniques[c].dtype) for c in columns}
        return {c: self.uniques[c].take(self.row_codes[c][rows]) for c in columns}


def _factorize(values: pd.Series | pd.Index) -> tuple[IntArray, pd.Index]:
    """Codes ordered like the sorted values (missing values last).

    The values are hashed as they come and only the distinct ones sorted
    (``pd.factorize(..., sort=True)`` gives the same codes, more slowly).
    """
    codes, uniques = pd.factorize(values, sort=False, use_na_sentinel=False)
    index = pd.Index(uniques)
    if index.dtype == object:
        # Python objects may not compare (text and None): pandas' own safe sort.
        sorted_codes, sorted_uniques = pd.factorize(values, sort=True, use_na_sentinel=False)
        return sorted_codes.astype(np.int64), pd.Index(sorted_uniques)
    order = index.argsort()
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order), dtype=np.int64)
    return rank[codes], index.take(order)


def _compact(codes: IntArray, size: int) -> npt.NDArray[np.integer]:
    """``codes`` (0 to ``size`` − 1) in the smallest signed integer type that holds them."""
    for dtype in (np.int8, np.int16, np.int32):
        if size <= np.iinfo(dtype).max + 1:
            return codes.astype(dtype)
    return codes


def _combined_key(
    codes: Sequence[npt.NDArray[np.integer]], sizes: Sequence[int], length: int
) -> IntArray:
    """One int64 per row that sorts like the tuple of ``codes`` (mixed radix)."""
    key = np.zeros(length, dtype=np.int64)
    limit = np.iinfo(np.int64).max
    for column, size in zip(codes, sizes, strict=True):
        radix = max(size, 1)
        if key.size and int(key.max()) > (limit - radix) // radix:
            key = pd.factorize(key, sort=True)[0].astype(np.int64)
        key *= radix
        key += column
    return key


def _coded_respondent_scores(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    keys: Sequence[str],
    scale_columns: Sequence[str],
    min_answered: float,
) -> _CodedScores:
    """Respondent scores of every scale, computed on integer codes in one sort.

    Answer rows are keyed by keys, scale and respondent (one int64 that
    sorts like those columns); one stable sort brings each respondent's
    answers to a scale together, and sums over those runs give the answered
    items and their total (sums of whole numbers: exact in any order).
    """
    scales = list(scale_columns)
    catalogue = items.drop_duplicates("item_id").set_index("item_id")
    item_codes, item_values = pd.factorize(responses["item_id"])
    position = catalogue.index.get_indexer(item_values)[item_codes]
    known = position >= 0
    everything = bool(known.all())
    position = position if everything else position[known]
    length = len(position)
    recoded = reverse_code(
        responses["answer"].to_numpy(dtype=float, na_value=np.nan)
        if everything else responses["answer"].to_numpy(dtype=float, na_value=np.nan)[known],
        catalogue["reverse"].to_numpy(dtype=bool)[position],
    )

    uniques: dict[str, pd.Index] = {}
    row_codes: dict[str, npt.NDArray[np.integer]] = {}
    for column in [*keys, "respondent_id"]:
        codes, uniques[column] = _factorize(responses[column])
        row_codes[column] = _compact(codes if everything else codes[known], len(uniques[column]))
        del codes
    scale_codes: dict[str, IntArray] = {}
    for column in scales:
        scale_codes[column], uniques[column] = _factorize(catalogue[column])
        row_codes[column] = _compact(scale_codes[column], len(uniques[column]))[position]
    del position
    group = [*keys, *scales, "respondent_id"]
    key = _combined_key([row_codes[c] for c in group], [len(uniques[c]) for c in group], length)
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    del key
    starts = np.flatnonzero(np.concatenate(([length > 0], sorted_key[1:] != sorted_key[:-1])))
    # The key without its last (respondent) digit numbers the keys + scale columns.
    scale_group = sorted_key[starts] // max(len(uniques["respondent_id"]), 1)
    del sorted_key
    answers = recoded[order]
    answered = ~np.isnan(answers)
    total = np.add.reduceat(np.where(answered, answers, 0.0), starts) if length else answers
    count = (np.add.reduceat(answered.astype(np.int64), starts) if length
             else np.zeros(0, dtype=np.int64))
    rows = order[starts]
    del order, answers, answered

    scale_sizes = [len(uniques[c]) for c in scales]
    item_scale = _combined_key([scale_codes[c] for c in scales], scale_sizes, len(catalogue))
    scale_keys, scale_counts = np.unique(item_scale, return_counts=True)
    row_scale = _combined_key([row_codes[c][rows] for c in scales], scale_sizes, len(rows))
    n_items = scale_counts[np.searchsorted(scale_keys, row_scale)]

    keep = (count > 0) & (count >= min_answered * n_items.astype(float))
    with np.errstate(divide="ignore", invalid="ignore"):
        score = item_score_0_100(total / count)
    return _CodedScores(
        uniques=uniques, row_codes=row_codes, rows=rows[keep], scale_group=scale_group[keep],
        answered=count[keep].astype(np.int64), n_items=n_items[keep].astype(np.int64),
        score=score[keep],
    )


def respondent_scores(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    keys: Sequence[str] = (),
    scale_columns: Sequence[str] = ("criterion",),
    min_answered: float = 0.5,
) -> pd.DataFrame:
    """Each respondent's 0–100 score on each scale.

    ``score = (mean of the recoded answered items − 1) / 4 × 100``; a
    respondent who answered fewer than ``min_answered × (items in the
    scale)`` items of a scale (or none) gets no score on it.

    Parameters
    ----------
    responses
        Long format: ``respondent_id``, ``item_id``, ``answer`` (1–5, missing
        allowed) and the ``keys`` columns. Answers to items not in ``items``
        are ignored.
    items
        ``item_id``, ``reverse`` and the ``scale_columns`` (the catalogue's
        :meth:`~wkus_lib.catalog.Catalog.survey_items`). The items define the
        scales, so a column named in ``scale_columns`` is taken from here even
        if ``responses`` has one too.
    keys
        Columns of ``responses`` that identify the unit (e.g. gmina, area,
        year); a respondent is identified by ``keys`` + ``respondent_id``.
    scale_columns
        Columns of ``items`` whose combination is one scale.
    min_answered
        Missing-answer policy: least share of a scale's items answered.

    Returns
    -------
    pandas.DataFrame
        ``keys``, ``scale_columns``, ``respondent_id``, ``answered`` (items
        answered), ``n_items`` (items in the scale) and ``score`` (0–100),
        sorted by those key columns.
    """
    coded = _coded_respondent_scores(
        responses, items, keys=keys, scale_columns=scale_columns, min_answered=min_answered
    )
    group = [*keys, *scale_columns, "respondent_id"]
    return pd.DataFrame({
        **coded.decoded(group, coded.rows),
        "answered": coded.answered, "n_items": coded.n_items, "score": coded.score,
    })


def grouped_mean_with_ci(
    frame: pd.DataFrame,
    value_column: str,
    by: Sequence[str],
    *,
    level: float = 0.95,
    bounds: tuple[float, float] | None = SCORE_BOUNDS,
) -> pd.DataFrame:
    """Mean, ``n``, SD and t-interval of ``value_column`` in every group of ``by``.

    The vectorised counterpart of :func:`wkus_lib.metrics.uncertainty.mean_with_ci`
    (same interval, same clipping; a test keeps the two equal):
    ``mean ± t(1 − (1 − level)/2; n − 1) × sd / √n`` clipped to ``bounds``;
    NaN values are dropped, and a group of one value, or of equal values,
    has no interval.

    Returns
    -------
    pandas.DataFrame
        ``by`` + ``value``, ``n``, ``sd``, ``ci_low``, ``ci_high`` sorted by ``by``.
    """
    grouped = frame.groupby(list(by), sort=True, observed=True, dropna=False)[value_column]
    summary = grouped.agg(["mean", "std", "count"]).reset_index()
    return summary[list(by)].assign(**_estimates(summary, level=level, bounds=bounds))


def _estimates(
    summary: pd.DataFrame, *, level: float, bounds: tuple[float, float] | None
) -> dict[str, npt.NDArray[np.generic] | pd.Series]:
    """``value``, ``n``, ``sd``, ``ci_low``, ``ci_high`` from a group-by's mean, std and count."""
    n = summary["count"].to_numpy(dtype=float)
    mean = summary["mean"].to_numpy(dtype=float)
    sd = summary["std"].to_numpy(dtype=float, na_value=np.nan)
    low, high = t_interval(mean, sd, n, level=level, bounds=bounds)
    if bounds is not None:
        # Rounding in the sum may push the mean of in-range data one ulp out.
        mean = np.clip(mean, *bounds)
    return {
        "value": np.where(n > 0, mean, np.nan),
        "n": summary["count"].to_numpy(dtype=np.int64),
        "sd": sd,
        "ci_low": low,
        "ci_high": high,
    }


def t_interval(
    mean: FloatArray,
    sd: FloatArray,
    n: FloatArray,
    *,
    level: float = 0.95,
    bounds: tuple[float, float] | None = SCORE_BOUNDS,
) -> tuple[FloatArray, FloatArray]:
    """Student t-interval ``mean ± t × sd / √n`` from summaries.

    NaN where ``n < 2`` or ``sd == 0`` (all values equal: no interval rather
    than a zero-width one, as :func:`wkus_lib.metrics.uncertainty.mean_with_ci`).
    """
    with np.errstate(invalid="ignore"):
        valid = (n >= 2) & ~without_spread(sd, mean)
    with np.errstate(invalid="ignore", divide="ignore"):
        quantile = stats.t.ppf(0.5 + level / 2, np.where(valid, n - 1, 1.0))
        half = np.where(valid, quantile * sd / np.sqrt(n), np.nan)
    low, high = mean - half, mean + half
    if bounds is not None:
        low = np.clip(low, *bounds)
        high = np.clip(high, *bounds)
    return low, high


def scale_scores(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    keys: Sequence[str] = (),
    scale_columns: Sequence[str] = ("criterion",),
    min_answered: float = 0.5,
    level: float = 0.95,
) -> pd.DataFrame:
    """Scale score (0–100) with ``n`` and interval per unit and scale.

    :func:`respondent_scores` followed by :func:`grouped_mean_with_ci` over
    ``keys`` + ``scale_columns``.
    """
    coded = _coded_respondent_scores(
        responses, items, keys=keys, scale_columns=scale_columns, min_answered=min_answered
    )
    # The group-by of grouped_mean_with_ci, on one integer per keys + scale columns.
    grouped = pd.Series(coded.score).groupby(coded.scale_group, sort=True)
    summary = grouped.agg(["mean", "std", "count"])
    first = np.flatnonzero(np.concatenate(
        ([len(coded.scale_group) > 0], coded.scale_group[1:] != coded.scale_group[:-1])))
    return pd.DataFrame({
        **coded.decoded([*keys, *scale_columns], coded.rows[first]),
        **_estimates(summary, level=level, bounds=SCORE_BOUNDS),
    })


def scale_score(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    min_answered: float = 0.5,
    level: float = 0.95,
) -> Estimate:
    """Score of one scale (all of ``items``) over all respondents of ``responses``.

    Parameters
    ----------
    responses
        ``respondent_id``, ``item_id``, ``answer`` (1–5, missing allowed).
    items
        The scale's items: ``item_id`` and ``reverse``.
    min_answered
        Missing-answer policy (see :func:`respondent_scores`).
    level
        Confidence level of the interval.

    Returns
    -------
    Estimate
        Mean respondent score (0–100), respondents ``n`` and a t-interval
        clipped to [0, 100] from :func:`~wkus_lib.metrics.uncertainty.mean_with_ci`.

    Examples
    --------
    Two respondents, items ``a`` and reverse-keyed ``b``: (4, 2→4) → mean 4 →
    75; (5, 1→5) → 100; scale score (75 + 100) / 2 = 87.5.

    >>> responses = pd.DataFrame({"respondent_id": ["r1", "r1", "r2", "r2"],
    ...                           "item_id": ["a", "b", "a", "b"], "answer": [4, 2, 5, 1]})
    >>> items = pd.DataFrame({"item_id": ["a", "b"], "reverse": [False, True]})
    >>> scale_score(responses, items).value
    87.5
    """
    scores = respondent_scores(
        responses, items.assign(scale="skala"), scale_columns=("scale",),
        min_answered=min_answered,
    )
    return mean_with_ci(scores["score"], level=level, bounds=SCORE_BOUNDS)
