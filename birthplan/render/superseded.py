"""Draft copies that an agreed version has superseded, left in the out folder.

Before a plan's first review (and after each edit since a review) every copy
is named ``..._draft`` (``render.output_name``). Once the review is recorded,
the next render writes ``..._v1`` files beside the old drafts; nothing deletes
the user's files, so the drafts stay, and one could be sent by mistake. The
render names them instead, so that the person who rendered can delete them.

A file name carries only the case reference, audience, version, language and
form (never a person's name), so naming the files quotes nothing from a plan.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_VERSION = re.compile(r"v([1-9][0-9]*)")
DRAFT = "draft"  # the part output_name adds to a draft's name


def superseded_drafts(out_dir: Path, case_reference: str, current: int) -> list[Path]:
    """This plan's draft copies in ``out_dir`` from before version ``current`` was agreed:
    ``CASE_audience_draft...`` (never reviewed) and ``CASE_audience_vN_draft...`` with N
    below ``current``. Another plan's files (another case reference) are not its."""
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
        if rest[:1] == [DRAFT] and (version is None or version < current):
            found.append(path)
    return sorted(found)


def superseded_drafts_notice(out_dir: Path, case_reference: str, stamp) -> list[str]:
    """The notice a render gives when ``out_dir`` holds drafts of this plan that the
    current agreed version supersedes (``stamp``: the version the copies were rendered at)."""
    current = stamp.newer_version or stamp.version
    if current is None:  # never agreed: every copy is a draft, and none is superseded
        return []
    drafts = superseded_drafts(Path(out_dir), case_reference, current)
    if not drafts:
        return []
    count = f"{len(drafts)} draft cop{'y' if len(drafts) == 1 else 'ies'}"
    return [f"note: {out_dir} holds {count} of {case_reference} from before version {current} "
            f"was agreed, which supersedes {'it' if len(drafts) == 1 else 'them'}: "
            f"{', '.join(path.name for path in drafts)}. Delete "
            f"{'it' if len(drafts) == 1 else 'them'} so that no draft is sent by mistake "
            "(birthplan never deletes your files)."]
