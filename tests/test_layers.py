"""The package's layers: every import points down (or sideways), never up.

``wkus_lib`` is built in layers, from the lowest (no dependencies inside the
package) to the command line. A module may import from its own layer or a
lower one; an import from a higher layer is a back-arrow and fails the test,
naming the file, the line and the arrow. Imports inside functions count too.
Rules and calculations (``metrics/``, ``evaluation/``) return numbers and
records; wording is made in ``report/`` and above, so they do not translate.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Final

import pytest

import wkus_lib

PACKAGE: Final = Path(wkus_lib.__file__).resolve().parent

LAYERS: Final[tuple[tuple[str, ...], ...]] = (
    ("errors", "startup", "text"),
    ("domain", "schemas", "files"),
    ("catalog",),
    ("metrics",),
    ("store",),
    ("intake",),
    ("evaluation",),
    ("report", "statutory"),
    ("batch",),
    ("explore", "program", "workshop", "demo", "instruments"),
    ("cli",),
)
"""The layers from low to high: a module may import only from its rank or below."""
RANK: Final = {name: rank for rank, names in enumerate(LAYERS) for name in names}

NO_TRANSLATION: Final = ("metrics", "evaluation")
"""Layers that must not import the translation functions (no prose there)."""
I18N: Final = "wkus_lib.text.i18n"
PROSE_KEPT: Final[dict[str, str]] = {
    "evaluation/data_gaps.py": "the Polish `brak danych` lines every command prints; its "
                               "table names are marked (N_) for the reports to translate",
}
"""Modules of those layers that still word text, each with the reason."""


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _layer(module: str) -> str:
    """The top-level part of ``wkus_lib.<part>...`` (a package or a module)."""
    return module.split(".")[1]


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, imported wkus_lib module) of every import, nested ones included."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names
                      if a.name.startswith("wkus_lib.")]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "wkus_lib":
                found += [(node.lineno, f"wkus_lib.{a.name}") for a in node.names]
            elif node.module.startswith("wkus_lib."):
                found.append((node.lineno, node.module))
    return found


def back_arrows(path: Path, root: Path = PACKAGE) -> list[str]:
    """``file:line: layer (rank) → module (rank)`` for each import from a higher layer.

    ``path`` is a module of the package at ``root``.
    """
    relative = path.relative_to(root)
    own = relative.parts[0].removesuffix(".py")
    if own == "__init__":
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    arrows = []
    for line, module in _imports(tree):
        target = _layer(module)
        if target not in RANK:
            arrows.append(f"{relative}:{line}: {module} is in no layer (add it to LAYERS)")
        elif RANK[target] > RANK[own]:
            arrows.append(f"{relative}:{line}: {own} (rank {RANK[own]}) → {module} "
                          f"(rank {RANK[target]})")
    return arrows


def test_every_top_level_part_of_the_package_has_a_layer() -> None:
    parts = {p.relative_to(PACKAGE).parts[0].removesuffix(".py") for p in _modules()}
    assert parts - {"__init__"} <= set(RANK), sorted(parts - {"__init__"} - set(RANK))


def test_no_module_imports_from_a_higher_layer() -> None:
    arrows = [arrow for path in _modules() for arrow in back_arrows(path)]
    assert not arrows, "Imports from a higher layer:\n" + "\n".join(arrows)


def test_rules_and_calculations_do_not_translate() -> None:
    offenders = []
    for path in _modules():
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] not in NO_TRANSLATION or relative.as_posix() in PROSE_KEPT:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        offenders += [f"{relative}:{line}" for line, module in _imports(tree)
                      if module == I18N]
    assert not offenders, "Translation in a rules layer:\n" + "\n".join(offenders)


def test_prose_exceptions_are_real() -> None:
    """An exception that no longer translates must leave the list."""
    for name in PROSE_KEPT:
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        assert any(module == I18N for _line, module in _imports(tree)), name


@pytest.mark.parametrize(("source", "arrow"), [
    ("from wkus_lib.report.context import ReportContext\n",
     "evaluation (rank 6) → wkus_lib.report.context (rank 7)"),
    ("def f():\n    import wkus_lib.cli\n", "evaluation (rank 6) → wkus_lib.cli (rank 10)"),
    ("from wkus_lib import batch\n", "evaluation (rank 6) → wkus_lib.batch (rank 8)"),
])
def test_a_back_arrow_is_named_with_file_and_line(tmp_path: Path, source: str,
                                                  arrow: str) -> None:
    fake = tmp_path / "evaluation" / "bad.py"
    fake.parent.mkdir()
    fake.write_text("from wkus_lib.metrics import funnel\n" + source, encoding="utf-8")
    arrows = back_arrows(fake, tmp_path)
    assert len(arrows) == 1 and arrows[0].startswith("evaluation/bad.py:")
    assert arrows[0].endswith(arrow)


def test_downward_and_sideways_imports_pass(tmp_path: Path) -> None:
    fake = tmp_path / "report" / "fine.py"
    fake.parent.mkdir()
    fake.write_text("from wkus_lib.statutory import report\nimport wkus_lib.text.i18n\n"
                    "from wkus_lib.report.context import ReportContext\n", encoding="utf-8")
    assert back_arrows(fake, tmp_path) == []
