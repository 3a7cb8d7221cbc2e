"""Write a plan as tidy YAML that a person can carry on editing.

The plan's own loader keeps every scalar as written, but people also open plans
in other YAML tools, which read ``07700900123`` as a number, ``no`` as false,
``10:30`` as 630 and ``2027-03-21`` as a date. So any string that some YAML
reader (1.1 or 1.2) would not read back as that same string is quoted. Other
choices, all for the person editing next:

* fields in schema order, with each top-level section's title as a comment;
* text over several lines as a literal block (``|``), kept exactly;
* real characters (Ŵ, ł, ل), never ``\\u`` escapes, except for invisible
  control characters, which are escaped so they cannot hide in the file.
"""

from __future__ import annotations

import re

import yaml

from birthplan import fields

INDENT = 2
FLOW_LIST_WIDTH = 60  # short lists of simple words fit on one line: [easy_read, large_print]
_TEXT_ITEM_ORDER = ("text", "share_with", "third_party")

# Strings that a YAML 1.2 reader, or PyYAML's 1.1 rules, would read as something else.
_NOT_STRINGS_12 = re.compile(
    r"""[-+]?[0-9]+                                  # 07700900123
      | 0o[0-7]+ | 0x[0-9a-fA-F]+
      | [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
      | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)
      | y|Y|n|N|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF
      | true|True|TRUE|false|False|FALSE|null|Null|NULL|~
      | [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?              # 09:30 (sexagesimal in YAML 1.1)
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?     # dates and timestamps
    """,
    re.VERBOSE,
)
_PLAIN_FIRST_FORBIDDEN = set("-?:,[]{}#&*!|>'\"%@`") | {" "}
_RESOLVER = yaml.resolver.Resolver()
# Characters PyYAML will not write unescaped, and line breaks that a literal block would
# turn into "\n" (so the text would not come back exactly as it was).
_NEEDS_ESCAPES = re.compile("[^\x09\x0a\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|[\x85\u2028\u2029\ufeff]")


def dump_plan(data: dict, *, header: list[str] | tuple[str, ...] = ()) -> str:
    """The plan as YAML text: ``header`` lines as comments, then sections in schema order."""
    lines = [f"# {' '.join(line.split())}".rstrip() for line in header]  # one comment line each, always
    for key in _ordered(data, ()):
        value = data[key]
        if value is None:
            continue
        if isinstance(value, (dict, list)):
            if lines:
                lines.append("")
            title = (fields.node_at((key,)) or {}).get("title")
            if title:
                lines.append(f"# {title}")
        _emit(key, value, (key,), 0, lines)
    return "\n".join(lines) + "\n"


def scalar(value) -> str:
    """One scalar as YAML that every common reader reads back as the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        raise TypeError(f"cannot write a {type(value).__name__} as a plan value")
    if _needs_quotes(value):
        return _double_quoted(value)
    return value


def _needs_quotes(text: str) -> bool:
    if not text or text != text.strip() or "\n" in text or "\t" in text:
        return True
    if _NEEDS_ESCAPES.search(text):
        return True
    if text[0] in _PLAIN_FIRST_FORBIDDEN or text.startswith(("---", "...")):
        return True
    if ": " in text or " #" in text or text.endswith(":"):
        return True
    if _NOT_STRINGS_12.fullmatch(text):
        return True
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) != "tag:yaml.org,2002:str"


def _double_quoted(text: str) -> str:
    dumped = yaml.dump(text, allow_unicode=True, default_style='"', width=float("inf"))
    return dumped.rstrip("\n")


def _ordered(mapping: dict, path: tuple) -> list:
    """Keys in schema order; any the schema does not know keep their order, after."""
    known = fields.property_names(path) or list(_TEXT_ITEM_ORDER)
    first = [key for key in known if key in mapping]
    return first + [key for key in mapping if key not in first]


def _emit(key: str, value, path: tuple, indent: int, lines: list[str]) -> None:
    head = " " * indent + f"{_key(key)}:"
    if isinstance(value, dict):
        if not value:
            lines.append(head + " {}")
            return
        lines.append(head)
        _emit_mapping(value, path, indent + INDENT, lines)
    elif isinstance(value, list):
        if _fits_on_one_line(value):
            lines.append(head + " [" + ", ".join(scalar(item) for item in value) + "]")
            return
        lines.append(head)
        _emit_sequence(value, path, indent + INDENT, lines)
    elif _is_block_text(value):
        lines.append(head + " " + _block_header(value))
        lines.extend(_block_body(value, indent + INDENT))
    else:
        lines.append(f"{head} {scalar(value)}")


def _emit_mapping(mapping: dict, path: tuple, indent: int, lines: list[str]) -> None:
    for key in _ordered(mapping, path):
        if mapping[key] is not None:
            _emit(key, mapping[key], path + (key,), indent, lines)


def _emit_sequence(items: list, path: tuple, indent: int, lines: list[str]) -> None:
    dash = " " * indent + "- "
    for position, item in enumerate(items):
        item_path = path + (position,)
        if isinstance(item, dict) and item:
            start = len(lines)
            _emit_mapping(item, item_path, indent + INDENT, lines)
            # the item's first field goes on the dash line: "- name: ..."
            lines[start] = dash + lines[start][indent + INDENT:]
        elif isinstance(item, list) and item:
            start = len(lines)
            _emit_sequence(item, item_path, indent + INDENT, lines)
            lines[start] = dash + lines[start][indent + INDENT:]
        elif isinstance(item, str) and _is_block_text(item):
            lines.append(dash + _block_header(item))
            lines.extend(_block_body(item, indent + INDENT))
        elif isinstance(item, (dict, list)):
            lines.append(dash + ("{}" if isinstance(item, dict) else "[]"))
        else:
            lines.append(dash + scalar(item))


def _fits_on_one_line(items: list) -> bool:
    if not items:
        return True
    if not all(isinstance(item, str) and not _needs_quotes(item) for item in items):
        return False
    if any(set(item) & set(",[]{}#&*!|>'\"%@`") for item in items):
        return False
    return sum(len(item) + 2 for item in items) <= FLOW_LIST_WIDTH


def _key(key) -> str:
    return scalar(str(key))


def _is_block_text(text) -> bool:
    """Text over several lines that a literal block keeps exactly."""
    if not isinstance(text, str) or "\n" not in text.rstrip("\n"):
        return False
    if _NEEDS_ESCAPES.search(text) or "\r" in text:
        return False
    body = text.rstrip("\n")
    if len(text) - len(body) > 1 or body.startswith("\n") or not body.strip():
        return False  # blank lines at either end would run into the next field
    # Lines of only spaces, or with trailing spaces, do not survive editors unchanged:
    # those texts are written double-quoted instead.
    return all(line == "" or (line.strip() and line == line.rstrip()) for line in body.split("\n"))


def _block_header(text: str) -> str:
    chomp = "" if text.endswith("\n") else "-"  # clip keeps one final newline, strip none
    indicator = str(INDENT) if text[0] in " \t" else ""  # needed when the text starts indented
    return f"|{indicator}{chomp}"


def _block_body(text: str, indent: int) -> list[str]:
    return [(" " * indent + line) if line else "" for line in text.rstrip("\n").split("\n")]
