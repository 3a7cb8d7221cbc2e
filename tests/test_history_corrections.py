"""Issue 9 item 4: the permanent record refuses dates it cannot hold, before anything
is written, takes the review's details from the plan, and is corrected only by
appending (a withdrawn copy, a review entered in error)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from birthplan import history
from birthplan.errors import BirthplanError, UsageError
from birthplan.history import (history_dir, list_versions, mark_entered_in_error, record_review,
                               record_sent, sent_entries, status, verify, version_stamp,
                               withdraw_sent)
from birthplan.load import load_plan
from tests.conftest import TODAY
from tests.test_history import (_with_meeting_date, files, plan, plan_text, review,  # noqa: F401
                                run_cli, three_versions)


def _log(plan, name: str) -> bytes:
    path = history_dir(plan) / name
    return path.read_bytes() if path.exists() else b""


# -- dates a record cannot hold -----------------------------------------------------------


def test_a_review_dated_in_the_future_is_refused_and_nothing_is_written(plan, monkeypatch):
    monkeypatch.setattr(history.rules, "today", lambda: dt.date(2027, 1, 10))
    result = run_cli("review", plan)
    assert result.exit_code == 1
    assert "the review date 2027-01-14 is in the future (today is 2027-01-10), so no version " \
           "was recorded" in result.output
    assert not history_dir(plan).exists()


@pytest.mark.parametrize("option, value, words", [
    ("--date", "11/02/2027", "the review date 2027-02-11 is not the plan's meeting date 2027-01-14"),
    ("--meeting", "initial conference",
     "the meeting type initial_conference is not the plan's meeting type core_group"),
])
def test_a_review_that_disagrees_with_the_plans_meeting_is_refused_with_the_fix(plan, option,
                                                                               value, words):
    """`review --date` recorded version 2 first and only then warned that the plan's
    meeting date differs."""
    result = run_cli("review", plan, option, value)
    assert result.exit_code == 1
    assert words in result.output and "so no version was recorded" in result.output
    assert "or none (it is taken from the plan)" in result.output
    assert f"{plan}:7" in result.output  # the line to fix
    assert not history_dir(plan).exists()


def test_a_review_cannot_go_back_before_the_current_version(three_versions):
    three_versions.write_text(_with_meeting_date(three_versions.read_text(encoding="utf-8"),
                                                 "2027-02-20"), encoding="utf-8")
    before = files(three_versions)
    with pytest.raises(BirthplanError, match="before version 3's review"):
        record_review(three_versions)
    assert files(three_versions) == before


def test_the_review_takes_date_meeting_and_attendees_from_the_plan(plan):
    """`review` required --attendee although the plan lists the meeting's attendees; the
    professional copy then showed 4 attendees and the history 3."""
    result = run_cli("review", plan)
    assert result.exit_code == 0, result.output
    [version] = list_versions(plan)
    meeting = load_plan(plan).data["plan"]["meeting"]
    assert (version.review_date, version.meeting_type) == (meeting["date"], meeting["type"])
    assert [a.as_dict() for a in version.attendees] == [
        {"name": a["name"], "role": a["role"], "agency": a.get("agency")} for a in meeting["attendees"]]
    assert "Attendees (2): Priya Raman, social worker, Together for Children; " \
           "Kayleigh Ashworth, mother" in result.output


def test_review_repeats_the_plans_warnings_and_still_records(plan):
    """Warnings (a starter's example left in, no plan for an early birth) showed only with
    `validate`: a version was agreed and recorded without them being seen."""
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "place_of_birth: Sunderland Royal Hospital", "place_of_birth: Name of the hospital and ward"),
        encoding="utf-8")
    expected = [line for line in run_cli("validate", plan).output.splitlines() if ": warning: " in line]
    assert any(f"{plan}:11:19: warning: People > intended place of birth: is still the starter's "
               "example" in line for line in expected)
    assert any("no plan for an early birth" in line for line in expected)
    result = run_cli("review", plan)
    assert result.exit_code == 0, result.output  # warnings never stop a review
    assert [line for line in result.stderr.splitlines() if "warning" in line] == expected
    assert "warning" not in result.stdout
    assert all(line.count("warning:") == 1 for line in expected)
    # before the review is recorded, and it is recorded
    assert result.output.index(expected[-1]) < result.output.index("recorded version 1")
    assert [v.number for v in list_versions(plan)] == [1]


def test_attendees_may_be_typed_for_a_plan_that_does_not_list_them(plan):
    text = plan_text().replace(", attendees: [{name: Priya Raman, role: social worker, agency: "
                               "Together for Children}, {name: Kayleigh Ashworth, role: mother}]", "")
    plan.write_text(text, encoding="utf-8")
    assert "name who came" in run_cli("review", plan).output
    result = run_cli("review", plan, "--attendee", "Helen Marsh, community midwife")
    assert result.exit_code == 0, result.output
    assert [a.name for a in list_versions(plan)[0].attendees] == ["Helen Marsh"]


@pytest.mark.parametrize("date, words", [
    ("14/01/2029", "the date sent 2029-01-14 is in the future (today is 2027-04-15), so nothing "
                   "was logged"),
    ("2027-02-01", "version 3 was agreed at the review on 2027-03-01, so it cannot have been sent "
                   "on 2027-02-01"),
])
def test_a_sent_date_the_record_cannot_hold_is_refused(three_versions, date, words):
    """`sent --date 14/01/2029` and a sent date before the version's review were logged."""
    before = files(three_versions)
    result = run_cli("sent", three_versions, "--to", "Named midwife", "--date", date)
    assert result.exit_code == 1
    assert words in result.output and "Traceback" not in result.output
    assert files(three_versions) == before


# -- a copy logged in error is withdrawn, never deleted -------------------------------------


@pytest.fixture
def two_copies(three_versions):
    record_sent(three_versions, "Named midwife", date="2027-03-02", by="Priya Raman")
    record_sent(three_versions, "Parents", date="2027-03-02", by="Priya Raman")
    return three_versions


def test_withdrawing_a_copy_appends_a_chained_entry_and_keeps_the_original(two_copies):
    before = _log(two_copies, "sent.jsonl")
    result = run_cli("sent", two_copies, "--withdraw", "2", "--reason", "logged for the wrong family",
                     "--by", "Helen Marsh")
    assert result.exit_code == 0, result.output
    assert "entry 2 (version 3 to Parents on 2027-03-02) is withdrawn by Helen Marsh" in result.output
    after = _log(two_copies, "sent.jsonl")
    assert after.startswith(before)  # nothing rewritten: one line appended
    added = json.loads(after[len(before):])
    assert added["kind"] == "withdrawal" and added["withdraws"] == 2 and added["by"] == "Helen Marsh"
    assert added["previous_hash"] == json.loads(before.splitlines()[-1])["hash"]
    assert added["format"] == history.FORMAT_VERSION  # an older birthplan refuses, never miscounts
    assert verify(two_copies) == []
    copies = sent_entries(two_copies)
    assert [c.number for c in copies] == [1, 2] and copies[1].withdrawn.reason == "logged for the wrong family"
    (state,) = status(two_copies)
    assert state.up_to_date == ("Named midwife",)
    assert "correction: sent-log entry 2 (version 3 to Parents, 2027-03-02) was withdrawn by " \
           "Helen Marsh" in run_cli("status", two_copies).output
    shown = run_cli("history", two_copies).output
    assert "#2  v3 to Parents on 2027-03-02 by Priya Raman" in shown
    assert "WITHDRAWN: logged for the wrong family (by Helen Marsh" in shown
    checked = run_cli("verify", two_copies)
    assert checked.exit_code == 0 and "1 correction(s)" in checked.output
    assert "sent-log entry 2 (version 3 to Parents, 2027-03-02) was withdrawn" in checked.output


@pytest.mark.parametrize("command, option, correct, already", [
    ("sent", "--withdraw", withdraw_sent, "already withdrawn by Priya Raman"),
    ("review", "--entered-in-error", mark_entered_in_error, "already marked entered in error"),
])
def test_a_correction_needs_a_reason_and_a_real_entry_and_happens_once(two_copies, command, option,
                                                                       correct, already):
    before = files(two_copies)
    assert run_cli(command, two_copies, option, "2").exit_code == 2  # no --reason
    assert run_cli(command, two_copies, option, "9", "--reason", "x").exit_code == 2  # no entry 9
    assert files(two_copies) == before
    correct(two_copies, 1, "wrong date", by="Priya Raman")
    with pytest.raises(BirthplanError, match=already):
        correct(two_copies, 1, "again", by="Priya Raman")


def test_a_withdrawal_defaults_to_the_login_name(two_copies, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "pmarsh")
    assert withdraw_sent(two_copies, 1, "duplicate entry").withdrawn.by == "pmarsh"


def test_an_edited_withdrawal_is_tampering(two_copies):
    withdraw_sent(two_copies, 2, "logged for the wrong family", by="Helen Marsh")
    path = history_dir(two_copies) / "sent.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace("wrong family", "right family"),
                    encoding="utf-8")
    assert verify(two_copies) == ["sent log line 3: sent log entry 3 was changed after it was recorded"]


