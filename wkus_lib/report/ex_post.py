"""Ex-post (ocena końcowa) sections: the three models after the contract.

Findings are derived by stated rules from the indicator table, never written
freely: each rule names the indicator it reads. The recommendation rule is
:func:`wkus_lib.evaluation.ex_post.recommend`; this module words its record.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from wkus_lib.domain import ANNUAL_GRANT, MULTI_YEAR
from wkus_lib.evaluation.data_quality import status_counts
from wkus_lib.evaluation.ex_post import (
    KEY_INDICATORS,
    NO_RECOMMENDATION,
    RECOMMENDATION_RULES,
    Recommendation,
    RecommendationId,
    recommend,
)
from wkus_lib.evaluation.indicators import sroi_input_flows
from wkus_lib.intake.sroi import read_outcomes_file
from wkus_lib.metrics import sroi
from wkus_lib.metrics.reliability import reliability_report
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
    area_name,
    format_indicator_value,
    interval_text,
    latest,
    score_rows,
    year_modes,
    yearly,
)
from wkus_lib.report.data_quality import area_quality, show_quality_table
from wkus_lib.report.display import (
    display_table,
    html_table,
    show_figure,
    show_findings,
    show_heading,
    show_table,
    show_text,
)
from wkus_lib.report.missing import missing_data, missing_markdown
from wkus_lib.report.plots import core as plots
from wkus_lib.report.price_base import missing_index_note, real_label, real_values
from wkus_lib.report.stage_fit import skip_section, stage_mismatch
from wkus_lib.text.i18n import N_, _, current_language
from wkus_lib.text.numbers import format_number

QUALITY_SCORES = ("Q1", "Q2", "Q3", "Q4")
SUMMARY_INDICATORS = ("Q1", "Q3", "Q3R", "Q5", "Q6", "Q7", "TRI",
                      "E1", "E3", "E4", "E8", "E9", "E9R", "WC")
"""The summary page's scorecard: the key indicators of the three models (all are in the annex)."""


def _area_list(codes: str) -> str:
    return ", ".join(area_name(code) for code in str(codes).split(",") if code)  # type: ignore[arg-type]


def comparison(ctx: ReportContext) -> pd.Series | None:
    """E9's details for the report's area (before/after, comparison areas), if any."""
    table = ctx.inputs.comparison
    rows = table[(table["area"] == ctx.area) & (table["end_year"] == ctx.year)]
    return None if rows.empty else rows.iloc[0]


def findings(ctx: ReportContext) -> list[str]:
    """Three to five findings in plain language, each from a stated rule.

    Each number is read from the record a table of the report shows: the
    unit cost before and after, its change and E9 from the comparison table
    (:func:`comparison`), E3, Q1 and TRI from the scorecard.
    """
    out: list[str] = []
    details = comparison(ctx)
    if details is not None and not pd.isna(details["unit_cost_change_pct"]):
        change = float(details["unit_cost_change_pct"])
        text = _("Koszt obsługi jednego odbiorcy w latach kontraktu wieloletniego "
                 "({after}) był o {change} {direction} niż w latach dotacji rocznych "
                 "({before}; {prices}).").format(
            after=format_number(details["unit_cost_after"], 0, unit="zł"),
            before=format_number(details["unit_cost_before"], 0, unit="zł"),
            change=format_number(abs(change), 1, unit="%"),
            direction=_("niższy") if change < 0 else _("wyższy"),
            prices=real_label(ctx.catalog.price_index, ctx.year),
        )
        if details["method"] == "difference_in_differences":
            text += " " + _("W obszarach porównawczych gminy, które zostały przy dotacjach "
                            "rocznych ({areas}), koszt zmienił się w tym czasie o {comp}; "
                            "różnica różnic (E9) wynosi {did}.").format(
                areas=_area_list(details["comparison_areas"]),
                comp=format_number(details["comparison_unit_cost_change_pct"], 1, unit="%"),
                did=format_number(details["unit_cost_effect_pct"], 1, unit="%"),
            )
        out.append(text)
    rows = latest(ctx)
    if "E3" in rows.index and not pd.isna(rows.loc["E3", "value"]):
        out.append(_("Budżet zadania w {year} r. wykonano w {share}.").format(
            year=ctx.year, share=format_indicator_value(float(rows.loc["E3", "value"]), "%")))
    satisfaction = satisfaction_finding(ctx)
    if satisfaction:
        out.append(satisfaction)
    if "TRI" in rows.index and rows.loc["TRI", "status"] == "red":
        out.append(_("Samoocena realizatora jest o {gap} pkt wyższa niż ocena klientów "
                     "(TRI): warto sprawdzić, skąd ta różnica.").format(
            gap=format_number(rows.loc["TRI", "value"], 1)))
    return out


