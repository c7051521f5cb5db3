"""Calendars, Atom, GeoJSON, the sitemap and the widget, read as their clients read them."""

import datetime as dt
import xml.etree.ElementTree as ET
import zoneinfo

import pytest
from django.urls import reverse

from tests.calendar_readers import read_with_icalendar, read_with_vobject

pytestmark = pytest.mark.django_db
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_two_independent_parsers_agree_on_an_events_start_end_and_zone(client, park_event):
    body = client.get(reverse("finder:event_ics", args=[park_event.pk])).content
    first, second = read_with_icalendar(body), read_with_vobject(body)
    assert len(first) == len(second) == 1
    for (start_a, end_a, zone_a, uid_a), (start_b, end_b, zone_b, uid_b) in zip(
            first, second, strict=True):
        assert start_a == start_b == dt.datetime(2017, 8, 1, 17, tzinfo=NEW_YORK)
        assert end_a == end_b == dt.datetime(2017, 8, 1, 20, 30, tzinfo=NEW_YORK)
        assert start_a.utcoffset() == start_b.utcoffset() == dt.timedelta(hours=-4)
        assert zone_a == zone_b == "America/New_York"
        assert uid_a == uid_b
    assert b"BEGIN:VTIMEZONE" in body and b"TZID:America/New_York" in body


def test_season_and_town_feeds_hold_every_public_event(client, season, publish, park_event):
    publish(title="Second party", address="200 Elm Street")
    publish(title="Not approved", address="300 Elm Street", approve=False)
    for url in (reverse("finder:season_ics", args=[season.slug]),
                reverse("finder:town_ics", args=[season.jurisdiction.slug])):
        response = client.get(url)
        assert response["Content-Type"].startswith("text/calendar")
        first, second = read_with_icalendar(response.content), read_with_vobject(response.content)
        assert len(first) == len(second) == 2
        assert [row[:3] for row in first] == [row[:3] for row in second]
        assert b"Not approved" not in response.content


def test_atom_feed_lists_public_events_with_links(client, park_event):
    root = ET.fromstring(client.get(reverse("finder:events_atom")).content)
    (entry,) = root.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == "Robinson Park Night Out"
    assert entry.find(f"{ATOM}link").get("href").endswith(f"/events/{park_event.pk}/")
    assert "5:00 PM" in entry.find(f"{ATOM}summary").text


def check_rfc7946(doc: dict) -> None:
    """The parts of RFC 7946 a FeatureCollection of points must satisfy."""
    assert doc["type"] == "FeatureCollection"
    assert isinstance(doc["features"], list)
    for feature in doc["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        geometry = feature["geometry"]
        assert geometry["type"] == "Point"
        lon, lat = geometry["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert "crs" not in doc and "crs" not in feature
    if "bbox" in doc and doc["bbox"]:
        west, south, east, north = doc["bbox"]
        assert south <= north


def test_geojson_is_rfc_7946_with_longitude_first(client, park_event, home_party):
    response = client.get(reverse("finder:events_geojson"), {"when": "all"})
    assert response["Content-Type"] == "application/geo+json"
    doc = response.json()
    check_rfc7946(doc)
    park = next(f for f in doc["features"] if f["id"] == park_event.pk)
    assert park["geometry"]["coordinates"] == [-72.63, 42.0655]
    assert park["properties"]["start"] == "2017-08-01T17:00:00-04:00"
    check_rfc7946(client.get(reverse("finder:map_points"), {"when": "all"}).json())


def test_geojson_pages_name_the_next_page(client, publish, monkeypatch):
    monkeypatch.setattr("nightout.finder.feeds.GEOJSON_PAGE", 2)
    for n in range(3):
        publish(title=f"P{n}", address=f"{100 + 100 * n} Elm Street")
    doc = client.get(reverse("finder:events_geojson"), {"when": "all"}).json()
    assert len(doc["features"]) == 2
    (link,) = doc["links"]
    assert "page=2" in link["href"]
    assert len(client.get(link["href"]).json()["features"]) == 1


def test_sitemap_lists_every_public_event_page(client, publish):
    public = [publish(title=f"P{n}", address=f"{100 + 100 * n} Elm Street") for n in range(3)]
    hidden = publish(title="Hidden", address="900 Elm Street", approve=False)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    urls = []
    for loc in index.iter(f"{SITEMAP}loc"):
        urls += [u.text for u in ET.fromstring(client.get(loc.text).content).iter(f"{SITEMAP}loc")]
    for event in public:
        assert f"http://testserver/events/{event.pk}/" in urls
    assert f"http://testserver/events/{hidden.pk}/" not in urls


def test_widget_can_be_framed_and_snippet_page_gives_the_code(client, park_event, season):
    town = season.jurisdiction.slug
    response = client.get(reverse("finder:widget", args=[town]))
    assert "X-Frame-Options" not in response
    assert "Robinson Park Night Out" in response.content.decode()
    assert 'target="_top"' in response.content.decode()
    snippets = client.get(reverse("finder:widget_snippets")).content.decode()
    assert f"&lt;iframe src=&quot;http://testserver/widget/{town}/&quot;" in snippets or \
        f'&lt;iframe src="http://testserver/widget/{town}/"' in snippets
