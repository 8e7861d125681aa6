"""Rendering an executed report notebook: HTML, PDF and the XLSX annex.

* HTML: nbconvert with the ``wkus_report`` template (extends ``lab``), no code,
  no prompts, no parameters cells, print CSS, offline (no CDN scripts).
* PDF: WeasyPrint from that very HTML, no browser needed.
* XLSX: every table the notebook showed through ``wkus_lib.report.show_table``
  (a display output carrying :data:`TABLE_MIMETYPE`), one sheet each, in the
  order shown; text that a spreadsheet could take for a formula is marked
  as plain text.

All three are deterministic: identical notebooks give byte-identical files
(no timestamps, no random ids, fixed dates inside the XLSX zip), so a
report's hash changes only when its content does.

nbconvert, WeasyPrint and openpyxl are imported inside the functions: they
are slow to import and only the worker processes need them.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from wkus_lib.report_outputs import SYNTHETIC_BANNER, TABLE_MIMETYPE
from wkus_lib.stable_files import FIXED_DATETIME, with_fixed_zip_dates, workbook_bytes

if TYPE_CHECKING:
    from nbconvert import HTMLExporter
    from nbformat import NotebookNode
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

REMOVED_CELL_TAGS: Final = frozenset({"injected-parameters", "parameters", "remove-cell"})
TEMPLATE_NAME: Final = "wkus_report"
FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make Excel or LibreOffice read a text as a formula."""
CONTENTS_SHEET: Final = "Spis tabel"
SHEET_NAME_MAX: Final = 31
COLUMN_WIDTH_MIN: Final = 8
COLUMN_WIDTH_MAX: Final = 60
_SHEET_NAME_FORBIDDEN: Final = str.maketrans({c: " " for c in "[]:*?/\\"})
_STYLE_BLOCK: Final = re.compile(
    r'<style(?:\s+type="text/css")?\s*>(.*?)</style>', re.DOTALL | re.IGNORECASE
)

CellValue: TypeAlias = str | int | float | bool | None


@dataclass(frozen=True)
class Table:
    """One table a report showed: its title, column headers and rows."""

    title: str
    columns: list[str]
    rows: list[list[CellValue]]


def templates_dir() -> Path:
    """The folder holding the ``wkus_report`` nbconvert template and the index template."""
    return Path(str(resources.files("wkus_lib") / "templates"))


def render_html(
    nb: NotebookNode,
    *,
    title: str,
    lang: str = "pl",
    synthetic: bool = False,
    resources_dir: Path | None = None,
) -> str:
    """HTML of an executed notebook without code, prompts or parameters cells.

    ``resources_dir`` is where relative images in markdown cells are found
    (the notebooks folder); they are embedded so the HTML stands alone. When
    ``synthetic`` is true and the notebook did not show a ``synthetic-banner``
    itself, the template adds one at the top.
    """
    banner = SYNTHETIC_BANNER if synthetic and not _shows_synthetic_banner(nb) else ""
    meta = {"name": title, "path": str(resources_dir) if resources_dir else ""}
    body, _ = _html_exporter(lang).from_notebook_node(
        nb, resources={"metadata": meta, "wkus_synthetic_banner": banner}
    )
    return str(body)


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """A4 PDF of a report's HTML (WeasyPrint), without dates.

    fontTools stamps the current time into every font subset it embeds unless
    ``SOURCE_DATE_EPOCH`` is set, so it is set for the rendering. The
    ``<style>`` blocks (JupyterLab's theme alone is 240 kB) are parsed once
    per process and handed to WeasyPrint in document order, which is the
    same cascade as leaving them in the page (the PDF is byte-identical).
    """
    from weasyprint import HTML

    page, blocks = split_style_blocks(html)
    with quiet_logger("weasyprint"), quiet_logger("fontTools"), _source_date_epoch():
        stylesheets = [_parsed_stylesheet(css, base_url) for css in blocks]
        pdf = HTML(string=page, base_url=base_url).write_pdf(stylesheets=stylesheets)
    assert pdf is not None
    return bytes(pdf)


