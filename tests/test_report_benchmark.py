"""The benchmark report: funnel statistics, hidden gminy kept out, the notebook end to end."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from wkus_lib.batch.params import resolve_batch
from wkus_lib.batch.runner import run_batch
from wkus_lib.catalog import load_catalog
from wkus_lib.demo import DemoSummary
from wkus_lib.domain import AREA_IDS
from wkus_lib.metrics.funnel import POSITIONS, funnel_limits, funnel_positions, pooled_score
from wkus_lib.report import benchmark
from wkus_lib.store import Store, read_store

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
YEAR = 2025

# ------------------------------------------------------------ funnel limits


def test_funnel_limits_by_hand() -> None:
    # target 77.5, pooled SD 20, n = 16: standard error 20 / √16 = 5.
    # 95 %:   z = 1.959964 → half-width 9.79982  → 67.70018 … 87.29982
    # 99.8 %: z = 3.090232 → half-width 15.45116 → 62.04884 … 92.95116
    limits = funnel_limits([16], target=77.5, sd=20.0)
    row = limits.iloc[0]
    assert row["n"] == 16
    assert row["low_95"] == pytest.approx(67.70018, abs=1e-4)
    assert row["high_95"] == pytest.approx(87.29982, abs=1e-4)
    assert row["low_998"] == pytest.approx(62.04884, abs=1e-4)
    assert row["high_998"] == pytest.approx(92.95116, abs=1e-4)


def test_funnel_narrows_as_n_grows_and_is_clipped_to_the_scale() -> None:
    # n = 1: 77.5 ± 3.090232 × 20 = 77.5 ± 61.80 → 15.70 … 139.30, clipped to 100.
    # n = 100: 77.5 ± 3.090232 × 2 = 71.32 … 83.68.
    limits = funnel_limits([1, 4, 25, 100], target=77.5, sd=20.0)
    assert limits.loc[0, "high_998"] == 100.0
    assert limits.loc[0, "low_998"] == pytest.approx(15.6954, abs=1e-3)
    assert limits.loc[3, "low_998"] == pytest.approx(71.3195, abs=1e-3)
    widths = (limits["high_95"] - limits["low_95"]).to_numpy()
    assert np.all(np.diff(widths) < 0)
    unclipped = funnel_limits([1], target=77.5, sd=20.0, bounds=None)
    assert unclipped.loc[0, "high_998"] == pytest.approx(139.3046, abs=1e-3)


def test_funnel_limits_take_other_levels() -> None:
    # 90 %: z = 1.644854; n = 4, SD 10 → SE 5 → 50 ± 8.22427.
    limits = funnel_limits([4], target=50.0, sd=10.0, levels={"90": 0.90})
    assert list(limits.columns) == ["n", "low_90", "high_90"]
    assert limits.loc[0, "high_90"] == pytest.approx(58.22427, abs=1e-4)


def test_funnel_limits_refuse_zero_respondents() -> None:
    with pytest.raises(ValueError, match="dodatnia"):
        funnel_limits([0, 5], target=50.0, sd=10.0)


# ----------------------------------------------------------- pooled score


def test_pooled_mean_is_weighted_by_respondents() -> None:
    # (10 × 70 + 30 × 80) / 40 = 3100 / 40 = 77.5; both SDs 20 → pooled SD 20.
    pooled = pooled_score([70.0, 80.0], [10, 30], [20.0, 20.0])
    assert pooled.mean == pytest.approx(77.5)
    assert pooled.sd == pytest.approx(20.0)
    assert (pooled.units, pooled.respondents) == (2, 40)


def test_pooled_sd_weights_variances_by_degrees_of_freedom() -> None:
    # (9 × 10² + 18 × 20²) / (9 + 18) = (900 + 7200) / 27 = 300 → √300 = 17.3205.
    pooled = pooled_score([60.0, 90.0], [10, 19], [10.0, 20.0])
    assert pooled.sd == pytest.approx(math.sqrt(300.0))
    # (10 × 60 + 19 × 90) / 29 = 2310 / 29 = 79.6552
    assert pooled.mean == pytest.approx(2310 / 29)


def test_pooled_score_skips_incomplete_units_and_needs_two() -> None:
    pooled = pooled_score([70.0, np.nan, 80.0, 99.0], pd.array([10, 12, 30, 1], dtype="Int64"),
                          [20.0, 5.0, 20.0, np.nan])
    assert (pooled.units, pooled.mean) == (2, pytest.approx(77.5))
    with pytest.raises(ValueError, match="dwóch"):
        pooled_score([70.0, 80.0], [10, 1], [20.0, 0.0])


# -------------------------------------------------------- funnel positions


def test_positions_against_the_limits() -> None:
    # Limits at n = 16 (see test_funnel_limits_by_hand): 95 % 67.70–87.30, 99.8 % 62.05–92.95.
    values = [90.0, 95.0, 77.0, 65.0, 60.0, 50.0, np.nan]
    n = pd.array([16, 16, 16, 16, 16, 3, pd.NA], dtype="Int64")
    hidden = [False, False, False, False, False, True, False]
    positions = funnel_positions(values, n, 77.5, 20.0, hidden=hidden)
    assert positions.tolist() == [
        "above_95", "above_998", "within", "below_95", "below_998", "hidden", "missing",
    ]


def test_a_value_on_the_limit_counts_as_inside() -> None:
    edge = float(funnel_limits([16], target=77.5, sd=20.0).loc[0, "high_95"])
    assert funnel_positions([edge], [16], 77.5, 20.0).tolist() == ["within"]


def test_every_position_has_a_label() -> None:
    assert set(POSITIONS) == set(benchmark.POSITION_LABELS)


# ------------------------------------------------- on the demo store (fast)


@pytest.fixture(scope="module")
def store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


def _area_with_hidden_q1(store_dir: Path) -> benchmark.BenchmarkContext:
    """A benchmark of an area where some gmina's Q1 is hidden and at least two are shown."""
    for area in AREA_IDS:
        bctx = benchmark.open_benchmark(area, YEAR, store_dir)
        frame, pooled = benchmark.satisfaction_table(bctx)
        if frame["suppressed"].any() and pooled is not None:
            return bctx
    raise AssertionError("the demo has no area with a hidden Q1 next to published ones")


