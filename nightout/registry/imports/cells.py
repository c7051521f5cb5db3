"""What a spreadsheet cell holds, and the problem a reader raises when it cannot use it.

Pure Python, typed strictly (`mypy --strict`): the readers in `values.py`, `times.py` and
`dates.py` share these, and `sheets.py` builds its lines of them.
"""

import datetime as dt
import math

# A cell as the file typed it: CSV cells are texts; an XLSX cell keeps the type Excel gave it
# (a number, TRUE/FALSE, a date, a date and time, a time). Nothing is turned into text.
Cell = str | int | float | bool | dt.datetime | dt.date | dt.time | None

# Excel counts days from 1899-12-30 (its day 0, shown as 1900-01-00); a date and time cell on
# or before 1900-01-01 holds only a time of day.
EXCEL_DAY_ZERO = dt.date(1900, 1, 1)
SHOWN_LENGTH = 40


class CellProblem(ValueError):
    """A cell that cannot be read; `message` says what was found and what to write instead."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_time_only(value: dt.datetime) -> bool:
    """A date and time cell whose date is Excel's day 0 (or the day after): a time of day."""
    return value.date() <= EXCEL_DAY_ZERO


def rounded(value: dt.time) -> dt.time:
    """`value` to the nearest second: Excel stores times as fractions of a day, so 18:00 may
    come back as 17:59:59.999."""
    seconds = value.hour * 3600 + value.minute * 60 + value.second
    seconds += round(value.microsecond / 1_000_000)
    seconds = min(seconds, 24 * 3600 - 1)
    return dt.time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def clock_text(value: dt.time) -> str:
    value = rounded(value)
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def cell_text(value: Cell) -> str:
    """The cell as a person reads it: a time "18:00", a date "2027-08-03", a date and time
    "2027-08-03 18:00", a whole number without ".0", TRUE/FALSE, a text without the spaces
    around it, nothing as ""."""
    if type(value) is str:  # most cells: the one check before the common answer
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if is_time_only(value):
            return clock_text(value.time())
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return f"{value.date().isoformat()} {clock_text(value.time())}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return clock_text(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return value.strip()


def shown(value: Cell) -> str:
    """The cell as a message quotes it: on one line, and cut short when long."""
    text = " ".join(cell_text(value).split())
    if len(text) > SHOWN_LENGTH:
        return text[: SHOWN_LENGTH - 1].rstrip() + "…"
    return text
