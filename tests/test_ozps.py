"""The OZPS section (art. 16a UPS): numbers recomputed from the store's raw tables,
the forecast rule, partial data, byte-stable DOCX/XLSX and the ``wkus ozps`` command."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

from wkus_lib.catalog.prices import packaged_price_index
from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.domain import load_gminy
from wkus_lib.statutory.ozps import (
    PLACEHOLDER,
    OzpsSection,
    build_ozps,
    render_docx,
    render_xlsx,
)
from wkus_lib.store import Store, read_store, table_file

YEAR = 2024
SOPOT = "2264011"  # care services on a multi-year contract 2022–2025 (powierzenie)
SOCIAL = "2008063"  # annual grants 2019–2021, then a multi-year contract 2022–2025
LAPY = "2002063"  # no social-assistance contracts at all
CPI_CSV = Path(__file__).resolve().parents[1] / "wkus_lib" / "data" / "ceny_gus_cpi.csv"


@pytest.fixture(scope="module")
def store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


@pytest.fixture(scope="module")
def raw(demo: DemoSummary) -> dict[str, pd.DataFrame]:
    """The store's tables read straight from their Parquet files with plain pandas."""
    return {name: pd.read_parquet(table_file(demo.store_dir, name))  # type: ignore[arg-type]
            for name in ("contracts", "finance", "beneficiaries")}


def section_for(store: Store, teryt: str, year: int = YEAR) -> OzpsSection:
    return build_ozps(store, load_gminy()[teryt], year, packaged_price_index())


def docx_rows(section: OzpsSection) -> list[list[str]]:
    document = docx.Document(io.BytesIO(render_docx(section)))
    assert len(document.tables) == 1
    # Numbers keep their digits and unit together with non-breaking spaces.
    return [[cell.text.replace("\u00a0", " ") for cell in row.cells]
            for row in document.tables[0].rows]


def money(text: str) -> float:
    """``1 794 337,76 zł (plan)`` → 1794337.76."""
    number = text.split(" zł")[0].replace(" ", "").replace(",", ".")
    return float(number)


def expected_amount(raw: dict[str, pd.DataFrame], contract_id: str, year: int) -> float | None:
    grant = raw["finance"][(raw["finance"]["contract_id"] == contract_id)
                           & (raw["finance"]["source"] == "dotacja")
                           & (raw["finance"]["year"] == year)]
    if grant.empty:
        return None
    if grant["actual"].notna().any():
        return float(grant["actual"].sum())
    return float(grant["planned"].sum())


@pytest.mark.parametrize("teryt", [SOPOT, SOCIAL])
def test_every_number_equals_a_pandas_computation_over_the_raw_tables(
    store: Store, raw: dict[str, pd.DataFrame], teryt: str
) -> None:
    contracts = raw["contracts"]
    chosen = contracts[(contracts["teryt"] == teryt) & (contracts["area"] == "pomoc_spoleczna")
                       & (contracts["start_year"] <= YEAR + 1)
                       & (contracts["end_year"] >= YEAR - 2)]
    chosen = chosen.sort_values(["start_year", "contract_id"])
    rows = docx_rows(section_for(store, teryt))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[:4] == ["zadanie", "realizator", "forma", "tryb"]
    assert header[4:8] == ["kwota 2022 r.", "kwota 2023 r.", "kwota 2024 r.", "prognoza 2025 r."]
    assert len(body) == len(chosen) > 0
    sums = {year: 0.0 for year in (2022, 2023, 2024, 2025)}
    clients_sum = {year: 0 for year in (2022, 2023, 2024)}
    for cells, contract in zip(body, chosen.itertuples(index=False), strict=True):
        assert cells[0] == contract.title and cells[1] == contract.ngo_name
        assert cells[2] == {"powierzanie": "powierzenie", "wspieranie": "wspieranie"}[contract.form]
        assert cells[3] == {"multi_year": "kontrakt wieloletni",
                            "annual_grant": "dotacja roczna"}[contract.mode]
        for position, year in enumerate((2022, 2023, 2024)):
            amount_cell, clients_cell = cells[4 + position], cells[8 + position]
            if not contract.start_year <= year <= contract.end_year:
                assert amount_cell == clients_cell == "—"
                continue
            amount = expected_amount(raw, contract.contract_id, year)
            assert amount is not None
            assert money(amount_cell) == pytest.approx(amount, abs=0.005)
            sums[year] += amount
            served = raw["beneficiaries"][
                (raw["beneficiaries"]["contract_id"] == contract.contract_id)
                & (raw["beneficiaries"]["year"] == year)]["clients_served"].sum()
            assert int(clients_cell.replace(" ", "")) == int(served)
            clients_sum[year] += int(served)
        if contract.end_year >= YEAR + 1:
            planned = raw["finance"][(raw["finance"]["contract_id"] == contract.contract_id)
                                     & (raw["finance"]["source"] == "dotacja")
                                     & (raw["finance"]["year"] == YEAR + 1)]["planned"].sum()
            assert cells[7].endswith("(plan)")
            assert money(cells[7]) == pytest.approx(float(planned), abs=0.005)
            sums[2025] += float(planned)
        else:
            assert cells[7] == "—"
    assert total[0] == "razem"
    for position, year in enumerate((2022, 2023, 2024, 2025)):
        assert money(total[4 + position]) == pytest.approx(sums[year], abs=0.01)
    for position, year in enumerate((2022, 2023, 2024)):
        assert int(total[8 + position].replace(" ", "")) == clients_sum[year]


def _without_finance(store: Store, contract_id: str, years: set[int]) -> Store:
    finance = store.finance
    keep = ~((finance["contract_id"] == contract_id) & finance["year"].isin(years))
    return dataclasses.replace(store, finance=finance[keep].reset_index(drop=True))


