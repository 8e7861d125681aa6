"""Comparison figures: funnel plots, dot-and-interval plots, cooperation bars and trends.

Pure: data in, a new matplotlib :class:`~matplotlib.figure.Figure` out. Every
text on a figure (titles, axis and legend labels, notes) is passed by the
caller, already translated; nothing here reads the report language, the
store or the catalogue. The caller shows the figure
(:func:`wkus_lib.report.display.show_figure`). Styling comes from
:func:`wkus_lib.report.style.apply_figure_style`; colours from the Okabe–Ito palette,
and every colour is repeated by a text label, a line style or a marker.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from wkus_lib.report.plots.core import (
    LABEL_GROUND,
    LABEL_ZORDER,
    keep_apart,
    mark_cut_axis,
    plain_text,
    year_axis,
)
from wkus_lib.report.style import OKABE_ITO, polish_tick_formatter
from wkus_lib.text.numbers import format_number

POINT_COLOUR = OKABE_ITO[0]
LIMIT_COLOURS = {"95": "#555555", "998": "#222222"}
LIMIT_STYLES = {"95": "--", "998": ":"}
GROUP_MARKERS = ("o", "s", "D", "^")
LABEL_ALL_POINTS_UP_TO = 15
"""Funnel points are all labelled up to this many gminy, otherwise only those outside."""


def _floats(column: pd.Series) -> list[float]:
    """A column as plain floats (NA → nan), for drawing one element at a time."""
    return [float(v) for v in column.to_numpy(dtype=float, na_value=np.nan)]


def funnel_plot(
    points: pd.DataFrame,
    limits: pd.DataFrame,
    target: float,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    target_label: str,
    limit_labels: Mapping[str, str],
    ylim: tuple[float, float] = (0.0, 100.0),
) -> Figure:
    """A funnel plot: each gmina's score against its number of respondents.

    Parameters
    ----------
    points
        One row per published gmina: ``label``, ``value``, ``n`` and
        ``outside`` (bool, outside the 95 % limits; those are always
        labelled). Hidden (suppressed) gminy must not be passed.
    limits
        Control limits on a grid of ``n``: columns ``n``, ``low_95``,
        ``high_95``, ``low_998``, ``high_998`` (see
        :func:`wkus_lib.report.benchmark.funnel_limits`).
    target
        The pooled mean the funnel is centred on.
    limit_labels
        Legend texts for the keys ``"95"`` and ``"998"``.
    """
    fig = Figure(figsize=(6.6, 4.4), layout="constrained")
    ax = fig.subplots()
    grid = limits.sort_values("n")
    for key in ("998", "95"):
        ax.plot(grid["n"], grid[f"high_{key}"], color=LIMIT_COLOURS[key],
                linestyle=LIMIT_STYLES[key], linewidth=1.1, label=limit_labels[key])
        ax.plot(grid["n"], grid[f"low_{key}"], color=LIMIT_COLOURS[key],
                linestyle=LIMIT_STYLES[key], linewidth=1.1)
    ax.axhline(target, color=OKABE_ITO[2], linewidth=1.2, label=target_label)
    outside = points["outside"].to_numpy(dtype=bool)
    ax.scatter(points["n"][~outside], points["value"][~outside], s=34, color=POINT_COLOUR,
               edgecolor="white", linewidth=0.5, zorder=3)
    ax.scatter(points["n"][outside], points["value"][outside], s=46, color=OKABE_ITO[5],
               marker="D", edgecolor="white", linewidth=0.5, zorder=3)
    label_all = len(points) <= LABEL_ALL_POINTS_UP_TO
    xs, ys = _floats(points["n"]), _floats(points["value"])
    labels = [ax.annotate(str(label), (x, y), xytext=(4, 3), textcoords="offset points",
                          fontsize=7.5, color="#222222", zorder=LABEL_ZORDER, bbox=LABEL_GROUND)
              for label, x, y, out in zip(points["label"], xs, ys, outside, strict=True)
              if label_all or out]
    ax.set_ylim(*ylim)
    ax.set_xlim(0, max(max(_floats(grid["n"])), max(xs, default=0.0) * 1.1 + 1))
    ax.yaxis.set_major_formatter(polish_tick_formatter(0))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    fig.legend(frameon=False, loc="outside lower center", fontsize=8, ncol=3)
    keep_apart(fig, labels, points=list(zip(xs, ys, strict=True)))
    return plain_text(fig)


def dot_interval_plot(
    frame: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    group_labels: Mapping[str, str] | None = None,
    reference: float | None = None,
    reference_label: str | None = None,
    decimals: int = 0,
    xlim: tuple[float, float] | None = None,
    value_unit: str = "",
) -> Figure:
    """Dots with interval whiskers, one row per gmina, in the order given (sort first).

    ``frame`` has ``label``, ``value``, ``low``, ``high`` (NaN: no whisker)
    and optionally ``group`` (a key of ``group_labels``: colour and marker,
    with a legend). Each dot is labelled with its value in Polish format.
    ``reference`` draws a vertical line (a pooled mean, or 0 for changes).
    """
    fig = Figure(figsize=(6.6, max(0.32 * len(frame) + 1.5, 2.4)), layout="constrained")
    ax = fig.subplots()
    positions = np.arange(len(frame))[::-1]
    groups = list(group_labels) if group_labels else []
    style = {g: (OKABE_ITO[i % len(OKABE_ITO)], GROUP_MARKERS[i % len(GROUP_MARKERS)])
             for i, g in enumerate(groups)}
    has_group = "group" in frame.columns and bool(groups)
    keys = [str(g) for g in frame["group"]] if has_group else [""] * len(frame)
    for pos, key, value, low, high in zip(positions, keys, _floats(frame["value"]),
                                          _floats(frame["low"]), _floats(frame["high"]),
                                          strict=True):
        colour, marker = style.get(key, (POINT_COLOUR, "o"))
        if not (np.isnan(low) or np.isnan(high)):
            ax.hlines(pos, low, high, color=colour, linewidth=1.6, alpha=0.8)
        ax.plot([value], [pos], marker=marker, color=colour, markersize=6, linestyle="none")
        # On a white ground above everything else: a reference line through the
        # label's place passes behind it instead of striking the number out.
        ax.annotate(format_number(value, decimals, unit=value_unit), (value, pos),
                    xytext=(0, 5), textcoords="offset points", ha="center", fontsize=7,
                    color="#333333", zorder=LABEL_ZORDER, bbox=LABEL_GROUND)
    if reference is not None:
        ax.axvline(reference, color="#777777", linewidth=1, linestyle="--", zorder=0)
    ax.set_yticks(positions, [str(label) for label in frame["label"]])
    ax.set_ylim(-0.7, len(frame) - 0.3)
    if xlim is not None:
        ax.set_xlim(*xlim)
    mark_cut_axis(ax)  # e.g. costs per client from 400 zł: the axis says it is cut
    ax.xaxis.set_major_formatter(polish_tick_formatter(0))
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    handles = []
    if has_group and group_labels:
        present = set(frame["group"].astype(str))
        handles = [Line2D([], [], color=style[g][0], marker=style[g][1], linestyle="-",
                          label=group_labels[g]) for g in groups if g in present]
    if reference is not None and reference_label:
        handles.append(Line2D([], [], color="#777777", linestyle="--", label=reference_label))
    if handles:
        fig.legend(handles=handles, frameon=False, fontsize=8, loc="outside lower center",
                   ncol=len(handles))
    return plain_text(fig)


def cooperation_bars(
    frame: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    target: float | None = None,
    target_label: str | None = None,
) -> Figure:
    """Horizontal 0–100 bars with optional interval whiskers and a note per bar.

    ``frame`` has ``label``, ``value`` (NaN: no bar), ``ci_low``,
    ``ci_high`` (NaN: no whisker) and ``note`` (text written after the bar,
    or in place of it when ``value`` is missing, e.g. "hidden").
    """
    fig = Figure(figsize=(6.6, 0.62 * len(frame) + 1.4), layout="constrained")
    ax = fig.subplots()
    positions = np.arange(len(frame))[::-1]
    for pos, value, low, high, note in zip(positions, _floats(frame["value"]),
                                           _floats(frame["ci_low"]), _floats(frame["ci_high"]),
                                           frame["note"], strict=True):
        if np.isnan(value):
            ax.text(1, pos, str(note), va="center", fontsize=8, color="#555555")
            continue
        ax.barh(pos, value, color=OKABE_ITO[0], height=0.6)
        right = value
        if not (np.isnan(low) or np.isnan(high)):
            ax.errorbar(value, pos, xerr=[[value - low], [high - value]],
                        fmt="none", ecolor="#222222", capsize=3, linewidth=1)
            right = high
        ax.text(min(right, 100.0) + 1.5, pos, str(note), va="center", fontsize=7.5)
    if target is not None:
        ax.axvline(target, color="#555555", linestyle="--", linewidth=1,
                   label=target_label or None)
        if target_label:
            fig.legend(frameon=False, fontsize=8, loc="outside lower center")
    ax.set_yticks(positions, [str(label) for label in frame["label"]])
    ax.set_xlim(0, 130)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    return plain_text(fig)


def index_trend(
    series: pd.DataFrame,
    *,
    title: str,
    ylabel: str,
    xlabel: str,
    bands: Mapping[str, tuple[float, float]] | None = None,
    band_colours: Mapping[str, str] | None = None,
) -> Figure:
    """An index over years: a line with labelled points on a 0–100 axis.

    ``series`` has ``year`` and ``value`` (NaN: a gap, e.g. a hidden year).
    ``bands`` maps a legend label to a (low, high) range drawn as a pale
    background band (the traffic-light zones), coloured by ``band_colours``
    under the same keys.
    """
    fig = Figure(figsize=(6.6, 3.2), layout="constrained")
    ax = fig.subplots()
    for label, (low, high) in (bands or {}).items():
        colour = (band_colours or {}).get(label, "#eeeeee")
        ax.axhspan(low, high, color=colour, alpha=0.13, linewidth=0, label=label)
    ordered = series.sort_values("year")
    ax.plot(ordered["year"], ordered["value"], color=OKABE_ITO[0], marker="o", linewidth=1.6)
    for year, value in zip(_floats(ordered["year"]), _floats(ordered["value"]), strict=True):
        if not np.isnan(value):
            ax.annotate(format_number(value, 1), (year, value), xytext=(0, 6),
                        textcoords="offset points", ha="center", fontsize=7.5)
    year_axis(ax, ordered["year"])
    ax.set_ylim(0, 105)
    ax.yaxis.set_major_formatter(polish_tick_formatter(0))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if bands:
        fig.legend(frameon=False, fontsize=8, loc="outside lower center", ncol=len(bands))
    return plain_text(fig)
