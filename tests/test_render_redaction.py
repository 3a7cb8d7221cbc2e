"""Redaction by rule, proven on the files: a unique marker in every text
value, and every marker withheld from an audience (``withheld_paths``) is
absent from all of that audience's files: every XML part of the .docx
(docProps included), the PDF's text and metadata, the HTML source and the
file names. The plan also exercises each rule: a protected address, a
third-party reason, ``share_with`` narrowing and widening.
"""

from __future__ import annotations

import copy
import html
import re

import pytest

from birthplan.audience import AUDIENCES, view_for, withheld_paths
from birthplan.history import record_review
from birthplan.load import load_plan
from birthplan.render.sheet import left_to_other_copies
from birthplan.yamlwrite import dump_plan

from .conftest import (EXAMPLES, docx_parts, files_by, meeting_on, pdf_metadata_text, pdf_text,
                       render_into, squash)

MARKER = re.compile(r"MKR\d{4}Q")
# Values the schema checks by pattern or enum (no room for a marker) or that name files.
_UNMARKABLE = {"authority", "nation", "case_reference", "type", "date", "due_date", "date_of_birth",
               "next_review_date", "plan_date", "plo_letter_date", "planning_meeting_date", "start",
               "end", "phone", "nhs_number", "role", "action", "arrangement", "plan_type", "category",
               "stage", "father", "preferred_language", "formats", "share_with", "protected",
               "interpreter", "bsl", "hospital_risk_assessment", "mother", "schema_version",
               # schema version 2
               "categories", "decision", "decision_date", "kind", "field", "proposed", "legal_advice",
               "remote_hearing", "may_go_missing", "health_visitor_liaison",
               "legal_planning_meeting_date", "first_hearing_date"}


