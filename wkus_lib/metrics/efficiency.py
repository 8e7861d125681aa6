"""Efektywność: the input–effect indicators E1–E9R (DOMAIN.md §5).

The element-wise functions take scalars or arrays (one value per gmina ×
area × year) and return NumPy arrays; a ratio whose denominator is zero or
missing is NaN, never an error. Shares are percentages (0–100).

One valuation per quantity
--------------------------
- E3's planned total counts every planned line of the year, reported or not;
  a line without a reported actual cost is flagged (the unit report's
  ``unreported_lines``), never dropped from the plan.
- The personal contribution (volunteers' and members' work) is valued once:
  at the value the NGO's report states (``contributions.value``), in E5, E6,
  E7 and SROI alike. Hours × hourly rate is kept as a data check (the data-
  quality scorecard compares the two, ``contribution_tolerance``).
- E8 uses the contest cost of each year; a year without one makes the value
  missing ("brak danych"), never the mean of other years.

Comparison design of E9 and E9R
-------------------------------
The *evaluated contract* of an ex-post row is the multi-year contract that
ends in that year (its first year: the contract's ``start_year``). Its
*after* years are the contract's own years; its *before* years are the
area's annual-grant years before the contract began. A *comparison
area-year* is another area of the same gmina funded by annual grants in that
year: an area that switches to a contract later still counts for its annual
years, so a published ex-post value never changes when later years or
contracts are added. Both areas are compared over exactly the same years:
a comparison area counts for a measure only if it has an annual-grant value
in every year where the evaluated area has one (an area with only some of
those years is named as *partial* and left out; years of the comparison area
outside them are never used). The comparison change is the mean of the
comparison areas' changes; E9 = own change − comparison change
(difference-in-differences), or the own change where no area qualifies.

Unit costs are compared in constant prices (:mod:`wkus_lib.catalog.prices`, the GUS
services index): each year's E1 is deflated before the means are taken. The
relative change does not depend on the base year; the means are shown in
prices of the end year or, beyond the index, of its last year. A year the
index does not cover is left out of the cost comparison (for both areas)
and named (``unpriced_years``); E9R (achievement, no money) uses every year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pandas.api.typing import SeriesGroupBy

from wkus_lib.catalog.prices import PriceIndex, base_year_for, deflate
from wkus_lib.domain import MULTI_YEAR

FloatArray = npt.NDArray[np.float64]
ComparisonMethod = Literal["before_after", "difference_in_differences", "not_applicable"]

AREA_KEYS: Final = ("teryt", "area")


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
    """E3: ``actual cost / planned cost of every planned line × 100`` [%].

    ``planned`` sums every line of the offer's cost plan, also lines whose
    actual cost was not reported (those count as 0 zł spent and are flagged).

    Examples
    --------
    Lines planned 8 000 + 2 000 zł with 8 070 + 2 000 zł spent, and a line
    of 265 zł with no actual cost reported: 10 070 / 10 265 × 100 = 98.1 %
    (not 10 070 / 10 000 = 100.7 %, the reported lines alone).

    >>> round(float(budget_execution(10_070, 10_265)), 1)
    98.1
    """
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


def volunteer_value(personal_contribution: npt.ArrayLike) -> FloatArray:
    """E7: the personal contribution at the value the NGO's report states [zł].

    The same valuation as in E5, E6 and SROI (one valuation per quantity);
    hours × hourly rate is only a data check of it (data-quality scorecard).

    Examples
    --------
    Two entries of personal contribution, 3 600 zł (120 h × 30 zł declared)
    and 1 000 zł: E7 = 4 600 zł, whatever the hours say.

    >>> float(volunteer_value(3_600 + 1_000))
    4600.0
    """
    value: FloatArray = np.asarray(personal_contribution, dtype=float)
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
    """E9/E9R for one evaluated contract: its years against the annual-grant years before it.

    ``unit_cost_*`` are in constant prices of ``price_base_year`` (nominal
    when no price index was given, then ``price_base_year`` is 0);
    ``unit_cost_*_nominal`` are the same years in current prices. See the
    module docstring for the design.
    """

    teryt: str
    area: str
    end_year: int
    first_multi_year: int
    before_years: int
    after_years: int
    before_period: str
    after_period: str
    unit_cost_before: float
    unit_cost_after: float
    unit_cost_change: float
    unit_cost_change_pct: float
    unit_cost_before_nominal: float
    unit_cost_after_nominal: float
    unit_cost_change_pct_nominal: float
    price_base_year: int
    unpriced_years: str
    achievement_before: float
    achievement_after: float
    achievement_change: float
    comparison_areas: tuple[str, ...]
    comparison_areas_achievement: tuple[str, ...]
    partial_comparison_areas: tuple[str, ...]
    comparison_unit_cost_change_pct: float
    comparison_achievement_change: float
    did_unit_cost_pct: float
    did_achievement: float
    unit_cost_effect_pct: float
    achievement_effect: float
    method: ComparisonMethod


COMPARISON_COLUMNS: Final = tuple(MultiYearComparison.__dataclass_fields__)
"""Columns of :func:`multi_year_comparison_table` (the fields of :class:`MultiYearComparison`)."""
_CONTRACT: Final = ("teryt", "area", "end_year")
_TEXT_COLUMNS: Final = ("comparison_areas", "comparison_areas_achievement",
                        "partial_comparison_areas")


def years_text(years: Iterable[int]) -> str:
    """Years as compact ranges, e.g. ``2016–2019, 2024`` (empty for none).

    >>> years_text([2021, 2019, 2020, 2024])
    '2019–2021, 2024'
    """
    ordered = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def _years_texts(years: SeriesGroupBy) -> pd.Series:
    """:func:`years_text` of every group's years (groups in order; grouped by a list of columns).

    A group whose years have no gap is ``first–last`` (or one year); only
    groups with gaps call :func:`years_text`.
    """
    spans = years.agg(["min", "max", "nunique"])
    first, last, count = (spans[c].to_numpy(dtype="int64") for c in ("min", "max", "nunique"))
    texts = [str(a) if a == b else f"{a}–{b}" for a, b in zip(first.tolist(), last.tolist(),
                                                              strict=True)]
    for position in np.flatnonzero(last - first + 1 != count).tolist():
        key = spans.index[position]
        texts[position] = years_text(years.get_group(key if isinstance(key, tuple) else (key,)))
    return pd.Series(texts, index=spans.index, dtype=object)


def _evaluated_contracts(yearly: pd.DataFrame, ends: pd.DataFrame | None) -> pd.DataFrame:
    """teryt, area, end_year, first_multi_year: each evaluated contract and its first year.

    Without ``start_year`` in ``ends`` a contract is the run of consecutive
    multi-year years that holds ``end_year`` (by default the last year of
    each run); an ``ends`` row whose year is not a multi-year year is dropped.
    """
    keys = list(AREA_KEYS)
    multi = yearly.loc[yearly["mode"].to_numpy() == MULTI_YEAR, [*keys, "year"]]
    multi = multi.drop_duplicates().sort_values([*keys, "year"], kind="stable")
    new_area = (multi[keys] != multi[keys].shift()).any(axis=1).to_numpy()
    gap = multi["year"].to_numpy() != multi["year"].shift().to_numpy() + 1
    run = np.cumsum(new_area | gap)
    multi = multi.assign(first_multi_year=multi.groupby(run)["year"].transform("min"),
                         run_end=multi.groupby(run)["year"].transform("max"))
    if ends is not None and "start_year" in ends.columns:
        chosen = ends[[*keys, "end_year", "start_year"]].rename(
            columns={"start_year": "first_multi_year"})
        chosen = chosen.groupby([*keys, "end_year"], sort=True)["first_multi_year"].min()
        known = multi[[*keys, "year"]].rename(columns={"year": "end_year"})
        return chosen.reset_index().merge(known, on=[*keys, "end_year"], how="inner")
    if ends is None:
        ends = multi.loc[multi["year"] == multi["run_end"], [*keys, "year"]].rename(
            columns={"year": "end_year"})
    runs = multi[[*keys, "year", "first_multi_year"]].rename(columns={"year": "end_year"})
    return ends[[*keys, "end_year"]].drop_duplicates().merge(runs, on=[*keys, "end_year"])


def _with_real_cost(yearly: pd.DataFrame, price_index: PriceIndex | None) -> pd.DataFrame:
    """``cost_real`` (prices of the index's last year), ``cost_nominal``, ``unpriced``.

    Both costs are NaN in years the index does not cover (``unpriced`` true
    where such a year has a unit cost).
    """
    nominal = yearly["unit_cost"].to_numpy(dtype=float, na_value=np.nan)
    if price_index is None:
        return yearly.assign(cost_real=nominal, cost_nominal=nominal, unpriced=False)
    years = yearly["year"].to_numpy(dtype="int64")
    priced = (years >= price_index.covered_years[0]) & (years <= price_index.last_year)
    real = np.full(len(yearly), np.nan)
    real[priced] = deflate(nominal[priced], years[priced], price_index.last_year, price_index)
    return yearly.assign(cost_real=real, cost_nominal=np.where(priced, nominal, np.nan),
                         unpriced=~priced & ~np.isnan(nominal))


def _own_periods(values: pd.DataFrame, contracts: pd.DataFrame) -> pd.DataFrame:
    """The evaluated area's rows of each contract with ``period``: before or after."""
    own = values.merge(contracts, on=list(AREA_KEYS), how="inner")
    year = own["year"].to_numpy()
    multi = own["mode"].to_numpy() == MULTI_YEAR
    before = ~multi & (year < own["first_multi_year"].to_numpy())
    after = multi & (year >= own["first_multi_year"].to_numpy()) & (
        year <= own["end_year"].to_numpy())
    return own[before | after].assign(period=np.where(before, "before", "after")[before | after])


def _period_wide(frame: pd.DataFrame, value: str, by: Sequence[str]) -> pd.DataFrame:
    """Means of ``value`` per ``by`` as columns ``before`` and ``after`` (NaN when absent)."""
    means = frame.groupby([*by, "period"], sort=True)[value].mean().unstack("period")
    return means.reindex(columns=["before", "after"])


def _change(wide: pd.DataFrame, relative: bool) -> FloatArray:
    before: FloatArray = wide["before"].to_numpy(dtype=float)
    after: FloatArray = wide["after"].to_numpy(dtype=float)
    if relative:
        return (ratio(after, before) - 1.0) * 100.0
    return after - before


def _comparison_change(
    own: pd.DataFrame, values: pd.DataFrame, column: str, *, relative: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The comparison areas' mean change of ``column`` over exactly the evaluated area's years.

    A comparison area-year is another area of the same gmina funded by annual
    grants that year. An area counts only if it has such a year with a value
    in every year where the evaluated area has one (before and after);
    otherwise it is a *partial* area, named but not used. Returns the change
    per contract (``areas``, ``change``) and the partial areas per contract.
    """
    contract = list(_CONTRACT)
    need = own.loc[own[column].notna(), [*contract, "year", "period"]]
    n_need = need.groupby(contract, sort=True).size().rename("n_need").reset_index()
    candidates = values[["teryt", "area", "year", "mode", column]].rename(
        columns={"area": "comparison_area", column: "comparison_value"})
    pairs = need.merge(candidates, on=["teryt", "year"], how="inner")
    valid = pairs[(pairs["comparison_area"] != pairs["area"])
                  & (pairs["mode"] != MULTI_YEAR) & pairs["comparison_value"].notna()]
    counts = valid.groupby([*contract, "comparison_area"], sort=True).size().rename(
        "n_valid").reset_index().merge(n_need, on=contract)
    full = counts.loc[counts["n_valid"] == counts["n_need"], [*contract, "comparison_area"]]
    partial = counts.loc[counts["n_valid"] < counts["n_need"], [*contract, "comparison_area"]]
    used = valid.merge(full, on=[*contract, "comparison_area"], how="inner")
    wide = _period_wide(used, "comparison_value", [*contract, "comparison_area"])
    per_area = pd.DataFrame({"change": _change(wide, relative)}, index=wide.index)
    per_area = per_area[per_area["change"].notna()].reset_index()
    grouped = per_area.groupby(contract, sort=True)
    changes = pd.DataFrame({
        "areas": _joined_names(per_area, contract, "comparison_area"),
        "change": grouped["change"].mean(),
    }).reset_index()
    partial_names = _joined_names(partial, contract, "comparison_area").rename(
        "partial").reset_index()
    return changes, partial_names


def _joined_names(frame: pd.DataFrame, by: list[str], column: str) -> pd.Series:
    """``column``'s values in each group of ``by``, sorted and joined with commas.

    Indexed by the groups, sorted (as ``groupby(by, sort=True)``); one sort
    and one join per group instead of a Python function called per group.
    """
    ordered = frame.dropna(subset=by).sort_values([*by, column], kind="stable")
    sizes = ordered.groupby(by, sort=True).size()
    names = ordered[column].to_numpy(dtype=object)
    parts = np.split(names, np.cumsum(sizes.to_numpy())[:-1]) if len(sizes) else []
    return pd.Series([",".join(part) for part in parts], index=sizes.index, name=column,
                     dtype=object)


def multi_year_comparison_table(
    yearly: pd.DataFrame,
    ends: pd.DataFrame | None = None,
    *,
    price_index: PriceIndex | None = None,
) -> pd.DataFrame:
    """E9 and E9R for every evaluated contract at once (vectorised; design in the module docstring).

    Parameters
    ----------
    yearly
        One row per gmina × area × year with a contract: ``teryt``, ``area``,
        ``year``, ``mode`` (``multi_year`` if a multi-year contract ran that
        year, else ``annual_grant``), ``unit_cost`` (E1, nominal zł) and
        ``achievement`` (Q3R, %).
    ends
        ``teryt``, ``area``, ``end_year`` and optionally ``start_year``: the
        evaluated contracts (ex post). Without ``start_year`` a contract is
        the run of consecutive multi-year years holding ``end_year``; without
        ``ends`` every such run is evaluated at its last year.
    price_index
        The services price index: unit costs are compared in constant prices
        (``unit_cost_before``/``after``/``change_pct``, base year: the end
        year or, beyond the index, its last year); years the index lacks are
        left out of the cost comparison and listed in ``unpriced_years``.
        ``None`` compares nominal złoty.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COMPARISON_COLUMNS`, one row per evaluated contract.
        With ``b``/``a`` the before/after means: ``unit_cost_change_pct =
        (a / b − 1) × 100``; ``achievement_change = a − b`` (percentage
        points); ``did_*`` = own change − mean change of the comparison areas
        over the same years; ``*_effect`` the difference-in-differences where
        comparison areas exist, else the own change (``method`` says which).
    """
    contract = list(_CONTRACT)
    contracts = _evaluated_contracts(yearly, ends)
    values = _with_real_cost(yearly, price_index)
    own = _own_periods(values, contracts)
    own = own.assign(cost_real=own["cost_real"].astype(float),
                     achievement=own["achievement"].astype(float))
    costed = own[own["cost_real"].notna()]
    cost = _period_wide(costed, "cost_real", contract)
    nominal = _period_wide(costed, "cost_nominal", contract)
    achievement = _period_wide(own, "achievement", contract)
    periods = costed.groupby([*contract, "period"], sort=True)["year"]
    counts = pd.DataFrame({"size": periods.size(), "years_text": _years_texts(periods)}).unstack(
        "period").reindex(
        columns=pd.MultiIndex.from_product([["size", "years_text"], ["before", "after"]]))
    unpriced = _years_texts(own[own["unpriced"]].groupby(contract, sort=True)["year"])
    comp_cost, partial = _comparison_change(own, values, "cost_real", relative=True)
    comp_ach, _partial = _comparison_change(own, values, "achievement", relative=False)
    table = contracts.set_index(contract).sort_index()
    index = table.index
    table = table.assign(
        before_years=counts[("size", "before")].reindex(index).fillna(0).astype("int64"),
        after_years=counts[("size", "after")].reindex(index).fillna(0).astype("int64"),
        before_period=counts[("years_text", "before")].reindex(index).fillna("").astype(str),
        after_period=counts[("years_text", "after")].reindex(index).fillna("").astype(str),
        unit_cost_before=cost["before"].reindex(index),
        unit_cost_after=cost["after"].reindex(index),
        unit_cost_before_nominal=nominal["before"].reindex(index),
        unit_cost_after_nominal=nominal["after"].reindex(index),
        unpriced_years=unpriced.reindex(index).fillna("").astype(str),
        achievement_before=achievement["before"].reindex(index),
        achievement_after=achievement["after"].reindex(index),
        comparison_areas=comp_cost.set_index(contract)["areas"].reindex(index),
        comparison_unit_cost_change_pct=comp_cost.set_index(contract)["change"].reindex(index),
        comparison_areas_achievement=comp_ach.set_index(contract)["areas"].reindex(index),
        comparison_achievement_change=comp_ach.set_index(contract)["change"].reindex(index),
        partial_comparison_areas=partial.set_index(contract)["partial"].reindex(index),
    ).reset_index()
    return _finish_comparison(table, price_index)


def _finish_comparison(table: pd.DataFrame, price_index: PriceIndex | None) -> pd.DataFrame:
    def column(name: str) -> FloatArray:
        values: FloatArray = table[name].to_numpy(dtype=float, na_value=np.nan)
        return values

    if price_index is None:
        base = np.zeros(len(table), dtype="int64")
        rescale = np.ones(len(table))
    else:
        base = np.array([base_year_for(int(y), price_index)[0] for y in table["end_year"]],
                        dtype="int64")
        last = price_index.level(price_index.last_year)
        rescale = np.array([price_index.level(int(b)) / last for b in base])
    cost_b = column("unit_cost_before") * rescale
    cost_a = column("unit_cost_after") * rescale
    cost_pct = (ratio(cost_a, cost_b) - 1.0) * 100.0
    nominal_pct = (ratio(column("unit_cost_after_nominal"),
                         column("unit_cost_before_nominal")) - 1.0) * 100.0
    ach_change = column("achievement_after") - column("achievement_before")
    comp_cost = column("comparison_unit_cost_change_pct")
    comp_ach = column("comparison_achievement_change")
    did_cost = cost_pct - comp_cost
    did_ach = ach_change - comp_ach
    has_own = ~np.isnan(cost_pct) | ~np.isnan(ach_change)
    has_comparison = ~np.isnan(did_cost) | ~np.isnan(did_ach)
    method = np.select(
        [has_own & has_comparison, has_own],
        ["difference_in_differences", "before_after"],
        default="not_applicable",
    )
    out = table.assign(
        unit_cost_before=cost_b,
        unit_cost_after=cost_a,
        unit_cost_change=cost_a - cost_b,
        unit_cost_change_pct=cost_pct,
        unit_cost_change_pct_nominal=nominal_pct,
        price_base_year=base,
        achievement_change=ach_change,
        did_unit_cost_pct=did_cost,
        did_achievement=did_ach,
        unit_cost_effect_pct=np.where(np.isnan(comp_cost), cost_pct, did_cost),
        achievement_effect=np.where(np.isnan(comp_ach), ach_change, did_ach),
        method=method,
        **{name: table[name].fillna("").astype(str) for name in _TEXT_COLUMNS},
    )
    return out[list(COMPARISON_COLUMNS)].sort_values(list(_CONTRACT)).reset_index(drop=True)


def multi_year_comparison(
    yearly: pd.DataFrame,
    *,
    teryt: str,
    area: str,
    end_year: int | None = None,
    price_index: PriceIndex | None = None,
) -> MultiYearComparison:
    """E9/E9R for one gmina × area (see :func:`multi_year_comparison_table`).

    Parameters
    ----------
    yearly
        As in :func:`multi_year_comparison_table` (may hold other gminy).
    teryt, area
        The area evaluated.
    end_year
        Last year of the evaluated contract; by default the area's last
        multi-year year.
    price_index
        As in :func:`multi_year_comparison_table`.

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
    table = multi_year_comparison_table(own, ends, price_index=price_index)
    row = table[table["area"] == area]
    if row.empty:
        nan = float("nan")
        return MultiYearComparison(
            teryt=teryt, area=area, end_year=end_year or 0, first_multi_year=0, before_years=0,
            after_years=0, before_period="", after_period="", unit_cost_before=nan,
            unit_cost_after=nan, unit_cost_change=nan, unit_cost_change_pct=nan,
            unit_cost_before_nominal=nan, unit_cost_after_nominal=nan,
            unit_cost_change_pct_nominal=nan, price_base_year=0, unpriced_years="",
            achievement_before=nan, achievement_after=nan, achievement_change=nan,
            comparison_areas=(), comparison_areas_achievement=(), partial_comparison_areas=(),
            comparison_unit_cost_change_pct=nan, comparison_achievement_change=nan,
            did_unit_cost_pct=nan, did_achievement=nan, unit_cost_effect_pct=nan,
            achievement_effect=nan, method="not_applicable",
        )
    record = row.iloc[-1]
    fields: dict[str, object] = {}
    for name in COMPARISON_COLUMNS:
        value = record[name]
        if name in _TEXT_COLUMNS:
            fields[name] = tuple(a for a in str(value).split(",") if a)
        elif name in ("teryt", "area", "before_period", "after_period", "unpriced_years",
                      "method"):
            fields[name] = str(value)
        elif name in ("end_year", "first_multi_year", "before_years", "after_years",
                      "price_base_year"):
            fields[name] = int(value)
        else:
            fields[name] = float(value)
    return MultiYearComparison(**fields)  # type: ignore[arg-type]
