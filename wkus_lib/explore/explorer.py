"""The explorer: a researcher's view of the indicator table across gminy, areas and years.

Pure functions select rows of the indicator table
(:func:`wkus_lib.evaluation.indicators.compute_indicators` over the whole store, computed
once per store hash) and build what a selection shows: a headline with the
latest value, a figure (:func:`wkus_lib.report.plots.compare.dot_interval_plot`), a
table and a side-by-side comparison of two gminy. :func:`show_explorer` shows
them either as ipywidgets controls (JupyterLab, the Voilà dashboard) or, with
``interactive=False`` (the papermill default), statically, with the same
content.

Only aggregated indicator values are shown, never survey answers; values the
indicator table suppressed (fewer respondents than the threshold) are shown
as hidden, never as a number.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Final, cast
from urllib.parse import parse_qs

import pandas as pd
from matplotlib.figure import Figure

from wkus_lib.catalog import Catalog, IndicatorSpec, load_catalog
from wkus_lib.domain import (
    AREA_IDS,
    AREA_NAMES,
    STAGE_IDS,
    STAGE_NAMES,
    AreaId,
    load_gminy,
    resolve_gmina,
)
from wkus_lib.errors import ParameterError
from wkus_lib.evaluation.indicators import compute_indicators
from wkus_lib.report.context import format_indicator_value, interval_text
from wkus_lib.report.display import show_figure, show_html, show_table
from wkus_lib.report.plots.compare import dot_interval_plot
from wkus_lib.report.style import STATUS_COLOURS, STATUS_LABELS, Status, apply_figure_style
from wkus_lib.statutory.calendar import Deadline, legal_calendar
from wkus_lib.store import Store, read_manifest, read_store
from wkus_lib.store.locate import locate_store

if TYPE_CHECKING:
    import ipywidgets

GMINA_LEVEL_LABEL: Final = "Cała gmina (model współpracy)"
ALL_STAGES_LABEL: Final = "Wszystkie etapy (etap danego roku)"
NO_COMPARISON_LABEL: Final = "— bez porównania —"
SYNTHETIC_NOTE: Final = (
    "DANE SYNTETYCZNE — liczby są wygenerowane i nie opisują rzeczywistych gmin."
)


@dataclass(frozen=True)
class ExplorerData:
    """The indicator table of a whole store with what the explorer needs to label it."""

    table: pd.DataFrame
    catalog: Catalog
    names: Mapping[str, str]
    threshold: int
    synthetic: bool
    data_hash: str
    store: Store | None = None
    """The store itself, for the legal calendar (None: no calendar shown)."""

    def gmina_name(self, teryt: str) -> str:
        """The gmina's name from the registry (the code when the registry lacks it)."""
        return self.names.get(teryt, teryt)


@dataclass(frozen=True)
class Selection:
    """What the explorer shows.

    ``area`` None means the gmina-level indicators (the cooperation model);
    ``stage`` None takes, for each year, the row of the year's first stage
    (ex ante, on-going, ex post). ``compare_teryt`` is the second gmina of the
    side-by-side comparison; ``extra_teryt`` are further gminy in the figure
    and table.
    """

    teryt: str
    area: str | None
    stage: str | None
    indicator: str
    years: tuple[int, int]
    compare_teryt: str | None = None
    extra_teryt: tuple[str, ...] = ()

    @property
    def shown_teryt(self) -> tuple[str, ...]:
        """The main gmina and the extra ones, without repeats."""
        return tuple(dict.fromkeys((self.teryt, *self.extra_teryt)))


# ------------------------------------------------------------------ loading


@lru_cache(maxsize=4)
def _cached_data(store_dir: str, data_hash: str) -> ExplorerData:
    store = read_store(Path(store_dir))
    catalog = load_catalog()
    registry = load_gminy()
    table = compute_indicators(store, catalog=catalog)
    names = {code: registry[code].name if code in registry else code
             for code in sorted(set(table["teryt"]))}
    return ExplorerData(table=table, catalog=catalog, names=names,
                        threshold=catalog.settings.suppression.threshold,
                        synthetic=store.synthetic, data_hash=data_hash, store=store)


