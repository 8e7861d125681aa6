"""The pseudonym key: created owner-only, fingerprinted in the store, never replaced silently."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pandas as pd
import pytest

from wkus_lib.errors import InputError
from wkus_lib.intake.pseudonym import key_fingerprint, load_key, pseudonymise
from wkus_lib.schemas import TABLES
from wkus_lib.store import (
    KEY_FINGERPRINT_FIELD,
    MANIFEST_NAME,
    empty_table,
    read_manifest,
    write_store,
)


def _store_with_respondents(store_dir: Path, key: bytes, *, synthetic: bool = False) -> None:
    tables = {name: empty_table(name) for name in TABLES}
    tables["survey_comments"] = pd.DataFrame([{
        "teryt": "2002063", "area": "sport", "year": 2024, "instrument": "klient",
        "respondent_id": pseudonymise(str(number), key), "text": "Dobrze",
    } for number in range(3)])
    write_store(tables, store_dir, synthetic=synthetic)


def test_a_new_key_is_owner_only_and_long(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "pseudonym.key"
    key = load_key(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(key) == 64 and path.read_bytes() == key
    assert load_key(path) == key  # the same file gives the same key


def test_the_key_file_is_created_exclusively_with_mode_0600(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The file is opened O_CREAT|O_EXCL with 0600, never created readable and chmod-ed later."""
    calls: list[tuple[int, int]] = []
    real_open = os.open

    def spy(path: str, flags: int, mode: int = 0o777, *args: object) -> int:
        calls.append((flags, mode))
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", spy)
    load_key(tmp_path / "pseudonym.key")
    creating = [(f, m) for f, m in calls if f & os.O_CREAT]
    assert creating == [(os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)]


def test_the_store_records_the_fingerprint_never_the_key(tmp_path: Path) -> None:
    key_file, store = tmp_path / "k.key", tmp_path / "store"
    key = load_key(key_file, store_dir=store)
    manifest_text = (store / MANIFEST_NAME).read_text(encoding="utf-8")
    assert json.loads(manifest_text)[KEY_FINGERPRINT_FIELD] == key_fingerprint(key)
    assert key.decode("ascii") not in manifest_text
    assert key_fingerprint(key) != key_fingerprint(key + b"x")


def test_the_fingerprint_survives_later_store_writes(tmp_path: Path) -> None:
    key_file, store = tmp_path / "k.key", tmp_path / "store"
    key = load_key(key_file, store_dir=store)
    _store_with_respondents(store, key)
    assert read_manifest(store)[KEY_FINGERPRINT_FIELD] == key_fingerprint(key)


def test_a_lost_key_stops_the_import_instead_of_making_new_pseudonyms(tmp_path: Path) -> None:
    key_file, store = tmp_path / "k.key", tmp_path / "store"
    key = load_key(key_file, store_dir=store)
    _store_with_respondents(store, key)
    key_file.unlink()
    with pytest.raises(InputError, match="brak pliku klucza pseudonimizacji") as raised:
        load_key(key_file, store_dir=store)
    assert raised.value.file == str(key_file)
    assert "kopii zapasowej" in (raised.value.hint or "")
    assert not key_file.exists()  # no new key was made


def test_a_different_key_stops_the_import(tmp_path: Path) -> None:
    store = tmp_path / "store"
    key = load_key(tmp_path / "k.key", store_dir=store)
    _store_with_respondents(store, key)
    other = tmp_path / "other.key"
    other.write_text("0123456789abcdef" * 4, encoding="ascii")
    before = (store / MANIFEST_NAME).read_bytes()
    with pytest.raises(InputError, match="to nie jest klucz pseudonimizacji"):
        load_key(other, store_dir=store)
    assert (store / MANIFEST_NAME).read_bytes() == before
    assert load_key(tmp_path / "k.key", store_dir=store) == key


def test_an_earlier_store_with_pseudonyms_but_no_fingerprint_needs_its_key(
    tmp_path: Path,
) -> None:
    store = tmp_path / "store"
    _store_with_respondents(store, b"k" * 64)  # written before stores recorded fingerprints
    with pytest.raises(InputError, match="brak pliku klucza"):
        load_key(tmp_path / "missing.key", store_dir=store)
    present = tmp_path / "present.key"
    present.write_bytes(b"k" * 64)
    load_key(present, store_dir=store)  # the key at hand is recorded from now on
    assert read_manifest(store)[KEY_FINGERPRINT_FIELD] == key_fingerprint(b"k" * 64)


def test_synthetic_pseudonyms_without_a_fingerprint_accept_a_new_key(tmp_path: Path) -> None:
    """The demo store's respondents were never made with a user's key."""
    store = tmp_path / "store"
    _store_with_respondents(store, b"d" * 64, synthetic=True)
    key = load_key(tmp_path / "new.key", store_dir=store)
    assert read_manifest(store)[KEY_FINGERPRINT_FIELD] == key_fingerprint(key)


def test_a_store_without_pseudonyms_takes_a_new_key(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_key(tmp_path / "first.key", store_dir=store)
    second = load_key(tmp_path / "second.key", store_dir=store)
    assert read_manifest(store)[KEY_FINGERPRINT_FIELD] == key_fingerprint(second)


def test_a_dry_run_checks_the_key_but_writes_nothing_to_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    load_key(tmp_path / "k.key", store_dir=store, record=False)
    assert not store.exists()
    key = load_key(tmp_path / "k.key", store_dir=store)
    _store_with_respondents(store, key)
    (tmp_path / "k.key").unlink()
    with pytest.raises(InputError, match="brak pliku klucza"):
        load_key(tmp_path / "k.key", store_dir=store, record=False)


def test_a_short_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.key"
    path.write_text("abc", encoding="ascii")
    with pytest.raises(InputError, match="za krótki"):
        load_key(path)
