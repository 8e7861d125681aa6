"""The explorer: selection functions, hidden values, the widgets and the notebook run by papermill."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import papermill
import pytest

from wkus_lib.catalog import load_catalog
from wkus_lib.demo import DemoSummary
from wkus_lib.errors import ParameterError
from wkus_lib.evaluation.indicators import compute_indicators
from wkus_lib.explore.explorer import (
    ExplorerData,
    Selection,
    apply_request,
    area_options,
    build_explorer,
    comparison_table,
    gmina_options,
    gminy_in_store,
    headline_html,
    indicator_options,
    load_explorer_data,
    normalise_selection,
    polish_sort_key,
    prepare_explorer,
    requested_teryt,
    select_rows,
    selection_figure,
    selection_table,
    served_by_voila,
    show_explorer,
    value_text,
    warning_html,
)
from wkus_lib.store import read_store
from wkus_lib.text.numbers import format_number

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"
CIECHANOWIEC, LAPY, MONKI = "2013023", "2002063", "2008063"
NBSP = "\u00a0"


def row(teryt: str, area: str | None, stage: str, year: int, indicator: str, value: float,
        *, n: int | None = None, suppressed: bool = False, status: str = "none",
        ) -> dict[str, object]:
    return {"teryt": teryt, "area": area, "stage": stage, "year": year, "indicator": indicator,
            "value": np.nan if suppressed else value, "n": n, "ci_low": np.nan,
            "ci_high": np.nan, "target": np.nan, "status": status, "suppressed": suppressed}


@pytest.fixture(scope="module")
def small() -> ExplorerData:
    """Two gminy: Łapy with a contract ending in 2024, Mońki with a hidden survey score."""
    rows = [
        row(LAPY, "sport", "ex_ante", 2022, "E4", 12.0, status="amber"),
        row(LAPY, "sport", "on_going", 2023, "E4", 9.0, status="green"),
        row(LAPY, "sport", "on_going", 2024, "E4", 8.0, status="green"),
        row(LAPY, "sport", "ex_post", 2024, "E4", 8.0, status="green"),
        row(LAPY, "sport", "on_going", 2024, "Q1", 71.5, n=12, status="amber"),
        row(MONKI, "sport", "ex_ante", 2024, "E4", 20.0, status="red"),
        row(MONKI, "sport", "ex_ante", 2024, "Q1", 64.0, n=3, suppressed=True),
        row(LAPY, None, "on_going", 2024, "WC", 55.0, n=6, status="amber"),
    ]
    table = pd.DataFrame(rows).astype({"n": "Int64"})
    return ExplorerData(table=table, catalog=load_catalog(), names={LAPY: "Łapy", MONKI: "Mońki"},
                        threshold=5, synthetic=True, data_hash="test")


def selection(**changes: object) -> Selection:
    base = {"teryt": LAPY, "area": "sport", "stage": None, "indicator": "E4",
            "years": (2019, 2025), "compare_teryt": None}
    return Selection(**{**base, **changes})  # type: ignore[arg-type]


# ------------------------------------------------------------------ choices


def test_gmina_options_are_sorted_by_name_and_carry_teryt_strings(small: ExplorerData) -> None:
    assert gmina_options(small) == [(f"Łapy ({LAPY})", LAPY), (f"Mońki ({MONKI})", MONKI)]


def test_area_options_follow_domain_order_and_end_with_the_gmina_level(
    small: ExplorerData,
) -> None:
    assert [value for _, value in area_options(small)] == ["sport", None]


def test_indicator_options_depend_on_the_level_of_the_area(small: ExplorerData) -> None:
    assert [code for _, code in indicator_options(small, "sport")] == ["Q1", "E4"]
    assert [code for _, code in indicator_options(small, None)] == ["WC"]


def test_normalise_selection_replaces_an_indicator_missing_at_the_area_level(
    small: ExplorerData,
) -> None:
    fixed = normalise_selection(small, selection(area=None, indicator="E4", years=(2030, 2000),
                                                 compare_teryt=LAPY, extra_teryt=(LAPY, "x")))
    assert fixed.indicator == "WC"
    assert fixed.years == (2022, 2024)
    assert fixed.compare_teryt is None
    assert fixed.extra_teryt == ()


def test_normalise_selection_rejects_a_gmina_without_indicators(small: ExplorerData) -> None:
    with pytest.raises(ParameterError, match="2011083"):
        normalise_selection(small, selection(teryt="2011083"))


# ---------------------------------------------------------- served by Voilà


def test_voila_query_string_chooses_the_gmina_and_swaps_the_comparison(
    small: ExplorerData,
) -> None:
    environ = {"QUERY_STRING": f"teryt={MONKI}&x=1", "VOILA_REQUEST_URL": "http://127.0.0.1/"}
    assert requested_teryt(environ) == MONKI
    assert served_by_voila(environ) and not served_by_voila({})
    chosen, warning = apply_request(small, selection(compare_teryt=MONKI), environ)
    assert (chosen.teryt, chosen.compare_teryt, warning) == (MONKI, LAPY, None)


def test_unknown_gmina_in_the_address_keeps_the_default_with_a_polish_warning(
    small: ExplorerData,
) -> None:
    chosen, warning = apply_request(small, selection(), {"QUERY_STRING": "teryt=9999999"})
    assert chosen.teryt == LAPY
    assert warning is not None and "9999999" in warning and "Łapy" in warning


def test_a_script_in_the_address_reaches_the_page_as_text(small: ExplorerData) -> None:
    from urllib.parse import quote

    payload = """<img src=x onerror="document.title='pwned'"><script>alert(1)</script>"""
    chosen, warning = apply_request(small, selection(),
                                    {"QUERY_STRING": f"token=abc&teryt={quote(payload)}"})
    assert chosen.teryt == LAPY
    assert warning is not None and payload in warning  # the warning quotes what was typed
    shown = warning_html(warning)
    assert "<img" not in shown and "<script" not in shown
    assert "&lt;img src=x onerror=&quot;document.title=&#x27;pwned&#x27;&quot;&gt;" in shown
    assert shown.startswith("<p><strong>Uwaga:</strong> ")
    assert "warning_html(warning)" in NOTEBOOK.read_text(encoding="utf-8")


def test_kernels_voila_starts_ahead_of_pages_count_as_served_by_voila() -> None:
    assert served_by_voila({"VOILA_PREHEAT": "True"})
    assert served_by_voila({"VOILA_PREHEAT": "False", "VOILA_REQUEST_URL": "http://127.0.0.1/"})
    assert not served_by_voila({"QUERY_STRING": "teryt=2002063"})


def test_the_page_address_is_applied_after_the_data_and_controls_are_ready() -> None:
    cells = [cell for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
             if cell["cell_type"] == "code"]
    sources = ["".join(cell["source"]) for cell in cells]
    prepare = next(i for i, text in enumerate(sources) if "prepare_explorer(" in text)
    apply = next(i for i, text in enumerate(sources) if "apply_request(" in text)
    assert "load_explorer_data(" in sources[prepare] and prepare < apply
    assert not any("wait_for" in text for text in sources)


def test_no_query_string_means_no_change(small: ExplorerData) -> None:
    assert requested_teryt({}) is None
    assert requested_teryt({"QUERY_STRING": "teryt="}) is None
    assert apply_request(small, selection(), {}) == (selection(), None)


# -------------------------------------------------------------------- rows


def test_all_stages_keep_one_row_per_year_the_first_stage_of_that_year(
    small: ExplorerData,
) -> None:
    rows = select_rows(small, selection(), (LAPY,))
    assert rows["year"].tolist() == [2022, 2023, 2024]
    assert rows["stage"].tolist() == ["ex_ante", "on_going", "on_going"]


def test_a_chosen_stage_and_years_restrict_the_rows(small: ExplorerData) -> None:
    rows = select_rows(small, selection(stage="ex_post", years=(2024, 2024)), (LAPY, MONKI))
    assert rows[["teryt", "year", "stage"]].values.tolist() == [[LAPY, 2024, "ex_post"]]


def test_rows_follow_the_order_of_the_gminy_asked_for(small: ExplorerData) -> None:
    rows = select_rows(small, selection(years=(2024, 2024)), (MONKI, LAPY))
    assert rows["teryt"].tolist() == [MONKI, LAPY]


def test_a_hidden_value_is_shown_as_hidden_and_never_as_a_number(small: ExplorerData) -> None:
    spec = small.catalog.indicator("Q1")
    assert value_text(spec, 64.0, True, 5) == "ukryte (mniej niż 5 odpowiedzi)"
    chosen = selection(teryt=MONKI, indicator="Q1")
    rows = select_rows(small, chosen, (MONKI,))
    table = selection_table(small, chosen, rows)
    assert table["Wartość"].tolist() == ["ukryte (mniej niż 5 odpowiedzi)"]
    assert "64" not in headline_html(small, chosen, MONKI)
    assert selection_figure(small, chosen, rows) is None


def test_table_shows_polish_numbers_units_and_traffic_light_labels(small: ExplorerData) -> None:
    rows = select_rows(small, selection(), (LAPY,))
    table = selection_table(small, selection(), rows)
    assert table["Wartość"].tolist() == [f"12,0{NBSP}%", f"9,0{NBSP}%", f"8,0{NBSP}%"]
    assert table["Ocena"].tolist() == ["uwaga", "dobrze", "dobrze"]
    assert table["Etap"].iloc[0] == "Ocena wstępna (ex ante)"


def test_headline_names_the_gmina_and_its_latest_value(small: ExplorerData) -> None:
    text = headline_html(small, selection(), LAPY)
    assert "<strong>Łapy</strong>" in text and f"8,0{NBSP}%" in text and "2024" in text
    assert "dobrze" in text


def test_figure_has_one_row_per_published_gmina_and_year(small: ExplorerData) -> None:
    chosen = selection(extra_teryt=(MONKI,))
    figure = selection_figure(small, chosen, select_rows(small, chosen, chosen.shown_teryt))
    assert figure is not None
    labels = [tick.get_text() for tick in figure.axes[0].get_yticklabels()]  # top to bottom
    assert labels == ["Łapy 2022", "Łapy 2023", "Łapy 2024", "Mońki 2024"]


def test_comparison_puts_the_two_gminy_in_columns_year_by_year(small: ExplorerData) -> None:
    table = comparison_table(small, selection(compare_teryt=MONKI))
    assert table is not None
    assert table.columns.tolist() == ["Rok", "Łapy", "Mońki"]
    assert table.values.tolist() == [[2022, f"12,0{NBSP}%", "—"], [2023, f"9,0{NBSP}%", "—"],
                                     [2024, f"8,0{NBSP}%", f"20,0{NBSP}%"]]
    assert comparison_table(small, selection()) is None


# ----------------------------------------------------------------- widgets


def _widgets_by_class(widget: object) -> dict[str, object]:
    found: dict[str, object] = {}
    stack = [widget]
    while stack:
        current = stack.pop()
        for name in getattr(current, "_dom_classes", ()):
            found[name] = current
        stack.extend(getattr(current, "children", ()))
    return found


def test_choosing_another_gmina_updates_the_headline_and_the_comparison(
    small: ExplorerData,
) -> None:
    explorer = build_explorer(small, selection(compare_teryt=MONKI))
    parts = _widgets_by_class(explorer)
    headline, comparison = parts["wkus-explore-headline-box"], parts["wkus-explore-comparison"]
    assert "Łapy" in headline.value and f"8,0{NBSP}%" in headline.value  # type: ignore[attr-defined]
    parts["wkus-gmina"].value = MONKI  # type: ignore[attr-defined]
    assert "Mońki" in headline.value and f"20,0{NBSP}%" in headline.value  # type: ignore[attr-defined]
    assert "Wybierz drugą gminę" in comparison.value  # type: ignore[attr-defined]


def test_the_prepared_widgets_follow_the_gmina_of_the_page_address(
    small: ExplorerData, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import IPython.display

    shown: list[object] = []
    monkeypatch.setattr(IPython.display, "display", lambda *objects: shown.extend(objects))
    ready = prepare_explorer(small, selection(teryt="Łapy", compare_teryt=MONKI),
                             interactive=True)
    assert ready.widgets is not None and ready.selection.teryt == LAPY
    parts = _widgets_by_class(ready.widgets)
    assert "Łapy" in parts["wkus-explore-headline-box"].value  # type: ignore[attr-defined]
    asked, warning = apply_request(small, ready.selection, {"QUERY_STRING": f"teryt={MONKI}"})
    assert warning is None
    show_explorer(ready, asked)
    assert shown == [ready.widgets]
    assert parts["wkus-gmina"].value == MONKI  # type: ignore[attr-defined]
    assert parts["wkus-compare"].value == LAPY  # type: ignore[attr-defined]
    assert "Mońki" in parts["wkus-explore-headline-box"].value  # type: ignore[attr-defined]
    assert "Łapy" in parts["wkus-explore-comparison"].value  # type: ignore[attr-defined]


def test_without_widgets_the_prepared_explorer_is_static(small: ExplorerData) -> None:
    ready = prepare_explorer(small, selection(), interactive=False)
    assert ready.widgets is None and ready.selection == normalise_selection(small, selection())


def test_choosing_the_gmina_level_switches_to_cooperation_indicators(
    small: ExplorerData,
) -> None:
    parts = _widgets_by_class(build_explorer(small, selection()))
    parts["wkus-area"].value = ""  # type: ignore[attr-defined]
    assert parts["wkus-indicator"].value == "WC"  # type: ignore[attr-defined]
    assert "WC" in parts["wkus-explore-headline-box"].value  # type: ignore[attr-defined]


# ---------------------------------------------------- the demo store, cached


@pytest.fixture(scope="module")
def demo_data(demo: DemoSummary) -> ExplorerData:
    return load_explorer_data(demo.store_dir)


def test_indicator_table_is_computed_once_per_store_hash(
    demo: DemoSummary, demo_data: ExplorerData,
) -> None:
    assert load_explorer_data(demo.store_dir) is demo_data
    assert demo_data.data_hash == demo.data_hash
    assert demo_data.names[CIECHANOWIEC] == "Ciechanowiec"


# ---------------------------------------------------------------- notebook


def _run_notebook(demo: DemoSummary, tmp_path: Path, **parameters: object) -> dict[str, object]:
    out = tmp_path / "explore.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), kernel_name="python3", cwd=str(NOTEBOOK.parent),
        parameters={"store_dir": str(demo.store_dir), **parameters},
        progress_bar=False, log_output=False,
    )
    notebook: dict[str, object] = json.loads(out.read_text(encoding="utf-8"))
    return notebook


def _outputs(notebook: dict[str, object], mimetype: str) -> str:
    cells = notebook["cells"]
    assert isinstance(cells, list)
    return "\n".join(
        "".join(output["data"][mimetype]) if isinstance(output["data"][mimetype], list)
        else json.dumps(output["data"][mimetype])
        for cell in cells for output in cell.get("outputs", [])
        if "data" in output and mimetype in output["data"]
    )


def _expected_e4(demo: DemoSummary, teryt: str) -> list[str]:
    table = compute_indicators(read_store(demo.store_dir), teryt=[teryt], areas=["sport"])
    values = table[(table["indicator"] == "E4") & (table["area"] == "sport")]
    values = values.drop_duplicates("year")["value"]
    assert len(values), "the demo store has E4 in sport for this gmina"
    return [format_number(v, 1, unit="%") for v in values]


@pytest.mark.slow
def test_static_notebook_shows_both_gminy_numbers_in_polish_format(
    demo: DemoSummary, tmp_path: Path,
) -> None:
    notebook = _run_notebook(demo, tmp_path, teryt=LAPY, compare_teryt=CIECHANOWIEC,
                             indicator="E4", area="sport", interactive=False)
    page = _outputs(notebook, "text/html")
    for teryt in (LAPY, CIECHANOWIEC):
        for text in _expected_e4(demo, teryt):
            assert text in page, (teryt, text)
    assert "<strong>Łapy</strong> (2002063)" in page
    assert "DANE SYNTETYCZNE" in page
    assert _outputs(notebook, "image/png"), "the figure is missing"
    assert "application/vnd.jupyter.widget-view+json" not in json.dumps(notebook)


@pytest.mark.slow
def test_interactive_notebook_builds_the_widgets_headless(
    demo: DemoSummary, tmp_path: Path,
) -> None:
    notebook = _run_notebook(demo, tmp_path, teryt=LAPY, interactive=True)
    views = _outputs(notebook, "application/vnd.jupyter.widget-view+json")
    assert "model_id" in views
    errors = [output for cell in notebook["cells"]  # type: ignore[attr-defined]
              for output in cell.get("outputs", []) if output.get("output_type") == "error"]
    assert errors == []


def test_polish_sort_key_puts_letters_with_diacritics_after_their_base_letter() -> None:
    names = ["Mońki", "Łapy", "Zabłudów", "Lipsk", "Ciechanowiec", "Ćmielów", "Żabia Wola"]
    assert sorted(names, key=polish_sort_key) == [
        "Ciechanowiec", "Ćmielów", "Lipsk", "Łapy", "Mońki", "Zabłudów", "Żabia Wola"]


def test_committed_notebook_documents_its_parameters() -> None:
    parameters = papermill.inspect_notebook(str(NOTEBOOK))
    assert set(parameters) == {"store_dir", "teryt", "compare_teryt", "area", "stage",
                               "indicator", "year_from", "year_to", "interactive"}
    assert parameters["interactive"]["default"] == "False"
    assert parameters["teryt"]["inferred_type_name"] == "str"
    assert all(parameters[name]["help"] for name in parameters)


# ------------------------------------------------- a store without the defaults


def test_the_dashboards_default_gminy_give_way_to_those_in_the_store(small: ExplorerData) -> None:
    # The notebook's defaults are Ciechanowiec compared with Łapy; this store has Łapy and Mońki.
    chosen = gminy_in_store(small, selection(teryt=CIECHANOWIEC, compare_teryt=LAPY))
    assert (chosen.teryt, chosen.compare_teryt) == (LAPY, MONKI)
    # Named gminy are looked up; a comparison with the main gmina becomes the next one.
    chosen = gminy_in_store(small, selection(teryt="Mońki", compare_teryt=MONKI))
    assert (chosen.teryt, chosen.compare_teryt) == (MONKI, LAPY)
    # Gminy the store has, and no comparison, stay as they are.
    assert gminy_in_store(small, selection(teryt=MONKI, compare_teryt=None)) == selection(
        teryt=MONKI, compare_teryt=None)


def test_the_dashboard_opens_on_a_one_gmina_store_the_notebook_alone_refuses(
    small: ExplorerData,
) -> None:
    one = ExplorerData(table=small.table[small.table["teryt"] == LAPY], catalog=small.catalog,
                       names={LAPY: "Łapy"}, threshold=5, synthetic=True, data_hash="one")
    asked = selection(teryt=CIECHANOWIEC, compare_teryt=LAPY)
    ready = prepare_explorer(one, asked, interactive=False, defaults=True)
    assert (ready.selection.teryt, ready.selection.compare_teryt) == (LAPY, None)
    # Outside the dashboard a gmina the store lacks is the user's choice, and an error.
    with pytest.raises(ParameterError, match="2013023"):
        prepare_explorer(one, asked, interactive=False)


def test_the_notebook_takes_the_store_gminy_when_served() -> None:
    cells = [cell for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
             if cell["cell_type"] == "code"]
    prepare = next("".join(c["source"]) for c in cells if "prepare_explorer(" in "".join(c["source"]))
    assert "defaults=explore.served_by_voila()" in prepare
