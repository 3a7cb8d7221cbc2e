"""The three copies: which sections, in which order, under which headings.

* professional: the whole plan in the schema's order, changes near the top;
* delivery_suite: one A4 sheet, alerts first (each headed with the word
  ALERT, so the meaning survives black-and-white printing), then what the
  ward plans around (see ``sheet``);
* parent: "My birth plan": their wishes first, headings in their voice,
  and a glossary of the jargon the copy uses.
"""

from __future__ import annotations

from birthplan.render.changes import changes_section
from birthplan.render.glossary import glossary_section
from birthplan.render.i18n import Phrase, joined
from birthplan.render.model import Document, Stamp
from birthplan.render.reader import ViewReader, join, unbreakable
from birthplan.render.sections import (
    BABY_HEALTH, CONFERENCE, DISCHARGE, IF_SEPARATED, SEPARATION, WARD, Builder,
)
from birthplan.render.sheet import sheet_sections, status_lines


def build_document(view: dict, audience: str, words, pack, stamp, changes: list,
                   large_print: bool = False, parents_pages: dict | None = None) -> Document:
    """The document model for ``audience``, from that audience's view only.

    ``parents_pages``: section id -> the page of the parents' copy it starts
    on, for the delivery-suite sheet's pointers to the wishes it leaves there.
    """
    reader = ViewReader(view, words)
    builder = Builder(reader, audience, pack)
    if audience == "delivery_suite":
        sections = sheet_sections(builder, parents_pages or {})
    else:
        sections = {"professional": _professional, "parent": _parent}[audience](builder)
    sections += builder.leftovers()
    changes_part = changes_section(changes, stamp.compared_with, reader, audience)
    if audience == "professional":
        sections.insert(_after(sections, "attendees", "plan_details"), changes_part)
    elif audience == "delivery_suite":
        if changes:  # the status line already says which version this is
            sections.append(changes_part)
    else:
        sections.append(changes_part)
    document = Document(
        audience=audience,
        language=words.language,
        lang_tag=words.lang_tag,
        title=_title(words, audience, view, stamp),
        heading=words.title(audience),
        subtitle=_subtitle(words, view),
        intro=_intro(words, audience, view, stamp.is_draft),
        stamp=_stamp(words, stamp, view if audience == "delivery_suite" else None,
                     large_print=large_print and audience == "parent"),
        sections=[s for s in sections if s is not None],
        large_print=large_print and audience == "parent",
        stamp_on_top=audience != "parent",
        compact_running=audience == "parent",
        words=_template_words(words),
        theme=_theme(words, pack),
    )
    if audience == "parent":
        glossary = glossary_section(pack, words, document.all_text(), words.heading("parent_glossary"))
        if glossary is not None:
            document.sections.append(glossary)
    return document


def _after(sections, *ids) -> int:
    positions = [i for i, s in enumerate(sections) if s.id in ids]
    return positions[-1] + 1 if positions else 0


# -- the three recipes ---------------------------------------------------------


def _professional(b: Builder) -> list:
    return [
        *b.plan_details(),
        *b.people(),
        *b.address(),
        *b.communication(),
        *b.legal_status(),
        *b.concerns(),
        *b.simple("conference", "conference", ("conference",), CONFERENCE),
        *b.contacts(),
        *b.police(),
        *b.at_birth(),
        *b.born_elsewhere(),
        *b.early_birth(),
        *b.visitors(),
        *b.simple("ward", "ward", ("ward",), WARD),
        *b.wishes(),
        *b.simple("if_separated", "if_separated", ("if_separated",), IF_SEPARATED),
        *b.simple("separation", "separation", ("separation",), SEPARATION),
        *b.simple("baby_health", "baby_health", ("baby_health",), BABY_HEALTH),
        *b.simple("discharge", "discharge", ("discharge",), DISCHARGE),
        *b.appointments(),
        *b.agreement(),
        *b.withheld_from_parents(),
    ]


def _parent(b: Builder) -> list:
    wishes = b.wishes(heading="parent_wishes")
    return [
        *wishes,
        *b.simple("if_separated", "parent_if_separated", ("if_separated",), IF_SEPARATED),
        *b.simple("separation", "parent_separation", ("separation",), SEPARATION),
        *b.appointments(heading="parent_appointments"),
        *b.contacts(heading="parent_contacts"),
        *b.at_birth(heading="parent_at_birth"),
        *b.born_elsewhere(heading="parent_born_elsewhere"),
        *b.early_birth(),
        *b.visitors(heading="parent_visitors"),
        *b.simple("ward", "parent_ward", ("ward",), WARD),
        *b.simple("baby_health", "parent_baby_health", ("baby_health",), BABY_HEALTH),
        *b.simple("discharge", "parent_discharge", ("discharge",), DISCHARGE),
        *b.concerns(heading="parent_concerns"),
        *b.simple("conference", "conference", ("conference",), CONFERENCE, level=2),
        *b.legal_status(level=2),
        *b.people(heading="parent_about_me"),
        *b.address(level=2),
        *b.communication(level=2),
        *b.agreement(heading="parent_agreement"),
        *b.plan_details(heading="parent_meeting"),
    ]


