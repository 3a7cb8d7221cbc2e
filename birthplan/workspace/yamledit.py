"""Write edited plan data back into the plan's own YAML, changing only what changed.

The YAML file is the record and people edit it by hand too, so a save from the
workspace must keep the author's comments, key order, quoting, flow lists and
date style wherever the value did not change. ruamel.yaml's round-trip mode
keeps all of that; this module decides *what* to touch by comparing the plain
data the form started from (``before``, read by ``birthplan.load``, which
keeps every scalar as written) with the edited data (``after``), and changes
only the nodes that differ.

New values are written the way ``birthplan.yamlwrite`` writes them (quoted
when some YAML reader would misread them, ``|`` blocks for several lines),
dates in the style the file already used for that field, and new keys at their
schema position.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

from birthplan import fields, yamlwrite

_UK_DATE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _yaml(text: str) -> YAML:
    """A round-trip reader/writer set to the file's own indentation."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line that did not change
    offset = _dash_offset(text)
    yaml.indent(mapping=_mapping_indent(text), sequence=offset + 2, offset=offset)
    return yaml


def _mapping_indent(text: str) -> int:
    """The smallest indentation of a nested key (not a list item or comment)."""
    widths = [len(m.group(1)) for m in re.finditer(r"^( +)[^\s#-]", text, re.MULTILINE)]
    return min(widths, default=yamlwrite.INDENT)


def _dash_offset(text: str) -> int:
    """How far a block list's dashes sit in from their key ("key:\n  - item": 2)."""
    match = re.search(r"^( *)[^\s#-][^\n]*:[ \t]*(#[^\n]*)?\n(?:[ \t]*(?:#[^\n]*)?\n)*( *)- ", text, re.MULTILINE)
    if match:
        return max(0, len(match.group(3)) - len(match.group(1)))
    return yamlwrite.INDENT


def apply_edits(text: str, before: dict, after: dict) -> str:
    """``text`` (a plan's YAML) with the differences between ``before`` and ``after`` applied.

    ``before`` must be the plain data of ``text`` (``birthplan.load``). A file
    with no changes comes back byte for byte.
    """
    if before == after:
        return text
    yaml = _yaml(text)
    document = _parsed.pop(_digest(text), None)
    if document is None:
        document = _parse(yaml, text)
    _merge_mapping(document, before or {}, after, ())
    out = io.StringIO()
    yaml.dump(document, out)
    written = _keep_ending(text, out.getvalue())
    _keep(written, document)  # the next save of this file starts from it
    return written


def warm(text: str) -> None:
    """Parse ``text`` ahead of its first save (round-trip parsing is the slow part)."""
    if _digest(text) not in _parsed:
        _keep(text, _parse(_yaml(text), text))


# Parsed documents by the SHA-256 of their text: a document is taken out while it
# is being changed, so it is only ever here while it matches its text exactly.
_parsed: dict[str, CommentedMap] = {}
_KEEP = 8


def _parse(yaml: YAML, text: str) -> CommentedMap:
    document = yaml.load(text)
    return document if isinstance(document, CommentedMap) else CommentedMap()


def _keep(text: str, document: CommentedMap) -> None:
    _parsed[_digest(text)] = document
    while len(_parsed) > _KEEP:
        _parsed.pop(next(iter(_parsed)))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _keep_ending(original: str, written: str) -> str:
    if original.endswith("\n") and not written.endswith("\n"):
        return written + "\n"
    return written


def _merge_mapping(node: CommentedMap, before: dict, after: dict, path: tuple) -> None:
    for key in list(node.keys()):
        if key in before and key not in after:
            del node[key]
    for key, new in after.items():
        old = before.get(key, _ABSENT)
        if old == new and key in node:
            continue
        child_path = path + (key,)
        if key in node and isinstance(new, dict) and isinstance(node[key], CommentedMap) \
                and isinstance(old, dict):
            _merge_mapping(node[key], old, new, child_path)
        elif key in node and isinstance(new, list) and isinstance(node[key], CommentedSeq) \
                and isinstance(old, list):
            _merge_sequence(node[key], old, new, child_path)
        elif key in node:
            node[key] = _scalar_like(new, node[key], child_path)
        else:
            node.insert(_schema_position(node, key, path), key, _fresh(new, child_path))


