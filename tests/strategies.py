"""Hypothesis strategies that build valid plans by walking the schema.

The generator follows the schema (so a new field is generated without
touching this file), then applies the reviewers' rules that the schema
cannot express: plausible dates, an out-of-hours contact, an action for
everyone who must not visit, and the nation's own legal terms.
"""

from __future__ import annotations

import datetime as dt
import string

from hypothesis import strategies as st

from birthplan import fields
from birthplan.resources import plan_schema

# Words with the characters real plans carry: Welsh, Polish, Arabic script,
# and text that must be escaped in every output format.
TRICKY = ["Ŵyn", "Llŷr", "Łucja", "Żaneta", "فاطمة", "&", "<b>", "]]>", "{{ x }}", "{% if %}", "O'Neil",
          "\"quoted\"", "100%", "#1", "a: b", "- dash", "Zoë"]
WORD = st.one_of(
    st.text(alphabet=string.ascii_letters, min_size=1, max_size=12),
    st.sampled_from(TRICKY),
)
TEXT = st.lists(WORD, min_size=1, max_size=8).map(" ".join)
PHONE = st.one_of(
    st.integers(0, 999).map(lambda n: f"07700 900{n:03d}"),
    st.integers(0, 999).map(lambda n: f"01632 960{n:03d}"),
)  # the forms the loader holds (the written forms it reads are tested in test_values.py)


def _nhs_with_check_digit(n: int) -> str | None:
    """999 and six digits, then the modulus-11 check digit (None when no digit fits)."""
    digits = f"999{n:06d}"
    check = 11 - sum(int(d) * w for d, w in zip(digits, range(10, 1, -1))) % 11
    check = 0 if check == 11 else check
    return None if check == 10 else f"{digits[:3]} {digits[3:6]} {digits[6:]}{check}"


NHS = st.integers(0, 999_999).map(_nhs_with_check_digit).filter(lambda n: n is not None)
TIME = st.tuples(st.integers(8, 17), st.sampled_from([0, 15, 30, 45])).map(lambda t: f"{t[0]:02d}:{t[1]:02d}")
CASE_REF = st.from_regex(r"[A-Z]{2,4}-20[0-9]{2}-[0-9]{4}", fullmatch=True)
AUDIENCE_LIST = st.lists(st.sampled_from(list(fields.AUDIENCES)), min_size=1, max_size=3, unique=True)

_BY_REF = {
    "#/$defs/phone": PHONE,
    "#/$defs/nhs_number": NHS,
    "#/$defs/time": TIME,
    "#/$defs/date": st.dates(dt.date(1980, 1, 1), dt.date(2030, 12, 31)).map(dt.date.isoformat),
}
# A withheld-information record names a field the parents' copy could otherwise show.
WITHHELD_FIELD = st.sampled_from(["concerns.parent_summary", "visitors.must_not_visit.1.reason",
                                  "separation.what_parents_told", "wishes.photos"])
_BY_PATH = {
    ("plan", "authority"): st.sampled_from(["swansea", "sunderland"]),
    ("plan", "case_reference"): CASE_REF,
    ("withheld_from_parents", 0, "field"): WITHHELD_FIELD,
}


def text_item():
    """A free-text item: plain words, or a mapping with share_with / third_party."""
    mapping = st.fixed_dictionaries(
        {"text": TEXT},
        optional={"share_with": AUDIENCE_LIST, "third_party": st.booleans()},
    )
    return st.one_of(TEXT, mapping)


def from_schema(node: dict, path: tuple = ()):
    if path in _BY_PATH:
        return _BY_PATH[path]
    ref = node.get("$ref")
    if ref in _BY_REF:
        return _BY_REF[ref]
    if ref == "#/$defs/text":
        return text_item()
    node = fields.resolve(node)
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(0, 10)
    if kind == "string":
        return TEXT
    if kind == "array":
        items = node["items"]
        return st.lists(from_schema(items, path + (0,)), min_size=node.get("minItems", 0),
                        max_size=3, unique=node.get("uniqueItems", False))
    if kind == "object":
        props = node.get("properties", {})
        required = set(node.get("required", ()))
        return st.fixed_dictionaries(
            {k: from_schema(v, path + (k,)) for k, v in props.items() if k in required},
            optional={k: from_schema(v, path + (k,)) for k, v in props.items() if k not in required},
        )
    raise AssertionError(f"no strategy for {path}: {node}")


