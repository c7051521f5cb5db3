"""Towns on nightout's own pages: an organizer adds a town to their region from its name, state,
zone and a file of its limits, checked on a preview first; a town's area and districts are
replaced only after a preview that says what they change (parties outside the area, parties
moving district, units kept to a district that is gone); every change is in the town's history;
and nobody changes a town that is not theirs."""

import datetime as dt
import io
import json

import pytest
from django.urls import reverse

from nightout.accounts.models import Membership, Role, User
from nightout.errors import Invalid, NotAllowed
from nightout.registry.actors import Actor
from nightout.registry.models import AuditEntry, Event, Jurisdiction, Region
from nightout.registry.services import season_create
from nightout.registry.services.towns import (
    NOT_YOURS_TO_ADD,
    TownInput,
    town_create,
    town_districts_set,
)
from nightout.visits.models import Unit
from tests.geo.test_areas import EAST, SQUARE, feature

pytestmark = pytest.mark.django_db

WHOLE = [[-72.62, 42.06], [-72.58, 42.06], [-72.58, 42.0745], [-72.62, 42.0745], [-72.62, 42.06]]


@pytest.fixture
def organizer():
    region = Region.objects.create(name="Western Massachusetts", slug="western-ma")
    user = User.objects.create_user("org", password="pw")
    Membership.objects.create(user=user, role=Role.REGIONAL_ORGANIZER, region=region)
    return user


def upload(document, name="limits.geojson"):
    data = io.BytesIO(json.dumps(document).encode())
    data.name = name
    return data


def test_an_organizer_adds_a_town_after_checking_it_on_the_map(client, organizer):
    client.force_login(organizer)
    new = reverse("registry:town_new")
    fields = {"name": "Agawam", "state": "MA", "time_zone": "America/New_York", "website": "",
              "region": str(Region.objects.get().pk)}
    checked = client.post(new, {**fields, "area_file": upload(feature(WHOLE))})
    page = checked.content.decode()
    assert checked.status_code == 200 and "Check before adding Agawam, MA" in page
    assert "2.1 square miles" in page and not Jurisdiction.objects.exists()
    area = page.split('name="area_drawn" value="')[1].split('"')[0].replace("&quot;", '"')
    added = client.post(new, {**fields, "area_drawn": area, "confirm": "yes"})
    town = Jurisdiction.objects.get()
    assert added.status_code == 302 and added["Location"] == reverse("registry:town",
                                                                    args=[town.slug])
    assert town.slug == "agawam-ma" and list(town.regions.all()) == [Region.objects.get()]
    assert 42.06 < town.center_latitude < 42.0745 and town.boundary["type"] == "Polygon"
    [entry] = AuditEntry.objects.filter(jurisdiction=town)
    assert entry.action == "town added" and entry.season is None
    assert entry.changes["Time zone"] == "America/New_York" and entry.actor == organizer
    shown = client.get(reverse("registry:town", args=[town.slug])).content.decode()
    assert "Town added" in shown and "Invite a coordinator" in shown


def test_a_town_without_an_area_or_with_a_bad_file_is_not_added(client, organizer):
    client.force_login(organizer)
    fields = {"name": "Agawam", "state": "MA", "time_zone": "America/New_York",
              "region": str(Region.objects.get().pk)}
    for extra, says in (({}, "Draw the town&#x27;s area"),
                        ({"area_file": upload({"type": "Point", "coordinates": [1, 2]})},
                         "holds no polygon")):
        response = client.post(reverse("registry:town_new"), {**fields, **extra})
        assert response.status_code == 400 and says in response.content.decode()
    assert not Jurisdiction.objects.exists()


