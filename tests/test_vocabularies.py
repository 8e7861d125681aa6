"""Each closed vocabulary is declared once, in wkus_lib.domain; code names a value by its constant.

The package's source is parsed, not run: a string literal equal to a contract
mode, an evaluation stage or a report kind anywhere outside ``domain.py`` fails
(data files and YAML keep their strings; docstrings are whole texts, never equal).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest

from wkus_lib import domain

PACKAGE = Path(domain.__file__).parent
DOMAIN_FILE = Path(domain.__file__)
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "contract modes": domain.CONTRACT_MODES,
    "evaluation stages": domain.STAGE_IDS,
    "report kinds": domain.REPORT_KINDS,
}
DOMAIN_ONLY_NAMES = ("LIKERT_MIN", "LIKERT_MAX")


def string_literals(source: str) -> Iterator[tuple[int, str]]:
    """(line, value) of every string constant in Python ``source``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


def assigned_names(source: str) -> Iterator[tuple[int, str]]:
    """(line, name) of every module- or function-level name assigned in ``source``."""
    for node in ast.walk(ast.parse(source)):
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, ast.AnnAssign) else [])
        yield from ((t.lineno, t.id) for t in targets if isinstance(t, ast.Name))


def package_sources() -> Iterator[tuple[str, str]]:
    """(path relative to the repository, text) of every module but ``domain.py``."""
    for path in sorted(PACKAGE.rglob("*.py")):
        if path != DOMAIN_FILE:
            yield str(path.relative_to(PACKAGE.parent)), path.read_text(encoding="utf-8")


def test_the_scanner_finds_a_literal_and_a_declaration() -> None:
    source = 'MODE = "multi_year"\nrows = frame[frame["mode"] == "multi_year"]\n'
    assert [line for line, value in string_literals(source) if value == "multi_year"] == [1, 2]
    assert [name for _line, name in assigned_names(source)] == ["MODE", "rows"]


@pytest.mark.parametrize("vocabulary", sorted(VOCABULARIES))
def test_a_vocabulary_value_is_written_as_a_literal_only_in_domain(vocabulary: str) -> None:
    values = set(VOCABULARIES[vocabulary])
    found = [f"{path}:{line}: {value!r}" for path, text in package_sources()
             for line, value in string_literals(text) if value in values]
    assert found == [], (
        f"{vocabulary}: name the value by its constant in wkus_lib.domain (MULTI_YEAR, "
        "EX_POST, BENCHMARK, …), not by a string:\n" + "\n".join(found))


def test_likert_bounds_are_declared_only_in_domain() -> None:
    found = [f"{path}:{line}: {name}" for path, text in package_sources()
             for line, name in assigned_names(text) if name in DOMAIN_ONLY_NAMES]
    assert found == []
    assert (domain.LIKERT_MIN, domain.LIKERT_MAX) == (1, 5)


def test_constants_and_tuples_match_the_literal_types() -> None:
    assert domain.STAGE_IDS == get_args(domain.StageId)
    assert domain.CONTRACT_MODES == get_args(domain.ContractMode)
    assert domain.REPORT_KINDS == (*get_args(domain.StageId), *get_args(domain.GminaReportKind))
    assert (domain.EX_ANTE, domain.ON_GOING, domain.EX_POST) == domain.STAGE_IDS
    assert (domain.GMINA_OVERVIEW, domain.BENCHMARK) == domain.REPORT_KINDS[-2:]
    assert (domain.MULTI_YEAR, domain.ANNUAL_GRANT) == domain.CONTRACT_MODES
