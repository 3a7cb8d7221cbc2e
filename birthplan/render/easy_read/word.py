"""The Easy Read Word copy: the pack's word/easy_read.docx filled by docxtpl.

Each line becomes Word runs (bold where the pack's sentence says so) and each
picture an inline PNG carrying its alt text. Text is escaped for XML,
braces included, as in the other Word copies (``birthplan.render.docx``).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from markupsafe import Markup

from birthplan.render.docx import (describe_images, fill_template, open_template, set_language,
                                   set_properties, xml_text)
from birthplan.render.packs import PackError

PICTURE_MM = 26


@dataclass
class WordRuns:
    """One line as Word runs, inserted whole by docxtpl's ``{{r line }}`` tag."""

    xml: str


@dataclass
class WordPoint:
    picture: object  # a described InlineImage
    lines: list


@dataclass
class WordTopic:
    heading: str
    points: list


def _runs(line) -> WordRuns:
    """Bold where the sentence says so; the plan's words in another language than the copy's
    (``PlanWords``) carry it (``w:lang``), so Word reads and spell-checks them in it."""
    parts = []
    for run in line.runs:
        props = "<w:b/><w:bCs/>" if run.bold else ""
        lang = getattr(run.text, "lang", None)
        if lang:
            props += f'<w:lang w:val="{lang}" w:eastAsia="{lang}" w:bidi="{lang}"/>'
        props = f"<w:rPr>{props}</w:rPr>" if props else ""
        parts.append(f'<w:r>{props}<w:t xml:space="preserve">{xml_text(str(run.text))}</w:t></w:r>')
    return WordRuns("".join(parts))


def _finalize(value):
    if isinstance(value, WordRuns):
        return Markup(value.xml)
    if type(value).__name__ == "DescribedImage":
        return Markup(str(value))
    return xml_text(value)


def render_easy_read_docx(document, pack) -> bytes:
    from docx.shared import Mm
    from docxtpl import InlineImage

    from birthplan.render.easy_read import WORD_TEMPLATE

    path = pack.root / WORD_TEMPLATE
    if not path.is_file():
        raise PackError(f"{path}: this file is missing from the template pack "
                        "(the Easy Read Word layout; templates/build_easy_read.py makes one).")

    class DescribedImage(InlineImage):
        """An inline picture that carries its alt text (wp:docPr descr) from the start."""

        def __init__(self, tpl, picture):
            super().__init__(tpl, str(picture.png), width=Mm(PICTURE_MM))
            self.alt = picture.alt

        def _insert_image(self):
            xml = super()._insert_image()
            return xml.replace("<wp:docPr ", f'<wp:docPr descr="{xml_text(self.alt)}" ', 1)

    template = open_template(path)

    def point(p) -> WordPoint:
        return WordPoint(DescribedImage(template, p.picture), [_runs(line) for line in p.lines])

    context = {
        "doc": document,
        "intro": [point(document.intro)],
        "topics": [WordTopic(t.heading, [point(p) for p in t.points]) for t in document.topics],
    }
    fill_template(template, context, _finalize, path)
    docx = template.docx
    set_language(docx, document.lang_tag)
    set_properties(docx, document)
    describe_images(docx, document.theme["logo_alt"], path)
    _keep_the_credit_with_the_last_point(docx)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def _keep_the_credit_with_the_last_point(docx) -> None:
    """The pictures' credit and the disclaimer never have a page of their own: the last point
    and every paragraph after it but the last keep with the next (as the PDF's break-before:
    avoid), so when the credit does not fit under the last point, the point goes over with it.
    The points' loop makes every row alike, so this is set here on the filled document."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = docx.element.body
    tables = body.findall(qn("w:tbl"))
    if not tables:
        return
    last_row = tables[-1].findall(qn("w:tr"))[-1]
    after = [p for p in tables[-1].itersiblings() if p.tag == qn("w:p")]
    for paragraph in [*last_row.iter(qn("w:p")), *after[:-1]]:
        Paragraph(paragraph, None).paragraph_format.keep_with_next = True
