"""What an event gives the sites it is shared to: the share image, the schema.org Event
(checked against Google's Event rich result: required and recommended properties, and
schema.org's types), and the meta description and Open Graph / Twitter tags of every public
page. Nothing private in any of them."""

import datetime as dt
import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from PIL import Image

from nightout.finder import sharing
from nightout.registry.actors import Actor
from nightout.registry.models import Jurisdiction
from nightout.registry.services import (
    event_as_input,
    event_cancel,
    event_move_to_rain_date,
    event_update,
)
from tests.finder.test_event_page import json_ld

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The <meta> tags of a page, by name or property (each kept as a list)."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            key = attrs.get("property") or attrs["name"]
            self.meta.setdefault(key, []).append(attrs.get("content", ""))


def png(response) -> Image.Image:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(b"".join(response)))
    image.load()
    return image


@pytest.fixture
def rainy(season):
    """Agawam's season with a rain date the next day."""
    season.rain_date_rule = "next_day"
    season.save(update_fields=["rain_date_rule"])
    return season


# The share image


def test_the_share_image_is_a_1200_by_630_png_without_metadata(client, home_party):
    image = png(client.get(reverse("finder:event_image", args=[home_party.pk])))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert not getattr(image, "text", {}) and "exif" not in image.info


def test_the_share_image_says_the_town_day_and_hours_on_the_towns_clock(publish):
    # 8:30 PM in Agawam is 00:30 the next day in UTC: the image says the town's time.
    event = publish(title="Quiet Lane Potluck", starts=dt.time(19), ends=dt.time(20, 30))
    card = sharing.share_card(event)
    assert card.heading == "National Night Out · Agawam, MA"
    assert card.title == "Quiet Lane Potluck"
    assert card.when == "Tuesday 1 August 2017"
    assert card.hours == "7:00 PM – 8:30 PM EDT"
    assert card.status == ""


def test_the_share_image_depends_on_nothing_private(client, publish):
    """Two parties that differ in everything private (host, contact, address, pin, notes)
    and nothing public give the very same bytes."""
    first = publish(title="Same Title", address="1234 Quiet Lane, Agawam, MA",
                    latitude=42.071234, longitude=-72.618765, coordinator_notes="Gate code 1")
    second = publish(title="Same Title", address="5678 Hidden Road, Agawam, MA",
                     latitude=42.063457, longitude=-72.598321, coordinator_notes="Dog")
    one = client.get(reverse("finder:event_image", args=[first.pk]))
    two = client.get(reverse("finder:event_image", args=[second.pk]))
    assert b"".join(one) == b"".join(two)
    assert one["ETag"] == two["ETag"]
    retitled = publish(title="Another Title", address="1234 Quiet Lane, Agawam, MA")
    three = client.get(reverse("finder:event_image", args=[retitled.pk]))
    assert b"".join(three) != b"".join(one) and three["ETag"] != one["ETag"]


def test_the_share_image_draws_only_its_lines(monkeypatch, publish):
    """What the drawing is given is the card, which names no place below the town."""
    drawn = []
    monkeypatch.setattr("nightout.finder.share_image.share_png",
                        lambda **lines: drawn.append(lines) or b"png")
    from django.test import Client
    event = publish(title="Quiet Lane Potluck", address="1234 Quiet Lane, Agawam, MA")
    Client().get(reverse("finder:event_image", args=[event.pk]))
    (lines,) = drawn
    assert "1234" not in json.dumps(lines) and "Quiet Lane," not in json.dumps(lines)
    assert "host" not in json.dumps(lines).lower()


def test_the_share_image_answers_304_to_a_client_that_has_it_and_heads(client, home_party):
    url = reverse("finder:event_image", args=[home_party.pk])
    first = client.get(url)
    assert first["ETag"].startswith('"') and "max-age" in first["Cache-Control"]
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.head(url).status_code == 200


def test_a_changed_title_gives_a_new_image_tag_and_address(client, publish, coordinator):
    event = publish(title="Old Title")
    page = client.get(reverse("finder:event", args=[event.pk])).content.decode()
    old_image = json_ld(page)["image"][0]
    old_tag = client.get(reverse("finder:event_image", args=[event.pk]))["ETag"]
    from dataclasses import replace
    data = replace(event_as_input(event), title="New Title")
    event_update(event=event, data=data, actor=Actor.of(coordinator))
    page = client.get(reverse("finder:event", args=[event.pk])).content.decode()
    assert json_ld(page)["image"][0] != old_image
    response = client.get(reverse("finder:event_image", args=[event.pk]),
                          headers={"If-None-Match": old_tag})
    assert response.status_code == 200 and response["ETag"] != old_tag


