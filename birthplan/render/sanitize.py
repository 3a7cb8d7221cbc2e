"""Remove characters no document format can hold (control characters).

XML (inside every .docx) forbids most control characters, PDFs would show
them as boxes, and a stray escape code in a midwife's sheet helps nobody.
They are removed, and a warning names the field (never its content).
"""

from __future__ import annotations

from birthplan import fields
from birthplan.characters import UNPRINTABLE


def clean_text(text: str) -> tuple[str, bool]:
    """``text`` with line endings made plain and control characters removed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = UNPRINTABLE.sub("", text)
    return cleaned, cleaned != text


def clean_plan(data, warnings: list[str] | None = None, path: tuple = ()):
    """A copy of ``data`` with every string cleaned; a warning per field changed."""
    if isinstance(data, dict):
        return {key: clean_plan(value, warnings, path + (key,)) for key, value in data.items()}
    if isinstance(data, list):
        return [clean_plan(value, warnings, path + (i,)) for i, value in enumerate(data)]
    if isinstance(data, str):
        cleaned, changed = clean_text(data)
        if changed and warnings is not None:
            where = fields.label(tuple(p for p in path if p not in ("text",))) or "a field"
            warnings.append(f"{where}: removed control characters that cannot be printed.")
        return cleaned
    return data
