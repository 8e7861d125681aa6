"""Numbers as people read them: Polish decimal comma, thin-space thousands, "—" for missing.

Reports, documents and command-line messages all format numbers here, so a
value reads the same everywhere; CSV files for machines keep the decimal point.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from wkus_lib.text.i18n import _, current_language

THIN_SPACE: Final = "\u00a0"  # non-breaking, so "12 345" never wraps
MISSING: Final = "—"


def format_number(value: float | None, decimals: int = 1, *, unit: str = "") -> str:
    """Polish format: ``12345.678`` → ``"12 345,7"``; missing → ``"—"``.

    The thousands separator is a non-breaking space so numbers never wrap.
    English reports (:func:`wkus_lib.text.i18n.language`) keep the decimal
    point: ``"12 345.7"``, and write the unit ``zł`` as ``PLN``.
    """
    if value is None or pd.isna(value):
        return MISSING
    text = f"{value:,.{decimals}f}".replace(",", THIN_SPACE)
    if current_language() == "pl":
        text = text.replace(".", ",")
    if text.startswith("-"):
        text = "−" + text[1:]
    if unit == "zł":
        unit = _("zł")  # PLN in English
    return f"{text}{THIN_SPACE}{unit}" if unit else text


def format_percent(share: float | None, decimals: int = 1) -> str:
    """A share 0–1 as a Polish percentage: ``0.853`` → ``"85,3 %"``."""
    if share is None or pd.isna(share):
        return MISSING
    return format_number(share * 100, decimals, unit="%")


def format_money(value: float | None, decimals: int = 0) -> str:
    """Złote: ``12345.6`` → ``"12 346 zł"``."""
    return format_number(value, decimals, unit="zł")
