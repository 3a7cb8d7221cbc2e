"""The copies downloaded from the workspace, made by ``birthplan.render.render_plan``.

Each download renders the saved plan into a private temporary folder and
reads the files back; nothing is kept. Every copy at once (the end of a
meeting) renders the three audiences side by side in worker processes
started from a fork server that has WeasyPrint and the fonts loaded (as
``birthplan.batch`` does for a caseload), so it takes about as long as the
slowest audience rather than all three in turn. Without workers (tests, or
if they fail) the same render runs in this process.
"""

from __future__ import annotations

import io
import multiprocessing
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from birthplan.render import AUDIENCES

ALL_FORMATS = ("pdf", "docx")


def render_one(path: Path, audience: str, fmt: str, language: str, form: str = "standard") -> tuple[str, bytes]:
    """One copy of the saved plan: (file name, bytes). ``form`` is the parents' copy's
    form (standard, large_print or easy_read: ``birthplan.render.needs.PARENT_FORMS``)."""
    forms = {}
    if audience == "parent":
        forms = {"standard_print": form == "standard", "large_print": form == "large_print",
                 "easy_read": form == "easy_read"}
    return _render(path, (audience,), (fmt,), language, **forms)[0]


def _render(path: Path, audiences: tuple, formats: tuple, language: str, **forms) -> list[tuple[str, bytes]]:
    from birthplan.render import render_plan

    with tempfile.TemporaryDirectory(prefix="birthplan-") as folder:
        result = render_plan(path, audiences=audiences, formats=formats, language=language, out_dir=folder,
                             **forms)
        return [(written.name, written.read_bytes()) for written in result.files]


class Renderer:
    """Makes the downloads; ``parallel`` uses warm worker processes for every-copy downloads."""

    def __init__(self, parallel: bool = False):
        self.parallel = parallel
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the workers now (they load the engines and fonts while people type)."""
        if self.parallel and self._pool is None:
            from birthplan.render import warm_up

            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["birthplan.render", "weasyprint", "docxtpl"])
            workers = max(1, min(len(AUDIENCES), multiprocessing.cpu_count()))
            self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=warm_up)
            for _ in range(workers):
                self._pool.submit(int)  # start each worker (and its warm-up) now

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def every_copy(self, path: Path, language: str) -> tuple[str, bytes]:
        """All three audiences' PDF and Word copies, zipped in memory: (file name, bytes)."""
        files = None
        if self.parallel:
            self.start()
            try:
                jobs = [self._pool.submit(_render, Path(path), (audience,), ALL_FORMATS, language)
                        for audience in AUDIENCES]
                files = [item for job in jobs for item in job.result()]
            except BrokenProcessPool:  # a worker died (memory?): render here instead
                self.stop()
                files = None
        if files is None:
            files = _render(Path(path), AUDIENCES, ALL_FORMATS, language)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PDF and DOCX are compressed already
            for name, data in files:
                archive.writestr(name, data)
        case_reference = files[0][0].split("_")[0]  # file names start with it; never a person's name
        return f"{case_reference}_copies_{language}.zip", buffer.getvalue()
