"""The delivery-suite sheet as a midwife meets it at 3 a.m.: one A4 page in
PDF and in Word, text no smaller than 10 pt, whether it is the agreed and
current version at the top, the alerts first and whole, and nothing the ward
needs left out."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from birthplan.audience import view_for
from birthplan.load import load_plan

from .conftest import EXAMPLE_PLANS, EXAMPLES, docx_parts, docx_text, files_by, one_file, pdf_text, render_into

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


# eight people who must not visit, as a social worker would write them: who, how to
# know them, why, and what to do
EIGHT = [("Lee Carver", "Former partner; tall, shaved head, neck tattoo.", "Threats to take the baby."),
         ("Ryan Tate", "Lee's brother; red football shirt.", "Threatened Cat in the street."),
         ("Gary Holt", "Older man, grey beard, walks with a stick.", "Court order: no contact."),
         ("Dean Rowe", "Young man, blond, often with a dog.", "Supplied drugs to Cat in 2025."),
         ("Carl Nixon", "Lee's friend; black tracksuit.", "Has followed Cat to appointments."),
         ("Wayne Sharp", "Cat's stepfather; short, bald.", "Abused Cat as a child."),
         ("Kyle Burton", "Tall, long dark hair, glasses.", "Threats on social media."),
         ("Jason Lowe", "Lee's cousin; scar on left cheek.", "Violent to Rhodri in 2026.")]


def _with_eight(data: dict) -> dict:
    data["visitors"]["must_not_visit"] = [
        {"name": name, "description": description, "reason": reason,
         "action": "call_police" if i % 2 == 0 else "call_security"}
        for i, (name, description, reason) in enumerate(EIGHT)]
    data["visitors"]["must_not_visit"][0]["action_detail"] = "Call 999, then Siân or the Emergency Duty Team."
    return data


V1_SWANSEA = Path(__file__).parent / "data" / "v1" / "swansea-full.yaml"


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """A plan of ordinary size (the Swansea example as written for schema 1) with eight
    people who must not visit, each with a reason the ward may read."""
    folder = tmp_path_factory.mktemp("crowded")
    data = _with_eight(load_plan(V1_SWANSEA).data)
    return render_into(folder / "out", _write(folder, data), audiences=("delivery_suite",))


def test_a_sheet_that_cannot_fit_holds_every_alert_on_page_one_and_marks_the_rest(tmp_path):
    """The whole Swansea example (schema 2: police, a birth elsewhere, an early birth) with
    sixteen people who must not visit is too much for one page: nothing is cut, every alert
    box is whole on page 1, and the sheet says it goes on."""
    data = _with_eight(load_plan(EXAMPLES / "swansea-full.yaml").data)
    people = data["visitors"]["must_not_visit"]
    people += [dict(person, name=f"{person['name']} Senior") for person in people]
    result = render_into(tmp_path / "out", _write(tmp_path, data), audiences=("delivery_suite",), formats=("pdf",))
    pdf = one_file(result, "delivery_suite", ".pdf")
    pages = result.overflow_pages
    assert pages == 2
    first, second = (" ".join(pdf_text(pdf, page=n).split()) for n in (1, 2))
    assert f"This sheet runs to {pages} pages" in first and "Page 2 of 2" in second
    for heading in ("Who to tell", "Must not visit", "Before the baby leaves", "Legal status", "On the ward"):
        assert f"ALERT: {heading}" in first and heading not in second
    assert "Violent to Rhodri in 2026." in first  # the last person, in the box, on page 1
    # a Word-only render says how many pages too (it was "more than one pages")
    word_only = render_into(tmp_path / "docx", _write(tmp_path, data, "again.yaml"), audiences=("delivery_suite",),
                            formats=("docx",))
    assert any("does not fit on one A4 page (2 pages)" in notice for notice in word_only.notices)


def test_the_bilingual_sheet_says_each_fixed_word_and_fact_once_per_language(welsh_renders):
    text = " ".join(pdf_text(one_file(welsh_renders["bilingual"], "delivery_suite", ".pdf")).split())
    assert "⚠ RHYBUDD / ALERT: Pwy i'w ffonio / Who to tell" in text
    assert text.count("RHYBUDD / ALERT: ") == text.count("ALERT") == 5  # the word ALERT once a box
    assert text.count("SWA-2027-0042") == 1 and "Cyfeirnod yr achos / Case reference: SWA-2027-0042" in text
    assert "Rhif GIG / NHS no.: 999 000 0034" in text and "Dyddiad geni / Date of birth: 17 Mai / May 1998" in text
    assert text.count("01632 960200") == 1  # the council's number once, after its words in both languages
    # the few wishes a midwife acts on; the rest in the parents' copy, by page
    assert "Fitamin K / Vitamin K: Injection." in text and "Lleddfu poen" not in text
    assert "Pain relief" not in text and "Full wishes: parents' copy, page" in text


def test_the_sheet_shows_the_difficult_behaviour_concern_and_the_reasons_the_ward_may_read(
        example_renders, crowded):
    for result, words in ((example_renders["sunderland-full"], ("Has argued with staff at previous appointments.",
                                                                "If she is abusive, ask her to leave")),
                          (crowded, ("Violent to Rhodri in 2026.", "Court order: no contact."))):
        for text in (pdf_text(one_file(result, "delivery_suite", ".pdf")),
                     docx_text(one_file(result, "delivery_suite", ".docx"))):
            assert all(w in " ".join(text.split()) for w in words)
    sunderland = " ".join(pdf_text(one_file(example_renders["sunderland-full"], "delivery_suite", ".pdf")).split())
    assert "Northumbria Police" not in sunderland  # a third-party reason stays in the professional copy


def test_a_crew_that_rings_other_people_than_the_ward_has_them_under_the_birth_elsewhere(tmp_path):
    data = load_plan(EXAMPLES / "swansea-full.yaml").data
    data["born_elsewhere"]["out_of_hours"] = [{"who": "Ambulance control", "phone": "01632 960777"}]
    result = render_into(tmp_path / "out", _write(tmp_path, data), audiences=("delivery_suite",), formats=("pdf",))
    ward = " ".join(pdf_text(one_file(result, "delivery_suite", ".pdf")).split())
    assert "Who they call in working hours 1. Siân Gwynfor (social worker) · 01632 960210" in ward
    assert "Who they call out of hours 1. Ambulance control · 01632 960777" in ward


# -- one page, at sizes a midwife can read ---------------------------------------------------


@pytest.fixture(scope="module")
def agreed_bilingual(tmp_path_factory):
    """The Swansea example agreed at its review, in Welsh and English: the longest status
    at the top of any sheet ("Fersiwn 1 wedi'i chytuno · adolygiad / Agreed version 1 ...")."""
    from birthplan.history import record_review

    folder = tmp_path_factory.mktemp("agreed-bilingual")
    plan = folder / "swansea-full.yaml"
    shutil.copy(EXAMPLES / "swansea-full.yaml", plan)
    record_review(plan)
    return render_into(folder / "out", plan, audiences=("delivery_suite",), formats=("pdf", "docx"),
                       language="bilingual")


def _sheets(example_renders, welsh_renders, crowded, agreed_bilingual) -> dict:
    sheets = {name: example_renders[name] for name in EXAMPLE_PLANS}
    sheets["swansea-bilingual"] = welsh_renders["bilingual"]
    sheets["swansea-bilingual-agreed"] = agreed_bilingual
    sheets["swansea-cy"] = welsh_renders["cy"]
    sheets["eight-must-not-visit"] = crowded
    return sheets


def _spans(pdf_path):
    import pymupdf

    with pymupdf.open(pdf_path) as pdf:
        for number, page in enumerate(pdf, start=1):
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        if span["text"].strip():
                            yield number, span


def _bold(span) -> bool:
    return bool(span["flags"] & 16) or "bold" in span["font"].lower()


def test_every_sheet_is_one_a4_page_with_no_text_under_10pt(example_renders, welsh_renders, crowded,
                                                              agreed_bilingual):
    for name, result in _sheets(example_renders, welsh_renders, crowded, agreed_bilingual).items():
        assert result.overflow_pages is None, name
        pdf = one_file(result, "delivery_suite", ".pdf")
        spans = list(_spans(pdf))
        assert {number for number, _ in spans} == {1}, name
        # the pack's logo is drawn: its alt text is not printed in its place
        assert "emblem" not in "".join(span["text"] for _, span in spans), name
        small = sorted({(round(span["size"], 1), span["text"]) for _, span in spans if span["size"] < MIN_PT - 0.05})
        assert not small, (name, small[:5])
        alert_headings = [span for _, span in spans if re.search(r"\b(ALERT|RHYBUDD):", span["text"])]
        assert alert_headings or name == "minimal", name  # nobody to phone yet: no alert at all
        assert all(span["size"] >= ALERT_HEADING_PT - 0.05 for span in alert_headings), name


def test_the_birth_partners_stay_together_under_their_label(welsh_renders):
    """No name at the top of a column without the "Birth partners" label it belongs to."""
    spans = [span for _, span in _spans(one_file(welsh_renders["cy"], "delivery_suite", ".pdf"))]
    label = next(span for span in spans if span["text"].startswith("Partneriaid geni"))
    second = next(span for span in spans if span["text"].startswith("Nia Prydderch"))
    assert abs(label["bbox"][0] - second["bbox"][0]) < 1 and 0 < second["bbox"][1] - label["bbox"][1] < 40


def test_names_and_numbers_in_the_alerts_are_bold(example_renders):
    spans = [span for _, span in _spans(one_file(example_renders["sunderland-full"], "delivery_suite", ".pdf"))]
    for words in ("1. Priya Raman (social worker)", "01632 960101", "01632 960455", "01632 960999",
                  "Lee Carver", "CALL THE POLICE (999)"):
        found = [span for span in spans if words in span["text"]]
        assert found and all(_bold(span) for span in found), words


def test_the_word_sheet_keeps_the_same_minimum_sizes(example_renders, welsh_renders, crowded, agreed_bilingual):
    """Every size the Word sheet sets (styles, runs, defaults) is 10 pt or more, and the
    alert headings are 13 pt and carry the warning sign."""
    from docx import Document

    for name, result in _sheets(example_renders, welsh_renders, crowded, agreed_bilingual).items():
        path = one_file(result, "delivery_suite", ".docx")
        document = Document(path)
        for style in document.styles:
            if getattr(style, "font", None) is not None and style.font.size is not None \
                    and style.name != "Table Gap":  # an empty 1 pt paragraph that closes a box
                assert style.font.size.pt >= MIN_PT, (name, style.name)
        laid_out = "".join(xml for part, xml in docx_parts(path).items()
                           if re.fullmatch(r"word/(document|styles|header\d*|footer\d*)\.xml", part))
        sizes = re.findall(r'<w:sz w:val="(\d+)"', laid_out)
        assert sizes and min(int(s) for s in sizes if s != "2") >= 2 * MIN_PT, name
        alerts = [p for p in document.paragraphs if re.search(r"(ALERT|RHYBUDD):", p.text)]
        assert alerts or name == "minimal", name
        for paragraph in alerts:
            assert paragraph.text.startswith("⚠ ") and paragraph.style.name == "Heading 1"
            assert all(run.font.size.pt >= ALERT_HEADING_PT for run in paragraph.runs if run.text.strip())


def test_libreoffice_opens_every_word_sheet_on_one_page(example_renders, welsh_renders, crowded,
                                                          agreed_bilingual, soffice, tmp_path):
    sheets = _sheets(example_renders, welsh_renders, crowded, agreed_bilingual)
    sources = {name: one_file(result, "delivery_suite", ".docx") for name, result in sheets.items()}
    for name, source in sources.items():  # two plans share a case reference: one name each
        (tmp_path / f"{name}.docx").write_bytes(source.read_bytes())
    profile = (tmp_path / "profile").as_uri()
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), *(str(tmp_path / f"{name}.docx") for name in sources)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    from pypdf import PdfReader

    for name in sources:
        converted = tmp_path / "pdf" / f"{name}.pdf"
        assert len(PdfReader(converted).pages) == 1, name
        text = " ".join(pdf_text(converted).split())
        assert ("⚠" in text or name == "minimal") and "{{" not in text and "{%" not in text, name
        assert text.count("ALERT:") == " ".join(
            pdf_text(one_file(sheets[name], "delivery_suite", ".pdf")).split()).count("ALERT:"), name


def test_the_plans_out_of_hours_number_is_the_one_shown_and_a_different_pack_number_is_warned(tmp_path):
    from birthplan.validate import load_and_validate

    text = (EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8").replace("01632 960999", "01632 960998")
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    _, report = load_and_validate(plan)
    assert any("differs from the one in the sunderland template pack (01632 960999)" in p.message
               for p in report.warnings)
    result = render_into(tmp_path / "out", plan, audiences=("delivery_suite",), formats=("pdf",))
    sheet = " ".join(pdf_text(one_file(result, "delivery_suite", ".pdf")).split())
    assert "01632 960998" in sheet and "01632 960999" not in sheet  # one number to ring, the plan's


@pytest.mark.parametrize("contacts, expected", [
    # the plan's Emergency Duty Team, from its contacts, with its hours; listed once
    ("plan", "Out of hours: ring in this order 1. Out of Hours Emergency "
             "Duty Team · 01632 960999 · (5pm-9am, weekends, bank holidays)"),
    # no out-of-hours contact in the plan at all: the authority's own out-of-hours line
    ("none", "Out of hours: ring in this order 1. Together for Children "
             "Sunderland (template pack) · 01632 960999"),
])
def test_who_to_tell_always_says_who_to_ring_out_of_hours(tmp_path, contacts, expected):
    """A trial wrote 'out_of_hours: []' (as the message for an empty list suggests): the
    sheet's Who to tell box then had no out-of-hours line at all, the 3 a.m. question."""
    data = _sunderland()
    data["at_birth"]["out_of_hours"] = []
    if contacts == "none":  # a plan without safeguarding arrangements may name no out-of-hours team
        data = load_plan(EXAMPLES / "minimal.yaml").data
        data["at_birth"]["in_hours"] = [{"who": "Alex Sample (midwife)", "phone": "07700 900001"}]
    result = render_into(tmp_path / "out", _write(tmp_path, data), audiences=("delivery_suite",),
                         formats=("pdf", "docx"))
    for sheet in (pdf_text(one_file(result, "delivery_suite", ".pdf")),
                  docx_text(one_file(result, "delivery_suite", ".docx"))):
        sheet = " ".join(sheet.split())
        assert expected in sheet, sheet
        assert sheet.count("960999") == 1, sheet  # each number to ring once on the sheet


