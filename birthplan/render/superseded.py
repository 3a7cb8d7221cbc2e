"""Copies in the out folder that must no longer be sent: named in a notice, never deleted.

Two kinds, found by file name:

* drafts an agreed version has superseded. Before a plan's first review (and
  after each edit since a review) every copy is named ``..._draft``
  (``render.output_name``). Once the review is recorded, the next render writes
  ``..._v1`` files beside the old drafts;
* copies of a version later marked entered in error (``..._v3`` and the drafts
  written against it, ``..._v3_draft``): nobody should act on that version.

Nothing deletes the user's files, so these stay, and one could be sent by
mistake. The render names them instead, so that the person who rendered can
delete them (and `birthplan status` names the people who were sent one).

A file name carries only the case reference, audience, version, language and
form (never a person's name), so naming the files quotes nothing from a plan.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

_VERSION = re.compile(r"v([1-9][0-9]*)")
DRAFT = "draft"  # the part output_name adds to a draft's name


@dataclass(frozen=True)
class CopyFile:
    """One of this plan's copies in the out folder, as its name describes it."""

    path: Path
    version: int | None  # the version it was rendered at (None: before any review)
    draft: bool


def copies_in(out_dir: Path, case_reference: str) -> list[CopyFile]:
    """This plan's copies in ``out_dir``: ``CASE_audience[_vN][_draft]...`` files.
    Another plan's files (another case reference) are not its."""
    from birthplan.render import AUDIENCES, FORMATS

    audiences = {audience.replace("_", "-") for audience in AUDIENCES}
    suffixes = {f".{fmt}" for fmt in FORMATS}
    try:
        entries = list(os.scandir(out_dir))
    except OSError:  # no out folder yet, or one we cannot list: nothing to point at
        return []
    found = []
    for entry in entries:
        path = Path(entry.path)
        parts = path.stem.split("_")  # a case reference has no "_" (the schema's pattern)
        if path.suffix not in suffixes or len(parts) < 3 or parts[0] != case_reference \
                or parts[1] not in audiences or not entry.is_file():
            continue
        rest, version = parts[2:], None
        number = _VERSION.fullmatch(rest[0])
        if number:
            rest, version = rest[1:], int(number.group(1))
        found.append(CopyFile(path, version, rest[:1] == [DRAFT]))
    return sorted(found, key=lambda copy: copy.path)


def notices(out_dir: Path, case_reference: str, stamp, plan_path) -> list[str]:
    """What a render says about the copies in ``out_dir`` that must not be sent
    (``stamp``: the version the copies were rendered at, with the versions in error)."""
    copies = copies_in(Path(out_dir), case_reference)
    in_error = [copy for copy in copies if copy.version in stamp.in_error]
    current = stamp.newer_version or stamp.version
    # drafts from before the current agreed version (``..._draft``, ``..._vN_draft`` with N below it)
    drafts = [copy for copy in copies if copy not in in_error and copy.draft and current is not None
              and (copy.version is None or copy.version < current)]
    said = []
    if drafts:
        said.append(f"note: {out_dir} holds {_count(drafts, 'draft ')} of {case_reference} from "
                    f"before version {current} was agreed, which supersedes {_them(drafts)}: "
                    f"{_names(drafts)}. Delete {_them(drafts)} so that no draft is sent by "
                    "mistake (birthplan never deletes your files).")
    if in_error:
        numbers = sorted({copy.version for copy in in_error})
        versions = (f"version {numbers[0]}, which was" if len(numbers) == 1 else
                    f"versions {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}, which were")
        needed = f"version {current}" if current is not None else \
            "the plan once its review is recorded again"
        said.append(f"note: {out_dir} holds {_count(in_error)} of {case_reference} {versions} "
                    f"entered in error: {_names(in_error)}. Delete {_them(in_error)} so that none "
                    "is sent by mistake (birthplan never deletes your files); anyone who was sent "
                    f"one needs {needed}: birthplan status {plan_path}")
    return said


def _count(copies: list, kind: str = "") -> str:
    return f"{len(copies)} {kind}cop{'y' if len(copies) == 1 else 'ies'}"


def _them(copies: list) -> str:
    return "it" if len(copies) == 1 else "them"


def _names(copies: list[CopyFile]) -> str:
    return ", ".join(copy.path.name for copy in copies)
