"""Point estimates with confidence intervals for survey scores and shares.

Small gminy have small samples, so every survey score is shown with its n
and an interval (DOMAIN.md §6). A mean gets a Student-t interval (clipped to
the quantity's range, e.g. 0–100), a share a Wilson score interval; both
return an :class:`Estimate`. A mean of identical values has no interval
(not a zero-width one); the methods appendix says so.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its number of observations and interval.

    Attributes
    ----------
    value : float
        Point estimate; nan if ``n == 0``.
    n : int
        Number of observations used (missing ones excluded).
    low, high : float
        Bounds of the confidence interval; nan when it is undefined
        (a mean from fewer than 2 values, a share of 0 observations).
    level : float
        Confidence level of the interval.
    """

    value: float
    n: int
    low: float
    high: float
    level: float = 0.95


def without_spread(sd: ArrayLike, mean: ArrayLike) -> np.ndarray:
    """Whether values with this SD and mean all agree (SD zero, or rounding noise from sums).

    Such a group gets no interval (see :func:`mean_with_ci`).

    >>> without_spread([0.0, 1e-14, 2.5], [75.0, 75.0, 75.0]).tolist()
    [True, True, False]
    """
    spread = np.asarray(sd, dtype=float)
    centre = np.asarray(mean, dtype=float)
    result: np.ndarray = spread <= 1e-12 * np.maximum(1.0, np.abs(centre))
    return result


def validate_level(level: float) -> None:
    """Raise :class:`ValueError` unless ``0 < level < 1``."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"Poziom ufności musi leżeć między 0 a 1 (podano {level}).")


def mean_with_ci(
    values: ArrayLike,
    *,
    level: float = 0.95,
    bounds: tuple[float, float] | None = None,
) -> Estimate:
    r"""Mean with a Student-t confidence interval; missing values are dropped.

    .. math::

        \bar x \pm t_{(1+\gamma)/2,\;n-1}\,\frac{s}{\sqrt n}

    where :math:`s` is the sample standard deviation (``ddof=1``) and
    :math:`\gamma` the confidence ``level``.

    Parameters
    ----------
    values : array-like
        Observations; NaN and ``pd.NA`` count as missing.
    level : float
        Confidence level, ``0 < level < 1``.
    bounds : (float, float), optional
        Range the quantity cannot leave (0–100 for scores). The interval is
        clipped to it; a value outside it raises :class:`ValueError`, because
        clipping would then hide an upstream error.

    Returns
    -------
    Estimate
        ``value`` nan if no values; ``low``/``high`` nan if fewer than 2
        values or if all values are equal: a zero-width interval would claim
        a certainty that a handful of identical answers cannot give, so the
        report shows no interval and says why.

    References
    ----------
    NIST/SEMATECH e-Handbook of Statistical Methods, §7.2.2.1
    "Confidence limits for the mean".

    Examples
    --------
    >>> e = mean_with_ci([60, 70, 80, float("nan")], bounds=(0, 100))
    >>> e.value, e.n, round(e.low, 3), round(e.high, 3)
    (70.0, 3, 45.159, 94.841)
    >>> agreeing = mean_with_ci([75, 75, 75], bounds=(0, 100))
    >>> agreeing.value, agreeing.n, agreeing.low, agreeing.high
    (75.0, 3, nan, nan)
    """
    validate_level(level)
    data = np.asarray(values, dtype=np.float64).ravel()
    data = data[~np.isnan(data)]
    if not np.all(np.isfinite(data)):
        raise ValueError("Wartości zawierają nieskończoność.")
    if bounds is not None:
        lower_bound, upper_bound = bounds
        if not lower_bound <= upper_bound:
            raise ValueError(f"Niepoprawny zakres {bounds}: dolna granica większa od górnej.")
        outside = data[(data < lower_bound) | (data > upper_bound)]
        if outside.size:
            raise ValueError(
                f"Wartości poza zakresem [{lower_bound}, {upper_bound}]: "
                f"{', '.join(str(v) for v in outside[:5])}."
            )
    n = int(data.size)
    if n == 0:
        return Estimate(value=math.nan, n=0, low=math.nan, high=math.nan, level=level)
    mean = float(np.mean(data))
    if bounds is not None:
        # Rounding in the sum may push the mean of in-range data one ulp out.
        mean = min(max(mean, bounds[0]), bounds[1])
    if n < 2:
        return Estimate(value=mean, n=n, low=math.nan, high=math.nan, level=level)
    sd = float(np.std(data, ddof=1))
    if without_spread(sd, mean):
        return Estimate(value=mean, n=n, low=math.nan, high=math.nan, level=level)
    standard_error = sd / math.sqrt(n)
    half_width = float(stats.t.ppf((1.0 + level) / 2.0, n - 1)) * standard_error
    low, high = mean - half_width, mean + half_width
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return Estimate(value=mean, n=n, low=low, high=high, level=level)


def proportion_with_ci(successes: int, n: int, *, level: float = 0.95) -> Estimate:
    r"""Share of successes with the Wilson score interval.

    With :math:`\hat p = x/n` and :math:`z = \Phi^{-1}((1+\gamma)/2)`:

    .. math::

        \frac{\hat p + \frac{z^2}{2n}}{1 + \frac{z^2}{n}}
        \pm \frac{z}{1 + \frac{z^2}{n}}
        \sqrt{\frac{\hat p(1-\hat p)}{n} + \frac{z^2}{4n^2}}

    Unlike the Wald interval it stays inside [0, 1] and keeps its coverage
    for the small n and extreme shares typical of a small gmina.

    Parameters
    ----------
    successes : int
        Number of successes, ``0 <= successes <= n``.
    n : int
        Number of trials.
    level : float
        Confidence level, ``0 < level < 1``.

    Returns
    -------
    Estimate
        ``value`` = :math:`\hat p`; everything nan if ``n == 0``.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and
    statistical inference. *JASA* 22(158):209–212. Brown, L. D., Cai, T. T.,
    DasGupta, A. (2001). Interval estimation for a binomial proportion.
    *Statistical Science* 16(2):101–133.

    Examples
    --------
    >>> e = proportion_with_ci(3, 10)
    >>> e.value, round(e.low, 4), round(e.high, 4)
    (0.3, 0.1078, 0.6032)
    """
    validate_level(level)
    successes, n = operator.index(successes), operator.index(n)
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"Niepoprawna liczba sukcesów {successes} na {n} prób.")
    if n == 0:
        return Estimate(value=math.nan, n=0, low=math.nan, high=math.nan, level=level)
    share = successes / n
    z = float(stats.norm.ppf((1.0 + level) / 2.0))
    shrink = 1.0 + z * z / n
    centre = (share + z * z / (2 * n)) / shrink
    half_width = z / shrink * math.sqrt(share * (1.0 - share) / n + z * z / (4 * n * n))
    # The bounds at 0 and 1 are exact; floating point would leave ±1e-17 there.
    low = 0.0 if successes == 0 else max(centre - half_width, 0.0)
    high = 1.0 if successes == n else min(centre + half_width, 1.0)
    return Estimate(value=share, n=n, low=low, high=high, level=level)
