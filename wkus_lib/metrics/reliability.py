"""Reliability of a survey scale: Cronbach's α and item diagnostics.

A scale is a respondents × items table of Likert answers, reverse-keyed items
already recoded. Conventions (DOMAIN.md §6): α ≥ 0.70 acceptable, ≥ 0.80
good, > 0.95 suggests redundant items; corrected item–total correlation below
0.30 is flagged; below the minimum number of respondents the report says
"za mało respondentów" instead of a number.

Missing answers follow ``nan_policy``: ``"pairwise"`` estimates every
covariance from the respondents who answered both items (R ``psych::alpha``
``use="pairwise"``); ``"listwise"`` keeps only respondents who answered every
item. Respondents who answered no item of the scale are not respondents of
it and are dropped under both policies. All statistics of a scale come from
one covariance matrix, so α, the item–total correlations and α-if-deleted
describe the same respondents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from wkus_lib.metrics.uncertainty import validate_level

NanPolicy = Literal["pairwise", "listwise"]
DEFAULT_NAN_POLICY: Final[NanPolicy] = "pairwise"
"""Missing answers in reports: pairwise covariances (the methods appendix says so)."""

ACCEPTABLE_ALPHA: Final = 0.70
GOOD_ALPHA: Final = 0.80
REDUNDANT_ALPHA: Final = 0.95
LOW_ITEM_TOTAL_CORRELATION: Final = 0.30

VERDICT_TOO_FEW: Final = "za mało respondentów"
VERDICT_LOW: Final = "niska (< 0,70)"
VERDICT_ACCEPTABLE: Final = "akceptowalna"
VERDICT_GOOD: Final = "dobra"
VERDICT_REDUNDANT: Final = "możliwe zbędne pozycje (> 0,95)"
VERDICT_UNDEFINED: Final = "nie można obliczyć (brak zróżnicowania odpowiedzi)"

_FloatMatrix = npt.NDArray[np.float64]

_ROUNDING_NOISE: Final = 1e-12
"""A variance below this share of the summed item variances is rounding noise
(e.g. a total score that is constant, left at 1e-16 by floating point)."""


@dataclass(frozen=True)
class ReliabilityReport:
    """Everything the methods appendix says about one scale.

    Attributes
    ----------
    alpha, ci_low, ci_high : float
        Cronbach's α and its Feldt interval; nan when too few respondents.
    n_respondents : int
        Respondents used (see the module docstring for each ``nan_policy``).
    n_items : int
        Items of the scale.
    items : pandas.DataFrame
        Index ``item_id``; columns ``item_total_correlation``,
        ``alpha_if_deleted`` and ``low_correlation`` (bool, < 0.30).
    verdict : str
        Polish verdict, one of the ``VERDICT_*`` constants.
    """

    alpha: float
    ci_low: float
    ci_high: float
    n_respondents: int
    n_items: int
    items: pd.DataFrame
    verdict: str


def _answer_matrix(items: pd.DataFrame, nan_policy: NanPolicy) -> pd.DataFrame:
    if nan_policy not in ("pairwise", "listwise"):
        raise ValueError(f"Nieznana polityka braków danych: {nan_policy!r}.")
    if items.shape[1] < 2:
        raise ValueError("Skala musi mieć co najmniej 2 pozycje, aby obliczyć α Cronbacha.")
    if not items.columns.is_unique:
        raise ValueError("Identyfikatory pozycji skali (kolumny) powtarzają się.")
    answers = pd.DataFrame(
        items.to_numpy(dtype=np.float64, na_value=np.nan),
        index=items.index,
        columns=items.columns,
    )
    return answers.dropna(how="all" if nan_policy == "pairwise" else "any")


def _covariance(answers: pd.DataFrame) -> _FloatMatrix:
    # pandas estimates each entry from the rows complete for that pair.
    return np.asarray(answers.cov().to_numpy(), dtype=np.float64)


def _alpha_from_covariance(cov: _FloatMatrix) -> float:
    k = int(cov.shape[0])
    summed_item_variance = float(np.trace(cov))
    total_variance = float(cov.sum())
    if k < 2 or not total_variance > _ROUNDING_NOISE * abs(summed_item_variance):
        return math.nan
    return k / (k - 1) * (1.0 - summed_item_variance / total_variance)


def _feldt_interval(alpha: float, n: int, k: int, level: float) -> tuple[float, float]:
    if n < 2 or math.isnan(alpha):
        return math.nan, math.nan
    df1, df2 = n - 1, (n - 1) * (k - 1)
    tail = (1.0 - level) / 2.0
    low = 1.0 - (1.0 - alpha) * float(stats.f.isf(tail, df1, df2))
    high = 1.0 - (1.0 - alpha) * float(stats.f.isf(1.0 - tail, df1, df2))
    return low, high


def _others(k: int, item: int) -> npt.NDArray[np.bool_]:
    mask: npt.NDArray[np.bool_] = np.arange(k) != item
    return mask


def _item_total_from_covariance(cov: _FloatMatrix) -> list[float]:
    k = cov.shape[0]
    noise = _ROUNDING_NOISE * abs(float(np.trace(cov)))
    correlations = []
    for item in range(k):
        others = _others(k, item)
        item_variance = float(cov[item, item])
        rest_variance = float(cov[np.ix_(others, others)].sum())
        if item_variance > noise and rest_variance > noise:
            covariance_with_rest = float(cov[item, others].sum())
            correlations.append(covariance_with_rest / math.sqrt(item_variance * rest_variance))
        else:
            correlations.append(math.nan)
    return correlations


def _alpha_if_deleted_from_covariance(cov: _FloatMatrix) -> list[float]:
    k = cov.shape[0]
    return [
        _alpha_from_covariance(cov[np.ix_(_others(k, item), _others(k, item))])
        for item in range(k)
    ]


def cronbach_alpha(
    items: pd.DataFrame,
    *,
    nan_policy: NanPolicy = "pairwise",
    level: float = 0.95,
) -> tuple[float, tuple[float, float]]:
    r"""Cronbach's α with Feldt's confidence interval.

    .. math::

        \alpha = \frac{k}{k-1}\left(1 - \frac{\sum_i \sigma^2_i}{\sigma^2_X}\right),
        \qquad \sigma^2_X = \sum_{i,j} C_{ij}

    where :math:`C` is the item covariance matrix and :math:`k` the number of
    items. Feldt's interval, with :math:`n` respondents and
    :math:`F_q` the upper-:math:`q` quantile of :math:`F(n-1, (n-1)(k-1))`:

    .. math::

        \left[1 - (1-\alpha)F_{(1-\gamma)/2},\; 1 - (1-\alpha)F_{(1+\gamma)/2}\right]

    Agrees with ``pingouin.cronbach_alpha`` (same ``nan_policy``), except
    that the interval is not rounded and :math:`n` counts the respondents
    actually used: rows without any answer are dropped, and under
    ``"listwise"`` only complete rows count (pingouin counts all rows).

    Parameters
    ----------
    items : pandas.DataFrame
        Rows = respondents, columns = items (at least 2), reverse-keyed items
        already recoded; NaN or ``pd.NA`` = no answer.
    nan_policy : {"pairwise", "listwise"}
        How missing answers are handled (see the module docstring).
    level : float
        Confidence level of the interval.

    Returns
    -------
    alpha : float
        nan if fewer than 2 respondents or if the total score does not vary
        (its variance is zero up to rounding, or negative, which a pairwise
        covariance matrix can produce).
    (low, high) : tuple of float
        Feldt interval; nan when α is.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
    tests. *Psychometrika* 16(3):297–334. Feldt, L. S., Woodruff, D. J.,
    Salih, F. A. (1987). Statistical inference for coefficient alpha.
    *Applied Psychological Measurement* 11(1):93–103.

    Examples
    --------
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    >>> alpha, (low, high) = cronbach_alpha(items)
    >>> round(alpha, 4), round(low, 3), round(high, 3)
    (0.9333, 0.56, 0.995)
    """
    validate_level(level)
    answers = _answer_matrix(items, nan_policy)
    n, k = answers.shape
    if n < 2:
        return math.nan, (math.nan, math.nan)
    alpha = _alpha_from_covariance(_covariance(answers))
    return alpha, _feldt_interval(alpha, n, k, level)


def item_total_correlations(
    items: pd.DataFrame, *, nan_policy: NanPolicy = "pairwise"
) -> pd.Series:
    r"""Corrected item–total correlation: each item against the sum of the others.

    .. math::

        r_{i,X-i} = \frac{\sum_{j\ne i} C_{ij}}
        {\sqrt{C_{ii}\,\sum_{j,l\ne i} C_{jl}}}

    With complete data this is the Pearson correlation of the item with the
    rest score; under ``"pairwise"`` it uses the pairwise covariance matrix
    (``psych::alpha`` ``r.drop``). Values below 0.30 suggest an item that
    does not measure what the rest of the scale measures.

    Parameters
    ----------
    items : pandas.DataFrame
        Rows = respondents, columns = items (at least 2).
    nan_policy : {"pairwise", "listwise"}
        How missing answers are handled.

    Returns
    -------
    pandas.Series
        Indexed by item id, named ``item_total_correlation``; nan for an
        item or rest score without variance.

    References
    ----------
    Nunnally, J. C., Bernstein, I. H. (1994). *Psychometric Theory*, 3rd ed.,
    McGraw-Hill, ch. 8.

    Examples
    --------
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    >>> item_total_correlations(items).round(4).tolist()
    [1.0, 0.8, 0.8575]
    """
    answers = _answer_matrix(items, nan_policy)
    return pd.Series(
        _item_total_from_covariance(_covariance(answers)),
        index=pd.Index(items.columns, name="item_id"),
        name="item_total_correlation",
        dtype=np.float64,
    )


def alpha_if_deleted(items: pd.DataFrame, *, nan_policy: NanPolicy = "pairwise") -> pd.Series:
    r"""Cronbach's α of the scale without each item in turn.

    .. math::

        \alpha_{-i} = \frac{k-1}{k-2}\left(1 -
        \frac{\sum_{j\ne i} C_{jj}}{\sum_{j,l\ne i} C_{jl}}\right)

    computed on the respondents of the whole scale, so that a change
    against α is due to the item alone. An α that rises when an item is
    deleted points to an item that weakens the scale.

    Parameters
    ----------
    items : pandas.DataFrame
        Rows = respondents, columns = items (at least 2; with exactly 2 every
        value is nan, a single item has no α).
    nan_policy : {"pairwise", "listwise"}
        How missing answers are handled.

    Returns
    -------
    pandas.Series
        Indexed by item id, named ``alpha_if_deleted``.

    References
    ----------
    Cronbach, L. J. (1951), see :func:`cronbach_alpha`; R ``psych::alpha``,
    ``alpha.drop``.

    Examples
    --------
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    >>> alpha_if_deleted(items).round(4).tolist()
    [0.8, 0.96, 0.9412]
    """
    answers = _answer_matrix(items, nan_policy)
    return pd.Series(
        _alpha_if_deleted_from_covariance(_covariance(answers)),
        index=pd.Index(items.columns, name="item_id"),
        name="alpha_if_deleted",
        dtype=np.float64,
    )


def reliability_verdict(alpha: float) -> str:
    """Polish verdict on α: < 0.70 low, ≥ 0.70 acceptable, ≥ 0.80 good, > 0.95 redundant.

    Examples
    --------
    >>> reliability_verdict(0.82)
    'dobra'
    """
    if math.isnan(alpha):
        return VERDICT_UNDEFINED
    if alpha < ACCEPTABLE_ALPHA:
        return VERDICT_LOW
    if alpha < GOOD_ALPHA:
        return VERDICT_ACCEPTABLE
    if alpha <= REDUNDANT_ALPHA:
        return VERDICT_GOOD
    return VERDICT_REDUNDANT


def _item_table(
    item_ids: pd.Index, item_total: list[float], if_deleted: list[float]
) -> pd.DataFrame:
    correlation = np.asarray(item_total, dtype=np.float64)
    return pd.DataFrame(
        {
            "item_total_correlation": correlation,
            "alpha_if_deleted": np.asarray(if_deleted, dtype=np.float64),
            "low_correlation": correlation < LOW_ITEM_TOTAL_CORRELATION,
        },
        index=pd.Index(item_ids, name="item_id"),
    )


def reliability_report(
    items: pd.DataFrame,
    *,
    min_respondents: int = 10,
    nan_policy: NanPolicy = DEFAULT_NAN_POLICY,
    level: float = 0.95,
) -> ReliabilityReport:
    """α with its interval, item diagnostics and a Polish verdict for one scale.

    Below ``min_respondents`` every statistic is nan and the verdict is
    ``"za mało respondentów"``: with a handful of respondents α is too
    unstable to print. Otherwise the verdict follows
    :func:`reliability_verdict`.

    Parameters
    ----------
    items : pandas.DataFrame
        Rows = respondents, columns = items (at least 2), reverse-keyed items
        already recoded.
    min_respondents : int
        Fewest respondents (as counted under ``nan_policy``) for a number.
    nan_policy : {"pairwise", "listwise"}
        How missing answers are handled.
    level : float
        Confidence level of α's interval.

    Returns
    -------
    ReliabilityReport

    Examples
    --------
    >>> items = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    >>> reliability_report(items).verdict
    'za mało respondentów'
    >>> round(reliability_report(items, min_respondents=4).alpha, 4)
    0.9333
    """
    validate_level(level)
    if min_respondents < 2:
        raise ValueError("Minimalna liczba respondentów musi wynosić co najmniej 2.")
    answers = _answer_matrix(items, nan_policy)
    n, k = answers.shape
    if n < min_respondents:
        missing = [math.nan] * k
        return ReliabilityReport(
            alpha=math.nan, ci_low=math.nan, ci_high=math.nan, n_respondents=n,
            n_items=k, items=_item_table(items.columns, missing, missing),
            verdict=VERDICT_TOO_FEW,
        )
    cov = _covariance(answers)
    alpha = _alpha_from_covariance(cov)
    low, high = _feldt_interval(alpha, n, k, level)
    return ReliabilityReport(
        alpha=alpha, ci_low=low, ci_high=high, n_respondents=n, n_items=k,
        items=_item_table(
            items.columns,
            _item_total_from_covariance(cov),
            _alpha_if_deleted_from_covariance(cov),
        ),
        verdict=reliability_verdict(alpha),
    )
