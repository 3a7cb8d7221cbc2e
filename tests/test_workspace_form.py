"""The workspace form is the schema, and Save keeps the YAML the author wrote.

Each test drives the workspace the way a browser with JavaScript off would:
GET a page, post its form back with some fields changed, read the plan file.
"""

from __future__ import annotations

import copy
import difflib
import json
import stat

import pytest

from birthplan import tree
from birthplan.load import load_plan
from birthplan.resources import plan_schema
from birthplan.validate import load_and_validate
from tests.workspace_client import EXAMPLES, cases_folder, form_fields, make_client, plan_id, post_form


@pytest.fixture
def folder(tmp_path):
    return cases_folder(tmp_path, "sunderland-full", "swansea-full", "minimal")


@pytest.fixture
def client(folder):
    return make_client(folder)


def _section_url(client, name: str, section: str) -> str:
    return f"/plan/{plan_id(client, name)}/section/{section}"


def _changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_the_parents_wishes_come_first_and_every_section_has_a_page(client):
    schema = plan_schema()
    sections = [key for key in schema["properties"] if key != "schema_version"]
    home = client.get(f"/plan/{plan_id(client, 'sunderland-full.yaml')}", follow_redirects=False)
    assert home.headers["location"].endswith("/section/wishes")
    page = client.get(_section_url(client, "sunderland-full.yaml", "wishes")).text
    nav = page.split('aria-label="Sections"')[1].split("</nav>")[0]
    order = [line.split("/section/")[1].split('"')[0] for line in nav.splitlines() if "/section/" in line]
    assert order[0] == "wishes" and sorted(order) == sorted(sections)
    for section in sections:
        assert client.get(_section_url(client, "sunderland-full.yaml", section)).status_code == 200, section


def test_every_value_of_the_full_example_is_in_the_form(client):
    """Nothing the plan holds is hidden from the people editing it."""
    data = load_plan(EXAMPLES / "sunderland-full.yaml").data
    posted = {}
    for section in data:
        if section == "schema_version":
            continue
        posted.update(form_fields(client.get(_section_url(client, "sunderland-full.yaml", section)).text))
    for path, value in tree.nodes(data):
        if isinstance(value, (dict, list)) or path[0] == "schema_version":
            continue
        name = ".".join(map(str, path))
        if path[-1] == "text":  # a free-text item written as a mapping: its words are the field
            name = name.rsplit(".", 1)[0]
        elif path[-1] in ("third_party", "share_with") or isinstance(path[-1], int) and path[-2] == "share_with":
            continue
        if isinstance(path[-1], int) and not isinstance(value, dict) and name.rsplit(".", 1)[0] in posted:
            name = name.rsplit(".", 1)[0]  # a list of choices: one checkbox name
        if name + ".day" in posted:  # a date input
            year, month, day = value.split("-")
            assert posted[name + ".day"] == [str(int(day))] and posted[name + ".year"] == [year], name
            continue
        wanted = {True: "true", False: "false"}.get(value, str(value)) if isinstance(value, bool) else str(value)
        assert wanted in posted.get(name, []), (name, posted.get(name))


def test_a_field_added_to_the_schema_appears_without_new_code(folder):
    schema = copy.deepcopy(plan_schema())
    schema["properties"]["wishes"]["properties"]["music"] = {
        "title": "Music during labour", "description": "What they would like to hear.", "$ref": "#/$defs/text"}
    schema["properties"]["wishes"]["properties"]["birth_pool"] = {
        "title": "Birth pool", "type": "boolean"}
    schema["properties"]["aftercare"] = {"title": "Aftercare", "type": "object", "properties": {
        "visit_date": {"title": "First home visit", "$ref": "#/$defs/date"},
        "who": {"title": "Who visits", "enum": ["midwife", "health_visitor"]}}}
    client = make_client(folder, schema=schema)
    page = client.get(_section_url(client, "minimal.yaml", "wishes")).text
    assert "Music during labour" in page and 'name="wishes.music"' in page
    assert "What they would like to hear." in page
    assert 'name="wishes.birth_pool" type="radio" value="true"' in page
    aftercare = client.get(_section_url(client, "minimal.yaml", "aftercare")).text
    assert 'name="aftercare.visit_date.day"' in aftercare and 'value="health_visitor"' in aftercare


