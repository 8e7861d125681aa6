"""`wkus demo-data` never overwrites imported data, and a regenerated demo store starts clean."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wkus_lib.cli import main
from wkus_lib.schemas import TABLES
from wkus_lib.store import empty_table, read_manifest, read_store, write_store

CONTRACT = {"contract_id": "U/1/2024", "teryt": "2010092", "area": "sport",
            "ngo_name": "Klub Sportowy", "title": "Zajęcia", "mode": "annual_grant",
            "form": "wspieranie", "start_year": 2024, "end_year": 2024}


def _real_store(store_dir: Path) -> None:
    tables = {name: empty_table(name) for name in TABLES}
    tables["contracts"] = pd.DataFrame([CONTRACT])
    write_store(tables, store_dir, synthetic=False, extra={"changes.jsonl": b"{}\n"},
                key_fingerprint="abc")


def test_demo_data_refuses_a_store_with_imported_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store"
    _real_store(store)
    before = (store / "manifest.json").read_bytes()
    code = main(["demo-data", "--raw-dir", str(tmp_path / "raw"), "--store", str(store)])
    assert code == 2
    err = capsys.readouterr().err
    assert "magazyn zawiera zaimportowane dane (wierszy: 1)" in err
    assert "--store KATALOG" in err
    assert (store / "manifest.json").read_bytes() == before
    assert read_store(store).contracts["contract_id"].tolist() == ["U/1/2024"]


def test_fresh_write_drops_the_old_change_log_and_key_fingerprint(tmp_path: Path) -> None:
    store = tmp_path / "store"
    _real_store(store)
    assert read_manifest(store).get("files")
    write_store({name: empty_table(name) for name in TABLES}, store, synthetic=True, fresh=True)
    manifest = read_manifest(store)
    assert not manifest.get("files")
    assert "abc" not in (store / "manifest.json").read_text(encoding="utf-8")
