"""The OZPS section on social-assistance tasks contracted to NGOs (art. 16a UPS).

The ocena zasobów pomocy społecznej (due 30 April) shows the two years before
the assessment year Y, Y itself and a forecast for Y+1. This module builds
its table of tasks in the ``pomoc_spoleczna`` area contracted to NGOs: task,
provider, form (powierzenie / wspieranie), mode, the grant amount (finance
rows with source ``dotacja``: the amount spent, else the amount planned for a
year without a report) per year, the forecast for Y+1 and the clients served
per year. Renderers write DOCX and XLSX, byte-stable.

Forecast rule (said in the footnote): a contract running in Y+1 → its
planned grant for Y+1 when the store holds it; otherwise its last known
grant, in constant prices of Y (GUS services price index), marked
"prognoza"; a contract that ends by Y has no forecast.

A cell for a year the contract runs but the store lacks reads
:data:`PLACEHOLDER` and the gap is named once in :attr:`OzpsSection.gaps`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pandas as pd

from wkus_lib.catalog.prices import PRICES_FILE, PriceIndex, base_year_for, deflate_known
from wkus_lib.domain import ANNUAL_GRANT, MULTI_YEAR, Gmina
from wkus_lib.evaluation.data_gaps import GAP_PREFIX
from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.intake.headers import TABLE_TITLES
from wkus_lib.store import Store

AREA: Final = "pomoc_spoleczna"
PLACEHOLDER: Final = "[do uzupełnienia]"
NOT_RUNNING: Final = "—"
GRANT_SOURCE: Final = "dotacja"
FORM_LABELS: Final[dict[str, str]] = {"powierzanie": "powierzenie", "wspieranie": "wspieranie"}
MODE_LABELS: Final[dict[str, str]] = {
    MULTI_YEAR: "kontrakt wieloletni", ANNUAL_GRANT: "dotacja roczna",
}
LEGAL_BASIS: Final = "art. 16a ustawy z dnia 12 marca 2004 r. o pomocy społecznej"


@dataclass(frozen=True)
class Forecast:
    """The Y+1 amount and how it was obtained: ``planned``, ``constant_prices`` or ``none``."""

    amount: float | None
    rule: str


@dataclass(frozen=True)
class OzpsTask:
    """One contract's row: amounts and clients by year (None = missing, absent key = not running)."""

    contract_id: str
    title: str
    provider: str
    form: str
    mode: str
    start_year: int
    end_year: int
    amounts: dict[int, float | None]
    clients: dict[int, int | None]
    forecast: Forecast


@dataclass(frozen=True)
class OzpsSection:
    """The section for one gmina and assessment year."""

    gmina: Gmina
    year: int
    tasks: tuple[OzpsTask, ...]
    price_base: int
    gaps: tuple[str, ...] = field(default=())
    synthetic: bool = False

    @property
    def years(self) -> tuple[int, int, int]:
        """The two previous years and the assessment year."""
        return (self.year - 2, self.year - 1, self.year)

    @property
    def title(self) -> str:
        return (f"Ocena zasobów pomocy społecznej za {self.year} r. — zadania zlecone "
                f"organizacjom pozarządowym: gmina {self.gmina.name} ({self.gmina.teryt})")


def _grant_by_year(finance: pd.DataFrame, contract_id: str) -> dict[int, float | None]:
    """Grant per year of one contract: spent (sum of ``actual``), else planned when no
    amount spent is reported; None when a year has grant rows with neither."""
    rows = finance[(finance["contract_id"] == contract_id) & (finance["source"] == GRANT_SOURCE)]
    amounts: dict[int, float | None] = {}
    for year, group in rows.groupby("year"):
        actual = group["actual"].dropna()
        total = actual.sum() if not actual.empty else group["planned"].sum()
        amounts[int(year)] = round(float(total), 2)
    return amounts


def _planned_by_year(finance: pd.DataFrame, contract_id: str) -> dict[int, float]:
    """Grant planned per year of one contract (offer's cost calculation)."""
    rows = finance[(finance["contract_id"] == contract_id) & (finance["source"] == GRANT_SOURCE)]
    return {int(y): round(float(v), 2) for y, v in rows.groupby("year")["planned"].sum().items()}


