"""Polish headers: one per schema column, forgiving matching, tables recognised from headers."""

from __future__ import annotations

import pytest

from wkus_lib.intake.headers import (
    HEADERS,
    TABLE_TITLES,
    column_for,
    find_table,
    normalize_header,
    required_columns,
)
from wkus_lib.schemas import TABLES


@pytest.mark.parametrize("table", list(TABLES))
def test_every_schema_column_has_exactly_one_polish_header(table: str) -> None:
    assert list(HEADERS[table]) == list(TABLES[table].to_schema().columns)
    normalised = [normalize_header(h) for h in HEADERS[table].values()]
    assert len(set(normalised)) == len(normalised), "two columns would read as one"


def test_table_titles_fit_excel_sheet_names() -> None:
    assert list(TABLE_TITLES) == list(TABLES)
    assert all(0 < len(title) <= 31 for title in TABLE_TITLES.values())


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Koszt planowany [zł]", "planned"),
        ("koszt planowany", "planned"),
        ("KOSZT_PLANOWANY", "planned"),
        ("Źródło finansowania", "source"),
        ("zrodlo finansowania", "source"),
        ("  Zrodlo   Finansowania ", "source"),
        ("planned", "planned"),
        ("Numer umowy", "contract_id"),
        ("nr umowy", "contract_id"),
        ("Rok budżetowy", "year"),
    ],
)
def test_column_for_ignores_case_diacritics_units_and_separators(
    header: str, column: str
) -> None:
    assert column_for("finance", header) == column


def test_column_for_returns_none_for_unknown_header() -> None:
    assert column_for("finance", "Uwagi księgowej") is None


@pytest.mark.parametrize("table", list(TABLES))
def test_find_table_recognises_polish_and_schema_headers_in_any_order(table: str) -> None:
    polish = list(reversed(HEADERS[table].values()))
    assert find_table(polish) == table
    assert find_table([c.upper() for c in HEADERS[table]]) == table


def test_find_table_accepts_missing_optional_columns_but_not_missing_required() -> None:
    finance = HEADERS["finance"]
    without_actual = [h for c, h in finance.items() if c != "actual"]
    assert "actual" not in required_columns("finance")
    assert find_table(without_actual) == "finance"
    without_year = [h for c, h in finance.items() if c != "year"]
    assert find_table(without_year) is None


def test_find_table_ignores_extra_columns() -> None:
    headers = [*HEADERS["needs"].values(), "Uwagi", "Kto wpisał"]
    assert find_table(headers) == "needs"
