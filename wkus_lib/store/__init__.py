"""The validated store: immutable table files, one manifest, one writer at a time.

Layout of ``data/store/``::

    manifest.json                          the commit point: every file, its SHA-256, row counts
    tables/<table>-<sha256[:16]>.parquet   one Parquet file per input table of rows that passed
                                           the table's pandera model
    files/<stem>-<sha256[:16]><suffix>     files committed together with the tables (``extra``)
    .lock                                  held by the one process that writes the store

Files under ``tables/`` and ``files/`` are named by their content and never
change once written. :func:`write_store` writes the new files first and then
replaces ``manifest.json`` atomically: that rename is the single commit
point, so a writer killed at any instant leaves the store exactly as it was
before or exactly as it is after. Files the new manifest no longer names are
removed after the commit.

Writers hold :func:`store_lock` across their whole read-modify-write::

    with store_lock(store_dir):
        current = read_store(store_dir)
        ...  # decide what changes
        write_store(tables, store_dir, synthetic=current.synthetic, note=...,
                    extra={"changes.jsonl": whole_new_log})

The lock is re-entrant within a process (``write_store`` takes it again); a
second process waits at most ``timeout`` seconds and then stops with a Polish
:class:`InputError` ("magazyn jest używany przez inny proces").

``extra`` maps a plain file name (e.g. ``changes.jsonl``) to its complete new
content, committed with the same manifest as the tables; files committed
earlier are carried over to the next version unless replaced, or dropped with
``None``. :func:`read_store_file` returns such a file, checked against the
manifest. The manifest also carries the fingerprint of the pseudonym key
(:mod:`wkus_lib.intake.pseudonym`), never the key itself.

:func:`read_store` checks every table file against the manifest (SHA-256, row
count) and refuses a store that does not match it — a file missing, changed
or cut short, an unreadable manifest — with a Polish :class:`InputError` that
says how to repair it. A file that matches is exactly what :func:`write_store`
validated, so it is not validated again. :meth:`Store.for_gmina` is the only
way notebooks see data, so a gmina's report is built from that gmina's rows
alone.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd
import pandera.pandas as pa
import pyarrow
from filelock import FileLock, Timeout

from wkus_lib.errors import InputError
from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.schemas import ROW_CHECK_COLUMNS, TABLES

MANIFEST_NAME: Final = "manifest.json"
LOCK_NAME: Final = ".lock"
TABLES_DIR: Final = "tables"
FILES_DIR: Final = "files"
LOCK_TIMEOUT_SECONDS: Final = 120.0
KEY_FINGERPRINT_FIELD: Final = "pseudonym_key_fingerprint"
REPAIR_HINT: Final = (
    "Przywróć kopię zapasową całego katalogu magazynu albo usuń ten katalog i zaimportuj "
    "pliki ponownie („wkus import”; dane demonstracyjne: „wkus demo-data”). "
    "Plików magazynu nie zmienia się ręcznie."
)
PROBLEM_COLUMNS: Final = ("file", "row", "column", "value", "problem")

_PANDERA_CHECKS_PL: Final = {
    "str_matches": "niepoprawny format",
    "isin": "wartość spoza dozwolonej listy",
    "greater_than_or_equal_to": "wartość za mała",
    "less_than_or_equal_to": "wartość za duża",
    "greater_than": "wartość musi być większa",
    "not_nullable": "brak wartości w kolumnie obowiązkowej",
    "field_uniqueness": "wartość powtarza się, a musi być unikalna",
    "column_in_dataframe": "brak kolumny",
    "coerce_dtype": "wartość nie jest liczbą ani wartością właściwego typu",
    "dtype": "niewłaściwy typ danych",
    "str_length": "pusty tekst",
}


@dataclass(frozen=True)
class ValidationOutcome:
    """Rows that passed a table's model and the problems of those that did not."""

    valid: pd.DataFrame
    problems: pd.DataFrame


_BOUND_WORDS_PL: Final = {
    "greater_than_or_equal_to": ": najmniej",
    "less_than_or_equal_to": ": najwięcej",
    "greater_than": " niż",
}
_CHECK_CALL: Final = re.compile(r"^(?P<name>\w+)\((?P<argument>.*)\)$", re.DOTALL)


