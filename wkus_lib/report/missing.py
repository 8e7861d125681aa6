"""What a report says where data are missing: one message, naming what to add.

Every report section that has nothing to show says so with
:func:`missing_data`: ``brak danych: <what> — dodaj <source> [za <year> r.]
(formularz „<sheet>”) i zaimportuj ponownie``. The source of each store table
(:data:`SOURCES`) and its entry form (the template's sheet name,
:data:`wkus_lib.intake.headers.TABLE_TITLES`) are defined once, here.

:func:`data_sources` lists, for the tables a report reads, how many rows of
the report's gmina (and area) there are and in which years, with the same
message for a table that has none; every report shows it in its appendix,
so each missing table is named even when no section needed it on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import pandas as pd

from wkus_lib.domain import BENCHMARK, EX_ANTE, EX_POST, GMINA_OVERVIEW, ON_GOING
from wkus_lib.evaluation.data_gaps import TABLE_LABELS
from wkus_lib.intake.headers import TABLE_TITLES
from wkus_lib.store import Store
from wkus_lib.text.i18n import N_, _

SOURCES: Final[dict[str, str]] = {
    "contracts": N_("umowy z organizacjami"),
    "finance": N_("sprawozdanie z wykonania zadania (koszty)"),
    "contributions": N_("sprawozdanie z wykonania zadania (wkład osobowy i rzeczowy)"),
    "results": N_("sprawozdanie z wykonania zadania (rezultaty)"),
    "beneficiaries": N_("sprawozdanie z wykonania zadania (odbiorcy i kadra)"),
    "needs": N_("diagnozę potrzeb"),
    "procedure_costs": N_("kalkulację kosztu konkursu ofert"),
    "survey_responses": N_("ankiety usługowe (klienci, personel, samoocena realizatora)"),
    "survey_comments": N_("wypowiedzi z ankiet"),
    "standard_checklist": N_("ocenę standardu usługi (lista kontrolna)"),
    "cooperation_checklist": N_("listę kontrolną współpracy"),
    "cooperation_survey": N_("ankietę współpracy"),
}
"""What to add for each store table, in the accusative (``dodaj …``)."""

REPORT_TABLES: Final[dict[str, tuple[str, ...]]] = {
    EX_ANTE: ("contracts", "finance", "results", "beneficiaries", "needs", "procedure_costs",
                "survey_responses", "standard_checklist", "cooperation_checklist"),
    ON_GOING: ("contracts", "finance", "contributions", "results", "beneficiaries",
                 "survey_responses", "standard_checklist", "procedure_costs"),
    EX_POST: ("contracts", "finance", "contributions", "results", "beneficiaries",
                "survey_responses", "standard_checklist", "procedure_costs"),
    GMINA_OVERVIEW: ("contracts", "finance", "results", "beneficiaries", "survey_responses",
                       "cooperation_checklist", "cooperation_survey"),
    BENCHMARK: ("contracts", "finance", "results", "beneficiaries", "survey_responses"),
}
"""The store tables each report kind reads (its data-sources table lists them)."""

YEARLY_TABLES: Final = ("finance", "results", "beneficiaries", "survey_responses")
"""Tables expected every contract year: a year without rows is named as missing."""
RESPONDENT_TABLES: Final = ("survey_responses", "survey_comments", "cooperation_survey")
"""Tables of respondents' answers: their row counts are not shown (a count of answers of a
small group would tell how few people answered; the report's statistics suppress that)."""


