"""YAML syntax errors in plain words, at the line where the mistake is, naming the field.

libyaml says "could not find expected ':'" on the line *after* a field name written without
its colon (it only knows the colon is missing once the next line starts), "did not find
expected key" for a line indented one space too far, and names no field. The mistake's own
line is in the error's marks (where the key or the list began); the field is read from the
indentation of the lines above, since YAML could not read the file. Messages quote only field
names the author wrote and line numbers, never values.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

import yaml

from birthplan import fields
from birthplan.problems import Problem

# What YAML was reading when the file (or the list) ended: the line to fix is where it began.
_OPENED = {
    "while scanning a quoted scalar": "the quote that opens this text is never closed: add the closing "
                                      "quote at the end of the text, or remove the opening one.",
    "while parsing a flow sequence": "the list that opens here with '[' is never closed: add ']' at its "
                                     "end, or put a comma between its items.",
    "while parsing a flow mapping": "the '{' that opens here is never closed: add '}' at its end, or put "
                                    "a comma between its items.",
}
_MISSING_COLON = "while scanning a simple key"  # its mark is where the field name began
_FIELD_LINE = re.compile(r"^( *)(?:- )?([A-Za-z_][A-Za-z0-9_]*): ")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?:[ \t]|$)")
_DASHES = re.compile(r"( *)((?:-[ ]+)*)")


def syntax_problem(name: str, text: str, err: yaml.MarkedYAMLError) -> Problem:
    """A YAML syntax error in plain words, at the line to fix, with the field where known."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    mark = err.problem_mark or err.context_mark
    opened = err.context_mark if err.context in _OPENED and err.context_mark else None
    missing_colon = err.context_mark if err.context == _MISSING_COLON and err.context_mark else None
    if opened is not None or missing_colon is not None:
        # the error shows where YAML gave up; the fix is where the text, list or field began
        mark = opened or missing_colon
    line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
    what = err.problem or err.context or "the YAML could not be read"
    written = lines[line - 1] if line and line <= len(lines) else ""
    indent = written[:len(written) - len(written.lstrip())]
    path = _field_on(lines, line - 1) if line and line <= len(lines) else None
    if line and "\t" in indent:
        message = tab_at_start(line)
    elif line and "\t" in written and ("tab" in what or "cannot start any token" in what):
        message = (f"line {line} has a tab at column {written.index(chr(9)) + 1}: YAML needs spaces. "
                   "Replace the tab with a space.")
    elif opened is not None:
        message = _OPENED[err.context]
    elif missing_colon is not None:
        message, path = _no_colon(lines, line)
    elif "mapping values are not allowed" in what and _key_after_words(lines, line, col):
        above = _line_above(lines, line - 1)
        col = _content_column(lines[above]) + 1
        line = above + 1
        message, path = _no_colon(lines, line)
    elif "mapping values are not allowed" in what:
        message, path = _overindented_field(lines, line) or (
            "put free text that contains ': ' in quotes, e.g. note: \"Meeting: 9am at the "
            "hospital\", or write it without the colon.", path)
    else:
        explained = None
        if line and what in _OUT_OF_LINE:
            # (the top-level fields' section has no mark of its own: it starts on the first line)
            context = err.context_mark or _top_level(lines)
            quote = _unclosed_quote(lines, context.line + 1, line)
            if quote:  # a quoted text never closed runs on, over the lines below, until a quote
                explained = (*quote, _OPENED["while scanning a quoted scalar"], _field_on(lines, quote[0] - 1))
            elif col == len(written) - len(written.lstrip(" ")) + 1:  # the line itself is out of line
                explained = _OUT_OF_LINE[what](lines, line, context)
        if explained:
            line, col, message, path = explained
        else:
            message = _unreadable(line)
    return Problem(name, line, col, fields.label(path) if path else "", message)


class _TopLevel(NamedTuple):
    line: int  # 0-based, as yaml's marks
    column: int = 0


def _top_level(lines: list[str]) -> _TopLevel:
    first = next((j for j, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), 0)
    return _TopLevel(first, _content_column(lines[first]))


def _unreadable(line: int | None) -> str:
    where = f"line {line}" if line else "this line"
    return (f"{where} could not be read as 'field: value'. Check that it is indented like the fields "
            "it belongs with (spaces only), that each field name has ':' after it, and that text "
            "with ': ' or ' #' in it is in quotes; then check the line before it.")


