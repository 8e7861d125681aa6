"""One look for every report figure: fonts, colours, traffic lights, Polish axis ticks.

Numbers are formatted by :mod:`wkus_lib.text.numbers`. Figures use DejaVu Sans (it has every Polish letter), embed TrueType
fonts in PDF (``pdf.fonttype`` 42) and carry no timestamps, so identical
inputs give identical files. Colours come from the Okabe–Ito palette, which
stays distinguishable with colour-blindness; traffic lights always come with
a text label.
"""

from __future__ import annotations

from typing import Final, Literal

import matplotlib as mpl
from matplotlib.rcsetup import cycler

from wkus_lib.text.i18n import NP_, p_
from wkus_lib.text.numbers import format_number

OKABE_ITO: Final = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",
)

Status = Literal["green", "amber", "red", "none"]
STATUS_COLOURS: Final[dict[Status, str]] = {
    "green": "#009E73",
    "amber": "#E69F00",
    "red": "#D55E00",
    "none": "#9E9E9E",
}
STATUS_CONTEXT: Final = "traffic light"
"""The gettext context of the traffic lights' words ("uwaga" means more than one thing)."""
STATUS_LABELS: Final[dict[Status, str]] = {
    "green": NP_("traffic light", "dobrze"),
    "amber": NP_("traffic light", "uwaga"),
    "red": NP_("traffic light", "źle"),
    "none": NP_("traffic light", "brak oceny"),
}
"""The traffic lights' words in Polish (the source texts); reports show :func:`status_label`."""


def status_label(status: Status) -> str:
    """The traffic light's word in the report language: "uwaga", in English "watch"."""
    return p_(STATUS_CONTEXT, STATUS_LABELS[status])


def apply_figure_style() -> None:
    """Set the report figure style (fonts, sizes, palette, deterministic output)."""
    mpl.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 10,
            "axes.titlesize": 11,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": cycler(color=list(OKABE_ITO)),
            "axes.formatter.use_locale": False,
            "figure.figsize": (6.4, 3.4),
            "figure.dpi": 110,
            "savefig.dpi": 110,
            "savefig.bbox": "tight",
            "pdf.fonttype": 42,
            "svg.hashsalt": "wkus",
            "svg.fonttype": "none",
        }
    )


def polish_tick_formatter(decimals: int = 0) -> mpl.ticker.FuncFormatter:
    """Axis ticks in Polish format (decimal comma, space thousands)."""
    return mpl.ticker.FuncFormatter(lambda x, _pos: format_number(x, decimals))
