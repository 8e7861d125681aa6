"""Store and catalogue → :class:`~wkus_lib.program.model.ProgramDraft` for one gmina."""

from __future__ import annotations

from wkus_lib.catalog import Catalog
from wkus_lib.domain import Gmina
from wkus_lib.program.evaluation import evaluate, funds_lines, priority_tasks
from wkus_lib.program.model import PLACEHOLDER, ProgramDraft
from wkus_lib.program.text import program_sections, program_title
from wkus_lib.store import Store


def build_program(
    store: Store, gmina: Gmina, catalog: Catalog, first_year: int, last_year: int
) -> ProgramDraft:
    """The programme draft for ``gmina`` and the years ``first_year``–``last_year``.

    Only the gmina's rows of ``store`` are read. Raises :class:`ParameterError`
    (Polish) when the gmina's contracts all start in ``first_year`` or later. The
    draft's notes say which areas are read from an earlier, complete year and which
    tables are missing (also in :attr:`ProgramDraft.gaps`).
    """
    evaluation = evaluate(store, gmina, catalog, first_year)
    tasks = priority_tasks(evaluation, first_year, last_year)
    lines = funds_lines(evaluation, [t.area for t in tasks])
    notes = [
        ("PROJEKT do edycji, przygotowany przez wkus z danych oceny; fragmenty oznaczone "
         f"{PLACEHOLDER} uzupełnia urząd, a całość wymaga sprawdzenia przed konsultacjami."),
        *evaluation.notes(),
        *(gap[:1].upper() + gap[1:] + "." for gap in evaluation.gaps),
    ]
    return ProgramDraft(
        gmina=gmina, first_year=first_year, last_year=last_year,
        base_year=evaluation.base_year, synthetic=store.synthetic,
        title=program_title(gmina, first_year, last_year),
        annex_line=f"Załącznik do uchwały nr {PLACEHOLDER} Rady {PLACEHOLDER} "
                   f"z dnia {PLACEHOLDER}",
        notes=tuple(notes),
        sections=tuple(program_sections(evaluation, tasks, lines, first_year, last_year)),
        priority_tasks=tuple(tasks), funds=tuple(lines), indicator_ids=catalog.ids,
        gaps=(*evaluation.gaps, *evaluation.notes()),
    )
