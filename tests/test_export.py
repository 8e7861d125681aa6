"""Rendering executed notebooks: HTML without code, deterministic PDF, safe XLSX annex."""

from __future__ import annotations

import re
from typing import Any

import nbformat
import pytest

from wkus_lib.batch import export
from wkus_lib.files import stable as stable_files
from wkus_lib.files.pdf import render_pdf, split_style_blocks

# nbformat has no type hints: its factories are used as untyped callables.
new_code_cell: Any = nbformat.v4.new_code_cell
new_markdown_cell: Any = nbformat.v4.new_markdown_cell
new_notebook: Any = nbformat.v4.new_notebook
new_output: Any = nbformat.v4.new_output
notebook_from_dict: Any = nbformat.from_dict

TABLE_TITLE = "Koszt jednostkowy — Łapy [zł]"


def _table_output(
    title: str, data: dict[str, Any], html: str = "<table><tr><td>t</td></tr></table>"
) -> Any:
    return new_output(
        "display_data",
        data={"text/html": html, "text/plain": "tabela", export.TABLE_MIMETYPE: {
            "title": title, "data": data}},
    )


def _notebook() -> Any:
    """An executed report notebook as papermill leaves it."""
    parameters = new_code_cell('teryt = "2013023"  # KOD_PARAMETRY', execution_count=1)
    parameters.metadata["tags"] = ["parameters"]
    injected = new_code_cell('teryt = "0201011"  # WSTRZYKNIETE', execution_count=2)
    injected.metadata["tags"] = ["injected-parameters"]
    table = new_code_cell("show_table(df, title)  # KOD_TABELA", execution_count=3, outputs=[
        _table_output(TABLE_TITLE, {"index": [0, 1], "columns": ["Pozycja", "Wartość"],
                                    "data": [["=HYPERLINK(\"http://x\")", 1.5], ["Dotacja", 2]]}),
        new_output("stream", name="stderr", text="FutureWarning: OSTRZEZENIE\n"),
        new_output("stream", name="stdout", text="Liczba umów: 12\n"),
    ])
    hidden = new_code_cell("secret()", execution_count=4, outputs=[
        _table_output("Ukryta", {"index": [0], "columns": ["a"], "data": [[1]]},
                      html="<p>SEKRET</p>"),
    ])
    hidden.metadata["tags"] = ["remove-cell"]
    nb = new_notebook(cells=[
        new_markdown_cell("# Ocena bieżąca\n\nZażółć gęślą jaźń."), parameters, injected, table,
        hidden,
    ])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


@pytest.fixture(scope="module")
def html() -> str:
    return export.render_html(_notebook(), title="Raport testowy", synthetic=True)


def _body(html: str) -> str:
    return html[html.index("<body"):]


def test_html_shows_results_but_no_code_prompts_or_parameters(html: str) -> None:
    assert "Zażółć gęślą jaźń" in html
    assert "Liczba umów: 12" in html
    for hidden in ("KOD_", "WSTRZYKNIETE", "0201011", "SEKRET"):
        assert hidden not in html
    assert "In&nbsp;[" not in _body(html)
    assert "Out[" not in _body(html)


def test_html_renders_tables_as_html_not_as_raw_json(html: str) -> None:
    assert "<table><tr><td>t</td></tr></table>" in html
    assert export.TABLE_MIMETYPE not in html
    assert '"columns"' not in html


def test_html_never_shows_stderr_warnings(html: str) -> None:
    assert "OSTRZEZENIE" not in html


def test_html_loads_nothing_from_the_network(html: str) -> None:
    assert "<script" not in html
    assert not re.search(r"(src|href)=\"https?:|url\(\s*['\"]?https?:|@import", html)


def test_html_declares_the_report_language() -> None:
    assert '<html lang="pl">' in export.render_html(_notebook(), title="t")
    assert '<html lang="en">' in export.render_html(_notebook(), title="t", lang="en")


def test_html_of_synthetic_data_always_carries_the_banner_once(html: str) -> None:
    assert html.count('class="synthetic-banner"') == 1
    nb = _notebook()
    banner = '<div class="synthetic-banner">DANE SYNTETYCZNE</div>\n'
    nb.cells[0].source = banner + nb.cells[0].source
    own = export.render_html(nb, title="t", synthetic=True)
    assert own.count('class="synthetic-banner"') == 1
    assert 'class="synthetic-banner"' not in export.render_html(_notebook(), title="t")


def test_fallback_banner_says_what_the_report_notebooks_say() -> None:
    from types import SimpleNamespace

    from wkus_lib.report.common import synthetic_banner_html
    notebook_banner = synthetic_banner_html(SimpleNamespace(synthetic=True))  # type: ignore[arg-type]
    assert notebook_banner == f'<div class="synthetic-banner">{export.SYNTHETIC_BANNER}</div>'


