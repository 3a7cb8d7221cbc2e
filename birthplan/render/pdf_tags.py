"""What WeasyPrint's PDF/UA tagging leaves out, added as it builds the structure tree.

WeasyPrint tags headings, tables and lists from the HTML, but (version 70):

* a table header cell (``/TH``) carries no ``/Scope``, which PDF/UA-1 needs
  (Matterhorn checkpoint 15-003). WeasyPrint already reads the HTML ``scope``
  attribute to link data cells to their headers; the same attribute decides
  ``/Row`` or ``/Column`` here, so the PDF says what the HTML says.
* a part in another language (``<span lang="en-GB">`` in the bilingual copy)
  carries no ``/Lang``, so a screen reader reads the English in a Welsh voice.

There is no public hook for either, so ``install()`` wraps the function that
turns one layout box into a structure element and completes each element from
its box's HTML element. It costs nothing measurable (no second pass over the
file). If a later WeasyPrint renames that function, the wrapper is not
installed and the PDF is as WeasyPrint makes it; the tests that read /Scope
and /Lang back from the PDF then fail, so the change cannot go unnoticed.
"""

from __future__ import annotations

import functools

_MARK = "_birthplan_completes_tags"
_NOT_ELEMENTS = ("html", "body")  # WeasyPrint makes no structure element for these


def install() -> None:
    """Wrap WeasyPrint's structure-element builder once per process."""
    try:
        from weasyprint.pdf import tags
    except ImportError:  # pragma: no cover - WeasyPrint is a dependency
        return
    original = getattr(tags, "_build_box_tree", None)
    if original is None or getattr(original, _MARK, False):
        return

    @functools.wraps(original)
    def build_box_tree(box, *args, **kwargs):
        for element in original(box, *args, **kwargs):
            complete(element, box)
            yield element

    setattr(build_box_tree, _MARK, True)
    tags._build_box_tree = build_box_tree


def complete(element, box) -> None:
    """Add /Scope to a header cell and /Lang to an element whose HTML names its language."""
    import pydyf

    tag = getattr(box, "element_tag", None)
    html = getattr(box, "element", None)
    if html is None or tag in _NOT_ELEMENTS or not hasattr(element, "get"):
        return
    if element.get("S") == "/TH" and tag == "th" and isinstance(element.get("A"), dict):
        element["A"]["Scope"] = "/Row" if html.get("scope") == "row" else "/Column"
    lang = html.get("lang")
    if lang:
        element["Lang"] = pydyf.String(lang)
