"""The Word copy: the pack's docxtpl template filled from the document model.

Values are escaped for XML by Jinja's ``finalize`` hook, including ``{`` and
``}`` (as character references), because docxtpl rewrites ``{_{`` into
``{{`` after rendering and a plan may contain either. After rendering, the
document language, title and (for large print) the text sizes are set on
the styles, and every image must carry alt text.

In the bilingual copy each fixed phrase is Welsh then English. Word keeps a
language per run, so ``xml_text`` puts each English part in a ``<w:t>`` of
its own marked ``xml:lang``, and ``mark_languages`` then gives that text a run
of its own with ``<w:lang>`` (the formatting copied), as the HTML marks a
``<span lang="en-GB">``. The plan's own words in another language than the
copy's (``PlanWords``) are marked the same way.
"""

from __future__ import annotations

import io
from functools import lru_cache

import jinja2
from markupsafe import Markup

from birthplan.render.packs import PackError

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WP_NS = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
LOGO_NAME = "Logo"  # the picture name the template generator gives the pack's logo
LARGE_PRINT_PT = 18  # UKAAF: at least 16 pt, ideally 18 pt
LARGE_PRINT_HEADINGS = {"Title": 32, "Subtitle": 22, "Heading 1": 26, "Heading 2": 22, "Heading 3": 20}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;",
                "{": "&#123;", "}": "&#125;"}


def _escaped(text: str) -> str:
    return "".join(_XML_ESCAPES.get(ch, ch) for ch in text)


def xml_text(value) -> Markup:
    """Jinja finalize: any value as literal XML text (braces too).

    A phrase in two languages ends its text element after the first part and
    puts each later part in a text element marked with its language (see
    ``mark_languages``), then reopens one for whatever the template writes next.
    """
    from birthplan.render.i18n import LANG_TAGS, Joined, Phrase, PlanWords

    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises here, naming the missing variable
    if isinstance(value, PlanWords):
        return Markup(_in_language(value.lang, value) if value else "")
    if isinstance(value, Joined):  # each phrase in it marked as one would be on its own
        return Markup("".join(xml_text(item) for item in value.items))
    if isinstance(value, Phrase) and len(value.parts) > 1:
        (_, first), *others = value.parts
        out = _escaped(first)
        for lang, text in others:
            out += " / " + _in_language(LANG_TAGS[lang], text)
        return Markup(out)
    text = "" if value is None else str(value)
    return Markup(_escaped(text))


def _in_language(lang_tag: str, text: str) -> str:
    """``text`` in a text element of its own marked ``xml:lang`` (``mark_languages`` makes it a
    run with ``<w:lang>``), then a text element reopened for whatever the template writes next."""
    return (f'</w:t><w:t xml:space="preserve" xml:lang="{lang_tag}">{_escaped(text)}'
            '</w:t><w:t xml:space="preserve">')


def render_docx(document, pack) -> bytes:
    path = pack.word_template(document.audience)
    template = open_template(path)
    fill_template(template, {"doc": document}, xml_text, path)
    docx = template.docx
    mark_languages(docx)
    set_language(docx, document.lang_tag)
    set_properties(docx, document)
    if document.large_print:
        enlarge(docx)
    describe_images(docx, document.theme["logo_alt"], path)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def open_template(path):
    """The pack's Word template at ``path``, ready to fill, or a PackError naming it."""
    from docxtpl import DocxTemplate

    try:
        template = DocxTemplate(str(path))
        template.init_docx()
    except Exception as err:  # a damaged or non-Word file
        raise PackError(f"{path}: cannot be opened as a Word document ({type(err).__name__}).") from None
    return template


class _CompiledOnce(jinja2.Environment):
    """docxtpl compiles each XML part of a template (body, headers, footers) with
    ``from_string`` for every document it fills. The parts of a pack's template are the
    same text each time, so each is compiled once per process and the template reused
    (a Jinja template keeps no state between renders): 10 to 15 ms less per Word copy."""

    def __init__(self, **options):
        super().__init__(**options)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


@lru_cache(maxsize=8)
def _environment(finalize) -> jinja2.Environment:
    """One environment per way of writing values (the copies' ``xml_text``, Easy Read's own)."""
    return _CompiledOnce(autoescape=True, undefined=jinja2.StrictUndefined, finalize=finalize)


