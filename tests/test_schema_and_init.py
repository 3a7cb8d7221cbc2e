"""The schema documents itself, and starter plans validate as written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from birthplan import fields, schema_doc
from birthplan.cli import main
from birthplan.resources import schema_path
from birthplan.validate import load_and_validate

from .conftest import EXAMPLES

REPO = Path(__file__).resolve().parent.parent


def test_schema_is_valid_draft_2020_12():
    schema = json.loads(schema_path().read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def _properties(node, path=()):
    node = fields.resolve(node)
    for key, sub in node.get("properties", {}).items():
        yield path + (key,), fields.resolve(sub)
        yield from _properties(sub, path + (key,))
    items = node.get("items")
    if isinstance(items, dict):
        yield from _properties(items, path + (0,))


def test_every_field_has_title_and_description_for_a_social_worker():
    schema = json.loads(schema_path().read_text())
    for path, node in _properties(schema):
        assert node.get("title"), path
        assert len(node.get("description", "")) > 5, path


@pytest.mark.parametrize("section", [
    "plan", "people", "address", "communication", "legal_status", "concerns", "contacts",
    "at_birth", "visitors", "ward", "wishes", "if_separated", "baby_health", "discharge",
    "appointments", "agreement",
])
def test_every_domain_section_is_covered(section):
    assert fields.node_at((section,)) is not None


def test_default_audiences_come_from_the_schema():
    assert fields.default_audiences(("concerns", "summary")) == {"professional"}
    assert fields.default_audiences(("appointments", 0, "what")) == {"professional", "parent"}
    reason = ("visitors", "must_not_visit", 0, "reason")
    assert fields.default_audiences(reason) == {"professional", "delivery_suite", "parent"}
    assert fields.third_party_audiences(reason) == {"professional"}
    assert fields.third_party_audiences(("ward", "details")) == {"professional", "delivery_suite"}
    assert fields.default_audiences(("people", "siblings")) == {"professional", "parent"}
    assert fields.default_audiences(("at_birth", "out_of_hours")) == {"professional", "delivery_suite", "parent"}


def test_checked_in_schema_doc_is_up_to_date():
    checked_in = (REPO / "docs" / "schema.md").read_text(encoding="utf-8")
    assert checked_in == schema_doc.markdown(), (
        "docs/schema.md is stale: run `birthplan schema --markdown -o docs/schema.md`")


def test_schema_markdown_command_prints_the_doc():
    result = CliRunner().invoke(main, ["schema", "--markdown"])
    assert result.exit_code == 0
    assert "| `visitors.must_not_visit[].action` | Action if they arrive |" in result.output


@pytest.mark.parametrize("authority,term", [("swansea", "care_and_support_protection"),
                                            ("sunderland", "child_protection")])
def test_init_writes_a_commented_starter_that_validates(tmp_path, authority, term):
    target = tmp_path / "plan.yaml"
    result = CliRunner().invoke(main, ["init", "--authority", authority, str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert text.startswith("# Co-produced birth plan")
    assert term in text
    plan, report = load_and_validate(target)
    assert report.ok, [p.format() for p in report.errors]
    # it validates, and every example left to replace is pointed out at its line
    assert report.warnings and all("is still the starter's example" in p.message for p in report.warnings), \
        [p.format() for p in report.warnings]
    fields = {p.field for p in report.warnings}
    assert "People > intended place of birth" in fields and "Plan > case reference" in fields, fields
    # a number nobody answers, and the example date (a bank holiday), are pointed out too;
    # the pack's own out-of-hours line is the real one and is not
    assert {"Contacts > item 1 > phone", "Plan > meeting > meeting date"} <= fields, fields
    assert "Contacts > item 2 > phone" not in fields, fields
    assert plan.data["plan"]["authority"] == authority


def test_no_example_plan_is_mistaken_for_an_unfinished_starter():
    for example in sorted(EXAMPLES.glob("*.yaml")):
        report = load_and_validate(example)[1]
        assert not [p for p in report.warnings if "starter's example" in p.message], example.name


def test_init_never_overwrites_without_force(tmp_path):
    target = tmp_path / "plan.yaml"
    target.write_text("my work")
    result = CliRunner().invoke(main, ["init", "--authority", "swansea", str(target)])
    assert result.exit_code == 2
    assert target.read_text() == "my work"


_KEYWORDS = {"$schema", "$id", "$ref", "$defs", "title", "description", "type", "properties", "required",
             "additionalProperties", "items", "enum", "const", "pattern", "format", "minLength", "minItems",
             "uniqueItems", "anyOf", "examples", "x-audiences", "x-third-party-audiences",
             "x-language-neutral"}


def test_schema_uses_only_known_keywords():
    """A typo or a YAML comma slip (`description: a, b`) would otherwise pass check_schema silently."""
    schema = json.loads(schema_path().read_text())

    def walk(node, where):
        if isinstance(node, dict):
            for key, value in node.items():
                assert value is not None, where + [key]
                if key in ("properties", "$defs"):
                    for name, sub in value.items():
                        walk(sub, where + [key, name])
                else:
                    assert key in _KEYWORDS, where + [key]
                    walk(value, where + [key])
        elif isinstance(node, list):
            for i, sub in enumerate(node):
                walk(sub, where + [i])

    walk(schema, [])


_STUB = re.compile(r"^(\s*)# (\s*(?:[a-z_]+:(?:\s|$)|- ).*)$")


def _uncommented(starter: str) -> str:
    """The starter with every stub (``# key: ...`` or ``# - ...``) switched on."""
    head, _, body = starter.partition("schema_version:")
    lines = [_STUB.sub(r"\1\2", line) for line in body.splitlines()]
    return head + "schema_version:" + "\n".join(lines) + "\n"


def _schema_paths(node: dict, defs: dict, prefix: tuple = ()) -> list[tuple]:
    """Every field path in the schema (list items as ``[]``), text objects as one field."""
    while "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name == "text":  # a string or {text, share_with, third_party}: one field to fill in
            return [prefix]
        node = defs[name]
    if "properties" in node:
        paths = [prefix] if prefix else []
        for key, child in node["properties"].items():
            paths += _schema_paths(child, defs, prefix + (key,))
        return paths
    if node.get("type") == "array" and isinstance(node.get("items"), dict):
        return [prefix] + _schema_paths(node["items"], defs, prefix + ("[]",))
    return [prefix]


def _has_path(data, path: tuple) -> bool:
    if not path:
        return True
    if path[0] == "[]":
        return isinstance(data, list) and any(_has_path(item, path[1:]) for item in data)
    return isinstance(data, dict) and path[0] in data and _has_path(data[path[0]], path[1:])


@pytest.mark.parametrize("authority", ["swansea", "sunderland"])
def test_starter_has_a_stub_for_every_field_and_still_validates_filled_in(tmp_path, authority):
    """Issue 9 item 14: every section of the schema is in the starter, as a commented stub
    a social worker can switch on; switched on, the stubs make a plan with no errors."""
    from birthplan.starter import starter_text

    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    target = tmp_path / "all.yaml"
    target.write_text(_uncommented(starter_text(authority)), encoding="utf-8")
    plan, report = load_and_validate(target)
    assert report.ok, [p.format() for p in report.errors]
    missing = [".".join(path) for path in _schema_paths(schema, schema.get("$defs", {}))
               if not _has_path(plan.data, path)]
    assert not missing, f"the starter has no stub for: {missing}"
    assert "see docs/schema.md ---" not in starter_text(authority)


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_init_never_replaces_a_plan_with_a_review_history(tmp_path, force):
    """Issue 9 item 7: `init --force` overwrote a plan that had recorded versions."""
    target = tmp_path / "plan.yaml"
    assert CliRunner().invoke(main, ["init", "--authority", "sunderland", str(target)]).exit_code == 0
    history = tmp_path / "plan.yaml.history"
    history.mkdir()
    (history / "v0001.json").write_text("{}")
    target.write_text("# the agreed plan\n")
    result = CliRunner().invoke(main, ["init", "--authority", "swansea", *force, str(target)])
    assert result.exit_code == 2
    assert "review history" in result.output and "another name" in result.output
    assert target.read_text() == "# the agreed plan\n"


@pytest.mark.parametrize("authority", ["swansea", "sunderland"])
def test_the_starters_comments_say_how_values_are_read(tmp_path, authority):
    """The starter said "Phone numbers are kept exactly as typed" and `start: "10:00" # 24-hour
    time in quotes`, while numbers are checked and shown in one form and times need no quotes."""
    target = tmp_path / "plan.yaml"
    assert CliRunner().invoke(main, ["init", "--authority", authority, str(target)]).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "exactly as typed" not in text and "in quotes" not in text
    assert "checked" in text and "9.30am" in text
    # The appointment stub, used as the comment says (times unquoted), validates and reads right.
    stub = text[text.index("# appointments:"):text.index("# --- Agreement")]
    used = "\n".join(line[2:] if line.startswith("# ") else line for line in stub.splitlines())
    target.write_text(text + "\n" + used, encoding="utf-8")
    plan, report = load_and_validate(target)
    assert report.ok, [p.format() for p in report.errors]
    appointment = plan.data["appointments"][0]
    assert (appointment["start"], appointment["end"]) == ("09:30", "10:30")
    assert plan.data["contacts"][0]["phone"] == "01632 960000"