# -- a review entered in error --------------------------------------------------------------


def test_a_review_entered_in_error_is_marked_and_the_previous_version_is_current(two_copies):
    plan = two_copies
    v3 = list_versions(plan)[2]
    version_files = {name: data for name, data in files(plan).items() if name.startswith("v")}
    result = run_cli("review", plan, "--entered-in-error", "3", "--reason",
                     "recorded before the meeting agreed it", "--by", "Priya Raman")
    assert result.exit_code == 0, result.output
    assert "The current agreed version is now version 2" in result.output
    # nothing rewritten: the version's files as they were, one correction appended
    assert {n: d for n, d in files(plan).items() if n.startswith("v")} == version_files
    entry = json.loads(_log(plan, "corrections.jsonl"))
    assert (entry["kind"], entry["version"], entry["fingerprint"], entry["by"]) == \
        ("entered_in_error", 3, v3.fingerprint, "Priya Raman")
    assert verify(plan) == []
    # the current agreed version is 2: the file (version 3's words) is a draft against it
    stamp = version_stamp(plan, load_plan(plan).data)
    assert (stamp.version, stamp.is_draft) == (2, True)
    (state,) = status(plan)
    assert state.current_version == 2
    assert "version 2 has not been logged as sent to Named midwife: it was due by 2027-02-13 (48 " \
           "hours after the review on 2027-02-11); their copy is version 3 (sent 2027-03-02), " \
           "which was entered in error" in state.actions
    assert any("version 3 (2027-03-01) was marked entered in error by Priya Raman" in note
               for note in state.corrections)
    assert record_sent(plan, "Named midwife", date="2027-03-05").version == 2
    with pytest.raises(BirthplanError, match="marked entered in error"):
        record_sent(plan, "Parents", version=3, date="2027-03-05")
    shown = run_cli("history", plan).output
    assert "ENTERED IN ERROR: recorded before the meeting agreed it (by Priya Raman" in shown
    assert "v3  2027-03-01" in shown  # the original is still listed
    checked = run_cli("verify", plan).output
    assert "version 3 (2027-03-01) was marked entered in error" in checked
    assert "current agreed version 2" in checked
    assert "Changes from version 1 (2027-01-14) to version 2" in run_cli("diff", plan).output


