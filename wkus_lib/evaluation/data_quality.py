"""The data-quality scorecard: one tidy table per gmina × area × year (DOMAIN.md §6).

Data quality comes before results. Every check is a pure function over
validated store tables (:mod:`wkus_lib.schemas`) and returns rows with
:data:`SCORECARD_COLUMNS`; :func:`data_quality_scorecard` runs them all. The
same table feeds ``wkus check`` and the reports' data-quality sections.

Checks (``check`` column; ``scope`` says which instrument, table or indicator):

- ``response_rate`` — client questionnaires / clients served × 100 %, per
  gmina × area × year with a client survey. The **client roster** is the
  beneficiaries table's ``clients_served`` summed over the area's contracts
  that year. Judged from below; above 100 % is always a problem (more
  questionnaires than clients: the roster or the survey is wrong). Years
  without a client survey are not judged (no survey is not a low response).
- ``item_nonresponse`` — unanswered items (``answer`` empty, "nie dotyczy"
  included) / all items × 100 %, per survey instrument.
- ``straight_lining`` — respondents who gave one and the same answer to every
  item / respondents judged × 100 %; judged are those with at least
  ``straight_lining_min_items`` answers. Groups with fewer judged
  respondents than the suppression threshold get no row: too few to judge,
  and the share would reveal a person's answering pattern (the provider's
  single self-assessment is therefore never judged).
- ``duplicate_respondents`` — respondent ids entered more than once for the
  same item (a questionnaire typed twice); any is a problem. The repeated
  rows are left out of the other survey checks.
- ``finance_totals`` — finance reports (contract × year) whose lines do not
  add up. The report's totals (sprawozdanie cz. II) are sums of the cost
  lines, by category and by source, so they fail to add up when (a) a cost
  line is entered twice (same contract, year, category and source: the total
  counts it twice — a problem), (b) the personal contribution's value differs
  from volunteer hours × hourly rate by more than ``contribution_tolerance``
  zł (its own components do not add up — a problem), or (c) a planned line
  has no actual cost (the actual total is incomplete — uwaga).
- ``results_missing`` — results of the year without an achieved value
  (uwaga when any).
- ``outlier`` — the year's value of each indicator in ``outliers.indicators``
  (default E1, E1H, E4, computed by :mod:`wkus_lib.evaluation.indicators`) against the
  area's own years up to that year, by
  :func:`wkus_lib.metrics.outliers.robust_outlier_flags`; needs at least
  ``outliers.min_years`` years, and a flag also needs a difference from the
  median of at least ``outliers.min_change_pct`` % of the median (a minimum
  meaningful spread). ``value`` is the modified z-score (``"mad"``) or the
  value itself (``"iqr"``); ``observed`` and ``reference`` are the year's
  value and the median it is compared with and ``z_score`` its modified
  z-score (the numbers behind every flag, NaN for other checks; the wording
  is made in :mod:`wkus_lib.report.data_quality`); an outlier is "uwaga"
  (check the report).

Thresholds come from the catalogue (``settings.data_quality``); the scorecard
holds counts of respondents, never answers. A gmina's scorecard built from
``Store.for_gmina`` holds only that gmina's rows (outliers compare a gmina
with its own history only).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Final, Literal

import numpy as np
import pandas as pd

from wkus_lib.catalog import Catalog, DataQualitySettings, QualityBand
from wkus_lib.domain import AREA_IDS
from wkus_lib.errors import CatalogError
from wkus_lib.evaluation.indicators import INDICATOR_FUNCTIONS, UNIT_KEYS, IndicatorInputs
from wkus_lib.metrics.outliers import modified_z_scores, robust_outlier_flags
from wkus_lib.schemas import SERVICE_INSTRUMENTS
from wkus_lib.store import Store
from wkus_lib.text.numbers import format_number

QualityStatus = Literal["ok", "uwaga", "problem"]
STATUS_ORDER: Final[tuple[QualityStatus, ...]] = ("problem", "uwaga", "ok")
CHECKS: Final = (
    "response_rate", "item_nonresponse", "straight_lining", "duplicate_respondents",
    "finance_totals", "results_missing", "outlier",
)
CHECK_NAMES: Final[dict[str, str]] = {
    "response_rate": "Zwrot ankiet klientów",
    "item_nonresponse": "Braki odpowiedzi",
    "straight_lining": "Jednakowe odpowiedzi",
    "duplicate_respondents": "Zduplikowani respondenci",
    "finance_totals": "Sumy sprawozdań finansowych",
    "results_missing": "Rezultaty bez wartości osiągniętej",
    "outlier": "Wartość odstająca",
}
"""Polish names of the checks (the CLI and the HTML scorecard)."""
CHECK_UNITS: Final[dict[str, str]] = {
    "response_rate": "%", "item_nonresponse": "%", "straight_lining": "%",
    "duplicate_respondents": "osoby", "finance_totals": "sprawozdania",
    "results_missing": "rezultaty", "outlier": "z",
}
SCORECARD_COLUMNS: Final = (
    "teryt", "area", "year", "check", "scope", "value", "n", "status", "explanation",
    "observed", "reference", "z_score",
)
RESPONSE_KEYS: Final = ["teryt", "area", "year", "instrument"]


def _empty() -> pd.DataFrame:
    return pd.DataFrame({
        "teryt": pd.Series(dtype="str"), "area": pd.Series(dtype="str"),
        "year": pd.Series(dtype="int64"), "check": pd.Series(dtype="str"),
        "scope": pd.Series(dtype="str"), "value": pd.Series(dtype="float64"),
        "n": pd.Series(dtype="int64"), "status": pd.Series(dtype="str"),
        "explanation": pd.Series(dtype="str"), "observed": pd.Series(dtype="float64"),
        "reference": pd.Series(dtype="float64"), "z_score": pd.Series(dtype="float64"),
    })


def _parts(key: object) -> tuple[Any, ...]:
    """A group-by key as a tuple (pandas types it as a bare Hashable)."""
    return tuple(key) if isinstance(key, tuple) else (key,)


def _keyed(frame: pd.DataFrame | pd.Series) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """(group key, column values) per row of a grouped result; faster than ``iterrows``."""
    columns = frame.to_frame() if isinstance(frame, pd.Series) else frame
    values = {str(c): columns[c].tolist() for c in columns.columns}
    return [(_parts(key), {c: v[i] for c, v in values.items()})
            for i, key in enumerate(columns.index)]


def _rows(records: list[dict[str, object]]) -> pd.DataFrame:
    if not records:
        return _empty()
    frame = pd.DataFrame.from_records(records).reindex(columns=list(SCORECARD_COLUMNS))
    return frame.astype({"teryt": "str", "area": "str", "year": "int64", "check": "str",
                         "scope": "str", "value": "float64", "n": "int64", "status": "str",
                         "explanation": "str", "observed": "float64",
                         "reference": "float64", "z_score": "float64"})


def status_above(value: float, band: QualityBand) -> QualityStatus:
    """``problem`` above ``band.problem``, ``uwaga`` above ``band.uwaga``, else ``ok``.

    >>> status_above(15.0, QualityBand(uwaga=10, problem=20))
    'uwaga'
    """
    if value > band.problem:
        return "problem"
    return "uwaga" if value > band.uwaga else "ok"


def status_below(value: float, band: QualityBand) -> QualityStatus:
    """``problem`` below ``band.problem``, ``uwaga`` below ``band.uwaga``, else ``ok``.

    >>> status_below(5.0, QualityBand(uwaga=10, problem=3))
    'uwaga'
    """
    if value < band.problem:
        return "problem"
    return "uwaga" if value < band.uwaga else "ok"


def format_check_value(check: str, value: float) -> str:
    """A check's value for people: shares in %, counts whole, z-scores with two decimals.

    >>> format_check_value("response_rate", 12.345) == "12,3\N{NO-BREAK SPACE}%"
    True
    >>> format_check_value("outlier", 7.136).replace("\N{NO-BREAK SPACE}", " ")
    'z = 7,14'
    """
    unit = CHECK_UNITS.get(check, "")
    if unit == "%":
        return format_number(value, 1, unit="%")
    if unit == "z":
        return f"z\N{NO-BREAK SPACE}=\N{NO-BREAK SPACE}{format_number(value, 2)}"
    return format_number(value, 0)


def _deduplicated(responses: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Responses without repeated respondent × item rows, and the repeated rows."""
    repeated = responses.duplicated([*RESPONSE_KEYS, "respondent_id", "item_id"], keep="first")
    return responses[~repeated.to_numpy()], responses[repeated.to_numpy()]


