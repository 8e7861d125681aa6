"""Pandera models of every input table the three WKUS models need.

One model per table; each column's ``description`` says what it means and,
``title``, where it comes from (usually a field of the NGO's report,
sprawozdanie z wykonania zadania publicznego). ``docs/DATA.md`` documents the
same columns and a test keeps the two in step.

Contract-level tables (finance, contributions, results, beneficiaries,
standard checklist) are keyed by ``contract_id``; survey and gmina-level
tables carry ``teryt`` (and ``area``) themselves.
"""

from __future__ import annotations

from typing import Any, Final, cast

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from wkus_lib.domain import AREA_IDS, CONTRACT_MODES, LIKERT_MAX, LIKERT_MIN, YEAR_MAX, YEAR_MIN

TERYT_REGEX: Final = r"^\d{6}[1-3]$"

SERVICE_INSTRUMENTS: Final = ("klient", "personel", "samoocena")
COOPERATION_GROUPS: Final = ("jst", "ngo")
COST_CATEGORIES: Final = ("dzialania", "administracyjne")
FUNDING_SOURCES: Final = (
    "dotacja",
    "srodki_wlasne",
    "swiadczenia_odbiorcow",
    "inne_publiczne",
    "inne",
)
CONTRIBUTION_KINDS: Final = ("osobowy", "rzeczowy")
TASK_FORMS: Final = ("wspieranie", "powierzanie")


# The field helpers return what pa.Field is declared to return (Any).
def _teryt(description: str = "Kod TERYT gminy (7 znaków, tekst).") -> Any:
    return pa.Field(str_matches=TERYT_REGEX, description=description, title="rejestr TERYT")


def _year(title: str) -> Any:
    return pa.Field(ge=YEAR_MIN, le=YEAR_MAX, description="Rok budżetowy.", title=title)


def _contract_id() -> Any:
    return pa.Field(
        str_length={"min_value": 1},
        description="Identyfikator umowy (np. numer umowy z JST).",
        title="umowa",
    )


END_BEFORE_START: Final = "rok zakończenia wcześniejszy niż rok rozpoczęcia"
MORE_LEAVERS_THAN_STAFF: Final = "więcej odejść niż osób personelu"
ROW_CHECK_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    END_BEFORE_START: ("start_year", "end_year"),
    MORE_LEAVERS_THAN_STAFF: ("staff_count", "staff_left"),
}
"""Columns each row-level check compares, so a problem names them and their values."""


class _Table(pa.DataFrameModel):
    class Config:
        coerce = True
        strict = "filter"


class Contracts(_Table):
    """Umowy: kontrakty wieloletnie i dotacje roczne."""

    contract_id: Series[str] = pa.Field(
        unique=True, description="Identyfikator umowy (np. numer umowy z JST).", title="umowa"
    )
    teryt: Series[str] = _teryt()
    area: Series[str] = pa.Field(
        isin=list(AREA_IDS), description="Obszar tematyczny (kod).", title="oferta: obszar"
    )
    ngo_name: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="Nazwa organizacji.", title="umowa: strona"
    )
    title: Series[str] = pa.Field(description="Tytuł zadania publicznego.", title="umowa: tytuł")
    mode: Series[str] = pa.Field(
        isin=list(CONTRACT_MODES),
        description="Tryb: multi_year (kontrakt wieloletni) albo annual_grant (dotacja roczna).",
        title="umowa: okres realizacji",
    )
    form: Series[str] = pa.Field(
        isin=list(TASK_FORMS),
        description="Forma zlecenia: wspieranie albo powierzanie.",
        title="umowa: forma",
    )
    start_year: Series[int] = _year("umowa: termin rozpoczęcia")
    end_year: Series[int] = _year("umowa: termin zakończenia")

    @pa.dataframe_check(error=END_BEFORE_START)
    @classmethod
    def end_not_before_start(cls, df: pd.DataFrame) -> Series[bool]:
        return cast("Series[bool]", df["end_year"] >= df["start_year"])


