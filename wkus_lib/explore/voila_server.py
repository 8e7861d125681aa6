"""The Voilà server of ``wkus dashboard``: started lean, its kernels forked ready-made.

``wkus dashboard`` runs ``python -m wkus_lib.explore.voila_server`` with
Voilà's own arguments (:func:`wkus_lib.explore.dashboard.voila_command`).
Two things differ from ``python -m voila``:

- optional imports nothing here uses are refused
  (:func:`wkus_lib.startup.skip_unused_optional_imports`): the server answers
  sooner;
- the explorer's kernels are forked from a process that imported the
  explorer, ipywidgets and Voilà's helpers once (the batch's zygote,
  :mod:`wkus_lib.batch.zygote`, with :data:`EXPLORER_MODULES` as well). That
  process starts first, so it imports while Voilà starts, and it also
  computes the store's indicator table. A page's kernel then costs a fork
  and building the page's controls, not a new interpreter, its imports and
  the table: about 1.5 s from asking for a page to using it (measured).
  Each page gets its own new process, started from the same untouched
  snapshot when the page is asked for.

Voilà's pool of kernels started ahead of pages (``preheat_kernel``) is not
used: such a kernel waits for the page's address over a second connection,
and in 2 of 7 benchmark runs a page never finished loading, its kernel still
waiting (seen with ordinary kernels too, before they were forked).

Voilà's configuration names :class:`ForkedServerKernelManager` as the kernel
manager of each kernel (:func:`wkus_lib.explore.dashboard.voila_config`).
"""

from __future__ import annotations

from typing import Any, Final

from jupyter_server.services.kernels.kernelmanager import ServerKernelManager

from wkus_lib.batch.kernels import KernelZygote, fork_kernels_from, zygote
from wkus_lib.startup import skip_unused_optional_imports

EXPLORER_MODULES: Final = ("ipywidgets", "voila.utils", "wkus_lib.explore.explorer",
                           "wkus_lib.explore.explorer:load_explorer_data")
"""Imported once in the process the explorer's kernels are forked from, which also
reads the store and computes its indicator table there: a kernel finds it computed
(:func:`~wkus_lib.explore.explorer.load_explorer_data` keeps it by the store's
hash, so a store changed since is read anew)."""


def explorer_zygote() -> KernelZygote:
    """The process the explorer's kernels are forked from (one per server, started on first use)."""
    return zygote(EXPLORER_MODULES)


class ForkedServerKernelManager(ServerKernelManager):
    """Jupyter Server's kernel manager, whose kernel :func:`explorer_zygote` forks."""

    async def _async_pre_start_kernel(self, **kw: Any) -> Any:
        fork_kernels_from(self, explorer_zygote(), kw)
        return await super()._async_pre_start_kernel(**kw)


def main() -> None:
    """Start the kernels' zygote, then run Voilà with this process's arguments."""
    skip_unused_optional_imports()
    explorer_zygote().start()
    from voila.app import main as voila_main

    voila_main()


if __name__ == "__main__":
    main()
