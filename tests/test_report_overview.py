"""The gmina overview: contract modes, the traffic-light matrix, findings, privacy, the notebook."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from report_checks import other_gminas_in

from wkus_lib.batch.params import resolve_batch
from wkus_lib.batch.runner import run_batch
from wkus_lib.demo import DemoSummary
from wkus_lib.evaluation.contracts import contract_modes
from wkus_lib.report import open_report, overview
from wkus_lib.report.overview import traffic_light_matrix
from wkus_lib.store import Store, read_store

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
YEAR = 2025
TERYT = "2002063"  # Łapy


def contract(teryt: str, area: str, mode: str, start: int, end: int) -> dict[str, object]:
    return {"contract_id": f"{teryt}/{area}/{start}/{mode}", "teryt": teryt, "area": area,
            "ngo_name": "X", "title": "T", "mode": mode, "form": "wspieranie",
            "start_year": start, "end_year": end}


# ------------------------------------------------------------ contract modes


def test_contract_modes_multi_year_wins_and_areas_follow_domain_order() -> None:
    contracts = pd.DataFrame([
        contract("2002063", "sport", "annual_grant", 2025, 2025),
        contract("2002063", "edukacja", "annual_grant", 2025, 2025),
        contract("2002063", "edukacja", "multi_year", 2022, 2025),
        contract("2002063", "kultura", "annual_grant", 2024, 2024),  # not active in 2025
        contract("2002063", "pomoc_spoleczna", "multi_year", 2023, 2026),
    ])
    modes = contract_modes(contracts, 2025)
    assert modes["area"].tolist() == ["edukacja", "pomoc_spoleczna", "sport"]
    assert modes["mode"].tolist() == ["multi_year", "multi_year", "annual_grant"]
    assert modes[["start_year", "end_year"]].to_numpy().tolist() == [
        [2022, 2025], [2023, 2026], [2025, 2025]]


# ----------------------------------------------------- traffic-light matrix


def indicator_row(area: str | None, stage: str, year: int, indicator: str, value: float,
                  status: str, *, n: int | None = None, suppressed: bool = False
                  ) -> dict[str, object]:
    return {"teryt": TERYT, "area": area, "stage": stage, "year": year, "indicator": indicator,
            "value": np.nan if suppressed else value, "n": n, "ci_low": np.nan,
            "ci_high": np.nan, "target": np.nan, "status": status, "suppressed": suppressed}


@pytest.fixture
def small_table() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [
        # edukacja: multi-year contract ending in 2025 → on_going and ex_post rows (same values).
        indicator_row("edukacja", "on_going", 2025, "Q1", np.nan, "none", n=3, suppressed=True),
        indicator_row("edukacja", "ex_post", 2025, "Q1", np.nan, "none", n=3, suppressed=True),
        indicator_row("edukacja", "on_going", 2025, "E4", 14.6, "amber"),
        indicator_row("edukacja", "ex_post", 2025, "E4", 14.6, "amber"),
        indicator_row("edukacja", "ex_post", 2025, "E9", -30.0, "green"),
        # sport: annual grants, no E9 row at all; a row of another year must not leak in.
        indicator_row("sport", "ex_ante", 2025, "Q1", 62.0, "amber", n=8),
        indicator_row("sport", "ex_ante", 2025, "E4", 20.0, "red"),
        indicator_row("sport", "ex_ante", 2024, "E4", 5.0, "green"),
        # a gmina-level row is not an area
        indicator_row(None, "ex_ante", 2025, "WC", 61.0, "amber", n=6),
    ]
    table = pd.DataFrame(rows).astype({"n": "Int64"})
    modes = pd.DataFrame({"teryt": [TERYT, TERYT], "area": ["edukacja", "sport"],
                          "mode": ["multi_year", "annual_grant"], "start_year": [2022, 2025],
                          "end_year": [2025, 2025]})
    return table, modes


def test_matrix_has_one_row_per_area_and_indicator_in_order(
    small_table: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    table, modes = small_table
    matrix = traffic_light_matrix(table, modes, 2025, ["Q1", "E4", "E9"])
    assert list(zip(matrix["area"], matrix["indicator"], strict=True)) == [
        ("edukacja", "Q1"), ("edukacja", "E4"), ("edukacja", "E9"),
        ("sport", "Q1"), ("sport", "E4"), ("sport", "E9"),
    ]
    assert tuple(matrix.columns) == overview.MATRIX_COLUMNS


def test_matrix_keeps_status_value_and_mode_of_the_year(
    small_table: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    table, modes = small_table
    cells = traffic_light_matrix(table, modes, 2025, ["Q1", "E4", "E9"]).set_index(
        ["area", "indicator"])
    assert cells.loc[("sport", "E4"), "value"] == 20.0  # 2025, not 2024
    assert cells.loc[("sport", "E4"), "status"] == "red"
    assert cells.loc[("sport", "Q1"), "n"] == 8
    assert cells.loc[("edukacja", "E9"), "status"] == "green"
    assert cells.loc[("edukacja", "E9"), "mode"] == "multi_year"


def test_matrix_marks_missing_indicators_not_applicable(
    small_table: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    table, modes = small_table
    cells = traffic_light_matrix(table, modes, 2025, ["Q1", "E4", "E9"]).set_index(
        ["area", "indicator"])
    sport_e9 = cells.loc[("sport", "E9")]
    assert not sport_e9["applicable"]
    assert sport_e9["status"] == "none" and np.isnan(sport_e9["value"])
    assert cells.loc[("edukacja", "E9"), "applicable"]


def test_matrix_keeps_suppressed_cells_hidden(
    small_table: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    table, modes = small_table
    cell = traffic_light_matrix(table, modes, 2025, ["Q1"]).set_index(
        ["area", "indicator"]).loc[("edukacja", "Q1")]
    assert cell["suppressed"] and np.isnan(cell["value"]) and cell["status"] == "none"
    markup = overview.matrix_cell(cell, "pkt 0–100", threshold=5)
    assert "ukryte" in markup and "n &lt; 5" in markup
    assert "tl-" not in markup


def test_matrix_cell_shows_status_as_text_not_symbols(
    small_table: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    table, modes = small_table
    cell = traffic_light_matrix(table, modes, 2025, ["E4"]).set_index(
        ["area", "indicator"]).loc[("sport", "E4")]
    markup = overview.matrix_cell(cell, "%", threshold=5)
    assert '<span class="tl tl-red">źle</span>' in markup
    assert "20,0" in markup
    assert not set("✔▲✖") & set(markup)


def test_cooperation_rows_are_gmina_level_one_per_year(
    small_table: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    table, _modes = small_table
    rows = overview.cooperation_rows(table)
    assert rows["indicator"].tolist() == ["WC"] and rows["area"].isna().all()


# ------------------------------------------------------ on the demo store


@pytest.fixture(scope="module")
def store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


def test_findings_follow_the_matrix(demo: DemoSummary) -> None:
    ctx = open_report(TERYT, None, "gmina_overview", YEAR, demo.store_dir)
    matrix = traffic_light_matrix(ctx.indicators, contract_modes(ctx.store.contracts, YEAR),
                                  YEAR)
    found = overview.findings(ctx)
    assert 3 <= len(found) <= overview.MAX_FINDINGS
    counts = matrix["status"].value_counts()
    assert f"„dobrze” — {int(counts.get('green', 0))}," in found[0]
    assert f"„źle” — {int(counts.get('red', 0))}." in found[0]


# ------------------------------------------- the notebook and privacy (slow)


def budget_execution(store: Store, teryt: str, area: str, year: int) -> float:
    """E3 straight from the finance rows: actual / every planned line, × 100."""
    ids = store.contracts.loc[(store.contracts["teryt"] == teryt)
                              & (store.contracts["area"] == area), "contract_id"]
    lines = store.finance[store.finance["contract_id"].isin(ids)
                          & (store.finance["year"] == year)]
    return float(lines["actual"].sum() / lines["planned"].sum() * 100)


def polish(value: float, decimals: int) -> set[str]:
    """The Polish text of ``value`` (both roundings when it sits on a rounding edge)."""
    return {f"{v:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
            for v in (value - 1e-9, value + 1e-9)}


@pytest.fixture(scope="module")
def overview_html(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> str:
    specs = resolve_batch(TERYT, "gmina_overview", year=YEAR, store_dir=demo.store_dir)
    assert len(specs) == 1
    out_dir = tmp_path_factory.mktemp("overview_reports")
    result = run_batch(specs, out_dir=out_dir, notebooks_dir=NOTEBOOKS, jobs=1,
                       formats=("html",), quiet=True)
    assert result.exit_code == 0, result.summary()
    return (out_dir / f"{specs[0].output_stem}.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_overview_notebook_shows_an_independent_value_in_polish_format(
    overview_html: str, store: Store,
) -> None:
    modes = contract_modes(store.contracts, YEAR)
    areas = modes.loc[modes["teryt"] == TERYT, "area"].tolist()
    assert areas
    for area in areas:
        expected = {f"{text}\u00a0%" for text in polish(budget_execution(store, TERYT, area, YEAR),
                                                         1)}
        assert any(text in overview_html for text in expected), (area, expected)
    assert "Przegląd gminy: wszystkie obszary" in overview_html
    assert "DANE SYNTETYCZNE" in overview_html
    assert overview_html.count('class="wkus-table tl-matrix"') == 1
    assert "Traceback" not in overview_html


@pytest.mark.slow
def test_overview_of_one_gmina_names_no_other_gmina(overview_html: str, store: Store) -> None:
    assert not other_gminas_in(overview_html, TERYT, store.contracts)
