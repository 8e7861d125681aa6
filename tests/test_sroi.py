"""E10 SROI: user-supplied proxies only, discounting, drop-off and a sensitivity table."""

from __future__ import annotations

import pandas as pd
import pytest

from wkus_lib.metrics import sroi as sroi_module
from wkus_lib.metrics.sroi import (
    OUTCOME_COLUMNS,
    inputs_present_value,
    outcome_values,
    sensitivity_range,
    sroi,
    sroi_sensitivity,
)


def _outcomes(**overrides: object) -> pd.DataFrame:
    row = {
        "outcome": "samodzielne mieszkanie", "quantity": 20, "proxy_value": 1000.0,
        "deadweight": 0.25, "displacement": 0.0, "attribution": 0.2, "drop_off": 0.5,
        "duration_years": 2,
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_outcome_value_applies_deadweight_displacement_attribution_and_drop_off() -> None:
    # year 1: 20 × 1 000 × (1 − 0.25) × (1 − 0.1) × (1 − 0.2) = 10 800
    # year 2: 10 800 × (1 − 0.5) = 5 400
    yearly = outcome_values(_outcomes(displacement=0.1), discount_rate=0.0)
    assert yearly["year"].tolist() == [1, 2]
    assert yearly["value"].tolist() == pytest.approx([10_800.0, 5_400.0])


def test_outcomes_are_discounted_from_year_one() -> None:
    # 12 000 / 1.1 + 6 000 / 1.1² = 10 909.09 + 4 958.68 = 15 867.77
    yearly = outcome_values(_outcomes(), discount_rate=0.1)
    assert yearly["present_value"].sum() == pytest.approx(12_000 / 1.1 + 6_000 / 1.1**2)


def test_sroi_ratio_is_present_value_of_outcomes_over_inputs() -> None:
    # PV(outcomes) = 12 000 + 6 000 = 18 000 (no discounting); inputs 9 000 → SROI 2.0
    result = sroi(_outcomes(), 9000.0, discount_rate=0.0)
    assert (result.pv_outcomes, result.pv_inputs, result.ratio) == (18_000.0, 9_000.0, 2.0)


def test_inputs_are_valued_as_invested_and_only_later_years_discounted() -> None:
    # year 1 at its value, year 2 once: 1 000 + 1 000 / 1.05 = 1 000 + 952.38 = 1 952.38
    assert inputs_present_value([1000.0, 1000.0], discount_rate=0.05) == pytest.approx(
        1000 + 1000 / 1.05)
    assert inputs_present_value(9000.0, discount_rate=0.05) == 9000.0


def test_discounting_the_first_year_of_inputs_no_longer_lifts_the_ratio_over_one() -> None:
    # The case in small: a two-year contract, 10 000 zł of inputs each year, one
    # outcome worth 10 100 zł a year for two years (quantity 1, no deadweight or drop-off).
    # Old rule (inputs discounted like outcomes, from year 1):
    #   (10 100/1.035 + 10 100/1.035²) / (10 000/1.035 + 10 000/1.035²) = 1.01 → "dobrze"
    # Guide's rule (inputs as invested, year 2 discounted once):
    #   PV(outcomes) = 10 100/1.035 + 10 100/1.035² = 9 758.45 + 9 428.46 = 19 186.91
    #   PV(inputs)   = 10 000 + 10 000/1.035 = 10 000 + 9 661.84 = 19 661.84
    #   SROI = 19 186.91 / 19 661.84 = 0.9758 (= 1.01 / 1.035) → below the green threshold 1
    outcome = _outcomes(quantity=1, proxy_value=10_100.0, deadweight=0.0, attribution=0.0,
                        drop_off=0.0, duration_years=2)
    result = sroi(outcome, [10_000.0, 10_000.0], discount_rate=0.035)
    assert result.pv_outcomes == pytest.approx(19_186.91, abs=0.01)
    assert result.pv_inputs == pytest.approx(19_661.84, abs=0.01)
    assert round(result.ratio, 2) == 0.98
    assert result.ratio == pytest.approx(1.01 / 1.035)


def test_an_outcome_starting_later_is_discounted_from_its_own_years() -> None:
    # Contract 2022–2024; outcome from 2023 for 2 years: contract years 2 and 3.
    # 12 000 / 1.1² + 6 000 / 1.1³ = 9 917.36 + 4 507.89 = 14 425.24
    yearly = outcome_values(_outcomes(start_year=2023), discount_rate=0.1, first_year=2022)
    assert yearly["year"].tolist() == [2, 3]
    assert yearly["outcome_year"].tolist() == [1, 2]
    assert yearly["calendar_year"].tolist() == [2023, 2024]
    assert yearly["present_value"].sum() == pytest.approx(14_425.24, abs=0.01)


def test_an_empty_start_year_means_the_contracts_first_year() -> None:
    # start_year empty → contract year 1: 12 000 / 1.1 + 6 000 / 1.1² as without the column
    yearly = outcome_values(_outcomes(start_year=float("nan")), discount_rate=0.1,
                            first_year=2022)
    assert yearly["calendar_year"].tolist() == [2022, 2023]
    assert yearly["present_value"].sum() == pytest.approx(12_000 / 1.1 + 6_000 / 1.1**2)


def test_a_start_year_before_the_contract_or_without_it_is_refused() -> None:
    with pytest.raises(ValueError, match="przed pierwszym rokiem umowy \\(2022\\)"):
        outcome_values(_outcomes(start_year=2021), discount_rate=0.0, first_year=2022)
    with pytest.raises(ValueError, match="pierwszy rok ocenianej umowy"):
        outcome_values(_outcomes(start_year=2023), discount_rate=0.0)
    with pytest.raises(ValueError, match="start_year"):
        outcome_values(_outcomes(start_year=2023.5), discount_rate=0.0, first_year=2022)


def test_a_missing_year_of_inputs_is_never_taken_as_zero() -> None:
    with pytest.raises(ValueError, match="Brak nakładów"):
        sroi(_outcomes(), [9000.0, float("nan")], discount_rate=0.0)


def test_sensitivity_range_spans_the_table() -> None:
    # base 2.0; the lowest is deadweight + 0.1: 15 600 / 9 000 = 1.7333; the highest
    # deadweight − 0.1: 20 × 1 000 × 0.85 × 0.8 = 13 600 (+6 800) = 20 400 / 9 000 = 2.2667
    table = sroi_sensitivity(_outcomes(), 9000.0, discount_rate=0.0, discount_rates=(0.0,))
    low, high = sensitivity_range(table)
    assert low == pytest.approx(15_600 / 9_000)
    assert high == pytest.approx(max(20_400 / 9_000, table["sroi"].max()))


def test_several_outcomes_add_up() -> None:
    outcomes = pd.concat([_outcomes(), _outcomes(outcome="praca", quantity=10, drop_off=0.0,
                                                 duration_years=1)], ignore_index=True)
    # first 18 000 as above; second 10 × 1 000 × 0.75 × 0.8 = 6 000 → 24 000 / 12 000 = 2.0
    assert sroi(outcomes, 12_000.0, discount_rate=0.0).ratio == pytest.approx(2.0)


def test_sensitivity_table_varies_one_parameter_at_a_time() -> None:
    table = sroi_sensitivity(_outcomes(), 9000.0, discount_rate=0.0)
    assert table["parameter"].tolist() == [
        "base", "deadweight", "deadweight", "attribution", "attribution",
        "drop_off", "drop_off", "discount_rate", "discount_rate"]
    base = table.iloc[0]["sroi"]
    assert base == 2.0
    # deadweight 0.25 + 0.1 = 0.35: 20 × 1 000 × 0.65 × 0.8 = 10 400 (+5 200) → 15 600 / 9 000
    more_deadweight = table[(table["parameter"] == "deadweight") & (table["change"] == 0.1)]
    assert more_deadweight["sroi"].item() == pytest.approx(15_600 / 9_000)
    higher_rate = table[(table["parameter"] == "discount_rate") & (table["change"] == 0.06)]
    assert higher_rate["sroi"].item() < base


def test_invalid_shares_and_missing_columns_are_rejected_in_polish() -> None:
    with pytest.raises(ValueError, match="„deadweight” musi zawierać udziały od 0 do 1"):
        sroi(_outcomes(deadweight=1.5), 1000.0, discount_rate=0.0)
    with pytest.raises(ValueError, match="Brak kolumn"):
        sroi(_outcomes().drop(columns="proxy_value"), 1000.0, discount_rate=0.0)
    with pytest.raises(ValueError, match="co najmniej 1 rok"):
        sroi(_outcomes(duration_years=0), 1000.0, discount_rate=0.0)
    with pytest.raises(ValueError, match="całych lat"):
        sroi(_outcomes(duration_years=1.5), 1000.0, discount_rate=0.0)


def test_no_proxy_values_ship_with_the_module() -> None:
    # E10 is user data only: the module defines columns, never values.
    assert OUTCOME_COLUMNS[2] == "proxy_value"
    assert not [name for name in vars(sroi_module) if "proxy" in name.lower() and
                name.isupper() and name != "OUTCOME_COLUMNS"]


def test_zero_inputs_give_no_ratio() -> None:
    assert pd.isna(sroi(_outcomes(), 0.0, discount_rate=0.0).ratio)


