"""Fictional plans for tests (drama-range phone numbers, 999 NHS numbers)."""

from __future__ import annotations

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def minimal_plan_text() -> str:
    return (EXAMPLES / "minimal.yaml").read_text(encoding="utf-8")
