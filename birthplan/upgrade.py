"""Plan schema versions: the one place that knows how version 1 differs from version 2.

Version 2 moved two fields (and added many optional ones, which need no
upgrade):

* ``legal_status.category`` (one category) became ``legal_status.categories``
  (a list: a plan can be under more than one);
* ``if_separated.contact_plan`` became ``separation.contact_after``, in the
  separation plan that is now a section of its own.

Two jobs use these steps, so they can never disagree:

* ``normalise`` reads version-1 data as version 2 in memory. The loader calls
  it for every plan and every history snapshot, so validate, render, diff and
  history all see version 2: a version recorded before the upgrade keeps its
  exact bytes (and so its fingerprint), and a category that became a one-item
  list is not a change.
* ``upgrade_file`` rewrites a version-1 file as version 2 with ruamel.yaml's
  round trip, keeping comments, order, quoting and indentation, and writes it
  atomically and owner-only. It checks that the rewritten file means exactly
  what the old one did before it replaces anything.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from birthplan import fields

CURRENT = 2
OLDEST = 1


@dataclass(frozen=True)
class Move:
    """A field that moved between versions. ``as_list``: a single value became a one-item list."""

    old: tuple
    new: tuple
    as_list: bool = False

    def describe(self) -> str:
        """Plain words for ``upgrade --check``; names fields, never quotes a value."""
        old, new = ".".join(self.old), ".".join(self.new)
        return f"{old} becomes {new}" + (" (a list of one)" if self.as_list else "")


MOVES_1_TO_2 = (
    Move(("legal_status", "category"), ("legal_status", "categories"), as_list=True),
    Move(("if_separated", "contact_plan"), ("separation", "contact_after")),
)
VERSION_STEP = "schema_version: 1 becomes 2"


@dataclass
class Normalised:
    data: dict
    written_version: object  # what the file says (1, 2, or anything the schema then rejects)
    moves: list[Move] = field(default_factory=list)  # the moves that applied to this plan
    conflicts: list[tuple[tuple, str]] = field(default_factory=list)  # (path, message)


def normalise(data: dict) -> Normalised:
    """``data`` read as the current version. Version-1 data is upgraded in memory
    (a copy: the caller's dict is left alone); anything else is returned as it is."""
    written = data.get("schema_version") if isinstance(data, dict) else None
    result = Normalised(data, written)
    if written != OLDEST:
        return result
    upgraded = _copy(data)
    for move in MOVES_1_TO_2:
        old_parent = _mapping_at(upgraded, move.old[:-1])
        if old_parent is None or move.old[-1] not in old_parent:
            continue
        new_parent = _mapping_at(upgraded, move.new[:-1])
        if new_parent is not None and move.new[-1] in new_parent:
            result.conflicts.append((move.old, f"this version-1 plan also has '{'.'.join(move.new)}' "
                                     f"(the version-2 field it becomes): keep one of them."))
            continue
        value = old_parent.pop(move.old[-1])
        if not old_parent:
            _drop_empty(upgraded, move.old[:-1])
        target = _ensure_mapping(upgraded, move.new[:-1])
        target[move.new[-1]] = [value] if move.as_list else value
        result.moves.append(move)
    upgraded["schema_version"] = CURRENT
    result.data = upgraded
    return result


def moved_location(path: tuple, moves: list[Move]) -> tuple:
    """Where a value written at ``path`` in version 1 is in version 2 (for error locations)."""
    for move in moves:
        if path[:len(move.old)] == move.old:
            rest = path[len(move.old):]
            return move.new + ((0,) if move.as_list else ()) + rest
    return path


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _mapping_at(data: dict, path: tuple):
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else None


def _ensure_mapping(data: dict, path: tuple) -> dict:
    for key in path:
        data = data.setdefault(key, {})
    return data


def _drop_empty(data: dict, path: tuple) -> None:
    parent = _mapping_at(data, path[:-1])
    if parent is not None and parent.get(path[-1]) == {}:
        del parent[path[-1]]


# -- rewriting a file ------------------------------------------------------------


@dataclass(frozen=True)
class UpgradeResult:
    path: Path
    written_version: object
    changes: tuple[str, ...]  # plain words, empty when the file is already current
    written: bool  # the file was rewritten (never under --check)

    @property
    def needed(self) -> bool:
        return bool(self.changes)


def upgrade_file(path: str | Path, *, check: bool = False) -> UpgradeResult:
    """Rewrite a version-1 plan file as version 2; with ``check``, only say what would change.

    Raises BirthplanError (nothing written) when the file cannot be read as a
    plan, is written for a version this birthplan does not know, or when the
    rewritten file would not mean the same as the old one.
    """
    from birthplan.atomic import write_bytes_atomic
    from birthplan.errors import BirthplanError
    from birthplan.load import load_plan, load_plan_text

    path = Path(path)
    plan = load_plan(path)  # PlanLoadError lists every problem; nothing is written
    written = plan.written_version
    if written == CURRENT:
        return UpgradeResult(path, written, (), False)
    if written != OLDEST:
        raise BirthplanError(f"{path}: schema_version is {written!r}; this birthplan upgrades "
                             f"version {OLDEST} plans to version {CURRENT}. Nothing was changed.")
    moves = plan.upgrade_moves  # what the loader moved to read it as version 2
    changes = (VERSION_STEP, *(move.describe() for move in moves))
    if check:
        return UpgradeResult(path, written, changes, False)
    new_text = rewrite_text(plan.text, moves)
    try:
        rewritten = load_plan_text(new_text, str(path))
    except BirthplanError:
        rewritten = None
    if rewritten is None or rewritten.data != plan.data or rewritten.written_version != CURRENT:
        raise BirthplanError(f"{path}: the upgraded plan would not mean the same as this one, so "
                             "nothing was changed. Please report this (without the plan).")
    write_bytes_atomic(path, new_text.encode("utf-8"))  # owner-only, like every write
    return UpgradeResult(path, written, changes, True)


def rewrite_text(text: str, moves) -> str:
    """The plan's text as version 2, by a ruamel.yaml round trip that keeps comments and order."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    mapping, offset = _indentation(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a line the author wrote
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    document = yaml.load(text)
    document["schema_version"] = CURRENT
    for move in moves:
        old_parent = _rt_mapping_at(document, move.old[:-1])
        old_key, new_key = move.old[-1], move.new[-1]
        position = list(old_parent).index(old_key)
        comment = old_parent.ca.items.pop(old_key, None)
        value = old_parent.pop(old_key)
        if move.as_list:
            listed = CommentedSeq([value])
            listed.fa.set_flow_style()  # one line, so a comment after it stays on its line
            value = listed
        if move.old[:-1] == move.new[:-1]:
            old_parent.insert(position, new_key, value)
            target = old_parent
        else:
            target = _rt_new_parent(document, move, CommentedMap)
            target[new_key] = value
            if move.old[0] in document and not document[move.old[0]]:
                del document[move.old[0]]  # the section it left is empty
        if comment is not None:
            target.ca.items[new_key] = comment
    stream = io.StringIO()
    yaml.dump(document, stream)
    return stream.getvalue()


_PARENT_KEY = re.compile(r"^( *)[A-Za-z_][\w-]*:\s*(#.*)?$")
_CHILD_KEY = re.compile(r"^( *)[A-Za-z_][\w-]*:")
_CHILD_ITEM = re.compile(r"^( *)- ")


def _indentation(text: str) -> tuple[int, int]:
    """How the author indents: (a nested mapping's step, a list dash's offset under its key).

    The writer uses these so that only the changed lines change. The defaults
    are birthplan's own style (two spaces, dashes indented two).
    """
    mapping = offset = None
    lines = text.splitlines()
    for line, following in zip(lines, lines[1:]):
        parent = _PARENT_KEY.match(line)
        if not parent:
            continue
        depth = len(parent.group(1))
        item, key = _CHILD_ITEM.match(following), _CHILD_KEY.match(following)
        if item and offset is None:
            offset = len(item.group(1)) - depth
        elif key and mapping is None and len(key.group(1)) > depth:
            mapping = len(key.group(1)) - depth
    return mapping or 2, offset if offset is not None and offset >= 0 else 2


def _rt_mapping_at(document, path: tuple):
    for key in path:
        document = document[key]
    return document


def _rt_new_parent(document, move: Move, mapping_type):
    """The section a field moves into: the old section renamed when the move empties it,
    else the existing new section, else a new section placed in the schema's order."""
    root_old, root_new = move.old[0], move.new[0]
    if len(move.new) != 2 or len(move.old) != 2:
        raise NotImplementedError("moves between top-level sections only")
    if root_new in document:
        return document[root_new]
    old_section = document[root_old]
    position = list(document).index(root_old)
    if not old_section:  # the moved field was its only field: rename the section in place
        comment = document.ca.items.pop(root_old, None)
        del document[root_old]
        document.insert(position, root_new, old_section)
        if comment is not None:
            document.ca.items[root_new] = comment
        return old_section
    order = fields.property_names(())
    after = [key for key in document if key in order and order.index(key) < order.index(root_new)]
    at = list(document).index(after[-1]) + 1 if after else len(document)
    document.insert(at, root_new, mapping_type())
    return document[root_new]


def plans_in(path: str | Path) -> list[Path]:
    """A plan file, or every plan under a folder (the same discovery as ``render DIR``)."""
    path = Path(path)
    if path.is_dir():
        from birthplan.batch import find_plans

        return list(find_plans(path))
    return [path]


__all__ = ["CURRENT", "OLDEST", "Move", "MOVES_1_TO_2", "Normalised", "normalise", "moved_location",
           "UpgradeResult", "upgrade_file", "rewrite_text", "plans_in"]
