"""One cell → one value: every format a town's list uses, and every refusal with what to do.

One row per accepted format and per refused value. The season's night is 15:00–22:00 (the
default earliest start and latest end) unless a row says otherwise.
"""

import ast
import datetime as dt
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings

from nightout.registry.imports import values
from nightout.registry.imports.values import (
    CellProblem,
    Night,
    cell_text,
    read_coordinate,
    read_coordinates,
    read_count,
    read_date,
    read_email,
    read_hours,
    read_moment,
    read_phone,
    read_postal_code,
    read_text,
    read_time,
    read_visit_kinds,
    read_yes_no,
)
from nightout.registry.models import UnitKind

NIGHT = Night(dt.time(15), dt.time(22))
T = dt.time


def refused(read, value, *args, **kwargs) -> str:
    with pytest.raises(CellProblem) as caught:
        read(value, *args, **kwargs)
    return caught.value.message


@pytest.mark.parametrize(("cell", "expected"), [
    ("5:30 PM", T(17, 30)),
    ("5:30pm", T(17, 30)),
    ("5:30 p.m.", T(17, 30)),
    ("6 p.m.", T(18)),
    ("6pm", T(18)),
    ("6PM", T(18)),
    ("6p", T(18)),
    ("17:30", T(17, 30)),
    ("17:30:00", T(17, 30)),
    ("17.30", T(17, 30)),
    ("1730", T(17, 30)),
    ("630pm", T(18, 30)),
    ("5:30", T(17, 30)),          # unmarked: the evening lies in the night, the morning not
    ("6", T(18)),
    ("8:30", T(20, 30)),
    ("10", T(22)),                # the night's last minute is inside it
    ("3", T(15)),
    ("11", T(11)),                # 23:00 is past the night too: read as written
    ("12", T(12)),                # noon
    ("12:30", T(12, 30)),
    ("noon", T(12)),
    ("midnight", T(0)),
    ("08:00", T(8)),              # a leading zero is the 24-hour clock
    ("0:30", T(0, 30)),
    ("12am", T(0)),
    ("12 PM", T(12)),
    ("  7pm ", T(19)),
    (T(6), T(18)),                # an h:mm time cell showing 6:00
    (T(18), T(18)),
    (T(11), T(11)),
    (T(17, 59, 59, 999000), T(18)),  # Excel's fraction of a day, rounded to the second
    (dt.datetime(1899, 12, 30, 6, 30), T(18, 30)),  # Excel's day 0 with a time
    (dt.datetime(1899, 12, 31, 19), T(19)),
    (dt.datetime(2027, 8, 3, 18, 15), T(18, 15)),
    (6, T(18)),                   # the hour typed as a number
    (18, T(18)),
    (6.0, T(18)),
    (0.75, T(18)),                # a time as a fraction of a day
    (0.25, T(18)),                # 06:00, which only the evening makes sense of
    (0.6875, T(16, 30)),
])
def test_a_time_is_read_as_people_and_excel_type_it(cell, expected):
    assert read_time(cell, NIGHT) == expected


@pytest.mark.parametrize(("night", "cell", "expected"), [
    (Night(T(8), T(23)), "9", T(9)),            # both halves fit: as written
    (Night(T(17), T(21)), "5", T(17)),
    (Night(T(18), T(23, 30)), "11:15", T(23, 15)),
    (Night(T(17), T(1)), "12:30am", T(0, 30)),  # a night past midnight
    (Night(T(17), T(1)), "7", T(19)),
])
def test_an_unmarked_time_reads_inside_the_seasons_night(night, cell, expected):
    assert read_time(cell, night) == expected


