"""The form is the schema: form fields built from the plan schema, and form posts read back.

Nothing here names a plan field. Each top-level section of the schema is one
page; each property becomes a field of the kind its schema asks for (a date
input for ``format: date``, radios for an ``enum``, Yes/No for a boolean,
checkboxes for a list of choices, a repeatable group for a list of objects,
a text area with "who sees this" for the free-text type). A field added to the
schema appears without new code.

Form names are the field's path joined with dots (``contacts.2.phone``);
``read_section`` turns a post back into plan data of the types the loader
gives (ISO dates, booleans, whole numbers, text as typed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from birthplan import audience as audience_rules
from birthplan.fields import AUDIENCES

FIRST_SECTIONS = ("wishes",)  # the parents' own words come first
HIDDEN_SECTIONS = ("schema_version",)  # fixed by the schema (const), never typed
ITEMS_SUFFIX = "__items"
SHARE_SUFFIX = "__share"
THIRD_PARTY_SUFFIX = "__third_party"
SHARING_SUFFIX = "__sharing"  # present when the sharing controls were on the page
FREE_TEXT_GUIDE = 500  # characters: a soft guide (GOV.UK character count), never a limit
MAX_RADIOS = 12  # more choices than this become a select


@dataclass
class Field:
    kind: str  # object, list, strings, freetext, text, date, radios, select, boolean, integer, checkboxes
    path: tuple
    label: str
    hint: str = ""  # safe HTML (``messages.hint_html``)
    hint_lang: str = "en"  # the hint's language: the schema's descriptions are English
    required: bool = False
    value: object = None
    options: list = field(default_factory=list)  # (value, words)
    children: list = field(default_factory=list)  # object: fields; list: one Field per item
    audiences: frozenset = frozenset()  # who sees it by default (x-audiences)
    shared_with: frozenset = frozenset()  # free text: who sees it now
    third_party: bool = False
    error: str | None = None
    error_lang: str = "en"  # validate's own words are English; the form's are the interface's
    item_kind: Field | None = None  # list: a blank item's shape (for "add another")

    @property
    def name(self) -> str:
        return ".".join(str(part) for part in self.path)

    @property
    def id(self) -> str:
        return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.name)

    @property
    def first_input_id(self) -> str:
        """Where an error summary link should land."""
        if self.kind == "date":
            return self.id + "-day"
        if self.kind in ("radios", "boolean", "checkboxes"):
            return self.id + "-0"
        if self.kind in ("object", "list", "strings"):
            for child in self.children:
                return child.first_input_id
        return self.id

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def date_parts(self) -> tuple[str, str, str]:
        text = str(self.value or "")
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if match:
            year, month, day = match.groups()
            return str(int(day)), str(int(month)), year
        parts = (text.split("/") + ["", "", ""])[:3] if text else ["", "", ""]
        return tuple(parts)  # as typed: day/month/year


class Schema:
    """A plan schema (JSON Schema) read for the form: $refs resolved against itself."""

    def __init__(self, schema: dict):
        self.root = schema

    def resolve(self, node: dict | None) -> dict:
        if not isinstance(node, dict):
            return {}
        ref = node.get("$ref")
        if not ref:
            return node
        target = self.root
        for part in ref.removeprefix("#/").split("/"):
            target = target.get(part, {})
        merged = dict(self.resolve(target))
        merged.update({k: v for k, v in node.items() if k != "$ref"})
        return merged

    def sections(self) -> list[str]:
        names = [key for key in self.root.get("properties", {}) if key not in HIDDEN_SECTIONS
                 and "const" not in self.resolve(self.root["properties"][key])]
        first = [key for key in FIRST_SECTIONS if key in names]
        return first + [key for key in names if key not in first]

    def node_at(self, path: tuple) -> dict:
        node = self.resolve(self.root)
        for key in path:
            node = self.resolve(node.get("items")) if isinstance(key, int) else \
                self.resolve((node.get("properties") or {}).get(key))
        return node

    def section(self, key: str) -> dict:
        return self.resolve(self.root.get("properties", {}).get(key))

    def audiences_at(self, path: tuple) -> frozenset:
        """The nearest ``x-audiences`` above ``path`` in this schema."""
        found = self.root.get("x-audiences", AUDIENCES)
        node = self.resolve(self.root)
        for key in path:
            node = self.resolve(node.get("items")) if isinstance(key, int) else \
                self.resolve((node.get("properties") or {}).get(key))
            if not node:
                break
            if "x-audiences" in node:
                found = node["x-audiences"]
        return frozenset(found)


def is_free_text(node: dict) -> bool:
    """The schema's free-text type: text, or {text, share_with, third_party}."""
    return any("text" in (branch.get("properties") or {}) for branch in node.get("anyOf", ()))


