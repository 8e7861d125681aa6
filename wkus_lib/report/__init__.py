"""What report notebooks call: open a report's data, then show its parts.

Notebooks stay thin: after the ``parameters`` cell, each cell calls one
``show_*`` function. Modules:

- :mod:`~wkus_lib.report.context` — :func:`open_report` and shared lookups;
- :mod:`~wkus_lib.report.display` — tables (with raw values for the XLSX
  annex), figures, text;
- :mod:`~wkus_lib.report.common` — title page, scorecard, methods appendix;
- one module per report kind (``ex_post``, …) with its sections.
"""

from wkus_lib.report.common import show_methods, show_scorecard, show_title
from wkus_lib.report.context import ReportContext, open_report

__all__ = ["ReportContext", "open_report", "show_methods", "show_scorecard", "show_title"]
