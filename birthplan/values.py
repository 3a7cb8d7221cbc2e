"""One parser per kind of value people act on: dates, times, choices, phone and NHS numbers.

The plan loader, the form importer and the command-line options all read
values through these functions, so a date or a meeting type that one of them
accepts the others accept too, and every copy shows the same form.

Each parser takes text as a person typed it and returns the one form the
plan's data holds (an ISO date, ``09:30``, the schema's word, ``01632 960212``),
or raises ``ValueError`` saying what is wrong and how to write it. Messages
never quote the value: they may end up in logs (the one exception is a date
written month first, where the day-first date it must mean is the fix).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# -- dates ---------------------------------------------------------------------------

MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
WELSH_MONTH_NAMES = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf",
                     "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"]
# Welsh soft-mutates a month after "o" ("21 o Fawrth"); the mutated forms are the same month.
_WELSH_MUTATED = {"fawrth": 3, "fai": 5, "fehefin": 6, "orffennaf": 7, "fedi": 9, "dachwedd": 11}
_MONTHS = {
    **{name.casefold(): n for n, name in enumerate(MONTH_NAMES, start=1)},
    **{name.casefold(): n for n, name in enumerate(WELSH_MONTH_NAMES, start=1)},
    **{name.casefold()[:3]: n for n, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
    **_WELSH_MUTATED,
}
DAY_FIRST, MONTH_FIRST = "day_first", "month_first"
# A time after a date (Excel and Google exports add one) is dropped.
_CLOCK = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _CLOCK)
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})" + _CLOCK)
# "21 March 2027", "21st March 2027", "21 Mawrth 2027", "21 o Fawrth 2027", "Thursday 21 March 2027"
_WORDY_DATE = re.compile(
    r"(?:[^\W\d_]+,?\s+)?(\d{1,2})(?:st|nd|rd|th|af|ain|ydd|eg)?\.?\s+(?:o\s+)?([^\W\d_]+)\.?,?\s+(\d{4})",
    re.IGNORECASE)
DATE_FORMS = "2027-03-21, 21/03/2027 (day first) or 21 March 2027"


def parse_date(text: str, order: str = DAY_FIRST) -> dt.date | None:
    """A date as people write it in the UK; None when the text is not written as a date at all.

    Raises ``ValueError`` saying why when it is written as a date that cannot
    be (31/02/2027, a two-digit year, a month the tool does not know).
    """
    text = " ".join(str(text).split())
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _NUMERIC_DATE.fullmatch(text):
        first, second, year_text = match.groups()
        if len(year_text) != 4:
            raise ValueError("the year has only two digits: write it in full, e.g. 21/03/2027")
        day, month = (int(first), int(second)) if order == DAY_FIRST else (int(second), int(first))
        year = int(year_text)
    elif match := _WORDY_DATE.fullmatch(text):
        day, year = int(match.group(1)), int(match.group(3))
        month = _MONTHS.get(match.group(2).casefold())
        if month is None:
            raise ValueError("the month is not one the tool knows: write the date as 21/03/2027")
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        if 1 <= month <= 12:
            raise ValueError(f"{MONTH_NAMES[month - 1]} {year} has no day {day}") from None
        raise ValueError(f"there is no month {month}"
                         + (_swapped_hint(day, month, year)
                            if order == DAY_FIRST and _NUMERIC_DATE.fullmatch(text) else "")
                         ) from None


def _swapped_hint(day: int, month: int, year: int) -> str:
    """For 06/13/2027 (written month first, as in the US): the date it is day first."""
    try:
        swapped = dt.date(year, day, month)
    except ValueError:
        return ""
    return f"; dates are day first: did you mean {swapped:%d/%m/%Y}?"


def date_in_words(value: dt.date | str, months: list[str] = MONTH_NAMES) -> str:
    """``14 January 2027`` from a date or an ISO date (text that is not one comes back as is)."""
    try:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {months[day.month - 1]} {day.year}"


# -- times ---------------------------------------------------------------------------

_TIME = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?(?::\d{2})?\s*([ap]\.?\s?m\.?)?", re.IGNORECASE)
TIME_FORMS = "09:30, 9.30am or 2:30pm"


def parse_time(text: str) -> str:
    """A time of day as ``HH:MM`` (24-hour) from 9:30, 09:30, 9.30am, 2pm or 14:30:00."""
    match = _TIME.fullmatch(" ".join(str(text).split()))
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        half = re.sub(r"[.\s]", "", match.group(3) or "").lower()
        if half and 1 <= hour <= 12:
            hour = hour % 12 + (12 if half == "pm" else 0)
            half = ""
        if not half and hour < 24 and minute < 60 and (match.group(2) or match.group(3)):
            return f"{hour:02d}:{minute:02d}"
    raise ValueError(f"not a time of day: write it as {TIME_FORMS}")


# -- choices (meeting types and every other list of set values) -----------------------


def normalise_words(text: str) -> str:
    """For matching words however they were spaced, accented or capitalised."""
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def choice_key(text: str) -> str:
    """"Initial conference", "initial-conference" and "INITIAL_CONFERENCE" all give "initial_conference"."""
    return re.sub(r"[\s\-/]+", "_", re.sub(r"[^\w\s\-/]", "", normalise_words(text))).strip("_")


def parse_choice(text: str, choices) -> str | None:
    """The schema's word that ``text`` names, however it is spaced or capitalised; None if none."""
    key = choice_key(text)
    for choice in choices:
        if key == choice_key(str(choice)):
            return choice
    return None


