"""The HTML copy: one self-contained file (styles inline, images embedded).

The PDF is made from exactly this HTML, so the two always hold the same
words. Templates are Jinja2 with autoescaping and StrictUndefined: plan text
is always shown literally, and a template that names something that does
not exist fails with the template's file name.
"""

from __future__ import annotations

import base64
import mimetypes
import re
from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from birthplan.render.packs import CSS_FILE, HTML_TEMPLATE, PackError
from birthplan.render.selfcontained import CSS_URL, with_content_policy

_BREAK_EVERY = 20
# A run of text with no break opportunity, outside any tag, attribute quote or entity.
_LONG_RUN = re.compile(r"[^\s<>&\"'=\u200b]{%d,}" % (_BREAK_EVERY + 10))


@lru_cache(maxsize=16)
def _environment(folder: str, for_print: bool = False) -> jinja2.Environment:
    """One Jinja2 environment per pack (and per kind of page): it compiles each template once (and
    again only if the file changes), which is most of an HTML copy's time in the workspace's live
    preview. ``for_print``: the page WeasyPrint lays out for the PDF, where every long unbroken
    word also gets break opportunities (``breakable``)."""
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        finalize=_for_print if for_print else link_phone_numbers,
    )
    environment.filters["string"] = plain_string
    return environment


def plain_string(value):
    """``|string``: a value as plain text, for an HTML attribute. Jinja's own filter returns
    a ``str`` subclass as it is, so the plan's words (``PlanWords``) would bring their
    ``<span lang>`` into the attribute; here they are plain text, and markup stays markup."""
    return value if isinstance(value, Markup) else str(value)


def _for_print(value):
    """Plan text for the PDF: phone numbers linked, long words breakable. The template's own
    markup (the stylesheet, the logo's data: URI) is left whole: broken, the logo is lost."""
    return value if isinstance(value, Markup) else breakable(link_phone_numbers(value))


def render_html(document, pack, for_print: bool = False, template_name: str = HTML_TEMPLATE,
                css_file: str = CSS_FILE, extra: dict | None = None) -> str:
    """The document as one HTML page, laid out by the pack's template (``for_print``: for the PDF).

    ``template_name`` and ``css_file`` are pack files (the Easy Read copy has
    its own); ``extra`` adds names to the template's context.
    """
    env = _environment(str(pack.root / "html"), for_print)
    context = {
        "doc": document,
        "css": Embedded(theme_css(pack) + inline_css(pack, css_file)),
        "logo": Embedded(data_uri(pack.path(pack.logo["svg"]), pack.root)),  # made here: base64 only
        "document_class": f"audience-{document.audience}"
                          + (" large-print" if document.large_print else ""),
        **(extra or {}),
    }
    template_path = pack.root / template_name
    try:
        template = env.get_template(Path(template_name).name)
        page = template.render(context)
    except jinja2.TemplateNotFound as err:
        raise PackError(f"{pack.root / 'html' / err.name}: this file is missing from the template "
                        f"pack (it is used by {template_path}).") from None
    except jinja2.TemplateSyntaxError as err:
        where = err.filename or template_path
        raise PackError(f"{where}:{err.lineno}: template syntax error: {err.message}") from None
    except jinja2.UndefinedError as err:
        raise PackError(f"{template_path}: the template uses something that is not defined "
                        f"({err.message}). Check the spelling against docs/templates.md.") from None
    # The templates were checked when the pack loaded (birthplan.render.selfcontained);
    # the page itself is never scanned, so no words in a plan can stop a render.
    return with_content_policy(page)


# A phone number as the document model writes it: its groups joined by no-break spaces
# (render/reader.py), so a number is found without guessing at numbers in free text.
_SPACED_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}|0\d{1,4})(?:\u00a0\d{1,8}){1,4}(?![\w\u00a0])")


def link_phone_numbers(value):
    """Each phone number in a value as a tel: link (escaped here, so autoescape leaves it)."""
    if isinstance(value, Markup) or not (isinstance(value, str) or hasattr(value, "__html__")):
        return value  # the template's own markup (styles, images), numbers, undefined
    html = str(escape(value))  # plan text escaped; fixed words keep their language marks
    if "\u00a0" not in html:
        return value
    from birthplan.values import parse_phone

    def link(match: re.Match) -> str:
        try:
            phone = parse_phone(match.group().replace("\u00a0", " "))
        except ValueError:
            return match.group()  # not a phone number after all (an NHS number): left as text
        return f'<a class="phone" href="tel:{phone.tel}">{match.group()}</a>'

    return Markup(_SPACED_PHONE.sub(link, html))


class Embedded(Markup):
    """Markup the program made from the pack's own files (the inlined stylesheet, a picture's
    data: URI): used exactly as made, never given break opportunities (they would corrupt it)."""

    __slots__ = ()


def breakable(value):
    """A value with a zero-width space every ``_BREAK_EVERY`` characters of each long unbroken
    word (an e-mail address, a pasted link, a 5,000-letter word), for the PDF only.

    CSS overflow-wrap already breaks such words on the page; the extra break
    opportunities are for speed: without them WeasyPrint lays out the whole
    rest of the word again for every line, so time grew with the square of its
    length (a 5,000-character word took a sheet from 2 s to over 30 s). The
    HTML copy and the Word copy are left exactly as written.
    """
    if isinstance(value, Embedded) or not (isinstance(value, str) or hasattr(value, "__html__")):
        return value  # the stylesheet and pictures (made by the program), numbers, undefined
    if str(value).startswith("data:"):
        return value  # the pack's logo, an attribute: a break inside it would stop it loading
    html = str(value) if isinstance(value, Markup) else str(escape(value))
    if not _LONG_RUN.search(html):
        return value
    return Markup(_LONG_RUN.sub(lambda m: "\u200b".join(
        m.group()[i:i + _BREAK_EVERY] for i in range(0, len(m.group()), _BREAK_EVERY)), html))


def theme_css(pack) -> str:
    """The pack's colours and fonts as CSS custom properties (checked values only)."""
    lines = [f"  --{name.replace('_', '-')}: {value};" for name, value in pack.colours.items()]
    lines.append(f"  --font: {pack.fonts['css']};")
    return ":root {\n" + "\n".join(lines) + "\n}\n"


def inline_css(pack, css_file: str = CSS_FILE) -> str:
    """The pack stylesheet with each url(...) to a pack file turned into a data: URI
    (the stylesheet was checked when the pack loaded: only its own files and data: URIs)."""
    css_path = pack.root / css_file
    css = css_path.read_text(encoding="utf-8")

    def embed(match: re.Match) -> str:
        target = match.group(2).strip()
        if target.startswith("data:"):
            return match.group(0)
        return f'url("{data_uri(css_path.parent / target, pack.root, css_path)}")'

    return CSS_URL.sub(embed, css)


def data_uri(path: Path, root: Path, used_by: Path | None = None) -> str:
    resolved = Path(path).resolve()
    if not resolved.is_relative_to(Path(root).resolve()) or not resolved.is_file():
        what = f" (used by {used_by})" if used_by else ""
        raise PackError(f"{path}: this file is missing from the template pack{what}.")
    kind = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
    if resolved.suffix.lower() == ".svg":
        kind = "image/svg+xml"
    encoded = base64.b64encode(resolved.read_bytes()).decode("ascii")
    return f"data:{kind};base64,{encoded}"
