"""The ``wkus`` argument parser in Polish: argparse's own words translated, errors exit 2.

argparse builds its words ("usage:", "options", "invalid choice: …") with
gettext's ``_`` looked up in its module at call time. :class:`PolishArgumentParser`
swaps in :func:`polish` while it builds, formats and parses, so every word
argparse itself prints (help, usage, error messages, for the main command
and every subcommand) is Polish; the swap is undone afterwards. Errors print
one ``Błąd: …`` line with the usage and exit with status 2, as every other
``wkus`` error.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final, NoReturn

from wkus_lib.store.locate import STORE_ENV_VARIABLE

EXIT_USAGE: Final = 2

ARGPARSE_WORDS: Final[dict[str, str]] = {
    "usage: ": "Użycie: ",
    "positional arguments": "argumenty",
    "options": "opcje",
    "subcommands": "polecenia",
    "show this help message and exit": "pokaż tę pomoc i zakończ",
    "%(prog)s: error: %(message)s\n": "%(prog)s: błąd: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "brak wymaganych argumentów: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "niedozwolona wartość %(value)r (dozwolone: %(choices)s)",
    "invalid %(type)s value: %(value)r": "niepoprawna wartość %(value)r (oczekiwano: %(type)s)",
    "unrecognized arguments: %s": "nieznane argumenty: %s",
    "expected one argument": "brak wartości (podaj jedną)",
    "expected at most one argument": "najwyżej jedna wartość",
    "expected at least one argument": "brak wartości (podaj co najmniej jedną)",
    "expected %s argument": "oczekiwano %s wartości",
    "expected %s arguments": "oczekiwano %s wartości",
    "ambiguous option: %(option)s could match %(matches)s":
        "niejednoznaczna opcja %(option)s: pasuje do %(matches)s",
    "ignored explicit argument %r": "opcja nie przyjmuje wartości (podano %r)",
    "not allowed with argument %s": "nie można użyć razem z %s",
    "one of the arguments %s is required": "wymagany jest jeden z argumentów: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "nieznane polecenie %(parser_name)r (dostępne: %(choices)s)",
    "can't open '%(filename)s': %(error)s": "nie można otworzyć „%(filename)s”: %(error)s",
    "unexpected option string: %s": "nieoczekiwana opcja: %s",
}
"""argparse's English message templates (Python 3.11–3.13) and their Polish versions."""

STORE_HELP: Final = (f"katalog magazynu danych (domyślnie zmienna {STORE_ENV_VARIABLE}, a bez niej "
                     "data/store projektu, po instalacji z pakietu — data/store bieżącego katalogu)")
"""The help of every ``--store`` option: where the store is looked for (``store.locate``)."""


def polish(message: str) -> str:
    """argparse's template ``message`` in Polish (unknown templates unchanged).

    >>> polish("usage: ")
    'Użycie: '
    """
    return ARGPARSE_WORDS.get(message, message)


def polish_plural(singular: str, plural: str, count: int) -> str:
    """argparse's ``ngettext`` in Polish."""
    return polish(singular if count == 1 else plural)


@contextmanager
def polish_argparse() -> Iterator[None]:
    """argparse speaks Polish inside this block (re-entrant; restored afterwards)."""
    module: Any = argparse
    saved = (module._, module.ngettext)
    module._, module.ngettext = polish, polish_plural
    try:
        yield
    finally:
        module._, module.ngettext = saved


def whole_number(text: str) -> int:
    """An option value that must be a whole number (a Polish message otherwise)."""
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"„{text}” nie jest liczbą całkowitą (np. 4)") from None


def positive_number(text: str) -> int:
    """A whole number of at least 1 (jobs, ports)."""
    value = whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"„{text}”: podaj liczbę całkowitą dodatnią (np. 4)")
    return value


def port_number(text: str) -> int:
    """A TCP port, 1–65535 (a Polish message otherwise)."""
    value = whole_number(text)
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"„{text}”: port to liczba od 1 do 65535, np. 8866")
    return value


def year_number(text: str) -> int:
    """A calendar year as four digits (a Polish message otherwise)."""
    stripped = text.strip()
    if not (stripped.isascii() and stripped.isdigit() and len(stripped) == 4):
        raise argparse.ArgumentTypeError(f"„{text}” nie jest rokiem: podaj cztery cyfry, np. 2024")
    return int(stripped)


class PolishHelpFormatter(argparse.HelpFormatter):
    """Descriptions and epilogs keep their line breaks (examples stay one command a line);
    a line longer than the terminal wraps under itself, an indented one (an example
    command) two spaces further in."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for line in text.splitlines():
            stripped = line.lstrip(" ")
            own = indent + line[: len(line) - len(stripped)]
            further = "  " if stripped != line else ""
            lines.append(textwrap.fill(stripped, width, initial_indent=own,
                                       subsequent_indent=own + further, break_on_hyphens=False,
                                       break_long_words=False) if stripped else "")
        return "\n".join(lines)


class PolishArgumentParser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` that speaks Polish and exits 2 on errors.

    Subcommands made with ``add_subparsers().add_parser`` are of this class too
    (argparse uses the parent's class), with the same formatter.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", PolishHelpFormatter)
        with polish_argparse():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with polish_argparse():
            return super().add_subparsers(**kwargs)

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None,
    ) -> tuple[argparse.Namespace, list[str]]:
        with polish_argparse():
            return super().parse_known_args(args, namespace)

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None,
    ) -> argparse.Namespace:
        with polish_argparse():
            return super().parse_args(args, namespace)

    def format_usage(self) -> str:
        with polish_argparse():
            return super().format_usage()

    def format_help(self) -> str:
        with polish_argparse():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        """One Polish ``Błąd: …`` line after the usage, a hint to ``--help``; exit 2."""
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Błąd ({self.prog}): {message}\n"
                              f"Pomoc i przykłady: {self.prog} --help\n")


