"""``wkus instruments DIR`` and ``wkus count-codes FILE``: the instruments as files.

``instruments`` writes, for every questionnaire of the catalogue, a printable
PDF and an XLSForm (checked with pyxform), and for every interview scenario
a guide (DOCX) and a coding sheet (XLSX). ``count-codes`` counts the coded
fragments of filled coding sheets per criterion.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from wkus_lib.errors import ParameterError

if TYPE_CHECKING:
    from wkus_lib.instruments.xlsform import StudySetup


def _setup(args: argparse.Namespace) -> StudySetup:
    from wkus_lib.domain import AREA_IDS, load_gminy, resolve_gmina
    from wkus_lib.instruments.xlsform import StudySetup

    teryt = resolve_gmina(args.gmina, load_gminy()).teryt if args.gmina else None
    if args.area is not None and args.area not in AREA_IDS:
        raise ParameterError(
            f"Nieznany obszar „{args.area}”. Dozwolone: {', '.join(AREA_IDS)}."
        )
    return StudySetup(teryt=teryt, area=args.area, year=args.year,
                      administrator=args.administrator)


def _cmd_instruments(args: argparse.Namespace) -> int:
    from wkus_lib.catalog import load_catalog
    from wkus_lib.instruments.forms import questionnaires
    from wkus_lib.instruments.interview import write_interview_files
    from wkus_lib.instruments.questionnaire import write_questionnaire_pdf
    from wkus_lib.instruments.xlsform import write_xlsform

    setup = _setup(args)
    catalog = load_catalog(Path(args.catalog)) if args.catalog else load_catalog()
    out = Path(args.dir)
    written: list[Path] = []
    for form in questionnaires(catalog):
        written.append(write_questionnaire_pdf(
            form, catalog, out / f"kwestionariusz_{form.form_id}.pdf", setup))
        written.append(write_xlsform(form, catalog, out / f"xlsform_{form.form_id}.xlsx", setup))
    for key, interview in catalog.instruments.interviews.items():
        written.extend(write_interview_files(
            interview, catalog, out / f"scenariusz_{key}.docx", out / f"kodowanie_{key}.xlsx",
            setup.administrator,
        ))
    print(f"Narzędzia badawcze zapisane w {out} ({len(written)} plików):")
    for path in written:
        print(f"  {path.name}")
    print("Formularze XLSForm sprawdzono programem pyxform (KoboToolbox/ODK). "
          "Eksport odpowiedzi (CSV) wczytasz poleceniem: wkus import PLIK.csv")
    return 0


def _cmd_count_codes(args: argparse.Namespace) -> int:
    import pandas as pd

    from wkus_lib.catalog import load_catalog
    from wkus_lib.errors import CatalogError
    from wkus_lib.files.atomic import atomic_write_bytes
    from wkus_lib.instruments.interview import count_codes, read_coding_sheet
    from wkus_lib.text.plural import count_phrase

    catalog = load_catalog(Path(args.catalog)) if args.catalog else load_catalog()
    interviews = catalog.instruments.interviews
    if args.scenario not in interviews:
        raise CatalogError(f"Nieznany scenariusz „{args.scenario}”. Dostępne: "
                           f"{', '.join(interviews)}.")
    interview = interviews[args.scenario]
    coded = pd.concat([read_coding_sheet(Path(file)) for file in args.files], ignore_index=True)
    counts = count_codes(coded, interview, catalog, file=", ".join(args.files))
    fragments = ("zakodowany fragment", "zakodowane fragmenty", "zakodowanych fragmentów")
    interviews_word = ("wywiad", "wywiady", "wywiadów")
    print(f"{interview.name_pl}: {count_phrase(len(coded), *fragments)}, "
          f"{count_phrase(coded['interview_id'].nunique(), *interviews_word)}")
    for row in counts.itertuples(index=False):
        print(f"  {row.criterion_pl} – {row.kind}: "
              f"{count_phrase(row.fragments, 'fragment', 'fragmenty', 'fragmentów')} "
              f"({count_phrase(row.interviews, *interviews_word)})")
    if args.out:
        from wkus_lib.files.spreadsheet_safe import safe_csv

        atomic_write_bytes(Path(args.out), safe_csv(counts).encode("utf-8"))
        print(f"Zapisano {args.out}")
    return 0


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``instruments`` and ``count-codes`` to the ``wkus`` command."""
    from wkus_lib.cli.parser import year_number
    from wkus_lib.domain import AREA_IDS

    instruments = commands.add_parser(
        "instruments",
        help="kwestionariusze (PDF, XLSForm) i scenariusze wywiadów (DOCX, arkusz kodowania)",
        description="Narzędzia badawcze z katalogu wskaźników: pięć kwestionariuszy (PDF do "
                    "druku z klauzulą informacyjną i XLSForm dla Kobo/ODK), scenariusze "
                    "wywiadów (DOCX) i arkusze kodowania (XLSX).",
        epilog="Przykład:\n  wkus instruments narzedzia --gmina Łapy --area sport --year 2024 "
               "--administrator \"Urząd Miejski w Łapach\"",
    )
    instruments.add_argument("dir", metavar="KATALOG", help="katalog docelowy")
    instruments.add_argument("--gmina", default=None,
                             help="gmina (kod TERYT albo nazwa) wpisana na stałe "
                                  "(domyślnie: pole do wypełnienia)")
    instruments.add_argument("--area", default=None, metavar="OBSZAR",
                             help=f"obszar wpisany na stałe: {', '.join(AREA_IDS)} "
                                  "(domyślnie: pole do wypełnienia)")
    instruments.add_argument("--year", type=year_number, default=None,
                             help="rok wpisany na stałe, np. 2024 "
                                  "(domyślnie: pole do wypełnienia)")
    instruments.add_argument("--administrator", default=None,
                             help="kto prowadzi badanie (do klauzuli informacyjnej; "
                                  "domyślnie: pole do wypełnienia)")
    instruments.add_argument("--catalog", default=None,
                             help="własny katalog (plik YAML lub katalog z plikami; "
                                  "domyślnie: wbudowany)")
    instruments.set_defaults(handler=_cmd_instruments)

    count = commands.add_parser(
        "count-codes", help="policz zakodowane fragmenty wywiadów według kryteriów",
        description="Liczby zakodowanych fragmentów wywiadów według kryteriów oceny, "
                    "z wypełnionych arkuszy kodowania (z wkus instruments).",
        epilog="Przykład:\n  wkus count-codes arkusz1.xlsx arkusz2.xlsx "
               "--scenario personel_grupowy --out kody.csv")
    count.add_argument("files", nargs="+", metavar="PLIK",
                       help="wypełnione arkusze kodowania (XLSX)")
    count.add_argument("--scenario", required=True,
                       help="scenariusz (wymagany): personel_grupowy albo klient_indywidualny")
    count.add_argument("--out", default=None,
                       help="zapisz liczby do pliku CSV (domyślnie: tylko na ekran)")
    count.add_argument("--catalog", default=None,
                       help="własny katalog (domyślnie: wbudowany)")
    count.set_defaults(handler=_cmd_count_codes)
