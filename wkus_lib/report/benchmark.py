"""Benchmark (porównanie gmin): every gmina of the store in one area, for researchers.

Gminy are compared with intervals and a funnel plot, never with a bare
league table (DOMAIN.md §6): client satisfaction Q1 against the number of
respondents with control limits around the pooled mean
(:func:`~wkus_lib.metrics.funnel.funnel_limits`), dots with intervals for Q1
and unit cost E1, a table with n, interval and the position against the
funnel instead of a rank, and the multi-year vs annual comparison (E9). Values suppressed for small cells
stay hidden: they are neither plotted nor used for the pooled mean (the mean
of the published gminy and their n would otherwise give a hidden one away).

Unlike the gmina reports, this one reads the whole store
(:func:`open_benchmark`): it necessarily shows several gminy.

Statistics (:func:`~wkus_lib.metrics.funnel.pooled_score`,
:func:`~wkus_lib.metrics.funnel.funnel_limits`,
:func:`~wkus_lib.metrics.funnel.funnel_positions`) and table builders are
pure; ``show_*`` only display.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd

from wkus_lib.catalog import Catalog, load_catalog
from wkus_lib.domain import AREA_IDS, BENCHMARK, MULTI_YEAR, AreaId, load_gminy
from wkus_lib.errors import ParameterError
from wkus_lib.evaluation.contracts import contract_modes
from wkus_lib.evaluation.indicators import IndicatorInputs, indicator_table
from wkus_lib.metrics import quality
from wkus_lib.metrics.funnel import (
    SCORE_BOUNDS,
    PooledScore,
    Position,
    funnel_limits,
    funnel_positions,
    pooled_score,
)
from wkus_lib.report.common import (
    REPORT_TITLES,
    show_data_sources,
    show_method_notes,
    show_versions,
    suppressed_mark,
    synthetic_banner_html,
)
from wkus_lib.report.context import (
    MODE_LABELS,
    area_name,
    format_indicator_value,
    indicator_formula,
    indicator_name,
    indicator_unit,
    indicators_up_to,
    interval_text,
    store_up_to,
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
)
from wkus_lib.report.missing import REPORT_TABLES, missing_data, missing_markdown
from wkus_lib.report.plots import compare as plots_compare
from wkus_lib.report.price_base import real_label
from wkus_lib.report.style import apply_figure_style
from wkus_lib.store import Store, read_store
from wkus_lib.store.locate import locate_store
from wkus_lib.text.i18n import N_, _, use_language
from wkus_lib.text.numbers import format_number

FUNNEL_GRID_POINTS: Final = 200

POSITION_LABELS: Final[dict[Position, str]] = {
    "within": N_("w lejku (w granicach 95%)"),
    "above_95": N_("powyżej lejka (poza 95%)"),
    "above_998": N_("wyraźnie powyżej (poza 99,8%)"),
    "below_95": N_("poniżej lejka (poza 95%)"),
    "below_998": N_("wyraźnie poniżej (poza 99,8%)"),
    "hidden": N_("ukryte: mniej niż {threshold} odpowiedzi"),
    "missing": N_("brak ankiet"),
}

FINDING_RULES: Final[tuple[tuple[str, str], ...]] = (
    ("B1", N_("Liczba gmin finansujących zadania w obszarze w roku oceny: razem, kontraktem "
              "wieloletnim i dotacjami rocznymi.")),
    ("B2", N_("Zadowolenie klientów (Q1): liczba gmin z pokazanym wynikiem, średnia ważona "
              "liczbą odpowiedzi i gminy poza 95% granicami lejka (z nazwy).")),
    ("B3", N_("Liczba gmin, których wyniku nie pokazano (mniej odpowiedzi niż próg ochrony "
              "danych), jeśli są.")),
    ("B4", N_("Mediana kosztu jednostkowego (E1) w gminach z kontraktem wieloletnim i w "
              "gminach z dotacjami rocznymi, gdy obie grupy mają dane.")),
    ("B5", N_("Liczba gmin, w których koszt jednostkowy po przejściu na kontrakt wieloletni "
              "spadł względem obszarów porównawczych (E9 < 0), i mediana E9.")),
)
"""Rules the findings follow, shown in the methods appendix."""


# ------------------------------------------------------------------- context


@dataclass(frozen=True)
class BenchmarkContext:
    """What a benchmark may read: every gmina of the store, one area, one year."""

    area: AreaId
    year: int
    store: Store
    indicators: pd.DataFrame
    catalog: Catalog
    threshold: int
    names: Mapping[str, str]
    """TERYT → gmina name (the code itself for gminy missing from the registry)."""
    inputs: IndicatorInputs
    """The indicator engine's prepared inputs (respondent SDs, E9 details), computed once."""
    store_dir: Path | None = None
    """Absolute folder of the store read (``store.data_hash`` is its manifest hash)."""

    @cached_property
    def modes(self) -> pd.DataFrame:
        """Contract mode in the area in the evaluation year, one row per funding gmina."""
        modes = contract_modes(self.store.contracts, self.year)
        return modes[modes["area"] == self.area].reset_index(drop=True)


