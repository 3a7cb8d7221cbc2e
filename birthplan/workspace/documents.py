"""The copies downloaded from the workspace, made by ``birthplan.render.render_plan``.

Each download renders the saved plan into a private temporary folder and
reads the files back; nothing is kept. Every copy at once (the end of a
meeting) is shared out between worker processes started from a fork server
that has WeasyPrint and the fonts loaded (as ``birthplan.batch`` does for a
caseload), in the balanced parts of ``birthplan.render.parts``: on two cores
it takes about half the time of one render. Without workers (tests, or if
they fail) the same files are rendered in this process by one call.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import tempfile
import zipfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from birthplan.render import AUDIENCES

ALL_FORMATS = ("pdf", "docx")
# Imported once in the fork server, so every worker starts with them (shared, not copied):
# the engines, and what a render imports on first use (about 0.15 s of a worker's first download).
PRELOAD = ("weasyprint", "docxtpl", "jsonschema", "birthplan.render", "birthplan.render.parts",
           "birthplan.render.documents", "birthplan.render.easy_read", "birthplan.render.docx",
           "birthplan.render.pdf", "birthplan.render.changes", "birthplan.validate", "birthplan.history")


def render_one(path: Path, audience: str, fmt: str, language: str, form: str = "standard") -> tuple[str, bytes]:
    """One copy of the saved plan: (file name, bytes). ``form`` is the parents' copy's
    form (standard, large_print or easy_read: ``birthplan.render.needs.PARENT_FORMS``)."""
    forms = {}
    if audience == "parent":
        forms = {"standard_print": form == "standard", "large_print": form == "large_print",
                 "easy_read": form == "easy_read"}
    return _render(path, audiences=(audience,), formats=(fmt,), language=language, **forms)[0]


def _render(path: Path, **options) -> list[tuple[str, bytes]]:
    """``render_plan(path, **options)``'s files as (name, bytes), written to a private folder that is then removed."""
    from birthplan.render import render_plan

    with tempfile.TemporaryDirectory(prefix="birthplan-") as folder:
        result = render_plan(path, out_dir=folder, **options)
        return [(written.name, written.read_bytes()) for written in result.files]


def _inputs(path: Path) -> tuple:
    """What the copies are made from: the plan's bytes, and its history's files (which give
    the version stamp). The parts of a download read them one by one, so a save or review
    in between could put two versions in one ZIP: compared before and after."""
    from birthplan.history.store import history_dir

    folder = history_dir(path)
    history = sorted((entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
                     for entry in os.scandir(folder)) if folder.is_dir() else []
    return path.read_bytes(), history


class Renderer:
    """Makes the downloads; ``parallel`` uses warm worker processes for every-copy downloads."""

    WORKERS = 3  # at most: the heaviest part (parents' copy + sheet) is a third of the largest example's work

    def __init__(self, parallel: bool = False):
        self.parallel = parallel
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the workers now (they load the engines and fonts while people type)."""
        if self.parallel and self._pool is None:
            from birthplan.batch import start_worker
            from birthplan.render import warm_up

            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(list(PRELOAD))
            workers = max(1, min(self.WORKERS, multiprocessing.cpu_count()))
            # The batch's worker start: Ctrl+C is the server's to handle, and a worker ends
            # with the server even when the server is killed outright.
            self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=start_worker,
                                             initargs=(warm_up,))
            for _ in range(workers):
                self._pool.submit(int)  # start each worker (and its warm-up) now

    def stop(self) -> None:
        """End the workers, waiting for a download in progress (seconds at most): with
        ``wait=False`` a ``kill`` of ``birthplan serve`` left them running (Ctrl+C
        reaches the whole process group; a SIGTERM only the server)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def every_copy(self, path: Path, language: str) -> tuple[str, bytes]:
        """All three audiences' PDF and Word copies, zipped in memory: (file name, bytes)."""
        path = Path(path)
        files = self._in_workers(path, language) if self.parallel else None
        if files is None:
            files = _render(path, audiences=AUDIENCES, formats=ALL_FORMATS, language=language)
        files.sort()  # by name: the same order however the work was shared out
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:  # PDF and DOCX are compressed already
            for name, data in files:
                archive.writestr(name, data)
        case_reference = files[0][0].split("_")[0]  # file names start with it; never a person's name
        return f"{case_reference}_copies_{language}.zip", buffer.getvalue()

    def _in_workers(self, path: Path, language: str) -> list[tuple[str, bytes]] | None:
        """The files, rendered part by part in the workers; None to render them here instead
        (a worker died, or the plan was saved or reviewed while the parts were rendering)."""
        from birthplan.history import rules
        from birthplan.render.parts import render_parts

        self.start()
        if self._pool is None:
            return None
        before = _inputs(path)
        parts = render_parts(path, AUDIENCES, ALL_FORMATS, language)  # an invalid plan stops here
        today = rules.today()  # one render speaks from one day (a draft's meeting ahead or past)
        jobs = []
        try:
            jobs = [self._pool.submit(_render, path, today=today, **options) for options in parts]
            files = [item for job in jobs for item in job.result()]
        except BrokenProcessPool:  # a worker died (memory?)
            self.stop()
            return None
        finally:
            for job in jobs:
                job.cancel()  # after an error, nothing left to do (no-op on finished jobs)
        return files if _inputs(path) == before else None
