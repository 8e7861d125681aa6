"""Figures of wkus_lib.report.plots.core: value labels clear of the intervals they describe."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from wkus_lib.report.plots import core as plots
from wkus_lib.report.style import apply_figure_style


@pytest.fixture(autouse=True)
def style() -> None:
    apply_figure_style()


def test_score_labels_stand_after_the_whisker_on_the_bars_level() -> None:
    scores = pd.DataFrame({"label": ["satysfakcja", "adekwatność", "skuteczność"],
                           "value": [84.0, 81.2, 99.0], "ci_low": [79.0, 75.0, 97.0],
                           "ci_high": [89.0, 87.5, 100.0], "n": [36, 36, 36],
                           "suppressed": [False, False, False]})
    fig = plots.scores_with_intervals(scores, title="Ocena")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if "(n = 36)" in t.get_text()]
    assert len(labels) == 3
    for label, high in zip(labels, scores["ci_high"], strict=True):
        box = label.get_window_extent(renderer)
        whisker_end = ax.transData.transform((high, 0))[0]
        assert box.x0 > whisker_end  # the text begins after the interval's cap
        assert box.x1 <= ax.get_window_extent(renderer).x1  # and is not cut by the frame
