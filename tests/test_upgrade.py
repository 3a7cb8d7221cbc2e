"""Schema version 2 and the upgrade from version 1, proven on real files and histories.

``tests/data/v1/`` holds each example as it was written for schema version 1.
Each is given a two-version history by the real ``review`` command, upgraded
with ``birthplan upgrade``, and reviewed again: the history still verifies,
``diff`` shows only real changes (a category that became a one-item list is
not one), and every copy renders.
"""

from __future__ import annotations

import datetime as dt
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from birthplan.cli import main
from birthplan.history import compare, timeline, verify
from birthplan.history import rules as history_rules
from birthplan.load import load_plan
from birthplan.upgrade import normalise, upgrade_file
from birthplan.validate import load_and_validate

from .conftest import EXAMPLES, files_by, render_into

V1 = Path(__file__).resolve().parent / "data" / "v1"
NAMES = ("minimal", "sunderland-full", "swansea-full")


def run_cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def review(plan: Path, meeting_date: str) -> None:
    """Record the plan as agreed at a meeting on ``meeting_date`` (set in the plan first: a
    review records the plan's own meeting), as a social worker would, after that meeting."""
    text = plan.read_text(encoding="utf-8")
    at = text.index("date: ", text.index("meeting:"))
    end = min(i for i in (text.find(",", at), text.find("\n", at)) if i > 0)
    plan.write_text(text[:at] + f"date: {meeting_date}" + text[end:], encoding="utf-8")
    attendee = [] if "attendees:" in text else ["--attendee", "Priya Raman, social worker, Together for Children"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(history_rules, "today", lambda: dt.date(2027, 12, 31))
        result = run_cli("review", plan, *attendee)
    assert result.exit_code == 0, result.output


def real_changes(changes) -> list[str]:
    """The changes other than the meeting date, which each review sets."""
    return [c.describe() for c in changes if c.path[:2] != ("plan", "meeting")]


def v1_copy(tmp_path: Path, name: str) -> Path:
    plan = tmp_path / f"{name}.yaml"
    shutil.copyfile(V1 / f"{name}.yaml", plan)
    return plan


# -- the fixtures are what they say ----------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_each_fixture_is_a_version_1_copy_of_its_example(name):
    old, new = load_plan(V1 / f"{name}.yaml"), load_plan(EXAMPLES / f"{name}.yaml")
    assert old.written_version == 1 and new.written_version == 2
    assert old.data["plan"]["case_reference"] == new.data["plan"]["case_reference"]


@pytest.mark.parametrize("name", NAMES)
def test_a_version_1_plan_validates_with_a_note_to_upgrade(name):
    plan, report = load_and_validate(V1 / f"{name}.yaml")
    assert report.ok, [p.format() for p in report.errors]
    notes = [p for p in report.warnings if "birthplan upgrade" in p.message]
    assert len(notes) == 1 and notes[0].line is not None


def test_a_moved_field_keeps_its_line_in_messages(tmp_path):
    plan = v1_copy(tmp_path, "sunderland-full")
    text = plan.read_text(encoding="utf-8").replace("category: neglect", "category: neglekt")
    plan.write_text(text, encoding="utf-8")
    report = load_and_validate(plan)[1]
    line = text.splitlines().index("  category: neglekt") + 1
    assert [(p.line, p.field) for p in report.errors] == [(line, "Legal status > categories of concern > item 1")]
    assert "Did you mean 'neglect'?" in report.errors[0].message


def test_a_version_1_plan_with_the_version_2_field_too_is_an_error(tmp_path):
    plan = v1_copy(tmp_path, "swansea-full")
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "  category: emotional_abuse\n", "  category: emotional_abuse\n  categories: [neglect]\n"),
        encoding="utf-8")
    report = load_and_validate(plan)[1]
    assert any("keep one of them" in p.message for p in report.errors)


# -- the rewrite -----------------------------------------------------------------


COMMENTED = """\
# A plan kept by hand: every comment must survive.
schema_version: 1   # the version
plan:
    authority: sunderland
    nation: england
    case_reference: TFC-2027-0001
    meeting: {date: 2027-01-10, type: pre_birth_planning}
people:
    mother: {name: Jo Example, due_date: 2027-05-01}
    place_of_birth: Sunderland Royal Hospital
legal_status:
    plan_type: child_in_need
    # agreed at the conference
    category: neglect   # see the minutes
    stage: none
contacts:
- {role: community_midwife, name: Alex Sample, phone: "07700 900001"}
at_birth:
    in_hours: []
    out_of_hours: []
if_separated:
    time_together: 'As long as we can.'
    contact_plan: Weekly.   # family time
"""


