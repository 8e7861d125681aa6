"""Validated report parameters and the expansion of a batch request.

A batch request (``--gmina all --stage on_going --area sport``) is checked
against the gmina registry and the fixed vocabularies and expanded into
:class:`ReportSpec` objects *before* any kernel starts, so a typo costs a
second, not a half-finished batch. Every problem becomes a
:class:`~wkus_lib.errors.ParameterError` whose Polish message lists the valid
choices.

A report's parameters are one validated :class:`ReportParams`, SROI options
included; it travels unchanged to the worker, and the kernel receives exactly
:meth:`ReportParams.notebook_parameters`. A report's *kind* (an evaluation
stage, a gmina overview or a benchmark) is ``kind`` in code; users name it
with ``--stage`` and the notebooks' parameters cell with ``stage``.

TERYT codes stay strings end to end: the runner hands the parameters to
papermill's Python API as a dict, never through ``-p`` (which would turn
``"0201011"`` into the integer 201011; the notebooks restore such a code,
see :func:`wkus_lib.domain.restore_teryt`).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails

from wkus_lib import domain
from wkus_lib.domain import (
    AREA_IDS,
    AREA_NAMES,
    BENCHMARK,
    EX_POST,
    GMINA_OVERVIEW,
    REPORT_KINDS,
    STAGE_IDS,
    STAGE_NAMES,
    YEAR_MAX,
    YEAR_MIN,
    AreaId,
    Gmina,
    ReportKind,
)
from wkus_lib.errors import ParameterError
from wkus_lib.text.i18n import _, language, p_

Language: TypeAlias = Literal["pl", "en"]
LANGUAGE_NAMES: Final[dict[str, str]] = {"pl": "po polsku", "en": "po angielsku"}
REPORT_KIND_NAMES: Final[dict[ReportKind, str]] = {
    **{stage: name for stage, name in STAGE_NAMES.items()},
    GMINA_OVERVIEW: "Przegląd gminy",
    BENCHMARK: "Porównanie gmin",
}
TITLE_CONTEXT: Final = "page title"
"""The gettext context of report kinds in a page title (``<title>``), translated apart."""
ALL: Final = "all"
GMINA_LEVEL_STEM: Final = "gmina"
"""File name (without extension) of reports about a whole gmina, not one area."""
BENCHMARK_DIR: Final = BENCHMARK
NOTEBOOK_KIND_PARAMETER: Final = "stage"
"""The name under which the report notebooks' parameters cell takes the report kind."""
SROI_FIELDS: Final = ("sroi_file", "sroi_discount_rate")
"""Parameters of ex-post reports only, and only when SROI was asked for."""

Choice: TypeAlias = str | Sequence[str]
"""``"all"``, one value, comma-separated values, or a list of values."""
JsonValue: TypeAlias = str | int | float | bool | None
Unit: TypeAlias = tuple[ReportKind, str | None, str | None]
"""What a report is about, whatever its year: (report kind, teryt or None, area or None)."""


