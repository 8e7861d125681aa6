"""Checks shared by the report tests: what a reader sees, and privacy."""

from __future__ import annotations

import html
import re

import pandas as pd

from wkus_lib.domain import load_gminy


def visible_text(page: str) -> str:
    """The report's text without tags and embedded images."""
    without_images = re.sub(r'src="data:image/[^"]+"', "", page)
    return re.sub(r"<[^>]+>", " ", without_images)


def other_gminas_in(page: str, teryt: str, contracts: pd.DataFrame) -> list[str]:
    """Codes, names and NGOs of gminy other than ``teryt`` that appear in a report page.

    An NGO that also works in ``teryt`` is its own and may appear.
    """
    text = visible_text(page)
    others = contracts[contracts["teryt"] != teryt]
    assert not others.empty, "the check needs other gminy in the store"
    codes = set(others["teryt"])
    registry = load_gminy()
    own_ngos = set(contracts.loc[contracts["teryt"] == teryt, "ngo_name"])
    leaked = [code for code in codes if re.search(rf"(?<!\d){code}(?!\d)", page)]
    leaked += [registry[c].name for c in codes if c in registry and registry[c].name in text]
    leaked += [ngo for ngo in set(others["ngo_name"]) - own_ngos
               if ngo in text or html.escape(ngo) in page]
    return leaked
