"""One cleaning of plan text for every output: documents, calendar and "what changed".

Control characters go (RFC 5545 forbids them in a calendar; Word's XML and
PDFs cannot hold them), and a bidi control that is never closed goes too, so
a right-to-left override pasted into a name cannot reverse the phone number
printed after it. Checked on the rendered pages themselves.
"""

from __future__ import annotations

import re

import pytest

from birthplan.calendar import calendar_for
from birthplan.characters import unpaired_bidi_controls
from birthplan.load import load_plan
from birthplan.render.sanitize import clean_text
from birthplan.validate import load_and_validate
from birthplan.yamlwrite import dump_plan

from .conftest import EXAMPLES, docx_text, one_file, pdf_text, render_into, squash

RLO, PDF, LRI, PDI = "\u202e", "\u202c", "\u2066", "\u2069"
OVERRIDDEN = "Priya Raman" + RLO  # an override nobody closed: it would reverse the rest of the line


@pytest.fixture(scope="module")
def overridden(tmp_path_factory):
    """The Sunderland example with an unclosed override after the name of every person with a phone."""
    folder = tmp_path_factory.mktemp("bidi")
    data = load_plan(EXAMPLES / "sunderland-full.yaml").data
    data["contacts"][0]["name"] = OVERRIDDEN  # social worker, 01632 960101
    data["communication"]["advocate"].update(name="Rachel Dunn" + RLO, phone="01632 960417")
    data["legal_status"]["parents_solicitor"]["name"] = "Amira Hassan" + RLO  # 01632 960733
    plan = folder / "overridden.yaml"
    plan.write_text(dump_plan(data), encoding="utf-8")
    result = render_into(folder / "out", plan, audiences=("delivery_suite", "parent"))
    return plan, result


def test_a_phone_number_after_an_overridden_name_reads_the_same_on_the_page(overridden):
    _, result = overridden
    sheet = squash(pdf_text(one_file(result, "delivery_suite", ".pdf")))  # line breaks aside
    parents = squash(pdf_text(one_file(result, "parent", ".pdf")))
    # the sheet shows the social worker's number under Who to tell, and the advocate's in full
    assert squash("Rachel Dunn, Wearside Parent Advocacy (fictional), 01632 960417") in sheet
    assert "101069" not in sheet and "714069" not in sheet
    assert squash("Rachel Dunn, Wearside Parent Advocacy (fictional), 01632 960417") in parents
    assert squash("Amira Hassan, Hassan & Webb Solicitors (fictional), 01632 960733") in parents
    assert "337069" not in parents and "714069" not in parents
    for path in result.files:
        text = path.read_text(encoding="utf-8") if path.suffix == ".html" else (
            docx_text(path) if path.suffix == ".docx" else pdf_text(path))
        assert RLO not in text, path.name


def test_an_unclosed_bidi_control_is_a_warning_naming_the_field_not_the_text(overridden):
    plan, _ = overridden
    _, report = load_and_validate(plan)
    warnings = [p for p in report.warnings if "right-to-left" in p.message]
    assert {p.field for p in warnings} >= {"Communication > advocate > name"}
    assert all("Rachel" not in p.format() and RLO not in p.format() for p in warnings)


@pytest.mark.parametrize("text, cleaned", [
    ("Raman" + RLO, "Raman"),  # never closed
    (PDF + "Raman", "Raman"),  # closes nothing
    (RLO + "Raman" + PDF, RLO + "Raman" + PDF),  # paired: the writer's own, and it ends inside the value
    (LRI + "a" + RLO + "b" + PDI + "c", LRI + "a" + RLO + "b" + PDI + "c"),  # PDI closes both
    (RLO + "one\ntwo" + PDF, "one\ntwo"),  # a line break ends every embedding
    (PDI + LRI + "x", "x"),
    ("Amal \u0623\u0645\u0644 01632 960101", "Amal \u0623\u0645\u0644 01632 960101"),  # words as written
])
def test_unpaired_bidi_controls_go_and_paired_ones_stay(text, cleaned):
    assert clean_text(text) == cleaned
    assert bool(unpaired_bidi_controls(text)) == (cleaned != text)


def test_the_calendar_writes_only_what_rfc_5545_allows(tmp_path):
    data = load_plan(EXAMPLES / "sunderland-full.yaml").data
    appointment = data["appointments"][0]
    appointment["what"] = "Antenatal\x00 check\x1b[31m\x7f\x85 " + RLO
    appointment["notes_for_parents"] = "Bring\x07 your notes\x9b"
    ics, _ = calendar_for(data)
    # RFC 5545 3.3.11: TEXT holds no CONTROL characters (%x00-08, %x0A-1F, %x7F) but tab;
    # line breaks are written escaped (\n). C1 controls and the unclosed override go as in the documents.
    body = ics.decode("utf-8")
    unfolded = body.replace("\r\n ", "")
    for line in unfolded.split("\r\n"):
        assert not re.search("[\x00-\x08\x0a-\x1f\x7f-\x9f]", line), repr(line)
    assert RLO not in body
    assert "SUMMARY:Antenatal check[31m (Midwifery)" in unfolded
    assert "Notes: Bring your notes" in unfolded


def test_birthplan_diff_prints_changed_words_cleaned_as_the_documents_show_them():
    from birthplan.diff import diff_plans

    (change,) = diff_plans({"wishes": {"feeding": "Breast"}},
                           {"wishes": {"feeding": "Breast\x1b[2J\x1b]0;owned\x07 feeding" + RLO}})
    assert change.describe().endswith("'Breast[2J]0;owned feeding'")
