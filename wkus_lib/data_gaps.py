"""What is missing from the data, named where it would have been shown.

Partial data never stop a command: an indicator without its input table is
simply not computed, a check without its rows is not run. So that nothing is
silently left out, every command says which tables it found empty for the
gminy it worked on, in one form: ``brak danych: <table> (<where>) — dodaj …``
with the entry form that fills the table and the command that loads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import pandas as pd

from wkus_lib.schemas import TABLES
from wkus_lib.store import Store

TABLE_LABELS: Final[dict[str, str]] = {
    "contracts": "umowy",
    "finance": "sprawozdanie finansowe (koszty)",
    "contributions": "wkład osobowy i rzeczowy",
    "results": "rezultaty",
    "beneficiaries": "odbiorcy i kadra",
    "needs": "diagnoza potrzeb",
    "procedure_costs": "koszty procedury konkursowej",
    "survey_responses": "ankiety usługowe (klient, personel, samoocena)",
    "survey_comments": "wypowiedzi z ankiet",
    "standard_checklist": "lista kontrolna standardu usługi",
    "cooperation_checklist": "lista kontrolna współpracy",
    "cooperation_survey": "ankieta współpracy",
}
"""Polish names of the store's tables, as messages about missing data name them."""

GAP_PREFIX: Final = "brak danych"


def table_label(name: str) -> str:
    """The Polish name of store table ``name`` (its own name for a table added later)."""
    return TABLE_LABELS.get(name, name)


def empty_tables(store: Store, tables: Iterable[str] | None = None) -> tuple[str, ...]:
    """Store tables (of ``tables``, default all) without a single row, in store order."""
    wanted = set(TABLES) if tables is None else set(tables)
    return tuple(name for name, frame in store.tables().items()
                 if name in wanted and frame.empty)


def _form_name(table: str) -> str:
    from wkus_lib.intake.templates import template_file_name

    try:
        return template_file_name(table)
    except ValueError:  # a table without an entry form
        return "formularz z „wkus templates”"


def gap_message(table: str, where: str = "") -> str:
    """``brak danych: rezultaty (Łapy) — dodaj: formularz 04-rezultaty.xlsx …``."""
    scope = f" ({where})" if where else ""
    return (f"{GAP_PREFIX}: {table_label(table)}{scope} — dodaj: formularz "
            f"{_form_name(table)} („wkus templates”), potem „wkus import” i uruchom ponownie")


def gap_messages(tables: Sequence[str], where: str = "") -> list[str]:
    """One :func:`gap_message` per table."""
    return [gap_message(table, where) for table in tables]


def store_gaps(store: Store, where: str = "") -> list[str]:
    """:func:`gap_message` for every empty table of ``store`` (e.g. one gmina's view)."""
    return gap_messages(empty_tables(store), where)


def gaps_table(store: Store, teryt: Iterable[str]) -> pd.DataFrame:
    """Per gmina of ``teryt``: the tables its view of ``store`` has no rows in
    (columns ``teryt``, ``table``, ``label``)."""
    rows = [{"teryt": code, "table": name, "label": table_label(name)}
            for code in teryt for name in empty_tables(store.for_gmina(code))]
    return pd.DataFrame(rows, columns=["teryt", "table", "label"])
