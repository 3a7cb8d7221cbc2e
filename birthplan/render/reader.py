"""Read an audience's view of a plan, turning values into words and noting
which fields each document used, so nothing in the view is left out unseen.
"""

from __future__ import annotations

from birthplan import fields
from birthplan.render.i18n import TEXT_LANGUAGES, Joined, Phrase, PlanWords, Words, has_marks

_MISSING = object()
NO_BREAK_SPACE = "\u00a0"


def unbreakable(number: str) -> str:
    """A number held in its one spaced form (birthplan.values) with no-break spaces, so no
    copy splits it across two lines; the HTML finds phone numbers by them (render/html.py)."""
    return number.replace(" ", NO_BREAK_SPACE)


class ViewReader:
    """Looks values up in one audience's view and remembers what was read."""

    def __init__(self, view: dict, words: Words):
        self.view = view
        self.words = words
        self._used: set[tuple] = set()
        # the plan's own words are marked with their language where the copy is in another
        self.plan_lang = plan_words_language(view, words.lang_tag)
        self.mark("plan", "text_language")  # said by the marks, never shown as a field

    def raw(self, *path, default=None, mark: bool = True):
        """The value at ``path`` as stored (marked as used), or ``default``."""
        value = self.view
        for key in path:
            if isinstance(value, dict) and key in value:
                value = value[key]
            elif isinstance(value, list) and isinstance(key, int) and key < len(value):
                value = value[key]
            else:
                return default
        if mark:
            self._used.add(tuple(path))
        return value

    def has(self, *path) -> bool:
        """Whether the view holds ``path`` (asking is not showing: nothing is marked)."""
        return self.raw(*path, default=_MISSING, mark=False) is not _MISSING

    def text(self, *path):
        """The value at ``path`` in words, or None when the view does not hold it."""
        value = self.raw(*path, default=_MISSING)
        if value is _MISSING:
            return None
        return self.words_for(tuple(path), value)

    def items(self, *path) -> list[tuple[int, dict]]:
        """(position, item) for each item of the list at ``path``."""
        value = self.raw(*path, default=[])
        return list(enumerate(value)) if isinstance(value, list) else []

    def words_for(self, path: tuple, value):
        """A stored value as a reader should see it: dates spelt out, choices in words."""
        node = fields.node_at(path) or {}
        if isinstance(value, bool):
            return self.words.yes_no(value)
        if isinstance(value, list):
            # choices read as a list ("Large print, Easy Read"), or one per line when worded as
            # sentences (the parents' copy); lines keep their lines
            choices = "enum" in (fields.node_at(path + (0,)) or {})
            parts = [self.words_for(path + (i,), v) for i, v in enumerate(value)]
            sentences = any(str(part).endswith(".") for part in parts)
            return join(parts, ", " if choices and not sentences else "\n")
        if isinstance(value, dict):
            return None  # a group of fields: its builder reads them one by one
        if isinstance(value, str) and value in (node.get("enum") or ()):
            return self.words.enum(path, value).capitalised()
        if node.get("format") == "date":
            return self.words.date(value)
        if fields.value_kind(node) in ("phone", "nhs_number"):
            return unbreakable(str(value))
        return self.plan_words(str(value), node)

    def plan_words(self, text: str, node: dict | None = None):
        """The plan's words as written, marked with their language when the copy is in
        another one; a name or a code (``x-language-neutral``, a pattern) is never marked."""
        if self.plan_lang is None or not text or (node is not None and not fields.has_language(node)):
            return text
        return PlanWords(text, self.plan_lang)

    def mark(self, *path) -> None:
        """Record that ``path`` was dealt with even though it is not shown."""
        self._used.add(tuple(path))

    def leftovers(self) -> list[tuple]:
        """Leaf paths of the view that no builder read."""
        out: list[tuple] = []

        def walk(value, path):
            if any(path[:n] in self._used for n in range(1, len(path) + 1)):
                return
            if isinstance(value, dict):
                for key, sub in value.items():
                    walk(sub, path + (key,))
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for i, sub in enumerate(value):
                    walk(sub, path + (i,))
            else:
                out.append(path)

        for key, value in self.view.items():
            walk(value, (key,))
        return out


def plan_words_language(view: dict, lang_tag: str) -> str | None:
    """The language tag to mark the plan's own words with in a copy in ``lang_tag``
    (its first language: Welsh in a bilingual copy), or None when they are in that language."""
    written = (view.get("plan") or {}).get("text_language") or "english"
    tag = TEXT_LANGUAGES.get(written, TEXT_LANGUAGES["english"])
    return None if tag == lang_tag else tag


def framed(before: str, value, after: str = ""):
    """``value`` with fixed characters around it ("1. " before a name, brackets round hours):
    plain text as before, or a Joined when the value's words carry a language mark."""
    if has_marks(value):
        return Joined(tuple(part for part in (before, value, after) if part))
    return f"{before}{value}{after}"


def join(items: list, separator: str):
    """Join plan text and fixed words; the result stays a Phrase if any part is one, and
    keeps the language marks of the plan's words (a Joined) if any part has one."""
    items = [item for item in items if item is not None and str(item) != ""]
    if any(map(has_marks, items)):
        spaced = [part for item in items for part in (separator, item)][1:]
        return Joined(tuple(spaced))
    if not items or not all(isinstance(item, Phrase) for item in items):
        # plan text is never repeated per language, so a mix joins as plain text
        return separator.join(str(item) for item in items)
    languages = [lang for lang, _ in items[0].parts]
    return Phrase(tuple(
        (lang, separator.join(item.text(lang) if isinstance(item, Phrase) else str(item)
                              for item in items))
        for lang in languages))
