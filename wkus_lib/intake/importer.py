"""Import files into the store: read, map, convert, pseudonymise, validate, correct, quarantine.

Every problem of every file is collected before anything is written (lazy
validation). Valid rows are then matched with the store by their natural key
(:data:`wkus_lib.schemas.KEYS`): a new key is added, a stored key with other
values is replaced (a correction), the same row again changes nothing;
``withdraw`` files remove the rows whose keys they list (whole rows, or the key
columns alone; a hidden sheet, a table the mapper refuses or key columns given
twice withdraw nothing and say why). Rows sharing one key
within an import, and rows of a contract that is neither in the store nor in
this import, go to ``<store>/quarantine/<table>.csv`` with the reason
(``powód``); the quarantine is a to-do list (:mod:`wkus_lib.intake.quarantine`).
The store, with its change log (:mod:`wkus_lib.intake.changelog`), is read and written
under the store's lock as one new version. ``dry_run`` computes the same
report and writes nothing. Raw files are only read. A quarantine file imported
back loses the apostrophes its writer put before formula-like text, so the
user's own text returns; a file the reader refuses is reported with the row
the reader named (e.g. the first line in another encoding).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from wkus_lib.catalog import load_catalog
from wkus_lib.errors import InputError
from wkus_lib.intake import upsert
from wkus_lib.intake.changelog import CHANGELOG_NAME, changelog_bytes, log_entries
from wkus_lib.intake.convert import (
    MACHINE_DETECTION,
    CellError,
    column_spec,
    convert_cell,
    is_empty,
    likert_lookup,
)
from wkus_lib.intake.headers import (
    HEADERS,
    TABLE_TITLES,
    column_for,
    find_table,
    normalize_header,
)
from wkus_lib.intake.import_report import (
    REPORT_COLUMNS,
    ImportReport,
    empty_problems,
    rows_word,
    write_html,
)
from wkus_lib.intake.mapping import (
    MappedSheet,
    MappingResult,
    Rejection,
    SurveyCatalogue,
    map_sheet,
)
from wkus_lib.intake.pseudonym import PSEUDONYM_HEX_DIGITS, PSEUDONYM_PREFIX, load_key, pseudonymise
from wkus_lib.intake.quarantine import (
    ORIGIN_COLUMNS,
    QUARANTINE_DIR,
    REASON_COLUMN,
    Origin,
    key_texts,
    quarantine_origins,
    quarantine_path,
    read_quarantine,
    restored_quarantine_sheet,
    set_aside_unreadable,
    updated_quarantine,
    write_quarantine,
)
from wkus_lib.intake.readers import RawSheet, read_file, rows_phrase
from wkus_lib.intake.upsert import ORIGIN_FILE, ORIGIN_ROW
from wkus_lib.schemas import (
    CONTRACT_TABLES,
    END_BEFORE_START,
    KEYS,
    MORE_LEAVERS_THAN_STAFF,
    TABLES,
)
from wkus_lib.store import (
    MANIFEST_NAME,
    empty_table,
    read_manifest,
    read_store,
    read_store_file,
    store_lock,
    validate_table,
    write_store,
)

STRAY_COLUMN: Final = "(kolumna bez nagłówka)"
_SHOWN: Final = "_shown"
_PSEUDONYM: Final = re.compile(rf"^{PSEUDONYM_PREFIX}[0-9a-f]{{{PSEUDONYM_HEX_DIGITS}}}$")
_ROW_CHECK_HINTS: Final = {
    END_BEFORE_START: "Sprawdź lata umowy: rok zakończenia nie może być wcześniejszy.",
    MORE_LEAVERS_THAN_STAFF: "Liczba odejść nie może przekroczyć liczby osób personelu.",
}
_TERYT_HINT: Final = ("Kod TERYT gminy ma 7 cyfr, ostatnia to typ gminy (1, 2 lub 3); w Excelu "
                      "zapisz go jako tekst, bo zero na początku ginie.")

__all__ = ["QUARANTINE_DIR", "REASON_COLUMN", "ImportReport", "import_files", "import_frame"]


@dataclass(frozen=True)
class _Sheet:
    """A mapped sheet and, for a quarantine file imported back, where its rows first came from."""

    mapped: MappedSheet
    origins: Mapping[int, Origin] = field(default_factory=dict)


@cache
def _survey_catalogue() -> tuple[SurveyCatalogue, dict[str, int]]:
    catalog = load_catalog()
    items = catalog.survey_items()
    texts: dict[str, str] = {}
    for row in items.itertuples(index=False):
        texts[normalize_header(str(row.text_pl))] = str(row.item_id)
    survey = SurveyCatalogue(dict(zip(items["item_id"], items["instrument"], strict=True)), texts)
    return survey, likert_lookup(catalog.instruments.likert_labels)


def _hint(table: str, column: str | None, problem: str) -> str:
    for check, hint in _ROW_CHECK_HINTS.items():
        if problem.startswith(check):
            return hint
    if column is None or column not in TABLES[table].to_schema().columns:
        return ""
    if problem.startswith("brak kolumny"):
        return f"Dodaj kolumnę „{HEADERS[table][column]}” (szablony: „wkus templates”)."
    field = TABLES[table].to_schema().columns[column]
    stats = {c.name: c.statistics for c in field.checks}
    if "isin" in stats:
        return "Dozwolone wartości: " + ", ".join(stats["isin"]["allowed_values"]) + "."
    if column == "teryt":
        return _TERYT_HINT
    low = stats.get("greater_than_or_equal_to", {}).get("min_value")
    if low is None:
        low = stats.get("greater_than", {}).get("min_value")
    high = stats.get("less_than_or_equal_to", {}).get("max_value")
    if "za mał" in problem or "większa" in problem or "za duża" in problem:
        if high is not None:
            return f"Dozwolony zakres: {low}–{high}."
        return f"Wartość musi być nie mniejsza niż {low}." if "za mał" in problem else (
            f"Wartość musi być większa niż {low}.")
    if problem.startswith(("brak wartości", "pusty tekst")):
        return "Uzupełnij komórkę."
    if problem.startswith("wartość powtarza się"):
        return "Każda wartość w tej kolumnie może wystąpić tylko raz."
    if "nie jest liczbą" in problem:
        return "Wpisz liczbę."
    return ""


def _convert(
    mapped: MappedSheet, key: bytes, likert: Mapping[str, int],
) -> tuple[pd.DataFrame, pd.DataFrame, list[dict[str, object]], set[tuple[int, str]]]:
    """Typed frame, the text as shown (pseudonymised), cell problems, failed (position, column).

    Each distinct value of a column is converted once (survey files repeat a few values
    thousands of times).
    """
    typed: dict[str, npt.NDArray[np.object_]] = {}
    shown = mapped.cells.copy()
    problems: list[dict[str, object]] = []  # "position" is dropped before reporting
    failed: set[tuple[int, str]] = set()
    for column in mapped.cells.columns:
        spec = column_spec(mapped.table, column)
        codes, distinct = pd.factorize(mapped.cells[column], use_na_sentinel=False)
        converted = np.empty(len(distinct), dtype=object)
        errors: dict[int, CellError] = {}
        for code, cell in enumerate(distinct):
            try:
                converted[code] = convert_cell(cell, spec, column, mapped.detection, likert)
            except CellError as error:
                errors[code] = error
        if column == "respondent_id":
            converted = np.array([None if v is None else _pseudonym(str(v), key)
                                  for v in converted], dtype=object)
            shown[column] = converted[codes]
        typed[column] = converted[codes]
        for position in np.flatnonzero(np.isin(codes, list(errors))).tolist():
            problem, cell = errors[codes[position]], distinct[codes[position]]
            failed.add((position, column))
            problems.append({
                "position": position, "file": mapped.source, "sheet": mapped.sheet,
                "row": mapped.rows[position], "column": mapped.headers[column].iloc[position],
                # a respondent id is never echoed as given
                "value": "" if is_empty(cell) or column == "respondent_id" else str(cell),
                "problem": problem.problem, "hint": problem.hint,
            })
    frame = pd.DataFrame(typed, columns=list(mapped.cells.columns), dtype=object)
    for column in HEADERS[mapped.table]:
        if column not in frame.columns and TABLES[mapped.table].to_schema().columns[column].nullable:
            frame[column] = None
    return frame, shown, problems, failed


def _pseudonym(raw_id: str, key: bytes) -> str:
    """Already pseudonymised ids (e.g. a fixed quarantine file imported back) stay as they are."""
    text = raw_id.strip()
    return text if _PSEUDONYM.match(text) else pseudonymise(text, key)


def _validation_problems(
    mapped: MappedSheet, problems: pd.DataFrame, shown: pd.DataFrame,
    failed: set[tuple[int, str]],
) -> list[tuple[int | None, dict[str, object]]]:
    """Schema problems in the user's terms: row as seen, header as written, value as typed.

    Position None marks a problem of the whole table (e.g. a missing column).
    """
    found: list[tuple[int | None, dict[str, object]]] = []
    for case in problems.to_dict("records"):
        problem = str(case["problem"])
        columns = [c.strip() for c in str(case["column"]).split(",")] if case["column"] else []
        position = None if case["row"] is None or pd.isna(case["row"]) else int(case["row"]) - 2
        if position is not None and all((position, c) in failed for c in columns):
            continue  # the conversion already reported this cell, with a better message
        headers = [
            str(mapped.headers[c].iloc[position]) if position is not None and c in mapped.headers
            else mapped.missing_headers.get(c) or HEADERS[mapped.table].get(c, c)
            for c in columns
        ]
        single = columns[0] if len(columns) == 1 else None
        value = (shown[single].iloc[position] if position is not None and single in shown
                 else case["value"])
        found.append((position, {
            "file": mapped.source, "sheet": mapped.sheet,
            "row": None if position is None else mapped.rows[position],
            "column": ", ".join(headers) or None, "value": value, "problem": problem,
            "hint": _hint(mapped.table, single, problem) or _hint(mapped.table, None, problem),
        }))
    return found


@dataclass(frozen=True)
class _SheetOutcome:
    valid: pd.DataFrame  # schema columns + origin columns + _SHOWN (its quarantine-format row)
    shown: pd.DataFrame  # quarantine-format rows of the valid rows, in the same order
    quarantine: pd.DataFrame  # origin + Polish headers + reason, all text
    problems: pd.DataFrame


def _quarantine_rows(
    mapped: MappedSheet, shown: pd.DataFrame, positions: Sequence[int],
    origins: Mapping[int, Origin],
) -> pd.DataFrame:
    """Rows as the quarantine lists them: where they first came from, then the cells as shown."""
    rows = shown.iloc[list(positions)].rename(columns=HEADERS[mapped.table])
    first = [origins.get(mapped.rows[p], (mapped.source, mapped.sheet or "", str(mapped.rows[p])))
             for p in positions]
    for index, column in reversed(list(enumerate(ORIGIN_COLUMNS))):
        rows.insert(0, column, [o[index] for o in first])
    return rows.reset_index(drop=True)


def _process(
    mapped: MappedSheet, key: bytes, likert: Mapping[str, int], origins: Mapping[int, Origin],
) -> _SheetOutcome:
    """Convert, pseudonymise and validate one mapped sheet."""
    frame, shown, cell_problems, failed = _convert(mapped, key, likert)
    outcome = validate_table(mapped.table, frame, mapped.source)
    located: list[tuple[int | None, dict[str, object]]] = [
        (int(str(p.pop("position"))), p) for p in cell_problems
    ]
    located += _validation_problems(mapped, outcome.problems, shown, failed)
    located += [
        (position, {
            "file": mapped.source, "sheet": mapped.sheet, "row": mapped.rows[position],
            "column": STRAY_COLUMN, "value": value,
            "problem": "wartość w kolumnie bez nagłówka — wiersz ma więcej komórek niż nagłówek",
            "hint": "Sprawdź, czy liczba z przecinkiem dziesiętnym nie została rozdzielona na "
            "dwie kolumny (w pliku z separatorem „,” ujmij ją w cudzysłów albo zapisz plik "
            "z separatorem „;”).",
        })
        for position, value in mapped.stray_values.items()
    ]
    reasons: dict[int, list[str]] = {}
    whole_table: list[str] = []
    for position, record in located:
        reason = f"{record['column']}: {record['problem']}"
        if position is None:
            whole_table.append(reason)
        else:
            reasons.setdefault(position, []).append(reason)
    if whole_table:
        reasons = {p: whole_table + reasons.get(p, []) for p in range(len(frame))}
    held = sorted(reasons)
    valid = outcome.valid.drop(index=[p for p in held if p in outcome.valid.index])
    positions = [int(p) for p in valid.index]
    valid = valid.reset_index(drop=True)
    valid[ORIGIN_FILE] = mapped.source
    valid[ORIGIN_ROW] = [mapped.rows[p] for p in positions]
    valid[_SHOWN] = range(len(valid))
    quarantine = _quarantine_rows(mapped, shown, held, origins)
    quarantine[REASON_COLUMN] = ["; ".join(reasons[p]) for p in held]
    report = pd.DataFrame.from_records([r for _, r in located], columns=list(REPORT_COLUMNS))
    return _SheetOutcome(valid, _quarantine_rows(mapped, shown, positions, origins), quarantine,
                         report)


@dataclass
class _Batch:
    """Valid rows per table across all sheets of one command, and what is held back."""

    valid: dict[str, pd.DataFrame] = field(default_factory=dict)
    shown: dict[str, pd.DataFrame] = field(default_factory=dict)
    held: dict[str, list[pd.DataFrame]] = field(default_factory=dict)
    problems: list[pd.DataFrame] = field(default_factory=list)

    def add(self, table: str, outcome: _SheetOutcome) -> None:
        self.problems.append(outcome.problems)
        self.held.setdefault(table, []).append(outcome.quarantine)
        valid, shown = outcome.valid.copy(), outcome.shown
        if table in self.valid:
            valid[_SHOWN] += len(self.shown[table])
            self.valid[table] = pd.concat([self.valid[table], valid], ignore_index=True)
            self.shown[table] = pd.concat([self.shown[table], shown], ignore_index=True)
        else:
            self.valid[table], self.shown[table] = valid, shown

    def hold(self, table: str, positions: Sequence[int], reasons: Sequence[str],
             problems: Sequence[dict[str, object]]) -> None:
        """Move valid rows (by position in ``valid[table]``) to the quarantine."""
        if not positions:
            return
        frame = self.valid[table]
        rows = self.shown[table].iloc[frame[_SHOWN].iloc[list(positions)].tolist()].copy()
        rows[REASON_COLUMN] = list(reasons)
        self.held.setdefault(table, []).append(rows.reset_index(drop=True))
        self.valid[table] = frame.drop(index=frame.index[list(positions)]).reset_index(drop=True)
        self.problems.append(pd.DataFrame.from_records(list(problems),
                                                       columns=list(REPORT_COLUMNS)))


def _hold_repeated_keys(batch: _Batch) -> None:
    """Rows sharing one natural key go to the quarantine together — unless they are the
    very same row from different files (one file given twice), which counts once."""
    for table in list(batch.valid):
        frame = batch.valid[table]
        drop: list[int] = []
        held: list[int] = []
        reasons: list[str] = []
        problems: list[dict[str, object]] = []
        for group in upsert.duplicate_key_groups(table, frame):
            rows = frame.iloc[group]
            values = rows.drop(columns=[ORIGIN_FILE, ORIGIN_ROW, _SHOWN])
            same = len(values.astype(str).drop_duplicates()) == 1
            if same and rows.groupby(ORIGIN_FILE)[ORIGIN_ROW].nunique().max() == 1:
                drop += group[1:]
                continue
            if rows[ORIGIN_FILE].nunique() == 1:
                where = "wiersze " + ", ".join(str(r) for r in rows[ORIGIN_ROW])
            else:
                where = ", ".join(f"{f} wiersz {r}" for f, r in
                                  zip(rows[ORIGIN_FILE], rows[ORIGIN_ROW], strict=True))
            key_text = ", ".join(str(upsert.plain(frame.iloc[group[0]][c])) for c in KEYS[table])
            for position in group:
                row = frame.iloc[position]
                held.append(position)
                reasons.append(f"ten sam klucz w kilku wierszach ({where})")
                problems.append({
                    "file": row[ORIGIN_FILE], "sheet": None, "row": int(row[ORIGIN_ROW]),
                    "column": ", ".join(HEADERS[table][c] for c in KEYS[table]),
                    "value": key_text,
                    "problem": f"ten sam wpis (ten sam klucz) występuje więcej niż raz ({where}); "
                               "żadnego z tych wierszy nie wczytano",
                    "hint": "Zostaw jeden wiersz z właściwymi wartościami i zaimportuj plik "
                            "ponownie (wiersz o kluczu, który jest już w magazynie, zastąpi go).",
                })
        if drop:
            batch.valid[table] = frame.drop(index=frame.index[drop]).reset_index(drop=True)
            keep = [p for p in range(len(frame)) if p not in set(drop)]
            renumber = {old: new for new, old in enumerate(keep)}
            held = [renumber[p] for p in held]
        batch.hold(table, held, reasons, problems)


def _hold_orphans(
    batch: _Batch, stored_contracts: pd.DataFrame, withdrawn_contracts: set[str],
) -> None:
    """Contract-level rows whose contract is neither stored nor imported now go to quarantine."""
    known = set(stored_contracts["contract_id"]) - withdrawn_contracts
    if "contracts" in batch.valid:
        known |= set(batch.valid["contracts"]["contract_id"])
    label = HEADERS["contracts"]["contract_id"]
    held_contracts = {
        str(v).strip() for part in batch.held.get("contracts", []) if label in part
        for v in part[label]
    }
    for table in CONTRACT_TABLES:
        frame = batch.valid.get(table)
        if frame is None or frame.empty:
            continue
        orphans = [p for p, c in enumerate(frame["contract_id"]) if c not in known]
        reasons, problems = [], []
        for position in orphans:
            row = frame.iloc[position]
            contract = str(row["contract_id"])
            if contract in held_contracts:
                reason = f"umowa {contract} trafiła w tym imporcie do kwarantanny"
                hint = ("Popraw najpierw tę umowę (quarantine/contracts.csv), potem zaimportuj "
                        "ten plik ponownie.")
            elif contract in withdrawn_contracts:
                reason = f"umowa {contract} jest wycofywana w tym samym poleceniu"
                hint = "Nie wycofuj umowy, do której wczytujesz dane."
            else:
                reason = f"w magazynie nie ma umowy {contract}"
                hint = ("Zaimportuj najpierw plik umów z tą umową (albo popraw numer umowy), "
                        "potem ten plik ponownie.")
            reasons.append(f"{label}: {reason}")
            problems.append({"file": row[ORIGIN_FILE], "sheet": None, "row": int(row[ORIGIN_ROW]),
                             "column": label, "value": contract, "problem": reason, "hint": hint})
        batch.hold(table, orphans, reasons, problems)


def _withdrawal_keys(
    sheets: Sequence[MappedSheet], key: bytes, likert: Mapping[str, int],
) -> tuple[dict[str, pd.DataFrame], list[dict[str, object]]]:
    """The keys each withdrawal sheet lists (with origin), and problems with them."""
    found: dict[str, list[pd.DataFrame]] = {}
    problems: list[dict[str, object]] = []
    for mapped in sheets:
        columns = KEYS[mapped.table]
        missing = [c for c in columns if c not in mapped.cells.columns]
        if missing:
            problems.append({
                "file": mapped.source, "sheet": mapped.sheet, "row": None,
                "column": ", ".join(HEADERS[mapped.table][c] for c in missing), "value": None,
                "problem": "w pliku wycofania brakuje kolumn klucza",
                "hint": "Plik wycofania musi mieć kolumny: "
                        + ", ".join(HEADERS[mapped.table][c] for c in columns) + ".",
            })
            continue
        only_keys = replace(mapped, cells=mapped.cells[list(columns)],
                            headers=mapped.headers[list(columns)], stray_values={})
        frame, _shown, cell_problems, failed = _convert(only_keys, key, likert)
        for problem in cell_problems:
            problem.pop("position")
            problem["problem"] = f"{problem['problem']} — tego wiersza nie wycofano"
            problems.append(problem)
        bad = {position for position, _ in failed}
        good = [p for p in range(len(frame)) if p not in bad]
        keys = frame.iloc[good][list(columns)].reset_index(drop=True)
        keys[ORIGIN_FILE] = mapped.source
        keys[ORIGIN_ROW] = [mapped.rows[p] for p in good]
        found.setdefault(mapped.table, []).append(keys)
    return {t: pd.concat(parts, ignore_index=True) for t, parts in found.items()}, problems


def _keep_contracts_with_rows(
    withdrawn: dict[str, pd.DataFrame], stored: Mapping[str, pd.DataFrame],
) -> list[dict[str, object]]:
    """A contract is withdrawn only with all its rows; otherwise the withdrawal is refused."""
    contracts = withdrawn.get("contracts")
    if contracts is None or contracts.empty:
        return []
    problems: list[dict[str, object]] = []
    refused: list[int] = []
    for position, contract in enumerate(contracts["contract_id"]):
        remaining = []
        for table in CONTRACT_TABLES:
            rows = stored[table][stored[table]["contract_id"] == contract]
            also = withdrawn.get(table)
            leaving = set(upsert.row_keys(table, also)) if also is not None else set()
            left = sum(1 for k in upsert.row_keys(table, rows) if k not in leaving)
            if left:
                remaining.append(f"{table}: {left}")
        if remaining:
            refused.append(position)
            problems.append({
                "file": contracts[ORIGIN_FILE].iloc[position], "sheet": None,
                "row": int(contracts[ORIGIN_ROW].iloc[position]),
                "column": HEADERS["contracts"]["contract_id"], "value": contract,
                "problem": "umowy nie wycofano: magazyn ma jeszcze jej wiersze ("
                           + ", ".join(remaining) + ")",
                "hint": "Wycofaj w tym samym poleceniu także koszty, rezultaty i inne wiersze "
                        "tej umowy.",
            })
    withdrawn["contracts"] = contracts.drop(index=refused).reset_index(drop=True)
    return problems


def _missing_withdrawals(plan: upsert.TablePlan) -> list[dict[str, object]]:
    return [{
        "file": file, "sheet": None, "row": row,
        "column": ", ".join(HEADERS[plan.table][c] for c in KEYS[plan.table]),
        "value": ", ".join(str(v) for v in key),
        "problem": "nie ma w magazynie wiersza o tym kluczu — nic nie wycofano",
        "hint": "Sprawdź wartości kolumn klucza (np. numer umowy i rok).",
    } for key, file, row in plan.missing_withdrawals]


def _contract_gminy(stored: pd.DataFrame, incoming: pd.DataFrame | None) -> dict[str, str]:
    frames = [stored] + ([incoming] if incoming is not None else [])
    return {str(c): str(t) for f in frames
            for c, t in zip(f["contract_id"], f["teryt"], strict=True)}


def _updated_quarantines(
    store_dir: Path, batch: _Batch, files_read: Sequence[str],
    origins_read: Sequence[Origin], *, dry_run: bool,
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Each table's quarantine after this import; unreadable old files are set aside."""
    updated: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    for table in TABLES:
        path = quarantine_path(store_dir, table)
        parts = [p for p in batch.held.get(table, []) if len(p)]
        key_headers = [HEADERS[table][c] for c in KEYS[table]]
        clean = (key_texts(batch.shown[table].iloc[batch.valid[table][_SHOWN].tolist()],
                           key_headers) if table in batch.valid else [])
        new = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
        if not path.exists() and new.empty:
            continue
        old = read_quarantine(path) if path.exists() else None
        if path.exists() and old is None:
            notes.append(f"plik kwarantanny {QUARANTINE_DIR}/{path.name} nie daje się odczytać"
                         if dry_run else set_aside_unreadable(store_dir, table))
        updated[table] = updated_quarantine(old, new, files_read=files_read,
                                            origins_read=origins_read, key_headers=key_headers,
                                            clean_keys=clean)
    return updated, notes


