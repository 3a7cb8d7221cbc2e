"""Welsh, bilingual and large-print copies (Welsh Language Standards, UKAAF)."""

from __future__ import annotations

import re
import statistics
import subprocess

import pikepdf
from docx import Document
from pypdf import PdfReader

from .conftest import docx_parts, docx_text, files_by, one_file, pdf_text, squash

WELSH_HEADINGS = ("Fy nghynllun geni", "Beth rydw i eisiau ar gyfer yr enedigaeth", "Fy apwyntiadau",
                  "Pobl sy'n gallu fy helpu", "Beth mae'r geiriau'n ei olygu")
FAMILY_WORDS = ("Rhodri a fy chwaer Nia. (Rhodri and my sister Nia.)",
                "I want Rhodri with me and the baby on my chest as soon as possible.")


def test_welsh_copy_has_welsh_fixed_text_and_the_familys_own_words(welsh_renders):
    result = welsh_renders["cy"]
    assert all(p.name.endswith(("_cy.pdf", "_cy.docx", "_cy.html")) for p in result.files)
    pdf = " ".join(pdf_text(one_file(result, "parent", ".pdf")).split())
    docx = docx_text(one_file(result, "parent", ".docx"))
    for words in (*WELSH_HEADINGS, *FAMILY_WORDS, "Tudalen 1 o", "DRAFFT: heb ei gytuno mewn adolygiad eto",
                  "Dydd Mercher 10 Chwefror 2027, 09:30 i 10:00", "Cyngor Abertawe"):
        assert words in pdf
    for words in (*WELSH_HEADINGS, *FAMILY_WORDS):
        assert words in docx
    for english in ("What I want for the birth", "My appointments", "People who can help me", "Page 1 of"):
        assert english not in pdf


def test_welsh_copy_has_the_same_contacts_and_layout_as_the_english(example_renders, welsh_renders):
    english, welsh = example_renders["swansea-full"], welsh_renders["cy"]
    for audience in ("professional", "delivery_suite", "parent"):
        en_pdf, cy_pdf = one_file(english, audience, ".pdf"), one_file(welsh, audience, ".pdf")
        numbers = set(re.findall(r"0\d{3,4} \d{3} ?\d{3,4}", " ".join(pdf_text(en_pdf).split())))
        welsh_numbers = set(re.findall(r"0\d{3,4} \d{3} ?\d{3,4}", " ".join(pdf_text(cy_pdf).split())))
        assert numbers and numbers == welsh_numbers
        assert _section_ids(english, audience) == _section_ids(welsh, audience)
    assert len(PdfReader(one_file(welsh, "delivery_suite", ".pdf")).pages) == 1


def _section_ids(result, audience):
    html = one_file(result, audience, ".html").read_text(encoding="utf-8")
    return re.findall(r'<section id="([a-z_]+)"', html)


def test_welsh_documents_declare_welsh(welsh_renders):
    result = welsh_renders["cy"]
    with pikepdf.open(one_file(result, "parent", ".pdf")) as pdf:
        assert str(pdf.Root.Lang) == "cy-GB"
    assert Document(one_file(result, "parent", ".docx")).core_properties.language == "cy-GB"
    assert 'w:val="cy-GB"' in docx_parts(one_file(result, "parent", ".docx"))["word/styles.xml"]
    assert '<html lang="cy-GB">' in one_file(result, "parent", ".html").read_text(encoding="utf-8")
    alt = re.search(r'<img [^>]*alt="([^"]+)"', one_file(result, "parent", ".html").read_text(encoding="utf-8"))
    assert alt.group(1).startswith("Arwyddlun")


