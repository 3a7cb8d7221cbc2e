"""Fixed words in the reader's language: headings, labels, enum values, dates.

Every fixed word comes from the pack's ``strings/<language>.yaml`` so an
authority can reword a document without Python. English field labels fall
back to the schema's titles; every other language must label every field and
every enum value (checked when the pack loads), so a Welsh copy never shows
an English label by accident. The family's own words are never translated.

``--language bilingual`` gives Welsh first, then English (Welsh Language
Standards), as one ``Phrase`` with a part per language.

The plan's own words are in the language ``plan > text_language`` names (English
unless it says Welsh), whatever the copy's language: where that differs from the
copy's, they are ``PlanWords`` that carry it, so every format marks them (HTML
``lang``, PDF /Lang, Word ``w:lang``) and a screen reader reads them in the right voice.
"""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from birthplan import fields
from birthplan.render.packs import PackError

LANG_TAGS = {"en": "en-GB", "cy": "cy-GB"}
# plan > text_language (the schema's words) -> the language tag its words are marked with
TEXT_LANGUAGES = {"english": "en-GB", "welsh": "cy-GB"}
# Copies whose bilingual dates give the day and year once ("17 Mai / May 1998"): the
# one-page sheet, where every line counts; the other copies write each date in full twice.
COMPACT_DATES = ("delivery_suite",)

# Keys every strings file must define (the templates and builders use them).
REQUIRED = {
    "titles": ("professional", "delivery_suite", "parent"),
    "headings": (
        "plan_details", "attendees", "people", "mother", "partner", "siblings", "address",
        "communication", "legal_status", "concerns", "contacts", "at_birth", "in_hours",
        "out_of_hours", "visitors", "birth_partners", "must_not_visit", "difficult_behaviour",
        "ward", "wishes", "if_separated", "baby_health", "discharge", "appointments",
        "agreement", "agreed_by", "changes", "other_details",
        # the delivery-suite sheet
        "ds_identity", "ds_alert_notify", "ds_alert_must_not_visit", "ds_alert_discharge",
        "ds_alert_legal", "ds_alert_ward", "ds_communication",
        "ds_difficult_behaviour", "ds_contacts",
        # the parents' copy, in their voice
        "parent_wishes", "parent_if_separated", "parent_visitors", "parent_appointments",
        "parent_contacts", "parent_at_birth", "parent_ward", "parent_baby_health",
        "parent_discharge", "parent_concerns", "parent_about_me", "parent_agreement",
        "parent_meeting", "parent_changes", "parent_glossary",
    ),
    "phrases": (
        "alert", "page", "of", "version", "version_none", "review_date", "review_none",
        "fingerprint", "draft_fingerprint", "draft_banner", "draft_short", "continued_banner",
        "changes_since", "changes_none", "changes_first",
        "change_added", "change_removed", "change_changed", "parent_change_added",
        "parent_change_removed", "parent_change_changed", "order", "field", "details",
        "term", "meaning", "who", "phone", "when", "name", "role", "agency", "relationship",
        "date", "name_and_organisation", "phone_and_hours", "what", "where", "what_staff_know",
        "action", "concern", "guidance", "lives_with", "date_of_birth", "switchboard",
        "out_of_hours_number", "parent_intro", "parent_intro_draft", "parent_intro_draft_no_meeting",
        "professional_intro", "professional_intro_draft", "professional_intro_draft_no_meeting", "ds_intro",
        "ds_status_draft", "ds_status_agreed", "ds_status_next_review", "ds_status_newer",
        "ds_full_wishes", "ds_full_wishes_page", "ds_call_in_order", "ds_nobody_to_tell",
        "ds_nobody_at_birth", "ds_separation", "ds_separation_page",
        "time_range", "time_from", "none_listed", "call_in_order", "case_reference", "yes", "no",
    ),
}