def split_style_blocks(html: str) -> tuple[str, list[str]]:
    """The page without its plain ``<style>`` blocks, and their CSS in document order.

    Blocks with attributes other than ``type="text/css"`` (e.g. ``media``)
    stay in the page.
    """
    blocks = [m.group(1) for m in _STYLE_BLOCK.finditer(html)]
    return _STYLE_BLOCK.sub("", html), blocks


@functools.lru_cache(maxsize=32)
def _parsed_stylesheet(css: str, base_url: str | None) -> Any:
    from weasyprint import CSS

    return CSS(string=css, base_url=base_url)


def collect_tables(nb: NotebookNode) -> list[Table]:
    """Tables shown through :data:`TABLE_MIMETYPE`, in notebook order, skipping removed cells."""
    tables: list[Table] = []
    for cell in nb.cells:
        if cell.get("cell_type") != "code" or _is_removed(cell):
            continue
        for output in cell.get("outputs", []):
            payload = output.get("data", {}).get(TABLE_MIMETYPE)
            if payload is not None:
                tables.append(_table_from_payload(payload))
    return tables


def render_xlsx(tables: Sequence[Table], *, title: str, notes: Sequence[str] = ()) -> bytes:
    """The XLSX annex: a contents sheet, then one sheet per table; deterministic bytes."""
    from openpyxl import Workbook

    workbook = Workbook()
    contents = workbook.active
    assert contents is not None
    contents.title = CONTENTS_SHEET
    names = sheet_names([t.title for t in tables], reserved=(CONTENTS_SHEET,))
    entries = [(name, table.title) for name, table in zip(names, tables, strict=True)]
    _fill_contents(contents, title, notes, entries)
    for table, name in zip(tables, names, strict=True):
        _fill_table(workbook.create_sheet(name), table)
    workbook.properties.creator = "wkus"
    workbook.properties.title = title
    workbook.properties.created = FIXED_DATETIME.replace(tzinfo=None)
    workbook.properties.modified = FIXED_DATETIME.replace(tzinfo=None)
    return with_fixed_zip_dates(workbook_bytes(workbook))


def sheet_names(titles: Sequence[str], *, reserved: Sequence[str] = ()) -> list[str]:
    """Valid, unique sheet names (≤ 31 characters, Polish letters kept).

    Excel compares sheet names case-insensitively and forbids ``[]:*?/\\``
    and a leading or trailing apostrophe; an empty title becomes ``Tabela N``.
    """
    taken = {name.casefold() for name in reserved}
    names: list[str] = []
    for number, title in enumerate(titles, start=1):
        base = " ".join(title.translate(_SHEET_NAME_FORBIDDEN).split()).strip("'")
        base = base[:SHEET_NAME_MAX].strip() or f"Tabela {number}"
        name, copy = base, 1
        while name.casefold() in taken:
            copy += 1
            suffix = f" ({copy})"
            name = base[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def warm_html_exporter(lang: str = "pl") -> None:
    """Build the HTML exporter (imports nbconvert, loads the template) ahead of the first report."""
    _html_exporter(lang)


@functools.cache
def _html_exporter(lang: str) -> HTMLExporter:
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(  # type: ignore[no-untyped-call]
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(templates_dir())],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
        language_code=lang,
    )
    remove_tagged = TagRemovePreprocessor(  # type: ignore[no-untyped-call]
        remove_cell_tags=set(REMOVED_CELL_TAGS)
    )
    exporter.register_preprocessor(remove_tagged, enabled=True)  # type: ignore[no-untyped-call]
    exporter.register_preprocessor(_drop_stderr, enabled=True)  # type: ignore[no-untyped-call]
    return exporter


