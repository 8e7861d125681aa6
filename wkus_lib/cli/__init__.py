"""The ``wkus`` command: demo data, indicator tables and report batches.

Every user-facing message is Polish. Errors the user can fix (unknown gmina,
missing store, bad file) print one clear message and exit with status 2; a
batch with failed reports, or a gmina asked for that has no data in the
store, exits with status 1 after doing the rest. A gmina is named by code or
name (:func:`wkus_lib.domain.resolve_gminy`); the store is found by
:func:`wkus_lib.store.locate.locate_store`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from wkus_lib.cli.output_paths import os_error_text, writable_file, writable_folder
from wkus_lib.cli.parser import (
    STORE_HELP,
    PolishArgumentParser,
    positive_number,
    whole_number,
    year_number,
)
from wkus_lib.errors import ParameterError, WkusError
from wkus_lib.store.locate import NOTEBOOKS_DIR
from wkus_lib.text.plural import count_phrase

if TYPE_CHECKING:
    import pandas as pd

    from wkus_lib.batch.build import KernelStart
    from wkus_lib.batch.params import ReportSpec, Unit
    from wkus_lib.domain import Gmina

EXIT_PARTIAL = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DEBUG_ENV_VARIABLE = "WKUS_DEBUG"
ISSUES_HINT = ("To błąd programu, nie danych: zgłoś go opiekunowi wkus, podając polecenie "
               "i ten komunikat; pełny ślad błędu pokaże opcja --debug albo zmienna "
               f"{DEBUG_ENV_VARIABLE}=1.")
GMINA_HELP = ("gminy: kody TERYT lub nazwy po przecinku albo all, czyli wszystkie "
              "z danymi w magazynie (domyślnie: %(default)s)")

SROI_RATE_HELP = ("roczna stopa dyskontowa SROI jako ułamek, np. 0.035 = 3,5 %% "
                  "(domyślnie z ustawień katalogu: settings.sroi.discount_rate)")
SROI_FILE_HELP_INDICATORS = ("CSV z efektami i wartościami proxy (z kolumnami teryt, area): "
                             "dodaje E10 i kolumny sroi_low, sroi_high (zakres wrażliwości)")


def sroi_discount_rate(text: str) -> float:
    """``--sroi-discount-rate``: a share from 0 to below 1, decimal point or comma."""
    try:
        rate = float(text.strip().replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"„{text}” nie jest liczbą: podaj stopę jako ułamek, np. 0.035 dla 3,5 %") from None
    if not 0 <= rate < 1:
        raise argparse.ArgumentTypeError(
            f"stopa {text} poza zakresem 0–1: podaj ułamek, np. 0.035 dla 3,5 % (nie 3.5)")
    return rate


def require_sroi_file_for_rate(args: argparse.Namespace) -> None:
    """``--sroi-discount-rate`` only means something with ``--sroi-file`` (ParameterError)."""
    if args.sroi_discount_rate is not None and not args.sroi_file:
        raise ParameterError("Podano --sroi-discount-rate bez --sroi-file: stopa dotyczy tylko "
                             "SROI, a SROI wymaga pliku z efektami. Dodaj --sroi-file PLIK.csv "
                             "albo pomiń stopę.")


COMMAND_MODULES: tuple[str, ...] = (
    # Modules that add their own subcommands: each defines
    # ``register(commands: argparse._SubParsersAction) -> None`` and keeps heavy
    # imports inside its handlers, so ``wkus --help`` stays fast.
    "wkus_lib.cli.instruments",
    "wkus_lib.cli.check",
    "wkus_lib.cli.intake",
    "wkus_lib.cli.workshop",
    "wkus_lib.cli.dashboard",
    "wkus_lib.cli.program",
    "wkus_lib.cli.sprawozdanie",
    "wkus_lib.cli.ozps",
)


def _split_choice(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def chosen_gminy_with_data(
    choice: str, contracts: pd.DataFrame, store_dir: Path
) -> tuple[list[Gmina], list[str]]:
    """:func:`wkus_lib.domain.choose_gminy_with_data` for the gminy with contracts in the store."""
    from wkus_lib.domain import choose_gminy_with_data, load_gminy

    in_store = sorted(str(code) for code in contracts["teryt"].unique())
    return choose_gminy_with_data(choice, load_gminy(), in_store, store_dir)


def _cmd_demo_data(args: argparse.Namespace) -> int:
    from wkus_lib.demo import write_demo

    summary = write_demo(Path(args.raw_dir), Path(args.store), seed=args.seed,
                         voivodeship=args.voivodeship)
    print(f"Dane syntetyczne (seed {args.seed}) zapisane w {args.raw_dir}, magazyn: {args.store}")
    if args.voivodeship is not None:
        from wkus_lib.demo.voivodeship import VOIVODESHIPS, resolve_voivodeship

        code = resolve_voivodeship(args.voivodeship)
        print(f"Województwo {VOIVODESHIPS[code]} (kod TERC {code}): "
              f"{count_phrase(summary.gminy, 'gmina', 'gminy', 'gmin')} z rejestru TERYT")
    for name, rows in summary.rows.items():
        print(f"  {name}: {count_phrase(rows, 'wiersz', 'wiersze', 'wierszy')}")
    if len(summary.problems):
        print(
            f"Celowo wprowadzone błędy danych: {len(summary.problems)} "
            f"(odrzucone z magazynu, lista w {Path(args.store) / 'problems.csv'})"
        )
    return 0


def _cmd_indicators(args: argparse.Namespace) -> int:
    from wkus_lib.catalog import load_catalog
    from wkus_lib.evaluation.data_gaps import data_gaps
    from wkus_lib.evaluation.indicators import compute_indicators
    from wkus_lib.store import read_store
    from wkus_lib.store.locate import locate_store

    require_sroi_file_for_rate(args)
    writable_file(args.out, "--out")
    store_dir = locate_store(args.store)
    store = read_store(store_dir)
    catalog = load_catalog(Path(args.catalog)) if args.catalog else None
    gminy, missing = chosen_gminy_with_data(args.gmina, store.contracts, store_dir)
    for message in missing:
        print(message, file=sys.stderr)
    if not gminy:
        print("Nie zapisano tabeli wskaźników: brak danych wybranych gmin.", file=sys.stderr)
        return EXIT_PARTIAL
    sroi_outcomes = None
    if args.sroi_file:
        from wkus_lib.evaluation.indicators import read_sroi_outcomes

        sroi_outcomes, sroi_notes = read_sroi_outcomes(args.sroi_file, store.contracts,
                                                       up_to=args.year)
        for note in sroi_notes:
            print(note, file=sys.stderr)
    table = compute_indicators(
        store,
        catalog=catalog,
        teryt=[g.teryt for g in gminy],
        areas=None if args.area == "all" else _split_choice(args.area),
        stages=None if args.stage == "all" else _split_choice(args.stage),
        years=None if args.year is None else [args.year],
        sroi_outcomes=sroi_outcomes,
        sroi_discount_rate=args.sroi_discount_rate,
    )
    if sroi_outcomes is not None:
        from wkus_lib.evaluation.indicators import with_sroi_ranges

        table = with_sroi_ranges(table, store, sroi_outcomes, catalog=catalog,
                                 discount_rate=args.sroi_discount_rate)
    out = writable_file(args.out, "--out")
    out.parent.mkdir(parents=True, exist_ok=True)
    from wkus_lib.files.spreadsheet_safe import safe_csv

    out.write_text(safe_csv(table), encoding="utf-8", newline="")
    rows = count_phrase(len(table), "wiersz", "wiersze", "wierszy")
    print(f"Zapisano {rows} wskaźników do {out} (magazyn {store_dir})")
    gaps = data_gaps(store, {g.teryt: g.name for g in gminy}, up_to=args.year,
                     areas=None if args.area == "all" else _split_choice(args.area))
    for gap in gaps:
        print(gap, file=sys.stderr)
    return EXIT_PARTIAL if missing or gaps else 0


def _cmd_catalog(args: argparse.Namespace) -> int:
    from wkus_lib.catalog import copy_default_catalog, load_catalog

    folder = copy_default_catalog(Path(args.dir))
    load_catalog(folder)  # the copy must load; fails loudly otherwise
    print(f"Katalog wskaźników skopiowany do {folder}. Po zmianach użyj: "
          f"wkus indicators --catalog {folder} …")
    return 0


def _available_kinds(kind_choice: str) -> str:
    """``all`` (``--stage all``) means every report kind whose notebook exists."""
    from wkus_lib.batch.params import notebook_for
    from wkus_lib.domain import REPORT_KINDS

    if kind_choice != "all":
        return kind_choice
    return ",".join(k for k in REPORT_KINDS if (NOTEBOOKS_DIR / notebook_for(k)).exists())


def _cmd_report(args: argparse.Namespace) -> int:
    from wkus_lib.batch.build import DEFAULT_KERNEL_START
    from wkus_lib.batch.params import resolve_batch
    from wkus_lib.batch.runner import run_batch
    from wkus_lib.batch.selection import default_plan, keep_supported, supported_reports
    from wkus_lib.domain import BENCHMARK
    from wkus_lib.store import read_store
    from wkus_lib.store.locate import locate_store

    require_sroi_file_for_rate(args)
    out_dir = writable_folder(args.out, "--out")
    store_dir = locate_store(args.store)
    store = read_store(store_dir)
    contracts = store.contracts
    gminy, missing = chosen_gminy_with_data(args.gmina, contracts, store_dir)
    for message in missing:
        print(message, file=sys.stderr)
    if contracts.empty:
        print(f"Magazyn danych {store_dir} nie ma jeszcze żadnej umowy: zaimportuj umowy "
              "(„wkus import”), a potem zbuduj raporty.", file=sys.stderr)
        return EXIT_PARTIAL
    kinds = _available_kinds(args.stage)  # the CLI says --stage, the code says kind
    if not gminy and kinds != BENCHMARK:
        return EXIT_PARTIAL
    # --year Y: every report for Y; default: each gmina-area's own last year (selection).
    plan = ({args.year: supported_reports(contracts, args.year)} if args.year is not None
            else default_plan(store))
    specs: list[ReportSpec] = []
    requested: set[Unit] = set()
    for year, units in sorted(plan.items()):
        asked = resolve_batch(
            [g.teryt for g in gminy], kinds, args.area, year=year, store_dir=store_dir,
            lang=args.lang, sroi_file=args.sroi_file, sroi_discount_rate=args.sroi_discount_rate,
        )
        specs += keep_supported(asked, units)
        requested |= {spec.params.unit() for spec in asked}
    skipped = len(requested - {spec.params.unit() for spec in specs})
    year_text = ", ".join(str(y) for y in sorted(plan))
    print(
        f"Magazyn danych: {store_dir}. Rok oceny: {year_text}. Raporty do zbudowania: "
        f"{len(specs)}"
        + (f" (pominięto {skipped} bez danych w tym roku)." if skipped else "."),
        file=sys.stderr,
    )
    if args.dry_run:
        return _print_plan(specs, out_dir, tuple(_split_choice(args.format)), args.force)
    kernel_start: KernelStart = "fresh" if args.isolated else DEFAULT_KERNEL_START
    with _report_executor(args.executor, args.scheduler, kernel_start) as executor:
        result = run_batch(
            specs,
            out_dir=out_dir,
            notebooks_dir=NOTEBOOKS_DIR,
            executor=executor,
            jobs=args.jobs,
            formats=tuple(_split_choice(args.format)),
            force=args.force,
            kernel_start=kernel_start,
        )
    print(result.summary(), file=sys.stderr)
    return max(result.exit_code, EXIT_PARTIAL if missing else 0)


def _print_plan(specs: Sequence[ReportSpec], out_dir: Path, formats: tuple[str, ...],
                force: bool) -> int:
    """``wkus report --dry-run``: each report that would be rebuilt, with why; writes nothing."""
    from wkus_lib.batch.runner import plan_batch
    from wkus_lib.text.plural import count_phrase

    planned = plan_batch(specs, out_dir=out_dir, notebooks_dir=NOTEBOOKS_DIR, formats=formats,
                         force=force)
    rebuilt = [report for report in planned if report.rebuild]
    for report in rebuilt:
        print(f"do zbudowania: {report.spec.output_stem} — {'; '.join(report.reasons)}")
    print(f"Próba bez zapisu: do zbudowania "
          f"{count_phrase(len(rebuilt), 'raport', 'raporty', 'raportów')}, aktualne: "
          f"{len(planned) - len(rebuilt)} z {len(planned)}. Nic nie zapisano.")
    return 0


@contextmanager
def _report_executor(
    kind: str, scheduler: str | None, kernel_start: KernelStart
) -> Iterator[Executor | None]:
    """``None`` for the runner's own process pool, or a Dask cluster's executor."""
    if kind == "process":
        if scheduler:
            raise ParameterError("--scheduler działa tylko z --executor dask.")
        yield None
        return
    if not scheduler:
        raise ParameterError(
            "--executor dask wymaga adresu planisty, np. --scheduler tcp://10.0.0.5:8786 "
            "(jak go uruchomić: docs/SCALING.md)."
        )
    from wkus_lib.batch.dask_executor import connect

    with connect(scheduler, kernel_start=kernel_start) as executor:
        yield executor


def _listed(values: Sequence[str]) -> str:
    return ", ".join(values) + " albo all"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: Polish help with valid values, defaults and an example each."""
    from wkus_lib.domain import AREA_IDS, REPORT_KINDS, STAGE_IDS

    areas_help = f"obszary po przecinku: {_listed(AREA_IDS)} (domyślnie: %(default)s, wszystkie)"
    parser = PolishArgumentParser(
        prog="wkus",
        description="Warsztat ewaluacji wieloletniego kontraktowania usług społecznych.",
        epilog="Pomoc do polecenia: wkus POLECENIE --help\n\n"
               "Przykład (dane demonstracyjne, potem raporty gminy Łapy):\n"
               "  wkus demo-data --raw-dir dane/demo --store dane/magazyn\n"
               "  wkus report --store dane/magazyn --gmina Łapy --out raporty",
    )
    parser.add_argument("--debug", action="store_true",
                        help=f"przy nieoczekiwanym błędzie pokaż pełny ślad (jak {DEBUG_ENV_VARIABLE}=1)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="POLECENIE",
                                     title="polecenia")

    demo = commands.add_parser(
        "demo-data", help="wygeneruj syntetyczne dane demonstracyjne",
        description="Syntetyczne dane dziesięciu gmin (surowe pliki CSV i gotowy magazyn), "
                    "z kilkoma celowymi błędami, do prób i warsztatów.",
        epilog="Przykłady:\n  wkus demo-data --seed 2024 --raw-dir dane/demo --store dane/magazyn\n"
               "  wkus demo-data --voivodeship podlaskie --raw-dir dane/podlaskie "
               "--store dane/magazyn-podlaskie")
    demo.add_argument("--seed", type=whole_number, default=2024,
                      help="ziarno losowania (domyślnie: %(default)s)")
    demo.add_argument("--raw-dir", default="data/demo",
                      help="katalog surowych plików CSV (domyślnie: %(default)s)")
    demo.add_argument("--store", default="data/store",
                      help="katalog magazynu danych (domyślnie: %(default)s)")
    demo.add_argument("--voivodeship", default=None, metavar="WOJEWÓDZTWO",
                      help="zamiast dziesięciu gmin demonstracyjnych: wszystkie gminy "
                           "województwa z rejestru TERYT (nazwa w dowolnej wielkości liter, "
                           "z polskimi znakami lub bez, albo dwucyfrowy kod TERC), "
                           "np. podlaskie albo 20; bez celowych błędów danych")
    demo.set_defaults(handler=_cmd_demo_data)

    indicators = commands.add_parser(
        "indicators", help="policz tabelę wskaźników do pliku CSV",
        description="Tabela wskaźników (gmina, obszar, etap, rok, wskaźnik, wartość, n, "
                    "przedział ufności, cel, status, ukrycie) do pliku CSV.",
        epilog="Przykład:\n  wkus indicators --gmina Łapy,Mońki --area sport --year 2024 "
               "--out wskazniki.csv")
    indicators.add_argument("--gmina", default="all", help=GMINA_HELP)
    indicators.add_argument("--area", default="all", help=areas_help)
    indicators.add_argument("--stage", default="all",
                            help=f"etapy po przecinku: {_listed(STAGE_IDS)} "
                                 "(domyślnie: %(default)s, wszystkie)")
    indicators.add_argument("--year", type=year_number, default=None,
                            help="tylko ten rok, np. 2024 (domyślnie: wszystkie lata)")
    indicators.add_argument("--store", default="", help=STORE_HELP)
    indicators.add_argument("--catalog", default=None,
                            help="własny katalog wskaźników (plik YAML lub katalog z plikami)")
    indicators.add_argument("--out", required=True, help="plik wynikowy CSV (wymagany)")
    indicators.add_argument("--sroi-file", default=None, help=SROI_FILE_HELP_INDICATORS)
    indicators.add_argument("--sroi-discount-rate", type=sroi_discount_rate, default=None,
                            help=SROI_RATE_HELP)
    indicators.set_defaults(handler=_cmd_indicators)

    catalog = commands.add_parser(
        "catalog", help="skopiuj katalog wskaźników do edycji",
        description="Kopia katalogu wskaźników (pliki YAML) do zmiany progów, celów i "
                    "wskaźników; potem wkus indicators --catalog KATALOG.",
        epilog="Przykład:\n  wkus catalog moj-katalog")
    catalog.add_argument("dir", metavar="KATALOG", help="katalog docelowy")
    catalog.set_defaults(handler=_cmd_catalog)

    report = commands.add_parser(
        "report", help="wygeneruj raporty (partia)",
        description="Raporty ewaluacyjne gmin (HTML, PDF, aneks XLSX) z indeksem index.html "
                    "i manifestem. Bez --year każda gmina i obszar dostają raport za swój "
                    "ostatni rok z danymi. Aktualne raporty nie są liczone ponownie.",
        epilog="Rodzaje raportów (--stage): ex_ante (ocena wstępna), on_going (bieżąca), "
               "ex_post (końcowa),\n  gmina_overview (przegląd gminy), benchmark "
               "(porównanie gmin).\n"
               f"Obszary (--area): {', '.join(AREA_IDS)}.\n\n"
               "Kody wyjścia: 0 — wszystkie raporty gotowe; 1 — część nie powstała "
               "albo brak danych;\n  2 — błąd danych lub parametrów (nic nie policzono).\n\n"
               "Przykład:\n  wkus report --gmina Łapy --stage ex_post --area sport "
               "--year 2024 --out raporty")
    report.add_argument("--gmina", default="all", help=GMINA_HELP)
    report.add_argument("--stage", default="all",
                        help=f"rodzaje raportów po przecinku: {_listed(REPORT_KINDS)} "
                             "(domyślnie: %(default)s, wszystkie)")
    report.add_argument("--area", default="all", help=areas_help)
    report.add_argument("--year", type=year_number, default=None,
                        help="rok oceny, np. 2024 (domyślnie: ostatni rok z danymi "
                             "każdej gminy i obszaru)")
    report.add_argument("--format", default="html,pdf,xlsx",
                        help="formaty po przecinku: html, pdf, xlsx (domyślnie: %(default)s)")
    report.add_argument("--jobs", type=positive_number, default=None,
                        help="liczba równoległych procesów (domyślnie: liczba rdzeni)")
    report.add_argument("--force", action="store_true", help="przelicz także aktualne raporty")
    report.add_argument("--dry-run", action="store_true",
                        help="tylko wypisz, które raporty zostałyby zbudowane i dlaczego "
                             "(nowy raport, zmienione dane i tabele, notatnik, parametry, kod "
                             "biblioteki, katalog, brak pliku); nic nie zapisuje")
    report.add_argument("--isolated", action="store_true",
                        help="każdy raport w nowym interpreterze Pythona (wolniej; wynik ten sam)")
    report.add_argument("--executor", default="process", choices=("process", "dask"),
                        help="gdzie liczyć: process (procesy tego komputera) albo dask "
                             "(klaster Dask) (domyślnie: %(default)s)")
    report.add_argument("--scheduler", default=None,
                        help="adres planisty Dask, np. tcp://10.0.0.5:8786 (z --executor dask)")
    report.add_argument("--sroi-file", default=None,
                        help="CSV z efektami i wartościami proxy: SROI w ocenach ex post")
    report.add_argument("--sroi-discount-rate", type=sroi_discount_rate, default=None,
                        help=SROI_RATE_HELP)
    report.add_argument("--lang", default="pl", choices=("pl", "en"),
                        help="język raportów: pl albo en (domyślnie: %(default)s)")
    report.add_argument("--store", default="", help=STORE_HELP)
    report.add_argument("--out", default="reports",
                        help="katalog raportów (domyślnie: %(default)s)")
    report.set_defaults(handler=_cmd_report)

    for module in COMMAND_MODULES:
        importlib.import_module(module).register(commands)
    for subcommand in commands.choices.values():
        # Also after the subcommand (wkus report … --debug); unset unless given there.
        subcommand.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                                help="przy nieoczekiwanym błędzie pokaż pełny ślad")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wkus`` console command.

    No traceback reaches the user: errors the user can fix print their Polish
    message, a file that cannot be read or written names the file and the
    reason, anything unexpected one Polish line saying what failed and where
    to report it (all exit 2); ``--debug`` or ``WKUS_DEBUG=1`` also prints the
    traceback. Ctrl+C exits 130.
    """
    args = build_parser().parse_args(argv)
    debug = args.debug or os.environ.get(DEBUG_ENV_VARIABLE, "") not in ("", "0")
    try:
        code: int = args.handler(args)
    except WkusError as error:
        print(f"Błąd: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("Przerwano (Ctrl+C).", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:
        if debug:
            traceback.print_exc()
        print(f"Błąd: {os_error_text(error)}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as error:  # noqa: BLE001 — the last guard before the user's terminal
        if debug:
            traceback.print_exc()
        print(f"Błąd wewnętrzny polecenia wkus {args.command}: {type(error).__name__}: "
              f"{error}. {ISSUES_HINT}", file=sys.stderr)
        return EXIT_USAGE
    return code

