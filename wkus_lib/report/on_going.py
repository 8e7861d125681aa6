"""On-going (ocena bieżąca) sections: one budget year of a multi-year contract.

The report follows a contract while it runs: results against targets
cumulatively since the contract start (narastająco, as multi-year NGO reports
show them), budget execution this year and cumulatively, the year's client
surveys, early warnings and a data-quality section.

Calculations are pure functions (:func:`cumulative_results`,
:func:`budget_execution`, :func:`early_warnings`; data quality:
:func:`wkus_lib.evaluation.data_quality.data_quality_scorecard`); the ``show_*``
functions gather their inputs from the report context (data up to the
evaluation year only) and display them. Every warning is a stated rule that
names itself when it fires.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, cast

import numpy as np
import pandas as pd

from wkus_lib.catalog import Catalog
from wkus_lib.domain import MULTI_YEAR
from wkus_lib.evaluation.data_quality import (
    data_quality_scorecard,
    format_check_value,
    status_counts,
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
from wkus_lib.text.i18n import N_, _, n_
from wkus_lib.text.numbers import format_number

SUMMARY_INDICATORS: Final = ("Q1", "Q3R", "Q5", "Q6", "Q7", "TRI", "E1", "E3", "E8", "WC")
"""The summary scorecard: the indicators a council follows every contract year."""
SURVEY_SCORES: Final = ("Q1", "Q2", "Q3", "Q4")
RESULTS_WARNING_SHARE: Final = 0.8
"""Rule O2: a result below this share of its time-proportional target is behind."""
QUALITY_CHECK_LABELS: Final[dict[str, str]] = {
    "response_rate": N_("Zwrot ankiet klientów"),
    "item_nonresponse": N_("Braki odpowiedzi"),
    "straight_lining": N_("Jednakowe odpowiedzi"),
    "duplicate_respondents": N_("Zduplikowani respondenci"),
    "finance_totals": N_("Sumy sprawozdań finansowych"),
    "results_missing": N_("Rezultaty bez wartości osiągniętej"),
    "outlier": N_("Wartość odstająca"),
}
QUALITY_SCOPE_LABELS: Final[dict[str, str]] = {
    "klient": N_("klienci"),
    "personel": N_("personel"),
    "samoocena": N_("samoocena realizatora"),
    "finanse": N_("sprawozdania finansowe"),
    "rezultaty": N_("rezultaty"),
}
QUALITY_STATUS_LABELS: Final[dict[str, str]] = {
    "problem": N_("problem"), "uwaga": N_("uwaga"), "ok": N_("bez zastrzeżeń"),
}
QUALITY_STATUS_CLASSES: Final[dict[str, str]] = {
    "problem": "tl-red", "uwaga": "tl-amber", "ok": "tl-green",
}

WarningState = Literal["fired", "ok", "no_data"]
WARNING_LABELS: Final[dict[str, str]] = {
    "fired": N_("ostrzeżenie"),
    "ok": N_("bez zastrzeżeń"),
    "no_data": N_("brak danych"),
}
WARNING_CLASSES: Final[dict[str, str]] = {"fired": "tl-red", "ok": "tl-green", "no_data": "tl"}


# ------------------------------------------------------------ pure calculations


def cumulative_results(
    results: pd.DataFrame, *, year: int, warning_share: float = RESULTS_WARNING_SHARE
) -> pd.DataFrame:
    """Results against targets, summed per result from the contract start to ``year``.

    Parameters
    ----------
    results
        One row per contract × result × year: ``contract_id``, ``result_id``,
        ``name``, ``unit``, ``year``, ``target``, ``achieved`` (NaN = not
        reported) and the contract's ``start_year`` and ``end_year``. Rows of
        years after ``year`` contribute only their targets (plans are known
        when the contract is signed), never their achieved values.
    year
        The evaluation year.
    warning_share
        A result is ``behind`` when its achievement is below this share of
        the time-proportional target.

    Returns
    -------
    pandas.DataFrame
        One row per contract × result with a row up to ``year``:

        - ``target_to_date``, ``achieved_to_date`` — sums over the years up to
          ``year`` with a reported achieved value; ``pct_to_date`` = achieved /
          target × 100;
        - ``years_reported`` and ``years_missing`` (term years up to ``year``
          without an achieved value);
        - ``contract_target`` = mean yearly target × contract years (the sum
          of the yearly targets when every year has one);
          ``pct_of_contract`` = achieved to date / contract target × 100;
        - ``time_share`` = years reported / contract years;
          ``pct_of_time_target`` = achieved to date / (contract target ×
          time share) × 100; ``behind`` = ``pct_of_time_target`` <
          ``warning_share`` × 100.

    Examples
    --------
    A 4-year contract, 3 years reported, yearly target 100, 300 achieved in
    all: 300 / (400 × 3/4) = 100 % of the time-proportional target.

    >>> frame = pd.DataFrame({
    ...     "contract_id": "c", "result_id": "R1", "name": "osoby", "unit": "osoby",
    ...     "year": [2022, 2023, 2024, 2025], "target": 100.0,
    ...     "achieved": [100.0, 100.0, 100.0, None], "start_year": 2022, "end_year": 2025})
    >>> cumulative_results(frame, year=2024)["pct_of_time_target"].tolist()
    [100.0]
    """
    keys = ["contract_id", "result_id"]
    in_term = results[(results["year"] >= results["start_year"])
                      & (results["year"] <= results["end_year"])]
    to_date = in_term[in_term["year"] <= year]
    reported = to_date[to_date["achieved"].notna()]
    by_year = in_term.sort_values("year").groupby(keys, sort=True)
    base = pd.concat([by_year[["name", "unit"]].last(), by_year[["start_year", "end_year"]].first(),
                      by_year["target"].mean().rename("mean_target")], axis=1)
    reported_groups = reported.groupby(keys, sort=True)
    sums = reported_groups[["target", "achieved"]].sum().rename(
        columns={"target": "target_to_date", "achieved": "achieved_to_date"}).assign(
        years_reported=reported_groups["year"].nunique())
    due = to_date.groupby(keys, sort=True)["year"].nunique().rename("years_due")
    table = base.join(due, how="inner").join(sums, how="left").reset_index()
    years_reported = table["years_reported"].fillna(0).astype("int64")
    contract_years = (table["end_year"] - table["start_year"] + 1).astype("int64")
    elapsed = (np.minimum(year, table["end_year"]) - table["start_year"] + 1).astype("int64")
    contract_target = table["mean_target"] * contract_years
    time_share = years_reported / contract_years
    achieved = table["achieved_to_date"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct_to_date = achieved / table["target_to_date"].to_numpy(dtype=float) * 100.0
        pct_of_contract = achieved / contract_target.to_numpy(dtype=float) * 100.0
        time_target = (contract_target * time_share).to_numpy(dtype=float)
        pct_of_time = np.where(time_target > 0, achieved / time_target * 100.0, np.nan)
    out = table.assign(
        years_reported=years_reported,
        years_missing=(elapsed - years_reported).clip(lower=0),
        contract_years=contract_years,
        contract_target=contract_target,
        pct_to_date=pct_to_date,
        pct_of_contract=pct_of_contract,
        time_share=time_share,
        pct_of_time_target=pct_of_time,
        behind=np.nan_to_num(pct_of_time, nan=np.inf) < warning_share * 100.0,
    )
    return out[["contract_id", "result_id", "name", "unit", "start_year", "end_year",
                "contract_years", "target_to_date", "achieved_to_date", "pct_to_date",
                "years_reported", "years_missing", "contract_target", "pct_of_contract",
                "time_share", "pct_of_time_target", "behind"]]


def budget_execution(finance: pd.DataFrame, *, year: int) -> pd.DataFrame:
    """Budget execution (E3) per year up to ``year`` and cumulatively.

    ``finance`` has ``year``, ``planned`` and ``actual`` (NaN = not reported)
    per cost line. As E3, every planned line counts in the planned amount; a
    line without an actual cost is 0 zł spent and counted in
    ``missing_lines``. Amounts are nominal (current prices: plan and
    execution of the same years). Returns ``year``, ``planned`` (every
    line), ``planned_all`` (the same), ``actual``, ``execution`` (%),
    ``missing_lines``, ``planned_cum``, ``actual_cum`` and ``execution_cum`` (%).

    2022: 90 spent of 100 + 50 planned (the 50 not reported) → 60 %;
    cumulatively to 2023: (90 + 120) / (150 + 100) = 84 %.

    >>> lines = pd.DataFrame({"year": [2022, 2022, 2023], "planned": [100.0, 50.0, 100.0],
    ...                       "actual": [90.0, None, 120.0]})
    >>> budget_execution(lines, year=2023)["execution_cum"].round(1).tolist()
    [60.0, 84.0]
    """
    rows = finance[finance["year"] <= year]
    actual = rows["actual"].to_numpy(dtype=float, na_value=np.nan)
    reported = ~np.isnan(actual)
    lines = pd.DataFrame({
        "year": rows["year"].to_numpy(),
        "planned": rows["planned"].to_numpy(dtype=float),
        "planned_all": rows["planned"].to_numpy(dtype=float),
        "actual": np.where(reported, actual, 0.0),
        "missing_lines": (~reported).astype("int64"),
    })
    table = lines.groupby("year", sort=True).sum().reset_index()
    with np.errstate(divide="ignore", invalid="ignore"):
        execution = np.where(table["planned"] > 0, table["actual"] / table["planned"] * 100.0,
                             np.nan)
        planned_cum = table["planned"].cumsum()
        actual_cum = table["actual"].cumsum()
        execution_cum = np.where(planned_cum > 0, actual_cum / planned_cum * 100.0, np.nan)
    return table.assign(execution=execution, planned_cum=planned_cum, actual_cum=actual_cum,
                        execution_cum=execution_cum)


@dataclass(frozen=True)
class Reading:
    """One indicator value of the year, or why there is none."""

    value: float | None
    suppressed: bool = False
    n: int | None = None


@dataclass(frozen=True)
class WarningLimits:
    """Limits of the early-warning rules that are not catalogue thresholds."""

    budget_low: float = 85.0
    budget_high: float = 110.0
    results_share: float = RESULTS_WARNING_SHARE
    triangulation_points: float = 15.0


@dataclass(frozen=True)
class WarningCheck:
    """One early-warning rule: its statement, what the data show and whether it fired.

    ``short`` is the rule in a few words, for the summary page.
    """

    rule_id: str
    rule: str
    observed: str
    state: WarningState
    short: str = ""


TRAFFIC_LIGHT_RULES: Final = (("O3", "Q1"), ("O4", "Q6"), ("O5", "Q7"), ("O7", "Q5"))
"""Rules that fire on the catalogue's red light: rule id, indicator."""


