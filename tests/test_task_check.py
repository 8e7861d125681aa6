"""The NGO task report check: hand-made reports, each with one kind of discrepancy."""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import pandas as pd
import pytest

from wkus_lib.catalog import load_catalog
from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.evaluation.data_quality import data_quality_scorecard
from wkus_lib.intake.importer import import_files
from wkus_lib.intake.task_check import (
    FINDING_COLUMNS,
    ISSUE_NAMES,
    NOT_CHECKED,
    check_task_reports,
    findings_summary,
    findings_text,
)
from wkus_lib.store import TABLES, Store, empty_table, read_store, write_store

SOPOT = "2264011"
ANNUAL = "S/2024"
MULTI = "S/wiel"


def _contracts() -> pd.DataFrame:
    return pd.DataFrame({
        "contract_id": [ANNUAL, MULTI], "teryt": [SOPOT, SOPOT],
        "area": ["pomoc_spoleczna", "pomoc_spoleczna"],
        "ngo_name": ["Fundacja A", "Fundacja B"], "title": ["Usługi opiekuńcze", "Asystent"],
        "mode": ["annual_grant", "multi_year"], "form": ["wspieranie", "powierzanie"],
        "start_year": [2024, 2022], "end_year": [2024, 2024],
    })


def _finance(contract: str = ANNUAL, year: int = 2024) -> pd.DataFrame:
    """A clean cost table. By category: działania 12 000 planned, 11 900 spent (−0.8 %);
    administracyjne 1 000 / 1 000. By source: dotacja 11 000 / 11 000; środki własne
    2 000 / 1 900 (−5 %, within the default 10 %)."""
    return pd.DataFrame({
        "contract_id": [contract] * 3, "year": [year] * 3,
        "category": ["dzialania", "dzialania", "administracyjne"],
        "source": ["dotacja", "srodki_wlasne", "dotacja"],
        "planned": [10_000.0, 2_000.0, 1_000.0], "actual": [10_000.0, 1_900.0, 1_000.0],
    })


def _contributions(contract: str = ANNUAL, year: int = 2024) -> pd.DataFrame:
    """Personal: 100 h × 15 zł/h = 1 500 zł, as reported; in-kind 500 zł (no hours)."""
    return pd.DataFrame({
        "contract_id": [contract] * 2, "year": [year] * 2, "kind": ["osobowy", "rzeczowy"],
        "value": [1_500.0, 500.0], "volunteer_hours": [100.0, math.nan],
        "hourly_rate": [15.0, math.nan],
    })


def _results(contract: str = ANNUAL, year: int = 2024, ids: tuple[str, ...] = ("R1",),
             achieved: float = 46.0) -> pd.DataFrame:
    """Planned 50 people, achieved 46: 92 % of plan, within the default 10 % shortfall."""
    return pd.DataFrame({
        "contract_id": [contract] * len(ids), "year": [year] * len(ids),
        "result_id": list(ids), "name": [f"Rezultat {i}" for i in ids],
        "unit": ["osoby"] * len(ids), "target": [50.0] * len(ids),
        "achieved": [achieved] * len(ids),
    })


def _beneficiaries(contract: str = ANNUAL, year: int = 2024) -> pd.DataFrame:
    return pd.DataFrame({
        "contract_id": [contract], "year": [year], "clients_served": [48],
        "service_hours": [1_200.0], "complaints": [0], "staff_count": [4], "staff_left": [0],
    })


def _store(**tables: pd.DataFrame) -> Store:
    frames = {name: empty_table(name) for name in TABLES}
    frames["contracts"] = _contracts()
    for name, frame in tables.items():
        frames[name] = TABLES[name].validate(frame)
    frames["contracts"] = TABLES["contracts"].validate(frames["contracts"])
    return Store(**frames)


def _clean(**changed: pd.DataFrame) -> Store:
    """The clean annual report, with ``changed`` tables replaced."""
    tables = {"finance": _finance(), "contributions": _contributions(), "results": _results(),
              "beneficiaries": _beneficiaries()}
    return _store(**{**tables, **changed})


def test_a_clean_report_has_no_findings() -> None:
    findings = check_task_reports(_clean())
    assert list(findings.columns) == FINDING_COLUMNS
    assert findings.empty