def test_an_unpublished_party_has_no_share_image(client, publish):
    event = publish(approve=False)
    assert client.get(reverse("finder:event_image", args=[event.pk])).status_code == 404


def test_pages_without_an_image_of_their_own_share_the_sites(client):
    image = png(client.get(reverse("finder:site_image")))
    assert image.size == (1200, 630)


# schema.org Event

GOOGLE_REQUIRED = {"name", "startDate", "location"}
GOOGLE_RECOMMENDED = {"description", "endDate", "eventStatus", "image", "offers", "organizer"}
STATUSES = {f"https://schema.org/{s}" for s in (
    "EventScheduled", "EventCancelled", "EventPostponed", "EventRescheduled",
    "EventMovedOnline")}
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def rich_result_problems(data: dict) -> list[str]:
    """What Google's Event rich result would reject or warn about in `data`."""
    found = [f"missing {p}" for p in sorted((GOOGLE_REQUIRED | GOOGLE_RECOMMENDED) - set(data))]
    if data.get("@context") != "https://schema.org" or data.get("@type") != "Event":
        found.append("not a schema.org Event")
    for key in ("startDate", "endDate", "previousStartDate"):
        if key in data and not ISO_WITH_OFFSET.match(data[key]):
            found.append(f"{key} {data[key]!r} has no offset")
    if data.get("eventStatus") not in STATUSES:
        found.append(f"eventStatus {data.get('eventStatus')!r}")
    if data.get("eventStatus", "").endswith("EventRescheduled") and "previousStartDate" not in data:
        found.append("rescheduled without previousStartDate")
    location = data.get("location", {})
    if location.get("@type") != "Place" or "addressLocality" not in location.get("address", {}):
        found.append("location is not a Place with an address")
    organizer = data.get("organizer", {})
    if organizer.get("@type") not in ("Organization", "Person") or not organizer.get("url"):
        found.append("organizer without a type or a url")
    images = data.get("image", [])
    if not images or any(not str(u).startswith(("http://", "https://")) for u in images):
        found.append("image is not a list of absolute URLs")
    return found


def test_the_event_json_ld_has_what_googles_event_result_asks_for(client, park_event):
    html = client.get(reverse("finder:event", args=[park_event.pk])).content.decode()
    data = json_ld(html)
    assert rich_result_problems(data) == []
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert "previousStartDate" not in data


def test_the_json_ld_image_is_the_events_share_image(client, park_event):
    html = client.get(reverse("finder:event", args=[park_event.pk])).content.decode()
    (url,) = json_ld(html)["image"]
    assert url.startswith(f"http://testserver/events/{park_event.pk}/share.png?v=")
    assert png(client.get(url)).size == (1200, 630)
    assert Head(html).meta["og:image"] == [url] and Head(html).meta["twitter:image"] == [url]


def test_the_organizer_is_the_towns_night_at_its_website_or_its_season_page(
        client, park_event, season):
    html = client.get(reverse("finder:event", args=[park_event.pk])).content.decode()
    organizer = json_ld(html)["organizer"]
    assert organizer == {"@type": "Organization", "name": "Agawam National Night Out",
                         "url": "http://testserver/?town=agawam&when=2017"}
    Jurisdiction.objects.filter(pk=season.jurisdiction_id).update(
        website="https://www.agawam.ma.us/nno")
    html = client.get(reverse("finder:event", args=[park_event.pk])).content.decode()
    assert json_ld(html)["organizer"]["url"] == "https://www.agawam.ma.us/nno"


