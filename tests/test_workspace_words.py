"""The words on the workspace's pages, as a user's trial found them.

Each test drives the app as a browser with JavaScript off would (tests/workspace_client.py)
and reads the page a social worker and parents would read in the meeting room.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from tests.workspace_client import cases_folder, form_fields, make_client, plan_id


@pytest.fixture
def folder(tmp_path):
    return cases_folder(tmp_path)  # the full examples of both packs, and the minimal plan


@pytest.fixture
def client(folder):
    return make_client(folder)


def _text(page: str) -> str:
    """What a reader sees: tags dropped, entities read, spaces folded."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _title(page: str) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))


def _new_plan(client, pack: str, reference: str):
    return client.post(f"/new/{pack}", data={"case_reference": reference, "csrf_token": client.secrets.csrf})


# -- 3: choices in the pack's words ------------------------------------------------------


def test_a_contacts_role_reads_as_the_pack_words_it_not_the_schema_value(client):
    page = client.get(f"/plan/{plan_id(client, 'sunderland-full.yaml')}/section/contacts").text
    labels = re.findall(r'<label class="govuk-label govuk-radios__label"[^>]*>\s*([^<]+?)\s*</label>', page)
    assert "Gp" not in labels and not any(label.startswith("Gp") for label in labels)
    assert "Family doctor (GP)" in labels or "GP" in labels


# -- 5: case references --------------------------------------------------------------------


def test_a_new_plan_refuses_a_case_reference_another_plan_in_the_folder_holds(client, folder):
    taken = _new_plan(client, "sunderland", "TFC-2027-0001")  # minimal.yaml's own reference
    assert taken.status_code == 400
    assert "A plan with this case reference already exists in this folder" in _text(taken.text)
    assert not (folder / "TFC-2027-0001.yaml").exists()
    assert len(list(folder.glob("*.yaml"))) == 3
    lower = _new_plan(client, "sunderland", "tfc-2027-0001")  # the same reference in other case
    assert lower.status_code == 400


def test_a_new_plan_refuses_what_the_schema_does_not_allow_as_a_case_reference(client, folder):
    for typed in ("Jo Bloggs", "-TFC-1", "X", "T" * 41, "TFC_2027_0001"):
        refused = _new_plan(client, "sunderland", typed)
        assert refused.status_code == 400, typed
        assert "letters, digits and hyphens" in refused.text
    assert len(list(folder.glob("*.yaml"))) == 3


def test_page_titles_name_the_plan_by_its_case_reference_never_its_file_name(client, folder):
    (folder / "Kerry-Smith.yaml").write_text((folder / "minimal.yaml").read_text().replace(
        "TFC-2027-0001", "TFC-2027-0777"))
    (folder / "Kerry-Smith.yaml").chmod(0o600)
    pid = plan_id(client, "Kerry-Smith.yaml")
    for page in ("section/wishes", "section/plan", "review", "documents", "history"):
        body = client.get(f"/plan/{pid}/{page}").text
        assert "Kerry" not in _title(body), page
        assert "TFC-2027-0777" in _title(body), page
        assert "Kerry" not in body.split("<main")[1].split("</h1>")[0], page


# -- 6: the ZIP's button says what it holds ------------------------------------------------


@pytest.mark.parametrize("name, holds", [
    ("minimal.yaml", ["Professionals", "Delivery suite", "Parents: standard"]),
    # its communication needs record Easy Read: the ZIP holds that copy too, and says so
    ("sunderland-full.yaml", ["Professionals", "Delivery suite", "Parents: standard", "Parents: Easy Read"]),
])
def test_the_every_copy_button_says_exactly_what_the_zip_holds(client, name, holds):
    import io
    import zipfile

    pid = plan_id(client, name)
    page = client.get(f"/plan/{pid}/documents").text
    item = re.search(r'<li><a class="govuk-link" href="/plan/\w+/download-all\?language=en"[^>]*>(.*?)</li>', page, re.S)
    link, listed = item.group(1).split("</a>")
    assert "every copy" not in _text(link).lower() and "PDF and Word" in _text(link)
    assert _text(listed) == "It holds: " + "; ".join(holds) + "."
    names = zipfile.ZipFile(io.BytesIO(client.get(f"/plan/{pid}/download-all?language=en").content)).namelist()
    assert len(names) == 2 * len(holds)  # each listed copy as PDF and Word, nothing else
    assert {name.rsplit(".", 1)[1] for name in names} == {"pdf", "docx"}
    assert any("easy-read" in name for name in names) == ("Parents: Easy Read" in holds)
    assert not any("large-print" in name for name in names)


