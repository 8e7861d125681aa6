"""The import report: what was read, what went into the store, what was held back and why.

:class:`ImportReport` is what :func:`wkus_lib.intake.importer.import_files`
returns; ``wkus import`` prints :meth:`ImportReport.to_text` and saves
:func:`render_html` as ``<store>/import-report.html``. All texts are Polish.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import jinja2
import pandas as pd

from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.intake.headers import TABLE_TITLES
from wkus_lib.intake.upsert import Change, shown_value

REPORT_COLUMNS: Final = ("file", "sheet", "row", "column", "value", "problem", "hint")
REPORT_FILE_NAME: Final = "import-report.html"
TEXT_PROBLEM_LIMIT: Final = 40
HTML_ADDITION_LIMIT: Final = 1000  # added rows listed one by one; all of them: ``wkus history``
EXIT_OK: Final = 0
EXIT_QUARANTINED: Final = 1
EXIT_UNREADABLE: Final = 2

_COLUMN_WIDTHS: Final = {  # per cent of the page; the sheet column is dropped when unused
    "file": 14, "sheet": 8, "row": 7, "column": 12, "value": 13, "problem": 22, "hint": 24,
}
_COLUMN_LABELS: Final = {
    "file": "Plik", "sheet": "Arkusz", "row": "Wiersz", "column": "Kolumna",
    "value": "Wartość", "problem": "Problem", "hint": "Co zrobić",
}


def empty_problems() -> pd.DataFrame:
    """A problem table with no rows."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in REPORT_COLUMNS})


def rows_word(count: int) -> str:
    """Polish plural of „wiersz”: 1 wiersz, 2–4 wiersze, 5 wierszy, 22 wiersze, 12 wierszy."""
    if count == 1:
        return "wiersz"
    if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14):
        return "wiersze"
    return "wierszy"


@dataclass(frozen=True)
class ImportReport:
    """Outcome of one import: problems (Polish), rows added and quarantined per table."""

    problems: pd.DataFrame
    added: dict[str, int]
    quarantined: dict[str, int]
    detections: tuple[str, ...]
    unreadable: tuple[str, ...] = ()  # files that could not be read or mapped at all
    notes: tuple[str, ...] = ()
    changed: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()  # every row added, changed or removed
    refused: int = 0  # withdrawals not carried out (key not stored, contract still has rows)
    dry_run: bool = False
    store_version: str = ""  # the store hash after the import (before it, in a dry run)
    open_quarantine: dict[str, int] = field(default_factory=dict)  # rows still to fix
    task_findings: tuple[str, ...] = ()  # task report check of the contracts touched

    @property
    def exit_code(self) -> int:
        """0 everything imported, 1 some rows quarantined or not withdrawn, 2 a file unreadable."""
        if self.unreadable:
            return EXIT_UNREADABLE
        return EXIT_QUARANTINED if any(self.quarantined.values()) or self.refused else EXIT_OK

    def summary_lines(self) -> list[str]:
        """What happened, table by table, in plain Polish."""
        lines: list[str] = []
        for table in TABLE_TITLES:
            if table not in self.added and table not in self.quarantined:
                continue
            added = self.added.get(table, 0)
            counts = [f"dodano {added} {rows_word(added)}",
                      f"zmieniono {self.changed.get(table, 0)}",
                      f"bez zmian {self.unchanged.get(table, 0)}"]
            if self.removed.get(table):
                counts.append(f"usunięto {self.removed[table]}")
            held = self.quarantined.get(table, 0)
            if held:
                counts.append(f"do kwarantanny {held} {rows_word(held)}")
            lines.append(f"{TABLE_TITLES[table]} ({table}): " + ", ".join(counts))
        return lines

    def change_lines(self) -> list[str]:
        """Every correction and withdrawal, old → new (additions: counted here, listed in HTML)."""
        return [describe_change(c) for c in self.changes if c.action != "added"]

    def to_text(self) -> str:
        """The report ``wkus import`` prints."""
        lines = ["Raport importu danych", ""]
        if self.dry_run:
            lines += ["PRÓBA (--dry-run): tak wyglądałby import; niczego nie zapisano.", ""]
        if self.detections:
            lines += ["Wykryto:"] + [f"  {d}" for d in self.detections]
        if self.notes:
            lines += ["Uwagi:"] + [f"  {n}" for n in self.notes]
        lines += ["Wynik:"] + ([f"  {s}" for s in self.summary_lines()] or ["  nic nie dodano"])
        if self.added and not any(self.added.values()) and not any(self.changed.values()) \
                and not any(self.removed.values()) and not self.problems.shape[0]:
            lines.append("  (wszystkie wiersze były już w magazynie)")
        changes = self.change_lines()
        if changes:
            lines += ["", f"Zmiany ({len(changes)}):"] + [f"  {c}" for c in changes]
        if self.store_version:
            lines += ["", f"Wersja magazynu: {self.store_version[:12]}"]
        if self.open_quarantine:
            lines += ["", "Kwarantanna — do poprawienia (katalog quarantine/ obok magazynu): "
                      + ", ".join(f"{TABLE_TITLES[t]} ({t}) {n} {rows_word(n)}"
                                  for t, n in self.open_quarantine.items())]
        if len(self.problems):
            lines += ["", f"Problemy ({len(self.problems)}):"]
            for record in self.problems.head(TEXT_PROBLEM_LIMIT).to_dict("records"):
                lines.append(f"  {describe_problem(record)}")
            hidden = len(self.problems) - TEXT_PROBLEM_LIMIT
            if hidden > 0:
                lines.append(f"  … i {hidden} kolejnych (pełna lista w {REPORT_FILE_NAME})")
        if self.task_findings:
            lines += ["", self.task_findings[0], *(f"  {t}" for t in self.task_findings[1:])]
        if self.unreadable:
            lines += ["", "Nie wczytano plików: " + ", ".join(self.unreadable)]
        return "\n".join(lines)


