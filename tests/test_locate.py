"""One rule to find the store from any folder; never silently a different store."""

from __future__ import annotations

from pathlib import Path

import pytest

from wkus_lib.errors import ParameterError
from wkus_lib.store.locate import NOTEBOOKS_DIR, PROJECT_DIR, STORE_ENV_VARIABLE, locate_store


def _store(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "manifest.json").write_text("{}", encoding="utf-8")
    return folder


def test_project_dir_is_the_folder_of_the_installed_notebooks() -> None:
    assert NOTEBOOKS_DIR == PROJECT_DIR / "notebooks"
    assert (NOTEBOOKS_DIR / "ex_ante.ipynb").is_file()


def test_an_explicit_folder_wins_over_the_variable_and_the_project(tmp_path: Path) -> None:
    given = _store(tmp_path / "mine")
    other = _store(tmp_path / "other")
    project = tmp_path / "project"
    _store(project / "data" / "store")
    found = locate_store(str(given), environ={STORE_ENV_VARIABLE: str(other)},
                         project_dir=project)
    assert found == given.resolve()


def test_a_relative_folder_is_relative_to_the_current_folder(tmp_path: Path) -> None:
    store = _store(tmp_path / "ewaluacja" / "store")
    assert locate_store("store", environ={}, cwd=tmp_path / "ewaluacja") == store.resolve()
    assert locate_store("../ewaluacja/store", environ={}, cwd=tmp_path / "elsewhere") == store.resolve()


def test_the_variable_is_used_when_nothing_is_given(tmp_path: Path) -> None:
    store = _store(tmp_path / "env")
    project = tmp_path / "project"
    _store(project / "data" / "store")
    for given in ("", None, "  "):
        assert locate_store(given, environ={STORE_ENV_VARIABLE: str(store)},
                            project_dir=project) == store.resolve()


def test_the_project_store_is_the_last_resort(tmp_path: Path) -> None:
    project = tmp_path / "project"
    store = _store(project / "data" / "store")
    assert locate_store("", environ={}, cwd=tmp_path / "anywhere",
                        project_dir=project) == store.resolve()


def test_a_given_folder_without_a_store_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    project = tmp_path / "project"
    _store(project / "data" / "store")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ParameterError) as error:
        locate_store("empty", environ={}, cwd=tmp_path, project_dir=project)
    message = str(error.value)
    assert str((tmp_path / "empty").resolve()) in message and "brak manifest.json" in message
    with pytest.raises(ParameterError, match="nie istnieje"):
        locate_store(str(tmp_path / "missing"), environ={}, project_dir=project)


def test_a_variable_without_a_store_is_an_error_naming_the_variable(tmp_path: Path) -> None:
    project = tmp_path / "project"
    _store(project / "data" / "store")
    with pytest.raises(ParameterError, match=f"zmiennej {STORE_ENV_VARIABLE}.*nie istnieje"):
        locate_store("", environ={STORE_ENV_VARIABLE: str(tmp_path / "x")}, project_dir=project)


def test_no_store_anywhere_names_every_folder_tried(tmp_path: Path) -> None:
    with pytest.raises(ParameterError) as error:
        locate_store("", environ={}, project_dir=tmp_path / "project")
    message = str(error.value)
    assert message.startswith("Nie znaleziono magazynu danych. Sprawdzono:")
    assert f"zmienna {STORE_ENV_VARIABLE} (nieustawiona)" in message
    assert str((tmp_path / "project" / "data" / "store").resolve()) in message
    assert "wkus demo-data" in message


def test_a_new_store_may_be_chosen_only_when_asked_for(tmp_path: Path) -> None:
    project = tmp_path / "project"
    assert locate_store("nowy", environ={}, cwd=tmp_path, project_dir=project,
                        new_allowed=True) == (tmp_path / "nowy").resolve()
    assert locate_store("", environ={}, project_dir=project,
                        new_allowed=True) == (project / "data" / "store").resolve()
    (tmp_path / "plik").write_text("x", encoding="utf-8")
    with pytest.raises(ParameterError, match="plik"):
        locate_store("plik", environ={}, cwd=tmp_path, new_allowed=True)
    with pytest.raises(ParameterError, match="nie istnieje"):
        locate_store("nowy", environ={}, cwd=tmp_path, project_dir=project)


def test_import_without_store_uses_the_variable_not_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from wkus_lib.cli import main

    contracts = tmp_path / "umowy.csv"
    contracts.write_text(
        "contract_id;teryt;area;ngo_name;title;mode;form;start_year;end_year\n"
        "U/1/2024;2010092;sport;Klub Sportowy;Zajęcia;annual_grant;wspieranie;2024;2024\n",
        encoding="utf-8")
    chosen = tmp_path / "magazyn"
    elsewhere = tmp_path / "inny_katalog"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv(STORE_ENV_VARIABLE, str(chosen))
    assert main(["import", str(contracts)]) == 0
    assert f"Magazyn danych: {chosen}" in capsys.readouterr().out
    assert (chosen / "manifest.json").is_file()
    assert not (elsewhere / "data").exists()
