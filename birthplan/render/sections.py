"""Section builders shared by the three copies.

Each builder reads one part of an audience's view through a ViewReader and
returns Sections (or nothing when the view holds nothing for it). Builders
never decide who may see what: the view already holds only what this
audience may see.
"""

from __future__ import annotations

from birthplan.render.i18n import joined
from birthplan.render.model import Fields, Paragraph, Row, Section, Table
from birthplan.render.reader import ViewReader, framed, join, unbreakable

WISHES = ("birth_partners", "pain_relief", "skin_to_skin", "feeding", "cord_clamping", "vitamin_k",
          "photos", "religious_needs", "dietary_needs", "students_present", "positions", "monitoring",
          "placenta", "bcg")
WHAT_IFS = ("induction", "caesarean", "special_care")
IF_SEPARATED = ("time_together", "photos", "memory_box", "scent_swap",
                "support_for_mother")
MOTHER = ("name", "preferred_name", "date_of_birth", "nhs_number", "hospital_number", "due_date",
          "physical_disability", "medical_needs")
PARTNER = ("name", "relationship", "date_of_birth", "nhs_number")
COMMUNICATION = ("preferred_language", "other_language", "interpreter", "interpreter_language",
                 "bsl", "learning_disability_support", "formats")
LEGAL = ("plan_type", "plan_date", "categories", "stage", "plo_letter_date")
WARD = ("arrangement", "observations_by", "supervision_arranged_by", "details",
        "hospital_risk_assessment")
BABY_HEALTH = ("substance_exposure", "observation_period", "parent_summary")
DISCHARGE = ("conditions", "baby_goes_to", "collected_by", "planning_meeting_date", "support_at_home",
             "health_visitor_liaison")
SEPARATION = ("who_tells_parents", "when_told", "baby_goes_to", "who_takes_baby", "what_parents_told",
              "contact_after")
BORN_ELSEWHERE = ("home", "ambulance", "other_hospital")
COURT = ("legal_planning_meeting_date", "first_hearing_date", "transport", "remote_hearing", "other_help")
CONFERENCE = ("date", "recommendations")


