"""What report notebooks call: open a report's data, show its parts.

Notebooks stay thin: each cell calls one ``show_*`` function. The functions
read only the :class:`ReportContext` of one gmina (built from
:meth:`wkus_lib.store.Store.for_gmina`), so a report cannot show another
gmina's rows. Every table goes through :func:`show_table`, which displays
Polish-formatted HTML and also carries the raw numbers (mimetype
``application/vnd.wkus.table+json``) for the XLSX annex.
"""

from __future__ import annotations

import html
import platform
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, Final

import pandas as pd
from IPython.display import HTML, Markdown, display
from matplotlib.figure import Figure

from wkus_lib import plots
from wkus_lib.catalog import Catalog, load_catalog
from wkus_lib.domain import (
    AREA_NAMES,
    STAGE_NAMES,
    AreaId,
    Gmina,
    StageId,
    load_gminy,
)
from wkus_lib.indicators import compute_indicators
from wkus_lib.store import Store, read_store
from wkus_lib.style import (
    STATUS_LABELS,
    apply_figure_style,
    format_number,
)

TABLE_MIMETYPE: Final = "application/vnd.wkus.table+json"
SUPPRESSED_MARK: Final = "ukryte"


@dataclass(frozen=True)
class ReportContext:
    """Everything one report may read: one gmina, one area, one stage."""

    gmina: Gmina
    area: AreaId
    stage: StageId
    year: int
    store: Store
    indicators: pd.DataFrame
    catalog: Catalog
    threshold: int


def open_report(
    teryt: str, area: str, stage: str, year: int, store_dir: str | Path
) -> ReportContext:
    """Load one gmina's data and its indicator table; set the figure style."""
    apply_figure_style()
    gmina = load_gminy()[teryt]
    catalog = load_catalog()
    store = read_store(Path(store_dir)).for_gmina(teryt)
    threshold = catalog.settings.suppression_threshold
    table = compute_indicators(store, catalog=catalog, teryt=[teryt], areas=[area],
                               threshold=threshold)
    return ReportContext(
        gmina=gmina, area=area,  # type: ignore[arg-type]
        stage=stage,  # type: ignore[arg-type]
        year=year, store=store, indicators=table, catalog=catalog, threshold=threshold,
    )


# --- generic display helpers -------------------------------------------------


def show_table(
    frame: pd.DataFrame,
    title: str,
    *,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
) -> None:
    """Display a table as Polish-formatted HTML and attach its raw values.

    ``formats`` maps a column to a function that turns a raw value into the
    displayed text (numbers in Polish format); other columns are shown as
    they are.
    """
    formats = formats or {}
    shown = frame.copy()
    for column, formatter in formats.items():
        shown[column] = [formatter(v) for v in frame[column]]
    body = shown.to_html(index=False, escape=True, na_rep="—", border=0,
                         classes="wkus-table")
    caption = f'<p class="table-title">{html.escape(title)}</p>'
    raw = frame.astype(object).where(frame.notna(), None)
    display(
        {
            "text/html": f'<div class="wkus-table-block">{caption}{body}</div>',
            TABLE_MIMETYPE: {"title": title, "data": raw.to_dict(orient="split")},
        },
        raw=True,
    )


def show_figure(fig: Figure) -> None:
    """Display a figure built by :mod:`wkus_lib.plots`."""
    display(fig)


def show_text(markdown: str) -> None:
    """Display Polish narrative text (Markdown)."""
    display(Markdown(markdown))


# --- report parts ---------------------------------------------------------------


