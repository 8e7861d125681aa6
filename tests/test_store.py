"""The validated store: atomic Parquet tables, hashes, per-gmina views."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from wkus_lib.errors import InputError
from wkus_lib.schemas import TABLES
from wkus_lib.store import (
    MANIFEST_NAME,
    read_manifest,
    read_store,
    read_store_file,
    store_lock,
    table_file,
    write_store,
)


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
    write_store({**_tables(), "needs": _tables()["needs"]}, tmp_path, synthetic=True)
    assert not list(tmp_path.rglob("*.tmp"))


def test_tables_live_in_content_named_files_the_manifest_lists(tmp_path: Path) -> None:
    manifest = write_store(_tables(), tmp_path, synthetic=False)
    for name, entry in manifest["tables"].items():
        path = tmp_path / entry["file"]
        assert path.parent.name == "tables"
        assert path.name == f"{name}-{entry['sha256'][:16]}.parquet"
        assert table_file(tmp_path, name) == path
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]


def test_a_new_version_removes_the_files_no_manifest_names(tmp_path: Path) -> None:
    first = write_store(_tables(), tmp_path, synthetic=False)
    fewer = {**_tables(), "beneficiaries": _tables()["beneficiaries"].iloc[:1]}
    second = write_store(fewer, tmp_path, synthetic=False)
    old, new = (m["tables"]["beneficiaries"]["file"] for m in (first, second))
    assert old != new
    assert not (tmp_path / old).exists()
    assert sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "tables").iterdir()) \
        == sorted(e["file"] for e in second["tables"].values())
    assert len(read_store(tmp_path).beneficiaries) == 1


def test_missing_store_gives_a_polish_hint(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="wkus demo-data"):
        read_manifest(tmp_path)


def test_tables_read_unvalidated_equal_validated_ones(demo: Any) -> None:
    """Unchanged tables skip validation: they must be what validating would give, types included."""
    store = read_store(demo.store_dir)
    for name, model in TABLES.items():
        table = getattr(store, name)
        pd.testing.assert_frame_equal(model.validate(table.copy()), table, check_dtype=True)


def test_a_table_changed_behind_the_manifest_is_refused_with_a_repair_hint(
    tmp_path: Path,
) -> None:
    write_store(_tables(), tmp_path, synthetic=False)
    path = table_file(tmp_path, "beneficiaries")
    assert path is not None
    edited = pd.read_parquet(path)
    edited.loc[0, "clients_served"] = 11  # still valid: a store that does not match is refused
    edited.to_parquet(path, index=False)
    with pytest.raises(InputError, match="SHA-256") as raised:
        read_store(tmp_path)
    assert raised.value.file == str(path)
    assert "zaimportuj pliki ponownie" in (raised.value.hint or "")


def test_a_truncated_table_is_refused(tmp_path: Path) -> None:
    write_store(_tables(), tmp_path, synthetic=False)
    path = table_file(tmp_path, "contracts")
    assert path is not None
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(InputError, match="nie zgadza się z manifestem"):
        read_store(tmp_path)


def test_a_missing_table_file_is_refused(tmp_path: Path) -> None:
    write_store(_tables(), tmp_path, synthetic=False)
    path = table_file(tmp_path, "needs")
    assert path is not None
    path.unlink()
    with pytest.raises(InputError, match="brak pliku") as raised:
        read_store(tmp_path)
    assert raised.value.file == str(path)


def test_a_manifest_whose_file_matches_a_broken_parquet_is_refused(tmp_path: Path) -> None:
    """Even a manifest rewritten to fit the bytes does not let a non-Parquet file through."""
    manifest = write_store(_tables(), tmp_path, synthetic=False)
    path = tmp_path / manifest["tables"]["needs"]["file"]
    path.write_bytes(b"not parquet")
    manifest["tables"]["needs"]["sha256"] = hashlib.sha256(b"not parquet").hexdigest()
    manifest["hash"] = _combined(manifest)
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError, match="Parquet"):
        read_store(tmp_path)


def test_a_row_count_other_than_the_manifests_is_refused(tmp_path: Path) -> None:
    manifest = write_store(_tables(), tmp_path, synthetic=False)
    manifest["tables"]["contracts"]["rows"] = 3
    manifest["hash"] = _combined(manifest)
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError, match="3 wierszy"):
        read_store(tmp_path)


def test_a_manifest_hash_edited_by_hand_is_refused(tmp_path: Path) -> None:
    manifest = write_store(_tables(), tmp_path, synthetic=False)
    manifest["hash"] = "0" * 64
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError, match="skrót magazynu"):
        read_store(tmp_path)


@pytest.mark.parametrize("text", ["{", "[]", '{"hash": 1, "synthetic": true, "tables": {}}',
                                  "\u0000\xff"])
def test_an_unreadable_manifest_is_a_polish_error(tmp_path: Path, text: str) -> None:
    write_store(_tables(), tmp_path, synthetic=False)
    (tmp_path / MANIFEST_NAME).write_bytes(text.encode("latin-1"))
    with pytest.raises(InputError, match="manifest magazynu jest uszkodzony") as raised:
        read_store(tmp_path)
    assert raised.value.file == str(tmp_path / MANIFEST_NAME)


def test_a_manifest_naming_a_file_outside_the_store_is_refused(tmp_path: Path) -> None:
    manifest = write_store(_tables(), tmp_path, synthetic=False)
    manifest["tables"]["needs"]["file"] = "../../etc/passwd"
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError, match="niepoprawna nazwa pliku"):
        read_store(tmp_path)


def test_a_store_of_the_earlier_layout_is_read_and_moved_on_the_next_write(
    tmp_path: Path,
) -> None:
    """``<table>.parquet`` next to a manifest without ``file`` entries still reads."""
    manifest = write_store(_tables(), tmp_path, synthetic=True)
    for name, entry in manifest["tables"].items():
        (tmp_path / entry.pop("file")).rename(tmp_path / f"{name}.parquet")
    del manifest["files"]
    (tmp_path / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    assert read_store(tmp_path).data_hash == manifest["hash"]
    again = write_store(read_store(tmp_path).tables(), tmp_path, synthetic=True)
    assert again["hash"] == manifest["hash"]
    assert not list(tmp_path.glob("*.parquet"))
    assert len(read_store(tmp_path).contracts) == 2


def test_extra_files_commit_with_the_tables_and_carry_over(tmp_path: Path) -> None:
    write_store(_tables(), tmp_path, synthetic=False, extra={"changes.jsonl": b'{"a": 1}\n'})
    assert read_store_file(tmp_path, "changes.jsonl") == b'{"a": 1}\n'
    assert read_store_file(tmp_path, "other.txt") is None
    manifest = write_store(_tables(), tmp_path, synthetic=False)  # not given: carried over
    assert read_store_file(tmp_path, "changes.jsonl") == b'{"a": 1}\n'
    assert manifest["hash"] == read_manifest(tmp_path)["hash"]
    write_store(_tables(), tmp_path, synthetic=False, extra={"changes.jsonl": b"2\n"})
    assert read_store_file(tmp_path, "changes.jsonl") == b"2\n"
    assert len(list((tmp_path / "files").iterdir())) == 1
    write_store(_tables(), tmp_path, synthetic=False, extra={"changes.jsonl": None})
    assert read_store_file(tmp_path, "changes.jsonl") is None


def test_an_extra_file_changed_behind_the_manifest_is_refused(tmp_path: Path) -> None:
    manifest = write_store(_tables(), tmp_path, synthetic=False, extra={"log.jsonl": b"1\n"})
    (tmp_path / manifest["files"]["log.jsonl"]["file"]).write_bytes(b"2\n")
    with pytest.raises(InputError, match="SHA-256"):
        read_store_file(tmp_path, "log.jsonl")


@pytest.mark.parametrize("name", ["../x", "a/b", "", MANIFEST_NAME])
def test_extra_file_names_must_be_plain(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match="plain file name"):
        write_store(_tables(), tmp_path, synthetic=False, extra={name: b""})


def test_a_store_path_that_is_a_file_is_a_polish_error(tmp_path: Path) -> None:
    target = tmp_path / "magazyn.csv"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="wskazuje plik, a nie katalog"):
        write_store(_tables(), target, synthetic=False)
    with pytest.raises(InputError, match="wskazuje plik, a nie katalog"):
        read_store(target)
    assert target.read_text(encoding="utf-8") == "x"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_store_folder_without_write_permission_is_a_polish_error(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(InputError, match="brak prawa zapisu"):
            write_store(_tables(), folder, synthetic=False)
    finally:
        folder.chmod(0o700)


def test_a_store_inside_a_read_only_folder_is_a_polish_error(tmp_path: Path) -> None:
    """Creating the store folder under a file fails in Polish too (no root exemption here)."""
    blocker = tmp_path / "plik"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="nie można utworzyć katalogu magazynu"):
        write_store(_tables(), blocker / "store", synthetic=False)


def test_the_lock_is_reentrant_within_a_process(tmp_path: Path) -> None:
    with store_lock(tmp_path), store_lock(tmp_path):
        write_store(_tables(), tmp_path, synthetic=False)
    assert len(read_store(tmp_path).contracts) == 2


def _combined(manifest: dict[str, Any]) -> str:
    summary = {n: {"sha256": e["sha256"], "rows": e["rows"]} for n, e in manifest["tables"].items()}
    return hashlib.sha256(json.dumps(summary, sort_keys=True).encode("utf-8")).hexdigest()


def test_a_folder_the_user_may_not_write_is_a_polish_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As root the permission bits do not stop anyone, so the check is shown directly."""
    monkeypatch.setattr(os, "access", lambda *_args, **_kwargs: False)
    with pytest.raises(InputError, match="brak prawa zapisu do katalogu magazynu"):
        write_store(_tables(), tmp_path, synthetic=False)
    assert not (tmp_path / MANIFEST_NAME).exists()


def test_a_lock_the_system_refuses_is_a_polish_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import filelock

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(filelock.FileLock, "acquire", refuse)
    with pytest.raises(InputError, match="tylko do odczytu"):
        write_store(_tables(), tmp_path / "store", synthetic=False)