def test_grant_spent_above_the_grant_is_named_with_both_amounts() -> None:
    finance = _finance()
    finance.loc[0, "actual"] = 10_250.0  # dotacja 11 250 against 11 000; działania +1.25 %
    findings = check_task_reports(_clean(finance=finance))
    assert len(findings) == 1
    row = findings.iloc[0]
    assert (row["contract_id"], row["year"], row["table"], row["kind"]) == (
        ANNUAL, 2024, "finance", "rozbieżność")
    assert (row["planned"], row["reported"]) == (11_000.0, 11_250.0)
    assert row["line"] == "razem: dotacja"
    shown = row["message"].replace("\u202f", " ").replace("\u00a0", " ")
    assert "11 250,00 zł" in shown and "11 000,00 zł" in shown and "o 250,00 zł" in shown
    assert "korektę" in row["question"]


def test_a_category_above_its_plan_beyond_the_setting() -> None:
    finance = _finance()
    # 200 zł of the grant moved to administration: administracyjne 1 200 / 1 000 = +20 %;
    # działania 11 700 / 12 000 = −2.5 %; dotacja 9 800 + 1 200 = 11 000, as planned.
    finance.loc[0, "actual"] = 9_800.0
    finance.loc[2, "actual"] = 1_200.0
    findings = check_task_reports(_clean(finance=finance))
    assert findings[["line", "planned", "reported"]].values.tolist() == [
        ["razem: koszty administracyjne", 1_000.0, 1_200.0]]
    assert "20,0" in findings.iloc[0]["message"] and "10,0" in findings.iloc[0]["message"]
    settings = load_catalog().settings
    looser = settings.model_copy(update={"task_report": settings.task_report.model_copy(
        update={"cost_shift_pct": 25.0})})  # +20 % is within 25 %
    assert check_task_reports(_clean(finance=finance), settings=looser).empty


def test_own_funds_below_the_offer_beyond_the_setting() -> None:
    finance = _finance()
    finance.loc[1, "actual"] = 1_700.0  # środki własne 1 700 / 2 000 = −15 %
    findings = check_task_reports(_clean(finance=finance))
    assert findings[["line", "planned", "reported", "kind"]].values.tolist() == [
        ["razem: środki własne", 2_000.0, 1_700.0, "rozbieżność"]]
    assert "15,0" in findings.iloc[0]["message"]


def test_a_line_without_its_actual_cost_and_an_unplanned_cost() -> None:
    finance = _finance()
    finance.loc[1, "actual"] = math.nan
    extra = pd.DataFrame({"contract_id": [ANNUAL], "year": [2024],
                          "category": ["administracyjne"], "source": ["inne"],
                          "planned": [0.0], "actual": [300.0]})
    findings = check_task_reports(_clean(finance=pd.concat([finance, extra],
                                                            ignore_index=True)))
    # missing actual: a gap; administracyjne 1 300 / 1 000 = +30 %; inne 0 planned, 300 spent
    assert sorted(findings["line"]) == [
        "koszty realizacji działań — środki własne", "razem: koszty administracyjne",
        "razem: pozostałe źródła"]
    gap = findings[findings["kind"] == "brak danych"].iloc[0]
    assert gap["planned"] == 2_000.0 and pd.isna(gap["reported"])
    unplanned = findings[findings["line"] == "razem: pozostałe źródła"].iloc[0]
    assert "nie planowano" in unplanned["message"]


def test_personal_contribution_not_hours_times_rate_and_without_hours() -> None:
    gifts = _contributions()
    gifts.loc[0, "value"] = 1_800.0  # 100 h × 15 zł = 1 500; 300 zł more
    findings = check_task_reports(_clean(contributions=gifts))
    assert findings[["table", "kind", "planned", "reported"]].values.tolist() == [
        ["contributions", "rozbieżność", 1_500.0, 1_800.0]]
    assert "300,00" in findings.iloc[0]["message"]
    gifts.loc[0, "volunteer_hours"] = math.nan
    unpriced = check_task_reports(_clean(contributions=gifts))
    assert unpriced[["table", "kind"]].values.tolist() == [["contributions", "brak danych"]]


@pytest.mark.parametrize(("achieved", "expected"), [
    (46.0, []),  # 92 %
    (45.0, []),  # exactly 90 %: at the setting's limit, not beyond it
    (44.0, ["rozbieżność"]),  # 88 %
    (math.nan, ["brak danych"]),
])
def test_results_below_plan_or_without_the_achieved_level(
    achieved: float, expected: list[str]
) -> None:
    findings = check_task_reports(_clean(results=_results(achieved=achieved)))
    assert findings["kind"].tolist() == expected
    if expected == ["rozbieżność"]:
        assert "88,0" in findings.iloc[0]["message"] and "R1" in findings.iloc[0]["line"]


