"""Whether a report's stage fits its area and year: the impossible combinations.

A batch renders only the reports the data support
(:mod:`wkus_lib.batch.selection`), but a report can still be asked for by hand
(``wkus report --stage ex_post --area sport``) or rendered on data that
changed. :func:`stage_mismatch` states, in Polish, why a combination cannot
be evaluated:

- ``ex_ante`` for an area already under a multi-year contract in the year;
- ``on_going`` for a year no multi-year contract of the area covers;
- ``ex_post`` for an area that never had a multi-year contract, or for a
  year other than the one its contract ended in (still running, or ended
  earlier: the ex-post evaluation is made for the contract's last year).

Such a report says why on its title page and in place of each section
(:func:`skip_section`): no findings, recommendation or decision checklist;
its appendix still lists the data it found.
"""

from __future__ import annotations

import pandas as pd

from wkus_lib.domain import EX_ANTE, EX_POST, MULTI_YEAR, ON_GOING
from wkus_lib.report.context import ReportContext, area_contracts, area_name, per_report
from wkus_lib.report.display import show_text
from wkus_lib.text.i18n import _


def _periods(contracts: pd.DataFrame) -> str:
    spans = sorted({(int(s), int(e)) for s, e in zip(contracts["start_year"],
                                                     contracts["end_year"], strict=True)})
    return ", ".join(f"{s}–{e}" for s, e in spans)


def mismatch_text(stage: str, area: str, year: int, contracts: pd.DataFrame) -> str | None:
    """Why ``stage`` cannot evaluate ``area`` in ``year`` given its ``contracts``; None if it can.

    ``contracts`` are the area's contracts (``mode``, ``start_year``,
    ``end_year``); ``area`` is the area's name in the report language. A
    report's contracts are those signed by its year
    (:func:`wkus_lib.report.context.store_up_to`), so a contract that starts
    later is not named: for the report's year the area was on annual grants.
    """
    multi = contracts[contracts["mode"] == MULTI_YEAR]
    running = multi[(multi["start_year"] <= year) & (multi["end_year"] >= year)]
    if stage == EX_ANTE and len(running):
        return _("Obszar „{area}” jest w {year} r. objęty kontraktem wieloletnim ({periods}). "
                 "Ocena wstępna dotyczy obszarów finansowanych dotacjami rocznymi: wybierz ocenę "
                 "bieżącą (on_going) albo, po zakończeniu kontraktu, końcową (ex_post).").format(
            area=area, year=year, periods=_periods(running))
    if stage == ON_GOING and running.empty:
        if multi.empty:
            return _("W obszarze „{area}” do {year} r. nie było kontraktu wieloletniego: ocena "
                     "bieżąca nie ma czego ocenić. Dla obszaru na dotacjach rocznych wybierz "
                     "ocenę wstępną (ex_ante).").format(area=area, year=year)
        return _("Żaden kontrakt wieloletni obszaru „{area}” nie obejmuje {year} r. (kontrakty: "
                 "{periods}). Wybierz rok trwania kontraktu.").format(
            area=area, year=year, periods=_periods(multi))
    if stage == EX_POST:
        if multi.empty:
            return _("W obszarze „{area}” do {year} r. nie było kontraktu wieloletniego, więc "
                     "nie ma czego ocenić po jego zakończeniu. Dla obszaru na dotacjach rocznych "
                     "wybierz ocenę wstępną (ex_ante).").format(area=area, year=year)
        if (multi["end_year"] == year).any():
            return None
        ended = multi[multi["end_year"] < year]
        if ended.empty:
            return _("Kontrakt wieloletni obszaru „{area}” ({periods}) nie zakończył się do "
                     "{year} r.: ocenę końcową robi się po jego zakończeniu, a w trakcie — "
                     "ocenę bieżącą (on_going).").format(
                area=area, year=year, periods=_periods(multi))
        return _("Kontrakt wieloletni obszaru „{area}” ({periods}) zakończył się przed {year} "
                 "r.: ocena końcowa dotyczy roku zakończenia kontraktu — wybierz rok "
                 "{end}.").format(area=area, year=year, periods=_periods(ended),
                                  end=int(ended["end_year"].max()))
    return None


@per_report
def stage_mismatch(ctx: ReportContext) -> str | None:
    """:func:`mismatch_text` for the report (None for gmina-level reports)."""
    if ctx.area is None:
        return None
    return mismatch_text(str(ctx.stage), area_name(ctx.area), ctx.year, area_contracts(ctx))


def skip_section(ctx: ReportContext) -> bool:
    """In a report whose stage does not fit, say so in place of a section; True if skipped.

    The section's data would be those of another stage (or none), so it is
    left out rather than shown as "missing".
    """
    if stage_mismatch(ctx) is None:
        return False
    show_text(_("_Sekcja pominięta: ten raport nie może ocenić wybranego obszaru i roku "
                "(powód na stronie tytułowej)._"))
    return True
