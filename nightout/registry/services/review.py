"""The coordinator's review: approve or reject an event (one or many at once), and accept or
decline a host's change waiting on an approved event. Each is for the town's coordinators
only; anyone else is refused (`NotAllowed`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from nightout.errors import Invalid
from nightout.finder.places import public_point_refresh
from nightout.registry.actors import Actor, audit_record
from nightout.registry.models import (
    ACTIVE_CLOSURE,
    Closure,
    ClosureStatus,
    Event,
    EventStatus,
    PendingChange,
    Season,
)
from nightout.registry.services._access import check_reviewer
from nightout.registry.services._inputs import Errors, check_reason, model_errors
from nightout.registry.services._resolve import notify_host, same_block
from nightout.registry.services.events import (
    _differences,
    _pending_values,
    calendar_values,
    sequence_bump,
)

NOT_REVIEWABLE = "Only submitted or approved events can be {action}."
REASON_REQUIRED = "Say why, for the host: the reason is sent to them."
NO_PENDING_CHANGE = "This event has no change waiting for review."
CHANGE_MOVED = ("The host changed this again since you opened it: look at the change as it "
                "is now and decide again.")
UNKNOWN_DECISION = "Choose approve or reject."
NOT_REOPENABLE = "Only a rejected or cancelled event can be reopened; this one is {status}."


def _pending_to_decide(event: Event, version: str) -> PendingChange:
    """The waiting change the coordinator decides on: the one they saw (`version`), of an
    approved event."""
    pending = PendingChange.objects.filter(event=event).first()
    if pending is None or event.status != EventStatus.APPROVED:
        raise Invalid(NO_PENDING_CHANGE)
    if version != pending.version:
        raise Invalid(CHANGE_MOVED)
    return pending


@transaction.atomic
def event_change_accept(*, event: Event, user, version: str) -> Event:
    """The coordinator accepts the host's waiting change, as they saw it (`version`): it is
    written to the event, which stays approved, and the host is told."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    check_reviewer(user, event)
    pending = _pending_to_decide(event, version)
    values, activities = _pending_values(pending)
    shown = _differences(event, values, activities)
    before = calendar_values(event)
    for name, value in values.items():
        setattr(event, name, value)
    errors = Errors()
    model_errors(event, errors)
    errors.raise_if_any()
    event.same_block_as = same_block(event)
    public_point_refresh(event)
    sequence_bump(event, before)
    event.save()
    if activities is not None:
        event.activities.set(activities)
    audit_record(actor=Actor.of(user), season=event.season, event=event,
                 action="change accepted", changes=shown)
    pending.delete()
    notify_host(event, "change_accepted")
    return event


@transaction.atomic
def event_change_decline(*, event: Event, user, reason: str, version: str) -> Event:
    """The coordinator declines the host's waiting change, as they saw it (`version`), with a
    reason the host is sent; the event keeps its approved version."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    check_reviewer(user, event)
    if not reason.strip():
        raise Invalid({"reason": REASON_REQUIRED})
    check_reason(reason)
    pending = _pending_to_decide(event, version)
    audit_record(actor=Actor.of(user), season=event.season, event=event,
                 action="change declined", changes=pending.changes, note=reason)
    pending.delete()
    notify_host(event, "change_declined", reason=reason)
    return event


def _next_permit_number(season: Season) -> str:
    Season.objects.select_for_update().filter(pk=season.pk).first()  # one issuer at a time
    prefix = f"{season.permit_label}-{season.year}-"
    last = (
        Closure.objects.filter(event__season=season, permit_number__startswith=prefix)
        .aggregate(last=Max("permit_number"))["last"]
    )
    number = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:05d}"


@transaction.atomic
def event_approve(*, event: Event, user) -> Event:
    """Approve an event; an active closure is approved with a new permit number."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    check_reviewer(user, event)
    if event.status not in (EventStatus.SUBMITTED, EventStatus.APPROVED):
        raise Invalid(NOT_REVIEWABLE.format(action="approved"))
    changes = {}
    if event.status != EventStatus.APPROVED:
        changes["status"] = [event.status, EventStatus.APPROVED]
        event.sequence += 1
    event.status, event.status_reason, event.reviewed_at = EventStatus.APPROVED, "", timezone.now()
    # Approved again, unchanged: what the public sees did not change, nor its "last changed".
    event.save(update_fields=["status", "status_reason", "reviewed_at", "sequence",
                              *(["updated_at"] if changes else [])])
    closure = event.closures.filter(status=ClosureStatus.REQUESTED).first()
    if closure:
        closure.status = ClosureStatus.APPROVED
        closure.permit_number = _next_permit_number(event.season)
        closure.decided_at = event.reviewed_at
        closure.save(update_fields=["status", "permit_number", "decided_at"])
        changes["closure"] = [ClosureStatus.REQUESTED, closure.permit_number]
    if changes:
        audit_record(actor=Actor.of(user), season=event.season, event=event,
                     action="approved", changes=changes)
        notify_host(event, "approved")
    return event


