"""Workshop notebooks: one source, two generated versions, self-checks that mean it."""

from __future__ import annotations

import ast
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import papermill as pm
import pytest

from wkus_lib.cli import main
from wkus_lib.demo import DemoSummary, write_demo
from wkus_lib.errors import InputError
from wkus_lib.workshop.build import (
    EXERCISE_TAG,
    SOLUTION_TAG,
    SOURCE_DIR,
    TRAINER_SUFFIX,
    TRAINER_TAG,
    WORKSHOP_DIR,
    build_workshop,
    exercise_stub,
    render,
)
from wkus_lib.workshop.feedback import UNANSWERED, Feedback, compare_number

SOURCES = sorted(SOURCE_DIR.glob("*.ipynb"))
CHECK_PREFIX = "checks.check_"
OTHER_SEED = 7


@dataclass(frozen=True)
class Exercise:
    """A self-check cell of a source notebook and the answer variable it checks."""

    notebook: str
    check_source: str
    answer_name: str

    @property
    def id(self) -> str:
        return f"{self.notebook[:2]}-{self.check_source.split('(')[0].removeprefix(CHECK_PREFIX)}"


def _tags(cell: dict[str, Any]) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _exercises() -> list[Exercise]:
    found = []
    for path in SOURCES:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and cell.source.startswith(CHECK_PREFIX):
                call = ast.parse(cell.source).body[-1]
                assert isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
                answer = call.value.args[0]
                assert isinstance(answer, ast.Name)
                found.append(Exercise(path.name, cell.source, answer.id))
    return found


EXERCISES = _exercises()


def _run_cells(path: Path, store_dir: Path) -> dict[str, Any]:
    """Execute a source notebook's code in-process (as the trainer would) and return its names."""
    namespace: dict[str, Any] = {"__name__": "__workshop__"}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or cell.source.startswith(CHECK_PREFIX):
            continue
        # Running the trusted source notebooks of this repository, as a kernel would.
        exec(compile(cell.source, f"{path.name}:{cell.get('id')}", "exec"), namespace)  # noqa: S102
        if "parameters" in _tags(cell):
            namespace["store_dir"] = str(store_dir)
    return namespace


@pytest.fixture(scope="module")
def solved(demo: DemoSummary) -> dict[str, dict[str, Any]]:
    """Each source notebook's names after running its solutions on the demo store."""
    return {path.name: _run_cells(path, demo.store_dir) for path in SOURCES}


def _check(exercise: Exercise, namespace: dict[str, Any], answer: object) -> Feedback:
    feedback = eval(exercise.check_source, {**namespace, exercise.answer_name: answer})
    assert isinstance(feedback, Feedback)
    return feedback


def _wrong(answer: object) -> object:
    """A plausible but wrong answer of the same kind."""
    if isinstance(answer, bool):
        return not answer
    if isinstance(answer, str):
        return "inne_kryterium" if answer != "inne_kryterium" else "green"
    if isinstance(answer, set):
        return {*answer, "Q99"}
    assert isinstance(answer, int | float) and not math.isnan(answer)
    return answer + max(1.0, abs(answer) * 0.2)


# ------------------------------------------------------------------ generation


def test_there_are_six_workshops_with_exercises() -> None:
    assert [p.name[:2] for p in SOURCES] == ["01", "02", "03", "04", "05", "06"]
    assert {e.notebook for e in EXERCISES} == {p.name for p in SOURCES}


def test_committed_participant_notebooks_are_what_the_generator_writes() -> None:
    committed = sorted(p.name for p in WORKSHOP_DIR.glob("*.ipynb"))
    assert committed == [p.name for p in SOURCES]
    for source in SOURCES:
        assert (WORKSHOP_DIR / source.name).read_text(encoding="utf-8") == render(
            source, trainer=False
        ), f"{source.name}: uruchom „wkus workshop notebooks/workshop”"


def test_participant_version_hides_solutions_and_trainer_notes() -> None:
    for source in SOURCES:
        original = nbformat.read(source, as_version=4)
        solutions = [c.source for c in original.cells if SOLUTION_TAG in _tags(c)]
        participant = json.loads((WORKSHOP_DIR / source.name).read_text(encoding="utf-8"))
        tags = [tag for cell in participant["cells"] for tag in _tags(cell)]
        assert SOLUTION_TAG not in tags and TRAINER_TAG not in tags
        stubs = "\n".join("".join(c["source"]) for c in participant["cells"]
                           if EXERCISE_TAG in _tags(c))
        assert stubs.count(" = ...  # uzupełnij") >= len(solutions) > 0
        for exercise in EXERCISES:
            if exercise.notebook == source.name:
                assert f"{exercise.answer_name} = ...  # uzupełnij" in stubs
        code_lines = [line for solution in solutions for line in solution.splitlines()
                      if len(line) > 15 and not line.startswith(("#", "from ", "import "))]
        text = (WORKSHOP_DIR / source.name).read_text(encoding="utf-8")
        assert code_lines and not [line for line in code_lines if json.dumps(line, ensure_ascii=False)[1:-1] in text]


def test_trainer_version_keeps_solutions_notes_and_says_so(tmp_path: Path) -> None:
    written = build_workshop(tmp_path, trainer=True)
    assert [p.name for p in written] == [f"{s.stem}{TRAINER_SUFFIX}.ipynb" for s in SOURCES]
    for source, path in zip(SOURCES, written, strict=True):
        original = nbformat.read(source, as_version=4)
        trainer = nbformat.read(path, as_version=4)
        assert "prowadzącego" in trainer.cells[1].source
        assert [c.source for c in trainer.cells if c.get("id") != "trainer-banner"] == [
            c.source for c in original.cells
        ]


