"""The questionnaires the catalogue defines, as respondents see them.

Five questionnaires come out of four catalogue instruments: the client,
staff and provider self-assessment surveys, and the cooperation survey once
per respondent group (JST officials, NGOs), because both groups answer the
same items and the store keeps the group with each answer. Items are grouped
by criterion in the catalogue's criteria order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from wkus_lib.catalog import COOPERATION_INSTRUMENT, Catalog, InformationClause, SurveyItem
from wkus_lib.errors import CatalogError

SERVICE_TABLE: Final = "survey_responses"
COOPERATION_TABLE: Final = "cooperation_survey"
ADMINISTRATOR_BLANK: Final = "…………………………………………"


@dataclass(frozen=True)
class ItemGroup:
    """The items of one criterion, under the heading respondents see."""

    criterion: str
    heading_pl: str
    items: tuple[SurveyItem, ...]


@dataclass(frozen=True)
class Questionnaire:
    """One questionnaire: a catalogue instrument, for the cooperation survey one group."""

    form_id: str
    instrument: str
    group: str | None
    title_pl: str
    respondents_pl: str
    item_groups: tuple[ItemGroup, ...]

    @property
    def table(self) -> str:
        """The store table its answers go to."""
        return COOPERATION_TABLE if self.group is not None else SERVICE_TABLE

    @property
    def items(self) -> tuple[SurveyItem, ...]:
        """Every item in questionnaire order."""
        return tuple(item for group in self.item_groups for item in group.items)


def _grouped(catalog: Catalog, items: tuple[SurveyItem, ...]) -> tuple[ItemGroup, ...]:
    order = [c.criterion for c in catalog.instruments.criteria]
    criteria = sorted(
        dict.fromkeys(item.criterion for item in items),
        key=lambda c: order.index(c) if c in order else len(order),
    )
    return tuple(
        ItemGroup(
            criterion=criterion,
            heading_pl=catalog.instruments.criterion_label(criterion).heading_pl,
            items=tuple(item for item in items if item.criterion == criterion),
        )
        for criterion in criteria
    )


def questionnaires(catalog: Catalog) -> tuple[Questionnaire, ...]:
    """Every questionnaire of the catalogue, in catalogue order.

    Raises
    ------
    CatalogError
        When the catalogue lacks what respondents must see (the criteria
        headings, the information clause, the instructions, the cooperation
        survey's respondent groups) — e.g. a copy made by an older version.
    """
    require_presentation(catalog)
    forms: list[Questionnaire] = []
    for name, instrument in catalog.instruments.instruments.items():
        groups = _grouped(catalog, instrument.items)
        if name == COOPERATION_INSTRUMENT:
            for group, variant in (instrument.respondent_groups or {}).items():
                forms.append(Questionnaire(
                    form_id=f"{name}_{group}", instrument=name, group=group,
                    title_pl=variant.name_pl, respondents_pl=variant.respondents_pl,
                    item_groups=groups,
                ))
            continue
        forms.append(Questionnaire(
            form_id=name, instrument=name, group=None, title_pl=instrument.name_pl,
            respondents_pl=instrument.respondents_pl or "", item_groups=groups,
        ))
    return tuple(forms)


def questionnaire(catalog: Catalog, form_id: str) -> Questionnaire:
    """The questionnaire ``form_id`` (e.g. ``samoocena``, ``wspolpraca_ngo``)."""
    for form in questionnaires(catalog):
        if form.form_id == form_id:
            return form
    known = ", ".join(f.form_id for f in questionnaires(catalog))
    raise CatalogError(f"Katalog ({catalog.source}) nie ma kwestionariusza „{form_id}” ({known}).")


def require_presentation(catalog: Catalog) -> None:
    """Fail with a Polish message when the catalogue lacks a field respondents must see."""
    instruments = catalog.instruments
    cooperation = instruments.instruments.get(COOPERATION_INSTRUMENT)
    missing = [
        field for field, present in (
            ("criteria", bool(instruments.criteria)),
            ("information_clauses", all(instruments.clause_for(audience) is not None
                                        for audience in instruments.audiences())),
            ("instructions_pl", instruments.instructions_pl is not None),
            (f"instruments.{COOPERATION_INSTRUMENT}.respondent_groups",
             cooperation is None or cooperation.respondent_groups is not None),
        ) if not present
    ]
    if missing:
        raise CatalogError(
            f"Katalog ({catalog.source}) nie zawiera pól potrzebnych do narzędzi badawczych: "
            f"{', '.join(missing)}. Skopiuj aktualny katalog poleceniem „wkus catalog” "
            "i przenieś do niego swoje zmiany."
        )


def audience_clause(catalog: Catalog, audience: str) -> InformationClause:
    """The information clause of a questionnaire (its ``form_id``) or an interview (its key)."""
    require_presentation(catalog)
    clause = catalog.instruments.clause_for(audience)
    assert clause is not None  # guaranteed by require_presentation
    return clause


def clause_paragraphs(catalog: Catalog, administrator: str | None, audience: str) -> tuple[str, ...]:
    """The audience's clause filled in: administrator (a dotted line if unknown), thresholds."""
    suppression = catalog.settings.suppression
    return audience_clause(catalog, audience).paragraphs(
        administrator or ADMINISTRATOR_BLANK, threshold=suppression.threshold,
        quotes_threshold=suppression.quotes_threshold)
