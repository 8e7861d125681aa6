"""Robust outlier flags for data-quality checks before results (DOMAIN.md §6).

Unit costs, hours and counts from a handful of contracts are skewed and
short: a mean ± k·SD rule is pulled by the very outlier it looks for, so
outliers are judged against the median (modified z-score) or the quartiles
(Tukey's fences). Missing values are never flagged.

A statistical rule alone fires on trivial spreads: five unit costs of
9,43–9,45 zł make 9,52 zł "z = 5,40", 0,8 % above their median. A flag therefore also needs a
difference from the median of at least ``min_relative_change`` % of the
median (:func:`relative_change_from_median`), a minimum meaningful spread
the catalogue sets.
"""

from __future__ import annotations

from typing import Final, Literal

import numpy as np
import numpy.typing as npt
from numpy.typing import ArrayLike

MAD_SCALE: Final = 0.6745
"""Φ⁻¹(0.75): makes MAD comparable to a standard deviation for normal data."""
MEAN_AD_SCALE: Final = 1.253314
"""√(π/2): makes the mean absolute deviation comparable to a standard deviation."""


def _as_vector(values: ArrayLike) -> npt.NDArray[np.float64]:
    data = np.asarray(values, dtype=np.float64)
    if data.ndim != 1:
        raise ValueError(f"Oczekiwano jednowymiarowego ciągu wartości (wymiar {data.ndim}).")
    if np.isinf(data).any():
        raise ValueError("Wartości zawierają nieskończoność.")
    return data


def modified_z_scores(values: ArrayLike) -> npt.NDArray[np.float64]:
    r"""Iglewicz–Hoaglin modified z-scores; NaN stays NaN.

    .. math::

        M_i = \frac{0.6745\,(x_i - \tilde x)}{\mathrm{MAD}},
        \qquad \mathrm{MAD} = \operatorname{median}_i |x_i - \tilde x|

    When more than half of the values equal the median, MAD is 0; then the
    mean absolute deviation around the median replaces it,
    :math:`M_i = (x_i - \tilde x) / (1.253314\cdot\mathrm{MeanAD})`, and if
    that is 0 too (all values equal) every score is 0.

    Parameters
    ----------
    values : array-like
        One-dimensional observations; NaN or ``pd.NA`` = missing.

    Returns
    -------
    numpy.ndarray
        Float scores, same length as ``values``.

    References
    ----------
    Iglewicz, B., Hoaglin, D. C. (1993). *How to Detect and Handle
    Outliers*. ASQC Quality Press, §3.3. The MeanAD fallback as in IBM SPSS
    Statistics; :math:`E|X-\mu| = \sigma\sqrt{2/\pi}` for normal data.

    Examples
    --------
    >>> modified_z_scores([10, 12, 11, 13, 40]).round(3).tolist()
    [-1.349, 0.0, -0.674, 0.674, 18.886]
    """
    data = _as_vector(values)
    scores = np.full(data.shape, np.nan)
    observed = ~np.isnan(data)
    if not observed.any():
        return scores
    deviation = data[observed] - np.median(data[observed])
    mad = float(np.median(np.abs(deviation)))
    if mad > 0.0:
        scores[observed] = MAD_SCALE * deviation / mad
        return scores
    mean_ad = float(np.mean(np.abs(deviation)))
    scores[observed] = deviation / (MEAN_AD_SCALE * mean_ad) if mean_ad > 0.0 else 0.0
    return scores


def relative_change_from_median(values: ArrayLike) -> npt.NDArray[np.float64]:
    r"""Each value's difference from the median, in % of the median's size; NaN stays NaN.

    :math:`100\,(x_i - \tilde x) / |\tilde x|`; with a median of 0 a value
    that differs from it is an infinite change (any spread is meaningful) and
    one equal to it a change of 0.

    >>> relative_change_from_median([9.43, 9.44, 9.45, 9.44, 9.52]).round(2).tolist()
    [-0.11, 0.0, 0.11, 0.0, 0.85]
    >>> relative_change_from_median([0.0, 0.0, 2.0]).tolist()
    [0.0, 0.0, inf]
    """
    data = _as_vector(values)
    changes = np.full(data.shape, np.nan)
    observed = ~np.isnan(data)
    if not observed.any():
        return changes
    median = float(np.median(data[observed]))
    deviation = data[observed] - median
    if median != 0.0:
        changes[observed] = 100.0 * deviation / abs(median)
    else:
        changes[observed] = np.where(deviation == 0.0, 0.0, np.copysign(np.inf, deviation))
    return changes


