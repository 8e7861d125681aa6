"""One look for every report: Polish number formats, fonts, colours, figures.

Numbers in reports use the Polish convention (decimal comma, a space as the
thousands separator, ``12 345,6``); CSV files for machines keep the decimal
point. Figures use DejaVu Sans (it has every Polish letter), embed TrueType
fonts in PDF (``pdf.fonttype`` 42) and carry no timestamps, so identical
inputs give identical files. Colours come from the Okabe–Ito palette, which
stays distinguishable with colour-blindness; traffic lights always come with
a text label.
"""

from __future__ import annotations

from typing import Final, Literal

import matplotlib as mpl
import pandas as pd

from wkus_lib.text.i18n import current_language

THIN_SPACE: Final = "\u00a0"  # non-breaking, so "12 345" never wraps
MISSING: Final = "—"

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
STATUS_LABELS: Final[dict[str, dict[Status, str]]] = {
    "pl": {"green": "dobrze", "amber": "uwaga", "red": "źle", "none": "brak oceny"},
    "en": {"green": "good", "amber": "watch", "red": "poor", "none": "not rated"},
}


def format_number(value: float | None, decimals: int = 1, *, unit: str = "") -> str:
    """Polish format: ``12345.678`` → ``"12 345,7"``; missing → ``"—"``.

    The thousands separator is a non-breaking space so numbers never wrap.
    English reports (:func:`wkus_lib.text.i18n.set_language`) keep the decimal
    point: ``"12 345.7"``, and write the unit ``zł`` as ``PLN``.
    """
    if value is None or pd.isna(value):
        return MISSING
    text = f"{value:,.{decimals}f}".replace(",", THIN_SPACE)
    if current_language() == "pl":
        text = text.replace(".", ",")
    if text.startswith("-"):
        text = "−" + text[1:]
    if unit == "zł" and current_language() == "en":
        unit = "PLN"
    return f"{text}{THIN_SPACE}{unit}" if unit else text


def format_percent(share: float | None, decimals: int = 1) -> str:
    """A share 0–1 as a Polish percentage: ``0.853`` → ``"85,3 %"``."""
    if share is None or pd.isna(share):
        return MISSING
    return format_number(share * 100, decimals, unit="%")


def format_money(value: float | None, decimals: int = 0) -> str:
    """Złote: ``12345.6`` → ``"12 346 zł"``."""
    return format_number(value, decimals, unit="zł")


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
            "axes.prop_cycle": mpl.cycler(color=list(OKABE_ITO)),
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
