"""Byte-stable Office files: identical inputs give identical XLSX and DOCX bytes.

XLSX and DOCX files are zip archives; zipfile stamps every member with the
current time and openpyxl's ``save()`` stamps the workbook as modified now.
These helpers write workbooks without the stamp and rewrite any archive with
one fixed date, so reruns and tests can compare files byte for byte.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Any, Final

FIXED_DATETIME: Final = datetime(2000, 1, 1, tzinfo=UTC)
"""The creation/modification date written into document properties."""
ZIP_DATE_TIME: Final = (1980, 1, 1, 0, 0, 0)
"""The date of every zip member (the earliest a zip entry can carry)."""


def workbook_bytes(workbook: Any) -> bytes:
    """An openpyxl workbook as XLSX bytes, without the "modified now" stamp of ``save()``.

    The workbook's created/modified properties are :data:`FIXED_DATETIME` and the
    zip members carry :data:`ZIP_DATE_TIME`, not the time of writing, so two runs
    in different seconds give the same bytes.
    """
    from openpyxl.writer.excel import ExcelWriter

    workbook.properties.creator = "wkus"
    workbook.properties.created = workbook.properties.modified = FIXED_DATETIME.replace(
        tzinfo=None)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).write_data()
    return with_fixed_zip_dates(buffer.getvalue())


def with_fixed_zip_dates(payload: bytes) -> bytes:
    """The same zip archive with :data:`ZIP_DATE_TIME` on every member."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(payload)) as source, zipfile.ZipFile(
        buffer, "w", zipfile.ZIP_DEFLATED
    ) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()


def document_bytes(document: Any, *, title: str, created: datetime = FIXED_DATETIME) -> bytes:
    """A python-docx document as DOCX bytes that depend on its content only.

    Sets the properties Word shows (title; author and last editor "wkus";
    created and modified ``created``; revision 1) instead of the moment of
    writing, and gives every zip member :data:`ZIP_DATE_TIME`.
    """
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = "wkus"
    properties.created = properties.modified = created
    properties.revision = 1
    sink = io.BytesIO()
    document.save(sink)
    return with_fixed_zip_dates(sink.getvalue())