def duplicate_respondents(responses: pd.DataFrame) -> pd.DataFrame:
    """Respondent ids entered more than once for an item, per gmina × area × year × instrument.

    ``responses`` is the ``survey_responses`` table. ``value`` = respondents
    with a repeated item, ``n`` = respondents; any duplicate is a problem.

    >>> frame = pd.DataFrame({"teryt": "2013023", "area": "sport", "year": 2024,
    ...     "instrument": "klient", "respondent_id": ["a", "a", "a", "b"],
    ...     "item_id": ["i1", "i2", "i1", "i1"], "answer": pd.array([3, 4, 3, 5], dtype="Int8")})
    >>> duplicate_respondents(frame)[["value", "n", "status"]].values.tolist()
    [[1.0, 2, 'problem']]
    """
    if responses.empty:
        return _empty()
    _clean, repeated = _deduplicated(responses)
    people = responses.groupby(RESPONSE_KEYS, sort=True)["respondent_id"].nunique()
    doubled = repeated.groupby(RESPONSE_KEYS, sort=True)["respondent_id"].nunique()
    records: list[dict[str, object]] = []
    doubled_by_key = {_parts(key): int(count) for key, count in doubled.items()}
    for (teryt, area, year, instrument), row in _keyed(people):
        n = row["respondent_id"]
        count = doubled_by_key.get((teryt, area, year, instrument), 0)
        explanation = (
            f"{count} z {n} respondentów ma tę samą ankietę wpisaną więcej niż raz; powtórzenia "
            "usuń przed liczeniem wyników" if count else "brak powtórzonych ankiet")
        records.append({"teryt": teryt, "area": area, "year": year,
                        "check": "duplicate_respondents", "scope": instrument,
                        "value": float(count), "n": int(n),
                        "status": "problem" if count else "ok",
                        "explanation": explanation})
    return _rows(records)


