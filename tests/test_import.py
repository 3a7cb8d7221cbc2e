"""Form exports in: mapping conversions, row errors, leading zeros, history, tidy YAML.

Every name, phone number and NHS number here is fictional (drama ranges, 999 NHS numbers).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from birthplan.cli import main
from birthplan.errors import BirthplanError
from birthplan.importer import import_export, read_export
from birthplan.load import load_plan, load_plan_text
from birthplan.importer.mapping import (
    AnswerError,
    Cell,
    MappingError,
    load_mapping,
    to_date,
    to_nhs_number,
    to_phone,
    to_time,
    to_yes_no,
)
from birthplan.validate import load_and_validate
from birthplan.yamlwrite import dump_plan, scalar

from .planfactory import EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data" / "import"
MAPPING = DATA / "mapping.yaml"
ERRORS_CSV = DATA / "responses-with-errors.csv"
EXAMPLE_MAPPING = ROOT / "mappings" / "example-form.yaml"
FORMS = EXAMPLES / "forms"
TODAY = dt.date(2027, 2, 3)

COLUMNS = ["Timestamp", "Email address", "Case reference", "Meeting date", "Meeting type", "Mother's name",
           "Due date", "NHS number", "Place of birth", "Midwife name", "Midwife phone", "Interpreter needed?",
           "Formats needed", "Birth partner 1 name", "Birth partner 1 phone", "Birth partner 2 name",
           "Birth partner 2 phone"]


def response(**answers) -> dict:
    """One valid response to the test form; keyword arguments override answers by column."""
    base = {
        "Timestamp": "03/02/2027 10:00:00", "Email address": "sw@example.org",
        "Case reference": "SWA-2027-0201", "Meeting date": "03/02/2027", "Meeting type": "Core group",
        "Mother's name": "Catrin Ŵyn Prydderch", "Due date": "12/04/2027", "NHS number": "999 000 0034",
        "Place of birth": "Singleton Hospital", "Midwife name": "Megan Rees", "Midwife phone": "07700 900310",
        "Interpreter needed?": "No", "Formats needed": "", "Birth partner 1 name": "",
        "Birth partner 1 phone": "", "Birth partner 2 name": "", "Birth partner 2 phone": "",
    }
    base.update({key.replace("_", " "): value for key, value in answers.items()})
    return base


def write_csv(path: Path, rows: list[dict], *, encoding="utf-8", delimiter=",", errors="strict") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="", errors=errors) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(tmp_path, export: Path, mapping: Path = MAPPING, **options):
    out = tmp_path / "plans"
    return import_export(export, mapping, out, today=TODAY, **options), out


def only_plan(out: Path) -> dict:
    plans = sorted(out.glob("*.yaml"))
    assert len(plans) == 1, plans
    return load_plan(plans[0]).data


def import_one(tmp_path, **answers) -> dict:
    result, out = run(tmp_path, write_csv(tmp_path / "form.csv", [response(**answers)]))
    assert result.ok, [p.format() for p in result.problems]
    return only_plan(out)


# -- the shipped example form -------------------------------------------------------------


@pytest.mark.parametrize("name", ["example-form.csv", "example-form.xlsx", "example-form.json"])
def test_shipped_example_exports_import_into_valid_plans(tmp_path, name):
    result, out = run(tmp_path, FORMS / name, EXAMPLE_MAPPING)
    assert result.ok and result.total == 3, [p.format() for p in result.problems]
    names = sorted(p.name for p in out.iterdir())
    assert names == ["TFC-2027-0301.yaml", "TFC-2027-0302.yaml", "TFC-2027-0303.yaml"]
    for path in out.iterdir():
        plan, report = load_and_validate(path)
        assert report.ok, [p.format() for p in report.errors]


def test_csv_xlsx_and_json_exports_of_one_form_give_the_same_plans(tmp_path):
    plans = {}
    for name in ("example-form.csv", "example-form.xlsx", "example-form.json"):
        result, out = run(tmp_path / name, FORMS / name, EXAMPLE_MAPPING)
        assert result.ok
        plans[name] = {p.name: load_plan(p).data for p in out.iterdir()}
    assert plans["example-form.csv"] == plans["example-form.xlsx"] == plans["example-form.json"]
    first = plans["example-form.csv"]["TFC-2027-0301.yaml"]
    # the shipped XLSX stores this birth partner's phone as the number 7700900318
    second = plans["example-form.xlsx"]["TFC-2027-0302.yaml"]
    assert second["visitors"]["birth_partners"][0]["phone"] == "07700 900318"
    assert first["contacts"][0]["role"] == "emergency_duty_team"  # the fixed list comes first
    assert [c["role"] for c in first["contacts"][1:]] == ["social_worker", "community_midwife", "health_visitor"]
    assert first["visitors"]["must_not_visit"][0]["reason"]["third_party"] is True


def test_example_mapping_documents_every_question_of_its_export():
    mapping = load_mapping(EXAMPLE_MAPPING)
    export = read_export(FORMS / "example-form.csv")
    assert mapping.column_problems(export.columns) == []


# -- conversions ---------------------------------------------------------------------------


@pytest.mark.parametrize("answer, expected", [
    ("21/03/2027", "2027-03-21"),
    ("1/3/2027", "2027-03-01"),
    ("21.03.2027", "2027-03-21"),
    ("2027-03-21", "2027-03-21"),
    ("21/03/2027 00:00:00", "2027-03-21"),
    ("21 March 2027", "2027-03-21"),
    ("21st Mar 2027", "2027-03-21"),
    ("21 Mawrth 2027", "2027-03-21"),
    (dt.datetime(2027, 3, 21, 0, 0), "2027-03-21"),
    (dt.date(2027, 3, 21), "2027-03-21"),
])
def test_uk_dates(answer, expected):
    assert to_date(answer) == expected


def test_month_first_dates_when_the_mapping_says_so():
    assert to_date("03/21/2027", "month_first") == "2027-03-21"


@pytest.mark.parametrize("answer, reason", [
    ("31/02/2027", "February 2027 has no day 31"),
    ("21/13/2027", "there is no month 13"),
    ("21/03/27", "two digits"),
    ("next Tuesday", "not a date"),
    (46467, "holds a number, not a date"),
])
def test_dates_that_cannot_be_read_say_why(answer, reason):
    with pytest.raises(AnswerError, match=reason):
        to_date(answer)


@pytest.mark.parametrize("answer, expected", [
    ("Yes", True), ("No", False), ("Y", True), ("n", False), ("TRUE", True), ("False", False),
    ("Ie", True), ("Na", False), ("Oes", True), ("Nac oes", False), ("Ydw", True), ("Nac ydw", False),
    ("Yes / Ydw", True), ("No / Nac ydw", False), (True, True), (False, False),
])
def test_yes_no_answers_in_english_and_welsh(answer, expected):
    assert to_yes_no(answer) is expected


@pytest.mark.parametrize("answer", ["Maybe", "Yes / Na", ""])
def test_unclear_yes_no_answers_are_refused(answer):
    with pytest.raises(AnswerError, match="not a yes/no answer"):
        to_yes_no(answer)


@pytest.mark.parametrize("answer, expected", [
    ("09:30", "09:30"), ("9:30", "09:30"), ("9.30am", "09:30"), ("2pm", "14:00"), ("2:15 p.m.", "14:15"),
    ("12am", "00:00"), ("14:00:00", "14:00"), (dt.time(9, 30), "09:30"), (0.395833333, "09:30"),
])
def test_times(answer, expected):
    assert to_time(answer) == expected


def test_welsh_yes_no_and_multi_choice_through_the_form(tmp_path):
    plan = import_one(tmp_path, **{"Interpreter needed?": "Oes", "Formats needed": "Easy Read;Large print;"})
    assert plan["communication"]["interpreter"] is True
    assert plan["communication"]["formats"] == ["easy_read", "large_print"]


def test_multi_choice_separator_is_configurable(tmp_path):
    mapping = tmp_path / "google.yaml"
    mapping.write_text(MAPPING.read_text(encoding="utf-8").replace(
        "name: Test form", "name: Test form\nlist_separator: \", \""), encoding="utf-8")
    export = write_csv(tmp_path / "form.csv", [response(Formats_needed="Large print, Easy Read")])
    result, out = run(tmp_path, export, mapping)
    assert result.ok
    assert only_plan(out)["communication"]["formats"] == ["large_print", "easy_read"]


def test_enum_values_map_and_plain_wording(tmp_path):
    plan = import_one(tmp_path, Meeting_type="Pre-birth planning / Cynllunio cyn geni")
    assert plan["plan"]["meeting"]["type"] == "pre_birth_planning"
    # without a values entry, the schema's own value in the form's words is accepted
    plan = import_one(tmp_path / "2", Meeting_type="Discharge planning")
    assert plan["plan"]["meeting"]["type"] == "discharge_planning"


def test_several_columns_make_one_list_of_people_and_gaps_close(tmp_path):
    plan = import_one(tmp_path, **{"Birth partner 2 name": "Paweł Łukasiewicz",
                                   "Birth partner 2 phone": "07700 900556"})
    assert plan["visitors"]["birth_partners"] == [{"name": "Paweł Łukasiewicz", "phone": "07700 900556"}]
    plan = import_one(tmp_path / "2", **{"Birth partner 1 name": "Rhodri Llŷr Bowen",
                                         "Birth partner 2 name": "Nia Prydderch",
                                         "Birth partner 2 phone": "07700 900557"})
    assert [p["name"] for p in plan["visitors"]["birth_partners"]] == ["Rhodri Llŷr Bowen", "Nia Prydderch"]


def test_fixed_values_and_ignored_columns(tmp_path):
    plan = import_one(tmp_path)
    assert plan["schema_version"] == 2
    assert plan["plan"]["authority"] == "swansea" and plan["plan"]["nation"] == "wales"
    assert plan["contacts"] == [{"role": "community_midwife", "name": "Megan Rees", "phone": "07700 900310"}]
    assert plan["at_birth"] == {"in_hours": [], "out_of_hours": []}
    text = next((tmp_path / "plans").glob("*.yaml")).read_text(encoding="utf-8")
    assert "sw@example.org" not in text and "10:00:00" not in text  # ignored columns


def test_a_fixed_value_in_a_numbered_item_joins_only_an_item_the_form_filled(tmp_path):
    rows = list(csv.DictReader((FORMS / "example-form.csv").open(encoding="utf-8", newline="")))
    second = rows[1]  # its health visitor questions were left blank
    assert not second["Health visitor name"]
    result, out = run(tmp_path, write_csv(tmp_path / "one.csv", [second]), EXAMPLE_MAPPING)
    assert result.ok
    roles = [c["role"] for c in only_plan(out)["contacts"]]
    # the health visitor's fixed role (contacts[3].role) was not added on its own
    assert roles == ["emergency_duty_team", "social_worker", "community_midwife"]


def test_values_map_to_nothing_for_not_applicable(tmp_path):
    mapping = tmp_path / "na.yaml"
    mapping.write_text(MAPPING.read_text(encoding="utf-8").replace(
        "  NHS number: people.mother.nhs_number",
        "  NHS number:\n    field: people.mother.nhs_number\n    values:\n      Not known yet:"), encoding="utf-8")
    result, out = run(tmp_path, write_csv(tmp_path / "f.csv", [response(NHS_number="Not known yet")]), mapping)
    assert result.ok
    assert "nhs_number" not in only_plan(out)["people"]["mother"]


def test_share_with_and_third_party_options_mark_free_text(tmp_path):
    mapping = load_mapping(EXAMPLE_MAPPING)
    reason = next(q for q in mapping.questions if q.column == "Person who must not visit: reason")
    assert reason.convert(Cell("From the police.")) == {"text": "From the police.", "third_party": True}


def test_names_keep_accents_and_scripts_as_real_characters(tmp_path):
    names = {"SWA-2027-0301": "Gwenllïan Ŵyn Llŷr", "SWA-2027-0302": "Małgorzata Żółkiewska",
             "SWA-2027-0303": "فاطمة الزهراء"}
    rows = [response(Case_reference=ref, **{"Mother's name": name}) for ref, name in names.items()]
    result, out = run(tmp_path, write_csv(tmp_path / "f.csv", rows))
    assert result.ok
    for ref, name in names.items():
        text = (out / f"{ref}.yaml").read_text(encoding="utf-8")
        assert name in text and "\\u" not in text
        assert load_plan(out / f"{ref}.yaml").data["people"]["mother"]["name"] == name


# -- encodings and file types ----------------------------------------------------------------


@pytest.mark.parametrize("encoding, delimiter", [
    ("utf-8", ","), ("utf-8-sig", ","), ("utf-16", "\t"), ("utf-8", ";"),
])
def test_csv_encodings_and_delimiters_are_detected(tmp_path, encoding, delimiter):
    export = write_csv(tmp_path / "f.csv", [response()], encoding=encoding, delimiter=delimiter)
    exported = read_export(export)
    assert exported.columns == COLUMNS
    assert exported.responses[0].cells["Mother's name"].value == "Catrin Ŵyn Prydderch"
    assert exported.notes == []


def test_windows_1252_csv_is_read_with_a_note(tmp_path):
    export = write_csv(tmp_path / "f.csv", [response(**{"Mother's name": "Zoë Brontë"})], encoding="cp1252")
    exported = read_export(export)
    assert exported.responses[0].cells["Mother's name"].value == "Zoë Brontë"
    assert "Windows-1252" in exported.notes[0]


def test_json_export_with_lists_for_multi_choice(tmp_path):
    answer = response(Formats_needed=None)
    answer["Formats needed"] = ["Large print", "Easy Read"]
    answer["Midwife phone"] = 7700900310  # a tool that stored the number as a number
    export = tmp_path / "f.json"
    export.write_text(json.dumps([answer], ensure_ascii=False), encoding="utf-8")
    result, out = run(tmp_path, export)
    assert result.ok
    plan = only_plan(out)
    assert plan["communication"]["formats"] == ["large_print", "easy_read"]
    assert plan["contacts"][0]["phone"] == "07700 900310"


# -- leading zeros from real XLSX number cells -------------------------------------------------


def write_xlsx(path: Path, rows: list[dict], number_cells: dict) -> Path:
    """rows as dicts; number_cells: {(row index, column): (number, number_format)}."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(rows[0]))
    for index, row in enumerate(rows):
        values = []
        for column, value in row.items():
            values.append(number_cells.get((index, column), (value or None, None))[0])
        sheet.append(values)
        for column, (_, number_format) in ((c, v) for (i, c), v in number_cells.items() if i == index):
            if number_format:
                cell = sheet.cell(row=index + 2, column=list(row).index(column) + 1)
                cell.number_format = number_format
    workbook.save(path)
    return path