def fill_template(template, context: dict, finalize, path) -> None:
    """Render the docxtpl tags; a template mistake becomes a PackError naming the file."""
    env = _environment(finalize)
    try:
        template.render(context, jinja_env=env, autoescape=True)
    except jinja2.UndefinedError as err:
        raise PackError(f"{path}: the template uses something that is not defined ({err.message}). "
                        "Check the spelling against docs/templates.md.") from None
    except jinja2.TemplateSyntaxError as err:
        raise PackError(f"{path}: template syntax error: {err.message}. Check the tags "
                        "({{ }}, {{r }}, {%p %}, {%tr %}) were not split by Word's formatting.") from None


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _lang_element(parent, lang_tag: str) -> None:
    from docx.oxml import OxmlElement

    lang = parent.find(_w("lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        # schema order: w:lang comes before these (Word rejects a file with them out of order)
        parent.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(_w("val"), lang_tag)
    lang.set(_w("eastAsia"), lang_tag)
    lang.set(_w("bidi"), lang_tag)


def set_language(docx, lang_tag: str) -> None:
    """The document language, on the defaults and on every style, for spell-check and screen readers."""
    styles = docx.styles.element
    defaults = styles.find(_w("docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}")
        if rpr is not None:
            _lang_element(rpr, lang_tag)
    for style in docx.styles:
        if style.type in (1, 2):  # paragraph and character styles
            rpr = style.element.get_or_add_rPr()
            _lang_element(rpr, lang_tag)


def mark_languages(docx) -> None:
    """Give each text element marked ``xml:lang`` a run of its own carrying ``<w:lang>``."""
    from copy import deepcopy

    from docx.oxml import OxmlElement

    for part in _xml_parts(docx):
        for text in [t for t in part.iter(_w("t")) if t.get(XML_LANG)]:
            lang = text.attrib.pop(XML_LANG)
            run = text.getparent()
            if run is None or run.tag != _w("r"):
                continue
            properties = run.find(_w("rPr"))
            content = [child for child in run if child is not properties]
            at = content.index(text)
            pieces = [(content[:at], None), ([text], lang), (content[at + 1:], None)]
            holder, position = run.getparent(), run.getparent().index(run)
            holder.remove(run)
            for children, language in pieces:
                if not children or all(c.tag == _w("t") and not c.text for c in children):
                    continue  # the empty text elements the split leaves behind
                piece = OxmlElement("w:r")
                rpr = deepcopy(properties) if properties is not None else OxmlElement("w:rPr")
                if language:
                    _lang_element(rpr, language)
                if len(rpr):
                    piece.append(rpr)
                for child in children:
                    piece.append(child)
                holder.insert(position, piece)
                position += 1


def set_properties(docx, document) -> None:
    """Core properties from the document model (so from the view) only."""
    props = docx.core_properties
    props.title = document.title
    props.subject = str(document.heading)
    props.author = document.theme["authority"]
    props.language = document.lang_tag
    props.keywords = ""
    props.comments = ""
    props.category = ""
    props.last_modified_by = document.theme["authority"]
    props.identifier = ""


def enlarge(docx) -> None:
    """Large print: every style at least 18 pt, headings larger, no italics."""
    from docx.shared import Pt

    for style in docx.styles:
        if style.type not in (1, 2, 3):
            continue
        font = style.font
        wanted = LARGE_PRINT_HEADINGS.get(style.name, LARGE_PRINT_PT)
        if style.name in ("Header", "Footer"):
            wanted = 16
        if font.size is None or font.size.pt < wanted or style.name in LARGE_PRINT_HEADINGS:
            font.size = Pt(wanted)
        font.italic = False
    # sizes written directly on runs in the template (the authority's own tweaks)
    for part in _xml_parts(docx):
        for size in part.iter(_w("sz")):
            if int(size.get(_w("val"), "0")) < 32:
                size.set(_w("val"), str(LARGE_PRINT_PT * 2))
        for italic in list(part.iter(_w("i"))):
            italic.getparent().remove(italic)


def describe_images(docx, logo_alt: str, template_path) -> None:
    """Give the pack's logo its alt text in the document's language; refuse images without any."""
    for part in _xml_parts(docx):
        for doc_pr in part.iter(f"{{{WP_NS}}}docPr"):
            if doc_pr.get("name") == LOGO_NAME:
                doc_pr.set("descr", logo_alt)
            elif not (doc_pr.get("descr") or "").strip():
                raise PackError(f"{template_path}: the image '{doc_pr.get('name')}' has no alt text. "
                                "In Word: right-click it, Edit Alt Text, and describe it.")


def _xml_parts(docx):
    """The XML trees of the body, headers and footers."""
    seen = set()
    for part in docx.part.package.iter_parts():
        element = getattr(part, "_element", None)
        if element is not None and id(element) not in seen:
            seen.add(id(element))
            yield element
