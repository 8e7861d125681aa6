"""Efektywność: the input–effect indicators E1–E9 (DOMAIN.md §5).

The element-wise functions take scalars or arrays (one value per gmina ×
area × year) and return NumPy arrays; a ratio whose denominator is zero or
missing is NaN, never an error. Shares are percentages (0–100). E9 compares
the years of a multi-year contract with the annual-grant years before it,
against comparison areas of the same gmina where they exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
ComparisonMethod = Literal["before_after", "difference_in_differences", "not_applicable"]

MULTI_YEAR: Final = "multi_year"
ANNUAL_GRANT: Final = "annual_grant"
AREA_KEYS: Final = ("teryt", "area")
COMPARISON_COLUMNS: Final = (
    "teryt", "area", "end_year", "first_multi_year", "before_years", "after_years",
    "unit_cost_before", "unit_cost_after", "unit_cost_change", "unit_cost_change_pct",
    "achievement_before", "achievement_after", "achievement_change",
    "comparison_areas", "comparison_unit_cost_change_pct", "comparison_achievement_change",
    "did_unit_cost_pct", "did_achievement", "unit_cost_effect_pct", "achievement_effect",
    "method",
)


def ratio(numerator: npt.ArrayLike, denominator: npt.ArrayLike) -> FloatArray:
    """``numerator / denominator``; NaN where the denominator is 0, negative or missing.

    Examples
    --------
    >>> ratio([10, 1, 1], [4, 0, np.nan]).tolist()
    [2.5, nan, nan]
    """
    num = np.asarray(numerator, dtype=float)
    den = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / den, np.nan)


def unit_cost(total_cost: npt.ArrayLike, clients_served: npt.ArrayLike) -> FloatArray:
    """E1: ``total actual cost / clients served`` [zł per beneficiary].

    ``total_cost`` is the financial cost from all sources; the personal and
    in-kind contributions are not money spent and stay out.

    Examples
    --------
    >>> float(unit_cost(120_000, 80))
    1500.0
    """
    return ratio(total_cost, clients_served)


def cost_per_service_hour(total_cost: npt.ArrayLike, service_hours: npt.ArrayLike) -> FloatArray:
    """E1H: ``total actual cost / service hours delivered`` [zł per hour]."""
    return ratio(total_cost, service_hours)


def cost_per_result_unit(total_cost: npt.ArrayLike, achieved_units: npt.ArrayLike) -> FloatArray:
    """E2: ``total actual cost / achieved units of a result`` [zł per result unit]."""
    return ratio(total_cost, achieved_units)


def budget_execution(actual: npt.ArrayLike, planned: npt.ArrayLike) -> FloatArray:
    """E3: ``actual cost / planned cost × 100`` [%]."""
    return ratio(actual, planned) * 100.0


def admin_cost_share(admin_cost: npt.ArrayLike, total_cost: npt.ArrayLike) -> FloatArray:
    """E4: ``administrative cost / total actual cost × 100`` [%] (lower is better)."""
    return ratio(admin_cost, total_cost) * 100.0


def leverage(
    grant: npt.ArrayLike,
    *,
    own_funds: npt.ArrayLike,
    fees: npt.ArrayLike,
    other_public: npt.ArrayLike,
    other: npt.ArrayLike,
    personal: npt.ArrayLike,
    in_kind: npt.ArrayLike,
) -> FloatArray:
    """E5: non-grant resources per zł of grant.

    ``(own funds + beneficiary fees + other public funds + other sources +
    personal contribution + in-kind contribution) / grant``.

    Examples
    --------
    >>> float(leverage(8000, own_funds=1000, fees=500, other_public=0, other=0,
    ...                personal=500, in_kind=0))
    0.25
    """
    parts = (own_funds, fees, other_public, other, personal, in_kind)
    resources = np.sum([np.asarray(x, dtype=float) for x in parts], axis=0)
    return ratio(resources, grant)


def grant_share(grant: npt.ArrayLike, total_value: npt.ArrayLike) -> FloatArray:
    """E6: ``grant / total value of the task × 100`` [%].

    The total value is, as in the offer form's "suma wszystkich kosztów",
    the financial cost from all sources plus the personal and in-kind
    contributions.
    """
    return ratio(grant, total_value) * 100.0


def volunteer_value(volunteer_hours: npt.ArrayLike, hourly_rate: npt.ArrayLike) -> FloatArray:
    """E7: ``volunteer hours × hourly rate declared in the report`` [zł]."""
    value: FloatArray = np.asarray(volunteer_hours, dtype=float) * np.asarray(
        hourly_rate, dtype=float)
    return value


def contest_cost(
    staff_hours: npt.ArrayLike, hourly_rate: npt.ArrayLike, other_costs: npt.ArrayLike
) -> FloatArray:
    """Cost of one open contest to the JST: ``staff hours × hourly rate + other costs`` [zł]."""
    cost: FloatArray = (
        np.asarray(staff_hours, dtype=float) * np.asarray(hourly_rate, dtype=float)
        + np.asarray(other_costs, dtype=float)
    )
    return cost


def transaction_cost_saved(
    contests_needed: npt.ArrayLike, contests_held: npt.ArrayLike, cost_per_contest: npt.ArrayLike
) -> FloatArray:
    """E8: ``(contests an annual regime would need − contests held) × cost of one contest`` [zł].

    Examples
    --------
    A 4-year contract: 4 annual contests avoided by 1 held; a contest takes
    40 h × 60 zł + 600 zł = 3 000 zł → (4 − 1) × 3 000 = 9 000 zł.

    >>> float(transaction_cost_saved(4, 1, contest_cost(40, 60, 600)))
    9000.0
    """
    needed = np.asarray(contests_needed, dtype=float)
    held = np.asarray(contests_held, dtype=float)
    saved: FloatArray = (needed - held) * np.asarray(cost_per_contest, dtype=float)
    return saved


# ------------------------------------------------------------------------ E9


@dataclass(frozen=True)
class MultiYearComparison:
    """E9: a multi-year contract against the annual-grant baseline of the same area.

    Unit cost (E1, zł) and result achievement (Q3R, %) are averaged over the
    annual-grant years before the first multi-year year (*before*) and the
    multi-year years up to ``end_year`` (*after*). Comparison areas are areas
    of the same gmina that never had a multi-year contract, averaged over the
    same calendar years. ``unit_cost_effect_pct`` and ``achievement_effect``
    are the difference-in-differences where comparison areas exist, otherwise
    the before/after change (``method`` says which).
    """

    teryt: str
    area: str
    end_year: int
    first_multi_year: int
    before_years: int
    after_years: int
    unit_cost_before: float
    unit_cost_after: float
    unit_cost_change: float
    unit_cost_change_pct: float
    achievement_before: float
    achievement_after: float
    achievement_change: float
    comparison_areas: tuple[str, ...]
    comparison_unit_cost_change_pct: float
    comparison_achievement_change: float
    did_unit_cost_pct: float
    did_achievement: float
    unit_cost_effect_pct: float
    achievement_effect: float
    method: ComparisonMethod


def _period_means(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    groups = frame.groupby(list(by), sort=True, observed=True)
    means = groups[["unit_cost", "achievement"]].mean()
    return means.assign(years=groups["year"].nunique()).reset_index()


def _comparison_changes(
    comparison: pd.DataFrame, periods: pd.DataFrame
) -> pd.DataFrame:
    """Mean relative unit-cost change and achievement change of the comparison areas."""
    keys = ["teryt", "area", "end_year"]
    if comparison.empty or periods.empty:
        return pd.DataFrame(columns=[*keys, "comparison_areas", "comparison_unit_cost_change_pct",
                                     "comparison_achievement_change"])
    paired = periods[[*keys, "first_multi_year"]].merge(
        comparison.rename(columns={"area": "comparison_area"}), on="teryt"
    )
    year = paired["year"].to_numpy()
    period = np.where(
        year < paired["first_multi_year"].to_numpy(), "before",
        np.where(year <= paired["end_year"].to_numpy(), "after", ""),
    )
    paired = paired.assign(period=period)[period != ""]
    means = _period_means(paired, [*keys, "comparison_area", "period"])
    wide = means.pivot(index=[*keys, "comparison_area"], columns="period",
                       values=["unit_cost", "achievement"])
    wide.columns = ["_".join(map(str, column)) for column in wide.columns]
    wide = wide.reindex(columns=[f"{v}_{p}" for v in ("unit_cost", "achievement")
                                 for p in ("before", "after")])
    wide = wide.assign(
        cost_pct=(ratio(wide["unit_cost_after"], wide["unit_cost_before"]) - 1.0) * 100.0,
        achievement_change=wide["achievement_after"] - wide["achievement_before"],
    ).reset_index()
    usable = wide[wide["cost_pct"].notna() | wide["achievement_change"].notna()]
    groups = usable.groupby(keys, sort=True)
    changes = groups[["cost_pct", "achievement_change"]].mean()
    return pd.DataFrame({
        "comparison_areas": groups["comparison_area"].agg(lambda s: ",".join(sorted(s))),
        "comparison_unit_cost_change_pct": changes["cost_pct"],
        "comparison_achievement_change": changes["achievement_change"],
    }).reset_index()


def multi_year_comparison_table(
    yearly: pd.DataFrame, ends: pd.DataFrame | None = None
) -> pd.DataFrame:
    """E9 for every multi-year contract end at once (vectorised).

    Parameters
    ----------
    yearly
        One row per gmina × area × year with a contract: ``teryt``, ``area``,
        ``year``, ``mode`` (``multi_year`` if a multi-year contract ran that
        year, else ``annual_grant``), ``unit_cost`` (E1, zł) and
        ``achievement`` (Q3R, %).
    ends
        ``teryt``, ``area``, ``end_year``: the years to evaluate (ex post);
        by default the last multi-year year of each area.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPARISON_COLUMNS`, one row per ``ends`` row whose
        area had a multi-year year. With ``b``/``a`` the before/after means:
        ``unit_cost_change_pct = (a / b − 1) × 100``; ``achievement_change =
        a − b`` (percentage points); ``did_unit_cost_pct`` = own change − mean
        change of comparison areas; ``did_achievement`` likewise.
    """
    keys = list(AREA_KEYS)
    multi = yearly["mode"].to_numpy() == MULTI_YEAR
    first = (
        yearly[multi].groupby(keys, sort=True)["year"].min().rename("first_multi_year")
        .reset_index()
    )
    if ends is None:
        ends = yearly[multi].groupby(keys, sort=True)["year"].max().rename("end_year").reset_index()
    periods = ends[[*keys, "end_year"]].drop_duplicates().merge(first, on=keys, how="inner")
    treated = yearly.merge(first, on=keys, how="inner")
    before_rows = treated[
        (treated["mode"] != MULTI_YEAR) & (treated["year"] < treated["first_multi_year"])
    ]
    before = _period_means(before_rows, keys).rename(
        columns={"unit_cost": "unit_cost_before", "achievement": "achievement_before",
                 "years": "before_years"})
    after_rows = treated[treated["mode"] == MULTI_YEAR].merge(
        periods[[*keys, "end_year"]], on=keys)
    after_rows = after_rows[after_rows["year"] <= after_rows["end_year"]]
    after = _period_means(after_rows, [*keys, "end_year"]).rename(
        columns={"unit_cost": "unit_cost_after", "achievement": "achievement_after",
                 "years": "after_years"})
    treated_area = pd.MultiIndex.from_frame(yearly[keys]).isin(
        pd.MultiIndex.from_frame(first[keys]))
    comparison = yearly[~treated_area]
    table = (
        periods.merge(before, on=keys, how="left")
        .merge(after, on=[*keys, "end_year"], how="left")
        .merge(_comparison_changes(comparison, periods), on=[*keys, "end_year"], how="left")
    )
    return _finish_comparison(table)


def _finish_comparison(table: pd.DataFrame) -> pd.DataFrame:
    cost_b = table["unit_cost_before"].to_numpy(dtype=float, na_value=np.nan)
    cost_a = table["unit_cost_after"].to_numpy(dtype=float, na_value=np.nan)
    ach_b = table["achievement_before"].to_numpy(dtype=float, na_value=np.nan)
    ach_a = table["achievement_after"].to_numpy(dtype=float, na_value=np.nan)
    cost_pct = (ratio(cost_a, cost_b) - 1.0) * 100.0
    ach_change = ach_a - ach_b
    comp_cost = table["comparison_unit_cost_change_pct"].to_numpy(dtype=float, na_value=np.nan)
    comp_ach = table["comparison_achievement_change"].to_numpy(dtype=float, na_value=np.nan)
    did_cost = cost_pct - comp_cost
    did_ach = ach_change - comp_ach
    has_comparison = table["comparison_areas"].notna().to_numpy()
    has_own = ~np.isnan(cost_pct) | ~np.isnan(ach_change)
    method = np.select(
        [has_own & has_comparison, has_own],
        ["difference_in_differences", "before_after"],
        default="not_applicable",
    )
    out = table.assign(
        before_years=table["before_years"].fillna(0).astype("int64"),
        after_years=table["after_years"].fillna(0).astype("int64"),
        unit_cost_change=cost_a - cost_b,
        unit_cost_change_pct=cost_pct,
        achievement_change=ach_change,
        comparison_areas=table["comparison_areas"].fillna("").astype(str),
        did_unit_cost_pct=did_cost,
        did_achievement=did_ach,
        unit_cost_effect_pct=np.where(np.isnan(comp_cost), cost_pct, did_cost),
        achievement_effect=np.where(np.isnan(comp_ach), ach_change, did_ach),
        method=method,
    )
    return out[list(COMPARISON_COLUMNS)].sort_values(["teryt", "area", "end_year"]).reset_index(
        drop=True
    )


def multi_year_comparison(
    yearly: pd.DataFrame, *, teryt: str, area: str, end_year: int | None = None
) -> MultiYearComparison:
    """E9 for one gmina × area: before/after and, with comparison areas, difference-in-differences.

    Parameters
    ----------
    yearly
        As in :func:`multi_year_comparison_table` (may hold other gminy).
    teryt, area
        The area evaluated.
    end_year
        Last year of the multi-year period; by default its last multi-year year.

    Examples
    --------
    Area ``sport`` went multi-year in 2022; ``kultura`` stayed on annual
    grants. Unit cost of sport 100 → 90 zł (−10 %), of kultura 50 → 55 zł
    (+10 %): difference-in-differences −10 − 10 = −20 %.

    >>> yearly = pd.DataFrame({
    ...     "teryt": ["2013023"] * 4, "area": ["sport", "sport", "kultura", "kultura"],
    ...     "year": [2021, 2022, 2021, 2022],
    ...     "mode": ["annual_grant", "multi_year", "annual_grant", "annual_grant"],
    ...     "unit_cost": [100.0, 90.0, 50.0, 55.0], "achievement": [90.0, 95.0, 90.0, 90.0]})
    >>> result = multi_year_comparison(yearly, teryt="2013023", area="sport")
    >>> round(result.unit_cost_effect_pct, 6), result.method
    (-20.0, 'difference_in_differences')
    """
    own = yearly[yearly["teryt"] == teryt]
    ends = None
    if end_year is not None:
        ends = pd.DataFrame({"teryt": [teryt], "area": [area], "end_year": [end_year]})
    table = multi_year_comparison_table(own, ends)
    row = table[(table["area"] == area)]
    if row.empty:
        nan = float("nan")
        return MultiYearComparison(
            teryt=teryt, area=area, end_year=end_year or 0, first_multi_year=0, before_years=0,
            after_years=0, unit_cost_before=nan, unit_cost_after=nan, unit_cost_change=nan,
            unit_cost_change_pct=nan, achievement_before=nan, achievement_after=nan,
            achievement_change=nan, comparison_areas=(), comparison_unit_cost_change_pct=nan,
            comparison_achievement_change=nan, did_unit_cost_pct=nan, did_achievement=nan,
            unit_cost_effect_pct=nan, achievement_effect=nan, method="not_applicable",
        )
    record = row.iloc[-1]

    def number(name: str) -> float:
        return float(record[name])

    areas = str(record["comparison_areas"])
    method: ComparisonMethod = record["method"]
    return MultiYearComparison(
        teryt=teryt, area=area, end_year=int(record["end_year"]),
        first_multi_year=int(record["first_multi_year"]),
        before_years=int(record["before_years"]), after_years=int(record["after_years"]),
        unit_cost_before=number("unit_cost_before"), unit_cost_after=number("unit_cost_after"),
        unit_cost_change=number("unit_cost_change"),
        unit_cost_change_pct=number("unit_cost_change_pct"),
        achievement_before=number("achievement_before"),
        achievement_after=number("achievement_after"),
        achievement_change=number("achievement_change"),
        comparison_areas=tuple(a for a in areas.split(",") if a),
        comparison_unit_cost_change_pct=number("comparison_unit_cost_change_pct"),
        comparison_achievement_change=number("comparison_achievement_change"),
        did_unit_cost_pct=number("did_unit_cost_pct"), did_achievement=number("did_achievement"),
        unit_cost_effect_pct=number("unit_cost_effect_pct"),
        achievement_effect=number("achievement_effect"),
        method=method,
    )
