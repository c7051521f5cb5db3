"""A police department's list as towns keep them (no title column, the host first, hours in
every spelling, blank lines, Windows-1252), with faults planted on known lines: the report
must name exactly those lines and columns, as CSV and as the same list in a workbook; the
clean lines, once the faulty ones are taken out, import; and importing them again changes
nothing."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import Workbook

from nightout.registry.actors import Actor
from nightout.registry.imports import events_import
from nightout.registry.models import AuditEntry, Event

pytestmark = pytest.mark.django_db

HEADER = ["Party Host Name", "Email", "Phone", "Address", "Latitude", "Longitude",
          "Council District", "Date", "Start Time", "End Time", "Expected Attendance",
          "Street Closure", "Departments Requested", "Other", "Notes"]

# (the line as the file numbers it, its cells, the faults planted: (column, words) or none)
LINES = [
    (2, ["José Núñez", "jose@example.org", "(413) 555-0101", "120 Elm Street", "42.0702",
         "-72.6155", "1", "8/1/2017", "6", "8:30", "30-40", "No", "Police, Fire Truck", "",
         "Bring chalk"], []),
    (3, ["Dana Lee", "dana@example.org", "413.555.0102", "40 Oak Street", "42.0690",
         "-72.6170", "2", "2017-08-01", "6pm", "9pm", "50+", "Yes", "Police & Mayor", "K9",
         ""], []),
    # line 4 is blank
    (5, ["Sam Ortiz", "", "", "7 Pine Street", "42.0711", "-72.6101", "", "", "5:30 PM",
         "20:30", "", "", "EMS; McGruff", "Council visit please", ""], []),
    (6, ["Ana Ruiz", "ana@example.org", "", "15 Maple Court", "42.0680", "-72.6190", "", "",
         "8", "6", "", "", "", "", ""], [("End Time", "end")]),
    (7, ["Lee Park", "lee@example.org", "", "22 Birch Lane", "42.0675", "-72.6180", "",
         "8/2/2017", "", "", "", "", "", "", ""], [("Date", "not the night")]),
    (8, ["Kim Cho", "kim@example.org", "", "3 Cedar Road", "-72.6155", "42.0702", "", "", "",
         "", "", "", "", "", ""], [("Latitude", "swapped")]),
    (9, ["Pat Quinn", "pat@example.org", "", "9 Spruce Street", "42.0701", "-72.6150", "", "",
         "", "", "", "", "", "", '=HYPERLINK("http://x.example")'], [("Notes", "formula")]),
    (10, ["Ray Fox", "not-an-email", "", "11 Walnut Street", "42.0705", "-72.6152", "", "",
          "", "", "", "", "", "", ""], [("Email", "not-an-email")]),
    (11, ["José Núñez", "jose@example.org", "", "120 Elm Street", "42.0702", "-72.6155", "",
          "", "6", "8:30", "", "", "", "", ""], [("Address", "line 2")]),
    (12, ["Max Bell", "max@example.org", "", "30 Ash Street", "42.0699", "-72.6140", "", "",
          "", "", "lots", "", "", "", ""], [("Expected Attendance", "lots")]),
    (13, ["Zoe Hart", "zoe@example.org", "", "31 Ash Street", "42.0698", "-72.6141", "", "",
          "", "", "", "", "Helicopter", "", ""], [("Departments Requested", "Helicopter")]),
    (14, ["Ida Moss", "ida@example.org", "", "5 Elm Court", "42.0697", "-72.6142", "", "", "",
          "", "", "", "", "", "z" * 5000], [("Notes", "2,000")]),
    (15, ["Tom Reed", "tom@example.org", "", "8 Oak Court", "", "", "", "", "", "", "", "",
          "", "", ""], [("Latitude", "ZIP")]),
    (16, ["Eve Stone", "eve@example.org", "", "12 Hill Street", "42.0690", "-72.6160", "", "",
          "", "", "", "Hill Street", "", "", ""], []),
    (17, ["Al Grant", "al@example.org", "", "44 Lake Street", "42.0688", "-72.6158", "", "",
          "", "", "", "", "", "", ""], [("Address", "already registered")]),
]


def as_csv(lines) -> bytes:
    """The list as older Excel on Windows saves it: Windows-1252, CRLF, a blank line 4."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    numbered = dict((number, cells) for number, cells, _ in lines)
    for number in range(2, max(numbered) + 1):
        writer.writerow(numbered.get(number, [""] * len(HEADER)))
    return out.getvalue().encode("cp1252")


def as_xlsx(lines) -> bytes:
    """The same list typed into Excel: dates as date cells, an hour as the number 6."""
    book = Workbook()
    sheet = book.active
    sheet.title = "NNO 2017"
    sheet.append(HEADER)
    numbered = dict((number, cells) for number, cells, _ in lines)
    for number in range(2, max(numbered) + 1):
        cells = list(numbered.get(number, [None] * len(HEADER)))
        if cells[7] == "2017-08-01":
            cells[7] = dt.date(2017, 8, 1)
        if cells[8] == "6":
            cells[8] = 6
        sheet.append(cells)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed as text, as Excel keeps '=... (not a formula)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def registered(make_event, season):
    """A party the host registered on the web, at line 17's address and hours."""
    return make_event(title="Lake Street Party", address="44 Lake Street", latitude=42.0688,
                      longitude=-72.6158)


@pytest.mark.parametrize(("name", "write"), [("list.csv", as_csv), ("list.xlsx", as_xlsx)])
def test_the_report_names_exactly_the_planted_faults(season, registered, name, write):
    report = events_import(season=season, filename=name, content=write(LINES), apply=True,
                           actor=Actor.system("import"))
    found = sorted((f.line, f.column) for f in report.faults)
    planted = sorted((number, column) for number, _, faults in LINES
                     for column, _ in faults)
    assert found == planted, report.faults
    for fault in report.faults:
        words = dict(((n, c), w) for n, _, fs in LINES for c, w in fs)[(fault.line, fault.column)]
        assert words.lower() in fault.message.lower(), fault
    assert Event.objects.count() == 1  # only the party registered before


def test_the_clean_lines_import_and_again_change_nothing(season, registered):
    clean = [line for line in LINES if not line[2]]
    report = events_import(season=season, filename="list.csv", content=as_csv(clean),
                           apply=True, actor=Actor.system("import"))
    assert report.ok, report.faults
    assert report.created == 4
    jose = Event.objects.get(address="120 Elm Street")
    assert jose.host_contact.name == "José Núñez" and jose.expected_attendance == 40
    assert jose.title == "Block party, 100 block of Elm St"
    assert sorted(jose.visit_requests.values_list("unit_kind", flat=True)) == ["fire", "police"]
    assert not jose.closures.exists()
    dana = Event.objects.get(address="40 Oak Street")
    assert dana.closures.get().street == "Oak Street"
    assert sorted(dana.visit_requests.values_list("unit_kind", flat=True)) == [
        "k9", "official", "police"]
    assert Event.objects.get(address="12 Hill Street").closures.get().street == "Hill Street"
    audited = AuditEntry.objects.count()
    stamps = list(Event.objects.order_by("pk").values_list("updated_at", flat=True))
    again = events_import(season=season, filename="list.xlsx", content=as_xlsx(clean),
                          apply=True, actor=Actor.system("import"))
    assert (again.created, again.changed, again.unchanged) == (0, 0, 4)
    assert AuditEntry.objects.count() == audited
    assert list(Event.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps
