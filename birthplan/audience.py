"""Redaction by rule: the one place that decides who sees what.

Each copy of a plan is rendered from ``view_for(data, audience)``, never from
the full plan, so a withheld fact cannot reach that copy's text, metadata or
file name by accident. The rules, in order:

1. A protected address (the mother's, or her partner's own) appears only in
   the professional copy.
2. A free-text item with ``third_party: true`` never reaches the parents' copy.
3. A free-text item's own ``share_with`` decides, when it has one.
4. Otherwise the field's default audiences (``x-audiences`` in the schema), or
   for a third-party item its ``x-third-party-audiences`` when the field has
   them (a must-not-visit reason from the police is not printed on the ward's
   sheet unless its ``share_with`` says so).
"""

from __future__ import annotations

from birthplan import fields

PROFESSIONAL = "professional"
DELIVERY_SUITE = "delivery_suite"
PARENT = "parent"
AUDIENCES = (PROFESSIONAL, DELIVERY_SUITE, PARENT)
# Every address a plan holds; each one may be protected (a refuge) on its own.
ADDRESSES = (("address",), ("people", "partner", "address"))


def is_text_item(value) -> bool:
    """A free-text item written as a mapping: ``{text:, share_with:, third_party:}``."""
    return isinstance(value, dict) and "text" in value and set(value) <= {"text", "share_with", "third_party"}


def text_of(value) -> str:
    """The words of a free-text item, however it was written."""
    return value["text"] if is_text_item(value) else value


def item_audiences(path: tuple, value) -> frozenset:
    """Who may see ``value`` at ``path``, by rules 2 to 4 above."""
    audiences = fields.default_audiences(path)
    if is_text_item(value):
        if "share_with" in value:
            audiences = frozenset(value["share_with"])
        elif value.get("third_party"):
            audiences = fields.third_party_audiences(path)
        if value.get("third_party"):
            audiences = audiences - {PARENT}
    return audiences


def may_see(audience: str, path: tuple, value) -> bool:
    return audience in item_audiences(path, value)


def view_for(data: dict, audience: str) -> dict:
    """A copy of the plan holding only what ``audience`` may see.

    Free-text items come back as plain strings; sections left empty are dropped.
    """
    if audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}")
    view = _filter(data, (), audience)
    if audience != PROFESSIONAL:
        for path in protected_addresses(data):
            parent = _mapping_at(view, path[:-1])
            if parent is not None:
                parent.pop(path[-1], None)
    return view


def protected_addresses(data: dict) -> list[tuple]:
    """The paths of the addresses in ``data`` marked ``protected: true``."""
    out = []
    for path in ADDRESSES:
        address = _mapping_at(data, path)
        if address is not None and address.get("protected"):
            out.append(path)
    return out


def _mapping_at(data, path: tuple) -> dict | None:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else None


def visible_at(data: dict, at: tuple, audience: str) -> bool:
    """Whether ``audience`` may see the value at ``at`` (keys and list positions) in ``data``.

    Every step on the way must be visible (a field inside a withheld item is
    withheld), and a protected address is seen by professionals only. A path
    that goes on inside a free-text item (its ``share_with``) is decided by the item.
    """
    if audience != PROFESSIONAL and any(at[:len(path)] == path for path in protected_addresses(data)):
        return False
    value = data
    for depth, key in enumerate(at):
        if is_text_item(value):
            break
        value = value[key]
        if not may_see(audience, at[:depth + 1], value):
            return False
    return True


def visible_part(value, at: tuple, audience: str):
    """The part of ``value`` (found at ``at``) that ``audience`` may see, as ``view_for`` shows it;
    None when it is withheld altogether."""
    filtered = _filter(value, at, audience)
    return None if filtered is _WITHHELD else filtered


def _filter(value, path: tuple, audience: str):
    if not may_see(audience, path, value):
        return _WITHHELD
    if is_text_item(value):
        return value["text"]
    if isinstance(value, dict):
        kept = {}
        for key, sub in value.items():
            filtered = _filter(sub, path + (key,), audience)
            if filtered is not _WITHHELD and filtered != {}:
                kept[key] = filtered
        return kept
    if isinstance(value, list):
        kept_items = [_filter(sub, path + (i,), audience) for i, sub in enumerate(value)]
        return [item for item in kept_items if item is not _WITHHELD]
    return value


class _Withheld:
    """Marks a value removed for this audience (distinct from None or '')."""


_WITHHELD = _Withheld()


def withheld_paths(data: dict, audience: str) -> list[tuple]:
    """Paths of the values ``audience`` may not see (for tests and review tools)."""
    out: list[tuple] = []

    def walk(value, path):
        if not may_see(audience, path, value):
            out.append(path)
            return
        if isinstance(value, dict) and not is_text_item(value):
            for key, sub in value.items():
                walk(sub, path + (key,))
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                walk(sub, path + (i,))

    walk(data, ())
    if audience != PROFESSIONAL:
        out.extend(protected_addresses(data))
    return out