@pytest.fixture
def v1_then_v2_in_error(plan):
    """A trial's plan: version 1 sent to the named midwife, version 2 recorded and sent to
    her too, then version 2 marked entered in error."""
    review(plan, "2027-01-14")
    record_sent(plan, "Named midwife", date="2027-01-15", by="Priya Raman")
    record_sent(plan, "Parents", date="2027-01-18", by="Priya Raman")
    review(plan, "2027-02-11", stage="pre_proceedings")
    record_sent(plan, "Named midwife", date="2027-02-12", by="Priya Raman")
    result = run_cli("review", plan, "--entered-in-error", "2", "--reason", "wrong meeting",
                     "--by", "Priya Raman")
    assert result.exit_code == 0, result.output
    return plan


def test_after_a_review_in_error_the_copies_of_the_version_current_again_count(v1_then_v2_in_error):
    """`status` said "version 1 has not been logged as sent to anyone" although history
    entry #1 is "v1 to Named midwife", not withdrawn: her copy of version 2 (in error)
    hid her copy of version 1, which is current again."""
    plan = v1_then_v2_in_error
    (state,) = status(plan, today=dt.date(2027, 2, 15))
    assert state.current_version == 1
    assert state.up_to_date == ("Named midwife", "Parents")
    shown = run_cli("status", plan).output
    assert "has not been logged as sent" not in shown
    assert "current copy: Named midwife, Parents" in shown
    # Her newest copy is the version in error, so she is told, once, to use version 1.
    assert [a for a in state.actions if "Named midwife" in a] == [
        "send version 1 to Named midwife again: their newest copy, version 2 (sent 2027-02-12), "
        "was entered in error (their copy of version 1 was sent on 2027-01-15)"]
    assert "v1 to Named midwife on 2027-01-15" in run_cli("history", plan).output
    assert verify(plan) == []
    assert "current agreed version 1" in run_cli("verify", plan).output


