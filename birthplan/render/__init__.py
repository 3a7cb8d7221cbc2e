"""Render one plan for its audiences in Word, PDF and HTML.

``render_plan(path, ...)`` is the whole job: validate, redact per audience
(``birthplan.audience.view_for``), build each copy's document model, lay it
out with the authority's template pack and write every file atomically.
It keeps no global state and imports WeasyPrint and docxtpl only when a PDF
or Word file is asked for, so a batch can call it in worker processes and
``birthplan validate`` never loads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from birthplan.errors import BirthplanError, UsageError
from birthplan.render.packs import AUDIENCES, PackError, load_pack

FORMATS = ("docx", "pdf", "html")
DEFAULT_FORMATS = ("docx", "pdf")
LANGUAGE_CHOICES = ("en", "cy", "bilingual")
# The parents' copy's sections the delivery-suite sheet points to by page (section ids)
SHEET_POINTS_TO = ("wishes", "if_separated", "separation")

__all__ = ["render_plan", "planned_copies", "RenderResult", "InvalidPlanError", "PackError", "AUDIENCES",
           "FORMATS", "DEFAULT_FORMATS", "LANGUAGE_CHOICES", "output_name", "pack_folder", "warm_up"]


class InvalidPlanError(BirthplanError):
    """The plan has validation errors: nothing was rendered."""

    def __init__(self, report):
        self.report = report
        listed = "\n".join(p.format() for p in report.errors)
        super().__init__(f"{report.file}: the plan has {len(report.errors)} error(s), so nothing "
                         f"was rendered. Fix them and run the command again:\n{listed}")


@dataclass
class RenderResult:
    """What one call wrote, and what the person running it should know."""

    plan: Path
    files: list[Path] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # never quote plan content
    draft: bool = False
    version: int | None = None
    overflow_pages: int | None = None  # the delivery-suite sheet's pages, when more than one


def render_plan(path, audiences=AUDIENCES, formats=DEFAULT_FORMATS, language: str | None = None,
                large_print: bool = False, templates=None, out_dir="out", *, easy_read: bool = False,
                standard_print: bool = False, version: int | None = None, today=None) -> RenderResult:
    """Render the plan at ``path``; return the files written and any notices.

    With no ``language`` and no form option (``standard_print``,
    ``large_print``, ``easy_read``) the parents' copy is written in every
    form its communication needs record (see ``birthplan.render.needs``);
    each option given overrides that choice. ``templates`` is a pack folder
    (default: the pack named by the plan's ``plan.authority``). ``version``
    renders that agreed version from the plan's history instead of the file
    as it is now (every copy says so when a newer version has been agreed
    since). ``today`` (a date; default: today) is the day the copies speak from
    (a draft's meeting is ahead or past): the parts of one render share it. Raises InvalidPlanError (nothing written) for an invalid plan and
    PackError for a broken template pack.
    """
    from birthplan.audience import view_for
    from birthplan.history import recorded_version, version_stamp
    from birthplan.render.changes import changes_between
    from birthplan.render.needs import Copy
    from birthplan.render.sanitize import clean_plan

    audiences, formats = _checked(audiences, AUDIENCES, "audience"), _checked(formats, FORMATS, "format")
    _check_language(language)
    path = Path(path)
    stamp = None
    source = path
    if version is not None:
        source, stamp = recorded_version(path, version)
    plan, report, data, pack, copies, notices = _choose_copies(
        source, audiences, language, templates,
        dict(standard_print=standard_print, large_print=large_print, easy_read=easy_read))
    result = RenderResult(plan=path)
    result.notices += [p.format() for p in report.warnings]  # it says "warning:" itself
    _check_nation(pack, data, result)
    result.notices += notices
    stamp = stamp or version_stamp(path, plan.data)
    result.draft, result.version = stamp.is_draft, stamp.version
    previous = clean_plan(stamp.previous_data) if stamp.previous_data is not None else None

    def view_and_changes(audience):
        view = view_for(data, audience)
        return view, changes_between(previous, data, audience)

    outputs: list[tuple[Path, bytes]] = []
    parents_layouts: dict = {}  # language -> the standard-print parents' copy, laid out
    # the sheet last, so it can name the pages of the parents' copy it points to
    for audience in sorted(audiences, key=lambda a: a == "delivery_suite"):
        view, changes = view_and_changes(audience)
        for copy in (c for c in copies if c.audience == audience):
            if copy.form == "easy_read":
                from birthplan.render.easy_read import render_easy_read

                outputs += render_easy_read(view, pack, stamp, copy, formats,
                                            output_name(view, copy, stamp), changes, today)
                continue
            parents_pages = {}
            if audience == "delivery_suite" and (view.get("wishes") or view.get("if_separated")):
                if copy.language not in parents_layouts:
                    parents_layouts[copy.language] = _lay_out_copy(
                        *view_and_changes("parent"), Copy("parent", copy.language), pack, stamp)
                layout = parents_layouts[copy.language]
                parents_pages = {part: layout.page_of(part) for part in SHEET_POINTS_TO}
            files, laid_out = _render_audience(view, copy, pack, stamp, changes, formats, result,
                                               parents_pages)
            outputs += files
            if copy.audience == "parent" and copy.form == "standard" and laid_out is not None:
                parents_layouts[copy.language] = laid_out
    result.files = _write_all(outputs, Path(out_dir))
    from birthplan.render import superseded

    result.notices += superseded.notices(Path(out_dir), data["plan"]["case_reference"], stamp, path)
    if stamp.is_draft:
        result.notices.append(_draft_notice(stamp, path))
    if stamp.newer_version is not None:
        result.notices.append(f"note: version {stamp.version} is not the current version: version "
                              f"{stamp.newer_version} was agreed since, and every copy says so.")
    return result


def planned_copies(path, audiences=AUDIENCES, language: str | None = None, templates=None, *,
                   large_print: bool = False, easy_read: bool = False,
                   standard_print: bool = False) -> list:
    """The copies ``render_plan`` would write with the same options, without rendering any.

    Each is a ``needs.Copy`` (audience, language, form). This lets a caller share one
    render's work out between processes (``birthplan.render.parts``) and still write
    exactly the files one call writes. Raises as ``render_plan`` does for an invalid plan,
    a broken pack or a bad option.
    """
    audiences = _checked(audiences, AUDIENCES, "audience")
    _check_language(language)
    forms = dict(standard_print=standard_print, large_print=large_print, easy_read=easy_read)
    return _choose_copies(Path(path), audiences, language, templates, forms)[4]


def _choose_copies(source: Path, audiences: tuple, language: str | None, templates, forms: dict):
    """Load and validate the plan, clean it, load its pack and choose its copies (what
    ``render_plan`` and ``planned_copies`` share): (plan, report, data, pack, copies, notices)."""
    from birthplan.audience import view_for
    from birthplan.render.needs import copies_to_write
    from birthplan.render.sanitize import clean_plan
    from birthplan.validate import load_and_validate

    plan, report = load_and_validate(source)
    if report.errors or plan is None:
        raise InvalidPlanError(report)
    # Validation has already warned, at the line, about any control or unclosed bidi characters removed here.
    data = clean_plan(plan.data)
    pack = load_pack(pack_folder(templates, data))
    if language is not None:
        pack.require_language(language)
    # The parents' needs decide their copies, read from what the parents may see.
    copies, notices = copies_to_write(view_for(data, "parent"), pack, audiences, language, **forms)
    return plan, report, data, pack, copies, notices


def _check_language(language: str | None) -> None:
    if language is not None and language not in LANGUAGE_CHOICES:
        raise UsageError(f"--language must be one of {', '.join(LANGUAGE_CHOICES)}.")


def warm_up() -> None:
    """Load the engines and the fonts in a fresh batch worker, before its first plan."""
    import docxtpl  # noqa: F401
    from weasyprint import HTML

    HTML(string="<html lang='en'><title>warm-up</title><p>birthplan</p></html>").render()


def _lay_out_copy(view, changes, copy, pack, stamp):
    """A standard-print copy laid out as its PDF would be, without writing it (for its page numbers)."""
    from birthplan.render.documents import build_document
    from birthplan.render.html import render_html
    from birthplan.render.i18n import Words
    from birthplan.render.pdf import lay_out

    document = build_document(view, copy.audience, Words(pack, copy.language, copy.audience), pack,
                              stamp, changes)
    return lay_out(render_html(document, pack, for_print=True), pack)


def _render_audience(view, copy, pack, stamp, changes, formats, result,
                     parents_pages=None) -> tuple[list[tuple[Path, bytes]], object]:
    from birthplan.render.documents import build_document
    from birthplan.render.html import render_html
    from birthplan.render.i18n import Words

    audience = copy.audience
    words = Words(pack, copy.language, audience)
    document = build_document(view, audience, words, pack, stamp, changes,
                              large_print=copy.form == "large_print", parents_pages=parents_pages)
    laid_out = None
    if "pdf" in formats or audience == "delivery_suite":
        from birthplan.render.pdf import lay_out

        # The PDF's own HTML: the same page, with break opportunities in very long words.
        laid_out = lay_out(render_html(document, pack, for_print=True), pack)
        if audience == "delivery_suite" and laid_out.pages > 1:
            # Never cut: mark the continuation on every format and say so.
            pages = laid_out.pages  # without the banner: what a Word-only render can report
            document.continued_banner = words.phrase("continued_banner", pages=pages)
            laid_out = lay_out(render_html(document, pack, for_print=True), pack) if "pdf" in formats else None
            result.overflow_pages = len(laid_out.document.pages) if laid_out else None
            result.notices.append(
                f"the delivery-suite sheet does not fit on one A4 page "
                f"({result.overflow_pages or pages} pages): it was rendered in full with "
                "the continuation marked. Shorten the longest entries to bring it back to one page.")
    name = output_name(view, copy, stamp)
    out: list[tuple[Path, bytes]] = []
    for fmt in formats:
        if fmt == "html":
            out.append((Path(f"{name}.html"), render_html(document, pack).encode("utf-8")))
        elif fmt == "pdf":
            out.append((Path(f"{name}.pdf"), laid_out.pdf_bytes()))
        elif fmt == "docx":
            from birthplan.render.docx import render_docx

            out.append((Path(f"{name}.docx"), render_docx(document, pack)))
    return out, laid_out


def output_name(view: dict, copy, stamp) -> str:
    """Case reference + audience + version + language and form: never a person's name.

    The case reference is checked by the schema (letters, digits, hyphens);
    the language and form ("cy", "large-print", "easy-read") come from the
    ``Copy``, chosen from the parents' own view, so a name reveals nothing
    withheld from them.
    """
    parts = [view["plan"]["case_reference"], copy.audience.replace("_", "-")]
    if stamp.version is not None:
        parts.append(f"v{stamp.version}")
    if stamp.is_draft:
        parts.append("draft")
    parts += copy.name_parts
    return "_".join(parts)


def _write_all(outputs: list[tuple[Path, bytes]], out_dir: Path) -> list[Path]:
    """Write every file only once all rendered, each atomically."""
    from birthplan.atomic import make_private_dir, write_bytes_atomic

    try:
        make_private_dir(out_dir)
    except OSError as err:
        raise BirthplanError(f"{out_dir}: cannot create the output folder ({err.strerror}).") from None
    written = []
    for name, data in outputs:
        try:
            written.append(write_bytes_atomic(out_dir / name, data))
        except OSError as err:
            raise BirthplanError(f"{out_dir / name}: cannot be written ({err.strerror}); "
                                 "no half-written file was left.") from None
    return written


def _checked(values, allowed, what: str) -> tuple:
    values = (values,) if isinstance(values, str) else tuple(values)
    unknown = [v for v in values if v not in allowed]
    if unknown or not values:
        raise UsageError(f"unknown {what} {', '.join(unknown) or '(none given)'}: "
                         f"choose from {', '.join(allowed)}.")
    return tuple(dict.fromkeys(values))


def pack_folder(templates, data: dict) -> Path:
    """The template pack for a plan: ``templates`` if given, else the one its authority names."""
    from birthplan.resources import templates_dir

    if templates is not None:
        return Path(templates)
    section = data.get("plan") if isinstance(data, dict) else None
    authority = section.get("authority") if isinstance(section, dict) else None
    if not isinstance(authority, str) or not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", authority):
        # Not yet validated (a batch asks before rendering): never follow a path the plan wrote.
        raise PackError("the plan does not name its authority's template pack (plan > authority), "
                        "so no pack can be chosen; give one with --templates DIR.")
    folder = templates_dir() / authority
    if not folder.is_dir():
        raise PackError(f"{folder}: there is no template pack for the authority '{authority}'. "
                        "Give one with --templates DIR (see docs/templates.md).")
    return folder


def _check_nation(pack, data: dict, result: RenderResult) -> None:
    nation = data["plan"].get("nation")
    if nation and nation != pack.nation:
        result.notices.append(f"note: the plan is for {nation} but the {pack.name} pack uses "
                              f"{pack.nation}'s terms.")


def _draft_notice(stamp, plan_path) -> str:
    if stamp.version is None:
        return ("DRAFT: this plan has not been agreed at a review yet, so every page is marked "
                f"DRAFT. Record the review with: birthplan review {plan_path}")
    return (f"DRAFT: the plan was edited after version {stamp.version} was agreed, so every page is "
            f"marked DRAFT. Record the next review with: birthplan review {plan_path}")