# -- names kept beside the numbers to ring (a trial found the social worker's name lost) ------


def _sheet_texts(result) -> list[str]:
    """The sheet's words, in its PDF and in its Word file when rendered, spaces collapsed."""
    texts = [pdf_text(one_file(result, "delivery_suite", ".pdf"))]
    if files_by(result, "delivery_suite", ".docx"):
        texts.append(docx_text(one_file(result, "delivery_suite", ".docx")))
    return [" ".join(text.split()) for text in texts]


def _render_sheet(folder, data: dict, language: str = "en", formats=("pdf",)):
    return render_into(folder / "out", _write(folder, data), audiences=("delivery_suite",), formats=formats,
                       language=language)


def _minimal(authority: str = "sunderland") -> dict:
    data = load_plan(EXAMPLES / "minimal.yaml").data
    if authority == "swansea":
        data["plan"].update(authority="swansea", nation="wales")
    return data


@pytest.mark.parametrize("language", ["en", "cy", "bilingual"])
def test_a_line_to_ring_carries_the_name_of_the_contact_with_its_number(tmp_path, language):
    """Written as the starter suggests: "who: Social worker" under Who to tell, the social
    worker's name under contacts with the same number."""
    data = _minimal("sunderland" if language == "en" else "swansea")
    data["contacts"].append({"role": "social_worker", "name": "Dawn Hetherington", "phone": "01632 960417",
                             "hours": "Mon-Fri 9-5"})
    data["at_birth"]["in_hours"] = [{"who": "Social worker", "phone": "01632 960417"}]
    for sheet in _sheet_texts(_render_sheet(tmp_path, data, language, ("pdf", "docx"))):
        assert "1. Social worker, Dawn Hetherington · 01632 960417 · (Mon-Fri 9-5)" in sheet, sheet
        assert sheet.count("960417") == 1 and sheet.count("Hetherington") == 1, sheet


