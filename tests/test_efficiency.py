"""Efektywność: the input–effect indicators E1–E9 with hand-worked examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from wkus_lib.metrics.efficiency import (
    admin_cost_share,
    budget_execution,
    contest_cost,
    cost_per_result_unit,
    cost_per_service_hour,
    grant_share,
    leverage,
    multi_year_comparison,
    multi_year_comparison_table,
    ratio,
    transaction_cost_saved,
    unit_cost,
    volunteer_value,
)


def test_ratio_is_missing_for_zero_or_missing_denominators() -> None:
    result = ratio([10.0, 1.0, 1.0, np.nan], [4.0, 0.0, np.nan, 2.0])
    assert result[0] == 2.5
    assert np.isnan(result[1:]).all()


def test_unit_cost_per_beneficiary_e1() -> None:
    # total cost 120 000 zł / 80 clients = 1 500 zł per client
    assert float(unit_cost(120_000, 80)) == 1500.0


def test_unit_cost_per_service_hour_e1h() -> None:
    # 120 000 zł / 2 400 h = 50 zł per hour
    assert float(cost_per_service_hour(120_000, 2400)) == 50.0


def test_cost_per_result_unit_e2() -> None:
    # 120 000 zł / 40 families supported = 3 000 zł per family
    assert float(cost_per_result_unit(120_000, 40)) == 3000.0


def test_budget_execution_e3() -> None:
    # actual 95 000 / planned 100 000 × 100 = 95 %
    assert float(budget_execution(95_000, 100_000)) == 95.0


def test_admin_cost_share_e4() -> None:
    # administrative 9 000 / total 120 000 × 100 = 7.5 %
    assert float(admin_cost_share(9_000, 120_000)) == 7.5


def test_leverage_e5() -> None:
    # (own 1 000 + fees 500 + other public 0 + other 0 + personal 500 + in-kind 0) / grant 8 000
    # = 2 000 / 8 000 = 0.25 zł per zł of grant
    value = leverage(8000, own_funds=1000, fees=500, other_public=0, other=0, personal=500,
                     in_kind=0)
    assert float(value) == 0.25


def test_grant_share_e6() -> None:
    # grant 8 000 + own 1 000 + fees 500 + personal 500 = 10 000 → E6 = 8 000 / 10 000 = 0.8 → 80 %
    assert float(grant_share(8000, 8000 + 1000 + 500 + 500)) == 80.0


def test_grant_share_and_leverage_agree() -> None:
    # E6 = 1 / (1 + E5) when both use the same resources: 1 / 1.25 = 0.8
    e5 = leverage(8000, own_funds=1000, fees=500, other_public=0, other=0, personal=500, in_kind=0)
    assert float(grant_share(8000, 10_000)) / 100 == pytest.approx(1 / (1 + float(e5)))


def test_volunteer_value_e7_is_the_reported_value() -> None:
    # reported personal contributions 3 600 zł and 1 000 zł → E7 = 4 600 zł
    # (hours × rate is a data check only, never a second valuation)
    assert volunteer_value([3600.0, 1000.0]).sum() == 4600.0


def test_budget_execution_counts_every_planned_line_e3() -> None:
    # reported lines: planned 8 000 + 2 000, actual 8 070 + 2 000 = 10 070 zł;
    # an unreported line planned at 265 zł stays in the plan: 10 070 / 10 265 = 98.1 %
    # (the reported lines alone would give 10 070 / 10 000 = 100.7 %)
    assert float(budget_execution(10_070, 10_265)) == pytest.approx(98.1, abs=0.005)


def test_transaction_cost_saved_e8() -> None:
    # one contest: 40 h × 60 zł/h + 600 zł = 3 000 zł;
    # 4-year contract: annual regime would need 4 contests, 1 held → (4 − 1) × 3 000 = 9 000 zł
    assert float(contest_cost(40, 60, 600)) == 3000.0
    assert float(transaction_cost_saved(4, 1, 3000)) == 9000.0


def _yearly() -> pd.DataFrame:
    """Sport went multi-year in 2022–2023; kultura stayed on annual grants."""
    return pd.DataFrame(
        {
            "teryt": ["2013023"] * 8,
            "area": ["sport"] * 4 + ["kultura"] * 4,
            "year": [2020, 2021, 2022, 2023] * 2,
            "mode": ["annual_grant", "annual_grant", "multi_year", "multi_year"]
            + ["annual_grant"] * 4,
            "unit_cost": [100.0, 120.0, 99.0, 99.0, 50.0, 50.0, 55.0, 55.0],
            "achievement": [90.0, 80.0, 95.0, 95.0, 90.0, 90.0, 88.0, 88.0],
        }
    )


def test_multi_year_before_after_without_comparison_areas_e9() -> None:
    yearly = _yearly()
    yearly = yearly[yearly["area"] == "sport"]
    # before: unit cost (100 + 120)/2 = 110; after (99 + 99)/2 = 99 → 99/110 − 1 = −10 %
    # achievement before (90 + 80)/2 = 85, after 95 → +10 pp
    result = multi_year_comparison(yearly, teryt="2013023", area="sport")
    assert result.method == "before_after"
    assert (result.unit_cost_before, result.unit_cost_after) == (110.0, 99.0)
    assert result.unit_cost_change == -11.0
    assert result.unit_cost_effect_pct == pytest.approx(-10.0)
    assert result.achievement_effect == pytest.approx(10.0)
    assert (result.before_years, result.after_years, result.first_multi_year) == (2, 2, 2022)
    assert result.comparison_areas == ()


def test_multi_year_difference_in_differences_against_annual_areas_e9() -> None:
    # sport: −10 %; kultura (annual) 50 → 55 = +10 % in the same years → DiD = −10 − 10 = −20 %
    # achievement: sport +10 pp; kultura 90 → 88 = −2 pp → DiD = 10 − (−2) = +12 pp
    result = multi_year_comparison(_yearly(), teryt="2013023", area="sport")
    assert result.method == "difference_in_differences"
    assert result.comparison_areas == ("kultura",)
    assert result.comparison_unit_cost_change_pct == pytest.approx(10.0)
    assert result.did_unit_cost_pct == pytest.approx(-20.0)
    assert result.unit_cost_effect_pct == pytest.approx(-20.0)
    assert result.did_achievement == pytest.approx(12.0)
    assert result.unit_cost_change_pct == pytest.approx(-10.0)  # own change kept too


def test_multi_year_comparison_until_an_earlier_end_year() -> None:
    # after = 2022 only: 99/110 − 1 = −10 %; kultura 2022: 55/50 − 1 = +10 % → −20 %
    result = multi_year_comparison(_yearly(), teryt="2013023", area="sport", end_year=2022)
    assert result.after_years == 1
    assert result.unit_cost_effect_pct == pytest.approx(-20.0)


def test_area_that_never_went_multi_year_is_not_applicable() -> None:
    result = multi_year_comparison(_yearly(), teryt="2013023", area="kultura")
    assert result.method == "not_applicable"
    assert math.isnan(result.unit_cost_effect_pct)


def test_area_without_a_baseline_is_not_applicable() -> None:
    yearly = _yearly()
    yearly = yearly[(yearly["area"] == "sport") & (yearly["year"] >= 2022)]
    table = multi_year_comparison_table(yearly)
    assert table["method"].tolist() == ["not_applicable"]


def test_comparison_table_covers_every_multi_year_area_at_once() -> None:
    other = _yearly().assign(teryt="2009042")
    table = multi_year_comparison_table(pd.concat([_yearly(), other], ignore_index=True))
    assert table[["teryt", "area", "end_year"]].values.tolist() == [
        ["2009042", "sport", 2023], ["2013023", "sport", 2023]]
    assert table["did_unit_cost_pct"].tolist() == pytest.approx([-20.0, -20.0])


