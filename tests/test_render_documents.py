"""The rendered copies, opened as a reader's software would open them.

Headings, the one-page delivery-suite sheet, PDF/UA tagging and language,
Word heading styles, repeating header rows, language and title, the HTML
copy's self-containment, file names, and the version stamp on every page.
"""

from __future__ import annotations

import re
import zipfile

import pikepdf
import pytest
from docx import Document
from lxml import etree
from pypdf import PdfReader

from birthplan.audience import AUDIENCES, view_for
from birthplan.load import load_plan
from birthplan.render.sheet import left_to_other_copies

from .conftest import (
    EXAMPLE_PLANS, EXAMPLES, docx_parts, docx_text, files_by, one_file, pdf_metadata_text,
    pdf_text, plain_values, squash, without_paths,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
CASES = [(name, audience) for name in EXAMPLE_PLANS for audience in AUDIENCES]
FIRST_HEADING = {"professional": "About this plan", "delivery_suite": "Mother and baby",
                 "parent": "What I want for the birth"}


def _reference(name: str) -> str:
    return load_plan(EXAMPLES / f"{name}.yaml").data["plan"]["case_reference"]


# -- files ------------------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLE_PLANS)
def test_every_audience_gets_every_format_named_by_case_audience_and_version(example_renders, name):
    result = example_renders[name]
    reference = _reference(name)
    names = sorted(p.name for p in result.files)
    expected = sorted(f"{reference}_{audience.replace('_', '-')}_draft.{ext}"
                      for audience in AUDIENCES for ext in ("docx", "pdf", "html"))
    assert names == expected  # examples have no review history: every copy is a draft
    mother = load_plan(EXAMPLES / f"{name}.yaml").data["people"]["mother"]["name"]
    for part in mother.split():
        assert all(part.lower() not in n.lower() for n in names)
    assert result.draft and result.version is None
    assert any("DRAFT" in notice for notice in result.notices)


# -- the delivery-suite sheet -------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLE_PLANS)
def test_delivery_suite_sheet_is_exactly_one_a4_page(example_renders, name):
    result = example_renders[name]
    reader = PdfReader(one_file(result, "delivery_suite", ".pdf"))
    assert len(reader.pages) == 1
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    assert result.overflow_pages is None
    assert not any("does not fit" in notice for notice in result.notices)


def test_delivery_suite_sheet_puts_alerts_first_in_words_not_colour(example_renders):
    result = example_renders["sunderland-full"]
    order = ["Who to tell", "Must not visit", "Before the baby leaves", "Legal status", "On the ward"]
    # reading order (the PDF's tag order is the HTML's; pdftotext reads columns its own way)
    for text in (one_file(result, "delivery_suite", ".html").read_text(encoding="utf-8"),
                 docx_text(one_file(result, "delivery_suite", ".docx"))):
        flat = " ".join(text.split())
        assert len(re.findall(r"ALERT: ", flat)) == 5
        positions = [flat.index(f"ALERT: {title}") for title in order]
        assert positions == sorted(positions)
        assert flat.index("Mother and baby") < positions[0]
        # then the birth partners, under the parents' wishes, after every alert
        wishes = "Parents&#39; wishes" if "<html" in text else "Parents' wishes"
        assert max(positions) < flat.index(wishes) < flat.index("Birth partners")
    flat = " ".join(pdf_text(one_file(result, "delivery_suite", ".pdf")).split())
    # the numbers to ring and the action if a banned visitor arrives are on the printed sheet
    for words in ("01632 960101", "01632 960999", "01632 960455", "Lee Carver", "CALL THE POLICE (999)",
                  "Social worker informed and the discharge planning meeting decision", *order):
        assert words in flat


def test_an_overlong_sheet_is_rendered_whole_marked_and_reported(tmp_path):
    from birthplan.render import render_plan

    plan = (EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8")
    long_words = " ".join(f"Step {i}: check the wristband and call the ward sister." for i in range(60))
    plan = plan.replace("  instructions: >-\n", f"  instructions: >-\n    {long_words}\n", 1)
    source = tmp_path / "long.yaml"
    source.write_text(plan, encoding="utf-8")
    result = render_plan(source, audiences=("delivery_suite",), formats=("pdf", "docx"), out_dir=tmp_path)
    pdf = one_file(result, "delivery_suite", ".pdf")
    pages = len(PdfReader(pdf).pages)
    assert pages >= 2 and result.overflow_pages == pages
    assert any("does not fit on one A4 page" in n for n in result.notices)
    text = " ".join(pdf_text(pdf).split())
    assert f"This sheet runs to {pages} pages" in text
    assert "Step 59: check the wristband" in text  # nothing cut
    assert f"This sheet runs to {pages} pages" in docx_text(one_file(result, "delivery_suite", ".docx"))


# -- headings -----------------------------------------------------------------------


@pytest.mark.parametrize("name,audience", CASES)
def test_headings_are_real_headings_in_every_format(example_renders, name, audience):
    result = example_renders[name]
    html = one_file(result, audience, ".html").read_text(encoding="utf-8")
    h2 = re.findall(r"<h2>(.*?)</h2>", html, re.S)
    first = FIRST_HEADING[audience] if name != "minimal" or audience != "parent" \
        else "People who can help me"  # the minimal plan has no wishes yet
    assert h2 and first in h2[0]
    document = Document(one_file(result, audience, ".docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert first in headings[0]
    assert len(headings) == len(h2)
    with pikepdf.open(one_file(result, audience, ".pdf")) as pdf:
        kinds = _struct_kinds(pdf)
    assert kinds.count("/H2") == len(h2) and "/H1" in kinds


def _struct_kinds(pdf, alts: list | None = None) -> list[str]:
    kinds: list[str] = []

    def walk(node):
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                kinds.append(str(node.S))
                if str(node.S) == "/Figure" and alts is not None:
                    alts.append(str(node.get("/Alt", "")))
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                for kid in kids:
                    walk(kid)
            elif isinstance(kids, pikepdf.Dictionary):
                walk(kids)

    walk(pdf.Root.StructTreeRoot)
    return kinds


def test_parent_copy_puts_their_own_wishes_first_in_their_voice(example_renders):
    text = " ".join(pdf_text(one_file(example_renders["sunderland-full"], "parent", ".pdf")).split())
    assert "My birth plan" in text
    first_section = text.index("What I want for the birth")
    for later in ("My appointments", "People who can help me", "Why children's services are involved",
                  "What the words mean"):
        assert text.index(later) > first_section
    assert "Who I want with me I want Daniel and my mum with me." in text


# -- PDF: PDF/UA-1 -----------------------------------------------------------------


@pytest.mark.parametrize("name,audience", CASES)
def test_pdf_is_tagged_with_language_and_title_shown(example_renders, name, audience):
    path = one_file(example_renders[name], audience, ".pdf")
    with pikepdf.open(path) as pdf:
        root = pdf.Root
        assert "/StructTreeRoot" in root
        assert bool(root.MarkInfo.Marked) is True
        assert str(root.Lang) == "en-GB"
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        title = str(pdf.docinfo["/Title"])
        assert _reference(name) in title and "DRAFT" in title
        alts: list[str] = []
        kinds = _struct_kinds(pdf, alts)
        assert {"/Table", "/TR", "/TH", "/TD"} <= set(kinds) or audience == "delivery_suite"
        assert alts and all("template pack emblem" in alt for alt in alts)  # the logo's alt text
        assert "pdfuaid" in pdf.Root.Metadata.read_bytes().decode("utf-8")


@pytest.mark.parametrize("name,audience", CASES)
def test_every_pdf_page_shows_page_x_of_y_version_review_and_fingerprint(example_renders, name, audience):
    path = one_file(example_renders[name], audience, ".pdf")
    pages = len(PdfReader(path).pages)
    for number in range(1, pages + 1):
        flat = " ".join(pdf_text(path, page=number).split())
        assert f"Page {number} of {pages}" in flat
        assert re.search(r"Fingerprint [0-9a-f]{10}", flat)
        if audience == "delivery_suite":  # a one-line footer; the status is at the top
            assert re.search(r"DRAFT · Fingerprint [0-9a-f]{10} · Page", flat)
            assert number > 1 or "DRAFT: not agreed" in flat
        else:
            assert "Not yet agreed at a review" in flat and "No review recorded" in flat
            assert "DRAFT: not yet agreed at a review" in flat


# -- DOCX -------------------------------------------------------------------------


@pytest.mark.parametrize("name,audience", CASES)
def test_docx_has_heading_styles_repeating_header_rows_language_title_and_alt_text(
        example_renders, name, audience):
    path = one_file(example_renders[name], audience, ".docx")
    document = Document(path)
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Title"} <= styles
    assert document.core_properties.title.startswith(
        {"professional": "Pre-birth plan", "delivery_suite": "Delivery suite sheet",
         "parent": "My birth plan"}[audience])
    assert _reference(name) in document.core_properties.title
    assert document.core_properties.language == "en-GB"
    # the sheet is lines and boxed paragraphs (like its PDF); the other copies have tables
    assert bool(document.tables) == (audience != "delivery_suite")
    for table in document.tables:
        first_row = table.rows[0]._tr
        assert first_row.find(f"{W}trPr/{W}tblHeader") is not None
    styles_xml = etree.fromstring(docx_parts(path)["word/styles.xml"].encode("utf-8"))
    default_lang = styles_xml.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert default_lang.get(f"{W}val") == "en-GB"
    normal = [s for s in styles_xml.iter(f"{W}style") if s.get(f"{W}styleId") == "Normal"][0]
    assert normal.find(f"{W}rPr/{W}lang").get(f"{W}val") == "en-GB"
    images = [d for xml in docx_parts(path).values()
              for d in etree.fromstring(xml.encode("utf-8")).iter(f"{WP}docPr")]
    assert images and all(d.get("descr", "").strip() for d in images)
    footer_xml = "".join(xml for n, xml in docx_parts(path).items() if n.startswith("word/footer"))
    assert "NUMPAGES" in footer_xml and "PAGE" in footer_xml
    # the sheet: the status at the top, "DRAFT · Fingerprint ..." in its one-line footer
    assert ("DRAFT: not agreed" if audience == "delivery_suite" else "Not yet agreed at a review") \
        in docx_text(path)


def test_docx_leaves_no_template_tags_behind(example_renders):
    for result in example_renders.values():
        for path in files_by(result, suffix=".docx"):
            text = docx_text(path)
            assert "{{" not in text and "{%" not in text, path.name


# -- HTML -------------------------------------------------------------------------


@pytest.mark.parametrize("name,audience", CASES)
def test_html_is_one_self_contained_responsive_file(example_renders, name, audience):
    html = one_file(example_renders[name], audience, ".html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert "<style>" in html and "<link" not in html
    sources = re.findall(r'\s(?:src|href)="([^"]*)"', html)
    assert sources and all(s.startswith(("data:", "tel:")) for s in sources)  # tel: loads nothing
    assert "url(" not in re.sub(r"url\(\"?data:", "", html)
    assert re.search(r'<img [^>]*alt="[^"]+"', html)
    assert "@media (max-width: 40em)" in html  # tables stack on a phone


def test_html_and_pdf_say_plainly_they_come_from_a_template_pack(example_renders):
    for name in ("sunderland-full", "swansea-full"):
        for path in files_by(example_renders[name], "parent"):
            if path.suffix == ".pdf":
                text = pdf_text(path)
            elif path.suffix == ".docx":
                text = docx_text(path)
            else:
                text = path.read_text(encoding="utf-8")
            assert "It is not an official council form." in " ".join(text.split())


# -- same facts in Word and PDF -----------------------------------------------------


@pytest.mark.parametrize("name,audience", CASES)
def test_docx_and_pdf_hold_the_same_facts(example_renders, name, audience):
    result = example_renders[name]
    docx = squash(docx_text(one_file(result, audience, ".docx")))
    pdf = squash(pdf_text(one_file(result, audience, ".pdf")))
    view = view_for(load_plan(EXAMPLES / f"{name}.yaml").data, audience)
    if audience == "delivery_suite":  # one page: some details are left to the other copies
        view = without_paths(view, left_to_other_copies(view))
    # appointment ids link calendar entries; only the professional copy prints them
    values = plain_values(view, skip_keys=() if audience == "professional" else ("id",))
    assert values
    shown_in_docx = {v for v in values if squash(v) in docx}
    shown_in_pdf = {v for v in values if squash(v) in pdf}
    assert shown_in_docx == shown_in_pdf
    # and the copy shows everything its audience may see
    assert shown_in_pdf == set(values)


def test_professional_copy_shows_every_value_of_the_plan(example_renders):
    for name in EXAMPLE_PLANS:
        pdf = squash(pdf_text(one_file(example_renders[name], "professional", ".pdf")))
        data = load_plan(EXAMPLES / f"{name}.yaml").data
        missing = [v for v in plain_values(view_for(data, "professional"))
                   if squash(v) not in pdf and v != data["plan"]["authority"]]
        assert not missing
        assert "Other details" not in pdf_text(one_file(example_renders[name], "professional", ".pdf"))


def test_appointments_are_one_list_in_date_and_time_order_with_agencies_named(example_renders):
    for audience in ("professional", "parent"):
        text = " ".join(pdf_text(one_file(example_renders["sunderland-full"], audience, ".pdf")).split())
        whats = ["Antenatal check", "Recovery group", "Core group meeting",
                 "Antenatal health visitor contact", "Discharge planning meeting Agency"]
        start = text.index("Wednesday 20 January 2027, 10:00 to 10:30")
        positions = [text.index(w, start) for w in whats]
        assert positions == sorted(positions)
        assert "Agency: Wearside Recovery" in text and "Agency: Midwifery" in text
    ds = pdf_text(one_file(example_renders["sunderland-full"], "delivery_suite", ".pdf"))
    assert "Recovery group" not in ds  # appointments are not for the delivery suite


def test_enum_values_appear_as_words(example_renders):
    text = " ".join(pdf_text(one_file(example_renders["sunderland-full"], "professional", ".pdf")).split())
    for words in ("Pre-proceedings (PLO)", "Child protection plan", "Supervision arranged by children's social care",
                  "Yes, once named on the birth certificate", "Emergency Duty Team (out of hours)"):
        assert words in text
    for raw in ("pre_proceedings", "call_police", "named_at_registration", "emergency_duty_team"):
        assert raw not in text


def test_glossary_explains_only_the_jargon_the_parent_copy_uses(example_renders):
    text = " ".join(pdf_text(one_file(example_renders["sunderland-full"], "parent", ".pdf")).split())
    glossary = text[text.index("What the words mean"):]
    for term in ("PLO (Public Law Outline)", "Pre-proceedings", "Core group", "Section 20",
                 "EDT (Emergency Duty Team)", "Parental responsibility", "Child protection plan"):
        assert term in glossary
    assert "Interim care order" not in glossary  # not used in this plan
    assert "ICPC" not in glossary
    minimal = " ".join(pdf_text(one_file(example_renders["minimal"], "parent", ".pdf")).split())
    assert "Section 20" not in minimal


def test_minimal_plan_renders_without_empty_sections(example_renders):
    text = " ".join(pdf_text(one_file(example_renders["minimal"], "delivery_suite", ".pdf")).split())
    assert "None listed" not in text  # an alert with nothing in it is left out, not printed empty
    assert "who must not visit" not in text
    html = one_file(example_renders["minimal"], "professional", ".html").read_text(encoding="utf-8")
    assert not re.search(r"<h2>[^<]*</h2>\s*</section>", html)


def test_docx_parts_hold_no_unexpected_pieces(example_renders):
    path = one_file(example_renders["sunderland-full"], "parent", ".docx")
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
    assert "Kayleigh" not in pdf_metadata_text(one_file(example_renders["sunderland-full"], "parent", ".pdf"))