def enum_of(schema: Schema, node: dict) -> list | None:
    if "enum" in node:
        return list(node["enum"])
    for branch in [*node.get("anyOf", ()), *node.get("oneOf", ())]:
        values = enum_of(schema, schema.resolve(branch))
        if values:
            return values
    return None


def kind_of(schema: Schema, node: dict) -> str:
    if is_free_text(node):
        return "freetext"
    if "const" in node:
        return "const"
    if enum_of(schema, node):
        return "radios" if len(enum_of(schema, node)) <= MAX_RADIOS else "select"
    declared = node.get("type")
    if node.get("format") == "date":
        return "date"
    if declared == "boolean":
        return "boolean"
    if declared == "integer":
        return "integer"
    if declared == "object" or "properties" in node:
        return "object"
    if declared == "array":
        items = schema.resolve(node.get("items"))
        if enum_of(schema, items):
            return "checkboxes"
        if kind_of(schema, items) == "object":
            return "list"
        return "strings"
    return "text"


class Labels:
    """Words for fields and choices: the pack's strings in the interface language,
    else the schema's own titles (English)."""

    def __init__(self, schema: Schema, table: dict | None = None, language: str = "en"):
        self.schema = schema
        self.table = table or {}
        self.language = language

    @staticmethod
    def dotted(path: tuple) -> str:
        return ".".join(str(part) for part in path if not isinstance(part, int))

    def field(self, path: tuple, node: dict) -> str:
        words = (self.table.get("labels") or {}).get(self.dotted(path))
        if isinstance(words, str) and words:
            return words
        title = node.get("title")
        if title:
            return title
        key = str(path[-1]) if path else ""
        return key.replace("_", " ").capitalize()

    def hint(self, path: tuple, node: dict) -> tuple[str, str]:
        """A field's hint as safe HTML, and its language: the pack's ``hints:`` in the
        interface language when it has one, else the schema's (English) description."""
        from birthplan.workspace.messages import hint_html

        words = (self.table.get("hints") or {}).get(self.dotted(path))
        if isinstance(words, str) and words:
            return hint_html(words, path, self.schema, self), self.language
        description = node.get("description", "")
        return (hint_html(description, path, self.schema, self), "en") if description else ("", "en")

    def item(self, number: int) -> str:
        return f"{'eitem' if self.language == 'cy' else 'item'} {number}"

    def choice(self, path: tuple, value) -> str:
        words = ((self.table.get("enums") or {}).get(self.dotted(path)) or {}).get(value)
        if isinstance(words, str) and words:
            return words[:1].upper() + words[1:]  # the pack's words are written to go inside a sentence
        text = str(value).replace("_", " ")
        return text[:1].upper() + text[1:]


# -- building the fields of one page ---------------------------------------------


def build_section(schema: Schema, labels: Labels, key: str, data: dict) -> Field:
    node = schema.section(key)
    return build(schema, labels, node, (key,), (data or {}).get(key), required=key in schema.root.get("required", ()))