@pytest.fixture(scope="module")
def hidden_area(demo: DemoSummary) -> benchmark.BenchmarkContext:
    return _area_with_hidden_q1(demo.store_dir)


def test_hidden_gminy_keep_no_value_and_stay_out_of_the_pooled_mean(
    hidden_area: benchmark.BenchmarkContext,
) -> None:
    frame, pooled = benchmark.satisfaction_table(hidden_area)
    hidden = frame[frame["suppressed"]]
    assert hidden["value"].isna().all() and hidden["sd"].isna().all()
    assert (hidden["position"] == "hidden").all()
    shown = frame[~frame["suppressed"] & frame["value"].notna()]
    n = shown["n"].astype(float)
    assert pooled is not None
    assert pooled.mean == pytest.approx(float((shown["value"] * n).sum() / n.sum()))
    assert pooled.units == len(shown)


def test_hidden_gminy_are_not_plotted(
    hidden_area: benchmark.BenchmarkContext, monkeypatch: pytest.MonkeyPatch,
) -> None:
    plotted: dict[str, list[Any]] = {}

    def record(name: str) -> Any:
        def plot(frame: pd.DataFrame, *args: Any, **kwargs: Any) -> Figure:
            plotted.setdefault(name, []).append(list(frame["label"]))
            return Figure(figsize=(1, 1))
        return plot

    monkeypatch.setattr(benchmark.plots_compare, "funnel_plot", record("funnel"))
    monkeypatch.setattr(benchmark.plots_compare, "dot_interval_plot", record("dots"))
    benchmark.show_satisfaction(hidden_area)
    frame, _pooled = benchmark.satisfaction_table(hidden_area)
    hidden_names = set(frame.loc[frame["suppressed"], "name"])
    shown_names = set(frame.loc[~frame["suppressed"] & frame["value"].notna(), "name"])
    for labels in [*plotted["funnel"], *plotted["dots"]]:
        assert set(labels) == shown_names
        assert not hidden_names & set(labels)


def test_unit_cost_range_covers_the_year_value(hidden_area: benchmark.BenchmarkContext) -> None:
    costs = benchmark.unit_cost_table(hidden_area).dropna(subset=["value"])
    assert not costs.empty
    assert (costs["low"] <= costs["value"] + 1e-9).all()
    assert (costs["value"] <= costs["high"] + 1e-9).all()
    assert costs["value"].is_monotonic_increasing


