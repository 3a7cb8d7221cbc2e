"""Joint-review history: versions, fingerprint chain, tamper detection, sent
log, status, version stamps, locking, disk errors and crash safety."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from birthplan import history
from birthplan.cli import main
from birthplan.errors import BirthplanError, UsageError
from birthplan.history import (history_dir, list_versions, load_version_data, record_review,
                               record_sent, status, verify, version_stamp)
from birthplan.load import load_plan
from tests.conftest import TODAY

HELPER = Path(__file__).resolve().parent / "history_crash_helper.py"
ATTENDEES = ["Priya Raman, social worker, Together for Children", "Kayleigh Ashworth, mother"]


def plan_text(stage: str = "none", banned: tuple[str, ...] = (), note: str = "first draft",
              meeting: str = "14/01/2027") -> str:
    """A small valid fictional plan; the arguments make versions differ."""
    must_not_visit = "".join(f"\n    - name: {name}\n      action: call_security" for name in banned)
    return f"""\
# Fictional test plan: invented people, drama-range phone numbers.
schema_version: 1
plan:
  authority: sunderland
  nation: england
  case_reference: TFC-2027-0901
  meeting: {{date: {meeting}, type: core_group, attendees: [{{name: Priya Raman, role: social worker, agency: Together for Children}}, {{name: Kayleigh Ashworth, role: mother}}]}}
  next_review_date: 2027-02-11
people:
  mother: {{name: Jo Example, due_date: 21/03/2027, nhs_number: 999 000 0018}}
  place_of_birth: Sunderland Royal Hospital
contacts:
  - {{role: social_worker, name: Priya Raman, phone: 01632 960101}}
  - {{role: community_midwife, name: Helen Marsh, phone: 07700 900412}}
at_birth:
  in_hours:
    - {{who: Priya Raman, phone: 01632 960101}}
  out_of_hours:
    - {{who: Emergency Duty Team, phone: 01632 960999}}
legal_status:
  plan_type: child_protection
  stage: {stage}
visitors:
  must_not_visit:{must_not_visit or " []"}
wishes:
  other: {note}
"""


@pytest.fixture
def plan(tmp_path) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(plan_text(), encoding="utf-8")
    return path


def review(plan: Path, date: str = "2027-01-14", **text) -> history.Version:
    """Record a review on ``date``: the plan's meeting date is set to it first, as a
    social worker does (a review is the meeting the plan records)."""
    if text:
        plan.write_text(plan_text(**text), encoding="utf-8")
    plan.write_text(_with_meeting_date(plan.read_text(encoding="utf-8"), date), encoding="utf-8")
    return record_review(plan, date, "core_group", ATTENDEES)


def _with_meeting_date(text: str, date: str) -> str:
    """The plan's meeting on ``date``, and its next review four weeks later."""
    next_review = (dt.date.fromisoformat(history.parse_date(date)) + dt.timedelta(days=28)).isoformat()
    text = re.sub(r"meeting: \{date: [^,]+,", f"meeting: {{date: {date},", text, count=1)
    return re.sub(r"next_review_date: \S+", f"next_review_date: {next_review}", text, count=1)


@pytest.fixture
def three_versions(plan) -> Path:
    review(plan, "2027-01-14")
    review(plan, "2027-02-11", stage="pre_proceedings")
    review(plan, "2027-03-01", stage="pre_proceedings", banned=("Jordan Reed",))
    return plan


def run_cli(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def files(plan: Path) -> dict[str, bytes]:
    folder = history_dir(plan)
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != ".lock"}


def recorded_files(plan: Path) -> dict[str, bytes]:
    """The files of recorded versions (those with metadata) and the sent log."""
    found = files(plan)
    numbers = {name[:5] for name in found if name.startswith("v") and name.endswith(".json")}
    return {name: data for name, data in found.items() if name[:5] in numbers or name == "sent.jsonl"}


# -- recording -------------------------------------------------------------------


def test_review_records_exact_snapshot_and_metadata(plan):
    version = record_review(plan, "14/01/2027", "Core group", ATTENDEES, summary="First plan")
    folder = history_dir(plan)
    assert folder == plan.parent / "plan.yaml.history"
    assert (folder / "v0001.yaml").read_bytes() == plan.read_bytes()
    meta = json.loads((folder / "v0001.json").read_text(encoding="utf-8"))
    assert meta["number"] == 1 and version.number == 1
    assert meta["review_date"] == "2027-01-14"
    assert meta["meeting_type"] == "core_group"
    assert meta["attendees"] == [
        {"name": "Priya Raman", "role": "social worker", "agency": "Together for Children"},
        {"name": "Kayleigh Ashworth", "role": "mother", "agency": None}]
    assert meta["summary"] == "First plan"
    assert meta["schema_version"] == 1 and meta["format"] == 1
    assert meta["snapshot_sha256"] == hashlib.sha256(plan.read_bytes()).hexdigest()
    assert meta["previous_fingerprint"] is None
    assert version.short_fingerprint == meta["fingerprint"][:10]
    assert (folder / "README.txt").is_file()


