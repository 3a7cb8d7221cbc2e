"""Characters that would change or hide what a value says once it is printed.

* Unprintable: C0 controls except tab and newline, DEL, C1 controls,
  non-characters and lone surrogates. No document format can hold them
  (Word's XML forbids them, RFC 5545 forbids them in a calendar).
* Curly quotes around a whole value (Word's ‘ ’ and “ ”): YAML's quotes are straight, so
  these are read as part of the text and printed on every copy.
* Unpaired bidi controls: an embedding, override or isolate that is never
  closed on its line, or a closing mark that closes nothing. An unclosed
  right-to-left override pasted after a name would reverse everything printed
  after it on that line, the phone number included.

Shared by validation (which warns, naming the field) and rendering (which
removes them, ``birthplan.render.sanitize``), so the two never disagree.
"""

from __future__ import annotations

import re

UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")

EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE, RLE, LRO, RLO: closed by PDF
POP_DIRECTIONAL_FORMATTING = "\u202c"
ISOLATES = "\u2066\u2067\u2068"  # LRI, RLI, FSI: closed by PDI
POP_DIRECTIONAL_ISOLATE = "\u2069"
BIDI_CONTROLS = EMBEDDINGS + POP_DIRECTIONAL_FORMATTING + ISOLATES + POP_DIRECTIONAL_ISOLATE
_MAY_BE_BIDI = re.compile(f"[{BIDI_CONTROLS}]")


# Word and Outlook turn straight quotes into these; YAML reads them as part of the value.
CURLY_QUOTES = "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"
# The ones that open a quotation (’ is also the apostrophe, so it never counts as opening).
_OPENING_QUOTES = "\u201c\u2018\u201e\u201a\u00ab\u2039"


def in_curly_quotes(text: str) -> bool:
    """Whether ``text`` is wrapped in curly quotes as a whole ("‘Kayleigh Robinson’"), or starts
    with one it never closes ("“I want to try"): quotes meant for YAML, pasted from Word.
    Quotations inside the text ("She said “no”", "“Gas” and “air”") and apostrophes are text."""
    inner = text.strip()
    if len(inner) < 2 or inner[0] not in _OPENING_QUOTES:
        return False
    closing = {"\u201c": "\u201d", "\u2018": "\u2019", "\u201e": "\u201c\u201d",
               "\u201a": "\u2019", "\u00ab": "\u00bb", "\u2039": "\u203a"}[inner[0]]
    if inner[-1] in closing:  # wrapped, unless another quotation opens inside
        return not any(char in _OPENING_QUOTES for char in inner[1:-1])
    return not any(char in closing for char in inner[1:])  # opened, never closed


def has_unprintable(text: str) -> bool:
    return UNPRINTABLE.search(text) is not None


def unpaired_bidi_controls(text: str) -> list[int]:
    """Offsets of the bidi controls in ``text`` that are never closed, or close nothing.

    The Unicode bidi algorithm's own pairing: PDF closes the latest embedding
    opened since the latest open isolate; PDI closes the latest open isolate
    and every embedding opened inside it; a line break ends them all.
    """
    if not _MAY_BE_BIDI.search(text):
        return []
    unpaired: list[int] = []
    open_marks: list[tuple[str, int]] = []  # ("embedding" | "isolate", offset)
    for offset, char in enumerate(text):
        if char == "\n":
            unpaired += [at for _, at in open_marks]
            open_marks = []
        elif char in EMBEDDINGS:
            open_marks.append(("embedding", offset))
        elif char in ISOLATES:
            open_marks.append(("isolate", offset))
        elif char == POP_DIRECTIONAL_FORMATTING:
            if open_marks and open_marks[-1][0] == "embedding":
                open_marks.pop()
            else:
                unpaired.append(offset)
        elif char == POP_DIRECTIONAL_ISOLATE:
            if any(kind == "isolate" for kind, _ in open_marks):
                while open_marks.pop()[0] != "isolate":
                    pass
            else:
                unpaired.append(offset)
    return sorted(unpaired + [at for _, at in open_marks])


def has_unpaired_bidi_controls(text: str) -> bool:
    return bool(unpaired_bidi_controls(text))
