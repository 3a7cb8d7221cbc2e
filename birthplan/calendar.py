"""The parents' appointments as one RFC 5545 calendar (.ics) for their phone.

Parents told researchers they were overwhelmed by appointments from many
agencies; one calendar with every appointment, and a reminder the day before,
is the plan's most practical help. Rules:

* built only from ``audience.view_for(data, "parent")``: whatever the
  parents' copy withholds (a note marked for professionals, third-party
  information) cannot reach the calendar, its file name or its metadata;
* times are Europe/London wall-clock times with a VTIMEZONE, so a 10:00
  appointment stays at 10:00 on either side of the clock change;
* each event's UID comes from the case reference and the appointment's id
  (or, without an id, from its details), never from its place in the list,
  so a re-export updates the events on the phone instead of duplicating them;
* when the file is written over an earlier export, unchanged events keep their
  SEQUENCE and DTSTAMP (the file is byte-for-byte the same if nothing changed),
  changed events get SEQUENCE + 1, and events no longer in the plan are sent
  as cancelled so calendar apps remove them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone

from birthplan import audience
from birthplan.atomic import write_bytes_atomic
from birthplan.errors import BirthplanError
from birthplan.render.sanitize import clean_plan

PRODID = "-//birthplan//Birth plan appointments//EN"
CALENDAR_NAME = "Birth plan appointments"
LONDON = ZoneInfo("Europe/London")
TIMED_REMINDER = dt.timedelta(days=-1)  # the same time the day before
ALL_DAY_REMINDER = dt.timedelta(hours=-6)  # 6 pm the evening before
_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://birthplan.example/appointments")
_CONTENT_IGNORED = {"DTSTAMP", "SEQUENCE"}

# The UK rules since 1996 (the same VTIMEZONE Outlook and Google publish): BST starts
# at 01:00 GMT on the last Sunday of March and ends at 02:00 BST on the last Sunday of October.
_LONDON_VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/London
BEGIN:DAYLIGHT
TZNAME:BST
TZOFFSETFROM:+0000
TZOFFSETTO:+0100
DTSTART:19810329T010000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZNAME:GMT
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
DTSTART:19961027T020000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
"""


@dataclass
class CalendarResult:
    path: Path
    events: int
    cancelled: int
    changed: int


def default_calendar_name(plan_data: dict) -> str:
    """``<case_reference>_appointments.ics``: the reference, never a person's name."""
    reference = audience.view_for(plan_data, audience.PARENT).get("plan", {}).get("case_reference", "plan")
    return f"{reference}_appointments.ics"


def calendar_for(plan_data: dict, *, previous: bytes | None = None,
                 now: dt.datetime | None = None) -> tuple[bytes, dict]:
    """The .ics bytes for a plan, and counts of events, changed and cancelled events.

    ``previous`` is an earlier export of the same calendar, if any: it decides
    SEQUENCE and DTSTAMP so that calendar apps see updates as updates.
    """
    # the only data this module reads, cleaned as for every document: RFC 5545 forbids control characters
    view = clean_plan(audience.view_for(plan_data, audience.PARENT))
    stamp = (now or dt.datetime.now(dt.timezone.utc)).astimezone(dt.timezone.utc).replace(microsecond=0)
    before = _previous_events(previous)
    reference = view.get("plan", {}).get("case_reference", "")
    appointments = sorted(view.get("appointments", []), key=lambda a: (a["date"], a.get("start", "")))

    calendar = _new_calendar()
    if any(a.get("start") for a in appointments):
        calendar.add_component(Timezone.from_ical(_LONDON_VTIMEZONE))
    counts = {"events": 0, "changed": 0, "cancelled": 0}
    seen: set[str] = set()
    for uid, appointment in zip(_uids(reference, appointments), appointments):
        seen.add(uid)
        event = _event(uid, appointment)
        old = before.get(uid)
        if old is not None and "DTSTAMP" in old and _content(old) == _content(event):
            sequence, dtstamp = int(old.get("SEQUENCE", 0)), old.decoded("DTSTAMP")
        else:
            sequence = int(old.get("SEQUENCE", 0)) + 1 if old is not None else 0
            dtstamp = stamp
            counts["changed"] += old is not None
        event.add("DTSTAMP", dtstamp)
        event.add("SEQUENCE", sequence)
        calendar.add_component(event)
        counts["events"] += 1
    for uid, old in before.items():
        if uid not in seen:
            calendar.add_component(_cancelled(uid, old, stamp))
            counts["cancelled"] += 1
    return calendar.to_ical(), counts


def write_calendar(plan_path: str | Path, output: str | Path | None = None, *,
                   now: dt.datetime | None = None) -> CalendarResult:
    """Validate the plan, then write its parents' calendar (beside the plan by default)."""
    from birthplan.validate import load_and_validate

    plan_path = Path(plan_path)
    plan, report = load_and_validate(plan_path)
    if plan is None or not report.ok:
        raise BirthplanError(f"{plan_path} has {len(report.errors)} error(s), so no calendar was written; "
                             f"run: birthplan validate {plan_path}")
    path = Path(output) if output else plan_path.parent / default_calendar_name(plan.data)
    if path.is_dir():
        raise BirthplanError(f"{path} is a folder; give a file name ending .ics")
    previous = _read_previous(path)
    ics, counts = calendar_for(plan.data, previous=previous, now=now)
    if counts["events"] == 0 and counts["cancelled"] == 0:
        raise BirthplanError(f"{plan_path}: the parents' copy shows no appointments, so no calendar was written.")
    try:
        write_bytes_atomic(path, ics)
    except OSError as err:
        raise BirthplanError(f"{path}: cannot be written ({err.strerror}); "
                             "no half-written file was left.") from None
    return CalendarResult(path, counts["events"], counts["cancelled"], counts["changed"])


