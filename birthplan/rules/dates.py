"""Dates that cannot all be right: a due date, birth dates and appointments against the meeting,
clashes between appointments, and a plan for an early birth when the due date is near.
"""

from __future__ import annotations

import datetime as dt
from itertools import combinations

from birthplan.load import Plan
from birthplan.problems import Problem, WARNING
from birthplan.rules.common import has_safeguarding_arrangements, iso_date, problem


LONGEST_PREGNANCY = dt.timedelta(weeks=42)
# From about 28 weeks a baby born early is likely to survive, so the plan for an early
# birth must exist by then: a due date within 12 weeks of the meeting is "near".
EARLY_BIRTH_WINDOW = dt.timedelta(weeks=12)
BIRTH_ALREADY_PAST = dt.timedelta(weeks=4)


def due_date_plausible(plan: Plan) -> list[Problem]:
    meeting = iso_date(plan.data["plan"]["meeting"]["date"])
    due = iso_date(plan.data["people"]["mother"]["due_date"])
    path = ("people", "mother", "due_date")
    if due > meeting + LONGEST_PREGNANCY:
        return [problem(plan, path, "is more than 42 weeks after the meeting date; check the year.")]
    if due < meeting - BIRTH_ALREADY_PAST:
        return [problem(plan, path, "is more than 4 weeks before the meeting date; check the year, "
                        "or update the due date if the baby has been born.")]
    if due < meeting:
        return [problem(plan, path, "is before the meeting date: check it.", WARNING)]
    return []


def dates_of_birth(plan: Plan) -> list[Problem]:
    """A date of birth after the meeting is a typing slip (often the year); a mother
    under 12 or over 60 at her due date is worth a second look."""
    meeting = iso_date(plan.data["plan"]["meeting"]["date"])
    due = iso_date(plan.data["people"]["mother"]["due_date"])
    people = plan.data.get("people", {})
    persons = [(("people", key), people.get(key) or {}) for key in ("mother", "partner")]
    persons += [(("people", "siblings", i), sibling) for i, sibling in enumerate(people.get("siblings", []))]
    out = []
    for base, person in persons:
        born = iso_date(person.get("date_of_birth"))
        if born is None:
            continue
        if born > meeting:
            out.append(problem(plan, base + ("date_of_birth",), "is after the meeting date: a date of birth "
                               "must be in the past. Check the year."))
        elif base == ("people", "mother") and not 12 <= (due - born).days / 365.25 <= 60:
            out.append(problem(plan, base + ("date_of_birth",), "makes the mother "
                               f"{int((due - born).days / 365.25)} at the due date: check the year.", WARNING))
    return out


def next_review_after_meeting(plan: Plan) -> list[Problem]:
    meeting = iso_date(plan.data["plan"]["meeting"]["date"])
    review = iso_date(plan.data["plan"].get("next_review_date"))
    if review and review < meeting:
        return [problem(plan, ("plan", "next_review_date"), "is before the meeting date; check it.")]
    return []


def early_birth_contingency(plan: Plan) -> list[Problem]:
    if not has_safeguarding_arrangements(plan.data):
        return []
    meeting = iso_date(plan.data["plan"]["meeting"]["date"])
    due = iso_date(plan.data["people"]["mother"]["due_date"])
    if due - meeting > EARLY_BIRTH_WINDOW or plan.data.get("early_birth", {}).get("contingency"):
        return []
    return [problem(plan, ("people", "mother", "due_date"),
                    "the due date is less than 12 weeks after the meeting and this plan has "
                    "safeguarding arrangements, but no plan for an early birth is recorded: "
                    "add 'early_birth: contingency:'.", WARNING)]


def _clock_change_gap(day: dt.date, hhmm: str) -> bool:
    """True when ``hhmm`` never happens on ``day`` in the UK (the clocks go forward)."""
    try:
        from zoneinfo import ZoneInfo

        london = ZoneInfo("Europe/London")
    except Exception:  # no time zone data on this machine: nothing to check against
        return False
    hours, minutes = (int(p) for p in hhmm.split(":"))
    naive = dt.datetime.combine(day, dt.time(hours, minutes))
    round_trip = naive.replace(tzinfo=london).astimezone(dt.timezone.utc).astimezone(london)
    return round_trip.replace(tzinfo=None) != naive


def _minutes(hhmm: str | None) -> int | None:
    if not hhmm:
        return None
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def appointments(plan: Plan) -> list[Problem]:
    """After the due date; clashing times; one day in two towns; end before start."""
    items = plan.data.get("appointments", [])
    due = iso_date(plan.data["people"]["mother"]["due_date"])
    meeting = iso_date(plan.data["plan"]["meeting"]["date"])
    out = []
    for i, appt in enumerate(items):
        if iso_date(appt["date"]) > due:
            out.append(problem(plan, ("appointments", i, "date"),
                               "is after the due date; check it is still needed or move it.", WARNING))
        elif iso_date(appt["date"]) < meeting:
            out.append(problem(plan, ("appointments", i, "date"),
                               "is before this plan's meeting, so it has passed: remove it (the parents' "
                               "copy and calendar would still list it), or check the date.", WARNING))
        if appt.get("end") and not appt.get("start"):
            out.append(problem(plan, ("appointments", i, "end"),
                               "has an end time but no start time: add 'start:', or the calendar "
                               "shows it as an all-day appointment.", WARNING))
        for key in ("start", "end"):
            if appt.get(key) and _clock_change_gap(iso_date(appt["date"]), appt[key]):
                out.append(problem(plan, ("appointments", i, key),
                                   "this time does not exist on that day: the clocks go forward an "
                                   "hour at 1am. Check the time.", WARNING))
        start, end = _minutes(appt.get("start")), _minutes(appt.get("end"))
        if start is not None and end is not None and end <= start:
            out.append(problem(plan, ("appointments", i, "end"), "ends before it starts."))
    for (i, a), (j, b) in combinations(enumerate(items), 2):
        if a["date"] != b["date"]:
            continue
        a_start, b_start = _minutes(a.get("start")), _minutes(b.get("start"))
        if a_start is not None and b_start is not None:
            a_end = _minutes(a.get("end")) or a_start + 60  # assume an hour when no end is given
            b_end = _minutes(b.get("end")) or b_start + 60
            if a_start < b_end and b_start < a_end:
                out.append(problem(plan, ("appointments", j),
                                   f"overlaps in time with appointment {i + 1} on the same day.", WARNING))
                continue
        if a.get("town") and b.get("town") and a["town"].strip().lower() != b["town"].strip().lower():
            out.append(problem(plan, ("appointments", j),
                               f"is on the same day as appointment {i + 1} but in a different town; "
                               "can the parents get to both?", WARNING))
    return out
