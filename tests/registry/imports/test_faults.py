"""What the import's parts hand each other survives the staging table: as JSON and back."""

import datetime as dt
import json
import zoneinfo

from nightout.registry.imports.faults import Fault, ImportRow
from nightout.registry.services import ClosureInput, EventInput, HostInput


def test_a_row_with_every_kind_of_value_comes_back_from_json_the_same():
    zone = zoneinfo.ZoneInfo("America/New_York")
    row = ImportRow(
        line=7,
        data=EventInput(
            title="Elm Street Party", address="120 Elm St", starts=dt.time(17, 30),
            ends=dt.time(20, 45, 30), host=HostInput(name="Pat", email="pat@example.org"),
            kind="community_event", latitude=42.07, longitude=-72.61, activities=["music"],
            expected_attendance=40, rain_date=dt.date(2017, 8, 2), visits=["police", "fire"],
            visit_times={"police": dt.time(18, 15)}, coordinator_notes="Gate code 12\nBring cones",
            closure=ClosureInput(street="Elm St", blocks=2, consent_attested=True,
                                 barricades=5)),
        reference="NNO-17", submitted_at=dt.datetime(2017, 7, 1, 9, 30, tzinfo=zone),
        columns={"title": "Party", "starts": "Time", "ends": "Time"},
        cells={"Party": "Elm Street Party", "Time": "5:30-8:45"})
    text = json.dumps(row.as_json())
    back = ImportRow.from_json(json.loads(text))
    assert back == row
    assert back.submitted_at.utcoffset() == dt.timedelta(hours=-4)
    assert json.loads(text)["data"]["starts"] == "17:30"


def test_a_row_without_closure_date_or_moment_comes_back_the_same():
    row = ImportRow(line=2, data=EventInput(
        title="T", address="1 Main St", starts=dt.time(18), ends=dt.time(21),
        host=HostInput(name="", email="")))
    assert ImportRow.from_json(json.loads(json.dumps(row.as_json()))) == row


def test_a_fault_comes_back_from_json_the_same():
    fault = Fault(line=12, column="Start Time", value="25:00", message="Not a time.")
    assert Fault.from_json(json.loads(json.dumps(fault.as_json()))) == fault