def open_benchmark(
    area: str, year: int, store_dir: str | Path = "", lang: str = "pl"
) -> BenchmarkContext:
    """Load the whole store and the area's indicator table; set the figure style and the language.

    ``store_dir`` is found by :func:`wkus_lib.store.locate.locate_store` (empty:
    ``WKUS_STORE`` or the project's store). Nothing dated after ``year`` is
    read (:func:`wkus_lib.report.context.store_up_to`). ``lang`` words the rest of
    the caller's context, as in :func:`wkus_lib.report.context.open_report`.
    """
    use_language(lang)
    apply_figure_style()
    if area not in AREA_IDS:
        raise ParameterError(f"Nieznany obszar „{area}”. Dostępne: {', '.join(AREA_IDS)}")
    catalog = load_catalog()
    threshold = catalog.settings.suppression.threshold
    store_dir = locate_store(store_dir)
    store = store_up_to(read_store(store_dir), year)
    inputs = IndicatorInputs(store, catalog, threshold)
    table = indicators_up_to(indicator_table(inputs, areas=[area]), year)
    registry = load_gminy()
    names = {str(t): registry[str(t)].name if str(t) in registry else str(t)
             for t in store.contracts["teryt"].unique()}
    return BenchmarkContext(area=area, year=year, store=store, indicators=table,
                            catalog=catalog, threshold=threshold, names=names, inputs=inputs,
                            store_dir=store_dir)


def unit_rows(bctx: BenchmarkContext, indicator: str, year: int | None = None) -> pd.DataFrame:
    """One indicator of the area, one row per gmina (of ``year``, the evaluation year by default)."""
    table = bctx.indicators
    rows = table[(table["indicator"] == indicator) & (table["area"] == bctx.area)
                 & (table["year"] == (bctx.year if year is None else year))]
    return rows.drop_duplicates("teryt").reset_index(drop=True)


def _mode_of(bctx: BenchmarkContext) -> dict[str, str]:
    return dict(zip(bctx.modes["teryt"], bctx.modes["mode"], strict=True))


