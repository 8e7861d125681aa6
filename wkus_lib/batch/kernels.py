"""Kernel managers for report execution: a fresh interpreter, or a fork of a warm one.

Both start ipykernel on *this* interpreter (:func:`fresh_kernel_manager`). The
forked manager (:func:`forked_kernel_manager`) asks the worker's
:class:`KernelZygote` — a process that imported IPython, pandas, matplotlib
and ``wkus_lib`` once (:mod:`wkus_lib.batch.zygote`) — to fork the kernel
instead of launching a new interpreter: the same kernel, without paying the
start-up and the imports for every report. Each report still gets its own
new process; papermill and nbclient talk to it exactly as to any kernel.

The zygote is a child of the worker started with ``subprocess`` (safe in a
threaded Dask worker) and exits when the worker does.
"""

from __future__ import annotations

import atexit
import functools
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from typing import Any, Final

KILL_POLL_S: Final = 0.02
ZYGOTE_START_TIMEOUT_S: Final = 120.0
REPORT_KERNEL_OPTIONS: Final = (
    "--IPKernelApp.log_level=CRITICAL",
    "--HistoryManager.enabled=False",
)
"""A report kernel logs only critical messages (at shutdown it reports the interrupt it
receives as an "ERROR" that means nothing to a user) and keeps no IPython history (a
report's cells are in its notebook; the history database is the user's own)."""
EXIT_POLL_S: Final = 0.01
"""How often a shutting-down kernel is checked for having exited (jupyter_client: 0.1 s)."""
IOPUB_CONNECT_WAIT_S: Final = 0.05
"""How long a kernel_info's messages may take to arrive on IOPub before it is asked again."""
RECONNECT_INTERVAL_MS: Final = 10
"""ZeroMQ's retry interval for a connection the kernel refused (default 100 ms): a
client usually connects while the new kernel is still binding its ports."""


class ZygoteError(RuntimeError):
    """The pre-imported kernel process could not fork a kernel."""


class KernelZygote:
    """A pre-imported process that forks kernels (one per worker process).

    ``preload`` names modules it imports besides the report kernels' own
    (:data:`wkus_lib.batch.zygote.PRELOADED_MODULES`), e.g. the explorer's.
    """

    def __init__(self, preload: tuple[str, ...] = ()) -> None:
        self._preload = preload
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None
        self._ready_seen = False

    def start(self) -> None:
        """Start the zygote now (it imports in the background); idempotent."""
        with self._lock:
            self._start()

    def fork(self, argv: list[str], env: dict[str, str], cwd: str) -> int:
        """Pid of a new kernel running ``argv`` (an ipykernel_launcher command) in ``cwd``."""
        with self._lock:
            connection = self._ready()
            try:
                connection.send({"argv": argv, "env": env, "cwd": cwd})
                reply: dict[str, Any] = connection.recv()
            except (EOFError, OSError) as error:
                self._stop()
                raise ZygoteError(f"proces jąder przestał działać: {error}") from error
        if "pid" not in reply:
            raise ZygoteError(str(reply.get("error", reply)))
        return int(reply["pid"])

    def _start(self) -> Connection:
        if self._connection is not None and self._process and self._process.poll() is None:
            return self._connection
        self._stop()
        ours, theirs = socket.socketpair()
        with ours, theirs:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "wkus_lib.batch.zygote", str(theirs.fileno()),
                 str(os.getpid()), *self._preload],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
            )
            self._connection = Connection(os.dup(ours.fileno()))
        self._ready_seen = False
        return self._connection

    def _ready(self) -> Connection:
        connection = self._start()
        if self._ready_seen:
            return connection
        try:
            if not connection.poll(ZYGOTE_START_TIMEOUT_S):
                raise ZygoteError("proces jąder nie uruchomił się w wyznaczonym czasie")
            connection.recv()
        except (EOFError, OSError) as error:
            self._stop()
            raise ZygoteError(f"proces jąder zakończył się przy starcie: {error}") from error
        except ZygoteError:
            self._stop()
            raise
        self._ready_seen = True
        return connection

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait(timeout=10)
        self._process = self._connection = None
        self._ready_seen = False


    def close(self) -> None:
        """Stop the zygote (kernels it forked stop on their own when it is gone)."""
        with self._lock:
            self._stop()


@functools.cache
def zygote(preload: tuple[str, ...] = ()) -> KernelZygote:
    """This process's zygote (with ``preload`` imported too), started on first use and
    stopped at exit."""
    instance = KernelZygote(preload)
    atexit.register(instance.close)
    return instance


