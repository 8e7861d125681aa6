"""Partial data never crash a command, and what is missing is named.

Hypothesis draws random subsets of the demo store — whole tables emptied,
years or areas dropped from some tables, survey groups thinned below the
suppression threshold — writes each to a temporary store and runs ``wkus
check``, ``wkus indicators`` and ``wkus program`` through the CLI entry
point. Every run must end with exit status 0 or 1 (never a traceback), and
every table the gmina has no rows in must be named in the command's output.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.domain import AREA_IDS
from wkus_lib.evaluation.data_gaps import table_label
from wkus_lib.schemas import TABLES
from wkus_lib.store import Store, empty_table, read_store, write_store

GMINY = ("2003042", "2002063", "2009042")  # Boćki, Łapy, Puńsk
YEARS = tuple(range(2019, 2026))
SURVEY_TABLES = ("survey_responses", "cooperation_survey")


@dataclass(frozen=True)
class Subset:
    """How a drawn store differs from the demo store."""

    teryt: str
    dropped_tables: frozenset[str]
    dropped_years: frozenset[int]
    year_tables: frozenset[str]
    dropped_areas: frozenset[str]
    area_tables: frozenset[str]
    survey_cap: int | None


@pytest.fixture(scope="module")
def base(demo: DemoSummary) -> Store:
    return read_store(demo.store_dir)


subsets = st.builds(
    Subset,
    teryt=st.sampled_from(GMINY),
    dropped_tables=st.frozensets(st.sampled_from(sorted(TABLES)), max_size=5),
    dropped_years=st.frozensets(st.sampled_from(YEARS), max_size=4),
    year_tables=st.frozensets(st.sampled_from(
        sorted(n for n in TABLES if "year" in TABLES[n].to_schema().columns)), max_size=6),
    dropped_areas=st.frozensets(st.sampled_from(AREA_IDS), max_size=3),
    area_tables=st.frozensets(st.sampled_from(
        sorted(n for n in TABLES if "area" in TABLES[n].to_schema().columns)), max_size=4),
    survey_cap=st.one_of(st.none(), st.integers(min_value=1, max_value=4)),
)


def _capped(frame: pd.DataFrame, keys: list[str], cap: int) -> pd.DataFrame:
    """At most ``cap`` respondents per group: groups below the suppression threshold."""
    people = frame.drop_duplicates([*keys, "respondent_id"])
    kept = people.groupby(keys, sort=False).head(cap)[[*keys, "respondent_id"]]
    return frame.merge(kept, on=[*keys, "respondent_id"])


def derive(store: Store, subset: Subset) -> dict[str, pd.DataFrame]:
    """The drawn store: the gmina and one neighbour, then the subset's cuts."""
    keep = {subset.teryt, "2002143"}
    view = store.contracts[store.contracts["teryt"].isin(keep)]
    ids = set(view["contract_id"])
    tables: dict[str, pd.DataFrame] = {}
    for name, frame in store.tables().items():
        if "teryt" in frame.columns:
            frame = frame[frame["teryt"].isin(keep)]
        else:
            frame = frame[frame["contract_id"].isin(ids)]
        if name in subset.dropped_tables:
            frame = empty_table(name)
        if name in subset.year_tables:
            frame = frame[~frame["year"].isin(subset.dropped_years)]
        if name in subset.area_tables:
            frame = frame[~frame["area"].isin(subset.dropped_areas)]
        if subset.survey_cap is not None and name == "survey_responses":
            frame = _capped(frame, ["teryt", "area", "year", "instrument"], subset.survey_cap)
        if subset.survey_cap is not None and name == "cooperation_survey":
            frame = _capped(frame, ["teryt", "year", "group"], subset.survey_cap)
        tables[name] = frame.reset_index(drop=True)
    return tables


