"""Process start-up: leave out an optional import that nothing here uses.

jsonschema, which nbformat imports in every batch worker and in the Voilà
server of ``wkus dashboard``, loads ``rfc3987_syntax`` whenever it is
installed (a Jupyter package pulls it in) to check the ``iri`` string
format, and that package builds its grammar at import: 1.1 s of a batch
worker's 3 s start, measured. No schema these processes validate (nbformat's
notebook schemas, Jupyter's event schemas) uses that format, so the import is
refused before it happens; jsonschema then simply has no ``iri`` checker.

Kernels (the batch's and the dashboard's, forked from a pre-imported process)
also leave out Dask: pandera imports ``dask.dataframe`` (0.5 s) only to learn
whether its Dask types exist, when the tables' models are built, and no
notebook uses Dask (the batch runner's Dask executor runs in the workers,
never in a kernel).
"""

from __future__ import annotations

import sys
from typing import Final

UNUSED_OPTIONAL_MODULES: Final = ("rfc3987_syntax",)
KERNEL_UNUSED_MODULES: Final = (*UNUSED_OPTIONAL_MODULES, "dask")


def skip_unused_optional_imports(names: tuple[str, ...] = UNUSED_OPTIONAL_MODULES) -> None:
    """Make ``import`` of ``names`` (and their submodules) fail at once in this process.

    A module already imported stays as it is. Python's documented way: a
    ``None`` entry in :data:`sys.modules` makes importing that name raise
    ``ImportError``, which jsonschema expects for an optional package.
    """
    for name in names:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
