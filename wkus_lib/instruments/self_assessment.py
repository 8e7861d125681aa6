"""The provider's electronic self-assessment: a notebook form over the catalogue's items.

:class:`SelfAssessmentForm` builds ipywidgets from the ``samoocena``
questionnaire (items grouped by criterion, the 1–5 scale and "nie dotyczy"),
shows a completeness check in Polish as the provider fills it in, and saves
through :func:`wkus_lib.intake.importer.import_frame` — the same conversion,
pseudonymisation, validation and atomic store writes as any ``wkus import``.
The logic lives in pure functions (:func:`check_completeness`,
:func:`response_rows`), so the form is testable without a browser: build it,
set widget values, call :meth:`SelfAssessmentForm.save`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Final

import ipywidgets as widgets
import pandas as pd

from wkus_lib.catalog import Catalog, load_catalog
from wkus_lib.domain import AREA_IDS, AREA_NAMES, YEAR_MAX, YEAR_MIN, is_valid_teryt
from wkus_lib.instruments.forms import Questionnaire, clause_paragraphs, questionnaire

if TYPE_CHECKING:
    from wkus_lib.intake.importer import ImportReport

FORM_ID: Final = "samoocena"
TABLE: Final = "survey_responses"
NOT_ANSWERED: Final = ""

Answer = int | str | None
"""1–5, the "nie dotyczy" choice name (``nd``), or ``None`` when not answered yet."""


@dataclass(frozen=True)
class Completeness:
    """What is still missing before the self-assessment can be saved."""

    problems: tuple[str, ...]
    unanswered: tuple[str, ...]
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        """Nothing missing: the form may be saved."""
        return not self.problems and not self.unanswered

    def message(self) -> str:
        """One Polish paragraph for the provider."""
        head = f"Odpowiedzi: {self.answered} z {self.total}."
        if self.complete:
            return f"{head} Formularz jest kompletny – można go zapisać."
        parts = list(self.problems)
        if self.unanswered:
            parts.append("brak odpowiedzi na pytania nr " + ", ".join(self.unanswered))
        return f"{head} Do uzupełnienia: " + "; ".join(parts) + "."


def check_completeness(
    form: Questionnaire, *, teryt: str, area: str | None, year: int | None, provider: str,
    answers: Mapping[str, Answer],
) -> Completeness:
    """Completeness of a filled self-assessment ("nie dotyczy" counts as an answer).

    Examples
    --------
    >>> form = questionnaire(load_catalog(), "samoocena")
    >>> check_completeness(form, teryt="2002063", area="sport", year=2024, provider="Fundacja",
    ...                    answers={"s_sat1": 4}).unanswered
    ('2', '3', '4')
    """
    problems = []
    if not is_valid_teryt(teryt.strip()):
        problems.append("kod TERYT gminy (7 cyfr, ostatnia 1, 2 albo 3)")
    if area not in AREA_IDS:
        problems.append("obszar usługi")
    if year is None or not YEAR_MIN <= year <= YEAR_MAX:
        problems.append(f"rok oceny ({YEAR_MIN}–{YEAR_MAX})")
    if not provider.strip():
        problems.append("nazwa realizatora")
    numbers = [str(n) for n, item in enumerate(form.items, start=1)
               if answers.get(item.item_id) in (None, NOT_ANSWERED)]
    total = len(form.items)
    return Completeness(tuple(problems), tuple(numbers), total - len(numbers), total)


def response_rows(
    form: Questionnaire, *, teryt: str, area: str, year: int, provider: str,
    answers: Mapping[str, Answer],
) -> pd.DataFrame:
    """The answers as ``survey_responses`` rows; "nie dotyczy" and gaps as missing answers.

    The provider's name is the respondent id; the importer replaces it with a
    pseudonym before anything is stored.
    """
    rows = [
        {"teryt": teryt.strip(), "area": area, "year": year, "instrument": form.instrument,
         "respondent_id": provider.strip(), "item_id": item.item_id,
         "answer": answers.get(item.item_id) if isinstance(answers.get(item.item_id), int)
         else None}
        for item in form.items
    ]
    frame = pd.DataFrame(rows, columns=["teryt", "area", "year", "instrument", "respondent_id",
                                        "item_id", "answer"])
    return frame.astype({"answer": "Int8"})


class SelfAssessmentForm:
    """The ipywidgets form: context fields, one toggle row per item, a check, a save button."""

    def __init__(
        self, store_dir: Path, *, catalog: Catalog | None = None, key_file: Path | None = None,
        teryt: str = "", area: str | None = None, year: int | None = None,
        administrator: str | None = None,
    ) -> None:
        self.catalog = catalog or load_catalog()
        self.form = questionnaire(self.catalog, FORM_ID)
        self.store_dir = store_dir
        self.key_file = key_file
        scale = self.catalog.instruments
        options: list[tuple[str, int | str]] = [
            (label, point) for point, label in sorted(scale.likert_labels.items())]
        options.append((scale.not_applicable.label_pl, scale.not_applicable.name))

        self.teryt = widgets.Text(value=teryt, description="Kod TERYT",
                                  placeholder="np. 2002063")
        self.area = widgets.Dropdown(
            options=[("(wybierz)", None), *((AREA_NAMES[a], a) for a in AREA_IDS)],
            value=area, description="Obszar",
        )
        self.year = widgets.BoundedIntText(value=year or YEAR_MIN, min=YEAR_MIN, max=YEAR_MAX,
                                           description="Rok")
        self.provider = widgets.Text(description="Realizator",
                                     placeholder="nazwa organizacji (nie imię osoby)")
        self.items: dict[str, widgets.RadioButtons] = {}
        sections: list[widgets.Widget] = []
        number = 0
        for group in self.form.item_groups:
            sections.append(widgets.HTML(f"<h3>{escape(group.heading_pl)}</h3>"))
            for item in group.items:
                number += 1
                choice = widgets.RadioButtons(options=options, value=None,
                                              layout=widgets.Layout(width="auto"))
                self.items[item.item_id] = choice
                sections.append(widgets.HTML(f"<b>{number}. {escape(item.text_pl)}</b>"))
                sections.append(choice)
        self.status = widgets.HTML()
        self.result = widgets.HTML()
        self.save_button = widgets.Button(description="Zapisz samoocenę", button_style="primary",
                                          icon="save")
        self.save_button.on_click(lambda _button: self.save())
        clause = "".join(f"<p>{escape(p)}</p>"
                         for p in clause_paragraphs(self.catalog, administrator, "samoocena"))
        for control in (self.teryt, self.area, self.year, self.provider, *self.items.values()):
            control.observe(lambda _change: self.refresh(), names="value")
        self.widget = widgets.VBox([
            widgets.HTML(f"<h2>{escape(self.form.title_pl)}</h2>"
                         f"<p>Wypełnia: {escape(self.form.respondents_pl)}.</p>"),
            widgets.HTML(f"<details><summary>Informacja o ochronie danych</summary>{clause}"
                         "</details>"),
            widgets.HTML(f"<p><i>{escape(scale.instructions_pl or '')}</i></p>"),
            self.teryt, self.area, self.year, self.provider, *sections,
            self.status, self.save_button, self.result,
        ])
        self.refresh()

    def answers(self) -> dict[str, Answer]:
        """The current answer of every item (``None`` if not chosen)."""
        return {item_id: choice.value for item_id, choice in self.items.items()}

    def completeness(self) -> Completeness:
        """The completeness check of the current values."""
        return check_completeness(
            self.form, teryt=self.teryt.value, area=self.area.value, year=self.year.value,
            provider=self.provider.value, answers=self.answers(),
        )

    def refresh(self) -> None:
        """Update the completeness message and enable saving only when complete."""
        check = self.completeness()
        colour = "#1b5e20" if check.complete else "#8a4b00"
        self.status.value = f'<p style="color:{colour}">{check.message()}</p>'
        self.save_button.disabled = not check.complete

    def save(self) -> ImportReport | None:
        """Save through the importer; ``None`` (and a message) if the form is incomplete."""
        from wkus_lib.intake.importer import import_frame

        check = self.completeness()
        if not check.complete:
            self.result.value = f"<p>Nie zapisano. {check.message()}</p>"
            return None
        rows = response_rows(
            self.form, teryt=self.teryt.value, area=str(self.area.value),
            year=int(self.year.value), provider=self.provider.value, answers=self.answers(),
        )
        if self._saved_before(rows):
            self.result.value = (
                f"<p>Nie zapisano. Samoocena realizatora „{escape(self.provider.value.strip())}” "
                f"za rok {int(self.year.value)} (gmina {escape(self.teryt.value.strip())}, "
                f"obszar {escape(str(self.area.value))}) jest już w magazynie z innymi "
                "odpowiedziami; zapisanych odpowiedzi nie nadpisujemy. Jeżeli to poprawka, "
                "poproś osobę prowadzącą ocenę o usunięcie poprzedniej wersji.</p>")
            return None
        report = import_frame(TABLE, rows, self.store_dir, source="formularz samooceny",
                              key_file=self.key_file)
        added = report.added.get(TABLE, 0)
        if len(report.problems):
            self.result.value = f"<pre>{report.to_text()}</pre>"
        elif added:
            self.result.value = (f"<p>Zapisano samoocenę w magazynie {self.store_dir} "
                                 f"({added} odpowiedzi).</p>")
        else:
            self.result.value = "<p>Nic nie dodano: te same odpowiedzi są już w magazynie.</p>"
        return report

    def _saved_before(self, rows: pd.DataFrame) -> bool:
        """Whether the store holds other answers of this provider for this gmina, area, year."""
        from wkus_lib.intake.pseudonym import load_key, pseudonymise
        from wkus_lib.store import table_file

        path = table_file(self.store_dir, TABLE)
        if path is None:
            return False
        first = rows.iloc[0]
        key = load_key(self.key_file, store_dir=self.store_dir, record=False)
        pseudonym = pseudonymise(str(first["respondent_id"]), key)
        stored = pd.read_parquet(path, columns=[*rows.columns])
        mine = stored[(stored["respondent_id"] == pseudonym) & (stored["teryt"] == first["teryt"])
                      & (stored["area"] == first["area"]) & (stored["year"] == first["year"])
                      & (stored["instrument"] == first["instrument"])]
        if mine.empty:
            return False
        saved = dict(zip(mine["item_id"], mine["answer"], strict=True))
        fresh = dict(zip(rows["item_id"], rows["answer"], strict=True))
        return set(saved) != set(fresh) or any(
            not _same_answer(saved[item], answer) for item, answer in fresh.items()
        )


def _same_answer(first: object, second: object) -> bool:
    missing = [value is None or value is pd.NA for value in (first, second)]
    if any(missing):
        return all(missing)
    return bool(first == second)
