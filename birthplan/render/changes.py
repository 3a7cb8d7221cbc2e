"""The "What changed since version N" section.

Changes are always computed between two views of the same audience
(``diff_plans(view_for(previous), view_for(current))``), so a change to a
field this audience may not see cannot appear, not even as "something
changed". Professionals get every field-level change, the delivery suite
only what alters the ward's work, and the parents plain sentences.
"""

from __future__ import annotations

import re

from birthplan.render.model import Bullets, Paragraph, Section

_ITEM_NAMES = ("name", "who")
_ISO_DATE_AT_END = re.compile(r"\s(\d{4}-\d{2}-\d{2})$")


def changes_between(previous_view: dict | None, view: dict, audience: str) -> list:
    from birthplan.diff import affects_ward, diff_plans

    if previous_view is None:
        return []
    changes = [c for c in diff_plans(previous_view, view) if not c.about_sharing]
    if audience == "delivery_suite":
        changes = [c for c in changes if affects_ward(c)]
    return changes


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
    parts = []
    for depth, part in enumerate(change.path):
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
        return ", ".join(str(v) for v in value.values() if isinstance(v, str))
    if isinstance(value, list):
        return ", ".join(_value_words(v, schema_path + (0,), reader) for v in value)
    words = reader.words_for(tuple(schema_path), value)
    return str(words) if words is not None else str(value)
