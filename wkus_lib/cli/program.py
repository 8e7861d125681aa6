"""``wkus program``: the draft of a multi-year cooperation programme for one gmina.

Writes ``<out>/<teryt>-<slug>/program_wspolpracy_<first>-<last>.docx`` and
``.html`` (see :mod:`wkus_lib.program`). A bad gmina or year range stops with
a Polish message and exit status 2 before any data are read. A draft written
from partial data (tables without the gmina's rows, areas read from an earlier
complete year) names what is missing on stderr and exits with status 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wkus_lib.cli.parser import STORE_HELP


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``program`` subcommand."""
    parser = commands.add_parser(
        "program", help="projekt wieloletniego programu współpracy gminy (DOCX i HTML)",
        description="Projekt wieloletniego programu współpracy z organizacjami "
                    "pozarządowymi (art. 5a ust. 4 ustawy o działalności pożytku publicznego) "
                    "z zadaniami priorytetowymi i środkami według danych gminy w magazynie.",
        epilog="Kody wyjścia: 0 — projekt gotowy; 1 — gotowy, ale brakuje danych "
               "(wymienione); 2 — błąd parametrów lub magazynu.\n\n"
               "Przykład:\n  wkus program --gmina Łapy --years 2027-2030 --out program")
    parser.add_argument("--gmina", required=True,
                        help="gmina (wymagana): kod TERYT (7 cyfr) albo nazwa, np. Łapy")
    parser.add_argument("--years", required=True,
                        help="okres programu (wymagany), np. 2027-2030 (od 2 do 5 lat)")
    parser.add_argument("--store", default="",
                        help=STORE_HELP)
    parser.add_argument("--catalog", default=None,
                        help="własny katalog wskaźników (plik YAML lub katalog z plikami; "
                             "domyślnie: wbudowany)")
    parser.add_argument("--out", default="reports/program",
                        help="katalog wynikowy (domyślnie: %(default)s)")
    parser.set_defaults(handler=_cmd_program)


def _cmd_program(args: argparse.Namespace) -> int:
    from wkus_lib.catalog import load_catalog
    from wkus_lib.cli.output_paths import announce_written
    from wkus_lib.domain import load_gminy, resolve_gmina
    from wkus_lib.program import build_program, parse_year_range, write_program
    from wkus_lib.store import read_store
    from wkus_lib.store.locate import locate_store

    first_year, last_year = parse_year_range(args.years)
    gmina = resolve_gmina(args.gmina, load_gminy())
    catalog = load_catalog(Path(args.catalog)) if args.catalog else load_catalog()
    store = read_store(locate_store(args.store))
    draft = build_program(store, gmina, catalog, first_year, last_year)
    docx_path, html_path = write_program(draft, Path(args.out))
    return announce_written(
        f"Projekt programu współpracy gminy {gmina.name} na lata {first_year}–{last_year}:",
        [docx_path, html_path], synthetic=draft.synthetic, gaps=draft.gaps,
        kind="projekt demonstracyjny")
