"""Field-level changes between two versions of a plan, in plain words.

``diff_plans(old, new)`` compares two plans' data (full or already redacted
for one audience) and returns one ``Change`` per field that differs:

* mappings are compared key by key, in the schema's order;
* list items are matched by a stable key (``id``, else ``name``, else
  ``who``, else ``what`` + ``date``; free text by its words), never by
  position, so moving an item is not a change. The two "who to tell, in
  order" lists (``ORDERED_LISTS``) also report a new order, because the ward
  phones people in that order;
* an item known only by its words (no id, name or who), edited, is still that
  item: it is paired with the new item that differs from it only in words
  (``_pair_edited_items``), so the edit is one change of it, not one item
  removed and another added;
* a free-text item is compared by its words; a change to its ``share_with``
  or ``third_party`` is reported as its own change (``about_sharing``).

Labels come from the schema titles through ``birthplan.fields.label``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from birthplan import fields
from birthplan.audience import is_text_item, text_of

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"

# Sections whose changes alter what the delivery suite does.
WARD_SECTIONS = (
    "at_birth",
    "visitors",
    "ward",
    "discharge",
    "legal_status",
    "baby_health",
    "contacts",
    "communication",  # an interpreter or BSL changes what the ward must book
    "people.place_of_birth",
)

# Lists whose order carries meaning: the ward phones these people in turn.
ORDERED_LISTS = (("at_birth", "in_hours"), ("at_birth", "out_of_hours"))
ORDER = "(order)"  # last path element of a change in the order of such a list

_SHARING_KEYS = ("share_with", "third_party")
_MISSING = object()


@dataclass(frozen=True)
class ItemKey:
    """Identifies one list item across versions.

    ``by`` names what identifies it ("id", "name", "who", "what+date",
    "text", "value" or "whole"); ``value`` is that identity, normalised;
    ``occurrence`` tells apart items sharing one identity. ``display`` (the
    words as written) and ``index`` (its position in the newer list, or the
    older one for a removed item) are for people and for schema look-ups,
    and are not part of the identity.
    """

    by: str
    value: str
    occurrence: int = 0
    display: str = ""
    index: int = 0

    def __eq__(self, other):
        if not isinstance(other, ItemKey):
            return NotImplemented
        return (self.by, self.value, self.occurrence) == (other.by, other.value, other.occurrence)

    def __hash__(self):
        return hash((self.by, self.value, self.occurrence))

    def __str__(self):
        return self.display


@dataclass(frozen=True)
class Change:
    """One field that differs between two versions."""

    path: tuple  # mapping keys (str) and list item keys (ItemKey)
    label: str  # plain words, e.g. "Visitors > must not visit"
    kind: str  # "added", "removed" or "changed"
    old: Any = None
    new: Any = None
    # Where the field is in each version (keys and list positions), None where it is absent:
    # "what changed" asks the redaction rules about exactly these places.
    old_at: tuple | None = None
    new_at: tuple | None = None

    @property
    def schema_path(self) -> tuple:
        """``path`` with list positions instead of item keys, for ``birthplan.fields``."""
        return tuple(part.index if isinstance(part, ItemKey) else part for part in self.path)

    @property
    def about_sharing(self) -> bool:
        """True when only who may see a text changed (its words did not)."""
        return bool(self.path) and self.path[-1] in _SHARING_KEYS

    def describe(self) -> str:
        if self.kind == ADDED:
            return f"{self.label}: added {_quoted(self.new, self.schema_path)}"
        if self.kind == REMOVED:
            return f"{self.label}: removed {_quoted(self.old, self.schema_path)}"
        return (f"{self.label}: changed from {_quoted(self.old, self.schema_path)} "
                f"to {_quoted(self.new, self.schema_path)}")


def diff_plans(old: dict, new: dict) -> list[Change]:
    """Every field-level change from ``old`` to ``new``."""
    changes: list[Change] = []
    _diff_value(old if old is not None else {}, new if new is not None else {}, (), (), (), changes)
    return changes


def affects_ward(change: Change) -> bool:
    """True when ``change`` alters what the delivery suite must do."""
    if change.about_sharing:
        return False
    keys = [part for part in change.path[:2] if isinstance(part, str)]
    return any(".".join(keys[:depth]) in WARD_SECTIONS for depth in (1, 2))


def summarise(changes: list[Change]) -> str:
    """A few words for a history line, e.g. "3 changes: Visitors, Legal status"."""
    if not changes:
        return "no changes"
    sections: list[str] = []
    for change in changes:
        section = fields.label(change.path[:1])
        if section not in sections:
            sections.append(section)
    count = f"{len(changes)} change{'s' if len(changes) != 1 else ''}"
    return f"{count}: {', '.join(sections)}"


# -- walking both versions ---------------------------------------------------


def _diff_value(old, new, path: tuple, schema_path: tuple, old_at: tuple, out: list[Change]) -> None:
    """``schema_path`` is where the field is in the newer version, ``old_at`` in the older."""
    if _is_text(old) and _is_text(new):
        _diff_text(old, new, path, schema_path, old_at, out)
    elif isinstance(old, dict) and isinstance(new, dict):
        _diff_mapping(old, new, path, schema_path, old_at, out)
    elif isinstance(old, list) and isinstance(new, list):
        _diff_list(old, new, path, schema_path, old_at, out)
    elif old != new:
        out.append(_change(path, schema_path, CHANGED, _words(old), _words(new), old_at, schema_path))


def _diff_mapping(old: dict, new: dict, path: tuple, schema_path: tuple, old_at, out: list[Change]) -> None:
    """``old_at``/``schema_path`` is None on the side where the whole mapping is absent."""
    for key in _keys_in_schema_order(old, new, schema_path if schema_path is not None else old_at):
        before, after = old.get(key, _MISSING), new.get(key, _MISSING)
        sub_path = path + (key,)
        sub_old = old_at + (key,) if old_at is not None else None
        sub_new = schema_path + (key,) if schema_path is not None else None
        if before is _MISSING:
            _appeared(after, sub_path, sub_new, ADDED, out)
        elif after is _MISSING:
            _appeared(before, sub_path, sub_old, REMOVED, out)
        else:
            _diff_value(before, after, sub_path, sub_new, sub_old, out)


def _appeared(value, path: tuple, at: tuple, kind: str, out: list[Change]) -> None:
    """A field present on one side only (at ``at`` there): a whole section is reported field by field."""
    old_at, new_at = (None, at) if kind == ADDED else (at, None)
    if isinstance(value, dict) and not is_text_item(value):
        empty: dict = {}
        old, new = (empty, value) if kind == ADDED else (value, empty)
        _diff_mapping(old, new, path, new_at, old_at, out)
        return
    if isinstance(value, list):
        old, new = ([], value) if kind == ADDED else (value, [])
        _diff_list(old, new, path, new_at, old_at, out)
        return
    words = _words(value)
    out.append(_change(path, at, kind, None if kind == ADDED else words,
                       words if kind == ADDED else None, old_at, new_at))


def _diff_text(old, new, path: tuple, schema_path: tuple, old_at: tuple, out: list[Change]) -> None:
    if text_of(old) != text_of(new):
        out.append(_change(path, schema_path, CHANGED, text_of(old), text_of(new), old_at, schema_path))
    for key in _SHARING_KEYS:
        before, after = _sharing(old, key), _sharing(new, key)
        if before != after:
            kind = ADDED if before is None else REMOVED if after is None else CHANGED
            out.append(_change(path + (key,), schema_path + (key,), kind, before, after,
                               old_at + (key,), schema_path + (key,)))


def _sharing(item, key: str):
    """``share_with`` (None when absent) or ``third_party`` (False when absent)."""
    value = item.get(key) if isinstance(item, dict) else None
    if key == "third_party":
        return bool(value)
    return sorted(value) if value is not None else None


def _diff_list(old: list, new: list, path: tuple, schema_path, old_at, out: list[Change]) -> None:
    """``old_at``/``schema_path`` is None on the side where the whole list is absent."""
    pairs, removed = _match_items(old, new, schema_path if schema_path is not None else old_at)
    new_to_old = {new_index: old_index for old_index, new_index in pairs}
    label = fields.label(schema_path if schema_path is not None else old_at)
    for index in range(len(new)):
        item_schema = schema_path + (index,)
        key = _item_key(new, index, item_schema)
        item_path = path + (key,)
        if index in new_to_old:
            old_index = new_to_old[index]
            _diff_value(old[old_index], new[index], item_path, item_schema, old_at + (old_index,), out)
        else:
            out.append(Change(item_path, label, ADDED, None, new[index], None, item_schema))
    for index in removed:
        key = _item_key(old, index, old_at + (index,))
        out.append(Change(path + (key,), label, REMOVED, old[index], None, old_at + (index,), None))
    if schema_path is not None and old_at is not None and schema_path in ORDERED_LISTS:
        _diff_order(pairs, new, path, schema_path, old_at, out)


def _diff_order(pairs: list, new: list, path: tuple, schema_path: tuple, old_at: tuple, out: list[Change]) -> None:
    """Report a new order of the items kept in both versions."""
    by_old = [new_index for _, new_index in sorted(pairs)]
    by_new = sorted(by_old)
    if by_old != by_new:
        label = f"{fields.label(schema_path)} > order"
        out.append(Change(path + (ORDER,), label, CHANGED,
                          [display_name(new[i]) for i in by_old], [display_name(new[i]) for i in by_new],
                          old_at, schema_path))


def locate(data, path: tuple) -> tuple | None:
    """Where ``path`` (keys and item keys, as in a Change) is in ``data``, as keys and
    list positions; None when ``data`` does not hold it."""
    at: list = []
    for part in path:
        if isinstance(part, ItemKey):
            if not isinstance(data, list):
                return None
            index = next((i for i in range(len(data)) if _item_key(data, i) == part), None)
            if index is None:
                return None
            at.append(index)
            data = data[index]
        elif isinstance(data, dict) and not is_text_item(data) and part in data:
            at.append(part)
            data = data[part]
        else:
            return None
    return tuple(at)


def display_name(item, schema_path: tuple | None = None) -> str:
    """How a person would name a list item in a label (see ``_display``); free text by its
    words. ``schema_path`` (the item's place) gives the schema's titles to an item that has
    nothing naming it."""
    if isinstance(item, dict) and not is_text_item(item):
        return _display(item, schema_path, brief=True)
    return str(_words(item))


# -- matching list items -----------------------------------------------------


def _match_items(old: list, new: list, schema_path: tuple | None) -> tuple[list[tuple[int, int]], list[int]]:
    """Pair old and new items by identity: (pairs of indexes, old items removed).
    New items in no pair were added.

    Items sharing one identity (the same person listed twice in contacts, as
    social worker and key worker) are paired identical-first, then in order,
    so swapping them is not a change either. Then an item with no name of its
    own, edited, is paired with itself (``_pair_edited_items``).
    """
    old_groups, new_groups = _group_by_identity(old), _group_by_identity(new)
    pairs: list[tuple[int, int]] = []
    removed: list[int] = []
    for identity, old_indexes in old_groups.items():
        new_indexes = list(new_groups.get(identity, ()))
        unpaired_old = []
        for old_index in old_indexes:
            twin = next((n for n in new_indexes if new[n] == old[old_index]), None)
            if twin is None:
                unpaired_old.append(old_index)
            else:
                pairs.append((old_index, twin))
                new_indexes.remove(twin)
        pairs.extend(zip(unpaired_old, new_indexes))
        removed.extend(unpaired_old[len(new_indexes):])
    _pair_edited_items(old, new, pairs, removed, schema_path)
    return sorted(pairs), sorted(removed)


# What identifies an item that has no name, reference or "who" of its own: its words.
_KNOWN_BY_CONTENT = ("text", "value", "whole", "what+date")


def _pair_edited_items(old: list, new: list, pairs: list, removed: list, schema_path) -> None:
    """An item known only by what it says (an entry under "Withheld from the parents", an
    alert sent, an appointment without an id, a line of an address, a free-text item) gets a
    new identity when its words are edited. Such an old item left unpaired is the same item
    as an unpaired new one when the two differ only in their words:

    * a mapping: every field that is not words (dates, times, choices, yes/no, numbers) is
      the same, and at least one field of words is unchanged;
    * words alone (a line, a free-text item): it stands in the same place among the items
      kept, i.e. it was reworded where it stands.

    So the edit is one change of that item, which "what changed" shows only to an audience
    that may see the edited field in both versions, like any other change. A person's name
    still identifies them: a new name is a new person."""
    kept_new = {new_index for _, new_index in pairs}
    added = [n for n in range(len(new)) if n not in kept_new]
    place = _places(pairs)
    for old_index in list(removed):
        by = _identity(old[old_index])[0]
        if by not in _KNOWN_BY_CONTENT:
            continue
        twin = next((n for n in added if _identity(new[n])[0] == by
                     and _same_item_reworded(old[old_index], new[n], old_index, n, place, schema_path)),
                    None)
        if twin is not None:
            pairs.append((old_index, twin))
            added.remove(twin)
            removed.remove(old_index)


def _places(pairs: list) -> tuple[dict, dict]:
    """For the items kept in both versions, old index -> new index, and the new indexes in
    order: what says whether an old and a new item stand in the same place among them."""
    return dict(pairs), sorted(new_index for _, new_index in pairs)


def _same_place(old_index: int, new_index: int, place: tuple[dict, dict]) -> bool:
    """True when the last kept item before each is the same one (or there is none)."""
    kept, new_order = place
    before_old = max((o for o in kept if o < old_index), default=None)
    before_new = max((n for n in new_order if n < new_index), default=None)
    return (kept[before_old] if before_old is not None else None) == before_new


def _same_item_reworded(before, after, old_index: int, new_index: int, place, schema_path) -> bool:
    if not isinstance(before, dict) or is_text_item(before):
        return _same_place(old_index, new_index, place) and _is_words_field(
            schema_path + (new_index,) if schema_path is not None else None, after)
    kept_words = False
    for key in dict.fromkeys([*before, *after]):
        at = schema_path + (new_index, key) if schema_path is not None else None
        if not _is_words_field(at, after.get(key, before.get(key))):
            if before.get(key) != after.get(key):
                return False
        elif key in before and key in after and _words(before[key]) == _words(after[key]):
            kept_words = True
    return kept_words


def _is_words_field(schema_path: tuple | None, value) -> bool:
    """Whether a field holds words people write (free text, a name, a reason), as opposed to
    a date, a time, a phone number, a choice from a list, yes/no or a number."""
    if not _is_text(value):
        return False
    node = fields.node_at(schema_path) if schema_path is not None else None
    if node is None:
        return True
    return "enum" not in node and "const" not in node and fields.value_kind(node) is None


def _group_by_identity(items: list) -> dict[tuple, list[int]]:
    groups: dict[tuple, list[int]] = {}
    for index, item in enumerate(items):
        groups.setdefault(_identity(item), []).append(index)
    return groups


def _item_key(items: list, index: int, schema_path: tuple | None = None) -> ItemKey:
    """The key naming ``items[index]`` (at ``schema_path``) in a change's path;
    ``occurrence`` counts the earlier items sharing its identity."""
    by, value = identity = _identity(items[index])
    occurrence = sum(1 for earlier in items[:index] if _identity(earlier) == identity)
    return ItemKey(by, value, occurrence, display_name(items[index], schema_path), index)


def _identity(item) -> tuple[str, str]:
    """(what identifies it, the identity normalised)."""
    if _is_text(item):
        return "text", _normalise(text_of(item))
    if not isinstance(item, dict):
        return "value", _canonical(item)
    for field in ("id", "name", "who"):
        if isinstance(item.get(field), str):
            return field, _normalise(item[field])
    if "what" in item and "date" in item:
        what = text_of(item["what"])
        return "what+date", _normalise(f"{what} {item['date']}")
    return "whole", _canonical(item)


def _display(item: dict, schema_path: tuple | None = None, brief: bool = False) -> str:
    """How a person would name a list item: its name, or what and when; an item with
    nothing that names it, by its fields (``_labelled_fields``), never as JSON, or when
    ``brief`` (inside a label, before the field that changed) by its first field only."""
    if isinstance(item.get("name"), str) and isinstance(item.get("role"), str):
        return f"{item['name']} ({item['role'].replace('_', ' ')})"  # one person can hold two roles
    for field in ("name", "who"):
        if isinstance(item.get(field), str):
            return item[field]
    if "what" in item:
        return " ".join(str(part) for part in (text_of(item["what"]), item.get("date")) if part)
    if "id" in item:
        return str(item["id"])
    if brief and item:
        first = (_keys_in_schema_order(item, {}, schema_path) if schema_path is not None else list(item))[0]
        return _labelled_fields({first: item[first]}, schema_path)
    return _labelled_fields(item, schema_path)


def _labelled_fields(item: dict, schema_path: tuple | None) -> str:
    """"reason: ...; legal basis: ...": each field's schema title (lower case, as inside
    a change's label) and its value in plain words, in the schema's order. ``item`` is
    whatever the caller may show: a redacted view's item holds only what its audience sees."""
    parts = []
    keys = _keys_in_schema_order(item, {}, schema_path) if schema_path is not None else list(item)
    for key in keys:
        at = schema_path + (key,) if schema_path is not None else None
        name = fields.label(at).split(" > ")[-1] if at is not None else str(key).replace("_", " ")
        value = item[key]
        if isinstance(value, list):
            words = ", ".join(_plain_value(v, at + (0,) if at else None) for v in value)
        elif isinstance(value, dict) and not is_text_item(value):
            words = f"({_labelled_fields(value, at)})"
        else:
            words = _plain_value(value, at)
        parts.append(f"{name}: {words}")
    return "; ".join(parts)


# -- words -------------------------------------------------------------------


def _change(path: tuple, schema_path: tuple, kind: str, old, new, old_at=None, new_at=None) -> Change:
    return Change(path, label_for(path, schema_path), kind, old, new, old_at, new_at)


def label_for(path: tuple, schema_path: tuple) -> str:
    """The schema's label, with each "item N" replaced by the item's own name. A change to
    a whole item (a reworded line) is labelled by its list: its words are the change."""
    if path and isinstance(path[-1], ItemKey):
        path, schema_path = path[:-1], schema_path[:-1]
    parts = fields.label(schema_path).split(" > ")
    if len(parts) != len(path):  # a title with " > " in it: keep the schema's words
        return " > ".join(parts)
    return " > ".join(part.display if isinstance(part, ItemKey) else words
                      for part, words in zip(path, parts))


def _quoted(value, schema_path: tuple) -> str:
    if isinstance(value, list):
        return "'" + ", ".join(_plain_value(v, schema_path + (0,)) for v in value) + "'"
    return f"'{_plain_value(value, schema_path)}'"


def _plain_value(value, schema_path: tuple) -> str:
    """A value as a reader would say it: yes/no, enum words without underscores, and
    cleaned as every output is (no escape codes reach the terminal)."""
    from birthplan.render.sanitize import clean_text

    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return clean_text(text_of(value) if is_text_item(value) else _display(value, schema_path))
    if isinstance(value, str) and schema_path is not None and _is_enum_value(value, schema_path):
        return value.replace("_", " ")
    return clean_text(str(value))


def _is_enum_value(value: str, schema_path: tuple) -> bool:
    node = fields.node_at(schema_path)
    return bool(node) and value in node.get("enum", ())


def _words(value):
    """The comparable content of a value: free text reduced to its words."""
    return text_of(value) if is_text_item(value) else value


def _is_text(value) -> bool:
    return isinstance(value, str) or is_text_item(value)


def _normalise(words: str) -> str:
    """Case and spacing do not change who an item is ("jordan  reed" = "Jordan Reed")."""
    return " ".join(str(words).split()).casefold()


def _canonical(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _keys_in_schema_order(old: dict, new: dict, schema_path: tuple) -> list[str]:
    present = list(dict.fromkeys([*old, *new]))
    order = {name: i for i, name in enumerate(fields.property_names(schema_path))}
    return sorted(present, key=lambda key: order.get(key, len(order)))
