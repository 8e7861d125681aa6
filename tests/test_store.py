"""The validated store: atomic Parquet tables, hashes, per-gmina views."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from wkus_lib.errors import InputError
from wkus_lib.schemas import TABLES
from wkus_lib.store import read_manifest, read_store, write_store


def _tables() -> dict[str, pd.DataFrame]:
    empty = {name: pd.DataFrame({c: [] for c in model.to_schema().columns})
             for name, model in TABLES.items()}
    empty["contracts"] = pd.DataFrame([
        {"contract_id": cid, "teryt": teryt, "area": "sport", "ngo_name": ngo, "title": "Zajęcia",
         "mode": "multi_year", "form": "wspieranie", "start_year": 2022, "end_year": 2025}
        for cid, teryt, ngo in [("A", "2013023", "Klub A"), ("B", "2002063", "Klub B")]
    ])
    empty["beneficiaries"] = pd.DataFrame([
        {"contract_id": cid, "year": 2024, "clients_served": 10, "service_hours": 100.0,
         "complaints": 0, "staff_count": 3, "staff_left": 0} for cid in ("A", "B")
    ])
    return empty


def test_store_round_trip_keeps_rows_and_string_codes(tmp_path: Path) -> None:
    write_store(_tables(), tmp_path, synthetic=True)
    store = read_store(tmp_path)
    assert store.synthetic
    assert sorted(store.contracts["teryt"]) == ["2002063", "2013023"]


def test_identical_content_gives_identical_hash_whatever_the_row_order(tmp_path: Path) -> None:
    first = write_store(_tables(), tmp_path / "a", synthetic=False)
    shuffled = {k: v.iloc[::-1] for k, v in _tables().items()}
    second = write_store(shuffled, tmp_path / "b", synthetic=False)
    assert first["hash"] == second["hash"]


def test_for_gmina_keeps_only_that_gminas_rows(tmp_path: Path) -> None:
    write_store(_tables(), tmp_path, synthetic=False)
    own = read_store(tmp_path).for_gmina("2013023")
    assert set(own.contracts["contract_id"]) == {"A"}
    assert set(own.beneficiaries["contract_id"]) == {"A"}


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    write_store(_tables(), tmp_path, synthetic=False)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_missing_store_gives_a_polish_hint(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="wkus demo-data"):
        read_manifest(tmp_path)


def test_tables_read_unvalidated_equal_validated_ones(demo: Any) -> None:
    """Unchanged tables skip validation: they must be what validating would give, types included."""
    store = read_store(demo.store_dir)
    for name, model in TABLES.items():
        table = getattr(store, name)
        pd.testing.assert_frame_equal(model.validate(table.copy()), table, check_dtype=True)


def test_a_table_changed_behind_the_manifest_is_validated_again(tmp_path: Path) -> None:
    write_store(_tables(), tmp_path, synthetic=False)
    path = tmp_path / "beneficiaries.parquet"
    edited = pd.read_parquet(path)
    edited.loc[0, "clients_served"] = -3  # no store write lets this through
    edited.to_parquet(path, index=False)
    with pytest.raises(InputError, match="clients_served") as raised:
        read_store(tmp_path)
    assert raised.value.file == str(path)
    assert raised.value.row == 1
    assert raised.value.value == "-3"
    assert "wartość za mała" in raised.value.problem