def test_fingerprint_is_a_chain_over_previous_metadata_and_snapshot(plan):
    first = review(plan)
    second = review(plan, "2027-02-11", stage="pre_proceedings")
    folder = history_dir(plan)
    for version, previous in ((first, None), (second, first.fingerprint)):
        meta = json.loads((folder / f"v{version.number:04d}.json").read_text(encoding="utf-8"))
        body = {k: v for k, v in meta.items() if k != "fingerprint"}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        snapshot = (folder / f"v{version.number:04d}.yaml").read_bytes()
        expected = hashlib.sha256((previous or "").encode() + b"\n" + canonical.encode() + b"\n"
                                  + snapshot).hexdigest()
        assert meta["previous_fingerprint"] == previous
        assert meta["fingerprint"] == expected == version.fingerprint


def test_recorded_versions_are_never_rewritten(plan, monkeypatch):
    review(plan)
    before = files(plan)
    review(plan, "2027-02-11", stage="pre_proceedings")
    after = files(plan)
    assert {name: after[name] for name in ("v0001.yaml", "v0001.json")} == \
        {name: before[name] for name in ("v0001.yaml", "v0001.json")}
    # Even if the next number were miscounted (a lock that did not hold),
    # an existing version file is not replaced.
    monkeypatch.setattr(history.record, "_read_versions", lambda directory: [])
    with pytest.raises(BirthplanError, match="at the same moment"):
        review(plan, "2027-03-01", stage="none")
    assert files(plan) == after


def test_invalid_plan_records_nothing(plan):
    plan.write_text(plan_text(stage="half_way"), encoding="utf-8")
    with pytest.raises(BirthplanError) as caught:
        review(plan)
    message = str(caught.value)
    assert "no version was recorded" in message
    assert "plan.yaml:22" in message  # the problem is located by line
    assert not history_dir(plan).exists()


def test_invalid_plan_after_a_review_adds_no_version(plan):
    review(plan)
    before = files(plan)
    plan.write_text(plan_text().replace("due_date: 21/03/2027", "due_date: 31/02/2027"), encoding="utf-8")
    with pytest.raises(BirthplanError, match="no version was recorded"):
        review(plan, "2027-02-11")
    assert files(plan) == before


@pytest.mark.parametrize("date, meeting, attendees, complaint", [
    ("2027-02-30", "core_group", ATTENDEES, "not a real date"),
    ("next week", "core_group", ATTENDEES, "2027-03-21, 21/03/2027"),
    ("2027-01-14", "coffee", ATTENDEES, "is not one of"),
    ("2027-01-14", "core_group", ["Priya Raman"], "Name, role, agency"),
    ("2027-01-14", "core_group", ["Jo Someone, mother"], "not the plan's meeting attendees"),
])
def test_bad_review_details_are_refused_before_anything_is_written(plan, date, meeting, attendees,
                                                                  complaint):
    with pytest.raises(BirthplanError, match=complaint):
        record_review(plan, date, meeting, attendees)
    assert not history_dir(plan).exists()


def test_both_date_forms_are_accepted():
    assert history.parse_date("2027-03-21") == history.parse_date("21/03/2027") == "2027-03-21"
    assert history.parse_date(dt.date(2027, 3, 21)) == "2027-03-21"


# -- reading ---------------------------------------------------------------------


def test_list_and_load_versions(three_versions):
    versions = list_versions(three_versions)
    assert [v.number for v in versions] == [1, 2, 3]
    assert [v.review_date for v in versions] == ["2027-01-14", "2027-02-11", "2027-03-01"]
    assert load_version_data(three_versions, 1)["legal_status"]["stage"] == "none"
    assert load_version_data(three_versions, 3)["visitors"]["must_not_visit"][0]["name"] == "Jordan Reed"
    with pytest.raises(UsageError, match="no version 4"):
        load_version_data(three_versions, 4)


def test_loading_an_edited_snapshot_is_refused(three_versions):
    snapshot = history_dir(three_versions) / "v0002.yaml"
    snapshot.write_text(plan_text(stage="interim_care_order_sought"), encoding="utf-8")
    with pytest.raises(BirthplanError, match="changed after it was recorded"):
        load_version_data(three_versions, 2)


@pytest.mark.parametrize("call", [
    lambda p: list_versions(p),
    lambda p: verify(p),
    lambda p: record_sent(p, "Named midwife"),
    lambda p: history.compare(p),
    lambda p: history.sent_entries(p),
])
def test_missing_history_folder_is_a_clear_error(plan, call):
    with pytest.raises(BirthplanError, match="no review has been recorded yet.*plan.yaml.history"):
        call(plan)