def build(schema: Schema, labels: Labels, node: dict, path: tuple, value, required: bool = False) -> Field:
    node = schema.resolve(node)
    kind = kind_of(schema, node)
    hint, hint_lang = labels.hint(path, node)
    made = Field(kind=kind, path=path, label=labels.field(path, node), hint=hint, hint_lang=hint_lang,
                 required=required, value=value, audiences=schema.audiences_at(path))
    if kind == "object":
        wanted = set(node.get("required", ()))
        current = value if isinstance(value, dict) else {}
        for child_key, child_node in (node.get("properties") or {}).items():
            child = schema.resolve(child_node)
            if kind_of(schema, child) == "const":
                continue
            made.children.append(build(schema, labels, child, path + (child_key,), current.get(child_key),
                                       required=child_key in wanted))
    elif kind in ("list", "strings"):
        items = value if isinstance(value, list) else []
        item_node = schema.resolve(node.get("items"))
        made.children = [build(schema, labels, item_node, path + (i,), item) for i, item in enumerate(items)]
        for position, child in enumerate(made.children, start=1):
            child.label = f"{made.label}, {labels.item(position)}"
    elif kind in ("radios", "select", "checkboxes"):
        choice_node = schema.resolve(node.get("items")) if kind == "checkboxes" else node
        made.options = [(v, labels.choice(path if kind != "checkboxes" else path, v))
                        for v in enum_of(schema, choice_node)]
    elif kind == "freetext":
        made.value = audience_rules.text_of(value) if value is not None else None
        made.shared_with = _shared_with(made.audiences, value)
        made.third_party = bool(isinstance(value, dict) and value.get("third_party"))
    return made


def _shared_with(defaults: frozenset, value) -> frozenset:
    if audience_rules.is_text_item(value) and "share_with" in value:
        return frozenset(value["share_with"])
    return defaults


# -- reading a post back into plan data --------------------------------------------


_MISSING = object()


def read_section(schema: Schema, key: str, form, old_value=None):
    """The section ``key`` as plan data from a posted form (``None`` when left empty).

    Keys the schema does not know (a typo typed in the file) are kept from
    ``old_value`` so that validation still reports them and nothing is lost.
    """
    required = key in schema.root.get("required", ())
    value = _read(schema, schema.section(key), (key,), form, old_value, required)
    return None if value is _MISSING else value


def _read(schema: Schema, node: dict, path: tuple, form, old, required: bool = False):
    node = schema.resolve(node)
    kind = kind_of(schema, node)
    name = ".".join(str(part) for part in path)
    if kind == "object":
        result = {}
        old_map = old if isinstance(old, dict) else {}
        properties = node.get("properties") or {}
        wanted = set(node.get("required", ()))
        for child_key, child_node in properties.items():
            child = schema.resolve(child_node)
            if kind_of(schema, child) == "const":
                if child_key in old_map:
                    result[child_key] = old_map[child_key]
                continue
            value = _read(schema, child, path + (child_key,), form, old_map.get(child_key),
                          child_key in wanted)
            if value is not _MISSING:
                result[child_key] = value
        for extra, value in old_map.items():
            if extra not in properties:
                result[extra] = value
        if not required and not old_map and all(value == [] for value in result.values()):
            return _MISSING  # only the empty lists it would need: an optional part left out
        return result if result else _MISSING
    if kind in ("list", "strings"):
        count = _count(form.get(f"{name}.{ITEMS_SUFFIX}"))
        old_items = old if isinstance(old, list) else []
        item_node = schema.resolve(node.get("items"))
        items = []
        for position in range(count):
            previous = old_items[position] if position < len(old_items) else None
            value = _read(schema, item_node, path + (position,), form, previous)
            if value is _MISSING:  # a row added and not filled in yet: it keeps its place in the
                value = {} if kind_of(schema, item_node) == "object" else ""  # draft (never saved)
            items.append(value)
        if items or isinstance(old, list) or required:
            return items  # an emptied list stays an empty list; a required one is written empty
        return _MISSING
    if kind == "checkboxes":
        allowed = enum_of(schema, schema.resolve(node.get("items"))) or []
        chosen = [v for v in allowed if v in form.getlist(name)]
        return chosen if chosen else _MISSING
    if kind == "date":
        return _read_date(form, name)
    if kind == "boolean":
        answer = form.get(name, "")
        return {"true": True, "false": False}.get(answer, _MISSING)
    if kind == "integer":
        text = form.get(name, "").strip()
        if not text:
            return _MISSING
        return int(text) if re.fullmatch(r"-?\d+", text) else text
    if kind == "freetext":
        return _read_free_text(schema, path, name, form, old)
    text = _clean(form.get(name, ""), keep_lines=False)
    return text if text else _MISSING


