"""Acceptance: an ex-post report of a contract 2021–2024 shows nominal and real unit costs,
the E3 flag of an unreported line, E8 without a contest cost as brak danych, and the annex
names the price base.

One gmina (2013023): ``pomoc_spoleczna`` on annual grants 2019–2020, then a multi-year
contract 2021–2024; ``sport`` on annual grants 2019–2024 (the comparison area).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from report_checks import output_text, render_sections

from wkus_lib.catalog import load_catalog
from wkus_lib.evaluation.indicators import compute_indicators
from wkus_lib.schemas import TABLES
from wkus_lib.store import read_store, write_store

G = "2013023"
PS = "pomoc_spoleczna"
CLIENTS = 50


def _frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    columns = list(TABLES[name].to_schema().columns)
    frame = pd.DataFrame(rows, columns=columns) if rows else pd.DataFrame(
        {c: pd.Series(dtype=object) for c in columns})
    return TABLES[name].validate(frame)


def _contract(cid: str, area: str, mode: str, start: int, end: int) -> dict[str, Any]:
    return {"contract_id": cid, "teryt": G, "area": area, "ngo_name": "Fundacja",
            "title": "Usługi", "mode": mode, "form": "wspieranie", "start_year": start,
            "end_year": end}


def _money(cid: str, year: int, planned: float, actual: float | None,
           source: str = "dotacja") -> dict[str, Any]:
    return {"contract_id": cid, "year": year, "category": "dzialania", "source": source,
            "planned": planned, "actual": actual}


# Nominal cost of pomoc społeczna per year (50 clients each): 2019–2020 10 000 zł, then
# 2021 11 000, 2022 12 000, 2023 13 000, 2024 13 500.
PS_COST = {2019: 10_000.0, 2020: 10_000.0, 2021: 11_000.0, 2022: 12_000.0, 2023: 13_000.0,
           2024: 13_500.0}
SPORT_COST = {2019: 5_000.0, 2020: 5_000.0, 2021: 5_300.0, 2022: 5_800.0, 2023: 6_400.0,
              2024: 6_800.0}


def _tables(later: bool = False) -> dict[str, pd.DataFrame]:
    contracts = [_contract(f"A{y}", PS, "annual_grant", y, y) for y in (2019, 2020)]
    contracts.append(_contract("M21", PS, "multi_year", 2021, 2024))
    contracts += [_contract(f"S{y}", "sport", "annual_grant", y, y) for y in SPORT_COST]
    finance = [_money("M21" if y >= 2021 else f"A{y}", y, cost, cost)
               for y, cost in PS_COST.items()]
    # 2024: an own-funds line of 500 zł planned, its actual cost not reported
    finance.append(_money("M21", 2024, 500.0, None, source="srodki_wlasne"))
    finance += [_money(f"S{y}", y, cost, cost) for y, cost in SPORT_COST.items()]
    people = [{"contract_id": "M21" if y >= 2021 else f"A{y}", "year": y,
               "clients_served": CLIENTS, "service_hours": 1000.0, "complaints": 0,
               "staff_count": 4, "staff_left": 0} for y in PS_COST]
    people += [{"contract_id": f"S{y}", "year": y, "clients_served": CLIENTS,
                "service_hours": 500.0, "complaints": 0, "staff_count": 2, "staff_left": 0}
               for y in SPORT_COST]
    # contest costs 2021–2023 only: 2024 has none
    procedure = [{"teryt": G, "year": y, "contest_staff_hours": 40.0, "hourly_rate": 60.0,
                  "other_costs": 600.0} for y in (2021, 2022, 2023)]
    if later:  # a later contract of sport and later years: must not move the 2024 ex post
        contracts.append(_contract("S25", "sport", "multi_year", 2025, 2027))
        finance.append(_money("S25", 2025, 1_000.0, 1_000.0))
        people.append({"contract_id": "S25", "year": 2025, "clients_served": 10,
                       "service_hours": 10.0, "complaints": 0, "staff_count": 1,
                       "staff_left": 0})
    rows = {"contracts": contracts, "finance": finance, "beneficiaries": people,
            "procedure_costs": procedure}
    return {name: _frame(name, rows.get(name, [])) for name in TABLES}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ceny") / "store"
    write_store(_tables(), folder, synthetic=False)
    return folder


@pytest.fixture(scope="module")
def report_text(store_dir: Path) -> str:
    return output_text(render_sections("ex_post", G, PS, 2024, str(store_dir)))


def _e9(tables: dict[str, pd.DataFrame]) -> float:
    folder_tables = compute_indicators(_as_store(tables))
    row = folder_tables[(folder_tables["indicator"] == "E9") & (folder_tables["area"] == PS)
                        & (folder_tables["stage"] == "ex_post")]
    return float(row["value"].item())


def _as_store(tables: dict[str, pd.DataFrame]) -> Any:
    from wkus_lib.store import Store
    return Store(**tables)


def test_e9_is_hand_worked_in_constant_2024_prices() -> None:
    # GUS services index: 2020 106.9, 2021 106.8, 2022 111.2, 2023 111.2, 2024 106.6.
    # Price level against 2024 (factor to 2024 prices):
    #   2024 1; 2023 1.066; 2022 1.066 × 1.112 = 1.185392; 2021 × 1.112 = 1.318156;
    #   2020 × 1.068 = 1.407790; 2019 × 1.069 = 1.504928.
    # pomoc społeczna unit cost (÷ 50): 2019 200 → 300.986, 2020 200 → 281.558;
    #   before = 291.272; 2021 220 → 289.994, 2022 240 → 284.494, 2023 260 → 277.16,
    #   2024 270 (13 500; the unreported line adds nothing spent) → after = 280.412
    #   → 280.412 / 291.272 − 1 = −3.7285 %
    # sport: 2019, 2020 100 → 150.493, 140.779 → before 145.636; 2021 106 → 139.725,
    #   2022 116 → 137.505, 2023 128 → 136.448, 2024 136 → after 137.420
    #   → 137.420 / 145.636 − 1 = −5.6415 %
    # E9 = −3.7285 − (−5.6415) = +1.913 %   (nominal: own +17.5 %, sport +23.0 %: −5.5 %)
    assert _e9(_tables()) == pytest.approx(1.913, abs=0.002)


def test_a_later_contract_and_later_years_leave_the_published_e9_unchanged() -> None:
    assert _e9(_tables(later=True)) == _e9(_tables())


def test_e3_counts_the_unreported_line_and_e8_without_a_contest_cost_is_missing() -> None:
    table = compute_indicators(_as_store(_tables()))

    def value(indicator: str, year: int, stage: str = "on_going") -> float:
        rows = table[(table["indicator"] == indicator) & (table["area"] == PS)
                     & (table["year"] == year) & (table["stage"] == stage)]
        return float(rows["value"].item())

    # 2024: 13 500 spent / (13 500 + 500 planned, not reported) = 96.43 %, not 100 %
    assert value("E3", 2024) == pytest.approx(13_500 / 14_000 * 100)
    # E8 2024: a contest avoided, no contest cost that year → brak danych (NaN), and so the
    # ex-post sum 2021–2024; 2022: 1 × (40 × 60 + 600) = 3 000 zł
    assert value("E8", 2022) == 3000.0
    assert pd.isna(value("E8", 2024)) and pd.isna(value("E8", 2024, "ex_post"))


def test_report_shows_nominal_and_real_unit_costs(report_text: str) -> None:
    assert "Koszt jednostkowy, ceny bieżące [zł]" in report_text
    assert "Koszt jednostkowy, ceny stałe 2024 r. [zł]" in report_text
    # 2019: 200 zł nominal = 301 zł in 2024 prices (200 × 1.504928)
    assert "200" in report_text and "301" in report_text
    assert "Koszt jednostkowy, ceny stałe" in report_text
    assert "(ceny stałe 2024 r.)" in report_text
    assert ("Porównujemy lata dotacji rocznych przed ocenianym kontraktem (2019–2020) z latami "
            "tego kontraktu (2021–2024)") in report_text


def test_annex_names_the_price_index_and_base_year(report_text: str) -> None:
    assert "Ceny stałe: kwoty z różnych lat porównujemy w cenach 2024 r." in report_text
    assert "wskaźnikiem cen usług konsumpcyjnych GUS" in report_text
    assert "lata 2016–2024" in report_text


def test_report_flags_the_unreported_line(report_text: str) -> None:
    assert "Pozycje planu bez kosztu poniesionego" in report_text


def test_store_round_trip_keeps_the_missing_actual(store_dir: Path) -> None:
    finance = read_store(store_dir).finance
    assert finance["actual"].isna().sum() == 1
    assert load_catalog().price_index.last_year == 2024


def _consecutive() -> dict[str, pd.DataFrame]:
    """As :func:`_tables`, but two consecutive contracts: M21 2021–2022 and M23 2023–2024,
    and a contest cost in every year 2021–2024."""
    tables = _tables()
    contracts = tables["contracts"]
    contracts = pd.concat([
        contracts[contracts["contract_id"] != "M21"],
        pd.DataFrame([_contract("M21", PS, "multi_year", 2021, 2022),
                      _contract("M23", PS, "multi_year", 2023, 2024)]),
    ], ignore_index=True)
    out = {**tables, "contracts": _frame("contracts", contracts.to_dict("records"))}
    for name in ("finance", "beneficiaries"):
        frame = tables[name].copy()
        frame.loc[(frame["contract_id"] == "M21") & (frame["year"] >= 2023), "contract_id"] = "M23"
        out[name] = _frame(name, frame.to_dict("records"))
    out["procedure_costs"] = _frame("procedure_costs", [
        {"teryt": G, "year": y, "contest_staff_hours": 40.0, "hourly_rate": 60.0,
         "other_costs": 600.0} for y in (2021, 2022, 2023, 2024)])
    return out


def test_consecutive_contracts_e8_and_e9_cover_the_same_evaluated_contract() -> None:
    table = compute_indicators(_as_store(_consecutive()))
    ex_post = table[(table["stage"] == "ex_post") & (table["area"] == PS)].set_index(
        ["indicator", "year"])["value"]
    # E8, contest 40 × 60 + 600 = 3 000 zł: M21 2021 held (0) + 2022 avoided (3 000);
    # M23 2023 held (0) + 2024 avoided (3 000) — each contract alone, never 6 000
    assert ex_post[("E8", 2022)] == 3000.0 and ex_post[("E8", 2024)] == 3000.0
    # E9 of M23 (2023–2024), in 2024 prices: before = the annual years before it, 2019–2020
    # (2021–2022 were M21, not annual): (300.986 + 281.558) / 2 = 291.272;
    # after (260 × 1.066 + 270) / 2 = 273.58 → −6.0740 %;
    # sport over the same years: 145.636 → (128 × 1.066 + 136) / 2 = 136.224 → −6.4626 %
    # E9 = −6.0740 − (−6.4626) = +0.389 %
    assert ex_post[("E9", 2024)] == pytest.approx(0.389, abs=0.001)
    # E9 of M21 (2021–2022): after (289.994 + 284.494) / 2 = 287.244 → −1.3828 %;
    # sport (139.725 + 137.505) / 2 = 138.615 → −4.8209 % → E9 = +3.438 %
    assert ex_post[("E9", 2022)] == pytest.approx(3.438, abs=0.001)


def test_report_names_the_year_without_a_contest_cost(report_text: str) -> None:
    # contest costs exist for 2021–2023 only: E8 of the 2021–2024 contract is brak danych
    assert "koszt konkursu (kalkulacja gminy) za 2024 r." in report_text
    assert "nie średnia z innych lat" in report_text
