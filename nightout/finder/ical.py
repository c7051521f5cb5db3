"""The finder's calendar files: one event, or a season's or a town's subscribable feed,
written by the site's one iCalendar writer (`nightout.calendars`).

Places go through `public_place`: a private home is a block and a fuzzed GEO, never its
address. An event's SEQUENCE is its count of changes of time, date, place and status
(`Event.sequence`), LAST-MODIFIED its public side's last change; one cancelled after it was
public is listed as cancelled (`nightout.finder.selectors.calendar_listed`).
"""

from collections.abc import Iterable

from nightout import calendars
from nightout.finder.places import public_place
from nightout.registry.models import EventStatus

PRODUCT = "National Night Out finder"


def uid_for(pk: int) -> str:
    """The event's UID, in every calendar file and feed of the finder."""
    return calendars.uid(f"event-{pk}")


def _entry(event, url: str) -> calendars.Entry:
    place = public_place(event)
    names = tuple(a.name for a in event.activities.all())
    notes = ("Activities: " + ", ".join(names),) if names else ()
    if event.rain_date:
        notes += (f"Rain date: {event.rain_date:%A %-d %B %Y}",)
    return calendars.Entry(
        uid=uid_for(event.pk), summary=event.title,
        starts_at=event.starts_at, ends_at=event.ends_at, zone=event.season.jurisdiction.zone,
        changed_at=event.updated_at, location=place.display,
        point=(place.latitude, place.longitude), description=event.description, notes=notes,
        url=url, categories=names, sequence=event.sequence,
        cancelled=event.status == EventStatus.CANCELLED,
    )


def calendar_bytes(events: Iterable, *, name: str, url_of, feed: bool = False) -> bytes:
    """The VCALENDAR of `events` (with their seasons, towns and activities joined);
    `url_of(event)` gives each event page's absolute address."""
    return calendars.calendar_bytes((_entry(event, url_of(event)) for event in events),
                                    name=name, product=PRODUCT, feed=feed)