def load_explorer_data(store_dir: str | Path = "") -> ExplorerData:
    """The store's indicator table, computed once per store hash (manifest) and cached.

    The store is found by :func:`wkus_lib.store.locate.locate_store` (empty: the
    ``WKUS_STORE`` variable, which ``wkus dashboard`` sets, or the project's
    store); a Polish :class:`~wkus_lib.errors.ParameterError` when there is none.
    """
    resolved = locate_store(store_dir)
    return _cached_data(str(resolved), str(read_manifest(resolved)["hash"]))


# ---------------------------------------------------------------- choices


POLISH_ALPHABET: Final = "aąbcćdeęfghijklłmnńoópqrsśtuvwxyzźż"


def polish_sort_key(text: str) -> tuple[tuple[int, int], ...]:
    """Sort key in Polish alphabetical order (Łapy after Lipsk, before Mońki; case-insensitive).

    Letters outside the Polish alphabet (digits, spaces, punctuation) sort by code point
    before the letters.
    """
    return tuple(
        (1, POLISH_ALPHABET.index(char)) if char in POLISH_ALPHABET else (0, ord(char))
        for char in text.casefold()
    )


def gmina_options(data: ExplorerData) -> list[tuple[str, str]]:
    """(label, TERYT) of every gmina with indicators, in Polish alphabetical order of names."""
    return sorted(((f"{data.gmina_name(code)} ({code})", code) for code in data.names),
                  key=lambda option: polish_sort_key(option[0]))


def area_options(data: ExplorerData) -> list[tuple[str, str | None]]:
    """(label, area) of areas with indicators in domain order, then the gmina level (None)."""
    present = set(data.table["area"].dropna())
    options: list[tuple[str, str | None]] = [
        (AREA_NAMES[area], area) for area in AREA_IDS if area in present
    ]
    if data.table["area"].isna().any():
        options.append((GMINA_LEVEL_LABEL, None))
    return options


def stage_options() -> list[tuple[str, str | None]]:
    """(label, stage): every stage, then all stages (None)."""
    return [*((STAGE_NAMES[stage], stage) for stage in STAGE_IDS), (ALL_STAGES_LABEL, None)]


def indicator_options(data: ExplorerData, area: str | None) -> list[tuple[str, str]]:
    """(label, id) of the indicators with rows at the area's level, in catalogue order."""
    rows = data.table["area"].isna() if area is None else data.table["area"] == area
    present = set(data.table.loc[rows, "indicator"])
    return [(f"{spec.id} — {spec.name_pl}", spec.id)
            for spec in data.catalog.indicators if spec.id in present]


def year_bounds(data: ExplorerData) -> tuple[int, int]:
    """The first and last year of the indicator table."""
    years = data.table["year"]
    return int(years.min()), int(years.max())


def gminy_in_store(data: ExplorerData, selection: Selection) -> Selection:
    """The selection with gminy the store has indicators for.

    The notebook's default gminy are the demo's; a gmina's own store has
    other ones (often one). A main gmina the store lacks becomes the first
    in Polish alphabetical order, a comparison gmina it lacks becomes the
    next one (none when the store has a single gmina). Gminy given by name
    are looked up first (:func:`wkus_lib.domain.resolve_gmina`).
    """
    registry = load_gminy()

    def present(code: str | None) -> str | None:
        if code is None:
            return None
        try:
            code = resolve_gmina(code, registry).teryt
        except ParameterError:
            return None
        return code if code in data.names else None

    order = [code for _, code in gmina_options(data)]
    if not order:
        return selection
    teryt = present(selection.teryt) or order[0]
    others = [code for code in order if code != teryt]
    compare = present(selection.compare_teryt)
    if selection.compare_teryt is not None and (compare is None or compare == teryt):
        compare = others[0] if others else None
    return replace(selection, teryt=teryt, compare_teryt=compare)