def item_nonresponse(responses: pd.DataFrame, settings: DataQualitySettings) -> pd.DataFrame:
    """Unanswered items / all items × 100 %, per gmina × area × year × instrument.

    Repeated rows of a duplicate respondent count once. ``n`` = item rows;
    statuses from ``settings.item_nonresponse`` (judged from above).
    """
    if responses.empty:
        return _empty()
    clean, _repeated = _deduplicated(responses)
    missing = clean.assign(missing=clean["answer"].isna().to_numpy())
    grouped = missing.groupby(RESPONSE_KEYS, sort=True)["missing"].agg(["sum", "size"])
    records: list[dict[str, object]] = []
    for (teryt, area, year, instrument), row in _keyed(grouped):
        gaps, total = int(row["sum"]), int(row["size"])
        share = gaps / total * 100.0
        records.append({"teryt": teryt, "area": area, "year": year,
                        "check": "item_nonresponse", "scope": instrument, "value": share,
                        "n": total, "status": status_above(share, settings.item_nonresponse),
                        "explanation": f"{gaps} z {total} pytań bez odpowiedzi "
                                       f"(także „nie dotyczy”)"})
    return _rows(records)


def straight_lining(
    responses: pd.DataFrame, settings: DataQualitySettings, *, threshold: int
) -> pd.DataFrame:
    """Respondents with one answer to every item / respondents judged × 100 %.

    Judged are respondents with at least ``settings.straight_lining_min_items``
    answers. Groups with fewer judged respondents than ``threshold``
    (small-cell suppression) get no row.
    """
    if responses.empty:
        return _empty()
    clean, _repeated = _deduplicated(responses)
    answered = clean[clean["answer"].notna().to_numpy()]
    per_person = answered.groupby([*RESPONSE_KEYS, "respondent_id"], sort=True)["answer"].agg(
        ["count", "nunique"])
    judged = per_person[per_person["count"] >= settings.straight_lining_min_items]
    liners = (judged["nunique"] == 1).groupby(level=RESPONSE_KEYS).agg(["sum", "size"])
    records: list[dict[str, object]] = []
    for (teryt, area, year, instrument), row in _keyed(liners):
        count, n = int(row["sum"]), int(row["size"])
        if n < threshold:
            continue
        share = count / n * 100.0
        records.append({"teryt": teryt, "area": area, "year": year, "check": "straight_lining",
                        "scope": instrument, "n": n, "value": share,
                        "status": status_above(share, settings.straight_lining),
                        "explanation": f"{count} z {n} respondentów dało tę samą odpowiedź na "
                                       "wszystkie pytania"})
    return _rows(records)