def satisfaction_table(bctx: BenchmarkContext) -> tuple[pd.DataFrame, PooledScore | None]:
    """Q1 of every funding gmina with its respondent SD and funnel position, by gmina name.

    Columns: ``teryt``, ``name``, ``mode``, ``value``, ``n``, ``ci_low``,
    ``ci_high``, ``sd``, ``suppressed``, ``position``. Hidden rows keep no
    value, interval or SD. The pooled score is None when fewer than two
    gminy are published.
    """
    rows = unit_rows(bctx, "Q1")
    spec = bctx.catalog.indicator("Q1")
    scores = bctx.inputs.service_scores
    sds = scores[(scores["instrument"] == quality.CLIENT) & (scores["criterion"] == spec.criterion)
                 & (scores["area"] == bctx.area) & (scores["year"] == bctx.year)]
    sd = dict(zip(sds["teryt"], sds["sd"], strict=True))
    modes = _mode_of(bctx)
    hidden = rows["suppressed"].to_numpy(dtype=bool)
    frame = pd.DataFrame({
        "teryt": rows["teryt"].astype(str).to_numpy(),
        "name": [bctx.names.get(str(t), str(t)) for t in rows["teryt"]],
        "mode": [modes.get(str(t), "") for t in rows["teryt"]],
        "value": rows["value"].to_numpy(dtype=float),
        "n": rows["n"].astype("Int64").to_numpy(),
        "ci_low": rows["ci_low"].to_numpy(dtype=float),
        "ci_high": rows["ci_high"].to_numpy(dtype=float),
        "sd": [np.nan if h else float(sd.get(str(t), np.nan))
               for t, h in zip(rows["teryt"], hidden, strict=True)],
        "suppressed": hidden,
    }).astype({"n": "Int64"})
    published = frame[~frame["suppressed"] & frame["value"].notna()]
    try:
        pooled: PooledScore | None = pooled_score(published["value"], published["n"],
                                                  published["sd"])
    except ValueError:
        pooled = None
    if pooled is None:
        position = np.where(frame["suppressed"], "hidden",
                            np.where(frame["value"].isna(), "missing", "within"))
    else:
        position = funnel_positions(frame["value"], frame["n"], pooled.mean, pooled.sd,
                                    hidden=frame["suppressed"])
    frame["position"] = position
    return frame.sort_values(["name", "teryt"], key=_name_key).reset_index(drop=True), pooled


def _name_key(column: pd.Series) -> pd.Series:
    """Alphabetical order that puts Polish letters next to their base letters."""
    return column.astype(str).str.casefold().str.translate(str.maketrans("ąćęłńóśźż", "acelnoszz"))


def unit_cost_table(bctx: BenchmarkContext) -> pd.DataFrame:
    """E1 of every funding gmina with the range over the years of its current mode.

    Columns ``teryt``, ``name``, ``mode``, ``value``, ``low``, ``high``,
    ``first_year``, ``years`` (how many yearly values the range spans),
    sorted by value (missing last).
    """
    modes = bctx.modes.set_index("teryt")
    table = bctx.indicators
    history = table[(table["indicator"] == "E1") & (table["area"] == bctx.area)
                    & (table["year"] <= bctx.year)].drop_duplicates(["teryt", "year"])
    now = unit_rows(bctx, "E1")
    records = []
    for row in now.itertuples(index=False):
        teryt = str(row.teryt)
        mode = str(modes.loc[teryt, "mode"]) if teryt in modes.index else ""
        first = int(modes.loc[teryt, "start_year"]) if mode == MULTI_YEAR else int(
            history["year"].min())
        span = history[(history["teryt"] == teryt) & (history["year"] >= first)]["value"]
        span = span.dropna()
        records.append({
            "teryt": teryt, "name": bctx.names.get(teryt, teryt), "mode": mode,
            "value": float(row.value), "low": float(span.min()) if len(span) else np.nan,
            "high": float(span.max()) if len(span) else np.nan, "first_year": first,
            "years": len(span),
        })
    frame = pd.DataFrame.from_records(records, columns=[
        "teryt", "name", "mode", "value", "low", "high", "first_year", "years"])
    return frame.sort_values("value", na_position="last").reset_index(drop=True)


def effect_table(bctx: BenchmarkContext) -> pd.DataFrame:
    """E9/E9R details of the gminy whose multi-year contract in the area ended in the year."""
    table = bctx.inputs.comparison
    rows = table[(table["area"] == bctx.area) & (table["end_year"] == bctx.year)]
    rows = rows.assign(name=[bctx.names.get(str(t), str(t)) for t in rows["teryt"]])
    return rows.sort_values("unit_cost_effect_pct", na_position="last").reset_index(drop=True)


# ----------------------------------------------------------------- findings


def _mode_label(mode: str) -> str:
    return _(MODE_LABELS[mode]) if mode in MODE_LABELS else "—"