def normalise_selection(data: ExplorerData, selection: Selection) -> Selection:
    """The selection made consistent with the data.

    An indicator not available at the area's level becomes the first that
    is; years are clipped to the table's; a comparison with the main gmina
    itself, and unknown extra gminy, are dropped.

    Raises
    ------
    ParameterError
        The main or the comparison gmina, the area or the stage is unknown.
    """
    known = set(data.names)
    for code in (selection.teryt, selection.compare_teryt):
        if code is not None and code not in known:
            raise ParameterError(
                f"Gmina o kodzie TERYT „{code}” nie ma wskaźników w magazynie danych "
                f"(dostępne: {', '.join(sorted(known))})."
            )
    if selection.area not in {area for _, area in area_options(data)}:
        raise ParameterError(f"Nieznany obszar „{selection.area}” (dozwolone: "
                             f"{', '.join(str(a) for _, a in area_options(data))}).")
    if selection.stage is not None and selection.stage not in STAGE_IDS:
        raise ParameterError(f"Nieznany etap „{selection.stage}” "
                             f"(dozwolone: {', '.join(STAGE_IDS)}).")
    indicators = [code for _, code in indicator_options(data, selection.area)]
    indicator = selection.indicator if selection.indicator in indicators else indicators[0]
    low, high = year_bounds(data)
    first, last = sorted(selection.years)
    years = (min(max(first, low), high), min(max(last, low), high))
    compare = None if selection.compare_teryt == selection.teryt else selection.compare_teryt
    extra = tuple(code for code in selection.extra_teryt
                  if code in known and code != selection.teryt)
    return replace(selection, indicator=indicator, years=years, compare_teryt=compare,
                   extra_teryt=extra)


# ---------------------------------------------------------- served by Voilà


VOILA_PREHEAT: Final = "VOILA_PREHEAT"
"""Voilà's kernel variable: ``True`` in a pre-started kernel, ``False`` in one started per page."""


