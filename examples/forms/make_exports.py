"""Regenerate example-form.xlsx and example-form.json from example-form.csv.

    /path/to/venv/bin/python examples/forms/make_exports.py

The CSV is the source (as Google Forms writes it). The XLSX is written the
way a spreadsheet ends up after people have typed into it, so the importer's
handling of real cell types is shown by a shipped file:

* dates and times are date and time cells, not text;
* the second response's birth partner phone is a number cell (Excel dropped the
  leading zero when it was typed), which the importer gives back as 07700 900318;
* the third response's NHS number is a number cell shown with the format
  000 000 0000, and its social worker's phone one shown with 00000 000000.

The JSON export gives multi-choice answers as lists, as most form tools' APIs do.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from pathlib import Path

import openpyxl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from birthplan.importer.mapping import load_mapping, to_date, to_time  # noqa: E402

FIXED_TIME = dt.datetime(2027, 1, 28, 12, 0, 0)  # so regenerating changes only what changed
NUMBER_CELLS = {
    # (response number, question): number format
    (2, "Birth partner 1 phone"): "General",
    (3, "Mother's NHS number"): "000 000 0000",
    (3, "Social worker phone"): "00000 000000",
}


def main() -> None:
    mapping = load_mapping(HERE.parent.parent / "mappings" / "example-form.yaml")
    kinds = {q.column: q.kind.kind for q in mapping.questions}
    with (HERE / "example-form.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header, responses = rows[0], rows[1:]
    write_xlsx(header, responses, kinds)
    write_json(header, responses, {q.column for q in mapping.questions if q.kind.is_list and q.split == ";"})


def write_xlsx(header: list[str], responses: list[list[str]], kinds: dict[str, str]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Form1"
    sheet.append(header)
    for number, row in enumerate(responses, start=1):
        sheet.append([None] * len(header))
        for column, (question, text) in enumerate(zip(header, row), start=1):
            cell = sheet.cell(row=number + 1, column=column)
            if not text:
                continue
            if (number, question) in NUMBER_CELLS:
                cell.value = int(text.replace(" ", ""))
                cell.number_format = NUMBER_CELLS[(number, question)]
            elif question == "Timestamp":
                cell.value = dt.datetime.strptime(text, "%d/%m/%Y %H:%M:%S")
                cell.number_format = "dd/mm/yyyy hh:mm:ss"
            elif kinds.get(question) == "date":
                cell.value = dt.date.fromisoformat(to_date(text))
                cell.number_format = "dd/mm/yyyy"
            elif kinds.get(question) == "time":
                cell.value = dt.time.fromisoformat(to_time(text))
                cell.number_format = "hh:mm"
            else:
                cell.value = text
    workbook.properties.creator = "birthplan example"
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    workbook.save(HERE / "example-form.xlsx")


def write_json(header: list[str], responses: list[list[str]], multi_choice: set[str]) -> None:
    out = []
    for row in responses:
        response = {}
        for question, text in zip(header, row):
            if question in multi_choice:
                response[question] = [part for part in text.split(";") if part]
            else:
                response[question] = text or None
        out.append(response)
    text = json.dumps({"responses": out}, ensure_ascii=False, indent=2) + "\n"
    (HERE / "example-form.json").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
