"""A wheel works on its own: built from the source distribution, installed into a fresh
environment and run from a folder outside the project, it renders a report.

Nothing is downloaded: the build uses this environment's setuptools (the ``test``
extra), and the fresh environment reaches the dependencies through a ``.pth`` line
naming this environment's site-packages (whose own ``.pth`` files, among them an
editable install of the project, are not run) and never the project folder.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
from packaging.version import Version

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "wkus_lib", "notebooks")
"""What the build reads; the source distribution takes from it what MANIFEST.in and
pyproject.toml name."""
CHECKPOINT = Path("notebooks") / ".ipynb_checkpoints" / "ex_post-checkpoint.ipynb"
GMINA, STAGE, AREA = "2013023", "ex_post", "pomoc_spoleczna"
TIMEOUT_S = 600
BUILD_SDIST = ("import sys; from setuptools import build_meta; "
               "print(build_meta.build_sdist(sys.argv[1]))")
"""What ``python -m build --sdist`` calls (PEP 517), without the ``build`` package."""
WHERE_FROM = ("import sys, wkus_lib; from wkus_lib.store import locate; "
              "print(wkus_lib.__file__); print(locate.NOTEBOOKS_DIR); "
              "print(locate.PROJECT_DIR); print(*sys.path, sep='\\n')")
"""Prints where the package, its notebooks and its project are, then ``sys.path``."""


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[str, str]:
    """stdout and stderr of a command that must succeed."""
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=TIMEOUT_S, check=False)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout, result.stderr


def _build_tools_missing() -> str | None:
    """Why this interpreter cannot build a wheel offline (None: it can)."""
    if Version(metadata.version("setuptools")) >= Version("70.1"):
        return None
    try:
        metadata.version("wheel")
    except metadata.PackageNotFoundError:
        return (f"setuptools {metadata.version('setuptools')} bez pakietu wheel nie zbuduje "
                "pakietu wheel bez sieci; zainstaluj dodatki testowe: "
                "python -m pip install -e '.[test]' (robi to make)")
    return None


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's wheel, built like ``python -m build``: sources → sdist → wheel."""
    missing = _build_tools_missing()
    if missing:
        pytest.fail(missing)
    root = tmp_path_factory.mktemp("build")
    sources = root / "src"
    sources.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, sources / name, ignore=ignore)
        else:
            shutil.copy2(source, sources / name)
    (sources / CHECKPOINT).parent.mkdir()
    (sources / CHECKPOINT).write_text("{}", encoding="utf-8")  # JupyterLab's, never shipped
    sdist = _run([sys.executable, "-c", BUILD_SDIST, str(root / "dist")],
                 cwd=sources)[0].strip().splitlines()[-1]
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
          "--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir", str(root / "wheels"),
          str(root / "dist" / sdist)], cwd=root)
    [built] = (root / "wheels").glob("wkus-*.whl")
    return built


def test_the_wheel_carries_notebooks_templates_and_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    notebooks = {f"wkus_lib/{p.relative_to(ROOT).as_posix()}"
                 for p in (ROOT / "notebooks").rglob("*.ipynb")
                 if ".ipynb_checkpoints" not in p.parts}
    assert "wkus_lib/notebooks/ex_post.ipynb" in notebooks
    assert "wkus_lib/notebooks/workshop/src/01_co_zmienia_kontrakt.ipynb" in notebooks
    assert notebooks <= names, sorted(notebooks - names)
    assert not [n for n in names if "checkpoint" in n]
    for shipped in ("wkus_lib/templates/wkus_report/index.html.j2",
                    "wkus_lib/templates/program/program.html.j2",
                    "wkus_lib/data/indicators.yaml", "wkus_lib/data/gminy_terc_2024-01-01.csv",
                    "wkus_lib/locale/en/ex_post.po"):
        assert shipped in names, shipped
    assert not [n for n in names if n.startswith(("notebooks/", "tests/", "data/"))]


def test_an_installed_wheel_renders_a_report_outside_the_project(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    # Installed before the dependencies are reachable: pip sees an empty environment.
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
          "--disable-pip-version-check", "--no-deps", "--no-index", str(wheel)], cwd=tmp_path)
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "WKUS_STORE", "JUPYTER_PATH"}}
    env["PYTHONNOUSERSITE"] = "1"
    # The dependencies' data files (nbconvert's templates) are in this environment's prefix.
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    purelib = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                        cwd=tmp_path, env=env)[0].strip())
    (purelib / "project_dependencies.pth").write_text(
        "".join(f"{folder}\n" for folder in site.getsitepackages()), encoding="utf-8")

    work = tmp_path / "ewaluacja"
    work.mkdir()
    where = _run([str(python), "-c", WHERE_FROM], cwd=work, env=env)[0].splitlines()
    package, notebooks, project, path = Path(where[0]), Path(where[1]), where[2], where[3:]
    assert package.parent == purelib / "wkus_lib"
    assert notebooks == purelib / "wkus_lib" / "notebooks"
    assert project == "None"
    assert not [p for p in path if p and Path(p).resolve() == ROOT]

    wkus = str(venv / "bin" / "wkus")
    _run([wkus, "demo-data"], cwd=work, env=env)
    _, progress = _run([wkus, "report", "--gmina", GMINA, "--stage", STAGE, "--area", AREA,
                        "--format", "html", "--jobs", "1"], cwd=work, env=env)
    assert f"Magazyn danych: {(work / 'data' / 'store').resolve()}." in progress
    [html] = (work / "reports").glob(f"{GMINA}-*/{STAGE}/{AREA}.html")
    text = html.read_text(encoding="utf-8")
    assert "Ciechanowiec" in text and "DANE SYNTETYCZNE" in text
    assert not (purelib / "data").exists() and not (notebooks / "data").exists()
