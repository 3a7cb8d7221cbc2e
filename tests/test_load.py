"""The loader keeps what the author wrote and refuses what it cannot trust."""

from __future__ import annotations

import time

import pytest

from birthplan.errors import PlanLoadError, UsageError
from birthplan.load import MAX_BYTES, load_plan, load_plan_text, read_plan

from .planfactory import minimal_plan_text


def write(tmp_path, text: str, name="plan.yaml", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def only_problem(path):
    plan, problems = read_plan(path)
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


def test_phone_keeps_leading_zero_and_is_held_in_one_form(tmp_path):
    text = minimal_plan_text().replace("phone: 07700 900001", "phone: 07700900123")
    path = write(tmp_path, text)
    plan = load_plan(path)
    assert plan.data["contacts"][0]["phone"] == "07700 900123"
    assert path.read_text() == text  # the file keeps what the author wrote


def test_no_stays_no_where_text_is_wanted(tmp_path):
    text = minimal_plan_text() + "wishes:\n  photos: no\n  feeding: yes\n  vitamin_k: off\n"
    plan = load_plan(write(tmp_path, text))
    assert plan.data["wishes"] == {"photos": "no", "feeding": "yes", "vitamin_k": "off"}


def test_times_are_not_read_as_sexagesimal_numbers(tmp_path):
    text = minimal_plan_text() + (
        "appointments:\n  - {what: Scan, agency: Midwifery, date: 2027-02-01, start: 09:30}\n"
    )
    plan = load_plan(write(tmp_path, text))
    assert plan.data["appointments"][0]["start"] == "09:30"


def test_booleans_only_true_false_where_schema_wants_boolean(tmp_path):
    text = minimal_plan_text() + "address:\n  lines: [1 Test Road]\n  protected: true\n"
    plan = load_plan(write(tmp_path, text))
    assert plan.data["address"]["protected"] is True
    # 'yes' is not turned into a boolean: it stays text, and validation explains.
    text = minimal_plan_text() + "address:\n  lines: [1 Test Road]\n  protected: yes\n"
    plan = load_plan(write(tmp_path, text))
    assert plan.data["address"]["protected"] == "yes"


def test_quoted_true_stays_text(tmp_path):
    text = minimal_plan_text() + 'wishes:\n  photos: "true"\n'
    assert load_plan(write(tmp_path, text)).data["wishes"]["photos"] == "true"


def test_schema_version_becomes_integer(tmp_path):
    plan = load_plan(write(tmp_path, minimal_plan_text()))
    assert plan.data["schema_version"] == 2 and plan.written_version == 2


def test_a_version_1_plan_is_read_as_version_2(tmp_path):
    text = minimal_plan_text().replace("schema_version: 2", "schema_version: 1")
    plan = load_plan(write(tmp_path, text))
    assert plan.written_version == 1 and plan.data["schema_version"] == 2


@pytest.mark.parametrize("written", ["2027-03-21", "21/03/2027", "21/3/2027"])
def test_dates_iso_and_uk_order(tmp_path, written):
    text = minimal_plan_text().replace("due_date: 2027-05-01", f"due_date: {written}")
    plan = load_plan(write(tmp_path, text))
    assert plan.data["people"]["mother"]["due_date"] == "2027-03-21"


def test_impossible_date_is_an_error_with_its_line(tmp_path):
    text = minimal_plan_text().replace("due_date: 2027-05-01", "due_date: 31/02/2027")
    path = write(tmp_path, text)
    problem = only_problem(path)
    line = text.splitlines().index("  mother: {name: Jo Example, due_date: 31/02/2027}") + 1
    assert problem.line == line
    assert "February 2027 has no day 31" in problem.message
    assert problem.field == "People > mother > due date"
    with pytest.raises(PlanLoadError):
        load_plan(path)


def test_a_bare_comma_inside_a_braced_value_is_an_error_not_lost_words(tmp_path):
    # {name: Jo Example, Newcastle, ...}: YAML reads "Newcastle" as a key with no value;
    # dropping it as "not filled in" would lose the author's words without a word.
    text = minimal_plan_text().replace(
        "  place_of_birth: Sunderland Royal Hospital",
        "  place_of_birth: Sunderland Royal Hospital\n"
        "  partner: {name: Sam Example, Newcastle upon Tyne, relationship: father}")
    problem = only_problem(write(tmp_path, text))
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "Newcastle" in l)
    assert problem.line == line
    assert "comma" in problem.message and "quotes" in problem.message
    assert "Newcastle" not in problem.message  # never quote plan words


def test_an_empty_known_field_in_braces_is_still_just_not_filled_in(tmp_path):
    text = minimal_plan_text().replace("{name: Jo Example, due_date: 2027-05-01}",
                                       "{name: Jo Example, due_date: 2027-05-01, nhs_number: }")
    plan, problems = read_plan(write(tmp_path, text))
    assert problems == [] and "nhs_number" not in plan.data["people"]["mother"]