def show_summary(ctx: ReportContext) -> None:
    """The one-page summary: scorecard of the three models, the findings, the recommendation.

    A report whose area and year cannot be evaluated ex post
    (:func:`~wkus_lib.report.stage_fit.stage_mismatch`) says why and gives
    neither findings nor a recommendation.
    """
    show_heading(_("Podsumowanie"))
    mismatch = stage_mismatch(ctx)
    if mismatch:
        show_text(_("**Bez wniosków i bez rekomendacji.** {reason}").format(reason=mismatch))
        return
    present = set(latest(ctx).index)
    show_scorecard(ctx, [i for i in SUMMARY_INDICATORS if i in present])
    items = findings(ctx)
    if not items:
        items = [_capital(missing_data(_("wskaźniki ocenianego roku do wniosków"), "finance",
                                       "results", "beneficiaries", "survey_responses",
                                       year=ctx.year))]
    chosen = recommendation(ctx).rule
    if chosen == NO_RECOMMENDATION:
        items.append(_("Rekomendacji nie sformułowano: żaden z kluczowych wskaźników ({ids}) "
                       "nie ma oceny w {year} r.").format(ids=", ".join(KEY_INDICATORS),
                                                          year=ctx.year))
    else:
        items.append(_("Rekomendacja według reguł (rozdział „Rekomendacja”): {label}.").format(
            label=_(RECOMMENDATION_LABELS[chosen])))
    show_findings(items)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def show_quality(ctx: ReportContext) -> None:
    """Jakość: Q1–Q4 survey scores with n and 95 % intervals, small cells suppressed."""
    show_heading(_("Jakość usługi"))
    if skip_section(ctx):
        return
    show_text(_("Wyniki ankiet w skali 0–100 (przeliczenie odpowiedzi 1–5). Przy każdym wyniku "
                "podajemy liczbę odpowiedzi (n) i 95% przedział ufności. Wyniki z mniej niż "
                "{threshold} odpowiedzi są ukryte, aby chronić dane klientów.").format(
        threshold=ctx.threshold))
    rows = latest(ctx)
    ids = [i for i in QUALITY_SCORES if i in rows.index]
    if not ids:
        show_text(missing_markdown(_("ankiety klientów"), "survey_responses", year=ctx.year))
        return
    scores = score_rows(ctx, ids)
    show_figure(plots.scores_with_intervals(
        scores, title=_("Ocena usługi przez klientów, {year}").format(year=ctx.year),
        threshold=ctx.threshold,
        hidden_label=_("ukryte (mniej niż {threshold} odpowiedzi)"),
        missing_label=_("brak danych"),
        xlabel=_("wynik 0–100 (kreska: 95% przedział ufności)"),
    ))
    satisfaction = yearly(ctx, "Q1")
    table = pd.DataFrame({
        _("Rok"): satisfaction["year"],
        _("Zadowolenie (0–100)"): satisfaction["value"].where(~satisfaction["suppressed"]),
        "n": satisfaction["n"],
        _("95% przedział"): [interval_text(r) for _i, r in satisfaction.iterrows()],
        _("Uwagi"): [
            _("{mark}: mniej niż {threshold} odpowiedzi").format(
                mark=suppressed_mark(), threshold=ctx.threshold) if hidden else ""
            for hidden in satisfaction["suppressed"]
        ],
    })
    show_table(table, _("Zadowolenie klientów (Q1) w kolejnych latach"))
    show_criteria_matrix(ctx)
    show_reliability(ctx)
    show_comments(ctx)


