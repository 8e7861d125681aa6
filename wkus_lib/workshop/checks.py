"""Self-checks of the workshop exercises.

Each ``check_*`` function compares a participant's answer with the right one,
computed from the workshop data with the product's own functions (metrics,
the indicator table, the catalogue) — never a number written here — and
returns :class:`~wkus_lib.workshop.feedback.Feedback` in Polish. Where it can,
a check reaches the right answer by another road than the exercise asks the
participant to take (e.g. the exercise sums cost lines by hand, the check
reads E1 from the indicator engine), so agreement means something. An
unanswered stub (``...``) gives "Uzupełnij odpowiedź…", never an exception.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from wkus_lib.catalog import COOPERATION_INSTRUMENT
from wkus_lib.domain import ANNUAL_GRANT, EX_POST, MULTI_YEAR, ON_GOING
from wkus_lib.evaluation.indicators import GMINA_KEYS, UNIT_KEYS
from wkus_lib.metrics import cooperation, efficiency, likert, quality
from wkus_lib.metrics.privacy import suppress_small_cells
from wkus_lib.metrics.reliability import reliability_report
from wkus_lib.workshop.data import (
    CONTRACT_AREA,
    EVALUATION_YEAR,
    WorkshopData,
    first_respondent,
    recoded_item_matrix,
)
from wkus_lib.workshop.feedback import (
    Feedback,
    compare_bool,
    compare_choice,
    compare_number,
    compare_set,
)

MONITORING_YEAR: Final = 2024
"""A year of the running contract (on-going evaluation)."""
SUPPRESSION_YEAR: Final = 2023
"""A survey year in which some areas of the workshop gmina had few respondents."""
TRAFFIC_LIGHT_WORDS: Final = {
    "zielone": "green", "zielony": "green", "dobrze": "green",
    "żółte": "amber", "żółty": "amber", "bursztynowe": "amber", "uwaga": "amber",
    "czerwone": "red", "czerwony": "red", "źle": "red",
}
_MODES: Final = (ANNUAL_GRANT, MULTI_YEAR)


# ------------------------------------------------------------ 1. kontrakt wieloletni


def check_contests_saved(answer: object, data: WorkshopData, area: str = CONTRACT_AREA) -> Feedback:
    """Contests the area's multi-year contracts made unnecessary (E8 with a cost of 1 per contest)."""
    years = data.inputs.contract_years
    multi = years[(years["area"] == area) & (years["mode"] == MULTI_YEAR)]
    held = (multi["year"].to_numpy() == multi["start_year"].to_numpy()).astype(float)
    expected = float(efficiency.transaction_cost_saved(1.0, held, 1.0).sum())
    return compare_number(
        answer, expected, tolerance=0.0, decimals=0,
        praise="Jeden konkurs na cały okres umowy zamiast konkursu co roku.",
        hint="policz lata trwania umowy wieloletniej i odejmij konkursy, które się odbyły.",
    )


def check_continuity_change(
    answer: object, data: WorkshopData, area: str = CONTRACT_AREA
) -> Feedback:
    """Mean staff continuity (Q6) in multi-year years minus annual-grant years [pp]."""
    staff = data.beneficiaries(area).groupby("year")[["staff_left", "staff_count"]].sum()
    continuity = quality.staff_continuity(staff["staff_left"], staff["staff_count"])
    units = data.inputs.units
    mode = units[units["area"] == area].set_index("year")["mode"].reindex(staff.index)
    by_mode = {m: float(np.mean(continuity[(mode == m).to_numpy()])) for m in _MODES}
    expected = by_mode[MULTI_YEAR] - by_mode[ANNUAL_GRANT]
    return compare_number(
        answer, expected, tolerance=0.1, decimals=1,
        praise="Przy kontrakcie wieloletnim odchodzi mniej osób: klienci zachowują opiekunów.",
        hint="czy porównujesz średnie Q6 z etapu ex_ante (dotacje roczne) i on_going "
             "(kontrakt), bez wierszy ex_post?",
    )


