"""What is kept from the parents and why: the register in withheld_from_parents against the items
withheld on the item itself (``birthplan.audience`` decides what each copy shows).
"""

from __future__ import annotations

from birthplan import fields
from birthplan.load import Plan
from birthplan.problems import Problem, WARNING
from birthplan.rules.common import problem
from birthplan.tree import nodes


def third_party_shared_with_parent(plan: Plan) -> list[Problem]:
    """share_with: [parent] on third-party information is contradictory; the rule wins."""
    return [
        problem(plan, path + ("share_with",),
                "third-party information is never shown to the parents, even when "
                "share_with lists parent. Remove 'parent' or 'third_party'.", WARNING)
        for path, value in nodes(plan.data)
        if isinstance(value, dict) and value.get("third_party") and "parent" in value.get("share_with", [])
    ]


def withheld_from_parents(plan: Plan) -> list[Problem]:
    """The register of what is kept from the parents: every item kept from them by a decision
    needs an entry with a reason, and every entry must name such an item. An entry naming
    nothing (item 7 of a list of 2) is an error; one naming an item the parents see is a
    warning. A list that changed order above the withheld item does both, so when exactly one
    withheld item has no entry, the message says where it is now."""
    records = plan.data.get("withheld_from_parents", [])
    out = [
        problem(plan, ("withheld_from_parents", i),
                "say why this is withheld from the parents: add 'reason:' (and the legal basis "
                "and who authorised it).", WARNING)
        for i, record in enumerate(records) if not record.get("reason")
    ]
    withheld = withheld_from_parents_by_decision(plan.data)
    named = {record.get("field") for record in records}
    unnamed = [field for field in withheld if field not in named]
    moved = (f"; did the list's order change? The withheld item without an entry here is at {unnamed[0]}"
             if len(unnamed) == 1 else "")
    for i, record in enumerate(records):
        out += _register_entry_problems(plan, ("withheld_from_parents", i, "field"), record.get("field"), moved)
    for field_path in withheld_from_parents_without_reason(plan.data, withheld):
        out.append(problem(plan, undotted(field_path),
                           "is withheld from the parents, but the plan records no reason: add an "
                           f"entry under withheld_from_parents with 'field: {field_path}' and "
                           "'reason:' (with the legal basis and who authorised it).", WARNING))
    return out


def _register_entry_problems(plan: Plan, at: tuple, written, moved: str) -> list[Problem]:
    """What is wrong with one register entry's ``field`` (written as ``dotted`` gives it)."""
    from birthplan.audience import PARENT, visible_at

    if not isinstance(written, str) or not written:
        return []
    path = undotted(written)
    missing = _first_missing_step(plan.data, path)
    if missing is not None:
        return [problem(plan, at, f"names {written}, which is not in this plan: {missing}. Write where "
                        "the withheld item is (keys, and item numbers counted from 1)"
                        f"{moved}.")]
    if visible_at(plan.data, path, PARENT):
        return [problem(plan, at, f"names {written}, which the parents' copy shows (it is not "
                        "third_party, and no share_with leaves out parent), so this entry withholds "
                        f"nothing{moved}. Withholding is set on the item itself (third_party: true, "
                        "or share_with without parent); correct this entry's field.", WARNING)]
    return []


def _first_missing_step(data, path: tuple) -> str | None:
    """Where ``path`` leaves ``data``, in plain words ("Visitors > must not visit has 1 item"),
    or None when every step is there."""
    value = data
    for depth, key in enumerate(path):
        here = path[:depth]
        if isinstance(key, int):
            if not isinstance(value, list):
                return f"{fields.label(here)} is not a list"
            if key >= len(value):
                count = f"{len(value)} item" + ("" if len(value) == 1 else "s")
                return f"{fields.label(here)} has {count}"
        elif not isinstance(value, dict) or key not in value:
            return f"{fields.label(here) if here else 'the plan'} has no '{key}'"
        value = value[key]
    return None


def withheld_from_parents_by_decision(data: dict) -> list[str]:
    """The fields (as ``dotted`` paths) kept from the parents by a decision on the item
    (third_party, or a share_with leaving out the parents) where the field would show them;
    ``birthplan.audience`` decides."""
    from birthplan.audience import PARENT, is_text_item, item_audiences

    return [dotted(path) for path, value in nodes(data)
            if is_text_item(value) and PARENT in fields.default_audiences(path)
            and PARENT not in item_audiences(path, value)]


def withheld_from_parents_without_reason(data: dict, withheld: list[str] | None = None) -> list[str]:
    """The fields (as ``dotted`` paths) kept from the parents by a decision with no recorded
    reason; ``withheld``: those fields, when already found."""
    explained = {record.get("field") for record in data.get("withheld_from_parents", [])
                 if record.get("reason")}
    if withheld is None:
        withheld = withheld_from_parents_by_decision(data)
    return [field for field in withheld if field not in explained]


def dotted(path: tuple) -> str:
    """A field's path as written in withheld_from_parents: keys, and item numbers from 1."""
    return ".".join(str(part + 1) if isinstance(part, int) else part for part in path)


def undotted(text: str) -> tuple:
    """The path a ``dotted`` field names."""
    return tuple(int(part) - 1 if part.isdigit() else part for part in text.split("."))
