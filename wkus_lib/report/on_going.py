"""On-going (ocena bieżąca) sections: one budget year of a multi-year contract.

The report follows a contract while it runs: results against targets
cumulatively since the contract start (narastająco, as multi-year NGO reports
show them), budget execution this year and cumulatively, the year's client
surveys, early warnings and a data-quality section.

The rules are in :mod:`wkus_lib.evaluation.on_going` (:func:`cumulative_results`,
:func:`budget_execution`, :func:`early_warnings`, which returns one verdict
record per rule); this module gathers their inputs from the report context
(data up to the evaluation year only), words the records
(:func:`worded_warning`) and displays them. Every warning is a stated rule
that names itself when it fires. Data quality:
:mod:`wkus_lib.report.data_quality`.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, cast

import numpy as np
import pandas as pd

from wkus_lib.catalog import Catalog
from wkus_lib.domain import MULTI_YEAR
from wkus_lib.evaluation.data_quality import status_counts
from wkus_lib.evaluation.on_going import (
    RESULTS_WARNING_SHARE,
    Reading,
    WarningCheck,
    WarningLimits,
    WarningState,
    budget_execution,
    cumulative_results,
    early_warnings,
)
from wkus_lib.report.comments import show_comments
from wkus_lib.report.common import (
    satisfaction_finding,
    show_methods,
    show_scorecard,
    suppressed_mark,
)
from wkus_lib.report.context import (
    ReportContext,
    area_contracts,
    cell_number,
    format_indicator_value,
    indicator_name,
    interval_text,
    latest,
    per_report,
    score_rows,
    yearly,
)
from wkus_lib.report.data_quality import area_quality, quality_rules, show_quality_table
from wkus_lib.report.display import (
    display_table,
    html_table,
    show_figure,
    show_findings,
    show_heading,
    show_html,
    show_notes,
    show_table,
    show_text,
)
from wkus_lib.report.missing import missing_data, missing_markdown
from wkus_lib.report.plots import core as plots
from wkus_lib.report.plots import stages as plots_stages
from wkus_lib.report.stage_fit import skip_section, stage_mismatch
from wkus_lib.report.style import Status, status_label
from wkus_lib.text.i18n import N_, _
from wkus_lib.text.numbers import format_number

SUMMARY_INDICATORS: Final = ("Q1", "Q3R", "Q5", "Q6", "Q7", "TRI", "E1", "E3", "E8", "WC")
"""The summary scorecard: the indicators a council follows every contract year."""
SURVEY_SCORES: Final = ("Q1", "Q2", "Q3", "Q4")

WARNING_LABELS: Final[dict[WarningState, str]] = {
    "fired": N_("ostrzeżenie"),
    "ok": N_("bez zastrzeżeń"),
    "no_data": N_("brak danych"),
}
WARNING_CLASSES: Final[dict[WarningState, str]] = {
    "fired": "tl-red", "ok": "tl-green", "no_data": "tl"}


# ------------------------------------------------------------ warnings in words


@dataclass(frozen=True)
class WordedWarning:
    """An early-warning record in the report language: the rule, what the data show.

    ``short`` is the rule in a few words, for the summary page.
    """

    rule_id: str
    rule: str
    observed: str
    state: WarningState
    short: str


def _reading_text(reading: Reading, unit: str, threshold: int) -> str:
    if reading.suppressed:
        return _("ukryte (mniej niż {threshold} odpowiedzi)").format(threshold=threshold)
    if reading.value is None or np.isnan(reading.value):
        return _("brak danych")
    text = format_indicator_value(reading.value, unit)
    return text if reading.n is None else f"{text} (n = {reading.n})"


def worded_warning(check: WarningCheck, catalog: Catalog, threshold: int) -> WordedWarning:
    """The rule of ``check`` and what the data show, as the report states them."""
    if check.rule_id == "O1":
        low, high = (format_number(limit, 0) for limit in check.limits)
        rule = _("Wykonanie budżetu w roku (E3) poniżej {low} % albo powyżej {high} %").format(
            low=low, high=high)
        short = _("E3 poza przedziałem {low}–{high} %").format(low=low, high=high)
        observed = (_("brak danych") if check.state == "no_data"
                    else format_number(check.reading.value, 1, unit="%"))
    elif check.rule_id == "O2":
        share = format_number(check.limits[0], 0)
        rule = _("Rezultat osiągnięty narastająco w mniej niż {share} % celu proporcjonalnego "
                 "do upływu czasu kontraktu").format(share=share)
        short = _("rezultat poniżej {share} % celu wg upływu czasu").format(share=share)
        if check.state == "no_data":
            observed = _("brak danych")
        elif check.behind:
            observed = "; ".join(
                f"{r.result_id} {r.name}: {format_number(r.pct_of_time_target, 1, unit='%')}"
                for r in check.behind)
        else:
            observed = _("najniższy: {value}").format(
                value=format_number(check.reading.value, 1, unit="%"))
    elif check.rule_id == "O6":
        points = format_number(check.limits[0], 0)
        rule = _("Samoocena realizatora wyższa od oceny klientów o więcej niż {points} pkt "
                 "(TRI)").format(points=points)
        short = _("TRI powyżej {points} pkt").format(points=points)
        observed = _reading_text(check.reading, "pkt", threshold)
    else:
        spec = catalog.indicator(check.indicator)
        bound = format_number(check.limits[0], 0) if check.limits else "—"
        sign = "<" if spec.direction == "higher" else ">"
        short = f"{check.indicator} {indicator_name(spec)} {sign} {bound}"
        rule = _("{id} {name} {sign} {bound}: ocena „źle” według progów katalogu").format(
            id=check.indicator, name=indicator_name(spec), sign=sign, bound=bound)
        observed = _reading_text(check.reading, spec.unit, threshold)
    return WordedWarning(check.rule_id, rule, observed, check.state, short)


# ------------------------------------------------------------ data of one report


@per_report
def running_contracts(ctx: ReportContext) -> pd.DataFrame:
    """Multi-year contracts of the area that run in the evaluation year."""
    contracts = area_contracts(ctx)
    return contracts[(contracts["mode"] == MULTI_YEAR) & (contracts["start_year"] <= ctx.year)
                     & (contracts["end_year"] >= ctx.year)]


@per_report
def contract_results(ctx: ReportContext) -> pd.DataFrame:
    """:func:`cumulative_results` of the running contracts."""
    contracts = running_contracts(ctx)
    results = ctx.store.results.merge(
        contracts[["contract_id", "start_year", "end_year"]], on="contract_id", how="inner")
    return cumulative_results(results, year=ctx.year)


@per_report
def contract_budget(ctx: ReportContext) -> pd.DataFrame:
    """:func:`budget_execution` of the running contracts, from their start year."""
    contracts = running_contracts(ctx)
    finance = ctx.store.finance.merge(
        contracts[["contract_id", "start_year", "end_year"]], on="contract_id", how="inner")
    finance = finance[(finance["year"] >= finance["start_year"])
                      & (finance["year"] <= finance["end_year"])]
    return budget_execution(finance, year=ctx.year)


def _reading(rows: pd.DataFrame, indicator: str) -> Reading:
    if indicator not in rows.index:
        return Reading(None)
    row = rows.loc[indicator]
    number = cell_number(row["value"])
    count = cell_number(row["n"])
    value = None if np.isnan(number) else number
    n = None if np.isnan(count) else int(count)
    counts_respondents = indicator in (*SURVEY_SCORES, "TRI")
    return Reading(value, bool(row["suppressed"]), n if counts_respondents else None)


def warnings_for(ctx: ReportContext) -> list[WarningCheck]:
    """:func:`early_warnings` for the report's area and year."""
    rows = latest(ctx)
    budget = contract_budget(ctx)
    now = budget[budget["year"] == ctx.year]
    execution = Reading(None if now.empty or pd.isna(now.iloc[0]["execution"])
                        else float(now.iloc[0]["execution"]))
    readings = {i: _reading(rows, i) for i in ("Q1", "Q5", "Q6", "Q7", "TRI")}
    limits = WarningLimits(triangulation_points=ctx.catalog.settings.triangulation_flag_points)
    return early_warnings(budget=execution, results=contract_results(ctx), readings=readings,
                          catalog=ctx.catalog, limits=limits)


