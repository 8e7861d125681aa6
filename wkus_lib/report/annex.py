"""The XLSX annex of a report: the tables it showed, as an accountant can use them.

* One sheet per report section (the ``h2`` heading the tables stood under),
  the tables of a section stacked on its sheet, each with its title and a
  bold header row; a contents sheet first, with a link to every table.
* Numbers are rounded as the report shows them and carry a number format
  with the same decimals and unit (``#,##0.0" zł"``; Excel and LibreOffice
  show them with the reader's own separators). The report's display texts
  tell the format (:func:`wkus_lib.report.display.shown_number_formats`);
  a table without that information gets the report's default (whole numbers
  as they are, other numbers with one decimal).
* The full value is kept where rounding changed it: the last sheet,
  "Wartości dokładne", lists every such cell (sheet, cell, table, row,
  column, the number shown and the full value). A hidden column per number
  column would hide the same column of every other table on the sheet.
* Yes/no values read "tak"/"nie" ("yes"/"no" in English reports).
* Print: A4, fit to one page wide, landscape when a sheet is wider than a
  portrait page, the header rows repeated on every page when the sheet holds
  one table.
* Sheet names are readable: cut at a word boundary to 31 characters, unique
  (Excel compares them case-insensitively), without ``[]:*?/\\``.
* Text is always text: formula-like text goes through
  :func:`wkus_lib.files.spreadsheet_safe.write_text_cell`.

Deterministic bytes (:mod:`wkus_lib.files.stable`): identical tables give
identical files. openpyxl is imported inside the functions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from wkus_lib.files.stable import workbook_bytes
from wkus_lib.text.i18n import LANGUAGES, N_, _, language

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

CellValue: TypeAlias = str | int | float | bool | None

SHEET_NAME_MAX: Final = 31
COLUMN_WIDTH_MIN: Final = 8
COLUMN_WIDTH_MAX: Final = 60
PORTRAIT_WIDTH_MAX: Final = 110
"""Sum of column widths (characters) that still prints legibly on a portrait A4 page."""
LINE_HEIGHT: Final = 15.0
"""Height of one line of text in a row (points, the default font)."""
DEFAULT_DECIMALS: Final = 1
"""Decimals of a non-integer number whose table did not say how it was shown."""
_SHEET_NAME_FORBIDDEN: Final = str.maketrans({c: " " for c in "[]:*?/\\"})
_HEADER_FILL: Final = "E8E8E8"

LABELS: Final[Mapping[str, str]] = {
    "contents": N_("Spis tabel"), "exact": N_("Wartości dokładne"), "sheet": N_("Arkusz"),
    "section": N_("Rozdział"), "table": N_("Tabela"), "cell": N_("Komórka"), "row": N_("Wiersz"),
    "column": N_("Kolumna"), "shown": N_("W raporcie"), "full": N_("Wartość dokładna"),
    "true": N_("tak"), "false": N_("nie"), "no_tables": N_("Raport nie zawiera tabel."),
    "rounding": N_("Liczby są zaokrąglone tak jak w raporcie. Pełne wartości liczb, które "
                   "zaokrąglenie zmieniło, są w arkuszu „Wartości dokładne”."),
    "table_n": N_("Tabela {n}"),
}
"""The annex's own words in Polish (the source texts), translated into the tables' language."""


@dataclass(frozen=True)
class NumberFormat:
    """How a number column is shown: decimals, unit after the number, grouping, scale.

    ``scale`` 100 means a share 0–1 shown as a percentage (Excel's ``%``
    format multiplies by 100 itself).
    """

    decimals: int = DEFAULT_DECIMALS
    unit: str = ""
    grouping: bool = True
    scale: int = 1

    def excel(self) -> str:
        """The Excel number format, e.g. ``#,##0.0" zł"_-`` or ``0.0%_-``."""
        digits = ("#,##0" if self.grouping else "0") + (
            "." + "0" * self.decimals if self.decimals else "")
        # "_-": a dash's width of space after the number, so it never touches the next text.
        if self.scale == 100:
            return digits + "%_-"
        unit = self.unit.replace('"', "")
        return (f'{digits}" {unit}"' if unit else digits) + "_-"

    def rounded(self, value: float) -> float:
        """The number as the report shows it (in the cell's own scale)."""
        places = self.decimals + (2 if self.scale == 100 else 0)
        result = round(value, places)
        return float(result) if isinstance(value, float) else result


