"""Comparison figures: pure (data in, Figure out), caller's labels, nothing hidden drawn."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from wkus_lib import plots_compare
from wkus_lib.style import apply_figure_style


@pytest.fixture(autouse=True)
def style() -> None:
    apply_figure_style()


def texts(fig: Figure) -> list[str]:
    """Every text drawn on the figure (titles, labels, annotations, legend, ticks)."""
    fig.canvas.draw()
    found = [t.get_text() for t in fig.findobj(match=lambda a: hasattr(a, "get_text"))]
    return [t for t in found if t]


def renders(fig: Figure) -> bool:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.tell() > 0


def limits_grid() -> pd.DataFrame:
    n = np.linspace(5, 30, 20)
    half = 1.96 * 20 / np.sqrt(n)
    return pd.DataFrame({"n": n, "low_95": 70 - half, "high_95": 70 + half,
                         "low_998": 70 - 1.6 * half, "high_998": 70 + 1.6 * half})


def main_axes(fig: Figure) -> Axes:
    return fig.axes[0]


def test_funnel_plot_draws_every_point_with_the_callers_labels() -> None:
    points = pd.DataFrame({"label": ["Łapy", "Mońki", "Puńsk"], "value": [60.0, 72.0, 95.0],
                           "n": [8, 12, 20], "outside": [False, False, True]})
    fig = plots_compare.funnel_plot(
        points, limits_grid(), 70.0, title="Lejek ąę", xlabel="odpowiedzi", ylabel="wynik",
        target_label="średnia", limit_labels={"95": "granice A", "998": "granice B"})
    drawn = texts(fig)
    for expected in ("Lejek ąę", "odpowiedzi", "wynik", "średnia", "granice A", "granice B",
                     "Łapy", "Mońki", "Puńsk"):
        assert expected in drawn
    offsets = np.vstack([c.get_offsets() for c in main_axes(fig).collections])
    assert sorted(offsets[:, 1].tolist()) == [60.0, 72.0, 95.0]
    assert main_axes(fig).get_ylim() == (0.0, 100.0)
    assert renders(fig)


def test_funnel_plot_labels_only_outliers_when_crowded() -> None:
    count = plots_compare.LABEL_ALL_POINTS_UP_TO + 5
    points = pd.DataFrame({"label": [f"G{i}" for i in range(count)],
                           "value": np.full(count, 70.0), "n": np.arange(count) + 5,
                           "outside": [i == 3 for i in range(count)]})
    drawn = texts(plots_compare.funnel_plot(
        points, limits_grid(), 70.0, title="t", xlabel="x", ylabel="y", target_label="m",
        limit_labels={"95": "a", "998": "b"}))
    labelled = [t for t in drawn if t.startswith("G")]
    assert labelled == ["G3"]


def test_dot_interval_plot_keeps_the_given_order_top_down() -> None:
    frame = pd.DataFrame({"label": ["najniższy", "środkowy", "najwyższy"],
                          "value": [10.0, 20.0, 30.0], "low": [5.0, np.nan, 25.0],
                          "high": [15.0, np.nan, 35.0], "group": ["multi_year", "annual_grant",
                                                                 "multi_year"]})
    fig = plots_compare.dot_interval_plot(
        frame, title="Kropki", xlabel="zł", decimals=1, reference=20.0, reference_label="śr.",
        group_labels={"multi_year": "wieloletni", "annual_grant": "roczny"})
    ax = main_axes(fig)
    ticks = {t.get_text(): t.get_position()[1] for t in ax.get_yticklabels()}
    assert ticks["najniższy"] > ticks["środkowy"] > ticks["najwyższy"]
    assert len(ax.collections) == 2  # whiskers only where both ends are known
    drawn = texts(fig)
    for expected in ("Kropki", "wieloletni", "roczny", "śr.", "10,0", "20,0", "30,0"):
        assert expected in drawn
    assert renders(fig)


def test_cooperation_bars_write_the_note_instead_of_a_missing_bar() -> None:
    frame = pd.DataFrame({"label": ["W1", "W5"], "value": [80.0, np.nan],
                          "ci_low": [np.nan, np.nan], "ci_high": [np.nan, np.nan],
                          "note": ["80,0 (n = 5)", "ukryte"]})
    fig = plots_compare.cooperation_bars(frame, title="Współpraca", xlabel="0–100", target=75.0,
                                         target_label="cel")
    ax = main_axes(fig)
    assert len(ax.patches) == 1
    drawn = texts(fig)
    assert {"Współpraca", "80,0 (n = 5)", "ukryte", "cel"} <= set(drawn)
    assert renders(fig)


def test_index_trend_marks_each_year_and_skips_hidden_values() -> None:
    series = pd.DataFrame({"year": [2021, 2022, 2023], "value": [40.0, np.nan, 61.25]})
    fig = plots_compare.index_trend(series, title="Indeks", ylabel="pkt", xlabel="rok",
                                    bands={"strefa A": (75.0, 100.0)},
                                    band_colours={"strefa A": "#009E73"})
    ax = main_axes(fig)
    assert [int(t) for t in ax.get_xticks()] == [2021, 2022, 2023]
    drawn = texts(fig)
    assert "40,0" in drawn and "strefa A" in drawn
    assert not any(t in ("nan", "—") for t in drawn)
    assert renders(fig)
