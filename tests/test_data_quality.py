"""The data-quality scorecard: each check on hand-made frames, then the demo store."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from wkus_lib.catalog import Catalog, DataQualitySettings, QualityBand, load_catalog
from wkus_lib.demo import DemoSummary
from wkus_lib.evaluation.data_quality import (
    SCORECARD_COLUMNS,
    data_quality_scorecard,
    duplicate_respondents,
    finance_totals,
    item_nonresponse,
    response_rate,
    results_missing,
    sort_scorecard,
    status_above,
    status_below,
    straight_lining,
    yearly_outliers,
)
from wkus_lib.report.data_quality import explain_outliers, outlier_explanation
from wkus_lib.store import Store, read_store

TERYT, OTHER, AREA, YEAR = "2013023", "2010023", "sport", 2024
RULES = DataQualitySettings()


def _answers(people: dict[str, list[int | None]], instrument: str = "klient",
             teryt: str = TERYT) -> pd.DataFrame:
    """Long survey rows: respondent → answers to items i1, i2, …"""
    rows = [(rid, f"i{k + 1}", answer) for rid, answers in people.items()
            for k, answer in enumerate(answers)]
    frame = pd.DataFrame(rows, columns=["respondent_id", "item_id", "answer"])
    return frame.assign(teryt=teryt, area=AREA, year=YEAR, instrument=instrument,
                        answer=pd.array(frame["answer"], dtype="Int8"))


def _contracts(*ids: str, teryt: str = TERYT) -> pd.DataFrame:
    return pd.DataFrame({"contract_id": list(ids), "teryt": teryt, "area": AREA})


# ------------------------------------------------------------ statuses


def test_status_bands_are_inclusive_at_the_uwaga_bound() -> None:
    band = QualityBand(uwaga=10, problem=20)
    assert [status_above(v, band) for v in (10.0, 10.1, 20.0, 20.1)] == [
        "ok", "uwaga", "uwaga", "problem"]
    low = QualityBand(uwaga=10, problem=3)
    assert [status_below(v, low) for v in (10.0, 9.9, 3.0, 2.9)] == [
        "ok", "uwaga", "uwaga", "problem"]


def test_bands_in_the_wrong_order_are_refused() -> None:
    with pytest.raises(ValidationError, match="response_rate"):
        DataQualitySettings(response_rate=QualityBand(uwaga=3, problem=10))
    with pytest.raises(ValidationError, match="straight_lining"):
        DataQualitySettings(straight_lining=QualityBand(uwaga=30, problem=20))


def test_thresholds_come_from_the_catalogue() -> None:
    rules = load_catalog().settings.data_quality
    assert rules.response_rate == QualityBand(uwaga=10, problem=3)
    assert rules.straight_lining_min_items == 6
    assert rules.outliers.indicators == ("E1", "E1H", "E4")


# ------------------------------------------------------------ survey checks


def test_duplicate_respondent_is_a_problem_and_counted_once() -> None:
    frame = _answers({"a": [3, 4, 5], "b": [2, 2, 4]})
    typed_twice = pd.concat([frame, frame[frame["respondent_id"] == "a"]], ignore_index=True)
    row = duplicate_respondents(typed_twice).iloc[0]
    assert (row["value"], row["n"], row["status"]) == (1.0, 2, "problem")
    assert duplicate_respondents(frame).iloc[0]["status"] == "ok"


def test_item_nonresponse_counts_a_duplicate_respondents_gaps_once() -> None:
    frame = _answers({"a": [3, None, 5, 4], "b": [2, 2, None, None], "c": [1, 2, 3, 4]})
    typed_twice = pd.concat([frame, frame[frame["respondent_id"] == "a"]], ignore_index=True)
    row = item_nonresponse(typed_twice, RULES).iloc[0]
    # 3 gaps in 12 items = 25 % > 20 % → problem (the repeated questionnaire not counted).
    assert (row["n"], row["value"], row["status"]) == (12, 25.0, "problem")
    clean = item_nonresponse(_answers({"a": [1, 2, 3, 4, 5, 1, 2, 3, 4, None]}), RULES)
    assert (clean.iloc[0]["value"], clean.iloc[0]["status"]) == (10.0, "ok")


def test_straight_liner_is_found_among_respondents_with_enough_answers() -> None:
    varied = [1, 2, 3, 4, 5, 4]
    people = {f"r{k}": varied for k in range(5)} | {
        "liner": [5, 5, 5, 5, 5, 5],
        "short": [4, 4, 4, 4, 4, None],  # 5 answers < 6: not judged
    }
    row = straight_lining(_answers(people), RULES, threshold=5).iloc[0]
    # 1 straight-liner of 6 judged = 16,7 %: above 10 %, not above 25 % → uwaga.
    assert row["n"] == 6
    assert row["value"] == pytest.approx(100 / 6)
    assert row["status"] == "uwaga"
    assert "1 z 6" in row["explanation"]


def test_straight_lining_of_a_small_group_is_not_shown() -> None:
    people = {"liner": [5] * 6, "a": [1, 2, 3, 4, 5, 4], "b": [2, 3, 4, 5, 1, 2]}
    assert straight_lining(_answers(people), RULES, threshold=5).empty
    assert len(straight_lining(_answers(people), RULES, threshold=3)) == 1


def test_response_rate_against_the_client_roster() -> None:
    clients = _answers({f"r{k}": [3, 4] for k in range(6)})
    staff = _answers({"s1": [3, 4]}, instrument="personel")
    roster = pd.DataFrame({"contract_id": ["c1", "c2"], "year": YEAR,
                           "clients_served": [100, 50]})
    row = response_rate(pd.concat([clients, staff]), roster, _contracts("c1", "c2"), RULES).iloc[0]
    # 6 client questionnaires (staff do not count) / 150 clients = 4 % → uwaga (3 ≤ 4 < 10).
    assert (row["value"], row["n"], row["status"]) == (4.0, 150, "uwaga")


def test_more_questionnaires_than_clients_or_no_roster_is_a_problem() -> None:
    clients = _answers({f"r{k}": [3] for k in range(6)})
    few = pd.DataFrame({"contract_id": ["c1"], "year": YEAR, "clients_served": [5]})
    assert response_rate(clients, few, _contracts("c1"), RULES).iloc[0]["status"] == "problem"
    other_year = few.assign(year=YEAR - 1)
    row = response_rate(clients, other_year, _contracts("c1"), RULES).iloc[0]
    assert row["status"] == "problem" and np.isnan(row["value"])


def test_no_client_survey_is_not_judged_as_low_response() -> None:
    staff = _answers({"s1": [3, 4]}, instrument="personel")
    roster = pd.DataFrame({"contract_id": ["c1"], "year": YEAR, "clients_served": [100]})
    assert response_rate(staff, roster, _contracts("c1"), RULES).empty


# ------------------------------------------------------------ finance and results


def _finance(actual: list[float | None], *, contract: str = "c1",
             sources: tuple[str, ...] = ("dotacja", "srodki_wlasne")) -> pd.DataFrame:
    return pd.DataFrame({"contract_id": contract, "year": YEAR, "category": "dzialania",
                         "source": list(sources), "planned": 100.0,
                         "actual": pd.array(actual, dtype="Float64")})


def _personal(value: float, hours: float = 10.0, rate: float = 30.0,
              contract: str = "c1") -> pd.DataFrame:
    return pd.DataFrame({"contract_id": [contract], "year": [YEAR], "kind": ["osobowy"],
                         "value": [value], "volunteer_hours": [hours], "hourly_rate": [rate]})


def test_finance_lines_that_add_up_are_ok() -> None:
    row = finance_totals(_finance([90.0, 10.0]), _personal(300.0), _contracts("c1"),
                         RULES).iloc[0]
    assert (row["value"], row["n"], row["status"]) == (0.0, 1, "ok")


def test_a_cost_line_entered_twice_breaks_the_totals() -> None:
    twice = _finance([90.0, 90.0], sources=("dotacja", "dotacja"))
    other = _finance([50.0, 5.0], contract="c2")
    row = finance_totals(pd.concat([twice, other]), _personal(300.0), _contracts("c1", "c2"),
                         RULES).iloc[0]
    assert (row["value"], row["n"], row["status"]) == (1.0, 2, "problem")
    assert "c1" in row["explanation"] and "c2" not in row["explanation"]


@pytest.mark.parametrize(("value", "status"), [(301.0, "ok"), (301.5, "problem"),
                                               (250.0, "problem")])
def test_personal_contribution_must_equal_hours_times_rate(value: float, status: str) -> None:
    # 10 h × 30 zł = 300 zł; the catalogue tolerates 1 zł.
    row = finance_totals(_finance([90.0, 10.0]), _personal(value), _contracts("c1"),
                         RULES).iloc[0]
    assert row["status"] == status


def test_a_line_without_actual_cost_leaves_the_total_incomplete() -> None:
    row = finance_totals(_finance([90.0, None]), _personal(300.0), _contracts("c1"),
                         RULES).iloc[0]
    assert (row["value"], row["status"]) == (1.0, "uwaga")
    assert "1 z 2" in row["explanation"]


def test_results_without_achieved_value() -> None:
    results = pd.DataFrame({"contract_id": "c1", "year": YEAR, "result_id": ["R1", "R2", "R3"],
                            "achieved": [10.0, np.nan, 3.0]})
    row = results_missing(results, _contracts("c1")).iloc[0]
    assert (row["value"], row["n"], row["status"]) == (1.0, 3, "uwaga")


# ------------------------------------------------------------ outliers


def test_outlier_year_against_the_areas_own_history() -> None:
    frame = pd.DataFrame({"teryt": TERYT, "area": AREA, "year": [2020, 2021, 2022, 2023, 2024],
                          "value": [10.0, 12.0, 11.0, 13.0, 40.0]})
    table = yearly_outliers(frame, RULES, indicator="E1").set_index("year")
    # 2020–2022: fewer than 4 years → not judged. 2024: median 12, MAD 1 → z = 0,6745 × 28.
    assert table.index.tolist() == [2023, 2024]
    assert table.loc[2024, "value"] == pytest.approx(0.6745 * 28)
    assert table.loc[2024, "status"] == "uwaga" and table.loc[2023, "status"] == "ok"
    assert table.loc[2024, "n"] == 5


def test_outliers_never_mix_gminy() -> None:
    mine = pd.DataFrame({"teryt": TERYT, "area": AREA, "year": [2021, 2022, 2023, 2024],
                         "value": [10.0, 11.0, 12.0, 11.0]})
    huge = mine.assign(teryt=OTHER, value=[1000.0, 1001.0, 999.0, 1000.0])
    table = yearly_outliers(pd.concat([mine, huge]), RULES, indicator="E1")
    assert set(table["status"]) == {"ok"}
    assert sorted(table["teryt"].unique()) == sorted([TERYT, OTHER])


# ------------------------------------------------------------ the scorecard on the demo


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


@pytest.fixture(scope="module")
def scorecard(store: Store, catalog: Catalog) -> pd.DataFrame:
    return data_quality_scorecard(store, catalog)


def test_scorecard_is_tidy_and_puts_problems_first(scorecard: pd.DataFrame) -> None:
    assert tuple(scorecard.columns) == SCORECARD_COLUMNS
    assert set(scorecard["status"]) == {"ok", "uwaga", "problem"}
    rank = scorecard["status"].map({"problem": 0, "uwaga": 1, "ok": 2})
    assert rank.is_monotonic_increasing
    assert scorecard.equals(sort_scorecard(scorecard.sample(frac=1, random_state=1)))
    assert not scorecard.duplicated(["teryt", "area", "year", "check", "scope"]).any()


def test_scorecard_finds_the_planted_duplicate_and_straight_liners(
    scorecard: pd.DataFrame, store: Store
) -> None:
    responses = store.survey_responses
    keys = ["teryt", "area", "year", "instrument", "respondent_id", "item_id"]
    planted = responses[responses.duplicated(keys, keep=False)].iloc[0]
    flagged = scorecard[(scorecard["check"] == "duplicate_respondents")
                        & (scorecard["status"] == "problem")]
    assert flagged[["teryt", "area", "year", "scope"]].values.tolist() == [
        [planted["teryt"], planted["area"], planted["year"], "klient"]]
    liners = scorecard[(scorecard["check"] == "straight_lining") & (scorecard["value"] > 0)]
    assert len(liners) and set(liners["scope"]) == {"klient"}


def test_scorecard_never_shows_answers(scorecard: pd.DataFrame, store: Store) -> None:
    answered = scorecard[scorecard["check"].isin(["item_nonresponse", "straight_lining"])]
    assert (answered["n"] >= 1).all()
    assert not scorecard["explanation"].str.contains("R-", regex=False).any()


def test_year_filter_keeps_earlier_years_for_outliers(store: Store, catalog: Catalog,
                                                      scorecard: pd.DataFrame) -> None:
    last = int(scorecard["year"].max())
    only = data_quality_scorecard(store, catalog, years=[last])
    assert set(only["year"]) == {last}
    expected = scorecard[scorecard["year"] == last].reset_index(drop=True)
    pd.testing.assert_frame_equal(only.reset_index(drop=True), expected)


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_scorecard_of_one_gmina_holds_only_its_rows(
    data: st.DataObject, store: Store, catalog: Catalog, scorecard: pd.DataFrame
) -> None:
    teryt = data.draw(st.sampled_from(sorted(store.contracts["teryt"].unique())))
    own = data_quality_scorecard(store.for_gmina(teryt), catalog)
    assert set(own["teryt"]) == {teryt}
    expected = scorecard[scorecard["teryt"] == teryt].reset_index(drop=True)
    pd.testing.assert_frame_equal(own.reset_index(drop=True), expected)


def test_outliers_without_any_value_give_no_rows() -> None:
    frame = pd.DataFrame({"teryt": pd.Series(dtype="str"), "area": pd.Series(dtype="str"),
                          "year": pd.Series(dtype="int64"), "value": pd.Series(dtype=float)})
    assert yearly_outliers(frame, DataQualitySettings(), indicator="E1").empty
    only_missing = pd.DataFrame({"teryt": [TERYT], "area": [AREA], "year": [YEAR],
                                 "value": [np.nan]})
    assert yearly_outliers(only_missing, DataQualitySettings(), indicator="E1").empty


def test_scorecard_of_a_gmina_with_contracts_and_costs_only(
    store: Store, catalog: Catalog
) -> None:
    """The issue's case: contracts and costs, no surveys or reports yet: checks that can
    run do (finance totals), the others give no rows instead of a crash."""
    from wkus_lib.store import empty_table

    own = store.for_gmina("2003042")
    bare = Store(**{name: frame if name in ("contracts", "finance") else empty_table(name)
                    for name, frame in own.tables().items()})
    card = data_quality_scorecard(bare, catalog)
    assert set(card["check"]) == {"finance_totals", "outlier"}
    assert set(card.loc[card["check"] == "outlier", "scope"]) == {"E4"}  # costs alone
    assert set(card["teryt"]) == {"2003042"}


def test_outlier_needs_the_catalogue_minimum_change_and_shows_its_numbers() -> None:
    frame = pd.DataFrame({"teryt": TERYT, "area": AREA, "year": [2020, 2021, 2022, 2023, 2024],
                          "value": [9.43, 9.44, 9.45, 9.44, 9.52]})
    row = yearly_outliers(frame, RULES, indicator="E1").set_index("year").loc[2024]
    assert row["value"] > RULES.outliers.threshold and row["status"] == "ok"
    assert (row["observed"], row["reference"]) == (9.52, 9.44)
    assert (row["n"], row["z_score"]) == (5, row["value"])  # method "mad": value is z
    assert row["explanation"] == ""  # numbers only; the report words them
    text = outlier_explanation("E1", row["observed"], row["reference"], int(row["n"]),
                               row["z_score"], flagged=False)
    assert text.replace("\N{NO-BREAK SPACE}", " ") == (
        "E1: 9,52 wobec mediany 9,44 z 5 lat (+0,8 %, z = 5,40)")
    no_minimum = RULES.model_copy(update={"outliers": RULES.outliers.model_copy(
        update={"min_change_pct": 0.0})})
    assert yearly_outliers(frame, no_minimum, indicator="E1").iloc[-1]["status"] == "uwaga"


def test_check_words_outlier_rows_with_the_catalogue_name(catalog: Catalog) -> None:
    frame = pd.DataFrame({"teryt": TERYT, "area": AREA, "year": [2020, 2021, 2022, 2023, 2024],
                          "value": [10.0, 12.0, 11.0, 13.0, 40.0]})
    table = yearly_outliers(frame, RULES, indicator="E1")
    worded = explain_outliers(table, catalog).set_index("year")["explanation"].str.replace(
        "\N{NO-BREAK SPACE}", " ")
    spec = catalog.indicator("E1")
    assert worded[2024].startswith(f"{spec.name_pl} [{spec.unit}]: 40,00 wobec mediany 12,00 "
                                   "z 5 lat (+233,3 %, z = ")
    assert worded[2024].endswith("; sprawdź sprawozdanie")  # flagged: uwaga
    assert worded[2023].endswith(")")  # 4 years, not flagged
    assert " z 4 lat " in worded[2023]
    assert table["explanation"].eq("").all()  # the scorecard itself holds numbers only


def test_an_outlier_against_a_zero_median_says_so() -> None:
    assert "(mediana 0, z = " in outlier_explanation("E4", 5.0, 0.0, 4, 1.0, flagged=True)
    unchanged = outlier_explanation("E4", 0.0, 0.0, 2, 0.0, flagged=False)
    assert "(0,0" in unchanged and "z 2 lat" in unchanged


def test_the_report_shows_the_numbers_behind_an_outlier() -> None:
    from wkus_lib.report.data_quality import check_results

    rows = pd.DataFrame({"check": ["outlier", "response_rate"], "value": [3.76, 12.3],
                         "observed": [1510.44, float("nan")],
                         "reference": [1064.56, float("nan")]})
    shown = [text.replace("\N{NO-BREAK SPACE}", " ").replace("\u202f", " ")
             for text in check_results(rows)]
    assert shown == ["z = 3,76: 1 510,44 wobec mediany 1 064,56 (+41,9 %)", "12,3 %"]


def test_catalogue_sets_the_minimum_meaningful_spread() -> None:
    assert load_catalog().settings.data_quality.outliers.min_change_pct == 10
