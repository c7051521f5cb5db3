"""The names towns give their columns, the mapping proposed from them, and samples to check it.

Every field of an event that a town's list may hold, with the names coordinators use for it,
matched by `column_key` (without case, spaces or punctuation: "Start Time", "StartTime",
"start_time" and "START-TIME" are one name). No field is required here: a list without a
title, a date or hours is read, and the row's reading fills them in. A column no name
matches is proposed as not read ("") and named in the report, never dropped silently; the
coordinator may map it or leave it out (`LEAVE_OUT`), and the season remembers the choice.
docs/import.md shows this table (a test keeps them in step).
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nightout.registry.imports.cells import cell_text
from nightout.registry.imports.sheets import Sheet

LEAVE_OUT = "-"  # a mapping's "never read this column"
SAMPLE_LENGTH = 60


@dataclass(frozen=True)
class Field:
    name: str          # the field read from the column ("host_name", "starts", "hours", ...)
    label: str         # shown on the mapping screen and in docs/import.md
    aliases: tuple[str, ...]
    help: str          # one line: what the cell may hold


FIELDS: tuple[Field, ...] = (
    Field("title", "Title", ("Title", "Event Name", "Party Name", "Event", "Event Title",
                             "Name of Event"),
          "The party's name. Without one, it is made from the kind and the address "
          "(“Block party, 1400 block of Russell St”)."),
    Field("kind", "Kind", ("Kind", "Type", "Event Type", "Party Type"),
          "Block party, community event or kickoff; blank is a block party."),
    Field("reference", "Your ID", ("ID", "Ref", "Reference", "Registration ID", "Event ID"),
          "The town's own ID for the party; a second import finds the party by it."),
    Field("address", "Address", ("Address", "Street Address", "Location", "Party Address",
                                 "Event Address"),
          "Where the party is: a street address, such as 1412 Russell St."),
    Field("venue", "Place name", ("Venue", "Place", "Location Name", "Place Name"),
          "A park, church or building name, when the party is at one."),
    Field("postal_code", "ZIP code", ("ZIP", "ZIP Code", "Zipcode", "Postal Code", "Postcode"),
          "A ZIP code such as 01001 or 01001-1234."),
    Field("district", "District", ("Council District", "District", "Ward"),
          "The council district or ward, as the town names it."),
    Field("latitude", "Latitude", ("Latitude", "Lat", "Y"),
          "A number such as 42.1015 (a decimal comma is fine)."),
    Field("longitude", "Longitude", ("Longitude", "Lon", "Lng", "Long", "X"),
          "A number such as -72.5898 (west is negative; a decimal comma is fine)."),
    Field("coordinates", "Coordinates", ("Coordinates", "Lat/Long", "Lat/Lon", "Lat Lng",
                                         "GPS"),
          "Latitude and longitude in one cell, such as “42.1015, -72.5898”."),
    Field("date", "Date", ("Date", "Event Date", "Party Date", "NNO Date"),
          "The party's date, such as 8/3/2027 or 2027-08-03; blank is the season's night."),
    Field("starts", "Start time", ("Start", "Start Time", "StartTime", "From", "Starts",
                                   "Begins", "Begin Time"),
          "A time such as 6pm, 6:00 PM, 18:00 or 6 (read in the evening)."),
    Field("ends", "End time", ("End", "End Time", "To", "Until", "Ends", "Finish",
                               "Finish Time"),
          "A time such as 9pm, 9:00 PM, 21:00 or 9 (read in the evening)."),
    Field("hours", "Hours (start and end in one cell)", ("Time", "Hours", "Party Time",
                                                         "Times", "Event Time"),
          "A range such as 6-8:30, 6pm-9pm or 18:00-20:30."),
    Field("expected_attendance", "Expected attendance", ("Expected Attendance", "Attendance",
                                                         "Guests", "# of people",
                                                         "Expected Guests",
                                                         "Number of Guests", "Headcount"),
          "A number such as 25, a range such as 30-40 (the most is kept), or 50+."),
    Field("activities", "Activities", ("Activities", "Activity"),
          "The season's activities, separated by commas (Music, Free food)."),
    Field("description", "Description (public)", ("Description", "Details", "About"),
          "What is planned, shown on the public event page; may hold line breaks."),
    Field("visits", "Visits requested", ("Departments Requested", "Visits", "Requests",
                                         "Visits Requested", "Visit Requests",
                                         "Requested Visits", "Departments"),
          "Police, fire, EMS, K9, McGruff, official (mayor, council), gear demo or outside "
          "agency, separated by commas, slashes, “&” or “and”."),
    Field("other", "Other requests", ("Other", "Other Requests"),
          "Free text; any kind of visit named in it is asked for too, the rest is not read."),
    Field("closure", "Street closure", ("Street Closure", "Closure?", "Close Street",
                                        "Road Closure", "Close the Street"),
          "Yes or no (the party's own street is closed), or the name of the street to close."),
    Field("closure_street", "Street to close", ("Closure Street", "Street to Close"),
          "The street to close, when not the party's own."),
    Field("closure_from", "Closure from", ("Closure From", "From Street", "From Cross Street"),
          "The cross street where the closure begins."),
    Field("closure_to", "Closure to", ("Closure To", "To Street", "To Cross Street"),
          "The cross street where the closure ends."),
    Field("closure_blocks", "Blocks closed", ("Closure Blocks", "Blocks"),
          "How many blocks are closed, such as 1."),
    Field("host_name", "Host's name", ("Party Host Name", "Host", "Host Name", "Contact",
                                       "Contact Name", "Block Captain", "Organizer"),
          "Kept private, like the rest of the host's contact."),
    Field("host_email", "Host's email", ("Email", "E-mail", "Email Address", "Host Email",
                                         "Contact Email"),
          "One email address, such as dana@example.org. Kept private."),
    Field("host_phone", "Host's phone", ("Phone", "Phone Number", "Host Phone",
                                         "Contact Phone", "Telephone", "Cell"),
          "A phone number such as 413-555-0100. Kept private."),
    Field("host_organization", "Organization", ("Organization", "Organisation",
                                                "Host Organization", "Block Club"),
          "The block club, church or business that hosts the party."),
    Field("notes", "Notes (coordinators only)", ("Notes", "Comments", "Coordinator Notes",
                                                 "Remarks"),
          "The coordinators' private notes, never shown to the public."),
    Field("submitted", "Submitted", ("Submitted", "Submitted At", "Timestamp", "Registered",
                                     "Registered At", "Date Submitted"),
          "When the host registered, such as 7/1/2027 14:05 (a form's timestamp)."),
)
FIELD_NAMES = frozenset(field.name for field in FIELDS)


def column_key(name: str) -> str:
    """A column's name as it is compared: lower case, without spaces or punctuation."""
    return re.sub(r"[\W_]+", "", name.casefold())