def _problem_text(check: str) -> str:
    """A pandera check (``less_than_or_equal_to(5)``) as a Polish problem for users.

    >>> _problem_text("less_than_or_equal_to(5)")
    'wartość za duża: najwięcej 5'
    >>> _problem_text("isin(['sport', 'kultura'])")
    'wartość spoza dozwolonej listy: sport, kultura'
    """
    call = _CHECK_CALL.match(check)
    name, argument = (call["name"], call["argument"]) if call else (check, "")
    text = next((t for key, t in _PANDERA_CHECKS_PL.items() if name.startswith(key)), None)
    if text is None:
        return check
    if name in _BOUND_WORDS_PL:
        return f"{text}{_BOUND_WORDS_PL[name]} {argument}"
    if name == "isin":
        choices = ", ".join(part.strip(" '\"") for part in argument.strip("[]{}()").split(","))
        return f"{text}: {choices}"
    return text


def validate_table(name: str, frame: pd.DataFrame, source: str) -> ValidationOutcome:
    """Validate ``frame`` against table ``name`` lazily: every problem at once.

    Invalid rows are dropped from ``valid``; each problem names the source
    file, the row as a spreadsheet user counts it (header = 1, first data
    row = 2), the column, the value and what is wrong, in Polish.
    """
    model = TABLES[name]
    frame = frame.reset_index(drop=True)
    try:
        valid = model.validate(frame, lazy=True)
        return ValidationOutcome(valid=valid, problems=_empty_problems())
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases
    records: list[dict[str, Any]] = []
    bad_rows: set[int] = set()
    table_wide = False
    seen_row_checks: set[tuple[int, str]] = set()
    for case in cases.itertuples(index=False):
        index = case.index
        check = str(case.check)
        if pd.isna(index):
            table_wide = True
            row = None
        else:
            bad_rows.add(int(index))
            row = int(index) + 2
        column = case.column if isinstance(case.column, str) else None
        value = None if pd.isna(case.failure_case) else str(case.failure_case)
        if check in ROW_CHECK_COLUMNS and row is not None:
            # A row-level check fails once per row, not once per column.
            if (row, check) in seen_row_checks:
                continue
            seen_row_checks.add((row, check))
            involved = ROW_CHECK_COLUMNS[check]
            column = ", ".join(involved)
            value = ", ".join(f"{c}={frame.at[int(index), c]}" for c in involved)
        records.append(
            {"file": source, "row": row, "column": column, "value": value,
             "problem": _problem_text(check)}
        )
    problems = pd.DataFrame.from_records(records, columns=list(PROBLEM_COLUMNS))
    if table_wide:
        return ValidationOutcome(valid=frame.iloc[0:0], problems=problems)
    kept = frame.drop(index=sorted(bad_rows))
    return ValidationOutcome(valid=model.validate(kept, lazy=True), problems=problems)


def _empty_problems() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_COLUMNS})


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    sink = io.BytesIO()
    frame.reset_index(drop=True).to_parquet(sink, index=False, engine="pyarrow")
    return sink.getvalue()


_OS_ERRORS_PL: Final = {
    errno.EACCES: "brak uprawnień",
    errno.EPERM: "brak uprawnień",
    errno.EROFS: "system plików tylko do odczytu",
    errno.ENOENT: "nie ma takiego katalogu",
    errno.ENOTDIR: "część ścieżki jest plikiem, a nie katalogiem",
    errno.ENOSPC: "brak miejsca na dysku",
    errno.EISDIR: "to jest katalog, a nie plik",
}


def os_error_text(error: OSError) -> str:
    """An operating-system error in Polish words (the system's own text if unknown).

    >>> os_error_text(PermissionError(errno.EACCES, "Permission denied"))
    'brak uprawnień'
    """
    return _OS_ERRORS_PL.get(error.errno or 0, f"błąd systemu: {error.strerror or error}")


