"""Who holds which copy, and what needs doing, for one plan or a caseload.

``status`` reads each plan's history and lists, first, what needs doing
(``PlanStatus.actions``): a meeting that has passed but was never recorded as a
review (a plan with no agreed version), a passed due date, a passed next-review date,
people holding a superseded copy (or a version entered in error), and copies
of the current version not sent within the deadlines of ``history.deadlines``
(one line per missing copy, saying what the person holds now). A copy that
went late is a note (``PlanStatus.notes``): nobody can act on it. ``birthplan
status --check`` exits 1 when any plan has an action or a problem, for scripts
and a council's scheduled job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from birthplan.errors import BirthplanError, UsageError
from birthplan.history import deadlines, recipients, rules
from birthplan.history.integrity import _verify_history
from birthplan.history.records import (SentEntry, Version, current_version, list_versions,
                                       sent_entries, snapshot_data, working_state)
from birthplan.history.store import _require_history, history_dir


@dataclass(frozen=True)
class SupersededCopy:
    recipient: str
    version_held: int  # the newest version this recipient was sent
    sent_date: str
    superseded_since: str  # review date of the version after the one they hold
    days: int  # how long they have held an out-of-date copy
    entered_in_error: bool = False  # the version they hold was marked entered in error
    # They also hold the current version (sent on this date), but the copy in error
    # reached them later, so it looks like the newest: they need the current one again.
    current_sent: str | None = None

    def what_to_do(self, current: int | None) -> str:
        """What to send them, given the current agreed version (None: none is agreed, every
        review was entered in error). Worded so that any recipient reads right ("Parents",
        "Named midwife"): the verbs agree with "their copy", never with the recipient."""
        if current is None:
            return (f"send {self.recipient} the plan once its review is recorded again: "
                    f"{self.what_they_hold()}")
        if self.current_sent is not None:
            return (f"send version {current} to {self.recipient} again: their newest copy, "
                    f"{self._held()}, was entered in error (their copy of version {current} was "
                    f"sent on {self.current_sent})")
        return f"send version {current} to {self.recipient}: {self.what_they_hold()}"

    def what_they_hold(self) -> str:
        """"their copy is version 1 (sent ...), superseded since ... (N days)": the clause a
        line about sending them the current version carries."""
        if self.entered_in_error:
            return f"their copy is {self._held()}, which was entered in error"
        return (f"their copy is {self._held()}, superseded since {self.superseded_since} "
                f"({_days(self.days)})")

    def _held(self) -> str:
        return f"version {self.version_held} (sent {self.sent_date})"


@dataclass(frozen=True)
class PlanStatus:
    plan_path: Path
    current_version: int | None  # the current agreed version; None: never reviewed
    review_date: str | None
    due_date: str | None
    next_review_date: str | None
    is_draft: bool  # the plan's data changed after its last agreed review (see working_state)
    superseded: tuple[SupersededCopy, ...]
    up_to_date: tuple[str, ...]  # recipients holding the current version
    problems: tuple[str, ...]  # from verify, or why the plan could not be read
    comments_changed: bool = False  # only comments or layout changed since the review
    actions: tuple[str, ...] = ()  # what needs doing, most urgent first, in plain words
    corrections: tuple[str, ...] = ()  # reviews entered in error, copies withdrawn
    in_error: tuple[int, ...] = ()  # the versions marked entered in error
    # Facts for the record that nobody can act on (a copy that went late): shown, but they
    # never make ``needs_attention`` true, so `status --check` does not fail for them.
    notes: tuple[str, ...] = ()

    @property
    def needs_attention(self) -> bool:
        return bool(self.actions or self.problems)


def status(path_or_dir: str | Path, today: dt.date | None = None) -> list[PlanStatus]:
    """For each plan (one file, or every plan under a folder): its current
    version, due date, next review, who holds an old copy, and what needs doing."""
    path = Path(path_or_dir)
    today = today or rules.today()
    if path.is_dir():
        from birthplan.batch import find_plans  # one definition of "the plans in a folder"

        return [_status_of(plan, today) for plan in find_plans(path)]
    if not path.is_file() and not history_dir(path).is_dir():
        raise UsageError(f"{path}: no such file or folder")
    return [_status_of(path, today)]


def _status_of(plan_path: Path, today: dt.date) -> PlanStatus:
    try:
        if not history_dir(plan_path).is_dir():
            return _unreviewed_status(plan_path, today)
        versions = list_versions(plan_path)
        problems = tuple(_verify_history(_require_history(plan_path)))
        current = current_version(versions)
        entries = sent_entries(plan_path)
        live = [entry for entry in entries if entry.withdrawn is None]
        superseded, up_to_date = _copies(live, versions, current, today,
                                         snapshot_data(current) if current is not None else None)
        in_error = tuple(v.number for v in versions if not v.agreed)
        if current is None:
            return _unreviewed_status(plan_path, today, problems, _corrections(versions, entries),
                                      superseded, in_error)
        data = snapshot_data(current)
        state = working_state(plan_path)
        sending, notes, answered = _sending_actions(live, current, data, superseded, today)
        actions = (_date_actions(data, today)
                   + [c.what_to_do(current.number) for c in superseded if c not in answered]
                   + sending)
        return PlanStatus(plan_path, current.number, current.review_date, _due_date(data),
                          _next_review(data), state.is_draft, superseded, up_to_date, problems,
                          state.comments_changed, tuple(actions), _corrections(versions, entries),
                          in_error, tuple(notes))
    except BirthplanError as err:
        return PlanStatus(plan_path, None, None, None, None, False, (), (), (str(err),))


def _unreviewed_status(plan_path: Path, today: dt.date, problems: tuple = (),
                       corrections: tuple = (), superseded: tuple = (),
                       in_error: tuple = ()) -> PlanStatus:
    """A plan with no agreed version: never reviewed, or every review entered in error
    (then whoever was sent a copy of one is told so, as after any review in error)."""
    from birthplan.load import load_plan

    data = load_plan(plan_path).data
    actions = (_unrecorded_meeting_actions(plan_path, data, today) + _date_actions(data, today)
               + [copy.what_to_do(None) for copy in superseded])
    return PlanStatus(plan_path, None, None, _due_date(data), _next_review(data), True,
                      superseded, (), problems, actions=tuple(actions),
                      corrections=corrections, in_error=in_error)


def _copies(entries: list[SentEntry], versions: list[Version], current: Version | None,
            today: dt.date, data: dict | None = None
            ) -> tuple[tuple[SupersededCopy, ...], tuple[str, ...]]:
    """Each recipient's copies: superseded ones, and who holds the current version.

    A recipient is the words logged (any capitals), except the named midwife: one person,
    however she was logged ("Named midwife", or her full name in ``data``, the current
    version's plan), so a copy to her by role answers an older one logged by her name.
    The parents are not merged: "Parents", the mother and her partner may be different
    people holding different copies.

    What a recipient holds is the newest *agreed* version they were sent: a copy of
    a version later marked entered in error never hides their copy of the version
    that is current again. A copy in error still needs doing while it is their
    newest copy (no copy of the current version was logged after it), because it
    looks newer than the right one.
    """
    by_number = {v.number: v for v in versions}
    theirs: dict[str, list[SentEntry]] = {}
    for entry in entries:
        named_midwife = recipients.recognise(entry.recipient, data) == recipients.MIDWIFE
        theirs.setdefault(recipients.MIDWIFE if named_midwife else entry.recipient.casefold(),
                          []).append(entry)
    superseded, up_to_date = [], []
    for copies in theirs.values():
        agreed = [e for e in copies if by_number[e.version].agreed]
        in_error = [e for e in copies if not by_number[e.version].agreed]
        held = max(agreed, key=lambda e: (e.version, _sent_order(e)), default=None)
        wrong = max(in_error, key=_sent_order, default=None)
        if held is not None and current is not None and held.version == current.number:
            up_to_date.append(held.recipient)
            if wrong is not None and _sent_order(wrong) > _sent_order(held):
                superseded.append(_copy_in_error(wrong, by_number, today, current_sent=held.date))
        elif wrong is not None and (held is None or wrong.version > held.version):
            superseded.append(_copy_in_error(wrong, by_number, today))
        else:
            since = next(v for v in versions if v.number > held.version and v.agreed).review_date
            superseded.append(SupersededCopy(held.recipient, held.version, held.date, since,
                                             _days_since(since, today)))
    superseded.sort(key=lambda copy: (copy.version_held, copy.recipient.casefold()))
    return tuple(superseded), tuple(sorted(up_to_date, key=str.casefold))


def _sent_order(entry: SentEntry) -> tuple[str, int]:
    """Which of two copies reached the recipient later: by date sent, then log order."""
    return entry.date, entry.number


def _copy_in_error(entry: SentEntry, by_number: dict[int, Version], today: dt.date,
                   current_sent: str | None = None) -> SupersededCopy:
    """Out of date since it was recorded: it was never agreed."""
    since = by_number[entry.version].review_date
    return SupersededCopy(entry.recipient, entry.version, entry.date, since,
                          _days_since(since, today), True, current_sent)


def _days_since(iso: str, today: dt.date) -> int:
    return max((today - dt.date.fromisoformat(iso)).days, 0)


def _unrecorded_meeting_actions(plan_path: Path, data: dict, today: dt.date) -> list[str]:
    """A plan with no agreed version whose meeting has passed: what was agreed there is
    not in the record, and no copy can be logged as sent until it is."""
    meeting = _meeting_date(data)
    if _before(meeting, today):
        return [f"the meeting on {meeting} is not recorded as a review: record it with "
                f"`birthplan review {plan_path}`"]
    return []


def _date_actions(data: dict, today: dt.date) -> list[str]:
    actions = []
    due = _due_date(data)
    if _before(due, today):
        actions.append(f"the due date {due} has passed: review the plan for after the birth "
                       "(discharge), or close the case")
    next_review = _next_review(data)
    if _before(next_review, today):
        actions.append(f"the next review was due on {next_review}: hold it, or record the new "
                       "date in plan > next_review_date")
    return actions


def _before(iso, today: dt.date) -> bool:
    """The plan's date is before today (a date the plan holds wrongly is validate's to report)."""
    try:
        return dt.date.fromisoformat(str(iso)) < today if iso else False
    except ValueError:
        return False


def _sending_actions(entries: list[SentEntry], current: Version, data: dict,
                     superseded: tuple[SupersededCopy, ...], today: dt.date
                     ) -> tuple[list[str], list[str], set[SupersededCopy]]:
    """Copies of the current version that the deadlines say must go (actions), and copies
    that went late (notes: a fact for the record, nothing anyone can do now).

    Who a copy went to is read with the names the current version's plan (``data``) gives.
    A missing copy for someone who holds an older one is one line carrying both facts
    (by when, and what they hold); the old copies it answers are returned, so that they
    are not listed again on a line of their own.
    """
    reviewed = dt.date.fromisoformat(current.review_date)
    actions, notes, answered = [], [], set()
    for deadline in (deadlines.midwife_deadline(reviewed), deadlines.parent_deadline(reviewed)):
        def counts(recipient: str) -> bool:
            return deadlines.deadline_for(recipient, reviewed, data) == deadline

        copies = [entry for entry in entries if entry.version == current.number and counts(entry.recipient)]
        when = f"{deadline.rule} after the review on {current.review_date}"
        if not copies:
            holders = [copy for copy in superseded if copy.current_sent is None and counts(copy.recipient)]
            answered.update(holders)
            who = _holders_words(holders, deadline.who)
            held = max(holders, key=lambda c: (c.version_held, c.sent_date), default=None)
            if today > deadline.due:
                line = (f"version {current.number} has not been logged as sent to {who}: it was "
                        f"due by {deadline.due} ({when})")
                actions.append(line + (f"; {held.what_they_hold()}" if held else ""))
            else:
                line = f"send version {current.number} to {who} by {deadline.due} ({when})"
                actions.append(line + (f": {held.what_they_hold()}" if held else ""))
            continue
        first = min(copies, key=lambda entry: entry.date)
        if dt.date.fromisoformat(first.date) > deadline.due:
            late = (dt.date.fromisoformat(first.date) - deadline.due).days
            notes.append(f"sent late: version {current.number} reached {first.recipient} on "
                         f"{first.date}, {_days(late)} after the deadline {deadline.due} ({when})")
    return actions, notes, answered


def _holders_words(holders: list[SupersededCopy], who: str) -> str:
    """Who a missing copy is for: "the named midwife"; or, when they hold an older copy,
    the words it was logged under, with the role when those words do not say it
    ("Helen Marsh (the named midwife)")."""
    names = sorted({copy.recipient for copy in holders}, key=str.casefold)
    if not names:
        return who
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    if all(recipients.by_role_words(name) for name in names):
        return listed
    return f"{listed} ({who})"


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def _corrections(versions: list[Version], entries: list[SentEntry]) -> tuple[str, ...]:
    notes = [f"version {v.number} ({v.review_date}) was marked entered in error by "
             f"{v.entered_in_error.by} on {v.entered_in_error.recorded_at[:10]}: "
             f"{v.entered_in_error.reason}" for v in versions if v.entered_in_error]
    notes += [f"sent-log entry {e.number} (version {e.version} to {e.recipient}, {e.date}) was "
              f"withdrawn by {e.withdrawn.by} on {e.withdrawn.recorded_at[:10]}: "
              f"{e.withdrawn.reason}" for e in entries if e.withdrawn]
    return tuple(notes)


def _due_date(data: dict) -> str | None:
    return (data.get("people") or {}).get("mother", {}).get("due_date")


def _meeting_date(data: dict) -> str | None:
    return ((data.get("plan") or {}).get("meeting") or {}).get("date")


def _next_review(data: dict) -> str | None:
    return (data.get("plan") or {}).get("next_review_date")