def test_fields_take_the_form_their_schema_asks_for(client):
    page = client.get(_section_url(client, "sunderland-full.yaml", "people")).text
    assert 'class="govuk-date-input" id="f-people-mother-due_date"' in page
    assert 'name="people.mother.due_date.day" type="text" inputmode="numeric"' in page
    legal = client.get(_section_url(client, "sunderland-full.yaml", "legal_status")).text
    assert 'name="legal_status.stage" type="radio" value="pre_proceedings" checked' in legal
    communication = client.get(_section_url(client, "sunderland-full.yaml", "communication")).text
    assert 'name="communication.formats" type="checkbox" value="easy_read" checked' in communication
    assert 'name="communication.interpreter" type="radio" value="false" checked' in communication
    wishes = client.get(_section_url(client, "sunderland-full.yaml", "wishes")).text
    assert 'data-module="govuk-character-count"' in wishes and "Who sees this" in wishes
    concerns = client.get(_section_url(client, "sunderland-full.yaml", "concerns")).text
    assert "Seen by: Professionals" in concerns  # x-audiences, in words


def test_save_changes_only_the_line_that_changed_and_keeps_the_file_owner_only(client, folder):
    """A hand-commented plan edited in the workspace: the diff is the one line."""
    path = folder / "sunderland-full.yaml"
    before = path.read_text(encoding="utf-8")
    url = _section_url(client, "sunderland-full.yaml", "wishes")
    fields = form_fields(client.get(url).text)
    response = post_form(client, url, fields, "save", {"wishes.vitamin_k": "Drops by mouth."})
    assert response.status_code == 200 and "Saved" in response.text
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(before, after) == ["-  vitamin_k: Injection.", "+  vitamin_k: Drops by mouth."]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_and_validate(path)[1].ok
    # A second page, a date in the author's own style (14/01/2027 stays day-first).
    url = _section_url(client, "sunderland-full.yaml", "plan")
    fields = form_fields(client.get(url).text)
    post_form(client, url, fields, "save", {"plan.meeting.date.day": "15"})
    assert _changed_lines(after, path.read_text(encoding="utf-8")) == ["-    date: 14/01/2027", "+    date: 15/01/2027"]


def test_saving_an_unchanged_page_leaves_the_file_byte_for_byte(client, folder):
    for name in ("sunderland-full.yaml", "swansea-full.yaml", "minimal.yaml"):
        path = folder / name
        before = path.read_bytes()
        for section in ("wishes", "people", "contacts", "visitors", "appointments", "plan"):
            url = _section_url(client, name, section)
            post_form(client, url, form_fields(client.get(url).text), "save")
        assert path.read_bytes() == before, name


def test_the_same_messages_as_validate_appear_at_the_field(client, folder):
    url = _section_url(client, "sunderland-full.yaml", "people")
    fields = form_fields(client.get(url).text)
    page = post_form(client, url, fields, "check", {"people.mother.nhs_number": "12345",
                                                   "people.mother.due_date.day": "31",
                                                   "people.mother.due_date.month": "2"}).text
    # What birthplan validate says about the same values in a file:
    broken = folder / "broken.yaml"
    text = (folder / "sunderland-full.yaml").read_text().replace("999 000 0018", '"12345"')
    broken.write_text(text)
    messages = [p.message for p in load_and_validate(broken)[1].errors]
    assert messages and all(message in page for message in messages)
    assert 'id="f-people-mother-nhs_number-error"' in page and "govuk-form-group--error" in page
    assert 'href="#f-people-mother-nhs_number"' in page  # the error summary links to the field
    assert "not a real date: February 2027 has no day 31" in page and 'href="#f-people-mother-due_date-day"' in page
    assert (folder / "sunderland-full.yaml").read_text().count("999 000 0018") == 1  # a check saves nothing


