"""The legal calendar: deadlines and their legal basis, statuses from the store, the
command that writes each document, and its place on the reports index and in the explorer."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from wkus_lib.batch.index_page import render_index, write_index
from wkus_lib.demo import DemoSummary
from wkus_lib.explore.explorer import calendar_html
from wkus_lib.statutory.calendar import Deadline, legal_calendar
from wkus_lib.store import Store, read_store

SOPOT = "2264011"
LAPY = "2002063"  # no social-assistance contracts
SPRING = date(2026, 3, 15)


@pytest.fixture(scope="module")
def store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


def gmina_rows(deadlines: list[Deadline]) -> list[tuple[date, str, str | None, str]]:
    return [(d.due, d.document.split(" (")[0], d.command, d.status)
            for d in deadlines if not d.document.startswith("Sprawozdanie końcowe")]


def test_gmina_documents_fall_on_their_statutory_dates_with_the_commands(store: Store) -> None:
    deadlines = legal_calendar(store, SOPOT, SPRING)
    assert gmina_rows(deadlines) == [
        (date(2025, 4, 30), "Ocena zasobów pomocy społecznej za 2024 r.",
         f"wkus ozps --gmina {SOPOT} --year 2024", "passed"),
        (date(2025, 5, 31), "Sprawozdanie z realizacji programu współpracy za 2024 r.",
         f"wkus sprawozdanie --gmina {SOPOT} --year 2024", "passed"),
        (date(2025, 11, 30), "Program współpracy z organizacjami pozarządowymi na 2026 r.",
         f"wkus program --gmina {SOPOT} --years 2026-2029", "passed"),
        (date(2026, 4, 30), "Ocena zasobów pomocy społecznej za 2025 r.",
         f"wkus ozps --gmina {SOPOT} --year 2025", "due"),
        (date(2026, 5, 31), "Sprawozdanie z realizacji programu współpracy za 2025 r.",
         f"wkus sprawozdanie --gmina {SOPOT} --year 2025", "due"),
        (date(2026, 11, 30), "Program współpracy z organizacjami pozarządowymi na 2027 r.",
         f"wkus program --gmina {SOPOT} --years 2027-2030", "due"),
    ]
    bases = {d.document.split(" za ")[0].split(" na ")[0]: d.legal_basis for d in deadlines}
    assert bases["Ocena zasobów pomocy społecznej"] == "art. 16a ust. 4 ustawy o pomocy społecznej"
    assert bases["Sprawozdanie z realizacji programu współpracy"].startswith("art. 5a ust. 3 ")
    assert [d.due for d in deadlines] == sorted(d.due for d in deadlines)


def test_a_deadline_on_today_is_still_due(store: Store) -> None:
    deadlines = legal_calendar(store, SOPOT, date(2026, 5, 31))
    report = [d for d in deadlines if d.document.startswith("Sprawozdanie z realizacji")]
    assert [(d.due, d.status) for d in report] == [(date(2025, 5, 31), "passed"),
                                                   (date(2026, 5, 31), "due")]


def test_no_command_without_data_for_the_document(store: Store) -> None:
    deadlines = legal_calendar(store, LAPY, SPRING)
    ozps = [d for d in deadlines if d.document.startswith("Ocena zasobów")]
    assert ozps and all(d.command is None for d in ozps)
    later = legal_calendar(store, SOPOT, date(2031, 3, 1))
    report = [d for d in later if d.document.startswith("Sprawozdanie z realizacji")]
    assert [d.command for d in report] == [None, None]  # no contracts in 2029 or 2030


def test_ngo_reports_are_due_30_days_after_the_task_and_done_once_in_the_store(
    store: Store,
) -> None:
    ngo = [d for d in legal_calendar(store, SOPOT, SPRING)
           if d.document.startswith("Sprawozdanie końcowe")]
    ended_2025 = store.contracts[(store.contracts["teryt"] == SOPOT)
                                 & (store.contracts["end_year"] == 2025)]
    assert len(ngo) == len(ended_2025) > 0
    assert {d.due for d in ngo} == {date(2026, 1, 30)}
    assert {d.status for d in ngo} == {"done"}
    assert {d.command for d in ngo} == {f"wkus check --gmina {SOPOT} --year 2025"}
    assert all(d.legal_basis.startswith("art. 18 ") and "2018 poz. 2057" in d.legal_basis
               for d in ngo)

    care = f"{SOPOT}/pomoc_spoleczna/2022"
    finance = store.finance
    missing = dataclasses.replace(store, finance=finance[~(
        (finance["contract_id"] == care) & (finance["year"] == 2025))])
    status = {d.document: d.status for d in legal_calendar(missing, SOPOT, SPRING)
              if care in d.document}
    assert list(status.values()) == ["overdue"]
    assert [d.command for d in legal_calendar(missing, SOPOT, SPRING)
            if care in d.document] == [None]
    before = {d.document: d.status for d in legal_calendar(missing, SOPOT, date(2026, 1, 10))
              if care in d.document}
    assert list(before.values()) == ["due"]


def test_the_calendar_holds_only_the_gminas_own_contracts(store: Store) -> None:
    text = " ".join(d.document for d in legal_calendar(store, SOPOT, SPRING))
    others = store.contracts[store.contracts["teryt"] != SOPOT]["contract_id"]
    assert not [cid for cid in others if cid in text]


def test_same_inputs_give_the_same_calendar(store: Store) -> None:
    assert legal_calendar(store, SOPOT, SPRING) == legal_calendar(store, SOPOT, SPRING)


def _manifest(store_dir: Path, label: str, teryt: str) -> dict[str, object]:
    return {"reports": {f"{teryt}-x/gmina_overview": {
        "status": "ok", "group": [label, "Przegląd gminy", "—"], "outputs": {},
        "parameters": {"teryt": teryt, "store_dir": str(store_dir), "stage": "gmina_overview"},
        "duration_s": 1.0}}}


def test_index_page_shows_terminy_per_gmina_and_escapes_text(demo: DemoSummary,
                                                             tmp_path: Path) -> None:
    manifest = _manifest(demo.store_dir, "Sopot (2264011)", SOPOT)
    path = write_index(tmp_path, manifest, today=SPRING)
    page = path.read_text(encoding="utf-8")
    assert "<summary>Terminy dokumentów gminy (" in page
    assert "30.04.2026" in page and f"wkus ozps --gmina {SOPOT} --year 2025" in page
    assert "art. 16a ust. 4 ustawy o pomocy społecznej" in page
    assert "Terminy" not in write_index(tmp_path, manifest).read_text(encoding="utf-8")

    hostile = Deadline(date(2026, 1, 30), "<script>alert(1)</script>", "art. 18", None, "due")
    shown = render_index(manifest, calendars={SOPOT: [hostile]})
    assert "<script>alert(1)" not in shown and "&lt;script&gt;alert(1)" in shown


def test_index_page_without_a_readable_store_is_still_written(tmp_path: Path) -> None:
    manifest = _manifest(tmp_path / "no-store", "Sopot (2264011)", SOPOT)
    page = write_index(tmp_path, manifest, today=SPRING).read_text(encoding="utf-8")
    assert "Sopot (2264011)" in page and "Terminy" not in page


def test_explorer_calendar_is_an_escaped_static_table(store: Store) -> None:
    shown = calendar_html("Sopot", legal_calendar(store, SOPOT, SPRING))
    assert shown.count("<tr>") == 1 + len(legal_calendar(store, SOPOT, SPRING))
    assert "Terminy dokumentów: Sopot" in shown and "<code>wkus ozps" in shown
    hostile = Deadline(date(2026, 1, 30), "<img src=x onerror=alert(1)>", "art. 18", None, "due")
    shown = calendar_html("<b>Sopot</b>", [hostile])
    assert "<img" not in shown and "<b>" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown
