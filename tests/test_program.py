"""The multi-year cooperation programme draft: content, both renderings and the command."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from report_checks import other_gminas_in, visible_text

from wkus_lib.catalog import Catalog, copy_default_catalog, load_catalog
from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.domain import AREA_NAMES, load_gminy
from wkus_lib.errors import ParameterError
from wkus_lib.program import (
    PLACEHOLDER,
    STATUTORY_SECTIONS,
    Paragraph,
    ProgramDraft,
    Table,
    build_program,
    parse_year_range,
    render_docx,
    render_html,
)
from wkus_lib.report.ex_post import RECOMMENDATION_LABELS
from wkus_lib.store import Store, read_store
from wkus_lib.text.numbers import format_money

TERYT = "2002063"  # Łapy: two multi-year contracts ended in 2025, three areas on annual grants
FIRST, LAST = 2027, 2030


@pytest.fixture(scope="module")
def store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


@pytest.fixture(scope="module")
def draft(store: Store) -> ProgramDraft:
    return build_program(store, load_gminy()[TERYT], load_catalog(), FIRST, LAST)


@pytest.fixture(scope="module")
def document(draft: ProgramDraft) -> Document:
    return docx.Document(io.BytesIO(render_docx(draft)))


@pytest.fixture(scope="module")
def page(draft: ProgramDraft) -> str:
    return render_html(draft)


def docx_text(document: Document) -> str:
    """Every text a reader of the Word file sees: body, tables, page headers."""
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    parts += [p.text for section in document.sections for p in section.header.paragraphs]
    return "\n".join(parts)


def headings(document: Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == "Heading 1"]


def html_headings(page: str) -> list[str]:
    return [visible_text(h).strip() for h in re.findall(r"<h2>(.*?)</h2>", page, re.DOTALL)]


def assessment_rows(document: Document) -> list[list[str]]:
    """Rows of the assessment tables (their header starts with „Symbol”)."""
    return [
        [cell.text for cell in row.cells]
        for table in document.tables if table.rows[0].cells[0].text == "Symbol"
        for row in table.rows[1:]
    ]


def test_docx_reads_back_with_the_gmina_and_period_in_the_title(document: Document) -> None:
    titles = [p.text for p in document.paragraphs if p.style.name == "Title"]
    assert titles == [
        ("Wieloletni program współpracy Gminy Łapy z organizacjami pozarządowymi oraz podmiotami "
        "wymienionymi w art. 3 ust. 3 ustawy o działalności pożytku publicznego i o wolontariacie "
        "na lata 2027–2030")
    ]
    assert document.core_properties.title == titles[0]
    languages = document.styles.element.findall(f".//{qn('w:docDefaults')}//{qn('w:lang')}")
    assert [lang.get(qn("w:val")) for lang in languages] == ["pl-PL"]


def test_every_statutory_section_is_a_word_heading_in_the_order_of_the_act(
    document: Document,
) -> None:
    found = headings(document)
    positions = [
        next(i for i, text in enumerate(found) if text.endswith(title))
        for _key, title in STATUTORY_SECTIONS
    ]
    assert positions == sorted(positions)
    assert found[0] == "Rozdział 1. Postanowienia ogólne"
    assert [int(re.match(r"Rozdział (\d+)\.", h).group(1)) for h in found] == list(  # type: ignore[union-attr]
        range(1, len(found) + 1))


def test_paragraphs_are_numbered_consecutively_through_the_programme(document: Document) -> None:
    numbers = [int(m.group(1)) for p in document.paragraphs
               if (m := re.match(r"§ (\d+)\.", p.text))]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= len(STATUTORY_SECTIONS)


def test_page_is_a4_with_margins_and_tables_repeat_their_header_row(document: Document) -> None:
    page = document.sections[0]
    assert abs(page.page_width - Cm(21)) < Cm(0.01)
    assert abs(page.page_height - Cm(29.7)) < Cm(0.01)
    for margin in (page.left_margin, page.right_margin, page.top_margin, page.bottom_margin):
        assert abs(margin - Cm(2.5)) < Cm(0.01)
    assert document.tables
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)


def test_assessment_lists_every_catalogue_indicator_with_name_and_target(
    document: Document,
) -> None:
    catalog = load_catalog()
    rows = assessment_rows(document)
    assert [row[0] for row in rows] == list(catalog.ids)
    for row, spec in zip(rows, catalog.indicators, strict=True):
        assert row[1].startswith(spec.name_pl)
        assert row[2] == spec.formula_pl
        if spec.target is None:
            assert PLACEHOLDER in row[3]
        else:
            assert row[3].startswith("cel: ")


def test_assessment_follows_an_edited_catalogue(store: Store, tmp_path: Path) -> None:
    folder = copy_default_catalog(tmp_path / "katalog")
    file = folder / "indicators.yaml"
    text = file.read_text(encoding="utf-8")
    original = load_catalog().indicators[0].name_pl
    assert text.count(f"name_pl: {original}\n") == 1
    file.write_text(text.replace(f"name_pl: {original}\n",
                                 "name_pl: Zadowolenie podopiecznych\n"), encoding="utf-8")
    catalog: Catalog = load_catalog(folder)
    edited = build_program(store, load_gminy()[TERYT], catalog, FIRST, LAST)
    rows = assessment_rows(docx.Document(io.BytesIO(render_docx(edited))))
    assert rows[0][1].startswith("Zadowolenie podopiecznych")
    assert original not in render_html(edited)


def test_html_has_the_same_sections_and_indicators(document: Document, page: str) -> None:
    assert html_headings(page) == headings(document)
    for spec in load_catalog().indicators:
        assert f"<td>{spec.id}</td>" in page


def test_no_other_gmina_appears_in_either_rendering(
    document: Document, page: str, store: Store
) -> None:
    assert not other_gminas_in(page, TERYT, store.contracts)
    assert not other_gminas_in(docx_text(document), TERYT, store.contracts)


def test_priority_tasks_come_from_the_evaluation(draft: ProgramDraft, store: Store) -> None:
    contracts = store.contracts[store.contracts["teryt"] == TERYT]
    multi = contracts[(contracts["mode"] == "multi_year") & (contracts["end_year"] < FIRST)]
    kinds = {task.area: task.kind for task in draft.priority_tasks}
    assert {a: k for a, k in kinds.items() if k == "ended"} == dict.fromkeys(multi["area"],
                                                                             "ended")
    annual_only = set(contracts["area"]) - set(multi["area"])
    assert {a for a, k in kinds.items() if k == "annual"} == annual_only
    labels = set(RECOMMENDATION_LABELS.values())
    for task in draft.priority_tasks:
        if task.kind == "ended":
            assert any(f"„{label}”" in task.basis for label in labels)
    table = next(b for b in draft.section("priorytety").blocks if isinstance(b, Table))
    assert len(table.rows) == len(draft.priority_tasks)


def test_an_area_with_diagnosed_needs_and_no_task_becomes_a_priority(store: Store) -> None:
    extra = pd.DataFrame({"teryt": [TERYT], "area": ["pomoc_spoleczna"], "year": [2024],
                          "people_in_need": [123], "in_house_unit_cost": [900.0]})
    needs = pd.concat([store.needs, extra], ignore_index=True)
    assert "pomoc_spoleczna" not in set(store.contracts.loc[store.contracts["teryt"] == TERYT,
                                                            "area"])
    with_needs = dataclasses.replace(store, needs=needs)
    drafted = build_program(with_needs, load_gminy()[TERYT], load_catalog(), FIRST, LAST)
    task = drafted.priority_tasks[-1]
    assert (task.kind, task.area) == ("untended", "pomoc_spoleczna")
    assert "123 osób potrzebujących" in task.basis
    assert AREA_NAMES["pomoc_spoleczna"] in render_html(drafted)


def test_planned_funds_propose_the_last_year_grants_in_polish_format(
    draft: ProgramDraft, store: Store, document: Document
) -> None:
    contracts = store.contracts[store.contracts["teryt"] == TERYT]
    finance = store.finance.merge(contracts[["contract_id", "area"]], on="contract_id")
    grants = finance[(finance["source"] == "dotacja") & (finance["year"] == draft.base_year)]
    expected = grants.groupby("area")["actual"].sum()
    assert draft.base_year == 2025
    proposed = {line.area: line.proposed_per_year for line in draft.funds}
    assert proposed == pytest.approx(expected.to_dict())
    total = format_money(expected.sum() * draft.years)
    assert "\u00a0" in total and total.endswith("zł")
    text = docx_text(document)
    assert f"wynosi łącznie {total}" in text
    assert f"rocznie {format_money(expected.sum())}" in text


def test_consultation_and_committees_are_marked_for_the_evaluator(
    draft: ProgramDraft, document: Document
) -> None:
    for key in ("konsultacje", "komisje"):
        texts = [p.text for block in draft.section(key).blocks
                 if not isinstance(block, Table) for p in block.provisions]
        assert any(PLACEHOLDER in text for text in texts)
    highlighted = [run for p in document.paragraphs for run in p.runs
                   if run.text.startswith("[do uzupełnienia")]
    assert highlighted and all(run.font.highlight_color is not None for run in highlighted)
    assert "Burmistrz" in docx_text(document)  # Łapy is urban-rural: a burmistrz, not a wójt
    assert '<mark class="todo">[do uzupełnienia]</mark>' in render_html(draft)


def test_a_contract_running_into_the_programme_is_continued(store: Store) -> None:
    drafted = build_program(store, load_gminy()[TERYT], load_catalog(), 2025, 2028)
    assert drafted.base_year == 2024
    running = [t for t in drafted.priority_tasks if t.kind == "running"]
    assert running and all("ocena końcowa (ex post) w 2025 r." in t.proposal for t in running)
    period = drafted.section("okres").blocks[0]
    assert isinstance(period, Paragraph)
    assert "Umowy wieloletnie zawarte przed 2025 r." in period.provisions[1].text


def test_synthetic_note_only_for_a_demo_store(store: Store, document: Document,
                                              page: str) -> None:
    assert "DANE SYNTETYCZNE" in docx_text(document)
    assert "DANE SYNTETYCZNE" in page
    real = build_program(dataclasses.replace(store, synthetic=False), load_gminy()[TERYT],
                         load_catalog(), FIRST, LAST)
    assert "DANE SYNTETYCZNE" not in render_html(real)
    assert "DANE SYNTETYCZNE" not in docx_text(docx.Document(io.BytesIO(render_docx(real))))


def test_identical_drafts_give_identical_files(draft: ProgramDraft) -> None:
    assert render_docx(draft) == render_docx(draft)


@pytest.mark.parametrize(("text", "years"), [("2027-2030", (2027, 2030)),
                                             (" 2026–2027 ", (2026, 2027))])
def test_year_range_parses(text: str, years: tuple[int, int]) -> None:
    assert parse_year_range(text) == years


def test_command_writes_docx_and_html(demo: DemoSummary, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "program"
    code = main(["program", "--gmina", TERYT, "--years", "2027-2030",
                 "--store", str(demo.store_dir), "--out", str(out)])
    assert code == 0
    folder = out / "2002063-lapy"
    assert sorted(p.name for p in folder.iterdir()) == [
        "program_wspolpracy_2027-2030.docx", "program_wspolpracy_2027-2030.html"]
    written = docx.Document(str(folder / "program_wspolpracy_2027-2030.docx"))
    assert "Gminy Łapy" in written.paragraphs[[p.style.name for p in written.paragraphs]
                                             .index("Title")].text
    assert str(folder / "program_wspolpracy_2027-2030.docx") in capsys.readouterr().out


@pytest.mark.parametrize(("gmina", "years", "message"), [
    (TERYT, "2030-2027", "rok początkowy 2030 jest późniejszy niż końcowy 2027"),
    (TERYT, "2027-2033", "okres obejmuje 7 lat, a najwyżej 5"),
    (TERYT, "dwa tysiące", "to nie są dwa lata czterocyfrowe"),
    (TERYT, "2027-2027", "co najmniej 2 lata"),
    (TERYT, "2010-2013", "Brak umów gminy Łapy (2002063) sprzed roku 2010"),
    ("9999993", "2027-2030", "gminy „9999993”"),
])
def test_bad_input_stops_with_a_polish_message(
    demo: DemoSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    gmina: str, years: str, message: str,
) -> None:
    out = tmp_path / "program"
    code = main(["program", "--gmina", gmina, "--years", years,
                 "--store", str(demo.store_dir), "--out", str(out)])
    assert code == 2
    error = capsys.readouterr().err
    assert error.startswith("Błąd: ") and message in error
    assert "Traceback" not in error
    assert not out.exists()


def test_year_range_error_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError, match="najwyżej 5"):
        parse_year_range("2027-2032")


def _without_reports_of(store: Store, teryt: str, year: int, tables: tuple[str, ...]) -> Store:
    """``store`` as if the gmina's NGO reports for ``year`` had not arrived in ``tables``."""
    ids = store.contracts[store.contracts["teryt"] == teryt]["contract_id"]
    changed = {}
    for name in tables:
        frame = getattr(store, name)
        changed[name] = frame[~(frame["contract_id"].isin(ids) & (frame["year"] == year))]
    return dataclasses.replace(store, **changed)