class Finance(_Table):
    """Koszty zadania według kategorii i źródła finansowania (sprawozdanie cz. II)."""

    contract_id: Series[str] = _contract_id()
    year: Series[int] = _year("sprawozdanie: okres sprawozdawczy")
    category: Series[str] = pa.Field(
        isin=list(COST_CATEGORIES),
        description="Kategoria kosztu: dzialania (realizacja działań) albo administracyjne.",
        title="sprawozdanie: zestawienie kosztów",
    )
    source: Series[str] = pa.Field(
        isin=list(FUNDING_SOURCES),
        description="Źródło: dotacja, srodki_wlasne, swiadczenia_odbiorcow, inne_publiczne, inne.",
        title="sprawozdanie: źródła finansowania",
    )
    planned: Series[float] = pa.Field(
        ge=0, description="Koszt planowany w ofercie [zł].", title="oferta: kalkulacja kosztów"
    )
    actual: Series[float] = pa.Field(
        ge=0, nullable=True, description="Koszt poniesiony [zł].",
        title="sprawozdanie: koszty poniesione",
    )


class Contributions(_Table):
    """Wkład osobowy i rzeczowy (sprawozdanie: wkład niefinansowy)."""

    contract_id: Series[str] = _contract_id()
    year: Series[int] = _year("sprawozdanie: okres sprawozdawczy")
    kind: Series[str] = pa.Field(
        isin=list(CONTRIBUTION_KINDS),
        description="Rodzaj wkładu: osobowy (praca wolontariuszy i członków) albo rzeczowy.",
        title="sprawozdanie: wkład osobowy / rzeczowy",
    )
    value: Series[float] = pa.Field(
        ge=0, description="Wartość wkładu [zł].", title="sprawozdanie: wartość wkładu"
    )
    volunteer_hours: Series[float] = pa.Field(
        ge=0, nullable=True, description="Liczba godzin pracy wolontariuszy (wkład osobowy).",
        title="sprawozdanie: wkład osobowy",
    )
    hourly_rate: Series[float] = pa.Field(
        ge=0, nullable=True, description="Stawka za godzinę przyjęta w sprawozdaniu [zł/h].",
        title="sprawozdanie: wycena wkładu osobowego",
    )


class Results(_Table):
    """Rezultaty planowane i osiągnięte (sprawozdanie cz. I)."""

    contract_id: Series[str] = _contract_id()
    year: Series[int] = _year("sprawozdanie: okres sprawozdawczy")
    result_id: Series[str] = pa.Field(
        str_length={"min_value": 1}, description="Identyfikator rezultatu w umowie.",
        title="oferta: rezultaty",
    )
    name: Series[str] = pa.Field(description="Nazwa rezultatu.", title="oferta: nazwa rezultatu")
    unit: Series[str] = pa.Field(description="Jednostka (np. osoby, godziny).", title="oferta")
    target: Series[float] = pa.Field(
        gt=0, description="Planowany poziom (wartość docelowa).",
        title="oferta: planowany poziom osiągnięcia rezultatu",
    )
    achieved: Series[float] = pa.Field(
        ge=0, nullable=True, description="Osiągnięty poziom; puste = brak danych.",
        title="sprawozdanie: osiągnięta wartość",
    )


class Beneficiaries(_Table):
    """Odbiorcy, wolumen usługi, skargi i kadra (sprawozdanie i dane zleceniodawcy)."""

    contract_id: Series[str] = _contract_id()
    year: Series[int] = _year("sprawozdanie: okres sprawozdawczy")
    clients_served: Series[int] = pa.Field(
        ge=0, description="Liczba odbiorców (klientów) usługi w roku.",
        title="sprawozdanie: odbiorcy zadania",
    )
    service_hours: Series[float] = pa.Field(
        ge=0, description="Liczba godzin usługi zrealizowanych w roku.",
        title="sprawozdanie: opis działań",
    )
    complaints: Series[int] = pa.Field(
        ge=0, description="Liczba skarg klientów w roku.", title="rejestr skarg JST / NGO"
    )
    staff_count: Series[int] = pa.Field(
        ge=0, description="Liczba osób personelu realizującego usługę (średnio w roku).",
        title="oferta: zasoby kadrowe",
    )
    staff_left: Series[int] = pa.Field(
        ge=0, description="Liczba osób personelu, które odeszły w roku.",
        title="dane organizacji",
    )

    @pa.dataframe_check(error=MORE_LEAVERS_THAN_STAFF)
    @classmethod
    def leavers_within_staff(cls, df: pd.DataFrame) -> Series[bool]:
        return cast("Series[bool]", df["staff_left"] <= df["staff_count"])


