"""``index.html``: every report of an output folder, grouped gmina → stage → area.

Built from the reports manifest, so it lists reports of earlier runs too;
reports of the current run show what happened to them now (ok, błąd,
pominięty – aktualny). Links are relative, so the folder can be copied or
zipped and opened anywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import jinja2

from wkus_lib.domain import AREA_IDS, REPORT_KINDS, ascii_slug
from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.statutory.calendar import Deadline, manifest_calendars

INDEX_NAME: Final = "index.html"
TITLE: Final = "Raporty ewaluacji WKUS"
STATUS_LABELS: Final[dict[str, str]] = {
    "ok": "ok",
    "failed": "błąd",
    "skipped": "pominięty – aktualny",
}
FORMAT_LABELS: Final[dict[str, str]] = {
    "html": "HTML",
    "pdf": "PDF",
    "xlsx": "XLSX (tabele)",
    "ipynb": "notatnik",
    "failed_ipynb": "notatnik z błędem",
}
_KIND_ORDER: Final = REPORT_KINDS


@dataclass(frozen=True)
class IndexRow:
    """One report line of the index."""

    area: str
    status: str
    status_label: str
    links: list[tuple[str, str]]
    duration: str
    error: str | None


def render_index(
    manifest: Mapping[str, Any], statuses: Mapping[str, str] | None = None,
    calendars: Mapping[str, Sequence[Deadline]] | None = None,
) -> str:
    """The index page's HTML; ``statuses`` overrides the manifest's status (e.g. skipped);
    ``calendars`` (by TERYT code) adds a "Terminy" table under each gmina."""
    statuses = statuses or {}
    calendars = calendars or {}
    deadlines: dict[str, Sequence[Deadline]] = {}
    reports: Mapping[str, Mapping[str, Any]] = manifest.get("reports", {})
    groups: dict[str, dict[str, list[IndexRow]]] = {}
    counts = {"ok": 0, "failed": 0, "skipped": 0}
    for stem in sorted(reports, key=lambda s: _sort_key(s, reports[s])):
        entry = reports[stem]
        status = statuses.get(stem, str(entry.get("status", "failed")))
        counts[status] = counts.get(status, 0) + 1
        gmina, stage, area = [*(entry.get("group") or []), stem, "", ""][:3]
        teryt = (entry.get("parameters") or {}).get("teryt")
        if isinstance(teryt, str) and teryt in calendars:
            deadlines.setdefault(gmina, calendars[teryt])
        groups.setdefault(gmina, {}).setdefault(stage, []).append(_row(entry, area, status))
    template = _environment().get_template("index.html.j2")
    return template.render(
        title=TITLE,
        synthetic=any(bool(e.get("synthetic")) for e in reports.values()),
        total=len(reports),
        counts=counts,
        groups=[(g, list(stages.items())) for g, stages in groups.items()],
        deadlines=deadlines,
    )


def write_index(
    out_dir: Path, manifest: Mapping[str, Any], statuses: Mapping[str, str] | None = None,
    today: date | None = None,
) -> Path:
    """Write ``out_dir/index.html`` atomically and return its path; with ``today``, each
    gmina's legal calendar (:mod:`wkus_lib.statutory.calendar`) from its report's store."""
    path = Path(out_dir) / INDEX_NAME
    calendars = manifest_calendars(manifest, today) if today is not None else None
    atomic_write_bytes(path, render_index(manifest, statuses, calendars).encode("utf-8"))
    return path


def _row(entry: Mapping[str, Any], area: str, status: str) -> IndexRow:
    outputs: Mapping[str, str] = entry.get("outputs") or {}
    links = [
        (FORMAT_LABELS.get(fmt, fmt), quote(path))
        for fmt, path in sorted(outputs.items(), key=lambda item: _format_order(item[0]))
    ]
    error = entry.get("error") or {}
    duration = f"{float(entry.get('duration_s') or 0):.1f} s".replace(".", ",")
    return IndexRow(
        area=area or "—",
        status=status,
        status_label=STATUS_LABELS.get(status, status),
        links=links,
        duration=duration,
        error=error.get("summary") if status == "failed" else None,
    )


def _sort_key(stem: str, entry: Mapping[str, Any]) -> tuple[Any, ...]:
    """Gminy alphabetically, benchmarks last; stages in evaluation order; areas as in DOMAIN."""
    params: Mapping[str, Any] = entry.get("parameters") or {}
    group = list(entry.get("group") or [stem])
    kind, area = params.get("stage"), params.get("area")
    return (
        params.get("teryt") is None,
        ascii_slug(str(group[0])),
        _KIND_ORDER.index(kind) if kind in _KIND_ORDER else len(_KIND_ORDER),
        AREA_IDS.index(area) if area in AREA_IDS else -1,
        stem,
    )


def _format_order(fmt: str) -> int:
    order = list(FORMAT_LABELS)
    return order.index(fmt) if fmt in order else len(order)


def _environment() -> jinja2.Environment:
    folder = Path(str(resources.files("wkus_lib") / "templates"))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
