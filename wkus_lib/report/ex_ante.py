"""Ex-ante (ocena wstępna) sections: the decision to contract an area for several years.

The report is made for an area the gmina still funds with annual grants in
the evaluation year. It shows the needs diagnosis, the baseline of the
annual-grant years, the cost of the service over a contract horizon under
three options (in-house, yearly grants, one multi-year contract), the
statutory checklist of the decision and the indicators to set in the
contract.

The rules are in :mod:`wkus_lib.evaluation.ex_ante` (:func:`horizon_costs`,
:func:`contest_cost`, :func:`baseline_mean`, :func:`needs_by_year`,
:func:`decision_checklist`, which returns one record per condition); the
``show_*`` functions gather their inputs from the report context, word the
records (:func:`worded_checklist`) and display them. Findings are derived by
stated rules, each rule named in its docstring.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from wkus_lib.catalog import IndicatorSpec
from wkus_lib.domain import ANNUAL_GRANT, EX_POST, MULTI_YEAR, ON_GOING
from wkus_lib.evaluation.ex_ante import (
    BASELINE_YEARS,
    CHECK_STATES,
    COMMON_MAX_TERM_YEARS,
    MIN_TERM_YEARS,
    ChecklistRow,
    CheckState,
    Condition,
    CostBasis,
    DecisionFacts,
    baseline_mean,
    contest_cost,
    decision_checklist,
    horizon_costs,
    needs_by_year,
)
from wkus_lib.report.common import (
    MODEL_LABELS,
    satisfaction_finding,
    show_methods,
    show_scorecard,
    suppressed_mark,
)
from wkus_lib.report.context import (
    ReportContext,
    area_contracts,
    baseline_year,
    cell_number,
    evaluation,
    format_indicator_value,
    indicator_name,
    indicator_unit,
    interval_text,
    late_report_note,
    latest,
    per_report,
    year_modes,
    yearly,
)
from wkus_lib.report.display import (
    display_table,
    html_table,
    show_figure,
    show_findings,
    show_heading,
    show_notes,
    show_table,
    show_text,
)
from wkus_lib.report.missing import missing_data, missing_markdown
from wkus_lib.report.plots import stages as plots_stages
from wkus_lib.report.price_base import (
    missing_index_note,
    real_label,
    real_values,
    report_base_year,
)
from wkus_lib.report.stage_fit import skip_section, stage_mismatch
from wkus_lib.text.i18n import N_, _, current_language, n_
from wkus_lib.text.numbers import format_number

SUMMARY_INDICATORS: Final = ("Q2C", "Q1", "Q3R", "Q6", "Q7", "E1", "E3", "E4", "W1")
"""The short baseline scorecard of the summary page."""
CONTRACT_STAGES: Final = (ON_GOING, EX_POST)
OPTION_LABELS: Final = {
    "in_house": N_("realizacja przez gminę"),
    "annual_grants": N_("dotacje roczne"),
    MULTI_YEAR: N_("kontrakt wieloletni"),
}

CHECK_LABELS: Final[dict[CheckState, str]] = {
    "yes": N_("tak (wg danych)"),
    "no": N_("nie (wg danych)"),
    "check": N_("do sprawdzenia"),
}
CHECK_CLASSES: Final[dict[CheckState, str]] = {
    "yes": "tl-green", "no": "tl-red", "check": "tl-amber"}


# ------------------------------------------------------------ the checklist in words


@dataclass(frozen=True)
class WordedCondition:
    """A checklist record in the report language: the condition, its state and evidence.

    ``gap`` names what is missing when the data show the condition unmet
    (a short phrase for the findings; empty otherwise).
    """

    condition: str
    state: CheckState
    evidence: str
    gap: str = ""


def _condition_text(condition: Condition) -> str:
    return {
        "contest": _("Zadanie zlecone w otwartym konkursie ofert (jeden konkurs na cały okres "
                     "umowy)"),
        "term": _("Okres umowy co najmniej {years} lata (zalecenie modelu WKUS)").format(
            years=MIN_TERM_YEARS),
        "amounts": _("Kwoty dotacji określone na każdy rok realizacji"),
        "standard": _("Standard usługi określony (wymagania, które realizator musi spełnić)"),
        "indicators": _("Wskaźniki i wartości docelowe określone"),
        "monitoring": _("Monitoring i ewaluacja zaplanowane (sprawozdania, ankiety, ocena co "
                        "roku)"),
        "programme": _("Program współpracy przewiduje wieloletnie zlecanie zadań (art. 5a)"),
    }[condition]


def _evidence(row: ChecklistRow, facts: DecisionFacts) -> str:
    """What the data show for ``row``'s condition, from the facts behind its state."""
    if row.condition == "contest":
        return (_("Gmina publikuje ogłoszenia i wyniki konkursów w BIP ({year}).").format(
                    year=facts.year) if row.state == "yes" else
                _("Dane nie potwierdzają publikacji konkursów w BIP: sprawdzić tryb zlecania."))
    if row.condition == "term":
        if row.state == "no":
            return _("Proponowany horyzont (liczba lat): {h} — krócej niż zalecane.").format(
                h=facts.horizon)
        if row.state == "check":
            return _("Proponowany horyzont: {h} — dłużej niż często przyjmowane {max} lat; "
                     "sprawdzić przepisy.").format(
                h=n_(facts.horizon, "{n} rok", "{n} lata", "{n} lat").format(n=facts.horizon),
                max=COMMON_MAX_TERM_YEARS)
        return _("Proponowany horyzont (liczba lat): {h}.").format(h=facts.horizon)
    if row.condition == "amounts":
        amount = facts.per_year_amount
        if amount is not None and not np.isnan(amount):
            return _("Szacunek z porównania kosztów: {amount} rocznie; kwoty na każdy rok "
                     "wpisać do ogłoszenia i umowy.").format(
                amount=format_number(amount, 0, unit="zł"))
        return _("Brak danych do szacunku; kwoty na każdy rok wpisać do ogłoszenia i umowy.")
    if row.condition == "standard":
        if row.state == "yes":
            return _("Realizatorzy oceniali {n} wymagań standardu w tym obszarze.").format(
                n=facts.standard_requirements_assessed)
        return _("W danych obszaru nie ma oceny standardu; katalog zawiera wzorzec z {n} "
                 "wymagań do przyjęcia.").format(n=facts.catalogue_requirements)
    if row.condition == "indicators":
        return _("Propozycja: {n} wskaźników z wartościami docelowymi i progami (sekcja "
                 "„Proponowane wskaźniki”).").format(n=facts.proposed_indicators)
    if row.condition == "monitoring":
        return _("Ankiety klientów w {surveys} latach, sprawozdania z rezultatami w {results} "
                 "latach.").format(surveys=facts.client_survey_years,
                                   results=facts.results_years)
    if row.state == "check":
        return _("Brak danych o wieloletnim programie współpracy ({year}).").format(
            year=facts.year)
    annual = {True: _("tak"), False: _("nie"), None: _("brak danych")}[facts.annual_programme]
    return (_("Rada gminy uchwaliła wieloletni program współpracy ({year}); program roczny: "
              "{annual}.") if row.state == "yes" else
            _("Rada gminy nie uchwaliła wieloletniego programu współpracy ({year}); program "
              "roczny: {annual}.")).format(year=facts.year, annual=annual)


