"""``wkus check``: the data-quality scorecard on the terminal, in CSV and in HTML."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wkus_lib.catalog import load_catalog
from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.domain import load_gminy
from wkus_lib.evaluation.data_quality import data_quality_scorecard
from wkus_lib.store import read_store


@pytest.fixture(scope="module")
def scorecard(demo: DemoSummary) -> pd.DataFrame:
    return data_quality_scorecard(read_store(demo.store_dir), load_catalog())


def _planted(demo: DemoSummary) -> tuple[str, int]:
    """Gmina and year of the client questionnaire the demo enters twice."""
    responses = read_store(demo.store_dir).survey_responses
    keys = ["teryt", "area", "year", "instrument", "respondent_id", "item_id"]
    row = responses[responses.duplicated(keys, keep=False)].iloc[0]
    return str(row["teryt"]), int(row["year"])


def test_problems_exit_1_and_are_printed_first(
    demo: DemoSummary, capsys: pytest.CaptureFixture[str]
) -> None:
    teryt, year = _planted(demo)
    code = main(["check", "--store", str(demo.store_dir), "--gmina", teryt,
                 "--year", str(year)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.startswith("Karta jakości danych — DANE SYNTETYCZNE")
    assert "PROBLEM  Zduplikowani respondenci (klient)" in out
    blocks = out.split("\n\n")[1:]
    assert "problemy: 0" not in blocks[0]
    first_clean = next((i for i, b in enumerate(blocks) if "problemy: 0" in b), len(blocks))
    assert all("problemy: 0" in b or b.startswith(("Bez zastrzeżeń", "Sprawozdania z wykonania"))
               for b in blocks[first_clean:])
    assert f"{year}" in blocks[0]


def test_no_problem_exits_0(
    demo: DemoSummary, scorecard: pd.DataFrame, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every demo gmina-year has a task report discrepancy (tests/test_task_check.py checks
    # that exit); here the card alone decides.
    from wkus_lib.cli import check
    from wkus_lib.intake.task_check import FINDING_COLUMNS

    monkeypatch.setattr(check, "task_findings",
                        lambda *_args: pd.DataFrame(columns=FINDING_COLUMNS))
    per_year = scorecard.groupby(["teryt", "year"])["status"].agg(
        lambda s: (s == "problem").any())
    teryt, year = per_year[~per_year].index[0]
    code = main(["check", "--store", str(demo.store_dir), "--gmina", teryt,
                 "--year", str(year)])
    assert code == 0
    assert "PROBLEM" not in capsys.readouterr().out


def test_csv_holds_the_chosen_gmina_and_year_only(
    demo: DemoSummary, scorecard: pd.DataFrame, tmp_path: Path
) -> None:
    teryt, year = _planted(demo)
    out = tmp_path / "karta.csv"
    main(["check", "--store", str(demo.store_dir), "--gmina", teryt, "--year", str(year),
          "--out", str(out)])
    written = pd.read_csv(out, dtype={"teryt": str})
    assert set(written["teryt"]) == {teryt} and set(written["year"]) == {year}
    expected = scorecard[(scorecard["teryt"] == teryt) & (scorecard["year"] == year)]
    assert len(written) == len(expected)
    assert written["status"].tolist() == expected["status"].tolist()


def test_html_page_is_polish_and_lists_problems_first(demo: DemoSummary, tmp_path: Path) -> None:
    teryt, year = _planted(demo)
    out = tmp_path / "raport" / "karta.html"
    main(["check", "--store", str(demo.store_dir), "--gmina", teryt, "--year", str(year),
          "--out", str(out)])
    page = out.read_text(encoding="utf-8")
    assert '<html lang="pl">' in page and "DANE SYNTETYCZNE" in page
    assert page.index("PROBLEM") < page.index(">ok<")
    assert "Zduplikowani respondenci" in page
    assert "R-" not in page  # never a respondent's pseudonym


@pytest.mark.parametrize(("arguments", "message"), [
    (["--gmina", "9999999"], "Niepoprawny kod TERYT „9999999”"),
    (["--gmina", "Bolesławiec"], "0201022 Bolesławiec (gmina wiejska"),
    (["--gmina", "Lapyy"], "Podobne nazwy w rejestrze: 2002063 Łapy"),
    (["--out", "karta.txt"], "Podaj plik .csv"),
])
def test_bad_arguments_exit_2_with_a_polish_message(
    demo: DemoSummary, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    code = main(["check", "--store", str(demo.store_dir), *arguments])
    error = capsys.readouterr().err
    assert code == 2
    assert message in error and "Traceback" not in error


def test_missing_store_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--store", str(tmp_path / "brak")]) == 2
    assert str(tmp_path / "brak") in capsys.readouterr().err


def test_gmina_by_name_gives_the_same_card_as_by_code(
    demo: DemoSummary, capsys: pytest.CaptureFixture[str]
) -> None:
    teryt, year = _planted(demo)
    main(["check", "--store", str(demo.store_dir), "--gmina", teryt, "--year", str(year)])
    by_code = capsys.readouterr().out
    name = load_gminy()[teryt].name
    main(["check", "--store", str(demo.store_dir), "--gmina", name.upper(), "--year", str(year)])
    assert capsys.readouterr().out == by_code


def test_gmina_without_data_is_said_so_and_exits_1(
    demo: DemoSummary, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--store", str(demo.store_dir), "--gmina", "Sopot,2010092"]) == 1
    captured = capsys.readouterr()
    assert "Brak danych gminy Siemiatycze (2010092)" in captured.err
    assert "Siemiatycze" not in captured.out


def test_check_is_listed_in_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "karta jakości danych" in capsys.readouterr().out