def _forecast(row: pd.Series, year: int, grants: dict[int, float | None],
              planned: dict[int, float], index: PriceIndex, base: int) -> Forecast:
    next_year = year + 1
    if int(row["end_year"]) < next_year:
        return Forecast(None, "none")
    if next_year in planned:
        return Forecast(planned[next_year], "planned")
    known = [(y, amount) for y, amount in sorted(grants.items())
             if y <= year and amount is not None]
    if not known:
        return Forecast(None, "missing")
    last, amount = known[-1]
    real = deflate_known([amount], [last], base, index)[0]
    return Forecast(None if math.isnan(real) else round(float(real), 2), "constant_prices")


def build_ozps(store: Store, gmina: Gmina, year: int, index: PriceIndex) -> OzpsSection:
    """The OZPS table of ``gmina``'s social-assistance contracts overlapping Y−2 … Y+1."""
    view = store.for_gmina(gmina.teryt)
    contracts = view.contracts[(view.contracts["area"] == AREA)
                               & (view.contracts["start_year"] <= year + 1)
                               & (view.contracts["end_year"] >= year - 2)]
    contracts = contracts.sort_values(["start_year", "contract_id"])
    base, _ = base_year_for(year, index)
    where = f"{gmina.name}, {gmina.teryt}"
    tasks: list[OzpsTask] = []
    gaps: list[str] = []
    if contracts.empty:
        gaps.append(f"{GAP_PREFIX}: umowy w obszarze pomocy społecznej w latach {year - 2}–"
                    f"{year + 1} ({where}) — dodaj je (formularz „{TABLE_TITLES['contracts']}” z „wkus templates”) "
                    "i zaimportuj ponownie")
    for _, row in contracts.iterrows():
        cid = str(row["contract_id"])
        grants = _grant_by_year(view.finance, cid)
        served = view.beneficiaries[view.beneficiaries["contract_id"] == cid]
        served_by_year = {int(y): int(v) for y, v in
                          served.groupby("year")["clients_served"].sum().items()}
        running = [y for y in range(year - 2, year + 1)
                   if int(row["start_year"]) <= y <= int(row["end_year"])]
        amounts = {y: grants.get(y) for y in running}
        clients = {y: served_by_year.get(y) for y in running}
        missing_money = [y for y in running if amounts[y] is None]
        missing_clients = [y for y in running if clients[y] is None]
        if missing_money:
            gaps.append(f"{GAP_PREFIX}: kwota dotacji umowy {cid} za {_years(missing_money)} "
                        f"({where}) — dodaj koszty zadania (formularz „{TABLE_TITLES['finance']}” z "
                        "„wkus templates”) i zaimportuj ponownie")
        if missing_clients:
            gaps.append(f"{GAP_PREFIX}: liczba odbiorców umowy {cid} za {_years(missing_clients)}"
                        f" ({where}) — dodaj odbiorców (formularz „{TABLE_TITLES['beneficiaries']}” "
                        "z „wkus templates”) i zaimportuj ponownie")
        forecast = _forecast(row, year, grants, _planned_by_year(view.finance, cid), index,
                             base)
        if forecast.rule == "constant_prices" and forecast.amount is None:
            gaps.append(f"{GAP_PREFIX}: prognoza umowy {cid} na {year + 1} r. — wskaźnik cen "
                        f"usług nie obejmuje roku ostatniej kwoty ({where}); dopisz go w pliku "
                        f"{PRICES_FILE} kopii katalogu (wkus catalog KATALOG)")
        if forecast.rule == "missing":
            gaps.append(f"{GAP_PREFIX}: prognoza umowy {cid} na {year + 1} r. — brak kwoty "
                        f"dotacji z lat do {year} r. ({where}); dodaj koszty zadania i zaimportuj "
                        "ponownie")
        tasks.append(OzpsTask(
            contract_id=cid, title=str(row["title"]), provider=str(row["ngo_name"]),
            form=FORM_LABELS.get(str(row["form"]), str(row["form"])),
            mode=MODE_LABELS.get(str(row["mode"]), str(row["mode"])),
            start_year=int(row["start_year"]), end_year=int(row["end_year"]),
            amounts=amounts, clients=clients, forecast=forecast,
        ))
    return OzpsSection(gmina=gmina, year=year, tasks=tuple(tasks), price_base=base,
                       gaps=tuple(gaps), synthetic=store.synthetic)


