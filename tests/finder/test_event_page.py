"""An event's public page: facts in the town's zone, JSON-LD, Open Graph, calendar link."""

import json
import re

import pytest
from django.urls import reverse

from nightout.registry.models import Agency, EventAgency

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


def test_event_page_shows_day_hours_in_the_towns_zone_activities_agencies_and_notes(
        client, home_party):
    agency = Agency.objects.create(name="Agawam Police Department", slug="agawam-pd",
                                   kind="local_police")
    EventAgency.objects.create(event=home_party, agency=agency)
    html = client.get(reverse("finder:event", args=[home_party.pk])).content.decode()
    assert "Tuesday 1 August 2017" in html
    assert "5:00 PM to" in html and "8:30 PM" in html and "EDT" in html
    assert "Music" in html and "Agawam Police Department" in html
    assert "Ramp at the side gate." in html
    assert 'download>Add to calendar (.ics)</a>' in html


def test_event_page_carries_json_ld_with_offsets_and_a_location(client, park_event):
    html = client.get(reverse("finder:event", args=[park_event.pk])).content.decode()
    data = json_ld(html)
    assert data["@type"] == "Event" and data["name"] == "Robinson Park Night Out"
    assert data["startDate"] == "2017-08-01T17:00:00-04:00"
    assert data["endDate"] == "2017-08-01T20:30:00-04:00"
    assert data["location"]["name"] == "Robinson Park"
    assert data["location"]["address"]["streetAddress"] == "1 Robinson Park Road, Agawam, MA"


def test_event_page_announces_its_calendar_file_and_open_graph(client, park_event):
    html = client.get(reverse("finder:event", args=[park_event.pk])).content.decode()
    ics = f"http://testserver/events/{park_event.pk}.ics"
    assert ('<link rel="alternate" type="text/calendar" '
            f'title="Add Robinson Park Night Out to a calendar" href="{ics}">') in html
    assert '<meta property="og:title" content="Robinson Park Night Out">' in html
    assert f'<meta property="og:url" content="http://testserver/events/{park_event.pk}/">' in html


def test_a_private_home_is_shown_at_block_level_with_the_same_point_every_time(
        client, home_party):
    first = client.get(reverse("finder:event", args=[home_party.pk])).content.decode()
    second = client.get(reverse("finder:event", args=[home_party.pk])).content.decode()
    assert "1200 block of Quiet Ln" in first
    assert "1234" not in first
    assert "42.071234" not in first and "-72.618765" not in first
    location = json_ld(first)["location"]
    assert "streetAddress" not in location["address"]
    assert location["geo"] == json_ld(second)["location"]["geo"]


def test_a_host_who_chose_to_show_the_address_gets_it_shown(client, publish):
    event = publish(address="88 Open Lane, Agawam, MA", show_exact_location=True)
    html = client.get(reverse("finder:event", args=[event.pk])).content.decode()
    assert "88 Open Lane" in html


def test_unapproved_events_have_no_public_page(client, publish):
    event = publish(approve=False)
    assert client.get(reverse("finder:event", args=[event.pk])).status_code == 404
    assert client.get(reverse("finder:event_ics", args=[event.pk])).status_code == 404


def test_event_page_costs_a_fixed_number_of_queries(client, home_party,
                                                    django_assert_num_queries):
    with django_assert_num_queries(3):
        client.get(reverse("finder:event", args=[home_party.pk]))


def test_event_page_offers_the_seasons_calendar_as_a_subscription_and_a_download(
        client, home_party):
    html = client.get(reverse("finder:event", args=[home_party.pk])).content.decode()
    path = reverse("finder:season_ics", args=[home_party.season.slug])
    assert f'<a href="webcal://testserver{path}">Subscribe to every event of Agawam 2017</a>' \
        in html
    assert f'<a href="http://testserver{path}" download>download the .ics file</a>' in html
