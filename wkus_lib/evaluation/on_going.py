"""On-going evaluation rules: results and budget of a running contract, early warnings.

Pure functions over store rows and indicator readings: :func:`cumulative_results`
(results against targets since the contract start), :func:`budget_execution`
(E3 per year and cumulatively) and :func:`early_warnings`, which applies every
early-warning rule and returns one :class:`WarningCheck` record per rule (its
id, state and the numbers it judged). The report words them
(:mod:`wkus_lib.report.on_going`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd

from wkus_lib.catalog import Catalog

RESULTS_WARNING_SHARE: Final = 0.8
"""Rule O2: a result below this share of its time-proportional target is behind."""
TRAFFIC_LIGHT_RULES: Final = (("O3", "Q1"), ("O4", "Q6"), ("O5", "Q7"), ("O7", "Q5"))
"""Rules that fire on the catalogue's red light: rule id, indicator."""
BUDGET_INDICATOR: Final = "E3"
"""Rule O1 reads the year's budget execution."""
TRIANGULATION_INDICATOR: Final = "TRI"
"""Rule O6 reads the triangulation gap."""

WarningState = Literal["fired", "ok", "no_data"]


def cumulative_results(
    results: pd.DataFrame, *, year: int, warning_share: float = RESULTS_WARNING_SHARE
) -> pd.DataFrame:
    """Results against targets, summed per result from the contract start to ``year``.

    Parameters
    ----------
    results
        One row per contract × result × year: ``contract_id``, ``result_id``,
        ``name``, ``unit``, ``year``, ``target``, ``achieved`` (NaN = not
        reported) and the contract's ``start_year`` and ``end_year``. Rows of
        years after ``year`` contribute only their targets (plans are known
        when the contract is signed), never their achieved values.
    year
        The evaluation year.
    warning_share
        A result is ``behind`` when its achievement is below this share of
        the time-proportional target.

    Returns
    -------
    pandas.DataFrame
        One row per contract × result with a row up to ``year``:

        - ``target_to_date``, ``achieved_to_date`` — sums over the years up to
          ``year`` with a reported achieved value; ``pct_to_date`` = achieved /
          target × 100;
        - ``years_reported`` and ``years_missing`` (term years up to ``year``
          without an achieved value);
        - ``contract_target`` = mean yearly target × contract years (the sum
          of the yearly targets when every year has one);
          ``pct_of_contract`` = achieved to date / contract target × 100;
        - ``time_share`` = years reported / contract years;
          ``pct_of_time_target`` = achieved to date / (contract target ×
          time share) × 100; ``behind`` = ``pct_of_time_target`` <
          ``warning_share`` × 100.

    Examples
    --------
    A 4-year contract, 3 years reported, yearly target 100, 300 achieved in
    all: 300 / (400 × 3/4) = 100 % of the time-proportional target.

    >>> frame = pd.DataFrame({
    ...     "contract_id": "c", "result_id": "R1", "name": "osoby", "unit": "osoby",
    ...     "year": [2022, 2023, 2024, 2025], "target": 100.0,
    ...     "achieved": [100.0, 100.0, 100.0, None], "start_year": 2022, "end_year": 2025})
    >>> cumulative_results(frame, year=2024)["pct_of_time_target"].tolist()
    [100.0]
    """
    keys = ["contract_id", "result_id"]
    in_term = results[(results["year"] >= results["start_year"])
                      & (results["year"] <= results["end_year"])]
    to_date = in_term[in_term["year"] <= year]
    reported = to_date[to_date["achieved"].notna()]
    by_year = in_term.sort_values("year").groupby(keys, sort=True)
    base = pd.concat([by_year[["name", "unit"]].last(), by_year[["start_year", "end_year"]].first(),
                      by_year["target"].mean().rename("mean_target")], axis=1)
    reported_groups = reported.groupby(keys, sort=True)
    sums = reported_groups[["target", "achieved"]].sum().rename(
        columns={"target": "target_to_date", "achieved": "achieved_to_date"}).assign(
        years_reported=reported_groups["year"].nunique())
    due = to_date.groupby(keys, sort=True)["year"].nunique().rename("years_due")
    table = base.join(due, how="inner").join(sums, how="left").reset_index()
    years_reported = table["years_reported"].fillna(0).astype("int64")
    contract_years = (table["end_year"] - table["start_year"] + 1).astype("int64")
    elapsed = (np.minimum(year, table["end_year"]) - table["start_year"] + 1).astype("int64")
    contract_target = table["mean_target"] * contract_years
    time_share = years_reported / contract_years
    achieved = table["achieved_to_date"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct_to_date = achieved / table["target_to_date"].to_numpy(dtype=float) * 100.0
        pct_of_contract = achieved / contract_target.to_numpy(dtype=float) * 100.0
        time_target = (contract_target * time_share).to_numpy(dtype=float)
        pct_of_time = np.where(time_target > 0, achieved / time_target * 100.0, np.nan)
    out = table.assign(
        years_reported=years_reported,
        years_missing=(elapsed - years_reported).clip(lower=0),
        contract_years=contract_years,
        contract_target=contract_target,
        pct_to_date=pct_to_date,
        pct_of_contract=pct_of_contract,
        time_share=time_share,
        pct_of_time_target=pct_of_time,
        behind=np.nan_to_num(pct_of_time, nan=np.inf) < warning_share * 100.0,
    )
    return out[["contract_id", "result_id", "name", "unit", "start_year", "end_year",
                "contract_years", "target_to_date", "achieved_to_date", "pct_to_date",
                "years_reported", "years_missing", "contract_target", "pct_of_contract",
                "time_share", "pct_of_time_target", "behind"]]


def budget_execution(finance: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """Budget execution (E3) per year up to ``year`` and cumulatively.

    ``finance`` has ``year``, ``planned`` and ``actual`` (NaN = not reported)
    per cost line. As E3, every planned line counts in the planned amount; a
    line without an actual cost is 0 zł spent and counted in
    ``missing_lines``. Amounts are nominal (current prices: plan and
    execution of the same years). Returns ``year``, ``planned`` (every
    line), ``planned_all`` (the same), ``actual``, ``execution`` (%),
    ``missing_lines``, ``planned_cum``, ``actual_cum`` and ``execution_cum`` (%).

    2022: 90 spent of 100 + 50 planned (the 50 not reported) → 60 %;
    cumulatively to 2023: (90 + 120) / (150 + 100) = 84 %.

    >>> lines = pd.DataFrame({"year": [2022, 2022, 2023], "planned": [100.0, 50.0, 100.0],
    ...                       "actual": [90.0, None, 120.0]})
    >>> budget_execution(lines, year=2023)["execution_cum"].round(1).tolist()
    [60.0, 84.0]
    """
    rows = finance[finance["year"] <= year]
    actual = rows["actual"].to_numpy(dtype=float, na_value=np.nan)
    reported = ~np.isnan(actual)
    lines = pd.DataFrame({
        "year": rows["year"].to_numpy(),
        "planned": rows["planned"].to_numpy(dtype=float),
        "planned_all": rows["planned"].to_numpy(dtype=float),
        "actual": np.where(reported, actual, 0.0),
        "missing_lines": (~reported).astype("int64"),
    })
    table = lines.groupby("year", sort=True).sum().reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        execution = np.where(table["planned"] > 0, table["actual"] / table["planned"] * 100.0,
                             np.nan)
        planned_cum = table["planned"].cumsum()
        actual_cum = table["actual"].cumsum()
        execution_cum = np.where(planned_cum > 0, actual_cum / planned_cum * 100.0, np.nan)
    return table.assign(execution=execution, planned_cum=planned_cum, actual_cum=actual_cum,
                        execution_cum=execution_cum)


@dataclass(frozen=True)
class Reading:
    """One indicator value of the year, or why there is none."""

    value: float | None
    suppressed: bool = False
    n: int | None = None


@dataclass(frozen=True)
class WarningLimits:
    """Limits of the early-warning rules that are not catalogue thresholds."""

    budget_low: float = 85.0
    budget_high: float = 110.0
    results_share: float = RESULTS_WARNING_SHARE
    triangulation_points: float = 15.0


@dataclass(frozen=True)
class ResultShare:
    """One result's cumulative achievement in % of its time-proportional target."""

    result_id: str
    name: str
    pct_of_time_target: float


@dataclass(frozen=True)
class WarningCheck:
    """One early-warning rule applied to the year: a verdict record, no text.

    - ``rule_id`` — ``O1`` … ``O7``; ``state`` — fired, ok or no data;
    - ``indicator`` — what the rule reads (``E3``, ``TRI``, a traffic-light
      indicator; empty for O2, which reads the results table);
    - ``reading`` — the value judged (O2: the lowest % of a time-proportional
      target; no value when there is none);
    - ``limits`` — the rule's bounds: O1 (low, high) in %, O2 (share in %),
      O6 (points); the traffic-light rules' bound is the catalogue's amber
      threshold of ``indicator``;
    - ``behind`` — O2: the results below the share, in table order.
    """

    rule_id: str
    state: WarningState
    indicator: str
    reading: Reading
    limits: tuple[float, ...] = ()
    behind: tuple[ResultShare, ...] = ()


def early_warnings(
    *,
    budget: Reading,
    results: pd.DataFrame,
    readings: Mapping[str, Reading],
    catalog: Catalog,
    limits: WarningLimits | None = None,
) -> list[WarningCheck]:
    """Early warnings of a contract year, each a stated rule, sorted by rule id.

    - O1 budget execution (E3) of the year below ``budget_low`` % or above
      ``budget_high`` %;
    - O2 a result's cumulative achievement below ``results_share`` of its
      time-proportional target (``pct_of_time_target`` of
      :func:`cumulative_results`; ``results`` needs that column, ``result_id``
      and ``name``);
    - O3 client satisfaction (Q1), O4 staff continuity (Q6), O5 complaints
      (Q7), O7 standard compliance (Q5): the catalogue's red light
      (thresholds from the catalogue);
    - O6 triangulation gap (TRI) above ``triangulation_points``.

    A hidden (small-cell) or missing value gives ``no_data``, never a warning.
    """
    limits = limits or WarningLimits()
    checks: list[WarningCheck] = []
    bounds = (limits.budget_low, limits.budget_high)
    if budget.value is None or np.isnan(budget.value):
        checks.append(WarningCheck("O1", "no_data", BUDGET_INDICATOR, budget, bounds))
    else:
        fired = not limits.budget_low <= budget.value <= limits.budget_high
        checks.append(WarningCheck("O1", "fired" if fired else "ok", BUDGET_INDICATOR,
                                   budget, bounds))
    share = (limits.results_share * 100,)
    known = results[results["pct_of_time_target"].notna()] if len(results) else results
    if known.empty:
        checks.append(WarningCheck("O2", "no_data", "", Reading(None), share))
    else:
        lowest = Reading(float(known["pct_of_time_target"].min()))
        behind = known[known["pct_of_time_target"] < limits.results_share * 100.0]
        listed = tuple(ResultShare(str(r.result_id), str(r.name), float(r.pct_of_time_target))
                       for r in behind.itertuples(index=False))
        checks.append(WarningCheck("O2", "fired" if listed else "ok", "", lowest, share,
                                   listed))
    for rule_id, indicator in TRAFFIC_LIGHT_RULES:
        spec = catalog.indicator(indicator)
        reading = readings.get(indicator, Reading(None))
        bound = () if spec.thresholds is None else (spec.thresholds.amber,)
        value = reading.value
        if reading.suppressed or value is None or np.isnan(value):
            state: WarningState = "no_data"
        else:
            state = "fired" if catalog.status(indicator, value) == "red" else "ok"
        checks.append(WarningCheck(rule_id, state, indicator, reading, bound))
    tri = readings.get(TRIANGULATION_INDICATOR, Reading(None))
    points = (limits.triangulation_points,)
    if tri.suppressed or tri.value is None or np.isnan(tri.value):
        checks.append(WarningCheck("O6", "no_data", TRIANGULATION_INDICATOR, tri, points))
    else:
        fired = tri.value > limits.triangulation_points
        checks.append(WarningCheck("O6", "fired" if fired else "ok", TRIANGULATION_INDICATOR,
                                   tri, points))
    return sorted(checks, key=lambda check: check.rule_id)
