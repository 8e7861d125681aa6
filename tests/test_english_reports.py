"""English reports are entirely English: texts, formulas, units, verdicts, page language.

Every report kind is rendered in English (the functions its notebook calls).
Proper names stay as they are: gminy, powiaty, NGOs, results named by the
evaluator, respondents' own words (quoted comments), the Polish sheet names
of the entry forms and the titles of cited Polish publications; once they
are removed, no Polish letter and no Polish-only word may remain.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from report_checks import output_text, render_sections

from wkus_lib.batch.params import resolve_batch
from wkus_lib.catalog import load_catalog
from wkus_lib.demo import DemoSummary
from wkus_lib.domain import load_gminy
from wkus_lib.intake.headers import TABLE_TITLES
from wkus_lib.report.context import format_indicator_value, indicator_formula, indicator_unit
from wkus_lib.store import read_store
from wkus_lib.text.i18n import current_language, language


@pytest.fixture(autouse=True)
def _polish_afterwards() -> Iterator[None]:
    """An English rendering words only its own report: the tests around it stay Polish."""
    assert current_language() == "pl"
    yield
    assert current_language() == "pl"


POLISH_LETTERS = re.compile(r"[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]")
POLISH_WORDS = ("brak danych", "wskaźnik", "kontynuować", "zakończyć", "zmienić", "pkt proc.",
                "dobrze", "uwaga", "Średnia", "liczba", " zł", "pkt", "Ocena", "według")

CITED_TITLES = ("Sytuacja społeczno-gospodarcza kraju", "Ceny towarów i usług konsumpcyjnych")
"""Titles of the GUS publication the price index comes from (cited, not translated)."""

REPORTS = [
    ("ex_ante", "2002063", "sport", 2025),
    ("on_going", "2264011", "pomoc_spoleczna", 2024),
    ("ex_post", "2013023", "pomoc_spoleczna", 2025),
    ("gmina_overview", "2013023", None, 2025),
    ("benchmark", None, "pomoc_spoleczna", 2025),
]


def without_proper_names(text: str, store_dir: Path) -> str:
    """``text`` without the names that stay Polish in any language."""
    store = read_store(store_dir)
    registry = load_gminy()
    names = {*store.contracts["ngo_name"], *store.results["name"], *TABLE_TITLES.values(),
             *CITED_TITLES, *store.survey_comments["text"]}
    for teryt in set(store.contracts["teryt"]):
        names |= {registry[teryt].name, registry[teryt].powiat}
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


@pytest.mark.parametrize(("kind", "teryt", "area", "year"), REPORTS)
def test_an_english_report_has_no_polish_text(
    demo: DemoSummary, kind: str, teryt: str | None, area: str | None, year: int
) -> None:
    text = output_text(render_sections(kind, teryt, area, year, str(demo.store_dir),
                                       lang="en"))
    assert "Methods appendix" in text
    rest = without_proper_names(text, demo.store_dir)
    polish = sorted({w for w in re.findall(r"\S+", rest) if POLISH_LETTERS.search(w)})
    assert polish == []
    assert [w for w in POLISH_WORDS if w in rest] == []


def test_the_polish_report_keeps_its_polish_formulas_and_units(demo: DemoSummary) -> None:
    text = output_text(render_sections("on_going", "2264011", "pomoc_spoleczna", 2024,
                                       str(demo.store_dir)))
    assert "Aneks metodologiczny" in text and "Średnia wyników respondentów" in text
    assert " zł" in text and "PLN" not in text


def test_every_catalogue_indicator_has_an_english_formula_and_unit() -> None:
    catalog = load_catalog()
    for spec in catalog.indicators:
        assert spec.formula_en and not POLISH_LETTERS.search(spec.formula_en), spec.id
        assert spec.unit_en and not POLISH_LETTERS.search(spec.unit_en), spec.id
    e9r = catalog.indicator("E9R")
    with language("en"):
        assert (indicator_unit(e9r), indicator_formula(e9r)) == ("pp", e9r.formula_en)
        assert format_indicator_value(1234.4, indicator_unit(catalog.indicator("E1"))) == (
            "1\xa0234\xa0PLN")
        assert format_indicator_value(-2.5, "pp") == "−2.5\xa0pp"
    assert indicator_unit(e9r) == "pkt proc." and indicator_formula(e9r) == e9r.formula_pl


def test_an_english_report_has_an_english_page_title(demo: DemoSummary) -> None:
    english = resolve_batch("2264011", "on_going", "pomoc_spoleczna", year=2024, lang="en",
                            store_dir=demo.store_dir)
    polish = resolve_batch("2264011", "on_going", "pomoc_spoleczna", year=2024, lang="pl",
                           store_dir=demo.store_dir)
    title = ("Sopot (2264011) — On-going evaluation — Social assistance, family support and "
             "pro-family policy — 2024")
    assert [s.title for s in english] == [title]
    assert "Ocena bieżąca" in polish[0].title


def test_an_english_page_says_it_is_english() -> None:
    import nbformat

    from wkus_lib.batch import export

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("Summary")]
    english = export.render_html(notebook, title="Sopot — On-going evaluation", lang="en",
                                 synthetic=False)
    polish = export.render_html(notebook, title="Sopot — Ocena bieżąca", lang="pl",
                                synthetic=False)
    assert '<html lang="en">' in english and '<html lang="pl">' in polish
    assert "<title>Sopot — On-going evaluation</title>" in english