def test_without_a_plan_the_forecast_is_the_last_known_grant_in_constant_prices(
    store: Store, raw: dict[str, pd.DataFrame]
) -> None:
    contract_id = f"{SOPOT}/pomoc_spoleczna/2022"
    section = section_for(_without_finance(store, contract_id, {2024, 2025}), SOPOT)
    cells = docx_rows(section)[1]
    assert cells[6] == PLACEHOLDER  # 2024 runs, but its costs are missing
    cpi = pd.read_csv(CPI_CSV).set_index("year")["cpi_services"]
    amount_2023 = expected_amount(raw, contract_id, 2023)
    assert amount_2023 is not None
    assert cells[7].endswith("(prognoza)")
    assert money(cells[7]) == pytest.approx(amount_2023 * cpi[2024] / 100, abs=0.01)
    assert any("kwota dotacji umowy" in gap and "2024 r." in gap for gap in section.gaps)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(render_docx(section))).paragraphs)
    assert "ostatnia znana kwota dotacji w cenach stałych 2024 r." in text
    assert "Do uzupełnienia" in text


def test_a_gmina_without_social_assistance_contracts_gets_a_placeholder_and_a_gap(
    store: Store,
) -> None:
    section = section_for(store, LAPY)
    assert section.tasks == ()
    assert section.gaps and "umowy w obszarze pomocy społecznej" in section.gaps[0]
    document = docx.Document(io.BytesIO(render_docx(section)))
    assert not document.tables
    assert PLACEHOLDER in [p.text for p in document.paragraphs]


def test_no_other_gmina_reaches_the_section(store: Store) -> None:
    section = section_for(store, SOPOT)
    document = docx.Document(io.BytesIO(render_docx(section)))
    text = " ".join(c.text for row in document.tables[0].rows for c in row.cells)
    others = store.contracts[store.contracts["teryt"] != SOPOT]
    assert not [name for name in set(others["ngo_name"]) if name in text]


def test_xlsx_holds_the_same_numbers_and_formula_like_text_stays_text(store: Store) -> None:
    hostile = store.contracts.copy()
    row = (hostile["teryt"] == SOPOT) & (hostile["area"] == "pomoc_spoleczna") & (
        hostile["mode"] == "multi_year")
    hostile.loc[row, "title"] = "=HYPERLINK(\"http://example.invalid\")"
    section = section_for(dataclasses.replace(store, contracts=hostile), SOPOT)
    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(section)))["OZPS zadania zlecone"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    task = section.tasks[0]
    assert values[1][0] == task.title and sheet.cell(row=2, column=1).data_type == "s"
    assert values[1][4:7] == [task.amounts[2022], task.amounts[2023], task.amounts[2024]]
    assert values[1][8:11] == [task.clients[2022], task.clients[2023], task.clients[2024]]


def test_docx_and_xlsx_are_byte_stable(store: Store) -> None:
    first, second = section_for(store, SOPOT), section_for(store, SOPOT)
    assert render_docx(first) == render_docx(second)
    assert render_xlsx(first) == render_xlsx(second)


def test_command_writes_both_files_and_exits_1_on_partial_data(
    demo: DemoSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ozps"
    assert main(["ozps", "--gmina", "Sopot", "--year", str(YEAR),
                 "--store", str(demo.store_dir), "--out", str(out)]) == 0
    folder = out / "2264011-sopot"
    assert sorted(p.name for p in folder.iterdir()) == ["ozps_2024.docx", "ozps_2024.xlsx"]
    first = (folder / "ozps_2024.docx").read_bytes(), (folder / "ozps_2024.xlsx").read_bytes()
    assert main(["ozps", "--gmina", SOPOT, "--year", str(YEAR),
                 "--store", str(demo.store_dir), "--out", str(out)]) == 0
    assert first == ((folder / "ozps_2024.docx").read_bytes(),
                     (folder / "ozps_2024.xlsx").read_bytes())
    capsys.readouterr()
    assert main(["ozps", "--gmina", LAPY, "--year", str(YEAR),
                 "--store", str(demo.store_dir), "--out", str(out)]) == 1
    error = capsys.readouterr().err
    assert "brak danych: umowy w obszarze pomocy społecznej" in error
    assert "Traceback" not in error


@pytest.mark.parametrize(("args", "message"), [
    (["--gmina", "9999993", "--year", "2024"], "9999993"),
    (["--gmina", SOPOT, "--year", "dwa"], "nie jest rokiem"),
])
def test_bad_input_stops_with_a_polish_message(
    demo: DemoSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    args: list[str], message: str,
) -> None:
    out = tmp_path / "ozps"
    try:
        code = main(["ozps", *args, "--store", str(demo.store_dir), "--out", str(out)])
    except SystemExit as stop:  # argparse refuses a bad value before the handler runs
        code = int(stop.code or 0)
    assert code == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error
    assert not out.exists()


def test_a_year_outside_the_price_index_leaves_the_forecast_to_fill_in(store: Store) -> None:
    from wkus_lib.catalog.prices import PriceIndex

    contract_id = f"{SOPOT}/pomoc_spoleczna/2022"
    index = PriceIndex(first_year=2024, indices=(103.0,))  # price levels of 2023–2024 only
    section = build_ozps(_without_finance(store, contract_id, {2023, 2024, 2025}),
                         load_gminy()[SOPOT], YEAR, index)
    assert docx_rows(section)[1][7] == PLACEHOLDER  # last known grant: 2022, not indexed
    assert any("wskaźnik cen usług nie obejmuje" in gap for gap in section.gaps)