def show_efficiency(ctx: ReportContext) -> None:
    """Efektywność: unit cost and budget execution by year, coloured by contract mode."""
    show_heading(_("Efektywność"))
    if skip_section(ctx):
        return
    show_text(_("Koszt jednostkowy to całkowity koszt zadania podzielony przez liczbę odbiorców. "
                "Kolor punktu pokazuje, czy w danym roku usługę finansowano dotacją roczną, czy "
                "kontraktem wieloletnim."))
    modes = year_modes(ctx)
    unit_cost = yearly(ctx, "E1").merge(modes, on="year")
    if unit_cost.empty:
        show_text(missing_markdown(_("koszt jednostkowy (E1)"), "finance", "beneficiaries"))
        return
    index = ctx.catalog.price_index
    real_cost = unit_cost.assign(
        value=real_values(unit_cost["value"], unit_cost["year"], index, ctx.year)).dropna(
        subset=["value"])
    if len(real_cost):
        show_figure(plots.yearly_by_mode(
            real_cost, title=_("Koszt jednostkowy (E1), {prices}").format(
                prices=real_label(index, ctx.year)),
            ylabel=_("zł na jednego odbiorcę"),
            mode_labels={MULTI_YEAR: _("kontrakt wieloletni"),
                         ANNUAL_GRANT: _("dotacja roczna")},
            xlabel=_("rok"),
        ))
    execution = yearly(ctx, "E3")[["year", "value"]].rename(columns={"value": "execution"})
    merged = unit_cost.merge(execution, on="year", how="left").merge(
        unreported_lines(ctx), on="year", how="left")
    nominal = _("Koszt jednostkowy, ceny bieżące [zł]")
    real = _("Koszt jednostkowy, {prices} [zł]").format(prices=real_label(index, ctx.year))
    unreported = _("Pozycje planu bez kosztu poniesionego")
    table = pd.DataFrame({
        _("Rok"): merged["year"],
        _("Tryb"): merged["mode"].map({MULTI_YEAR: _("kontrakt wieloletni"),
                                       ANNUAL_GRANT: _("dotacja roczna")}),
        nominal: merged["value"],
        real: real_values(merged["value"], merged["year"], index, ctx.year),
        _("Wykonanie budżetu"): merged["execution"],
        unreported: merged["unreported_lines"].fillna(0).astype("int64"),
    })
    show_table(table, _("Koszt jednostkowy i wykonanie budżetu w kolejnych latach"), formats={
        nominal: lambda v: format_number(v, 0),
        real: lambda v: format_number(v, 0),
        _("Wykonanie budżetu"): lambda v: format_number(v, 1, unit="%"),
    })
    notes = [_("Wykonanie budżetu (E3): koszty poniesione / wszystkie pozycje planu; pozycja "
               "bez wykazanego kosztu poniesionego zostaje w planie (0 zł wydatków) i jest "
               "policzona w ostatniej kolumnie — warto ją uzupełnić w sprawozdaniu.")]
    gap = missing_index_note(index.missing(merged["year"]))
    if gap:
        notes.append(gap)
    show_text(" ".join(notes))
    contest_gaps = years_without_contest_cost(ctx)
    if contest_gaps:
        show_text(missing_markdown(
            _("koszt konkursu (kalkulacja gminy) za {years} r.; bez niego oszczędność E8 to "
              "„brak danych”, nie średnia z innych lat").format(
                years=", ".join(str(y) for y in contest_gaps)), "procedure_costs"))


def years_without_contest_cost(ctx: ReportContext) -> list[int]:
    """Years of the evaluated contract (E8's years) without the gmina's contest cost."""
    table = ctx.inputs.comparison
    row = table[(table["area"] == ctx.area) & (table["end_year"] == ctx.year)]
    if row.empty:
        return []
    known = set(ctx.store.procedure_costs["year"].astype(int))
    first = int(row["first_multi_year"].iloc[0])
    return [y for y in range(first, ctx.year + 1) if y not in known]