@pytest.mark.parametrize(("cell", "words"), [
    ("25:00", "“25:00” is not a time such as 6:00 PM, 6pm or 18:00."),
    ("6:75", "is not a time"),
    ("13pm", "is not a time"),
    ("0pm", "is not a time"),
    ("evening", "“evening” is not a time"),
    ("6-8:30pm-ish", "is not a time"),
    ("6-8:30", "is a range of times; this column holds one time"),
    (6.5, "“6.5” is not a time"),
    (24, "is not a time"),
    (True, "“TRUE” is not a time"),
    (dt.date(2027, 8, 3), "“2027-08-03” is a date, not a time"),
    (dt.datetime(2027, 8, 3), "is a date, not a time"),
    ("", "The cell is empty; write a time"),
    (None, "The cell is empty"),
])
def test_a_cell_that_is_not_a_time_says_what_to_write(cell, words):
    assert words in refused(read_time, cell, NIGHT)


@pytest.mark.parametrize(("cell", "expected"), [
    ("6-8:30", (T(18), T(20, 30))),
    ("5:30-8", (T(17, 30), T(20))),
    ("6pm-9pm", (T(18), T(21))),
    ("6 - 9 PM", (T(18), T(21))),      # the end's pm goes to the start too
    ("6-9pm", (T(18), T(21))),
    ("11-2pm", (T(11), T(14))),        # 11pm would come after 2pm: 11am
    ("6pm-9", (T(18), T(21))),
    ("11am-2", (T(11), T(14))),        # the first reading of 2 after 11am
    ("18:00-20:30", (T(18), T(20, 30))),
    ("17:00 - 20:30", (T(17), T(20, 30))),
    ("5:00 PM - 8:30 PM", (T(17), T(20, 30))),
    ("6 p.m. - 9 p.m.", (T(18), T(21))),
    ("6 to 9", (T(18), T(21))),
    ("6 until 9", (T(18), T(21))),
    ("6–9", (T(18), T(21))),           # en dash
    ("6—9:30", (T(18), T(21, 30))),    # em dash
    ("4-8", (T(16), T(20))),
    ("12-3", (T(12), T(15))),
    ("9-6", (T(21), T(18))),           # end before start: the row's check says so
])
def test_a_range_in_one_cell_is_read_as_the_partys_hours(cell, expected):
    assert read_hours(cell, NIGHT) == expected


@pytest.mark.parametrize(("cell", "words"), [
    ("6-8:30pm-ish", "“6-8:30pm-ish” is not a time such as 6:00 PM or 18:00, or a range such "
                     "as 6-8:30"),
    ("all evening", "is not a time such as 6:00 PM or 18:00, or a range"),
    ("6pm", "“6pm” is only one time; write the party's hours as a range"),
    (T(18), "“18:00” is only one time"),
    ("", "The cell is empty; write the party's hours"),
])
def test_hours_that_are_not_a_range_say_what_to_write(cell, words):
    assert words in refused(read_hours, cell, NIGHT)


@pytest.mark.parametrize(("cell", "expected"), [
    ("8/3/2027", dt.date(2027, 8, 3)),
    ("08/03/2027", dt.date(2027, 8, 3)),
    ("8/3/27", dt.date(2027, 8, 3)),
    ("8-3-2027", dt.date(2027, 8, 3)),
    ("2027-08-03", dt.date(2027, 8, 3)),
    ("2027/8/3", dt.date(2027, 8, 3)),
    ("Aug 3, 2027", dt.date(2027, 8, 3)),
    ("Aug. 3 2027", dt.date(2027, 8, 3)),
    ("August 3 2027", dt.date(2027, 8, 3)),
    ("August 3rd, 2027", dt.date(2027, 8, 3)),
    ("Sept 7, 2027", dt.date(2027, 9, 7)),
    ("3-Aug-2027", dt.date(2027, 8, 3)),
    ("3-Aug-27", dt.date(2027, 8, 3)),
    ("3 August 2027", dt.date(2027, 8, 3)),
    ("Tuesday, August 3, 2027", dt.date(2027, 8, 3)),
    ("Tue 8/3/2027", dt.date(2027, 8, 3)),
    ("2027-08-03 00:00:00", dt.date(2027, 8, 3)),
    ("8/3/2027 6:00 PM", dt.date(2027, 8, 3)),
    (dt.date(2027, 8, 3), dt.date(2027, 8, 3)),
    (dt.datetime(2027, 8, 3), dt.date(2027, 8, 3)),
    (dt.datetime(2027, 8, 3, 18), dt.date(2027, 8, 3)),
])
def test_a_date_is_read_month_first_in_any_common_spelling(cell, expected):
    assert read_date(cell) == expected