def describe_change(change: Change) -> str:
    """One Polish line: table, key, and old → new for each changed column (or what was removed)."""
    key = ", ".join(f"{k}={shown_value(v)}" for k, v in change.key.items())
    where = f"{change.file}" + (f", wiersz {change.row}" if change.row is not None else "")
    head = f"{TABLE_TITLES[change.table]} [{key}]"
    if change.action == "removed":
        rest = ", ".join(f"{c}={shown_value(v)}" for c, v in (change.old or {}).items()
                         if c not in change.key)
        return f"{head}: usunięto ({rest}) — {where}"
    if change.action == "added":
        return f"{head}: dodano — {where}"
    diff = "; ".join(f"{c}: {shown_value(old)} → {shown_value(new)}"
                     for c, (old, new) in change.differing().items())
    return f"{head}: {diff} — {where}"


def describe_problem(record: Mapping[Hashable, object]) -> str:
    """One Polish line: where, which value, what is wrong, what to do."""
    where = [str(record["file"])]
    if _present(record["sheet"]):
        where.append(f"arkusz „{record['sheet']}”")
    if _present(record["row"]):
        where.append(f"wiersz {int(str(record['row']))}")
    if _present(record["column"]):
        where.append(f"kolumna „{record['column']}”")
    if _present(record["value"]):
        where.append(f"wartość „{record['value']}”")
    text = f"{', '.join(where)}: {record['problem']}"
    return f"{text}. {record['hint']}" if _present(record["hint"]) else text


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value != ""


