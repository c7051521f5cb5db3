"""Dates as people type them into a town's list, and when a host registered.

Pure Python, typed strictly (`mypy --strict`); re-exported by `values.py`. Slashes and
dashes are read month first, as in the United States ("8/3/2027" is August 3).
"""

import datetime as dt
import re

from nightout.registry.imports.cells import Cell, CellProblem, cell_text, is_time_only, shown

NOT_A_DATE = "“{cell}” is not a date such as 8/3/2027, 2027-08-03 or Aug 3, 2027."
A_TIME = "“{cell}” is a time, not a date; write a date such as 8/3/2027."
A_NUMBER_DATE = ("“{cell}” is a number, not a date; format the column as a date, or write a "
                 "date such as 8/3/2027.")
WRONG_WEEKDAY = "“{cell}”: {date:%B} {date.day}, {date.year} is a {date:%A}; correct the date."
NOT_A_MOMENT = "“{cell}” is not a date and time such as 7/1/2027 14:05 or 2027-07-01 14:05."


MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1)
    for name in names}
WEEKDAYS = {name: number for number, names in enumerate(
    [("mon", "monday"), ("tue", "tues", "tuesday"), ("wed", "wednesday"),
     ("thu", "thur", "thurs", "thursday"), ("fri", "friday"), ("sat", "saturday"),
     ("sun", "sunday")]) for name in names}
_WEEKDAY = re.compile(r"^(?P<weekday>[a-z]+)\.?,?\s+(?=\S)")
_TIME_AFTER = re.compile(r"(?:\s+|t)(?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?"
                         r"(?:\s*[ap]\.?m\.?)?)$")
_DATES = [
    re.compile(r"(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})"),
    re.compile(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{2}|\d{4})"),
    re.compile(r"(?P<month>\d{1,2})-(?P<day>\d{1,2})-(?P<year>\d{2}|\d{4})"),
    re.compile(r"(?P<name>[a-z]+)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+"
               r"(?P<year>\d{2}|\d{4})"),
    re.compile(r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s+|-)(?P<name>[a-z]+)\.?,?(?:\s+|-)"
               r"(?P<year>\d{2}|\d{4})"),
]


def _date_text(cell: str) -> tuple[dt.date | None, str]:
    """The date a text names, and what follows it (a time, or ""); None when no date."""
    text = " ".join(cell.lower().split())
    weekday = _WEEKDAY.match(text)
    if weekday and weekday["weekday"] in WEEKDAYS:
        text = text[weekday.end():]
    after = _TIME_AFTER.search(text)
    rest = after["time"] if after else ""
    text = text[:after.start()] if after else text
    for pattern in _DATES:
        found = pattern.fullmatch(text)
        if not found:
            continue
        parts = found.groupdict()
        month = MONTHS.get(parts["name"] or "") if "name" in parts else int(parts["month"])
        year = int(parts["year"]) + (2000 if len(parts["year"]) == 2 else 0)
        try:
            date = dt.date(year, month or 0, int(parts["day"]))
        except ValueError:
            return None, rest
        if weekday and weekday["weekday"] in WEEKDAYS and \
                WEEKDAYS[weekday["weekday"]] != date.weekday():
            raise CellProblem(WRONG_WEEKDAY.format(cell=shown(cell), date=date))
        return date, rest
    return None, rest


def read_date(value: Cell) -> dt.date:
    """A date: "8/3/2027", "08/03/2027", "8/3/27" (month first), "8-3-2027", "2027-08-03",
    "Aug 3, 2027", "August 3rd 2027", "3-Aug-2027", "Tuesday, August 3, 2027" (the weekday
    is checked), a date cell or a date and time cell (its date)."""
    if isinstance(value, dt.datetime):
        if is_time_only(value):
            raise CellProblem(A_TIME.format(cell=shown(value)))
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time):
        raise CellProblem(A_TIME.format(cell=shown(value)))
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellProblem(A_NUMBER_DATE.format(cell=shown(value)))
    date, _ = _date_text(cell_text(value))
    if date is None:
        raise CellProblem(NOT_A_DATE.format(cell=shown(value)))
    return date


def read_moment(value: Cell, zone: dt.tzinfo) -> dt.datetime:
    """A date and time (when a registration was submitted) in `zone`, the jurisdiction's:
    "7/1/2027 14:05", "2027-07-01 14:05:09", "2027-07-01T18:05:09+00:00", "7/1/2027 2:05 PM",
    a date and time cell, a date alone (its midnight)."""
    if isinstance(value, dt.datetime) and not is_time_only(value):
        moment = value
    elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        moment = dt.datetime.combine(value, dt.time(0))
    else:
        text = cell_text(value) if isinstance(value, str) else ""
        try:
            moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            moment = _moment_text(text, value)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def _moment_text(text: str, value: Cell) -> dt.datetime:
    try:
        date, rest = _date_text(text)
    except CellProblem:
        date, rest = None, ""
    if date is None:
        raise CellProblem(NOT_A_MOMENT.format(cell=shown(value)))
    if not rest:
        return dt.datetime.combine(date, dt.time(0))
    clock = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:([ap])\.?m\.?)?", rest)
    hour = int(clock[1]) if clock else 99
    if clock and clock[4]:
        hour = hour % 12 + (12 if clock[4] == "p" else 0) if 1 <= hour <= 12 else 99
    if not clock or hour > 23 or int(clock[2]) > 59 or int(clock[3] or 0) > 59:
        raise CellProblem(NOT_A_MOMENT.format(cell=shown(value)))
    return dt.datetime.combine(date, dt.time(hour, int(clock[2]), int(clock[3] or 0)))
