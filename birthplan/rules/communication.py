"""How the parents need to be spoken with: the language and interpreter named, not only asked for."""

from __future__ import annotations

from birthplan.load import Plan
from birthplan.problems import Problem, WARNING
from birthplan.rules.common import problem


def language_details(plan: Plan) -> list[Problem]:
    comm = plan.data.get("communication", {})
    out = []
    if comm.get("preferred_language") == "other" and not comm.get("other_language"):
        out.append(problem(plan, ("communication", "preferred_language"),
                           "say which language in 'other_language:'.", WARNING))
    # `is True`: "interpreter: no" is a schema error (it wants true/false), not a yes.
    if comm.get("interpreter") is True and not comm.get("interpreter_language"):
        out.append(problem(plan, ("communication", "interpreter"),
                           "say which language to book in 'interpreter_language:'.", WARNING))
    return out