def _reading_text(reading: Reading, unit: str, threshold: int) -> str:
    if reading.suppressed:
        return _("ukryte (mniej niż {threshold} odpowiedzi)").format(threshold=threshold)
    if reading.value is None or np.isnan(reading.value):
        return _("brak danych")
    text = format_indicator_value(reading.value, unit)
    return text if reading.n is None else f"{text} (n = {reading.n})"


def early_warnings(
    *,
    budget: Reading,
    results: pd.DataFrame,
    readings: Mapping[str, Reading],
    catalog: Catalog,
    limits: WarningLimits | None = None,
    threshold: int = 5,
) -> list[WarningCheck]:
    """Early warnings of a contract year, each a stated rule.

    - O1 budget execution (E3) of the year below ``budget_low`` % or above
      ``budget_high`` %;
    - O2 a result's cumulative achievement below ``results_share`` of its
      time-proportional target (``pct_of_time_target`` of
      :func:`cumulative_results`; ``results`` needs that column, ``result_id``
      and ``name``);
    - O3 client satisfaction (Q1), O4 staff continuity (Q6), O5 complaints
      (Q7), O7 standard compliance (Q5): the catalogue's red light
      (thresholds from the catalogue);
    - O6 triangulation gap (TRI) above ``triangulation_points``.

    A hidden (small-cell) or missing value gives ``no_data``, never a warning.
    """
    limits = limits or WarningLimits()
    checks: list[WarningCheck] = []
    low, high = format_number(limits.budget_low, 0), format_number(limits.budget_high, 0)
    rule = _("Wykonanie budżetu w roku (E3) poniżej {low} % albo powyżej {high} %").format(
        low=low, high=high)
    short = _("E3 poza przedziałem {low}–{high} %").format(low=low, high=high)
    if budget.value is None or np.isnan(budget.value):
        checks.append(WarningCheck("O1", rule, _("brak danych"), "no_data", short))
    else:
        fired = not limits.budget_low <= budget.value <= limits.budget_high
        checks.append(WarningCheck("O1", rule, format_number(budget.value, 1, unit="%"),
                                   "fired" if fired else "ok", short))
    share = format_number(limits.results_share * 100, 0)
    rule = _("Rezultat osiągnięty narastająco w mniej niż {share} % celu proporcjonalnego do "
             "upływu czasu kontraktu").format(share=share)
    short = _("rezultat poniżej {share} % celu wg upływu czasu").format(share=share)
    known = results[results["pct_of_time_target"].notna()] if len(results) else results
    if known.empty:
        checks.append(WarningCheck("O2", rule, _("brak danych"), "no_data", short))
    else:
        behind = known[known["pct_of_time_target"] < limits.results_share * 100.0]
        if len(behind):
            observed = "; ".join(
                f"{r.result_id} {r.name}: "
                f"{format_number(cell_number(r.pct_of_time_target), 1, unit='%')}"
                for r in behind.itertuples(index=False))
            checks.append(WarningCheck("O2", rule, observed, "fired", short))
        else:
            lowest = float(known["pct_of_time_target"].min())
            checks.append(WarningCheck("O2", rule, _("najniższy: {value}").format(
                value=format_number(lowest, 1, unit="%")), "ok", short))
    for rule_id, indicator in TRAFFIC_LIGHT_RULES:
        spec = catalog.indicator(indicator)
        reading = readings.get(indicator, Reading(None))
        bound = "—" if spec.thresholds is None else format_number(spec.thresholds.amber, 0)
        sign = "<" if spec.direction == "higher" else ">"
        short = f"{indicator} {indicator_name(spec)} {sign} {bound}"
        rule = _("{id} {name} {sign} {bound}: ocena „źle” według progów katalogu").format(
            id=indicator, name=indicator_name(spec), sign=sign, bound=bound)
        observed = _reading_text(reading, spec.unit, threshold)
        if reading.suppressed or reading.value is None or np.isnan(reading.value):
            state: WarningState = "no_data"
        else:
            state = "fired" if catalog.status(indicator, reading.value) == "red" else "ok"
        checks.append(WarningCheck(rule_id, rule, observed, state, short))
    tri = readings.get("TRI", Reading(None))
    rule = _("Samoocena realizatora wyższa od oceny klientów o więcej niż {points} pkt "
             "(TRI)").format(points=format_number(limits.triangulation_points, 0))
    short = _("TRI powyżej {points} pkt").format(
        points=format_number(limits.triangulation_points, 0))
    observed = _reading_text(tri, "pkt", threshold)
    if tri.suppressed or tri.value is None or np.isnan(tri.value):
        checks.append(WarningCheck("O6", rule, observed, "no_data", short))
    else:
        checks.append(WarningCheck("O6", rule, observed,
                                   "fired" if tri.value > limits.triangulation_points else "ok",
                                   short))
    return sorted(checks, key=lambda check: check.rule_id)


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
                          catalog=ctx.catalog, limits=limits, threshold=ctx.threshold)


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
    checks = warnings_for(ctx)
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
        show_text(_("Żadna z {n} reguł ostrzegawczych nie zadziałała.").format(n=len(checks)))
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
    checks = warnings_for(ctx)
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