@transaction.atomic
def event_reject(*, event: Event, user, reason: str) -> Event:
    """Reject an event with a reason the host is sent; its closure request is rejected too."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    check_reviewer(user, event)
    if not reason.strip():
        raise Invalid({"reason": REASON_REQUIRED})
    check_reason(reason)
    if event.status not in (EventStatus.SUBMITTED, EventStatus.APPROVED):
        raise Invalid(NOT_REVIEWABLE.format(action="rejected"))
    previous = event.status
    event.status, event.status_reason = EventStatus.REJECTED, reason.strip()
    event.reviewed_at = timezone.now()
    event.sequence += 1
    event.save(update_fields=["status", "status_reason", "reviewed_at", "sequence",
                              "updated_at"])
    PendingChange.objects.filter(event=event).delete()  # nothing left to decide
    event.closures.filter(ACTIVE_CLOSURE).update(
        status=ClosureStatus.REJECTED, status_reason=reason.strip(), decided_at=event.reviewed_at
    )
    audit_record(actor=Actor.of(user), season=event.season, event=event, action="rejected",
                 changes={"status": [previous, EventStatus.REJECTED]}, note=reason.strip())
    notify_host(event, "rejected", reason.strip())
    return event


@transaction.atomic
def event_reopen(*, event: Event, user) -> Event:
    """Put a rejected or cancelled event back in the queue (submitted), to be decided again.
    Its street closure, rejected or cancelled with it, stays so: the coordinator (or the host,
    by changing the event) asks for it again. The host is not emailed: the next decision
    is what they hear of."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    check_reviewer(user, event)
    if event.status not in (EventStatus.REJECTED, EventStatus.CANCELLED):
        raise Invalid(NOT_REOPENABLE.format(status=event.get_status_display().lower()))
    previous = event.status
    event.status, event.status_reason = EventStatus.SUBMITTED, ""
    # Calendars that marked it cancelled learn of the change; it is public again only once
    # approved again.
    event.cancelled_in_public = False
    event.sequence += 1
    event.save(update_fields=["status", "status_reason", "cancelled_in_public", "sequence",
                              "updated_at"])
    audit_record(actor=Actor.of(user), season=event.season, event=event, action="reopened",
                 changes={"status": [previous, EventStatus.SUBMITTED]})
    return event


@transaction.atomic
def events_review(*, events, user, decision: str, reason: str = "") -> int:
    """Approve or reject many events at once, all or none: if any cannot be decided, none is,
    and the `Invalid` raised names each that could not (by its id) and why."""
    if decision not in ("approve", "reject"):
        raise Invalid(UNKNOWN_DECISION)
    failed: dict[str, list[str]] = {}
    count = 0
    for event in events:
        try:
            with transaction.atomic():
                if decision == "approve":
                    event_approve(event=event, user=user)
                else:
                    event_reject(event=event, user=user, reason=reason)
        except ValidationError as error:
            failed[str(event.pk)] = error.messages
        else:
            count += 1
    if failed:  # raised out of the transaction: the decisions made are undone
        raise Invalid(failed)
    return count
