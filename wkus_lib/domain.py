"""Fixed vocabularies of WKUS evaluation and the gmina registry.

The nine thematic areas, three evaluation stages, five report kinds, three
models, the perspectives, the two contract modes and the Likert scale are
closed vocabularies (DOMAIN.md §3), each declared here once: code names a
value by its constant (:data:`MULTI_YEAR`, :data:`EX_POST`,
:data:`BENCHMARK`, …), never by a string literal of its own (a test keeps it
so); data files keep the strings. The gmina registry is
the official TERC register of all 2,477 gminy (:data:`REGISTRY_SOURCE`), shipped
inside the package (``wkus_lib/data/gminy_terc_2024-01-01.csv``, read with
:mod:`importlib.resources`); users may add gminy or populations with their own
CSV. TERYT codes are 7-character strings everywhere. A gmina is named by its
code or its name in one way for every command and notebook:
:func:`resolve_gmina`.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final, Literal, get_args

import pandas as pd

from wkus_lib.errors import InputError, ParameterError
from wkus_lib.text.i18n import N_
from wkus_lib.text.plural import count_phrase

AreaId = Literal[
    "edukacja",
    "promocja",
    "pomoc_spoleczna",
    "samorzadnosc",
    "sport",
    "srodowisko",
    "kultura",
    "zdrowie",
    "planowanie",
]
StageId = Literal["ex_ante", "on_going", "ex_post"]
"""An evaluation stage: before, during or after a multi-year contract."""
GminaReportKind = Literal["gmina_overview", "benchmark"]
ReportKind = StageId | GminaReportKind
"""What a report is about: one evaluation stage, a gmina overview or a benchmark of gminy."""
ModelId = Literal["jakosc", "efektywnosc", "wspolpraca"]
PerspectiveId = Literal["jst", "personel", "usluga", "klient", "ngo"]
ContractMode = Literal["multi_year", "annual_grant"]

EX_ANTE: Final = "ex_ante"
ON_GOING: Final = "on_going"
EX_POST: Final = "ex_post"
GMINA_OVERVIEW: Final = "gmina_overview"
"""Report kind: every area of one gmina on one page (no area of its own)."""
BENCHMARK: Final = "benchmark"
"""Report kind: the gminy of the store compared in one area (no gmina of its own)."""
MULTI_YEAR: Final = "multi_year"
ANNUAL_GRANT: Final = "annual_grant"
YEAR_MIN: Final = 2000
YEAR_MAX: Final = 2100
"""The budget years a table, a parameter or a form may name."""
LIKERT_MIN: Final = 1
LIKERT_MAX: Final = 5
"""Bounds of every Likert answer (1–5) in the surveys and checklists."""

AREA_IDS: Final[tuple[AreaId, ...]] = get_args(AreaId)
STAGE_IDS: Final[tuple[StageId, ...]] = (EX_ANTE, ON_GOING, EX_POST)
REPORT_KINDS: Final[tuple[ReportKind, ...]] = (*STAGE_IDS, GMINA_OVERVIEW, BENCHMARK)
MODEL_IDS: Final[tuple[ModelId, ...]] = get_args(ModelId)
PERSPECTIVE_IDS: Final[tuple[PerspectiveId, ...]] = get_args(PerspectiveId)
CONTRACT_MODES: Final[tuple[ContractMode, ...]] = (MULTI_YEAR, ANNUAL_GRANT)

AREA_NAMES: Final[dict[AreaId, str]] = {
    "edukacja": N_("Edukacja i wychowanie"),
    "promocja": N_("Promocja gminy i rozwój przedsiębiorczości"),
    "pomoc_spoleczna": N_("Pomoc społeczna, wsparcie rodziny i polityki prorodzinnej"),
    "samorzadnosc": N_("Wspieranie samorządności i postaw obywatelskich"),
    "sport": N_("Sport i kultura fizyczna"),
    "srodowisko": N_("Dbanie o zieleń, ochrona środowiska i gospodarka odpadami"),
    "kultura": N_("Ochrona kultury, tradycji i opieka nad zabytkami"),
    "zdrowie": N_("Ochrona zdrowia i profilaktyka uzależnień"),
    "planowanie": N_("Planowanie przestrzenne"),
}
"""Area names in Polish (the source texts; English reports translate them with ``_``)."""
STAGE_NAMES: Final[dict[StageId, str]] = {
    EX_ANTE: "Ocena wstępna (ex ante)",
    ON_GOING: "Ocena bieżąca (on-going)",
    EX_POST: "Ocena końcowa (ex post)",
}
MODEL_NAMES: Final[dict[ModelId, str]] = {
    "jakosc": "Jakość",
    "efektywnosc": "Efektywność",
    "wspolpraca": "Współpraca",
}
PERSPECTIVE_NAMES: Final[dict[PerspectiveId, str]] = {
    "jst": "Zleceniodawca (JST)",
    "personel": "Profesjonalista (personel)",
    "usluga": "Usługa",
    "klient": "Klient",
    "ngo": "Organizacja (partner)",
}
CONTRACT_MODE_NAMES: Final[dict[ContractMode, str]] = {
    MULTI_YEAR: "kontrakt wieloletni",
    ANNUAL_GRANT: "dotacja roczna",
}

GMINA_TYPES: Final[dict[str, str]] = {
    "1": "miejska",
    "2": "wiejska",
    "3": "miejsko-wiejska",
}
_TERYT_PATTERN: Final = re.compile(r"^\d{6}[1-3]$")
REGISTRY_FILE: Final = "gminy_terc_2024-01-01.csv"
REGISTRY_SOURCE: Final = "GUS, rejestr TERYT, TERC, stan na 2024-01-01"
"""Source and state date of the shipped gmina registry, cited in the reports' methods annex."""
REGISTRY_COLUMNS: Final = ("teryt", "name", "gmina_type", "powiat", "voivodeship")
OPTIONAL_REGISTRY_COLUMNS: Final = ("population",)
PILOT_TERYT: Final[tuple[str, ...]] = (
    "2013023",  # Ciechanowiec
    "2010023",  # Drohiczyn
    "2002112",  # Turośń Kościelna
    "2002063",  # Łapy
    "2011083",  # Sokółka
    "2008063",  # Mońki
    "2009042",  # Puńsk
    "2003042",  # Boćki
    "2002143",  # Zabłudów
)
"""The nine Podlasie gminy of the WKUS pilot, in the order of the pilot report."""
ALL_GMINY: Final = "all"
"""The choice that means every gmina with data in the store."""
MAX_LISTED: Final = 20
"""At most this many gminy are listed in one message (the registry has 2,477)."""


