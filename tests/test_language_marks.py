"""The plan's own words carry their language in every copy (WCAG 2.2 SC 3.1.2, PDF/UA-1).

A Welsh or bilingual copy is a Welsh document, but the plan's own words (wishes,
places, support needs, typed by a social worker) are written in the language
``plan > text_language`` names: English unless it says Welsh. A screen reader reads
unmarked text in the document's language, so English sentences in a Welsh copy
must be marked English: HTML ``lang`` on the element holding them, PDF ``/Lang``
on their structure element, Word ``w:lang`` on their runs. Words in the
document's own language carry no extra mark.

Read back from the real files of the Swansea example (session renders).
"""

from __future__ import annotations

import re
import zipfile

import lxml.html
import pikepdf
import pytest
from lxml import etree

from .conftest import EXAMPLES, files_by, one_file, render_into

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# a wish written in English in the Swansea example (wishes > what_ifs > caesarean)
WISH = "I want Rhodri with me and the baby on my chest as soon as possible."
# on the delivery-suite sheet (at_birth > instructions), which leaves the what-ifs to the parents' copy
INSTRUCTION = "Do not give Cat's address or ward to anyone who phones the ward."
WELSH_HEADING = "Beth rydw i eisiau"  # the start of the parents' wishes heading in Welsh


def _squash(text: str) -> str:
    return re.sub(r"[\s\u200b\u00a0]+", "", text)


def _sentence(audience: str) -> str:
    return INSTRUCTION if audience == "delivery-suite" else WISH


def _audience(path) -> str:
    return next(a for a in ("professional", "delivery-suite", "parent") if f"_{a}_" in path.name)


# -- HTML ----------------------------------------------------------------------------------------


def _lang_of_text(path, text: str) -> list[str]:
    """The language in force (the nearest ``lang``) for each innermost element holding ``text``."""
    root = lxml.html.fromstring(path.read_bytes())
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str) or _squash(text) not in _squash(element.text_content()):
            continue
        if any(_squash(text) in _squash(child.text_content()) for child in element if isinstance(child.tag, str)):
            continue  # a child holds it all: look there
        holder = element
        while holder is not None and holder.get("lang") is None:
            holder = holder.getparent()
        found.append(holder.get("lang") if holder is not None else None)
    return found


@pytest.mark.parametrize("language", ["cy", "bilingual"])
def test_the_plans_english_words_are_marked_english_in_welsh_html(welsh_renders, language):
    for path in files_by(welsh_renders[language], suffix=".html"):
        assert not re.search(r'<span lang="[^"]+"></span>', path.read_text(encoding="utf-8"))  # nothing empty
        assert _lang_of_text(path, _sentence(_audience(path))) == ["en-GB"], path.name
        if "_parent_" in path.name:
            welsh = [lang for lang in _lang_of_text(path, WELSH_HEADING)]
            assert welsh == ["cy-GB"], path.name  # the fixed Welsh heading: the document's own language


def test_the_english_copy_has_no_language_marks_beyond_its_own(example_renders):
    for path in files_by(example_renders["swansea-full"], suffix=".html"):
        page = path.read_text(encoding="utf-8")
        assert re.findall(r"\slang=\"([^\"]+)\"", page) == ["en-GB"], path.name  # <html lang> only
        assert _lang_of_text(path, _sentence(_audience(path))) == ["en-GB"]


# -- PDF: the structure tree, with the text of each element read from its marked content -----------


def _to_unicode(font) -> dict[int, str]:
    """A Type0 font's ToUnicode map (code -> text), as WeasyPrint writes it."""
    table: dict[int, str] = {}
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, text in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            table[int(code, 16)] = bytes.fromhex(text).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for low, high, start in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            first = int.from_bytes(bytes.fromhex(start), "big")
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                table[code] = chr(first + offset)
    return table