def _gap(condition: Condition) -> str:
    """What is missing when the data show ``condition`` unmet (empty when it cannot be)."""
    gaps = {
        "term": _("okres umowy krótszy niż {years} lata").format(years=MIN_TERM_YEARS),
        "standard": _("brak określonego standardu usługi"),
        "monitoring": _("brak ankiet klientów lub sprawozdań z rezultatami"),
        "programme": _("brak wieloletniego programu współpracy"),
    }
    return gaps.get(condition, "")


def worded_checklist(rows: Sequence[ChecklistRow], facts: DecisionFacts) -> list[WordedCondition]:
    """:func:`decision_checklist` records in the report language, with their evidence."""
    return [WordedCondition(_condition_text(row.condition), row.state, _evidence(row, facts),
                            _gap(row.condition) if row.state == "no" else "")
            for row in rows]


# ------------------------------------------------------------ data of one report


@per_report
def _area_years(ctx: ReportContext) -> pd.DataFrame:
    """The area's unit report (money, clients) for the years up to the evaluation year."""
    report = ctx.inputs.unit_report
    rows = report[(report["area"] == ctx.area) & (report["year"] <= ctx.year)]
    modes = year_modes(ctx)
    return rows.merge(modes, on="year", how="left").sort_values("year").reset_index(drop=True)


def _baseline_years(ctx: ReportContext) -> list[int]:
    modes = year_modes(ctx)
    chosen = modes[(modes["mode"] == ANNUAL_GRANT) & (modes["year"] <= ctx.year)]
    return [int(y) for y in chosen["year"]]


def _latest_before(frame: pd.DataFrame, year: int, column: str) -> pd.Series | None:
    rows = frame[(frame["year"] <= year) & frame[column].notna()].sort_values("year")
    return None if rows.empty else rows.iloc[-1]


