"""Check a plan against the schema and the rules a reviewer would apply.

Every problem is reported at once, located by file, line and column, named
in plain words, and says what was expected. Messages never quote the plan's
free text: they may end up in logs or in an email to the helpdesk.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from birthplan import fields, rules, values
from birthplan.load import Plan, read_plan, read_value
from birthplan.tree import nodes
from birthplan.problems import ERROR, WARNING, Problem
from birthplan.resources import plan_schema


@dataclass
class Report:
    file: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, problem: Problem) -> None:
        found = self.errors if problem.severity == ERROR else self.warnings
        if problem not in found:  # the loader and the value check may say the same thing
            found.append(problem)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "valid": self.ok,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": [p.as_dict() for p in self.warnings],
        }


def load_and_validate(path: str | Path) -> tuple[Plan | None, Report]:
    """Load and validate a plan file. A file that cannot be read gives errors, not an exception.

    A missing file still raises ``UsageError`` (exit code 2).
    """
    plan, load_problems = read_plan(path)
    return plan, validate_read(plan, load_problems, str(path))


def validate_read(plan: Plan | None, load_problems: list[Problem], name: str) -> Report:
    """The report for a plan as ``read_plan`` gave it: what the loader found, then the checks."""
    report = Report(name)
    for problem in load_problems:
        report.add(problem)
    if plan is not None:
        # A value the loader already rejected (an impossible date) is not reported twice.
        already = {(p.line, p.column) for p in load_problems}
        for problem in _check(plan):
            if (problem.line, problem.column) not in already:
                report.add(problem)
    report.errors.sort(key=_order)
    report.warnings.sort(key=_order)
    return report


def validate_plan(plan: Plan) -> Report:
    """Validate a plan already loaded (schema, then the reviewers' rules)."""
    report = Report(plan.name)
    for problem in _check(plan):
        report.add(problem)
    report.errors.sort(key=_order)
    report.warnings.sort(key=_order)
    return report


def _order(problem: Problem):
    return (problem.line or 0, problem.column or 0, problem.message)


def _check(plan: Plan) -> list[Problem]:
    unreadable = value_problems(plan)
    # A value that cannot be read is explained once, by what is wrong with it, not also by
    # the schema's pattern for it.
    explained = {(p.line, p.column, p.field) for p in unreadable}
    schema = [p for p in schema_problems(plan) if (p.line, p.column, p.field) not in explained]
    return schema + unreadable + rules.check(plan)


def value_problems(plan: Plan) -> list[Problem]:
    """Dates, times, phone and NHS numbers that cannot be read, as the loader reports them.

    For data that did not come through the loader (the workspace's form); for a file
    the loader has already said the same at the same place, and that is kept once.
    """
    problems = []
    for path, value in nodes(plan.data):
        if isinstance(value, str) and (node := fields.node_at(path)) is not None:
            message = read_value(value, node)[1]
            if message:
                line, col = plan.location(path)
                problems.append(Problem(plan.name, line, col, fields.label(path), message,
                                        kind="value", path=tuple(path)))
    return problems


@lru_cache(maxsize=1)
def _validator():
    from jsonschema import Draft202012Validator, FormatChecker

    return Draft202012Validator(plan_schema(), format_checker=FormatChecker())


def schema_problems(plan: Plan) -> list[Problem]:
    problems: list[Problem] = []
    for error in _validator().iter_errors(plan.data):
        problems.extend(_explain(plan, error))
    return problems


_KINDS = {
    str: "text", bool: "true or false", int: "a whole number", float: "a number",
    list: "a list", dict: "a set of fields", type(None): "nothing",
}
_TYPE_WORDS = {
    "string": "text", "boolean": "true or false", "integer": "a whole number",
    "array": "a list (lines starting with '-')", "object": "a set of fields (name: value lines)",
}


def _explain(plan: Plan, error) -> list[Problem]:
    path = tuple(error.absolute_path)
    kind = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}

    def at(message: str, where: tuple = path, key: bool = False, label_path: tuple = path,
           problem_kind: str = kind) -> Problem:
        line, col = plan.location(where, key=key)
        return Problem(plan.name, line, col, fields.label(label_path), message,
                       kind=problem_kind, path=label_path)

    if kind == "required":
        missing = error.message.split("'")[1]
        if path + (missing,) in plan.key_locations:  # written, but with nothing after it
            return [at(_empty_advice(path + (missing,)), where=path + (missing,), key=True,
                       label_path=path + (missing,), problem_kind="empty")]
        # at the section it belongs in (its key's line), not at the section's first field
        return [at(f"'{missing}' is required but missing: {_where_to_add(missing, path)}.", key=True,
                   label_path=path + (missing,))]
    if kind == "additionalProperties":
        allowed = list(schema.get("properties", {}))
        out = []
        for key in sorted(set(error.instance) - set(allowed)):
            hint = _did_you_mean(key, allowed)
            out.append(at(f"unknown field '{key}'.{hint} Allowed here: {', '.join(allowed)}.",
                          where=path + (key,), key=True, label_path=path))
        return out
    if kind == "anyOf" and isinstance(error.instance, dict):
        # A free-text item written as a mapping: explain what is wrong inside it.
        inner = [e for e in error.context if e.validator != "type"]
        if inner:
            return [p for e in inner for p in _explain(plan, e)]
        return [at("expected text, or a mapping with text: (and optionally share_with:, third_party:).")]
    if kind == "anyOf":
        found = _KINDS.get(type(error.instance), "something else")
        if isinstance(error.instance, str) and not error.instance:
            return [at("must not be empty: write the text, or remove the line.", problem_kind="minLength")]
        return [at(f"expected text, found {found}.", problem_kind="type")]
    if kind == "enum":
        choices = [str(c) for c in error.validator_value]
        hint = _did_you_mean(str(error.instance), choices) if isinstance(error.instance, str) else ""
        return [at(f"expected one of: {', '.join(choices)}.{hint}")]
    if kind == "const":
        return [at(f"must be {error.validator_value}.")]
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
        found = _KINDS.get(type(error.instance), "something else")
        advice = ""
        if wanted == "boolean":
            word = error.instance.strip().lower() if isinstance(error.instance, str) else ""
            if word in ("yes", "no", "y", "n", "on", "off"):
                meant = "true" if word in ("yes", "y", "on") else "false"
                advice = f" Write {meant} (without quotes) for '{word}': this field takes only true or false."
            else:
                advice = " Write true or false (without quotes)."
        return [at(f"expected {_TYPE_WORDS.get(wanted, wanted)}, found {found}.{advice}")]
    if kind == "format" and error.validator_value == "date":
        return [at(f"expected a date written {values.DATE_FORMS}.")]
    if kind == "pattern":
        return [at(f"not in the expected form. {_hint(path)}{_hyphenated(error.instance, error.validator_value)}")]
    if kind == "minLength":
        return [at("must not be empty: write the text, or remove the line.")]
    if kind == "minItems":
        return [at(f"needs at least {error.validator_value} item(s).")]
    if kind == "uniqueItems":
        return [at("lists the same value twice; remove the repeat.")]
    return [at(f"does not match the schema ({kind}).")]