def test_xlsx_number_cells_get_their_leading_zeros_back(tmp_path):
    row = response(**{"Birth partner 1 name": "Rhodri Llŷr Bowen"})
    export = write_xlsx(tmp_path / "form.xlsx", [row], {
        (0, "Midwife phone"): (7700900123, None),  # typed 07700900123, stored as a General number
        (0, "Birth partner 1 phone"): (1632960555, "00000 000000"),  # the display format keeps zero and space
        (0, "NHS number"): (9990000018, None),
        (0, "Due date"): (dt.datetime(2027, 4, 12), "dd/mm/yyyy"),
    })
    cell = openpyxl.load_workbook(export).active["K2"]
    assert cell.value == 7700900123 and isinstance(cell.value, int)  # really a number in the file
    result, out = run(tmp_path, export)
    assert result.ok, [p.format() for p in result.problems]
    plan = only_plan(out)
    assert plan["contacts"][0]["phone"] == "07700 900123"
    assert plan["visitors"]["birth_partners"][0]["phone"] == "01632 960555"
    assert plan["people"]["mother"]["nhs_number"] == "999 000 0018"
    assert plan["people"]["mother"]["due_date"] == "2027-04-12"


@pytest.mark.parametrize("value, number_format, expected", [
    (7700900123, None, "07700 900123"),
    (7700900123.0, "General", "07700 900123"),
    (2079460000, None, "020 7946 0000"),
    (1632960123, None, "01632 960123"),
    (1632960123, "00000 000000", "01632 960123"),
    (1632960123, '0000\\ 000\\ 0000', "01632 960123"),  # every copy shows one form
    (447700900123, None, "07700 900123"),
    ("07700 900123", None, "07700 900123"),
    ("1632960130", None, "01632 960130"),  # a CSV saved from Excel after the zero was lost
    ("(01632) 960-130", None, "01632 960130"),
])
def test_phone_numbers_from_numbers(value, number_format, expected):
    assert to_phone(value, number_format) == expected


