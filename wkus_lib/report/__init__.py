"""What report notebooks call: open a report's data, then show its parts.

Notebooks stay thin: after the ``parameters`` cell, each cell calls one
``show_*`` function. Modules:

- :mod:`~wkus_lib.report.context` — :func:`open_report` and shared lookups;
- :mod:`~wkus_lib.report.display` — tables (with raw values for the XLSX
  annex), figures, text;
- :mod:`~wkus_lib.report.common` — title page, scorecard, methods appendix
  (with the data the report read, :func:`~wkus_lib.report.common.show_data_sources`);
- :mod:`~wkus_lib.report.missing` — the one message for missing data
  (``brak danych: … — dodaj … i zaimportuj ponownie``) and the tables each
  report kind reads;
- :mod:`~wkus_lib.report.stage_fit` — stage/area/year combinations that cannot
  be evaluated (the report says why and gives no findings or recommendation);
- one module per report kind (``ex_post``, …) with its sections.

Findings are built from the same records the report's tables show (one source
per number) and listed with :func:`~wkus_lib.report.display.show_findings`.

The names below are imported on first use (PEP 562): the batch workers
import only :mod:`~wkus_lib.report.annex` and :mod:`~wkus_lib.report.outputs`,
and should not pay for the evaluation code behind :func:`open_report`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from wkus_lib.report.common import show_methods, show_scorecard, show_title
    from wkus_lib.report.context import ReportContext, open_report

__all__ = ["ReportContext", "open_report", "show_methods", "show_scorecard", "show_title"]

_HOME: Final = {
    "ReportContext": "wkus_lib.report.context",
    "open_report": "wkus_lib.report.context",
    "show_methods": "wkus_lib.report.common",
    "show_scorecard": "wkus_lib.report.common",
    "show_title": "wkus_lib.report.common",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)
