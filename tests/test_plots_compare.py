"""Comparison figures: pure (data in, Figure out), caller's labels, nothing hidden drawn."""

from __future__ import annotations

import io
import itertools
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from wkus_lib.report.plots import compare as plots_compare
from wkus_lib.report.style import apply_figure_style


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


def _extents(fig: Figure, items: list[Text]) -> list[Bbox]:
    """Where each text lands on the rendered figure (display coordinates)."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    return [item.get_window_extent(renderer) for item in items]


def test_a_reference_line_never_strikes_through_a_value_label() -> None:
    frame = pd.DataFrame({"label": ["Łapy", "Sopot", "Bocki"], "value": [75.1, 75.6, 80.0],
                          "low": [70.0, 71.0, 75.0], "high": [80.0, 81.0, 85.0]})
    fig = plots_compare.dot_interval_plot(frame, title="t", xlabel="x", reference=75.4,
                                          reference_label="średnia")
    ax = main_axes(fig)
    [line] = [ln for ln in ax.get_lines() if ln.get_linestyle() == "--"]
    labels = [t for t in ax.texts if t.get_text() in {"75", "76", "80"}]
    assert len(labels) == 3
    x_line = ax.transData.transform((75.4, 0))[0]
    crossed = [t for t, box in zip(labels, _extents(fig, labels), strict=True)
               if box.x0 <= x_line <= box.x1]
    assert crossed  # the data put the mean right under two labels, as in the benchmark
    for text in crossed:
        patch = text.get_bbox_patch()
        assert patch is not None and patch.get_facecolor()[:3] == (1.0, 1.0, 1.0)
        assert text.get_zorder() > line.get_zorder()


@pytest.mark.parametrize("years", [[2021, 2022, 2023, 2024, 2025],
                                   [2021.0, 2025.0], list(range(1996, 2026))])
def test_year_axes_show_whole_years_that_never_overlap(years: list[float]) -> None:
    series = pd.DataFrame({"year": years, "value": np.linspace(40, 60, len(years))})
    fig = plots_compare.index_trend(series, title="t", ylabel="y", xlabel="rok")
    ax = main_axes(fig)
    FigureCanvasAgg(fig).draw()
    low, high = ax.get_xlim()
    labels = [t for t in ax.get_xticklabels() if t.get_text() and low <= t.get_position()[0] <= high]
    shown = [t.get_text() for t in labels]
    assert all(re.fullmatch(r"(19|20)\d\d", s) for s in shown), shown
    assert len(set(shown)) == len(shown)
    if len(years) <= 12:
        assert shown == [str(int(y)) for y in years]
    boxes = sorted(_extents(fig, labels), key=lambda b: b.x0)
    assert all(a.x1 < b.x0 for a, b in itertools.pairwise(boxes))


def test_cost_per_client_axis_starts_at_zero() -> None:
    from wkus_lib.report.plots import core as plots

    series = pd.DataFrame({"year": [2021, 2022, 2023, 2024], "value": [5000.0, 4900, 4700, 4400],
                           "mode": ["annual_grant", "annual_grant", "multi_year", "multi_year"]})
    fig = plots.yearly_by_mode(series, title="E1", ylabel="zł")
    low, high = main_axes(fig).get_ylim()
    assert low == 0.0 and high > 5000
    # A 12 % drop stays a 12 % drop in bar-free height: 4400 is 88 % of 5000 on the axis too.
    assert (4400 - low) / (5000 - low) == pytest.approx(0.88)


def test_zero_based_axis_reaches_below_zero_for_negative_values() -> None:
    from wkus_lib.report.plots import core as plots

    fig = Figure()
    ax = fig.subplots()
    plots.zero_based(ax, [-30.0, 10.0, float("nan")])
    low, high = ax.get_ylim()
    assert low < -30 and high > 10


def test_funnel_labels_never_collide_with_each_other_the_points_or_the_mean_line() -> None:
    # The benchmark's data: six gminy within a few points of the pooled mean (75,7).
    points = pd.DataFrame({
        "label": ["Zabłudów", "Sopot", "Turośń Kościelna", "Sokółka", "Ciechanowiec", "Łapy"],
        "value": [75.8, 77.8, 70.1, 80.1, 73.3, 76.1], "n": [5, 6, 6, 9, 10, 11],
        "outside": [False] * 6})
    fig = plots_compare.funnel_plot(
        points, limits_grid(), 75.7, title="t", xlabel="n", ylabel="wynik",
        target_label="średnia", limit_labels={"95": "95", "998": "99,8"})
    ax = main_axes(fig)
    labels = [t for t in ax.texts if t.get_text() in set(points["label"])]
    assert len(labels) == len(points)
    boxes = _extents(fig, labels)
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1:]), labels[i].get_text()
    dots = ax.transData.transform(points[["n", "value"]].to_numpy(dtype=float))
    for label, box in zip(labels, boxes, strict=True):
        assert not any(box.x0 < x < box.x1 and box.y0 < y < box.y1 for x, y in dots), (
            label.get_text())
    [mean] = [ln for ln in ax.get_lines() if list(ln.get_ydata()) == [75.7, 75.7]]
    y_mean = ax.transData.transform((0, 75.7))[1]
    crossed = [t for t, box in zip(labels, boxes, strict=True) if box.y0 <= y_mean <= box.y1]
    for text in crossed:
        patch = text.get_bbox_patch()
        assert patch is not None and patch.get_facecolor()[:3] == (1.0, 1.0, 1.0)
        assert text.get_zorder() > mean.get_zorder()


@pytest.mark.parametrize(("values", "xlim", "cut"), [
    ([447.0, 505.0, 916.0], None, True),        # costs per client: the axis starts near 400
    ([70.1, 75.6, 80.0], (0.0, 100.0), False),  # scores on their whole 0–100 scale
    ([-30.7, -8.3, 4.9], None, False),          # changes around zero
])
def test_a_dot_axis_that_does_not_start_at_zero_says_so(
    values: list[float], xlim: tuple[float, float] | None, cut: bool
) -> None:
    from wkus_lib.report.plots.core import AXIS_CUT_GID

    frame = pd.DataFrame({"label": ["a", "b", "c"], "value": values,
                          "low": [v - 5 for v in values], "high": [v + 5 for v in values]})
    fig = plots_compare.dot_interval_plot(frame, title="t", xlabel="x", xlim=xlim)
    ax = main_axes(fig)
    marks = [ln for ln in ax.get_lines() if ln.get_gid() == AXIS_CUT_GID]
    assert len(marks) == (2 if cut else 0)
    assert (ax.get_xlim()[0] > 0) == cut