KEY_FIGURES: Final[tuple[tuple[str, str, str], ...]] = (
    ("Q1_mean", N_("Zadowolenie klientów (Q1): średnia ważona liczbą odpowiedzi"), "pkt 0–100"),
    ("E1_multi", N_("Koszt jednostkowy (E1): mediana w gminach z kontraktem wieloletnim"),
     "zł na odbiorcę"),
    ("E1_annual", N_("Koszt jednostkowy (E1): mediana w gminach z dotacjami rocznymi"),
     "zł na odbiorcę"),
    ("E9_median", N_("Zmiana kosztu jednostkowego po przejściu na kontrakt (E9): mediana"), "%"),
)
"""The aggregates the findings cite: key, label, unit (the table "Liczby we wnioskach")."""


def key_figures(bctx: BenchmarkContext) -> pd.DataFrame:
    """The aggregates behind the findings (:data:`KEY_FIGURES`): ``key``, ``label``, ``unit``,
    ``value`` (NaN when the data do not give it) and ``count`` (gminy that went in)."""
    _satisfaction, pooled = satisfaction_table(bctx)
    costs = unit_cost_table(bctx).dropna(subset=["value"])
    multi = costs[costs["mode"] == MULTI_YEAR]["value"]
    annual = costs[(costs["mode"] != MULTI_YEAR) & (costs["mode"] != "")]["value"]
    effects = effect_table(bctx)["unit_cost_effect_pct"].dropna()
    values = {
        "Q1_mean": (pooled.mean if pooled else np.nan, pooled.units if pooled else 0),
        "E1_multi": (float(multi.median()) if len(multi) else np.nan, len(multi)),
        "E1_annual": (float(annual.median()) if len(annual) else np.nan, len(annual)),
        "E9_median": (float(effects.median()) if len(effects) else np.nan, len(effects)),
    }
    return pd.DataFrame({
        "key": [k for k, _l, _u in KEY_FIGURES],
        "label": [_(label) for _k, label, _u in KEY_FIGURES],
        "unit": [unit for _k, _l, unit in KEY_FIGURES],
        "value": [values[k][0] for k, _l, _u in KEY_FIGURES],
        "count": [values[k][1] for k, _l, _u in KEY_FIGURES],
    })


def findings(bctx: BenchmarkContext) -> list[str]:
    """Findings, each from a rule of :data:`FINDING_RULES`; aggregates from :func:`key_figures`."""
    out: list[str] = []
    modes = bctx.modes
    if modes.empty:
        return out
    figures = key_figures(bctx).set_index("key")

    def figure(key: str) -> str:
        return format_indicator_value(figures.loc[key, "value"], str(figures.loc[key, "unit"]))

    multi = int((modes["mode"] == MULTI_YEAR).sum())
    out.append(_("Gminy finansujące zadania w tym obszarze w {year} r.: {count} (kontrakt "
                 "wieloletni: {multi}, dotacje roczne: {annual}).").format(
        year=bctx.year, count=len(modes), multi=multi, annual=len(modes) - multi))
    satisfaction, pooled = satisfaction_table(bctx)
    if pooled is not None:
        outside = satisfaction[satisfaction["position"].str.startswith(("above", "below"))]
        text = _("Zadowolenie klientów (Q1): gminy z pokazanym wynikiem — {shown}, średnia "
                 "ważona liczbą odpowiedzi — {mean} pkt na 100.").format(
            shown=pooled.units, mean=figure("Q1_mean"))
        if outside.empty:
            text += " " + _("Wszystkie mieszczą się w 95% granicach lejka: różnice między nimi "
                            "mogą być przypadkowe.")
        else:
            listed = "; ".join(f"{name} ({_(POSITION_LABELS[pos])})"
                               for name, pos in zip(outside["name"], outside["position"],
                                                    strict=True))
            text += " " + _("Poza 95% granicami lejka: {gminy}.").format(gminy=listed)
        out.append(text)
    hidden = int(satisfaction["suppressed"].sum())
    if hidden:
        out.append(_("Gminy z ukrytym wynikiem Q1: {count} (mniej niż {threshold} odpowiedzi, "
                     "ochrona danych).").format(count=hidden, threshold=bctx.threshold))
    if not pd.isna(figures.loc["E1_multi", "value"]) and not pd.isna(
            figures.loc["E1_annual", "value"]):
        out.append(_("Mediana kosztu jednostkowego (E1): {multi} w gminach z kontraktem "
                     "wieloletnim i {annual} w gminach z dotacjami rocznymi. Gminy różnią się "
                     "wielkością i zakresem usług, więc to opis, nie efekt kontraktu.").format(
            multi=figure("E1_multi"), annual=figure("E1_annual")))
    effects = effect_table(bctx)["unit_cost_effect_pct"].dropna()
    if len(effects):
        out.append(_("Gminy, w których po przejściu na kontrakt wieloletni koszt jednostkowy "
                     "spadł względem obszarów porównawczych (E9 < 0): {down} z {count}; "
                     "mediana E9: {median}.").format(
            down=int((effects < 0).sum()), count=len(effects), median=figure("E9_median")))
    return out


