"""Saving from the workspace loses nothing: two tabs, empty list items, Add, Discard.

Each test replays what a user did in a trial, through the app as a browser with
JavaScript off would (GET a page, post its form back), and reads the plan file.
"""

from __future__ import annotations

import pytest

from birthplan.load import load_plan
from tests.workspace_client import cases_folder, form_fields, make_client, plan_id, post_form


@pytest.fixture
def folder(tmp_path):
    return cases_folder(tmp_path, "minimal")


@pytest.fixture
def client(folder):
    return make_client(folder)


def _url(client, section: str) -> str:
    return f"/plan/{plan_id(client, 'minimal.yaml')}/section/{section}"


def _text(value) -> str | None:
    return value["text"] if isinstance(value, dict) else value


def test_a_save_from_a_stale_tab_never_undoes_another_tabs_saved_change(client, folder):
    url = _url(client, "wishes")
    tab_a = form_fields(client.get(url).text)
    tab_b = form_fields(client.get(url).text)
    post_form(client, url, tab_a, "check", {"wishes.birth_partners": "TAB A partners 2"})
    # B still shows the old partners (its page was rendered before A's edit).
    assert post_form(client, url, tab_a, "save", {"wishes.birth_partners": "TAB A partners 2"}).status_code == 200
    assert _text(load_plan(folder / "minimal.yaml").data["wishes"]["birth_partners"]) == "TAB A partners 2"
    page = post_form(client, url, tab_b, "save", {"wishes.photos": "TAB B photos 2"}).text
    wishes = load_plan(folder / "minimal.yaml").data["wishes"]
    assert _text(wishes["birth_partners"]) == "TAB A partners 2"  # A's saved change is not undone
    if "Saved. The plan file was written." in page:  # merged: both changes are in the file
        assert _text(wishes.get("photos")) == "TAB B photos 2"
    else:  # refused: says what changed, keeps B's edit, and the page now shows both
        assert "TAB A partners 2" in page and "changed since" in page
        assert "TAB B photos 2" in page
        post_form(client, url, form_fields(page), "save")
        wishes = load_plan(folder / "minimal.yaml").data["wishes"]
        assert _text(wishes["birth_partners"]) == "TAB A partners 2"
        assert _text(wishes["photos"]) == "TAB B photos 2"


def test_a_stale_form_never_overwrites_newer_draft_values_of_fields_it_did_not_change(client, folder):
    url = _url(client, "wishes")
    tab_a = form_fields(client.get(url).text)
    tab_b = form_fields(client.get(url).text)
    post_form(client, url, tab_a, "check", {"wishes.birth_partners": "TAB A partners 2"})
    live = f"{url.replace('/section/', '/live/')}?audience=parent"
    answer = client.post(live, data={**tab_b, "wishes.photos": ["TAB B photos 2"]}).json()
    assert answer["stale"] is True  # the page says so as it is typed into, before Save refuses
    draft = client.workspace.drafts[plan_id(client, "minimal.yaml")].data["wishes"]
    assert _text(draft["birth_partners"]) == "TAB A partners 2"
    assert _text(draft["photos"]) == "TAB B photos 2"
    # Both change the same field: nothing is overwritten silently, and B's words are shown back.
    tab_b = form_fields(client.get(url).text)
    tab_c = form_fields(client.get(url).text)  # a third tab, opened at the same moment
    post_form(client, url, tab_b, "check", {"wishes.feeding": "Breast feeding, says B"})
    page = post_form(client, url, tab_c, "save", {"wishes.feeding": "Bottle feeding, says C"}).text
    assert "Bottle feeding, says C" in page and "Breast feeding, says B" in page
    assert "feeding" not in (load_plan(folder / "minimal.yaml").data.get("wishes") or {})


def test_an_empty_item_added_on_one_page_is_not_written_by_a_save_on_another(client, folder):
    visitors = _url(client, "visitors")
    page = post_form(client, visitors, form_fields(client.get(visitors).text), "add:visitors.difficult_behaviour").text
    assert 'name="visitors.difficult_behaviour.0.name"' in page
    wishes = _url(client, "wishes")
    page = post_form(client, wishes, form_fields(client.get(wishes).text), "save",
                     {"wishes.feeding": "Bottle feeding"}).text
    assert "Saved. The plan file was written." in page and "The plan has no problems." in page
    text = (folder / "minimal.yaml").read_text()
    assert "{}" not in text and "difficult_behaviour" not in text and "visitors" not in text
    # The empty item is still in the draft, to be filled in.
    again = client.get(visitors).text
    assert 'name="visitors.difficult_behaviour.0.name"' in again


def test_each_add_adds_a_row_and_empty_rows_stay_until_removed_or_saved(client, folder):
    url = _url(client, "at_birth")
    page = post_form(client, url, form_fields(client.get(url).text), "add:at_birth.in_hours").text
    page = post_form(client, url, form_fields(page), "add:at_birth.in_hours").text
    assert 'name="at_birth.in_hours.1.who"' in page
    page = post_form(client, url, form_fields(page), "add:at_birth.out_of_hours").text
    assert 'name="at_birth.in_hours.1.who"' in page and 'name="at_birth.out_of_hours.0.who"' in page
    fields = form_fields(page)
    fields.update({"at_birth.in_hours.1.who": ["Duty social worker"], "at_birth.in_hours.1.phone": ["01632 960123"]})
    post_form(client, url, fields, "save")
    at_birth = load_plan(folder / "minimal.yaml").data["at_birth"]
    assert at_birth == {"in_hours": [{"who": "Duty social worker", "phone": "01632 960123"}], "out_of_hours": []}


def test_discard_asks_first_and_says_how_many_pages_it_throws_away(client, folder):
    before = (folder / "minimal.yaml").read_bytes()
    wishes, people = _url(client, "wishes"), _url(client, "people")
    post_form(client, wishes, form_fields(client.get(wishes).text), "check", {"wishes.feeding": "Bottle feeding"})
    page = post_form(client, people, form_fields(client.get(people).text), "check",
                     {"people.baby_surname": "Example"}).text
    assert '<h2 class="govuk-notification-banner__title" id="unsaved-title">Unsaved changes</h2>' in page
    confirm = post_form(client, people, form_fields(page), "discard")
    assert "Discard your unsaved changes to 2 pages?" in confirm.text
    assert "Bottle feeding" in client.get(wishes).text  # nothing discarded yet
    assert f'href="{people}"' in confirm.text  # Go back: to the page it was pressed on
    pid = plan_id(client, "minimal.yaml")
    client.post(f"/plan/{pid}/discard", data={"csrf_token": client.secrets.csrf, "back": "people"})
    assert "Bottle feeding" not in client.get(wishes).text
    assert form_fields(client.get(people).text).get("people.baby_surname", [""]) == [""]
    assert (folder / "minimal.yaml").read_bytes() == before
