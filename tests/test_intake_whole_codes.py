"""Identifiers checked whole on import: TERYT codes, survey items, invisible marks, headers.

Every case goes through ``import_files`` (the path a user takes) and asserts what is
stored, what is quarantined and what the report says.
"""

from __future__ import annotations

import codecs
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from wkus_lib.intake.convert import MACHINE_DETECTION, CellError, column_spec, convert_cell
from wkus_lib.intake.importer import ImportReport, import_files
from wkus_lib.store import read_store

SURVEY_HEADER = ("Kod TERYT gminy;Obszar;Rok;Narzędzie;Identyfikator respondenta;Kod pytania;"
                 "Odpowiedź (1–5)")
CONTRACTS_HEADER = ("Numer umowy;Kod TERYT gminy;Obszar;Nazwa organizacji;"
                    "Tytuł zadania publicznego;Tryb umowy;Forma zlecenia;Rok rozpoczęcia;"
                    "Rok zakończenia")
FINANCE_HEADER = ("Numer umowy;Rok;Kategoria kosztu;Źródło finansowania;Koszt planowany [zł];"
                  "Koszt poniesiony [zł]")


def _import(tmp_path: Path, *files: Path) -> ImportReport:
    return import_files(list(files), tmp_path / "store", key_file=tmp_path / "klucz.bin")


def _csv(tmp_path: Path, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def _teryt(value: object) -> object:
    return convert_cell(value, column_spec("needs", "teryt"), "teryt", MACHINE_DETECTION, {})


# ---------------------------------------------------------------- TERYT codes


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("2002063.5", "kod to dokładnie 7 cyfr, bez kropek"),
        ("2002063,0", "kod to dokładnie 7 cyfr, bez kropek"),
        ("2002063 / Sokółka", "kod i nazwa nie pasują"),
        ("2002063/Sokółka", "a nie „Sokółka”"),
        ("2002063 Sokółka", "kod i nazwa nie pasują"),
        ("201011", "ma 6 cyfr zamiast 7"),
        ("20020631", "ma 8 cyfr zamiast 7"),
        ("2002", "ma 4 cyfry zamiast 7"),
        ("٢٠٠٢٠٦٣", "kod to dokładnie 7 cyfr"),  # digits, but not the ones codes are written in
        ("2099991", "nie ma w rejestrze gmin"),
        ("Bolesławiec", "oznacza 3 gminy"),
    ],
)
def test_teryt_that_is_not_one_whole_registry_code_is_a_problem(value: str, fragment: str) -> None:
    with pytest.raises(CellError) as caught:
        _teryt(value)

    assert fragment in caught.value.problem
    assert caught.value.hint


@pytest.mark.parametrize(
    "value", ["2002063", " 2002063 ", "2002063 Łapy", "2002063 / Łapy", "2002063-Łapy",
              "2002063 – ŁAPY", "Łapy", "ŁAPY", "lapy", "Łapy (2002063)", 2002063, 2002063.0],
)
def test_teryt_given_as_code_name_or_code_with_its_own_name_is_read(value: object) -> None:
    assert _teryt(value) == "2002063"


def test_teryt_problems_quarantine_their_rows_and_name_the_value(tmp_path: Path) -> None:
    lines = [SURVEY_HEADER,
             "2002063;sport;2023;klient;K-1;k_sat1;4",
             "2002063.5;sport;2023;klient;K-2;k_sat1;4",
             "2002063 / Sokółka;sport;2023;klient;K-3;k_sat1;4",
             "2099991;sport;2023;klient;K-4;k_sat1;4",
             "2011083 Sokółka;sport;2023;klient;K-5;k_sat1;4"]

    report = _import(tmp_path, _csv(tmp_path, "ankieta.csv", lines))

    assert report.added == {"survey_responses": 2}
    assert report.quarantined == {"survey_responses": 3}
    problems = report.problems.set_index("row")
    assert problems.loc[3, "value"] == "2002063.5"
    assert "kod i nazwa nie pasują" in problems.loc[4, "problem"]
    assert "nie ma w rejestrze gmin" in problems.loc[5, "problem"]
    stored = read_store(tmp_path / "store").tables()["survey_responses"]
    assert sorted(stored["teryt"]) == ["2002063", "2011083"]


