"""``wkus check``: the data-quality scorecard on the terminal, as CSV or as an HTML page.

The scorecard itself is :func:`wkus_lib.evaluation.data_quality.data_quality_scorecard`;
this module chooses the gminy and years, prints one block per gmina × area ×
year (blocks with problems first, then those with remarks; blocks without
remarks are only counted), then the missing data (tables a gmina has no rows
in, NGO reports missing for an area's evaluation year, an asked year without
data: :mod:`wkus_lib.evaluation.data_gaps`), then a summary of the NGO task reports'
discrepancies (:mod:`wkus_lib.intake.task_check`; every finding with
``--all-findings``) and writes the optional file (the HTML page has the card,
the summary and every finding; the CSV holds the card alone). Exit status: 0 when no check is
a "problem", nothing is missing and no task report has a discrepancy, 1
otherwise, 2 for a bad argument (unknown gmina, missing store, unknown file type).
"""

from __future__ import annotations

import argparse
import html
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TextIO, cast

from wkus_lib.cli.parser import STORE_HELP
from wkus_lib.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

    from wkus_lib.evaluation.data_quality import QualityStatus

EXIT_CLEAN: Final = 0
EXIT_PROBLEMS: Final = 1
STATUS_WORDS: Final = {"problem": "PROBLEM", "uwaga": "uwaga", "ok": "ok"}
STATUS_PLURALS: Final = {"problem": "problemy", "uwaga": "uwagi", "ok": "bez zastrzeżeń"}
STATUS_COLOURS: Final = {"problem": "#c0392b", "uwaga": "#b9770e", "ok": "#1e8449"}
OUTPUT_SUFFIXES: Final = (".csv", ".html")
GROUP_KEYS: Final = ["teryt", "area", "year"]
GMINA_HELP: Final = ("gminy: kody TERYT lub nazwy po przecinku albo all, czyli wszystkie "
                     "z danymi w magazynie (domyślnie: %(default)s)")