def test_an_edit_in_progress_survives_a_reload_and_can_be_discarded(client, folder):
    path = folder / "minimal.yaml"
    before = path.read_bytes()
    url = _section_url(client, "minimal.yaml", "wishes")
    post_form(client, url, form_fields(client.get(url).text), "check", {"wishes.feeding": "Bottle feeding"})
    reloaded = client.get(url).text
    assert "Bottle feeding" in reloaded and "unsaved changes" in reloaded
    assert path.read_bytes() == before
    confirm = post_form(client, url, form_fields(reloaded), "discard").text  # asks first
    assert "Discard your unsaved changes to 1 page?" in confirm and "Bottle feeding" in client.get(url).text
    client.post(url.replace("/section/wishes", "/discard"), data={"csrf_token": client.secrets.csrf, "back": "wishes"})
    assert "Bottle feeding" not in client.get(url).text


def test_save_refuses_when_the_file_changed_on_disk_and_says_what_changed(client, folder):
    path = folder / "minimal.yaml"
    url = _section_url(client, "minimal.yaml", "people")
    fields = form_fields(client.get(url).text)
    post_form(client, url, fields, "check", {"people.baby_surname": "Example"})
    # Meanwhile someone edits the file in a text editor.
    edited = path.read_text().replace("Sunderland Royal Hospital", "Royal Victoria Infirmary")
    path.write_text(edited)
    page = post_form(client, url, form_fields(client.get(url).text), "save").text
    assert "The plan file changed since you opened it" in page
    assert "Royal Victoria Infirmary" in page  # what changed, in words
    assert path.read_text() == edited  # nothing overwritten
    assert "Example" in client.get(url).text  # and the edit in progress is kept


def test_lists_can_be_added_to_reordered_and_removed(client, folder):
    url = _section_url(client, "sunderland-full.yaml", "contacts")
    fields = form_fields(client.get(url).text)
    page = post_form(client, url, fields, "add:contacts").text
    assert 'name="contacts.8.name"' in page
    fields = form_fields(page)
    fields.update({"contacts.8.role": ["gp"], "contacts.8.name": ["Dr New Example"],
                   "contacts.8.phone": ["01632 960777"]})
    page = post_form(client, url, fields, "up:contacts.8").text
    fields = form_fields(page)
    assert fields["contacts.7.name"] == ["Dr New Example"]
    page = post_form(client, url, fields, "remove:contacts.0").text
    post_form(client, url, form_fields(page), "save")
    contacts = load_plan(folder / "sunderland-full.yaml").data["contacts"]
    assert [c["name"] for c in contacts][-2:] == ["Dr New Example", "Priya Raman"]
    assert contacts[0]["role"] == "team_manager" and len(contacts) == 8


def test_free_text_can_be_marked_third_party_and_shared_with_fewer_copies(client, folder):
    url = _section_url(client, "minimal.yaml", "concerns")
    fields = form_fields(client.get(url).text)
    post_form(client, url, fields, "save", {
        "concerns.parent_summary": "Worries shared by the neighbour.",
        "concerns.parent_summary.__third_party": "true"})
    url = _section_url(client, "minimal.yaml", "wishes")
    post_form(client, url, form_fields(client.get(url).text), "save", {
        "wishes.photos": "No photos on the delivery suite.",
        "wishes.photos.__share": ["professional", "parent"]})
    data = load_plan(folder / "minimal.yaml").data
    assert data["concerns"]["parent_summary"] == {"text": "Worries shared by the neighbour.", "third_party": True}
    assert data["wishes"]["photos"] == {"text": "No photos on the delivery suite.",
                                        "share_with": ["professional", "parent"]}
    pid = plan_id(client, "minimal.yaml")
    parent = client.get(f"/plan/{pid}/preview/parent").text
    sheet = client.get(f"/plan/{pid}/preview/delivery_suite").text
    assert "neighbour" not in parent and "No photos" not in sheet
    assert "No photos" in parent
    page = client.get(f"/plan/{pid}/section/concerns?audience=parent").text
    withheld = page.split('id="withheld"')[1].split("</ul>")[0]
    assert "Concerns &gt; concerns in plain words" in withheld or "Concerns" in withheld


