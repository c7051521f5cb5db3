"""Times of day as people type them into a town's list, read inside the season's night.

Marked times read as written: "5:30 PM", "5:30pm", "6 p.m.", "6pm", "6p", "17:30", "08:00"
(a leading zero is the 24-hour clock), "1730", "noon", "midnight". An unmarked time of 1 to 11
o'clock ("5:30", "6", "8:30") reads as the evening when the evening lies inside the season's
night and the morning does not; "12" is noon. The same rule reads what Excel typed: a time
cell (`h:mm`) holding a morning time, the number 6, a time as a fraction of a day (0.75).

A range in one cell ("6-8:30", "5:30-8", "6pm-9pm", "6 - 9 PM", "18:00-20:30", "6 to 9",
with a hyphen, an en dash or an em dash): the end is read first, and a start without am/pm
takes the end's half of the day when that keeps it before the end ("6 - 9 PM" is 18:00 to
21:00); an end without am/pm after a marked start is the first reading that comes after it
("6pm-9" is 18:00 to 21:00, "11am-2" is 11:00 to 14:00).
"""

import datetime as dt
import re
from dataclasses import dataclass

from nightout.registry.imports.cells import Cell, CellProblem, is_time_only, rounded, shown

NOT_A_TIME = "“{cell}” is not a time such as 6:00 PM, 6pm or 18:00."
A_RANGE = ("“{cell}” is a range of times; this column holds one time such as 6:00 PM or "
           "18:00 (map the column to the party's hours to read it as a range).")
NOT_HOURS = ("“{cell}” is not a time such as 6:00 PM or 18:00, or a range such as 6-8:30, "
             "6pm-9pm or 18:00-20:30.")
ONE_TIME = ("“{cell}” is only one time; write the party's hours as a range such as 6-8:30, "
            "6pm-9pm or 18:00-20:30.")
A_DATE = "“{cell}” is a date, not a time; write a time such as 6:00 PM or 18:00."
EMPTY_TIME = "The cell is empty; write a time such as 6:00 PM or 18:00."
EMPTY_HOURS = "The cell is empty; write the party's hours, such as 6-8:30 or 18:00-20:30."


@dataclass(frozen=True)
class Night:
    """The season's window for parties: no party starts before `earliest` or ends after
    `latest` (the season's earliest_start and latest_end)."""

    earliest: dt.time
    latest: dt.time

    def holds(self, value: dt.time) -> bool:
        if self.earliest <= self.latest:
            return self.earliest <= value <= self.latest
        return value >= self.earliest or value <= self.latest  # a night past midnight


@dataclass(frozen=True)
class Clock:
    """One time as typed: `half` is "a" or "p" when marked; `fixed` when written on the
    24-hour clock (13 and later, 0, a leading zero), so it reads as written."""

    hour: int
    minute: int
    second: int = 0
    half: str = ""
    fixed: bool = False

    @property
    def marked(self) -> bool:
        return bool(self.half) or self.fixed or not 1 <= self.hour <= 11

    def at(self, half: str) -> dt.time:
        """The time in the given half of the day ("a" or "p")."""
        hour = self.hour % 12 + (12 if half == "p" else 0)
        return dt.time(hour, self.minute, self.second)

    def readings(self, night: Night) -> list[dt.time]:
        """What the time may mean, the likelier first (see the module)."""
        if self.half:
            return [self.at(self.half)]
        written = dt.time(self.hour, self.minute, self.second)
        if self.marked:
            return [written]
        evening = self.at("p")
        if night.holds(evening) and not night.holds(written):
            return [evening, written]
        return [written, evening]

    def read(self, night: Night) -> dt.time:
        return self.readings(night)[0]


_HALF = r"(?:(?P<half>[ap])\.?\s*(?:m\.?)?)?"
_CLOCK = re.compile(
    r"(?P<hour>\d{1,2})(?:\s*[:.h]\s*(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?\s*" + _HALF)
