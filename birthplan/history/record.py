"""Writing to the history: a review (the next version), a sent copy, and the two
corrections (a sent copy withdrawn, a review marked entered in error).

Every write is an append, under the folder's lock, after the history has
verified and after every check in ``history.rules`` has passed: a refused
command writes nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable, Iterable

from birthplan.atomic import write_bytes_atomic  # looked up here: tests replace it to fail a write
from birthplan.errors import BirthplanError, UsageError
from birthplan.history import rules
from birthplan.history.integrity import _refuse_if_damaged
from birthplan.history.records import (ENTERED_IN_ERROR, WITHDRAWAL, SentEntry, Version,
                                       _pick_version, _read_sent, _read_versions, _version_from,
                                       current_version, working_state)
from birthplan.history.store import (CORRECTION_FORMAT, CORRECTIONS_LOG, PLAIN_FORMAT, SENT_LOG,
                                     _append_to_log, _clear_interrupted_review, _disk_errors,
                                     _ensure_history_dir, _locked, _metadata_name, _pretty,
                                     _require_history, _sha256, _snapshot_name, fingerprint_of)
from birthplan.problems import Problem


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def record_review(plan_path: str | Path, date=None, meeting_type: str | None = None,
                  attendees: Iterable | None = None, summary: str | None = None, *,
                  on_warnings: Callable[[list[Problem]], None] | None = None) -> Version:
    """Validate the plan, then record it as the next version.

    ``date``, ``meeting_type`` and ``attendees`` default to the plan's
    ``plan > meeting``; given, they must agree with it (``history.rules``).
    ``date`` is a ``datetime.date`` or text (2027-03-21 or 21/03/2027);
    ``attendees`` are ``Attendee``s, dicts or "Name, role, agency" strings.
    An invalid plan, or a review the record cannot hold, records nothing.
    ``on_warnings`` is given the plan's validation warnings (when it has any)
    before anything is checked or recorded: a version is agreed for good, so the
    people agreeing it should see what `validate` would tell them. Warnings never
    stop a review.
    """
    from birthplan.validate import load_and_validate

    plan_path = Path(plan_path)
    plan, report = load_and_validate(plan_path)
    if report.errors:
        listed = "\n".join(p.format() for p in report.errors)
        raise BirthplanError(f"{plan_path}: the plan has {len(report.errors)} error(s), so no "
                             f"version was recorded. Fix them and run the review again:\n{listed}")
    if report.warnings and on_warnings is not None:
        on_warnings(list(report.warnings))
    details = rules.review_details(plan, date, meeting_type, attendees)
    directory = _ensure_history_dir(plan_path)
    with _locked(directory):
        _refuse_if_damaged(plan_path, directory, "no version was recorded")
        _clear_interrupted_review(directory)
        versions = _read_versions(directory)
        rules.follows(plan, details, current_version(versions))
        rules.changed_since(plan_path, plan, working_state(plan_path, plan.data))
        previous = versions[-1] if versions else None  # the chain includes versions in error
        meta = {
            "format": PLAIN_FORMAT,
            "number": previous.number + 1 if previous else 1,
            "review_date": details.review_date,
            "meeting_type": details.meeting_type,
            "attendees": [p.as_dict() for p in details.attendees],
            "summary": summary or None,
            "recorded_at": _now(),
            "schema_version": plan.written_version,  # the snapshot's own version, not the one it is read as
            "snapshot_sha256": _sha256(plan.raw),
            "previous_fingerprint": previous.fingerprint if previous else None,
        }
        meta["fingerprint"] = fingerprint_of(meta, plan.raw)
        _write_version(directory, meta, plan.raw)
    return _version_from(meta, directory)


def _write_version(directory: Path, meta: dict, snapshot: bytes) -> None:
    """Snapshot first, metadata last: the version exists once its metadata does."""
    number = meta["number"]
    snapshot_path = directory / _snapshot_name(number)
    with _disk_errors(directory, "no version was recorded"):
        try:
            write_bytes_atomic(snapshot_path, snapshot, overwrite=False)
        except FileExistsError:  # only if the lock did not hold (e.g. a network share)
            raise BirthplanError(f"{directory}: another command recorded version {number} at "
                                 "the same moment; run the review again.") from None
        try:
            write_bytes_atomic(directory / _metadata_name(number), _pretty(meta), overwrite=False)
        except BaseException:
            snapshot_path.unlink(missing_ok=True)  # ours: we hold the lock
            raise


def record_sent(plan_path: str | Path, recipient: str, version: int | None = None,
                date=None, by: str | None = None) -> SentEntry:
    """Log that a copy of ``version`` (default: the current agreed one) went to ``recipient``."""
    plan_path = Path(plan_path)
    directory = _require_history(plan_path)
    recipient = " ".join((recipient or "").split())
    if not recipient:
        raise UsageError("say who the copy went to, e.g. \"Named midwife\"")
    who = rules.recorded_by(by, "logging the copy")
    with _locked(directory):
        _refuse_if_damaged(plan_path, directory, "nothing was logged")
        chosen = _pick_version(plan_path, _read_versions(directory), version)
        entry = _append_to_log(directory, SENT_LOG, {
            "format": PLAIN_FORMAT,
            "recipient": recipient,
            "version": chosen.number,
            "fingerprint": chosen.fingerprint,
            "date": rules.sent_date(date, chosen),
            "by": who,
            "recorded_at": _now(),
        }, "nothing was logged")
    return SentEntry(entry["number"], recipient, chosen.number, chosen.fingerprint, entry["date"],
                     entry["by"], entry["recorded_at"])


def withdraw_sent(plan_path: str | Path, number: int, reason: str | None,
                  by: str | None = None) -> SentEntry:
    """Append a withdrawal of sent-log entry ``number`` (logged in error); returns that entry.

    The entry stays in the log, so the record still shows what was logged,
    and when, and who withdrew it and why.
    """
    plan_path = Path(plan_path)
    directory = _require_history(plan_path)
    reason, who = rules.correction(reason, by)
    with _locked(directory):
        _refuse_if_damaged(plan_path, directory, "nothing was withdrawn")
        entries = {entry.number: entry for entry in _read_sent(directory)}
        target = entries.get(number)
        if target is None:
            listed = f"entries 1 to {max(entries)}" if entries else "no entries yet"
            raise UsageError(f"{plan_path}: there is no copy numbered {number} in the sent log "
                             f"({listed}; `birthplan history {plan_path}` lists them).")
        if target.withdrawn is not None:
            raise BirthplanError(f"{plan_path}: sent-log entry {number} was already withdrawn "
                                 f"by {target.withdrawn.by} ({target.withdrawn.reason}).")
        _append_to_log(directory, SENT_LOG, {
            "format": CORRECTION_FORMAT, "kind": WITHDRAWAL, "withdraws": number,
            "reason": reason, "by": who, "recorded_at": _now(),
        }, "nothing was withdrawn")
    return next(entry for entry in _read_sent(directory) if entry.number == number)


def mark_entered_in_error(plan_path: str | Path, number: int, reason: str | None,
                          by: str | None = None) -> Version:
    """Append a correction marking version ``number`` as entered in error; returns it.

    The version's files are kept unchanged (the chain and every copy sent of
    it still check out); it stops being agreed, so the current agreed version
    becomes the newest one not marked.
    """
    plan_path = Path(plan_path)
    directory = _require_history(plan_path)
    reason, who = rules.correction(reason, by)
    with _locked(directory):
        _refuse_if_damaged(plan_path, directory, "nothing was marked")
        version = _pick_version(plan_path, _read_versions(directory), number)
        if version.entered_in_error is not None:
            raise BirthplanError(f"{plan_path}: version {number} was already marked entered in "
                                 f"error by {version.entered_in_error.by} "
                                 f"({version.entered_in_error.reason}).")
        _append_to_log(directory, CORRECTIONS_LOG, {
            "format": CORRECTION_FORMAT, "kind": ENTERED_IN_ERROR, "version": number,
            "fingerprint": version.fingerprint, "reason": reason, "by": who,
            "recorded_at": _now(),
        }, "nothing was marked")
    return _pick_version(plan_path, _read_versions(directory), number)