@dataclass(frozen=True)
class Phrase:
    """Fixed text in one language, or Welsh then English for a bilingual copy."""

    parts: tuple  # ((language, text), ...)

    def __str__(self) -> str:
        return " / ".join(text for _, text in self.parts)

    def __html__(self) -> str:
        if len(self.parts) == 1:
            return str(escape(self.parts[0][1]))
        spans = [f'<span lang="{LANG_TAGS[lang]}">{escape(text)}</span>' for lang, text in self.parts]
        return Markup('<span class="sep" aria-hidden="true"> / </span>').join(Markup(s) for s in spans)

    def text(self, language: str) -> str:
        return dict(self.parts).get(language, str(self))

    def capitalised(self) -> "Phrase":
        """First letter in capitals, e.g. a choice shown on its own in a field."""
        return Phrase(tuple((lang, text[:1].upper() + text[1:]) for lang, text in self.parts))

    def __bool__(self) -> bool:
        return any(text for _, text in self.parts)


class PlanWords(str):
    """The plan's own words in a language other than the copy's: still the words as written
    (a ``str``), with ``lang`` (``en-GB``, ``cy-GB``) for the formats to mark them with.
    Made only where the languages differ, so a copy in the plan's own language is as before."""

    __slots__ = ("lang",)

    def __new__(cls, text: str, lang: str):
        words = super().__new__(cls, text)
        words.lang = lang
        return words

    def __html__(self) -> str:
        if not self:
            return ""
        return Markup(f'<span lang="{self.lang}">{escape(str(self))}</span>')

    def __reduce__(self):  # copies go to worker processes whole, with their language
        return (PlanWords, (str(self), self.lang))


def has_marks(item) -> bool:
    """Whether ``item`` holds words marked with a language of their own."""
    return isinstance(item, PlanWords) or (isinstance(item, Joined) and any(map(has_marks, item.items)))


@dataclass(frozen=True)
class Joined:
    """Fixed words and plain text in a row, each phrase keeping its language marks, e.g.
    the bilingual alert heading "RHYBUDD / ALERT: Pwy i'w ffonio / Who to tell" (the word
    ALERT once, then the title in each language), or "Cyfeirnod yr achos / Case
    reference: SWA-2027-0042" (the reference once)."""

    items: tuple  # Phrase or str, shown one after another

    def __str__(self) -> str:
        return "".join(str(item) for item in self.items)

    def __html__(self) -> str:  # one span, so a stylesheet can tell it from a plain phrase's parts
        return Markup('<span class="joined">') + Markup("").join(escape(item) for item in self.items) \
            + Markup("</span>")

    def text(self, language: str) -> str:
        return "".join(item.text(language) if isinstance(item, (Phrase, Joined)) else str(item)
                       for item in self.items)

    def __bool__(self) -> bool:
        return any(str(item) for item in self.items)


def joined(*items) -> Phrase | Joined:
    """``items`` in a row: one Phrase when there is one language (so single-language copies
    read exactly as before), a Joined when a phrase has two."""
    if not any(map(has_marks, items)) and all(
            isinstance(item, str) or (isinstance(item, Phrase) and len(item.parts) == 1) for item in items):
        language = next((item.parts[0][0] for item in items if isinstance(item, Phrase)), "en")
        return Phrase(((language, "".join(item if isinstance(item, str) else item.parts[0][1]
                                          for item in items)),))
    return Joined(tuple(items))


def check_strings(table: dict, where: Path, language: str) -> dict:
    """Raise PackError unless ``table`` defines every key a document needs."""
    for section, keys in REQUIRED.items():
        entries = table.get(section)
        if not isinstance(entries, dict):
            raise PackError(f"{where}: the '{section}:' section is missing.")
        for key in keys:
            if not isinstance(entries.get(key), str):
                raise PackError(f"{where}: {section} > {key} is missing (it must be text).")
    for key, count in (("months", 12), ("weekdays", 7)):
        values = table.get(key)
        if not isinstance(values, list) or len(values) != count:
            raise PackError(f"{where}: '{key}:' must list {count} names.")
    enums = table.get("enums")
    if not isinstance(enums, dict):
        raise PackError(f"{where}: the 'enums:' section is missing.")
    for path, values in schema_enums().items():
        words = enums.get(path)
        for value in values:
            if not isinstance(words, dict) or not isinstance(words.get(value), str):
                raise PackError(f"{where}: enums > {path} > {value} is missing: "
                                "say in words what this choice means.")
    labels = table.get("labels") or {}
    if not isinstance(labels, dict):
        raise PackError(f"{where}: 'labels:' must be a mapping of field to label.")
    if language != "en":  # English may fall back to the schema's own titles
        for path in schema_field_paths():
            if not isinstance(labels.get(path), str):
                raise PackError(f"{where}: labels > {path} is missing.")
    return table