def test_nhs_numbers_are_written_in_one_form():
    assert to_nhs_number("9990000018") == "999 000 0018"
    assert to_nhs_number("999 000 0018") == "999 000 0018"
    assert to_nhs_number(9990000018) == "999 000 0018"
    assert to_nhs_number(9990000018, "000-000-0000") == "999 000 0018"


@pytest.mark.parametrize("value", ["7700900", "07700 9005", "0770090031199", "1632 96013"])
def test_phone_numbers_that_are_not_whole_are_refused(value):
    with pytest.raises(AnswerError, match="digit|start with 0"):
        to_phone(value)


def test_nhs_number_with_a_wrong_check_digit_is_refused():
    with pytest.raises(AnswerError, match="check digit"):
        to_nhs_number("999 000 0019")


def test_xlsx_rows_are_numbered_as_the_spreadsheet_shows_them(tmp_path):
    rows = [response(Case_reference="SWA-2027-0401"), response(Case_reference="SWA-2027-0402", Due_date="32/04/2027")]
    export = write_xlsx(tmp_path / "form.xlsx", rows, {})
    result, _ = run(tmp_path, export)
    assert [p.where for p in result.problems] == ["row 3"]


# -- row errors --------------------------------------------------------------------------------


def test_each_failed_response_is_reported_by_row_question_and_reason(tmp_path):
    result, out = run(tmp_path, ERRORS_CSV)
    messages = [p.format() for p in result.problems]
    assert messages == [
        'row 3, question "Due date" [People > mother > due date]: not a real date: February 2027 has no day 31.',
        'row 4, question "Mother\'s name" [People > mother > name]: was left blank, but the plan needs an '
        "answer here.",
        'row 5, question "Meeting type" [Plan > meeting > meeting type]: not one of the answers the mapping '
        "knows (Core group; Pre-birth planning / Cynllunio cyn geni); if the form has a new answer, add it "
        "under 'values:' in the mapping.",
        'row 6, question "Midwife phone" [Contacts > item 1 > phone]: the phone number holds letters or '
        "signs a phone number cannot have: write it as a UK number such as 01632 960212 or 07700 900123 "
        "(or +44 7700 900123).",
    ]
    # the good responses were still written, in full, and nothing else was left behind
    assert sorted(p.name for p in out.iterdir()) == ["SWA-2027-0101.yaml", "SWA-2027-0106.yaml"]
    for path in out.iterdir():
        assert load_and_validate(path)[1].ok


