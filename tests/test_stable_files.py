"""Byte-stable Office files: nothing in them depends on when they were written."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook

from wkus_lib.stable_files import ZIP_DATE_TIME, workbook_bytes


def test_workbook_members_carry_the_fixed_date_not_the_time_of_writing() -> None:
    workbook = Workbook()
    workbook.active["A1"] = "tekst"
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(workbook))) as archive:
        dates = {info.date_time for info in archive.infolist()}
    assert dates == {ZIP_DATE_TIME}
