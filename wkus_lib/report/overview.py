"""Gmina overview (przegląd gminy): every area of one gmina on one page, then cooperation.

The report reads only its own gmina (:func:`~wkus_lib.report.context.open_report`
with ``area=None``, built on :meth:`~wkus_lib.store.Store.for_gmina`). Parts:

1. a traffic-light matrix, area × key indicators (:data:`KEY_INDICATORS`),
   with the contract mode of each area and the status as a text label in
   every cell (the ✔/▲/✖ symbols come from the CSS classes);
2. findings, each from a stated rule (:data:`FINDING_RULES`);
3. the cooperation model (gmina-level W1–W6, WC, WGAP): a bar figure with n
   and intervals, a table, and the trend over the years;
4. the methods appendix.

Builders (:func:`traffic_light_matrix`, :func:`cooperation_rows`,
:func:`findings`; the funding modes come from
:func:`wkus_lib.evaluation.contracts.contract_modes`) are pure and return
frames or texts; ``show_*`` functions only display.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from typing import Final

import pandas as pd

from wkus_lib.domain import AREA_IDS, EX_ANTE, EX_POST, MULTI_YEAR, ON_GOING
from wkus_lib.evaluation.contracts import contract_modes
from wkus_lib.report.common import show_methods, suppressed_mark
from wkus_lib.report.context import (
    MODE_LABELS,
    ReportContext,
    area_name,
    format_indicator_value,
    indicator_name,
    indicator_unit,
    interval_text,
)
from wkus_lib.report.display import (
    display_table,
    html_table,
    show_figure,
    show_findings,
    show_heading,
    show_html,
    show_table,
    show_text,
    soft_hyphens,
)
from wkus_lib.report.missing import missing_markdown
from wkus_lib.report.plots import compare as plots_compare
from wkus_lib.report.style import STATUS_COLOURS, status_label
from wkus_lib.text.i18n import N_, _
from wkus_lib.text.numbers import format_number

KEY_INDICATORS: Final[tuple[str, ...]] = ("Q1", "Q3R", "Q6", "Q7", "E1", "E3", "E4", "E9")
"""Columns of the traffic-light matrix (an indicator absent from an area is 'not applicable')."""
COOPERATION_AREAS: Final[tuple[str, ...]] = ("W1", "W2", "W3", "W4", "W5", "W6")
COOPERATION_INDICATORS: Final[tuple[str, ...]] = (*COOPERATION_AREAS, "WC", "WGAP")
MATRIX_COLUMNS: Final = (
    "area", "mode", "start_year", "end_year", "indicator", "value", "n", "ci_low", "ci_high",
    "status", "suppressed", "applicable",
)
MAX_FINDINGS: Final = 5

FINDING_RULES: Final[tuple[tuple[str, str], ...]] = (
    ("R1", N_("Liczba obszarów finansowanych w roku oceny, w tym kontraktem wieloletnim, i "
              "liczba ocen „dobrze”, „uwaga”, „źle” w macierzy sygnalizacji.")),
    ("R2", N_("Obszary z co najmniej jedną oceną „źle” w macierzy, z listą tych wskaźników "
              "(najwyżej trzy obszary, od największej liczby ocen „źle”).")),
    ("R3", N_("Liczba wyników ankiet ukrytych w macierzy (mniej odpowiedzi niż próg ochrony "
              "danych), jeśli jakiś ukryto.")),
    ("R4", N_("Indeks współpracy (WC) w roku oceny z oceną i jego wartość w pierwszym roku "
              "z danymi; najsłabszy z obszarów W1–W6 (najniższa pokazana wartość).")),
    ("R5", N_("Luka percepcji (WGAP): opisana, gdy ocena to „uwaga” albo „źle”, albo gdy "
              "wynik ukryto z powodu małej liczby ankiet.")),
)
"""Rules the findings follow, shown in the methods appendix."""

_MATRIX_CSS: Final = """
<style>
.jp-RenderedHTMLCommon table.tl-matrix { width: 100%; table-layout: fixed; font-size: 8pt;
  margin: 0.3em 0 0.6em; }
.jp-RenderedHTMLCommon table.tl-matrix th { font-size: 6.5pt; font-weight: normal;
  vertical-align: bottom; text-align: center; padding: 0.2em 0.1em; line-height: 1.15;
  hyphens: auto; overflow-wrap: break-word; }