def _count(text) -> int:
    try:
        return max(0, min(int(text or 0), 500))
    except ValueError:
        return 0


def _clean(text: str, keep_lines: bool) -> str:
    """Text as typed, without the browser's carriage returns or edge spaces."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    if not keep_lines:
        text = " ".join(text.split("\n"))
    return text.strip()


def read_date(form, name: str) -> str | None:
    """A GOV.UK date input (NAME.day, .month, .year) as an ISO date, or as typed if it is not one."""
    value = _read_date(form, name)
    return None if value is _MISSING else value


def _read_date(form, name: str):
    day, month, year = (str(form.get(f"{name}.{part}", "")).strip() for part in ("day", "month", "year"))
    if not (day or month or year):
        return _MISSING
    if day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4:
        return f"{year}-{int(month):02d}-{int(day):02d}"
    return f"{day}/{month}/{year}"  # not a date: validation says so, at the field


def _read_free_text(schema: Schema, path: tuple, name: str, form, old):
    text = _clean(form.get(name, ""), keep_lines=True)
    if not text:
        return _MISSING
    if f"{name}.{SHARING_SUFFIX}" not in form:  # the sharing controls were not on the page
        if audience_rules.is_text_item(old):
            return {**old, "text": text}
        return text
    defaults = schema.audiences_at(path)
    chosen = [a for a in AUDIENCES if a in form.getlist(f"{name}.{SHARE_SUFFIX}")]
    third_party = form.get(f"{name}.{THIRD_PARTY_SUFFIX}") == "true"
    item: dict = {"text": text}
    if frozenset(chosen) != defaults:
        item["share_with"] = chosen
    if third_party:
        item["third_party"] = True
    return item if len(item) > 1 else text


# -- list actions: add, remove, move -------------------------------------------------


ACTION = re.compile(r"(add|remove|up|down):([A-Za-z0-9_.]+)")


def apply_list_action(schema: Schema, data: dict, action: str) -> tuple[dict, str | None]:
    """Apply "add:contacts", "remove:contacts.2", "up:contacts.2" or "down:contacts.2".

    Returns the data and the form name to focus next (the item added or moved).
    """
    match = ACTION.fullmatch(action or "")
    if not match:
        return data, None
    verb, target = match.groups()
    path = tuple(int(p) if p.isdigit() else p for p in target.split("."))
    if verb == "add":
        container, key = _container(data, path, create=True)
        items = container.setdefault(key, [])
        if not isinstance(items, list):
            return data, None
        items.append({} if kind_of(schema, schema.node_at(path + (0,))) == "object" else "")
        return data, ".".join(map(str, path + (len(items) - 1,)))
    if not isinstance(path[-1], int):
        return data, None
    container, key = _container(data, path[:-1], create=False)
    items = container.get(key) if container is not None else None
    position = path[-1]
    if not isinstance(items, list) or not 0 <= position < len(items):
        return data, None
    if verb == "remove":
        items.pop(position)
        return data, ".".join(map(str, path[:-1]))
    other = position - 1 if verb == "up" else position + 1
    if 0 <= other < len(items):
        items[position], items[other] = items[other], items[position]
        return data, ".".join(map(str, path[:-1] + (other,)))
    return data, None


def _container(data: dict, path: tuple, create: bool):
    current = data
    for key in path[:-1]:
        if isinstance(current, dict):
            if key not in current:
                if not create:
                    return None, None
                current[key] = {}
            current = current[key]
        elif isinstance(current, list) and isinstance(key, int) and key < len(current):
            current = current[key]
        else:
            return None, None
    return (current, path[-1]) if isinstance(current, dict) else (None, None)