def _import(
    sheets: Sequence[_Sheet], store_dir: Path, key_file: Path | None,
    problems: list[pd.DataFrame], detections: tuple[str, ...], notes: tuple[str, ...],
    unreadable: tuple[str, ...], file_order: Sequence[str], *,
    withdrawals: Sequence[MappedSheet] = (), sha256_of: Mapping[str, str],
    dry_run: bool = False,
) -> ImportReport:
    key = load_key(key_file, store_dir=store_dir, record=not dry_run) if (
        sheets or withdrawals) else b""
    _, likert = _survey_catalogue()
    batch = _Batch(problems=list(problems))
    for sheet in sheets:
        batch.add(sheet.mapped.table, _process(sheet.mapped, key, likert, sheet.origins))
    _hold_repeated_keys(batch)
    withdrawn, withdraw_problems = _withdrawal_keys(withdrawals, key, likert)
    files_read = [s.mapped.source for s in sheets if not s.origins]
    origins_read = [o for s in sheets for o in s.origins.values()]
    with nullcontext() if dry_run else store_lock(store_dir):
        exists = (store_dir / MANIFEST_NAME).exists()
        current = read_store(store_dir) if exists else None
        stored = current.tables() if current else {t: empty_table(t) for t in TABLES}
        withdraw_problems += _keep_contracts_with_rows(withdrawn, stored)
        withdrawn_contracts = set(withdrawn.get("contracts", pd.DataFrame(
            {"contract_id": []}))["contract_id"])
        _hold_orphans(batch, stored["contracts"], withdrawn_contracts)
        plans = {}
        for table in TABLES:
            incoming = batch.valid.get(table)
            leaving = withdrawn.get(table)
            if incoming is None and leaving is None:
                continue
            plans[table] = upsert.plan_table(
                table, stored[table],
                (incoming if incoming is not None else _no_rows(table)).drop(
                    columns=[_SHOWN], errors="ignore"),
                leaving if leaving is not None else _no_rows(table))
        for plan in plans.values():
            withdraw_problems += _missing_withdrawals(plan)
        quarantines, quarantine_notes = _updated_quarantines(
            store_dir, batch, files_read, origins_read, dry_run=dry_run)
        changes = [c for p in plans.values() for c in p.changes]
        version = current.data_hash if current else ""
        from wkus_lib.intake.task_check import findings_after_import

        after = {t: upsert.apply_table(stored[t], plans[t]) if t in plans else stored[t]
                 for t in TABLES}
        task_findings = findings_after_import(after, [(c.table, c.key) for c in changes])
        if not dry_run:
            if changes or not exists:
                tables = after
                entries = log_entries(
                    changes, when=datetime.now(UTC).isoformat(timespec="milliseconds"),
                    previous=version, sha256_of=sha256_of,
                    teryt_of=_contract_gminy(stored["contracts"], batch.valid.get("contracts")))
                log = read_store_file(store_dir, CHANGELOG_NAME) if exists else None
                manifest = write_store(
                    tables, store_dir, synthetic=current.synthetic if current else False,
                    note=(read_manifest(store_dir).get("note") if exists else "")
                    or "dane zaimportowane (wkus import)",
                    extra={CHANGELOG_NAME: changelog_bytes(log, entries)} if entries else None)
                version = str(manifest["hash"])
            write_quarantine(store_dir, quarantines)
    batch.problems.append(pd.DataFrame.from_records(withdraw_problems,
                                                    columns=list(REPORT_COLUMNS)))
    found = [p for p in batch.problems if len(p)]
    listed = pd.concat(found, ignore_index=True) if found else empty_problems()
    # Rows stay whole numbers (or None for a whole file) however the frames were concatenated.
    listed["row"] = pd.Series([None if pd.isna(v) else int(v) for v in listed["row"]],
                              index=listed.index, dtype=object)
    # Files in the order given (rejected files are found first, while reading).
    order = {name: index for index, name in enumerate(dict.fromkeys(file_order))}
    listed = listed.sort_values("file", key=lambda f: f.map(order), kind="stable")
    held = {t: sum(len(p) for p in parts) for t, parts in batch.held.items()}
    report = ImportReport(
        problems=listed.reset_index(drop=True),
        added={t: p.count("added") for t, p in plans.items()},
        quarantined={t: held.get(t, 0) for t in dict.fromkeys([*plans, *held])},
        detections=detections, unreadable=unreadable,
        notes=(*notes, *quarantine_notes),
        changed={t: p.count("changed") for t, p in plans.items()},
        removed={t: p.count("removed") for t, p in plans.items()},
        unchanged={t: p.unchanged for t, p in plans.items()},
        changes=tuple(changes), refused=len(withdraw_problems), dry_run=dry_run,
        store_version=version,
        open_quarantine={t: len(f) for t, f in quarantines.items() if len(f)},
        task_findings=tuple(task_findings),
    )
    if not dry_run:
        write_html(report, store_dir)
    return report


