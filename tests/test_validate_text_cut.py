"""Free text cut short at ' #' (trial finding 1): YAML reads ' #' in unquoted text as the start
of a comment, so "Epidural only if she asks #2 (see notes). Pethidine NO" became "Epidural only
if she asks" on every copy, and `validate` said "valid". It is a warning at the '#', in plain
words, and the starters' and examples' own comments after values give none."""

from __future__ import annotations

import re

import pytest

from birthplan.starter import starter_text
from birthplan.validate import load_and_validate

from .planfactory import EXAMPLES, minimal_plan_text
from .test_schema_and_init import _uncommented
from .validating import at, validate_output

CUT = "the text from ' #' on is not part of the plan"
TRIAL_LINE = "  pain_relief: Gas and air. Epidural only if she asks #2 (see notes). Pethidine NO\n"


def test_text_cut_at_a_hash_is_a_warning_at_the_hash(tmp_path):
    text = minimal_plan_text() + "wishes:\n" + TRIAL_LINE
    code, lines = validate_output(tmp_path, text)
    assert code == 0  # a warning: the plan is still valid
    assert lines == [
        f"plan.yaml:{at(text, '#2')}: warning: Parents' wishes > pain relief: {CUT}: YAML reads ' #' "
        "as the start of a comment, so no copy shows those words. If they belong to the text, put "
        "the whole text in double quotes, e.g. pain_relief: \"...\"; if they are a note for "
        "yourself, move them to a line of their own.",
        "plan.yaml: valid, 1 warning(s)",
    ]
    assert "Pethidine" not in "\n".join(lines) and "see notes" not in "\n".join(lines)


@pytest.mark.parametrize("written, example", [
    # a list item of free text (an address line "Flat #2")
    ("address:\n  lines:\n    - Flat #2\n    - 1 Test Road\n", '- "..."'),
    # the words of a free-text item written as a mapping
    ("visitors:\n  must_not_visit:\n    - name: Test Person\n      action: call_police\n"
     "      description: Tall, beard #scar on left cheek\n", 'description: "..."'),
    ("visitors:\n  must_not_visit:\n    - name: Test Person\n      action: call_police\n"
     "      reason:\n        text: Threats made in December #police log\n        third_party: true\n",
     'text: "..."'),
    # a name: text too
    ("people:\n  partner:\n    name: Sam Example #2\n", None),
])
def test_every_kind_of_free_text_is_checked(tmp_path, written, example):
    text = minimal_plan_text()
    if written.startswith("people:"):
        text = text.replace("  place_of_birth:", written.split("\n", 1)[1] + "  place_of_birth:")
    else:
        text += written
    plan, report = load_and_validate(_write(tmp_path, text))
    [warning] = [w for w in report.warnings if CUT in w.message]
    assert f"{warning.line}:{warning.column}" == at(text, " #", offset=1)
    if example:
        assert f"e.g. {example};" in warning.message


@pytest.mark.parametrize("written", [
    'wishes:\n  pain_relief: "Gas and air. Ask her #2 first"\n',       # quoted: the '#' is text
    "wishes:\n  pain_relief: Gas and air. Ask her#2 first\n",          # no space before it: text
    "wishes:\n  pain_relief: |\n    Gas and air. Ask her #2 first\n",  # a block: text
    "ward:\n  arrangement: none   # set values: the schema checks them\n",
    "plan_note:\n",
])
def test_no_warning_where_nothing_is_cut_or_the_value_is_not_free_text(tmp_path, written):
    text = minimal_plan_text()
    if written != "plan_note:\n":
        text += written
    else:  # a comment after a date, a reference and a set value
        text = (text.replace("due_date: 2027-05-01}", "due_date: 2027-05-01}  # from the scan")
                .replace("case_reference: TFC-2027-0001", "case_reference: TFC-2027-0001  # case #1"))
    plan, report = load_and_validate(_write(tmp_path, text))
    assert report.ok, [p.format() for p in report.errors]
    assert not [w for w in report.warnings if CUT in w.message]
    if "block" in written or '"' in written:
        assert "#2 first" in plan.data["wishes"]["pain_relief"]


@pytest.mark.parametrize("authority", ["swansea", "sunderland"])
def test_the_starters_comments_after_values_give_no_warning(tmp_path, authority):
    """The starters put comments after values (`other_language: Language   # when ...`); a
    social worker fills in the value and keeps the comment, and the workspace's saves keep it
    too, wherever the new value's length leaves it."""
    from birthplan.workspace.yamledit import apply_edits

    filled = re.sub(r"other_language: Language", "other_language: Polish", _uncommented(starter_text(authority)))
    plan, report = load_and_validate(_write(tmp_path, filled))
    assert report.ok, [p.format() for p in report.errors]
    assert not [w.format() for w in report.warnings if CUT in w.message]
    after = dict(plan.data, communication=dict(plan.data["communication"],
                                               other_language="Polish and a little English, with her sister to help"))
    saved = apply_edits(filled, plan.data, after)
    assert "# when preferred_language is other" in saved  # the workspace kept the comment
    plan, report = load_and_validate(_write(tmp_path, saved))
    assert not [w.format() for w in report.warnings if CUT in w.message]


def test_examples_have_no_cut_text():
    for example in EXAMPLES.glob("*.yaml"):
        report = load_and_validate(example)[1]
        assert not [w.format() for w in report.warnings if CUT in w.message]


def test_a_version_1_plan_is_warned_at_the_hash_too(tmp_path):
    """A version-1 plan is read as version 2, its fields moved; the warning stays at the file's line."""
    text = (minimal_plan_text().replace("schema_version: 2", "schema_version: 1")
            + "if_separated:\n  contact_plan: Twice a week #2 supervised\n")
    plan, report = load_and_validate(_write(tmp_path, text))
    assert plan.data["separation"]["contact_after"] == "Twice a week"
    [warning] = [w for w in report.warnings if CUT in w.message]
    assert f"{warning.line}:{warning.column}" == at(text, "#2")
    assert 'e.g. contact_plan: "..."' in warning.message  # the name as written in this file


def _write(tmp_path, text):
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path