class Builder:
    """Builds sections for one audience from its view."""

    def __init__(self, reader: ViewReader, audience: str, pack):
        self.r = reader
        self.w = reader.words
        self.audience = audience
        self.pack = pack
        reader.mark("schema_version")  # for programs, not people

    # -- small helpers -------------------------------------------------------

    def label(self, *path):
        return self.w.label(tuple(path), self.audience)

    def field_header(self) -> tuple:
        return (self.w.phrase("field"), self.w.phrase("details"))

    def rows(self, base: tuple, keys) -> list[Row]:
        out = []
        for key in keys:
            value = self.r.text(*base, key)
            if value is not None and str(value).strip():
                out.append(Row(self.label(*base, key), value))
        return out

    def fields(self, base: tuple, keys) -> Fields:
        return Fields(self.field_header(), self.rows(base, keys))

    def labelled(self, path: tuple, value):
        """"Label: value" inside a table cell (plain text, one language pair; the value keeps
        the language mark of the plan's words)."""
        if value is None or not str(value).strip():
            return None
        return framed(f"{self.label(*path)}: ", value)

    def person(self, base: tuple) -> str | None:
        """A contact written on one line: name, organisation, phone."""
        if not self.r.has(*base):
            return None
        return join([self.r.text(*base, "name"), self.r.text(*base, "organisation"),
                     self.r.text(*base, "phone")], ", ")

    def section(self, section_id: str, heading_key: str, *blocks, level: int = 1,
                alert: bool = False) -> Section:
        heading = self.w.heading(heading_key)
        if alert:  # "ALERT: Who to tell"; two languages: "RHYBUDD / ALERT: Pwy i'w ffonio / Who to tell"
            heading = joined(self.w.phrase("alert"), ": ", heading)
        section = Section(section_id, heading, level=level, alert=alert)
        for block in blocks:
            section.add(block)
        return section

    # -- plan and meeting ----------------------------------------------------

    def plan_details(self, heading="plan_details") -> list[Section]:
        rows = self.rows(("plan",), ("case_reference",))
        if self.audience == "parent":
            # which template pack and nation's terms the copy uses is for staff, not parents
            self.r.mark("plan", "authority")
            self.r.mark("plan", "nation")
        else:
            authority = self.r.text("plan", "authority")
            if authority is not None:
                rows.append(Row(self.label("plan", "authority"), authority))
            rows += self.rows(("plan",), ("nation",))
        rows += self.rows(("plan", "meeting"), ("date", "type"))
        rows += self.rows(("plan",), ("next_review_date",))
        main = self.section("plan_details", heading, Fields(self.field_header(), rows))
        return [main, *self.attendees()]

    def attendees(self) -> list[Section]:
        rows = [(self.r.text("plan", "meeting", "attendees", i, "name"),
                 self.r.text("plan", "meeting", "attendees", i, "role"),
                 self.r.text("plan", "meeting", "attendees", i, "agency") or "")
                for i, _ in self.r.items("plan", "meeting", "attendees")]
        columns = (self.w.phrase("name"), self.w.phrase("role"), self.w.phrase("agency"))
        return [self.section("attendees", "attendees", Table(columns, rows), level=2)] if rows else []

    # -- people --------------------------------------------------------------

    def people(self, heading="people", level: int = 1) -> list[Section]:
        out = [self.section("people", heading, self.fields(("people",), ("baby_surname", "place_of_birth")),
                            level=level)]
        out.append(self.section("mother", "mother", self.fields(("people", "mother"), MOTHER),
                                level=level + 1))
        if self.r.has("people", "partner"):
            partner = self.fields(("people", "partner"), PARTNER)
            address = self.address_line(("people", "partner", "address"))
            if address:
                partner.rows.append(Row(self.label("people", "partner", "address"), address))
            out.append(self.section("partner", "partner", partner, level=level + 1))
        siblings = [(self.r.text("people", "siblings", i, "name"),
                     self.r.text("people", "siblings", i, "date_of_birth") or "",
                     self.r.text("people", "siblings", i, "lives_with") or "")
                    for i, _ in self.r.items("people", "siblings")]
        if siblings:
            columns = (self.w.phrase("name"), self.w.phrase("date_of_birth"), self.w.phrase("lives_with"))
            out.append(self.section("siblings", "siblings", Table(columns, siblings), level=level + 1))
        return [s for s in out if not s.empty]

    def address(self, level: int = 1) -> list[Section]:
        if not self.r.has("address"):
            return []
        keys = ["lines", "postcode"]
        if self.audience == "professional":
            keys.append("protected")
        else:
            self.r.mark("address", "protected")  # only ever false here: nothing to tell
        return [self.section("address", "address", self.fields(("address",), keys), level=level)]

    def address_line(self, base: tuple):
        """An address on one line; the professional copy says when it is protected.
        (Other copies never hold a protected address: ``audience.view_for`` took it out.)"""
        if not self.r.has(*base):
            return None
        line = join([join(self.r.raw(*base, "lines", default=[]), ", "), self.r.text(*base, "postcode")], ", ")
        protected = self.r.raw(*base, "protected", default=False)
        if protected and self.audience == "professional":
            line = join([line, self.labelled(base + ("protected",), self.w.yes_no(True))], " · ")
        return line

    def communication(self, heading="communication", level: int = 1) -> list[Section]:
        rows = self.rows(("communication",), COMMUNICATION[:5])
        advocate = self.person(("communication", "advocate"))
        if advocate:
            rows.append(Row(self.label("communication", "advocate"), advocate))
        rows += self.rows(("communication",), COMMUNICATION[5:])
        section = self.section("communication", heading, Fields(self.field_header(), rows), level=level)
        return [] if section.empty else [section]

    def legal_status(self, heading="legal_status", alert: bool = False, level: int = 1) -> list[Section]:
        rows = self.rows(("legal_status",), LEGAL)
        solicitor = self.person(("legal_status", "parents_solicitor"))
        if solicitor:
            rows.append(Row(self.label("legal_status", "parents_solicitor"), solicitor))
        rows += self.rows(("legal_status", "parental_responsibility"), ("mother", "father"))
        section = self.section("legal_status", heading, Fields(self.field_header(), rows),
                               alert=alert, level=level)
        parts = [section, *self.voluntary_accommodation(level + 1),
                 *self.simple("court", "court", ("legal_status", "court"), COURT, level=level + 1)]
        return [] if all(part.empty for part in parts) else parts

    def voluntary_accommodation(self, level: int = 2) -> list[Section]:
        """Consent to accommodation (section 20 / section 76): never shown as agreed unless
        the plan records ``decision: agreed``; with no decision the copy says so."""
        base = ("legal_status", "voluntary_accommodation")
        if not self.r.has(*base):
            return []
        rows = self.rows(base, ("proposed", "legal_advice", "capacity"))
        present = [join([self.r.text(*base, "present", i, "name"), self.r.text(*base, "present", i, "role"),
                         self.r.text(*base, "present", i, "agency")], ", ")
                   for i, _ in self.r.items(*base, "present")]
        if present:
            rows.append(Row(self.label(*base, "present"), join(present, "\n")))
        decision = self.r.text(*base, "decision") or self.w.phrase("no_decision_recorded")
        rows.append(Row(self.label(*base, "decision"), decision))
        rows += self.rows(base, ("decision_date",))
        return [self.section("voluntary_accommodation", "voluntary_accommodation",
                             Fields(self.field_header(), rows), level=level)]

    def concerns(self, heading="concerns") -> list[Section]:
        section = self.section("concerns", heading,
                               self.fields(("concerns",), ("summary", "parent_summary")))
        return [] if section.empty else [section]

    # -- contacts and the birth ----------------------------------------------

    def contacts(self, heading="contacts", with_numbers: bool = True) -> list[Section]:
        rows = []
        for i, _ in self.r.items("contacts"):
            base = ("contacts", i)
            name = join([self.r.text(*base, "name"), self.r.text(*base, "organisation")], "\n")
            reach = join([self.r.text(*base, "phone"), self.r.text(*base, "hours"),
                          self.r.text(*base, "email")], "\n")
            rows.append((self.r.text(*base, "role"), name, reach))
        columns = (self.w.phrase("role"), self.w.phrase("name_and_organisation"),
                   self.w.phrase("phone_and_hours"))
        section = self.section("contacts", heading, Table(columns, rows))
        if with_numbers:
            section.add(Paragraph(self.authority_numbers(), "note"))
        return [section]

    def contacts_compact(self, heading="ds_contacts") -> list[Section]:
        """Contacts one line each: role, then name, organisation, phone, hours, email."""
        rows = []
        for i, _ in self.r.items("contacts"):
            base = ("contacts", i)
            details = join([self.r.text(*base, "name"), self.r.text(*base, "organisation"),
                            self.r.text(*base, "phone"), self.r.text(*base, "hours"),
                            self.r.text(*base, "email")], " · ")
            rows.append(Row(self.r.text(*base, "role"), details))
        section = self.section("contacts", heading, Fields(self.field_header(), rows),
                               Paragraph(self.authority_numbers(), "note"))
        return [section]

    def authority_numbers(self, out_of_hours: bool = True):
        """The authority's switchboard, and its out-of-hours number (pack data) only when
        the plan names none of its own: the numbers to ring come from one place.
        ``out_of_hours=False``: it is shown elsewhere on the page (the sheet's Who to tell)."""
        from birthplan.out_of_hours import pack_number_is_needed

        authority = self.pack.authority
        numbers = [self.w.phrase_value_once("switchboard", "number", unbreakable(authority["switchboard"]))]
        if out_of_hours and pack_number_is_needed(self.r.view):
            numbers.append(self.w.phrase_value_once("out_of_hours_number", "number",
                                                    unbreakable(authority["out_of_hours"])))
        return numbers[0] if len(numbers) == 1 else joined(numbers[0], " · ", numbers[1])

    def notify_table(self, key: str) -> Table:
        rows = []
        for i, _ in self.r.items("at_birth", key):
            base = ("at_birth", key, i)
            who = framed(f"{i + 1}. ", self.r.text(*base, 'who'))
            rows.append((who, self.r.text(*base, "phone") or "", self.r.text(*base, "when") or ""))
        return Table((self.w.phrase("who"), self.w.phrase("phone"), self.w.phrase("when")), rows)

    def at_birth(self, heading="at_birth", alert: bool = False) -> list[Section]:
        main = self.section("at_birth", heading, Paragraph(self.w.phrase("call_in_order"), "lead"),
                            alert=alert)
        out = [main]
        for key in ("in_hours", "out_of_hours"):
            table = self.notify_table(key)
            sub = self.section(key, key, table if table.rows else
                               Paragraph(self.w.phrase("none_listed"), "note"), level=2)
            out.append(sub)
        instructions = self.r.text("at_birth", "instructions")
        if instructions:
            out[-1].add(Paragraph(self.labelled(("at_birth", "instructions"), instructions), "alert"))
        return out

    def born_elsewhere(self, heading="born_elsewhere", level: int = 1) -> list[Section]:
        """If the baby comes at home, in an ambulance or at another hospital, and who the
        ambulance service or the other unit calls: one compact block (it shares the sheet)."""
        base = ("born_elsewhere",)
        rows = self.rows(base, BORN_ELSEWHERE)
        for key in ("in_hours", "out_of_hours"):
            calls = [join([framed(f"{i + 1}. ", self.r.text(*base, key, i, 'who')), self.r.text(*base, key, i, "phone"),
                           self.r.text(*base, key, i, "when")], " · ")
                     for i, _ in self.r.items(*base, key)]
            if calls:
                rows.append(Row(self.label(*base, key), join(calls, "\n")))
        section = self.section("born_elsewhere", heading, Fields(self.field_header(), rows), level=level)
        return [] if section.empty else [section]

    def early_birth(self, heading="early_birth", level: int = 1) -> list[Section]:
        base = ("early_birth",)
        rows = self.rows(base, ("contingency", "may_go_missing"))
        alerts = [(self.r.text(*base, "alerts", i, "to"), self.r.text(*base, "alerts", i, "kind") or "",
                   join([self.r.text(*base, "alerts", i, "by"), self.r.text(*base, "alerts", i, "date")], ", "))
                  for i, _ in self.r.items(*base, "alerts")]
        section = self.section("early_birth", heading, Fields(self.field_header(), rows), level=level)
        if alerts:
            columns = (self.label(*base, "alerts", "to"), self.label(*base, "alerts", "kind"),
                       join([self.label(*base, "alerts", "by"), self.label(*base, "alerts", "date")], ", "))
            section.add(Table(columns, alerts))
        return [] if section.empty else [section]

    def police(self, heading="police", level: int = 1) -> list[Section]:
        rows = []
        officer = self.person(("police", "officer"))
        if officer:
            rows.append(Row(self.label("police", "officer"), officer))
        rows += self.rows(("police",), ("reference",))
        section = self.section("police", heading, Fields(self.field_header(), rows), level=level)
        return [] if section.empty else [section]

    def withheld_from_parents(self, heading="withheld_from_parents") -> list[Section]:
        """What is kept from the parents, why, on what basis and who decided (professional copy)."""
        base = ("withheld_from_parents",)
        rows = []
        for i, record in self.r.items(*base):
            where = self.r.text(*base, i, "field")
            field = self.field_words(_schema_path(where)) if _schema_path(where) else where
            decided = join([self.labelled(base + (i, "authorised_by"), self.r.text(*base, i, "authorised_by")),
                            self.labelled(base + (i, "date"), self.r.text(*base, i, "date"))], "\n")
            rows.append((join([field, where], "\n"), self.r.text(*base, i, "reason") or "",
                         join([self.r.text(*base, i, "legal_basis"), decided], "\n")))
        # three columns: the Word templates' tables have three
        columns = (self.label(*base, "field"), self.label(*base, "reason"), self.label(*base, "legal_basis"))
        section = self.section("withheld_from_parents", heading, Table(columns, rows))
        return [] if section.empty else [section]

    def field_words(self, path: tuple):
        """A field named for people: "Visitors › Must not visit › Lee Carver › Reason"."""
        parts = []
        for depth, part in enumerate(path):
            if isinstance(part, int):
                name = self.r.raw(*path[:depth + 1], "name", mark=False)
                parts.append(name if isinstance(name, str) else str(part + 1))
            else:
                parts.append(self.w.label(path[:depth + 1]))
        return join(parts, " › ")

    def must_not_visit_rows(self) -> list[tuple]:
        rows = []
        for i, _ in self.r.items("visitors", "must_not_visit"):
            base = ("visitors", "must_not_visit", i)
            know = join([self.labelled(base + ("description",), self.r.text(*base, "description")),
                         self.labelled(base + ("reason",), self.r.text(*base, "reason"))], "\n")
            action = self.r.text(*base, "action")
            if action is not None and self.audience == "delivery_suite":
                action = str(action).upper()  # the ward acts on it at a glance, also in grey print
            act = join([action, self.r.text(*base, "action_detail")], "\n")
            rows.append((self.r.text(*base, "name"), know, act))
        return rows

    def birth_partners(self) -> Section:
        rows = [(self.r.text("visitors", "birth_partners", i, "name"),
                 self.r.text("visitors", "birth_partners", i, "relationship") or "",
                 self.r.text("visitors", "birth_partners", i, "phone") or "")
                for i, _ in self.r.items("visitors", "birth_partners")]
        columns = (self.w.phrase("name"), self.w.phrase("relationship"), self.w.phrase("phone"))
        return self.section("birth_partners", "birth_partners", Table(columns, rows), level=2)

    def must_not_visit(self, heading="must_not_visit", alert: bool = False, level: int = 2) -> Section:
        """Who must not visit; on an alert, "none listed" is said rather than left out."""
        columns = (self.w.phrase("name"), self.w.phrase("what_staff_know"), self.w.phrase("action"))
        table = Table(columns, self.must_not_visit_rows())
        section = self.section("must_not_visit", heading, table, alert=alert, level=level)
        if alert and section.empty:
            section.add(Paragraph(self.w.phrase("none_listed"), "note"))
        return section

    def visitors(self, heading="visitors") -> list[Section]:
        parts = [self.birth_partners(), self.must_not_visit(), self.difficult_behaviour(level=2)]
        shown = [s for s in parts if not s.empty]
        return [self.section("visitors", heading), *shown] if shown else []

    def difficult_behaviour(self, heading="difficult_behaviour", level: int = 2) -> Section:
        rows = []
        for i, _ in self.r.items("visitors", "difficult_behaviour"):
            base = ("visitors", "difficult_behaviour", i)
            name = join([self.r.text(*base, "name"), self.r.text(*base, "relationship")], "\n")
            rows.append((name, self.r.text(*base, "concern") or "", self.r.text(*base, "guidance") or ""))
        columns = (self.w.phrase("name"), self.w.phrase("concern"), self.w.phrase("guidance"))
        return self.section("difficult_behaviour", heading, Table(columns, rows), level=level)

    # -- after the birth -----------------------------------------------------

    def simple(self, section_id: str, heading: str, base: tuple, keys, alert: bool = False,
               level: int = 1) -> list[Section]:
        section = self.section(section_id, heading, self.fields(base, keys), alert=alert, level=level)
        return [] if section.empty else [section]

    def wishes(self, heading="wishes", keys=WISHES) -> list[Section]:
        rows = self.rows(("wishes",), keys)
        rows += self.rows(("wishes", "what_ifs"), WHAT_IFS)
        rows += self.rows(("wishes",), ("other",))
        section = self.section("wishes", heading, Fields(self.field_header(), rows))
        return [] if section.empty else [section]

    def appointments(self, heading="appointments") -> list[Section]:
        """Every agency's appointments as one list in date and time order."""
        items = self.r.items("appointments")
        items.sort(key=lambda pair: (pair[1].get("date", ""), pair[1].get("start", ""),
                                     pair[1].get("end", "")))
        rows = []
        for i, item in items:
            base = ("appointments", i)
            when = self.w.when(item.get("date", ""), item.get("start"), item.get("end"))
            for key in ("date", "start", "end"):
                self.r.mark(*base, key)  # shown in "when"
            reference = None
            if self.audience == "professional":  # the id links the calendar entry; parents need not see it
                reference = self.labelled(base + ("id",), self.r.text(*base, "id"))
            else:
                self.r.mark(*base, "id")
            what = join([self.r.text(*base, "what"),
                         self.labelled(base + ("agency",), self.r.text(*base, "agency")),
                         self.labelled(base + ("with",), self.r.text(*base, "with")), reference], "\n")
            where = join([self.r.text(*base, "where"), self.r.text(*base, "town"),
                          self.labelled(base + ("notes_for_parents",),
                                        self.r.text(*base, "notes_for_parents"))], "\n")
            rows.append((when, what, where))
        columns = (self.w.phrase("when"), self.w.phrase("what"), self.w.phrase("where"))
        section = self.section("appointments", heading, Table(columns, rows))
        return [] if section.empty else [section]

    def agreement(self, heading="agreement") -> list[Section]:
        main = self.section("agreement", heading,
                            self.fields(("agreement",), ("parents_views", "disagreements")))
        rows = [(self.r.text("agreement", "agreed_by", i, "name"),
                 self.r.text("agreement", "agreed_by", i, "role"),
                 self.r.text("agreement", "agreed_by", i, "date") or "")
                for i, _ in self.r.items("agreement", "agreed_by")]
        columns = (self.w.phrase("name"), self.w.phrase("role"), self.w.phrase("date"))
        agreed = self.section("agreed_by", "agreed_by", Table(columns, rows), level=2)
        return [s for s in (main, agreed) if not s.empty] if rows or not main.empty else []

    def leftovers(self) -> list[Section]:
        """Anything in the view no builder showed, so nothing is ever dropped unseen."""
        rows = []
        for path in self.r.leftovers():
            value = self.r.text(*path)
            if value is not None and str(value).strip():
                rows.append(Row(self.w.label(path), value))
        return [self.section("other_details", "other_details", Fields(self.field_header(), rows))] \
            if rows else []


def _schema_path(dotted_path: str) -> tuple:
    """"visitors.must_not_visit.1.reason" -> ("visitors", "must_not_visit", 0, "reason"), or ()
    when it names no field of the schema (the label then falls back to the words written)."""
    from birthplan import fields

    path = tuple(int(part) - 1 if part.isdigit() else part for part in str(dotted_path).split("."))
    return path if fields.node_at(path) is not None and path else ()
