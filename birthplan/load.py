"""Read a plan file safely, keeping every value as its author wrote it.

Why not ``yaml.safe_load``: YAML 1.1 turns ``07700900123`` into a number
(losing the zero), ``no`` into False and ``09:30`` into 570, and silently
lets a second ``must_not_visit:`` replace the first. A midwife must never act
on a value the loader changed. So we compose the YAML node graph with PyYAML's
safe composer and build the data ourselves:

* every scalar stays the string that was written, except ``true``/``false``
  where the schema wants a boolean and whole numbers where it wants an integer;
* dates, times, phone and NHS numbers and set values (meeting types ...) are
  read by ``birthplan.values``, the parsers the importer and the command line
  share, and held in one form (2027-03-21, 09:30, 01632 960212, core_group)
  whatever way they were written; one that cannot be read is an error at its
  line, and the value is kept as written. The file itself is never changed;
* YAML syntax errors are explained in plain words (``birthplan.syntax``: a missing ':',
  a field out of line, tabs, an unquoted ': ') at the line to fix, naming the field; a
  NUL byte by its byte and line. YAML stops at its first error, so later
  lines are then checked only for a tab at the start of a line (always an
  error), and every such line is listed with the first error;
* duplicate keys at any depth are errors naming both lines;
* a comment after an unquoted value on its line is recorded (``Plan.comments_after_values``):
  in free text, " #" ends the text, and validation warns that the words after it are lost;
* file size and alias expansion are bounded, so a hostile file fails fast.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import yaml

from birthplan import fields, values
from birthplan.characters import CURLY_QUOTES
from birthplan.errors import PlanLoadError, UsageError
from birthplan.problems import Problem

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 100_000  # a full plan has about a thousand; alias bombs have millions
MAX_DEPTH = 64
_NULLS = {"", "~", "null", "Null", "NULL"}
# libyaml's composer is ten times faster and gives the same nodes and marks.
_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Only the plain data types; never python/*, binary, set or other constructors.
_ALLOWED_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}


@dataclass
class Plan:
    path: Path
    raw: bytes
    text: str
    data: dict
    locations: dict = field(default_factory=dict)  # path tuple -> (line, column) of the value
    key_locations: dict = field(default_factory=dict)  # path tuple -> (line, column) of the key
    written_version: object = None  # schema_version as written; ``data`` is always the current version
    upgrade_moves: list = field(default_factory=list)  # fields read from their version-1 place
    # path tuple -> CommentAfterValue: a comment on the line of an unquoted value, which in free
    # text may be words the author meant as text (YAML ends unquoted text at " #")
    comments_after_values: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.path)

    def location(self, path: tuple, *, key: bool = False) -> tuple[int | None, int | None]:
        """The closest known (line, column) for ``path``, walking up to its parents."""
        table = self.key_locations if key else self.locations
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.locations:
                return self.locations[probe]
            probe = probe[:-1]
        return self.locations.get((), (1, 1))


class CommentAfterValue(NamedTuple):
    """A comment on the same line as an unquoted value, right after it."""

    line: int  # where its '#' is, 1-based
    column: int
    text: str  # what follows the '#', stripped (never shown: it may be plan words)
    written_path: tuple  # the value's path as written in the file (before a version upgrade)


# After the end of an unquoted value: spaces, then '#' (YAML's comment needs the space).
_COMMENT_AFTER = re.compile(r"[ \t]+#([^\r\n\x85\u2028\u2029]*)")


class _Fatal(Exception):
    """Stop building: the file cannot be read as a plan at all."""

    def __init__(self, problem: Problem):
        self.problem = problem


def load_plan(path: str | Path) -> Plan:
    """Load a plan file; raise PlanLoadError listing every problem found."""
    plan, problems = read_plan(path)
    if problems:
        raise PlanLoadError(path, problems)
    return plan


def load_plan_text(text: str, source_name: str = "<plan>") -> Plan:
    """Load a plan from text already in memory (e.g. a history snapshot).

    Only text that cannot be read as a plan at all raises: a recorded version
    must stay readable even when a value in it (a phone number, say) fails a
    check added since it was recorded; such values are kept as written.
    """
    plan, problems = read_plan_text(text, source_name)
    if plan is None:
        raise PlanLoadError(source_name, problems)
    return plan


def read_plan_text(text: str, source_name: str = "<plan>") -> tuple[Plan | None, list[Problem]]:
    """Like ``read_plan`` for text already in memory (e.g. a plan the importer wrote)."""
    return _build(text.encode("utf-8"), text, Path(source_name))


def read_plan(path: str | Path) -> tuple[Plan | None, list[Problem]]:
    """Load a plan file, returning the problems instead of raising.

    Returns ``(None, problems)`` when the file cannot be read at all, and
    ``(plan, problems)`` when it parsed but some values were wrong (duplicate
    keys, impossible dates): the schema can still be checked then, so the
    author sees every problem at once.
    """
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except OSError as err:
        raise UsageError(f"{name}: cannot be read ({err.strerror})") from None
    if not path.is_file():
        raise UsageError(f"{name}: is not a file")
    if size > MAX_BYTES:
        return None, [_problem(name, None, "", f"the file is {size:,} bytes; a plan may be at most "
                               f"{MAX_BYTES:,} bytes. Check that this is the right file.")]
    with path.open("rb") as handle:
        raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:  # it grew while we looked
        return None, [_problem(name, None, "", f"the file is larger than {MAX_BYTES:,} bytes.")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        return None, [_problem(name, line, "", "the file is not UTF-8 text. Save it as UTF-8 "
                               "(in most editors: Save As, encoding UTF-8) and try again.")]
    return _build(raw, text, path)


def _build(raw: bytes, text: str, path: Path) -> tuple[Plan | None, list[Problem]]:
    name = str(path)
    try:
        root = yaml.compose(text, Loader=_COMPOSER)
    except yaml.MarkedYAMLError as err:
        from birthplan import syntax  # only for a file YAML cannot read: not paid by every validate

        first = syntax.syntax_problem(name, text, err)
        return None, [first, *syntax.later_tab_problems(name, text, first.line)]
    except yaml.reader.ReaderError as err:
        # libyaml counts the position in bytes, the Python reader in characters: find the
        # refused character itself (the reader stops at its first), whichever ran
        found = text.find(chr(err.character)) if isinstance(err.character, int) else -1
        return None, [_character_problem(name, raw, text, found if found >= 0 else err.position)]
    except yaml.YAMLError:
        return None, [_problem(name, None, "", "the file is not valid YAML.")]
    if root is None:
        return None, [_problem(name, 1, "", "the file is empty. Start from `birthplan init`.")]
    builder = _Builder(name, text)
    try:
        data = builder.build(root, ())
    except _Fatal as fatal:
        return None, [fatal.problem]
    if not isinstance(data, dict):
        return None, [Problem(name, root.start_mark.line + 1, 1, "",
                              "the plan must be a mapping of sections (plan:, people:, ...).")]
    plan = Plan(path, raw, text, data, builder.locations, builder.key_locations,
                comments_after_values=builder.comments_after_values)
    coerce_to_schema(plan, builder.plain, builder.problems)
    _read_as_current_version(plan, builder.problems)
    return plan, builder.problems


def _character_problem(name: str, raw: bytes, text: str, position: int) -> Problem:
    """A character YAML refuses (NUL, other control characters), by byte and line."""
    before = text[:position]
    line = before.count("\n") + 1
    byte = len(before.encode("utf-8")) + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)
    character = text[position] if position < len(text) else ""
    what = "a NUL character" if character == "\x00" else f"the control character U+{ord(character):04X}"
    column = position - (before.rfind("\n") + 1) + 1
    return Problem(name, line, column, "", f"byte {byte} (line {line}) is {what}, which a plan cannot "
                   "hold (it often comes from copying out of another program or a damaged file): "
                   "delete it and save the file again.")


def _read_as_current_version(plan: Plan, problems: list[Problem]) -> None:
    """A version-1 plan is read as version 2 (``birthplan.upgrade``), its values' locations
    moved with them, so every later step sees one version and errors still point at the file."""
    from birthplan import upgrade

    result = upgrade.normalise(plan.data)
    plan.written_version = result.written_version
    plan.upgrade_moves = result.moves
    for path, message in result.conflicts:
        line, col = plan.location(path, key=True)
        problems.append(Problem(plan.name, line, col, ".".join(path), message))
    if result.moves:
        plan.locations = {upgrade.moved_location(p, result.moves): at for p, at in plan.locations.items()}
        plan.key_locations = {upgrade.moved_location(p, result.moves): at
                              for p, at in plan.key_locations.items()}
        plan.comments_after_values = {upgrade.moved_location(p, result.moves): comment
                                      for p, comment in plan.comments_after_values.items()}
        for move in result.moves:  # the new list and section were written where the old field was
            plan.locations.setdefault(move.new, plan.locations.get(move.new + (0,), (1, 1)))
            plan.locations.setdefault(move.new[:-1], plan.locations[move.new])
    plan.data = result.data


def _problem(file: str, line, field_label: str, message: str) -> Problem:
    return Problem(file, line, 1 if line else None, field_label, message)


class _Builder:
    """Turns YAML nodes into plain data, recording where each value was written."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.text = text
        self.locations: dict = {}
        self.key_locations: dict = {}
        self.comments_after_values: dict = {}
        self.plain: set = set()  # paths of unquoted scalars (candidates for true/false, numbers)
        self.problems: list[Problem] = []
        self.count = 0
        self._active: set[int] = set()

    def build(self, node, path: tuple, depth: int = 0):
        self.count += 1
        if self.count > MAX_NODES:
            raise _Fatal(Problem(self.name, node.start_mark.line + 1, node.start_mark.column + 1, "",
                                 f"the file expands to more than {MAX_NODES:,} values (aliases "
                                 "repeated inside aliases). Write the values out instead."))
        if depth > MAX_DEPTH:
            raise _Fatal(self._at(node, "the file is nested too deeply to be a plan."))
        if node.tag not in _ALLOWED_TAGS:
            raise _Fatal(self._at(node, f"the tag {node.tag!r} is not allowed in a plan. Remove it."))
        self.locations.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            if not node.style:  # plain (PyYAML says None, libyaml says "")
                if node.value in _NULLS:
                    return None
                self.plain.add(path)
                self._comment_after(node, path)
            return node.value
        if id(node) in self._active:
            raise _Fatal(self._at(node, "an alias refers to itself."))
        self._active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
            return self._mapping(node, path, depth)
        finally:
            self._active.discard(id(node))

    def _mapping(self, node, path: tuple, depth: int) -> dict:
        result: dict = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Fatal(self._at(key_node, "a key must be a plain name."))
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key == "<<":
                raise _Fatal(self._at(key_node, "merge keys (<<) are not supported; write the fields out."))
            if key in first_seen:
                self.problems.append(Problem(
                    self.name, line, key_node.start_mark.column + 1, fields.label(path + (key,)),
                    f"'{key}' appears twice in the same section (lines {first_seen[key]} and {line}). "
                    "Merge them into one; the tool will not guess which one you meant."))
                continue
            first_seen[key] = line
            self.key_locations[path + (key,)] = (line, key_node.start_mark.column + 1)
            value = self.build(value_node, path + (key,), depth + 1)
            if value is not None:  # an empty value means "not filled in"
                result[key] = value
            elif node.flow_style and fields.node_at(path + (key,)) is None:
                # In {a: x, Newcastle, b: y} a bare comma inside a value ends it, and YAML reads
                # the words after it as a key with no value. Dropping that empty key as "not
                # filled in" would silently lose the author's words, so say what happened.
                self.problems.append(Problem(
                    self.name, line, key_node.start_mark.column + 1, fields.label(path),
                    "a comma inside a value between { } ends the value, so the words after it "
                    "were read as a field name. Put the whole value in quotes, e.g. "
                    "place_of_birth: \"Ward 5, East Wing\"."))
        return result

    def _comment_after(self, node, path: tuple) -> None:
        """Record a comment that follows an unquoted value on its line (one regex match at the
        value's end: a plan has a thousand values, and validate must stay fast)."""
        end = node.end_mark
        found = _COMMENT_AFTER.match(self.text, end.index)
        if found:
            self.comments_after_values[path] = CommentAfterValue(
                end.line + 1, end.column + found.start(1) - end.index, found.group(1).strip(), path)

    def _at(self, node, message: str) -> Problem:
        return Problem(self.name, node.start_mark.line + 1, node.start_mark.column + 1, "", message)