def test_only_site_admins_and_organizers_add_towns_and_organizers_only_to_their_region(
        organizer, coordinator):
    data = TownInput(name="Agawam", state="MA", time_zone="America/New_York",
                     boundary={"type": "Polygon", "coordinates": [WHOLE]})
    with pytest.raises(NotAllowed, match=NOT_YOURS_TO_ADD):
        town_create(data=data, actor=Actor.of(coordinator))
    with pytest.raises(Invalid):  # an organizer's town joins their region
        town_create(data=data, actor=Actor.of(organizer))
    elsewhere = Region.objects.create(name="Elsewhere", slug="elsewhere")
    with pytest.raises(NotAllowed):
        town_create(data=TownInput(**{**data.__dict__, "region": elsewhere}),
                    actor=Actor.of(organizer))
    with pytest.raises(Invalid, match="already in nightout"):  # coordinator's town: Agawam, MA
        region = Region.objects.get(slug="western-ma")
        town_create(data=TownInput(**{**data.__dict__, "region": region}),
                    actor=Actor.of(organizer))


def test_new_districts_are_previewed_then_move_the_coming_seasons_parties(
        client, jurisdiction, coordinator, make_event, police):
    old = {"type": "FeatureCollection", "features": [feature(WHOLE, name="Central")]}
    jurisdiction.districts = old
    jurisdiction.save()
    coming = season_create(jurisdiction=jurisdiction, year=2031, slug="agawam-2031")
    west = make_event(season=coming, title="West party", latitude=42.065, longitude=-72.61)
    east = make_event(season=coming, title="East party", latitude=42.065, longitude=-72.59)
    past = make_event(title="Long ago", latitude=42.065, longitude=-72.59)
    Event.objects.filter(pk__in=[west.pk, east.pk, past.pk]).update(district="Central")
    unit = Unit.objects.create(
        season=coming, agency=police, name="Car 1", kind="police", district="Central",
        start_station=police.stations.get(), end_station=police.stations.get(),
        shift_start=dt.time(17), shift_end=dt.time(21))
    client.force_login(coordinator)
    page = reverse("registry:town", args=[jurisdiction.slug])
    new = {"type": "FeatureCollection", "features": [feature(SQUARE, name="West"),
                                                     feature(EAST, name="East")]}
    preview = client.post(page, {"action": "districts", "districts_file": upload(new)})
    text = preview.content.decode()
    assert "Check the districts before saving them" in text and "Gone: Central." in text
    assert "Car 1 (2031)" in text and "1 from Central to West" in text
    assert jurisdiction.district_names == ["Central"]  # nothing saved yet
    shapes = text.split('name="districts_drawn" value="')[1].split('"')[0].replace("&quot;", '"')
    saved = client.post(page, {"action": "districts", "districts_drawn": shapes,
                               "confirm": "yes"})
    assert saved.status_code == 302
    jurisdiction.refresh_from_db()
    assert jurisdiction.district_names == ["West", "East"]
    assert dict(Event.objects.values_list("title", "district")) == {
        "West party": "West", "East party": "East", "Long ago": "Central"}
    assert Unit.objects.get(pk=unit.pk).district == ""
    moved = AuditEntry.objects.get(event=east)
    assert moved.changes == {"district": ["Central", "East"]} and moved.season == coming
    town_entry = AuditEntry.objects.get(jurisdiction=jurisdiction, action="districts set")
    assert town_entry.changes["Events moved"] == "2"
    history = client.get(page).content.decode()
    assert "Districts: Central → West, East" in history


def test_a_new_area_names_the_parties_it_leaves_outside_before_it_is_saved(
        client, jurisdiction, coordinator, make_event):
    coming = season_create(jurisdiction=jurisdiction, year=2031, slug="agawam-2031")
    make_event(season=coming, title="Outside party", latitude=42.2, longitude=-72.3)
    client.force_login(coordinator)
    page = reverse("registry:town", args=[jurisdiction.slug])
    preview = client.post(page, {"action": "area",
                                 "area_drawn": json.dumps(feature(WHOLE))}).content.decode()
    assert ("1 registered party of the coming season would lie outside it, such as Outside "
            "party") in preview
    assert Jurisdiction.objects.get().boundary is None


def test_the_details_are_saved_with_their_change_in_words(client, jurisdiction, coordinator):
    client.force_login(coordinator)
    page = reverse("registry:town", args=[jurisdiction.slug])
    refused = client.post(page, {"action": "details", "name": "Agawam", "state": "MA",
                                 "time_zone": "Mars/Olympus", "website": ""})
    assert refused.status_code == 400
    client.post(page, {"action": "details", "name": "Agawam Town", "state": "MA",
                       "time_zone": "America/Chicago", "website": ""})
    town = Jurisdiction.objects.get()
    assert (town.name, town.time_zone) == ("Agawam Town", "America/Chicago")
    assert "Time zone: America/New_York → America/Chicago" in client.get(page).content.decode()