def _with_unit(frame: pd.DataFrame, contracts: pd.DataFrame) -> pd.DataFrame:
    """Contract-level rows with the contract's ``teryt`` and ``area`` (unknown contracts dropped)."""
    lookup = contracts.drop_duplicates("contract_id")[["contract_id", "teryt", "area"]]
    return frame.merge(lookup, on="contract_id", how="inner")


def response_rate(
    responses: pd.DataFrame, beneficiaries: pd.DataFrame, contracts: pd.DataFrame,
    settings: DataQualitySettings,
) -> pd.DataFrame:
    """Client questionnaires / clients served × 100 %, per gmina × area × year with a client survey.

    The client roster is ``beneficiaries.clients_served`` summed over the
    area's contracts that year. ``n`` = clients served. Above 100 % or with no
    roster the row is a problem; otherwise statuses from
    ``settings.response_rate`` (judged from below).
    """
    clients = responses[responses["instrument"] == "klient"]
    if clients.empty:
        return _empty()
    keys = list(UNIT_KEYS)
    respondents = clients.groupby(keys, sort=True)["respondent_id"].nunique()
    roster = _with_unit(beneficiaries, contracts).groupby(keys, sort=True)["clients_served"].sum()
    records: list[dict[str, object]] = []
    roster_by_key = {_parts(key): int(served) for key, served in roster.items()}
    for (teryt, area, year), row in _keyed(respondents):
        count = row["respondent_id"]
        served = roster_by_key.get((teryt, area, year), 0)
        base = {"teryt": teryt, "area": area, "year": year, "check": "response_rate",
                "scope": "klient", "n": served}
        if served == 0:
            records.append({**base, "value": np.nan, "status": "problem",
                            "explanation": f"ankiety klientów: {count}, ale brak liczby odbiorców "
                                           "usługi (beneficiaries.clients_served) w tym roku"})
            continue
        rate = count / served * 100.0
        status = "problem" if rate > 100.0 else status_below(rate, settings.response_rate)
        over = "; więcej ankiet niż odbiorców — sprawdź listę odbiorców" if rate > 100.0 else ""
        records.append({**base, "value": rate, "status": status,
                        "explanation": f"ankiety klientów: {count}; odbiorcy usługi: {served}"
                                       f"{over}"})
    return _rows(records)