@st.composite
def valid_plans(draw):
    """A plan that passes the schema and the reviewers' rules."""
    plan = draw(from_schema(plan_schema()))
    meeting = draw(st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)))
    due = meeting + dt.timedelta(days=draw(st.integers(7, 280)))
    plan["plan"]["meeting"]["date"] = meeting.isoformat()
    plan["people"]["mother"]["due_date"] = due.isoformat()
    if "next_review_date" in plan["plan"]:
        plan["plan"]["next_review_date"] = (meeting + dt.timedelta(days=28)).isoformat()
    nation = "wales" if plan["plan"]["authority"] == "swansea" else "england"
    plan["plan"]["nation"] = nation
    people = plan["people"]
    for person in (people.get("mother"), people.get("partner"), *people.get("siblings", [])):
        # a date of birth after the meeting is an error (rules.dates_of_birth): born 25 years before
        if person and person.get("date_of_birth") and str(person["date_of_birth"]) > meeting.isoformat():
            person["date_of_birth"] = (meeting - dt.timedelta(days=25 * 365)).isoformat()
    legal = plan.get("legal_status")
    if legal and legal["plan_type"] in ("child_protection", "care_and_support_protection"):
        legal["plan_type"] = "care_and_support_protection" if nation == "wales" else "child_protection"
    if legal and legal["stage"] == "pre_proceedings":
        legal.setdefault("plo_letter_date", meeting.isoformat())
    # Always an out-of-hours contact: the rule needs one whenever safeguarding applies.
    plan["contacts"].append({"role": "emergency_duty_team", "name": "Emergency Duty Team", "phone": "01632 960999"})
    for person in plan.get("visitors", {}).get("must_not_visit", []):
        person.setdefault("action", "call_security")
    ward = plan.get("ward")
    if ward:
        if ward["arrangement"] == "supervision":
            ward.setdefault("supervision_arranged_by", "Social care")
        else:
            ward.pop("supervision_arranged_by", None)
    comm = plan.get("communication", {})
    if comm.get("preferred_language") == "other":
        comm.setdefault("other_language", "Polish")
    if comm.get("interpreter"):
        comm.setdefault("interpreter_language", "Polish")
    _spread_appointments(plan, meeting, due)
    _no_contradictory_sharing(plan)
    _record_why_withheld(plan)
    return plan


def _record_why_withheld(plan: dict) -> None:
    """Every item kept from the parents gets a withheld-information record, as the rule asks,
    and every record names such an item (one naming nothing is an error, one naming an item the
    parents see a warning)."""
    from birthplan.rules.withheld import withheld_from_parents_by_decision, withheld_from_parents_without_reason

    withheld = set(withheld_from_parents_by_decision(plan))
    records = [record for record in plan.get("withheld_from_parents", []) if record.get("field") in withheld]
    plan["withheld_from_parents"] = records
    for path in withheld_from_parents_without_reason(plan):
        records.append({"field": path, "reason": "Information about another person.",
                        "legal_basis": "Data Protection Act 2018, Schedule 2", "authorised_by": "Team manager"})
    for record in records:
        record.setdefault("reason", "Information about another person.")
    if not records:
        del plan["withheld_from_parents"]


def _spread_appointments(plan: dict, meeting: dt.date, due: dt.date) -> None:
    """One appointment a day, before the due date, in one town: no clash warnings."""
    for i, appt in enumerate(plan.get("appointments", [])):
        appt["date"] = min(meeting + dt.timedelta(days=i + 1), due).isoformat()
        appt["town"] = "Sunderland"
        if "end" in appt and "start" in appt and appt["end"] <= appt["start"]:
            appt.pop("end")
        elif "end" in appt and "start" not in appt:
            appt.pop("end")


def _no_contradictory_sharing(value) -> None:
    if isinstance(value, dict):
        if value.get("third_party") and "parent" in value.get("share_with", []):
            value["share_with"] = [a for a in value["share_with"] if a != "parent"] or ["professional"]
        for sub in value.values():
            _no_contradictory_sharing(sub)
    elif isinstance(value, list):
        for sub in value:
            _no_contradictory_sharing(sub)
