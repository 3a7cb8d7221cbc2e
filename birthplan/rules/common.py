"""What every rule uses: a problem located at its field, dates as the schema writes them, and
whether a plan has safeguarding arrangements (several rules apply only then).
"""

from __future__ import annotations

import datetime as dt

from birthplan import fields
from birthplan.load import Plan
from birthplan.problems import ERROR, Problem


SAFEGUARDING_PLANS = {"child_protection", "care_and_support_protection"}


def problem(plan: Plan, path: tuple, message: str, severity: str = ERROR) -> Problem:
    line, col = plan.location(path)
    return Problem(plan.name, line, col, fields.label(path), message, severity)


def iso_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def value_at(data, path: tuple):
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def has_safeguarding_arrangements(data: dict) -> bool:
    legal = data.get("legal_status", {})
    visitors = data.get("visitors", {})
    return (
        legal.get("plan_type") in SAFEGUARDING_PLANS
        or legal.get("stage", "none") != "none"
        or bool(visitors.get("must_not_visit"))
        or data.get("ward", {}).get("arrangement") == "supervision"
    )
