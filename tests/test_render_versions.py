"""Versions on every page, "What changed since version N-1" per audience,
DRAFT marking after an edit, and the render command itself."""

from __future__ import annotations

import re
import shutil

import pytest
from click.testing import CliRunner
from docx import Document
from pypdf import PdfReader

from birthplan.cli import main
from birthplan.history import record_review
from birthplan.render import render_plan

from .conftest import EXAMPLES, docx_text, files_by, meeting_on, one_file, pdf_text


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory):
    """A plan with two recorded reviews (v1, then v2 with changes), rendered."""
    folder = tmp_path_factory.mktemp("versions")
    plan = folder / "plan.yaml"
    shutil.copy(EXAMPLES / "sunderland-full.yaml", plan)
    record_review(plan)  # the plan's own meeting: 14 January 2027
    text = meeting_on(plan.read_text(encoding="utf-8"), "2027-02-11")
    text = text.replace("action: call_police", "action: call_security")  # ward and parents
    text = text.replace("caesarean: I want Daniel with me in theatre.",
                        "caesarean: I want Daniel and my mum with me in theatre.")  # wishes
    text = text.replace("Mason was removed from Kay's care in 2021",
                        "Mason left Kay's care in 2021")  # professional only
    text = text.replace("- {id: hv-ante, what: Antenatal health visitor contact",
                        "- {id: hv-ante, what: Antenatal contact with the health visitor")  # not the ward
    text = text.replace("withheld_from_parents:\n", "withheld_from_parents:\n  - {field: concerns.summary, "
                        "reason: Agreed at the core group, legal_basis: Agreed with the parents' "
                        "solicitor}\n")  # professional only: a list item with no name
    plan.write_text(text, encoding="utf-8")
    version = record_review(plan)
    result = render_plan(plan, formats=("docx", "pdf", "html"), standard_print=True, out_dir=folder / "out")
    return plan, version, result


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_agreed_version_is_named_in_files_and_on_every_page(reviewed):
    _, version, result = reviewed
    assert not result.draft and result.version == 2
    assert sorted(p.name for p in files_by(result, suffix=".pdf")) == [
        "TFC-2027-0193_delivery-suite_v2.pdf", "TFC-2027-0193_parent_v2.pdf", "TFC-2027-0193_professional_v2.pdf"]
    for path in files_by(result, suffix=".pdf"):
        pages = len(PdfReader(path).pages)
        for number in range(1, pages + 1):
            text = _flat(pdf_text(path, page=number))
            if "delivery-suite" in path.name:  # one-line footer; the dates are in the status at the top
                assert f"Version 2 · Fingerprint {version.short_fingerprint} · Page" in text
                assert number > 1 or "Agreed version 2 · review 11 February 2027" in text
            else:
                assert "Version 2 · Reviewed 11 February 2027 · Fingerprint " + version.short_fingerprint in text
            assert f"Page {number} of {pages}" in text
            assert "DRAFT" not in text
    for path in files_by(result, suffix=".docx"):
        footer = docx_text(path)
        assert f"Fingerprint {version.short_fingerprint}" in footer
        assert Document(path).core_properties.title.endswith("Version 2")


def test_each_audience_sees_only_its_own_changes_since_the_last_version(reviewed):
    _, _, result = reviewed
    professional = _flat(pdf_text(one_file(result, "professional", ".pdf")))
    ward = _flat(pdf_text(one_file(result, "delivery_suite", ".pdf")))
    parent = _flat(pdf_text(one_file(result, "parent", ".pdf")))
    for text in (professional, ward, parent):
        assert "What changed since version 1" in text
    # field-level for professionals
    assert ("Visitors > Must not visit > Lee Carver > Action if they arrive: changed from "
            "“Call the police (999)” to “Call hospital security”") in professional
    assert "Concerns > Summary of concerns: changed from" in professional
    assert ("Withheld from the parents: added “Field withheld: concerns.summary; Reason: Agreed at "
            "the core group; Legal basis: Agreed with the parents' solicitor”") in professional
    assert ("Appointments > Antenatal contact with the health visitor (16 February 2027) > What: "
            "changed from “Antenatal health visitor contact”") in professional
    # only what changes the ward's work on the delivery-suite sheet
    assert "Action if they arrive: changed from" in ward
    assert "If I need a caesarean" not in ward.split("What changed since version 1")[1]
    assert "Appointments" not in ward and "Summary of concerns" not in ward
    # plain words for the parents, never the professional-only change
    assert "Changed: Parents' wishes > What if > If I need a caesarean: now “I want Daniel and my mum" in parent
    assert "Summary of concerns" not in parent and "Mason left" not in parent
    assert len(PdfReader(one_file(result, "delivery_suite", ".pdf")).pages) == 1