.jp-RenderedHTMLCommon table.tl-matrix th b { font-size: 8pt; }
.jp-RenderedHTMLCommon table.tl-matrix td { vertical-align: top; text-align: center;
  padding: 0.3em 0.1em; line-height: 1.25; }
.jp-RenderedHTMLCommon table.tl-matrix th.text, .jp-RenderedHTMLCommon table.tl-matrix td.text {
  text-align: left; font-size: 7.5pt; hyphens: manual; }
.jp-RenderedHTMLCommon table.tl-matrix col.area { width: 19%; }
.jp-RenderedHTMLCommon table.tl-matrix col.mode { width: 12%; }
.tl-matrix .v { font-weight: bold; white-space: nowrap; }
.tl-matrix .q { font-size: 6.5pt; color: #444; white-space: nowrap; }
.tl-matrix .tl { font-size: 7pt; padding: 0 0.3em; }
.tl-matrix .tl-none, .tl-matrix .na { color: #555; font-size: 7pt; }
.tl-legend { font-size: 8pt; color: #333; margin: 0.2em 0 0.8em; }
.tl-legend .tl { font-size: 7.5pt; }
</style>
"""


# ------------------------------------------------------------------ builders


def traffic_light_matrix(
    indicators: pd.DataFrame,
    modes: pd.DataFrame,
    year: int,
    indicator_ids: Sequence[str] = KEY_INDICATORS,
) -> pd.DataFrame:
    """The overview matrix in long form: one row per funded area × key indicator.

    Parameters
    ----------
    indicators
        The gmina's indicator table (:func:`wkus_lib.evaluation.indicators.compute_indicators`).
    modes
        :func:`contract_modes` of the gmina for ``year``: the rows (areas) of the matrix.
    year
        Evaluation year.
    indicator_ids
        The columns.

    Returns
    -------
    pandas.DataFrame
        :data:`MATRIX_COLUMNS`, areas in domain order, indicators in the
        given order. ``applicable`` is false when the area has no row of the
        indicator that year (E9 exists only where a multi-year contract
        ended in ``year``); ``status`` is ``none`` then. Values of suppressed
        cells stay NA. An indicator computed in several stages of the same
        year is read from the stage of the area's own report that year
        (:func:`report_stage`), so the matrix shows what that report shows.
    """
    rows = indicators[(indicators["year"] == year) & indicators["area"].notna()
                      & indicators["indicator"].isin(list(indicator_ids))]
    own_stage = {m.area: report_stage(m.mode, int(m.end_year), year)
                 for m in modes.itertuples(index=False)}
    preferred = [own_stage.get(a) == s for a, s in zip(rows["area"], rows["stage"],
                                                        strict=True)]
    rows = rows.assign(_own=preferred).sort_values("_own", ascending=False, kind="stable")
    rows = rows.drop_duplicates(["area", "indicator"]).set_index(["area", "indicator"])
    records = []
    for mode in modes.itertuples(index=False):
        for indicator in indicator_ids:
            key = (mode.area, indicator)
            found = key in rows.index
            row = rows.loc[key] if found else None
            records.append({
                "area": mode.area, "mode": mode.mode, "start_year": int(mode.start_year),
                "end_year": int(mode.end_year), "indicator": indicator,
                "value": float(row["value"]) if row is not None else float("nan"),
                "n": row["n"] if row is not None else pd.NA,
                "ci_low": float(row["ci_low"]) if row is not None else float("nan"),
                "ci_high": float(row["ci_high"]) if row is not None else float("nan"),
                "status": str(row["status"]) if row is not None else "none",
                "suppressed": bool(row["suppressed"]) if row is not None else False,
                "applicable": found,
            })
    frame = pd.DataFrame.from_records(records, columns=list(MATRIX_COLUMNS))
    return frame.astype({"n": "Int64", "value": float, "ci_low": float, "ci_high": float})


def report_stage(mode: str, end_year: int, year: int) -> str:
    """The stage of an area's own report in ``year``: ex post when its contract ends then."""
    if mode != MULTI_YEAR:
        return EX_ANTE
    return EX_POST if end_year == year else ON_GOING


def cooperation_rows(indicators: pd.DataFrame, year: int | None = None) -> pd.DataFrame:
    """Gmina-level cooperation rows (W1–W6, WC, WGAP): one per indicator and year.

    With ``year`` only that year. Columns as in the indicator table; the
    stages of a year carry the same values, one row is kept.
    """
    rows = indicators[indicators["area"].isna()
                      & indicators["indicator"].isin(list(COOPERATION_INDICATORS))]
    if year is not None:
        rows = rows[rows["year"] == year]
    rows = rows.drop_duplicates(["year", "indicator"])
    order = rows["indicator"].map({i: k for k, i in enumerate(COOPERATION_INDICATORS)})
    return rows.assign(_order=order).sort_values(["year", "_order"]).drop(
        columns="_order").reset_index(drop=True)


def _status_label(status: str) -> str:
    return status_label(status)  # type: ignore[arg-type]


def findings(ctx: ReportContext) -> list[str]:
    """Three to five findings, each from a rule of :data:`FINDING_RULES`."""
    out: list[str] = []
    modes = contract_modes(ctx.store.contracts, ctx.year)
    matrix = traffic_light_matrix(ctx.indicators, modes, ctx.year)
    # R1: how many areas, how many on multi-year contracts, how the lights add up.
    if not modes.empty:
        counts = matrix["status"].value_counts()
        out.append(_("Obszary finansowane przez gminę w {year} r.: {areas}, w tym kontraktem "
                     "wieloletnim: {multi}. Oceny w macierzy: „{green}” — {g}, „{amber}” — {a}, "
                     "„{red}” — {r}.").format(
            year=ctx.year, areas=len(modes), multi=int((modes["mode"] == MULTI_YEAR).sum()),
            green=_status_label("green"), amber=_status_label("amber"),
            red=_status_label("red"), g=int(counts.get("green", 0)),
            a=int(counts.get("amber", 0)), r=int(counts.get("red", 0))))
    # R2: the areas with red lights, most reds first (at most three).
    red = matrix[matrix["status"] == "red"]
    if not red.empty:
        by_area = red.groupby("area", sort=False)["indicator"].agg(list)
        ranked = sorted(by_area.items(), key=lambda item: (-len(item[1]),
                                                          AREA_IDS.index(item[0])))[:3]
        parts = [f"{area_name(area)} ({', '.join(ids)})"
                 for area, ids in ranked]
        out.append(_("Ocena „{red}” w obszarach: {areas}.").format(
            red=_status_label("red"), areas="; ".join(parts)))
    # R3: hidden survey results.
    hidden = int(matrix["suppressed"].sum())
    if hidden:
        out.append(_("Wyniki ankiet ukryte w macierzy: {count} (mniej niż {threshold} "
                     "odpowiedzi, ochrona danych).").format(
            count=hidden, threshold=ctx.threshold))
    # R4: the cooperation index now and in the first year; the weakest area.
    coop = cooperation_rows(ctx.indicators)
    index = coop[(coop["indicator"] == "WC") & coop["value"].notna()]
    now = index[index["year"] == ctx.year]
    if not now.empty:
        first = index.iloc[0]
        text = _("Indeks współpracy (WC) w {year} r.: {value} pkt na 100 (ocena: {status}).").format(
            year=ctx.year, value=format_number(now.iloc[0]["value"], 1),
            status=_status_label(str(now.iloc[0]["status"])))
        if int(first["year"]) < ctx.year:
            text += " " + _("W {year} r. wynosił {value} pkt.").format(
                year=int(first["year"]), value=format_number(first["value"], 1))
        areas = coop[(coop["year"] == ctx.year) & coop["indicator"].isin(COOPERATION_AREAS)
                     & coop["value"].notna()]
        if not areas.empty:
            weakest = areas.loc[areas["value"].idxmin()]
            text += " " + _("Najsłabszy obszar współpracy: {name} ({id}, {value} pkt).").format(
                name=indicator_name(ctx.catalog.indicator(str(weakest["indicator"]))),
                id=weakest["indicator"], value=format_number(weakest["value"], 1))
        out.append(text)
    # R5: the perception gap when it is amber/red or hidden.
    gap = coop[(coop["indicator"] == "WGAP") & (coop["year"] == ctx.year)]
    if not gap.empty:
        row = gap.iloc[0]
        if bool(row["suppressed"]):
            out.append(_("Luki percepcji JST–organizacje (WGAP) w {year} r. nie pokazano: "
                         "za mało ankiet w jednej z grup (mniej niż {threshold}).").format(
                year=ctx.year, threshold=ctx.threshold))
        elif str(row["status"]) in ("amber", "red"):
            out.append(_("Urzędnicy oceniają współpracę o {gap} pkt lepiej niż organizacje "
                         "(WGAP, ocena: {status}).").format(
                gap=format_number(row["value"], 1), status=_status_label(str(row["status"]))))
    return out[:MAX_FINDINGS]


# ----------------------------------------------------------------- rendering


def _badge(status: str) -> str:
    label = html.escape(_status_label(status))
    return f'<span class="tl tl-{status}">{label}</span>'


def _mode_text(mode: str, start: int, end: int) -> str:
    label = _(MODE_LABELS[mode])
    return f"{label} {start}–{end}" if mode == MULTI_YEAR else label


def matrix_cell(row: pd.Series, unit: str, threshold: int) -> str:
    """HTML of one matrix cell: value, n and interval of survey scores, status label."""
    if not bool(row["applicable"]):
        return f'<span class="na">{html.escape(_("nie dotyczy"))}</span>'
    if bool(row["suppressed"]):
        note = f"n < {threshold}"
        return (f'<div class="v">{html.escape(suppressed_mark())}</div>'
                f'<div class="q">{html.escape(note)}</div>')
    if pd.isna(row["value"]):
        return f'<span class="na">{html.escape(_("brak danych"))}</span>'
    parts = [f'<div class="v">{html.escape(format_indicator_value(row["value"], unit))}</div>']
    if not pd.isna(row["ci_low"]):
        parts.append(f'<div class="q">n = {int(row["n"])}</div>'
                     f'<div class="q">{html.escape(interval_text(row))}</div>')
    parts.append(_badge(str(row["status"])))
    return "".join(parts)


def show_traffic_lights(ctx: ReportContext) -> None:
    """The one-page matrix: every funded area × key indicators, with legend."""
    show_heading(_("Sygnalizacja: wszystkie obszary w {year} r.").format(year=ctx.year))
    modes = contract_modes(ctx.store.contracts, ctx.year)
    if modes.empty:
        show_text(missing_markdown(_("umowy gminy obowiązujące w {year} r.").format(
            year=ctx.year), "contracts"))
        return
    matrix = traffic_light_matrix(ctx.indicators, modes, ctx.year)
    specs = {i: ctx.catalog.indicator(i) for i in KEY_INDICATORS}
    head = (
        f'<th class="text">{html.escape(_("Obszar"))}</th>'
        f'<th class="text">{html.escape(_("Finansowanie"))}</th>'
        + "".join(f"<th><b>{i}</b><br>{soft_hyphens(indicator_name(specs[i]))}</th>"
                  for i in KEY_INDICATORS)
    )
    body = []
    for mode in modes.itertuples(index=False):
        cells = matrix[matrix["area"] == mode.area].set_index("indicator")
        tds = "".join(
            f"<td>{matrix_cell(cells.loc[i], specs[i].unit, ctx.threshold)}</td>"
            for i in KEY_INDICATORS
        )
        body.append(
            f'<tr><td class="text">{html.escape(area_name(mode.area))}</td>'
            f'<td class="text">{html.escape(_mode_text(mode.mode, mode.start_year, mode.end_year))}'
            f"</td>{tds}</tr>"
        )
    columns = '<colgroup><col class="area"><col class="mode">' + "<col>" * len(KEY_INDICATORS)
    table = (f'<table class="wkus-table tl-matrix">{columns}</colgroup>'
             f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    display_table(_MATRIX_CSS + table, _matrix_raw(matrix, modes),
                  _("Sygnalizacja: obszary × kluczowe wskaźniki"))
    legend = _("Ocena według progów katalogu: {green}, {amber}, {red}; {none} — wskaźnik bez "
               "progów (koszt jednostkowy porównuje raport „Porównanie gmin”). Przy wynikach "
               "ankiet: liczba odpowiedzi (n) i 95% przedział ufności; „{hidden}” — mniej niż "
               "{threshold} odpowiedzi; E9 tylko dla obszarów, w których kontrakt wieloletni "
               "skończył się w {year} r.")
    badges = {s: _badge(s) for s in ("green", "amber", "red", "none")}
    show_html('<p class="tl-legend">' + html.escape(legend).format(
        green=badges["green"], amber=badges["amber"], red=badges["red"], none=badges["none"],
        hidden=html.escape(suppressed_mark()), threshold=ctx.threshold, year=ctx.year)
        + "</p>")


def _matrix_raw(matrix: pd.DataFrame, modes: pd.DataFrame) -> pd.DataFrame:
    """The matrix as a wide table of raw values and status labels (for the XLSX annex)."""
    raw = pd.DataFrame({
        _("Obszar"): [area_name(a) for a in modes["area"]],
        _("Finansowanie"): [_mode_text(m, s, e) for m, s, e in
                            zip(modes["mode"], modes["start_year"], modes["end_year"],
                                strict=True)],
    })
    for indicator in KEY_INDICATORS:
        cells = matrix[matrix["indicator"] == indicator].set_index("area").reindex(modes["area"])
        raw[indicator] = [None if pd.isna(v) else float(v) for v in cells["value"]]
        raw[f"{indicator} — {_('Ocena')}"] = [
            _("nie dotyczy") if not a else suppressed_mark() if h else _status_label(str(s))
            for s, a, h in zip(cells["status"], cells["applicable"], cells["suppressed"],
                               strict=True)
        ]
    return raw


def show_summary(ctx: ReportContext) -> None:
    """Findings from the stated rules, right under the matrix."""
    items = findings(ctx) or [_("Brak danych do sformułowania wniosków.")]
    show_findings(items, _("Najważniejsze wnioski"))


def _cooperation_note(row: pd.Series, threshold: int) -> str:
    if bool(row["suppressed"]):
        return _("ukryte (mniej niż {threshold} odpowiedzi)").format(threshold=threshold)
    if pd.isna(row["value"]):
        return _("brak danych")
    value = format_number(row["value"], 1)
    return value if pd.isna(row["n"]) else f"{value} (n = {int(row['n'])})"


def _wrapped(label: str, width: int = 30) -> str:
    """A figure label broken into lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(label, width)) or label


def show_cooperation(ctx: ReportContext) -> None:
    """The cooperation model of the gmina in the evaluation year: figure and table."""
    show_heading(_("Model współpracy (cała gmina)"))
    show_text(_("Współpraca gminy z organizacjami w sześciu obszarach (0–100): W1–W4 z listy "
                "kontrolnej urzędu (n = liczba pozycji z danymi), W5–W6 z ankiety organizacji "
                "(n = liczba odpowiedzi, z 95% przedziałem ufności). Indeks WC to średnia ważona "
                "W1–W6; luka percepcji WGAP to różnica ocen urzędników i organizacji na tych "
                "samych pytaniach."))
    rows = cooperation_rows(ctx.indicators, ctx.year).set_index("indicator")
    if not (rows["value"].notna() | rows["suppressed"].astype(bool)).any():
        show_text(missing_markdown(_("wskaźniki współpracy (W1–W6)"), "cooperation_checklist",
                                   "cooperation_survey", year=ctx.year))
        return
    present = [i for i in COOPERATION_AREAS if i in rows.index]
    bars = pd.DataFrame({
        "label": [_wrapped(f"{i} {indicator_name(ctx.catalog.indicator(i))}") for i in present],
        "value": [rows.loc[i, "value"] for i in present],
        "ci_low": [rows.loc[i, "ci_low"] for i in present],
        "ci_high": [rows.loc[i, "ci_high"] for i in present],
        "note": [_cooperation_note(rows.loc[i], ctx.threshold) for i in present],
    })
    targets = [ctx.catalog.indicator(i).target for i in present]
    target = targets[0] if targets and len(set(targets)) == 1 else None
    show_figure(plots_compare.cooperation_bars(
        bars, title=_("Obszary współpracy, {year}").format(year=ctx.year),
        xlabel=_("wynik 0–100 (kreska: 95% przedział ufności)"), target=target,
        target_label=_("wartość docelowa") if target is not None else None,
    ))
    show_cooperation_table(ctx, rows)


def show_cooperation_table(ctx: ReportContext, rows: pd.DataFrame) -> None:
    """W1–W6, WC and WGAP of the year with n, interval, target and status."""
    ids = [i for i in COOPERATION_INDICATORS if i in rows.index]
    specs = {i: ctx.catalog.indicator(i) for i in ids}
    hidden = [bool(rows.loc[i, "suppressed"]) for i in ids]
    raw = pd.DataFrame({
        _("Wskaźnik"): [f"{i} {indicator_name(specs[i])}" for i in ids],
        _("Wartość"): [None if h or pd.isna(rows.loc[i, "value"]) else float(rows.loc[i, "value"])
                       for i, h in zip(ids, hidden, strict=True)],
        _("Jednostka"): [indicator_unit(specs[i]) for i in ids],
        "n": [None if pd.isna(rows.loc[i, "n"]) else int(rows.loc[i, "n"]) for i in ids],
        _("95% przedział"): [interval_text(rows.loc[i]) for i in ids],
        _("Cel"): [specs[i].target for i in ids],
        _("Ocena"): [_status_label(str(rows.loc[i, "status"])) for i in ids],
        _("Ukryte"): hidden,
    })
    cells = {
        _("Wskaźnik"): [html.escape(v) for v in raw[_("Wskaźnik")]],
        _("Wartość"): [suppressed_mark() if h else format_indicator_value(
            rows.loc[i, "value"], specs[i].unit) for i, h in zip(ids, hidden, strict=True)],
        "n": [format_number(v, 0) if v is not None else "—" for v in raw["n"]],
        _("95% przedział"): list(raw[_("95% przedział")]),
        _("Cel"): [format_indicator_value(specs[i].target, specs[i].unit) for i in ids],
        _("Ocena"): [_badge(str(rows.loc[i, "status"])) for i in ids],
    }
    numeric = {_("Wartość"), "n", _("95% przedział"), _("Cel")}
    display_table(html_table(cells, numeric, "wkus-table scorecard"), raw,
                  _("Model współpracy w {year} r.").format(year=ctx.year))


def show_cooperation_trend(ctx: ReportContext) -> None:
    """The cooperation index over the years, and every cooperation indicator by year."""
    show_heading(_("Współpraca w kolejnych latach"), level=3)
    coop = cooperation_rows(ctx.indicators)
    coop = coop[coop["year"] <= ctx.year]
    index = coop[(coop["indicator"] == "WC") & coop["value"].notna()][["year", "value"]]
    if index.empty and not coop["suppressed"].astype(bool).any():
        show_text(missing_markdown(_("indeks współpracy (WC) w kolejnych latach"),
                                   "cooperation_checklist", "cooperation_survey"))
        return
    spec = ctx.catalog.indicator("WC")
    bands: dict[str, tuple[float, float]] = {}
    colours: dict[str, str] = {}
    if spec.thresholds is not None:
        zones = (("green", spec.thresholds.green, 100.0),
                 ("amber", spec.thresholds.amber, spec.thresholds.green),
                 ("red", 0.0, spec.thresholds.amber))
        for status, low, high in zones:
            label = _("strefa „{label}”").format(label=_status_label(status))
            bands[label] = (low, high)
            colours[label] = STATUS_COLOURS[status]  # type: ignore[index]
    show_figure(plots_compare.index_trend(
        index, title=_("Indeks współpracy (WC) w kolejnych latach"),
        ylabel=_("pkt 0–100"), xlabel=_("rok"), bands=bands, band_colours=colours,
    ))
    wide = coop.assign(
        shown=[suppressed_mark() if s else format_indicator_value(
            v, ctx.catalog.indicator(str(i)).unit)
            for v, i, s in zip(coop["value"], coop["indicator"], coop["suppressed"], strict=True)]
    )
    years = sorted(int(y) for y in wide["year"].unique())
    ids = [i for i in COOPERATION_INDICATORS if i in set(wide["indicator"])]
    table = wide.pivot(index="indicator", columns="year", values="value").reindex(ids)
    shown = wide.pivot(index="indicator", columns="year", values="shown").reindex(ids)
    units = [indicator_unit(ctx.catalog.indicator(i)) for i in ids]
    raw = pd.DataFrame({_("Wskaźnik"): ids, _("Jednostka"): units})
    cells: dict[str, list[str]] = {_("Wskaźnik"): ids, _("Jednostka"): units}
    for year in years:
        raw[str(year)] = [None if pd.isna(v) else float(v) for v in table[year]]
        cells[str(year)] = ["—" if pd.isna(v) else str(v) for v in shown[year]]
    display_table(html_table(cells, {str(y) for y in years}), raw,
                  _("Wskaźniki współpracy w kolejnych latach (pkt; WGAP: różnica w pkt)"))


def show_appendix(ctx: ReportContext) -> None:
    """Methods appendix (shared) and the rules behind the findings."""
    show_methods(ctx, [*KEY_INDICATORS, *COOPERATION_INDICATORS])
    rules = pd.DataFrame({
        _("Reguła"): [rule for rule, _text in FINDING_RULES],
        _("Jak powstaje wniosek"): [_(text) for _rule, text in FINDING_RULES],
    })
    show_table(rules, _("Reguły, z których powstają wnioski"))