@per_report
def cost_basis(ctx: ReportContext) -> CostBasis:
    """Clients (latest year), baseline unit cost, in-house unit cost and contest cost.

    Money in constant prices of the report's base year: the baseline as in
    :func:`baseline_summary`; the in-house and contest costs from the latest
    estimate up to the base year (a later one has no price index yet).
    """
    years = _area_years(ctx)
    served = _latest_before(years, ctx.year, "clients_served")
    summary = baseline_summary(ctx).set_index("indicator")
    unit_cost = float(summary.loc["E1", "value"])
    grant_years = tuple(int(y) for y in str(summary.loc["E1", "years"]).split(", ") if y)
    index = ctx.catalog.price_index
    base = report_base_year(index, ctx.year)
    needs = ctx.store.needs[ctx.store.needs["area"] == ctx.area]
    diagnosis = _latest_before(needs, base, "in_house_unit_cost")
    procedure = _latest_before(ctx.store.procedure_costs, base, "hourly_rate")

    def real(value: float, year: int) -> float:
        return float(real_values([value], [year], index, ctx.year)[0])

    return CostBasis(
        clients=float("nan") if served is None else float(served["clients_served"]),
        clients_year=None if served is None else int(served["year"]),
        grant_unit_cost=unit_cost,
        grant_years=grant_years,
        in_house_unit_cost=None if diagnosis is None else real(
            float(diagnosis["in_house_unit_cost"]), int(diagnosis["year"])),
        diagnosis_year=None if diagnosis is None else int(diagnosis["year"]),
        contest_cost=float("nan") if procedure is None else real(contest_cost(
            procedure["contest_staff_hours"], procedure["hourly_rate"], procedure["other_costs"]),
            int(procedure["year"])),
        contest_year=None if procedure is None else int(procedure["year"]),
        price_base_year=base,
    )


def horizon_table(ctx: ReportContext, horizon: int) -> tuple[pd.DataFrame, CostBasis]:
    """:func:`horizon_costs` for the report's area, and the inputs it used."""
    basis = cost_basis(ctx)
    table = horizon_costs(
        horizon=horizon, clients=basis.clients, grant_unit_cost=basis.grant_unit_cost,
        in_house_unit_cost=basis.in_house_unit_cost, contest_cost=basis.contest_cost,
    )
    return table, basis


def _checklist_item(ctx: ReportContext, item: str) -> bool | None:
    frame = ctx.store.cooperation_checklist
    rows = frame[(frame["item_id"] == item) & (frame["year"] <= ctx.year)]
    if rows.empty:
        return None
    return bool(rows.sort_values("year").iloc[-1]["value"] >= 1)


def proposed_indicators(ctx: ReportContext) -> list[IndicatorSpec]:
    """Catalogue indicators of the contract stages (on-going, ex-post), without optional ones."""
    return [spec for spec in ctx.catalog.indicators
            if set(spec.stages) & set(CONTRACT_STAGES) and not spec.optional]


def decision_facts(ctx: ReportContext, horizon: int) -> DecisionFacts:
    """Gather :class:`DecisionFacts` for the report's gmina, area and year."""
    ids = set(area_contracts(ctx)["contract_id"])
    standard = ctx.store.standard_checklist
    standard = standard[standard["contract_id"].isin(ids) & (standard["year"] <= ctx.year)]
    surveys = ctx.store.survey_responses
    surveys = surveys[(surveys["area"] == ctx.area) & (surveys["instrument"] == "klient")
                      & (surveys["year"] <= ctx.year)]
    results = ctx.store.results
    results = results[results["contract_id"].isin(ids) & (results["year"] <= ctx.year)]
    table, _basis = horizon_table(ctx, horizon)
    per_year = cell_number(table.set_index("option").loc[MULTI_YEAR, "per_year"])
    return DecisionFacts(
        year=ctx.year, horizon=horizon,
        multi_year_programme=_checklist_item(ctx, "w1_program_wieloletni"),
        annual_programme=_checklist_item(ctx, "w1_program_roczny"),
        contests_published=_checklist_item(ctx, "w2_konkursy_bip"),
        standard_requirements_assessed=int(standard["requirement_id"].nunique()),
        catalogue_requirements=len(ctx.catalog.standard_requirements()),
        client_survey_years=int(surveys["year"].nunique()),
        results_years=int(results["year"].nunique()),
        per_year_amount=None if np.isnan(per_year) else per_year,
        proposed_indicators=len([s for s in proposed_indicators(ctx) if s.target is not None]),
    )


# ------------------------------------------------------------ findings


