"""HTML → PDF (WeasyPrint), byte-stable: no dates, style sheets parsed once per process.

Reports (``batch.export``) and printable questionnaires (``instruments``)
both print through :func:`render_pdf`. WeasyPrint is imported inside the
function: it is slow to import and only the processes that print need it.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from wkus_lib.files.stable import FIXED_DATETIME

_STYLE_BLOCK: Final = re.compile(
    r'<style(?:\s+type="text/css")?\s*>(.*?)</style>', re.DOTALL | re.IGNORECASE
)


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """A4 PDF of a report's HTML (WeasyPrint), without dates.

    fontTools stamps the current time into every font subset it embeds unless
    ``SOURCE_DATE_EPOCH`` is set, so it is set for the rendering. The
    ``<style>`` blocks (JupyterLab's theme alone is 240 kB) are parsed once
    per process and handed to WeasyPrint in document order, which is the
    same cascade as leaving them in the page (the PDF is byte-identical).
    """
    from weasyprint import HTML

    page, blocks = split_style_blocks(html)
    with quiet_logger("weasyprint"), quiet_logger("fontTools"), _source_date_epoch():
        stylesheets = [_parsed_stylesheet(css, base_url) for css in blocks]
        pdf = HTML(string=page, base_url=base_url).write_pdf(stylesheets=stylesheets)
    assert pdf is not None
    return bytes(pdf)


def split_style_blocks(html: str) -> tuple[str, list[str]]:
    """The page without its plain ``<style>`` blocks, and their CSS in document order.

    Blocks with attributes other than ``type="text/css"`` (e.g. ``media``)
    stay in the page.
    """
    blocks = [m.group(1) for m in _STYLE_BLOCK.finditer(html)]
    return _STYLE_BLOCK.sub("", html), blocks


@functools.lru_cache(maxsize=32)
def _parsed_stylesheet(css: str, base_url: str | None) -> Any:
    from weasyprint import CSS

    return CSS(string=css, base_url=base_url)


@contextmanager
def quiet_logger(name: str) -> Iterator[None]:
    """Let a library's logger through only at ERROR level for the duration.

    WeasyPrint warns about every JupyterLab CSS rule it ignores, papermill
    about every parameter a notebook does not declare: hundreds of lines a
    batch user cannot act on.
    """
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextmanager
def _source_date_epoch() -> Iterator[None]:
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(FIXED_DATETIME.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous
