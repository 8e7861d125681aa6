"""Coded interviews of the demo (DANE SYNTETYCZNE): Sopot's staff group interview and client interviews.

The Sopot quality tools include two interview scenarios (catalogue
``interviews``: ``personel_grupowy`` and ``klient_indywidualny``). Their
results are qualitative and do not go into the store: the interviewer writes
each relevant fragment into the coding sheet made by ``wkus instruments``,
gives it one code, and ``wkus count-codes`` counts the fragments by criterion
and kind. The numeric side of the same perspectives reaches the store as the
staff and client surveys.

The demo writes one filled coding sheet per scenario for Sopot's
care-services contract in its last year (the ex-post year), so that step can
be tried on the demo data. Every fragment is invented; interviews carry
pseudonyms only (G01, K01 …). The story: strengths in continuity of carers
and respect, problems with the hours available (weekends, waiting list) and
with pay; the same picture as Sopot's survey data.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Final

import numpy as np
from openpyxl import load_workbook

from wkus_lib.catalog import Catalog, Interview, load_catalog
from wkus_lib.instruments.interview import CODING_SHEET, coding_sheet

INTERVIEW_DIR: Final = "wywiady"
"""Folder of the coded interview sheets, inside the demo's raw folder."""

STAFF_SCENARIO: Final = "personel_grupowy"
CLIENT_SCENARIO: Final = "klient_indywidualny"
CLIENT_INTERVIEWS: Final = 8

_STAFF_FRAGMENTS: Final[dict[str, tuple[str, ...]]] = {
    "SAT-POZ": (
        ("Od kiedy mamy umowę na cztery lata, nie boimy się stycznia – wiemy, że dalej "
         "będziemy chodzić do tych samych osób."),
        ("Najwięcej satysfakcji daje to, że podopieczni na nas czekają i pamiętają, co u nas "
         "słychać."),
        "Klienci mówią nam wprost, że są zadowoleni, a rodziny dzwonią z podziękowaniami.",
        "Nie piszemy co roku nowej oferty, więc zostaje więcej czasu na pracę z ludźmi.",
    ),
    "SAT-NEG": (
        "Stawka za godzinę nie nadąża za cenami, część koleżanek dorabia gdzie indziej.",
        ("Skargi zdarzają się rzadko, najczęściej o spóźnienie, kiedy ktoś z nas jest na "
         "zwolnieniu."),
        "Zmęczenie jest duże, zwłaszcza zimą, kiedy przybywa osób leżących.",
    ),
    "SAT-REK": (
        "Przydałaby się superwizja raz w miesiącu, żeby porozmawiać o trudnych sytuacjach.",
        "Raz w roku warto omówić z ośrodkiem pomocy społecznej wyniki ankiet klientów.",
    ),
    "ADE-POZ": (
        ("Plan opieki układamy razem z klientem i rodziną, więc wiemy, czego naprawdę "
         "potrzebuje."),
        "Stała umowa pozwoliła zatrudnić opiekunki na etat zamiast na zlecenie.",
    ),
    "ADE-NEG": (
        ("Na liście oczekujących są osoby, które potrzebują pomocy także w weekendy, a tego "
         "nie ma w umowie."),
        ("Dojazdy między klientami zajmują dużo czasu, który nie jest wliczony w godziny "
         "usługi."),
        "Coraz więcej klientów potrzebuje opieki specjalistycznej, a godzin nie przybywa.",
        "Brakuje sprzętu do pielęgnacji osób leżących.",
    ),
    "ADE-REK": (
        "Umowa powinna przewidywać godziny w weekendy i święta.",
        "Dobrze byłoby mieć na miejscu wypożyczalnię sprzętu rehabilitacyjnego.",
    ),
    "SKU-POZ": (
        "Osoby, do których chodzimy od lat, dłużej zostają we własnym mieszkaniu.",
        "Po roku pani, która nie wychodziła z domu, chodzi z nami na spacer.",
        "U stałych podopiecznych rzadziej trzeba wzywać pogotowie.",
    ),
    "SKU-NEG": (
        "Rezultaty w umowie liczą godziny, a nie to, czy komuś jest lepiej.",
        "Przy pogarszającym się zdrowiu nie zawsze da się utrzymać samodzielność.",
    ),
    "SKU-REK": (
        "Warto oceniać samodzielność klientów na początku i na końcu roku.",
    ),
    "POD-POZ": (
        "Każdy klient ma stałą opiekunkę i zastępstwo, które zna.",
        "Klient decyduje, w jakich godzinach przychodzimy i co robimy najpierw.",
    ),
    "POD-NEG": (
        "Przy kąpieli w małych mieszkaniach trudno zadbać o intymność.",
        "Czasem rodzina decyduje za podopiecznego, a my jesteśmy pośrodku.",
    ),
    "POD-REK": (
        "Przydałaby się prosta procedura na sytuacje, gdy zdanie rodziny i klienta się różni.",
    ),
}

