"""Every value is shown literally in every format; control characters are
removed with a warning that names the field and never quotes it."""

from __future__ import annotations

import html as html_module
import re

import pytest
from docx import Document

from birthplan.load import load_plan
from birthplan.yamlwrite import dump_plan

from .conftest import EXAMPLES, docx_text, one_file, pdf_text, render_into, squash

TRICKY = "Mum & me <b>bold</b> ]]> {{ x }} {% if %} {_{ y }_} </style><script>alert(1)</script> 'q' \"dq\""
TRICKY_NAME = "Rhian O'Neil & <Sons> {{ name }}"
# Ordinary prose that looks like an HTML attribute once it is on the page: it must
# render like any other words (the page is never scanned for plan text).
PROSE = "I am vegetarian. Agreed next action = ask the ward dietitian."
ATTRIBUTE_LIKE = 'Notes: src="https://example.org/x.png" href=/etc/hosts data=file.txt action=ask'


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    folder = tmp_path_factory.mktemp("escaping")
    data = load_plan(EXAMPLES / "swansea-full.yaml").data
    # wishes every copy shows (the delivery-suite sheet leaves "other" and "photos" to the others)
    data["wishes"]["religious_needs"] = TRICKY
    data["wishes"]["dietary_needs"] = PROSE
    data["wishes"]["feeding"] = ATTRIBUTE_LIKE
    data["at_birth"]["instructions"] = TRICKY
    data["visitors"]["birth_partners"][1]["name"] = TRICKY_NAME
    data["people"]["place_of_birth"] = "Singleton {% raw %} & {# note #} ward"
    data["communication"]["learning_disability_support"] = "Reads\x07 slowly\x1b[31m; line one\nline two"
    source = folder / "tricky.yaml"
    source.write_text(dump_plan(data), encoding="utf-8")
    return render_into(folder / "out", source)


@pytest.mark.parametrize("audience", ["professional", "delivery_suite", "parent"])
def test_values_appear_literally_in_docx_pdf_and_html(tricky, audience):
    docx = docx_text(one_file(tricky, audience, ".docx"))
    pdf = squash(pdf_text(one_file(tricky, audience, ".pdf")))
    page = one_file(tricky, audience, ".html").read_text(encoding="utf-8")
    shown = html_module.unescape(re.sub(r"<[^>]+>", "", page))
    for value in (TRICKY, TRICKY_NAME, "Singleton {% raw %} & {# note #} ward", PROSE, ATTRIBUTE_LIKE):
        assert value in docx
        assert squash(value) in pdf
        assert value in shown
    # the HTML source holds them escaped: no markup from the plan
    assert "<script>" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_docx_survives_word_xml_rules(tricky):
    for audience in ("professional", "parent"):
        document = Document(one_file(tricky, audience, ".docx"))  # parses: the XML is well formed
        assert any(TRICKY in p.text for t in document.tables for r in t.rows for c in r.cells
                   for p in c.paragraphs)


def test_control_characters_are_removed_with_a_warning_naming_the_field(tricky):
    (warning,) = [n for n in tricky.notices if "control characters" in n]
    assert re.search(r"tricky\.yaml:\d+:\d+: warning: Communication > learning disability support: "
                     r"contains control characters", warning)
    assert "Reads slowly" not in warning
    for path in tricky.files:
        data = path.read_bytes()
        if path.suffix == ".html":
            assert b"\x07" not in data and b"\x1b" not in data
    docx = docx_text(one_file(tricky, "professional", ".docx"))
    assert "Reads slowly[31m; line one" in docx
    assert "\x07" not in docx and "\x1b" not in docx
    pdf = pdf_text(one_file(tricky, "professional", ".pdf"))
    assert "Reads slowly[31m; line one" in pdf
