"""E10: social return on investment (SROI), only with user-supplied proxies.

No proxy value ships with the workbench: financial proxies (e.g. HACT's
social value bank) are licensed, and Polish ones must be chosen by the
evaluator. Without proxies E10 is "not applicable" and is left out of the
indicator table.

Input: a DataFrame of outcomes, one row per outcome, with the columns of
:data:`OUTCOME_COLUMNS`:

``outcome``
    Name of the outcome (e.g. "utrzymanie samodzielnego mieszkania").
``quantity``
    Number of people (or units) experiencing it in the first year.
``proxy_value``
    Value of one unit of the outcome per year [zł], from the user.
``deadweight``
    Share (0–1) that would have happened anyway.
``displacement``
    Share (0–1) of the outcome that only displaced outcomes elsewhere.
``attribution``
    Share (0–1) owed to other actors.
``drop_off``
    Share (0–1) by which the outcome falls in each year after the first.
``duration_years``
    Number of years the outcome lasts (≥ 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from wkus_lib.errors import InputError

OUTCOME_COLUMNS: Final = (
    "outcome", "quantity", "proxy_value", "deadweight", "displacement", "attribution",
    "drop_off", "duration_years",
)
SHARE_COLUMNS: Final = ("deadweight", "displacement", "attribution", "drop_off")
SENSITIVITY_PARAMETERS: Final = ("deadweight", "attribution", "drop_off")


@dataclass(frozen=True)
class SroiResult:
    """Outcome of :func:`sroi`: present values, the ratio and the yearly outcome values."""

    pv_outcomes: float
    pv_inputs: float
    ratio: float
    discount_rate: float
    yearly: pd.DataFrame


def _check_outcomes(outcomes: pd.DataFrame) -> None:
    missing = [c for c in OUTCOME_COLUMNS if c not in outcomes.columns]
    if missing:
        raise ValueError(f"Brak kolumn w tabeli efektów SROI: {', '.join(missing)}.")
    for column in SHARE_COLUMNS:
        values = outcomes[column].to_numpy(dtype=float)
        if np.any((values < 0) | (values > 1) | np.isnan(values)):
            raise ValueError(f"Kolumna „{column}” musi zawierać udziały od 0 do 1.")
    if np.any(outcomes["duration_years"].to_numpy(dtype=float) < 1):
        raise ValueError("Kolumna „duration_years” musi wynosić co najmniej 1 rok.")


def read_outcomes_file(path: str | Path) -> pd.DataFrame:
    """Read the evaluator's outcomes CSV (UTF-8, decimal point) and check it.

    Columns :data:`OUTCOME_COLUMNS`, optionally ``teryt`` (kept as text) and
    ``area``. Raises :class:`~wkus_lib.errors.InputError` naming the file and
    what is wrong, so a batch can refuse a bad file before any report starts.
    """
    source = Path(path)
    if not source.is_file():
        raise InputError("Plik nie istnieje", file=str(source),
                         hint="Podaj ścieżkę do pliku CSV z efektami i wartościami proxy.")
    frame = pd.read_csv(source, dtype={"teryt": str}, encoding="utf-8")
    try:
        _check_outcomes(frame)
    except ValueError as problem:
        raise InputError(str(problem).rstrip("."), file=str(source),
                         hint=f"Wymagane kolumny: {', '.join(OUTCOME_COLUMNS)}.") from None
    return frame


def discount_factors(years: npt.ArrayLike, discount_rate: float) -> npt.NDArray[np.float64]:
    """``1 / (1 + r)^t`` for years ``t`` (year 1 is discounted once)."""
    factors: npt.NDArray[np.float64] = 1.0 / np.power(
        1.0 + discount_rate, np.asarray(years, dtype=float)
    )
    return factors


def outcome_values(outcomes: pd.DataFrame, *, discount_rate: float) -> pd.DataFrame:
    """Value of every outcome in every year it lasts, before and after discounting.

    For outcome *i* in year *t* = 1 … duration:

    ``value = quantity × proxy × (1 − deadweight) × (1 − displacement)
    × (1 − attribution) × (1 − drop_off)^(t − 1)``;
    ``present_value = value / (1 + r)^t``.

    Returns
    -------
    pandas.DataFrame
        ``outcome``, ``year`` (1 …), ``value``, ``present_value``.
    """
    _check_outcomes(outcomes)
    duration = outcomes["duration_years"].to_numpy(dtype="int64")
    row = np.repeat(np.arange(len(outcomes)), duration)
    start = np.repeat(np.cumsum(duration) - duration, duration)
    year = np.arange(len(row)) - start + 1

    def column(name: str) -> npt.NDArray[np.float64]:
        return outcomes[name].to_numpy(dtype=float)[row]

    value = (
        column("quantity") * column("proxy_value") * (1 - column("deadweight"))
        * (1 - column("displacement")) * (1 - column("attribution"))
        * np.power(1 - column("drop_off"), year - 1)
    )
    return pd.DataFrame(
        {
            "outcome": outcomes["outcome"].to_numpy()[row],
            "year": year,
            "value": value,
            "present_value": value * discount_factors(year, discount_rate),
        }
    )


def present_value(flows: Sequence[float] | float, *, discount_rate: float) -> float:
    """``Σ flow_t / (1 + r)^t`` with the first flow in year 1."""
    values = np.atleast_1d(np.asarray(flows, dtype=float))
    return float(np.sum(values * discount_factors(np.arange(1, len(values) + 1), discount_rate)))


def sroi(
    outcomes: pd.DataFrame, inputs: Sequence[float] | float, *, discount_rate: float
) -> SroiResult:
    """E10: ``SROI = PV(outcomes) / PV(inputs)``.

    Parameters
    ----------
    outcomes
        One row per outcome, columns :data:`OUTCOME_COLUMNS` (module docstring).
    inputs
        Value of the inputs (financial cost + personal and in-kind
        contributions) per year, first year first; one number = year 1.
    discount_rate
        Annual discount rate (e.g. 0.035); a policy choice of the evaluator.

    Returns
    -------
    SroiResult

    Examples
    --------
    20 people × 1 000 zł × (1 − 0.25) × (1 − 0) × (1 − 0.2) = 12 000 zł in
    year 1, 12 000 × 0.5 = 6 000 zł in year 2; without discounting PV = 18 000
    zł; inputs 9 000 zł → SROI = 2.0.

    >>> outcomes = pd.DataFrame({"outcome": ["samodzielność"], "quantity": [20],
    ...     "proxy_value": [1000.0], "deadweight": [0.25], "displacement": [0.0],
    ...     "attribution": [0.2], "drop_off": [0.5], "duration_years": [2]})
    >>> sroi(outcomes, 9000.0, discount_rate=0.0).ratio
    2.0
    """
    yearly = outcome_values(outcomes, discount_rate=discount_rate)
    pv_outcomes = float(yearly["present_value"].sum())
    pv_inputs = present_value(inputs, discount_rate=discount_rate)
    value = pv_outcomes / pv_inputs if pv_inputs > 0 else float("nan")
    return SroiResult(
        pv_outcomes=pv_outcomes, pv_inputs=pv_inputs, ratio=value,
        discount_rate=discount_rate, yearly=yearly,
    )


def sroi_sensitivity(
    outcomes: pd.DataFrame,
    inputs: Sequence[float] | float,
    *,
    discount_rate: float,
    share_changes: Sequence[float] = (-0.1, 0.1),
    discount_rates: Sequence[float] = (0.0, 0.06),
) -> pd.DataFrame:
    """Sensitivity table of the SROI ratio (always shown with E10).

    Each of deadweight, attribution and drop-off is shifted for all
    outcomes by every value of ``share_changes`` (clipped to 0–1), one
    parameter at a time; then the whole calculation is repeated with every
    rate of ``discount_rates``.

    Returns
    -------
    pandas.DataFrame
        ``parameter`` (``base``, ``deadweight``, ``attribution``,
        ``drop_off``, ``discount_rate``), ``change`` (shift or rate used)
        and ``sroi``.
    """
    rows = [{"parameter": "base", "change": 0.0,
             "sroi": sroi(outcomes, inputs, discount_rate=discount_rate).ratio}]
    for parameter in SENSITIVITY_PARAMETERS:
        for change in share_changes:
            shifted = outcomes.assign(
                **{parameter: np.clip(outcomes[parameter].to_numpy(dtype=float) + change, 0, 1)}
            )
            result = sroi(shifted, inputs, discount_rate=discount_rate)
            rows.append({"parameter": parameter, "change": float(change), "sroi": result.ratio})
    for rate in discount_rates:
        result = sroi(outcomes, inputs, discount_rate=rate)
        rows.append({"parameter": "discount_rate", "change": float(rate), "sroi": result.ratio})
    return pd.DataFrame(rows, columns=["parameter", "change", "sroi"])