def findings(ctx: ReportContext, horizon: int) -> list[str]:
    """Three to five findings, each from a stated rule and from the record its table shows.

    1. Needs coverage (Q2C): the latest year of the needs table with a
       coverage, against the catalogue target; without a diagnosis, or
       without clients served, what to add.
    2. Horizon cost: the multi-year contract against yearly grants (saving =
       (horizon − 1) contests) and against in-house provision (the
       difference in the cost table).
    3. Baseline quality: mean result achievement (Q3R) of the baseline
       summary table and client satisfaction (Q1) in the baseline year (or
       why it is hidden).
    4. Provider continuity: how many different NGOs ran the task in the
       annual-grant years (more than one = no continuity of the provider).
    5. Readiness: how many checklist conditions the data show as met / not met.
    """
    out: list[str] = []
    out.append(coverage_finding(ctx))
    table, _basis = horizon_table(ctx, horizon)
    totals = table.set_index("option")
    if not pd.isna(totals.loc[MULTI_YEAR, "total"]):
        text = _("W horyzoncie {h} lat kontrakt wieloletni kosztowałby {multi}, o {saving} mniej "
                 "niż dotacje roczne (1 konkurs zamiast {h}).").format(
            h=horizon, multi=format_number(totals.loc[MULTI_YEAR, "total"], 0, unit="zł"),
            saving=format_number(totals.loc["annual_grants", "vs_multi_year"], 0, unit="zł"))
        if not pd.isna(totals.loc["in_house", "total"]):
            difference = float(totals.loc["in_house", "vs_multi_year"])
            text += " " + _("Realizacja przez gminę kosztowałaby {inhouse}, o {diff} {direction} "
                            "niż kontrakt.").format(
                inhouse=format_number(totals.loc["in_house", "total"], 0, unit="zł"),
                diff=format_number(abs(difference), 0, unit="zł"),
                direction=_("więcej") if difference >= 0 else _("mniej"))
        out.append(text)
    summary = baseline_summary(ctx).set_index("indicator")
    quality = ""
    if not pd.isna(summary.loc["Q3R", "value"]):
        quality = _("W latach dotacji rocznych ({years}) realizatorzy osiągali średnio {value} "
                    "zaplanowanych rezultatów.").format(
            years=summary.loc["Q3R", "years"],
            value=format_number(summary.loc["Q3R", "value"], 1, unit="%"))
    satisfaction = satisfaction_finding(ctx, baseline_year(ctx))
    if satisfaction:
        quality += " " + satisfaction
    if quality.strip():
        out.append(quality.strip())
    baseline = area_contracts(ctx)
    baseline = baseline[(baseline["mode"] == ANNUAL_GRANT) & (baseline["start_year"] <= ctx.year)]
    if len(baseline):
        first, last = int(baseline["start_year"].min()), int(baseline["end_year"].max())
        ngos = baseline["ngo_name"].nunique()
        if ngos > 1:
            out.append(_("W latach {first}–{last} zadanie realizowało {n} różnych organizacji: "
                         "dotacje roczne nie zapewniały klientom ciągłości realizatora.").format(
                first=first, last=last, n=ngos))
        else:
            out.append(_("W latach {first}–{last} zadanie realizowała ta sama organizacja, "
                         "mimo corocznych konkursów.").format(first=first, last=last))
    checklist = checklist_rows(ctx, horizon)
    counts = {state: sum(row.state == state for row in checklist) for state in CHECK_STATES}
    missing = [row.gap for row in checklist if row.state == "no"]
    text = _("Z {total} warunków decyzji dane potwierdzają {yes}, {check} wymaga sprawdzenia "
             "przez oceniającego").format(total=len(checklist), yes=counts["yes"],
                                           check=counts["check"])
    text += ("; " + _("według danych: {items}.").format(items="; ".join(missing))
             if missing else ".")
    out.append(text)
    return out


@per_report
def needs_table(ctx: ReportContext) -> pd.DataFrame:
    """:func:`needs_by_year` of the report's area: the table of the needs section."""
    return needs_by_year(ctx.store.needs[ctx.store.needs["area"] == ctx.area], _area_years(ctx))


def coverage_finding(ctx: ReportContext) -> str:
    """Rule 1 of :func:`findings`, read from the needs table's latest row with a coverage."""
    table = needs_table(ctx)
    target = format_indicator_value(ctx.catalog.indicator("Q2C").target, "%")
    known = table[table["coverage"].notna()]
    if len(known):
        row = known.iloc[-1]
        return _("W {year} r. usługa docierała do {share} osób potrzebujących ({served} z {need} "
                 "według diagnozy z {diag} r.); cel katalogu to {target}.").format(
            year=int(row["year"]), share=format_number(row["coverage"], 1, unit="%"),
            served=format_number(row["clients_served"], 0),
            need=format_number(row["people_in_need"], 0), diag=int(row["diagnosis_year"]),
            target=target)
    diagnosed = ctx.store.needs[(ctx.store.needs["area"] == ctx.area)
                                & (ctx.store.needs["year"] <= ctx.year)]
    if diagnosed.empty:
        return _("Brak diagnozy potrzeb dla tego obszaru: nie wiadomo, jaką część "
                 "potrzebujących obejmuje usługa. Diagnoza powinna poprzedzić decyzję.") + " " + \
            _capital(missing_data(_("diagnoza potrzeb"), "needs")) + "."
    return _("Diagnoza potrzeb jest (z {diag} r.), ale pokrycia nie da się policzyć.").format(
        diag=int(diagnosed["year"].max())) + " " + _capital(missing_data(
            _("liczba odbiorców usługi"), "beneficiaries", year=ctx.year)) + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# ------------------------------------------------------------ sections


