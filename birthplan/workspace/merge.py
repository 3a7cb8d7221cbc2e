"""Three-way merge of one page's fields: what a page changed, onto the draft as it is now.

Two tabs (or two people) can have the same plan open. Each page post carries
what the page started from (``base``); the page's fields as posted are
``mine``; the shared draft as it is now is ``theirs``. A field the page did not
change keeps ``theirs`` (so a stale form never puts back an old value), a field
only the page changed takes ``mine``, and a field both changed differently is a
conflict: ``theirs`` is kept and the field is reported, never silently lost.

Mappings are merged key by key, and lists item by item while they keep their
length; a list whose length changed on either side is one value.
"""

from __future__ import annotations

from dataclasses import dataclass, field

ABSENT = object()  # a key not there at all
UNKNOWN = object()  # a base no longer known (the page is older than this process): every difference is a conflict


@dataclass
class Merged:
    value: object
    conflicts: list = field(default_factory=list)  # (path, mine): both changed it differently
    taken: list = field(default_factory=list)  # paths where the page's value was stale and theirs kept


def merge(base, mine, theirs, path: tuple = ()) -> Merged:
    """``mine`` applied onto ``theirs`` where it differs from ``base`` (ABSENT: not there)."""
    result = Merged(ABSENT)
    result.value = _merge(base, mine, theirs, path, result)
    return result


def _merge(base, mine, theirs, path, out: Merged):
    if _same(mine, theirs):
        return theirs
    if _same(mine, base):
        out.taken.append(path)
        return theirs
    if _same(theirs, base):
        return mine
    sides = (base, mine, theirs)
    if any(isinstance(v, dict) for v in sides) and all(isinstance(v, dict) or _special(v) for v in sides):
        # A section or group not there yet on one side is an empty one, merged field by field.
        unknown = base is UNKNOWN
        base, mine, theirs_map = (v if isinstance(v, dict) else {} for v in sides)
        merged = {}
        for key in list(theirs_map) + [k for k in mine if k not in theirs_map]:
            value = _merge(UNKNOWN if unknown else base.get(key, ABSENT), mine.get(key, ABSENT),
                           theirs_map.get(key, ABSENT), path + (key,), out)
            if value is not ABSENT:
                merged[key] = value
        return ABSENT if theirs is ABSENT and not merged else merged
    if all(isinstance(v, list) for v in sides) and len(base) == len(mine) == len(theirs):
        return [_merge(b, m, t, path + (i,), out) for i, (b, m, t) in enumerate(zip(base, mine, theirs))]
    out.conflicts.append((path, mine))
    return theirs


def _special(value) -> bool:
    return value is ABSENT or value is UNKNOWN


def _same(a, b) -> bool:
    return a is b or (not _special(a) and not _special(b) and a == b)