def test_an_edit_after_the_review_marks_every_page_draft_and_says_so(reviewed, tmp_path):
    plan, version, _ = reviewed
    edited = tmp_path / "plan.yaml"
    shutil.copy(plan, edited)
    shutil.copytree(plan.with_name(plan.name + ".history"), edited.with_name(edited.name + ".history"))
    edited.write_text(edited.read_text(encoding="utf-8").replace("vitamin_k: Injection.",
                                                                 "vitamin_k: Injection, please."),
                      encoding="utf-8")
    result = render_plan(edited, audiences=("parent",), formats=("pdf", "docx"), out_dir=tmp_path / "out")
    assert result.draft and result.version == 2
    # the plan records that the parents need Easy Read, so that copy is written (and marked) too
    assert [p.name for p in result.files] == ["TFC-2027-0193_parent_v2_draft.pdf",
                                              "TFC-2027-0193_parent_v2_draft.docx",
                                              "TFC-2027-0193_parent_v2_draft_easy-read.pdf",
                                              "TFC-2027-0193_parent_v2_draft_easy-read.docx"]
    assert any("edited after version 2 was agreed" in notice for notice in result.notices)
    for pdf in files_by(result, "parent", ".pdf"):
        for number in range(1, len(PdfReader(pdf).pages) + 1):
            assert "DRAFT: not yet agreed at a review" in _flat(pdf_text(pdf, page=number)), (pdf.name, number)
    for docx in files_by(result, "parent", ".docx"):
        assert "DRAFT: not yet agreed at a review" in docx_text(docx), docx.name
    easy_read = _flat(pdf_text(result.files[2]))
    assert "Some things in this plan have changed since version 2." in easy_read
    pdf = result.files[0]
    text = _flat(pdf_text(pdf))
    assert "What changed since version 2" in text and "Injection, please." in text
    assert re.search(r"Draft [0-9a-f]{10}", text)


def test_a_comment_added_after_the_review_leaves_the_pages_agreed(reviewed, tmp_path):
    """Issue 9 item 5: `# note to self` made every page DRAFT though `diff` saw no change."""
    plan, version, _ = reviewed
    edited = tmp_path / "plan.yaml"
    shutil.copytree(plan.with_name(plan.name + ".history"), edited.with_name(edited.name + ".history"))
    edited.write_text(plan.read_text(encoding="utf-8") + "# note to self: ring Helen\n", encoding="utf-8")
    result = render_plan(edited, audiences=("professional",), formats=("html",), out_dir=tmp_path / "out")
    assert not result.draft and result.version == 2
    html = one_file(result, "professional", ".html").read_text(encoding="utf-8")
    assert "DRAFT" not in html and version.short_fingerprint in html
    assert [p.name for p in result.files] == ["TFC-2027-0193_professional_v2.html"]


# -- the command ---------------------------------------------------------------------