def show_summary(ctx: ReportContext, horizon: int = 4) -> None:
    """The one-page summary: a short baseline scorecard and the findings."""
    show_heading(_("Podsumowanie"))
    mismatch = stage_mismatch(ctx)
    if mismatch:
        show_text(_("**Bez wniosków i bez listy warunków decyzji.** {reason}").format(
            reason=mismatch))
        return
    show_text(_("Obszar jest finansowany dotacjami rocznymi. Ocena wstępna zbiera dane "
                "potrzebne do decyzji, czy zlecić zadanie w kontrakcie wieloletnim na okres {h} lat.")
              .format(h=horizon))
    note = late_report_note(evaluation(ctx))
    if note:
        show_text(f"**{note}**")
    year = baseline_year(ctx)
    present = set(latest(ctx, year=year).index)
    show_scorecard(ctx, [i for i in SUMMARY_INDICATORS if i in present], year=year)
    show_findings(findings(ctx, horizon))


def show_needs(ctx: ReportContext) -> None:
    """Diagnoza potrzeb: people in need, clients served, coverage (Q2C) by year."""
    show_heading(_("Diagnoza potrzeb"))
    if skip_section(ctx):
        return
    table = needs_table(ctx)
    if table.empty:
        show_text(missing_markdown(_("odbiorcy usługi i koszty w latach dotacji"),
                                   "beneficiaries", "finance"))
        return
    if table["people_in_need"].isna().all():
        show_text(missing_markdown(_("diagnoza potrzeb obszaru"), "needs"))
    show_text(_("Pokrycie potrzeb (Q2C) to liczba odbiorców usługi w roku podzielona przez "
                "liczbę osób potrzebujących według najnowszej diagnozy sporządzonej w tym roku "
                "lub wcześniej. Cel katalogu: {target}.").format(
        target=format_indicator_value(ctx.catalog.indicator("Q2C").target, "%")))
    show_figure(plots_stages.coverage_by_year(
        table, title=_("Odbiorcy usługi a potrzeby"), served_label=_("odbiorcy usługi"),
        need_label=_("osoby potrzebujące (diagnoza)"), ylabel=_("liczba osób"), xlabel=_("rok")))
    shown = pd.DataFrame({
        _("Rok"): table["year"],
        _("Osoby potrzebujące"): table["people_in_need"].astype("Int64"),
        _("Rok diagnozy"): table["diagnosis_year"].astype("Int64"),
        _("Odbiorcy usługi"): table["clients_served"].astype("Int64"),
        _("Pokrycie potrzeb"): table["coverage"],
    })
    show_table(shown, _("Diagnoza potrzeb i pokrycie w kolejnych latach"), formats={
        _("Rok diagnozy"): lambda v: "—" if pd.isna(v) else str(int(v)),
        _("Pokrycie potrzeb"): lambda v: format_number(v, 1, unit="%"),
    })


def baseline_table(ctx: ReportContext) -> pd.DataFrame:
    """Per baseline year: unit cost (E1), result achievement (Q3R), Q1 with n and interval, E3."""
    years = _baseline_years(ctx)
    q1 = yearly(ctx, "Q1")
    frame = pd.DataFrame({"year": years})
    for indicator in ("E1", "Q3R", "E3"):
        values = yearly(ctx, indicator)[["year", "value"]].rename(columns={"value": indicator})
        frame = frame.merge(values, on="year", how="left")
    q1 = q1.rename(columns={"value": "Q1", "n": "Q1_n"})
    frame = frame.merge(q1[["year", "Q1", "Q1_n", "ci_low", "ci_high", "suppressed"]],
                        on="year", how="left")
    return frame.assign(suppressed=frame["suppressed"].fillna(False).astype(bool))