class Needs(_Table):
    """Diagnoza potrzeb w obszarze (ocena ex ante)."""

    teryt: Series[str] = _teryt()
    area: Series[str] = pa.Field(isin=list(AREA_IDS), description="Obszar tematyczny (kod).")
    year: Series[int] = _year("diagnoza potrzeb")
    people_in_need: Series[int] = pa.Field(
        ge=0, description="Liczba osób potrzebujących usługi według diagnozy.",
        title="diagnoza potrzeb / strategia rozwiązywania problemów społecznych",
    )
    in_house_unit_cost: Series[float] = pa.Field(
        ge=0, nullable=True,
        description="Szacowany koszt obsługi jednej osoby przez jednostkę gminy [zł].",
        title="kalkulacja JST",
    )


class ProcedureCosts(_Table):
    """Koszt jednej procedury konkursowej po stronie JST."""

    teryt: Series[str] = _teryt()
    year: Series[int] = _year("kalkulacja JST")
    contest_staff_hours: Series[float] = pa.Field(
        ge=0, description="Godziny pracy urzędników na jeden konkurs (ogłoszenie, komisja, umowa).",
        title="kalkulacja JST",
    )
    hourly_rate: Series[float] = pa.Field(
        ge=0, description="Koszt godziny pracy urzędnika [zł/h].", title="kalkulacja JST"
    )
    other_costs: Series[float] = pa.Field(
        ge=0, description="Inne koszty jednego konkursu (ogłoszenia, eksperci) [zł].",
        title="kalkulacja JST",
    )


class SurveyItems(_Table):
    """Pozycje kwestionariuszy (z katalogu wskaźników)."""

    instrument: Series[str] = pa.Field(
        isin=[*SERVICE_INSTRUMENTS, "wspolpraca"],
        description="Narzędzie: klient, personel, samoocena albo wspolpraca.",
    )
    item_id: Series[str] = pa.Field(unique=True, description="Identyfikator pytania.")
    text_pl: Series[str] = pa.Field(description="Treść pytania po polsku.")
    criterion: Series[str] = pa.Field(description="Kryterium, które mierzy pytanie.")
    perspective: Series[str] = pa.Field(description="Perspektywa (jst, personel, usluga, klient, ngo).")
    indicator: Series[str] = pa.Field(description="Wskaźnik katalogu, do którego wchodzi pytanie.")
    reverse: Series[bool] = pa.Field(description="Czy pytanie jest odwrócone (1↔5).")


class SurveyResponses(_Table):
    """Odpowiedzi na ankiety usługowe (klient, personel, samoocena), format długi."""

    teryt: Series[str] = _teryt()
    area: Series[str] = pa.Field(isin=list(AREA_IDS), description="Obszar tematyczny (kod).")
    year: Series[int] = _year("ankieta")
    instrument: Series[str] = pa.Field(
        isin=list(SERVICE_INSTRUMENTS), description="Narzędzie: klient, personel, samoocena."
    )
    respondent_id: Series[str] = pa.Field(
        str_length={"min_value": 1},
        description="Pseudonim respondenta (nigdy imię ani PESEL).", title="ankieta",
    )
    item_id: Series[str] = pa.Field(description="Identyfikator pytania.", title="ankieta")
    answer: Series[pd.Int8Dtype] = pa.Field(
        ge=LIKERT_MIN, le=LIKERT_MAX, nullable=True,
        description="Odpowiedź 1–5 (1 = zdecydowanie się nie zgadzam … 5 = zdecydowanie się "
        "zgadzam); puste = brak odpowiedzi lub „nie dotyczy”.", title="ankieta",
    )


class SurveyComments(_Table):
    """Wypowiedzi swobodne z ankiet (cytaty; pokazywane tylko z grup ≥ 10 osób)."""

    teryt: Series[str] = _teryt()
    area: Series[str] = pa.Field(isin=list(AREA_IDS), description="Obszar tematyczny (kod).")
    year: Series[int] = _year("ankieta")
    instrument: Series[str] = pa.Field(isin=list(SERVICE_INSTRUMENTS), description="Narzędzie.")
    respondent_id: Series[str] = pa.Field(description="Pseudonim respondenta.")
    text: Series[str] = pa.Field(description="Treść wypowiedzi.")


