"""Specification of the synthetic demo data generator (wkus_lib.demo)."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wkus_lib.demo import (
    DELIBERATE_PROBLEMS,
    DEMO_TERYT,
    SYNTHETIC_MARK,
    DemoSummary,
    generate_tables,
    synthetic_gminy,
    write_demo,
)
from wkus_lib.domain import AREA_IDS, PILOT_TERYT, is_valid_teryt
from wkus_lib.schemas import TABLES
from wkus_lib.store import read_manifest, read_store, validate_table

SEED = 2024


@pytest.fixture(scope="module")
def pilot() -> dict[str, pd.DataFrame]:
    return generate_tables(SEED)


@pytest.fixture(scope="module")
def clean() -> dict[str, pd.DataFrame]:
    """The demo gminy (pilots and Sopot) without the deliberate problems."""
    return generate_tables(SEED, deliberate_problems=False)


@pytest.fixture(scope="module")
def regional() -> dict[str, pd.DataFrame]:
    """200 synthetic gminy: enough contract-years for average effects."""
    return generate_tables(5, synthetic_gminy(200, seed=5))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    root = tmp_path_factory.mktemp("demo")
    return write_demo(root / "raw", root / "store", seed=SEED)


def _problems(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    found = [validate_table(n, f, f"{n}.csv").problems for n, f in tables.items()]
    return pd.concat([p for p in found if len(p)], ignore_index=True) if any(
        len(p) for p in found) else pd.DataFrame(columns=["file", "row", "column", "value"])


def _with_contract(frame: pd.DataFrame, contracts: pd.DataFrame) -> pd.DataFrame:
    return frame.merge(contracts[["contract_id", "teryt", "area", "mode"]], on="contract_id")


def _totals(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Cost per contract-year with clients served and treatment flags."""
    finance = _with_contract(tables["finance"], tables["contracts"])
    total = finance.groupby(["contract_id", "year", "teryt", "area", "mode"],
                            as_index=False)[["planned", "actual"]].sum()
    out = total.merge(tables["beneficiaries"], on=["contract_id", "year"])
    out["treated"] = out.groupby(["teryt", "area"])["mode"].transform(
        lambda m: bool((m == "multi_year").any()))
    out["post"] = out["year"] >= 2022
    return out


# --- shape, schema, determinism -------------------------------------------


def test_every_schema_table_with_exact_columns(pilot: dict[str, pd.DataFrame]) -> None:
    assert list(pilot) == list(TABLES)
    for name, frame in pilot.items():
        assert tuple(frame.columns) == tuple(TABLES[name].to_schema().columns), name
        assert len(frame) > 0, name


def test_string_columns_use_the_pandas_string_dtype(pilot: dict[str, pd.DataFrame]) -> None:
    survey = pilot["survey_responses"]
    for column in ("teryt", "area", "instrument", "respondent_id", "item_id"):
        assert survey[column].dtype == "str"
    assert survey["answer"].dtype == "Int8"
    assert pilot["standard_checklist"]["jst_confirmed"].dtype == "boolean"


def test_same_seed_gives_identical_frames(pilot: dict[str, pd.DataFrame]) -> None:
    again = generate_tables(SEED)
    for name in TABLES:
        pd.testing.assert_frame_equal(pilot[name], again[name])


def test_different_seed_gives_different_data(pilot: dict[str, pd.DataFrame]) -> None:
    other = generate_tables(SEED + 1)
    assert not pilot["finance"].equals(other["finance"])
    assert not pilot["survey_responses"].equals(other["survey_responses"])


def test_year_range_is_respected() -> None:
    tables = generate_tables(3, synthetic_gminy(10, seed=3), first_year=2020, last_year=2023)
    assert set(tables["finance"]["year"]) == {2020, 2021, 2022, 2023}
    assert tables["survey_responses"]["year"].min() == 2021
    assert tables["cooperation_survey"]["year"].min() == 2021
    assert set(tables["needs"]["year"]) == {2021}


