"""The indicator catalogue: indicators, settings and research instruments as data.

The catalogue is two YAML files shipped in ``wkus_lib/data/`` and read with
:mod:`importlib.resources`: ``indicators.yaml`` (every indicator of the three
models with its unit, direction, target, traffic-light thresholds, stages and
inputs, plus settings such as cooperation weights and suppression thresholds)
and ``instruments.yaml`` (survey items, service-standard requirements, the
cooperation checklist, and what respondents see: the "nie dotyczy" answer,
criteria headings, the data-protection clause, the cooperation survey's
respondent groups and the interview scenarios with their coding frames). An evaluator may pass a copy of their own; everything
is validated by pydantic before anything runs, and a broken file raises
:class:`~wkus_lib.errors.CatalogError` with a Polish message naming the file,
the entry and the reason.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Final, Literal, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from wkus_lib.catalog.prices import PRICES_FILE, PriceIndex, packaged_price_index, read_price_index
from wkus_lib.domain import ModelId, PerspectiveId, StageId
from wkus_lib.errors import CatalogError
from wkus_lib.schemas import COOPERATION_GROUPS, SERVICE_INSTRUMENTS, TABLES, SurveyItems

Direction = Literal["higher", "lower"]
Status = Literal["green", "amber", "red", "none"]
ChecklistKind = Literal["binary", "ratio"]
CodeKind = Literal["mocna_strona", "problem", "rekomendacja"]
CooperationGroup = Literal["jst", "ngo"]

INDICATORS_FILE: Final = "indicators.yaml"
INSTRUMENTS_FILE: Final = "instruments.yaml"
SURVEY_TABLES: Final = frozenset({"survey_responses", "cooperation_survey"})
COOPERATION_INSTRUMENT: Final = "wspolpraca"
_ENTRY_KEYS: Final = ("id", "item_id", "requirement_id", "question_id", "code", "criterion")

_ModelT = TypeVar("_ModelT", bound=BaseModel)
NonEmpty = Annotated[str, Field(min_length=1)]
Share = Annotated[float, Field(gt=0, le=1)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Thresholds(_Entry):
    """Traffic-light boundaries in the indicator's unit."""

    green: float
    amber: float