def unreported_lines(ctx: ReportContext) -> pd.DataFrame:
    """year, unreported_lines: planned cost lines of the area without an actual cost, per year."""
    report = ctx.inputs.unit_report
    rows = report[report["area"] == ctx.area]
    return rows[["year", "unreported_lines"]].reset_index(drop=True)


def show_multi_year_vs_annual(ctx: ReportContext) -> None:
    """E9/E9R: the contract period against the annual-grant baseline (and comparison areas)."""
    show_heading(_("Kontrakt wieloletni a dotacje roczne"))
    if skip_section(ctx):
        return
    details = comparison(ctx)
    if details is None:
        show_text(missing_markdown(_("lata dotacji rocznych przed kontraktem z kosztami i "
                                     "odbiorcami (porównanie niemożliwe)"), "contracts",
                                   "finance", "beneficiaries"))
        return
    did = details["method"] == "difference_in_differences"
    parts = [
        _("Porównujemy lata dotacji rocznych przed ocenianym kontraktem ({before}) z latami "
          "tego kontraktu ({after}); koszt jednostkowy w cenach stałych z {base} r.").format(
            before=details["before_period"] or "—", after=details["after_period"] or "—",
            base=int(details["price_base_year"])),
        _("Obszary porównawcze — inne obszary gminy finansowane w każdym z tych lat dotacjami "
          "rocznymi: {areas}. Różnica różnic odejmuje od zmiany w ocenianym obszarze średnią "
          "zmianę w obszarach porównawczych w tych samych latach; ich inne lata nie są "
          "używane.").format(areas=_area_list(details["comparison_areas"]
                                              or details["comparison_areas_achievement"]))
        if did else _("Gmina nie ma obszaru finansowanego dotacjami rocznymi we wszystkich "
                      "tych latach: to porównanie przed i po, które nie oddziela efektu "
                      "kontraktu od zmian w czasie."),
    ]
    if details["partial_comparison_areas"]:
        parts.append(_("Pominięte, bo nie we wszystkich tych latach miały dotacje roczne z "
                       "danymi: {areas}.").format(
            areas=_area_list(details["partial_comparison_areas"])))
    unpriced = _years_of(str(details["unpriced_years"]))
    if unpriced:
        parts.append(_("Pominięte w porównaniu kosztów (w obu obszarach): {years} r.").format(
            years=details["unpriced_years"]) + " " + (missing_index_note(unpriced) or ""))
    show_text(" ".join(parts))
    show_comparison_table(details)
    show_text(_("Zmiany kosztu w %, zmiany osiągnięcia rezultatów w punktach procentowych. "
                "E9 liczymy z kosztu w cenach stałych; wiersz w cenach bieżących pokazuje, "
                "ile ze zmiany to wzrost cen."))


def _years_of(text: str) -> list[int]:
    """The years of a compact list such as ``2016–2019, 2024`` (:func:`efficiency.years_text`)."""
    years: list[int] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        first, _dash, last = part.partition("–")
        years.extend(range(int(first), int(last or first) + 1))
    return years


COMPARISON_ROWS = (
    (N_("Koszt jednostkowy, ceny stałe"),
     ("unit_cost_before", "unit_cost_after", "unit_cost_change_pct",
      "comparison_unit_cost_change_pct", "unit_cost_effect_pct"),
     ("zł", "zł", "%", "%", "%")),
    (N_("Koszt jednostkowy, ceny bieżące"),
     ("unit_cost_before_nominal", "unit_cost_after_nominal", "unit_cost_change_pct_nominal",
      "", ""),
     ("zł", "zł", "%", "%", "%")),
    (N_("Osiągnięcie rezultatów"), ("achievement_before", "achievement_after",
                                    "achievement_change", "comparison_achievement_change",
                                    "achievement_effect"),
     ("%", "%", "pkt proc.", "pkt proc.", "pkt proc.")),
)
"""The comparison table: a row per measure, the fields of E9's details ("": none) and units."""
COMPARISON_COLUMNS = (N_("Dotacje roczne"), N_("Kontrakt wieloletni"), N_("Zmiana"),
                      N_("Zmiana w obszarach porównawczych"), N_("Efekt (E9, E9R)"))


