"""Which contact role a "who to tell" line means, in the words people write.

A line under ``at_birth`` (or ``born_elsewhere``) says who to ring in its author's
own words ("Social worker", "SW", "Priya Raman (social worker)", "EDT"); contacts
carry a role from the schema's fixed list. Reading one as the other lets validation
compare the two numbers, so a mistyped digit is caught at the desk instead of by a
midwife holding two different numbers for one social worker at night.

Only whole words count ("SW" is a social worker, "swap" is not), in English and
Welsh, and a line that names none of these words names no role: a guess would
warn about numbers that were never meant to match.
"""

from __future__ import annotations

import re

POLICE = "police"  # not a contact role: the plan's police contact (police > officer)

# Role -> the words that name it, lower case, spaces between words (written
# "social_worker" or "social-worker" reads the same).
ROLE_WORDS = {
    "social_worker": ("social worker", "social workers", "sw", "gweithiwr cymdeithasol"),
    "team_manager": ("team manager", "rheolwr tîm", "rheolwr tim"),
    "emergency_duty_team": ("emergency duty team", "edt", "out of hours team", "out of hours social work team",
                            "emergency social work team", "tîm dyletswydd argyfwng", "tim dyletswydd argyfwng"),
    "community_midwife": ("community midwife", "bydwraig gymunedol"),
    "safeguarding_midwife": ("safeguarding midwife", "bydwraig diogelu"),
    "health_visitor": ("health visitor", "hv", "ymwelydd iechyd"),
    "gp": ("gp", "meddyg teulu"),
    "key_worker": ("key worker", "keyworker", "gweithiwr allweddol"),
    POLICE: ("police", "heddlu"),
}
ROLE_NAMES = {"emergency_duty_team": "Emergency Duty Team", "gp": "GP", POLICE: "police contact"}

_PATTERNS = {role: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
             for role, words in ROLE_WORDS.items()}


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[_\-]", " ", str(text)).lower().split())


def roles_named(who: str) -> list[str]:
    """The roles ``who`` names, the first named first ("Emergency Duty Team (social
    workers)" is the Emergency Duty Team, then social workers)."""
    text = _plain(who)
    found = [(match.start(), role) for role, pattern in _PATTERNS.items() if (match := pattern.search(text))]
    return [role for _, role in sorted(found)]


def means_contact(who: str, name: str | None, role: str | None) -> bool:
    """Whether a line ``who`` means this contact: it names the contact's role, or the
    contact's whole name."""
    return role in roles_named(who) or (bool(name) and _contains(_plain(who), _plain(name)))


def role_name(role: str) -> str:
    """The role in plain words, for messages: "social worker", "Emergency Duty Team"."""
    return ROLE_NAMES.get(role, role.replace("_", " "))


def names_person(who: str, name: str) -> bool:
    """Whether ``who`` already says ``name``, or is part of it ("Emergency Duty Team"
    says "Out of Hours Emergency Duty Team" well enough), in whole words."""
    who, name = _plain(who), _plain(name)
    return bool(name and who) and (_contains(who, name) or _contains(name, who))


def _contains(text: str, words: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text) is not None
