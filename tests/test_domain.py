"""Domain registry: fixed vocabularies and the gmina registry (the whole TERC register)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wkus_lib.domain import (
    AREA_IDS,
    AREA_NAMES,
    GMINA_TYPES,
    PILOT_TERYT,
    REGISTRY_FILE,
    REGISTRY_SOURCE,
    STAGE_IDS,
    ascii_slug,
    is_valid_teryt,
    load_gminy,
)
from wkus_lib.errors import InputError

SHIPPED = Path(__file__).resolve().parents[1] / "wkus_lib" / "data" / REGISTRY_FILE


def test_nine_areas_in_the_domain_order() -> None:
    assert AREA_IDS[0] == "edukacja" and AREA_IDS[-1] == "planowanie"
    assert len(AREA_IDS) == 9 and set(AREA_NAMES) == set(AREA_IDS)


def test_three_stages() -> None:
    assert STAGE_IDS == ("ex_ante", "on_going", "ex_post")


def test_registry_ships_every_gmina_of_the_terc_register_with_string_codes() -> None:
    gminy = load_gminy()
    assert len(gminy) == 2477
    assert all(isinstance(code, str) and is_valid_teryt(code) for code in gminy)
    assert gminy["2002063"].name == "Łapy"
    assert gminy["2264011"].name == "Sopot" and gminy["2264011"].voivodeship == "pomorskie"
    assert gminy["0201011"].name == "Bolesławiec" and gminy["0201011"].gmina_type == "miejska"
    assert {g.gmina_type for g in gminy.values()} == set(GMINA_TYPES.values())
    # The type is the code's last digit (GUS: 1 miejska, 2 wiejska, 3 miejsko-wiejska).
    assert all(GMINA_TYPES[g.teryt[-1]] == g.gmina_type for g in gminy.values())


def test_registry_file_is_the_terc_copy_and_its_source_is_cited() -> None:
    assert SHIPPED.read_text(encoding="utf-8").splitlines()[0] == (
        "teryt,name,gmina_type,powiat,voivodeship")
    assert not (SHIPPED.parent / "gminy.csv").exists()
    assert REGISTRY_SOURCE == "GUS, rejestr TERYT, TERC, stan na 2024-01-01"


def test_population_is_not_in_the_register() -> None:
    assert all(g.population is None for g in load_gminy().values())


def test_pilot_codes_are_the_nine_podlasie_gminy() -> None:
    gminy = load_gminy()
    assert len(PILOT_TERYT) == len(set(PILOT_TERYT)) == 9
    assert [gminy[code].name for code in PILOT_TERYT] == [
        "Ciechanowiec", "Drohiczyn", "Turośń Kościelna", "Łapy", "Sokółka", "Mońki", "Puńsk",
        "Boćki", "Zabłudów",
    ]
    assert {gminy[code].voivodeship for code in PILOT_TERYT} == {"podlaskie"}


def test_each_call_returns_its_own_dict() -> None:
    first = load_gminy()
    first.clear()
    assert len(load_gminy()) == 2477


def test_slug_survives_polish_letters() -> None:
    assert ascii_slug("Turośń Kościelna") == "turosn-koscielna"
    assert load_gminy()["2003042"].slug == "2003042-bocki"


def test_user_csv_adds_a_gmina_and_keeps_leading_zero(tmp_path: Path) -> None:
    extra = tmp_path / "moje_gminy.csv"
    extra.write_text(
        "teryt,name,gmina_type,powiat,voivodeship,population\n"
        "0299012,Nowa Gmina,wiejska,bolesławiecki,dolnośląskie,3800\n",
        encoding="utf-8",
    )
    gminy = load_gminy(extra)
    assert len(gminy) == 2478
    assert gminy["0299012"].name == "Nowa Gmina" and gminy["0299012"].population == 3800


def test_user_csv_may_give_only_populations(tmp_path: Path) -> None:
    extra = tmp_path / "ludnosc.csv"
    extra.write_text("teryt;population\n2002063;21650\n2264011;\n".replace(";", ","),
                     encoding="utf-8")
    gminy = load_gminy(extra)
    assert gminy["2002063"].population == 21650 and gminy["2002063"].name == "Łapy"
    assert gminy["2264011"].population is None and gminy["2264011"].name == "Sopot"
    assert len(gminy) == 2477


def test_user_csv_with_bad_code_names_file_row_and_value(tmp_path: Path) -> None:
    extra = tmp_path / "zle.csv"
    extra.write_text(
        "teryt,name,gmina_type,powiat,voivodeship,population\n"
        "201011,Bolesławiec,miejska,bolesławiecki,dolnośląskie,38000\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as error:
        load_gminy(extra)
    message = str(error.value)
    assert "zle.csv" in message and "wiersz 2" in message and "„201011”" in message


@pytest.mark.parametrize(("content", "column", "value"), [
    ("teryt,population\n2002063,dużo\n", "population", "dużo"),
    ("teryt,population\n2002063,0\n", "population", "0"),
    ("teryt,name\n0299012,Nowa Gmina\n", "gmina_type", "0299012"),
    ("teryt,gmina_type\n2002063,wiejsko-miejska\n", "gmina_type", "wiejsko-miejska"),
])
def test_user_csv_problems_name_the_row_column_and_value(
    tmp_path: Path, content: str, column: str, value: str
) -> None:
    extra = tmp_path / "gminy.csv"
    extra.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_gminy(extra)
    message = str(error.value)
    assert "wiersz 2" in message and f"„{column}”" in message and f"„{value}”" in message


def test_user_csv_without_teryt_column_is_refused(tmp_path: Path) -> None:
    extra = tmp_path / "gminy.csv"
    extra.write_text("kod,population\n2002063,5\n", encoding="utf-8")
    with pytest.raises(InputError, match="Brak kolumn: teryt"):
        load_gminy(extra)
