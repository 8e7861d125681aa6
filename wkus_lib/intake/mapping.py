"""Headers → table and columns: long tables as they are, wide survey exports to long rows.

A sheet is either a *long* table (its headers name the columns of one store
table; :func:`wkus_lib.intake.headers.find_table`) or a *wide* survey export:
one row per respondent, one column per catalogue ``item_id``. Survey tools
decorate those names — LimeSurvey ``klient[k_sat1]``, Kobo/ODK group prefixes
``satysfakcja/k_sat1`` — and add their own metadata (``_uuid``,
``meta/instanceID``, ``_submission_time``, ``start``…). Wide rows become
``survey_responses`` (service instruments), ``cooperation_survey`` (the
cooperation instrument) and ``survey_comments`` (a free-text column).
Columns that map to nothing are dropped and named in a note, so direct
identifiers (names, e-mails, IP addresses) never reach the store.

Nothing is dropped silently: two columns with data naming the same target (two
„Koszt planowany” columns, ``klient[k_sat1]`` next to ``k_sat1``) reject the
sheet, naming both (when only one has data, it is read and a note names both); a hidden sheet is never imported and, when it holds a table,
is a problem telling how to unhide it; invisible characters (zero-width spaces,
direction marks, BOM, non-breaking spaces) are removed from identifiers, which
must match across tables character by character, and a note names the rows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from wkus_lib.intake.convert import (
    IDENTIFIER_COLUMNS,
    INVISIBLE,
    INVISIBLE_CHARACTERS,
    is_empty,
)
from wkus_lib.intake.headers import (
    HEADERS,
    TABLE_TITLES,
    column_for,
    find_table,
    normalize_header,
)
from wkus_lib.intake.readers import Detection, RawSheet, column_letter, rows_phrase
from wkus_lib.schemas import TABLES

COOPERATION_INSTRUMENT: Final = "wspolpraca"
RESPONDENT_ID_HEADERS: Final = ("_uuid", "meta/instanceid", "instanceid", "id", "_id")
"""Survey-tool row identifiers used as respondent id, best first (after ``respondent_id``)."""
COMMENT_HEADERS: Final = frozenset(
    {"komentarz", "komentarze", "uwagi", "wypowiedz", "tresc wypowiedzi", "comment", "text"}
)
_BRACKETED_CODE: Final = re.compile(r"^(?P<code>[^\[\]]+)\[(?P<sub>[^\[\]]+)\]$")
_ITEM_SHAPE: Final = re.compile(r"^[a-z]{1,3}_[a-z]+\d+$", re.IGNORECASE)
"""How catalogue question codes look (``k_sat1``, ``c_zas2``)."""


@dataclass(frozen=True)
class SurveyCatalogue:
    """What the mapper needs from the catalogue: items and their instruments."""

    instrument_of: Mapping[str, str]  # item_id → instrument
    item_by_text: Mapping[str, str]  # normalised Polish text → item_id

    def item_for(self, header: str) -> str | None:
        """The catalogue item a wide header names (plain, group-prefixed, ``code[sub]``, text)."""
        header = INVISIBLE.sub("", header).strip()
        candidates = [header, header.rsplit("/", 1)[-1]]
        bracketed = _BRACKETED_CODE.match(candidates[-1])
        if bracketed:
            candidates += [bracketed["sub"], bracketed["code"]]
        lowered = {item.lower(): item for item in self.instrument_of}
        for candidate in candidates:
            if candidate.lower() in lowered:
                return lowered[candidate.lower()]
        return self.item_by_text.get(normalize_header(header))


@dataclass(frozen=True)
class MappedSheet:
    """Rows of one store table taken from one sheet, still as the text the file holds."""

    table: str
    source: str  # file name as the user knows it
    sheet: str | None
    cells: pd.DataFrame  # schema columns present in the file; str or None
    rows: tuple[int, ...]  # the row number the user sees, one per row of ``cells``
    headers: pd.DataFrame  # same shape as ``cells``: the header each cell sat under
    detection: Detection
    missing_headers: Mapping[str, str] = field(default_factory=dict)  # column → header to add
    stray_values: Mapping[int, str] = field(default_factory=dict)  # row position → value that
    # sits under no header (e.g. a decimal comma split a number in a comma-separated file)


@dataclass(frozen=True)
class Rejection:
    """A sheet that maps onto no table."""

    problem: str
    hint: str


@dataclass(frozen=True)
class MappingResult:
    """What a sheet became: mapped tables, notes for the report, or a rejection."""

    sheets: tuple[MappedSheet, ...] = ()
    notes: tuple[str, ...] = ()
    rejection: Rejection | None = None


def _label(raw: RawSheet) -> str:
    return raw.path.name if raw.sheet is None else f"{raw.path.name} / {raw.sheet}"


def _header_frame(headers: Sequence[str], index: pd.Index, columns: Sequence[str]) -> pd.DataFrame:
    return pd.DataFrame({c: [h] * len(index) for c, h in zip(columns, headers, strict=True)},
                        index=index, columns=list(columns))


def _skipped_note(raw: RawSheet, skipped: Sequence[str]) -> tuple[str, ...]:
    if not skipped:
        return ()
    shown = ", ".join(f"„{h}”" for h in skipped[:12]) + (" …" if len(skipped) > 12 else "")
    return (f"{_label(raw)}: pominięto kolumny spoza tabel magazynu ({len(skipped)}): {shown}",)


def _column_name(raw: RawSheet, position: int) -> str:
    return f"{column_letter(position)} („{raw.headers[position]}”)"


@dataclass(frozen=True)
class _Claims:
    """Which column of the sheet each target comes from, once duplicates are settled."""

    positions: dict[str, int]
    notes: tuple[str, ...] = ()
    rejection: Rejection | None = None


def _settle_duplicates(raw: RawSheet, claimed: Mapping[str, Sequence[int]],
                       title: Mapping[str, str]) -> _Claims:
    """One column per target; two columns with data for one target reject the sheet.

    A second column with no data at all (e.g. a header merged over two columns) loses
    nothing: the filled one is read and a note names both.
    """
    positions: dict[str, int] = {}
    clashes: list[str] = []
    notes: list[str] = []
    for target, places in claimed.items():
        filled = [p for p in places if raw.rows[p].map(lambda v: not is_empty(v)).any()]
        positions[target] = (filled or list(places))[0]
        if len(places) < 2:
            continue
        named = " i ".join(_column_name(raw, p) for p in places)
        if len(filled) > 1:
            clashes.append(f"kolumny {named} oznaczają to samo: „{title.get(target, target)}”")
        else:
            notes.append(
                f"{_label(raw)}: kolumny {named} oznaczają to samo "
                f"(„{title.get(target, target)}”); wczytano kolumnę "
                f"{column_letter(positions[target])}, pozostałe są puste"
            )
    if not clashes:
        return _Claims(positions, tuple(notes))
    return _Claims({}, rejection=Rejection(
        "; ".join(clashes) + " – w więcej niż jednej z nich są dane i nie wiadomo, którą "
        "wczytać, więc arkusz nie został wczytany",
        "Zostaw jedną z tych kolumn: usuń drugą albo zmień jej nagłówek na taki, którego "
        "program nie rozpozna (np. dopisz „– uwagi”), i zaimportuj plik ponownie.",
    ))


def _map_long(raw: RawSheet, table: str) -> MappingResult:
    claimed: dict[str, list[int]] = {}
    skipped: list[str] = []
    for position, header in enumerate(raw.headers):
        column = column_for(table, header) if header else None
        if column is None:
            if header:
                skipped.append(header)
            continue
        claimed.setdefault(column, []).append(position)
    settled = _settle_duplicates(raw, claimed, HEADERS[table])
    if settled.rejection is not None:
        return MappingResult(rejection=settled.rejection)
    positions = settled.positions
    columns = [c for c in HEADERS[table] if c in positions]
    cells = pd.DataFrame(
        {c: raw.rows[positions[c]].tolist() for c in columns}, columns=columns, dtype=object
    )
    cells = cells.where(cells.notna(), None)
    keep = ~_blank_cells(cells).all(axis=1).to_numpy(dtype=bool)
    cells = cells[keep].reset_index(drop=True)
    rows = tuple(int(r) for r in raw.rows.index[keep])
    headers = _header_frame([raw.headers[positions[c]] for c in columns], cells.index, columns)
    missing = {c: HEADERS[table][c] for c in HEADERS[table] if c not in positions}
    mapped = MappedSheet(table, raw.path.name, raw.sheet, cells, rows, headers, raw.detection,
                         missing, _stray_values(raw, keep))
    return MappingResult(sheets=(mapped,), notes=settled.notes + _skipped_note(raw, skipped))


def _blank_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """True where a cell is empty or only spaces (vectorised: files may have 100 000 rows)."""
    return pd.DataFrame(
        {c: frame[c].isna() | frame[c].astype(str).str.strip().eq("") for c in frame.columns},
        index=frame.index, columns=frame.columns,
    )


def _stray_values(raw: RawSheet, keep: npt.NDArray[np.bool_]) -> dict[int, str]:
    """Position among kept rows → the first value found under a blank header."""
    blank = [p for p, header in enumerate(raw.headers) if not header.strip()]
    stray: dict[int, str] = {}
    kept = raw.rows[keep] if len(raw.rows) else raw.rows
    for position, values in enumerate(kept[blank].itertuples(index=False) if blank else ()):
        found = next((str(v) for v in values if not is_empty(v)), None)
        if found is not None:
            stray[position] = found
    return stray


def _survey_meta_column(header: str) -> str | None:
    last = header.rsplit("/", 1)[-1]
    for candidate in (header, last):
        for table in ("survey_responses", "cooperation_survey"):
            column = column_for(table, candidate)
            if column is not None:
                return column
    return None


def _respondent_position(headers: Sequence[str], meta: Mapping[str, int]) -> int | None:
    if "respondent_id" in meta:
        return meta["respondent_id"]
    lowered = [h.strip().lower() for h in headers]
    for name in RESPONDENT_ID_HEADERS:
        if name in lowered:
            return lowered.index(name)
    return None


def _map_wide(raw: RawSheet, items: Mapping[int, str], catalogue: SurveyCatalogue) -> MappingResult:
    claimed: dict[str, list[int]] = {}
    for position, item in items.items():
        claimed.setdefault(f"pytanie {item}", []).append(position)
    meta_claimed: dict[str, list[int]] = {}
    comment: int | None = None
    skipped: list[str] = []
    for position, header in enumerate(raw.headers):
        if position in items or not header:
            continue
        column = _survey_meta_column(header)
        if column is not None and column not in ("item_id", "answer"):
            meta_claimed.setdefault(column, []).append(position)
        elif comment is None and normalize_header(header.rsplit("/", 1)[-1]) in COMMENT_HEADERS:
            comment = position
        else:
            skipped.append(header)
    titles = {**HEADERS["survey_responses"], **HEADERS["cooperation_survey"]}
    settled = _settle_duplicates(raw, {**claimed, **meta_claimed}, titles)
    if settled.rejection is not None:
        return MappingResult(rejection=settled.rejection)
    items = dict(sorted((settled.positions[f"pytanie {item}"], item)
                        for item in dict.fromkeys(items.values())))
    meta = {column: settled.positions[column] for column in meta_claimed}
    respondent = _respondent_position(raw.headers, meta)
    if respondent is None:
        return MappingResult(rejection=Rejection(
            "ankieta w układzie szerokim bez identyfikatora respondenta",
            "Dodaj kolumnę „respondent_id” (albo zostaw kolumnę „_uuid”/„id” z eksportu "
            "narzędzia ankietowego); identyfikator zostanie zastąpiony pseudonimem.",
        ))
    meta["respondent_id"] = respondent
    skipped = [h for h in skipped if h != raw.headers[respondent]]
    frame = raw.rows
    base = pd.DataFrame({c: frame[p].tolist() for c, p in meta.items()}, dtype=object)
    base["_row"] = [int(r) for r in frame.index]
    sheets: list[MappedSheet] = []
    by_table: dict[str, list[int]] = {}
    for position, item in items.items():
        instrument = catalogue.instrument_of[item]
        table = "cooperation_survey" if instrument == COOPERATION_INSTRUMENT else "survey_responses"
        by_table.setdefault(table, []).append(position)
    for table, positions in by_table.items():
        sheets.append(_melt(raw, table, base, meta, positions, items, catalogue))
    if comment is not None:
        sheets.append(_comments(raw, base, meta, comment, items, catalogue))
    unknown = [h for h in skipped if _looks_like_item(h)]
    return MappingResult(sheets=tuple(s for s in sheets if len(s.cells)),
                         notes=settled.notes + _unknown_items_note(raw, unknown)
                         + _skipped_note(raw, [h for h in skipped if h not in unknown]))


def _looks_like_item(header: str) -> bool:
    """``klient[k_sat9]`` or ``grupa/k_sat9``: shaped like a catalogue question code."""
    last = INVISIBLE.sub("", header).strip().rsplit("/", 1)[-1]
    bracketed = _BRACKETED_CODE.match(last)
    return bool(_ITEM_SHAPE.match(bracketed["sub"] if bracketed else last))


def _unknown_items_note(raw: RawSheet, headers: Sequence[str]) -> tuple[str, ...]:
    if not headers:
        return ()
    shown = ", ".join(f"„{h}”" for h in headers)
    what = ("kolumna {} wygląda na pytanie ankiety, ale takiego pytania nie ma w katalogu "
            "narzędzi – jej odpowiedzi nie zostały wczytane" if len(headers) == 1 else
            "kolumny {} wyglądają na pytania ankiety, ale takich pytań nie ma w katalogu "
            "narzędzi – ich odpowiedzi nie zostały wczytane")
    note = (f"{_label(raw)}: {what.format(shown)}; sprawdź kody pytań (polecenie "
            "„wkus instruments”) i zaimportuj plik ponownie")
    return (note,)


def _melt(
    raw: RawSheet, table: str, base: pd.DataFrame, meta: Mapping[str, int],
    positions: Sequence[int], items: Mapping[int, str], catalogue: SurveyCatalogue,
) -> MappedSheet:
    parts: list[pd.DataFrame] = []
    for position in positions:
        part = base.copy()
        part["item_id"] = items[position]
        part["answer"] = raw.rows[position].tolist()
        part["_answer_header"] = raw.headers[position]
        if table == "survey_responses" and "instrument" not in meta:
            part["instrument"] = catalogue.instrument_of[items[position]]
        parts.append(part)
    long = pd.concat(parts, ignore_index=True).astype(object)
    long = long.where(long.notna(), None)
    answered = ~_blank_cells(long[["answer"]])["answer"]
    # A respondent who skipped a whole instrument of a multi-instrument export did not take it.
    group_keys = [long["_row"]] + ([long["instrument"]] if "instrument" in long else [])
    took_part = answered.groupby(group_keys).transform("any")
    long = long[took_part.to_numpy()].sort_values(["_row"], kind="stable").reset_index(drop=True)
    columns = [c for c in HEADERS[table] if c in long.columns]
    header_of = {c: raw.headers[p] for c, p in meta.items()}
    headers = pd.DataFrame(
        {c: (long["_answer_header"] if c in ("item_id", "answer") else
             [header_of.get(c, HEADERS[table][c])] * len(long)) for c in columns},
        index=long.index, columns=columns,
    )
    missing = {c: HEADERS[table][c] for c in HEADERS[table] if c not in columns}
    return MappedSheet(table, raw.path.name, raw.sheet, long[columns].astype(object),
                       tuple(long["_row"]), headers, raw.detection, missing)


def _comments(
    raw: RawSheet, base: pd.DataFrame, meta: Mapping[str, int], position: int,
    items: Mapping[int, str], catalogue: SurveyCatalogue,
) -> MappedSheet:
    table = "survey_comments"
    frame = base.copy()
    frame["text"] = raw.rows[position].tolist()
    if "instrument" not in meta:
        instruments = [catalogue.instrument_of[i] for i in items.values()]
        frame["instrument"] = max(set(instruments), key=instruments.count)
    frame = frame.astype(object)
    frame = frame.where(frame.notna(), None)
    frame = frame[~frame["text"].map(is_empty)].reset_index(drop=True)
    columns = [c for c in HEADERS[table] if c in frame.columns]
    header_of = {**{c: raw.headers[p] for c, p in meta.items()}, "text": raw.headers[position]}
    headers = _header_frame([header_of.get(c, HEADERS[table][c]) for c in columns],
                            frame.index, columns)
    missing = {c: HEADERS[table][c] for c in HEADERS[table] if c not in columns}
    return MappedSheet(table, raw.path.name, raw.sheet, frame[columns].astype(object),
                       tuple(int(r) for r in frame["_row"]), headers, raw.detection, missing)


def _closest_table_hint(headers: Sequence[str]) -> str:
    def matched(table: str) -> int:
        return len({column_for(table, h) for h in headers if h} - {None})

    best = max(HEADERS, key=matched)
    if not matched(best):
        return (
            "Żaden nagłówek nie odpowiada kolumnom magazynu. Tabele: "
            + ", ".join(f"{TABLE_TITLES[t]} ({t})" for t in HEADERS)
            + ". Użyj szablonów z polecenia „wkus templates” albo nazw kolumn z docs/DATA.md."
        )
    required = [c for c in HEADERS[best] if not TABLES[best].to_schema().columns[c].nullable]
    found = {column_for(best, h) for h in headers if h}
    missing = [HEADERS[best][c] for c in required if c not in found]
    return (
        f"Najbliżej pasuje tabela „{best}”; brakuje kolumn: "
        + ", ".join(f"„{m}”" for m in missing)
        + ". Użyj szablonów z polecenia „wkus templates” albo nazw kolumn z docs/DATA.md."
    )


def _clean_identifiers(mapped: MappedSheet) -> tuple[MappedSheet, tuple[str, ...]]:
    """Identifiers without invisible characters, and a note per column saying where."""
    cells = mapped.cells
    notes: list[str] = []
    for column in [c for c in cells.columns if c in IDENTIFIER_COLUMNS]:
        text = cells[column].map(lambda v: v if isinstance(v, str) else "")
        found = text.str.contains(INVISIBLE)
        if not found.any():
            continue
        positions = np.flatnonzero(found.to_numpy())
        marks = sorted({ch for value in text.iloc[positions] for ch in INVISIBLE.findall(value)})
        names = ", ".join(f"U+{ord(ch):04X} ({INVISIBLE_CHARACTERS[ch]})" for ch in marks)
        rows = [str(mapped.rows[p]) for p in positions]
        shown = ", ".join(rows[:10]) + (f" i {len(rows) - 10} innych" if len(rows) > 10 else "")
        where = mapped.source + (f" / {mapped.sheet}" if mapped.sheet else "")
        header = mapped.headers[column].iloc[int(positions[0])]
        notes.append(
            f"{where}: usunięto niewidoczne znaki {names} z identyfikatorów w kolumnie "
            f"„{header}” ({'wiersz' if len(rows) == 1 else 'wiersze'} {shown}); bez tego nie połączyłyby się z tymi samymi "
            "identyfikatorami w innych tabelach"
        )
        if cells is mapped.cells:
            cells = cells.copy()
        cleaned = cells[column].where(~found, text.str.replace(INVISIBLE, "", regex=True))
        cells[column] = cleaned.map(lambda v: None if isinstance(v, str) and not v.strip() else v)
    if not notes:
        return mapped, ()
    return replace(mapped, cells=cells), tuple(notes)


def _hidden_sheet(raw: RawSheet, catalogue: SurveyCatalogue) -> MappingResult:
    """A hidden sheet is never imported; one holding a table is a problem that says so."""
    table = find_table(raw.headers)
    survey = any(header and catalogue.item_for(header) for header in raw.headers)
    if table is None and not survey:
        return MappingResult(notes=(
            f"{_label(raw)}: arkusz jest ukryty i nie zawiera tabeli magazynu – pominięty",
        ))
    what = f"tabelę „{TABLE_TITLES[table]}”" if table else "odpowiedzi ankiety"
    return MappingResult(rejection=Rejection(
        f"arkusz „{raw.sheet}” jest ukryty, a zawiera {what} ({rows_phrase(len(raw.rows))} "
        "danych) – nie został wczytany",
        "Jeśli te dane mają trafić do magazynu, odkryj arkusz w Excelu (prawy przycisk myszy "
        "na karcie dowolnego arkusza → „Odkryj…”), zapisz plik i zaimportuj go ponownie; "
        "jeśli nie – usuń ten arkusz albo jego dane.",
    ))


def map_sheet(raw: RawSheet, catalogue: SurveyCatalogue) -> MappingResult:
    """Map one sheet onto store tables (see the module docstring).

    A hidden sheet is never mapped (see :func:`_hidden_sheet`); two columns naming
    the same target reject the sheet; invisible characters are removed from
    identifiers, with a note.
    """
    if raw.hidden:
        return _hidden_sheet(raw, catalogue)
    table = find_table(raw.headers)
    if table is not None:
        result = _map_long(raw, table)
    else:
        items = {
            position: item
            for position, header in enumerate(raw.headers)
            if header and (item := catalogue.item_for(header)) is not None
        }
        if not items:
            return MappingResult(rejection=Rejection(
                "nie rozpoznano tabeli: nagłówki nie pasują do żadnej tabeli magazynu ani do "
                "ankiety",
                _closest_table_hint(raw.headers),
            ))
        result = _map_wide(raw, items, catalogue)
    if result.rejection is not None:
        return result
    cleaned = [_clean_identifiers(mapped) for mapped in result.sheets]
    return replace(
        result,
        sheets=tuple(mapped for mapped, _ in cleaned),
        notes=result.notes + tuple(note for _, notes in cleaned for note in notes),
    )