class IndicatorSpec(_Entry):
    """One indicator of the catalogue."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9]*$")
    model: ModelId
    criterion: NonEmpty
    perspective: PerspectiveId
    name_pl: NonEmpty
    name_en: NonEmpty
    unit: NonEmpty
    unit_en: NonEmpty | None = None
    """The unit in English reports (``PLN`` for ``zł``, ``pp`` for ``pkt proc.``); None: ``unit``."""
    direction: Direction
    target: float | None = None
    thresholds: Thresholds | None = None
    stages: tuple[StageId, ...] = Field(min_length=1)
    inputs: tuple[str, ...]
    formula_pl: NonEmpty
    formula_en: NonEmpty | None = None
    """The formula in English reports; None (a user's catalogue without it): ``formula_pl``."""
    optional: bool = False

    @field_validator("stages")
    @classmethod
    def _stages_unique(cls, stages: tuple[StageId, ...]) -> tuple[StageId, ...]:
        if len(set(stages)) != len(stages):
            raise ValueError("etap powtarza się na liście „stages”")
        return stages

    @field_validator("inputs")
    @classmethod
    def _inputs_are_tables(cls, inputs: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [name for name in inputs if name not in TABLES]
        if unknown:
            raise ValueError(
                f"nieznane tabele danych: {', '.join(unknown)} "
                f"(dozwolone: {', '.join(TABLES)})"
            )
        return inputs

    @model_validator(mode="after")
    def _thresholds_follow_direction(self) -> IndicatorSpec:
        limits = self.thresholds
        if limits is None:
            return self
        if self.direction == "higher" and limits.green < limits.amber:
            raise ValueError(
                f"progi niespójne z kierunkiem „higher”: próg zielony ({limits.green:g}) "
                f"musi być nie mniejszy niż żółty ({limits.amber:g})"
            )
        if self.direction == "lower" and limits.green > limits.amber:
            raise ValueError(
                f"progi niespójne z kierunkiem „lower”: próg zielony ({limits.green:g}) "
                f"musi być nie większy niż żółty ({limits.amber:g})"
            )
        if self.target is not None and _traffic_light_scalar(self, self.target) != "green":
            raise ValueError(
                f"wartość docelowa {self.target:g} nie mieści się w zielonym przedziale progów"
            )
        return self

    @property
    def survey_based(self) -> bool:
        """Whether the value rests on survey respondents (small-cell suppression applies)."""
        return bool(SURVEY_TABLES.intersection(self.inputs))


class SuppressionSettings(_Entry):
    """Small-cell suppression (DOMAIN.md §6)."""

    threshold: int = Field(default=5, ge=1)
    quotes_threshold: int = Field(default=10, ge=1)


class ReliabilitySettings(_Entry):
    """Scale reliability reporting."""

    min_respondents: int = Field(default=10, ge=2)


class MissingAnswerSettings(_Entry):
    """Missing-answer policy of survey scales."""

    min_answered: Share = 0.5


class SroiSettings(_Entry):
    """E10 (SROI): the discount rate, where it comes from, and the sensitivity rates."""

    discount_rate: float = Field(default=0.035, ge=0, lt=1)
    discount_rate_source_pl: NonEmpty = (
        "społeczna stopa dyskontowa HM Treasury Green Book, zalecana w przewodniku "
        "„A Guide to Social Return on Investment” (Cabinet Office 2009, wyd. 2012)"
    )
    discount_rate_source_en: NonEmpty = (
        "HM Treasury Green Book social discount rate, as recommended by "
        "\"A Guide to Social Return on Investment\" (Cabinet Office 2009, 2012 edition)"
    )
    sensitivity_discount_rates: tuple[Annotated[float, Field(ge=0, lt=1)], ...] = (0.0, 0.06)


class QualityBand(_Entry):
    """Bounds of one data-quality check, in the check's unit (``uwaga`` and ``problem``)."""

    uwaga: float = Field(ge=0)
    problem: float = Field(ge=0)


class OutlierSettings(_Entry):
    """Robust outliers of the data-quality scorecard (a year against the area's own years)."""

    method: Literal["mad", "iqr"] = "mad"
    threshold: float = Field(default=3.5, gt=0)
    iqr_factor: float = Field(default=1.5, ge=0)
    min_years: int = Field(default=4, ge=3)
    min_change_pct: float = Field(default=10.0, ge=0)
    """The minimum meaningful spread: a flag also needs |value − median| ≥ this % of the median."""
    indicators: tuple[NonEmpty, ...] = ("E1", "E1H", "E4")


class DataQualitySettings(_Entry):
    """Thresholds of the data-quality scorecard (``wkus check``, reports' data-quality section).

    ``response_rate`` is judged from below (% of clients served), the other
    bands from above (% of answers, % of respondents judged).
    """

    response_rate: QualityBand = QualityBand(uwaga=10.0, problem=3.0)
    item_nonresponse: QualityBand = QualityBand(uwaga=10.0, problem=20.0)
    straight_lining: QualityBand = QualityBand(uwaga=10.0, problem=25.0)
    straight_lining_min_items: int = Field(default=6, ge=2)
    contribution_tolerance: float = Field(default=1.0, ge=0)
    outliers: OutlierSettings = OutlierSettings()

    @model_validator(mode="after")
    def _bands_in_order(self) -> DataQualitySettings:
        if self.response_rate.problem > self.response_rate.uwaga:
            raise ValueError("response_rate: próg „problem” musi być nie większy niż „uwaga” "
                             "(zwrot ankiet oceniamy od dołu)")
        for name in ("item_nonresponse", "straight_lining"):
            band: QualityBand = getattr(self, name)
            if band.problem < band.uwaga:
                raise ValueError(f"{name}: próg „problem” musi być nie mniejszy niż „uwaga”")
        return self


class TaskReportSettings(_Entry):
    """The NGO task report check (``wkus check``, the import report).

    ``cost_shift_pct``: how far a cost category's actual total may exceed the
    offer's plan, and a funding source other than the grant fall below it [%],
    before the check asks why. The 2018 contract template leaves this share for
    the parties to write into each contract; this default is a setting, not the
    law. ``result_shortfall_pct``: how far below its planned level a result may
    end [%] before the check asks why (a setting as well).
    """

    cost_shift_pct: float = Field(default=10.0, ge=0)
    result_shortfall_pct: float = Field(default=10.0, ge=0, lt=100)


class Settings(_Entry):
    """Settings of the catalogue: policies every indicator run uses."""

    confidence_level: float = Field(default=0.95, gt=0, lt=1)
    suppression: SuppressionSettings = SuppressionSettings()
    reliability: ReliabilitySettings = ReliabilitySettings()
    missing_answers: MissingAnswerSettings = MissingAnswerSettings()
    triangulation_flag_points: float = Field(default=15.0, ge=0)
    result_display_cap: float = Field(default=1.2, ge=1)
    data_quality: DataQualitySettings = DataQualitySettings()
    sroi: SroiSettings = SroiSettings()
    task_report: TaskReportSettings = TaskReportSettings()
    cooperation_weights: dict[str, Annotated[float, Field(ge=0)]]

    @field_validator("cooperation_weights")
    @classmethod
    def _some_weight_positive(cls, weights: dict[str, float]) -> dict[str, float]:
        if not weights or sum(weights.values()) <= 0:
            raise ValueError("co najmniej jedna waga indeksu współpracy musi być dodatnia")
        return weights


class SurveyItem(_Entry):
    """One survey question."""

    item_id: NonEmpty
    criterion: NonEmpty
    indicator: NonEmpty
    reverse: bool
    text_pl: NonEmpty


class RespondentGroup(_Entry):
    """One respondent group of the cooperation survey (its own questionnaire)."""

    name_pl: NonEmpty
    name_en: NonEmpty
    respondents_pl: NonEmpty


class Instrument(_Entry):
    """One questionnaire (the cooperation survey: one per respondent group)."""

    name_pl: NonEmpty
    name_en: NonEmpty
    perspective: PerspectiveId
    respondents_pl: NonEmpty | None = None
    respondent_groups: dict[CooperationGroup, RespondentGroup] | None = None
    items: tuple[SurveyItem, ...] = Field(min_length=1)


class NotApplicable(_Entry):
    """The answer outside the scale ("nie dotyczy"), stored as a missing answer."""

    name: str = Field(default="nd", pattern=r"^[a-z_]+$")
    label_pl: NonEmpty = "nie dotyczy"


class CriterionLabel(_Entry):
    """A criterion's name for evaluators and its heading for respondents."""

    criterion: NonEmpty
    name_pl: NonEmpty
    heading_pl: NonEmpty


class InformationClause(_Entry):
    """The data-protection clause of one audience, printed on its instruments.

    Placeholders: ``{administrator}`` (the body running the study),
    ``{threshold}`` and ``{quotes_threshold}`` (the catalogue's suppression
    settings, so the clause promises what the reports do).
    """

    title_pl: NonEmpty
    paragraphs_pl: tuple[NonEmpty, ...] = Field(min_length=1)

    def paragraphs(self, administrator: str, **values: object) -> tuple[str, ...]:
        """The paragraphs with ``{administrator}`` and any of ``values`` filled in."""
        filled = {"administrator": administrator, **{k: str(v) for k, v in values.items()}}
        texts = []
        for paragraph in self.paragraphs_pl:
            for key, value in filled.items():
                paragraph = paragraph.replace("{" + key + "}", str(value))
            texts.append(paragraph)
        return tuple(texts)


class InterviewQuestion(_Entry):
    """One question of an interview scenario, with follow-up probes."""

    question_id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text_pl: NonEmpty
    probes_pl: tuple[NonEmpty, ...] = ()


class InterviewCode(_Entry):
    """One code of the coding frame; the section it sits in gives its criterion."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_-]*$")
    kind: CodeKind
    label_pl: NonEmpty


class InterviewSection(_Entry):
    """The questions and codes of one criterion."""

    criterion: NonEmpty
    questions: tuple[InterviewQuestion, ...] = Field(min_length=1)
    codes: tuple[InterviewCode, ...] = Field(min_length=1)


class Interview(_Entry):
    """An interview scenario (group or individual) with its coding frame."""

    name_pl: NonEmpty
    name_en: NonEmpty
    perspective: PerspectiveId
    participants_pl: NonEmpty
    duration_min: int = Field(gt=0)
    introduction_pl: tuple[NonEmpty, ...] = Field(min_length=1)
    closing_pl: tuple[NonEmpty, ...] = ()
    sections: tuple[InterviewSection, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _codes_and_questions_unique(self) -> Interview:
        for what, values in (
            ("kod", [c.code for s in self.sections for c in s.codes]),
            ("pytanie", [q.question_id for s in self.sections for q in s.questions]),
        ):
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                raise ValueError(f"{what} powtarza się w scenariuszu: {', '.join(repeated)}")
        return self

    def code_table(self) -> pd.DataFrame:
        """One row per code: code, criterion, kind, label_pl (in scenario order)."""
        rows = [
            {"code": c.code, "criterion": s.criterion, "kind": c.kind, "label_pl": c.label_pl}
            for s in self.sections for c in s.codes
        ]
        return pd.DataFrame(rows, columns=["code", "criterion", "kind", "label_pl"])


class StandardRequirement(_Entry):
    """One requirement of the service standard (Q5)."""

    requirement_id: NonEmpty
    text_pl: NonEmpty


class ChecklistItem(_Entry):
    """One item of the cooperation checklist (W1–W4)."""

    item_id: NonEmpty
    indicator: NonEmpty
    kind: ChecklistKind
    target: Annotated[float, Field(gt=0)] | None = None
    text_pl: NonEmpty

    @model_validator(mode="after")
    def _ratio_needs_target(self) -> ChecklistItem:
        if self.kind == "ratio" and self.target is None:
            raise ValueError("pozycja typu „ratio” wymaga wartości docelowej „target”")
        return self


class Instruments(_Entry):
    """The research instruments (``instruments.yaml``).

    The presentation fields (``criteria``, ``information_clauses``,
    ``instructions_pl``, ``interviews``) are optional so an older copy of the
    catalogue still computes indicators; ``wkus instruments`` needs them.
    ``information_clauses`` holds one clause per audience (questionnaire or
    interview, :meth:`audiences`); an older copy's single
    ``information_clause`` is used for audiences without their own.
    """

    likert_labels: dict[int, NonEmpty]
    not_applicable: NotApplicable = NotApplicable()
    criteria: tuple[CriterionLabel, ...] = ()
    information_clause: InformationClause | None = None
    information_clauses: dict[NonEmpty, InformationClause] = {}
    instructions_pl: NonEmpty | None = None
    instruments: dict[str, Instrument]
    interviews: dict[str, Interview] = {}
    standard_requirements: tuple[StandardRequirement, ...]
    cooperation_checklist: tuple[ChecklistItem, ...]

    @field_validator("likert_labels")
    @classmethod
    def _five_point_scale(cls, labels: dict[int, str]) -> dict[int, str]:
        if sorted(labels) != [1, 2, 3, 4, 5]:
            raise ValueError("skala musi mieć etykiety punktów 1, 2, 3, 4 i 5")
        return labels

    @model_validator(mode="after")
    def _groups_only_for_cooperation(self) -> Instruments:
        for name, instrument in self.instruments.items():
            if instrument.respondent_groups is not None and name != COOPERATION_INSTRUMENT:
                raise ValueError(
                    f"narzędzie „{name}”: grupy respondentów („respondent_groups”) są dozwolone "
                    f"tylko w ankiecie „{COOPERATION_INSTRUMENT}” "
                    f"(grupy: {', '.join(COOPERATION_GROUPS)})"
                )
        return self

    @model_validator(mode="after")
    def _clauses_name_known_audiences(self) -> Instruments:
        known = self.audiences()
        unknown = [key for key in self.information_clauses if key not in known]
        if unknown:
            raise ValueError(
                f"klauzule informacyjne dla nieznanych narzędzi: {', '.join(unknown)} "
                f"(dozwolone: {', '.join(known)})"
            )
        return self

    def audiences(self) -> tuple[str, ...]:
        """Keys of the information clauses: questionnaires (cooperation: per group), interviews."""
        keys: list[str] = []
        for name, instrument in self.instruments.items():
            groups = instrument.respondent_groups
            keys += [f"{name}_{group}" for group in groups] if groups else [name]
        return (*keys, *self.interviews)

    def clause_for(self, audience: str) -> InformationClause | None:
        """The clause of ``audience`` (:meth:`audiences`); the single older clause otherwise."""
        return self.information_clauses.get(audience, self.information_clause)

    def criterion_label(self, criterion: str) -> CriterionLabel:
        """Names of ``criterion``; its id as both names when the catalogue has none."""
        for label in self.criteria:
            if label.criterion == criterion:
                return label
        return CriterionLabel(criterion=criterion, name_pl=criterion, heading_pl=criterion)

    @field_validator("instruments")
    @classmethod
    def _known_instruments(cls, instruments: dict[str, Instrument]) -> dict[str, Instrument]:
        allowed = (*SERVICE_INSTRUMENTS, COOPERATION_INSTRUMENT)
        unknown = [name for name in instruments if name not in allowed]
        if unknown:
            raise ValueError(
                f"nieznane narzędzia: {', '.join(unknown)} (dozwolone: {', '.join(allowed)})"
            )
        return instruments


class IndicatorsFile(_Entry):
    """The indicator file (``indicators.yaml``)."""

    instruments_file: str | None = None
    settings: Settings
    indicators: tuple[IndicatorSpec, ...] = Field(min_length=1)


class Catalog(_Entry):
    """The validated catalogue: indicators, settings and instruments."""

    indicators: tuple[IndicatorSpec, ...]
    settings: Settings
    instruments: Instruments
    source: str
    price_index: PriceIndex = Field(default_factory=packaged_price_index)
    """The services price index of real prices (the catalogue folder's ``ceny_gus_cpi.csv``)."""

    @property
    def ids(self) -> tuple[str, ...]:
        """Indicator ids in catalogue order."""
        return tuple(spec.id for spec in self.indicators)

    def indicator(self, indicator_id: str) -> IndicatorSpec:
        """The indicator ``indicator_id``; :class:`CatalogError` if unknown."""
        for spec in self.indicators:
            if spec.id == indicator_id:
                return spec
        raise CatalogError(f"Katalog ({self.source}) nie zawiera wskaźnika „{indicator_id}”.")

    def status(self, indicator_id: str, value: float | None) -> Status:
        """Traffic light of ``value``: green, amber, red, or none (no value / no thresholds).

        Examples
        --------
        >>> catalog = load_catalog()
        >>> catalog.status("E4", 12.0)  # admin share, lower is better, green ≤ 10, amber ≤ 15
        'amber'
        """
        return _traffic_light_scalar(self.indicator(indicator_id), value)

    def statuses(self, indicator_ids: pd.Series, values: pd.Series) -> npt.NDArray[np.str_]:
        """Vectorised :meth:`status` over aligned Series of ids and values."""
        table = self.threshold_table()
        rows = table.reindex(pd.Index(indicator_ids.astype(str)))
        return traffic_light(
            values.to_numpy(dtype=float, na_value=np.nan),
            green=rows["green"].to_numpy(dtype=float, na_value=np.nan),
            amber=rows["amber"].to_numpy(dtype=float, na_value=np.nan),
            higher=rows["higher"].to_numpy(dtype=bool, na_value=True),
        )

    def threshold_table(self) -> pd.DataFrame:
        """Target, thresholds and direction per indicator id (index)."""
        return pd.DataFrame(
            {
                "target": [np.nan if s.target is None else s.target for s in self.indicators],
                "green": [np.nan if s.thresholds is None else s.thresholds.green
                          for s in self.indicators],
                "amber": [np.nan if s.thresholds is None else s.thresholds.amber
                          for s in self.indicators],
                "higher": [s.direction == "higher" for s in self.indicators],
            },
            index=pd.Index(self.ids, name="indicator"),
        )

    def indicator_table(self) -> pd.DataFrame:
        """One row per indicator with its descriptive fields (for reports)."""
        rows = [
            {
                "indicator": s.id, "model": s.model, "criterion": s.criterion,
                "perspective": s.perspective, "name_pl": s.name_pl, "name_en": s.name_en,
                "unit": s.unit, "direction": s.direction,
                "target": np.nan if s.target is None else s.target,
                "green": np.nan if s.thresholds is None else s.thresholds.green,
                "amber": np.nan if s.thresholds is None else s.thresholds.amber,
                "stages": ",".join(s.stages), "inputs": ",".join(s.inputs),
                "optional": s.optional, "formula_pl": s.formula_pl,
            }
            for s in self.indicators
        ]
        return pd.DataFrame(rows)

    def survey_items(self) -> pd.DataFrame:
        """Every survey item, valid under :class:`wkus_lib.schemas.SurveyItems`."""
        rows = [
            {
                "instrument": name, "item_id": item.item_id, "text_pl": item.text_pl,
                "criterion": item.criterion, "perspective": instrument.perspective,
                "indicator": item.indicator, "reverse": item.reverse,
            }
            for name, instrument in self.instruments.instruments.items()
            for item in instrument.items
        ]
        frame = pd.DataFrame(rows, columns=list(SurveyItems.to_schema().columns))
        return SurveyItems.validate(frame)

    def checklist_items(self) -> pd.DataFrame:
        """The cooperation checklist: item_id, indicator, kind, target, text_pl."""
        rows = [item.model_dump() for item in self.instruments.cooperation_checklist]
        frame = pd.DataFrame(rows, columns=["item_id", "indicator", "kind", "target", "text_pl"])
        return frame.astype({"target": float})

    def standard_requirements(self) -> pd.DataFrame:
        """The service-standard requirements: requirement_id, text_pl."""
        rows = [item.model_dump() for item in self.instruments.standard_requirements]
        return pd.DataFrame(rows, columns=["requirement_id", "text_pl"])


def traffic_light(
    values: npt.ArrayLike,
    *,
    green: npt.ArrayLike,
    amber: npt.ArrayLike,
    higher: npt.ArrayLike,
) -> npt.NDArray[np.str_]:
    """Traffic light per value from thresholds and direction (vectorised).

    With ``higher`` a value ``>= green`` is green, ``>= amber`` amber, else
    red; otherwise a value ``<= green`` is green, ``<= amber`` amber, else
    red. A missing value or missing thresholds give ``"none"``.

    Examples
    --------
    >>> traffic_light([80.0, 65.0, 10.0, np.nan], green=75, amber=60, higher=True).tolist()
    ['green', 'amber', 'red', 'none']
    """
    x = np.asarray(values, dtype=float)
    g = np.broadcast_to(np.asarray(green, dtype=float), x.shape)
    a = np.broadcast_to(np.asarray(amber, dtype=float), x.shape)
    up = np.broadcast_to(np.asarray(higher, dtype=bool), x.shape)
    is_green = np.where(up, x >= g, x <= g)
    is_amber = np.where(up, x >= a, x <= a)
    known = ~(np.isnan(x) | np.isnan(g) | np.isnan(a))
    return np.select(
        [~known, is_green, is_amber], ["none", "green", "amber"], default="red"
    ).astype(np.str_)


def _traffic_light_scalar(spec: IndicatorSpec, value: float | None) -> Status:
    if value is None or spec.thresholds is None:
        return "none"
    light = traffic_light(
        [value], green=spec.thresholds.green, amber=spec.thresholds.amber,
        higher=spec.direction == "higher",
    )[0]
    status: Status = str(light)  # type: ignore[assignment]
    return status


# --------------------------------------------------------------------- loading


def _locate(raw: Any, loc: Sequence[int | str]) -> tuple[str, str | None]:
    """Entry and field of a pydantic error location.

    The entry is the deepest mapping on ``loc`` with an id (``id``,
    ``item_id``, ``requirement_id``), else the top-level key (or the key of
    an instrument); the field is the rest of the path, dotted.
    """
    name = str(loc[0]) if loc else "(cały plik)"
    entry_depth = 0
    node = raw
    for depth, part in enumerate(loc):
        in_mapping = isinstance(node, Mapping) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_mapping or in_list):
            break
        node = node[part]
        if not isinstance(node, Mapping):
            continue
        key = next((k for k in _ENTRY_KEYS if isinstance(node.get(k), str | int)), None)
        if key is not None:
            name, entry_depth = str(node[key]), depth
        elif isinstance(part, str) and depth <= 1:
            name, entry_depth = part, depth
    rest = [str(part) for part in loc[entry_depth + 1:] if isinstance(part, str)]
    return name, ".".join(rest) or None


def _describe_validation(file: str, raw: Any, error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        entry, field = _locate(raw, item["loc"])
        where = f"wpis „{entry}”" + (f", pole „{field}”" if field else "")
        lines.append(f"{where}: {item['msg']}")
    return f"Błąd katalogu wskaźników w pliku {file}: " + "; ".join(lines)


def _read_yaml(source: Traversable, label: str) -> dict[str, Any]:
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogError(f"Nie można odczytać pliku katalogu {label}: {error}") from error
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CatalogError(
            f"Błąd katalogu wskaźników w pliku {label}: niepoprawny YAML ({error})"
        ) from error
    if not isinstance(data, dict):
        raise CatalogError(
            f"Błąd katalogu wskaźników w pliku {label}: plik musi zawierać słownik pól "
            "(np. „settings”, „indicators”)"
        )
    return data


def _validate(model: type[_ModelT], raw: dict[str, Any], label: str) -> _ModelT:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        raise CatalogError(_describe_validation(label, raw, error)) from error


def _error(label: str, entry: str, field: str | None, problem: str) -> CatalogError:
    where = f"wpis „{entry}”" + (f", pole „{field}”" if field else "")
    return CatalogError(f"Błąd katalogu wskaźników w pliku {label}: {where}: {problem}")


def _cross_check(
    indicators: IndicatorsFile, instruments: Instruments, labels: tuple[str, str]
) -> None:
    """Consistency between entries and between the two files."""
    indicators_label, instruments_label = labels
    specs: dict[str, IndicatorSpec] = {}
    for spec in indicators.indicators:
        if spec.id in specs:
            raise _error(indicators_label, spec.id, "id",
                         "identyfikator powtarza się (muszą być unikalne)")
        specs[spec.id] = spec
    for key in indicators.settings.cooperation_weights:
        if key not in specs or specs[key].model != "wspolpraca":
            raise _error(indicators_label, "settings", "cooperation_weights",
                         f"„{key}” nie jest wskaźnikiem modelu współpracy w katalogu")
    seen: set[str] = set()
    for instrument in instruments.instruments.values():
        for item in instrument.items:
            _check_item_id(item.item_id, seen, instruments_label)
            fed = specs.get(item.indicator)
            if fed is None:
                raise _error(instruments_label, item.item_id, "indicator",
                             f"wskaźnika „{item.indicator}” nie ma w {indicators_label}")
            if fed.criterion != item.criterion:
                raise _error(instruments_label, item.item_id, "criterion",
                             f"„{item.criterion}” różni się od kryterium wskaźnika {fed.id} "
                             f"(„{fed.criterion}”)")
    _check_criteria(instruments, instruments_label)
    for check in instruments.cooperation_checklist:
        _check_item_id(check.item_id, seen, instruments_label)
        scored = specs.get(check.indicator)
        if scored is None or scored.model != "wspolpraca":
            raise _error(instruments_label, check.item_id, "indicator",
                         f"„{check.indicator}” nie jest wskaźnikiem modelu współpracy w katalogu")


def _check_criteria(instruments: Instruments, label: str) -> None:
    """Items and interview sections name criteria the catalogue lists (when it lists any)."""
    if not instruments.criteria:
        return
    known = [c.criterion for c in instruments.criteria]
    for instrument in instruments.instruments.values():
        for item in instrument.items:
            if item.criterion not in known:
                raise _error(label, item.item_id, "criterion",
                             f"kryterium „{item.criterion}” nie ma na liście „criteria” "
                             f"({', '.join(known)})")
    for name, interview in instruments.interviews.items():
        for section in interview.sections:
            if section.criterion not in known:
                raise _error(label, name, "sections.criterion",
                             f"kryterium „{section.criterion}” nie ma na liście „criteria” "
                             f"({', '.join(known)})")


def _check_item_id(item_id: str, seen: set[str], label: str) -> None:
    if item_id in seen:
        raise _error(label, item_id, "item_id",
                     "identyfikator powtarza się (pytania i pozycje list muszą być unikalne)")
    seen.add(item_id)


def _packaged_data() -> Traversable:
    return resources.files("wkus_lib") / "data"


def _load(folder: Traversable, file_name: str, label: str) -> Catalog:
    """Read ``folder/file_name`` and the instruments it names (packaged ones by default)."""
    raw = _read_yaml(folder / file_name, label)
    own = {key: value for key, value in raw.items() if key not in Instruments.model_fields}
    parsed = _validate(IndicatorsFile, own, label)
    if "instruments" in raw:
        instruments_raw = {key: raw[key] for key in Instruments.model_fields if key in raw}
        instruments_label = label
    else:
        if parsed.instruments_file is not None:
            source = folder / parsed.instruments_file
            instruments_label = label.rsplit(file_name, 1)[0] + parsed.instruments_file
        else:
            source = _packaged_data() / INSTRUMENTS_FILE
            instruments_label = f"wkus_lib/data/{INSTRUMENTS_FILE}"
        instruments_raw = _read_yaml(source, instruments_label)
    instruments = _validate(Instruments, instruments_raw, instruments_label)
    _cross_check(parsed, instruments, (label, instruments_label))
    prices = folder / PRICES_FILE
    price_index = (
        read_price_index(prices, label.rsplit(file_name, 1)[0] + PRICES_FILE)
        if prices.is_file() else packaged_price_index()
    )
    return Catalog(
        indicators=parsed.indicators, settings=parsed.settings, instruments=instruments,
        source=label, price_index=price_index,
    )


PACKAGED_SOURCE: Final = f"wkus_lib/data/{INDICATORS_FILE}"
"""``Catalog.source`` of the packaged catalogue (a user's copy names its own file)."""


@functools.cache
def _load_default() -> Catalog:
    return _load(_packaged_data(), INDICATORS_FILE, PACKAGED_SOURCE)


def load_catalog(path: Path | None = None) -> Catalog:
    """Load and validate the indicator catalogue.

    Parameters
    ----------
    path
        ``None`` for the packaged catalogue (cached after the first load).
        Otherwise a user's indicator file or a folder holding
        ``indicators.yaml``. Its instruments come from, in this order: the
        same file (top-level keys ``instruments``, ``standard_requirements``,
        ``cooperation_checklist``, ``likert_labels``), the file named by
        ``instruments_file`` (relative to the catalogue file), or the
        packaged ``instruments.yaml``.

    Returns
    -------
    Catalog

    Raises
    ------
    CatalogError
        With a Polish message naming the file, the entry and the reason.
    """
    if path is None:
        return _load_default()
    file = path / INDICATORS_FILE if path.is_dir() else path
    if not file.is_file():
        raise CatalogError(f"Nie znaleziono pliku katalogu wskaźników: {file}")
    return _load(file.parent, file.name, str(file))


def copy_default_catalog(destination: Path) -> Path:
    """Copy the packaged catalogue files into ``destination`` for editing; return the folder.

    The copy holds the indicators, the instruments and the services price
    index (``ceny_gus_cpi.csv``), where users add the years after 2024.
    """
    destination.mkdir(parents=True, exist_ok=True)
    data = _packaged_data()
    for name in (INDICATORS_FILE, INSTRUMENTS_FILE, PRICES_FILE):
        (destination / name).write_bytes((data / name).read_bytes())
    return destination
