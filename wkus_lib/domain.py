"""Fixed vocabularies of WKUS evaluation and the gmina registry.

The nine thematic areas, three evaluation stages, three models and the
perspectives are closed vocabularies (DOMAIN.md §3). The gmina registry ships
inside the package (``wkus_lib/data/gminy.csv``, read with
:mod:`importlib.resources`); users may extend it with their own CSV of the same
columns. TERYT codes are 7-character strings everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Final, Literal, get_args

import pandas as pd

from wkus_lib.errors import InputError

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
ModelId = Literal["jakosc", "efektywnosc", "wspolpraca"]
PerspectiveId = Literal["jst", "personel", "usluga", "klient", "ngo"]
ContractMode = Literal["multi_year", "annual_grant"]

AREA_IDS: Final[tuple[AreaId, ...]] = get_args(AreaId)
STAGE_IDS: Final[tuple[StageId, ...]] = get_args(StageId)
MODEL_IDS: Final[tuple[ModelId, ...]] = get_args(ModelId)
PERSPECTIVE_IDS: Final[tuple[PerspectiveId, ...]] = get_args(PerspectiveId)
CONTRACT_MODES: Final[tuple[ContractMode, ...]] = get_args(ContractMode)

AREA_NAMES: Final[dict[AreaId, str]] = {
    "edukacja": "Edukacja i wychowanie",
    "promocja": "Promocja gminy i rozwój przedsiębiorczości",
    "pomoc_spoleczna": "Pomoc społeczna, wsparcie rodziny i polityki prorodzinnej",
    "samorzadnosc": "Wspieranie samorządności i postaw obywatelskich",
    "sport": "Sport i kultura fizyczna",
    "srodowisko": "Dbanie o zieleń, ochrona środowiska i gospodarka odpadami",
    "kultura": "Ochrona kultury, tradycji i opieka nad zabytkami",
    "zdrowie": "Ochrona zdrowia i profilaktyka uzależnień",
    "planowanie": "Planowanie przestrzenne",
}
AREA_NAMES_EN: Final[dict[AreaId, str]] = {
    "edukacja": "Education and upbringing",
    "promocja": "Promotion of the gmina and entrepreneurship",
    "pomoc_spoleczna": "Social assistance, family support and pro-family policy",
    "samorzadnosc": "Self-government and civic attitudes",
    "sport": "Sport and physical culture",
    "srodowisko": "Greenery, environmental protection and waste management",
    "kultura": "Culture, tradition and heritage",
    "zdrowie": "Health protection and addiction prevention",
    "planowanie": "Spatial planning",
}
STAGE_NAMES: Final[dict[StageId, str]] = {
    "ex_ante": "Ocena wstępna (ex ante)",
    "on_going": "Ocena bieżąca (on-going)",
    "ex_post": "Ocena końcowa (ex post)",
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
    "multi_year": "kontrakt wieloletni",
    "annual_grant": "dotacja roczna",
}

GMINA_TYPES: Final[dict[str, str]] = {
    "1": "miejska",
    "2": "wiejska",
    "3": "miejsko-wiejska",
}
_TERYT_PATTERN: Final = re.compile(r"^\d{6}[1-3]$")
REGISTRY_COLUMNS: Final = ("teryt", "name", "gmina_type", "powiat", "voivodeship", "population")
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


@dataclass(frozen=True)
class Gmina:
    """One gmina of the registry."""

    teryt: str
    name: str
    gmina_type: str
    powiat: str
    voivodeship: str
    population: int

    @property
    def slug(self) -> str:
        """File-system name: TERYT plus the name in ASCII, e.g. ``2002063-lapy``."""
        return f"{self.teryt}-{ascii_slug(self.name)}"


_ASCII_MAP: Final = str.maketrans(
    "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ"
)


def ascii_slug(text: str) -> str:
    """Lower-case ASCII slug of a Polish name (``"Turośń Kościelna"`` → ``"turosn-koscielna"``)."""
    plain = text.translate(_ASCII_MAP).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def is_valid_teryt(code: str) -> bool:
    """A gmina TERYT code: 7 digits, the last one the gmina type (1–3)."""
    return bool(_TERYT_PATTERN.match(code))


def _read_registry_csv(source: Path | str, label: str) -> pd.DataFrame:
    frame = pd.read_csv(source, dtype={"teryt": str}, encoding="utf-8")
    missing = [c for c in REGISTRY_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            f"Brak kolumn: {', '.join(missing)}", file=label,
            hint=f"Wymagane kolumny: {', '.join(REGISTRY_COLUMNS)}.",
        )
    for row, code in enumerate(frame["teryt"], start=2):
        if not isinstance(code, str) or not is_valid_teryt(code):
            raise InputError(
                "Niepoprawny kod TERYT gminy", file=label, row=row, column="teryt",
                value=code, hint="Kod ma 7 cyfr, ostatnia to typ gminy (1, 2 lub 3); "
                "zapisz go jako tekst, aby nie zgubić zera na początku.",
            )
    return frame[list(REGISTRY_COLUMNS)]


def load_gminy(extra_csv: Path | None = None) -> dict[str, Gmina]:
    """The gmina registry: the nine pilot gminy plus any from ``extra_csv``.

    A user CSV has the columns of :data:`REGISTRY_COLUMNS`; a TERYT code
    present in both replaces the shipped row.
    """
    shipped = resources.files("wkus_lib") / "data" / "gminy.csv"
    with resources.as_file(shipped) as path:
        frame = _read_registry_csv(path, "wkus_lib/data/gminy.csv")
    if extra_csv is not None:
        extra = _read_registry_csv(extra_csv, str(extra_csv))
        frame = pd.concat([frame[~frame["teryt"].isin(extra["teryt"])], extra])
    return {
        str(r.teryt): Gmina(
            teryt=str(r.teryt), name=str(r.name), gmina_type=str(r.gmina_type),
            powiat=str(r.powiat), voivodeship=str(r.voivodeship),
            population=int(r.population),
        )
        for r in frame.itertuples(index=False)
    }
