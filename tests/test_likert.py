"""Likert scoring: reverse coding, 0–100 scores, the missing-answer policy, intervals."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wkus_lib.metrics.likert import (
    grouped_mean_with_ci,
    item_score_0_100,
    respondent_scores,
    reverse_code,
    scale_score,
    scale_scores,
)
from wkus_lib.metrics.uncertainty import mean_with_ci

ITEMS = pd.DataFrame(
    {
        "item_id": ["a", "b", "c"],
        "criterion": ["satysfakcja", "satysfakcja", "satysfakcja"],
        "reverse": [False, False, True],
    }
)


def _responses(rows: Sequence[tuple[str, str, float | None]], **keys: str) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["respondent_id", "item_id", "answer"])
    frame["answer"] = frame["answer"].astype("Int8")
    return frame.assign(**keys)


def test_reverse_coding_maps_one_to_five_and_keeps_missing() -> None:
    # 6 − x: 1→5, 2→4, 3→3; a missing answer stays missing.
    recoded = reverse_code([1, 2, 3, np.nan], True)
    assert recoded[:3].tolist() == [5.0, 4.0, 3.0]
    assert math.isnan(recoded[3])


def test_item_score_rescales_one_to_five_onto_zero_to_hundred() -> None:
    # (1 − 1)/4 × 100 = 0; (3 − 1)/4 × 100 = 50; (5 − 1)/4 × 100 = 100; (4.2 − 1)/4 × 100 = 80
    assert item_score_0_100([1, 3, 5, 4.2]).tolist() == pytest.approx([0, 50, 100, 80])


def test_respondent_score_is_the_mean_of_answered_recoded_items() -> None:
    # r1: a=4, b=5, c=2 (reverse → 4): mean (4 + 5 + 4)/3 = 13/3 → (13/3 − 1)/4 × 100 = 83.33
    responses = _responses([("r1", "a", 4), ("r1", "b", 5), ("r1", "c", 2)])
    scores = respondent_scores(responses, ITEMS)
    assert scores["score"].item() == pytest.approx((13 / 3 - 1) / 4 * 100)
    assert (scores["answered"].item(), scores["n_items"].item()) == (3, 3)


def test_respondents_below_the_answered_share_are_dropped() -> None:
    # r1 answered 3 of 3, r2 1 of 3 (share 0.33), r3 nothing.
    responses = _responses(
        [("r1", "a", 5), ("r1", "b", 5), ("r1", "c", 1),
         ("r2", "a", 1), ("r2", "b", None), ("r2", "c", None),
         ("r3", "a", None)]
    )
    strict = respondent_scores(responses, ITEMS, min_answered=0.5)
    assert strict["respondent_id"].tolist() == ["r1"]
    lenient = respondent_scores(responses, ITEMS, min_answered=0.3)
    assert lenient["respondent_id"].tolist() == ["r1", "r2"]
    # r2's score rests on a=1 alone: (1 − 1)/4 × 100 = 0
    assert lenient["score"].tolist() == [100.0, 0.0]


def test_answers_to_items_outside_the_catalogue_are_ignored() -> None:
    responses = _responses([("r1", "a", 5), ("r1", "zz", 1)])
    scores = respondent_scores(responses, ITEMS, min_answered=0.3)
    assert scores["score"].tolist() == [100.0]


def test_same_pseudonym_in_two_units_is_two_respondents() -> None:
    first = _responses([("r1", "a", 5), ("r1", "b", 5)], teryt="2013023")
    second = _responses([("r1", "a", 1), ("r1", "b", 1)], teryt="2009042")
    scores = respondent_scores(pd.concat([first, second]), ITEMS, keys=["teryt"])
    assert scores.set_index("teryt")["score"].to_dict() == {"2009042": 0.0, "2013023": 100.0}


def test_scale_score_is_the_mean_with_a_bounded_t_interval() -> None:
    # Respondent scores: r1 (4,4,2→4) = 75; r2 (5,5,1→5) = 100; r3 (3,3,3) = 50
    # Scale score (75 + 100 + 50) / 3 = 75, n = 3.
    responses = _responses(
        [("r1", "a", 4), ("r1", "b", 4), ("r1", "c", 2),
         ("r2", "a", 5), ("r2", "b", 5), ("r2", "c", 1),
         ("r3", "a", 3), ("r3", "b", 3), ("r3", "c", 3)]
    )
    estimate = scale_score(responses, ITEMS)
    expected = mean_with_ci([75.0, 100.0, 50.0], bounds=(0, 100))
    assert (estimate.value, estimate.n) == (75.0, 3)
    assert (estimate.low, estimate.high) == pytest.approx((expected.low, expected.high))
    assert 0.0 <= estimate.low < 75.0 < estimate.high <= 100.0


def test_scale_scores_per_unit_and_criterion() -> None:
    items = ITEMS.assign(criterion=["satysfakcja", "satysfakcja", "adekwatnosc"])
    responses = pd.concat(
        [
            _responses([("r1", "a", 5), ("r1", "b", 3), ("r1", "c", 5)], area="sport"),
            _responses([("r2", "a", 1), ("r2", "b", 1), ("r2", "c", 1)], area="kultura"),
        ]
    )
    scores = scale_scores(responses, items, keys=["area"])
    table = scores.set_index(["area", "criterion"])["value"].to_dict()
    # sport: satysfakcja (5 + 3)/2 = 4 → 75; adekwatnosc c=5 reversed → 1 → 0
    # kultura: satysfakcja 1 → 0; adekwatnosc c=1 reversed → 5 → 100
    assert table == {
        ("kultura", "adekwatnosc"): 100.0, ("kultura", "satysfakcja"): 0.0,
        ("sport", "adekwatnosc"): 0.0, ("sport", "satysfakcja"): 75.0,
    }
    assert scores["n"].tolist() == [1, 1, 1, 1]
    assert scores["ci_low"].isna().all()  # one respondent: no interval


def test_empty_responses_give_empty_scores() -> None:
    empty = _responses([], area="sport").astype({"area": "str"})
    assert scale_scores(empty, ITEMS, keys=["area"]).empty


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.lists(st.integers(0, 5), min_size=3, max_size=3)),
        min_size=1, max_size=40,
    ),
    st.sampled_from([0.3, 0.5, 1.0]),
)
def test_scores_and_intervals_stay_within_zero_to_hundred(
    answers: list[tuple[int, list[int]]], min_answered: float
) -> None:
    rows = [
        (f"r{i}", item, None if value == 0 else value)
        for i, (_, values) in enumerate(answers)
        for item, value in zip("abc", values, strict=True)
    ]
    groups = {f"r{i}": f"g{group}" for i, (group, _) in enumerate(answers)}
    responses = _responses(rows)
    responses["unit"] = responses["respondent_id"].map(groups)
    scores = scale_scores(responses, ITEMS, keys=["unit"], min_answered=min_answered)
    for column in ("value", "ci_low", "ci_high"):
        values = scores[column].dropna()
        assert values.between(0.0, 100.0).all()
    known = scores.dropna(subset=["ci_low"])
    assert (known["ci_low"] <= known["value"]).all()
    assert (known["value"] <= known["ci_high"]).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4), st.floats(0, 100)), min_size=1, max_size=50))
def test_grouped_interval_equals_mean_with_ci_per_group(data: list[tuple[int, float]]) -> None:
    frame = pd.DataFrame(data, columns=["group", "score"])
    grouped = grouped_mean_with_ci(frame, "score", ["group"]).set_index("group")
    rows = grouped.to_dict("index")
    for group, values in frame.groupby("group")["score"]:
        expected = mean_with_ci(values.to_numpy(), bounds=(0, 100))
        row = rows[group]
        assert row["n"] == expected.n
        assert row["value"] == pytest.approx(expected.value, abs=1e-9)
        for got, want in ((float(row["ci_low"]), expected.low),
                          (float(row["ci_high"]), expected.high)):
            assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, abs=1e-9)


