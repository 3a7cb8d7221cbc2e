"""diff_plans: field-level changes in plain words, list items matched by key."""

from __future__ import annotations

import copy
import dataclasses
import random
from pathlib import Path

import pytest

from birthplan import fields
from birthplan.audience import view_for
from birthplan.diff import (ADDED, CHANGED, ORDER, REMOVED, Change, ItemKey,
                            affects_ward, diff_plans, summarise)
from birthplan.load import load_plan

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
# Lists the ward works through in order: moving an item there is a change.
ORDERED = {("at_birth", "in_hours"), ("at_birth", "out_of_hours")}


@pytest.fixture(scope="module")
def sunderland() -> dict:
    return load_plan(EXAMPLES / "sunderland-full.yaml").data


@pytest.fixture
def plan(sunderland) -> dict:
    return copy.deepcopy(sunderland)


def described(old: dict, new: dict) -> list[str]:
    return [change.describe() for change in diff_plans(old, new)]


def test_identical_plans_have_no_changes(plan):
    assert diff_plans(plan, copy.deepcopy(plan)) == []


def test_added_person_who_must_not_visit(plan):
    new = copy.deepcopy(plan)
    new["visitors"]["must_not_visit"].append({"name": "Jordan Reed", "action": "call_security"})
    assert described(plan, new) == ["Visitors > must not visit: added 'Jordan Reed'"]
    (change,) = diff_plans(plan, new)
    assert change.kind == ADDED and change.old is None and change.new["name"] == "Jordan Reed"


def test_removed_item_names_it(plan):
    new = copy.deepcopy(plan)
    del new["visitors"]["difficult_behaviour"][0]
    assert described(plan, new) == [
        "Visitors > visitors whose behaviour may be difficult: removed 'Shannon Pryce'"]
    assert diff_plans(plan, new)[0].kind == REMOVED


def test_enum_change_reads_as_plain_words(plan):
    plan["legal_status"]["stage"] = "none"
    new = copy.deepcopy(plan)
    new["legal_status"]["stage"] = "pre_proceedings"
    assert described(plan, new) == [
        "Legal status > proceedings stage: changed from 'none' to 'pre proceedings'"]


def test_booleans_read_as_yes_and_no(plan):
    new = copy.deepcopy(plan)
    new["ward"]["hospital_risk_assessment"] = False
    assert described(plan, new) == [
        "On the ward > hospital risk assessment needed: changed from 'yes' to 'no'"]


def test_list_of_words_is_matched_by_value(plan):
    new = copy.deepcopy(plan)
    new["communication"]["formats"] = ["large_print", "easy_read"]
    assert described(plan, new) == ["Communication > formats needed: added 'large print'"]


@pytest.mark.parametrize("example", ["sunderland-full.yaml", "swansea-full.yaml", "minimal.yaml"])
@pytest.mark.parametrize("seed", range(10))
def test_reordering_lists_is_not_a_change(example, seed):
    original = load_plan(EXAMPLES / example).data
    shuffled = copy.deepcopy(original)
    _shuffle_lists(shuffled, (), random.Random(seed))
    assert diff_plans(original, shuffled) == []


def _shuffle_lists(value, path: tuple, rng: random.Random) -> None:
    if isinstance(value, dict):
        for key, sub in value.items():
            _shuffle_lists(sub, path + (key,), rng)
    elif isinstance(value, list):
        if path not in ORDERED:
            rng.shuffle(value)
        for sub in value:
            _shuffle_lists(sub, path + (0,), rng)


def test_a_change_inside_a_moved_item_is_one_change_named_by_the_item(plan):
    new = copy.deepcopy(plan)
    new["visitors"]["must_not_visit"].insert(0, {"name": "Jordan Reed", "action": "refuse_entry"})
    new["visitors"]["must_not_visit"][1]["action"] = "call_security"
    changes = diff_plans(plan, new)
    assert [c.describe() for c in changes] == [
        "Visitors > must not visit: added 'Jordan Reed'",
        "Visitors > must not visit > Lee Carver > action if they arrive: "
        "changed from 'call police' to 'call security'",
    ]
    moved = changes[1]
    assert isinstance(moved.path[2], ItemKey) and moved.path[2].by == "name"
    # schema_path gives list positions in the newer plan, for birthplan.fields
    assert moved.schema_path == ("visitors", "must_not_visit", 1, "action")
    assert fields.label(moved.schema_path) == "Visitors > must not visit > item 2 > action if they arrive"


def test_same_name_twice_is_paired_by_content(plan):
    """Priya Raman is both social worker and key worker: swapping the two
    contacts is no change, and editing one reports only that one."""
    new = copy.deepcopy(plan)
    contacts = new["contacts"]
    first, last = 0, len(contacts) - 1
    assert contacts[first]["name"] == contacts[last]["name"] == "Priya Raman"
    contacts[first], contacts[last] = contacts[last], contacts[first]
    assert diff_plans(plan, new) == []
    contacts[first]["phone"] = "01632 960998"  # now the key worker's entry
    assert described(plan, new) == [
        "Contacts > Priya Raman (key worker) > phone: changed from '01632 960101' to '01632 960998'"]


