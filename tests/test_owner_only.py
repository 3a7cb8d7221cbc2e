"""Issue 9 item 3: every file birthplan writes is readable only by its owner.

The field trial found history files, rendered documents and the plan from
``init`` created -rw-r--r-- under the everyday umask 022. Each command runs
here with umask 022 and every file and folder it created is checked: files
0600, folders 0700.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from birthplan.cli import main
from tests.test_history import ATTENDEES, plan_text

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _everything(root: Path) -> set[Path]:
    return {path for path in root.rglob("*")}


def _modes(paths) -> dict[str, str]:
    return {str(path): oct(stat.S_IMODE(path.lstat().st_mode)) for path in sorted(paths)}


def test_every_command_creates_owner_only_files_and_folders(tmp_path, umask_022, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cases = tmp_path / "cases"
    cases.mkdir()
    plan = cases / "plan.yaml"
    plan.write_text(plan_text(), encoding="utf-8")
    plan.chmod(0o600)
    attendees = [arg for person in ATTENDEES for arg in ("--attendee", person)]
    commands = [
        ["init", "--authority", "sunderland", "cases/new.yaml"],
        ["review", "cases/plan.yaml", "--date", "14/01/2027", "--meeting", "core_group", *attendees],
        ["sent", "cases/plan.yaml", "--to", "Named midwife", "--date", "15/01/2027"],
        ["render", "cases/plan.yaml", "--format", "html", "--out", "single/copies"],
        ["render", "cases", "--format", "html", "--out", "batch", "--jobs", "1"],
        ["calendar", str(REPO / "examples/sunderland-full.yaml"), "-o", "appointments.ics"],
        ["import", str(REPO / "examples/forms/example-form.csv"),
         "--mapping", str(REPO / "mappings/example-form.yaml"), "--out", "imported/new"],
        ["schema", "--markdown", "-o", "fields.md"],
        ["review", "cases/plan.yaml", "--entered-in-error", "1", "--reason", "wrong file"],
    ]
    wrong = {}
    for command in commands:
        before = _everything(tmp_path)
        result = CliRunner().invoke(main, command)
        assert result.exit_code == 0, (command, result.output)
        created = _everything(tmp_path) - before
        assert created, f"{command[0]} created nothing"
        for path, mode in _modes(created).items():
            expected = "0o700" if Path(path).is_dir() else "0o600"
            if mode != expected:
                wrong[path] = (command[0], mode)
    assert not wrong, wrong
    assert (tmp_path / "cases/plan.yaml.history/v0001.yaml").exists()
    assert (tmp_path / "cases/plan.yaml.history/corrections.jsonl").exists()
    assert list((tmp_path / "batch").rglob("*.html")) and list((tmp_path / "imported/new").glob("*.yaml"))
