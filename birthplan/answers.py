"""One form answer as the plan value a field wants.

Each ``to_*`` function takes an answer as the export held it (text, a number,
a date, true/false) and gives the value the plan schema wants, or raises
``AnswerError`` saying why not, without quoting the answer: UK dates
(including Welsh month names), yes/no answers in English and Welsh, choices
matched to the schema's values, and phone and NHS numbers that a spreadsheet
stored as numbers given back their leading zeros.

This module knows nothing of mapping files; ``birthplan.mapping`` decides which
field (and so which ``FieldKind``) an answer is for.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from dataclasses import dataclass


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


def normalise_words(text: str) -> str:
    """For matching a question or answer however it was spaced, accented or capitalised."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


YES_WORDS = frozenset({"yes", "y", "true", "ie", "oes", "ydw", "ydy", "do"})  # Welsh answers too
NO_WORDS = frozenset({"no", "n", "false", "na", "nac oes", "nac ydw", "nac ydy", "naddo", "nage"})
_MONTHS = {
    **{name: i for i, name in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december"], start=1)},
    **{name: i for i, name in enumerate(
        ["ionawr", "chwefror", "mawrth", "ebrill", "mai", "mehefin", "gorffennaf", "awst", "medi",
         "hydref", "tachwedd", "rhagfyr"], start=1)},
}
_MONTH_ABBREVIATIONS = {name[:3]: number for name, number in list(_MONTHS.items())[:12]} | {"sept": 9}
_CLOCK = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time after a date (Excel, Google) is dropped
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})" + _CLOCK)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _CLOCK)
_WORDY_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([^\W\d_]+)\.?,?\s+(\d{4})")
_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?\s*([ap]\.?m\.?)?", re.IGNORECASE)
_DIGIT_FORMAT = re.compile(r'(?:[0#]|\\.|"[^"]*"|[ ()\-])+')
_MONTH_WORDS = ["January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December"]


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
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        shown = _number_as_shown(value, number_format)
        if shown and shown.startswith(("0", "+")):
            return shown
        if not float(value).is_integer():
            raise AnswerError("the answer is a number with decimals, not a phone number.")
        return _uk_phone(str(int(value)))
    return to_text(value)


def _uk_phone(digits: str) -> str:
    """A UK number whose leading zero a spreadsheet dropped, spaced as it is usually written."""
    if digits.startswith("44") and len(digits) == 12:
        return "+" + digits
    if len(digits) == 10:
        digits = "0" + digits
    if digits.startswith("07") and len(digits) == 11:
        return f"{digits[:5]} {digits[5:]}"
    if digits.startswith("02") and len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    return digits  # other area codes differ in length, so no spacing is guessed


def to_nhs_number(value, number_format: str | None = None) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        shown = _number_as_shown(value, number_format)
        if shown and len(re.sub(r"\D", "", shown)) == 10:
            return shown
        if not float(value).is_integer():
            raise AnswerError("the answer is a number with decimals, not an NHS number.")
        digits = str(int(value)).rjust(10, "0")
        return f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    return to_text(value)


def to_date(value, date_order: str = "day_first") -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise AnswerError("the cell holds a number, not a date: format the column as a date in the "
                          "spreadsheet, or type the date as 21/03/2027.")
    text = to_text(value)
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC_DATE.fullmatch(text):
        first, second, year_text = match.groups()
        if len(year_text) != 4:
            raise AnswerError("the year has only two digits: write it in full, e.g. 21/03/2027.")
        day, month = (int(first), int(second)) if date_order == "day_first" else (int(second), int(first))
        year = int(year_text)
    elif match := _WORDY_DATE.fullmatch(text):
        day, month_word, year = int(match.group(1)), match.group(2).casefold(), int(match.group(3))
        month = _MONTHS.get(month_word) or _MONTH_ABBREVIATIONS.get(month_word)
        if not month:
            raise AnswerError("the month is not one the tool knows: write the date as 21/03/2027.")
    else:
        order = "21/03/2027 (day first)" if date_order == "day_first" else "03/21/2027 (month first)"
        raise AnswerError(f"not a date: write it as {order} or 2027-03-21.")
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        why = f"{_MONTH_WORDS[month - 1]} {year} has no day {day}" if 1 <= month <= 12 else f"there is no month {month}"
        raise AnswerError(f"not a real date: {why}.") from None


def to_time(value) -> str:
    if isinstance(value, (dt.datetime, dt.time)):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, float) and 0 <= value < 1:  # a time of day stored as a fraction of a day
        minutes = round(value * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    match = _TIME.fullmatch(to_text(value))
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        half = (match.group(3) or "").replace(".", "").lower()
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "pm" else 0)
            half = ""
        if not half and hour < 24 and minute < 60 and (match.group(2) or match.group(3)):
            return f"{hour:02d}:{minute:02d}"
    raise AnswerError("not a time of day: write it as 09:30 or 2:30pm.")


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


def _choice_key(text: str) -> str:
    return re.sub(r"[\s\-/]+", "_", re.sub(r"[^\w\s\-/]", "", normalise_words(text))).strip("_")


def to_choice(value, choices: tuple) -> str:
    key = _choice_key(to_text(value))
    for choice in choices:
        if key == _choice_key(str(choice)):
            return choice
    hint = did_you_mean(key, [str(c) for c in choices])
    raise AnswerError(f"not one of the values this field takes ({', '.join(map(str, choices))}).{hint}")


def did_you_mean(word: str, choices) -> str:
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{match[0]}'?" if match else ""
