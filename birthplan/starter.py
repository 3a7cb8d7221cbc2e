"""Commented starter plans for ``birthplan init``."""

from __future__ import annotations

from pathlib import Path

from birthplan.atomic import write_text_atomic
from birthplan.errors import UsageError
from birthplan.resources import schemas_dir


def starter_text(authority: str) -> str:
    path = schemas_dir() / "starters" / f"{authority}.yaml"
    if not path.is_file():
        raise UsageError(f"no starter plan for authority '{authority}'")
    return path.read_text(encoding="utf-8")


def write_starter(authority: str, path: Path, *, force: bool = False) -> Path:
    """Write the starter to ``path``; never over a plan that has a review history.

    ``force`` replaces an ordinary file, but a plan with a history folder is an
    agreed record: replacing it would make every recorded version disagree with
    the file, so that is refused whatever the flag says.
    """
    from birthplan.history.store import history_dir

    if history_dir(path).exists():
        raise UsageError(f"{path} has a review history ({history_dir(path).name}), so it is "
                         "an agreed plan and init will not replace it, with --force or "
                         "without. Edit the plan itself, or write the starter to another name.")
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; choose another name or add --force")
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent}: no such folder")
    return write_text_atomic(path, starter_text(authority))