def _marked_content_text(pdf) -> dict[tuple, str]:
    """{(page object number, MCID): its text} for every page."""
    out: dict[tuple, str] = {}
    for page in pdf.pages:
        fonts = {name: _to_unicode(font) for name, font in page.Resources.get("/Font", {}).items()
                 if "/ToUnicode" in font}
        stack, font = [], {}
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op == "BDC":
                props = operands[1]
                mcid = props.get("/MCID") if isinstance(props, pikepdf.Dictionary) else None
                stack.append(None if mcid is None else (page.obj.objgen, int(mcid)))
            elif op == "BMC":
                stack.append(None)
            elif op == "EMC" and stack:
                stack.pop()
            elif op == "Tf":
                font = fonts.get(str(operands[0]), {})
            elif op in ("Tj", "TJ") and stack and stack[-1] is not None:
                strings = operands[0] if op == "TJ" else [operands[0]]
                raw = b"".join(bytes(s) for s in strings if isinstance(s, pikepdf.String))
                text = "".join(font.get(int.from_bytes(raw[i:i + 2], "big"), "")
                               for i in range(0, len(raw) - 1, 2))
                out[stack[-1]] = out.get(stack[-1], "") + text
    return out


def _elements_with_text(pdf) -> list[tuple]:
    """(structure element, the language in force there, its text, whether it is innermost: no
    structure element below it), parents before children."""
    content = _marked_content_text(pdf)
    out = []

    def text_of(node, page) -> str:
        if isinstance(node, int):
            return content.get((page, node), "") if page is not None else ""
        if not isinstance(node, pikepdf.Dictionary):
            return ""
        page = node.Pg.objgen if "/Pg" in node else page
        if node.get("/Type") == "/MCR":
            return content.get((page, int(node.MCID)), "")
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        return "".join(text_of(kid, page) for kid in kids)

    def walk(node, lang, page):
        if not isinstance(node, pikepdf.Dictionary):
            return
        lang = str(node.get("/Lang", lang))
        page = node.Pg.objgen if "/Pg" in node else page
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        if "/S" in node:
            innermost = not any(isinstance(kid, pikepdf.Dictionary) and "/S" in kid for kid in kids)
            out.append((node, lang, text_of(node, page), innermost))
        for kid in kids:
            walk(kid, lang, page)

    walk(pdf.Root.StructTreeRoot, str(pdf.Root.Lang), None)
    return out


def _pdf_langs_of_text(path, text: str) -> list[str]:
    """The language in force for the text of every innermost element holding (part of) ``text``:
    a sentence broken over two lines may be two elements, each must be marked."""
    with pikepdf.open(path) as pdf:
        elements = _elements_with_text(pdf)
    wanted = _squash(text)
    assert any(wanted in _squash(words) for _, _, words, _ in elements), \
        f"{text!r} is not in the structure of {path.name}"
    # (a piece of at least 8 letters: "." or "Rhodri" are also pieces of other texts)
    return [lang for _, lang, words, innermost in elements
            if innermost and len(_squash(words)) >= 8 and _squash(words) in wanted]


@pytest.mark.parametrize("language", ["cy", "bilingual"])
def test_the_plans_english_words_are_marked_english_in_welsh_pdf(welsh_renders, language):
    for path in files_by(welsh_renders[language], suffix=".pdf"):
        langs = _pdf_langs_of_text(path, _sentence(_audience(path)))
        assert langs and set(langs) == {"en-GB"}, (path.name, langs)
        with pikepdf.open(path) as pdf:
            assert str(pdf.Root.Lang) == "cy-GB"
            for element, lang, words, _ in _elements_with_text(pdf):
                if element.S in ("/H1", "/H2") and WELSH_HEADING in words:
                    assert lang == "cy-GB", path.name


def test_the_english_pdf_marks_nothing_beyond_its_own_language(example_renders):
    for path in files_by(example_renders["swansea-full"], suffix=".pdf"):
        with pikepdf.open(path) as pdf:
            assert str(pdf.Root.Lang) == "en-GB"
            assert {lang for _, lang, _, _ in _elements_with_text(pdf)} == {"en-GB"}, path.name


# -- Word ------------------------------------------------------------------------------------------


