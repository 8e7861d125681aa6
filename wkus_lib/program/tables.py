"""The programme's tables: priority tasks, planned funds and the assessment indicators.

The assessment lists every catalogue indicator with its formula, target and
data sources, so the programme follows an edited catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import pandas as pd

from wkus_lib.catalog import IndicatorSpec
from wkus_lib.domain import AREA_NAMES, MODEL_NAMES, STAGE_IDS
from wkus_lib.program.evaluation import Evaluation, funds_total, grant_history, value_text
from wkus_lib.program.model import PLACEHOLDER, FundsLine, PriorityTask, Table
from wkus_lib.report.context import format_indicator_value
from wkus_lib.schemas import TABLES
from wkus_lib.text.numbers import format_money, format_number

DATA_SOURCES: Final[dict[str, tuple[str, str]]] = {
    "contracts": ("rejestr umów gminy", ""),
    "finance": ("sprawozdania realizatorów", "koszty i źródła finansowania"),
    "contributions": ("sprawozdania realizatorów", "wkład osobowy i rzeczowy"),
    "results": ("sprawozdania realizatorów", "rezultaty"),
    "beneficiaries": ("sprawozdania realizatorów", "odbiorcy, kadra, skargi"),
    "needs": ("diagnoza potrzeb", ""),
    "procedure_costs": ("kalkulacja kosztu konkursu w urzędzie", ""),
    "survey_responses": ("ankiety klientów i personelu, samoocena realizatora", ""),
    "survey_comments": ("wypowiedzi z ankiet", ""),
    "standard_checklist": ("samoocena realizatora i kontrola standardu usługi", ""),
    "cooperation_checklist": ("lista kontrolna współpracy (urząd)", ""),
    "cooperation_survey": ("ankieta współpracy (urzędnicy i organizacje)", ""),
}
"""Where each store table's data come from (document, detail), as the assessment names it."""


def priority_table(tasks: Sequence[PriorityTask]) -> Table:
    """The priority tasks with their basis in the evaluation, indicators and proposed form."""
    return Table(
        caption="Priorytetowe zadania publiczne i podstawa ich wyboru",
        header=("Lp.", "Obszar i zadanie", "Podstawa (ocena)", "Wskaźniki", "Proponowana forma"),
        rows=tuple(
            (f"{number}.", f"{AREA_NAMES[t.area]}: {t.task}", t.basis, t.indicators, t.proposal)
            for number, t in enumerate(tasks, start=1)
        ),
        widths=(0.06, 0.25, 0.22, 0.25, 0.22),
    )


def funds_tables(evaluation: Evaluation, lines: Sequence[FundsLine],
                 first_year: int, last_year: int) -> tuple[Table, Table]:
    """The grants of past years (the basis), then the proposal per area for the period."""
    years = last_year - first_year + 1
    base = evaluation.base_year
    history = grant_history(evaluation)
    past = Table(
        caption=f"Dotacje gminy dla organizacji w latach {int(history['year'].min())}–"
                f"{int(history['year'].max())} (podstawa propozycji)" if len(history)
                else "Dotacje gminy dla organizacji",
        header=("Rok", "Plan, ceny bieżące [zł]", "Wykonanie, ceny bieżące [zł]",
                "Liczba umów"),
        rows=tuple(
            (str(year), format_money(planned), format_money(actual), format_number(count, 0))
            for year, planned, actual, count in zip(
                history["year"], history["planned"], history["actual"], history["contracts"],
                strict=True)
        ),
        widths=(0.16, 0.3, 0.3, 0.24), numeric=frozenset({1, 2, 3}),
    )
    proposal_rows = []
    for line in lines:
        per_year = line.proposed_per_year
        proposal_rows.append((
            AREA_NAMES[line.area], _basis_grant_text(line, base),
            format_money(line.mean_grant),
            format_money(per_year) if per_year is not None else PLACEHOLDER,
            format_money(per_year * years) if per_year is not None else PLACEHOLDER,
        ))
    total = funds_total(lines)
    if any(line.proposed_per_year is not None for line in lines):
        proposal_rows.append(("Razem", "", "", format_money(total), format_money(total * years)))
    else:
        proposal_rows.append(("Razem", "", "", PLACEHOLDER, PLACEHOLDER))
    proposal = Table(
        caption=f"Proponowane środki na lata {first_year}–{last_year} według obszarów",
        header=("Obszar", *_basis_headers(lines, base),
                "Propozycja na rok [zł]", f"Razem {first_year}–{last_year} [zł]"),
        rows=tuple(proposal_rows),
        widths=(0.32, 0.17, 0.17, 0.17, 0.17), numeric=frozenset({1, 2, 3, 4}),
    )
    return past, proposal


