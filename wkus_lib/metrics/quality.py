"""Jakość: the quality indicators Q1–Q7 and the triangulation gap (DOMAIN.md §5).

Q1–Q4 are survey scales (client, staff and provider self-assessment items of
each criterion, scored by :mod:`wkus_lib.metrics.likert`); Q2C, Q3R, Q5–Q7
come from the NGO's report, the needs diagnosis and the JST inspection.
Shares are percentages (0–100).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from wkus_lib.metrics.efficiency import ratio
from wkus_lib.metrics.likert import scale_scores

FloatArray = npt.NDArray[np.float64]

PERSPECTIVE_COLUMNS: Final = ("klient", "personel", "usluga")
SELF_ASSESSMENT: Final = "samoocena"
CLIENT: Final = "klient"
STAFF: Final = "personel"
DEFAULT_RESULT_CAP: Final = 1.2
DEFAULT_GAP_FLAG: Final = 15.0


def needs_coverage(clients_served: npt.ArrayLike, people_in_need: npt.ArrayLike) -> FloatArray:
    """Q2C: ``clients served / people in need (diagnosis) × 100`` [%].

    Examples
    --------
    >>> float(needs_coverage(45, 60))
    75.0
    """
    return ratio(clients_served, people_in_need) * 100.0


def result_achievement(
    achieved: npt.ArrayLike, target: npt.ArrayLike, *, cap: float = DEFAULT_RESULT_CAP
) -> FloatArray:
    """Achievement of each result: ``min(achieved / target, cap) × 100`` [%].

    The cap (1.2 = 120 %) applies to each result *before* results are
    averaged, so one over-achieved result cannot hide an under-achieved one.
    A missing ``achieved`` gives NaN.

    Examples
    --------
    >>> result_achievement([50, 150, np.nan], [100, 100, 100]).tolist()
    [50.0, 120.0, nan]
    """
    return np.minimum(ratio(achieved, target), cap) * 100.0


def mean_result_achievement(
    results: pd.DataFrame, *, by: Sequence[str], cap: float = DEFAULT_RESULT_CAP
) -> pd.DataFrame:
    """Q3R: mean over results of :func:`result_achievement`, per group of ``by``.

    Parameters
    ----------
    results
        ``achieved``, ``target`` and the ``by`` columns; one row per result.
    by
        Grouping columns (e.g. contract and year, or gmina, area and year).
    cap
        Per-result cap applied before averaging.

    Returns
    -------
    pandas.DataFrame
        ``by`` + ``value`` (%) and ``n`` (results with an achieved value).
    """
    achievement = result_achievement(
        results["achieved"].to_numpy(dtype=float, na_value=np.nan),
        results["target"].to_numpy(dtype=float, na_value=np.nan),
        cap=cap,
    )
    grouped = results[list(by)].assign(value=achievement).groupby(
        list(by), sort=True, observed=True, dropna=False
    )["value"]
    summary = grouped.agg(["mean", "count"]).reset_index()
    return summary.rename(columns={"mean": "value", "count": "n"})


def standard_compliance(checklist: pd.DataFrame, *, by: Sequence[str]) -> pd.DataFrame:
    """Q5: share of service-standard requirements met, three ways [%].

    - ``self_declared`` (Q5D): requirements the provider declares met;
    - ``not_refuted`` (Q5): declared met and not refuted by the JST
      inspection (``jst_confirmed`` true or not inspected);
    - ``confirmed`` (Q5K): declared met and confirmed in the inspection;
      NaN when nothing was inspected.

    Each is ``count / requirements assessed × 100``.

    Parameters
    ----------
    checklist
        ``self_met`` (bool), ``jst_confirmed`` (nullable bool) and ``by``.
    by
        Grouping columns.

    Returns
    -------
    pandas.DataFrame
        ``by`` + ``not_refuted``, ``self_declared``, ``confirmed``,
        ``n_requirements``, ``n_checked``.
    """
    self_met = checklist["self_met"].to_numpy(dtype=bool)
    confirmed = checklist["jst_confirmed"].astype("boolean")
    checked = confirmed.notna().to_numpy()
    refuted = (~confirmed).fillna(False).to_numpy(dtype=bool)
    frame = checklist[list(by)].assign(
        self_declared=self_met.astype(float),
        not_refuted=(self_met & ~refuted).astype(float),
        confirmed=(self_met & confirmed.fillna(False).to_numpy(dtype=bool)).astype(float),
        checked=checked.astype(float),
    )
    groups = frame.groupby(list(by), sort=True, observed=True, dropna=False)
    means = groups[["self_declared", "not_refuted"]].mean()
    sums = groups[["confirmed", "checked"]].sum()
    summary = means.assign(
        confirmed_sum=sums["confirmed"], n_requirements=groups.size(), n_checked=sums["checked"]
    ).reset_index()
    n = summary["n_requirements"].to_numpy(dtype=float)
    n_checked = summary["n_checked"].to_numpy(dtype=float)
    return summary[list(by)].assign(
        not_refuted=summary["not_refuted"] * 100.0,
        self_declared=summary["self_declared"] * 100.0,
        confirmed=np.where(n_checked > 0, summary["confirmed_sum"].to_numpy() / n * 100.0,
                           np.nan),
        n_requirements=summary["n_requirements"].astype("int64"),
        n_checked=summary["n_checked"].astype("int64"),
    )


def staff_continuity(staff_left: npt.ArrayLike, staff_count: npt.ArrayLike) -> FloatArray:
    """Q6: ``(1 − staff who left / staff count) × 100`` [%].

    Examples
    --------
    >>> float(staff_continuity(1, 8))
    87.5
    """
    return (1.0 - ratio(staff_left, staff_count)) * 100.0


def complaints_per_100(complaints: npt.ArrayLike, clients_served: npt.ArrayLike) -> FloatArray:
    """Q7: ``complaints / clients served × 100`` [per 100 clients] (lower is better)."""
    return ratio(complaints, clients_served) * 100.0


def perspective_scores(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    keys: Sequence[str] = (),
    min_answered: float = 0.5,
    level: float = 0.95,
) -> pd.DataFrame:
    """Scores (0–100) of every criterion from every service instrument.

    Parameters
    ----------
    responses
        ``survey_responses`` rows (klient, personel, samoocena).
    items
        Survey items of the catalogue (instrument, perspective, criterion,
        reverse).
    keys
        Unit columns, e.g. ``("teryt", "area", "year")``.
    min_answered, level
        Missing-answer policy and interval level (see :mod:`~wkus_lib.metrics.likert`).

    Returns
    -------
    pandas.DataFrame
        ``keys`` + ``instrument``, ``perspective``, ``criterion``, ``value``,
        ``n``, ``sd``, ``ci_low``, ``ci_high``.
    """
    return scale_scores(
        responses, items, keys=keys, scale_columns=("instrument", "perspective", "criterion"),
        min_answered=min_answered, level=level,
    )


def criteria_matrix(scores: pd.DataFrame, *, criteria: Sequence[str] = ()) -> pd.DataFrame:
    """The criteria × perspectives matrix of one unit.

    Rows are criteria, columns the perspectives klient, personel, usluga.

    Parameters
    ----------
    scores
        :func:`perspective_scores` of a single gmina × area × year.
    criteria
        Row order (default: as they appear in ``scores``).
    """
    matrix = scores.pivot_table(
        index="criterion", columns="perspective", values="value", aggfunc="mean", sort=False
    )
    rows = list(criteria) if criteria else list(dict.fromkeys(scores["criterion"]))
    matrix = matrix.reindex(index=rows, columns=list(PERSPECTIVE_COLUMNS))
    matrix.columns.name = None
    return matrix


def triangulation_gaps(
    scores: pd.DataFrame,
    *,
    keys: Sequence[str] = (),
    flag_threshold: float = DEFAULT_GAP_FLAG,
) -> pd.DataFrame:
    """Self-assessment minus client (and staff) score per criterion, with a flag.

    ``gap_client = self-assessment − client score``; ``gap_staff =
    self-assessment − staff score`` (points 0–100). ``flag`` is true when
    either gap exceeds ``flag_threshold``: the provider rates itself much
    better than its clients or staff do (self-assessment inflation).

    Parameters
    ----------
    scores
        :func:`perspective_scores` output.
    keys
        Unit columns of ``scores``.
    flag_threshold
        Points above which a gap is flagged (15 by default).

    Returns
    -------
    pandas.DataFrame
        ``keys`` + ``criterion``, ``self_score``, ``client_score``,
        ``client_n``, ``client_ci_low``, ``client_ci_high``, ``staff_score``,
        ``gap_client``, ``gap_staff``, ``flag``.
    """
    on = [*keys, "criterion"]

    def _scores(instrument: str, prefix: str) -> pd.DataFrame:
        part = scores[scores["instrument"] == instrument]
        return part[[*on, "value", "n", "ci_low", "ci_high"]].rename(
            columns={"value": f"{prefix}_score", "n": f"{prefix}_n",
                     "ci_low": f"{prefix}_ci_low", "ci_high": f"{prefix}_ci_high"})

    gaps = (
        _scores(SELF_ASSESSMENT, "self")
        .merge(_scores(CLIENT, "client"), on=on, how="outer")
        .merge(_scores(STAFF, "staff"), on=on, how="outer")
    )
    self_score = gaps["self_score"].to_numpy(dtype=float, na_value=np.nan)
    gap_client = self_score - gaps["client_score"].to_numpy(dtype=float, na_value=np.nan)
    gap_staff = self_score - gaps["staff_score"].to_numpy(dtype=float, na_value=np.nan)
    flag = (np.nan_to_num(gap_client, nan=-np.inf) > flag_threshold) | (
        np.nan_to_num(gap_staff, nan=-np.inf) > flag_threshold
    )
    columns = [*on, "self_score", "client_score", "client_n", "client_ci_low", "client_ci_high",
               "staff_score"]
    return gaps[columns].assign(gap_client=gap_client, gap_staff=gap_staff, flag=flag).sort_values(
        on
    ).reset_index(drop=True)


def largest_triangulation_gap(gaps: pd.DataFrame, *, keys: Sequence[str]) -> pd.DataFrame:
    """TRI: the largest self-assessment − client gap over the criteria of each unit.

    The interval treats the self-assessment as a fixed declaration:
    ``[self − client CI high, self − client CI low]``; ``n`` is the number of
    client respondents behind the criterion with the largest gap (ties go
    to the first criterion in alphabetical order).

    Returns
    -------
    pandas.DataFrame
        ``keys`` + ``criterion``, ``value``, ``n``, ``ci_low``, ``ci_high``.
    """
    known = gaps[gaps["gap_client"].notna()]
    order = known.sort_values(
        [*keys, "gap_client", "criterion"], ascending=[*([True] * len(keys)), False, True]
    )
    top = order.drop_duplicates(list(keys), keep="first") if keys else order.head(1)
    self_score = top["self_score"].to_numpy(dtype=float)
    return pd.DataFrame(
        {
            **{key: top[key].to_numpy() for key in keys},
            "criterion": top["criterion"].to_numpy(),
            "value": top["gap_client"].to_numpy(dtype=float),
            "n": top["client_n"].to_numpy(dtype="int64"),
            "ci_low": self_score - top["client_ci_high"].to_numpy(dtype=float, na_value=np.nan),
            "ci_high": self_score - top["client_ci_low"].to_numpy(dtype=float, na_value=np.nan),
        }
    ).reset_index(drop=True)