def test_invalid_arguments_are_refused() -> None:
    with pytest.raises(ValueError):
        generate_tables(-1)
    with pytest.raises(ValueError):
        generate_tables(1, first_year=2025, last_year=2019)
    with pytest.raises(ValueError):
        synthetic_gminy(-1, seed=1)


# --- deliberate problems ----------------------------------------------------


def test_only_the_deliberate_problems_fail_validation(pilot: dict[str, pd.DataFrame]) -> None:
    problems = _problems(pilot)
    bad_rows = problems[["file", "row"]].drop_duplicates()
    assert len(bad_rows) == 5
    assert sorted(bad_rows["file"]) == sorted(
        f"{p.table}.csv" for p in DELIBERATE_PROBLEMS if not p.in_store
    )
    found = {(r.file, r.column, r.value) for r in problems.itertuples()}
    assert ("survey_responses.csv", "answer", "6") in found
    assert ("cooperation_survey.csv", "answer", "0") in found
    negative = problems[problems["file"] == "finance.csv"]
    assert list(negative["column"]) == ["actual"] and float(negative["value"].iloc[0]) < 0
    teryt = problems[problems["file"] == "procedure_costs.csv"]
    assert list(teryt["column"]) == ["teryt"] and re.fullmatch(r"\d{6}", teryt["value"].iloc[0])
    contract = problems[problems["file"] == "contracts.csv"]
    assert list(contract["column"]) == ["start_year, end_year"]
    years = dict(part.split("=") for part in contract["value"].iloc[0].split(", "))
    assert int(years["end_year"]) < int(years["start_year"])


def test_no_problems_outside_pilot_mode(clean: dict[str, pd.DataFrame]) -> None:
    assert len(_problems(clean)) == 0
    assert len(_problems(generate_tables(8, synthetic_gminy(20, seed=8)))) == 0


def test_problems_can_be_forced_for_other_gminy() -> None:
    tables = generate_tables(8, synthetic_gminy(20, seed=8), deliberate_problems=True)
    assert len(_problems(tables)[["file", "row"]].drop_duplicates()) == 5