def run(arguments: list[str]) -> tuple[int, str]:
    """``wkus`` with these arguments: exit status and everything it printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(arguments)
    return code, out.getvalue() + err.getvalue()


def named_gaps(tables: dict[str, pd.DataFrame], teryt: str) -> list[str]:
    """Tables the gmina has no rows in (its contracts' rows for contract-level tables)."""
    ids = set(tables["contracts"].loc[tables["contracts"]["teryt"] == teryt, "contract_id"])
    empty = []
    for name, frame in tables.items():
        rows = frame[frame["teryt"] == teryt] if "teryt" in frame.columns else frame[
            frame["contract_id"].isin(ids)]
        if rows.empty:
            empty.append(name)
    return empty


@settings(max_examples=12, deadline=None, database=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(subset=subsets)
@example(subset=Subset(  # an ended contract without any traffic light: no recommendation
    teryt="2002063", dropped_tables=frozenset({"procedure_costs", "contributions", "results",
                                               "cooperation_checklist", "beneficiaries"}),
    dropped_years=frozenset({2025, 2020, 2021}),
    year_tables=frozenset({"results", "standard_checklist", "finance", "cooperation_checklist"}),
    dropped_areas=frozenset(), area_tables=frozenset(), survey_cap=None))
def test_any_subset_runs_every_command_and_names_what_is_missing(
    base: Store, subset: Subset
) -> None:
    tables = derive(base, subset)
    gaps = named_gaps(tables, subset.teryt)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_store(tables, root / "store", synthetic=True)
        store = str(root / "store")
        commands = {
            "check": ["check", "--gmina", subset.teryt, "--store", store],
            "indicators": ["indicators", "--gmina", subset.teryt, "--store", store,
                           "--out", str(root / "wskazniki.csv")],
            "program": ["program", "--gmina", subset.teryt, "--years", "2026-2029",
                        "--store", store, "--out", str(root / "program")],
        }
        for command, arguments in commands.items():
            code, printed = run(arguments)
            assert code in (0, 1), (command, printed[-2000:])
            assert "Traceback" not in printed
            if gaps:
                assert code == 1, (command, gaps)
            no_contracts = "contracts" in gaps
            if no_contracts and command != "program":
                # Without contracts the gmina has no data at all: said once, with the fix.
                assert "zaimportuj jej umowy" in printed, (command, printed[-2000:])
                continue
            for table in gaps:
                assert f"brak danych: {table_label(table)}" in printed, (command, table)


def test_a_late_report_is_named_by_every_command(base: Store) -> None:
    """The issue's case: the gmina's 2025 NGO reports (costs, results) have not arrived."""
    subset = Subset(teryt="2003042", dropped_tables=frozenset(), dropped_years=frozenset(),
                    year_tables=frozenset(), dropped_areas=frozenset(),
                    area_tables=frozenset(), survey_cap=None)
    tables = derive(base, subset)
    ids = set(tables["contracts"].loc[tables["contracts"]["teryt"] == "2003042",
                                      "contract_id"])
    for name in ("finance", "results"):
        frame = tables[name]
        tables[name] = frame[~(frame["contract_id"].isin(ids) & (frame["year"] == 2025))]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_store(tables, root / "store", synthetic=True)
        for arguments in (
            ["check", "--gmina", "2003042", "--store", str(root / "store")],
            ["indicators", "--gmina", "2003042", "--store", str(root / "store"),
             "--out", str(root / "w.csv")],
            ["program", "--gmina", "2003042", "--years", "2026-2029",
             "--store", str(root / "store"), "--out", str(root / "program")],
        ):
            code, printed = run(arguments)
            assert code == 1, printed[-2000:]
            assert "2025 r." in printed and "rezultaty" in printed, arguments[0]
        page = next((root / "program").rglob("*.html")).read_text(encoding="utf-8")
        assert "liczone z roku 2024" in page
        funds = page.split("Proponowane środki")[-1].split("</table>")[0]
        assert ">0\u00a0zł<" not in funds and "(2024 r.)" in funds


def test_contracts_and_costs_without_surveys_give_every_table(base: Store) -> None:
    """The issue's other case: a gmina with contracts and costs only (no surveys yet)."""
    subset = Subset(teryt="2003042", dropped_tables=frozenset(
        set(TABLES) - {"contracts", "finance"}), dropped_years=frozenset(),
        year_tables=frozenset(), dropped_areas=frozenset(), area_tables=frozenset(),
        survey_cap=None)
    tables = derive(base, subset)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_store(tables, root / "store", synthetic=True)
        code, printed = run(["indicators", "--gmina", "2003042", "--store",
                             str(root / "store"), "--out", str(root / "w.csv")])
        assert code == 1
        written = pd.read_csv(root / "w.csv", dtype={"teryt": str})
        assert set(written["teryt"]) == {"2003042"}
        assert {"E3", "E4"} <= set(written["indicator"])  # from costs alone
        assert "brak danych: ankiety usługowe" in printed


@pytest.mark.parametrize("arguments", [
    ["check", "--gmina", "2003042", "--year", "2030"],
    ["indicators", "--gmina", "2003042", "--year", "2030", "--out", "{out}"],
    ["indicators", "--gmina", "2003042", "--area", "promocja", "--out", "{out}"],
])
def test_an_asked_year_or_area_without_data_is_named(
    demo: DemoSummary, tmp_path: Path, arguments: list[str]
) -> None:
    filled = [a.replace("{out}", str(tmp_path / "w.csv")) for a in arguments]
    code, printed = run([*filled, "--store", str(demo.store_dir)])
    assert code == 1
    assert "2030" in printed or "Promocja" in printed
    assert "brak danych: rok 2030" in printed or "brak danych: obszar Promocja" in printed


def test_the_html_scorecard_lists_the_missing_data(base: Store, tmp_path: Path) -> None:
    subset = Subset(teryt="2009042", dropped_tables=frozenset({"survey_responses"}),
                    dropped_years=frozenset(), year_tables=frozenset(),
                    dropped_areas=frozenset(), area_tables=frozenset(), survey_cap=None)
    write_store(derive(base, subset), tmp_path / "store", synthetic=True)
    code, _printed = run(["check", "--gmina", "2009042", "--store", str(tmp_path / "store"),
                          "--out", str(tmp_path / "karta.html")])
    assert code == 1
    page = (tmp_path / "karta.html").read_text(encoding="utf-8")
    assert "<h2>Brakujące dane" in page
    assert "brak danych: ankiety usługowe (klient, personel, samoocena) (Puńsk, 2009042)" in page
