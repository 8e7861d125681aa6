"""The methods every report annex states: intervals, α, the answered rule, suppression.

Each line takes its numbers from the catalogue settings (never from the
text), so a catalogue with another confidence level or threshold prints
its own values. :func:`method_notes` returns the lines as a table;
:func:`agreeing_groups` names the survey values shown without an interval
because every respondent gave the same answer. A line on the price base of
real values belongs here too (it names the price index and base year).
"""

from __future__ import annotations

import pandas as pd

from wkus_lib.catalog import Catalog
from wkus_lib.metrics.reliability import DEFAULT_NAN_POLICY
from wkus_lib.text.i18n import N_, _
from wkus_lib.text.numbers import format_number

NAN_POLICY_TEXT = {
    "pairwise": N_("każda kowariancja pary pytań z respondentów, którzy odpowiedzieli na oba "
                   "(usuwanie parami braków odpowiedzi)"),
    "listwise": N_("tylko respondenci, którzy odpowiedzieli na wszystkie pytania skali"),
}


def _percent(share: float) -> str:
    return format_number(share * 100, 0) + " %"


def method_notes(catalog: Catalog, threshold: int) -> pd.DataFrame:
    """Topic and rule of each method the report's numbers rest on (Polish or English).

    ``threshold`` is the suppression threshold the report used (the
    catalogue's unless overridden).
    """
    settings = catalog.settings
    level = _percent(settings.confidence_level)
    rows = [
        (_("Przedziały ufności"),
         _("Wynik ankiety (0–100) podajemy ze średnią, liczbą respondentów n i przedziałem "
           "{level}: średnia ± t(n − 1) × odchylenie standardowe / √n (rozkład t Studenta), "
           "obcięty do 0–100. Z jednej odpowiedzi przedziału nie ma. Gdy wszyscy "
           "respondenci odpowiedzieli tak samo, przedziału też nie podajemy: zerowe "
           "odchylenie dałoby przedział zerowej szerokości, czyli pewność, której kilka "
           "zgodnych odpowiedzi nie daje.").format(level=level)),
        (_("Odpowiedzi na pytania skali"),
         _("Wynik respondenta to średnia jego odpowiedzi na pytania skali (pytania odwrócone "
           "przekodowane 6 − x), przeliczona na 0–100. Respondent, który odpowiedział na mniej "
           "niż {share} pytań skali, nie wchodzi do jej wyniku; „nie dotyczy” liczy się jak "
           "brak odpowiedzi.").format(share=_percent(settings.missing_answers.min_answered))),
        (_("Rzetelność skal (alfa Cronbacha)"),
         _("Alfa i jej przedział (metoda Feldta) z macierzy kowariancji: {policy}. "
           "Respondent to osoba ankietowana w danym roku, która odpowiedziała na co najmniej "
           "jedno pytanie skali; ankiety klientów ze wszystkich lat liczone razem (osoba "
           "ankietowana w dwóch latach liczy się dwa razy). Przy mniej niż {minimum} "
           "respondentach zamiast liczby: „za mało respondentów”.").format(
             policy=_(NAN_POLICY_TEXT[DEFAULT_NAN_POLICY]),
             minimum=settings.reliability.min_respondents)),
        (_("Ukrywanie małych liczebności"),
         _("Wyników ankiet z mniej niż {threshold} odpowiedzi nie pokazujemy (ochrona danych "
           "osobowych); wypowiedzi i cytaty tylko z grup liczących co najmniej {quotes} "
           "osób.").format(threshold=threshold,
                           quotes=settings.suppression.quotes_threshold)),
    ]
    return pd.DataFrame(rows, columns=[_("Metoda"), _("Jak liczymy")])


def agreeing_groups(indicators: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Survey scale values shown without an interval because all answers were equal.

    Rows of the indicator table of the scale indicators (those the
    catalogue's survey items feed) with a published value from at least two
    respondents and no interval; one row per area, indicator and year.
    """
    scale_indicators = set(catalog.survey_items()["indicator"])
    n = pd.to_numeric(indicators["n"], errors="coerce")
    mask = (indicators["indicator"].isin(scale_indicators) & ~indicators["suppressed"].astype(bool)
            & indicators["value"].notna() & (n >= 2) & indicators["ci_low"].isna())
    found = indicators[mask].drop_duplicates(["area", "indicator", "year"])
    return found[["area", "indicator", "year", "n"]].reset_index(drop=True)


def agreeing_groups_text(groups: pd.DataFrame) -> str | None:
    """The annex line naming the values without an interval, or None when there are none."""
    if groups.empty:
        return None
    listed = ", ".join(f"{row.indicator} {row.year} (n = {int(row.n)})"
                       for row in groups.itertuples())
    return _("Bez przedziału, bo wszyscy respondenci odpowiedzieli tak samo: {listed}.").format(
        listed=listed)