@pytest.mark.parametrize(("cell", "words"), [
    ("2/30/2027", "“2/30/2027” is not a date such as 8/3/2027, 2027-08-03 or Aug 3, 2027."),
    ("8/3", "is not a date"),              # no year
    ("3.8.2027", "is not a date"),
    ("Smarch 3, 2027", "is not a date"),
    ("next Tuesday", "is not a date"),
    ("Mon, Aug 3, 2027", "August 3, 2027 is a Tuesday; correct the date."),
    (46602, "“46602” is a number, not a date; format the column as a date"),
    (T(18), "“18:00” is a time, not a date"),
    (dt.datetime(1899, 12, 30, 18), "is a time, not a date"),
    ("", "is not a date"),
])
def test_a_cell_that_is_not_a_date_says_what_to_write(cell, words):
    assert words in refused(read_date, cell)


ZONE = zoneinfo.ZoneInfo("America/New_York")


@pytest.mark.parametrize(("cell", "expected"), [
    ("7/1/2027 14:05", dt.datetime(2027, 7, 1, 14, 5, tzinfo=ZONE)),
    ("7/1/2027 2:05 PM", dt.datetime(2027, 7, 1, 14, 5, tzinfo=ZONE)),
    ("7/1/2027 14:05:09", dt.datetime(2027, 7, 1, 14, 5, 9, tzinfo=ZONE)),
    ("2027-07-01 14:05:09", dt.datetime(2027, 7, 1, 14, 5, 9, tzinfo=ZONE)),
    ("2027-07-01T18:05:09+00:00", dt.datetime(2027, 7, 1, 14, 5, 9, tzinfo=ZONE)),
    ("2027-07-01", dt.datetime(2027, 7, 1, tzinfo=ZONE)),
    (dt.datetime(2027, 7, 1, 14, 5), dt.datetime(2027, 7, 1, 14, 5, tzinfo=ZONE)),
    (dt.date(2027, 7, 1), dt.datetime(2027, 7, 1, tzinfo=ZONE)),
])
def test_when_a_host_registered_is_read_in_the_towns_zone(cell, expected):
    moment = read_moment(cell, ZONE)
    assert moment == expected and moment.utcoffset() == dt.timedelta(hours=-4)


@pytest.mark.parametrize("cell", ["yesterday", "7/1/2027 25:00", "", T(14)])
def test_a_submission_time_that_cannot_be_read_says_what_to_write(cell):
    assert "is not a date and time such as 7/1/2027 14:05" in refused(read_moment, cell, ZONE)


@pytest.mark.parametrize(("cell", "expected"), [
    ("25", 25), ("30-40", 40), ("30 - 40", 40), ("30–40", 40), ("30 to 40", 40),
    ("50+", 50), ("about 40", 40), ("approx. 40", 40), ("~40", 40), ("around 40", 40),
    ("40ish", 40), ("40 people", 40), ("About 40 guests", 40), ("1,200", 1200),
    ("0", 0), (25, 25), (25.0, 25), ("", None), ("   ", None), (None, None),
])
def test_attendance_is_read_as_a_number_planning_for_the_most(cell, expected):
    assert read_count(cell) == expected


@pytest.mark.parametrize("cell", ["lots", "TBD", "25.5", 25.5, -3, "-3", "30,40", True,
                                  "2,000,000", dt.date(2027, 8, 3)])
def test_attendance_that_is_not_a_number_says_what_to_write(cell):
    message = refused(read_count, cell)
    assert message.endswith("is not a number of people such as 25, 30-40 or 50+; leave it "
                            "blank when you do not know.")
    assert message.startswith(f"“{cell_text(cell)}”")


