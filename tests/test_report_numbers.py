"""One source per number: every number a report's findings cite is in its tables, same unit.

Findings are text; tables carry their displayed (formatted) cells. The
checker (``report_checks.numbers_without_source``) extracts each number with
a unit (zł, %, pkt proc., pkt) from the findings and looks it up among the
table cells of the same report, the unit taken from the cell, its column
header or the row's unit. Reports are rendered by calling the report
functions the notebooks call (``report_checks.render_sections``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from report_checks import (
    SAMPLE_REPORTS,
    cited_numbers,
    finding_texts,
    numbers_without_source,
    render_sections,
)

from wkus_lib.demo import DemoSummary
from wkus_lib.report.outputs import TABLE_MIMETYPE
from wkus_lib.store import read_store, write_store

REPORTS = SAMPLE_REPORTS


def _table(html: str, columns: list[str], rows: list[list[object]]) -> dict[str, object]:
    return {"text/html": html,
            TABLE_MIMETYPE: {"title": "t", "data": {"index": list(range(len(rows))),
                                                    "columns": columns, "data": rows}}}


def _finding(text: str) -> dict[str, object]:
    return {"text/html": f'<div><ul class="findings"><li>{text}</li></ul></div>'}


def test_checker_finds_a_number_cited_in_another_unit() -> None:
    # E9 shown as "−5,2 %" in the table but cited as "pkt proc." in a finding.
    table = _table("<table><thead><tr><th>E9</th></tr></thead><tbody><tr><td>−5,2\u202f%</td>"
                   "</tr></tbody></table>", ["E9"], [[-5.2]])
    assert numbers_without_source([table, _finding("E9 wynosi −5,2\u202fpkt proc.")]) == [
        ("5,2", "pkt proc.")]
    assert numbers_without_source([table, _finding("E9 wynosi −5,2\u202f%")]) == []


def test_checker_reads_units_from_headers_and_rows_and_ignores_confidence_levels() -> None:
    costs = _table("<table><thead><tr><th>Koszt [zł]</th></tr></thead><tbody><tr>"
                   "<td>1\u202f175</td></tr></tbody></table>", ["Koszt [zł]"], [[1175.0]])
    card = _table("<table><thead><tr><th>Wartość</th></tr></thead><tbody><tr><td>58,3</td></tr>"
                  "</tbody></table>", ["Wartość", "Jednostka"], [[58.3, "pkt 0–100"]])
    finding = _finding("Koszt 1\u202f175\u202fzł; zadowolenie 58,3\u202fpkt na 100 (95% przedział).")
    assert cited_numbers(finding_texts([finding])) == [("1175", "zł"), ("58,3", "pkt")]
    assert numbers_without_source([costs, card, finding]) == []
    assert numbers_without_source([card, finding]) == [("1175", "zł")]
    # A rounding that differs from the table is a different number.
    assert numbers_without_source([costs, card, _finding("zadowolenie 58\u202fpkt")]) == [
        ("58", "pkt")]


@pytest.fixture(scope="module")
def late_report_store(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store without the NGOs' 2025 reports (finance, results, beneficiaries)."""
    store = read_store(demo.store_dir)
    tables = {name: (frame[frame["year"] < 2025]
                     if name in ("finance", "results", "beneficiaries", "contributions")
                     else frame) for name, frame in store.tables().items()}
    out = tmp_path_factory.mktemp("late")
    write_store(tables, out, synthetic=True)
    return out


@pytest.mark.parametrize(("kind", "teryt", "area", "year"), REPORTS)
def test_findings_cite_only_numbers_their_tables_show(
    demo: DemoSummary, kind: str, teryt: str | None, area: str | None, year: int
) -> None:
    outputs = render_sections(kind, teryt, area, year, str(demo.store_dir))
    cited = cited_numbers(finding_texts(outputs))
    assert len(cited) >= 2, "the findings should cite numbers for the check to mean something"
    assert numbers_without_source(outputs) == []


@pytest.mark.parametrize(("kind", "teryt", "area", "year"), REPORTS)
def test_findings_cite_their_tables_when_the_current_ngo_report_is_late(
    late_report_store: Path, kind: str, teryt: str | None, area: str | None, year: int
) -> None:
    outputs = render_sections(kind, teryt, area, year, str(late_report_store))
    assert numbers_without_source(outputs) == []


def test_ex_ante_coverage_finding_reads_the_needs_table(late_report_store: Path) -> None:
    # The 2025 report is late: the finding must not say "no diagnosis" above a table showing
    # one, and cites the latest year the table has a coverage for.
    outputs = render_sections("ex_ante", "2002063", "sport", 2025, str(late_report_store))
    first = finding_texts(outputs)[0]
    assert "Brak diagnozy" not in first
    assert first.startswith("W 2024 r. usługa docierała do")


def test_ex_ante_baseline_uses_the_last_complete_year_and_says_so(
    late_report_store: Path,
) -> None:
    outputs = render_sections("ex_ante", "2002063", "sport", 2025, str(late_report_store))
    text = "\n".join(str(b.get("text/markdown") or b.get("text/html") or "") for b in outputs)
    assert "Brak sprawozdania organizacji za 2025 r." in text
    assert "liczone z roku 2024" in text
    cards = [b[TABLE_MIMETYPE] for b in outputs if TABLE_MIMETYPE in b
             and b[TABLE_MIMETYPE]["title"] == "Karta wyników"]  # type: ignore[index]
    card = pd.DataFrame(**{k: v for k, v in cards[0]["data"].items()  # type: ignore[index]
                           if k != "index"})
    e1 = card[card["Wskaźnik"].str.startswith("E1 ")]
    assert len(e1) == 1 and e1["Wartość"].notna().all(), "E1 of 2024 is the baseline"


def _raw_table(outputs: list[dict[str, object]], title: str) -> pd.DataFrame:
    found = [b[TABLE_MIMETYPE] for b in outputs if TABLE_MIMETYPE in b
             and b[TABLE_MIMETYPE]["title"] == title]  # type: ignore[index]
    assert found, title
    data = found[0]["data"]  # type: ignore[index]
    return pd.DataFrame(data["data"], columns=data["columns"])


@pytest.mark.parametrize(("area", "stage"), [("kultura", "ex_post"), ("sport", "ex_ante")])
def test_overview_shows_complaints_as_the_area_report_does(
    demo: DemoSummary, area: str, stage: str
) -> None:
    overview = render_sections("gmina_overview", "2002063", None, 2025, str(demo.store_dir))
    matrix = _raw_table(overview, "Sygnalizacja: obszary × kluczowe wskaźniki")
    area_report = render_sections(stage, "2002063", area, 2025, str(demo.store_dir))
    card = _raw_table(area_report, "Karta wyników")
    q7 = card[card["Wskaźnik"].str.startswith("Q7 ")]
    row = matrix[matrix["Obszar"].str.startswith("Sport" if area == "sport" else "Ochrona kult")]
    assert len(q7) == 1 and len(row) == 1
    assert row["Q7"].iloc[0] == pytest.approx(q7["Wartość"].iloc[0])
    assert row["Q7 — Ocena"].iloc[0] == q7["Ocena"].iloc[0]
