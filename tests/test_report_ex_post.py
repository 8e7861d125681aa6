"""Ex-post recommendation rules: continue / modify / stop, never free text."""

from __future__ import annotations

import pandas as pd
import pytest

from wkus_lib.catalog import load_catalog
from wkus_lib.domain import load_gminy
from wkus_lib.report.context import ReportContext
from wkus_lib.report.ex_post import recommendation
from wkus_lib.schemas import TABLES
from wkus_lib.store import Store


def _context(statuses: dict[str, str]) -> ReportContext:
    indicators = pd.DataFrame({
        "teryt": "2002063", "area": "kultura", "stage": "ex_post", "year": 2025,
        "indicator": list(statuses), "value": 1.0, "n": pd.NA, "ci_low": float("nan"),
        "ci_high": float("nan"), "target": 1.0, "status": list(statuses.values()),
        "suppressed": False,
    })
    empty = {name: pd.DataFrame({c: [] for c in model.to_schema().columns})
             for name, model in TABLES.items()}
    return ReportContext(
        gmina=load_gminy()["2002063"], area="kultura", stage="ex_post", year=2025,
        store=Store(**empty), indicators=indicators, catalog=load_catalog(), threshold=5,
    )


def test_poor_quality_and_poor_cost_change_means_stop() -> None:
    assert recommendation(_context({"Q1": "red", "E9": "red", "E3": "green"}))[0] == "stop"


def test_poor_quality_alone_means_modify_and_names_the_indicator() -> None:
    chosen, evidence = recommendation(_context({"Q1": "red", "E9": "green"}))
    assert chosen == "modify" and evidence == ["Q1"]


def test_three_ambers_mean_modify() -> None:
    ambers = {"Q1": "amber", "Q6": "amber", "E3": "amber", "E9": "green"}
    assert recommendation(_context(ambers))[0] == "modify"


@pytest.mark.parametrize("statuses", [
    {"Q1": "green", "Q3R": "green", "E9": "green"},
    {"Q1": "amber", "Q6": "amber", "E9": "none"},  # two ambers are not enough
])
def test_otherwise_continue(statuses: dict[str, str]) -> None:
    assert recommendation(_context(statuses)) == ("continue", [])


def test_indicators_outside_the_rule_do_not_count() -> None:
    assert recommendation(_context({"W4": "red", "E4": "red"}))[0] == "continue"
