"""Close the loop: XLSForm → simulated Kobo export → ``wkus import`` → indicators.

The export is generated from the converted form's own field list (the XForm
instance pyxform makes, group prefixes included), so a renamed question or
group breaks this test. The imported store must give the same indicators as
a store written directly from the simulated answers.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pandas.testing as pdt

from wkus_lib.catalog import load_catalog
from wkus_lib.demo import DemoSummary
from wkus_lib.evaluation.indicators import compute_indicators
from wkus_lib.instruments.forms import Questionnaire, questionnaires
from wkus_lib.instruments.xlsform import StudySetup, convert_xlsform, xlsform_bytes
from wkus_lib.intake.importer import import_files
from wkus_lib.store import read_store, write_store

XFORMS = "{http://www.w3.org/2002/xforms}"
JAVAROSA = "{http://openrosa.org/javarosa}"
KOBO_SYSTEM_COLUMNS = (
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
    "_submitted_by", "__version__", "_tags", "_index",
)
RESPONDENTS = {"klient": 12, "personel": 6, "samoocena": 1, "wspolpraca_jst": 5,
               "wspolpraca_ngo": 9}
SURVEY_INDICATORS = ["Q1", "Q2", "Q3", "Q4", "TRI", "W5", "W6", "WGAP", "WC"]


def xform_fields(xform: str) -> list[str]:
    """Export column names of a form: instance leaves as ``group/name``, notes left out."""
    root = ET.fromstring(xform)
    model = root.find(f".//{XFORMS}model")
    assert model is not None
    data = model.find(f"{XFORMS}instance")[0]  # type: ignore[index]
    notes = {bind.get("nodeset") for bind in model.iter(f"{XFORMS}bind")
             if bind.get("readonly") == "true()" and bind.get("calculate") is None
             and bind.get(f"{JAVAROSA}preload") is None}

    def walk(node: ET.Element, path: str) -> list[str]:
        here = f"{path}/{node.tag.removeprefix(XFORMS)}"
        if len(node):
            return [field for child in node for field in walk(child, here)]
        return [] if here in notes else [here]

    top = f"/{data.tag.removeprefix(XFORMS)}"
    return [field.removeprefix(top + "/") for child in data for field in walk(child, top)]


def _simulated_export(
    form: Questionnaire, fields: list[str], unit: dict[str, object], rng: np.random.Generator,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A Kobo-style export (one row per submission) and the same answers in the store's shape."""
    items = {item.item_id for item in form.items}
    choices = np.array(["1", "2", "3", "4", "5", "nd", ""], dtype=object)
    weights = np.array([0.08, 0.12, 0.2, 0.3, 0.22, 0.05, 0.03])
    wide, long = [], []
    for number in range(RESPONDENTS[form.form_id]):
        respondent = str(uuid.UUID(int=int(rng.integers(1 << 62)) + number))
        row: dict[str, object] = {}
        for field in fields:
            name = field.rsplit("/", 1)[-1]
            if name in items:
                answer = str(rng.choice(choices, p=weights))
                row[field] = answer
                long.append({**{k: unit[k] for k in _keys(form)}, "respondent_id": respondent,
                             "item_id": name,
                             "answer": int(answer) if answer.isdigit() else pd.NA})
            elif name in ("teryt", "area", "year"):
                row[field] = str(unit[name])
            elif name == "instrument":
                row[field] = form.instrument
            elif name == "group":
                row[field] = form.group
            elif name == "instanceID":
                row[field] = f"uuid:{respondent}"
            else:  # start, end
                row[field] = "2024-05-06T10:15:00.000+02:00"
        system = {"_id": 1000 + number, "_uuid": respondent,
                  "_submission_time": "2024-05-06T08:20:00", "_validation_status": "",
                  "_notes": "", "_status": "submitted_via_web", "_submitted_by": "",
                  "__version__": "vabc", "_tags": "", "_index": number + 1}
        wide.append({**row, **{c: system[c] for c in KOBO_SYSTEM_COLUMNS}})
    frame = pd.DataFrame(wide, columns=[*fields, *KOBO_SYSTEM_COLUMNS])
    answers = pd.DataFrame(long)
    if form.group is None:
        answers.insert(3, "instrument", form.instrument)
    else:
        answers.insert(2, "group", form.group)
    return frame, answers