def schema_fields() -> dict[str, dict]:
    """Every field in the schema: dotted path (list positions left out) -> its schema node."""
    out: dict[str, dict] = {}

    def walk(node, path):
        node = fields.resolve(node)
        if path:
            out[".".join(path)] = node
        items = node.get("items")
        if node.get("type") == "array" and isinstance(items, dict):
            node = fields.resolve(items)
        if "anyOf" in node:  # a free-text item: its text/share_with keys are not fields
            return
        for key, sub in node.get("properties", {}).items():
            walk(sub, path + [key])

    walk(fields.node_at(()), [])
    out.pop("schema_version", None)
    return out


def schema_field_paths() -> list[str]:
    return list(schema_fields())


def schema_enums() -> dict[str, list[str]]:
    """Dotted field path -> its enum values (lists of enums included)."""
    out: dict[str, list[str]] = {}
    for path, node in schema_fields().items():
        if "enum" in node:
            out[path] = list(node["enum"])
        elif isinstance(node.get("items"), dict) and "enum" in fields.resolve(node["items"]):
            out[path] = list(fields.resolve(node["items"])["enum"])
    return out


def dotted(path: tuple) -> str:
    """("visitors", "must_not_visit", 0, "action") -> "visitors.must_not_visit.action"."""
    return ".".join(str(part) for part in path if not isinstance(part, int))


