"""Display primitives for report notebooks: tables, figures, text.

Every table goes through :func:`show_table`, which displays Polish-formatted
HTML and also carries the raw values under :data:`TABLE_MIMETYPE`; the XLSX
annex is built from those, so annex and report cannot disagree.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Mapping, Sequence
from html.parser import HTMLParser
from typing import Any, Final

import pandas as pd
from IPython.display import HTML, Image, Markdown, display
from matplotlib.figure import Figure

from wkus_lib.report.outputs import TABLE_MIMETYPE
from wkus_lib.text.i18n import current_language
from wkus_lib.text.numbers import format_number

SOFT_HYPHEN: Final = "\u00ad"
HYPHENATE_FROM: Final = 10
"""Words at least this long get soft hyphens in narrow table headers."""
_HYPHENATION_DICTIONARIES: Final = {"pl": "pl_PL", "en": "en_US"}
_WORD: Final = re.compile(r"\w+", re.UNICODE)

LONG_TABLE_ROWS: Final = 20
"""Tables longer than this may break across pages (the header repeats); shorter ones never do."""


def is_missing(value: Any) -> bool:
    """None, NaN or pd.NA (but never a string)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def soft_hyphens(text: str, lang: str | None = None) -> str:
    """Escaped ``text`` whose long words may break only between syllables, with a hyphen.

    Browsers have no Polish hyphenation dictionary, so a narrow table header
    either overflows or is cut anywhere ("administracyj/nych"); soft hyphens
    (U+00AD) from the language's dictionary (pyphen, the one WeasyPrint
    uses) let it break as a typesetter would ("administra-/cyjnych"), and are
    invisible where the word fits.

    >>> soft_hyphens("Udział kosztów administracyjnych").split()[-1].split(SOFT_HYPHEN)
    ['ad', 'mi', 'ni', 'stra', 'cyj', 'nych']
    """
    import pyphen

    dictionary = pyphen.Pyphen(lang=_HYPHENATION_DICTIONARIES.get(lang or current_language(),
                                                                  "pl_PL"))
    hyphenated = _WORD.sub(
        lambda m: dictionary.inserted(m.group(0), hyphen=SOFT_HYPHEN)
        if len(m.group(0)) >= HYPHENATE_FROM else m.group(0),
        text,
    )
    return html.escape(hyphenated)


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
            TABLE_MIMETYPE: {
                "title": title,
                "data": values.to_dict(orient="split"),
                "formats": shown_number_formats(body_html, raw),
                "lang": current_language(),
            },
        },
        raw=True,
    )


_SHOWN_NUMBER: Final = re.compile(
    r"^(?P<sign>[−+-]?)(?P<whole>\d{1,3}(?:[\u00a0\u202f ]\d{3})*|\d+)"
    r"(?:[.,](?P<fraction>\d+))?(?:[\u00a0\u202f ]*(?P<unit>[^\d\s].*))?$"
)
"""A number as :func:`wkus_lib.text.numbers.format_number` writes it, with an optional unit."""


def shown_number_formats(body_html: str, raw: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """How each numeric column of ``raw`` is shown in ``body_html``, for the XLSX annex.

    For every column whose header appears in the table and whose cells hold
    numbers, the displayed texts tell the decimals, the unit after the number
    (``zł``, ``%``, ``pkt``), whether thousands are grouped (years are not)
    and the scale (``100`` when a share 0–1 is shown as a percentage). The
    annex rounds and formats its cells by this, so it says what the report
    says. When rows differ in unit or scale (a scorecard: "61,7 %", then
    "1 064 zł"), the column gets one format per row (``{"rows": [...]}``,
    ``None`` for a row without a shown number). A column whose numbers are
    shown otherwise (e.g. as "ukryte") in every row, or as another number
    in any row, is left out.

    >>> frame = pd.DataFrame({"Koszt": [1234.567, 20.0], "Udział": [0.853, 0.1]})
    >>> body = html_table({"Koszt": ["1 234,6 zł", "20,0 zł"], "Udział": ["85,3 %", "10,0 %"]},
    ...                   {"Koszt", "Udział"})
    >>> shown_number_formats(body, frame)["Koszt"]
    {'decimals': 1, 'unit': 'zł', 'grouping': True, 'scale': 1}
    >>> shown_number_formats(body, frame)["Udział"]["scale"]
    100
    """
    headers, rows = table_texts(body_html)
    formats: dict[str, dict[str, Any]] = {}
    if len(rows) != len(raw):
        return formats
    for column in raw.columns:
        name = str(column)
        if name not in headers:
            continue
        position = headers.index(name)
        shown = [row[position] if position < len(row) else "" for row in rows]
        found = _column_format(raw[column].tolist(), shown)
        if found is not None:
            formats[name] = found
    return formats


def _column_format(values: Sequence[Any], shown: Sequence[str]) -> dict[str, Any] | None:
    """One format for the column, or one per row when rows differ in unit or scale."""
    cells = [_cell_format(value, text) for value, text in zip(values, shown, strict=True)]
    found = [cell for cell in cells if cell is not None]
    if not found or any(cell["scale"] == 0 for cell in found):
        return None
    if len({(cell["unit"], cell["scale"]) for cell in found}) > 1:
        return {"rows": cells}  # e.g. a scorecard's values: "61,7 %" then "1 064 zł"
    return {"decimals": max(cell["decimals"] for cell in found), "unit": found[0]["unit"],
            "grouping": any(cell["grouping"] for cell in found), "scale": found[0]["scale"]}


def _cell_format(value: Any, text: str) -> dict[str, Any] | None:
    """How one number is shown; scale 0 when the text shows another number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or is_missing(value):
        return None
    match = _SHOWN_NUMBER.match(text.strip())
    if match is None:
        return None
    fraction = match["fraction"] or ""
    whole = re.sub(r"\D", "", match["whole"])
    number = float(f"{whole}.{fraction or 0}") * (-1 if match["sign"] in ("−", "-") else 1)
    tolerance = 10.0 ** -len(fraction)
    scale = (1 if abs(number - float(value)) <= tolerance
             else 100 if abs(number - 100 * float(value)) <= tolerance else 0)
    return {"decimals": len(fraction), "unit": (match["unit"] or "").strip(),
            "grouping": len(whole) > 3 and not match["whole"].isdigit(), "scale": scale}


class _TableTexts(HTMLParser):
    """The header texts and body cell texts of the first HTML table (tags stripped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headers: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self._in_head = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._done:
            return
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._done:
            return
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).replace("\u00ad", "").split())
            if self._in_head:
                self.headers.append(text)
            elif self.rows:
                self.rows[-1].append(text)
            self._cell = None
        elif tag == "table":
            self._done = True

    def handle_data(self, data: str) -> None:
        if self._cell is not None and not self._done:
            self._cell.append(data)


def table_texts(body_html: str) -> tuple[list[str], list[list[str]]]:
    """Header texts and body rows (cell texts, soft hyphens removed) of the first HTML table."""
    parser = _TableTexts()
    parser.feed(body_html)
    parser.close()
    return parser.headers, [row for row in parser.rows if row]


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