def _no_rows(table: str) -> pd.DataFrame:
    frame = empty_table(table)
    frame[ORIGIN_FILE] = pd.Series(dtype=object)
    frame[ORIGIN_ROW] = pd.Series(dtype=object)
    return frame



def _key_table(headers: Sequence[str]) -> str | None:
    """The table whose whole natural key the headers name (the longest key wins), or None."""
    fitting = [table for table in TABLES
               if set(KEYS[table]) <= {column_for(table, h) for h in headers if h}]
    longest = max((len(KEYS[t]) for t in fitting), default=0)
    best = [t for t in fitting if len(KEYS[t]) == longest]
    return best[0] if len(best) == 1 else None


def _unrecognised(raw: RawSheet, survey: SurveyCatalogue) -> bool:
    """No table and no survey question in the headers (key columns alone, for instance)."""
    return find_table(raw.headers) is None and not any(
        header and survey.item_for(header) for header in raw.headers)


def _keys_only(raw: RawSheet, survey: SurveyCatalogue) -> MappingResult:
    """A withdrawal sheet: whole rows map as usual; key columns alone map by the key.

    A hidden sheet, or a recognised table the mapper refuses (two columns with the
    same meaning), is never used for withdrawal: the mapper's answer stands.
    """
    result = map_sheet(raw, survey)
    if raw.hidden and result.rejection is None and (hidden := _key_table(raw.headers)):
        return MappingResult(rejection=Rejection(
            f"arkusz „{raw.sheet}” jest ukryty, a zawiera klucze tabeli "
            f"„{TABLE_TITLES[hidden]}” ({rows_phrase(len(raw.rows))}) – nic z niego nie wycofano",
            "Jeśli te wiersze mają zostać wycofane, odkryj arkusz w Excelu (prawy przycisk myszy "
            "na karcie dowolnego arkusza → „Odkryj…”), zapisz plik i podaj go ponownie.",
        ))
    if raw.hidden or result.rejection is None or not _unrecognised(raw, survey):
        return result
    table = _key_table(raw.headers)
    if table is None:
        return result
    columns = list(KEYS[table])
    claimed = {c: [h for h in raw.headers if h and column_for(table, h) == c] for c in columns}
    twice = {c: headers for c, headers in claimed.items() if len(headers) > 1}
    if twice:
        named = "; ".join(", ".join(f"„{h}”" for h in headers) for headers in twice.values())
        return MappingResult(rejection=Rejection(
            f"kolumny klucza występują więcej niż raz ({named}) – nie wiadomo, którą wziąć, "
            "więc z tego arkusza nic nie wycofano",
            "Zostaw po jednej kolumnie klucza i podaj plik do wycofania ponownie.",
        ))
    positions = {column_for(table, h): i for i, h in enumerate(raw.headers) if h}
    cells = pd.DataFrame({c: raw.rows[positions[c]].tolist() for c in columns}, dtype=object)
    cells = cells.where(cells.notna(), None)
    keep = cells.notna().any(axis=1).to_numpy(dtype=bool)
    cells = cells[keep].reset_index(drop=True)
    headers = pd.DataFrame({c: [raw.headers[positions[c]]] * len(cells) for c in columns},
                           index=cells.index, columns=columns)
    mapped = MappedSheet(table, raw.path.name, raw.sheet, cells,
                         tuple(int(r) for r in raw.rows.index[keep]), headers, raw.detection)
    return MappingResult(sheets=(mapped,))