def _basis_headers(lines: Sequence[FundsLine], base: int) -> tuple[str, str]:
    """``Wykonanie 2025``, ``Średnio 2023–2025, ceny 2025 r.``; in words when areas differ.

    The mean is in constant prices of the basis year (:func:`funds_lines`).
    """
    if all(line.basis_year == base and line.complete for line in lines):
        return f"Wykonanie {base} [zł]", f"Średnio {base - 2}–{base}, ceny {base} r. [zł]"
    return ("Wykonanie w roku podstawy [zł]",
            "Średnio z 3 lat do roku podstawy, w cenach roku podstawy [zł]")


def _basis_grant_text(line: FundsLine, base: int) -> str:
    """The basis grant; its year added when the area's report for ``base`` is not complete."""
    if line.basis_year is None:
        return f"{PLACEHOLDER} (brak kosztów w sprawozdaniach)"
    grant = format_money(line.last_year_grant)
    if not line.complete:
        return f"{grant} ({line.basis_year} r., sprawozdanie niepełne)"
    return grant if line.basis_year == base else f"{grant} ({line.basis_year} r.)"


def target_text(spec: IndicatorSpec) -> str:
    r"""Target and traffic-light thresholds in words, or a placeholder when there is no norm.

    Examples
    --------
    >>> from wkus_lib.catalog import load_catalog
    >>> target_text(load_catalog().indicator("E4"))
    'cel: ≤ 10,0\xa0%; dobrze ≤ 10,0\xa0%, uwaga ≤ 15,0\xa0%'
    """
    sign = "≥" if spec.direction == "higher" else "≤"
    parts = []
    if spec.target is not None:
        parts.append(f"cel: {sign} {format_indicator_value(spec.target, spec.unit)}")
    if spec.thresholds is not None:
        green = format_indicator_value(spec.thresholds.green, spec.unit)
        amber = format_indicator_value(spec.thresholds.amber, spec.unit)
        parts.append(f"dobrze {sign} {green}, uwaga {sign} {amber}")
    if not parts:
        better = "niższa" if spec.direction == "lower" else "wyższa"
        return f"bez normy ({better} wartość lepsza); cel gminy {PLACEHOLDER}"
    return "; ".join(parts)


def _source_text(spec: IndicatorSpec) -> str:
    """The indicator's data sources, details of one document merged: ``sprawozdania
    realizatorów (koszty i źródła finansowania; rezultaty)``."""
    details: dict[str, list[str]] = {}
    for name in [n for n in spec.inputs if n != "contracts"] or ["contracts"]:
        document, detail = DATA_SOURCES.get(name) or ((TABLES[name].__doc__ or name)
                                                      .split(".")[0], "")
        details.setdefault(document, [])
        if detail:
            details[document].append(detail)
    return "; ".join(f"{document} ({'; '.join(parts)})" if parts else document
                     for document, parts in details.items())


def assessment_tables(evaluation: Evaluation) -> list[Table]:
    """One table per model: every catalogue indicator with formula, target and source.

    Gmina-level indicators (the cooperation model) also show the basis-year value.
    """
    gmina_rows = pd.concat([evaluation.rows(None, stage, evaluation.base_year)
                            for stage in STAGE_IDS])
    gmina_rows = gmina_rows[~gmina_rows.index.duplicated()]
    tables = []
    for model, model_name in MODEL_NAMES.items():
        specs = [s for s in evaluation.catalog.indicators if s.model == model]
        if not specs:
            continue
        with_baseline = any(s.id in gmina_rows.index for s in specs)
        header: tuple[str, ...] = ("Symbol", "Wskaźnik [jednostka]", "Sposób obliczenia",
                                   "Wartość docelowa", "Źródło danych")
        widths: tuple[float, ...] = (0.11, 0.19, 0.34, 0.18, 0.18)
        if with_baseline:
            header += (f"Wartość {evaluation.base_year} r.",)
            widths = (0.11, 0.17, 0.29, 0.16, 0.15, 0.12)
        rows = []
        for spec in specs:
            name = f"{spec.name_pl} [{spec.unit}]" + (" (opcjonalny)" if spec.optional else "")
            row: tuple[str, ...] = (spec.id, name, spec.formula_pl, target_text(spec),
                                    _source_text(spec))
            if with_baseline:
                row += (value_text(evaluation, spec, gmina_rows),)
            rows.append(row)
        tables.append(Table(
            caption=f"Wskaźniki modelu „{model_name}”", header=header, rows=tuple(rows),
            widths=widths, numeric=frozenset({5}) if with_baseline else frozenset(),
        ))
    return tables
