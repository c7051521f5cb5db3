"""A host's (or the town's) cancellation of an event, and taking it back."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from nightout.errors import Invalid
from nightout.registry import rules
from nightout.registry.actors import Actor, audit_record
from nightout.registry.models import (
    ACTIVE_CLOSURE,
    ClosureStatus,
    Event,
    EventStatus,
    PendingChange,
)
from nightout.registry.services._access import check_event_actor
from nightout.registry.services._inputs import check_reason

NOT_CANCELLED = "This event is not cancelled: there is nothing to restore."


@transaction.atomic
def event_cancel(*, event: Event, actor: Actor, reason: str = "") -> Event:
    """The host (through the private link) or a coordinator cancels an event, with a reason
    kept for the town. Anyone else is refused (`NotAllowed`)."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    check_event_actor(actor, event)
    check_reason(reason)
    if event.status == EventStatus.CANCELLED:
        return event
    previous = event.status
    # Calendars that listed it keep it, as cancelled; one that never was public leaves no trace.
    event.cancelled_in_public = previous == EventStatus.APPROVED
    event.status, event.status_reason = EventStatus.CANCELLED, reason
    event.sequence += 1
    event.save(update_fields=["status", "status_reason", "cancelled_in_public", "sequence",
                              "updated_at"])
    event.closures.filter(ACTIVE_CLOSURE).update(status=ClosureStatus.CANCELLED)
    PendingChange.objects.filter(event=event).delete()  # nothing left to decide
    audit_record(actor=actor, season=event.season, event=event, action="cancelled",
                 changes={"status": [previous, EventStatus.CANCELLED]}, note=reason)
    return event


def _status_before_cancel(event: Event) -> str:
    """What the event was before its latest cancellation, from the audit trail."""
    entry = event.audit_entries.filter(action="cancelled").order_by("-at", "-pk").first()
    change = (entry.changes.get("status") if entry else None) or [EventStatus.SUBMITTED]
    return change[0]


@transaction.atomic
def event_restore(*, event: Event, actor: Actor, now: dt.datetime | None = None) -> Event:
    """The host (through the private link) or a coordinator takes back a cancellation, while
    the season still takes changes (`rules.changes_open`: until the night). The event goes
    back to the coordinator's review (submitted), as a new registration does, or, if it had
    been rejected, stays rejected (the host changes it to be reviewed again). Its street
    closure, cancelled with it, stays cancelled: the host asks for it again by changing the
    event, under the closure's own deadlines. Anyone else is refused (`NotAllowed`)."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    check_event_actor(actor, event)
    if event.status != EventStatus.CANCELLED:
        raise Invalid(NOT_CANCELLED)
    at = now or timezone.now()
    closed = rules.changes_open(event.season, at)
    if closed:
        raise Invalid(closed)
    status = (EventStatus.REJECTED if _status_before_cancel(event) == EventStatus.REJECTED
              else EventStatus.SUBMITTED)
    event.status, event.status_reason = status, ""
    # Calendars that marked it cancelled learn of the change; it is public again only once
    # approved again.
    event.cancelled_in_public = False
    event.sequence += 1
    event.save(update_fields=["status", "status_reason", "cancelled_in_public", "sequence",
                              "updated_at"])
    audit_record(actor=actor, season=event.season, event=event, action="restored",
                 changes={"status": [EventStatus.CANCELLED, status]}, at=at)
    return event
