"""The parents' copy says only what a parent needs, in words they can follow, in print they can read.

* nothing for staff: no template pack or nation, no fingerprint under the title
  (the version and fingerprint stay in the footer), no instructions addressed to staff;
* no bare choice: every choice the copy can show has the parents' own wording,
  and every service word it can show is explained in the glossary, in English and Welsh;
* clear print: body text at least 12 pt, footers at least 10 pt (PDF glyphs, Word runs);
  large print at least 16 pt everywhere, the DRAFT flag included;
* large print stays short: one-line running header and footer.
"""

from __future__ import annotations

import re

import pymupdf
import pytest
from docx import Document

from birthplan import fields
from birthplan.render.glossary import terms_used
from birthplan.render.i18n import Words, dotted, schema_enums
from birthplan.render.packs import load_pack
from birthplan.resources import templates_dir

from .conftest import docx_text, one_file, pdf_text, squash

PACKS = ("sunderland", "swansea")
PACK_BY_REFERENCE = {"TFC": "sunderland", "SWA": "swansea"}  # the examples' case references

# Words services use that a parent may not know (Born into Care; the issue's own finds first).
# Whenever the parents' copy can show one, the pack's glossary must explain it.
JARGON = {
    "en": ("neglect", "emotional abuse", "pre-birth assessment", "contact", "contact plan",
           "family centre", "family time", "PLO", "pre-proceedings", "court proceedings",
           "interim care order", "parental responsibility", "child protection plan",
           "child in need", "care and support protection plan", "core group",
           "child protection conference", "Emergency Duty Team", "safeguarding midwife",
           "health visitor", "key worker", "advocate", "supervision", "parenting observations",
           "foster care", "section 20", "section 76", "special guardianship", "risk assessment",
           "Easy Read", "discharge"),
    "cy": ("esgeulustod", "cam-drin emosiynol", "asesiad cyn geni", "cyswllt", "cynllun cyswllt",
           "canolfan deuluoedd", "amser teulu", "PLO", "cyn achos llys", "achos llys",
           "gorchymyn gofal interim", "cyfrifoldeb rhiant", "cynllun amddiffyn plant",
           "plentyn mewn angen", "cynllun amddiffyn gofal a chymorth", "grŵp craidd",
           "cynhadledd amddiffyn plant", "Tîm Dyletswydd Argyfwng", "bydwraig diogelu",
           "ymwelydd iechyd", "gweithiwr allweddol", "eiriolwr", "goruchwyliaeth",
           "arsylwi ar y rhianta", "gofal maeth", "adran 76", "asesiad risg", "gadael yr ysbyty",
           "Hawdd ei Ddeall"),
}
# What only staff are told: instructions addressed to them, and which pack and nation's
# terms made the copy (as a row: label then value).
STAFF_ONLY = {
    "en": ("Phone them in the order listed", "Instructions for the ward", "Guidance for staff",
           "Action if they arrive", "What staff need to know", "Template pack sunderland",
           "Template pack swansea", "Nation England", "Nation Wales"),
    "cy": ("Ffoniwch nhw yn y drefn hon", "Cyfarwyddiadau i'r ward", "Cyngor i'r staff",
           "Beth i'w wneud os ydyn nhw'n cyrraedd", "Pecyn templed swansea", "Gwlad Cymru"),
}


def _parent_copies(example_renders, welsh_renders):
    """(language, result) for every parents' copy of the example plans."""
    for name in ("sunderland-full", "swansea-full", "minimal"):
        yield "en", example_renders[name]
    yield "cy", welsh_renders["cy"]
    yield "bilingual", welsh_renders["bilingual"]


def _languages(language: str) -> tuple:
    return ("cy", "en") if language == "bilingual" else (language,)


# -- what the copy shows ------------------------------------------------------------------------


