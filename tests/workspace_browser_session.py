"""The workspace in a real browser (Debian's Chromium through Playwright).

One keyboard-only session makes a plan for a new Sunderland case from nothing,
fixes the errors the form reports, previews each audience, saves, records two
reviews and downloads the parents' PDF; the saved YAML must validate with the
CLI and hold what was typed. Every page is checked with axe-core (WCAG 2.2 A
and AA, and best practice) at desktop width and at 375 CSS px, with no
horizontal scrolling, and without one Content-Security-Policy violation.

Run in a process of its own by ``tests/test_workspace_browser.py`` (so its
name does not start with ``test_``): a long keyboard session through
Playwright's driver has, in full runs, frozen once in a while with the
browser and the server idle, and only a fresh process ends that.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from birthplan.values import date_in_words
from tests.browser import axe_violations, describe, horizontal_overflow

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
MAX_TABS = 400


class Server:
    """The workspace on 127.0.0.1 and a free port, in a thread of this process."""

    def __init__(self, folder: Path):
        import uvicorn

        from birthplan.workspace.app import create_app
        from birthplan.workspace.security import Secrets

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.secrets = Secrets()
        self.app = create_app(folder, host="127.0.0.1", port=self.port, app_secrets=self.secrets)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, access_log=False,
                                log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                break
            time.sleep(0.02)
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.server.should_exit = True
        self.thread.join(5)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cases")
    shutil.copy(EXAMPLES / "sunderland-full.yaml", folder / "sunderland-full.yaml")
    shutil.copy(EXAMPLES / "swansea-full.yaml", folder / "swansea-full.yaml")
    server = Server(folder)
    server.folder = folder
    yield server
    server.stop()


@pytest.fixture(scope="module")
def signed_in(fresh_browser, workspace):
    """A browser context holding the session cookie (the one-time link was opened once)."""
    context = fresh_browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True,
                                  accept_downloads=True)
    page = context.new_page()
    page.goto(f"{workspace.base}/?token={workspace.secrets.access_token}")
    assert page.url == f"{workspace.base}/"
    yield context
    context.close()


# -- keyboard helpers ----------------------------------------------------------------


def tab_to(page, selector: str) -> None:
    """Press Tab until ``selector`` has the focus: proof it is reachable by keyboard."""
    for _ in range(MAX_TABS):
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def type_date(page, field_id: str, day: dt.date) -> None:
    for part, value in (("day", day.day), ("month", day.month), ("year", day.year)):
        type_into(page, f"#{field_id}-{part}", str(value))


def choose_radio(page, name: str, value: str) -> None:
    """Tab into a radio group, then arrow to the choice (how keyboard users pick one)."""
    tab_to(page, f'input[type=radio][name="{name}"]')
    for _ in range(30):
        if page.evaluate("() => document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{name}={value} cannot be chosen with the arrow keys")


def press(page, selector: str) -> None:
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def save(page) -> None:
    press(page, 'button[value="save"]')
    assert "Saved" in page.inner_text(".govuk-notification-banner"), page.inner_text("main")[:500]


def go_to_section(page, key: str) -> None:
    press(page, f'nav[aria-label="Sections"] a[href$="/section/{key}"]')


# -- the session -------------------------------------------------------------------------


def test_a_new_case_from_nothing_to_two_reviews_by_keyboard(signed_in, workspace, tmp_path):
    page = signed_in.new_page()
    page.goto(f"{workspace.base}/")
    week_ago, today = dt.date.today() - dt.timedelta(days=7), dt.date.today()
    due = today + dt.timedelta(days=90)

    press(page, 'a[href="/new/sunderland"]')
    type_into(page, "#case_reference", "TFC-2027-0777")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/section/wishes"), page.inner_text("body")[:800]  # the parents' wishes come first
    summary = page.inner_text("#error-summary")
    assert "Problems on other pages" in summary and "People" in summary

    type_into(page, "#f-wishes-feeding", "I want to try breastfeeding.")
    type_into(page, "#f-wishes-pain_relief", "Gas and air first.")
    save(page)

    go_to_section(page, "plan")
    type_date(page, "f-plan-meeting-date", week_ago)
    choose_radio(page, "plan.meeting.type", "pre_birth_planning")
    press(page, 'button[value="add:plan.meeting.attendees"]')
    type_into(page, "#f-plan-meeting-attendees-0-name", "Jodie Example")
    type_into(page, "#f-plan-meeting-attendees-0-role", "mother")
    save(page)

    go_to_section(page, "people")
    type_into(page, "#f-people-mother-name", "Jodie Example")
    type_into(page, "#f-people-mother-nhs_number", "999 000")  # a mistake, reported at the field
    type_date(page, "f-people-mother-due_date", due)
    type_into(page, "#f-people-place_of_birth", "Sunderland Royal Hospital")
    save(page)  # saved with the mistake: nothing typed is lost
    error = page.inner_text("#f-people-mother-nhs_number-error")
    assert "NHS number" in page.inner_text("#error-summary") and error.strip()
    type_into(page, "#f-people-mother-nhs_number", "999 000 0018")
    save(page)
    assert page.is_hidden("#f-people-mother-nhs_number-error")

    go_to_section(page, "contacts")
    press(page, 'button[value="add:contacts"]')
    choose_radio(page, "contacts.0.role", "community_midwife")
    type_into(page, "#f-contacts-0-name", "Alex Sample")
    type_into(page, "#f-contacts-0-phone", "07700 900001")
    save(page)

    go_to_section(page, "at_birth")
    press(page, 'button[value="add:at_birth.out_of_hours"]')
    type_into(page, "#f-at_birth-out_of_hours-0-who", "Emergency Duty Team")
    type_into(page, "#f-at_birth-out_of_hours-0-phone", "01632 960999")
    save(page)
    assert page.inner_text("#problem-total").strip() == "The plan has no problems."
    assert page.is_hidden("#error-summary")

    # Each audience's copy, and what it leaves out.
    for audience, title in (("professional", "professional"), ("delivery_suite", "Delivery"),
                            ("parent", "My birth plan")):
        press(page, f'a[href$="?audience={audience}"]')
        frame = page.frame_locator("#preview-frame")
        assert title.lower() in frame.locator("body").inner_text().lower()
        assert "Jodie Example" in frame.locator("body").inner_text()

    # Review 1, prefilled from the plan.
    press(page, 'a[href$="/review"]')
    assert "Jodie Example, mother" in page.inner_text("main")  # who attended: the plan's, shown
    assert date_in_words(week_ago) in page.inner_text("#meeting-details")  # the plan's meeting date
    press(page, "form button.govuk-button")
    assert "Recorded version 1" in page.inner_text(".govuk-notification-banner")

    # An edit, live: the preview and the checks follow the typing.
    press(page, 'a[href$="/plan/' + page.url.split("/plan/")[1].split("/")[0] + '"]')
    type_into(page, "#f-wishes-feeding", "Breastfeeding, with help from the feeding team.")
    page.frame_locator("#preview-frame").locator("td", has_text="with help from the feeding team").wait_for(timeout=5000)
    save(page)

    go_to_section(page, "plan")  # the second meeting: the plan records the meeting that agreed it
    type_date(page, "f-plan-meeting-date", today)
    choose_radio(page, "plan.meeting.type", "core_group")
    save(page)

    press(page, 'a[href$="/review"]')
    assert date_in_words(today) in page.inner_text("#meeting-details")  # the plan's, as saved
    press(page, "form button.govuk-button")
    assert "Recorded version 2" in page.inner_text("main"), page.inner_text("main")[:1500]
    history = page.inner_text("main")
    assert "Parents' wishes" in history or "wishes" in history.lower()

    press(page, 'a[href$="/documents"]')
    tab_to(page, 'a[href*="/download/parent/pdf?language=en"]')
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    download = info.value
    saved_pdf = tmp_path / download.suggested_filename
    download.save_as(saved_pdf)
    assert saved_pdf.read_bytes().startswith(b"%PDF")
    assert "TFC-2027-0777_parent_v2" in saved_pdf.name

    plan = workspace.folder / "TFC-2027-0777.yaml"
    check = subprocess.run([sys.executable, "-m", "birthplan.cli", "validate", str(plan)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    from birthplan.load import load_plan

    data = load_plan(plan).data
    assert data["people"]["mother"] == {"name": "Jodie Example", "nhs_number": "999 000 0018",
                                        "due_date": due.isoformat()}
    assert data["wishes"] == {"pain_relief": "Gas and air first.",
                              "feeding": "Breastfeeding, with help from the feeding team."}
    assert data["contacts"] == [{"role": "community_midwife", "name": "Alex Sample", "phone": "07700 900001"}]
    assert data["plan"]["meeting"] == {"date": today.isoformat(), "type": "core_group",
                                       "attendees": [{"name": "Jodie Example", "role": "mother"}]}
    page.close()


def test_the_live_preview_follows_the_typing(signed_in, workspace):
    page = signed_in.new_page()
    page.goto(f"{workspace.base}/")
    link = page.locator('a[href^="/plan/"]', has_text="SWA-2027-0042")
    page.goto(f"{workspace.base}{link.get_attribute('href')}/section/wishes?audience=parent&lang=en")
    assert page.locator("#preview-frame").get_attribute("title") == "Preview of the Parents copy"
    page.fill("#f-wishes-photos", "Lots of photos of the three of us together.")
    frame = page.frame_locator("#preview-frame")
    frame.locator("td", has_text="Lots of photos of the three of us together.").first.wait_for(timeout=5000)
    # A mistake is reported at the field as it is typed, with validate's own words.
    people = page.url.replace("/section/wishes", "/section/people")
    page.goto(people)
    page.fill("#f-people-mother-nhs_number", "999")
    page.locator("#f-people-mother-nhs_number-error").wait_for(state="visible", timeout=5000)
    from birthplan.load import load_plan
    from birthplan.workspace.preview import check

    data = load_plan(workspace.folder / "swansea-full.yaml").data
    data["people"]["mother"]["nhs_number"] = "999"
    expected = [p.message for p in check(data, "plan").errors if "NHS" in p.field]
    assert expected and expected[0] in page.inner_text("#f-people-mother-nhs_number-error")
    page.fill("#f-people-mother-nhs_number", "999 000 0034")
    page.locator("#f-people-mother-nhs_number-error").wait_for(state="hidden", timeout=5000)
    page.close()


def test_the_preview_waits_while_a_keyboard_user_reads_it(signed_in, workspace):
    """A new copy would replace the preview's document under the focus: a keyboard user
    reading the preview would be thrown back to its top. It waits until the focus leaves.
    (Chromium also drops, and never answers, a key press that reaches the focused preview as
    its new document commits: that froze this session in CI.)"""
    page = signed_in.new_page()
    page.goto(f"{workspace.base}/")
    link = page.locator('a[href^="/plan/"]', has_text="TFC-2027-0193").get_attribute("href")
    page.goto(f"{workspace.base}{link}/section/wishes?audience=parent")
    tab_to(page, "#preview-frame")  # the focus is in the preview's document
    shown = page.get_attribute("#preview-frame", "src")
    # A change reaches the live check while the focus stays in the preview (as when someone
    # types and moves on before the check has answered); the check's answer is awaited.
    page.evaluate("""async () => {
        const answered = new Promise((done) => new MutationObserver(done)
            .observe(document.getElementById('problem-total'), {childList: true, subtree: true}))
        const field = document.getElementById('f-wishes-feeding')
        field.value = 'Breastfeeding, with the midwife nearby.'
        field.dispatchEvent(new Event('input', {bubbles: true}))
        await answered
    }""")
    assert page.get_attribute("#preview-frame", "src") == shown
    assert page.evaluate("() => document.activeElement.id") == "preview-frame"
    for _ in range(MAX_TABS):  # back out of the preview, to this page
        page.keyboard.press("Shift+Tab")
        if page.evaluate("() => document.activeElement.id") != "preview-frame":
            break
    frame = page.frame_locator("#preview-frame")
    frame.locator("td", has_text="with the midwife nearby").first.wait_for(timeout=5000)
    assert page.get_attribute("#preview-frame", "src") != shown
    page.wait_for_function("() => !document.getElementById('preview-frame').inert")  # once loaded
    page.close()


def test_typing_then_reloading_at_once_keeps_the_edit_and_discard_asks_first(signed_in, workspace):
    page = signed_in.new_page()
    page.goto(f"{workspace.base}/")
    link = page.locator('a[href^="/plan/"]', has_text="TFC-2027-0193").get_attribute("href")
    page.goto(f"{workspace.base}{link}/section/wishes?lang=en")
    page.fill("#f-wishes-placenta", "Typed just before the reload.")  # no pause: the check has not run
    page.reload()
    assert page.input_value("#f-wishes-placenta") == "Typed just before the reload."
    assert "Unsaved changes" in page.inner_text(".govuk-notification-banner__title")
    page.click('button[value="discard"]')
    assert page.inner_text("h1") == "Discard your unsaved changes to 1 page?"
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.click("#discard-back")  # Go back: nothing discarded
    assert page.input_value("#f-wishes-placenta") == "Typed just before the reload."
    page.click('button[value="discard"]')
    page.click('button:has-text("Discard")')
    assert page.input_value("#f-wishes-placenta") != "Typed just before the reload."
    page.close()


# -- every page, two widths, axe-core and the CSP ----------------------------------------

# At desktop width the pages' chrome and the sections with every kind of field; at
# 375 px (where reflow, target sizes and overlaps show up) every page there is.
DESKTOP_SECTIONS = ("plan", "communication", "contacts", "visitors")


def _every_page(page, base: str) -> list[tuple[str, bool]]:
    """(address, check at desktop too) for every page of the Sunderland example, and the
    Welsh interface's pages of the Swansea one."""
    page.goto(f"{base}/")
    plans = {a.inner_text(): a.get_attribute("href") for a in page.query_selector_all('a[href^="/plan/"]')}
    urls = [(f"{base}/", True), (f"{base}/new/sunderland", True)]
    english = plans["TFC-2027-0193"]  # the list names plans by case reference
    page.goto(f"{base}{english}")
    for href in dict.fromkeys(a.get_attribute("href") for a in
                              page.query_selector_all('nav[aria-label="Sections"] a')):
        urls.append((f"{base}{href}", href.rsplit("/", 1)[1] in DESKTOP_SECTIONS))
    urls += [(f"{base}{english}/{name}", True) for name in ("review", "documents", "history")]
    welsh = plans["SWA-2027-0042"]
    urls += [(f"{base}{welsh}/section/wishes?lang=cy", True), (f"{base}{welsh}/section/people", False),
             (f"{base}{welsh}/review", False)]
    return urls


