"""Every copy, checked as assistive technology reads it.

* PDF (pikepdf, the structure tree): each table header cell carries /Scope
  (PDF/UA-1, Matterhorn 15-003); the bilingual copy marks its English parts /Lang en-GB.
* Word (lxml, the runs): the bilingual copy marks its English runs w:lang en-GB.
* HTML (headless Chromium + axe-core): every copy (each audience, English, Welsh,
  bilingual, large print, Easy Read) has no WCAG 2.2 A/AA or best-practice violation, no
  sideways scrolling at 320 CSS px (WCAG 1.4.10), all content inside landmarks,
  and the security marking visible and read out, on screen and in print.
"""

from __future__ import annotations

import zipfile

import pikepdf
import pytest
from lxml import etree

from .browser import axe_violations, describe, horizontal_overflow, open_page
from .conftest import EXAMPLE_PLANS, files_by

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MARKINGS = ("OFFICIAL-SENSITIVE", "SWYDDOGOL-SENSITIF")


def _every_render(example_renders, welsh_renders, large_print_render, bilingual_large_print_render,
                  easy_read_renders):
    return [*(example_renders[name] for name in EXAMPLE_PLANS), welsh_renders["cy"],
            welsh_renders["bilingual"], large_print_render, bilingual_large_print_render,
            easy_read_renders["en"], easy_read_renders["cy"]]


@pytest.fixture(scope="session")
def every_copy(example_renders, welsh_renders, large_print_render, bilingual_large_print_render,
               easy_read_renders):
    """Every file of every session render: all audiences, languages, large print and Easy Read."""
    return [path for result in _every_render(example_renders, welsh_renders, large_print_render,
                                             bilingual_large_print_render, easy_read_renders)
            for path in result.files]


# -- PDF -------------------------------------------------------------------------------------


def _structure(pdf) -> list:
    """Every structure element of a tagged PDF, parents before children."""
    out, stack = [], [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if "/S" in node:
            out.append(node)
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            stack.extend(reversed(list(kids)))
        elif isinstance(kids, pikepdf.Dictionary):
            stack.append(kids)
    return out


def test_every_pdf_table_header_cell_has_a_scope(every_copy):
    pdfs = [p for p in every_copy if p.suffix == ".pdf"]
    checked = 0
    for path in pdfs:
        with pikepdf.open(path) as pdf:
            for element in _structure(pdf):
                if element.S == "/TH":
                    scope = element.get("/A", {}).get("/Scope")
                    assert scope in ("/Row", "/Column"), (path.name, scope)
                    checked += 1
    assert checked > 100


def _has_lang_below(element, lang: str) -> bool:
    stack = [element]
    while stack:
        node = stack.pop()
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if str(node.get("/Lang", "")) == lang:
            return True
        kids = node.get("/K")
        stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else [])
    return False


def test_bilingual_pdf_marks_each_english_part_as_english(welsh_renders, bilingual_large_print_render):
    for result in (welsh_renders["bilingual"], bilingual_large_print_render):
        for path in files_by(result, suffix=".pdf"):
            html = path.with_suffix(".html").read_text(encoding="utf-8")
            body = html.split("<header", 1)[1]  # the running header and footer are not in the tree
            english_parts = body.count('<span lang="en-GB">')
            with pikepdf.open(path) as pdf:
                assert str(pdf.Root.Lang) == "cy-GB"
                elements = _structure(pdf)
                english = [e for e in elements if str(e.get("/Lang", "")) == "en-GB"]
                # a part split over two lines is two elements, so at least one per part
                assert len(english) >= english_parts > 5, (path.name, len(english), english_parts)
                headings = [e for e in elements if e.S in ("/H1", "/H2")]
                assert headings and all(_has_lang_below(h, "en-GB") for h in headings), path.name
    # a Welsh-only copy marks only the plan's own English words (tests/test_language_marks.py):
    # no heading holds English
    for path in files_by(welsh_renders["cy"], suffix=".pdf"):
        with pikepdf.open(path) as pdf:
            headings = [e for e in _structure(pdf) if e.S in ("/H1", "/H2")]
            assert headings and not any(_has_lang_below(h, "en-GB") for h in headings), path.name