def test_a_cancelled_party_keeps_its_page_saying_so(client, home_party):
    event_cancel(event=home_party, actor=Actor.host(home_party), reason="Family emergency")
    response = client.get(reverse("finder:event", args=[home_party.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    data = json_ld(html)
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert rich_result_problems(data) == ["missing offers"]  # nothing to book any more
    assert "Cancelled." in html and "Family emergency" not in html
    assert "Add to calendar" not in html
    assert Head(html).meta["og:title"] == ["Cancelled: Quiet Lane Potluck"]
    assert sharing.share_card(home_party).status == ""  # the row given, not re-read
    image = client.get(reverse("finder:event_image", args=[home_party.pk]))
    assert image.status_code == 200


def test_a_party_cancelled_before_approval_leaves_no_page(client, publish):
    event = publish(approve=False)
    event_cancel(event=event, actor=Actor.host(event))
    assert client.get(reverse("finder:event", args=[event.pk])).status_code == 404
    assert client.get(reverse("finder:event_image", args=[event.pk])).status_code == 404


def test_a_party_moved_to_its_rain_date_is_rescheduled_from_its_first_start(
        client, rainy, publish):
    event = publish(title="Rainy Potluck")
    event_move_to_rain_date(event=event, actor=Actor.host(event))
    html = client.get(reverse("finder:event", args=[event.pk])).content.decode()
    data = json_ld(html)
    assert data["eventStatus"] == "https://schema.org/EventRescheduled"
    assert data["previousStartDate"] == "2017-08-01T17:00:00-04:00"
    assert data["startDate"] == "2017-08-02T17:00:00-04:00"
    assert data["endDate"] == "2017-08-02T20:30:00-04:00"
    assert rich_result_problems(data) == []
    assert "Moved to its rain date" in html and "Wednesday 2 August 2017" in html
    event.refresh_from_db()
    card = sharing.share_card(event)
    assert card.when == "Wednesday 2 August 2017" and card.status == "Moved to its rain date"


def test_the_json_ld_of_a_private_home_carries_no_address_pin_or_host(client, home_party):
    html = client.get(reverse("finder:event", args=[home_party.pk])).content.decode()
    text = json.dumps(json_ld(html))
    for secret in ("1234", "42.071234", "-72.618765", "Hidden Host", "secret@example.org",
                   "413-555"):
        assert secret not in text
    assert json_ld(html)["location"]["name"] == "1200 block of Quiet Ln"


# Meta description and link previews on every public page


def public_pages(client, season, event) -> list[str]:
    from nightout.surveys.tokens import survey_url
    return [
        "/", "/?q=Agawam", reverse("finder:event", args=[event.pk]),
        reverse("registry:register_index"), reverse("registry:register", args=[season.slug]),
        reverse("registry:home"), reverse("finder:widget_snippets"),
        reverse("surveys:results", args=[season.slug]),
        reverse("reports:transparency", args=[season.jurisdiction.slug]),
        survey_url(event), reverse("accounts:login"),
        "/no-such-page/",
    ]


def test_every_public_page_has_one_meta_description_and_link_preview_tags(
        client, season, park_event):
    descriptions = set()
    for url in public_pages(client, season, park_event):
        response = client.get(url)
        assert response.status_code in (200, 404, 410), url  # 410: registration closed
        meta = Head(response.content.decode()).meta
        (description,) = meta["description"]
        assert 50 <= len(description) <= 300, (url, description)
        assert meta["og:description"] == [description], url
        for key in ("og:title", "og:url", "og:image", "twitter:card", "twitter:image"):
            (value,) = meta[key]
            assert value, (url, key)
        assert meta["og:image"][0].startswith("http://testserver/"), url
        assert meta["og:url"][0].startswith("http://testserver/"), url
        descriptions.add(description)
    # Each kind of page says what it is: not one sentence for all.
    assert len(descriptions) >= 8


def test_the_event_pages_description_says_when_and_where_in_the_towns_zone(
        client, home_party):
    html = client.get(reverse("finder:event", args=[home_party.pk])).content.decode()
    (description,) = Head(html).meta["description"]
    assert description == ("Block party for National Night Out, Tuesday 1 August 2017, "
                           "5:00 PM to 8:30 PM EDT, 1200 block of Quiet Ln, Agawam, MA.")
    assert Head(html).meta["og:url"] == [f"http://testserver/events/{home_party.pk}/"]


def test_the_widget_has_a_meta_description(client, park_event, season):
    html = client.get(reverse("finder:widget", args=[season.jurisdiction.slug])).content.decode()
    (description,) = Head(html).meta["description"]
    assert "Agawam, MA" in description
