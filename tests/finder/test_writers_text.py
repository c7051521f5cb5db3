"""Every public writer survives any stored text, and writes it minus what its format cannot
carry: the Atom feeds, the calendar files (read back by icalendar and by vobject), GeoJSON,
the event page's JSON-LD and the sitemap.

An old row (from before the door checked text, from the administration or a shell) is made by
writing the generated text straight into the database; text a database cannot hold (half of a
surrogate pair) is given to the writers' functions in memory instead."""

import json
import re
import xml.etree.ElementTree as ET

import icalendar
import pytest
import vobject
from django.core.cache import caches
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nightout.finder import geojson, ical
from nightout.finder.caching import forget_data_version
from nightout.finder.places import public_place
from nightout.finder.sharing import event_description, event_json_ld
from nightout.finder.views import _script_json
from nightout.registry.models import Activity, Event
from tests.unicode_text import calendar_expected, expected, texts

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
EXAMPLES = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
FIELDS = ("title", "description", "venue", "address", "accessibility_notes")


@pytest.fixture
def park(publish):
    """An approved event at a public place, so its venue and address are public."""
    event = publish(venue="School Street Park", is_private_home=False)
    return event


def store(event, values: dict) -> Event:
    """Write `values` as an old row would hold them, past the door, and forget what the finder
    kept."""
    Event.objects.filter(pk=event.pk).update(**values)
    caches["finder"].clear()
    forget_data_version()
    return Event.objects.select_related("season__jurisdiction").get(pk=event.pk)


def text_value(raw: str) -> str:
    """An RFC 5545 TEXT value, unescaped (icalendar leaves X- properties as they are)."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], raw)


def one_line(text: str) -> str:
    return expected(text, one_line=True)


def stored_event():
    return st.fixed_dictionaries({name: texts(storable=True) for name in FIELDS})


def event_url(event) -> str:
    return f"http://testserver{reverse('finder:event', args=[event.pk])}"


def description_lines(event) -> str:
    return "\n".join(([calendar_expected(event.description)] if event.description else [])
                     + [event_url(event)])


@EXAMPLES
@given(values=stored_event())
def test_the_atom_feeds_are_xml_with_the_text_minus_what_xml_cannot_carry(client, park,
                                                                           values):
    event = store(park, values)
    for url in (reverse("finder:events_atom"),
                reverse("finder:season_atom", args=[event.season.slug])):
        response = client.get(url)
        assert response.status_code == 200
        [entry] = ET.fromstring(response.content).findall(f"{ATOM}entry")
        assert (entry.findtext(f"{ATOM}title") or "") == one_line(values["title"])
        summary = entry.findtext(f"{ATOM}summary") or ""
        assert summary.endswith(f" {one_line(public_place(event).display)}.")


@EXAMPLES
@given(values=stored_event())
def test_a_calendar_file_reads_back_alike_in_icalendar_and_vobject(client, park, values):
    event = store(park, values)
    for url in (reverse("finder:event_ics", args=[event.pk]),
                reverse("finder:season_ics", args=[event.season.slug])):
        response = client.get(url)
        assert response.status_code == 200
        first = icalendar.Calendar.from_ical(response.content)
        [vevent] = first.walk("VEVENT")
        second = vobject.readOne(response.content.decode())
        [vevent_b] = second.vevent_list
        summary = calendar_expected(values["title"], one_line=True)
        location = calendar_expected(public_place(event).display, one_line=True)
        assert str(vevent["summary"]) == vevent_b.summary.value == summary
        assert str(vevent["location"]) == vevent_b.location.value == location
        assert str(vevent["description"]) == vevent_b.description.value == \
            description_lines(event)
        if url.endswith(f"{event.pk}.ics"):  # a text value icalendar does not type
            name = text_value(str(first["x-wr-calname"]))
            assert name == second.x_wr_calname.value == summary


@EXAMPLES
@given(values=stored_event(), activity=texts(storable=True, max_size=20))
def test_geojson_holds_the_text_minus_what_json_readers_refuse(client, park, values, activity):
    event = store(park, values)
    music = Activity.objects.get_or_create(slug="text-test", defaults={"name": "x"})[0]
    Activity.objects.filter(pk=music.pk).update(name=activity)
    event.activities.set([music])
    response = client.get(reverse("finder:events_geojson"), {"when": "all"})
    assert response.status_code == 200
    body = response.content.decode("utf-8")
    [feature] = json.loads(body)["features"]
    assert feature["properties"]["title"] == one_line(values["title"])
    assert feature["properties"]["place"] == one_line(public_place(event).display)
    assert feature["properties"]["activities"] == [one_line(activity)]
    points = client.get(reverse("finder:map_points"), {"when": "all", "zoom": "20"})
    assert points.status_code == 200
    titles = [f["properties"].get("title") for f in json.loads(points.content)["features"]]
    assert titles == [one_line(values["title"])]
    music.delete()


def json_ld_of(html: str) -> dict:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


@EXAMPLES
@given(values=stored_event())
def test_the_event_page_and_its_json_ld_hold_the_text(client, park, values):
    event = store(park, values)
    response = client.get(reverse("finder:event", args=[event.pk]))
    assert response.status_code == 200
    data = json_ld_of(response.content.decode("utf-8"))
    assert data["name"] == one_line(values["title"])
    place = public_place(event)
    # A description that keeps nothing writable gives way to the one made of the facts.
    assert data["description"] == (expected(values["description"])
                                   or event_description(event, place))
    assert data["location"]["address"].get("streetAddress", "") == one_line(
        place.street_address)


@EXAMPLES
@given(values=stored_event())
def test_the_sitemap_is_xml_whatever_the_titles(client, park, values):
    store(park, values)
    index = ET.fromstring(client.get(reverse("finder:sitemap")).content)
    listed = []
    for loc in index.iter(f"{SITEMAP}loc"):
        path = loc.text.removeprefix("http://testserver")
        if "sitemap-events" in path:
            urls = ET.fromstring(client.get(path).content)
            listed += [u.text for u in urls.iter(f"{SITEMAP}loc")]
    assert event_url(park) in listed  # in its chunk of ids, whichever that is


@EXAMPLES
@given(values=st.fixed_dictionaries({name: texts() for name in FIELDS}))
def test_the_writers_take_text_no_database_holds(park, values):
    """Half of a surrogate pair cannot be stored; given in memory it is left out."""
    event = Event.objects.select_related("season__jurisdiction").get(pk=park.pk)
    for name, value in values.items():
        setattr(event, name, value)
    url = event_url(event)
    body = ical.calendar_bytes([event], name=event.title, url_of=lambda e: url)
    [vevent] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    summary = calendar_expected(values["title"], one_line=True)
    assert str(vevent["summary"]) == summary
    assert str(vevent["description"]) == description_lines(event)
    assert vobject.readOne(body.decode()).vevent.summary.value == summary
    feature = geojson.event_feature(event, url=url, ics_url=url)
    assert json.loads(json.dumps(feature, ensure_ascii=False).encode("utf-8"))[
        "properties"]["title"] == one_line(values["title"])
    data = json.loads(_script_json(event_json_ld(
        event, public_place(event), page_url=url, image_url=url, season_url=url)).encode("utf-8"))
    assert data["name"] == one_line(values["title"])