def _years(years: list[int]) -> str:
    return (f"{years[0]} r." if len(years) == 1
            else "lata " + ", ".join(str(y) for y in years))


def format_amount(value: float) -> str:
    """Polish money: ``12 345,60 zł`` (non-breaking thin spaces avoided for Word)."""
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    return f"{text} zł"


def _amount_cell(task: OzpsTask, year: int) -> str:
    if year not in task.amounts:
        return NOT_RUNNING
    value = task.amounts[year]
    return PLACEHOLDER if value is None else format_amount(value)


def _clients_cell(task: OzpsTask, year: int) -> str:
    if year not in task.clients:
        return NOT_RUNNING
    value = task.clients[year]
    return PLACEHOLDER if value is None else f"{value:,}".replace(",", " ")


def _forecast_cell(task: OzpsTask) -> str:
    if task.forecast.rule == "none":
        return NOT_RUNNING
    if task.forecast.amount is None:
        return PLACEHOLDER
    label = " (prognoza)" if task.forecast.rule == "constant_prices" else " (plan)"
    return format_amount(task.forecast.amount) + label


def header(section: OzpsSection) -> list[str]:
    """Column names of the OZPS table."""
    y = section.years
    return ["zadanie", "realizator", "forma", "tryb",
            *(f"kwota {year} r." for year in y), f"prognoza {section.year + 1} r.",
            *(f"liczba odbiorców {year} r." for year in y)]


def table_rows(section: OzpsSection) -> list[list[str]]:
    """The table as shown text, one row per task, then the totals row."""
    rows = [[task.title, task.provider, task.form, task.mode,
             *(_amount_cell(task, y) for y in section.years), _forecast_cell(task),
             *(_clients_cell(task, y) for y in section.years)] for task in section.tasks]
    if section.tasks:
        rows.append(["razem", "", "", "",
                     *(_total_amount(section, y) for y in section.years),
                     _total_forecast(section),
                     *(_total_clients(section, y) for y in section.years)])
    return rows


def _total_amount(section: OzpsSection, year: int) -> str:
    values = [t.amounts[year] for t in section.tasks if year in t.amounts]
    if any(v is None for v in values):
        return PLACEHOLDER
    return format_amount(sum(v for v in values if v is not None)) if values else NOT_RUNNING


def _total_forecast(section: OzpsSection) -> str:
    values = [t.forecast.amount for t in section.tasks if t.forecast.rule != "none"]
    if any(v is None for v in values):
        return PLACEHOLDER
    return format_amount(sum(v for v in values if v is not None)) if values else NOT_RUNNING


def _total_clients(section: OzpsSection, year: int) -> str:
    values = [t.clients[year] for t in section.tasks if year in t.clients]
    if any(v is None for v in values):
        return PLACEHOLDER
    return f"{sum(v for v in values if v is not None):,}".replace(",", " ") if values else NOT_RUNNING


def footnotes(section: OzpsSection) -> list[str]:
    """The rules behind the numbers, printed under the table."""
    y = section.year
    return [
        ("Kwota: dotacja gminy na zadanie (koszty ze źródła „dotacja” w sprawozdaniu "
        "organizacji; gdy za rok nie ma kosztów poniesionych — kwota planowana), w cenach "
        "bieżących. „—”: umowa nie obejmuje tego roku."),
        (f"Prognoza {y + 1} r.: dla umowy trwającej w {y + 1} r. — kwota planowana na ten rok, "
        f"gdy jest w danych („plan”); w przeciwnym razie ostatnia znana kwota dotacji w cenach "
        f"stałych {section.price_base} r. (wskaźnik cen usług konsumpcyjnych GUS), oznaczona "
        f"„prognoza”. Umowa kończąca się najpóźniej w {y} r. nie ma prognozy."),
        ("Liczba odbiorców: osoby objęte usługą według sprawozdania organizacji; w wierszu "
        "„razem” osoba korzystająca z kilku zadań jest liczona w każdym z nich."),
        (f"Podstawa: {LEGAL_BASIS}; ocenę przedstawia się radzie gminy do 30 kwietnia, a jej "
        "dane wprowadza do aplikacji CAS ręcznie."),
    ]