@pytest.mark.parametrize("command", ["history", "diff", "verify"])
def test_missing_history_folder_on_the_command_line(plan, command):
    result = run_cli(command, plan)
    assert result.exit_code == 1
    assert "no review has been recorded yet" in result.output
    assert "Traceback" not in result.output


def test_history_from_a_newer_format_is_refused(three_versions):
    path = history_dir(three_versions) / "v0002.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["format"] = history.FORMAT_VERSION + 1
    path.write_text(json.dumps(meta), encoding="utf-8")
    before = files(three_versions)
    for call in (list_versions, verify, record_review):
        with pytest.raises(BirthplanError, match=f"newer birthplan.*format {history.FORMAT_VERSION + 1}"):
            call(three_versions)
    assert files(three_versions) == before
    assert run_cli("verify", three_versions).exit_code == 1


def test_history_from_a_newer_schema_is_refused(three_versions):
    path = history_dir(three_versions) / "v0003.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta["schema_version"] = 3
    path.write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(BirthplanError, match="plan schema version 3"):
        list_versions(three_versions)


# -- verify: the chain and each kind of tampering ----------------------------------


def test_untouched_history_verifies(three_versions):
    record_sent(three_versions, "Named midwife", version=2)
    assert verify(three_versions) == []
    result = run_cli("verify", three_versions)
    assert result.exit_code == 0
    assert "history verified: 3 version(s), 1 sent-log entries" in result.output


def _edit_meta(plan: Path, number: int, **changes) -> None:
    path = history_dir(plan) / f"v{number:04d}.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(changes)
    path.write_text(json.dumps(meta, indent=2), encoding="utf-8")


def _forge_fingerprint(plan: Path, number: int) -> None:
    """What a careful forger does: recompute the edited version's own fingerprint."""
    path = history_dir(plan) / f"v{number:04d}.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    snapshot = (history_dir(plan) / f"v{number:04d}.yaml").read_bytes()
    meta["snapshot_sha256"] = hashlib.sha256(snapshot).hexdigest()
    meta["fingerprint"] = history.store.fingerprint_of(meta, snapshot)
    path.write_text(json.dumps(meta, indent=2), encoding="utf-8")


def test_edited_snapshot_is_reported(three_versions):
    snapshot = history_dir(three_versions) / "v0002.yaml"
    snapshot.write_bytes(snapshot.read_bytes().replace(b"pre_proceedings", b"none"))
    assert verify(three_versions) == ["version 2: snapshot was changed after it was recorded"]
    result = run_cli("verify", three_versions)
    assert result.exit_code == 1
    assert "version 2: snapshot was changed after it was recorded" in result.output


def test_edited_metadata_is_reported(three_versions):
    _edit_meta(three_versions, 1, review_date="2027-01-07")
    assert verify(three_versions) == [
        "version 1: its metadata (meeting details or fingerprints) was changed after it was recorded"]


def test_snapshot_edited_with_its_hash_updated_breaks_the_chain(three_versions):
    snapshot = history_dir(three_versions) / "v0002.yaml"
    snapshot.write_bytes(snapshot.read_bytes().replace(b"pre_proceedings", b"none"))
    _forge_fingerprint(three_versions, 2)
    assert verify(three_versions) == [
        "version 2 was replaced after version 3 was recorded "
        "(version 3 was recorded after a different version 2)"]


def test_deleted_version_is_reported(three_versions):
    for suffix in ("yaml", "json"):
        (history_dir(three_versions) / f"v0002.{suffix}").unlink()
    assert verify(three_versions) == ["version 2 was deleted (both of its files are missing)"]


def test_deleted_metadata_or_snapshot_is_reported(three_versions):
    (history_dir(three_versions) / "v0001.json").unlink()
    (history_dir(three_versions) / "v0003.yaml").unlink()
    problems = verify(three_versions)
    assert "version 1: its metadata file v0001.json was deleted" in problems
    assert "version 3: its snapshot v0003.yaml was deleted" in problems


def test_deleted_then_renumbered_version_is_reported(three_versions):
    folder = history_dir(three_versions)
    for suffix in ("yaml", "json"):
        (folder / f"v0002.{suffix}").unlink()
        (folder / f"v0003.{suffix}").rename(folder / f"v0002.{suffix}")
    assert verify(three_versions) == [
        "v0002.json was recorded as version 3: the version files were renamed",
        "version 2: versions before it were deleted (it was recorded as version 3)"]


def test_deleted_last_version_is_caught_by_the_sent_log(three_versions):
    record_sent(three_versions, "Named midwife", version=3)
    for suffix in ("yaml", "json"):
        (history_dir(three_versions) / f"v0003.{suffix}").unlink()
    assert verify(three_versions) == [
        "sent log line 1: sent log entry 1 records a copy of version 3, which is not in the "
        "history (deleted?)"]


