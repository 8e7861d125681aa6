"""Research instruments built from the catalogue: XLSForms, printable PDFs, interview files."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from docx import Document
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from wkus_lib.catalog import Catalog, copy_default_catalog, load_catalog
from wkus_lib.cli import main
from wkus_lib.errors import CatalogError, InputError
from wkus_lib.instruments.forms import (
    ADMINISTRATOR_BLANK,
    audience_clause,
    clause_paragraphs,
    questionnaire,
    questionnaires,
)
from wkus_lib.instruments.interview import (
    CODES_SHEET,
    CODING_COLUMNS,
    CODING_SHEET,
    count_codes,
    read_coding_sheet,
    write_interview_files,
)
from wkus_lib.instruments.questionnaire import write_questionnaire_pdf
from wkus_lib.instruments.xlsform import StudySetup, write_xlsform

CATALOG = load_catalog()
FORM_IDS = [form.form_id for form in questionnaires(CATALOG)]
SETUP = StudySetup(teryt="2002063", area="pomoc_spoleczna", year=2024,
                   administrator="Gmina Łapy")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _squeezed(text: str) -> str:
    """Text without any whitespace: pdftotext may break a line anywhere, even after a slash."""
    return re.sub(r"\s+", "", text)


def _sheet_rows(path: Path, sheet: str) -> list[dict[str, Any]]:
    workbook = load_workbook(path, read_only=True)
    rows = list(workbook[sheet].iter_rows(values_only=True))
    workbook.close()
    header = [str(cell) for cell in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


# --------------------------------------------------------------------- catalogue


def test_five_questionnaires_cover_every_catalogue_item() -> None:
    assert FORM_IDS == ["klient", "personel", "samoocena", "wspolpraca_jst", "wspolpraca_ngo"]
    items = CATALOG.survey_items()
    for form in questionnaires(CATALOG):
        expected = items[items["instrument"] == form.instrument]["item_id"]
        assert sorted(i.item_id for i in form.items) == sorted(expected)
        assert form.table == ("cooperation_survey" if form.group else "survey_responses")
        for group in form.item_groups:
            assert {item.criterion for item in group.items} == {group.criterion}


def test_cooperation_groups_get_the_same_items_for_the_perception_gap() -> None:
    jst, ngo = questionnaire(CATALOG, "wspolpraca_jst"), questionnaire(CATALOG, "wspolpraca_ngo")
    assert (jst.group, ngo.group) == ("jst", "ngo")
    assert jst.items == ngo.items
    assert jst.title_pl != ngo.title_pl


def test_an_older_catalogue_without_presentation_fields_still_scores_but_cannot_print(
    tmp_path: Path,
) -> None:
    folder = copy_default_catalog(tmp_path / "stary")
    path = folder / "instruments.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("not_applicable", "criteria", "information_clauses", "instructions_pl",
                "interviews"):
        del data[key]
    del data["instruments"]["wspolpraca"]["respondent_groups"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    old = load_catalog(folder)
    assert len(old.survey_items()) == len(CATALOG.survey_items())
    assert old.instruments.not_applicable.name == "nd"
    with pytest.raises(CatalogError, match="criteria, information_clauses, instructions_pl"):
        questionnaires(old)


def _edited(tmp_path: Path, change: Any) -> Path:
    folder = copy_default_catalog(tmp_path / "katalog")
    path = folder / "instruments.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


def test_a_repeated_interview_code_is_rejected(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        sections = data["interviews"]["klient_indywidualny"]["sections"]
        sections[1]["codes"][0]["code"] = "SAT-POZ"

    with pytest.raises(CatalogError, match="kod powtarza się w scenariuszu: SAT-POZ"):
        load_catalog(_edited(tmp_path, change))


def test_an_item_criterion_missing_from_the_criteria_list_is_rejected(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["criteria"] = [c for c in data["criteria"] if c["criterion"] != "skutecznosc"]

    with pytest.raises(CatalogError, match="wpis „k_sku1”, pole „criterion”"):
        load_catalog(_edited(tmp_path, change))


def test_respondent_groups_belong_to_the_cooperation_survey_only(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["instruments"]["klient"]["respondent_groups"] = (
            data["instruments"]["wspolpraca"]["respondent_groups"])

    with pytest.raises(CatalogError, match="tylko w ankiecie „wspolpraca”"):
        load_catalog(_edited(tmp_path, change))


# ---------------------------------------------------------------------- XLSForm


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_xlsform_converts_with_pyxform(form_id: str, tmp_path: Path) -> None:
    form = questionnaire(CATALOG, form_id)
    path = write_xlsform(form, CATALOG, tmp_path / f"{form_id}.xlsx", StudySetup())
    warnings: list[str] = []
    xform = convert(xlsform=str(path), warnings=warnings).xform
    assert warnings == []
    assert f'id="wkus_{form_id}"' in xform
    for item in form.items:
        assert f"<{item.item_id}/>" in xform


def test_xlsform_questions_are_catalogue_items_in_criterion_groups(tmp_path: Path) -> None:
    form = questionnaire(CATALOG, "klient")
    path = write_xlsform(form, CATALOG, tmp_path / "klient.xlsx", StudySetup())
    survey = _sheet_rows(path, "survey")
    group: str | None = None
    seen: dict[str, str] = {}
    for row in survey:
        if row["type"] == "begin_group":
            group = row["name"]
            assert row["label"] == CATALOG.instruments.criterion_label(group).heading_pl
        elif row["type"] == "end_group":
            group = None
        elif row["type"] == "select_one skala":
            assert group is not None
            seen[row["name"]] = group
    assert seen == {item.item_id: item.criterion for item in form.items}
    assert {row["name"]: row["type"] for row in survey if row["name"] in
            ("teryt", "area", "year", "instrument")} == {
        "teryt": "text", "area": "select_one obszar", "year": "integer",
        "instrument": "calculate"}
    scale = [(r["name"], r["label"]) for r in _sheet_rows(path, "choices")
             if r["list_name"] == "skala"]
    assert scale == [*((str(k), v) for k, v in sorted(CATALOG.instruments.likert_labels.items())),
                     ("nd", "nie dotyczy")]


def test_fixed_study_setup_becomes_calculated_fields(tmp_path: Path) -> None:
    path = write_xlsform(questionnaire(CATALOG, "wspolpraca_jst"), CATALOG,
                         tmp_path / "jst.xlsx", SETUP)
    survey = {row["name"]: row for row in _sheet_rows(path, "survey")}
    assert survey["teryt"]["calculation"] == "'2002063'"
    assert survey["year"]["calculation"] == "'2024'"
    assert survey["group"]["calculation"] == "'jst'"
    assert "area" not in survey  # the cooperation survey is gmina-level
    assert "Gmina Łapy" in survey["informacja"]["label"]


# ------------------------------------------------------------------ printed PDF


@pytest.mark.parametrize("form_id", ["klient", "wspolpraca_ngo"])
def test_printed_questionnaire_has_the_clause_every_item_and_the_scale(
    form_id: str, tmp_path: Path,
) -> None:
    form = questionnaire(CATALOG, form_id)
    pdf = write_questionnaire_pdf(form, CATALOG, tmp_path / "ankieta.pdf", SETUP)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert "595.276 x 841.89 pts (A4)" in info.stdout
    text = _flat(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout)
    clause = audience_clause(CATALOG, form_id)
    assert clause.title_pl in text
    for paragraph in clause_paragraphs(CATALOG, "Gmina Łapy", form_id):
        assert _flat(paragraph) in text
    assert _flat(CATALOG.instruments.instructions_pl or "") in text
    for item in form.items:
        assert _squeezed(f"{item.text_pl} [{item.item_id}]") in _squeezed(text)
    assert text.count("nie dotyczy") >= len(form.item_groups)
    assert ("2002063" in text) and ("Obszar usługi" in text) == (form.group is None)


def test_without_an_administrator_the_clause_leaves_a_line_to_fill_in(tmp_path: Path) -> None:
    pdf = write_questionnaire_pdf(questionnaire(CATALOG, "personel"), CATALOG,
                                  tmp_path / "p.pdf", StudySetup())
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert f"Badanie prowadzi {ADMINISTRATOR_BLANK}" in text
    assert "{administrator}" not in text


# ------------------------------------------------------------------- interviews


def _interview_files(catalog: Catalog, key: str, folder: Path) -> tuple[Path, Path]:
    return write_interview_files(catalog.instruments.interviews[key], catalog,
                                 folder / f"{key}.docx", folder / f"{key}.xlsx", "Gmina Łapy")


@pytest.mark.parametrize("key", ["personel_grupowy", "klient_indywidualny"])
def test_guide_groups_questions_by_criterion(key: str, tmp_path: Path) -> None:
    interview = CATALOG.instruments.interviews[key]
    guide, _ = _interview_files(CATALOG, key, tmp_path)
    document = Document(str(guide))
    assert (round(document.sections[0].page_width.mm), round(  # type: ignore[union-attr]
        document.sections[0].page_height.mm)) == (210, 297)  # type: ignore[union-attr]
    paragraphs = [p.text for p in document.paragraphs]
    headings = [p.text for p in Document(str(guide)).paragraphs
                if p.style is not None and p.style.name == "Heading 1"]
    names = [CATALOG.instruments.criterion_label(s.criterion).name_pl for s in interview.sections]
    assert [h for h in headings if h[0].isdigit()] == [
        f"{i}. {name}" for i, name in enumerate(names, start=1)]
    text = "\n".join(paragraphs)
    for paragraph in clause_paragraphs(CATALOG, "Gmina Łapy", key):
        assert paragraph in paragraphs
    position = 0
    for section in interview.sections:
        heading = text.index(CATALOG.instruments.criterion_label(section.criterion).name_pl,
                             position)
        for question in section.questions:
            assert text.index(question.text_pl) > heading
            for probe in question.probes_pl:
                assert f"Dopytaj: {probe}" in paragraphs
        for code in section.codes:
            assert code.code in text[heading:]
        position = heading


@pytest.mark.parametrize("key", ["personel_grupowy", "klient_indywidualny"])
def test_coding_sheet_codes_map_to_catalogue_criteria(key: str, tmp_path: Path) -> None:
    interview = CATALOG.instruments.interviews[key]
    _, sheet = _interview_files(CATALOG, key, tmp_path)
    codes = _sheet_rows(sheet, CODES_SHEET)
    assert [row["Kod"] for row in codes] == list(interview.code_table()["code"])
    perspective_criteria = set(CATALOG.survey_items().query(
        "perspective == @interview.perspective")["criterion"])
    for row in codes:
        assert row["Kryterium (identyfikator)"] in perspective_criteria
        assert row["Kryterium"] == CATALOG.instruments.criterion_label(
            row["Kryterium (identyfikator)"]).name_pl
    workbook = load_workbook(sheet)
    validations = workbook[CODING_SHEET].data_validations.dataValidation
    assert len(validations) == 1
    assert validations[0].type == "list"
    assert validations[0].formula1 == f"{CODES_SHEET}!$A$2:$A${len(codes) + 1}"
    assert "F2:F501" in str(validations[0].sqref)


def _fill(sheet: Path, rows: list[tuple[str | None, str | None, str | None]]) -> None:
    workbook = load_workbook(sheet)
    coding = workbook[CODING_SHEET]
    header = [cell.value for cell in coding[1]]
    for number, (interview, fragment, code) in enumerate(rows, start=2):
        coding.cell(row=number, column=header.index(CODING_COLUMNS["interview_id"]) + 1,
                    value=interview)
        coding.cell(row=number, column=header.index(CODING_COLUMNS["fragment"]) + 1,
                    value=fragment)
        coding.cell(row=number, column=header.index(CODING_COLUMNS["code"]) + 1, value=code)
    workbook.save(sheet)


def test_coded_interviews_are_counted_per_criterion_and_kind(tmp_path: Path) -> None:
    interview = CATALOG.instruments.interviews["klient_indywidualny"]
    _, sheet = _interview_files(CATALOG, "klient_indywidualny", tmp_path)
    _fill(sheet, [
        ("W01", "Pani jest zawsze miła.", "POD-POZ"),
        ("W01", "Nikt mnie nie pyta o zdanie.", "POD-NEG"),
        ("W02", "Szanują mnie.", "pod-poz"),
        ("W02", "Wreszcie wychodzę z domu.", "SKU-POZ"),
        ("W03", "Przydałoby się więcej godzin.", "ADE-REK"),
    ])
    counts = count_codes(read_coding_sheet(sheet), interview, CATALOG, file=sheet.name)
    assert len(counts) == 12  # 4 criteria × 3 kinds, zeros included
    indexed = counts.set_index(["criterion", "kind"])
    assert indexed.loc[("podmiotowosc", "mocna_strona"), "fragments"] == 2
    assert indexed.loc[("podmiotowosc", "mocna_strona"), "interviews"] == 2
    assert indexed.loc[("podmiotowosc", "problem"), "fragments"] == 1
    assert indexed.loc[("skutecznosc", "mocna_strona"), "fragments"] == 1
    assert indexed.loc[("adekwatnosc", "rekomendacja"), "fragments"] == 1
    assert indexed.loc[("satysfakcja", "problem"), "fragments"] == 0
    assert counts["fragments"].sum() == 5
    assert set(counts["criterion_pl"]) == {"Satysfakcja (zadowolenie)", "Adekwatność",
                                           "Skuteczność", "Podmiotowość i humanitarność"}


def test_an_unknown_code_names_the_row_and_the_allowed_codes(tmp_path: Path) -> None:
    interview = CATALOG.instruments.interviews["personel_grupowy"]
    _, sheet = _interview_files(CATALOG, "personel_grupowy", tmp_path)
    _fill(sheet, [("G1", "Mamy za mało czasu.", "ADE-NEG"), ("G1", "Brak szkoleń.", "XYZ")])
    with pytest.raises(InputError) as error:
        count_codes(read_coding_sheet(sheet), interview, CATALOG, file=sheet.name)
    message = str(error.value)
    assert "wiersz 3" in message and "„XYZ”" in message and "kod spoza listy" in message
    assert "SAT-POZ" in message


def test_a_file_that_is_not_a_coding_sheet_is_refused_in_polish(tmp_path: Path) -> None:
    path = tmp_path / "notatki.xlsx"
    path.write_text("to nie jest arkusz", encoding="utf-8")
    with pytest.raises(InputError, match="nie można odczytać arkusza kodowania"):
        read_coding_sheet(path)


# -------------------------------------------------------------------------- CLI


def test_instruments_command_writes_every_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "narzędzia"
    assert main(["instruments", str(out), "--administrator", "Gmina Łapy"]) == 0
    names = sorted(p.name for p in out.iterdir())
    expected = sorted(
        [f"kwestionariusz_{f}.pdf" for f in FORM_IDS] + [f"xlsform_{f}.xlsx" for f in FORM_IDS]
        + [f"scenariusz_{k}.docx" for k in CATALOG.instruments.interviews]
        + [f"kodowanie_{k}.xlsx" for k in CATALOG.instruments.interviews]
    )
    assert names == expected
    assert "sprawdzono programem pyxform" in capsys.readouterr().out


def test_count_codes_command_prints_counts_and_writes_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    _, sheet = _interview_files(CATALOG, "personel_grupowy", tmp_path)
    _fill(sheet, [("G1", "Klienci są zadowoleni.", "SAT-POZ"),
                  ("G2", "Klienci chwalą.", "SAT-POZ")])
    out = tmp_path / "liczby.csv"
    assert main(["count-codes", str(sheet), "--scenario", "personel_grupowy",
                 "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 zakodowane fragmenty, 2 wywiady" in printed
    assert "Satysfakcja (zadowolenie) – mocna_strona: 2 fragmenty (2 wywiady)" in printed
    assert out.read_text(encoding="utf-8").startswith(
        "criterion,criterion_pl,kind,fragments,interviews")


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--gmina", "123", "Niepoprawny kod TERYT „123”"),
    ("--area", "kosmos", "Nieznany obszar „kosmos”"),
])
def test_bad_setup_stops_before_writing(
    option: str, value: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["instruments", str(tmp_path / "x"), option, value]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_forms_and_interview_files_carry_no_timestamps() -> None:
    """Fixed zip entry dates and document dates: the same catalogue gives the same bytes."""
    import io
    import zipfile

    from wkus_lib.files.stable import ZIP_DATE_TIME
    from wkus_lib.instruments.interview import coding_sheet, guide_document
    from wkus_lib.instruments.xlsform import xlsform_bytes

    interview = CATALOG.instruments.interviews["personel_grupowy"]
    for payload in (xlsform_bytes(questionnaire(CATALOG, "personel"), CATALOG, SETUP),
                    coding_sheet(interview, CATALOG),
                    guide_document(interview, CATALOG, "Gmina Łapy")):
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            assert {info.date_time for info in archive.infolist()} == {ZIP_DATE_TIME}
            core = archive.read("docProps/core.xml").decode("utf-8")
        assert "2000-01-01T00:00:00Z" in core


# ------------------------------------------------------- clauses fit their audience


def _clause_text(audience: str) -> str:
    return " ".join(clause_paragraphs(CATALOG, "Gmina Łapy", audience))


def test_every_questionnaire_and_interview_has_its_own_clause() -> None:
    audiences = CATALOG.instruments.audiences()
    assert set(audiences) == {*FORM_IDS, *CATALOG.instruments.interviews}
    assert set(CATALOG.instruments.information_clauses) == set(audiences)


@pytest.mark.parametrize("audience", ["klient", "klient_indywidualny"])
def test_clients_hear_about_their_help_not_about_their_work(audience: str) -> None:
    text = _clause_text(audience)
    assert "nie wpływają na pomoc, którą Pani/Pan otrzymuje" in text
    assert "pracy" not in text


@pytest.mark.parametrize("audience", ["personel", "personel_grupowy", "wspolpraca_jst"])
def test_staff_and_officials_hear_about_their_work_not_about_help(audience: str) -> None:
    text = _clause_text(audience)
    assert "pomoc, którą Pani/Pan otrzymuje" not in text
    assert "ocenę" in text and "pracy" in text


def test_ngos_hear_about_their_funding_and_the_provider_is_told_it_is_not_anonymous() -> None:
    assert "przyznawaniu środków" in _clause_text("wspolpraca_ngo")
    self_assessment = _clause_text("samoocena")
    assert "nie jest anonimowa" in self_assessment
    assert "Ankieta jest anonimowa" not in self_assessment


@pytest.mark.parametrize("audience", ["personel_grupowy", "klient_indywidualny"])
def test_interviews_are_confidential_not_anonymous_and_ask_before_recording(
    audience: str,
) -> None:
    text = _clause_text(audience)
    assert "anonimow" not in text.replace("nie anonimowa", "")
    assert "poufna" in text
    assert "Bez zgody nie nagrywamy" in text or "Jeśli ktoś się nie zgadza, nie nagrywamy" in text
    steps = CATALOG.instruments.interviews[audience].introduction_pl
    consent = next(i for i, step in enumerate(steps) if "zgadza się na nagrywanie" in step)
    clause = next(i for i, step in enumerate(steps) if "Odczytaj informację" in step)
    assert clause < consent
    assert "Nagrywanie jest jeszcze wyłączone" in steps[clause]
    assert "Włącz nagrywanie dopiero" in steps[consent]


def test_quote_threshold_in_clauses_and_guide_follows_the_catalogue(tmp_path: Path) -> None:
    quotes = CATALOG.settings.suppression.quotes_threshold
    threshold = CATALOG.settings.suppression.threshold
    assert f"łącznie co najmniej {quotes} osób" in _clause_text("personel_grupowy")
    assert f"łącznie z co najmniej {quotes} osobami" in _clause_text("klient_indywidualny")
    assert f"grup mniejszych niż {threshold} osób" in _clause_text("klient")
    # surveys collect no statements, so their clauses promise nothing about quotes
    assert "wypowiedzi" not in _clause_text("klient").lower()
    guide, _ = _interview_files(CATALOG, "personel_grupowy", tmp_path)
    participants = next(p.text for p in Document(str(guide)).paragraphs
                        if p.text.startswith("Uczestnicy:"))
    # a group of 6–8 is below the quote threshold: the guide says quotes need more people
    assert "6–8 osób" in participants and f"co najmniej {quotes} osób" in participants
    assert "{" not in participants
    text = "\n".join(p.text for p in Document(str(guide)).paragraphs)
    assert "{" not in text


def test_a_clause_for_an_unknown_instrument_is_refused(tmp_path: Path) -> None:
    def add_unknown(data: dict[str, Any]) -> None:
        data["information_clauses"]["rodzice"] = data["information_clauses"]["klient"]

    with pytest.raises(CatalogError, match="nieznanych narzędzi: rodzice"):
        load_catalog(_edited(tmp_path, add_unknown))