def test_a_copy_of_the_current_version_sent_after_the_one_in_error_settles_it(v1_then_v2_in_error):
    """Sending version 1 again after the correction still listed the midwife as holding
    version 2: each recipient's copy was the highest version number, in error or not."""
    plan = v1_then_v2_in_error
    record_sent(plan, "named midwife", date="2027-02-16", by="Priya Raman")
    (state,) = status(plan, today=dt.date(2027, 2, 16))
    assert not [a for a in state.actions if "midwife" in a.casefold()], state.actions
    assert state.superseded == ()
    assert [who.casefold() for who in state.up_to_date] == ["named midwife", "parents"]


def test_the_next_review_after_a_correction_is_chained_after_it(three_versions):
    mark_entered_in_error(three_versions, 3, "wrong plan recorded", by="Priya Raman")
    three_versions.write_text(_with_meeting_date(three_versions.read_text(encoding="utf-8"),
                                                 "2027-03-02"), encoding="utf-8")
    v4 = record_review(three_versions)
    versions = list_versions(three_versions)
    assert v4.number == 4 and v4.previous_fingerprint == versions[2].fingerprint
    assert history.current_version(versions).number == 4 and verify(three_versions) == []




def test_a_deleted_or_edited_correction_is_tampering(three_versions):
    mark_entered_in_error(three_versions, 1, "first", by="Priya Raman")
    mark_entered_in_error(three_versions, 2, "second", by="Priya Raman")
    path = history_dir(three_versions) / "corrections.jsonl"
    first, second = path.read_text(encoding="utf-8").splitlines()
    path.write_text(second + "\n", encoding="utf-8")
    assert verify(three_versions) == ["corrections log line 1: corrections log entry 1 was deleted"]
    path.write_text(first.replace("first", "forged") + "\n" + second + "\n", encoding="utf-8")
    assert verify(three_versions) == [
        "corrections log line 1: corrections log entry 1 was changed after it was recorded"]


def test_corrections_are_usage_errors_when_mixed_with_a_review(three_versions):
    result = run_cli("review", three_versions, "--entered-in-error", "2", "--reason", "x",
                     "--date", "2027-03-01")
    assert result.exit_code == 2
    with pytest.raises(UsageError):
        withdraw_sent(three_versions, 1, "   ")


# -- words that read right from both doors (fix-a items 3 and 7) -------------------------------


def test_the_librarys_refusals_name_no_command_line_option(two_copies, monkeypatch):
    """The workspace showed "leave out --date": the library's words suit a form too (the
    command line adds its own option hints)."""
    monkeypatch.setattr("getpass.getuser", lambda: "")  # no login name: who must be given
    plan = two_copies
    messages = []
    for attempt in (lambda: record_review(plan, "2027-03-02"),
                    lambda: record_review(plan, meeting_type="initial conference"),
                    lambda: record_review(plan, attendees=["Helen Marsh, community midwife"]),
                    lambda: record_sent(plan, " "),
                    lambda: record_sent(plan, "Parents", version=1, date="2027-01-10"),
                    lambda: withdraw_sent(plan, 1, " "),
                    lambda: withdraw_sent(plan, 1, "wrong family"),
                    lambda: mark_entered_in_error(plan, 1, "")):
        with pytest.raises(BirthplanError) as caught:
            attempt()
        messages.append(str(caught.value))
    assert all("--" not in message for message in messages), messages
    assert "give its date 2027-03-01 or none" in messages[0]
    # The command line still says which option to use.
    assert "--reason" in run_cli("sent", plan, "--withdraw", "1").output
    assert "--reason" in run_cli("review", plan, "--entered-in-error", "1").output


def test_a_copy_logged_without_by_records_who_like_a_correction(three_versions, monkeypatch):
    """`sent` without --by recorded no name, while a correction records the login name."""
    monkeypatch.setattr("getpass.getuser", lambda: "pmarsh")
    assert record_sent(three_versions, "Parents").by == "pmarsh"
    assert record_sent(three_versions, "Named midwife", by="  Priya  Raman ").by == "Priya Raman"
    result = run_cli("history", three_versions)
    assert "to Parents on" in result.output and "by pmarsh" in result.output


# -- copies of a version entered in error: who holds one, and files already rendered ---------


