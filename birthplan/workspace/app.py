"""The workspace's pages: a thin door onto the library, like the command line.

Every page is plain HTML that works with JavaScript off (forms post, the
server answers with the next page); ``static/workspace.js`` only adds the live
checks and preview. The work is done by ``form`` (the schema as a form),
``store`` (plans, drafts, saving), ``preview`` (validation and each
audience's copy) and the library (``birthplan.history``, ``birthplan.render``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from pathlib import Path
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from birthplan import fields
from birthplan.errors import BirthplanError
from birthplan.fields import AUDIENCES
from birthplan.resources import plan_schema
from birthplan.render.needs import PARENT_FORMS  # the parents' copy's forms: standard, large print, Easy Read
from birthplan.workspace import form as schema_form
from birthplan.workspace import preview as previews
from birthplan.workspace.documents import Renderer, render_one
from birthplan.workspace.security import (CSRF_FIELD, PREVIEW_MARK, CsrfError, Guard, Secrets,
                                          require_csrf)
from birthplan.workspace.store import PlanRef, Workspace, as_saved, packs
from birthplan.workspace.words import UI

HERE = Path(__file__).resolve().parent
LANGUAGE_COOKIE = "birthplan_language"
PAGE_FIELD = "__page"  # the token naming what the page's form was rendered from (store.post_page)
DOCUMENT_FORMATS = ("pdf", "docx", "html")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def create_app(target, *, host: str = "127.0.0.1", port: int = 8000, schema: dict | None = None,
               app_secrets: Secrets | None = None, parallel_documents: bool = False) -> Starlette:
    """The workspace for the plan or folder ``target``, answering only to ``host:port``."""
    workspace = Workspace(Path(target), schema=schema)
    app_secrets = app_secrets or Secrets()
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(HERE / "templates")),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    pages = Pages(workspace, app_secrets, env, Renderer(parallel_documents))
    routes = [
        Route("/", pages.home),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/new/{pack}", pages.new_plan, methods=["GET", "POST"]),
        Route("/theme/{pack}.css", pages.theme),
        Route("/logo/{pack}.svg", pages.logo),
        Route("/plan/{plan_id}", pages.plan_home),
        Route("/plan/{plan_id}/section/{section}", pages.section, methods=["GET", "POST"]),
        Route("/plan/{plan_id}/live/{section}", pages.live, methods=["POST"]),
        Route("/plan/{plan_id}/discard", pages.discard, methods=["GET", "POST"]),
        Route("/plan/{plan_id}/preview/{audience}", pages.preview),
        Route("/plan/{plan_id}/review", pages.review, methods=["GET", "POST"]),
        Route("/plan/{plan_id}/documents", pages.documents),
        Route("/plan/{plan_id}/download/{audience}/{fmt}", pages.download),
        Route("/plan/{plan_id}/download-all", pages.download_all),
        Route("/plan/{plan_id}/history", pages.history, methods=["GET", "POST"]),
        Mount("/static", app=StaticFiles(directory=str(HERE / "static"), follow_symlink=False), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={
        404: pages.not_found, 405: pages.not_found, CsrfError: pages.csrf_failed})
    app.state.workspace = workspace
    app.state.renderer = pages.renderer
    allowed = {f"{host}:{port}"}
    if host in ("127.0.0.1", "localhost"):
        allowed |= {f"127.0.0.1:{port}", f"localhost:{port}"}
    guard = Guard(app, app_secrets, allowed, pages.forbidden_html, pages.error_html)
    guard.workspace = workspace
    guard.renderer = pages.renderer
    guard.secrets = app_secrets
    return guard


class Pages:
    def __init__(self, workspace: Workspace, app_secrets: Secrets, env: jinja2.Environment, renderer: Renderer):
        self.workspace = workspace
        self.renderer = renderer
        self.secrets = app_secrets
        self.env = env
        # Checks (JavaScript's posts of what was typed) under way, by plan: a page of that plan
        # waits for them, so text sent as the page reloads is in the page that comes back.
        self.checking: dict[str, int] = {}

    # -- helpers -----------------------------------------------------------------------

    def ui(self, request: Request, pack_name: str | None = None) -> UI:
        chosen = request.cookies.get(LANGUAGE_COOKIE)
        wanted = request.query_params.get("lang")
        if wanted in ("en", "cy"):
            chosen = wanted
        if chosen not in ("en", "cy"):
            pack = packs().get(pack_name or "")
            chosen = "cy" if pack is not None and "cy" in pack.languages else "en"
        return UI(chosen)

    def page(self, request: Request, template: str, status: int = 200, pack_name: str | None = None,
             **context) -> HTMLResponse:
        ui = context.pop("ui", None) or self.ui(request, pack_name)
        pack = packs().get(pack_name or "")
        if "ref" in context:
            # Titles and captions name a plan by its case reference, never its file name: a
            # title lands in the browser's history, and a file may be named after a person.
            context.setdefault("plan_name", None)
        other = "en" if ui.language == "cy" else "cy"
        body = self.env.get_template(template).render(
            ui=ui, lang=ui.language, csrf_field=CSRF_FIELD, csrf=self.secrets.csrf, pack=pack,
            other_language=other if pack is not None and "cy" in pack.languages else None,
            request_path=request.url.path, **context)
        response = HTMLResponse(body, status_code=status)
        if request.query_params.get("lang") in ("en", "cy"):
            response.set_cookie(LANGUAGE_COOKIE, ui.language, httponly=True, samesite="strict")
        return response

    async def checked_form(self, request: Request):
        form = await request.form()
        require_csrf(self.secrets, form, request.headers)
        return form

    def plan_or_404(self, request: Request) -> PlanRef:
        ref = self.workspace.find(request.path_params["plan_id"])
        if ref is None:
            raise _NotFound()
        return ref

    @staticmethod
    def pack_of(data: dict) -> str | None:
        authority = (data.get("plan") or {}).get("authority") if isinstance(data, dict) else None
        return authority if authority in packs() else None

    def forbidden_html(self) -> bytes:
        ui_en, ui_cy = UI("en"), UI("cy")
        return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{ui_en('service')}</title>"
                f"</head><body><main><h1>{ui_en('service')}</h1><p>{ui_en('forbidden')}</p>"
                f"<p lang=\"cy\">{ui_cy('forbidden')}</p></main></body></html>").encode("utf-8")

    def error_html(self) -> bytes:
        ui_en = UI("en")
        return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{ui_en('service')}</title>"
                f"</head><body><main><h1>{ui_en('service')}</h1><p>{ui_en('error')}</p></main></body></html>"
                ).encode("utf-8")

    async def not_found(self, request: Request, exc=None) -> Response:
        return self.page(request, "message.html", status=404, title_key="not_found", message=None)

    async def csrf_failed(self, request: Request, exc=None) -> Response:
        return self.page(request, "message.html", status=403, title_key="service", message=self.ui(request)("forbidden"))

    # -- pages -------------------------------------------------------------------------

    async def home(self, request: Request) -> Response:
        from birthplan import history

        rows = []
        for ref in self.workspace.plans():
            try:
                status = history.status(ref.path)[0]
            except BirthplanError as err:
                status = None
                problem = str(err)
            else:
                problem = None
            rows.append({"ref": ref, "status": status, "problem": problem,
                         "unsaved": self.workspace.unsaved(ref),
                         "case_reference": self._case_reference(ref)})
        return self.page(request, "home.html", rows=rows, packs=packs(),
                         single=self.workspace.single is not None)

    def _case_reference(self, ref) -> str | None:
        """The reference the plan itself holds (the unsaved one if it has a draft)."""
        try:
            data, _ = self.workspace.working_data(self.workspace.open(ref))
        except (BirthplanError, OSError):
            return None
        reference = ((data or {}).get("plan") or {}).get("case_reference") if isinstance(data, dict) else None
        return reference if isinstance(reference, str) and reference.strip() else None

    async def new_plan(self, request: Request) -> Response:
        pack_name = request.path_params["pack"]
        pack = packs().get(pack_name)
        if pack is None or self.workspace.single is not None:
            raise _NotFound()
        error, typed = None, ""
        if request.method == "POST":
            form = await self.checked_form(request)
            typed = str(form.get("case_reference", ""))
            error = self._new_reference_problem(typed.strip())
            if error is None:
                try:
                    ref = self.workspace.create(pack_name, typed)
                except BirthplanError as err:
                    error = str(err)
                else:
                    return RedirectResponse(f"/plan/{ref.id}", status_code=303)
        ui = self.ui(request, pack_name)
        message = ui(error) if error in ("bad_reference", "exists") else error
        return self.page(request, "new.html", status=400 if error else 200, pack_name=pack_name,
                         ui=ui, error=message, typed=typed)

    def _new_reference_problem(self, reference: str) -> str | None:
        """Why ``reference`` cannot start a new plan: not the schema's form of a case
        reference, or a reference another plan in the folder already holds (two plans for
        one case would share their copies' file names)."""
        if not _CASE_REFERENCE.fullmatch(reference):
            return "bad_reference"
        for ref in self.workspace.plans():
            held = self._case_reference(ref) or ""
            if reference.casefold() in (held.casefold(), ref.path.stem.casefold()):
                return "exists"
        return None

    async def theme(self, request: Request) -> Response:
        pack = packs().get(request.path_params["pack"])
        if pack is None:
            raise _NotFound()
        colours = pack.colours
        css = (f":root{{--bp-primary:{colours['primary']};--bp-on-primary:{colours['on_primary']};"
               f"--bp-accent:{colours['accent']};--bp-panel:{colours['panel']}}}\n")
        return Response(css, media_type="text/css")

    async def logo(self, request: Request) -> Response:
        pack = packs().get(request.path_params["pack"])
        if pack is None:
            raise _NotFound()
        return Response(pack.path(pack.logo["svg"]).read_bytes(), media_type="image/svg+xml")

    async def plan_home(self, request: Request) -> Response:
        ref = self.plan_or_404(request)
        first = self.workspace.schema.sections()[0]
        return RedirectResponse(f"/plan/{ref.id}/section/{first}", status_code=303)

    # -- the form ------------------------------------------------------------------------

    async def section(self, request: Request) -> Response:
        ref = self.plan_or_404(request)
        key = request.path_params["section"]
        if key not in self.workspace.schema.sections():
            raise _NotFound()
        form = await self.checked_form(request) if request.method == "POST" else None
        await self.checks_done(ref)
        opened = self.workspace.open(ref)
        if opened.plan is None:
            return self.page(request, "unreadable.html", ref=ref, problems=opened.problems, plan_name=None)
        self.workspace.remember_open(opened)
        data, draft = self.workspace.working_data(opened)
        notice, conflict, focus = None, None, None
        if form is not None:
            action = str(form.get("action", "check"))
            # The page's fields merged onto the plan as it is now: a stale tab changes only what it changed.
            posted = self.workspace.post_page(opened, key, form.get(PAGE_FIELD), schema_form.read_section(
                self.workspace.schema, key, form, data.get(key)))
            data, focus = schema_form.apply_list_action(self.workspace.schema, posted.data, action)
            draft = self.workspace.keep_draft(opened, data)
            if action == "discard":  # asks first, on a page of its own (the edits are kept meanwhile)
                return RedirectResponse(f"/plan/{ref.id}/discard?back={key}", status_code=303)
            if action == "save" and posted.stale:
                conflict = {"kind": "page", "changes": posted.changed_meanwhile,
                            "yours": [(fields.label(path), _typed_words(value)) for path, value in posted.conflicts]}
            elif action == "save":
                result = self.workspace.save(ref, draft.base_sha256, data)
                if result.saved:
                    count = len(previews.check(as_saved(data, opened.data), ref.relative).errors)
                    target = f"/plan/{ref.id}/section/{key}?saved={count}"
                    return RedirectResponse(target, status_code=303)
                conflict = {"kind": "file", "changes": result.conflict, "yours": []}
            elif focus is None:
                # A plain "check": show the page again (Post/Redirect/Get keeps reloads harmless).
                return RedirectResponse(f"/plan/{ref.id}/section/{key}?checked=1", status_code=303)
            else:
                anchor = "f-" + focus.replace(".", "-")
                return RedirectResponse(f"/plan/{ref.id}/section/{key}#{anchor}", status_code=303)
        saved = request.query_params.get("saved")
        if saved is not None and not (draft is not None and draft.changed):
            notice = "saved" if saved == "0" else "saved_with_problems"
        return self._section_page(request, ref, opened, key, data, draft, notice, conflict,
                                  int(saved) if (saved or "").isdigit() else 0)

    def _section_page(self, request, ref, opened, key, data, draft, notice, conflict, saved_count):
        from birthplan.workspace.form import Labels, build_section

        pack_name = self.pack_of(data)
        ui = self.ui(request, pack_name)
        schema = self.workspace.schema
        labels = Labels(schema, _pack_words(pack_name, ui.language), ui.language)
        section = build_section(schema, labels, key, data)
        report = previews.check(as_saved(data, opened.data), ref.relative)
        here, elsewhere = _place_problems(schema, section, report, key, labels, ui)
        audience = request.query_params.get("audience", "parent")
        if audience not in AUDIENCES:
            audience = "parent"
        sections = [(name, labels.field((name,), schema.section(name))) for name in schema.sections()]
        return self.page(
            request, "section.html", pack_name=pack_name, ui=ui, ref=ref, plan_name=_plan_name(data), key=key,
            section=section, sections=sections, here=here, elsewhere=elsewhere,
            draft=draft if draft is not None and draft.changed else None,
            notice=notice, page_field=PAGE_FIELD, page_token=self.workspace.page_token(opened, key, data),
            saved_count=saved_count, conflict=conflict, request_checked=bool(
                request.query_params.get("checked") or request.query_params.get("saved")), audience=audience, audiences=AUDIENCES,
            withheld=previews.withheld(data, audience), problem_total=len(report.errors),
            draft_version=_draft_version(draft), guide=schema_form.FREE_TEXT_GUIDE,
            labels_of_audiences=lambda chosen: ", ".join(ui.audience(a) for a in AUDIENCES if a in chosen),
            items_suffix=schema_form.ITEMS_SUFFIX, share_suffix=schema_form.SHARE_SUFFIX,
            third_party_suffix=schema_form.THIRD_PARTY_SUFFIX, sharing_suffix=schema_form.SHARING_SUFFIX)

    async def checks_done(self, ref: PlanRef, timeout: float = 2.0) -> None:
        waited = 0.0
        while self.checking.get(ref.id) and waited < timeout:  # never held up for ever
            await asyncio.sleep(0.02)
            waited += 0.02

    async def live(self, request: Request) -> Response:
        """The page's fields as typed (JavaScript): keep the draft, answer with the problems."""
        ref = self.plan_or_404(request)
        key = request.path_params["section"]
        if key not in self.workspace.schema.sections():
            raise _NotFound()
        self.checking[ref.id] = self.checking.get(ref.id, 0) + 1
        try:
            return await self._live(request, ref, key)
        finally:
            self.checking[ref.id] -= 1

    async def _live(self, request: Request, ref: PlanRef, key: str) -> Response:
        form = await self.checked_form(request)
        opened = self.workspace.open(ref)
        if opened.plan is None:
            return JSONResponse({"errors": {}, "total": 0, "version": 0})
        data, _ = self.workspace.working_data(opened)
        posted = self.workspace.post_page(opened, key, form.get(PAGE_FIELD), schema_form.read_section(
            self.workspace.schema, key, form, data.get(key)))
        data = posted.data
        draft = self.workspace.keep_draft(opened, data)
        from birthplan.workspace.form import Labels, build_section

        ui = self.ui(request, self.pack_of(data))
        labels = Labels(self.workspace.schema, _pack_words(self.pack_of(data), ui.language), ui.language)
        section = build_section(self.workspace.schema, labels, key, data)
        report = previews.check(as_saved(data, opened.data), ref.relative)
        here, _ = _place_problems(self.workspace.schema, section, report, key, labels, ui)
        audience = request.query_params.get("audience", "parent")
        withheld = previews.withheld(data, audience) if audience in AUDIENCES else []
        total = len(report.errors)
        # Each message with its language: validate's own words are English in a Welsh page too,
        # and the script marks them so (lang), as the page rendered here does.
        errors: dict[str, dict] = {}
        for item in here:
            if item["name"]:
                errors.setdefault(item["name"], {"text": item["message"], "lang": item["lang"]})  # the first, as shown
        return JSONResponse({"errors": errors,
                             "total": total, "unsaved": draft.changed, "stale": posted.stale,
                             "summary": ui("valid") if total == 0 else ui("problems_count", count=total),
                             "withheld": withheld, "withheld_none": ui("withheld_none"),
                             "version": _draft_version(draft)})

    async def discard(self, request: Request) -> Response:
        """Discard asks first, on a page that works without JavaScript, naming the pages it empties."""
        ref = self.plan_or_404(request)
        sections = self.workspace.schema.sections()
        form = await self.checked_form(request) if request.method == "POST" else None
        back = str((form or request.query_params).get("back", ""))
        back = back if back in sections else sections[0]
        if form is not None:
            self.workspace.discard(ref)
            return RedirectResponse(f"/plan/{ref.id}/section/{back}", status_code=303)
        opened = self.workspace.open(ref)
        data, _ = self.workspace.working_data(opened)
        pack_name = self.pack_of(data)
        ui = self.ui(request, pack_name)
        labels = schema_form.Labels(self.workspace.schema, _pack_words(pack_name, ui.language), ui.language)
        changed = self.workspace.changed_sections(opened)
        pages = [(name, labels.field((name,), self.workspace.schema.section(name))) for name in changed]
        title = ui("discard_title_one") if len(pages) == 1 else ui("discard_title", count=len(pages))
        return self.page(request, "discard.html", pack_name=pack_name, ui=ui, ref=ref, plan_name=_plan_name(data),
                         pages=pages,
                         title=title, back=back)

    async def preview(self, request: Request) -> Response:
        ref = self.plan_or_404(request)
        audience = request.path_params["audience"]
        if audience not in AUDIENCES:
            raise _NotFound()
        opened = self.workspace.open(ref)
        data, _ = self.workspace.working_data(opened)
        ui = self.ui(request, self.pack_of(data))
        html, reason = previews.preview_or_reason(ref.path, data, audience, ui.language)
        if html is None:
            html = self.env.get_template("preview_missing.html").render(ui=ui, lang=ui.language, reason=reason)
        return HTMLResponse(html, headers={PREVIEW_MARK: "1"})

    # -- reviews, documents, history ------------------------------------------------------

    async def review(self, request: Request) -> Response:
        from birthplan import history

        ref = self.plan_or_404(request)
        opened = self.workspace.open(ref)
        data = opened.data
        meeting = (data.get("plan") or {}).get("meeting") or {}
        # Who attended is the plan's (plan > meeting > attendees: the copies list them), shown
        # here and changed on the plan's page, through the form's save: one record of it.
        attendees = [", ".join(str(a[key]) for key in ("name", "role", "agency") if a.get(key))
                     for a in meeting.get("attendees") or () if isinstance(a, dict)]
        # So are the meeting's date and type (the library takes the review's from the plan and
        # refuses others): shown, with a link to each on the plan's page; only the summary is typed.
        summary = ""
        error, recorded, error_links = None, None, []
        if request.method == "POST":
            form = await self.checked_form(request)
            summary = str(form.get("summary", ""))
            ui = self.ui(request, self.pack_of(data))
            errors = previews.check_saved(opened).errors if opened.plan is not None else ()
            missing = [(f"/plan/{ref.id}/section/plan#{anchor}", ui(words)) for words, key, anchor in _MEETING_FIELDS
                       if key != "attendees" and meeting.get(key) in (None, "")]
            if self.workspace.unsaved(ref):
                error = ui("save_first")
            elif missing:
                # Each missing detail linked to its field; any other problems by their pages.
                others = [p for p in errors if tuple(p.path)[:3] not in (("plan", "meeting", "date"),
                                                                          ("plan", "meeting", "type"))]
                error = ui("meeting_details_none")
                error_links = missing + self._pages_of(ref, others, self.pack_of(data), ui)
            elif errors:
                # What `review` would list by file and line, as the pages where each is put right.
                error = ui("review_has_errors", count=len(errors))
                error_links = self._pages_of(ref, errors, self.pack_of(data), ui)
            elif not attendees:
                error = ui("attendees_none")
            else:
                try:
                    version = history.record_review(ref.path, None, None, None, summary.strip() or None)
                except BirthplanError as err:
                    error = _in_the_workspace(err, ref)
                else:
                    return RedirectResponse(f"/plan/{ref.id}/history?recorded={version.number}", status_code=303)
        pack_name = self.pack_of(data)
        ui = self.ui(request, pack_name)
        shown = {"meeting_date": _date_words(meeting.get("date"), ui),
                 "meeting_type": _choice_words(pack_name, ui.language, ("plan", "meeting", "type"), meeting["type"])
                 if meeting.get("type") else "",
                 "attendees": attendees}
        rows = [{"words": words, "value": shown[words], "href": f"/plan/{ref.id}/section/plan#{anchor}"}
                for words, _, anchor in _MEETING_FIELDS]
        # The warnings `birthplan review` prints (record_review's on_warnings): shown before
        # anyone agrees the version, each linked to the page where it can be put right.
        section_of = _section_names(self.workspace.schema)
        warnings = [{"field": p.field, "message": p.message, "section": section_of.get(p.field.split(" > ")[0])}
                    for p in previews.check_saved(opened).warnings]
        return self.page(request, "review.html", status=400 if error else 200, pack_name=pack_name, ui=ui,
                         ref=ref, plan_name=_plan_name(data), summary=summary, rows=rows, error=error,
                         error_links=error_links,
                         recorded=recorded,
                         audiences=AUDIENCES, unsaved=self.workspace.unsaved(ref),
                         warnings=warnings)

    def _pages_of(self, ref, problems, pack_name, ui) -> list[tuple[str, str]]:
        """(address, "People: 2 problem(s)") for each page of the plan with problems."""
        from birthplan.workspace.form import Labels

        schema = self.workspace.schema
        labels = Labels(schema, _pack_words(pack_name, ui.language), ui.language)
        section_of = _section_names(schema)
        counts: dict[str, int] = {}
        for problem in problems:
            name = section_of.get(problem.field.split(" > ")[0], schema.sections()[0])
            counts[name] = counts.get(name, 0) + 1
        return [(f"/plan/{ref.id}/section/{name}",
                 f"{labels.field((name,), schema.section(name))}: {ui('problems_count', count=count)}")
                for name, count in counts.items()]

    async def documents(self, request: Request) -> Response:
        ref = self.plan_or_404(request)
        opened = self.workspace.open(ref)
        pack_name = self.pack_of(opened.data)
        pack = packs().get(pack_name or "")
        languages = [lang for lang in ("en", "cy", "bilingual")
                     if pack is not None and (lang == "en" or "cy" in pack.languages)]
        report = previews.check(opened.data, ref.relative) if opened.plan else None
        zip_copies = {language: _copies_in_zip(ref.path, language) for language in languages} \
            if report is not None and not report.errors else {}
        return self.page(request, "documents.html", pack_name=pack_name, ref=ref,
                         plan_name=_plan_name(opened.data), audiences=AUDIENCES,
                         parent_forms=PARENT_FORMS, zip_copies=zip_copies,
                         formats=DOCUMENT_FORMATS, languages=languages,
                         problems=len(report.errors) if report else None,
                         unsaved=self.workspace.unsaved(ref))

    async def download(self, request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        ref = self.plan_or_404(request)
        audience, fmt = request.path_params["audience"], request.path_params["fmt"]
        language = request.query_params.get("language", "en")
        form = request.query_params.get("form", "standard")
        if audience not in AUDIENCES or fmt not in DOCUMENT_FORMATS or language not in ("en", "cy", "bilingual") \
                or form not in PARENT_FORMS:
            raise _NotFound()
        try:
            name, body = await run_in_threadpool(render_one, ref.path, audience, fmt, language, form)
        except BirthplanError as err:
            return self.page(request, "message.html", status=400, title_key="documents", message=str(err))
        return Response(body, media_type=MEDIA_TYPES[fmt], headers={
            "content-disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"})

    async def download_all(self, request: Request) -> Response:
        """Every audience's PDF and Word copy in one ZIP: one render, as the meeting closes."""
        from starlette.concurrency import run_in_threadpool

        ref = self.plan_or_404(request)
        language = request.query_params.get("language", "en")
        if language not in ("en", "cy", "bilingual"):
            raise _NotFound()
        try:
            name, body = await run_in_threadpool(self.renderer.every_copy, ref.path, language)
        except BirthplanError as err:
            return self.page(request, "message.html", status=400, title_key="documents", message=str(err))
        return Response(body, media_type="application/zip", headers={
            "content-disposition": f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"})

    async def history(self, request: Request) -> Response:
        from birthplan import history
        from birthplan.history.store import history_dir

        ref = self.plan_or_404(request)
        opened = self.workspace.open(ref)
        pack_name = self.pack_of(opened.data)
        error = None
        typed = {"recipient": "", "date": dt.date.today().isoformat(), "by": "", "version": ""}
        if request.method == "POST":
            form = await self.checked_form(request)
            typed = {"recipient": str(form.get("recipient", "")), "date": schema_form.read_date(form, "date") or "",
                     "by": str(form.get("by", "")), "version": str(form.get("version", ""))}
            try:
                entry = history.record_sent(ref.path, typed["recipient"],
                                            version=int(typed["version"]) if typed["version"].isdigit() else None,
                                            date=typed["date"], by=typed["by"].strip() or None)
            except BirthplanError as err:
                error = _in_the_workspace(err, ref)
            else:
                return RedirectResponse(f"/plan/{ref.id}/history?logged={entry.number}", status_code=303)
        entries, sent, problems = [], [], []
        if history_dir(ref.path).is_dir():
            try:
                entries = history.timeline(ref.path)
                sent = history.sent_entries(ref.path)
                problems = history.verify(ref.path)
            except BirthplanError as err:
                problems = [str(err)]
        status = None
        try:
            status = history.status(ref.path)[0]
        except BirthplanError as err:
            problems.append(str(err))
        logged = request.query_params.get("logged")
        # The copy just logged counts for neither deadline: say so now, as `sent` does.
        counts_for_nobody = next((entry.recipient for entry in sent if str(entry.number) == logged
                                  and history.counts_for(ref.path, entry) is None), None)
        ui = self.ui(request, pack_name)
        date_field = schema_form.Field("date", ("date",), ui("sent_date"), value=typed["date"])
        return self.page(request, "history.html", ui=ui, status=400 if error else 200, pack_name=pack_name, ref=ref,
                         rows=[_history_row(entry, pack_name, ui) for entry in entries],
                         plan_name=_plan_name(opened.data),
                         entries=entries, sent=sent, problems=problems, plan_status=status, error=error,
                         typed=typed, date_field=date_field, audiences=AUDIENCES,
                         recorded=request.query_params.get("recorded"),
                         logged=logged, counts_for_nobody=counts_for_nobody)


# The schema's own rule for a case reference (it becomes file names): the one the new-plan
# page checks, and the only words a page title may take from a plan.
_CASE_REFERENCE = re.compile(plan_schema()["properties"]["plan"]["properties"]["case_reference"]["pattern"])



def _copies_in_zip(path: Path, language: str) -> list | None:
    """What "download every copy" in ``language`` holds: the copies ``birthplan render`` writes
    for the saved plan (the parents' in the forms its needs record), as ``needs.Copy``; None
    when the saved file cannot be rendered (the download then says why)."""
    from birthplan.render import planned_copies

    try:
        return planned_copies(path, AUDIENCES, language)
    except BirthplanError:
        return None

def _plan_name(data) -> str | None:
    """The plan's case reference when it is one (the schema's pattern), else None."""
    plan = data.get("plan") if isinstance(data, dict) else None
    reference = plan.get("case_reference") if isinstance(plan, dict) else None
    return reference if isinstance(reference, str) and _CASE_REFERENCE.fullmatch(reference) else None


def _history_row(entry, pack_name, ui) -> dict:
    """One version on the history page in the workspace's words: its date and meeting as
    the other pages write them, and what changed, each change as ``birthplan diff`` says it
    with the field named by the form's labels."""
    from birthplan.workspace.form import Labels, Schema
    from birthplan.workspace.messages import change_words

    schema = Schema(plan_schema())
    labels = Labels(schema, _pack_words(pack_name, ui.language), ui.language)
    version = entry.version
    sections = []
    for change in entry.changes:
        top = change.path[0]
        words = labels.field((top,), schema.section(top))
        if words not in sections:
            sections.append(words)
    if entry.changed is None:
        summary = ""
    elif entry.changed == "first version":
        summary = ui("first_version")
    elif not entry.changes:
        summary = ui("no_changes")
    else:
        summary = ui("n_changes", count=len(entry.changes), sections=", ".join(sections))
    return {"number": version.number, "fingerprint": version.short_fingerprint,
            "date": ui.date(version.review_date),
            "meeting": _choice_words(pack_name, ui.language, ("plan", "meeting", "type"), version.meeting_type),
            "summary": summary,
            "changes": [change_words(change, schema, labels) for change in entry.changes]}


def _NotFound():
    return HTTPException(status_code=404)


def _place_problems(schema, section, report, key: str, labels, ui):
    """Each validation problem at its field on this page, in the form's words
    (``messages.for_the_form``), or counted under its own page."""
    from birthplan.workspace.messages import for_the_form

    by_label = {}
    for field in section.walk():
        by_label.setdefault(fields.label(field.path), field)
    here, elsewhere = [], {}
    for problem in report.errors:
        field = by_label.get(problem.field)
        if field is None and problem.field.split(" > ")[0] == fields.label((key,)):
            field = _closest(section, problem.field, by_label)
        if field is not None:
            worded = for_the_form(problem, schema, labels, ui)
            if field.error is None:
                field.error, field.error_lang = worded.message, worded.lang
            here.append({"name": field.name, "id": field.first_input_id, "label": worded.field,
                         "label_lang": worded.field_lang, "message": worded.message, "lang": worded.lang})
        else:
            top = problem.field.split(" > ")[0]
            elsewhere[top] = elsewhere.get(top, 0) + 1
    section_of = _section_names(schema)
    return here, [(section_of.get(top),
                   labels.field((section_of[top],), schema.section(section_of[top])) if top in section_of else top, count)
                  for top, count in elsewhere.items()]


def _section_names(schema) -> dict[str, str]:
    """Each page's label (the first part of a problem's field) -> the page's name in its address."""
    return {fields.label((name,)): name for name in schema.sections()}


def _closest(section, label: str, by_label: dict):
    parts = label.split(" > ")
    while parts:
        found = by_label.get(" > ".join(parts))
        if found is not None:
            return found
        parts.pop()
    return section


def _typed_words(value) -> str:
    """A value typed on a page, as words for the page that says it was not saved."""
    from birthplan import audience as audience_rules
    from birthplan.workspace.merge import ABSENT

    if value is ABSENT or value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_typed_words(item) for item in value)
    if isinstance(value, dict):
        if audience_rules.is_text_item(value):
            return str(audience_rules.text_of(value))
        return ", ".join(_typed_words(sub) for sub in value.values() if _typed_words(sub))
    return str(value)


def _draft_version(draft) -> int:
    return hash(repr(draft.data)) & 0xFFFFFF if draft is not None else 0


def _in_the_workspace(err: BirthplanError, ref) -> str:
    """The library's message (its words suit a form and a command line alike), naming the
    plan as the plan list does rather than by its full path on this computer."""
    return str(err).replace(str(ref.path), ref.relative)


# The meeting's details on the review page: each row's words, its key in plan > meeting,
# and its field on the plan's page, where it is changed.
_MEETING_FIELDS = (("meeting_date", "date", "f-plan-meeting-date"), ("meeting_type", "type", "f-plan-meeting-type"),
                   ("attendees", "attendees", "f-plan-meeting-attendees"))


def _date_words(value, ui) -> str:
    """A date from the plan in words ("10 January 2027"), however the file writes it."""
    from birthplan.values import parse_date

    try:
        day = parse_date(str(value)) if value not in (None, "") else None
    except ValueError:
        day = None
    return ui.date(day.isoformat()) if day else str(value or "")


def _choice_words(pack_name, language: str, path: tuple, value: str) -> str:
    from birthplan.workspace.form import Labels, Schema

    return Labels(Schema(plan_schema()), _pack_words(pack_name, language), language).choice(path, value)


def _pack_words(pack_name, language: str) -> dict:
    """The pack's strings in ``language`` (English too: "GP", not the schema value "gp")."""
    pack = packs().get(pack_name or "")
    return pack.strings.get(language, {}) if pack is not None else {}