def test_render_command_defaults_to_every_audience_in_word_and_pdf(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    outcome = CliRunner().invoke(main, ["render", str(EXAMPLES / "minimal.yaml")])
    assert outcome.exit_code == 0, outcome.output
    written = sorted(re.findall(r"wrote (\S+)", outcome.output))
    assert written == sorted(f"out/TFC-2027-0001_{a}_draft.{ext}"
                             for a in ("professional", "delivery-suite", "parent") for ext in ("docx", "pdf"))
    assert all((tmp_path / w).is_file() for w in written)
    assert "DRAFT" in outcome.output


def test_render_command_options(tmp_path):
    outcome = CliRunner().invoke(main, [
        "render", str(EXAMPLES / "swansea-full.yaml"), "--audience", "parent", "--format", "html",
        "--language", "bilingual", "--large-print", "--out", str(tmp_path / "docs"),
        "--templates", str(EXAMPLES.parent / "templates" / "swansea")])
    assert outcome.exit_code == 0, outcome.output
    assert [p.name for p in (tmp_path / "docs").iterdir()] == [
        "SWA-2027-0042_parent_draft_bilingual_large-print.html"]


def test_an_invalid_plan_renders_nothing_and_prints_its_errors(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text((EXAMPLES / "minimal.yaml").read_text(encoding="utf-8").replace(
        "type: pre_birth_planning", "type: tea_party"), encoding="utf-8")
    outcome = CliRunner().invoke(main, ["render", str(bad), "--out", str(tmp_path / "out")])
    assert outcome.exit_code == 1
    assert "nothing was rendered" in outcome.output
    assert re.search(r"bad\.yaml:\d+:\d+: error: Plan > meeting > meeting type", outcome.output)
    assert not (tmp_path / "out").exists()


def test_a_broken_pack_is_reported_without_a_traceback(tmp_path):
    pack = tmp_path / "pack"
    shutil.copytree(EXAMPLES.parent / "templates" / "sunderland", pack)
    (pack / "html" / "style.css").unlink()
    outcome = CliRunner().invoke(main, ["render", str(EXAMPLES / "minimal.yaml"), "--templates", str(pack),
                                        "--out", str(tmp_path / "out")])
    assert outcome.exit_code == 1
    assert "html/style.css: this file is missing from the template pack" in outcome.output
    assert "Traceback" not in outcome.output


def test_render_does_not_import_weasyprint_or_docxtpl_until_needed():
    import subprocess
    import sys

    code = ("import sys, birthplan.cli, birthplan.render, birthplan.validate; "
            "print(any(m.split('.')[0] in ('weasyprint', 'docxtpl') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_sheet_says_at_the_top_which_version_it_is_and_an_old_one_says_it_is_old(reviewed, tmp_path):
    plan, _, result = reviewed
    current = _flat(pdf_text(one_file(result, "delivery_suite", ".pdf")))
    assert current.index("Agreed version 2 · review 11 February 2027 · next review") < current.index("ALERT")
    assert "NOT THE CURRENT VERSION" not in current
    old = render_plan(plan, version=1, audiences=("delivery_suite",), formats=("pdf", "docx"), out_dir=tmp_path)
    assert [p.name for p in old.files] == ["TFC-2027-0193_delivery-suite_v1.pdf", "TFC-2027-0193_delivery-suite_v1.docx"]
    assert any("version 1 is not the current version" in n for n in old.notices)
    for text in (_flat(pdf_text(one_file(old, "delivery_suite", ".pdf"))),
                 _flat(docx_text(one_file(old, "delivery_suite", ".docx")))):
        assert "Agreed version 1 · review 14 January 2027" in text
        assert "NOT THE CURRENT VERSION: version 2 was agreed on 11 February 2027. Use that one." in text
        assert text.index("NOT THE CURRENT VERSION") < text.index("ALERT")


def test_render_after_a_review_names_the_draft_copies_it_supersedes(tmp_path):
    """After the first review, `render` wrote ..._v1 files beside the ..._draft files from
    before it in the same out folder, silently: a draft could be sent by mistake. The
    user's files are kept; the render says which drafts version 1 supersedes."""
    cases, out = tmp_path / "cases", tmp_path / "out"
    cases.mkdir()
    plan = cases / "plan.yaml"
    shutil.copy(EXAMPLES / "minimal.yaml", plan)
    run = ["render", str(plan), "--format", "html", "--out", str(out)]
    first = CliRunner().invoke(main, run)
    assert first.exit_code == 0, first.output
    drafts = sorted(p.name for p in out.iterdir())
    assert drafts and all("_draft" in name and name.startswith("TFC-2027-0001_") for name in drafts)
    assert "supersede" not in first.output
    (out / "TFC-2027-0002_parent_draft.html").write_text("another plan's draft")
    (out / "notes.txt").write_text("the user's own file")
    record_review(plan, attendees=["Jo Example, mother", "Alex Sample, community midwife, NHS"])
    result = CliRunner().invoke(main, run)
    assert result.exit_code == 0, result.output
    notice = (f"note: {out} holds {len(drafts)} draft copies of TFC-2027-0001 from before version 1 "
              f"was agreed, which supersedes them: {', '.join(drafts)}. Delete them so that no "
              "draft is sent by mistake (birthplan never deletes your files).")
    assert notice in result.stderr and notice not in result.stdout
    assert "TFC-2027-0002" not in result.output
    assert all((out / name).exists() for name in drafts)  # nothing deleted
    assert {p.name for p in out.iterdir()} >= {"TFC-2027-0001_parent_v1.html", "notes.txt"}
    # a folder render (the batch) says the same, for the plan it belongs to
    folder = CliRunner().invoke(main, ["render", str(cases), "--format", "html", "--out", str(out),
                                       "--force"])
    assert folder.exit_code == 0, folder.output
    assert f"{plan}: {notice}" in folder.output