def test_duplicate_respondent_is_valid_and_present(
    pilot: dict[str, pd.DataFrame], clean: dict[str, pd.DataFrame]
) -> None:
    def repeated(frame: pd.DataFrame) -> int:
        return int(frame.groupby(["respondent_id", "item_id"]).size().max())

    assert repeated(clean["survey_responses"]) == 1
    survey = pilot["survey_responses"]
    assert repeated(survey) == 2
    per_item = survey.groupby(["respondent_id", "item_id"]).size()
    twice = per_item[per_item == 2].index.get_level_values(0).unique()
    assert len(twice) == 1
    rows = survey[survey["respondent_id"] == twice[0]]
    assert set(rows["instrument"]) == {"klient"}
    first, second = rows.iloc[: len(rows) // 2], rows.iloc[len(rows) // 2:]
    assert list(first["answer"]) == list(second["answer"])


# --- gminy, areas, contracts -------------------------------------------------


def test_all_pilot_gminy_present(pilot: dict[str, pd.DataFrame]) -> None:
    for name in ("contracts", "survey_responses", "cooperation_checklist",
                 "cooperation_survey", "needs"):
        assert set(pilot[name]["teryt"]) >= set(DEMO_TERYT), name


def test_funded_and_multi_year_areas_per_gmina(regional: dict[str, pd.DataFrame]) -> None:
    contracts = regional["contracts"]
    per_gmina = contracts.groupby("teryt").agg(
        funded=("area", "nunique"),
        multi=("area", lambda a: a[contracts.loc[a.index, "mode"] == "multi_year"].nunique()),
    )
    assert per_gmina["funded"].between(3, 6).all()
    assert per_gmina["multi"].between(2, 4).all()
    assert (per_gmina["multi"] < per_gmina["funded"]).all()
    share = contracts.drop_duplicates(["teryt", "area"])["area"].value_counts(normalize=True)
    assert share.get("planowanie", 0.0) < 0.03
    assert share["pomoc_spoleczna"] > share["samorzadnosc"]


def test_pilot_gminy_have_multi_year_in_some_but_not_all_areas(
    clean: dict[str, pd.DataFrame],
) -> None:
    contracts = clean["contracts"]
    for teryt in PILOT_TERYT:
        own = contracts[contracts["teryt"] == teryt]
        multi = set(own.loc[own["mode"] == "multi_year", "area"])
        assert 2 <= len(multi) < own["area"].nunique(), teryt


def test_annual_baseline_precedes_multi_year(clean: dict[str, pd.DataFrame]) -> None:
    contracts = clean["contracts"]
    annual = contracts[contracts["mode"] == "annual_grant"]
    multi = contracts[contracts["mode"] == "multi_year"]
    assert (annual["start_year"] == annual["end_year"]).all()
    assert ((multi["start_year"] == 2022) & (multi["end_year"] == 2025)).all()
    assert (multi["contract_id"] == multi["teryt"] + "/" + multi["area"] + "/2022").all()
    for row in multi.itertuples():
        before = annual[(annual["teryt"] == row.teryt) & (annual["area"] == row.area)]
        assert sorted(before["start_year"]) == [2019, 2020, 2021]
    # one contract per funded area and year; comparison areas stay annual to 2025
    years = clean["beneficiaries"].merge(contracts, on="contract_id")
    assert not years.duplicated(["teryt", "area", "year"]).any()
    treated = set(zip(multi["teryt"], multi["area"], strict=True))
    comparison = annual[[(t, a) not in treated
                         for t, a in zip(annual["teryt"], annual["area"], strict=True)]]
    assert comparison["start_year"].max() == 2025
    multi_years = years[years["mode"] == "multi_year"].groupby("contract_id")["year"].apply(list)
    assert all(y == [2022, 2023, 2024, 2025] for y in multi_years)


def test_ngo_names_belong_to_one_gmina(
    pilot: dict[str, pd.DataFrame], regional: dict[str, pd.DataFrame]
) -> None:
    for tables in (pilot, regional):
        owners = tables["contracts"].groupby("ngo_name")["teryt"].nunique()
        assert (owners == 1).all(), owners[owners > 1]
    names = set(pilot["contracts"]["ngo_name"])
    assert "Stowarzyszenie Przyjaciół Ziemi Mońkowskiej" in names or any(
        "Mońk" in n or "Mońki" in n for n in names)
    assert any(n.startswith(("Fundacja", "Stowarzyszenie", "Klub", "Parafialny Zespół Caritas",
                             "Uczniowski Klub", "Ludowy Klub")) for n in names)


def test_contract_level_tables_reference_known_contracts(clean: dict[str, pd.DataFrame]) -> None:
    ids = set(clean["contracts"]["contract_id"])
    for name in ("finance", "contributions", "results", "beneficiaries", "standard_checklist"):
        assert set(clean[name]["contract_id"]) <= ids, name


# --- money, results, beneficiaries -----------------------------------------


def test_finance_is_realistic(clean: dict[str, pd.DataFrame]) -> None:
    finance = clean["finance"]
    assert set(finance["category"]) == {"dzialania", "administracyjne"}
    assert {"dotacja", "srodki_wlasne"} <= set(finance["source"])
    assert (finance["planned"] > 0).all()
    execution = finance["actual"] / finance["planned"]
    assert execution.between(0.85, 1.05).all()
    by_cy = finance.groupby(["contract_id", "year"])
    admin = finance[finance["category"] == "administracyjne"].groupby(
        ["contract_id", "year"])["planned"].sum() / by_cy["planned"].sum()
    assert admin.between(0.045, 0.155).all()
    grant = finance[finance["source"] == "dotacja"].groupby(
        ["contract_id", "year"])["planned"].sum() / by_cy["planned"].sum()
    assert grant.min() >= 0.6 and grant.mean() > 0.75


def test_social_assistance_is_the_biggest_budget(regional: dict[str, pd.DataFrame]) -> None:
    totals = _totals(regional)
    per_area = totals.groupby("area")["planned"].median()
    assert per_area.idxmax() == "pomoc_spoleczna"


def test_budgets_scale_with_population() -> None:
    gminy = synthetic_gminy(150, seed=9)
    totals = _totals(generate_tables(9, gminy))
    population = pd.Series({g.teryt: g.population for g in gminy})
    per_gmina = totals.groupby("teryt")["planned"].sum()
    rho = np.corrcoef(np.log(per_gmina), np.log(population[per_gmina.index]))[0, 1]
    assert rho > 0.7


def test_contributions(clean: dict[str, pd.DataFrame]) -> None:
    contributions = clean["contributions"]
    personal = contributions[contributions["kind"] == "osobowy"]
    assert personal["hourly_rate"].between(30, 45).all()
    np.testing.assert_allclose(personal["value"], personal["volunteer_hours"]
                               * personal["hourly_rate"])
    in_kind = contributions[contributions["kind"] == "rzeczowy"]
    assert len(in_kind) > 0 and in_kind["volunteer_hours"].isna().all()


def test_results(clean: dict[str, pd.DataFrame]) -> None:
    results = clean["results"]
    per_cy = results.groupby(["contract_id", "year"]).size()
    assert per_cy.between(2, 3).all()
    assert {"osoby", "godziny"} <= set(results["unit"])
    assert results["achieved"].isna().sum() >= 1
    achievement = (results["achieved"] / results["target"]).dropna()
    assert achievement.between(0.70, 1.15).all()
    served = results[results["result_id"] == "R1"].merge(
        clean["beneficiaries"], on=["contract_id", "year"]).dropna(subset=["achieved"])
    assert (served["achieved"] == served["clients_served"]).all()


def test_beneficiaries(clean: dict[str, pd.DataFrame]) -> None:
    b = clean["beneficiaries"]
    assert b["complaints"].between(0, 5).all()
    assert b["staff_count"].between(2, 15).all()
    assert (b["staff_left"] <= b["staff_count"]).all()


def test_multi_year_is_modestly_better_on_average(regional: dict[str, pd.DataFrame]) -> None:
    totals = _totals(regional)
    totals["log_unit_cost"] = np.log(totals["actual"] / totals["clients_served"])
    cell = totals.groupby(["treated", "post"])["log_unit_cost"].mean()
    did = (cell[True, True] - cell[True, False]) - (cell[False, True] - cell[False, False])
    assert -0.25 < did < -0.02
    staff = totals.groupby(["treated", "post"])[["staff_left", "staff_count"]].sum()
    turnover = staff["staff_left"] / staff["staff_count"]
    assert turnover[True, True] < turnover[False, True]
    results = regional["results"].merge(totals[["contract_id", "year", "treated", "post"]],
                                        on=["contract_id", "year"])
    achievement = (results["achieved"] / results["target"]).groupby(
        [results["treated"], results["post"]]).mean()
    assert achievement[True, True] > achievement[False, True]
    # noisy: some multi-year contract-years are costlier than their own baseline
    assert (totals.loc[totals["treated"] & totals["post"], "log_unit_cost"]
            > cell[True, False]).any()


def test_needs_and_procedure_costs(clean: dict[str, pd.DataFrame]) -> None:
    needs = clean["needs"]
    funded = clean["contracts"].drop_duplicates(["teryt", "area"])
    assert len(needs) == len(funded) and set(needs["year"]) == {2021}
    costs = clean["procedure_costs"]
    assert len(costs) == len(DEMO_TERYT) * 7
    assert costs["contest_staff_hours"].between(40, 90).all()
    assert costs["hourly_rate"].between(45, 70).all()
    assert costs["other_costs"].between(200, 1500).all()


# --- surveys -------------------------------------------------------------------


def test_small_client_samples_exist(clean: dict[str, pd.DataFrame]) -> None:
    survey = clean["survey_responses"]
    groups = survey.groupby(["teryt", "area", "year", "instrument"])["respondent_id"].nunique()
    klient = groups.xs("klient", level="instrument")
    assert (klient < 5).any() and (klient >= 5).any()
    assert klient.min() >= 3
    assert groups.xs("personel", level="instrument").max() <= 10
    assert (groups.xs("samoocena", level="instrument") == 1).all()
    funded = clean["contracts"].drop_duplicates(["teryt", "area"])
    assert len(klient) == len(funded) * 5  # every funded area, 2021–2025


def test_bigger_gminy_have_bigger_client_samples(regional: dict[str, pd.DataFrame]) -> None:
    survey = regional["survey_responses"]
    klient = survey[survey["instrument"] == "klient"].groupby("teryt")["respondent_id"].nunique()
    areas = regional["contracts"].groupby("teryt")["area"].nunique()
    per_group = klient / areas[klient.index]
    population = pd.Series({g.teryt: g.population for g in synthetic_gminy(200, seed=5)})
    assert np.corrcoef(np.log(per_group), np.log(population[per_group.index]))[0, 1] > 0.3


def test_respondent_ids_are_pseudonymous_and_unique(clean: dict[str, pd.DataFrame]) -> None:
    survey, coop = clean["survey_responses"], clean["cooperation_survey"]
    ids = pd.concat([survey["respondent_id"], coop["respondent_id"]])
    assert ids.str.fullmatch(r"R-[0-9a-f]{6}").all()
    keys = ["teryt", "area", "year", "instrument"]
    assert (survey.groupby("respondent_id")[keys].nunique() == 1).all().all()
    assert not set(survey["respondent_id"]) & set(coop["respondent_id"])
    comments = clean["survey_comments"]
    assert set(comments["respondent_id"]) <= set(survey["respondent_id"])


def test_missing_answers_and_straight_liners(clean: dict[str, pd.DataFrame]) -> None:
    survey = clean["survey_responses"]
    assert 0.03 < survey["answer"].isna().mean() < 0.07
    klient = survey[survey["instrument"] == "klient"]
    spread = klient.groupby("respondent_id")["answer"].agg(["nunique", "count"])
    assert ((spread["nunique"] == 1) & (spread["count"] == 11)).sum() >= 2


def test_reverse_keyed_items_agree_after_recoding(clean: dict[str, pd.DataFrame]) -> None:
    survey = clean["survey_responses"]
    wide = survey[survey["instrument"] == "klient"].pivot(
        index="respondent_id", columns="item_id", values="answer").astype(float)
    forward = wide[["k_sat1", "k_sat2", "k_ade1"]].mean(axis=1)
    assert forward.corr(wide["k_sat3"]) < -0.3
    assert forward.corr(6 - wide["k_pod4"]) > 0.3


def test_self_assessment_is_inflated(clean: dict[str, pd.DataFrame]) -> None:
    survey = clean["survey_responses"]
    mean = survey.groupby("instrument")["answer"].mean()
    assert mean["samoocena"] > mean["klient"] + 0.4


def test_comments_are_polish_free_text(clean: dict[str, pd.DataFrame]) -> None:
    comments = clean["survey_comments"]
    per_group = comments.groupby(["teryt", "area", "year"]).size()
    assert per_group.between(1, 4).all()
    assert comments["text"].str.contains("[ąćęłńóśźż]", regex=True).any()


def test_standard_checklist(clean: dict[str, pd.DataFrame]) -> None:
    checklist = clean["standard_checklist"]
    beneficiaries = _with_contract(clean["beneficiaries"], clean["contracts"])
    multi = beneficiaries[beneficiaries["mode"] == "multi_year"]
    per_cy = checklist.groupby(["contract_id", "year"])["requirement_id"].nunique()
    assert len(per_cy) == len(multi) and (per_cy == 8).all()
    assert checklist["self_met"].mean() > 0.75
    confirmed = checklist["jst_confirmed"]
    assert confirmed.isna().any() and (~confirmed.dropna()).any()


def test_cooperation_checklist(clean: dict[str, pd.DataFrame]) -> None:
    checklist = clean["cooperation_checklist"]
    assert (checklist.groupby(["teryt", "year"]).size() == 15).all()
    values = checklist.pivot_table(index=["teryt", "year"], columns="item_id", values="value")
    binary = [c for c in values.columns if not c.startswith(("w3_", "w4_konsultacje"))]
    assert values[binary].isin([0.0, 1.0]).all().all()
    assert values["w3_udzial_wydatkow"].between(0.005, 0.03).all()
    assert values["w3_organizacje_na_1000"].between(0.3, 2).all()
    assert values["w4_konsultacje"].between(0, 8).all()
    multi_share = values["w3_udzial_wieloletnich"]
    years = multi_share.index.get_level_values("year")
    assert (multi_share[years < 2022] == 0).all() and (multi_share[years >= 2022] > 0).all()


def test_cooperation_survey_has_a_perception_gap(regional: dict[str, pd.DataFrame]) -> None:
    survey = regional["cooperation_survey"]
    sizes = survey.groupby(["teryt", "year", "group"])["respondent_id"].nunique()
    assert sizes.xs("jst", level="group").between(3, 8).all()
    assert sizes.xs("ngo", level="group").between(4, 15).all()
    score = survey["answer"].astype(float).where(survey["item_id"] != "c_sat3",
                                                 6 - survey["answer"].astype(float))
    mean = score.groupby(survey["group"]).mean()
    assert 0.05 < mean["jst"] - mean["ngo"] < 0.6


# --- synthetic gminy -------------------------------------------------------------


def test_synthetic_gminy_are_valid_and_distinct_from_pilots() -> None:
    gminy = synthetic_gminy(2477, seed=1)
    codes = [g.teryt for g in gminy]
    assert len(set(codes)) == 2477 and all(is_valid_teryt(c) for c in codes)
    assert not set(codes) & set(DEMO_TERYT)
    assert not {c[:6] for c in codes} & {c[:6] for c in DEMO_TERYT}
    assert len({g.name for g in gminy}) == 2477
    population = np.array([g.population for g in gminy])
    assert population.min() >= 1500 and population.max() <= 200_000
    assert np.median(population) < 15_000 < population.mean() * 1.5
    assert all(g.gmina_type in ("miejska", "wiejska", "miejsko-wiejska") for g in gminy)
    assert synthetic_gminy(30, seed=1) == synthetic_gminy(30, seed=1)
    assert synthetic_gminy(30, seed=1) != synthetic_gminy(30, seed=2)


@settings(max_examples=25, deadline=None)
@given(count=st.integers(0, 400), seed=st.integers(0, 2**32 - 1))
def test_synthetic_gminy_property(count: int, seed: int) -> None:
    gminy = synthetic_gminy(count, seed=seed)
    assert len(gminy) == count
    assert len({g.teryt for g in gminy}) == count
    assert all(is_valid_teryt(g.teryt) and g.teryt not in DEMO_TERYT for g in gminy)
    assert all(g.teryt[-1] == {"miejska": "1", "wiejska": "2", "miejsko-wiejska": "3"}[
        g.gmina_type] for g in gminy)


# --- write_demo --------------------------------------------------------------------


def test_write_demo_builds_a_synthetic_store(demo: DemoSummary) -> None:
    store = read_store(demo.store_dir)
    assert store.synthetic
    assert store.data_hash == demo.data_hash
    manifest = read_manifest(demo.store_dir)
    assert manifest["note"] == f"dane syntetyczne, seed {SEED}"
    for name, frame in store.tables().items():
        assert len(frame) == demo.rows[name], name
    assert set(store.contracts["teryt"]) == set(DEMO_TERYT)
    assert (store.contracts["end_year"] >= store.contracts["start_year"]).all()
    assert store.survey_responses["answer"].between(1, 5).all()
    assert (store.finance["actual"].dropna() >= 0).all()
    # the duplicate respondent is valid data: it stays in the store
    assert store.survey_responses.groupby(["respondent_id", "item_id"]).size().max() == 2
    assert set(store.contracts["area"]) <= set(AREA_IDS)


def test_write_demo_raw_files_and_readme(demo: DemoSummary) -> None:
    files = {p.relative_to(demo.raw_dir).as_posix() for p in demo.raw_dir.rglob("*")
             if p.is_file()}
    interviews = {f"wywiady/2264011-sopot-pomoc_spoleczna-2025-{scenario}.xlsx"
                  for scenario in ("personel_grupowy", "klient_indywidualny")}
    assert files == {f"{name}.csv" for name in TABLES} | {"README.txt"} | interviews
    readme = (demo.raw_dir / "README.txt").read_text(encoding="utf-8")
    assert all(path in readme for path in interviews)
    assert readme.startswith(f"{SYNTHETIC_MARK} — wygenerowane, seed {SEED}")
    for problem in DELIBERATE_PROBLEMS:
        assert problem.description in readme
    raw = pd.read_csv(demo.raw_dir / "contracts.csv", dtype=str, encoding="utf-8")
    assert "Mońki" in " ".join(raw["title"])


def test_problems_csv_points_at_the_raw_rows(demo: DemoSummary) -> None:
    problems = pd.read_csv(demo.store_dir / "problems.csv", dtype=str, encoding="utf-8")
    assert list(problems.columns) == ["file", "row", "column", "value", "problem"]
    assert problems[["file", "row", "column", "value", "problem"]].notna().all().all()
    assert len(problems[["file", "row"]].drop_duplicates()) == 5
    for record in problems.to_dict("records"):
        raw = pd.read_csv(demo.raw_dir / str(record["file"]), dtype=str, keep_default_na=False)
        row = raw.loc[int(record["row"]) - 2]
        columns = str(record["column"]).split(", ")
        if len(columns) == 1:
            assert row[columns[0]] == record["value"]
        else:  # a row-level check names the compared columns and their values
            assert record["value"] == ", ".join(f"{c}={row[c]}" for c in columns)
    assert len(demo.problems) == len(problems)


def test_write_demo_is_byte_identical(demo: DemoSummary, tmp_path: Path) -> None:
    again = write_demo(tmp_path / "raw", tmp_path / "store", seed=SEED)
    for path in (p for p in demo.raw_dir.rglob("*") if p.is_file()):
        name = path.relative_to(demo.raw_dir)
        assert (tmp_path / "raw" / name).read_bytes() == path.read_bytes(), name
    assert again.data_hash == demo.data_hash


def test_summary_text_is_polish(demo: DemoSummary) -> None:
    text = demo.describe()
    assert text.startswith(f"{SYNTHETIC_MARK} — wygenerowane, seed {SEED}")
    assert "Pominięte błędne wiersze: 5" in text


# --- scale ------------------------------------------------------------------------


def test_national_scale_smoke() -> None:
    gminy = synthetic_gminy(50, seed=11)
    tables = generate_tables(11, gminy, first_year=2020, last_year=2025)
    assert set(tables["contracts"]["teryt"]) == {g.teryt for g in gminy}
    assert tables["survey_responses"]["answer"].dropna().between(1, 5).all()
    assert len(_problems(tables)) == 0


@pytest.mark.slow
def test_national_benchmark_size_and_speed() -> None:
    started = time.perf_counter()
    gminy = synthetic_gminy(2477, seed=1)
    tables = generate_tables(1, gminy, first_year=2020, last_year=2025)
    elapsed = time.perf_counter() - started
    assert elapsed < 60
    survey = tables["survey_responses"]
    assert 3_000_000 < len(survey) < 15_000_000
    assert survey["teryt"].nunique() == 2477
    memory = sum(int(f.memory_usage(deep=True).sum()) for f in tables.values())
    assert memory < 3 * 2**30
    owners = tables["contracts"].groupby("ngo_name")["teryt"].nunique()
    assert (owners == 1).all()
