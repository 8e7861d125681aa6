"""Programme funds: the three-year mean in constant prices of the basis year, gaps named."""

from __future__ import annotations

import pytest
from test_real_prices_report import _tables

from wkus_lib.catalog import load_catalog
from wkus_lib.domain import load_gminy
from wkus_lib.program.evaluation import evaluate, funds_basis_text, funds_lines
from wkus_lib.store import Store

G = "2013023"


def test_three_year_mean_grant_is_in_basis_year_prices() -> None:
    store = Store(**_tables())
    evaluation = evaluate(store, load_gminy()[G], load_catalog(), 2025)
    (sport,) = funds_lines(evaluation, ["sport"])
    # basis 2024; sport grants 2022 5 800, 2023 6 400, 2024 6 800 zł. In 2024 prices
    # (services index 2023 111.2, 2024 106.6): 5 800 × 1.112 × 1.066 = 6 875.27;
    # 6 400 × 1.066 = 6 822.40; 6 800 → (6 875.27 + 6 822.40 + 6 800) / 3 = 6 832.56
    # (nominal mean 6 333.33)
    assert sport.basis_year == 2024 and sport.last_year_grant == 6800.0
    assert sport.mean_grant == pytest.approx(6832.556, abs=0.01)
    assert sport.unpriced_years == ()
    assert "w cenach roku podstawy" in funds_basis_text([sport], 2024)


def test_a_basis_year_without_price_index_leaves_the_mean_to_fill_and_names_the_year() -> None:
    tables = _tables()
    store = Store(**tables)
    catalog = load_catalog()
    short = catalog.model_copy(update={"price_index": catalog.price_index.__class__(
        first_year=2016, indices=catalog.price_index.indices[:-1])})  # index ends in 2023
    evaluation = evaluate(store, load_gminy()[G], short, 2025)
    (sport,) = funds_lines(evaluation, ["sport"])
    assert sport.mean_grant is None and sport.unpriced_years == (2024,)
    text = funds_basis_text([sport], 2024)
    assert "brak wskaźnika cen usług za 2024 r." in text and "ceny_gus_cpi.csv" in text
