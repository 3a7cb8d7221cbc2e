"""Phone and NHS numbers in the finished copies: one form, a tel: link in HTML, never split
across two lines (no-break spaces) in HTML, PDF and Word."""

from __future__ import annotations

import re

import pytest

from birthplan import fields, values
from birthplan.audience import view_for
from birthplan.load import load_plan
from birthplan.render.reader import unbreakable
from birthplan.render.sheet import left_to_other_copies
from birthplan.tree import nodes

from .conftest import EXAMPLES, docx_parts, one_file, pdf_text

AUDIENCES = ("professional", "delivery_suite", "parent")


def numbers_shown(example: str, audience: str, kind: str) -> set[str]:
    data = load_plan(EXAMPLES / f"{example}.yaml").data
    view = view_for(data, audience)
    # the one-page sheet leaves some details (the parents' solicitor...) to the other copies
    left = left_to_other_copies(view) if audience == "delivery_suite" else []
    return {value for path, value in nodes(view)
            if isinstance(value, str) and fields.value_kind(fields.node_at(path)) == kind
            and not any(path[:len(other)] == other for other in left)}


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_phone_number_in_the_html_is_a_tel_link_in_one_form(example_renders, audience):
    phones = numbers_shown("sunderland-full", audience, "phone")
    assert phones, "the example shows phone numbers to every audience"
    html = one_file(example_renders["sunderland-full"], audience, ".html").read_text(encoding="utf-8")
    links = dict(re.findall(r'<a class="phone" href="(tel:\+\d+)">([^<]+)</a>', html))
    for phone in phones:
        parsed = values.parse_phone(phone)
        assert links.get(f"tel:{parsed.tel}") == unbreakable(parsed.display), phone
    # no number is shown outside its link, or with a breakable space
    unlinked = re.sub(r'<a class="phone"[^>]*>[^<]*</a>', "", html)
    for phone in phones:
        assert phone not in unlinked and unbreakable(phone) not in unlinked


@pytest.mark.parametrize("audience", AUDIENCES)
def test_numbers_are_not_split_across_lines_in_word_or_pdf(example_renders, audience):
    result = example_renders["sunderland-full"]
    phones = numbers_shown("sunderland-full", audience, "phone")
    nhs = numbers_shown("sunderland-full", audience, "nhs_number")
    document = docx_parts(one_file(result, audience, ".docx"))["word/document.xml"]
    lines = pdf_text(one_file(result, audience, ".pdf")).replace("\u00a0", " ").splitlines()
    for number in phones | nhs:
        assert number.replace(" ", "\u00a0") in document, number
        assert number not in document, number  # an ordinary space would let Word break it
        assert any(number in line for line in lines), number


def test_a_number_written_another_way_is_shown_in_the_one_form(tmp_path):
    from birthplan.render import render_plan

    text = (EXAMPLES / "minimal.yaml").read_text(encoding="utf-8").replace(
        "phone: 07700 900001", 'phone: "+44 (0)7700-900001"')
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    result = render_plan(plan, audiences=("delivery_suite",), formats=("html",), out_dir=tmp_path / "out")
    html = one_file(result, "delivery_suite", ".html").read_text(encoding="utf-8")
    assert '<a class="phone" href="tel:+447700900001">07700\u00a0900001</a>' in html
    assert "(0)7700" not in html