def test_reordered_versions_are_reported(three_versions):
    folder = history_dir(three_versions)
    for suffix in ("yaml", "json"):
        (folder / f"v0002.{suffix}").rename(folder / f"swap.{suffix}")
        (folder / f"v0003.{suffix}").rename(folder / f"v0002.{suffix}")
        (folder / f"swap.{suffix}").rename(folder / f"v0003.{suffix}")
    problems = verify(three_versions)
    assert "v0002.json was recorded as version 3: the version files were renamed" in problems
    assert "v0003.json was recorded as version 2: the version files were renamed" in problems
    assert "version 2 is out of order (it was recorded after version 3): versions were reordered" \
        in problems
    assert not any("inserted" in p for p in problems)


def test_inserted_version_is_reported(three_versions):
    """A forger shifts versions 2 and 3 up and writes a self-consistent version 2."""
    folder = history_dir(three_versions)
    for number in (3, 2):
        for suffix in ("yaml", "json"):
            (folder / f"v{number:04d}.{suffix}").rename(folder / f"v{number + 1:04d}.{suffix}")
    first = json.loads((folder / "v0001.json").read_text(encoding="utf-8"))
    snapshot = plan_text(stage="interim_care_order_sought").encode()
    forged = dict(first, number=2, review_date="2027-02-01", previous_fingerprint=first["fingerprint"],
                  snapshot_sha256=hashlib.sha256(snapshot).hexdigest())
    forged["fingerprint"] = history.store.fingerprint_of(forged, snapshot)
    (folder / "v0002.yaml").write_bytes(snapshot)
    (folder / "v0002.json").write_text(json.dumps(forged), encoding="utf-8")
    problems = verify(three_versions)
    assert "version 2 was inserted: when version 3 was recorded it came straight after version 1" \
        in problems
    assert "v0003.json was recorded as version 2: the version files were renamed" in problems


def test_damaged_metadata_is_reported(three_versions):
    (history_dir(three_versions) / "v0002.json").write_text("{not json", encoding="utf-8")
    problems = verify(three_versions)
    assert problems[0] == ("version 2: its metadata file v0002.json is damaged "
                           "(it is not the metadata birthplan wrote)")
    with pytest.raises(BirthplanError, match="damaged"):
        list_versions(three_versions)


def test_reviews_and_sent_log_refuse_to_extend_a_damaged_history(three_versions):
    _edit_meta(three_versions, 2, review_date="2027-02-12")
    before = files(three_versions)
    with pytest.raises(BirthplanError, match="fails verification, so no version was recorded"):
        review(three_versions, "2027-04-01")
    with pytest.raises(BirthplanError, match="fails verification, so nothing was logged"):
        record_sent(three_versions, "Parents")
    assert files(three_versions) == before


# -- the sent log ----------------------------------------------------------------------


