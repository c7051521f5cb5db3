"""The season's template: a spreadsheet with every column the import reads and one example
line that imports without a fault, as CSV or XLSX (typed cells: a date, times, numbers)."""

import datetime as dt
import io

from openpyxl import Workbook

from nightout.registry.models import Season, UnitKind

HEADER = [
    "Title", "Address", "ZIP", "Latitude", "Longitude", "Date", "Start Time", "End Time",
    "Expected Attendance", "Departments Requested", "Street Closure", "Host Name", "Email",
    "Phone", "Description", "Notes",
]
EXAMPLE_ADDRESS = "1400 Main St"


def template_rows(season: Season) -> tuple[list[str], list]:
    """The header, and an example line for `season`: its night, its default hours, the first
    two kinds of visit it offers, a point at the town's centre."""
    town = season.jurisdiction
    offered = season.offered_visit_kinds[:2] or [UnitKind.POLICE]
    example = [
        "Main Street Block Party", EXAMPLE_ADDRESS, "",
        round(town.center_latitude, 5), round(town.center_longitude, 5),
        season.nno_date, season.default_start, season.default_end, 40,
        ", ".join(UnitKind(kind).label for kind in offered), "No", "Pat Example",
        "pat@example.org", "413-555-0100",
        "Music, a grill and sidewalk chalk for the kids.", "Private to the coordinators.",
    ]
    return HEADER, example


def template_csv_row(example: list) -> list:
    """The example line as CSV cells: the date as 2027-08-03, times as 5:00 PM."""
    return [value.isoformat() if isinstance(value, dt.date)
            else value.strftime("%-I:%M %p") if isinstance(value, dt.time)
            else value for value in example]


def template_xlsx(header: list[str], example: list) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Events"
    sheet.append(header)
    sheet.append(example)
    for cell in sheet[2]:
        if isinstance(cell.value, dt.date):
            cell.number_format = "m/d/yyyy"
        elif isinstance(cell.value, dt.time):
            cell.number_format = "h:mm AM/PM"
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = max(
            12, len(str(column[0].value)) + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
