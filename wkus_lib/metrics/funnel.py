"""Funnel-plot statistics: a pooled mean and control limits for unit scores (pure).

Units (gminy) are compared against the respondent-weighted mean of the
published units with limits that narrow as the number of respondents grows
(Spiegelhalter 2005), never ranked. :func:`pooled_score` gives the centre and
spread, :func:`funnel_limits` the 95 % and 99.8 % limits, :func:`funnel_positions`
each unit's place against them (a key of :data:`POSITIONS`; the report words it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

FUNNEL_LEVELS: Final[Mapping[str, float]] = {"95": 0.95, "998": 0.998}
"""Control limits of the funnel: key → two-sided coverage (95 % warning, 99.8 % alarm)."""
SCORE_BOUNDS: Final = (0.0, 100.0)

Position = str
POSITIONS: Final[tuple[Position, ...]] = (
    "within", "above_95", "above_998", "below_95", "below_998", "hidden", "missing",
)
"""Where a unit lies against the limits; the report gives each a label."""


@dataclass(frozen=True)
class PooledScore:
    """The centre and spread of a funnel plot.

    ``mean`` is the respondent-weighted mean of the units' scores
    (``Σ nᵢ x̄ᵢ / Σ nᵢ``), ``sd`` the pooled within-unit standard deviation
    of respondent scores (``√(Σ (nᵢ − 1) sᵢ² / Σ (nᵢ − 1))``); ``units`` and
    ``respondents`` count what went in.
    """

    mean: float
    sd: float
    units: int
    respondents: int


def _float_array(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Counts that may hold pd.NA (nullable integers) as floats with nan."""
    series = pd.Series(np.asarray(values, dtype=object))
    floats: npt.NDArray[np.float64] = pd.to_numeric(series, errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    return floats


def pooled_score(values: npt.ArrayLike, n: npt.ArrayLike, sd: npt.ArrayLike) -> PooledScore:
    """Pooled mean and SD of unit scores; units with a missing part or n < 2 are left out.

    Pass only published units (see the module docstring).

    Raises
    ------
    ValueError
        When fewer than two units remain: a funnel needs a spread.
    """
    x = np.asarray(values, dtype=float)
    counts = _float_array(n)
    s = np.asarray(sd, dtype=float)
    keep = ~(np.isnan(x) | np.isnan(counts) | np.isnan(s)) & (counts >= 2)
    if keep.sum() < 2:
        raise ValueError("Do wykresu lejkowego potrzeba co najmniej dwóch jednostek z wynikiem.")
    x, counts, s = x[keep], counts[keep], s[keep]
    mean = float(np.sum(counts * x) / np.sum(counts))
    pooled = float(np.sqrt(np.sum((counts - 1) * s**2) / np.sum(counts - 1)))
    return PooledScore(mean=mean, sd=pooled, units=int(keep.sum()),
                       respondents=int(counts.sum()))


def funnel_limits(
    n: npt.ArrayLike,
    target: float,
    sd: float,
    *,
    levels: Mapping[str, float] = FUNNEL_LEVELS,
    bounds: tuple[float, float] | None = SCORE_BOUNDS,
) -> pd.DataFrame:
    r"""Control limits of a funnel plot for means of ``n`` respondents (normal approximation).

    .. math::

        \theta \pm z_{(1+p)/2} \, \frac{\sigma}{\sqrt{n}}

    with :math:`\theta` the ``target`` (pooled mean), :math:`\sigma` the
    pooled SD of respondent scores and :math:`p` each level of ``levels``
    (95 % and 99.8 % by default: :math:`z` = 1.960 and 3.090), clipped to
    ``bounds``.

    Returns
    -------
    pandas.DataFrame
        ``n`` and, for each level key ``k``, ``low_k`` and ``high_k``.

    References
    ----------
    Spiegelhalter D. J. (2005), "Funnel plots for comparing institutional
    performance", *Statistics in Medicine* 24(8), 1185–1202.

    Examples
    --------
    >>> limits = funnel_limits([16], target=77.5, sd=20.0)
    >>> round(float(limits.loc[0, "low_95"]), 2), round(float(limits.loc[0, "high_95"]), 2)
    (67.7, 87.3)
    """
    counts = np.asarray(n, dtype=float)
    if np.any(counts <= 0):
        raise ValueError("Liczba odpowiedzi w wykresie lejkowym musi być dodatnia.")
    frame = pd.DataFrame({"n": counts})
    se = sd / np.sqrt(counts)
    for key, level in levels.items():
        z = float(stats.norm.ppf((1.0 + level) / 2.0))
        low, high = target - z * se, target + z * se
        if bounds is not None:
            low, high = np.clip(low, *bounds), np.clip(high, *bounds)
        frame[f"low_{key}"] = low
        frame[f"high_{key}"] = high
    return frame


def funnel_positions(
    values: npt.ArrayLike,
    n: npt.ArrayLike,
    target: float,
    sd: float,
    *,
    hidden: npt.ArrayLike | None = None,
) -> npt.NDArray[np.str_]:
    """Each unit's place against the 95 % and 99.8 % limits (one of :data:`POSITIONS`).

    A value on a limit counts as inside. ``hidden`` units give ``hidden``;
    units without a value or n give ``missing``.
    """
    x = np.asarray(values, dtype=float)
    counts = _float_array(n)
    hide = np.zeros(len(x), dtype=bool) if hidden is None else np.asarray(hidden, dtype=bool)
    known = ~(np.isnan(x) | np.isnan(counts) | hide) & (np.nan_to_num(counts) > 0)
    out = np.full(len(x), "missing", dtype=object)
    out[hide] = "hidden"
    if known.any():
        limits = funnel_limits(counts[known], target, sd)
        v = x[known]
        out[known] = np.select(
            [v > limits["high_998"], v > limits["high_95"],
             v < limits["low_998"], v < limits["low_95"]],
            ["above_998", "above_95", "below_998", "below_95"], default="within",
        )
    return out.astype(np.str_)
