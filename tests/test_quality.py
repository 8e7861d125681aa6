"""Jakość: Q1–Q7, the criteria × perspectives matrix and the triangulation gap."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wkus_lib.catalog import load_catalog
from wkus_lib.metrics.quality import (
    complaints_per_100,
    criteria_matrix,
    largest_triangulation_gap,
    mean_result_achievement,
    needs_coverage,
    perspective_scores,
    result_achievement,
    staff_continuity,
    standard_compliance,
    triangulation_gaps,
)

ITEMS = load_catalog().survey_items()


def _answers(instrument: str, respondent: str, answers: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "teryt": "2013023", "area": "pomoc_spoleczna", "year": 2024,
            "instrument": instrument, "respondent_id": respondent,
            "item_id": list(answers), "answer": pd.array(list(answers.values()), dtype="Int8"),
        }
    )


def test_needs_coverage_q2c() -> None:
    # 45 clients served / 60 people in need × 100 = 75 %
    assert float(needs_coverage(45, 60)) == 75.0
    assert math.isnan(float(needs_coverage(45, 0)))  # no diagnosis figure: no coverage


def test_result_achievement_caps_each_result_before_averaging_q3r() -> None:
    # R1 achieved 150 of 100 → 1.5, capped at 1.2; R2 60 of 100 → 0.6.
    # Q3R = (1.2 + 0.6) / 2 × 100 = 90 % (capping after averaging would give 105 %).
    results = pd.DataFrame(
        {"contract_id": ["k1", "k1"], "achieved": [150.0, 60.0], "target": [100.0, 100.0]}
    )
    q3r = mean_result_achievement(results, by=["contract_id"])
    assert q3r["value"].item() == pytest.approx(90.0)
    assert q3r["n"].item() == 2


def test_result_without_achieved_value_is_left_out_of_q3r() -> None:
    # R1 80 of 100 → 80 %; R2 not reported → skipped; Q3R = 80 %, n = 1
    results = pd.DataFrame(
        {"contract_id": ["k1", "k1"], "achieved": [80.0, np.nan], "target": [100.0, 50.0]}
    )
    q3r = mean_result_achievement(results, by=["contract_id"])
    assert (q3r["value"].item(), q3r["n"].item()) == (80.0, 1)


def test_result_cap_is_an_argument() -> None:
    assert result_achievement([300], [100], cap=2.0).tolist() == [200.0]


def test_standard_compliance_counts_self_declared_not_refuted_and_confirmed_q5() -> None:
    # 4 requirements: declared met 3 (A, B, C); JST checked A (confirmed), B (refuted);
    # C and D not inspected.
    # Q5D = 3/4 = 75 %; Q5 (met, not refuted) = A + C = 2/4 = 50 %; Q5K = A = 1/4 = 25 %
    checklist = pd.DataFrame(
        {
            "contract_id": ["k1"] * 4,
            "requirement_id": ["A", "B", "C", "D"],
            "self_met": [True, True, True, False],
            "jst_confirmed": pd.array([True, False, None, None], dtype="boolean"),
        }
    )
    row = standard_compliance(checklist, by=["contract_id"]).iloc[0]
    assert (row["self_declared"], row["not_refuted"], row["confirmed"]) == (75.0, 50.0, 25.0)
    assert (row["n_requirements"], row["n_checked"]) == (4, 2)


def test_confirmed_share_is_missing_when_nothing_was_inspected() -> None:
    checklist = pd.DataFrame(
        {"contract_id": ["k1", "k1"], "self_met": [True, False],
         "jst_confirmed": pd.array([None, None], dtype="boolean")}
    )
    row = standard_compliance(checklist, by=["contract_id"]).iloc[0]
    assert row["not_refuted"] == 50.0
    assert math.isnan(row["confirmed"])


def test_staff_continuity_q6() -> None:
    # 1 of 8 staff left: (1 − 1/8) × 100 = 87.5 %
    assert float(staff_continuity(1, 8)) == 87.5


def test_complaints_per_100_clients_q7() -> None:
    # 3 complaints / 150 clients × 100 = 2 per 100 clients
    assert float(complaints_per_100(3, 150)) == 2.0


def test_client_scores_per_criterion_q1_to_q4() -> None:
    # Client r1: satisfaction k_sat1=5, k_sat2=4, k_sat3=2 (reverse → 4): mean 13/3 → 83.33
    #            adequacy k_ade1=3, k_ade2=3 → 50; effectiveness k_sku1=4, k_sku2=4 → 75
    #            subjectivity k_pod1..3 = 5, k_pod4=1 (reverse → 5) → 100
    responses = _answers("klient", "r1", {
        "k_sat1": 5, "k_sat2": 4, "k_sat3": 2, "k_ade1": 3, "k_ade2": 3,
        "k_sku1": 4, "k_sku2": 4, "k_pod1": 5, "k_pod2": 5, "k_pod3": 5, "k_pod4": 1,
    })
    scores = perspective_scores(responses, ITEMS, keys=["teryt", "area", "year"])
    by_criterion = scores.set_index("criterion")["value"]
    assert by_criterion["satysfakcja"] == pytest.approx((13 / 3 - 1) / 4 * 100)
    assert by_criterion["adekwatnosc"] == 50.0
    assert by_criterion["skutecznosc"] == 75.0
    assert by_criterion["podmiotowosc"] == 100.0
    assert set(scores["perspective"]) == {"klient"}


def _three_perspectives() -> pd.DataFrame:
    # Clients r1, r2 on satisfaction: (3,3,3) → 50 and (4,4,2→4) → 75: mean 62.5
    # Staff p1: p_sat1 = 4 → 75. Self-assessment: s_sat1 = 5 → 100.
    return pd.concat([
        _answers("klient", "r1", {"k_sat1": 3, "k_sat2": 3, "k_sat3": 3}),
        _answers("klient", "r2", {"k_sat1": 4, "k_sat2": 4, "k_sat3": 2}),
        _answers("personel", "p1", {"p_sat1": 4}),
        _answers("samoocena", "s1", {"s_sat1": 5}),
    ], ignore_index=True)


def test_criteria_by_perspective_matrix() -> None:
    scores = perspective_scores(_three_perspectives(), ITEMS)
    matrix = criteria_matrix(scores)
    assert list(matrix.columns) == ["klient", "personel", "usluga"]
    assert list(matrix.loc["satysfakcja"]) == [62.5, 75.0, 100.0]


def test_triangulation_gap_flags_self_assessment_inflation() -> None:
    # self 100 − clients 62.5 = 37.5 > 15 → flagged; self − staff = 100 − 75 = 25
    scores = perspective_scores(_three_perspectives(), ITEMS, keys=["teryt"])
    gaps = triangulation_gaps(scores, keys=["teryt"])
    row = gaps.set_index("criterion").loc["satysfakcja"]
    assert (row["gap_client"], row["gap_staff"], bool(row["flag"])) == (37.5, 25.0, True)
    relaxed = triangulation_gaps(scores, keys=["teryt"], flag_threshold=40.0)
    assert not relaxed["flag"].any()


def test_tri_is_the_largest_client_gap_with_the_client_interval() -> None:
    gaps = pd.DataFrame(
        {
            "teryt": ["2013023"] * 2, "criterion": ["adekwatnosc", "satysfakcja"],
            "self_score": [90.0, 100.0], "client_score": [80.0, 62.5], "client_n": [6, 6],
            "client_ci_low": [70.0, 50.0], "client_ci_high": [90.0, 75.0],
            "gap_client": [10.0, 37.5],
        }
    )
    tri = largest_triangulation_gap(gaps, keys=["teryt"]).iloc[0]
    # satysfakcja: 100 − 62.5 = 37.5; interval [100 − 75, 100 − 50] = [25, 50]
    assert (tri["criterion"], tri["value"], tri["n"]) == ("satysfakcja", 37.5, 6)
    assert (tri["ci_low"], tri["ci_high"]) == (25.0, 50.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5)),
                min_size=1, max_size=20))
def test_client_scores_stay_within_zero_to_hundred(rows: list[tuple[int, int, int]]) -> None:
    responses = pd.concat(
        [_answers("klient", f"r{i}", {"k_sat1": a, "k_sat2": b, "k_sat3": c})
         for i, (a, b, c) in enumerate(rows)],
        ignore_index=True,
    )
    scores = perspective_scores(responses, ITEMS)
    for column in ("value", "ci_low", "ci_high"):
        assert scores[column].dropna().between(0, 100).all()


def test_triangulation_of_units_without_any_survey_is_empty_not_an_error() -> None:
    """No survey rows at all (contracts and costs only): no gap, no crash in the merge."""
    empty = pd.DataFrame({"teryt": pd.Series(dtype="str"), "area": pd.Series(dtype="str"),
                          "year": pd.Series(dtype="int64"),
                          "instrument": pd.Series(dtype="str"),
                          "respondent_id": pd.Series(dtype="str"),
                          "item_id": pd.Series(dtype="str"),
                          "answer": pd.Series(dtype="Int8")})
    scores = perspective_scores(empty, ITEMS, keys=("teryt", "area", "year"))
    assert scores.empty
    gaps = triangulation_gaps(scores, keys=("teryt", "area", "year"))
    assert gaps.empty and "gap_client" in gaps.columns
    assert largest_triangulation_gap(gaps, keys=("teryt", "area", "year")).empty