def test_parent_copy_shows_no_pack_nation_or_staff_instructions_in_any_format(example_renders, welsh_renders):
    for language, result in _parent_copies(example_renders, welsh_renders):
        texts = {".pdf": squash(pdf_text(one_file(result, "parent", ".pdf"))),
                 ".docx": squash(docx_text(one_file(result, "parent", ".docx"))),
                 ".html": squash(one_file(result, "parent", ".html").read_text(encoding="utf-8"))}
        for suffix, text in texts.items():
            for lang in _languages(language):
                for words in STAFF_ONLY[lang]:
                    assert squash(words) not in text, (result.plan.name, language, suffix, words)
    # the staff still read them in their own copy
    professional = squash(pdf_text(one_file(example_renders["sunderland-full"], "professional", ".pdf")))
    assert squash("Phone them in the order listed") in professional
    assert squash("Template pack sunderland") in professional


def test_parent_copy_keeps_version_and_fingerprint_in_the_footer_not_under_the_title(example_renders,
                                                                                      welsh_renders):
    for language, result in _parent_copies(example_renders, welsh_renders):
        word = "Ôl bys" if language == "cy" else "Fingerprint"
        pdf = pymupdf.open(one_file(result, "parent", ".pdf"))
        for page in pdf:
            body, margins = _split_by_margins(page)
            assert word not in body, (result.plan.name, language, page.number)
            assert word in margins, (result.plan.name, language, page.number)
        html = one_file(result, "parent", ".html").read_text(encoding="utf-8")
        assert 'class="stamp"' not in html and 'class="page-foot-stamp"' in html
        document = Document(one_file(result, "parent", ".docx"))
        assert not any(word in p.text for p in document.paragraphs)
        assert any(word in p.text for p in document.sections[0].footer.paragraphs)
    # the professional copy keeps the line under its title
    professional = one_file(example_renders["sunderland-full"], "professional", ".html")
    assert 'class="stamp"' in professional.read_text(encoding="utf-8")


def test_parent_copy_words_category_stage_and_arrangement_as_plain_sentences(example_renders, welsh_renders):
    sunderland = squash(pdf_text(one_file(example_renders["sunderland-full"], "parent", ".pdf")))
    assert squash("Neglect: services are worried that my baby's everyday needs") in sunderland
    assert squash("Pre-proceedings: the council has written to us (a PLO letter)") in sunderland
    assert squash("Someone arranged by children's social care will be with us") in sunderland
    assert squash("The hospital will phone these people, in this order.") in sunderland
    # ... and each service word is in the glossary at the end
    glossary = sunderland.split(squash("What the words mean"))[-1]
    for term in ("Neglect", "Family centre", "Family time (contact)", "PLO (Public Law Outline)"):
        assert squash(term) in glossary, term
    welsh = squash(pdf_text(one_file(welsh_renders["cy"], "parent", ".pdf")))
    assert squash("Bydd yr ysbyty'n ffonio'r bobl hyn, yn y drefn hon.") in welsh


def _parent_paths() -> list[tuple]:
    """Every choice field the parents may see by default, as a schema path (list items at 0)."""
    out = []
    for dotted_path in schema_enums():
        path: list = []
        for key in dotted_path.split("."):
            path.append(key)
            node = fields.node_at(tuple(path))
            if node is not None and node.get("type") == "array" and "items" in node \
                    and "properties" in fields.resolve(node["items"]):
                path.append(0)
        if "parent" in fields.default_audiences(tuple(path)):
            out.append(tuple(path))
    return out