def show_baseline(ctx: ReportContext) -> None:
    """The annual-grant baseline: E1, Q3R, Q1 (n, interval; small groups hidden), E3 by year."""
    show_heading(_("Punkt odniesienia: lata dotacji rocznych"))
    if skip_section(ctx):
        return
    table = baseline_table(ctx)
    if table.empty:
        show_text(missing_markdown(_("lata dotacji rocznych do {year} r.").format(
            year=ctx.year), "contracts"))
        return
    show_text(_("Te wartości są punktem odniesienia dla przyszłego kontraktu: ocena bieżąca i "
                "końcowa porównają z nimi wyniki kontraktu wieloletniego. Zadowolenie klientów "
                "z mniej niż {threshold} odpowiedzi jest ukryte (ochrona danych).").format(
        threshold=ctx.threshold))
    hidden = table["suppressed"].to_numpy(dtype=bool)
    shown = pd.DataFrame({
        _("Rok"): table["year"],
        _("Koszt jednostkowy (E1)"): table["E1"],
        _("Osiągnięcie rezultatów (Q3R)"): table["Q3R"],
        _("Zadowolenie klientów (Q1)"): [suppressed_mark() if h else v
                                         for h, v in zip(hidden, table["Q1"], strict=True)],
        "n": table["Q1_n"],
        _("95% przedział"): [interval_text(row) for _i, row in table.iterrows()],
        _("Wykonanie budżetu (E3)"): table["E3"],
    })
    satisfaction = _("Zadowolenie klientów (Q1)")
    show_table(shown, _("Wyniki lat dotacji rocznych"), formats={
        _("Koszt jednostkowy (E1)"): lambda v: format_number(v, 0, unit="zł"),
        _("Osiągnięcie rezultatów (Q3R)"): lambda v: format_number(v, 1, unit="%"),
        satisfaction: lambda v: v if isinstance(v, str) else format_number(v, 1),
        "n": lambda v: "—" if pd.isna(v) else str(int(v)),
        _("Wykonanie budżetu (E3)"): lambda v: format_number(v, 1, unit="%"),
    })
    show_baseline_summary(ctx)


BASELINE_SUMMARY: Final = (("E1", ("finance", "beneficiaries")), ("Q3R", ("results",)))
"""The baseline means (indicator, tables it needs) the summary table shows."""


@per_report
def baseline_summary(ctx: ReportContext) -> pd.DataFrame:
    """Baseline means: unit cost (E1) and result achievement (Q3R) over the latest grant years.

    One row per :data:`BASELINE_SUMMARY` indicator: ``indicator``, ``unit``,
    ``value`` (:func:`baseline_mean`, NaN without data), ``years`` (the
    years averaged, as text) and ``real`` (money in constant prices of the
    report's base year: only years the price index covers are averaged).
    The cost comparison and the findings read these same values.
    """
    grant_years = _baseline_years(ctx)
    index = ctx.catalog.price_index
    records = []
    for indicator, _tables in BASELINE_SUMMARY:
        unit = ctx.catalog.indicator(indicator).unit
        series = yearly(ctx, indicator)
        money = unit.startswith("zł")
        if money:
            series = series.assign(value=real_values(series["value"], series["year"], index,
                                                     ctx.year))
        value, years = baseline_mean(series, grant_years)
        records.append({"indicator": indicator, "unit": unit, "value": value,
                        "years": ", ".join(str(y) for y in years), "real": money})
    return pd.DataFrame.from_records(
        records, columns=["indicator", "unit", "value", "years", "real"])


def show_baseline_summary(ctx: ReportContext) -> None:
    """The baseline means with the years they average; what is missing when there are none."""
    summary = baseline_summary(ctx)
    raw = pd.DataFrame({
        _("Wskaźnik"): [f"{i} {indicator_name(ctx.catalog.indicator(i))}"
                        for i in summary["indicator"]],
        _("Lata"): [y or "—" for y in summary["years"]],
        _("Średnia"): [None if pd.isna(v) else float(v) for v in summary["value"]],
        _("Jednostka"): summary["unit"],
    })
    cells = {
        _("Wskaźnik"): [html.escape(v) for v in raw[_("Wskaźnik")]],
        _("Lata"): list(raw[_("Lata")]),
        _("Średnia"): [format_indicator_value(v, u) + (
            f" ({real_label(ctx.catalog.price_index, ctx.year)})" if real and not pd.isna(v)
            else "") for v, u, real in
            zip(summary["value"], summary["unit"], summary["real"], strict=True)],
    }
    display_table(html_table(cells, {_("Średnia")}), raw,
                  _("Punkt odniesienia: średnia z ostatnich {n} lat dotacji z danymi").format(
                      n=BASELINE_YEARS))
    gap = missing_index_note(ctx.catalog.price_index.missing(_baseline_years(ctx)))
    if gap:
        show_text(gap)
    for (indicator, tables), value in zip(BASELINE_SUMMARY, summary["value"], strict=True):
        if pd.isna(value):
            name = indicator_name(ctx.catalog.indicator(indicator))
            show_text(missing_markdown(name[:1].lower() + name[1:], *tables))


