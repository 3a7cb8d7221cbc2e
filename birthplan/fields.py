"""What the schema says about one field of a plan.

Paths are tuples of mapping keys (str) and list positions (int), as in
``("visitors", "must_not_visit", 1, "action")``. The schema is the single
source of titles (for plain-words labels) and of ``x-audiences`` (who sees a
field by default), so nothing else hard-codes either.
"""

from __future__ import annotations

from functools import lru_cache

from birthplan.resources import plan_schema

AUDIENCES = ("professional", "delivery_suite", "parent")
_AUDIENCE_KEY = "x-audiences"
_THIRD_PARTY_KEY = "x-third-party-audiences"


def resolve(node: dict) -> dict:
    """Follow a local ``$ref``, merging the referring node's own keywords over it."""
    ref = node.get("$ref")
    if not ref:
        return node
    target = plan_schema()
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    merged = dict(resolve(target))
    merged.update({k: v for k, v in node.items() if k != "$ref"})
    return merged


def child(node: dict, key) -> dict | None:
    """The schema for ``key`` (a property name or a list position) under ``node``."""
    node = resolve(node)
    if isinstance(key, int):
        items = node.get("items")
        return resolve(items) if isinstance(items, dict) else None
    props = node.get("properties")
    if props is None:
        # a free-text item written as a mapping: {text, share_with, third_party}
        for branch in node.get("anyOf", ()):
            branch = resolve(branch)
            if key in branch.get("properties", {}):
                return resolve(branch["properties"][key])
        return None
    sub = props.get(key)
    return resolve(sub) if sub is not None else None


@lru_cache(maxsize=4096)
def node_at(path: tuple) -> dict | None:
    node: dict | None = resolve(plan_schema())
    for key in path:
        if node is None:
            return None
        node = child(node, key)
    return node


def _plain(title: str, first: bool) -> str:
    if first or len(title) < 2 or title[1].isupper():  # keep "NHS number", "GP"
        return title
    return title[0].lower() + title[1:]


@lru_cache(maxsize=4096)
def label(path: tuple) -> str:
    """Plain words for a field, e.g. "Visitors > must not visit > item 2 > action if they arrive"."""
    parts: list[str] = []
    node: dict | None = resolve(plan_schema())
    for key in path:
        node = child(node, key) if node is not None else None
        if isinstance(key, int):
            parts.append(f"item {key + 1}")
            continue
        title = node.get("title") if node else None
        if not title:
            title = str(key).replace("_", " ")
            title = title[:1].upper() + title[1:]
        parts.append(_plain(title, first=not parts))
    return " > ".join(parts)


@lru_cache(maxsize=4096)
def default_audiences(path: tuple) -> frozenset:
    """The audiences that see ``path`` by default: the nearest ``x-audiences`` above it."""
    found = plan_schema().get(_AUDIENCE_KEY, AUDIENCES)
    node: dict | None = resolve(plan_schema())
    for key in path:
        if node is None:
            break
        node = child(node, key)
        if node is not None and _AUDIENCE_KEY in node:
            found = node[_AUDIENCE_KEY]
    return frozenset(found)


@lru_cache(maxsize=4096)
def third_party_audiences(path: tuple) -> frozenset:
    """Who sees ``path`` by default when its text is marked ``third_party``.

    The field's ``x-third-party-audiences`` when the schema gives one (a
    must-not-visit reason from the police stays in the professional copy),
    else its default audiences; the parents never, whatever the schema says.
    """
    node = node_at(path)
    found = node.get(_THIRD_PARTY_KEY) if node else None
    audiences = frozenset(found) if found is not None else default_audiences(path)
    return audiences - {"parent"}


def wanted_types(node: dict | None) -> set[str]:
    """JSON types a schema node accepts, looking through $ref, anyOf, enum and const."""
    if node is None:
        return set()
    node = resolve(node)
    types: set[str] = set()
    declared = node.get("type")
    if isinstance(declared, str):
        types.add(declared)
    elif isinstance(declared, list):
        types.update(declared)
    for value in list(node.get("enum", ())) + ([node["const"]] if "const" in node else []):
        types.add(_json_type(value))
    for branch in [*node.get("anyOf", ()), *node.get("oneOf", ())]:
        types |= wanted_types(branch)
    return types


def has_language(node: dict | None) -> bool:
    """Whether a text field holds words in the plan's language (``plan > text_language``):
    not a name or a code the schema marks ``x-language-neutral`` (a person's name, an
    e-mail address, a reference), nor a value with a set form (a pattern or a format)."""
    if node is None:
        return True
    node = resolve(node)
    return not (node.get("x-language-neutral") or "pattern" in node or "format" in node)


VALUE_KINDS = ("time", "phone", "nhs_number")  # $defs whose values birthplan.values parses


def value_kind(node: dict | None) -> str | None:
    """"date", "time", "phone" or "nhs_number" when ``node`` holds such a value, else None.

    Known by the shared definition the field refers to (``$defs/phone`` ...), whose
    pattern a resolved node carries.
    """
    if node is None:
        return None
    node = resolve(node)
    if node.get("format") == "date":
        return "date"
    pattern = node.get("pattern")
    if pattern is None:
        return None
    definitions = plan_schema().get("$defs", {})
    return next((kind for kind in VALUE_KINDS if definitions.get(kind, {}).get("pattern") == pattern), None)


def is_free_text(node: dict | None) -> bool:
    """Whether ``node`` holds words people write (a wish, a reason, a name), not a set value,
    a date, a number or a reference with a pattern: text that is printed as it was written."""
    if node is None:
        return False
    node = resolve(node)
    return ("string" in wanted_types(node) and value_kind(node) is None
            and not {"enum", "const", "pattern"} & set(node))


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, str):
        return "string"
    return "null"


def property_names(path: tuple) -> list[str]:
    node = node_at(path)
    return list(node.get("properties", {})) if node else []
