"""The history folder on disk: where each file lives, and reading and writing them safely.

Names and layout (``vNNNN.yaml`` snapshots, ``vNNNN.json`` metadata,
``sent.jsonl``, ``.lock``, ``README.txt``), the fingerprint and sent-log hash,
the exclusive lock, atomic writes and leftovers of an interrupted review, and
turning disk errors into messages a person can act on. Knows nothing about
what counts as tampering (``history.integrity``) or about versions as objects
(``history``). See ``birthplan.history`` for the design.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from birthplan.atomic import fsync_dir, make_private_dir, write_bytes_atomic
from birthplan.errors import BirthplanError, UsageError
from birthplan.resources import plan_schema

log = logging.getLogger("birthplan.history")  # the name it had before the split

# The folder layout: the highest format this birthplan reads (a newer one is refused,
# never guessed at). Versions and copies are still written as format 1, which an
# older birthplan reads; corrections (a withdrawn copy, a review entered in error)
# are format 2, so an older birthplan refuses a log holding one rather than
# silently counting a withdrawn copy.
FORMAT_VERSION = 2
PLAIN_FORMAT = 1  # a version record or a sent copy
CORRECTION_FORMAT = 2  # an entry that corrects an earlier one
HISTORY_SUFFIX = ".history"
SENT_LOG = "sent.jsonl"
CORRECTIONS_LOG = "corrections.jsonl"  # reviews marked entered in error
LOCK_FILE = ".lock"
README_FILE = "README.txt"
_VERSION_FILE = re.compile(r"v(\d{4,})\.(json|yaml)")
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
_NOT_ALLOWED = (errno.EROFS, errno.EACCES, errno.EPERM)

_README = """\
This folder is the review history of the plan file beside it. Do not edit it.

Each joint review recorded with `birthplan review` added two files:
  vNNNN.yaml  the plan exactly as agreed at that review
  vNNNN.json  the meeting (date, type, who attended) and the version's fingerprint
sent.jsonl    one line per copy sent (`birthplan sent`): who, which version, when,
              and one per copy withdrawn as logged in error (`sent --withdraw`)
corrections.jsonl  one line per review marked entered in error
              (`birthplan review --entered-in-error`): who, when, why

Each fingerprint covers the one before it, so `birthplan verify PLAN` shows
any file that was changed, deleted, renamed or added by hand.
Back up this folder together with the plan file. See docs/history.md.
"""


def history_dir(plan_path: str | Path) -> Path:
    plan_path = Path(plan_path)
    return plan_path.with_name(plan_path.name + HISTORY_SUFFIX)


# -- the version files -----------------------------------------------------------


@dataclass
class _Scan:
    metadata: dict[int, Path]
    snapshots: dict[int, Path]

    @property
    def last(self) -> int:
        return max(self.metadata, default=0)


def _scan(directory: Path) -> _Scan:
    scan = _Scan({}, {})
    try:
        names = os.listdir(directory)
    except OSError as err:
        raise BirthplanError(f"{directory}: the history folder cannot be read ({err.strerror}).") from None
    for name in names:
        match = _VERSION_FILE.fullmatch(name)
        if match:
            table = scan.metadata if match.group(2) == "json" else scan.snapshots
            table[int(match.group(1))] = directory / name
    return scan


def _read_records(directory: Path, scan: _Scan) -> tuple[dict[int, dict], list[str]]:
    """Metadata by file number; damaged files become problems."""
    records, problems = {}, []
    for number in sorted(scan.metadata):
        path = scan.metadata[number]
        meta = _load_json(path)
        if not isinstance(meta, dict) or not _has_fields(meta):
            problems.append(f"version {number}: its metadata file {path.name} is damaged "
                            "(it is not the metadata birthplan wrote)")
            continue
        _refuse_newer(directory, meta, path.name)
        records[number] = meta
    return records, problems


_REQUIRED_FIELDS = ("format", "number", "review_date", "meeting_type", "recorded_at",
                    "schema_version", "snapshot_sha256", "previous_fingerprint", "fingerprint")


def _has_fields(meta: dict) -> bool:
    return all(name in meta for name in _REQUIRED_FIELDS) and isinstance(meta["number"], int)


def _refuse_newer(directory: Path, record: dict, name: str) -> None:
    """A newer birthplan may have changed what these files mean: do not guess."""
    found_format = record.get("format")
    if isinstance(found_format, int) and found_format > FORMAT_VERSION:
        raise BirthplanError(f"{directory / name}: written by a newer birthplan (history format "
                             f"{found_format}; this one reads format {FORMAT_VERSION}). Upgrade "
                             "birthplan to use this history; nothing was changed.")
    schema_version = record.get("schema_version")
    supported = _supported_schema_version()
    if isinstance(schema_version, int) and schema_version > supported:
        raise BirthplanError(f"{directory / name}: recorded with plan schema version "
                             f"{schema_version}; this birthplan knows schema version {supported}. "
                             "Upgrade birthplan to use this history; nothing was changed.")


def _supported_schema_version() -> int:
    return plan_schema()["properties"]["schema_version"].get("const", 1)


# -- fingerprints ----------------------------------------------------------------


def fingerprint_of(meta: dict, snapshot: bytes) -> str:
    """SHA-256 over the previous fingerprint, the canonical metadata and the snapshot."""
    body = {k: v for k, v in meta.items() if k != "fingerprint"}
    digest = hashlib.sha256()
    digest.update((meta.get("previous_fingerprint") or "").encode("ascii") + b"\n")
    digest.update(_compact(body) + b"\n")
    digest.update(snapshot)
    return digest.hexdigest()


def _entry_hash(entry: dict) -> str:
    return _sha256(_compact({k: v for k, v in entry.items() if k != "hash"}))


# -- the sent log, leftovers, the folder and its lock ------------------------------


def _read_sent_lines(directory: Path) -> list[dict]:
    return _read_log_lines(directory, SENT_LOG)


def _read_log_lines(directory: Path, name: str) -> list[dict]:
    lines = _read_log_bytes(directory, name).decode("utf-8", "replace").splitlines()
    return [entry for entry in map(_parse_json, lines) if isinstance(entry, dict)]


def _read_log_bytes(directory: Path, name: str) -> bytes:
    path = directory / name
    return _read_bytes(path) if path.is_file() else b""


def _append_to_log(directory: Path, name: str, entry: dict, consequence: str) -> dict:
    """Chain ``entry`` to the log's last line and append it (call under the lock).

    The log is rewritten whole to a temporary file and renamed over the old one,
    so it is always either the old list or the new one.
    """
    entries = _read_log_lines(directory, name)
    entry = {**entry, "number": len(entries) + 1,
             "previous_hash": entries[-1].get("hash") if entries else None}
    entry["hash"] = _entry_hash(entry)
    line = json.dumps(entry, separators=(",", ":"), ensure_ascii=False)  # readable order
    data = _read_log_bytes(directory, name) + line.encode("utf-8") + b"\n"
    with _disk_errors(directory, consequence):
        write_bytes_atomic(directory / name, data, overwrite=True)
    return entry


def _leftovers(directory: Path, scan: _Scan) -> list[Path]:
    """An interrupted review's files: the snapshot after the last version, and temp files."""
    found = [scan.snapshots[n] for n in scan.snapshots if n == scan.last + 1]
    found += [directory / name for name in os.listdir(directory)
              if name.startswith(".") and name.endswith(".tmp")]
    return found


