"""Commented starter plans for ``birthplan init``."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from birthplan.atomic import write_text_atomic
from birthplan.errors import UsageError
from birthplan.resources import schemas_dir


# Words a starter writes that can be right as they stand (a team's or service's name, a
# role, when to ring): a plan may keep them. Every other value a starter writes, in its
# stubs too, is an example to replace ("Name of the hospital and ward", "In my own words.").
KEPT_AS_WRITTEN = frozenset({
    "Emergency Duty Team", "Social worker", "Together for Children", "Swansea Council",
    "Swansea Council Child and Family Services", "Maternity services", "Midwifery", "Health visiting",
    "Advocacy service", "Ambulance service", "Antenatal check", "Family time", "Sunderland", "Swansea",
    "when labour starts", "as soon as the baby is born", "mother", "social worker", "community midwife",
    "baby's father", "mother's sister", "Mon-Fri 9am-5pm", "Bring your maternity notes.",
})
# The shipped packs' out-of-hours line, which the starters write where it belongs.
KEPT_NUMBERS = frozenset({"01632 960999"})
# The starters' example date: New Year's Day, when no meeting or letter happens.
EXAMPLE_DATE = "2027-01-01"
_VALUE = re.compile(r"([a-z_]+): ([^,{}\[\]#]+?)\s*(?=,|}|$|#)")  # "key: value" in block or flow style
_COMMENT_AFTER_VALUE = re.compile(r"\S[ \t]+#(.*)$")  # "key: value   # a note" (stubs too)


@lru_cache(maxsize=1)
def example_texts() -> frozenset[str]:
    """The example texts of every starter (commented-out stubs included), less KEPT_AS_WRITTEN."""
    found = {value for _, value in _starter_pairs()}
    # choices, field paths, dates, numbers and flags are checked by the schema, not here
    return frozenset(text for text in found - KEPT_AS_WRITTEN
                     if text and not re.fullmatch(r"[a-z_]+(\.[a-z_0-9]+)*|true|false|[\d/ .:+-]+(am|pm)?", text))


@lru_cache(maxsize=1)
def example_numbers() -> frozenset[str]:
    """The starters' example phone numbers, in the one display form a plan's data holds."""
    from birthplan.values import parse_phone

    numbers = set()
    for key, text in _starter_pairs():
        if key == "phone":
            try:
                numbers.add(parse_phone(text).display)
            except ValueError:
                continue
    return frozenset(numbers - KEPT_NUMBERS)


@lru_cache(maxsize=1)
def comments_after_values() -> frozenset[str]:
    """The notes the starters write after a value on its line ("when preferred_language is
    other"), stripped: a plan filled in from a starter keeps them, and they are not lost text."""
    found = set()
    for path in sorted((schemas_dir() / "starters").glob("*.yaml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = _COMMENT_AFTER_VALUE.search(line)
            if match:
                found.add(match.group(1).strip())
    return frozenset(found)


def _starter_pairs():
    """Every "key: value" the starters write, in block or flow style, commented out or not."""
    for path in sorted((schemas_dir() / "starters").glob("*.yaml")):
        for line in path.read_text(encoding="utf-8").splitlines():
            body = re.sub(r"^\s*#?\s*(- )?", "", line)
            for match in _VALUE.finditer(body):
                yield match.group(1), match.group(2).strip()


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