_CLIENT_FRAGMENTS: Final[dict[str, tuple[str, ...]]] = {
    "SAT-POZ": (
        "Jestem bardzo zadowolona, pani przychodzi punktualnie i zawsze pyta, jak się czuję.",
        "Poleciłbym tę pomoc każdemu, kto jest sam.",
        "To dla mnie ogromna pomoc, bez niej musiałabym iść do domu opieki.",
        "Jestem wdzięczny, że ktoś o mnie pamięta.",
    ),
    "SAT-NEG": (
        ("Raz przez dwa tygodnie przychodziły różne osoby i trzeba było wszystko tłumaczyć "
         "od nowa."),
        "Szkoda, że w soboty nikt nie przychodzi.",
    ),
    "SAT-REK": (
        "Chciałabym móc zadzwonić do kogoś z fundacji także wieczorem.",
        "Dobrze by było dostać na piśmie, kto przyjdzie w czasie urlopu opiekunki.",
    ),
    "ADE-POZ": (
        ("Pomoc jest wtedy, kiedy jej potrzebuję – rano przy ubieraniu i po południu przy "
         "zakupach."),
        "Mam tyle godzin, ile trzeba, a kiedy było gorzej, dostałam więcej.",
        "Pani pomaga w tym, czego sama już nie zrobię, resztę robię sama.",
    ),
    "ADE-NEG": (
        "Na początku długo czekałem, zanim ktoś przyszedł.",
        "Godzina dziennie to za mało, kiedy trzeba i posprzątać, i ugotować.",
        "W weekend jestem zdana na sąsiadkę.",
    ),
    "ADE-REK": (
        "Przydałaby się też pomoc przy wizytach u lekarza.",
        "Gdyby ktoś mógł przyjść także w niedzielę, byłoby mi łatwiej.",
    ),
    "SKU-POZ": (
        "Od kiedy pani przychodzi, znowu wychodzę na spacer.",
        "Rzadziej trafiam do szpitala, bo ktoś pilnuje leków.",
        "Radzę sobie lepiej niż rok temu, sama robię śniadanie.",
        "Dzięki tej pomocy mogę mieszkać u siebie.",
    ),
    "SKU-NEG": (
        "Zdrowie się pogarsza i pomoc tego nie zmieni.",
    ),
    "SKU-REK": (
        "Dobrze by było, gdyby ktoś pomógł mi ćwiczyć po operacji.",
    ),
    "POD-POZ": (
        "Pani zawsze pyta, co chcę dziś zrobić – to ja decyduję.",
        "Czuję się traktowana z szacunkiem, jak człowiek, a nie jak przypadek.",
        "Mam tę samą opiekunkę od trzech lat i ufam jej.",
    ),
    "POD-NEG": (
        "Czasem syn ustala wszystko z fundacją, a mnie nikt nie pyta.",
    ),
    "POD-REK": (
        "Chciałbym móc sam wybrać godzinę wizyty.",
    ),
}

_CLIENT_KEEP: Final = 0.85
"""Share of the client fragments used (the bank's mix is the story: adequacy is the weak point)."""


def _staff_rows(rng: np.random.Generator) -> list[tuple[str, str, str]]:
    """The one group interview (G01): a share of each code's fragments, none twice."""
    rows: list[tuple[str, str, str]] = []
    for code, texts in _STAFF_FRAGMENTS.items():
        taken = rng.permutation(len(texts))[: int(rng.integers(1, len(texts) + 1))]
        rows.extend(("G01", texts[int(i)], code) for i in sorted(taken.tolist()))
    return rows


def _client_rows(rng: np.random.Generator) -> list[tuple[str, str, str]]:
    """Eight client interviews sharing most of the bank's fragments; each text used once."""
    bank = [(code, text) for code, texts in _CLIENT_FRAGMENTS.items() for text in texts]
    order = rng.permutation(len(bank))
    kept = order[rng.uniform(size=len(bank)) < _CLIENT_KEEP]
    rows = [(f"K{i % CLIENT_INTERVIEWS + 1:02d}", bank[int(j)][1], bank[int(j)][0])
            for i, j in enumerate(kept.tolist())]
    return sorted(rows, key=lambda row: row[0])


def _filled_sheet(
    interview: Interview, catalog: Catalog, rows: list[tuple[str, str, str]],
    teryt: str, area: str, year: int,
) -> bytes:
    """The scenario's coding sheet with ``rows`` (pseudonym, fragment, code) filled in."""
    from wkus_lib.files.stable import workbook_bytes

    workbook = load_workbook(io.BytesIO(coding_sheet(interview, catalog)))
    sheet = workbook[CODING_SHEET]
    for pseudonym, fragment, code in rows:
        sheet.append([pseudonym, teryt, area, year, fragment, code, None])
    return workbook_bytes(workbook)


def coded_interview_sheets(
    rng: np.random.Generator, *, teryt: str, slug: str, area: str, year: int,
    catalog: Catalog | None = None,
) -> Mapping[str, bytes]:
    """The filled coding sheets (path inside the raw folder → XLSX bytes), deterministic for ``rng``."""
    catalog = catalog or load_catalog()
    interviews = catalog.instruments.interviews
    stem = f"{INTERVIEW_DIR}/{slug}-{area}-{year}"
    return {
        f"{stem}-{STAFF_SCENARIO}.xlsx": _filled_sheet(
            interviews[STAFF_SCENARIO], catalog, _staff_rows(rng), teryt, area, year),
        f"{stem}-{CLIENT_SCENARIO}.xlsx": _filled_sheet(
            interviews[CLIENT_SCENARIO], catalog, _client_rows(rng), teryt, area, year),
    }


__all__ = ["CLIENT_SCENARIO", "INTERVIEW_DIR", "STAFF_SCENARIO", "coded_interview_sheets"]
