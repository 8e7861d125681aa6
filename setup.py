"""One build step beyond pyproject.toml: a wheel carries the notebooks.

The notebooks stay in the project's top-level ``notebooks/`` folder (users open
them in JupyterLab there). A wheel has no project folder, so building one copies
them into the package as ``wkus_lib/notebooks``, where
``wkus_lib.store.locate.installation_dirs`` finds them. An editable install
copies nothing: it reads the checkout's ``notebooks/``.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

NOTEBOOKS = Path("notebooks")


def notebook_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` but Jupyter checkpoints, caches and hidden files."""
    return sorted(
        path for path in folder.rglob("*")
        if path.is_file() and not any(part.startswith(".") or part == "__pycache__"
                                      for part in path.relative_to(folder).parts)
    )


class BuildPyWithNotebooks(build_py):
    """``build_py`` that also copies ``notebooks/`` into the built package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "wkus_lib" / NOTEBOOKS.name
        for source in notebook_files(NOTEBOOKS):
            destination = target / source.relative_to(NOTEBOOKS)
            self.mkpath(str(destination.parent))
            self.copy_file(str(source), str(destination))


setup(cmdclass={"build_py": BuildPyWithNotebooks})