# -- events ------------------------------------------------------------------------------


def _new_calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("NAME", CALENDAR_NAME)
    calendar.add("X-WR-CALNAME", CALENDAR_NAME)
    calendar.add("X-WR-TIMEZONE", "Europe/London")
    return calendar


def _uids(reference: str, appointments: list[dict]) -> list[str]:
    """One UID per appointment: from its id, else from its details (repeats numbered)."""
    uids, repeats = [], {}
    for appointment in appointments:
        if appointment.get("id"):
            key = f"{reference}/id/{appointment['id']}"
        else:
            details = "/".join(appointment.get(k, "") for k in ("date", "start", "agency", "what"))
            key = f"{reference}/details/{hashlib.sha256(details.encode('utf-8')).hexdigest()}"
        repeats[key] = repeats.get(key, 0) + 1
        if repeats[key] > 1:  # two identical appointments are still two events
            key += f"/{repeats[key]}"
        uids.append(str(uuid.uuid5(_UID_NAMESPACE, key)))
    return uids


def _event(uid: str, appointment: dict) -> Event:
    event = Event()
    event.add("UID", uid)
    what = _one_line(appointment.get("what") or "Appointment")
    agency = appointment.get("agency")
    event.add("SUMMARY", f"{what} ({agency})" if agency and agency not in what else what)
    day = dt.date.fromisoformat(appointment["date"])
    start, end = appointment.get("start"), appointment.get("end")
    if start:
        begins = _at(day, start)
        event.add("DTSTART", begins)
        if end and _at(day, end) > begins:
            event.add("DTEND", _at(day, end))
        reminder = TIMED_REMINDER
    else:
        event.add("DTSTART", day)
        event.add("DTEND", day + dt.timedelta(days=1))
        reminder = ALL_DAY_REMINDER
    location = _location(appointment)
    if location:
        event.add("LOCATION", location)
    description = _description(appointment)
    if description:
        event.add("DESCRIPTION", description)
    event.add("STATUS", "CONFIRMED")
    event.add("TRANSP", "OPAQUE")
    event.add("CLASS", "PRIVATE")  # shared calendars show "busy", not the details
    alarm = Alarm()
    alarm.add("ACTION", "DISPLAY")
    alarm.add("DESCRIPTION", f"Tomorrow: {what}" + (f" at {start}" if start else ""))
    alarm.add("TRIGGER", reminder)
    event.add_component(alarm)
    return event


def _at(day: dt.date, hhmm: str) -> dt.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _location(appointment: dict) -> str:
    where, town = appointment.get("where", ""), appointment.get("town", "")
    if town and town.casefold() not in where.casefold():
        return ", ".join(part for part in (_one_line(where), town) if part)
    return _one_line(where)


def _description(appointment: dict) -> str:
    lines = []
    if appointment.get("agency"):
        lines.append(f"Service: {appointment['agency']}")
    if appointment.get("with"):
        lines.append(f"With: {appointment['with']}")
    if appointment.get("notes_for_parents"):
        lines.append(f"Notes: {appointment['notes_for_parents']}")
    return "\n".join(lines)


def _cancelled(uid: str, old: Event, stamp: dt.datetime) -> Event:
    """An event the plan no longer has: sent as cancelled so calendar apps remove it."""
    if str(old.get("STATUS", "")).upper() == "CANCELLED":
        return old  # already cancelled in the last export: keep it exactly as it was
    event = Event()
    event.add("UID", uid)
    event.add("SUMMARY", "Cancelled appointment")
    for name in ("DTSTART", "DTEND"):
        if name in old:
            event.add(name, old.decoded(name))
    event.add("STATUS", "CANCELLED")
    event.add("DTSTAMP", stamp)
    event.add("SEQUENCE", int(old.get("SEQUENCE", 0)) + 1)
    return event


def _content(event: Event) -> bytes:
    """What an event says, leaving out when it was stamped, for spotting changes."""
    probe = Event.from_ical(event.to_ical())
    for name in _CONTENT_IGNORED:
        probe.pop(name, None)
    return probe.to_ical()


# -- the earlier export ----------------------------------------------------------------------


def _read_previous(path: Path) -> bytes | None:
    """The earlier export at ``path``; refuse to replace a calendar birthplan did not write."""
    if not path.exists():
        return None
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise BirthplanError(f"{path}: cannot be read ({err.strerror}).") from None
    try:
        previous = Calendar.from_ical(raw)
    except Exception:  # noqa: BLE001 - whatever the parser dislikes, it is not our calendar
        previous = None
    if previous is None or str(previous.get("PRODID", "")) != PRODID:
        raise BirthplanError(f"{path} exists and was not written by birthplan; choose another file name "
                             "with -o, so it is not replaced.")
    return raw


def _previous_events(previous: bytes | None) -> dict[str, Event]:
    if not previous:
        return {}
    return {str(event["UID"]): event for event in Calendar.from_ical(previous).walk("VEVENT")}