@pytest.mark.parametrize("pack_name", PACKS)
def test_every_choice_and_service_word_the_parent_copy_can_show_is_plain_or_explained(pack_name):
    """Walks every choice in the schema and every service word the copy's fixed words use."""
    pack = load_pack(templates_dir() / pack_name)
    paths = _parent_paths()
    assert ("contacts", 0, "role") in paths and ("legal_status", "stage") in paths
    for lang in pack.languages:
        words = Words(pack, lang, "parent")
        own = pack.strings[lang].get("parent_enums") or {}
        glossary = pack.glossary[lang]
        shown = []
        for path in paths:
            for value in schema_enums()[dotted(path)]:
                wording = words.enum(path, value).text(lang)
                shown.append(wording)
                plain = isinstance((own.get(dotted(path)) or {}).get(value), str)
                assert plain or terms_used(glossary, [wording]), \
                    f"{pack_name} {lang}: {dotted(path)} > {value} ({wording!r}) has no plain wording or glossary entry"
            shown.append(str(words.label(path)))
        table = pack.strings[lang]
        shown += [str(v) for section in ("headings", "phrases", "parent_phrases", "parent_labels", "titles")
                  for v in (table.get(section) or {}).values()]
        corpus = "\n".join(shown)
        for term in JARGON[lang]:
            if terms_used([{"matches": [term]}], [corpus]):
                assert terms_used(glossary, [term]), f"{pack_name} {lang}: '{term}' is not in the glossary"


def test_service_words_in_the_plans_own_text_are_explained_too(example_renders, welsh_renders):
    """The family's plan text uses them as well ("family time ... at the Family Centre")."""
    for language, result in _parent_copies(example_renders, welsh_renders):
        text = pdf_text(one_file(result, "parent", ".pdf"))
        body, _, glossary = text.rpartition("What the words mean" if language != "cy"
                                            else "Beth mae'r geiriau'n ei olygu")
        pack = load_pack(templates_dir() / PACK_BY_REFERENCE[result.files[0].name[:3]])
        for lang in _languages(language):
            for term in JARGON[lang]:
                if terms_used([{"matches": [term]}], [body]):
                    entry = terms_used(pack.glossary[lang], [term])
                    assert entry, (result.plan.name, language, term)
                    assert squash(entry[0]["term"]) in squash(glossary), (result.plan.name, language, term)


# -- print sizes -------------------------------------------------------------------------------


# The packs' @page margins (style.css): the running header and footer live in them.
MARGIN_MM = {"standard": 24, "large": 22}


def _spans(page):
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", ()):
            for span in line["spans"]:
                if span["text"].strip():
                    yield span


def _in_margin(page, span, margin_mm: float) -> bool:
    margin = margin_mm * 72 / 25.4
    return span["bbox"][3] <= margin or span["bbox"][1] >= page.rect.height - margin


def _split_by_margins(page, margin_mm: float = MARGIN_MM["standard"]) -> tuple[str, str]:
    """(text in the page body, text in the top and bottom margins: the running header and footer)."""
    body, margins = [], []
    for span in _spans(page):
        (margins if _in_margin(page, span, margin_mm) else body).append(span["text"])
    return " ".join(body), " ".join(margins)


def _glyph_sizes(path, margin_mm: float) -> tuple[list, list]:
    """[(size, text)] of the body and of the running header and footer, every page."""
    body, margins = [], []
    for page in pymupdf.open(path):
        for span in _spans(page):
            size = round(span["size"], 2)
            (margins if _in_margin(page, span, margin_mm) else body).append((size, span["text"]))
    return body, margins


def _docx_sizes(path) -> tuple[list, list]:
    """[(points, text)] of every run with text in the body and in the headers and footers."""
    document = Document(path)

    def size(run, paragraph):
        if run.font.size is not None:
            return run.font.size.pt
        style = paragraph.style
        while style is not None:
            if style.font.size is not None:
                return style.font.size.pt
            style = style.base_style
        return 10.0  # Word's own default when nothing says otherwise

    def runs(paragraphs):
        return [(size(run, p), run.text) for p in paragraphs for run in p.runs if run.text.strip()]

    def every_paragraph(container):
        out = list(container.paragraphs)
        for table in container.tables:
            for row in table.rows:
                for cell in row.cells:
                    out += every_paragraph(cell)
        return out

    section = document.sections[0]
    return (runs(every_paragraph(document)),
            runs(every_paragraph(section.header)) + runs(every_paragraph(section.footer)))