class ReportParams(BaseModel):
    """The validated parameters of one report; the notebook receives
    :meth:`notebook_parameters` (its ``parameters`` cell).

    Stage reports need a gmina and an area; a gmina overview needs a gmina
    and no area; a benchmark compares all gminy of the store in one area, so
    it has no gmina of its own. SROI options belong to ex-post reports only,
    and a discount rate only with an outcomes file.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    teryt: str | None = Field(description="Kod TERYT gminy (7 znaków, tekst).")
    area: AreaId | None = Field(description="Obszar tematyczny.")
    kind: ReportKind = Field(
        serialization_alias=NOTEBOOK_KIND_PARAMETER,
        description="Rodzaj raportu: etap ewaluacji, przegląd gminy albo porównanie gmin.",
    )
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX, description="Rok budżetowy.")
    store_dir: str = Field(description="Bezwzględna ścieżka magazynu danych.")
    lang: Language = "pl"
    interactive: bool = Field(
        default=False, description="Widżety tylko w JupyterLab, nigdy w raporcie."
    )
    sroi_file: str | None = Field(
        default=None,
        description="Bezwzględna ścieżka pliku CSV z efektami i wartościami proxy SROI.",
    )
    sroi_discount_rate: float | None = Field(
        default=None, ge=0, lt=1,
        description="Roczna stopa dyskontowa SROI (brak: z ustawień katalogu).",
    )

    @model_validator(mode="after")
    def _fits_report_kind(self) -> ReportParams:
        if self.teryt is not None and not domain.is_valid_teryt(self.teryt):
            raise ValueError(f"niepoprawny kod TERYT „{self.teryt}” (7 cyfr, ostatnia 1–3)")
        needs_gmina = self.kind != BENCHMARK
        needs_area = self.kind != GMINA_OVERVIEW
        if needs_gmina != (self.teryt is not None):
            verb = "wymaga" if needs_gmina else "nie ma"
            raise ValueError(f"raport „{self.kind}” {verb} gminy")
        if needs_area != (self.area is not None):
            verb = "wymaga" if needs_area else "nie ma"
            raise ValueError(f"raport „{self.kind}” {verb} obszaru")
        if self.sroi_file is not None and self.kind != EX_POST:
            raise ValueError(f"raport „{self.kind}” nie ma SROI (tylko {EX_POST})")
        if self.sroi_discount_rate is not None and self.sroi_file is None:
            raise ValueError("stopa dyskontowa SROI bez pliku z efektami (sroi_file)")
        return self

    def notebook_parameters(self) -> dict[str, JsonValue]:
        """What papermill injects into the notebook's ``parameters`` cell, by name.

        Every field, the kind under the name ``stage``, the SROI options only
        when given (so reports without SROI keep their parameters and keys).
        """
        values: dict[str, JsonValue] = self.model_dump(mode="json", by_alias=True)
        return {name: value for name, value in values.items()
                if value is not None or name not in SROI_FIELDS}

    def notebook_parameters_json(self) -> str:
        """Canonical JSON of :meth:`notebook_parameters` (sorted keys): part of the rerun key."""
        return json.dumps(self.notebook_parameters(), sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))

    def unit(self) -> Unit:
        """(kind, teryt, area): what the report is about, whatever its year."""
        return (self.kind, self.teryt, self.area)


@dataclass(frozen=True)
class ReportSpec:
    """One report to build: which notebook, with what parameters, written where.

    ``output_stem`` is a POSIX path relative to the output folder, without
    extension (``2013023-ciechanowiec/on_going/sport``). ``group`` names the
    report for the index page: gmina, report kind, area.
    """

    notebook: str
    params: ReportParams
    output_stem: str
    title: str
    group: tuple[str, str, str] = field(default=("", "", ""))


class BatchRequest(BaseModel):
    """What a user asked for, before expansion: may be declared in YAML and validated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gminy: Choice
    stages: Choice
    areas: Choice = ALL
    year: int
    store_dir: str
    lang: Language = "pl"
    sroi_file: str | None = None
    sroi_discount_rate: float | None = None

    def resolve(
        self,
        registry: Mapping[str, Gmina] | None = None,
        in_store: Collection[str] | None = None,
    ) -> list[ReportSpec]:
        """The reports this request stands for; see :func:`resolve_batch`."""
        return resolve_batch(
            self.gminy, self.stages, self.areas, year=self.year,
            store_dir=self.store_dir, lang=self.lang, registry=registry, in_store=in_store,
            sroi_file=self.sroi_file, sroi_discount_rate=self.sroi_discount_rate,
        )