def show_horizon_costs(ctx: ReportContext, horizon: int = 4) -> None:
    """Cost of the service over the horizon: in-house, yearly grants, one multi-year contract."""
    show_heading(_("Koszt usługi w horyzoncie {h} lat").format(h=horizon))
    if skip_section(ctx):
        return
    table, basis = horizon_table(ctx, horizon)
    if pd.isna(basis.clients) or pd.isna(basis.grant_unit_cost):
        show_text(missing_markdown(_("koszty i odbiorcy z lat dotacji rocznych (porównania "
                                     "wariantów nie można policzyć)"), "finance",
                                   "beneficiaries"))
        return
    contest_note = (
        _("koszt jednego konkursu {cost} (kalkulacja gminy z {year} r.: godziny pracy urzędników "
          "× stawka + inne koszty)").format(cost=format_number(basis.contest_cost, 0, unit="zł"),
                                            year=basis.contest_year)
        if basis.contest_year is not None else _("brak kalkulacji kosztu konkursu"))
    in_house_note = (
        _("koszt obsługi jednej osoby przez gminę {cost} (diagnoza z {year} r.)").format(
            cost=format_number(basis.in_house_unit_cost, 0, unit="zł"), year=basis.diagnosis_year)
        if basis.in_house_unit_cost is not None else
        _("brak szacunku kosztu realizacji przez gminę"))
    show_text(_("Założenia: {clients} odbiorców rocznie (jak w {cyear} r.); koszt obsługi jednego "
                "odbiorcy w dotacjach {unit} (średnia E1 z lat {years}), taki sam w kontrakcie "
                "wieloletnim; {in_house}; {contest}. Wszystkie kwoty w cenach stałych z {base} r. "
                "(przeliczone wskaźnikiem cen usług GUS), bez prognozy inflacji. Dotacje roczne "
                "wymagają konkursu co roku, kontrakt wieloletni — jednego.").format(
        base=basis.price_base_year,
        clients=format_number(basis.clients, 0), cyear=basis.clients_year,
        unit=format_number(basis.grant_unit_cost, 0, unit="zł"),
        years=", ".join(str(y) for y in basis.grant_years),
        in_house=in_house_note, contest=contest_note))
    labels = [_(OPTION_LABELS[o]) for o in table["option"]]
    shown = pd.DataFrame({
        _("Wariant"): labels,
        _("Konkursy"): table["contests"],
        _("Koszt usługi"): table["service_cost"],
        _("Koszt konkursów"): table["procedure_cost"],
        _("Razem"): table["total"],
        _("Rocznie"): table["per_year"],
        _("Różnica wobec kontraktu"): table["vs_multi_year"],
    })
    money = {column: (lambda v: format_number(v, 0, unit="zł")) for column in (
        _("Koszt usługi"), _("Koszt konkursów"), _("Razem"), _("Rocznie"))}
    money[_("Różnica wobec kontraktu")] = lambda v: (
        "—" if pd.isna(v) else ("+" if v > 0 else "") + format_number(v, 0, unit="zł"))
    show_table(shown, _("Koszt usługi w horyzoncie {h} lat według wariantu ({prices})").format(
        h=horizon, prices=real_label(ctx.catalog.price_index, ctx.year)), formats=money)
    show_figure(plots_stages.horizon_cost_bars(
        table.assign(label=[label.replace(" ", "\n", 1) for label in labels]),
        title_total=_("Koszt całkowity w ciągu {h} lat").format(h=horizon),
        title_procedure=_("w tym koszt konkursów"), ylabel=_("zł")))


def checklist_rows(ctx: ReportContext, horizon: int) -> list[WordedCondition]:
    """The decision checklist of the report's area, worded (:func:`worded_checklist`)."""
    facts = decision_facts(ctx, horizon)
    return worded_checklist(decision_checklist(facts), facts)


def checklist_frame(rows: Sequence[WordedCondition]) -> pd.DataFrame:
    """The checklist with raw states, for the annex."""
    return pd.DataFrame({
        _("Warunek"): [row.condition for row in rows],
        _("Dane"): [_(CHECK_LABELS[row.state]) for row in rows],
        _("Podstawa"): [row.evidence for row in rows],
        _("Ocena oceniającego"): ["" for _row in rows],
    })


def show_checklist(ctx: ReportContext, horizon: int = 4) -> None:
    """The statutory conditions of the decision, marked from the data, for the evaluator to fill."""
    show_heading(_("Warunki decyzji o kontrakcie wieloletnim"))
    mismatch = stage_mismatch(ctx)
    if mismatch:
        show_text(_("Lista warunków decyzji nie jest sporządzana: {reason}").format(
            reason=mismatch))
        return
    show_text(_("Lista warunków z ustawy o działalności pożytku publicznego i modelu WKUS. "
                "Kolumna „Dane” pokazuje, co wynika już z danych; ostateczną ocenę zaznacza "
                "oceniający w ostatniej kolumnie."))
    rows = checklist_rows(ctx, horizon)
    box = "<br>".join(html.escape(_(text)) for text in (N_("☐ spełniony"), N_("☐ niespełniony")))
    cells = {
        _("Warunek"): [html.escape(row.condition) for row in rows],
        _("Dane"): [f'<span class="tl {CHECK_CLASSES[row.state]}">'
                    f"{html.escape(_(CHECK_LABELS[row.state]))}</span>" for row in rows],
        _("Podstawa"): [html.escape(row.evidence) for row in rows],
        _("Ocena oceniającego"): [box for _row in rows],
    }
    display_table(html_table(cells, set(), "wkus-table checklist"), checklist_frame(rows),
                  _("Lista kontrolna decyzji"))


