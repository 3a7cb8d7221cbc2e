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

Corrections append, never edit: ``sent.jsonl`` also takes withdrawals of
copies logged in error, and ``corrections.jsonl`` marks a review entered in
error; both are hash-chained like the sent log. The current agreed version is
the newest version not marked in error (docs/history.md says why).

The package: this module (the public API, comparing, the timeline and the
version stamp on pages), ``records`` (what the history holds, read back:
versions, copies, corrections, the working file against the agreed version),
``record`` (writing reviews, copies and corrections), ``rules`` (what a record
can hold: the checks before anything is written), ``typed`` (what people
type), ``plan_status`` (who holds which copy and what needs doing), ``deadlines``
(48 hours, 3 working days, bank holidays), ``recipients`` (who a copy logged as
sent went to: the named midwife, the parents, or neither), ``integrity`` (the tamper checks)
and ``store`` (the folder's files, fingerprints, lock, atomic writes and disk
errors).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from birthplan.errors import BirthplanError, UsageError
from birthplan.history import recipients
from birthplan.history.integrity import _verify_history
from birthplan.history.record import (mark_entered_in_error, record_review,  # noqa: F401
                                      record_sent, withdraw_sent)
from birthplan.history.records import (Attendee, Correction, SentEntry, Version,  # noqa: F401
                                       WorkingState, _pick_version, agreed_versions,
                                       current_version, list_versions, load_version_data,
                                       sent_entries, short, snapshot_data, working_state)
from birthplan.history.plan_status import PlanStatus, SupersededCopy, status  # noqa: F401
from birthplan.history.recipients import not_recognised_note  # noqa: F401
from birthplan.history.store import (FORMAT_VERSION, HISTORY_SUFFIX, LOCK_FILE,  # noqa: F401
                                     README_FILE, SENT_LOG, _leftovers, _read_bytes,
                                     _require_history, _scan, _sha256, history_dir)
from birthplan.history.typed import (meeting_types, parse_attendee, parse_date,  # noqa: F401
                                     parse_meeting_type)


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
    newer_version: int | None = None  # set when rendering an old version: the newest agreed one
    newer_review_date: str | None = None  # ... and its review date
    in_error: tuple[int, ...] = ()  # versions marked entered in error: copies of them must not be used


WORKING = "working"  # the plan file as it is now, in ``compare``


@dataclass(frozen=True)
class Comparison:
    old_name: str  # e.g. "version 2 (2027-01-14)" or "the plan file now"
    new_name: str
    changes: list


def compare(plan_path: str | Path, old=None, new=None) -> Comparison:
    """Changes between two versions (numbers, "v2", or ``"working"``).

    Neither given: the last two agreed versions (a review entered in error is
    skipped), or, while only one version is agreed, that version to the file as
    it is now (what changed since it was agreed: the one comparison there is).
    Only ``old`` given: ``old`` to the file as it is now.
    """
    from birthplan.diff import diff_plans

    plan_path = Path(plan_path)
    versions = list_versions(plan_path)
    if not versions:
        raise BirthplanError(f"{plan_path}: no review has been recorded yet, so there is no "
                             "version to compare.")
    if old is None and new is None:
        agreed = agreed_versions(versions)
        if not agreed:
            raise UsageError(f"{plan_path}: every recorded review was marked entered in error, "
                             "so there is no agreed version to compare with. Give the versions "
                             f"to compare, e.g. birthplan diff {plan_path} 1 working")
        old, new = (agreed[-2].number, agreed[-1].number) if len(agreed) > 1 \
            else (agreed[0].number, WORKING)
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
    changes: tuple = ()  # the ``diff.Change``s summarised in ``changed``, as ``birthplan diff`` lists them


def timeline(plan_path: str | Path) -> list[TimelineEntry]:
    """Every recorded version, oldest first, each with what changed since the agreed
    version before it (a version entered in error is listed, marked, but never
    the base of a comparison: nobody should have acted on it).

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
        changes: tuple = ()
        if data is None:
            changed = None
        elif first:
            changed = "first version"
        elif previous is not None:
            changes = tuple(diff_plans(previous, data))
            changed = summarise(list(changes))
        else:
            changed = None
        entries.append(TimelineEntry(version, changed, changes))
        if version.agreed or data is None:
            previous, first = data, False
    return entries


def version_stamp(plan_path: str | Path, plan_data: dict) -> VersionStamp:
    """The stamp for a document rendered from ``plan_data`` (the full, unredacted
    data loaded from ``plan_path``).

    It is agreed (not a draft) when ``working_state`` finds no change since the
    current agreed version. ``previous_data`` is version N-1 for an agreed version,
    and version N (the last agreed) for a draft, so a draft lists what changed
    since it was last agreed.
    """
    plan_path = Path(plan_path)
    state = working_state(plan_path, plan_data)
    if state.agreed is None:
        own = short(_sha256(_read_bytes(plan_path)))
        return VersionStamp(None, None, own, True, None, None, own, in_error=state.in_error)
    agreed = state.agreed
    if not state.is_draft:
        previous = _version_before(plan_path, agreed)
        previous_data = snapshot_data(previous) if previous else None
        return VersionStamp(agreed.number, agreed.review_date, agreed.short_fingerprint, False,
                            previous_data, previous.number if previous else None,
                            in_error=state.in_error)
    return VersionStamp(agreed.number, agreed.review_date, agreed.short_fingerprint, True,
                        state.agreed_data, agreed.number, short(_sha256(_read_bytes(plan_path))),
                        in_error=state.in_error)


def recorded_version(plan_path: str | Path, number: int) -> tuple[Path, VersionStamp]:
    """Agreed version ``number``, for rendering an old copy again (``render --version N``).

    Returns the snapshot file (byte for byte the plan agreed at that review,
    refused if changed since) and its stamp: agreed, never a draft, compared
    with the agreed version before it, and naming the current agreed version
    when a newer one exists, so the copy can say it is not the current one.
    """
    plan_path = Path(plan_path)
    versions = list_versions(plan_path)
    chosen = next((v for v in versions if v.number == number), None)
    if chosen is None:
        known = f"versions 1 to {versions[-1].number}" if versions else "no review is recorded yet"
        raise UsageError(f"{plan_path}: there is no version {number} ({known}).")
    if not chosen.agreed:
        raise UsageError(f"{plan_path}: version {number} was marked as entered in error, so it "
                         "is not an agreed version to render.")
    snapshot_data(chosen)  # refuses a snapshot changed after it was recorded
    previous = _version_before(plan_path, chosen)
    newest = current_version(versions)
    newer = newest if newest is not None and newest.number > chosen.number else None
    stamp = VersionStamp(chosen.number, chosen.review_date, chosen.short_fingerprint, False,
                         snapshot_data(previous) if previous else None,
                         previous.number if previous else None,
                         newer_version=newer.number if newer else None,
                         newer_review_date=newer.review_date if newer else None,
                         in_error=tuple(v.number for v in versions if not v.agreed))
    return chosen.snapshot_path, stamp


def _version_before(plan_path: Path, version: Version) -> Version | None:
    """The agreed version before ``version``: what people held until it was agreed."""
    earlier = [v for v in agreed_versions(list_versions(plan_path)) if v.number < version.number]
    return earlier[-1] if earlier else None


def counts_for(plan_path: str | Path, entry: SentEntry) -> str | None:
    """Whose deadline a logged copy counts for ("the named midwife", "the parents"), or None:
    its recipient read with the names the plan of the version sent gives (``recipients``)."""
    return recipients.recognise(entry.recipient, load_version_data(plan_path, entry.version))


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