def resolve_batch(
    gminy: Choice,
    stages: Choice,
    areas: Choice = ALL,
    *,
    year: int,
    store_dir: str | Path,
    lang: Language = "pl",
    registry: Mapping[str, Gmina] | None = None,
    in_store: Collection[str] | None = None,
    sroi_file: str | Path | None = None,
    sroi_discount_rate: float | None = None,
) -> list[ReportSpec]:
    """Expand a request into validated report specs, gmina → report kind → area.

    ``"all"`` expands to every gmina with data in the store (``in_store``,
    TERYT codes; read from ``store_dir`` when not given and needed), every
    report kind (three stages, ``gmina_overview``, ``benchmark``) or every
    area. A gmina is named as :func:`wkus_lib.domain.resolve_gmina` allows
    (code, name in any case with or without Polish letters). Benchmarks
    compare all gminy of the store, so they are made once per area whatever
    gminy were asked for. ``sroi_file`` (checked here, made absolute) and
    ``sroi_discount_rate`` go to the ex-post reports.

    Raises
    ------
    ParameterError
        For an unknown gmina, report kind or area, an invalid year, a
        missing area, or an ex-post report with a discount rate but no
        outcomes file; the Polish message lists the valid choices.
    InputError
        For an SROI outcomes file that is missing or malformed.

    Examples
    --------
    >>> specs = resolve_batch("2013023", "on_going", "sport", year=2024, store_dir="/d")
    >>> specs[0].output_stem, specs[0].params.teryt
    ('2013023-ciechanowiec/on_going/sport', '2013023')
    """
    registry = domain.load_gminy() if registry is None else registry
    if in_store is None:
        in_store = _codes_in_store(Path(store_dir)) if _names_all(gminy) else ()
    chosen_gminy = domain.resolve_gminy(gminy, registry, in_store) if gminy else []
    chosen_kinds = _resolve_choice(stages, REPORT_KINDS, "etap", REPORT_KIND_NAMES)
    needs_area = any(kind != GMINA_OVERVIEW for kind in chosen_kinds)
    chosen_areas = _resolve_choice(areas, AREA_IDS, "obszar", AREA_NAMES) if needs_area else []
    if needs_area and not chosen_areas:
        raise ParameterError(
            f"Nie podano obszaru. Dostępne: {_list_choices(AREA_IDS, AREA_NAMES)}"
        )
    if any(kind != BENCHMARK for kind in chosen_kinds) and not chosen_gminy:
        raise ParameterError("Nie podano gminy: podaj kod TERYT, nazwę albo „all”.")
    common = {"year": year, "store_dir": str(Path(store_dir).resolve()), "lang": lang}
    sroi = _sroi_parameters(sroi_file, sroi_discount_rate)
    specs: list[ReportSpec] = []
    for gmina in chosen_gminy:
        for kind in chosen_kinds:
            if kind in STAGE_IDS:
                extra = sroi if kind == EX_POST else {}
                specs += [_spec(kind, gmina, area, {**common, **extra}) for area in chosen_areas]
            elif kind == GMINA_OVERVIEW:
                specs.append(_spec(kind, gmina, None, common))
    if BENCHMARK in chosen_kinds:
        specs += [_spec(BENCHMARK, None, area, common) for area in chosen_areas]
    return specs


def validate_params(values: Mapping[str, Any]) -> ReportParams:
    """Build :class:`ReportParams`, turning pydantic's errors into one Polish message."""
    try:
        return ReportParams.model_validate(dict(values))
    except ValidationError as error:
        problems = "; ".join(_describe_error(detail) for detail in error.errors())
        raise ParameterError(f"Niepoprawne parametry raportu: {problems}") from None


def notebook_for(kind: str) -> str:
    """File name of the notebook that builds a report kind (``on_going.ipynb``)."""
    return f"{kind}.ipynb"


def _sroi_parameters(
    sroi_file: str | Path | None, discount_rate: float | None
) -> dict[str, Any]:
    """The SROI fields of ex-post reports; a bad outcomes file fails here, before any kernel."""
    if sroi_file is None:
        return {"sroi_discount_rate": discount_rate}  # a rate alone: the model refuses it
    from wkus_lib.intake.sroi import read_outcomes_file

    read_outcomes_file(sroi_file)
    return {"sroi_file": str(Path(sroi_file).resolve()), "sroi_discount_rate": discount_rate}