def worded_warnings(ctx: ReportContext) -> list[WordedWarning]:
    """:func:`warnings_for` in the report language."""
    return [worded_warning(check, ctx.catalog, ctx.threshold) for check in warnings_for(ctx)]


# ------------------------------------------------------------ findings and sections


def _contract_line(ctx: ReportContext) -> str:
    contracts = running_contracts(ctx)
    if contracts.empty:
        return _("W {year} r. w tym obszarze nie trwa kontrakt wieloletni.").format(year=ctx.year)
    start, end = int(contracts["start_year"].min()), int(contracts["end_year"].max())
    return _("Rok {year} to {k}. rok kontraktu wieloletniego na lata {start}–{end}.").format(
        year=ctx.year, k=ctx.year - start + 1, start=start, end=end)


def findings(ctx: ReportContext) -> list[str]:
    """Findings, each from a stated rule.

    1. Results: the range over results of the cumulative achievement (% of
       the target to date, as the results table shows it), and how many
       results are behind (rule O2).
    2. Budget: execution (E3) this year and cumulatively since the start.
    3. Client satisfaction (Q1) of the year with n and interval, or why hidden.
    4. Transaction cost saved (E8) this year by one contest instead of yearly ones.
    """
    out: list[str] = []
    results = contract_results(ctx)
    known = results[results["pct_to_date"].notna()]
    if len(known) == 1:
        text = _("Narastająco od {start} r. osiągnięto {pct} celu zaplanowanego na lata "
                 "dotychczasowe (1 rezultat).").format(
            start=int(known["start_year"].min()),
            pct=format_number(known["pct_to_date"].iloc[0], 1, unit="%"))
    elif len(known):
        text = _("Narastająco od {start} r. rezultaty osiągnęły od {low} do {high} celów "
                 "zaplanowanych na lata dotychczasowe (liczba rezultatów: {n}).").format(
            start=int(known["start_year"].min()),
            low=format_number(known["pct_to_date"].min(), 1, unit="%"),
            high=format_number(known["pct_to_date"].max(), 1, unit="%"), n=len(known))
    if len(known):
        behind = int(known["behind"].sum())
        if behind:
            text += " " + _("Rezultaty opóźnione wobec upływu czasu (reguła O2): {k}.").format(
                k=behind)
        out.append(text)
    budget = contract_budget(ctx)
    now = budget[budget["year"] == ctx.year]
    if not now.empty and not pd.isna(now.iloc[0]["execution"]):
        row = now.iloc[0]
        out.append(_("Budżet zadania wykonano w {year} r. w {share}, a narastająco od {start} r. "
                     "w {cum} ({actual} z {planned}).").format(
            year=ctx.year, share=format_number(row["execution"], 1, unit="%"),
            start=int(budget["year"].min()),
            cum=format_number(row["execution_cum"], 1, unit="%"),
            actual=format_number(row["actual_cum"], 0, unit="zł"),
            planned=format_number(row["planned_cum"], 0, unit="zł")))
    rows = latest(ctx)
    satisfaction = satisfaction_finding(ctx)
    if satisfaction:
        out.append(satisfaction)
    saved = cell_number(rows.loc["E8", "value"]) if "E8" in rows.index else float("nan")
    if not np.isnan(saved):
        out.append(_("Jeden konkurs na cały kontrakt zamiast corocznych oszczędził gminie w "
                     "{year} r. {value} kosztów procedury (E8).").format(
            year=ctx.year, value=format_number(saved, 0, unit="zł")))
    return out



