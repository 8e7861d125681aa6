"""The data-quality scorecard in reports and in ``wkus check``: labels, tables, rules, wording.

The scorecard is computed by :mod:`wkus_lib.evaluation.data_quality` (numbers and
statuses); this module words it: the table of a report's area
(:func:`show_quality_table`, shared by the on-going and ex-post reports), each
row's result (:func:`check_results`), the rules with the catalogue's thresholds
(:func:`quality_rules`) and the explanation of an outlier row
(:func:`outlier_explanation`, filled in by :func:`explain_outliers`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Final

import pandas as pd

from wkus_lib.catalog import Catalog
from wkus_lib.evaluation.data_quality import data_quality_scorecard, format_check_value
from wkus_lib.report.context import ReportContext, indicator_name
from wkus_lib.report.display import display_table, html_table
from wkus_lib.text.i18n import N_, _, n_
from wkus_lib.text.numbers import format_number
from wkus_lib.text.plural import plural

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


def outlier_explanation(label: str, observed: float, reference: float, years: int,
                        z_score: float, flagged: bool) -> str:
    """An outlier row in words (Polish, as ``wkus check`` prints it).

    ``label`` names the indicator, ``observed`` is the year's value,
    ``reference`` the median of the ``years`` compared, ``z_score`` the
    modified z; a flagged row asks to check the report.

    >>> outlier_explanation("E1", 9.52, 9.44, 5, 5.4, False).replace("\N{NO-BREAK SPACE}", " ")
    'E1: 9,52 wobec mediany 9,44 z 5 lat (+0,8 %, z = 5,40)'
    """
    return (f"{label}: {format_number(observed, 2)} wobec mediany {format_number(reference, 2)} "
            f"z {years} {plural(years, 'roku', 'lat', 'lat')} "
            f"({_signed_change(observed, reference)}, z = {format_number(z_score, 2)})"
            + ("; sprawdź sprawozdanie" if flagged else ""))


def _signed_change(observed: float, reference: float) -> str:
    """The difference from the median in % of it, signed; ``mediana 0`` when it cannot be."""
    if reference == 0.0:
        if observed == reference:
            return format_number(0.0, 1, unit="%")
        return "mediana 0"
    change = 100.0 * (observed - reference) / abs(reference)
    return ("+" if change > 0 else "") + format_number(change, 1, unit="%")


def explain_outliers(table: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The scorecard with the ``explanation`` of its outlier rows written out.

    Each outlier row names its indicator as the catalogue does (name and unit).
    """
    outliers = table["check"] == "outlier"
    if not outliers.any():
        return table
    rows = table[outliers]
    texts = [
        outlier_explanation(f"{catalog.indicator(scope).name_pl} [{catalog.indicator(scope).unit}]",
                            observed, reference, int(n), z_score, status != "ok")
        for scope, observed, reference, n, z_score, status in zip(
            rows["scope"], rows["observed"], rows["reference"], rows["n"], rows["z_score"],
            rows["status"], strict=True)
    ]
    explained = table.copy()
    explained.loc[outliers, "explanation"] = texts
    return explained