_COLUMN_WIDTHS_CM: Final = (3.2, 2.5, 2.2, 2.0, 2.7, 2.7, 2.7, 2.7, 2.1, 2.1, 2.1)
"""Task, provider, form, mode, three amounts, forecast, three counts: 27 cm of landscape A4."""


def _unbroken(text: str) -> str:
    """A number and its unit never split over lines: its spaces become non-breaking."""
    return re.sub(r"(?<=\d) (?=\d)| (?=zł)", "\u00a0", text)


def render_docx(section: OzpsSection) -> bytes:
    """The section as a Word document (A4 landscape); identical sections give identical bytes."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    from wkus_lib.files.stable import document_bytes

    document = docx.Document()
    page = document.sections[0]
    page.orientation = WD_ORIENT.LANDSCAPE
    page.page_width, page.page_height = Cm(29.7), Cm(21.0)
    page.left_margin = page.right_margin = Cm(1.3)
    page.top_margin = page.bottom_margin = Cm(1.5)
    document.core_properties.language = "pl-PL"
    if section.synthetic:
        page.header.paragraphs[0].text = "DANE SYNTETYCZNE — dokument demonstracyjny"
    document.add_heading(section.title, level=1)
    document.add_paragraph(
        f"Współpraca z organizacjami pozarządowymi: zadania z zakresu pomocy społecznej "
        f"zlecone organizacjom w latach {section.year - 2}–{section.year} i prognoza na "
        f"{section.year + 1} r.")
    columns = header(section)
    rows = table_rows(section)
    if rows:
        table = document.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, columns, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for values in rows:
            for cell, text in zip(table.add_row().cells, values, strict=True):
                cell.text = _unbroken(text)
        table.autofit = False
        for column, width in zip(table.columns, _COLUMN_WIDTHS_CM, strict=True):
            column.width = Cm(width)
        for row in table.rows:
            for cell, width in zip(row.cells, _COLUMN_WIDTHS_CM, strict=True):
                cell.width = Cm(width)
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(8)
    else:
        document.add_paragraph(PLACEHOLDER)
    for note in footnotes(section):
        document.add_paragraph(note).runs[0].font.size = Pt(8)
    if section.gaps:
        document.add_heading("Do uzupełnienia", level=2)
        for gap in section.gaps:
            document.add_paragraph(gap, style="List Bullet")
    return document_bytes(document, title=section.title)


def render_xlsx(section: OzpsSection) -> bytes:
    """The table with raw numbers (empty cell = missing, "—" = not running) and the notes."""
    from openpyxl import Workbook

    from wkus_lib.files.spreadsheet_safe import protect_workbook, write_text_cell
    from wkus_lib.files.stable import workbook_bytes

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "OZPS zadania zlecone"
    for column, text in enumerate(header(section), start=1):
        write_text_cell(sheet.cell(row=1, column=column), text)
    for row_number, task in enumerate(section.tasks, start=2):
        values: list[str | float | None] = [task.title, task.provider, task.form, task.mode]
        values += [_raw(task.amounts, y) for y in section.years]
        values += [NOT_RUNNING if task.forecast.rule == "none" else task.forecast.amount]
        values += [_raw(task.clients, y) for y in section.years]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, str):
                write_text_cell(cell, value)
            else:
                cell.value = value
    notes = workbook.create_sheet("Uwagi")
    for row_number, text in enumerate([*footnotes(section), *section.gaps], start=1):
        write_text_cell(notes.cell(row=row_number, column=1), text)
    return workbook_bytes(protect_workbook(workbook))


def _raw(values: dict[int, float | None] | dict[int, int | None], year: int) -> float | str | None:
    return values.get(year, NOT_RUNNING)


def write_ozps(section: OzpsSection, out_dir: Path) -> tuple[Path, Path]:
    """Write ``<out>/<teryt>-<slug>/ozps_<year>.{docx,xlsx}`` atomically."""
    folder = out_dir / section.gmina.slug
    docx_path = folder / f"ozps_{section.year}.docx"
    xlsx_path = folder / f"ozps_{section.year}.xlsx"
    atomic_write_bytes(docx_path, render_docx(section))
    atomic_write_bytes(xlsx_path, render_xlsx(section))
    return docx_path, xlsx_path