def _clear_interrupted_review(directory: Path) -> None:
    for path in _leftovers(directory, _scan(directory)):
        log.info("removing %s, left by an interrupted review", path.name)
        with _disk_errors(directory, "no version was recorded"):
            path.unlink(missing_ok=True)
    fsync_dir(directory)


def _ensure_history_dir(plan_path: Path) -> Path:
    directory = history_dir(plan_path)
    if directory.is_dir():
        return directory
    with _disk_errors(plan_path.parent, "no version was recorded"):
        make_private_dir(directory)
        try:
            write_bytes_atomic(directory / README_FILE, _README.encode("utf-8"), overwrite=False)
        except FileExistsError:  # another review created it first
            pass
    return directory


def _require_history(plan_path: Path) -> Path:
    directory = history_dir(plan_path)
    if directory.is_dir():
        return directory
    if not plan_path.exists():
        raise UsageError(f"{plan_path}: no such file")
    raise BirthplanError(f"{plan_path}: no review has been recorded yet (there is no history "
                         f"folder {directory.name} beside it). If the plan was moved, move its "
                         "history folder with it; otherwise record the review that agreed it "
                         f"first (`birthplan review {plan_path}`, or Review in the workspace).")


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """One review or sent-log entry at a time; the lock ends with the process."""
    with _disk_errors(directory, "nothing was recorded"):
        fd = os.open(directory / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def _disk_errors(directory: Path, consequence: str) -> Iterator[None]:
    """Turn a full, read-only or forbidden disk into a message a person can act on."""
    try:
        yield
    except FileExistsError:
        raise
    except OSError as err:
        if err.errno in _DISK_FULL:
            raise BirthplanError(f"{directory}: the disk is full, so {consequence}. Free some "
                                 "space and run the command again.") from None
        if err.errno in _NOT_ALLOWED:
            raise BirthplanError(f"{directory}: cannot write here (read-only or no permission), "
                                 f"so {consequence}. Copy the plan and its .history folder to "
                                 "a folder you can write to, or ask IT for access.") from None
        raise BirthplanError(f"{directory}: could not write ({err.strerror}), so "
                             f"{consequence}.") from None


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except OSError as err:
        raise BirthplanError(f"{path}: cannot be read ({err.strerror}).") from None


def _load_json(path: Path):
    return _parse_json(_read_bytes(path).decode("utf-8", "replace"))


def _parse_json(text: str):
    try:
        return json.loads(text)
    except ValueError:
        return None


def _as_int(value, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _compact(value) -> bytes:
    """Canonical JSON: the bytes the fingerprints are computed over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _pretty(value) -> bytes:
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _snapshot_name(number: int) -> str:
    return f"v{number:04d}.yaml"


def _metadata_name(number: int) -> str:
    return f"v{number:04d}.json"
