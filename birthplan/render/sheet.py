"""The delivery-suite sheet: one A4 page a midwife can act on at 3 a.m.

What belongs on it, in which order, and how it reads:

* at the top, whether this is the copy to act on: "DRAFT: not agreed", or
  the agreed version with its review and next review dates, and a warning
  when a newer version has been agreed since (``status_lines``);
* who the mother and baby are, in a few dense lines;
* the alerts, each one box headed ALERT (the word, not a colour): who to
  tell, in calling order with the numbers in bold (each with the name of the contact
  it rings), and always someone to ring out of hours (the plan's Emergency Duty
  Team or the authority's line when the plan lists nobody), or, when the plan
  names nobody to tell, a plain box saying so; who must not visit, the
  action first; before the baby leaves; legal status; on the ward. An alert
  with nothing in it is left out rather than printed empty;
* then what the ward plans around: the baby's health, a birth elsewhere or
  early, the police, communication, visitors whose behaviour may be
  difficult, the parents' wishes (the birth partners, the few wishes a
  midwife must act on, the time together if the baby cannot stay), contacts,
  and what changed since the last version when something did.

Choosing what belongs is what keeps the sheet on one page at a readable
size, in Welsh and English too (the same facts in every language). The
parents' full wishes belong to their copy: the sheet keeps the few a midwife
must act on and says where the rest are (the page is found in the laid-out
parents' copy: ``parents_pages``), as it says where the separation plan is
when plan text on it names one it does not show. Each fact and number is on it once.
Every field the sheet leaves to another copy is named in
``LEFT_TO_OTHER_COPIES``, so nothing is dropped unseen.
"""

from __future__ import annotations

from birthplan.out_of_hours import pack_number_is_needed, plan_numbers, same_number
from birthplan.render.i18n import Joined, Phrase, Words, joined
from birthplan.render.model import Lines, Paragraph, Row, Run, Section
from birthplan.render.reader import framed, join, unbreakable
from birthplan.roles import names_person, roles_named
from birthplan.render.sections import BABY_HEALTH, BORN_ELSEWHERE, SEPARATION, Builder

# The few wishes a midwife must act on, whoever is on shift: each has a consent, safety
# or ward-routine consequence that goes wrong if nobody reads it. Students in the room
# need the mother's consent; vitamin K and BCG are treatments given to the baby with
# the parents' consent; feeding is what the ward gives the baby from the first hours
# (and what a separation or a substance-exposed baby changes); religious and cultural
# needs can decide care (blood products, who may examine the mother, rites at birth);
# dietary needs are the ward's meals and allergies. The rest (pain relief, monitoring,
# skin-to-skin, cord clamping, the placenta, positions, photos, the what-ifs) the
# mother and her birth partner tell the midwife in the room, and the parents' copy,
# which the sheet points to by page, holds them in full.
SHEET_WISHES = ("students_present", "vitamin_k", "bcg", "feeding", "religious_needs", "dietary_needs")
WISHES_LEFT_TO_PARENTS = tuple(("wishes", key) for key in
                               ("birth_partners", "pain_relief", "monitoring", "skin_to_skin",
                                "cord_clamping", "placenta", "positions", "photos", "what_ifs", "other"))
# Fields the sheet leaves to the professional copy: none of them changes what the
# ward does at the birth (the solicitor is the parents', the dates are past).
LEFT_TO_PROFESSIONAL = (("legal_status", "plan_date"), ("legal_status", "plo_letter_date"),
                        ("legal_status", "parents_solicitor"), ("discharge", "support_at_home"))
# If the baby cannot stay: the ward acts on the time together; the parents' other wishes
# for a separation are in their copy.
SHEET_IF_SEPARATED = ("time_together",)
IF_SEPARATED_LEFT_TO_PARENTS = tuple(("if_separated", key) for key in
                                     ("photos", "memory_box", "scent_swap", "contact_plan",
                                      "support_for_mother"))
LEFT_TO_OTHER_COPIES = WISHES_LEFT_TO_PARENTS + IF_SEPARATED_LEFT_TO_PARENTS + LEFT_TO_PROFESSIONAL
SHEET_DISCHARGE = ("conditions", "baby_goes_to", "collected_by", "planning_meeting_date",
                   "health_visitor_liaison")
SHEET_LEGAL = ("plan_type", "categories", "stage")
SHEET_WARD = ("arrangement", "observations_by", "supervision_arranged_by", "details",
              "hospital_risk_assessment")
