"""Seeded synthetic demo data (DANE SYNTETYCZNE) for workshops, tests and benchmarks.

Every number made here is invented. Gmina names and TERYT codes of the ten
demo gminy — the nine Podlasie pilot gminy and Sopot (:data:`DEMO_TERYT`) —
are real (DOMAIN.md §3); everything else — organisations, contracts, money,
clients, answers — comes from a seeded random generator, so the same seed
always gives the same tables and byte-identical CSV files. Bigger than
the demo: ``write_demo(..., voivodeship="podlaskie")`` (``wkus demo-data
--voivodeship``) generates every gmina of one voivodeship of the registry
(real names and codes, the random story below), and :func:`synthetic_gminy`
invents a whole country for benchmarks.

Generative story
----------------
1. **Gminy.** Each gmina gets a population (:func:`gmina_populations`: the
   demo's own figures :data:`DEMO_POPULATION`, the gmina's own figure, or —
   the TERYT register has none — a synthetic one drawn by gmina type from
   the seed), a latent *service quality* and a latent *cooperation culture*
   (standard normal, gmina-level).
2. **Funded areas.** Each gmina funds 3–6 of the nine areas (weighted draw
   without replacement: ``pomoc_spoleczna`` and ``sport`` often,
   ``planowanie`` rarely). Each funded area has one or two local NGOs whose
   names contain the gmina's name (or its adjective, "Ziemi Mońkowskiej"), so a
   name never belongs to two gminy.
3. **Contracts.** 2019–2021: one annual grant (``annual_grant``, start year =
   end year) per funded area and year. From 2022 the gmina moves 2–4 of its
   funded areas (always fewer than all, ``pomoc_spoleczna`` preferred) to one
   multi-year contract 2022–2025 (``multi_year``, id ``<teryt>/<area>/2022``);
   the other funded areas stay on annual grants through 2025 and serve as
   comparison areas for difference-in-differences.
4. **Volume and money.** Planned cost scales with population, the area's
   per-capita spending (``pomoc_spoleczna`` largest) and a price index (high
   inflation 2022–2023, common to all areas). Clients scale with population
   and area. Costs are split into ``dzialania`` / ``administracyjne`` (admin
   share 5–15 %) and funding sources (grant dominant; own funds; sometimes
   beneficiary fees and other public money). Actual = planned × execution
   (85–105 %).
5. **Multi-year effect.** While a multi-year contract runs: ~2 % lower cost,
   ~4 % more clients, +3 pp result achievement, higher client satisfaction
   (+0.25 on the latent scale), lower staff turnover (11 % vs 22 %) and fewer
   complaints. Noise is large enough that single comparisons may go either
   way.
6. **Results and beneficiaries.** 2–3 results per contract-year (people,
   hours, an area-specific count) with achievement 70–115 %; clients served
   and service hours equal the achieved levels of the first two results.
7. **Surveys** (2021 on, every funded area): clients (small groups: 3 +
   Poisson, bigger in bigger gminy, so n < 5 happens), staff (3–10, never
   more than the staff) and one provider self-assessment that is inflated by
   design. Answers come from a latent attitude per respondent plus item noise;
   reverse-keyed items are answered against the latent attitude, so they agree
   after recoding. About 5 % answers are missing; a few clients straight-line.
   Respondent ids are pseudonyms ``R-xxxxxx`` from a seeded bijection.
8. **Cooperation** (gmina-year): checklist items adopted more often in
   gminy with a better cooperation culture and over time (once adopted, kept);
   financial ratios follow the generated money; the cooperation survey has
   JST officials a little more positive than NGOs (perception gap).

Sopot, the second pilot (demo mode only)
----------------------------------------
The nine Podlasie gminy follow the random story above. Gmina Miasta Sopot
(2264011, ~33,000 inhabitants) follows a scripted one (:data:`_SOPOT_AREAS`),
generated with the same functions from its own seed stream, so adding it
leaves the pilots' rows exactly as they were:

- care services at home for older and dependent people (usługi opiekuńcze,
  area ``pomoc_spoleczna``): annual grants 2019–2021, then the "Kontrakt na
  jakość" — one multi-year contract 2022–2025 (``powierzanie``) with the
  invented foundation Fundacja Opieki Domowej „Morska Bryza” (the annual
  grants before went to it or to a second invented NGO); about 140 clients
  and 40,000 hours a year; the contract ends in the demo's last year, so
  ``wkus report`` produces its ex-post report;
- the Sopot quality tools: the provider's self-assessment (``samoocena``)
  and the standard checklist every contract year, the staff survey (the
  quantitative side of the staff group interview) and a larger client survey
  (~30 questionnaires a year), so the criteria are published, not
  suppressed; the staff group interview and the client interviews of the
  last year are qualitative: :func:`write_demo` writes them as filled coding
  sheets for ``wkus count-codes`` (:mod:`wkus_lib.demo.interviews`), not
  into the store; year-to-year noise is smaller than the pilots' (a steady
  caseload);
- education, sport, culture and health on annual grants throughout
  (ex-ante candidates and comparison areas for difference-in-differences);
- a gmina that invests in quality and cooperates well with NGOs.

Deliberate data problems (pilot mode, or ``deliberate_problems=True``)
----------------------------------------------------------------------
Listed in :data:`DELIBERATE_PROBLEMS` and in the README.txt written next to
the CSV files. The first five fail validation, are left out of the store and
are listed in ``problems.csv``; the sixth is valid data that the data-quality
checks must flag (all six in the pilot gminy's rows, none in Sopot's):

1. ``survey_responses.answer`` = 6 (outside the 1–5 scale);
2. ``cooperation_survey.answer`` = 0 (outside the 1–5 scale);
3. ``finance.actual`` negative (a minus sign typed by mistake);
4. ``procedure_costs.teryt`` with 6 digits (last digit lost);
5. ``contracts``: an extra contract whose ``end_year`` < ``start_year``;
6. ``survey_responses``: one client questionnaire entered twice (same
   respondent id, same answers) — kept in the store.

Valid irregularities present in every mode: missing answers, straight-liners,
a missing achieved result value, unconfirmed standard requirements.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import pyarrow as pa

from wkus_lib.catalog import load_catalog
from wkus_lib.demo.voivodeship import VOIVODESHIPS, resolve_voivodeship, voivodeship_gminy
from wkus_lib.domain import (
    ANNUAL_GRANT,
    AREA_IDS,
    GMINA_TYPES,
    MULTI_YEAR,
    PILOT_TERYT,
    YEAR_MAX,
    YEAR_MIN,
    Gmina,
    load_gminy,
)
from wkus_lib.errors import InputError
from wkus_lib.files.atomic import atomic_write_bytes
from wkus_lib.schemas import TABLES
from wkus_lib.store import (
    MANIFEST_NAME,
    PROBLEM_COLUMNS,
    read_manifest,
    validate_table,
    write_store,
)

SYNTHETIC_MARK: Final = "DANE SYNTETYCZNE"
MULTI_YEAR_START: Final = 2022
MULTI_YEAR_END: Final = 2025
SURVEY_FIRST_YEAR: Final = 2021
DIAGNOSIS_YEAR: Final = 2021
MAX_SYNTHETIC_POPULATION: Final = 200_000
MIN_SYNTHETIC_POPULATION: Final = 1_500

SOPOT_TERYT: Final = "2264011"
"""Gmina Miasta Sopot, home of the "Kontrakt na jakość" pilot (the second seed project)."""
DEMO_TERYT: Final[tuple[str, ...]] = (*PILOT_TERYT, SOPOT_TERYT)
"""The gminy of the demo: the nine Podlasie pilot gminy, then Sopot."""
DEMO_POPULATION: Final[dict[str, int]] = {
    "2013023": 8_500, "2010023": 6_150, "2002112": 6_400, "2002063": 21_650,
    "2011083": 25_350, "2008063": 14_800, "2009042": 4_150, "2003042": 4_700,
    "2002143": 9_400, SOPOT_TERYT: 33_000,
}
"""The demo's own population figures (about 2020, rounded; only for the scale of the numbers)."""


@dataclass(frozen=True)
class DeliberateProblem:
    """One planted data problem: where it is and whether the store keeps it."""

    table: str
    column: str
    description: str
    in_store: bool


DELIBERATE_PROBLEMS: Final[tuple[DeliberateProblem, ...]] = (
    DeliberateProblem("survey_responses", "answer",
                      "odpowiedź 6 poza skalą 1–5 w ankiecie klienta", in_store=False),
    DeliberateProblem("cooperation_survey", "answer",
                      "odpowiedź 0 poza skalą 1–5 w ankiecie współpracy", in_store=False),
    DeliberateProblem("finance", "actual",
                      "ujemna kwota kosztu poniesionego (omyłkowy minus)", in_store=False),
    DeliberateProblem("procedure_costs", "teryt",
                      "kod TERYT z 6 cyframi (zgubiona ostatnia cyfra)", in_store=False),
    DeliberateProblem("contracts", "end_year",
                      "umowa z rokiem zakończenia wcześniejszym niż rok rozpoczęcia",
                      in_store=False),
    DeliberateProblem("survey_responses", "respondent_id",
                      "ta sama ankieta klienta wpisana dwa razy (zduplikowany respondent); "
                      "dane poprawne formalnie — zostają w magazynie i wykrywa je kontrola "
                      "jakości danych", in_store=True),
)
"""The planted problems, in the order they are documented in README.txt."""


# --------------------------------------------------------------------------
# Parameters of the generative story
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _AreaParams:
    budget_per_capita: float  # planned cost per inhabitant and year, 2019 prices [zł]
    clients_per_1000: float  # clients per 1000 inhabitants
    hours_per_client: float  # service hours per client and year
    clients_per_staff: float
    funding_weight: float  # how often gminy fund the area
    multi_year_weight: float  # how often a funded area moves to a multi-year contract
    powierzanie_share: float  # probability of the "powierzanie" form
    fee_probability: float  # probability that beneficiaries pay fees
    title: str
    counted_result: tuple[str, str, int, int]  # name, unit, low, high (per 10k inhabitants)
    client_result: str
    hours_result: str


