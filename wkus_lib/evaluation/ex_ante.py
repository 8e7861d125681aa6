"""Ex-ante evaluation rules: the cost of the options, the baseline, the decision checklist.

Pure functions: :func:`horizon_costs` (the service over a contract horizon
under three options), :func:`contest_cost`, :func:`baseline_mean`,
:func:`needs_by_year` and :func:`decision_checklist`, which marks the
statutory conditions of a multi-year contract from :class:`DecisionFacts` and
returns one :class:`ChecklistRow` record per condition (its id and state; the
numbers are the facts). The report words them (:mod:`wkus_lib.report.ex_ante`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd

from wkus_lib.domain import MULTI_YEAR
from wkus_lib.metrics.quality import needs_coverage

BASELINE_YEARS: Final = 3
"""How many of the latest annual-grant years make the baseline unit cost."""
MIN_TERM_YEARS: Final = 3
"""Recommended shortest term of a multi-year contract (DOMAIN.md §1)."""
COMMON_MAX_TERM_YEARS: Final = 5
"""Commonly cited longest term; longer horizons are flagged for a legal check."""
OPTIONS: Final = ("in_house", "annual_grants", MULTI_YEAR)

CheckState = Literal["yes", "no", "check"]
CHECK_STATES: Final[tuple[CheckState, ...]] = ("yes", "no", "check")
Condition = Literal["contest", "term", "amounts", "standard", "indicators", "monitoring",
                    "programme"]
CONDITIONS: Final[tuple[Condition, ...]] = (
    "contest", "term", "amounts", "standard", "indicators", "monitoring", "programme")
"""The conditions of the decision, in the checklist's order."""


def contest_cost(staff_hours: float, hourly_rate: float, other_costs: float) -> float:
    """Cost of one open contest for the JST: staff hours × hourly rate + other costs [zł].

    >>> contest_cost(80, 50.0, 1000.0)
    5000.0
    """
    return float(staff_hours) * float(hourly_rate) + float(other_costs)


def horizon_costs(
    *,
    horizon: int,
    clients: float,
    grant_unit_cost: float,
    in_house_unit_cost: float | None,
    contest_cost: float,
) -> pd.DataFrame:
    """The cost of the service over ``horizon`` years under three options.

    Assumptions (stated in the report): constant prices, the same number of
    clients every year, and the same service cost per client under yearly
    grants and a multi-year contract (the baseline unit cost) — the options
    differ only in how many open contests the JST runs.

    - ``in_house``: the gmina's own unit: ``horizon × clients ×
      in_house_unit_cost``, no contest;
    - ``annual_grants``: ``horizon × clients × grant_unit_cost`` plus one
      contest a year, ``horizon × contest_cost``;
    - ``multi_year``: the same service cost plus ONE contest.

    Returns
    -------
    pandas.DataFrame
        One row per option (:data:`OPTIONS` order): ``option``, ``contests``,
        ``service_cost``, ``procedure_cost``, ``total``, ``per_year``
        (``total / horizon``) and ``vs_multi_year`` (``total`` − the
        multi-year total). In-house values are NaN without an in-house unit
        cost.

    Examples
    --------
    >>> table = horizon_costs(horizon=4, clients=100, grant_unit_cost=1000.0,
    ...                       in_house_unit_cost=1200.0, contest_cost=5000.0)
    >>> table.set_index("option")["total"].tolist()
    [480000.0, 420000.0, 405000.0]
    """
    if horizon < 1:
        raise ValueError(f"Horyzont kontraktu musi wynosić co najmniej 1 rok (podano {horizon}).")
    in_house = np.nan if in_house_unit_cost is None else float(in_house_unit_cost)
    service = horizon * float(clients) * float(grant_unit_cost)
    contests = {"in_house": 0, "annual_grants": horizon, MULTI_YEAR: 1}
    service_cost = {
        "in_house": horizon * float(clients) * in_house,
        "annual_grants": service,
        MULTI_YEAR: service,
    }
    procedure = {option: contests[option] * float(contest_cost) for option in OPTIONS}
    total = {option: service_cost[option] + procedure[option] for option in OPTIONS}
    return pd.DataFrame({
        "option": list(OPTIONS),
        "contests": [contests[o] for o in OPTIONS],
        "service_cost": [service_cost[o] for o in OPTIONS],
        "procedure_cost": [procedure[o] for o in OPTIONS],
        "total": [total[o] for o in OPTIONS],
        "per_year": [total[o] / horizon for o in OPTIONS],
        "vs_multi_year": [total[o] - total[MULTI_YEAR] for o in OPTIONS],
    })