def _no_colon(lines: list[str], line: int) -> tuple[str, tuple | None]:
    """ "place_of_birth Sunderland Royal": YAML reports the line after it."""
    written = lines[line - 1]
    column = _content_column(written)
    word = _NAME.match(written, column)
    if word:
        path = _outline_path(lines, line - 1, word.group(0), column)
        if fields.node_at(path) is not None:
            return (f"line {line} has no ':' after the field name '{word.group(0)}'. Write "
                    f"'{word.group(0)}:' and then its value.", path)
    return (f"line {line} has no ':'. A line here is a field name, ':' and its value. If the words "
            "belong to the field above, put them on its line (or indent them further than its "
            "name); if it is a field, write ':' after its name.",
            _outline_path(lines, line - 1, None, column) or None)


def _overindented_field(lines: list[str], line: int | None) -> tuple[str, tuple] | None:
    """A field indented deeper than the "field: text" line above it reads, to YAML, as
    more of that text, and fails only at its ': '. Say that, not "use quotes"."""
    if not line:
        return None
    here = _FIELD_LINE.match(lines[line - 1])
    above = next((lines[i] for i in range(line - 2, -1, -1)
                  if lines[i].strip() and not lines[i].lstrip().startswith("#")), None)
    if here is None or above is None:
        return None
    parent = _FIELD_LINE.match(above)
    if parent is None or here.start(2) <= parent.start(2) or not above.split(": ", 1)[1].strip():
        return None
    return (f"'{here.group(2)}:' is indented {here.start(2)} spaces but '{parent.group(2)}:' on the line "
            f"above {parent.start(2)}, so YAML reads it as more of that line's text. Line the two "
            "up (or, if it is text, put it in quotes).",
            _outline_path(lines, line - 1, here.group(2), parent.start(2)))


def _out_of_line_in_section(lines: list[str], line: int, section) -> tuple | None:
    """A line in a section of fields that is not one of its fields: (line, column, message, path)
    of the mistake. Indented deeper after a line of words with no ':' (that line is the mistake:
    YAML read it as text); back at the column the file's indentation gives its section, after a
    section indented oddly from its first line (that line is the mistake); indented to no field's
    column (3 spaces among 2s); or a list item ('- ') among fields."""
    written = lines[line - 1]
    column = len(written) - len(written.lstrip(" "))
    first = _KEY.match(lines[section.line], section.column)
    if first is None:  # the section's first line has no ':' ("schema_version 2" at the top)
        if _words_without_colon(lines, section.line):
            return (section.line + 1, section.column + 1, *_no_colon(lines, section.line + 1))
        return None
    above = _line_above(lines, line - 1)
    if column > section.column and above is not None and _words_without_colon(lines, above):
        return (above + 1, _content_column(lines[above]) + 1, *_no_colon(lines, above + 1))
    if column != section.column:
        odd = _oddly_indented_section(lines, line - 1, column)
        if odd is not None:
            start = odd + 1
            return (start, _content_column(lines[odd]) + 1,
                    f"line {start} is indented {_spaces(_content_column(lines[odd]))}, but the fields "
                    f"after it in its section {column} (like '{_key_name(written)}:' on line {line}): the fields "
                    "of one section start in the same column. Indent it like them.",
                    _outline_path(lines, odd, _key_name(lines[odd]), column))
        return (line, column + 1, *_misaligned(lines, line, column, first.group(1), section.line + 1,
                                               section.column))
    if written[column:].startswith("- "):
        return (line, column + 1,
                f"line {line} starts a list item ('- ') among fields (like '{first.group(1)}:' on line "
                f"{section.line + 1}), which are written 'name: value'. Remove the '- ', or put the list "
                "under a field name of its own.", _outline_path(lines, section.line, None, section.column))
    return None


def _out_of_line_in_list(lines: list[str], line: int, start) -> tuple | None:
    """A line in a list of items that does not start an item ('- ') or line up in one."""
    written = lines[line - 1]
    column = _content_column(written)
    if column == start.column:
        return (line, column + 1,
                f"line {line} is in the list that starts on line {start.line + 1} but does not start "
                "with '- '. Start a new item with '- ' (dash and space); if the line belongs to the "
                "item above, indent it like that item's other fields.",
                _outline_path(lines, start.line, None, start.column, parent_of_list=True))
    first = _KEY.match(lines[start.line], _content_column(lines[start.line]))
    if first is None:
        return None
    return (line, column + 1, *_misaligned(lines, line, column, first.group(1), start.line + 1, first.start(1)))