def _store_folder_problem(store_dir: Path) -> InputError | None:
    """Why ``store_dir`` cannot hold a store (a file, not writable), or ``None``."""
    hint = "Podaj w opcji --store katalog magazynu (np. data/store), do którego masz prawo zapisu."
    if store_dir.exists() and not store_dir.is_dir():
        return InputError("ścieżka magazynu wskazuje plik, a nie katalog",
                          file=str(store_dir), hint=hint)
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return InputError(f"nie można utworzyć katalogu magazynu ({os_error_text(error)})",
                          file=str(store_dir), hint=hint)
    if not os.access(store_dir, os.W_OK | os.X_OK):
        return InputError("brak prawa zapisu do katalogu magazynu", file=str(store_dir), hint=hint)
    return None


@contextmanager
def store_lock(store_dir: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the store's writer lock (re-entrant within a process) for the ``with`` block.

    The folder is created if needed. Another process holding the lock is
    waited for at most ``timeout`` seconds; then, like a path that is a file
    or a folder without write permission, a Polish :class:`InputError`. The
    operating system drops the lock of a process that dies, even by SIGKILL.
    """
    problem = _store_folder_problem(store_dir)
    if problem is not None:
        raise problem
    lock = FileLock(store_dir / LOCK_NAME, is_singleton=True)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        raise InputError(
            f"magazyn jest używany przez inny proces (czekano {timeout:g} s)".replace(".", ","),
            file=str(store_dir),
            hint="Poczekaj, aż skończy się inny import albo „wkus demo-data” do tego "
                 "magazynu, i uruchom polecenie ponownie.",
        ) from None
    except OSError as error:
        raise InputError(f"nie można zablokować magazynu do zapisu ({os_error_text(error)})",
                         file=str(store_dir / LOCK_NAME),
                         hint="Sprawdź prawa zapisu do katalogu magazynu.") from None
    try:
        yield
    finally:
        lock.release()


def _fsync_folder(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (where the platform allows it)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _sha256(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()


def _content_file(folder: str, name: str, digest: str) -> str:
    """``tables/contracts-3f9a….parquet``: the file of one content, relative to the store."""
    stem, dot, suffix = name.partition(".")
    return f"{folder}/{stem}-{digest[:16]}{dot}{suffix}"


def _write_content(store_dir: Path, relative: str, payload: bytes, digest: str) -> None:
    """Write an immutable content file unless an intact copy is already there."""
    path = store_dir / relative
    try:
        if path.stat().st_size == len(payload) and _sha256(path.read_bytes()) == digest:
            return
    except OSError:
        pass
    atomic_write_bytes(path, payload)


def _store_hash(entries: Mapping[str, Mapping[str, Any]]) -> str:
    """The one hash of the store that reports cite: the tables' SHA-256 and row counts."""
    summary = {name: {"sha256": e["sha256"], "rows": e["rows"]} for name, e in entries.items()}
    return _sha256(json.dumps(summary, sort_keys=True).encode("utf-8"))


_EXTRA_NAME: Final = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$")


def _extra_entries(
    previous: Mapping[str, Any], extra: Mapping[str, bytes | None], store_dir: Path
) -> dict[str, dict[str, Any]]:
    """The ``files`` of the new manifest: earlier ones carried over, ``extra`` written."""
    entries = {name: dict(entry) for name, entry in previous.items()}
    for name, payload in extra.items():
        if not _EXTRA_NAME.match(name) or name == MANIFEST_NAME:
            raise ValueError(f"not a plain file name for a store file: {name!r}")
        if payload is None:
            entries.pop(name, None)
            continue
        digest = _sha256(payload)
        relative = _content_file(FILES_DIR, name, digest)
        _write_content(store_dir, relative, payload, digest)
        entries[name] = {"sha256": digest, "bytes": len(payload), "file": relative}
    return entries


def _earlier_manifest(store_dir: Path) -> dict[str, Any]:
    """The manifest being replaced, or ``{}`` when there is none or it cannot be read."""
    try:
        return read_manifest(store_dir)
    except InputError:
        return {}


def write_store(
    tables: Mapping[str, pd.DataFrame], store_dir: Path, *, synthetic: bool, note: str = "",
    extra: Mapping[str, bytes | None] | None = None, key_fingerprint: str | None = None,
    fresh: bool = False,
) -> dict[str, Any]:
    """Commit a new version of the store: all tables, ``extra`` files, then the manifest.

    Every table of :data:`TABLES` must be given (possibly empty). Tables are
    sorted by all their columns first so identical content gives identical
    bytes and hashes. Runs under :func:`store_lock`; the manifest rename is
    the commit. ``extra`` files and the pseudonym ``key_fingerprint`` of the
    version being replaced are carried over unless given, or unless ``fresh``
    (a new store replacing the old one whole, e.g. regenerated demo data: its
    change log and key fingerprint no longer describe it). Returns the manifest.
    """
    unknown = set(tables) - set(TABLES)
    missing = set(TABLES) - set(tables)
    if unknown or missing:
        raise ValueError(f"tables unknown: {sorted(unknown)}, missing: {sorted(missing)}")
    with store_lock(store_dir):
        earlier = {} if fresh else _earlier_manifest(store_dir)
        entries: dict[str, dict[str, Any]] = {}
        for name in TABLES:
            frame = TABLES[name].validate(tables[name])
            frame = frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)
            payload = _parquet_bytes(frame)
            digest = _sha256(payload)
            relative = _content_file(TABLES_DIR, f"{name}.parquet", digest)
            _write_content(store_dir, relative, payload, digest)
            entries[name] = {"sha256": digest, "rows": len(frame), "file": relative}
        manifest: dict[str, Any] = {
            "synthetic": synthetic, "note": note, "hash": _store_hash(entries), "tables": entries,
            "files": _extra_entries(_mapping(earlier.get("files")), extra or {}, store_dir),
        }
        fingerprint = key_fingerprint or earlier.get(KEY_FINGERPRINT_FIELD)
        if fingerprint:
            manifest[KEY_FINGERPRINT_FIELD] = str(fingerprint)
        _commit(store_dir, manifest)
    return manifest


