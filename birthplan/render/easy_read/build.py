"""The Easy Read parents' copy, built from the parents' view of the plan only.

It covers what a parent must know, one topic at a time: who will be with me;
what I want for my birth (my wishes, in my own words); what happens when labour
starts and who will be told; who must not come and what staff will do; what
happens after the birth and where the baby may go; time together, photos and
the memory box if the baby cannot stay; the law and my baby (``law.py``); my
appointments; who can help me, with their numbers; words to know; and about
this plan. Every sentence is one of the pack's fixed Easy Read sentences with
the plan's short values put in (names, places, dates, numbers); where the plan
only has its own words (a wish, where the baby will go) they follow the fixed
sentence one sentence a line, as written.
"""

from __future__ import annotations

import datetime as dt
import re

from birthplan.out_of_hours import pack_number_is_needed
from birthplan.render.easy_read.model import EasyReadDocument, Line, Point, Run, Topic
from birthplan.render.easy_read.words import CALLED, WISHES
from birthplan.render.glossary import terms_used
from birthplan.render.i18n import PlanWords
from birthplan.render.reader import join, plan_words_language, unbreakable
from birthplan.render.sections import WHAT_IFS

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def build_easy_read(view: dict, words, easy, pack, stamp, changes=(), today=None) -> EasyReadDocument:
    """``words`` are the pack's ordinary words (dates, the stamp), ``easy`` its Easy Read sentences;
    ``changes`` are the parents' changes since the version compared with (only whether there are any
    is said: the standard copy lists them); ``today`` (default: today, as the record's rules see it)
    decides whether a dated sentence is still ahead ("We will talk ...") or past."""
    from birthplan.history import rules
    from birthplan.render.documents import _stamp, _theme

    from birthplan.render.easy_read.law import law_topic

    b = _Builder(view, words, easy, today or rules.today())
    topics = [
        b.with_me(),
        b.wishes(),
        b.labour(),
        b.must_not_come(),
        b.after_birth(),
        b.if_separated(),
        law_topic(b),
        b.appointments(),
        b.help(pack),
    ]
    topics = [t for t in topics if t.points]
    state = "agreed" if not stamp.is_draft else "draft" if stamp.version is None else "redraft"
    intro = Point(easy.picture("plan"), easy.intro(state))
    texts = [line.text for topic in topics for point in topic.points for line in point.lines]
    words_topic = b.words_to_know(pack, texts)
    if words_topic.points:
        topics.append(words_topic)
    topics.append(b.about(stamp, changes))
    reference = view.get("plan", {}).get("case_reference", "")
    version = str(words.phrase("version", number=stamp.version)) if stamp.version is not None else ""
    title = " – ".join(p for p in (easy.title(), reference, version,
                                   str(words.phrase("draft_banner")) if stamp.is_draft else "") if p)
    return EasyReadDocument(
        audience="parent", language=words.language, lang_tag=words.lang_tag, title=title,
        heading=easy.title(), intro=intro, topics=topics, stamp=_stamp(words, stamp),
        theme=_theme(words, pack), words={k: str(words.phrase(k)) for k in ("page", "of")},
        credit=easy.text("pictures_credit"))


def plan_lines(text, lang: str | None = None) -> list[Line]:
    """The plan's own words, one sentence a line, never bold; marked with ``lang`` (the
    language they are written in) when the copy is in another language."""
    if text is None or not str(text).strip():
        return []
    sentences = []
    for paragraph in str(text).splitlines():
        sentences += [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]
    return [Line([Run(PlanWords(sentence, lang) if lang else sentence)], plan_words=True)
            for sentence in sentences]


def phone_text(number) -> str:
    """A phone number (already in its one display form) that never breaks across lines,
    and that the HTML copy makes a tel: link."""
    return unbreakable(str(number).strip())