def _sent_lines(plan: Path) -> list[dict]:
    text = (history_dir(plan) / "sent.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def _write_sent(plan: Path, entries: list[dict]) -> None:
    text = "".join(json.dumps(e) + "\n" for e in entries)
    (history_dir(plan) / "sent.jsonl").write_text(text, encoding="utf-8")


@pytest.fixture
def sent_three(three_versions) -> Path:
    record_sent(three_versions, "Named midwife", version=1, date="15/01/2027", by="Priya Raman")
    record_sent(three_versions, "Parents", version=2, date="2027-02-12")
    record_sent(three_versions, "Health visitor", version=3, date="2027-03-02")
    return three_versions


def test_sent_log_records_recipient_version_date_and_by(sent_three):
    first, second, third = history.sent_entries(sent_three)
    assert (first.recipient, first.version, first.date, first.by) == \
        ("Named midwife", 1, "2027-01-15", "Priya Raman")
    assert first.fingerprint == list_versions(sent_three)[0].fingerprint
    assert (second.number, third.number) == (2, 3)
    raw = _sent_lines(sent_three)
    assert raw[1]["previous_hash"] == raw[0]["hash"] and raw[0]["previous_hash"] is None


def test_sent_defaults_to_latest_version_and_today(three_versions):
    entry = record_sent(three_versions, "  Named   midwife ")
    assert (entry.recipient, entry.version, entry.date) == \
        ("Named midwife", 3, TODAY)
    with pytest.raises(UsageError, match="no version 9"):
        record_sent(three_versions, "Parents", version=9)


def test_edited_sent_log_entry_is_reported(sent_three):
    entries = _sent_lines(sent_three)
    entries[1]["version"] = 3
    _write_sent(sent_three, entries)
    assert verify(sent_three) == ["sent log line 2: sent log entry 2 was changed after it was recorded"]
    assert run_cli("verify", sent_three).exit_code == 1


def test_deleted_sent_log_entry_is_reported(sent_three):
    entries = _sent_lines(sent_three)
    _write_sent(sent_three, [entries[0], entries[2]])
    assert verify(sent_three) == ["sent log line 2: sent log entry 2 was deleted"]


def test_reordered_sent_log_entries_are_reported(sent_three):
    entries = _sent_lines(sent_three)
    _write_sent(sent_three, [entries[0], entries[2], entries[1]])
    problems = verify(sent_three)
    assert "sent log line 2: sent log entry 3 is out of order (entries were reordered or copied)" \
        in problems
    assert not any("deleted" in p for p in problems)


def test_replaced_sent_log_entry_with_a_recomputed_hash_is_reported(sent_three):
    entries = _sent_lines(sent_three)
    entries[0]["recipient"] = "Someone else"
    entries[0]["hash"] = history.store._entry_hash(entries[0])
    _write_sent(sent_three, entries)
    assert verify(sent_three) == [
        "sent log line 2: the sent log entry before entry 2 was replaced or inserted "
        "(entry 2 was recorded after a different one)"]


# -- status --------------------------------------------------------------------------


def test_status_lists_superseded_recipients_and_since_when(sent_three):
    record_sent(sent_three, "named midwife", version=2, date="2027-02-12")
    (result,) = status(sent_three, today=dt.date(2027, 3, 11))
    assert result.current_version == 3 and result.review_date == "2027-03-01"
    assert result.due_date == "2027-03-21" and result.next_review_date == "2027-03-29"
    assert not result.is_draft and result.problems == ()
    superseded = {(c.recipient, c.version_held, c.superseded_since, c.days) for c in result.superseded}
    assert superseded == {("named midwife", 2, "2027-03-01", 10), ("Parents", 2, "2027-03-01", 10)}
    assert result.up_to_date == ("Health visitor",)


def test_status_of_a_folder_finds_every_plan(sent_three, tmp_path):
    other = tmp_path / "family-b" / "plan.yaml"
    other.parent.mkdir()
    other.write_text(plan_text(), encoding="utf-8")
    (tmp_path / "mapping.yaml").write_text("columns: {a: b}\n", encoding="utf-8")
    results = {r.plan_path: r for r in status(tmp_path, today=dt.date(2027, 3, 11))}
    assert set(results) == {sent_three, other}
    assert results[other].current_version is None and results[other].is_draft
    result = run_cli("status", tmp_path)
    assert result.exit_code == 0, result.output
    assert "never reviewed; due 2027-03-21" in result.output
    assert ("NEEDS DOING: version 3 has not been logged as sent to Named midwife: it was due by "
            "2027-03-03 (48 hours after the review on 2027-03-01); their copy is version 1") in result.output
    assert "version 3 has not been logged as sent to Parents" in result.output


def test_status_shows_a_draft_and_problems(sent_three):
    sent_three.write_text(plan_text(stage="none", note="edited after the review"), encoding="utf-8")
    _edit_meta(sent_three, 1, review_date="2027-01-01")
    (result,) = status(sent_three)
    assert result.is_draft
    assert result.problems
    assert run_cli("status", sent_three).exit_code == 1


# -- version stamps --------------------------------------------------------------------


def test_stamp_of_a_never_reviewed_plan(plan):
    stamp = version_stamp(plan, load_plan(plan).data)
    assert stamp.version is None and stamp.is_draft and stamp.previous_data is None
    assert stamp.short_fingerprint == hashlib.sha256(plan.read_bytes()).hexdigest()[:10]


def test_stamp_of_agreed_versions_and_of_a_draft(plan):
    first = review(plan)
    stamp = version_stamp(plan, load_plan(plan).data)
    assert (stamp.version, stamp.review_date, stamp.is_draft) == (1, "2027-01-14", False)
    assert stamp.short_fingerprint == first.short_fingerprint and stamp.previous_data is None

    second = review(plan, "2027-02-11", stage="pre_proceedings")
    stamp = version_stamp(plan, load_plan(plan).data)
    assert (stamp.version, stamp.is_draft, stamp.compared_with) == (2, False, 1)
    assert stamp.short_fingerprint == second.short_fingerprint
    assert stamp.previous_data == load_version_data(plan, 1)

    plan.write_text(plan_text(stage="pre_proceedings", banned=("Jordan Reed",)), encoding="utf-8")
    stamp = version_stamp(plan, load_plan(plan).data)
    assert stamp.is_draft and stamp.version == 2 and stamp.compared_with == 2
    assert stamp.previous_data == load_version_data(plan, 2)
    assert stamp.draft_fingerprint == hashlib.sha256(plan.read_bytes()).hexdigest()[:10]


def test_stamp_is_draft_when_rendering_other_data_than_the_file(plan):
    review(plan)
    data = load_plan(plan).data
    data["legal_status"]["stage"] = "pre_proceedings"
    assert version_stamp(plan, data).is_draft


# -- diff and history commands -------------------------------------------------------------


def test_diff_defaults_to_the_last_two_versions(three_versions):
    result = run_cli("diff", three_versions)
    assert result.exit_code == 0, result.output
    assert "Changes from version 2 (2027-02-11) to version 3 (2027-03-01):" in result.output
    assert "Visitors > must not visit: added 'Jordan Reed'" in result.output


def test_diff_against_the_working_file(three_versions):
    three_versions.write_text(plan_text(stage="proceedings_at_birth", banned=("Jordan Reed",)),
                              encoding="utf-8")
    result = run_cli("diff", three_versions, "v3", "working")
    assert result.exit_code == 0, result.output
    assert "to the plan file now" in result.output
    assert "Legal status > proceedings stage: changed from 'pre proceedings' to " \
           "'proceedings at birth'" in result.output
    assert run_cli("diff", three_versions, "3").output == result.output
    comparison = history.compare(three_versions, 1, 3)
    assert [c.describe() for c in comparison.changes if not c.describe().startswith("Plan >")] == [
        "Legal status > proceedings stage: changed from 'none' to 'pre proceedings'",
        "Visitors > must not visit: added 'Jordan Reed'"]


def test_diff_with_one_version_compares_it_with_the_file_now(plan):
    """`diff plan.yaml` right after the first review exited 2 with a hint to type
    "1 working": with one version there is only one comparison a person can mean."""
    review(plan)
    result = run_cli("diff", plan)
    assert result.exit_code == 0, result.output
    assert result.output == "No changes from version 1 (2027-01-14) to the plan file now.\n"
    plan.write_text(plan.read_text(encoding="utf-8").replace("stage: none", "stage: pre_proceedings"),
                    encoding="utf-8")
    result = run_cli("diff", plan)
    assert result.exit_code == 0, result.output
    assert result.output == run_cli("diff", plan, "1", "working").output == (
        "Changes from version 1 (2027-01-14) to the plan file now:\n"
        "  Legal status > proceedings stage: changed from 'none' to 'pre proceedings'\n")
    history.mark_entered_in_error(plan, 1, "wrong family", by="Priya Raman")
    result = run_cli("diff", plan)  # no agreed version: nothing to compare with
    assert result.exit_code == 2 and "entered in error" in result.output


def test_history_command_one_line_per_version(three_versions):
    result = run_cli("history", three_versions)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    fingerprints = [v.short_fingerprint for v in list_versions(three_versions)]
    assert lines[0] == f"v1  2027-01-14  core group  2 attendees  {fingerprints[0]}  first version"
    # each review moved the plan's meeting date (section "Plan") and changed one more section
    assert lines[1] == f"v2  2027-02-11  core group  2 attendees  {fingerprints[1]}  3 changes: Plan, Legal status"
    assert lines[2].endswith("3 changes: Plan, Visitors")
    assert len(lines) == 3
    three_versions.write_text(plan_text(note="edited"), encoding="utf-8")
    assert "changed since version 3 (a draft)" in run_cli("history", three_versions).output


def test_review_sent_and_verify_commands(plan):
    result = run_cli("review", plan, "--summary", "First plan")
    assert result.exit_code == 0, result.output
    assert "recorded version 1 (review 2027-01-14, core group" in result.output
    assert ("Attendees (2): Priya Raman, social worker, Together for Children; "
            "Kayleigh Ashworth, mother") in result.output
    plan.write_text(_with_meeting_date(plan_text(stage="pre_proceedings"), "2027-02-11"),
                    encoding="utf-8")
    result = run_cli("review", plan, "--date", "2027-02-11", "--meeting", "core group")
    assert result.exit_code == 0, result.output
    result = run_cli("sent", plan, "--to", "Named midwife", "--version", "1", "--date", "15/01/2027",
                     "--by", "Priya Raman")
    assert result.exit_code == 0
    assert "logged version 1 sent to Named midwife on 2027-01-15" in result.output
    assert "not the current version (2)" in result.output
    assert run_cli("verify", plan).exit_code == 0


def test_review_of_an_invalid_plan_on_the_command_line(plan):
    plan.write_text(plan_text(stage="half_way"), encoding="utf-8")
    result = run_cli("review", plan, "--date", "14/01/2027", "--meeting", "core_group",
                     "--attendee", "Priya Raman, social worker")
    assert result.exit_code == 1
    assert "no version was recorded" in result.output and "Traceback" not in result.output


# -- disks that refuse -------------------------------------------------------------------------


@pytest.mark.parametrize("code, words", [
    (errno.EROFS, "read-only or no permission"),
    (errno.EACCES, "read-only or no permission"),
    (errno.ENOSPC, "the disk is full"),
])
def test_unwritable_disk_gives_a_clear_error_and_records_nothing(plan, monkeypatch, code, words):
    review(plan)
    before = files(plan)
    real_write = history.record.write_bytes_atomic
    calls = []

    def failing_second_write(path, data, *, overwrite=True):
        calls.append(path)
        if len(calls) == 2:  # the metadata, after the snapshot was written
            raise OSError(code, os.strerror(code))
        return real_write(path, data, overwrite=overwrite)

    monkeypatch.setattr(history.record, "write_bytes_atomic", failing_second_write)
    with pytest.raises(BirthplanError, match=words) as caught:
        review(plan, "2027-02-11", stage="pre_proceedings")
    assert "no version was recorded" in str(caught.value)
    assert files(plan) == before  # the snapshot written first was removed again
    assert verify(plan) == []


def test_read_only_folder_before_any_history(plan, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "mkdir", refuse)
    result = run_cli("review", plan)
    assert result.exit_code == 1
    assert "cannot write here (read-only or no permission), so no version was recorded" in result.output


def test_full_disk_when_logging_a_copy(three_versions, monkeypatch):
    def full(path, data, *, overwrite=True):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(history.store, "write_bytes_atomic", full)
    with pytest.raises(BirthplanError, match="the disk is full, so nothing was logged"):
        record_sent(three_versions, "Parents")


# -- interrupted reviews, crashes and concurrency --------------------------------------------------


def test_leftover_snapshot_of_an_interrupted_review_is_not_tampering(three_versions):
    folder = history_dir(three_versions)
    (folder / "v0004.yaml").write_bytes(b"half a review")
    (folder / ".v0004.json.abc123.tmp").write_bytes(b"{")
    assert verify(three_versions) == []
    assert sorted(history.interrupted_leftovers(three_versions)) == [".v0004.json.abc123.tmp", "v0004.yaml"]
    assert "note: v0004.yaml was left by an interrupted review" in run_cli("verify", three_versions).output
    version = review(three_versions, "2027-04-01", stage="none")
    assert version.number == 4
    assert (folder / "v0004.yaml").read_bytes() == three_versions.read_bytes()
    assert not (folder / ".v0004.json.abc123.tmp").exists()
    assert verify(three_versions) == []


def test_stray_snapshot_beyond_the_next_number_is_a_problem(three_versions):
    (history_dir(three_versions) / "v0006.yaml").write_bytes(b"")
    assert verify(three_versions) == [
        "v0006.yaml: a snapshot with no version record; it was not left by an interrupted review "
        "(the versions before it are missing)"]


def _start_review(plan: Path, log: Path, pause: float) -> subprocess.Popen:
    """`birthplan review PLAN`: the meeting's date, type and attendees from the plan."""
    env = dict(os.environ, BIRTHPLAN_CRASH_LOG=str(log), BIRTHPLAN_CRASH_PAUSE=str(pause),
               BIRTHPLAN_TEST_TODAY=TODAY)
    command = [sys.executable, str(HELPER), "review", str(plan)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_lines(log: Path, count: int, process: subprocess.Popen, timeout: float = 20) -> bool:
    """Wait until the helper logged ``count`` steps; False if the process ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and len(log.read_text(encoding="utf-8").splitlines()) >= count:
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.001)
    raise AssertionError("the review did not reach the expected step in time")


def test_two_reviews_at_once_are_both_recorded(three_versions, tmp_path):
    first_log, second_log = tmp_path / "first.log", tmp_path / "second.log"
    three_versions.write_text(_with_meeting_date(three_versions.read_text(encoding="utf-8"),
                                                 "2027-04-01"), encoding="utf-8")
    first = _start_review(three_versions, first_log, pause=0.05)
    assert _wait_for_lines(first_log, 1, first)  # the first now holds the lock, mid-write
    # The plan changes again at the same meeting (a review with nothing changed is refused).
    three_versions.write_text(three_versions.read_text(encoding="utf-8").replace(
        "other: first draft", "other: agreed later the same day"), encoding="utf-8")
    second = _start_review(three_versions, second_log, pause=0.0)
    assert verify(three_versions) == []  # a reader during a review sees no damage
    for process in (first, second):
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err.decode()
    versions = list_versions(three_versions)
    assert [v.number for v in versions] == [1, 2, 3, 4, 5]
    assert [v.review_date for v in versions[3:]] == ["2027-04-01", "2027-04-01"]
    assert versions[4].previous_fingerprint == versions[3].fingerprint
    assert verify(three_versions) == []


def test_killing_a_review_at_any_step_leaves_before_or_after(plan, tmp_path):
    """SIGKILL a real `birthplan review` at each write step (and at random
    moments just after one): the history must verify and hold either the
    versions it had before, or those plus the complete new version."""
    review(plan)
    dry_log = tmp_path / "dry.log"
    plan.write_text(plan_text(note="dry run"), encoding="utf-8")
    dry = _start_review(plan, dry_log, pause=0.0)
    assert dry.wait(timeout=60) == 0
    steps = len(dry_log.read_text(encoding="utf-8").splitlines())
    assert steps >= 8  # snapshot and metadata: write, fsync, link, fsync folder

    rng = random.Random(4)
    targets = list(range(steps + 1)) + [rng.randrange(steps + 1) for _ in range(6)]
    outcomes = {"before": 0, "after": 0}
    for run, target in enumerate(targets):
        before_files = recorded_files(plan)
        before_count = len(list_versions(plan))
        plan.write_text(plan_text(note=f"run {run}"), encoding="utf-8")
        log = tmp_path / f"run{run}.log"
        process = _start_review(plan, log, pause=0.004)
        if target == 0:
            time.sleep(rng.uniform(0, 0.3))  # while starting, loading or validating
            process.send_signal(signal.SIGKILL)
        elif _wait_for_lines(log, target, process):
            time.sleep(rng.uniform(0, 0.006))  # in the pause, or inside the next step
            process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)

        assert verify(plan) == [], f"run {run}, killed after step {target}"
        versions = list_versions(plan)
        kept = {name: data for name, data in recorded_files(plan).items() if name in before_files}
        assert kept == before_files, "an earlier version changed"
        if len(versions) == before_count:
            outcomes["before"] += 1
        else:
            assert len(versions) == before_count + 1
            assert versions[-1].snapshot_path.read_bytes() == plan.read_bytes()
            outcomes["after"] += 1
    assert outcomes["before"] and outcomes["after"]

    # The next review clears whatever a killed one left and records normally.
    final = review(plan, "2027-04-10", stage="pre_proceedings")
    assert history.interrupted_leftovers(plan) == []
    assert final.number == len(list_versions(plan))
    assert verify(plan) == []


def test_timeline_never_calls_a_version_after_a_damaged_one_the_first(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(plan_text(), encoding="utf-8")
    for day in ("2027-01-14", "2027-01-21", "2027-01-28"):
        review(plan, day)
    (history.history_dir(plan) / "v0002.yaml").write_text("not: [a plan", encoding="utf-8")
    changed = [entry.changed for entry in history.timeline(plan)]
    assert changed == ["first version", None, None]


# -- DRAFT means the data changed (issue 9 item 5) -------------------------------------


def test_a_comment_or_layout_edit_is_not_a_draft_and_diff_agrees(plan):
    """Appending `# note to self` made status say "edited after the last review" and every
    page DRAFT, while `diff PLAN 1` said "No changes"."""
    review(plan)
    plan.write_text(plan.read_text(encoding="utf-8") + "# note to self\n", encoding="utf-8")
    relaid = plan.read_text(encoding="utf-8").replace(
        "  meeting: {date: 14/01/2027, type: core_group}",
        "  meeting:\n    date: 2027-01-14   # same date, another way\n    type: core_group")
    plan.write_text(relaid, encoding="utf-8")
    assert version_stamp(plan, load_plan(plan).data).is_draft is False
    [result] = status(plan, today=dt.date(2027, 1, 20))
    assert (result.is_draft, result.comments_changed) == (False, True)
    assert "comments changed since version 1" in run_cli("status", plan).output
    assert "comments changed since version 1" in run_cli("history", plan).output
    assert "No changes" in run_cli("diff", plan, "1").output


def test_a_data_edit_is_a_draft_and_diff_lists_it(plan):
    review(plan)
    plan.write_text(plan_text(stage="pre_proceedings"), encoding="utf-8")
    assert version_stamp(plan, load_plan(plan).data).is_draft is True
    [result] = status(plan, today=dt.date(2027, 1, 20))
    assert (result.is_draft, result.comments_changed) == (True, False)
    assert "draft: the plan has changed since version 1" in run_cli("status", plan).output
    assert "proceedings stage" in run_cli("diff", plan, "1").output.lower()


# -- a review with nothing new is refused (fix-a item 1) ---------------------------------------


def test_a_repeated_review_with_nothing_changed_records_nothing(plan):
    """`birthplan review plan.yaml` run twice recorded v2 "no changes", and status then
    said every holder of v1 held a superseded copy."""
    review(plan)
    run_cli("sent", plan, "--to", "Named midwife", "--date", "2027-01-15")
    before = files(plan)
    plan.write_text(plan.read_text(encoding="utf-8") + "# a comment is not a change\n",
                    encoding="utf-8")
    result = run_cli("review", plan)
    assert result.exit_code == 1, result.output
    assert ("nothing has changed since version 1, agreed on 14 January 2027: nothing recorded"
            in result.output)
    assert "Traceback" not in result.output
    assert files(plan) == before
    assert "superseded" not in run_cli("status", plan).output


def test_a_new_meeting_on_unchanged_plan_is_a_new_version(plan):
    """The meeting date is part of the plan: a real new meeting is a change."""
    review(plan)
    second = review(plan, "2027-02-11")
    assert second.number == 2
