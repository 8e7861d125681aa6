"""Text is text: a user's name holding ``$…$`` is drawn as written, never parsed as math."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from wkus_lib.errors import InputError
from wkus_lib.report.plots import compare as plots_compare
from wkus_lib.report.plots import core as plots
from wkus_lib.report.plots import stages as plots_stages

NAME = "Kurs $C#$ dla 20 osób"
"""A result name from the issue: matplotlib's math parser fails on it."""
OTHERS = ["Zajęcia $\\frac{1}{0}$", "Koszt 5$ za godzinę", "$x^$"]


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _drawn_texts(fig: Figure) -> set[str]:
    return {text.get_text() for text in fig.findobj(Text) if text.get_text()}


def test_the_name_really_breaks_a_figure_that_parses_math() -> None:
    fig = Figure()
    fig.text(0.1, 0.5, NAME)

    with pytest.raises(ValueError):
        _png(fig)


def test_on_going_results_figure_renders_a_result_name_with_dollar_signs() -> None:
    labels = [f"R{n} {name}" for n, name in enumerate([NAME, *OTHERS], start=1)]
    frame = pd.DataFrame({"label": labels, "value": [40.0, 120.0, np.nan, 80.0]})

    fig = plots_stages.results_against_time(
        frame, warning=70.0, title="Rezultaty narastająco", target_label="100 %",
        warning_label="próg", xlabel="%")

    assert _png(fig).startswith(b"\x89PNG")
    assert set(labels) <= _drawn_texts(fig)  # drawn as written, dollars included
    assert not any(text.get_parse_math() for text in fig.findobj(Text))


def test_every_figure_module_draws_user_text_as_written() -> None:
    names = [NAME, *OTHERS]
    scores = pd.DataFrame({"label": names, "value": [50.0, 60.0, 70.0, np.nan],
                           "ci_low": [40.0, 50.0, 60.0, np.nan],
                           "ci_high": [60.0, 70.0, 80.0, np.nan], "n": [10, 12, 14, 3],
                           "suppressed": [False, False, False, True]})
    dots = pd.DataFrame({"label": names, "value": [1.0, 2.0, 3.0, 4.0],
                         "low": [0.5, 1.5, np.nan, 3.5], "high": [1.5, 2.5, np.nan, 4.5]})
    bars = scores.assign(note=[f"uwaga {name}" for name in names])
    figures = [
        plots.scores_with_intervals(scores, title=f"Tytuł {NAME}"),
        plots_compare.dot_interval_plot(dots, title=NAME, xlabel="$y$"),
        plots_compare.cooperation_bars(bars, title=NAME, xlabel="x"),
    ]

    for fig in figures:
        assert _png(fig).startswith(b"\x89PNG")
        assert set(names) <= _drawn_texts(fig)


def test_an_infinite_value_fails_the_figure_naming_the_row() -> None:
    frame = pd.DataFrame({"label": ["R1 Zajęcia", f"R2 {NAME}"], "value": [50.0, np.inf]})

    with pytest.raises(InputError) as caught:
        plots_stages.results_against_time(frame, warning=70.0, title="t", target_label="a",
                                          warning_label="b", xlabel="x")

    message = caught.value.describe()
    assert f"„R2 {NAME}”" in message and "nie jest skończoną liczbą (inf)" in message
    assert "tabeli results" in message