# ------------------------------------------------------------ 2. wskaźniki i cele


def _achievement(data: WorkshopData, area: str, year: int) -> float:
    results = data.results(area, year)
    summary = quality.mean_result_achievement(
        results, by=["year"], cap=data.catalog.settings.result_display_cap
    )
    return float(summary["value"].iloc[0]) if len(summary) else math.nan


def check_result_achievement(
    answer: object, data: WorkshopData, area: str = CONTRACT_AREA, year: int = MONITORING_YEAR
) -> Feedback:
    """Q3R of the area in the year: mean of min(achieved / target, 1.2) × 100 %."""
    return compare_number(
        answer, _achievement(data, area, year), tolerance=0.05, decimals=1,
        praise="Tak liczy się osiągnięcie rezultatów (Q3R).",
        hint="każdy rezultat: osiągnięte / docelowe, najwyżej 1,2 (120 %), dopiero potem "
             "średnia i × 100.",
    )


def check_traffic_light(
    answer: object, data: WorkshopData, area: str = CONTRACT_AREA, year: int = MONITORING_YEAR
) -> Feedback:
    """Traffic light of Q3R in the year under the catalogue's thresholds."""
    expected = data.catalog.status("Q3R", _achievement(data, area, year))
    return compare_choice(
        answer, expected, synonyms=TRAFFIC_LIGHT_WORDS,
        praise="Progi świateł są w katalogu wskaźników, a nie w kodzie: gmina może je zmienić.",
        hint="progi „green” i „amber” wskaźnika Q3R w katalogu i kierunek „higher”.",
    )


def check_lower_is_better(answer: object, data: WorkshopData, model: str = "efektywnosc") -> Feedback:
    """Indicator ids of one model whose direction is "lower is better"."""
    expected = {
        spec.id for spec in data.catalog.indicators
        if spec.model == model and spec.direction == "lower"
    }
    return compare_set(
        answer, expected,
        praise="Przy tych wskaźnikach cel to górna granica, a spadek jest dobrą wiadomością.",
        hint="kolumny „model” i „direction” w tabeli katalogu.",
    )


# ------------------------------------------------------------ 3. narzędzia jakości


def check_respondent_score(
    answer: object, data: WorkshopData, area: str = CONTRACT_AREA,
    year: int = EVALUATION_YEAR, criterion: str = "satysfakcja",
) -> Feedback:
    """0–100 score of the first client respondent on one criterion."""
    responses = data.survey(area, year=year)
    own = responses[responses["respondent_id"] == first_respondent(responses)]
    items = data.survey_items()
    scores = likert.respondent_scores(own, items[items["criterion"] == criterion])
    return compare_number(
        answer, float(scores["score"].iloc[0]), tolerance=0.05, decimals=1,
        praise="Wynik 0–100 to (średnia − 1) / 4 × 100.",
        hint="czy przekodowałeś pytanie odwrócone (6 − odpowiedź) i przeliczyłeś średnią "
             "wzorem (średnia − 1) / 4 × 100?",
    )


def check_alpha(
    answer: object, data: WorkshopData, area: str = CONTRACT_AREA,
    criterion: str = "podmiotowosc",
) -> Feedback:
    """Cronbach's α of the client scale of one criterion, all survey years of the area."""
    items = data.survey_items()
    matrix = recoded_item_matrix(data.survey(area), items[items["criterion"] == criterion])
    report = reliability_report(
        matrix, min_respondents=data.catalog.settings.reliability.min_respondents
    )
    return compare_number(
        answer, report.alpha, tolerance=0.005, decimals=3,
        praise=f"α = {report.alpha:.2f}".replace(".", ",")
        + f" z {report.n_respondents} odpowiedzi: rzetelność {report.verdict}.",
        hint="macierz: wiersz = respondent (rok i pseudonim), kolumna = pytanie; "
             "pytanie odwrócone przekodowane przed liczeniem α?",
    )


