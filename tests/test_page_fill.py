"""Pages without holes: how full each PDF page is, and no page ends with a heading.

How fullness is measured: each page is rendered in grey at low resolution
(``pdftoppm``) and the lowest row with ink inside the page's content box
(the ``@page`` margins of ``print.css``; the running header and the page
number live in the margins and do not count) gives the share of the content
height in use. Reports flow from the top, so a hole is blank space at the
foot of a page.

The rule, and why 45 %: every page but the last is at least 45 % full. The
print CSS forces no page break; a page ends early only when the next block
must stay whole (a figure, a short table, a heading with what follows it) and
does not fit. The tallest such block in these reports is about half of the
content height (a dot-and-interval figure for ten gminy with its title; a
20-row table), so a page can rightly lose up to about half of its height,
and one that stops before 45 % shows a block that should have flowed: an
over-tall kept block, a forced break, a chain of "keep with next". The last
page is exempt: it holds what is left.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from wkus_lib.batch import export
from wkus_lib.batch.params import resolve_batch
from wkus_lib.batch.runner import run_batch
from wkus_lib.demo import DemoSummary
from wkus_lib.files.pdf import render_pdf

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
MIN_FILL = 0.45
PAGE_HEIGHT_MM = 297.0
MARGIN_TOP_MM, MARGIN_BOTTOM_MM = 18.0, 20.0
"""The ``@page`` margins of print.css (checked below), top and bottom."""
DPI = 30
INK = 200
"""Grey level (0 black – 255 white) darker than which a pixel is ink; table rules and
zebra stripes (#d0d0d0 and lighter) are not."""

needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                   reason="pdftoppm (poppler-utils) is not installed")


def page_fill(pdf: Path) -> list[float]:
    """For each page, the share (0–1) of the content height down to its lowest ink."""
    from PIL import Image

    fills: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), str(pdf), f"{folder}/p"],
                       check=True, capture_output=True)
        pages = sorted(Path(folder).glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[-1]))
        for path in pages:
            with Image.open(path) as image:
                width, height = image.size
                top = round(height * MARGIN_TOP_MM / PAGE_HEIGHT_MM) + 1
                bottom = height - round(height * MARGIN_BOTTOM_MM / PAGE_HEIGHT_MM) - 1
                pixels = image.load()
                assert pixels is not None
                inked = [y for y in range(top, bottom)
                         if any(int(pixels[x, y]) < INK for x in range(width))]  # type: ignore[arg-type]
            fills.append(((max(inked) - top) / (bottom - top)) if inked else 0.0)
    return fills


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, in reading order (``pdftotext -layout``)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def _squash(text: str) -> str:
    return re.sub(r"[\s\u00ad-]+", "", text)


def headings_of(html: str) -> list[str]:
    """Headings and table titles of a report's HTML (tags stripped)."""
    found = re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>|<p class=\"table-title\">(.*?)</p>", html,
                       flags=re.DOTALL)
    import html as html_module

    return [html_module.unescape(re.sub(r"<[^>]+>", "", a or b)).strip() for a, b in found]


def last_line(page: str) -> str:
    """The last line of a page's text, without the page number ("3 / 8")."""
    lines = [re.sub(r"\s*\d+ / \d+\s*$", "", line).strip() for line in page.splitlines()]
    lines = [line for line in lines if line]
    return lines[-1] if lines else ""


def test_print_css_margins_are_the_ones_measured() -> None:
    css = (export.templates_dir() / "wkus_report" / "print.css").read_text(encoding="utf-8")
    assert f"margin: {MARGIN_TOP_MM:.0f}mm 16mm {MARGIN_BOTTOM_MM:.0f}mm 16mm;" in css


@needs_poppler
@pytest.mark.parametrize("share", [0.3, 0.6, 0.9])
def test_the_measure_finds_how_far_down_a_page_is_used(share: float, tmp_path: Path) -> None:
    height = (PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM) * share
    page = (f'<html><head><style>@page {{ size: A4; margin: {MARGIN_TOP_MM}mm 16mm '
            f'{MARGIN_BOTTOM_MM}mm 16mm; @bottom-right {{ content: "1 / 2" }} }} '
            "body { margin: 0 }</style></head><body>"
            f'<div style="height: {height}mm; background: #000"></div>'
            '<div style="break-before: page; height: 5mm; background: #000"></div></body></html>')
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(render_pdf(page))
    first, second = page_fill(pdf)
    assert first == pytest.approx(share, abs=0.03)
    assert second == pytest.approx(5 / (PAGE_HEIGHT_MM - MARGIN_TOP_MM - MARGIN_BOTTOM_MM),
                                   abs=0.03)


