"""``wkus workshop``: participant and trainer notebooks from one source per workshop.

A source notebook (``notebooks/workshop/src/NN_name.ipynb``) is a complete,
solved workshop. Cell tags decide what each audience gets:

- ``solution`` (code): the trainer keeps it; the participant gets an exercise
  stub — the cell's leading comment lines (the task), its imports and
  ``name = ...`` for every name the solution assigns at top level, tagged
  ``exercise``;
- ``trainer`` (any cell): only in the trainer version (notes, discussion).

Both versions are written with outputs stripped. The participant versions are
committed in ``notebooks/workshop/`` (a test keeps them equal to what this
module generates); trainer versions get the suffix ``-prowadzacy``. Heavy
imports stay inside functions: ``wkus --help`` imports this module.
"""

from __future__ import annotations

import ast
import copy
from pathlib import Path
from typing import TYPE_CHECKING, Final

from wkus_lib.errors import InputError
from wkus_lib.store.locate import NOTEBOOKS_DIR

if TYPE_CHECKING:
    from nbformat import NotebookNode

WORKSHOP_DIR: Final = NOTEBOOKS_DIR / "workshop"
SOURCE_DIR: Final = WORKSHOP_DIR / "src"
SOLUTION_TAG: Final = "solution"
EXERCISE_TAG: Final = "exercise"
TRAINER_TAG: Final = "trainer"
TRAINER_SUFFIX: Final = "-prowadzacy"
STUB_COMMENT: Final = "  # uzupełnij"
UNUSED_IMPORT: Final = "  # noqa: F401 (przyda się w odpowiedzi)"
TRAINER_BANNER: Final = (
    "> **Wersja dla prowadzącego** — z rozwiązaniami ćwiczeń i notatkami do dyskusji. "
    "Uczestnicy dostają wersję z pustymi polami odpowiedzi (`wkus workshop KATALOG`)."
)


def _tags(cell: NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _parse(source: str, label: str) -> ast.Module:
    try:
        return ast.parse(source)
    except SyntaxError as error:
        raise InputError(
            f"błąd składni w rozwiązaniu: {error.msg}", file=label, row=error.lineno,
            hint="Popraw komórkę w notatniku źródłowym.",
        ) from error


def _imports(tree: ast.Module, source: str) -> list[str]:
    """The solution's top-level imports, kept for the participant (unused until answered)."""
    return [
        f"{ast.get_source_segment(source, node)}{UNUSED_IMPORT}"
        for node in tree.body if isinstance(node, ast.Import | ast.ImportFrom)
    ]


def _assigned_names(tree: ast.Module) -> list[str]:
    """Names a solution assigns at top level, in order (the answers to fill in)."""
    names: list[str] = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign | ast.AugAssign) else [])
        for target in targets:
            if isinstance(target, ast.Name) and target.id not in names:
                names.append(target.id)
    return names


def exercise_stub(source: str, label: str) -> str:
    """The participant's cell for a solution: its leading comments, imports and ``name = ...``.

    Examples
    --------
    >>> print(exercise_stub("# Policz koszt.\\nodpowiedz = 10 / 2", "x.ipynb"))
    # Policz koszt.
    odpowiedz = ...  # uzupełnij
    """
    lines = source.splitlines()
    task = []
    for line in lines:
        if not line.startswith("#"):
            break
        task.append(line)
    tree = _parse(source, label)
    names = _assigned_names(tree)
    if not names:
        raise InputError(
            "komórka z tagiem „solution” niczego nie przypisuje, więc uczestnik nie miałby "
            "czego uzupełnić", file=label, value=source[:60],
            hint="Rozwiązanie powinno kończyć się przypisaniem, np. „odpowiedz = …”.",
        )
    stubs = [f"{name} = ...{STUB_COMMENT}" for name in names]
    imports = _imports(tree, source)
    return "\n".join([*task, *imports, *([""] if imports else []), *stubs])


def _stripped(cell: NotebookNode) -> NotebookNode:
    cell = copy.deepcopy(cell)
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
    return cell


def participant_notebook(source: NotebookNode, label: str) -> NotebookNode:
    """Solutions replaced by exercise stubs, trainer notes dropped, outputs stripped."""
    nb = copy.deepcopy(source)
    cells = []
    for cell in source.cells:
        tags = _tags(cell)
        if TRAINER_TAG in tags:
            continue
        cell = _stripped(cell)
        if SOLUTION_TAG in tags:
            cell.source = exercise_stub(cell.source, f"{label}, komórka {cell.get('id', '?')}")
            cell.metadata["tags"] = [EXERCISE_TAG if t == SOLUTION_TAG else t for t in tags]
        cells.append(cell)
    nb.cells = cells
    return nb


def trainer_notebook(source: NotebookNode) -> NotebookNode:
    """The whole source with a banner after the title cell, outputs stripped."""
    import nbformat

    nb = copy.deepcopy(source)
    banner = nbformat.v4.new_markdown_cell(  # type: ignore[no-untyped-call]
        TRAINER_BANNER, id="trainer-banner"
    )
    banner.metadata["tags"] = [TRAINER_TAG]
    cells = [_stripped(cell) for cell in source.cells]
    nb.cells = [*cells[:1], banner, *cells[1:]]
    return nb


def source_notebooks(source_dir: Path = SOURCE_DIR) -> list[Path]:
    """The source notebooks, in workshop order (file names start with the number)."""
    paths = sorted(source_dir.glob("*.ipynb"))
    if not paths:
        raise InputError(
            "brak notatników źródłowych warsztatów", file=str(source_dir),
            hint="Podaj katalog z plikami NN_nazwa.ipynb (opcja --source).",
        )
    return paths


def output_name(source: Path, *, trainer: bool) -> str:
    """``01_x.ipynb`` → ``01_x.ipynb`` (participant) or ``01_x-prowadzacy.ipynb`` (trainer)."""
    return f"{source.stem}{TRAINER_SUFFIX}.ipynb" if trainer else source.name


def render(source: Path, *, trainer: bool) -> str:
    """The generated notebook's text for one source file."""
    import nbformat

    nb = nbformat.read(source, as_version=4)  # type: ignore[no-untyped-call]
    out = trainer_notebook(nb) if trainer else participant_notebook(nb, source.name)
    nbformat.validate(out)
    text: str = nbformat.writes(out)  # type: ignore[no-untyped-call]
    return text + "\n"


def build_workshop(
    out_dir: Path, *, trainer: bool = False, source_dir: Path = SOURCE_DIR
) -> list[Path]:
    """Write every workshop's participant (or trainer) notebook into ``out_dir``."""
    from wkus_lib.files.atomic import atomic_write_bytes

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source in source_notebooks(source_dir):
        target = out_dir / output_name(source, trainer=trainer)
        atomic_write_bytes(target, render(source, trainer=trainer).encode("utf-8"))
        written.append(target)
    return written


