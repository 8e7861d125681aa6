"""The quarantine as a to-do list: rows held back, why, and when they leave.

``<store>/quarantine/<table>.csv`` holds, per table, the rows an import held
back: the file, sheet and row they came from (``plik``, ``arkusz``,
``wiersz``), their cells as written under Polish headers, and ``powód``.
A row leaves the list when it is dealt with:

- the file it came from is imported again: that file's entries are replaced
  by what the new import held back (a fixed row is gone, a still-bad row
  stays with its current reason, nothing is listed twice);
- the quarantine file itself, fixed and imported (in whatever encoding Excel
  saved it), carries ``plik``/``arkusz``/``wiersz``: each of its rows replaces
  the entry it came from, and leaves the list if it is now clean;
- a row with the same natural key (as written under the key columns) imports
  cleanly from any other file.

Quarantine files are read with the importer's own reader, never with one
hard-coded encoding; one that cannot be read at all is kept aside under a new
name, never overwritten. Cells a spreadsheet could take for a formula are
written with a leading apostrophe (:mod:`wkus_lib.files.spreadsheet_safe`); reading a
quarantine file back (and importing it) removes exactly that apostrophe, so the
user's text returns as first written.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import pandas as pd

from wkus_lib.errors import InputError
from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.files.spreadsheet_safe import restore, restore_frame, safe_csv
from wkus_lib.intake.headers import normalize_header
from wkus_lib.intake.readers import RawSheet, read_file
from wkus_lib.schemas import TABLES

QUARANTINE_DIR: Final = "quarantine"
REASON_COLUMN: Final = "powód"
ORIGIN_COLUMNS: Final = ("plik", "arkusz", "wiersz")

Origin = tuple[str, str, str]


def quarantine_path(store_dir: Path, table: str) -> Path:
    """Where table ``table``'s quarantine file is."""
    return store_dir / QUARANTINE_DIR / f"{table}.csv"


def quarantine_csv(frame: pd.DataFrame) -> bytes:
    """Polish Excel opens UTF-8 with a BOM and ``;`` correctly; the importer reads it back too.

    Formula-like text (``=HYPERLINK(…)``, ``@SUM(…)``, a file name such as ``+x.csv``)
    is neutralised, so no spreadsheet opening the file runs it.
    """
    return safe_csv(frame, sep=";").encode("utf-8-sig")


def _as_frame(raw: RawSheet) -> pd.DataFrame:
    cells = raw.rows.copy()
    cells.columns = list(raw.headers)[: cells.shape[1]]
    text = cells.astype(object).where(cells.notna(), "").astype(str).reset_index(drop=True)
    return restore_frame(text)


def is_quarantine_sheet(raw: RawSheet) -> bool:
    """Whether ``raw`` is a quarantine file (it names the file and row its rows came from)."""
    names = {normalize_header(h) for h in raw.headers}
    return {normalize_header(ORIGIN_COLUMNS[0]), normalize_header(ORIGIN_COLUMNS[2])} <= names


def restored_quarantine_sheet(raw: RawSheet) -> RawSheet:
    """A quarantine file read back with the apostrophes :func:`quarantine_csv` added removed.

    Any other sheet is returned as it is: only the quarantine's own marks are undone.
    """
    if not is_quarantine_sheet(raw):
        return raw
    rows = raw.rows.copy()
    for column in rows.columns:
        rows[column] = rows[column].map(restore, na_action="ignore")
    return dataclasses.replace(raw, rows=rows, headers=tuple(restore(h) for h in raw.headers))


def read_quarantine(path: Path) -> pd.DataFrame | None:
    """A quarantine file's rows as text, whatever encoding it was saved in; ``None`` if unreadable."""
    try:
        sheets = read_file(path)
    except InputError:
        return None
    if not sheets:
        return pd.DataFrame(columns=[*ORIGIN_COLUMNS, REASON_COLUMN])
    return _as_frame(sheets[0])


def open_quarantine(store_dir: Path) -> dict[str, pd.DataFrame]:
    """The rows still waiting in the quarantine, per table (tables with none are left out)."""
    found: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        path = quarantine_path(store_dir, table)
        if not path.exists():
            continue
        frame = read_quarantine(path)
        if frame is None or len(frame):
            found[table] = frame if frame is not None else pd.DataFrame(
                {REASON_COLUMN: ["plik kwarantanny nie daje się odczytać"]})
    return found