def _read_sheets(
    paths: Sequence[Path], survey: SurveyCatalogue, *, withdrawal: bool = False,
) -> tuple[list[_Sheet], list[pd.DataFrame], list[str], list[str], list[str]]:
    """Read and map files: sheets, problems, detections, notes, files that gave nothing."""
    sheets: list[_Sheet] = []
    problems: list[pd.DataFrame] = []
    detections: list[str] = []
    notes: list[str] = []
    unreadable: list[str] = []
    for path in paths:
        try:
            raws = read_file(Path(path))
        except InputError as error:
            problems.append(_file_problem(Path(path).name, None, error.problem, error.hint or "",
                                          row=error.row))
            unreadable.append(Path(path).name)
            continue
        mapped_any = False
        for raw in map(restored_quarantine_sheet, raws):
            label = raw.path.name + (f" / {raw.sheet}" if raw.sheet else "")
            detections.append(f"{label}: {raw.detection.describe()}")
            notes.extend(f"{label}: {n}" for n in raw.notes)
            result = _keys_only(raw, survey) if withdrawal else map_sheet(raw, survey)
            notes.extend(result.notes)
            if result.rejection is not None:
                problems.append(_file_problem(raw.path.name, raw.sheet, result.rejection.problem,
                                              result.rejection.hint))
                continue
            mapped_any = True
            origins = quarantine_origins(raw)
            sheets.extend(_Sheet(m, origins) for m in result.sheets)
            detections.extend(
                f"{label}: tabela {m.table} ({len(m.cells)} {rows_word(len(m.cells))})"
                for m in result.sheets
            )
        if not mapped_any:
            unreadable.append(Path(path).name)
    return sheets, problems, detections, notes, unreadable


