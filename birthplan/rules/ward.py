"""What the ward must be able to act on: what to do if a person who must not visit arrives, how to
recognise them, and who supervises.
"""

from __future__ import annotations

from birthplan import fields
from birthplan.load import Plan
from birthplan.problems import Problem, WARNING
from birthplan.rules.common import problem


def must_not_visit_actions(plan: Plan) -> list[Problem]:
    people = plan.data.get("visitors", {}).get("must_not_visit", [])
    return [
        problem(plan, ("visitors", "must_not_visit", i),
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
        return [problem(plan, ("ward", "arrangement"),
                        "supervision on the ward must say who arranges it: add 'supervision_arranged_by:'.")]
    if ward.get("arrangement") == "observations" and ward.get("supervision_arranged_by"):
        return [problem(plan, ("ward", "supervision_arranged_by"),
                        "the arrangement is parenting observations by health staff, not supervision by "
                        "social care: keep them distinct (change the arrangement, or remove this line).",
                        WARNING)]
    return []
