"""Properties that hold for every valid plan, not just the examples."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings

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
