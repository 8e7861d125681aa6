"""Missing data named one way: tables, late NGO reports, asked years and areas."""

from __future__ import annotations

import dataclasses

import pytest

from wkus_lib.demo import DemoSummary
from wkus_lib.evaluation.data_gaps import (
    choice_gaps,
    data_gaps,
    gap_message,
    gmina_gaps,
    late_report_gaps,
    store_gaps,
)
from wkus_lib.store import Store, empty_table, read_store

NAMES = {"2003042": "Boćki", "2002063": "Łapy"}


@pytest.fixture(scope="module")
def store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


def test_the_demo_misses_nothing(store: Store) -> None:
    assert data_gaps(store, NAMES) == []
    assert data_gaps(store, NAMES, up_to=2025, areas=["sport"]) == []


def test_one_pass_over_the_store_agrees_with_each_gminas_own_view(store: Store) -> None:
    surveys = store.survey_responses
    partial = dataclasses.replace(
        store, survey_responses=surveys[surveys["teryt"] != "2003042"],
        contributions=empty_table("contributions"))
    expected = [line for code in NAMES
                for line in store_gaps(partial.for_gmina(code), f"{NAMES[code]}, {code}")]
    assert gmina_gaps(partial, list(NAMES), NAMES) == expected
    assert gap_message("survey_responses", "Boćki, 2003042") in expected
    assert sum("wkład osobowy" in line for line in expected) == 2


def test_a_late_report_names_the_year_the_area_and_the_missing_parts(store: Store) -> None:
    ids = store.contracts.loc[store.contracts["teryt"] == "2003042", "contract_id"]
    results = store.results
    late = dataclasses.replace(
        store, results=results[~(results["contract_id"].isin(ids) & (results["year"] == 2025))])
    lines = late_report_gaps(late, list(NAMES), NAMES)
    assert lines and all("Boćki, 2003042" in line for line in lines)
    assert all("za 2025 r." in line and "brak: rezultaty" in line for line in lines)
    assert late_report_gaps(late, list(NAMES), NAMES, up_to=2024) == []


def test_an_asked_year_or_area_without_data_is_named(store: Store) -> None:
    lines = choice_gaps(store, {"2003042": "Boćki"}, year=2031, areas=["promocja", "sport"])
    assert lines[0].startswith("brak danych: rok 2031 (Boćki, 2003042)")
    assert "2019–2025" in lines[0]
    assert len(lines) == 2 and "Promocja" in lines[1]


def test_a_table_missing_in_many_gminy_is_one_line(store: Store) -> None:
    codes = sorted(store.contracts["teryt"].unique())
    assert len(codes) > 6
    bare = dataclasses.replace(store, cooperation_survey=empty_table("cooperation_survey"))
    lines = gmina_gaps(bare, codes, {})
    word = "gminy" if len(codes) % 10 in (2, 3, 4) and len(codes) % 100 not in (12, 13, 14) \
        else "gmin"
    assert lines == [gap_message("cooperation_survey",
                                 f"{len(codes)} {word}: {'; '.join(codes[:3])} i inne")]
