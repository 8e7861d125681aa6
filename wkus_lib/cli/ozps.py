"""``wkus ozps``: the OZPS section on social-assistance tasks contracted to NGOs.

Writes ``<out>/<teryt>-<slug>/ozps_<year>.docx`` and ``.xlsx`` (see
:mod:`wkus_lib.statutory.ozps`). A bad gmina, year or ``--out`` stops with a
Polish message and exit status 2 before any data are read; a section written
from partial data names what is missing on stderr and exits with status 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wkus_lib.cli.parser import STORE_HELP, year_number


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``ozps`` subcommand."""
    parser = commands.add_parser(
        "ozps", help="ocena zasobów pomocy społecznej: zadania zlecone organizacjom (DOCX i XLSX)",
        description="Część oceny zasobów pomocy społecznej (art. 16a ustawy o pomocy "
                    "społecznej, do 30 kwietnia) o zadaniach z pomocy społecznej zleconych "
                    "organizacjom pozarządowym: zadania, kwoty i liczba odbiorców w dwóch "
                    "poprzednich latach i w roku oceny oraz prognoza na rok następny.",
        epilog="Kody wyjścia: 0 — gotowe; 1 — gotowe, ale brakuje danych (wymienione, "
               "w dokumencie „[do uzupełnienia]”); 2 — błąd parametrów lub magazynu.\n\n"
               "Przykład:\n  wkus ozps --gmina Sopot --year 2024 --out ozps")
    parser.add_argument("--gmina", required=True,
                        help="gmina (wymagana): kod TERYT (7 cyfr) albo nazwa, np. Sopot")
    parser.add_argument("--year", required=True, type=year_number,
                        help="rok oceny (wymagany), np. 2024: tabela obejmuje lata R−2 … R "
                             "i prognozę na R+1")
    parser.add_argument("--store", default="",
                        help=STORE_HELP)
    parser.add_argument("--out", default="reports/ozps",
                        help="katalog wynikowy (domyślnie: %(default)s)")
    parser.set_defaults(handler=_cmd_ozps)


def _cmd_ozps(args: argparse.Namespace) -> int:
    from wkus_lib.catalog.prices import packaged_price_index
    from wkus_lib.cli.output_paths import announce_written, writable_folder
    from wkus_lib.domain import load_gminy, resolve_gmina
    from wkus_lib.statutory.ozps import build_ozps, write_ozps
    from wkus_lib.store import read_store
    from wkus_lib.store.locate import locate_store

    gmina = resolve_gmina(args.gmina, load_gminy())
    out_dir = writable_folder(args.out, "--out")
    store = read_store(locate_store(args.store))
    section = build_ozps(store, gmina, args.year, packaged_price_index())
    docx_path, xlsx_path = write_ozps(section, Path(out_dir))
    return announce_written(
        f"Ocena zasobów pomocy społecznej gminy {gmina.name} za {args.year} r. "
        "(zadania zlecone organizacjom):", [docx_path, xlsx_path],
        synthetic=section.synthetic, gaps=section.gaps, kind="dokument demonstracyjny")