# -- 1: problems and hints in the form's words ---------------------------------------------

_FILE_WORDS = re.compile(r"at the start of a line|indented|under '|add '|\.yaml|:\d+|required but missing|"
                         r"expected (text|a list|a set)|lines starting|\bwrite (true|false)\b")


def _problems_on(page: str) -> list[str]:
    listed = re.search(r'id="problems-here">(.*?)</ul>', page, re.S).group(1)
    at_fields = re.findall(r'<span class="bp-error-text"[^>]*>([^<]+)</span>', page)
    return [_text(item) for item in re.findall(r"<li>(.*?)</li>", listed, re.S)] + at_fields


def test_a_new_plans_problems_say_what_to_do_in_the_form_not_in_the_yaml(client, folder):
    assert _new_plan(client, "sunderland", "TFC-2027-0500").status_code == 200
    pid = plan_id(client, "TFC-2027-0500.yaml")
    seen = {}
    for section in client.workspace.schema.sections():
        seen[section] = _problems_on(client.get(f"/plan/{pid}/section/{section}").text)
    everything = [message for messages in seen.values() for message in messages]
    assert everything
    assert not [message for message in everything if _FILE_WORDS.search(message)], everything
    assert any("In working hours" in m and "Out of hours" in m for m in seen["at_birth"]), seen["at_birth"]
    assert any("Meeting date" in m for m in seen["plan"]), seen["plan"]
    assert any("Add at least one" in m for m in seen["contacts"]), seen["contacts"]
    # the same words as the live check gives while typing (JavaScript)
    page = client.get(f"/plan/{pid}/section/at_birth").text
    live = client.post(f"/plan/{pid}/live/at_birth", data={**form_fields(page), "csrf_token": client.secrets.csrf})
    assert not [m for m in live.json()["errors"].values() if _FILE_WORDS.search(m["text"])], live.json()


def test_a_problem_in_the_welsh_form_names_its_field_in_welsh_and_marks_english_words(client):
    assert _new_plan(client, "swansea", "SWA-2027-0500").status_code == 200
    pid = plan_id(client, "SWA-2027-0500.yaml")
    page = client.get(f"/plan/{pid}/section/plan").text
    listed = re.search(r'id="problems-here">(.*?)</ul>', page, re.S).group(1)
    assert "Cynllun &gt; cyfarfod" in listed and "Plan &gt;" not in listed
    assert "Llenwch" in listed  # the form's own words, in Welsh
    others = re.search(r'id="problems-here">.*?</ul>(.*?)</ul>', page, re.S).group(1)
    assert "Pobl:" in _text(others) and "People:" not in _text(others)  # the other pages, by their Welsh names
    # A value that cannot be read keeps validate's (English) words: marked lang="en".
    client.post(f"/plan/{pid}/section/plan", data={
        **form_fields(page),
        "plan.meeting.date.day": "31", "plan.meeting.date.month": "2", "plan.meeting.date.year": "2027",
        "csrf_token": client.secrets.csrf, "action": "check"})
    page = client.get(f"/plan/{pid}/section/plan").text
    listed = re.search(r'id="problems-here">(.*?)</ul>', page, re.S).group(1)
    english = re.findall(r'<span lang="en">([^<]+)</span>', listed)
    assert english and "Plan" not in " ".join(re.findall(r"<a[^>]*><span>([^<]+)</span>", listed)), listed