def test_bilingual_copy_shows_welsh_first_then_english_side_by_side(welsh_renders):
    result = welsh_renders["bilingual"]
    pdf = " ".join(pdf_text(one_file(result, "parent", ".pdf")).split())
    assert "Fy nghynllun geni / My birth plan" in pdf
    assert "Fy apwyntiadau / My appointments" in pdf
    assert "Tudalen / Page 1 o / of" in pdf
    for words in FAMILY_WORDS:  # the family's words once, as written
        assert pdf.count(words) == 1
    html = one_file(result, "parent", ".html").read_text(encoding="utf-8")
    assert '<span lang="en-GB">My birth plan</span>' in html  # screen readers switch voice
    assert '<title>Fy nghynllun geni / My birth plan' in html


def test_enum_values_are_words_in_each_language(example_renders, welsh_renders):
    welsh = " ".join(pdf_text(one_file(welsh_renders["cy"], "professional", ".pdf")).split())
    english = " ".join(pdf_text(one_file(example_renders["swansea-full"], "professional", ".pdf")).split())
    assert "Cynllun amddiffyn gofal a chymorth" in welsh and "Ffonio tîm diogelwch yr ysbyty" in welsh
    assert "Care and support protection plan" in english and "Call hospital security" in english
    for text in (welsh, english):
        assert "care_and_support_protection" not in text and "call_security" not in text


def test_welsh_glossary_explains_terms_in_welsh(welsh_renders):
    pdf = " ".join(pdf_text(one_file(welsh_renders["cy"], "parent", ".pdf")).split())
    glossary = pdf[pdf.index("Beth mae'r geiriau'n ei olygu"):]
    assert "Cynllun amddiffyn gofal a chymorth" in glossary
    assert "Tîm Dyletswydd Argyfwng" in glossary
    assert "Dechrau'n Deg (Flying Start)" in glossary


# -- large print ---------------------------------------------------------------------


def _word_heights(path, page: int) -> list[float]:
    xhtml = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                           capture_output=True, check=True).stdout.decode("utf-8")
    return [float(y2) - float(y1) for y1, y2 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', xhtml)]


def test_large_print_parent_copy_has_body_text_of_at_least_16_point(large_print_render, example_renders):
    large = one_file(large_print_render, "parent", ".pdf")
    assert large.name.endswith("_large-print.pdf")
    normal = one_file(example_renders["sunderland-full"], "parent", ".pdf")
    # a glyph box is about 1.15 times the font size: 16 pt text gives boxes over 18 pt
    large_heights = _word_heights(large, 2)
    assert statistics.median(large_heights) >= 16 * 1.1
    assert min(large_heights) >= 16 * 1.05
    assert statistics.median(_word_heights(normal, 2)) < 16


def test_large_print_word_copy_uses_18_point_sans_serif_without_italics(large_print_render):
    path = one_file(large_print_render, "parent", ".docx")
    document = Document(path)
    assert document.styles["Normal"].font.size.pt == 18
    for style in document.styles:
        if style.type in (1, 2) and style.font.size is not None:
            assert style.font.size.pt >= 16, style.name
    assert document.styles["Normal"].font.name == "Arial"
    body = docx_parts(path)["word/document.xml"]
    assert "<w:i/>" not in body and "<w:i " not in body
    for size in re.findall(r'<w:sz w:val="(\d+)"', body + docx_parts(path)["word/styles.xml"]):
        assert int(size) >= 32


def test_large_print_html_sets_18pt_sans_serif_left_aligned(large_print_render):
    html = one_file(large_print_render, "parent", ".html").read_text(encoding="utf-8")
    assert 'class="audience-parent large-print"' in html
    assert "body.large-print { font-size: 18pt" in html
    assert "text-align: justify" not in html and "font-style: italic" not in html


def test_large_print_applies_to_the_parents_copy_only(tmp_path):
    from birthplan.render import render_plan

    from .conftest import EXAMPLES

    result = render_plan(EXAMPLES / "minimal.yaml", large_print=True, formats=("pdf",), out_dir=tmp_path)
    assert [p.name for p in files_by(result, suffix=".pdf") if "large-print" in p.name] == \
        ["TFC-2027-0001_parent_draft_large-print.pdf"]
    assert squash("Delivery suite sheet") in squash(pdf_text(one_file(result, "delivery_suite", ".pdf")))
