"""``wkus sprawozdanie``: the programme report's numbers, partial data, stable bytes, LibreOffice.

The number checks read the DOCX with python-docx and recompute every table
from the store's raw frames with plain pandas; they never call the report's
own helpers.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import numpy as np
import openpyxl
import pandas as pd
import pytest
from report_checks import other_gminas_in

from wkus_lib.catalog import load_catalog
from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.domain import AREA_NAMES, load_gminy
from wkus_lib.evaluation.indicators import compute_indicators
from wkus_lib.schemas import FUNDING_SOURCES, TABLES
from wkus_lib.statutory.render import render_html
from wkus_lib.statutory.report import (
    ProgrammeReport,
    ReportSection,
    ReportTable,
    next_programme_evaluation,
)
from wkus_lib.store import Store, empty_table, read_store, write_store

TERYT = "2002063"  # Łapy
YEAR = 2025
STEM = f"sprawozdanie_program_wspolpracy_{YEAR}"


@pytest.fixture(scope="module")
def store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


@pytest.fixture(scope="module")
def written(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sprawozdanie")
    code = main(["sprawozdanie", "--gmina", TERYT, "--year", str(YEAR),
                 "--store", str(demo.store_dir), "--out", str(out)])
    assert code == 0
    return next(out.glob(f"{TERYT}-*"))


@pytest.fixture(scope="module")
def tables(written: Path) -> list[list[list[str]]]:
    document = docx.Document(str(written / f"{STEM}.docx"))
    return [[[cell.text for cell in row.cells] for row in table.rows]
            for table in document.tables]


def number(text: str) -> float:
    """A shown Polish number ("1 234,50 zł", "−3,7 %", "—") as a float."""
    cleaned = (text.replace("zł", "").replace("%", "").replace("pkt proc.", "")
               .replace("\u00a0", "")
               .replace(" ", "").replace(",", ".").replace("−", "-"))
    return float("nan") if cleaned in ("—", "") else float(cleaned)


def table_with(tables: list[list[list[str]]], *header: str) -> list[list[str]]:
    found = [t for t in tables if tuple(t[0][:len(header)]) == header]
    assert len(found) == 1, f"expected one table headed {header}"
    return found[0]


def own(store: Store) -> tuple[pd.DataFrame, set[str]]:
    contracts = store.contracts[store.contracts["teryt"] == TERYT]
    return contracts, set(contracts["contract_id"])


def close(shown: str, expected: float, decimals: int) -> None:
    if pd.isna(expected):
        assert shown == "—"
    else:
        assert number(shown) == pytest.approx(round(expected, decimals), abs=10 ** -decimals / 2)


def test_contract_counts_by_area_and_mode_equal_pandas(
        tables: list[list[list[str]]], store: Store) -> None:
    contracts, _ = own(store)
    table = table_with(tables, "obszar", f"kontrakty wieloletnie {YEAR}")
    body = {row[0]: row[1:] for row in table[1:]}
    for y, offset in ((YEAR, 0), (YEAR - 1, 2)):
        active = contracts[(contracts["start_year"] <= y) & (contracts["end_year"] >= y)]
        counts = active.groupby(["area", "mode"]).size()
        for area in active["area"].unique():
            shown = body[AREA_NAMES[area]]
            assert number(shown[offset]) == counts.get((area, "multi_year"), 0)
            assert number(shown[offset + 1]) == counts.get((area, "annual_grant"), 0)
        assert number(body["razem"][offset]) == (active["mode"] == "multi_year").sum()
        assert number(body["razem"][offset + 1]) == (active["mode"] == "annual_grant").sum()


def test_finance_by_source_equals_pandas_sums(
        tables: list[list[list[str]]], store: Store) -> None:
    _, ids = own(store)
    finance = store.finance[store.finance["contract_id"].isin(ids)]
    table = table_with(tables, "źródło")
    assert len(table) == 1 + len(FUNDING_SOURCES) + 1
    for row, source in zip(table[1:], [*FUNDING_SOURCES, None], strict=True):
        part = finance if source is None else finance[finance["source"] == source]
        for column, (y, kind) in enumerate(
                [(YEAR, "planned"), (YEAR, "actual"), (YEAR - 1, "planned"),
                 (YEAR - 1, "actual")], start=1):
            in_year = part[part["year"] == y]
            expected = in_year[kind].sum() if len(in_year) else np.nan
            close(row[column], expected, 2)


def test_grants_by_area_contributions_beneficiaries_and_results_equal_pandas(
        tables: list[list[list[str]]], store: Store) -> None:
    contracts, ids = own(store)
    finance = store.finance[store.finance["contract_id"].isin(ids)].merge(
        contracts[["contract_id", "area", "mode"]], on="contract_id")
    grants = finance[(finance["source"] == "dotacja") & (finance["year"] == YEAR)]
    expected = grants.groupby(["area", "mode"])[["planned", "actual"]].sum()
    table = table_with(tables, "obszar", "tryb", "przyznane", "wydane")
    assert len(table) - 1 == len(expected)
    shown_modes = {"kontrakty wieloletnie": "multi_year", "dotacje roczne": "annual_grant"}
    names = {name: area for area, name in AREA_NAMES.items()}
    for row in table[1:]:
        planned, actual = expected.loc[(names[row[0]], shown_modes[row[1]])]
        close(row[2], planned, 2)
        close(row[3], actual, 2)

    contributions = store.contributions[store.contributions["contract_id"].isin(ids)]
    table = table_with(tables, "wkład")
    for row, kind in zip(table[1:3], ("osobowy", "rzeczowy"), strict=True):
        for column, y in ((1, YEAR), (2, YEAR - 1)):
            part = contributions[(contributions["kind"] == kind) & (contributions["year"] == y)]
            close(row[column], part["value"].sum(), 2)
    for column, y in ((1, YEAR), (2, YEAR - 1)):
        part = contributions[(contributions["kind"] == "osobowy") & (contributions["year"] == y)]
        close(table[3][column], part["volunteer_hours"].sum(), 0)

    people = store.beneficiaries[store.beneficiaries["contract_id"].isin(ids)].merge(
        contracts[["contract_id", "area"]], on="contract_id")
    table = table_with(tables, "obszar", f"odbiorcy {YEAR}")
    for row in table[1:]:
        in_area = people[people["area"] == names[row[0]]]
        for column, (field, y) in enumerate(
                [("clients_served", YEAR), ("clients_served", YEAR - 1),
                 ("service_hours", YEAR), ("service_hours", YEAR - 1)], start=1):
            part = in_area[in_area["year"] == y]
            close(row[column], part[field].sum() if len(part) else np.nan, 0)

    results = store.results[(store.results["contract_id"].isin(ids))
                            & (store.results["year"] == YEAR)].merge(
        contracts[["contract_id", "area"]], on="contract_id")
    table = table_with(tables, "obszar", "rezultaty planowane")
    assert len(table) - 1 == results["area"].nunique()
    for row in table[1:]:
        part = results[results["area"] == names[row[0]]]
        assert number(row[1]) == len(part)
        assert number(row[2]) == (part["achieved"] >= part["target"]).sum()
        assert number(row[3]) == (part["achieved"] < part["target"]).sum()
        assert number(row[4]) == part["achieved"].isna().sum()


def test_cooperation_index_and_sources_equal_the_store(
        tables: list[list[list[str]]], store: Store) -> None:
    indicators = compute_indicators(store, teryt=[TERYT], years=[YEAR - 1, YEAR])
    gmina_rows = indicators[indicators["area"].isna() | (indicators["area"] == "<NA>")]
    table = table_with(tables, "wskaźnik", str(YEAR), str(YEAR - 1), "wartość docelowa")
    catalog = load_catalog()
    for row in table[1:]:
        indicator = row[0].split()[0]
        for column, y in ((1, YEAR), (2, YEAR - 1)):
            found = gmina_rows[(gmina_rows["indicator"] == indicator) & (gmina_rows["year"] == y)]
            if found["suppressed"].any():
                assert row[column].startswith("ukryto")
            else:
                close(row[column], found["value"].iloc[0] if len(found) else np.nan, 1)
        spec = next(s for s in catalog.indicators if s.id == indicator)
        close(row[3], spec.target, 1)

    contracts, ids = own(store)
    table = table_with(tables, "tabela", "wiersze", "lata")
    counts = {}
    for name in TABLES:
        frame = getattr(store, name)
        kept = frame[frame["contract_id"].isin(ids)] if "teryt" not in frame.columns \
            else frame[frame["teryt"] == TERYT]
        counts[name] = len(kept)
    assert sorted(number(row[1]) for row in table[1:]) == sorted(counts.values())
    assert number(table[1][1]) == len(contracts)


def test_the_report_names_its_store_version_marks_gaps_and_holds_no_other_gmina(
        written: Path, store: Store) -> None:
    document = docx.Document(str(written / f"{STEM}.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert store.data_hash in text
    assert "wkus " in text
    assert text.count("[do uzupełnienia]") >= 5
    assert "nie dowód przyczynowy" in text
    html = (written / f"{STEM}.html").read_text(encoding="utf-8")
    assert other_gminas_in(html, TERYT, store.contracts) == []
    assert '<mark class="todo">[do uzupełnienia]</mark>' in html


def test_the_evaluation_chapter_takes_baselines_from_the_year_and_catalogue_targets(
        store: Store) -> None:
    gmina = load_gminy()[TERYT]
    catalog = load_catalog()
    chapter = next_programme_evaluation(store, gmina, catalog, YEAR)
    indicators = compute_indicators(store, teryt=[TERYT], years=[YEAR])
    assert chapter.columns[1] == f"wartość bazowa ({YEAR})"
    assert chapter.columns[2] == f"wartość docelowa ({YEAR + 1})"
    wc = next(row for row in chapter.rows if row[0].startswith("WC "))
    expected = indicators[(indicators["indicator"] == "WC")]["value"].iloc[0]
    close(wc[1], expected, 1)
    close(wc[2], next(s for s in catalog.indicators if s.id == "WC").target, 1)


def test_docx_html_and_xlsx_are_byte_stable(demo: DemoSummary, tmp_path: Path,
                                            written: Path) -> None:
    assert main(["sprawozdanie", "--gmina", "Łapy", "--year", str(YEAR),
                 "--store", str(demo.store_dir), "--out", str(tmp_path)]) == 0
    again = next(tmp_path.glob(f"{TERYT}-*"))
    for suffix in ("docx", "html", "xlsx"):
        assert (again / f"{STEM}.{suffix}").read_bytes() == \
            (written / f"{STEM}.{suffix}").read_bytes()
    with zipfile.ZipFile(io.BytesIO((written / f"{STEM}.xlsx").read_bytes())) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) > 5
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_docx_tables_repeat_their_header_and_right_align_numbers(written: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn

    document = docx.Document(str(written / f"{STEM}.docx"))
    assert len(document.tables) > 10
    for table in document.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        for row in table.rows[1:]:
            for cell in row.cells:
                numeric = cell.text.lstrip("−")[:1].isdigit() and "–" not in cell.text
                right = cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
                assert right == numeric, cell.text


def test_xlsx_numbers_are_numbers_with_the_docx_value_and_a_polish_format(
        written: Path, tables: list[list[list[str]]]) -> None:
    workbook = openpyxl.load_workbook(written / f"{STEM}.xlsx")
    sheets = [sheet for sheet in workbook.worksheets if sheet.title != "spis"]
    shown = [table for table in tables if len(table) > 1]
    assert len(sheets) == len(shown)
    numbers = 0
    for sheet, table in zip(sheets, shown, strict=True):
        assert [c.value for c in sheet[2]] == table[0]
        for cells, texts in zip(sheet.iter_rows(min_row=3), table[1:], strict=True):
            for cell, text in zip(cells, texts, strict=True):
                if text in ("—", "") or not text.lstrip("−")[:1].isdigit() or "–" in text:
                    assert cell.data_type == "s" and cell.value == text
                    continue
                numbers += 1
                assert isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)
                assert cell.value == number(text)
                assert cell.number_format.endswith("_-")
                decimals = text.split(",")[1].split("\u00a0")[0] if "," in text else ""
                assert ("." + "0" * len(decimals)) in cell.number_format if decimals \
                    else "." not in cell.number_format
                if text.endswith("zł"):
                    assert cell.number_format.endswith('" zł"_-')
                elif text.endswith("%"):
                    assert cell.number_format.endswith('" %"_-')
    assert numbers > 200


def test_only_contracts_and_finance_give_a_report_with_gaps_and_exit_1(
        store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kept = {"contracts", "finance"}
    frames = {name: frame if name in kept else empty_table(name)
              for name, frame in store.tables().items()}
    write_store(frames, tmp_path / "store", synthetic=True)
    code = main(["sprawozdanie", "--gmina", TERYT, "--year", str(YEAR),
                 "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out")])
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback" not in captured.err
    assert "lista kontrolna współpracy" in captured.err
    assert "ankieta współpracy" in captured.err
    folder = next((tmp_path / "out").glob(f"{TERYT}-*"))
    document = docx.Document(str(folder / f"{STEM}.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Brakujące dane" in text
    assert "[do uzupełnienia] brak danych" in text
    finance_rows = [t for t in document.tables if t.rows[0].cells[0].text == "źródło"]
    assert finance_rows and number(finance_rows[0].rows[-1].cells[1].text) > 0


def test_a_year_without_checklist_and_survey_marks_what_to_fill_in_both_documents(
        store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    frames = store.tables()
    for name in ("cooperation_checklist", "cooperation_survey"):
        frame = frames[name]
        frames[name] = frame[~((frame["teryt"] == TERYT) & (frame["year"] == YEAR))]
    write_store(frames, tmp_path / "store", synthetic=True)
    code = main(["sprawozdanie", "--gmina", TERYT, "--year", str(YEAR),
                 "--store", str(tmp_path / "store"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert f"lista kontrolna współpracy (za {YEAR} r.)" in err
    assert f"ankieta współpracy (za {YEAR} r.)" in err
    folder = next((tmp_path / "out").glob(f"{TERYT}-*"))
    document = docx.Document(str(folder / f"{STEM}.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    for table_name, form in (("lista kontrolna współpracy", "Lista współpracy"),
                             ("ankieta współpracy", "Ankieta współpracy")):
        assert (f"[do uzupełnienia] brak danych: {table_name} (za {YEAR} r.) — dodaj je "
                f"(formularz „{form}”") in text
    shown = [[[c.text for c in r.cells] for r in t.rows] for t in document.tables]
    chapter = table_with(shown, "wskaźnik", f"wartość bazowa ({YEAR})")
    assert len(chapter) > 5
    assert [row[1] for row in chapter[1:]] == ["[do uzupełnienia]"] * (len(chapter) - 1)
    index = table_with(shown, "wskaźnik", str(YEAR), str(YEAR - 1), "wartość docelowa")
    assert all(row[1] == "—" and number(row[2]) >= 0 for row in index[1:])
    code = main(["program", "--gmina", TERYT, "--years", f"{YEAR + 2}-{YEAR + 5}",
                 "--store", str(tmp_path / "store"), "--out", str(tmp_path / "program")])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    assert (f"brak danych: ankieta współpracy (za {YEAR} r.: wartości bazowe oceny "
            "programu) — dodaj je") in err
    page = next((tmp_path / "program").glob(f"{TERYT}-*/*.html")).read_text(encoding="utf-8")
    assert (f'wartość bazowa z {YEAR} r.: <mark class="todo">[do uzupełnienia]</mark>)'
            in page)


@pytest.mark.parametrize(("option", "value", "expected"), [
    ("--year", "dwa tysiące", "nie jest rokiem"),
    ("--year", "1999", "nie jest rokiem"),
    ("--gmina", "Nieistniejąca Wieś", "Nieistniejąca Wieś"),
    ("--gmina", "Supraśl", "nie zawiera żadnych danych gminy Supraśl"),
    ("--year", "2030", "dane są z lat 2019–2025"),
])
def test_bad_parameters_give_a_polish_message_and_exit_2(
        demo: DemoSummary, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        option: str, value: str, expected: str) -> None:
    arguments = {"--gmina": TERYT, "--year": str(YEAR), option: value}
    code = main(["sprawozdanie", *[x for pair in arguments.items() for x in pair],
                 "--store", str(demo.store_dir), "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err
    assert "Traceback" not in err
    assert not any(tmp_path.iterdir())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_the_docx_opens_in_libreoffice(written: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(written / f"{STEM}.docx")],
        capture_output=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / f"{STEM}.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


def test_the_html_escapes_every_text() -> None:
    hostile = "<script>alert(1)</script> & [do uzupełnienia]"
    report = ProgrammeReport(
        gmina=load_gminy()[TERYT], year=YEAR, title=hostile, gaps=(hostile,), synthetic=False,
        sections=(ReportSection(hostile, (hostile,), (ReportTable(hostile, (hostile,),
                                                                  ((hostile,),)),)),))
    html = render_html(report)
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt; &amp;") >= 6


def test_the_html_right_aligns_numbers_only_and_marks_placeholders_in_cells() -> None:
    table = ReportTable("Umowy", ("Obszar", "Kwota", "Uwagi"),
                        (("pomoc społeczna", "1\u00a0234,50\u00a0zł", "[do uzupełnienia]"),
                         ("kultura", "2019–2025", "bez zmian")))
    report = ProgrammeReport(gmina=load_gminy()[TERYT], year=YEAR, title="T", gaps=(),
                             synthetic=False,
                             sections=(ReportSection("Umowy", (), (table,)),))
    html = render_html(report)
    assert '<td class="number">1\u00a0234,50\u00a0zł</td>' in html
    assert "<td>2019–2025</td>" in html  # a range is text: it may wrap, left-aligned
    assert html.count('<td class="number">') == 1
    assert '<td><mark class="todo">[do uzupełnienia]</mark></td>' in html
    assert "<td>pomoc społeczna</td>" in html
