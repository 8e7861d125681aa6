"""Współpraca: the cooperation indicators W1–W6, the index WC and the gap WGAP.

Six areas after the national cooperation quality index (IJW), each scored
0–100 (DOMAIN.md §5): W1–W4 from the JST checklist, W5–W6 from the NGOs'
answers to the cooperation survey. The index is their weighted mean; the
perception gap compares JST officials' and NGOs' answers to the same items.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from wkus_lib.metrics.likert import scale_scores

FloatArray = npt.NDArray[np.float64]

NGO: Final = "ngo"
JST: Final = "jst"
BINARY: Final = "binary"
RATIO: Final = "ratio"
GAP_BOUNDS: Final = (-100.0, 100.0)


def checklist_item_score(
    values: npt.ArrayLike, kinds: npt.ArrayLike, targets: npt.ArrayLike
) -> FloatArray:
    """Score (0–100) of checklist answers.

    ``binary``: ``min(value, 1) × 100`` (1 = yes, 0 = no); ``ratio``:
    ``min(value / target, 1) × 100``. Unknown kinds and missing values give NaN.

    Examples
    --------
    >>> checklist_item_score([1, 0, 0.01, 6], ["binary", "binary", "ratio", "ratio"],
    ...                      [np.nan, np.nan, 0.02, 4]).tolist()
    [100.0, 0.0, 50.0, 100.0]
    """
    value = np.asarray(values, dtype=float)
    kind = np.asarray(kinds, dtype=object)
    target = np.asarray(targets, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio_score = np.where(target > 0, np.minimum(value / target, 1.0), np.nan)
    score = np.select(
        [kind == BINARY, kind == RATIO], [np.minimum(value, 1.0), ratio_score], default=np.nan
    )
    return np.asarray(score, dtype=float) * 100.0


def checklist_scores(
    checklist: pd.DataFrame, items: pd.DataFrame, *, keys: Sequence[str] = ("teryt", "year")
) -> pd.DataFrame:
    """W1–W4: mean item score per indicator and unit.

    Parameters
    ----------
    checklist
        ``cooperation_checklist`` rows: ``item_id``, ``value`` and ``keys``.
        Items not in ``items`` are ignored; items without a row do not count
        (the mean is over the items reported).
    items
        The catalogue's checklist: ``item_id``, ``indicator``, ``kind``, ``target``.
    keys
        Unit columns.

    Returns
    -------
    pandas.DataFrame
        ``keys`` + ``indicator``, ``value`` (0–100), ``n`` (items scored).
    """
    spec = items.set_index("item_id")
    position = spec.index.get_indexer(pd.Index(checklist["item_id"]))
    known = position >= 0
    position = position[known]
    score = checklist_item_score(
        checklist["value"].to_numpy(dtype=float, na_value=np.nan)[known],
        spec["kind"].to_numpy(dtype=object)[position],
        spec["target"].to_numpy(dtype=float, na_value=np.nan)[position],
    )
    frame = pd.DataFrame(
        {
            **{key: checklist[key].to_numpy()[known] for key in keys},
            "indicator": spec["indicator"].to_numpy(dtype=object)[position],
            "score": score,
        }
    )
    summary = frame.groupby([*keys, "indicator"], sort=True, observed=True)["score"].agg(
        ["mean", "count"]
    ).reset_index()
    return summary.rename(columns={"mean": "value", "count": "n"})


def survey_scores(
    survey: pd.DataFrame,
    items: pd.DataFrame,
    *,
    keys: Sequence[str] = ("teryt", "year"),
    group: str = NGO,
    min_answered: float = 0.5,
    level: float = 0.95,
) -> pd.DataFrame:
    """W5–W6: Likert scores (0–100) of one respondent group per indicator.

    Parameters
    ----------
    survey
        ``cooperation_survey`` rows.
    items
        Cooperation survey items (``item_id``, ``reverse``, ``indicator``).
    keys
        Unit columns.
    group
        ``ngo`` for W5/W6 (the organisations' view), ``jst`` for the officials'.
    min_answered, level
        Missing-answer policy and interval level.

    Returns
    -------
    pandas.DataFrame
        ``keys`` + ``indicator``, ``value``, ``n``, ``sd``, ``ci_low``, ``ci_high``.
    """
    answers = survey[survey["group"] == group]
    return scale_scores(
        answers, items, keys=keys, scale_columns=("indicator",),
        min_answered=min_answered, level=level,
    )


def composite_index(
    components: pd.DataFrame,
    weights: Mapping[str, float],
    *,
    keys: Sequence[str] = ("teryt", "year"),
) -> pd.DataFrame:
    """WC: weighted mean of the available cooperation areas.

    ``WC = Σ wᵢ Wᵢ / Σ wᵢ`` over the areas with a value (weights renormalised),
    so a missing or suppressed area neither counts as zero nor blocks the
    index.

    Parameters
    ----------
    components
        ``keys`` + ``indicator`` (W1…W6) + ``value``.
    weights
        Weight per indicator id; indicators without a weight are ignored.
    keys
        Unit columns.

    Returns
    -------
    pandas.DataFrame
        ``keys`` + ``value`` and ``n`` (areas used).

    Examples
    --------
    >>> parts = pd.DataFrame({"teryt": ["2013023"] * 3, "year": [2024] * 3,
    ...                       "indicator": ["W1", "W2", "W5"], "value": [80.0, 60.0, np.nan]})
    >>> composite_index(parts, {"W1": 2, "W2": 1, "W5": 1})["value"].tolist()
    [73.33333333333333]
    """
    weight = components["indicator"].map(dict(weights)).to_numpy(dtype=float, na_value=np.nan)
    value = components["value"].to_numpy(dtype=float, na_value=np.nan)
    usable = ~np.isnan(weight) & ~np.isnan(value)
    frame = components[list(keys)][usable].assign(
        weighted=(weight * value)[usable], weight=weight[usable]
    )
    groups = frame.groupby(list(keys), sort=True, observed=True)
    summary = groups[["weighted", "weight"]].sum().assign(n=groups.size()).reset_index()
    total = summary["weight"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        index = np.where(total > 0, summary["weighted"].to_numpy(dtype=float) / total, np.nan)
    composite: pd.DataFrame = summary[list(keys)].assign(
        value=index, n=summary["n"].astype("int64"))
    return composite


def perception_gap(
    survey: pd.DataFrame,
    items: pd.DataFrame,
    *,
    keys: Sequence[str] = ("teryt", "year"),
    min_answered: float = 0.5,
    level: float = 0.95,
) -> pd.DataFrame:
    """WGAP: JST officials' score − NGOs' score on the same cooperation items.

    Both groups are scored on all ``items`` as one scale (0–100). A
    positive gap: the office rates cooperation better than the
    organisations do. The interval is Welch's:
    ``gap ± t(df) × √(s²_jst/n_jst + s²_ngo/n_ngo)`` with the
    Welch–Satterthwaite ``df``; ``n`` is the smaller group.

    Returns
    -------
    pandas.DataFrame
        ``keys`` + ``value``, ``n``, ``ci_low``, ``ci_high``, ``jst``,
        ``ngo``, ``n_jst``, ``n_ngo``.
    """
    scores = scale_scores(
        survey, items.assign(scale="wspolpraca"), keys=[*keys, "group"],
        scale_columns=("scale",), min_answered=min_answered, level=level,
    )

    def _group(name: str) -> pd.DataFrame:
        part = scores[scores["group"] == name]
        return part[[*keys, "value", "n", "sd"]].rename(
            columns={"value": name, "n": f"n_{name}", "sd": f"sd_{name}"})

    both = _group(JST).merge(_group(NGO), on=list(keys), how="inner")
    gap = both[JST].to_numpy(dtype=float) - both[NGO].to_numpy(dtype=float)
    low, high = welch_interval(
        gap,
        both[f"sd_{JST}"].to_numpy(dtype=float, na_value=np.nan),
        both[f"n_{JST}"].to_numpy(dtype=float),
        both[f"sd_{NGO}"].to_numpy(dtype=float, na_value=np.nan),
        both[f"n_{NGO}"].to_numpy(dtype=float),
        level=level,
    )
    n = np.minimum(both[f"n_{JST}"].to_numpy(), both[f"n_{NGO}"].to_numpy())
    gaps: pd.DataFrame = both[list(keys)].assign(
        value=gap, n=n.astype("int64"), ci_low=low, ci_high=high,
        jst=both[JST], ngo=both[NGO], n_jst=both[f"n_{JST}"], n_ngo=both[f"n_{NGO}"],
    )
    return gaps.reset_index(drop=True)


def welch_interval(
    difference: FloatArray,
    sd_a: FloatArray,
    n_a: FloatArray,
    sd_b: FloatArray,
    n_b: FloatArray,
    *,
    level: float = 0.95,
    bounds: tuple[float, float] = GAP_BOUNDS,
) -> tuple[FloatArray, FloatArray]:
    """Welch interval of a difference of two independent means (NaN if a group has n < 2)."""
    var_a = np.square(sd_a) / n_a
    var_b = np.square(sd_b) / n_b
    se = np.sqrt(var_a + var_b)
    valid = (n_a >= 2) & (n_b >= 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        df = np.square(var_a + var_b) / (
            np.square(var_a) / (n_a - 1) + np.square(var_b) / (n_b - 1)
        )
        df = np.where(np.isfinite(df) & (df > 0), df, np.fmax(np.minimum(n_a, n_b) - 1, 1))
        quantile = stats.t.ppf(0.5 + level / 2, df)
    half = np.where(valid, quantile * se, np.nan)
    low = np.clip(difference - half, *bounds)
    high = np.clip(difference + half, *bounds)
    return low, high