# -- phone numbers -------------------------------------------------------------------

# Ofcom's numbers for drama (TV, film, training material and fictional plans): real
# formats, never connected. libphonenumber calls several of them invalid, so they are
# checked and spaced here, which also spares `birthplan validate` importing the library
# for the example and test plans. National significant numbers (no leading zero):
# prefix, and the digits of each group as the number is written with its zero.
_DRAMA_RANGES = (
    *((f"1{area}4960", (4, 3, 4)) for area in ("13", "14", "15", "16", "17", "18", "21", "31", "41",
                                                "51", "61")),  # 0113 496 0xxx ... 0161 496 0xxx
    ("1914980", (4, 3, 4)),  # Tyneside 0191 498 0xxx
    ("2079460", (3, 4, 4)),  # London 020 7946 0xxx
    ("2890180", (3, 4, 4)),  # Belfast 028 9018 0xxx
    ("2920180", (3, 4, 4)),  # Cardiff 029 2018 0xxx
    ("1632960", (5, 6)),  # no area: 01632 960xxx
    ("7700900", (5, 6)),  # mobile: 07700 900xxx
    ("8081570", (5, 6)),  # freephone: 08081 570xxx
    ("9098790", (4, 3, 4)),  # premium rate: 0909 879 0xxx
    ("3069990", (5, 6)),  # UK-wide: 03069 990xxx
)
_PHONE_CHARACTERS = re.compile(r"[0-9+()\-.\s/]+")
PHONE_FORMS = "a UK number such as 01632 960212 or 07700 900123 (or +44 7700 900123)"


@dataclass(frozen=True)
class Phone:
    display: str  # the one form every copy shows: "01632 960212"; "+33 1 23 45 67 89" abroad
    tel: str  # for links: "+441632960212"


