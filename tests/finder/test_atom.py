"""The Atom feeds checked by the rules of RFC 4287 that the W3C feed validator applies:
the required elements, ids that are absolute URIs and stay the same, an author for every
entry, dates in RFC 3339 and none in the future; and read by feedparser when it is installed
(it is not a dependency)."""

import datetime as dt
import importlib.util
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from nightout.registry.actors import Actor
from nightout.registry.models import Event
from nightout.registry.services import event_update

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def when(element) -> dt.datetime:
    assert RFC3339.match(element.text), element.text
    return dt.datetime.fromisoformat(element.text)


def absolute_uri(value: str) -> bool:
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("tag", "urn"))


def check_rfc4287(body: bytes) -> ET.Element:
    """The feed's required elements (4.1.1), each entry's (4.1.2), ids as absolute IRIs
    (4.2.6), an author for each entry or for the feed (4.1.1, 4.1.2), and dates (3.3) not
    after now."""
    now = timezone.now()
    feed = ET.fromstring(body)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert len(feed.findall(f"{ATOM}{name}")) == 1, name
    assert absolute_uri(feed.find(f"{ATOM}id").text)
    assert when(feed.find(f"{ATOM}updated")) <= now
    feed_author = feed.find(f"{ATOM}author/{ATOM}name")
    ids = []
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        ids.append(entry.find(f"{ATOM}id").text)
        assert absolute_uri(ids[-1]), ids[-1]
        author = entry.find(f"{ATOM}author/{ATOM}name")
        assert (author is not None and author.text) or feed_author is not None
        updated = when(entry.find(f"{ATOM}updated"))
        assert updated <= now
        published = entry.find(f"{ATOM}published")
        if published is not None:
            assert when(published) <= updated
        alternate = [link for link in entry.findall(f"{ATOM}link")
                     if link.get("rel", "alternate") == "alternate"]
        assert alternate or entry.find(f"{ATOM}content") is not None
    assert len(ids) == len(set(ids))
    return feed


def entries(body: bytes) -> dict[str, ET.Element]:
    return {e.find(f"{ATOM}title").text: e for e in ET.fromstring(body).findall(f"{ATOM}entry")}


def test_both_atom_feeds_follow_rfc_4287(client, publish, season):
    publish(title="First")
    publish(title="Second", address="200 Elm Street, Agawam, MA")
    for url in (reverse("finder:events_atom"), reverse("finder:season_atom", args=[season.slug])):
        check_rfc4287(client.get(url).content)


def test_an_entrys_id_is_the_event_pages_address_and_stays_after_a_change(
        client, publish, event_input, coordinator, settings):
    settings.SITE_URL = "https://nno.example.org"
    party = publish(title="First")
    [entry] = entries(client.get(reverse("finder:events_atom")).content).values()
    assert entry.find(f"{ATOM}id").text == f"https://nno.example.org/events/{party.pk}/"
    event_update(event=party, data=event_input(title="Renamed"), actor=Actor.of(coordinator))
    [entry] = entries(client.get(reverse("finder:events_atom")).content).values()
    assert entry.find(f"{ATOM}id").text == f"https://nno.example.org/events/{party.pk}/"


def test_every_entry_is_authored_by_its_town_never_its_host(client, publish):
    publish(title="First")
    body = client.get(reverse("finder:events_atom")).content
    [entry] = entries(body).values()
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Agawam, MA"
    assert b"Hidden Host" not in body and b"secret@example.org" not in body


def test_a_registration_dated_ahead_puts_no_date_of_the_feed_in_the_future(client, publish):
    party = publish(title="Dated ahead")
    ahead = timezone.now() + dt.timedelta(days=150)
    Event.objects.filter(pk=party.pk).update(submitted_at=ahead, reviewed_at=None)
    response = client.get(reverse("finder:events_atom"))
    feed = check_rfc4287(response.content)
    [entry] = feed.findall(f"{ATOM}entry")
    party.refresh_from_db()
    assert when(entry.find(f"{ATOM}updated")) == party.updated_at
    last_modified = dt.datetime.strptime(response["Last-Modified"], "%a, %d %b %Y %H:%M:%S GMT")
    assert last_modified.replace(tzinfo=dt.UTC) <= timezone.now()


def test_an_entry_is_updated_when_its_party_last_changed(client, publish, event_input,
                                                         coordinator):
    party = publish(title="First")
    long_ago = dt.datetime(2017, 7, 20, 12, tzinfo=dt.UTC)
    Event.objects.filter(pk=party.pk).update(updated_at=long_ago)
    [entry] = entries(client.get(reverse("finder:events_atom")).content).values()
    assert when(entry.find(f"{ATOM}updated")) == long_ago
    event_update(event=party, data=event_input(title="Renamed"), actor=Actor.of(coordinator))
    [entry] = entries(client.get(reverse("finder:events_atom")).content).values()
    assert when(entry.find(f"{ATOM}updated")) > long_ago


@pytest.mark.skipif(importlib.util.find_spec("feedparser") is None,
                    reason="feedparser is not installed")
def test_feedparser_reads_the_feed_without_complaint(client, publish):
    import feedparser
    party = publish(title="First")
    parsed = feedparser.parse(client.get(reverse("finder:events_atom")).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    [entry] = parsed.entries
    assert entry.id.endswith(f"/events/{party.pk}/") and entry.author == "Agawam, MA"