def test_standard_parent_copy_is_clear_print_12pt_body_and_10pt_footers(example_renders, welsh_renders):
    for language, result in _parent_copies(example_renders, welsh_renders):
        body, margins = _glyph_sizes(one_file(result, "parent", ".pdf"), MARGIN_MM["standard"])
        assert body and margins
        assert min(body)[0] >= 12, (result.plan.name, language, min(body))
        assert min(margins)[0] >= 10, (result.plan.name, language, min(margins))
        body, margins = _docx_sizes(one_file(result, "parent", ".docx"))
        assert min(body)[0] >= 12, (result.plan.name, language, min(body))
        assert min(margins)[0] >= 10, (result.plan.name, language, min(margins))


def test_large_print_is_16pt_everywhere_including_the_draft_flag(large_print_render,
                                                                 bilingual_large_print_render):
    for result in (large_print_render, bilingual_large_print_render):
        pdf = one_file(result, "parent", ".pdf")
        body, margins = _glyph_sizes(pdf, MARGIN_MM["large"])
        assert min(body + margins)[0] >= 16, (pdf.name, min(body + margins))
        assert any("DRAFT" in text for _, text in body)  # the flag under the title is there, and large
        body, margins = _docx_sizes(one_file(result, "parent", ".docx"))
        assert min(body + margins)[0] >= 16, min(body + margins)


def _margin_lines(page, margin_mm: float = MARGIN_MM["large"]) -> tuple[set, set]:
    """The distinct baselines of text in the top margin and in the bottom margin."""
    top, bottom = set(), set()
    for span in _spans(page):
        if _in_margin(page, span, margin_mm):
            assert span["size"] >= 15.9, span["text"]  # large print: the running lines too
            half = top if span["bbox"][3] < page.rect.height / 2 else bottom
            half.add(round(span["origin"][1]))
    return top, bottom


def test_large_print_has_one_line_running_header_and_footer_and_stays_short(large_print_render,
                                                                           bilingual_large_print_render):
    for result in (large_print_render, bilingual_large_print_render):
        path = one_file(result, "parent", ".pdf")
        pdf = pymupdf.open(path)
        for page in pdf:
            top, bottom = _margin_lines(page)
            # page 1: the masthead carries the marking, so no running header there
            assert len(top) == (0 if page.number == 0 else 1) and len(bottom) == 1, (
                path.name, page.number + 1, top, bottom)
        # the version (here: DRAFT) and the fingerprint stay on every page, with the page number
        footer = _split_by_margins(pdf[1], MARGIN_MM["large"])[1]
        assert "DRAFT" in footer and re.search(r"\b[0-9a-f]{10}\b", footer) and "2" in footer
        # the last page holds more than the closing notes: they never get a page of their own
        pack = load_pack(templates_dir() / PACK_BY_REFERENCE[path.name[:3]])
        left = squash(_split_by_margins(pdf[-1], MARGIN_MM["large"])[0])
        for lang in pack.languages:
            for key in ("procedures", "footer", "disclaimer"):
                left = left.replace(squash(pack.wording[lang][key]), "")
        assert len(left.replace("/", "")) > 100, (path.name, left)
        document = Document(one_file(result, "parent", ".docx"))
        section = document.sections[0]
        for part in (section.header, section.footer):
            lines = [p.text for p in part.paragraphs if p.text.strip()]
            assert len(lines) == 1, lines


def test_large_print_pages_carry_the_security_marking_exactly_once(large_print_render,
                                                                  bilingual_large_print_render):
    """Page 1's masthead carries it, so the running header leaves it out there."""
    for result in (large_print_render, bilingual_large_print_render):
        path = one_file(result, "parent", ".pdf")
        for number, page in enumerate(pymupdf.open(path), start=1):
            assert page.get_text().count("OFFICIAL-SENSITIVE") == 1, (path.name, number)