def _mark(value, counter: list, key: str = ""):
    if isinstance(value, dict):
        return {k: v if k in _UNMARKABLE and not isinstance(v, (dict, list)) or k == "share_with"
                else _mark(v, counter, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark(v, counter, key) for v in value]
    if isinstance(value, str) and key not in _UNMARKABLE:
        counter.append(None)
        return f"{value} MKR{len(counter):04d}Q"
    return value


def _marker_plan() -> dict:
    data = load_plan(EXAMPLES / "sunderland-full.yaml").data
    data["address"]["protected"] = True  # professional copy only
    data["people"]["partner"]["address"]["protected"] = True  # the partner's own address, too
    data["at_birth"]["instructions"] = {"text": data["at_birth"]["instructions"],
                                        "share_with": ["professional"]}  # narrowed
    data["concerns"]["summary"] = {"text": data["concerns"]["summary"],
                                   "share_with": ["professional", "delivery_suite"]}  # widened
    data["visitors"]["difficult_behaviour"][0]["guidance"] = {
        "text": data["visitors"]["difficult_behaviour"][0]["guidance"], "third_party": True}
    data["wishes"]["photos"] = {"text": data["wishes"]["photos"], "share_with": ["parent"]}
    # a wish and a legal fact kept from the parents (the Easy Read copy shows both kinds)
    data["wishes"]["dietary_needs"] = {"text": data["wishes"]["dietary_needs"],
                                       "share_with": ["professional", "delivery_suite"]}
    data["legal_status"]["court"]["transport"] = {"text": data["legal_status"]["court"]["transport"],
                                                  "share_with": ["professional"]}
    return _mark(data, [])


def _markers_in(value) -> set[str]:
    return set(MARKER.findall(repr(value)))


def _at(data, path):
    for key in path:
        data = data[key]
    return data


@pytest.fixture(scope="module")
def marked(tmp_path_factory):
    folder = tmp_path_factory.mktemp("markers")
    data = _marker_plan()
    source = folder / "marked.yaml"
    source.write_text(dump_plan(data), encoding="utf-8")
    assert load_plan(source).data == data  # the markers survived the round trip
    result = render_into(folder / "out", source)
    return data, result


@pytest.fixture(scope="module")
def marked_easy_read(marked, tmp_path_factory):
    """The marker plan's Easy Read parents' copy, in every format."""
    data, _ = marked
    folder = tmp_path_factory.mktemp("markers-easy-read")
    source = folder / "marked.yaml"
    source.write_text(dump_plan(data), encoding="utf-8")
    return render_into(folder / "out", source, audiences=("parent",), easy_read=True)


def _everything_in(path) -> str:
    """All the text a reader's software could find in one file, and its name."""
    parts = [path.name]
    if path.suffix == ".docx":
        parts += docx_parts(path).values()
    elif path.suffix == ".pdf":
        text = pdf_text(path)
        parts += [text, squash(text), pdf_metadata_text(path)]
    else:
        parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_no_withheld_marker_reaches_any_file_of_the_audience(marked, audience):
    data, result = marked
    paths = withheld_paths(data, audience)
    assert paths, "the marker plan must withhold something from every audience"
    withheld = set().union(*(_markers_in(_at(data, p)) for p in paths))
    assert withheld
    files = files_by(result, audience)
    assert len(files) == 3
    for path in files:
        found = set(MARKER.findall(_everything_in(path)))
        leaked = withheld & found
        assert not leaked, f"{path.name} shows withheld {sorted(leaked)}"


@pytest.mark.parametrize("audience", AUDIENCES)
def test_markers_the_audience_may_see_do_appear(marked, audience):
    """The test above is not vacuous: visible markers are found by the same reading."""
    data, result = marked
    withheld = set().union(*(_markers_in(_at(data, p)) for p in withheld_paths(data, audience)))
    visible = _markers_in(data) - withheld
    if audience == "delivery_suite":  # one page: some details are left to the other copies
        view = view_for(data, audience)
        visible -= set().union(set(), *(_markers_in(_at(view, p)) for p in left_to_other_copies(view)))
    pdf = files_by(result, audience, ".pdf")[0]
    found = set(MARKER.findall(_everything_in(pdf)))
    assert len(found) >= 0.9 * len(visible)


def test_no_withheld_marker_reaches_the_easy_read_copy(marked, marked_easy_read):
    data, _ = marked
    withheld = set().union(*(_markers_in(_at(data, p)) for p in withheld_paths(data, "parent")))
    files = files_by(marked_easy_read, "parent")
    assert sorted(p.suffix for p in files) == [".docx", ".html", ".pdf"]
    assert all("easy-read" in p.name for p in files)
    for path in files:
        found = set(MARKER.findall(_everything_in(path)))
        assert found, f"{path.name}: the reading found no marker at all"
        leaked = withheld & found
        assert not leaked, f"{path.name} shows withheld {sorted(leaked)}"
    # not vacuous: the third-party reason the parents may not see is one a visible copy would show
    reason = _markers_in(_at(data, ("visitors", "must_not_visit", 0, "reason")))
    assert reason <= withheld
    # the wishes and the legal position: what the parents may see is there, what they may not is not
    for path in (("wishes", "dietary_needs"), ("legal_status", "court", "transport")):
        assert path in withheld_paths(data, "parent") and _markers_in(_at(data, path)) <= withheld
    shown = set().union(*(_markers_in(_at(data, path)) for path in (
        ("wishes", "pain_relief"), ("wishes", "photos"), ("wishes", "what_ifs", "caesarean"),
        ("legal_status", "parents_solicitor", "name"), ("legal_status", "court", "other_help"))))
    for path in files:
        assert shown <= set(MARKER.findall(_everything_in(path))), path.name


def test_each_rule_is_exercised_by_the_marker_plan(marked):
    data, _ = marked
    parent = withheld_paths(data, "parent")
    ward = withheld_paths(data, "delivery_suite")
    assert ("address",) in parent and ("address",) in ward  # protected address
    assert ("visitors", "must_not_visit", 0, "reason") in parent  # third party
    assert ("visitors", "difficult_behaviour", 0, "guidance") in parent  # third party on a ward field
    assert ("at_birth", "instructions") in ward  # share_with narrowed
    assert ("concerns", "summary") not in ward  # share_with widened
    assert ("wishes", "photos") in ward
    assert ("appointments",) in ward  # a schema default (x-audiences)
    partner_address = ("people", "partner", "address")
    assert partner_address in parent and partner_address in ward  # protected like the mother's
    # The record of what is kept from the parents, and why, is for professionals only.
    assert data["withheld_from_parents"][0]["reason"]
    assert ("withheld_from_parents",) in parent and ("withheld_from_parents",) in ward
    assert ("early_birth", "alerts") in parent and ("early_birth", "alerts") in ward


def test_an_address_protected_since_the_last_review_is_not_quoted_as_a_change(tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text((EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    record_review(plan)
    text = plan.read_text(encoding="utf-8").replace("  protected: false", "  protected: true")
    plan.write_text(meeting_on(text, "2027-02-11"), encoding="utf-8")
    record_review(plan)
    result = render_into(tmp_path / "out", plan)
    for audience in ("delivery_suite", "parent"):
        for path in files_by(result, audience):
            found = _everything_in(path)
            assert "Larchfield" not in found and "SR2 9ZZ" not in found, path.name
    assert "Larchfield" in _everything_in(files_by(result, "professional")[0])


def test_words_withheld_since_the_last_review_are_not_quoted_as_a_change(tmp_path):
    """A reason the parents could read at v1 is marked third-party at v2: their new
    copy must not quote it back as "taken out"."""
    plan = tmp_path / "plan.yaml"
    reason = "He sent threatening messages in December."
    text = (EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8")
    start = text.index("      reason:\n")
    end = text.index("      action: call_police")
    plan.write_text(text[:start] + f"      reason: {reason}\n" + text[end:], encoding="utf-8")
    record_review(plan)
    withheld = text[:start] + f"      reason:\n        text: {reason}\n        third_party: true\n" + text[end:]
    plan.write_text(meeting_on(withheld, "2027-02-11"), encoding="utf-8")
    record_review(plan)
    result = render_into(tmp_path / "out", plan, audiences=("parent", "professional"))
    for path in files_by(result, "parent"):
        assert "threatening" not in _everything_in(path), path.name
    assert "threatening" in _everything_in(files_by(result, "professional")[0])


# -- two versions: "what changed" tells an audience only what it may see in both -----------

STAFF_ONLY = ["professional", "delivery_suite"]
_NEW_WORDS = {  # v2 narrows each of these and rewords it in the same edit
    ("wishes", "pain_relief"): ("NEWPAIN epidural straight away", STAFF_ONLY),
    ("separation", "contact_after"): ("NEWCONTACT family time daily", STAFF_ONLY),
    ("appointments", 0, "what"): ("NEWWHAT antenatal scan", ["professional"]),
    ("ward", "details"): ("NEWWARD supervision by two workers", ["professional"]),
}


@pytest.fixture(scope="module")
def narrowed(tmp_path_factory):
    """v1: the example with its address protected. v2: four texts newly withheld and
    reworded, two items withheld all along reworded (a line of the protected address, the
    reason under "Withheld from the parents"), and one change each audience may see
    (vitamin K for the parents, a contact's hours for both). Rendered at v2 for the parents
    and the ward; the professional copy as HTML."""
    from birthplan.render import render_plan

    folder = tmp_path_factory.mktemp("narrowed")
    plan = folder / "plan.yaml"
    data = load_plan(EXAMPLES / "sunderland-full.yaml").data
    data["address"]["protected"] = True
    plan.write_text(dump_plan(data), encoding="utf-8")
    record_review(plan)  # the plan's meeting: 14 January 2027
    previous = copy.deepcopy(data)
    old_words = {path: _at(data, path) for path in _NEW_WORDS}
    for path, (words, audiences) in _NEW_WORDS.items():
        _at(data, path[:-1])[path[-1]] = {"text": words, "share_with": audiences}
    data["wishes"]["vitamin_k"] = "Injection, after skin to skin."
    data["contacts"][0]["hours"] = "Mon-Fri 9am-4pm"
    data["address"]["lines"][0] = f"{_REWORDED_LINE}, {data['address']['lines'][0]}"
    data["withheld_from_parents"][0]["reason"] = _REWORDED_REASON
    data["plan"]["meeting"]["date"], data["plan"]["next_review_date"] = "2027-02-11", "2027-03-11"
    plan.write_text(dump_plan(data), encoding="utf-8")
    record_review(plan)
    professional = render_plan(plan, out_dir=folder / "professional", audiences=("professional",),
                               formats=("html",), language="en", standard_print=True)
    return (old_words, render_into(folder / "out", plan, audiences=("delivery_suite", "parent")),
            (previous, load_plan(plan).data), professional)


_REWORDED_LINE = "NEWLINE Flat 2"
_REWORDED_REASON = "NEWREASON police information about another person."


def _changes_part(path) -> str:
    """The "What changed" section of a rendered copy, as its reader sees it."""
    text = " ".join(_everything_in(path).split())
    start = max(text.find("What changed since version 1"), text.find("What is new in this plan"))
    assert start >= 0, path.name
    return text[start:start + 1500]


def test_a_field_newly_withheld_and_reworded_simply_leaves_the_audiences_list(narrowed):
    old_words, result, _, _ = narrowed
    withheld_from = {"parent": list(_NEW_WORDS), "delivery_suite": [("ward", "details")]}
    for audience, paths in withheld_from.items():
        for path in files_by(result, audience):
            found = " ".join(_everything_in(path).split())
            for field in paths:
                assert old_words[field] not in found, (path.name, field)  # not quoted as taken out
                assert _NEW_WORDS[field][0] not in found, (path.name, field)
    for path in files_by(result, "parent", ".pdf"):
        changes = _changes_part(path)
        assert "Vitamin K" in changes or "vitamin K" in changes  # the change they may see is told
        for label in ("Pain relief", "contact", "What:"):
            assert label not in changes, (label, changes)


def test_an_unchanged_item_is_never_reported_because_equal_words_are_withheld(narrowed):
    """Joanne Bell works at "Sunderland Royal Hospital", the place of an appointment the ward
    does not see: nothing about her changed, so the ward's list must not mention her."""
    _, result, _, _ = narrowed
    for path in files_by(result, "delivery_suite"):
        if path.suffix == ".pdf":
            changes = _changes_part(path)
            assert "Joanne Bell" not in changes and "Organisation" not in changes, changes
            assert "9am-4pm" in changes  # the change the ward may see is told


def test_an_item_withheld_all_along_and_reworded_is_one_change_told_only_where_it_is_seen(narrowed):
    """A reworded line of a protected address, and a reworded reason under "Withheld from
    the parents", read as one item removed and another added. Each is one change of that
    item in the professional copy, and reaches no other copy, not even as "something changed"."""
    from birthplan.render.changes import changes_between

    _, result, versions, professional = narrowed
    for audience in ("parent", "delivery_suite"):
        told = changes_between(*versions, audience)
        assert not [c for c in told if c.path[0] in ("address", "withheld_from_parents")], audience
        for path in files_by(result, audience):
            found = _everything_in(path)
            assert "NEWLINE" not in found and "NEWREASON" not in found, path.name
    told = [c.describe() for c in changes_between(*versions, "professional")]
    line = f"Address > address lines: changed from '14 Larchfield Terrace' to '{_REWORDED_LINE}, 14 Larchfield Terrace'"
    reason = ("Withheld from the parents > field withheld: visitors.must_not_visit.1.reason > reason: "
              "changed from 'Information from the police about another person; sharing it could "
              f"put the source at risk.' to '{_REWORDED_REASON}'")
    assert line in told and reason in told
    assert not [c for c in told if c.startswith(("Address", "Withheld")) and ("added" in c or "removed" in c)]
    (page,) = professional.files
    changes = html.unescape(" ".join(_everything_in(page).split()))
    start = changes.index("What changed since version 1")
    changes = changes[start:changes.index("</ul>", start)]
    assert f"Address > Address lines: changed from “14 Larchfield Terrace” to “{_REWORDED_LINE}, " \
           "14 Larchfield Terrace”" in changes
    assert "Reason: changed from “Information from the police about another person" in changes
    assert "removed" not in changes and "added" not in changes


def test_a_text_newly_shared_is_told_once_as_added_and_an_unchanged_plan_tells_nothing():
    from birthplan.render.changes import changes_between

    data = load_plan(EXAMPLES / "sunderland-full.yaml").data
    previous = {**data, "wishes": {**data["wishes"],
                                   "photos": {"text": "Lots of photos", "share_with": ["professional"],
                                              "third_party": True}}}
    current = {**data, "wishes": {**data["wishes"], "photos": "Lots of photos please"}}
    (told,) = changes_between(previous, current, "parent")
    assert (told.kind, told.new, told.path) == ("added", "Lots of photos please", ("wishes", "photos"))
    for audience in AUDIENCES:
        assert changes_between(data, data, audience) == []