_AREAS: Final[dict[str, _AreaParams]] = {
    "edukacja": _AreaParams(
        14, 15, 30, 12, 1.0, 1.0, 0.15, 0.3,
        "Zajęcia edukacyjne i wychowawcze dla dzieci i młodzieży",
        ("Liczba zorganizowanych warsztatów", "warsztaty", 4, 30),
        "Liczba uczestników zajęć", "Liczba godzin zajęć"),
    "promocja": _AreaParams(
        6, 10, 6, 25, 0.5, 0.6, 0.1, 0.1,
        "Promocja gminy i wsparcie lokalnej przedsiębiorczości",
        ("Liczba wydanych materiałów promocyjnych", "sztuki", 200, 3000),
        "Liczba uczestników wydarzeń promocyjnych", "Liczba godzin doradztwa dla przedsiębiorców"),
    "pomoc_spoleczna": _AreaParams(
        35, 8, 60, 6, 1.6, 3.0, 0.7, 0.15,
        "Usługi opiekuńcze i wsparcie rodzin w trudnej sytuacji",
        ("Liczba rodzin objętych asystą", "rodziny", 5, 60),
        "Liczba osób objętych wsparciem", "Liczba godzin wsparcia"),
    "samorzadnosc": _AreaParams(
        4, 6, 8, 20, 0.45, 0.6, 0.1, 0.05,
        "Wspieranie aktywności obywatelskiej mieszkańców",
        ("Liczba zrealizowanych inicjatyw lokalnych", "inicjatywy", 2, 15),
        "Liczba uczestników działań obywatelskich", "Liczba godzin szkoleń i spotkań"),
    "sport": _AreaParams(
        25, 25, 40, 15, 1.6, 1.5, 0.1, 0.35,
        "Upowszechnianie sportu i kultury fizycznej wśród mieszkańców",
        ("Liczba zorganizowanych zawodów", "zawody", 2, 20),
        "Liczba uczestników zajęć sportowych", "Liczba godzin treningów"),
    "srodowisko": _AreaParams(
        5, 12, 5, 30, 0.5, 0.6, 0.1, 0.05,
        "Ochrona środowiska i edukacja ekologiczna mieszkańców",
        ("Liczba posadzonych drzew", "sztuki", 50, 800),
        "Liczba uczestników akcji ekologicznych", "Liczba godzin edukacji ekologicznej"),
    "kultura": _AreaParams(
        10, 20, 12, 20, 1.2, 1.0, 0.1, 0.35,
        "Ochrona tradycji i dziedzictwa kulturowego",
        ("Liczba zorganizowanych wydarzeń", "wydarzenia", 3, 30),
        "Liczba uczestników wydarzeń kulturalnych", "Liczba godzin zajęć artystycznych"),
    "zdrowie": _AreaParams(
        10, 10, 15, 10, 1.2, 1.2, 0.3, 0.05,
        "Profilaktyka uzależnień i promocja zdrowia",
        ("Liczba spotkań grup wsparcia", "spotkania", 10, 100),
        "Liczba uczestników zajęć profilaktycznych", "Liczba godzin konsultacji i terapii"),
    "planowanie": _AreaParams(
        3, 4, 4, 20, 0.06, 0.3, 0.1, 0.0,
        "Partycypacyjne planowanie przestrzeni publicznej",
        ("Liczba opracowanych koncepcji zagospodarowania", "koncepcje", 1, 4),
        "Liczba uczestników konsultacji społecznych", "Liczba godzin warsztatów partycypacyjnych"),
}

_PRICE_INDEX: Final = {2019: 1.0, 2020: 1.034, 2021: 1.087, 2022: 1.245, 2023: 1.39,
                       2024: 1.44, 2025: 1.49}
_MULTI_COST_FACTOR: Final = 0.98
_MULTI_CLIENT_FACTOR: Final = 1.04
_MULTI_ACHIEVEMENT_BONUS: Final = 0.03
_MULTI_SATISFACTION_BONUS: Final = 0.25
_TURNOVER: Final = (0.22, 0.11)  # annual grant, multi-year
_MISSING_ANSWER_RATE: Final = 0.05

# Latent attitude (centred on the scale midpoint 3) by service instrument:
# shift from the group mean and individual spread. Self-assessment is inflated.
_INSTRUMENT_SHIFT: Final = {"klient": 0.0, "personel": 0.15, "samoocena": 0.9}
_INSTRUMENT_SPREAD: Final = {"klient": 0.75, "personel": 0.5, "samoocena": 0.3}
_ITEM_OFFSET: Final = {
    "k_pod1": 0.35, "k_pod3": 0.25, "k_ade2": -0.2, "k_pod2": -0.3, "k_sku2": -0.15,
    "p_ade2": -0.45, "p_sat1": -0.25, "c_zas2": -0.2, "c_sat2": -0.1, "c_zas3": 0.1,
}
_ITEM_MULTI_BONUS: Final = {"p_sat1": 0.7, "k_ade2": 0.15, "s_sat1": 0.1}
_COOP_GROUP_SHIFT: Final = {"jst": 0.2, "ngo": -0.05}
_COOP_ITEM_JST_BONUS: Final = {"c_zas3": 0.5}

# Cooperation checklist: base logit of each binary item (others default 0.5).
_CHECKLIST_LOGIT: Final = {
    "w1_program_roczny": 5.0, "w1_koordynator": 1.5, "w1_rada_pozytku": -0.5,
    "w1_zasady_konsultacji": 1.0, "w2_program_bip": 3.0, "w2_sprawozdanie_bip": 0.8,
    "w2_konkursy_bip": 2.5, "w2_baza_organizacji": -0.8, "w4_zespoly": -1.0,
    "w4_informacja": 0.2, "w1_program_wieloletni": -2.0,
}

# Adjectives ("Ziemi …") of the pilot gminy where the form is certain.
_PILOT_ADJECTIVES: Final = {
    "2013023": "Ciechanowieckiej", "2010023": "Drohiczyńskiej", "2002063": "Łapskiej",
    "2011083": "Sokólskiej", "2008063": "Mońkowskiej", "2009042": "Puńskiej",
    "2002143": "Zabłudowskiej",
}

_STEMS: Final = (
    "Bor", "Brod", "Brzoz", "Bud", "Chełm", "Chmiel", "Czarn", "Dąb", "Dobr", "Gaj",
    "Głog", "Gorzk", "Grab", "Grod", "Jabłon", "Jaśk", "Jawor", "Kalin", "Kamion", "Klon",
    "Kobyl", "Kosz", "Kozł", "Krasn", "Krzew", "Kurz", "Lip", "Lis", "Łosz", "Łęk",
    "Malin", "Mił", "Mir", "Mok", "Olsz", "Orz", "Ostr", "Pias", "Pol", "Prusz",
    "Rad", "Rak", "Rogoz", "Sad", "Sęk", "Siedl", "Skarż", "Sław", "Sok", "Sosn",
    "Strzel", "Świer", "Tarn", "Tur", "Wierzb", "Wilk", "Wrzos", "Zaręb", "Żuraw", "Bart",
    "Bial", "Bogusz", "Buk", "Cedr", "Dzik", "Gołęb", "Grzyb", "Jagod", "Jastrzęb", "Jelen",
    "Kacz", "Karp", "Kmiec", "Kołacz", "Kos", "Kraj", "Kruk", "Lask", "Lubiesz", "Mał",
    "Mszan", "Nieg", "Orl", "Pask", "Piask", "Pniew", "Rud", "Rybn", "Sarn", "Smol",
    "Sowin", "Stępk", "Szczyt", "Trzcian", "Wiśn", "Wol", "Wysok", "Zaleś", "Złot", "Żab",
    "Bystr", "Chojn", "Dęb", "Gniew", "Jodł", "Łaz", "Młyn", "Podgór", "Ryb", "Topol",
)
# Ending, the "Ziemi …" adjective ending, grammatical number (sg / pl).
_ENDINGS: Final = (("ów", "owskiej", "sg"), ("in", "ińskiej", "sg"),
                   ("ice", "ickiej", "pl"), ("ec", "eckiej", "sg"))
_PREFIXES: Final = {"sg": ("Nowy", "Stary", "Wielki", "Mały"),
                    "pl": ("Nowe", "Stare", "Wielkie", "Małe")}
_SUFFIXES: Final = {"sg": ("Kościelny", "Górny", "Dolny", "Duży"),
                    "pl": ("Kościelne", "Górne", "Dolne", "Duże")}

# NGO name templates per area: (template, needs the "Ziemi …" adjective).
# {name} is the gmina's name, {adj} its adjective, {word} a local word.
_NGO_TEMPLATES: Final[dict[str, tuple[tuple[str, bool], ...]]] = {
    "edukacja": (("Towarzystwo Przyjaciół Dzieci – Oddział Gminny {name}", False),
                 ("Stowarzyszenie Edukacyjne „{word}” w gminie {name}", False),
                 ("Fundacja Edukacji Lokalnej Ziemi {adj}", True)),
    "promocja": (("Stowarzyszenie Przyjaciół Ziemi {adj}", True),
                 ("Lokalna Organizacja Turystyczna Gminy {name}", False),
                 ("Stowarzyszenie Przedsiębiorców Gminy {name}", False)),
    "pomoc_spoleczna": (("Parafialny Zespół Caritas {name}", False),
                        ("Polski Komitet Pomocy Społecznej – Koło {name}", False),
                        ("Fundacja Pomocy Rodzinie „{word}” w gminie {name}", False),
                        ("Stowarzyszenie na rzecz Osób Niepełnosprawnych Ziemi {adj}", True)),
    "samorzadnosc": (("Stowarzyszenie Aktywnych Mieszkańców Gminy {name}", False),
                     ("Fundacja Inicjatyw Obywatelskich Ziemi {adj}", True),
                     ("Forum Obywatelskie Gminy {name}", False)),
    "sport": (("Klub Sportowy „{word}” {name}", False),
              ("Uczniowski Klub Sportowy „{word}” {name}", False),
              ("Ludowy Klub Sportowy Ziemi {adj}", True)),
    "srodowisko": (("Stowarzyszenie Ekologiczne „Zielona Gmina {name}”", False),
                   ("Fundacja Ochrony Przyrody Ziemi {adj}", True),
                   ("Polski Związek Wędkarski – Koło {name}", False)),
    "kultura": (("Towarzystwo Miłośników Ziemi {adj}", True),
                ("Koło Gospodyń Wiejskich „{word}” w gminie {name}", False),
                ("Stowarzyszenie Kulturalne Gminy {name}", False)),
    "zdrowie": (("Stowarzyszenie Abstynenckie „{word}” w gminie {name}", False),
                ("Fundacja Zdrowia i Profilaktyki Ziemi {adj}", True),
                ("Stowarzyszenie Promocji Zdrowia Gminy {name}", False)),
    "planowanie": (("Fundacja Rozwoju Przestrzeni Gminy {name}", False),
                   ("Stowarzyszenie „Wspólna Przestrzeń” Gminy {name}", False)),
}
_NGO_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "edukacja": ("Mądra Głowa", "Tęcza", "Wzrastanie", "Krok po Kroku", "Sowa"),
    "pomoc_spoleczna": ("Przystań", "Nadzieja", "Dobry Dom", "Ognisko", "Życzliwa Dłoń"),
    "sport": ("Orzeł", "Sokół", "Pogoń", "Start", "Iskra", "Żubr", "Sparta", "Olimpia",
              "Orlęta", "Znicz", "Jedynka", "Tygrysy"),
    "kultura": ("Jarzębina", "Kalina", "Malwa", "Słoneczniki", "Wrzos"),
    "zdrowie": ("Krokus", "Nowa Droga", "Przebudzenie", "Trzeźwość"),
}

# Free-text comments by kind; chosen by the respondent's latent attitude, the
# instrument and the contract mode. Generic on purpose (no names, no places).
_COMMENT_KINDS: Final = ("pozytywne", "neutralne", "negatywne", "klient_wieloletnie",
                         "personel", "personel_wieloletnie", "personel_roczne")
_COMMENTS: Final[dict[str, tuple[str, ...]]] = {
    "pozytywne": (
        "Jestem bardzo zadowolona, pomoc przychodzi na czas.",
        "Czuję się traktowany z szacunkiem, dziękuję.",
        "Bardzo dobra organizacja, wszystko jasno wytłumaczone.",
        "Osoby prowadzące są życzliwe i cierpliwe.",
        "Polecam, to dla mnie ważne wsparcie.",
    ),
    "neutralne": (
        "Ogólnie w porządku, ale godziny mogłyby być bardziej elastyczne.",
        "Nie mam większych uwag.",
        "Przydałoby się więcej informacji o tym, co jest dostępne.",
        "Czasem trzeba długo czekać na termin.",
    ),
    "negatywne": (
        "Za często zmieniają się osoby prowadzące.",
        "Nikt nie zapytał mnie, czego naprawdę potrzebuję.",
        "Wsparcie kończy się, zanim coś się zmieni.",
        "Trudno się dodzwonić i umówić.",
    ),
    "klient_wieloletnie": (
        "Dobrze, że to trwa już kilka lat – ciągle ta sama osoba prowadząca.",
        "Od kiedy nie ma przerw między kolejnymi latami, widać postępy.",
    ),
    "personel": (
        "Brakuje nam czasu na dokumentację, kosztem pracy z ludźmi.",
        "Chcielibyśmy więcej szkoleń i superwizji.",
        "Klienci coraz częściej sami proponują, co chcą robić.",
    ),
    "personel_wieloletnie": (
        "Stała umowa pozwala nam planować pracę z ludźmi na dłużej.",
        "Nie piszemy co roku nowej oferty, więcej czasu zostaje dla klientów.",
    ),
    "personel_roczne": (
        "Co roku nie wiemy, czy będziemy kontynuować – trudno zatrzymać ludzi.",
        "Przerwa między umowami na początku roku rozbija grupę.",
    ),
}


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------


