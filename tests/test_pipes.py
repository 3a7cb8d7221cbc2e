"""Issue 9 item 8: `birthplan status cases/ | head -1` ended in "internal error
(BrokenPipeError)", exit 3. A reader that stops early must end any command
quietly, with the status a shell gives a command ended by a closed pipe."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_history import ATTENDEES, plan_text

REPO = Path(__file__).resolve().parent.parent
BIRTHPLAN = [sys.executable, "-m", "birthplan.cli"]


@pytest.fixture(scope="module")
def caseload(tmp_path_factory) -> Path:
    from birthplan.history import record_review

    folder = tmp_path_factory.mktemp("cases")
    for number in range(3):
        plan = folder / f"plan{number}.yaml"
        plan.write_text(plan_text(), encoding="utf-8")
        record_review(plan, "2027-01-14", "core_group", ATTENDEES)
        plan.write_text(plan_text(stage="pre_proceedings"), encoding="utf-8")
        record_review(plan, "2027-01-14", "core_group", ATTENDEES)
    shutil.copy(REPO / "examples/sunderland-full.yaml", folder / "full.yaml")
    return folder


def _with_closed_stdout(args: list[str]) -> subprocess.CompletedProcess:
    """Run birthplan writing to a pipe whose reader has already gone (like `| head -0`)."""
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: the first write fails with EPIPE
    try:
        return subprocess.run(BIRTHPLAN + args, stdout=write_end, stderr=subprocess.PIPE,
                              text=True, timeout=120, cwd=REPO)
    finally:
        os.close(write_end)


@pytest.mark.parametrize("command", [
    ["status", "{cases}"],
    ["history", "{cases}/plan0.yaml"],
    ["diff", "{cases}/plan0.yaml"],
    ["verify", "{cases}/plan0.yaml"],
    ["validate", "{cases}/full.yaml"],
    ["schema"],
    ["--help"],
    ["render", "--help"],
])
def test_a_closed_pipe_ends_the_command_quietly(caseload, command):
    result = _with_closed_stdout([part.format(cases=caseload) for part in command])
    assert result.stderr == "", result.stderr
    assert result.returncode == 141


def test_head_reads_the_first_line_and_nothing_complains(caseload):
    """The shell pipeline from the field trial, for real."""
    pipeline = subprocess.run(["bash", "-c", 'set -o pipefail; "$@" status "$0" | head -1',
                               str(caseload), *BIRTHPLAN],
                              capture_output=True, text=True, timeout=120, cwd=REPO)
    assert pipeline.stdout.count("\n") == 1 and pipeline.stdout.strip()
    assert "error" not in pipeline.stderr.lower(), pipeline.stderr
    assert pipeline.returncode in (0, 141)