# -- words around the sections ---------------------------------------------------


def _title(words, audience: str, view: dict, stamp) -> str:
    """The window title and file title: the copy and the case, never a name."""
    reference = view.get("plan", {}).get("case_reference", "")
    version = words.phrase("version", number=stamp.version) if stamp.version is not None else ""
    parts = [str(words.title(audience)), reference, str(version)]
    if stamp.is_draft:
        parts.append(str(words.phrase("draft_banner")))
    return " – ".join(p for p in parts if p)


def _subtitle(words, view: dict):
    """"Case reference SWA-2027-0042"; in two languages the reference once:
    "Cyfeirnod yr achos / Case reference: SWA-2027-0042"."""
    reference = view.get("plan", {}).get("case_reference", "")
    if len(words.languages) > 1:
        return joined(words.label(("plan", "case_reference"), "professional"), ": ", reference)
    return words.phrase("case_reference", reference=reference)


def _intro(words, audience: str, view: dict, is_draft: bool):
    """The opening line; a draft is "for" its meeting, never "agreed at" it (the stamp decides)."""
    meeting = view.get("plan", {}).get("meeting", {})
    date = words.date(meeting["date"]) if meeting.get("date") else ""
    kind = words.enum(("plan", "meeting", "type"), meeting["type"]) if meeting.get("type") else ""
    key = {"professional": "professional_intro", "delivery_suite": "ds_intro",
           "parent": "parent_intro"}[audience]
    if is_draft and audience != "delivery_suite":  # the sheet's status line says DRAFT itself
        key += "_draft"
        if not (date and kind):
            # A new plan with no meeting yet: "a draft for the  on " would be a broken sentence.
            key += "_no_meeting"
    return words.phrase(key, date=date, meeting=kind)


def _stamp(words, stamp, sheet_view: dict | None = None, large_print: bool = False) -> Stamp:
    parts = [words.phrase("version", number=stamp.version) if stamp.version is not None
             else words.phrase("version_none")]
    parts.append(words.phrase("review_date", date=words.date(stamp.review_date))
                 if stamp.review_date else words.phrase("review_none"))
    parts.append(words.phrase("fingerprint", fingerprint=stamp.short_fingerprint))
    draft_print = getattr(stamp, "draft_fingerprint", None)
    if stamp.is_draft and draft_print and draft_print != stamp.short_fingerprint:
        parts.append(words.phrase("draft_fingerprint", fingerprint=draft_print))
    status, newer = status_lines(words, stamp, sheet_view) if sheet_view is not None else (None, None)
    line = join(parts, " · ")
    # large print has room for one line: a draft says so, an agreed copy gives its version
    short_line = _short_line(words.phrase("draft_short") if stamp.is_draft else parts[0],
                             stamp.short_fingerprint)
    if sheet_view is not None:
        running = join([words.phrase("draft_short") if stamp.is_draft else parts[0], parts[2]], " · ")
    else:
        running = short_line if large_print else line
    return Stamp(
        status=status,
        newer=newer,
        line=line,
        version=stamp.version,
        review_date=words.date(stamp.review_date) if stamp.review_date else None,
        fingerprint=stamp.short_fingerprint,
        draft=stamp.is_draft,
        draft_banner=words.phrase("draft_banner") if stamp.is_draft else None,
        short_line=short_line,
        running=running,
    )


def _short_line(first: Phrase, fingerprint: str) -> Phrase:
    """"Version 3 · 1a2b3c4d5e": the fingerprint once, after the last language's words."""
    *others, (lang, text) = first.parts
    return Phrase((*others, (lang, f"{text} · {fingerprint}")))


def _template_words(words) -> dict:
    return {key: words.phrase(key) for key in ("page", "of", "alert")}


def _theme(words, pack) -> dict:
    return {
        "authority": pack.authority["name"],
        "switchboard": unbreakable(pack.authority["switchboard"]),
        "out_of_hours": unbreakable(pack.authority["out_of_hours"]),
        "header": words.wording("header"),
        "footer": words.wording("footer"),
        "disclaimer": words.wording("disclaimer"),
        "procedures": words.wording("procedures"),
        "service": words.wording("service"),
        "classification": words.wording("classification"),
        "logo_alt": _logo_alt(words, pack),
    }


def _logo_alt(words, pack) -> str:
    return " / ".join(pack.logo["alt"][lang] for lang in words.languages)
