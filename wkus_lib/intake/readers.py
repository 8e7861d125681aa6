"""Readers: an evaluator's CSV/TSV/TXT/XLSX file as a grid of strings, plus what was detected.

Nothing here guesses silently. The encoding (UTF-8, UTF-8 with BOM, Windows-1250,
ISO-8859-2), the column separator, the decimal mark, the thousands separator and
the date format are detected from the file and returned as a :class:`Detection`
whose :meth:`Detection.describe` is printed in the import report; everything
unusual the reader did (rows above the header skipped, formula cells read from
their saved value, instruction sheets skipped) is a Polish note on the
:class:`RawSheet`. A file that is not a table raises :class:`InputError`.

Encoding: a byte-order mark names UTF-8 or UTF-16 (Excel's "Unicode text"); bytes
that decode as UTF-8 are UTF-8, checked strictly before any statistical guess (a
UTF-8 file with a Cyrillic name or an arrow stays UTF-8; a line that would read as
Polish only in Windows-1250 is named in a note). A file mixing UTF-8 lines with
lines that only decode as a single-byte encoding is refused, naming the first line
that is not UTF-8. Otherwise Polish letters decide between Windows-1250 and
ISO-8859-2, which differ exactly on ą ś ź Ą Ś Ź (and ISO-8859-2 has no printable
characters at 0x80–0x9F, where Windows-1250 keeps „ ” – ś ź Ś Ź); text with odd
characters must pass charset-normalizer, so binary files are refused. Byte and
line numbers in messages count the byte-order mark.
Separator: the one of ``;``, tab, ``,`` that splits the first lines most consistently.

CSV rows are split by pandas' C parser when every record is one line (fast:
about 7 s for a 45 MiB file), else by the csv module, which numbers records as
Excel does. Quotes: a quoted cell may span lines (Excel's line break inside a
cell), but a quote still open at the end of the file, or a quoted cell with lines
holding at least half a row's separators (rows of the table swallowed by a quote
left open), refuses the whole file, naming the line, row, column and start of the
cell; no row of such a file is read.

Resources are bounded before anything large is built (:class:`InputLimits`): only a
regular file is opened (a FIFO would hang, a device such as ``/dev/zero`` never
ends), files over :data:`MAX_FILE_BYTES` are refused before they are read, and a
table whose rows, columns or cells (rows × columns, the grid every row is padded
to) exceed the limits is refused — a text file from its line and separator
counts, an XLSX from its package: the unpacked size of *all* its parts, the
number of shared strings, and the rows and columns its cells and merged ranges
reach, all streamed from the XML before openpyxl reads it (one cell at
``XFD1048576`` in a 2 KB file would otherwise fill gigabytes). Each limit is
named in the message with its number and how to split the file.

XLSX files are read with openpyxl in read-only mode: formulas are never
evaluated (their value saved by Excel is read and noted), merged header cells
are resolved from the sheet's ``mergeCells`` list, empty and instruction sheets are
skipped with a note. A hidden sheet with data is returned with ``hidden=True``: the
mapper never imports it and names it when it holds a table (unhide it to import).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime
import io
import os
import re
import stat
import unicodedata
import warnings
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Final
from xml.etree import ElementTree

import pandas as pd
from charset_normalizer import from_bytes

from wkus_lib.errors import InputError
from wkus_lib.intake.headers import column_for

if TYPE_CHECKING:
    from openpyxl import Workbook

MAX_FILE_BYTES: Final = 50 * 1024 * 1024
"""Largest file read (50 MiB). A gmina's yearly data are kilobytes; a national survey
export in long format stays well below this. Larger files are refused at once.
For an XLSX the same limit applies to all its parts unpacked."""
MAX_ROWS: Final = 1_048_576
"""Most rows of one table: Excel's own sheet limit (a 50 MiB survey export has ~1 million)."""
MAX_COLUMNS: Final = 2_000
"""Most columns of one table (a wide survey export with every question has a few hundred)."""
MAX_CELLS: Final = 12_000_000
"""Most cells of one table, rows × columns: the grid that is built in memory."""
MAX_SHARED_STRINGS: Final = 1_000_000
"""Most distinct texts in an XLSX (its shared strings, all held in memory while reading)."""
MAX_PACKAGE_PARTS: Final = 10_000
"""Most parts (zip members) of an XLSX: a workbook has a few dozen; each listed part costs
memory before anything is read."""


@dataclass(frozen=True)
class InputLimits:
    """Bounds on what one input file may make the reader build (see the module docstring)."""

    file_bytes: int = MAX_FILE_BYTES
    rows: int = MAX_ROWS
    columns: int = MAX_COLUMNS
    cells: int = MAX_CELLS
    shared_strings: int = MAX_SHARED_STRINGS
    package_parts: int = MAX_PACKAGE_PARTS


_SPLIT_HINT: Final = ("Podziel dane na mniejsze pliki (np. według gminy, obszaru lub roku) i "
                      "wczytaj je osobno.")

ENCODING_NAMES: Final = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 z BOM",
    "utf-16": "UTF-16 (tekst Unicode z Excela)",
    "cp1250": "Windows-1250",
    "iso-8859-2": "ISO-8859-2",
}
SEPARATOR_NAMES: Final = {";": "„;” (średnik)", ",": "„,” (przecinek)", "\t": "tabulator"}
THOUSANDS_NAMES: Final = {
    " ": "spacja",
    "\u00a0": "twarda spacja",
    ".": "kropka",
}
DATE_FORMAT_NAMES: Final = {"dd.mm.yyyy": "dd.mm.rrrr", "yyyy-mm-dd": "rrrr-mm-dd"}
INSTRUCTION_SHEET_WORDS: Final = frozenset(
    {
        "instrukcja", "instrukcje", "slownik", "slowniki", "listy", "legenda",
        "objasnienia", "informacje", "info", "readme", "pomoc",
    }
)

_TEXT_SAMPLE_BYTES: Final = 64 * 1024
_DETECTION_ROWS: Final = 5000
_HEADER_SEARCH_ROWS: Final = 30
_NOTE_EXAMPLES: Final = 5
_SPACES: Final = " \u00a0\u202f\u2009"
_MINUS_SIGNS: Final = "-\u2212"
# Bytes of Polish letters found in only one of the two single-byte encodings.
_CP1250_ONLY_POLISH: Final = bytes([0xB9, 0xA5, 0x9C, 0x8C, 0x9F, 0x8F])  # ą Ą ś Ś ź Ź
_ISO_8859_2_ONLY_POLISH: Final = bytes([0xB1, 0xA1, 0xB6, 0xA6, 0xBC, 0xAC])  # ą Ą ś Ś ź Ź