# -- Who to tell when the plan names nobody (decided, not forgotten) ------------------------


def test_a_plan_that_names_nobody_to_tell_says_so(example_renders, tmp_path):
    """The minimal example has 'in_hours: []' and 'out_of_hours: []': the sheet had no Who
    to tell box at all, so a midwife could not tell a decision from a gap."""
    for sheet in _sheet_texts(example_renders["minimal"]):
        assert "Who to tell The plan says nobody needs to be told when labour starts or at the birth." in sheet
        assert "ALERT" not in sheet  # nothing to act on
    # nobody in working hours, someone out of hours: each half says what the plan says
    data = _sunderland()
    data["at_birth"]["in_hours"] = []
    [sheet] = _sheet_texts(_render_sheet(tmp_path, data))
    assert ("ALERT: Who to tell In working hours: the plan says nobody needs to be told. "
            "Out of hours: ring in this order 1. Emergency Duty Team") in sheet


def test_the_welsh_sheet_says_nobody_needs_to_be_told_in_both_languages(tmp_path):
    [sheet] = _sheet_texts(_render_sheet(tmp_path, _minimal("swansea"), "bilingual"))
    assert ("Mae'r cynllun yn dweud nad oes angen dweud wrth neb pan fydd yr esgor yn dechrau nac adeg y geni. "
            "/ The plan says nobody needs to be told when labour starts or at the birth.") in sheet


