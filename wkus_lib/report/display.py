"""Display primitives for report notebooks: tables, figures, text.

Every table goes through :func:`show_table`, which displays Polish-formatted
HTML and also carries the raw values under :data:`TABLE_MIMETYPE`; the XLSX
annex is built from those, so annex and report cannot disagree.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

import pandas as pd
from IPython.display import HTML, Image, Markdown, display
from matplotlib.figure import Figure

from wkus_lib.report_outputs import TABLE_MIMETYPE
from wkus_lib.style import format_number

LONG_TABLE_ROWS: Final = 20
"""Tables longer than this may break across pages (the header repeats); shorter ones never do."""


def is_missing(value: Any) -> bool:
    """None, NaN or pd.NA (but never a string)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def show_table(
    frame: pd.DataFrame,
    title: str,
    *,
    formats: Mapping[str, Callable[[Any], str]] | None = None,
    breakable: bool | None = None,
) -> None:
    """Display a table as Polish-formatted HTML and attach its raw values.

    ``formats`` maps a column to a function that turns a raw value into the
    displayed text; numbers in other columns get the default Polish format
    (a column named ``Rok``/``Year`` is shown as a plain year), text is
    escaped. Numeric columns are aligned right, text left. ``breakable``
    lets a printed table continue on the next page (default: when it has
    more than :data:`LONG_TABLE_ROWS` rows).
    """
    formats = formats or {}
    cells: dict[str, list[str]] = {}
    numeric: set[str] = set()
    for column in frame.columns:
        values = frame[column]
        is_number = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)
        if column in formats:
            cells[column] = [formats[column](v) for v in values]
        elif is_number and str(column) in ("Rok", "Year"):
            cells[column] = ["—" if is_missing(v) else str(int(v)) for v in values]
        elif is_number:
            decimals = 0 if pd.api.types.is_integer_dtype(values) else 1
            cells[column] = [format_number(v, decimals) for v in values]
        else:
            cells[column] = ["—" if is_missing(v) else html.escape(str(v)) for v in values]
        if is_number or column in formats:
            numeric.add(str(column))
    long = len(frame) > LONG_TABLE_ROWS if breakable is None else breakable
    display_table(html_table(cells, numeric, "wkus-table long-table" if long else "wkus-table"),
                  frame, title)


def html_table(
    cells: Mapping[str, Sequence[str]], numeric: set[str], classes: str = "wkus-table"
) -> str:
    """A plain HTML table; cell texts must already be escaped (or trusted markup)."""
    def cls(column: str) -> str:
        return "num" if column in numeric else "text"

    head = "".join(f'<th class="{cls(c)}">{html.escape(c)}</th>' for c in cells)
    if cells and len(next(iter(cells.values()))) > LONG_TABLE_ROWS and "long-table" not in classes:
        classes += " long-table"
    rows = zip(*cells.values(), strict=True) if cells else iter(())
    body = "".join(
        "<tr>"
        + "".join(f'<td class="{cls(c)}">{v}</td>' for c, v in zip(cells, row, strict=True))
        + "</tr>"
        for row in rows
    )
    return f'<table class="{classes}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def display_table(body_html: str, raw: pd.DataFrame, title: str) -> None:
    """Display an already built HTML table with its title and raw values for the annex."""
    caption = f'<p class="table-title">{html.escape(title)}</p>'
    block = "wkus-table-block long" if "long-table" in body_html else "wkus-table-block"
    values = raw.reset_index(drop=True).astype(object)
    values = values.where(values.notna(), None)
    display(
        {
            "text/html": f'<div class="{block}">{caption}{body_html}</div>',
            TABLE_MIMETYPE: {"title": title, "data": values.to_dict(orient="split")},
        },
        raw=True,
    )


def show_figure(fig: Figure) -> None:
    """Display a figure as PNG.

    Rendered here rather than by the notebook backend so batch and
    interactive runs give the same, deterministic image (no metadata).
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    display(Image(data=buffer.getvalue(), format="png"))


def show_text(markdown: str) -> None:
    """Display narrative text (Markdown)."""
    display(Markdown(markdown))


def show_html(markup: str) -> None:
    """Display trusted HTML built by the report modules (escape user data first)."""
    display(HTML(markup))


def show_heading(text: str, level: int = 2) -> None:
    """A section heading (in the report language; code-made so it can be translated)."""
    show_html(f"<h{level}>{html.escape(text)}</h{level}>")


def show_notes(title: str, lines: Sequence[str]) -> None:
    """A small heading with a bullet list, kept together on one page."""
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    show_html(f'<div class="wkus-keep"><h3>{html.escape(title)}</h3><ul>{items}</ul></div>')


FINDINGS_CLASS: Final = "findings"
"""The class of every findings list, so readers (and tests) find the findings of a report."""


def show_findings(items: Sequence[str], title: str | None = None, level: int = 3) -> None:
    """Findings as a list; with a heading, kept together with it on one page.

    Every report kind shows its findings through this, so they are one
    ``<ul class="findings">`` whatever the kind.
    """
    listed = "".join(f"<li>{html.escape(item)}</li>" for item in items)
    findings = f'<ul class="{FINDINGS_CLASS}">{listed}</ul>'
    if title is None:
        # Without a heading the list may continue on the next page, like the text around it.
        show_html(findings)
        return
    show_html(f'<div class="wkus-keep"><h{level}>{html.escape(title)}</h{level}>{findings}</div>')
