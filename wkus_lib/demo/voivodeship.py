"""The sixteen voivodeships: TERC codes, names, and the one way a user names one.

``wkus demo-data --voivodeship podlaskie`` generates every gmina of a
voivodeship in the registry (:func:`wkus_lib.domain.load_gminy`). A
voivodeship is named by its name in any case, with or without Polish
letters (``Slaskie``, ``ŚLĄSKIE``), optionally after ``woj.`` or
``województwo``, or by its two-digit TERC code (``20``; ``2`` for ``02``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from wkus_lib.domain import Gmina, fold_name, load_gminy
from wkus_lib.errors import ParameterError

VOIVODESHIPS: Final[Mapping[str, str]] = {
    "02": "dolnośląskie", "04": "kujawsko-pomorskie", "06": "lubelskie", "08": "lubuskie",
    "10": "łódzkie", "12": "małopolskie", "14": "mazowieckie", "16": "opolskie",
    "18": "podkarpackie", "20": "podlaskie", "22": "pomorskie", "24": "śląskie",
    "26": "świętokrzyskie", "28": "warmińsko-mazurskie", "30": "wielkopolskie",
    "32": "zachodniopomorskie",
}
"""TERC code (the first two digits of a gmina's TERYT code) → voivodeship name."""

_PREFIXES: Final = ("wojewodztwo ", "woj ")


def resolve_voivodeship(choice: str) -> str:
    """The TERC code of the voivodeship ``choice`` names (see the module docstring).

    >>> resolve_voivodeship("Podlaskie"), resolve_voivodeship("slaskie"), resolve_voivodeship("2")
    ('20', '24', '02')
    >>> resolve_voivodeship("woj. warmińsko mazurskie")
    '28'
    """
    text = choice.strip()
    if text.isdigit() and len(text) <= 2:
        code = text.zfill(2)
        if code in VOIVODESHIPS:
            return code
    folded = fold_name(text)
    for prefix in _PREFIXES:
        folded = folded.removeprefix(prefix)
    for code, name in VOIVODESHIPS.items():
        if fold_name(name) == folded:
            return code
    listing = ", ".join(f"{name} ({code})" for code, name in VOIVODESHIPS.items())
    raise ParameterError(
        f"Nieznane województwo „{choice}”. Podaj nazwę albo dwucyfrowy kod TERC jednego "
        f"z 16 województw: {listing}; np. --voivodeship podlaskie albo --voivodeship 20."
    )


def voivodeship_gminy(code: str, registry: Mapping[str, Gmina] | None = None) -> list[Gmina]:
    """Every gmina of the registry in the voivodeship with TERC ``code``, by TERYT code."""
    registry = load_gminy() if registry is None else registry
    return [registry[teryt] for teryt in sorted(registry) if teryt[:2] == code]