# ---------------------------------------------------------------- invisible marks


def test_invisible_marks_are_removed_from_ids_so_tables_join_and_the_report_says_so(
    tmp_path: Path,
) -> None:
    rlm_id = "\u200f2002063/sport/2023\u200e"
    contracts = _csv(tmp_path, "umowy.csv", [
        CONTRACTS_HEADER,
        f"{rlm_id};2002063\u200b;sport;Klub Świt;Szkolenie;annual_grant;wspieranie;2023;2023",
    ])
    finance = _csv(tmp_path, "koszty.csv", [
        FINANCE_HEADER, "2002063/sport/2023\ufeff;2023;dzialania;dotacja;1000;900",
        "2002063/\u00a0sport/2023;2023;administracyjne;dotacja;100;90",
    ])

    report = _import(tmp_path, contracts, finance)

    assert report.added == {"contracts": 1, "finance": 2}, report.to_text()
    text = report.to_text()
    assert "usunięto niewidoczne znaki U+200E (znak kierunku pisania (LRM)), U+200F" in text
    assert "kolumnie „Numer umowy” (wiersz 2)" in text
    assert "kolumnie „Numer umowy” (wiersze 2, 3)" in text  # the finance file
    assert "U+200B (spacja o zerowej szerokości)" in text and "„Kod TERYT gminy”" in text
    assert "U+00A0 (twarda spacja), U+FEFF (znacznik BOM)" in text
    tables = read_store(tmp_path / "store").tables()
    assert tables["contracts"]["contract_id"].tolist() == ["2002063/sport/2023"]
    assert set(tables["finance"]["contract_id"]) == {"2002063/sport/2023"}


def test_id_with_invisible_mark_from_a_program_is_refused_not_changed() -> None:
    spec = column_spec("finance", "contract_id")

    with pytest.raises(CellError, match="niewidoczny znak U\\+200F"):
        convert_cell("U-1\u200f", spec, "contract_id", MACHINE_DETECTION, {})


# ---------------------------------------------------------------- survey items


def test_survey_item_no_instrument_has_is_a_problem_naming_it(tmp_path: Path) -> None:
    lines = [SURVEY_HEADER, "2002063;sport;2023;klient;K-1;k_sat1;4",
             "2002063;sport;2023;klient;K-1;K_SAT2;4",
             "2002063;sport;2023;klient;K-1;k_sat9;3",
             "2002063;sport;2023;klient;K-1;c_zas1;3"]

    report = _import(tmp_path, _csv(tmp_path, "ankieta.csv", lines))

    assert report.added == {"survey_responses": 2}
    problems = report.problems.set_index("row")
    assert problems.loc[4, "value"] == "k_sat9"
    assert "kodu „k_sat9” nie ma wśród pytań ankiet usług" in problems.loc[4, "problem"]
    assert "„c_zas1”" in problems.loc[5, "problem"]  # a cooperation item in a service survey
    stored = read_store(tmp_path / "store").tables()["survey_responses"]
    assert sorted(stored["item_id"]) == ["k_sat1", "k_sat2"]


def test_wide_export_column_of_an_unknown_item_is_named_not_dropped_quietly(
    tmp_path: Path,
) -> None:
    lines = ["id;teryt;area;year;instrument;klient[k_sat1];klient[k_sat9];wiek",
             "1;2002063;sport;2023;klient;4;5;40"]

    report = _import(tmp_path, _csv(tmp_path, "lime.csv", lines))

    assert report.added == {"survey_responses": 1}
    text = report.to_text()
    assert ("kolumna „klient[k_sat9]” wygląda na pytanie ankiety, ale takiego pytania nie ma "
            "w katalogu narzędzi – jej odpowiedzi nie zostały wczytane") in text
    assert "pominięto kolumny spoza tabel magazynu (1): „wiek”" in text


def test_cooperation_survey_accepts_only_cooperation_items(tmp_path: Path) -> None:
    header = ("Kod TERYT gminy;Rok;Grupa respondentów;Identyfikator respondenta;Kod pytania;"
              "Odpowiedź (1–5)")
    lines = [header, "2002063;2023;ngo;N-1;c_zas1;4", "2002063;2023;ngo;N-1;k_sat1;4"]

    report = _import(tmp_path, _csv(tmp_path, "wspolpraca.csv", lines))

    assert report.added == {"cooperation_survey": 1}
    assert "kodu „k_sat1” nie ma wśród pytań ankiety współpracy" in report.to_text()


