"""What the history holds, read back as objects: versions, sent-log entries and
the corrections appended to them.

A correction never changes the entry it corrects (the files are append-only):
reading attaches it. A version marked entered in error carries its
``Correction``; a sent-log entry that was withdrawn carries its withdrawal.
The current agreed version is the newest version not marked in error.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from birthplan.errors import BirthplanError, UsageError
from birthplan.history.store import (CORRECTIONS_LOG, _read_bytes, _read_log_lines, _read_records,
                                     _read_sent_lines, _require_history, _scan, _sha256,
                                     _snapshot_name, history_dir)

WITHDRAWAL = "withdrawal"  # a sent-log entry that withdraws an earlier one
ENTERED_IN_ERROR = "entered_in_error"  # a corrections-log entry that marks a review


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str
    agency: str | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "agency": self.agency}

    def words(self) -> str:
        return ", ".join(part for part in (self.name, self.role, self.agency) if part)


@dataclass(frozen=True)
class Correction:
    """Who said, when and why, that an earlier entry was wrong."""

    number: int  # its own number in its log
    reason: str
    by: str
    recorded_at: str  # ISO date and time (UTC)


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
    entered_in_error: Correction | None = None  # attached from corrections.jsonl

    @property
    def short_fingerprint(self) -> str:
        return short(self.fingerprint)

    @property
    def meeting_words(self) -> str:
        return self.meeting_type.replace("_", " ")

    @property
    def agreed(self) -> bool:
        return self.entered_in_error is None


@dataclass(frozen=True)
class SentEntry:
    number: int
    recipient: str
    version: int
    fingerprint: str  # of the version sent, so a later swap of that version is detected
    date: str
    by: str | None
    recorded_at: str
    withdrawn: Correction | None = None  # attached from a later withdrawal entry


def short(fingerprint: str) -> str:
    return fingerprint[:10]


def list_versions(plan_path: str | Path) -> list[Version]:
    """Every recorded version, oldest first, including any marked entered in error."""
    return _read_versions(_require_history(Path(plan_path)))


def agreed_versions(versions: list[Version]) -> list[Version]:
    return [version for version in versions if version.agreed]


def current_version(versions: list[Version]) -> Version | None:
    """The current agreed version: the newest one not marked entered in error."""
    agreed = agreed_versions(versions)
    return agreed[-1] if agreed else None


def sent_entries(plan_path: str | Path) -> list[SentEntry]:
    """Every copy logged as sent, oldest first, each with its withdrawal if it has one."""
    return _read_sent(_require_history(Path(plan_path)))


def snapshot_data(version: Version) -> dict:
    """The plan data recorded in ``version``, refusing a snapshot changed since it was recorded."""
    from birthplan.load import load_plan_text

    raw = _read_bytes(version.snapshot_path)
    if _sha256(raw) != version.snapshot_sha256:
        raise BirthplanError(f"{version.snapshot_path}: version {version.number}'s snapshot was "
                             "changed after it was recorded. Run: birthplan verify")
    return load_plan_text(raw.decode("utf-8-sig"), str(version.snapshot_path)).data


def load_version_data(plan_path: str | Path, number: int) -> dict:
    """The plan data of version ``number``."""
    plan_path = Path(plan_path)
    return snapshot_data(_pick_version(plan_path, list_versions(plan_path), number))


def _pick_version(plan_path: Path, versions: list[Version], number: int | None) -> Version:
    """Version ``number``; without a number, the current agreed version."""
    if not versions:
        raise BirthplanError(f"{plan_path}: no review has been recorded yet, so there is no "
                             "version to send. Record one with: birthplan review")
    if number is None:
        current = current_version(versions)
        if current is None:
            raise BirthplanError(f"{plan_path}: every recorded review was marked entered in "
                                 "error, so there is no agreed version. Record the review again "
                                 "with: birthplan review")
        return current
    for version in versions:
        if version.number == number:
            return version
    raise UsageError(f"{plan_path}: there is no version {number} (versions 1 to {versions[-1].number}).")


# -- the working file against the agreed version ----------------------------------------


@dataclass(frozen=True)
class WorkingState:
    """The plan as it is now, against the current agreed version."""

    agreed: Version | None  # None: never reviewed (or every review entered in error)
    agreed_data: dict | None
    changes: list  # diff.diff_plans(agreed, now): exactly what `birthplan diff PLAN N` lists
    same_bytes: bool  # the file is the agreed snapshot byte for byte
    in_error: tuple[int, ...] = ()  # the versions marked entered in error: no copy of one may be used

    @property
    def is_draft(self) -> bool:
        """Not agreed: never reviewed, or the data changed since the review."""
        return self.agreed is None or bool(self.changes)

    @property
    def comments_changed(self) -> bool:
        """Only comments or layout changed since the review: still the agreed plan."""
        return self.agreed is not None and not self.changes and not self.same_bytes


def working_state(plan_path: str | Path, plan_data: dict | None = None) -> WorkingState:
    """Compare ``plan_data`` (default: the plan file's data) with the current agreed version.

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
    agreed, in_error = current_version(versions), tuple(v.number for v in versions if not v.agreed)
    if agreed is None:
        return WorkingState(None, None, [], False, in_error)
    agreed_data = snapshot_data(agreed)
    return WorkingState(agreed, agreed_data, diff_plans(agreed_data, plan_data),
                        _sha256(raw) == agreed.snapshot_sha256, in_error)


# -- from the files --------------------------------------------------------------------


def _read_versions(directory: Path) -> list[Version]:
    """The recorded versions in order, with their corrections. Damaged metadata is an
    error (run verify)."""
    scan = _scan(directory)
    records, problems = _read_records(directory, scan)
    if problems:
        raise BirthplanError(f"{directory}: {problems[0]}. Run: birthplan verify")
    marks = {entry["version"]: _correction_from(entry)
             for entry in _read_log_lines(directory, CORRECTIONS_LOG)
             if entry.get("kind") == ENTERED_IN_ERROR and isinstance(entry.get("version"), int)}
    return [replace(_version_from(records[n], directory), entered_in_error=marks.get(n))
            for n in sorted(records)]


def _read_sent(directory: Path) -> list[SentEntry]:
    lines = _read_sent_lines(directory)
    withdrawals = {entry["withdraws"]: _correction_from(entry)
                   for entry in lines if entry.get("kind") == WITHDRAWAL}
    return [replace(_sent_from(entry), withdrawn=withdrawals.get(entry["number"]))
            for entry in lines if entry.get("kind") is None]


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


def _correction_from(entry: dict) -> Correction:
    return Correction(entry["number"], entry.get("reason") or "", entry.get("by") or "",
                      entry.get("recorded_at") or "")