def test_cli_exit_code_is_1_when_any_row_failed_and_answers_are_not_printed(tmp_path):
    result = CliRunner().invoke(main, ["import", str(ERRORS_CSV), "--mapping", str(MAPPING),
                                       "--out", str(tmp_path / "plans")])
    assert result.exit_code == 1
    assert 'row 6, question "Midwife phone"' in result.output
    assert "imported 2 of 6 response(s); 4 could not be imported" in result.output
    assert "call the office" not in result.output  # answers are never echoed (they may be sensitive)
    assert "Traceback" not in result.output


def test_cli_exit_code_is_0_for_a_clean_import(tmp_path):
    result = CliRunner().invoke(main, ["import", str(FORMS / "example-form.csv"), "-m", str(EXAMPLE_MAPPING),
                                       "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "imported 3 of 3 response(s)." in result.output


def test_two_responses_for_one_case_are_both_refused(tmp_path):
    rows = [response(), response(Due_date="13/04/2027")]
    result, out = run(tmp_path, write_csv(tmp_path / "f.csv", rows))
    assert [p.where for p in result.problems] == ["row 2", "row 3"]
    assert "same case reference" in result.problems[0].message
    assert not list(out.iterdir())


def test_file_names_come_from_the_case_reference_never_a_name(tmp_path):
    result, out = run(tmp_path, write_csv(tmp_path / "f.csv", [response()]))
    assert [p.name for p in out.iterdir()] == ["SWA-2027-0201.yaml"]
    bad, out2 = run(tmp_path / "2", write_csv(tmp_path / "g.csv", [response(Case_reference="../Catrin Prydderch")]))
    assert bad.problems and bad.problems[0].columns == ("Case reference",)
    assert not list(out2.iterdir())


def test_a_json_answer_that_is_a_group_of_answers_is_a_row_error(tmp_path):
    answer = response()
    answer["Mother's name"] = {"first": "Catrin"}
    export = tmp_path / "f.json"
    export.write_text(json.dumps({"responses": [answer]}), encoding="utf-8")
    result, _ = run(tmp_path, export)
    assert result.problems[0].where == "response 1"
    assert result.problems[0].columns == ("Mother's name",)


# -- the mapping fails before anything is written --------------------------------------------------


def mapping_with(tmp_path, old: str, new: str) -> Path:
    text = MAPPING.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "mapping.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_unknown_field_fails_before_any_write_with_a_suggestion(tmp_path):
    mapping = mapping_with(tmp_path, "people.mother.due_date", "people.mother.due_dat")
    with pytest.raises(MappingError) as caught:
        run(tmp_path, ERRORS_CSV, mapping)
    assert "'due_dat' is not a field in People > mother. Did you mean 'due_date'?" in str(caught.value)
    assert not (tmp_path / "plans").exists()


def test_mapped_question_missing_from_the_export_fails_before_any_write(tmp_path):
    mapping = mapping_with(tmp_path, "  Due date: people", "  Due date (estimated): people")
    with pytest.raises(BirthplanError) as caught:
        run(tmp_path, ERRORS_CSV, mapping)
    message = str(caught.value)
    assert 'question "Due date (estimated)" is not in the export. Did you mean "Due date"?' in message
    assert "nothing was written" in message
    assert not (tmp_path / "plans").exists()


def test_export_question_the_mapping_does_not_mention_fails_before_any_write(tmp_path):
    mapping = mapping_with(tmp_path, "  - Email address\n", "")
    with pytest.raises(BirthplanError, match='does not mention: "Email address"'):
        run(tmp_path, ERRORS_CSV, mapping)
    assert not (tmp_path / "plans").exists()


@pytest.mark.parametrize("old, new, expected", [
    ("name: Test form", "name: Test form\nsplit_on: ';'", "unknown setting 'split_on'"),
    ("    field: plan.meeting.type", "    feild: plan.meeting.type", "give the plan field"),
    ("  Place of birth: people.place_of_birth\n", "", "nothing fills people.place_of_birth"),
    ("  Midwife name: contacts[1].name\n", "", "nothing fills contacts[1].name"),
    ("plan.nation: wales", "plan.nation: walse", "Did you mean 'wales'?"),
    ("  NHS number: people.mother.nhs_number", "  NHS number: people.mother.name", "both fill people.mother.name"),
    ("  Midwife name: contacts[1].name", "  Midwife name: contacts.name", "is a list: write contacts[1]"),
    ("  Due date: people.mother.due_date", "  Due date: {field: people.mother.due_date, kind: phone}",
     "takes date answers"),
    ("      Core group: core_group", "      Core group: core", "not one of the values this field takes"),
])
def test_mapping_mistakes_are_reported_with_their_line(tmp_path, old, new, expected):
    with pytest.raises(MappingError) as caught:
        load_mapping(mapping_with(tmp_path, old, new))
    assert expected in str(caught.value)
    assert str(tmp_path / "mapping.yaml") + ":" in str(caught.value)


def test_a_question_listed_twice_in_the_mapping_is_refused(tmp_path):
    mapping = mapping_with(tmp_path, "  Place of birth:", "  Due date: people.mother.due_date\n  Place of birth:")
    with pytest.raises(MappingError, match="'Due date' appears twice"):
        load_mapping(mapping)


# -- re-importing: never over a plan with history, never silently -------------------------------------


def test_reimport_never_overwrites_a_plan_with_history(tmp_path):
    export = write_csv(tmp_path / "f.csv", [response()])
    result, out = run(tmp_path, export)
    plan = out / "SWA-2027-0201.yaml"
    (out / "SWA-2027-0201.yaml.history").mkdir()
    original = plan.read_bytes()
    changed = write_csv(tmp_path / "g.csv", [response(Due_date="19/04/2027")])
    result, _ = run(tmp_path, changed, replace=True)  # not even with --replace
    assert plan.read_bytes() == original
    beside = out / "SWA-2027-0201.imported-2027-02-03.yaml"
    assert load_plan(beside).data["people"]["mother"]["due_date"] == "2027-04-19"
    assert "has a recorded review history, so it was not changed" in result.messages[0]
    assert str(beside) in result.messages[0]
    again, _ = run(tmp_path, write_csv(tmp_path / "h.csv", [response(Due_date="20/04/2027")]))
    assert (out / "SWA-2027-0201.imported-2027-02-03-2.yaml").is_file()
    assert plan.read_bytes() == original


def test_reimport_over_a_plan_without_history_writes_beside_unless_replace(tmp_path):
    run(tmp_path, write_csv(tmp_path / "f.csv", [response()]))
    plan = tmp_path / "plans" / "SWA-2027-0201.yaml"
    changed = write_csv(tmp_path / "g.csv", [response(Due_date="19/04/2027")])
    result, out = run(tmp_path, changed)
    assert "already exists and was not changed" in result.messages[0]
    assert load_plan(plan).data["people"]["mother"]["due_date"] == "2027-04-12"
    assert (out / "SWA-2027-0201.imported-2027-02-03.yaml").is_file()
    result, _ = run(tmp_path, changed, replace=True)
    assert "replaced" in result.messages[0]
    assert load_plan(plan).data["people"]["mother"]["due_date"] == "2027-04-19"


def test_reimporting_the_same_answers_changes_nothing(tmp_path):
    export = write_csv(tmp_path / "f.csv", [response()])
    run(tmp_path, export)
    before = sorted((tmp_path / "plans").iterdir())
    result, _ = run(tmp_path, export)
    assert "left unchanged" in result.messages[0]
    assert sorted((tmp_path / "plans").iterdir()) == before


# -- the YAML written -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["minimal.yaml", "sunderland-full.yaml", "swansea-full.yaml"])
def test_written_yaml_round_trips_every_example_plan(name):
    data = load_plan(EXAMPLES / name).data
    assert load_plan_text(dump_plan(data), "written.yaml").data == data


def test_written_yaml_is_tidy(tmp_path):
    plan_path = next(iter(sorted(run(tmp_path, FORMS / "example-form.csv", EXAMPLE_MAPPING)[1].iterdir())))
    text = plan_path.read_text(encoding="utf-8")
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys == ["schema_version", "plan", "people", "address", "communication", "legal_status",
                    "concerns", "contacts", "at_birth", "visitors", "ward", "wishes", "appointments",
                    "agreement"]  # schema order
    assert "# People\npeople:\n" in text and "# Appointments\nappointments:\n" in text
    assert "  summary: |-\n    Eirlys's first child" in text  # a block scalar for text over several lines
    assert '    date: "2027-01-14"' in text and 'start: "10:00"' in text


@pytest.mark.parametrize("value", ["07700900123", "no", "yes", "Yes", "y", "N", "on", "off", "true", "False",
                                   "null", "~", "09:30", "10:30", "2027-03-21", "1e3", "0o17", "0x1F", ".inf",
                                   "- dash", "a: b", "#1", "@home", "", " padded", "100%", "[x]"])
def test_strings_other_yaml_tools_would_misread_are_quoted(value):
    written = scalar(value)
    assert yaml.safe_load(f"key: {written}")["key"] == value  # PyYAML (YAML 1.1)
    assert load_plan_text(minimal_text_with_name(written)).data["people"]["mother"]["name"] == value


def minimal_text_with_name(written: str) -> str:
    return (EXAMPLES / "minimal.yaml").read_text(encoding="utf-8").replace("name: Jo Example", f"name: {written}")


_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_any_text_round_trips_through_the_writer(text):
    data = load_plan(EXAMPLES / "minimal.yaml").data
    data["concerns"] = {"summary": text, "parent_summary": {"text": text, "share_with": ["parent"]}}
    written = dump_plan(data)
    assert load_plan_text(written, "written.yaml").data == data
    assert yaml.safe_load(written)["concerns"]["summary"] == text


def test_a_row_with_more_answers_than_headings_is_a_row_error(tmp_path):
    export = tmp_path / "f.csv"
    write_csv(export, [response()])
    export.write_text(export.read_text(encoding="utf-8").rstrip("\r\n") + ",stray answer\r\n", encoding="utf-8")
    result, out = run(tmp_path, export)
    assert result.problems[0].where == "row 2"
    assert "more answers than the export has headings" in result.problems[0].message
    assert not list(out.iterdir())


def test_a_write_that_fails_part_way_leaves_only_whole_plans(tmp_path, monkeypatch):
    import errno

    import birthplan.importer as importer

    real_write = importer.write_text_atomic
    calls = []

    def disk_full_on_second_plan(path, text, **options):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(path, text, **options)

    monkeypatch.setattr(importer, "write_text_atomic", disk_full_on_second_plan)
    with pytest.raises(BirthplanError, match="No space left on device"):
        run(tmp_path, FORMS / "example-form.csv", EXAMPLE_MAPPING)
    out = tmp_path / "plans"
    assert [p.name for p in out.iterdir()] == ["TFC-2027-0301.yaml"]
    assert load_and_validate(out / "TFC-2027-0301.yaml")[1].ok


def test_every_bad_cell_of_a_row_is_reported_at_once(tmp_path):
    export = write_csv(tmp_path / "form.csv", [response(**{
        "Due date": "31/02/2027", "NHS number": "999 000 0019", "Midwife phone": "07700 9005",
        "Mother's name": ""})])
    result, out = run(tmp_path, export)
    problems = {p.columns[0]: p.message for p in result.problems}
    assert set(problems) == {"Due date", "NHS number", "Midwife phone", "Mother's name"}, \
        [p.format() for p in result.problems]
    assert "February 2027 has no day 31" in problems["Due date"]
    assert "check digit" in problems["NHS number"]
    assert "too short" in problems["Midwife phone"]
    assert not out.exists() or not list(out.glob("*.yaml"))


def test_a_phone_number_that_lost_its_zero_in_a_csv_is_restored(tmp_path):
    export = write_csv(tmp_path / "form.csv", [response(**{"Midwife phone": "1632960130"})])
    result, out = run(tmp_path, export)
    assert result.ok, [p.format() for p in result.problems]
    assert only_plan(out)["contacts"][0]["phone"] == "01632 960130"


def test_letters_lost_to_a_windows_csv_are_warned_per_row_and_column(tmp_path):
    # What Excel's "CSV (Comma delimited)" writes for names Windows-1252 cannot hold.
    rows = [response(**{"Mother's name": "Małgorzata Żak", "Case reference": "SWA-2027-0301"}),
            response(**{"Mother's name": "فاطمة زهراء", "Case reference": "SWA-2027-0302"})]
    export = tmp_path / "form.csv"
    write_csv(export, rows, encoding="cp1252", errors="replace")
    result, out = run(tmp_path, export)
    warnings = [w.format() for w in result.warnings]
    assert any(w.startswith('row 2, question "Mother\'s name"') for w in warnings), warnings
    assert any(w.startswith('row 3, question "Mother\'s name"') for w in warnings), warnings
    assert all("CSV UTF-8" in w for w in warnings)
    assert not any("Ma?gorzata" in w or "????" in w for w in warnings)  # answers are not quoted
    # the plans are still written (a name with '?' is not unreadable), and validate warns too
    report = load_and_validate(out / "SWA-2027-0301.yaml")[1]
    assert report.ok
    assert any("letters" in p.message and "?" in p.message for p in report.warnings)
