"""Ex-post evaluation rule: continue, modify or stop a multi-year contract.

:func:`recommend` applies the stated rules (:data:`RECOMMENDATION_RULES`, checked
in order) to the traffic lights of the key indicators and returns a
:class:`Recommendation` record: the rule that holds and the indicators behind it.
The report words the rules and the verdict (:mod:`wkus_lib.report.ex_post`); the
cooperation programme reads the same record (:mod:`wkus_lib.program.evaluation`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

RecommendationId = Literal["stop", "modify", "continue", "none"]
RECOMMENDATION_RULES: Final[tuple[RecommendationId, ...]] = ("stop", "modify", "continue")
"""The rules in the order they are checked; the first that holds is the recommendation:

- ``stop`` — quality and efficiency both red: client satisfaction (Q1) or result
  achievement (Q3R) red, and the cost after the switch to the contract (E9) red;
- ``modify`` — at least one of :data:`KEY_INDICATORS` red, or at least three amber;
- ``continue`` — none of the above.
"""
KEY_INDICATORS: Final = ("Q1", "Q3R", "Q6", "Q7", "E3", "E9", "TRI")
QUALITY_INDICATORS: Final = ("Q1", "Q3R")
COST_INDICATOR: Final = "E9"
MIN_AMBERS: Final = 3
"""Rule ``modify``: this many amber key indicators are enough."""
LIGHTS: Final = ("green", "amber", "red")

NO_RECOMMENDATION: Final = "none"
"""No recommendation: the stage does not fit, or no key indicator has a traffic light."""


@dataclass(frozen=True)
class Recommendation:
    """The verdict of the rules: ``rule`` (a :data:`RECOMMENDATION_RULES` id or
    :data:`NO_RECOMMENDATION`) and ``evidence``, the key indicators that made it
    (reds, then ambers for ``modify``; reds for ``stop``; none for ``continue``)."""

    rule: RecommendationId
    evidence: tuple[str, ...] = ()


def recommend(statuses: Mapping[str, str]) -> Recommendation:
    """The recommendation from the traffic lights of the evaluated year.

    ``statuses`` maps indicator ids to their status (``green``, ``amber``,
    ``red``, ``none``); only :data:`KEY_INDICATORS` are read, in that order.
    :data:`NO_RECOMMENDATION` when none of them has a light (no data is not a
    reason to continue).

    >>> recommend({"Q1": "red", "E9": "red", "E3": "green"})
    Recommendation(rule='stop', evidence=('Q1', 'E9'))
    >>> recommend({"Q1": "green", "E3": "amber"})
    Recommendation(rule='continue', evidence=())
    >>> recommend({"W4": "red"}).rule
    'none'
    """
    status = {i: str(statuses[i]) for i in KEY_INDICATORS if i in statuses}
    if not any(s in LIGHTS for s in status.values()):
        return Recommendation(NO_RECOMMENDATION)
    reds = tuple(i for i, s in status.items() if s == "red")
    ambers = tuple(i for i, s in status.items() if s == "amber")
    quality_red = any(status.get(i) == "red" for i in QUALITY_INDICATORS)
    if quality_red and status.get(COST_INDICATOR) == "red":
        return Recommendation("stop", reds)
    if reds or len(ambers) >= MIN_AMBERS:
        return Recommendation("modify", reds + ambers)
    return Recommendation("continue")