SHORT_PAIR = 90  # characters: a "label: value" pair this short shares its line with others
SEPARATOR = " · "


def sheet_sections(b: Builder, parents_pages: dict) -> list[Section]:
    """The sheet's sections, alerts first. ``parents_pages``: section id -> the page of
    the parents' copy it starts on ("wishes", "if_separated"), where it is known."""
    for path in left_to_other_copies(b.r.view):
        b.r.mark(*path)
    sections = [
        identity(b),
        who_to_tell(b),
        must_not_visit(b),
        _pairs_section(b, "discharge", "ds_alert_discharge", ("discharge",), SHEET_DISCHARGE, alert=True),
        _pairs_section(b, "separation", "separation", ("separation",), SEPARATION, alert=True),
        legal_status(b),
        _pairs_section(b, "ward", "ds_alert_ward", ("ward",), SHEET_WARD, alert=True),
        _pairs_section(b, "baby_health", "baby_health", ("baby_health",), BABY_HEALTH),
        born_elsewhere_or_early(b),
        police(b),
        communication(b),
        difficult_behaviour(b),
        partners_and_wishes(b, parents_pages),
        contacts(b),
    ]
    sections = [s for s in sections if not s.empty]
    _point_to_the_separation_plan(b, sections, parents_pages.get("separation"))
    for section in sections:
        section.wide = section.alert or section.id == "ds_identity"
    return sections


# -- lines: runs of bold labels and plain values ----------------------------------------


def packed(items: list[list[Run]], style: str = "normal") -> Lines:
    """Items (each a few runs) as lines, joined by a dot: a long item starts a new
    line, so the eye finds where each long entry begins; short ones run on."""
    lines: list[list[Run]] = []
    for item in items:
        if lines and sum(_reading_length(run.text) + len(run.after) for run in item) <= SHORT_PAIR:
            lines[-1][-1].after = SEPARATOR
            lines[-1] += item
        else:
            lines.append(list(item))
    return Lines(lines, style)


def _reading_length(text) -> int:
    """How long a piece of a line is for one reader: fixed words in two languages count
    as their longer language, so the bilingual sheet packs its lines as the others do."""
    if isinstance(text, (Phrase, Joined)):
        return max(len(text.text(lang)) for lang in _languages(text))
    return len(str(text))


def _languages(text) -> set:
    if isinstance(text, Phrase):
        return {lang for lang, _ in text.parts}
    return set().union(*(_languages(item) for item in text.items if not isinstance(item, str))) or {"en"}


def pair_lines(rows: list[Row], style: str = "normal") -> Lines:
    """Label/value rows as "**Label:** value" items, packed into lines."""
    return packed([[Run(row.label, strong=True, after=": "), Run(row.value)] for row in rows], style)


def row_line(cells: list[tuple], style: str = "normal") -> list[Run]:
    """One line from (text, bold) cells, empty cells left out, joined by a dot."""
    runs = [Run(text, strong) for text, strong in cells if text is not None and str(text).strip()]
    for run in runs[:-1]:
        run.after = SEPARATOR
    return runs


def _pairs_section(b: Builder, section_id: str, heading: str, base: tuple, keys, alert: bool = False):
    return b.section(section_id, heading, pair_lines(b.rows(base, keys)), alert=alert)


# -- the sections ---------------------------------------------------------------------------


def identity(b: Builder) -> Section:
    """Who the sheet is about, in a few lines at the top."""
    rows = b.rows(("people", "mother"), ("name", "preferred_name", "date_of_birth", "nhs_number",
                                         "hospital_number", "due_date", "physical_disability",
                                         "medical_needs"))
    rows += b.rows(("people",), ("baby_surname", "place_of_birth"))
    if b.r.has("people", "partner") and not _partner_is_birth_partner(b.r.view):
        partner = join([b.r.text("people", "partner", "name"),
                        b.r.text("people", "partner", "relationship")], ", ")
        rows.append(Row(b.label("people", "partner"), partner))
        rows += b.rows(("people", "partner"), ("date_of_birth", "nhs_number"))
    elif b.r.has("people", "partner"):  # named with the birth partners, with their number
        for key in ("name", "relationship"):
            b.r.mark("people", "partner", key)
    for base in (("address",), ("people", "partner", "address")):
        line = b.address_line(base)
        if line:
            rows.append(Row(b.label(*base), line))
    # in the status line at the top, or not for the ward (the pack and nation)
    for path in (("plan", "meeting", "date"), ("plan", "next_review_date"), ("plan", "case_reference"),
                 ("plan", "authority"), ("plan", "nation")):
        b.r.mark(*path)
    return b.section("ds_identity", "ds_identity", pair_lines(rows))