def quarantine_origins(raw: RawSheet) -> dict[int, Origin]:
    """For a quarantine file imported back: the row each of its rows first came from.

    Keys are the row numbers the user sees in ``raw``; an ordinary file (no
    ``plik`` and ``wiersz`` columns) gives an empty mapping.
    """
    names = [normalize_header(h) for h in raw.headers]
    wanted = [normalize_header(c) for c in ORIGIN_COLUMNS]
    if wanted[0] not in names or wanted[2] not in names:
        return {}
    file_at, row_at = names.index(wanted[0]), names.index(wanted[2])
    sheet_at = names.index(wanted[1]) if wanted[1] in names else None
    origins: dict[int, Origin] = {}
    for number, values in raw.rows.iterrows():
        cells = ["" if v is None or pd.isna(v) else str(v).strip() for v in values.tolist()]
        sheet = cells[sheet_at] if sheet_at is not None and sheet_at < len(cells) else ""
        origins[int(str(number))] = (cells[file_at] if file_at < len(cells) else "", sheet,
                                     _row_text(cells[row_at] if row_at < len(cells) else ""))
    return origins


def _row_text(value: str) -> str:
    """``"12"``, ``"12.0"`` or ``"12,0"`` (a spreadsheet's view of a row number) → ``"12"``."""
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else value


def _origin_of(frame: pd.DataFrame) -> list[Origin]:
    def column(name: str) -> list[str]:
        return frame[name].astype(str).tolist() if name in frame else [""] * len(frame)
    return list(zip(column(ORIGIN_COLUMNS[0]), column(ORIGIN_COLUMNS[1]),
                    [_row_text(v) for v in column(ORIGIN_COLUMNS[2])], strict=True))


def key_texts(frame: pd.DataFrame, key_headers: Sequence[str]) -> list[tuple[str, ...]]:
    """Each row's natural key as the text shown under the Polish key headers."""
    if not set(key_headers) <= set(frame.columns):
        return [()] * len(frame)
    cells = frame[list(key_headers)].astype(object).where(frame[list(key_headers)].notna(), "")
    return [tuple(_row_text(str(v).strip()) for v in values)
            for values in cells.itertuples(index=False, name=None)]


def updated_quarantine(
    old: pd.DataFrame | None, new: pd.DataFrame, *, files_read: Iterable[str],
    origins_read: Iterable[Origin], key_headers: Sequence[str] = (),
    clean_keys: Collection[tuple[str, ...]] = (),
) -> pd.DataFrame:
    """The to-do list after an import: entries dealt with removed, ``new`` rows added.

    ``files_read``: ordinary files this import read (their old entries are
    replaced); ``origins_read``: the origins of rows a fixed quarantine file
    brought back; ``clean_keys``: keys (as text under ``key_headers``) of rows
    this import took in cleanly, from whichever file — their entries are done.
    """
    new = new.astype(object).where(new.notna(), "").astype(str)
    if old is None or old.empty:
        return new.drop_duplicates().reset_index(drop=True)
    files, origins, done = set(files_read), set(origins_read), set(clean_keys)
    keys = key_texts(old, key_headers) if done else [()] * len(old)
    keep = [origin[0] not in files and origin not in origins and key not in done
            for origin, key in zip(_origin_of(old), keys, strict=True)]
    merged = pd.concat([old[keep], new], ignore_index=True)
    return merged.astype(object).where(merged.notna(), "").astype(str).drop_duplicates() \
        .reset_index(drop=True)


def write_quarantine(store_dir: Path, tables: Mapping[str, pd.DataFrame]) -> None:
    """Write each table's to-do list; a table with nothing left open loses its file."""
    for table, frame in tables.items():
        path = quarantine_path(store_dir, table)
        if frame.empty:
            path.unlink(missing_ok=True)
            continue
        atomic_write_bytes(path, quarantine_csv(frame))


def set_aside_unreadable(store_dir: Path, table: str) -> str:
    """Move an unreadable quarantine file aside; the note says where it went."""
    path = quarantine_path(store_dir, table)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{table}-nieczytelny-{stamp}.csv")
    path.rename(target)
    return (f"plik kwarantanny {QUARANTINE_DIR}/{path.name} nie daje się odczytać — "
            f"przeniesiono go do {QUARANTINE_DIR}/{target.name} (nic nie usunięto)")


def open_quarantine_text(store_dir: Path) -> str:
    """Polish lines for ``wkus check`` and the import report: what is still to fix, or ``""``."""
    waiting = open_quarantine(store_dir)
    if not waiting:
        return ""
    lines = ["", "Kwarantanna — wiersze wciąż do poprawienia:"]
    for table, frame in waiting.items():
        reasons = frame[REASON_COLUMN].value_counts() if REASON_COLUMN in frame else pd.Series()
        lines.append(f"  {QUARANTINE_DIR}/{table}.csv: {len(frame)}")
        lines += [f"    {count} × {reason}" for reason, count in reasons.head(5).items()]
    lines.append("Popraw je w tych plikach (albo w plikach źródłowych) i zaimportuj ponownie.")
    return "\n".join(lines) + "\n"
