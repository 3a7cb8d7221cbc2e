"""Run `birthplan validate` on a small plan, as a user would, and read what it prints."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from birthplan.cli import main


def validate_output(tmp_path: Path, text: str, name: str = "plan.yaml") -> tuple[int, list[str]]:
    """Write ``text`` as a plan file and validate it: the exit code and the printed lines."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    prefix = f"{path}:"
    return result.exit_code, [line.replace(prefix, f"{name}:", 1) for line in result.output.splitlines()]


def at(text: str, needle: str, offset: int = 0) -> str:
    """``line:column`` (1-based) of ``needle`` in ``text``, plus ``offset`` columns."""
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1 + offset
    return f"{line}:{column}"


def line_of(text: str, needle: str) -> int:
    return text.count("\n", 0, text.index(needle)) + 1
