"""The parents' glossary: only the jargon their copy actually uses.

Each pack's ``glossary/<language>.yaml`` lists terms with the words that
signal them (``matches``) and a plain explanation. A term is included when
any of its matches appears in the copy's text (headings, labels, choices and
the plan's own words). Matches in capitals (PLO, EDT) must match exactly;
others ignore case. A term seen only inside a longer listed term is left out.
"""

from __future__ import annotations

import re
from pathlib import Path

from birthplan.render.i18n import Phrase
from birthplan.render.model import Fields, Row, Section


def check_glossary(entries: list, where: Path) -> list[dict]:
    from birthplan.render.packs import PackError

    seen: set[str] = set()
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise PackError(f"{where}: entry {number} must be a mapping with id, term, matches, meaning.")
        for key in ("id", "term", "meaning"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise PackError(f"{where}: entry {number} needs '{key}:' (text).")
        matches = entry.get("matches")
        if not isinstance(matches, list) or not matches or not all(isinstance(m, str) and m.strip()
                                                                  for m in matches):
            raise PackError(f"{where}: entry {number} ({entry['id']}) needs 'matches:', a list of "
                            "the words that show the term is used.")
        if entry["id"] in seen:
            raise PackError(f"{where}: the id '{entry['id']}' is used twice.")
        seen.add(entry["id"])
    return entries


def _pattern(match: str) -> re.Pattern:
    flags = 0 if match.isupper() else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){re.escape(match)}(?![\w-])", flags)


def terms_used(entries: list[dict], texts: list[str]) -> list[dict]:
    """The entries whose words appear in ``texts``, in the glossary's own order.

    A term found only inside another entry's longer term ("achos llys" in "cyn achos
    llys") is not listed: it is used on its own somewhere, or not at all."""
    corpus = "\n".join(texts)
    found = [[hit.span() for m in entry["matches"] for hit in _pattern(m).finditer(corpus)] for entry in entries]

    def inside_longer(span, own) -> bool:
        return any(other is not own and start <= span[0] and span[1] <= end and end - start > span[1] - span[0]
                   for other in found for start, end in other)

    return [entry for entry, spans in zip(entries, found)
            if spans and not all(inside_longer(span, spans) for span in spans)]


def glossary_section(pack, words, texts: list[str], heading) -> Section | None:
    """A "words used in this plan" section, or None when no jargon is used.

    A bilingual copy finds terms in either language and explains each in both.
    """
    by_language = {lang: pack.glossary[lang] for lang in words.languages}
    found_ids: list[str] = []
    for lang, entries in by_language.items():
        for entry in terms_used(entries, texts):
            if entry["id"] not in found_ids:
                found_ids.append(entry["id"])
    if not found_ids:
        return None
    order = [entry["id"] for entry in by_language[words.languages[0]]]
    found_ids.sort(key=lambda i: order.index(i) if i in order else len(order))
    rows = []
    for term_id in found_ids:
        term_parts, meaning_parts = [], []
        for lang, entries in by_language.items():
            entry = next((e for e in entries if e["id"] == term_id), None)
            if entry is not None:
                term_parts.append((lang, entry["term"]))
                meaning_parts.append((lang, entry["meaning"].strip()))
        rows.append(Row(Phrase(tuple(term_parts)), Phrase(tuple(meaning_parts))))
    section = Section("glossary", heading)
    section.add(Fields((words.phrase("term"), words.phrase("meaning")), rows))
    return section
