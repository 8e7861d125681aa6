"""E10 SROI: user-supplied proxies only, discounting, drop-off and a sensitivity table."""

from __future__ import annotations

import doctest

import pandas as pd
import pytest

from wkus_lib.metrics import sroi as sroi_module
from wkus_lib.metrics.sroi import (
    OUTCOME_COLUMNS,
    outcome_values,
    present_value,
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


def test_yearly_inputs_are_discounted_like_outcomes() -> None:
    # 1 000 / 1.05 + 1 000 / 1.05² = 952.38 + 907.03 = 1 859.41
    assert present_value([1000.0, 1000.0], discount_rate=0.05) == pytest.approx(
        1000 / 1.05 + 1000 / 1.05**2)


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


def test_no_proxy_values_ship_with_the_module() -> None:
    # E10 is user data only: the module defines columns, never values.
    assert OUTCOME_COLUMNS[2] == "proxy_value"
    assert not [name for name in vars(sroi_module) if "proxy" in name.lower() and
                name.isupper() and name != "OUTCOME_COLUMNS"]


def test_zero_inputs_give_no_ratio() -> None:
    assert pd.isna(sroi(_outcomes(), 0.0, discount_rate=0.0).ratio)


def test_docstring_examples_run() -> None:
    assert doctest.testmod(sroi_module, raise_on_error=True).failed == 0