class ForkedKernelProcess:
    """The parts of :class:`subprocess.Popen` a provisioner uses, for a kernel the zygote forked.

    The kernel is the zygote's child, which reaps it at once: once the pid is
    gone, the kernel has exited (the exit code is not known here).
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0.0)
            time.sleep(KILL_POLL_S)
        return 0

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                self.returncode = 0

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


@functools.cache
def fresh_kernel_manager() -> type[Any]:
    """A kernel manager that always starts ipykernel on *this* interpreter.

    A user-level ``python3`` kernelspec (``~/.local/share/jupyter/kernels``)
    takes precedence over the venv's and would run reports on another Python
    with other packages. The local transport is CurveZMQ-encrypted when pyzmq
    supports it (ipykernel warns on every start otherwise). The kernel gets
    :data:`REPORT_KERNEL_OPTIONS`.
    """
    import zmq
    from ipykernel.kernelspec import RESOURCES, get_kernel_dict
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class VenvKernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self) -> KernelSpec:
            if self._kernel_spec is None:
                spec = get_kernel_dict()
                spec["argv"] = [*spec["argv"], *REPORT_KERNEL_OPTIONS]
                self._kernel_spec = KernelSpec(resource_dir=RESOURCES, **spec)
            return self._kernel_spec

        @default("transport_encryption")
        def _encrypt_when_possible(self) -> str:
            return "auto" if zmq.has("curve") else "disabled"

        @default("client_factory")
        def _prompt_client(self) -> type[Any]:
            return prompt_kernel_client()

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            # Called only while shutting down: a report's kernel exits within
            # milliseconds, and 0.1 s polls would add up to most of a second.
            await super()._async_wait(pollinterval=min(pollinterval, EXIT_POLL_S))

    return VenvKernelManager


@functools.cache
def prompt_kernel_client() -> type[Any]:
    """A kernel client whose ``wait_for_ready`` returns as soon as the kernel is ready.

    jupyter_client's version ends by draining IOPub until 0.2 s pass without a
    message: a fixed 0.2 s per kernel, a tenth of a small report. This one
    waits for the ``idle`` status that closes its ``kernel_info`` request
    instead — the same proof that IOPub is connected. Messages of earlier
    requests may remain queued; nbclient reads only messages whose parent is
    the cell it is running.
    """
    from queue import Empty

    import zmq
    from jupyter_client.asynchronous.client import AsyncKernelClient

    class PromptKernelClient(AsyncKernelClient):
        def start_channels(self, *args: Any, **kwargs: Any) -> None:
            self.context.setsockopt(zmq.RECONNECT_IVL, RECONNECT_INTERVAL_MS)
            super().start_channels(*args, **kwargs)

        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
            while True:
                self.kernel_info()
                try:
                    reply = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    reply = None
                if (
                    reply is not None
                    and reply["msg_type"] == "kernel_info_reply"
                    and await self._iopub_reaches_idle(reply["parent_header"].get("msg_id"))
                ):
                    self._handle_kernel_info_reply(reply)
                    return
                if not await self.is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

        async def _iopub_reaches_idle(self, request_id: str | None) -> bool:
            """True once IOPub shows the ``idle`` status of ``request_id``."""
            until = time.monotonic() + IOPUB_CONNECT_WAIT_S
            while (left := until - time.monotonic()) > 0:
                try:
                    message = await self.iopub_channel.get_msg(timeout=left)
                except Empty:
                    return False
                if (
                    message["msg_type"] == "status"
                    and message["content"].get("execution_state") == "idle"
                    and message["parent_header"].get("msg_id") == request_id
                ):
                    return True
            return False

    return PromptKernelClient


@functools.cache
def forked_provisioner() -> type[Any]:
    """A kernel provisioner that has its ``zygote`` fork the kernel instead of launching it.

    The fork request waits in a thread: while a zygote still imports, the
    caller's event loop (Voilà's server, for one) goes on answering.
    """
    import asyncio

    from jupyter_client.connect import KernelConnectionInfo
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    class ForkedProvisioner(LocalProvisioner):
        zygote: KernelZygote

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
            env = dict(kwargs.get("env") or os.environ)
            cwd = str(kwargs.get("cwd") or os.getcwd())
            pid = await asyncio.to_thread(self.zygote.fork, cmd, env, cwd)
            self.process = ForkedKernelProcess(pid)  # type: ignore[assignment]
            self.pid = self.pgid = pid
            self.cwd = cwd
            connection_info: KernelConnectionInfo = self.connection_info
            return connection_info

    return ForkedProvisioner


def fork_kernels_from(manager: Any, source: KernelZygote, start_options: dict[str, Any]) -> None:
    """Give ``manager`` (a kernel manager about to start its kernel) a provisioner that
    forks from ``source``; call it first in ``_async_pre_start_kernel(**start_options)``."""
    if manager.provisioner is None:
        manager.kernel_id = manager.kernel_id or start_options.pop("kernel_id", None) or _new_id()
        provisioner = forked_provisioner()(
            kernel_id=manager.kernel_id, kernel_spec=manager.kernel_spec, parent=manager)
        provisioner.zygote = source
        manager.provisioner = provisioner


@functools.cache
def forked_kernel_manager() -> type[Any]:
    """The same kernel manager, whose kernels the worker's zygote forks."""

    class ForkedKernelManager(fresh_kernel_manager()):  # type: ignore[misc]
        async def _async_pre_start_kernel(self, **kw: Any) -> Any:
            fork_kernels_from(self, zygote(), kw)
            return await super()._async_pre_start_kernel(**kw)

    return ForkedKernelManager


def _new_id() -> str:
    import uuid

    return str(uuid.uuid4())