def who_to_tell(b: Builder) -> Section:
    """One box: working hours, out of hours, in calling order, then the instructions.
    A number that is also a contact's carries that contact's name (a midwife at 3 a.m.
    asks for a person: "1. Social worker, Dawn Hetherington") and hours, and is not
    repeated under Contacts: each number to ring is on the sheet once."""
    section = b.section("at_birth", "ds_alert_notify", alert=True)
    nobody = None
    for key in ("in_hours", "out_of_hours"):
        lines = []
        for i, _ in b.r.items("at_birth", key):
            base = ("at_birth", key, i)
            phone = b.r.text(*base, "phone")
            hours = _contact_hours(b, phone)
            who = _who_with_contacts(b, b.r.text(*base, "who"), _contacts_with_number(b.r.view, phone))
            lines.append(row_line([(framed(f"{i + 1}. ", who), True), (phone, True),
                                   (framed("(", hours, ")") if hours else None, False),
                                   (b.r.text(*base, "when"), False)]))
        if key == "out_of_hours" and not lines:
            lines = _out_of_hours_fallback(b)
        if lines:  # "Out of hours: ring in this order", each language whole: "Y tu allan ...: ffoniwch ... / Out of ..."
            section.add(Lines([[Run(join([b.w.heading(key), b.w.phrase("ds_call_in_order")], ": "))]],
                              "subheading"))
            section.add(Lines(lines))
        elif key == "in_hours":  # "in_hours: []": a decision, said as one, not a gap
            nobody = Lines([[Run(join([b.w.heading(key), b.w.phrase("ds_nobody_to_tell")], ": "))]])
            section.add(nobody)
    instructions = b.r.text("at_birth", "instructions")
    if instructions:
        label = b.label("at_birth", "instructions")
        section.add(Lines([[Run(label, True, ": "), Run(instructions, True)]], "alert"))
    if len(section.blocks) == 1 and section.blocks[0] is nobody:  # nobody at all, nothing to do: no alert,
        # but not silence either (the minimal plan's "in_hours: []" and "out_of_hours: []")
        return b.section("at_birth", "ds_alert_notify", Paragraph(b.w.phrase("ds_nobody_at_birth")))
    return section


def _out_of_hours_fallback(b: Builder) -> list[list[Run]]:
    """Who to ring out of hours when the plan lists nobody under at_birth > out_of_hours: the
    3 a.m. question always has an answer in the box. The plan's Emergency Duty Team (its
    contacts) first, else the authority's out-of-hours line (the pack's: out_of_hours.py)."""
    lines = []
    for i in _emergency_duty_team(b.r.view):
        base = ("contacts", i)
        hours = b.r.text(*base, "hours")
        lines.append(row_line([(framed(f"{len(lines) + 1}. ", b.r.text(*base, 'name')), True),
                               (b.r.text(*base, "phone"), True), (framed("(", hours, ")") if hours else None, False)]))
    if not lines and _rings_the_authority_out_of_hours(b.r.view):
        authority = b.pack.authority
        lines.append(row_line([(f"1. {authority['name']}", True), (unbreakable(authority["out_of_hours"]), True)]))
    return lines


def _rings_the_authority_out_of_hours(view: dict) -> bool:
    """The box names someone to ring in working hours (or what to do) but the plan has no
    out-of-hours number of its own: the authority's line goes in the box (and not again
    under Contacts)."""
    at_birth = view.get("at_birth") or {}
    return pack_number_is_needed(view) and bool(at_birth.get("in_hours") or at_birth.get("instructions"))


def _emergency_duty_team(view: dict) -> list[int]:
    """Positions of the plan's Emergency Duty Team contacts with a number, when the plan lists
    nobody to ring out of hours at the birth (the sheet's Who to tell box rings them instead)."""
    if (view.get("at_birth") or {}).get("out_of_hours"):
        return []
    return [path[1] for path, _ in plan_numbers(view) if path[0] == "contacts"]


