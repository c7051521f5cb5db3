"""iCalendar (RFC 5545) files: one event, or a season's or a town's subscribable feed.

Times are written in the event's town zone (DTSTART;TZID=America/New_York:...) with the
matching VTIMEZONE, so every calendar shows 5 pm as 5 pm in Chicopee. Places go through
`public_place`: a private home is a block and a fuzzed GEO, never its address. Text goes
through `calendar_text`: what a content line cannot carry is left out, and one-line properties
(the summary, the place, the calendar's name) are one line.
"""

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, vGeo, vText
from icalendar import Event as VEvent

from nightout.finder.places import public_place
from nightout.text import calendar_text

PRODID = "-//nightout//National Night Out finder//EN"


def uid_for(pk: int) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "nightout"
    return f"event-{pk}@{host}"


def _vevent(event, url: str) -> VEvent:
    zone = event.season.jurisdiction.zone
    place = public_place(event)
    vevent = VEvent()
    vevent.add("uid", uid_for(event.pk))
    vevent.add("dtstamp", event.updated_at.astimezone(dt.UTC))
    vevent.add("last-modified", event.updated_at.astimezone(dt.UTC))
    vevent.add("dtstart", event.starts_at.astimezone(zone))
    vevent.add("dtend", event.ends_at.astimezone(zone))
    vevent.add("summary", calendar_text(event.title, single_line=True))
    lines = [calendar_text(event.description)] if event.description else []
    names = [calendar_text(a.name, single_line=True) for a in event.activities.all()]
    if names:
        lines.append("Activities: " + ", ".join(names))
    if event.rain_date:
        lines.append(f"Rain date: {event.rain_date:%A %-d %B %Y}")
    lines.append(url)
    vevent.add("description", "\n".join(lines))
    vevent.add("location", calendar_text(place.display, single_line=True))
    vevent["geo"] = vGeo((place.latitude, place.longitude))
    vevent.add("url", url)
    vevent.add("status", "CONFIRMED")
    vevent.add("transp", "OPAQUE")
    if names:
        vevent.add("categories", names)
    return vevent


def calendar_bytes(events: Iterable, *, name: str, url_of, feed: bool = False) -> bytes:
    """The VCALENDAR of `events` (with their seasons, towns and activities joined);
    `url_of(event)` gives each event page's absolute address."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # A text value, escaped as one: written raw, "Agawam, MA" read as "Agawam" in vobject.
    calendar.add("x-wr-calname", vText(calendar_text(name, single_line=True)))
    zones, years = set(), set()
    for event in events:
        zones.add(event.season.jurisdiction.time_zone)
        years.add(event.starts_at.year)
        calendar.add_component(_vevent(event, url_of(event)))
    if len(zones) == 1:
        calendar.add("x-wr-timezone", zones.pop())
    if feed:
        calendar.add("refresh-interval", dt.timedelta(hours=6), parameters={"VALUE": "DURATION"})
        calendar.add("x-published-ttl", "PT6H")
    if years:
        # Only the years the events need: a short VTIMEZONE that every reader takes
        # (vobject misreads the 1970-2038 one icalendar writes by default).
        calendar.add_missing_timezones(first_date=dt.date(min(years) - 1, 1, 1),
                                       last_date=dt.date(max(years) + 2, 1, 1))
    return calendar.to_ical()