def parse_phone(text: str) -> Phone:
    """A phone number checked as a UK number (with libphonenumber plus Ofcom's drama ranges).

    Brackets, spaces, hyphens, dots and ``+44`` are accepted; a number written
    without its leading zero, of the wrong length, or holding letters is refused.
    A number abroad must start with + and its country code.
    """
    written = " ".join(str(text).split())
    if not written:
        raise ValueError("is empty: write the number, or remove the line")
    if not _PHONE_CHARACTERS.fullmatch(written):
        raise ValueError(f"holds letters or signs a phone number cannot have: write it as {PHONE_FORMS}")
    digits = re.sub(r"\D", "", written)
    international = written.lstrip("(").startswith("+") or digits.startswith("00")
    if not international and not digits.startswith("0"):
        raise ValueError("does not start with 0: UK numbers start with 0 (the leading zero may have been "
                         "lost in a spreadsheet), e.g. 01632 960212 or 07700 900123")
    drama = _drama_number(digits, international)
    if drama is not None:
        return drama
    import phonenumbers  # only for numbers outside the drama ranges: it takes a while to load
    try:
        number = phonenumbers.parse(written, "GB")
    except phonenumbers.NumberParseException:
        raise ValueError(f"is not a phone number: write it as {PHONE_FORMS}") from None
    national = str(number.national_number)
    if number.country_code == 44:
        if phonenumbers.is_valid_number(number):
            length = None
        else:
            reason = phonenumbers.is_possible_number_with_reason(number)
            length = {phonenumbers.ValidationResult.TOO_SHORT: "short",
                      phonenumbers.ValidationResult.TOO_LONG: "long"}.get(reason, "unknown")
        if length == "unknown":
            raise ValueError("is not a UK number in use (the code is unknown, or the number has the wrong "
                             "number of digits for it): check every digit")
        if length:
            count = len("0" + national)
            missing = "a missing" if length == "short" else "an extra"
            raise ValueError(f"has {count} digits, too {length} for a UK number of this kind: check "
                             f"for {missing} digit")
        display = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    else:
        if not phonenumbers.is_valid_number(number):
            raise ValueError("is not a valid number for the country its code names: check it")
        display = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return Phone(display, phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _drama_number(digits: str, international: bool) -> Phone | None:
    """A number in one of Ofcom's drama ranges, checked and spaced; None for any other number."""
    if international:
        national = digits.removeprefix("00").removeprefix("44") if digits.startswith(("44", "0044")) else None
        if national is None:
            return None
        national = national.removeprefix("0")  # +44 (0)1632 960212
    else:
        national = digits[1:]
    for prefix, groups in _DRAMA_RANGES:
        if national.startswith(prefix):
            expected = sum(groups) - 1
            if len(national) != expected:
                length = "short" if len(national) < expected else "long"
                missing = "a missing" if length == "short" else "an extra"
                raise ValueError(f"has {len(national) + 1} digits, too {length} for a UK number of this "
                                 f"kind: check for {missing} digit")
            spaced, rest = [], "0" + national
            for size in groups:
                spaced.append(rest[:size])
                rest = rest[size:]
            return Phone(" ".join(spaced), "+44" + national)
    return None


# -- NHS numbers ---------------------------------------------------------------------

_NHS_CHARACTERS = re.compile(r"[0-9\s\-]+")


def parse_nhs_number(text: str) -> str:
    """An NHS number as ``999 123 4578``: ten digits whose last is the modulus-11 check digit."""
    written = str(text).strip()
    digits = re.sub(r"[\s\-]", "", written)
    if not _NHS_CHARACTERS.fullmatch(written) or len(digits) != 10:
        raise ValueError("an NHS number is ten digits, written 999 123 4578 (spaces optional): "
                         "check for a missing or extra digit")
    if not nhs_check_digit_ok(digits):
        raise ValueError("the last digit is not the right check digit for the first nine, so a digit "
                         "is wrong or two are swapped: copy it again from the NHS record or the red book")
    return f"{digits[:3]} {digits[3:6]} {digits[6:]}"


def nhs_check_digit_ok(digits: str) -> bool:
    """The NHS modulus-11 check: weights 10..2 on the first nine digits."""
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


# -- letters lost to a wrong text encoding ---------------------------------------------

# A "?" between letters or standing in for a whole word ("Ma?gorzata ?ak", "???? ????")
# is what Excel writes for a letter its Windows encoding lacks; U+FFFD is what a
# program writes for bytes it could not decode.
# A "?" at the end of a word is left alone: that is how questions end.
_LOST_LETTER = re.compile(r"\ufffd|\w\?+\w|(?:^|\s)\?+\w|(?:^|\s)\?{2,}(?=\s|$)")


def letters_lost(text: str) -> bool:
    """Whether ``text`` looks as if letters were turned into ``?`` or U+FFFD on the way."""
    return bool(_LOST_LETTER.search(str(text)))


# -- one person's name written two ways ------------------------------------------------


def name_words(text: str) -> list[str]:
    """A name's words, for comparing: case, spacing and punctuation left aside."""
    return re.findall(r"\w+", normalise_words(text))


def name_misspelt(written: str, name: str, known_as: str = "") -> bool:
    """Whether ``written`` looks like ``name`` mistyped ("Kayleigh Robson" for "Kayleigh
    Robinson", "Kayliegh Robinson"): alike, with a word of it the same or most letters in
    order, but not the same.

    Not a slip: the same words however spaced or capitalised; the name written shorter, each
    word one of hers or its start ("Kayleigh", "K Robinson") or the name she is ``known_as``
    ("Kay Robinson"); and a name with nothing alike, which is someone else's.
    """
    words, hers = name_words(written), name_words(name)
    if not words or not hers or words == hers:
        return False
    forms = hers + name_words(known_as)
    if all(any(form.startswith(word) for form in forms) for word in words):
        return False
    import difflib

    return (any(word in hers for word in words)
            or difflib.SequenceMatcher(None, " ".join(words), " ".join(hers)).ratio() >= 0.8)
