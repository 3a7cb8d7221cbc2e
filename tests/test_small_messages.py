"""Small messages a new user met on a fresh clone (fix-a item 7): each says what is wrong
and what to do, in the right words, with the right exit code."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from birthplan.cli import main
from birthplan.validate import load_and_validate

from .planfactory import minimal_plan_text

REPO = Path(__file__).resolve().parent.parent


def run(*args) -> object:
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("written", ["Sunderland", "SWANSEA", "sunderland"])
def test_init_accepts_the_authority_in_any_case(tmp_path, written):
    result = run("init", "--authority", written, tmp_path / "plan.yaml")
    assert result.exit_code == 0, result.output
    assert load_and_validate(tmp_path / "plan.yaml")[1].ok


def test_a_language_the_pack_lacks_is_a_usage_error_naming_the_languages(tmp_path):
    result = run("render", REPO / "examples/sunderland-full.yaml", "--language", "cy",
                 "--format", "html", "--out", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert "the sunderland pack has no Welsh (cy) words; its languages are: en" in result.output
    assert str(REPO) not in result.output  # no absolute path of the pack
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


@pytest.mark.parametrize("written, hint", [
    ("06/13/2027", "dates are day first: did you mean 13/06/2027?"),
    ("2027-13-06", None),  # ISO is year-month-day: swapping is no guess there
    ("31/02/2027", None),
])
def test_a_month_first_date_suggests_the_day_first_one(tmp_path, written, hint):
    path = tmp_path / "plan.yaml"
    path.write_text(minimal_plan_text().replace("due_date: 2027-05-01", f"due_date: {written}"),
                    encoding="utf-8")
    [error] = load_and_validate(path)[1].errors
    if hint:
        assert "there is no month 13; " + hint + " Write it as" in error.message, error.message
    else:
        assert "did you mean" not in error.message


def test_the_draft_notice_names_the_plan_file(tmp_path):
    plan = tmp_path / "TFC-2027-0001.yaml"
    shutil.copy(REPO / "examples/minimal.yaml", plan)
    result = run("render", plan, "--format", "html", "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert f"Record the review with: birthplan review {plan}" in result.output
    assert "PLAN ..." not in result.output


def test_sent_to_a_plan_never_reviewed_says_how_to_record_the_review(tmp_path):
    plan = tmp_path / "plan.yaml"
    shutil.copy(REPO / "examples/minimal.yaml", plan)
    result = run("sent", plan, "--to", "Named midwife")
    assert result.exit_code == 1
    assert "--attendee" not in result.output and "PLAN" not in result.output
    assert "no review has been recorded yet" in result.output


def test_repeated_format_and_audience_options_add_up(tmp_path):
    """'--format pdf --format html' writes both (it used to keep only the last, silently)."""
    out = tmp_path / "out"
    result = run("render", REPO / "examples/minimal.yaml", "--audience", "parent", "--audience",
                 "delivery_suite", "--format", "html", "--format", "docx", "--out", out)
    assert result.exit_code == 0, result.output
    written = sorted(path.name for path in out.iterdir())
    assert {name.rsplit(".", 1)[1] for name in written} == {"html", "docx"}, written
    assert any("_parent_" in name for name in written) and any("_delivery-suite_" in name for name in written)
    assert not any("_professional_" in name for name in written)


@pytest.mark.parametrize("written, expected, absent", [
    # a field indented one space too far reads as more of the text above it
    ("  pain_relief: gas and air\n   skin_to_skin: yes\n",
     "'skin_to_skin:' is indented 3 spaces but 'pain_relief:' on the line above 2", "in quotes, e.g."),
    # real text with ': ' in it still gets the quoting advice
    ("  pain_relief: gas and air: maybe more\n", "put free text that contains ': ' in quotes", "indented"),
])
def test_a_yaml_slip_gets_advice_for_what_was_typed(tmp_path, written, expected, absent):
    path = tmp_path / "plan.yaml"
    path.write_text(minimal_plan_text() + "wishes:\n" + written, encoding="utf-8")
    [error] = load_and_validate(path)[1].errors
    assert expected in error.message and absent not in error.message, error.message


def test_did_you_mean_is_never_a_different_kind_of_concern(tmp_path):
    """'domestic abuse' is not a slip for 'physical_abuse': a wrong guess on a
    safeguarding category misleads; a real slip still gets its suggestion."""
    path = tmp_path / "plan.yaml"
    path.write_text(minimal_plan_text() + "legal_status:\n  plan_type: child_protection\n  stage: none\n"
                    "  categories: [domestic abuse, negelct]\n",
                    encoding="utf-8")
    messages = [e.message for e in load_and_validate(path)[1].errors if e.field.startswith("Legal status > categories")]
    assert len(messages) == 2, messages
    assert "Did you mean" not in messages[0]
    assert "Did you mean 'neglect'?" in messages[1]


@pytest.mark.parametrize("written, hint", [("TFC 2027 0311", " Did you mean 'TFC-2027-0311'?"),
                                           ("Kayleigh Smith", "")])
def test_a_case_reference_typed_with_spaces_gets_the_hyphenated_form(tmp_path, written, hint):
    path = tmp_path / "plan.yaml"
    text = minimal_plan_text()
    path.write_text(re.sub(r"case_reference: \S+", f"case_reference: {written}", text, count=1), encoding="utf-8")
    [error] = load_and_validate(path)[1].errors
    assert error.message.endswith("never a person's name." + hint), error.message
    assert "Kayleigh" not in error.message  # a name typed in the wrong field is never quoted


@pytest.mark.parametrize("written, expected", [
    ('  photos: "Liam will take photos\n  feeding: breastfeeding\n', "the quote that opens this text is never closed"),
    ("  photos: [camera, phone\n  feeding: breastfeeding\n", "the list that opens here with '[' is never closed"),
])
def test_an_unclosed_quote_or_list_is_named_where_it_opens_not_at_the_end(tmp_path, written, expected):
    text = minimal_plan_text() + "wishes:\n" + written
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    [error] = load_and_validate(path)[1].errors
    assert error.line == text.count("\n") - 1, (error.line, error.message)  # the photos line
    assert error.message.startswith(expected), error.message
