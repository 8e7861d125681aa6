"""Report parts every stage shares: title page, scorecard, methods appendix."""

from __future__ import annotations

import html
import platform
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from wkus_lib.catalog import Catalog
from wkus_lib.domain import (
    BENCHMARK,
    EX_ANTE,
    EX_POST,
    GMINA_OVERVIEW,
    MULTI_YEAR,
    ON_GOING,
    REGISTRY_SOURCE,
)
from wkus_lib.report.context import (
    ReportContext,
    area_contracts,
    area_name,
    format_indicator_value,
    indicator_formula,
    indicator_name,
    indicator_unit,
    interval_text,
    latest,
    stage_indicators,
)
from wkus_lib.report.display import (
    display_table,
    html_table,
    show_heading,
    show_html,
    show_table,
    show_text,
)
from wkus_lib.report.methods import agreeing_groups, agreeing_groups_text, method_notes
from wkus_lib.report.missing import REPORT_TABLES, SOURCES, data_sources, missing_markdown
from wkus_lib.report.outputs import SYNTHETIC_BANNER
from wkus_lib.report.price_base import price_base_text
from wkus_lib.report.stage_fit import skip_section, stage_mismatch
from wkus_lib.report.style import STATUS_LABELS, status_label
from wkus_lib.store import Store
from wkus_lib.text.i18n import N_, _
from wkus_lib.text.numbers import format_number

MODEL_LABELS = {"jakosc": N_("Jakość"), "efektywnosc": N_("Efektywność"),
                "wspolpraca": N_("Współpraca")}
MISMATCH_STYLE = "border: 2px solid #b2182b; padding: 0.5em 0.8em; margin: 0.6em 0;"
"""The box of a report whose stage does not fit its area and year (:mod:`.stage_fit`)."""
REPORT_TITLES = {
    EX_ANTE: N_("Ocena wstępna (ex ante)"),
    ON_GOING: N_("Ocena bieżąca (on-going)"),
    EX_POST: N_("Ocena końcowa (ex post)"),
    GMINA_OVERVIEW: N_("Przegląd gminy: wszystkie obszary"),
    BENCHMARK: N_("Porównanie gmin"),
}


def suppressed_mark() -> str:
    """What a hidden value shows instead of a number."""
    return _("ukryte")


def synthetic_banner_html(store: Store) -> str:
    """The DANE SYNTETYCZNE banner for a store of demo data; nothing for real data."""
    if not store.synthetic:
        return ""
    text = _(SYNTHETIC_BANNER)
    return f'<div class="synthetic-banner">{html.escape(text)}</div>'


def show_versions(store: Store, store_dir: Path | None = None) -> None:
    """Data sources (the store folder and version, the gmina register) and software versions."""
    versions = pd.DataFrame.from_records([
        *([{_("Składnik"): _("magazyn danych"), _("Wersja"): str(store_dir)}] if store_dir else []),
        {_("Składnik"): _("skrót danych (SHA-256)"), _("Wersja"): store.data_hash},
        {_("Składnik"): _("rejestr gmin"), _("Wersja"): REGISTRY_SOURCE},
        {_("Składnik"): "Python", _("Wersja"): platform.python_version()},
        *({_("Składnik"): name, _("Wersja"): version(name)}
          for name in ("wkus", "pandas", "matplotlib", "papermill", "nbconvert", "weasyprint")),
    ])
    show_table(versions, _("Źródło danych i wersje oprogramowania"))


