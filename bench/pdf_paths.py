"""Which HTML → PDF path costs least for the same report pages: a measurement.

Renders the SAME report HTML files (``wkus report`` output) to PDF with the
shipped path (:func:`wkus_lib.files.pdf.render_pdf`, WeasyPrint) and with
candidates, in one process, alternating path by path, ``--runs`` times each,
and prints the median time ratio candidate / shipped per file and over all
files. Ratios, not seconds: on a shared machine other work slows both paths
of one round alike.

Candidates:

* ``lab-subset`` — WeasyPrint with JupyterLab's theme (240 kB of CSS) cut to
  the rules whose classes a report page can carry (the rest never match); the
  PDF must stay byte-identical, which the script checks.
* ``chromium`` — a persistent headless Chromium (``--chromium PATH``), driven
  over its DevTools pipe, one tab per page, ``Page.printToPDF``. Its PDFs carry
  the time of printing (``/CreationDate``, ``/ModDate``); the script says
  whether two prints of one page differ in anything else.

Usage: ``python bench/pdf_paths.py reports/*/ex_post/*.html --runs 3 --chromium chromium``.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import tinycss2

from wkus_lib.files.pdf import (
    _parsed_stylesheet,
    _source_date_epoch,
    quiet_logger,
    render_pdf,
    split_style_blocks,
)

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
_UI_CLASS = re.compile(r"^(jp-|lm-|cm-|CodeMirror)")
_CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
_PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:[0-9+'Z-]*\)")


def template_classes() -> set[str]:
    """JupyterLab classes nbconvert's ``lab`` and ``base`` HTML templates can emit."""
    from jupyter_core.paths import jupyter_path

    found: set[str] = set()
    for folder in jupyter_path("nbconvert", "templates"):
        for name in ("lab", "base"):
            for path in Path(folder, name).glob("*.j2"):
                found |= set(re.findall(r"jp-[A-Za-z0-9_-]*[A-Za-z0-9]", path.read_text()))
    return found


def lab_subset(css: str, keep: set[str]) -> str:
    """``css`` without the selectors naming a JupyterLab UI class no report page carries."""
    out: list[str] = []
    for rule in tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True):
        if rule.type == "qualified-rule":
            selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
            kept = [s for s in selectors
                    if all(not _UI_CLASS.match(c) or c in keep for c in _CLASS.findall(s))]
            if kept:
                out.append(f"{', '.join(kept)} {{{tinycss2.serialize(rule.content)}}}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") \
                and rule.content is not None:
            inner = lab_subset(tinycss2.serialize(rule.content), keep)
            if inner:
                out.append(f"@{rule.lower_at_keyword}{tinycss2.serialize(rule.prelude)}"
                           f"{{{inner}}}")
        elif rule.type == "at-rule":
            out.append(tinycss2.serialize([rule]))
    return "\n".join(out)