def _short(value: float) -> str:
    """A threshold or target without trailing zeros (decimal comma in Polish reports)."""
    text = f"{value:g}".replace("-", "−")
    return text.replace(".", ",") if current_language() == "pl" else text


def threshold_text(spec: IndicatorSpec) -> str:
    """Traffic-light thresholds ``good / watch``, e.g. ``≥ 75 / ≥ 60``; a note without a norm."""
    if spec.thresholds is None:
        return _("brak normy")
    sign = "≥" if spec.direction == "higher" else "≤"
    green, amber = _short(spec.thresholds.green), _short(spec.thresholds.amber)
    return f"{sign}\u00a0{green} / {sign}\u00a0{amber}"


def show_proposed_indicators(ctx: ReportContext) -> None:
    """Indicators of the contract stages with baseline values, default targets and thresholds.

    One table per model, so each fits on a printed page; indicators only the
    ex-post evaluation computes are marked.
    """
    show_heading(_("Proponowane wskaźniki i wartości docelowe kontraktu"))
    if skip_section(ctx):
        return
    show_text(_("Wskaźniki z katalogu, które ocena bieżąca i końcowa policzą dla kontraktu. Cele "
                "i progi są domyślne: gmina może je zmienić w katalogu przed ogłoszeniem "
                "konkursu. Wartość bazowa to wynik obszaru w {year} r. Progi: wartość, od której "
                "ocena jest „dobrze”, i od której jest „uwaga”; bez normy gmina ustala własne "
                "progi.").format(year=baseline_year(ctx)))
    rows = latest(ctx, year=baseline_year(ctx))
    specs = proposed_indicators(ctx)
    for model in MODEL_LABELS:
        chosen = [spec for spec in specs if spec.model == model]
        if chosen:
            show_table(_indicator_frame(chosen, rows), _("Wskaźniki kontraktu: {model}").format(
                model=_(MODEL_LABELS[model])), formats={
                _("Wartość bazowa"): lambda v: html.escape(str(v)),
                _("Cel"): lambda v: "—" if v is None or pd.isna(v) else _short(float(v)),
            })


def _indicator_frame(specs: Sequence[IndicatorSpec], rows: pd.DataFrame) -> pd.DataFrame:
    baseline: list[str] = []
    for spec in specs:
        value = cell_number(rows.loc[spec.id, "value"]) if spec.id in rows.index else np.nan
        if np.isnan(value):
            hidden = spec.id in rows.index and bool(rows.loc[spec.id, "suppressed"])
            baseline.append(suppressed_mark() if hidden else "—")
        else:
            baseline.append(format_indicator_value(value, spec.unit))
    only_ex_post = " " + _("(tylko ocena końcowa)")
    return pd.DataFrame({
        _("Wskaźnik"): [f"{s.id} {indicator_name(s)}"
                        + (only_ex_post if ON_GOING not in s.stages else "") for s in specs],
        _("Jednostka"): [indicator_unit(s) for s in specs],
        _("Wartość bazowa"): baseline,
        _("Cel"): [None if s.target is None else s.target for s in specs],
        _("Progi: dobrze / uwaga"): [threshold_text(s) for s in specs],
    })


def show_appendix(ctx: ReportContext, horizon: int = 4) -> None:
    """Methods appendix (shared) and the assumptions of this report's calculations."""
    show_methods(ctx)
    show_notes(_("Założenia oceny wstępnej"), (
        _("Punkt odniesienia: średni koszt jednostkowy (E1) z ostatnich {n} lat dotacji rocznych "
          "do roku oceny, które mają dane.").format(n=BASELINE_YEARS),
        _("Koszt w horyzoncie {h} lat: liczba lat × odbiorcy rocznie × koszt jednostkowy, plus "
          "liczba konkursów × koszt jednego konkursu. Dotacje roczne: {contests}; kontrakt "
          "wieloletni: 1 konkurs; realizacja przez gminę: bez konkursu, koszt jednostkowy z "
          "diagnozy potrzeb.").format(h=horizon, contests=n_(
              horizon, "{n} konkurs", "{n} konkursy", "{n} konkursów").format(n=horizon)),
        _("Koszt konkursu: godziny pracy urzędników × stawka godzinowa + inne koszty, z "
          "najnowszej kalkulacji gminy do roku oceny."),
        _("Warunki decyzji: stan „tak” lub „nie” tylko tam, gdzie rozstrzygają dane (program "
          "współpracy, publikacja konkursów, ocena standardu, ankiety i sprawozdania); pozostałe "
          "warunki sprawdza oceniający."),
    ))