def test_cooperation_checklist_items_come_from_the_catalogue() -> None:
    spec = column_spec("cooperation_checklist", "item_id")

    assert convert_cell("W1_PROGRAM_ROCZNY", spec, "item_id", MACHINE_DETECTION,
                        {}) == "w1_program_roczny"
    with pytest.raises(CellError, match="kodu „w9_program” nie ma wśród pozycji listy współ"):
        convert_cell("w9_program", spec, "item_id", MACHINE_DETECTION, {})


# ---------------------------------------------------------------- headers and sheets


def test_duplicated_header_names_both_columns_and_refuses_the_sheet(tmp_path: Path) -> None:
    lines = [FINANCE_HEADER + ";Koszt planowany",
             "2002063/sport/2023;2023;dzialania;dotacja;1000;900;1200"]

    report = _import(tmp_path, _csv(tmp_path, "koszty.csv", lines))

    assert report.added == {} and report.exit_code == 2
    problem = report.problems.iloc[0]
    assert problem["file"] == "koszty.csv"
    assert ("kolumny E („Koszt planowany [zł]”) i G („Koszt planowany”) oznaczają to samo: "
            "„Koszt planowany [zł]”") in problem["problem"]
    assert "Zostaw jedną z tych kolumn" in problem["hint"]


def test_wide_export_naming_one_item_twice_is_refused(tmp_path: Path) -> None:
    lines = ["id;teryt;area;year;klient[k_sat1];k_sat1", "1;2002063;sport;2023;4;5"]

    report = _import(tmp_path, _csv(tmp_path, "lime.csv", lines))

    assert report.added == {}
    assert "kolumny E („klient[k_sat1]”) i F („k_sat1”) oznaczają to samo: „pytanie k_sat1”" in (
        report.to_text())


def test_duplicated_header_over_an_empty_column_reads_the_filled_one_and_says_so(
    tmp_path: Path,
) -> None:
    lines = [FINANCE_HEADER + ";Koszt planowany",
             "2002063/sport/2023;2023;dzialania;dotacja;;900;1200"]

    report = _import(tmp_path, _csv(tmp_path, "umowy_i_koszty.csv", [
        CONTRACTS_HEADER,
        "2002063/sport/2023;2002063;sport;Klub;Szkolenie;annual_grant;wspieranie;2023;2023",
    ]), _csv(tmp_path, "koszty.csv", lines))

    assert report.added == {"contracts": 1, "finance": 1}, report.to_text()
    assert ("kolumny E („Koszt planowany [zł]”) i G („Koszt planowany”) oznaczają to samo "
            "(„Koszt planowany [zł]”); wczytano kolumnę G, pozostałe są puste") in (
        report.to_text())
    stored = read_store(tmp_path / "store").tables()["finance"]
    assert stored["planned"].tolist() == [1200.0]


def _workbook(tmp_path: Path, name: str, hidden_rows: list[list[object]],
              visible: bool = True) -> Path:
    workbook = openpyxl.Workbook()
    if visible:
        workbook.active.title = "Umowy"
        workbook.active.append(CONTRACTS_HEADER.split(";"))
        workbook.active.append(["2002063/sport/2023", "2002063", "sport", "Klub", "Szkolenie",
                                "annual_grant", "wspieranie", 2023, 2023])
    else:
        workbook.active.title = "Instrukcja"
        workbook.active.append(["Jak wypełnić"])
    hidden = workbook.create_sheet("Umowy 2024")
    for row in hidden_rows:
        hidden.append(row)
    hidden.sheet_state = "hidden"
    path = tmp_path / name
    workbook.save(path)
    return path


HIDDEN_CONTRACT = [CONTRACTS_HEADER.split(";"),
                   ["2002063/sport/2024", "2002063", "sport", "Klub", "Szkolenie 2024",
                    "annual_grant", "wspieranie", 2024, 2024]]


