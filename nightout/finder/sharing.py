"""What an event's page tells the sites, apps and search engines it is shared to: its status,
its share image's lines, its description, and its schema.org Event. Everything comes from
public data only: the title, the town, the times in the town's zone, and the place as
`public_place` gives it; never a host's contact, never a private home's address.
"""

import dataclasses
import hashlib

from django.utils.formats import date_format

from nightout.finder.places import PublicPlace
from nightout.registry.models import Event, EventStatus
from nightout.text import writable

SCHEMA = "https://schema.org/"
SCHEDULED, CANCELLED, RESCHEDULED = "EventScheduled", "EventCancelled", "EventRescheduled"
# Part of every share image's ETag: a new drawing (share_image.py) gets new tags.
DRAWING = "1"


def event_status(event: Event) -> str:
    """schema.org's eventStatus: cancelled, moved to its rain date, or as planned."""
    if event.status == EventStatus.CANCELLED:
        return CANCELLED
    if event.rescheduled_from is not None:
        return RESCHEDULED
    return SCHEDULED


def _line(text: str) -> str:
    return writable(text, single_line=True)


def _day(moment) -> str:
    return date_format(moment, "l j F Y")


def _hours(event: Event) -> str:
    zone = event.season.jurisdiction.zone
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    return f"{date_format(start, 'g:i A')} – {date_format(end, 'g:i A')} {end.tzname()}"


@dataclasses.dataclass(frozen=True)
class ShareCard:
    """The lines of an event's share image."""

    heading: str  # "National Night Out · Agawam, MA"
    title: str
    when: str  # "Tuesday 1 August 2017", on the town's clock
    hours: str  # "5:00 PM – 8:30 PM EDT"
    status: str  # "", "Cancelled", "Moved to its rain date"

    @property
    def etag(self) -> str:
        """A strong entity tag: the same lines give the same image."""
        text = "\x1f".join([DRAWING, *dataclasses.astuple(self)])
        return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


SITE_CARD = ShareCard(heading="National Night Out", title="Find a party near you",
                      when="Meet your neighbors, police and fire",
                      hours="Register a party, or find one in your town", status="")


def share_card(event: Event) -> ShareCard:
    """The share image's lines, from the event's public side (its season and town joined)."""
    town = event.season.jurisdiction
    status = {CANCELLED: "Cancelled", RESCHEDULED: "Moved to its rain date"}.get(
        event_status(event), "")
    return ShareCard(
        heading=_line(f"National Night Out · {town.name}, {town.state}"),
        title=_line(event.title), when=_day(event.starts_at.astimezone(town.zone)),
        hours=_hours(event), status=status)


def event_description(event: Event, place: PublicPlace) -> str:
    """One or two sentences for the page's meta description and link previews."""
    zone = event.season.jurisdiction.zone
    start = event.starts_at.astimezone(zone)
    said = {CANCELLED: "Cancelled: ", RESCHEDULED: "Moved to its rain date: "}.get(
        event_status(event), "")
    return _line(f"{said}{event.get_kind_display()} for National Night Out, {_day(start)}, "
                 f"{_hours(event).replace(' – ', ' to ')}, {place.display}.")


def organizer(event: Event, *, season_url: str) -> dict:
    """The organizer the public may see: the town's National Night Out, at the town's own
    website when it has one, else at the season's page of the finder; never a host."""
    town = event.season.jurisdiction
    return {"@type": "Organization", "name": _line(f"{town.name} National Night Out"),
            "url": town.website or season_url}


def event_json_ld(event: Event, place: PublicPlace, *, page_url: str, image_url: str,
                  season_url: str) -> dict:
    """schema.org Event (Google's Event rich result: name, startDate, location required;
    description, endDate, eventStatus, image, offers, organizer recommended), with offsets
    on its times and the public place."""
    zone = event.season.jurisdiction.zone
    address = {"@type": "PostalAddress", "addressLocality": _line(place.locality),
               "addressRegion": _line(place.region), "addressCountry": "US"}
    if place.street_address:
        address["streetAddress"] = _line(place.street_address)
    if place.postal_code:
        address["postalCode"] = _line(place.postal_code)
    status = event_status(event)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": _line(event.title),
        "description": writable(event.description) or event_description(event, place),
        "startDate": event.starts_at.astimezone(zone).isoformat(),
        "endDate": event.ends_at.astimezone(zone).isoformat(),
        "eventStatus": SCHEMA + status,
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "isAccessibleForFree": True,
        "url": page_url,
        "image": [image_url],
        "location": {
            "@type": "Place",
            "name": _line(place.name or f"{place.locality}, {place.region}"),
            "address": address,
            "geo": {"@type": "GeoCoordinates", "latitude": place.latitude,
                    "longitude": place.longitude},
        },
        "organizer": organizer(event, season_url=season_url),
    }
    if status != CANCELLED:  # free, open to all: nothing to book
        data["offers"] = {"@type": "Offer", "price": 0, "priceCurrency": "USD",
                          "url": page_url, "availability": SCHEMA + "InStock"}
    if status == RESCHEDULED:
        data["previousStartDate"] = event.rescheduled_from.astimezone(zone).isoformat()
    return data