def show_key_figures(bctx: BenchmarkContext) -> None:
    """The aggregates the findings cite, with how many gminy each is computed from."""
    figures = key_figures(bctx)
    measure, value, count = _("Miara"), _("Wartość"), _("Gminy")
    raw = pd.DataFrame({
        measure: figures["label"],
        value: [None if pd.isna(v) else float(v) for v in figures["value"]],
        _("Jednostka"): figures["unit"],
        count: figures["count"],
    })
    cells = {
        measure: [html.escape(v) for v in figures["label"]],
        value: [format_indicator_value(v, u) for v, u in zip(figures["value"], figures["unit"],
                                                              strict=True)],
        count: [str(int(c)) for c in figures["count"]],
    }
    display_table(html_table(cells, {value, count}), raw, _("Liczby we wnioskach"))


# ---------------------------------------------------------------- rendering


def show_title(bctx: BenchmarkContext) -> None:
    """Title block with the DANE SYNTETYCZNE banner when the store holds demo data."""
    banner = synthetic_banner_html(bctx.store)
    scope = _("Obszar: {area} · rok oceny: {year} · gminy finansujące obszar: {count} z {total} "
              "w magazynie danych").format(
        area=area_name(bctx.area), year=bctx.year, count=len(bctx.modes), total=len(bctx.names))
    audience = _("Raport dla badaczy: zestawia wiele gmin. Gminy porównujemy przedziałami i "
                 "wykresem lejkowym, nie rankingiem; wyniki z mniej niż {threshold} odpowiedzi "
                 "są ukryte.").format(threshold=bctx.threshold)
    show_html(
        f"{banner}<h1>{html.escape(_(REPORT_TITLES[BENCHMARK]))}</h1>"
        f'<p class="subtitle">{html.escape(scope)}</p>'
        f'<p class="subtitle">{html.escape(audience)}</p>'
    )


def show_summary(bctx: BenchmarkContext) -> None:
    """Findings from the stated rules."""
    items = findings(bctx)
    if not items:
        show_findings([_("W tym roku żadna gmina nie finansowała zadań w tym obszarze.") + " "
                       + _capital(missing_data(_("umowy w obszarze obowiązujące w {year} r.")
                                               .format(year=bctx.year), "contracts")) + "."],
                      _("Podsumowanie"), level=2)
        return
    show_findings(items, _("Podsumowanie"), level=2)
    show_key_figures(bctx)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _hidden_note(frame: pd.DataFrame, threshold: int) -> str | None:
    hidden = frame[frame["suppressed"]]
    if hidden.empty:
        return None
    return _("Nie pokazano (mniej niż {threshold} odpowiedzi): {gminy}.").format(
        threshold=threshold, gminy=", ".join(hidden["name"]))


