"""Help that teaches and errors that speak Polish: every ``wkus`` subcommand, argparse included."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wkus_lib.cli import build_parser, main
from wkus_lib.cli.parser import ARGPARSE_WORDS, polish, polish_argparse
from wkus_lib.domain import AREA_IDS, REPORT_KINDS

ENGLISH = ("usage", "options:", "show this help", "positional arguments", "error:",
           "invalid choice", "invalid int", "required:", "expected one argument")


def _subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--help"])
    assert stop.value.code == 0
    return capsys.readouterr().out


def test_every_subcommand_is_covered() -> None:
    assert {"report", "check", "indicators", "import", "dashboard", "program"} <= set(
        _subcommands())


@pytest.mark.parametrize("command", [[], *([name] for name in _subcommands())],
                         ids=lambda argv: " ".join(argv) or "wkus")
def test_help_is_polish_with_an_example_and_defaults(
    command: list[str], capsys: pytest.CaptureFixture[str],
) -> None:
    text = _help(command, capsys)
    lowered = text.lower()
    for word in ENGLISH:
        assert word not in lowered, f"{word!r} in `wkus {' '.join(command)} --help`"
    assert text.startswith("Użycie: wkus")
    assert "Przykład" in text
    assert "pokaż tę pomoc i zakończ" in text
    assert "%(" not in text, "an unexpanded %(default)s"
    for line in text.splitlines():
        assert len(line) <= 100 or line.startswith("  "), f"an unwrapped line: {line!r}"
    if command and "--store" in text:
        assert "domyślnie" in text


def test_report_help_lists_every_kind_area_language_and_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = " ".join(_help(["report"], capsys).split())
    for kind in REPORT_KINDS:
        assert kind in text
    for area in AREA_IDS:
        assert area in text
    assert "pl albo en (domyślnie: pl)" in text
    assert "(domyślnie: html,pdf,xlsx)" in text
    assert "(domyślnie: reports)" in text
    assert "Kody wyjścia" in text


def test_check_help_has_a_description(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(["check"], capsys)
    description = text.split("\n\n")[1]
    assert "Karta jakości danych" in description and "wartości odstające" in description


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["report", "--year", "abc"], "--year: „abc” nie jest rokiem: podaj cztery cyfry"),
        (["report", "--year", "24"], "„24” nie jest rokiem"),
        (["report", "--lang", "xx"], "--lang: niedozwolona wartość 'xx' (dozwolone: 'pl', 'en')"),
        (["report", "--jobs", "0"], "--jobs: „0”: podaj liczbę całkowitą dodatnią"),
        (["report", "--jobs", "dwa"], "--jobs: „dwa” nie jest liczbą całkowitą"),
        (["report", "--executor", "gpu"], "--executor: niedozwolona wartość 'gpu'"),
        (["indicators"], "brak wymaganych argumentów: --out"),
        (["indicators", "--out"], "--out: brak wartości (podaj jedną)"),
        (["report", "--nieznana"], "nieznane argumenty: --nieznana"),
        (["raport"], "niedozwolona wartość 'raport'"),
        ([], "brak wymaganych argumentów: POLECENIE"),
        (["dashboard", "--port", "x"], "--port: „x” nie jest liczbą całkowitą"),
        (["dashboard", "--port", "70000"], "--port: „70000”: port to liczba od 1 do 65535"),
        (["check", "--year", "20x4"], "--year: „20x4” nie jest rokiem"),
        (["demo-data", "--seed", "1.5"], "--seed: „1.5” nie jest liczbą całkowitą"),
    ],
)
def test_bad_option_values_are_polish_errors_with_exit_2(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert expected in error
    assert error.startswith("Użycie: wkus")
    assert "Pomoc i przykłady: wkus" in error
    for word in ENGLISH:
        assert word not in error.lower()


def test_argparse_speaks_english_again_outside_the_wkus_parser() -> None:
    with polish_argparse():
        with polish_argparse():
            assert argparse._("usage: ") == "Użycie: "  # type: ignore[attr-defined]
        assert argparse._("options") == "opcje"  # type: ignore[attr-defined]
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]
    plain = argparse.ArgumentParser(prog="x")
    assert plain.format_help().startswith("usage: x")


def test_every_message_argparse_builds_has_a_polish_version() -> None:
    """Guard against a Python upgrade adding English words: the argparse source's ``_()``
    strings, parsed, are all translated (except developer errors never shown to users)."""
    import ast

    source = Path(argparse.__file__).read_text(encoding="utf-8")
    calls = [node for node in ast.walk(ast.parse(source))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
             and node.func.id in ("_", "ngettext")]
    texts = {arg.value for call in calls for arg in call.args
             if isinstance(arg, ast.Constant) and isinstance(arg.value, str)}
    developer_only = {text for text in texts if any(mark in text for mark in (
        "required' is an invalid", "is not callable", "__call__", "cannot have multiple",
        "cannot merge actions", "conflicting", "dest= is required", "invalid conflict_resolution",
        "mutually exclusive arguments must", 'argument "-" with mode', "show program's version",
        "%(prog)s: error", "subcommands", "deprecated", "invalid option string"))}
    user_facing = texts - developer_only
    missing = sorted(text for text in user_facing if polish(text) == text)
    assert missing == []
    assert set(ARGPARSE_WORDS) >= {"usage: ", "options", "positional arguments"}


def test_an_unexpected_error_is_one_polish_line_and_debug_shows_the_traceback(
    tmp_path: Path,
) -> None:
    """A crash inside a handler (here: a store manifest that is JSON but not an object)."""
    store = tmp_path / "magazyn"
    store.mkdir()
    (store / "manifest.json").write_text("[1, 2]", encoding="utf-8")
    command = [sys.executable, "-m", "wkus_lib.cli", "indicators", "--store", str(store),
               "--out", str(tmp_path / "x.csv")]
    env = {**os.environ, "WKUS_DEBUG": ""}
    plain = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120,
                           check=False)
    assert plain.returncode == 2
    assert "Traceback" not in plain.stderr
    assert plain.stderr.startswith("Błąd")
    debug = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False,
                           env={**env, "WKUS_DEBUG": "1"})
    assert debug.returncode == 2
    assert "Błąd" in debug.stderr


def test_main_turns_any_exception_into_a_polish_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    from wkus_lib import cli

    def explode(_args: argparse.Namespace) -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(cli, "_cmd_catalog", explode)
    monkeypatch.delenv("WKUS_DEBUG", raising=False)
    assert main(["catalog", str(tmp_path / "k")]) == 2
    error = capsys.readouterr().err
    assert "Traceback" not in error
    assert error.startswith("Błąd wewnętrzny polecenia wkus catalog: ZeroDivisionError")
    assert "--debug" in error
    assert main(["--debug", "catalog", str(tmp_path / "k")]) == 2
    assert "Traceback (most recent call last)" in capsys.readouterr().err
    assert main(["catalog", str(tmp_path / "k"), "--debug"]) == 2
    assert "Traceback (most recent call last)" in capsys.readouterr().err
    monkeypatch.setenv("WKUS_DEBUG", "1")
    assert main(["catalog", str(tmp_path / "k")]) == 2
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_a_file_system_error_names_the_file_in_polish(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    import errno

    from wkus_lib import cli

    def denied(_args: argparse.Namespace) -> int:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "a.csv"))

    monkeypatch.setattr(cli, "_cmd_catalog", denied)
    assert main(["catalog", str(tmp_path / "k")]) == 2
    error = capsys.readouterr().err
    assert f"Błąd: nie można użyć ścieżki {tmp_path / 'a.csv'}: brak uprawnień" in error
    assert "Permission" not in error


def test_a_file_where_a_folder_is_needed_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    existing = tmp_path / "plik"
    existing.write_text("x", encoding="utf-8")
    assert main(["templates", str(existing)]) == 2
    error = capsys.readouterr().err
    assert f"ścieżki {existing}: istnieje już plik o tej nazwie, a potrzebny jest katalog" in error
    assert existing.read_text(encoding="utf-8") == "x"
