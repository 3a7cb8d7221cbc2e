"""No words are ever lost off a page or out of a table cell.

Every free-text field of the two full examples gets an 80-character unbroken
word and a long NHS team e-mail address. Each PDF, in every audience, in
Welsh and both languages and in large print, and the Word copies opened in
LibreOffice, must draw every glyph inside the page's printable area; and in
a phone-sized browser window the HTML must not scroll sideways.
"""

from __future__ import annotations

import itertools
import re
import subprocess

import pytest

from birthplan import fields
from birthplan.audience import is_text_item
from birthplan.load import load_plan
from birthplan.yamlwrite import dump_plan
from tests.browser import horizontal_overflow, open_page

from .conftest import EXAMPLES, files_by, render_into

MM = 72 / 25.4
PRINTABLE_INSET_MM = 5  # what an office printer cannot reach at each edge of an A4 sheet
EMAIL = "nhs.team.{n:03d}.safeguarding.midwifery.service@sunderlandroyalhospital.nhs.uk"


def _free_text(path: tuple) -> bool:
    node = fields.node_at(path) or {}
    return "anyOf" in node or (node.get("type") == "string" and not {"pattern", "format", "enum"} & set(node))


def lengthened(value, path: tuple = (), counter=None):
    """The plan with an 80-character word and an e-mail address added to every free-text value."""
    counter = counter if counter is not None else itertools.count()
    if is_text_item(value):
        return {**value, "text": lengthened(value["text"], path, counter)}
    if isinstance(value, dict):
        return {key: lengthened(sub, path + (key,), counter) for key, sub in value.items()}
    if isinstance(value, list):
        return [lengthened(sub, path + (i,), counter) for i, sub in enumerate(value)]
    if isinstance(value, str) and _free_text(path):
        n = next(counter)
        return f"{value} {f'Word{n:03d}'.ljust(80, 'x')} {EMAIL.format(n=n)}"
    return value


def glyphs_outside_printable_area(pdf) -> list[tuple[int, str]]:
    """(page, character) for every glyph drawn within PRINTABLE_INSET_MM of a page edge or beyond."""
    import pymupdf

    outside = []
    with pymupdf.open(pdf) as document:
        for number, page in enumerate(document, 1):
            inset = PRINTABLE_INSET_MM * MM
            area = page.rect + (inset, inset, -inset, -inset)
            for block in page.get_text("rawdict")["blocks"]:
                for line in block.get("lines", ()):
                    for span in line["spans"]:
                        for char in span["chars"]:
                            x0, y0, x1, y1 = char["bbox"]
                            if char["c"].strip() and not (area.x0 <= x0 and x1 <= area.x1
                                                          and area.y0 <= y0 and y1 <= area.y1):
                                outside.append((number, char["c"]))
    return outside


@pytest.fixture(scope="module")
def long_plans(tmp_path_factory):
    folder = tmp_path_factory.mktemp("long-words")
    plans = {}
    for name in ("sunderland-full", "swansea-full"):
        plans[name] = folder / f"{name}.yaml"
        plans[name].write_text(dump_plan(lengthened(load_plan(EXAMPLES / f"{name}.yaml").data)),
                               encoding="utf-8")
    return plans


@pytest.fixture(scope="module")
def long_renders(long_plans, tmp_path_factory):
    """Every audience in English, Welsh and both languages, and the large-print parents' copy."""
    out = tmp_path_factory.mktemp("long-words-out")
    return {
        "en": render_into(out / "en", long_plans["sunderland-full"], formats=("pdf", "docx", "html")),
        "cy": render_into(out / "cy", long_plans["swansea-full"], formats=("pdf",), language="cy"),
        "bilingual": render_into(out / "bi", long_plans["swansea-full"], formats=("pdf",),
                                 language="bilingual"),
        "large-print": render_into(out / "lp", long_plans["sunderland-full"], formats=("pdf",),
                                   audiences=("parent",), large_print=True),
    }


def test_the_long_plan_really_has_long_words_everywhere(long_plans):
    text = long_plans["sunderland-full"].read_text(encoding="utf-8")
    assert text.count("x" * 60) >= 40 and text.count("@sunderlandroyalhospital.nhs.uk") >= 40


COPIES = [("en", "professional"), ("en", "delivery_suite"), ("en", "parent"),
          ("cy", "professional"), ("cy", "delivery_suite"),
          ("cy", "parent"), ("bilingual", "professional"),
          ("bilingual", "delivery_suite"), ("bilingual", "parent"),
          ("large-print", "parent")]


@pytest.mark.parametrize("copy, audience", COPIES)
def test_every_glyph_of_every_pdf_lies_inside_the_printable_area(long_renders, copy, audience):
    (pdf,) = files_by(long_renders[copy], audience, ".pdf")
    assert glyphs_outside_printable_area(pdf) == []


def test_word_copies_wrap_long_words_inside_the_page_in_libreoffice(long_renders, soffice, tmp_path):
    documents = files_by(long_renders["en"], suffix=".docx")
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    *map(str, documents)], check=True, capture_output=True, timeout=300)
    for document in documents:
        pdf = tmp_path / f"{document.stem}.pdf"
        assert glyphs_outside_printable_area(pdf) == [], pdf.name


def test_the_html_copy_does_not_scroll_sideways_on_a_phone(long_renders, browser):
    for page_file in files_by(long_renders["en"], suffix=".html"):
        assert horizontal_overflow(open_page(browser, page_file, width=320)) == 0, page_file.name


def test_a_5000_character_word_is_printed_whole_and_the_html_keeps_it_as_written(tmp_path):
    """The PDF gets break opportunities in very long words (for speed, see render.html.breakable);
    no character is lost, none is added to the text a reader copies, and the HTML is untouched."""
    from .conftest import one_file, pdf_text, squash

    word = "".join(chr(ord("a") + i % 26) for i in range(5000))
    data = load_plan(EXAMPLES / "sunderland-full.yaml").data
    data["wishes"]["feeding"] = f"Breastfeeding {word}"
    plan = tmp_path / "plan.yaml"
    plan.write_text(dump_plan(data), encoding="utf-8")
    result = render_into(tmp_path / "out", plan, audiences=("delivery_suite",), formats=("pdf", "html"))
    pdf = one_file(result, "delivery_suite", ".pdf")
    # the word runs over a page break: the running lines printed there are not part of it
    body = re.sub(r"OFFICIAL-SENSITIVEDRAFT·Fingerprint\w+·Page\d+of\d+", "", squash(pdf_text(pdf)))
    assert word in body and "\u200b" not in pdf_text(pdf)
    assert glyphs_outside_printable_area(pdf) == []
    assert word in one_file(result, "delivery_suite", ".html").read_text(encoding="utf-8")


def test_the_pack_logo_still_loads_in_the_pdf():
    """Break opportunities are for words on the page: one inside the logo's data: URI stopped
    WeasyPrint loading it, and the alt text took a third of the delivery-suite sheet's header."""
    from birthplan.render.html import breakable, data_uri
    from birthplan.render.packs import load_pack
    from birthplan.resources import templates_dir

    pack = load_pack(templates_dir() / "sunderland")
    logo = data_uri(pack.path(pack.logo["svg"]), pack.root)
    assert len(logo) > 100 and breakable(logo) == logo
