"""Domain registry: fixed vocabularies and the gmina registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from wkus_lib.domain import AREA_IDS, AREA_NAMES, STAGE_IDS, ascii_slug, load_gminy
from wkus_lib.errors import InputError


def test_nine_areas_in_the_domain_order() -> None:
    assert AREA_IDS[0] == "edukacja" and AREA_IDS[-1] == "planowanie"
    assert len(AREA_IDS) == 9 and set(AREA_NAMES) == set(AREA_IDS)


def test_three_stages() -> None:
    assert STAGE_IDS == ("ex_ante", "on_going", "ex_post")


def test_registry_ships_the_nine_pilot_gminy_with_string_codes() -> None:
    gminy = load_gminy()
    assert len(gminy) == 9
    assert gminy["2002063"].name == "Łapy"
    assert all(isinstance(code, str) and len(code) == 7 for code in gminy)


def test_slug_survives_polish_letters() -> None:
    assert ascii_slug("Turośń Kościelna") == "turosn-koscielna"
    assert load_gminy()["2003042"].slug == "2003042-bocki"


def test_user_csv_adds_gminy_and_keeps_leading_zero(tmp_path: Path) -> None:
    extra = tmp_path / "moje_gminy.csv"
    extra.write_text(
        "teryt,name,gmina_type,powiat,voivodeship,population\n"
        "0201011,Bolesławiec,miejska,bolesławiecki,dolnośląskie,38000\n",
        encoding="utf-8",
    )
    gminy = load_gminy(extra)
    assert len(gminy) == 10 and gminy["0201011"].name == "Bolesławiec"


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