@dataclass(frozen=True)
class Table:
    """One table a report showed: title, headers, rows, and where and how it was shown."""

    title: str
    columns: list[str]
    rows: list[list[CellValue]]
    section: str = ""
    formats: Mapping[str, NumberFormat] = field(default_factory=dict)
    lang: str = "pl"
    row_formats: Mapping[str, Sequence[NumberFormat | None]] = field(default_factory=dict)
    """Columns whose rows are shown each in its own way (a scorecard's values)."""


def number_format(table: Table, column: int) -> NumberFormat | None:
    """The format of one column: as the report showed it, else the report's default.

    Text columns (no number in any row) have none. Whole-number columns
    without information stay whole; a column named ``Rok``/``Year`` is not
    grouped (2025, not 2 025).
    """
    header = table.columns[column]
    if header in table.formats:
        return table.formats[header]
    numbers = [row[column] for row in table.rows if column < len(row) and _is_number(row[column])]
    if not numbers:
        return None
    whole = all(float(v).is_integer() for v in numbers if v is not None)
    year = header in ("Rok", "Year")
    return NumberFormat(decimals=0 if whole else DEFAULT_DECIMALS, grouping=not year)


def _cell_format(table: Table, column: int, row: int,
                 formats: Sequence[NumberFormat | None]) -> NumberFormat | None:
    """The format of one cell: its row's own when the column has them, else its column's."""
    header = table.columns[column] if column < len(table.columns) else ""
    per_row = table.row_formats.get(header)
    if per_row is not None and row < len(per_row) and per_row[row] is not None:
        return per_row[row]
    return formats[column] if column < len(formats) else None


