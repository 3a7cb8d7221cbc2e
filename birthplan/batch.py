"""Render a caseload: every plan under a folder, in parallel, skipping the unchanged.

One failing plan never stops the others. A plan is skipped when nothing that
goes into its documents has changed since its last render: the plan's bytes,
its recorded history, the template pack, the options and birthplan itself.
That record lives in the output folder (``.birthplan-renders.json``), written
atomically after each plan so an interrupted batch keeps what it finished.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import signal
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from birthplan import __version__
from birthplan.atomic import make_private_dir, write_text_atomic
from birthplan.errors import BirthplanError
from birthplan.load import MAX_BYTES

RECORD_NAME = ".birthplan-renders.json"
_PLAN_MARKERS = (re.compile(r"^schema_version\s*:", re.M), re.compile(r"^plan\s*:", re.M))
_SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__"}

RENDERED, SKIPPED, FAILED = "rendered", "skipped", "failed"


@dataclass
class PlanOutcome:
    plan: Path
    status: str
    files: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    error: str = ""


def looks_like_plan(path: Path) -> bool:
    """A plan is recognised by what it holds, whatever its name ends with."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return False
        head = path.read_bytes()[:65536]
    except OSError:
        return False
    if b"\0" in head:
        return False
    # The first 64 KB may end inside a character, and a plan saved in the wrong
    # encoding is still a plan: its render reports that clearly.
    text = head.decode("utf-8-sig", errors="replace")
    return all(marker.search(text) for marker in _PLAN_MARKERS)


# What the importer writes beside a plan it must not change (importer._write_beside):
# CASE.imported-2027-01-14.yaml, CASE.imported-2027-01-14-2.yaml. It is a copy of a
# form response for a person to compare with the plan, not a second case: rendering it
# would give a second set of documents with the same case reference.
_IMPORT_COMPARISON = re.compile(r".+\.imported-\d{4}-\d{2}-\d{2}(-\d+)?\.ya?ml", re.IGNORECASE)


def is_import_comparison(name: str) -> bool:
    return _IMPORT_COMPARISON.fullmatch(name) is not None


