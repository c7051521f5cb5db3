"""A unit's itinerary as an iCalendar file: one event per stop, in the town's zone, written by
the site's one iCalendar writer (`nightout.calendars`). It is the crew's, not the public's:
the party's address and pin are where the crew goes.

A visit's UID is what identifies it, the unit, the party and the night, never a plan
version's stop: a new version (a re-plan, a moved stop) or an edit of the party changes the
entry in a calendar that holds it instead of adding a second one. Its SEQUENCE counts the
changes of its time along the versions (`visit_histories`) and of the party's time, place and
status (`Event.sequence`); a cancelled party's stop is STATUS:CANCELLED.
"""

from django.utils import timezone

from nightout import calendars
from nightout.registry.models import EventStatus, Season
from nightout.visits.models import Stop, Unit
from nightout.visits.selectors import VisitHistory

PRODUCT = "visits"


def visit_uid(season: Season, unit: Unit, event_id: int) -> str:
    """The UID of `unit`'s visit to the party `event_id` on the season's night."""
    return calendars.uid(f"visit-{unit.pk}-event-{event_id}-{season.nno_date:%Y%m%d}")


def _entry(season: Season, unit: Unit, stop: Stop, history: VisitHistory | None
           ) -> calendars.Entry:
    zone = season.jurisdiction.zone
    event = stop.event
    changed = [at for at in (history and history.changed_at, event.updated_at) if at]
    return calendars.Entry(
        uid=visit_uid(season, unit, stop.event_id),
        summary=f"{stop.order}. {event.title}",
        starts_at=stop.start, ends_at=stop.departure, zone=zone,
        changed_at=max(changed) if changed else timezone.now(),
        location=event.address, point=(event.latitude, event.longitude),
        notes=(f"Arrive {stop.arrival.astimezone(zone):%H:%M}, {stop.get_kind_display()} visit.",),
        sequence=(history.changes if history else 0) + event.sequence,
        cancelled=event.status == EventStatus.CANCELLED,
    )


def unit_calendar(season: Season, unit: Unit, stops: list[Stop],
                  histories: dict[int, VisitHistory] | None = None) -> bytes:
    """The calendar of `unit`'s `stops`; `histories` (event id -> `VisitHistory`, from
    `visit_histories`) say how each visit changed along the plan's versions."""
    histories = histories or {}
    return calendars.calendar_bytes(
        (_entry(season, unit, stop, histories.get(stop.event_id)) for stop in stops),
        name=f"{unit.name} — {season}", product=PRODUCT)
