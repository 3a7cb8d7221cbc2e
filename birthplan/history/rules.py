"""What a record can hold: every check a review, a sent copy or a correction must
pass before anything is written.

The history is permanent (a mistake can only be corrected by appending), so
a date it cannot hold is refused up front, with the fix. The words suit both
doors (the command line and the workspace's forms): they name what to give,
never a command-line option.

* a review happens on the plan's own meeting (``plan > meeting``): its date and
  meeting type default to it, and a value that disagrees is refused;
* a review is not dated in the future, nor before the current agreed version, and
  records a change (a repeat with nothing changed would be a duplicate version);
* a copy is not sent in the future, nor before its version was agreed, nor is
  a version marked entered in error sent;
* a correction says why; every entry (a copy sent, a correction) says who.
"""

from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import dataclass

from birthplan.errors import BirthplanError, UsageError
from birthplan.history.records import Attendee, Version
from birthplan.history.typed import parse_attendee, parse_date, parse_meeting_type
from birthplan.values import date_in_words


def today() -> dt.date:
    """Today's date on this computer (tests replace this one function)."""
    return dt.date.today()


@dataclass(frozen=True)
class ReviewDetails:
    review_date: str  # ISO
    meeting_type: str
    attendees: tuple[Attendee, ...]


def review_details(plan, date, meeting_type, attendees) -> ReviewDetails:
    """The review's date, meeting type and attendees: from the plan's meeting section,
    or as given, which must then agree with it. ``plan`` has already validated."""
    meeting = (plan.data.get("plan") or {}).get("meeting") or {}
    where = _where(plan, ("plan", "meeting", "date"))
    review_date = meeting.get("date")
    if date not in (None, ""):  # left out (a blank form field too): the plan's
        given = parse_date(date, "review date")
        if given != review_date:
            raise BirthplanError(
                f"{where}: the review date {given} is not the plan's meeting date {review_date} "
                "(plan > meeting > date), so no version was recorded. The plan records the "
                f"meeting that agreed it: if this version was agreed on {given}, set the "
                f"plan's meeting date to {given} and run the review again; if the plan is "
                f"right, give its date {review_date} or none (it is taken from the plan).")
    meeting_word = meeting.get("type")
    if meeting_type not in (None, ""):
        given = parse_meeting_type(meeting_type)
        if given != meeting_word:
            raise BirthplanError(
                f"{_where(plan, ('plan', 'meeting', 'type'))}: the meeting type {given} is not "
                f"the plan's meeting type {meeting_word} (plan > meeting > type), so no version "
                f"was recorded. If this was a {given.replace('_', ' ')} meeting, set the plan's "
                f"meeting type to {given} and run the review again; if the plan is right, give "
                "its meeting type or none (it is taken from the plan).")
    _refuse_future(review_date, "review date", "no version was recorded. Record the review once "
                   "the meeting has happened (check plan > meeting > date)")
    return ReviewDetails(review_date, meeting_word, _attendees(plan, meeting, attendees))


def follows(plan, details: ReviewDetails, current: Version | None) -> None:
    """A new version records a meeting no earlier than the current agreed version's."""
    if current is not None and details.review_date < current.review_date:
        raise BirthplanError(
            f"{_where(plan, ('plan', 'meeting', 'date'))}: the meeting date "
            f"{details.review_date} is before version {current.number}'s review "
            f"({current.review_date}), so no version was recorded. A new version records a "
            "later meeting: check plan > meeting > date.")


def changed_since(plan_path, plan, state) -> None:
    """A new version records a change: the plan's data (its meeting date included, so a
    real new meeting always counts) differs from the current agreed version's, as
    ``records.working_state`` decides. A repeat would record a duplicate, and every
    copy sent of the current version would look superseded."""
    if state.agreed is not None and not state.changes:
        raise BirthplanError(
            f"{plan_path}: nothing has changed since version {state.agreed.number}, agreed on "
            f"{date_in_words(state.agreed.review_date)}: nothing recorded. A new version records "
            "a new meeting or a change to the plan.")


def _attendees(plan, meeting: dict, given) -> tuple[Attendee, ...]:
    """The plan's meeting attendees; attendees given may only repeat or stand in for them."""
    listed = tuple(parse_attendee(a) for a in meeting.get("attendees") or ())
    typed = tuple(parse_attendee(a) for a in given or ())
    if typed and listed and _names(typed) != _names(listed):
        raise BirthplanError(
            f"{_where(plan, ('plan', 'meeting', 'attendees'))}: the attendees given "
            f"({len(typed)}) are not the plan's meeting attendees ({len(listed)}; plan > meeting "
            "> attendees), so no version was recorded and the copies and the history still "
            "agree. Put who came in the plan and give no attendees (they are taken from it).")
    people = typed or listed
    if not people:
        raise UsageError("name who came to the review: list them in plan > meeting > attendees "
                         "(the copies show them), or give each as \"Name, role, agency\"")
    return people


def _names(people) -> list[str]:
    return sorted(" ".join(person.name.casefold().split()) for person in people)


def sent_date(date, version: Version) -> str:
    """The date a copy of ``version`` was sent (default today), checked against the record."""
    if not version.agreed:
        raise BirthplanError(f"version {version.number} was marked entered in error "
                             f"({version.entered_in_error.reason}), so it cannot be sent; "
                             "send the current version instead (it is the one sent unless "
                             "another is given).")
    chosen = parse_date(date, "date sent") if date is not None else today().isoformat()
    _refuse_future(chosen, "date sent", "nothing was logged. Log a copy once it has gone")
    if chosen < version.review_date:
        raise BirthplanError(
            f"version {version.number} was agreed at the review on {version.review_date}, so "
            f"it cannot have been sent on {chosen}; nothing was logged. Check the date, or give "
            "the version that was sent.")
    return chosen


def correction(reason: str | None, by: str | None) -> tuple[str, str]:
    """The reason (required) and who is making the correction (default: the login name)."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise UsageError("say why, in a few words about what was wrong (the reason is kept with "
                         "the correction)")
    return reason, recorded_by(by, "making the correction")


def recorded_by(by: str | None, doing: str) -> str:
    """Who is writing an entry (a copy sent, a correction): as given, else the login name.
    Every entry says who, so the record answers "who logged this?" the same way."""
    who = " ".join((by or "").split()) or _login_name()
    if not who:
        raise UsageError(f"say who is {doing} (their name)")
    return who


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this account (e.g. a container)
        return ""


def _refuse_future(iso: str, what: str, consequence: str) -> None:
    now = today()
    if dt.date.fromisoformat(iso) > now:
        raise BirthplanError(f"the {what} {iso} is in the future (today is {now.isoformat()}), "
                             f"so {consequence}.")


def _where(plan, path: tuple) -> str:
    line, _ = plan.locations.get(path, (None, None))
    return f"{plan.path}:{line}" if line else str(plan.path)