def check_suppressed_areas(
    answer: object, data: WorkshopData, year: int = SUPPRESSION_YEAR
) -> Feedback:
    """Areas whose client satisfaction (Q1) must be hidden in the year (small cells)."""
    rows = data.indicators
    q1 = rows[(rows["indicator"] == "Q1") & (rows["year"] == year)]
    q1 = q1.drop_duplicates("area")[["area", "n", "value"]].reset_index(drop=True)
    threshold = data.catalog.settings.suppression.threshold
    hidden = suppress_small_cells(q1, value_columns=["value"], threshold=threshold).table
    expected = set(hidden.loc[hidden["suppressed"], "area"])
    return compare_set(
        answer, expected,
        praise=f"Wyniki z mniej niż {threshold} odpowiedzi ukrywamy: to dane osobowe klientów.",
        hint=f"kolumna n (liczba respondentów) i próg {threshold}.",
    )


# ------------------------------------------------------------ 4. nakłady i efekty


def check_unit_cost(
    answer: object, data: WorkshopData, area: str = CONTRACT_AREA, year: int = MONITORING_YEAR
) -> Feedback:
    """E1: all actual costs / clients served, from the indicator engine."""
    expected = data.value("E1", area=area, stage=ON_GOING, year=year)
    return compare_number(
        answer, expected, tolerance=0.5, decimals=0,
        praise="Koszt jednostkowy (E1) liczymy z kosztów poniesionych, bez wkładu "
               "osobowego i rzeczowego.",
        hint="suma kolumny „actual” (wszystkie kategorie i źródła) / suma „clients_served”.",
    )


def _comparison(data: WorkshopData, area: str) -> efficiency.MultiYearComparison:
    return efficiency.multi_year_comparison(
        data.inputs.yearly_comparison_inputs, teryt=data.teryt, area=area
    )


def check_unit_cost_change(
    answer: object, data: WorkshopData, area: str = CONTRACT_AREA
) -> Feedback:
    """E9 before/after: mean unit cost under the contract / under annual grants − 1, in %."""
    expected = _comparison(data, area).unit_cost_change_pct
    return compare_number(
        answer, expected, tolerance=0.05, decimals=1,
        praise="To zmiana „przed i po” — jeszcze bez porównania z innymi obszarami.",
        hint="(średnie E1 w latach kontraktu / średnie E1 w latach dotacji rocznych − 1) × 100.",
    )


def check_did_effect(answer: object, data: WorkshopData, area: str = CONTRACT_AREA) -> Feedback:
    """E9: own change minus the mean change of areas that stayed on annual grants, in pp."""
    comparison = _comparison(data, area)
    return compare_number(
        answer, comparison.unit_cost_effect_pct, tolerance=0.05, decimals=1,
        praise="Różnica różnic odejmuje zmianę, która i tak zaszła w obszarach porównawczych "
               f"({', '.join(comparison.comparison_areas)}), np. przez inflację.",
        hint="zmianę każdego obszaru porównawczego licz tak samo (te same lata), uśrednij je "
             "i odejmij od zmiany obszaru z kontraktem.",
    )


# ------------------------------------------------------------ 5. indeks współpracy


def _gmina_value(data: WorkshopData, indicator: str, year: int) -> float:
    rows = data.indicator_rows(indicator, year=year)
    return float(rows["value"].iloc[0]) if len(rows) else math.nan


def check_infrastructure(
    answer: object, data: WorkshopData, year: int = EVALUATION_YEAR
) -> Feedback:
    """W1 of the gmina in the year (checklist items scored 0–100)."""
    return compare_number(
        answer, _gmina_value(data, "W1", year), tolerance=0.05, decimals=1,
        praise="Pozycja tak/nie daje 0 albo 100 punktów; W1 to ich średnia.",
        hint="pozycje listy kontrolnej zaczynające się od „w1_”, wartość × 100, średnia.",
    )


