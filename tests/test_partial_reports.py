"""Every report kind renders on partial data and names what is missing.

Random subsets of the demo store (whole tables dropped, years or an area
dropped, survey groups cut below the suppression threshold) are rendered by
calling the report functions the notebooks call (fast, no kernel); one test
renders the real notebooks of every kind through ``wkus report`` for a gmina
outside the pilots that has only contracts and costs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_checks import SAMPLE_REPORTS, output_text, render_sections, visible_text

from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.report.missing import REPORT_TABLES, SOURCES
from wkus_lib.report.stage_fit import mismatch_text
from wkus_lib.schemas import TABLES
from wkus_lib.store import Store, empty_table, read_store, write_store
from wkus_lib.text.i18n import _

REPORTS = SAMPLE_REPORTS
YEARLY = ("finance", "contributions", "results", "beneficiaries", "survey_responses",
          "survey_comments", "standard_checklist", "needs", "procedure_costs",
          "cooperation_checklist", "cooperation_survey")
AREAS = ("sport", "kultura", "pomoc_spoleczna", "edukacja")


@pytest.fixture(scope="module")
def demo_store(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


def subset(store: Store, *, dropped: frozenset[str], years: frozenset[int],
           area: str | None, survey_cap: int | None) -> dict[str, pd.DataFrame]:
    """The store with tables emptied, years and one area removed, survey groups capped."""
    tables = dict(store.tables())
    contracts = tables["contracts"]
    if area is not None:
        contracts = contracts[contracts["area"] != area]
        tables["contracts"] = contracts
    ids = set(contracts["contract_id"])
    for name, frame in tables.items():
        if name in dropped:
            tables[name] = empty_table(name)
            continue
        if name in YEARLY:
            frame = frame[~frame["year"].isin(years)]
        if "contract_id" in frame.columns and name != "contracts":
            frame = frame[frame["contract_id"].isin(ids)]
        if area is not None and "area" in frame.columns and name != "contracts":
            frame = frame[frame["area"] != area]
        tables[name] = frame
    if survey_cap is not None and "survey_responses" not in dropped:
        answers = tables["survey_responses"]
        keys = ["teryt", "area", "year", "instrument"]
        people = answers[[*keys, "respondent_id"]].drop_duplicates()
        kept = people[people.groupby(keys).cumcount() < survey_cap]
        tables["survey_responses"] = answers.merge(kept, on=[*keys, "respondent_id"])
    return tables


def named_tables(text: str, tables: Mapping[str, object]) -> set[str]:
    return {name for name in tables if _(SOURCES[name]) in text}


subsets = st.fixed_dictionaries({
    "dropped": st.frozensets(st.sampled_from(sorted(TABLES)), max_size=5),
    "years": st.frozensets(st.sampled_from([2019, 2023, 2024, 2025]), max_size=2),
    "area": st.none() | st.sampled_from(AREAS),
    "survey_cap": st.none() | st.integers(min_value=1, max_value=4),
})


@pytest.mark.slow
@settings(max_examples=6, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(choice=subsets)
def test_every_report_kind_renders_on_a_subset_and_names_what_is_missing(
    demo_store: Store, tmp_path_factory: pytest.TempPathFactory, choice: dict[str, object]
) -> None:
    store_dir = tmp_path_factory.mktemp("subset")
    write_store(subset(demo_store, **choice), store_dir, synthetic=True)  # type: ignore[arg-type]
    dropped = set(choice["dropped"])  # type: ignore[call-overload]
    for kind, teryt, area, year in REPORTS:
        text = output_text(render_sections(kind, teryt, area, year, str(store_dir)))
        expected = dropped & set(REPORT_TABLES[kind])
        assert expected <= named_tables(text, {t: None for t in expected}), (kind, choice)
        for table in expected:
            assert f"dodaj {_(SOURCES[table])}" in text, (kind, table)
        assert "Traceback" not in text


def test_dropping_every_table_but_contracts_still_renders_each_kind(
    demo_store: Store, tmp_path: Path
) -> None:
    dropped = frozenset(TABLES) - {"contracts"}
    write_store(subset(demo_store, dropped=dropped, years=frozenset(), area=None,
                       survey_cap=None), tmp_path, synthetic=True)
    for kind, teryt, area, year in REPORTS:
        text = output_text(render_sections(kind, teryt, area, year, str(tmp_path)))
        for table in set(REPORT_TABLES[kind]) - {"contracts"}:
            assert "brak danych: " in text and _(SOURCES[table]) in text, (kind, table)
        assert "i zaimportuj ponownie" in text


@pytest.mark.parametrize(("kind", "area", "year", "reason"), [
    ("ex_post", "sport", 2025, "nie było kontraktu wieloletniego"),
    ("on_going", "kultura", 2020, "do 2020 r. nie było kontraktu wieloletniego"),
    ("ex_ante", "kultura", 2024, "objęty kontraktem wieloletnim"),
    ("ex_post", "kultura", 2024, "nie zakończył się do 2024 r."),
])
def test_an_impossible_stage_area_year_gives_a_message_and_no_recommendation(
    demo: DemoSummary, kind: str, area: str, year: int, reason: str
) -> None:
    # Łapy: sport on annual grants throughout; kultura on a multi-year contract 2022–2025.
    outputs = render_sections(kind, "2002063", area, year, str(demo.store_dir))
    text = output_text(outputs)
    assert "Ten raport nie może ocenić wybranego obszaru i roku." in text
    assert reason in text
    assert "Rekomendacja według reguł" not in text
    assert "Rekomendacja: " not in text
    assert "Lista kontrolna decyzji" not in text
    assert not any('class="findings"' in str(b.get("text/html", "")) for b in outputs)


def _siemiatycze_store(store: Store, out: Path) -> None:
    """Contracts and costs only, for Siemiatycze (outside the pilots): Łapy's, relabelled."""
    source = "2002063"
    contracts = store.contracts[store.contracts["teryt"] == source].copy()
    ids = {cid: cid.replace(source, "2010092", 1) for cid in contracts["contract_id"]}
    contracts["teryt"] = "2010092"
    contracts["contract_id"] = contracts["contract_id"].map(ids)
    finance = store.finance[store.finance["contract_id"].isin(ids)].copy()
    finance["contract_id"] = finance["contract_id"].map(ids)
    tables = {name: empty_table(name) for name in TABLES}
    tables["contracts"], tables["finance"] = contracts, finance
    write_store(tables, out, synthetic=True)