def test_generated_notebooks_carry_no_outputs(tmp_path: Path) -> None:
    for trainer in (False, True):
        for path in build_workshop(tmp_path / str(trainer), trainer=trainer):
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "code":
                    assert cell.outputs == [] and cell.execution_count is None


def test_every_workshop_documents_its_parameters_for_papermill() -> None:
    for path in WORKSHOP_DIR.glob("*.ipynb"):
        parameters = pm.inspect_notebook(str(path))
        assert set(parameters) == {"store_dir", "seed"}, path.name
        assert all(p["help"] for p in parameters.values())


def test_exercise_stub_keeps_the_task_the_imports_and_blanks_every_answer() -> None:
    stub = exercise_stub(
        "# Policz koszt.\nfrom math import fsum\n\nsuma = fsum([1.0, 2.0])\n"
        "odpowiedz = suma / 2\nodpowiedz += 0",
        "x.ipynb",
    )
    assert stub.splitlines()[0] == "# Policz koszt."
    assert "from math import fsum" in stub
    assert "suma = ...  # uzupełnij" in stub and "odpowiedz = ...  # uzupełnij" in stub
    assert "fsum([" not in stub and stub.count("odpowiedz =") == 1


def test_solution_that_assigns_nothing_is_rejected() -> None:
    with pytest.raises(InputError, match="solution"):
        exercise_stub("# Zadanie\nprint(1)", "zly.ipynb")


def test_cli_writes_the_trainer_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["workshop", str(tmp_path), "--trainer"]) == 0
    assert len(list(tmp_path.glob(f"*{TRAINER_SUFFIX}.ipynb"))) == len(SOURCES)
    assert "prowadzącego" in capsys.readouterr().out


def test_cli_without_sources_fails_with_a_polish_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["workshop", str(tmp_path / "out"), "--source", str(tmp_path)]) == 2
    assert "brak notatników źródłowych" in capsys.readouterr().err


# ------------------------------------------------------------------ self-checks


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_self_check_accepts_the_trainer_solution(
    exercise: Exercise, solved: dict[str, dict[str, Any]]
) -> None:
    namespace = solved[exercise.notebook]
    feedback = _check(exercise, namespace, namespace[exercise.answer_name])
    assert feedback.correct is True, feedback.message
    assert feedback.message.startswith("Dobrze!")


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_self_check_rejects_a_wrong_answer(
    exercise: Exercise, solved: dict[str, dict[str, Any]]
) -> None:
    namespace = solved[exercise.notebook]
    feedback = _check(exercise, namespace, _wrong(namespace[exercise.answer_name]))
    assert feedback.correct is False
    assert "Dobrze" not in feedback.message and "Sprawdź" in feedback.message


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_self_check_asks_to_fill_in_an_unanswered_stub(
    exercise: Exercise, solved: dict[str, dict[str, Any]]
) -> None:
    feedback = _check(exercise, solved[exercise.notebook], ...)
    assert feedback.correct is None and feedback.message == UNANSWERED


@pytest.mark.slow
def test_self_checks_follow_the_data_not_fixed_numbers(
    tmp_path: Path, solved: dict[str, dict[str, Any]]
) -> None:
    other = write_demo(tmp_path / "raw", tmp_path / "store", seed=OTHER_SEED)
    changed = 0
    for path in SOURCES:
        namespace = _run_cells(path, other.store_dir)
        for exercise in (e for e in EXERCISES if e.notebook == path.name):
            answer = namespace[exercise.answer_name]
            feedback = _check(exercise, namespace, answer)
            assert feedback.correct is True, (exercise.id, feedback.message)
            changed += answer != solved[path.name][exercise.answer_name]
    assert changed >= len(EXERCISES) // 2


def test_self_check_of_a_wrong_type_explains_instead_of_raising() -> None:
    feedback = compare_number("75", 75.0, tolerance=0.1, praise="", hint="wzór.")
    assert feedback.correct is False and "liczbą" in feedback.message


def test_feedback_renders_in_a_notebook() -> None:
    html = Feedback(True, "Dobrze! <b>")._repr_html_()
    assert "Dobrze! &lt;b&gt;" in html and "border-left" in html


# ------------------------------------------------------------------ headless runs


def _check_outputs(path: Path) -> list[str]:
    texts = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code" and cell.source.startswith(CHECK_PREFIX):
            data = [o.get("data", {}) for o in cell.outputs if o.output_type == "execute_result"]
            texts.append(data[0]["text/plain"] if data else "")
    return texts


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_trainer_notebook_runs_headless_and_every_check_says_right(
    source: Path, demo: DemoSummary, tmp_path: Path
) -> None:
    notebook = build_workshop(tmp_path, trainer=True)[SOURCES.index(source)]
    out = tmp_path / "wykonany.ipynb"
    pm.execute_notebook(
        str(notebook), str(out), parameters={"store_dir": str(demo.store_dir)},
        cwd=str(tmp_path), progress_bar=False, kernel_name="python3",
    )
    outputs = _check_outputs(out)
    assert outputs and all(text.startswith("Dobrze!") for text in outputs), outputs


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_participant_notebook_runs_headless_offline_on_its_own_demo_data(
    source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "wykonany.ipynb"
    pm.execute_notebook(
        str(WORKSHOP_DIR / source.name), str(out), cwd=str(tmp_path), progress_bar=False,
        kernel_name="python3",
    )
    outputs = _check_outputs(out)
    assert outputs and all(text == UNANSWERED for text in outputs), outputs
