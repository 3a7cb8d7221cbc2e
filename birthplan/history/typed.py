"""What people type for the history: dates, meeting types, attendees.

Dates and meeting types are read by ``birthplan.values``, the one parser the
plan file, the importer and the CLI options share, so ``--date`` and
``plan > meeting > date`` can be compared exactly.
"""

from __future__ import annotations

import datetime as dt

from birthplan import values
from birthplan.errors import UsageError
from birthplan.history.records import Attendee
from birthplan.resources import plan_schema


def parse_date(value, what: str = "date") -> str:
    """An ISO date string from a date or text the plan file would accept."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value or "").strip()
    try:
        parsed = values.parse_date(text)
    except ValueError as why:
        raise UsageError(f"{what}: not a real date ({why}).") from None
    if parsed is None:
        raise UsageError(f"{what}: {text!r} is not a date; write it as {values.DATE_FORMS}.")
    return parsed.isoformat()


def meeting_types() -> list[str]:
    meeting = plan_schema()["properties"]["plan"]["properties"]["meeting"]
    return list(meeting["properties"]["type"]["enum"])


def parse_meeting_type(text: str) -> str:
    """The schema's word for a meeting type, read as the plan file reads it."""
    choices = meeting_types()
    word = values.parse_choice(str(text or ""), choices)
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
