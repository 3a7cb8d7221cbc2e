"""The Easy Read topic "The law and my baby": the parents' legal position in plain words.

Every sentence is one of the pack's fixed sentences: one for each set value
(plan type, category of concern, court stage, the decision about voluntary
accommodation, the father's parental responsibility) and one for each fact
the parents' view holds (a date, their solicitor, help to get to court). The
plan's own legal words are never reworded here; the few texts written for the
parents (how they get to court, other help) follow a fixed sentence as
written. The view decides what is said: a fact withheld from the parents is
not in it, so it is not here.

Where the parents are asked to agree (section 20 in England, section 76 in
Wales) the copy says it is their choice, that they can ask a solicitor
first and can change their mind: agreement given around the birth without
that is not real agreement. It is never said to be agreed unless the plan
records ``decision: agreed``.
"""

from __future__ import annotations

from birthplan.render.easy_read.build import phone_text
from birthplan.render.easy_read.model import Point, Topic
from birthplan.render.easy_read.words import LAW_VALUES

ASKED = ("agreed", "not_agreed", "withdrawn")  # decisions that mean the parents were asked


def law_topic(b) -> Topic:
    """``b`` is the Easy Read builder (``build._Builder``) over the parents' view."""
    topic = Topic("law", b.easy.topic("law"))
    legal = b.get("legal_status", default={})
    if legal:
        parts = (_plan(b, legal), _worries(b, legal), _stage(b, legal), _solicitor(b, legal),
                 *_court(b, legal.get("court", {})), *_accommodation(b, legal.get("voluntary_accommodation", {})),
                 _parental_responsibility(b, legal.get("parental_responsibility", {})))
        topic.points += [point for point in parts if point is not None]
    return topic


def _plan(b, legal: dict) -> Point | None:
    e = b.easy
    plan_type = legal.get("plan_type")
    if plan_type not in LAW_VALUES["plan_type"]:
        return None
    lines = [e.line(f"plan_type_{plan_type}")]
    if plan_type == "child_in_need":
        lines.append(e.line("child_in_need_note"))
    elif plan_type != "none":
        lines.append(e.line("protection_note"))
    if plan_type != "none" and legal.get("plan_date"):
        lines.append(e.line("plan_date", date=b.words.date(legal["plan_date"])))
    return b.point("law", *lines)


def _worries(b, legal: dict) -> Point | None:
    categories = [c for c in legal.get("categories", []) if c in LAW_VALUES["category"]]
    if not categories:
        return None
    return b.point("law", b.easy.line("worried_about"),
                   *(b.easy.line(f"category_{category}") for category in categories))


def _stage(b, legal: dict) -> Point | None:
    e = b.easy
    stage = legal.get("stage")
    if stage not in LAW_VALUES["stage"]:
        return None
    lines = [e.line(f"stage_{stage}")]
    if stage == "pre_proceedings":
        if legal.get("plo_letter_date"):
            lines.append(e.line("plo_letter", date=b.words.date(legal["plo_letter_date"])))
        lines += [e.line("pre_proceedings_meeting"), e.line("pre_proceedings_name")]
    elif stage != "none":
        lines.append(e.line("judge"))
    if stage != "none":
        lines.append(e.line("solicitor_free"))
    return b.point("law" if stage == "none" else "court", *lines)


def _solicitor(b, legal: dict) -> Point | None:
    """Their solicitor and number; with none named, where they may need one, how to find one."""
    e = b.easy
    solicitor = legal.get("parents_solicitor")
    if isinstance(solicitor, dict) and solicitor.get("name"):
        organisation = solicitor.get("organisation")
        lines = [e.line("solicitor_from" if organisation else "solicitor", name=solicitor["name"],
                        organisation=b.plan_words(organisation) or "")]
        if solicitor.get("phone"):
            lines.append(e.line("contact_phone", phone=phone_text(solicitor["phone"])))
        return b.point("solicitor", *lines)
    accommodation = legal.get("voluntary_accommodation", {})
    if legal.get("stage", "none") != "none" or accommodation.get("proposed") is True \
            or accommodation.get("decision") in ASKED:
        return b.point("solicitor", e.line("solicitor_find"))
    return None


def _court(b, court: dict) -> list[Point]:
    e = b.easy
    lines = []
    if court.get("first_hearing_date"):
        lines.append(e.line("first_hearing", date=b.words.date(court["first_hearing_date"])))
    if isinstance(court.get("remote_hearing"), bool):
        # how they will take part; with no hearing date yet, only if there is a court case
        answer = "yes" if court["remote_hearing"] else "no"
        lines.append(e.line(f"remote_hearing_{answer}" if lines else f"remote_hearing_{answer}_if_case"))
    points = [b.point("court", *lines)] if lines else []
    for key, picture, sentence in (("transport", "car", "court_transport"),
                                   ("other_help", "support", "court_help")):
        if court.get(key):
            points.append(b.point(picture, e.line(sentence), b.plan_lines(court[key])))
    return points


def _accommodation(b, accommodation: dict) -> list[Point]:
    """Voluntary accommodation, when the council proposes it or the parents were asked."""
    e = b.easy
    decision = accommodation.get("decision")
    if accommodation.get("proposed") is True:
        opening = e.line("accommodation_proposed")
    elif decision in ASKED:
        opening = e.line("accommodation_asked")
    else:
        return []
    what = [opening, e.line("accommodation_law"), e.line("accommodation_choice")]
    if decision != "withdrawn":
        what.append(e.line("accommodation_change_mind"))
    answer = [e.line("accommodation_ask_solicitor")]  # then whether they have, and their answer
    if accommodation.get("legal_advice") is True:
        answer.append(e.line("legal_advice_yes"))
    elif accommodation.get("legal_advice") is False:
        answer.append(e.line("legal_advice_no"))
    answer.append(e.line(f"decision_{decision}" if decision in LAW_VALUES["decision"] else "decision_none"))
    if decision in ASKED and accommodation.get("decision_date"):
        answer.append(e.line("decision_date", date=b.words.date(accommodation["decision_date"])))
    return [b.point("accommodation", *what), b.point("solicitor", *answer)]


def _parental_responsibility(b, responsibility: dict) -> Point | None:
    e = b.easy
    lines = []
    if responsibility.get("mother") is True:
        lines.append(e.line("mother_yes"))
    elif responsibility.get("mother") is False:
        lines += [e.line("mother_no"), e.line("mother_ask")]
    father = responsibility.get("father")
    if father in LAW_VALUES["father"]:
        lines.append(e.line(f"father_{father}"))
        if father == "none":
            lines.append(e.line("father_ask"))
    return b.point("parental_responsibility", *lines) if lines else None