def record_key_fingerprint(store_dir: Path, fingerprint: str) -> None:
    """Record the pseudonym key's fingerprint in the manifest (an empty store if none yet)."""
    with store_lock(store_dir):
        if not (store_dir / MANIFEST_NAME).exists():
            write_store({name: empty_table(name) for name in TABLES}, store_dir,
                        synthetic=False, key_fingerprint=fingerprint)
            return
        manifest = read_manifest(store_dir)
        if manifest.get(KEY_FINGERPRINT_FIELD) != fingerprint:
            _commit(store_dir, {**manifest, KEY_FINGERPRINT_FIELD: fingerprint})


def _mapping(value: Any) -> dict[str, Any]:
    return dict(value) if isinstance(value, Mapping) else {}


def _commit(store_dir: Path, manifest: Mapping[str, Any]) -> None:
    """Replace the manifest (the commit point), then remove what no version names any more.

    The folders of the new files are synced first, so after a power cut the
    manifest never names a file whose folder entry was lost.
    """
    for folder in (TABLES_DIR, FILES_DIR):
        if (store_dir / folder).is_dir():
            _fsync_folder(store_dir / folder)
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True)
    atomic_write_bytes(store_dir / MANIFEST_NAME, text.encode("utf-8"))
    _fsync_folder(store_dir)
    _prune(store_dir, manifest)


def _prune(store_dir: Path, manifest: Mapping[str, Any]) -> None:
    """Delete content files the manifest does not name, leftovers of killed writers and the
    per-table files of the earlier layout (``<table>.parquet``); runs under the lock.

    A reader that loses a file this way sees a new manifest and reads again
    (:func:`read_store`).
    """
    named = {
        str(entry.get("file"))
        for section in ("tables", "files")
        for entry in _mapping(manifest.get(section)).values()
        if isinstance(entry, Mapping)
    }
    doomed = [store_dir / f"{name}.parquet" for name in TABLES]
    doomed += store_dir.glob(f".{MANIFEST_NAME}.*.tmp")
    for folder in (TABLES_DIR, FILES_DIR):
        doomed += [p for p in (store_dir / folder).glob("*")
                   if f"{folder}/{p.name}" not in named]
    for path in doomed:
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass  # a file that cannot be removed now is removed by a later write


