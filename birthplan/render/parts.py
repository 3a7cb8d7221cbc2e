"""One render's work shared out between worker processes, writing the same files.

``render_parts(path, ...)`` gives keyword arguments for ``render_plan``, one set
per part; between them the parts write exactly the files one
``render_plan(path, ...)`` call with the same options writes. They are listed
heaviest first: a process pool hands them out in that order, so the long parts
start at once and the short ones fill the gaps (on the largest example, two
workers finish about a tenth of a second apart).

How the work is cut (measured on examples/sunderland-full.yaml, warm):

* a PDF is laid out by WeasyPrint (0.8 to 1 s a copy), a Word file filled by
  docxtpl (under 0.15 s): each copy's PDF is one part, its Word and HTML files
  another, so no worker is left with two PDFs while the other idles;
* the delivery-suite sheet goes in one part with the parents' standard copy in
  its language: the sheet prints that copy's page numbers ("parents' copy,
  page N"), which ``render_plan`` reads from the layout it has made for the
  parents' PDF anyway. Apart, the sheet's part would lay the parents' copy out a
  second time (0.7 to 0.9 s of work for its page numbers).
"""

from __future__ import annotations

from birthplan.render import AUDIENCES, DEFAULT_FORMATS, planned_copies

LAID_OUT = "pdf"  # the format that costs a layout; the others are quick
_FORM_OPTIONS = {"standard": "standard_print", "large_print": "large_print", "easy_read": "easy_read"}


def render_parts(path, audiences=AUDIENCES, formats=DEFAULT_FORMATS, language: str | None = None,
                 templates=None) -> list[dict]:
    """``render_plan`` options, one dict per part, heaviest first (see the module's note)."""
    from birthplan.render.needs import Copy

    copies = planned_copies(path, audiences, language, templates)
    formats = tuple(formats)
    quick = tuple(fmt for fmt in formats if fmt != LAID_OUT)
    sheet_languages = {copy.language for copy in copies if copy.audience == "delivery_suite"}
    weighed: list[tuple[int, dict]] = []
    for copy in copies:
        options = {"audiences": (copy.audience,), "language": copy.language, "templates": templates}
        if copy.audience == "parent":
            options[_FORM_OPTIONS[copy.form]] = True  # exactly this form of the parents' copy
        if copy.audience == "delivery_suite":
            if Copy("parent", copy.language) in copies:
                continue  # in the part of the parents' standard copy, below
            weighed.append((3, {**options, "formats": formats}))  # lays the parents' copy out itself
        elif copy == Copy("parent", copy.language) and copy.language in sheet_languages:
            weighed.append((3, {**options, "audiences": ("parent", "delivery_suite"), "formats": formats}))
        else:
            if LAID_OUT in formats:
                weighed.append((2, {**options, "formats": (LAID_OUT,)}))
            if quick:
                weighed.append((1, {**options, "formats": quick}))
    weighed.sort(key=lambda part: -part[0])  # stable: the plan's own order within a weight
    return [options for _, options in weighed]