def test_hidden_sheet_with_a_table_is_named_with_how_to_include_it(tmp_path: Path) -> None:
    path = _workbook(tmp_path, "umowy.xlsx", HIDDEN_CONTRACT)

    report = _import(tmp_path, path)

    assert report.added == {"contracts": 1}  # the visible sheet only
    problem = report.problems.set_index("sheet").loc["Umowy 2024"]
    assert "arkusz „Umowy 2024” jest ukryty, a zawiera tabelę „Umowy” (1 wiersz danych)" in (
        problem["problem"])
    assert "odkryj arkusz" in problem["hint"]
    stored = read_store(tmp_path / "store").tables()["contracts"]
    assert stored["contract_id"].tolist() == ["2002063/sport/2023"]


def test_data_only_in_a_hidden_sheet_is_not_reported_as_already_stored(tmp_path: Path) -> None:
    first = _import(tmp_path, _workbook(tmp_path, "umowy.xlsx", HIDDEN_CONTRACT))
    assert first.added == {"contracts": 1}

    report = _import(tmp_path, _workbook(tmp_path, "tylko_ukryte.xlsx", HIDDEN_CONTRACT,
                                         visible=False))

    assert report.exit_code == 2 and report.added == {}
    assert "jest ukryty, a zawiera tabelę" in report.to_text()


def test_hidden_helper_sheet_without_a_table_is_only_a_note(tmp_path: Path) -> None:
    path = _workbook(tmp_path, "umowy.xlsx", [["lista", "wartości"], ["a", "b"]])

    report = _import(tmp_path, path)

    assert report.exit_code == 0 and report.added == {"contracts": 1}
    assert "arkusz jest ukryty i nie zawiera tabeli magazynu – pominięty" in report.to_text()


# ---------------------------------------------------------------- quotes and encodings


def test_unclosed_quote_stores_nothing_and_names_the_line(tmp_path: Path) -> None:
    lines = [CONTRACTS_HEADER,
             '2002063/sport/2023;2002063;sport;Klub;"Szkolenie;annual_grant;wspieranie;2023;2023',
             *[f"2002063/sport/{n};2002063;sport;Klub {n};Zajęcia;annual_grant;wspieranie;2023;"
               "2023" for n in range(30)]]

    report = _import(tmp_path, _csv(tmp_path, "umowy.csv", lines))

    assert report.added == {} and report.exit_code == 2
    assert "cudzysłów otwarty w linii 2 nie jest zamknięty do końca pliku" in report.to_text()


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("poprawione_cp1250.csv", lambda text: text.encode("cp1250")),
        ("poprawione_utf8.csv", lambda text: text.encode("utf-8")),
        ("poprawione_utf8_bom.csv", lambda text: codecs.BOM_UTF8 + text.encode("utf-8")),
        ("poprawione_unicode.txt",
         lambda text: codecs.BOM_UTF16_LE + text.replace(";", "\t").encode("utf-16-le")),
    ],
)
def test_fixed_quarantine_saved_by_excel_in_any_encoding_imports(
    tmp_path: Path, name: str, encode: object
) -> None:
    lines = [SURVEY_HEADER, "2002063;sport;2023;klient;K-1;k_sat1;4",
             "2002063;sport;2023;klient;K-2;k_sat1;7",
             "2002063.5;sport;2023;klient;K-3;k_sat9;3"]
    first = _import(tmp_path, _csv(tmp_path, "ankieta.csv", lines))
    assert first.quarantined == {"survey_responses": 2}
    quarantine = tmp_path / "store" / "quarantine" / "survey_responses.csv"
    held = pd.read_csv(quarantine, sep=";", dtype=str, keep_default_na=False,
                       encoding="utf-8-sig")
    held["Odpowiedź (1–5)"] = ["5", "3"]
    held["Kod pytania"] = ["k_sat1", "k_sat2"]
    held["Kod TERYT gminy"] = ["2002063", "2002063"]
    fixed = tmp_path / name
    fixed.write_bytes(encode(held.to_csv(sep=";", index=False, lineterminator="\r\n")))  # type: ignore[operator]

    report = _import(tmp_path, fixed)

    assert report.added == {"survey_responses": 2}, report.to_text()
    assert report.quarantined.get("survey_responses", 0) == 0
    stored = read_store(tmp_path / "store").tables()["survey_responses"]
    assert len(stored) == 3 and stored["respondent_id"].str.startswith("P-").all()
