"""Report figures: data in, a matplotlib Figure out, Polish labels.

Each function takes a tidy frame and returns a new figure; the caller shows
and closes it. Styling comes from :func:`wkus_lib.report.style.apply_figure_style`.
Text is text: every figure of :mod:`wkus_lib.report.plots.core`, :mod:`wkus_lib.report.plots.compare`
and :mod:`wkus_lib.report.plots.stages` passes through :func:`plain_text`, so a name
holding dollar signs ("Kurs $C#$ dla 20 osób") is drawn as written, never parsed
as mathematics (which fails the report or garbles the name).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Annotation, Text
from matplotlib.ticker import FixedLocator, MaxNLocator
from matplotlib.transforms import Bbox

from wkus_lib.domain import ANNUAL_GRANT, MULTI_YEAR
from wkus_lib.errors import InputError
from wkus_lib.report.style import OKABE_ITO, polish_tick_formatter
from wkus_lib.text.numbers import format_number

MODE_COLOURS = {MULTI_YEAR: OKABE_ITO[0], ANNUAL_GRANT: OKABE_ITO[1]}
MODE_LABELS = {MULTI_YEAR: "kontrakt wieloletni", ANNUAL_GRANT: "dotacja roczna"}


def require_finite(frame: pd.DataFrame, column: str, *, table: str, what: str) -> None:
    """Refuse a figure whose ``column`` holds an infinite value, naming the row it came from.

    An infinite value cannot be drawn (matplotlib fails on the axis limits), and
    a report must say which input row caused it: ``frame`` has a ``label``
    column naming each row (e.g. result id and name), ``table`` is the store
    table the value comes from and ``what`` what the value is.
    """
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    for label, value in zip(frame["label"], values, strict=True):
        if np.isinf(value):
            raise InputError(
                f"{what} dla „{label}” nie jest skończoną liczbą ({value}) – wykresu nie da "
                "się narysować",
                hint=f"Sprawdź wartości tego wiersza w tabeli {table} (np. zero albo bardzo "
                "mała liczba w mianowniku) i zaimportuj je ponownie.",
            )


def plain_text(fig: Figure) -> Figure:
    """``fig`` with every text drawn as written (titles, labels, ticks, notes, legends).

    Called last by each figure function, when every text and tick exists: math
    parsing is turned off on each text object (tick labels keep the setting when
    their text is filled in at drawing time). Returns the same figure.
    """
    for text in fig.findobj(Text):
        text.set_parse_math(False)
    return fig


YEAR_TICKS_MAX = 12
"""Up to this many years every year is labelled; beyond, whole years at a readable step."""


def year_axis(ax: Axes, years: Iterable[float]) -> None:
    """A horizontal axis of calendar years: whole years only, never two labels on one spot.

    Each year with data is a tick (labelled ``2025``, not ``2 025`` or
    ``2024,5``), the axis reaches half a year past the first and last, and
    more than :data:`YEAR_TICKS_MAX` years are labelled at a whole-year step.
    """
    shown = sorted({round(float(y)) for y in years if not pd.isna(y)})
    if not shown:
        return
    if len(shown) <= YEAR_TICKS_MAX:
        ax.xaxis.set_major_locator(FixedLocator(shown))
    else:
        ax.xaxis.set_major_locator(MaxNLocator(nbins=YEAR_TICKS_MAX, integer=True))
    ax.xaxis.set_major_formatter(lambda value, _pos: f"{value:.0f}")
    ax.set_xlim(shown[0] - 0.5, shown[-1] + 0.5)


LABEL_GROUND = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}
"""A label's white ground: a line through the label's place passes behind it."""
LABEL_ZORDER = 5
"""Labels are drawn above lines, points and bars."""


def keep_apart(
    fig: Figure,
    labels: Sequence[Annotation],
    *,
    points: Sequence[tuple[float, float]] = (),
    point_radius: float = 3.0,
    gap_points: float = 1.0,
) -> None:
    """Move point labels up, lowest first, until none overlaps another label or a point.

    ``labels`` are annotations of one axes placed with
    ``textcoords="offset points"``; ``points`` are the data points (x, y) of
    that axes, each taken as a square of ``point_radius`` points around it.
    Each label is raised just enough to clear what is already placed.
    """
    if not labels:
        return
    fig.draw_without_rendering()
    points_per_pixel = 72.0 / fig.dpi
    radius = point_radius / points_per_pixel
    axes = labels[0].axes
    assert axes is not None
    to_display = axes.transData
    placed: list[Any] = [
        Bbox.from_extents(px - radius, py - radius, px + radius, py + radius)
        for px, py in (to_display.transform((x, y)) for x, y in points)
    ]
    for label in sorted(labels, key=lambda a: (float(a.xy[1]), float(a.xy[0]))):
        for _ in range(len(labels) + 1):
            box = label.get_window_extent()
            hit = next((b for b in placed if b.overlaps(box)), None)
            if hit is None:
                break
            dx, dy = label.xyann
            label.xyann = (dx, dy + (hit.y1 - box.y0) * points_per_pixel + gap_points)
        placed.append(label.get_window_extent())


AXIS_CUT_GID = "wkus-axis-cut"
"""The id of the two strokes marking a value axis that does not start at zero."""


def mark_cut_axis(ax: Axes) -> bool:
    """Mark the horizontal value axis as cut ("//" on its left end) when it starts above zero.

    Dots and whiskers may sit on an axis that does not start at zero (their
    position, not a length, is read), but the reader must see it: two
    slanted strokes across the axis line, the usual sign of a broken axis,
    in any language. Returns whether the axis was marked.
    """
    low, high = ax.get_xlim()
    if not 0 < low < high:
        return False
    size = 0.012
    for offset in (0.0, 0.018):
        ax.plot([offset - size, offset + size], [-2 * size, 2 * size], transform=ax.transAxes,
                color="#222222", linewidth=1.1, clip_on=False, gid=AXIS_CUT_GID)
    return True


def zero_based(ax: Axes, values: Sequence[float], *, headroom: float = 0.12) -> None:
    """A value axis starting at zero, so a length or height reads as a quantity.

    Negative values extend the axis below zero; ``headroom`` leaves room
    above the highest value for its label.
    """
    finite = [float(v) for v in values if not pd.isna(v) and np.isfinite(float(v))]
    top = max([*finite, 0.0])
    bottom = min([*finite, 0.0])
    span = (top - bottom) or 1.0
    ax.set_ylim(bottom - (span * headroom if bottom < 0 else 0.0), top + span * headroom)


def scores_with_intervals(
    scores: pd.DataFrame,
    *,
    title: str,
    threshold: int = 5,
    hidden_label: str = "ukryte (mniej niż {threshold} odpowiedzi)",
    missing_label: str = "brak danych",
    xlabel: str = "wynik 0–100 (kreska: 95% przedział ufności)",
) -> Figure:
    """Horizontal bars of 0–100 scores with 95 % intervals and n.

    ``scores`` has columns ``label``, ``value``, ``ci_low``, ``ci_high``,
    ``n`` and ``suppressed``; suppressed rows show a note instead of a bar.
    """
    fig = Figure(figsize=(6.4, 0.55 * len(scores) + 1.0))
    ax = fig.subplots()
    positions = np.arange(len(scores))[::-1]
    for pos, row in zip(positions, scores.itertuples(index=False), strict=True):
        if row.suppressed or pd.isna(row.value):
            ax.text(1, pos, hidden_label.format(threshold=threshold) if row.suppressed
                    else missing_label,
                    va="center", fontsize=9, color="#555555")
            continue
        ax.barh(pos, row.value, color=OKABE_ITO[0], height=0.6)
        if not pd.isna(row.ci_low):
            ax.errorbar(row.value, pos, xerr=[[row.value - row.ci_low], [row.ci_high - row.value]],
                        fmt="none", ecolor="#222222", capsize=3, linewidth=1)
        # After the whisker, level with the bar: never over the interval's cap.
        right = row.value if pd.isna(row.ci_high) else max(row.value, row.ci_high)
        ax.text(min(right, 100) + 1.5, pos, f"{format_number(row.value, 1)} (n = {int(row.n)})",
                va="center", fontsize=8)
    ax.set_yticks(positions, [str(label) for label in scores["label"]])
    ax.set_xlim(0, 130)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return plain_text(fig)


def yearly_by_mode(
    series: pd.DataFrame,
    *,
    title: str,
    ylabel: str,
    decimals: int = 0,
    mode_labels: dict[str, str] | None = None,
    xlabel: str = "rok",
) -> Figure:
    """A yearly indicator as points and lines, coloured by contract mode.

    ``series`` has columns ``year``, ``value`` and ``mode``
    (``multi_year``/``annual_grant``).
    """
    fig = Figure()
    ax = fig.subplots()
    ordered = series.sort_values("year")
    ax.plot(ordered["year"], ordered["value"], color="#999999", linewidth=1, zorder=1)
    for mode, group in ordered.groupby("mode", sort=True):
        ax.scatter(group["year"], group["value"], color=MODE_COLOURS[str(mode)],
                   label=(mode_labels or MODE_LABELS)[str(mode)], zorder=2, s=36)
    year_axis(ax, ordered["year"])
    # A cost per client from 4 400 zł up would make a 12 % drop look like a collapse.
    zero_based(ax, list(ordered["value"]))
    ax.yaxis.set_major_formatter(polish_tick_formatter(decimals))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False, loc="best")
    return plain_text(fig)
