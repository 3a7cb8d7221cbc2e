"""Which copies to write: the plan's recorded communication needs, or the options given.

The NHS Accessible Information Standard asks services to record a person's
communication needs *and act on them*. A plan records the parents' preferred
language and the formats they need (``communication.formats``), so with no
options ``birthplan render`` writes the parents' copy in every form those
needs call for:

* languages: English always; Welsh too when the parents prefer Welsh and the
  template pack has Welsh words;
* forms: the standard copy always; large print and Easy Read when recorded.

Each language is written in each form (a Welsh-reading parent who needs
large print gets a Welsh large-print copy). Options override: ``language``
gives the one language of every copy, and any of ``standard_print``,
``large_print`` or ``easy_read`` gives exactly the forms of the parents'
copy. The needs are read from the *parents'* view of the plan, so a file
name can never reveal a need withheld from the parents.

The professional copy and the delivery-suite sheet have one form each; they
are in English unless ``language`` says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

PARENT_FORMS = ("standard", "large_print", "easy_read")
# Formats a plan may record that birthplan cannot make: the person running it must arrange them.
_NOT_MADE = {"audio": "an audio version", "braille": "a braille version"}


@dataclass(frozen=True)
class Copy:
    """One document to write: an audience's copy in one language and form."""

    audience: str
    language: str = "en"
    form: str = "standard"  # standard, large_print or easy_read (parents only)

    @property
    def name_parts(self) -> list[str]:
        """What the file name adds after the version: language and form, never content."""
        parts = [self.language] if self.language != "en" else []
        if self.form != "standard":
            parts.append(self.form.replace("_", "-"))
        return parts


def copies_to_write(parent_view: dict, pack, audiences, language: str | None = None,
                    standard_print: bool = False, large_print: bool = False,
                    easy_read: bool = False) -> tuple[list[Copy], list[str]]:
    """The copies to write for ``audiences``, and notices for the person running the command.

    ``parent_view`` is ``audience.view_for(data, "parent")``. Notices never
    quote plan content.
    """
    communication = parent_view.get("communication") or {}
    recorded = tuple(communication.get("formats") or ())
    prefers_welsh = communication.get("preferred_language") == "welsh"
    notices: list[str] = []

    if language is not None:
        parent_languages = (language,)
        if prefers_welsh and language == "en" and "cy" in pack.languages and "parent" in audiences:
            notices.append("note: the parents prefer Welsh, but --language en was given, so no Welsh "
                           "copy was written (leave --language out to write both).")
    else:
        parent_languages = ("en",)
        if prefers_welsh and "cy" in pack.languages:
            parent_languages = ("en", "cy")
        elif prefers_welsh and "parent" in audiences:
            notices.append(f"note: the parents prefer Welsh, but the {pack.name} pack has no Welsh "
                           "words, so their copy is in English only; use a pack with Welsh "
                           "(--templates) to write it in Welsh.")
    if communication.get("preferred_language") == "other" and "parent" in audiences:
        notices.append("note: the parents' preferred language is not one this pack writes: "
                       "arrange a translation of their copy.")

    chosen = tuple(form for form, wanted in zip(PARENT_FORMS, (standard_print, large_print, easy_read))
                   if wanted)
    if chosen:
        forms = chosen
        skipped = [form for form in ("large_print", "easy_read") if form in recorded and form not in chosen]
        if skipped and "parent" in audiences:
            needed = _and(form.replace("_", " ") for form in skipped)
            notices.append(f"note: the plan says the parents need {needed}, "
                           "but the options asked for other forms, so it was not written (leave the "
                           "form options out to write every form the plan records).")
    else:
        forms = ("standard", *(form for form in PARENT_FORMS[1:] if form in recorded))
    for form, words in _NOT_MADE.items():
        if form in recorded and "parent" in audiences:
            notices.append(f"note: the plan says the parents need {words} of their copy, which "
                           "birthplan cannot make: arrange it.")

    copies: list[Copy] = []
    for audience in audiences:
        if audience != "parent":
            copies.append(Copy(audience, language or "en"))
            continue
        for lang in parent_languages:
            for form in forms:
                if form == "easy_read" and lang == "bilingual":
                    # Easy Read keeps one short sentence a line: two languages side by side would
                    # double every line, so a bilingual request gets the Welsh and English copies.
                    copies += [Copy("parent", "cy", form), Copy("parent", "en", form)]
                    notices.append("note: an Easy Read copy is in one language at a time, so "
                                   "--language bilingual wrote its Welsh and English copies.")
                else:
                    copies.append(Copy("parent", lang, form))
    return list(dict.fromkeys(copies)), notices


def _and(items) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
