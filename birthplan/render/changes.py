"""The "What changed since version N" section.

A change is worked out from the two whole versions (``diff.diff_plans``), so
every field and list item is matched by its identity (the item's stable key
and the field's path), never by comparing words across the plan. Then the
redaction rules (``audience.visible_at``) decide, for each change, what this
audience may know of it:

* seen in both versions: reported, with its words as this audience sees them;
* seen only now (newly shared, or new): reported as added;
* withheld now (newly withheld, whether or not its words also changed): not
  reported at all: it simply leaves this audience's list, and so never
  quotes words this audience may no longer see, nor says "something changed";
* removed, while the place it was in is still seen: reported as removed.

An unchanged item is never reported. Professionals get every change, the
delivery suite only what alters the ward's work, the parents plain sentences.
"""

from __future__ import annotations

import dataclasses
import re

from birthplan.render.model import Bullets, Paragraph, Section

_ITEM_NAMES = ("name", "who")
_ISO_DATE_AT_END = re.compile(r"\s(\d{4}-\d{2}-\d{2})$")


def changes_between(previous: dict | None, current: dict, audience: str) -> list:
    """The changes ``audience`` may be told of, from ``previous`` to ``current``
    (both whole plans, cleaned as for rendering); [] when there is no earlier version."""
    from birthplan.diff import CHANGED, affects_ward, diff_plans

    if previous is None:
        return []
    changes = diff_plans(previous, current)
    reworded = {c.new_at for c in changes if c.kind == CHANGED and not c.about_sharing}
    told = []
    for change in changes:
        if change.about_sharing:
            told += _newly_shared(change, previous, current, audience, reworded)
        elif change.path == ("address", "protected") and audience != "professional":
            told += _address_unprotected(change, current, audience)
        else:
            told += _as_seen(change, previous, current, audience)
    if audience == "delivery_suite":
        told = [c for c in told if affects_ward(c)]
    # One sentence per field: a text both reworded and newly shared, or shared by two
    # settings at once, or an address unprotected while its lines changed, is told once.
    once = {(c.path, c.kind): c for c in reversed(told)}
    return [c for c in told if once.get((c.path, c.kind)) is c]


def _as_seen(change, previous: dict, current: dict, audience: str) -> list:
    from birthplan.audience import visible_at
    from birthplan.diff import ADDED, CHANGED, REMOVED

    seen_before = change.old_at is not None and visible_at(previous, change.old_at, audience)
    seen_now = change.new_at is not None and visible_at(current, change.new_at, audience)
    if change.kind == CHANGED and seen_before and seen_now:
        return [_in_view(change, current, change.new_at, audience)]
    if change.kind in (CHANGED, ADDED) and seen_now:
        return [_in_view(dataclasses.replace(change, kind=ADDED, old=None), current, change.new_at, audience)]
    if change.kind == REMOVED and seen_before and _place_still_seen(change, current, audience):
        return [_in_view(change, previous, change.old_at, audience)]
    return []


def _newly_shared(change, previous: dict, current: dict, audience: str, reworded: set) -> list:
    """Only who may see a text changed: reported to an audience that sees it for the first time."""
    from birthplan.audience import text_of, visible_at
    from birthplan.diff import ADDED

    item_before, item_now = change.old_at[:-1], change.new_at[:-1]
    if item_now in reworded or visible_at(previous, item_before, audience) \
            or not visible_at(current, item_now, audience):
        return []
    words = text_of(_value_at(current, item_now))
    added = dataclasses.replace(change, path=change.path[:-1], kind=ADDED, old=None, new=words,
                                old_at=None, new_at=item_now)
    return [_in_view(added, current, item_now, audience)]


def _address_unprotected(change, current: dict, audience: str) -> list:
    """An address no longer protected appears in this copy: its lines are reported as added."""
    from birthplan.audience import view_for
    from birthplan.diff import diff_plans

    if change.new is not False:
        return []
    shown = view_for(current, audience).get("address")
    if not shown:
        return []
    return [c for c in diff_plans({}, {"address": shown}) if c.path[-1] != "protected"]


def _place_still_seen(change, current: dict, audience: str) -> bool:
    """A removed field or item is reported only where what held it is seen now."""
    from birthplan.audience import visible_at
    from birthplan.diff import locate

    for depth in range(len(change.path) - 1, -1, -1):
        at = locate(current, change.path[:depth])
        if at is not None:
            return visible_at(current, at, audience)
    return True


