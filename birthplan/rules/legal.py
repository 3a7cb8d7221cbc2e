"""The legal position in the terms of the plan's nation, and consent that may not be valid."""

from __future__ import annotations

from birthplan.load import Plan
from birthplan.problems import Problem, WARNING
from birthplan.rules.common import problem


NATION_PLAN_TERMS = {
    "england": ("child_protection", "child protection plan"),
    "wales": ("care_and_support_protection", "care and support protection plan"),
}


def nation_terms(plan: Plan) -> list[Problem]:
    nation = plan.data["plan"]["nation"]
    plan_type = plan.data.get("legal_status", {}).get("plan_type")
    for other, (term, words) in NATION_PLAN_TERMS.items():
        if other != nation and plan_type == term:
            right_term, right_words = NATION_PLAN_TERMS[nation]
            return [problem(plan, ("legal_status", "plan_type"),
                            f"a plan in {nation.title()} is a {right_words}: use '{right_term}', "
                            f"not '{term}' ({words} is the term in {other.title()}).")]
    return []


def pre_proceedings_letter(plan: Plan) -> list[Problem]:
    legal = plan.data.get("legal_status", {})
    if legal.get("stage") == "pre_proceedings" and not legal.get("plo_letter_date"):
        return [problem(plan, ("legal_status", "stage"),
                        "pre-proceedings: add the date of the PLO letter ('plo_letter_date:').", WARNING)]
    return []


def voluntary_accommodation(plan: Plan) -> list[Problem]:
    """Consent recorded as agreed needs legal advice and a capacity note first (case law)."""
    consent = plan.data.get("legal_status", {}).get("voluntary_accommodation", {})
    if consent.get("decision") != "agreed":
        return []
    out = []
    if consent.get("legal_advice") is not True:
        out.append(problem(plan, ("legal_status", "voluntary_accommodation", "decision"),
                           "consent to accommodation is recorded as agreed, but not that the parent "
                           "had legal advice first ('legal_advice: true'); consent given without it "
                           "may not be valid.", WARNING))
    if not consent.get("capacity"):
        out.append(problem(plan, ("legal_status", "voluntary_accommodation", "decision"),
                           "consent to accommodation is recorded as agreed, but there is no note on "
                           "the parent's capacity to consent ('capacity:').", WARNING))
    return out