def _drop_stderr(nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, Any]:
    """Warnings printed on stderr stay in the .ipynb but never reach a reader's report."""
    for cell in nb.cells:
        if "outputs" in cell:
            cell.outputs = [
                o for o in cell.outputs
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    return nb, resources


def _shows_synthetic_banner(nb: NotebookNode) -> bool:
    for cell in nb.cells:
        if _is_removed(cell):
            continue
        if cell.get("cell_type") == "markdown" and "synthetic-banner" in cell.get("source", ""):
            return True
        for output in cell.get("outputs", []):
            if "synthetic-banner" in str(output.get("data", {}).get("text/html", "")):
                return True
    return False


def _is_removed(cell: NotebookNode) -> bool:
    return not REMOVED_CELL_TAGS.isdisjoint(cell.get("metadata", {}).get("tags", []))


@contextmanager
def quiet_logger(name: str) -> Iterator[None]:
    """Let a library's logger through only at ERROR level for the duration.

    WeasyPrint warns about every JupyterLab CSS rule it ignores, papermill
    about every parameter a notebook does not declare: hundreds of lines a
    batch user cannot act on.
    """
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def _source_date_epoch() -> Iterator[None]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(FIXED_DATETIME.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def _table_from_payload(payload: Any) -> Table:
    if isinstance(payload, str):
        payload = json.loads(payload)
    try:
        title = str(payload.get("title") or "")
        split: Mapping[str, Any] = payload["data"]
        columns = [_label(c) for c in split["columns"]]
        rows = [[_cell_value(v) for v in row] for row in split["data"]]
        index = list(split.get("index") or [])
    except (AttributeError, KeyError, TypeError) as error:
        raise ValueError(
            f"Tabela w formacie {TABLE_MIMETYPE} jest niepoprawna ({error!r}); oczekiwano "
            '{"title": ..., "data": df.to_dict(orient="split")}'
        ) from None
    if index and index != list(range(len(rows))):
        columns = ["", *columns]
        rows = [[_label(i), *row] for i, row in zip(index, rows, strict=True)]
    return Table(title=title, columns=columns, rows=rows)


def _label(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return " / ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _cell_value(value: Any) -> CellValue:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _write(cell: Cell, value: CellValue) -> None:
    """Set a cell; text is always text, and formula-like text is quote-prefixed."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        text: str = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        cell.data_type = "s"
        if text.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    else:
        cell.value = value


def _fill_contents(
    sheet: Worksheet, title: str, notes: Sequence[str], entries: Sequence[tuple[str, str]]
) -> None:
    from openpyxl.styles import Font

    _write(sheet.cell(row=1, column=1), title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    row = 2
    for note in notes:
        _write(sheet.cell(row=row, column=1), note)
        sheet.cell(row=row, column=1).font = Font(bold=True, color="9C0018")
        row += 1
    row += 1
    for column, header in enumerate(("Arkusz", "Tabela"), start=1):
        _write(sheet.cell(row=row, column=column), header)
        sheet.cell(row=row, column=column).font = Font(bold=True)
    if not entries:
        _write(sheet.cell(row=row + 1, column=1), "Raport nie zawiera tabel.")
    for offset, (name, table_title) in enumerate(entries, start=1):
        _write(sheet.cell(row=row + offset, column=1), name)
        _write(sheet.cell(row=row + offset, column=2), table_title)
    _set_widths(sheet, [[n for n, _ in entries], [t for _, t in entries]], ["Arkusz", "Tabela"])


def _fill_table(sheet: Worksheet, table: Table) -> None:
    from openpyxl.styles import Font

    bold = Font(bold=True)
    for column, header in enumerate(table.columns, start=1):
        _write(sheet.cell(row=1, column=column), header)
        sheet.cell(row=1, column=column).font = bold
    for row_number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            _write(sheet.cell(row=row_number, column=column), value)
    sheet.freeze_panes = "A2"
    if table.columns and table.rows:
        sheet.auto_filter.ref = sheet.dimensions
    _set_widths(sheet, [list(column) for column in zip(*table.rows, strict=False)], table.columns)


def _set_widths(
    sheet: Worksheet, columns: Sequence[Sequence[CellValue]], headers: Sequence[str]
) -> None:
    from openpyxl.utils import get_column_letter

    for number, header in enumerate(headers, start=1):
        values = columns[number - 1] if number <= len(columns) else []
        longest = max([len(header), *(len(str(v)) for v in values if v is not None)])
        width = min(max(longest + 2, COLUMN_WIDTH_MIN), COLUMN_WIDTH_MAX)
        sheet.column_dimensions[get_column_letter(number)].width = width
