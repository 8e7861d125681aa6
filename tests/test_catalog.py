"""The indicator catalogue: complete, consistent, editable, and loud when broken."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from wkus_lib.catalog import Catalog, copy_default_catalog, load_catalog, traffic_light
from wkus_lib.domain import MODEL_IDS
from wkus_lib.errors import CatalogError
from wkus_lib.schemas import TABLES, SurveyItems

DOMAIN_INDICATORS = {
    "Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "TRI",
    "E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9", "E10",
    "W1", "W2", "W3", "W4", "W5", "W6", "WC", "WGAP",
}


@pytest.fixture()
def user_catalog(tmp_path: Path) -> Path:
    """An editable copy of the packaged catalogue (both files)."""
    return copy_default_catalog(tmp_path / "katalog")


def _edit(folder: Path, change: Any, file: str = "indicators.yaml") -> Path:
    path = folder / file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder / "indicators.yaml"


def _indicator(data: dict[str, Any], indicator_id: str) -> dict[str, Any]:
    entry: dict[str, Any] = next(e for e in data["indicators"] if e["id"] == indicator_id)
    return entry


def test_catalogue_holds_every_indicator_of_the_domain_brief_plus_variants() -> None:
    ids = set(load_catalog().ids)
    assert ids >= DOMAIN_INDICATORS
    assert ids - DOMAIN_INDICATORS == {"Q2C", "Q3R", "Q5D", "Q5K", "E1H", "E9R"}


def test_every_indicator_is_fully_described() -> None:
    for spec in load_catalog().indicators:
        assert spec.model in MODEL_IDS
        assert spec.name_pl and spec.name_en and spec.unit and spec.formula_pl
        assert spec.stages and set(spec.inputs) <= set(TABLES)


def test_each_model_has_its_indicators() -> None:
    by_model = {m: {s.id for s in load_catalog().indicators if s.model == m} for m in MODEL_IDS}
    assert {"Q1", "Q7", "TRI"} <= by_model["jakosc"]
    assert {"E1", "E9", "E10"} <= by_model["efektywnosc"]
    assert {"W1", "W6", "WC", "WGAP"} <= by_model["wspolpraca"]


def test_settings_carry_the_statistical_conventions() -> None:
    settings = load_catalog().settings
    assert settings.cooperation_weights == {f"W{i}": 1 for i in range(1, 7)}
    assert settings.suppression.threshold == 5
    assert settings.suppression.quotes_threshold == 10
    assert settings.reliability.min_respondents == 10
    assert 0 < settings.missing_answers.min_answered <= 1
    assert settings.triangulation_flag_points == 15
    assert settings.result_display_cap == 1.2
    assert settings.confidence_level == 0.95


def test_default_load_is_cached() -> None:
    assert load_catalog() is load_catalog()


def test_survey_items_are_valid_under_the_schema() -> None:
    items = load_catalog().survey_items()
    SurveyItems.validate(items)
    assert set(items["instrument"]) == {"klient", "personel", "samoocena", "wspolpraca"}
    assert items.loc[items["item_id"] == "k_sat3", "reverse"].item()
    assert items.loc[items["item_id"] == "c_sat1", "perspective"].item() == "ngo"


def test_checklist_and_standard_requirements_are_exposed() -> None:
    cat = load_catalog()
    checklist = cat.checklist_items()
    assert set(checklist["indicator"]) == {"W1", "W2", "W3", "W4"}
    ratio = checklist[checklist["kind"] == "ratio"]
    assert ratio["target"].gt(0).all()
    assert len(cat.standard_requirements()) == 8


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("Q1", 80.0, "green"),   # higher is better: ≥ 75 green
        ("Q1", 75.0, "green"),   # the boundary belongs to the better band
        ("Q1", 65.0, "amber"),   # ≥ 60 amber
        ("Q1", 59.9, "red"),
        ("E4", 9.0, "green"),    # lower is better: ≤ 10 green
        ("E4", 12.0, "amber"),   # ≤ 15 amber
        ("E4", 15.1, "red"),
        ("Q7", 2.0, "green"),
        ("E1", 1500.0, "none"),  # no universal thresholds for a unit cost
        ("Q1", math.nan, "none"),
        ("Q1", None, "none"),
    ],
)
def test_status_follows_thresholds_and_direction(
    indicator: str, value: float | None, expected: str
) -> None:
    assert load_catalog().status(indicator, value) == expected


def test_vectorised_statuses_agree_with_status() -> None:
    cat = load_catalog()
    ids = pd.Series(["Q1", "Q1", "E4", "E1", "Q7", "WGAP"])
    values = pd.Series([80.0, np.nan, 12.0, 100.0, 7.0, -3.0])
    expected = [cat.status(i, None if np.isnan(v) else v) for i, v in zip(ids, values, strict=True)]
    assert cat.statuses(ids, values).tolist() == expected


def test_traffic_light_handles_arrays_of_mixed_directions() -> None:
    lights = traffic_light([10.0, 10.0], green=[10, 10], amber=[5, 20], higher=[True, False])
    assert lights.tolist() == ["green", "green"]


def test_unknown_indicator_is_a_polish_catalog_error() -> None:
    with pytest.raises(CatalogError, match="nie zawiera wskaźnika „X9”"):
        load_catalog().indicator("X9")


def test_user_catalogue_changes_weights_and_thresholds(user_catalog: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["settings"]["cooperation_weights"] = {"W1": 2, "W2": 1, "W5": 1}
        _indicator(data, "Q1")["thresholds"] = {"green": 90, "amber": 80}
        _indicator(data, "Q1")["target"] = 90

    cat = load_catalog(_edit(user_catalog, change))
    assert cat.settings.cooperation_weights == {"W1": 2, "W2": 1, "W5": 1}
    assert cat.status("Q1", 85.0) == "amber"
    assert cat.source.endswith("indicators.yaml")


def test_user_catalogue_may_be_given_as_a_folder(user_catalog: Path) -> None:
    assert load_catalog(user_catalog).ids == load_catalog().ids


def test_user_catalogue_with_own_items_inline(tmp_path: Path, user_catalog: Path) -> None:
    indicators = yaml.safe_load((user_catalog / "indicators.yaml").read_text(encoding="utf-8"))
    instruments = yaml.safe_load((user_catalog / "instruments.yaml").read_text(encoding="utf-8"))
    instruments["instruments"]["klient"]["items"].append(
        {"item_id": "k_sat4", "criterion": "satysfakcja", "indicator": "Q1", "reverse": False,
         "text_pl": "Usługa jest punktualna."})
    del indicators["instruments_file"]
    combined = tmp_path / "jeden_plik.yaml"
    combined.write_text(yaml.safe_dump({**indicators, **instruments}, allow_unicode=True),
                        encoding="utf-8")
    items = load_catalog(combined).survey_items()
    assert "k_sat4" in set(items["item_id"])


def test_missing_field_names_the_file_entry_and_field(user_catalog: Path) -> None:
    path = _edit(user_catalog, lambda d: _indicator(d, "Q3R").pop("unit"))
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    message = str(error.value)
    assert "Błąd katalogu wskaźników w pliku" in message
    assert str(path) in message
    assert "wpis „Q3R”, pole „unit”" in message
    assert "Field required" in message  # pydantic's own reason


def test_bad_direction_names_the_entry(user_catalog: Path) -> None:
    path = _edit(user_catalog, lambda d: _indicator(d, "E4").update(direction="mniej"))
    with pytest.raises(CatalogError, match="wpis „E4”, pole „direction”"):
        load_catalog(path)


def test_thresholds_against_the_direction_are_rejected(user_catalog: Path) -> None:
    # E4 is "lower is better", so green (15) must not exceed amber (10).
    path = _edit(user_catalog,
                 lambda d: _indicator(d, "E4").update(thresholds={"green": 15, "amber": 10}))
    with pytest.raises(CatalogError, match=r"wpis „E4”: .*progi niespójne z kierunkiem „lower”"):
        load_catalog(path)


def test_target_outside_the_green_band_is_rejected(user_catalog: Path) -> None:
    path = _edit(user_catalog, lambda d: _indicator(d, "Q1").update(target=50))
    with pytest.raises(CatalogError, match=r"wpis „Q1”.*wartość docelowa 50"):
        load_catalog(path)


def test_unknown_stage_and_input_table_are_rejected(user_catalog: Path) -> None:
    path = _edit(user_catalog, lambda d: _indicator(d, "Q6").update(
        stages=["ex_ante", "po_wszystkim"], inputs=["kadry"]))
    with pytest.raises(CatalogError) as error:
        load_catalog(path)
    assert "wpis „Q6”, pole „stages”" in str(error.value)
    assert "nieznane tabele danych: kadry" in str(error.value)


def test_duplicate_indicator_id_is_rejected(user_catalog: Path) -> None:
    path = _edit(user_catalog, lambda d: d["indicators"].append(dict(_indicator(d, "Q6"))))
    with pytest.raises(CatalogError, match="wpis „Q6”, pole „id”: identyfikator powtarza się"):
        load_catalog(path)


def test_weight_of_a_non_cooperation_indicator_is_rejected(user_catalog: Path) -> None:
    path = _edit(user_catalog, lambda d: d["settings"]["cooperation_weights"].update(Q1=1))
    with pytest.raises(CatalogError, match="„Q1” nie jest wskaźnikiem modelu współpracy"):
        load_catalog(path)


def test_item_of_an_unknown_indicator_names_the_instruments_file(user_catalog: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["instruments"]["klient"]["items"][0]["indicator"] = "Q99"

    _edit(user_catalog, change, file="instruments.yaml")
    with pytest.raises(CatalogError) as error:
        load_catalog(user_catalog)
    message = str(error.value)
    assert "instruments.yaml" in message
    assert "wpis „k_sat1”, pole „indicator”" in message


def test_item_with_a_criterion_other_than_its_indicator_is_rejected(user_catalog: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["instruments"]["personel"]["items"][0]["criterion"] = "skutecznosc"

    _edit(user_catalog, change, file="instruments.yaml")
    with pytest.raises(CatalogError, match="wpis „p_sat1”, pole „criterion”"):
        load_catalog(user_catalog)


def test_bad_item_field_names_the_item(user_catalog: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["instruments"]["klient"]["items"][2]["reverse"] = "może"

    _edit(user_catalog, change, file="instruments.yaml")
    with pytest.raises(CatalogError, match="wpis „k_sat3”, pole „reverse”"):
        load_catalog(user_catalog)


def test_ratio_checklist_item_needs_a_target(user_catalog: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        entry = next(e for e in data["cooperation_checklist"] if e["kind"] == "ratio")
        entry.pop("target")

    _edit(user_catalog, change, file="instruments.yaml")
    with pytest.raises(CatalogError, match=r"wpis „w3_udzial_wydatkow”.*wymaga wartości docelowej"):
        load_catalog(user_catalog)


def test_invalid_yaml_and_missing_file_are_catalog_errors(tmp_path: Path) -> None:
    broken = tmp_path / "indicators.yaml"
    broken.write_text("indicators: [\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="niepoprawny YAML"):
        load_catalog(broken)
    with pytest.raises(CatalogError, match="Nie znaleziono pliku katalogu"):
        load_catalog(tmp_path / "brak.yaml")
    broken.write_text("- tylko lista\n", encoding="utf-8")
    with pytest.raises(CatalogError, match="słownik pól"):
        load_catalog(broken)


def test_catalog_is_immutable() -> None:
    cat: Catalog = load_catalog()
    with pytest.raises(Exception):  # noqa: B017 - pydantic's frozen-instance error
        cat.indicators[0].target = 1.0


