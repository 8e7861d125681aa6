"""Processes that render notebooks leave out optional imports nothing here uses,
and still read, validate and run notebooks as before."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def _run(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                            capture_output=True, text=True, check=True, timeout=300)
    return result.stdout.strip()


def test_a_batch_worker_validates_notebooks_without_the_iri_grammar() -> None:
    out = _run("""
        import sys
        from wkus_lib.batch.build import prepare_worker
        prepare_worker("subprocess")
        import nbformat
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
        nbformat.validate(nb)
        broken = nbformat.v4.new_notebook()
        broken["cells"] = [{"cell_type": "code"}]
        try:
            nbformat.validate(broken)
        except nbformat.ValidationError:
            print("refused")
        print(sys.modules["rfc3987_syntax"] is None, "wkus_lib.evaluation" in sys.modules)
    """)
    assert out.splitlines() == ["refused", "True False"]


def test_kernels_build_the_table_models_without_dask() -> None:
    out = _run("""
        import sys
        from wkus_lib.startup import KERNEL_UNUSED_MODULES, skip_unused_optional_imports
        skip_unused_optional_imports(KERNEL_UNUSED_MODULES)
        from wkus_lib.schemas import TABLES
        columns = sum(len(model.to_schema().columns) for model in TABLES.values())
        print(columns > 50, any(name.startswith("dask.") for name in sys.modules))
    """)
    assert out == "True False"


def test_a_module_imported_before_is_left_alone() -> None:
    out = _run("""
        import sys, json
        from wkus_lib.startup import skip_unused_optional_imports
        skip_unused_optional_imports(("json",))
        import json as again
        print(again is json)
    """)
    assert out == "True"
