"""One form answer as the plan value a field wants.

Each ``to_*`` function takes an answer as the export held it (text, a number,
a date, true/false) and gives the value the plan schema wants, or raises
``AnswerError`` saying why not, without quoting the answer: yes/no answers in
English and Welsh, phone and NHS numbers that a spreadsheet stored as numbers
given back their leading zeros. Text is read by ``birthplan.values``, the same
parsers the plan loader and the command line use (dates, times, choices, phone
and NHS numbers), so an answer the importer takes is one a plan file may hold.

This module knows nothing of mapping files; ``birthplan.importer.mapping`` decides which
field (and so which ``FieldKind``) an answer is for.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass

from birthplan import values
from birthplan.values import normalise_words  # noqa: F401  (the mapping matches words with it)


class AnswerError(ValueError):
    """One answer cannot become a plan value; ``str(err)`` says why without quoting it."""


@dataclass(frozen=True)
class FieldKind:
    """What the schema wants at a field, as far as converting an answer goes."""

    kind: str
    choices: tuple = ()
    free_text: bool = False  # the schema's text: may carry share_with / third_party
    is_list: bool = False  # a list of simple values (address lines, formats)
    unique: bool = False


@dataclass(frozen=True)
class Cell:
    """One answer as the export held it: text, a number, a date, true/false, a list (JSON)."""

    value: object
    number_format: str | None = None  # the spreadsheet's display format, for numbers

    def is_blank(self) -> bool:
        value = self.value
        return value is None or (isinstance(value, str) and not value.strip()) or value == []


YES_WORDS = frozenset({"yes", "y", "true", "ie", "oes", "ydw", "ydy", "do"})  # Welsh answers too
NO_WORDS = frozenset({"no", "n", "false", "na", "nac oes", "nac ydw", "nac ydy", "naddo", "nage"})
_DIGIT_FORMAT = re.compile(r'(?:[0#]|\\.|"[^"]*"|[ ()\-])+')


def convert_scalar(kind: FieldKind, cell: Cell, date_order: str = "day_first"):
    """One answer as the value the schema wants at a field of ``kind``."""
    value = cell.value
    if kind.kind == "date":
        return to_date(value, date_order)
    if kind.kind == "time":
        return to_time(value)
    if kind.kind == "yes_no":
        return to_yes_no(value)
    if kind.kind == "integer":
        return to_integer(value)
    if kind.kind == "choice":
        return to_choice(value, kind.choices)
    if kind.kind == "phone":
        return to_phone(value, cell.number_format)
    if kind.kind == "nhs_number":
        return to_nhs_number(value, cell.number_format)
    return to_text(value, cell.number_format)


def to_text(value, number_format: str | None = None) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float)):
        return _number_as_shown(value, number_format) or _plain_number(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ", "minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, str):
        # Windows line ends from a CSV cell become plain line breaks; the words stay as typed.
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    raise AnswerError("the answer is not text (a list or a group of answers was found).")


def _plain_number(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number_as_shown(value, number_format: str | None) -> str | None:
    """A whole number as the spreadsheet shows it, when its format is made of digit places.

    A cell typed 07700 900123 is often stored as 7700900123 with the format
    ``00000 000000``: the format keeps the zero and the space, so apply it.
    """
    if number_format is None or not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    if not float(value).is_integer() or value < 0 or not _DIGIT_FORMAT.fullmatch(number_format):
        return None
    tokens = re.findall(r'[0#]|\\.|"[^"]*"|.', number_format)
    places = [t for t in tokens if t in ("0", "#")]
    if not places:
        return None
    digits = str(int(value)).rjust(places.count("0"), "0")
    out: list[str] = []
    remaining = digits
    for token in reversed(tokens):
        if token in ("0", "#"):
            if remaining:
                out.append(remaining[-1])
                remaining = remaining[:-1]
        elif token.startswith("\\"):
            out.append(token[1:])
        elif token.startswith('"'):
            out.append(token[1:-1])
        else:
            out.append(token)
    return (remaining + "".join(reversed(out))).strip()


def to_phone(value, number_format: str | None = None) -> str:
    """The number in the one form every copy shows (01632 960212), checked as a UK number."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        shown = _number_as_shown(value, number_format)
        if shown and shown.startswith(("0", "+")):
            text = shown
        elif not float(value).is_integer():
            raise AnswerError("the answer is a number with decimals, not a phone number.")
        else:
            text = _restore_zero(str(int(value)))
    else:
        text = to_text(value)
        if text.isdigit():  # all digits: a spreadsheet may have stored it as a number first
            text = _restore_zero(text)
    try:
        return values.parse_phone(text).display
    except ValueError as why:
        raise AnswerError(f"the phone number {why}.") from None


def _restore_zero(digits: str) -> str:
    """A UK number whose leading zero a spreadsheet dropped (10 digits, or 44 and 10 digits)."""
    if digits.startswith("44") and len(digits) == 12:
        return "+" + digits
    if len(digits) == 10 and not digits.startswith("0"):
        return "0" + digits
    return digits  # not a number that lost its zero: the check says what is wrong


def to_nhs_number(value, number_format: str | None = None) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not float(value).is_integer():
            raise AnswerError("the answer is a number with decimals, not an NHS number.")
        return _nhs_number(str(int(value)).rjust(10, "0"))
    return _nhs_number(to_text(value))


def _nhs_number(text: str) -> str:
    try:
        return values.parse_nhs_number(text)
    except ValueError as why:
        raise AnswerError(f"{why}.") from None


def to_date(value, date_order: str = "day_first") -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise AnswerError("the cell holds a number, not a date: format the column as a date in the "
                          "spreadsheet, or type the date as 21/03/2027.")
    try:
        parsed = values.parse_date(to_text(value), date_order)
    except ValueError as why:
        raise AnswerError(f"not a real date: {why}.") from None
    if parsed is None:
        order = "21/03/2027 (day first)" if date_order == values.DAY_FIRST else "03/21/2027 (month first)"
        raise AnswerError(f"not a date: write it as {order}, 21 March 2027 or 2027-03-21.")
    return parsed.isoformat()


def to_time(value) -> str:
    if isinstance(value, (dt.datetime, dt.time)):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, float) and 0 <= value < 1:  # a time of day stored as a fraction of a day
        minutes = round(value * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    try:
        return values.parse_time(to_text(value))
    except ValueError as why:
        raise AnswerError(f"{why}.") from None


def to_yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    words = normalise_words(to_text(value)).rstrip(".!")
    # A bilingual answer such as "Yes / Ydw" counts when every part agrees.
    answers = {part.strip() in YES_WORDS if part.strip() in YES_WORDS | NO_WORDS else None
               for part in words.split("/")}
    if len(answers) == 1 and None not in answers:
        return answers.pop()
    raise AnswerError("not a yes/no answer: expected Yes or No (also Y/N, True/False, "
                      "Ie/Na, Oes/Nac oes, Ydw/Nac ydw).")


def to_integer(value) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    text = to_text(value)
    if text.isdigit():
        return int(text)
    raise AnswerError("not a whole number.")


def to_choice(value, choices: tuple) -> str:
    text = to_text(value)
    choice = values.parse_choice(text, choices)
    if choice is not None:
        return choice
    hint = did_you_mean(values.choice_key(text), [str(c) for c in choices])
    raise AnswerError(f"not one of the values this field takes ({', '.join(map(str, choices))}).{hint}")


def did_you_mean(word: str, choices) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{match[0]}'?" if match else ""
