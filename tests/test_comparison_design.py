"""The comparison design of E9/E9R, hand-worked (module docstring of metrics.efficiency).

Every case is one gmina (2013023) with an evaluated area ``pomoc_spoleczna``
and comparison areas; the arithmetic is written next to each assertion.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from wkus_lib.catalog.prices import PriceIndex
from wkus_lib.metrics.efficiency import multi_year_comparison, multi_year_comparison_table

G = "2013023"
PS = "pomoc_spoleczna"
ANNUAL = "annual_grant"
MULTI = "multi_year"


def _rows(area: str, years: dict[int, tuple[str, float, float]]) -> pd.DataFrame:
    """One area: year → (mode, unit cost, achievement)."""
    return pd.DataFrame({
        "teryt": G, "area": area, "year": list(years),
        "mode": [m for m, _c, _a in years.values()],
        "unit_cost": [c for _m, c, _a in years.values()],
        "achievement": [a for _m, _c, a in years.values()],
    })


def _issue_case() -> pd.DataFrame:
    """Evaluated area 2020–2023 (annual 2020–21, contract 2022–23); comparison area 2019–2023."""
    evaluated = _rows(PS, {2020: (ANNUAL, 100.0, 80.0), 2021: (ANNUAL, 100.0, 80.0),
                           2022: (MULTI, 93.0, 90.0), 2023: (MULTI, 93.0, 90.0)})
    comparison = _rows("sport", {2019: (ANNUAL, 60.0, 50.0), 2020: (ANNUAL, 100.0, 85.0),
                                 2021: (ANNUAL, 100.0, 85.0), 2022: (ANNUAL, 100.0, 85.0),
                                 2023: (ANNUAL, 100.0, 85.0)})
    return pd.concat([evaluated, comparison], ignore_index=True)


def test_comparison_area_is_compared_over_the_evaluated_areas_years_only() -> None:
    # own: before (2020, 2021) 100 → after (2022, 2023) 93 → 93 / 100 − 1 = −7 %
    # sport over the same years: 100 → 100 → 0 %; its 2019 (60 zł) is not used
    #   (using it: before (60 + 100 + 100) / 3 = 86.67 → +15.4 % → E9 −22.4 %, the old error)
    # E9 = −7 − 0 = −7 %
    # achievement: own 80 → 90 = +10 pp; sport 85 → 85 = 0 (its 2019 50 % unused) → E9R = 10 pp
    result = multi_year_comparison(_issue_case(), teryt=G, area=PS)
    assert result.method == "difference_in_differences"
    assert result.comparison_areas == ("sport",)
    assert result.comparison_unit_cost_change_pct == pytest.approx(0.0)
    assert result.unit_cost_effect_pct == pytest.approx(-7.0)
    assert result.achievement_effect == pytest.approx(10.0)
    assert (result.before_period, result.after_period) == ("2020–2021", "2022–2023")


def test_an_area_that_switches_to_a_contract_later_still_counts_for_its_annual_years() -> None:
    # sport goes multi-year in 2024–2025, after the evaluated contract ended in 2023:
    # its annual years 2020–2023 still make it a comparison area → E9 stays −7 %
    later = _rows("sport", {2024: (MULTI, 70.0, 95.0), 2025: (MULTI, 70.0, 95.0)})
    yearly = pd.concat([_issue_case(), later], ignore_index=True)
    result = multi_year_comparison(yearly, teryt=G, area=PS, end_year=2023)
    assert result.comparison_areas == ("sport",)
    assert result.unit_cost_effect_pct == pytest.approx(-7.0)


def test_published_value_does_not_change_when_later_years_and_contracts_are_added() -> None:
    ends = pd.DataFrame({"teryt": [G], "area": [PS], "end_year": [2023], "start_year": [2022]})
    published = multi_year_comparison_table(_issue_case(), ends)
    # later: a second contract of the evaluated area 2024–2026, sport on a contract from
    # 2025, a new area from 2024 — none of it touches 2020–2023
    later = pd.concat([
        _issue_case(),
        _rows(PS, {y: (MULTI, 80.0, 99.0) for y in (2024, 2025, 2026)}),
        _rows("sport", {2024: (ANNUAL, 130.0, 60.0), 2025: (MULTI, 50.0, 99.0)}),
        _rows("kultura", {2024: (ANNUAL, 10.0, 10.0), 2025: (ANNUAL, 20.0, 20.0)}),
    ], ignore_index=True)
    later_ends = pd.concat([ends, pd.DataFrame(
        {"teryt": [G], "area": [PS], "end_year": [2026], "start_year": [2024]})])
    again = multi_year_comparison_table(later, later_ends)
    pd.testing.assert_frame_equal(again[again["end_year"] == 2023].reset_index(drop=True),
                                  published)


def test_consecutive_contracts_are_evaluated_one_at_a_time() -> None:
    # contract 1 2022–2023 (93 zł), contract 2 2024–2025 (80 zł); annual 2020–21 at 100 zł.
    # Evaluating contract 2: after = 2024–2025 only (80), before = the annual years before
    # it (2020–2021, 100) → 80 / 100 − 1 = −20 %; contract 1's years are in neither period.
    yearly = pd.concat([
        _rows(PS, {2020: (ANNUAL, 100.0, 80.0), 2021: (ANNUAL, 100.0, 80.0),
                   2022: (MULTI, 93.0, 90.0), 2023: (MULTI, 93.0, 90.0),
                   2024: (MULTI, 80.0, 95.0), 2025: (MULTI, 80.0, 95.0)}),
    ], ignore_index=True)
    ends = pd.DataFrame({"teryt": [G, G], "area": [PS, PS], "end_year": [2023, 2025],
                         "start_year": [2022, 2024]})
    table = multi_year_comparison_table(yearly, ends)
    assert table["first_multi_year"].tolist() == [2022, 2024]
    assert table["unit_cost_change_pct"].tolist() == pytest.approx([-7.0, -20.0])
    assert table["after_period"].tolist() == ["2022–2023", "2024–2025"]
    # achievement of contract 2: 95 − 80 = +15 pp (not the mean of both contracts, 92.5)
    assert table["achievement_change"].tolist() == pytest.approx([10.0, 15.0])


def test_an_area_missing_some_of_the_years_is_named_and_not_used() -> None:
    # kultura has annual grants 2020, 2022 and 2023 but no 2021: not all four years → left
    # out (named as partial); sport alone: 0 % → E9 = −7 %
    kultura = _rows("kultura", {2020: (ANNUAL, 50.0, 70.0), 2022: (ANNUAL, 80.0, 70.0),
                                2023: (ANNUAL, 80.0, 70.0)})
    yearly = pd.concat([_issue_case(), kultura], ignore_index=True)
    result = multi_year_comparison(yearly, teryt=G, area=PS)
    assert result.comparison_areas == ("sport",)
    assert result.partial_comparison_areas == ("kultura",)
    assert result.unit_cost_effect_pct == pytest.approx(-7.0)


def test_an_area_on_a_contract_in_one_of_the_years_is_not_a_comparison() -> None:
    # sport on a multi-year contract in 2023: 2023 is not a comparison area-year, so sport
    # lacks one of the evaluated years → no comparison area → before/after only: −7 %
    yearly = _issue_case()
    yearly.loc[(yearly["area"] == "sport") & (yearly["year"] == 2023), "mode"] = MULTI
    result = multi_year_comparison(yearly, teryt=G, area=PS, end_year=2023)
    assert result.method == "before_after"
    assert result.unit_cost_effect_pct == pytest.approx(-7.0)


INDEX = PriceIndex(first_year=2021, indices=(105.0, 110.0, 110.0))
"""Made-up services index: 2021 +5 %, 2022 +10 %, 2023 +10 % (levels 2020 1, 2021 1.05,
2022 1.155, 2023 1.2705)."""


def test_unit_costs_are_compared_in_constant_prices() -> None:
    # In 2023 prices: 2020 × 1.2705, 2021 × 1.2705 / 1.05 = 1.21, 2022 × 1.1, 2023 × 1.
    # own before: 100 × 1.2705 = 127.05, 100 × 1.21 = 121 → mean 124.025
    # own after: 93 × 1.1 = 102.3, 93 → mean 97.65 → 97.65 / 124.025 − 1 = −21.266 %
    # sport: before 124.025; after 110, 100 → 105 → 105 / 124.025 − 1 = −15.340 %
    # E9 = −21.266 − (−15.340) = −5.926 %   (nominal: −7 − 0 = −7 %)
    result = multi_year_comparison(_issue_case(), teryt=G, area=PS, price_index=INDEX)
    assert result.price_base_year == 2023
    assert result.unit_cost_before == pytest.approx(124.025)
    assert result.unit_cost_after == pytest.approx(97.65)
    assert (result.unit_cost_before_nominal, result.unit_cost_after_nominal) == (100.0, 93.0)
    assert result.unit_cost_change_pct_nominal == pytest.approx(-7.0)
    assert result.unit_cost_change_pct == pytest.approx(-21.266, abs=0.001)
    assert result.comparison_unit_cost_change_pct == pytest.approx(-15.340, abs=0.001)
    assert result.unit_cost_effect_pct == pytest.approx(-5.926, abs=0.001)
    # achievement is not money: unchanged, +10 pp
    assert result.achievement_effect == pytest.approx(10.0)


def test_years_beyond_the_index_are_left_out_of_the_cost_comparison_and_named() -> None:
    # the index ends in 2022: 2023 has no price level → cost compared over 2020–2022 only,
    # for both areas; base year = the last index year, 2022.
    # own before 100 × 1.155 = 115.5, 100 × 1.1 = 110 → 112.75; after 93 → 93 / 112.75 − 1
    #   = −17.517 %; sport before 112.75, after 100 → −11.308 %; E9 = −6.208 %
    short = PriceIndex(first_year=2021, indices=(105.0, 110.0))
    result = multi_year_comparison(_issue_case(), teryt=G, area=PS, price_index=short)
    assert result.unpriced_years == "2023"
    assert result.after_period == "2022"
    assert result.price_base_year == 2022
    assert result.unit_cost_effect_pct == pytest.approx(-6.208, abs=0.001)
    # E9R still uses 2023: achievement has no prices
    assert result.achievement_after == 90.0


def test_no_baseline_means_no_value() -> None:
    yearly = _issue_case()
    yearly = yearly[~((yearly["area"] == PS) & (yearly["year"] < 2022))]
    result = multi_year_comparison(yearly, teryt=G, area=PS)
    assert result.method == "not_applicable"
    assert math.isnan(result.unit_cost_effect_pct)