def _merge_sequence(node: CommentedSeq, before: list, after: list, path: tuple) -> None:
    moved = any(new != before[i] and new in before for i, new in enumerate(after)) \
        if len(before) == len(after) else True
    if not moved and len(node) == len(before):
        for position, (old, new) in enumerate(zip(before, after)):
            if old == new:
                continue
            item_path = path + (position,)
            if isinstance(old, dict) and isinstance(new, dict) and isinstance(node[position], CommentedMap):
                _merge_mapping(node[position], old, new, item_path)
            elif isinstance(old, list) and isinstance(new, list) and isinstance(node[position], CommentedSeq):
                _merge_sequence(node[position], old, new, item_path)
            else:
                node[position] = _scalar_like(new, node[position], item_path)
        return
    # Items added, removed or moved: keep each unchanged item's own node (and its
    # comments and style) wherever it went; write new ones fresh.
    old_nodes = list(node) if len(node) == len(before) else []
    unused = list(range(len(old_nodes)))
    rebuilt = []
    for position, new in enumerate(after):
        match = next((i for i in unused if before[i] == new), None)
        if match is not None:
            unused.remove(match)
            rebuilt.append(old_nodes[match])
        else:
            rebuilt.append(_fresh(new, path + (position,)))
    comments = getattr(node, "ca", None)
    items = getattr(comments, "items", None)
    if items is not None:
        items.clear()  # comments were attached by position; positions changed
    del node[:]
    node.extend(rebuilt)


def _schema_position(node: CommentedMap, key: str, path: tuple) -> int:
    """Where a new key goes: after the keys that come before it in the schema."""
    order = fields.property_names(path) or list(yamlwrite._TEXT_ITEM_ORDER)
    if key not in order:
        return len(node)
    earlier = set(order[: order.index(key)])
    position = 0
    for index, existing in enumerate(node.keys()):
        if existing in earlier:
            position = index + 1
    return position


def _fresh(value, path: tuple):
    """A new node in the project's YAML style (schema order, quoting, blocks)."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key in yamlwrite._ordered(value, path):
            if value[key] is not None:
                mapping[key] = _fresh(value[key], path + (key,))
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(_fresh(item, path + (i,)) for i, item in enumerate(value))
        if yamlwrite._fits_on_one_line(value):
            sequence.fa.set_flow_style()
        return sequence
    return _scalar(value, path)


def _scalar_like(value, old_node, path: tuple):
    """A changed scalar, in the style of the one it replaces where that matters (dates)."""
    if isinstance(value, (dict, list)):
        return _fresh(value, path)
    if isinstance(value, str) and _ISO_DATE.fullmatch(value) and isinstance(old_node, str) \
            and _UK_DATE.fullmatch(str(old_node)):
        year, month, day = value.split("-")
        return f"{day}/{month}/{year}"
    return _scalar(value, path)


def _scalar(value, path: tuple):
    if isinstance(value, bool) or isinstance(value, int) or value is None:
        return value
    text = str(value)
    if _ISO_DATE.fullmatch(text) and "date" in (fields.node_at(path) or {}).get("format", ""):
        try:
            return dt.date.fromisoformat(text)  # written plain: 2027-03-21
        except ValueError:
            pass
    if yamlwrite._is_block_text(text):
        return LiteralScalarString(text)
    if yamlwrite._needs_quotes(text):
        return DoubleQuotedScalarString(text)
    return text


class _Absent:
    def __eq__(self, other):
        return False


_ABSENT = _Absent()