def test_multi_year_task_missing_a_year_and_dropping_a_result() -> None:
    years = (2022, 2024)  # 2023 has no report
    tables = {
        "finance": pd.concat([_finance(MULTI, y) for y in years], ignore_index=True),
        "contributions": pd.concat([_contributions(MULTI, y) for y in years],
                                   ignore_index=True),
        "results": pd.concat([_results(MULTI, 2022, ("R1", "R2")), _results(MULTI, 2024)],
                             ignore_index=True),
        "beneficiaries": pd.concat([_beneficiaries(MULTI, y) for y in years],
                                   ignore_index=True),
    }
    findings = check_task_reports(_store(**tables))
    assert findings[["contract_id", "year", "table", "kind", "line"]].values.tolist() == [
        [MULTI, 2023, "finance", "brak danych", "cała tabela"],
        [MULTI, 2024, "results", "rozbieżność", "R2"],
    ]
    assert "2022–2024" in findings.iloc[0]["message"]
    assert check_task_reports(_store(**tables), year=2023)["year"].tolist() == [2023]


def test_partial_reports_name_the_missing_parts_without_crashing() -> None:
    findings = check_task_reports(_store(finance=_finance()))
    assert findings[["table", "kind"]].values.tolist() == [
        ["contributions", "brak danych"], ["results", "brak danych"],
        ["beneficiaries", "brak danych"]]
    assert all("nie ma części" in m for m in findings["message"])
    assert check_task_reports(_store()).empty  # contracts without any report: nothing


def test_filters_by_gmina_and_year() -> None:
    finance = _finance()
    finance.loc[1, "actual"] = 1_700.0
    store = _clean(finance=finance)
    assert len(check_task_reports(store, teryt=SOPOT, year=2024)) == 1
    assert check_task_reports(store, teryt="2003042").empty
    assert check_task_reports(store, year=2023).empty


def test_text_names_contract_year_numbers_and_the_question() -> None:
    finance = _finance()
    finance.loc[1, "actual"] = 1_700.0
    lines = findings_text(check_task_reports(_clean(finance=finance)))
    assert lines[0] == f"umowa {ANNUAL}, sprawozdanie za 2024: 1 uwaga"
    shown = lines[1].replace("\u202f", " ").replace("\u00a0", " ")
    assert "środki własne" in shown and "2 000,00 zł" in shown and "1 700,00 zł" in shown
    assert lines[2].strip().startswith("zapytaj:")