def test_the_live_checks_answer_gives_each_messages_language(client):
    """The script put an English message into a Welsh page without lang="en": the live
    check's answer now says each message's language, as the page rendered here marks it."""
    assert _new_plan(client, "swansea", "SWA-2027-0501").status_code == 200
    pid = plan_id(client, "SWA-2027-0501.yaml")
    page = client.get(f"/plan/{pid}/section/plan?lang=cy").text
    live = client.post(f"/plan/{pid}/live/plan", data={
        **form_fields(page), "csrf_token": client.secrets.csrf,
        "plan.meeting.date.day": "31", "plan.meeting.date.month": "2", "plan.meeting.date.year": "2027"}).json()
    errors = live["errors"]
    date = errors["plan.meeting.date"]  # a date that cannot be: validate's (English) words
    assert date["lang"] == "en" and "31" in date["text"], errors
    worded = errors["plan.meeting.type"]  # missing: the form's own words, in Welsh
    assert worded["lang"] == "cy" and worded["text"].startswith(("Dewiswch", "Llenwch", "Rhowch")), errors


def test_hints_show_no_markdown_and_no_file_syntax(client):
    for name, section in (("sunderland-full.yaml", "plan"), ("sunderland-full.yaml", "communication"),
                          ("sunderland-full.yaml", "contacts")):
        page = client.get(f"/plan/{plan_id(client, name)}/section/{section}").text
        hints = re.findall(r'<div id="[^"]+-hint" class="govuk-hint">(.*?)</div>', page, re.S)
        assert hints
        for hint in hints:
            assert "`" not in hint and "*" not in hint, hint
        words = _text(" ".join(hints))
        assert "initial_conference" not in words and "pre_birth_planning" not in words
        assert "2027-01-14" not in words
    page = client.get(f"/plan/{plan_id(client, 'sunderland-full.yaml')}/section/plan").text
    assert "<em>communication &gt; preferred language</em>" in page  # *emphasis*, escaped


# -- 4: the history page -------------------------------------------------------------------


def _review(client, pid: str):
    page = client.post(f"/plan/{pid}/review", data={"csrf_token": client.secrets.csrf})  # the plan's meeting
    assert "Recorded version" in page.text or "Cofnodwyd fersiwn" in page.text, _text(page.text)[:600]
    return page


def test_the_history_shows_each_versions_changes_and_dates_in_words(client, folder):
    path = folder / "minimal.yaml"
    path.write_text(path.read_text().replace("type: pre_birth_planning}",
                                             "type: pre_birth_planning, attendees: [{name: Jo Example, role: mother}]}"))
    pid = plan_id(client, "minimal.yaml")
    _review(client, pid)
    path.write_text(path.read_text().replace("{date: 2027-01-10, type: pre_birth_planning,",
                                             "{date: 2027-02-20, type: initial_conference,")
                    .replace("place_of_birth: Sunderland Royal Hospital", "place_of_birth: Ward 12"))
    history = _review(client, pid).text
    table = history.split('<table class="govuk-table">')[1].split("</table>")[0]
    cells = _text(re.sub(r"<details.*?</details>", "", table, flags=re.S))  # the diff's own words aside
    assert "2027-02-20" not in cells and "20 February 2027" in cells and "10 January 2027" in cells
    assert "initial conference" not in cells and "nitial child protection conference" in cells
    details = re.findall(r'<details class="govuk-details[^"]*">(.*?)</details>', table, re.S)
    assert len(details) == 1  # version 2: version 1 is the first
    detail = _text(details[0])
    assert "3 change(s)" in detail
    # each change as `birthplan diff` words it
    from birthplan import history

    for change in history.compare(path, "1", "2").changes:
        assert change.describe().split(": ", 1)[1] in detail, detail


