"""The order a batch builds its reports in: longest first, from the last build's times."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from wkus_lib.batch.build import ReportTask
from wkus_lib.batch.params import ReportParams, ReportSpec
from wkus_lib.batch.runner import longest_first
from wkus_lib.domain import ON_GOING


def task(stem: str, notebook: str = "on_going.ipynb") -> ReportTask:
    params = ReportParams(teryt="2013023", area="sport", kind=ON_GOING, year=2024,
                          store_dir="store")
    spec = ReportSpec(notebook=notebook, params=params, output_stem=stem, title=stem,
                      group=("g", "s", stem))
    return ReportTask(spec, "{}", str(Path.cwd()), str(Path.cwd()), ("html",), False)


def entry(seconds: float, notebook: str = "on_going.ipynb") -> dict[str, Any]:
    return {"duration_s": seconds, "notebook": notebook, "status": "ok"}


def stems(tasks: list[ReportTask]) -> list[str]:
    return [t.spec.output_stem for t in tasks]


def test_reports_that_took_longest_last_time_go_first() -> None:
    tasks = [task("a"), task("b"), task("c")]
    previous = {"a": entry(2.0), "b": entry(9.0), "c": entry(5.0)}
    assert stems(longest_first(tasks, previous)) == ["b", "c", "a"]


def test_a_new_report_counts_as_the_mean_of_its_notebook() -> None:
    tasks = [task("short"), task("new", "ex_post.ipynb"), task("other-new", "benchmark.ipynb")]
    previous = {"short": entry(3.0), "old-1": entry(10.0, "ex_post.ipynb"),
                "old-2": entry(6.0, "ex_post.ipynb")}
    # new: mean of ex_post 8.0 > short 3.0 > other-new (no history for its notebook: 0)
    assert stems(longest_first(tasks, previous)) == ["new", "short", "other-new"]


def test_without_history_the_order_is_kept() -> None:
    tasks = [task("x"), task("y"), task("z")]
    assert stems(longest_first(tasks, {})) == ["x", "y", "z"]
    assert stems(longest_first(tasks, {"y": {"status": "failed"}})) == ["x", "y", "z"]
