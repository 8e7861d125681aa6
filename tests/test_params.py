"""Report parameters: a batch request is expanded and validated before any kernel starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wkus_lib import domain
from wkus_lib.batch.params import BatchRequest, ReportParams, resolve_batch, validate_params
from wkus_lib.demo import DemoSummary
from wkus_lib.errors import ParameterError
from wkus_lib.store import read_store

YEAR = 2024


def test_all_expands_to_every_gmina_of_the_store_stage_area_overview_and_benchmark() -> None:
    in_store = [*domain.PILOT_TERYT, "2264011"]
    specs = resolve_batch("all", "all", "all", year=YEAR, store_dir="/data/store",
                          in_store=in_store)
    gminy, stages, areas = len(in_store), len(domain.STAGE_IDS), len(domain.AREA_IDS)
    assert len(specs) == gminy * stages * areas + gminy + areas
    assert len({s.output_stem for s in specs}) == len(specs)
    assert {s.parameters["teryt"] for s in specs} == {*in_store, None}


def test_all_reads_the_gminy_of_the_store_when_not_given(demo: DemoSummary) -> None:
    specs = resolve_batch("all", "gmina_overview", year=YEAR, store_dir=demo.store_dir)
    in_store = set(read_store(demo.store_dir).contracts["teryt"])
    assert {s.parameters["teryt"] for s in specs} == in_store


def test_output_layout_is_gmina_then_stage_then_area() -> None:
    specs = resolve_batch(
        "2002063", "on_going,gmina_overview,benchmark", "sport", year=YEAR, store_dir="/d"
    )
    assert [s.output_stem for s in specs] == [
        "2002063-lapy/on_going/sport",
        "2002063-lapy/gmina_overview/gmina",
        "benchmark/sport",
    ]
    assert [s.notebook for s in specs] == [
        "on_going.ipynb", "gmina_overview.ipynb", "benchmark.ipynb"
    ]
    assert specs[0].group == (
        "Łapy (2002063)", "Ocena bieżąca (on-going)", "Sport i kultura fizyczna"
    )


def test_teryt_with_leading_zero_stays_a_string() -> None:
    [spec] = resolve_batch("0201011", "ex_post", "kultura", year=YEAR, store_dir="/d")
    assert spec.parameters["teryt"] == "0201011"
    assert json.loads(spec.parameters_json())["teryt"] == "0201011"
    assert spec.output_stem == "0201011-boleslawiec/ex_post/kultura"


def test_unknown_gmina_names_the_gminy_of_the_store_not_the_whole_registry() -> None:
    with pytest.raises(ParameterError) as error:
        resolve_batch("2099991", "on_going", "sport", year=YEAR, store_dir="/d",
                      in_store=["2013023", "2002063"])
    message = str(error.value)
    assert message.startswith("Nieznany kod TERYT gminy „2099991”")
    assert message.endswith("Gminy z danymi w magazynie: Łapy (2002063), Ciechanowiec (2013023).")


def test_ambiguous_gmina_name_lists_the_candidates() -> None:
    with pytest.raises(ParameterError, match="0201011 Bolesławiec .*0201022 Bolesławiec"):
        resolve_batch("Bolesławiec", "on_going", "sport", year=YEAR, store_dir="/d")


def test_a_gmina_outside_the_pilots_is_accepted() -> None:
    [spec] = resolve_batch("Sopot", "ex_post", "pomoc_spoleczna", year=YEAR, store_dir="/d")
    assert spec.output_stem == "2264011-sopot/ex_post/pomoc_spoleczna"


def test_unknown_area_names_the_valid_areas() -> None:
    with pytest.raises(ParameterError, match="Nieznany obszar „sportowy”. Dostępne: edukacja"):
        resolve_batch("2013023", "on_going", "sportowy", year=YEAR, store_dir="/d")


def test_unknown_stage_names_the_valid_stages() -> None:
    with pytest.raises(ParameterError) as error:
        resolve_batch("2013023", "ewaluacja", "sport", year=YEAR, store_dir="/d")
    message = str(error.value)
    assert message.startswith("Nieznany etap „ewaluacja”.")
    for stage in ("ex_ante", "on_going", "ex_post", "gmina_overview", "benchmark"):
        assert stage in message


def test_integer_teryt_is_restored_to_its_code() -> None:
    specs = resolve_batch([2013023, 201011], "on_going", "sport", year=YEAR,  # type: ignore[list-item]
                          store_dir="/d")
    assert [s.parameters["teryt"] for s in specs] == ["2013023", "0201011"]


def test_missing_area_for_a_stage_report_is_refused() -> None:
    with pytest.raises(ParameterError, match="Nie podano obszaru"):
        resolve_batch("2013023", "on_going", "", year=YEAR, store_dir="/d")


def test_gmina_overview_needs_no_area() -> None:
    [spec] = resolve_batch("2013023", "gmina_overview", "", year=YEAR, store_dir="/d")
    assert spec.parameters["area"] is None


def test_year_outside_the_schema_range_is_refused_in_polish() -> None:
    with pytest.raises(ParameterError, match="year: wartość za mała"):
        resolve_batch("2013023", "on_going", "sport", year=1990, store_dir="/d")


def test_gmina_may_be_named_by_teryt_name_or_slug() -> None:
    specs = resolve_batch(
        "2002063, Turośń Kościelna, sokolka, Łapy, LAPY, turosn-koscielna", "ex_ante", "zdrowie",
        year=YEAR, store_dir="/d"
    )
    assert [s.parameters["teryt"] for s in specs] == ["2002063", "2002112", "2011083"]


def test_store_dir_is_made_absolute_because_kernels_run_in_the_notebooks_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    [spec] = resolve_batch("2013023", "on_going", "sport", year=YEAR, store_dir="data/store")
    assert spec.parameters["store_dir"] == str(tmp_path / "data" / "store")


def test_report_params_refuse_a_stage_report_without_area() -> None:
    with pytest.raises(ParameterError, match="wymaga obszaru"):
        validate_params({"teryt": "2013023", "area": None, "stage": "on_going",
                         "year": YEAR, "store_dir": "/d"})


def test_report_params_refuse_a_benchmark_tied_to_one_gmina() -> None:
    with pytest.raises(ParameterError, match="nie ma gminy"):
        validate_params({"teryt": "2013023", "area": "sport", "stage": "benchmark",
                         "year": YEAR, "store_dir": "/d"})


def test_report_params_refuse_a_malformed_teryt() -> None:
    with pytest.raises(ParameterError, match="niepoprawny kod TERYT „201301”"):
        validate_params({"teryt": "201301", "area": "sport", "stage": "on_going",
                         "year": YEAR, "store_dir": "/d"})


def test_report_params_carry_batch_defaults() -> None:
    params = ReportParams(teryt="2013023", area="sport", stage="on_going", year=YEAR,
                          store_dir="/d")
    assert params.lang == "pl"
    assert params.interactive is False


def test_batch_request_declared_as_data_resolves_like_the_function() -> None:
    request = BatchRequest.model_validate(
        {"gminy": ["2013023", "2010023"], "stages": "ex_post", "areas": ["sport"],
         "year": YEAR, "store_dir": "/d"}
    )
    assert [s.output_stem for s in request.resolve()] == [
        "2013023-ciechanowiec/ex_post/sport", "2010023-drohiczyn/ex_post/sport"
    ]
