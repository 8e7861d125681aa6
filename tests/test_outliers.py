"""Specification of robust outlier detection (modified z-score, Tukey's fences)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from wkus_lib.metrics import outliers
from wkus_lib.metrics.outliers import modified_z_scores, robust_outlier_flags

UNIT_COSTS = [10.0, 12.0, 11.0, 13.0, 40.0]


def test_modified_z_scores_worked_by_hand() -> None:
    # median 12; deviations −2, 0, −1, 1, 28; |deviations| sorted 0, 1, 1, 2, 28 → MAD 1
    # M = 0.6745 · deviation / 1
    scores = modified_z_scores(UNIT_COSTS)
    expected = [-1.349, 0.0, -0.6745, 0.6745, 18.886]
    assert scores.tolist() == pytest.approx(expected, abs=1e-12)


def test_modified_z_scores_match_scipy_median_absolute_deviation() -> None:
    values = np.random.default_rng(5).lognormal(3, 0.6, size=31)
    mad = stats.median_abs_deviation(values, scale=1.0)
    expected = 0.6745 * (values - np.median(values)) / mad
    assert modified_z_scores(values) == pytest.approx(expected, abs=1e-12)


def test_zero_mad_falls_back_to_mean_absolute_deviation() -> None:
    # 5, 5, 5, 5, 9: median 5, MAD = median(0, 0, 0, 0, 4) = 0
    # MeanAD = (0 + 0 + 0 + 0 + 4) / 5 = 0.8; M = deviation / (1.253314 · 0.8)
    # → 9 scores 4 / 1.0026512 = 3.98942
    scores = modified_z_scores([5, 5, 5, 5, 9])
    assert scores.tolist() == pytest.approx([0, 0, 0, 0, 4 / (1.253314 * 0.8)], abs=1e-12)
    assert scores[-1] == pytest.approx(3.98942, abs=1e-5)


def test_identical_values_all_score_zero() -> None:
    assert modified_z_scores([7, 7, 7]).tolist() == [0.0, 0.0, 0.0]


def test_missing_values_stay_missing_and_are_never_flagged() -> None:
    values = pd.Series([10, None, 12, 11, 13, 40], dtype="Int64")
    scores = modified_z_scores(values)
    assert math.isnan(scores[1])
    assert scores[[0, 2, 3, 4, 5]].tolist() == pytest.approx(modified_z_scores(UNIT_COSTS))
    for method in ("mad", "iqr"):
        flags = robust_outlier_flags(values, method=method)
        assert flags.tolist() == [False, False, False, False, False, True]


def test_no_observed_values_give_nan_scores_and_no_flags() -> None:
    assert np.isnan(modified_z_scores([math.nan, math.nan])).all()
    assert modified_z_scores([]).shape == (0,)
    assert robust_outlier_flags([math.nan], method="iqr").tolist() == [False]
    assert robust_outlier_flags([], method="iqr").shape == (0,)


def test_mad_rule_flags_scores_strictly_above_the_threshold() -> None:
    # |M| = 1.349, 0, 0.6745, 0.6745, 18.886: at threshold 0.6745 the two
    # scores equal to it stay unflagged.
    flags = robust_outlier_flags(UNIT_COSTS, threshold=0.6745)
    assert flags.tolist() == [True, False, False, False, True]
    assert robust_outlier_flags(UNIT_COSTS).tolist() == [False, False, False, False, True]


def test_iqr_fences_worked_by_hand() -> None:
    # 1 … 8, 100 (n = 9): linear quartiles at positions 0.25·8 = 2 and 0.75·8 = 6
    # → Q1 = 3, Q3 = 7, IQR = 4; fences 3 − 1.5·4 = −3 and 7 + 1.5·4 = 13 → only 100
    values = [1, 2, 3, 4, 5, 6, 7, 8, 100]
    flags = robust_outlier_flags(values, method="iqr")
    assert flags.tolist() == [False] * 8 + [True]
    # a wider fence (factor 25: 7 + 100 = 107) keeps 100 in
    assert not robust_outlier_flags(values, method="iqr", iqr_factor=25).any()


def test_iqr_quartiles_interpolate_like_pandas_and_excel() -> None:
    values = pd.Series(np.random.default_rng(9).gamma(2.0, 50.0, size=40))
    q1, q3 = values.quantile([0.25, 0.75])
    expected = (values < q1 - 1.5 * (q3 - q1)) | (values > q3 + 1.5 * (q3 - q1))
    assert robust_outlier_flags(values, method="iqr").tolist() == expected.tolist()


def test_unknown_method_is_rejected() -> None:
    with pytest.raises(ValueError, match="Nieznana metoda"):
        robust_outlier_flags(UNIT_COSTS, method="zscore")  # type: ignore[arg-type]


def test_non_positive_threshold_is_rejected() -> None:
    with pytest.raises(ValueError, match="Próg"):
        robust_outlier_flags(UNIT_COSTS, threshold=0)


def test_table_instead_of_a_column_is_rejected() -> None:
    with pytest.raises(ValueError, match="jednowymiarowego"):
        modified_z_scores([[1, 2], [3, 4]])


def test_infinite_value_is_rejected() -> None:
    with pytest.raises(ValueError, match="nieskończoność"):
        modified_z_scores([1.0, math.inf])


# --- properties -----------------------------------------------------------------

# Amounts in złoty with grosze, as in a budget line.
amounts = st.integers(min_value=-10**8, max_value=10**8).map(lambda grosze: grosze / 100)
samples = st.lists(st.one_of(amounts, st.just(math.nan)), max_size=40)


@settings(max_examples=100, deadline=None)
@given(values=samples, method=st.sampled_from(["mad", "iqr"]), seed=st.integers(0, 2**32 - 1))
def test_flags_follow_the_values_when_rows_are_reordered(
    values: list[float], method: str, seed: int
) -> None:
    data = np.asarray(values, dtype=float)
    order = np.random.default_rng(seed).permutation(len(data))
    flags = robust_outlier_flags(data, method=method)  # type: ignore[arg-type]
    assert flags.dtype == bool and flags.shape == data.shape
    assert not flags[np.isnan(data)].any()
    reordered = robust_outlier_flags(data[order], method=method)  # type: ignore[arg-type]
    assert reordered.tolist() == flags[order].tolist()


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=40),
    scale=st.integers(min_value=1, max_value=100),
    shift=st.integers(min_value=-1000, max_value=1000),
)
def test_modified_z_scores_do_not_depend_on_unit_or_origin(
    values: list[int], scale: int, shift: int
) -> None:
    data = np.asarray(values, dtype=float)
    assert modified_z_scores(scale * data + shift) == pytest.approx(
        modified_z_scores(data), abs=1e-9
    )


def test_a_trivial_spread_is_no_outlier_with_a_minimum_change() -> None:
    # z = 5,40 but 9,52 is only 0,8 % above the median 9,44: statistically extreme, not worth
    # an alarm. With a 10 % minimum it does not fire; 40 against 12 (+233 %) still does.
    costs = [9.43, 9.44, 9.45, 9.44, 9.52]
    assert outliers.modified_z_scores(costs)[-1] > 3.5
    assert outliers.robust_outlier_flags(costs).tolist()[-1]
    assert not outliers.robust_outlier_flags(costs, min_relative_change=10).any()
    assert outliers.robust_outlier_flags([10, 12, 11, 13, 40], min_relative_change=10).tolist() == [
        False, False, False, False, True]
    assert not outliers.robust_outlier_flags(costs, method="iqr", min_relative_change=10).any()


def test_relative_change_is_against_the_median_size() -> None:
    changes = outliers.relative_change_from_median([-10.0, -12.0, -11.0, float("nan")])
    assert changes[:3] == pytest.approx([100 / 11, -100 / 11, 0.0])
    assert np.isnan(changes[3])


def test_negative_minimum_change_is_rejected() -> None:
    with pytest.raises(ValueError, match="minimalna zmiana"):
        outliers.robust_outlier_flags([1.0, 2.0, 3.0], min_relative_change=-1)
