"""Survey comments reach the report where the quote threshold allows, and a line says why not
elsewhere (they used to appear in no report at all)."""

from __future__ import annotations

import dataclasses

import pytest
from report_checks import output_text, render_sections

from wkus_lib.catalog import load_catalog
from wkus_lib.demo import DemoSummary
from wkus_lib.report.comments import comment_groups
from wkus_lib.store import Store, read_store

THRESHOLD = load_catalog().settings.suppression.quotes_threshold


@pytest.fixture(scope="module")
def store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


def _texts(store: Store, teryt: str, area: str, year: int, instrument: str) -> list[str]:
    c = store.survey_comments
    rows = c[(c["teryt"] == teryt) & (c["area"] == area) & (c["year"] == year)
             & (c["instrument"] == instrument)]
    return list(rows["text"])


def _respondents(store: Store, teryt: str, area: str, year: int, instrument: str) -> int:
    r = store.survey_responses
    rows = r[(r["teryt"] == teryt) & (r["area"] == area) & (r["year"] == year)
             & (r["instrument"] == instrument)]
    return int(rows["respondent_id"].nunique())


def test_comments_of_a_large_group_are_in_the_on_going_report(
    demo: DemoSummary, store: Store
) -> None:
    texts = _texts(store, "2264011", "pomoc_spoleczna", 2024, "klient")
    assert texts and _respondents(store, "2264011", "pomoc_spoleczna", 2024, "klient") >= (
        THRESHOLD)
    outputs = render_sections("on_going", "2264011", "pomoc_spoleczna", 2024,
                              str(demo.store_dir))
    page = output_text(outputs)
    assert "Wypowiedzi respondentów, 2024" in page
    assert all(text in page for text in texts)
    ids = store.survey_comments["respondent_id"]
    assert not [i for i in ids if i in page], "quotes appear without pseudonyms"


def test_a_small_group_gets_a_line_saying_why_and_no_quote(
    demo: DemoSummary, store: Store
) -> None:
    # Łapy, education 2024: clients reach the threshold, the staff group does not.
    staff = _respondents(store, "2002063", "edukacja", 2024, "personel")
    assert 0 < staff < THRESHOLD
    page = output_text(render_sections("on_going", "2002063", "edukacja", 2024,
                                       str(demo.store_dir)))
    hidden = _texts(store, "2002063", "edukacja", 2024, "personel")
    assert hidden and not [t for t in hidden if t in page]
    assert (f"ankieta personelu: wypowiedzi swobodne nie są pokazane (liczba wypowiedzi: "
            f"{len(hidden)}; liczba osób w grupie: {staff}) — cytaty pokazujemy tylko z grup "
            f"co najmniej {THRESHOLD} osób") in page
    assert all(t in page for t in _texts(store, "2002063", "edukacja", 2024, "klient"))


def test_comments_without_questionnaires_are_hidden_with_the_reason(store: Store) -> None:
    r = store.survey_responses
    without = dataclasses.replace(store, survey_responses=r[
        ~((r["teryt"] == "2264011") & (r["year"] == 2024))])
    groups = comment_groups(without, "2264011", "pomoc_spoleczna", 2024, THRESHOLD)
    assert len(groups) == 1 and not groups.iloc[0]["shown"]
    assert groups.iloc[0]["texts"] == ()


def test_english_lines(demo: DemoSummary) -> None:
    page = output_text(render_sections("on_going", "2002063", "edukacja", 2024,
                                       str(demo.store_dir), lang="en"))
    assert "staff survey: free-text comments are not shown" in page
    assert "Respondents' comments, 2024" in page