_IMPLAUSIBLE: Final = re.compile(
    r"[^\t\n\r\f\x20-\x7e\u00a0-\u017f\u2000-\u206f\u20ac\u2116\u2122]"
)
"""Control characters and letters outside Latin-1/Latin Extended-A: not Polish text."""
_UTF8_EVIDENCE_BYTES: Final = re.compile(rb"[\xc2-\xc5][\x80-\xbf]|\xe2[\x80-\x87][\x80-\xbf]")
"""UTF-8 of U+0080–U+017F (Latin-1, Latin Extended-A: Polish letters) and U+2000–U+21FF
(„ ” – … →): sequences a Windows-1250 text almost never forms by accident."""
_BYTE_LINE_BREAK: Final = re.compile(rb"\r\n|\r|\n")
_WORD_BOUNDS: Final = (" ", ";", ",", "\t", "\r")
_POLISH_LETTERS: Final = frozenset("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ")
_POLISH_LETTER: Final = re.compile(f"[{''.join(sorted(_POLISH_LETTERS))}]")
_POLISH_SIGNS: Final = _POLISH_LETTERS | frozenset("„”“–—…’‘«»°§€\u00a0")
"""What a Polish single-byte text holds beyond ASCII (UTF-8 read as Windows-1250 holds more)."""
_EXCEL_SEPARATOR_LINE: Final = re.compile(r"^sep=([;,\t])[ \t]*(?:\r\n|\n|\r)", re.IGNORECASE)
_DDMMYYYY: Final = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE: Final = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_SLASH_DATE: Final = re.compile(r"^\d{1,4}/\d{1,2}/\d{1,4}$")
_SHORT_YEAR_DATE: Final = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{2}$")
_NUMBERISH: Final = re.compile(rf"^[+\-\u2212]?\d[\d{_SPACES}.,]*$")
_SPACE_GROUPED: Final = re.compile(rf"^\d{{1,3}}(?:[{_SPACES}]\d{{3}})+$")
_DOT_GROUPED: Final = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_CURRENCY: Final = re.compile(r"\s*(?:zł|pln)\.?$", re.IGNORECASE)
_DAMAGED_PACKAGE_ERRORS: Final = (
    zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, OSError, SyntaxError,
    ElementTree.ParseError, zlib.error, EOFError, NotImplementedError, RuntimeError,
)
"""What openpyxl and zipfile raise for a damaged or foreign package (RuntimeError: an
encrypted member; NotImplementedError: an unknown zip version or compression)."""
_XLSX_NS: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"


@dataclass(frozen=True)
class Detection:
    """What the reader found out about a file's format (printed in the import report)."""

    encoding: str | None
    separator: str | None
    decimal: str
    thousands: str | None
    date_format: str | None

    def describe(self) -> str:
        """One Polish line, e.g. ``kodowanie Windows-1250, separator „;” (średnik), …``."""
        parts: list[str] = []
        if self.encoding is None:
            parts.append("plik Excel (XLSX)")
            if self.decimal == ",":
                parts.append("przecinek dziesiętny w liczbach zapisanych jako tekst")
        else:
            parts.append(f"kodowanie {ENCODING_NAMES.get(self.encoding, self.encoding)}")
            parts.append("przecinek dziesiętny" if self.decimal == "," else "kropka dziesiętna")
        if self.separator is not None:
            parts.insert(1, f"separator {SEPARATOR_NAMES.get(self.separator, self.separator)}")
        if self.thousands is not None:
            parts.append(f"separator tysięcy: {THOUSANDS_NAMES[self.thousands]}")
        if self.date_format is not None:
            parts.append(f"daty {DATE_FORMAT_NAMES[self.date_format]}")
        return ", ".join(parts)


@dataclass(frozen=True)
class RawSheet:
    """One table of a file: headers as written and every cell as text (``None`` = empty)."""

    path: Path
    sheet: str | None
    headers: tuple[str, ...]
    rows: pd.DataFrame
    detection: Detection
    notes: tuple[str, ...]
    hidden: bool = False  # a hidden XLSX sheet: never imported, named when it holds a table


@dataclass(frozen=True)
class _Grid:
    """Header and data rows of one table, numbered as the user sees them."""

    headers: tuple[str, ...]
    rows: pd.DataFrame
    notes: tuple[str, ...]


# ---------------------------------------------------------------- public API


def read_file(
    path: Path, *, max_bytes: int = MAX_FILE_BYTES, limits: InputLimits | None = None,
) -> list[RawSheet]:
    """Read a CSV/TSV/TXT or XLSX file into one :class:`RawSheet` per table it holds.

    The format is recognised from the content (an XLSX saved as ``.csv`` is still
    read as a workbook). Raises :class:`InputError` naming the file when it is
    missing, not a regular file (folder, FIFO, device), larger than ``max_bytes``,
    beyond ``limits`` (rows, columns, cells, shared strings; see
    :class:`InputLimits`), binary, an old ``.xls``/``.ods`` workbook, or holds no table.
    """
    limits = limits or InputLimits(file_bytes=max_bytes)
    label = path.name
    raw = _read_regular_file(path, label, limits.file_bytes)
    _refuse_other_formats(raw, label)
    if raw.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, raw, label, limits)
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        note = (
            f"plik ma rozszerzenie {path.suffix}, ale jest plikiem tekstowym – "
            "wczytano go jak CSV"
        )
        return _read_text(path, raw, label, (note,), limits)
    return _read_text(path, raw, label, (), limits)


