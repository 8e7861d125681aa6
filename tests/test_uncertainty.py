"""Specification of point estimates with intervals (Student-t mean, Wilson share)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from wkus_lib.metrics.likert import grouped_mean_with_ci
from wkus_lib.metrics.uncertainty import mean_with_ci, proportion_with_ci

SCORE_BOUNDS = (0.0, 100.0)


# --- mean ------------------------------------------------------------------


def test_mean_interval_of_three_scores_worked_by_hand() -> None:
    # 60, 70, 80: mean 70; deviations −10, 0, 10 → s² = 200/2 = 100, s = 10
    # standard error 10/√3 = 5.7735; t(0.975, df 2) = 4.302653 (table value 4.303)
    # half-width 4.302653 · 5.7735 = 24.8414 → [45.1586, 94.8414]
    estimate = mean_with_ci([60, 70, 80])
    half_width = 4.302652729749464 * 10 / math.sqrt(3)
    assert (estimate.value, estimate.n, estimate.level) == (70.0, 3, 0.95)
    assert (estimate.low, estimate.high) == pytest.approx(
        (70 - half_width, 70 + half_width), abs=1e-9
    )


@pytest.mark.parametrize("level", [0.8, 0.9, 0.95, 0.99])
def test_mean_interval_matches_scipy_one_sample_t_interval(level: float) -> None:
    values = np.random.default_rng(11).normal(60, 15, size=23)
    expected = stats.ttest_1samp(values, 0.0).confidence_interval(level)
    estimate = mean_with_ci(values, level=level)
    assert (estimate.low, estimate.high) == pytest.approx((expected.low, expected.high), abs=1e-9)
    assert estimate.level == level


def test_missing_values_are_dropped_from_mean_and_n() -> None:
    values = pd.Series([50.0, None, 75.0, 100.0], dtype="Float64")
    assert values.isna().sum() == 1
    estimate = mean_with_ci(values)
    assert estimate.n == 3
    assert estimate.value == pytest.approx(75.0)
    assert estimate == mean_with_ci([50.0, float("nan"), 75.0, 100.0])


def test_mean_of_no_values_is_nan_with_n_zero() -> None:
    estimate = mean_with_ci([float("nan")])
    assert estimate.n == 0
    assert math.isnan(estimate.value) and math.isnan(estimate.low) and math.isnan(estimate.high)


def test_single_value_has_an_estimate_but_no_interval() -> None:
    estimate = mean_with_ci([80.0])
    assert (estimate.value, estimate.n) == (80.0, 1)
    assert math.isnan(estimate.low) and math.isnan(estimate.high)


def test_identical_values_give_no_interval_rather_than_a_zero_width_one() -> None:
    # s = 0: t × 0 / √3 = 0 would print "75,0–75,0", a certainty three answers cannot give
    estimate = mean_with_ci([75.0, 75.0, 75.0])
    assert (estimate.value, estimate.n) == (75.0, 3)
    assert math.isnan(estimate.low) and math.isnan(estimate.high)
    # one differing answer brings the interval back: 75, 75, 100 → s = 14.43,
    # half-width 4.3027 × 14.43 / √3 = 35.86 around 83.33, clipped to 100 above
    spread = mean_with_ci([75.0, 75.0, 100.0], bounds=(0, 100))
    assert spread.low == pytest.approx(83.3333 - 35.8555, abs=1e-3) and spread.high == 100.0


def test_grouped_intervals_leave_agreeing_groups_without_interval() -> None:
    # group a: 75, 75, 75 (all agree) → no interval; group b: 60, 70, 80 → 45.16–94.84
    frame = pd.DataFrame({"g": ["a"] * 3 + ["b"] * 3, "x": [75.0] * 3 + [60.0, 70.0, 80.0]})
    summary = grouped_mean_with_ci(frame, "x", ["g"])
    agreeing, spread = summary.iloc[0], summary.iloc[1]
    assert agreeing["value"] == 75.0 and agreeing["n"] == 3
    assert pd.isna(agreeing["ci_low"]) and pd.isna(agreeing["ci_high"])
    assert (spread["ci_low"], spread["ci_high"]) == pytest.approx((45.1586, 94.8414), abs=1e-4)


def test_score_interval_is_clipped_to_bounds() -> None:
    # 100, 100, 90: mean 96.67, s = 5.77, half-width 4.3027 · 5.77/√3 = 14.34
    # → [82.32, 111.01] before clipping; only the upper end leaves 0–100
    unclipped = mean_with_ci([100, 100, 90])
    estimate = mean_with_ci([100, 100, 90], bounds=SCORE_BOUNDS)
    assert unclipped.high == pytest.approx(111.01, abs=0.01)
    assert estimate.high == 100.0
    assert estimate.low == unclipped.low == pytest.approx(82.32, abs=0.01)


def test_value_outside_bounds_is_an_error_not_clipped() -> None:
    with pytest.raises(ValueError, match="poza zakresem"):
        mean_with_ci([50, 120], bounds=SCORE_BOUNDS)


@pytest.mark.parametrize("level", [0.0, 1.0, 95.0, -0.5])
def test_confidence_level_must_lie_strictly_between_zero_and_one(level: float) -> None:
    with pytest.raises(ValueError, match="Poziom ufności"):
        mean_with_ci([1, 2, 3], level=level)
    with pytest.raises(ValueError, match="Poziom ufności"):
        proportion_with_ci(1, 2, level=level)


# --- proportion --------------------------------------------------------------


def test_wilson_interval_of_three_in_ten_worked_by_hand() -> None:
    # p = 0.3, n = 10, z = 1.959964, z² = 3.841459
    # shrink = 1 + z²/n = 1.384146
    # centre = (0.3 + z²/20) / shrink = 0.492073 / 1.384146 = 0.355507
    # half   = z / shrink · √(0.3·0.7/10 + z²/400)
    #        = 1.416010 · √(0.021 + 0.009604) = 1.416010 · 0.174939 = 0.247715
    # → [0.107791, 0.603222]
    estimate = proportion_with_ci(3, 10)
    assert (estimate.value, estimate.n) == (0.3, 10)
    assert (estimate.low, estimate.high) == pytest.approx((0.107791, 0.603222), abs=1e-6)


@pytest.mark.parametrize(("successes", "n"), [(0, 1), (1, 1), (0, 7), (7, 7), (3, 10), (41, 57)])
@pytest.mark.parametrize("level", [0.9, 0.95, 0.99])
def test_wilson_interval_matches_scipy(successes: int, n: int, level: float) -> None:
    expected = stats.binomtest(successes, n).proportion_ci(level, method="wilson")
    estimate = proportion_with_ci(successes, n, level=level)
    assert (estimate.low, estimate.high) == pytest.approx((expected.low, expected.high), abs=1e-12)


def test_no_and_all_successes_reach_the_ends_of_the_unit_interval_exactly() -> None:
    assert proportion_with_ci(0, 8).low == 0.0
    assert proportion_with_ci(8, 8).high == 1.0


def test_share_of_zero_trials_is_nan() -> None:
    estimate = proportion_with_ci(0, 0)
    assert estimate.n == 0
    assert math.isnan(estimate.value) and math.isnan(estimate.low) and math.isnan(estimate.high)


@pytest.mark.parametrize(("successes", "n"), [(11, 10), (-1, 10), (1, -1)])
def test_impossible_counts_are_rejected(successes: int, n: int) -> None:
    with pytest.raises(ValueError, match="sukcesów"):
        proportion_with_ci(successes, n)


def test_fractional_counts_are_rejected() -> None:
    with pytest.raises(TypeError):
        proportion_with_ci(2.5, 10)  # type: ignore[arg-type]


# --- properties ----------------------------------------------------------------

scores = st.lists(
    st.one_of(st.floats(min_value=0.0, max_value=100.0), st.just(math.nan)), max_size=40
)


@settings(max_examples=100, deadline=None)
@given(values=scores, level=st.floats(min_value=0.5, max_value=0.999))
def test_score_and_its_interval_stay_within_bounds(values: list[float], level: float) -> None:
    estimate = mean_with_ci(values, level=level, bounds=SCORE_BOUNDS)
    assert estimate.n == sum(not math.isnan(v) for v in values)
    if estimate.n >= 1:
        assert 0.0 <= estimate.value <= 100.0
    finite = [v for v in values if not math.isnan(v)]
    spread = max(finite) - min(finite) if finite else 0.0
    # Differences far below any score's precision (e.g. 0 against 1e-206) count as
    # agreement (rounding noise, see without_spread); neither branch asserts on them.
    if estimate.n >= 2 and spread > 1e-9:
        assert 0.0 <= estimate.low <= estimate.value <= estimate.high <= 100.0
    elif estimate.n >= 2 and spread == 0.0:  # all answers agree: no interval
        assert math.isnan(estimate.low) and math.isnan(estimate.high)


@settings(max_examples=100, deadline=None)
@given(values=scores, seed=st.integers(0, 2**32 - 1))
def test_mean_does_not_depend_on_order(values: list[float], seed: int) -> None:
    shuffled = np.random.default_rng(seed).permutation(np.asarray(values, dtype=float))
    a, b = mean_with_ci(values), mean_with_ci(shuffled)
    assert a.n == b.n
    for x, y in [(a.value, b.value), (a.low, b.low), (a.high, b.high)]:
        assert (math.isnan(x) and math.isnan(y)) or x == pytest.approx(y, abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), level=st.floats(min_value=0.5, max_value=0.999))
def test_wilson_interval_stays_in_unit_interval_and_contains_the_share(
    data: st.DataObject, level: float
) -> None:
    n = data.draw(st.integers(min_value=1, max_value=1000))
    successes = data.draw(st.integers(min_value=0, max_value=n))
    estimate = proportion_with_ci(successes, n, level=level)
    assert 0.0 <= estimate.low <= estimate.value <= estimate.high <= 1.0


