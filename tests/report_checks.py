"""Checks shared by the report tests: what a reader sees, and privacy."""

from __future__ import annotations

import html
import re

import pandas as pd

from wkus_lib.domain import load_gminy


def visible_text(page: str) -> str:
    """The report's text without tags and embedded images."""
    without_images = re.sub(r'src="data:image/[^"]+"', "", page)
    return re.sub(r"<[^>]+>", " ", without_images)


def other_gminas_in(page: str, teryt: str, contracts: pd.DataFrame) -> list[str]:
    """Codes, names and NGOs of gminy other than ``teryt`` that appear in a report page.

    An NGO that also works in ``teryt`` is its own and may appear.
    """
    text = visible_text(page)
    others = contracts[contracts["teryt"] != teryt]
    assert not others.empty, "the check needs other gminy in the store"
    codes = set(others["teryt"])
    registry = load_gminy()
    own_ngos = set(contracts.loc[contracts["teryt"] == teryt, "ngo_name"])
    leaked = [code for code in codes if re.search(rf"(?<!\d){code}(?!\d)", page)]
    leaked += [registry[c].name for c in codes if c in registry and registry[c].name in text]
    leaked += [ngo for ngo in set(others["ngo_name"]) - own_ngos
               if ngo in text or html.escape(ngo) in page]
    return leaked


# ------------------------------------------------------------ rendering without a kernel


REPORT_KINDS = ("ex_ante", "on_going", "ex_post", "gmina_overview", "benchmark")

# One report of each kind on the pilot demo data: (kind, teryt, area, year).
SAMPLE_REPORTS: list[tuple[str, str | None, str | None, int]] = [
    ("ex_ante", "2002063", "sport", 2025),
    ("on_going", "2002063", "kultura", 2024),
    ("ex_post", "2013023", "pomoc_spoleczna", 2025),
    ("gmina_overview", "2013023", None, 2025),
    ("benchmark", None, "pomoc_spoleczna", 2025),
]


def _bundle(obj: object) -> dict[str, object]:
    """What a notebook would store for one display call: a mimebundle."""
    if isinstance(obj, dict):
        return obj
    bundle: dict[str, object] = {}
    for mimetype, method in (("text/html", "_repr_html_"), ("text/markdown", "_repr_markdown_")):
        render = getattr(obj, method, None)
        if render is not None:
            text = render()
            if text is not None:
                bundle[mimetype] = text
    if not bundle:
        bundle["image/png" if type(obj).__name__ == "Image" else "text/plain"] = repr(obj)
    return bundle


def render_sections(
    kind: str, teryt: str | None, area: str | None, year: int, store_dir: str, *,
    lang: str = "pl",
) -> list[dict[str, object]]:
    """Call the report functions a kind's notebook calls, in its order; return the outputs.

    The same sequence as ``notebooks/<kind>.ipynb`` without a kernel, so a
    test can render many data subsets quickly.
    """
    from unittest import mock

    import matplotlib.pyplot as plt

    from wkus_lib.report import (
        benchmark,
        ex_ante,
        ex_post,
        on_going,
        open_report,
        overview,
        show_title,
    )
    from wkus_lib.report import display as report_display
    from wkus_lib.text.i18n import language

    outputs: list[dict[str, object]] = []

    def collect(*objects: object, raw: bool = False, **_kwargs: object) -> None:
        outputs.extend(_bundle(obj) for obj in objects)

    # The language is scoped to this rendering, as a kernel is to its report.
    with language(lang), mock.patch.object(report_display, "display", collect):
        if kind == "benchmark":
            assert area is not None
            bench = benchmark.open_benchmark(area, year, store_dir, lang)
            for show in (benchmark.show_title, benchmark.show_summary,
                         benchmark.show_satisfaction, benchmark.show_unit_cost,
                         benchmark.show_multi_year_vs_annual, benchmark.show_appendix):
                show(bench)
        else:
            assert teryt is not None
            ctx = open_report(teryt, area, kind, year, store_dir, lang)
            show_title(ctx)
            if kind == "ex_ante":
                ex_ante.show_summary(ctx, 4)
                ex_ante.show_needs(ctx)
                ex_ante.show_baseline(ctx)
                ex_ante.show_horizon_costs(ctx, 4)
                ex_ante.show_checklist(ctx, 4)
                ex_ante.show_proposed_indicators(ctx)
                ex_ante.show_appendix(ctx, 4)
            elif kind == "on_going":
                for section in (on_going.show_summary, on_going.show_results,
                                on_going.show_budget, on_going.show_surveys,
                                on_going.show_warnings, on_going.show_data_quality,
                                on_going.show_appendix):
                    section(ctx)
            elif kind == "ex_post":
                ex_post.show_summary(ctx)
                ex_post.show_quality(ctx)
                ex_post.show_efficiency(ctx)
                ex_post.show_multi_year_vs_annual(ctx)
                ex_post.show_sroi(ctx, "", 0.035)
                ex_post.show_recommendation(ctx)
                ex_post.show_appendix(ctx)
            elif kind == "gmina_overview":
                for section in (overview.show_traffic_lights, overview.show_summary,
                                overview.show_cooperation, overview.show_cooperation_trend,
                                overview.show_appendix):
                    section(ctx)
            else:
                raise ValueError(kind)
    plt.close("all")
    return outputs


