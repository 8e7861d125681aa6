"""The programme's standard Polish text, chapter by chapter, in the order of the act.

The chapters follow :data:`~wkus_lib.program.model.STATUTORY_SECTIONS`;
each chapter's consecutive provisions form one „§”, numbered through the
whole programme. What only the office knows (dates, resolutions,
consultation results) is marked with :data:`~wkus_lib.program.model.PLACEHOLDER`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from wkus_lib.catalog import PACKAGED_SOURCE, Catalog
from wkus_lib.domain import AREA_IDS, AREA_NAMES, EX_ANTE, ON_GOING, Gmina
from wkus_lib.program.evaluation import (
    Evaluation,
    funds_basis_text,
    funds_total,
    unmet_checklist,
    value_text,
)
from wkus_lib.program.model import (
    PLACEHOLDER,
    STATUTORY_SECTIONS,
    Block,
    FundsLine,
    Paragraph,
    PriorityTask,
    Provision,
    Section,
    Table,
)
from wkus_lib.program.tables import assessment_tables, funds_tables, priority_table
from wkus_lib.report.context import format_indicator_value
from wkus_lib.text.numbers import format_money

ACT: Final = "ustawy o działalności pożytku publicznego i o wolontariacie"


def _executive(gmina: Gmina) -> tuple[str, str]:
    """The executive organ (nominative, genitive): wójt of a rural gmina, else burmistrz."""
    if gmina.gmina_type == "wiejska":
        return "Wójt", "Wójta"
    if gmina.gmina_type == "miejska" and (
        gmina.powiat == gmina.name or (gmina.population or 0) > 100_000
    ):
        # A city with powiat rights (its powiat bears its name in TERC) or, when a
        # user's registry gives the population, a city of over 100,000 has a prezydent.
        return "Prezydent Miasta", "Prezydenta Miasta"
    return "Burmistrz", "Burmistrza"


def catalogue_citation(catalog: Catalog) -> str:
    """The indicator catalogue as a resolution cites it: by its name, never a file path.

    >>> from wkus_lib.catalog import load_catalog
    >>> catalogue_citation(load_catalog())
    'katalogu wskaźników WKUS'
    """
    if catalog.source == PACKAGED_SOURCE:
        return "katalogu wskaźników WKUS"
    return "katalogu wskaźników WKUS w wersji przyjętej przez gminę"


def program_title(gmina: Gmina, first_year: int, last_year: int) -> str:
    """The programme's title with the gmina's name and the period."""
    return (f"Wieloletni program współpracy Gminy {gmina.name} z organizacjami pozarządowymi "
            f"oraz podmiotami wymienionymi w art. 3 ust. 3 {ACT} "
            f"na lata {first_year}–{last_year}")


def _sentence_item(text: str) -> str:
    """A catalogue sentence as a list item: lower-case start, no final full stop."""
    text = text.strip().rstrip(".")
    return text[:1].lower() + text[1:]


def _money_or_placeholder(amount: float, lines: Sequence[FundsLine]) -> str:
    """``amount`` in złote, or the placeholder when no area has a proposal (never „0 zł”)."""
    if all(line.proposed_per_year is None for line in lines):
        return PLACEHOLDER
    return format_money(amount)


def program_sections(evaluation: Evaluation, tasks: Sequence[PriorityTask],
                     lines: Sequence[FundsLine], first_year: int, last_year: int) -> list[Section]:
    """Every chapter of the programme, numbered, with the tables in their chapters."""
    gmina = evaluation.gmina
    executive, executive_gen = _executive(gmina)
    base = evaluation.base_year
    period = f"{first_year}–{last_year}"
    catalog = evaluation.catalog
    areas = [a for a in AREA_IDS if a in {t.area for t in tasks}]
    candidates = [t for t in tasks if t.kind == "annual"]
    running = [t for t in tasks if t.kind == "running"]
    unmet = [_sentence_item(text) for text in unmet_checklist(evaluation)]
    per_year = funds_total(lines)
    years = last_year - first_year + 1
    wc = catalog.indicator("WC") if "WC" in catalog.ids else None
    gmina_rows = evaluation.rows(None, EX_ANTE, base)
    if gmina_rows.empty:
        gmina_rows = evaluation.rows(None, ON_GOING, base)

    aims = [
        ("zapewnienie mieszkańcom ciągłości usług społecznych przez zlecanie zadań "
        "priorytetowych w formie umów wieloletnich opartych na standardzie usługi"),
        ("poprawa jakości usług mierzona wskaźnikami modelu „Jakość” (satysfakcja, "
        "adekwatność, skuteczność, podmiotowość klientów)"),
        "gospodarne i efektywne wydatkowanie środków publicznych (model „Efektywność”)",
    ]
    if wc is not None and wc.target is not None:
        baseline = value_text(evaluation, wc, gmina_rows)
        aims.append(f"wzmocnienie współpracy gminy z organizacjami: indeks współpracy (WC) "
                    f"co najmniej {format_indicator_value(wc.target, wc.unit)} pkt "
                    f"(w {base} r.: {baseline})")
    if candidates:
        aims.append("przygotowanie decyzji o kontraktowaniu wieloletnim w obszarach: "
                    + ", ".join(_sentence_item(AREA_NAMES[t.area]) for t in candidates))
    if unmet:
        aims.append(f"uzupełnienie braków wskazanych w ocenie współpracy za {base} r.: "
                    + "; ".join(unmet))

    sections: list[tuple[str, str, list[Provision | Table]]] = [
        ("ogolne", "Postanowienia ogólne", [
            Provision("Ilekroć w programie jest mowa o:", (
                (f"ustawie — należy przez to rozumieć ustawę z dnia 24 kwietnia 2003 r. "
                f"o działalności pożytku publicznego i o wolontariacie (Dz. U. z {PLACEHOLDER} "
                f"r. poz. {PLACEHOLDER})"),
                ("organizacjach — należy przez to rozumieć organizacje pozarządowe oraz "
                "podmioty wymienione w art. 3 ust. 3 ustawy"),
                f"gminie — należy przez to rozumieć Gminę {gmina.name}",
                ("umowie wieloletniej — należy przez to rozumieć umowę o realizację zadania "
                "publicznego zawartą na okres dłuższy niż jeden rok budżetowy, opartą na "
                "standardzie usługi, z monitoringiem i ewaluacją"),
                ("ocenie — należy przez to rozumieć ocenę wstępną (ex ante), bieżącą "
                "(on-going) i końcową (ex post) realizacji zadań"),
            )),
        ]),
        ("cele", "", [
            Provision(f"Celem głównym programu jest budowanie partnerstwa Gminy {gmina.name} "
                      "i organizacji w zaspokajaniu potrzeb mieszkańców, w szczególności przez "
                      "wieloletnie kontraktowanie usług społecznych."),
            Provision("Cele szczegółowe programu:", tuple(aims)),
        ]),
        ("zasady", "", [
            Provision("Współpraca gminy z organizacjami opiera się na zasadach pomocniczości, "
                      "suwerenności stron, partnerstwa, efektywności, uczciwej konkurencji "
                      "i jawności."),
            Provision("Przy umowach wieloletnich strony stosują ponadto zasady:", (
                "jakości opartej na standardzie usługi uzgodnionym przed konkursem",
                ("mierzalności: rezultaty i wskaźniki określone w umowie są monitorowane "
                "co roku i oceniane po zakończeniu umowy"),
                "elastyczności: zmiany zakresu w kolejnych latach wynikają z oceny bieżącej",
            )),
        ]),
        ("zakres", "", [
            Provision("Przedmiotem współpracy jest realizacja zadań publicznych, o których mowa "
                      "w art. 4 ust. 1 ustawy, należących do zadań gminy, w szczególności "
                      "w obszarach:", tuple(_sentence_item(AREA_NAMES[a]) for a in areas)
                      or (PLACEHOLDER,)),
        ]),
        ("formy", "", [
            Provision("Współpraca ma formę finansową:", (
                ("zlecanie realizacji zadań publicznych w formie wspierania albo powierzania, "
                "w trybie otwartego konkursu ofert"),
                ("zawieranie umów wieloletnich na czas określony, nie dłuższy niż 5 lat, "
                f"najdłużej do końca {last_year} r., z kwotami dotacji określonymi na każdy rok"),
                "zlecanie zadań z pominięciem konkursu w trybie art. 19a ustawy",
            )),
            Provision("Współpraca ma formę pozafinansową:", (
                "wzajemne informowanie się o planowanych kierunkach działalności",
                ("konsultowanie z organizacjami projektów aktów prawa miejscowego "
                "w dziedzinach dotyczących ich działalności statutowej"),
                ("tworzenie wspólnych zespołów o charakterze doradczym i inicjatywnym, "
                "w tym przy ustalaniu standardów usług"),
                "udział przedstawicieli organizacji w ocenie realizacji umów wieloletnich",
            )),
        ]),
        ("priorytety", "", [
            Provision(f"Zadania priorytetowe wskazano na podstawie oceny realizacji zadań "
                      f"publicznych w latach do {base} r. (wkus: ocena wstępna, bieżąca "
                      "i końcowa). Zestawia je tabela poniżej."),
            priority_table(tasks),
            Provision(f"Lista może zostać uzupełniona o zadania wskazane w konsultacjach: "
                      f"{PLACEHOLDER}."),
        ]),
        ("okres", "", [
            Provision(f"Program obowiązuje od 1 stycznia {first_year} r. do 31 grudnia "
                      f"{last_year} r."),
            Provision(f"Umowy wieloletnie zawarte przed {first_year} r. realizuje się do końca "
                      "okresu, na który je zawarto."
                      if running
                      else "Umowy wieloletnie zawierane w ramach programu nie mogą trwać "
                           f"dłużej niż do 31 grudnia {last_year} r."),
        ]),
        ("realizacja", "", [
            Provision(f"Program realizuje {executive} przy pomocy [do uzupełnienia: komórka "
                      "urzędu odpowiedzialna za współpracę z organizacjami]."),
            Provision("Zadania priorytetowe zleca się w otwartych konkursach ofert. W "
                      "konkursach na umowy wieloletnie ogłoszenie określa:", (
                "standard usługi i sposób jego kontroli",
                "rezultaty z wartościami docelowymi na każdy rok umowy",
                "wskaźniki z rozdziału o sposobie oceny realizacji programu",
                "wysokość środków na każdy rok realizacji zadania",
            )),
            Provision("Realizator przekazuje po każdym roku sprawozdanie częściowe; gmina co "
                      "roku przeprowadza ocenę bieżącą (on-going), a w ostatnim roku umowy "
                      "ocenę końcową (ex post), która rozstrzyga o kontynuacji."),
        ]),
        ("srodki", "", [
            Provision(f"Proponowana wysokość środków na realizację programu w latach {period} "
                      f"wynosi łącznie {_money_or_placeholder(per_year * years, lines)}"
                      f", w tym rocznie {_money_or_placeholder(per_year, lines)}. "
                      f"{funds_basis_text(lines, base)}"
                      f"; waloryzacja na kolejne lata: {PLACEHOLDER}."),
            *funds_tables(evaluation, lines, first_year, last_year),
            Provision("Ostateczną wysokość środków na każdy rok określają uchwały budżetowe "
                      "gminy na kolejne lata."),
        ]),
        ("ocena", "", [
            Provision("Realizację programu ocenia się co roku; sprawozdanie z realizacji "
                      "programu przedkłada się radzie gminy i publikuje w Biuletynie "
                      "Informacji Publicznej do 31 maja roku następnego."),
            Provision(f"Ocena posługuje się wskaźnikami z {catalogue_citation(catalog)} "
                      "w trzech modelach: „Jakość”, „Efektywność” "
                      "i „Współpraca”. Wartości docelowe i progi ocen (dobrze, uwaga, źle) "
                      "zestawiają tabele poniżej; wyniki ankiet z mniej niż "
                      f"{evaluation.inputs.threshold} odpowiedzi nie są publikowane."),
            *assessment_tables(evaluation),
        ]),
        ("konsultacje", "", [
            Provision(f"Projekt programu przygotował {PLACEHOLDER} na podstawie oceny "
                      f"realizacji zadań publicznych w latach do {base} r. i sprawozdań "
                      "z realizacji dotychczasowych programów współpracy."),
            Provision(f"Konsultacje projektu z organizacjami przeprowadzono w dniach "
                      f"{PLACEHOLDER} w formie {PLACEHOLDER}, zgodnie z uchwałą nr "
                      f"{PLACEHOLDER} w sprawie sposobu konsultowania z organizacjami projektów "
                      "aktów prawa miejscowego."),
            Provision(f"W konsultacjach zgłoszono {PLACEHOLDER} uwag, z których uwzględniono "
                      f"{PLACEHOLDER}; sprawozdanie z konsultacji opublikowano w Biuletynie "
                      f"Informacji Publicznej dnia {PLACEHOLDER}."),
        ]),
        ("komisje", "", [
            Provision(f"Komisję konkursową do opiniowania ofert powołuje {executive} "
                      "w drodze zarządzenia przed rozstrzygnięciem każdego otwartego "
                      f"konkursu ofert. W skład komisji wchodzi {PLACEHOLDER} przedstawicieli "
                      f"{executive_gen} oraz {PLACEHOLDER} osób wskazanych przez organizacje, "
                      "z wyłączeniem osób reprezentujących organizacje biorące udział "
                      "w konkursie."),
            Provision("Komisja może działać bez udziału osób wskazanych przez organizacje, "
                      "jeżeli żadna organizacja nie wskaże osób do składu komisji albo "
                      "wskazane osoby nie mogą wziąć w niej udziału."),
            Provision("Członkowie komisji składają oświadczenie, że nie zachodzą wobec nich "
                      "okoliczności powodujące wyłączenie z udziału w opiniowaniu ofert; "
                      "w pracach komisji mogą uczestniczyć z głosem doradczym osoby "
                      "posiadające specjalistyczną wiedzę w dziedzinie zadania."),
            Provision("Komisja ocenia oferty według kryteriów ogłoszenia konkursu; przy "
                      "umowach wieloletnich ocenia także zgodność oferty ze standardem usługi "
                      "oraz rezultaty i wskaźniki proponowane na każdy rok."),
            Provision(f"Z prac komisji sporządza się protokół, który wraz z opinią przekazuje "
                      f"się {_dative(executive)}; decyzję"
                      " o wyborze ofert i wysokości dotacji podejmuje "
                      f"{executive}. Szczegółowy regulamin pracy komisji: {PLACEHOLDER}."),
        ]),
        ("koncowe", "Postanowienia końcowe", [
            Provision("Zmiany programu wymagają formy właściwej dla jego uchwalenia."),
            Provision("W sprawach nieuregulowanych w programie stosuje się przepisy ustawy."),
        ]),
    ]
    titles = dict(STATUTORY_SECTIONS)
    return _numbered([(key, title or titles[key], content) for key, title, content in sections])


def _dative(executive: str) -> str:
    return {"Wójt": "Wójtowi", "Burmistrz": "Burmistrzowi",
            "Prezydent Miasta": "Prezydentowi Miasta"}[executive]


def _numbered(sections: Sequence[tuple[str, str, list[Provision | Table]]]) -> list[Section]:
    """Chapters numbered 1, 2, …; each chapter's consecutive provisions form one „§”."""
    out: list[Section] = []
    number = 0
    for chapter, (key, title, content) in enumerate(sections, start=1):
        blocks: list[Block] = []
        pending: list[Provision] = []
        for item in [*content, None]:
            if isinstance(item, Provision):
                pending.append(item)
                continue
            if pending:
                number += 1
                blocks.append(Paragraph(number=number, provisions=tuple(pending)))
                pending = []
            if item is not None:
                blocks.append(item)
        out.append(Section(key=key, chapter=chapter, title=title, blocks=tuple(blocks)))
    return out