def baseline_mean(
    series: pd.DataFrame, years: Iterable[int], *, last: int = BASELINE_YEARS
) -> tuple[float, tuple[int, ...]]:
    """Mean ``value`` of the ``last`` latest of ``years`` that have a value, and those years.

    ``series`` has columns ``year`` and ``value``. Without any value: NaN and
    no years.

    >>> frame = pd.DataFrame({"year": [2020, 2021, 2022, 2023], "value": [1.0, 2.0, None, 6.0]})
    >>> baseline_mean(frame, [2020, 2021, 2022, 2023], last=2)
    (4.0, (2021, 2023))
    """
    chosen = series[series["year"].isin(list(years)) & series["value"].notna()]
    chosen = chosen.sort_values("year").tail(last)
    if chosen.empty:
        return float("nan"), ()
    return float(chosen["value"].mean()), tuple(int(y) for y in chosen["year"])


def needs_by_year(needs: pd.DataFrame, served: pd.DataFrame) -> pd.DataFrame:
    """Coverage of needs per year against the latest diagnosis made in or before the year.

    ``needs`` has ``year`` and ``people_in_need`` (one row per diagnosis);
    ``served`` has ``year`` and ``clients_served``. Returns ``year``,
    ``diagnosis_year``, ``people_in_need``, ``clients_served`` and
    ``coverage`` (clients served / people in need × 100, as Q2C).
    """
    diagnoses = needs[["year", "people_in_need"]].dropna().sort_values("year")
    diagnoses = diagnoses.drop_duplicates("year", keep="last").assign(
        diagnosis_year=lambda f: f["year"]).astype({"year": "int64", "diagnosis_year": "int64"})
    by_year = served[["year", "clients_served"]].astype({"year": "int64"}).sort_values("year")
    merged = pd.merge_asof(by_year, diagnoses, on="year", direction="backward")
    coverage = needs_coverage(merged["clients_served"].to_numpy(dtype=float, na_value=np.nan),
                              merged["people_in_need"].to_numpy(dtype=float, na_value=np.nan))
    return merged.assign(coverage=coverage)[
        ["year", "diagnosis_year", "people_in_need", "clients_served", "coverage"]
    ].reset_index(drop=True)


@dataclass(frozen=True)
class DecisionFacts:
    """What the data say about the conditions of a multi-year contract (DOMAIN.md §4).

    ``None`` means the data do not tell.
    """

    year: int
    horizon: int
    multi_year_programme: bool | None
    annual_programme: bool | None
    contests_published: bool | None
    standard_requirements_assessed: int
    catalogue_requirements: int
    client_survey_years: int
    results_years: int
    per_year_amount: float | None
    proposed_indicators: int


@dataclass(frozen=True)
class ChecklistRow:
    """One condition of the decision and what the data show (:data:`CONDITIONS`).

    The numbers behind the state are the :class:`DecisionFacts` the checklist
    was made from.
    """

    condition: Condition
    state: CheckState


def decision_checklist(facts: DecisionFacts) -> list[ChecklistRow]:
    """The statutory conditions of contracting for several years, marked from the data.

    Rules (each condition's state):

    1. ``contest`` open contest — ``yes`` when the gmina publishes its contests
       in BIP (``w2_konkursy_bip``), else ``check``;
    2. ``term`` of at least 3 years — from ``horizon``: ``no`` below 3,
       ``check`` above the commonly cited 5, else ``yes``;
    3. ``amounts`` per year — always ``check`` (the evaluator writes them into
       the announcement; the per-year estimate is the evidence);
    4. ``standard`` of the service defined — ``yes`` when providers assessed
       standard requirements in the area, else ``no``;
    5. ``indicators`` and targets — ``check``: the catalogue proposes them;
    6. ``monitoring`` and evaluation — ``yes`` when client surveys and result
       reports exist for the area, else ``no``;
    7. the cooperation ``programme`` provides for it — ``yes``/``no`` from
       ``w1_program_wieloletni``; ``check`` when unknown.
    """
    if facts.horizon < MIN_TERM_YEARS:
        term: CheckState = "no"
    elif facts.horizon > COMMON_MAX_TERM_YEARS:
        term = "check"
    else:
        term = "yes"
    programme: CheckState = ("check" if facts.multi_year_programme is None
                             else "yes" if facts.multi_year_programme else "no")
    states: dict[Condition, CheckState] = {
        "contest": "yes" if facts.contests_published else "check",
        "term": term,
        "amounts": "check",
        "standard": "yes" if facts.standard_requirements_assessed > 0 else "no",
        "indicators": "check",
        "monitoring": "yes" if facts.client_survey_years and facts.results_years else "no",
        "programme": programme,
    }
    return [ChecklistRow(condition, states[condition]) for condition in CONDITIONS]


@dataclass(frozen=True)
class CostBasis:
    """The inputs of :func:`horizon_costs` found in the store, with where they come from."""

    clients: float
    clients_year: int | None
    grant_unit_cost: float
    grant_years: tuple[int, ...]
    in_house_unit_cost: float | None
    diagnosis_year: int | None
    contest_cost: float
    contest_year: int | None
    price_base_year: int
    """Money is in constant prices of this year (the report's price base year)."""