def test_duplicate_key_names_both_lines(tmp_path):
    text = minimal_plan_text() + (
        "visitors:\n"
        "  must_not_visit:\n"
        "    - {name: Test Person One, action: call_police}\n"
        "  must_not_visit:\n"
        "    - {name: Test Person Two, action: call_police}\n"
    )
    lines = text.splitlines()
    first = lines.index("  must_not_visit:") + 1
    second = first + 2
    problem = only_problem(write(tmp_path, text))
    assert problem.line == second
    assert f"lines {first} and {second}" in problem.message
    assert problem.field == "Visitors > must not visit"


def test_duplicate_key_deep_in_a_list_item(tmp_path):
    text = minimal_plan_text().replace(
        "  - {role: community_midwife, name: Alex Sample, phone: 07700 900001}",
        "  - role: community_midwife\n    name: Alex Sample\n    name: Sam Other\n",
    )
    problem = only_problem(write(tmp_path, text))
    assert "appears twice" in problem.message
    assert problem.field == "Contacts > item 1 > name"


def test_bom_is_accepted(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + minimal_plan_text().encode())
    assert load_plan(path).data["plan"]["authority"] == "sunderland"


def test_non_utf8_file_is_refused_with_line(tmp_path):
    text = minimal_plan_text().replace("Jo Example", "Zoë Example")
    path = write(tmp_path, text, encoding="latin-1")
    problem = only_problem(path)
    assert "not UTF-8" in problem.message
    assert problem.line == text.splitlines().index("  mother: {name: Zoë Example, due_date: 2027-05-01}") + 1
    assert problem.file == str(path)


def test_oversize_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# padding\n" * (MAX_BYTES // 10 + 10))
    started = time.perf_counter()
    problem = only_problem(path)
    assert time.perf_counter() - started < 1
    assert "at most 2,097,152 bytes" in problem.message


def test_alias_bomb_is_refused_quickly(tmp_path):
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i, name in enumerate("bcdefghij"):
        prev = "abcdefghij"[i]
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    path = write(tmp_path, "\n".join(bomb) + "\n")
    started = time.perf_counter()
    problem = only_problem(path)
    assert time.perf_counter() - started < 2
    assert "aliases" in problem.message


def test_recursive_alias_is_refused(tmp_path):
    problem = only_problem(write(tmp_path, "a: &a\n  b: *a\n"))
    assert "refers to itself" in problem.message


def test_python_tags_are_refused(tmp_path):
    problem = only_problem(write(tmp_path, "a: !!python/object/apply:os.system ['true']\n"))
    assert "not allowed" in problem.message
    assert problem.line == 1


def test_yaml_syntax_error_points_at_line(tmp_path):
    text = minimal_plan_text() + "wishes:\n  feeding: [unclosed\n"
    problem = only_problem(write(tmp_path, text))
    assert problem.line == len(text.splitlines())  # the line the list opens on
    assert problem.message.startswith("the list that opens here with '[' is never closed")


def test_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        read_plan(tmp_path / "nope.yaml")


def test_empty_values_mean_not_filled_in(tmp_path):
    text = minimal_plan_text().replace("  place_of_birth: Sunderland Royal Hospital",
                                       "  place_of_birth: Sunderland Royal Hospital\n  baby_surname:")
    assert "baby_surname" not in load_plan(write(tmp_path, text)).data["people"]


def test_load_plan_text_matches_file(tmp_path):
    text = minimal_plan_text()
    assert load_plan_text(text, "x").data == load_plan(write(tmp_path, text)).data


def test_after_a_syntax_error_every_tab_at_a_line_start_is_reported_too(tmp_path):
    """An unquoted ': ' on one line and a tab starting a later line: `validate` showed only
    the first, so the author fixed it, ran again, and only then heard of the second."""
    from click.testing import CliRunner

    from birthplan.cli import main

    text = (minimal_plan_text()
            + "wishes:\n  other: Meeting: 9am at the hospital\n"
            + "communication:\n\tinterpreter: false\n  notes: fine\n\t\n\tpreferred_language: Welsh\n")
    lines = text.splitlines()
    colon = lines.index("  other: Meeting: 9am at the hospital") + 1
    tabs = [number for number, line in enumerate(lines, start=1) if line.startswith("\t") and line.strip()]
    plan, problems = read_plan(write(tmp_path, text))
    assert plan is None
    assert [p.line for p in problems] == [colon, *tabs]
    assert "put free text that contains ': ' in quotes" in problems[0].message
    assert all(p.message.startswith(f"line {p.line} starts with a tab") for p in problems[1:])
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "plan.yaml")])
    assert result.exit_code == 1
    assert all(f"plan.yaml:{line}" in result.output for line in (colon, *tabs)), result.output


def test_a_tab_that_is_the_syntax_error_is_reported_once(tmp_path):
    text = minimal_plan_text().replace("  out_of_hours: []", "\tout_of_hours: []")
    assert "starts with a tab" in only_problem(write(tmp_path, text)).message
