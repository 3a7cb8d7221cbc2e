"""The plan's communication needs drive which parents' copies are written
(NHS Accessible Information Standard: record *and act*), and options override.

HTML only: which files are written does not depend on the format.
"""

from __future__ import annotations

from click.testing import CliRunner

from birthplan.cli import main
from birthplan.load import load_plan
from birthplan.render import render_plan
from birthplan.yamlwrite import dump_plan

from .conftest import EXAMPLES


def _names(result) -> list[str]:
    return sorted(p.name for p in result.files)


def _plan_with(tmp_path, example: str, **communication):
    data = load_plan(EXAMPLES / f"{example}.yaml").data
    data.setdefault("communication", {}).update(communication)
    for key, value in list(data["communication"].items()):
        if value is None:
            del data["communication"][key]
    path = tmp_path / f"{example}.yaml"
    path.write_text(dump_plan(data), encoding="utf-8")
    return path


def test_no_options_writes_every_form_the_plan_records(tmp_path):
    # Swansea: the parents prefer Welsh and need large print
    result = render_plan(EXAMPLES / "swansea-full.yaml", audiences=("parent", "professional"),
                         formats=("html",), out_dir=tmp_path)
    assert _names(result) == [
        "SWA-2027-0042_parent_draft.html", "SWA-2027-0042_parent_draft_cy.html",
        "SWA-2027-0042_parent_draft_cy_large-print.html", "SWA-2027-0042_parent_draft_large-print.html",
        "SWA-2027-0042_professional_draft.html"]
    # the notices that told the user to render these by hand are gone: they were written
    assert not [n for n in result.notices if "--large-print" in n or "--language" in n]
    welsh = (tmp_path / "SWA-2027-0042_parent_draft_cy_large-print.html").read_text(encoding="utf-8")
    assert 'lang="cy-GB"' in welsh and "large-print" in welsh


def test_easy_read_and_large_print_are_written_in_the_parents_language(tmp_path):
    plan = _plan_with(tmp_path, "swansea-full", formats=["easy_read", "large_print"])
    result = render_plan(plan, audiences=("parent",), formats=("html",), out_dir=tmp_path / "out")
    assert _names(result) == [
        "SWA-2027-0042_parent_draft.html", "SWA-2027-0042_parent_draft_cy.html",
        "SWA-2027-0042_parent_draft_cy_easy-read.html", "SWA-2027-0042_parent_draft_cy_large-print.html",
        "SWA-2027-0042_parent_draft_easy-read.html", "SWA-2027-0042_parent_draft_large-print.html"]


def test_options_override_the_recorded_needs(tmp_path):
    source = EXAMPLES / "swansea-full.yaml"
    only_welsh = render_plan(source, audiences=("parent",), formats=("html",), language="cy",
                             out_dir=tmp_path / "a")
    assert _names(only_welsh) == ["SWA-2027-0042_parent_draft_cy.html",
                                  "SWA-2027-0042_parent_draft_cy_large-print.html"]
    standard = render_plan(source, audiences=("parent",), formats=("html",), standard_print=True,
                           language="en", out_dir=tmp_path / "b")
    assert _names(standard) == ["SWA-2027-0042_parent_draft.html"]
    # what was left out, and why, is said (without quoting the plan)
    assert any("need large print" in n for n in standard.notices)
    assert any("prefer Welsh" in n for n in standard.notices)
    easy = render_plan(source, audiences=("parent",), formats=("html",), easy_read=True, language="cy",
                       out_dir=tmp_path / "c")
    assert _names(easy) == ["SWA-2027-0042_parent_draft_cy_easy-read.html"]


def test_a_bilingual_easy_read_request_writes_the_welsh_and_english_easy_read_copies(tmp_path):
    result = render_plan(EXAMPLES / "swansea-full.yaml", audiences=("parent",), formats=("html",),
                         language="bilingual", easy_read=True, out_dir=tmp_path)
    assert _names(result) == ["SWA-2027-0042_parent_draft_cy_easy-read.html",
                              "SWA-2027-0042_parent_draft_easy-read.html"]
    assert any("one language at a time" in n for n in result.notices)


def test_a_pack_without_welsh_says_so_and_writes_english(tmp_path):
    plan = _plan_with(tmp_path, "sunderland-full", preferred_language="welsh", formats=None)
    result = render_plan(plan, audiences=("parent",), formats=("html",), out_dir=tmp_path / "out")
    assert _names(result) == ["TFC-2027-0193_parent_draft.html"]
    assert any("no Welsh" in n for n in result.notices)


def test_formats_birthplan_cannot_make_are_named_for_the_user_to_arrange(tmp_path):
    plan = _plan_with(tmp_path, "minimal", formats=["audio", "braille"])
    result = render_plan(plan, audiences=("parent",), formats=("html",), out_dir=tmp_path / "out")
    assert len(result.files) == 1
    assert any("audio version" in n for n in result.notices)
    assert any("braille version" in n for n in result.notices)


def test_cli_writes_the_forms_and_explains_the_options(tmp_path):
    out = tmp_path / "out"
    outcome = CliRunner().invoke(main, ["render", str(EXAMPLES / "sunderland-full.yaml"), "--audience",
                                        "parent", "--format", "html", "--out", str(out)])
    assert outcome.exit_code == 0, outcome.output
    assert sorted(p.name for p in out.iterdir()) == [
        "TFC-2027-0193_parent_draft.html", "TFC-2027-0193_parent_draft_easy-read.html"]
    helped = CliRunner().invoke(main, ["render", "--help"])
    for option in ("--easy-read", "--large-print", "--standard-print", "--language"):
        assert option in helped.output


def test_a_batch_writes_the_extra_copies_and_skips_them_when_unchanged(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "plan.yaml").write_text((EXAMPLES / "sunderland-full.yaml").read_text(encoding="utf-8"),
                                     encoding="utf-8")
    (cases / "other.yaml").write_text((EXAMPLES / "minimal.yaml").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    out = tmp_path / "out"
    command = ["render", str(cases), "--audience", "parent", "--format", "html", "--out", str(out),
               "--jobs", "1"]
    first = CliRunner().invoke(main, command)
    assert first.exit_code == 0, first.output
    easy = out / "TFC-2027-0193_parent_draft_easy-read.html"
    assert easy.is_file()
    again = CliRunner().invoke(main, command)
    assert "0 rendered, 2 skipped as unchanged" in again.output
    easy.unlink()  # an extra copy gone: that plan is rendered again, the other is not
    third = CliRunner().invoke(main, command)
    assert "1 rendered, 1 skipped as unchanged" in third.output
    assert easy.is_file()
