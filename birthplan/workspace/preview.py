"""What each audience would read: the HTML copy of the plan as it is on the page.

The same steps as ``birthplan.render.render_plan`` for one HTML copy (redact
with ``audience.view_for``, the document model, the pack's HTML template), but
from the data being edited rather than from the file, and with nothing
written to disk. A plan with errors is still previewed as far as it can be:
people in the meeting see the copy take shape as they type.
"""

from __future__ import annotations

from pathlib import Path

from birthplan import audience as audience_rules
from birthplan import fields
from birthplan.errors import BirthplanError
from birthplan.load import Plan
from birthplan.validate import Report, validate_plan


def check(data: dict, name: str) -> Report:
    """``birthplan validate``'s report (the same messages) for data not yet saved."""
    plan = Plan(path=Path(name), raw=b"", text="", data=data)
    return validate_plan(plan)


def check_saved(opened) -> Report:
    """What ``birthplan review`` checks before it records (``load_and_validate``): the saved
    file as it was read (``store.Opened``), the loader's problems included, not the page."""
    from birthplan.validate import validate_read

    return validate_read(opened.plan, opened.problems, opened.ref.relative)


def render_copy(path: Path, data: dict, audience: str, language: str = "en") -> str:
    """The ``audience`` copy of ``data`` as one self-contained HTML page."""
    from birthplan.audience import view_for
    from birthplan.history import version_stamp
    from birthplan.render import pack_folder
    from birthplan.render.changes import changes_between
    from birthplan.render.documents import build_document
    from birthplan.render.html import render_html
    from birthplan.render.i18n import Words
    from birthplan.render.packs import load_pack
    from birthplan.render.sanitize import clean_plan

    clean = clean_plan(data)
    pack = _pack(str(pack_folder(None, clean)))
    if language not in pack.languages:
        language = "en"
    stamp = version_stamp(path, data)
    previous = clean_plan(stamp.previous_data) if stamp.previous_data is not None else None
    view = view_for(clean, audience)
    changes = changes_between(previous, clean, audience)
    document = build_document(view, audience, Words(pack, language), pack, stamp, changes, False)
    return render_html(document, pack)


_PACKS: dict = {}


def _pack(folder: str):
    from birthplan.render.packs import load_pack

    if folder not in _PACKS:
        _PACKS[folder] = load_pack(folder)
    return _PACKS[folder]


def withheld(data: dict, audience: str) -> list[str]:
    """The fields this audience's copy leaves out, in plain words (for the people in the room)."""
    labels = []
    for path in audience_rules.withheld_paths(data, audience):
        words = fields.label(tuple(path))
        if words not in labels:
            labels.append(words)
    return labels


def preview_or_reason(path: Path, data: dict, audience: str, language: str) -> tuple[str | None, str | None]:
    """The copy, or why it cannot be shown yet (a plan still missing what a copy needs)."""
    try:
        return render_copy(path, data, audience, language), None
    except BirthplanError as err:
        return None, str(err)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        # The document model expects a valid plan; an unfinished one can miss what it needs.
        return None, type(err).__name__