def test_the_live_check_answers_with_the_problems_at_each_field(client):
    pid = plan_id(client, "minimal.yaml")
    url = f"/plan/{pid}/section/people"
    fields = form_fields(client.get(url).text)
    fields["people.mother.nhs_number"] = ["12"]
    response = client.post(f"/plan/{pid}/live/people?audience=parent", data=fields)
    result = response.json()
    assert "people.mother.nhs_number" in result["errors"]
    assert result["total"] == 1 and result["unsaved"] is True
    assert "12" in client.get(url).text  # the live check kept the draft


def test_a_new_plan_starts_from_nothing_and_reports_what_it_needs(client, folder):
    page = client.get("/new/sunderland")
    assert page.status_code == 200
    refused = client.post("/new/sunderland", data={"case_reference": "Jo Bloggs", "csrf_token": client.secrets.csrf})
    assert refused.status_code == 400 and "letters, digits and hyphens" in refused.text
    created = client.post("/new/sunderland", data={"case_reference": "TFC-2027-0500",
                                                   "csrf_token": client.secrets.csrf})
    assert created.status_code == 200
    path = folder / "TFC-2027-0500.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_plan(path).data["plan"] == {"authority": "sunderland", "nation": "england",
                                            "case_reference": "TFC-2027-0500"}
    assert "Problems on other pages" in created.text
    again = client.post("/new/sunderland", data={"case_reference": "TFC-2027-0500",
                                                 "csrf_token": client.secrets.csrf})
    assert again.status_code == 400 and "already exists" in again.text


def test_the_swansea_pack_gets_a_welsh_interface(client):
    page = client.get(_section_url(client, "swansea-full.yaml", "people")).text
    assert '<html lang="cy"' in page and ">Cadw<" in page and "Dyddiad disgwyl y babi" in page
    english = client.get(_section_url(client, "swansea-full.yaml", "people") + "?lang=en").text
    assert '<html lang="en"' in english and ">Save<" in english


def test_the_welsh_words_cover_every_english_one():
    from birthplan.workspace.words import ENGLISH, WELSH

    assert set(WELSH) == set(ENGLISH)


def _minimal_with_attendees(folder) -> None:
    """Who came to the meeting, in the plan (the review takes them from it)."""
    path = folder / "minimal.yaml"
    path.write_text(path.read_text().replace(
        "{date: 2027-01-10, type: pre_birth_planning}",
        "{date: 2027-01-10, type: pre_birth_planning, attendees: [{name: Jo Example, role: mother}, "
        "{name: Alex Sample, role: community midwife, agency: NHS}]}"))


def test_reviews_sent_copies_and_documents_from_the_workspace(client, folder):
    _minimal_with_attendees(folder)
    pid = plan_id(client, "minimal.yaml")
    review = client.get(f"/plan/{pid}/review").text
    assert "10 January 2027" in review  # the plan's meeting
    response = client.post(f"/plan/{pid}/review", data={"csrf_token": client.secrets.csrf})
    assert response.status_code == 200 and "Recorded version 1" in response.text
    response = client.post(f"/plan/{pid}/history", data={
        "csrf_token": client.secrets.csrf, "recipient": "Named midwife", "version": "1",
        "date.day": "11", "date.month": "1", "date.year": "2027"})
    assert "Logged" in response.text and "Named midwife" in response.text
    sent = (folder / "minimal.yaml.history" / "sent.jsonl").read_text()
    assert json.loads(sent.splitlines()[0])["recipient"] == "Named midwife"
    status = client.get("/").text
    assert "minimal.yaml" in status
    download = client.get(f"/plan/{pid}/download/parent/html")
    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith('attachment; filename="TFC-2027-0001_parent_v1')
    assert "Jo Example" in download.text
    easy_read = client.get(f"/plan/{pid}/download/parent/html?language=en&form=easy_read")
    assert easy_read.status_code == 200 and "easy-read" in easy_read.headers["content-disposition"]
    documents = client.get(f"/plan/{pid}/documents").text
    assert "form=easy_read" in documents and "form=large_print" in documents
    import io
    import zipfile

    every = client.get(f"/plan/{pid}/download-all?language=en")
    assert every.headers["content-disposition"].startswith('attachment; filename="TFC-2027-0001_copies_en.zip"')
    names = sorted(zipfile.ZipFile(io.BytesIO(every.content)).namelist())
    assert names == sorted(f"TFC-2027-0001_{who}_v1.{fmt}" for who in ("professional", "delivery-suite", "parent")
                           for fmt in ("pdf", "docx"))


