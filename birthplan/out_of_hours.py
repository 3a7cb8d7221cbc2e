"""The out-of-hours number a ward rings comes from one place: the plan.

A plan names its own out-of-hours numbers (the emergency duty team under
``contacts``, and who to tell out of hours under ``at_birth``); a template
pack also carries the authority's out-of-hours number for plans that name
none. When the two differ, every copy shows the plan's (it was agreed for
this family at the review) and validation warns, so someone checks which is
right instead of a midwife choosing between two numbers at night.
"""

from __future__ import annotations

import re
from functools import lru_cache

EMERGENCY_DUTY_TEAM = "emergency_duty_team"


def plan_numbers(data: dict) -> list[tuple[tuple, str]]:
    """(path, number) for every out-of-hours number the plan (or a view of it) names."""
    out = []
    for i, contact in enumerate(data.get("contacts") or []):
        if isinstance(contact, dict) and contact.get("role") == EMERGENCY_DUTY_TEAM and contact.get("phone"):
            out.append((("contacts", i, "phone"), str(contact["phone"])))
    for i, entry in enumerate((data.get("at_birth") or {}).get("out_of_hours") or []):
        if isinstance(entry, dict) and entry.get("phone"):
            out.append((("at_birth", "out_of_hours", i, "phone"), str(entry["phone"])))
    return out


def same_number(a: str, b: str) -> bool:
    """The same phone number however it is spaced (01632 960999 = 01632960999)."""
    return _digits(a) == _digits(b)


def pack_number_differs(data: dict, pack_number: str) -> bool:
    """The plan names out-of-hours numbers and the pack's is not one of them."""
    numbers = plan_numbers(data)
    return bool(numbers) and not any(same_number(number, pack_number) for _, number in numbers)


def pack_number_is_needed(data: dict) -> bool:
    """Show the pack's number only when the plan (or view) names none of its own."""
    return not plan_numbers(data)


@lru_cache(maxsize=8)
def shipped_pack_number(authority: str) -> str | None:
    """The out-of-hours number in the pack a plan's ``plan > authority`` names, read
    cheaply from its pack.yaml (validation must not load the whole pack)."""
    import yaml

    from birthplan.resources import templates_dir

    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", authority or ""):
        return None
    path = templates_dir() / authority / "pack.yaml"
    try:
        theme = yaml.safe_load(path.read_text(encoding="utf-8"))
        number = theme["authority"]["out_of_hours"]
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return None  # no such pack, or a broken one: rendering reports it
    return number if isinstance(number, str) else None


def _digits(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    return "0" + digits[2:] if digits.startswith("44") else digits