@pytest.mark.parametrize(("cell", "expected"), [
    ("yes", True), ("Yes", True), ("Y", True), ("true", True), ("TRUE", True), ("x", True),
    ("X", True), ("1", True), (True, True), (1, True), ("✓", True),
    ("no", False), ("No", False), ("N", False), ("false", False), ("0", False),
    ("none", False), ("N/A", False), (False, False), (0, False),
    ("", None), (None, None),
])
def test_yes_or_no_is_read_in_every_usual_spelling(cell, expected):
    assert read_yes_no(cell) is expected


@pytest.mark.parametrize("cell", ["maybe", "Elm Street", 2])
def test_a_cell_that_is_not_yes_or_no_says_what_to_write(cell):
    assert refused(read_yes_no, cell) == (f"“{cell_text(cell)}” is not yes or no; write yes, "
                                          "no, or leave it blank.")


@pytest.mark.parametrize(("cell", "expected"), [
    ("Police", ["police"]),
    ("Police, Fire Truck & McGruff", ["police", "fire", "mcgruff"]),
    ("PD/FD; EMS", ["police", "fire", "ems"]),
    ("Police Dept. + Fire Dept.", ["police", "fire"]),
    ("police officers and firefighters", ["police", "fire"]),
    ("Cops, Patrol car", ["police"]),
    ("Fire Engine / Ambulance", ["fire", "ems"]),
    ("Paramedics\nK-9", ["ems", "k9"]),
    ("K9 Unit; Canine; Police dog", ["k9"]),
    ("McGruff the Crime Dog", ["mcgruff"]),
    ("Mayor and Council", ["official"]),
    ("City Councilor, Alderman, Selectman, State Rep", ["official"]),
    ("Elected Officials", ["official"]),
    ("Gear demo", ["gear_demo"]),
    ("State Police / National Guard", ["outside_agency"]),
    ("Outside agency (state, federal, military)", ["outside_agency"]),
    ("Fire, Police, Fire", ["fire", "police"]),
    ("FIRE TRUCKS", ["fire"]),
    ("None", []), ("n/a", []), ("No", []), ("", []), (None, []),
])
def test_departments_are_read_with_their_synonyms_in_the_cells_order(cell, expected):
    assert read_visit_kinds(cell) == expected


def test_an_unknown_department_is_named_with_the_kinds_to_write():
    assert refused(read_visit_kinds, "Police, Helicopter") == (
        "“Helicopter” is not a kind of visit; write police, fire, EMS, K9, McGruff, official "
        "(mayor, council), gear demo or outside agency (state police, national guard), "
        "separated by commas.")


@pytest.mark.parametrize(("cell", "expected"), [
    ("Bounce house, DJ", []),
    ("Bounce house, a fire truck for the kids, McGruff", ["fire", "mcgruff"]),
    ("Would love the Mayor to stop by", ["official"]),
    ("K9 demo & face painting", ["k9"]),
])
def test_an_other_column_asks_for_the_kinds_it_names_and_ignores_the_rest(cell, expected):
    assert read_visit_kinds(cell, strict=False) == expected


def test_the_visit_words_cover_every_kind_of_unit_and_no_other():
    assert set(values.VISIT_KINDS) == set(UnitKind.values)
    for value, label in UnitKind.choices:
        assert read_visit_kinds(label) == [value], label
        assert read_visit_kinds(value) == [value], value


def test_every_visit_word_is_in_the_docs_table_of_its_kind():
    docs = (Path(settings.BASE_DIR) / "docs" / "import.md").read_text()
    section = docs.split("\n### Visits")[1].split("\n### ")[0]
    rows = dict(re.findall(r"^\| ([^|]+?) \| ([^|]+) \|$", section, re.M))
    labels = {"police": "police", "fire": "fire", "ems": "EMS", "k9": "K9",
              "mcgruff": "McGruff", "official": "elected official",
              "gear_demo": "gear demonstration", "outside_agency": "outside agency"}
    for kind, words in values.VISIT_WORDS.items():
        listed = rows[labels[kind]].split(", ")
        assert listed == list(words), kind