def test_large_print_word_copy_has_one_line_header_and_footer_in_an_office_program(
        bilingual_large_print_render, soffice, tmp_path):
    """The longest running lines (Welsh and English), laid out by LibreOffice."""
    import subprocess

    source = one_file(bilingual_large_print_render, "parent", ".docx")
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                          capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr
    laid_out = pymupdf.open(tmp_path / source.with_suffix(".pdf").name)
    word_margin_mm = 20  # build_word_templates.py: the parents' copy's top and bottom margins
    for page in laid_out:
        top, bottom = _margin_lines(page, word_margin_mm)
        assert len(top) == 1 and len(bottom) == 1, (page.number + 1, top, bottom)


def test_a_heading_is_never_left_at_the_foot_of_a_page_without_what_it_introduces(
        example_renders, large_print_render):
    """A heading (and its intro line) goes with what follows: at least two lines of it
    below the last heading on a page, or the heading moves to the next page."""
    renders = [(one_file(example_renders[name], "parent", ".pdf"), "standard")
               for name in ("sunderland-full", "swansea-full", "minimal")]
    renders.append((one_file(large_print_render, "parent", ".pdf"), "large"))
    for path, form in renders:
        pages = list(pymupdf.open(path))
        bodies = [[s for s in _spans(page) if not _in_margin(page, s, MARGIN_MM[form])] for page in pages]
        sizes = [round(s["size"]) for body in bodies for s in body]
        size = max(set(sizes), key=sizes.count)  # the body text's

        def heading(span):
            return span["size"] > size + 0.5 and span["flags"] & 16

        for number, body in enumerate(bodies[:-1], start=1):
            headings = [s for s in body if heading(s)]
            if not headings:
                continue
            below = max(h["origin"][1] for h in headings)
            lines = {round(s["origin"][1]) for s in body if s["origin"][1] > below + 1}
            # one line is all right when it was the whole section (the next page starts another)
            ended = bool(bodies[number]) and heading(min(bodies[number], key=lambda s: s["origin"][1]))
            assert len(lines) >= 2 or (lines and ended), (path.name, number, headings[-1]["text"])


def test_the_word_copy_keeps_headings_and_intro_lines_with_what_follows_and_rows_whole(example_renders):
    from docx.oxml.ns import qn

    document = Document(one_file(example_renders["sunderland-full"], "parent", ".docx"))
    intro = [p for p in document.paragraphs if p.style.name == "Lead"]
    assert intro and all(p.style.paragraph_format.keep_with_next for p in intro)
    assert all(document.styles[f"Heading {n}"].paragraph_format.keep_with_next for n in (1, 2))
    rows = [row for table in document.tables for row in table.rows]
    assert rows and all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
                        for row in rows)


def test_the_page_number_is_never_split_across_footer_lines(example_renders, welsh_renders):
    """'Tudalen 1 / o 9' was seen: the Welsh footer broke inside the page number."""
    for result in (example_renders["sunderland-full"], welsh_renders["cy"], welsh_renders["bilingual"]):
        for audience in ("parent", "professional"):
            with pymupdf.open(one_file(result, audience, ".pdf")) as document:
                for page in document:
                    footer = " ".join(b[4] for b in page.get_text("blocks") if b[1] > page.rect.height - 80)
                    assert re.search(r"(Page|Tudalen|Tudalen / Page) \d+ (of|o|o / of) \d+", footer), (audience, footer)


def test_a_term_found_only_inside_a_longer_listed_term_is_not_listed_again():
    """ "Cyn achos llys" (pre-proceedings) also listed "Achos llys" (proceedings): the shorter
    term is explained only when it is used on its own somewhere."""
    entries = [{"id": "pre", "matches": ["cyn achos llys"]}, {"id": "court", "matches": ["achos llys"]},
               {"id": "edt", "matches": ["EDT"]}]
    ids = lambda *texts: [entry["id"] for entry in terms_used(entries, list(texts))]  # noqa: E731
    assert ids("Cyn achos llys yw'r enw ar hyn.", "Ffoniwch EDT.") == ["pre", "edt"]
    assert ids("Cyn achos llys yw'r enw.", "Gall fod achos llys wedyn.") == ["pre", "court"]
    assert ids("Mae achos llys.") == ["court"]
