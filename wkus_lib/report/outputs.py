"""What report notebooks show and the exporters read back, defined once for both sides.

Kept apart from :mod:`wkus_lib.batch.export` (nbconvert, WeasyPrint, openpyxl) and
from :mod:`wkus_lib.report` (pandas, matplotlib), so that each side imports
only these constants.
"""

from __future__ import annotations

from typing import Final

from wkus_lib.text.i18n import N_

TABLE_MIMETYPE: Final = "application/vnd.wkus.table+json"
"""Display output of ``show_table``: ``{"title": str, "data": df.to_dict(orient="split")}``."""

SYNTHETIC_BANNER: Final = N_(
    "DANE SYNTETYCZNE — raport demonstracyjny, liczby są wygenerowane i nie opisują "
    "rzeczywistej gminy."
)
"""The banner of reports built from demo data (Polish source; translate with ``_``).

Report notebooks show it translated; the exporter adds it untranslated to a
page whose notebook showed none, and to the XLSX annex."""
