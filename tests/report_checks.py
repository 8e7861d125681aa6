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

    from wkus_lib.report import benchmark, ex_ante, ex_post, on_going, open_report, overview
    from wkus_lib.report import display as report_display
    from wkus_lib.report import show_title

    outputs: list[dict[str, object]] = []

    def collect(*objects: object, raw: bool = False, **_kwargs: object) -> None:
        outputs.extend(_bundle(obj) for obj in objects)

    with mock.patch.object(report_display, "display", collect):
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
