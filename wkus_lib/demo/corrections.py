"""A corrected NGO report on a demo store: the smallest change a re-import makes.

The tests of incremental rebuilds and the benchmark's one-row correction
(``bench/report_batch.py``) change one result row the same way.
"""

from __future__ import annotations

from pathlib import Path

from wkus_lib.store import read_store, write_store


def correct_achieved(store_dir: Path, contract_id: str, year: int) -> None:
    """Add 1 to the achieved value of the first result row of ``contract_id`` in ``year``.

    The store is rewritten as a re-import would (atomically, new manifest
    hash); it must be a synthetic store, as the demo's are.
    """
    tables = dict(read_store(store_dir).tables())
    results = tables["results"].copy()
    row = results.index[(results["contract_id"] == contract_id) & (results["year"] == year)][0]
    results.loc[row, "achieved"] = results.loc[row, "achieved"] + 1
    tables["results"] = results
    write_store(tables, store_dir, synthetic=True)
