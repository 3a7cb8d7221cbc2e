"""Slips of typing and pasting: a starter's example left in, words lost after ' #', curly quotes
and control characters from other programs, letters lost to an encoding, the mother's name
spelt two ways, and a plan written for an older schema.
"""

from __future__ import annotations

from birthplan import fields
from birthplan.characters import has_unpaired_bidi_controls, has_unprintable, in_curly_quotes
from birthplan.load import Plan
from birthplan.problems import Problem, WARNING
from birthplan.rules.common import problem, value_at
from birthplan.tree import nodes
from birthplan.values import letters_lost


def older_schema_version(plan: Plan) -> list[Problem]:
    from birthplan.upgrade import CURRENT, OLDEST

    if plan.written_version != OLDEST:
        return []
    return [problem(plan, ("schema_version",),
                    f"this plan is written for schema version {OLDEST}; it is read as version "
                    f"{CURRENT}. Rewrite it as version {CURRENT} with: birthplan upgrade "
                    f"{plan.path.name} (comments and order are kept; its history is not changed).",
                    WARNING)]


def text_cut_by_comment(plan: Plan) -> list[Problem]:
    """ "asks #2 (see notes). Pethidine NO": YAML ends unquoted text at " #", so every word
    from there on was read as a comment and is on no copy. Warned in free text (a set value,
    date or number with a note after it is checked in full by the schema), except for the notes
    the starters write after values, which a plan filled in from one keeps (and the workspace's
    saves keep with it). Any other note after free text is warned too: losing words from a
    safeguarding plan without a word is worse than asking for a note to go on its own line."""
    if not plan.comments_after_values:
        return []
    from birthplan.starter import comments_after_values as starters_notes

    out = []
    for path, comment in plan.comments_after_values.items():
        if not fields.is_free_text(fields.node_at(path)) or comment.text in starters_notes():
            continue
        key = comment.written_path[-1]
        example = f'{key}: "..."' if isinstance(key, str) else '- "..."'
        out.append(Problem(plan.name, comment.line, comment.column, fields.label(path),
                           "the text from ' #' on is not part of the plan: YAML reads ' #' as the start "
                           "of a comment, so no copy shows those words. If they belong to the text, put "
                           f"the whole text in double quotes, e.g. {example}; if they are a note for "
                           "yourself, move them to a line of their own.", WARNING))
    return out


def starter_examples_left(plan: Plan) -> list[Problem]:
    """ "Name of the hospital and ward", "Mother's full name": a starter's example left in
    would be printed on every copy (the ward sheet too) as if it were the plan's."""
    from birthplan.starter import EXAMPLE_DATE, example_numbers, example_texts

    texts, numbers = example_texts(), example_numbers()
    problems = []
    for path, value in nodes(plan.data):
        if not isinstance(value, str):
            continue
        if value.strip() in texts:
            problems.append(problem(plan, path, f"is still the starter's example (\"{value.strip()}\"): "
                                    "write this plan's own, or delete the line if it does not apply.", WARNING))
        elif path and path[-1] == "phone" and value in numbers:
            problems.append(problem(plan, path, f"is still the starter's example number ({value}), which "
                                    "nobody answers: write the real number.", WARNING))
        elif value == EXAMPLE_DATE:
            problems.append(problem(plan, path, "is still the starter's example date (1 January 2027, a bank "
                                    "holiday): write the real date.", WARNING))
    return problems


def _texts_where(plan: Plan, found, message: str) -> list[Problem]:
    """A warning, ``message``, at every text in the plan for which ``found(path, text)``."""
    return [problem(plan, path, message, WARNING) for path, value in nodes(plan.data)
            if isinstance(value, str) and found(path, value)]


def unprintable_characters(plan: Plan) -> list[Problem]:
    return _texts_where(plan, lambda path, text: has_unprintable(text),
                        "contains control characters that cannot be printed (often pasted "
                        "from another program); the documents leave them out.")


def unpaired_bidi_controls(plan: Plan) -> list[Problem]:
    return _texts_where(plan, lambda path, text: has_unpaired_bidi_controls(text),
                        "contains a right-to-left or left-to-right control character that is "
                        "never closed (often pasted from another program); it would reverse the words and "
                        "numbers printed after it, so the documents and calendar leave it out.")


def lost_letters_in_names(plan: Plan) -> list[Problem]:
    """'Ma?gorzata ?ak', '???? ????': what a spreadsheet saved in a Windows encoding leaves of a name."""
    return _texts_where(plan, lambda path, text: bool(path) and path[-1] in NAME_FIELDS and letters_lost(text),
                        "looks as if letters were lost: it has '?' (or the sign for an unreadable "
                        "character) where a letter should be, as happens when a spreadsheet is saved in a Windows "
                        "encoding. Check the spelling with the family; if it was imported, export the form as "
                        "\"CSV UTF-8\" and import again.")


NAME_FIELDS = {"name", "who", "other_language", "interpreter_language"}
# Who is the mother, in an attendee's or signatory's role as people type it.
MOTHER_ROLES = {"mother", "mum", "mam", "birth_mother", "the_mother"}
PEOPLE_WITH_ROLES = (("plan", "meeting", "attendees"), ("agreement", "agreed_by"))


def mother_named_alike(plan: Plan) -> list[Problem]:
    """ "Kayleigh Robson" at the meeting, "Kayleigh Robinson" under people: every copy prints
    both, and one of them is wrong. A name with nothing alike is not warned (not a slip)."""
    from birthplan.values import choice_key, name_misspelt

    mother = plan.data["people"]["mother"]
    out = []
    for section in PEOPLE_WITH_ROLES:
        for i, person in enumerate(value_at(plan.data, section) or []):
            if choice_key(person.get("role", "")) not in MOTHER_ROLES:
                continue
            if name_misspelt(person.get("name", ""), mother["name"], mother.get("preferred_name", "")):
                line = plan.location(("people", "mother", "name"))[0]
                out.append(problem(plan, section + (i, "name"),
                                   "is the mother's (by the role), but not written as her name under "
                                   f"People > mother > name (line {line}). Check the spelling with her "
                                   "and write it the same way in both places: every copy prints both.",
                                   WARNING))
    return out


def curly_quotes_around_text(plan: Plan) -> list[Problem]:
    """‘Kayleigh Robinson’ pasted from Word: YAML's quotes are straight, so the copies printed
    "Name: ‘Kayleigh Robinson’". Dates, numbers and set values are checked when read
    (``load.read_value``); this is every other text."""
    return _texts_where(plan, lambda path, text: in_curly_quotes(text) and fields.is_free_text(fields.node_at(path)),
                        "is in curly quotes copied from Word (‘ ’ or “ ”): YAML does not read them "
                        "as quotes, so every copy would print them as part of the text. Delete them, or use "
                        "straight quotes (\").")
