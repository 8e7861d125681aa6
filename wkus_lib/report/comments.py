"""Respondents' own words: survey comments shown where the quote threshold allows.

A quote identifies more than a number, so a survey group's comments are
shown only when the group (respondents of one instrument, gmina, area and
year) has at least ``settings.suppression.quotes_threshold`` respondents
(:func:`wkus_lib.metrics.privacy.suppress_quotes`). Where a group is too
small, or its size is unknown (comments without questionnaires), the report
says so in one line: how many comments, how many respondents, the threshold.
Comments appear without respondent pseudonyms.
"""

from __future__ import annotations

import html
from typing import Final

import pandas as pd

from wkus_lib.metrics.privacy import suppress_quotes
from wkus_lib.report.context import ReportContext
from wkus_lib.report.display import show_heading, show_html, show_text
from wkus_lib.schemas import SERVICE_INSTRUMENTS
from wkus_lib.store import Store
from wkus_lib.text.i18n import N_, _

GROUP_COLUMNS: Final = ("teryt", "area", "year", "instrument")
INSTRUMENT_LABELS: Final[dict[str, str]] = {
    "klient": N_("ankieta klientów"),
    "personel": N_("ankieta personelu"),
    "samoocena": N_("samoocena realizatora"),
}


def comment_groups(store: Store, teryt: str, area: str, year: int,
                   threshold: int) -> pd.DataFrame:
    """The year's comments of one gmina and area, per instrument, and whether they may be shown.

    Columns: ``instrument``, ``comments`` (how many), ``respondents`` (distinct
    respondents of the instrument's questionnaires that year; NA when there
    are none), ``shown`` (the group reaches ``threshold``) and ``texts`` (the
    comments when shown, else an empty tuple), in :data:`SERVICE_INSTRUMENTS`
    order.
    """
    columns = list(GROUP_COLUMNS)
    comments = store.survey_comments
    comments = comments[(comments["teryt"] == teryt) & (comments["area"] == area)
                        & (comments["year"] == year)].reset_index(drop=True)
    answers = store.survey_responses
    answers = answers[(answers["teryt"] == teryt) & (answers["area"] == area)
                      & (answers["year"] == year)]
    sizes = answers.groupby(columns)["respondent_id"].nunique()
    checked = suppress_quotes(comments, group_sizes=sizes, group_columns=columns,
                              threshold=threshold).table
    records = []
    for instrument in SERVICE_INSTRUMENTS:
        rows = checked[checked["instrument"] == instrument]
        if rows.empty:
            continue
        key = (teryt, area, year, instrument)
        respondents = int(sizes[key]) if key in sizes.index else pd.NA
        texts = tuple(str(t) for t in rows["text"] if not pd.isna(t))
        records.append({"instrument": instrument, "comments": len(rows),
                        "respondents": respondents, "shown": bool(texts), "texts": texts})
    return pd.DataFrame.from_records(
        records, columns=["instrument", "comments", "respondents", "shown", "texts"])


def hidden_line(instrument: str, comments: int, respondents: object, threshold: int) -> str:
    """Why a group's comments are not shown, in the report language (counts without plurals)."""
    label = _(INSTRUMENT_LABELS[instrument])
    if pd.isna(respondents):
        return _("{instrument}: wypowiedzi swobodne nie są pokazane (liczba wypowiedzi: {k}) — "
                 "brak ankiet tej grupy, więc nie wiadomo, ile osób odpowiedziało, a cytaty "
                 "pokazujemy tylko z grup co najmniej {threshold} osób (ochrona danych).").format(
            instrument=label, k=comments, threshold=threshold)
    return _("{instrument}: wypowiedzi swobodne nie są pokazane (liczba wypowiedzi: {k}; liczba "
             "osób w grupie: {n}) — cytaty pokazujemy tylko z grup co najmniej {threshold} osób "
             "(ochrona danych).").format(instrument=label, k=comments, n=respondents,
                                         threshold=threshold)


def show_comments(ctx: ReportContext) -> None:
    """The year's survey comments of the report's area, or one line per group saying why not."""
    if ctx.area is None:
        return
    threshold = ctx.catalog.settings.suppression.quotes_threshold
    groups = comment_groups(ctx.store, ctx.gmina.teryt, ctx.area, ctx.year, threshold)
    show_heading(_("Wypowiedzi respondentów, {year}").format(year=ctx.year), level=3)
    if groups.empty:
        show_text(_("W ankietach z {year} r. nie ma wypowiedzi swobodnych.").format(
            year=ctx.year))
        return
    quoted = _("„{text}”")  # the report language's quotation marks
    for group in groups.itertuples(index=False):
        if not group.shown:
            show_text(hidden_line(str(group.instrument), int(group.comments), group.respondents,
                                  threshold))
            continue
        lead = _("{instrument} — liczba osób w grupie: {n}; cytaty bez pseudonimów:").format(
            instrument=_(INSTRUMENT_LABELS[str(group.instrument)]), n=group.respondents)
        quotes = "".join(f"<li>{quoted.format(text=html.escape(text))}</li>"
                         for text in group.texts)
        show_html(f'<p>{html.escape(lead)}</p><ul class="quotes">{quotes}</ul>')