def robust_outlier_flags(
    values: ArrayLike,
    *,
    method: Literal["mad", "iqr"] = "mad",
    threshold: float = 3.5,
    iqr_factor: float = 1.5,
    min_relative_change: float = 0.0,
) -> npt.NDArray[np.bool_]:
    r"""Flag outliers by modified z-score or by Tukey's fences; NaN is never flagged.

    ``"mad"``: :math:`|M_i| > \text{threshold}` with :math:`M_i` from
    :func:`modified_z_scores` (Iglewicz and Hoaglin recommend 3.5).
    ``"iqr"``: :math:`x_i < Q_1 - f\cdot\mathrm{IQR}` or
    :math:`x_i > Q_3 + f\cdot\mathrm{IQR}` with :math:`f` = ``iqr_factor``
    and quartiles by linear interpolation (Hyndman–Fan type 7, NumPy's and
    Excel's QUARTILE.INC default).

    Parameters
    ----------
    values : array-like
        One-dimensional observations; NaN or ``pd.NA`` = missing.
    method : {"mad", "iqr"}
        Which rule to apply.
    threshold : float
        Cut-off for ``|M_i|`` (``"mad"`` only).
    iqr_factor : float
        Fence width in IQRs (``"iqr"`` only; 1.5 = Tukey's inner fence).
    min_relative_change : float
        The minimum meaningful spread: a value is flagged only when it also
        differs from the median by at least this % of the median
        (:func:`relative_change_from_median`); 0 = the statistical rule alone.

    Returns
    -------
    numpy.ndarray
        Bool flags, same length as ``values``.

    References
    ----------
    Iglewicz, B., Hoaglin, D. C. (1993), see :func:`modified_z_scores`.
    Tukey, J. W. (1977). *Exploratory Data Analysis*. Addison-Wesley.
    Hyndman, R. J., Fan, Y. (1996). Sample quantiles in statistical
    packages. *The American Statistician* 50(4):361–365.

    Examples
    --------
    >>> robust_outlier_flags([10, 12, 11, 13, 40, float("nan")]).tolist()
    [False, False, False, False, True, False]
    >>> robust_outlier_flags([10, 12, 11, 13, 40], method="iqr").tolist()
    [False, False, False, False, True]

    A statistically extreme but trivial spread is not flagged with a minimum:

    >>> costs = [9.43, 9.44, 9.45, 9.44, 9.52]
    >>> robust_outlier_flags(costs).tolist()[-1], robust_outlier_flags(
    ...     costs, min_relative_change=10).tolist()[-1]
    (True, False)
    """
    if method not in ("mad", "iqr"):
        raise ValueError(f"Nieznana metoda wykrywania wartości odstających: {method!r}.")
    if threshold <= 0 or iqr_factor < 0 or min_relative_change < 0:
        raise ValueError("Próg musi być dodatni, a mnożnik IQR i minimalna zmiana nieujemne.")
    if method == "mad":
        flags = np.abs(modified_z_scores(values)) > threshold
    else:
        data = _as_vector(values)
        observed = data[~np.isnan(data)]
        if observed.size == 0:
            return np.zeros(data.shape, dtype=np.bool_)
        q1, q3 = np.percentile(observed, [25.0, 75.0])
        spread = iqr_factor * (q3 - q1)
        flags = (data < q1 - spread) | (data > q3 + spread)
    if min_relative_change > 0:
        with np.errstate(invalid="ignore"):
            flags &= np.abs(relative_change_from_median(values)) >= min_relative_change
    return np.asarray(flags, dtype=np.bool_)
