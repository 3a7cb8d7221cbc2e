"""A number under who to tell that differs from the same person's number under
contacts: the trial's mistyped social worker (01632 960471 against 01632 960417)
went unnoticed, and the sheet then showed two numbers for one social worker."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from birthplan.cli import main
from birthplan.validate import load_and_validate

from .planfactory import minimal_plan_text

HEAD = minimal_plan_text().split("contacts:")[0]


def _plan(tmp_path, contacts: str, in_hours: str, out_of_hours: str = "[]"):
    path = tmp_path / "plan.yaml"
    path.write_text(HEAD + f"contacts:\n{contacts}at_birth:\n  in_hours:\n{in_hours}"
                    f"  out_of_hours: {out_of_hours}\n", encoding="utf-8")
    return path


SOCIAL_WORKER = "  - {role: social_worker, name: Dawn Hetherington, phone: 01632 960417}\n"


def _warnings(path) -> list:
    plan, report = load_and_validate(path)
    assert not report.errors
    return [p for p in report.warnings if "differs from" in p.message and "template pack" not in p.message]


def test_a_mistyped_social_worker_number_is_warned_at_the_at_birth_line(tmp_path):
    path = _plan(tmp_path, SOCIAL_WORKER, "    - {who: Social worker, phone: 01632 960471}\n")
    contact_line = path.read_text().splitlines().index(SOCIAL_WORKER.rstrip("\n")) + 1
    at_birth_line = path.read_text().splitlines().index("    - {who: Social worker, phone: 01632 960471}") + 1
    [warning] = _warnings(path)
    assert warning.line == at_birth_line and warning.severity == "warning"
    assert warning.message == (f"the social worker's number here differs from the one under contacts "
                               f"(line {contact_line}): check which is right.")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 0 and f"plan.yaml:{at_birth_line}:" in result.output
    assert "01632" not in result.output and "Dawn" not in result.output  # no plan content in messages


@pytest.mark.parametrize("who", ["Social worker", "social_worker", "SW", "Dawn (SW)", "Dawn Hetherington",
                                 "Gweithiwr cymdeithasol"])
def test_the_ways_people_write_the_role_are_read_as_it(tmp_path, who):
    assert len(_warnings(_plan(tmp_path, SOCIAL_WORKER, f"    - {{who: {who}, phone: 01632 960471}}\n"))) == 1
    assert not _warnings(_plan(tmp_path, SOCIAL_WORKER, f"    - {{who: {who}, phone: (01632) 960417}}\n"))


@pytest.mark.parametrize("who", ["Swap shift lead", "Ward manager", "Midwife in charge"])
def test_a_line_naming_no_contacts_role_is_not_compared(tmp_path, who):
    assert not _warnings(_plan(tmp_path, SOCIAL_WORKER, f"    - {{who: {who}, phone: 01632 960471}}\n"))


def test_a_role_with_several_numbers_is_warned_only_when_none_matches(tmp_path):
    two = SOCIAL_WORKER + "  - {role: social_worker, name: Owen Pryce, phone: 01632 960418}\n"
    assert not _warnings(_plan(tmp_path, two, "    - {who: Social worker, phone: 01632 960418}\n"))
    [warning] = _warnings(_plan(tmp_path, two, "    - {who: Social worker, phone: 01632 960419}\n"))
    assert "differs from the ones under contacts (lines " in warning.message


def test_out_of_hours_lines_and_the_police_are_checked_too(tmp_path):
    edt = "  - {role: emergency_duty_team, name: Out of Hours Team, phone: 01632 960999}\n"
    path = _plan(tmp_path, SOCIAL_WORKER + edt, "    - {who: Social worker, phone: 01632 960417}\n",
                 "\n    - {who: EDT, phone: 01632 960998}\n")
    [warning] = _warnings(path)
    assert warning.field == "When labour starts and at birth > out of hours > item 1 > phone"
    assert warning.message.startswith("the Emergency Duty Team's number here differs")
    text = path.read_text().replace("at_birth:", "police:\n  officer: {name: PC Rhys Morgan, phone: 01632 960555}\n"
                                    "at_birth:").replace("{who: Social worker, phone: 01632 960417}",
                                                         "{who: Police, phone: 01632 960556}")
    path.write_text(text)
    messages = [w.message for w in _warnings(path)]
    assert any(m.startswith("the police contact's number here differs from the one under police") for m in messages)