def _read_regular_file(path: Path, label: str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; anything else is refused.

    The type is checked with ``stat`` before the file is opened: opening a FIFO
    waits for a writer, and a device such as ``/dev/zero`` has no end. At most
    ``max_bytes + 1`` bytes are read, so a file growing after ``stat`` is still bounded.
    """
    try:
        info = os.stat(path)
    except OSError:
        raise InputError(
            "nie można otworzyć pliku: nie ma go pod tą ścieżką", file=label,
            hint="Sprawdź nazwę pliku i folder.",
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("to jest folder, a nie plik", file=label, hint="Podaj plik CSV lub XLSX.")
    if not stat.S_ISREG(info.st_mode):
        raise InputError(
            "to nie jest zwykły plik, tylko urządzenie, potok (FIFO) albo gniazdo – "
            "nie został odczytany",
            file=label,
            hint="Podaj plik CSV lub XLSX zapisany na dysku.",
        )
    too_big = InputError(
        f"plik jest za duży ({_mib(info.st_size)} MiB; największy obsługiwany: "
        f"{_mib(max_bytes)} MiB)",
        file=label,
        hint="Podziel plik na mniejsze części (np. według gminy lub roku) i wczytaj je osobno.",
    )
    if info.st_size > max_bytes:
        raise too_big
    try:
        with path.open("rb") as handle:
            raw = handle.read(info.st_size + 1)  # the whole file, unless it grew since
            if len(raw) > info.st_size:
                raw += handle.read(max_bytes + 1 - len(raw))
    except OSError:
        raise InputError(
            "nie można odczytać pliku", file=label,
            hint="Sprawdź, czy plik nie jest otwarty w innym programie i czy masz do niego dostęp.",
        ) from None
    if len(raw) > max_bytes:
        raise too_big
    return raw


def _refuse_large_grid(
    label: str, limits: InputLimits, *, rows: int, columns: int, sheet: str | None = None,
    where: str = "",
) -> None:
    """Refuse a table reaching more rows, columns or cells than ``limits`` allow."""
    place = f"arkusz „{sheet}” " if sheet else "plik "
    row_words, column_words = ("wiersz", "wiersze", "wierszy"), ("kolumna", "kolumny", "kolumn")
    if rows > limits.rows:
        problem = (f"{place}ma {_counted(rows, row_words)} ({where}najwięcej obsługiwanych: "
                   f"{_count(limits.rows)})")
    elif columns > limits.columns:
        problem = (f"{place}ma {_counted(columns, column_words)} ({where}najwięcej "
                   f"obsługiwanych: {_count(limits.columns)})")
    elif rows * columns > limits.cells:
        problem = (f"{place}ma {_counted(rows, row_words)} × "
                   f"{_counted(columns, column_words)} = "
                   f"{_counted(rows * columns, ('komórka', 'komórki', 'komórek'))} "
                   f"({where}najwięcej obsługiwanych: {_count(limits.cells)})")
    else:
        return
    raise InputError(
        problem + " – plik nie został wczytany",
        file=label,
        hint=f"{_SPLIT_HINT} Jeśli danych jest mniej, usuń puste wiersze i kolumny za tabelą "
        "(zaznacz je w Excelu i wybierz „Usuń”), bo i one się liczą.",
    )


def _count(number: int) -> str:
    """A whole number in Polish, thousands apart: ``1 048 576``."""
    return f"{number:,}".replace(",", "\u00a0")


def _counted(number: int, words: tuple[str, str, str]) -> str:
    """A count with its noun as Polish declines it: ``1 wiersz``, ``22 wiersze``, ``5 wierszy``."""
    one, few, many = words
    if number == 1:
        word = one
    elif number % 10 in (2, 3, 4) and number % 100 not in (12, 13, 14):
        word = few
    else:
        word = many
    return f"{_count(number)} {word}"


def parse_number(text: str, detection: Detection) -> float:
    """Parse a number as the file writes it: ``"1 234,50"`` → ``1234.5`` (with decimal ``,``).

    The decimal mark is the detected one. Groups of thousands separated by a space
    (ordinary, non-breaking, narrow) are always accepted, because a space is never a
    decimal mark; dots between thousands only when the file's thousands separator is
    the dot (``1.234`` is otherwise ambiguous). A trailing ``zł``/``PLN`` is allowed.
    Raises ``ValueError`` with a Polish reason otherwise.

    >>> parse_number("1 234,50 zł", Detection("cp1250", ";", ",", " ", None))
    1234.5
    """
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("pusta komórka zamiast liczby")
    if cleaned.startswith("="):
        raise ValueError(f"„{_short(cleaned)}” to formuła, a nie liczba – wpisz samą wartość")
    if cleaned.startswith("#"):
        raise ValueError(f"„{cleaned}” to błąd Excela, a nie liczba – popraw formułę w pliku")
    if cleaned.endswith("%"):
        raise ValueError(f"„{cleaned}” ma znak %, a ta kolumna wymaga liczby bez procentu")
    cleaned = _CURRENCY.sub("", cleaned)
    if not _NUMBERISH.match(cleaned):
        raise ValueError(f"„{_short(text.strip())}” nie jest liczbą")
    negative = cleaned[0] in _MINUS_SIGNS
    body = cleaned.lstrip("+" + _MINUS_SIGNS)
    decimal = detection.decimal
    if body.count(decimal) > 1:
        raise ValueError(
            f"„{cleaned}” nie jest liczbą: separator dziesiętny „{decimal}” "
            "występuje więcej niż raz"
        )
    whole, _, fraction = body.partition(decimal)
    digits = _whole_digits(whole, detection)
    if digits is None or (fraction and not fraction.isdigit()):
        wrong_mark, wrong_name = ("." , "kropka") if decimal == "," else (",", "przecinek")
        if wrong_mark in body:
            own = "przecinek dziesiętny" if decimal == "," else "kropkę dziesiętną"
            raise ValueError(
                f"„{cleaned}” nie jest liczbą w formacie pliku: {wrong_name} w liczbie, "
                f"a plik ma {own}"
            )
        raise ValueError(f"„{cleaned}” nie jest liczbą (niepoprawne grupy tysięcy)")
    value = float(f"{digits or '0'}.{fraction or '0'}")
    return -value if negative else value


def parse_date(text: str, detection: Detection) -> datetime.date:
    """Parse ``dd.mm.yyyy`` or ISO ``yyyy-mm-dd`` (optionally with a time) into a date.

    Both forms are unambiguous, so both are accepted whatever ``detection.date_format``
    says; ``01/02/2023`` (day or month first?) and two-digit years are refused.
    Raises ``ValueError`` with a Polish reason.

    >>> parse_date("05.03.2024", Detection("utf-8", ";", ",", None, "dd.mm.yyyy"))
    datetime.date(2024, 3, 5)
    """
    del detection  # both supported formats are unambiguous
    cleaned = text.strip()
    polish = _DDMMYYYY.match(cleaned)
    iso = _ISO_DATE.match(cleaned)
    if polish:
        day, month, year = (int(part) for part in polish.groups())
    elif iso:
        year, month, day = (int(part) for part in iso.groups())
    elif _SLASH_DATE.match(cleaned):
        raise ValueError(
            f"„{cleaned}”: niejednoznaczna data (najpierw dzień czy miesiąc?) – "
            "wpisz ją jako dd.mm.rrrr"
        )
    elif _SHORT_YEAR_DATE.match(cleaned):
        raise ValueError(f"„{cleaned}”: rok ma dwie cyfry – wpisz datę jako dd.mm.rrrr")
    else:
        raise ValueError(
            f"„{_short(cleaned)}” nie jest datą (oczekiwano dd.mm.rrrr albo rrrr-mm-dd)"
        )
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"„{cleaned}”: nie ma takiej daty w kalendarzu") from None


# ---------------------------------------------------------------- shared helpers


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…"


def _whole_digits(whole: str, detection: Detection) -> str | None:
    """The integer part without thousands separators, or None when its grouping is wrong."""
    if whole.isdigit() or not whole:
        return whole
    if _SPACE_GROUPED.match(whole):
        return "".join(ch for ch in whole if ch.isdigit())
    if detection.thousands == "." and _DOT_GROUPED.match(whole):
        return whole.replace(".", "")
    return None


def _cell_text(value: str) -> str | None:
    stripped = value.strip()
    return stripped or None


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column: 0 → ``A``, 26 → ``AA``."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _examples(items: Sequence[str]) -> str:
    shown = ", ".join(items[:_NOTE_EXAMPLES])
    if len(items) <= _NOTE_EXAMPLES:
        return shown
    return f"{shown} i {len(items) - _NOTE_EXAMPLES} innych"


def _refuse_other_formats(raw: bytes, label: str) -> None:
    if not raw.strip():
        raise InputError("plik jest pusty", file=label, hint="Sprawdź, czy wybrano właściwy plik.")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            "plik jest w starym formacie Excel 97–2003 (.xls) albo jest zaszyfrowany hasłem",
            file=label,
            hint="Otwórz go w Excelu, usuń hasło i zapisz jako „Skoroszyt programu Excel (.xlsx)”.",
        )
    if raw.startswith(b"%PDF"):
        raise InputError(
            "to plik PDF, a nie tabela",
            file=label,
            hint="Przepisz dane do arkusza (XLSX) albo zapisz je jako CSV.",
        )


# ---------------------------------------------------------------- text files


def detect_encoding(raw: bytes, label: str) -> str:
    """A text file's encoding: ``utf-8``, ``utf-8-sig``, ``utf-16``, ``cp1250``, ``iso-8859-2``.

    A byte-order mark decides first. Then bytes that decode as UTF-8 *are* UTF-8
    (checked strictly, before any statistical guess: a UTF-8 file with one Cyrillic
    name or an arrow stays UTF-8). A file with some lines in UTF-8 and others that
    only decode as a single-byte encoding is refused, naming the first line that is
    not UTF-8. Only then Polish letters decide between Windows-1250 and ISO-8859-2.
    """
    if raw.startswith(codecs.BOM_UTF8):
        _refuse_mixed_encodings(raw, label, utf8_seen_at=1)
        return "utf-8-sig"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    not_text = InputError(
        "to nie jest plik tekstowy (CSV) ani arkusz XLSX",
        file=label,
        hint="Zapisz dane w Excelu jako „CSV (rozdzielany przecinkami)” albo jako XLSX.",
    )
    if b"\x00" in raw[:_TEXT_SAMPLE_BYTES]:
        raise not_text
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    _refuse_mixed_encodings(raw, label, utf8_seen_at=None)
    if _reads_as_single_byte_text(raw):
        return _polish_single_byte_encoding(raw)
    # Odd characters: charset-normalizer judges whether this is text at all.
    verdict = from_bytes(raw[:_TEXT_SAMPLE_BYTES], cp_isolation=["cp1250", "iso8859_2"]).best()
    if verdict is None:
        raise not_text
    return _polish_single_byte_encoding(raw)


def _line_at(raw: bytes, position: int) -> tuple[int, bytes]:
    """Number (from 1) and bytes of the line holding byte ``position`` (CR, LF or CRLF)."""
    start = max(raw.rfind(b"\n", 0, position), raw.rfind(b"\r", 0, position)) + 1
    ends = [i for mark in (b"\r", b"\n") if (i := raw.find(mark, position)) >= 0]
    number = len(_BYTE_LINE_BREAK.findall(raw, 0, start)) + 1
    return number, raw[start:min(ends, default=len(raw))]


def _first_utf8_text_line(raw: bytes) -> int | None:
    """The first line that is UTF-8 beyond doubt: valid, with a Polish letter or sign.

    A Windows-1250 line can be valid UTF-8 by accident („WSPÓŁ” = D3 A3 = „ӣ”), but
    then it decodes to letters outside Latin-1/Latin Extended-A and punctuation, so
    only UTF-8 sequences of those count (found by a byte pattern, then the line checked).
    """
    for found in _UTF8_EVIDENCE_BYTES.finditer(raw):
        number, line = _line_at(raw, found.start())
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return number
    return None


def _refuse_mixed_encodings(raw: bytes, label: str, *, utf8_seen_at: int | None) -> None:
    """Refuse a file whose lines are partly UTF-8 and partly a single-byte encoding."""
    try:
        raw.decode("utf-8-sig")
        return
    except UnicodeDecodeError as error:
        bad_at = error.start + (len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0)
    first_utf8 = utf8_seen_at if utf8_seen_at is not None else _first_utf8_text_line(raw)
    if first_utf8 is None:
        return
    first_other, bad_line = _line_at(raw, bad_at)
    other = _polish_single_byte_encoding(bad_line)
    utf8_part = ("plik zaczyna się znacznikiem UTF-8 (BOM)" if utf8_seen_at is not None
                 else f"linia {first_utf8} jest zapisana w UTF-8")
    raise InputError(
        f"plik łączy dwa kodowania znaków: {utf8_part}, a linia {first_other} nie (wygląda "
        f"na {ENCODING_NAMES[other]}) – polskie litery jednej z części zostałyby "
        "zniekształcone",
        file=label,
        row=first_other,
        hint="Fragmenty pliku zapisano w różnych kodowaniach (np. wklejono wiersze z innego "
        "pliku). Otwórz pliki źródłowe w Excelu, skopiuj dane do jednego arkusza i zapisz go "
        "jako XLSX albo „CSV UTF-8 (rozdzielany przecinkami)”; sprawdź polskie litery "
        f"w linii {first_other}.",
    )


def _reads_as_single_byte_text(raw: bytes) -> bool:
    """Whether the bytes are Polish text in Windows-1250/ISO-8859-2 with no odd characters."""
    try:
        text = raw.decode(_polish_single_byte_encoding(raw))
    except UnicodeDecodeError:
        return False
    return not _IMPLAUSIBLE.search(text)


def _polish_single_byte_encoding(raw: bytes) -> str:
    """Windows-1250 or ISO-8859-2, decided by the bytes of ą ś ź Ą Ś Ź."""
    if re.search(rb"[\x80-\x9f]", raw):
        return "cp1250"  # only control characters there in ISO-8859-2
    cp1250_letters = sum(raw.count(byte) for byte in _CP1250_ONLY_POLISH)
    iso_letters = sum(raw.count(byte) for byte in _ISO_8859_2_ONLY_POLISH)
    # Without any of ą ś ź Ą Ś Ź both decode every Polish letter alike.
    return "iso-8859-2" if iso_letters > cp1250_letters else "cp1250"


def _utf8_doubt_note(raw: bytes, text: str) -> tuple[str, ...]:
    """A note when a valid UTF-8 file has a line that reads as Polish only in Windows-1250.

    The file is read as UTF-8 (its bytes are valid UTF-8); the note shows the word
    of the first line whose UTF-8 reading has odd letters and no Polish one while its
    single-byte reading has Polish letters and, beyond ASCII, only Polish punctuation:
    a short Windows-1250 file valid as UTF-8 by accident („WSPÓŁ” = „WSPӣ”) is never
    garbled without a word.
    """
    if text.isascii() or not _IMPLAUSIBLE.search(text):
        return ()
    for number, line in enumerate(_BYTE_LINE_BREAK.split(raw), start=1):
        as_utf8 = line.decode("utf-8")
        if not _IMPLAUSIBLE.search(as_utf8) or _POLISH_LETTER.search(as_utf8):
            continue
        single = _polish_single_byte_encoding(line)
        try:
            as_single = line.decode(single)
        except UnicodeDecodeError:
            continue
        beyond_ascii = {ch for ch in as_single if not ch.isascii()}
        if beyond_ascii & _POLISH_LETTERS and beyond_ascii <= _POLISH_SIGNS:
            # Only the word is shown: a whole line may hold a respondent's identifier.
            start, end = _word_around(as_utf8, _IMPLAUSIBLE.search(as_utf8))
            word = line[len(as_utf8[:start].encode()):len(as_utf8[:end].encode())]
            note = (
                f"plik odczytano jako UTF-8 (jego bajty są poprawnym UTF-8); w linii {number} "
                f"jest „{_short(word.decode('utf-8'), 40)}” – jeśli miało być "
                f"„{_short(word.decode(single), 40)}” ({ENCODING_NAMES[single]}), zapisz plik "
                "w Excelu jako „CSV UTF-8 (rozdzielany przecinkami)” i zaimportuj go ponownie"
            )
            return (note,)
    return ()


def _word_around(text: str, found: re.Match[str] | None) -> tuple[int, int]:
    """Start and end of the word (between spaces and separators) holding ``found``."""
    if found is None:
        return 0, len(text)
    start = max(text.rfind(mark, 0, found.start()) for mark in _WORD_BOUNDS) + 1
    ends = [i for mark in _WORD_BOUNDS if (i := text.find(mark, found.end())) >= 0]
    return start, min(ends, default=len(text))


_BOMS: Final = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _decode(raw: bytes, encoding: str, label: str) -> str:
    """The file's text without a byte-order mark; a bad byte is named with its line.

    The mark is cut off before decoding, so byte offsets in messages count it.
    """
    bom = next((mark for mark in _BOMS if encoding.startswith("utf") and raw.startswith(mark)),
               b"")
    codec = {codecs.BOM_UTF8: "utf-8", codecs.BOM_UTF16_LE: "utf-16-le",
             codecs.BOM_UTF16_BE: "utf-16-be"}.get(bom, encoding)
    body = raw[len(bom):]
    try:
        return body.decode(codec)
    except UnicodeDecodeError as error:
        before = body[: error.start].decode(codec, errors="replace")
        line = len(re.findall(r"\r\n|\r|\n", before)) + 1
        raise InputError(
            f"bajt 0x{body[error.start]:02X} (bajt {len(bom) + error.start + 1} pliku) nie jest "
            f"znakiem w kodowaniu {ENCODING_NAMES[encoding]}",
            file=label,
            row=line,
            hint="Zapisz plik w Excelu jako „CSV UTF-8 (rozdzielany przecinkami)”.",
        ) from None


def detect_separator(text: str, label: str) -> str:
    """The column separator (``;``, tab or ``,``) that splits the first lines most consistently.

    Each candidate splits the first lines (quotes respected); the one whose
    modal field count (above one) covers most lines, header included, wins;
    on a tie ``;`` beats tab beats ``,`` (Polish Excel writes ``;``, and a
    decimal comma can split a ``;`` file into equally many parts).
    """
    sample = text[:_TEXT_SAMPLE_BYTES]
    if len(text) > _TEXT_SAMPLE_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best: tuple[float, str] | None = None
    for priority, separator in enumerate((";", "\t", ",")):
        counts = [
            len(record)
            for record in csv.reader(io.StringIO(sample, newline=""), delimiter=separator)
            if any(cell.strip() for cell in record)
        ][:200]
        if not counts:
            continue
        modal, frequency = Counter(counts).most_common(1)[0]
        if modal < 2:
            continue
        score = frequency / len(counts) - priority * 1e-6
        if best is None or score > best[0]:
            best = (score, separator)
    if best is None:
        raise InputError(
            "nie rozpoznano separatora kolumn: w pierwszych wierszach nie ma średnika, "
            "tabulatora ani przecinka dzielącego je na kolumny",
            file=label,
            hint="Plik powinien mieć nagłówek i co najmniej dwie kolumny; zapisz go w Excelu "
            "jako CSV.",
        )
    return best[1]


def _read_text(
    path: Path, raw: bytes, label: str, notes: tuple[str, ...], limits: InputLimits,
) -> list[RawSheet]:
    encoding = detect_encoding(raw, label)
    text = _decode(raw, encoding, label)
    if encoding == "utf-8":
        notes = (*notes, *_utf8_doubt_note(raw, text))
    declared = _EXCEL_SEPARATOR_LINE.match(text)
    if declared:
        # Excel's "sep=;" line names the separator and is not shown as a row.
        text = text[declared.end():]
        named = SEPARATOR_NAMES[declared[1]]
        notes = (*notes, f"separator {named} podany w pierwszej linii („sep=”)")
    separator = declared[1] if declared else detect_separator(text, label)
    _refuse_large_text(text, separator, label, limits)
    table = _split_records_fast(text, separator)
    if table is None:
        table = _table(_split_records(text, separator, label))
    grid = _grid(table, label, merges=(), sheet=None)
    decimal, thousands, date_format, detection_notes = _detect_formats(_sample_cells(grid.rows))
    detection = Detection(encoding, separator, decimal, thousands, date_format)
    formula_notes = _formula_text_notes(grid.rows) if "=" in text else ()
    return [
        RawSheet(
            path=path,
            sheet=None,
            headers=grid.headers,
            rows=grid.rows,
            detection=detection,
            notes=notes + grid.notes + detection_notes + formula_notes,
        )
    ]


def _refuse_large_text(text: str, separator: str, label: str, limits: InputLimits) -> None:
    """Refuse a text table beyond ``limits`` from its lines and separators, before splitting.

    Lines bound the records from above and separators per line the columns (a
    quoted separator is counted too), so no file passing is larger than allowed.
    """
    lines = text.count("\n") or text.count("\r")
    if text and not text.endswith(("\n", "\r")):
        lines += 1
    if lines > limits.rows:
        _refuse_large_grid(label, limits, rows=lines, columns=1)
    widest = max((line.count(separator) for line in text.splitlines()), default=0) + 1
    _refuse_large_grid(label, limits, rows=lines, columns=widest)


def _split_records_fast(text: str, separator: str) -> pd.DataFrame | None:
    """Records via pandas' C parser when every record is one line; None to take the slow path.

    The csv-module path (:func:`_split_records`) is the reference; this one gives
    the same table about four times faster for the common file without quoted
    line breaks, and steps aside for anything else (ragged rows, open quotes).
    """
    lines = text.count("\n") or text.count("\r")
    if text and not text.endswith(("\n", "\r")):
        lines += 1
    sample = text[:_TEXT_SAMPLE_BYTES]
    width = max(len(record) for record in csv.reader(io.StringIO(sample, newline=""),
                                                     delimiter=separator)) if sample else 0
    try:
        table = pd.read_csv(
            io.StringIO(text), sep=separator, header=None, names=range(width), dtype=object,
            na_filter=False, skip_blank_lines=False, engine="c", quotechar='"', doublequote=True,
        )
    except (pd.errors.ParserError, ValueError):
        return None
    if len(table) != lines:
        return None  # a quoted cell spans lines: the exact path numbers and checks them
    table.index = pd.RangeIndex(1, len(table) + 1)
    for column in table.columns:
        stripped = table[column].str.strip()
        table[column] = stripped.where(stripped.ne(""), None)
    return table


def _split_records(text: str, separator: str, label: str) -> list[list[str | None]]:
    """Records as Excel numbers them; a quote left open is refused, never left to swallow rows.

    The rule: a quoted cell may span lines (that is how Excel saves a line break
    inside a cell), but the file is refused, naming the line and row where the
    quote opened, when the quote is still open at the end of the file, or when a
    line inside the cell holds at least half as many separators as a row of the
    file (those are rows of the table swallowed by the cell, not text).
    """
    records: list[list[str]] = []
    spans: list[tuple[int, int]] = []  # first and last line of each record
    for strict in (True, False):  # strict first: it alone tells a quote open at the end
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=strict)
        records, spans, last_line = [], [], 0
        try:
            for record in reader:
                records.append(record)
                spans.append((last_line + 1, reader.line_num))
                last_line = reader.line_num
        except csv.Error as error:
            if strict and "unexpected end of data" in str(error):
                lines = reader.line_num - last_line
                raise _open_quote_error(
                    label, records, row=len(records) + 1, line=last_line + 1,
                    cell=_open_cell(text, separator, last_line),
                    problem=f"cudzysłów otwarty w linii {last_line + 1} nie jest zamknięty do "
                    f"końca pliku – komórka wchłonęłaby {_lines_word(lines)} pliku",
                ) from None
            if strict:
                continue  # e.g. text after a closing quote ("a"b): read as Excel does
            raise InputError(
                f"nie można podzielić pliku na kolumny ({error})", file=label,
                row=reader.line_num, hint="Sprawdź cudzysłowy w tej linii.",
            ) from None
        break
    _refuse_swallowed_rows(text, separator, label, records, spans)
    return [[cell.strip() or None for cell in record] for record in records]


def _refuse_swallowed_rows(
    text: str, separator: str, label: str, records: Sequence[list[str]],
    spans: Sequence[tuple[int, int]],
) -> None:
    """Refuse a quoted cell whose inner lines look like rows of the table (see the rule)."""
    multi_line = [i for i, (first, last) in enumerate(spans) if last > first]
    if not multi_line:
        return
    counts = Counter(
        count for line in io.StringIO(text, newline="").readlines()[:_DETECTION_ROWS]
        if (count := line.count(separator))
    )
    if not counts:
        return
    row_separators = counts.most_common(1)[0][0]
    threshold = max(1, (row_separators + 1) // 2)
    for index in multi_line:
        first, last = spans[index]
        for position, cell in enumerate(records[index]):
            inner = re.split(r"\r\n|\r|\n", cell)[1:]
            if any(line.count(separator) >= threshold for line in inner):
                raise _open_quote_error(
                    label, records[:index], row=index + 1, line=first,
                    cell=(position, cell),
                    problem=f"cudzysłów otwarty w linii {first} nie jest zamknięty w tej "
                    f"linii – komórka obejmuje {_lines_word(last - first + 1)} pliku "
                    f"(do linii {last}), a są wśród nich całe wiersze tabeli",
                )


def _open_cell(text: str, separator: str, last_line: int) -> tuple[int, str]:
    """Column and text of the cell whose quote opens after line ``last_line``."""
    lines = io.StringIO(text, newline="").readlines()
    rest = "".join(lines[last_line:])
    cells = next(csv.reader(io.StringIO(rest, newline=""), delimiter=separator))
    return len(cells) - 1, cells[-1]


def _open_quote_error(
    label: str, earlier: Sequence[list[str]], *, row: int, line: int,
    cell: tuple[int, str], problem: str,
) -> InputError:
    position, value = cell
    header = next((r for r in earlier if sum(bool(c.strip()) for c in r) >= 2), None)
    name = header[position].strip() if header and position < len(header) else ""
    column = name or column_letter(position)
    first_line = re.split(r"\r\n|\r|\n", value, maxsplit=1)[0].strip()
    # A respondent's identifier is never echoed (it becomes a pseudonym on import).
    private = any(column_for(t, name) == "respondent_id" for t in ("survey_responses",
                                                                     "cooperation_survey"))
    start = "" if private else f", początek komórki: „{_short(first_line, 40)}”"
    # Where it is goes into the text itself: a refused file is reported by its problem.
    return InputError(
        f"{problem} (wiersz {row}, kolumna „{column}”{start})",
        file=label,
        row=row,
        hint=f"Popraw cudzysłów w linii {line}: tekst zawierający separator ujmij w cudzysłów "
        "z obu stron, a cudzysłów wewnątrz tekstu zapisz jako dwa znaki \"\" (Excel robi to "
        "sam przy zapisie jako CSV). Żaden wiersz tego pliku nie został wczytany.",
    )


def _lines_word(count: int) -> str:
    if count == 1:
        return "1 linię"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} linie"
    return f"{count} linii"


def _table(
    records: Sequence[list[str | None]], numbers: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Rows numbered from 1 (or by ``numbers``), padded to one width; cells are text or None."""
    width = max((len(record) for record in records), default=0)
    padded = [
        record if len(record) == width else record + [None] * (width - len(record))
        for record in records
    ]
    index = (pd.RangeIndex(1, len(padded) + 1) if numbers is None
             else pd.Index(numbers, dtype="int64"))
    return pd.DataFrame(padded or None, index=index, columns=range(width), dtype=object)


def _sample_cells(rows: pd.DataFrame) -> list[str]:
    values = rows.iloc[:_DETECTION_ROWS].to_numpy().ravel()
    return [value for value in values if isinstance(value, str)]


def _formula_text_notes(rows: pd.DataFrame) -> tuple[str, ...]:
    """CSV cells that look like formulas (``=HYPERLINK(...)``) stay text; say so."""
    cells = [
        f"{column_letter(position)}{number}"
        for position, column in enumerate(rows.columns)
        for number in rows.index[rows[column].str.startswith("=").fillna(False).astype(bool)]
    ]
    if not cells:
        return ()
    subject = "komórka" if len(cells) == 1 else "komórki"
    verb = "zaczyna" if len(cells) == 1 else "zaczynają"
    note = (
        f"{subject} {_examples(cells)} {verb} się od „=” (formuła zapisana jako tekst) – "
        "wczytano jako tekst, niczego nie wykonano"
    )
    return (note,)


# ---------------------------------------------------------------- grids


def _grid(
    table: pd.DataFrame,
    label: str,
    *,
    merges: Sequence[tuple[int, int, int, int]],
    sheet: str | None,
) -> _Grid:
    """Find the header row (skipping title rows), resolve merged headers, keep data rows."""
    filled = table.index[table.notna().any(axis=1).to_numpy()]
    if not len(filled):
        where = f"arkusz „{sheet}”" if sheet else "plik"
        raise InputError(f"{where} nie zawiera żadnych danych", file=label)
    candidates = [(int(n), table.loc[n].tolist()) for n in filled[:_HEADER_SEARCH_ROWS]]
    widest = max(_count_filled(row) for _, row in candidates)
    header_at = next(
        i for i, (_, row) in enumerate(candidates)
        if _count_filled(row) >= max(2, (widest + 1) // 2)
    ) if widest >= 2 else 0
    header_number, header_row = candidates[header_at]
    notes: list[str] = []
    if header_at:
        skipped = [number for number, _ in candidates[:header_at]]
        first_text = next(cell for cell in candidates[0][1] if cell is not None)
        notes.append(
            f"pominięto {rows_phrase(len(skipped))} nad nagłówkiem "
            f"(wiersz {_examples([str(n) for n in skipped])}: „{_short(first_text, 40)}”); "
            f"nagłówek to wiersz {header_number}"
        )
    rows_by_number = dict(candidates)
    header_cells = _fill_merged(list(header_row), header_number, merges, rows_by_number)
    last_header = header_number
    following = candidates[header_at + 1:header_at + 2]
    if _merged_sub_header(header_number, merges, following) is not None:
        last_header, sub_row = following[0]
        sub_cells = _fill_merged(list(sub_row), last_header, merges, rows_by_number)
        header_cells = [
            _join_header(_at(header_cells, i), _at(sub_cells, i))
            for i in range(max(len(header_cells), len(sub_cells)))
        ]
        notes.append(
            f"nagłówek z dwóch wierszy ({header_number}–{last_header}) "
            "ze scalonymi komórkami połączono w jeden"
        )
    data = table.loc[filled[filled > last_header]]
    header_width = _last_filled(header_cells)
    used = data.notna().any(axis=0).to_numpy()
    width = max(header_width, int(used.nonzero()[0].max()) + 1 if used.any() else 0)
    beyond = data.iloc[:, header_width:].notna().any(axis=1).to_numpy()
    long_rows = [str(number) for number in data.index[beyond]]
    if long_rows:
        subject = "wiersz" if len(long_rows) == 1 else "wiersze"
        verb = "ma" if len(long_rows) == 1 else "mają"
        notes.append(
            f"{subject} {_examples(long_rows)} {verb} więcej wypełnionych komórek niż "
            "nagłówek (może wartość zawiera separator, a nie jest ujęta w cudzysłów)"
        )
    if data.empty:
        notes.append("pod nagłówkiem nie ma wierszy danych")
    rows = data.reindex(columns=range(width)).astype(object)
    rows = rows.where(rows.notna(), None)
    rows.index = pd.Index(data.index, dtype="int64", name="row")
    return _Grid(
        headers=tuple((_at(header_cells, i) or "") for i in range(width)),
        rows=rows,
        notes=tuple(notes),
    )


def rows_phrase(count: int) -> str:
    """A count of rows in Polish: ``1 wiersz``, ``2 wiersze``, ``5 wierszy``."""
    if count == 1:
        return "1 wiersz"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return f"{count} wiersze"
    return f"{count} wierszy"


def _count_filled(row: Sequence[str | None]) -> int:
    return sum(cell is not None for cell in row)


def _last_filled(row: Sequence[str | None]) -> int:
    """One past the last non-empty cell (scanned from the end: rows rarely end empty)."""
    for position in range(len(row) - 1, -1, -1):
        if row[position] is not None:
            return position + 1
    return 0


def _at(row: Sequence[str | None], index: int) -> str | None:
    return row[index] if index < len(row) else None


def _join_header(top: str | None, bottom: str | None) -> str | None:
    if top is None or top == bottom:
        return bottom
    return top if bottom is None else f"{top} {bottom}"


def _fill_merged(
    cells: list[str | None],
    row_number: int,
    merges: Sequence[tuple[int, int, int, int]],
    rows_by_number: dict[int, list[str | None]],
) -> list[str | None]:
    """Copy each merged range's text (its top-left cell) into its cells on ``row_number``."""
    filled = list(cells)
    for min_row, min_col, max_row, max_col in merges:
        if not min_row <= row_number <= max_row:
            continue
        value = _at(rows_by_number.get(min_row, []), min_col)
        filled.extend([None] * (max_col + 1 - len(filled)))
        for col in range(min_col, max_col + 1):
            filled[col] = value
    return filled


def _merged_sub_header(
    header_number: int,
    merges: Sequence[tuple[int, int, int, int]],
    data: Sequence[tuple[int, list[str | None]]],
) -> int | None:
    """The row under the header is a sub-header when a header cell is merged across columns."""
    spans_columns = any(
        min_row == max_row == header_number and max_col > min_col
        for min_row, min_col, max_row, max_col in merges
    )
    if not spans_columns or not data or data[0][0] != header_number + 1:
        return None
    return header_number + 1


# ---------------------------------------------------------------- formats


def _detect_formats(
    cells: Iterable[str],
) -> tuple[str, str | None, str | None, tuple[str, ...]]:
    """Decimal mark, thousands separator and date format from numeric-looking text cells."""
    decimal_votes: Counter[str] = Counter()
    thousands_votes: Counter[str] = Counter()
    date_votes: Counter[str] = Counter()
    ambiguous: list[str] = []
    for cell in cells:
        if _DDMMYYYY.match(cell):
            date_votes["dd.mm.yyyy"] += 1
            continue
        if _ISO_DATE.match(cell):
            date_votes["yyyy-mm-dd"] += 1
            continue
        number = _CURRENCY.sub("", cell)
        if not _NUMBERISH.match(number):
            continue
        body = number.lstrip("+" + _MINUS_SIGNS)
        for space in _SPACES:
            if space in body:
                thousands_votes["\u00a0" if space != " " else " "] += 1
                break
        body = "".join(ch for ch in body if ch not in _SPACES)
        if "," in body and "." in body:
            decimal = "," if body.rindex(",") > body.rindex(".") else "."
            decimal_votes[decimal] += 1
            if decimal == ",":
                thousands_votes["."] += 1
        elif body.count(",") == 1:
            decimal_votes[","] += 1
        elif body.count(".") > 1 and _DOT_GROUPED.match(body):
            thousands_votes["."] += 1
        elif body.count(".") == 1:
            if _DOT_GROUPED.match(body):
                ambiguous.append(cell)
            else:
                decimal_votes["."] += 1
    notes: list[str] = []
    decimal = "," if decimal_votes[","] > decimal_votes["."] else "."
    if decimal_votes[","] and decimal_votes["."]:
        notes.append(
            f"w pliku są liczby z przecinkiem ({decimal_votes[',']}) i z kropką "
            f"({decimal_votes['.']}) dziesiętną; przyjęto "
            f"{'przecinek' if decimal == ',' else 'kropkę'} – liczby w drugim zapisie "
            "zostaną zgłoszone jako błędne"
        )
    if ambiguous and decimal == "," and not thousands_votes:
        thousands_votes["."] += len(ambiguous)
    thousands = thousands_votes.most_common(1)[0][0] if thousands_votes else None
    if thousands == "." and decimal == ".":
        thousands = None
    if ambiguous and thousands != ".":
        notes.append(
            f"liczby takie jak „{ambiguous[0]}” odczytano z kropką dziesiętną "
            f"({ambiguous[0].replace('.', ',')}); jeśli kropka oddziela tysiące, "
            "usuń ją z liczb w pliku"
        )
    date_format = date_votes.most_common(1)[0][0] if date_votes else None
    if len(date_votes) > 1:
        notes.append(
            "w pliku są daty w dwóch formatach (dd.mm.rrrr i rrrr-mm-dd); odczytano oba"
        )
    return decimal, thousands, date_format, tuple(notes)


# ---------------------------------------------------------------- XLSX


def _instruction_sheet(name: str) -> bool:
    ascii_name = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    ascii_name = "".join(ch for ch in ascii_name if not unicodedata.combining(ch)).lower()
    words = re.findall(r"[a-z]+", ascii_name)
    return bool(words) and words[0] in INSTRUCTION_SHEET_WORDS


def _read_xlsx(path: Path, raw: bytes, label: str, limits: InputLimits) -> list[RawSheet]:
    import openpyxl

    corrupt = InputError(
        "plik nie jest poprawnym skoroszytem Excel (XLSX) – może jest uszkodzony",
        file=label,
        hint="Otwórz go w Excelu i zapisz ponownie jako „Skoroszyt programu Excel (.xlsx)”.",
    )
    _refuse_many_parts(raw, label, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        sheet_parts = _sheet_parts(archive)
    except _DAMAGED_PACKAGE_ERRORS:
        if path.suffix.lower() == ".ods":
            raise InputError(
                "pliki OpenDocument (.ods) nie są obsługiwane", file=label,
                hint="Zapisz arkusz jako XLSX albo CSV.",
            ) from None
        raise corrupt from None
    try:
        _refuse_large_package(archive, sheet_parts, label, limits)
    except _DAMAGED_PACKAGE_ERRORS:
        raise corrupt from None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about unsupported extensions
            workbook = openpyxl.load_workbook(
                io.BytesIO(raw), read_only=True, data_only=True, keep_links=False
            )
    except _DAMAGED_PACKAGE_ERRORS:
        raise corrupt from None
    try:
        sheets, skipped = _read_sheets(path, workbook, archive, sheet_parts, label)
    except _DAMAGED_PACKAGE_ERRORS:
        raise corrupt from None
    finally:
        workbook.close()
    if not sheets:
        reasons = "; ".join(skipped) if skipped else "brak arkuszy"
        raise InputError(f"w pliku nie ma arkusza z danymi ({reasons})", file=label)
    sheets[0] = dataclasses.replace(sheets[0], notes=tuple(skipped) + sheets[0].notes)
    return sheets


def _read_sheets(
    path: Path,
    workbook: Workbook,
    archive: zipfile.ZipFile,
    sheet_parts: dict[str, str],
    label: str,
) -> tuple[list[RawSheet], list[str]]:
    sheets: list[RawSheet] = []
    skipped: list[str] = []
    for worksheet in workbook.worksheets:
        title = worksheet.title
        hidden = worksheet.sheet_state != "visible"
        if _instruction_sheet(title):
            state = "jest ukryty – pominięty" if hidden else "pominięty"
            skipped.append(f"arkusz „{title}” {state} (instrukcja lub słownik)")
            continue
        part = sheet_parts.get(title)
        merges, formulas = _sheet_structure(archive, part) if part else ((), {})
        worksheet.reset_dimensions()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # Empty rows are skipped here, numbers kept: a sheet reaching row 1 048 576
            # with a few filled rows never becomes a million-row grid.
            values: list[tuple[int, list[object]]] = [
                (number, list(row))
                for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1)
                if any(value is not None for value in row)
            ]
        if not any(value is not None and str(value).strip() for _, row in values
                   for value in row):
            state = "jest ukryty i pusty" if hidden else "jest pusty"
            skipped.append(f"arkusz „{title}” {state} – pominięty")
            continue
        sheet = _xlsx_sheet(path, title, values, merges, formulas, label)
        # A hidden sheet with data goes to the mapper, which names it if it holds a table.
        sheets.append(dataclasses.replace(sheet, hidden=True) if hidden else sheet)
    return sheets, skipped


_END_OF_DIRECTORY: Final = b"PK\x05\x06"
_MOST_ZIP_COMMENT: Final = 0xFFFF


def _refuse_many_parts(raw: bytes, label: str, limits: InputLimits) -> None:
    """Refuse a package listing more parts than ``limits`` allow, read from its last record.

    The zip's end-of-directory record says how many members it has; :mod:`zipfile`
    would build an object for each before anything could be checked. A count of
    0xFFFF means "more than fits here" (ZIP64), which no workbook needs.
    """
    at = raw.rfind(_END_OF_DIRECTORY, max(0, len(raw) - 22 - _MOST_ZIP_COMMENT))
    if at < 0 or at + 12 > len(raw):
        return  # not a zip: the package reader names it damaged
    parts = int.from_bytes(raw[at + 10:at + 12], "little")
    if parts > limits.package_parts:
        shown = "ponad 65 tysięcy" if parts == 0xFFFF else _count(parts)
        raise InputError(
            f"plik ma {shown} części (najwięcej obsługiwanych w skoroszycie: "
            f"{_count(limits.package_parts)}) – to nie jest zwykły skoroszyt, nie został wczytany",
            file=label,
            hint="Otwórz go w Excelu i zapisz ponownie jako „Skoroszyt programu Excel (.xlsx)”, "
            f"albo zapisz dane jako CSV. {_SPLIT_HINT}",
        )


def _refuse_large_package(
    archive: zipfile.ZipFile, sheet_parts: dict[str, str], label: str, limits: InputLimits,
) -> None:
    """Refuse a package that would unpack, or be read, beyond ``limits`` (nothing built yet).

    Every part counts (shared strings and styles too, not only sheets): a small zip
    can unpack to hundreds of MiB, and openpyxl reads about 0.5–1 MiB of XML a second.
    The sizes declared in the zip bound what :mod:`zipfile` will ever unpack.
    """
    try:
        unpacked = sum(info.file_size for info in archive.infolist())
    except (OverflowError, ValueError):
        unpacked = limits.file_bytes + 1
    if unpacked > limits.file_bytes:
        raise InputError(
            f"części pliku (arkusze, teksty, style) po rozpakowaniu zajmują {_mib(unpacked)} MiB "
            f"(największe obsługiwane: {_mib(limits.file_bytes)} MiB) – plik nie został wczytany",
            file=label,
            hint=f"{_SPLIT_HINT} Arkusz zapisany jako CSV też czyta się szybciej.",
        )
    strings = next((name for name in archive.namelist()
                    if name.lower().endswith("sharedstrings.xml")), None)
    if strings is not None:
        count = _count_elements(archive, strings, f"{_XLSX_NS}si", limits.shared_strings)
        if count > limits.shared_strings:
            raise InputError(
                f"plik ma ponad {_count(limits.shared_strings)} różnych tekstów w komórkach "
                f"(najwięcej obsługiwanych: {_count(limits.shared_strings)}) – plik nie został "
                "wczytany",
                file=label, hint=_SPLIT_HINT,
            )
    for title, part in sheet_parts.items():
        rows, columns = _sheet_extent(archive, part)
        _refuse_large_grid(label, limits, rows=rows, columns=columns, sheet=title,
                           where="licząc do ostatniej wypełnionej lub scalonej komórki; ")


def _count_elements(archive: zipfile.ZipFile, part: str, tag: str, stop_after: int) -> int:
    """How many ``tag`` elements ``part`` holds, streamed; counting stops past ``stop_after``."""
    count = 0
    with archive.open(part) as stream:
        for _, element in ElementTree.iterparse(stream, events=("end",)):
            if element.tag == tag:
                count += 1
                element.clear()
                if count > stop_after:
                    break
    return count


def _sheet_extent(archive: zipfile.ZipFile, part: str) -> tuple[int, int]:
    """The last row and column (1-based) a sheet's cells and merged ranges reach, streamed.

    The sheet's own ``dimension`` is not trusted (it may claim anything); cells
    without a reference follow the previous one, as Excel reads them.
    """
    last_row = last_column = 0
    row = column = 0
    with archive.open(part) as stream:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if event == "start":
                if tag == f"{_XLSX_NS}row":
                    reference = element.get("r")
                    row = int(reference) if reference and reference.isdigit() else row + 1
                    column = 0
                continue
            if tag == f"{_XLSX_NS}c":
                reference = element.get("r")
                if reference:
                    cell_row, cell_column = _cell_position(reference)
                    row, column = max(row, cell_row), cell_column + 1
                else:
                    column += 1
                last_row, last_column = max(last_row, row), max(last_column, column)
                element.clear()
            elif tag == f"{_XLSX_NS}row":
                last_row = max(last_row, row)
                element.clear()
            elif tag == f"{_XLSX_NS}mergeCell":
                for corner in element.get("ref", "").split(":"):
                    if corner:
                        merged_row, merged_column = _cell_position(corner)
                        last_row = max(last_row, merged_row)
                        last_column = max(last_column, merged_column + 1)
    return last_row, last_column


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its XML part inside the package (from workbook.xml and its relationships)."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in relations.iter(f"{_PKG_REL_NS}Relationship")
    }
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_XLSX_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl", target))
        if part in archive.namelist():
            parts[sheet.get("name", "")] = part
    return parts


def _sheet_structure(
    archive: zipfile.ZipFile, part: str
) -> tuple[tuple[tuple[int, int, int, int], ...], dict[tuple[int, int], bool]]:
    """Merged ranges (row, col, row, col; rows 1-based, columns 0-based) and formula cells.

    Formula cells map to whether Excel saved a value for them. The sheet XML is
    streamed, so memory stays bounded whatever the sheet's size.
    """
    merges: list[tuple[int, int, int, int]] = []
    formulas: dict[tuple[int, int], bool] = {}
    with archive.open(part) as stream:
        for _, element in ElementTree.iterparse(stream, events=("end",)):
            tag = element.tag
            if tag == f"{_XLSX_NS}c":
                if element.find(f"{_XLSX_NS}f") is not None:
                    saved = element.find(f"{_XLSX_NS}v")
                    formulas[_cell_position(element.get("r", "A1"))] = (
                        saved is not None and saved.text is not None
                    )
                element.clear()
            elif tag == f"{_XLSX_NS}row":
                element.clear()
            elif tag == f"{_XLSX_NS}mergeCell":
                first, _, last = element.get("ref", "").partition(":")
                if first and last:
                    (row1, col1), (row2, col2) = _cell_position(first), _cell_position(last)
                    merges.append((row1, col1, row2, col2))
    return tuple(merges), formulas


def _cell_position(reference: str) -> tuple[int, int]:
    letters = "".join(ch for ch in reference if ch.isalpha()).upper()
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return int("".join(ch for ch in reference if ch.isdigit()) or 1), column - 1


def _xlsx_sheet(
    path: Path,
    title: str,
    numbered: list[tuple[int, list[object]]],
    merges: Sequence[tuple[int, int, int, int]],
    formulas: dict[tuple[int, int], bool],
    label: str,
) -> RawSheet:
    values = [row for _, row in numbered]
    text_cells = [
        value.strip() for row in values[:_DETECTION_ROWS] for value in row
        if isinstance(value, str) and value.strip()
    ]
    decimal, thousands, date_format, detection_notes = _detect_formats(text_cells)
    if date_format is None and any(
        isinstance(value, datetime.date) for row in values[:_DETECTION_ROWS] for value in row
    ):
        date_format = "yyyy-mm-dd"
    table = _table([[_xlsx_text(value, decimal) for value in row] for row in values],
                   [number for number, _ in numbered])
    grid = _grid(table, label, merges=merges, sheet=title)
    notes = [*grid.notes, *detection_notes, *_formula_notes(formulas)]
    return RawSheet(
        path=path,
        sheet=title,
        headers=grid.headers,
        rows=grid.rows,
        detection=Detection(None, None, decimal, thousands, date_format),
        notes=tuple(notes),
    )


def _formula_notes(formulas: dict[tuple[int, int], bool]) -> Iterator[str]:
    saved = [f"{column_letter(col)}{row}" for (row, col), has in sorted(formulas.items()) if has]
    missing = [
        f"{column_letter(col)}{row}" for (row, col), has in sorted(formulas.items()) if not has
    ]
    if saved:
        yield (
            f"{'komórka' if len(saved) == 1 else 'komórki'} "
            f"{_examples(saved)} {'zawiera formułę' if len(saved) == 1 else 'zawierają formuły'}"
            " – wczytano zapisaną wartość, formuły nie wykonano"
        )
    if missing:
        yield (
            f"formuły bez zapisanej wartości w komórkach {_examples(missing)} "
            "– wczytano je jako puste; otwórz plik w Excelu i zapisz go ponownie"
        )


def _xlsx_text(value: object, decimal: str) -> str | None:
    """A cell's value as text, numbers written with the sheet's decimal mark."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        text = format(Decimal(repr(value)), "f")
        return text.replace(".", ",") if decimal == "," else text
    return _cell_text(str(value))