def find_plans(folder: Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """Every plan under ``folder``, in a stable order; history folders, outputs and the
    importer's comparison files are left out."""
    excluded = {p.resolve() for p in exclude}
    found = []
    for root, dirs, files in os.walk(folder):
        root_path = Path(root)
        dirs[:] = sorted(
            d for d in dirs
            if d not in _SKIP_DIRS and not d.startswith(".") and not d.endswith(".history")
            and (root_path / d).resolve() not in excluded
        )
        for name in sorted(files):
            path = root_path / name
            if not name.startswith(".") and not is_import_comparison(name) and looks_like_plan(path):
                found.append(path)
    return found


def _hash_files(folder: Path, pattern: str, digest) -> None:
    for path in sorted(folder.rglob(pattern)):
        try:
            data = path.read_bytes()
        except OSError:  # a folder, removed while we looked, or not a file to read
            continue
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(data)


def input_fingerprint(plan: Path, pack_dir: Path | None, options: dict) -> str:
    """SHA-256 of everything a render depends on."""
    digest = hashlib.sha256()
    digest.update(__version__.encode())
    digest.update(json.dumps(options, sort_keys=True, default=str).encode())
    digest.update(plan.read_bytes())
    history = plan.with_name(plan.name + ".history")
    if history.is_dir():
        # Only recorded versions change a document; the sent log and the lock do not.
        _hash_files(history, "v[0-9]*.*", digest)
    if pack_dir is not None and (pack_dir / "pack.yaml").is_file():
        # Only a real pack is read: --templates pointing at any other folder fails
        # each render with a clear error, without walking that whole folder first.
        _hash_files(pack_dir, "*", digest)
    return digest.hexdigest()


class RenderRecord:
    """What was rendered from which inputs, kept in the output folder."""

    def __init__(self, out_dir: Path):
        self.path = out_dir / RECORD_NAME
        try:
            self.entries = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.entries = {}

    def is_current(self, plan: Path, fingerprint: str) -> bool:
        entry = self.entries.get(str(plan.resolve()))
        if not entry or entry.get("inputs") != fingerprint:
            return False
        return all((self.path.parent / name).is_file() for name in entry.get("files", []))

    def files_of(self, plan: Path) -> list[Path]:
        entry = self.entries.get(str(plan.resolve()), {})
        return [self.path.parent / name for name in entry.get("files", [])]

    def forget(self, plan: Path) -> None:
        if self.entries.pop(str(plan.resolve()), None) is not None:
            write_text_atomic(self.path, json.dumps(self.entries, indent=1, sort_keys=True))

    def remember(self, plan: Path, fingerprint: str, files: list[str]) -> None:
        out_dir = self.path.parent
        names = [str(Path(f).resolve().relative_to(out_dir.resolve())) for f in files]
        self.entries[str(plan.resolve())] = {"inputs": fingerprint, "files": names}
        write_text_atomic(self.path, json.dumps(self.entries, indent=1, sort_keys=True))


def available_cores() -> int:
    """The cores this process may use (a container may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _render_round(todo, render, options, finish, context, workers, warm_up) -> None:
    with ProcessPoolExecutor(max_workers=min(workers, len(todo)), mp_context=context,
                             initializer=start_worker, initargs=(warm_up,)) as pool:
        jobs = [(pool.submit(_render_one, render, plan, options), fingerprint) for plan, fingerprint in todo]
        try:
            # Finished in the plans' order, not in the order the workers end: what is reported
            # (which of two plans with the same file names is refused) must not depend on which
            # worker was quicker or on how late this process woke (a set of done futures has
            # no order: under load that once reported the other plan).
            for job, fingerprint in jobs:
                finish(job.result(), fingerprint)
        except BaseException:
            # Ctrl-C or a crash: hand out no more work and let the plans already
            # started finish; every write is atomic, so only whole files are left.
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def start_worker(warm_up: Callable[[], None] | None) -> None:
    """How every worker process starts (the batch's and the workspace's document workers)."""
    # Workers ignore Ctrl-C: the parent stops the batch, so no worker dies mid-write
    # or prints an interrupted library's traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent()
    if warm_up is not None:
        warm_up()


def _end_with_parent() -> None:
    """End this worker as soon as the process that started it has gone, however it went
    (``kill -9``, a crash, the out-of-memory killer). A pool's worker otherwise waits for
    work for ever, and it keeps the fork server and the resource tracker alive with it."""
    import threading

    parent = multiprocessing.parent_process()  # its sentinel closes when that process exits
    if parent is not None:
        threading.Thread(target=lambda: (parent.join(), os._exit(0)), daemon=True,
                         name="end-with-parent").start()


def _first_error(err: BirthplanError) -> str:
    """The first problem: for an invalid plan its first error, located; else the message's first line."""
    report = getattr(err, "report", None)
    if report is not None and report.errors:
        return report.errors[0].format()
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__


def _render_one(render: Callable, plan: Path, options: dict) -> PlanOutcome:
    """Runs in a worker process: never raises for a bad plan, and never quotes its content."""
    try:
        result = render(plan, **options)
    except BirthplanError as err:
        return PlanOutcome(plan, FAILED, error=_first_error(err))
    except KeyboardInterrupt:
        raise
    except Exception as err:  # a bug: report the kind, not the content
        return PlanOutcome(plan, FAILED, error=f"internal error ({type(err).__name__})")
    files = [str(f) for f in getattr(result, "files", result)]
    notices = list(getattr(result, "notices", []))
    return PlanOutcome(plan, RENDERED, files=files, notices=notices)


# Each worker is replaced after this many plans: the PDF engine's C libraries keep
# about a megabyte per document that Python cannot free (fonts, layout caches), so
# a long batch would otherwise grow without bound. A fresh worker costs almost
# nothing because the fork server has already imported the engines.
PLANS_PER_WORKER = 20


def render_many(
    plans: list[Path],
    render: Callable,
    options: dict,
    *,
    out_dir: Path,
    pack_dir_for: Callable[[Path], Path | None] = lambda plan: None,
    jobs: int | None = None,
    force: bool = False,
    on_done: Callable[[PlanOutcome], None] = lambda outcome: None,
    warm_up: Callable[[], None] | None = None,
    preload: tuple[str, ...] = (),
) -> list[PlanOutcome]:
    """Render ``plans`` with ``render(plan, **options)`` in ``jobs`` worker processes.

    ``render`` and ``warm_up`` must be module-level functions (they are sent to
    the workers). Workers start from a fork server that has imported the
    ``preload`` modules once; each worker runs ``warm_up`` (fonts, caches) and
    is replaced after about PLANS_PER_WORKER plans, so memory stays flat
    however long the batch. Returns one outcome per plan, in the order given.
    """
    make_private_dir(out_dir)
    record = RenderRecord(out_dir)
    outcomes: dict[Path, PlanOutcome] = {}
    todo: list[tuple[Path, str]] = []
    owners: dict[Path, Path] = {}  # each output file -> the plan in this batch that wrote it
    for plan in plans:
        fingerprint = input_fingerprint(plan, pack_dir_for(plan), options)
        if not force and record.is_current(plan, fingerprint):
            outcomes[plan] = PlanOutcome(plan, SKIPPED)
            owners.update((f.resolve(), plan) for f in record.files_of(plan))
            on_done(outcomes[plan])
        else:
            todo.append((plan, fingerprint))

    def finish(outcome: PlanOutcome, fingerprint: str) -> None:
        if outcome.status == RENDERED:
            # Two plans with one case reference give the same file names: never let
            # one silently replace the other's documents.
            others = {owners[f] for f in (Path(name).resolve() for name in outcome.files)
                      if owners.get(f, outcome.plan) != outcome.plan}
            owners.update((Path(name).resolve(), outcome.plan) for name in outcome.files)
            if others:
                for other in others:
                    record.forget(other)  # its files now hold this plan's documents
                outcome = PlanOutcome(
                    outcome.plan, FAILED, files=outcome.files,
                    error=f"its documents have the same file names as those of "
                          f"{', '.join(map(str, sorted(others)))} (the same case reference), so they "
                          "replaced them; give each plan its own case reference or render them into "
                          "different folders.")
        outcomes[outcome.plan] = outcome
        if outcome.status == RENDERED:
            record.remember(outcome.plan, fingerprint, outcome.files)
        on_done(outcome)

    jobs = max(1, jobs or available_cores())
    if len(todo) == 1:  # one plan: no process to start
        plan, fingerprint = todo[0]
        finish(_render_one(render, plan, options), fingerprint)
    elif todo:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
        workers = min(jobs, len(todo))
        # A fresh pool for each round of PLANS_PER_WORKER plans a worker. (Python 3.11's
        # max_tasks_per_child can deadlock when it replaces a worker, so we do not use it.)
        round_size = workers * PLANS_PER_WORKER
        for start in range(0, len(todo), round_size):
            _render_round(todo[start:start + round_size], render, options, finish,
                          context, workers, warm_up)
    return [outcomes[plan] for plan in plans]
