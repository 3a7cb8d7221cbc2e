"""The schema documents itself, and starter plans validate as written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from birthplan import fields, schema_doc
from birthplan.cli import main
from birthplan.resources import schema_path
from birthplan.validate import load_and_validate

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
    assert fields.default_audiences(("visitors", "must_not_visit", 0, "reason")) == {"professional", "parent"}
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
    assert report.ok and not report.warnings, [p.format() for p in report.errors + report.warnings]
    assert plan.data["plan"]["authority"] == authority


def test_init_never_overwrites_without_force(tmp_path):
    target = tmp_path / "plan.yaml"
    target.write_text("my work")
    result = CliRunner().invoke(main, ["init", "--authority", "swansea", str(target)])
    assert result.exit_code == 2
    assert target.read_text() == "my work"


_KEYWORDS = {"$schema", "$id", "$ref", "$defs", "title", "description", "type", "properties", "required",
             "additionalProperties", "items", "enum", "const", "pattern", "format", "minLength", "minItems",
             "uniqueItems", "anyOf", "examples", "x-audiences"}


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