def test_someone_elses_town_is_refused(client, jurisdiction, coordinator):
    other = Jurisdiction.objects.create(name="Chicopee", slug="chicopee", state="MA",
                                        center_latitude=42.15, center_longitude=-72.6)
    client.force_login(coordinator)
    assert client.get(reverse("registry:town", args=[other.slug])).status_code == 403
    with pytest.raises(NotAllowed):
        town_districts_set(town=other, actor=Actor.of(coordinator), districts={
            "type": "FeatureCollection", "features": []})


def test_a_site_admin_adds_a_region_and_invites_its_organizer(
        client, mailoutbox, django_capture_on_commit_callbacks, organizer):
    admin = User.objects.create_superuser("ada", password="pw")
    client.force_login(admin)
    towns = reverse("registry:towns")
    assert client.post(towns, {"action": "region", "name": "Hampden County"}).status_code == 302
    region = Region.objects.get(name="Hampden County")
    assert region.slug == "hampden-county"
    twice = client.post(towns, {"action": "region", "name": "hampden county"})
    assert twice.status_code == 400
    assert Region.objects.filter(slug__startswith="hampden").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(towns, {"action": "organizer", "email": "olga@hampden.example",
                            "region": str(region.pk)})
    [mail] = mailoutbox
    assert mail.to == ["olga@hampden.example"] and "as organizer of Hampden County" in mail.body
    client.force_login(organizer)  # an organizer adds towns, not regions
    assert client.post(towns, {"action": "region", "name": "Elsewhere"}).status_code == 200
    assert not Region.objects.filter(name="Elsewhere").exists()


def test_a_zone_corrected_before_any_party_keeps_the_deadline_on_the_towns_clock(
        client, jurisdiction, coordinator, make_event):
    import zoneinfo

    from nightout.registry.models import ClosureFeeTier, Season

    eastern, central = (zoneinfo.ZoneInfo(z) for z in ("America/New_York", "America/Chicago"))
    coming = season_create(jurisdiction=jurisdiction, year=2031, slug="agawam-2031",
                           registration_deadline=dt.datetime(2031, 7, 20, 23, 59,
                                                             tzinfo=eastern))
    ClosureFeeTier.objects.create(season=coming, fee=0, filed_by=dt.datetime(
        2031, 7, 10, 17, 0, tzinfo=eastern))
    client.force_login(coordinator)
    page = reverse("registry:town", args=[jurisdiction.slug])
    details = {"action": "details", "name": "Agawam", "state": "MA", "website": ""}
    assert client.post(page, {**details, "time_zone": "America/Chicago"}).status_code == 302
    deadline = Season.objects.get(pk=coming.pk).registration_deadline.astimezone(central)
    assert (deadline.date(), deadline.time()) == (dt.date(2031, 7, 20), dt.time(23, 59))
    assert ClosureFeeTier.objects.get().filed_by.astimezone(central).time() == dt.time(17)
    make_event(season=coming, title="First party")
    refused = client.post(page, {**details, "time_zone": "America/New_York"})
    assert refused.status_code == 400 and "already has registered parties" in refused.text
    assert Jurisdiction.objects.get().time_zone == "America/Chicago"


def test_text_pasted_as_the_area_that_is_not_geojson_is_refused_beside_it(client, organizer):
    client.force_login(organizer)
    response = client.post(reverse("registry:town_new"), {
        "name": "Agawam", "state": "MA", "time_zone": "America/New_York",
        "region": str(Region.objects.get().pk), "area_drawn": "hello there"})
    form = response.context["form"]
    assert form.errors["area_drawn"] == [
        "This is neither GeoJSON nor KML. Export the area as GeoJSON (.geojson) or KML (.kml); "
        "a .kmz or a shapefile must be unpacked or converted first."]
    assert "area_file" not in form.errors
