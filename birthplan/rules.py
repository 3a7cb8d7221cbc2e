"""Rules a reviewer applies beyond the schema.

Each rule reads a plan the schema has accepted and returns problems located
at the field to fix. Errors stop a plan being rendered or recorded; warnings
are worth a second look but do not fail.
"""

from __future__ import annotations

import datetime as dt
from itertools import combinations

from birthplan import fields
from birthplan.characters import has_unpaired_bidi_controls, has_unprintable, in_curly_quotes
from birthplan.values import letters_lost
from birthplan.load import Plan
from birthplan.tree import nodes
from birthplan.problems import ERROR, WARNING, Problem

LONGEST_PREGNANCY = dt.timedelta(weeks=42)
# From about 28 weeks a baby born early is likely to survive, so the plan for an early
# birth must exist by then: a due date within 12 weeks of the meeting is "near".
EARLY_BIRTH_WINDOW = dt.timedelta(weeks=12)
BIRTH_ALREADY_PAST = dt.timedelta(weeks=4)
SAFEGUARDING_PLANS = {"child_protection", "care_and_support_protection"}
NATION_PLAN_TERMS = {
    "england": ("child_protection", "child protection plan"),
    "wales": ("care_and_support_protection", "care and support protection plan"),
}


def check(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    for rule in RULES:
        try:
            problems.extend(rule(plan))
        except (KeyError, TypeError, ValueError, AttributeError):
            # The schema check has already reported why the fields this rule reads
            # are missing or malformed; the rule has nothing reliable to add.
            continue
    return problems


def _problem(plan: Plan, path: tuple, message: str, severity: str = ERROR) -> Problem:
    line, col = plan.location(path)
    return Problem(plan.name, line, col, fields.label(path), message, severity)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def due_date_plausible(plan: Plan) -> list[Problem]:
    meeting = _date(plan.data["plan"]["meeting"]["date"])
    due = _date(plan.data["people"]["mother"]["due_date"])
    path = ("people", "mother", "due_date")
    if due > meeting + LONGEST_PREGNANCY:
        return [_problem(plan, path, "is more than 42 weeks after the meeting date; check the year.")]
    if due < meeting - BIRTH_ALREADY_PAST:
        return [_problem(plan, path, "is more than 4 weeks before the meeting date; check the year, "
                         "or update the due date if the baby has been born.")]
    if due < meeting:
        return [_problem(plan, path, "is before the meeting date: check it.", WARNING)]
    return []


def dates_of_birth(plan: Plan) -> list[Problem]:
    """A date of birth after the meeting is a typing slip (often the year); a mother
    under 12 or over 60 at her due date is worth a second look."""
    meeting = _date(plan.data["plan"]["meeting"]["date"])
    due = _date(plan.data["people"]["mother"]["due_date"])
    people = plan.data.get("people", {})
    persons = [(("people", key), people.get(key) or {}) for key in ("mother", "partner")]
    persons += [(("people", "siblings", i), sibling) for i, sibling in enumerate(people.get("siblings", []))]
    out = []
    for base, person in persons:
        born = _date(person.get("date_of_birth"))
        if born is None:
            continue
        if born > meeting:
            out.append(_problem(plan, base + ("date_of_birth",), "is after the meeting date: a date of birth "
                                "must be in the past. Check the year."))
        elif base == ("people", "mother") and not 12 <= (due - born).days / 365.25 <= 60:
            out.append(_problem(plan, base + ("date_of_birth",), "makes the mother "
                                f"{int((due - born).days / 365.25)} at the due date: check the year.", WARNING))
    return out


def next_review_after_meeting(plan: Plan) -> list[Problem]:
    meeting = _date(plan.data["plan"]["meeting"]["date"])
    review = _date(plan.data["plan"].get("next_review_date"))
    if review and review < meeting:
        return [_problem(plan, ("plan", "next_review_date"), "is before the meeting date; check it.")]
    return []


def has_safeguarding_arrangements(data: dict) -> bool:
    legal = data.get("legal_status", {})
    visitors = data.get("visitors", {})
    return (
        legal.get("plan_type") in SAFEGUARDING_PLANS
        or legal.get("stage", "none") != "none"
        or bool(visitors.get("must_not_visit"))
        or data.get("ward", {}).get("arrangement") == "supervision"
    )


def out_of_hours_contact(plan: Plan) -> list[Problem]:
    data = plan.data
    if not has_safeguarding_arrangements(data):
        return []
    has_edt = any(c["role"] == "emergency_duty_team" and c.get("phone") for c in data["contacts"])
    has_ooh_notify = any(n.get("phone") for n in data["at_birth"].get("out_of_hours", []))
    if has_edt or has_ooh_notify:
        return []
    return [_problem(plan, ("at_birth", "out_of_hours"),
                     "this plan has safeguarding arrangements, so the ward needs someone to call out of "
                     "hours: add the emergency duty team with a phone number under contacts, or an "
                     "out-of-hours entry with a phone number here.")]


def out_of_hours_matches_pack(plan: Plan) -> list[Problem]:
    """Two out-of-hours numbers on one sheet is one too many: the plan's is shown."""
    from birthplan import out_of_hours

    pack_number = out_of_hours.shipped_pack_number(plan.data["plan"]["authority"])
    if pack_number is None or not out_of_hours.pack_number_differs(plan.data, pack_number):
        return []
    path, _ = out_of_hours.plan_numbers(plan.data)[0]
    return [_problem(plan, path, f"the out-of-hours number here differs from the one in the "
                     f"{plan.data['plan']['authority']} template pack ({pack_number}). Every copy shows "
                     "the plan's number; check which is right and correct the plan or the pack.", WARNING)]


def numbers_match_contacts(plan: Plan) -> list[Problem]:
    """A line under who to tell that names a role (or a person) listed under contacts
    with another number: one of the two is mistyped, and the ward would hold both.
    Fine when any of the contacts it names has its number (a role may have several)."""
    from birthplan import roles
    from birthplan.out_of_hours import same_number

    data = plan.data
    known = [(("contacts", i, "phone"), c.get("role"), c.get("name"), str(c["phone"]))
             for i, c in enumerate(data.get("contacts") or []) if isinstance(c, dict) and c.get("phone")]
    officer = (data.get("police") or {}).get("officer") or {}
    if officer.get("phone"):
        known.append((("police", "officer", "phone"), roles.POLICE, officer.get("name"), str(officer["phone"])))
    out = []
    for section in ("at_birth", "born_elsewhere"):
        for key in ("in_hours", "out_of_hours"):
            for i, entry in enumerate((data.get(section) or {}).get(key) or []):
                if not isinstance(entry, dict) or not entry.get("phone") or not entry.get("who"):
                    continue
                meant = [k for k in known if roles.means_contact(entry["who"], k[2], k[1])]
                if not meant or any(same_number(number, str(entry["phone"])) for *_, number in meant):
                    continue
                named = roles.roles_named(entry["who"])
                role = next((r for r in named if any(k[1] == r for k in meant)), meant[0][1])
                whose = f"the {roles.role_name(role)}'s" if role != "other" else "this contact's"
                lines = [str(plan.location(path)[0]) for path, *_ in meant]
                where = " and ".join(sorted({"police" if path[0] == "police" else "contacts" for path, *_ in meant}))
                ones = f"the one under {where} (line {lines[0]})" if len(lines) == 1 else \
                    f"the ones under {where} (lines {', '.join(lines)})"
                out.append(_problem(plan, (section, key, i, "phone"),
                                    f"{whose} number here differs from {ones}: check which is right.", WARNING))
    return out


def must_not_visit_actions(plan: Plan) -> list[Problem]:
    people = plan.data.get("visitors", {}).get("must_not_visit", [])
    return [
        _problem(plan, ("visitors", "must_not_visit", i),
                 "say what staff must do if this person arrives: add 'action:' "
                 "(call_security, call_police, inform_social_worker or refuse_entry).")
        for i, person in enumerate(people) if "action" not in person
    ]


def must_not_visit_recognisable(plan: Plan) -> list[Problem]:
    """A name alone does not let the ward spot someone at the door at 3 a.m.: the list is only
    as safe as its descriptions (the schema's 'How staff can recognise them')."""
    from birthplan.audience import text_of

    out = []
    for i, person in enumerate(plan.data.get("visitors", {}).get("must_not_visit", [])):
        described = person.get("description")
        if isinstance(described, (str, dict)) and str(text_of(described)).strip():
            continue
        item = ("visitors", "must_not_visit", i)
        line, col = plan.location(item + ("description",), key=True)  # written empty: its line
        out.append(Problem(plan.name, line, col, fields.label(item),
                           "says nothing about how to recognise this person, and the ward's staff may "
                           "never have seen them: add 'description:' (what they look like; no photos), "
                           "or the sheet names someone nobody can pick out.", WARNING))
    return out


def supervision_named(plan: Plan) -> list[Problem]:
    ward = plan.data.get("ward", {})
    if ward.get("arrangement") == "supervision" and not ward.get("supervision_arranged_by"):
        return [_problem(plan, ("ward", "arrangement"),
                         "supervision on the ward must say who arranges it: add 'supervision_arranged_by:'.")]
    if ward.get("arrangement") == "observations" and ward.get("supervision_arranged_by"):
        return [_problem(plan, ("ward", "supervision_arranged_by"),
                         "the arrangement is parenting observations by health staff, not supervision by "
                         "social care: keep them distinct (change the arrangement, or remove this line).",
                         WARNING)]
    return []


def nation_terms(plan: Plan) -> list[Problem]:
    nation = plan.data["plan"]["nation"]
    plan_type = plan.data.get("legal_status", {}).get("plan_type")
    for other, (term, words) in NATION_PLAN_TERMS.items():
        if other != nation and plan_type == term:
            right_term, right_words = NATION_PLAN_TERMS[nation]
            return [_problem(plan, ("legal_status", "plan_type"),
                             f"a plan in {nation.title()} is a {right_words}: use '{right_term}', "
                             f"not '{term}' ({words} is the term in {other.title()}).")]
    return []


def pre_proceedings_letter(plan: Plan) -> list[Problem]:
    legal = plan.data.get("legal_status", {})
    if legal.get("stage") == "pre_proceedings" and not legal.get("plo_letter_date"):
        return [_problem(plan, ("legal_status", "stage"),
                         "pre-proceedings: add the date of the PLO letter ('plo_letter_date:').", WARNING)]
    return []


def language_details(plan: Plan) -> list[Problem]:
    comm = plan.data.get("communication", {})
    out = []
    if comm.get("preferred_language") == "other" and not comm.get("other_language"):
        out.append(_problem(plan, ("communication", "preferred_language"),
                            "say which language in 'other_language:'.", WARNING))
    # `is True`: "interpreter: no" is a schema error (it wants true/false), not a yes.
    if comm.get("interpreter") is True and not comm.get("interpreter_language"):
        out.append(_problem(plan, ("communication", "interpreter"),
                            "say which language to book in 'interpreter_language:'.", WARNING))
    return out


def third_party_shared_with_parent(plan: Plan) -> list[Problem]:
    """share_with: [parent] on third-party information is contradictory; the rule wins."""
    return [
        _problem(plan, path + ("share_with",),
                 "third-party information is never shown to the parents, even when "
                 "share_with lists parent. Remove 'parent' or 'third_party'.", WARNING)
        for path, value in nodes(plan.data)
        if isinstance(value, dict) and value.get("third_party") and "parent" in value.get("share_with", [])
    ]


def unprintable_characters(plan: Plan) -> list[Problem]:
    return [
        _problem(plan, path, "contains control characters that cannot be printed (often pasted "
                 "from another program); the documents leave them out.", WARNING)
        for path, value in nodes(plan.data)
        if isinstance(value, str) and has_unprintable(value)
    ]


def unpaired_bidi_controls(plan: Plan) -> list[Problem]:
    return [
        _problem(plan, path, "contains a right-to-left or left-to-right control character that is "
                 "never closed (often pasted from another program); it would reverse the words and "
                 "numbers printed after it, so the documents and calendar leave it out.", WARNING)
        for path, value in nodes(plan.data)
        if isinstance(value, str) and has_unpaired_bidi_controls(value)
    ]


def lost_letters_in_names(plan: Plan) -> list[Problem]:
    """'Ma?gorzata ?ak', '???? ????': what a spreadsheet saved in a Windows encoding leaves of a name."""
    return [
        _problem(plan, path, "looks as if letters were lost: it has '?' (or the sign for an unreadable "
                 "character) where a letter should be, as happens when a spreadsheet is saved in a Windows "
                 "encoding. Check the spelling with the family; if it was imported, export the form as "
                 "\"CSV UTF-8\" and import again.", WARNING)
        for path, value in nodes(plan.data)
        if path and path[-1] in NAME_FIELDS and isinstance(value, str) and letters_lost(value)
    ]


NAME_FIELDS = {"name", "who", "other_language", "interpreter_language"}


# Who is the mother, in an attendee's or signatory's role as people type it.
MOTHER_ROLES = {"mother", "mum", "mam", "birth_mother", "the_mother"}
PEOPLE_WITH_ROLES = (("plan", "meeting", "attendees"), ("agreement", "agreed_by"))


def mother_named_alike(plan: Plan) -> list[Problem]:
    """ "Kayleigh Robson" at the meeting, "Kayleigh Robinson" under people: every copy prints
    both, and one of them is wrong. A name with nothing alike is not warned (not a slip)."""
    from birthplan.values import choice_key, name_misspelt

    mother = plan.data["people"]["mother"]
    out = []
    for section in PEOPLE_WITH_ROLES:
        for i, person in enumerate(_at_path(plan.data, section) or []):
            if choice_key(person.get("role", "")) not in MOTHER_ROLES:
                continue
            if name_misspelt(person.get("name", ""), mother["name"], mother.get("preferred_name", "")):
                line = plan.location(("people", "mother", "name"))[0]
                out.append(_problem(plan, section + (i, "name"),
                                    "is the mother's (by the role), but not written as her name under "
                                    f"People > mother > name (line {line}). Check the spelling with her "
                                    "and write it the same way in both places: every copy prints both.",
                                    WARNING))
    return out


def _at_path(data, path: tuple):
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def curly_quotes_around_text(plan: Plan) -> list[Problem]:
    """‘Kayleigh Robinson’ pasted from Word: YAML's quotes are straight, so the copies printed
    "Name: ‘Kayleigh Robinson’". Dates, numbers and set values are checked when read
    (``load.read_value``); this is every other text."""
    return [
        _problem(plan, path, "is in curly quotes copied from Word (‘ ’ or “ ”): YAML does not read them "
                 "as quotes, so every copy would print them as part of the text. Delete them, or use "
                 "straight quotes (\").", WARNING)
        for path, value in nodes(plan.data)
        if isinstance(value, str) and in_curly_quotes(value) and fields.is_free_text(fields.node_at(path))
    ]


def text_cut_by_comment(plan: Plan) -> list[Problem]:
    """ "asks #2 (see notes). Pethidine NO": YAML ends unquoted text at " #", so every word
    from there on was read as a comment and is on no copy. Warned in free text (a set value,
    date or number with a note after it is checked in full by the schema), except for the notes
    the starters write after values, which a plan filled in from one keeps (and the workspace's
    saves keep with it). Any other note after free text is warned too: losing words from a
    safeguarding plan without a word is worse than asking for a note to go on its own line."""
    if not plan.comments_after_values:
        return []
    from birthplan.starter import comments_after_values as starters_notes

    out = []
    for path, comment in plan.comments_after_values.items():
        if not fields.is_free_text(fields.node_at(path)) or comment.text in starters_notes():
            continue
        key = comment.written_path[-1]
        example = f'{key}: "..."' if isinstance(key, str) else '- "..."'
        out.append(Problem(plan.name, comment.line, comment.column, fields.label(path),
                           "the text from ' #' on is not part of the plan: YAML reads ' #' as the start "
                           "of a comment, so no copy shows those words. If they belong to the text, put "
                           f"the whole text in double quotes, e.g. {example}; if they are a note for "
                           "yourself, move them to a line of their own.", WARNING))
    return out


def starter_examples_left(plan: Plan) -> list[Problem]:
    """ "Name of the hospital and ward", "Mother's full name": a starter's example left in
    would be printed on every copy (the ward sheet too) as if it were the plan's."""
    from birthplan.starter import EXAMPLE_DATE, example_numbers, example_texts

    texts, numbers = example_texts(), example_numbers()
    problems = []
    for path, value in nodes(plan.data):
        if not isinstance(value, str):
            continue
        if value.strip() in texts:
            problems.append(_problem(plan, path, f"is still the starter's example (\"{value.strip()}\"): "
                                     "write this plan's own, or delete the line if it does not apply.", WARNING))
        elif path and path[-1] == "phone" and value in numbers:
            problems.append(_problem(plan, path, f"is still the starter's example number ({value}), which "
                                     "nobody answers: write the real number.", WARNING))
        elif value == EXAMPLE_DATE:
            problems.append(_problem(plan, path, "is still the starter's example date (1 January 2027, a bank "
                                     "holiday): write the real date.", WARNING))
    return problems


def _clock_change_gap(day: dt.date, hhmm: str) -> bool:
    """True when ``hhmm`` never happens on ``day`` in the UK (the clocks go forward)."""
    try:
        from zoneinfo import ZoneInfo

        london = ZoneInfo("Europe/London")
    except Exception:  # no time zone data on this machine: nothing to check against
        return False
    hours, minutes = (int(p) for p in hhmm.split(":"))
    naive = dt.datetime.combine(day, dt.time(hours, minutes))
    round_trip = naive.replace(tzinfo=london).astimezone(dt.timezone.utc).astimezone(london)
    return round_trip.replace(tzinfo=None) != naive


def _minutes(hhmm: str | None) -> int | None:
    if not hhmm:
        return None
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def appointments(plan: Plan) -> list[Problem]:
    """After the due date; clashing times; one day in two towns; end before start."""
    items = plan.data.get("appointments", [])
    due = _date(plan.data["people"]["mother"]["due_date"])
    meeting = _date(plan.data["plan"]["meeting"]["date"])
    out = []
    for i, appt in enumerate(items):
        if _date(appt["date"]) > due:
            out.append(_problem(plan, ("appointments", i, "date"),
                                "is after the due date; check it is still needed or move it.", WARNING))
        elif _date(appt["date"]) < meeting:
            out.append(_problem(plan, ("appointments", i, "date"),
                                "is before this plan's meeting, so it has passed: remove it (the parents' "
                                "copy and calendar would still list it), or check the date.", WARNING))
        if appt.get("end") and not appt.get("start"):
            out.append(_problem(plan, ("appointments", i, "end"),
                                "has an end time but no start time: add 'start:', or the calendar "
                                "shows it as an all-day appointment.", WARNING))
        for key in ("start", "end"):
            if appt.get(key) and _clock_change_gap(_date(appt["date"]), appt[key]):
                out.append(_problem(plan, ("appointments", i, key),
                                    "this time does not exist on that day: the clocks go forward an "
                                    "hour at 1am. Check the time.", WARNING))
        start, end = _minutes(appt.get("start")), _minutes(appt.get("end"))
        if start is not None and end is not None and end <= start:
            out.append(_problem(plan, ("appointments", i, "end"), "ends before it starts."))
    for (i, a), (j, b) in combinations(enumerate(items), 2):
        if a["date"] != b["date"]:
            continue
        a_start, b_start = _minutes(a.get("start")), _minutes(b.get("start"))
        if a_start is not None and b_start is not None:
            a_end = _minutes(a.get("end")) or a_start + 60  # assume an hour when no end is given
            b_end = _minutes(b.get("end")) or b_start + 60
            if a_start < b_end and b_start < a_end:
                out.append(_problem(plan, ("appointments", j),
                                    f"overlaps in time with appointment {i + 1} on the same day.", WARNING))
                continue
        if a.get("town") and b.get("town") and a["town"].strip().lower() != b["town"].strip().lower():
            out.append(_problem(plan, ("appointments", j),
                                f"is on the same day as appointment {i + 1} but in a different town; "
                                "can the parents get to both?", WARNING))
    return out


def older_schema_version(plan: Plan) -> list[Problem]:
    from birthplan.upgrade import CURRENT, OLDEST

    if plan.written_version != OLDEST:
        return []
    return [_problem(plan, ("schema_version",),
                     f"this plan is written for schema version {OLDEST}; it is read as version "
                     f"{CURRENT}. Rewrite it as version {CURRENT} with: birthplan upgrade "
                     f"{plan.path.name} (comments and order are kept; its history is not changed).",
                     WARNING)]


def early_birth_contingency(plan: Plan) -> list[Problem]:
    if not has_safeguarding_arrangements(plan.data):
        return []
    meeting = _date(plan.data["plan"]["meeting"]["date"])
    due = _date(plan.data["people"]["mother"]["due_date"])
    if due - meeting > EARLY_BIRTH_WINDOW or plan.data.get("early_birth", {}).get("contingency"):
        return []
    return [_problem(plan, ("people", "mother", "due_date"),
                     "the due date is less than 12 weeks after the meeting and this plan has "
                     "safeguarding arrangements, but no plan for an early birth is recorded: "
                     "add 'early_birth: contingency:'.", WARNING)]


def voluntary_accommodation(plan: Plan) -> list[Problem]:
    """Consent recorded as agreed needs legal advice and a capacity note first (case law)."""
    consent = plan.data.get("legal_status", {}).get("voluntary_accommodation", {})
    if consent.get("decision") != "agreed":
        return []
    out = []
    if consent.get("legal_advice") is not True:
        out.append(_problem(plan, ("legal_status", "voluntary_accommodation", "decision"),
                            "consent to accommodation is recorded as agreed, but not that the parent "
                            "had legal advice first ('legal_advice: true'); consent given without it "
                            "may not be valid.", WARNING))
    if not consent.get("capacity"):
        out.append(_problem(plan, ("legal_status", "voluntary_accommodation", "decision"),
                            "consent to accommodation is recorded as agreed, but there is no note on "
                            "the parent's capacity to consent ('capacity:').", WARNING))
    return out


def withheld_from_parents(plan: Plan) -> list[Problem]:
    """The register of what is kept from the parents: every item kept from them by a decision
    needs an entry with a reason, and every entry must name such an item. An entry naming
    nothing (item 7 of a list of 2) is an error; one naming an item the parents see is a
    warning. A list that changed order above the withheld item does both, so when exactly one
    withheld item has no entry, the message says where it is now."""
    records = plan.data.get("withheld_from_parents", [])
    out = [
        _problem(plan, ("withheld_from_parents", i),
                 "say why this is withheld from the parents: add 'reason:' (and the legal basis "
                 "and who authorised it).", WARNING)
        for i, record in enumerate(records) if not record.get("reason")
    ]
    withheld = withheld_from_parents_by_decision(plan.data)
    named = {record.get("field") for record in records}
    unnamed = [field for field in withheld if field not in named]
    moved = (f"; did the list's order change? The withheld item without an entry here is at {unnamed[0]}"
             if len(unnamed) == 1 else "")
    for i, record in enumerate(records):
        out += _register_entry_problems(plan, ("withheld_from_parents", i, "field"), record.get("field"), moved)
    for field_path in withheld_from_parents_without_reason(plan.data, withheld):
        out.append(_problem(plan, undotted(field_path),
                            "is withheld from the parents, but the plan records no reason: add an "
                            f"entry under withheld_from_parents with 'field: {field_path}' and "
                            "'reason:' (with the legal basis and who authorised it).", WARNING))
    return out


def _register_entry_problems(plan: Plan, at: tuple, written, moved: str) -> list[Problem]:
    """What is wrong with one register entry's ``field`` (written as ``dotted`` gives it)."""
    from birthplan.audience import PARENT, visible_at

    if not isinstance(written, str) or not written:
        return []
    path = undotted(written)
    missing = _first_missing_step(plan.data, path)
    if missing is not None:
        return [_problem(plan, at, f"names {written}, which is not in this plan: {missing}. Write where "
                         "the withheld item is (keys, and item numbers counted from 1)"
                         f"{moved}.")]
    if visible_at(plan.data, path, PARENT):
        return [_problem(plan, at, f"names {written}, which the parents' copy shows (it is not "
                         "third_party, and no share_with leaves out parent), so this entry withholds "
                         f"nothing{moved}. Withholding is set on the item itself (third_party: true, "
                         "or share_with without parent); correct this entry's field.", WARNING)]
    return []


def _first_missing_step(data, path: tuple) -> str | None:
    """Where ``path`` leaves ``data``, in plain words ("Visitors > must not visit has 1 item"),
    or None when every step is there."""
    value = data
    for depth, key in enumerate(path):
        here = path[:depth]
        if isinstance(key, int):
            if not isinstance(value, list):
                return f"{fields.label(here)} is not a list"
            if key >= len(value):
                count = f"{len(value)} item" + ("" if len(value) == 1 else "s")
                return f"{fields.label(here)} has {count}"
        elif not isinstance(value, dict) or key not in value:
            return f"{fields.label(here) if here else 'the plan'} has no '{key}'"
        value = value[key]
    return None


def withheld_from_parents_by_decision(data: dict) -> list[str]:
    """The fields (as ``dotted`` paths) kept from the parents by a decision on the item
    (third_party, or a share_with leaving out the parents) where the field would show them;
    ``birthplan.audience`` decides."""
    from birthplan.audience import PARENT, is_text_item, item_audiences

    return [dotted(path) for path, value in nodes(data)
            if is_text_item(value) and PARENT in fields.default_audiences(path)
            and PARENT not in item_audiences(path, value)]


def withheld_from_parents_without_reason(data: dict, withheld: list[str] | None = None) -> list[str]:
    """The fields (as ``dotted`` paths) kept from the parents by a decision with no recorded
    reason; ``withheld``: those fields, when already found."""
    explained = {record.get("field") for record in data.get("withheld_from_parents", [])
                 if record.get("reason")}
    if withheld is None:
        withheld = withheld_from_parents_by_decision(data)
    return [field for field in withheld if field not in explained]


def dotted(path: tuple) -> str:
    """A field's path as written in withheld_from_parents: keys, and item numbers from 1."""
    return ".".join(str(part + 1) if isinstance(part, int) else part for part in path)


def undotted(text: str) -> tuple:
    """The path a ``dotted`` field names."""
    return tuple(int(part) - 1 if part.isdigit() else part for part in text.split("."))


def born_elsewhere_out_of_hours(plan: Plan) -> list[Problem]:
    section = plan.data.get("born_elsewhere")
    if not section or section.get("out_of_hours") or not has_safeguarding_arrangements(plan.data):
        return []
    return [_problem(plan, ("born_elsewhere",),
                     "say who the ambulance service or another unit must call out of hours "
                     "('out_of_hours:' with a phone number): births away from the hospital "
                     "often happen at night.", WARNING)]


RULES = [
    older_schema_version,
    text_cut_by_comment,
    starter_examples_left,
    early_birth_contingency,
    voluntary_accommodation,
    withheld_from_parents,
    born_elsewhere_out_of_hours,
    due_date_plausible,
    dates_of_birth,
    next_review_after_meeting,
    out_of_hours_contact,
    out_of_hours_matches_pack,
    numbers_match_contacts,
    must_not_visit_actions,
    must_not_visit_recognisable,
    mother_named_alike,
    supervision_named,
    nation_terms,
    pre_proceedings_letter,
    language_details,
    third_party_shared_with_parent,
    appointments,
    unprintable_characters,
    unpaired_bidi_controls,
    lost_letters_in_names,
    curly_quotes_around_text,
]
