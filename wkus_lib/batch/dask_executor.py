"""Report batches on a Dask distributed cluster (several machines).

:func:`connect` opens a client to a running scheduler and yields its
:class:`concurrent.futures.Executor`, which :func:`wkus_lib.batch.runner.run_batch`
accepts like its own process pool. Workers build reports exactly as local
ones do (:func:`wkus_lib.batch.build.build_report`, kernels forked from a
pre-imported zygote), so every machine needs the same ``wkus`` installation
and the store, notebooks and reports folders under the same paths (a shared
folder). How to start a scheduler and workers: ``docs/SCALING.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Final

from wkus_lib.batch.build import DEFAULT_KERNEL_START, KernelStart, prepare_worker
from wkus_lib.errors import WkusError

CONNECT_TIMEOUT_S: Final = 30


@contextmanager
def connect(
    address: str,
    *,
    kernel_start: KernelStart = DEFAULT_KERNEL_START,
    timeout_s: float = CONNECT_TIMEOUT_S,
) -> Iterator[Executor]:
    """An executor running tasks on the Dask cluster at ``address``; closed on exit.

    Every worker is warmed first (zygote started, exporters imported), all at
    once, so the first reports do not pay for it one after another.

    Raises
    ------
    WkusError
        The scheduler cannot be reached or has no workers.
    """
    from distributed import Client

    try:
        client = Client(  # type: ignore[no-untyped-call]
            address, timeout=timeout_s, set_as_default=False
        )
    except (OSError, TimeoutError) as error:
        raise WkusError(
            f"Nie można połączyć się z planistą Dask pod adresem {address} ({error}). "
            "Sprawdź, czy działa „dask scheduler” i czy adres oraz port są poprawne "
            "(docs/SCALING.md)."
        ) from None
    try:
        if not client.scheduler_info().get("workers"):
            raise WkusError(
                f"Planista Dask {address} nie ma żadnego procesu roboczego. Uruchom na "
                f"komputerach obliczeniowych: dask worker {address} --nthreads 1"
            )
        client.run(prepare_worker, kernel_start)
        yield client.get_executor()  # type: ignore[no-untyped-call]
    finally:
        client.close()  # type: ignore[no-untyped-call]
