"""A fresh case as a new user renders it: a draft (no review recorded yet) whose plan
names its own Emergency Duty Team number, different from the pack's out-of-hours line.

Each test opens the rendered files (HTML and Word) of the parents', professional and
Easy Read copies and reads what a reader would see.
"""

from __future__ import annotations

import html
import re

import pytest

from .conftest import EXAMPLES, docx_text, files_by, render_into

PACK_OUT_OF_HOURS = "960999"  # templates/sunderland/pack.yaml
PLAN_OUT_OF_HOURS = "960998"  # this family's Emergency Duty Team, agreed at the meeting


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """{file name: text} of every parents' (standard, large print, Easy Read) and professional
    copy of a draft Sunderland plan with its own out-of-hours number, in HTML and Word."""
    folder = tmp_path_factory.mktemp("fresh-case")
    plan = folder / "plan.yaml"  # no history beside it: every copy is a draft
    plan.write_text((EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8")
                    .replace(f"01632 {PACK_OUT_OF_HOURS}", f"01632 {PLAN_OUT_OF_HOURS}")
                    # a role where a name goes, as the starter has it
                    .replace("who: Priya Raman (social worker)", "who: Social worker"),
                    encoding="utf-8")
    result = render_into(folder / "out", plan, audiences=("parent", "professional"),
                         formats=("html", "docx"), standard_print=True, large_print=True, easy_read=True)
    texts = {}
    for path in files_by(result):
        if path.suffix == ".html":
            text = re.sub(r"<(script|style)\b.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
            text = html.unescape(re.sub(r"<[^>]+>", " ", text))
        else:
            text = docx_text(path)
        texts[path.name] = " ".join(text.replace("\u00a0", " ").replace("\u2060", "").split())
    assert len(texts) == 8, sorted(texts)
    return texts


def test_every_copy_gives_the_plans_out_of_hours_number_not_a_second_one(fresh):
    for name, text in fresh.items():
        assert PLAN_OUT_OF_HOURS in text, name
        assert PACK_OUT_OF_HOURS not in text, f"{name}: the pack's out-of-hours number beside the plan's"


def test_a_draft_copy_never_says_the_plan_was_agreed_at_its_meeting(fresh):
    for name, text in fresh.items():
        for claim in ("It was agreed at a", "co-produced plan agreed at", "We made this plan at a meeting"):
            assert claim not in text, f"{name}: a draft says {claim!r}"
        assert re.search(r"draft for the .{0,60}14 January 2027|at a meeting on 14 January 2027", text), name


def test_easy_read_calls_people_by_plain_lower_case_role_words(fresh):
    text = fresh["TFC-2027-0193_parent_draft_easy-read.html"]
    # the starter's "who: Social worker" / "Emergency Duty Team" are roles, not names
    assert "they will phone the social worker" in text
    assert not re.search(r"will phone (Social worker|Emergency Duty Team)\b", text), text
    assert not re.search(r"phone [^.]*Emergency Duty Team", text)


def test_easy_read_says_who_a_contact_is_and_where_they_work_in_one_sentence(fresh):
    text = fresh["TFC-2027-0193_parent_draft_easy-read.html"]
    assert "Out of Hours Emergency Duty Team from Together for Children is the council team" in text
    assert "works for" not in text


def test_the_parents_must_not_visit_table_has_no_empty_why_column(fresh):
    # the reason is withheld from the parents (audience.py), so no row has one to show
    text = fresh["TFC-2027-0193_parent_draft.html"]
    assert "People who must not visit Name What staff will do if they come Lee Carver" in text
    assert "Staff will call the police" in text


def test_the_parents_word_copy_has_no_empty_column_either(tmp_path):
    """The Word copy leaves out a column no row has a value in, as the HTML and PDF do."""
    from docx import Document

    result = render_into(tmp_path, EXAMPLES / "sunderland-full.yaml", audiences=("parent",),
                         formats=("docx",), standard_print=True)
    [path] = files_by(result)
    tables = Document(path).tables
    visitors = next(table for table in tables
                    if "What staff will do if they come" in [c.text for c in table.rows[0].cells])
    assert [cell.text for cell in visitors.rows[0].cells] == ["Name", "What staff will do if they come"]
    assert visitors.rows[1].cells[0].text == "Lee Carver"
    for table in tables:
        for column in range(1, len(table.columns)):
            assert any(row.cells[column].text.strip() for row in table.rows[1:]), \
                [cell.text for cell in table.rows[0].cells]


def test_an_agreed_copy_says_where_the_plan_was_agreed(tmp_path):
    from birthplan.history import record_review

    plan = tmp_path / "plan.yaml"
    plan.write_text((EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    record_review(plan)  # date, meeting and attendees from the plan (14 January 2027)
    result = render_into(tmp_path / "out", plan, audiences=("parent", "professional"), formats=("html",),
                         standard_print=True, easy_read=True)
    texts = {path.name: _words(path)
             for path in files_by(result)}
    assert len(texts) == 3, sorted(texts)
    for name, text in texts.items():
        assert "draft for the" not in text and "We will talk about this plan" not in text, name
        assert re.search(r"(It was agreed at a|co-produced plan agreed at a) core group meeting on "
                         r"14 January 2027|We made this plan at a meeting on 14 January 2027", text), name


def _words(path) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))).split())