def _rng(seed: int, stream: str) -> np.random.Generator:
    """An independent generator per (seed, stream); stable across runs and platforms."""
    return np.random.default_rng([seed, zlib.crc32(stream.encode("utf-8"))])


def _price_index(years: np.ndarray) -> np.ndarray:
    lo, hi = min(_PRICE_INDEX), max(_PRICE_INDEX)
    clipped = np.clip(years, lo, hi)
    base = np.array([_PRICE_INDEX[int(y)] for y in range(lo, hi + 1)])[clipped - lo]
    return np.asarray(base * 1.03 ** (years - clipped), dtype=float)


def _str_take(labels: Sequence[str], codes: np.ndarray) -> pd.Series:
    """A ``str`` column with ``labels[codes]``, built in Arrow (fast for millions of rows)."""
    taken = pa.array(list(labels), type=pa.string()).take(pa.array(codes, type=pa.int64()))
    return pd.Series(pd.array(taken, dtype="str"))


def _within(counts: np.ndarray) -> np.ndarray:
    """Position of each element inside its block, for blocks of the given sizes."""
    total = int(counts.sum())
    starts = np.cumsum(counts) - counts
    return np.asarray(np.arange(total) - np.repeat(starts, counts), dtype=np.int64)


def _achieved(target: np.ndarray, achievement: np.ndarray) -> np.ndarray:
    """Whole achieved units whose ratio to ``target`` stays within 70–115 % despite rounding."""
    return np.asarray(np.clip(np.round(target * achievement), np.ceil(0.70 * target),
                              np.floor(1.15 * target)), dtype=float)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-x)), dtype=float)


def _likert(latent: np.ndarray) -> np.ndarray:
    """Latent attitude (0 = scale midpoint) → answer 1–5 as int8."""
    return np.clip(np.rint(3.0 + latent), 1, 5).astype(np.int8)