def finance_totals(
    finance: pd.DataFrame, contributions: pd.DataFrame, contracts: pd.DataFrame,
    settings: DataQualitySettings,
) -> pd.DataFrame:
    """Finance reports (contract × year) whose lines do not add up, per gmina × area × year.

    See the module docstring for the three rules. ``value`` = reports with a
    broken rule, ``n`` = reports checked; a duplicated line or a personal
    contribution ≠ hours × rate is a problem, a missing actual cost only uwaga.

    >>> lines = pd.DataFrame({"contract_id": "c", "year": 2024, "category": "dzialania",
    ...     "source": ["dotacja", "dotacja"], "planned": [100.0, 100.0], "actual": [90.0, 90.0]})
    >>> gifts = pd.DataFrame(columns=["contract_id", "year", "kind", "value",
    ...                               "volunteer_hours", "hourly_rate"])
    >>> deal = pd.DataFrame({"contract_id": ["c"], "teryt": ["2013023"], "area": ["sport"]})
    >>> finance_totals(lines, gifts, deal, DataQualitySettings())[["value", "status"]].values.tolist()
    [[1.0, 'problem']]
    """
    keys = ["contract_id", "year"]
    lines = finance.assign(
        duplicate=finance.duplicated([*keys, "category", "source"], keep="first").to_numpy(),
        no_actual=finance["actual"].isna().to_numpy(),
    )
    line_groups = lines.groupby(keys, sort=True)
    per_report = line_groups[["duplicate", "no_actual"]].sum().assign(lines=line_groups.size())
    personal = contributions[contributions["kind"] == "osobowy"]
    hours = personal["volunteer_hours"].to_numpy(dtype=float, na_value=np.nan)
    rate = personal["hourly_rate"].to_numpy(dtype=float, na_value=np.nan)
    value = personal["value"].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        off = np.abs(value - hours * rate) > settings.contribution_tolerance
    valuation = personal[keys].assign(valuation=off).groupby(keys, sort=True)["valuation"].sum()
    reports = per_report.join(valuation, how="outer").fillna(0).reset_index()
    reports = _with_unit(reports, contracts)
    if reports.empty:
        return _empty()
    unit = list(UNIT_KEYS)
    flagged = reports.assign(
        problem=(reports["duplicate"] > 0) | (reports["valuation"] > 0),
        broken=(reports["duplicate"] > 0) | (reports["valuation"] > 0) | (reports["no_actual"] > 0),
    )
    unit_groups = flagged.groupby(unit, sort=True)
    summary = unit_groups[["broken", "problem", "duplicate", "no_actual", "lines"]].sum().rename(
        columns={"problem": "problems"}).assign(reports=unit_groups.size())
    doubled = flagged[flagged["duplicate"] > 0].groupby(unit)["contract_id"].agg(", ".join)
    misvalued = flagged[flagged["valuation"] > 0].groupby(unit)["contract_id"].agg(", ".join)
    records: list[dict[str, object]] = []
    doubled_ids = {_parts(key): ids for key, ids in doubled.items()}
    misvalued_ids = {_parts(key): ids for key, ids in misvalued.items()}
    for (teryt, area, year), row in _keyed(summary):
        notes = []
        if (teryt, area, year) in doubled_ids:
            notes.append(f"pozycje kosztów wpisane dwa razy: {int(row['duplicate'])} "
                         f"(umowy: {doubled_ids[teryt, area, year]})")
        if (teryt, area, year) in misvalued_ids:
            notes.append("wkład osobowy różny od godzin × stawki: "
                         f"{misvalued_ids[teryt, area, year]}")
        if row["no_actual"]:
            notes.append(f"pozycje bez kosztu poniesionego: {int(row['no_actual'])} z "
                         f"{int(row['lines'])}")
        status: QualityStatus = (
            "problem" if row["problems"] else ("uwaga" if row["broken"] else "ok"))
        count = int(row["reports"])
        records.append({"teryt": teryt, "area": area, "year": year, "check": "finance_totals",
                        "scope": "finanse", "value": float(row["broken"]), "n": count,
                        "status": status,
                        "explanation": "; ".join(notes) if notes
                        else f"wszystkie sprawozdania ({count}) sumują się"})
    return _rows(records)


