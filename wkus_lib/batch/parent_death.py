"""Batch processes die with their parent: Linux's parent-death signal.

A report batch is a tree: ``wkus report`` → worker processes → each worker's
kernel zygote → the kernels. When ``wkus report`` is killed outright
(``kill -9``, the out-of-memory killer) nothing in it can clean up, so every
child asks the kernel to kill it when its parent goes (``prctl
PR_SET_PDEATHSIG``). The signal belongs to the parent *thread* that started
the child; workers, the zygote and forked kernels are all started from
their parent's main thread. Elsewhere than Linux this is a no-op (kernels
still stop on their own when their parent is gone: ipykernel watches it).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from typing import Final

PR_SET_PDEATHSIG: Final = 1


def die_with_parent(parent_pid: int, signum: int = signal.SIGKILL) -> bool:
    """Have this process receive ``signum`` when its parent exits; False where unsupported.

    ``parent_pid`` is the parent this process was started by: if it is
    already gone (the parent died before this call), the process exits now
    rather than run on as an orphan.
    """
    if sys.platform != "linux":
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) != 0:
        return False
    if os.getppid() != parent_pid:
        os._exit(1)
    return True
