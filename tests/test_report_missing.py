"""The one missing-data message of the reports, and the data-sources table."""

from __future__ import annotations

import pandas as pd
import pytest

from wkus_lib.demo import DemoSummary
from wkus_lib.report.missing import data_sources, missing_data, missing_tables
from wkus_lib.store import Store, empty_table, read_store
from wkus_lib.text.i18n import language


def test_message_names_what_the_form_and_the_year() -> None:
    assert missing_data("koszt jednostkowy", "finance", "beneficiaries", year=2025) == (
        "brak danych: koszt jednostkowy — dodaj sprawozdanie z wykonania zadania (koszty) oraz "
        "sprawozdanie z wykonania zadania (odbiorcy i kadra) za 2025 r. (formularz „Koszty”, "
        "„Odbiorcy i kadra”) i zaimportuj ponownie")
    assert missing_data("diagnoza", "needs") == (
        "brak danych: diagnoza — dodaj diagnozę potrzeb (formularz „Diagnoza potrzeb”) i "
        "zaimportuj ponownie")


def test_message_in_english() -> None:
    with language("en"):
        text = missing_data("results", "results", year=2024)
    assert text.startswith("no data: results — add the task completion report (results) "
                           "for 2024")
    assert text.endswith("and import again")


@pytest.fixture(scope="module")
def store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir).for_gmina("2002063")


def test_sources_name_an_empty_table_and_a_missing_year(store: Store) -> None:
    late = store.tables()
    late["finance"] = late["finance"][late["finance"]["year"] < 2025]
    late["needs"] = empty_table("needs")
    partial = Store(**late)
    sources = data_sources(partial, ("contracts", "finance", "needs", "survey_responses"),
                           teryt="2002063", area="sport", year=2025).set_index("table")
    assert missing_tables(sources.reset_index()) == ["finance", "needs"]
    assert "za 2025 r." in sources.loc["finance", "missing"]
    assert sources.loc["finance", "years"] == "2019–2024"
    assert "dodaj diagnozę potrzeb" in sources.loc["needs", "missing"]
    assert sources.loc["contracts", "missing"] == ""
    # Answers of respondents are never counted in the report (small groups stay unknown).
    assert pd.isna(sources.loc["survey_responses", "rows"])
    assert sources.loc["finance", "rows"] == len(partial.finance[
        partial.finance["contract_id"].str.contains("/sport/")])


def test_sources_count_only_years_up_to_the_evaluation_year(store: Store) -> None:
    sources = data_sources(store, ("finance",), teryt="2002063", area="sport", year=2022)
    assert sources.loc[0, "years"] == "2019–2022"
    assert sources.loc[0, "missing"] == ""
