"""E10: social return on investment (SROI), only with user-supplied proxies.

No proxy value ships with the workbench: financial proxies (e.g. HACT's
social value bank) are licensed, and Polish ones must be chosen by the
evaluator. Without proxies E10 is "not applicable" and is left out of the
indicator table.

The calculation follows *A Guide to Social Return on Investment* (Cabinet
Office, 2009; the SROI Network's 2012 edition, now Social Value UK): every
outcome is valued for each year it lasts, reduced by deadweight,
displacement, attribution and drop-off, and discounted to present value;
the investment is valued as invested. Time runs in contract years: contract
year *t* = 1 is the first year of the evaluated contract.

- Inputs of contract year *t* are counted at its start: ``input_t / (1 + r)^(t − 1)``
  (year 1 undiscounted, later years discounted).
- Outcomes of contract year *t* are counted at its end: ``value_t / (1 + r)^t``.

The discount rate is a catalogue setting (``settings.sroi.discount_rate``,
3.5 %: the social discount rate of HM Treasury's Green Book, which the SROI
guide recommends) and may be overridden per run.

Input: a DataFrame of outcomes, one row per outcome, with the columns of
:data:`OUTCOME_COLUMNS` and optionally ``start_year``:

``outcome``
    Name of the outcome (e.g. "utrzymanie samodzielnego mieszkania").
``quantity``
    Number of people (or units) experiencing it in its first year.
``proxy_value``
    Value of one unit of the outcome per year [zł], from the user.
``deadweight``
    Share (0–1) that would have happened anyway.
``displacement``
    Share (0–1) of the outcome that only displaced outcomes elsewhere.
``attribution``
    Share (0–1) owed to other actors.
``drop_off``
    Share (0–1) by which the outcome falls in each year after its first.
``duration_years``
    Number of years the outcome lasts (whole number ≥ 1).
``start_year`` (optional)
    Calendar year in which the outcome starts; empty or absent: the first
    year of the evaluated contract. It may not precede that year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

OUTCOME_COLUMNS: Final = (
    "outcome", "quantity", "proxy_value", "deadweight", "displacement", "attribution",
    "drop_off", "duration_years",
)
START_YEAR_COLUMN: Final = "start_year"
SHARE_COLUMNS: Final = ("deadweight", "displacement", "attribution", "drop_off")
SENSITIVITY_PARAMETERS: Final = ("deadweight", "attribution", "drop_off")

Flows: TypeAlias = Sequence[float] | pd.Series | float


@dataclass(frozen=True)
class SroiResult:
    """Outcome of :func:`sroi`: present values, the ratio and the yearly outcome values."""

    pv_outcomes: float
    pv_inputs: float
    ratio: float
    discount_rate: float
    yearly: pd.DataFrame


def check_outcomes(outcomes: pd.DataFrame) -> None:
    missing = [c for c in OUTCOME_COLUMNS if c not in outcomes.columns]
    if missing:
        raise ValueError(f"Brak kolumn w tabeli efektów SROI: {', '.join(missing)}.")
    for column in SHARE_COLUMNS:
        values = pd.to_numeric(outcomes[column], errors="coerce").to_numpy(dtype=float)
        if np.any((values < 0) | (values > 1) | np.isnan(values)):
            raise ValueError(f"Kolumna „{column}” musi zawierać udziały od 0 do 1.")
    duration = pd.to_numeric(outcomes["duration_years"], errors="coerce").to_numpy(dtype=float)
    if np.any(np.isnan(duration) | (duration < 1) | (duration != np.round(duration))):
        raise ValueError("Kolumna „duration_years” musi zawierać liczbę całych lat, "
                         "co najmniej 1 rok.")
    if START_YEAR_COLUMN in outcomes.columns:
        start = pd.to_numeric(outcomes[START_YEAR_COLUMN], errors="coerce").to_numpy(dtype=float)
        given = outcomes[START_YEAR_COLUMN].notna().to_numpy()
        if np.any(given & (np.isnan(start) | (start != np.round(start)))):
            raise ValueError("Kolumna „start_year” musi zawierać rok (np. 2023) albo być pusta.")


def discount_factors(periods: npt.ArrayLike, discount_rate: float) -> npt.NDArray[np.float64]:
    """``1 / (1 + r)^p`` for periods ``p`` (0 = not discounted)."""
    factors: npt.NDArray[np.float64] = 1.0 / np.power(
        1.0 + discount_rate, np.asarray(periods, dtype=float)
    )
    return factors


def start_offsets(outcomes: pd.DataFrame, first_year: int | None) -> npt.NDArray[np.int64]:
    """Contract year (1 = ``first_year``) in which each outcome starts.

    Without a ``start_year`` column, or where it is empty, an outcome starts
    in contract year 1. A ``start_year`` needs ``first_year`` and may not
    precede it (:class:`ValueError` in Polish otherwise).
    """
    offsets = np.ones(len(outcomes), dtype="int64")
    if START_YEAR_COLUMN not in outcomes.columns:
        return offsets
    start = pd.to_numeric(outcomes[START_YEAR_COLUMN], errors="coerce").to_numpy(dtype=float)
    given = ~np.isnan(start)
    if not given.any():
        return offsets
    if first_year is None:
        raise ValueError("Do kolumny „start_year” potrzebny jest pierwszy rok ocenianej umowy.")
    early = given & (start < first_year)
    if early.any():
        names = ", ".join(str(o) for o in outcomes["outcome"].to_numpy()[early][:3])
        raise ValueError(f"Efekt zaczyna się przed pierwszym rokiem umowy ({first_year}): "
                         f"{names}. Popraw „start_year”.")
    offsets[given] = (start[given] - first_year + 1).astype("int64")
    return offsets


def outcome_values(
    outcomes: pd.DataFrame, *, discount_rate: float, first_year: int | None = None
) -> pd.DataFrame:
    """Value of every outcome in every year it lasts, before and after discounting.

    For outcome *i*, its year *j* = 1 … duration falls in contract year
    ``t = s_i + j − 1`` (``s_i`` from :func:`start_offsets`):

    ``value = quantity × proxy × (1 − deadweight) × (1 − displacement)
    × (1 − attribution) × (1 − drop_off)^(j − 1)``;
    ``present_value = value / (1 + r)^t``.

    Returns
    -------
    pandas.DataFrame
        ``outcome``, ``outcome_year`` (*j*), ``year`` (contract year *t*),
        ``calendar_year`` (NA without ``first_year``), ``value``,
        ``present_value``.
    """
    check_outcomes(outcomes)
    duration = outcomes["duration_years"].to_numpy(dtype="int64")
    offset = start_offsets(outcomes, first_year)
    row = np.repeat(np.arange(len(outcomes)), duration)
    first_row = np.repeat(np.cumsum(duration) - duration, duration)
    outcome_year = np.arange(len(row)) - first_row + 1
    year = offset[row] + outcome_year - 1

    def column(name: str) -> npt.NDArray[np.float64]:
        values: npt.NDArray[np.float64] = outcomes[name].to_numpy(dtype=float)
        return values[row]

    value = (
        column("quantity") * column("proxy_value") * (1 - column("deadweight"))
        * (1 - column("displacement")) * (1 - column("attribution"))
        * np.power(1 - column("drop_off"), outcome_year - 1)
    )
    calendar = (pd.array(year + first_year - 1, dtype="Int64") if first_year is not None
                else pd.array([pd.NA] * len(year), dtype="Int64"))
    return pd.DataFrame(
        {
            "outcome": outcomes["outcome"].to_numpy()[row],
            "outcome_year": outcome_year,
            "year": year,
            "calendar_year": calendar,
            "value": value,
            "present_value": value * discount_factors(year, discount_rate),
        }
    )


def inputs_present_value(flows: Flows, *, discount_rate: float) -> float:
    """``Σ input_t / (1 + r)^(t − 1)``: inputs valued as invested, year 1 undiscounted.

    ``flows`` are the inputs per contract year, the first year first (one
    number = year 1 only). A missing year (NaN) raises :class:`ValueError`:
    it is never taken as zero.

    >>> round(inputs_present_value([1000.0, 1035.0], discount_rate=0.035), 2)
    2000.0
    """
    values = np.atleast_1d(np.asarray(flows, dtype=float))
    if np.any(np.isnan(values)):
        raise ValueError("Brak nakładów za co najmniej jeden rok umowy.")
    periods = np.arange(len(values))
    return float(np.sum(values * discount_factors(periods, discount_rate)))


def sroi(
    outcomes: pd.DataFrame,
    inputs: Flows,
    *,
    discount_rate: float,
    first_year: int | None = None,
) -> SroiResult:
    """E10: ``SROI = PV(outcomes) / PV(inputs)`` (module docstring for the timing).

    Parameters
    ----------
    outcomes
        One row per outcome, columns :data:`OUTCOME_COLUMNS`, optionally
        ``start_year`` (module docstring).
    inputs
        Value of the inputs (financial cost + personal and in-kind
        contributions) per contract year, first year first; one number =
        year 1.
    discount_rate
        Annual discount rate (e.g. 0.035).
    first_year
        Calendar year of contract year 1; needed only with ``start_year``.

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
    yearly = outcome_values(outcomes, discount_rate=discount_rate, first_year=first_year)
    pv_outcomes = float(yearly["present_value"].sum())
    pv_inputs = inputs_present_value(inputs, discount_rate=discount_rate)
    value = pv_outcomes / pv_inputs if pv_inputs > 0 else float("nan")
    return SroiResult(
        pv_outcomes=pv_outcomes, pv_inputs=pv_inputs, ratio=value,
        discount_rate=discount_rate, yearly=yearly,
    )