def test_a_late_report_takes_the_funds_of_the_last_complete_year_and_says_so(
    store: Store,
) -> None:
    late = _without_reports_of(store, TERYT, 2025, ("finance", "results"))
    drafted = build_program(late, load_gminy()[TERYT], load_catalog(), FIRST, LAST)
    contracts = store.contracts[store.contracts["teryt"] == TERYT]
    finance = store.finance.merge(contracts[["contract_id", "area"]], on="contract_id")
    grants = finance[(finance["source"] == "dotacja") & (finance["year"] == 2024)]
    expected = grants.groupby("area")["actual"].sum()
    assert drafted.base_year == 2025
    assert {line.area: line.basis_year for line in drafted.funds} == {
        line.area: 2024 for line in drafted.funds}
    proposed = {line.area: line.proposed_per_year for line in drafted.funds}
    assert proposed == pytest.approx(expected.reindex(list(proposed)).to_dict())
    assert all(value and value > 0 for value in proposed.values())
    page = visible_text(render_html(drafted))
    assert "Brak sprawozdania organizacji za 2025 r." in page
    assert "liczone z roku 2024" in page
    assert "(2024 r.)" in page
    annual = [t for t in drafted.priority_tasks if t.kind == "annual"]
    assert annual and all("wskaźniki z 2024 r." in t.basis for t in annual)