def show_title(ctx: ReportContext) -> None:
    """Title block; a DANE SYNTETYCZNE banner when the store holds demo data."""
    banner = (
        '<div class="synthetic-banner">DANE SYNTETYCZNE — raport demonstracyjny, liczby '
        "są wygenerowane i nie opisują rzeczywistej gminy.</div>"
        if ctx.store.synthetic
        else ""
    )
    contracts = _area_contracts(ctx)
    multi = contracts[contracts["mode"] == "multi_year"]
    period = (
        f"{int(multi['start_year'].min())}–{int(multi['end_year'].max())}" if len(multi) else "—"
    )
    ngos = ", ".join(sorted(set(multi["ngo_name"]))) or "—"
    display(HTML(
        f"{banner}<h1>{html.escape(STAGE_NAMES[ctx.stage])}</h1>"
        f'<p class="subtitle">Gmina {html.escape(ctx.gmina.name)} '
        f"(TERYT {ctx.gmina.teryt}, powiat {html.escape(ctx.gmina.powiat)}) · "
        f"{html.escape(AREA_NAMES[ctx.area])}</p>"
        f'<p class="subtitle">Kontrakt wieloletni: {period} · realizator: {html.escape(ngos)} · '
        f"rok oceny: {ctx.year}</p>"
    ))


def _area_contracts(ctx: ReportContext) -> pd.DataFrame:
    contracts = ctx.store.contracts
    return contracts[contracts["area"] == ctx.area]


def _latest(ctx: ReportContext) -> pd.DataFrame:
    """Indicator rows of the report's stage and year, one per indicator."""
    rows = ctx.indicators[
        (ctx.indicators["stage"] == ctx.stage) & (ctx.indicators["year"] == ctx.year)
    ]
    return rows.drop_duplicates("indicator").set_index("indicator")


def _yearly(ctx: ReportContext, indicator: str) -> pd.DataFrame:
    rows = ctx.indicators[ctx.indicators["indicator"] == indicator]
    rows = rows.drop_duplicates("year").sort_values("year")
    return rows[["year", "value", "n", "ci_low", "ci_high", "suppressed"]]


def _year_modes(ctx: ReportContext) -> pd.DataFrame:
    """The contract mode in force in each year for the report's area."""
    records = [
        {"year": year, "mode": row.mode}
        for row in _area_contracts(ctx).itertuples(index=False)
        for year in range(int(row.start_year), int(row.end_year) + 1)
    ]
    return pd.DataFrame.from_records(records, columns=["year", "mode"]).drop_duplicates("year")


def _value_text(row: pd.Series, unit: str) -> str:
    if bool(row["suppressed"]):
        return SUPPRESSED_MARK
    decimals = 0 if unit == "zł" else 1
    if unit == "%":
        return format_number(float(row["value"]) * 100, 1, unit="%")
    return format_number(row["value"], decimals, unit=unit if unit == "zł" else "")


def _interval_text(row: pd.Series) -> str:
    if bool(row["suppressed"]) or pd.isna(row["ci_low"]):
        return "—"
    return f"{format_number(row['ci_low'], 1)}–{format_number(row['ci_high'], 1)}"


def scorecard(ctx: ReportContext, indicator_ids: Sequence[str]) -> pd.DataFrame:
    """The summary table: indicator, value, n, interval, target, status (raw values)."""
    latest = _latest(ctx)
    records = []
    for indicator in indicator_ids:
        if indicator not in latest.index:
            continue
        row = latest.loc[indicator]
        meta = ctx.catalog.indicators[indicator]
        records.append(
            {
                "Wskaźnik": f"{indicator} {meta.name_pl}",
                "Model": meta.model,
                "Wartość": None if bool(row["suppressed"]) else row["value"],
                "n": None if pd.isna(row["n"]) else int(row["n"]),
                "95% przedział": _interval_text(row),
                "Cel": row["target"],
                "Ocena": STATUS_LABELS["pl"][row["status"]],
                "_unit": meta.unit,
                "_suppressed": bool(row["suppressed"]),
            }
        )
    return pd.DataFrame.from_records(records)


