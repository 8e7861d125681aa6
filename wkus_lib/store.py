"""The validated store: one Parquet file per input table plus a manifest.

``data/store/<table>.parquet`` holds only rows that passed the table's pandera
model; ``manifest.json`` records each table's SHA-256 and row count, whether
the data are synthetic, and one hash of the whole store that reports cite.
Writes are atomic (temporary file, then rename), so a crash never leaves a
half-written table. :meth:`Store.for_gmina` is the only way notebooks see
data, so a gmina's report is built from that gmina's rows alone.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pandas as pd
import pandera.pandas as pa

from wkus_lib.errors import InputError
from wkus_lib.schemas import ROW_CHECK_COLUMNS, TABLES

MANIFEST_NAME: Final = "manifest.json"
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


def atomic_write_bytes(path: Path, payload: bytes) -> None:
    """Write ``payload`` to ``path`` via a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as tmp:
            tmp.write(payload)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.chmod(tmp_name, 0o666 & ~_current_umask())  # mkstemp creates files as 0600
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    sink = io.BytesIO()
    frame.reset_index(drop=True).to_parquet(sink, index=False, engine="pyarrow")
    return sink.getvalue()


def write_store(
    tables: Mapping[str, pd.DataFrame], store_dir: Path, *, synthetic: bool, note: str = ""
) -> dict[str, Any]:
    """Write validated tables and the manifest; return the manifest.

    Every table of :data:`TABLES` must be given (possibly empty). Tables are
    sorted by all their columns first so identical content gives identical
    bytes and hashes.
    """
    unknown = set(tables) - set(TABLES)
    missing = set(TABLES) - set(tables)
    if unknown or missing:
        raise ValueError(f"tables unknown: {sorted(unknown)}, missing: {sorted(missing)}")
    entries: dict[str, dict[str, Any]] = {}
    for name in TABLES:
        frame = TABLES[name].validate(tables[name])
        frame = frame.sort_values(list(frame.columns), kind="stable").reset_index(drop=True)
        payload = _parquet_bytes(frame)
        atomic_write_bytes(store_dir / f"{name}.parquet", payload)
        entries[name] = {"sha256": hashlib.sha256(payload).hexdigest(), "rows": len(frame)}
    combined = hashlib.sha256(
        json.dumps(entries, sort_keys=True).encode("utf-8")
    ).hexdigest()
    manifest = {"synthetic": synthetic, "note": note, "hash": combined, "tables": entries}
    atomic_write_bytes(
        store_dir / MANIFEST_NAME,
        json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8"),
    )
    return manifest


def read_manifest(store_dir: Path) -> dict[str, Any]:
    """The store's manifest; a Polish error if the store was never built."""
    path = store_dir / MANIFEST_NAME
    if not path.exists():
        raise InputError(
            "Magazyn danych jest pusty (brak manifest.json)", file=str(path),
            hint="Uruchom najpierw „wkus demo-data” albo zaimportuj dane.",
        )
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


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
    """Load the whole store; raises :class:`InputError` if it does not exist.

    A table whose bytes still have the SHA-256 the manifest recorded is
    exactly what :func:`write_store` validated, so it is not validated
    again (that took most of the time of opening a small store). A table
    changed behind the manifest's back is validated in full.
    """
    manifest = read_manifest(store_dir)
    recorded = manifest.get("tables", {})
    frames = {
        name: _read_table(store_dir / f"{name}.parquet", name,
                          recorded.get(name, {}).get("sha256"))
        for name in TABLES
    }
    return Store(**frames, synthetic=bool(manifest["synthetic"]), data_hash=str(manifest["hash"]))


def _read_table(path: Path, name: str, recorded_sha256: str | None) -> pd.DataFrame:
    payload = path.read_bytes()
    frame = pd.read_parquet(io.BytesIO(payload))
    if recorded_sha256 == hashlib.sha256(payload).hexdigest():
        return frame
    outcome = validate_table(name, frame, str(path))
    if outcome.problems.empty:
        return outcome.valid
    first = outcome.problems.iloc[0]
    raise InputError(
        f"tabela magazynu zmieniona poza wkus nie przechodzi walidacji: {first['problem']} "
        f"(problemów: {len(outcome.problems)})",
        file=str(path),
        row=None if pd.isna(first["row"]) else int(first["row"]) - 1,
        column=first["column"], value=first["value"],
        hint="Przywróć plik z kopii albo zbuduj magazyn od nowa i zaimportuj dane "
             "poleceniem „wkus import”; plików magazynu nie edytuje się ręcznie.",
    )


def empty_table(name: str) -> pd.DataFrame:
    """A table of :data:`TABLES` with its columns and types and no rows."""
    columns = list(TABLES[name].to_schema().columns)
    return TABLES[name].validate(pd.DataFrame({c: pd.Series(dtype=object) for c in columns}))