class _Builder:
    def __init__(self, view: dict, words, easy, today):
        self.view, self.words, self.easy, self.today = view, words, easy, today
        self.plan_lang = plan_words_language(view, words.lang_tag)

    def plan_lines(self, text) -> list[Line]:
        """The plan's own words, marked with their language when the copy is in another."""
        return plan_lines(text, self.plan_lang)

    def plan_words(self, text):
        """A short value from the plan put into a fixed sentence (a place, a relationship,
        hours), marked with its language when the copy is in another (never a name)."""
        return PlanWords(str(text), self.plan_lang) if self.plan_lang and text else text

    def has_passed(self, date) -> bool:
        """Whether ``date`` (ISO) is before today: a sentence in the future tense is true only
        until its day. Not a date after all: False (the usual words)."""
        try:
            return dt.date.fromisoformat(str(date)) < self.today
        except ValueError:
            return False

    def get(self, *path, default=None):
        value = self.view
        for key in path:
            if isinstance(value, dict) and key in value:
                value = value[key]
            else:
                return default
        return value

    def point(self, picture: str, *lines) -> Point:
        flat: list[Line] = []
        for line in lines:
            flat += line if isinstance(line, list) else [line]
        return Point(self.easy.picture(picture), [line for line in flat if line is not None])

    def when(self, date, start=None, end=None) -> str:
        return str(self.words.when(date, start, end)) if date else ""

    # -- the topics ------------------------------------------------------------

    def with_me(self) -> Topic:
        e = self.easy
        topic = Topic("with_me", e.topic("with_me"))
        for partner in self.get("visitors", "birth_partners", default=[]):
            name = partner.get("name")
            if not name:
                continue
            lines = [e.line("birth_partner", name=name)]
            if partner.get("relationship"):
                lines.append(e.line("birth_partner_relationship", name=name,
                                    relationship=self.plan_words(partner["relationship"])))
            if partner.get("phone"):
                lines.append(e.line("contact_phone", phone=phone_text(partner["phone"])))
            topic.points.append(self.point("with_me", *lines))
        wish = self.get("wishes", "birth_partners")
        if wish:
            topic.points.append(self.point("with_me", e.line("birth_partner_wish"), self.plan_lines(wish)))
        if not topic.points:
            topic.points.append(self.point("with_me", e.line("no_birth_partners")))
        return topic

    def wishes(self) -> Topic:
        """Each wish the view holds (birth partners are under "with_me"): a fixed sentence
        naming it, then the parents' own words."""
        topic = Topic("wishes", self.easy.topic("wishes"))
        for name in WISHES:
            path = ("what_ifs", name) if name in WHAT_IFS else (name,)
            text = self.get("wishes", *path)
            if text:
                topic.points.append(self.point(f"wish_{name}", self.easy.line(f"wish_{name}"),
                                               self.plan_lines(text)))
        return topic

    def labour(self) -> Topic:
        e = self.easy
        topic = Topic("labour", e.topic("labour"))
        place = self.get("people", "place_of_birth")
        if place:
            topic.points.append(self.point("hospital", e.line("place_of_birth", place=self.plan_words(place))))
        in_hours = self._who(("at_birth", "in_hours"))
        out_of_hours = self._who(("at_birth", "out_of_hours"))
        if in_hours or out_of_hours:
            topic.points.append(self.point("phone", e.line("labour_tell")))
        if in_hours:
            topic.points.append(self.point("phone", e.line("tell_in_hours", who=in_hours)))
        if out_of_hours:
            topic.points.append(self.point("night", e.line("tell_out_of_hours", who=out_of_hours)))
        return topic

    def _who(self, path) -> str:
        names = [self._called(item["who"]) for item in self.get(*path, default=[]) if item.get("who")]
        return str(join(names, ", ")) if names else ""

    def _called(self, who) -> str:
        """A person's name as written; a role written where a name goes ("Social worker",
        "Emergency Duty Team") in the pack's plain lower-case words ("the social worker")."""
        wanted = _folded(who)
        for role in CALLED:
            label = str(self.words.enum(("contacts", "role"), role))
            if wanted in (_folded(role.replace("_", " ")), _folded(re.split(r"[(:]", label)[0])):
                return self.easy.called(role)
        return str(who)

    def must_not_come(self) -> Topic:
        e = self.easy
        topic = Topic("must_not_come", e.topic("must_not_come"))
        pictures = {"call_security": "security", "call_police": "police", "refuse_entry": "door",
                    "inform_social_worker": "phone"}
        for person in self.get("visitors", "must_not_visit", default=[]):
            if not person.get("name"):
                continue
            lines = [e.line("must_not_visit", name=person["name"])]
            if person.get("reason"):  # only here when the parents may see it
                lines += [e.line("why"), *self.plan_lines(person["reason"])]
            topic.points.append(self.point("must_not_come", *lines))
            action = person.get("action")
            if action in pictures:
                topic.points.append(self.point(pictures[action], e.line(f"action_{action}")))
        return topic

    def after_birth(self) -> Topic:
        e = self.easy
        topic = Topic("after_birth", e.topic("after_birth"))
        arrangement = self.get("ward", "arrangement")
        if arrangement == "none":
            topic.points.append(self.point("midwife", e.line("ward_none")))
        elif arrangement == "observations":
            topic.points.append(self.point("midwife", e.line("ward_observations"),
                                           e.line("ward_observations_note")))
        elif arrangement == "supervision":
            topic.points.append(self.point("midwife", e.line("ward_supervision"),
                                           e.line("ward_supervision_note")))
        health = self.get("baby_health", "parent_summary")
        if health:
            topic.points.append(self.point("baby", e.line("baby_health"), self.plan_lines(health)))
        meeting = self.get("discharge", "planning_meeting_date")
        if meeting:
            key = "planning_meeting_past" if self.has_passed(meeting) else "planning_meeting"
            topic.points.append(self.point("meeting", e.line(key, date=self.words.date(meeting))))
        for key, picture, sentence in (("baby_goes_to", "home", "baby_goes_to"),
                                       ("collected_by", "car", "collected_by"),
                                       ("support_at_home", "support", "support_at_home")):
            text = self.get("discharge", key)
            if text:
                topic.points.append(self.point(picture, e.line(sentence), self.plan_lines(text)))
        return topic

    def if_separated(self) -> Topic:
        """The separation plan the parents may see, then what helps if it happens."""
        e = self.easy
        topic = Topic("if_separated", e.topic("if_separated"))
        for section, key, picture, sentence in (
                ("separation", "who_tells_parents", "advocate", "who_tells"),
                ("separation", "when_told", "appointment", "when_told"),
                ("separation", "what_parents_told", "advocate", "what_told"),
                ("separation", "baby_goes_to", "home", "baby_goes_to"),
                ("separation", "who_takes_baby", "car", "collected_by"),
                ("if_separated", "time_together", "time_together", "time_together"),
                ("if_separated", "photos", "photos", "photos"),
                ("if_separated", "memory_box", "memory_box", "memory_box"),
                ("if_separated", "scent_swap", "scent_swap", "scent_swap"),
                ("separation", "contact_after", "family_time", "family_time"),
                ("if_separated", "support_for_mother", "support", "support_for_me")):
            text = self.get(section, key)
            if text:
                topic.points.append(self.point(picture, e.line(sentence), self.plan_lines(text)))
        return topic

    def appointments(self) -> Topic:
        e = self.easy
        topic = Topic("appointments", e.topic("appointments"))
        items = sorted(self.get("appointments", default=[]),
                       key=lambda a: (a.get("date", ""), a.get("start", "")))
        for item in items:
            lines = [e.line("appointment_what", what=self.plan_words(item["what"]))] if item.get("what") else []
            if item.get("date"):
                lines.append(e.line("appointment_when",
                                    when=self.when(item["date"], item.get("start"), item.get("end"))))
            where = ", ".join(str(item[k]) for k in ("where", "town") if item.get(k))
            if where:
                lines.append(e.line("appointment_where", where=self.plan_words(where)))
            if item.get("with"):
                lines.append(e.line("appointment_with", who=item["with"]))
            if item.get("notes_for_parents"):
                lines.append(e.line("appointment_note", note=self.plan_words(item["notes_for_parents"])))
            topic.points.append(self.point("appointment", *lines))
        if not topic.points:
            topic.points.append(self.point("appointment", e.line("no_appointments")))
        return topic

    def help(self, pack) -> Topic:
        e = self.easy
        topic = Topic("help", e.topic("help"))
        for contact in self.get("contacts", default=[]):
            if not contact.get("name"):
                continue
            role = contact.get("role", "other")
            # one sentence says who they are and where they work ("X from Y is ..."), never two
            lines = [_with_role(e, contact["name"], role, self.plan_words(contact.get("organisation")))]
            if contact.get("phone"):
                lines.append(e.line("contact_phone", phone=phone_text(contact["phone"])))
            if contact.get("hours"):
                lines.append(e.line("contact_hours", hours=self.plan_words(contact["hours"])))
            picture = "night" if role == "emergency_duty_team" else "help"
            topic.points.append(self.point(picture, *lines))
        advocate = self.get("communication", "advocate")
        if isinstance(advocate, dict) and advocate.get("name"):
            lines = [e.line("advocate", name=advocate["name"])]
            if advocate.get("phone"):
                lines.append(e.line("contact_phone", phone=phone_text(advocate["phone"])))
            topic.points.append(self.point("advocate", *lines))
        if pack_number_is_needed(self.view):  # the one rule every copy follows (out_of_hours.py)
            topic.points.append(self.point("night", e.line("out_of_hours",
                                                           phone=phone_text(pack.authority["out_of_hours"]))))
        topic.points.append(self.point("emergency", e.line("emergency")))
        return topic

    def words_to_know(self, pack, texts: list[str]) -> Topic:
        """Each glossary word the copy uses, with a picture and a plain explanation."""
        e = self.easy
        topic = Topic("words", e.topic("words"))
        entries = pack.glossary.get(self.words.language, [])
        for entry in terms_used(entries, texts):
            meaning = e.meaning(entry["id"])
            lines = [Line([Run(entry["term"], True)])]
            if meaning:
                lines += meaning
            else:
                lines += [Line(line.runs) for line in plan_lines(entry["meaning"])]
            topic.points.append(self.point("words", *lines))
        return topic

    def about(self, stamp, changes) -> Topic:
        e = self.easy
        topic = Topic("about", e.topic("about"))
        compared_with = getattr(stamp, "compared_with", None)
        if compared_with is not None:
            lines = ([e.line("changed", version=compared_with), e.line("changed_ask")] if changes
                     else [e.line("unchanged", version=compared_with)])
            topic.points.append(self.point("about", *lines))
        meeting = self.get("plan", "meeting", "date")
        if meeting:
            # an agreed plan was made at its meeting; a draft is talked about at it
            key = ("meeting_date" if not stamp.is_draft
                   else "meeting_date_draft_past" if self.has_passed(meeting) else "meeting_date_draft")
            lines = [e.line(key, date=self.words.date(meeting))]
            if key == "meeting_date_draft_past" and stamp.version is not None:
                # never agreed at all: the version point below says so already ("version_none")
                lines.append(e.line("not_agreed_yet"))
            topic.points.append(self.point("meeting", *lines))
        review = self.get("plan", "next_review_date")
        if review:
            key = "next_review_past" if self.has_passed(review) else "next_review"
            topic.points.append(self.point("appointment", e.line(key, date=self.words.date(review))))
        version = (e.line("version", number=stamp.version) if stamp.version is not None
                   else e.line("version_none"))
        lines = [version] + ([e.line("draft")] if stamp.is_draft else [])
        topic.points.append(self.point("about", *lines))
        topic.points.append(self.point("safe", e.line("keep_safe")))
        return topic


def _folded(text) -> str:
    return " ".join(str(text).split()).casefold()


def _with_role(easy, name: str, role: str, organisation=None) -> Line:
    """ "**Priya Raman** from Together for Children is my **social worker**.": the role's own
    bold marks kept."""
    from birthplan.render.easy_read.words import parse

    key = "contact_from" if organisation else "contact"
    template = easy.table["sentences"][key].replace("{role}", easy.role(role))
    values = {"name": name, "organisation": organisation} if organisation else {"name": name}
    return parse(template, values, easy.where, f"sentences > {key}", easy.language)