def _spec(
    kind: str, gmina: Gmina | None, area: str | None, values: Mapping[str, Any]
) -> ReportSpec:
    params = validate_params(
        {"teryt": gmina.teryt if gmina else None, "area": area, "kind": kind, **values}
    )
    gmina_label = gmina.label if gmina else REPORT_KIND_NAMES[BENCHMARK]
    area_label = AREA_NAMES[params.area] if params.area else "cała gmina"
    if params.lang != "pl":
        area_label += f" ({LANGUAGE_NAMES[params.lang]})"
    suffix = "" if params.lang == "pl" else f"-{params.lang}"
    folder = f"{gmina.slug}/{params.kind}" if gmina else BENCHMARK_DIR
    stem = f"{folder}/{params.area or GMINA_LEVEL_STEM}{suffix}"
    with language(params.lang):
        title = " — ".join(
            part for part in (
                gmina_label if gmina else None,
                p_(TITLE_CONTEXT, REPORT_KIND_NAMES[params.kind]),
                _(AREA_NAMES[params.area]) if params.area else None,
                str(params.year),
            ) if part
        )
    return ReportSpec(
        notebook=notebook_for(params.kind),
        params=params,
        output_stem=stem,
        title=title,
        group=(gmina_label, REPORT_KIND_NAMES[params.kind], area_label),
    )


def _split(choice: Choice) -> list[str]:
    items: Iterable[object] = choice.split(",") if isinstance(choice, str) else choice
    chosen: list[str] = []
    for item in items:
        if not isinstance(item, str):
            raise ParameterError(
                f"Wartość „{item}” nie jest tekstem. Kody TERYT i nazwy podawaj w cudzysłowie, "
                "aby nie zgubić zera na początku."
            )
        if item.strip() and item.strip() not in chosen:
            chosen.append(item.strip())
    return chosen


def _resolve_choice(
    choice: Choice, valid: Sequence[str], what: str, names: Mapping[Any, str]
) -> list[str]:
    items = _split(choice)
    if ALL in items:
        return list(valid)
    for item in items:
        if item not in valid:
            raise ParameterError(
                f"Nieznany {what} „{item}”. Dostępne: {_list_choices(valid, names)}"
            )
    return items


def _names_all(choice: Choice) -> bool:
    items = choice.split(",") if isinstance(choice, str) else choice
    return any(isinstance(item, str) and item.strip().casefold() == ALL for item in items)


def _codes_in_store(store_dir: Path) -> list[str]:
    """TERYT codes with contracts in the store: the gminy ``all`` stands for."""
    from wkus_lib.store import read_store

    return sorted(str(code) for code in read_store(store_dir).contracts["teryt"].unique())


def _list_choices(valid: Sequence[str], names: Mapping[Any, str]) -> str:
    return "; ".join([*(f"{v}: {names[v]}" for v in valid), f"{ALL}: wszystkie"])


_ERROR_TEXTS: Final[dict[str, str]] = {
    "missing": "brak wartości",
    "extra_forbidden": "nieznany parametr",
    "string_type": "wartość musi być tekstem (kod TERYT w cudzysłowie)",
    "int_type": "wartość musi być liczbą całkowitą",
    "bool_type": "wartość musi być prawdą albo fałszem",
    "literal_error": "wartość spoza dozwolonej listy",
    "greater_than_equal": "wartość za mała",
    "less_than_equal": "wartość za duża",
    "less_than": "wartość za duża",
    "float_type": "wartość musi być liczbą",
}


def _describe_error(detail: ErrorDetails) -> str:
    location = ".".join(str(part) for part in detail["loc"] if not isinstance(part, int))
    text = _ERROR_TEXTS.get(detail["type"])
    if text is None:
        text = str(detail["msg"]).removeprefix("Value error, ")
    value = detail.get("input")
    shown = "" if detail["type"] in ("missing", "value_error") else f" (podano: {value!r})"
    return f"{location or 'parametry'}: {text}{shown}"