def _quiet_warnings_text(checks: Sequence[WordedWarning]) -> str:
    """The sentence when no warning fired: a rule without data for the year is named, not
    counted among those that did not fire."""
    unchecked = ", ".join(c.rule_id for c in checks if c.state == "no_data")
    if not unchecked:
        return _("Żadna z {n} reguł ostrzegawczych nie zadziałała.").format(n=len(checks))
    if any(c.state == "ok" for c in checks):
        return _("Żadna z reguł ostrzegawczych, które dało się sprawdzić, nie zadziałała; "
                 "bez danych za ten rok: {rules}.").format(rules=unchecked)
    return _("Reguł ostrzegawczych nie dało się sprawdzić: brak danych za ten rok "
             "({rules}).").format(rules=unchecked)


def show_summary(ctx: ReportContext) -> None:
    """The one-page summary: contract year, scorecard, early warnings, findings."""
    show_heading(_("Podsumowanie"))
    mismatch = stage_mismatch(ctx)
    if mismatch:
        show_text(_("**Bez wniosków i bez ostrzeżeń.** {reason}").format(reason=mismatch))
        return
    show_text(_contract_line(ctx))
    present = set(latest(ctx).index)
    show_scorecard(ctx, [i for i in SUMMARY_INDICATORS if i in present])
    checks = worded_warnings(ctx)
    fired = [c for c in checks if c.state == "fired"]
    show_heading(_("Wczesne ostrzeżenia"), level=3)
    if fired:
        listed = "".join(
            f"<li><strong>{html.escape(c.rule_id)}</strong> "
            + html.escape(_("{rule}: {observed}").format(rule=c.short or c.rule,
                                                         observed=c.observed))
            + "</li>" for c in fired)
        show_html(f"<ul>{listed}</ul>")
    else:
        show_text(_quiet_warnings_text(checks))
    items = findings(ctx) or [_capital(missing_data(
        _("wyniki kontraktu za {year} r. do wniosków").format(year=ctx.year), "finance",
        "results", "survey_responses", year=ctx.year))]
    show_findings(items, _("Wnioski"))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def show_results(ctx: ReportContext) -> None:
    """Results against targets cumulatively (narastająco) since the contract start."""
    show_heading(_("Rezultaty narastająco"))
    if skip_section(ctx):
        return
    results = contract_results(ctx)
    if results.empty:
        show_text(missing_markdown(_("rezultaty kontraktu"), "results", year=ctx.year))
        return
    first = results.iloc[0]
    show_text(_("Cel i wartość osiągniętą sumujemy dla każdego rezultatu od początku kontraktu "
                "({start}) do {year} r., z lat, za które podano wartość osiągniętą. Cel "
                "proporcjonalny do czasu to cel całego kontraktu × udział lat, które już "
                "upłynęły ({reported} z {years}). Rezultat poniżej {share} % tego celu uruchamia "
                "ostrzeżenie O2.").format(
        start=int(first["start_year"]), year=ctx.year, reported=int(first["years_reported"]),
        years=int(first["contract_years"]), share=format_number(RESULTS_WARNING_SHARE * 100, 0)))
    several = results["contract_id"].nunique() > 1
    label = [f"{r.result_id} {r.name}" for r in results.itertuples(index=False)]
    described = [
        f"{text} [{r.unit}]" + ("" if not r.years_missing else " — " + _(
            "brak wartości osiągniętej za lata: {k}").format(k=int(cell_number(r.years_missing))))
        for text, r in zip(label, results.itertuples(index=False), strict=True)
    ]
    frame = pd.DataFrame({
        **({_("Umowa"): results["contract_id"]} if several else {}),
        _("Rezultat [jednostka]"): described,
        _("Cel narastająco"): results["target_to_date"],
        _("Osiągnięto narastająco"): results["achieved_to_date"],
        _("% celu narastająco"): results["pct_to_date"],
        _("Cel całego kontraktu"): results["contract_target"],
        _("% celu wg upływu czasu"): results["pct_of_time_target"],
    })
    whole = lambda v: format_number(v, 0)
    percent = lambda v: format_number(v, 1, unit="%")
    show_table(frame, _("Rezultaty kontraktu narastająco do {year} r.").format(year=ctx.year),
               formats={
                   _("Cel narastająco"): whole, _("Osiągnięto narastająco"): whole,
                   _("% celu narastająco"): percent, _("Cel całego kontraktu"): whole,
                   _("% celu wg upływu czasu"): percent,
               })
    show_figure(plots_stages.results_against_time(
        pd.DataFrame({"label": label, "value": results["pct_of_time_target"]}),
        warning=RESULTS_WARNING_SHARE * 100,
        title=_("Rezultaty narastająco, % celu proporcjonalnego do czasu"),
        target_label=_("zgodnie z planem (100 %)"), warning_label=_("próg ostrzeżenia O2"),
        xlabel=_("% celu proporcjonalnego do upływu czasu")))


