"""Validation reports every problem at once, at its line, in plain words."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from birthplan.cli import main
from birthplan.validate import load_and_validate

from .planfactory import EXAMPLES, minimal_plan_text


def line_of(text: str, needle: str, nth: int = 1) -> int:
    seen = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not in text")


def check(tmp_path, text: str):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return load_and_validate(path)[1]


def the_one(problems, fragment: str):
    found = [p for p in problems if fragment in p.message]
    assert len(found) == 1, [p.format() for p in problems]
    return found[0]


@pytest.mark.parametrize("name", ["minimal.yaml", "sunderland-full.yaml", "swansea-full.yaml"])
def test_examples_are_valid_without_warnings(name):
    report = load_and_validate(EXAMPLES / name)[1]
    assert report.ok, [p.format() for p in report.errors]
    assert report.warnings == []


def test_every_problem_reported_at_once_with_lines(tmp_path):
    text = minimal_plan_text().replace("type: pre_birth_planning", "type: core grop").replace(
        "name: Jo Example,", "name: Jo Example, nhs_numbr: 999 000 0018,")
    text += "address:\n  lines: [1 Test Road]\n  protected: yes\n"
    report = check(tmp_path, text)
    assert len(report.errors) == 3
    enum = the_one(report.errors, "expected one of")
    assert enum.line == line_of(text, "core grop")
    assert enum.field == "Plan > meeting > meeting type"
    assert "Did you mean 'core_group'?" in enum.message
    unknown = the_one(report.errors, "unknown field 'nhs_numbr'")
    assert unknown.line == line_of(text, "nhs_numbr")
    assert "Did you mean 'nhs_number'?" in unknown.message
    boolean = the_one(report.errors, "expected true or false")
    assert boolean.line == line_of(text, "protected: yes")
    assert boolean.field == "Address > protected address"


def test_missing_required_field_points_at_its_section(tmp_path):
    text = minimal_plan_text().replace("  place_of_birth: Sunderland Royal Hospital\n", "")
    problem = the_one(check(tmp_path, text).errors, "'place_of_birth' is required")
    assert (problem.line, problem.column) == (line_of(text, "people:"), 1)  # the section's own line
    assert problem.field == "People > intended place of birth"
    assert problem.message == "'place_of_birth' is required but missing: add 'place_of_birth:' under 'people:'."


def test_field_named_in_plain_words_deep_in_a_list(tmp_path):
    text = minimal_plan_text() + (
        "visitors:\n  must_not_visit:\n"
        "    - {name: Test Person One, action: call_police}\n"
        "    - {name: Test Person Two, action: shout}\n"
        "contacts_extra: 1\n"
    )
    report = check(tmp_path, text)
    action = the_one(report.errors, "expected one of: call_security")
    assert action.field == "Visitors > must not visit > item 2 > action if they arrive"
    assert action.line == line_of(text, "action: shout")
    the_one(report.errors, "unknown field 'contacts_extra'")


def test_bad_phone_and_empty_text(tmp_path):
    text = minimal_plan_text().replace("phone: 07700 900001", "phone: ring the office") + 'wishes:\n  feeding: ""\n'
    report = check(tmp_path, text)
    phone = the_one(report.errors, "holds letters")
    assert phone.line == line_of(text, "ring the office")
    empty = the_one(report.errors, "must not be empty")
    assert empty.field == "Parents' wishes > feeding"


def test_bad_share_with_inside_text_item(tmp_path):
    text = minimal_plan_text() + "wishes:\n  feeding:\n    text: Breastfeeding\n    share_with: [parents]\n    colour: red\n"
    report = check(tmp_path, text)
    assert any("Did you mean 'parent'?" in p.message for p in report.errors)
    extra = the_one(report.errors, "unknown field 'colour'")
    assert extra.line == line_of(text, "colour: red")


# --- the reviewers' rules -----------------------------------------------------


def test_due_date_more_than_42_weeks_after_meeting(tmp_path):
    text = minimal_plan_text().replace("due_date: 2027-05-01", "due_date: 2028-05-01")
    problem = the_one(check(tmp_path, text).errors, "more than 42 weeks")
    assert problem.line == line_of(text, "due_date: 2028")


def test_due_date_long_before_meeting(tmp_path):
    text = minimal_plan_text().replace("due_date: 2027-05-01", "due_date: 2026-05-01")
    the_one(check(tmp_path, text).errors, "more than 4 weeks before the meeting")


SAFEGUARDING = "legal_status: {plan_type: child_protection, stage: none}\n"


def test_out_of_hours_contact_needed_with_safeguarding(tmp_path):
    text = minimal_plan_text() + SAFEGUARDING
    problem = the_one(check(tmp_path, text).errors, "out of hours")
    assert problem.line == line_of(text, "out_of_hours: []")
    fixed = text.replace("out_of_hours: []", "out_of_hours: [{who: Emergency Duty Team, phone: 01632 960999}]")
    assert check(tmp_path, fixed).ok


def test_no_out_of_hours_needed_without_safeguarding(tmp_path):
    assert check(tmp_path, minimal_plan_text()).ok


def test_must_not_visit_needs_an_action(tmp_path):
    text = minimal_plan_text().replace("out_of_hours: []", "out_of_hours: [{who: EDT, phone: 01632 960999}]")
    text += "visitors:\n  must_not_visit:\n    - name: Test Person One\n      reason: Threats\n"
    problem = the_one(check(tmp_path, text).errors, "add 'action:'")
    assert problem.line == line_of(text, "- name: Test Person One")
    assert problem.field == "Visitors > must not visit > item 1"


def test_supervision_names_who_arranges_it(tmp_path):
    text = minimal_plan_text().replace("out_of_hours: []", "out_of_hours: [{who: EDT, phone: 01632 960999}]")
    text += "ward:\n  arrangement: supervision\n"
    problem = the_one(check(tmp_path, text).errors, "supervision_arranged_by")
    assert problem.line == line_of(text, "arrangement: supervision")


def test_observations_and_supervision_kept_distinct(tmp_path):
    text = minimal_plan_text() + "ward:\n  arrangement: observations\n  supervision_arranged_by: Social care\n"
    report = check(tmp_path, text)
    assert report.ok
    assert the_one(report.warnings, "keep them distinct").line == line_of(text, "supervision_arranged_by")


def test_wales_plan_uses_wales_terms(tmp_path):
    text = minimal_plan_text().replace("nation: england", "nation: wales").replace(
        "out_of_hours: []", "out_of_hours: [{who: EDT, phone: 01632 960999}]") + SAFEGUARDING
    problem = the_one(check(tmp_path, text).errors, "care and support protection plan")
    assert problem.line == line_of(text, "plan_type: child_protection")


def test_england_plan_uses_england_terms(tmp_path):
    text = minimal_plan_text().replace("out_of_hours: []", "out_of_hours: [{who: EDT, phone: 01632 960999}]")
    text += "legal_status: {plan_type: care_and_support_protection, stage: none}\n"
    the_one(check(tmp_path, text).errors, "a plan in England is a child protection plan")


APPOINTMENTS = "appointments:\n"


def test_appointment_after_due_date_is_a_warning(tmp_path):
    text = minimal_plan_text() + APPOINTMENTS + "  - {what: Scan, agency: Midwifery, date: 2027-06-01}\n"
    report = check(tmp_path, text)
    assert report.ok
    assert the_one(report.warnings, "after the due date").line == line_of(text, "what: Scan")


def test_appointments_overlapping_in_time(tmp_path):
    text = minimal_plan_text() + APPOINTMENTS + (
        "  - {what: Scan, agency: Midwifery, date: 2027-02-01, start: '10:00', end: '11:00'}\n"
        "  - {what: Meeting, agency: Children's services, date: 01/02/2027, start: '10:30'}\n"
    )
    report = check(tmp_path, text)
    assert the_one(report.warnings, "overlaps in time with appointment 1").line == line_of(text, "what: Meeting")


def test_appointments_same_day_different_towns(tmp_path):
    text = minimal_plan_text() + APPOINTMENTS + (
        "  - {what: Scan, agency: Midwifery, town: Sunderland, date: 2027-02-01, start: '09:00', end: '09:30'}\n"
        "  - {what: Group, agency: Recovery, town: Durham, date: 2027-02-01, start: '15:00'}\n"
        "  - {what: Group, agency: Recovery, town: Durham, date: 2027-02-02, start: '15:00'}\n"
    )
    report = check(tmp_path, text)
    assert the_one(report.warnings, "different town").line == line_of(text, "town: Durham")


def test_warnings_do_not_fail(tmp_path):
    text = minimal_plan_text() + APPOINTMENTS + "  - {what: Scan, agency: Midwifery, date: 2027-06-01}\n"
    path = tmp_path / "plan.yaml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0
    assert "warning" in result.output and "valid, 1 warning(s)" in result.output


# --- the command ----------------------------------------------------------------


def test_cli_exit_codes_and_text_format(tmp_path):
    good = EXAMPLES / "minimal.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text(minimal_plan_text().replace("due_date: 2027-05-01", "due_date: 31/02/2027"))
    runner = CliRunner()
    ok = runner.invoke(main, ["validate", str(good)])
    assert ok.exit_code == 0 and "valid" in ok.output
    failed = runner.invoke(main, ["validate", str(good), str(bad)])
    assert failed.exit_code == 1
    line = line_of(bad.read_text(), "31/02/2027")
    assert f"{bad}:{line}:" in failed.output
    assert "Traceback" not in failed.output
    missing = runner.invoke(main, ["validate", str(tmp_path / "missing.yaml")])
    assert missing.exit_code == 2
    bad_option = runner.invoke(main, ["validate", "--format", "xml", str(good)])
    assert bad_option.exit_code == 2


def test_cli_json_format(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(minimal_plan_text().replace("type: pre_birth_planning", "type: core grop"))
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(bad)])
    assert result.exit_code == 1
    (report,) = json.loads(result.output)
    assert report["valid"] is False
    (error,) = report["errors"]
    assert error["line"] == line_of(bad.read_text(), "core grop")
    assert error["field"] == "Plan > meeting > meeting type"


def test_messages_never_quote_free_text(tmp_path):
    secret = "Sensitive-Marker-7731"
    text = minimal_plan_text() + f"wishes:\n  feeding: {{text: {secret}, share_with: [parents]}}\n"
    path = tmp_path / "p.yaml"
    path.write_text(text)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert secret not in result.output


def test_appointment_end_without_start_is_a_warning(tmp_path):
    text = minimal_plan_text() + APPOINTMENTS + "  - {what: Scan, agency: Midwifery, date: 2027-02-01, end: '10:00'}\n"
    report = check(tmp_path, text)
    assert report.ok
    assert the_one(report.warnings, "end time but no start").line == line_of(text, "what: Scan")


def test_a_time_lost_when_the_clocks_go_forward_is_a_warning(tmp_path):
    text = minimal_plan_text() + APPOINTMENTS + (
        "  - {what: Scan, agency: Midwifery, date: 2027-03-28, start: '01:30'}\n"
        "  - {what: Scan, agency: Midwifery, date: 2027-03-29, start: '01:30'}\n"
    )
    report = check(tmp_path, text)
    assert the_one(report.warnings, "clocks go forward").line == line_of(text, "date: 2027-03-28")


def test_control_characters_are_a_warning_naming_the_field_not_the_text(tmp_path):
    text = minimal_plan_text() + 'wishes:\n  feeding: "Breast\\u0007feeding"\n'
    report = check(tmp_path, text)
    assert report.ok
    warning = the_one(report.warnings, "control characters")
    assert warning.field == "Parents' wishes > feeding" and warning.line == line_of(text, "feeding:")
    assert "Breast" not in warning.format()


def test_third_party_text_shared_with_parents_is_a_contradiction_warning(tmp_path):
    text = minimal_plan_text() + (
        "wishes:\n  feeding:\n    text: Breastfeeding\n    share_with: [professional, parent]\n    third_party: true\n"
    )
    report = check(tmp_path, text)
    assert report.ok
    assert the_one(report.warnings, "never shown to the parents").line == line_of(text, "share_with:")


def _warnings_and_errors(tmp_path, text):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    report = load_and_validate(path)[1]
    return ([(p.field, p.message) for p in report.errors], [(p.field, p.message) for p in report.warnings])


def test_a_date_of_birth_after_the_meeting_is_an_error_and_an_unlikely_age_a_warning(tmp_path):
    from .planfactory import minimal_plan_text

    text = minimal_plan_text().replace("mother: {name: Jo Example, due_date: 2027-05-01}",
                                       "mother: {name: Jo Example, due_date: 2027-05-01, date_of_birth: 14/03/2027}")
    errors, _ = _warnings_and_errors(tmp_path, text)
    assert [m for f, m in errors if f == "People > mother > date of birth"] == [
        "is after the meeting date: a date of birth must be in the past. Check the year."]
    text = text.replace("date_of_birth: 14/03/2027", "date_of_birth: 14/03/2020")
    errors, warnings = _warnings_and_errors(tmp_path, text)
    assert not errors and ("People > mother > date of birth",
                           "makes the mother 7 at the due date: check the year.") in warnings


def test_an_appointment_before_the_meeting_is_pointed_out(tmp_path):
    from .planfactory import minimal_plan_text

    text = minimal_plan_text() + "appointments:\n  - {id: a1, what: Scan, date: 26/02/2026, where: Clinic, agency: Midwifery}\n"
    errors, warnings = _warnings_and_errors(tmp_path, text)
    assert not errors, errors
    assert any(f == "Appointments > item 1 > date" and "before this plan's meeting, so it has passed" in m
               for f, m in warnings), warnings