def _in_view(change, data: dict, at: tuple, audience: str):
    """``change`` with its values, and the names of the items on its path, as ``audience`` sees them."""
    from birthplan.audience import visible_part
    from birthplan.diff import ItemKey, display_name, label_for

    path = list(change.path)
    for depth, part in enumerate(change.path[:len(at)]):
        if isinstance(part, ItemKey):
            item = visible_part(_value_at(data, at[:depth + 1]), at[:depth + 1], audience)
            path[depth] = dataclasses.replace(part, display=display_name(item, at[:depth + 1]) if item else "")
    path = tuple(path)
    old, new = change.old, change.new
    if isinstance(old, dict):
        old = visible_part(old, at, audience)
    if isinstance(new, dict):
        new = visible_part(new, at, audience)
    return dataclasses.replace(change, path=path, label=label_for(path, change.schema_path), old=old, new=new)


def _value_at(data, at: tuple):
    for key in at:
        data = data[key]
    return data


def changes_section(changes: list, compared_with: int | None, reader, audience: str) -> Section:
    words = reader.words
    prefix = "parent_" if audience == "parent" else ""
    heading_key = "parent_changes" if audience == "parent" else "changes"
    if compared_with is None:
        section = Section("changes", words.heading(heading_key))
        section.add(Paragraph(words.phrase("changes_first"), "note"))
        return section
    section = Section("changes", words.phrase("changes_since", version=compared_with))
    lines = [_sentence(change, reader, prefix) for change in changes]
    if lines:
        section.add(Bullets(lines))
    else:
        section.add(Paragraph(words.phrase("changes_none", version=compared_with), "note"))
    return section


def _sentence(change, reader, prefix: str):
    from birthplan.diff import ADDED, ORDER, REMOVED

    words = reader.words
    label = " > ".join(_label_parts(change, reader, "parent" if prefix else None))
    old = _value_words(change.old, change.schema_path, reader)
    new = _value_words(change.new, change.schema_path, reader)
    kind = {ADDED: "added", REMOVED: "removed"}.get(change.kind, "changed")
    if change.path and change.path[-1] == ORDER:
        kind = "changed"
    return words.phrase(f"{prefix}change_{kind}", label=label, old=old, new=new)


def _label_parts(change, reader, audience: str | None) -> list[str]:
    from birthplan.diff import ORDER, ItemKey

    words = reader.words
    path = change.path
    if path and isinstance(path[-1], ItemKey):
        path = path[:-1]  # a whole item added, removed or reworded: its value names it, once
    parts = []
    for depth, part in enumerate(path):
        if isinstance(part, ItemKey):
            parts.append(_worded_dates(part.display, words))
        elif part == ORDER:
            parts.append(str(words.phrase("order")))
        else:
            parts.append(str(words.label(change.schema_path[:depth + 1], audience)))
    return parts


def _worded_dates(display: str, words) -> str:
    """An item named "Core group meeting 2027-02-11" reads "Core group meeting (11 February 2027)"."""
    found = _ISO_DATE_AT_END.search(display)
    if not found:
        return display
    return f"{display[:found.start()].rstrip()} ({words.date(found.group(1))})"


def _value_words(value, schema_path: tuple, reader) -> str:
    """A changed value as a reader would say it (choices and dates in words)."""
    if value is None:
        return ""
    if isinstance(value, dict):  # a whole list item: name it
        for key in _ITEM_NAMES:
            if isinstance(value.get(key), str):
                return value[key]
        if "what" in value:
            when = reader.words.date(value["date"]) if value.get("date") else ""
            return " ".join(str(p) for p in (value["what"], when) if p)
        # Nothing names it (an entry under "Withheld from the parents"): its fields, each
        # with its label, as `birthplan diff` shows them. ``value`` is this audience's part.
        return "; ".join(f"{reader.words.label(schema_path + (key,))}: "
                         f"{_value_words(part, schema_path + (key,), reader)}"
                         for key, part in value.items() if part not in (None, "", [], {}))
    if isinstance(value, list):
        return ", ".join(_value_words(v, schema_path + (0,), reader) for v in value)
    words = reader.words_for(tuple(schema_path), value)
    return str(words) if words is not None else str(value)