def area_quality(ctx: ReportContext, years: Sequence[int] | None = None) -> pd.DataFrame:
    """The data-quality scorecard of the report's gmina and area (``years``: default its year).

    Built from the report's own store (one gmina), so it holds no other
    gmina's rows; problems first.
    """
    table = data_quality_scorecard(ctx.store, ctx.catalog, inputs=ctx.inputs,
                                   years=[ctx.year] if years is None else years)
    return table[(table["teryt"] == ctx.gmina.teryt) & (table["area"] == ctx.area)]


def _quality_scope(ctx: ReportContext, scope: str) -> str:
    if scope in QUALITY_SCOPE_LABELS:
        return _(QUALITY_SCOPE_LABELS[scope])
    if scope in ctx.catalog.ids:
        return f"{scope} {indicator_name(ctx.catalog.indicator(scope))}"
    return scope


def show_quality_table(ctx: ReportContext, rows: pd.DataFrame, title: str, *,
                       with_year: bool = False) -> None:
    """Scorecard rows as a table with status badges (the annex gets the raw values)."""
    statuses = [_(QUALITY_STATUS_LABELS[s]) for s in rows["status"]]
    checks = [_(QUALITY_CHECK_LABELS[c]) for c in rows["check"]]
    scopes = [_quality_scope(ctx, scope) for scope in rows["scope"]]
    years = {_("Rok"): [str(int(y)) for y in rows["year"]]} if with_year else {}
    cells = {
        **years,
        _("Kontrola"): [html.escape(c) for c in checks],
        _("Zakres"): [html.escape(s) for s in scopes],
        _("Wynik"): [html.escape(text) for text in check_results(rows)],
        "n": [str(int(n)) for n in rows["n"]],
        _("Ocena"): [f'<span class="tl {QUALITY_STATUS_CLASSES[s]}">{html.escape(label)}</span>'
                     for s, label in zip(rows["status"], statuses, strict=True)],
    }
    raw = pd.DataFrame({
        **({_("Rok"): rows["year"].to_numpy()} if with_year else {}),
        _("Kontrola"): checks, _("Zakres"): scopes, _("Wynik"): rows["value"].to_numpy(),
        _("Wartość roku"): rows["observed"].to_numpy(),
        _("Mediana lat"): rows["reference"].to_numpy(),
        "n": rows["n"].to_numpy(), _("Ocena"): statuses,
    })
    numeric = {_("Wynik"), "n", *([_("Rok")] if with_year else [])}
    display_table(html_table(cells, numeric, "wkus-table data-quality"), raw, title)