def _line_above(lines: list[str], index: int) -> int | None:
    """The nearest line above ``index`` with something on it other than a comment."""
    return next((j for j in range(index - 1, -1, -1)
                 if lines[j].strip() and not lines[j].lstrip().startswith("#")), None)


def _spaces(count: int) -> str:
    return f"{count} space" + ("" if count == 1 else "s")


def _key_name(line: str) -> str:
    found = _KEY.match(line, _content_column(line))
    return found.group(1) if found else line.strip().split(" ")[0]


def _words_without_colon(lines: list[str], index: int) -> bool:
    """ "place_of_birth Sunderland Royal": words where a field was due, with no ':'. Not a
    comment, a list item, a quoted text, a list or mapping in brackets, and not more of the text
    of a field above it (a block under "summary: >-", or a long text going on over lines)."""
    line = lines[index]
    content = line[_content_column(line):].split(" #")[0].rstrip()
    if (not content or content[0] in "{[\"'|>&*!%@`#-" or ": " in content or content.endswith(":")
            or _content_column(line) != len(line) - len(line.lstrip(" "))):
        return False
    holder = _line_above(lines, index)
    while holder is not None and _content_column(lines[holder]) >= _content_column(line):
        holder = _line_above(lines, holder)
    key = _KEY.match(lines[holder], _content_column(lines[holder])) if holder is not None else None
    return not (key and lines[holder][key.end():].split(" #")[0].strip())


def _key_after_words(lines: list[str], line: int | None, col: int | None) -> bool:
    """Whether the ':' YAML refused ends the first word of its line ("plan:") and the line
    above is words with no ':' ("schema_version 2"): YAML read both as one key."""
    if not line or not col:
        return False
    key = _KEY.match(lines[line - 1], _content_column(lines[line - 1]))
    above = _line_above(lines, line - 1)
    return (key is not None and key.end(1) == col - 1 and above is not None
            and _words_without_colon(lines, above))


def _oddly_indented_section(lines: list[str], index: int, column: int) -> int | None:
    """The first line of a section above line ``index`` indented otherwise than the file's
    indentation puts it, when line ``index`` (at ``column``) sits where it would be: "   mother:"
    at 3 spaces in a file indented by 2, found when "  partner:" at 2 comes after its fields."""
    indents = Counter(len(line) - len(line.lstrip(" ")) for line in lines
                      if line.startswith(" ") and _KEY.match(line, _content_column(line)))
    step = min((indent for indent, count in indents.items() if count > 1), default=2)  # not one odd line
    field = next((j for j in range(index - 1, -1, -1) if _KEY.match(lines[j], _content_column(lines[j]))), None)
    while field is not None and _content_column(lines[field]) != column:
        depth = _content_column(lines[field])
        parent = _line_above(lines, field)
        while parent is not None and _content_column(lines[parent]) >= depth:
            parent = _line_above(lines, parent)
        start = next(j for j in range((parent if parent is not None else -1) + 1, field + 1)
                     if lines[j].strip() and not lines[j].lstrip().startswith("#"))
        usual = _content_column(lines[parent]) + step if parent is not None else 0
        if depth != usual and column == usual and not lines[start].lstrip().startswith("- "):
            return start
        if depth < column:  # the line is deeper than the fields above it: it is the odd one
            return None
        field = parent
    return None


def _unclosed_quote(lines: list[str], first: int, last: int) -> tuple[int, int] | None:
    """The line and column of a quote that opens a value on lines ``first`` to ``last`` and is
    not closed on its line, where YAML then read the fields below it as more of the text (a
    quoted text may go on over lines, but not over lines that are fields)."""
    for number in range(first, last + 1):
        opening = _QUOTED_VALUE.search(lines[number - 1])
        if opening and not _closes(lines[number - 1][opening.end():], opening.group(1)):
            if any(_FIELD_LINE.match(lines[i]) for i in range(number, last)):
                return number, opening.start(1) + 1
            return None
    return None


def _closes(rest: str, quote: str) -> bool:
    if quote == "'":  # '' is a quote inside single-quoted text
        return "'" in rest.replace("''", "")
    return re.search(r'(?<!\\)"', rest) is not None