def test_marking_a_review_in_error_names_who_holds_a_copy_and_what_to_send(plan):
    """`review --entered-in-error` said only "Anyone sent version 2 needs version 1", even
    when a copy of version 2 had gone: it names them, as `status` does, until a copy of
    version 1 is logged after it."""
    review(plan, "2027-01-14")
    record_sent(plan, "Named midwife", date="2027-01-15", by="Priya Raman")
    review(plan, "2027-02-11", stage="pre_proceedings")
    record_sent(plan, "Named midwife", date="2027-02-12", by="Priya Raman")
    record_sent(plan, "Parents", date="2027-02-13", by="Priya Raman")
    result = run_cli("review", plan, "--entered-in-error", "2", "--reason", "wrong meeting",
                     "--by", "Priya Raman")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1:5] == [
        "The current agreed version is now version 1 (review 2027-01-14).",
        "Copies of version 2 were logged as sent; each needs version 1:",
        "  send version 1 to Named midwife again: their newest copy, version 2 (sent "
        "2027-02-12), was entered in error (their copy of version 1 was sent on 2027-01-15)",
        "  send version 1 to Parents: their copy is version 2 (sent 2027-02-13), which was "
        "entered in error",
    ]
    assert (f"Copies of version 2 rendered earlier (file names with _v2) must not be sent: "
            f"`birthplan render {plan}` names those in its out folder.") in lines
    # nobody sent it: said so, not "anyone sent version 3 needs ..."
    review(plan, "2027-03-01", stage="none")
    shown = run_cli("review", plan, "--entered-in-error", "3", "--reason", "wrong plan").output
    assert "No copy of version 3 was logged as sent." in shown


def test_copies_of_the_only_version_entered_in_error_are_still_pointed_out(plan):
    """With every recorded review in error there is no agreed version to send, and
    `status` said "never reviewed" and nothing about the midwife holding version 1."""
    review(plan, "2027-01-14")
    record_sent(plan, "Named midwife", date="2027-01-15", by="Priya Raman")
    mark_entered_in_error(plan, 1, "recorded for the wrong family", by="Priya Raman")
    (state,) = status(plan, today=dt.date(2027, 1, 20))
    assert state.current_version is None
    assert [(c.recipient, c.version_held, c.entered_in_error) for c in state.superseded] == [
        ("Named midwife", 1, True)]
    action = ("send Named midwife the plan once its review is recorded again: their copy is "
              "version 1 (sent 2027-01-15), which was entered in error")
    assert action in state.actions
    shown = run_cli("status", plan, "--check")
    assert shown.exit_code == 1
    assert f"NEEDS DOING: {action}" in shown.output
    assert "never reviewed" not in shown.output
    assert f"{plan}: no agreed version (version 1 was entered in error)" in shown.output


def test_render_names_the_copies_of_a_version_entered_in_error_in_its_out_folder(plan, tmp_path):
    """`render` named the draft copies an agreed version supersedes, but not the files of a
    version later entered in error: ..._v2 files sat beside the new ones, ready to send."""
    out = tmp_path / "out"
    run = ["render", plan, "--format", "html", "--audience", "professional", "--out", out]
    review(plan, "2027-01-14")
    review(plan, "2027-02-11", stage="pre_proceedings")
    assert run_cli(*run).exit_code == 0
    plan.write_text(plan.read_text(encoding="utf-8").replace("first draft", "edited"), encoding="utf-8")
    assert run_cli(*run).exit_code == 0  # a draft against version 2
    (out / "TFC-2027-0902_professional_v2.html").write_text("another plan's copy")
    mark_entered_in_error(plan, 2, "wrong meeting", by="Priya Raman")
    result = run_cli(*run)
    assert result.exit_code == 0, result.output
    held = ["TFC-2027-0901_professional_v2.html", "TFC-2027-0901_professional_v2_draft.html"]
    notice = (f"note: {out} holds 2 copies of TFC-2027-0901 version 2, which was entered in "
              f"error: {', '.join(held)}. Delete them so that none is sent by mistake (birthplan "
              f"never deletes your files); anyone who was sent one needs version 1: "
              f"birthplan status {plan}")
    assert notice in result.stderr and notice not in result.stdout
    assert "TFC-2027-0902" not in result.output
    assert all((out / name).exists() for name in held)  # nothing deleted
    # with no agreed version left (the file is a draft again), they are still named, with
    # the draft written against version 1
    mark_entered_in_error(plan, 1, "wrong family", by="Priya Raman")
    again = run_cli(*run)
    assert again.exit_code == 0, again.output
    held.insert(0, "TFC-2027-0901_professional_v1_draft.html")
    assert (f"note: {out} holds 3 copies of TFC-2027-0901 versions 1 and 2, which were entered "
            f"in error: {', '.join(held)}. Delete them so that none is sent by mistake (birthplan "
            "never deletes your files); anyone who was sent one needs the plan once its review "
            f"is recorded again: birthplan status {plan}") in again.stderr
