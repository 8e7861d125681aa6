"""``wkus import``: mapping, validation, quarantine, idempotence, pseudonyms, report, exit codes."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pandas as pd
import pytest

from wkus_lib.catalog import load_catalog
from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.intake.import_report import REPORT_FILE_NAME
from wkus_lib.intake.importer import QUARANTINE_DIR, REASON_COLUMN, import_files, import_frame
from wkus_lib.intake.pseudonym import KEY_FILE_ENV, load_key, pseudonymise
from wkus_lib.schemas import TABLES
from wkus_lib.store import MANIFEST_NAME, read_store, table_file

POLISH_FINANCE_HEADER = (
    "Numer umowy;Rok;Kategoria kosztu;Źródło finansowania;Koszt planowany [zł];"
    "Koszt poniesiony [zł]"
)
CONTRACT = "2013023/pomoc_spoleczna/2022"


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "poza-repo" / "pseudonym.key"


def _polish_excel_csv(path: Path, lines: list[str]) -> Path:
    """A CSV as Polish Excel saves it: Windows-1250, ``;``, decimal comma, CRLF."""
    path.write_bytes("\r\n".join(lines).encode("cp1250") + b"\r\n")
    return path


def _seed_contracts(store: Path, key_file: Path, *ids: str) -> None:
    """Contracts the rows of contract-level tables need: orphans go to the quarantine."""
    lines = [("Numer umowy;Kod TERYT gminy;Obszar;Nazwa organizacji;Tytuł zadania publicznego;"
              "Tryb umowy;Forma zlecenia;Rok rozpoczęcia;Rok zakończenia")]
    lines += [f"{c};2013023;pomoc_spoleczna;Fundacja;Usługi;dotacja roczna;wspieranie;2022;2024"
              for c in ids or (CONTRACT,)]
    store.parent.mkdir(parents=True, exist_ok=True)
    csv = _polish_excel_csv(store.parent / "umowy-startowe.csv", lines)
    assert import_files([csv], store, key_file=key_file).exit_code == 0


def _items(instrument: str) -> list[str]:
    items = load_catalog().survey_items()
    return items.loc[items["instrument"] == instrument, "item_id"].tolist()


def test_polish_excel_csv_imports_with_no_options(tmp_path: Path, key_file: Path) -> None:
    csv = _polish_excel_csv(tmp_path / "koszty.csv", [
        POLISH_FINANCE_HEADER,
        f"{CONTRACT};2022;działania;Środki własne;1 234,50;1 200,00",
        f"{CONTRACT};2022;administracyjne;dotacja;12 000;",
    ])

    _seed_contracts(tmp_path / "store", key_file)
    report = import_files([csv], tmp_path / "store", key_file=key_file)

    assert report.exit_code == 0, report.to_text()
    finance = read_store(tmp_path / "store").finance.sort_values("planned")
    assert finance["planned"].tolist() == [1234.5, 12000.0]
    assert finance["source"].tolist() == ["srodki_wlasne", "dotacja"]
    assert finance["category"].tolist() == ["dzialania", "administracyjne"]
    assert finance["actual"].iloc[0] == 1200.0 and pd.isna(finance["actual"].iloc[1])
    described = " ".join(report.detections)
    assert "Windows-1250" in described and "przecinek dziesiętny" in described


def test_importing_the_same_file_twice_adds_nothing(tmp_path: Path, key_file: Path) -> None:
    csv = _polish_excel_csv(tmp_path / "koszty.csv", [
        POLISH_FINANCE_HEADER,
        f"{CONTRACT};2022;dzialania;dotacja;100,00;90,00",
        f"{CONTRACT};2022;administracyjne;dotacja;100,00;90,00",
    ])
    store, other = tmp_path / "store", tmp_path / "other" / "store"
    _seed_contracts(store, key_file)
    _seed_contracts(other, key_file)
    first = import_files([csv], store, key_file=key_file)
    manifest = (store / MANIFEST_NAME).read_bytes()

    second = import_files([csv], store, key_file=key_file)
    same_command_twice = import_files([csv, csv], other, key_file=key_file)

    assert first.added["finance"] == 2
    assert second.added == {"finance": 0} and second.changed == {"finance": 0}
    assert second.unchanged == {"finance": 2}
    assert (store / MANIFEST_NAME).read_bytes() == manifest
    assert len(read_store(store).finance) == 2
    assert same_command_twice.added["finance"] == 2 and same_command_twice.exit_code == 0


def test_invalid_rows_go_to_quarantine_with_reasons_and_valid_rows_to_the_store(
    tmp_path: Path, key_file: Path,
) -> None:
    csv = _polish_excel_csv(tmp_path / "koszty.csv", [
        POLISH_FINANCE_HEADER,
        f"{CONTRACT};2022;dzialania;dotacja;100,00;90,00",
        f"{CONTRACT};2022;dzialania;dotacja;-5;90,00",
        f'{CONTRACT};2022;dzialania;dotacja;"=HYPERLINK(""http://x"";""1"")";90,00',
        f"{CONTRACT};2022;catering;dotacja;10,00;",
    ])
    raw_before = csv.read_bytes()
    _seed_contracts(tmp_path / "store", key_file)

    report = import_files([csv], tmp_path / "store", key_file=key_file)

    assert csv.read_bytes() == raw_before
    assert report.added == {"finance": 1} and report.quarantined == {"finance": 3}
    assert report.exit_code == 1
    problems = report.problems.set_index("row")
    assert problems.loc[3, "column"] == "Koszt planowany [zł]"
    assert problems.loc[3, "value"] == "-5"
    assert "wartość za mała" in str(problems.loc[3, "problem"])
    assert problems.loc[4, "column"] == "Koszt planowany [zł]"
    assert "formuła" in str(problems.loc[4, "problem"])
    assert "administracyjne" in str(problems.loc[5, "hint"])
    assert set(report.problems["file"]) == {"koszty.csv"}
    quarantine = pd.read_csv(tmp_path / "store" / QUARANTINE_DIR / "finance.csv", sep=";",
                             dtype=str, encoding="utf-8-sig")
    assert quarantine["wiersz"].tolist() == ["3", "4", "5"]
    assert quarantine["Kategoria kosztu"].tolist()[-1] == "catering"
    assert quarantine[REASON_COLUMN].str.len().gt(0).all()


def test_respondent_ids_are_stored_only_as_keyed_pseudonyms(
    tmp_path: Path, key_file: Path,
) -> None:
    csv = tmp_path / "ankiety.csv"
    csv.write_text(
        "teryt,area,year,instrument,respondent_id,item_id,answer\n"
        "2013023,pomoc_spoleczna,2024,klient,Jan Kowalski,k_sat1,5\n"
        "2013023,pomoc_spoleczna,2024,klient,Anna Nowak,k_sat1,7\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"

    report = import_files([csv], store, key_file=key_file)

    key = load_key(key_file)
    stored = read_store(store).survey_responses["respondent_id"].tolist()
    assert stored == [pseudonymise("Jan Kowalski", key)]
    assert pseudonymise("Jan Kowalski", b"x" * 64) != stored[0]
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert not key_file.is_relative_to(store)
    assert report.quarantined == {"survey_responses": 1}
    for written in store.rglob("*"):
        if written.is_file():
            content = written.read_bytes()
            assert b"Kowalski" not in content and b"Nowak" not in content, written
    assert "Nowak" not in report.to_text()


def test_key_file_from_environment_variable_is_created_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    env_key = tmp_path / "z-env" / "klucz.key"
    monkeypatch.setenv(KEY_FILE_ENV, str(env_key))
    assert not env_key.exists()
    first = load_key()
    assert env_key.exists() and load_key() == first
    assert load_key(tmp_path / "inny.key") != first


def test_limesurvey_export_with_labels_and_not_applicable(tmp_path: Path, key_file: Path) -> None:
    items = _items("klient")[:3]
    csv = tmp_path / "limesurvey.csv"
    header = ["id", "submitdate", "lastpage", "startlanguage", "seed", "token", "teryt", "area",
              "year", *(f"klient[{item}]" for item in items), "uwagi"]
    rows = [
        ["1", "2024-05-01 10:00:00", "3", "pl", "123", "tajny-token", "2013023",
         "pomoc_spoleczna", "2024", "zdecydowanie się zgadzam", "4", "N/A", "Bardzo dobra opieka"],
        ["2", "2024-05-02 11:00:00", "3", "pl", "456", "tajny-token", "2013023",
         "pomoc_spoleczna", "2024", "raczej się nie zgadzam", "nie dotyczy", "98", ""],
    ]
    csv.write_text("\n".join(",".join(f'"{v}"' for v in r) for r in [header, *rows]),
                   encoding="utf-8")
    store = tmp_path / "store"

    report = import_files([csv], store, key_file=key_file)

    assert report.exit_code == 0, report.to_text()
    key = load_key(key_file)
    answers = read_store(store).survey_responses
    assert set(answers["instrument"]) == {"klient"}
    by_person = answers.set_index(["respondent_id", "item_id"])["answer"]
    assert by_person[(pseudonymise("1", key), items[0])] == 5
    assert by_person[(pseudonymise("1", key), items[1])] == 4
    assert pd.isna(by_person[(pseudonymise("1", key), items[2])])
    assert by_person[(pseudonymise("2", key), items[0])] == 2
    comments = read_store(store).survey_comments
    assert comments["text"].tolist() == ["Bardzo dobra opieka"]
    assert b"tajny-token" not in table_file(store, "survey_responses").read_bytes()  # type: ignore[union-attr]
    assert any("token" in note for note in report.notes)


def test_kobo_export_with_group_prefixed_headers_needs_no_mapping(
    tmp_path: Path, key_file: Path,
) -> None:
    items = _items("klient")[:2]
    cooperation = _items("wspolpraca")[:2]
    csv = tmp_path / "kobo_klient.csv"
    header = ["start", "end", "teryt", "area", "year", "instrument",
              *(f"satysfakcja/{item}" for item in items), "meta/instanceID", "_id", "_uuid",
              "_submission_time", "_validation_status", "_index"]
    rows = [
        ["2024-05-01T10:00:00.000+02:00", "2024-05-01T10:05:00.000+02:00", "2013023",
         "pomoc_spoleczna", "2024", "klient", "5", "nd", "uuid:abc-1", "101", "abc-1",
         "2024-05-01T08:06:00", "", "1"],
        ["2024-05-01T11:00:00.000+02:00", "2024-05-01T11:05:00.000+02:00", "2013023",
         "pomoc_spoleczna", "2024", "klient", "3", "4", "uuid:abc-2", "102", "abc-2",
         "2024-05-01T09:06:00", "", "2"],
    ]
    csv.write_text("\n".join(";".join(r) for r in [header, *rows]), encoding="utf-8")
    cooperation_csv = tmp_path / "kobo_wspolpraca.csv"
    cooperation_csv.write_text("\n".join(";".join(r) for r in [
        ["teryt", "year", "instrument", "group", *(f"zasady/{i}" for i in cooperation), "_uuid"],
        ["2013023", "2024", "wspolpraca", "ngo", "4", "5", "c-1"],
        ["2013023", "2024", "wspolpraca", "jst", "2", "nd", "c-2"],
    ]), encoding="utf-8")
    store = tmp_path / "store"

    report = import_files([csv, cooperation_csv], store, key_file=key_file)

    assert report.exit_code == 0, report.to_text()
    key = load_key(key_file)
    answers = read_store(store).survey_responses
    assert len(answers) == 4
    assert set(answers["respondent_id"]) == {pseudonymise("abc-1", key),
                                             pseudonymise("abc-2", key)}
    assert answers["answer"].isna().sum() == 1
    survey = read_store(store).cooperation_survey
    assert sorted(survey["group"]) == ["jst", "jst", "ngo", "ngo"]
    assert survey["item_id"].isin(cooperation).all()


def test_importing_demo_csvs_rebuilds_the_demo_store_and_reports_the_planted_problems(
    demo: DemoSummary, tmp_path: Path, key_file: Path,
) -> None:
    report = import_files(sorted(demo.raw_dir.glob("*.csv")), tmp_path / "store",
                          key_file=key_file)

    assert report.exit_code == 1
    # The planted duplicate questionnaire shares its keys: both copies wait in the quarantine.
    repeated = report.problems["problem"].str.contains("więcej niż raz")
    expected = read_store(demo.store_dir).tables()
    duplicated = expected["survey_responses"].duplicated(
        ["teryt", "area", "year", "instrument", "respondent_id", "item_id"], keep=False)
    assert repeated.sum() == duplicated.sum() > 0
    assert (~repeated).sum() == len(demo.problems)  # the planted problems, one each
    assert report.problems["hint"].str.len().gt(0).all()
    imported = read_store(tmp_path / "store").tables()
    assert {name: len(frame) for name, frame in imported.items()} == {
        name: len(frame) - (duplicated.sum() if name == "survey_responses" else 0)
        for name, frame in expected.items()
    }
    assert sum(report.quarantined.values()) == len(demo.problems) + duplicated.sum()


def test_report_html_is_saved_next_to_the_store_in_polish_and_escaped(
    tmp_path: Path, key_file: Path,
) -> None:
    csv = _polish_excel_csv(tmp_path / "koszty.csv", [
        POLISH_FINANCE_HEADER,
        f"{CONTRACT};2022;dzialania;dotacja;<script>alert(1)</script>;1",
    ])
    import_files([csv], tmp_path / "store", key_file=key_file)

    html = (tmp_path / "store" / REPORT_FILE_NAME).read_text(encoding="utf-8")
    assert '<html lang="pl">' in html and "Raport importu danych" in html
    assert "kwarantanny" in html and "koszty.csv" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_unrecognised_table_is_rejected_with_the_closest_table_named(
    tmp_path: Path, key_file: Path,
) -> None:
    csv = _polish_excel_csv(tmp_path / "cos.csv", ["Numer umowy;Rok;Kwota", "A/1;2022;5"])
    report = import_files([csv], tmp_path / "store", key_file=key_file)
    assert report.exit_code == 2
    assert report.unreadable == ("cos.csv",)
    assert "nie rozpoznano tabeli" in report.problems["problem"].iloc[0]
    assert "Kategoria kosztu" in report.problems["hint"].iloc[0]


def test_import_frame_validates_pseudonymises_and_deduplicates(
    tmp_path: Path, key_file: Path,
) -> None:
    frame = pd.DataFrame({
        "contract_id": ["X/1", "X/2"], "year": [2024, 2024],
        "requirement_id": ["s1", "s1"], "self_met": [True, "tak"], "jst_confirmed": [None, "nie"],
    })
    store = tmp_path / "store"
    _seed_contracts(store, key_file, "X/1", "X/2")
    first = import_frame("standard_checklist", frame, store, source="formularz samooceny",
                         key_file=key_file)
    again = import_frame("standard_checklist", frame, store, source="formularz samooceny",
                         key_file=key_file)
    assert first.added == {"standard_checklist": 2} and again.added == {"standard_checklist": 0}
    stored = read_store(store).standard_checklist
    assert stored["self_met"].tolist() == [True, True]
    assert stored["jst_confirmed"].isna().tolist() == [True, False]


def test_cli_exit_codes_and_printed_report(
    tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    good = _polish_excel_csv(tmp_path / "dobre.csv", [
        POLISH_FINANCE_HEADER, f"{CONTRACT};2022;dzialania;dotacja;100,00;90,00"])
    bad = _polish_excel_csv(tmp_path / "zle.csv", [
        POLISH_FINANCE_HEADER, f"{CONTRACT};1999;dzialania;dotacja;100,00;90,00"])
    binary = tmp_path / "zdjecie.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    store = ["--store", str(tmp_path / "store"), "--key-file", str(key_file)]
    _seed_contracts(tmp_path / "store", key_file)

    assert main(["import", str(good), *store]) == 0
    assert "dodano 1 wiersz" in capsys.readouterr().out
    assert main(["import", str(bad), *store]) == 1
    assert "wiersz 2" in capsys.readouterr().out
    assert main(["import", str(binary), str(good), *store]) == 2
    assert "zdjecie.csv" in capsys.readouterr().out


def test_cli_templates_writes_one_workbook_per_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["templates", str(tmp_path / "szablony")]) == 0
    assert len(list((tmp_path / "szablony").glob("*.xlsx"))) == len(TABLES)
    assert "szablonów" in capsys.readouterr().out


def test_manifest_records_rows_after_import(tmp_path: Path, key_file: Path) -> None:
    csv = _polish_excel_csv(tmp_path / "koszty.csv", [
        POLISH_FINANCE_HEADER, f"{CONTRACT};2022;dzialania;dotacja;100,00;90,00"])
    _seed_contracts(tmp_path / "store", key_file)
    import_files([csv], tmp_path / "store", key_file=key_file)
    manifest = json.loads((tmp_path / "store" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["tables"]["finance"]["rows"] == 1
    assert manifest["synthetic"] is False


def test_contract_imported_again_with_other_values_replaces_the_stored_one(
    tmp_path: Path, key_file: Path,
) -> None:
    header = "Numer umowy;Kod TERYT gminy;Obszar;Nazwa organizacji;Tytuł zadania publicznego;" \
             "Tryb umowy;Forma zlecenia;Rok rozpoczęcia;Rok zakończenia"
    row = "U/1;2013023;sport;Klub „Świt”;Szkolenie dzieci;dotacja roczna;wspieranie;2024;2024"
    first = _polish_excel_csv(tmp_path / "umowy.csv", [header, row])
    changed = _polish_excel_csv(tmp_path / "umowy2.csv", [header, row.replace("„Świt”", "Świt")])
    store = tmp_path / "store"
    assert import_files([first], store, key_file=key_file).exit_code == 0

    report = import_files([changed], store, key_file=key_file)

    assert report.exit_code == 0
    assert report.added == {"contracts": 0} and report.changed == {"contracts": 1}
    assert "ngo_name: Klub „Świt” → Klub Świt" in report.to_text()
    assert read_store(store).contracts["ngo_name"].tolist() == ["Klub Świt"]

    both = import_files([first, changed], store, key_file=key_file)
    assert both.exit_code == 1 and both.quarantined == {"contracts": 2}
    assert read_store(store).contracts["ngo_name"].tolist() == ["Klub Świt"]


def test_repeated_questionnaire_is_quarantined_and_named_by_pseudonym_and_rows(
    tmp_path: Path, key_file: Path,
) -> None:
    csv = tmp_path / "ankiety.csv"
    csv.write_text(
        "teryt;area;year;instrument;respondent_id;item_id;answer\n"
        "2013023;sport;2024;klient;C-17;k_sat1;4\n"
        "2013023;sport;2024;klient;C-18;k_sat1;2\n"
        "2013023;sport;2024;klient;C-17;k_sat1;4\n",
        encoding="utf-8",
    )
    report = import_files([csv], tmp_path / "store", key_file=key_file)

    pseudonym = pseudonymise("C-17", load_key(key_file))
    assert report.added == {"survey_responses": 1}
    assert report.quarantined == {"survey_responses": 2}
    repeated = report.problems[report.problems["problem"].str.contains("więcej niż raz")]
    assert repeated["row"].tolist() == [2, 4]
    assert repeated["value"].str.contains(pseudonym).all()
    assert "wiersze 2, 4" in repeated["problem"].iloc[0]
    assert "C-17" not in report.to_text()
    held = (tmp_path / "store" / QUARANTINE_DIR / "survey_responses.csv").read_text(
        encoding="utf-8-sig")
    assert "C-17" not in held and pseudonym in held