def _misaligned(lines, line: int, column: int, sibling: str, sibling_line: int,
                sibling_column: int) -> tuple[str, tuple]:
    """A line indented to no field's column; named beside the nearest field above it (the one
    a slip of one space most likely meant), else ``sibling``."""
    for j in range(line - 2, -1, -1):
        above = _KEY.match(lines[j], _content_column(lines[j]))
        if above:
            sibling, sibling_line, sibling_column = above.group(1), j + 1, above.start(1)
            break
    key = _KEY.match(lines[line - 1], column)
    return (f"line {line} is indented {_spaces(column)}, which lines it up with no field above it: the "
            f"fields of one section start in the same column (here '{sibling}:' on line {sibling_line}, "
            f"indented {sibling_column}). Indent it like the fields it belongs with.",
            _outline_path(lines, line - 1, key.group(1) if key else None, sibling_column))


_OUT_OF_LINE = {
    "did not find expected key": _out_of_line_in_section,
    "did not find expected <document start>": _out_of_line_in_section,
    "did not find expected '-' indicator": _out_of_line_in_list,
}
_QUOTED_VALUE = re.compile(r"""(?:^[ \t]*(?:-[ \t]+)*|:[ \t]+|[\[{,][ \t]*)(["'])""")


# -- where a line sits in the plan, read from indentation alone -----------------------------


def _field_on(lines: list[str], index: int) -> tuple | None:
    """The path of the field written on line ``index`` (0-based), if the line has one."""
    column = _content_column(lines[index])
    key = _KEY.match(lines[index], column)
    return _outline_path(lines, index, key.group(1), column) if key else None


def _content_column(line: str) -> int:
    """Where a line's content starts, after its indent and any list dashes."""
    return _DASHES.match(line).end()


def _dash_columns(line: str) -> list[int]:
    match = _DASHES.match(line)
    return [match.start(2) + i for i, char in enumerate(match.group(2)) if char == "-"]


def _outline_path(lines: list[str], index: int, key: str | None, column: int, *,
                  parent_of_list: bool = False) -> tuple:
    """The keys and list positions leading to ``key`` written at ``column`` on line ``index``
    (with no ``key``: to whatever is written at ``column`` there; with ``parent_of_list``: to
    the list whose item's dash is at ``column``), read from the indentation of the lines above."""
    path: list = [key] if key else []
    j = index - 1
    if key:  # the line's own dashes open the items its key is in
        for dash in reversed([d for d in _dash_columns(lines[index]) if d < column]):
            position, j = _item_position(lines, index if j == index - 1 else j, dash)
            path.insert(0, position)
            column, parent_of_list = dash, True
    while j >= 0 and (column > 0 or parent_of_list):
        written = lines[j]
        if not written.strip() or written.lstrip().startswith("#"):
            j -= 1
            continue
        content = _content_column(written)
        found = _KEY.match(written, content)
        if found and (content < column or (parent_of_list and content == column)):
            path.insert(0, found.group(1))  # the field that holds the current one
            column, parent_of_list = content, False
        dashes = [d for d in _dash_columns(written) if d < column]
        if dashes:  # the current field is in the list item this line opens
            position, j = _item_position(lines, j, dashes[-1])
            path.insert(0, position)
            column, parent_of_list = dashes[-1], True
            continue
        j -= 1
    return tuple(path)


def _item_position(lines: list[str], index: int, dash: int) -> tuple[int, int]:
    """The 0-based position of the list item whose dash is at column ``dash`` on line ``index``,
    and the line to read on from: the first above the list (its field's line, or one to the left)."""
    position = 0  # the item on line ``index`` itself
    j = index - 1
    while j >= 0:
        written = lines[j]
        if written.strip() and not written.lstrip().startswith("#"):
            indent = len(written) - len(written.lstrip(" "))
            if indent < dash or (indent == dash and dash not in _dash_columns(written)):
                break
            if dash in _dash_columns(written):
                position += 1
        j -= 1
    return position, j


def later_tab_problems(name: str, text: str, after: int | None) -> list[Problem]:
    """Every later line that starts with a tab, beside the first syntax error.

    YAML stops at its first error, so nothing after it can be checked, but a
    line of content indented with a tab is an error wherever it is (YAML
    indents with spaces), so all of them are named at once rather than one per
    run. Lines before the error parsed, so any tab there was legal.
    """
    if after is None:
        return []
    return [Problem(name, number, 1, "", tab_at_start(number))
            for number, written in enumerate(text.split("\n")[after:], start=after + 1)
            if written.startswith("\t") and written.strip()]


def tab_at_start(line: int) -> str:
    return (f"line {line} starts with a tab: YAML needs spaces. Indent with spaces "
            "(two for each level), as on the lines around it.")
