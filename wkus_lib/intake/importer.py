"""Import files into the store: read, map, convert, pseudonymise, validate, append, quarantine.

Every problem of every file is collected before anything is written (lazy
validation), then valid rows are appended to the store in one pass (rows
already there are skipped, so importing a file twice adds nothing), invalid
rows go to ``<store>/quarantine/<table>.csv`` with a ``powód`` column, and the
report is saved as ``<store>/import-report.html``. Raw files are only read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from wkus_lib.catalog import load_catalog
from wkus_lib.errors import InputError
from wkus_lib.intake.convert import (
    MACHINE_DETECTION,
    CellError,
    column_spec,
    convert_cell,
    is_empty,
    likert_lookup,
)
from wkus_lib.intake.headers import HEADERS, normalize_header
from wkus_lib.intake.import_report import (
    REPORT_COLUMNS,
    ImportReport,
    empty_problems,
    rows_word,
    write_html,
)
from wkus_lib.intake.mapping import MappedSheet, SurveyCatalogue, map_sheet
from wkus_lib.intake.pseudonym import PSEUDONYM_HEX_DIGITS, PSEUDONYM_PREFIX, load_key, pseudonymise
from wkus_lib.intake.readers import read_file
from wkus_lib.intake.upsert import append_to_store, rows_not_in
from wkus_lib.schemas import END_BEFORE_START, MORE_LEAVERS_THAN_STAFF, TABLES
from wkus_lib.store import MANIFEST_NAME, atomic_write_bytes, read_store, validate_table

QUARANTINE_DIR: Final = "quarantine"
REASON_COLUMN: Final = "powód"
STRAY_COLUMN: Final = "(kolumna bez nagłówka)"
ORIGIN_COLUMNS: Final = ("plik", "arkusz", "wiersz")
_PSEUDONYM: Final = re.compile(rf"^{PSEUDONYM_PREFIX}[0-9a-f]{{{PSEUDONYM_HEX_DIGITS}}}$")
_ROW_CHECK_HINTS: Final = {
    END_BEFORE_START: "Sprawdź lata umowy: rok zakończenia nie może być wcześniejszy.",
    MORE_LEAVERS_THAN_STAFF: "Liczba odejść nie może przekroczyć liczby osób personelu.",
}
_TERYT_HINT: Final = ("Kod TERYT gminy ma 7 cyfr, ostatnia to typ gminy (1, 2 lub 3); w Excelu "
                      "zapisz go jako tekst, bo zero na początku ginie.")

__all__ = ["ImportReport", "import_files", "import_frame"]


@dataclass(frozen=True)
class _SheetOutcome:
    valid: pd.DataFrame
    quarantine: pd.DataFrame  # Polish headers + origin + reason, all text
    problems: pd.DataFrame
    notes: tuple[str, ...] = ()


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


def _key_conflicts(
    mapped: MappedSheet, valid: pd.DataFrame, present: pd.DataFrame | None,
) -> list[tuple[int | None, dict[str, object]]]:
    """Valid rows whose unique key (e.g. a contract number) is already held with other values."""
    unique = [c for c, f in TABLES[mapped.table].to_schema().columns.items() if f.unique]
    if present is None or present.empty or not unique or valid.empty:
        return []
    novel = rows_not_in(valid, present)
    found: list[tuple[int | None, dict[str, object]]] = []
    for column in unique:
        clashing = novel.loc[novel[column].isin(set(present[column])), column]
        found += [
            (int(position), {
                "file": mapped.source, "sheet": mapped.sheet, "row": mapped.rows[int(position)],
                "column": str(mapped.headers[column].iloc[int(position)]), "value": value,
                "problem": "ta wartość jest już w magazynie (albo we wcześniejszym pliku) "
                "z innymi danymi w pozostałych kolumnach",
                "hint": "Jeśli to ten sam wpis, popraw dane tak, by były identyczne; jeśli inny "
                "— nadaj mu inny numer.",
            })
            for position, value in clashing.items()
        ]
    return found


def _process(
    mapped: MappedSheet, key: bytes, likert: Mapping[str, int], present: pd.DataFrame | None,
) -> _SheetOutcome:
    """Convert, pseudonymise and validate one mapped sheet; ``present``: rows already held."""
    frame, shown, cell_problems, failed = _convert(mapped, key, likert)
    outcome = validate_table(mapped.table, frame, mapped.source)
    located: list[tuple[int | None, dict[str, object]]] = [
        (int(str(p.pop("position"))), p) for p in cell_problems
    ]
    located += _validation_problems(mapped, outcome.problems, shown, failed)
    located += _key_conflicts(mapped, outcome.valid, present)
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
    quarantine = shown.iloc[held].rename(columns=HEADERS[mapped.table])
    quarantine.insert(0, ORIGIN_COLUMNS[2], [mapped.rows[p] for p in held])
    quarantine.insert(0, ORIGIN_COLUMNS[1], mapped.sheet or "")
    quarantine.insert(0, ORIGIN_COLUMNS[0], mapped.source)
    quarantine[REASON_COLUMN] = ["; ".join(reasons[p]) for p in held]
    report = pd.DataFrame.from_records([r for _, r in located], columns=list(REPORT_COLUMNS))
    return _SheetOutcome(valid.reset_index(drop=True), quarantine.reset_index(drop=True), report,
                         _repeated_respondents(mapped, valid))


def _repeated_respondents(mapped: MappedSheet, valid: pd.DataFrame) -> tuple[str, ...]:
    """Notes on respondents who answered the same item twice in one sheet.

    The rows are kept — a questionnaire typed in twice is a data-quality
    finding (``wkus check`` counts it), not a formal error — but the report
    says where, by pseudonym and rows, never by the identifier as given.
    """
    if "item_id" not in valid or "respondent_id" not in valid:
        return ()
    keys = [c for c in valid.columns if c != "answer"]
    repeated = valid[valid.duplicated(keys, keep=False)]
    notes = []
    for respondent, rows in repeated.groupby("respondent_id", sort=True).groups.items():
        shown = sorted({mapped.rows[int(p)] for p in rows})
        label = mapped.source + (f" / {mapped.sheet}" if mapped.sheet else "")
        notes.append(
            f"{label}: respondent {respondent} odpowiedział dwa razy na te same pytania "
            f"(wiersze {', '.join(map(str, shown))}) — wczytano oba wpisy; sprawdź, czy ankieta "
            "nie została wpisana podwójnie"
        )
    return tuple(notes)


def _quarantine_csv(frame: pd.DataFrame) -> bytes:
    # Polish Excel opens UTF-8 with a BOM and ";" correctly; the importer reads it back too.
    return frame.to_csv(index=False, sep=";").encode("utf-8-sig")


def _write_quarantine(held: Mapping[str, list[pd.DataFrame]], store_dir: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table, parts in held.items():
        new = pd.concat(parts, ignore_index=True).astype(object)
        new = new.where(new.notna(), "").astype(str)
        counts[table] = len(new)
        if new.empty:
            continue
        path = store_dir / QUARANTINE_DIR / f"{table}.csv"
        if path.exists():
            old = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
            new = pd.concat([old, new], ignore_index=True).drop_duplicates()
        atomic_write_bytes(path, _quarantine_csv(new))
    return counts


def _import(
    sheets: Sequence[MappedSheet], store_dir: Path, key_file: Path | None,
    problems: list[pd.DataFrame], detections: tuple[str, ...], notes: tuple[str, ...],
    unreadable: tuple[str, ...], file_order: Sequence[str],
) -> ImportReport:
    key = load_key(key_file) if sheets else b""
    _, likert = _survey_catalogue()
    stored = read_store(store_dir).tables() if (store_dir / MANIFEST_NAME).exists() else {}
    valid: dict[str, pd.DataFrame] = {}
    held: dict[str, list[pd.DataFrame]] = {}
    sheet_notes = list(notes)
    for mapped in sheets:
        earlier = [f for f in (stored.get(mapped.table), valid.get(mapped.table)) if f is not None]
        present = pd.concat(earlier, ignore_index=True) if len(earlier) > 1 else (
            earlier[0] if earlier else None)
        outcome = _process(mapped, key, likert, present)
        problems.append(outcome.problems)
        sheet_notes.extend(outcome.notes)
        held.setdefault(mapped.table, []).append(outcome.quarantine)
        if mapped.table in valid:
            # The same rows twice in one command (e.g. one file given twice) count once.
            fresh = rows_not_in(outcome.valid, valid[mapped.table])
            valid[mapped.table] = pd.concat([valid[mapped.table], fresh], ignore_index=True)
        else:
            valid[mapped.table] = outcome.valid
    added = append_to_store(valid, store_dir, note="dane zaimportowane (wkus import)") if (
        valid) else {}
    quarantined = _write_quarantine(held, store_dir)
    found = [p for p in problems if len(p)]
    listed = pd.concat(found, ignore_index=True) if found else empty_problems()
    # Files in the order given (rejected files are found first, while reading).
    order = {name: index for index, name in enumerate(dict.fromkeys(file_order))}
    listed = listed.sort_values("file", key=lambda f: f.map(order), kind="stable")
    report = ImportReport(
        problems=listed.reset_index(drop=True),
        added=added, quarantined=quarantined, detections=detections, unreadable=unreadable,
        notes=tuple(sheet_notes),
    )
    write_html(report, store_dir)
    return report


def import_files(
    paths: Sequence[Path], store_dir: Path, *, key_file: Path | None = None
) -> ImportReport:
    """Import CSV/XLSX files into the store at ``store_dir``; see the module docstring."""
    survey, _ = _survey_catalogue()
    sheets: list[MappedSheet] = []
    problems: list[pd.DataFrame] = []
    detections: list[str] = []
    notes: list[str] = []
    unreadable: list[str] = []
    for path in paths:
        try:
            raws = read_file(Path(path))
        except InputError as error:
            problems.append(_file_problem(Path(path).name, None, error.problem, error.hint or ""))
            unreadable.append(Path(path).name)
            continue
        mapped_any = False
        for raw in raws:
            label = raw.path.name + (f" / {raw.sheet}" if raw.sheet else "")
            detections.append(f"{label}: {raw.detection.describe()}")
            notes.extend(f"{label}: {n}" for n in raw.notes)
            result = map_sheet(raw, survey)
            notes.extend(result.notes)
            if result.rejection is not None:
                problems.append(_file_problem(raw.path.name, raw.sheet, result.rejection.problem,
                                              result.rejection.hint))
                continue
            mapped_any = True
            sheets.extend(result.sheets)
            detections.extend(
                f"{label}: tabela {m.table} ({len(m.cells)} {rows_word(len(m.cells))})"
                for m in result.sheets
            )
        if not mapped_any:
            unreadable.append(Path(path).name)
    return _import(sheets, store_dir, key_file, problems, tuple(detections), tuple(notes),
                   tuple(unreadable), [Path(p).name for p in paths])


def _file_problem(file: str, sheet: str | None, problem: str, hint: str) -> pd.DataFrame:
    return pd.DataFrame([{"file": file, "sheet": sheet, "row": None, "column": None,
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
    return _import([mapped], store_dir, key_file, [], (detection,), (), (), [source])