def check_cooperation_index(
    answer: object, data: WorkshopData, year: int = EVALUATION_YEAR
) -> Feedback:
    """WC: weighted mean of the published W1–W6 (catalogue weights)."""
    return compare_number(
        answer, _gmina_value(data, "WC", year), tolerance=0.05, decimals=1,
        praise="Indeks to średnia ważona sześciu obszarów; wagi są w katalogu.",
        hint="średnia ważona W1–W6 wagami z ustawień katalogu; wartości ukryte pomiń.",
    )


def check_perception_gap(
    answer: object, data: WorkshopData, year: int = EVALUATION_YEAR
) -> Feedback:
    """WGAP: officials' score − NGOs' score on the same cooperation items.

    Computed before small-cell suppression: the exercise computes the gap,
    publishing it is another matter (workshop 3).
    """
    settings = data.catalog.settings
    gaps = cooperation.perception_gap(
        data.store.cooperation_survey, data.survey_items(COOPERATION_INSTRUMENT),
        keys=GMINA_KEYS, min_answered=settings.missing_answers.min_answered,
        level=settings.confidence_level,
    )
    gap = gaps.loc[gaps["year"] == year, "value"]
    return compare_number(
        answer, float(gap.iloc[0]) if len(gap) else math.nan, tolerance=0.05, decimals=1,
        praise="Wartość dodatnia: urząd ocenia współpracę lepiej niż organizacje.",
        hint="wynik grupy „jst” minus wynik grupy „ngo” na wszystkich pytaniach ankiety "
             "współpracy (pytanie odwrócone przekodowane).",
    )


# ------------------------------------------------------------ 6. czytanie raportu


def check_red_indicators(
    answer: object, data: WorkshopData, area: str = CONTRACT_AREA, year: int = EVALUATION_YEAR
) -> Feedback:
    """Indicators of the ex-post scorecard whose value the catalogue lights red."""
    card = data.scorecard(area, EX_POST, year)
    values = card["value"].to_numpy(dtype=float, na_value=np.nan)
    expected = {
        indicator for indicator, value in zip(card["indicator"].astype(str), values, strict=True)
        if data.catalog.status(indicator, float(value)) == "red"
    }
    return compare_set(
        answer, expected,
        praise="Czerwone światła to pytania do realizatora, a nie wyrok: sprawdź n i przedziały.",
        hint="kolumna „status” karty wyników (wartość „red”).",
    )


def check_below_target_certain(
    answer: object, data: WorkshopData, area: str = CONTRACT_AREA,
    year: int = EVALUATION_YEAR, indicator: str = "Q1",
) -> Feedback:
    """Is the whole 95 % interval of the indicator below its target?"""
    row = data.indicator_rows(indicator, area=area, stage=EX_POST, year=year).iloc[0]
    expected = bool(row["ci_high"] < row["target"])
    return compare_bool(
        answer, expected,
        praise="Przy małej liczbie odpowiedzi przedział jest szeroki: sama średnia poniżej "
               "celu jeszcze nie dowodzi, że cel nie został osiągnięty.",
        hint="czy górna granica przedziału (ci_high) leży poniżej celu (target)?",
    )


def check_largest_gap_criterion(
    answer: object, data: WorkshopData, area: str = CONTRACT_AREA, year: int = EVALUATION_YEAR
) -> Feedback:
    """The criterion with the largest self-assessment − client gap (TRI)."""
    keys = list(UNIT_KEYS)
    gaps = quality.triangulation_gaps(
        data.inputs.service_scores, keys=keys,
        flag_threshold=data.catalog.settings.triangulation_flag_points,
    )
    gaps = gaps[(gaps["area"] == area) & (gaps["year"] == year)]
    top = quality.largest_triangulation_gap(gaps, keys=keys)
    return compare_choice(
        answer, str(top["criterion"].iloc[0]),
        praise="Tu samoocena realizatora najbardziej odbiega od ocen klientów: o to warto "
               "zapytać na spotkaniu z organizacją.",
        hint="różnica „samoocena − klient” dla każdego kryterium; wybierz największą.",
    )