def _file_sha256(path: Path) -> str:
    """The file's SHA-256, read in chunks (the change log names each file by it)."""
    try:
        with Path(path).open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return ""


def import_files(
    paths: Sequence[Path], store_dir: Path, *, key_file: Path | None = None,
    withdraw: Sequence[Path] = (), dry_run: bool = False,
) -> ImportReport:
    """Import CSV/XLSX files into the store at ``store_dir``; see the module docstring.

    ``withdraw``: files listing the keys of rows to remove (whole rows copied
    from the source file will do). ``dry_run``: report only, write nothing.
    """
    survey, _ = _survey_catalogue()
    sheets, problems, detections, notes, unreadable = _read_sheets(paths, survey)
    gone, gone_problems, gone_detections, gone_notes, gone_unreadable = _read_sheets(
        withdraw, survey, withdrawal=True)
    detections += [f"{d} — do wycofania" for d in gone_detections]
    sha256_of = {Path(p).name: _file_sha256(Path(p)) for p in [*paths, *withdraw]
                 if Path(p).name not in {*unreadable, *gone_unreadable}}
    return _import(sheets, store_dir, key_file, [*problems, *gone_problems], tuple(detections),
                   (*notes, *gone_notes), (*unreadable, *gone_unreadable),
                   [Path(p).name for p in [*paths, *withdraw]],
                   withdrawals=[s.mapped for s in gone], sha256_of=sha256_of, dry_run=dry_run)