def test_last_line_skips_the_page_number() -> None:
    assert last_line("Tytuł\n\n  Koszt jednostkowy    \n                3 / 8\n") == \
        "Koszt jednostkowy"


# One report of each kind, and Sopot's ex post (a cost chart in thousands of złoty).
REPORTS = [("2002063", "ex_ante", "sport"), ("2002063", "on_going", "edukacja"),
           ("2002063", "ex_post", "kultura"), ("2002063", "gmina_overview", "all"),
           ("2002063", "benchmark", "kultura"), ("2264011", "ex_post", "pomoc_spoleczna")]


@pytest.fixture(scope="module")
def rendered(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    specs = [spec for teryt, stage, area in REPORTS
             for spec in resolve_batch(teryt, stage, area, year=2025,
                                       store_dir=demo.store_dir)]
    assert len(specs) == len(REPORTS)
    out_dir = tmp_path_factory.mktemp("page_fill")
    result = run_batch(specs, out_dir=out_dir, notebooks_dir=NOTEBOOKS, jobs=1,
                       formats=("html", "pdf"), quiet=True)
    assert result.exit_code == 0, result.summary()
    return [out_dir / f"{spec.output_stem}.pdf" for spec in specs]


@pytest.mark.slow
@needs_poppler
def test_every_page_but_the_last_is_at_least_45_percent_full(rendered: list[Path]) -> None:
    holes = []
    for pdf in rendered:
        fills = page_fill(pdf)
        assert len(fills) >= 2, pdf
        holes += [(pdf.parent.name + "/" + pdf.stem, number, round(fill, 2))
                  for number, fill in enumerate(fills[:-1], start=1) if fill < MIN_FILL]
    assert not holes


@pytest.mark.slow
@needs_poppler
def test_no_page_ends_with_a_heading_or_a_table_title(rendered: list[Path]) -> None:
    lone = []
    for pdf in rendered:
        headings = {_squash(h) for h in headings_of(pdf.with_suffix(".html").read_text(
            encoding="utf-8")) if len(_squash(h)) >= 6}
        assert headings, pdf
        for number, page in enumerate(page_texts(pdf)[:-1], start=1):
            end = _squash(last_line(page))
            if end and any(h.endswith(end) and len(end) >= 6 for h in headings):
                lone.append((pdf.parent.name + "/" + pdf.stem, number, last_line(page)))
    assert not lone


def _notebook_with_a_long_table_near_the_foot(filler_mm: float) -> object:
    import nbformat
    import pandas as pd

    from wkus_lib.report.display import html_table

    rows = [f"Wiersz {i}" for i in range(1, 31)]
    table = html_table({"Pozycja": rows, "Wartość": [str(i) for i in range(1, 31)]}, {"Wartość"})
    raw = pd.DataFrame({"Pozycja": rows, "Wartość": list(range(1, 31))})

    def shown(markup: str) -> object:
        return nbformat.v4.new_output("display_data", data={"text/html": markup,
                                                            "text/plain": ""})

    block = f'<div class="wkus-table-block long"><p class="table-title">Długa tabela</p>{table}</div>'
    cells = [nbformat.v4.new_code_cell("x", outputs=[
        shown(f'<div style="height: {filler_mm}mm"><p>Wstęp</p></div>'),
        shown("<h2>Aneks metodologiczny</h2>"), shown(block)])]
    assert len(raw) == 30
    return nbformat.v4.new_notebook(cells=cells)


@needs_poppler
@pytest.mark.parametrize("filler_mm", [205.0, 215.0, 225.0, 232.0])
def test_a_long_table_never_leaves_its_heading_with_one_or_two_rows(
    filler_mm: float, tmp_path: Path
) -> None:
    """A long table may flow on (its header repeats), but it starts with at least three rows
    next to its heading and title, and never leaves its last row alone on a page."""
    html = export.render_html(_notebook_with_a_long_table_near_the_foot(filler_mm), title="t")
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(render_pdf(html))
    pages = page_texts(pdf)
    first = pages[0]
    on_first = [n for n in range(1, 31) if re.search(rf"\bWiersz {n}\b", first)]
    assert len(on_first) == 0 or len(on_first) >= 3, on_first
    assert "Aneks metodologiczny" not in first or on_first
    on_last = [n for n in range(1, 31) if re.search(rf"\bWiersz {n}\b", pages[-1])]
    assert len(on_last) >= 2