def _pseudonyms(rng: np.random.Generator, count: int) -> list[str]:
    """``count`` distinct ids ``R-xxxxxx`` from a seeded bijection of 0…count−1."""
    bits = 24 if count <= 1 << 24 else 32
    width = bits // 4
    mask = np.uint64((1 << bits) - 1)
    key1, key2 = (np.uint64(k) for k in rng.integers(0, 1 << bits, 2))
    mult1, mult2 = (np.uint64(k | 1) for k in rng.integers(1 << (bits - 2), 1 << bits, 2))
    half = np.uint64(bits // 2)
    x = np.arange(count, dtype=np.uint64) ^ key1
    x = (x * mult1) & mask
    x ^= x >> half
    x = (x * mult2) & mask
    x ^= x >> (half - np.uint64(1))
    x ^= key2
    return [f"R-{v:0{width}x}" for v in x.tolist()]


def _weighted_top_k(
    rng: np.random.Generator, weights: np.ndarray, k: np.ndarray, allowed: np.ndarray | None = None
) -> np.ndarray:
    """Per row, a boolean mask of ``k[row]`` columns drawn without replacement ∝ ``weights``.

    Gumbel top-k trick: vectorised over rows.
    """
    rows, cols = weights.shape
    keys = np.log(np.maximum(weights, 1e-300)) + rng.gumbel(size=(rows, cols))
    if allowed is not None:
        keys = np.where(allowed, keys, -np.inf)
    order = np.argsort(-keys, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(cols)[None, :].repeat(rows, axis=0), axis=1)
    return ranks < k[:, None]


@lru_cache(maxsize=1)
def _schema_columns() -> dict[str, tuple[str, ...]]:
    return {name: tuple(model.to_schema().columns) for name, model in TABLES.items()}


def _frame(name: str, columns: Mapping[str, Any]) -> pd.DataFrame:
    """A table with exactly the schema's columns, in the schema's order."""
    order = _schema_columns()[name]
    if set(columns) != set(order):
        raise AssertionError(f"{name}: columns {sorted(columns)} != schema {sorted(order)}")
    return pd.DataFrame({c: columns[c] for c in order})


# --------------------------------------------------------------------------
# The instrument catalogue (survey items, standard, cooperation checklist)
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Instrument:
    name: str
    perspective: str
    item_ids: tuple[str, ...]
    reverse: tuple[bool, ...]
    criteria: tuple[str, ...]
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class _Catalogue:
    instruments: dict[str, _Instrument]
    requirements: tuple[str, ...]
    checklist: tuple[tuple[str, str, float], ...]  # item_id, kind, target


@lru_cache(maxsize=1)
def _catalogue() -> _Catalogue:
    """The packaged instruments, read through the catalogue loader (one source of truth)."""
    packaged = load_catalog().instruments
    instruments = {
        name: _Instrument(
            name=name,
            perspective=spec.perspective,
            item_ids=tuple(i.item_id for i in spec.items),
            reverse=tuple(i.reverse for i in spec.items),
            criteria=tuple(i.criterion for i in spec.items),
            indicators=tuple(i.indicator for i in spec.items),
        )
        for name, spec in packaged.instruments.items()
    }
    requirements = tuple(r.requirement_id for r in packaged.standard_requirements)
    checklist = tuple(
        (i.item_id, i.kind, 1.0 if i.target is None else float(i.target))
        for i in packaged.cooperation_checklist
    )
    return _Catalogue(instruments, requirements, checklist)


# --------------------------------------------------------------------------
# Synthetic gminy
# --------------------------------------------------------------------------


def _name_pool() -> list[tuple[str, str | None, int]]:
    """All synthetic gmina names: (name, "Ziemi …" adjective or None, weight)."""
    pool: list[tuple[str, str | None, int]] = []
    for stem in _STEMS:
        for ending, adj_ending, number in _ENDINGS:
            base = stem + ending
            pool.append((base, stem + adj_ending, 4))
            pool.extend((f"{prefix} {base}", None, 1) for prefix in _PREFIXES[number])
            pool.extend((f"{base} {suffix}", None, 1) for suffix in _SUFFIXES[number])
    return pool


def _synthetic_adjectives() -> dict[str, str]:
    return {name: adj for name, adj, _ in _name_pool() if adj is not None}


_POPULATION_BY_TYPE: Final[dict[str, tuple[float, float]]] = {
    "1": (25_000.0, 0.9), "2": (6_000.0, 0.45), "3": (11_000.0, 0.5),
}
"""Synthetic population by gmina type (last TERYT digit): median and log-normal sigma."""


def _clipped_population(raw: np.ndarray) -> np.ndarray:
    return np.asarray(np.clip(np.round(raw, -1), MIN_SYNTHETIC_POPULATION,
                              MAX_SYNTHETIC_POPULATION), dtype=int)


def demo_gminy() -> tuple[Gmina, ...]:
    """The demo's gminy (:data:`DEMO_TERYT`) as the registry names them."""
    registry = load_gminy()
    return tuple(registry[code] for code in DEMO_TERYT)


def gmina_populations(gminy: Sequence[Gmina], *, seed: int) -> np.ndarray:
    """Population of each gmina, for the scale of the generated numbers.

    The demo's own figure (:data:`DEMO_POPULATION`) first, then the gmina's
    ``population`` when it has one; otherwise (the TERYT register has no
    population) a synthetic figure drawn by gmina type from a generator keyed
    by ``seed`` and the TERYT code, so a gmina gets the same figure whatever
    other gminy are generated with it.
    """
    out = np.empty(len(gminy), dtype=float)
    for i, gmina in enumerate(gminy):
        known = DEMO_POPULATION.get(gmina.teryt, gmina.population)
        if known is not None:
            out[i] = known
            continue
        median, sigma = _POPULATION_BY_TYPE[gmina.teryt[-1]]
        draw = _rng(seed, f"population/{gmina.teryt}").standard_normal()
        out[i] = _clipped_population(np.array([median * np.exp(sigma * draw)]))[0]
    return out


def synthetic_gminy(count: int, *, seed: int) -> list[Gmina]:
    """``count`` invented but valid gminy, for scale tests (e.g. 2 477 for the whole country).

    TERYT codes are unique, valid (7 digits, last 1–3), never one of the pilot
    codes (nor share their first six digits); names are unique and
    Polish-looking; populations lie in 1 500–200 000, skewed small (towns
    larger). Deterministic for a seed.
    """
    if count < 0:
        raise ValueError(f"Liczba gmin nie może być ujemna: {count}")
    pilots = demo_gminy()
    pilot_names = {g.name for g in pilots}
    pool = [p for p in _name_pool() if p[0] not in pilot_names]
    if count > len(pool):
        raise ValueError(f"Za dużo gmin syntetycznych: {count} (najwięcej {len(pool)})")
    rng = _rng(seed, "synthetic_gminy")

    voivodeships = np.array(sorted(VOIVODESHIPS))
    powiats, gmina_numbers = 30, 16
    pilot_prefixes = {g.teryt[:6] for g in pilots}
    space = np.array([
        f"{w}{p:02d}{g:02d}"
        for w in voivodeships for p in range(1, powiats + 1) for g in range(1, gmina_numbers + 1)
    ])
    space = space[~np.isin(space, sorted(pilot_prefixes))]
    prefixes = np.sort(rng.choice(space, size=count, replace=False))

    kinds = rng.choice(np.array(["1", "2", "3"]), size=count, p=[0.12, 0.62, 0.26])
    median = np.array([_POPULATION_BY_TYPE[k][0] for k in kinds])
    sigma = np.array([_POPULATION_BY_TYPE[k][1] for k in kinds])
    population = _clipped_population(median * np.exp(sigma * rng.standard_normal(count)))

    weights = np.array([w for _, _, w in pool], dtype=float)
    keys = np.log(weights) + rng.gumbel(size=len(pool))
    chosen = np.argsort(-keys, kind="stable")[:count]
    stems = rng.permutation(len(_STEMS))
    powiat_names: dict[str, str] = {}
    result: list[Gmina] = []
    for i in range(count):
        prefix, kind = str(prefixes[i]), str(kinds[i])
        powiat_key = prefix[:4]
        if powiat_key not in powiat_names:
            stem = _STEMS[int(stems[len(powiat_names) % len(_STEMS)])]
            powiat_names[powiat_key] = f"{stem.lower()}owski"
        result.append(Gmina(
            teryt=prefix + kind, name=pool[int(chosen[i])][0], gmina_type=GMINA_TYPES[kind],
            powiat=powiat_names[powiat_key], voivodeship=VOIVODESHIPS[prefix[:2]],
            population=int(population[i]),
        ))
    return result


# --------------------------------------------------------------------------
# The plan: gminy, funded areas, NGOs, contract-years
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """Latent structure shared by all tables (arrays indexed as documented)."""

    gminy: tuple[Gmina, ...]
    population: np.ndarray  # per gmina
    gmina_quality: np.ndarray  # per gmina
    cooperation: np.ndarray  # per gmina
    # per funded gmina-area ("ga")
    ga_gmina: np.ndarray
    ga_area: np.ndarray
    ga_treated: np.ndarray  # moves to a multi-year contract in 2022
    ga_scale: np.ndarray
    ga_quality: np.ndarray
    ga_results: np.ndarray  # number of results in the offer (2 or 3)
    ga_ngos: tuple[tuple[str, str], ...]  # primary, secondary NGO name
    ga_profile: tuple[_AreaParams, ...]  # the service's parameters (its area's, or a story's)
    ga_survey_lambda: np.ndarray  # mean number of client questionnaires beyond 3 a year
    ga_noise: np.ndarray  # year-to-year noise of money, clients and hours (1 = usual)
    # per contract-year ("cy")
    cy_ga: np.ndarray
    cy_year: np.ndarray
    cy_multi: np.ndarray
    years: tuple[int, ...]


def _gmina_labels(gminy: Sequence[Gmina]) -> tuple[list[str], list[str | None]]:
    """Names and adjectives usable in NGO names, unique across the given gminy."""
    names = [g.name for g in gminy]
    counts = pd.Series(names).value_counts()
    labels = [
        g.name if counts[g.name] == 1 else f"{g.name} ({g.teryt})" for g in gminy
    ]
    synthetic = _synthetic_adjectives()
    adjectives: list[str | None] = [
        _PILOT_ADJECTIVES.get(g.teryt) if g.teryt in _PILOT_ADJECTIVES
        else synthetic.get(g.name) for g in gminy
    ]
    adj_counts = pd.Series([a for a in adjectives if a is not None]).value_counts()
    adjectives = [
        a if a is not None and counts[g.name] == 1 and adj_counts[a] == 1 else None
        for a, g in zip(adjectives, gminy, strict=True)
    ]
    return labels, adjectives


def _ngo_names(
    rng: np.random.Generator, label: str, adjective: str | None, area: str
) -> tuple[str, str]:
    """Primary and secondary NGO of one gmina-area (different names)."""
    templates = [t for t, needs_adj in _NGO_TEMPLATES[area] if adjective or not needs_adj]
    words = _NGO_WORDS.get(area, ("Razem",))
    picks = rng.permutation(len(templates))[:2]
    word_picks = rng.permutation(len(words))[:2]
    names = [
        templates[int(p)].format(name=label, adj=adjective or "", word=words[int(w) % len(words)])
        for p, w in zip(picks, np.resize(word_picks, 2), strict=True)
    ]
    return names[0], names[1]


def _client_survey_lambda(population: np.ndarray) -> np.ndarray:
    """Client questionnaires beyond the first three: more in bigger gminy."""
    return np.asarray(0.8 + 3.2 * np.sqrt(population / 10_000), dtype=float)


def _make_plan(seed: int, gminy: Sequence[Gmina], years: range, population: np.ndarray) -> _Plan:
    rng = _rng(seed, "plan")
    n = len(gminy)
    areas = list(AREA_IDS)
    gmina_quality = 0.3 * rng.standard_normal(n)
    cooperation = rng.standard_normal(n)

    n_funded = rng.choice(np.array([3, 4, 5, 6]), size=n, p=[0.25, 0.35, 0.25, 0.15])
    fund_w = np.tile([_AREAS[a].funding_weight for a in areas], (n, 1))
    funded = _weighted_top_k(rng, fund_w, n_funded)
    upper = np.minimum(4, n_funded - 1)
    n_multi = rng.integers(2, upper + 1)
    multi_w = np.tile([_AREAS[a].multi_year_weight for a in areas], (n, 1))
    treated = _weighted_top_k(rng, multi_w, n_multi, allowed=funded)

    ga_gmina, ga_area = np.nonzero(funded)
    ga_treated = treated[ga_gmina, ga_area]
    n_ga = len(ga_gmina)
    ga_scale = np.exp(0.3 * rng.standard_normal(n_ga))
    ga_quality = 0.35 * rng.standard_normal(n_ga)
    ga_results = rng.integers(2, 4, size=n_ga)

    labels, adjectives = _gmina_labels(gminy)
    name_rng = _rng(seed, "ngo_names")
    ga_ngos = tuple(
        _ngo_names(name_rng, labels[g], adjectives[g], areas[a])
        for g, a in zip(ga_gmina.tolist(), ga_area.tolist(), strict=True)
    )

    year_arr = np.array(list(years), dtype=np.int64)
    cy_ga = np.repeat(np.arange(n_ga), len(year_arr))
    cy_year = np.tile(year_arr, n_ga)
    cy_multi = ga_treated[cy_ga] & (cy_year >= MULTI_YEAR_START) & (cy_year <= MULTI_YEAR_END)
    return _Plan(
        gminy=tuple(gminy), population=population, gmina_quality=gmina_quality,
        cooperation=cooperation, ga_gmina=ga_gmina, ga_area=ga_area, ga_treated=ga_treated,
        ga_scale=ga_scale, ga_quality=ga_quality, ga_results=ga_results, ga_ngos=ga_ngos,
        ga_profile=tuple(_AREAS[areas[a]] for a in ga_area.tolist()),
        ga_survey_lambda=_client_survey_lambda(population[ga_gmina]),
        ga_noise=np.ones(n_ga),
        cy_ga=cy_ga, cy_year=cy_year, cy_multi=cy_multi, years=tuple(int(y) for y in years),
    )


# --------------------------------------------------------------------------
# Sopot: a scripted story next to the randomly planned pilot gminy
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _StoryArea:
    """One funded area of a scripted gmina: who runs it and how it differs."""

    area: str
    ngos: tuple[str, str]  # the provider of the multi-year contract first
    multi_year: bool = False
    scale: float = 1.0  # spending relative to the area's per-capita norm
    quality: float = 0.0  # latent service quality (the pilots draw N(0, 0.35))
    results: int = 2
    profile: _AreaParams | None = None  # None: the area's usual parameters
    client_lambda: float | None = None  # None: the usual survey size for the population
    noise: float = 1.0  # year-to-year noise of money, clients and hours (1 = usual)


_PLACE_PHRASES: Final[dict[str, str]] = {SOPOT_TERYT: "w Sopocie"}
"""How contract titles name the place where "w gminie <nazwa>" reads wrong."""

_SOPOT_CARE: Final = _AreaParams(
    45, 4.2, 300, 6, 0.0, 0.0, 1.0, 0.5,
    "Usługi opiekuńcze w miejscu zamieszkania dla osób starszych i niesamodzielnych",
    ("Liczba indywidualnych planów opieki", "plany", 80, 95),
    "Liczba osób objętych usługami opiekuńczymi", "Liczba godzin usług opiekuńczych",
)
"""Care services at home: about 140 clients, 300 hours each a year, ~40 zł an hour in 2022."""

_SOPOT_AREAS: Final[tuple[_StoryArea, ...]] = (
    _StoryArea("edukacja", ("Stowarzyszenie Edukacyjne „Latarnia” w Sopocie",
                            "Fundacja Edukacji Nadmorskiej „Mewa”"),
               scale=0.9, quality=0.1, results=3),
    _StoryArea("pomoc_spoleczna", ("Fundacja Opieki Domowej „Morska Bryza”",
                                   "Stowarzyszenie Pomocy Seniorom „Sopocka Przystań”"),
               multi_year=True, quality=0.3, results=3, profile=_SOPOT_CARE,
               client_lambda=26.0, noise=0.35),
    _StoryArea("sport", ("Klub Sportowy „Sztorm” Sopot", "Uczniowski Klub Sportowy „Molo” Sopot"),
               scale=1.2, quality=-0.1),
    _StoryArea("kultura", ("Stowarzyszenie Kulturalne „Kurort”",
                           "Fundacja Sztuki „Nadmorskie Sceny”"),
               scale=1.3, quality=0.05),
    _StoryArea("zdrowie", ("Stowarzyszenie Profilaktyki Uzależnień „Nowa Fala”",
                           "Fundacja Zdrowia „Sopocki Oddech”"),
               quality=-0.15),
)
"""Sopot's funded areas, in area order: care services on one multi-year contract
2022–2025 (the "Kontrakt na jakość"), four areas on annual grants throughout."""
_SOPOT_QUALITY: Final = 0.2  # a gmina that invests in service quality
_SOPOT_COOPERATION: Final = 0.9  # and has a strong culture of cooperation with NGOs


def _story_plan(
    gmina: Gmina, areas: Sequence[_StoryArea], years: range, population: float,
    quality: float, cooperation: float,
) -> _Plan:
    """The plan of one scripted gmina: funded areas, contracts and NGOs fixed by the story."""
    ga_area = np.array([AREA_IDS.index(a.area) for a in areas], dtype=np.int64)
    if np.any(np.diff(ga_area) <= 0):
        raise AssertionError("story areas must follow AREA_IDS order, each once")
    n_ga = len(areas)
    pop = np.array([population], dtype=float)
    usual_lambda = float(_client_survey_lambda(pop)[0])
    year_arr = np.array(list(years), dtype=np.int64)
    ga_treated = np.array([a.multi_year for a in areas], dtype=bool)
    cy_ga = np.repeat(np.arange(n_ga), len(year_arr))
    cy_year = np.tile(year_arr, n_ga)
    return _Plan(
        gminy=(gmina,), population=pop, gmina_quality=np.array([quality]),
        cooperation=np.array([cooperation]), ga_gmina=np.zeros(n_ga, dtype=np.int64),
        ga_area=ga_area, ga_treated=ga_treated,
        ga_scale=np.array([a.scale for a in areas], dtype=float),
        ga_quality=np.array([a.quality for a in areas], dtype=float),
        ga_results=np.array([a.results for a in areas], dtype=np.int64),
        ga_ngos=tuple(a.ngos for a in areas),
        ga_profile=tuple(a.profile or _AREAS[a.area] for a in areas),
        ga_survey_lambda=np.array([usual_lambda if a.client_lambda is None else a.client_lambda
                                   for a in areas], dtype=float),
        ga_noise=np.array([a.noise for a in areas], dtype=float),
        cy_ga=cy_ga, cy_year=cy_year,
        cy_multi=ga_treated[cy_ga] & (cy_year >= MULTI_YEAR_START) & (cy_year <= MULTI_YEAR_END),
        years=tuple(int(y) for y in years),
    )


def _sopot_plan(sopot: Gmina, years: range) -> _Plan:
    return _story_plan(sopot, _SOPOT_AREAS, years, DEMO_POPULATION[SOPOT_TERYT],
                       _SOPOT_QUALITY, _SOPOT_COOPERATION)


def _story_seed(seed: int, teryt: str) -> int:
    """The seed of a scripted gmina's random details: independent of the pilots' streams."""
    return int(_rng(seed, f"story/{teryt}").integers(1 << 62))


def _contract_ids(plan: _Plan) -> list[str]:
    """Contract id of every contract-year: ``<teryt>/<area>/<start year>``."""
    start = np.where(plan.cy_multi, MULTI_YEAR_START, plan.cy_year)
    teryt = [g.teryt for g in plan.gminy]
    return [
        f"{teryt[plan.ga_gmina[ga]]}/{AREA_IDS[plan.ga_area[ga]]}/{y}"
        for ga, y in zip(plan.cy_ga.tolist(), start.tolist(), strict=True)
    ]


# --------------------------------------------------------------------------
# Volumes and money per contract-year
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Volumes:
    """Per contract-year: money, clients, hours and achievement."""

    planned_total: np.ndarray
    execution: np.ndarray
    clients_target: np.ndarray
    clients_served: np.ndarray
    hours_target: np.ndarray
    service_hours: np.ndarray
    achievement: np.ndarray  # (cy, 3) achievement of R1–R3
    staff_count: np.ndarray
    staff_left: np.ndarray
    complaints: np.ndarray
    powierzanie: np.ndarray  # per contract-year (constant within a contract)


def _area_vector(plan: _Plan, attr: str) -> np.ndarray:
    """A parameter of each contract-year's service profile."""
    values = np.array([getattr(p, attr) for p in plan.ga_profile], dtype=float)
    return np.asarray(values[plan.cy_ga], dtype=float)


def _make_volumes(seed: int, plan: _Plan) -> _Volumes:
    rng = _rng(seed, "volumes")
    n = len(plan.cy_ga)
    pop = plan.population[plan.ga_gmina[plan.cy_ga]]
    scale = plan.ga_scale[plan.cy_ga]
    multi = plan.cy_multi
    noise = plan.ga_noise[plan.cy_ga]
    trend = 1.0 + 0.01 * (plan.cy_year - 2019)

    planned = (pop * _area_vector(plan, "budget_per_capita") * scale
               * _price_index(plan.cy_year) * np.exp(0.08 * noise * rng.standard_normal(n))
               * np.where(multi, _MULTI_COST_FACTOR, 1.0))
    planned = np.maximum(np.round(planned, -2), 5_000.0)
    execution = rng.uniform(0.86, 1.04, n)

    clients_target = np.maximum(np.round(
        pop / 1000 * _area_vector(plan, "clients_per_1000") * np.sqrt(scale) * trend
        * np.exp(0.1 * noise * rng.standard_normal(n))
        * np.where(multi, _MULTI_CLIENT_FACTOR, 1.0)
    ), 5)
    base_ach = np.clip(0.95 + _MULTI_ACHIEVEMENT_BONUS * multi
                       + 0.08 * noise * rng.standard_normal(n),
                       0.72, 1.12)
    achievement = np.clip(base_ach[:, None] + 0.03 * rng.standard_normal((n, 3)), 0.70, 1.15)
    clients_served = _achieved(clients_target, achievement[:, 0]).astype(np.int64)
    hours_target = np.round(clients_target * _area_vector(plan, "hours_per_client")
                            * np.exp(0.15 * noise * rng.standard_normal(n)), -1)
    hours_target = np.maximum(hours_target, 20.0)
    service_hours = _achieved(hours_target, achievement[:, 1])

    staff = np.clip(np.round(clients_target / _area_vector(plan, "clients_per_staff")
                             * np.exp(0.2 * rng.standard_normal(n))), 2, 15).astype(np.int64)
    staff_left = rng.binomial(staff, np.where(multi, _TURNOVER[1], _TURNOVER[0]))
    complaint_rate = np.clip(clients_served * 0.012, 0.2, 3.5) * np.where(multi, 0.75, 1.0)
    complaints = np.minimum(rng.poisson(complaint_rate), 5).astype(np.int64)

    # Form is decided per contract: annual grants draw each year, a multi-year
    # contract once (its first contract-year's draw is kept for all years).
    draw = rng.uniform(size=n) < _area_vector(plan, "powierzanie_share")
    ga_multi_draw = np.zeros(len(plan.ga_gmina), dtype=bool)
    first = multi & ~np.r_[False, multi[:-1] & (plan.cy_ga[1:] == plan.cy_ga[:-1])]
    ga_multi_draw[plan.cy_ga[first]] = draw[first]
    powierzanie = np.where(multi, ga_multi_draw[plan.cy_ga], draw)
    return _Volumes(
        planned_total=planned, execution=execution, clients_target=clients_target,
        clients_served=clients_served, hours_target=hours_target, service_hours=service_hours,
        achievement=achievement, staff_count=staff, staff_left=staff_left.astype(np.int64),
        complaints=complaints, powierzanie=powierzanie,
    )


# --------------------------------------------------------------------------
# Contract-level tables
# --------------------------------------------------------------------------


def _contracts(seed: int, plan: _Plan, vol: _Volumes, ids: Sequence[str]) -> pd.DataFrame:
    rng = _rng(seed, "contracts")
    n = len(plan.cy_ga)
    secondary_wins = rng.uniform(size=n) < 0.3
    frame = pd.DataFrame({"cy": np.arange(n), "contract_id": ids})
    first_rows = frame.drop_duplicates("contract_id", keep="first")["cy"].to_numpy()
    gminy = plan.gminy
    rows: dict[str, list[Any]] = {c: [] for c in _schema_columns()["contracts"]}
    for cy in first_rows.tolist():
        ga = int(plan.cy_ga[cy])
        gmina = gminy[int(plan.ga_gmina[ga])]
        area = AREA_IDS[int(plan.ga_area[ga])]
        multi = bool(plan.cy_multi[cy])
        year = int(plan.cy_year[cy])
        primary, secondary = plan.ga_ngos[ga]
        place = _PLACE_PHRASES.get(gmina.teryt, f"w gminie {gmina.name}")
        base_title = f"{plan.ga_profile[ga].title} {place}"
        rows["contract_id"].append(ids[cy])
        rows["teryt"].append(gmina.teryt)
        rows["area"].append(area)
        rows["ngo_name"].append(secondary if secondary_wins[cy] and not multi else primary)
        rows["title"].append(
            f"{base_title} w latach {MULTI_YEAR_START}–{MULTI_YEAR_END}" if multi
            else f"{base_title} w {year} r."
        )
        rows["mode"].append(MULTI_YEAR if multi else ANNUAL_GRANT)
        rows["form"].append("powierzanie" if vol.powierzanie[cy] else "wspieranie")
        rows["start_year"].append(MULTI_YEAR_START if multi else year)
        rows["end_year"].append(MULTI_YEAR_END if multi else year)
    return _frame("contracts", {
        **{c: pd.Series(rows[c], dtype="str") for c in rows if c not in ("start_year", "end_year")},
        "start_year": np.array(rows["start_year"], dtype=np.int64),
        "end_year": np.array(rows["end_year"], dtype=np.int64),
    })


def _finance(seed: int, plan: _Plan, vol: _Volumes, ids: Sequence[str]) -> pd.DataFrame:
    """Cost lines: category × source per contract-year; zero lines are not reported."""
    rng = _rng(seed, "finance")
    n = len(plan.cy_ga)
    sources = ("dotacja", "srodki_wlasne", "swiadczenia_odbiorcow", "inne_publiczne", "inne")
    grant = np.where(vol.powierzanie,
                     np.where(rng.uniform(size=n) < 0.4, 1.0, rng.uniform(0.9, 1.0, n)),
                     rng.uniform(0.65, 0.9, n))
    fee = rng.uniform(size=n) < _area_vector(plan, "fee_probability")
    other_public = rng.uniform(size=n) < 0.15
    other = rng.uniform(size=n) < 0.08
    weights = np.stack([
        np.ones(n), fee * rng.uniform(0.2, 1.0, n), other_public * rng.uniform(0.2, 1.0, n),
        other * rng.uniform(0.1, 0.5, n),
    ], axis=1)
    shares = np.concatenate(
        [grant[:, None], (1.0 - grant)[:, None] * weights / weights.sum(axis=1, keepdims=True)],
        axis=1,
    )
    admin_share = rng.uniform(0.05, 0.15, n)
    own_admin = shares[:, 1] / (shares[:, 0] + shares[:, 1])
    admin_shares = np.zeros_like(shares)
    admin_shares[:, 0], admin_shares[:, 1] = 1.0 - own_admin, own_admin
    total = vol.planned_total[:, None]
    amounts = np.stack([total * (1 - admin_share)[:, None] * shares,
                        total * admin_share[:, None] * admin_shares], axis=1)  # (cy, cat, src)
    planned = np.round(amounts, 0)
    line_exec = np.clip(vol.execution[:, None, None] * np.exp(0.015 * rng.standard_normal(
        planned.shape)), 0.85, 1.05)
    actual = np.round(planned * line_exec, 2)

    keep = planned.reshape(-1) > 0
    cy = np.repeat(np.arange(n), 2 * len(sources))[keep]
    category = np.tile(np.repeat([0, 1], len(sources)), n)[keep]
    source = np.tile(np.arange(len(sources)), 2 * n)[keep]
    return _frame("finance", {
        "contract_id": _str_take(ids, cy),
        "year": plan.cy_year[cy],
        "category": _str_take(("dzialania", "administracyjne"), category),
        "source": _str_take(sources, source),
        "planned": planned.reshape(-1)[keep].astype(float),
        "actual": actual.reshape(-1)[keep].astype(float),
    })


def _contributions(seed: int, plan: _Plan, vol: _Volumes, ids: Sequence[str]) -> pd.DataFrame:
    rng = _rng(seed, "contributions")
    n = len(plan.cy_ga)
    personal = rng.uniform(size=n) < np.where(plan.cy_multi, 0.9, 0.8)
    in_kind = rng.uniform(size=n) < 0.35
    hours = np.clip(np.round(vol.clients_served * rng.uniform(0.3, 2.0, n)), 10, 3000)
    rate = np.clip(np.round(30 + 2.2 * (plan.cy_year - 2019) + rng.uniform(-2, 3, n)), 30, 45)
    in_kind_value = np.round(rng.uniform(300, 6000, n) * _price_index(plan.cy_year), 2)

    cy = np.concatenate([np.nonzero(personal)[0], np.nonzero(in_kind)[0]])
    kind = np.concatenate([np.zeros(personal.sum(), int), np.ones(in_kind.sum(), int)])
    order = np.lexsort((kind, cy))
    cy, kind = cy[order], kind[order]
    is_personal = kind == 0
    return _frame("contributions", {
        "contract_id": _str_take(ids, cy),
        "year": plan.cy_year[cy],
        "kind": _str_take(("osobowy", "rzeczowy"), kind),
        "value": np.where(is_personal, hours[cy] * rate[cy], in_kind_value[cy]).astype(float),
        "volunteer_hours": np.where(is_personal, hours[cy], np.nan),
        "hourly_rate": np.where(is_personal, rate[cy], np.nan),
    })


def _results(seed: int, plan: _Plan, vol: _Volumes, ids: Sequence[str]) -> pd.DataFrame:
    rng = _rng(seed, "results")
    n = len(plan.cy_ga)
    k = plan.ga_results[plan.cy_ga]
    cy = np.repeat(np.arange(n), k)
    pos = _within(k)
    ga = plan.cy_ga[cy]
    pop = plan.population[plan.ga_gmina[ga]]
    specs = plan.ga_profile
    names = [[s.client_result, s.hours_result, s.counted_result[0]] for s in specs]
    units = [["osoby", "godziny", s.counted_result[1]] for s in specs]
    low = np.array([s.counted_result[2] for s in specs], dtype=float)[ga]
    high = np.array([s.counted_result[3] for s in specs], dtype=float)[ga]
    counted = np.maximum(np.round(rng.uniform(low, high) * (pop / 10_000) ** 0.3), 1)
    target = np.select([pos == 0, pos == 1], [vol.clients_target[cy], vol.hours_target[cy]],
                       counted)
    achieved = np.select(
        [pos == 0, pos == 1],
        [vol.clients_served[cy].astype(float), vol.service_hours[cy]],
        _achieved(target, vol.achievement[cy, np.minimum(pos, 2)]),
    )
    missing = rng.uniform(size=len(cy)) < 0.003
    if len(cy):
        missing[rng.integers(len(cy))] = True
    flat = pos + 3 * ga
    name_labels = [x for row in names for x in row]
    unit_labels = [x for row in units for x in row]
    return _frame("results", {
        "contract_id": _str_take(ids, cy),
        "year": plan.cy_year[cy],
        "result_id": _str_take(("R1", "R2", "R3"), pos),
        "name": _str_take(name_labels, flat),
        "unit": _str_take(unit_labels, flat),
        "target": target.astype(float),
        "achieved": np.where(missing, np.nan, achieved).astype(float),
    })


def _beneficiaries(plan: _Plan, vol: _Volumes, ids: Sequence[str]) -> pd.DataFrame:
    n = len(plan.cy_ga)
    return _frame("beneficiaries", {
        "contract_id": _str_take(ids, np.arange(n)),
        "year": plan.cy_year,
        "clients_served": vol.clients_served,
        "service_hours": vol.service_hours.astype(float),
        "complaints": vol.complaints,
        "staff_count": vol.staff_count,
        "staff_left": vol.staff_left,
    })


def _standard_checklist(seed: int, plan: _Plan, ids: Sequence[str]) -> pd.DataFrame:
    rng = _rng(seed, "standard_checklist")
    requirements = _catalogue().requirements
    multi_cy = np.nonzero(plan.cy_multi)[0]
    r = len(requirements)
    cy = np.repeat(multi_cy, r)
    req = np.tile(np.arange(r), len(multi_cy))
    quality = plan.ga_quality[plan.cy_ga[cy]] + plan.gmina_quality[plan.ga_gmina[plan.cy_ga[cy]]]
    self_met = rng.uniform(size=len(cy)) < _sigmoid(2.3 + 1.5 * quality)
    inspected = (rng.uniform(size=len(multi_cy)) < 0.6)[np.repeat(np.arange(len(multi_cy)), r)]
    confirm = np.where(self_met, rng.uniform(size=len(cy)) < 0.88,
                       rng.uniform(size=len(cy)) < 0.05)
    return _frame("standard_checklist", {
        "contract_id": _str_take(ids, cy),
        "year": plan.cy_year[cy],
        "requirement_id": _str_take(requirements, req),
        "self_met": self_met,
        "jst_confirmed": pd.arrays.BooleanArray(confirm, ~inspected),
    })


# --------------------------------------------------------------------------
# Gmina-level tables
# --------------------------------------------------------------------------


def _needs(seed: int, plan: _Plan, vol: _Volumes) -> pd.DataFrame:
    rng = _rng(seed, "needs")
    year = DIAGNOSIS_YEAR if DIAGNOSIS_YEAR in plan.years else plan.years[0]
    cy = np.nonzero(plan.cy_year == year)[0]  # one per funded gmina-area, in ga order
    unit_cost = vol.planned_total[cy] / vol.clients_target[cy]
    in_house = np.round(unit_cost * rng.uniform(1.05, 1.45, len(cy)), 2)
    in_house[rng.uniform(size=len(cy)) < 0.15] = np.nan
    ga = plan.cy_ga[cy]
    teryt = [g.teryt for g in plan.gminy]
    return _frame("needs", {
        "teryt": _str_take(teryt, plan.ga_gmina[ga]),
        "area": _str_take(AREA_IDS, plan.ga_area[ga]),
        "year": np.full(len(cy), year, dtype=np.int64),
        "people_in_need": np.round(vol.clients_target[cy] * rng.uniform(1.3, 2.6, len(cy)))
        .astype(np.int64),
        "in_house_unit_cost": in_house,
    })


def _gmina_years(plan: _Plan, first: int) -> tuple[np.ndarray, np.ndarray]:
    years = np.array([y for y in plan.years if y >= first], dtype=np.int64)
    g = np.repeat(np.arange(len(plan.gminy)), len(years))
    return g, np.tile(years, len(plan.gminy))


def _procedure_costs(seed: int, plan: _Plan) -> pd.DataFrame:
    rng = _rng(seed, "procedure_costs")
    g, year = _gmina_years(plan, YEAR_MIN)
    n = len(g)
    return _frame("procedure_costs", {
        "teryt": _str_take([x.teryt for x in plan.gminy], g),
        "year": year,
        "contest_staff_hours": np.round(rng.uniform(40, 90, n)),
        "hourly_rate": np.clip(np.round(45 + 3.5 * (year - 2019) + rng.uniform(-3, 3, n), 2),
                               45, 70),
        "other_costs": np.round(rng.uniform(200, 1500, n), 2),
    })


def _cooperation_checklist(
    seed: int, plan: _Plan, vol: _Volumes
) -> pd.DataFrame:
    rng = _rng(seed, "cooperation_checklist")
    g, year = _gmina_years(plan, YEAR_MIN)
    n_gy = len(g)
    coop = plan.cooperation[g]
    has_multi = np.zeros(len(plan.gminy), dtype=bool)
    has_multi[plan.ga_gmina[plan.ga_treated]] = True

    # Money per gmina-year from the generated contracts.
    n_years, first = len(plan.years), plan.years[0]
    cy_gy = plan.ga_gmina[plan.cy_ga] * n_years + (plan.cy_year - first)
    gy_index = g * n_years + (year - first)
    size = len(plan.gminy) * len(plan.years)
    grants = np.bincount(cy_gy, weights=vol.planned_total, minlength=size)[gy_index]
    multi_grants = np.bincount(cy_gy, weights=vol.planned_total * plan.cy_multi,
                               minlength=size)[gy_index]
    spending = (plan.population[g] * 5_200 * _price_index(year)
                * np.exp(0.1 * rng.standard_normal(n_gy)))

    items = _catalogue().checklist
    values = np.zeros((n_gy, len(items)))
    for j, (item_id, kind, target) in enumerate(items):
        adoption = _rng(seed, f"adoption/{item_id}").uniform(size=len(plan.gminy))[g]
        if item_id == "w1_program_wieloletni":
            p = np.where(has_multi[g] & (year >= MULTI_YEAR_START), 0.85,
                         _sigmoid(_CHECKLIST_LOGIT[item_id] + coop))
            values[:, j] = adoption < p
        elif kind == "binary":
            logit = _CHECKLIST_LOGIT.get(item_id, 0.5) + 1.2 * coop + 0.25 * (year - 2019)
            values[:, j] = adoption < _sigmoid(logit)
        elif item_id == "w3_udzial_wydatkow":
            values[:, j] = np.clip(grants / spending, 0.005, 0.03)
        elif item_id == "w3_udzial_wieloletnich":
            values[:, j] = np.where(grants > 0, multi_grants / np.maximum(grants, 1.0), 0.0)
        elif item_id == "w3_organizacje_na_1000":
            values[:, j] = np.clip(0.8 * np.exp(0.4 * rng.standard_normal(n_gy) + 0.15 * coop),
                                   0.3, 2.0)
        elif item_id == "w4_konsultacje":
            values[:, j] = np.minimum(rng.poisson(np.clip(2.0 + 1.5 * coop, 0.3, None)), 8)
        else:
            values[:, j] = rng.uniform(0, 1.2 * target, n_gy)
    values = np.round(values, 4)
    return _frame("cooperation_checklist", {
        "teryt": _str_take([x.teryt for x in plan.gminy], np.repeat(g, len(items))),
        "year": np.repeat(year, len(items)),
        "item_id": _str_take([i[0] for i in items], np.tile(np.arange(len(items)), n_gy)),
        "value": values.reshape(-1),
    })


# --------------------------------------------------------------------------
# Surveys
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Respondents:
    """One row per respondent of the service surveys."""

    cy: np.ndarray  # contract-year of the group (gmina × area × year)
    instrument: np.ndarray  # index into SERVICE order
    latent: np.ndarray
    group_start: np.ndarray  # per group: first respondent
    group_klient: np.ndarray  # per group: number of clients


_SERVICE: Final = ("klient", "personel", "samoocena")


def _service_respondents(seed: int, plan: _Plan, vol: _Volumes) -> _Respondents:
    rng = _rng(seed, "service_respondents")
    groups = np.nonzero(plan.cy_year >= SURVEY_FIRST_YEAR)[0]
    lam = plan.ga_survey_lambda[plan.cy_ga[groups]]
    n_klient = np.minimum(3 + rng.poisson(lam), vol.clients_served[groups])
    n_staff = np.minimum(rng.integers(3, 11, len(groups)), vol.staff_count[groups])
    counts = np.stack([n_klient, n_staff, np.ones(len(groups), dtype=np.int64)], axis=1)
    flat = counts.reshape(-1)
    instrument = np.repeat(np.tile(np.arange(3), len(groups)), flat)
    group = np.repeat(np.repeat(np.arange(len(groups)), 3), flat)
    cy = groups[group]
    ga = plan.cy_ga[cy]
    mean = (0.7 + plan.gmina_quality[plan.ga_gmina[ga]] + plan.ga_quality[ga]
            + _MULTI_SATISFACTION_BONUS * plan.cy_multi[cy] + 0.03 * (plan.cy_year[cy] - 2021))
    shift = np.array([_INSTRUMENT_SHIFT[i] for i in _SERVICE])[instrument]
    spread = np.array([_INSTRUMENT_SPREAD[i] for i in _SERVICE])[instrument]
    latent = mean + shift + spread * rng.standard_normal(len(cy))
    totals = counts.sum(axis=1)
    return _Respondents(cy=cy, instrument=instrument, latent=latent,
                        group_start=np.cumsum(totals) - totals, group_klient=n_klient)


def _answers(
    rng: np.random.Generator, latent: np.ndarray, item_offset: np.ndarray, reverse: np.ndarray
) -> np.ndarray:
    """Likert answers: forward items follow the latent attitude, reverse items oppose it."""
    x = latent + item_offset
    sign = np.where(reverse, -1.0, 1.0)
    return _likert(sign * x + 0.7 * rng.standard_normal(len(x)))


def _survey_responses(
    seed: int, plan: _Plan, resp: _Respondents, ids: Sequence[str]
) -> pd.DataFrame:
    rng = _rng(seed, "survey_responses")
    cat = _catalogue()
    inst = [cat.instruments[name] for name in _SERVICE]
    item_ids = [i for x in inst for i in x.item_ids]
    n_items = np.array([len(x.item_ids) for x in inst])
    item_start = np.cumsum(n_items) - n_items
    reverse = np.array([r for x in inst for r in x.reverse])
    offset = np.array([_ITEM_OFFSET.get(i, 0.0) for i in item_ids])
    bonus = np.array([_ITEM_MULTI_BONUS.get(i, 0.0) for i in item_ids])

    per_resp = n_items[resp.instrument]
    row_resp = np.repeat(np.arange(len(resp.cy)), per_resp)
    item = item_start[resp.instrument][row_resp] + _within(per_resp)
    row_cy = resp.cy[row_resp]
    answer = _answers(rng, resp.latent[row_resp],
                      offset[item] + bonus[item] * plan.cy_multi[row_cy], reverse[item])
    missing = rng.uniform(size=len(answer)) < _MISSING_ANSWER_RATE

    klients = np.nonzero(resp.instrument == 0)[0]
    n_liners = min(len(klients), max(2, round(0.003 * len(klients))))
    liners = rng.choice(klients, size=n_liners, replace=False)
    liner_row = np.isin(row_resp, liners)
    answer = np.where(liner_row, np.int8(5), answer)
    missing &= ~liner_row

    ga = plan.cy_ga[row_cy]
    return _frame("survey_responses", {
        "teryt": _str_take([g.teryt for g in plan.gminy], plan.ga_gmina[ga]),
        "area": _str_take(AREA_IDS, plan.ga_area[ga]),
        "year": plan.cy_year[row_cy],
        "instrument": _str_take(_SERVICE, resp.instrument[row_resp]),
        "respondent_id": _str_take(ids, row_resp),
        "item_id": _str_take(item_ids, item),
        "answer": pd.arrays.IntegerArray(answer, missing),
    })


def _survey_comments(
    seed: int, plan: _Plan, resp: _Respondents, ids: Sequence[str]
) -> pd.DataFrame:
    rng = _rng(seed, "survey_comments")
    n_groups = len(resp.group_start)
    n_comments = np.minimum(rng.integers(1, 4, n_groups), resp.group_klient)
    klient = np.repeat(resp.group_start, n_comments) + _within(n_comments)
    staff_group = np.nonzero((rng.uniform(size=n_groups) < 0.3)
                             & (resp.instrument[np.minimum(resp.group_start + resp.group_klient,
                                                           len(resp.cy) - 1)] == 1))[0]
    staff = resp.group_start[staff_group] + resp.group_klient[staff_group]
    who = np.sort(np.concatenate([klient, staff]))

    texts = [t for key in _COMMENT_KINDS for t in _COMMENTS[key]]
    sizes = np.array([len(_COMMENTS[k]) for k in _COMMENT_KINDS])
    starts = np.cumsum(sizes) - sizes
    latent = resp.latent[who]
    multi = plan.cy_multi[resp.cy[who]]
    coin = rng.uniform(size=len(who)) < 0.5
    kind = np.select([latent > 1.2, latent < 0.2], [0, 2], 1)
    kind = np.where(multi & (kind == 0) & coin, 3, kind)
    staff_kind = np.where(coin, 4, np.where(multi, 5, 6))
    kind = np.where(resp.instrument[who] == 1, staff_kind, kind)
    text = starts[kind] + rng.integers(0, 1 << 30, len(who)) % sizes[kind]
    ga = plan.cy_ga[resp.cy[who]]
    return _frame("survey_comments", {
        "teryt": _str_take([g.teryt for g in plan.gminy], plan.ga_gmina[ga]),
        "area": _str_take(AREA_IDS, plan.ga_area[ga]),
        "year": plan.cy_year[resp.cy[who]],
        "instrument": _str_take(_SERVICE, resp.instrument[who]),
        "respondent_id": _str_take(ids, who),
        "text": _str_take(texts, text),
    })


def _cooperation_counts(seed: int, plan: _Plan) -> np.ndarray:
    """Respondents per gmina-year (2021 on) and group: JST 3–8, NGO 4–15, more in big gminy."""
    rng = _rng(seed, "cooperation_counts")
    g, _ = _gmina_years(plan, SURVEY_FIRST_YEAR)
    pop = plan.population[g]
    n_jst = np.clip(3 + rng.poisson(0.5 + np.sqrt(pop / 20_000)), 3, 8)
    n_ngo = np.clip(4 + rng.poisson(1.5 + 3 * np.sqrt(pop / 10_000)), 4, 15)
    return np.stack([n_jst, n_ngo], axis=1).reshape(-1)


def _cooperation_survey(
    seed: int, plan: _Plan, counts: np.ndarray, ids: Sequence[str]
) -> pd.DataFrame:
    rng = _rng(seed, "cooperation_survey")
    g, year = _gmina_years(plan, SURVEY_FIRST_YEAR)
    group_kind = np.repeat(np.tile([0, 1], len(g)), counts)
    gy = np.repeat(np.repeat(np.arange(len(g)), 2), counts)
    has_multi = np.zeros(len(plan.gminy), dtype=bool)
    has_multi[plan.ga_gmina[plan.ga_treated]] = True
    gg, yy = g[gy], year[gy]
    latent = (0.5 + 0.45 * plan.cooperation[gg] + 0.06 * (yy - SURVEY_FIRST_YEAR)
              + 0.15 * (has_multi[gg] & (yy >= MULTI_YEAR_START))
              + np.array([_COOP_GROUP_SHIFT["jst"], _COOP_GROUP_SHIFT["ngo"]])[group_kind]
              + 0.6 * rng.standard_normal(len(gy)))

    inst = _catalogue().instruments["wspolpraca"]
    k = len(inst.item_ids)
    row_resp = np.repeat(np.arange(len(gy)), k)
    item = np.tile(np.arange(k), len(gy))
    offset = np.array([_ITEM_OFFSET.get(i, 0.0) for i in inst.item_ids])
    jst_bonus = np.array([_COOP_ITEM_JST_BONUS.get(i, 0.0) for i in inst.item_ids])
    is_jst = group_kind[row_resp] == 0
    answer = _answers(rng, latent[row_resp], offset[item] + jst_bonus[item] * is_jst,
                      np.array(inst.reverse)[item])
    missing = rng.uniform(size=len(answer)) < _MISSING_ANSWER_RATE
    return _frame("cooperation_survey", {
        "teryt": _str_take([x.teryt for x in plan.gminy], gg[row_resp]),
        "year": yy[row_resp],
        "group": _str_take(("jst", "ngo"), group_kind[row_resp]),
        "respondent_id": _str_take(ids, row_resp),
        "item_id": _str_take(inst.item_ids, item),
        "answer": pd.arrays.IntegerArray(answer, missing),
    })


# --------------------------------------------------------------------------
# Deliberate problems
# --------------------------------------------------------------------------


def _with_duplicate_respondent(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One client questionnaire typed twice: its rows repeated right after the original."""
    ids = frame["respondent_id"].to_numpy()
    klient = frame["instrument"].to_numpy() == "klient"
    complete = pd.Series(frame["answer"].notna().to_numpy()).groupby(ids).all()
    candidates = sorted(set(ids[klient]) & set(complete[complete].index))
    if not candidates:
        return frame
    chosen = candidates[int(rng.integers(len(candidates)))]
    rows = np.nonzero(ids == chosen)[0]
    end = int(rows[-1]) + 1
    order = np.concatenate([np.arange(end), rows, np.arange(end, len(frame))])
    return frame.iloc[order].reset_index(drop=True)


def _with_answer(
    frame: pd.DataFrame, rng: np.random.Generator, value: int, eligible: np.ndarray
) -> pd.DataFrame:
    """One answered (and eligible) row's answer replaced by an out-of-scale ``value``."""
    rows = np.nonzero(eligible & frame["answer"].notna().to_numpy())[0]
    if not len(rows):
        return frame
    answers = frame["answer"].copy()
    answers.iloc[int(rows[rng.integers(len(rows))])] = value
    return frame.assign(answer=answers)


def _with_negative_amount(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One grant line's actual cost with a minus sign typed by mistake."""
    rows = np.nonzero((frame["source"] == "dotacja").to_numpy())[0]
    actual = frame["actual"].copy()
    row = int(rows[rng.integers(len(rows))])
    actual.iloc[row] = -actual.iloc[row]
    return frame.assign(actual=actual)


def _with_short_teryt(frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One TERYT code with its last digit lost (6 digits)."""
    teryt = frame["teryt"].copy()
    row = int(rng.integers(len(frame)))
    teryt.iloc[row] = teryt.iloc[row][:6]
    return frame.assign(teryt=teryt)


def _inject_problems(
    seed: int, tables: dict[str, pd.DataFrame], plan: _Plan
) -> dict[str, pd.DataFrame]:
    """Return copies of ``tables`` with :data:`DELIBERATE_PROBLEMS` planted.

    A problem whose table is empty (e.g. no survey years) is skipped.
    """
    rng = _rng(seed, "problems")
    out = dict(tables)
    survey = _with_duplicate_respondent(out["survey_responses"], rng)
    untouched = ~survey.duplicated(keep=False).to_numpy()
    out["survey_responses"] = _with_answer(
        survey, rng, 6, (survey["instrument"] == "klient").to_numpy() & untouched)
    coop = out["cooperation_survey"]
    out["cooperation_survey"] = _with_answer(coop, rng, 0, np.ones(len(coop), dtype=bool))
    out["finance"] = _with_negative_amount(out["finance"], rng)
    out["procedure_costs"] = _with_short_teryt(out["procedure_costs"], rng)
    out["contracts"] = pd.concat(
        [out["contracts"], _broken_contract(rng, plan)], ignore_index=True
    )
    return out


def _broken_contract(rng: np.random.Generator, plan: _Plan) -> pd.DataFrame:
    """An extra one-off contract in an area the gmina does not fund, years swapped."""
    g = int(rng.integers(len(plan.gminy)))
    gmina = plan.gminy[g]
    funded = set(plan.ga_area[plan.ga_gmina == g].tolist())
    free = [a for i, a in enumerate(AREA_IDS) if i not in funded and a != "planowanie"]
    area = free[int(rng.integers(len(free)))]
    year = plan.years[-1]
    labels, adjectives = _gmina_labels(plan.gminy)
    taken = {n for ga in np.nonzero(plan.ga_gmina == g)[0] for n in plan.ga_ngos[int(ga)]}
    names = [n for n in _ngo_names(rng, labels[g], adjectives[g], area) if n not in taken]
    return _frame("contracts", {
        "contract_id": pd.Series([f"{gmina.teryt}/{area}/{year}"], dtype="str"),
        "teryt": pd.Series([gmina.teryt], dtype="str"),
        "area": pd.Series([area], dtype="str"),
        "ngo_name": pd.Series([names[0] if names else plan.ga_ngos[0][0]], dtype="str"),
        "title": pd.Series([f"{_AREAS[area].title} w gminie {gmina.name} w {year} r."],
                           dtype="str"),
        "mode": pd.Series([ANNUAL_GRANT], dtype="str"),
        "form": pd.Series(["wspieranie"], dtype="str"),
        "start_year": np.array([year], dtype=np.int64),
        "end_year": np.array([year - 1], dtype=np.int64),
    })


# --------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------


def generate_tables(
    seed: int,
    gminy: Sequence[Gmina] | None = None,
    *,
    first_year: int = 2019,
    last_year: int = 2025,
    deliberate_problems: bool | None = None,
) -> dict[str, pd.DataFrame]:
    """Raw synthetic tables, one per name in :data:`wkus_lib.schemas.TABLES`.

    ``gminy`` defaults to the demo (pilot mode): the nine pilot gminy with the
    random story, then Sopot with its scripted one. Given gminy all follow
    the random story. Columns and dtypes follow the schemas exactly; the
    result is deterministic for a seed. Deliberate data problems
    (:data:`DELIBERATE_PROBLEMS`) are planted when ``deliberate_problems`` is
    true, by default only in pilot mode (``gminy is None``), in the randomly
    planned gminy.
    """
    if seed < 0:
        raise ValueError(f"Ziarno (seed) musi być nieujemne: {seed}")
    if not YEAR_MIN <= first_year <= last_year <= YEAR_MAX:
        raise ValueError(f"Niepoprawny zakres lat: {first_year}–{last_year}")
    pilot_mode = gminy is None
    demo = demo_gminy() if pilot_mode else ()
    chosen = [g for g in demo if g.teryt != SOPOT_TERYT] if pilot_mode else list(gminy or ())
    if not chosen:
        raise ValueError("Brak gmin do wygenerowania danych")
    if len({g.teryt for g in chosen}) != len(chosen):
        raise ValueError("Kody TERYT gmin powtarzają się")

    years = range(first_year, last_year + 1)
    drafts = [_draft(seed, _make_plan(seed, chosen, years, gmina_populations(chosen, seed=seed)))]
    if pilot_mode:
        sopot = next(g for g in demo if g.teryt == SOPOT_TERYT)
        drafts.append(_draft(_story_seed(seed, SOPOT_TERYT), _sopot_plan(sopot, years)))
    counts = [d.n_respondents for d in drafts]
    pseudonyms = _pseudonyms(_rng(seed, "pseudonyms"), sum(counts))
    starts = np.cumsum(counts) - counts
    parts = [_draft_tables(d, pseudonyms[int(s):int(s) + c])
             for d, s, c in zip(drafts, starts, counts, strict=True)]
    if deliberate_problems if deliberate_problems is not None else pilot_mode:
        parts[0] = _inject_problems(seed, parts[0], drafts[0].plan)
    if len(parts) == 1:
        return {name: parts[0][name] for name in TABLES}
    return {name: pd.concat([p[name] for p in parts], ignore_index=True) for name in TABLES}


@dataclass(frozen=True, eq=False)
class _Draft:
    """One plan with its volumes and respondents: everything but the pseudonyms."""

    seed: int
    plan: _Plan
    vol: _Volumes
    ids: list[str]
    respondents: _Respondents
    coop_counts: np.ndarray

    @property
    def n_service(self) -> int:
        return len(self.respondents.cy)

    @property
    def n_respondents(self) -> int:
        return self.n_service + int(self.coop_counts.sum())


def _draft(seed: int, plan: _Plan) -> _Draft:
    vol = _make_volumes(seed, plan)
    return _Draft(seed=seed, plan=plan, vol=vol, ids=_contract_ids(plan),
                  respondents=_service_respondents(seed, plan, vol),
                  coop_counts=_cooperation_counts(seed, plan))


def _draft_tables(draft: _Draft, pseudonyms: Sequence[str]) -> dict[str, pd.DataFrame]:
    """The tables of one draft; ``pseudonyms``: service respondents first, then cooperation."""
    seed, plan, vol, ids = draft.seed, draft.plan, draft.vol, draft.ids
    respondents, coop_counts, n_service = draft.respondents, draft.coop_counts, draft.n_service
    return {
        "contracts": _contracts(seed, plan, vol, ids),
        "finance": _finance(seed, plan, vol, ids),
        "contributions": _contributions(seed, plan, vol, ids),
        "results": _results(seed, plan, vol, ids),
        "beneficiaries": _beneficiaries(plan, vol, ids),
        "needs": _needs(seed, plan, vol),
        "procedure_costs": _procedure_costs(seed, plan),
        "survey_responses": _survey_responses(seed, plan, respondents, pseudonyms[:n_service]),
        "survey_comments": _survey_comments(seed, plan, respondents, pseudonyms[:n_service]),
        "standard_checklist": _standard_checklist(seed, plan, ids),
        "cooperation_checklist": _cooperation_checklist(seed, plan, vol),
        "cooperation_survey": _cooperation_survey(seed, plan, coop_counts,
                                                  pseudonyms[n_service:]),
    }


@dataclass(frozen=True, eq=False)
class DemoSummary:
    """What :func:`write_demo` did: rows stored per table, gminy, problems found, store hash."""

    seed: int
    raw_dir: Path
    store_dir: Path
    rows: Mapping[str, int]
    problems: pd.DataFrame
    data_hash: str
    gminy: int

    def describe(self) -> str:
        """Polish summary for the command line."""
        lines = [
            f"{SYNTHETIC_MARK} — wygenerowane, seed {self.seed}",
            f"Pliki CSV: {self.raw_dir}",
            f"Magazyn: {self.store_dir} (skrót danych {self.data_hash[:12]})",
            "Wiersze w magazynie:",
            *(f"  {name}: {count:,}".replace(",", "\u00a0") for name, count in self.rows.items()),
        ]
        if len(self.problems):
            bad_rows = self.problems[["file", "row"]].drop_duplicates()
            lines.append(
                f"Pominięte błędne wiersze: {len(bad_rows)} (celowe błędy danych "
                f"demonstracyjnych; szczegóły w {self.store_dir / 'problems.csv'})"
            )
        else:
            lines.append("Wszystkie wiersze przeszły walidację.")
        return "\n".join(lines)


def _readme(seed: int, tables: Mapping[str, pd.DataFrame], interviews: Sequence[str]) -> str:
    lines = [
        f"{SYNTHETIC_MARK} — wygenerowane, seed {seed}",
        "",
        "Te pliki NIE zawierają prawdziwych danych. Nazwy i kody TERYT dziewięciu gmin",
        "pilotażowych z Podlasia oraz Sopotu są prawdziwe; organizacje, umowy, kwoty, klienci",
        "i odpowiedzi w ankietach zostały wylosowane przez generator wkus_lib.demo (ten sam",
        "seed daje te same pliki). Służą do szkoleń, testów i pokazania działania raportów.",
        "",
        "Założenia danych:",
        "- lata 2019–2021: roczne dotacje w każdym finansowanym obszarze;",
        (f"- od {MULTI_YEAR_START} r.: kontrakty wieloletnie "
         f"{MULTI_YEAR_START}–{MULTI_YEAR_END} w 2–4 obszarach każdej gminy z Podlasia,"),
        "  pozostałe obszary nadal na dotacjach rocznych (obszary porównawcze);",
        (f"- Sopot: usługi opiekuńcze (pomoc społeczna) — dotacje roczne do "
         f"{MULTI_YEAR_START - 1} r., potem kontrakt"),
        (f"  wieloletni {MULTI_YEAR_START}–{MULTI_YEAR_END} z fundacją („Kontrakt na "
         "jakość”), oceniany narzędziami"),
        "  jakości: samooceną realizatora, ankietą personelu i ankietą klientów;",
        "  edukacja, sport, kultura i zdrowie na dotacjach rocznych;",
        "- ankiety klientów w małych grupach (czasem poniżej 5 osób — wyniki są wtedy ukrywane),",
        "  ankiety personelu i samoocena realizatora (celowo zawyżona);",
        "- około 5 % odpowiedzi pustych, kilka osób zaznaczających wszędzie to samo.",
        "",
        "Pliki (jeden wiersz nagłówka, UTF-8, separator przecinek, kropka dziesiętna):",
        *(f"- {name}.csv (liczba wierszy: {len(frame)})" for name, frame in tables.items()),
        "",
        (f"Wywiady w Sopocie (usługi opiekuńcze, {MULTI_YEAR_END} r.) — wywiad grupowy z "
         "personelem i wywiady"),
        "z klientami w arkuszach kodowania (nie trafiają do magazynu danych). Fragmenty",
        "według kryteriów liczy: wkus count-codes PLIK --scenario SCENARIUSZ",
        *(f"- {path} (scenariusz {path.removesuffix('.xlsx').rsplit('-', 1)[1]})"
          for path in interviews),
        "",
        "Celowe błędy w danych (do ćwiczeń z kontroli jakości; tylko w gminach z Podlasia):",
        *(
            f"{i}. {p.table}.csv, kolumna „{p.column}”: {p.description}"
            + ("" if p.in_store else " — wiersz odrzucony przy walidacji")
            for i, p in enumerate(DELIBERATE_PROBLEMS, start=1)
        ),
        "",
        "Odrzucone wiersze (plik, wiersz, kolumna, wartość, problem) są w problems.csv",
        "w katalogu magazynu danych.",
    ]
    return "\n".join(lines) + "\n"


def _voivodeship_readme(
    seed: int, code: str, count: int, tables: Mapping[str, pd.DataFrame]
) -> str:
    lines = [
        f"{SYNTHETIC_MARK} — wygenerowane, seed {seed}",
        "",
        f"Województwo {VOIVODESHIPS[code]} (kod TERC {code}): wszystkie gminy z rejestru TERYT",
        f"(liczba gmin: {count}). Nazwy i kody gmin są prawdziwe; organizacje, umowy, kwoty,",
        "klienci i odpowiedzi w ankietach zostały wylosowane przez generator wkus_lib.demo",
        "(ten sam seed daje te same pliki). Służą do testów skali i pomiarów czasu raportów.",
        "",
        "Założenia danych:",
        "- lata 2019–2021: roczne dotacje w każdym finansowanym obszarze;",
        (f"- od {MULTI_YEAR_START} r.: kontrakty wieloletnie "
         f"{MULTI_YEAR_START}–{MULTI_YEAR_END} w 2–4 obszarach każdej gminy,"),
        "  pozostałe obszary nadal na dotacjach rocznych (obszary porównawcze);",
        "- ankiety klientów w małych grupach (czasem poniżej 5 osób — wyniki są wtedy ukrywane),",
        "  ankiety personelu i samoocena realizatora (celowo zawyżona);",
        "- brak celowych błędów danych.",
        "",
        "Pliki (jeden wiersz nagłówka, UTF-8, separator przecinek, kropka dziesiętna):",
        *(f"- {name}.csv (liczba wierszy: {len(frame)})" for name, frame in tables.items()),
    ]
    return "\n".join(lines) + "\n"


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    text: str = frame.to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


def refuse_real_store(store_dir: Path) -> None:
    """Demo data never replace a store holding imported (non-synthetic) rows."""
    if not (store_dir / MANIFEST_NAME).exists():
        return
    manifest = read_manifest(store_dir)
    rows = sum(int(entry.get("rows", 0)) for entry in manifest.get("tables", {}).values())
    if not manifest.get("synthetic") and rows:
        raise InputError(
            f"magazyn zawiera zaimportowane dane (wierszy: {rows}), nie dane demonstracyjne",
            file=str(store_dir / MANIFEST_NAME),
            hint="Dane demonstracyjne zapisz w innym katalogu: "
                 "wkus demo-data --store KATALOG (i --raw-dir KATALOG).",
        )


def write_demo(
    raw_dir: Path, store_dir: Path, *, seed: int, voivodeship: str | None = None
) -> DemoSummary:
    """Write the demo: raw CSVs, Sopot's coded interview sheets and README.txt, then the store.

    Invalid rows (the deliberate problems) are left out of the store and
    listed in ``store_dir/problems.csv``. With ``voivodeship`` (a name or
    TERC code, :func:`~wkus_lib.demo.voivodeship.resolve_voivodeship`) the
    data cover every gmina of that voivodeship in the registry instead, all
    following the random story, with no deliberate problems and no interviews.
    """
    from wkus_lib.demo.interviews import coded_interview_sheets

    code = None if voivodeship is None else resolve_voivodeship(voivodeship)
    refuse_real_store(store_dir)
    if code is None:
        tables = generate_tables(seed)
        sopot = next(g for g in demo_gminy() if g.teryt == SOPOT_TERYT)
        sheets = coded_interview_sheets(
            _rng(_story_seed(seed, SOPOT_TERYT), "interviews"), teryt=SOPOT_TERYT,
            slug=sopot.slug, area="pomoc_spoleczna", year=MULTI_YEAR_END)
        readme = _readme(seed, tables, list(sheets))
    else:
        gminy = voivodeship_gminy(code)
        tables = generate_tables(seed, gminy)
        sheets = {}
        readme = _voivodeship_readme(seed, code, len(gminy), tables)
    for name, frame in tables.items():
        atomic_write_bytes(raw_dir / f"{name}.csv", _csv_bytes(frame))
    for path, payload in sheets.items():
        atomic_write_bytes(raw_dir / path, payload)
    atomic_write_bytes(raw_dir / "README.txt", readme.encode("utf-8"))

    outcomes = {name: validate_table(name, frame, f"{name}.csv")
                for name, frame in tables.items()}
    found = [o.problems for o in outcomes.values() if len(o.problems)]
    problems = (pd.concat(found, ignore_index=True) if found
                else pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_COLUMNS}))
    atomic_write_bytes(store_dir / "problems.csv", _csv_bytes(problems))
    where = "" if code is None else f", województwo {VOIVODESHIPS[code]}"
    manifest = write_store(
        {name: o.valid for name, o in outcomes.items()}, store_dir, synthetic=True,
        note=f"dane syntetyczne, seed {seed}{where}", fresh=True,
    )
    rows = {name: int(entry["rows"]) for name, entry in manifest["tables"].items()}
    return DemoSummary(seed=seed, raw_dir=raw_dir, store_dir=store_dir, rows=rows,
                       problems=problems, data_hash=str(manifest["hash"]),
                       gminy=int(outcomes["contracts"].valid["teryt"].nunique()))


__all__ = [
    "DELIBERATE_PROBLEMS",
    "DEMO_POPULATION",
    "DEMO_TERYT",
    "SOPOT_TERYT",
    "SYNTHETIC_MARK",
    "VOIVODESHIPS",
    "DeliberateProblem",
    "DemoSummary",
    "demo_gminy",
    "generate_tables",
    "gmina_populations",
    "resolve_voivodeship",
    "synthetic_gminy",
    "voivodeship_gminy",
    "write_demo",
]
