"""Properties that hold for every valid plan, not just the examples."""

from __future__ import annotations

import copy

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from birthplan.audience import AUDIENCES, view_for, withheld_paths
from birthplan.load import load_plan_text
from birthplan.validate import validate_plan

from .strategies import valid_plans

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(valid_plans())
def test_generated_plans_are_valid_and_survive_a_yaml_round_trip(plan):
    text = yaml.safe_dump(plan, allow_unicode=True, sort_keys=False)
    loaded = load_plan_text(text, "generated.yaml")
    assert loaded.data == plan
    report = validate_plan(loaded)
    assert report.ok, [p.format() for p in report.errors]


def _get(data, path):
    for key in path:
        data = data[key]
    return data


def _mark_every_string(value, counter):
    """Replace every string with a unique marker, so a leak is a simple substring test."""
    if isinstance(value, dict):
        return {k: (v if k == "share_with" else _mark_every_string(v, counter)) for k, v in value.items()}
    if isinstance(value, list):
        return [_mark_every_string(v, counter) for v in value]
    if isinstance(value, str):
        counter.append(None)
        return f"MARK{len(counter):05d}X"
    return value


def _strings(value):
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


@SETTINGS
@given(valid_plans())
def test_nothing_withheld_reaches_a_view(plan):
    marked = _mark_every_string(plan, [])
    for audience in AUDIENCES:
        view_text = yaml.safe_dump(view_for(marked, audience), allow_unicode=True)
        for path in withheld_paths(marked, audience):
            for marker in _strings(_get(marked, path)):
                if marker.startswith("MARK"):
                    assert marker not in view_text, (audience, path)


def _text_items(value, path=()):
    """Every free-text item written as a mapping, with its path."""
    if isinstance(value, dict):
        if "text" in value and set(value) <= {"text", "share_with", "third_party"}:
            yield path, value
            return
        for key, sub in value.items():
            yield from _text_items(sub, path + (key,))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _text_items(sub, path + (i,))


@SETTINGS
@given(valid_plans())
def test_the_written_rules_hold_independently_of_the_redaction_code(plan):
    """An oracle written from the domain brief, not from audience.py."""
    marked = _mark_every_string(plan, [])
    views = {a: yaml.safe_dump(view_for(marked, a), allow_unicode=True) for a in AUDIENCES}
    for path, item in _text_items(marked):
        if item.get("third_party"):
            assert item["text"] not in views["parent"], path
        for audience in AUDIENCES:
            if "share_with" in item and audience not in item["share_with"]:
                assert item["text"] not in views[audience], (audience, path)
    address = marked.get("address")
    if address and address["protected"]:
        for line in address["lines"]:
            assert line not in views["delivery_suite"] and line not in views["parent"]
    summary = marked.get("concerns", {}).get("summary")
    if isinstance(summary, str):
        assert summary not in views["parent"] and summary not in views["delivery_suite"]


# -- two versions: "what changed" from what the audience may see in both ---------------------


def _free_text_paths(value, path=()):
    """Paths of every free-text value (the schema's text type), written plainly or as a mapping."""
    from birthplan import fields

    if "anyOf" in (fields.node_at(path) or {}) and path:
        yield path
        return
    if isinstance(value, dict):
        for key, sub in value.items():
            yield from _free_text_paths(sub, path + (key,))
    elif isinstance(value, list):
        for i, sub in enumerate(value):
            yield from _free_text_paths(sub, path + (i,))


def _put(data, path, value):
    _get(data, path[:-1])[path[-1]] = value


def _told(previous, current, audience):
    from birthplan.render.changes import changes_between

    return changes_between(previous, current, audience)


@SETTINGS
@given(valid_plans(), st.data())
def test_a_text_newly_withheld_and_reworded_leaves_the_audiences_changes(plan, data):
    """v2 withholds one text the audience could see and rewords it: nothing changed for them."""
    from birthplan.audience import visible_at

    previous = _mark_every_string(plan, [])
    audience = data.draw(st.sampled_from(["delivery_suite", "parent"]))
    seen = [p for p in _free_text_paths(previous) if visible_at(previous, p, audience)]
    assume(seen)
    path = data.draw(st.sampled_from(seen))
    current = copy.deepcopy(previous)
    _put(current, path, {"text": "REWORDED00001X", "share_with": ["professional"]})
    assert _told(previous, current, audience) == [], (audience, path)
    assert _told(previous, previous, audience) == []  # an unchanged plan has no changes


@SETTINGS
@given(valid_plans(), st.data())
def test_withheld_words_equal_to_a_visible_field_invent_no_change(plan, data):
    """v2 sets a text the audience may not see to words it sees elsewhere: nothing changed for them."""
    from birthplan.audience import view_for, visible_at

    previous = _mark_every_string(plan, [])
    audience = data.draw(st.sampled_from(["delivery_suite", "parent"]))
    hidden = [p for p in _free_text_paths(previous) if not visible_at(previous, p, audience)]
    shown = [s for s in _strings(view_for(previous, audience)) if s.startswith("MARK")]
    assume(hidden and shown)
    path, words = data.draw(st.sampled_from(hidden)), data.draw(st.sampled_from(shown))
    current = copy.deepcopy(previous)
    item = _get(current, path)
    _put(current, path, {**item, "text": words} if isinstance(item, dict) else words)
    assert _told(previous, current, audience) == [], (audience, path, words)