def show_budget(ctx: ReportContext) -> None:
    """Budget execution (E3) this year and cumulatively since the contract start."""
    show_heading(_("Wykonanie budżetu"))
    if skip_section(ctx):
        return
    budget = contract_budget(ctx)
    if budget.empty:
        show_text(missing_markdown(_("koszty kontraktu"), "finance", year=ctx.year))
        return
    show_text(_("Wykonanie budżetu (E3) = koszty poniesione / koszty planowane w ofercie × 100 % "
                "(wszystkie pozycje planu; pozycja bez wykazanego kosztu poniesionego liczy się "
                "jako 0 zł wydatków i jest policzona w ostatniej kolumnie). Narastająco: sumy "
                "od początku kontraktu, w cenach bieżących (plan i wykonanie tych samych lat). "
                "Reguła O1 ostrzega poniżej 85 % i powyżej 110 % w roku."))
    frame = pd.DataFrame({
        _("Rok"): budget["year"],
        _("Plan"): budget["planned"],
        _("Wykonanie"): budget["actual"],
        _("E3 w roku"): budget["execution"],
        _("Plan narastająco"): budget["planned_cum"],
        _("Wykonanie narastająco"): budget["actual_cum"],
        _("E3 narastająco"): budget["execution_cum"],
        _("Pozycje planu bez kosztu poniesionego"): budget["missing_lines"],
    })
    money = lambda v: format_number(v, 0, unit="zł")
    percent = lambda v: format_number(v, 1, unit="%")
    show_table(frame, _("Wykonanie budżetu kontraktu w kolejnych latach"), formats={
        _("Plan"): money, _("Wykonanie"): money, _("E3 w roku"): percent,
        _("Plan narastająco"): money, _("Wykonanie narastająco"): money,
        _("E3 narastająco"): percent,
    })
    show_figure(plots_stages.planned_vs_actual(
        budget, title=_("Koszty planowane i poniesione (nad słupkami: E3)"),
        planned_label=_("plan"), actual_label=_("wykonanie"), ylabel=_("zł"), xlabel=_("rok")))