def show_scorecard(ctx: ReportContext, indicator_ids: Sequence[str]) -> None:
    """Show the summary scorecard with traffic-light labels (text, not colour alone)."""
    card = scorecard(ctx, indicator_ids)
    if card.empty:
        show_text("_Brak wskaźników dla tego roku._")
        return
    shown = card.copy()
    shown["Wartość"] = [
        SUPPRESSED_MARK if sup else _value_text(pd.Series({"value": v, "suppressed": False}), u)
        for v, sup, u in zip(card["Wartość"], card["_suppressed"], card["_unit"], strict=True)
    ]
    shown["Cel"] = [
        _value_text(pd.Series({"value": v, "suppressed": False}), u)
        for v, u in zip(card["Cel"], card["_unit"], strict=True)
    ]
    status_class = {label: key for key, label in STATUS_LABELS["pl"].items()}
    shown["Ocena"] = [
        f'<span class="tl tl-{status_class[s]}">{html.escape(s)}</span>' for s in card["Ocena"]
    ]
    raw = card.drop(columns=["_unit", "_suppressed"])
    display(
        {
            "text/html": '<div class="wkus-table-block"><p class="table-title">Karta wyników</p>'
            + shown.drop(columns=["_unit", "_suppressed"]).to_html(
                index=False, escape=False, na_rep="—", border=0, classes="wkus-table scorecard"
            )
            + "</div>",
            TABLE_MIMETYPE: {
                "title": "Karta wyników",
                "data": raw.astype(object).where(raw.notna(), None).to_dict(orient="split"),
            },
        },
        raw=True,
    )


def findings(ctx: ReportContext) -> list[str]:
    """Three to five findings in plain Polish, each derived by a stated rule."""
    out: list[str] = []
    modes = _year_modes(ctx)
    unit_cost = _yearly(ctx, "E1").merge(modes, on="year")
    by_mode = unit_cost.groupby("mode")["value"].mean()
    if {"multi_year", "annual_grant"} <= set(by_mode.index):
        change = by_mode["multi_year"] / by_mode["annual_grant"] - 1
        direction = "niższy" if change < 0 else "wyższy"
        out.append(
            f"Średni koszt obsługi jednego odbiorcy w latach kontraktu wieloletniego "
            f"({format_number(by_mode['multi_year'], 0, unit='zł')}) był o "
            f"{format_number(abs(change) * 100, 1)} % {direction} niż w latach dotacji rocznych "
            f"({format_number(by_mode['annual_grant'], 0, unit='zł')})."
        )
    latest = _latest(ctx)
    if "E3" in latest.index and not pd.isna(latest.loc["E3", "value"]):
        out.append(
            f"Budżet zadania w {ctx.year} r. wykonano w "
            f"{format_number(float(latest.loc['E3', 'value']) * 100, 1)} %."
        )
    if "Q1" in latest.index:
        q1 = latest.loc["Q1"]
        if bool(q1["suppressed"]):
            out.append(
                f"Zadowolenie klientów w {ctx.year} r. nie jest pokazane: odpowiedziało mniej niż "
                f"{ctx.threshold} osób (ochrona danych)."
            )
        elif not pd.isna(q1["value"]):
            out.append(
                f"Zadowolenie klientów w {ctx.year} r.: {format_number(q1['value'], 1)} pkt na 100 "
                f"(n = {int(q1['n'])}, 95% przedział {_interval_text(q1)})."
            )
    return out


def show_findings(ctx: ReportContext) -> None:
    """Show the rule-based findings as a bullet list."""
    items = findings(ctx) or ["Brak danych do sformułowania wniosków."]
    show_text("\n".join(f"- {item}" for item in items))


