"""Rows as the import's reading half hands them over: an `ImportRow` per line, with the
columns as a town's spreadsheet spells them."""

import datetime as dt

import pytest

from nightout.registry.imports.faults import ImportRow
from nightout.registry.services import ClosureInput, EventInput, HostInput

# EventInput field -> the column as the file spells it.
COLUMNS = {
    "title": "Party", "address": "Address", "postal_code": "Zip", "latitude": "Lat",
    "longitude": "Long", "starts": "Start Time", "ends": "End Time", "visits": "Departments",
    "activities": "Activities", "closure": "Street Closure", "host_name": "Host",
    "host_email": "Email", "host_phone": "Phone", "coordinator_notes": "Notes",
    "expected_attendance": "Attendance", "reference": "ID",
}


def cells_of(data: EventInput, reference: str = "") -> dict[str, str]:
    """The cells a person would read for `data`, by column."""
    values = {
        "title": data.title, "address": data.address, "postal_code": data.postal_code,
        "latitude": "" if data.latitude is None else str(data.latitude),
        "longitude": "" if data.longitude is None else str(data.longitude),
        "starts": data.starts.strftime("%H:%M"), "ends": data.ends.strftime("%H:%M"),
        "visits": ", ".join(data.visits), "activities": ", ".join(data.activities),
        "closure": data.closure.street if data.closure else "",
        "host_name": data.host.name, "host_email": data.host.email,
        "host_phone": data.host.phone, "coordinator_notes": data.coordinator_notes or "",
        "expected_attendance": str(data.expected_attendance or ""), "reference": reference,
    }
    return {COLUMNS[name]: value for name, value in values.items()}


@pytest.fixture
def make_row():
    """An ImportRow for line `line` of a town's file; keyword arguments are EventInput's."""

    def make(line: int, *, reference: str = "", submitted_at=None, **fields) -> ImportRow:
        n = line
        values = {
            "title": f"Block party {n}", "address": f"{100 + 2 * n} Elm Street, Agawam, MA",
            "postal_code": "01001", "latitude": 42.0702 + 0.0001 * (n % 40),
            "longitude": -72.6155 + 0.0001 * (n // 40), "starts": dt.time(17),
            "ends": dt.time(20, 30),
            "host": HostInput(name=f"Host {n}", email=f"host{n}@example.org",
                              phone="413-555-0100"),
            **fields,
        }
        data = EventInput(**values)
        return ImportRow(line=line, data=data, reference=reference, submitted_at=submitted_at,
                         columns=dict(COLUMNS), cells=cells_of(data, reference))

    return make


@pytest.fixture
def closure():
    return ClosureInput(street="Elm Street", from_street="Main St", to_street="Oak St",
                        consent_attested=True)
