"""The evaluation year of each gmina and area, and the last year whose NGO report is in.

Data arrive at different times: a gmina may have its 2025 contracts and
surveys while an organisation's 2025 report (sprawozdanie) is still missing.
Baselines, findings and programme budgets must then come from the last
*complete* year and say so, instead of silently showing empty values or 0 zł.

- ``year`` — the last year with any data for the gmina-area: a contract
  active that year, or rows of the contract tables (finance, contributions,
  results, beneficiaries, standard checklist), needs or surveys. A contract
  counts as data only for its years up to the *data horizon*: ``up_to`` when
  given, otherwise the last year of any dated row (or contract start) in the
  store passed in. So a contract running until 2027 does not make 2027 the
  evaluation year of data that end in 2025. Pass the same store to get the
  same answer: the horizon of ``Store.for_gmina`` is that gmina's own data.
- ``complete_year`` — the last year not after ``year`` in which *every*
  contract of the area active that year has rows in the three parts of the
  NGO report: ``finance``, ``results`` and ``beneficiaries``. Years without
  any contract of the area are never complete (there is no report to have).
- ``missing`` — the Polish names of what is missing for ``year``: the
  report tables some active contract lacks, or ``umowy`` when no contract of
  the area is active in ``year`` (only needs or surveys are).

Reports and the programme say so in words
(:func:`wkus_lib.report.context.late_report_note`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd

from wkus_lib.evaluation.data_gaps import TABLE_LABELS
from wkus_lib.store import Store

REPORT_TABLES: Final = ("finance", "results", "beneficiaries")
"""The parts of the NGO report that make a year complete."""

NO_CONTRACT: Final = TABLE_LABELS["contracts"]

_CONTRACT_TABLES: Final = ("finance", "contributions", "results", "beneficiaries",
                           "standard_checklist")
_AREA_TABLES: Final = ("needs", "survey_responses", "survey_comments")
_GMINA_TABLES: Final = ("procedure_costs", "cooperation_checklist", "cooperation_survey")
COLUMNS: Final = ("teryt", "area", "year", "complete_year", "missing")


@dataclass(frozen=True)
class EvaluationYear:
    """The evaluation year of one gmina-area and the last complete year before it."""

    year: int | None
    complete_year: int | None
    missing: tuple[str, ...]


def evaluation_year(store: Store, teryt: str, area: str, *,
                    up_to: int | None = None) -> EvaluationYear:
    """The evaluation year of ``teryt``'s ``area`` (see the module docstring).

    ``up_to`` caps it (``wkus report --year Y``) and is then the horizon of
    contract years too: a contract active in ``up_to`` makes ``up_to`` the year.
    """
    horizon = data_horizon(store) if up_to is None else up_to
    contracts = store.contracts
    own = contracts[(contracts["teryt"] == teryt) & (contracts["area"] == area)]
    ids = set(own["contract_id"])
    tables = {name: frame[frame["contract_id"].isin(ids)]
              for name, frame in store.tables().items() if name in _CONTRACT_TABLES}
    for name in _AREA_TABLES:
        frame = getattr(store, name)
        tables[name] = frame[(frame["teryt"] == teryt) & (frame["area"] == area)]
    table = _evaluation_table(own, tables, horizon, up_to)
    if table.empty:
        return EvaluationYear(year=None, complete_year=None, missing=())
    row = table.iloc[0]
    return EvaluationYear(year=_int_or_none(row["year"]),
                          complete_year=_int_or_none(row["complete_year"]),
                          missing=tuple(row["missing"]))


def evaluation_years(store: Store, *, up_to: int | None = None) -> pd.DataFrame:
    """One row per (teryt, area) with any data: ``year``, ``complete_year`` (nullable
    integers) and ``missing`` (tuple of Polish table names), sorted by teryt and area."""
    horizon = data_horizon(store) if up_to is None else up_to
    tables = {name: getattr(store, name) for name in (*_CONTRACT_TABLES, *_AREA_TABLES)}
    return _evaluation_table(store.contracts, tables, horizon, up_to)


def _int_or_none(value: object) -> int | None:
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


def data_horizon(store: Store) -> int | None:
    """The last year of any dated row or contract start in ``store``; None if it is empty."""
    years: list[int] = []
    for name in (*_CONTRACT_TABLES, *_AREA_TABLES, *_GMINA_TABLES):
        frame = getattr(store, name)
        if len(frame):
            years.append(int(frame["year"].max()))
    if len(store.contracts):
        years.append(int(store.contracts["start_year"].max()))
    return max(years) if years else None


def contract_years(contracts: pd.DataFrame, horizon: int | None) -> pd.DataFrame:
    """One row per contract and year it is active (``contract_id, teryt, area, year``),
    years after ``horizon`` left out (a contract's start year is always kept)."""
    if contracts.empty:
        return pd.DataFrame({"contract_id": pd.Series(dtype=object),
                             "teryt": pd.Series(dtype=object),
                             "area": pd.Series(dtype=object),
                             "year": pd.Series(dtype="int64")})
    starts = contracts["start_year"].astype("int64")
    ends = contracts["end_year"].astype("int64")
    if horizon is not None:
        ends = ends.clip(upper=starts.clip(lower=horizon))
    lengths = (ends - starts + 1).to_numpy()
    frame = contracts[["contract_id", "teryt", "area"]].loc[
        contracts.index.repeat(lengths)].reset_index(drop=True)
    offsets = frame.groupby("contract_id").cumcount().to_numpy()
    frame["year"] = starts.repeat(lengths).to_numpy() + offsets
    return frame


def _evaluation_table(contracts: pd.DataFrame, tables: dict[str, pd.DataFrame],
                      horizon: int | None, up_to: int | None) -> pd.DataFrame:
    active = contract_years(contracts, horizon)
    if up_to is not None:
        active = active[active["year"] <= up_to]
    keys = contracts[["contract_id", "teryt", "area"]]
    dated = [active[["teryt", "area", "year"]]]
    for name in _CONTRACT_TABLES:
        dated.append(tables[name][["contract_id", "year"]].merge(keys, on="contract_id")[
            ["teryt", "area", "year"]])
    dated += [tables[name][["teryt", "area", "year"]] for name in _AREA_TABLES]
    years = pd.concat([d.astype({"year": "int64"}) for d in dated if len(d)] or [active[[
        "teryt", "area", "year"]]], ignore_index=True)
    if up_to is not None:
        years = years[years["year"] <= up_to]
    if years.empty:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    last = years.groupby(["teryt", "area"], as_index=False)["year"].max()

    flags = active.copy()
    for name in REPORT_TABLES:
        present = tables[name][["contract_id", "year"]].drop_duplicates()
        present = present.astype({"year": "int64"}).assign(**{name: True})
        flags = flags.merge(present, on=["contract_id", "year"], how="left")
        flags[name] = flags[name].fillna(False).astype(bool)
    per_year = flags.groupby(["teryt", "area", "year"], as_index=False)[
        list(REPORT_TABLES)].all()
    per_year["complete"] = per_year[list(REPORT_TABLES)].all(axis=1)

    merged = last.merge(per_year, on=["teryt", "area", "year"], how="left")
    present = zip(*(merged[name].tolist() for name in REPORT_TABLES), strict=True)
    merged["missing"] = [
        (NO_CONTRACT,) if pd.isna(complete)
        else tuple(TABLE_LABELS[name] for name, ok in zip(REPORT_TABLES, flags, strict=True)
                   if not ok)
        for complete, flags in zip(merged["complete"].tolist(), present, strict=True)
    ]
    complete = per_year[per_year["complete"]][["teryt", "area", "year"]].merge(
        last.rename(columns={"year": "last"}), on=["teryt", "area"])
    complete = complete[complete["year"] <= complete["last"]]
    best = complete.groupby(["teryt", "area"], as_index=False)["year"].max().rename(
        columns={"year": "complete_year"})
    result = merged[["teryt", "area", "year", "missing"]].merge(
        best, on=["teryt", "area"], how="left")
    result["year"] = result["year"].astype("Int64")
    result["complete_year"] = result["complete_year"].astype("Int64")
    return result[list(COLUMNS)].sort_values(["teryt", "area"]).reset_index(drop=True)
