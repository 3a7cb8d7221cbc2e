"""The HTML copy is one self-contained file: kept so by construction, on the pack side.

A pack's HTML templates and stylesheet are checked when the pack loads
(``check_templates``, ``check_stylesheet``): they may load nothing but data:
URIs, in-page anchors and the pack logo the program embeds. Plan words are
never scanned: they reach the page only through autoescaped Jinja output, so
"action = ask the dietitian" in a wish is text, not an attribute, and no
wording in a plan can stop a render. Two more guards sit behind the check:
the PDF step's fetcher refuses everything outside the pack
(``birthplan.render.fetcher``), and the finished page carries a Content
Security Policy that lets a browser load nothing from anywhere
(``CONTENT_POLICY``).
"""

from __future__ import annotations

import re
from pathlib import Path

from birthplan.render.packs import PackError

# What a browser opening the HTML copy may load: embedded images and fonts and the inline stylesheet.
CONTENT_POLICY = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
                  'img-src data:; font-src data:; style-src \'unsafe-inline\'">')

# Attributes that make a browser (or WeasyPrint) load or send something.
_LOADING_ATTRIBUTE = re.compile(
    r"""\s(src|href|srcset|poster|data|action|formaction|background|xlink:href|ping|longdesc|manifest"""
    r"""|lowsrc|codebase|archive)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
# Elements whose only job is to load or run something from elsewhere.
_LOADING_ELEMENT = re.compile(
    r"<\s*(link|script|iframe|frame|frameset|object|embed|applet|base|audio|video|source|track|portal)\b"
    r"|<\s*meta\b[^>]*http-equiv\s*=\s*[\"']?refresh", re.IGNORECASE)
# The pack's own images, which the program embeds as data: URIs: the logo, and the
# Easy Read copy's pictures (named in easy_read/pictures.yaml, checked when used).
_EMBEDDED_BY_PROGRAM = re.compile(r"\{\{-?\s*(logo|pictures\[[\w.]+\])\s*-?\}\}")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*?)\1\s*\)""", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//")


def check_templates(html_folder: Path, main_template: Path) -> None:
    """Refuse any HTML template in the pack that could load something from outside the page."""
    for template in sorted(Path(html_folder).rglob("*.html")):
        source = _without_comments(template.read_text(encoding="utf-8"))
        if template == main_template and not _HEAD.search(source):
            raise PackError(f"{template}: the page has no <head>: it needs one for its title, "
                            "language and content policy.")
        for match in _LOADING_ELEMENT.finditer(source):
            raise PackError(f"{template}:{_line(source, match.start())}: <{match.group(1) or 'meta'}> is "
                            "not allowed: the HTML copy is one self-contained file, and nothing may "
                            "load from elsewhere. Put styles in style.css.")
        for match in _LOADING_ATTRIBUTE.finditer(source):
            value = match.group(2).strip("\"'").strip()
            if value.startswith(("data:", "#")) or _EMBEDDED_BY_PROGRAM.fullmatch(value):
                continue
            raise PackError(f"{template}:{_line(source, match.start())}: {match.group(1)}=\"{value}\" "
                            "is not allowed: the HTML copy is one self-contained file, so images must "
                            "come from the pack (embedded by the program as {{ logo }}) and nothing may "
                            "load from elsewhere.")
        _check_css_text(source, template)


def check_stylesheet(css_path: Path, pack_root: Path) -> None:
    """The pack stylesheet may use only its own pack's files and data: URIs."""
    css = css_path.read_text(encoding="utf-8")
    if "</style" in css.lower():
        raise PackError(f"{css_path}: a stylesheet may not contain '</style'.")
    _check_css_text(css, css_path)
    root = Path(pack_root).resolve()
    for match in CSS_URL.finditer(css):
        target = match.group(2).strip()
        if target.startswith("data:"):
            continue
        resolved = (css_path.parent / target).resolve()
        if not resolved.is_relative_to(root) or not resolved.is_file():
            raise PackError(f"{css_path}:{_line(css, match.start())}: url({target}): this file is "
                            "missing from the template pack (a pack may only use its own files).")


def _check_css_text(text: str, where: Path) -> None:
    """@import and url() to anything but data: or a relative pack file, in CSS or a template."""
    found = re.search(r"@import", text, re.IGNORECASE)
    if found:
        raise PackError(f"{where}:{_line(text, found.start())}: @import is not allowed: keep every "
                        "style in the pack's one stylesheet.")
    for match in CSS_URL.finditer(text):
        target = match.group(2).strip()
        if target.startswith("data:"):
            continue
        if _SCHEME.match(target) or where.suffix != ".css":
            raise PackError(f"{where}:{_line(text, match.start())}: url({target}) is not allowed: a pack "
                            "may only use its own files, never a web address or a file outside the pack.")


def with_content_policy(page: str) -> str:
    """The page with the policy as the first thing in its <head> (before any plan text;
    the main template's <head> was checked when the pack loaded)."""
    head = _HEAD.search(page)
    return page[:head.end()] + "\n" + CONTENT_POLICY + page[head.end():]


def _without_comments(source: str) -> str:
    """Jinja comments blanked out, keeping line numbers (a comment may describe an attribute)."""
    return _JINJA_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), source)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1
