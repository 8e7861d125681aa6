"""Byte-stable Office files: nothing in them depends on when they were written."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

from wkus_lib.files.stable import ZIP_DATE_TIME, workbook_bytes


def test_workbook_members_carry_the_fixed_date_not_the_time_of_writing() -> None:
    workbook = Workbook()
    workbook.active["A1"] = "tekst"
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(workbook))) as archive:
        dates = {info.date_time for info in archive.infolist()}
    assert dates == {ZIP_DATE_TIME}


def test_document_properties_and_members_do_not_depend_on_when_it_was_written() -> None:
    import docx

    from wkus_lib.files.stable import FIXED_DATETIME, document_bytes

    document = docx.Document()
    document.add_paragraph("treść")
    payload = document_bytes(document, title="Sprawozdanie")
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        assert {info.date_time for info in archive.infolist()} == {ZIP_DATE_TIME}
    properties = docx.Document(io.BytesIO(payload)).core_properties
    assert properties.title == "Sprawozdanie" and properties.author == "wkus"
    assert properties.modified == FIXED_DATETIME
