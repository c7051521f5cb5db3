"""Agencies and their stations on the coordinator's (and the liaison's) own screens: added,
changed and retired without the administration, stations placed on the map, a station in use
kept."""

import re

import pytest
from django.urls import reverse

from nightout.accounts.models import Membership, Role, User
from nightout.errors import NotAllowed
from nightout.registry.actors import Actor
from nightout.registry.models import Agency, AuditEntry, Station
from nightout.visits.services import (
    STATION_IN_USE,
    agency_create,
    agency_retire,
    agency_update,
    station_create,
    station_delete,
)

pytestmark = pytest.mark.django_db


def test_a_coordinator_adds_an_agency_of_the_town_and_the_trail_says_so(season, coordinator):
    agency = agency_create(actor=Actor.of(coordinator), season=season,
                           name=" Agawam Public Works ", kind="other")
    assert agency.name == "Agawam Public Works" and agency.slug == "agawam-public-works"
    assert agency.jurisdiction == season.jurisdiction
    again = agency_create(actor=Actor.of(coordinator), season=season,
                          name="Agawam Public-Works", kind="other")
    assert again.slug == "agawam-public-works-2"
    entry = AuditEntry.objects.filter(action="agency_create").latest("pk")
    assert entry.actor == coordinator and entry.season == season


def test_a_liaison_changes_their_own_agency_and_no_other(season, liaison, police, fire):
    agency_update(actor=Actor.of(liaison), season=season, agency=police,
                  website="https://police.agawam.example")
    assert Agency.objects.get(pk=police.pk).website == "https://police.agawam.example"
    with pytest.raises(NotAllowed):
        agency_update(actor=Actor.of(liaison), season=season, agency=fire, name="Taken")
    with pytest.raises(NotAllowed):
        agency_create(actor=Actor.of(liaison), season=season, name="Another", kind="other")


def test_a_retired_agency_is_offered_for_no_new_unit_and_its_units_stay(
        client, season, coordinator, police, units):
    agency_retire(actor=Actor.of(coordinator), season=season, agency=police, retired=True)
    client.force_login(coordinator)
    page = client.get(reverse("visits:units", args=[season.slug])).content.decode()
    assert "Car 1" in page  # its units stay
    assert f'<option value="{police.pk}">Agawam Police</option>' not in page  # for no new one
    agency_retire(actor=Actor.of(coordinator), season=season, agency=police, retired=False)
    page = client.get(reverse("visits:units", args=[season.slug])).content.decode()
    assert f'<option value="{police.pk}">Agawam Police</option>' in page


def test_a_station_is_placed_on_the_map_and_one_in_use_is_kept(client, season, coordinator,
                                                               police, units):
    client.force_login(coordinator)
    url = reverse("visits:agency", args=[season.slug, police.slug])
    refused = client.post(url, {"action": "station", "name": "Substation",
                                "address": "40 Main Street"})
    assert refused.status_code == 400 and "This field is required." in refused.content.decode()
    added = client.post(url, {"action": "station", "name": "Substation",
                              "address": "40 Main Street", "latitude": "42.0712",
                              "longitude": "-72.6201"})
    assert added.status_code == 302
    station = Station.objects.get(name="Substation")
    assert (station.latitude, station.longitude) == (42.0712, -72.6201)
    headquarters = police.stations.get(name="HQ")
    with pytest.raises(Exception) as kept:
        station_delete(actor=Actor.of(coordinator), season=season, station=headquarters)
    assert kept.value.messages == [STATION_IN_USE.format(
        units="Car 1, Car 2", verb="start", station="HQ", them="them")]
    response = client.post(reverse("visits:station", args=[season.slug, headquarters.pk]),
                           {"action": "remove"}, follow=True)
    assert "Car 1, Car 2 start from or back to HQ" in response.content.decode()
    assert Station.objects.filter(pk=headquarters.pk).exists()
    client.post(reverse("visits:station", args=[season.slug, station.pk]), {"action": "remove"})
    assert not Station.objects.filter(pk=station.pk).exists()


def test_a_station_is_the_agencys_managers_to_add(season, liaison, fire):
    with pytest.raises(NotAllowed):
        station_create(actor=Actor.of(liaison), season=season, agency=fire, name="Mine",
                       latitude=42.07, longitude=-72.61)


def test_the_agency_pages_list_the_towns_agencies_and_a_coordinator_adds_one(
        client, season, coordinator, police, fire):
    client.force_login(coordinator)
    url = reverse("visits:agencies", args=[season.slug])
    page = client.get(url).content.decode()
    assert "Agawam Police" in page and "Agawam Fire" in page and "HQ" in page
    response = client.post(url, {"name": "Agawam Mayor's Office", "kind": "elected"})
    agency = Agency.objects.get(name="Agawam Mayor's Office")
    assert response.url == reverse("visits:agency", args=[season.slug, agency.slug])


def test_a_liaison_makes_a_token_sees_it_once_and_revokes_it(client, season, liaison, police,
                                                             fire):
    from nightout.api.models import AgencyToken
    from nightout.api.selectors import agency_token_find

    client.force_login(liaison)
    url = reverse("visits:agency", args=[season.slug, police.slug])
    made = client.post(url, {"action": "token", "token-name": "Dispatch console"})
    html = made.content.decode()
    secret = re.search(r'<code class="secret">(nno_[\w-]+)</code>', html)[1]
    token = AgencyToken.objects.get()
    assert agency_token_find(raw=secret) == token and token.created_by == "lee"
    again = client.get(url).content.decode()
    assert secret not in again and f"{token.prefix}…" in again  # shown once
    client.post(url, {"action": "revoke_token", "token": token.pk})
    assert agency_token_find(raw=secret) is None
    other = client.post(reverse("visits:agency", args=[season.slug, fire.slug]),
                        {"action": "token", "token-name": "Not mine"})
    assert other.status_code == 403 and AgencyToken.objects.count() == 1


def test_a_site_admin_adds_an_outside_agency_every_town_lists_and_a_coordinator_cannot(
        client, season, coordinator):
    from nightout.registry.models import Jurisdiction
    from nightout.registry.services import season_create

    admin = User.objects.create_superuser("ada", password="pw")
    client.force_login(admin)
    url = reverse("visits:agencies", args=[season.slug])
    response = client.post(url, {"name": "Massachusetts State Police", "kind": "state_police",
                                 "outside": "on"})
    assert response.status_code == 302
    patrol = Agency.objects.get(name="Massachusetts State Police")
    assert patrol.jurisdiction is None
    other = Jurisdiction.objects.create(name="Chicopee", slug="chicopee", state="MA",
                                        center_latitude=42.15, center_longitude=-72.6)
    elsewhere = season_create(jurisdiction=other, year=2017, slug="chicopee-2017")
    Membership.objects.create(user=coordinator, role=Role.COORDINATOR, jurisdiction=other)
    client.force_login(coordinator)
    page = client.get(reverse("visits:agencies", args=[elsewhere.slug])).content.decode()
    assert "Massachusetts State Police" in page and "outside agency" in page
    assert "An outside agency, of no town" not in page  # not offered to a coordinator
    client.post(url, {"name": "Federal Marshals", "kind": "federal", "outside": "on"})
    assert Agency.objects.get(name="Federal Marshals").jurisdiction == season.jurisdiction
    with pytest.raises(NotAllowed):
        agency_create(actor=Actor.of(coordinator), season=season, name="Army", kind="military",
                      outside=True)