def show_surveys(ctx: ReportContext) -> None:
    """The year's client survey scores Q1–Q4 (and TRI) with n and intervals; small cells hidden.

    Then the year's survey comments where the quote threshold allows, and why not elsewhere
    (:func:`wkus_lib.report.comments.show_comments`).
    """
    show_heading(_("Ankiety roku {year}").format(year=ctx.year))
    if skip_section(ctx):
        return
    _show_survey_scores(ctx)
    show_comments(ctx)


def _show_survey_scores(ctx: ReportContext) -> None:
    show_text(_("Wyniki ankiet w skali 0–100 (przeliczenie odpowiedzi 1–5), z liczbą odpowiedzi "
                "(n) i 95% przedziałem ufności. Wyniki z mniej niż {threshold} odpowiedzi są "
                "ukryte, aby chronić dane klientów.").format(threshold=ctx.threshold))
    rows = latest(ctx)
    ids = [i for i in SURVEY_SCORES if i in rows.index]
    if not ids:
        show_text(missing_markdown(_("ankiety klientów"), "survey_responses", year=ctx.year))
        return
    scores = score_rows(ctx, ids)
    shown = ~scores["suppressed"] & scores["value"].notna()
    if not shown.any():
        show_text(_("Żaden wynik ankiety klientów z {year} r. nie może być pokazany: mniej niż "
                    "{threshold} odpowiedzi albo brak danych.").format(year=ctx.year,
                                                                       threshold=ctx.threshold))
    else:
        show_figure(plots.scores_with_intervals(
            scores, title=_("Ocena usługi przez klientów, {year}").format(year=ctx.year),
            threshold=ctx.threshold, hidden_label=_("ukryte (mniej niż {threshold} odpowiedzi)"),
            missing_label=_("brak danych"),
            xlabel=_("wynik 0–100 (kreska: 95% przedział ufności)")))
    table_ids = [*ids, *(["TRI"] if "TRI" in rows.index else [])]
    previous = {i: yearly(ctx, i) for i in table_ids}
    records = []
    for i in table_ids:
        row = cast(pd.Series, rows.loc[i])
        before = previous[i][previous[i]["year"] == ctx.year - 1]
        hidden = bool(row["suppressed"])
        records.append({
            _("Wskaźnik"): f"{i} {indicator_name(ctx.catalog.indicator(i))}",
            _("Wynik"): suppressed_mark() if hidden else row["value"],
            "n": row["n"],
            _("95% przedział"): interval_text(row),
            _("Ocena"): status_label(cast(Status, row["status"])),
            _("Rok wcześniej"): (suppressed_mark() if len(before) and bool(
                before.iloc[0]["suppressed"]) else (before.iloc[0]["value"] if len(before)
                                                    else None)),
        })
    frame = pd.DataFrame.from_records(records)
    score = lambda v: v if isinstance(v, str) else format_number(v, 1)
    show_table(frame, _("Wyniki ankiet klientów i luka triangulacji"), formats={
        _("Wynik"): score, _("Rok wcześniej"): score,
        "n": lambda v: "—" if pd.isna(v) else str(int(v)),
    })