def sroi_sensitivity(
    outcomes: pd.DataFrame,
    inputs: Flows,
    *,
    discount_rate: float,
    first_year: int | None = None,
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
    def ratio(frame: pd.DataFrame, rate: float) -> float:
        return sroi(frame, inputs, discount_rate=rate, first_year=first_year).ratio

    rows = [{"parameter": "base", "change": 0.0, "sroi": ratio(outcomes, discount_rate)}]
    for parameter in SENSITIVITY_PARAMETERS:
        for change in share_changes:
            shifted = outcomes.assign(
                **{parameter: np.clip(outcomes[parameter].to_numpy(dtype=float) + change, 0, 1)}
            )
            rows.append({"parameter": parameter, "change": float(change),
                         "sroi": ratio(shifted, discount_rate)})
    for rate in discount_rates:
        rows.append({"parameter": "discount_rate", "change": float(rate),
                     "sroi": ratio(outcomes, float(rate))})
    return pd.DataFrame(rows, columns=["parameter", "change", "sroi"])


def sensitivity_range(table: pd.DataFrame) -> tuple[float, float]:
    """Lowest and highest SROI of a :func:`sroi_sensitivity` table (NaN ignored).

    >>> sensitivity_range(pd.DataFrame({"sroi": [1.2, 0.9, float("nan"), 1.5]}))
    (0.9, 1.5)
    """
    values = table["sroi"].to_numpy(dtype=float)
    values = values[~np.isnan(values)]
    if not values.size:
        return float("nan"), float("nan")
    return float(values.min()), float(values.max())
