"""Ex-post recommendation rules: continue / modify / stop, never free text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from wkus_lib.batch.params import resolve_batch
from wkus_lib.batch.runner import run_batch
from wkus_lib.catalog import load_catalog
from wkus_lib.demo import DemoSummary
from wkus_lib.domain import load_gminy
from wkus_lib.errors import InputError
from wkus_lib.evaluation.ex_post import NO_RECOMMENDATION, Recommendation, recommend
from wkus_lib.evaluation.indicators import IndicatorInputs, sroi_input_flows
from wkus_lib.metrics import sroi
from wkus_lib.metrics.sroi import OUTCOME_COLUMNS
from wkus_lib.report.context import ReportContext
from wkus_lib.report.ex_post import read_sroi_outcomes, recommendation
from wkus_lib.schemas import TABLES
from wkus_lib.store import Store, read_store
from wkus_lib.text.numbers import format_number

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _context(statuses: dict[str, str]) -> ReportContext:
    indicators = pd.DataFrame({
        "teryt": "2002063", "area": "kultura", "stage": "ex_post", "year": 2025,
        "indicator": list(statuses), "value": 1.0, "n": pd.NA, "ci_low": float("nan"),
        "ci_high": float("nan"), "target": 1.0, "status": list(statuses.values()),
        "suppressed": False,
    })
    empty = {name: pd.DataFrame({c: [] for c in model.to_schema().columns})
             for name, model in TABLES.items()}
    # The area had a multi-year contract that ended in the evaluation year.
    empty["contracts"] = pd.DataFrame({
        "contract_id": ["2002063/kultura/2022"], "teryt": ["2002063"], "area": ["kultura"],
        "ngo_name": ["Fundacja"], "title": ["Kultura"], "mode": ["multi_year"],
        "form": ["wsparcie"], "start_year": [2022], "end_year": [2025]})
    store = Store(**empty)
    return ReportContext(
        gmina=load_gminy()["2002063"], area="kultura", stage="ex_post", year=2025,
        store=store, indicators=indicators, catalog=load_catalog(), threshold=5,
        inputs=IndicatorInputs(store, load_catalog(), 5),
    )


def test_poor_quality_and_poor_cost_change_means_stop() -> None:
    assert recommendation(_context({"Q1": "red", "E9": "red", "E3": "green"})).rule == "stop"


def test_poor_quality_alone_means_modify_and_names_the_indicator() -> None:
    assert recommendation(_context({"Q1": "red", "E9": "green"})) == Recommendation(
        "modify", ("Q1",))


def test_three_ambers_mean_modify() -> None:
    ambers = {"Q1": "amber", "Q6": "amber", "E3": "amber", "E9": "green"}
    assert recommendation(_context(ambers)) == Recommendation("modify", ("Q1", "Q6", "E3"))


@pytest.mark.parametrize("statuses", [
    {"Q1": "green", "Q3R": "green", "E9": "green"},
    {"Q1": "amber", "Q6": "amber", "E9": "none"},  # two ambers are not enough
])
def test_otherwise_continue(statuses: dict[str, str]) -> None:
    assert recommendation(_context(statuses)) == Recommendation("continue")


def test_indicators_outside_the_rule_do_not_count() -> None:
    assert recommendation(_context({"Q1": "green", "W4": "red", "E4": "red"})).rule == "continue"


def test_no_key_indicator_with_a_light_gives_no_recommendation() -> None:
    # Missing data is not a reason to continue: no rated key indicator, no recommendation.
    assert recommendation(_context({"W4": "red", "Q1": "none"})).rule == NO_RECOMMENDATION


def test_an_area_that_never_had_a_multi_year_contract_gets_no_recommendation() -> None:
    ctx = _context({"Q1": "green", "E9": "green"})
    grants = ctx.store.contracts.assign(mode="annual_grant", start_year=2025)
    ctx = replace(ctx, store=replace(ctx.store, contracts=grants), shared={})
    assert recommendation(ctx) == Recommendation(NO_RECOMMENDATION)
    # The rule alone would continue: only the stage check withholds the recommendation.
    assert recommend({"Q1": "green", "E9": "green"}).rule == "continue"


SROI_CSV = (
    "teryt,area,outcome,quantity,proxy_value,deadweight,displacement,attribution,"
    "drop_off,duration_years\n"
    "2002063,kultura,udział w życiu kulturalnym,100,1000,0.2,0,0.25,0.5,2\n"
    "2013023,kultura,inna gmina,999,99999,0,0,0,0,1\n"
)


def test_sroi_outcomes_are_read_for_this_gmina_and_area_only(tmp_path: Path) -> None:
    path = tmp_path / "sroi.csv"
    path.write_text(SROI_CSV, encoding="utf-8")
    outcomes = read_sroi_outcomes(path, _context({}))
    assert list(outcomes["outcome"]) == ["udział w życiu kulturalnym"]
    assert list(outcomes.columns) == list(OUTCOME_COLUMNS)


def test_sroi_file_without_a_required_column_names_it(tmp_path: Path) -> None:
    path = tmp_path / "sroi.csv"
    path.write_text("outcome,quantity\nx,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="proxy_value"):
        read_sroi_outcomes(path, _context({}))


@pytest.mark.slow
def test_ex_post_shows_sroi_and_its_sensitivity_when_proxies_are_given(
    demo: DemoSummary, tmp_path: Path
) -> None:
    path = tmp_path / "sroi.csv"
    path.write_text(SROI_CSV, encoding="utf-8")
    spec = resolve_batch("2002063", "ex_post", "kultura", year=2025, store_dir=demo.store_dir,
                         sroi_file=path)[0]
    result = run_batch([spec], out_dir=tmp_path / "out", notebooks_dir=NOTEBOOKS, jobs=1,
                       formats=("html",), quiet=True)
    assert result.exit_code == 0, result.summary()
    html = (tmp_path / "out" / f"{spec.output_stem}.html").read_text(encoding="utf-8")
    # 100 × 1 000 × 0,8 × 1 × 0,75 = 60 000 zł in year 1, 30 000 zł in year 2 (drop-off 0,5)
    flows = sroi_input_flows(IndicatorInputs(read_store(demo.store_dir).for_gmina("2002063"),
                                             load_catalog(), 5), "2002063", "kultura", 2025)
    ratio = sroi.sroi(pd.read_csv(path).iloc[[0]], flows, discount_rate=0.035).ratio
    assert f"SROI = {format_number(ratio, 2)}" in html
    assert "Wrażliwość SROI na założenia" in html