def must_not_visit(b: Builder) -> Section:
    """Each person on a line: the name and what to do first, then how to know them and why."""
    lines = []
    for i, _ in b.r.items("visitors", "must_not_visit"):
        base = ("visitors", "must_not_visit", i)
        action = b.r.text(*base, "action")
        if action is not None:
            action = str(action).upper()  # acted on at a glance, also in grey print
        lines.append(row_line([
            (b.r.text(*base, "name"), True), (action, True), (b.r.text(*base, "action_detail"), False),
            (b.labelled(base + ("description",), b.r.text(*base, "description")), False),
            (b.labelled(base + ("reason",), b.r.text(*base, "reason")), False)]))
    return b.section("must_not_visit", "ds_alert_must_not_visit", Lines(lines), alert=True)


def legal_status(b: Builder) -> Section:
    """The plan, categories and stage, then parental responsibility under one label:
    "**Parental responsibility: Mother:** Yes · **Father:** Yes, once named ..."."""
    items = [[Run(row.label, True, ": "), Run(row.value)] for row in b.rows(("legal_status",), SHEET_LEGAL)]
    base = ("legal_status", "parental_responsibility")
    parents = b.rows(base, ("mother", "father"))
    if parents:
        runs = [Run(b.label(*base), True, ": ")]
        for row in parents:
            runs += [Run(row.label, True, ": "), Run(row.value, after=SEPARATOR)]
        runs[-1].after = ""
        items.append(runs)
    return b.section("legal_status", "ds_alert_legal", packed(items), alert=True)


def _partner_is_birth_partner(view: dict) -> bool:
    """Whether the partner is one of the birth partners, by name and relationship, with
    nothing else about them here (a date of birth or number needs the name beside it):
    the sheet then names them once, with the birth partners, where their number is."""
    partner = view.get("people", {}).get("partner", {})
    if any(key in partner for key in ("date_of_birth", "nhs_number", "address")):
        return False
    return any(p.get("name") == partner.get("name") and p.get("relationship") == partner.get("relationship")
               for p in view.get("visitors", {}).get("birth_partners", []))


def born_elsewhere_or_early(b: Builder) -> Section:
    """If the baby comes at home, in an ambulance, at another unit or early: one block,
    with who the crew or the other unit rings (names and numbers in bold), unless they
    ring the people under Who to tell, in the same order (each number is on the sheet once)."""
    base = ("born_elsewhere",)
    section = b.section("born_elsewhere", "born_elsewhere",
                        pair_lines(b.rows(base, BORN_ELSEWHERE) +
                                   b.rows(("early_birth",), ("contingency", "may_go_missing"))))
    if _calls_as_at_birth(b.r.view):
        for key in ("in_hours", "out_of_hours"):
            b.r.mark(*base, key)
        return section
    for key in ("in_hours", "out_of_hours"):
        lines = [row_line([(framed(f"{i + 1}. ", b.r.text(*base, key, i, 'who')), True),
                           (b.r.text(*base, key, i, "phone"), True), (b.r.text(*base, key, i, "when"), False)])
                 for i, _ in b.r.items(*base, key)]
        if lines:
            section.add(Lines([[Run(b.label(*base, key))]], "subheading"))
            section.add(Lines(lines))
    return section


def _calls_as_at_birth(view: dict) -> bool:
    """Whether whoever delivers the baby elsewhere rings the same people, in the same order,
    as the ward does under Who to tell (names and numbers alike, no times of their own)."""
    elsewhere, at_birth = view.get("born_elsewhere", {}), view.get("at_birth", {})
    if not any(elsewhere.get(key) for key in ("in_hours", "out_of_hours")):
        return False
    for key in ("in_hours", "out_of_hours"):
        theirs, ours = elsewhere.get(key, []), at_birth.get(key, [])
        if len(theirs) != len(ours):
            return False
        for them, us in zip(theirs, ours):
            if them.get("who") != us.get("who") or them.get("when") not in (None, us.get("when")) \
                    or not same_number(str(them.get("phone", "")), str(us.get("phone", ""))):
                return False
    return True


def police(b: Builder) -> Section:
    rows = []
    officer = b.person(("police", "officer"))
    if officer:
        rows.append(Row(b.label("police", "officer"), officer))
    rows += b.rows(("police",), ("reference",))
    return b.section("police", "police", pair_lines(rows))


