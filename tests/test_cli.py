"""The wkus command: clear Polish errors before any kernel starts; indicator CSV."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary


@pytest.mark.parametrize(
    ("option", "value", "named_choice"),
    [("--gmina", "9999999", "2013023 Ciechanowiec"), ("--area", "nieistnieje", "pomoc_spoleczna")],
)
def test_unknown_choice_fails_fast_listing_valid_choices(
    option: str, value: str, named_choice: str, demo: DemoSummary, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    started = time.perf_counter()
    code = main(["report", option, value, "--store", str(demo.store_dir),
                 "--out", str(tmp_path / "out")])
    elapsed = time.perf_counter() - started
    error = capsys.readouterr().err
    assert code == 2
    assert f"„{value}”" in error and named_choice in error
    assert elapsed < 5, "validation must not start kernels"
    assert not (tmp_path / "out").exists()


def test_missing_store_is_a_polish_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["indicators", "--store", str(tmp_path / "brak"), "--out", str(tmp_path / "x.csv")])
    assert code == 2
    assert "wkus demo-data" in capsys.readouterr().err


def test_indicators_command_writes_a_machine_csv(demo: DemoSummary, tmp_path: Path) -> None:
    out = tmp_path / "wskazniki.csv"
    assert main(["indicators", "--gmina", "2002063", "--stage", "ex_post",
                 "--store", str(demo.store_dir), "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"teryt": str})
    assert set(table["teryt"]) == {"2002063"}
    assert set(table["stage"]) == {"ex_post"}
    assert list(table.columns) == ["teryt", "area", "stage", "year", "indicator", "value", "n",
                                   "ci_low", "ci_high", "target", "status", "suppressed"]
    text = out.read_text(encoding="utf-8")
    assert "," in text.splitlines()[0] and ";" not in text  # decimal point, comma separator


def test_catalog_copy_loads_and_feeds_the_indicator_table(demo: DemoSummary, tmp_path: Path) -> None:
    folder = tmp_path / "katalog"
    assert main(["catalog", str(folder)]) == 0
    indicators = folder / "indicators.yaml"
    text = indicators.read_text(encoding="utf-8")
    assert "id: E3" in text
    out = tmp_path / "w.csv"
    assert main(["indicators", "--gmina", "2002063", "--catalog", str(folder),
                 "--store", str(demo.store_dir), "--out", str(out)]) == 0
    assert "E3" in set(pd.read_csv(out)["indicator"])


@pytest.mark.parametrize(("content", "named"), [
    (None, "Plik nie istnieje"),
    ("outcome,quantity\nx,1\n", "proxy_value"),
    (("outcome,quantity,proxy_value,deadweight,displacement,attribution,drop_off,"
      "duration_years\nx,1,100,1.5,0,0,0,1\n"), "deadweight"),
])
def test_bad_sroi_file_fails_before_any_report(
    content: str | None, named: str, demo: DemoSummary, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "sroi.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code = main(["report", "--stage", "ex_post", "--sroi-file", str(path),
                 "--store", str(demo.store_dir), "--out", str(tmp_path / "out")])
    error = capsys.readouterr().err
    assert code == 2
    assert "sroi.csv" in error and named in error
    assert not (tmp_path / "out").exists()