def results_missing(results: pd.DataFrame, contracts: pd.DataFrame) -> pd.DataFrame:
    """Results of the year without an achieved value, per gmina × area × year (uwaga when any)."""
    rows = _with_unit(results, contracts)
    if rows.empty:
        return _empty()
    counts = rows.assign(missing=rows["achieved"].isna().to_numpy()).groupby(
        list(UNIT_KEYS), sort=True)["missing"].agg(["sum", "size"])
    records: list[dict[str, object]] = []
    for (teryt, area, year), row in _keyed(counts):
        gaps, total = int(row["sum"]), int(row["size"])
        records.append({"teryt": teryt, "area": area, "year": year, "check": "results_missing",
                        "scope": "rezultaty", "value": float(gaps), "n": total,
                        "status": "uwaga" if gaps else "ok",
                        "explanation": f"{gaps} z {total} rezultatów bez wartości osiągniętej"})
    return _rows(records)


def yearly_outliers(
    values: pd.DataFrame, settings: DataQualitySettings, *, indicator: str
) -> pd.DataFrame:
    """Each year's value against the same gmina × area's years up to it.

    ``values`` has ``teryt``, ``area``, ``year`` and ``value`` (one indicator).
    A year is judged when the area has at least ``settings.outliers.min_years``
    years with a value up to it; ``value`` = modified z-score (method
    ``"mad"``) or the indicator value (``"iqr"``), ``n`` = years compared,
    ``observed`` = the year's value, ``reference`` = the median of the years
    compared, ``z_score`` = the year's modified z-score (whatever the method).
    A flag needs the statistical rule and a difference from the median of at
    least ``settings.outliers.min_change_pct`` % of it. The rows carry numbers
    only (``explanation`` is empty): reports and ``wkus check`` word them
    (:func:`wkus_lib.report.data_quality.explain_outliers`).

    >>> frame = pd.DataFrame({"teryt": "2013023", "area": "sport",
    ...     "year": [2020, 2021, 2022, 2023, 2024], "value": [10.0, 12.0, 11.0, 13.0, 40.0]})
    >>> yearly_outliers(frame, DataQualitySettings(), indicator="E1")[["year", "status"]].values.tolist()
    [[2023, 'ok'], [2024, 'uwaga']]

    A trivial spread (0,8 % above the median) is no outlier, however large its z:

    >>> costs = frame.assign(value=[9.43, 9.44, 9.45, 9.44, 9.52])
    >>> row = yearly_outliers(costs, DataQualitySettings(), indicator="E1").iloc[-1]
    >>> float(round(row["value"], 2)), row["status"]
    (5.4, 'ok')
    >>> float(row["observed"]), float(row["reference"]), int(row["n"])
    (9.52, 9.44, 5)
    """
    rules = settings.outliers
    known = values[values["value"].notna()].sort_values(["teryt", "area", "year"])
    records: list[dict[str, object]] = []
    all_years = known["year"].to_numpy()
    all_values = known["value"].to_numpy(dtype=float)
    places = list(zip(known["teryt"].tolist(), known["area"].tolist(), strict=True))
    starts = [i for i in range(len(places)) if i == 0 or places[i] != places[i - 1]]
    ends = [*starts[1:], len(places)] if starts else []
    for start, end in zip(starts, ends, strict=True):
        teryt, area = places[start]
        years = all_years[start:end]
        series = all_values[start:end]
        for position in range(rules.min_years - 1, len(series)):
            history = series[: position + 1]
            z_score = float(modified_z_scores(history)[-1])
            score = z_score if rules.method == "mad" else float(history[-1])
            flag = bool(robust_outlier_flags(
                history, method=rules.method, threshold=rules.threshold,
                iqr_factor=rules.iqr_factor, min_relative_change=rules.min_change_pct)[-1])
            records.append({
                "teryt": teryt, "area": area, "year": int(years[position]), "check": "outlier",
                "scope": indicator, "value": score, "n": position + 1,
                "status": "uwaga" if flag else "ok", "explanation": "",
                "observed": float(history[-1]), "reference": float(np.median(history)),
                "z_score": z_score,
            })
    return _rows(records)