def test_appointments_are_matched_by_id_so_a_new_date_is_a_change(plan):
    new = copy.deepcopy(plan)
    new["appointments"].reverse()
    moved = next(a for a in new["appointments"] if a["id"] == "cg-2")
    moved["date"] = "2027-02-18"
    assert described(plan, new) == [
        "Appointments > Core group meeting 2027-02-18 > date: changed from '2027-02-11' to '2027-02-18'"]


def test_appointments_without_id_are_matched_by_what_and_date(plan):
    for appointment in plan["appointments"]:
        del appointment["id"]
    new = copy.deepcopy(plan)
    new["appointments"].reverse()
    new["appointments"][0]["start"] = "14:30"
    changes = diff_plans(plan, new)
    assert [c.describe() for c in changes] == [
        "Appointments > Discharge planning meeting 2027-03-10 > start time: changed from '14:00' to '14:30'"]
    assert changes[0].path[1].by == "what+date"


def test_name_case_and_spacing_keep_the_item(plan):
    new = copy.deepcopy(plan)
    new["visitors"]["must_not_visit"][0]["name"] = "lee  carver"
    assert described(plan, new) == [
        "Visitors > must not visit > lee  carver > name: changed from 'Lee Carver' to 'lee  carver'"]


def test_order_of_who_to_tell_is_reported_for_the_ward(plan):
    new = copy.deepcopy(plan)
    new["at_birth"]["in_hours"].reverse()
    changes = diff_plans(plan, new)
    assert len(changes) == 1
    (change,) = changes
    assert change.path == ("at_birth", "in_hours", ORDER) and change.kind == CHANGED
    assert change.describe() == (
        "When labour starts and at birth > in working hours > order: changed from "
        "'Priya Raman (social worker), Joanne Bell (safeguarding midwife)' to "
        "'Joanne Bell (safeguarding midwife), Priya Raman (social worker)'")
    assert affects_ward(change)


def test_free_text_is_compared_by_its_words(plan):
    new = copy.deepcopy(plan)
    reason = new["visitors"]["must_not_visit"][0]["reason"]
    reason["text"] = "Information from Northumbria Police about threats made in January 2027."
    (change,) = diff_plans(plan, new)
    assert change.old == "Information from Northumbria Police about threats made in December 2026."
    assert change.new == reason["text"]
    assert change.label == "Visitors > must not visit > Lee Carver > reason"


def test_sharing_changes_are_their_own_changes(plan):
    new = copy.deepcopy(plan)
    words = plan["concerns"]["summary"]
    new["concerns"]["summary"] = {"text": words, "share_with": ["professional"]}
    new["visitors"]["must_not_visit"][0]["reason"]["third_party"] = False
    changes = diff_plans(plan, new)
    assert [c.describe() for c in changes] == [
        "Concerns > summary of concerns > share with: added 'professional'",
        "Visitors > must not visit > Lee Carver > reason > third-party information: "
        "changed from 'yes' to 'no'",
    ]
    assert all(c.about_sharing and not affects_ward(c) for c in changes)


def test_string_and_mapping_with_the_same_words_are_equal(plan):
    new = copy.deepcopy(plan)
    new["wishes"]["feeding"] = {"text": plan["wishes"]["feeding"]}
    assert diff_plans(plan, new) == []


def test_a_new_section_is_listed_field_by_field(plan):
    del plan["people"]["partner"]["address"]
    old = copy.deepcopy(plan)
    del old["people"]["partner"]
    assert described(old, plan) == [
        "People > partner or father > name: added 'Daniel Pryce'",
        "People > partner or father > relationship: added 'baby's father'",
        "People > partner or father > date of birth: added '1999-06-12'",
    ]


@pytest.mark.parametrize("path, expected", [
    (("visitors", "must_not_visit"), True),
    (("at_birth", "instructions"), True),
    (("people", "place_of_birth"), True),
    (("legal_status", "stage"), True),
    (("contacts",), True),
    (("people", "mother", "name"), False),
    (("wishes", "feeding"), False),
    (("appointments",), False),
])
def test_affects_ward(path, expected):
    assert affects_ward(Change(path, "label", CHANGED, "a", "b")) is expected


def test_what_affects_the_ward(plan):
    new = copy.deepcopy(plan)
    new["communication"]["interpreter"] = True  # the ward must book one
    new["ward"]["arrangement"] = "observations"
    new["agreement"]["parents_views"] = "We have changed our minds about the supervision."
    new["people"]["baby_surname"] = "Ashworth"
    by_section = {c.path[0]: affects_ward(c) for c in diff_plans(plan, new)}
    assert by_section == {"communication": True, "ward": True, "agreement": False, "people": False}


def test_changes_are_frozen(plan):
    new = copy.deepcopy(plan)
    new["legal_status"]["stage"] = "none"
    (change,) = diff_plans(plan, new)
    with pytest.raises(dataclasses.FrozenInstanceError):
        change.kind = REMOVED