def check_results(rows: pd.DataFrame) -> list[str]:
    """Each scorecard row's result for people; an outlier with the numbers behind it.

    An outlier row shows its z-score (or value) and the year's value against
    the median of the years compared, with the difference in % of the median.
    """
    out = []
    for check, value, observed, reference in zip(
            rows["check"], rows["value"], rows["observed"], rows["reference"], strict=True):
        text = format_check_value(check, value)
        if check == "outlier" and not (pd.isna(observed) or pd.isna(reference)):
            change = (f"{'+' if observed > reference else ''}"
                      f"{format_number((observed - reference) / abs(reference) * 100, 1, unit='%')}"
                      if reference else "—")
            text = _("{score}: {value} wobec mediany {median} ({change})").format(
                score=text, value=format_number(observed, 2),
                median=format_number(reference, 2), change=change)
        out.append(text)
    return out


def quality_rules(ctx: ReportContext) -> list[str]:
    """The data-quality rules with the catalogue's thresholds, in the report language."""
    settings = ctx.catalog.settings.data_quality
    outliers = settings.outliers

    def pct(value: float) -> str:
        return format_number(value, 0, unit="%")

    years = outliers.min_years
    if outliers.method == "mad":
        outlier_rule = _("Wartość odstająca: wartość roku na tle lat obszaru do tego roku, "
                         "zmodyfikowany wskaźnik z (mediana i odchylenie medianowe) powyżej "
                         "{z} co do modułu").format(z=format_number(outliers.threshold, 1))
    else:
        outlier_rule = _("Wartość odstająca: wartość roku poza płotami Tukeya ({f} × IQR) "
                         "lat obszaru do tego roku").format(
            f=format_number(outliers.iqr_factor, 1))
    outlier_rule += _(" i różna od mediany o co najmniej {pct} mediany; porównanie wymaga co "
                      "najmniej {years} — uwaga.").format(
        pct=pct(outliers.min_change_pct),
        years=n_(years, "{n} roku", "{n} lat", "{n} lat").format(n=years))
    return [
        _("Zwrot ankiet klientów = ankiety klientów / odbiorcy usługi w roku (liczba odbiorców "
          "ze sprawozdania); uwaga poniżej {u}, problem poniżej {p} albo powyżej 100 %.").format(
            u=pct(settings.response_rate.uwaga), p=pct(settings.response_rate.problem)),
        _("Braki odpowiedzi = pytania bez odpowiedzi (także „nie dotyczy”) / wszystkie pytania "
          "ankiety; uwaga powyżej {u}, problem powyżej {p}.").format(
            u=pct(settings.item_nonresponse.uwaga), p=pct(settings.item_nonresponse.problem)),
        _("Jednakowe odpowiedzi = respondenci, którzy na wszystkie pytania (co najmniej {k}) "
          "dali tę samą odpowiedź / oceniani respondenci; uwaga powyżej {u}, problem powyżej "
          "{p}. Grup z mniej niż {t} ocenianymi nie oceniamy (ochrona danych).").format(
            k=settings.straight_lining_min_items, u=pct(settings.straight_lining.uwaga),
            p=pct(settings.straight_lining.problem), t=ctx.threshold),
        _("Zduplikowany respondent: ta sama ankieta wpisana więcej niż raz — zawsze problem; "
          "powtórzenia trzeba usunąć przed liczeniem wyników."),
        _("Sumy sprawozdań finansowych: pozycja kosztów wpisana dwa razy albo wkład osobowy "
          "różny od godzin × stawki o więcej niż {tol} — problem; pozycja bez kosztu "
          "poniesionego — uwaga.").format(
            tol=format_number(settings.contribution_tolerance, 0, unit="zł")),
        _("Rezultat bez wartości osiągniętej w roku — uwaga."),
        outlier_rule,
    ]


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
