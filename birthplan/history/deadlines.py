"""When a new version must reach people, counted the way local procedures count.

After a joint review, local procedures (docs/history.md) ask for the new
version to reach the named midwife within 48 hours and the parents within 3
working days. A review is recorded by its date, not its time, so "48 hours"
is the end of the second day after the review. Working days skip Saturdays,
Sundays and the bank holidays of England and Wales (both authorities'
nations share them), computed by rule, plus the one-off days announced so
far. A one-off bank holiday announced after this release is not known: the
deadline is then one day early, never late.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from birthplan.history import recipients

MIDWIFE_HOURS = 48
PARENT_WORKING_DAYS = 3

# One-off changes to England and Wales bank holidays (gov.uk): days added, days moved away.
_EXTRA = {dt.date(2020, 5, 8), dt.date(2022, 6, 2), dt.date(2022, 6, 3), dt.date(2022, 9, 19),
          dt.date(2023, 5, 8)}
_MOVED = {dt.date(2020, 5, 4), dt.date(2022, 5, 30)}


@dataclass(frozen=True)
class Deadline:
    who: str  # "the named midwife", "the parents"
    rule: str  # "48 hours", "3 working days"
    due: dt.date  # the last day a copy counts as on time


def deadline_for(recipient: str, review_date: dt.date, plan_data: dict | None = None) -> Deadline | None:
    """The deadline that applies to ``recipient`` (as logged with `sent --to`), if any.

    Who the recipient is is ``history.recipients``' to say: by role words ("Named
    midwife", "Parents"), or by a full name that ``plan_data`` (the plan of the
    version sent) gives the mother, her partner or the community midwife. Anyone
    else has no deadline.
    """
    who = recipients.recognise(recipient, plan_data)
    if who == recipients.MIDWIFE:
        return midwife_deadline(review_date)
    if who == recipients.PARENTS:
        return parent_deadline(review_date)
    return None


def midwife_deadline(review_date: dt.date) -> Deadline:
    return Deadline(recipients.MIDWIFE, f"{MIDWIFE_HOURS} hours",
                    review_date + dt.timedelta(days=MIDWIFE_HOURS // 24))


def parent_deadline(review_date: dt.date) -> Deadline:
    return Deadline(recipients.PARENTS, f"{PARENT_WORKING_DAYS} working days",
                    add_working_days(review_date, PARENT_WORKING_DAYS))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (which itself does not count)."""
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[dt.date]:
    """England and Wales bank holidays in ``year``, with weekend substitutes."""
    easter = _easter_sunday(year)
    days = {
        _substitute(dt.date(year, 1, 1)),  # New Year's Day
        easter - dt.timedelta(days=2),  # Good Friday
        easter + dt.timedelta(days=1),  # Easter Monday
        _first_monday(year, 5),  # early May
        _last_monday(year, 5),  # spring
        _last_monday(year, 8),  # summer
    }
    christmas, boxing = dt.date(year, 12, 25), dt.date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: Monday and Tuesday
        days |= {christmas + dt.timedelta(days=2), boxing + dt.timedelta(days=2)}
    elif christmas.weekday() == 6:  # Sunday: Boxing Day Monday, Christmas Tuesday
        days |= {boxing, christmas + dt.timedelta(days=2)}
    elif boxing.weekday() == 5:  # Friday Christmas, Saturday Boxing Day: Monday
        days |= {christmas, boxing + dt.timedelta(days=2)}
    else:
        days |= {christmas, boxing}
    return frozenset((days - _MOVED) | {d for d in _EXTRA if d.year == year})


def _substitute(day: dt.date) -> dt.date:
    """A holiday on a weekend moves to the Monday after."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _first_monday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    day = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=day.weekday())


def _easter_sunday(year: int) -> dt.date:
    """Western Easter (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return dt.date(year, month, day + 1)
