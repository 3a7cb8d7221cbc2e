"""The version-2 fields reach the copies they belong in, and no other.

Read from the session's renders of the examples (tests/conftest.py), so no
extra rendering: each fact is looked for in the finished PDF and HTML.
"""

from __future__ import annotations

import pytest

from birthplan.validate import load_and_validate

from .conftest import EXAMPLES, one_file, pdf_text, squash


def text(example_renders, name: str, audience: str) -> str:
    result = example_renders[name]
    pdf = pdf_text(one_file(result, audience, ".pdf"))
    html = one_file(result, audience, ".html").read_text(encoding="utf-8")
    return squash(pdf) + "\n" + squash(html)


def shown(example_renders, name: str, words: str) -> dict[str, bool]:
    return {audience: squash(words) in text(example_renders, name, audience)
            for audience in ("professional", "delivery_suite", "parent")}


def test_consent_to_accommodation_is_never_shown_as_agreed_unless_recorded(example_renders):
    for name, section in (("sunderland-full", "section 20"), ("swansea-full", "section 76")):
        assert shown(example_renders, name, f"Consent to voluntary accommodation ({section})") == {
            "professional": True, "delivery_suite": False, "parent": True}
        assert shown(example_renders, name, "No decision recorded") == {
            "professional": True, "delivery_suite": False, "parent": True}
    assert "Decision:Agreed" not in text(example_renders, "sunderland-full", "professional").replace("\n", "")


def test_the_separation_plan_is_its_own_section_and_the_ward_sees_only_its_part(example_renders):
    assert shown(example_renders, "sunderland-full", "Separation plan")["professional"]
    assert shown(example_renders, "sunderland-full", "If my baby cannot come home with me: the plan")["parent"]
    told = "Why the baby cannot go home yet and when they will next see the baby."
    assert shown(example_renders, "sunderland-full", told) == {
        "professional": True, "delivery_suite": False, "parent": True}


def test_born_elsewhere_is_on_the_delivery_suite_sheet_with_who_to_call(example_renders):
    ward = text(example_renders, "swansea-full", "delivery_suite")
    for words in ("If the baby comes somewhere else", "In an ambulance", "1. Emergency Duty Team"):
        assert squash(words) in ward, words
    # the crew ring the people under Who to tell, in the same order: each number once (PDF, HTML)
    assert ward.count(squash("01632 960999")) == 2 and squash("Who they call") not in ward


def test_partner_address_follows_the_mothers_protection_rules(example_renders):
    assert shown(example_renders, "sunderland-full", "31 Dene Street") == {
        "professional": True, "delivery_suite": True, "parent": True}
    assert shown(example_renders, "swansea-full", "Stryd y Berllan") == {  # protected
        "professional": True, "delivery_suite": False, "parent": False}


def test_the_withheld_information_record_is_in_the_professional_copy_only(example_renders):
    reason = "sharing it could put the source at risk"
    assert shown(example_renders, "sunderland-full", reason) == {
        "professional": True, "delivery_suite": False, "parent": False}
    professional = text(example_renders, "sunderland-full", "professional")
    assert squash("Visitors › Must not visit › Lee Carver › Reason") in professional


def test_alerts_police_and_conference_reach_their_copies(example_renders):
    assert shown(example_renders, "sunderland-full", "North East Ambulance Service") == {
        "professional": True, "delivery_suite": False, "parent": False}
    assert shown(example_renders, "swansea-full", "SWP-2026-448120") == {
        "professional": True, "delivery_suite": True, "parent": False}
    assert shown(example_renders, "sunderland-full", "A legal planning meeting to consider pre-proceedings") == {
        "professional": True, "delivery_suite": False, "parent": True}
    assert shown(example_renders, "sunderland-full", "Neglect, Emotional abuse")["delivery_suite"]


V2_LABELS = ("Partner's address", "Physical disability", "Medical needs", "Categories of concern",
             "Accommodation proposed", "Legal advice had", "Transport to court", "Conference date",
             "Police contact", "Police reference", "If the baby is born", "If the baby comes early",
             "Family may go missing", "Sent to", "Students present", "BCG vaccine", "Who tells the parents",
             "Where the baby goes", "Contact after", "Health visitor liaison done", "Field withheld")


@pytest.mark.parametrize("audience", ["professional", "delivery_suite", "parent"])
def test_no_new_field_falls_into_other_details(example_renders, audience):
    """Each version-2 field has its place; none is left to the "Other details" catch-all."""
    for name in ("sunderland-full", "swansea-full"):
        words = text(example_renders, name, audience)
        if "Otherdetails" not in words:
            continue
        other = words.split("Otherdetails", 1)[1].split("Whatchanged", 1)[0]
        assert not [label for label in V2_LABELS if squash(label) in other]


# -- the reviewers' rules for the new fields -----------------------------------------


def _warnings(tmp_path, text: str) -> list[str]:
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    report = load_and_validate(plan)[1]
    assert report.ok, [p.format() for p in report.errors]
    return [p.message for p in report.warnings]


def test_no_early_birth_contingency_near_the_due_date_is_a_warning(tmp_path):
    text = (EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8")
    text = text.replace("  contingency: If the baby comes early, supervision starts at once.\n", "")
    assert any("no plan for an early birth" in w for w in _warnings(tmp_path, text))


def test_consent_recorded_as_agreed_without_legal_advice_is_a_warning(tmp_path):
    text = (EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8")
    text = text.replace("    legal_advice: true\n", "    decision: agreed\n")
    assert any("had legal advice first" in w for w in _warnings(tmp_path, text))


def test_an_item_withheld_from_the_parents_without_a_reason_is_a_warning(tmp_path):
    text = (EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8")
    text = text.replace("    reason: Information from the police about another person; "
                        "sharing it could put the source at risk.\n", "")
    warnings = _warnings(tmp_path, text)
    assert any("say why this is withheld" in w for w in warnings)
    assert any("field: visitors.must_not_visit.1.reason" in w for w in warnings)