def show_comparison_table(details: pd.Series) -> None:
    """E9's details as a table, every value with its unit (zł, %, pkt proc.)."""
    measure = _("Miara")
    raw = pd.DataFrame({measure: [_(label) for label, _f, _u in COMPARISON_ROWS]})
    cells: dict[str, list[str]] = {measure: [html.escape(v) for v in raw[measure]]}
    for k, column in enumerate(COMPARISON_COLUMNS):
        values = [details[fields[k]] if fields[k] else None for _l, fields, _u in COMPARISON_ROWS]
        raw[_(column)] = [None if v is None or pd.isna(v) else float(v) for v in values]
        cells[_(column)] = [format_indicator_value(v, units[k]) for v, (_l, _f, units)
                            in zip(values, COMPARISON_ROWS, strict=True)]
    display_table(html_table(cells, {_(c) for c in COMPARISON_COLUMNS}), raw,
                  _("Porównanie: kontrakt wieloletni i dotacje roczne (ceny stałe {year} r.)")
                  .format(year=int(details["price_base_year"])))


CRITERIA = {
    "satysfakcja": N_("satysfakcja"),
    "adekwatnosc": N_("adekwatność"),
    "skutecznosc": N_("skuteczność"),
    "podmiotowosc": N_("podmiotowość i humanitarność"),
}
PERSPECTIVES = {"klient": N_("klienci"), "personel": N_("personel"),
                "usluga": N_("samoocena realizatora")}
SELF_ASSESSMENT = "usluga"  # the provider's own answers: not personal data, never suppressed


def criteria_matrix(ctx: ReportContext) -> pd.DataFrame:
    """Criteria × perspectives scores (0–100) of the evaluation year; small groups hidden.

    Client and staff scores from fewer than ``ctx.threshold`` respondents are
    NA (personal data); the provider's self-assessment is one institutional
    answer and is shown as it is.
    """
    scores = ctx.inputs.service_scores
    unit = scores[(scores["area"] == ctx.area) & (scores["year"] == ctx.year)]
    visible = unit["value"].where(
        (unit["perspective"] == SELF_ASSESSMENT) | (unit["n"] >= ctx.threshold))
    unit = unit.assign(value=visible)
    matrix = unit.pivot_table(index="criterion", columns="perspective", values="value",
                              aggfunc="mean", dropna=False)
    return matrix.reindex(index=list(CRITERIA), columns=list(PERSPECTIVES))


def show_criteria_matrix(ctx: ReportContext) -> None:
    """The criteria × perspectives matrix and the triangulation reading."""
    show_heading(_("Kryteria jakości z trzech perspektyw"), level=3)
    matrix = criteria_matrix(ctx)
    table = pd.DataFrame({_("Kryterium"): [_(CRITERIA[c]) for c in matrix.index]})
    for perspective, label in PERSPECTIVES.items():
        table[_(label)] = matrix[perspective].to_numpy()
    show_table(table, _("Wyniki 0–100 według kryterium i perspektywy, {year}").format(
        year=ctx.year))
    show_text(_("Puste pole: brak ankiet albo mniej niż {threshold} odpowiedzi. Samoocena "
                "wyraźnie wyższa niż ocena klientów (o ponad 15 pkt) sygnalizuje zawyżoną "
                "samoocenę.").format(threshold=ctx.threshold))