def output_text(outputs: list[dict[str, object]]) -> str:
    """The visible text of collected outputs (HTML and Markdown, tags removed)."""
    parts = [str(bundle.get("text/html") or bundle.get("text/markdown") or "")
             for bundle in outputs]
    return html.unescape(visible_text("\n".join(parts)))


# ------------------------------------------------------------ one source per number


NUMBER_WITH_UNIT = re.compile(
    r"(?<![\d,.])([−+\-]?\d{1,3}(?:[\u00a0\u202f ]\d{3})*(?:,\d+)?)[\u00a0\u202f ]"
    r"(zł|%|pkt proc\.|pkt)(?![\w])"
)
"""A number in Polish format followed by a space and a unit (``95%`` without a space is a
confidence level, not a cited value)."""
NUMBER = re.compile(r"(?<![\d,.])[−+\-]?\d{1,3}(?:[\u00a0\u202f ]\d{3})*(?:,\d+)?(?![\d])")
HEADER_UNIT = re.compile(r"\[(zł|%|pkt proc\.|pkt)\]")


def unit_class(unit: object) -> str | None:
    """A catalogue or displayed unit reduced to what a reader sees: zł, %, pkt proc., pkt."""
    text = str(unit or "").strip()
    if text.startswith("zł"):
        return "zł"
    if text.startswith("pkt proc."):
        return "pkt proc."
    if text.startswith("pkt"):
        return "pkt"
    if text == "%":
        return "%"
    return None


def _plain_number(text: str) -> str:
    """``−1 234,5`` → ``1234,5``: the digits a reader compares (the sign is said in words)."""
    return re.sub(r"[\s\u00a0\u202f]", "", text).lstrip("−+-")


def table_numbers(outputs: list[dict[str, object]]) -> set[tuple[str, str | None]]:
    """Every (number, unit) a report's tables show, from their displayed (formatted) cells.

    The unit of a cell is its own suffix (``1 234 zł``), else its column
    header's (``Koszt [zł]``), else the row's ``Jednostka`` in the table's raw
    values (the scorecard), else none.
    """
    from wkus_lib.report.display import table_texts
    from wkus_lib.report.outputs import TABLE_MIMETYPE

    found: set[tuple[str, str | None]] = set()
    for bundle in outputs:
        if TABLE_MIMETYPE not in bundle:
            continue
        raw = bundle[TABLE_MIMETYPE]["data"]  # type: ignore[index]
        columns = list(raw["columns"])
        row_units = ([row[columns.index("Jednostka")] for row in raw["data"]]
                     if "Jednostka" in columns else None)
        headers, rows = table_texts(str(bundle["text/html"]))
        for k, row in enumerate(rows):
            for column, cell in enumerate(row):
                header = headers[column] if column < len(headers) else ""
                header_unit = HEADER_UNIT.search(header)
                default = (header_unit.group(1) if header_unit else
                           unit_class(row_units[k]) if row_units and k < len(row_units)
                           else None)
                for match in NUMBER.finditer(cell):
                    rest = cell[match.end():].lstrip("\u00a0\u202f ")
                    suffix = next((u for u in ("zł", "%", "pkt proc.", "pkt")
                                   if rest.startswith(u)), None)
                    found.add((_plain_number(match.group(0)), suffix or default))
    return found


def finding_texts(outputs: list[dict[str, object]]) -> list[str]:
    """The findings of a report: the items of its ``<ul class="findings">`` lists."""
    items: list[str] = []
    for bundle in outputs:
        page = str(bundle.get("text/html") or "")
        for block in re.findall(r'<ul class="findings">(.*?)</ul>', page, flags=re.DOTALL):
            items += [html.unescape(re.sub(r"<[^>]+>", "", item))
                      for item in re.findall(r"<li>(.*?)</li>", block, flags=re.DOTALL)]
    return items


def cited_numbers(findings: list[str]) -> list[tuple[str, str]]:
    """Every number with a unit the findings cite, as (number, unit)."""
    return [(_plain_number(m.group(1)), m.group(2))
            for text in findings for m in NUMBER_WITH_UNIT.finditer(text)]


def numbers_without_source(outputs: list[dict[str, object]]) -> list[tuple[str, str]]:
    """Numbers the findings cite that no table of the same report shows with the same unit."""
    shown = table_numbers(outputs)
    return [cited for cited in cited_numbers(finding_texts(outputs)) if cited not in shown]
