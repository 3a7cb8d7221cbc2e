"""What a hurried author typed and `validate` accepted without a word (trial finding 3): each is
now a warning at its line, naming the field, saying what to do, quoting no plan words."""

from __future__ import annotations

import pytest

from .planfactory import EXAMPLES, minimal_plan_text
from .validating import at, validate_output

EXAMPLE = (EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8")
DESCRIPTION = "      description: White man in his thirties, about 6 ft, shaved head, tattoo on his neck.\n"


# -- a must-not-visit person the ward cannot recognise ------------------------------------

@pytest.mark.parametrize("replacement, where", [
    ("", "- name: Lee Carver"),                  # no description at all
    ("      description:\n", "description:"),    # written, left empty
])
def test_a_must_not_visit_person_without_a_description_is_warned(tmp_path, replacement, where):
    text = EXAMPLE.replace(DESCRIPTION, replacement)
    code, lines = validate_output(tmp_path, text)
    offset = 2 if where.startswith("- ") else 0
    assert code == 0
    assert lines == [
        f"plan.yaml:{at(text, where, offset)}: warning: Visitors > must not visit > item 1: says nothing "
        "about how to recognise this person, and the ward's staff may never have seen them: add "
        "'description:' (what they look like; no photos), or the sheet names someone nobody can pick out.",
        "plan.yaml: valid, 1 warning(s)",
    ], lines
    assert "Lee Carver" not in "\n".join(lines)


# -- the mother's name written two ways -----------------------------------------------------

ATTENDEES = ("  meeting:\n    date: 2027-01-10\n    type: pre_birth_planning\n    attendees:\n"
             "      - {{name: {attendee}, role: {role}}}\n"
             "      - {{name: Alex Sample, role: community midwife}}\n")


def _with_attendee(attendee: str, role: str = "mother", mother: str = "Kayleigh Robinson",
                   preferred: str = "") -> str:
    text = minimal_plan_text().replace("  meeting: {date: 2027-01-10, type: pre_birth_planning}\n",
                                       ATTENDEES.format(attendee=attendee, role=role))
    extra = f", preferred_name: {preferred}" if preferred else ""
    return text.replace("mother: {name: Jo Example,", f"mother: {{name: {mother}{extra},")


def test_the_mothers_name_spelt_differently_at_the_meeting_is_warned(tmp_path):
    text = _with_attendee("Kayleigh Robson")
    code, lines = validate_output(tmp_path, text)
    assert code == 0
    assert lines == [
        f"plan.yaml:{at(text, 'Kayleigh Robson')}: warning: Plan > meeting > attendees > item 1 > name: "
        f"is the mother's (by the role), but not written as her name under People > mother > name "
        f"(line {at(text, 'Kayleigh Robinson').split(':')[0]}). Check the spelling with her and write "
        "it the same way in both places: every copy prints both.",
        "plan.yaml: valid, 1 warning(s)",
    ], lines
    assert "Robson" not in lines[0] and "Robinson" not in lines[0]


def test_the_agreement_is_checked_too(tmp_path):
    text = _with_attendee("Kayleigh Robinson") + (
        "agreement:\n  agreed_by:\n    - {name: Kayliegh Robinson, role: Mother, date: 2027-01-10}\n")
    code, lines = validate_output(tmp_path, text)
    assert [line.split(": warning: ")[0] for line in lines[:-1]] == [f"plan.yaml:{at(text, 'Kayliegh')}"]
    assert "Agreement > agreed by > item 1 > name: is the mother's" in lines[0]


@pytest.mark.parametrize("attendee, role, preferred", [
    ("Kayleigh Robinson", "mother", ""),        # the same
    ("kayleigh  robinson", "mother", ""),       # case and spacing
    ("Kay Robinson", "mother", "Kay"),          # the name she is known by
    ("Kayleigh", "mother", ""),                 # written shorter
    ("Sarah Robson", "maternal grandmother", ""),  # not the mother
    ("Margaret Hughes", "mother", ""),          # nothing alike: not a slip of her name
])
def test_no_warning_for_the_same_name_or_another_person(tmp_path, attendee, role, preferred):
    code, lines = validate_output(tmp_path, _with_attendee(attendee, role, preferred=preferred))
    assert lines == ["plan.yaml: valid"], lines


# -- curly quotes from Word around a whole value ---------------------------------------------

CURLY = ("is in curly quotes copied from Word (‘ ’ or “ ”): YAML does not read them as quotes, so "
         "every copy would print them as part of the text. Delete them, or use straight quotes (\").")


@pytest.mark.parametrize("mother, wishes, field", [
    ("‘Kayleigh Robinson’", "", "People > mother > name"),
    ("Jo Example", "wishes:\n  feeding: “I want to try breastfeeding”\n", "Parents' wishes > feeding"),
    ("Jo Example", "wishes:\n  photos: “Lots, please. Don’t post any\n", "Parents' wishes > photos"),  # never closed
])
def test_curly_quotes_around_a_whole_value_are_warned(tmp_path, mother, wishes, field):
    text = minimal_plan_text().replace("name: Jo Example,", f"name: {mother},") + wishes
    code, lines = validate_output(tmp_path, text)
    quote = "‘" if "‘" in mother else "“"
    assert lines == [f"plan.yaml:{at(text, quote)}: warning: {field}: {CURLY}", "plan.yaml: valid, 1 warning(s)"]


@pytest.mark.parametrize("written", [
    "I don’t want photos",                       # an apostrophe
    "“Gas and air” first, then “see how I feel”",  # quotations inside the text
    "She said “no visitors” on the ward",
    '"Straight quotes are YAML\'s own"',
])
def test_quotes_inside_text_are_fine(tmp_path, written):
    code, lines = validate_output(tmp_path, minimal_plan_text() + f"wishes:\n  photos: {written}\n")
    assert lines == ["plan.yaml: valid"], lines
