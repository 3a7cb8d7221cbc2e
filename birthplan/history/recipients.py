"""Who a copy logged with `sent --to` went to, as the deadlines count it.

Local procedures give two people a deadline: the named midwife and the parents
(``history.deadlines``). A social worker logs a copy in her own words: by role
("Named midwife", "Parents") or by the person's name ("Kayleigh Ashworth",
"Ms Helen Marsh"). Both are recognised here, when the log is read (the sent log
itself keeps exactly the words typed: it is append-only, and a rule that learns
a new word later applies to old entries too):

* role words, in English or Welsh: "midwife" is the named midwife; "parents",
  "mother", "father", "mum", "dad" are the parents;
* the names the plan *of the version sent* gives: the mother's and the partner's
  (``people``) are the parents; the community midwife's (``contacts``) is the named
  midwife. A name counts only in full (first name and surname, in that order, as
  whole words, any capitals, a title such as "Ms" or "Mrs" ignored): a first name
  alone, or a name someone else's belongs to ("Kayleigh Ashworth's advocate"), is
  nobody, because a wrong match would hide a copy that was never sent.

Anyone else (a health visitor, "Dr Patel") counts for neither deadline.
"""

from __future__ import annotations

import re

MIDWIFE = "the named midwife"
PARENTS = "the parents"

_ROLE_WORDS = {
    MIDWIFE: {"midwife", "midwives", "bydwraig"},
    PARENTS: {"parent", "parents", "mother", "father", "mum", "dad", "rhieni", "mam", "tad"},
}
_TITLES = {"ms", "mrs", "miss", "mr", "mx", "dr"}
# A word, keeping an apostrophe or hyphen inside it: "O'Neill" and "Ashworth-Pryce" are
# one word each, and "Ashworth's" is not "Ashworth".
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")


def recognise(recipient: str, plan_data: dict | None) -> str | None:
    """MIDWIFE, PARENTS or None: whose deadline a copy to ``recipient`` counts for.

    ``plan_data`` is the plan of the version sent (None: role words only). The named
    midwife is tried first, as the role-words rule always did.
    """
    words = _words(recipient)
    for who in (MIDWIFE, PARENTS):
        if set(words) & _ROLE_WORDS[who] or any(_contains(words, name)
                                                for name in _names(plan_data, who)):
            return who
    return None


def by_role_words(recipient: str) -> bool:
    """Whether ``recipient`` already says which of the two it is ("Named midwife")."""
    return bool(set(_words(recipient)) & set().union(*_ROLE_WORDS.values()))


def not_recognised_note(recipient: str) -> str:
    """What `sent` says when a copy counts for neither deadline, so nobody is surprised
    later by "has not been logged as sent to the named midwife"."""
    return (f"'{recipient}' is not the named midwife or the parents in the plan, so it counts "
            "for neither deadline (a copy for them counts when logged by their role, e.g. "
            "\"Named midwife\" or \"Parents\", or by the full name the plan gives them)")


def _names(plan_data: dict | None, who: str) -> list[tuple[str, ...]]:
    """The full names (as words) the plan gives ``who``: two words at least."""
    if not isinstance(plan_data, dict):
        return []
    if who == PARENTS:
        people = plan_data.get("people") or {}
        found = [(people.get(key) or {}).get("name") for key in ("mother", "partner")
                 if isinstance(people.get(key), dict)]
    else:
        found = [contact.get("name") for contact in plan_data.get("contacts") or ()
                 if isinstance(contact, dict) and contact.get("role") == "community_midwife"]
    names = [_words(str(name)) for name in found if name]
    return [name for name in names if len(name) >= 2]


def _words(text: str) -> tuple[str, ...]:
    """The words of ``text``, lower case, titles left out."""
    text = str(text).casefold().replace("\u2019", "'")
    return tuple(word for word in _WORD.findall(text) if word not in _TITLES)


def _contains(words: tuple[str, ...], name: tuple[str, ...]) -> bool:
    size = len(name)
    return any(words[start:start + size] == name for start in range(len(words) - size + 1))
