"""E10 in the indicator table: the evaluated contract's years, the catalogue's rate, the CLI."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import pytest
from test_indicators import PS, G, _as_store, _contract, _frame, _money, _tables

from wkus_lib.catalog import load_catalog
from wkus_lib.cli import main, sroi_discount_rate
from wkus_lib.demo import DemoSummary
from wkus_lib.errors import InputError
from wkus_lib.evaluation.indicators import (
    IndicatorInputs,
    compute_indicators,
    evaluated_contract_start,
    read_sroi_outcomes,
    sroi_input_flows,
    sroi_outcomes_by_unit,
)
from wkus_lib.store import Store, read_store


def _outcome(**overrides: object) -> pd.DataFrame:
    row = {"teryt": G, "area": PS, "year": 2023, "outcome": "samodzielność", "quantity": 20,
           "proxy_value": 1000.0, "deadweight": 0.25, "displacement": 0.0, "attribution": 0.2,
           "drop_off": 0.5, "duration_years": 2}
    row.update(overrides)
    return pd.DataFrame([row])


@pytest.fixture
def store() -> Store:
    return _as_store(_tables())


def _e10(table: pd.DataFrame) -> float:
    return float(table.loc[table["indicator"] == "E10", "value"].item())


def test_e10_uses_the_catalogue_rate_and_the_guides_timing(store: Store) -> None:
    # Contract M22, 2022–2023. Inputs: 2022 = 7 200 + 800 + 1 000 + 500 + personal 500
    # = 10 000 (year 1, undiscounted); 2023 = 9 000, discounted once: 9 000 / 1.035 = 8 695.65.
    # PV(inputs) = 18 695.65. Outcomes: 12 000 in 2022, 6 000 in 2023 (drop-off 0.5):
    # 12 000 / 1.035 + 6 000 / 1.035² = 11 594.20 + 5 601.06 = 17 195.26.
    # SROI = 17 195.26 / 18 695.65 = 0.9197.
    assert load_catalog().settings.sroi.discount_rate == 0.035
    table = compute_indicators(store, sroi_outcomes=_outcome())
    assert _e10(table) == pytest.approx(17_195.26 / 18_695.65, abs=1e-5)
    # A rate given for the run replaces the catalogue's: at 0 % it is 18 000 / 19 000.
    table = compute_indicators(store, sroi_outcomes=_outcome(), sroi_discount_rate=0.0)
    assert _e10(table) == pytest.approx(18_000 / 19_000)


def test_an_outcome_starting_in_the_second_contract_year(store: Store) -> None:
    # Starts 2023, lasts 2 years: 12 000 / 1.035² + 6 000 / 1.035³ = 11 202.13 + 5 411.65
    # = 16 613.78 over the same 18 695.65 of inputs → 0.8886.
    table = compute_indicators(store, sroi_outcomes=_outcome(start_year=2023))
    assert _e10(table) == pytest.approx(16_613.78 / 18_695.65, abs=1e-5)


def test_a_contract_year_without_costs_leaves_e10_empty_not_zero() -> None:
    tables = _tables()
    finance = tables["finance"]
    tables["finance"] = finance[~((finance["contract_id"] == "M22") & (finance["year"] == 2023))]
    store = _as_store(tables)
    inputs = IndicatorInputs(store, load_catalog(), 5)
    flows = sroi_input_flows(inputs, G, PS, 2023)
    assert flows.index.tolist() == [2022, 2023]
    assert flows[2022] == 10_000.0 and pd.isna(flows[2023])
    table = compute_indicators(store, sroi_outcomes=_outcome())
    assert pd.isna(_e10(table))


def test_consecutive_contracts_evaluate_only_the_later_one() -> None:
    tables = _tables()
    later = pd.DataFrame([_contract("M24", PS, "multi_year", 2024, 2025)])
    tables["contracts"] = _frame("contracts", [*tables["contracts"].to_dict("records"),
                                               *later.to_dict("records")])
    tables["finance"] = _frame("finance", [
        *tables["finance"].to_dict("records"),
        _money("M24", 2024, "dzialania", "dotacja", 8_000, 8_000),
        _money("M24", 2025, "dzialania", "dotacja", 8_000, 8_000),
    ])
    inputs = IndicatorInputs(_as_store(tables), load_catalog(), 5)
    assert evaluated_contract_start(inputs, G, PS, 2025) == 2024
    assert evaluated_contract_start(inputs, G, PS, 2023) == 2022
    assert sroi_input_flows(inputs, G, PS, 2025).to_dict() == {2024: 8_000.0, 2025: 8_000.0}


def test_outcomes_without_a_year_go_to_the_last_ended_contract(store: Store) -> None:
    outcomes = _outcome().drop(columns="year")
    other = _outcome(teryt="2002063", area="kultura").drop(columns="year")
    kept, notes = sroi_outcomes_by_unit(pd.concat([outcomes, other]), store.contracts)
    assert kept[["teryt", "area", "year"]].to_numpy().tolist() == [[G, PS, 2023]]
    assert notes == [("Plik SROI: gmina 2002063, obszar kultura: brak umowy wieloletniej "
                     "zakończonej w tym roku; efekty pominięte.")]
    kept, notes = sroi_outcomes_by_unit(_outcome(year=2022), store.contracts)
    assert kept.empty and "rok 2022" in notes[0]
    with pytest.raises(ValueError, match="Brak kolumn teryt"):
        sroi_outcomes_by_unit(_outcome().drop(columns="teryt"), store.contracts)


def test_a_file_without_gmina_columns_is_an_input_error(tmp_path: Path, store: Store) -> None:
    path = tmp_path / "sroi.csv"
    _outcome().drop(columns=["teryt", "area"]).to_csv(path, index=False)
    with pytest.raises(InputError, match="sroi.csv"):
        read_sroi_outcomes(path, store.contracts)


def test_discount_rate_option_takes_a_share_with_a_point_or_a_comma() -> None:
    assert sroi_discount_rate("0.035") == 0.035
    assert sroi_discount_rate("0,05") == 0.05
    with pytest.raises(argparse.ArgumentTypeError, match="nie 3.5"):
        sroi_discount_rate("3.5")
    with pytest.raises(argparse.ArgumentTypeError, match="nie jest liczbą"):
        sroi_discount_rate("trzy")


SROI_CSV = (
    "teryt,area,outcome,quantity,proxy_value,deadweight,displacement,attribution,"
    "drop_off,duration_years\n"
    "2002063,kultura,udział w życiu kulturalnym,100,1000,0.2,0,0.25,0.5,2\n"
)


@pytest.mark.slow
def test_indicators_command_writes_e10_with_its_sensitivity_range(
    demo: DemoSummary, tmp_path: Path
) -> None:
    sroi_file = tmp_path / "sroi.csv"
    sroi_file.write_text(SROI_CSV, encoding="utf-8")
    out = tmp_path / "w.csv"
    common = ["indicators", "--gmina", "2002063", "--area", "kultura", "--stage", "ex_post",
              "--store", str(demo.store_dir), "--sroi-file", str(sroi_file)]
    main([*common, "--out", str(out)])
    table = pd.read_csv(out, dtype={"teryt": str})
    e10 = table[table["indicator"] == "E10"]
    assert len(e10) == 1
    row = e10.iloc[0]
    assert row["sroi_low"] <= row["value"] <= row["sroi_high"]
    assert row["sroi_low"] < row["sroi_high"]
    assert table.loc[table["indicator"] != "E10", "sroi_low"].isna().all()
    # --sroi-discount-rate 0: nothing discounted. Outcomes 100 × 1 000 × 0.8 × 1 × 0.75
    # = 60 000 zł in year 1 and 30 000 zł in year 2 (drop-off 0.5): 90 000 zł over the plain
    # sum of the contract's inputs.
    out_zero = tmp_path / "w0.csv"
    main([*common, "--sroi-discount-rate", "0", "--out", str(out_zero)])
    zero = pd.read_csv(out_zero, dtype={"teryt": str})
    zero_e10 = zero.loc[zero["indicator"] == "E10", "value"].item()
    inputs = IndicatorInputs(read_store(demo.store_dir).for_gmina("2002063"), load_catalog(), 5)
    flows = sroi_input_flows(inputs, "2002063", "kultura", int(row["year"]))
    assert zero_e10 == pytest.approx(90_000 / flows.sum())
    # at the catalogue's 3.5 %: year 1 of inputs as invested, outcomes from the end of year 1
    first = int(flows.index[0])
    expected = (60_000 / 1.035 + 30_000 / 1.035**2) / sum(
        value / 1.035 ** (year - first) for year, value in flows.items())
    assert row["value"] == pytest.approx(expected)


def test_the_report_says_which_inputs_are_discounted_and_where_the_rate_comes_from() -> None:
    from wkus_lib.report.ex_post import sroi_method_note

    note = sroi_method_note(2022, 2025, 0.035, "Green Book", catalogue_rate=0.035)
    assert "oceniana umowa 2022–2025" in note
    assert "nakłady roku 2022 liczone według wartości poniesionej (bez dyskonta)" in note
    assert "nakłady lat 2023–2025 dyskontowane" in note
    assert "zaczyna się w 2022 r." in note and "stopa 3,5 % z katalogu: Green Book" in note
    given = sroi_method_note(2024, 2024, 0.05, "Green Book", catalogue_rate=0.035)
    assert "lat" not in given.split(";")[1]  # a one-year contract: nothing discounted
    assert "stopa 5,0 % podana przy uruchomieniu (w katalogu 3,5 %: Green Book)" in given


@pytest.mark.parametrize("command", ["indicators", "report"])
def test_a_discount_rate_without_an_sroi_file_stops_with_exit_2(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = ["--out", str(tmp_path / ("w.csv" if command == "indicators" else "raporty"))]
    assert main([command, "--sroi-discount-rate", "0.05", *out]) == 2
    assert "--sroi-discount-rate bez --sroi-file" in capsys.readouterr().err