def test_an_area_no_gmina_funds_gives_empty_tables_not_errors(
    demo: DemoSummary, store: Store,
) -> None:
    active = store.contracts[(store.contracts["start_year"] <= YEAR)
                             & (store.contracts["end_year"] >= YEAR)]
    unfunded = [a for a in AREA_IDS if a not in set(active["area"])]
    if not unfunded:
        pytest.skip("every area is funded in the demo year")
    bctx = benchmark.open_benchmark(unfunded[0], YEAR, demo.store_dir)
    frame, pooled = benchmark.satisfaction_table(bctx)
    assert frame.empty and pooled is None
    assert benchmark.unit_cost_table(bctx).empty
    assert benchmark.findings(bctx) == []


def test_open_benchmark_refuses_an_unknown_area(demo: DemoSummary) -> None:
    with pytest.raises(Exception, match="Nieznany obszar"):
        benchmark.open_benchmark("nie_ma", YEAR, demo.store_dir)


# --------------------------------------------------- the notebook (slow)


def client_satisfaction(store: Store, teryt: str, area: str, year: int) -> tuple[float, int]:
    """Q1 straight from the answers: reverse-code, respondent mean (≥ half the items), 0–100."""
    items = load_catalog().survey_items()
    spec = load_catalog().indicator("Q1")
    chosen = items[(items["instrument"] == "klient") & (items["criterion"] == spec.criterion)]
    answers = store.survey_responses
    answers = answers[(answers["teryt"] == teryt) & (answers["area"] == area)
                      & (answers["year"] == year) & (answers["instrument"] == "klient")
                      & answers["item_id"].isin(chosen["item_id"])]
    reverse = dict(zip(chosen["item_id"], chosen["reverse"], strict=True))
    scores = []
    for _respondent, group in answers.groupby("respondent_id"):
        given = group.dropna(subset=["answer"])
        if len(given) < 0.5 * len(chosen):
            continue
        coded = [6 - a if reverse[i] else a for i, a in zip(given["item_id"], given["answer"],
                                                             strict=True)]
        scores.append((sum(coded) / len(coded) - 1) / 4 * 100)
    return sum(scores) / len(scores), len(scores)


def polish(value: float, decimals: int) -> set[str]:
    """The Polish text of ``value`` (both roundings when it sits on a rounding edge)."""
    return {f"{v:,.{decimals}f}".replace(",", "\u00a0").replace(".", ",")
            for v in (value - 1e-9, value + 1e-9)}


@pytest.fixture(scope="module")
def benchmark_html(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> str:
    area = "pomoc_spoleczna"
    specs = resolve_batch("all", "benchmark", area, year=YEAR, store_dir=demo.store_dir)
    assert len(specs) == 1
    out_dir = tmp_path_factory.mktemp("benchmark_reports")
    result = run_batch(specs, out_dir=out_dir, notebooks_dir=NOTEBOOKS, jobs=1,
                       formats=("html",), quiet=True)
    assert result.exit_code == 0, result.summary()
    return (out_dir / f"{specs[0].output_stem}.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_benchmark_notebook_shows_an_independent_q1_in_polish_format(
    benchmark_html: str, store: Store,
) -> None:
    area = "pomoc_spoleczna"
    active = store.contracts[(store.contracts["area"] == area)
                            & (store.contracts["start_year"] <= YEAR)
                            & (store.contracts["end_year"] >= YEAR)]
    shown = []
    for teryt in sorted(set(active["teryt"])):
        value, n = client_satisfaction(store, teryt, area, YEAR)
        if n >= 5:
            shown.append(value)
    assert shown
    for value in shown:
        assert any(f">{text}<" in benchmark_html for text in polish(value, 1)), value
    assert "Porównanie gmin" in benchmark_html
    assert "DANE SYNTETYCZNE" in benchmark_html
    assert "Położenie względem lejka" in benchmark_html
    assert "Traceback" not in benchmark_html


@pytest.mark.slow
def test_benchmark_table_has_no_rank_column(benchmark_html: str) -> None:
    lowered = benchmark_html.lower()
    for word in ("ranking</th>", "miejsce</th>", "pozycja</th>"):
        assert word not in lowered