def _where_to_add(missing: str, path: tuple) -> str:
    if not path:
        return f"add '{missing}:' at the start of a line, not indented"
    if isinstance(path[-1], int):
        return f"add '{missing}:' to this item of '{next(k for k in reversed(path) if isinstance(k, str))}'"
    return f"add '{missing}:' under '{path[-1]}:'"


def _empty_advice(path: tuple) -> str:
    """What to write under a required field that was written with nothing after it."""
    node = fields.node_at(path) or {}
    if node.get("type") == "array":
        item = fields.node_at(path + (0,)) or {}
        first = (item.get("required") or list(item.get("properties", {})) or [None])[0]
        example = f"'- {first}: ...'" if first else "'- ...'"
        return (f"is empty: add an entry on the next line, indented, starting {example}; "
                "or write [] if there is nobody or nothing to list.")
    if node.get("type") == "object":
        needed = ", ".join(f"{key}:" for key in node.get("required", ())) or "its fields"
        return f"is empty: fill in {needed} on the lines below it, indented."
    return "is empty: write the value after the colon."


def _hint(path: tuple) -> str:
    node = fields.node_at(path) or {}
    return node.get("description", "")


def _hyphenated(written, pattern: str) -> str:
    """ "TFC 2027 0311" -> " Did you mean 'TFC-2027-0311'?", when hyphens for the spaces,
    slashes or underscores make it fit (a reference is often typed with spaces)."""
    if not isinstance(written, str):
        return ""
    candidate = re.sub(r"[\s_/]+", "-", written.strip())
    # only a value with a digit in it is quoted back: never a name typed in the wrong field
    fits = candidate != written and re.search(r"\d", candidate) and re.search(pattern, candidate)
    return f" Did you mean '{candidate}'?" if fits else ""


def _did_you_mean(word: str, choices: list[str]) -> str:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if not match:
        match = difflib.get_close_matches(word.lower().replace(" ", "_").replace("-", "_"), choices, n=1, cutoff=0.6)
    if match and not _same_first_word(word, match[0]):
        return ""  # "domestic abuse" is not a slip for "physical_abuse": a wrong guess misleads
    return f" Did you mean '{match[0]}'?" if match else ""


def _same_first_word(written: str, choice: str) -> bool:
    """Whether the first words agree (one begins the other, or a typo apart): what a
    value means is mostly in its first word, while endings like "_abuse" are shared."""
    first = re.split(r"[\s_\-]+", written.strip().lower())[0]
    wanted = choice.split("_")[0]
    return (first.startswith(wanted) or wanted.startswith(first)
            or difflib.SequenceMatcher(None, first, wanted).ratio() >= 0.7)


__all__ = ["Report", "Problem", "load_and_validate", "validate_read", "validate_plan", "schema_problems", "WARNING", "ERROR"]
