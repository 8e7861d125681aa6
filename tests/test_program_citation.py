"""The draft resolution cites the indicator catalogue by its name, never by a file path."""

from __future__ import annotations

from pathlib import Path

import pytest

from wkus_lib.catalog import copy_default_catalog, load_catalog
from wkus_lib.demo import DemoSummary
from wkus_lib.domain import load_gminy
from wkus_lib.program import build_program
from wkus_lib.program.html import render_html
from wkus_lib.store import read_store


@pytest.mark.parametrize("edited", [False, True])
def test_the_draft_names_the_catalogue_without_a_path(
    demo: DemoSummary, tmp_path: Path, edited: bool
) -> None:
    catalog = load_catalog(copy_default_catalog(tmp_path / "moj_katalog")) if edited \
        else load_catalog()
    store = read_store(demo.store_dir)
    page = render_html(build_program(store, load_gminy()["2013023"], catalog, 2026, 2029))
    assert "indicators.yaml" not in page and "wkus_lib" not in page
    assert "moj_katalog" not in page
    assert "katalogu wskaźników WKUS" in page
    assert ("w wersji przyjętej przez gminę" in page) is edited
