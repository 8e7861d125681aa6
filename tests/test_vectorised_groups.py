"""The vectorised group helpers give what the per-group Python code they replace gave."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wkus_lib.metrics.efficiency import _joined_names, _years_texts, years_text
from wkus_lib.metrics.likert import _factorize

TEXTS = st.lists(st.one_of(st.none(), st.sampled_from(["b", "a", "ż", "z", "ą", "R-01", "R-1"])),
                 max_size=40)


@settings(max_examples=80, deadline=None)
@given(TEXTS, st.sampled_from(["str", "object"]))
def test_factorize_gives_the_codes_of_a_sorted_factorize(
    values: list[str | None], dtype: str
) -> None:
    column = pd.Series(values, dtype=dtype)
    codes, uniques = _factorize(column)
    expected_codes, expected_uniques = pd.factorize(column, sort=True, use_na_sentinel=False)
    assert codes.tolist() == expected_codes.tolist()
    assert list(uniques) == list(expected_uniques) or (
        [u for u in uniques if isinstance(u, str)]
        == [u for u in expected_uniques if isinstance(u, str)]
        and pd.isna(uniques[-1]) and pd.isna(expected_uniques[-1])
    )


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["0201011", "2002063"]), st.sampled_from(["x", "y"]),
                          st.integers(2015, 2026)), max_size=40))
def test_years_texts_equal_years_text_per_group(rows: list[tuple[str, str, int]]) -> None:
    frame = pd.DataFrame(rows, columns=["teryt", "period", "year"]).astype(
        {"teryt": "str", "period": "str", "year": "int64"})
    grouped = frame.groupby(["teryt", "period"], sort=True)["year"]
    expected = grouped.agg(years_text)
    got = _years_texts(grouped)
    assert list(got.index) == list(expected.index)
    assert got.tolist() == expected.tolist()


@pytest.mark.parametrize("years", [[2020, 2021, 2023], [2024], [2021, 2020, 2021, 2022]])
def test_years_texts_with_gaps_and_repeats(years: list[int]) -> None:
    frame = pd.DataFrame({"g": ["a"] * len(years), "year": years})
    assert _years_texts(frame.groupby(["g"], sort=True)["year"]).tolist() == [years_text(years)]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["0201011", "2002063"]), st.integers(2024, 2025),
                          st.sampled_from(["sport", "kultura", "zdrowie", "edukacja"])),
                max_size=30))
def test_joined_names_equal_a_sorted_join_per_group(rows: list[tuple[str, int, str]]) -> None:
    frame = pd.DataFrame(rows, columns=["teryt", "end_year", "comparison_area"]).astype(
        {"teryt": "str", "end_year": "int64", "comparison_area": "str"})
    by = ["teryt", "end_year"]
    expected = frame.groupby(by, sort=True)["comparison_area"].agg(lambda s: ",".join(sorted(s)))
    got = _joined_names(frame, by, "comparison_area")
    assert list(got.index) == list(expected.index)
    assert got.tolist() == expected.tolist()