def reliability_panel(ctx: ReportContext) -> pd.DataFrame:
    """Cronbach's α of each client-survey criterion scale, answers pooled over all years.

    Pooling the years gives enough respondents for a stable α; below the
    catalogue's minimum the verdict says so instead of giving a number.
    """
    items = ctx.inputs.survey_items
    items = items[items["instrument"] == "klient"]
    answers = ctx.store.survey_responses
    answers = answers[(answers["area"] == ctx.area) & (answers["instrument"] == "klient")]
    minimum = ctx.catalog.settings.reliability.min_respondents
    records = []
    for criterion, scale in items.groupby("criterion", sort=False):
        if len(scale) < 2:
            continue
        # One row per respondent, one column per item: the first answer given (repeats ignored).
        scale_answers = answers[answers["item_id"].isin(scale["item_id"])]
        item_answers = scale_answers.groupby(["year", "respondent_id", "item_id"])["answer"].first()
        wide = item_answers.dropna().unstack("item_id")
        wide = wide.reindex(columns=list(scale["item_id"])).astype(float)
        for item in scale[scale["reverse"]]["item_id"]:
            wide[item] = 6 - wide[item]
        report = reliability_report(wide, min_respondents=minimum)
        weak = report.items.index[report.items["low_correlation"]].tolist()
        records.append({
            _("Skala"): _(CRITERIA.get(str(criterion), str(criterion))),
            _("Pozycje"): report.n_items,
            "n": report.n_respondents,
            "α": report.alpha,
            _("95% przedział"): "—" if pd.isna(report.ci_low) else
            f"{format_number(report.ci_low, 2)}–{format_number(report.ci_high, 2)}",
            _("Ocena rzetelności"): report.verdict,
            _("Pozycje o niskiej korelacji"): ", ".join(weak) or "—",
        })
    return pd.DataFrame.from_records(records)


def show_reliability(ctx: ReportContext) -> None:
    """The reliability panel of the client survey (Cronbach's α with a 95 % interval)."""
    show_heading(_("Rzetelność ankiety klientów"), level=3)
    panel = reliability_panel(ctx)
    if panel.empty:
        show_text(_("_Brak skal z co najmniej dwiema pozycjami._"))
        return
    show_table(panel, _("Alfa Cronbacha skal ankiety klientów (wszystkie lata razem)"),
               formats={"α": lambda v: format_number(v, 2)})
    show_text(_("α ≥ 0,70 akceptowalna, ≥ 0,80 dobra, > 0,95 możliwe zbędne pozycje; pozycje o "
                "skorygowanej korelacji z resztą skali < 0,30 warto przejrzeć."))


RECOMMENDATION_LABELS: dict[RecommendationId, str] = {
    "stop": N_("zakończyć (nie przedłużać kontraktu)"),
    "modify": N_("kontynuować ze zmianami"),
    "continue": N_("kontynuować"),
}
"""The recommendations in words (Polish source; the programme prints them as they are)."""
RULE_TEXTS: dict[RecommendationId, str] = {
    "stop": N_("jakość i efektywność jednocześnie źle: satysfakcja klientów (Q1) lub osiągnięcie "
               "rezultatów (Q3R) „źle” oraz koszt po przejściu na kontrakt (E9) „źle”"),
    "modify": N_("co najmniej jeden z wskaźników Q1, Q3R, Q6, Q7, E3, E9, TRI „źle” albo co "
                 "najmniej trzy „uwaga”"),
    "continue": N_("żadna z powyższych reguł nie zachodzi"),
}
"""Each rule of :data:`~wkus_lib.evaluation.ex_post.RECOMMENDATION_RULES` in words."""


def recommendation(ctx: ReportContext) -> Recommendation:
    """:func:`~wkus_lib.evaluation.ex_post.recommend` for the report's area and year.

    No recommendation when the area and year cannot be evaluated ex post.
    """
    if stage_mismatch(ctx):
        return Recommendation(NO_RECOMMENDATION)
    rows = latest(ctx)
    return recommend({str(i): str(s) for i, s in rows["status"].items()})