def test_a_review_with_nothing_changed_shows_the_librarys_words(client, folder):
    """A second review of an unchanged plan is refused; the page says so in words that suit
    a form (no command-line options, no absolute path of the caseload folder)."""
    _minimal_with_attendees(folder)
    pid = plan_id(client, "minimal.yaml")
    review = {"csrf_token": client.secrets.csrf}
    assert "Recorded version 1" in client.post(f"/plan/{pid}/review", data=review).text
    again = client.post(f"/plan/{pid}/review", data=review)
    assert again.status_code == 400
    assert "nothing has changed since version 1, agreed on 10 January 2027: nothing recorded" in again.text
    assert str(folder) not in again.text and "--" not in again.text.split("govuk-error-summary")[1][:2000]
    # a date posted anyway is not read: the review's date is the plan's
    other_date = client.post(f"/plan/{pid}/review", data={**review, "date.day": "9", "date.month": "1",
                                                          "date.year": "2027"})
    assert "nothing has changed since version 1" in other_date.text


def test_the_plan_list_shows_each_plans_case_reference_and_dates_in_words(client):
    """The list showed the file name under "Case reference", and ISO dates."""
    import re

    home = client.get("/").text
    body = home.split('<tbody class="govuk-table__body">')[1].split("</tbody>")[0]
    rows = {re.search(r'<a class="govuk-link" href="/plan/\w+">([^<]+)</a>', row).group(1): row
            for row in body.split('<tr class="govuk-table__row">')[1:]}
    assert set(rows) == {"TFC-2027-0001", "TFC-2027-0193", "SWA-2027-0042"}, sorted(rows)
    minimal = rows["TFC-2027-0001"]
    assert "minimal.yaml" in minimal  # the file, for telling plans apart
    assert ">1 May 2027<" in minimal and "2027-05-01" not in body
    welsh = client.get("/?lang=cy").text
    assert "1 Mai 2027" in welsh