def served_by_voila(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the kernel runs under Voilà (which sets ``VOILA_PREHEAT`` or ``VOILA_REQUEST_URL``)."""
    variables = os.environ if environ is None else environ
    return VOILA_PREHEAT in variables or "VOILA_REQUEST_URL" in variables


def requested_teryt(environ: Mapping[str, str] | None = None) -> str | None:
    """The ``teryt`` of the page address (``?teryt=2002063``), which Voilà passes to the kernel.

    Voilà 0.5 puts the request's query string into the kernel's environment
    as ``QUERY_STRING`` (CGI convention). None when absent or empty.
    """
    query = (os.environ if environ is None else environ).get("QUERY_STRING", "")
    values = parse_qs(query).get("teryt", [])
    return (values[0].strip() or None) if values else None


def apply_request(
    data: ExplorerData, selection: Selection, environ: Mapping[str, str] | None = None
) -> tuple[Selection, str | None]:
    """The selection with the gmina of the page address; a Polish warning when it is unknown.

    Gminy are named as everywhere (:func:`wkus_lib.domain.resolve_gmina`: a
    code, also one papermill turned into a number, or a name); the address
    may name the gmina in the same ways. When the address asks for the
    comparison gmina, the two swap places.
    """
    registry = load_gminy()
    compare_teryt = selection.compare_teryt
    selection = replace(
        selection,
        teryt=resolve_gmina(selection.teryt, registry, in_store=data.names).teryt,
        compare_teryt=None if compare_teryt is None
        else resolve_gmina(compare_teryt, registry, in_store=data.names).teryt,
    )
    asked = requested_teryt(environ)
    if asked is None:
        return selection, None
    try:
        code = resolve_gmina(asked, registry).teryt
    except ParameterError:
        code = asked
    if code not in data.names:
        return selection, (f"Adres strony wskazuje gminę „{asked}”, której nie ma "
                           f"w magazynie danych; pokazuję {data.gmina_name(selection.teryt)}.")
    compare = selection.teryt if selection.compare_teryt == code else selection.compare_teryt
    return replace(selection, teryt=code, compare_teryt=compare), None


def warning_html(warning: str) -> str:
    """A warning about the page address as one HTML paragraph, the text escaped.

    The warning quotes what the visitor typed into the address, so it is
    never markup: a script in ``?teryt=`` shows as text.

    >>> warning_html('Gmina „<img src=x onerror=alert(1)>”')
    '<p><strong>Uwaga:</strong> Gmina „&lt;img src=x onerror=alert(1)&gt;”</p>'
    """
    return f"<p><strong>Uwaga:</strong> {html.escape(warning)}</p>"


# ------------------------------------------------------------------- rows


def select_rows(data: ExplorerData, selection: Selection, teryt: tuple[str, ...]) -> pd.DataFrame:
    """Indicator rows of the selection for the gminy ``teryt``: one row per gmina and year.

    With ``stage`` None a year's row is the one of its first stage in the
    order ex ante, on-going, ex post (the last year of a contract is both
    on-going and ex post; the on-going row is kept).
    """
    table = data.table
    first, last = selection.years
    area_rows = table["area"].isna() if selection.area is None else table["area"] == selection.area
    keep = (
        table["teryt"].isin(teryt) & area_rows & (table["indicator"] == selection.indicator)
        & table["year"].between(first, last)
    )
    if selection.stage is not None:
        keep &= table["stage"] == selection.stage
    rows = table[keep].assign(
        _gmina=pd.Categorical(table.loc[keep, "teryt"], categories=list(teryt)),
        _stage=pd.Categorical(table.loc[keep, "stage"], categories=list(STAGE_IDS)),
    )
    rows = rows.sort_values(["_gmina", "year", "_stage"]).drop_duplicates(["teryt", "year"])
    return rows.drop(columns=["_gmina", "_stage"]).reset_index(drop=True)


def value_text(spec: IndicatorSpec, value: float, suppressed: bool, threshold: int) -> str:
    """A value in Polish format with its unit; hidden values say so and never show a number."""
    if suppressed:
        return f"ukryte (mniej niż {threshold} odpowiedzi)"
    return format_indicator_value(value, spec.unit)


def selection_table(data: ExplorerData, selection: Selection, rows: pd.DataFrame) -> pd.DataFrame:
    """The table of a selection: gmina, year, stage, value, n, interval, target, traffic light."""
    spec = data.catalog.indicator(selection.indicator)
    return pd.DataFrame({
        "Gmina": [data.gmina_name(code) for code in rows["teryt"]],
        "Rok": rows["year"].astype("int64"),
        "Etap": [STAGE_NAMES[stage] for stage in rows["stage"]],
        "Wartość": [value_text(spec, v, bool(s), data.threshold)
                    for v, s in zip(rows["value"], rows["suppressed"], strict=True)],
        "n": rows["n"],
        "95% przedział": [interval_text(row) for _, row in rows.iterrows()],
        "Cel": [format_indicator_value(v, spec.unit) for v in rows["target"]],
        "Ocena": [STATUS_LABELS[status] for status in rows["status"]],
    })


def selection_title(data: ExplorerData, selection: Selection) -> str:
    """``E1 Koszt jednostkowy na odbiorcę — Sport i kultura fizyczna``."""
    spec = data.catalog.indicator(selection.indicator)
    area = cast(AreaId | None, selection.area)
    where = GMINA_LEVEL_LABEL if area is None else AREA_NAMES[area]
    return f"{spec.id} {spec.name_pl} — {where}"


def selection_figure(data: ExplorerData, selection: Selection, rows: pd.DataFrame) -> Figure | None:
    """Dots with 95 % intervals, one row per gmina and year; None when nothing is published.

    Hidden (suppressed) and missing values are left out of the figure; the
    table lists them.
    """
    published = rows[rows["value"].notna() & ~rows["suppressed"]]
    if published.empty:
        return None
    spec = data.catalog.indicator(selection.indicator)
    several = published["teryt"].nunique() > 1
    frame = pd.DataFrame({
        "label": [f"{data.gmina_name(code)} {year}" if several else str(year)
                  for code, year in zip(published["teryt"], published["year"], strict=True)],
        "value": published["value"].to_numpy(dtype=float),
        "low": published["ci_low"].to_numpy(dtype=float),
        "high": published["ci_high"].to_numpy(dtype=float),
        "group": published["teryt"].to_numpy(dtype=str),
    })
    target = data.catalog.threshold_table()["target"].get(selection.indicator)
    apply_figure_style()
    return dot_interval_plot(
        frame,
        title=selection_title(data, selection),
        xlabel=f"{spec.name_pl} ({spec.unit})",
        group_labels={code: data.gmina_name(code) for code in selection.shown_teryt},
        reference=None if pd.isna(target) else float(target),
        reference_label="wartość docelowa",
        decimals=0 if spec.unit.startswith("zł") and not spec.unit.startswith("zł na 1") else 1,
    )


def headline_html(data: ExplorerData, selection: Selection, teryt: str) -> str:
    """The gmina's latest value of the selection, in one line of HTML (user data escaped)."""
    rows = select_rows(data, selection, (teryt,))
    name = html.escape(data.gmina_name(teryt))
    spec = data.catalog.indicator(selection.indicator)
    if rows.empty:
        text = "brak danych dla tego wyboru"
        return (f'<p class="wkus-explore-headline"><strong>{name}</strong> ({html.escape(teryt)}): '
                f'<span class="wkus-explore-value">{text}</span></p>')
    last = rows.iloc[-1]
    value = html.escape(value_text(spec, last["value"], bool(last["suppressed"]), data.threshold))
    status = cast(Status, str(last["status"]))
    light = f'<span style="color:{STATUS_COLOURS[status]}">●</span> {STATUS_LABELS[status]}'
    return (f'<p class="wkus-explore-headline"><strong>{name}</strong> ({html.escape(teryt)}), '
            f'{html.escape(spec.id)} w {int(last["year"])} r.: '
            f'<span class="wkus-explore-value">{value}</span> · {light}</p>')


def comparison_table(data: ExplorerData, selection: Selection) -> pd.DataFrame | None:
    """Year by year values of the main and the comparison gmina in two columns (None: no pair)."""
    if selection.compare_teryt is None:
        return None
    spec = data.catalog.indicator(selection.indicator)
    pair = (selection.teryt, selection.compare_teryt)
    rows = select_rows(data, selection, pair)
    texts = rows.assign(text=[value_text(spec, v, bool(s), data.threshold)
                              for v, s in zip(rows["value"], rows["suppressed"], strict=True)])
    wide = texts.pivot(index="year", columns="teryt", values="text").reindex(columns=list(pair))
    wide = wide.fillna("—")
    wide.columns = [data.gmina_name(code) for code in pair]
    return wide.rename_axis("Rok").reset_index()


# ---------------------------------------------------------------- display


def show_selection(data: ExplorerData, selection: Selection) -> None:
    """Figure and table of the selection (cell outputs; also inside an Output widget)."""
    rows = select_rows(data, selection, selection.shown_teryt)
    figure = selection_figure(data, selection, rows)
    if figure is not None:
        show_figure(figure)
    hidden = int(rows["suppressed"].sum())
    if hidden:
        show_html(f"<p>Wartości ukryte: {hidden} (mniej niż {data.threshold} odpowiedzi; "
                  "ochrona danych klientów).</p>")
    if rows.empty:
        show_html("<p>Brak wskaźników dla tego wyboru.</p>")
        return
    show_table(selection_table(data, selection, rows), selection_title(data, selection),
               formats={"Wartość": str, "Cel": str})


def comparison_html(data: ExplorerData, selection: Selection) -> str:
    """The two gminy side by side: each one's headline over the year-by-year table."""
    table = comparison_table(data, selection)
    if table is None or selection.compare_teryt is None:
        return "<p>Wybierz drugą gminę, aby porównać.</p>"
    # Inline styles: the dashboard shows this in an HTML widget, outside notebook CSS.
    cell = 'style="padding:2px 14px;text-align:right;border-bottom:1px solid #e0e0e0"'
    columns = []
    for position, code in enumerate((selection.teryt, selection.compare_teryt), start=1):
        rows = "".join(f"<tr><td {cell}>{int(year)}</td>"
                       f"<td {cell}>{html.escape(str(text))}</td></tr>"
                       for year, text in zip(table["Rok"], table.iloc[:, position], strict=True))
        columns.append(
            f'<div class="wkus-explore-side" style="flex:1">'
            f"{headline_html(data, selection, code)}"
            f'<table class="wkus-table" style="border-collapse:collapse"><thead><tr>'
            f"<th {cell}>Rok</th><th {cell}>{html.escape(data.gmina_name(code))}</th></tr>"
            f"</thead><tbody>{rows}</tbody></table></div>"
        )
    return ('<div class="wkus-explore-compare" style="display:flex;gap:2em">'
            f'{"".join(columns)}</div>')


def calendar_html(name: str, deadlines: Sequence[Deadline]) -> str:
    """The gmina's legal calendar as a static HTML table; every text escaped."""
    cell = 'style="padding:2px 10px;text-align:left;border-bottom:1px solid #e0e0e0"'
    heading = f"<h3>Terminy dokumentów: {html.escape(name)}</h3>"
    if not deadlines:
        return heading + "<p>Brak terminów.</p>"
    rows = "".join(
        f"<tr><td {cell}>{html.escape(d.due_text)}</td><td {cell}>{html.escape(d.document)}</td>"
        f"<td {cell}>{html.escape(d.legal_basis)}</td>"
        f"<td {cell}>{'<code>' + html.escape(d.command) + '</code>' if d.command else '—'}</td>"
        f"<td {cell}>{html.escape(d.status_label)}</td></tr>"
        for d in deadlines)
    head = "".join(f"<th {cell}>{label}</th>"
                   for label in ("Termin", "Dokument", "Podstawa prawna", "Polecenie", "Stan"))
    return (f'{heading}<table class="wkus-table wkus-explore-calendar" '
            f'style="border-collapse:collapse"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>")


def gmina_calendar_html(data: ExplorerData, teryt: str, today: date | None) -> str:
    """The calendar of ``teryt`` on ``today`` ("" without a date or a store)."""
    if today is None or data.store is None:
        return ""
    return calendar_html(data.gmina_name(teryt), legal_calendar(data.store, teryt, today))


def show_static(data: ExplorerData, selection: Selection, today: date | None = None) -> None:
    """The explorer without widgets: the same content as cell outputs (batch, papermill);
    with ``today``, the gmina's legal calendar at the end."""
    if data.synthetic:
        show_html(f'<div class="synthetic-banner">{html.escape(SYNTHETIC_NOTE)}</div>')
    show_html(f"<h2>{html.escape(selection_title(data, selection))}</h2>")
    show_html(headline_html(data, selection, selection.teryt))
    show_selection(data, selection)
    show_html("<h3>Porównanie dwóch gmin</h3>")
    show_html(comparison_html(data, selection))
    calendar = gmina_calendar_html(data, selection.teryt, today)
    if calendar:
        show_html(calendar)


NO_CHOICE: Final = ""
"""A dropdown's value for None (an ipywidgets Dropdown with value None shows no selection)."""


def _widget_options(options: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    return [(label, NO_CHOICE if value is None else value) for label, value in options]


def _widget_value(value: str | None) -> str:
    return NO_CHOICE if value is None else value


def _choice(value: str) -> str | None:
    return None if value == NO_CHOICE else value


def build_explorer(data: ExplorerData, selection: Selection,
                   today: date | None = None) -> ipywidgets.VBox:
    """The ipywidgets explorer: controls, an Output with figure and table, a comparison.

    Every change of a control re-renders the Output (:func:`show_selection`)
    and the comparison (:func:`comparison_html`). Returns the top widget
    (a ``VBox``); controls carry CSS classes ``wkus-<name>`` for tests.
    """
    import ipywidgets as widgets

    selection = normalise_selection(data, selection)
    gminy = gmina_options(data)
    wide = {"description_width": "150px"}
    layout = widgets.Layout(width="560px")
    gmina = widgets.Dropdown(options=gminy, value=selection.teryt, description="Gmina",
                             style=wide, layout=layout)
    compare = widgets.Dropdown(options=_widget_options([(NO_COMPARISON_LABEL, None), *gminy]),
                               value=_widget_value(selection.compare_teryt),
                               description="Porównaj z",
                               style=wide, layout=layout)
    extra = widgets.SelectMultiple(options=gminy, value=selection.extra_teryt,
                                   description="Inne gminy", rows=5, style=wide,
                                   layout=layout)
    area = widgets.Dropdown(options=_widget_options(area_options(data)),
                            value=_widget_value(selection.area),
                            description="Obszar", style=wide, layout=layout)
    stage = widgets.Dropdown(options=_widget_options(stage_options()),
                             value=_widget_value(selection.stage),
                             description="Etap", style=wide, layout=layout)
    indicator = widgets.Dropdown(options=indicator_options(data, selection.area),
                                 value=selection.indicator, description="Wskaźnik",
                                 style=wide, layout=layout)
    low, high = year_bounds(data)
    years = widgets.IntRangeSlider(value=selection.years, min=low, max=high, step=1,
                                   description="Lata", style=wide, layout=layout)
    controls = {"gmina": gmina, "compare": compare, "extra": extra, "area": area,
                "stage": stage, "indicator": indicator, "years": years}
    for name, control in controls.items():
        control.add_class(f"wkus-{name}")
    headline = widgets.HTML().add_class("wkus-explore-headline-box")
    main = widgets.Output().add_class("wkus-explore-main")
    side_by_side = widgets.HTML().add_class("wkus-explore-comparison")
    deadlines = widgets.HTML().add_class("wkus-explore-calendar-box")

    def current() -> Selection:
        return normalise_selection(data, Selection(
            teryt=gmina.value, area=_choice(area.value), stage=_choice(stage.value),
            indicator=indicator.value, years=(int(years.value[0]), int(years.value[1])),
            compare_teryt=_choice(compare.value), extra_teryt=extra.value,
        ))

    muted = [False]  # while the indicator list is being replaced

    def render(_change: object = None) -> None:
        if muted[0]:
            return
        chosen = current()
        headline.value = headline_html(data, chosen, chosen.teryt)
        side_by_side.value = comparison_html(data, chosen)
        deadlines.value = gmina_calendar_html(data, chosen.teryt, today)
        with main:
            main.clear_output(wait=True)
            show_selection(data, chosen)

    def on_area(change: Mapping[str, object]) -> None:
        options = indicator_options(data, _choice(area.value))
        codes = [code for _, code in options]
        keep = indicator.value if indicator.value in codes else codes[0]
        muted[0] = True
        try:
            indicator.options = options
            indicator.value = keep
        finally:
            muted[0] = False
        render(change)

    area.observe(on_area, names="value")
    for control in (gmina, compare, extra, stage, indicator, years):
        control.observe(render, names="value")
    render()
    return widgets.VBox([
        widgets.HTML(f"<p>{html.escape(SYNTHETIC_NOTE)}</p>" if data.synthetic else ""),
        widgets.HBox([widgets.VBox([gmina, area, stage, indicator, years]),
                      widgets.VBox([compare, extra])]),
        headline,
        main,
        widgets.HTML("<h3>Porównanie dwóch gmin</h3>"),
        side_by_side,
        deadlines,
    ]).add_class("wkus-explorer")


@dataclass(frozen=True)
class ReadyExplorer:
    """The explorer built before anyone asks for the page (:func:`prepare_explorer`)."""

    data: ExplorerData
    selection: Selection
    """The notebook's own choice, names resolved and consistent with the data."""
    today: date
    widgets: ipywidgets.VBox | None
    """The controls with the selection shown (None: static content, papermill)."""


def prepare_explorer(data: ExplorerData, selection: Selection, *, interactive: bool,
                     defaults: bool = False, today: date | None = None) -> ReadyExplorer:
    """Everything a page shows that does not depend on its address, built in advance.

    Widgets when ``interactive`` (JupyterLab, Voilà), figure included; the
    page's address (:func:`apply_request`) changes only the selection. The legal calendar is
    dated ``today`` (default: the current date — this is the notebook's edge).
    With ``defaults`` (the dashboard, whose address chooses the gmina) the
    selection's gminy are only defaults: see :func:`gminy_in_store`.
    """
    today = date.today() if today is None else today
    if defaults:
        selection = gminy_in_store(data, selection)
    resolved, _ = apply_request(data, selection, {})
    chosen = normalise_selection(data, resolved)
    widgets = build_explorer(data, chosen, today) if interactive else None
    return ReadyExplorer(data=data, selection=chosen, today=today, widgets=widgets)


def _control(widgets: ipywidgets.VBox, name: str) -> ipywidgets.ValueWidget:
    """The control carrying the CSS class ``wkus-<name>`` (:func:`build_explorer`)."""
    stack: list[object] = [widgets]
    while stack:
        widget = stack.pop()
        if f"wkus-{name}" in getattr(widget, "_dom_classes", ()):
            return cast("ipywidgets.ValueWidget", widget)
        stack.extend(getattr(widget, "children", ()))
    raise LookupError(f"wkus-{name}")


def show_explorer(ready: ReadyExplorer, selection: Selection) -> None:
    """Show the prepared explorer with the gmina and comparison of ``selection``.

    ``selection`` is ``ready.selection`` after :func:`apply_request`; only
    the gminy can differ, and only changed controls are set (each change
    re-renders). Without widgets, :func:`show_static`.
    """
    from IPython.display import display

    chosen = normalise_selection(ready.data, selection)
    if ready.widgets is None:
        show_static(ready.data, chosen, ready.today)
        return
    if chosen.compare_teryt != ready.selection.compare_teryt:
        _control(ready.widgets, "compare").value = _widget_value(chosen.compare_teryt)
    if chosen.teryt != ready.selection.teryt:
        _control(ready.widgets, "gmina").value = chosen.teryt
    display(ready.widgets)
