"""Values people act on: one parser per kind, shared by the plan file, the importer and the
command line; phone and NHS numbers checked; messages that say what to do."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from birthplan import values
from birthplan.importer.answers import to_date, to_time
from birthplan.cli import main
from birthplan.load import read_plan
from birthplan.validate import load_and_validate

from .planfactory import minimal_plan_text


def write(tmp_path, text: str | bytes, name="plan.yaml"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def report_for(tmp_path, text):
    return load_and_validate(write(tmp_path, text))[1]


def messages(report) -> list[str]:
    return [p.format() for p in report.errors + report.warnings]


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# -- one parser per kind of value -------------------------------------------------------

WRITTEN_DATES = ["2027-01-14", "14/01/2027", "14 January 2027", "14th January 2027",
                 "14 Ionawr 2027", "Thursday 14th January 2027", "14 Jan 2027"]


@pytest.mark.parametrize("written", WRITTEN_DATES)
def test_the_plan_file_the_importer_and_the_command_line_read_dates_alike(tmp_path, written):
    text = minimal_plan_text().replace("date: 2027-01-10", f"date: {written}")
    path = write(tmp_path, text)
    plan, report = load_and_validate(path)
    assert report.ok, messages(report)
    assert plan.data["plan"]["meeting"]["date"] == "2027-01-14"
    assert path.read_text() == text  # the file keeps what the author wrote
    assert to_date(written) == "2027-01-14"
    assert values.parse_date(written).isoformat() == "2027-01-14"


@pytest.mark.parametrize("written, held", [("9:30", "09:30"), ("09:30", "09:30"), ("9.30am", "09:30"),
                                           ("2:15pm", "14:15"), ("2pm", "14:00")])
def test_times_are_read_alike_and_held_in_one_form(tmp_path, written, held):
    text = minimal_plan_text() + (
        f"appointments:\n  - {{what: Scan, agency: Midwifery, date: 2027-02-01, start: \"{written}\"}}\n")
    plan, report = load_and_validate(write(tmp_path, text))
    assert report.ok, messages(report)
    assert plan.data["appointments"][0]["start"] == held
    assert to_time(written) == held


@pytest.mark.parametrize("written", ["initial conference", "Initial Conference", "initial_conference",
                                     "INITIAL-CONFERENCE"])
def test_meeting_types_are_read_however_they_are_spaced_or_capitalised(tmp_path, written):
    text = minimal_plan_text().replace("type: pre_birth_planning", f"type: {written}")
    plan, report = load_and_validate(write(tmp_path, text))
    assert report.ok, messages(report)
    assert plan.data["plan"]["meeting"]["type"] == "initial_conference"


def test_review_options_use_the_same_parsers(tmp_path):
    path = write(tmp_path, minimal_plan_text())
    result = CliRunner().invoke(main, ["review", str(path), "--date", "10th January 2027",
                                       "--meeting", "Pre-birth planning",
                                       "--attendee", "Alex Sample, community midwife"])
    assert result.exit_code == 0, result.output
    assert "review 2027-01-10, pre birth planning" in result.output


def test_a_date_option_that_is_not_a_date_is_a_usage_error_naming_the_forms(tmp_path):
    path = write(tmp_path, minimal_plan_text())
    result = CliRunner().invoke(main, ["review", str(path), "--date", "31/02/2027", "--meeting",
                                       "core group", "--attendee", "Alex Sample, community midwife"])
    assert result.exit_code == 2
    assert "February 2027 has no day 31" in result.output


def test_welsh_months_after_o_are_read_in_their_mutated_form():
    assert values.parse_date("21 o Fawrth 2027").isoformat() == "2027-03-21"
    assert values.parse_date("1 Mehefin 2027").isoformat() == "2027-06-01"


# -- phone numbers ----------------------------------------------------------------------


@pytest.mark.parametrize("written, complaint", [
    ("07700 9005", "too short"),
    ("7700900515", "does not start with 0"),
    ("0770090031199", "too long"),
    ("07700 900abc", "letters"),
])
def test_phone_numbers_that_cannot_be_dialled_are_errors_showing_the_number(tmp_path, written, complaint):
    text = minimal_plan_text().replace("phone: 07700 900001", f'phone: "{written}"')
    report = report_for(tmp_path, text)
    [error] = report.errors
    assert complaint in error.message
    assert written in error.message  # the number as written, so it can be found and fixed
    assert error.line == line_of(text, written)
    assert error.field == "Contacts > item 1 > phone"


@pytest.mark.parametrize("written, shown", [
    ("(01632) 960212", "01632 960212"),
    ("01632-960-212", "01632 960212"),
    ("+44 7700 900123", "07700 900123"),
    ("07700900123", "07700 900123"),
    ("0191 498 0123", "0191 498 0123"),  # Ofcom's Tyneside drama range
    ("020 7946 0018", "020 7946 0018"),
])
def test_everyday_ways_of_writing_a_number_are_accepted_and_shown_one_way(tmp_path, written, shown):
    text = minimal_plan_text().replace("phone: 07700 900001", f'phone: "{written}"')
    plan, report = load_and_validate(write(tmp_path, text))
    assert report.ok, messages(report)
    assert plan.data["contacts"][0]["phone"] == shown


def test_phone_links_use_the_international_form():
    assert values.parse_phone("(01632) 960212").tel == "+441632960212"


# -- NHS numbers ------------------------------------------------------------------------


def test_an_nhs_number_with_a_wrong_check_digit_is_an_error_saying_what_to_do(tmp_path):
    text = minimal_plan_text().replace("name: Jo Example,", "name: Jo Example, nhs_number: 999 000 0019,")
    [error] = report_for(tmp_path, text).errors
    assert "check digit" in error.message and "copy it again" in error.message
    assert error.field == "People > mother > NHS number"


@pytest.mark.parametrize("number", ["999 000 0018", "9990000026", "999-000-0034", "943 476 5919"])
def test_valid_nhs_numbers_pass_and_are_held_spaced(tmp_path, number):
    text = minimal_plan_text().replace("name: Jo Example,", f"name: Jo Example, nhs_number: {number},")
    plan, report = load_and_validate(write(tmp_path, text))
    assert report.ok, messages(report)
    digits = number.replace("-", "").replace(" ", "")
    assert plan.data["people"]["mother"]["nhs_number"] == f"{digits[:3]} {digits[3:6]} {digits[6:]}"


# -- messages that help -----------------------------------------------------------------


def test_interpreter_no_is_one_error_without_asking_for_a_language(tmp_path):
    report = report_for(tmp_path, minimal_plan_text() + "communication:\n  interpreter: no\n")
    assert [p.message for p in report.warnings] == []
    [error] = report.errors
    assert "Write false" in error.message


def test_an_empty_required_list_says_what_to_write(tmp_path):
    text = minimal_plan_text().replace("out_of_hours: []", "out_of_hours:")
    [error] = report_for(tmp_path, text).errors
    assert "required but missing" not in error.message
    assert "is empty" in error.message and "- who:" in error.message and "[]" in error.message
    assert error.line == line_of(text, "out_of_hours:")


def test_a_tab_is_named_with_its_line(tmp_path):
    text = minimal_plan_text().replace("  out_of_hours: []", "\tout_of_hours: []")
    [error] = report_for(tmp_path, text).errors
    line = line_of(text, "\tout_of_hours")
    assert error.message.startswith(f"line {line} starts with a tab: YAML needs spaces")


def test_a_tab_inside_a_line_is_named_with_its_column(tmp_path):
    text = minimal_plan_text().replace("  - {role: community_midwife", "  -\t{role: community_midwife")
    [error] = report_for(tmp_path, text).errors
    assert error.message.startswith(f"line {line_of(text, chr(9))} has a tab at column 4: YAML needs spaces")


def test_names_where_letters_look_lost_are_warned(tmp_path):
    text = minimal_plan_text().replace("name: Jo Example,", 'name: "???? ????",').replace(
        "name: Alex Sample", "name: Ma?gorzata ?ak")
    report = report_for(tmp_path, text)
    assert report.ok
    assert sorted(p.field for p in report.warnings) == ["Contacts > item 1 > name", "People > mother > name"]
    assert all("letters were lost" in p.message and "CSV UTF-8" in p.message for p in report.warnings)


def test_curly_quotes_around_a_date_are_named(tmp_path):
    text = minimal_plan_text().replace("due_date: 2027-05-01", "due_date: \u201c2027-05-01\u201d")
    [error] = report_for(tmp_path, text).errors
    assert error.message == "the date is in curly quotes copied from Word: use straight quotes or none."


def test_an_unquoted_colon_in_free_text_says_to_quote_it(tmp_path):
    text = minimal_plan_text() + "wishes:\n  feeding: Note: breastfeeding first\n"
    [error] = report_for(tmp_path, text).errors
    assert "put free text that contains ': ' in quotes" in error.message
    assert error.line == line_of(text, "feeding: Note")


def test_a_nul_byte_is_named_by_byte_and_line(tmp_path):
    text = minimal_plan_text()
    at = text.index("Jo Example")
    raw = text[:at].encode() + b"\x00" + text[at:].encode()
    [error] = load_and_validate(write(tmp_path, raw))[1].errors
    assert error.message.startswith(f"byte {at} (line {line_of(text, 'Jo Example')}) is a NUL character")


def test_a_nul_byte_after_curly_quotes_and_dashes_is_named_where_it_is(tmp_path):
    """libyaml counts in bytes: letters of two or three bytes before the NUL moved it on."""
    text = minimal_plan_text() + "wishes:\n  photos: \u201cyes\u201d \u2014 please\n  feeding: straight"
    raw = text.encode() + b"\x00" + b" away\n"
    [error] = load_and_validate(write(tmp_path, raw))[1].errors
    line = text.count("\n") + 1
    assert error.message.startswith(f"byte {len(text.encode())} (line {line}) is a NUL character"), error.message
    assert (error.line, error.column) == (line, len("  feeding: straight") + 1)


def test_render_notices_say_warning_once(tmp_path):
    from birthplan.render import render_plan

    text = minimal_plan_text() + "communication:\n  preferred_language: other\n"
    result = render_plan(write(tmp_path, text), out_dir=tmp_path / "out", formats=("html",))
    warnings = [n for n in result.notices if "other_language" in n]
    assert warnings and all(n.count("warning:") == 1 for n in warnings)


def test_validate_json_keeps_the_located_phone_error(tmp_path):
    text = minimal_plan_text().replace("phone: 07700 900001", "phone: 07700 9005")
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(write(tmp_path, text))])
    assert result.exit_code == 1
    [error] = json.loads(result.output)[0]["errors"] if isinstance(json.loads(result.output), list) \
        else json.loads(result.output)["errors"]
    assert error["line"] == line_of(text, "07700 9005")


def test_loader_reports_value_problems_without_losing_the_plan(tmp_path):
    text = minimal_plan_text().replace("phone: 07700 900001", "phone: 07700 9005")
    plan, problems = read_plan(write(tmp_path, text))
    assert plan is not None and plan.data["contacts"][0]["phone"] == "07700 9005"
    assert len(problems) == 1


@given(st.integers(0, 999), st.sampled_from(["({a}) {b}", "{a}-{b}", "+44 {a1} {b}", "{a}{b}", " {a}  {b} ",
                                             "+44 (0){a1} {b}", "0044 {a1} {b}"]))
def test_every_way_of_writing_a_drama_number_is_held_the_same(n, form):
    written = form.format(a="01632", a1="1632", b=f"960{n:03d}")
    assert values.parse_phone(written) == values.Phone(f"01632 960{n:03d}", f"+441632960{n:03d}")


def test_reformatting_a_number_or_a_date_is_not_a_change_to_the_plan(tmp_path):
    from birthplan.diff import diff_plans

    before = minimal_plan_text()
    after = before.replace("phone: 07700 900001", 'phone: "+44 7700 900001"').replace(
        "date: 2027-01-10", "date: 10th January 2027").replace("type: pre_birth_planning", "type: Pre-birth planning")
    old = load_and_validate(write(tmp_path, before, "old.yaml"))[0].data
    new = load_and_validate(write(tmp_path, after, "new.yaml"))[0].data
    assert diff_plans(old, new) == []