def test_upgrade_rewrites_only_what_changed_keeping_comments_order_and_quotes(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(COMMENTED, encoding="utf-8")
    before = load_plan(plan).data
    result = run_cli("upgrade", plan)
    assert result.exit_code == 0, result.output
    assert plan.read_text(encoding="utf-8") == COMMENTED.replace(
        "schema_version: 1", "schema_version: 2").replace(
        "    category: neglect   # see the minutes", "    categories: [neglect] # see the minutes").replace(
        "    contact_plan: Weekly.   # family time\n", "") + "separation:\n    contact_after: Weekly.  # family time\n"
    assert load_plan(plan).data == before  # the same plan, by meaning
    assert stat.S_IMODE(plan.stat().st_mode) == 0o600  # owner-only
    assert [p.name for p in tmp_path.iterdir()] == ["plan.yaml"]  # no temporary file left


def test_check_lists_the_changes_and_writes_nothing(tmp_path):
    plan = v1_copy(tmp_path, "sunderland-full")
    before = plan.read_bytes()
    result = run_cli("upgrade", "--check", plan)
    assert result.exit_code == 1
    assert "schema_version: 1 becomes 2" in result.output
    assert "legal_status.category becomes legal_status.categories (a list of one)" in result.output
    assert "if_separated.contact_plan becomes separation.contact_after" in result.output
    assert "neglect" not in result.output and "Riverside" not in result.output  # names fields, never values
    assert plan.read_bytes() == before


def test_a_folder_is_upgraded_plan_by_plan_and_then_needs_nothing(tmp_path):
    for name in NAMES:
        v1_copy(tmp_path, name)
    assert run_cli("upgrade", tmp_path).exit_code == 0
    for name in NAMES:
        assert load_plan(tmp_path / f"{name}.yaml").written_version == 2
    again = run_cli("upgrade", "--check", tmp_path)
    assert again.exit_code == 0 and again.output.count("already schema version 2") == 3


def test_an_unreadable_plan_is_reported_and_left_alone(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text("schema_version: 1\nplan: [unclosed\n", encoding="utf-8")
    result = run_cli("upgrade", plan)
    assert result.exit_code == 1 and "plan.yaml:2:7: error: Plan: the list that opens here" in result.output
    assert plan.read_text(encoding="utf-8") == "schema_version: 1\nplan: [unclosed\n"


def test_an_unknown_version_is_refused(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text((EXAMPLES / "minimal.yaml").read_text(encoding="utf-8").replace(
        "schema_version: 2", "schema_version: 7"), encoding="utf-8")
    with pytest.raises(Exception, match="schema_version is 7"):
        upgrade_file(plan)


def test_normalise_leaves_its_input_alone():
    data = {"schema_version": 1, "legal_status": {"category": "neglect"}}
    result = normalise(data)
    assert data == {"schema_version": 1, "legal_status": {"category": "neglect"}}
    assert result.data == {"schema_version": 2, "legal_status": {"categories": ["neglect"]}}


# -- histories recorded before the upgrade ------------------------------------------


@pytest.fixture(scope="module", params=NAMES)
def upgraded_history(request, tmp_path_factory):
    """A version-1 plan with two reviewed versions, upgraded, then reviewed again (v3)."""
    folder = tmp_path_factory.mktemp(f"history-{request.param}")
    plan = v1_copy(folder, request.param)
    review(plan, "2027-01-14")
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("place_of_birth: ", "place_of_birth: Delivery suite, ", 1), encoding="utf-8")
    review(plan, "2027-01-21")
    before_upgrade = {p.name: p.read_bytes() for p in (folder / f"{plan.name}.history").iterdir()}
    assert run_cli("upgrade", plan).exit_code == 0
    return plan, before_upgrade


def test_the_upgrade_changes_nothing_by_meaning(upgraded_history):
    plan, _ = upgraded_history
    assert compare(plan, 2, "working").changes == []
    assert run_cli("diff", plan, "2", "working").exit_code == 0


def test_the_history_still_verifies_and_is_untouched(upgraded_history):
    plan, before = upgraded_history
    after = {p.name: p.read_bytes() for p in (plan.parent / f"{plan.name}.history").iterdir()}
    assert {k: v for k, v in after.items() if k != ".lock"} == {k: v for k, v in before.items() if k != ".lock"}
    assert verify(plan) == []


def test_reviewed_again_the_new_version_verifies_and_diffs_by_meaning(upgraded_history, tmp_path):
    plan, _ = upgraded_history
    work = tmp_path / plan.name
    shutil.copyfile(plan, work)
    shutil.copytree(plan.parent / f"{plan.name}.history", tmp_path / f"{plan.name}.history")
    review(work, "2027-01-28")
    assert verify(work) == []
    assert real_changes(compare(work, 2, 3).changes) == []  # a one-item list is the old single category
    assert [entry.changed for entry in timeline(work)][-1] == "1 change: Plan"  # the meeting date
    # A real change after the upgrade is reported, and nothing else is.
    data_text = work.read_text(encoding="utf-8")
    if "categories: [" in data_text:
        work.write_text(data_text.replace("categories: [", "categories: [physical_abuse, ", 1), encoding="utf-8")
        expected = ["Legal status > categories of concern: added 'physical abuse'"]
    else:
        work.write_text(data_text.rstrip("\n") + "\nwishes:\n  bcg: Yes, please.\n", encoding="utf-8")
        expected = ["Parents' wishes > BCG vaccine: added 'Yes, please.'"]
    review(work, "2027-02-04")
    assert verify(work) == []
    assert real_changes(compare(work, 3, 4).changes) == expected


def test_every_copy_renders_from_a_version_1_history(upgraded_history, tmp_path):
    """The upgraded file means what version 2 (recorded in version 1 of the schema) meant:
    every copy renders as that agreed version, not as a draft."""
    plan, _ = upgraded_history
    result = render_into(tmp_path, plan, formats=("html",))
    assert len(files_by(result, suffix=".html")) == 3
    assert not result.draft and result.version == 2
    for path in files_by(result, suffix=".html"):
        assert "DRAFT" not in path.read_text(encoding="utf-8")