ALIASES: dict[str, str] = {column_key(alias): field.name
                           for field in FIELDS for alias in field.aliases}


def mapping_propose(header: Sequence[str], remembered: Mapping[str, str] | None = None
                    ) -> dict[str, str]:
    """Each column (as spelled) → the field it is read as, `LEAVE_OUT`, or "" (not matched:
    the report names it as not read). `remembered` (a column's key → a field or
    `LEAVE_OUT`, from the season's last import) wins over the table; each field is read from
    one column at most, the first that names it."""
    remembered = remembered or {}
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    columns = [name for name in header if name]
    for name in columns:  # the season's own choices first
        choice = remembered.get(column_key(name), "")
        if choice == LEAVE_OUT or (choice in FIELD_NAMES and choice not in taken):
            mapping[name] = choice
            taken.add(choice)
    for name in columns:
        if name in mapping:
            continue
        field = ALIASES.get(column_key(name), "")
        if field and field not in taken:
            taken.add(field)
            mapping[name] = field
        else:
            mapping[name] = ""
    return {name: mapping[name] for name in columns}


def column_samples(sheet: Sheet, column: int, n: int = 3) -> list[str]:
    """The first `n` non-blank cells of a column as a person reads them, each cut to 60
    characters, to show beside the column on the mapping screen."""
    samples: list[str] = []
    for line in sheet.lines:
        if len(samples) >= n:
            break
        text = cell_text(line.cells[column]) if column < len(line.cells) else ""
        text = " ".join(text.split())
        if text:
            samples.append(text if len(text) <= SAMPLE_LENGTH
                           else text[: SAMPLE_LENGTH - 1].rstrip() + "…")
    return samples
