"""Columns as towns name them: the table, the proposed mapping, samples, and the docs."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from nightout.registry.imports.columns import (
    FIELDS,
    LEAVE_OUT,
    column_key,
    column_samples,
    mapping_propose,
)
from nightout.registry.imports.sheets import book_read, sheet_pick

DOCS = Path(settings.BASE_DIR) / "docs" / "import.md"

# The names the issue and a police department's list use, and the field each is read as.
TOWN_NAMES = {
    "Party Host Name": "host_name", "Host": "host_name", "Contact": "host_name",
    "Block Captain": "host_name", "Email": "host_email", "Phone": "host_phone",
    "Start": "starts", "Start Time": "starts", "StartTime": "starts", "From": "starts",
    "End": "ends", "End Time": "ends", "To": "ends", "Until": "ends",
    "Time": "hours", "Hours": "hours", "Party Time": "hours",
    "Date": "date", "Event Date": "date", "Party Date": "date",
    "Departments Requested": "visits", "Visits": "visits", "Requests": "visits",
    "Visits requested": "visits", "Other": "other", "Other Requests": "other",
    "Street Closure": "closure", "Closure?": "closure", "Close street": "closure",
    "Road closure": "closure", "Closure Street": "closure_street",
    "Street to close": "closure_street", "Notes": "notes", "Comments": "notes",
    "Description": "description", "Details": "description", "About": "description",
    "Council District": "district", "District": "district", "Ward": "district",
    "Expected Attendance": "expected_attendance", "Attendance": "expected_attendance",
    "Guests": "expected_attendance", "# of people": "expected_attendance",
    "Latitude": "latitude", "Lat": "latitude", "Y": "latitude",
    "Longitude": "longitude", "Lon": "longitude", "Lng": "longitude", "Long": "longitude",
    "X": "longitude", "Coordinates": "coordinates", "Lat/Long": "coordinates",
    "Address": "address", "Street Address": "address", "Location": "address",
    "Party Address": "address", "ZIP": "postal_code", "Title": "title",
    "Event Name": "title", "Party Name": "title", "Kind": "kind", "Venue": "venue",
    "ID": "reference", "Ref": "reference", "Registration ID": "reference",
    "Activities": "activities", "Organization": "host_organization",
    "Submitted": "submitted", "Timestamp": "submitted",
}


@pytest.mark.parametrize(("name", "field"), TOWN_NAMES.items())
def test_every_name_a_towns_list_uses_maps_to_its_field(name, field):
    assert mapping_propose([name]) == {name: field}


@pytest.mark.parametrize("spelling", ["Start Time", "StartTime", "start_time", "START-TIME",
                                      "start time", " Start  Time: ", "Start.Time"])
def test_a_name_is_matched_without_case_spaces_or_punctuation(spelling):
    assert column_key(spelling) == "starttime"
    assert mapping_propose([spelling]) == {spelling: "starts"}


def test_no_two_fields_claim_the_same_name():
    owners: dict[str, str] = {}
    for field in FIELDS:
        for alias in field.aliases:
            key = column_key(alias)
            assert owners.setdefault(key, field.name) == field.name, alias
    assert len({field.name for field in FIELDS}) == len(FIELDS)


def test_every_field_has_a_label_names_and_help():
    for field in FIELDS:
        assert field.label and field.aliases and field.help.endswith("."), field.name


def test_a_column_no_name_matches_is_proposed_as_not_read():
    header = ["Party Host Name", "Favorite Color", "Address", "Column F"]
    assert mapping_propose(header) == {"Party Host Name": "host_name", "Favorite Color": "",
                                       "Address": "address", "Column F": ""}


def test_each_field_is_read_from_the_first_column_that_names_it():
    header = ["Host", "Contact", "Start", "Start Time", "Notes", "Comments"]
    assert mapping_propose(header) == {"Host": "host_name", "Contact": "", "Start": "starts",
                                       "Start Time": "", "Notes": "notes", "Comments": ""}


def test_the_seasons_remembered_mapping_wins_over_the_table():
    header = ["Host", "Party host", "Start", "Cell", "Notes"]
    remembered = {"partyhost": "host_name", "cell": LEAVE_OUT, "notes": "description",
                  "start": "no_such_field"}
    assert mapping_propose(header, remembered) == {
        "Host": "", "Party host": "host_name", "Start": "starts", "Cell": LEAVE_OUT,
        "Notes": "description"}


def test_a_remembered_field_is_still_read_from_one_column_only():
    remembered = {"a": "title", "b": "title"}
    assert mapping_propose(["A", "B", "Title"], remembered) == {"A": "title", "B": "",
                                                                "Title": ""}


def test_an_unnamed_empty_column_is_not_in_the_mapping():
    assert mapping_propose(["Host", "", "Notes"]) == {"Host": "host_name", "Notes": "notes"}


def test_the_mapping_of_the_issues_police_department_list():
    header = ["Host Name", "Email", "Phone", "Address", "Latitude", "Longitude",
              "Council District", "Date", "Start Time", "End Time", "Expected Attendance",
              "Street Closure", "Departments Requested", "Other", "Notes"]
    assert mapping_propose(header) == dict(zip(header, [
        "host_name", "host_email", "host_phone", "address", "latitude", "longitude",
        "district", "date", "starts", "ends", "expected_attendance", "closure", "visits",
        "other", "notes"], strict=True))


def test_samples_are_the_first_non_blank_cells_as_a_person_reads_them():
    text = ("Host,Start,Notes\nDana,6pm,\n\nLee,,\"Bring\nchairs\"\nKim,18:00,"
            + "x" * 100 + "\nAsh,7pm,y\n")
    sheet = sheet_pick(book_read("x.csv", text.encode()))
    assert column_samples(sheet, 0) == ["Dana", "Lee", "Kim"]
    assert column_samples(sheet, 1, n=5) == ["6pm", "18:00", "7pm"]
    assert column_samples(sheet, 2) == ["Bring chairs", "x" * 59 + "…", "y"]
    assert column_samples(sheet, 7) == []


def _docs_table() -> dict[str, str]:
    """docs/import.md's column table: field name → the row's text."""
    section = DOCS.read_text().split("\n## Column names\n")[1].split("\n## ")[0]
    return dict(re.findall(r"^\| `(\w+)` \|(.*)$", section, re.M))


def test_every_name_of_every_field_is_in_the_docs_table():
    table = _docs_table()
    for field in FIELDS:
        assert field.name in table, field.name
        row = table[field.name]
        for alias in field.aliases:
            assert f"“{alias}”" in row, (field.name, alias)
        assert field.help in row, field.name
    assert set(table) == {field.name for field in FIELDS}