def show_satisfaction(bctx: BenchmarkContext) -> None:
    """Q1: funnel plot, dots with 95 % intervals, and the table with n and positions."""
    show_heading(_("Zadowolenie klientów (Q1)"))
    frame, pooled = satisfaction_table(bctx)
    if frame.empty:
        show_text(missing_markdown(_("ankiety klientów w obszarze"), "survey_responses",
                                   year=bctx.year))
        return
    shown = frame[~frame["suppressed"] & frame["value"].notna()]
    if pooled is None:
        show_text(_("_Za mało gmin z pokazanym wynikiem, by narysować wykres lejkowy._"))
    else:
        show_text(_("Wykres lejkowy: każdy punkt to gmina, na osi poziomej liczba odpowiedzi. "
                    "Linie pokazują, gdzie wynik gminy może leżeć przez sam przypadek, jeśli "
                    "gmina nie różni się od średniej: 95% (kreskowane) i 99,8% (kropkowane). "
                    "Im mniej odpowiedzi, tym szerszy lejek. Punkt poza lejkiem to sygnał do "
                    "sprawdzenia, nie ocena."))
        n_max = float(shown["n"].max())
        grid = np.linspace(bctx.threshold, max(n_max * 1.15, bctx.threshold + 1),
                           FUNNEL_GRID_POINTS)
        limits = funnel_limits(grid, pooled.mean, pooled.sd)
        points = pd.DataFrame({
            "label": shown["name"], "value": shown["value"], "n": shown["n"].astype(float),
            "outside": shown["position"] != "within",
        })
        show_figure(plots_compare.funnel_plot(
            points, limits, pooled.mean,
            title=_("Zadowolenie klientów a liczba odpowiedzi, {year}").format(year=bctx.year),
            xlabel=_("liczba odpowiedzi (n)"), ylabel=_("zadowolenie, pkt 0–100"),
            target_label=_("średnia ważona: {value} pkt").format(
                value=format_number(pooled.mean, 1)),
            limit_labels={"95": _("granice 95%"), "998": _("granice 99,8%")},
        ))
    if not shown.empty:
        ordered = shown.sort_values("value")
        dots = pd.DataFrame({
            "label": ordered["name"], "value": ordered["value"], "low": ordered["ci_low"],
            "high": ordered["ci_high"], "group": ordered["mode"],
        })
        show_figure(plots_compare.dot_interval_plot(
            dots, title=_("Zadowolenie klientów z 95% przedziałem ufności, {year}").format(
                year=bctx.year),
            xlabel=_("zadowolenie, pkt 0–100"), xlim=SCORE_BOUNDS, decimals=1,
            group_labels={m: _(label) for m, label in MODE_LABELS.items()},
            reference=pooled.mean if pooled else None,
            reference_label=_("średnia ważona") if pooled else None,
        ))
    note = _hidden_note(frame, bctx.threshold)
    if note:
        show_text(note)
    show_satisfaction_table(bctx, frame)


def show_satisfaction_table(bctx: BenchmarkContext, frame: pd.DataFrame) -> None:
    """The Q1 table by gmina name: n, score, interval, position against the funnel (no rank)."""
    hidden = frame["suppressed"].to_numpy(dtype=bool)
    small = f"<\u00a0{bctx.threshold}"
    labels = [_(POSITION_LABELS[p]).format(threshold=bctx.threshold) for p in frame["position"]]
    gmina, mode, value = _("Gmina"), _("Finansowanie"), _("Zadowolenie (0–100)")
    interval, place = _("95% przedział"), _("Położenie względem lejka")
    raw = pd.DataFrame({
        gmina: frame["name"], "TERYT": frame["teryt"],
        mode: [_mode_label(m) for m in frame["mode"]],
        "n": [None if h or pd.isna(n) else int(n) for n, h in zip(frame["n"], hidden,
                                                                  strict=True)],
        value: [None if h or pd.isna(v) else float(v) for v, h in zip(frame["value"], hidden,
                                                                      strict=True)],
        interval: [interval_text(row) for _i, row in frame.iterrows()],
        place: labels,
    })
    cells = {
        gmina: [html.escape(v) for v in raw[gmina]],
        "TERYT": list(raw["TERYT"]),
        mode: [html.escape(v) for v in raw[mode]],
        "n": [small if h else format_number(n, 0) for n, h in zip(frame["n"], hidden,
                                                                  strict=True)],
        value: [suppressed_mark() if h else format_number(v, 1)
                for v, h in zip(frame["value"], hidden, strict=True)],
        interval: list(raw[interval]),
        place: [html.escape(v) for v in labels],
    }
    display_table(html_table(cells, {"n", value, interval}), raw,
                  _("Zadowolenie klientów według gmin, {year} (kolejność alfabetyczna, bez "
                    "rankingu)").format(year=bctx.year))