def _paragraph_runs(path):
    """[(text, w:lang of the run or None)] for each paragraph of the document body."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    for paragraph in root.iter(f"{W}p"):
        runs = []
        for run in paragraph.iter(f"{W}r"):
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            lang = run.find(f"{W}rPr/{W}lang")
            if text:
                runs.append((text, None if lang is None else lang.get(f"{W}val")))
        yield runs


@pytest.mark.parametrize("language", ["cy", "bilingual"])
def test_the_plans_english_words_are_marked_english_in_welsh_word(welsh_renders, language):
    for path in files_by(welsh_renders[language], suffix=".docx"):
        sentence = _sentence(_audience(path))
        english = ["".join(text for text, lang in runs if lang == "en-GB") for runs in _paragraph_runs(path)]
        assert any(_squash(sentence) in _squash(text) for text in english), path.name
        if "_parent_" in path.name:
            heading = [lang for runs in _paragraph_runs(path) for text, lang in runs if WELSH_HEADING in text]
            assert heading and all(lang in (None, "cy-GB") for lang in heading), path.name


def test_the_english_word_copy_marks_no_run(example_renders):
    for path in files_by(example_renders["swansea-full"], suffix=".docx"):
        assert not [text for runs in _paragraph_runs(path) for text, lang in runs if lang], path.name


# -- Easy Read -----------------------------------------------------------------------------------------


# a place the Easy Read copy puts into its own Welsh sentence ("Ble: {where}")
PLACE = "Cefn Coed Hospital, Swansea"


def test_the_welsh_easy_read_copy_marks_the_plans_english_words(easy_read_renders):
    """Its own lines (a wish) and a value inside a fixed Welsh sentence (a place)."""
    result = easy_read_renders["cy"]
    html = one_file(result, "parent", ".html")
    assert _lang_of_text(html, WISH) == ["en-GB"] and _lang_of_text(html, PLACE) == ["en-GB"]
    assert "Ble: <span lang=\"en-GB\">" + PLACE in html.read_text(encoding="utf-8")  # Welsh words, then it
    for words in (WISH, PLACE):
        langs = _pdf_langs_of_text(one_file(result, "parent", ".pdf"), words)
        assert langs and set(langs) == {"en-GB"}, (words, langs)
    paragraphs = list(_paragraph_runs(one_file(result, "parent", ".docx")))
    english = ["".join(text for text, lang in runs if lang == "en-GB") for runs in paragraphs]
    assert any(_squash(WISH) in _squash(text) for text in english)
    place = next(runs for runs in paragraphs if any(PLACE in text for text, _ in runs))
    assert [lang for text, lang in place if PLACE in text] == ["en-GB"]
    assert any(lang is None and text.strip() for text, lang in place)  # the Welsh words around it


# -- a plan written in Welsh ----------------------------------------------------------------------------


def test_a_plan_written_in_welsh_is_marked_welsh_in_its_english_copy(tmp_path):
    """``plan > text_language: welsh``: the English copy marks the plan's words cy-GB, the
    Welsh copy marks nothing; names of people are never marked."""
    text = (EXAMPLES / "swansea-full.yaml").read_text(encoding="utf-8")
    text = text.replace("  case_reference: SWA-2027-0042\n",
                        "  case_reference: SWA-2027-0042\n  text_language: welsh\n", 1)
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    for language, marks in (("en", {"en-GB", "cy-GB"}), ("cy", {"cy-GB"})):
        result = render_into(tmp_path / language, plan, formats=("html",), audiences=("parent",),
                             language=language)
        path = one_file(result, "parent", ".html")
        assert _lang_of_text(path, WISH) == ["cy-GB"], language
        page = path.read_text(encoding="utf-8")
        assert set(re.findall(r'\slang="([^"]+)"', page)) == marks, language
        assert re.search(r'lang="[^"]+">Rhodri Llŷr Bowen<', page) is None  # a person's name: no mark


def test_the_plans_words_inside_an_html_attribute_are_plain_text():
    """docs/templates.md: inside an attribute a template writes a value with ``|string``."""
    from birthplan.render.html import _environment
    from birthplan.render.i18n import PlanWords
    from birthplan.resources import templates_dir

    template = _environment(str(templates_dir() / "swansea" / "html")).from_string(
        '<td title="{{ value|string }}">{{ value }}</td>')
    assert template.render(value=PlanWords("Mum & Dad", "en-GB")) == \
        '<td title="Mum &amp; Dad"><span lang="en-GB">Mum &amp; Dad</span></td>'
