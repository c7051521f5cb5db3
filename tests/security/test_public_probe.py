"""The outside probe, kept in the suite: an attacker who has only public answers.

A generated city (the demo's Lakeport, drawn smaller) is crawled as an anonymous visitor:
every public page, feed, calendar, GeoJSON, map and API answer, the sitemap's event pages,
and, for every party at a private home, the searches an attacker would make from its public
block label ("4000 block of 18th Avenue"): the registration map's centring, the finder and
its map. From every answer, every coordinate pair is read as a guess of where a home is.

- No host contact, no exact address, house number or exact pin of a private home appears.
- No answer lands within 10 m of a private home for more than 1 % of them (docs/privacy.md).
- Registrations not approved (submitted, rejected, cancelled) leave no trace: every answer is
  the same byte for byte once they are deleted.
"""

import datetime as dt
import math
import re
from collections import defaultdict
from urllib.parse import quote_plus

import pytest
from django.core.cache import caches
from django.urls import reverse

from nightout.demo.city import load_city
from nightout.finder.places import block_label
from nightout.geo.distance import haversine_m
from nightout.registry.models import Event, EventStatus, HostContact

pytestmark = pytest.mark.django_db
PARTIES = 360
NUMBER = re.compile(r"-?\d{1,3}\.\d{3,}")
ZOOMS = (11, 13, 15, 17, 19)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def city():
    season = load_city(parties=PARTIES)
    events = list(Event.objects.filter(season=season).select_related("season__jurisdiction"))
    assert len(events) == PARTIES + 1
    return season, events


def hidden(event: Event) -> bool:
    return event.is_private_home and not event.show_exact_location


def coordinate_pairs(text: str, lat_range, lon_range) -> list[tuple[float, float]]:
    """Every (latitude, longitude) an answer holds, whatever its format: two numbers next to
    each other, one in the city's latitudes and one in its longitudes, in either order
    (GeoJSON writes longitude first)."""
    numbers = [float(n) for n in NUMBER.findall(text)]
    pairs, index = [], 0
    while index < len(numbers) - 1:
        a, b = numbers[index], numbers[index + 1]
        if lat_range[0] <= a <= lat_range[1] and lon_range[0] <= b <= lon_range[1]:
            pairs.append((a, b))
            index += 2
        elif lon_range[0] <= a <= lon_range[1] and lat_range[0] <= b <= lat_range[1]:
            pairs.append((b, a))
            index += 2
        else:
            index += 1
    return pairs


def block_address(event: Event) -> str:
    """What the public label gives an attacker: '4000 block of 18th Avenue' -> '4000 18th
    Avenue'."""
    label = block_label(event.block_key)
    number, _, street = label.partition(" block of ")
    return f"{number} {street}"


def generic_urls(season, events) -> list[str]:
    town = season.jurisdiction.slug
    urls = [
        "/", "/?when=all", "/?q=Lakeport", "/?q=Lakeport&page=2", "/?q=55922&when=all",
        "/?near=45.04,-93.56&radius=1", "/?near=45.04,-93.56&radius=5&page=2",
        "/seasons/", "/register/", reverse("registry:register", args=[season.slug]),
        reverse("finder:events_geojson"), reverse("finder:events_geojson") + "?when=all",
        reverse("finder:events_atom"), reverse("finder:season_atom", args=[season.slug]),
        reverse("finder:season_ics", args=[season.slug]), reverse("finder:town_ics", args=[town]),
        reverse("finder:widget", args=[town]), reverse("finder:widget_snippets"),
        reverse("surveys:results", args=[season.slug]),
        "/sitemap.xml", "/api/seasons", f"/api/seasons/{season.slug}",
        "/api/events?per_page=100", "/api/events?per_page=100&page=2",
        "/api/events?per_page=100&page=3", "/api/events?per_page=100&page=4",
        "/api/events?q=Lakeport&per_page=100",
    ]
    for zoom in ZOOMS:
        urls.append(reverse("finder:map_points") + f"?zoom={zoom}&when=all")
    for zip_code in sorted({e.postal_code for e in events}):
        urls += [f"/?q={zip_code}", f"/api/events?q={zip_code}&per_page=100",
                 reverse("registry:postal_code_place", args=[season.slug]) + f"?code={zip_code}"]
    return urls


def event_urls(client) -> list[str]:
    """Every event page the sitemap lists, with its calendar file, API answer and poster."""
    urls = []
    index = client.get("/sitemap.xml").content.decode()
    for sitemap in re.findall(r"<loc>(.*?)</loc>", index):
        body = client.get(sitemap.replace("http://testserver", "")).content.decode()
        for loc in re.findall(r"<loc>(.*?)</loc>", body):
            path = loc.replace("http://testserver", "")
            match = re.fullmatch(r"/events/(\d+)/", path)
            if match:
                pk = match.group(1)
                urls += [path, f"/events/{pk}.ics", f"/api/events/{pk}",
                         f"/events/{pk}/poster/"]
    return urls


def block_searches(season, event: Event) -> list[str]:
    """What an attacker asks with a party's public block label."""
    words = block_address(event)
    q = quote_plus(words)
    return [
        reverse("registry:postal_code_place", args=[season.slug]) + f"?address={q}",
        reverse("registry:postal_code_place", args=[season.slug])
        + f"?address={q}&code={event.postal_code}",
        f"/?q={q}&when=all&radius=1",
        reverse("finder:map_points") + f"?q={q}&when=all&zoom=19",
        f"/api/events?q={q}&radius=1&when=all",
    ]