class Chromium:
    """A headless Chromium kept running, spoken to over ``--remote-debugging-pipe``."""

    def __init__(self, executable: str) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()

        def fds() -> None:  # Chromium reads commands on fd 3 and writes replies on fd 4
            reader, writer = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(reader, 3)
            os.dup2(writer, 4)

        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu",
             "--remote-debugging-pipe", "--no-first-run", "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4),  # noqa: PLW1509 — this script starts no threads
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._id = 0

    def call(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._next()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(reply["error"])
                result: dict[str, Any] = reply["result"]
                return result

    def wait_event(self, method: str) -> None:
        while self._next().get("method") != method:
            pass

    def _next(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed its pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(raw)
        return parsed

    def print_pdf(self, path: Path) -> bytes:
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.call("Page.enable", session)
        self.call("Page.navigate", session, url=path.resolve().as_uri())
        self.wait_event("Page.loadEventFired")
        data = self.call("Page.printToPDF", session, printBackground=True,
                         preferCSSPageSize=True)["data"]
        self.call("Target.closeTarget", targetId=target)
        return base64.b64decode(data)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def cpu_seconds(chromium: Chromium | None) -> float:
    """CPU time of this process and, when running, of Chromium's whole process tree."""
    total = time.process_time()
    if chromium is not None:
        browser = psutil.Process(chromium.process.pid)
        for process in [browser, *browser.children(recursive=True)]:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system + times.children_user + times.children_system
    return total


def timed(render: Callable[[], bytes], chromium: Chromium | None) -> tuple[float, float, bytes]:
    """Wall seconds, CPU seconds (this process and Chromium's) and the PDF of one rendering."""
    cpu, started = cpu_seconds(chromium), time.perf_counter()
    pdf = render()
    return time.perf_counter() - started, cpu_seconds(chromium) - cpu, pdf


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chromium", default=None, help="Chromium executable (optional)")
    args = parser.parse_args()
    keep = template_classes()
    chromium = Chromium(args.chromium) if args.chromium else None
    ratios: dict[str, list[float]] = {"lab-subset": [], "chromium": []}
    cpu_ratios: dict[str, list[float]] = {"lab-subset": [], "chromium": []}
    identical = stable = 0
    try:
        for path in args.html:
            html = path.read_text(encoding="utf-8")
            page, blocks = split_style_blocks(html)
            subset = [b if len(b) < 100_000 else lab_subset(b, keep) for b in blocks]

            def shipped(html: str = html) -> bytes:
                return render_pdf(html, base_url=str(NOTEBOOKS))

            def cut(page: str = page, subset: list[str] = subset) -> bytes:
                from weasyprint import HTML

                sheets = [_parsed_stylesheet(css, str(NOTEBOOKS)) for css in subset]
                with quiet_logger("weasyprint"), _source_date_epoch():
                    return bytes(HTML(string=page, base_url=str(NOTEBOOKS))
                                 .write_pdf(stylesheets=sheets))

            paths: dict[str, Callable[[], bytes]] = {"shipped": shipped, "lab-subset": cut}
            if chromium is not None:
                def printed(path: Path = path, browser: Chromium = chromium) -> bytes:
                    return browser.print_pdf(path)

                paths["chromium"] = printed
            times: dict[str, list[float]] = {name: [] for name in paths}
            cpu: dict[str, list[float]] = {name: [] for name in paths}
            outputs: dict[str, list[bytes]] = {name: [] for name in paths}
            for name, render in paths.items():  # warm-up, not timed
                render()
            for _ in range(args.runs):
                for name, render in paths.items():
                    seconds, used, pdf = timed(render, chromium)
                    times[name].append(seconds)
                    cpu[name].append(used)
                    outputs[name].append(pdf)
            base = statistics.median(times["shipped"])
            line = {name: round(statistics.median(t) / base, 2) for name, t in times.items()}
            cpu_base = statistics.median(cpu["shipped"])
            cpu_line = {name: round(statistics.median(t) / cpu_base, 2) for name, t in cpu.items()}
            identical += outputs["lab-subset"][0] == outputs["shipped"][0]
            if chromium is not None:
                prints = {_PDF_DATE.sub(b"", pdf) for pdf in outputs["chromium"]}
                stable += len(prints) == 1
            for name, values in ratios.items():
                if name in line:
                    values.append(line[name])
                    cpu_ratios[name].append(cpu_line[name])
            print(f"{path}: shipped {base:.2f} s wall, {cpu_base:.2f} s CPU; wall ratios {line}; "
                  f"CPU ratios {cpu_line}", flush=True)
    finally:
        if chromium is not None:
            chromium.close()
    count = len(args.html)
    print(f"median ratio over {count} pages ({args.runs} runs each, alternating): " + ", ".join(
        f"{name} {statistics.median(r):.2f}" for name, r in ratios.items() if r))
    print("median CPU ratio (Chromium: all its processes): " + ", ".join(
        f"{name} {statistics.median(r):.2f}" for name, r in cpu_ratios.items() if r))
    print(f"lab-subset PDF byte-identical to shipped: {identical} of {count}")
    if chromium is not None:
        print(f"chromium: prints of one page identical apart from dates: {stable} of {count}")


if __name__ == "__main__":
    main()
