"""Specification of small-cell suppression and of hiding quotes from small groups."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wkus_lib.metrics.privacy import (
    DEFAULT_THRESHOLD,
    QUOTE_THRESHOLD,
    SuppressionResult,
    suppress_quotes,
    suppress_small_cells,
)

PRIMARY_REASON = "mniej niż 5 odpowiedzi"
SECONDARY_REASON = "ukrycie wtórne (ochrona przed odejmowaniem)"


def cells(counts: list[int], **columns: Sequence[object]) -> pd.DataFrame:
    """Cells with respondent counts and a score per cell."""
    return pd.DataFrame(
        {**columns, "n": counts, "score": [50.0 + i for i in range(len(counts))]}
    )


def hidden(result: SuppressionResult) -> list[bool]:
    return [bool(v) for v in result.table["suppressed"]]


def test_defaults_follow_the_statistical_conventions() -> None:
    assert (DEFAULT_THRESHOLD, QUOTE_THRESHOLD) == (5, 10)


# --- primary and secondary suppression, worked by hand ---------------------


def test_single_small_cell_gets_a_complementary_cell_hidden() -> None:
    # n = 3, 12, 20; total 35 is published. 3 < 5 is hidden, but 35 − 12 − 20
    # would give it back, so the smallest other cell (12) is hidden too:
    # hidden = {3, 12}: two cells, 15 ≥ 5 respondents together.
    result = suppress_small_cells(cells([3, 12, 20]), value_columns=["score"])
    assert hidden(result) == [True, True, False]
    assert result.log["kind"].tolist() == ["primary", "secondary"]
    assert result.log["reason"].tolist() == [PRIMARY_REASON, SECONDARY_REASON]


def test_two_small_cells_reaching_the_threshold_together_protect_each_other() -> None:
    # n = 2, 3, 40, 50: both small cells hidden, 2 + 3 = 5 ≥ 5 → nothing else needed.
    result = suppress_small_cells(cells([2, 3, 40, 50]), value_columns=["score"])
    assert hidden(result) == [True, True, False, False]
    assert result.log["kind"].tolist() == ["primary", "primary"]


def test_two_small_cells_below_the_threshold_together_get_a_third() -> None:
    # n = 1, 2, 40, 30: hidden 1 + 2 = 3 < 5; the total minus the visible cells
    # would publish a 3-person aggregate → add the smallest remaining cell, 30.
    result = suppress_small_cells(cells([1, 2, 40, 30]), value_columns=["score"])
    assert hidden(result) == [True, True, False, True]
    assert result.log["kind"].tolist() == ["primary", "primary", "secondary"]


def test_empty_cells_are_neither_hidden_nor_used_as_complements() -> None:
    # n = 3, 0, 9, 20: a 0-cell is known to hold nobody, so hiding it protects
    # nothing; the complement is 9, the smallest non-empty cell.
    result = suppress_small_cells(cells([3, 0, 9, 20]), value_columns=["score"])
    assert hidden(result) == [True, False, True, False]


def test_ties_between_complements_go_to_the_earlier_row() -> None:
    result = suppress_small_cells(cells([3, 8, 8]), value_columns=["score"])
    assert hidden(result) == [True, True, False]


def test_ties_follow_the_row_label_so_reordering_rows_changes_nothing() -> None:
    table = cells([3, 8, 8])
    reordered = table.iloc[[2, 1, 0]]
    result = suppress_small_cells(reordered, value_columns=["score"])
    assert result.table.index[result.table["suppressed"]].tolist() == [1, 0]


def test_group_with_a_total_below_the_threshold_is_hidden_whole() -> None:
    # Group "a": n = 2, 1, 0, total 3 < 5. Hiding 2 and 1 leaves a 3-person
    # aggregate and there is no non-empty cell left to add, so the whole group
    # goes (its total must not be published either). Group "b" is untouched.
    table = cells([2, 1, 0, 7, 9], gmina=["a", "a", "a", "b", "b"])
    result = suppress_small_cells(table, value_columns=["score"], group_columns=["gmina"])
    assert hidden(result) == [True, True, True, False, False]
    assert result.log["kind"].tolist() == ["primary", "primary", "secondary"]


def test_groups_are_protected_separately() -> None:
    # Each gmina has its own published total: group 1 needs a complement,
    # group 2 has no small cell and is left alone.
    table = cells([3, 10, 11, 10, 10], teryt=["2009042"] * 3 + ["2011083"] * 2)
    result = suppress_small_cells(table, value_columns=["score"], group_columns=["teryt"])
    assert hidden(result) == [True, True, False, False, False]


def test_without_group_columns_the_whole_table_is_one_group() -> None:
    table = cells([3, 10, 11, 10, 10], teryt=["2009042"] * 3 + ["2011083"] * 2)
    result = suppress_small_cells(table, value_columns=["score"])
    # 10 in row 1 and row 3 tie; the earlier row wins.
    assert hidden(result) == [True, True, False, False, False]


def test_several_group_columns_define_the_groups_together() -> None:
    table = cells(
        [3, 20, 3, 20],
        teryt=["2009042", "2009042", "2009042", "2009042"],
        year=[2023, 2023, 2024, 2024],
    )
    result = suppress_small_cells(
        table, value_columns=["score"], group_columns=["teryt", "year"]
    )
    assert hidden(result) == [True, True, True, True]
    assert result.log[["teryt", "year"]].values.tolist() == [
        ["2009042", 2023], ["2009042", 2023], ["2009042", 2024], ["2009042", 2024],
    ]


def test_threshold_is_configurable_and_named_in_the_reason() -> None:
    result = suppress_small_cells(cells([7, 30, 40]), value_columns=["score"], threshold=10)
    assert hidden(result) == [True, True, False]
    assert result.log["reason"].iloc[0] == "mniej niż 10 odpowiedzi"


# --- the output table and the log ------------------------------------------


def test_hidden_values_become_missing_and_everything_else_is_kept() -> None:
    table = pd.DataFrame(
        {"area": ["sport", "kultura", "zdrowie"], "n": [3, 12, 20],
         "score": [80.0, 65.0, 70.0], "answered": [True, True, False]},
        index=["s", "k", "z"],
    )
    result = suppress_small_cells(table, value_columns=["score", "n", "answered"])
    out = result.table
    assert out.index.tolist() == ["s", "k", "z"]
    assert out["area"].tolist() == ["sport", "kultura", "zdrowie"]
    assert out["score"].isna().tolist() == [True, True, False]
    assert out["score"].iloc[2] == 70.0
    # integer counts stay integers, with NA where hidden
    assert str(out["n"].dtype) == "Int64"
    assert out["n"].isna().tolist() == [True, True, False]
    assert str(out["answered"].dtype) == "boolean"
    assert out["suppressed"].dtype == bool
    assert list(out.columns) == ["area", "n", "score", "answered", "suppressed"]


def test_counts_stay_visible_unless_listed_as_value_columns() -> None:
    result = suppress_small_cells(cells([3, 12, 20]), value_columns=["score"])
    assert result.table["n"].tolist() == [3, 12, 20]


def test_input_table_is_left_unchanged() -> None:
    table = cells([3, 12, 20])
    before = table.copy()
    suppress_small_cells(table, value_columns=["score", "n"])
    pd.testing.assert_frame_equal(table, before)


def test_log_names_group_row_reason_and_kind_but_never_the_count() -> None:
    table = cells([3, 12, 20], teryt=["2002063"] * 3)
    table.index = pd.Index(["sport", "kultura", "zdrowie"])
    result = suppress_small_cells(table, value_columns=["score"], group_columns=["teryt"])
    assert list(result.log.columns) == ["teryt", "row", "reason", "kind"]
    assert result.log.to_dict("records") == [
        {"teryt": "2002063", "row": "sport", "reason": PRIMARY_REASON, "kind": "primary"},
        {"teryt": "2002063", "row": "kultura", "reason": SECONDARY_REASON, "kind": "secondary"},
    ]


def test_nothing_to_hide_gives_an_empty_log_with_its_columns() -> None:
    result = suppress_small_cells(cells([5, 12, 0]), value_columns=["score"])
    assert not result.table["suppressed"].any()
    assert result.log.empty
    assert list(result.log.columns) == ["row", "reason", "kind"]


@pytest.mark.parametrize("bad", [-1, None, 2.5])
def test_count_that_is_missing_negative_or_fractional_is_rejected(bad: object) -> None:
    table = pd.DataFrame({"n": [10, bad], "score": [1.0, 2.0]})
    with pytest.raises(ValueError, match="nieujemną liczbą całkowitą"):
        suppress_small_cells(table, value_columns=["score"])


def test_unknown_column_is_rejected() -> None:
    with pytest.raises(ValueError, match="Brak kolumn"):
        suppress_small_cells(cells([3, 12]), value_columns=["mean"])


def test_table_with_a_suppressed_column_already_is_rejected() -> None:
    table = cells([3, 12]).assign(suppressed=False)
    with pytest.raises(ValueError, match="suppressed"):
        suppress_small_cells(table, value_columns=["score"])


def test_threshold_below_one_is_rejected() -> None:
    with pytest.raises(ValueError, match="Próg"):
        suppress_small_cells(cells([3, 12]), value_columns=["score"], threshold=0)


# --- properties: nothing recoverable by subtraction, order does not matter ---


@st.composite
def grouped_tables(draw: st.DrawFn) -> tuple[pd.DataFrame, int]:
    threshold = draw(st.integers(min_value=2, max_value=10))
    sizes = draw(st.lists(st.integers(min_value=1, max_value=6), min_size=1, max_size=4))
    count = st.one_of(st.integers(0, threshold + 2), st.integers(0, 40))
    rows = [
        {"gmina": f"g{g}", "n": draw(count), "score": float(draw(st.integers(0, 100)))}
        for g, size in enumerate(sizes)
        for _ in range(size)
    ]
    return pd.DataFrame(rows), threshold


@settings(max_examples=100, deadline=None)
@given(case=grouped_tables())
def test_no_hidden_cell_is_recoverable_from_the_group_total(
    case: tuple[pd.DataFrame, int],
) -> None:
    table, threshold = case
    result = suppress_small_cells(
        table, value_columns=["score"], threshold=threshold, group_columns=["gmina"]
    )
    out = result.table
    for _, group in out.assign(n=table["n"]).groupby("gmina"):
        total = int(group["n"].sum())
        hidden_counts = group.loc[group["suppressed"], "n"]
        visible_counts = group.loc[~group["suppressed"], "n"]
        # every small non-empty cell is hidden
        assert not ((visible_counts > 0) & (visible_counts < threshold)).any()
        if total >= threshold:
            # The total is published: total − visible = the hidden cells together,
            # which must be ≥ 2 cells of ≥ threshold respondents, or nothing.
            assert len(hidden_counts) != 1
            assert hidden_counts.sum() == 0 or hidden_counts.sum() >= threshold
            assert (hidden_counts > 0).all()
        elif group["suppressed"].any():
            # The total itself is a small cell: the whole group is hidden.
            assert group["suppressed"].all()
    assert out.loc[out["suppressed"], "score"].isna().all()
    assert len(result.log) == int(out["suppressed"].sum())


@settings(max_examples=100, deadline=None)
@given(case=grouped_tables(), seed=st.integers(0, 2**32 - 1), grouped=st.booleans())
def test_suppressed_cells_do_not_depend_on_row_order(
    case: tuple[pd.DataFrame, int], seed: int, grouped: bool
) -> None:
    table, threshold = case
    group_columns = ["gmina"] if grouped else []
    shuffled = table.sample(frac=1.0, random_state=seed)

    def hidden_labels(frame: pd.DataFrame) -> set[object]:
        result = suppress_small_cells(
            frame, value_columns=["score"], threshold=threshold, group_columns=group_columns
        )
        assert result.table.index.tolist() == frame.index.tolist()
        return set(result.table.index[result.table["suppressed"]])

    assert hidden_labels(table) == hidden_labels(shuffled)


# --- quotes ----------------------------------------------------------------


def comments() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "teryt": ["2009042", "2009042", "2011083", "2003042"],
            "area": ["pomoc_spoleczna"] * 4,
            "respondent_id": ["k01", "k02", "k17", "k05"],
            "text": ["Pani Ania zawsze pomoże.", "Za mało godzin.",
                     "Dobrze zorganizowane.", "Dowóz w środy."],
        }
    )


def test_quotes_from_groups_under_ten_respondents_are_hidden() -> None:
    sizes = pd.Series(
        [9, 10, 30],
        index=pd.MultiIndex.from_tuples(
            [("2009042", "pomoc_spoleczna"), ("2011083", "pomoc_spoleczna"),
             ("2003042", "pomoc_spoleczna")],
            names=["teryt", "area"],
        ),
    )
    result = suppress_quotes(comments(), group_sizes=sizes, group_columns=["teryt", "area"])
    # 9 < 10 hidden; exactly 10 is enough
    assert hidden(result) == [True, True, False, False]
    assert result.table["text"].isna().tolist() == [True, True, False, False]
    assert result.table["respondent_id"].tolist() == ["k01", "k02", "k17", "k05"]
    assert result.log.to_dict("records") == [
        {"teryt": "2009042", "area": "pomoc_spoleczna", "row": 0,
         "reason": "mniej niż 10 respondentów w grupie", "kind": "primary"},
        {"teryt": "2009042", "area": "pomoc_spoleczna", "row": 1,
         "reason": "mniej niż 10 respondentów w grupie", "kind": "primary"},
    ]


def test_group_size_counts_respondents_not_comments() -> None:
    # One quote from a group of 25 respondents is shown.
    result = suppress_quotes(
        comments().iloc[[2]], group_sizes={"2011083": 25}, group_columns=["teryt"]
    )
    assert hidden(result) == [False]


def test_quotes_from_a_group_of_unknown_size_are_hidden() -> None:
    result = suppress_quotes(
        comments(), group_sizes={"2009042": 40, "2011083": 40}, group_columns=["teryt"]
    )
    assert hidden(result) == [False, False, False, True]
    assert result.log["reason"].tolist() == ["nieznana liczba respondentów w grupie"]


def test_quote_threshold_and_hidden_columns_are_configurable() -> None:
    result = suppress_quotes(
        comments(), group_sizes={"2009042": 6, "2011083": 4, "2003042": 5},
        group_columns=["teryt"], threshold=5, text_columns=["text", "respondent_id"],
    )
    assert hidden(result) == [False, False, True, False]
    assert result.table.loc[2, ["text", "respondent_id"]].isna().all()
    assert result.log["reason"].tolist() == ["mniej niż 5 respondentów w grupie"]


def test_group_sizes_from_groupby_with_one_column_work_directly() -> None:
    respondents = pd.DataFrame({"teryt": ["2009042"] * 3 + ["2011083"] * 12})
    sizes = respondents.groupby("teryt").size()
    result = suppress_quotes(comments(), group_sizes=sizes, group_columns=["teryt"])
    assert hidden(result) == [True, True, False, True]


def test_group_size_keys_must_match_the_group_columns() -> None:
    with pytest.raises(ValueError, match="kolumn grupujących"):
        suppress_quotes(
            comments(), group_sizes={"2009042": 40}, group_columns=["teryt", "area"]
        )


def test_quotes_need_a_group_column() -> None:
    with pytest.raises(ValueError, match="kolumnę grupującą"):
        suppress_quotes(comments(), group_sizes={}, group_columns=[])


@settings(max_examples=100, deadline=None)
@given(
    sizes=st.dictionaries(
        st.sampled_from(["2009042", "2011083", "2003042"]), st.integers(0, 30), max_size=3
    ),
    threshold=st.integers(1, 15),
)
def test_no_quote_is_shown_from_a_group_not_known_to_be_large_enough(
    sizes: dict[str, int], threshold: int
) -> None:
    result = suppress_quotes(
        comments(), group_sizes=sizes, group_columns=["teryt"], threshold=threshold
    )
    for teryt, shown in zip(comments()["teryt"], ~result.table["suppressed"], strict=True):
        assert shown == (sizes.get(teryt, -1) >= threshold)


