"""The parents' appointments calendar: read back with a real iCalendar parser.

Times across the clock change, a reminder the day before, UIDs that stay the
same between exports, updates and cancellations, and nothing withheld from the
parents' copy (marker strings in every withheld field never reach the file).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from birthplan.calendar import PRODID, calendar_for, write_calendar
from birthplan.cli import main
from birthplan.errors import BirthplanError
from birthplan.load import load_plan
from birthplan.yamlwrite import dump_plan

from .planfactory import EXAMPLES

FIRST_EXPORT = dt.datetime(2027, 1, 14, 9, 0, tzinfo=dt.timezone.utc)
SECOND_EXPORT = dt.datetime(2027, 2, 11, 16, 30, tzinfo=dt.timezone.utc)
BEFORE_CLOCK_CHANGE = {"id": "anc-1", "what": "Antenatal check", "agency": "Midwifery", "with": "Megan Rees",
                       "where": "Canolfan Iechyd Townhill", "town": "Swansea", "date": "2027-03-27",
                       "start": "10:00", "end": "10:30", "notes_for_parents": "Bring your maternity notes."}
AFTER_CLOCK_CHANGE = {"what": "Core group meeting", "agency": "Children's services", "where": "Civic Centre",
                      "town": "Swansea", "date": "2027-03-29", "start": "10:00", "end": "11:30"}
ALL_DAY = {"id": "hv", "what": "Health visitor visit (time to be arranged)", "agency": "Health visiting",
           "date": "2027-04-05"}


def plan_file(tmp_path: Path, appointments: list[dict], name: str = "plan.yaml", **sections) -> Path:
    data = load_plan(EXAMPLES / "minimal.yaml").data
    data["people"]["mother"]["due_date"] = "2027-05-01"
    data["appointments"] = appointments
    data.update(sections)
    path = tmp_path / name
    path.write_text(dump_plan(data), encoding="utf-8")
    return path


def read_back(path: Path) -> Calendar:
    return Calendar.from_ical(path.read_bytes())


def events_by_summary(calendar: Calendar) -> dict:
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def export(tmp_path, appointments, *, now=FIRST_EXPORT, output="out.ics", **sections) -> Calendar:
    plan = plan_file(tmp_path, appointments, **sections)
    write_calendar(plan, tmp_path / output, now=now)
    return read_back(tmp_path / output)


def test_times_are_london_wall_clock_times_across_the_clock_change(tmp_path):
    calendar = export(tmp_path, [BEFORE_CLOCK_CHANGE, AFTER_CLOCK_CHANGE])
    events = events_by_summary(calendar)
    before = events["Antenatal check (Midwifery)"].decoded("DTSTART")
    after = events["Core group meeting (Children's services)"].decoded("DTSTART")
    assert (before.hour, after.hour) == (10, 10)
    assert before.utcoffset() == dt.timedelta(0)  # GMT on Saturday 27 March 2027
    assert after.utcoffset() == dt.timedelta(hours=1)  # BST from Sunday 28 March 2027
    assert events["Antenatal check (Midwifery)"]["DTSTART"].params["TZID"] == "Europe/London"
    assert events["Antenatal check (Midwifery)"].decoded("DTEND") - before == dt.timedelta(minutes=30)


def test_the_calendars_own_vtimezone_has_the_uk_rules(tmp_path):
    calendar = export(tmp_path, [BEFORE_CLOCK_CHANGE])
    (timezone,) = calendar.walk("VTIMEZONE")
    assert str(timezone["TZID"]) == "Europe/London"
    london = timezone.to_tz(lookup_tzid=False)  # built from the file's rules, not the system's
    for when, hours in [((2027, 3, 27, 10), 0), ((2027, 3, 28, 0, 59), 0), ((2027, 3, 28, 3, 0), 1),
                        ((2027, 10, 30, 10), 1), ((2027, 11, 1, 10), 0), ((2030, 7, 1, 12), 1)]:
        assert london.utcoffset(dt.datetime(*when)) == dt.timedelta(hours=hours), when


def test_a_reminder_the_day_before_and_all_day_events(tmp_path):
    calendar = export(tmp_path, [BEFORE_CLOCK_CHANGE, ALL_DAY])
    events = list(calendar.walk("VEVENT"))
    timed, all_day = events
    (alarm,) = timed.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == dt.timedelta(days=-1)
    assert str(alarm["DESCRIPTION"]) == "Tomorrow: Antenatal check at 10:00"
    assert all_day.decoded("DTSTART") == dt.date(2027, 4, 5)
    assert all_day.decoded("DTEND") == dt.date(2027, 4, 6)
    assert all_day.walk("VALARM")[0].decoded("TRIGGER") == dt.timedelta(hours=-6)  # 6 pm the day before


def test_event_details_and_calendar_properties(tmp_path):
    calendar = export(tmp_path, [BEFORE_CLOCK_CHANGE])
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["PRODID"]) == PRODID
    assert str(calendar["METHOD"]) == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["LOCATION"]) == "Canolfan Iechyd Townhill, Swansea"
    assert str(event["DESCRIPTION"]) == "Service: Midwifery\nWith: Megan Rees\nNotes: Bring your maternity notes."
    assert str(event["CLASS"]) == "PRIVATE"
    assert event.decoded("DTSTAMP") == FIRST_EXPORT
    assert event.decoded("DTSTAMP").tzinfo is not None and event["DTSTAMP"].to_ical().endswith(b"Z")
    assert int(event["SEQUENCE"]) == 0


def uids(calendar: Calendar) -> dict:
    return {str(event["SUMMARY"]): str(event["UID"]) for event in calendar.walk("VEVENT")}


def test_uids_are_stable_across_exports_and_after_reordering(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = export(tmp_path / "a", [BEFORE_CLOCK_CHANGE, AFTER_CLOCK_CHANGE, ALL_DAY], now=FIRST_EXPORT)
    second = export(tmp_path / "b", [ALL_DAY, AFTER_CLOCK_CHANGE, BEFORE_CLOCK_CHANGE], now=SECOND_EXPORT)
    assert uids(first) == uids(second)
    assert len(set(uids(first).values())) == 3


def test_uid_follows_the_appointment_id_when_its_details_change(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = export(tmp_path / "a", [BEFORE_CLOCK_CHANGE])
    moved = dict(BEFORE_CLOCK_CHANGE, date="2027-03-30", start="11:00", end="11:30")
    second = export(tmp_path / "b", [moved])
    assert list(uids(first).values()) == list(uids(second).values())


def test_uids_differ_between_cases_and_for_identical_appointments(tmp_path):
    plan = load_plan(plan_file(tmp_path, [AFTER_CLOCK_CHANGE, AFTER_CLOCK_CHANGE])).data
    ics, counts = calendar_for(plan, now=FIRST_EXPORT)
    one = [str(e["UID"]) for e in Calendar.from_ical(ics).walk("VEVENT")]
    assert counts["events"] == 2 and len(set(one)) == 2
    plan["plan"]["case_reference"] = "TFC-2027-0002"
    ics, _ = calendar_for(plan, now=FIRST_EXPORT)
    other = [str(e["UID"]) for e in Calendar.from_ical(ics).walk("VEVENT")]
    assert not set(one) & set(other)


def test_re_export_over_the_last_one_updates_events_instead_of_duplicating(tmp_path):
    plan = plan_file(tmp_path, [BEFORE_CLOCK_CHANGE, AFTER_CLOCK_CHANGE, ALL_DAY])
    ics = tmp_path / "calendar.ics"
    write_calendar(plan, ics, now=FIRST_EXPORT)
    first_bytes = ics.read_bytes()
    write_calendar(plan, ics, now=SECOND_EXPORT)
    assert ics.read_bytes() == first_bytes  # nothing changed: the same file, byte for byte

    moved = dict(BEFORE_CLOCK_CHANGE, start="11:00", end="11:30")
    plan = plan_file(tmp_path, [moved, AFTER_CLOCK_CHANGE])  # and the health visitor visit is dropped
    result = write_calendar(plan, ics, now=SECOND_EXPORT)
    assert (result.events, result.changed, result.cancelled) == (2, 1, 1)
    events = {str(e["UID"]): e for e in read_back(ics).walk("VEVENT")}
    before = {str(e["UID"]): e for e in Calendar.from_ical(first_bytes).walk("VEVENT")}
    assert set(events) == set(before)  # same UIDs: updated, not duplicated
    for uid, event in events.items():
        summary = str(before[uid]["SUMMARY"])
        if summary.startswith("Antenatal"):
            assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTAMP") == SECOND_EXPORT
            assert event.decoded("DTSTART").hour == 11
        elif summary.startswith("Core group"):
            assert int(event["SEQUENCE"]) == 0 and event.decoded("DTSTAMP") == FIRST_EXPORT
        else:
            assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1


MARKERS = {
    "what": "MARKERWHATPROFESSIONAL",
    "where": "MARKERWHERETHIRDPARTY",
    "notes": "MARKERNOTESPROFESSIONAL",
    "notes2": "MARKERNOTESTHIRDPARTY",
    "concerns": "MARKERCONCERNSSUMMARY",
    "reason": "MARKERREASONTHIRDPARTY",
    "description": "MARKERDESCRIPTIONWARD",
    "address": "MARKERPROTECTEDADDRESS",
    "substances": "MARKERSUBSTANCES",
}


def test_nothing_withheld_from_the_parents_reaches_the_calendar(tmp_path):
    appointments = [
        dict(BEFORE_CLOCK_CHANGE, what={"text": MARKERS["what"], "share_with": ["professional"]},
             where={"text": MARKERS["where"], "third_party": True},
             notes_for_parents={"text": MARKERS["notes"], "share_with": ["professional", "delivery_suite"]}),
        dict(AFTER_CLOCK_CHANGE, notes_for_parents={"text": MARKERS["notes2"], "third_party": True,
                                                     "share_with": ["professional", "parent"]}),
    ]
    plan = plan_file(
        tmp_path, appointments,
        concerns={"summary": MARKERS["concerns"]},
        visitors={"must_not_visit": [{"name": "Jac Tomos", "action": "call_security",
                                      "description": MARKERS["description"],
                                      "reason": {"text": MARKERS["reason"], "third_party": True}}]},
        address={"lines": [MARKERS["address"]], "postcode": "SA1 9ZZ", "protected": True},
        baby_health={"substance_exposure": MARKERS["substances"]},
        at_birth={"in_hours": [], "out_of_hours": [{"who": "Emergency Duty Team", "phone": "01632 960999"}]},
    )
    plan_text = plan.read_text(encoding="utf-8")
    assert all(marker in plan_text for marker in MARKERS.values())  # so the test cannot pass vacuously
    result = write_calendar(plan, now=FIRST_EXPORT)
    raw = result.path.read_bytes()
    unfolded = raw.replace(b"\r\n ", b"").decode("utf-8")  # a marker split by line folding still counts
    for marker in MARKERS.values():
        assert marker not in unfolded and marker not in result.path.name
    events = list(Calendar.from_ical(raw).walk("VEVENT"))
    assert len(events) == 2  # the appointments themselves are still there, with what may be shown
    assert str(events[0]["SUMMARY"]) == "Appointment (Midwifery)"
    assert "LOCATION" in events[1]


def test_default_name_is_the_case_reference_beside_the_plan(tmp_path):
    plan = plan_file(tmp_path, [BEFORE_CLOCK_CHANGE])
    result = CliRunner().invoke(main, ["calendar", str(plan)])
    assert result.exit_code == 0, result.output
    expected = tmp_path / "TFC-2027-0001_appointments.ics"
    assert expected.is_file()
    assert f"wrote {expected}: 1 appointment(s)" in result.output
    custom = tmp_path / "phone.ics"
    result = CliRunner().invoke(main, ["calendar", str(plan), "-o", str(custom)])
    assert result.exit_code == 0 and custom.is_file()


def test_a_calendar_birthplan_did_not_write_is_never_replaced(tmp_path):
    plan = plan_file(tmp_path, [BEFORE_CLOCK_CHANGE])
    theirs = tmp_path / "family.ics"
    theirs.write_text("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Someone//EN\r\nEND:VCALENDAR\r\n")
    with pytest.raises(BirthplanError, match="was not written by birthplan"):
        write_calendar(plan, theirs)
    assert b"Someone" in theirs.read_bytes()


def test_an_invalid_plan_gets_no_calendar(tmp_path):
    plan = plan_file(tmp_path, [dict(BEFORE_CLOCK_CHANGE, start="25:00")])
    result = CliRunner().invoke(main, ["calendar", str(plan)])
    assert result.exit_code == 1
    assert "error(s), so no calendar was written" in result.output
    assert not list(tmp_path.glob("*.ics"))


def test_a_plan_without_appointments_gets_no_calendar(tmp_path):
    plan = plan_file(tmp_path, [])
    with pytest.raises(BirthplanError, match="no appointments"):
        write_calendar(plan)


def test_an_output_folder_that_does_not_exist_is_a_clear_error(tmp_path):
    plan = plan_file(tmp_path, [BEFORE_CLOCK_CHANGE])
    result = CliRunner().invoke(main, ["calendar", str(plan), "-o", str(tmp_path / "missing" / "cal.ics")])
    assert result.exit_code == 1, result.output
    assert "cannot be written" in result.output and "internal error" not in result.output


def test_the_example_plans_export(tmp_path):
    for name in ("sunderland-full.yaml", "swansea-full.yaml"):
        result = write_calendar(EXAMPLES / name, tmp_path / f"{name}.ics", now=FIRST_EXPORT)
        assert result.events == len(load_plan(EXAMPLES / name).data["appointments"])
