"""The library passes mypy in strict mode, with the configuration in ``pyproject.toml``."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_configuration_is_strict() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    # Untyped libraries are named one by one in an override, never ignored wholesale.
    assert config["ignore_missing_imports"] is False
    for override in config.get("overrides", []):
        assert not any(module in ("*", "wkus_lib", "wkus_lib.*")
                       for module in override["module"]), override


@pytest.mark.slow
def test_mypy_finds_nothing(tmp_path: Path) -> None:
    # A cache of its own, so parallel runs never share (or clash on) one.
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy-cache"), "wkus_lib"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout, result.stdout
