"""The data one report may read, and lookups every report section shares.

A report's context is built from :meth:`wkus_lib.store.Store.for_gmina`, so a
gmina's report cannot show another gmina's rows. ``area`` is None for the
gmina-level overview (all areas of the gmina).

A report sees only its year and the years before (:func:`store_up_to`): the
store view and the indicator table are cut once, here, so no section, figure,
finding, suppression register or data-sources table can show a later year.
A contract that started by the report's year stays whole (its term, e.g.
"2022–2025", is part of the contract); its rows of later years do not.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar, cast

import pandas as pd

from wkus_lib.catalog import Catalog, IndicatorSpec, load_catalog
from wkus_lib.domain import (
    ANNUAL_GRANT,
    AREA_NAMES,
    MULTI_YEAR,
    AreaId,
    Gmina,
    StageId,
    load_gminy,
    resolve_gmina,
)
from wkus_lib.evaluation.data_gaps import TABLE_LABELS
from wkus_lib.evaluation.indicators import IndicatorInputs, indicator_table
from wkus_lib.evaluation.year import NO_CONTRACT, REPORT_TABLES, EvaluationYear, evaluation_year
from wkus_lib.report.style import apply_figure_style
from wkus_lib.store import Store, read_store
from wkus_lib.store.locate import locate_store
from wkus_lib.text.i18n import N_, _, current_language, use_language
from wkus_lib.text.numbers import format_number

MODE_LABELS: Final = {MULTI_YEAR: N_("kontrakt wieloletni"), ANNUAL_GRANT: N_("dotacja roczna")}
"""How an area is funded in a year, in words (translate with ``_``)."""


@dataclass(frozen=True)
class ReportContext:
    """Everything one report may read: one gmina, one area (or all), one stage."""

    gmina: Gmina
    area: AreaId | None
    stage: StageId | str
    year: int
    store: Store
    indicators: pd.DataFrame
    catalog: Catalog
    threshold: int
    inputs: IndicatorInputs
    """The indicator engine's prepared inputs (E9 details, survey scores), computed once."""
    store_dir: Path | None = None
    """Absolute folder of the store read (``store.data_hash`` is its manifest hash)."""
    shared: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)
    """Results of :func:`per_report` functions, computed once for the sections that read them."""


Result = TypeVar("Result")


def per_report(
    function: Callable[[ReportContext], Result],
) -> Callable[[ReportContext], Result]:
    """Compute ``function(ctx)`` once per report; later calls get the same (unmodified) value.

    For data several sections read (a context is one report, so nothing passes
    between reports). Callers must not modify the returned object.
    """
    key = (function.__module__, function.__qualname__)

    @functools.wraps(function)
    def once(ctx: ReportContext) -> Result:
        if key not in ctx.shared:
            ctx.shared[key] = function(ctx)
        return cast(Result, ctx.shared[key])

    return once


def store_up_to(store: Store, year: int) -> Store:
    """The store as it stood at the end of ``year``: nothing dated after it.

    Rows of every yearly table up to ``year``; contracts that started by
    ``year`` (with their whole term; a contract starting later is not known
    yet). The data hash stays that of the store read.
    """
    cut = {
        name: (frame[frame["start_year"] <= year] if name == "contracts"
               else frame[frame["year"] <= year]).reset_index(drop=True)
        for name, frame in store.tables().items()
    }
    return dataclasses.replace(store, **cut)