def test_the_welsh_history_names_fields_in_welsh_and_marks_the_diffs_english(client, folder):
    pid = plan_id(client, "swansea-full.yaml")
    path = folder / "swansea-full.yaml"
    text = path.read_text()
    meeting = re.search(r"meeting:.*?date: (\S+)", text, re.S)
    assert meeting
    day = dt.date.fromisoformat(meeting.group(1))
    _review(client, pid)
    new_day = day.replace(day=day.day % 27 + 1)
    path.write_text(text.replace(meeting.group(1), new_day.isoformat(), 1))
    history = _review(client, pid).text
    table = history.split('<table class="govuk-table">')[1].split("</table>")[0]
    assert "cynllun > cyfarfod > dyddiad y cyfarfod" in _text(table).lower()  # the pack's Welsh label for plan > meeting > meeting date
    assert '<span lang="en">changed from' in table


# -- 2: who attended the review --------------------------------------------------------------


def test_the_review_shows_who_attended_from_the_plan_and_links_to_where_it_is_changed(client, folder):
    pid = plan_id(client, "sunderland-full.yaml")
    page = client.get(f"/plan/{pid}/review").text
    assert '<textarea class="govuk-textarea" id="attendees"' not in page  # nothing to type that would be refused
    shown = _text(page.split('id="attendees"')[1].split("</ul>")[0])
    from birthplan.load import load_plan

    for person in load_plan(folder / "sunderland-full.yaml").data["plan"]["meeting"]["attendees"]:
        assert person["name"] in shown
    assert f'href="/plan/{pid}/section/plan#f-plan-meeting-attendees"' in page
    # the link lands on the attendees list of the plan's page
    assert 'id="f-plan-meeting-attendees"' in client.get(f"/plan/{pid}/section/plan").text


def test_a_review_of_a_plan_that_lists_nobody_says_where_to_add_them_in_the_forms_words(client, folder):
    pid = plan_id(client, "minimal.yaml")
    refused = client.post(f"/plan/{pid}/review", data={
        "csrf_token": client.secrets.csrf, "attendees": "Amy Midwife, Community midwife, STSFT"})
    assert refused.status_code == 400
    words = _text(re.search(r'govuk-error-summary__body">(.*?)</div>', refused.text, re.S).group(1))
    assert "does not list who attended" in words
    assert "plan > meeting" not in words and ".yaml" not in words and "give each as" not in words
    assert not (folder / "minimal.yaml.history").exists() or not list((folder / "minimal.yaml.history").glob("v*.json"))


# -- 7: the Welsh interface ------------------------------------------------------------------


def test_the_welsh_interface_counts_characters_and_names_the_council_in_welsh(client):
    page = client.get(f"/plan/{plan_id(client, 'swansea-full.yaml')}/section/wishes?lang=cy").text
    counter = re.search(r'<div class="[^"]*govuk-character-count"[^>]*>', page).group(0)
    assert 'data-i18n.characters-under-limit.other="Mae gennych %{count} nod ar ôl"' in counter
    assert 'data-i18n.characters-under-limit.few=' in counter  # Welsh plural forms, all given
    assert "characters remaining" not in page
    header = re.search(r'<span class="bp-header__authority">([^<]+)</span>', page).group(1)
    assert header == "Cyngor Abertawe (pecyn templed)"
    english = client.get(f"/plan/{plan_id(client, 'swansea-full.yaml')}/section/wishes?lang=en").text
    assert "Swansea Council (template pack)" in english
    assert 'data-i18n.characters-under-limit.other="You have %{count} characters remaining"' in english


def test_welsh_hints_are_shown_and_marked_english_until_the_pack_gives_its_own(client):
    page = client.get(f"/plan/{plan_id(client, 'swansea-full.yaml')}/section/people?lang=cy").text
    hints = re.findall(r'<div id="[^"]+-hint" class="govuk-hint">\s*<span([^>]*)>', page)
    assert hints and all('lang="en"' in attributes for attributes in hints if "bp-seen-by" not in attributes)


