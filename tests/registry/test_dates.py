import datetime as dt

import pytest

from nightout.registry.dates import default_nno_date


@pytest.mark.parametrize(
    ("year", "state", "expected"),
    [
        (2017, "MA", dt.date(2017, 8, 1)),  # the seed story's Tuesday
        (2027, "MN", dt.date(2027, 8, 3)),
        (2026, "TX", dt.date(2026, 10, 6)),  # Texas holds it in October
        (2026, "tx", dt.date(2026, 10, 6)),
        (2026, "", dt.date(2026, 8, 4)),
        (2023, "CA", dt.date(2023, 8, 1)),  # 1 August is itself a Tuesday
    ],
)
def test_default_nno_date_is_the_first_tuesday(year, state, expected):
    assert default_nno_date(year, state) == expected
    assert expected.weekday() == 1