def test_html_has_the_print_css() -> None:
    css = (export.templates_dir() / "wkus_report" / "print.css").read_text(encoding="utf-8")
    for rule in ("size: A4", "counter(page)", "break-inside: avoid", "DejaVu Sans",
                 ".synthetic-banner", ".tl-green", ".tl-amber", ".tl-red"):
        assert rule in css
    assert "counter(pages)" in export.render_html(_notebook(), title="t")


def test_html_is_identical_for_identical_notebooks_even_without_cell_ids() -> None:
    nb = _notebook()
    nb.nbformat_minor = 4
    for cell in nb.cells:
        del cell["id"]
    javascript = new_output("display_data", data={"application/javascript": "alert(1)",
                                                  "text/plain": "js"})
    nb.cells[3].outputs.append(javascript)
    first = export.render_html(nb, title="t")
    assert first == export.render_html(notebook_from_dict(nb), title="t")
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", first)


def test_pdf_is_byte_identical_across_renders(html: str) -> None:
    first = render_pdf(html)
    assert first.startswith(b"%PDF-")
    assert first == render_pdf(html)
    assert b"/CreationDate" not in first
    assert b"/ModDate" not in first


def test_print_css_lays_out_a4_pages(html: str) -> None:
    from weasyprint import HTML

    page = HTML(string=html).render().pages[0]
    assert (round(page.width * 25.4 / 96), round(page.height * 25.4 / 96)) == (210, 297)


def test_tables_are_collected_in_order_skipping_removed_cells() -> None:
    tables = export.collect_tables(_notebook())
    assert [t.title for t in tables] == [TABLE_TITLE]
    assert tables[0].columns == ["Pozycja", "Wartość"]
    assert tables[0].rows == [['=HYPERLINK("http://x")', 1.5], ["Dotacja", 2]]


def test_a_meaningful_index_becomes_the_first_column() -> None:
    nb = new_notebook(cells=[new_code_cell("x", outputs=[_table_output("W", {
        "index": ["Q1", "Q2"], "columns": [["n", "klient"], "wynik"],
        "data": [[12, 81.5], [3, None]]})])])
    [table] = export.collect_tables(nb)
    assert table.columns == ["", "n / klient", "wynik"]
    assert table.rows == [["Q1", 12, 81.5], ["Q2", 3, None]]


def test_a_malformed_table_payload_fails_loudly() -> None:
    nb = new_notebook(cells=[new_code_cell("x", outputs=[new_output(
        "display_data", data={"text/plain": "x", export.TABLE_MIMETYPE: {"title": "x"}})])])
    with pytest.raises(ValueError, match="orient=\"split\""):
        export.collect_tables(nb)


def test_tables_carry_the_section_they_were_shown_in() -> None:
    nb = new_notebook(cells=[
        new_markdown_cell("# Raport\n\n## Koszty"),
        new_code_cell("t1", outputs=[_table_output("A", {"columns": ["x"], "data": [[1]]})]),
        new_code_cell("h", outputs=[new_output("display_data", data={
            "text/html": "<h2>Aneks &amp; dane</h2>", "text/plain": "h"})]),
        new_code_cell("h3", outputs=[new_output("display_data", data={
            "text/html": "<h3>Podrozdział</h3>", "text/plain": "h"})]),
        new_code_cell("t2", outputs=[_table_output("B", {"columns": ["x"], "data": [[2]]})]),
    ])
    assert [(t.section, t.title) for t in export.collect_tables(nb)] == [
        ("Koszty", "A"), ("Aneks & dane", "B")]


def test_formats_in_the_payload_reach_the_table() -> None:
    output = _table_output("T", {"columns": ["zł"], "data": [[1234.5]]})
    output.data[export.TABLE_MIMETYPE]["formats"] = {
        "zł": {"decimals": 0, "unit": "zł", "grouping": True, "scale": 1}}
    output.data[export.TABLE_MIMETYPE]["lang"] = "en"
    [table] = export.collect_tables(new_notebook(cells=[new_code_cell("t", outputs=[output])]))
    assert table.formats["zł"].excel() == '#,##0" zł"_-'
    assert table.lang == "en"


def test_pdf_from_pre_parsed_style_blocks_equals_the_pdf_of_the_page_as_it_is(
    html: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from weasyprint import HTML

    assert len(split_style_blocks(html)[1]) >= 2  # the lab theme and the print CSS
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(stable_files.FIXED_DATETIME.timestamp())))
    as_is = HTML(string=html, base_url=".").write_pdf()
    assert render_pdf(html, base_url=".") == as_is


def test_style_blocks_are_split_in_order_and_media_specific_ones_stay_in_the_page() -> None:
    page = (
        "<html><head><style>p { color: red }</style>"
        '<style type="text/css">p { color: blue }</style>'
        '<style media="print">p { color: green }</style></head>'
        "<body><p>x</p><style>p { color: black }</style></body></html>"
    )
    rest, blocks = split_style_blocks(page)
    assert blocks == ["p { color: red }", "p { color: blue }", "p { color: black }"]
    assert rest == (
        '<html><head><style media="print">p { color: green }</style></head>'
        "<body><p>x</p></body></html>"
    )