_TEMPLATE: Final = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(
    """<!DOCTYPE html>
<html lang="pl"><head><meta charset="utf-8"><title>Raport importu danych</title>
<style>
body{font-family:"DejaVu Sans",Arial,sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;width:100%;font-size:.9em}
table.problems{table-layout:fixed}
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
th{background:#f0f0f0}td.num{text-align:right}
.ok{color:#1a7f37}.warn{color:#9a6700}.bad{color:#cf222e}
.status{font-size:1.1em;font-weight:bold;padding:.6em;border-left:6px solid;background:#fafafa}
ul{padding-left:1.2em}
</style></head><body>
<h1>Raport importu danych</h1>
<p class="status {{ status_class }}">{{ status }}</p>
<h2>Wynik według tabel</h2>
<table><tr><th>Tabela</th><th>Dodano</th><th>Zmieniono</th><th>Bez zmian</th>
<th>Usunięto</th><th>Do kwarantanny</th></tr>
{% for row in tables %}<tr><td>{{ row.title }} <code>{{ row.table }}</code></td>
<td class="num">{{ row.added }}</td><td class="num">{{ row.changed }}</td>
<td class="num">{{ row.unchanged }}</td><td class="num">{{ row.removed }}</td>
<td class="num">{{ row.held }}</td></tr>
{% else %}<tr><td colspan="6">Nie zaimportowano żadnej tabeli.</td></tr>{% endfor %}
</table>
{% if version %}<p>Wersja magazynu: <code>{{ version }}</code> (historia zmian:
<code>wkus history</code>).</p>{% endif %}
{% if quarantine %}<p>Wiersze z błędami zapisano w katalogu <code>quarantine/</code> obok
magazynu (kolumna „powód” mówi, co poprawić); po poprawieniu zaimportuj plik ponownie —
wiersze już wczytane nie zostaną dodane drugi raz, poprawione zastąpią poprzednie.</p>{% endif %}
{% if open_quarantine %}<p class="warn">W kwarantannie czeka jeszcze:
{% for t, n in open_quarantine %}{{ t }} ({{ n }}){% if not loop.last %}, {% endif %}{% endfor %}.
</p>{% endif %}
{% if changes %}<h2>Zmiany w magazynie ({{ changes|length }})</h2>
<ul>{% for c in changes %}<li>{{ c }}</li>{% endfor %}</ul>{% endif %}
{% if additions %}<details><summary>Dodane wiersze ({{ added_count }})</summary>
<ul>{% for c in additions %}<li>{{ c }}</li>{% endfor %}</ul>
{% if added_count > additions|length %}<p>… i {{ added_count - additions|length }} kolejnych
(pełna lista: <code>wkus history --all</code>).</p>{% endif %}</details>{% endif %}
<h2>Co wykryto w plikach</h2><ul>{% for d in detections %}<li>{{ d }}</li>{% endfor %}</ul>
{% if notes %}<h2>Uwagi</h2><ul>{% for n in notes %}<li>{{ n }}</li>{% endfor %}</ul>{% endif %}
{% if task_findings %}<h2>Sprawozdania z wykonania zadań</h2><p>{{ task_findings[0] }}</p>
<pre class="tasks">{% for t in task_findings[1:] %}{{ t }}
{% endfor %}</pre>{% endif %}
<h2>Problemy ({{ problems|length }})</h2>
{% if problems %}<table class="problems"><colgroup>{% for width in widths %}
<col style="width:{{ width }}%">{% endfor %}</colgroup>
<tr>{% for label in labels %}<th>{{ label }}</th>{% endfor %}</tr>
{% for p in problems %}<tr>{% for cell in p %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}
</table>{% else %}<p class="ok">Brak problemów.</p>{% endif %}
</body></html>
"""
)


def render_html(report: ImportReport) -> str:
    """The report as a self-contained Polish HTML page."""
    if report.unreadable:
        status, status_class = ("Nie wczytano części plików: " + ", ".join(report.unreadable),
                                "bad")
    elif any(report.quarantined.values()) or report.refused:
        status = "Część wierszy trafiła do kwarantanny albo nie została wycofana — zobacz problemy."
        status_class = "warn"
    else:
        status, status_class = "Wszystkie wiersze zaimportowano.", "ok"
    tables = [
        {"table": t, "title": TABLE_TITLES[t], "added": report.added.get(t, 0),
         "changed": report.changed.get(t, 0), "unchanged": report.unchanged.get(t, 0),
         "removed": report.removed.get(t, 0), "held": report.quarantined.get(t, 0)}
        for t in TABLE_TITLES if t in report.added or t in report.quarantined
    ]
    columns = [c for c in REPORT_COLUMNS
               if c != "sheet" or report.problems["sheet"].map(_present).any()]
    additions = [c for c in report.changes if c.action == "added"]
    problems = [
        ["" if not _present(v) else (str(int(str(v))) if k == "row" else str(v))
         for k, v in record.items()]
        for record in report.problems[columns].to_dict("records")
    ]
    return _TEMPLATE.render(
        status=status, status_class=status_class, tables=tables,
        quarantine=any(report.quarantined.values()), detections=report.detections,
        notes=report.notes, problems=problems, version=report.store_version[:12],
        changes=report.change_lines(),
        additions=[describe_change(c) for c in additions[:HTML_ADDITION_LIMIT]],
        added_count=len(additions),
        open_quarantine=[(TABLE_TITLES[t], n) for t, n in report.open_quarantine.items()], labels=[_COLUMN_LABELS[c] for c in columns],
        widths=[_COLUMN_WIDTHS[c] for c in columns], task_findings=report.task_findings,
    )


def write_html(report: ImportReport, store_dir: Path) -> Path:
    """Save the report next to the store (``<store>/import-report.html``), atomically."""
    path = store_dir / REPORT_FILE_NAME
    atomic_write_bytes(path, render_html(report).encode("utf-8"))
    return path
