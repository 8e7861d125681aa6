"""Figures of the ex-ante and on-going reports: data in, a matplotlib Figure out.

Like :mod:`wkus_lib.report.plots.core`, every function takes a tidy frame and returns a
new figure; all texts (titles, axis labels, legend entries) come from the
caller, already in the report language. Numbers drawn on the figures use the
Polish format of :func:`wkus_lib.text.numbers.format_number`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from wkus_lib.report.plots.core import plain_text, require_finite, year_axis
from wkus_lib.report.style import OKABE_ITO, polish_tick_formatter
from wkus_lib.text.numbers import format_number

_GREY = "#555555"


def horizon_cost_bars(
    options: pd.DataFrame,
    *,
    title_total: str,
    title_procedure: str,
    ylabel: str,
) -> Figure:
    """Two panels: total cost of each option, and its procedure (contest) cost alone.

    ``options`` has columns ``label``, ``total`` and ``procedure_cost`` (zł),
    one row per option in display order. The procedure cost is small next to
    the service cost, so it gets its own panel rather than an invisible slice
    of a stacked bar. Options without a total (missing data) get no bar.
    """
    fig = Figure(figsize=(7.2, 3.3))
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.35, 1.0], "wspace": 0.45})
    labels = [str(label) for label in options["label"]]
    positions = np.arange(len(options))
    colours = [OKABE_ITO[i % len(OKABE_ITO)] for i in (2, 1, 0)][: len(options)]
    for ax, column, title in ((left, "total", title_total),
                              (right, "procedure_cost", title_procedure)):
        values = options[column].to_numpy(dtype=float, na_value=np.nan)
        shown = np.where(np.isnan(values), 0.0, values)
        ax.bar(positions, shown, color=colours, width=0.62)
        top = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
        top = top if top > 0 else 1.0
        for pos, value in zip(positions, values, strict=True):
            text = "—" if np.isnan(value) else format_number(value, 0)
            ax.text(pos, (0.0 if np.isnan(value) else value) + top * 0.02, text,
                    ha="center", va="bottom", fontsize=8)
        ax.set_ylim(0, top * 1.18)
        ax.set_xticks(positions, labels, fontsize=8)
        ax.yaxis.set_major_formatter(polish_tick_formatter(0))
        ax.tick_params(axis="y", labelsize=8)
        ax.set_title(title, fontsize=9.5)
    left.set_ylabel(ylabel, fontsize=8.5)
    return plain_text(fig)


def coverage_by_year(
    frame: pd.DataFrame,
    *,
    title: str,
    served_label: str,
    need_label: str,
    ylabel: str,
    xlabel: str,
) -> Figure:
    """Clients served per year (bars) against the people in need by the diagnosis (line).

    ``frame`` has columns ``year``, ``clients_served`` and ``people_in_need``
    (NaN before the first diagnosis).
    """
    fig = Figure(figsize=(6.4, 3.2))
    ax = fig.subplots()
    years = frame["year"].to_numpy(dtype=int)
    served = frame["clients_served"].to_numpy(dtype=float, na_value=np.nan)
    need = frame["people_in_need"].to_numpy(dtype=float, na_value=np.nan)
    ax.bar(years, np.where(np.isnan(served), 0.0, served), color=OKABE_ITO[0], width=0.6,
           label=served_label)
    if np.isfinite(need).any():
        ax.step(years, need, where="mid", color=OKABE_ITO[5], linewidth=2, label=need_label)
    year_axis(ax, years)
    ax.yaxis.set_major_formatter(polish_tick_formatter(0))
    ax.set_ylim(0, max(np.nanmax(np.concatenate([served, need, [1.0]])) * 1.1, 1.0))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, pad=22)
    ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=2, fontsize=8,
              borderaxespad=0.2)
    return plain_text(fig)


def planned_vs_actual(
    frame: pd.DataFrame,
    *,
    title: str,
    planned_label: str,
    actual_label: str,
    ylabel: str,
    xlabel: str,
) -> Figure:
    """Planned and actual cost per year as paired bars, budget execution (%) above them.

    ``frame`` has columns ``year``, ``planned``, ``actual`` (zł) and
    ``execution`` (%, NaN when unknown).
    """
    fig = Figure(figsize=(6.4, 3.2))
    ax = fig.subplots()
    years = frame["year"].to_numpy(dtype=int)
    planned = frame["planned"].to_numpy(dtype=float, na_value=np.nan)
    actual = frame["actual"].to_numpy(dtype=float, na_value=np.nan)
    execution = frame["execution"].to_numpy(dtype=float, na_value=np.nan)
    width = 0.38
    ax.bar(years - width / 2, np.nan_to_num(planned), width, color=OKABE_ITO[4],
           label=planned_label)
    ax.bar(years + width / 2, np.nan_to_num(actual), width, color=OKABE_ITO[0],
           label=actual_label)
    top = float(np.nanmax(np.concatenate([planned, actual, [1.0]])))
    for year, high, share in zip(years, np.fmax(planned, actual), execution, strict=True):
        if not np.isnan(share):
            ax.text(year, np.nan_to_num(high) + top * 0.02, format_number(share, 1, unit="%"),
                    ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, top * 1.22)
    year_axis(ax, years)
    ax.yaxis.set_major_formatter(polish_tick_formatter(0))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False, loc="upper left", fontsize=8, ncols=2)
    return plain_text(fig)


def results_against_time(
    frame: pd.DataFrame,
    *,
    warning: float,
    title: str,
    target_label: str,
    warning_label: str,
    xlabel: str,
) -> Figure:
    """Each result's cumulative achievement as % of its time-proportional target.

    ``frame`` has columns ``label`` and ``value`` (%; NaN when unknown). A
    solid line marks 100 % (on schedule), a dashed one the warning threshold
    ``warning`` (%); bars below it are drawn in the warning colour.
    """
    require_finite(frame, "value", table="results", what="wartość % celu")
    fig = Figure(figsize=(6.4, 0.42 * len(frame) + 1.5))
    ax = fig.subplots()
    positions = np.arange(len(frame))[::-1]
    values = frame["value"].to_numpy(dtype=float, na_value=np.nan)
    colours = [OKABE_ITO[5] if value < warning else OKABE_ITO[0] for value in values]
    ax.barh(positions, np.nan_to_num(values), color=colours, height=0.55)
    right = max(130.0, float(np.nanmax(np.append(values, 0.0))) + 20.0)
    for pos, value in zip(positions, values, strict=True):
        text = "—" if np.isnan(value) else format_number(value, 1, unit="%")
        ax.text(max(np.nan_to_num(value), 100.0) + right * 0.015, pos, text, va="center",
                fontsize=8)
    ax.axvline(100.0, color="#222222", linewidth=1.5, label=target_label)
    ax.axvline(warning, color=_GREY, linewidth=1.2, linestyle="--", label=warning_label)
    ax.set_yticks(positions, [str(label) for label in frame["label"]], fontsize=8.5)
    ax.set_xlim(0, right)
    ax.xaxis.set_major_formatter(polish_tick_formatter(0))
    ax.set_xlabel(xlabel)
    ax.set_title(title, pad=22)
    ax.legend(frameon=False, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=2, fontsize=8,
              borderaxespad=0.2)
    return plain_text(fig)