class StandardChecklist(_Table):
    """Spełnienie wymagań standardu usługi: samoocena realizatora i kontrola JST (art. 17)."""

    contract_id: Series[str] = _contract_id()
    year: Series[int] = _year("samoocena / kontrola")
    requirement_id: Series[str] = pa.Field(description="Wymaganie standardu usługi.")
    self_met: Series[bool] = pa.Field(description="Realizator deklaruje spełnienie.")
    jst_confirmed: Series[pd.BooleanDtype] = pa.Field(
        nullable=True, description="JST potwierdziła w kontroli; puste = nie kontrolowano.",
        title="protokół kontroli (art. 17)",
    )


class CooperationChecklist(_Table):
    """Lista kontrolna współpracy JST–NGO (W1–W4), wartości według katalogu."""

    teryt: Series[str] = _teryt()
    year: Series[int] = _year("program współpracy / sprawozdanie z programu")
    item_id: Series[str] = pa.Field(description="Pozycja listy z katalogu (np. w1_program_roczny).")
    value: Series[float] = pa.Field(
        ge=0, description="Wartość: 1/0 dla tak/nie, udział 0–1 albo liczba według katalogu.",
        title="BIP / uchwały / sprawozdanie z realizacji programu",
    )


class CooperationSurvey(_Table):
    """Ankieta współpracy: urzędnicy JST i organizacje (W5, W6, luka percepcji)."""

    teryt: Series[str] = _teryt()
    year: Series[int] = _year("ankieta współpracy")
    group: Series[str] = pa.Field(
        isin=list(COOPERATION_GROUPS), description="Grupa respondentów: jst albo ngo."
    )
    respondent_id: Series[str] = pa.Field(description="Pseudonim respondenta.")
    item_id: Series[str] = pa.Field(description="Identyfikator pytania.")
    answer: Series[pd.Int8Dtype] = pa.Field(
        ge=LIKERT_MIN, le=LIKERT_MAX, nullable=True, description="Odpowiedź 1–5; puste = brak."
    )


TABLES: Final[dict[str, type[_Table]]] = {
    "contracts": Contracts,
    "finance": Finance,
    "contributions": Contributions,
    "results": Results,
    "beneficiaries": Beneficiaries,
    "needs": Needs,
    "procedure_costs": ProcedureCosts,
    "survey_responses": SurveyResponses,
    "survey_comments": SurveyComments,
    "standard_checklist": StandardChecklist,
    "cooperation_checklist": CooperationChecklist,
    "cooperation_survey": CooperationSurvey,
}
"""Input tables of the store, by file name (``data/store/<name>.parquet``)."""

KEYS: Final[dict[str, tuple[str, ...]]] = {
    "contracts": ("contract_id",),
    "finance": ("contract_id", "year", "category", "source"),
    "contributions": ("contract_id", "year", "kind"),
    "results": ("contract_id", "year", "result_id"),
    "beneficiaries": ("contract_id", "year"),
    "needs": ("teryt", "area", "year"),
    "procedure_costs": ("teryt", "year"),
    "survey_responses": ("teryt", "area", "year", "instrument", "respondent_id", "item_id"),
    # A comment has no identifier of its own: its text is part of the key, so a
    # corrected comment is withdrawn and added again rather than "changed".
    "survey_comments": ("teryt", "area", "year", "instrument", "respondent_id", "text"),
    "standard_checklist": ("contract_id", "year", "requirement_id"),
    "cooperation_checklist": ("teryt", "year", "item_id"),
    "cooperation_survey": ("teryt", "year", "group", "respondent_id", "item_id"),
}
"""The natural key of each table: importing a row whose key is stored replaces that row."""

CONTRACT_TABLES: Final = tuple(
    name for name, model in TABLES.items()
    if name != "contracts" and "contract_id" in model.to_schema().columns
)
"""Tables whose rows belong to a contract: they need that contract in the store."""
