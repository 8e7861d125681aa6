"""`wkus demo-data --voivodeship`: every gmina of one voivodeship of the registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary, write_demo
from wkus_lib.demo.voivodeship import VOIVODESHIPS, resolve_voivodeship, voivodeship_gminy
from wkus_lib.domain import PILOT_TERYT, load_gminy
from wkus_lib.errors import ParameterError
from wkus_lib.store import read_store

SEED = 2024


@pytest.fixture(scope="module")
def podlaskie(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    root = tmp_path_factory.mktemp("podlaskie")
    return write_demo(root / "raw", root / "store", seed=SEED, voivodeship="podlaskie")


def test_the_sixteen_voivodeships_are_those_of_the_registry() -> None:
    registry = load_gminy()
    assert {(g.teryt[:2], g.voivodeship) for g in registry.values()} == set(VOIVODESHIPS.items())
    assert len(VOIVODESHIPS) == 16


@pytest.mark.parametrize(("choice", "code"), [
    ("podlaskie", "20"), ("PODLASKIE", "20"), (" Podlaskie ", "20"), ("20", "20"),
    ("Slaskie", "24"), ("ŚLĄSKIE", "24"), ("swietokrzyskie", "26"), ("2", "02"),
    ("02", "02"), ("warminsko mazurskie", "28"), ("woj. pomorskie", "22"),
    ("Województwo Łódzkie", "10"), ("kujawsko-pomorskie", "04"),
])
def test_a_voivodeship_is_named_by_name_in_any_form_or_by_terc_code(
    choice: str, code: str
) -> None:
    assert resolve_voivodeship(choice) == code


@pytest.mark.parametrize("choice", ["mazowsze", "podlasie", "21", "200", "", "pomorskie zach"])
def test_an_unknown_voivodeship_is_refused_listing_all_sixteen(choice: str) -> None:
    with pytest.raises(ParameterError) as refused:
        resolve_voivodeship(choice)
    message = str(refused.value)
    assert f"Nieznane województwo „{choice}”" in message
    for code, name in VOIVODESHIPS.items():
        assert f"{name} ({code})" in message


def test_every_gmina_of_podlaskie_in_the_registry_is_in_the_store(
    podlaskie: DemoSummary,
) -> None:
    expected = {g.teryt for g in load_gminy().values() if g.voivodeship == "podlaskie"}
    assert len(expected) == 118
    assert {g.teryt for g in voivodeship_gminy("20")} == expected
    store = read_store(podlaskie.store_dir)
    assert set(store.contracts["teryt"]) == expected
    assert podlaskie.gminy == 118
    assert set(PILOT_TERYT) <= set(store.survey_responses["teryt"])
    assert store.synthetic
    # No deliberate problems outside the pilot demo: every generated row is stored.
    assert podlaskie.problems.empty
    readme = (podlaskie.raw_dir / "README.txt").read_text(encoding="utf-8")
    assert "Województwo podlaskie (kod TERC 20)" in readme
    assert "liczba gmin: 118" in readme


def test_the_same_seed_gives_the_same_store(podlaskie: DemoSummary, tmp_path: Path) -> None:
    again = write_demo(tmp_path / "raw", tmp_path / "store", seed=SEED, voivodeship="20")
    assert again.data_hash == podlaskie.data_hash
    other = write_demo(tmp_path / "raw2", tmp_path / "store2", seed=SEED + 1,
                       voivodeship="20")
    assert other.data_hash != podlaskie.data_hash


def test_cli_generates_a_voivodeship(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["demo-data", "--voivodeship", "Opolskie", "--raw-dir", str(tmp_path / "raw"),
                 "--store", str(tmp_path / "store")])
    out = capsys.readouterr().out
    count = sum(1 for g in load_gminy().values() if g.voivodeship == "opolskie")
    assert code == 0
    assert f"Województwo opolskie (kod TERC 16): {count} gmin z rejestru TERYT" in out
    assert read_store(tmp_path / "store").contracts["teryt"].nunique() == count


def test_cli_refuses_an_unknown_voivodeship_in_polish(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["demo-data", "--voivodeship", "Mazowsze", "--raw-dir", str(tmp_path / "raw"),
                 "--store", str(tmp_path / "store")])
    err = capsys.readouterr().err
    assert code == 2
    assert "Błąd: Nieznane województwo „Mazowsze”" in err
    assert "świętokrzyskie (26)" in err and "warmińsko-mazurskie (28)" in err
    assert "Traceback" not in err
    assert not (tmp_path / "store").exists() and not (tmp_path / "raw").exists()
