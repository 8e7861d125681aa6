"""``wkus sprawozdanie``: the annual report on the cooperation programme for one gmina.

Writes ``<out>/<teryt>-<slug>/sprawozdanie_program_wspolpracy_<year>.docx``,
``.html`` and ``.xlsx`` (see :mod:`wkus_lib.statutory.report`). A bad gmina or
year stops with a Polish message and exit status 2 before any data are read;
a report written with tables missing for the year names them on stderr and
exits with status 1.
"""

from __future__ import annotations

import argparse

from wkus_lib.cli.parser import STORE_HELP
from wkus_lib.domain import YEAR_MAX, YEAR_MIN


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the ``sprawozdanie`` subcommand."""
    parser = commands.add_parser(
        "sprawozdanie",
        help="sprawozdanie z realizacji programu współpracy za rok (DOCX, HTML, XLSX)",
        description="Sprawozdanie z realizacji programu współpracy z organizacjami "
                    "pozarządowymi za jeden rok (art. 5a ust. 3 ustawy o działalności pożytku "
                    "publicznego i o wolontariacie; radzie gminy do 31 maja, publikacja w BIP): "
                    "umowy, środki, wkład własny, odbiorcy, rezultaty, indeks współpracy, "
                    "wskaźniki a wartości docelowe, porównanie z poprzednim rokiem i rozdział "
                    "oceny programu na kolejny rok. Części opisowe oznaczono "
                    "„[do uzupełnienia]”.",
        epilog="Kody wyjścia: 0 — sprawozdanie gotowe; 1 — gotowe, ale brakuje danych "
               "za ten rok (wymienione); 2 — błąd parametrów lub magazynu.\n\n"
               "Przykład:\n  wkus sprawozdanie --gmina Łapy --year 2025 --out sprawozdania")
    parser.add_argument("--gmina", required=True,
                        help="gmina (wymagana): kod TERYT (7 cyfr) albo nazwa, np. Łapy")
    parser.add_argument("--year", required=True,
                        help="rok sprawozdania (wymagany), np. 2025")
    parser.add_argument("--store", default="",
                        help=STORE_HELP)
    parser.add_argument("--out", default="reports/sprawozdanie",
                        help="katalog wynikowy (domyślnie: %(default)s)")
    parser.set_defaults(handler=_cmd_sprawozdanie)


def parse_year(text: str) -> int:
    """The report year, or a Polish :class:`ParameterError` naming the allowed range."""
    from wkus_lib.errors import ParameterError

    stripped = text.strip()
    if not stripped.isdigit() or not YEAR_MIN <= int(stripped) <= YEAR_MAX:
        raise ParameterError(
            f"--year: „{text}” nie jest rokiem; podaj rok od {YEAR_MIN} do {YEAR_MAX}, "
            "np. --year 2025.")
    return int(stripped)


def _cmd_sprawozdanie(args: argparse.Namespace) -> int:
    from wkus_lib.batch.runner import library_version
    from wkus_lib.catalog import load_catalog
    from wkus_lib.cli.output_paths import announce_written, writable_folder
    from wkus_lib.domain import load_gminy, resolve_gmina
    from wkus_lib.statutory.render import write_report
    from wkus_lib.statutory.report import build_programme_report
    from wkus_lib.store import read_store
    from wkus_lib.store.locate import locate_store

    year = parse_year(args.year)
    gmina = resolve_gmina(args.gmina, load_gminy())
    out_dir = writable_folder(args.out, "--out")
    store = read_store(locate_store(args.store))
    report = build_programme_report(store, gmina, load_catalog(), year, library_version())
    paths = write_report(report, out_dir)
    return announce_written(
        f"Sprawozdanie z realizacji programu współpracy gminy {gmina.name} za {year} r.:",
        paths, synthetic=report.synthetic, gaps=report.gaps, kind="sprawozdanie demonstracyjne")
