"""Moving an event to its rain date: the weather called the night off, so the party is held
on the rain date it was registered with, at the same hours on the town's clock. The public
side says it was rescheduled, and from when (`Event.rescheduled_from`)."""

from django.db import transaction

from nightout.errors import Invalid
from nightout.registry.actors import Actor, audit_record
from nightout.registry.models import Event
from nightout.registry.rules import (
    ALREADY_ON_RAIN_DATE,
    NO_RAIN_DATE,
    NOT_MOVABLE,
    rain_date_hours,
    rain_date_refusal,
)
from nightout.registry.services._access import check_event_actor
from nightout.registry.services._inputs import audit_text
from nightout.registry.services._resolve import notify_host

# The refusals are the rules' (the pages ask `rain_date_refusal` before offering the move).
__all__ = ["ALREADY_ON_RAIN_DATE", "NOT_MOVABLE", "NO_RAIN_DATE", "event_move_to_rain_date"]


@transaction.atomic
def event_move_to_rain_date(*, event: Event, actor: Actor) -> Event:
    """Hold `event` on its rain date, at the same hours in the town's zone; its host
    (through the private link) or a coordinator, anyone else is refused (`NotAllowed`). The
    first start it had is kept, for the public side to say it moved. A host who did not
    make the move is emailed the new day, after the move is committed."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    check_event_actor(actor, event)
    refusal = rain_date_refusal(event)
    if refusal:
        raise Invalid(refusal)
    zone = event.season.jurisdiction.zone
    before = {"starts_at": event.starts_at, "ends_at": event.ends_at}
    event.rescheduled_from = event.rescheduled_from or event.starts_at
    event.starts_at, event.ends_at = rain_date_hours(event)
    event.sequence += 1  # calendars holding it show the new day
    event.full_clean(validate_constraints=False)
    event.save(update_fields=["starts_at", "ends_at", "rescheduled_from", "sequence",
                              "updated_at"])
    audit_record(actor=actor, season=event.season, event=event, action="moved to rain date",
                 changes={name: [audit_text(value, zone), audit_text(getattr(event, name), zone)]
                          for name, value in before.items()})
    if not actor.is_host_of(event):
        notify_host(event, "moved_to_rain_date")
    return event