def read_manifest(store_dir: Path) -> dict[str, Any]:
    """The store's manifest; a Polish error if the store was never built or it is unreadable."""
    path = store_dir / MANIFEST_NAME
    if store_dir.exists() and not store_dir.is_dir():
        raise InputError("ścieżka magazynu wskazuje plik, a nie katalog", file=str(store_dir),
                         hint="Podaj katalog magazynu (np. data/store).")
    if not path.exists():
        raise InputError(
            "Magazyn danych jest pusty (brak manifest.json)", file=str(path),
            hint="Uruchom najpierw „wkus demo-data” albo zaimportuj dane.",
        )
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _mismatch(path, f"manifest magazynu jest uszkodzony ({error})") from None
    if not isinstance(manifest, dict):
        raise _mismatch(path, "manifest magazynu jest uszkodzony (to nie jest obiekt JSON)")
    for field, kind, label in (("hash", str, "tekst"), ("synthetic", bool, "prawda/fałsz"),
                               ("tables", dict, "obiekt")):
        if not isinstance(manifest.get(field), kind):
            raise _mismatch(path, f"manifest magazynu jest uszkodzony: pole „{field}” "
                                  f"brakuje albo nie jest typu {label}")
    return manifest


def _mismatch(path: Path, problem: str) -> InputError:
    return InputError(problem, file=str(path), hint=REPAIR_HINT)


def read_store_file(store_dir: Path, name: str) -> bytes | None:
    """A file committed with ``extra`` (checked against the manifest), or ``None`` if absent."""
    manifest = read_manifest(store_dir)
    entry = _mapping(manifest.get("files")).get(name)
    if entry is None:
        return None
    return _verified_bytes(store_dir, _mapping(entry), name)


def table_file(store_dir: Path, name: str) -> Path | None:
    """Where the manifest says table ``name`` is, or ``None`` when there is no store yet."""
    if not (store_dir / MANIFEST_NAME).exists():
        return None
    entry = _mapping(read_manifest(store_dir)["tables"].get(name))
    return store_dir / _relative_file(store_dir, entry, name)


