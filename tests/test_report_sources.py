"""Every report's annex names the store it was built from and the gmina register."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_checks import REPORT_KINDS, output_text, render_sections

from wkus_lib.batch.selection import supported_reports
from wkus_lib.demo import DemoSummary
from wkus_lib.domain import REGISTRY_SOURCE
from wkus_lib.store import read_store

YEAR = 2025


@pytest.mark.parametrize("kind", REPORT_KINDS)
def test_annex_names_the_store_folder_its_version_and_the_register(
    demo: DemoSummary, kind: str,
) -> None:
    store_dir = Path(demo.store_dir)
    store = read_store(store_dir)
    unit = min((u for u in supported_reports(store.contracts, YEAR) if u[0] == kind), key=str)
    _, teryt, area = unit
    text = output_text(render_sections(kind, teryt, area, YEAR, str(store_dir)))
    assert str(store_dir.resolve()) in text
    assert store.data_hash in text
    assert REGISTRY_SOURCE in text
