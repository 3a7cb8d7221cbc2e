"""The one cleaning of plan text, used by every output: the documents (HTML,
PDF, Word), "what changed" and the calendar.

* Line endings made plain; unprintable control characters removed (XML
  inside every .docx forbids them, RFC 5545 forbids them in a calendar, and
  a stray escape code in a midwife's sheet helps nobody).
* Unpaired bidi controls removed, so an override never closed cannot run on
  into the phone number printed after a name. Paired ones stay: they end
  inside the value, so they cannot reorder anything printed next to it.

Why removal rather than wrapping every value in isolates (U+2068 ... U+2069):
the isolates would travel invisibly into every phone number and e-mail
address a reader copies, and WeasyPrint's text engine does not honour them
reliably (an isolated Arabic name turned the brackets after it round in the
PDF); removal works the same in every format, the calendar included.

Validation warns, naming the field and never quoting it, about anything
removed here (``birthplan.rules``), so rendering itself says nothing.
"""

from __future__ import annotations

from birthplan.characters import UNPRINTABLE, unpaired_bidi_controls


def clean_text(text: str) -> str:
    """``text`` as every output shows it (see the module's rules)."""
    text = UNPRINTABLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    unpaired = set(unpaired_bidi_controls(text))
    if unpaired:
        text = "".join(char for offset, char in enumerate(text) if offset not in unpaired)
    return text


def clean_plan(data):
    """A copy of plan data (or any part of it) with every string cleaned."""
    if isinstance(data, dict):
        return {key: clean_plan(value) for key, value in data.items()}
    if isinstance(data, list):
        return [clean_plan(value) for value in data]
    if isinstance(data, str):
        return clean_text(data)
    return data