def show_unit_cost(bctx: BenchmarkContext) -> None:
    """E1: dots sorted by value, the range over the years of the current mode, by mode."""
    show_heading(_("Koszt jednostkowy (E1)"))
    costs = unit_cost_table(bctx)
    shown = costs.dropna(subset=["value"])
    if shown.empty:
        show_text(missing_markdown(_("koszt jednostkowy (E1) w obszarze"), "finance",
                                   "beneficiaries", year=bctx.year))
        return
    show_text(_("Koszt jednostkowy to całkowity koszt zadania podzielony przez liczbę odbiorców "
                "w roku oceny (punkt). Nie jest to wynik z próby, więc zamiast przedziału "
                "ufności kreska pokazuje najniższą i najwyższą wartość w latach obecnego trybu "
                "finansowania: od początku kontraktu wieloletniego albo od pierwszego roku "
                "danych przy dotacjach rocznych. Gminy różnią się wielkością i zakresem usług."))
    dots = pd.DataFrame({
        "label": shown["name"], "value": shown["value"], "low": shown["low"],
        "high": shown["high"], "group": shown["mode"],
    })
    show_figure(plots_compare.dot_interval_plot(
        dots, title=_("Koszt jednostkowy na odbiorcę, {year}").format(year=bctx.year),
        xlabel=_("zł na jednego odbiorcę (kreska: zakres w latach obecnego trybu)"),
        group_labels={m: _(label) for m, label in MODE_LABELS.items()},
    ))
    gmina, mode, value = _("Gmina"), _("Finansowanie"), _("Koszt jednostkowy [zł]")
    span, years = _("Zakres w latach trybu [zł]"), _("Lata")
    raw = pd.DataFrame({
        gmina: costs["name"], mode: [_mode_label(m) for m in costs["mode"]],
        value: costs["value"],
        span: [f"{format_number(lo, 0)}–{format_number(hi, 0)}" if not pd.isna(lo) else "—"
               for lo, hi in zip(costs["low"], costs["high"], strict=True)],
        years: [f"{first}–{bctx.year}" for first in costs["first_year"]],
    })
    show_table(raw, _("Koszt jednostkowy według gmin, {year}").format(year=bctx.year),
               formats={value: lambda v: format_number(v, 0), years: _unbroken})


def _unbroken(text: object) -> str:
    """Escaped text that never wraps (a year range in a narrow column)."""
    return f'<span style="white-space: nowrap">{html.escape(str(text))}</span>'


def show_multi_year_vs_annual(bctx: BenchmarkContext) -> None:
    """E9: each gmina's contract against its own annual-grant areas (difference in differences)."""
    show_heading(_("Kontrakt wieloletni a dotacje roczne (E9)"))
    effects = effect_table(bctx)
    annual = int((bctx.modes["mode"] != MULTI_YEAR).sum())
    show_text(_("E9 porównuje w każdej gminie koszt jednostkowy z lat kontraktu wieloletniego, "
                "który skończył się w roku oceny, ze średnią z lat dotacji rocznych przed tym "
                "kontraktem, w cenach stałych, i odejmuje zmianę w tych samych latach w "
                "obszarach tej gminy finansowanych wtedy dotacjami rocznymi (różnica różnic). "
                "Wartość ujemna: kontrakt obniżył koszt względem obszarów porównawczych. "
                "Gminy finansujące ten obszar dotacjami rocznymi ({annual}) nie mają E9."
                ).format(annual=annual))
    if effects.empty:
        show_text(_("_W {year} r. w tym obszarze nie zakończył się żaden kontrakt wieloletni: "
                    "E9 liczy się po zakończeniu kontraktu._").format(year=bctx.year))
        return
    shown = effects.dropna(subset=["unit_cost_effect_pct"])
    if not shown.empty:
        dots = pd.DataFrame({"label": shown["name"], "value": shown["unit_cost_effect_pct"],
                             "low": np.nan, "high": np.nan})
        show_figure(plots_compare.dot_interval_plot(
            dots, title=_("Zmiana kosztu jednostkowego po przejściu na kontrakt (E9), {year}"
                          ).format(year=bctx.year),
            xlabel=_("zmiana względem obszarów porównawczych, %"), decimals=1,
            reference=0.0, reference_label=_("brak zmiany"), value_unit="%",
        ))
    did = {"difference_in_differences": _("różnica różnic"), "before_after": _("przed i po")}
    table = pd.DataFrame({
        _("Gmina"): effects["name"],
        _("Koszt: dotacje roczne [zł]"): effects["unit_cost_before"],
        _("Koszt: kontrakt [zł]"): effects["unit_cost_after"],
        _("Zmiana [%]"): effects["unit_cost_change_pct"],
        _("Zmiana w obszarach porównawczych [%]"): effects["comparison_unit_cost_change_pct"],
        _("E9 [%]"): effects["unit_cost_effect_pct"],
        _("E9R [pkt proc.]"): effects["achievement_effect"],
        _("Metoda"): [did.get(str(m), str(m)) for m in effects["method"]],
    })
    show_table(table, _("Kontrakt wieloletni a dotacje roczne według gmin, {year} (koszt: {prices})"
                        ).format(year=bctx.year, prices=real_label(
                            bctx.inputs.catalog.price_index, bctx.year)), formats={
        _("Koszt: dotacje roczne [zł]"): lambda v: format_number(v, 0),
        _("Koszt: kontrakt [zł]"): lambda v: format_number(v, 0),
    })