def test_redacted_views_diff_without_withheld_facts(plan):
    """The renderer redacts both versions, then diffs: the parents' list of
    changes must not reveal a third-party reason."""
    new = copy.deepcopy(plan)
    new["visitors"]["must_not_visit"][0]["reason"]["text"] = "Police information, updated."
    new["visitors"]["must_not_visit"][0]["action"] = "call_security"
    parent = diff_plans(view_for(plan, "parent"), view_for(new, "parent"))
    assert [c.describe() for c in parent] == [
        "Visitors > must not visit > Lee Carver > action if they arrive: "
        "changed from 'call police' to 'call security'"]
    professional = diff_plans(view_for(plan, "professional"), view_for(new, "professional"))
    assert len(professional) == 2


def test_summary_names_sections_in_order(plan):
    new = copy.deepcopy(plan)
    new["legal_status"]["stage"] = "none"
    new["visitors"]["must_not_visit"].append({"name": "Jordan Reed"})
    new["visitors"]["birth_partners"].pop()
    assert summarise(diff_plans(plan, new)) == "3 changes: Legal status, Visitors"
    assert summarise([]) == "no changes"


def test_a_list_item_with_no_name_reads_as_labelled_fields_never_json(plan):
    """`diff` printed an added withheld_from_parents entry as
    added '{"authorised_by": ...}': raw JSON, keys in the plan's spelling."""
    old = copy.deepcopy(plan)
    del old["withheld_from_parents"]
    old["early_birth"]["alerts"].pop()
    described_now = described(old, plan)
    assert "Withheld from the parents: added 'field withheld: visitors.must_not_visit.1.reason; " \
           "reason: Information from the police about another person; sharing it could put the " \
           "source at risk.; legal basis: Data Protection Act 2018, Schedule 2, Part 3 " \
           "(information about another person); authorised by: Graham Lowther, team manager; " \
           "date decided: 2027-01-14'" in described_now
    assert "Early birth and a family who may go missing > alerts sent: added 'sent to: Royal " \
           "Victoria Infirmary maternity unit (Newcastle); kind: maternity unit; sent by: Joanne " \
           "Bell; date sent: 2027-01-15'" in described_now
    assert not [line for line in described_now if "{" in line or '"' in line]
    # removed the same way; and never for an audience that may not see the entry
    assert "Withheld from the parents: removed 'field withheld: " in described(plan, old)[-1]
    assert not diff_plans(view_for(old, "parent"), view_for(plan, "parent"))


# -- an item with no name of its own, edited: one change of that item ------------------------


def test_an_edited_entry_with_no_name_is_one_change_of_that_entry(plan):
    """An entry under "Withheld from the parents" (or an alert sent) has no name or id:
    editing its reason read as that entry removed and another one added."""
    new = copy.deepcopy(plan)
    new["withheld_from_parents"][0]["reason"] = "Police information about another person."
    new["early_birth"]["alerts"][1]["by"] = "Helen Marsh"
    assert described(plan, new) == [
        "Early birth and a family who may go missing > alerts sent > sent to: Royal Victoria "
        "Infirmary maternity unit (Newcastle) > sent by: changed from 'Joanne Bell' to 'Helen Marsh'",
        "Withheld from the parents > field withheld: visitors.must_not_visit.1.reason > reason: "
        "changed from 'Information from the police about another person; sharing it could put "
        "the source at risk.' to 'Police information about another person.'",
    ]
    assert summarise(diff_plans(plan, new)) == (
        "2 changes: Early birth and a family who may go missing, Withheld from the parents")


def test_a_different_entry_in_its_place_is_still_removed_and_added(plan):
    """Only an item that is the same in all but its words (and keeps some of them) is the
    same item: another withheld field, or an alert sent on another day, is a new entry."""
    new = copy.deepcopy(plan)
    new["withheld_from_parents"][0] = {"field": "wishes.photos", "reason": "Asked by the mother.",
                                       "authorised_by": "Priya Raman, social worker"}
    new["early_birth"]["alerts"][1]["date"] = "2027-01-16"
    assert [(c.kind, c.path[0]) for c in diff_plans(plan, new)] == [
        (ADDED, "early_birth"), (REMOVED, "early_birth"),
        (ADDED, "withheld_from_parents"), (REMOVED, "withheld_from_parents")]


def test_a_reworded_line_or_free_text_item_is_changed_in_its_place(plan):
    """A list of words (address lines, or free-text items, withheld or not) is matched by its
    words; a line reworded where it stands is that line changed."""
    new = copy.deepcopy(plan)
    new["address"]["lines"][0] = "16 Larchfield Terrace"
    assert described(plan, new) == [
        "Address > address lines: changed from '14 Larchfield Terrace' to '16 Larchfield Terrace'"]
    old_notes = {"notes": ["Seen weekly", {"text": "Police visit in May", "share_with": ["professional"]}]}
    new_notes = {"notes": ["Seen weekly", {"text": "Police visit in June", "share_with": ["professional"]}]}
    (change,) = diff_plans(old_notes, new_notes)
    assert (change.kind, change.old, change.new) == (CHANGED, "Police visit in May", "Police visit in June")
    assert (change.old_at, change.new_at) == (("notes", 1), ("notes", 1))