# -- a reference the midwife can follow ------------------------------------------------------


def test_a_separation_plan_named_on_the_sheet_says_where_it_is(example_renders):
    """"otherwise as the separation plan says" (where the baby goes): the separation plan
    itself is not on the ward's sheet (its parts are for the parents and professionals), so
    the sheet says which page of the parents' copy holds it."""
    import pymupdf

    result = example_renders["sunderland-full"]
    with pymupdf.open(one_file(result, "parent", ".pdf")) as parents:
        [page] = [n for n, p in enumerate(parents, start=1)
                  if "If my baby cannot come home with me: the plan" in p.get_text()]
    for sheet in _sheet_texts(result):
        assert "otherwise as the separation plan says." in sheet
        assert f"Separation plan: parents' copy, page {page}." in sheet
        assert sheet.count("Separation plan") == 1  # one pointer, no box of its own


def test_a_separation_plan_the_parents_copy_does_not_hold_is_in_the_professional_copy(tmp_path):
    data = _sunderland()
    data["separation"] = {key: {"text": text, "share_with": ["professional"]}
                          for key, text in data["separation"].items()}
    [sheet] = _sheet_texts(_render_sheet(tmp_path, data))
    assert "Discharge planning meeting: 10 March 2027 Separation plan: in the professional copy." in sheet
