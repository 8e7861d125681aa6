"""Corrections by natural key, withdrawals, dry runs, the change log, orphans, the quarantine."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.evaluation.indicators import compute_indicators
from wkus_lib.intake.changelog import CHANGELOG_NAME, read_changelog
from wkus_lib.intake.importer import QUARANTINE_DIR, REASON_COLUMN, import_files
from wkus_lib.intake.quarantine import open_quarantine
from wkus_lib.schemas import KEYS, TABLES
from wkus_lib.store import read_store, read_store_file

CONTRACT_HEADER = ("Numer umowy;Kod TERYT gminy;Obszar;Nazwa organizacji;"
                   "Tytuł zadania publicznego;Tryb umowy;Forma zlecenia;Rok rozpoczęcia;"
                   "Rok zakończenia")
CONTRACT_ROW = "U/7;2013023;sport;Klub Świt;Szkolenie dzieci;dotacja roczna;wspieranie;2024;2024"
FINANCE_HEADER = ("Numer umowy;Rok;Kategoria kosztu;Źródło finansowania;Koszt planowany [zł];"
                  "Koszt poniesiony [zł]")


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    return tmp_path / "poza-repo" / "pseudonym.key"


def _csv(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def _store_bytes(store: Path) -> dict[str, bytes]:
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*"))
            if p.is_file() and p.name != ".lock"}


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_corrections_and_withdrawals_give_the_store_of_the_corrected_files(
    demo: DemoSummary, tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    raw = sorted(demo.raw_dir.glob("*.csv"))
    store = tmp_path / "store"
    import_files(raw, store, key_file=key_file)
    again = import_files(raw, store, key_file=key_file)
    assert sum(again.added.values()) == sum(again.changed.values()) == 0
    assert sum(again.removed.values()) == 0 and again.changes == ()
    assert sum(again.unchanged.values()) == sum(len(f) for f in read_store(store).tables().values())

    corrected = tmp_path / "corrected"
    shutil.copytree(demo.raw_dir, corrected)
    results = pd.read_csv(corrected / "results.csv", dtype=str, keep_default_na=False)
    picked = results.index[results["achieved"] != ""][:5]
    old_values = results.loc[picked, "achieved"].tolist()
    results.loc[picked, "achieved"] = [str(float(v) + 3) for v in old_values]
    results.to_csv(corrected / "results.csv", index=False)
    finance = pd.read_csv(corrected / "finance.csv", dtype=str, keep_default_na=False)
    gone = finance.index[~finance["actual"].str.startswith("-")][:2]
    withdraw = tmp_path / "wycofaj.csv"
    finance.loc[gone].to_csv(withdraw, index=False)
    finance.drop(index=gone).to_csv(corrected / "finance.csv", index=False)
    corrected_files = sorted(corrected.glob("*.csv"))

    report = import_files(corrected_files, store, key_file=key_file, withdraw=[withdraw])

    assert report.changed == {**{t: 0 for t in report.changed}, "results": 5}
    assert report.removed == {**{t: 0 for t in report.removed}, "finance": 2}
    assert sum(report.added.values()) == 0
    text = report.to_text()
    for old in old_values:
        new = str(float(old) + 3)
        assert re.search(rf"achieved: {re.escape(_shown(old))} → {re.escape(_shown(new))}", text)
    fresh = tmp_path / "fresh"
    import_files(corrected_files, fresh, key_file=key_file)
    corrected_store, fresh_store = read_store(store), read_store(fresh)
    for name in TABLES:
        pd.testing.assert_frame_equal(_sorted(getattr(corrected_store, name)),
                                      _sorted(getattr(fresh_store, name)), check_dtype=False)
    pd.testing.assert_frame_equal(_sorted(compute_indicators(corrected_store)),
                                  _sorted(compute_indicators(fresh_store)))

    capsys.readouterr()
    assert main(["history", "--store", str(store), "--table", "results"]) == 0
    results_history = capsys.readouterr().out
    assert main(["history", "--store", str(store), "--table", "finance"]) == 0
    finance_history = capsys.readouterr().out
    changed_lines = [line for line in results_history.splitlines() if ": zmieniono: " in line]
    removed_lines = [line for line in finance_history.splitlines() if ": usunięto" in line]
    assert len(changed_lines) == 5 and len(removed_lines) == 2
    for old in old_values:
        assert any(f"achieved {_shown(old)} → {_shown(str(float(old) + 3))}" in line
                   for line in changed_lines)
    log = read_changelog(store)
    last = [e for e in log if e["action"] != "added"]
    assert len(last) == 7
    assert {e["version"] for e in last} == {read_store(store).data_hash}
    assert {e["file"] for e in last} == {"results.csv", "wycofaj.csv"}
    assert all(len(e["sha256"]) == 64 for e in last)


def _shown(value: str) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def test_two_rows_with_one_key_in_one_file_are_both_quarantined(
    tmp_path: Path, key_file: Path,
) -> None:
    contracts = _csv(tmp_path / "umowy.csv", [CONTRACT_HEADER, CONTRACT_ROW])
    finance = _csv(tmp_path / "koszty.csv", [
        FINANCE_HEADER,
        "U/7;2024;dzialania;dotacja;1000;900",
        "U/7;2024;administracyjne;dotacja;100;90",
        "U/7;2024;dzialania;dotacja;1000;950",
    ])
    store = tmp_path / "store"
    report = import_files([contracts, finance], store, key_file=key_file)

    assert report.exit_code == 1
    assert report.added == {"contracts": 1, "finance": 1} | {
        t: 0 for t in report.added if t not in ("contracts", "finance")}
    assert report.quarantined["finance"] == 2
    rows = report.problems.loc[report.problems["file"] == "koszty.csv", "row"].tolist()
    assert sorted(rows) == [2, 4]
    assert report.problems["problem"].str.contains("wiersze 2, 4").all()
    held = pd.read_csv(store / QUARANTINE_DIR / "finance.csv", sep=";", dtype=str,
                       encoding="utf-8-sig")
    assert held["wiersz"].tolist() == ["2", "4"]
    assert held[REASON_COLUMN].str.contains("ten sam klucz").all()
    assert read_store(store).finance["category"].tolist() == ["administracyjne"]


def test_orphans_wait_in_quarantine_until_their_contract_arrives(
    tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    finance = _csv(tmp_path / "koszty.csv", [FINANCE_HEADER, "U/7;2024;dzialania;dotacja;1000;900"])
    first = import_files([finance], store, key_file=key_file)
    assert first.exit_code == 1 and first.quarantined == {"finance": 1}
    assert "w magazynie nie ma umowy U/7" in first.problems["problem"].iloc[0]
    assert read_store(store).finance.empty
    assert list(open_quarantine(store)) == ["finance"]
    capsys.readouterr()
    assert main(["check", "--store", str(store)]) in (0, 1)
    assert "finance" in capsys.readouterr().out

    bad_contract = _csv(tmp_path / "umowy_zle.csv",
                        [CONTRACT_HEADER, CONTRACT_ROW.replace(";2024;2024", ";2024;2023")])
    same_time = import_files([bad_contract, finance], store, key_file=key_file)
    assert "trafiła w tym imporcie do kwarantanny" in " ".join(same_time.problems["problem"])
    assert read_store(store).finance.empty

    contracts = _csv(tmp_path / "umowy.csv", [CONTRACT_HEADER, CONTRACT_ROW])
    import_files([contracts], store, key_file=key_file)
    assert open_quarantine(store).keys() == {"finance"}  # the contract U/7 is in, fixed
    second = import_files([finance, contracts], store, key_file=key_file)

    assert second.exit_code == 0
    assert read_store(store).finance["contract_id"].tolist() == ["U/7"]
    assert "finance" not in open_quarantine(store)
    assert not (store / QUARANTINE_DIR / "finance.csv").exists()


@pytest.mark.parametrize("encoding", ["cp1250", "utf-8"])
def test_fixed_quarantine_file_saved_by_excel_imports_and_leaves_the_quarantine(
    tmp_path: Path, key_file: Path, encoding: str,
) -> None:
    store = tmp_path / "store"
    contracts = _csv(tmp_path / "umowy.csv", [CONTRACT_HEADER, CONTRACT_ROW])
    finance = _csv(tmp_path / "koszty.csv", [
        FINANCE_HEADER, "U/7;2024;dzialania;dotacja;1000;-900", "U/7;2024;administracyjne;dotacja;100;90",
    ])
    assert import_files([contracts, finance], store, key_file=key_file).exit_code == 1
    quarantine = store / QUARANTINE_DIR / "finance.csv"
    held = quarantine.read_bytes().decode("utf-8-sig")
    fixed = held.replace(";-900;", ";900;").replace("\n", "\r\n")
    quarantine.write_bytes(fixed.encode(encoding))  # as Excel saves CSV, with or without UTF-8

    report = import_files([quarantine], store, key_file=key_file)

    assert report.exit_code == 0, report.to_text()
    assert report.added["finance"] == 1
    assert sorted(read_store(store).finance["actual"]) == [90.0, 900.0]
    assert "finance" not in open_quarantine(store)


def test_dry_run_writes_nothing_and_reports_the_same_changes(
    tmp_path: Path, key_file: Path,
) -> None:
    store = tmp_path / "store"
    contracts = _csv(tmp_path / "umowy.csv", [CONTRACT_HEADER, CONTRACT_ROW])
    finance = _csv(tmp_path / "koszty.csv", [FINANCE_HEADER, "U/7;2024;dzialania;dotacja;1000;900"])
    import_files([contracts, finance], store, key_file=key_file)
    before = _store_bytes(store)
    corrected = _csv(tmp_path / "koszty2.csv", [FINANCE_HEADER,
                                                "U/7;2024;dzialania;dotacja;1000;850",
                                                "U/8;2024;dzialania;dotacja;1;1"])

    dry = import_files([corrected], store, key_file=key_file, dry_run=True)

    assert _store_bytes(store) == before
    assert dry.dry_run and "niczego nie zapisano" in dry.to_text()
    assert dry.changed["finance"] == 1 and "actual: 900 → 850" in dry.to_text()
    assert dry.quarantined["finance"] == 1
    real = import_files([corrected], store, key_file=key_file)
    assert real.changed == dry.changed and real.added == dry.added
    assert _store_bytes(store) != before


def test_cli_dry_run_and_withdraw(tmp_path: Path, key_file: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store"
    contracts = _csv(tmp_path / "umowy.csv", [CONTRACT_HEADER, CONTRACT_ROW])
    base = ["--store", str(store), "--key-file", str(key_file)]
    assert main(["import", str(contracts), *base, "--dry-run"]) == 0
    assert not (store / "manifest.json").exists() or read_store(store).contracts.empty
    assert main(["import", str(contracts), *base]) == 0
    assert main(["import", "--withdraw", str(contracts), *base]) == 0
    assert read_store(store).contracts.empty
    assert main(["import", "--withdraw", str(contracts), *base]) == 1
    out = capsys.readouterr().out
    assert "nic nie wycofano" in out


def test_every_table_has_a_key_of_its_own_columns_named_in_the_data_dictionary() -> None:
    data_md = (Path(__file__).parents[1] / "docs" / "DATA.md").read_text(encoding="utf-8")
    assert set(KEYS) == set(TABLES)
    for table, key in KEYS.items():
        assert key and set(key) <= set(TABLES[table].to_schema().columns), table
        line = f"| `{table}` | " + ", ".join(f"`{c}`" for c in key) + " |"
        assert line in data_md, line


def test_row_fixed_in_a_file_of_another_name_leaves_the_quarantine(
    tmp_path: Path, key_file: Path,
) -> None:
    store = tmp_path / "store"
    contracts = _csv(tmp_path / "umowy.csv", [CONTRACT_HEADER, CONTRACT_ROW])
    broken = _csv(tmp_path / "koszty.csv", [FINANCE_HEADER, "U/7;2024;dzialania;dotacja;1000;-900",
                                            "U/7;2024;administracyjne;dotacja;100;-9"])
    import_files([contracts, broken], store, key_file=key_file)
    assert len(open_quarantine(store)["finance"]) == 2
    fixed = _csv(tmp_path / "koszty_poprawione.csv",
                 [FINANCE_HEADER, "U/7;2024;dzialania;dotacja;1000;900"], encoding="cp1250")

    report = import_files([fixed], store, key_file=key_file)

    assert report.added == {"finance": 1}
    waiting = open_quarantine(store)["finance"]
    assert waiting["Kategoria kosztu"].tolist() == ["administracyjne"]
    assert report.open_quarantine == {"finance": 1}


def test_withdrawal_by_key_columns_alone_and_a_contract_only_with_its_rows(
    tmp_path: Path, key_file: Path,
) -> None:
    store = tmp_path / "store"
    contracts = _csv(tmp_path / "umowy.csv", [CONTRACT_HEADER, CONTRACT_ROW])
    finance = _csv(tmp_path / "koszty.csv", [FINANCE_HEADER, "U/7;2024;dzialania;dotacja;1000;900",
                                             "U/7;2024;administracyjne;dotacja;100;90"])
    import_files([contracts, finance], store, key_file=key_file)
    contract_only = _csv(tmp_path / "wycofaj_umowe.csv", [CONTRACT_HEADER, CONTRACT_ROW])
    keys_only = _csv(tmp_path / "wycofaj_koszt.csv", [
        "Numer umowy;Rok;Kategoria kosztu;Źródło finansowania", "U/7;2024;dzialania;dotacja"])

    refused = import_files([], store, key_file=key_file, withdraw=[contract_only])
    assert refused.exit_code == 1 and refused.removed == {"contracts": 0}
    assert "magazyn ma jeszcze jej wiersze (finance: 2)" in refused.to_text()
    assert len(read_store(store).contracts) == 1

    one = import_files([], store, key_file=key_file, withdraw=[keys_only])
    assert one.exit_code == 0 and one.removed == {"finance": 1}
    assert read_store(store).finance["category"].tolist() == ["administracyjne"]

    rest = _csv(tmp_path / "wycofaj_reszte.csv", [FINANCE_HEADER,
                                                   "U/7;2024;administracyjne;dotacja;100;90"])
    both = import_files([], store, key_file=key_file, withdraw=[contract_only, rest])
    assert both.exit_code == 0 and both.removed == {"contracts": 1, "finance": 1}
    assert read_store(store).contracts.empty and read_store(store).finance.empty


def test_history_is_filtered_by_gmina_and_names_store_versions(
    tmp_path: Path, key_file: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    store = tmp_path / "store"
    other = CONTRACT_ROW.replace("U/7;2013023", "U/9;2002063")
    first = _csv(tmp_path / "umowy.csv", [CONTRACT_HEADER, CONTRACT_ROW, other])
    import_files([first], store, key_file=key_file)
    version_one = read_store(store).data_hash
    second = _csv(tmp_path / "umowy2.csv", [CONTRACT_HEADER, other.replace("2024;2024", "2024;2025")])
    import_files([second], store, key_file=key_file)

    capsys.readouterr()
    assert main(["history", "--store", str(store), "--gmina", "2002063"]) == 0
    text = capsys.readouterr().out
    assert "contract_id=U/9" in text and "contract_id=U/7" not in text
    assert "end_year 2024 → 2025" in text
    assert f"wersja magazynu {version_one[:12]}" in text
    assert f"wersja magazynu {read_store(store).data_hash[:12]} (poprzednia {version_one[:12]})" \
        in text
    assert main(["history", "--store", str(store), "--table", "finance"]) == 0
    assert "pusta" in capsys.readouterr().out
    assert main(["history", "--store", str(store), "--table", "nieznana"]) == 2


def test_change_log_and_quarantine_name_respondents_only_by_pseudonym(
    tmp_path: Path, key_file: Path,
) -> None:
    store = tmp_path / "store"
    answers = _csv(tmp_path / "ankieta.csv", [
        "teryt;area;year;instrument;respondent_id;item_id;answer",
        "2013023;sport;2024;klient;Jan Kowalski;k_sat1;4",
        "2013023;sport;2024;klient;Anna Nowak;k_sat1;9",
    ])
    import_files([answers], store, key_file=key_file)
    corrected = _csv(tmp_path / "ankieta2.csv", [
        "teryt;area;year;instrument;respondent_id;item_id;answer",
        "2013023;sport;2024;klient;Jan Kowalski;k_sat1;5",
    ])
    report = import_files([corrected], store, key_file=key_file)

    assert report.changed == {"survey_responses": 1}
    texts = [(read_store_file(store, CHANGELOG_NAME) or b"").decode("utf-8")]
    assert "P-" in texts[0]
    held = (store / QUARANTINE_DIR / "survey_responses.csv").read_text(encoding="utf-8-sig")
    for text in [*texts, held, report.to_text()]:
        assert "Kowalski" not in text and "Nowak" not in text
    entries = read_changelog(store)
    assert [e["action"] for e in entries] == ["added", "changed"]
    assert entries[1]["old"]["answer"] == 4 and entries[1]["new"]["answer"] == 5
    assert entries[1]["key"]["respondent_id"].startswith("P-")