@dataclass(frozen=True)
class Gmina:
    """One gmina of the registry; ``population`` only when a user CSV gives it."""

    teryt: str
    name: str
    gmina_type: str
    powiat: str
    voivodeship: str
    population: int | None = None

    @property
    def slug(self) -> str:
        """File-system name: TERYT plus the name in ASCII, e.g. ``2002063-lapy``."""
        return f"{self.teryt}-{ascii_slug(self.name)}"

    @property
    def label(self) -> str:
        """Name and code, e.g. ``Łapy (2002063)``."""
        return f"{self.name} ({self.teryt})"

    def describe(self) -> str:
        """Code, name, type and place: tells two gminy of the same name apart.

        >>> Gmina("0201022", "Bolesławiec", "wiejska", "bolesławiecki", "dolnośląskie").describe()
        '0201022 Bolesławiec (gmina wiejska, powiat bolesławiecki, woj. dolnośląskie)'
        """
        return (f"{self.teryt} {self.name} (gmina {self.gmina_type}, powiat {self.powiat}, "
                f"woj. {self.voivodeship})")


_ASCII_MAP: Final = str.maketrans(
    "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ"
)


def ascii_slug(text: str) -> str:
    """Lower-case ASCII slug of a Polish name (``"Turośń Kościelna"`` → ``"turosn-koscielna"``)."""
    plain = text.translate(_ASCII_MAP).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def fold_name(text: str) -> str:
    """A name as compared: no case, no diacritics, words separated by one space.

    >>> fold_name("ŁAPY"), fold_name("Turosn-koscielna"), fold_name(" Turośń  Kościelna ")
    ('lapy', 'turosn koscielna', 'turosn koscielna')
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII_MAP))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.split(r"[^0-9a-z]+", plain.casefold())).strip()


def is_valid_teryt(code: str) -> bool:
    """A gmina TERYT code: 7 digits, the last one the gmina type (1–3)."""
    return bool(_TERYT_PATTERN.match(code))


def restore_teryt(value: str | float) -> str:
    """A gmina given as text, with a TERYT code that lost its leading zero restored.

    Stock papermill (``-p teryt 0201011``) and spreadsheets turn codes into
    numbers: ``201011`` becomes ``"0201011"`` again (only the voivodeships
    02–08 start with a zero, so a code of 6 digits lost exactly one). Names
    pass through, stripped.

    >>> restore_teryt(2002063), restore_teryt(201011), restore_teryt("201011")
    ('2002063', '0201011', '0201011')
    >>> restore_teryt(" Łapy ")
    'Łapy'
    """
    if isinstance(value, bool):
        raise ParameterError(f"Gmina „{value}” to wartość logiczna: podaj kod TERYT albo nazwę.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:07d}" if value > 0 else str(value)
    if not isinstance(value, str):
        raise ParameterError(f"Gmina „{value}”: podaj kod TERYT (7 cyfr) albo nazwę gminy.")
    text = value.strip()
    return f"0{text}" if text.isdigit() and len(text) == 6 else text


_CODE_THEN_NAME: Final = re.compile(r"^(\d{6,7})\s+(\S.*)$")
_NAME_THEN_CODE: Final = re.compile(r"^(.*\S)\s*\((\d{6,7})\)$")


def resolve_gmina(
    value: str | int, registry: Mapping[str, Gmina], *, in_store: Collection[str] = ()
) -> Gmina:
    """The one gmina ``value`` names: every command and notebook names gminy this way.

    ``value`` is a TERYT code (also a number that lost its leading zero), a
    name in any case, with or without Polish letters (``Łapy``, ``lapy``,
    ``ŁAPY``), or both as the forms list them (``2002063 Łapy``, ``Łapy
    (2002063)``). ``in_store`` are the codes with data, listed when nothing
    close to ``value`` is found.

    Raises
    ------
    ParameterError
        Unknown code; a name of several gminy (the candidates with type and
        powiat); an unknown name (the closest names of the registry).

    Examples
    --------
    >>> registry = load_gminy()
    >>> resolve_gmina("lapy", registry).teryt, resolve_gmina(201011, registry).name
    ('2002063', 'Bolesławiec')
    """
    text = restore_teryt(value)
    both = _CODE_THEN_NAME.match(text) or _NAME_THEN_CODE.match(text)
    if both is not None:
        code, name = both.groups() if text[0].isdigit() else reversed(both.groups())
        gmina = _gmina_by_code(restore_teryt(code), value, registry, in_store)
        if fold_name(name) != fold_name(gmina.name):
            raise ParameterError(
                f"Gmina „{value}”: kod i nazwa nie pasują, kod oznacza {gmina.describe()}, "
                f"a nie „{name}”. Popraw kod albo nazwę (wystarczy jedno z nich)."
            )
        return gmina
    if text.isdigit():
        return _gmina_by_code(text, value, registry, in_store)
    index = _name_index(registry)
    candidates = index.get(fold_name(text), [])
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        listed = "; ".join(g.describe() for g in candidates)
        raise ParameterError(
            f"Nazwa „{value}” oznacza "
            f"{count_phrase(len(candidates), 'gminę', 'gminy', 'gmin')}: {listed}. "
            f"Podaj kod TERYT wybranej gminy, np. {candidates[0].teryt}."
        )
    close = difflib.get_close_matches(fold_name(text), list(index), n=5, cutoff=0.6)
    if close:
        listed = "; ".join(g.describe() for key in close for g in index[key])
        raise ParameterError(
            f"Nieznana gmina „{value}”. Podobne nazwy w rejestrze: {listed}. "
            "Popraw nazwę albo podaj 7-cyfrowy kod TERYT."
        )
    raise ParameterError(
        f"Nieznana gmina „{value}”: nie ma takiej nazwy w rejestrze gmin ({REGISTRY_SOURCE}). "
        f"Podaj nazwę gminy albo jej 7-cyfrowy kod TERYT.{_store_listing(in_store, registry)}"
    )


def resolve_gminy(
    choice: str | int | Sequence[str | int],
    registry: Mapping[str, Gmina],
    in_store: Collection[str],
) -> list[Gmina]:
    """The gminy ``choice`` names, each by :func:`resolve_gmina`, without repeats.

    ``choice`` is one gmina, several separated by commas, a list, or
    :data:`ALL_GMINY` (``all``): every gmina with data in the store
    (``in_store``, TERYT codes), in code order.
    """
    if isinstance(choice, str):
        items: list[str | int] = [part.strip() for part in choice.split(",") if part.strip()]
    elif isinstance(choice, int):
        items = [choice]
    else:
        items = [item for item in choice if not (isinstance(item, str) and not item.strip())]
    if any(isinstance(item, str) and item.strip().casefold() == ALL_GMINY for item in items):
        return gminy_in_store(in_store, registry)
    if not items:
        raise ParameterError(
            f"Nie podano gminy: podaj kod TERYT, nazwę albo „{ALL_GMINY}”."
            f"{_store_listing(in_store, registry)}"
        )
    chosen: dict[str, Gmina] = {}
    for item in items:
        gmina = resolve_gmina(item, registry, in_store=in_store)
        chosen.setdefault(gmina.teryt, gmina)
    return list(chosen.values())


def gminy_in_store(in_store: Collection[str], registry: Mapping[str, Gmina]) -> list[Gmina]:
    """The registry's gminy of the codes ``in_store``, in code order.

    A code missing from the registry (a gmina created after its state date)
    is an error naming the code, never skipped.
    """
    missing = sorted(code for code in set(in_store) if code not in registry)
    if missing:
        raise ParameterError(
            f"Magazyn ma dane gmin, których nie ma w rejestrze gmin ({REGISTRY_SOURCE}): "
            f"{', '.join(missing)}. Sprawdź kody TERYT w zaimportowanych plikach."
        )
    return [registry[code] for code in sorted(set(in_store))]


def choose_gminy_with_data(
    choice: str | int | Sequence[str | int],
    registry: Mapping[str, Gmina],
    in_store: Collection[str],
    store_dir: Path | str,
) -> tuple[list[Gmina], list[str]]:
    """The gminy ``choice`` names that have data, and a Polish message for each that has none.

    For commands: a gmina without data in the store is said so (exit status
    1), never answered with an empty table. ``in_store`` are the TERYT codes
    with contracts in the store at ``store_dir``.
    """
    chosen = resolve_gminy(choice, registry, in_store)
    missing = [
        f"Brak danych gminy {gmina.label} w magazynie {store_dir}: zaimportuj jej umowy "
        f"(„wkus import”) albo wybierz inną gminę.{_store_listing(in_store, registry)}"
        for gmina in chosen if gmina.teryt not in in_store
    ]
    return [gmina for gmina in chosen if gmina.teryt in in_store], missing


def _gmina_by_code(
    code: str, value: str | int, registry: Mapping[str, Gmina], in_store: Collection[str]
) -> Gmina:
    gmina = registry.get(code)
    if gmina is not None:
        return gmina
    if is_valid_teryt(code):
        problem = f"Nieznany kod TERYT gminy „{value}”: nie ma go w rejestrze gmin ({REGISTRY_SOURCE})"
    else:
        problem = (f"Niepoprawny kod TERYT „{value}”: kod gminy ma 7 cyfr, ostatnia to rodzaj "
                   "gminy (1 miejska, 2 wiejska, 3 miejsko-wiejska)")
    raise ParameterError(
        f"{problem}. Sprawdź kod albo podaj nazwę gminy.{_store_listing(in_store, registry)}"
    )


def _name_index(registry: Mapping[str, Gmina]) -> dict[str, list[Gmina]]:
    index: dict[str, list[Gmina]] = {}
    for gmina in registry.values():
        index.setdefault(fold_name(gmina.name), []).append(gmina)
    return index


def _store_listing(in_store: Collection[str], registry: Mapping[str, Gmina]) -> str:
    codes = sorted(set(in_store))
    if not codes:
        return ""
    shown = [registry[c].label if c in registry else c for c in codes[:MAX_LISTED]]
    more = f" i {len(codes) - MAX_LISTED} innych" if len(codes) > MAX_LISTED else ""
    return f" Gminy z danymi w magazynie: {', '.join(shown)}{more}."


def load_gminy(extra_csv: Path | None = None) -> dict[str, Gmina]:
    """The gmina registry: all gminy of the TERC register plus any from ``extra_csv``.

    A user CSV needs the column ``teryt``; its other columns
    (:data:`REGISTRY_COLUMNS`, optionally ``population``) replace the shipped
    values of that gmina where filled in. A gmina missing from the shipped
    register needs every column of :data:`REGISTRY_COLUMNS`.
    """
    gminy = {gmina.teryt: gmina for gmina in _shipped_gminy()}
    if extra_csv is not None:
        gminy.update(_read_extra_gminy(extra_csv, gminy))
    return gminy


@functools.cache
def _shipped_gminy() -> tuple[Gmina, ...]:
    source = resources.files("wkus_lib") / "data" / REGISTRY_FILE
    label = f"wkus_lib/data/{REGISTRY_FILE}"
    with resources.as_file(source) as path:
        frame = _read_registry_csv(path, label, REGISTRY_COLUMNS)
    return tuple(
        _gmina_from_row(row, index + 2, label, None)
        for index, row in enumerate(frame.to_dict("records"))
    )


def _read_extra_gminy(path: Path, shipped: Mapping[str, Gmina]) -> dict[str, Gmina]:
    frame = _read_registry_csv(path, str(path), ("teryt",))
    duplicated = frame["teryt"].duplicated(keep="first")
    if duplicated.any():
        row = int(duplicated.to_numpy().nonzero()[0][0]) + 2
        raise InputError("Kod TERYT powtarza się", file=str(path), row=row, column="teryt",
                         value=frame["teryt"].iloc[row - 2], hint="Każda gmina raz.")
    return {
        gmina.teryt: gmina
        for gmina in (
            _gmina_from_row(row, index + 2, str(path), shipped.get(row["teryt"]))
            for index, row in enumerate(frame.to_dict("records"))
        )
    }


def _read_registry_csv(source: Path | str, label: str, required: Sequence[str]) -> pd.DataFrame:
    frame = pd.read_csv(source, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    frame.columns = [str(column).strip() for column in frame.columns]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"Brak kolumn: {', '.join(missing)}", file=label,
            hint=f"Wymagane kolumny: {', '.join(required)}; dodatkowo można podać "
                 f"{', '.join(c for c in (*REGISTRY_COLUMNS, *OPTIONAL_REGISTRY_COLUMNS) if c not in required)}.",
        )
    known = [c for c in (*REGISTRY_COLUMNS, *OPTIONAL_REGISTRY_COLUMNS) if c in frame.columns]
    return frame[known].apply(lambda column: column.str.strip())


def _gmina_from_row(
    row: Mapping[str, str], row_number: int, label: str, base: Gmina | None
) -> Gmina:
    code = row["teryt"]
    if not is_valid_teryt(code):
        raise InputError(
            "Niepoprawny kod TERYT gminy", file=label, row=row_number, column="teryt",
            value=code, hint="Kod ma 7 cyfr, ostatnia to rodzaj gminy (1, 2 lub 3); "
            "zapisz go jako tekst, aby nie zgubić zera na początku.",
        )
    values: dict[str, str] = {}
    for column in REGISTRY_COLUMNS[1:]:
        given = row.get(column, "")
        if given:
            values[column] = given
        elif base is not None:
            values[column] = str(getattr(base, column))
        else:
            raise InputError(
                "Brak wartości dla gminy spoza rejestru TERC", file=label, row=row_number,
                column=column, value=code,
                hint=f"Nowa gmina wymaga kolumn {', '.join(REGISTRY_COLUMNS)}.",
            )
    if values["gmina_type"] not in GMINA_TYPES.values():
        raise InputError(
            "Nieznany rodzaj gminy", file=label, row=row_number, column="gmina_type",
            value=values["gmina_type"], hint=f"Dozwolone: {', '.join(GMINA_TYPES.values())}.",
        )
    return Gmina(teryt=code, **values,
                 population=_population(row, row_number, label, base))


def _population(row: Mapping[str, str], row_number: int, label: str, base: Gmina | None) -> int | None:
    given = row.get("population", "").replace(" ", "").replace("\u00a0", "")
    if not given:
        return None if base is None else base.population
    if not given.isdigit() or int(given) <= 0:
        raise InputError(
            "Niepoprawna liczba mieszkańców", file=label, row=row_number,
            column="population", value=row["population"],
            hint="Wpisz liczbę całkowitą większą od zera albo zostaw pole puste.",
        )
    return int(given)