def show_recommendation(ctx: ReportContext) -> None:
    """The recommendation and the rule that produced it (never free text)."""
    show_heading(_("Rekomendacja"))
    verdict = recommendation(ctx)
    chosen = verdict.rule
    if chosen == NO_RECOMMENDATION:
        reason = stage_mismatch(ctx) or missing_data(
            _("oceny kluczowych wskaźników ({ids}) w {year} r.").format(
                ids=", ".join(KEY_INDICATORS), year=ctx.year),
            "finance", "results", "beneficiaries", "survey_responses", year=ctx.year)
        show_text(_("**Rekomendacji nie sformułowano.** {reason}").format(reason=reason))
        return
    rules = pd.DataFrame({
        _("Rekomendacja"): [_(RECOMMENDATION_LABELS[r]) for r in RECOMMENDATION_RULES],
        _("Reguła"): [_(RULE_TEXTS[r]) for r in RECOMMENDATION_RULES],
        _("Spełniona"): [_("tak") if r == chosen else "" for r in RECOMMENDATION_RULES],
    })
    show_text(_("**Rekomendacja: {label}.** Podstawa: {evidence}.").format(
        label=_(RECOMMENDATION_LABELS[chosen]),
        evidence=", ".join(verdict.evidence) or _("brak wskaźników „źle” i „uwaga” wśród "
                                                  "kluczowych")))
    show_table(rules, _("Reguły rekomendacji (sprawdzane po kolei)"))


SENSITIVITY_LABELS = {
    "base": N_("wariant podstawowy"),
    "deadweight": N_("deadweight (co stałoby się i tak)"),
    "attribution": N_("atrybucja (udział innych)"),
    "drop_off": N_("spadek efektu w kolejnych latach"),
    "discount_rate": N_("stopa dyskontowa"),
}


def read_sroi_outcomes(path: str | Path, ctx: ReportContext) -> pd.DataFrame:
    """The user's SROI outcomes for this gmina and area (UTF-8 CSV, decimal point).

    Columns: :data:`wkus_lib.metrics.sroi.OUTCOME_COLUMNS`, optionally
    ``teryt`` and ``area`` to keep several gminy in one file (rows of other
    gminy or areas are ignored). Raises :class:`InputError` for a missing
    file, missing columns or shares outside 0–1.
    """
    frame = read_outcomes_file(path)
    if "teryt" in frame.columns:
        frame = frame[frame["teryt"] == ctx.gmina.teryt]
    if "area" in frame.columns:
        frame = frame[frame["area"] == ctx.area]
    if "year" in frame.columns:
        frame = frame[frame["year"].isna() | (frame["year"] == ctx.year)]
    columns = [*sroi.OUTCOME_COLUMNS,
               *([sroi.START_YEAR_COLUMN] if sroi.START_YEAR_COLUMN in frame.columns else [])]
    return frame[columns].reset_index(drop=True)


def show_sroi(ctx: ReportContext, sroi_file: str = "", discount_rate: float | None = None) -> None:
    """E10 SROI with its sensitivity table, only when the evaluator supplied proxies.

    ``discount_rate`` None: the catalogue's ``settings.sroi.discount_rate``.
    """
    show_heading(_("Społeczny zwrot z inwestycji (SROI)"))
    if not sroi_file:
        show_text(_("SROI nie jest liczony: wymaga wartości przybliżających (proxy) efektów, "
                    "których narzędzie nie dostarcza. Aby go policzyć, podaj plik CSV z "
                    "kolumnami {columns} opcją `--sroi-file` polecenia `wkus report` (np. "
                    "`wkus report --stage ex_post --sroi-file sroi.csv`).").format(
            columns=", ".join(sroi.OUTCOME_COLUMNS)))
        return
    if stage_mismatch(ctx):
        show_text(_("SROI nie jest liczony: ten raport nie ocenia kontraktu (zob. stronę "
                    "tytułową)."))
        return
    outcomes = read_sroi_outcomes(sroi_file, ctx)
    if outcomes.empty:
        show_text(_("_Plik SROI nie ma efektów dla tej gminy i obszaru._"))
        return
    settings = ctx.catalog.settings.sroi
    rate = settings.discount_rate if discount_rate is None else discount_rate
    flows = sroi_input_flows(ctx.inputs, ctx.gmina.teryt, str(ctx.area), ctx.year)
    first, last = int(flows.index[0]), int(flows.index[-1])
    gaps = [str(year) for year in flows.index[flows.isna()]]
    if gaps:
        show_text(_("SROI nie jest liczony: brak kosztów poniesionych za lata {years} umowy — "
                    "dodaj sprawozdanie finansowe za te lata i zaimportuj ponownie.").format(
            years=", ".join(gaps)))
        return
    result = sroi.sroi(outcomes, flows, discount_rate=rate, first_year=first)
    show_text(_("SROI = {ratio} zł wartości społecznej na 1 zł nakładów (wartość bieżąca efektów "
                "{pv_out}, nakładów {pv_in}; stopa dyskontowa {rate} %).").format(
        ratio=format_number(result.ratio, 2),
        pv_out=format_number(result.pv_outcomes, 0, unit="zł"),
        pv_in=format_number(result.pv_inputs, 0, unit="zł"),
        rate=format_number(rate * 100, 1)))
    source = (settings.discount_rate_source_en if current_language() == "en"
              else settings.discount_rate_source_pl)
    show_text(sroi_method_note(first, last, rate, source,
                               catalogue_rate=settings.discount_rate))
    sensitivity = sroi.sroi_sensitivity(outcomes, flows, discount_rate=rate, first_year=first,
                                        discount_rates=settings.sensitivity_discount_rates)
    table = pd.DataFrame({
        _("Założenie"): [_(SENSITIVITY_LABELS[p]) for p in sensitivity["parameter"]],
        _("Zmiana"): sensitivity["change"],
        "SROI": sensitivity["sroi"],
    })
    show_table(table, _("Wrażliwość SROI na założenia"), formats={
        _("Zmiana"): lambda v: format_number(v, 2), "SROI": lambda v: format_number(v, 2)})


