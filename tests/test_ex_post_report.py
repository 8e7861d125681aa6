"""The first report end to end: ex_post through the runner, checked on content."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from report_checks import other_gminas_in, visible_text

from wkus_lib.batch.params import resolve_batch
from wkus_lib.batch.runner import run_batch
from wkus_lib.demo import DemoSummary
from wkus_lib.store import read_store
from wkus_lib.text.numbers import format_number

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
TERYT, AREA, YEAR = "2002063", "kultura", 2025  # Łapy


@pytest.fixture(scope="module")
def ex_post_html(demo: DemoSummary, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("reports")
    specs = resolve_batch(TERYT, "ex_post", AREA, year=YEAR, store_dir=demo.store_dir)
    result = run_batch(specs, out_dir=out, notebooks_dir=NOTEBOOKS, jobs=1,
                       formats=("html",), quiet=True)
    assert result.exit_code == 0, result.summary()
    return (out / f"{specs[0].output_stem}.html").read_text(encoding="utf-8")


def _unit_cost_from_store(store_dir: Path) -> float:
    """E1 recomputed here, independently of wkus_lib.metrics: total actual cost / clients."""
    store = read_store(store_dir)
    contracts = store.contracts
    ids = contracts[(contracts["teryt"] == TERYT) & (contracts["area"] == AREA)]["contract_id"]
    finance = store.finance[store.finance["contract_id"].isin(ids)
                            & (store.finance["year"] == YEAR)]
    served = store.beneficiaries[store.beneficiaries["contract_id"].isin(ids)
                                 & (store.beneficiaries["year"] == YEAR)]
    return float(finance["actual"].sum()) / float(served["clients_served"].sum())



@pytest.mark.slow
def test_unit_cost_computed_from_the_store_appears_in_polish_format(
    ex_post_html: str, demo: DemoSummary
) -> None:
    expected = format_number(_unit_cost_from_store(demo.store_dir), 0, unit="zł")
    assert expected in ex_post_html


@pytest.mark.slow
def test_satisfaction_is_shown_with_n_and_interval_or_hidden(ex_post_html: str) -> None:
    text = visible_text(ex_post_html)
    assert "Zadowolenie klientów (Q1) w kolejnych latach" in text
    assert re.search(r"\d+,\d–\d+,\d", text), "no 95 % interval in Polish format"
    assert "mniej niż 5 odpowiedzi" in text  # the demo data has a small group in 2022


@pytest.mark.slow
def test_report_has_banner_polish_letters_and_no_code(ex_post_html: str) -> None:
    text = visible_text(ex_post_html)
    assert "DANE SYNTETYCZNE" in text
    for letter in "łńśźżóąęć":
        assert letter in text, letter
    assert "open_report" not in ex_post_html and "injected-parameters" not in ex_post_html
    assert "store_dir" not in text


@pytest.mark.slow
def test_report_names_no_other_gmina_or_its_ngos(ex_post_html: str, demo: DemoSummary) -> None:
    assert not other_gminas_in(ex_post_html, TERYT, read_store(demo.store_dir).contracts)


def test_committed_ex_post_notebook_documents_its_parameters() -> None:
    import papermill as pm

    params = pm.inspect_notebook(str(NOTEBOOKS / "ex_post.ipynb"))
    assert params["teryt"]["inferred_type_name"] == "str"
    assert "kod TERYT" in params["teryt"]["help"]
    assert {"area", "year", "store_dir", "lang"} <= set(params)



@pytest.mark.slow
def test_forced_rerun_of_the_real_report_gives_identical_bytes(
    demo: DemoSummary, tmp_path: Path
) -> None:
    specs = resolve_batch(TERYT, "ex_post", AREA, year=YEAR, store_dir=demo.store_dir)
    outputs = {}
    for attempt in ("first", "second"):
        result = run_batch(specs, out_dir=tmp_path, notebooks_dir=NOTEBOOKS, jobs=1,
                           formats=("html", "pdf", "xlsx"), force=True, quiet=True)
        assert result.exit_code == 0, result.summary()
        outputs[attempt] = {
            suffix: (tmp_path / f"{specs[0].output_stem}.{suffix}").read_bytes()
            for suffix in ("html", "pdf", "xlsx")
        }
    for suffix in ("html", "pdf", "xlsx"):
        assert outputs["first"][suffix] == outputs["second"][suffix], suffix


def test_privacy_check_catches_another_gminas_code_name_and_ngo(demo: DemoSummary) -> None:
    contracts = read_store(demo.store_dir).contracts
    other = contracts[contracts["teryt"] == "2013023"].iloc[0]
    page = f"<p>Łapy</p><p>Ciechanowiec 2013023 {other['ngo_name']}</p>"
    leaked = other_gminas_in(page, TERYT, contracts)
    assert {"2013023", "Ciechanowiec", other["ngo_name"]} <= set(leaked)
    assert not other_gminas_in("<p>Łapy 2002063</p>", TERYT, contracts)
