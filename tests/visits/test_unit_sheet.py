"""Several units from a spreadsheet as an agency keeps its roster (odd headers, "5-9 PM", "Engine",
Windows-1252, a blank line, Excel cells): every line is checked and shown before anything is
added; one wrong line adds nothing and says what to fix; a liaison adds only their agency's."""

import base64
import datetime as dt
import html
import io

import openpyxl
import pytest
from django.urls import reverse

from nightout.accounts.models import Membership, Role, User
from nightout.errors import Invalid
from nightout.registry.actors import Actor
from nightout.registry.models import AuditEntry, Station
from nightout.visits.models import Unit
from nightout.visits.services.unit_sheet import (
    NO_DISTRICT,
    NO_NAME_COLUMN,
    unit_rows_read,
    units_add,
)

pytestmark = pytest.mark.django_db

ROSTER = ("Dept.,Call sign,Type,Hours,Station,Sector\r\n"
          "Agawam Police,Car 7,patrol car,5-9 PM,HQ,East\r\n"
          ",,,,,\r\n"
          "agawam fire,Engine 2,Engine,4:30pm-8:30pm,,\r\n"
          "Agawam Police,Café Ütility,K-9,17:00-21:00,hq,anywhere\r\n")


@pytest.fixture
def districted(season):
    town = season.jurisdiction
    town.districts = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": name}, "geometry": {
            "type": "Polygon", "coordinates": [[[-72.7, 42.0], [-72.6, 42.0], [-72.6, 42.1],
                                                [-72.7, 42.0]]]}} for name in ("West", "East")]}
    town.save()
    return season


def test_a_roster_in_windows_1252_is_read_line_by_line(districted, coordinator, police, fire):
    rows = unit_rows_read(season=districted, actor=Actor.of(coordinator), filename="units.csv",
                          content=ROSTER.encode("cp1252"))
    assert [r.line for r in rows] == [2, 4, 5] and not any(r.problems for r in rows)
    car, engine, dog = rows
    assert (car.fields["kind"], car.fields["shift_start"], car.fields["shift_end"],
            car.fields["district"]) == ("police", dt.time(17), dt.time(21), "East")
    assert engine.fields["agency"] == fire and engine.fields["kind"] == "fire"
    assert engine.fields["start_station"] == fire.stations.get()  # its only station
    assert (engine.fields["shift_start"], engine.fields["shift_end"]) == (dt.time(16, 30),
                                                                           dt.time(20, 30))
    assert dog.fields["name"] == "Café Ütility" and dog.fields["kind"] == "k9"
    assert dog.fields["district"] == ""


def test_one_wrong_line_adds_nothing_and_each_says_what_to_fix(districted, coordinator, police):
    Station.objects.create(agency=police, name="North", latitude=42.08, longitude=-72.62)
    sheet = ("Agency,Name,Kind,Shift start,Shift end,Start station,District\n"
             "Agawam Police,Car 1,Police officers,17:00,21:00,North,Centrl\n"
             "Agawam Police,Car 2,Spaceship,9 PM,5 PM,,\n"
             "Agawam Sheriff,Car 1,police,17:00,21:00,HQ,\n").encode()
    rows = unit_rows_read(season=districted, actor=Actor.of(coordinator), filename="u.csv",
                          content=sheet)
    first, second, third = (r.problems for r in rows)
    assert first == [NO_DISTRICT.format(value="Centrl", districts="West, East")]
    assert any("“Spaceship” is not a kind of unit" in p for p in second)
    assert "The shift must end after it starts." in second
    assert any("several stations" in p for p in second)
    assert any("No agency “Agawam Sheriff”" in p for p in third)
    with pytest.raises(Invalid) as refused:
        units_add(season=districted, actor=Actor.of(coordinator), filename="u.csv",
                  content=sheet)
    assert set(refused.value.message_dict) == {"line 2", "line 3", "line 4"}
    assert not Unit.objects.exists()


def test_an_excel_roster_is_checked_then_added_from_the_page(client, season, coordinator,
                                                               police):
    book = openpyxl.Workbook()
    book.active.append(["Unit", "Agency", "Kind", "Shift start", "Shift end"])
    book.active.append(["Car 7", "Agawam Police", "Police officers", dt.time(17),
                        dt.time(21, 30)])
    book.active.append(["Car 8", "Agawam Police", "Police officers", dt.time(18), dt.time(22)])
    data = io.BytesIO()
    book.save(data)
    upload = io.BytesIO(data.getvalue())
    upload.name = "roster.xlsx"
    client.force_login(coordinator)
    url = reverse("visits:units_sheet", args=[season.slug])
    checked = client.post(url, {"sheet": upload})
    page = checked.content.decode()
    assert checked.status_code == 200 and "Check the 2 units before adding them" in page
    assert not Unit.objects.exists()
    content = page.split('name="content" value="')[1].split('"')[0]
    assert base64.b64decode(content) == data.getvalue()
    added = client.post(url, {"confirm": "yes", "content": content, "filename": "roster.xlsx"})
    assert added.status_code == 302
    assert list(Unit.objects.values_list("name", "shift_end")) == [("Car 7", dt.time(21, 30)),
                                                                   ("Car 8", dt.time(22))]
    assert AuditEntry.objects.get(action="units added").changes["units"] == "Car 7, Car 8"
    again = client.post(url, {"confirm": "yes", "content": content, "filename": "roster.xlsx"})
    assert again.status_code == 400 and "is already a unit of this season" in again.content.decode()


def test_a_sheet_without_names_or_not_a_sheet_is_refused_whole(client, season, coordinator):
    client.force_login(coordinator)
    url = reverse("visits:units_sheet", args=[season.slug])
    for content, says in ((b"Agency,Kind\nAgawam Police,police\n", NO_NAME_COLUMN[:40]),
                          (b"PK\x03\x04" + bytes(range(256)), "damaged")):
        upload = io.BytesIO(content)
        upload.name = "units.csv"
        response = client.post(url, {"sheet": upload})
        page = response.content.decode()
        assert response.status_code == 400 and 'class="error-summary"' in page
        assert says in html.unescape(page)
    assert not Unit.objects.exists()


def test_a_liaison_adds_units_of_their_own_agency_only(season, police, fire):
    liaison = User.objects.create_user("lee", password="pw")
    Membership.objects.create(user=liaison, role=Role.AGENCY_LIAISON, agency=police)
    sheet = ("Agency,Name,Kind,Shift\nAgawam Police,Car 1,police,5-9\n"
             "Agawam Fire,Engine 1,fire,5-9\n").encode()
    rows = unit_rows_read(season=season, actor=Actor.of(liaison), filename="u.csv",
                          content=sheet)
    assert rows[0].problems == [] and rows[1].problems == ["You may not add units to Agawam Fire."]


def test_a_shift_typed_whole_under_shift_start_is_read_and_the_template_passes_its_check(
        client, season, coordinator, police, fire):
    rows = unit_rows_read(season=season, actor=Actor.of(coordinator), filename="u.csv",
                          content=b"Agency,Name,Kind,Shift start,Shift end\n"
                                  b"Agawam Police,Car 9,police,5-9 PM,\n")
    assert rows[0].problems == []
    assert (rows[0].fields["shift_start"], rows[0].fields["shift_end"]) == (dt.time(17),
                                                                             dt.time(21))
    client.force_login(coordinator)
    template = client.get(reverse("visits:units_sheet", args=[season.slug]),
                          {"template": "csv"}).content
    checked = unit_rows_read(season=season, actor=Actor.of(coordinator), filename="t.csv",
                             content=template)
    assert [r.problems for r in checked] == [[]]
