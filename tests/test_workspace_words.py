"""The words on the workspace's pages, as a user's trial found them.

Each test drives the app as a browser with JavaScript off would (tests/workspace_client.py)
and reads the page a social worker and parents would read in the meeting room.
"""

from __future__ import annotations

import html
import re

import pytest

from tests.workspace_client import cases_folder, make_client, plan_id


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


def test_the_every_copy_button_says_exactly_what_the_zip_holds(client):
    import io
    import zipfile

    pid = plan_id(client, "minimal.yaml")
    page = client.get(f"/plan/{pid}/documents").text
    link = re.search(r'<a class="govuk-link" href="/plan/\w+/download-all\?language=en"[^>]*>(.*?)</a>', page, re.S)
    words = _text(link.group(1))
    assert "every copy" not in words.lower()
    assert "standard" in words and "PDF and Word" in words
    names = zipfile.ZipFile(io.BytesIO(client.get(f"/plan/{pid}/download-all?language=en").content)).namelist()
    assert not any("large" in name or "easy" in name for name in names)  # as the button says
    assert {name.rsplit(".", 1)[1] for name in names} == {"pdf", "docx"}
