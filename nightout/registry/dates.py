"""National Night Out's calendar rules (pure functions)."""

import datetime as dt

TUESDAY = 1  # date.weekday()

# States whose NNO is held in October because August is too hot (first Tuesday of October).
OCTOBER_STATES = frozenset({"TX"})


def first_weekday(year: int, month: int, weekday: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7)


def default_nno_date(year: int, state: str = "") -> dt.date:
    """The first Tuesday of August, or of October in Texas. Any town may pick another date."""
    month = 10 if state.upper() in OCTOBER_STATES else 8
    return first_weekday(year, month, TUESDAY)
