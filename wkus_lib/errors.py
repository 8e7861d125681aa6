"""Exception types that carry the context a user needs to act.

Messages are in Polish: they are shown to evaluators as they are.
"""

from __future__ import annotations

from typing import Any


class WkusError(Exception):
    """Base class of every error the workbench raises on purpose."""


class InputError(WkusError):
    """A problem in a user's input: names the file, row, column and value."""

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
        hint: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.hint = hint
        super().__init__(self.describe())

    def describe(self) -> str:
        """One Polish sentence: where, what value, what is wrong, what to do."""
        where = [
            part
            for part in (
                f"plik {self.file}" if self.file else None,
                f"wiersz {self.row}" if self.row is not None else None,
                f"kolumna „{self.column}”" if self.column else None,
                f"wartość „{self.value}”" if self.value is not None else None,
            )
            if part
        ]
        text = f"{'; '.join(where)}: {self.problem}" if where else self.problem
        return f"{text}. {self.hint}" if self.hint else text


class CatalogError(WkusError):
    """The indicator catalogue is malformed (names the file and the entry)."""


class ParameterError(WkusError):
    """Report parameters are invalid; raised before any kernel starts."""
