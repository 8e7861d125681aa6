"""Corrections by natural key: what an import adds, changes, leaves alone or withdraws.

Every table has a natural key (:data:`wkus_lib.schemas.KEYS`). A row whose key
the store does not hold is added; a row whose key it holds replaces the stored
row when any value differs and is "unchanged" otherwise; a withdrawal removes
the stored rows with the listed keys. :func:`plan_table` only computes the
changes and :func:`apply_table` only applies them, so ``--dry-run`` can show
an import without writing anything.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Final, Literal

import pandas as pd

from wkus_lib.schemas import KEYS, TABLES

Action = Literal["added", "changed", "removed"]
Key = tuple[Hashable, ...]

ORIGIN_FILE: Final = "_file"
ORIGIN_ROW: Final = "_row"
"""Columns the importer carries next to a table's columns: the file and row each row came from."""


@dataclass(frozen=True)
class Change:
    """One row added, changed or removed; ``old``/``new`` hold the whole row (schema columns)."""

    table: str
    action: Action
    key: dict[str, object]
    old: dict[str, object] | None
    new: dict[str, object] | None
    file: str
    row: int | None

    def differing(self) -> dict[str, tuple[object, object]]:
        """Columns whose value changed: column → (old, new)."""
        if self.old is None or self.new is None:
            return {}
        return {c: (self.old.get(c), v) for c, v in self.new.items()
                if not same_value(self.old.get(c), v)}


@dataclass(frozen=True)
class TablePlan:
    """What one import would do to one table."""

    table: str
    changes: tuple[Change, ...] = ()
    unchanged: int = 0
    missing_withdrawals: tuple[tuple[Key, str, int | None], ...] = ()  # key, file, row
    drop_positions: frozenset[int] = field(default_factory=frozenset)  # stored rows replaced
    additions: pd.DataFrame | None = None  # rows to add (schema columns only)

    def count(self, action: Action) -> int:
        """How many rows this plan adds, changes or removes."""
        return sum(1 for c in self.changes if c.action == action)


def shown_value(value: object) -> str:
    """A stored value as an import report or the change log shows it ("(puste)" for none).

    >>> shown_value(None), shown_value(31.0), shown_value(2.5), shown_value("sport")
    ('(puste)', '31', '2.5', 'sport')
    """
    if value is None:
        return "(puste)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def plain(value: object) -> object:
    """A value as plain JSON-able Python: NA → None, numpy scalars → int/float/bool/str."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    item = getattr(value, "item", None)
    if callable(item):
        value = item()
        if isinstance(value, float) and math.isnan(value):
            return None
    return value


def same_value(left: object, right: object) -> bool:
    """Equality with missing values equal to each other and 29 equal to 29.0."""
    return plain(left) == plain(right)


def row_keys(table: str, frame: pd.DataFrame) -> list[Key]:
    """The natural key of each row, as tuples of plain values."""
    columns = [frame[c].tolist() for c in KEYS[table]]
    return [tuple(plain(v) for v in values) for values in zip(*columns, strict=True)]


def _records(table: str, frame: pd.DataFrame) -> list[dict[str, object]]:
    columns = list(TABLES[table].to_schema().columns)
    return [{c: plain(v) for c, v in zip(columns, values, strict=True)}
            for values in zip(*(frame[c].tolist() for c in columns), strict=True)]


def duplicate_key_groups(table: str, frame: pd.DataFrame) -> list[list[int]]:
    """Positions of rows sharing one natural key, a list per repeated key (in row order)."""
    groups: dict[Key, list[int]] = {}
    for position, key in enumerate(row_keys(table, frame)):
        groups.setdefault(key, []).append(position)
    return [positions for positions in groups.values() if len(positions) > 1]


def plan_table(
    table: str, stored: pd.DataFrame, incoming: pd.DataFrame, withdrawn: pd.DataFrame,
) -> TablePlan:
    """Compare validated ``incoming`` rows (unique keys, with origin columns) with ``stored``.

    ``withdrawn`` holds the key columns (and origin columns) of rows to remove;
    withdrawals apply before additions. A key that the store holds more than
    once (a store built before keys existed) is replaced as a whole.
    """
    stored = stored.reset_index(drop=True)
    stored_records = _records(table, stored)
    positions: dict[Key, list[int]] = {}
    for position, key in enumerate(row_keys(table, stored)):
        positions.setdefault(key, []).append(position)
    key_columns = KEYS[table]
    changes: list[Change] = []
    drop: set[int] = set()
    missing: list[tuple[Key, str, int | None]] = []
    withdrawn = withdrawn.reset_index(drop=True)
    for key, (file, row) in zip(row_keys(table, withdrawn), _origins(withdrawn), strict=True):
        held = [p for p in positions.get(key, []) if p not in drop]
        if not held:
            missing.append((key, file, row))
            continue
        for position in held:
            drop.add(position)
            changes.append(Change(table, "removed", dict(zip(key_columns, key, strict=True)),
                                  stored_records[position], None, file, row))
    incoming = incoming.reset_index(drop=True)
    new_records = _records(table, incoming)
    keep: list[int] = []
    unchanged = 0
    for index, (key, (file, row)) in enumerate(
            zip(row_keys(table, incoming), _origins(incoming), strict=True)):
        held = [p for p in positions.get(key, []) if p not in drop]
        record = new_records[index]
        named = dict(zip(key_columns, key, strict=True))
        if not held:
            changes.append(Change(table, "added", named, None, record, file, row))
            keep.append(index)
        elif len(held) == 1 and stored_records[held[0]] == record:
            unchanged += 1
        else:
            drop.update(held)
            changes.append(Change(table, "changed", named, stored_records[held[0]], record,
                                  file, row))
            keep.append(index)
    additions = incoming.iloc[keep].drop(columns=[ORIGIN_FILE, ORIGIN_ROW], errors="ignore")
    return TablePlan(table, tuple(changes), unchanged, tuple(missing), frozenset(drop),
                     additions.reset_index(drop=True))


def _origins(frame: pd.DataFrame) -> list[tuple[str, int | None]]:
    """The file and row each row came from (empty when the frame carries no origin)."""
    files = frame[ORIGIN_FILE].astype(str).tolist() if ORIGIN_FILE in frame else [""] * len(frame)
    rows = frame[ORIGIN_ROW].tolist() if ORIGIN_ROW in frame else [None] * len(frame)
    return [(f, None if r is None or pd.isna(r) else int(r))
            for f, r in zip(files, rows, strict=True)]


def apply_table(stored: pd.DataFrame, plan: TablePlan) -> pd.DataFrame:
    """The table after ``plan``: replaced and withdrawn rows gone, new rows appended."""
    stored = stored.reset_index(drop=True)
    kept = stored.drop(index=sorted(plan.drop_positions))
    if plan.additions is None or plan.additions.empty:
        return kept.reset_index(drop=True)
    additions = plan.additions[list(stored.columns)].astype(stored.dtypes.to_dict())
    if kept.empty:
        return additions.reset_index(drop=True)
    return pd.concat([kept, additions], ignore_index=True)


def changed_tables(plans: Sequence[TablePlan]) -> list[str]:
    """Tables that a set of plans actually changes."""
    return [p.table for p in plans if p.changes]