_CONTENT_FILE: Final = re.compile(r"^(tables|files)/[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_SHA256: Final = re.compile(r"^[0-9a-f]{64}$")


def _relative_file(store_dir: Path, entry: Mapping[str, Any], name: str) -> str:
    """The entry's file inside the store; the earlier layout had ``<table>.parquet``."""
    relative = entry.get("file", f"{name}.parquet")
    if not isinstance(relative, str) or not (
        _CONTENT_FILE.match(relative) or relative == f"{name}.parquet"
    ):
        raise _mismatch(store_dir / MANIFEST_NAME,
                        f"manifest magazynu jest uszkodzony: niepoprawna nazwa pliku „{relative}”")
    return relative


@dataclass(frozen=True)
class Store:
    """All input tables, already validated. Empty tables are empty frames."""

    contracts: pd.DataFrame
    finance: pd.DataFrame
    contributions: pd.DataFrame
    results: pd.DataFrame
    beneficiaries: pd.DataFrame
    needs: pd.DataFrame
    procedure_costs: pd.DataFrame
    survey_responses: pd.DataFrame
    survey_comments: pd.DataFrame
    standard_checklist: pd.DataFrame
    cooperation_checklist: pd.DataFrame
    cooperation_survey: pd.DataFrame
    synthetic: bool = False
    data_hash: str = ""

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by name, in :data:`TABLES` order."""
        return {name: getattr(self, name) for name in TABLES}

    def for_gmina(self, teryt: str) -> Store:
        """Only the rows of one gmina: contract-level tables via its contracts."""
        contracts = self.contracts[self.contracts["teryt"] == teryt]
        ids = set(contracts["contract_id"])
        filtered: dict[str, pd.DataFrame] = {}
        for name, frame in self.tables().items():
            if "teryt" in frame.columns:
                filtered[name] = frame[frame["teryt"] == teryt]
            else:
                filtered[name] = frame[frame["contract_id"].isin(ids)]
        return Store(
            **{k: v.reset_index(drop=True) for k, v in filtered.items()},
            synthetic=self.synthetic,
            data_hash=self.data_hash,
        )


def read_store(store_dir: Path) -> Store:
    """Load the whole store, checked against its manifest; a Polish :class:`InputError` if
    there is none or it does not match (see the module docstring).

    A writer may commit while this reads; when a check fails and the manifest
    has changed meanwhile, the new version is read instead.
    """
    for _ in range(_READ_ATTEMPTS - 1):
        before = _manifest_bytes(store_dir)
        try:
            return _read_version(store_dir)
        except InputError:
            if _manifest_bytes(store_dir) == before:
                raise
    return _read_version(store_dir)


_READ_ATTEMPTS: Final = 5


def _manifest_bytes(store_dir: Path) -> bytes | None:
    try:
        return (store_dir / MANIFEST_NAME).read_bytes()
    except OSError:
        return None


def _read_version(store_dir: Path) -> Store:
    manifest = read_manifest(store_dir)
    path = store_dir / MANIFEST_NAME
    recorded = manifest["tables"]
    absent = [name for name in TABLES if not isinstance(recorded.get(name), dict)]
    if absent:
        raise _mismatch(path, "manifest magazynu nie opisuje tabel: " + ", ".join(absent))
    for name in TABLES:
        entry = recorded[name]
        if not (isinstance(entry.get("sha256"), str) and _SHA256.match(entry["sha256"])
                and isinstance(entry.get("rows"), int)):
            raise _mismatch(path, f"manifest magazynu jest uszkodzony: wpis tabeli „{name}” "
                                  "nie ma poprawnej sumy SHA-256 albo liczby wierszy")
    if _store_hash({name: recorded[name] for name in TABLES}) != manifest["hash"]:
        raise _mismatch(path, "skrót magazynu w manifeście nie zgadza się z opisanymi tabelami "
                              "(manifest zmieniony poza wkus)")
    frames = {name: _read_table(store_dir, name, recorded[name]) for name in TABLES}
    return Store(**frames, synthetic=manifest["synthetic"], data_hash=manifest["hash"])


def _verified_bytes(store_dir: Path, entry: Mapping[str, Any], name: str) -> bytes:
    """The bytes of a store file whose SHA-256 is the one the manifest recorded."""
    path = store_dir / _relative_file(store_dir, entry, name)
    try:
        payload = path.read_bytes()
    except FileNotFoundError:
        raise _mismatch(path, "brak pliku, który wymienia manifest magazynu") from None
    except OSError as error:
        raise _mismatch(path, f"nie można odczytać pliku magazynu ({os_error_text(error)})") from None
    if _sha256(payload) != entry.get("sha256"):
        raise _mismatch(path, "plik magazynu nie zgadza się z manifestem (inna suma SHA-256: "
                              "plik zmieniony poza wkus, uszkodzony albo niedopisany)")
    return payload


def _read_table(store_dir: Path, name: str, entry: Mapping[str, Any]) -> pd.DataFrame:
    payload = _verified_bytes(store_dir, entry, name)
    path = store_dir / _relative_file(store_dir, entry, name)
    try:
        frame = pd.read_parquet(io.BytesIO(payload))
    except (pyarrow.ArrowException, ValueError, OSError) as error:
        raise _mismatch(path, f"plik tabeli „{name}” nie jest poprawnym plikiem Parquet "
                              f"({type(error).__name__})") from None
    expected = list(TABLES[name].to_schema().columns)
    if len(frame) != entry["rows"] or set(frame.columns) != set(expected):
        raise _mismatch(path, f"tabela „{name}” ma {len(frame)} wierszy i kolumny "
                              f"{', '.join(map(str, frame.columns))}, a manifest opisuje "
                              f"{entry['rows']} wierszy i kolumny {', '.join(expected)}")
    return frame


def empty_table(name: str) -> pd.DataFrame:
    """A table of :data:`TABLES` with its columns and types and no rows."""
    columns = list(TABLES[name].to_schema().columns)
    return TABLES[name].validate(pd.DataFrame({c: pd.Series(dtype=object) for c in columns}))