def indicator_outliers(inputs: IndicatorInputs, settings: DataQualitySettings) -> pd.DataFrame:
    """:func:`yearly_outliers` of each catalogue indicator in ``settings.outliers.indicators``."""
    parts = []
    for indicator in settings.outliers.indicators:
        implementation = INDICATOR_FUNCTIONS.get(indicator)
        if implementation is None or implementation.level != "area":
            raise CatalogError(
                f"Ustawienie data_quality.outliers.indicators: „{indicator}” nie jest "
                "wskaźnikiem liczonym dla obszaru (np. E1, E1H, E4).")
        if inputs.units.empty:
            continue
        spec = inputs.catalog.indicator(indicator)
        computed = implementation.compute(inputs, spec)
        parts.append(yearly_outliers(computed, settings, indicator=indicator))
    return pd.concat(parts, ignore_index=True) if parts else _empty()


def sort_scorecard(table: pd.DataFrame) -> pd.DataFrame:
    """Problems first, then uwaga, then ok; within a status by gmina, area, year, check, scope.

    A total order (instruments in their usual order, other scopes by name), so
    the same rows always come out in the same order.
    """
    ranks: dict[str, dict[str, int]] = {
        "status": {s: i for i, s in enumerate(STATUS_ORDER)},
        "area": {a: i for i, a in enumerate(AREA_IDS)},
        "check": {c: i for i, c in enumerate(CHECKS)},
    }
    instruments = {s: i for i, s in enumerate(SERVICE_INSTRUMENTS)}
    keys = table.assign(**{
        f"_{name}": table[name].map(rank).fillna(len(rank)) for name, rank in ranks.items()
    }, _scope=table["scope"].map(instruments).fillna(len(instruments)))
    order = ["_status", "teryt", "_area", "year", "_check", "_scope", "scope"]
    keys = keys.sort_values(order, kind="stable")
    return table.loc[keys.index].reset_index(drop=True)


def data_quality_scorecard(
    store: Store,
    catalog: Catalog,
    *,
    years: Collection[int] | None = None,
    inputs: IndicatorInputs | None = None,
) -> pd.DataFrame:
    """Every data-quality check for every gmina × area × year of ``store``.

    Parameters
    ----------
    store
        Validated tables; pass ``Store.for_gmina(teryt)`` for one gmina.
    catalog
        Thresholds (``settings.data_quality``) and the suppression threshold.
    years
        Keep only these years (outliers still compare with earlier years).
    inputs
        The indicator engine's prepared inputs for ``store``, if already built.

    Returns
    -------
    pandas.DataFrame
        :data:`SCORECARD_COLUMNS`, sorted by :func:`sort_scorecard`.
    """
    settings = catalog.settings.data_quality
    threshold = catalog.settings.suppression.threshold
    inputs = inputs or IndicatorInputs(store, catalog, threshold)
    responses = store.survey_responses
    parts = [
        response_rate(responses, store.beneficiaries, store.contracts, settings),
        item_nonresponse(responses, settings),
        straight_lining(responses, settings, threshold=threshold),
        duplicate_respondents(responses),
        finance_totals(store.finance, store.contributions, store.contracts, settings),
        results_missing(store.results, store.contracts),
        indicator_outliers(inputs, settings),
    ]
    table = pd.concat([p for p in parts if len(p)] or [_empty()], ignore_index=True)
    if years is not None:
        table = table[table["year"].isin({int(y) for y in years})]
    return sort_scorecard(table)


def status_counts(table: pd.DataFrame) -> dict[QualityStatus, int]:
    """How many rows have each status (all three keys present)."""
    counts = table["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in STATUS_ORDER}
