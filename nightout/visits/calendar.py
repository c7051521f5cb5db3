"""A unit's itinerary as an iCalendar file: one event per stop, in the town's zone, written by
the site's one iCalendar writer (`nightout.calendars`). It is the crew's, not the public's:
the party's address and pin are where the crew goes."""

from nightout import calendars
from nightout.registry.models import Season
from nightout.visits.models import Stop, Unit

PRODUCT = "visits"


def _entry(stop: Stop, zone) -> calendars.Entry:
    event = stop.event
    return calendars.Entry(
        uid=calendars.uid(f"stop-{stop.version_id}-{stop.event_id}-{stop.kind}"),
        summary=f"{stop.order}. {event.title}",
        starts_at=stop.start, ends_at=stop.departure, zone=zone,
        # A new plan version makes new stops (its id is in their UID), so a stop's
        # time and place are those it was made with.
        changed_at=stop.start,
        location=event.address, point=(event.latitude, event.longitude),
        notes=(f"Arrive {stop.arrival.astimezone(zone):%H:%M}, {stop.get_kind_display()} visit.",),
    )


def unit_calendar(season: Season, unit: Unit, stops: list[Stop]) -> bytes:
    zone = season.jurisdiction.zone
    return calendars.calendar_bytes((_entry(stop, zone) for stop in stops),
                                    name=f"{unit.name} — {season}", product=PRODUCT)