def suppression_log(bctx: BenchmarkContext) -> pd.DataFrame:
    """Every survey value of the area hidden in the evaluation year, by gmina and indicator."""
    table = bctx.indicators
    hidden = table[table["suppressed"] & (table["year"] == bctx.year) & (table["area"] == bctx.area)]
    hidden = hidden.drop_duplicates(["teryt", "indicator"])
    return pd.DataFrame({
        _("Gmina"): [bctx.names.get(str(t), str(t)) for t in hidden["teryt"]],
        _("Wskaźnik"): hidden["indicator"].astype(str).to_numpy(),
        _("Rok"): hidden["year"].to_numpy(),
        _("Powód"): _("mniej niż {threshold} odpowiedzi (ochrona danych)").format(
            threshold=bctx.threshold),
    })


def show_appendix(bctx: BenchmarkContext) -> None:
    """Methods: definitions, the funnel, suppression log, rules of findings, sources, versions."""
    show_heading(_("Aneks metodologiczny"))
    ids = ("Q1", "E1", "E9", "E9R")
    definitions = pd.DataFrame.from_records([
        {_("Wskaźnik"): i, _("Nazwa"): indicator_name(bctx.catalog.indicator(i)),
         _("Jednostka"): indicator_unit(bctx.catalog.indicator(i)),
         _("Wzór"): indicator_formula(bctx.catalog.indicator(i))}
        for i in ids
    ])
    show_table(definitions, _("Definicje wskaźników (z katalogu)"))
    show_method_notes(bctx.catalog, bctx.threshold)
    show_text(_("Wykres lejkowy: środek to średnia wyników gmin ważona liczbą odpowiedzi, "
                "rozrzut to łączne (ważone) odchylenie standardowe wyników respondentów w "
                "gminach. Granice dla n odpowiedzi: średnia ± z · odchylenie / √n, z = 1,96 "
                "(95%) i 3,09 (99,8%), obcięte do 0–100 (przybliżenie normalne). Gminy z ukrytym "
                "wynikiem nie wchodzą do średniej ani do odchylenia: inaczej z wyników pozostałych "
                "gmin dałoby się odtworzyć wynik ukryty."))
    log = suppression_log(bctx)
    if log.empty:
        show_text(_("Żadna wartość nie została ukryta."))
    else:
        show_table(log, _("Rejestr ukrytych wartości (małe liczebności)"))
    rules = pd.DataFrame({
        _("Reguła"): [rule for rule, _text in FINDING_RULES],
        _("Jak powstaje wniosek"): [_(text) for _rule, text in FINDING_RULES],
    })
    show_table(rules, _("Reguły, z których powstają wnioski"))
    show_data_sources(bctx.store, REPORT_TABLES[BENCHMARK], teryt=None, area=bctx.area,
                      year=bctx.year)
    show_versions(bctx.store, bctx.store_dir)