# -- Word ------------------------------------------------------------------------------------


def _runs(path):
    """(part name, run element, its text, its w:lang) for every run with text."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.startswith(("word/document", "word/header", "word/footer")) or not name.endswith(".xml"):
                continue
            root = etree.fromstring(archive.read(name))
            for run in root.iter(f"{W}r"):
                text = "".join(t.text or "" for t in run.iter(f"{W}t"))
                lang = run.find(f"{W}rPr/{W}lang")
                yield name, run, text, None if lang is None else lang.get(f"{W}val")


def test_bilingual_docx_marks_each_english_part_as_english(welsh_renders, bilingual_large_print_render):
    from birthplan.render.i18n import Words
    from birthplan.render.packs import load_pack
    from birthplan.resources import templates_dir

    words = Words(load_pack(templates_dir() / "swansea"), "bilingual", "parent")
    title = words.title("parent").text("en")
    heading = words.heading("parent_wishes").text("en")
    for result in (welsh_renders["bilingual"], bilingual_large_print_render):
        for path in files_by(result, suffix=".docx"):
            runs = list(_runs(path))
            english = [(name, text) for name, _, text, lang in runs if lang == "en-GB"]
            assert len(english) > 20, path.name
            assert any(name.startswith("word/header") for name, _ in english), path.name
            assert any(name.startswith("word/footer") for name, _ in english), path.name
            assert all("xml:lang" not in etree.tostring(run).decode() for _, run, _, _ in runs)
            if "_parent_" in path.name:
                marked = {text.strip() for _, text in english}
                assert title in marked and heading in marked, path.name
                welsh_title = [text for _, _, text, lang in runs if "Fy nghynllun geni" in text]
                assert welsh_title and "My birth plan" not in welsh_title[0]


# -- HTML in a real browser --------------------------------------------------------------------


MARKING_SEEN = """(markings) => {
  const shown = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.children.length || !markings.some(m => el.textContent.includes(m))) continue;
    const style = getComputedStyle(el);
    const hidden = el.closest('[aria-hidden="true"]') || style.display === 'none'
      || style.visibility === 'hidden' || el.getClientRects().length === 0;
    if (!hidden) shown.push(el.closest('header, main, footer, [role]')?.tagName || 'none');
  }
  return shown;
}"""


@pytest.fixture(scope="session")
def html_copies(every_copy):
    copies = [p for p in every_copy if p.suffix == ".html"]
    assert len(copies) >= 19  # 3 plans x 3 audiences, Welsh and bilingual x 3, two large print, two Easy Read
    return copies


def test_every_html_copy_passes_axe_and_reflows_at_320_px(browser, html_copies):
    failures = {}
    for path in html_copies:
        page = open_page(browser, path, width=320, height=640)
        try:
            found = axe_violations(page)
            overflow = horizontal_overflow(page)
            if found or overflow:
                failures[path.name] = {"axe": found, "sideways_px": overflow}
        finally:
            page.context.close()
    assert not failures, describe(failures)


def test_every_html_copy_passes_axe_on_a_desktop_screen(browser, html_copies):
    failures = {}
    for path in html_copies:
        page = open_page(browser, path, width=1280)
        try:
            found = axe_violations(page)
            if found:
                failures[path.name] = found
        finally:
            page.context.close()
    assert not failures, describe(failures)


def test_security_marking_is_shown_and_read_on_screen_and_in_print(browser, html_copies):
    for path in html_copies:
        page = open_page(browser, path, width=1280)
        try:
            for media in ("screen", "print"):
                page.emulate_media(media=media)
                shown = page.evaluate(MARKING_SEEN, list(MARKINGS))
                # in the page header (the banner landmark), not aria-hidden, not display: none
                assert "HEADER" in shown or (media == "print" and "_delivery-suite_" in path.name), \
                    (path.name, media, shown)
        finally:
            page.context.close()