class Words:
    """The fixed words of one document, in its language (or two)."""

    def __init__(self, pack, language: str, audience: str | None = None):
        pack.require_language(language)
        self.language = language
        # The parents' copy may word a phrase, label or choice its own way
        # (parent_phrases, parent_labels, parent_enums): plain words, no staff instructions.
        self.audience = audience
        self.languages = ("cy", "en") if language == "bilingual" else (language,)
        self.lang_tag = LANG_TAGS[self.languages[0]]
        self._pack = pack
        self._tables = {lang: pack.strings[lang] for lang in self.languages}

    # -- lookups -------------------------------------------------------------

    def _own(self, lang: str, section: str) -> dict:
        """This copy's own wording for ``section`` (e.g. parent_phrases), or nothing."""
        if self.audience is None:
            return {}
        return self._tables[lang].get(f"{self.audience}_{section}") or {}

    def _lookup(self, lang: str, section: str, key: str) -> str:
        value = self._own(lang, section).get(key)
        if not isinstance(value, str):
            value = self._tables[lang].get(section, {}).get(key)
        if not isinstance(value, str):
            raise PackError(f"{self._where(lang)}: {section} > {key} is missing.")
        return value

    def _where(self, lang: str) -> Path:
        return self._pack.root / "strings" / f"{lang}.yaml"

    def _phrase(self, section: str, key: str, values: dict) -> Phrase:
        parts = []
        for lang in self.languages:
            template = self._lookup(lang, section, key)
            parts.append((lang, self._fill(template, values, lang, f"{section} > {key}")))
        return Phrase(tuple(parts))

    def _fill(self, template: str, values: dict, lang: str, what: str) -> str:
        if not values and "{" not in template:
            return template
        chosen = {name: (v.text(lang) if isinstance(v, (Phrase, Joined)) else str(v))
                  for name, v in values.items()}
        try:
            # string.Formatter, not str.format: values are inserted once, never re-read.
            return string.Formatter().vformat(template, (), chosen)
        except (KeyError, IndexError, ValueError) as err:
            raise PackError(f"{self._where(lang)}: {what}: the placeholder {err} is not one this "
                            f"text can use (it may use: {', '.join(sorted(values)) or 'none'}).") from None

    def phrase(self, key: str, **values) -> Phrase:
        return self._phrase("phrases", key, values)

    def phrase_value_once(self, key: str, name: str, value, **others) -> Phrase | Joined:
        """The phrase with ``value`` written once after every language's words when each
        language's text ends with it: "Switsfwrdd y cyngor / Council switchboard: 01632
        960200", not the number twice. Otherwise (one language, or a text that puts the
        value elsewhere) the phrase as usual. ``others`` fill the other placeholders."""
        placeholder = "{" + name + "}"
        templates = [self._lookup(lang, "phrases", key) for lang in self.languages]
        if len(templates) < 2 or not all(t.endswith(placeholder) and placeholder not in t[:-len(placeholder)]
                                         for t in templates):
            return self.phrase(key, **{name: value}, **others)
        fronts = [self._fill(t[:-len(placeholder)], others, lang, f"phrases > {key}").rstrip()
                  for lang, t in zip(self.languages, templates)]
        colon = all(f.endswith(":") for f in fronts)
        words = Phrase(tuple((lang, f[:-1] if colon else f) for lang, f in zip(self.languages, fronts)))
        return Joined((words, ": " if colon else " ", value))

    def heading(self, key: str, **values) -> Phrase:
        return self._phrase("headings", key, values)

    def title(self, audience: str) -> Phrase:
        return self._phrase("titles", audience, {})

    def wording(self, key: str) -> Phrase:
        return Phrase(tuple((lang, self._pack.wording[lang][key]) for lang in self.languages
                            if key in self._pack.wording[lang]))

    def label(self, path: tuple, audience: str | None = None) -> Phrase:
        """The label of a field; the parents' copy may use its own (first-person) wording.

        ``audience`` defaults to this copy's own; a caller may name another.
        """
        key = dotted(path)
        audience = audience or self.audience
        parts = []
        for lang in self.languages:
            table = self._tables[lang]
            own = (table.get(f"{audience}_labels") or {}) if audience else {}
            text = own.get(key) or (table.get("labels") or {}).get(key)
            if text is None:
                if lang != "en":
                    raise PackError(f"{self._where(lang)}: labels > {key} is missing.")
                node = fields.node_at(tuple(path))
                text = (node or {}).get("title") or key.rsplit(".", 1)[-1].replace("_", " ").capitalize()
            parts.append((lang, text))
        return Phrase(tuple(parts))

    def enum(self, path: tuple, value: str) -> Phrase:
        key = dotted(path)
        parts = []
        for lang in self.languages:
            own = self._own(lang, "enums").get(key) or {}
            words = (self._tables[lang].get("enums") or {}).get(key) or {}
            text = own.get(value) if isinstance(own.get(value), str) else words.get(value)
            if text is None:
                raise PackError(f"{self._where(lang)}: enums > {key} > {value} is missing.")
            parts.append((lang, text))
        return Phrase(tuple(parts))

    def yes_no(self, value: bool) -> Phrase:
        return self.phrase("yes" if value else "no")

    # -- dates and times -----------------------------------------------------

    def date(self, iso: str, weekday: bool = False) -> Phrase | Joined | str:
        try:
            day = dt.date.fromisoformat(iso)
        except (TypeError, ValueError):
            return iso  # not a date after all: show it as written
        if len(self.languages) > 1 and self.audience in COMPACT_DATES and not weekday:
            # the day and the year once, the month in each language: "17 Mai / May 1998"
            month = Phrase(tuple((lang, self._tables[lang]["months"][day.month - 1]) for lang in self.languages))
            return Joined((f"{day.day} ", month, f" {day.year}"))
        parts = []
        for lang in self.languages:
            table = self._tables[lang]
            text = f"{day.day} {table['months'][day.month - 1]} {day.year}"
            if weekday:
                text = f"{table['weekdays'][day.weekday()]} {text}"
            parts.append((lang, text))
        return Phrase(tuple(parts))

    def when(self, date: str, start: str | None, end: str | None) -> Phrase | str:
        day = self.date(date, weekday=True)
        if start and end:
            return self.phrase("time_range", date=day, start=start, end=end)
        if start:
            return self.phrase("time_from", date=day, start=start)
        return day
