"""The evaluator's SROI outcomes file: read a CSV, check it, refuse it with a Polish message."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from wkus_lib.errors import InputError
from wkus_lib.metrics.sroi import OUTCOME_COLUMNS, START_YEAR_COLUMN, check_outcomes


def read_outcomes_file(path: str | Path) -> pd.DataFrame:
    """Read the evaluator's outcomes CSV (UTF-8, decimal point) and check it.

    Columns :data:`OUTCOME_COLUMNS`, optionally ``start_year``, ``teryt``
    (kept as text), ``area`` and ``year`` (the ex-post year). Raises
    :class:`~wkus_lib.errors.InputError` naming the file and what is wrong,
    so a batch can refuse a bad file before any report starts.
    """
    source = Path(path)
    if not source.is_file():
        raise InputError("Plik nie istnieje", file=str(source),
                         hint="Podaj ścieżkę do pliku CSV z efektami i wartościami proxy.")
    frame = pd.read_csv(source, dtype={"teryt": str}, encoding="utf-8")
    try:
        check_outcomes(frame)
    except ValueError as problem:
        raise InputError(str(problem).rstrip("."), file=str(source),
                         hint=f"Wymagane kolumny: {', '.join(OUTCOME_COLUMNS)}; "
                              f"opcjonalnie {START_YEAR_COLUMN}.") from None
    return frame
