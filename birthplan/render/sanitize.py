"""The one cleaning of plan text, used by every output: the documents (HTML,
PDF, Word), "what changed" and the calendar.

* Line endings made plain; unprintable control characters removed (XML
  inside every .docx forbids them, RFC 5545 forbids them in a calendar, and
  a stray escape code in a midwife's sheet helps nobody).
* Unpaired bidi controls removed, so an override never closed cannot run on
  into the phone number printed after a name.
* Each line holding right-to-left letters or bidi controls is isolated:
  wrapped in FIRST STRONG ISOLATE (U+2068) ... POP DIRECTIONAL ISOLATE
  (U+2069), so whatever direction it reads in, it cannot reorder the words
  and numbers around it in any format. Lines without them (names in Latin
  letters, phone numbers, e-mail addresses) are left exactly as written:
  no invisible characters end up in a number someone copies into a phone.

Validation warns, naming the field and never quoting it, about anything
removed here (``birthplan.rules``), so rendering itself says nothing.
"""

from __future__ import annotations

from birthplan.characters import UNPRINTABLE, has_right_to_left, unpaired_bidi_controls

FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def clean_text(text: str) -> str:
    """``text`` as every output shows it (see the module's rules)."""
    text = UNPRINTABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    unpaired = set(unpaired_bidi_controls(text))
    if unpaired:
        text = "".join(char for offset, char in enumerate(text) if offset not in unpaired)
    if not has_right_to_left(text):
        return text
    return "\n".join(f"{FIRST_STRONG_ISOLATE}{line}{POP_DIRECTIONAL_ISOLATE}" if has_right_to_left(line)
                     else line for line in text.split("\n"))


def clean_plan(data):
    """A copy of plan data (or any part of it) with every string cleaned."""
    if isinstance(data, dict):
        return {key: clean_plan(value) for key, value in data.items()}
    if isinstance(data, list):
        return [clean_plan(value) for value in data]
    if isinstance(data, str):
        return clean_text(data)
    return data