def show_title(ctx: ReportContext) -> None:
    """Title block; a DANE SYNTETYCZNE banner when the store holds demo data."""
    banner = synthetic_banner_html(ctx.store)
    contracts = area_contracts(ctx)
    multi = contracts[contracts["mode"] == MULTI_YEAR]
    shown = multi if len(multi) else contracts[contracts["start_year"] <= ctx.year]
    period = (
        f"{int(shown['start_year'].min())}–{int(shown['end_year'].max())}" if len(shown) else "—"
    )
    ngos = ", ".join(sorted(set(shown["ngo_name"]))) or "—"
    where = _("Gmina {name} (TERYT {teryt}, powiat {powiat})").format(
        name=ctx.gmina.name, teryt=ctx.gmina.teryt, powiat=ctx.gmina.powiat)
    scope = area_name(ctx.area) if ctx.area else _("wszystkie obszary")
    funding = (_("Kontrakt wieloletni: {period} · realizator: {ngos} · rok oceny: {year}")
               if len(multi) else
               _("Dotacje roczne: {period} · realizatorzy: {ngos} · rok oceny: {year}"))
    contract = funding.format(period=period, ngos=ngos, year=ctx.year)
    mismatch = stage_mismatch(ctx)
    lead = _("Ten raport nie może ocenić wybranego obszaru i roku.")
    warning = (f'<div class="stage-mismatch" style="{MISMATCH_STYLE}"><strong>'
               f"{html.escape(lead)}</strong> {html.escape(mismatch)}</div>" if mismatch else "")
    show_html(
        f"{banner}<h1>{html.escape(_(REPORT_TITLES[ctx.stage]))}</h1>"
        f'<p class="subtitle">{html.escape(where)} · {html.escape(scope)}</p>'
        f'<p class="subtitle">{html.escape(contract)}</p>{warning}'
    )


def scorecard(ctx: ReportContext, indicator_ids: Sequence[str] | None = None, *,
              year: int | None = None) -> pd.DataFrame:
    """The summary table with raw values: indicator, model, value, n, interval, target, status.

    ``year``: another year than the report's (an ex-ante baseline year).
    """
    rows = latest(ctx, year=year)
    records = []
    for indicator in indicator_ids or stage_indicators(ctx):
        row = rows.loc[indicator]
        meta = ctx.catalog.indicator(indicator)
        hidden = bool(row["suppressed"])
        records.append(
            {
                _("Wskaźnik"): f"{indicator} {indicator_name(meta)}",
                _("Model"): _(MODEL_LABELS[meta.model]),
                _("Wartość"): None if hidden or pd.isna(row["value"]) else float(row["value"]),
                _("Jednostka"): indicator_unit(meta),
                "n": None if pd.isna(row["n"]) else int(row["n"]),
                _("95% przedział"): interval_text(row),
                _("Cel"): None if pd.isna(row["target"]) else float(row["target"]),
                _("Ocena"): status_label(row["status"]),
                _("Ukryte"): hidden,
            }
        )
    return pd.DataFrame.from_records(records)


def show_scorecard(ctx: ReportContext, indicator_ids: Sequence[str] | None = None, *,
                   year: int | None = None) -> None:
    """The summary scorecard with traffic lights as text labels, not colour alone."""
    card = scorecard(ctx, indicator_ids, year=year)
    if card.empty and skip_section(ctx):
        return
    if card.empty:
        tables = REPORT_TABLES.get(str(ctx.stage), ())
        show_text(missing_markdown(_("wskaźniki za {year} r.").format(
            year=ctx.year if year is None else year), *[t for t in tables if t != "contracts"],
            year=ctx.year if year is None else year))
        return
    value, unit, hidden, target = _("Wartość"), _("Jednostka"), _("Ukryte"), _("Cel")
    shown = card.drop(columns=[unit, hidden])
    shown[value] = [
        suppressed_mark() if h else format_indicator_value(v, u)
        for v, u, h in zip(card[value], card[unit], card[hidden], strict=True)
    ]
    shown[target] = [format_indicator_value(v, u) for v, u in zip(card[target], card[unit],
                                                                   strict=True)]
    shown["n"] = ["—" if v is None or pd.isna(v) else format_number(v, 0) for v in card["n"]]
    for column in (_("Wskaźnik"), _("Model")):
        shown[column] = [html.escape(str(v)) for v in card[column]]
    status_class = {status_label(key): key for key in STATUS_LABELS}
    grade = _("Ocena")
    shown[grade] = [
        f'<span class="tl tl-{status_class[s]}">{html.escape(s)}</span>' for s in card[grade]
    ]
    numeric = {value, "n", _("95% przedział"), target}
    display_table(
        html_table({c: list(shown[c]) for c in shown.columns}, numeric, "wkus-table scorecard"),
        card, _("Karta wyników"),
    )