def communication(b: Builder) -> Section:
    rows = b.rows(("communication",), ("preferred_language", "other_language", "interpreter",
                                       "interpreter_language", "bsl"))
    advocate = b.person(("communication", "advocate"))
    if advocate:
        rows.append(Row(b.label("communication", "advocate"), advocate))
    rows += b.rows(("communication",), ("learning_disability_support", "formats"))
    return b.section("communication", "ds_communication", pair_lines(rows))


def difficult_behaviour(b: Builder) -> Section:
    lines = []
    for i, _ in b.r.items("visitors", "difficult_behaviour"):
        base = ("visitors", "difficult_behaviour", i)
        lines.append(row_line([
            (b.r.text(*base, "name"), True), (b.r.text(*base, "relationship"), False),
            (b.labelled(base + ("concern",), b.r.text(*base, "concern")), False),
            (b.labelled(base + ("guidance",), b.r.text(*base, "guidance")), False)]))
    return b.section("difficult_behaviour", "ds_difficult_behaviour", Lines(lines))


def partners_and_wishes(b: Builder, parents_pages: dict) -> Section:
    """Under "Parents' wishes": the birth partners, one a line ("**Birth partners:**
    **name** · relationship · **number**"); the wishes a midwife must act on
    (SHEET_WISHES) and, if the baby cannot stay, the time together the ward gives the
    parents; then one pointer to where the rest are (the page of the parents' wishes,
    or of their wishes for a separation)."""
    section = b.section("ds_wishes", "wishes")
    partners = []
    for i, _ in b.r.items("visitors", "birth_partners"):
        base = ("visitors", "birth_partners", i)
        partners.append(row_line([(b.r.text(*base, "name"), True), (b.r.text(*base, "relationship"), False),
                                  (b.r.text(*base, "phone"), True)]))
    if partners:
        partners[0].insert(0, Run(b.w.heading("birth_partners"), True, ": "))
        section.add(Lines(partners, "group"))  # kept together: no name at a column's top without its label
    rows = b.rows(("wishes",), SHEET_WISHES) + b.rows(("if_separated",), SHEET_IF_SEPARATED)
    section.add(pair_lines(rows))
    if rows or any(b.r.has(*path) for path in WISHES_LEFT_TO_PARENTS + IF_SEPARATED_LEFT_TO_PARENTS):
        page = parents_pages.get("wishes" if b.r.has("wishes") else "if_separated")
        section.add(_where_the_rest_is(b, page))
    return section


def _where_the_rest_is(b: Builder, page: int | None) -> Paragraph:
    """"Full wishes: parents' copy, page 2": the page of the parents' copy laid out from
    the same version, or the professional copy (which holds everything) when the
    parents' copy does not hold them."""
    if page:
        return Paragraph(b.w.phrase("ds_full_wishes_page", page=page), "note")
    return Paragraph(b.w.phrase("ds_full_wishes"), "note")


def _contacts_with_number(view: dict, phone) -> list[int]:
    """Positions of the contacts with this number (however it is spaced)."""
    return [i for i, contact in enumerate(view.get("contacts", []))
            if phone and contact.get("phone") and same_number(str(contact["phone"]), str(phone))]


def _who_with_contacts(b: Builder, who: str, positions: list[int]) -> str:
    """A line's "who" with what its contacts (same number) add: each one's name that the
    line does not say already, and the role when the line names none, so that the
    contact's own line can go (``notified_contacts``) without losing the person to ask
    for. ("Priya Raman (social worker)" stays as written when she is also the key worker.)"""
    extras = []
    for i in positions:
        name = b.r.text("contacts", i, "name")
        if name and not names_person(who, name) and not any(names_person(extra, name) for extra in extras):
            extras.append(name)
    if positions and not roles_named(who) and b.r.raw("contacts", positions[0], "role", mark=False) != "other":
        extras.append(b.r.text("contacts", positions[0], "role"))
    return join([who, *extras], ", ")


def _point_to_the_separation_plan(b: Builder, sections: list[Section], page: int | None) -> None:
    """Plan text on the sheet that names the separation plan ("otherwise as the separation
    plan says") when the sheet has no Separation plan box (its parts the ward may see are
    where the baby goes and who takes the baby; the rest is for the parents and the
    professionals): the section saying it gets one line saying where the plan is, the page
    of the parents' copy (laid out from the same version) or else the professional copy."""
    if any(section.id == "separation" for section in sections):
        return
    names = [_plain(Words(b.pack, language, b.audience).heading("separation").text(language))
             for language in b.pack.languages]
    for section in sections:
        if any(name in _plain(text) for text in _texts(section) for name in names):
            section.add(Paragraph(b.w.phrase("ds_separation_page", page=page) if page
                                  else b.w.phrase("ds_separation"), "note"))
            return