def coerce_to_schema(plan: Plan, plain: set, problems: list[Problem]) -> None:
    """Apply the only conversions the schema asks for: booleans, integers, dates."""
    plan.data = _coerce(plan.data, (), fields.node_at(()), plan, plain, problems)


def _coerce(value, path: tuple, node, plan: Plan, plain: set, problems: list[Problem]):
    if node is None:
        return value
    if isinstance(value, dict):
        return {k: _coerce(v, path + (k,), fields.child(node, k), plan, plain, problems)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_coerce(v, path + (i,), fields.child(node, i), plan, plain, problems)
                for i, v in enumerate(value)]
    node = fields.resolve(node)
    wanted = fields.wanted_types(node)
    if path in plain and "string" not in wanted:
        if "boolean" in wanted and value.lower() in ("true", "false"):
            return value.lower() == "true"
        if "integer" in wanted and value.isdigit():
            return int(value)
    if not isinstance(value, str):
        return value
    held, message = read_value(value, node)
    if message:
        line, col = plan.location(path)
        problems.append(Problem(plan.name, line, col, fields.label(path), message))
    return held


def read_value(value: str, node: dict) -> tuple[object, str | None]:
    """The one form a written value is held in, and what is wrong with it (None when nothing).

    Dates, times, phone and NHS numbers and set values are read by ``birthplan.values``;
    anything else, and a value that cannot be read, is kept as written. Validation calls
    this too (``validate.value_problems``) for data that did not come through the loader.
    """
    node = fields.resolve(node)
    kind = fields.value_kind(node)
    if kind is None and "enum" not in node:
        return value, None
    inner = value.strip()
    if len(inner) > 1 and inner[0] in CURLY_QUOTES and inner[-1] in CURLY_QUOTES:
        what = {"date": "date", "time": "time", "phone": "number", "nhs_number": "number"}.get(kind, "value")
        return value, f"the {what} is in curly quotes copied from Word: use straight quotes or none."
    if "enum" in node:
        return values.parse_choice(value, node["enum"]) or value, None  # no match: the schema explains
    try:
        if kind == "date":
            parsed = values.parse_date(value)
            # Not written as a date at all: the schema's format check says which forms work.
            return (parsed.isoformat() if parsed else value), None
        if kind == "time":
            return values.parse_time(value), None
        if kind == "phone":
            return values.parse_phone(value).display, None
        return values.parse_nhs_number(value), None
    except ValueError as why:
        if kind == "date":
            stop = "" if str(why).endswith("?") else "."  # "did you mean 13/06/2027?"
            return value, f"not a real date: {why}{stop} Write it as {values.DATE_FORMS}."
        if kind == "phone":
            return value, f"the number as written, {inner}, {why}."
        return value, f"{why}."


def parse_date(text: str) -> dt.date | None:
    """A date as ``birthplan.values.parse_date`` reads it (kept here for existing callers)."""
    return values.parse_date(text)
