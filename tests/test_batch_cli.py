"""`birthplan render DIR`: a caseload from the command line, real renders."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pypdf
from click.testing import CliRunner

from birthplan.cli import main

from .planfactory import EXAMPLES


def caseload(tmp_path: Path, copies: int = 0) -> Path:
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(EXAMPLES / "minimal.yaml", cases / "minimal.yaml")
    broken = (EXAMPLES / "minimal.yaml").read_text().replace("due_date: 2027-05-01", "due_date: 31/02/2027")
    (cases / "broken.yaml").write_text(broken)
    full = (EXAMPLES / "sunderland-full.yaml").read_text()
    for i in range(copies):
        (cases / f"copy-{i}.yaml").write_text(full.replace("TFC-2027-0193", f"TFC-2027-{i:04d}"))
    return cases


def test_folder_render_isolates_failures_and_summarises(tmp_path):
    cases = caseload(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(cases), "--out", str(out), "--format", "html"])
    assert result.exit_code == 1, result.output
    assert "1 rendered, 0 skipped as unchanged, 1 failed" in result.output
    broken_line = next(line for line in result.output.splitlines() if line.startswith(str(cases / "broken.yaml")))
    assert "failed" in broken_line and "broken.yaml:9:" in broken_line and "February 2027 has no day 31" in broken_line
    assert sorted(p.name for p in out.glob("*.html")) == [
        "TFC-2027-0001_delivery-suite_draft.html", "TFC-2027-0001_parent_draft.html",
        "TFC-2027-0001_professional_draft.html"]
    # plain progress lines when not on a terminal
    assert f"[1/2] failed: {cases / 'broken.yaml'}" in result.output

    again = CliRunner().invoke(main, ["render", str(cases), "--out", str(out), "--format", "html"])
    assert "0 rendered, 1 skipped as unchanged, 1 failed" in again.output
    forced = CliRunner().invoke(main, ["render", str(cases), "--out", str(out), "--format", "html", "--force"])
    assert "1 rendered, 0 skipped as unchanged, 1 failed" in forced.output


def test_plans_too_broken_to_name_their_pack_fail_alone(tmp_path):
    cases = caseload(tmp_path)
    (cases / "text-plan.yaml").write_text("schema_version: 1\nplan: just words\n")
    (cases / "climbing.yaml").write_text(
        (EXAMPLES / "minimal.yaml").read_text().replace("authority: sunderland", "authority: ../../.."))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(cases), "--out", str(out), "--format", "html"])
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output
    assert "1 rendered, 0 skipped as unchanged, 3 failed" in result.output


def test_all_good_folder_exits_zero_and_finds_no_plans_clearly(tmp_path):
    cases = caseload(tmp_path)
    (cases / "broken.yaml").unlink()
    result = CliRunner().invoke(main, ["render", str(cases), "--out", str(tmp_path / "out"), "--format", "html"])
    assert result.exit_code == 0, result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = CliRunner().invoke(main, ["render", str(empty)])
    assert nothing.exit_code == 1 and "no plans found" in nothing.output


def _whole(path: Path) -> None:
    """Raises if a written file is not complete."""
    if path.suffix == ".pdf":
        assert len(pypdf.PdfReader(path).pages) >= 1
    elif path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
    elif path.suffix == ".json":
        json.loads(path.read_text())


def test_ctrl_c_stops_cleanly_with_no_half_written_files(tmp_path):
    cases = caseload(tmp_path, copies=6)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "birthplan.cli", "render", str(cases), "--out", str(out), "--jobs", "2"]
    # SIGINT as a terminal's Ctrl-C finds it: a shell without job control (`pytest ... &`,
    # nohup, some CI runners) starts its background jobs with SIGINT ignored, every process
    # they start inherits that, and Python then never installs its Ctrl-C handler.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out.glob("TFC-2027-000*_*.pdf")):
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert "Traceback" not in stderr, stderr
    assert "interrupted" in stderr, (process.returncode, stdout[-3000:])
    leftovers = [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    written = [p for p in out.iterdir()]
    assert written, "the render was interrupted before anything was written"
    for path in written:
        _whole(path)


def test_a_folder_after_a_real_import_renders_each_case_once(tmp_path):
    """Issue 9 item 6: the importer's comparison file CASE.imported-DATE.yaml was rendered
    as a second case with the same reference, and `status` listed it as never reviewed."""
    repo = Path(__file__).resolve().parent.parent
    cases = tmp_path / "cases"
    export = str(repo / "examples/forms/example-form.csv")
    mapping = str(repo / "mappings/example-form.yaml")
    assert CliRunner().invoke(main, ["import", export, "-m", mapping, "--out", str(cases)]).exit_code == 0
    first = sorted(cases.glob("*.yaml"))[0]
    edited = first.read_text(encoding="utf-8").replace("delivery suite", "Ward 2 (edited)", 1)
    first.write_text(edited, encoding="utf-8")  # the social worker's work since the import
    again = CliRunner().invoke(main, ["import", export, "-m", mapping, "--out", str(cases)])
    comparison = list(cases.glob("*.imported-*.yaml"))
    assert comparison, again.output  # the real importer wrote its comparison file
    rendered = CliRunner().invoke(main, ["render", str(cases), "--audience", "delivery_suite",
                                         "--format", "html", "--out", str(tmp_path / "out"),
                                         "--jobs", "1"])
    assert rendered.exit_code == 0, rendered.output
    pages = sorted(p.name for p in (tmp_path / "out").rglob("*.html"))
    assert len(pages) == 3, pages
    assert "3 rendered" in rendered.output and comparison[0].name not in rendered.output
    status = CliRunner().invoke(main, ["status", str(cases)])
    assert comparison[0].name not in status.output
    plans = [line for line in status.output.splitlines() if not line.startswith(" ")]
    assert len(plans) == 3 and all(".imported-" not in line for line in plans), status.output
