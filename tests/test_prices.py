"""Real prices: the packaged GUS services index, deflation, missing years named, the user copy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wkus_lib.catalog import copy_default_catalog, load_catalog, prices
from wkus_lib.catalog.prices import (
    PriceIndex,
    PriceIndexError,
    base_year_for,
    deflate,
    packaged_price_index,
    parse_price_index,
)


def test_packaged_index_is_the_gus_services_column_2016_2024() -> None:
    index = packaged_price_index()
    assert (index.first_year, index.last_year) == (2016, 2024)
    # GUS services (previous year = 100): 2022 111.2, 2023 111.2, 2024 106.6
    assert index.indices[-3:] == (111.2, 111.2, 106.6)
    assert index.covered_years[0] == 2015


def test_deflate_hand_worked_with_the_gus_index() -> None:
    # 2021 → 2024 prices: × 1.112 (2022) × 1.112 (2023) × 1.066 (2024) = 1.318155904
    # 1 000 zł of 2021 = 1 318.16 zł of 2024; 1 000 zł of 2024 stays 1 000 zł
    real = deflate([1000.0, 1000.0, np.nan], [2021, 2024, 2022], 2024, packaged_price_index())
    assert real[0] == pytest.approx(1318.155904)
    assert real[1] == pytest.approx(1000.0)
    assert np.isnan(real[2])


def test_a_missing_year_is_named_never_guessed() -> None:
    with pytest.raises(PriceIndexError) as error:
        deflate([100.0, 100.0], [2024, 2025], 2024, packaged_price_index())
    message = str(error.value)
    assert "brak wskaźnika cen usług za 2025 r." in message
    assert "ceny_gus_cpi.csv" in message and "Dopisz rok 2025" in message


def test_base_year_is_the_evaluation_year_or_the_last_index_year() -> None:
    index = packaged_price_index()
    assert base_year_for(2023, index) == (2023, False)
    assert base_year_for(2025, index) == (2024, True)


def test_user_copy_holds_the_index_and_a_year_added_there_is_used(tmp_path: Path) -> None:
    folder = copy_default_catalog(tmp_path / "katalog")
    file = folder / prices.PRICES_FILE
    assert file.read_text(encoding="utf-8").startswith("year,cpi_total,cpi_goods,cpi_services")
    # a user adds 2025 (a made-up 105.0 for the test) in Excel style: semicolons, decimal comma
    rows = file.read_text(encoding="utf-8").replace(",", ";").splitlines()
    rows.append("2025;104,0;103,0;105,0")
    file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    index = load_catalog(folder).price_index
    assert index.last_year == 2025 and index.indices[-1] == 105.0
    # 100 zł of 2024 in 2025 prices: 100 × 1.05 = 105
    assert float(deflate([100.0], [2024], 2025, index)[0]) == pytest.approx(105.0)
    assert load_catalog().price_index.last_year == 2024  # the packaged one is untouched


@pytest.mark.parametrize(("text", "fragment"), [
    ("year,cpi_services\n2020,106.9\n2022,111.2\n", "po 2020 r. jest 2022 r."),
    ("year,cpi_services\n2020,abc\n", "wiersz 2; kolumna „cpi_services”; wartość „abc”"),
    ("year,cpi_total\n2020,101\n", "brak kolumny „cpi_services”"),
    ("year,cpi_services\n", "nie ma żadnego roku"),
])
def test_a_malformed_index_names_file_row_column_and_value(text: str, fragment: str) -> None:
    with pytest.raises(PriceIndexError, match=fragment) as error:
        parse_price_index(text, "katalog/ceny_gus_cpi.csv")
    assert "plik katalog/ceny_gus_cpi.csv" in str(error.value)


def test_level_chain() -> None:
    index = PriceIndex(first_year=2022, indices=(110.0, 120.0))
    assert index.level(2021) == 1.0
    assert index.level(2023) == pytest.approx(1.32)
    assert index.missing([2020, 2021, 2024, 2024]) == [2020, 2024]


