"""Report notebooks stand on their own under the stock papermill command line.

``papermill -p teryt 2002063`` hands the notebook the integer 2002063 (and
``0201011`` becomes 201011); the notebook must restore the code, find the
store from any folder by the documented rule and name the right gmina.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wkus_lib.batch.selection import latest_year, supported_reports
from wkus_lib.demo import DemoSummary
from wkus_lib.store import read_store, write_store
from wkus_lib.store.locate import NOTEBOOKS_DIR, STORE_ENV_VARIABLE

PAPERMILL = Path(sys.executable).with_name("papermill")
LAPY = "2002063"

pytestmark = pytest.mark.slow


def _ex_ante_area(store_dir: Path, teryt: str) -> tuple[str, int]:
    contracts = read_store(store_dir).contracts
    year = latest_year(contracts)
    areas = sorted(str(area) for kind, code, area in supported_reports(contracts, year)
                   if kind == "ex_ante" and code == teryt)
    assert areas, "the demo has an ex-ante report for Łapy"
    return areas[0], year


def _papermill(arguments: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(PAPERMILL), str(NOTEBOOKS_DIR / "ex_ante.ipynb"), "out.ipynb", "--log-level", "ERROR",
         *arguments],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False,
    )


def _output_text(path: Path) -> str:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    parts: list[str] = []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            parts += [str(value) for value in output.get("data", {}).values()]
            parts.append("".join(output.get("text", "")))
            parts += output.get("traceback", [])
    return "\n".join(parts)


def _environment_without_store_variable() -> dict[str, str]:
    return {key: value for key, value in os.environ.items() if key != STORE_ENV_VARIABLE}


def test_teryt_as_a_number_and_a_relative_store_from_another_folder(
    demo: DemoSummary, tmp_path: Path
) -> None:
    area, year = _ex_ante_area(demo.store_dir, LAPY)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    relative_store = os.path.relpath(demo.store_dir, elsewhere)
    run = _papermill(
        ["-p", "teryt", LAPY, "-p", "area", area, "-p", "year", str(year),
         "-p", "store_dir", relative_store],
        cwd=elsewhere, env=_environment_without_store_variable(),
    )
    assert run.returncode == 0, run.stderr[-3000:]
    text = _output_text(elsewhere / "out.ipynb")
    assert "Łapy" in text and "Traceback" not in text
    injected = json.loads((elsewhere / "out.ipynb").read_text(encoding="utf-8"))
    assert any("teryt = 2002063" in "".join(cell["source"]) for cell in injected["cells"]), \
        "papermill really passed an integer"


def test_a_leading_zero_lost_by_papermill_and_the_store_from_the_variable(
    demo: DemoSummary, tmp_path: Path
) -> None:
    """Łapy's rows relabelled as Bolesławiec (0201011): papermill makes the code 201011."""
    area, year = _ex_ante_area(demo.store_dir, LAPY)
    lapy = read_store(demo.store_dir).for_gmina(LAPY)
    store_dir = tmp_path / "store"
    write_store({name: frame.assign(teryt="0201011") if "teryt" in frame.columns else frame
                 for name, frame in lapy.tables().items()}, store_dir, synthetic=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**_environment_without_store_variable(), STORE_ENV_VARIABLE: str(store_dir)}
    run = _papermill(["-p", "teryt", "0201011", "-p", "area", area, "-p", "year", str(year)],
                     cwd=elsewhere, env=env)
    assert run.returncode == 0, run.stderr[-3000:]
    text = _output_text(elsewhere / "out.ipynb")
    assert "Bolesławiec" in text and "Traceback" not in text
    injected = json.loads((elsewhere / "out.ipynb").read_text(encoding="utf-8"))
    assert any("teryt = 201011" in "".join(cell["source"]) for cell in injected["cells"])


def test_no_store_anywhere_fails_in_polish_naming_the_folders_tried(tmp_path: Path) -> None:
    env = _environment_without_store_variable()
    run = _papermill(["-p", "teryt", LAPY, "-p", "area", "sport",
                      "-p", "store_dir", str(tmp_path / "brak")], cwd=tmp_path, env=env)
    assert run.returncode != 0
    text = _output_text(tmp_path / "out.ipynb")
    assert "Magazyn danych: podany katalog" in text and str(tmp_path / "brak") in text
