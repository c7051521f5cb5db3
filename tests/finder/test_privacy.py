"""No host contact, no town's note and no private home's address or exact pin in any public
output.

Events are registered through the real service with unique host names, emails and phones,
approved, and every public page, feed and file is fetched and scanned."""

import re
from urllib.parse import unquote_plus

import pytest
from django.urls import reverse

from nightout.registry.models import HostContact

pytestmark = pytest.mark.django_db
HOMES = [
    ("1234 Quiet Lane, Agawam, MA", 42.071234, -72.618765),
    ("5678 Hidden Road, Agawam, MA", 42.063457, -72.598321),
    ("910 Secret Court, Agawam, MA", 42.079876, -72.629543),
]


def coordinate_strings(value: float) -> list[str]:
    return [f"{value:.6f}", f"{value:.5f}", repr(value)]


def public_urls(client, season, events) -> list[str]:
    town = season.jurisdiction.slug
    urls = [
        "/", "/?when=all", "/?q=Agawam", "/?q=01001&when=all", "/?q=1234+Quiet+Lane&when=all",
        "/?near=42.071,-72.619&radius=1&when=all", "/?when=2017&activity=music",
        reverse("finder:map_points") + "?when=all&zoom=8",
        reverse("finder:map_points") + "?when=all&zoom=18",
        reverse("finder:map_points") + "?q=1234+Quiet+Lane&when=all&zoom=18",
        reverse("finder:events_geojson") + "?when=all",
        reverse("finder:events_atom"), reverse("finder:season_atom", args=[season.slug]),
        reverse("finder:season_ics", args=[season.slug]), reverse("finder:town_ics", args=[town]),
        reverse("finder:search_ics") + "?q=01001&when=all",
        reverse("finder:search_ics") + "?near=42.071,-72.619&radius=1&when=all",
        reverse("finder:search_ics") + "?q=1234+Quiet+Lane&when=all",
        reverse("finder:widget", args=[town]), reverse("finder:widget_snippets"),
        "/sitemap.xml", "/seasons/",
    ]
    for event in events:
        urls += [reverse("finder:event", args=[event.pk]),
                 reverse("finder:event_ics", args=[event.pk])]
    sitemap = client.get("/sitemap.xml").content.decode()
    urls += [u.replace("http://testserver", "") for u in re.findall(r"<loc>(.*?)</loc>", sitemap)]
    return urls


def test_no_public_page_feed_or_file_shows_host_contact_or_a_private_address(
        client, season, publish):
    events = [publish(title=f"Home party {n}", address=address, latitude=lat, longitude=lon,
                      postal_code="01001", activities=["music"],
                      coordinator_notes=f"Town note {n}: key under the mat")
              for n, (address, lat, lon) in enumerate(HOMES)]
    events.append(publish(title="Park party", venue="Robinson Park",
                          address="1 Robinson Park Road, Agawam, MA", latitude=42.0655,
                          longitude=-72.63, is_private_home=False, show_exact_location=True))
    contacts = HostContact.objects.filter(event__in=events)
    assert contacts.count() == 4
    secrets = []
    for contact in contacts:
        digits = re.sub(r"\D", "", contact.phone)
        secrets += [contact.email, contact.name, contact.phone, digits, digits[-7:]]
    secrets += [f"Town note {n}" for n in range(len(HOMES))] + ["key under the mat"]
    for address, lat, lon in HOMES:
        secrets += [address.split(",")[0], address.split(" ")[0] + " ", *coordinate_strings(lat),
                    *coordinate_strings(lon)]
    scanned = 0
    for url in public_urls(client, season, events):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        asked = unquote_plus(url)
        for secret in secrets:
            if secret.strip() in asked:  # the resident's own words, shown back to them
                continue
            if secret.endswith(" "):  # a house number: only as the start of an address
                assert not re.search(rf"\b{re.escape(secret)}[A-Z]", body), (url, secret)
            else:
                assert secret not in body, (url, secret)
        scanned += 1
    assert scanned >= 25
    # The park's organizers chose to publish its address: it is there.
    assert "1 Robinson Park Road" in client.get(
        reverse("finder:event", args=[events[-1].pk])).content.decode()