_MILITARY = re.compile(r"(?P<hour>\d{1,2})(?P<minute>\d{2})\s*" + _HALF)
_WORDS = {"noon": Clock(12, 0, fixed=True), "12 noon": Clock(12, 0, fixed=True),
          "midday": Clock(12, 0, fixed=True), "midnight": Clock(0, 0, fixed=True)}
_RANGE = re.compile(r"\s*[-–—~]\s*|\s+(?:to|until|till|thru)\s+")


def clock_parse(text: str) -> Clock | None:
    """One time typed as text, or None when it is not one."""
    text = text.strip().lower()
    if text in _WORDS:
        return _WORDS[text]
    found = _CLOCK.fullmatch(text) or _MILITARY.fullmatch(text)
    if not found:
        return None
    digits = found["hour"]
    hour, minute = int(digits), int(found["minute"] or 0)
    second = int(found.groupdict().get("second") or 0)
    half = found["half"] or ""
    if minute > 59 or second > 59 or hour > 23 or (half and not 1 <= hour <= 12):
        return None
    fixed = not half and (hour == 0 or hour >= 12 or (len(digits) == 2 and digits[0] == "0"))
    return Clock(hour, minute, second, half, fixed)


def _cell_clock(value: Cell) -> Clock | None:
    """A time Excel typed (a time cell, a number of hours, a fraction of a day), as a
    `Clock` to read by the same rule as a typed time; None for a text or another cell."""
    if isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        value = value.time()
    if isinstance(value, dt.time):
        value = rounded(value)
        # A time cell shows "6:00" for 06:00: unmarked, unless it is on the 24-hour clock.
        return Clock(value.hour, value.minute, value.second, fixed=value.hour == 0)
    if isinstance(value, int | float):
        if float(value).is_integer() and 0 <= value <= 23:
            return Clock(int(value), 0, fixed=int(value) == 0)
        if 0 < value < 1:
            seconds = round(value * 24 * 3600)
            if seconds >= 24 * 3600:
                return None
            return _cell_clock(dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60))
    return None


def _range_parts(text: str) -> tuple[str, str] | None:
    parts = _RANGE.split(text.strip(), maxsplit=1)
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return None
    return parts[0], parts[1]


def read_time(value: Cell, night: Night) -> dt.time:
    """One time of day (see the module for the formats and the rule)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CellProblem(EMPTY_TIME)
    if isinstance(value, dt.datetime) and not is_time_only(value) and value.time() == dt.time(0):
        raise CellProblem(A_DATE.format(cell=shown(value)))
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        raise CellProblem(A_DATE.format(cell=shown(value)))
    clock = clock_parse(value) if isinstance(value, str) else _cell_clock(value)
    if clock is None:
        if isinstance(value, str) and _range_parts(value) and _hours(value, night):
            raise CellProblem(A_RANGE.format(cell=shown(value)))
        raise CellProblem(NOT_A_TIME.format(cell=shown(value)))
    return clock.read(night)


def _hours(text: str, night: Night) -> tuple[dt.time, dt.time] | None:
    parts = _range_parts(text)
    if parts is None:
        return None
    start, end = clock_parse(parts[0]), clock_parse(parts[1])
    if start is None or end is None:
        return None
    if start.marked and not end.marked:
        begins = start.read(night)
        ends = next((t for t in end.readings(night) if t > begins), end.read(night))
        return begins, ends
    ends = end.read(night)
    if start.marked:
        return start.read(night), ends
    same_half = start.at("p" if ends.hour >= 12 else "a")
    return (same_half if same_half < ends else start.read(night)), ends


def read_hours(value: Cell, night: Night) -> tuple[dt.time, dt.time]:
    """A party's start and end typed in one cell, such as "6-8:30" (see the module). The
    end may come before the start ("9-6"): the row's check says so."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CellProblem(EMPTY_HOURS)
    if isinstance(value, str):
        found = _hours(value, night)
        if found is not None:
            return found
        if clock_parse(value) is None:
            raise CellProblem(NOT_HOURS.format(cell=shown(value)))
    elif _cell_clock(value) is None:
        raise CellProblem(NOT_HOURS.format(cell=shown(value)))
    raise CellProblem(ONE_TIME.format(cell=shown(value)))