FULL_LIST_HINT: Final = ("Każda uwaga z pytaniem do organizacji: wkus check --all-findings "
                         "(z tymi samymi --gmina i --year) albo plik --out karta.html.")


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``wkus check`` to the ``wkus`` command."""
    from wkus_lib.cli.parser import year_number

    parser = commands.add_parser(
        "check", help="karta jakości danych (gmina × obszar × rok); kod 1, gdy są problemy",
        description="Karta jakości danych magazynu: dla każdej gminy, obszaru i roku zwrot "
                    "ankiet, braki odpowiedzi, odpowiedzi „w jednej linii”, duplikaty, "
                    "spójność finansów i wartości odstające, z oceną ok, uwaga albo problem; "
                    "potem brakujące dane, pliki w kwarantannie i rozbieżności sprawozdań "
                    "z wykonania zadań względem oferty. Progi: katalog wskaźników "
                    "(ustawienia data_quality i task_report).",
        epilog="Kody wyjścia: 0 — bez problemów; 1 — są problemy, brakuje danych albo "
               "sprawozdanie z wykonania zadania nie zgadza się z ofertą; "
               "2 — błąd parametrów lub magazynu.\n\n"
               "Przykład:\n  wkus check --gmina Łapy --year 2024 --out karta.html")
    parser.add_argument("--store", default="", help=STORE_HELP)
    parser.add_argument("--gmina", default="all", help=GMINA_HELP)
    parser.add_argument("--year", type=year_number, default=None,
                        help="tylko ten rok, np. 2024 (domyślnie: wszystkie lata)")
    parser.add_argument("--out", default=None,
                        help="zapisz kartę także do pliku .csv (dla programów) albo .html "
                             "(do czytania; z pełną listą uwag do sprawozdań z wykonania zadań)")
    parser.add_argument("--all-findings", action="store_true",
                        help="wypisz każdą uwagę do sprawozdań z wykonania zadań z pytaniem do "
                             "organizacji (domyślnie: tylko podsumowanie)")
    parser.set_defaults(handler=run_check)


def scorecard_for(
    store_dir: Path, gminy: str, year: int | None
) -> tuple[pd.DataFrame | None, bool, list[str]]:
    """The scorecard of the chosen gminy (each from its own rows only), the synthetic flag
    and a Polish message for each chosen gmina without data in the store (the
    scorecard is None when no chosen gmina has data).

    Gminy are named as :func:`wkus_lib.domain.resolve_gminy` allows (``all``:
    every gmina of the store).
    """
    import pandas as pd

    from wkus_lib.catalog import load_catalog
    from wkus_lib.domain import choose_gminy_with_data, load_gminy
    from wkus_lib.evaluation.data_quality import data_quality_scorecard, sort_scorecard
    from wkus_lib.report.data_quality import explain_outliers
    from wkus_lib.store import read_store

    store = read_store(store_dir)
    catalog = load_catalog()
    in_store = sorted(str(code) for code in store.contracts["teryt"].unique())
    with_data, missing = choose_gminy_with_data(gminy, load_gminy(), in_store, store_dir)
    chosen = [gmina.teryt for gmina in with_data]
    years = None if year is None else [year]
    if not chosen:
        return None, store.synthetic, missing
    if chosen == in_store:
        # Every check reads one gmina's rows only, so the whole store at once gives the
        # same rows as gmina by gmina (tests/test_data_quality.py), without 2 477 passes.
        table = data_quality_scorecard(store, catalog, years=years)
    else:
        table = sort_scorecard(pd.concat([
            data_quality_scorecard(store.for_gmina(teryt), catalog, years=years)
            for teryt in chosen], ignore_index=True))
    return explain_outliers(table, catalog), store.synthetic, missing


def _place(teryt: str, area: str, year: int, names: Mapping[str, str]) -> str:
    from wkus_lib.domain import AREA_NAMES

    gmina = f"{names[teryt]} ({teryt})" if teryt in names else teryt
    return f"{gmina} · {AREA_NAMES.get(area, area)} · {year}"  # type: ignore[call-overload]


def _groups(table: pd.DataFrame) -> list[tuple[tuple[str, str, int], pd.DataFrame]]:
    """Blocks of one gmina × area × year: with problems first, then remarks, then clean."""
    from wkus_lib.evaluation.data_quality import STATUS_ORDER

    rank = {status: i for i, status in enumerate(STATUS_ORDER)}
    groups = [((str(teryt), str(area), int(cast(int, year))), rows)
              for (teryt, area, year), rows in table.groupby(GROUP_KEYS, sort=True)]
    return sorted(groups, key=lambda item: min(rank[s] for s in item[1]["status"]))


def _records(rows: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in record.items()} for record in rows.to_dict("records")]


def _counts_text(counts: Mapping[QualityStatus, int]) -> str:
    return ", ".join(f"{STATUS_PLURALS[s]}: {n}" for s, n in counts.items())


def print_scorecard(
    table: pd.DataFrame, names: Mapping[str, str], *, synthetic: bool, stream: TextIO
) -> None:
    """The readable Polish scorecard: a summary line, then one block per gmina × area × year."""
    import pandas as pd

    from wkus_lib.evaluation.data_quality import (
        CHECK_NAMES,
        CHECK_UNITS,
        format_check_value,
        status_counts,
    )

    counts = status_counts(table)
    print("Karta jakości danych" + (" — DANE SYNTETYCZNE" if synthetic else ""), file=stream)
    print(f"Kontrole: {len(table)}; {_counts_text(counts)}", file=stream)
    clean = 0
    for (teryt, area, year), rows in _groups(table):
        remarks = rows[rows["status"] != "ok"]
        if remarks.empty:
            clean += 1
            continue
        block = status_counts(rows)
        print(f"\n{_place(teryt, area, year, names)} — {_counts_text(block)}", file=stream)
        for row in _records(remarks):
            shown = not pd.isna(row["value"]) and CHECK_UNITS[row["check"]] in ("%", "z")
            value = f"{format_check_value(row['check'], row['value'])} — " if shown else ""
            print(f"  {STATUS_WORDS[row['status']]:<8} {CHECK_NAMES[row['check']]} "
                  f"({row['scope']}): {value}{row['explanation']}", file=stream)
    if clean:
        print(f"\nBez zastrzeżeń: {clean} zestawów gmina × obszar × rok.", file=stream)


def scorecard_html(table: pd.DataFrame, names: Mapping[str, str], *, synthetic: bool,
                   gaps: Sequence[str] = (), tasks: pd.DataFrame | None = None) -> str:
    """A standalone HTML page of the scorecard (every row, problems first), Polish formats."""
    import pandas as pd

    from wkus_lib.evaluation.data_quality import CHECK_NAMES, format_check_value, status_counts

    counts = status_counts(table)
    badges = " ".join(
        f'<span class="tl" style="background:{STATUS_COLOURS[s]}">'
        f"{html.escape(STATUS_PLURALS[s])}: {n}</span>" for s, n in counts.items())
    sections = []
    for (teryt, area, year), rows in _groups(table):
        body = "".join(
            "<tr>"
            f'<td><span class="tl" style="background:{STATUS_COLOURS[r["status"]]}">'
            f"{html.escape(STATUS_WORDS[r['status']])}</span></td>"
            f"<td>{html.escape(CHECK_NAMES[r['check']])}</td>"
            f"<td>{html.escape(r['scope'])}</td>"
            f'<td class="num">'
            f'{"—" if pd.isna(r["value"]) else format_check_value(r["check"], r["value"])}</td>'
            f'<td class="num">{r["n"]}</td><td>{html.escape(r["explanation"])}</td></tr>'
            for r in _records(rows))
        sections.append(
            f"<h2>{html.escape(_place(teryt, area, year, names))}</h2>"
            '<table><thead><tr><th>Ocena</th><th>Kontrola</th><th>Zakres</th>'
            '<th class="num">Wartość</th><th class="num">n</th><th>Wyjaśnienie</th></tr>'
            f"</thead><tbody>{body}</tbody></table>")
    banner = '<p class="banner">DANE SYNTETYCZNE</p>' if synthetic else ""
    return f"""<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8"><title>Karta jakości danych</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; margin: 2em; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 1.5em; font-size: 0.9em;
         table-layout: fixed; }}