@pytest.mark.parametrize(("cell", "expected"), [
    ("42.0702", 42.0702), ("-72.6155", -72.6155), ("42,0702", 42.0702),
    ("-72,6155", -72.6155), ("−72.6155", -72.6155), ("42.1015° N", 42.1015),
    ("72.5898 W", -72.5898), ("S 33.9", -33.9), (42.07, 42.07), (-72, -72.0),
    ("", None), (None, None),
])
def test_a_coordinate_takes_a_decimal_point_or_comma(cell, expected):
    assert read_coordinate(cell) == expected


@pytest.mark.parametrize("cell", ["forty-two", "42.07.1", "1,234.5", "200", 200.5, "N/A",
                                  True, float("nan")])
def test_a_cell_that_is_not_a_coordinate_says_what_to_write(cell):
    assert "is not a coordinate such as 42.1015 or -72.5898" in refused(read_coordinate, cell)


@pytest.mark.parametrize(("cell", "expected"), [
    ("42.07, -72.61", (42.07, -72.61)), ("42.07 -72.61", (42.07, -72.61)),
    ("(42.07, -72.61)", (42.07, -72.61)), ("42,07; -72,61", (42.07, -72.61)),
    ("", None),
])
def test_coordinates_in_one_cell_are_latitude_then_longitude(cell, expected):
    assert read_coordinates(cell) == expected


@pytest.mark.parametrize("cell", ["42.07", "42.07, -72.61, 3", "here"])
def test_coordinates_that_are_not_a_pair_say_what_to_write(cell):
    assert "is not a latitude and a longitude such as" in refused(read_coordinates, cell)


@pytest.mark.parametrize(("cell", "expected"), [
    ("dana@example.org", "dana@example.org"), (" Dana.Lee@Example.org ", "Dana.Lee@Example.org"),
    ("mailto:dana@example.org", "dana@example.org"),
    ("Dana Lee <dana@example.org>", "dana@example.org"), ("", ""), (None, ""),
])
def test_an_email_is_read_as_one_address(cell, expected):
    assert read_email(cell) == expected


@pytest.mark.parametrize(("cell", "words"), [
    ("dana at example.org", "“dana at example.org” is not an email address such as "
                            "dana@example.org."),
    ("dana@example", "is not an email address"),
    ("dana@@example.org", "is not an email address"),
    ("a@example.org; b@example.org", "holds more than one email address; keep only the host's"),
    ("=HYPERLINK(\"x\")", "starts with “=”, so a spreadsheet would take it for a formula"),
])
def test_a_cell_that_is_not_an_email_says_what_to_write(cell, words):
    assert words in refused(read_email, cell)


@pytest.mark.parametrize(("cell", "expected"), [
    ("+1 (413) 555-0100", "+1 (413) 555-0100"), ("413.555.0100", "413.555.0100"),
    ("413-555-0100", "413-555-0100"), ("(413) 555 0100 ext. 12", "(413) 555 0100 ext. 12"),
    ("555-0100", "555-0100"), (4135550100, "4135550100"), (4135550100.0, "4135550100"),
    ("", ""), (None, ""),
])
def test_a_phone_number_is_kept_as_typed(cell, expected):
    assert read_phone(cell) == expected


@pytest.mark.parametrize(("cell", "words"), [
    ("call after 5", "“call after 5” is not a phone number such as 413-555-0100"),
    ("555", "is not a phone number"),
    ("=1+2", "is not a phone number"),
    ("4.14E+09", "a phone number a spreadsheet shortened into a number; format the column as "
                 "text"),
    (dt.date(2027, 8, 3), "is not a phone number"),
])
def test_a_cell_that_is_not_a_phone_number_says_what_to_write(cell, words):
    assert words in refused(read_phone, cell)


@pytest.mark.parametrize(("cell", "expected"), [
    ("01001", "01001"), ("01001-1234", "01001-1234"), ("010011234", "01001-1234"),
    (" 01030 ", "01030"), (1001, "01001"), (1001.0, "01001"), (10011234, "01001-1234"),
    (2108, "02108"), ("", ""), (None, ""),
])
def test_a_zip_code_gets_back_the_leading_zeros_a_spreadsheet_dropped(cell, expected):
    assert read_postal_code(cell) == expected


