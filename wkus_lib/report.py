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
import io
import platform
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any, Final

import pandas as pd
from IPython.display import HTML, Image, Markdown, display
from matplotlib.figure import Figure

from wkus_lib import plots
from wkus_lib.catalog import Catalog, load_catalog
from wkus_lib.domain import (
    AREA_NAMES,
    MODEL_NAMES,
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
    threshold = catalog.settings.suppression.threshold
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
    displayed text (numbers in Polish format); numbers in other columns get
    the default Polish format, text is escaped. Numeric columns are aligned
    right, text left.
    """
    formats = formats or {}
    cells: dict[str, list[str]] = {}
    numeric: set[str] = set()
    for column in frame.columns:
        values = frame[column]
        if column in formats:
            cells[column] = [formats[column](v) for v in values]
        elif pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            decimals = 0 if pd.api.types.is_integer_dtype(values) or column == "Rok" else 1
            cells[column] = [
                str(int(v)) if column == "Rok" and not pd.isna(v) else format_number(v, decimals)
                for v in values
            ]
        else:
            cells[column] = ["—" if _is_missing(v) else html.escape(str(v)) for v in values]
        if pd.api.types.is_numeric_dtype(values) or column in formats:
            numeric.add(str(column))
    _display_table(_html_table(cells, numeric), frame, title)


def _display_table(body_html: str, raw: pd.DataFrame, title: str) -> None:
    caption = f'<p class="table-title">{html.escape(title)}</p>'
    values = raw.astype(object).where(raw.notna(), None)
    display(
        {
            "text/html": f'<div class="wkus-table-block">{caption}{body_html}</div>',
            TABLE_MIMETYPE: {"title": title, "data": values.to_dict(orient="split")},
        },
        raw=True,
    )


def _is_missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _html_table(cells: Mapping[str, Sequence[str]], numeric: set[str],
                classes: str = "wkus-table") -> str:
    """A plain HTML table; cell texts are already escaped or trusted markup."""
    def cls(column: str) -> str:
        return "num" if column in numeric else "text"

    head = "".join(f'<th class="{cls(c)}">{html.escape(c)}</th>' for c in cells)
    rows = zip(*cells.values(), strict=True) if cells else iter(())
    body = "".join(
        "<tr>" + "".join(f'<td class="{cls(c)}">{v}</td>' for c, v in zip(cells, row, strict=True))
        + "</tr>"
        for row in rows
    )
    return f'<table class="{classes}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def show_figure(fig: Figure) -> None:
    """Display a figure built by :mod:`wkus_lib.plots` as PNG.

    Rendered here rather than by the notebook backend so batch and
    interactive runs give the same, deterministic image (no metadata).
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    display(Image(data=buffer.getvalue(), format="png"))


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


def format_indicator_value(value: float | None, unit: str) -> str:
    """An indicator value in Polish format with the catalogue unit's precision."""
    if unit == "zł" or unit.startswith("zł na odbiorcę"):
        return format_number(value, 0, unit="zł")
    if unit.startswith("zł"):
        return format_number(value, 2, unit="zł")
    if unit in ("%", "pkt proc."):
        return format_number(value, 1, unit=unit)
    if unit.startswith("pkt"):
        return format_number(value, 1)
    return format_number(value, 2)


def _interval_text(row: pd.Series) -> str:
    if bool(row["suppressed"]) or pd.isna(row["ci_low"]):
        return "—"
    return f"{format_number(row['ci_low'], 1)}–{format_number(row['ci_high'], 1)}"


def stage_indicators(ctx: ReportContext) -> list[str]:
    """Catalogue indicators of the report's stage that have a row this year, in catalogue order."""
    present = set(_latest(ctx).index)
    return [
        spec.id for spec in ctx.catalog.indicators
        if ctx.stage in spec.stages and spec.id in present
    ]


def scorecard(ctx: ReportContext, indicator_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """The summary table with raw values: indicator, model, value, n, interval, target, status."""
    latest = _latest(ctx)
    records = []
    for indicator in indicator_ids or stage_indicators(ctx):
        row = latest.loc[indicator]
        meta = ctx.catalog.indicator(indicator)
        suppressed = bool(row["suppressed"])
        records.append(
            {
                "Wskaźnik": f"{indicator} {meta.name_pl}",
                "Model": MODEL_NAMES[meta.model],
                "Wartość": None if suppressed or pd.isna(row["value"]) else float(row["value"]),
                "Jednostka": meta.unit,
                "n": None if pd.isna(row["n"]) else int(row["n"]),
                "95% przedział": _interval_text(row),
                "Cel": None if pd.isna(row["target"]) else float(row["target"]),
                "Ocena": STATUS_LABELS["pl"][row["status"]],
                "Ukryte": suppressed,
            }
        )
    return pd.DataFrame.from_records(records)


def show_scorecard(ctx: ReportContext, indicator_ids: Sequence[str] | None = None) -> None:
    """Show the summary scorecard with traffic-light labels (text, not colour alone)."""
    card = scorecard(ctx, indicator_ids)
    if card.empty:
        show_text("_Brak wskaźników dla tego roku._")
        return
    shown = card.drop(columns=["Jednostka", "Ukryte"])
    shown["Wartość"] = [
        SUPPRESSED_MARK if hidden else format_indicator_value(value, unit)
        for value, unit, hidden in zip(card["Wartość"], card["Jednostka"], card["Ukryte"],
                                       strict=True)
    ]
    shown["Cel"] = [
        format_indicator_value(value, unit)
        for value, unit in zip(card["Cel"], card["Jednostka"], strict=True)
    ]
    shown["n"] = [format_number(v, 0) if v is not None and not pd.isna(v) else "—"
                  for v in card["n"]]
    shown["Wskaźnik"] = [html.escape(v) for v in card["Wskaźnik"]]
    status_class = {label: key for key, label in STATUS_LABELS["pl"].items()}
    shown["Ocena"] = [
        f'<span class="tl tl-{status_class[s]}">{html.escape(s)}</span>' for s in card["Ocena"]
    ]
    numeric = {"Wartość", "n", "95% przedział", "Cel"}
    _display_table(
        _html_table({c: list(shown[c]) for c in shown.columns}, numeric, "wkus-table scorecard"),
        card, "Karta wyników",
    )


def findings(ctx: ReportContext) -> list[str]:
    """Three to five findings in plain Polish, each derived by a stated rule."""
    out: list[str] = []
    latest = _latest(ctx)
    if "E9" in latest.index and not pd.isna(latest.loc["E9", "value"]):
        change = float(latest.loc["E9", "value"])
        direction = "spadł" if change < 0 else "wzrósł"
        out.append(
            f"Po przejściu z dotacji rocznych na kontrakt wieloletni koszt obsługi jednego "
            f"odbiorcy {direction} o {format_number(abs(change), 1)} % (wskaźnik E9; "
            f"z obszarami porównawczymi gminy, jeśli są)."
        )
    if "E3" in latest.index and not pd.isna(latest.loc["E3", "value"]):
        out.append(
            f"Budżet zadania w {ctx.year} r. wykonano w "
            f"{format_number(float(latest.loc['E3', 'value']), 1, unit='%')}."
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
            "label": [ctx.catalog.indicator(i).name_pl for i in ids],
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
            "Wykonanie budżetu": lambda v: format_number(v, 1, unit="%"),
        },
    )


def show_methods(ctx: ReportContext, indicator_ids: Sequence[str] | None = None) -> None:
    """Methods appendix: definitions, suppression, data source hash, versions."""
    indicator_ids = indicator_ids or stage_indicators(ctx)
    definitions = pd.DataFrame.from_records(
        [
            {
                "Wskaźnik": i,
                "Nazwa": ctx.catalog.indicator(i).name_pl,
                "Jednostka": ctx.catalog.indicator(i).unit,
                "Wzór": ctx.catalog.indicator(i).formula_pl,
            }
            for i in indicator_ids
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