def test_a_gmina_without_contracts_gets_a_draft_that_names_the_missing_data(
    store: Store,
) -> None:
    bare = dataclasses.replace(store, contracts=store.contracts[store.contracts["teryt"] != TERYT])
    drafted = build_program(bare, load_gminy()[TERYT], load_catalog(), FIRST, LAST)
    assert drafted.base_year == FIRST - 1
    assert any(gap.startswith("brak danych: umowy") for gap in drafted.gaps)
    text = docx_text(docx.Document(io.BytesIO(render_docx(drafted))))
    assert "Brak danych: umowy" in text and "formularz „Umowy”" in text
    assert "łącznie 0\u00a0zł" not in text
    assert all(line.proposed_per_year is None for line in drafted.funds)


def test_the_evaluation_table_is_the_annual_reports_chapter_for_the_basis_year(
        store: Store, draft: ProgramDraft, document: Document) -> None:
    from wkus_lib.statutory.report import build_programme_report

    gmina = load_gminy()[TERYT]
    report = build_programme_report(store, gmina, load_catalog(), draft.base_year, "test")
    chapter = next(s for s in report.sections if s.title.startswith("Sposób oceny")).tables[0]
    tables = [b for s in draft.sections for b in s.blocks
              if isinstance(b, Table) and b.caption.startswith("Wskaźniki oceny realizacji")]
    assert len(tables) == 1
    assert tables[0].rows == chapter.rows
    assert tables[0].header[:2] == chapter.columns[:2] == (
        "wskaźnik", f"wartość bazowa ({draft.base_year})")
    assert any(row[0].startswith("WC ") and row[1][0].isdigit() for row in chapter.rows)
    shown = [[cell.text for cell in row.cells] for table in document.tables
             if table.rows[0].cells[0].text == "wskaźnik" for row in table.rows[1:]]
    assert shown == [list(row) for row in chapter.rows]
    wc = next(row[1] for row in chapter.rows if row[0].startswith("WC "))
    assert f"(wartość bazowa z {draft.base_year} r.: {wc})" in docx_text(document)