def missing_data(what: str, *tables: str, year: int | None = None) -> str:
    """The one message for missing data: what is missing and which table or form to add.

    ``what`` is already in the report language; ``tables`` are store table
    names (:data:`SOURCES`); ``year`` the year whose data are missing.

    >>> missing_data("koszt jednostkowy", "finance", year=2025)
    'brak danych: koszt jednostkowy — dodaj sprawozdanie z wykonania zadania (koszty) za 2025 r. (formularz „Koszty”) i zaimportuj ponownie'
    """
    sources = [_(SOURCES[table]) for table in tables]
    if not sources:
        return _("brak danych: {what}").format(what=what)
    # The form keeps its (Polish) sheet name; only the quotation marks follow the language.
    forms = ", ".join(_("„{text}”").format(text=TABLE_TITLES[table]) for table in tables)
    listed = _(" oraz ").join([", ".join(sources[:-1]), sources[-1]]) if len(sources) > 1 \
        else sources[0]
    if year is None:
        return _("brak danych: {what} — dodaj {sources} (formularz {forms}) i zaimportuj "
                 "ponownie").format(what=what, sources=listed, forms=forms)
    return _("brak danych: {what} — dodaj {sources} za {year} r. (formularz {forms}) i "
             "zaimportuj ponownie").format(what=what, sources=listed, year=year, forms=forms)


def missing_markdown(what: str, *tables: str, year: int | None = None) -> str:
    """:func:`missing_data` as an italic Markdown paragraph (for a section that shows nothing)."""
    text = missing_data(what, *tables, year=year)
    return f"_{text[:1].upper()}{text[1:]}._"


def table_rows(store: Store, table: str, teryt: str | None, area: str | None) -> pd.DataFrame:
    """The rows of ``table`` for one gmina (all when None) and area (all when None)."""
    frame = getattr(store, table)
    contracts = store.contracts
    if teryt is not None:
        contracts = contracts[contracts["teryt"] == teryt]
    if area is not None:
        contracts = contracts[contracts["area"] == area]
    if "contract_id" in frame.columns and table != "contracts":
        return frame[frame["contract_id"].isin(set(contracts["contract_id"]))]
    if teryt is not None and "teryt" in frame.columns:
        frame = frame[frame["teryt"] == teryt]
    if area is not None and "area" in frame.columns:
        frame = frame[frame["area"] == area]
    return frame


def _years_text(years: Sequence[int]) -> str:
    if not years:
        return "—"
    runs: list[str] = []
    start = previous = years[0]
    for year in [*years[1:], None]:
        if year is not None and year == previous + 1:
            previous = year
            continue
        runs.append(str(start) if start == previous else f"{start}–{previous}")
        if year is not None:
            start = previous = year
    return ", ".join(runs)


def data_sources(
    store: Store, tables: Sequence[str], *, teryt: str | None, area: str | None, year: int
) -> pd.DataFrame:
    """Rows and years of each table for the report's scope, and what is missing.

    A table without rows up to ``year`` is named with :func:`missing_data`;
    a table of :data:`YEARLY_TABLES` with earlier rows but none for ``year``
    is named with that year. Columns: ``table``, ``name``, ``rows`` (NA for
    :data:`RESPONDENT_TABLES`), ``years``, ``missing`` (the message, or an
    empty string).
    """
    records = []
    for table in tables:
        rows = table_rows(store, table, teryt, area)
        if "year" in rows.columns:
            rows = rows[rows["year"] <= year]
            years = sorted(int(y) for y in rows["year"].unique())
        elif table == "contracts":
            rows = rows[rows["start_year"] <= year]
            years = sorted({y for s, e in zip(rows["start_year"], rows["end_year"], strict=True)
                            for y in range(int(s), min(int(e), year) + 1)})
        else:
            years = []
        name = _(TABLE_LABELS[table])
        if rows.empty:
            message = missing_data(name, table)
        elif table in YEARLY_TABLES and year not in years:
            message = missing_data(name, table, year=year)
        else:
            message = ""
        count = pd.NA if table in RESPONDENT_TABLES else len(rows)
        records.append({"table": table, "name": name, "rows": count,
                        "years": _years_text(years), "missing": message})
    frame = pd.DataFrame.from_records(records,
                                      columns=["table", "name", "rows", "years", "missing"])
    return frame.astype({"rows": "Int64"})


def missing_tables(sources: pd.DataFrame) -> list[str]:
    """The store tables :func:`data_sources` names as missing."""
    return [str(t) for t, m in zip(sources["table"], sources["missing"], strict=True) if m]
