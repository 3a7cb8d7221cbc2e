"""Reading a form export (CSV, XLSX, JSON) into responses, each a row of answer cells.

The encodings Google and Microsoft produce are read, with a note when one had to be
guessed; rows are numbered as the person sees them in their spreadsheet.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from birthplan.errors import BirthplanError, UsageError
from birthplan.importer.answers import Cell

MAX_EXPORT_BYTES = 50 * 1024 * 1024
_DELIMITERS = (",", ";", "\t")


@dataclass
class Response:
    row: int  # as the person sees it: the spreadsheet row, or the response's position in JSON
    cells: dict[str, Cell]  # keyed by the export's column heading
    problem: str | None = None  # a response that could not even be read cell by cell


@dataclass
class Export:
    path: Path
    columns: list[str]
    responses: list[Response]
    row_word: str = "row"  # "row" in a spreadsheet, "response" in JSON
    notes: list[str] = field(default_factory=list)

    def where(self, row: int) -> str:
        return f"{self.row_word} {row}"


def read_export(path: str | Path, sheet: str | None = None) -> Export:
    """Read a CSV, XLSX or JSON form export."""
    path = Path(path)
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    if path.stat().st_size > MAX_EXPORT_BYTES:
        raise BirthplanError(f"{path}: the file is larger than {MAX_EXPORT_BYTES // (1024 * 1024)} MB; "
                             "is it the right export?")
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, sheet)
    if suffix == ".json":
        return read_json(path)
    if suffix == ".xls":
        raise UsageError(f"{path}: old Excel files (.xls) cannot be read; open it in Excel and save it "
                         "as an Excel Workbook (.xlsx) or CSV UTF-8.")
    raise UsageError(f"{path}: the export must be a .csv, .xlsx or .json file.")


def decode_text(raw: bytes, path: Path) -> tuple[str, list[str]]:
    """Text from the encodings Google and Microsoft produce, with a note when it was guessed."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict"), []
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode Text"
        return raw.decode("utf-16"), []
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        raise BirthplanError(f"{path}: the file's text encoding is not one the tool knows. Save it as "
                             "CSV UTF-8 (in Excel: Save As, 'CSV UTF-8 (Comma delimited)').") from None
    return text, [f"{path.name} is not UTF-8, so it was read as Windows text (Windows-1252). Excel "
                  "replaces letters that encoding lacks (such as ŵ, ł or Arabic script) with '?': check "
                  "names, or export as CSV UTF-8 next time."]


def read_csv(path: Path) -> Export:
    text, notes = decode_text(path.read_bytes(), path)
    first_line = text.split("\n", 1)[0]
    # Excel uses ";" where the decimal mark is a comma, and Unicode Text uses tabs.
    delimiter = max(_DELIMITERS, key=lambda d: (first_line.count(d), d == ","))
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        raise BirthplanError(f"{path}: the export is empty.")
    columns = [heading.strip() for heading in rows[0]]
    while columns and not columns[-1]:  # a trailing separator on the heading row adds no question
        columns.pop()
    responses = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        responses.append(_response(number, columns, [Cell(cell) for cell in row]))
    return Export(path, columns, responses, "row", notes)


def read_xlsx(path: Path, sheet: str | None = None) -> Export:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise BirthplanError(f"{path}: cannot be read as an Excel workbook (.xlsx).") from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise BirthplanError(f"{path}: there is no sheet called '{sheet}' (sheets: "
                                 f"{', '.join(workbook.sheetnames)}).")
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        rows = []
        for position, row in enumerate(worksheet.iter_rows(), start=1):
            # the row number Excel shows, read from the cells themselves in case rows were skipped
            number = next((c.row for c in row if getattr(c, "row", None)), position)
            rows.append((number, [Cell(c.value, getattr(c, "number_format", None)) for c in row]))
    finally:
        workbook.close()
    if not rows:
        raise BirthplanError(f"{path}: the sheet is empty.")
    columns = [("" if c.value is None else str(c.value)).strip() for c in rows[0][1]]
    while columns and not columns[-1]:  # trailing blank headings are unused columns
        columns.pop()
    responses = [_response(number, columns, cells) for number, cells in rows[1:]
                 if not all(cell.is_blank() for cell in cells)]
    return Export(path, columns, responses, "row")


def read_json(path: Path) -> Export:
    text, _ = decode_text(path.read_bytes(), path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise BirthplanError(f"{path}:{err.lineno}: not valid JSON ({err.msg}).") from None
    if isinstance(data, dict):  # {"responses": [...]}: one list of responses inside an object
        lists = [value for value in data.values() if isinstance(value, list)]
        data = lists[0] if len(lists) == 1 else None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise BirthplanError(f"{path}: expected a list of responses, each a set of question: answer pairs.")
    columns: list[str] = []
    for item in data:
        columns.extend(key for key in item if key not in columns)
    responses = [Response(number, {key: Cell(value) for key, value in item.items()})
                 for number, item in enumerate(data, start=1)]
    return Export(path, columns, responses, "response")


def _response(number: int, columns: list[str], cells: list[Cell]) -> Response:
    extra = [cell for cell in cells[len(columns):] if not cell.is_blank()]
    problem = "the row has more answers than the export has headings; check the row." if extra else None
    return Response(number, {column: cells[i] if i < len(cells) else Cell(None)
                             for i, column in enumerate(columns)}, problem)