def _texts(section: Section):
    """The plan's words in a sheet section (its lines and paragraphs)."""
    for block in section.blocks:
        if isinstance(block, Lines):
            yield from (str(run.text) for line in block.lines for run in line)
        elif isinstance(block, Paragraph):
            yield str(block.text)


def _plain(text: str) -> str:
    return " ".join(str(text).lower().split())


def notified_contacts(view: dict) -> set[int]:
    """Positions of the contacts whose number is under Who to tell (however it is spaced)."""
    at_birth = view.get("at_birth", {})
    numbers = [str(entry["phone"]) for key in ("in_hours", "out_of_hours")
               for entry in at_birth.get(key, []) if entry.get("phone")]
    return {i for i, contact in enumerate(view.get("contacts", []))
            if contact.get("phone") and any(same_number(str(contact["phone"]), n) for n in numbers)
            } | set(_emergency_duty_team(view))


def left_to_other_copies(view: dict) -> list[tuple]:
    """The paths in ``view`` the sheet leaves to the other copies: the wishes and
    details in LEFT_TO_OTHER_COPIES, every contact's email and organisation (a ward
    rings), and the role and name of a contact whose number is already under Who to
    tell (the line there says them or carries them: ``_who_with_contacts``)."""
    def has(path):
        value = view
        for key in path:
            if not isinstance(value, dict) or key not in value:
                return False
            value = value[key]
        return True

    paths = [path for path in LEFT_TO_OTHER_COPIES if has(path)]
    notified = notified_contacts(view)
    for i, contact in enumerate(view.get("contacts", [])):
        keys = ("email", "organisation") + (("role", "name") if i in notified else ())
        paths += [("contacts", i, key) for key in keys if key in contact]
    return paths


def _contact_hours(b: Builder, phone):
    """The hours of the contact with this number, shown beside it under Who to tell."""
    for i in _contacts_with_number(b.r.view, phone):
        if b.r.has("contacts", i, "hours"):
            return b.r.text("contacts", i, "hours")
    return None


def contacts(b: Builder) -> Section:
    """"**Role:** name **number** (hours)", packed, for the numbers not already under
    Who to tell. A ward rings, so the email and organisation are left to the
    professional copy."""
    notified = notified_contacts(b.r.view)
    items = []
    for i, _ in b.r.items("contacts"):
        base = ("contacts", i)
        if i in notified:  # its number, name and hours are in the Who to tell box
            b.r.mark(*base)
            continue
        hours = b.r.text(*base, "hours")
        item = [Run(b.r.text(*base, "role"), True, ": "), Run(b.r.text(*base, "name"), after=" ")]
        if b.r.text(*base, "phone"):
            item.append(Run(b.r.text(*base, "phone"), True))
        if hours:
            item[-1].after = " "
            item.append(Run(framed("(", hours, ")")))
        items.append(item)
    items.append([Run(b.authority_numbers(out_of_hours=not _rings_the_authority_out_of_hours(b.r.view)))])  # the council's switchboard, on the same lines
    return b.section("contacts", "ds_contacts", packed(items))


# -- the status at the top -------------------------------------------------------------------


def status_lines(words, stamp, view: dict):
    """("DRAFT: not agreed" or "Agreed version 3 · review 14 January 2027 · next review ...",
    a warning when a newer version has been agreed since, or None)."""
    if stamp.is_draft:
        status = words.phrase("ds_status_draft")
    else:  # in two languages each date once: "... adolygiad / ... review 14 Ionawr / January 2027"
        status = words.phrase_value_once("ds_status_agreed", "date", words.date(stamp.review_date),
                                         number=stamp.version)
        next_review = view.get("plan", {}).get("next_review_date")
        if next_review:
            status = joined(status, SEPARATOR,
                            words.phrase_value_once("ds_status_next_review", "date", words.date(next_review)))
    newer = None
    if getattr(stamp, "newer_version", None) is not None:
        newer = words.phrase("ds_status_newer", number=stamp.newer_version,
                             date=words.date(stamp.newer_review_date))
    return status, newer
