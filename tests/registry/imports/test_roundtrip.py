"""Property: values written in any supported format, in any supported file, read back the same.

Hypothesis draws the values a party list holds (hours inside the night, dates, attendance,
yes or no, departments, coordinates, a ZIP code, a note), writes each in one of the ways
people type it, puts the rows in a CSV (any encoding, separator and line end) or an XLSX
(cells as Excel types them), and reads the file back through `book_read` and the readers.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from nightout.registry.imports.sheets import book_read, sheet_pick
from nightout.registry.imports.values import (
    VISIT_WORDS,
    Night,
    read_coordinate,
    read_count,
    read_date,
    read_hours,
    read_postal_code,
    read_text,
    read_time,
    read_visit_kinds,
    read_yes_no,
)

NIGHT = Night(dt.time(15), dt.time(22))
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December"]
WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def twelve(value: dt.time) -> tuple[int, str]:
    """The hour on a 12-hour clock, with the minutes when there are any."""
    hour = value.hour % 12 or 12
    return hour, f"{hour}:{value.minute:02d}" if value.minute else str(hour)


@st.composite
def night_times(draw) -> dt.time:
    """A time in the season's night, on a five-minute step."""
    minutes = draw(st.integers(15 * 12, 22 * 12)) * 5
    return dt.time(minutes // 60, minutes % 60)


@st.composite
def typed_time(draw, value: dt.time, marked: bool = False) -> str:
    """`value` as a person types it; unmarked forms only when the night makes them mean it."""
    hour, short = twelve(value)
    half = "am" if value.hour < 12 else "pm"
    forms = [
        f"{hour}:{value.minute:02d} {half.upper()}",
        f"{short}{half}",
        f"{short} {half[0]}.m.",
        f"{short}{half[0].upper()}",
        f"{value.hour}:{value.minute:02d}",
        f"{value.hour:02d}{value.minute:02d}",
    ]
    if not marked:
        forms.append(short)  # every night time of 15:00-22:00 reads as the evening
    return draw(st.sampled_from(forms))


@st.composite
def typed_hours(draw) -> tuple[str, tuple[dt.time, dt.time]]:
    start = draw(night_times())
    end = draw(night_times().filter(lambda t: t > start))
    separator = draw(st.sampled_from(["-", " - ", "–", " — ", " to ", " until "]))
    return f"{draw(typed_time(start))}{separator}{draw(typed_time(end))}", (start, end)


@st.composite
def typed_date(draw) -> tuple[object, dt.date]:
    day = draw(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
    month = MONTH_NAMES[day.month - 1]
    forms: list[object] = [
        f"{day.month}/{day.day}/{day.year}", f"{day:%m/%d/%Y}", f"{day.month}/{day.day}/{day:%y}",
        f"{day.month}-{day.day}-{day.year}", day.isoformat(), f"{month[:3]} {day.day}, {day.year}",
        f"{month} {day.day} {day.year}", f"{day.day}-{month[:3]}-{day.year}",
        f"{WEEKDAY_NAMES[day.weekday()]}, {month} {day.day}, {day.year}",
    ]
    return draw(st.sampled_from(forms)), day


@st.composite
def typed_count(draw) -> tuple[object, int | None]:
    count = draw(st.integers(0, 100_000))
    low = draw(st.integers(0, count))
    forms: list[object] = [str(count), f"{count:,}", f"{low}-{count}", f"{low} to {count}",
                           f"{count}+", f"about {count}", f"~{count}", f"{count} people"]
    if draw(st.integers(0, 9)) == 0:
        return "", None  # not known
    return draw(st.sampled_from(forms)), count


@st.composite
def typed_yes_no(draw) -> tuple[object, bool | None]:
    answer = draw(st.sampled_from([True, False, None]))
    words = {True: ["yes", "y", "true", "x", "1"], False: ["no", "n", "false", "0"],
             None: [""]}[answer]
    word = draw(st.sampled_from(words))
    return draw(st.sampled_from([word, word.upper(), word.capitalize()])), answer


@st.composite
def typed_departments(draw) -> tuple[str, list[str]]:
    kinds = draw(st.lists(st.sampled_from(sorted(VISIT_WORDS)), unique=True, max_size=5))
    words = []
    for kind in kinds:
        word = draw(st.sampled_from(VISIT_WORDS[kind]))
        word = draw(st.sampled_from([word, word.upper(), word.title(), word + "s"]))
        words.append(word)
    separators = [", ", "/", " & ", " and ", "; ", " + ", "\n", ","]
    text = words[0] if words else draw(st.sampled_from(["", "None", "n/a"]))
    for word in words[1:]:
        text += draw(st.sampled_from(separators)) + word
    return text, kinds


@st.composite
def typed_coordinate(draw, bound: int) -> tuple[str, float]:
    micro = draw(st.integers(-bound * 1_000_000, bound * 1_000_000))
    text = f"{micro / 1_000_000:.6f}"
    return draw(st.sampled_from([text, text.replace(".", ",")])), float(text)


@st.composite
def typed_zip(draw) -> tuple[str, str]:
    zip5 = f"{draw(st.integers(1, 99_999)):05d}"
    plus4 = draw(st.one_of(st.just(""), st.integers(0, 9999).map(lambda n: f"{n:04d}")))
    expected = f"{zip5}-{plus4}" if plus4 else zip5
    return draw(st.sampled_from([expected, zip5 + plus4])), expected


NOTE_LETTERS = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéñü .,'")


@dataclass
class Row:
    cells: list[object]
    expected: list[object]


@st.composite
def rows(draw) -> Row:
    start = draw(night_times())
    hours, expected_hours = draw(typed_hours())
    date, day = draw(typed_date())
    count, expected_count = draw(typed_count())
    closure, expected_closure = draw(typed_yes_no())
    visits, kinds = draw(typed_departments())
    latitude, expected_latitude = draw(typed_coordinate(90))
    longitude, expected_longitude = draw(typed_coordinate(180))
    postal_code, expected_postal_code = draw(typed_zip())
    note = draw(st.text(NOTE_LETTERS, max_size=40).map(str.strip))
    return Row(
        cells=[draw(typed_time(start)), hours, date, count, closure, visits, latitude,
               longitude, postal_code, note],
        expected=[start, expected_hours, day, expected_count, expected_closure, kinds,
                  expected_latitude, expected_longitude, expected_postal_code, note])


HEADER = ["Start", "Hours", "Date", "Guests", "Closure", "Visits", "Lat", "Lng", "ZIP",
          "Notes"]


def read_row(cells) -> list[object]:
    cells = list(cells) + [None] * (len(HEADER) - len(cells))
    return [read_time(cells[0], NIGHT), read_hours(cells[1], NIGHT), read_date(cells[2]),
            read_count(cells[3]), read_yes_no(cells[4]), read_visit_kinds(cells[5]),
            read_coordinate(cells[6]), read_coordinate(cells[7]), read_postal_code(cells[8]),
            read_text(cells[9], max_length=200)]


@settings(max_examples=400)
@given(rows())
def test_each_value_typed_any_supported_way_reads_back_the_same(row):
    assert read_row(row.cells) == row.expected


@st.composite
def csv_files(draw) -> tuple[bytes, list[Row]]:
    table = draw(st.lists(rows(), min_size=1, max_size=8))
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(HEADER)
    for row in table:
        writer.writerow(row.cells)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
    return out.getvalue().encode(encoding), table


@settings(max_examples=100)
@given(csv_files())
def test_a_csv_of_random_rows_in_any_encoding_and_separator_reads_back_the_same(drawn):
    content, table = drawn
    sheet = sheet_pick(book_read("parties.csv", content))
    assert sheet.header == tuple(HEADER)
    assert [read_row(line.cells) for line in sheet.lines] == [row.expected for row in table]


@st.composite
def excel_cells(draw, row: Row) -> list[object]:
    """The row as Excel types it: times and dates as cells, numbers as numbers."""
    start, _, day, count, closure, _, latitude, longitude, postal_code, _ = row.expected
    cells = list(row.cells)
    cells[0] = draw(st.sampled_from([
        cells[0], start, dt.time(start.hour - 12, start.minute),  # an h:mm cell, unmarked
        (start.hour * 60 + start.minute) / 1440]))                 # a fraction of a day
    if start.minute == 0:
        cells[0] = draw(st.sampled_from([cells[0], start.hour - 12, start.hour]))
    cells[2] = draw(st.sampled_from([cells[2], day, dt.datetime.combine(day, dt.time(0))]))
    if count is not None and cells[3] == str(count):
        cells[3] = draw(st.sampled_from([cells[3], count]))
    if closure is not None:
        cells[4] = draw(st.sampled_from([cells[4], closure]))
    cells[6] = draw(st.sampled_from([cells[6], latitude]))
    cells[7] = draw(st.sampled_from([cells[7], longitude]))
    cells[8] = draw(st.sampled_from([cells[8], int(postal_code.replace("-", ""))]))
    return cells


@st.composite
def xlsx_files(draw) -> tuple[bytes, list[Row]]:
    table = draw(st.lists(rows(), min_size=1, max_size=5))
    book = Workbook()
    sheet = book.active
    sheet.title = "Parties"
    sheet.append(HEADER)
    for row in table:
        sheet.append(draw(excel_cells(row)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), table


@settings(max_examples=40, deadline=None)
@given(xlsx_files())
def test_an_xlsx_of_random_rows_with_excels_own_cells_reads_back_the_same(drawn):
    content, table = drawn
    sheet = sheet_pick(book_read("parties.xlsx", content), "Parties")
    assert [read_row(line.cells) for line in sheet.lines] == [row.expected for row in table]
