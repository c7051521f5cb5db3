"""One line of a town's list, end to end through the import (read, map, check, write): one
row of these tables per way of writing a value, and one per fault, with the line and column
the report must name. The season is Agawam's 2017 night, Tuesday 1 August, its window 3 PM to
10 PM, its default hours 5 to 9 PM."""

import csv
import datetime as dt
import io

import pytest

from nightout.registry.actors import Actor
from nightout.registry.imports import events_import
from nightout.registry.models import Event

pytestmark = pytest.mark.django_db

BASE = {"Address": "120 Elm Street", "Latitude": "42.0702", "Longitude": "-72.6155"}


def one_line(season, cells: dict[str, str], apply: bool = True, drop=()):
    """Import a file of one line: BASE's cells, changed and added to by `cells` (a cell of
    None takes BASE's column out of the file)."""
    row = {**BASE, **cells}
    row = {column: value for column, value in row.items() if value is not None}
    out = io.StringIO()
    csv.writer(out).writerows([list(row), list(row.values())])
    return events_import(season=season, filename="list.csv", content=out.getvalue().encode(),
                         apply=apply, actor=Actor.system("import"), drop_columns=drop)


def local(season, moment: dt.datetime) -> dt.time:
    return moment.astimezone(season.jurisdiction.zone).time()


ACCEPTED = [
    # (cells, what the written event holds: field -> value)
    ({"Start": "5:30 PM", "End": "8:30"}, {"starts": dt.time(17, 30), "ends": dt.time(20, 30)}),
    ({"Start Time": "6 p.m.", "End Time": "9pm"}, {"starts": dt.time(18), "ends": dt.time(21)}),
    ({"StartTime": "17:30"}, {"starts": dt.time(17, 30), "ends": dt.time(21)}),
    ({"From": "6", "Until": "8:30"}, {"starts": dt.time(18), "ends": dt.time(20, 30)}),
    ({"Time": "6-8:30"}, {"starts": dt.time(18), "ends": dt.time(20, 30)}),
    ({"Hours": "5:30-8"}, {"starts": dt.time(17, 30), "ends": dt.time(20)}),
    ({"Party Time": "6pm-9pm"}, {"starts": dt.time(18), "ends": dt.time(21)}),
    ({"Time": "18:00-20:30"}, {"starts": dt.time(18), "ends": dt.time(20, 30)}),
    ({}, {"starts": dt.time(17), "ends": dt.time(21)}),
    ({"Date": "8/1/2017"}, {}),
    ({"Date": "08/01/2017"}, {}),
    ({"Date": "2017-08-01"}, {}),
    ({"Date": "8/1"}, {}),
    ({"Date": "Aug 1"}, {}),
    ({"Date": "Tuesday, August 1"}, {}),
    ({"Expected Attendance": "25"}, {"expected_attendance": 25}),
    ({"Expected Attendance": "30-40"}, {"expected_attendance": 40}),
    ({"Attendance": "50+"}, {"expected_attendance": 50}),
    ({"Guests": ""}, {"expected_attendance": None}),
    ({"Street Closure": "No"}, {"closure": None}),
    ({"Closure?": "n"}, {"closure": None}),
    ({"Street Closure": ""}, {"closure": None}),
    ({"Street Closure": "Yes"}, {"closure": "Elm Street"}),
    ({"Close street": "y"}, {"closure": "Elm Street"}),
    ({"Street Closure": "Oak Avenue"}, {"closure": "Oak Avenue"}),
    ({"Street Closure": "no closure"}, {"closure": None}),
    ({"Street Closure": "None needed"}, {"closure": None}),
    ({"Street Closure": "Nope"}, {"closure": None}),
    ({"Address": "12-14 Elm Street"}, {"title": "Block party, Elm Street"}),
    ({"Address": "Apt 2, 120 Oak Street"}, {"title": "Block party, Oak Street"}),
    ({"Departments Requested": "Police, Fire Truck & Mayor"},
     {"visits": ["fire", "official", "police"]}),
    ({"Visits": "K9/EMS; McGruff"}, {"visits": ["ems", "k9", "mcgruff"]}),
    ({"Requests": "PD and FD"}, {"visits": ["fire", "police"]}),
    ({"Departments Requested": "Police", "Other": "a fire truck for the kids"},
     {"visits": ["fire", "police"]}),
    ({"Other": "no police please"}, {"visits": [], "notes": "Other: no police please"}),
    ({"Notes": "Dog in the yard"}, {"notes": "Dog in the yard"}),
    ({}, {"title": "Block party, 100 block of Elm St"}),
    ({"Title": "Elm Street Cookout"}, {"title": "Elm Street Cookout"}),
    ({"Latitude": None, "Longitude": None, "Lat/Long": "42.0702, -72.6155"},
     {"point": (42.0702, -72.6155)}),
    ({"Latitude": "42,0702", "Longitude": "-72,6155"}, {"point": (42.0702, -72.6155)}),
    ({"Party Host Name": "Dana Lee", "Email": "dana@example.org", "Phone": "(413) 555-0100"},
     {"host": ("Dana Lee", "dana@example.org", "(413) 555-0100")}),
]


@pytest.mark.parametrize(("cells", "expected"), ACCEPTED,
                         ids=[repr(cells) for cells, _ in ACCEPTED])
def test_a_value_as_people_type_it_is_read(season, cells, expected):
    report = one_line(season, cells)
    assert report.ok, report.faults
    assert report.created == 1
    event = Event.objects.get()
    held = {
        "starts": local(season, event.starts_at), "ends": local(season, event.ends_at),
        "expected_attendance": event.expected_attendance,
        "closure": next((c.street for c in event.closures.all()), None),
        "visits": sorted(event.visit_requests.values_list("unit_kind", flat=True)),
        "notes": event.coordinator_notes, "title": event.title,
        "point": (event.latitude, event.longitude),
        "host": (event.host_contact.name, event.host_contact.email, event.host_contact.phone),
    }
    assert {name: held[name] for name in expected} == expected
    assert event.starts_at.date() == season.nno_date