def sroi_method_note(first: int, last: int, rate: float, source: str, *,
                     catalogue_rate: float) -> str:
    """How E10 was computed: the contract years, what is discounted, the rate and its source."""
    inputs = (_("nakłady roku {first} liczone według wartości poniesionej (bez dyskonta), "
                "nakłady lat {second}–{last} dyskontowane na początek umowy").format(
                  first=first, second=first + 1, last=last) if last > first else
              _("nakłady roku {first} liczone według wartości poniesionej (bez dyskonta)").format(
                  first=first))
    origin = (_("stopa {rate} % z katalogu: {source}").format(
                  rate=format_number(rate * 100, 1), source=source)
              if rate == catalogue_rate else
              _("stopa {rate} % podana przy uruchomieniu (w katalogu {default} %: "
                "{source})").format(rate=format_number(rate * 100, 1),
                                    default=format_number(catalogue_rate * 100, 1),
                                    source=source))
    return _("Metoda: oceniana umowa {first}–{last}; {inputs}; efekty dyskontowane od końca "
             "każdego roku, w którym trwają; efekt bez roku rozpoczęcia (start_year) zaczyna "
             "się w {first} r.; {origin}.").format(
        first=first, last=last, inputs=inputs, origin=origin)


def show_appendix(ctx: ReportContext) -> None:
    """All indicators of the stage, the methods appendix (shared), data quality of the contract."""
    show_heading(_("Wszystkie wskaźniki"))
    show_scorecard(ctx)
    show_methods(ctx)
    show_contract_data_quality(ctx)


def show_contract_data_quality(ctx: ReportContext) -> None:
    """Compact data-quality scorecard: the checks with remarks over the contract's years."""
    show_heading(_("Jakość danych w latach kontraktu"), level=3)
    contracts = area_contracts(ctx)
    multi = contracts[(contracts["mode"] == MULTI_YEAR) & (contracts["start_year"] <= ctx.year)]
    start = int(multi["start_year"].min()) if len(multi) else ctx.year
    rows = area_quality(ctx, years=range(start, ctx.year + 1))
    remarks = rows[rows["status"] != "ok"]
    counts = status_counts(rows)
    show_text(_("Kontrole jakości danych z lat {start}–{end}: {problems} z oceną „problem”, "
                "{remarks} z oceną „uwaga”, {fine} bez zastrzeżeń (zasady jak w ocenie "
                "bieżącej; progi w katalogu wskaźników).").format(
        start=start, end=ctx.year, problems=counts["problem"], remarks=counts["uwaga"],
        fine=counts["ok"]))
    if len(remarks):
        show_quality_table(ctx, remarks, _("Kontrole z uwagami i problemami"),
                                    with_year=True)
