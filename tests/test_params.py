"""Report parameters: a batch request is expanded and validated before any kernel starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wkus_lib import domain
from wkus_lib.batch.params import BatchRequest, ReportParams, resolve_batch, validate_params
from wkus_lib.demo import DemoSummary
from wkus_lib.errors import InputError, ParameterError
from wkus_lib.store import read_store

YEAR = 2024


def test_all_expands_to_every_gmina_of_the_store_stage_area_overview_and_benchmark() -> None:
    in_store = [*domain.PILOT_TERYT, "2264011"]
    specs = resolve_batch("all", "all", "all", year=YEAR, store_dir="/data/store",
                          in_store=in_store)
    gminy, stages, areas = len(in_store), len(domain.STAGE_IDS), len(domain.AREA_IDS)
    assert len(specs) == gminy * stages * areas + gminy + areas
    assert len({s.output_stem for s in specs}) == len(specs)
    assert {s.params.teryt for s in specs} == {*in_store, None}


def test_all_reads_the_gminy_of_the_store_when_not_given(demo: DemoSummary) -> None:
    specs = resolve_batch("all", "gmina_overview", year=YEAR, store_dir=demo.store_dir)
    in_store = set(read_store(demo.store_dir).contracts["teryt"])
    assert {s.params.teryt for s in specs} == in_store


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
    assert spec.params.teryt == "0201011"
    assert json.loads(spec.params.notebook_parameters_json())["teryt"] == "0201011"
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
    assert [s.params.teryt for s in specs] == ["2013023", "0201011"]


def test_missing_area_for_a_stage_report_is_refused() -> None:
    with pytest.raises(ParameterError, match="Nie podano obszaru"):
        resolve_batch("2013023", "on_going", "", year=YEAR, store_dir="/d")


def test_gmina_overview_needs_no_area() -> None:
    [spec] = resolve_batch("2013023", "gmina_overview", "", year=YEAR, store_dir="/d")
    assert spec.params.area is None


def test_year_outside_the_schema_range_is_refused_in_polish() -> None:
    with pytest.raises(ParameterError, match="year: wartość za mała"):
        resolve_batch("2013023", "on_going", "sport", year=1990, store_dir="/d")


def test_gmina_may_be_named_by_teryt_name_or_slug() -> None:
    specs = resolve_batch(
        "2002063, Turośń Kościelna, sokolka, Łapy, LAPY, turosn-koscielna", "ex_ante", "zdrowie",
        year=YEAR, store_dir="/d"
    )
    assert [s.params.teryt for s in specs] == ["2002063", "2002112", "2011083"]


def test_store_dir_is_made_absolute_because_kernels_run_in_the_notebooks_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    [spec] = resolve_batch("2013023", "on_going", "sport", year=YEAR, store_dir="data/store")
    assert spec.params.store_dir == str(tmp_path / "data" / "store")


def test_report_params_refuse_a_stage_report_without_area() -> None:
    with pytest.raises(ParameterError, match="wymaga obszaru"):
        validate_params({"teryt": "2013023", "area": None, "kind": "on_going",
                         "year": YEAR, "store_dir": "/d"})


def test_report_params_refuse_a_benchmark_tied_to_one_gmina() -> None:
    with pytest.raises(ParameterError, match="nie ma gminy"):
        validate_params({"teryt": "2013023", "area": "sport", "kind": "benchmark",
                         "year": YEAR, "store_dir": "/d"})


def test_report_params_refuse_a_malformed_teryt() -> None:
    with pytest.raises(ParameterError, match="niepoprawny kod TERYT „201301”"):
        validate_params({"teryt": "201301", "area": "sport", "kind": "on_going",
                         "year": YEAR, "store_dir": "/d"})


def test_report_params_carry_batch_defaults() -> None:
    params = ReportParams(teryt="2013023", area="sport", kind="on_going", year=YEAR,
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


SROI_CSV = ("outcome,quantity,proxy_value,deadweight,displacement,attribution,drop_off,"
            "duration_years\nopieka,10,1000,0.2,0,0.25,0,1\n")
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _declared_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's ``parameters`` cell (what papermill may inject)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    [source] = ["".join(c["source"]) for c in cells if "parameters" in c["metadata"].get("tags", [])]
    return {line.split(":")[0].split("=")[0].strip() for line in source.splitlines()
            if line and line[0].isalpha() and not line.startswith(("from ", "import "))}


def test_the_kernel_gets_the_kind_under_the_notebooks_parameter_name_stage() -> None:
    specs = resolve_batch("2013023", "all", "sport", year=YEAR, store_dir="/d")
    assert [s.params.kind for s in specs] == list(domain.REPORT_KINDS)
    for spec in specs:
        parameters = spec.params.notebook_parameters()
        assert parameters["stage"] == spec.params.kind
        assert "kind" not in parameters and "sroi_file" not in parameters
        # interactive is injected into every notebook; the report notebooks never declare it
        assert set(parameters) - {"interactive"} <= _declared_parameters(NOTEBOOKS / spec.notebook)


def test_sroi_options_are_fields_of_the_ex_post_reports_only(tmp_path: Path) -> None:
    (tmp_path / "sroi.csv").write_text(SROI_CSV, encoding="utf-8")
    specs = resolve_batch("2013023", "on_going,ex_post", "sport,kultura", year=YEAR,
                          store_dir="/d", sroi_file=tmp_path / "sroi.csv",
                          sroi_discount_rate=0.05)
    by_kind = {kind: [s.params for s in specs if s.params.kind == kind]
               for kind in ("on_going", "ex_post")}
    assert [p.sroi_file for p in by_kind["ex_post"]] == [str(tmp_path / "sroi.csv")] * 2
    assert {p.sroi_discount_rate for p in by_kind["ex_post"]} == {0.05}
    assert {p.sroi_file for p in by_kind["on_going"]} == {None}
    parameters = by_kind["ex_post"][0].notebook_parameters()
    assert (parameters["sroi_file"], parameters["sroi_discount_rate"]) == (
        str(tmp_path / "sroi.csv"), 0.05)
    assert set(parameters) <= _declared_parameters(NOTEBOOKS / "ex_post.ipynb") | {"interactive"}


def test_sroi_file_is_made_absolute_and_a_rate_left_out_is_not_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "sroi.csv").write_text(SROI_CSV, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    [spec] = resolve_batch("2013023", "ex_post", "sport", year=YEAR, store_dir="/d",
                           sroi_file="sroi.csv")
    assert spec.params.notebook_parameters()["sroi_file"] == str(tmp_path / "sroi.csv")
    assert "sroi_discount_rate" not in spec.params.notebook_parameters()


def test_a_bad_sroi_file_is_refused_before_any_report(tmp_path: Path) -> None:
    (tmp_path / "sroi.csv").write_text("outcome,quantity\nx,1\n", encoding="utf-8")
    with pytest.raises(InputError, match="sroi.csv.*proxy_value"):
        resolve_batch("2013023", "ex_post", "sport", year=YEAR, store_dir="/d",
                      sroi_file=tmp_path / "sroi.csv")


@pytest.mark.parametrize(("values", "message"), [
    ({"kind": "ex_post", "sroi_discount_rate": 0.05}, "stopa dyskontowa SROI bez pliku"),
    ({"kind": "ex_post", "sroi_file": "/s.csv", "sroi_discount_rate": 3.5},
     r"sroi_discount_rate: wartość za duża \(podano: 3.5\)"),
    ({"kind": "on_going", "sroi_file": "/s.csv"}, "raport „on_going” nie ma SROI"),
])
def test_report_params_refuse_sroi_options_that_do_not_fit(
    values: dict[str, object], message: str
) -> None:
    with pytest.raises(ParameterError, match=message):
        validate_params({"teryt": "2013023", "area": "sport", "year": YEAR, "store_dir": "/d",
                         **values})


def test_a_report_unit_is_its_kind_gmina_and_area_whatever_the_year() -> None:
    [early] = resolve_batch("2013023", "gmina_overview", "", year=2023, store_dir="/d")
    [late] = resolve_batch("2013023", "gmina_overview", "", year=2025, store_dir="/d")
    assert early.params.unit() == late.params.unit() == ("gmina_overview", "2013023", None)