def show_quality(ctx: ReportContext) -> None:
    """Jakość: Q1–Q4 survey scores with n and 95 % intervals, small cells suppressed."""
    latest = _latest(ctx)
    ids = [i for i in ("Q1", "Q2", "Q3", "Q4") if i in latest.index]
    scores = pd.DataFrame(
        {
            "label": [ctx.catalog.indicators[i].name_pl for i in ids],
            "value": [latest.loc[i, "value"] for i in ids],
            "ci_low": [latest.loc[i, "ci_low"] for i in ids],
            "ci_high": [latest.loc[i, "ci_high"] for i in ids],
            "n": [latest.loc[i, "n"] for i in ids],
            "suppressed": [bool(latest.loc[i, "suppressed"]) for i in ids],
        }
    )
    if scores.empty:
        show_text("_Brak ankiet klientów dla tego roku._")
        return
    show_figure(plots.scores_with_intervals(
        scores, title=f"Ocena usługi przez klientów, {ctx.year}", threshold=ctx.threshold
    ))
    satisfaction = _yearly(ctx, "Q1")
    table = pd.DataFrame({
        "Rok": satisfaction["year"],
        "Zadowolenie (0–100)": satisfaction["value"].where(~satisfaction["suppressed"]),
        "n": satisfaction["n"],
        "95% przedział": [_interval_text(r) for _, r in satisfaction.iterrows()],
        "Uwagi": [
            f"ukryte: mniej niż {ctx.threshold} odpowiedzi" if s else ""
            for s in satisfaction["suppressed"]
        ],
    })
    show_table(table, "Zadowolenie klientów (Q1) w kolejnych latach",
               formats={"Zadowolenie (0–100)": lambda v: format_number(v, 1)})


def show_efficiency(ctx: ReportContext) -> None:
    """Efektywność: unit cost and budget execution by year, coloured by contract mode."""
    modes = _year_modes(ctx)
    unit_cost = _yearly(ctx, "E1").merge(modes, on="year")
    if not unit_cost.empty:
        show_figure(plots.yearly_by_mode(
            unit_cost, title="Koszt jednostkowy (E1)", ylabel="zł na jednego odbiorcę"
        ))
    execution = _yearly(ctx, "E3").merge(modes, on="year")
    table = pd.DataFrame({
        "Rok": unit_cost["year"],
        "Tryb": unit_cost["mode"].map(plots.MODE_LABELS),
        "Koszt jednostkowy [zł]": unit_cost["value"],
    }).merge(
        pd.DataFrame({"Rok": execution["year"], "Wykonanie budżetu": execution["value"]}),
        on="Rok", how="left",
    )
    show_table(
        table, "Koszt jednostkowy i wykonanie budżetu w kolejnych latach",
        formats={
            "Koszt jednostkowy [zł]": lambda v: format_number(v, 0),
            "Wykonanie budżetu": lambda v: format_number(v * 100, 1, unit="%"),
        },
    )


def show_methods(ctx: ReportContext, indicator_ids: Sequence[str]) -> None:
    """Methods appendix: definitions, suppression, data source hash, versions."""
    definitions = pd.DataFrame.from_records(
        [
            {
                "Wskaźnik": i,
                "Nazwa": ctx.catalog.indicators[i].name_pl,
                "Jednostka": ctx.catalog.indicators[i].unit,
                "Wzór": ctx.catalog.indicators[i].formula_pl,
            }
            for i in indicator_ids
            if i in ctx.catalog.indicators
        ]
    )
    show_table(definitions, "Definicje wskaźników (z katalogu)")
    hidden = ctx.indicators[ctx.indicators["suppressed"]].drop_duplicates(["indicator", "year"])
    log = pd.DataFrame({
        "Wskaźnik": hidden["indicator"],
        "Rok": hidden["year"],
        "n": hidden["n"],
        "Powód": f"mniej niż {ctx.threshold} odpowiedzi (ochrona danych)",
    })
    if log.empty:
        show_text("Żadna wartość nie została ukryta.")
    else:
        show_table(log, "Rejestr ukrytych wartości (małe liczebności)")
    versions = pd.DataFrame.from_records([
        {"Składnik": "skrót danych (SHA-256)", "Wersja": ctx.store.data_hash},
        {"Składnik": "Python", "Wersja": platform.python_version()},
        *({"Składnik": name, "Wersja": version(name)}
          for name in ("wkus", "pandas", "matplotlib", "papermill", "nbconvert")),
    ])
    show_table(versions, "Źródło danych i wersje oprogramowania")
