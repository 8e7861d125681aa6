"""Output paths checked before any work, and file-system errors in Polish.

A command that writes (``report --out``, ``indicators --out``, ``check --out``)
checks its target first: an empty value, a folder where a file is wanted (or
the other way round), a name too long for the file system, or a place this
user cannot write (``/proc``, a read-only disk) is a :class:`ParameterError`
naming the option, the path and the fix, before any store is read or any
report computed. The check creates nothing: it proves the nearest existing
folder on the way writable with a temporary file it removes at once.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from wkus_lib.errors import ParameterError

REASONS: Final[dict[int, str]] = {
    errno.EACCES: "brak uprawnień",
    errno.EPERM: "operacja niedozwolona",
    errno.ENOENT: "nie ma takiego pliku ani katalogu",
    errno.EISDIR: "to jest katalog, a potrzebny jest plik",
    errno.ENOTDIR: "część ścieżki jest plikiem, a nie katalogiem",
    errno.ENAMETOOLONG: "nazwa jest za długa dla systemu plików",
    errno.EROFS: "system plików tylko do odczytu",
    errno.ENOSPC: "brak miejsca na dysku",
    errno.EDQUOT: "przekroczony przydział miejsca na dysku",
    errno.EEXIST: "istnieje już plik o tej nazwie, a potrzebny jest katalog",
    errno.EINVAL: "niepoprawna nazwa albo miejsce",
    errno.ENXIO: "urządzenie niedostępne",
    errno.EBUSY: "zasób zajęty",
}


def os_error_reason(error: OSError) -> str:
    """The reason of a file-system error in Polish (the system's words for rare ones)."""
    if error.errno in REASONS:
        return REASONS[error.errno]
    return error.strerror or type(error).__name__


def os_error_text(error: OSError) -> str:
    """A file-system error as one Polish sentence naming the path and the reason.

    >>> os_error_text(PermissionError(errno.EACCES, "Permission denied", "/x/raport.csv"))
    'nie można użyć ścieżki /x/raport.csv: brak uprawnień. Sprawdź ścieżkę i uprawnienia albo wskaż inne miejsce.'
    """
    where = f"ścieżki {error.filename}" if error.filename else "pliku"
    return (f"nie można użyć {where}: {os_error_reason(error)}. "
            "Sprawdź ścieżkę i uprawnienia albo wskaż inne miejsce.")


def _refuse(option: str, value: str, reason: str, fix: str) -> ParameterError:
    return ParameterError(f"{option} „{value}”: {reason}. {fix}")


def _name_too_long(path: Path) -> bool:
    """Whether a part of ``path`` is longer than the file system allows (255 bytes on most)."""
    return any(len(part.encode("utf-8", "surrogateescape")) > 255 for part in path.parts)


def _nearest_existing(path: Path) -> Path:
    """``path`` or its closest ancestor that exists (the current folder for a relative one)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path.cwd()


def _probe(folder: Path, option: str, value: str) -> None:
    """Refuse ``value`` unless a file can be created in ``folder``, the nearest existing one."""
    if not folder.is_dir():
        raise _refuse(option, value, f"„{folder}” to plik, a nie katalog",
                      "Podaj ścieżkę w istniejącym albo nowym katalogu.")
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".wkus-probe-"):
            pass
    except OSError as error:
        raise _refuse(option, value, f"nie da się tu zapisywać ({os_error_reason(error)})",
                      "Wskaż miejsce, do którego masz prawo zapisu.") from None


def writable_folder(value: str, option: str) -> Path:
    """The output folder ``value``, proved creatable and writable (nothing created); its path.

    Raises
    ------
    ParameterError
        Empty value, a file in the way, a name too long, or a place that
        cannot be written.
    """
    if not value.strip():
        raise ParameterError(f"{option} jest puste: podaj katalog wynikowy, np. {option} raporty.")
    folder = Path(value)
    if _name_too_long(folder):
        raise _refuse(option, value, "nazwa jest za długa dla systemu plików (ponad 255 bajtów)",
                      "Podaj krótszą nazwę katalogu.")
    if folder.exists() and not folder.is_dir():
        raise _refuse(option, value, "to istniejący plik, a potrzebny jest katalog",
                      "Podaj katalog (istniejący albo nowy).")
    _probe(_nearest_existing(folder), option, value)
    return folder


def writable_file(value: str, option: str) -> Path:
    """The output file ``value``, its folder proved creatable and writable; the path.

    An existing file is replaced later (atomically by the writer); a folder
    in its place is refused.

    Raises
    ------
    ParameterError
        As :func:`writable_folder`, or the path is a folder.
    """
    if not value.strip():
        raise ParameterError(f"{option} jest puste: podaj plik wynikowy, np. {option} wynik.csv.")
    out = Path(value)
    if _name_too_long(out):
        raise _refuse(option, value, "nazwa jest za długa dla systemu plików (ponad 255 bajtów)",
                      "Podaj krótszą nazwę pliku.")
    if out.is_dir() or value.endswith(("/", os.sep)):
        raise _refuse(option, value, "to katalog, a potrzebny jest plik",
                      "Podaj nazwę pliku, np. " + str(Path(value) / "wynik.csv") + ".")
    _probe(_nearest_existing(out.parent), option, value)
    if out.exists() and not os.access(out, os.W_OK):
        raise _refuse(option, value, "plik istnieje i nie można go zastąpić (brak uprawnień)",
                      "Wskaż inny plik albo zmień uprawnienia.")
    return out


def announce_written(heading: str, paths: Sequence[Path], *, synthetic: bool,
                     gaps: Sequence[str], kind: str) -> int:
    """What a document command prints when done, and its exit status.

    The heading, the missing-data lines and a synthetic-data note go to
    stderr; the written paths, one per line, to stdout (for scripts). Status 1
    when something was missing (``gaps``), else 0. ``kind`` names the
    document in the synthetic-data note, e.g. ``"projekt demonstracyjny"``.
    """
    print(heading, file=sys.stderr)
    for path in paths:
        print(path)
    if synthetic:
        print(f"Uwaga: magazyn zawiera dane syntetyczne ({kind}).", file=sys.stderr)
    for gap in gaps:
        print(gap, file=sys.stderr)
    return 1 if gaps else 0