def test_wkus_check_shows_the_section_and_exits_1_on_a_discrepancy(
    demo: DemoSummary, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A gmina-year whose card has no problem: the task reports alone make the exit 1."""
    store = read_store(demo.store_dir)
    card = data_quality_scorecard(store, load_catalog())
    per_year = card.groupby(["teryt", "year"])["status"].agg(lambda s: (s == "problem").any())
    teryt, year = per_year[~per_year].index[0]
    expected = check_task_reports(store, teryt, int(year))
    assert (expected["kind"] == "rozbieżność").any()
    out = tmp_path / "karta.html"
    code = main(["check", "--store", str(demo.store_dir), "--gmina", teryt,
                 "--year", str(year), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 1
    section = printed.split("\nSprawozdania z wykonania zadań: ")[1]
    first = expected.iloc[0]
    assert "Uwagi według rodzaju" in section and NOT_CHECKED in section
    assert first["message"] not in section  # the full list only on request
    assert "wkus check --all-findings" in section
    page = out.read_text(encoding="utf-8")
    assert "<h2>Sprawozdania z wykonania zadań</h2>" in page
    assert page.count('<tr><td>') >= len(expected)  # the HTML page has every finding
    assert html.escape(first["message"]) in page
    assert main(["check", "--store", str(demo.store_dir), "--gmina", teryt,
                 "--year", str(year), "--all-findings"]) == 1
    section = capsys.readouterr().out.split("\nSprawozdania z wykonania zadań: ")[1]
    assert f"umowa {first['contract_id']}, sprawozdanie za {year}" in section
    assert all(message in section for message in expected["message"])
    assert "wkus check --all-findings" not in section

    from wkus_lib.cli import check
    monkeypatch.setattr(check, "task_findings",
                        lambda *_args: pd.DataFrame(columns=FINDING_COLUMNS))
    assert main(["check", "--store", str(demo.store_dir), "--gmina", teryt,
                 "--year", str(year)]) == 0
    assert "bez rozbieżności" in capsys.readouterr().out


def test_import_report_lists_the_touched_contracts_findings(tmp_path: Path) -> None:
    finance = _finance()
    finance.loc[1, "actual"] = 1_700.0
    write_store({**{n: empty_table(n) for n in TABLES},
                 "contracts": TABLES["contracts"].validate(_contracts())},
                tmp_path / "store", synthetic=True)
    path = tmp_path / "koszty.csv"
    finance.to_csv(path, index=False)
    report = import_files([path], tmp_path / "store")
    assert report.exit_code == 0
    text = report.to_text()
    assert "Sprawozdania z wykonania zadań (umowy z tego importu)" in text
    assert f"umowa {ANNUAL}, sprawozdanie za 2024" in text and "środki własne" in text
    assert "nie ma części „rezultaty”" in text  # the report's other parts are still missing
    assert MULTI not in text  # a contract the import did not touch
    page = (tmp_path / "store" / "import-report.html").read_text(encoding="utf-8")
    assert "<h2>Sprawozdania z wykonania zadań</h2>" in page and "środki własne" in page
    again = import_files([path], tmp_path / "store")  # nothing changed: nothing to list
    assert not again.task_findings


def test_each_finding_names_its_kind_and_the_summary_counts_them_in_polish() -> None:
    finance = _finance()
    finance.loc[0, "actual"] = 10_500.0  # grant spent above the grant
    results = _results(ids=("R1", "R2"), achieved=30.0)  # two results 40 % below plan
    contributions = _contributions()
    contributions.loc[0, "value"] = 1_600.0  # not 100 h × 15 zł/h
    store = _store(finance=finance, results=results, contributions=contributions)
    findings = check_task_reports(store)
    assert sorted(findings["issue"]) == ["contribution_mismatch", "grant_overspent",
                                         "part_missing", "result_shortfall",
                                         "result_shortfall"]
    assert set(findings["issue"]) <= set(ISSUE_NAMES)
    assert findings_summary(findings) == [
        "Uwagi według rodzaju (5 uwag):",
        "  rezultat poniżej planu: 2 uwagi w 1 sprawozdaniu",
        "  dotacja wydana ponad przyznaną kwotę: 1 uwaga w 1 sprawozdaniu",
        "  wkład osobowy różny od godzin × stawki: 1 uwaga w 1 sprawozdaniu",
        "  brakująca część sprawozdania: 1 uwaga w 1 sprawozdaniu",
        "Sprawozdania według liczby uwag: 1 sprawozdanie z 5 uwagami.",
        f"Najwięcej uwag: umowa {ANNUAL}, sprawozdanie za 2024 (5 uwag).",
    ]
    assert findings_summary(check_task_reports(_clean())) == []


def _polish_form(count: int, one: str, few: str, many: str) -> str:
    """The rule written out again, so a wrong form in the summary cannot pass."""
    if count == 1:
        return one
    return few if count % 10 in (2, 3, 4) and count % 100 not in (12, 13, 14) else many


def test_wkus_check_prints_a_short_summary_of_every_demo_finding(
    demo: DemoSummary, capsys: pytest.CaptureFixture[str],
) -> None:
    findings = check_task_reports(read_store(demo.store_dir))
    assert len(findings) > 300
    main(["check", "--store", str(demo.store_dir)])
    section = capsys.readouterr().out.split("\nSprawozdania z wykonania zadań: ")[1]
    assert len(section.splitlines()) < 30
    for issue, rows in findings.groupby("issue"):
        found, reports = len(rows), len(rows.drop_duplicates(["contract_id", "year"]))
        line = next(x for x in section.splitlines() if x.strip().startswith(ISSUE_NAMES[issue]))
        assert f": {found} {_polish_form(found, 'uwaga', 'uwagi', 'uwag')} w {reports} " in line
    per_report = findings.groupby(["contract_id", "year"]).size().value_counts()
    for size, reports in per_report.items():
        assert (f"{reports} {_polish_form(reports, 'sprawozdanie', 'sprawozdania', 'sprawozdań')}"
                f" z {size} {_polish_form(size, 'uwagą', 'uwagami', 'uwagami')}") in section
    for teryt, rows in findings.groupby("teryt"):
        reports = len(rows.drop_duplicates(["contract_id", "year"]))
        assert re.search(rf"\({teryt}\): {reports} "
                         f"{_polish_form(reports, 'sprawozdanie', 'sprawozdania', 'sprawozdań')}, "
                         f"{len(rows)} {_polish_form(len(rows), 'uwaga', 'uwagi', 'uwag')}$",
                         section, re.MULTILINE)
    for number, noun in re.findall(r"(\d+) (uwaga|uwagi|uwag)\b", section):
        assert noun == _polish_form(int(number), "uwaga", "uwagi", "uwag")