def indicators_up_to(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """Indicator rows of ``year`` and earlier (see :func:`store_up_to`)."""
    return table[table["year"] <= year].reset_index(drop=True)


def open_report(
    teryt: str | int, area: str | None, stage: str, year: int, store_dir: str | Path = "",
    lang: str = "pl",
) -> ReportContext:
    """Load one gmina's data and indicator table; set the figure style and the report language.

    ``teryt`` is a code or a name (:func:`wkus_lib.domain.resolve_gmina`; a
    code papermill turned into a number is restored); ``store_dir`` is found
    by :func:`wkus_lib.store.locate.locate_store` (empty: ``WKUS_STORE`` or the
    project's store). The store view and the indicator table hold nothing
    dated after ``year`` (:func:`store_up_to`). ``lang`` words the rest of the
    caller's context, i.e. the report's notebook (:func:`wkus_lib.text.i18n.use_language`);
    elsewhere call it inside ``with language(lang):``.
    """
    use_language(lang)
    apply_figure_style()
    gmina = resolve_gmina(teryt, load_gminy())
    teryt = gmina.teryt
    store_dir = locate_store(store_dir)
    catalog = load_catalog()
    store = store_up_to(read_store(store_dir).for_gmina(teryt), year)
    threshold = catalog.settings.suppression.threshold
    inputs = IndicatorInputs(store, catalog, threshold)
    table = indicators_up_to(indicator_table(inputs, areas=None if area is None else [area]),
                             year)
    return ReportContext(
        gmina=gmina, area=area,  # type: ignore[arg-type]
        stage=stage, year=year, store=store, indicators=table, catalog=catalog,
        threshold=threshold, inputs=inputs, store_dir=store_dir,
    )


def area_name(area: AreaId) -> str:
    """The area's name in the report language."""
    return _(AREA_NAMES[area])


def indicator_name(spec: IndicatorSpec) -> str:
    """The indicator's name in the report language."""
    return spec.name_en if current_language() == "en" else spec.name_pl


def indicator_unit(spec: IndicatorSpec) -> str:
    """The indicator's unit in the report language (the Polish one without an English one)."""
    if current_language() == "en" and spec.unit_en:
        return spec.unit_en
    return spec.unit


def indicator_formula(spec: IndicatorSpec) -> str:
    """The indicator's formula in the report language (Polish without an English one)."""
    if current_language() == "en" and spec.formula_en:
        return spec.formula_en
    return spec.formula_pl


def area_contracts(ctx: ReportContext) -> pd.DataFrame:
    """Contracts of the report's area (all contracts for a gmina-level report)."""
    contracts = ctx.store.contracts
    return contracts if ctx.area is None else contracts[contracts["area"] == ctx.area]


def latest(ctx: ReportContext, stage: str | None = None, *, year: int | None = None
           ) -> pd.DataFrame:
    """Indicator rows of the report's stage and year, indexed by indicator (one area).

    ``year`` reads another year (e.g. the last complete one, :func:`baseline_year`).
    """
    if (not stage or stage == ctx.stage) and (year is None or year == ctx.year):
        return _report_latest(ctx)
    return _latest_rows(ctx, stage or str(ctx.stage), ctx.year if year is None else year)


@per_report
def _report_latest(ctx: ReportContext) -> pd.DataFrame:
    return _latest_rows(ctx, str(ctx.stage), ctx.year)


def _latest_rows(ctx: ReportContext, stage: str, year: int) -> pd.DataFrame:
    table = ctx.indicators
    rows = table[(table["stage"] == stage) & (table["year"] == year)]
    if ctx.area is not None:
        rows = rows[rows["area"].isna() | (rows["area"] == ctx.area)]
    return rows.drop_duplicates("indicator").set_index("indicator")


def yearly(ctx: ReportContext, indicator: str) -> pd.DataFrame:
    """One indicator of the report's area across all years (one row a year)."""
    rows = ctx.indicators[ctx.indicators["indicator"] == indicator]
    if ctx.area is not None:
        rows = rows[rows["area"] == ctx.area]
    rows = rows.drop_duplicates("year").sort_values("year")
    return rows[["year", "value", "n", "ci_low", "ci_high", "suppressed"]]


@per_report
def year_modes(ctx: ReportContext) -> pd.DataFrame:
    """The contract mode in force in each year for the report's area."""
    records = [
        {"year": year, "mode": row.mode}
        for row in area_contracts(ctx).itertuples(index=False)
        for year in range(int(row.start_year), int(row.end_year) + 1)
    ]
    frame = pd.DataFrame.from_records(records, columns=["year", "mode"])
    # A multi-year contract wins over a grant in the same year.
    return frame.sort_values(["year", "mode"], ascending=[True, False]).drop_duplicates("year")


@per_report
def evaluation(ctx: ReportContext) -> EvaluationYear:
    """The report year's evaluation year record: is the NGO report of ``ctx.year`` in?

    ``year`` is the report's year itself (so :func:`late_report_note`
    speaks of it); ``complete_year`` the last year up to it with the whole
    NGO report; for a gmina-level report the year counts as complete.
    """
    if ctx.area is None:
        return EvaluationYear(year=ctx.year, complete_year=ctx.year, missing=())
    found = evaluation_year(ctx.store, ctx.gmina.teryt, ctx.area, up_to=ctx.year)
    missing = found.missing if found.year == ctx.year else tuple(
        TABLE_LABELS[name] for name in REPORT_TABLES)
    return EvaluationYear(year=ctx.year, complete_year=found.complete_year, missing=missing)


def baseline_year(ctx: ReportContext) -> int:
    """The year baselines are read from: the report's year, or the last complete one before it.

    When the NGO report of ``ctx.year`` is missing, the last year whose report
    is complete (``late_report_note(evaluation(ctx))`` says so in the report).
    """
    complete = evaluation(ctx).complete_year
    return complete if complete is not None and complete < ctx.year else ctx.year


def late_report_note(record: EvaluationYear) -> str | None:
    """A sentence for reports and the programme when the evaluation year is not complete,
    in the report language (:func:`wkus_lib.text.i18n.language`; Polish by default).

    >>> late_report_note(EvaluationYear(2025, 2024, ("rezultaty",)))  # doctest: +ELLIPSIS
    'Brak sprawozdania organizacji za 2025 r. (brak: rezultaty) — linie bazowe i budżety ...'
    >>> late_report_note(EvaluationYear(2025, 2025, ())) is None
    True
    """
    if record.year is None or record.complete_year == record.year:
        return None
    if record.missing == (NO_CONTRACT,):
        gap = _("Brak umów w obszarze w {year} r. (są tylko inne dane)").format(
            year=record.year)
        fix = _("Dodaj umowy i sprawozdania organizacji i zaimportuj ponownie.")
    else:
        gap = _("Brak sprawozdania organizacji za {year} r. (brak: {missing})").format(
            year=record.year, missing=", ".join(_(label) for label in record.missing))
        fix = _("Dodaj sprawozdanie i zaimportuj ponownie.")
    if record.complete_year is None:
        return _("{gap}; żaden wcześniejszy rok nie ma pełnego sprawozdania — linii "
                 "bazowych nie da się policzyć. {fix}").format(gap=gap, fix=fix)
    return _("{gap} — linie bazowe i budżety liczone z roku {complete}, ostatniego "
             "pełnego. {fix}").format(gap=gap, complete=record.complete_year, fix=fix)


def format_indicator_value(value: float | None, unit: str) -> str:
    """An indicator value in the report's format with the catalogue unit's precision.

    ``unit`` is the catalogue's Polish unit or its English one (``unit_en``).
    """
    if unit in ("zł", "PLN") or unit.startswith(("zł na odbiorcę", "PLN per beneficiary")):
        return format_number(value, 0, unit="zł")
    if unit.startswith(("zł", "PLN")):
        return format_number(value, 2, unit="zł")
    if unit in ("%", "pkt proc.", "pp"):
        return format_number(value, 1, unit="%" if unit == "%" else _("pkt proc."))
    if unit.startswith(("pkt", "points")):
        return format_number(value, 1)
    return format_number(value, 2)


def interval_text(row: pd.Series) -> str:
    """``low–high`` of a 95 % interval, or a dash when hidden or not applicable."""
    if bool(row["suppressed"]) or pd.isna(row["ci_low"]):
        return "—"
    return f"{format_number(row['ci_low'], 1)}–{format_number(row['ci_high'], 1)}"


def stage_indicators(ctx: ReportContext) -> list[str]:
    """Catalogue indicators of the report's stage with a row this year, in catalogue order."""
    present = set(latest(ctx).index)
    return [
        spec.id for spec in ctx.catalog.indicators
        if ctx.stage in spec.stages and spec.id in present
    ]


def cell_number(value: object) -> float:
    """A table cell as a float; NaN for a missing value (None, NaN, pd.NA)."""
    if value is None or value is pd.NA:
        return float("nan")
    return float(cast(float, value))


def score_rows(ctx: ReportContext, ids: Sequence[str]) -> pd.DataFrame:
    """Survey scores of this year for a figure: label, value, interval, n, suppressed."""
    rows = latest(ctx)
    return pd.DataFrame({
        "label": [indicator_name(ctx.catalog.indicator(i)) for i in ids],
        "value": [rows.loc[i, "value"] for i in ids],
        "ci_low": [rows.loc[i, "ci_low"] for i in ids],
        "ci_high": [rows.loc[i, "ci_high"] for i in ids],
        "n": [rows.loc[i, "n"] for i in ids],
        "suppressed": [bool(rows.loc[i, "suppressed"]) for i in ids],
    })
