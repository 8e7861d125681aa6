"""Specification of scale reliability: Cronbach's α, item–total r, α if deleted.

pingouin (GPL) is the independent reference here and only here: it is a
test dependency, never imported by wkus_lib.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wkus_lib.metrics.reliability import (
    VERDICT_ACCEPTABLE,
    VERDICT_GOOD,
    VERDICT_LOW,
    VERDICT_REDUNDANT,
    VERDICT_TOO_FEW,
    VERDICT_UNDEFINED,
    alpha_if_deleted,
    cronbach_alpha,
    item_total_correlations,
    reliability_report,
    reliability_verdict,
)

TOLERANCE = 1e-9


def hand_worked_items() -> pd.DataFrame:
    """4 respondents × 3 items; every statistic below is worked by hand from it."""
    return pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})


def latent_trait_items(
    n: int, k: int, *, missing_share: float, seed: int, noise: float = 0.9
) -> pd.DataFrame:
    """Likert 1–5 answers driven by one latent trait, with answers missing at random."""
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=(n, 1))
    raw = trait + rng.normal(scale=noise, size=(n, k))
    answers = np.clip(np.round(3 + 1.2 * raw), 1, 5)
    answers[rng.random((n, k)) < missing_share] = np.nan
    frame = pd.DataFrame(answers, columns=[f"q{i + 1}" for i in range(k)])
    return frame.dropna(how="all").reset_index(drop=True)


def pingouin_long_format_example() -> pd.DataFrame:
    data = pg.read_dataset("cronbach_alpha")
    wide: pd.DataFrame = data.pivot(index="Subj", columns="Items", values="Scores")
    return wide.astype(float)


DATA_SETS = {
    "hand_worked": hand_worked_items().astype(float),
    "pingouin_binary_with_missing": pg.read_dataset("cronbach_wide_missing"),
    "pingouin_likert": pingouin_long_format_example(),
    "likert_complete": latent_trait_items(40, 6, missing_share=0.0, seed=1),
    "likert_with_missing": latent_trait_items(60, 8, missing_share=0.12, seed=2),
    "small_gmina_with_missing": latent_trait_items(14, 5, missing_share=0.2, seed=3),
}
POLICIES = ("pairwise", "listwise")


def pingouin_rows(items: pd.DataFrame, nan_policy: str) -> pd.DataFrame:
    """The rows our functions use, given to pingouin (which counts all rows in n)."""
    return items.dropna(how="all" if nan_policy == "pairwise" else "any")


# --- hand-worked examples -------------------------------------------------


def test_alpha_of_hand_worked_4x3_matrix() -> None:
    # Sums of squared deviations (n − 1 cancels in α):
    #   a = 1,2,3,4  mean 2.5  SS = 2.25 + 0.25 + 0.25 + 2.25 = 5
    #   b = 2,2,4,4  mean 3    SS = 1 + 1 + 1 + 1             = 4
    #   c = 1,3,3,5  mean 3    SS = 4 + 0 + 0 + 4             = 8
    #   total = 4,7,10,13  mean 8.5  SS = 20.25 + 2.25 + 2.25 + 20.25 = 45
    # α = 3/2 · (1 − (5 + 4 + 8)/45) = 3/2 · 28/45 = 14/15
    alpha, _ = cronbach_alpha(hand_worked_items())
    assert alpha == pytest.approx(14 / 15, abs=TOLERANCE)


def test_item_total_correlations_of_hand_worked_4x3_matrix() -> None:
    # a vs b+c = 3,5,7,9: deviations a −1.5,−.5,.5,1.5; rest −3,−1,1,3
    #   cross = 4.5 + .5 + .5 + 4.5 = 10; SS_rest = 20 → r = 10/√(5·20) = 1
    # b vs a+c = 2,5,6,9: deviations b −1,−1,1,1; rest −3.5,−.5,.5,3.5
    #   cross = 3.5 + .5 + .5 + 3.5 = 8; SS_rest = 25 → r = 8/√(4·25) = 0.8
    # c vs a+b = 3,4,7,8: deviations c −2,0,0,2; rest −2.5,−1.5,1.5,2.5
    #   cross = 5 + 0 + 0 + 5 = 10; SS_rest = 17 → r = 10/√(8·17) = 10/√136
    result = item_total_correlations(hand_worked_items())
    expected = [1.0, 0.8, 10 / math.sqrt(136)]
    assert result.tolist() == pytest.approx(expected, abs=TOLERANCE)
    assert result.index.tolist() == ["a", "b", "c"]
    assert result.index.name == "item_id"


def test_alpha_if_deleted_of_hand_worked_4x3_matrix() -> None:
    # Two items left, α = 2 · (1 − (SS_i + SS_j) / SS_(i+j)), SS from above:
    #   without a: b, c  → 2 · (1 − (4 + 8)/20) = 0.8
    #   without b: a, c  → 2 · (1 − (5 + 8)/25) = 24/25
    #   without c: a, b  → 2 · (1 − (5 + 4)/17) = 16/17
    result = alpha_if_deleted(hand_worked_items())
    assert result.tolist() == pytest.approx([0.8, 24 / 25, 16 / 17], abs=TOLERANCE)


def test_alpha_with_pairwise_missing_answer_worked_by_hand() -> None:
    # Respondent 4 skipped b. Pairwise covariances (n − 1 divisor):
    #   var a over all 4 = 5/3; var c over all 4 = 8/3
    #   var b over rows 1–3 (2,2,4; mean 8/3): (4/9 + 4/9 + 16/9)/2 = 4/3
    #   cov(a,b) rows 1–3: a 1,2,3 mean 2; b dev −2/3,−2/3,4/3 → (2/3 + 0 + 4/3)/2 = 1
    #   cov(b,c) rows 1–3: c 1,3,3 mean 7/3, dev −4/3,2/3,2/3;
    #            b·c = 8/9 − 4/9 + 8/9 = 12/9 → /2 = 2/3
    #   cov(a,c) all 4: cross = 3 + 0 + 0 + 3 = 6 → /3 = 2
    # trace = 5/3 + 4/3 + 8/3 = 17/3; sum = 17/3 + 2·(1 + 2/3 + 2) = 17/3 + 22/3 = 13
    # α = 3/2 · (1 − (17/3)/13) = 3/2 · 22/39 = 11/13
    items = hand_worked_items().astype(float)
    items.loc[3, "b"] = np.nan
    alpha, _ = cronbach_alpha(items, nan_policy="pairwise")
    assert alpha == pytest.approx(11 / 13, abs=TOLERANCE)


# --- agreement with pingouin ----------------------------------------------


@pytest.mark.parametrize("nan_policy", POLICIES)
@pytest.mark.parametrize("name", DATA_SETS)
def test_alpha_matches_pingouin(name: str, nan_policy: str) -> None:
    items = DATA_SETS[name]
    expected, _ = pg.cronbach_alpha(data=items, nan_policy=nan_policy)
    alpha, _ = cronbach_alpha(items, nan_policy=nan_policy)  # type: ignore[arg-type]
    assert alpha == pytest.approx(expected, abs=TOLERANCE)


def test_alpha_matches_pingouin_with_missing_answers_documented_values() -> None:
    # pingouin's own docstring values, checked there against R psych::alpha.
    items = pg.read_dataset("cronbach_wide_missing")
    assert cronbach_alpha(items)[0] == pytest.approx(0.732660835214447, abs=TOLERANCE)
    listwise = cronbach_alpha(items, nan_policy="listwise")[0]
    assert listwise == pytest.approx(0.8016949152542373, abs=TOLERANCE)


@pytest.mark.parametrize("nan_policy", POLICIES)
@pytest.mark.parametrize("name", DATA_SETS)
def test_feldt_interval_matches_pingouin_on_the_rows_used(name: str, nan_policy: str) -> None:
    # pingouin rounds the interval to 3 decimals, hence the 5e-4 tolerance.
    items = DATA_SETS[name]
    _, expected = pg.cronbach_alpha(data=pingouin_rows(items, nan_policy), nan_policy=nan_policy)
    _, interval = cronbach_alpha(items, nan_policy=nan_policy)  # type: ignore[arg-type]
    assert interval == pytest.approx(tuple(expected), abs=5e-4 + 1e-12)


def test_listwise_interval_counts_only_complete_respondents() -> None:
    # 12 rows, 3 with a missing answer: Feldt's df must use n = 9, not 12.
    items = pg.read_dataset("cronbach_wide_missing")
    complete = items.dropna()
    assert len(complete) == 9
    assert cronbach_alpha(items, nan_policy="listwise") == cronbach_alpha(complete)


@pytest.mark.parametrize("nan_policy", POLICIES)
@pytest.mark.parametrize("name", DATA_SETS)
def test_alpha_if_deleted_matches_pingouin_on_reduced_data(name: str, nan_policy: str) -> None:
    items = DATA_SETS[name]
    rows = pingouin_rows(items, nan_policy)
    expected = [
        pg.cronbach_alpha(data=rows.drop(columns=item), nan_policy=nan_policy)[0]
        if items.shape[1] > 2
        else math.nan
        for item in items.columns
    ]
    result = alpha_if_deleted(items, nan_policy=nan_policy)  # type: ignore[arg-type]
    assert result.tolist() == pytest.approx(expected, abs=TOLERANCE, nan_ok=True)


@pytest.mark.parametrize("name", DATA_SETS)
def test_item_total_matches_pandas_corr_with_rest_score_on_complete_rows(name: str) -> None:
    items = DATA_SETS[name]
    complete = items.dropna()
    expected = [
        complete[item].corr(complete.drop(columns=item).sum(axis=1)) for item in items.columns
    ]
    result = item_total_correlations(items, nan_policy="listwise")
    assert result.tolist() == pytest.approx(expected, abs=TOLERANCE)


def pairwise_covariance(items: pd.DataFrame) -> np.ndarray:
    """Each covariance from the respondents who answered both items, by definition."""
    values = items.to_numpy(dtype=float)
    k = values.shape[1]
    cov = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            both = ~np.isnan(values[:, i]) & ~np.isnan(values[:, j])
            x, y = values[both, i], values[both, j]
            cov[i, j] = np.sum((x - x.mean()) * (y - y.mean())) / (both.sum() - 1)
    return cov


@pytest.mark.parametrize("name", ["pingouin_binary_with_missing", "likert_with_missing"])
def test_pairwise_item_total_follows_the_pairwise_covariance_definition(name: str) -> None:
    items = DATA_SETS[name]
    cov = pairwise_covariance(items)
    expected = []
    for i in range(cov.shape[0]):
        rest = [j for j in range(cov.shape[0]) if j != i]
        expected.append(cov[i, rest].sum() / math.sqrt(cov[i, i] * cov[np.ix_(rest, rest)].sum()))
    result = item_total_correlations(items, nan_policy="pairwise")
    assert result.tolist() == pytest.approx(expected, abs=TOLERANCE)


def test_item_total_on_complete_data_does_not_depend_on_policy() -> None:
    items = DATA_SETS["likert_complete"]
    pd.testing.assert_series_equal(
        item_total_correlations(items, nan_policy="pairwise"),
        item_total_correlations(items, nan_policy="listwise"),
        rtol=0, atol=TOLERANCE,
    )


# --- missing answers and input types --------------------------------------


def test_respondents_without_any_answer_do_not_count() -> None:
    items = DATA_SETS["likert_with_missing"]
    padded = pd.concat([items, pd.DataFrame(np.nan, index=[1000, 1001], columns=items.columns)])
    assert cronbach_alpha(padded) == cronbach_alpha(items)
    assert reliability_report(padded).n_respondents == len(items)


def test_alpha_accepts_nullable_integer_answers() -> None:
    items = DATA_SETS["likert_with_missing"]
    nullable = items.astype("Int8")
    assert nullable.isna().any().any()
    assert cronbach_alpha(nullable) == cronbach_alpha(items)


def test_listwise_report_counts_only_complete_respondents() -> None:
    items = DATA_SETS["likert_with_missing"]
    report = reliability_report(items, nan_policy="listwise")
    assert report.n_respondents == len(items.dropna())
    assert report.n_items == items.shape[1]


def test_scale_with_a_single_item_is_rejected() -> None:
    with pytest.raises(ValueError, match="co najmniej 2 pozycje"):
        cronbach_alpha(hand_worked_items()[["a"]])


def test_unknown_nan_policy_is_rejected() -> None:
    with pytest.raises(ValueError, match="polityka braków"):
        cronbach_alpha(hand_worked_items(), nan_policy="impute")  # type: ignore[arg-type]


def test_two_item_scale_has_no_alpha_if_deleted() -> None:
    result = alpha_if_deleted(hand_worked_items()[["a", "b"]])
    assert result.isna().all()


def test_fewer_than_two_respondents_give_nan_alpha() -> None:
    alpha, (low, high) = cronbach_alpha(hand_worked_items().head(1))
    assert math.isnan(alpha) and math.isnan(low) and math.isnan(high)


# --- the report -------------------------------------------------------------


def test_report_below_minimum_respondents_says_too_few_instead_of_a_number() -> None:
    items = latent_trait_items(9, 4, missing_share=0.0, seed=5)
    report = reliability_report(items, min_respondents=10)
    assert report.verdict == "za mało respondentów" == VERDICT_TOO_FEW
    assert math.isnan(report.alpha) and math.isnan(report.ci_low) and math.isnan(report.ci_high)
    assert report.n_respondents == 9
    assert report.items["item_total_correlation"].isna().all()
    assert report.items["alpha_if_deleted"].isna().all()
    assert not report.items["low_correlation"].any()


def test_report_minimum_counts_respondents_after_listwise_deletion() -> None:
    items = hand_worked_items().astype(float)
    items.loc[3, "b"] = np.nan
    assert reliability_report(items, min_respondents=4).verdict != VERDICT_TOO_FEW
    listwise = reliability_report(items, min_respondents=4, nan_policy="listwise")
    assert listwise.verdict == VERDICT_TOO_FEW


def test_report_collects_alpha_interval_and_item_diagnostics() -> None:
    items = DATA_SETS["likert_with_missing"]
    report = reliability_report(items, level=0.9)
    alpha, (low, high) = cronbach_alpha(items, level=0.9)
    assert (report.alpha, report.ci_low, report.ci_high) == (alpha, low, high)
    assert report.n_items == 8
    assert report.items.index.name == "item_id"
    assert list(report.items.columns) == [
        "item_total_correlation", "alpha_if_deleted", "low_correlation",
    ]
    pd.testing.assert_series_equal(
        report.items["item_total_correlation"], item_total_correlations(items)
    )
    pd.testing.assert_series_equal(report.items["alpha_if_deleted"], alpha_if_deleted(items))
    assert report.verdict == reliability_verdict(alpha)


def test_report_flags_item_unrelated_to_the_scale() -> None:
    items = latent_trait_items(80, 5, missing_share=0.0, seed=7, noise=0.5)
    rng = np.random.default_rng(8)
    items["noise"] = rng.integers(1, 6, size=len(items)).astype(float)
    flags = reliability_report(items).items["low_correlation"]
    assert flags.dtype == bool
    assert flags.to_dict() == {"q1": False, "q2": False, "q3": False, "q4": False,
                               "q5": False, "noise": True}


def test_report_on_identical_answers_is_undefined_not_an_error() -> None:
    items = pd.DataFrame({"a": [4] * 12, "b": [4] * 12, "c": [4] * 12})
    report = reliability_report(items)
    assert math.isnan(report.alpha)
    assert report.verdict == VERDICT_UNDEFINED


def test_constant_total_score_gives_nan_not_rounding_noise() -> None:
    # b + c = 4 on every row, so every total is 15 and σ²_X = 0; floating point
    # leaves ≈1e-16 there, which would give α ≈ 7.5e15 (found by hypothesis).
    items = pd.DataFrame(
        {"a": [1, 1, 1], "b": [1, 2, 1], "c": [3, 2, 3], "d": [5, 5, 5], "e": [5, 5, 5]}
    )
    alpha, (low, high) = cronbach_alpha(items)
    assert math.isnan(alpha) and math.isnan(low) and math.isnan(high)
    # a, d and e do not vary; b's rest score a + c + d + e = 14, 13, 14 does.
    result = item_total_correlations(items)
    assert result.isna().tolist() == [True, False, False, True, True]
    assert result["b"] == pytest.approx(-1.0, abs=TOLERANCE)


@pytest.mark.parametrize(
    ("alpha", "verdict"),
    [
        (0.5, "niska (< 0,70)"),
        (0.6999, VERDICT_LOW),
        (0.70, "akceptowalna"),
        (0.7999, VERDICT_ACCEPTABLE),
        (0.80, "dobra"),
        (0.95, VERDICT_GOOD),
        (0.9501, "możliwe zbędne pozycje (> 0,95)"),
        (1.0, VERDICT_REDUNDANT),
    ],
)
def test_verdict_follows_the_conventional_alpha_bands(alpha: float, verdict: str) -> None:
    assert reliability_verdict(alpha) == verdict


# --- properties --------------------------------------------------------------


@st.composite
def likert_matrices(draw: st.DrawFn, *, allow_missing: bool = True) -> pd.DataFrame:
    n = draw(st.integers(min_value=2, max_value=25))
    k = draw(st.integers(min_value=2, max_value=6))
    answer = st.integers(min_value=1, max_value=5).map(float)
    cell = st.one_of(answer, st.just(math.nan)) if allow_missing else answer
    rows = draw(st.lists(st.lists(cell, min_size=k, max_size=k), min_size=n, max_size=n))
    return pd.DataFrame(rows, columns=[f"q{i}" for i in range(k)])


def same_number(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@settings(max_examples=100, deadline=None)
@given(items=likert_matrices(), seed=st.integers(0, 2**32 - 1),
       nan_policy=st.sampled_from(POLICIES))
def test_alpha_does_not_depend_on_row_order(
    items: pd.DataFrame, seed: int, nan_policy: str
) -> None:
    shuffled = items.sample(frac=1.0, random_state=seed)
    alpha, interval = cronbach_alpha(items, nan_policy=nan_policy)  # type: ignore[arg-type]
    alpha_shuffled, interval_shuffled = cronbach_alpha(
        shuffled, nan_policy=nan_policy  # type: ignore[arg-type]
    )
    assert same_number(alpha, alpha_shuffled)
    assert all(same_number(a, b) for a, b in zip(interval, interval_shuffled, strict=True))


@settings(max_examples=100, deadline=None)
@given(items=likert_matrices(allow_missing=False), level=st.floats(0.5, 0.99))
def test_alpha_and_its_interval_never_exceed_one(items: pd.DataFrame, level: float) -> None:
    alpha, (low, high) = cronbach_alpha(items, level=level)
    assume(not math.isnan(alpha))
    assert alpha <= 1 + 1e-12
    assert low <= high <= 1 + 1e-12


@settings(max_examples=100, deadline=None)
@given(items=likert_matrices(), nan_policy=st.sampled_from(POLICIES))
def test_alpha_matches_pingouin_on_random_likert_data(items: pd.DataFrame, nan_policy: str) -> None:
    alpha, _ = cronbach_alpha(items, nan_policy=nan_policy)  # type: ignore[arg-type]
    assume(math.isfinite(alpha))
    expected, _ = pg.cronbach_alpha(data=items, nan_policy=nan_policy)
    assert alpha == pytest.approx(expected, rel=TOLERANCE, abs=TOLERANCE)