def test_a_review_of_a_plan_with_problems_names_the_pages_not_file_lines(client, folder):
    assert _new_plan(client, "sunderland", "TFC-2027-0500").status_code == 200
    pid = plan_id(client, "TFC-2027-0500.yaml")
    refused = client.post(f"/plan/{pid}/review", data={"csrf_token": client.secrets.csrf})
    assert refused.status_code == 400
    box = re.search(r'govuk-error-summary__body">(.*?)</div>', refused.text, re.S).group(1)
    assert "no version was recorded" in _text(box)
    assert ".yaml" not in box and "run the review" not in box and "error:" not in box
    assert f'href="/plan/{pid}/section/people"' in box and f'href="/plan/{pid}/section/at_birth"' in box


def test_the_review_shows_the_plans_meeting_date_and_type_with_links_to_change_them(client, folder):
    """The review form let the date and meeting type be typed, and the library then refused
    any that differed from the plan's: they are shown from the plan now, in words, each with
    a Change link (naming what it changes, for screen readers) to its field on the plan's page."""
    for name, lang, date, meeting, change, hidden in (
            ("swansea-full.yaml", "cy", "3 Chwefror 2027", "Cyfarfod cynllunio cyn geni", "Newid",
             "dyddiad y cyfarfod"),
            ("sunderland-full.yaml", "en", "14 January 2027", "Core group meeting", "Change", "meeting date")):
        pid = plan_id(client, name)
        page = client.get(f"/plan/{pid}/review?lang={lang}").text
        form = page.split('<form method="post" action="/plan/')[1].split("</form>")[0]
        assert not re.search(r'name="(date\.day|date\.month|date\.year|type)"', form)  # nothing to type
        assert '<textarea class="govuk-textarea" id="summary" name="summary"' in form  # the summary is
        details = form.split('id="meeting-details"')[1].split("</dl>")[0]
        assert date in _text(details) and meeting in _text(details), _text(details)
        assert (f'<a class="govuk-link" href="/plan/{pid}/section/plan#f-plan-meeting-date">{change}'
                f'<span class="govuk-visually-hidden"> {hidden}</span></a>') in details
        assert f'href="/plan/{pid}/section/plan#f-plan-meeting-type"' in details
        plan_page = client.get(f"/plan/{pid}/section/plan").text  # each link lands on its field
        assert 'id="f-plan-meeting-date"' in plan_page and 'id="f-plan-meeting-type"' in plan_page
    # a date and type posted anyway are not read: the version records the plan's meeting
    pid = plan_id(client, "sunderland-full.yaml")
    recorded = client.post(f"/plan/{pid}/review", data={
        "csrf_token": client.secrets.csrf, "date.day": "1", "date.month": "1", "date.year": "2027",
        "type": "initial_conference", "summary": "Agreed as written."})
    assert recorded.status_code == 200 and "Recorded version 1" in recorded.text
    from birthplan import history

    (version,) = history.list_versions(folder / "sunderland-full.yaml")
    assert (version.review_date, version.meeting_type) == ("2027-01-14", "core_group")


def test_a_review_of_a_plan_without_its_meeting_date_or_type_says_where_to_add_them(client, folder):
    path = folder / "sunderland-full.yaml"
    path.write_text(path.read_text().replace("    date: 14/01/2027\n    type: core_group\n", "", 1))
    pid = plan_id(client, "sunderland-full.yaml")
    page = client.get(f"/plan/{pid}/review").text
    assert _text(page.split('id="meeting-details"')[1].split("</dl>")[0]).count("Not answered") == 2
    refused = client.post(f"/plan/{pid}/review", data={"csrf_token": client.secrets.csrf})
    assert refused.status_code == 400
    box = re.search(r'govuk-error-summary__body">(.*?)</div>', refused.text, re.S).group(1)
    assert "does not give the meeting's date or type" in _text(box)
    assert f'<a href="/plan/{pid}/section/plan#f-plan-meeting-date">Meeting date</a>' in box
    assert f'<a href="/plan/{pid}/section/plan#f-plan-meeting-type">Meeting type</a>' in box
    assert ".yaml" not in box and "plan > meeting" not in box and "--" not in box
    recorded = folder / "sunderland-full.yaml.history"
    assert not recorded.exists() or not list(recorded.glob("v*.json"))