def test_every_page_passes_axe_at_desktop_and_phone_width(signed_in, workspace):
    page = signed_in.new_page()
    failures = {}
    for url, at_desktop in _every_page(page, workspace.base):
        page.set_viewport_size({"width": 375, "height": 800})
        page.goto(url)
        for width in (375, 1280) if at_desktop else (375,):
            page.set_viewport_size({"width": width, "height": 800})
            violations = axe_violations(page)
            if violations:
                failures[f"{width}px {url}"] = violations
            if horizontal_overflow(page) > 0:
                failures[f"{width}px {url}"] = "scrolls sideways"
    page.close()
    assert not failures, describe([{"page": k, "found": v} for k, v in failures.items()])


def test_no_page_breaks_its_own_content_security_policy(fresh_browser, workspace, signed_in):
    """Without bypass_csp: any inline script or outside request would be reported here."""
    cookies = signed_in.cookies()
    context = fresh_browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(cookies)
    page = context.new_page()
    reports = []
    page.on("console", lambda message: reports.append(message.text)
            if "Content Security Policy" in message.text or "Refused" in message.text else None)
    outside = []
    page.on("request", lambda request: outside.append(request.url)
            if not request.url.startswith((workspace.base, "data:", "about:")) else None)
    for url, _ in _every_page(page, workspace.base)[:8]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    assert page.evaluate("() => document.body.classList.contains('govuk-frontend-supported')")  # our script ran
    context.close()
    assert reports == [] and outside == []