th:nth-child(1) {{ width: 7em; }} th:nth-child(2) {{ width: 14em; }}
th:nth-child(3) {{ width: 6.5em; }} th:nth-child(4) {{ width: 6em; }}
th:nth-child(5) {{ width: 3em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.3em 0.5em; text-align: left;
          vertical-align: top; }}
.num {{ text-align: right; white-space: nowrap; }}
.tl {{ color: #fff; border-radius: 0.3em; padding: 0.1em 0.5em; white-space: nowrap; }}
.banner {{ background: #fdebd0; padding: 0.5em; font-weight: bold; }}
table.tasks {{ table-layout: auto; }}
h2 {{ font-size: 1.1em; margin-top: 1.5em; }}
</style></head><body>
<h1>Karta jakości danych</h1>{banner}
<p>Kontrole: {len(table)}. {badges}</p>
<p>Na górze zestawy gmina × obszar × rok z problemami, potem z uwagami. <em>n</em> to
podstawa kontroli: odbiorcy usługi (zwrot ankiet), pytania (braki odpowiedzi), respondenci,
sprawozdania, rezultaty albo lata (wartości odstające). Zasady i progi: katalog wskaźników
(ustawienia <code>data_quality</code>). Karta pokazuje liczby respondentów, nigdy ich
odpowiedzi.</p>
{_gaps_html(gaps)}{"".join(sections)}
{"" if tasks is None else _task_findings_html(tasks, names)}
</body></html>
"""


def scorecard_gaps(store_dir: Path, gminy: str, year: int | None = None) -> list[str]:
    """``brak danych: …`` for the chosen gminy that have data: the asked ``year`` when
    they have none in it, each store table a gmina has no rows in (checks and
    indicators that need it were not run, so the card names it instead) and each
    area whose NGO report of its evaluation year (up to ``year``) is incomplete."""
    from wkus_lib.domain import choose_gminy_with_data, load_gminy
    from wkus_lib.evaluation.data_gaps import data_gaps
    from wkus_lib.store import read_store

    store = read_store(store_dir)
    in_store = sorted(str(code) for code in store.contracts["teryt"].unique())
    chosen, _missing = choose_gminy_with_data(gminy, load_gminy(), in_store, store_dir)
    return data_gaps(store, {g.teryt: g.name for g in chosen}, up_to=year)


def task_findings(store_dir: Path, gminy: str, year: int | None = None) -> pd.DataFrame:
    """The NGO task report check (:mod:`wkus_lib.intake.task_check`) for the chosen gminy
    that have data, optionally one year."""
    import pandas as pd

    from wkus_lib.domain import choose_gminy_with_data, load_gminy
    from wkus_lib.intake.task_check import check_task_reports
    from wkus_lib.store import read_store

    store = read_store(store_dir)
    in_store = sorted(str(code) for code in store.contracts["teryt"].unique())
    chosen, _missing = choose_gminy_with_data(gminy, load_gminy(), in_store, store_dir)
    frames = [check_task_reports(store, g.teryt, year) for g in chosen]
    return pd.concat(frames, ignore_index=True) if frames else check_task_reports(
        store, "", year)


def print_task_findings(findings: pd.DataFrame, names: Mapping[str, str], *, full: bool,
                        stream: TextIO) -> None:
    """The section "Sprawozdania z wykonania zadań" after the card: the summary (findings
    per kind, per report and per gmina), with ``full`` each report's findings and what to
    ask the NGO, then what the store cannot show."""
    from wkus_lib.intake.task_check import (
        NOT_CHECKED,
        findings_summary,
        findings_text,
        reports_summary,
    )

    print(f"\nSprawozdania z wykonania zadań: {reports_summary(findings)}", file=stream)
    for line in findings_summary(findings, names):
        print(f"  {line}", file=stream)
    if full:
        for line in findings_text(findings):
            print(f"  {line}", file=stream)
    elif not findings.empty:
        print(f"  {FULL_LIST_HINT}", file=stream)
    print(f"  {NOT_CHECKED}", file=stream)


def _task_findings_html(findings: pd.DataFrame, names: Mapping[str, str]) -> str:
    from wkus_lib.intake.task_check import (
        NOT_CHECKED,
        TABLE_NAMES,
        findings_summary,
        reports_summary,
    )

    rows = "".join(
        f"<tr><td>{html.escape(str(r['contract_id']))}</td><td>{r['year']}</td>"
        f"<td>{html.escape(str(r['kind']))}</td>"
        f"<td>{html.escape(TABLE_NAMES[str(r['table'])])}</td>"
        f"<td>{html.escape(str(r['line']))}</td><td>{html.escape(str(r['message']))}</td>"
        f"<td>{html.escape(str(r['question']))}</td></tr>" for r in _records(findings))
    table = ('<table class="tasks"><thead><tr><th>Umowa</th><th>Rok</th><th>Rodzaj</th>'
             "<th>Część</th><th>Pozycja</th><th>Co się nie zgadza</th><th>Zapytaj "
             f"organizację</th></tr></thead><tbody>{rows}</tbody></table>") if rows else ""
    summary = "".join(f"<li>{html.escape(line.strip())}</li>"
                      for line in findings_summary(findings, names))
    summary = f'<ul class="summary">{summary}</ul>' if summary else ""
    return (f"<h2>Sprawozdania z wykonania zadań</h2><p>{html.escape(reports_summary(findings))}"
            f"</p>{summary}{table}<p>{html.escape(NOT_CHECKED)}</p>")


def print_gaps(gaps: Sequence[str], *, stream: TextIO) -> None:
    """The missing data after the card, one ``brak danych: …`` line each."""
    if not gaps:
        return
    print("\nBrakujące dane (kontrole i wskaźniki, które ich wymagają, pominięto):",
          file=stream)
    for gap in gaps:
        print(f"  {gap}", file=stream)


def output_path(value: str | None) -> Path | None:
    """The ``--out`` file, checked before any work: only .csv and .html, in a writable place."""
    if value is None:
        return None
    from wkus_lib.cli.output_paths import writable_file

    out = Path(value)
    if value.strip() and out.suffix.lower() not in OUTPUT_SUFFIXES:
        raise InputError("nieznany rodzaj pliku wynikowego", file=str(out), value=out.suffix,
                         hint="Podaj plik .csv (dla programów) albo .html (do czytania).")
    return writable_file(value, "--out")


def _gaps_html(gaps: Sequence[str]) -> str:
    if not gaps:
        return ""
    items = "".join(f"<li>{html.escape(gap)}</li>" for gap in gaps)
    return ("<h2>Brakujące dane (kontrole i wskaźniki, które ich wymagają, pominięto)</h2>"
            f'<ul class="gaps">{items}</ul>')


def write_output(table: pd.DataFrame, out: Path, names: Mapping[str, str], *,
                 synthetic: bool, gaps: Sequence[str] = (),
                 tasks: pd.DataFrame | None = None) -> None:
    """Write the scorecard to ``out`` (.csv: raw values, dot decimals; .html: the page)."""
    from wkus_lib.files.atomic import atomic_write_bytes

    if out.suffix.lower() == ".csv":
        from wkus_lib.files.spreadsheet_safe import safe_csv

        payload = safe_csv(table)
    else:
        payload = scorecard_html(table, names, synthetic=synthetic, gaps=gaps, tasks=tasks)
    out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(out, payload.encode("utf-8"))


def run_check(args: argparse.Namespace) -> int:
    """The ``wkus check`` handler: print, optionally write, exit 1 when there are problems."""
    from wkus_lib.domain import load_gminy
    from wkus_lib.intake.quarantine import open_quarantine_text
    from wkus_lib.store.locate import locate_store

    out = output_path(args.out)
    table, synthetic, missing = scorecard_for(locate_store(args.store), args.gmina, args.year)
    for message in missing:
        print(message, file=sys.stderr)
    print(open_quarantine_text(locate_store(args.store)), end="")
    if table is None:
        return EXIT_PROBLEMS
    registry = load_gminy()
    names = {code: registry[code].name for code in table["teryt"].unique() if code in registry}
    print_scorecard(table, names, synthetic=synthetic, stream=sys.stdout)
    gaps = scorecard_gaps(locate_store(args.store), args.gmina, args.year)
    print_gaps(gaps, stream=sys.stdout)
    tasks = task_findings(locate_store(args.store), args.gmina, args.year)
    task_names = {code: registry[code].name for code in tasks["teryt"].unique()
                  if code in registry}
    print_task_findings(tasks, task_names, full=args.all_findings, stream=sys.stdout)
    if out is not None:
        write_output(table, out, {**names, **task_names}, synthetic=synthetic, gaps=gaps,
                     tasks=tasks)
        print(f"\nZapisano kartę jakości danych do {out}", file=sys.stderr)
    discrepancies = (tasks["kind"] == "rozbieżność").any()
    problems = missing or gaps or (table["status"] == "problem").any() or discrepancies
    return EXIT_PROBLEMS if problems else EXIT_CLEAN
