"""Moving an event to its rain date: the weather called the night off, so the party is held
on the rain date it was registered with, at the same hours on the town's clock. The public
side says it was rescheduled, and from when (`Event.rescheduled_from`)."""

import datetime as dt

from django.db import transaction

from nightout.errors import Invalid
from nightout.registry.actors import Actor, audit_record
from nightout.registry.models import Event, EventStatus
from nightout.registry.services._access import check_event_actor
from nightout.registry.services._inputs import audit_text

NO_RAIN_DATE = "This event has no rain date to move to."
ALREADY_ON_RAIN_DATE = "This event is already on its rain date."
NOT_MOVABLE = "Only a submitted or approved event can move to its rain date."


@transaction.atomic
def event_move_to_rain_date(*, event: Event, actor: Actor) -> Event:
    """Hold `event` on its rain date, at the same hours in the town's zone; its host
    (through the private link) or a coordinator, anyone else is refused (`NotAllowed`). The
    first start it had is kept, for the public side to say it moved."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    check_event_actor(actor, event)
    if event.status not in (EventStatus.SUBMITTED, EventStatus.APPROVED):
        raise Invalid(NOT_MOVABLE)
    if event.rain_date is None:
        raise Invalid(NO_RAIN_DATE)
    zone = event.season.jurisdiction.zone
    start = event.starts_at.astimezone(zone)
    if start.date() == event.rain_date:
        raise Invalid(ALREADY_ON_RAIN_DATE)
    moved = dt.datetime.combine(event.rain_date, start.time(), tzinfo=zone)
    before = {"starts_at": event.starts_at, "ends_at": event.ends_at}
    event.rescheduled_from = event.rescheduled_from or event.starts_at
    event.starts_at, event.ends_at = moved, moved + (event.ends_at - event.starts_at)
    event.sequence += 1  # calendars holding it show the new day
    event.full_clean(validate_constraints=False)
    event.save(update_fields=["starts_at", "ends_at", "rescheduled_from", "sequence",
                              "updated_at"])
    audit_record(actor=actor, season=event.season, event=event, action="moved to rain date",
                 changes={name: [audit_text(value, zone), audit_text(getattr(event, name), zone)]
                          for name, value in before.items()})
    return event