def sheet_names(titles: Sequence[str], *, reserved: Sequence[str] = ()) -> list[str]:
    """Valid, unique, readable sheet names (≤ 31 characters, Polish letters kept).

    A long title is cut at the last word boundary that fits (a single word
    longer than the limit is cut within it). Excel compares sheet names
    case-insensitively and forbids ``[]:*?/\\`` and a leading or trailing
    apostrophe; an empty title becomes ``Tabela N``.

    >>> sheet_names(["Koszt jednostkowy i wykonanie budżetu w kolejnych latach"])
    ['Koszt jednostkowy i wykonanie']
    """
    taken = {name.casefold() for name in reserved}
    names: list[str] = []
    for number, title in enumerate(titles, start=1):
        cleaned = " ".join(title.translate(_SHEET_NAME_FORBIDDEN).split()).strip("'").strip()
        base = _cut_at_word(cleaned, SHEET_NAME_MAX) or f"Tabela {number}"
        name, copy = base, 1
        while name.casefold() in taken:
            copy += 1
            suffix = f" ({copy})"
            name = _cut_at_word(base, SHEET_NAME_MAX - len(suffix)) + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _cut_at_word(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters at a word boundary, without trailing punctuation."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > 0 else text[:limit]
    return cut.rstrip(" ,;.–—-(")


def render_xlsx(tables: Sequence[Table], *, title: str, notes: Sequence[str] = ()) -> bytes:
    """The XLSX annex: contents, one sheet per section, exact values; deterministic bytes."""
    from openpyxl import Workbook

    lang = tables[0].lang if tables and tables[0].lang in LANGUAGES else "pl"
    with language(lang):
        labels = {key: _(text) for key, text in LABELS.items()}
    workbook = Workbook()
    contents = workbook.active
    assert contents is not None
    contents.title = labels["contents"]
    sections = _sections(tables)
    names = sheet_names([s for s, _ in sections], reserved=(labels["contents"], labels["exact"]))
    entries: list[tuple[str, str, str, int]] = []
    exact: list[list[CellValue]] = []
    for name, (section, section_tables) in zip(names, sections, strict=True):
        sheet = workbook.create_sheet(name)
        starts = _fill_section(sheet, section_tables, exact, labels)
        entries += [(name, section, t.title, row) for t, row in zip(section_tables, starts,
                                                                     strict=True)]
    _fill_contents(contents, title, [*notes, *([labels["rounding"]] if exact else [])],
                   entries, labels)
    if exact:
        _fill_exact(workbook.create_sheet(labels["exact"]), exact, labels)
    workbook.properties.title = title
    return workbook_bytes(workbook)


def _sections(tables: Sequence[Table]) -> list[tuple[str, list[Table]]]:
    """Tables grouped by section in the order shown; a table without a section is its own."""
    grouped: list[tuple[str, list[Table]]] = []
    for table in tables:
        if table.section and grouped and grouped[-1][0] == table.section:
            grouped[-1][1].append(table)
        else:
            grouped.append((table.section or table.title, [table]))
    return grouped


def _fill_section(
    sheet: Worksheet, tables: Sequence[Table], exact: list[list[CellValue]],
    labels: Mapping[str, str],
) -> list[int]:
    """Write the tables of one section one under another; returns each table's first row."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    rule = Border(bottom=Side(style="thin"))
    widths: dict[int, float] = {}
    starts: list[int] = []
    row = 1
    for table in tables:
        starts.append(row)
        _write(sheet.cell(row=row, column=1), table.title, labels)
        sheet.cell(row=row, column=1).font = Font(bold=True, size=12)
        header_row = row + 1
        formats = [number_format(table, c) for c in range(len(table.columns))]
        for column, header in enumerate(table.columns, start=1):
            cell = sheet.cell(row=header_row, column=column)
            _write(cell, header, labels)
            cell.font, cell.fill, cell.border = bold, fill, rule
            # A number column's header stands over its numbers, on the right.
            cell.alignment = Alignment(wrap_text=True, vertical="bottom",
                                       horizontal="right" if formats[column - 1] else "left")
        for offset, values in enumerate(table.rows, start=1):
            for column, value in enumerate(values, start=1):
                cell = sheet.cell(row=header_row + offset, column=column)
                shape = _cell_format(table, column - 1, offset - 1, formats)
                shown = _write(cell, value, labels, shape)
                if shown is not None and shown != value:
                    exact.append([sheet.title, cell.coordinate, table.title,
                                  _row_label(values), table.columns[column - 1], shown, value])
                cell.alignment = Alignment(wrap_text=isinstance(value, str), vertical="top")
        for column, header in enumerate(table.columns, start=1):
            longest = max([_width(header), *(_width(_text(r[column - 1], labels))
                                            for r in table.rows if column <= len(r))])
            widths[column] = max(widths.get(column, 0), longest)
        row = header_row + len(table.rows) + 2
    _set_widths(sheet, widths)
    _fit_row_heights(sheet)
    single = len(tables) == 1
    if single:
        sheet.freeze_panes = "A3"
        if tables[0].columns and tables[0].rows:
            last = sheet.cell(row=2 + len(tables[0].rows), column=len(tables[0].columns))
            sheet.auto_filter.ref = f"A2:{last.coordinate}"
    _print_setup(sheet, repeat_rows="1:2" if single else None)
    return starts


def _fill_contents(
    sheet: Worksheet, title: str, notes: Sequence[str],
    entries: Sequence[tuple[str, str, str, int]], labels: Mapping[str, str],
) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    _write(sheet.cell(row=1, column=1), title, labels)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    row = 2
    for note in notes:
        _write(sheet.cell(row=row, column=1), note, labels)
        sheet.cell(row=row, column=1).font = Font(bold=True, color="9C0018")
        row += 1
    row += 1
    headers = (labels["sheet"], labels["section"], labels["table"])
    for column, header in enumerate(headers, start=1):
        _write(sheet.cell(row=row, column=column), header, labels)
        sheet.cell(row=row, column=column).font = Font(bold=True)
    if not entries:
        _write(sheet.cell(row=row + 1, column=1), labels["no_tables"], labels)
    for offset, (name, section, table_title, first_row) in enumerate(entries, start=1):
        link = sheet.cell(row=row + offset, column=1)
        _write(link, name, labels)
        quoted = name.replace("'", "''")
        link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{quoted}'!A{first_row}")
        link.font = Font(color="0563C1", underline="single")
        _write(sheet.cell(row=row + offset, column=2), section, labels)
        _write(sheet.cell(row=row + offset, column=3), table_title, labels)
    widths = {1: max([_width(h) for h in (labels["sheet"],)] + [_width(e[0]) for e in entries]),
              2: max([_width(labels["section"])] + [_width(e[1]) for e in entries]),
              3: max([_width(labels["table"])] + [_width(e[2]) for e in entries])}
    _set_widths(sheet, widths)
    _print_setup(sheet, repeat_rows=None)


def _fill_exact(sheet: Worksheet, rows: Sequence[Sequence[CellValue]],
                labels: Mapping[str, str]) -> None:
    from openpyxl.styles import Font

    headers = [labels[k] for k in ("sheet", "cell", "table", "row", "column", "shown", "full")]
    for column, header in enumerate(headers, start=1):
        _write(sheet.cell(row=1, column=column), header, labels)
        sheet.cell(row=1, column=column).font = Font(bold=True)
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values[:-1], start=1):
            _write(sheet.cell(row=number, column=column), value, labels)
        sheet.cell(row=number, column=len(values)).value = values[-1]  # the full number
    widths = {c: max([_width(h)] + [_width(_text(r[c - 1], labels)) for r in rows])
              for c, h in enumerate(headers, start=1)}
    _set_widths(sheet, widths)
    sheet.freeze_panes = "A2"
    _print_setup(sheet, repeat_rows="1:1")


def _print_setup(sheet: Worksheet, *, repeat_rows: str | None) -> None:
    """A4, one page wide (as many pages long as needed), orientation by width."""
    width = sum((d.width or 0) for d in sheet.column_dimensions.values())
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if width > PORTRAIT_WIDTH_MAX else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.page_setup.fitToPage = True
    sheet.print_options.gridLines = False
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    footer = sheet.oddFooter
    assert footer is not None  # openpyxl gives every new sheet an empty footer
    footer.center.text = "&A — &P / &N"
    if repeat_rows:
        sheet.print_title_rows = repeat_rows


def _write(
    cell: Cell | MergedCell, value: CellValue, labels: Mapping[str, str],
    shape: NumberFormat | None = None,
) -> CellValue:
    """Set a cell; returns the number written when it is one (rounded as shown), else None.

    Text is always text (formula-like text quote-prefixed), yes/no values are
    words, numbers are rounded and formatted by ``shape``.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from wkus_lib.files.spreadsheet_safe import value_cell, write_text_cell

    cell = value_cell(cell)
    if isinstance(value, bool):
        write_text_cell(cell, labels["true"] if value else labels["false"])
        return None
    if isinstance(value, str):
        write_text_cell(cell, ILLEGAL_CHARACTERS_RE.sub("", value))
        return None
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    shape = shape or NumberFormat(decimals=0 if float(value).is_integer() else DEFAULT_DECIMALS)
    shown = shape.rounded(value)
    cell.value = shown
    cell.number_format = shape.excel()
    return shown


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _row_label(values: Sequence[CellValue]) -> str:
    """The first text of a row (what names it: the indicator, the year), for the exact sheet."""
    for value in values:
        if isinstance(value, str) and value:
            return value
    return "" if not values or values[0] is None else str(values[0])


def _text(value: CellValue, labels: Mapping[str, str]) -> str:
    if isinstance(value, bool):
        return labels["true"] if value else labels["false"]
    return "" if value is None else str(value)


def _width(text: str) -> float:
    return float(len(text))


def _fit_row_heights(sheet: Worksheet) -> None:
    """Give rows with wrapped text the height of their longest cell.

    Excel and LibreOffice keep a row one line high unless told otherwise, so
    a long definition would print over the rows below it.
    """
    from openpyxl.utils import get_column_letter

    for number, row in enumerate(sheet.iter_rows(), start=sheet.min_row):
        lines = 1
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            width = sheet.column_dimensions[get_column_letter(cell.column)].width or 8.43
            per_line = max(width - 1.0, 1.0)
            lines = max(lines, sum(math.ceil(max(len(part), 1) / per_line)
                                   for part in cell.value.split("\n")))
        if lines > 1:
            sheet.row_dimensions[number].height = LINE_HEIGHT * lines


def _set_widths(sheet: Worksheet, widths: Mapping[int, float]) -> None:
    from openpyxl.utils import get_column_letter

    for number, longest in widths.items():
        width = min(max(longest + 2, COLUMN_WIDTH_MIN), COLUMN_WIDTH_MAX)
        sheet.column_dimensions[get_column_letter(number)].width = width


def table_from_payload(payload: Mapping[str, Any], section: str, rows: list[list[CellValue]],
                       columns: list[str]) -> Table:
    """A :class:`Table` from a notebook's table payload (already checked by the caller)."""
    formats: dict[str, NumberFormat] = {}
    row_formats: dict[str, list[NumberFormat | None]] = {}
    for name, shape in dict(payload.get("formats") or {}).items():
        if isinstance(shape, Mapping) and isinstance(shape.get("rows"), list):
            row_formats[str(name)] = [_number_format(s) for s in shape["rows"]]
            continue
        found = _number_format(shape)
        if found is not None:
            formats[str(name)] = found
    return Table(title=str(payload.get("title") or ""), columns=columns, rows=rows,
                 section=section, formats=formats, lang=str(payload.get("lang") or "pl"),
                 row_formats=row_formats)


def _number_format(shape: Any) -> NumberFormat | None:
    """A :class:`NumberFormat` from its payload form, or None when it is not one."""
    try:
        return NumberFormat(decimals=int(shape["decimals"]), unit=str(shape.get("unit") or ""),
                            grouping=bool(shape.get("grouping", True)),
                            scale=int(shape.get("scale", 1)))
    except (AttributeError, KeyError, TypeError, ValueError):
        return None