@pytest.mark.slow
def test_real_notebooks_render_contracts_and_costs_only_for_a_gmina_outside_the_pilots(
    demo_store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_dir, out = tmp_path / "store", tmp_path / "reports"
    store_dir.mkdir()
    _siemiatycze_store(demo_store, store_dir)
    common = ["--store", str(store_dir), "--out", str(out), "--format", "html", "--jobs", "1"]
    runs = [
        ["--gmina", "2010092", "--stage", "ex_ante,ex_post,gmina_overview",
         "--area", "sport,kultura", "--year", "2025"],
        ["--gmina", "2010092", "--stage", "on_going", "--area", "kultura", "--year", "2024"],
        ["--stage", "benchmark", "--area", "kultura", "--year", "2025"],
    ]
    for run in runs:
        assert main(["report", *run, *common]) in (0, 1), capsys.readouterr().err
    err = capsys.readouterr().err
    assert "Traceback" not in err
    pages = {page.relative_to(out).as_posix(): page.read_text(encoding="utf-8")
             for page in out.rglob("*.html") if page.name != "index.html"}
    kinds = {"ex_ante", "on_going", "ex_post", "gmina_overview", "benchmark"}
    assert kinds <= {part for name in pages for part in Path(name).parts}, sorted(pages)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    statuses = {stem: entry["status"] for stem, entry in manifest["reports"].items()}
    assert len(statuses) == len(kinds) and set(statuses.values()) == {"ok"}, statuses
    for name, page in pages.items():
        shown = visible_text(page)
        assert "Traceback" not in shown and not re.search(r"\w+(Error|Exception)\b", shown), name
        assert "i zaimportuj ponownie" in page, name
        if "benchmark" not in name:
            # Only contracts and costs: the surveys are named as missing in every gmina report.
            assert _(SOURCES["survey_responses"]) in page, name


def _contracts(*rows: tuple[str, int, int]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["mode", "start_year", "end_year"])


@pytest.mark.parametrize(("stage", "year", "fits"), [
    ("ex_post", 2025, True), ("ex_post", 2026, False), ("ex_post", 2024, False),
    ("on_going", 2022, True), ("on_going", 2021, False), ("ex_ante", 2021, True),
    ("ex_ante", 2023, False),
])
def test_stage_fit_rules(stage: str, year: int, fits: bool) -> None:
    # Annual grants 2019–2021, then a multi-year contract 2022–2025.
    contracts = _contracts(("annual_grant", 2019, 2019), ("annual_grant", 2020, 2020),
                           ("annual_grant", 2021, 2021), ("multi_year", 2022, 2025))
    message = mismatch_text(stage, "Sport", year, contracts)
    assert (message is None) == fits, message
    if stage == "ex_post" and year == 2026:
        assert message is not None and "wybierz rok 2025" in message


def test_overview_without_cooperation_data_names_the_gap_where_the_chart_would_be(
    demo_store: Store, tmp_path: Path
) -> None:
    dropped = frozenset({"cooperation_checklist", "cooperation_survey"})
    write_store(subset(demo_store, dropped=dropped, years=frozenset(), area=None,
                       survey_cap=None), tmp_path, synthetic=True)
    teryt = min(set(demo_store.contracts["teryt"]))
    outputs = render_sections("gmina_overview", teryt, None, 2025, str(tmp_path))
    texts = [output_text([bundle]) for bundle in outputs]
    start = next(i for i, t in enumerate(texts) if _("Model współpracy (cała gmina)") in t)
    end = next(i for i, t in enumerate(texts) if _("Aneks metodologiczny") in t)
    section = outputs[start:end]
    assert "brak danych: " in output_text(section).lower()
    assert _(SOURCES["cooperation_checklist"]) in output_text(section)
    assert not any("image/png" in bundle for bundle in section), "an empty chart is drawn"
