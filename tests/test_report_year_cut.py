"""A report sees only its year and the years before.

Every report kind is rendered (the functions its notebook calls) for year Y
on a store holding later data too; no later year may appear anywhere: text,
findings, table cells, the raw values carried for the annex (suppression
register and data-sources table included).

What counts as a year: a number 2000–2099 standing alone (not part of a
larger number). Allowed after Y are only the end of a contract term written
"start–end" whose start is at most Y (a contract signed for 2022–2025 is
known in 2024) and a full date (day, month and year: "30 stycznia 2025",
"2025-01-30"), which dates a cited publication, not data. The ex-ante cost horizon counts years of the contract
("rok 1–4"), not calendar years, so it needs no exception.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from report_checks import output_text, render_sections

from wkus_lib.demo import DemoSummary
from wkus_lib.report.context import indicators_up_to, store_up_to
from wkus_lib.report.outputs import TABLE_MIMETYPE
from wkus_lib.store import read_store, write_store

FUTURE = 2026
YEAR = re.compile(r"(?<![\d,.])(20\d\d)(?![\d,])")
TERM = re.compile(r"(?<![\d,.])(20\d\d)\s*[–-]\s*(20\d\d)(?![\d,])")
MONTHS = ("stycznia|lutego|marca|kwietnia|maja|czerwca|lipca|sierpnia|września|października|"
          "listopada|grudnia|January|February|March|April|May|June|July|August|September|"
          "October|November|December")
FULL_DATE = re.compile(rf"\b\d{{1,2}} (?:{MONTHS}) 20\d\d\b|\b20\d\d-\d\d-\d\d\b")


def later_years(text: str, year: int) -> list[str]:
    """Years after ``year`` in ``text`` other than the end of a term that began by ``year``."""
    kept = TERM.sub(lambda m: "" if int(m.group(1)) <= year else m.group(0),
                    FULL_DATE.sub("", text))
    return [found for found in YEAR.findall(kept) if int(found) > year]


def table_cells(outputs: list[dict[str, object]]) -> list[str]:
    """Every raw table cell and column name carried for the annex, as text."""
    cells: list[str] = []
    for bundle in outputs:
        table = bundle.get(TABLE_MIMETYPE)
        if not isinstance(table, dict):
            continue
        data = table["data"]
        cells += [str(c) for c in data["columns"]]
        cells += [str(c) for row in data["data"] for c in row]
    return cells


def test_later_years_reads_terms_and_bare_years() -> None:
    assert later_years("kontrakt na lata 2022–2025, rok oceny 2024", 2024) == []
    assert later_years("ukryte: Q1 2025", 2024) == ["2025"]
    assert later_years("kontrakt 2025–2028", 2024) == ["2025", "2028"]
    assert later_years("1 2025,5 zł i 12 025 osób", 2024) == []
    assert later_years("publikacja z 30 stycznia 2025 r. (2025-01-30)", 2024) == []


@pytest.fixture(scope="module")
def future_store(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store with a year after its last: every 2025 row again as 2026, and a grant
    signed for 2026 in every gmina-area (nothing of it may reach a 2025 report)."""
    store = read_store(demo.store_dir)
    tables: dict[str, pd.DataFrame] = {}
    for name, frame in store.tables().items():
        if name == "contracts":
            grants = frame[frame["end_year"] == 2025].drop_duplicates(["teryt", "area"]).assign(
                contract_id=lambda f: f["contract_id"] + "-2026", mode="annual_grant",
                start_year=FUTURE, end_year=FUTURE, ngo_name="Fundacja Jutra")
            tables[name] = pd.concat([frame, grants], ignore_index=True)
        else:
            later = frame[frame["year"] == 2025].assign(year=FUTURE)
            tables[name] = pd.concat([frame, later], ignore_index=True)
    out = tmp_path_factory.mktemp("future")
    write_store(tables, out, synthetic=True)
    return out


def test_store_and_indicator_cut_drop_every_later_row(future_store: Path) -> None:
    cut = store_up_to(read_store(future_store), 2024)
    for name, frame in cut.tables().items():
        column = "start_year" if name == "contracts" else "year"
        assert (frame[column] <= 2024).all(), name
    assert (cut.contracts["end_year"] == 2025).any(), "a running contract keeps its whole term"
    table = pd.DataFrame({"year": [2023, 2024, 2025], "value": [1.0, 2.0, 3.0]})
    assert indicators_up_to(table, 2024)["year"].tolist() == [2023, 2024]


REPORTS = [
    ("ex_ante", "2002063", "sport", 2025),
    ("on_going", "2264011", "pomoc_spoleczna", 2025),
    ("ex_post", "2013023", "pomoc_spoleczna", 2025),
    ("gmina_overview", "2013023", None, 2025),
    ("benchmark", None, "pomoc_spoleczna", 2025),
]


@pytest.mark.parametrize(("kind", "teryt", "area", "year"), REPORTS)
def test_no_report_kind_shows_a_later_year(
    future_store: Path, kind: str, teryt: str | None, area: str | None, year: int
) -> None:
    outputs = render_sections(kind, teryt, area, year, str(future_store))
    text = output_text(outputs)
    assert str(year) in text
    assert later_years(text, year) == []
    assert [c for c in table_cells(outputs) if later_years(c, year)] == []
    assert "Fundacja Jutra" not in text


@pytest.mark.parametrize(("kind", "teryt", "area"), [
    ("on_going", "2264011", "pomoc_spoleczna"),
    ("on_going", "2002063", "kultura"),
    ("gmina_overview", "2264011", None),
    ("benchmark", None, "kultura"),
])
def test_a_2024_report_shows_nothing_of_2025(
    demo: DemoSummary, kind: str, teryt: str | None, area: str | None
) -> None:
    # The demo's last year is 2025: the 2024 on-going report used to list a hidden 2025 value.
    outputs = render_sections(kind, teryt, area, 2024, str(demo.store_dir))
    assert later_years(output_text(outputs), 2024) == []
    assert [c for c in table_cells(outputs) if later_years(c, 2024)] == []