def _file_problem(
    file: str, sheet: str | None, problem: str, hint: str, *, row: int | None = None,
) -> pd.DataFrame:
    return pd.DataFrame([{"file": file, "sheet": sheet, "row": row, "column": None,
                          "value": None, "problem": problem, "hint": hint}],
                        columns=list(REPORT_COLUMNS))


def import_frame(
    table: str, frame: pd.DataFrame, store_dir: Path, *, source: str,
    key_file: Path | None = None,
) -> ImportReport:
    """Import rows of one table given with schema column names (e.g. from a form widget).

    Same conversion, pseudonymisation, validation, de-duplication and atomic
    writes as :func:`import_files`; ``source`` names the rows in the report.
    """
    if table not in TABLES:
        raise InputError(f"Nieznana tabela „{table}”", hint="Tabele: " + ", ".join(TABLES) + ".")
    columns = [c for c in HEADERS[table] if c in frame.columns]
    cells = frame[columns].astype(object).reset_index(drop=True)
    cells = cells.where(cells.notna(), None)
    headers = pd.DataFrame({c: [HEADERS[table][c]] * len(cells) for c in columns},
                           index=cells.index, columns=columns)
    mapped = MappedSheet(
        table=table, source=source, sheet=None, cells=cells,
        rows=tuple(range(2, len(cells) + 2)), headers=headers, detection=MACHINE_DETECTION,
        missing_headers={c: HEADERS[table][c] for c in HEADERS[table] if c not in columns},
    )
    detection = f"{source}: tabela {table} ({len(cells)} {rows_word(len(cells))})"
    digest = hashlib.sha256(frame.to_csv(index=False).encode("utf-8")).hexdigest()
    return _import([_Sheet(mapped)], store_dir, key_file, [], (detection,), (), (), [source],
                   sha256_of={source: digest})
