"""Applying validated rows to the store (moved here from ``wkus_lib.store``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from wkus_lib.schemas import TABLES
from wkus_lib.store import MANIFEST_NAME, empty_table, read_manifest, read_store, write_store


def _row_keys(frame: pd.DataFrame) -> pd.MultiIndex:
    """A 64-bit hash of each row's values, plus its occurrence number among identical rows."""
    hashed = pd.util.hash_pandas_object(frame, index=False)
    occurrence = hashed.groupby(hashed).cumcount()
    return pd.MultiIndex.from_arrays([hashed.to_numpy(), occurrence.to_numpy()])


def rows_not_in(incoming: pd.DataFrame, existing: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``incoming`` that ``existing`` does not already hold, counting repeats.

    A multiset difference: a row present once in the store and twice in the
    file is added once. So importing the same file again adds nothing, while
    rows that are legitimately repeated inside one file (the same answers of
    two people) are all kept the first time.
    """
    if incoming.empty or existing.empty:
        return incoming
    columns = list(incoming.columns)
    seen = _row_keys(existing[columns].astype(incoming.dtypes.to_dict()))
    return incoming[~_row_keys(incoming).isin(seen)]


def append_to_store(
    additions: Mapping[str, pd.DataFrame], store_dir: Path, *, note: str = ""
) -> dict[str, int]:
    """Add validated rows to the store (created if absent); return rows added per table.

    Rows the store already holds are skipped (:func:`rows_not_in`). Each table
    and the manifest are rewritten atomically; nothing is written when nothing
    is new. An existing store keeps its ``synthetic`` flag and note.
    """
    if (store_dir / MANIFEST_NAME).exists():
        current = read_store(store_dir)
        manifest = read_manifest(store_dir)
        tables, synthetic = current.tables(), current.synthetic
        note = str(manifest.get("note") or note)
    else:
        tables, synthetic = {name: empty_table(name) for name in TABLES}, False
    added: dict[str, int] = {}
    for name, frame in additions.items():
        fresh = rows_not_in(TABLES[name].validate(frame), tables[name])
        added[name] = len(fresh)
        if len(fresh):
            tables[name] = pd.concat([tables[name], fresh], ignore_index=True)
    if any(added.values()) or not (store_dir / MANIFEST_NAME).exists():
        write_store(tables, store_dir, synthetic=synthetic, note=note)
    return added
