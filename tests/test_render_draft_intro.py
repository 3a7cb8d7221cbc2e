"""The opening line of a draft copy reads as a sentence when the plan has no meeting yet.

A new plan started in the workspace has no meeting date or type: the draft intro read
"It is a draft for the  on : it has not been agreed yet." in every copy and language.
"""

from __future__ import annotations

import copy
import re
from html import unescape

import pytest

from birthplan.load import load_plan
from birthplan.workspace.preview import render_copy
from tests.workspace_client import EXAMPLES


def _intro(html: str) -> str:
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    text = " ".join(text.split())
    found = re.search(r"(This is my birth plan\.[^.]*\.[^.]*\.|Dyma fy nghynllun geni\.[^.]*\.[^.]*\.|"
                      r"The full co-produced plan[^.]*\.|Y cynllun llawn[^.]*\.)", text)
    assert found, text[:400]
    return found.group(0)


def _never_reviewed(tmp_path, example: str):
    path = tmp_path / f"{example}.yaml"
    path.write_bytes((EXAMPLES / f"{example}.yaml").read_bytes())
    return path


@pytest.mark.parametrize("example,language", [("sunderland-full", "en"), ("swansea-full", "en"),
                                               ("swansea-full", "cy")])
@pytest.mark.parametrize("audience", ["parent", "professional"])
def test_a_draft_with_no_meeting_yet_reads_as_a_sentence(tmp_path, example, language, audience):
    data = copy.deepcopy(load_plan(EXAMPLES / f"{example}.yaml").data)
    del data["plan"]["meeting"]
    intro = _intro(render_copy(_never_reviewed(tmp_path, example), data, audience, language))
    # no empty gap where the meeting and its date were: "for the  on :", "ar gyfer  ar ,"
    assert not re.search(r"\b(the|on|ar|gyfer)\s*[:,]|for the on\b|gyfer ar\b", intro), intro
    assert ("draft" in intro or "rafft" in intro), intro


def test_a_draft_with_its_meeting_still_names_it(tmp_path):
    data = load_plan(EXAMPLES / "sunderland-full.yaml").data
    intro = _intro(render_copy(_never_reviewed(tmp_path, "sunderland-full"), data, "parent", "en"))
    assert re.search(r"a draft for the [a-z].* on \d+ \w+ \d{4}: it has not been agreed yet", intro), intro