def show_warnings(ctx: ReportContext) -> None:
    """Every early-warning rule with what the data show and whether it fired."""
    show_heading(_("Wczesne ostrzeżenia: reguły"))
    if skip_section(ctx):
        return
    show_text(_("Każda reguła jest stała i jawna; ostrzeżenie nie jest oceną, lecz sygnałem do "
                "rozmowy z realizatorem. Wartość ukryta lub brak danych nie uruchamia "
                "ostrzeżenia."))
    checks = worded_warnings(ctx)
    cells = {
        _("Reguła"): [html.escape(c.rule_id) for c in checks],
        _("Warunek ostrzeżenia"): [html.escape(c.rule) for c in checks],
        _("Dane {year}").format(year=ctx.year): [html.escape(c.observed) for c in checks],
        _("Wynik"): [f'<span class="tl {WARNING_CLASSES[c.state]}">'
                     f"{html.escape(_(WARNING_LABELS[c.state]))}</span>" for c in checks],
    }
    raw = pd.DataFrame({
        _("Reguła"): [c.rule_id for c in checks],
        _("Warunek ostrzeżenia"): [c.rule for c in checks],
        _("Dane {year}").format(year=ctx.year): [c.observed for c in checks],
        _("Wynik"): [_(WARNING_LABELS[c.state]) for c in checks],
    })
    display_table(html_table(cells, set(), "wkus-table warnings"), raw,
                  _("Reguły wczesnego ostrzegania"))


def show_data_quality(ctx: ReportContext) -> None:
    """Data quality before results: the scorecard of the area's year, problems first."""
    show_heading(_("Jakość danych"))
    if skip_section(ctx):
        return
    rows = area_quality(ctx)
    if rows.empty:
        show_text(missing_markdown(_("dane do kontroli jakości w {year} r.").format(
            year=ctx.year), "finance", "results", "beneficiaries", "survey_responses",
            year=ctx.year))
        return
    counts = status_counts(rows)
    show_text(_("Kontrole jakości danych za {year} r.: {problems} z oceną „problem”, {remarks} "
                "z oceną „uwaga”, {fine} bez zastrzeżeń. Problemy trzeba wyjaśnić z realizatorem "
                "przed odczytaniem wyników; uwaga to sygnał do sprawdzenia. Karta pokazuje liczby "
                "respondentów, nigdy ich odpowiedzi; n to podstawa kontroli (odbiorcy, pytania, "
                "respondenci, sprawozdania, rezultaty albo lata).").format(
        year=ctx.year, problems=counts["problem"], remarks=counts["uwaga"], fine=counts["ok"]))
    show_quality_table(ctx, rows, _("Karta jakości danych, {year}").format(year=ctx.year))
    show_notes(_("Zasady kontroli jakości danych"), quality_rules(ctx))


def show_appendix(ctx: ReportContext) -> None:
    """Methods appendix (shared) and this report's calculation rules."""
    show_methods(ctx)
    show_notes(_("Założenia oceny bieżącej"), _method_lines(ctx))


def _method_lines(ctx: ReportContext) -> Sequence[str]:
    return (
        _("Dane do {year} r. włącznie; raport nie pokazuje niczego z lat późniejszych (także "
          "celów rezultatów na te lata).").format(year=ctx.year),
        _("Cel całego kontraktu = średni cel roczny rezultatu × liczba lat kontraktu; cel "
          "proporcjonalny do czasu = cel całego kontraktu × lata z podaną wartością osiągniętą / "
          "lata kontraktu."),
        _("Reguły ostrzeżeń O3–O5 i O7 korzystają z progów katalogu wskaźników: zmiana progów w "
          "katalogu zmienia reguły."),
        _("Progi kontroli jakości danych są w katalogu wskaźników (ustawienia data_quality); "
          "liczba odbiorców usługi ze sprawozdania jest listą klientów dla zwrotu ankiet."),
    )
