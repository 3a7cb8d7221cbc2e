"""The delivery-suite sheet as a midwife meets it at 3 a.m.: one A4 page in
PDF and in Word, text no smaller than 10 pt, whether it is the agreed and
current version at the top, the alerts first and whole, and nothing the ward
needs left out."""

from __future__ import annotations

import copy
import re
import subprocess

import pytest
import yaml

from birthplan.audience import view_for
from birthplan.load import load_plan

from .conftest import EXAMPLE_PLANS, EXAMPLES, docx_text, one_file, pdf_text, render_into

MIN_PT = 10
ALERT_HEADING_PT = 13


def _sunderland() -> dict:
    return load_plan(EXAMPLES / "sunderland-full.yaml").data


def _write(folder, data: dict, name: str = "plan.yaml"):
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


# -- who sees what: decided by audience.py, shown by the sheet ----------------------------


def test_a_must_not_visit_reason_reaches_the_ward_unless_it_is_third_party_or_withheld():
    data = _sunderland()
    people = data["visitors"]["must_not_visit"]
    people.append(dict(people[0], name="Ryan Tate", reason="Threatened to take the baby."))
    people.append(dict(people[0], name="Gary Holt",
                       reason={"text": "Police intelligence, shared with the ward.", "third_party": True,
                               "share_with": ["professional", "delivery_suite"]}))
    people.append(dict(people[0], name="Dean Rowe",
                       reason={"text": "Said by his ex-partner.", "share_with": ["professional"]}))
    ward = yaml.safe_dump(view_for(data, "delivery_suite"))
    parent = yaml.safe_dump(view_for(data, "parent"))
    assert "Threatened to take the baby." in ward and "Threatened to take the baby." in parent
    assert "Police intelligence, shared with the ward." in ward
    assert "Police intelligence" not in parent
    assert "Northumbria Police" not in ward and "Northumbria Police" not in parent  # third party
    assert "Said by his ex-partner." not in ward


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """The Sunderland plan with eight people who must not visit, each with a reason the
    ward may read, and a second person whose behaviour may be difficult."""
    folder = tmp_path_factory.mktemp("crowded")
    data = _sunderland()
    first = data["visitors"]["must_not_visit"][0]
    names = ["Lee Carver", "Ryan Tate", "Gary Holt", "Dean Rowe", "Carl Nixon", "Wayne Sharp",
             "Kyle Burton", "Jason Lowe"]
    data["visitors"]["must_not_visit"] = [
        dict(copy.deepcopy(first), name=name,
             reason=f"Made threats against Kay in 2026 ({name.split()[0]}).",
             action=("call_police" if i % 2 == 0 else "call_security"))
        for i, name in enumerate(names)]
    data["visitors"]["difficult_behaviour"].append(
        {"name": "Tina Pryce", "relationship": "Daniel's mother",
         "concern": "Has shouted at Kay in public.", "guidance": "Ask her to wait outside if voices are raised."})
    return render_into(folder / "out", _write(folder, data), audiences=("delivery_suite",))


def test_the_sheet_shows_the_difficult_behaviour_concern_and_the_reasons_the_ward_may_read(crowded):
    flat = " ".join(pdf_text(one_file(crowded, "delivery_suite", ".pdf")).split())
    docx = " ".join(docx_text(one_file(crowded, "delivery_suite", ".docx")).split())
    for text in (flat, docx):
        assert "Has shouted at Kay in public." in text and "Has argued with staff" in text
        assert "Ask her to wait outside if voices are raised." in text
        assert "Made threats against Kay in 2026 (Jason)." in text
