"""How each gmina × area is funded in a year: a multi-year contract or an annual grant.

Shared by the gmina overview (its matrix rows) and the benchmark (its groups).
"""

from __future__ import annotations

import pandas as pd

from wkus_lib.domain import AREA_IDS, MULTI_YEAR


def contract_modes(contracts: pd.DataFrame, year: int) -> pd.DataFrame:
    """How each gmina × area is funded in ``year``: one row per pair with a contract then.

    A multi-year contract wins over an annual grant in the same year.
    ``start_year``/``end_year`` are those of the multi-year contract (the
    year itself for annual grants). Columns: ``teryt``, ``area``, ``mode``,
    ``start_year``, ``end_year``, sorted by TERYT and domain area order.
    """
    active = contracts[(contracts["start_year"] <= year) & (contracts["end_year"] >= year)]
    frame = pd.DataFrame({
        "teryt": active["teryt"].astype(str).to_numpy(),
        "area": active["area"].astype(str).to_numpy(),
        "mode": active["mode"].astype(str).to_numpy(),
        "start_year": active["start_year"].astype("int64").to_numpy(),
        "end_year": active["end_year"].astype("int64").to_numpy(),
    })
    frame["multi"] = frame["mode"] == MULTI_YEAR
    frame = frame.sort_values(["teryt", "area", "multi"], ascending=[True, True, False])
    frame = frame.drop_duplicates(["teryt", "area"]).drop(columns="multi")
    annual = frame["mode"] != MULTI_YEAR
    frame.loc[annual, "start_year"] = year
    frame.loc[annual, "end_year"] = year
    order = frame["area"].map({a: i for i, a in enumerate(AREA_IDS)})
    return frame.assign(_order=order).sort_values(["teryt", "_order"]).drop(
        columns="_order").reset_index(drop=True)
