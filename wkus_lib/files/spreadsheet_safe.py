"""No formula reaches a spreadsheet: text that a spreadsheet would run is neutralised.

Every CSV and XLSX the project writes (quarantine, indicator table, data-quality
card, code counts, report annex, entry forms, coding sheets) passes its cells
through this module. A text cell starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return is what Excel and LibreOffice may take for a formula (OWASP,
"CSV injection"); numbers, and text that reads as a plain number (``-5``,
``-1 234,50``), are left as they are.

- CSV: such text gets a leading apostrophe (:func:`neutralise`), as OWASP
  advises, and :func:`safe_csv` quotes every cell holding a line break, so no
  cell's text can start a row of its own. :func:`restore` removes exactly that apostrophe, so a quarantine file
  fixed by the user and imported again gives back the text as first written —
  a title that really starts with ``-`` or ``=`` survives the round trip
  (``restore(neutralise(v)) == v`` for every ``v``).
- XLSX: such text is written as a text cell with Excel's quote prefix
  (:func:`write_text_cell`, :func:`protect_workbook`): the cell is never a
  formula, shows the user's text unchanged, and stays text when edited.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.workbook.workbook import Workbook

FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (OWASP)."""
NEUTRALISING_PREFIX: Final = "'"

_PLAIN_NUMBER: Final = re.compile(r"^[+\-]?\d[\d \u00a0\u202f.,]*(?:[eE][+\-]?\d+)?$")
"""``-5``, ``+48 600 100 200``, ``-1 234,50``, ``-1.5e-3``: a spreadsheet reads these as
numbers, never as formulas."""


def _needs_prefix(text: str) -> bool:
    """Whether ``text`` (after any apostrophes already there) would start a formula."""
    body = text.lstrip(NEUTRALISING_PREFIX)
    return body.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(body)


def is_formula_like(value: object) -> bool:
    """Whether a cell's value is text a spreadsheet could take for a formula.

    >>> is_formula_like('=HYPERLINK("http://x","y")'), is_formula_like("-5")
    (True, False)
    """
    return (isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
            and not _PLAIN_NUMBER.match(value))


def neutralise(value: Any) -> Any:
    """A CSV cell's value made inert: formula-like text gets a leading apostrophe.

    Anything that is not text, and text reading as a plain number, is returned
    as it is. Text that starts with apostrophes followed by a trigger also gets
    one more, so :func:`restore` can tell the added apostrophe from the user's own.

    >>> neutralise("=1+1"), neutralise("-2+3"), neutralise("-5"), neutralise(-5)
    ("'=1+1", "'-2+3", '-5', -5)
    >>> neutralise("'=1")
    "''=1"
    """
    if isinstance(value, str) and _needs_prefix(value):
        return NEUTRALISING_PREFIX + value
    return value


def restore(value: Any) -> Any:
    """The text :func:`neutralise` was given: its added apostrophe removed, nothing else.

    >>> restore("'=1+1"), restore("''=1"), restore("'tak"), restore("-5")
    ('=1+1', "'=1", "'tak", '-5')
    """
    if (isinstance(value, str) and value.startswith(NEUTRALISING_PREFIX)
            and _needs_prefix(value[1:])):
        return value[1:]
    return value


def _holds_text(column: pd.Series) -> bool:
    """Object or string columns (numbers, dates and booleans are never formulas)."""
    return bool(column.dtype == object or pd.api.types.is_string_dtype(column.dtype))


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for CSV: every text cell and column name through :func:`neutralise`.

    Numeric columns are left untouched (they are written as numbers).
    """
    return _map_text(frame, neutralise)


def _map_text(frame: pd.DataFrame, change: Callable[[Any], Any]) -> pd.DataFrame:
    """A copy of ``frame`` with ``change`` applied to every text cell and column name."""
    changed = frame.copy()
    for position in range(changed.shape[1]):
        column = changed.iloc[:, position]
        if _holds_text(column):
            changed.isetitem(position, column.map(change, na_action="ignore"))
    changed.columns = [change(name) for name in changed.columns]
    return changed


def safe_csv(frame: pd.DataFrame, *, sep: str = ",") -> str:
    """``frame`` as CSV text that no spreadsheet runs: cells neutralised, rows ended by CRLF.

    CRLF (as Excel writes) also makes the writer quote any cell holding a bare
    carriage return, which a spreadsheet would otherwise take for the start of a
    new row — one beginning with whatever follows (``"x\\r=1"``).
    """
    return str(neutralise_frame(frame).to_csv(index=False, sep=sep, lineterminator="\r\n"))


def restore_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell and column name through :func:`restore`."""
    return _map_text(frame, restore)


def value_cell(cell: Cell | MergedCell) -> Cell:
    """``cell``, which must not lie inside a merged range (such a cell holds no value).

    >>> from openpyxl import Workbook
    >>> sheet = Workbook().create_sheet("a")
    >>> sheet.merge_cells("A1:B1")
    >>> value_cell(sheet["A1"]).coordinate
    'A1'
    >>> value_cell(sheet["B1"])
    Traceback (most recent call last):
    TypeError: Komórka B1 leży w scalonym zakresie: nie ma wartości.
    """
    from openpyxl.cell.cell import MergedCell

    if isinstance(cell, MergedCell):
        raise TypeError(f"Komórka {cell.coordinate} leży w scalonym zakresie: nie ma wartości.")
    return cell


def write_text_cell(cell: Cell | MergedCell, text: str) -> None:
    """Put text in an XLSX cell as text: never a formula; formula-like text quote-prefixed."""
    cell = value_cell(cell)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def protect_workbook(workbook: Workbook) -> Workbook:
    """Make every text cell of ``workbook`` text (see :func:`write_text_cell`); returns it.

    Called on a finished workbook just before it is saved: a text value that
    openpyxl would write as a formula (it starts with ``=``) is written as text.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                    write_text_cell(cell, cell.value)
    return workbook
