"""The Easy Read parents' copy: short sentences, a picture beside every point.

Written for parents with a learning disability (Mencap; Department of
Health, "Making written information easier to understand"): one idea a
sentence, the pack's fixed sentences (``easy_read/<language>.yaml``), at
least 16 pt, the important words bold, a picture with alt text beside every
point (``easy_read/pictures.yaml``), and the jargon it uses explained under
"Words to know". Built from the parents' view only, like the other parents'
copies, in HTML, PDF (tagged, PDF/UA-1) and Word.
"""

from __future__ import annotations

from pathlib import Path

HTML_TEMPLATE = "html/easy_read.html"
CSS_FILE = "html/easy_read.css"
WORD_TEMPLATE = "word/easy_read.docx"

__all__ = ["render_easy_read", "build_easy_read"]


def build_easy_read(view: dict, pack, stamp, language: str, changes=(), today=None):
    """The Easy Read document for the parents' ``view`` in ``language`` (en or cy), as said
    on ``today`` (default: today)."""
    from birthplan.render.easy_read.build import build_easy_read as build
    from birthplan.render.easy_read.words import EasyReadWords
    from birthplan.render.i18n import Words

    words = Words(pack, language, "parent")
    return build(view, words, EasyReadWords(pack, language), pack, stamp, changes, today)


def render_easy_read(view: dict, pack, stamp, copy, formats, name: str,
                     changes=(), today=None) -> list[tuple[Path, bytes]]:
    """The Easy Read copy's files: (file name, bytes) for each format asked for."""
    document = build_easy_read(view, pack, stamp, copy.language, changes, today)
    out: list[tuple[Path, bytes]] = []
    for fmt in formats:
        if fmt == "html":
            out.append((Path(f"{name}.html"), render_easy_read_html(document, pack).encode("utf-8")))
        elif fmt == "pdf":
            from birthplan.render.pdf import lay_out

            # the PDF's own HTML: the same page, with break opportunities in very long words
            html = render_easy_read_html(document, pack, for_print=True)
            out.append((Path(f"{name}.pdf"), lay_out(html, pack).pdf_bytes()))
        elif fmt == "docx":
            from birthplan.render.easy_read.word import render_easy_read_docx

            out.append((Path(f"{name}.docx"), render_easy_read_docx(document, pack)))
    return out


def render_easy_read_html(document, pack, for_print: bool = False) -> str:
    from birthplan.render.html import Embedded, data_uri, render_html

    # made here from the pack's own files: base64 only
    pictures = {p.key: Embedded(data_uri(p.svg, pack.root)) for p in document.pictures()}
    return render_html(document, pack, for_print, HTML_TEMPLATE, CSS_FILE, extra={"pictures": pictures})