def _keys(form: Questionnaire) -> tuple[str, ...]:
    return ("teryt", "area", "year") if form.group is None else ("teryt", "year")


def test_kobo_export_of_every_form_imports_into_the_same_indicators(
    demo: DemoSummary, tmp_path: Path,
) -> None:
    catalog = load_catalog()
    base = read_store(demo.store_dir)
    responses = base.survey_responses
    klient = responses[responses["instrument"] == "klient"]
    first = klient.sort_values(["teryt", "area", "year"]).iloc[0]
    unit = {"teryt": first["teryt"], "area": first["area"], "year": int(first["year"])}

    tables = base.tables()
    in_unit = ((responses["teryt"] == unit["teryt"]) & (responses["area"] == unit["area"])
               & (responses["year"] == unit["year"]))
    tables["survey_responses"] = responses[~in_unit]
    cooperation = tables["cooperation_survey"]
    tables["cooperation_survey"] = cooperation[
        ~((cooperation["teryt"] == unit["teryt"]) & (cooperation["year"] == unit["year"]))]
    imported_store, direct_store = tmp_path / "importowany", tmp_path / "bezposredni"
    write_store(tables, imported_store, synthetic=base.synthetic)

    rng = np.random.default_rng(8)
    exports: list[Path] = []
    simulated: dict[str, list[pd.DataFrame]] = {"survey_responses": [], "cooperation_survey": []}
    for form in questionnaires(catalog):
        xform = convert_xlsform(xlsform_bytes(form, catalog, StudySetup()), form.form_id)
        fields = xform_fields(xform)
        assert {f"{g.criterion}/{i.item_id}" for g in form.item_groups for i in g.items} <= set(
            fields)
        wide, answers = _simulated_export(form, fields, unit, rng)
        path = tmp_path / "eksport" / f"{form.form_id}_-_all_versions_-_labels_-_2024-05-06.csv"
        path.parent.mkdir(exist_ok=True)
        wide.to_csv(path, sep=";", index=False, encoding="utf-8-sig")
        exports.append(path)
        simulated[form.table].append(answers)

    report = import_files(exports, imported_store, key_file=tmp_path / "klucz.key")
    assert report.problems.empty, report.to_text()
    assert not any(report.quarantined.values())
    expected_rows = {table: sum(len(f) for f in frames) for table, frames in simulated.items()}
    assert report.added == expected_rows

    for table, frames in simulated.items():
        tables[table] = pd.concat([tables[table], *frames], ignore_index=True)
    write_store(tables, direct_store, synthetic=base.synthetic)

    teryt = [str(unit["teryt"])]
    via_import = compute_indicators(read_store(imported_store), teryt=teryt)
    direct = compute_indicators(read_store(direct_store), teryt=teryt)
    pdt.assert_frame_equal(via_import, direct)

    year_rows = via_import[(via_import["year"] == unit["year"])
                           & via_import["indicator"].isin(SURVEY_INDICATORS)]
    in_area = year_rows[(year_rows["area"] == unit["area"]) | year_rows["area"].isna()]
    published = in_area.dropna(subset=["value"])
    assert {"Q1", "Q2", "Q3", "Q4", "W5", "W6"} <= set(published["indicator"])
    q1 = published[published["indicator"] == "Q1"].iloc[0]
    assert q1["n"] == RESPONDENTS["klient"]


def test_export_columns_carry_group_prefixes_and_the_context_fields() -> None:
    catalog = load_catalog()
    forms = {form.form_id: form for form in questionnaires(catalog)}
    fields = xform_fields(convert_xlsform(
        xlsform_bytes(forms["wspolpraca_ngo"], catalog, StudySetup()), "wspolpraca_ngo"))
    assert fields[:6] == ["start", "end", "teryt", "year", "instrument", "group"]
    assert "znajomosc_zasad/c_zas1" in fields and "satysfakcja_wspolpracy/c_sat3" in fields
    assert fields[-1] == "meta/instanceID"
    assert "informacja" not in fields  # notes carry no data