FAULTS = [
    # (cells, the column the report names, words its message must hold)
    ({"Start": "8", "End": "6"}, "End", "end"),
    ({"Start": "1 PM", "End": "4 PM"}, "End", "3:00 PM"),
    ({"Time": "6-8:30pm-ish"}, "Time", "6-8:30pm-ish"),
    ({"Start": "soon"}, "Start", "soon"),
    ({"Date": "8/2/2017"}, "Date", "not the night"),
    ({"Date": "someday"}, "Date", "someday"),
    ({"Date": "8/2"}, "Date", "not the night"),
    ({"Latitude": "-72.6155", "Longitude": "42.0702"}, "Latitude", "swapped"),
    ({"Latitude": "42.3601", "Longitude": "-71.0589"}, "Latitude", "outside Agawam"),
    ({"Latitude": "", "Longitude": ""}, "Latitude", "ZIP"),
    ({"Latitude": "forty-two"}, "Latitude", "forty-two"),
    ({"Longitude": ""}, "Latitude", "both"),
    ({"Email": "not-an-email"}, "Email", "not-an-email"),
    ({"Notes": '=HYPERLINK("http://x.example")'}, "Notes", "formula"),
    ({"Title": "@SUM(A1)"}, "Title", "formula"),
    ({"Title": "x" * 200}, "Title", "160"),
    ({"Notes": "y" * 5000}, "Notes", "2,000"),
    ({"Title": "Elm\x0bParty"}, "Title", "U+000B"),
    ({"Departments Requested": "Helicopter"}, "Departments Requested", "Helicopter"),
    ({"Expected Attendance": "lots"}, "Expected Attendance", "lots"),
    ({"Street Closure": "=1+1"}, "Street Closure", "formula"),
    ({"Street Closure": "TBD"}, "Street Closure", "neither yes nor no"),
    ({"Address": ""}, "Address", "address"),
]


@pytest.mark.parametrize(("cells", "column", "words"), FAULTS,
                         ids=[repr(cells)[:60] for cells, _, _ in FAULTS])
def test_a_fault_is_named_by_line_and_column_and_nothing_is_written(season, cells, column,
                                                                     words):
    report = one_line(season, cells)
    assert [(f.line, f.column) for f in report.faults] == [(2, column)], report.faults
    assert words.lower() in report.faults[0].message.lower(), report.faults[0].message
    assert not Event.objects.exists()


def test_a_line_with_more_values_than_the_header_is_a_fault(season):
    text = "Address,Latitude,Longitude\n120 Elm Street,42.0702,-72.6155,surprise\n"
    report = events_import(season=season, filename="l.csv", content=text.encode(), apply=True,
                           actor=Actor.system("import"))
    assert [(f.line, f.column, f.value) for f in report.faults] == [(2, "Column D", "")]
    assert "more values than the header" in report.faults[0].message


def test_blank_lines_count_and_the_lines_after_them_are_named_as_the_file_numbers_them(season):
    text = ("Address,Latitude,Longitude,Attendance\n\n120 Elm Street,42.0702,-72.6155,40\n"
            ",,,\n\n130 Elm Street,42.0703,-72.6154,lots\n")
    report = events_import(season=season, filename="l.csv", content=text.encode(), apply=True,
                           actor=Actor.system("import"))
    assert [(f.line, f.column) for f in report.faults] == [(6, "Attendance")]
    assert report.rows == 2


def test_a_column_no_field_matches_is_named_and_a_left_out_one_never_read(season):
    report = one_line(season, {"Favourite Colour": "teal", "Party Host Name": "=cmd"},
                      drop=["party host name"])
    assert report.ok, report.faults  # the left-out cell is never read, formula or not
    assert report.unmapped == ["Favourite Colour"]
    assert report.left_out == ["Party Host Name"]
    assert Event.objects.get().host_contact.name == ""


def test_a_district_the_list_names_is_kept_where_the_town_has_no_district_map(season):
    from dataclasses import replace

    from nightout.registry.services import EventInput, HostInput, event_update

    assert one_line(season, {"Council District": "Ward 3"}).ok
    event = Event.objects.get()
    assert event.district == "Ward 3"
    event_update(event=event, actor=Actor.host(event), data=replace(
        EventInput(title="Elm Street Cookout", address=event.address, starts=dt.time(17),
                   ends=dt.time(21), latitude=event.latitude, longitude=event.longitude,
                   host=HostInput(name="Dana", email="dana@example.org"))))
    event.refresh_from_db()
    assert event.district == "Ward 3"


def test_a_changed_line_changes_only_what_its_columns_say(season):
    first = {"Phone": "413-555-0100", "Notes": "Dog in the yard",
             "Departments Requested": "Police", "Start": "5 PM"}
    assert one_line(season, first).created == 1
    report = one_line(season, {"Start": "6 PM"})  # the next list has fewer columns
    assert (report.changed, report.created) == (1, 0), report.faults
    event = Event.objects.get()
    assert local(season, event.starts_at) == dt.time(18)
    assert event.host_contact.phone == "413-555-0100"
    assert event.coordinator_notes == "Dog in the yard"
    assert list(event.visit_requests.values_list("unit_kind", flat=True)) == ["police"]


def test_a_reference_typed_differently_is_the_same_line(season):
    assert one_line(season, {"ID": "A1"}).created == 1
    again = one_line(season, {"ID": " a1 "})
    assert (again.created, again.changed, again.unchanged) == (0, 0, 1)
