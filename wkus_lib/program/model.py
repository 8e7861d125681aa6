"""The programme draft as data: chapters, „§”, tables, priority tasks and planned funds.

Art. 5a ust. 4 of the act on public benefit activity lists what a programme
contains; :data:`STATUTORY_SECTIONS` holds those parts in that order. What
only the office knows is marked with :data:`PLACEHOLDER`; :func:`text_runs`
and :func:`provision_labels` tell both renderers how the text reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

from wkus_lib.domain import AreaId, Gmina

PLACEHOLDER: Final = "[do uzupełnienia]"
SYNTHETIC_NOTE: Final = (
    "DANE SYNTETYCZNE — projekt wygenerowany z danych demonstracyjnych; "
    "liczby są wygenerowane i nie opisują rzeczywistej gminy."
)
"""Shown above the title of every draft built from a store of demo data (``synthetic``)."""
PLACEHOLDER_PATTERN: Final = re.compile(r"\[do uzupełnienia[^\]]*\]")

STATUTORY_SECTIONS: Final[tuple[tuple[str, str], ...]] = (
    ("cele", "Cel główny i cele szczegółowe programu"),
    ("zasady", "Zasady współpracy"),
    ("zakres", "Zakres przedmiotowy"),
    ("formy", "Formy współpracy"),
    ("priorytety", "Priorytetowe zadania publiczne"),
    ("okres", "Okres realizacji programu"),
    ("realizacja", "Sposób realizacji programu"),
    ("srodki", "Wysokość środków planowanych na realizację programu"),
    ("ocena", "Sposób oceny realizacji programu"),
    ("konsultacje", "Informacja o sposobie tworzenia programu oraz o przebiegu konsultacji"),
    ("komisje", ("Tryb powoływania i zasady działania komisji konkursowych do opiniowania "
                "ofert w otwartych konkursach ofert")),
)
"""The parts art. 5a ust. 4 requires, in the act's order: (key, heading)."""


@dataclass(frozen=True)
class Provision:
    """One ustęp of a paragraph: a sentence, optionally followed by points 1), 2), …"""

    text: str
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class Paragraph:
    """One „§”: numbered through the whole programme; its ustępy numbered when more than one."""

    number: int
    provisions: tuple[Provision, ...]


@dataclass(frozen=True)
class Table:
    """A table with one header row; ``widths`` are shares of the text width."""

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    numeric: frozenset[int] = frozenset()


Block = Paragraph | Table


@dataclass(frozen=True)
class Section:
    """One chapter (rozdział) of the programme."""

    key: str
    chapter: int
    title: str
    blocks: tuple[Block, ...]

    @property
    def heading(self) -> str:
        """The chapter heading as printed: ``Rozdział 2. Cel główny …``."""
        return f"Rozdział {self.chapter}. {self.title}"


TaskKind = Literal["ended", "running", "annual", "untended"]
"""Why a task is a priority: its multi-year contract ended or runs, it is funded by annual
grants, or a needs diagnosis shows people in need and the gmina funds no task there."""


@dataclass(frozen=True)
class PriorityTask:
    """A public task the evaluation puts first, with the evidence behind it."""

    kind: TaskKind
    area: AreaId
    task: str
    basis: str
    proposal: str
    indicators: str


@dataclass(frozen=True)
class FundsLine:
    """The proposed yearly funds of one area and their basis (złote; None = to fill in)."""

    area: AreaId
    last_year_grant: float | None
    """The grant actually paid in ``basis_year``."""
    mean_grant: float | None
    """The mean grant of the three years up to ``basis_year``."""
    basis_year: int | None = None
    """The area's last year with a complete NGO report, else its last year with a paid
    grant (``complete`` false); None: no grant known, to fill in."""
    complete: bool = True
    """Whether the NGO report of ``basis_year`` is complete."""
    unpriced_years: tuple[int, ...] = ()
    """Years the price index lacks, so ``mean_grant`` is not in ``basis_year`` prices (None)."""

    @property
    def proposed_per_year(self) -> float | None:
        """The proposal: the grant actually paid in the basis year."""
        return self.last_year_grant


@dataclass(frozen=True)
class ProgramDraft:
    """A multi-year cooperation programme for one gmina, ready to render."""

    gmina: Gmina
    first_year: int
    last_year: int
    base_year: int
    synthetic: bool
    title: str
    annex_line: str
    notes: tuple[str, ...]
    sections: tuple[Section, ...]
    priority_tasks: tuple[PriorityTask, ...]
    funds: tuple[FundsLine, ...]
    indicator_ids: tuple[str, ...]
    gaps: tuple[str, ...] = ()
    """What the draft could not read: ``brak danych: …`` for tables without the gmina's
    rows, then one line per area read from an earlier complete year."""

    @property
    def years(self) -> int:
        """How many budget years the programme covers."""
        return self.last_year - self.first_year + 1

    def section(self, key: str) -> Section:
        """The section ``key`` (see :data:`STATUTORY_SECTIONS`)."""
        return next(s for s in self.sections if s.key == key)


def text_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` split into (piece, is_placeholder) runs, so renderers can highlight gaps.

    Examples
    --------
    >>> text_runs("uchwała nr [do uzupełnienia] z dnia")
    [('uchwała nr ', False), ('[do uzupełnienia]', True), (' z dnia', False)]
    """
    runs: list[tuple[str, bool]] = []
    position = 0
    for match in PLACEHOLDER_PATTERN.finditer(text):
        if match.start() > position:
            runs.append((text[position:match.start()], False))
        runs.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        runs.append((text[position:], False))
    return runs


def provision_labels(paragraph: Paragraph) -> list[str]:
    """How each ustęp of a „§” starts: ``§ 3.`` then ``1.``, ``2.`` … (no number when alone)."""
    many = len(paragraph.provisions) > 1
    labels = []
    for index in range(len(paragraph.provisions)):
        label = f"{index + 1}." if many else ""
        labels.append(f"§ {paragraph.number}. {label}".rstrip() if index == 0 else label)
    return labels

