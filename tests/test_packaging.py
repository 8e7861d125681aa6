"""The project's packaging: conda and pip agree, notebooks ship without outputs, one rule finds
the notebooks and the store in a checkout and in an install from a wheel."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$")


def _split(requirement: str) -> tuple[str, str]:
    match = _REQUIREMENT.match(requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_lists_exactly_the_pyproject_runtime_dependencies() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pip_deps = dict(_split(r) for r in pyproject["project"]["dependencies"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda_deps = dict(
        _split(d) for d in env["dependencies"] if isinstance(d, str) and _split(d)[0] not in {"python", "pip"}
    )
    assert conda_deps == pip_deps


def test_required_packages_are_dependencies() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = {_split(r)[0] for r in pyproject["project"]["dependencies"]}
    assert {"jupyterlab", "pandas", "matplotlib", "ipywidgets", "papermill"} <= names


def test_gpl_test_tools_are_not_runtime_dependencies() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = {_split(r)[0] for r in pyproject["project"]["dependencies"]}
    assert "pingouin" not in names


def test_required_layout_exists() -> None:
    for name in ("notebooks", "wkus_lib", "data", "reports", "tests", "docs"):
        assert (ROOT / name).is_dir(), name
    for name in ("environment.yml", "pyproject.toml", "Makefile", "README.md", ".ci/run",
                 "docs/ARCHITECTURE.md", "docs/DATA.md"):
        assert (ROOT / name).is_file(), name


def test_committed_notebooks_carry_no_outputs() -> None:
    notebooks = sorted(ROOT.glob("notebooks/**/*.ipynb"))
    assert notebooks, "no notebooks found"
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell.get("outputs") == [], f"{path.name}: outputs not stripped"
                assert cell.get("execution_count") is None, f"{path.name}: execution count left"


def test_the_gmina_register_ships_as_package_data() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "data/*" in pyproject["tool"]["setuptools"]["package-data"]["wkus_lib"]
    shipped = sorted(p.name for p in (ROOT / "wkus_lib" / "data").glob("gminy*.csv"))
    assert shipped == ["gminy_terc_2024-01-01.csv"]


def test_notebook_parameters_find_the_store_by_the_documented_rule() -> None:
    """An empty ``store_dir`` means: WKUS_STORE, else the project's store (wkus_lib.store.locate)."""
    for path in sorted(ROOT.glob("notebooks/*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        [parameters] = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
        source = "".join(parameters["source"])
        assert 'store_dir: str = ""' in source, path.name
        assert "data/store" not in "".join("".join(c["source"]) for c in nb["cells"]
                                           if c is not parameters), path.name


def test_one_rule_finds_the_notebooks_in_a_wheel_and_in_a_checkout(tmp_path: Path) -> None:
    from wkus_lib.explore.dashboard import EXPLORER_NOTEBOOK
    from wkus_lib.store.locate import NOTEBOOKS_DIR, PROJECT_DIR, installation_dirs
    from wkus_lib.workshop.build import WORKSHOP_DIR

    checkout = tmp_path / "projekt" / "wkus_lib"
    checkout.mkdir(parents=True)
    assert installation_dirs(checkout) == (tmp_path / "projekt", tmp_path / "projekt" / "notebooks")
    installed = tmp_path / "site-packages" / "wkus_lib"
    (installed / "notebooks").mkdir(parents=True)
    assert installation_dirs(installed) == (None, installed / "notebooks")
    # This checkout: the top-level notebooks, for every command that opens one.
    assert (PROJECT_DIR, NOTEBOOKS_DIR) == (ROOT, ROOT / "notebooks")
    assert EXPLORER_NOTEBOOK == ROOT / "notebooks" / "explore.ipynb"
    assert WORKSHOP_DIR == ROOT / "notebooks" / "workshop"


def test_without_a_project_folder_the_store_is_in_the_current_folder(tmp_path: Path) -> None:
    """An install from a wheel: ``wkus demo-data`` writes ``data/store`` here, reports read it."""
    from wkus_lib.errors import ParameterError
    from wkus_lib.store.locate import locate_store

    with pytest.raises(ParameterError, match="bieżący katalog .*brak manifest.json"):
        locate_store("", environ={}, cwd=tmp_path, project_dir=None)
    store = tmp_path / "data" / "store"
    assert locate_store("", environ={}, cwd=tmp_path, project_dir=None,
                        new_allowed=True) == store.resolve()
    store.mkdir(parents=True)
    (store / "manifest.json").write_text("{}", encoding="utf-8")
    assert locate_store("", environ={}, cwd=tmp_path, project_dir=None) == store.resolve()

