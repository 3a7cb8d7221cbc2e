"""YAML syntax errors at the line where the mistake is, in plain words, naming the field
(trial finding 4). A missing ':' on line 38 was reported at 39:1 as "could not find expected
':'"; a 3-space indent said "did not find expected key"; a list item without its dash "did not
find expected '-' indicator"; a missing due date was pinned to the name line below its section;
the ': ' in text error named no field."""

from __future__ import annotations

import pytest

from .planfactory import EXAMPLES, minimal_plan_text
from .validating import at, line_of, validate_output

EXAMPLE = (EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8")


def only_error(tmp_path, text):
    code, lines = validate_output(tmp_path, text)
    assert code == 1 and len(lines) == 2 and lines[1] == "plan.yaml: 1 error(s)", lines
    return lines[0]


# (what the example says, what the author typed instead, where the error must point (the text
# there, and columns after its start), the error's field and message: {line} is that line,
# {name} the mother's name line, {in_hours} and {partner} those fields' lines)
EDITS = {
    "missing colon": (
        "  place_of_birth: Sunderland", "  place_of_birth Sunderland", ("place_of_birth Sund", 0),
        "People > intended place of birth: line {line} has no ':' after the field name "
        "'place_of_birth'. Write 'place_of_birth:' and then its value."),
    "missing colon in a list item": (
        "      action: call_police", "      action call_police", ("action call", 0),
        "Visitors > must not visit > item 1 > action if they arrive: line {line} has no ':' after the "
        "field name 'action'. Write 'action:' and then its value."),
    "missing colon after a section": (
        "\nat_birth:\n", "\nat_birth\n", ("at_birth\n", 0),
        "When labour starts and at birth: line {line} has no ':' after the field name 'at_birth'. "
        "Write 'at_birth:' and then its value."),
    "missing colon before the next field": (
        "  preferred_language: english", "  preferred_language english", ("preferred_language eng", 0),
        "Communication > preferred language: line {line} has no ':' after the field name "
        "'preferred_language'. Write 'preferred_language:' and then its value."),
    "missing colon on the first line": (
        "schema_version: 2", "schema_version 2", ("schema_version 2", 0),
        "Schema version: line {line} has no ':' after the field name 'schema_version'. Write "
        "'schema_version:' and then its value."),
    "words with no field name": (
        "    preferred_name: Kay\n", "    preferred_name: Kay\n    she likes Kay best\n", ("she likes", 0),
        "People > mother: line {line} has no ':'. A line here is a field name, ':' and its value. If "
        "the words belong to the field above, put them on its line (or indent them further than its "
        "name); if it is a field, write ':' after its name."),
    "three spaces among twos": (
        "  out_of_hours:\n", "   out_of_hours:\n", ("out_of_hours:\n", 0),
        "When labour starts and at birth > out of hours: line {line} is indented 3 spaces, which lines "
        "it up with no field above it: the fields of one section start in the same column (here "
        "'in_hours:' on line {in_hours}, indented 2). Indent it like the fields it belongs with."),
    "three spaces among fours": (
        "    preferred_name: Kay\n", "   preferred_name: Kay\n", ("preferred_name", 0),
        "People > mother > preferred name: line {line} is indented 3 spaces, which lines it up with no "
        "field above it: the fields of one section start in the same column (here 'name:' on line {name}, "
        "indented 4). Indent it like the fields it belongs with."),
    # the section's first line is the odd one: YAML finds out only at the next section
    "a section's first line indented oddly": (
        "  mother:\n", "   mother:\n", ("mother:\n", 0),
        "People > mother: line {line} is indented 3 spaces, but the fields after it in its section 2 "
        "(like 'partner:' on line {partner}): the fields of one section start in the same column. "
        "Indent it like them."),
    "a list item among fields": (
        "    preferred_name: Kay\n", "    - preferred_name: Kay\n", ("- preferred_name", 0),
        "People > mother: line {line} starts a list item ('- ') among fields (like 'name:' on line {name}), "
        "which are written 'name: value'. Remove the '- ', or put the list under a field name of its own."),
    "a colon in text": (
        "    medical_needs: Asthma (blue", "    medical_needs: Asthma: blue", (": blue", 0),
        "People > mother > medical needs: put free text that contains ': ' in quotes, e.g. note: "
        "\"Meeting: 9am at the hospital\", or write it without the colon."),
    "a field indented under text": (
        "      description: White", "       description: White", ("description: White", 11),
        "Visitors > must not visit > item 1 > description: 'description:' is indented 7 spaces but "
        "'name:' on the line above 6, so YAML reads it as more of that line's text. Line the two up "
        "(or, if it is text, put it in quotes)."),
    # the open quote ran on over eighty lines to the next quote, where YAML stopped
    "a quote never closed": (
        "    medical_needs: Asthma (blue", "    medical_needs: \"Asthma (blue", ("\"Asthma", 0),
        "People > mother > medical needs: the quote that opens this text is never closed: add the "
        "closing quote at the end of the text, or remove the opening one."),
}


@pytest.mark.parametrize("case", list(EDITS))
def test_a_syntax_error_is_at_the_mistake_in_plain_words_naming_the_field(tmp_path, case):
    original, typed, (needle, offset), expected = EDITS[case]
    assert EXAMPLE.count(original) == 1
    text = EXAMPLE.replace(original, typed)
    where = at(text, needle, offset)
    expected = expected.format(line=where.split(":")[0], name=line_of(text, "    name: Kayleigh"),
                               in_hours=line_of(text, "  in_hours:"), partner=line_of(text, "  partner:"))
    assert only_error(tmp_path, text) == f"plan.yaml:{where}: error: {expected}"


def test_a_list_item_without_its_dash(tmp_path):
    person = "    - name: Test Person\n      action: refuse_entry\n"
    text = minimal_plan_text() + "visitors:\n  must_not_visit:\n" + person + person.replace("    - ", "    ")
    second = text.rindex("    name: Test Person")
    line = text.count("\n", 0, second) + 1
    assert only_error(tmp_path, text) == (
        f"plan.yaml:{line}:5: error: Visitors > must not visit: line {line} is in the list that starts "
        f"on line {line - 2} but does not start with '- '. Start a new item with '- ' (dash and space); "
        "if the line belongs to the item above, indent it like that item's other fields.")


def test_a_missing_required_field_is_pinned_to_the_section_it_belongs_in(tmp_path):
    text = EXAMPLE.replace("    due_date: 2027-03-21\n", "")
    code, lines = validate_output(tmp_path, text)
    assert code == 1
    assert lines[0] == (f"plan.yaml:{at(text, '  mother:', 2)}: error: People > mother > due date: "
                        "'due_date' is required but missing: add 'due_date:' under 'mother:'.")
