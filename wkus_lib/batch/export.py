"""Rendering an executed report notebook: HTML, PDF and the XLSX annex.

* HTML: nbconvert with the ``wkus_report`` template (extends ``lab``), no code,
  no prompts, no parameters cells, print CSS, offline (no CDN scripts).
* PDF: WeasyPrint from that very HTML, no browser needed.
* XLSX: every table the notebook showed through ``wkus_lib.report.show_table``
  (a display output carrying :data:`TABLE_MIMETYPE`), with the section it
  stood under, laid out by :mod:`wkus_lib.report.annex` (one sheet per section,
  numbers rounded and formatted as shown, print setup).

All three are deterministic: identical notebooks give byte-identical files
(no timestamps, no random ids, fixed dates inside the XLSX zip), so a
report's hash changes only when its content does.

nbconvert, WeasyPrint and openpyxl are imported inside the functions: they
are slow to import and only the worker processes need them.
"""

from __future__ import annotations

import functools
import html as html_module
import json
import math
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from wkus_lib.report.annex import CellValue, Table, render_xlsx, table_from_payload
from wkus_lib.report.outputs import SYNTHETIC_BANNER, TABLE_MIMETYPE

if TYPE_CHECKING:
    from nbconvert import HTMLExporter
    from nbformat import NotebookNode

__all__ = ["Table", "collect_tables", "render_html", "render_xlsx"]

REMOVED_CELL_TAGS: Final = frozenset({"injected-parameters", "parameters", "remove-cell"})
TEMPLATE_NAME: Final = "wkus_report"
_SECTION_HEADING: Final = re.compile(r"<h[12][^>]*>(.*?)</h[12]>", re.DOTALL | re.IGNORECASE)
_MARKDOWN_SECTION: Final = re.compile(r"^#{1,2}\s+(.+?)\s*#*\s*$", re.MULTILINE)
_TAG: Final = re.compile(r"<[^>]+>")
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


def collect_tables(nb: NotebookNode) -> list[Table]:
    """Tables shown through :data:`TABLE_MIMETYPE`, in notebook order, skipping removed cells.

    Each table carries the section it was shown in: the last level-1 or
    level-2 heading before it (a markdown cell or a displayed ``<h1>``/``<h2>``).
    """
    tables: list[Table] = []
    section = ""
    for cell in nb.cells:
        if _is_removed(cell):
            continue
        if cell.get("cell_type") == "markdown":
            section = _last_heading(str(cell.get("source", "")), markdown=True) or section
            continue
        if cell.get("cell_type") != "code":
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            payload = data.get(TABLE_MIMETYPE)
            if payload is not None:
                tables.append(_table_from_payload(payload, section))
                continue
            shown = data.get("text/html")
            if shown:
                text = "".join(shown) if isinstance(shown, list) else str(shown)
                section = _last_heading(text, markdown=False) or section
            elif data.get("text/markdown"):
                section = _last_heading(str(data["text/markdown"]), markdown=True) or section
    return tables


def _last_heading(text: str, *, markdown: bool) -> str:
    found = (_MARKDOWN_SECTION if markdown else _SECTION_HEADING).findall(text)
    if not found:
        return ""
    return html_module.unescape(" ".join(_TAG.sub("", found[-1]).split())).strip("# ")


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


def _table_from_payload(payload: Any, section: str = "") -> Table:
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
    return table_from_payload({**payload, "title": title}, section, rows, columns)


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