def test_the_review_page_shows_the_plans_warnings_before_anyone_agrees_it(tmp_path):
    """`birthplan review` prints the plan's warnings before it records; the workspace's review
    page did not show them, so the meeting agreed a version for good without seeing them."""
    from markupsafe import escape

    from birthplan.workspace.words import ENGLISH, WELSH

    folder = cases_folder(tmp_path, "swansea-full", "minimal")
    plan = folder / "swansea-full.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "  feeding: Bwydo o'r fron. (Breastfeeding.)",
        "  feeding:\n    text: Bwydo o'r fron. (Breastfeeding.)\n    share_with: [professional]"),
        encoding="utf-8")
    _, report = load_and_validate(plan)
    assert report.warnings and not report.errors
    client = make_client(folder)
    pid = plan_id(client, "swansea-full.yaml")
    page = client.get(f"/plan/{pid}/review?lang=en").text
    warnings = page.split('id="review-warnings"')[1].split("</ul>")[0]
    for problem in report.warnings:  # each one, in validate's words, linked to its page
        assert escape(problem.message) in warnings and escape(problem.field) in warnings
    assert f'href="/plan/{pid}/section/wishes"' in warnings
    # GOV.UK warning text: an icon and words ("Warning"), never colour alone; before the form
    assert page.index('class="govuk-warning-text"') < page.index('id="review-warnings"') \
        < page.index('<form method="post" action="/plan/')
    assert escape(ENGLISH["review_warnings"].format(count=len(report.warnings))) in page
    # the Swansea pack's Welsh interface says it in Welsh
    welsh = client.get(f"/plan/{pid}/review?lang=cy").text
    for key in ("review_warnings_title", "review_warnings", "warning_prefix"):
        assert escape(WELSH[key].format(count=len(report.warnings))) in welsh, key
    assert 'id="review-warnings" lang="en"' in welsh  # validate's words are English
    # a plan without warnings shows none; the warnings do not stop the review
    assert 'id="review-warnings"' not in client.get(f"/plan/{plan_id(client, 'minimal.yaml')}/review").text
    recorded = client.post(f"/plan/{pid}/review", data={
        "csrf_token": client.secrets.csrf})  # the meeting's date, type and who attended: the plan's
    assert recorded.status_code == 200 and WELSH["recorded"].format(n=1) in recorded.text  # still Welsh
    assert (folder / "swansea-full.yaml.history" / "v0001.json").exists()


def test_the_plan_list_says_no_version_is_agreed_when_every_review_was_entered_in_error(client, folder):
    """The home page said "Never reviewed" for a plan whose only version was entered in
    error, while `birthplan status` said "no agreed version (version 1 was entered in error)"."""
    from birthplan import history

    plan = folder / "minimal.yaml"
    history.record_review(plan, attendees=["Jo Example, mother"])
    history.mark_entered_in_error(plan, 1, "recorded for the wrong family", "Priya Raman")

    def row(html: str) -> str:
        return next(row for row in html.split('<tr class="govuk-table__row">') if "minimal.yaml" in row)

    english = row(client.get("/?lang=en").text)
    assert "No agreed version (version 1 was entered in error)" in english
    assert "Never reviewed" not in english
    welsh = row(client.get("/?lang=cy").text)
    assert "Dim fersiwn wedi&#39;i chytuno (cafodd fersiwn 1 ei chofnodi trwy gamgymeriad)" in welsh
    assert "Heb ei adolygu" not in welsh
    never = next(row for row in client.get("/?lang=en").text.split('<tr class="govuk-table__row">')
                 if "swansea-full.yaml" in row)
    assert "Never reviewed" in never  # a plan with no review at all still says so


def test_logging_a_copy_for_someone_with_no_deadline_says_so(client, folder):
    """As `birthplan sent` does: a copy to someone the plan does not make the named midwife
    or the parents is logged, with a note that it counts for neither deadline."""
    from birthplan import history

    history.record_review(folder / "sunderland-full.yaml")
    pid = plan_id(client, "sunderland-full.yaml")

    def log(recipient: str, lang: str = "en", pid: str = pid) -> str:
        return client.post(f"/plan/{pid}/history?lang={lang}", data={
            "csrf_token": client.secrets.csrf, "recipient": recipient, "version": "1",
            "date.day": "15", "date.month": "2", "date.year": "2027"}).text

    for recognised in ("Helen Marsh", "Ms Kayleigh Ashworth", "Named midwife"):
        assert "counts for neither deadline" not in log(recognised)
    page = log("Dr <b>Patel</b>")
    assert "Logged." in page
    assert ("&#39;Dr &lt;b&gt;Patel&lt;/b&gt;&#39; is not the named midwife or the parents in the "
            "plan, so this copy counts for neither deadline") in page
    history.record_review(folder / "swansea-full.yaml")
    welsh = log("Kayleigh", "cy", plan_id(client, "swansea-full.yaml"))
    assert "Nid &#39;Kayleigh&#39; yw&#39;r fydwraig enwebedig na&#39;r rhieni" in welsh
