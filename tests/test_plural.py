"""Polish grammar of numbers: one shared helper, used by every count phrase."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wkus_lib.text import plural as plural_module
from wkus_lib.text.plural import count_phrase, plural, plural_form


@pytest.mark.parametrize(("count", "expected"), [
    (0, "0 lat"), (1, "1 rok"), (2, "2 lata"), (4, "4 lata"), (5, "5 lat"), (11, "11 lat"),
    (12, "12 lat"), (14, "14 lat"), (21, "21 lat"), (22, "22 lata"), (24, "24 lata"),
    (25, "25 lat"), (101, "101 lat"), (102, "102 lata"), (112, "112 lat"), (122, "122 lata"),
])
def test_years_in_the_nominative(count: int, expected: str) -> None:
    assert count_phrase(count, "rok", "lata", "lat") == expected


def test_genitive_after_z_never_says_1_lat() -> None:
    assert [count_phrase(n, "roku", "lat", "lat") for n in (1, 2, 5)] == [
        "1 roku", "2 lat", "5 lat"]


def test_forms() -> None:
    assert plural_form(-3) == "few"
    assert plural(14, "gmina", "gminy", "gmin") == "gmin"


def test_no_private_plural_of_gmina_is_left() -> None:
    # The first wave's domain._gminy_word is replaced by the shared helper.
    library = Path(plural_module.__file__).parent
    users = [p.name for p in library.rglob("*.py") if "_gminy_word" in p.read_text("utf-8")]
    assert users == []


def test_no_count_phrase_pastes_a_number_before_a_fixed_plural() -> None:
    # "{n} lat", "{n} wywiadów" … in an f-string give "1 lat", "2 wywiadów"; use count_phrase.
    library = Path(plural_module.__file__).parent
    pattern = re.compile(r"\{[a-z_.()\[\]'\"]+\} (wywiadów|fragmentów|zakodowanych fragmentów)\b")
    found = [f"{p.name}: {m.group(0)}" for p in library.rglob("*.py")
             for m in pattern.finditer(p.read_text("utf-8"))]
    assert found == []
