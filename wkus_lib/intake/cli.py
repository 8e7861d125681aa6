"""``wkus templates`` (blank XLSX entry forms) and ``wkus import`` (files into the store)."""

from __future__ import annotations

import argparse
from pathlib import Path


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

    store = Path(args.store)
    report = import_files([Path(f) for f in args.files], store,
                          key_file=Path(args.key_file) if args.key_file else None)
    print(report.to_text())
    print(f"\nRaport zapisano w {store / REPORT_FILE_NAME}")
    return report.exit_code


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``templates`` and ``import`` to the ``wkus`` command."""
    templates = commands.add_parser(
        "templates", help="zapisz puste szablony XLSX do wprowadzania danych"
    )
    templates.add_argument("dir", help="katalog docelowy szablonów")
    templates.set_defaults(handler=_cmd_templates)

    importing = commands.add_parser(
        "import", help="wczytaj pliki CSV/XLSX (także eksporty ankiet) do magazynu danych",
        description="Kody wyjścia: 0 — wszystko wczytano; 1 — część wierszy w kwarantannie; "
        "2 — któregoś pliku nie dało się wczytać.",
    )
    importing.add_argument("files", nargs="+", metavar="PLIK", help="pliki CSV lub XLSX")
    importing.add_argument("--store", default="data/store", help="katalog magazynu danych")
    importing.add_argument(
        "--key-file", default=None,
        help="plik klucza pseudonimizacji respondentów (domyślnie w katalogu konfiguracji "
        "użytkownika albo ze zmiennej WKUS_PSEUDONYM_KEY_FILE)",
    )
    importing.set_defaults(handler=_cmd_import)
