"""``wkus templates`` (blank XLSX entry forms), ``wkus import`` (files into the store, corrections,
withdrawals, dry runs) and ``wkus history`` (the store's change log)."""

from __future__ import annotations

import argparse
from pathlib import Path

from wkus_lib.cli.parser import STORE_HELP
from wkus_lib.errors import ParameterError


def _cmd_templates(args: argparse.Namespace) -> int:
    from wkus_lib.intake.templates import write_templates

    paths = write_templates(Path(args.dir))
    print(f"Zapisano {len(paths)} szablonów XLSX w {args.dir}:")
    for path in paths:
        print(f"  {path.name}")
    print("Wypełnij arkusz z danymi (pierwszy), potem: wkus import <plik.xlsx> …")
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    from wkus_lib.intake.import_report import REPORT_FILE_NAME
    from wkus_lib.intake.importer import import_files
    from wkus_lib.store.locate import locate_store

    store = locate_store(args.store, new_allowed=True)
    print(f"Magazyn danych: {store}")
    if not args.files and not args.withdraw:
        raise ParameterError("Podaj pliki do importu albo --withdraw PLIK z kluczami wierszy "
                             "do wycofania.")
    report = import_files([Path(f) for f in args.files], store,
                          key_file=Path(args.key_file) if args.key_file else None,
                          withdraw=[Path(f) for f in args.withdraw], dry_run=args.dry_run)
    print(report.to_text())
    if not args.dry_run:
        print(f"\nRaport zapisano w {store / REPORT_FILE_NAME}")
    return report.exit_code


def _cmd_history(args: argparse.Namespace) -> int:
    from wkus_lib.domain import load_gminy, resolve_gmina
    from wkus_lib.intake.changelog import history_text, read_changelog, select_entries
    from wkus_lib.schemas import TABLES
    from wkus_lib.store.locate import locate_store

    if args.table is not None and args.table not in TABLES:
        raise ParameterError(f"Nieznana tabela „{args.table}”. Tabele: {', '.join(TABLES)}.")
    store = locate_store(args.store)  # a Polish error when there is no store there
    teryt = resolve_gmina(args.gmina, load_gminy()).teryt if args.gmina else None
    entries = select_entries(read_changelog(store), teryt=teryt, table=args.table)
    print(history_text(entries, show_all=args.all), end="")
    return 0


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``templates``, ``import`` and ``history`` to the ``wkus`` command."""
    templates = commands.add_parser(
        "templates", help="zapisz puste szablony XLSX do wprowadzania danych",
        description="Puste formularze XLSX, po jednym na tabelę magazynu, z polskimi "
                    "nagłówkami i opisem kolumn; wypełnione wczytuje wkus import.",
        epilog="Przykład:\n  wkus templates szablony",
    )
    templates.add_argument("dir", metavar="KATALOG", help="katalog docelowy szablonów")
    templates.set_defaults(handler=_cmd_templates)

    importing = commands.add_parser(
        "import", help="wczytaj pliki CSV/XLSX (także eksporty ankiet) do magazynu danych",
        description="Wiersz o kluczu, który jest już w magazynie (klucze: docs/DATA.md), "
        "zastępuje go; raport wymienia każdą zmianę (stara → nowa wartość). Kody wyjścia: "
        "0 — wszystko wczytano; 1 — część wierszy w kwarantannie albo nie wycofana; "
        "2 — któregoś pliku nie dało się wczytać.",
        epilog="Przykłady:\n  wkus import umowy.xlsx ankiety.csv --store dane/magazyn\n"
               "  wkus import poprawki.xlsx --dry-run\n"
               "  wkus import --withdraw do_usuniecia.csv",
    )
    importing.add_argument("files", nargs="*", metavar="PLIK", help="pliki CSV lub XLSX")
    importing.add_argument(
        "--withdraw", action="append", default=[], metavar="PLIK",
        help="usuń z magazynu wiersze, których klucze (np. numer umowy i rok) wymienia plik; "
        "można powtórzyć",
    )
    importing.add_argument("--dry-run", action="store_true",
                           help="pokaż, co zrobiłby import (zmiany stara → nowa), nic nie zapisuj")
    importing.add_argument("--store", default="",
                           help="katalog magazynu danych (domyślnie zmienna WKUS_STORE, a bez "
                           "niej data/store projektu; podany katalog bez magazynu zostanie "
                           "założony)")
    importing.add_argument(
        "--key-file", default=None,
        help="plik klucza pseudonimizacji respondentów (domyślnie w katalogu konfiguracji "
        "użytkownika albo ze zmiennej WKUS_PSEUDONYM_KEY_FILE)",
    )
    importing.set_defaults(handler=_cmd_import)

    history = commands.add_parser(
        "history", help="historia zmian magazynu: kiedy, z jakiego pliku, co zmieniono",
        description="Każdy import, który zmienił magazyn: czas, wersja magazynu, pliki "
        "(SHA-256), wiersze dodane, zmienione (stara → nowa wartość) i usunięte.",
        epilog="Przykład:\n  wkus history --gmina Łapy --table results",
    )
    history.add_argument("--store", default="",
                         help=STORE_HELP)
    history.add_argument("--gmina", default=None,
                         help="tylko zmiany jednej gminy (kod lub nazwa; domyślnie: wszystkie)")
    history.add_argument("--table", default=None,
                         help="tylko zmiany jednej tabeli, np. results (domyślnie: wszystkie)")
    history.add_argument("--all", action="store_true",
                         help="wypisz wszystkie zmiany (domyślnie do 20 na import)")
    history.set_defaults(handler=_cmd_history)
