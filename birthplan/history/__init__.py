"""Joint-review versions of a plan: an append-only history beside the plan.

Each joint pre-birth review agrees a new version. ``PLAN.history/`` (e.g.
``plan.yaml.history/``) holds, per version, two files a person can open:

* ``v0003.yaml``: the plan's exact bytes as agreed at the review;
* ``v0003.json``: the meeting (date, type, attendees, summary), when it was
  recorded, the SHA-256 of the snapshot, the previous version's fingerprint
  and this version's fingerprint.

fingerprint = SHA-256(previous fingerprint + canonical metadata + snapshot),
so each version vouches for every version before it (a chain). ``verify``
recomputes the chain and names each file that was edited, deleted, renamed or
inserted. ``sent.jsonl`` logs each copy sent, every entry chained the same way.

A version exists only once its metadata file exists: the snapshot is written
first, the metadata last, each atomically and never over an existing file.
A process killed in between leaves a snapshot without metadata after the last
version; it is not a version, ``verify`` does not count it as tampering, and
the next review removes it (under the lock, and only if the history verifies).
Reviews and sent-log entries hold an exclusive ``flock`` on ``.lock``, so two
at once are recorded one after the other.

The work is split in three modules: this one (the public API: recording,
reading, comparing, status, the timeline and what people type),
``history.integrity`` (the tamper checks) and ``history.store`` (the folder's
files, fingerprints, lock, atomic writes and disk errors).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from birthplan import load
from birthplan.atomic import write_bytes_atomic  # looked up here: tests replace it to fail a write
from birthplan.errors import BirthplanError, UsageError
from birthplan.history.store import (FORMAT_VERSION, HISTORY_SUFFIX, LOCK_FILE,  # noqa: F401
                                     README_FILE, SENT_LOG, _clear_interrupted_review,
                                     _disk_errors, _ensure_history_dir, _entry_hash, _leftovers,
                                     _locked, _metadata_name, _pretty, _read_bytes, _read_records,
                                     _read_sent_bytes, _read_sent_lines, _require_history, _scan,
                                     _sha256, _snapshot_name, fingerprint_of, history_dir)
from birthplan.history.integrity import _refuse_if_damaged, _verify_history
from birthplan.resources import plan_schema


# -- what the history holds ----------------------------------------------------


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str
    agency: str | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "agency": self.agency}


@dataclass(frozen=True)
class Version:
    number: int
    review_date: str  # ISO date of the review meeting
    meeting_type: str  # the schema's word, e.g. "core_group"
    attendees: tuple[Attendee, ...]
    summary: str | None
    recorded_at: str  # ISO date and time (UTC) the version was written
    schema_version: int
    snapshot_sha256: str
    previous_fingerprint: str | None
    fingerprint: str
    snapshot_path: Path

    @property
    def short_fingerprint(self) -> str:
        return short(self.fingerprint)

    @property
    def meeting_words(self) -> str:
        return self.meeting_type.replace("_", " ")


@dataclass(frozen=True)
class SentEntry:
    number: int
    recipient: str
    version: int
    fingerprint: str  # of the version sent, so a later swap of that version is detected
    date: str
    by: str | None
    recorded_at: str


@dataclass(frozen=True)
class SupersededCopy:
    recipient: str
    version_held: int  # the newest version this recipient was sent
    sent_date: str
    superseded_since: str  # review date of the version after the one they hold
    days: int  # how long they have held an out-of-date copy


@dataclass(frozen=True)
class PlanStatus:
    plan_path: Path
    current_version: int | None  # None: never reviewed
    review_date: str | None
    due_date: str | None
    next_review_date: str | None
    is_draft: bool  # the plan's data changed after its last recorded review (see working_state)
    superseded: tuple[SupersededCopy, ...]
    up_to_date: tuple[str, ...]  # recipients holding the current version
    problems: tuple[str, ...]  # from verify, or why the plan could not be read
    comments_changed: bool = False  # only comments or layout changed since the review


@dataclass(frozen=True)
class VersionStamp:
    """What a rendered page says about the version it shows."""

    version: int | None  # the last recorded version; None when never reviewed
    review_date: str | None
    short_fingerprint: str  # of that version; of the file's bytes when never reviewed
    is_draft: bool  # not (yet) agreed at a review: mark every page DRAFT
    previous_data: dict | None  # the plan to list changes against (see compared_with)
    compared_with: int | None  # version of previous_data: N-1, or N for a draft
    draft_fingerprint: str | None = None  # of the file's bytes, for a draft


def short(fingerprint: str) -> str:
    return fingerprint[:10]


# -- recording -------------------------------------------------------------------


def record_review(plan_path: str | Path, date, meeting_type: str, attendees: Iterable,
                  summary: str | None = None) -> Version:
    """Validate the plan, then record it as the next version.

    ``date`` is a ``datetime.date`` or text (2027-03-21 or 21/03/2027);
    ``attendees`` are ``Attendee``s, dicts or "Name, role, agency" strings.
    An invalid plan records nothing.
    """
    from birthplan.validate import load_and_validate

    plan_path = Path(plan_path)
    review_date = parse_date(date, "review date")
    meeting = parse_meeting_type(meeting_type)
    people = [parse_attendee(a) for a in attendees]
    if not people:
        raise UsageError("name at least one attendee: --attendee \"Name, role, agency\"")
    plan, report = load_and_validate(plan_path)
    if report.errors:
        listed = "\n".join(p.format() for p in report.errors)
        raise BirthplanError(f"{plan_path}: the plan has {len(report.errors)} error(s), so no "
                             f"version was recorded. Fix them and run the review again:\n{listed}")
    directory = _ensure_history_dir(plan_path)
    with _locked(directory):
        _refuse_if_damaged(plan_path, directory, "no version was recorded")
        _clear_interrupted_review(directory)
        versions = _read_versions(directory)
        previous = versions[-1] if versions else None
        meta = {
            "format": FORMAT_VERSION,
            "number": previous.number + 1 if previous else 1,
            "review_date": review_date,
            "meeting_type": meeting,
            "attendees": [p.as_dict() for p in people],
            "summary": summary or None,
            "recorded_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "schema_version": plan.data.get("schema_version"),
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
    """Log that a copy of ``version`` (default: the latest) went to ``recipient``."""
    plan_path = Path(plan_path)
    directory = _require_history(plan_path)
    recipient = " ".join((recipient or "").split())
    if not recipient:
        raise UsageError("say who the copy went to: --to \"Named midwife\"")
    sent_date = parse_date(date, "date sent") if date is not None else dt.date.today().isoformat()
    with _locked(directory):
        _refuse_if_damaged(plan_path, directory, "nothing was logged")
        versions = _read_versions(directory)
        chosen = _pick_version(plan_path, versions, version)
        entries = _read_sent_lines(directory)
        entry = {
            "format": FORMAT_VERSION,
            "number": len(entries) + 1,
            "recipient": recipient,
            "version": chosen.number,
            "fingerprint": chosen.fingerprint,
            "date": sent_date,
            "by": " ".join(by.split()) if by else None,
            "recorded_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "previous_hash": entries[-1].get("hash") if entries else None,
        }
        entry["hash"] = _entry_hash(entry)
        line = json.dumps(entry, separators=(",", ":"), ensure_ascii=False)  # readable order
        data = _read_sent_bytes(directory) + line.encode("utf-8") + b"\n"
        with _disk_errors(directory, "nothing was logged"):
            # The one file that grows: rewritten whole and atomically, under the lock.
            write_bytes_atomic(directory / SENT_LOG, data, overwrite=True)
    return _sent_from(entry)


def _pick_version(plan_path: Path, versions: list[Version], number: int | None) -> Version:
    if not versions:
        raise BirthplanError(f"{plan_path}: no review has been recorded yet, so there is no "
                             "version to send. Record one with: birthplan review")
    if number is None:
        return versions[-1]
    for version in versions:
        if version.number == number:
            return version
    raise UsageError(f"{plan_path}: there is no version {number} (versions 1 to {versions[-1].number}).")


# -- reading ----------------------------------------------------------------------


def list_versions(plan_path: str | Path) -> list[Version]:
    """Every recorded version, oldest first."""
    return _read_versions(_require_history(Path(plan_path)))


def load_version_data(plan_path: str | Path, number: int) -> dict:
    """The plan data of version ``number``, refusing a snapshot changed since it was recorded."""
    plan_path = Path(plan_path)
    versions = list_versions(plan_path)
    version = _pick_version(plan_path, versions, number)
    return snapshot_data(version)


def snapshot_data(version: Version) -> dict:
    """The plan data recorded in ``version``."""
    from birthplan.load import load_plan_text

    raw = _read_bytes(version.snapshot_path)
    if _sha256(raw) != version.snapshot_sha256:
        raise BirthplanError(f"{version.snapshot_path}: version {version.number}'s snapshot was "
                             "changed after it was recorded. Run: birthplan verify")
    return load_plan_text(raw.decode("utf-8-sig"), str(version.snapshot_path)).data


WORKING = "working"  # the plan file as it is now, in ``compare``


@dataclass(frozen=True)
class Comparison:
    old_name: str  # e.g. "version 2 (2027-01-14)" or "the plan file now"
    new_name: str
    changes: list


def compare(plan_path: str | Path, old=None, new=None) -> Comparison:
    """Changes between two versions (numbers, "v2", or ``"working"``).

    Neither given: the last two versions. Only ``old`` given: ``old`` to the
    file as it is now.
    """
    from birthplan.diff import diff_plans

    plan_path = Path(plan_path)
    versions = list_versions(plan_path)
    if not versions:
        raise BirthplanError(f"{plan_path}: no review has been recorded yet, so there is no "
                             "version to compare.")
    if old is None and new is None:
        if len(versions) < 2:
            raise UsageError(f"{plan_path}: only version 1 has been recorded, so there is "
                             f"no earlier version to compare with. To see edits since the last "
                             f"review: birthplan diff {plan_path} 1 working")
        old, new = versions[-2].number, versions[-1].number
    elif new is None:
        new = WORKING
    old_name, old_data = _side(plan_path, versions, old)
    new_name, new_data = _side(plan_path, versions, new)
    return Comparison(old_name, new_name, diff_plans(old_data, new_data))


def _side(plan_path: Path, versions: list[Version], ref) -> tuple[str, dict]:
    from birthplan.load import load_plan

    if str(ref).strip().lower() == WORKING:
        return "the plan file now", load_plan(plan_path).data
    text = str(ref).strip().lower().removeprefix("v")
    if not text.isdigit():
        raise UsageError(f"{ref!r} is not a version: give a number (e.g. 2) or 'working'.")
    version = _pick_version(plan_path, versions, int(text))
    return f"version {version.number} ({version.review_date})", snapshot_data(version)


@dataclass(frozen=True)
class TimelineEntry:
    """One line of ``birthplan history``: a version and what changed in it."""

    version: Version
    changed: str | None  # "first version", "no changes", "3 changes: ..."; None: unreadable snapshot


def timeline(plan_path: str | Path) -> list[TimelineEntry]:
    """Every recorded version, oldest first, each with what changed since the one before.

    ``changed`` is None when this version or the one before cannot be read
    (a damaged history: ``verify`` says what is wrong).
    """
    from birthplan.diff import diff_plans, summarise

    entries, previous, first = [], None, True
    for version in list_versions(plan_path):
        try:
            data = snapshot_data(version)
        except BirthplanError:
            data = None
        if data is None:
            changed = None
        elif first:
            changed = "first version"
        else:
            changed = summarise(diff_plans(previous, data)) if previous is not None else None
        entries.append(TimelineEntry(version, changed))
        previous, first = data, False
    return entries


def sent_entries(plan_path: str | Path) -> list[SentEntry]:
    directory = _require_history(Path(plan_path))
    return [_sent_from(entry) for entry in _read_sent_lines(directory)]


@dataclass(frozen=True)
class WorkingState:
    """The plan as it is now, against the version last agreed at a review."""

    agreed: Version | None  # None: never reviewed
    agreed_data: dict | None
    changes: list  # diff.diff_plans(agreed, now): exactly what `birthplan diff PLAN N` lists
    same_bytes: bool  # the file is the agreed snapshot byte for byte

    @property
    def is_draft(self) -> bool:
        """Not agreed: never reviewed, or the data changed since the review."""
        return self.agreed is None or bool(self.changes)

    @property
    def comments_changed(self) -> bool:
        """Only comments or layout changed since the review: still the agreed plan."""
        return self.agreed is not None and not self.changes and not self.same_bytes


def working_state(plan_path: str | Path, plan_data: dict | None = None) -> WorkingState:
    """Compare ``plan_data`` (default: the plan file's data) with the last agreed version.

    The one place that decides DRAFT: the plan is a draft exactly when
    ``diff_plans`` (the function behind ``birthplan diff``) finds a change, so a
    comment, a blank line or a different YAML layout never makes pages DRAFT,
    and ``diff`` and the DRAFT mark can never disagree.
    """
    from birthplan.diff import diff_plans
    from birthplan.load import load_plan_text

    plan_path = Path(plan_path)
    raw = _read_bytes(plan_path)
    if plan_data is None:
        plan_data = load_plan_text(raw.decode("utf-8-sig"), str(plan_path)).data
    directory = history_dir(plan_path)
    versions = _read_versions(directory) if directory.is_dir() else []
    if not versions:
        return WorkingState(None, None, [], False)
    agreed = versions[-1]
    agreed_data = snapshot_data(agreed)
    return WorkingState(agreed, agreed_data, diff_plans(agreed_data, plan_data),
                        _sha256(raw) == agreed.snapshot_sha256)


def version_stamp(plan_path: str | Path, plan_data: dict) -> VersionStamp:
    """The stamp for a document rendered from ``plan_data`` (the full, unredacted
    data loaded from ``plan_path``).

    It is agreed (not a draft) when ``working_state`` finds no change since the
    last agreed version. ``previous_data`` is version N-1 for an agreed version,
    and version N (the last agreed) for a draft, so a draft lists what changed
    since it was last agreed.
    """
    plan_path = Path(plan_path)
    state = working_state(plan_path, plan_data)
    if state.agreed is None:
        own = short(_sha256(_read_bytes(plan_path)))
        return VersionStamp(None, None, own, True, None, None, own)
    agreed = state.agreed
    if not state.is_draft:
        previous = _version_before(plan_path, agreed)
        previous_data = snapshot_data(previous) if previous else None
        return VersionStamp(agreed.number, agreed.review_date, agreed.short_fingerprint, False,
                            previous_data, previous.number if previous else None)
    return VersionStamp(agreed.number, agreed.review_date, agreed.short_fingerprint, True,
                        state.agreed_data, agreed.number, short(_sha256(_read_bytes(plan_path))))


def _version_before(plan_path: Path, version: Version) -> Version | None:
    earlier = [v for v in list_versions(plan_path) if v.number < version.number]
    return earlier[-1] if earlier else None


# -- who holds which copy ---------------------------------------------------------


def status(path_or_dir: str | Path, today: dt.date | None = None) -> list[PlanStatus]:
    """For each plan (one file, or every plan under a folder): its current
    version, due date, next review, and the recipients holding an old copy."""
    path = Path(path_or_dir)
    today = today or dt.date.today()
    if path.is_dir():
        from birthplan.batch import find_plans  # one definition of "the plans in a folder"

        return [_status_of(plan, today) for plan in find_plans(path)]
    if not path.is_file() and not history_dir(path).is_dir():
        raise UsageError(f"{path}: no such file or folder")
    return [_status_of(path, today)]


def _status_of(plan_path: Path, today: dt.date) -> PlanStatus:
    try:
        if not history_dir(plan_path).is_dir():
            return _unreviewed_status(plan_path)
        versions = list_versions(plan_path)
        problems = tuple(verify(plan_path))
        if not versions:
            return _unreviewed_status(plan_path, problems)
        current = versions[-1]
        data = snapshot_data(current)
        superseded, up_to_date = _copies(sent_entries(plan_path), versions, today)
        state = working_state(plan_path)
        return PlanStatus(plan_path, current.number, current.review_date, _due_date(data),
                          _next_review(data), state.is_draft, superseded,
                          up_to_date, problems, state.comments_changed)
    except BirthplanError as err:
        return PlanStatus(plan_path, None, None, None, None, False, (), (), (str(err),))


def _unreviewed_status(plan_path: Path, problems: tuple = ()) -> PlanStatus:
    from birthplan.load import load_plan

    data = load_plan(plan_path).data
    return PlanStatus(plan_path, None, None, _due_date(data), _next_review(data), True,
                      (), (), problems)


def _copies(entries: list[SentEntry], versions: list[Version],
            today: dt.date) -> tuple[tuple[SupersededCopy, ...], tuple[str, ...]]:
    """Each recipient's newest copy: superseded ones, and who holds the current version."""
    newest: dict[str, SentEntry] = {}
    for entry in entries:
        key = entry.recipient.casefold()
        if key not in newest or entry.version >= newest[key].version:
            newest[key] = entry
    current = versions[-1].number
    by_number = {v.number: v for v in versions}
    superseded, up_to_date = [], []
    for entry in newest.values():
        if entry.version >= current:
            up_to_date.append(entry.recipient)
            continue
        since = by_number[entry.version + 1].review_date
        days = (today - dt.date.fromisoformat(since)).days
        superseded.append(SupersededCopy(entry.recipient, entry.version, entry.date, since, max(days, 0)))
    superseded.sort(key=lambda copy: (copy.version_held, copy.recipient.casefold()))
    return tuple(superseded), tuple(sorted(up_to_date, key=str.casefold))


def _due_date(data: dict) -> str | None:
    return (data.get("people") or {}).get("mother", {}).get("due_date")


def _next_review(data: dict) -> str | None:
    return (data.get("plan") or {}).get("next_review_date")


# -- verification -----------------------------------------------------------------


def verify(plan_path: str | Path) -> list[str]:
    """Every sign that the history was changed by hand, in plain words.

    An empty list means each recorded version and sent-log entry is exactly
    as it was written, in order, with none missing in between.
    """
    directory = _require_history(Path(plan_path))
    return _verify_history(directory)


def interrupted_leftovers(plan_path: str | Path) -> list[str]:
    """Files an interrupted review left behind (not problems; the next review removes them)."""
    directory = _require_history(Path(plan_path))
    return [path.name for path in _leftovers(directory, _scan(directory))]


def _read_versions(directory: Path) -> list[Version]:
    """The recorded versions in order. Damaged metadata is an error (run verify)."""
    scan = _scan(directory)
    records, problems = _read_records(directory, scan)
    if problems:
        raise BirthplanError(f"{directory}: {problems[0]}. Run: birthplan verify")
    return [_version_from(records[n], directory) for n in sorted(records)]


def _version_from(meta: dict, directory: Path) -> Version:
    attendees = tuple(Attendee(a.get("name", ""), a.get("role", ""), a.get("agency"))
                      for a in meta.get("attendees") or ())
    return Version(meta["number"], meta["review_date"], meta["meeting_type"], attendees,
                   meta.get("summary"), meta["recorded_at"], meta["schema_version"],
                   meta["snapshot_sha256"], meta["previous_fingerprint"], meta["fingerprint"],
                   directory / _snapshot_name(meta["number"]))


def _sent_from(entry: dict) -> SentEntry:
    return SentEntry(entry["number"], entry["recipient"], entry["version"], entry["fingerprint"],
                     entry["date"], entry.get("by"), entry["recorded_at"])


# -- what people type ------------------------------------------------------------------


def parse_date(value, what: str = "date") -> str:
    """An ISO date string from a date or text the plan file would accept (birthplan.values)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    try:
        parsed = load.parse_date(text)
    except ValueError as why:
        raise UsageError(f"{what}: not a real date ({why}).") from None
    if parsed is None:
        raise UsageError(f"{what}: {text!r} is not a date; write it as 2027-03-21 or 21/03/2027 (day first).")
    return parsed.isoformat()


def meeting_types() -> list[str]:
    meeting = plan_schema()["properties"]["plan"]["properties"]["meeting"]
    return list(meeting["properties"]["type"]["enum"])


def parse_meeting_type(text: str) -> str:
    """The schema's word for a meeting type, read as the plan file reads it (birthplan.values)."""
    from birthplan.values import parse_choice

    choices = meeting_types()
    word = parse_choice(str(text or ""), choices)
    if word is None:
        raise UsageError(f"meeting type {text!r} is not one of: {', '.join(choices)}.")
    return word


def parse_attendee(value) -> Attendee:
    """An attendee from "Name, role, agency" (agency optional), a dict or an Attendee."""
    if isinstance(value, Attendee):
        return value
    if isinstance(value, dict):
        parts = [value.get("name"), value.get("role"), value.get("agency")]
    else:
        parts = str(value).split(",", 2)
    name, role, agency = ([" ".join(str(p or "").split()) for p in parts] + ["", "", ""])[:3]
    if not name or not role:
        raise UsageError(f"attendee {str(value)!r}: write it as \"Name, role, agency\" "
                         "(the agency may be left out).")
    return Attendee(name, role, agency or None)


def meeting_mismatches(plan_data: dict, review_date: str, meeting_type: str) -> list[str]:
    """Where the plan's own meeting section disagrees with the review being recorded."""
    meeting = (plan_data.get("plan") or {}).get("meeting") or {}
    notes = []
    if meeting.get("date") and meeting["date"] != review_date:
        notes.append(f"the plan's meeting date is {meeting['date']} but the review date is "
                     f"{review_date}; documents show both. Update plan > meeting > date if "
                     "this version was agreed at this review.")
    if meeting.get("type") and meeting["type"] != meeting_type:
        notes.append(f"the plan's meeting type is {meeting['type']} but this review is "
                     f"{meeting_type}.")
    return notes