@pytest.mark.parametrize("cell", ["1001", "Agawam", "01001-12", 1001.5, -1001, True])
def test_a_cell_that_is_not_a_zip_code_says_what_to_write(cell):
    assert refused(read_postal_code, cell) == (f"“{cell_text(cell)}” is not a ZIP code such as "
                                               "01001 or 01001-1234.")


@pytest.mark.parametrize(("cell", "kwargs", "expected"), [
    ("  Elm Street Block Party ", {}, "Elm Street Block Party"),
    ("Café Night", {}, "Café Night"),
    (1400, {}, "1400"),
    (-5, {}, "-5"),                                   # a number cell is not a formula
    ("line one\r\nline two", {"multiline": True}, "line one\nline two"),
    ("=SUM(A1)", {"formula_ok": True}, "=SUM(A1)"),
    ("x" * 160, {}, "x" * 160),
    ("", {}, ""),
    (None, {}, ""),
])
def test_a_text_cell_is_kept_without_its_surrounding_spaces(cell, kwargs, expected):
    assert read_text(cell, max_length=160, **kwargs) == expected


@pytest.mark.parametrize(("cell", "kwargs", "words"), [
    ("=HYPERLINK(\"http://x\")", {}, "“=HYPERLINK(\"http://x\")” starts with “=”, so a "
                                     "spreadsheet would take it for a formula; remove the "
                                     "“=” or begin with a word."),
    ("+1 more", {}, "starts with “+”"),
    ("-all welcome", {}, "starts with “-”"),
    ("@everyone", {}, "starts with “@”"),
    ("  =1+1", {}, "starts with “=”"),
    ("x" * 161, {}, "” is 161 characters long; this column holds at most 160: shorten it."),
    ("y" * 5000, {"multiline": True}, "is 5,000 characters long"),
    ("two\nlines", {}, "contains a line break (U+000A) at position 4; keep it on one line."),
    ("tab\there", {}, "contains a tab (U+0009) at position 4"),
    ("bell\x07", {"multiline": True}, "contains a control character (U+0007) at position 5"),
])
def test_a_text_cell_refused_says_what_to_fix(cell, kwargs, words):
    assert words in refused(read_text, cell, max_length=160, **kwargs)


def test_a_long_cell_is_quoted_short_in_the_message():
    message = refused(read_text, "Bring chairs " * 100, max_length=1000)
    assert message.startswith("“Bring chairs Bring chairs Bring chairs…” is 1,299 characters")
    # (the spaces around a cell are not counted)


@pytest.mark.parametrize(("cell", "expected"), [
    (T(18), "18:00"), (T(18, 0, 30), "18:00:30"), (dt.datetime(1899, 12, 30, 18), "18:00"),
    (dt.date(2027, 8, 3), "2027-08-03"), (dt.datetime(2027, 8, 3), "2027-08-03"),
    (dt.datetime(2027, 8, 3, 18, 30), "2027-08-03 18:30"), (6.0, "6"), (42.07, "42.07"),
    (4135550100, "4135550100"), (True, "TRUE"), (None, ""), ("  Elm  ", "Elm"),
])
def test_a_cell_is_shown_as_a_person_reads_it(cell, expected):
    assert cell_text(cell) == expected


def test_the_value_readers_import_no_django():
    folder = Path(values.__file__).parent
    for name in ("values.py", "times.py", "dates.py", "cells.py"):
        tree = ast.parse((folder / name).read_text())
        imported = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                    for alias in node.names]
        imported += [node.module or "" for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom)]
        assert not [m for m in imported if m.split(".")[0] == "django"], name
        assert not [m for m in imported if m.startswith("nightout.")
                    and m not in {"nightout.plaintext", "nightout.registry.imports.cells",
                                  "nightout.registry.imports.times",
                                  "nightout.registry.imports.dates"}], name
