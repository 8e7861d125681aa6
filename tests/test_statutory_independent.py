"""Every number of the ``wkus sprawozdanie`` DOCX against an independent pandas computation.

The store's parquet files are located through its manifest and read with
pandas; the catalogue's YAML files and the price index CSV are read as plain
files. Every table and number the DOCX shows is recomputed here from those
raw frames by the catalogue's written definitions (``indicators.yaml``),
without the indicator engine, the statutory helpers or the metrics modules.
Then every table of the DOCX must equal its recomputed table cell by cell
(so each shown number equals an independent value and each independent value
is shown), and every number in the paragraphs must be either structure (a
chapter number, the year, an article of the act) or a recomputed value.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import numpy as np
import pandas as pd
import pytest
import yaml
from docx.oxml.ns import qn

import wkus_lib
from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary
from wkus_lib.domain import AREA_NAMES
from wkus_lib.evaluation.data_gaps import table_label

CASES = [("2002063", 2025), ("2264011", 2025), ("2002063", 2023)]
"""Łapy 2025 (two multi-year contracts end: E9, E9R), Sopot 2025 (the Sopot contract ends),
Łapy 2023 (contracts running, no E9)."""
DATA = Path(wkus_lib.__file__).parent / "data"
HIDDEN = "ukryto (za mało odpowiedzi)"
DASH = "—"
COOPERATION = ("W1", "W2", "W3", "W4", "W5", "W6", "WC", "WGAP")
MODES = ("multi_year", "annual_grant")
SOURCES = ("dotacja", "srodki_wlasne", "swiadczenia_odbiorcow", "inne_publiczne", "inne")
SOURCE_LABELS = ("dotacja (przyznana przez gminę)", "środki własne organizacji",
                 "świadczenia pieniężne odbiorców", "inne środki publiczne", "pozostałe źródła")
STATUS = {"green": "dobrze", "amber": "uwaga", "red": "źle", None: "brak oceny"}
CRITERIA = {"Q1": "satysfakcja", "Q2": "adekwatnosc", "Q3": "skutecznosc", "Q4": "podmiotowosc"}


@dataclass(frozen=True)
class Num:
    """An expected number shown with ``decimals`` and an optional unit (None: "—")."""

    value: float | None
    decimals: int
    unit: str = ""


Cell = str | Num


# ------------------------------------------------------------------ reading the inputs


def raw_tables(store_dir: Path) -> dict[str, pd.DataFrame]:
    """Each table of the store as pandas reads its parquet file (located by the manifest)."""
    manifest = json.loads((store_dir / "manifest.json").read_text(encoding="utf-8"))
    return {name: pd.read_parquet(store_dir / entry["file"])
            for name, entry in manifest["tables"].items()}


def gmina_tables(raw: dict[str, pd.DataFrame], teryt: str) -> dict[str, pd.DataFrame]:
    ids = set(raw["contracts"].loc[raw["contracts"]["teryt"] == teryt, "contract_id"])
    return {name: (frame[frame["teryt"] == teryt] if "teryt" in frame.columns
                   else frame[frame["contract_id"].isin(ids)]).reset_index(drop=True)
            for name, frame in raw.items()}


@pytest.fixture(scope="module")
def catalogue() -> dict[str, Any]:
    indicators = yaml.safe_load((DATA / "indicators.yaml").read_text(encoding="utf-8"))
    instruments = yaml.safe_load((DATA / "instruments.yaml").read_text(encoding="utf-8"))
    return {"settings": indicators["settings"],
            "indicators": {spec["id"]: spec for spec in indicators["indicators"]},
            "instruments": instruments}


def docx_body(path: Path) -> tuple[list[str], list[list[list[str]]]]:
    """The paragraphs' texts and the tables' cell texts, in document order."""
    document = docx.Document(str(path))
    paragraphs: list[str] = []
    tables: list[list[list[str]]] = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraphs.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            tables.append([["".join(t.text or "" for t in cell.iter(qn("w:t")))
                            for cell in row.iter(qn("w:tc"))] for row in child.iter(qn("w:tr"))])
    return paragraphs, tables


# ------------------------------------------------------------------ small pandas helpers


def total(frame: pd.DataFrame, column: str) -> float | None:
    """A sum that is "no data" (None) when there are no rows or no values."""
    values = frame[column].dropna()
    return float(values.sum()) if len(values) else None


def share(numerator: float | None, denominator: float | None, scale: float = 100.0) -> float | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator * scale


def active(contracts: pd.DataFrame, year: int) -> pd.DataFrame:
    return contracts[(contracts["start_year"] <= year) & (contracts["end_year"] >= year)]


def likert(answers: pd.DataFrame, items: pd.DataFrame, keys: list[str],
           min_answered: float) -> pd.DataFrame:
    """Per unit (``keys``) and scale: the mean respondent score 0–100 and respondents ``n``.

    A respondent's score is (mean recoded answer − 1) / 4 × 100 over the scale's answered
    items (reversed items 6 − x); fewer answered items than ``min_answered`` of the scale's
    items leave the respondent out.
    """
    merged = answers.merge(items[["item_id", "reverse", "scale"]], on="item_id")
    answer = merged["answer"].astype("float64")
    merged = merged.assign(coded=np.where(merged["reverse"], 6 - answer, answer))
    per_person = merged.groupby([*keys, "scale", "respondent_id"]).agg(
        answered=("coded", "count"), mean=("coded", "mean")).reset_index()
    size = items.groupby("scale").size()
    kept = per_person[(per_person["answered"] > 0) & (
        per_person["answered"] >= min_answered * per_person["scale"].map(size))]
    kept = kept.assign(score=(kept["mean"] - 1) / 4 * 100)
    return kept.groupby([*keys, "scale"])["score"].agg(value="mean", n="count").reset_index()


def status(spec: dict[str, Any], value: float | None) -> str:
    thresholds = spec.get("thresholds")
    if value is None or thresholds is None:
        return STATUS[None]
    if spec["direction"] == "higher":
        rank = "green" if value >= thresholds["green"] else (
            "amber" if value >= thresholds["amber"] else "red")
    else:
        rank = "green" if value <= thresholds["green"] else (
            "amber" if value <= thresholds["amber"] else "red")
    return STATUS[rank]


def precision(unit: str) -> tuple[int, str]:
    """Decimals and unit text an indicator of this catalogue unit is shown with: money per
    beneficiary whole, other money and ratios to a grosz, shares and points to one decimal."""
    if unit == "zł" or unit.startswith("zł na odbiorcę"):
        return 0, "zł"
    if unit.startswith("zł"):
        return 2, "zł"
    if unit in ("%", "pkt proc."):
        return 1, unit
    return (1, "") if unit.startswith("pkt") else (2, "")


def name(spec: dict[str, Any]) -> str:
    return f"{spec['id']} {spec['name_pl']} [{spec['unit']}]"


# ------------------------------------------------------------------ the indicators by hand


@dataclass(frozen=True)
class Shown:
    """An indicator value as a report may show it: a number, no data, or hidden."""

    value: float | None
    hidden: bool = False

    def cell(self, decimals: int = 1, unit: str = "") -> Cell:
        return HIDDEN if self.hidden else Num(self.value, decimals, unit)


class Recompute:
    """The catalogue's definitions applied to one gmina's raw tables."""

    def __init__(self, own: dict[str, pd.DataFrame], catalogue: dict[str, Any]) -> None:
        self.own = own
        self.settings = catalogue["settings"]
        self.instruments = catalogue["instruments"]
        self.threshold = self.settings["suppression"]["threshold"]
        self.min_answered = self.settings["missing_answers"]["min_answered"]
        contracts = own["contracts"][["contract_id", "area", "mode"]]
        self.by_area = {name: own[name].merge(contracts, on="contract_id")
                        for name in ("finance", "contributions", "results", "beneficiaries",
                                     "standard_checklist")}

    # --- cooperation (gmina level)

    def checklist(self, indicator: str, year: int) -> Shown:
        items = pd.DataFrame(self.instruments["cooperation_checklist"])
        rows = self.own["cooperation_checklist"]
        rows = rows[(rows["year"] == year) & rows["value"].notna()].merge(items, on="item_id")
        rows = rows[rows["indicator"] == indicator]
        if rows.empty:
            return Shown(None)
        scores = np.where(rows["kind"] == "binary", np.minimum(rows["value"], 1.0),
                          np.minimum(rows["value"] / rows["target"], 1.0)) * 100
        return Shown(float(np.mean(scores)))

    def cooperation_items(self) -> pd.DataFrame:
        return pd.DataFrame(self.instruments["instruments"]["wspolpraca"]["items"])

    def survey(self, indicator: str, year: int, group: str) -> Shown:
        items = self.cooperation_items()
        items = items[items["indicator"] == indicator].assign(scale=indicator)
        answers = self.own["cooperation_survey"]
        answers = answers[(answers["year"] == year) & (answers["group"] == group)]
        scores = likert(answers, items, [], self.min_answered)
        if scores.empty:
            return Shown(None)
        row = scores.iloc[0]
        return Shown(float(row["value"]), hidden=int(row["n"]) < self.threshold)

    def gap(self, year: int) -> Shown:
        items = self.cooperation_items().assign(scale="wspolpraca")
        answers = self.own["cooperation_survey"]
        scores = likert(answers[answers["year"] == year], items, ["group"], self.min_answered)
        groups = scores.set_index("group")
        if not {"jst", "ngo"} <= set(groups.index):
            return Shown(None)
        value = float(groups.loc["jst", "value"] - groups.loc["ngo", "value"])
        n = min(int(groups.loc["jst", "n"]), int(groups.loc["ngo", "n"]))
        return Shown(value, hidden=n < self.threshold)

    def cooperation(self, indicator: str, year: int) -> Shown:
        if indicator in ("W1", "W2", "W3", "W4"):
            return self.checklist(indicator, year)
        if indicator in ("W5", "W6"):
            return self.survey(indicator, year, "ngo")
        if indicator == "WGAP":
            return self.gap(year)
        weights = self.settings["cooperation_weights"]
        parts = {w: self.cooperation(w, year) for w in weights}
        usable = {w: s.value for w, s in parts.items() if s.value is not None and not s.hidden}
        if not usable:
            return Shown(None)
        return Shown(sum(weights[w] * v for w, v in usable.items())
                     / sum(weights[w] for w in usable))

    # --- area level

    def _area(self, name: str, area: str, year: int) -> pd.DataFrame:
        frame = self.by_area[name]
        return frame[(frame["area"] == area) & (frame["year"] == year)]

    def client_score(self, indicator: str, area: str, year: int, instrument: str) -> Shown:
        items = pd.DataFrame(self.instruments["instruments"][instrument]["items"])
        items = items[items["criterion"] == CRITERIA[indicator]].assign(scale=indicator)
        answers = self.own["survey_responses"]
        answers = answers[(answers["area"] == area) & (answers["year"] == year)
                          & (answers["instrument"] == instrument)]
        scores = likert(answers, items, [], self.min_answered)
        if scores.empty:
            return Shown(None)
        row = scores.iloc[0]
        hidden = instrument == "klient" and int(row["n"]) < self.threshold
        return Shown(float(row["value"]), hidden=hidden)

    def triangulation(self, area: str, year: int) -> Shown:
        gaps, hidden = [], False
        for indicator in CRITERIA:
            own_view = self.client_score(indicator, area, year, "samoocena")
            clients = self.client_score(indicator, area, year, "klient")
            hidden = hidden or clients.hidden
            if own_view.value is not None and clients.value is not None:
                gaps.append(own_view.value - clients.value)
        return Shown(max(gaps) if gaps else None, hidden=hidden and bool(gaps))

    def coverage(self, area: str, year: int) -> Shown:
        needs = self.own["needs"]
        needs = needs[(needs["area"] == area) & (needs["year"] <= year)].sort_values("year")
        served = total(self._area("beneficiaries", area, year), "clients_served")
        latest = float(needs["people_in_need"].iloc[-1]) if len(needs) else None
        return Shown(share(served, latest))

    def achievement(self, area: str, year: int) -> float | None:
        results = self._area("results", area, year).dropna(subset=["achieved"])
        results = results[results["target"] > 0]
        if results.empty:
            return None
        cap = self.settings["result_display_cap"]
        return float(np.minimum(results["achieved"] / results["target"], cap).mean() * 100)

    def standard(self, indicator: str, area: str, year: int) -> Shown:
        rows = self._area("standard_checklist", area, year)
        if rows.empty:
            return Shown(None)
        confirmed = rows["jst_confirmed"].astype("boolean")
        if indicator == "Q5D":
            return Shown(float(rows["self_met"].mean() * 100))
        if indicator == "Q5":
            questioned = confirmed.eq(False).fillna(False)  # inspected and found not met
            met = rows["self_met"] & ~questioned
            return Shown(float(met.mean() * 100))
        if confirmed.isna().all():
            return Shown(None)
        return Shown(float((rows["self_met"] & confirmed.fillna(False)).mean() * 100))

    def unit_cost(self, area: str, year: int) -> float | None:
        cost = total(self._area("finance", area, year), "actual")
        return share(cost, total(self._area("beneficiaries", area, year), "clients_served"), 1)

    def area_value(self, indicator: str, area: str, year: int) -> Shown:
        finance = self._area("finance", area, year)
        people = self._area("beneficiaries", area, year)
        if indicator in CRITERIA:
            return self.client_score(indicator, area, year, "klient")
        if indicator == "TRI":
            return self.triangulation(area, year)
        if indicator == "Q2C":
            return self.coverage(area, year)
        if indicator == "Q3R":
            return Shown(self.achievement(area, year))
        if indicator in ("Q5", "Q5D", "Q5K"):
            return self.standard(indicator, area, year)
        if indicator == "Q6":
            left, staff = total(people, "staff_left"), total(people, "staff_count")
            ratio = share(left, staff, 1)
            return Shown(None if ratio is None else (1 - ratio) * 100)
        if indicator == "Q7":
            return Shown(share(total(people, "complaints"), total(people, "clients_served")))
        if indicator == "E3":
            return Shown(share(float(finance["actual"].fillna(0).sum()),
                               total(finance, "planned")))
        if indicator == "E4":
            admin = finance[finance["category"] == "administracyjne"]
            return Shown(share(total(admin, "actual"), total(finance, "actual")))
        if indicator == "E5":
            grant = total(finance[finance["source"] == "dotacja"], "actual")
            other = float(finance.loc[finance["source"] != "dotacja", "actual"].sum())
            contributions = float(self._area("contributions", area, year)["value"].sum())
            return Shown(share(other + contributions, grant, 1))
        if indicator in ("E9", "E9R"):
            return Shown(self.switch_effect(indicator, area, year))
        raise AssertionError(f"no definition for {indicator}")

    # --- E9 / E9R: the evaluated contract against the annual grants before it

    def price_level(self) -> dict[int, float]:
        index = pd.read_csv(DATA / "ceny_gus_cpi.csv").sort_values("year")
        level, levels = 1.0, {}
        for row in index.itertuples():
            level *= row.cpi_services / 100
            levels[int(row.year)] = level
        return levels

    def annual_years(self, area: str) -> set[int]:
        contracts = self.own["contracts"]
        grants = contracts[(contracts["area"] == area) & (contracts["mode"] == "annual_grant")]
        return {y for row in grants.itertuples()
                for y in range(int(row.start_year), int(row.end_year) + 1)}

    def switch_effect(self, indicator: str, area: str, year: int) -> float | None:
        contracts = self.own["contracts"]
        ended = contracts[(contracts["area"] == area) & (contracts["mode"] == "multi_year")
                          & (contracts["end_year"] == year)]
        if ended.empty:
            return None
        start = int(ended["start_year"].iloc[0])
        levels = self.price_level()

        def measure(area_id: str, y: int) -> float | None:
            if indicator == "E9R":
                return self.achievement(area_id, y)
            cost = self.unit_cost(area_id, y)
            return None if cost is None or y not in levels else cost / levels[y]

        after = {y: v for y in range(start, year + 1) if (v := measure(area, y)) is not None}
        before = {y: v for y in sorted(self.annual_years(area)) if y < start
                  if (v := measure(area, y)) is not None}
        if not after or not before:
            return None
        own_change = self.change(before, after, indicator)
        changes = []
        for other in sorted(set(contracts["area"]) - {area}):
            annual = self.annual_years(other)
            values = {y: v for y in [*before, *after] if y in annual
                      if (v := measure(other, y)) is not None}
            if set(values) == set(before) | set(after):
                changes.append(self.change({y: values[y] for y in before},
                                           {y: values[y] for y in after}, indicator))
        return own_change - (float(np.mean(changes)) if changes else 0.0)

    @staticmethod
    def change(before: dict[int, float], after: dict[int, float], indicator: str) -> float:
        mean_before, mean_after = np.mean(list(before.values())), np.mean(list(after.values()))
        if indicator == "E9R":
            return float(mean_after - mean_before)
        return float((mean_after / mean_before - 1) * 100)


# ------------------------------------------------------------------ the expected document


def stages(own: dict[str, pd.DataFrame], area: str, year: int) -> set[str]:
    now = active(own["contracts"], year)
    now = now[now["area"] == area]
    found = set()
    for row in now.itertuples():
        if row.mode == "annual_grant":
            found.add("ex_ante")
        else:
            found.add("on_going")
            if row.end_year == year:
                found.add("ex_post")
    return found


def expected_tables(own: dict[str, pd.DataFrame], catalogue: dict[str, Any],
                    year: int) -> dict[str, list[list[Cell]]]:
    """Every table of the report (header row first), keyed by its first header cell(s)."""
    before = year - 1
    calc = Recompute(own, catalogue)
    contracts = own["contracts"]
    tables: dict[str, list[list[Cell]]] = {}

    now, then = active(contracts, year), active(contracts, before)
    rows: list[list[Cell]] = []
    for area in sorted(set(now["area"]) | set(then["area"])):
        row: list[Cell] = [AREA_NAMES[area]]
        for frame in (now, then):
            row += [Num(float(((frame["area"] == area) & (frame["mode"] == m)).sum()), 0)
                    for m in MODES]
        rows.append(row)
    rows.append(["razem", *[Num(float((f["mode"] == m).sum()), 0)
                            for f in (now, then) for m in MODES]])
    tables["contracts"] = [["obszar", f"kontrakty wieloletnie {year}", f"dotacje roczne {year}",
                            f"kontrakty wieloletnie {before}", f"dotacje roczne {before}"], *rows]

    finance = own["finance"]
    rows = []
    for source, label in [*zip(SOURCES, SOURCE_LABELS, strict=True), (None, "razem")]:
        part = finance if source is None else finance[finance["source"] == source]
        rows.append([label, *[Num(total(part[part["year"] == y], kind), 2, "zł")
                              for y in (year, before) for kind in ("planned", "actual")]])
    tables["finance"] = [["źródło", f"planowane {year}", f"poniesione {year}",
                          f"planowane {before}", f"poniesione {before}"], *rows]

    grants = calc.by_area["finance"]
    grants = grants[(grants["source"] == "dotacja") & (grants["year"] == year)]
    sums = grants.groupby(["area", "mode"])[["planned", "actual"]].sum().reset_index()
    tables["grants"] = [["obszar", "tryb", "przyznane", "wydane"], *[
        [AREA_NAMES[r.area], "kontrakty wieloletnie" if r.mode == "multi_year"
         else "dotacje roczne", Num(r.planned, 2, "zł"), Num(r.actual, 2, "zł")]
        for r in sums.sort_values(["area", "mode"]).itertuples()]]

    gifts = own["contributions"]
    rows = [[label, *[Num(total(gifts[(gifts["kind"] == kind) & (gifts["year"] == y)], "value"),
                          2, "zł") for y in (year, before)]]
            for kind, label in (("osobowy", "wkład osobowy"), ("rzeczowy", "wkład rzeczowy"))]
    rows.append(["godziny pracy wolontariuszy", *[
        Num(total(gifts[(gifts["kind"] == "osobowy") & (gifts["year"] == y)],
                  "volunteer_hours"), 0) for y in (year, before)]])
    tables["contributions"] = [["wkład", str(year), str(before)], *rows]

    people = calc.by_area["beneficiaries"]
    rows = []
    for area in sorted(set(people.loc[people["year"].isin([year, before]), "area"])):
        part = people[people["area"] == area]
        rows.append([AREA_NAMES[area], *[
            Num(total(part[part["year"] == y], column), 0)
            for column in ("clients_served", "service_hours") for y in (year, before)]])
    tables["beneficiaries"] = [["obszar", f"odbiorcy {year}", f"odbiorcy {before}",
                                f"godziny {year}", f"godziny {before}"], *rows]

    results = calc.by_area["results"]
    results = results[results["year"] == year]
    rows = []
    for area in sorted(set(results["area"])):
        part = results[results["area"] == area]
        rows.append([AREA_NAMES[area], Num(float(len(part)), 0),
                     Num(float((part["achieved"] >= part["target"]).sum()), 0),
                     Num(float((part["achieved"] < part["target"]).sum()), 0),
                     Num(float(part["achieved"].isna().sum()), 0)])
    tables["results"] = [["obszar", "rezultaty planowane", "osiągnięte w pełni",
                          "osiągnięte częściowo", "bez danych w sprawozdaniu"], *rows]

    checklist = own["cooperation_checklist"]
    rows = []
    for item in catalogue["instruments"]["cooperation_checklist"]:
        if item["indicator"] not in ("W3", "W4"):
            continue
        row = [item["text_pl"]]
        for y in (year, before):
            found = checklist[(checklist["item_id"] == item["item_id"]) & (checklist["year"] == y)]
            if found.empty:
                row.append(DASH)
            elif item["kind"] == "binary":
                row.append("tak" if float(found["value"].iloc[0]) >= 1 else "nie")
            else:
                row.append(Num(float(found["value"].iloc[0]), 2))
        rows.append(row)
    tables["checklist"] = [["pozycja", str(year), str(before)], *rows]

    specs = catalogue["indicators"]
    tables["cooperation"] = [["wskaźnik", str(year), str(before), "wartość docelowa"], *[
        [name(specs[i]), calc.cooperation(i, year).cell(), calc.cooperation(i, before).cell(),
         Num(specs[i]["target"], 1)] for i in COOPERATION]]

    views: list[list[Cell]] = []
    if (own["cooperation_survey"]["year"] == year).any():
        views = [[name(specs[i]), *[calc.survey(i, year, g).cell() for g in ("jst", "ngo")]]
                 for i in ("W5", "W6")]
    tables["views"] = [["wskaźnik", "JST", "NGO"], *views]

    rows = []
    for area in sorted(set(active(contracts, year)["area"])):
        area_stages = stages(own, area, year)
        for indicator, spec in specs.items():
            if (spec["target"] is None or indicator in COOPERATION or spec.get("optional")
                    or not area_stages & set(spec["stages"])):
                continue
            shown = calc.area_value(indicator, area, year)
            # The year before: the indicator when the area's stage then reported it.
            earlier = (calc.area_value(indicator, area, before)
                       if stages(own, area, before) & set(spec["stages"]) else Shown(None))
            decimals, unit = precision(spec["unit"])
            rows.append([AREA_NAMES[area], name(spec), shown.cell(decimals, unit),
                         earlier.cell(decimals, unit), Num(spec["target"], decimals, unit),
                         status(spec, None if shown.hidden else shown.value)])
    tables["targets"] = [["obszar", "wskaźnik", f"wartość {year}", f"wartość {before}",
                          "wartość docelowa", f"ocena {year}"], *rows]

    e9: list[list[Cell]] = [[AREA_NAMES[area], Num(value, 1, "%")]
                            for area in sorted(set(active(contracts, year)["area"]))
                            if (value := calc.switch_effect("E9", area, year)) is not None]
    tables["e9"] = [["obszar", "zmiana kosztu jednostkowego (E9)"], *e9]

    chapter: list[list[Cell]] = []
    for i in COOPERATION:
        baseline = calc.cooperation(i, year)
        chapter.append([name(specs[i]), "[do uzupełnienia]" if baseline.value is None
                        else baseline.cell(), Num(specs[i]["target"], 1)])
    tables["chapter"] = [["wskaźnik", f"wartość bazowa ({year})",
                          f"wartość docelowa ({year + 1})"], *chapter]

    rows = []
    for table, frame in own.items():
        if "start_year" in frame.columns:
            years = (list(range(int(frame["start_year"].min()), int(frame["end_year"].max()) + 1))
                     if len(frame) else [])
        else:
            years = sorted(int(y) for y in frame["year"].unique())
        span = (f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])) if years else DASH
        rows.append([table_label(table), Num(float(len(frame)), 0), span])
    tables["sources"] = [["tabela", "wiersze", "lata"], *rows]
    return tables


# ------------------------------------------------------------------ comparing


NUMBER = re.compile(r"(?<![\w,])(?:−?\d{1,3}(?:\u00a0\d{3})+(?:,\d+)?|−?\d+(?:,\d+)?)")
"""A number as the report writes it, not a digit inside a code such as W1 or E9."""


def parse(text: str) -> tuple[float, int, str] | None:
    """A whole cell that is one Polish number: value, decimals shown, unit."""
    match = re.fullmatch(r"(−?[\d\u00a0]+)(?:,(\d+))?(?:\u00a0(zł|%|pkt proc\.))?", text)
    if match is None:
        return None
    value = float(match[1].replace("\u00a0", "").replace("−", "-") + "." + (match[2] or "0"))
    return value, len(match[2] or ""), match[3] or ""


def same(shown: str, expected: Cell) -> bool:
    if isinstance(expected, str):
        return shown == expected
    if expected.value is None or (isinstance(expected.value, float) and math.isnan(expected.value)):
        return shown == DASH
    parsed = parse(shown)
    if parsed is None:
        return False
    value, decimals, unit = parsed
    return (decimals == expected.decimals and unit == expected.unit
            and abs(value - expected.value) <= 0.5 * 10 ** -decimals + 1e-9)


def mismatches(shown: list[list[str]], expected: list[list[Cell]]) -> Iterator[str]:
    """Each shown row against the one expected row with its labels (the text cells of its
    first two columns); every expected row must be shown once."""
    remaining = list(expected[1:])
    for row in shown[1:]:
        candidates = [want for want in remaining
                      if all(row[i] == cell for i, cell in enumerate(want[:2])
                             if isinstance(cell, str))]
        if len(candidates) != 1:
            yield f"row {row}: {len(candidates)} expected rows with its labels"
            continue
        remaining.remove(candidates[0])
        for position, (text, cell) in enumerate(zip(row, candidates[0], strict=True)):
            if not same(text, cell):
                yield f"{row[0]!r} / {row[1]!r} column {position}: shown {text!r}, expected {cell}"
    yield from (f"expected row not shown: {want}" for want in remaining)


def match_table(shown: list[list[str]], expected: dict[str, list[list[Cell]]]) -> str:
    found = [key for key, table in expected.items() if table[0] == shown[0]]
    assert len(found) == 1, f"no single expected table for header {shown[0]}"
    return found[0]


# ------------------------------------------------------------------ the tests


@pytest.fixture(scope="module", params=CASES, ids=[f"{t}-{y}" for t, y in CASES])
def case(request: pytest.FixtureRequest, demo: DemoSummary,
         tmp_path_factory: pytest.TempPathFactory,
         catalogue: dict[str, Any]) -> tuple[list[str], list[list[list[str]]],
                                             dict[str, list[list[Cell]]], dict[str, Any]]:
    teryt, year = request.param
    out = tmp_path_factory.mktemp("independent")
    assert main(["sprawozdanie", "--gmina", teryt, "--year", str(year),
                 "--store", str(demo.store_dir), "--out", str(out)]) == 0
    paragraphs, tables = docx_body(
        next(out.glob(f"{teryt}-*")) / f"sprawozdanie_program_wspolpracy_{year}.docx")
    raw = raw_tables(demo.store_dir)
    own = gmina_tables(raw, teryt)
    manifest = json.loads((demo.store_dir / "manifest.json").read_text(encoding="utf-8"))
    facts = {"year": year, "own": own, "hash": manifest["hash"]}
    return paragraphs, tables, expected_tables(own, catalogue, year), facts


def test_every_docx_table_equals_its_independent_computation(case: Any) -> None:
    paragraphs, tables, expected, _facts = case
    keys = [match_table(table, expected) for table in tables]
    empty = [key for key, table in expected.items() if len(table) == 1]
    assert sorted(keys) == sorted(set(expected) - set(empty)), "a recomputed table is not shown"
    # An empty table is a line saying so (its header row is not drawn).
    assert sum(p.startswith("Brak wierszy w danych") for p in paragraphs) == len(empty)
    problems = [f"{key}: {problem}" for key, table in zip(keys, tables, strict=True)
                for problem in mismatches(table, expected[key])]
    assert not problems, "\n".join(problems)


def test_the_recomputation_covers_what_the_report_is_for(case: Any) -> None:
    """The comparison above is only as strong as the tables it meets: they hold numbers."""
    _paragraphs, tables, expected, facts = case
    numbers = [cell for table in tables for row in table[1:] for cell in row if parse(cell)]
    assert len(numbers) > 100
    targets = expected["targets"][1:]
    assert {row[1].split()[0] for row in targets} >= {"Q3R", "E3", "E4", "E5"}
    cooperation = expected["cooperation"][1:]
    assert sum(isinstance(row[1], Num) and row[1].value is not None for row in cooperation) >= 4
    if facts["year"] == 2025:
        assert len(expected["e9"]) > 1  # an ended contract: E9 is recomputed and compared


def test_every_number_in_the_paragraphs_is_structure_or_recomputed(case: Any) -> None:
    paragraphs, _tables, _expected, facts = case
    year, own = facts["year"], facts["own"]
    contracts = own["contracts"]
    new_grants = int(((contracts["start_year"] == year)
                      & (contracts["mode"] == "annual_grant")).sum())
    text = "\n".join(paragraphs)
    assert f"Wersja magazynu danych (skrót manifestu): {facts['hash']}." in text
    priced = set(pd.read_csv(DATA / "ceny_gus_cpi.csv")["year"])
    ended = contracts[(contracts["mode"] == "multi_year") & (contracts["end_year"] == year)]
    unpriced = sorted({y for row in ended.itertuples()
                       for y in range(int(row.start_year), year + 1)} - priced)
    if unpriced:  # the cost comparison leaves them out, and the report says so
        assert f"Koszty z {', '.join(map(str, unpriced))} r. nie wchodzą do porównania" in text
    else:
        assert "nie wchodzą do porównania" not in text
    structure = [
        (r"^\d{1,2}\. ", ""),  # chapter numbers
        (r"art\. 5a ust\. 3", ""), (r"art\. 5a ust\. 4 pkt 9", ""), (r"do 31 maja", ""),
        (r"punkty 0–100", ""), (r"\[pkt 0–100\]", ""), (re.escape(facts["hash"]), ""),
        (r"wkus \d+\.\d+\.\d+", ""), (rf"\b({year}|{year - 1}|{year + 1})\b", ""),
    ]
    found: list[float] = []
    for paragraph in paragraphs:
        for pattern, replacement in structure:
            paragraph = re.sub(pattern, replacement, paragraph)
        found += [float(n.replace("\u00a0", "").replace(",", ".").replace("−", "-"))
                  for n in NUMBER.findall(paragraph)]
    assert found == [new_grants]