def show_methods(ctx: ReportContext, indicator_ids: Sequence[str] | None = None) -> None:
    """Methods appendix: definitions, suppression log, data source hash, versions."""
    show_heading(_("Aneks metodologiczny"))
    ids = list(indicator_ids or stage_indicators(ctx))
    definitions = pd.DataFrame.from_records(
        [
            {
                _("Wskaźnik"): i,
                _("Nazwa"): indicator_name(ctx.catalog.indicator(i)),
                _("Jednostka"): indicator_unit(ctx.catalog.indicator(i)),
                _("Wzór"): indicator_formula(ctx.catalog.indicator(i)),
            }
            for i in ids
        ]
    )
    show_table(definitions, _("Definicje wskaźników (z katalogu)"), breakable=True)
    show_method_notes(ctx.catalog, ctx.threshold, ctx.indicators)
    show_text(price_base_text(ctx.catalog.price_index, ctx.year))
    hidden = ctx.indicators[ctx.indicators["suppressed"]]
    hidden = hidden.drop_duplicates(["area", "indicator", "year"])
    log = pd.DataFrame({
        _("Obszar"): [area_name(a) if pd.notna(a) else _("cała gmina")
                      for a in hidden["area"]],
        _("Wskaźnik"): hidden["indicator"],
        _("Rok"): hidden["year"],
        _("Powód"): _("mniej niż {threshold} odpowiedzi (ochrona danych)").format(
            threshold=ctx.threshold),
    })
    if log.empty:
        show_text(_("Żadna wartość nie została ukryta."))
    else:
        show_table(log, _("Rejestr ukrytych wartości (małe liczebności)"))
    show_data_sources(ctx.store, REPORT_TABLES.get(str(ctx.stage), tuple(SOURCES)),
                      teryt=ctx.gmina.teryt, area=ctx.area, year=ctx.year)
    show_versions(ctx.store, ctx.store_dir)


def show_method_notes(catalog: Catalog, threshold: int,
                      indicators: pd.DataFrame | None = None) -> None:
    """The methods the numbers rest on (:mod:`wkus_lib.report.methods`), values from the catalogue.

    With the report's ``indicators`` (one gmina), the values shown without an
    interval because all answers agreed are named.
    """
    show_table(method_notes(catalog, threshold), _("Metody"), breakable=True)
    agreeing = None if indicators is None else agreeing_groups_text(
        agreeing_groups(indicators, catalog))
    if agreeing:
        show_text(agreeing)


def show_data_sources(store: Store, tables: Sequence[str], *, teryt: str | None,
                      area: str | None, year: int) -> None:
    """The data the report read: rows and years per table, and what is missing."""
    sources = data_sources(store, tables, teryt=teryt, area=area, year=year)
    frame = pd.DataFrame({
        _("Dane"): sources["name"],
        _("Wiersze"): sources["rows"],
        _("Lata"): sources["years"],
        _("Braki"): [m or "—" for m in sources["missing"]],
    })
    show_table(frame, _("Dane, z których powstał raport (do {year} r.)").format(year=year))


def satisfaction_finding(ctx: ReportContext, year: int | None = None) -> str | None:
    """Client satisfaction (Q1) of the year as a finding, or why it is hidden; None if absent."""
    rows = latest(ctx, year=year)
    year = ctx.year if year is None else year
    if "Q1" not in rows.index:
        return None
    q1 = rows.loc["Q1"]
    if bool(q1["suppressed"]):
        return _("Zadowolenie klientów w {year} r. nie jest pokazane: odpowiedziało mniej niż "
                 "{threshold} osób (ochrona danych).").format(year=year,
                                                              threshold=ctx.threshold)
    if pd.isna(q1["value"]):
        return None
    return _("Zadowolenie klientów w {year} r.: {value} pkt na 100 (n = {n}, 95% przedział "
             "{interval}).").format(year=year, value=format_number(q1["value"], 1),
                                    n=int(q1["n"]), interval=interval_text(q1))
