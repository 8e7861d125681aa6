"""Współpraca: W1–W6 from the checklist and survey, the index WC and the gap WGAP."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from wkus_lib.catalog import load_catalog
from wkus_lib.metrics.cooperation import (
    checklist_item_score,
    checklist_scores,
    composite_index,
    perception_gap,
    survey_scores,
)

CATALOG = load_catalog()
SURVEY_ITEMS = CATALOG.survey_items().query("instrument == 'wspolpraca'")


def _survey(group: str, respondent: str, answers: dict[str, int], year: int = 2024) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "teryt": "2013023", "year": year, "group": group, "respondent_id": respondent,
            "item_id": list(answers), "answer": pd.array(list(answers.values()), dtype="Int8"),
        }
    )


def test_binary_and_ratio_checklist_items_are_scored_zero_to_hundred() -> None:
    # binary: yes → 100, no → 0; ratio: 0.01 of target 0.02 → 50; 6 of target 4 → capped 100
    scores = checklist_item_score([1, 0, 0.01, 6], ["binary", "binary", "ratio", "ratio"],
                                  [np.nan, np.nan, 0.02, 4])
    assert scores.tolist() == [100.0, 0.0, 50.0, 100.0]


def test_checklist_scores_are_the_mean_per_indicator_w1_to_w4() -> None:
    # W1: program roczny yes (100), wieloletni no (0), koordynator yes (100) → 200/3 = 66.67
    # W3: udział wydatków 0.01 / 0.02 → 50; udział wieloletnich 0.5 / 0.5 → 100 → 75
    # W4: konsultacje 2 / 4 → 50; zespoły yes → 100 → 75
    checklist = pd.DataFrame(
        {
            "teryt": "2013023", "year": 2024,
            "item_id": ["w1_program_roczny", "w1_program_wieloletni", "w1_koordynator",
                        "w3_udzial_wydatkow", "w3_udzial_wieloletnich", "w4_konsultacje",
                        "w4_zespoly", "nieznana_pozycja"],
            "value": [1, 0, 1, 0.01, 0.5, 2, 1, 1],
        }
    )
    scores = checklist_scores(checklist, CATALOG.checklist_items()).set_index("indicator")
    assert scores.loc["W1", "value"] == pytest.approx(200 / 3)
    assert scores.loc["W1", "n"] == 3
    assert scores.loc["W3", "value"] == 75.0
    assert scores.loc["W4", "value"] == 75.0
    assert "nieznana_pozycja" not in scores.index


def test_ngo_survey_scores_w5_w6_use_only_ngo_answers() -> None:
    # NGO n1: c_zas1..3 = 4 → 75; c_sat1 = 5, c_sat2 = 5, c_sat3 = 1 (reverse → 5) → 100
    # A JST official's answers (all 1) must not count.
    survey = pd.concat([
        _survey("ngo", "n1", {"c_zas1": 4, "c_zas2": 4, "c_zas3": 4,
                              "c_sat1": 5, "c_sat2": 5, "c_sat3": 1}),
        _survey("jst", "j1", {"c_zas1": 1, "c_zas2": 1, "c_zas3": 1,
                              "c_sat1": 1, "c_sat2": 1, "c_sat3": 5}),
    ])
    scores = survey_scores(survey, SURVEY_ITEMS).set_index("indicator")
    assert scores.loc["W5", "value"] == 75.0
    assert scores.loc["W6", "value"] == 100.0
    assert scores.loc["W5", "n"] == 1


def test_composite_index_renormalises_weights_over_available_areas_wc() -> None:
    # W1 = 80 (weight 2), W2 = 60 (weight 1), W5 missing (weight 1 dropped):
    # WC = (2 × 80 + 1 × 60) / (2 + 1) = 220 / 3 = 73.33
    parts = pd.DataFrame({"teryt": "2013023", "year": 2024, "indicator": ["W1", "W2", "W5"],
                          "value": [80.0, 60.0, np.nan]})
    index = composite_index(parts, {"W1": 2, "W2": 1, "W5": 1})
    assert index["value"].item() == pytest.approx(220 / 3)
    assert index["n"].item() == 2


def test_composite_index_with_equal_default_weights() -> None:
    # (100 + 50 + 0 + 50 + 75 + 25) / 6 = 50
    parts = pd.DataFrame({"teryt": "2013023", "year": 2024,
                          "indicator": [f"W{i}" for i in range(1, 7)],
                          "value": [100.0, 50.0, 0.0, 50.0, 75.0, 25.0]})
    index = composite_index(parts, CATALOG.settings.cooperation_weights)
    assert index["value"].item() == 50.0


def test_perception_gap_is_jst_minus_ngo_on_the_same_items_wgap() -> None:
    # JST j1 all 4 (c_sat3 = 2 → 4) → 75; j2 all 5 (c_sat3 = 1 → 5) → 100: mean 87.5
    # NGO n1 all 3 → 50; n2 all 4 (c_sat3 = 2 → 4) → 75: mean 62.5 → WGAP = 87.5 − 62.5 = 25
    items = ["c_zas1", "c_zas2", "c_zas3", "c_sat1", "c_sat2", "c_sat3"]
    survey = pd.concat([
        _survey("jst", "j1", dict.fromkeys(items, 4) | {"c_sat3": 2}),
        _survey("jst", "j2", dict.fromkeys(items, 5) | {"c_sat3": 1}),
        _survey("ngo", "n1", dict.fromkeys(items, 3)),
        _survey("ngo", "n2", dict.fromkeys(items, 4) | {"c_sat3": 2}),
    ])
    gap = perception_gap(survey, SURVEY_ITEMS).iloc[0]
    assert (gap["jst"], gap["ngo"], gap["value"]) == (87.5, 62.5, 25.0)
    assert gap["n"] == 2
    welch = stats.ttest_ind([75.0, 100.0], [50.0, 75.0], equal_var=False)
    low, high = welch.confidence_interval(0.95)
    assert (gap["ci_low"], gap["ci_high"]) == pytest.approx((max(low, -100), min(high, 100)))


def test_perception_gap_needs_both_groups() -> None:
    survey = _survey("ngo", "n1", {"c_zas1": 3})
    assert perception_gap(survey, SURVEY_ITEMS).empty


