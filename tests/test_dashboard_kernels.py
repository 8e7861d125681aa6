"""The dashboard's kernels are forked from a process that imported the explorer once."""

from __future__ import annotations

import asyncio
import os

from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from traitlets.utils.importstring import import_item

from wkus_lib.explore.dashboard import KERNEL_MANAGER, voila_config


def test_voila_is_told_to_use_the_forking_kernel_manager() -> None:
    config = voila_config("abc")
    assert config["AsyncMappingKernelManager"] == {"kernel_manager_class": KERNEL_MANAGER}
    assert issubclass(import_item(KERNEL_MANAGER), ServerKernelManager)


def test_a_kernel_starts_with_the_explorer_already_imported() -> None:
    manager = import_item(KERNEL_MANAGER)()

    async def ask() -> str:
        await manager.start_kernel(env={**os.environ, "WKUS_TEST_MARK": "given"})
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=120)
            code = ("import os, sys; print('wkus_lib.explore.explorer' in sys.modules, "
                    f"os.environ.get('WKUS_TEST_MARK'), os.getppid() != {os.getpid()})")
            reply_text: list[str] = []

            def collect(message: dict[str, object]) -> None:
                content = message.get("content")
                if message.get("msg_type") == "stream" and isinstance(content, dict):
                    reply_text.append(str(content.get("text", "")))

            reply = await client.execute_interactive(code, output_hook=collect, timeout=60)
            assert reply["content"]["status"] == "ok"
            return "".join(reply_text).strip()
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    # The explorer is imported, the environment is the one given, and the kernel's
    # parent is the zygote, not this process.
    assert asyncio.run(ask()) == "True given True"