def crawl(client, urls) -> dict[str, str]:
    caches["default"].clear()
    bodies = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        # A form's CSRF token is new on every answer: it is not about the events.
        bodies[url] = CSRF.sub("", response.content.decode())
    return bodies


def test_no_public_answer_places_a_private_home_closer_than_its_block(client, city):
    season, events = city
    homes = [e for e in events if e.status == EventStatus.APPROVED and hidden(e)]
    assert len(homes) > 250
    urls = generic_urls(season, events) + event_urls(client)
    for event in homes:
        urls += block_searches(season, event)
    bodies = crawl(client, list(dict.fromkeys(urls)))
    assert len(bodies) > 1500

    lats = [e.latitude for e in events]
    lons = [e.longitude for e in events]
    lat_range, lon_range = (min(lats) - 0.05, max(lats) + 0.05), (min(lons) - 0.05,
                                                                  max(lons) + 0.05)
    # Every guess, bucketed by a grid of about 100 m so each home checks its neighbours only.
    buckets = defaultdict(set)
    for url, body in bodies.items():
        for lat, lon in coordinate_pairs(body, lat_range, lon_range):
            buckets[(round(lat * 1000), round(lon * 1000))].add((lat, lon, url))
    assert sum(len(b) for b in buckets.values()) > len(homes)

    def nearest_guess(event):
        key = (round(event.latitude * 1000), round(event.longitude * 1000))
        near = [g for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                for g in buckets.get((key[0] + dx, key[1] + dy), ())]
        return min(((haversine_m(event.latitude, event.longitude, g[0], g[1]), g[2])
                    for g in near), default=(math.inf, ""))

    found = [(e.pk, block_address(e), *nearest_guess(e)) for e in homes]
    found = [f for f in found if f[2] <= 10]
    assert len(found) <= len(homes) // 100, found

    # Nothing of a home's own: not its address, its house number on its street, its exact
    # pin, or its host's name, email or phone.
    text = "\n".join(bodies.values())
    contacts = HostContact.objects.filter(event__season=season)
    for contact in contacts:
        for secret in (contact.name, contact.email, contact.phone):
            assert secret not in text, secret
    for event in homes:
        number, _, street = event.address.split(",")[0].partition(" ")
        assert not re.search(rf"\b{number}\s+{re.escape(street)}", text), event.address
        # The pin as stored (to the sixth decimal); written shorter, it is one of many
        # numbers of other places, and the 10 m test above is the one that counts.
        for value in (event.latitude, event.longitude):
            written = f"{value:.6f}"
            if written.endswith("0"):  # as short as the public points: the 10 m test's
                continue
            assert not re.search(rf"(?<!\d){re.escape(written)}(?!\d)", text), (
                event.address, written)


def held_change(event: Event, title: str) -> None:
    """The host renames an approved party through the private link: it waits for review."""
    from nightout.registry.services import EventInput, HostInput, event_update

    zone = event.season.jurisdiction.zone
    contact = event.host_contact
    event_update(event=event, data=EventInput(
        title=title, address=event.address, postal_code=event.postal_code,
        latitude=event.latitude, longitude=event.longitude, kind=event.kind,
        is_private_home=event.is_private_home, show_exact_location=event.show_exact_location,
        starts=event.starts_at.astimezone(zone).time(), ends=event.ends_at.astimezone(zone).time(),
        activities=[a.slug for a in event.activities.all()],
        expected_attendance=event.expected_attendance,
        visits=list(event.visit_requests.values_list("unit_kind", flat=True)),
        host=HostInput(name=contact.name, email=contact.email, phone=contact.phone)))


def test_registrations_not_approved_leave_no_trace_in_any_public_answer(client, city):
    season, events = city
    # A registration not approved with a late rain date (the survey's close is counted from
    # approved parties only), and a host's change waiting for review: neither shows.
    rejected = next(e for e in events if e.status == EventStatus.REJECTED)
    Event.objects.filter(pk=rejected.pk).update(
        rain_date=season.nno_date + dt.timedelta(days=14))
    waiting = next(e for e in events if e.status == EventStatus.APPROVED and hidden(e))
    held_change(waiting, "Prizes At Phish Example")
    unpublished = [e for e in events if e.status != EventStatus.APPROVED]
    assert {e.status for e in unpublished} == {EventStatus.SUBMITTED, EventStatus.REJECTED,
                                               EventStatus.CANCELLED}
    published = [e for e in events if e.status == EventStatus.APPROVED]
    urls = generic_urls(season, events) + event_urls(client)
    # The attacker's searches for the unpublished parties' blocks, and a sample of others.
    for event in unpublished + published[::20]:
        urls += block_searches(season, event)
    urls += [f"/events/{e.pk}/" for e in unpublished]
    urls += [f"/events/{e.pk}.ics" for e in unpublished]
    urls += [f"/api/events/{e.pk}" for e in unpublished]
    urls = list(dict.fromkeys(urls))
    before = crawl(client, urls)

    text = "\n".join(before.values())
    assert "Prizes At Phish Example" not in text
    titles = {other.title for other in published}
    for event in unpublished:
        if event.title not in titles:
            assert not re.search(rf"(?<!\w){re.escape(event.title)}(?!\w)", text), event.title

    Event.objects.filter(pk__in=[e.pk for e in unpublished]).delete()
    after = crawl(client, urls)
    changed = [url for url in urls if before[url] != after[url]]
    assert not changed, changed[:5]
