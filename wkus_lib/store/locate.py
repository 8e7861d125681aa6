"""Where the data store is: one rule for notebooks and commands, from any folder.

The rule, in order (the first that applies is the only one tried):

1. a folder given explicitly (``store_dir`` of a notebook, ``--store`` of a
   command); a relative path is relative to the current folder (in
   JupyterLab: the notebook's folder; under papermill or on the command
   line: the folder it was started from);
2. else the environment variable :data:`STORE_ENV_VARIABLE` (``WKUS_STORE``);
3. else ``data/store`` of the project folder (:data:`PROJECT_DIR`: the source
   checkout the package runs from); an install from a wheel has no project
   folder, so it is ``data/store`` of the current folder (where ``wkus
   demo-data`` writes by default).

The folder must hold a store (its ``manifest.json``); otherwise a Polish
error names every folder tried. A different store is never used silently.
A form that creates the store on its first save (the self-assessment) asks
with ``new_allowed=True`` and gets the folder the rule chooses even when it
holds no store yet.

The notebooks follow one rule too (:func:`installation_dirs`): the package's
own ``notebooks`` folder when it carries one (a wheel: the build copies the
project's top-level ``notebooks/`` there as package data), else the
``notebooks/`` folder of the source checkout (an editable install, or the
checkout on ``PYTHONPATH``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Final

from wkus_lib.errors import ParameterError

STORE_ENV_VARIABLE: Final = "WKUS_STORE"
NOTEBOOKS: Final = "notebooks"
"""The notebooks folder's name: at the project's top level, and inside the package of a wheel."""


def installation_dirs(package_dir: Path) -> tuple[Path | None, Path]:
    """The project folder and the notebooks folder of the ``wkus_lib`` package at ``package_dir``.

    A package that carries its notebooks (installed from a wheel) has no project
    folder (None); otherwise the package runs from a source checkout, the project,
    whose top-level ``notebooks/`` holds them.
    """
    packaged = package_dir / NOTEBOOKS
    if packaged.is_dir():
        return None, packaged
    return package_dir.parent, package_dir.parent / NOTEBOOKS


PROJECT_DIR, NOTEBOOKS_DIR = installation_dirs(Path(str(resources.files("wkus_lib"))).resolve())
"""The project folder (the one with ``notebooks/`` and ``data/``; None when installed from a
wheel) and the folder of the report, explorer, self-assessment and workshop notebooks."""
PROJECT_STORE: Final = Path("data") / "store"
_MANIFEST: Final = "manifest.json"
_HOW_TO_FIX: Final = (
    "Podaj katalog magazynu (w notatniku parametr store_dir, w poleceniu --store), "
    f"ustaw zmienną środowiskową {STORE_ENV_VARIABLE} albo utwórz magazyn poleceniem "
    "„wkus demo-data” lub „wkus import”."
)


def locate_store(
    store_dir: str | Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    project_dir: Path | None = PROJECT_DIR,
    new_allowed: bool = False,
) -> Path:
    """The absolute folder of the data store by the module's rule.

    ``store_dir`` empty or None means "find it". ``environ``, ``cwd`` and
    ``project_dir`` default to the process's own (given only by tests);
    ``project_dir`` None (a wheel) means the current folder.
    ``new_allowed``: the chosen folder may hold no store yet (it will be
    created there); it must not be a file.

    Raises
    ------
    ParameterError
        The chosen folder holds no store; the message names the folders tried.
    """
    environ = os.environ if environ is None else environ
    base = Path.cwd() if cwd is None else cwd
    if store_dir is not None and str(store_dir).strip():
        return _existing_store(_absolute(store_dir, base), f"podany katalog „{store_dir}”", base,
                               new_allowed)
    from_environment = environ.get(STORE_ENV_VARIABLE, "").strip()
    if from_environment:
        return _existing_store(
            _absolute(from_environment, base),
            f"katalog ze zmiennej {STORE_ENV_VARIABLE} („{from_environment}”)", base, new_allowed,
        )
    project_store = ((base if project_dir is None else project_dir) / PROJECT_STORE).resolve()
    if (project_store / _MANIFEST).is_file() or (new_allowed and not project_store.is_file()):
        return project_store
    where = "katalog projektu" if project_dir is not None else "bieżący katalog"
    raise ParameterError(
        "Nie znaleziono magazynu danych. Sprawdzono: parametr store_dir/--store (pusty); "
        f"zmienna {STORE_ENV_VARIABLE} (nieustawiona); {where} {project_store} "
        f"(brak {_MANIFEST}). {_HOW_TO_FIX}"
    )


def _absolute(path: str | Path, base: Path) -> Path:
    given = Path(path).expanduser()
    return (given if given.is_absolute() else base / given).resolve()


def _existing_store(folder: Path, what: str, base: Path, new_allowed: bool) -> Path:
    if (folder / _MANIFEST).is_file() or (new_allowed and not folder.is_file()):
        return folder
    problem = ("nie istnieje" if not folder.exists()
               else "wskazuje plik, a nie katalog" if folder.is_file()
               else f"nie zawiera magazynu (brak {_MANIFEST})")
    raise ParameterError(
        f"Magazyn danych: {what} → {folder} {problem}. Ścieżka względna liczy się od "
        f"bieżącego katalogu ({base}; w JupyterLab to katalog notatnika). {_HOW_TO_FIX}"
    )
