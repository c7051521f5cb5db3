"""Writes to the registry. Each is keyword-only, validated and transactional, and records who
did what in the audit trail. Messages a person will read are module constants or come from
`rules`."""

import datetime as dt
import secrets
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from nightout.accounts.permissions import (
    can_manage_jurisdiction,
    can_manage_season,
    can_review_event,
)
from nightout.finder.selectors import public_centre
from nightout.geo.distance import haversine_m
from nightout.geo.geojson import district_of
from nightout.registry import rules
from nightout.registry.activities import STANDARD_ACTIVITIES
from nightout.registry.actors import HOST, Actor, audit_record  # noqa: F401 (re-exported)
from nightout.registry.dates import default_nno_date
from nightout.registry.models import (
    ACTIVE_CLOSURE,
    Activity,
    Closure,
    ClosureFeeTier,
    ClosureStatus,
    Event,
    EventKind,
    EventStatus,
    HostContact,
    Jurisdiction,
    LocationPrecision,
    PendingChange,
    RainDateRule,
    Season,
    UnitKind,
    VisitRequest,
)
from nightout.text import text_problem

NO_LOCATION = (
    "Place the pin on the map, or give a ZIP code in {town} so we can place it near you."
)
NOT_ALLOWED = "You may not review events of {town}."
ALREADY_CANCELLED = "This event was cancelled."
NOT_REVIEWABLE = "Only submitted or approved events can be {action}."
REASON_REQUIRED = "Say why, for the host: the reason is sent to them."
NO_NEXT_SEASON = "{town} has not opened a later season yet."
ALREADY_RENEWED = "This event is already registered for {season}."
UNKNOWN_ACTIVITY = "Unknown activity: {slugs}."
HOST_NAME_REQUIRED = "Give your name, for the coordinator (it is never public)."
HOST_EMAIL_REQUIRED = "Give your email: your private link to the registration goes there."
NO_PENDING_CHANGE = "This event has no change waiting for review."
CHANGE_MOVED = ("The host changed this again since you opened it: look at the change as it "
                "is now and decide again.")


@dataclass(frozen=True)
class HostInput:
    name: str
    email: str
    phone: str = ""
    organization: str = ""


@dataclass(frozen=True)
class ClosureInput:
    street: str
    from_street: str = ""
    to_street: str = ""
    blocks: int = 1
    residential: bool = True
    consent_attested: bool = False
    barricades: int | None = None


@dataclass(frozen=True)
class EventInput:
    """Everything a host (or a spreadsheet row) says about an event."""

    title: str
    address: str
    starts: dt.time
    ends: dt.time
    host: HostInput
    kind: str = EventKind.BLOCK_PARTY
    description: str = ""
    venue: str = ""
    postal_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    is_private_home: bool = True
    show_exact_location: bool = False
    activities: list[str] = field(default_factory=list)
    expected_attendance: int | None = None
    accessibility_notes: str = ""
    rain_date_declined: bool = False
    rain_date: dt.date | None = None
    visits: list[str] = field(default_factory=list)
    visit_times: dict[str, dt.time] = field(default_factory=dict)
    closure: ClosureInput | None = None


class _Errors:
    """Collects messages per field, then raises them together."""

    def __init__(self) -> None:
        self.messages: dict[str, list[str]] = {}

    def add(self, name: str, message: str | None) -> None:
        if message and message not in self.messages.get(name, []):
            self.messages.setdefault(name, []).append(message)

    def raise_if_any(self) -> None:
        if self.messages:
            raise ValidationError(self.messages)


def _resolve(
    season: Season, data: EventInput, at: dt.datetime, errors: _Errors, *,
    existing_visits: frozenset[str] = frozenset(), closure_filed_at: dt.datetime | None = None,
    deadlines: bool = True,
) -> dict:
    """Check `data` against the season's rules; return the derived values. On an edit, visits
    already requested and a closure already filed keep the moment they were first asked for."""
    jurisdiction = season.jurisdiction
    starts_at = season.at(season.nno_date, data.starts)
    ends_at = season.at(season.nno_date, data.ends)
    errors.add("ends", rules.hours_problem(season, starts_at, ends_at))

    latitude, longitude, precision = data.latitude, data.longitude, LocationPrecision.ADDRESS
    if latitude is None or longitude is None:
        centroid = public_centre(jurisdiction=jurisdiction, postal_code=data.postal_code)
        if centroid:
            (latitude, longitude), precision = centroid, LocationPrecision.POSTAL_CODE
        else:
            errors.add("location", NO_LOCATION.format(town=jurisdiction.name))
    elif not rules.inside_jurisdiction(jurisdiction, latitude, longitude):
        errors.add("location", rules.OUTSIDE_JURISDICTION.format(town=jurisdiction.name))

    offered = season.offered_visit_kinds
    for kind in data.visits:
        if kind not in offered:
            label = UnitKind(kind).label if kind in UnitKind.values else kind
            errors.add("visits", rules.VISIT_KIND_NOT_OFFERED.format(
                town=jurisdiction.name, kind=label))
    if deadlines and set(data.visits) - existing_visits:
        errors.add("visits", rules.visits_open(season, at))
    for kind, time in data.visit_times.items():
        if not season.visit_times_allowed:
            errors.add("visits", rules.VISIT_TIMES_NOT_ALLOWED.format(town=jurisdiction.name))
            break
        if kind in data.visits and not data.starts <= time < data.ends:
            errors.add("visits", rules.VISIT_TIME_OUTSIDE_EVENT)

    fee = None
    if data.closure:
        fee = rules.closure_fee(
            season, filed_at=closure_filed_at or at, blocks=data.closure.blocks,
            residential=data.closure.residential, after_deadline_ok=not deadlines,
        )
        if isinstance(fee, str):
            errors.add("closure", fee)
        if season.neighbor_consent_percent and not data.closure.consent_attested:
            errors.add("closure_consent", rules.CONSENT_REQUIRED.format(
                percent=season.neighbor_consent_percent))

    rain_date = rules.rain_date_for(
        season, declined=data.rain_date_declined, chosen=data.rain_date
    )
    if isinstance(rain_date, str):
        errors.add("rain_date", rain_date)

    activities = list(Activity.objects.filter(slug__in=data.activities))
    if len(activities) != len(set(data.activities)):
        missing = sorted(set(data.activities) - {a.slug for a in activities})
        errors.add("activities", UNKNOWN_ACTIVITY.format(slugs=", ".join(missing)))
    return {
        "starts_at": starts_at, "ends_at": ends_at, "latitude": latitude,
        "longitude": longitude, "precision": precision, "fee": fee, "rain_date": rain_date,
        "activities": activities,
    }


def _model_errors(instance, errors: _Errors, prefix: str = "", exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False,
                            validate_constraints=False)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            for message in messages:
                errors.add(f"{prefix}{name}", message)


def _event_fields(season: Season, data: EventInput, derived: dict) -> dict:
    return {
        "season": season,
        "title": data.title.strip(),
        "description": data.description.strip(),
        "kind": data.kind,
        "venue": data.venue.strip(),
        "address": data.address.strip(),
        "postal_code": data.postal_code.strip(),
        "latitude": derived["latitude"] if derived["latitude"] is not None else 0.0,
        "longitude": derived["longitude"] if derived["longitude"] is not None else 0.0,
        "location_precision": derived["precision"],
        "is_private_home": data.is_private_home,
        "show_exact_location": data.show_exact_location,
        "starts_at": derived["starts_at"],
        "ends_at": derived["ends_at"],
        "rain_date": derived["rain_date"],
        "expected_attendance": data.expected_attendance,
        "accessibility_notes": data.accessibility_notes.strip(),
        "block_key": rules.block_key(data.address),
        "district": district_of(season.jurisdiction.districts, derived["latitude"] or 0,
                                derived["longitude"] or 0) or "",
    }


def _same_block(event: Event) -> Event | None:
    if not event.season.one_event_per_block or not event.block_key:
        return None
    return (
        Event.objects.filter(season=event.season, block_key=event.block_key)
        .exclude(pk=event.pk)
        .exclude(status__in=[EventStatus.REJECTED, EventStatus.CANCELLED])
        .order_by("submitted_at", "pk")
        .first()
    )


def _write_requests(event: Event, data: EventInput, derived: dict, at: dt.datetime) -> None:
    event.activities.set(derived["activities"])
    event.visit_requests.exclude(unit_kind__in=data.visits).delete()
    for kind in data.visits:
        VisitRequest.objects.update_or_create(
            event=event, unit_kind=kind,
            defaults={"preferred_time": data.visit_times.get(kind)},
            create_defaults={"preferred_time": data.visit_times.get(kind), "requested_at": at},
        )
    active = event.closures.filter(ACTIVE_CLOSURE).first()
    if data.closure is None:
        if active:
            active.status = ClosureStatus.CANCELLED
            active.save(update_fields=["status"])
        return
    closure = active or Closure(event=event, requested_at=at)
    closure.street = data.closure.street.strip()
    closure.from_street = data.closure.from_street.strip()
    closure.to_street = data.closure.to_street.strip()
    closure.blocks = data.closure.blocks
    closure.residential = data.closure.residential
    closure.barricades = data.closure.barricades or 2 * data.closure.blocks
    closure.consent_attested = data.closure.consent_attested
    closure.consent_percent = event.season.neighbor_consent_percent or None
    closure.fee, closure.fee_label = derived["fee"].amount, derived["fee"].label
    closure.full_clean(validate_constraints=False)
    closure.save()


@transaction.atomic
def event_register(
    *, season: Season, data: EventInput, actor: Actor = HOST, source: str = "web",
    submitted_at: dt.datetime | None = None, import_key: str = "", deadlines: bool = True,
) -> Event:
    """A host registers an event. Every rule of the season is checked; nothing is written
    unless all pass. The event waits for the coordinator (status submitted).

    `deadlines=False` is for a coordinator recording registrations the town already took
    (an import): the registration, visit and closure deadlines then do not apply."""
    at = submitted_at or timezone.now()
    errors = _Errors()
    if deadlines:
        errors.add("__all__", rules.registration_open(season, at))
    derived = _resolve(season, data, at, errors, deadlines=deadlines)
    event = Event(**_event_fields(season, data, derived), status=EventStatus.SUBMITTED,
                  submitted_at=at, source=source, import_key=import_key,
                  manage_secret=secrets.token_urlsafe(24))
    host = HostContact(event=event, **asdict(data.host))
    if source == "web":
        errors.add("host_name", None if data.host.name.strip() else HOST_NAME_REQUIRED)
        errors.add("host_email", None if data.host.email.strip() else HOST_EMAIL_REQUIRED)
    _model_errors(event, errors)
    _model_errors(host, errors, prefix="host_", exclude=["event"])
    if data.closure:
        _model_errors(Closure(event=event, requested_at=at, street=data.closure.street,
                              from_street=data.closure.from_street,
                              to_street=data.closure.to_street),
                      errors, prefix="closure_", exclude=["event"])
    errors.raise_if_any()
    event.save()
    host.event = event
    host.save()
    _write_requests(event, data, derived, at)
    event.same_block_as = _same_block(event)
    if event.same_block_as:
        event.save(update_fields=["same_block_as"])
    audit_record(actor=actor, season=season, event=event, action="registered", at=at,
                 changes={"status": EventStatus.SUBMITTED, "source": source})
    if source == "web":
        _notify_host(event, "registered")
    return event


def _notify_host(event: Event, template: str, reason: str = "") -> None:
    from nightout.registry.tasks import host_email_send

    transaction.on_commit(
        lambda: host_email_send.enqueue(event_id=event.pk, template=template, reason=reason)
    )


# What the public sees of an event (its page, the finder, feeds and calendars). A host's
# change to any of these on an approved event waits for the coordinator (PendingChange).
PUBLIC_FIELDS = (
    "title", "description", "kind", "accessibility_notes",
    "venue", "address", "postal_code", "latitude", "longitude", "location_precision",
    "block_key", "district", "is_private_home", "show_exact_location",
    "starts_at", "ends_at", "rain_date",
)
# The fields that go together when any of them changes: a place is its address, pin and block.
PLACE_FIELDS = ("venue", "address", "postal_code", "latitude", "longitude",
                "location_precision", "block_key", "district")


def _held_for_review(actor: Actor, event: Event) -> bool:
    """Whether `actor`'s edit of an approved event's public side waits for the coordinator:
    the host's does (and anyone's who may not review the event); a coordinator's, and the
    system's (the command line's import), do not."""
    if event.status != EventStatus.APPROVED:
        return False
    if actor.is_system:
        return False
    if actor.user is not None:
        return not can_review_event(actor.user, event)
    return True


def _hides(is_private_home: bool, show_exact_location: bool) -> bool:
    return is_private_home and not show_exact_location


CHANGE_LABELS = {
    "title": "Title", "description": "Description", "kind": "Kind of event",
    "accessibility_notes": "Accessibility notes", "venue": "Venue", "address": "Address",
    "postal_code": "ZIP code", "is_private_home": "At a private home",
    "show_exact_location": "Exact address shown", "starts_at": "Starts", "ends_at": "Ends",
    "rain_date": "Rain date", "pin": "Pin on the map", "activities": "Activities",
}


def _change_shown(before, after, zone) -> list[str]:
    """A field's values before and after, as the coordinator reads them."""
    if isinstance(before, bool) or isinstance(after, bool):
        return ["yes" if before else "no", "yes" if after else "no"]
    return [_shown(before, zone), _shown(after, zone)]


def _differences(event: Event, values: dict, activities: list | None) -> dict:
    """What `values` (field -> new value) and `activities` (the new ones, or None) change of
    `event` as it stands, as the coordinator reads it: label -> [now, after]."""
    zone = event.season.jurisdiction.zone
    changed = [name for name in PUBLIC_FIELDS
               if name in values and values[name] != getattr(event, name)]
    shown = {}
    for name in changed:
        if name in ("latitude", "longitude", "location_precision", "block_key", "district"):
            continue
        shown[CHANGE_LABELS[name]] = _change_shown(getattr(event, name), values[name], zone)
    if "latitude" in changed or "longitude" in changed:
        metres = haversine_m(event.latitude, event.longitude, values["latitude"],
                             values["longitude"])
        shown[CHANGE_LABELS["pin"]] = ["", f"moved {metres:,.0f} m"]
    if activities is not None:
        had = list(event.activities.all())
        if sorted(a.pk for a in had) != sorted(a.pk for a in activities):
            shown[CHANGE_LABELS["activities"]] = [", ".join(sorted(a.name for a in had)),
                                                  ", ".join(sorted(a.name for a in activities))]
    return shown


def _pending_values(pending: PendingChange) -> tuple[dict, list | None]:
    """A waiting change's values as the event's fields take them, and its activities."""
    values = {name: Event._meta.get_field(name).to_python(value)
              for name, value in pending.values.items()}
    activities = (None if pending.activities is None
                  else list(Activity.objects.filter(slug__in=pending.activities)))
    return values, activities


def _hold_public_changes(event: Event, before: dict, activities: list, at: dt.datetime
                         ) -> dict:
    """Put back on `event` the approved values of the public fields the host changed, and
    keep the new ones in its PendingChange (replacing an earlier one). A change that hides
    the place more (a private home no longer shown exactly) is not held: it takes effect at
    once. Returns what waits, as shown to the coordinator (label -> [before, after])."""
    changed = [name for name in PUBLIC_FIELDS if getattr(event, name) != before[name]]
    if _hides(event.is_private_home, event.show_exact_location) and not _hides(
            before["is_private_home"], before["show_exact_location"]):
        changed = [n for n in changed if n not in ("is_private_home", "show_exact_location")]
    held = list(changed)
    if any(name in PLACE_FIELDS for name in held):
        held = list(dict.fromkeys([*held, *PLACE_FIELDS]))
    values = {name: getattr(event, name) for name in held}
    for name in held:
        setattr(event, name, before[name])
    shown = _differences(event, values, activities)
    if not shown:
        PendingChange.objects.filter(event=event).delete()
        return {}
    wanted = sorted(a.slug for a in activities)
    current = sorted(a.slug for a in event.activities.all())
    PendingChange.objects.update_or_create(event=event, defaults={
        "values": {name: value.isoformat() if isinstance(value, dt.date | dt.datetime)
                   else value for name, value in values.items()},
        "activities": wanted if wanted != current else None,
        "changes": shown, "submitted_at": at})
    return shown


def _pending_rebase(event: Event) -> None:
    """After the town changed the event, a host's waiting change still waits, shown against
    the event as it now stands; one the town's change has made moot is dropped."""
    pending = PendingChange.objects.filter(event=event).first()
    if pending is None:
        return
    shown = _differences(event, *_pending_values(pending))
    if shown:
        pending.changes = shown
        pending.save(update_fields=["changes"])
    else:
        pending.delete()


@transaction.atomic
def event_update(*, event: Event, data: EventInput, actor: Actor = HOST,
                 deadlines: bool = True) -> Event:
    """The host (through the private link) or a coordinator changes an event. The host's
    change to an approved event's public side (text, place, hours, activities) waits for the
    coordinator, the approved version staying public meanwhile (`event_change_accept`); what
    only the town sees (contact, attendance, visits, closure) is saved at once, without the
    public's "last changed" moving."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(ALREADY_CANCELLED)
    at = timezone.now()
    errors = _Errors()
    active = event.closures.filter(ACTIVE_CLOSURE).first()
    derived = _resolve(
        event.season, data, at, errors,
        existing_visits=frozenset(event.visit_requests.values_list("unit_kind", flat=True)),
        closure_filed_at=active.requested_at if active else None, deadlines=deadlines,
    )
    fields = _event_fields(event.season, data, derived)
    del fields["season"]
    before = {name: getattr(event, name) for name in fields}
    for name, value in fields.items():
        setattr(event, name, value)
    host = event.host_contact
    for name, value in asdict(data.host).items():
        setattr(host, name, value)
    _model_errors(event, errors)
    _model_errors(host, errors, prefix="host_", exclude=["event"])
    errors.raise_if_any()
    held_for_review = _held_for_review(actor, event)
    held = {}
    if held_for_review:
        held = _hold_public_changes(event, before, derived["activities"], at)
        derived = {**derived, "activities": list(event.activities.all())}
    changes = {
        name: [str(old), str(getattr(event, name))]
        for name, old in before.items() if old != getattr(event, name)
    }
    for label, change in held.items():
        changes[f"{label} (waiting for the coordinator)"] = change
    if event.status == EventStatus.REJECTED:
        changes["status"] = [event.status, EventStatus.SUBMITTED]
        event.status = EventStatus.SUBMITTED
    activities_changed = sorted(a.pk for a in derived["activities"]) != sorted(
        event.activities.values_list("pk", flat=True))
    event.same_block_as = _same_block(event)
    if activities_changed or any(name in PUBLIC_FIELDS for name in changes) or (
            "status" in changes):
        event.save()
    else:  # nothing the public sees: its "last changed" (feeds, calendars) stays
        event.save(update_fields=[*(n for n in changes if n in fields), "same_block_as"])
    host.save()
    _write_requests(event, data, derived, at)
    if not held_for_review:
        _pending_rebase(event)
    audit_record(actor=actor, season=event.season, event=event, action="edited",
                 changes=changes, at=at)
    return event


def _check_reason(reason: str) -> None:
    """A reason is stored and emailed as it is typed: it must be text every writer carries."""
    problem = text_problem(reason, multiline=True)
    if problem:
        raise ValidationError({"reason": problem.message("The reason")})


def _pending_to_decide(event: Event, version: str) -> PendingChange:
    """The waiting change the coordinator decides on: the one they saw (`version`), of an
    approved event."""
    pending = PendingChange.objects.filter(event=event).first()
    if pending is None or event.status != EventStatus.APPROVED:
        raise ValidationError(NO_PENDING_CHANGE)
    if version != pending.version:
        raise ValidationError(CHANGE_MOVED)
    return pending


@transaction.atomic
def event_change_accept(*, event: Event, user, version: str) -> Event:
    """The coordinator accepts the host's waiting change, as they saw it (`version`): it is
    written to the event, which stays approved, and the host is told."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    _check_reviewer(user, event)
    pending = _pending_to_decide(event, version)
    values, activities = _pending_values(pending)
    shown = _differences(event, values, activities)
    for name, value in values.items():
        setattr(event, name, value)
    errors = _Errors()
    _model_errors(event, errors)
    errors.raise_if_any()
    event.same_block_as = _same_block(event)
    event.save()
    if activities is not None:
        event.activities.set(activities)
    audit_record(actor=Actor.of(user), season=event.season, event=event,
                 action="change accepted", changes=shown)
    pending.delete()
    _notify_host(event, "change_accepted")
    return event


@transaction.atomic
def event_change_decline(*, event: Event, user, reason: str, version: str) -> Event:
    """The coordinator declines the host's waiting change, as they saw it (`version`), with a
    reason the host is sent; the event keeps its approved version."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    _check_reviewer(user, event)
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    _check_reason(reason)
    pending = _pending_to_decide(event, version)
    audit_record(actor=Actor.of(user), season=event.season, event=event,
                 action="change declined", changes=pending.changes, note=reason)
    pending.delete()
    _notify_host(event, "change_declined", reason=reason)
    return event


@transaction.atomic
def event_cancel(*, event: Event, actor: Actor = HOST, reason: str = "") -> Event:
    _check_reason(reason)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == EventStatus.CANCELLED:
        return event
    previous = event.status
    event.status, event.status_reason = EventStatus.CANCELLED, reason
    event.save(update_fields=["status", "status_reason", "updated_at"])
    event.closures.filter(ACTIVE_CLOSURE).update(status=ClosureStatus.CANCELLED)
    PendingChange.objects.filter(event=event).delete()  # nothing left to decide
    audit_record(actor=actor, season=event.season, event=event, action="cancelled",
                 changes={"status": [previous, EventStatus.CANCELLED]}, note=reason)
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


def _check_reviewer(user, event: Event) -> None:
    if not can_review_event(user, event):
        raise PermissionError(NOT_ALLOWED.format(town=event.season.jurisdiction.name))


@transaction.atomic
def event_approve(*, event: Event, user) -> Event:
    """Approve an event; an active closure is approved with a new permit number."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    _check_reviewer(user, event)
    if event.status not in (EventStatus.SUBMITTED, EventStatus.APPROVED):
        raise ValidationError(NOT_REVIEWABLE.format(action="approved"))
    changes = {}
    if event.status != EventStatus.APPROVED:
        changes["status"] = [event.status, EventStatus.APPROVED]
    event.status, event.status_reason, event.reviewed_at = EventStatus.APPROVED, "", timezone.now()
    event.save(update_fields=["status", "status_reason", "reviewed_at", "updated_at"])
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
        _notify_host(event, "approved")
    return event


@transaction.atomic
def event_reject(*, event: Event, user, reason: str) -> Event:
    """Reject an event with a reason the host is sent; its closure request is rejected too."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    _check_reviewer(user, event)
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    _check_reason(reason)
    if event.status not in (EventStatus.SUBMITTED, EventStatus.APPROVED):
        raise ValidationError(NOT_REVIEWABLE.format(action="rejected"))
    previous = event.status
    event.status, event.status_reason = EventStatus.REJECTED, reason.strip()
    event.reviewed_at = timezone.now()
    event.save(update_fields=["status", "status_reason", "reviewed_at", "updated_at"])
    PendingChange.objects.filter(event=event).delete()  # nothing left to decide
    event.closures.filter(ACTIVE_CLOSURE).update(
        status=ClosureStatus.REJECTED, status_reason=reason.strip(), decided_at=event.reviewed_at
    )
    audit_record(actor=Actor.of(user), season=event.season, event=event, action="rejected",
                 changes={"status": [previous, EventStatus.REJECTED]}, note=reason.strip())
    _notify_host(event, "rejected", reason.strip())
    return event


@transaction.atomic
def events_review(*, events, user, decision: str, reason: str = "") -> int:
    """Approve or reject many events at once, all or none."""
    count = 0
    for event in events:
        if decision == "approve":
            event_approve(event=event, user=user)
        else:
            event_reject(event=event, user=user, reason=reason)
        count += 1
    return count


@transaction.atomic
def event_renew(*, event: Event, actor: Actor = HOST) -> Event:
    """Register the same event again for the town's next season, in one step."""
    season = (
        Season.objects.filter(jurisdiction=event.season.jurisdiction, year__gt=event.season.year)
        .select_related("jurisdiction").order_by("year").first()
    )
    if season is None:
        raise ValidationError(NO_NEXT_SEASON.format(town=event.season.jurisdiction.name))
    if event.renewals.filter(season=season).exists():
        raise ValidationError(ALREADY_RENEWED.format(season=season))
    zone = event.season.jurisdiction.zone
    closure = event.closures.exclude(status=ClosureStatus.CANCELLED).order_by("-pk").first()
    host = event.host_contact
    data = EventInput(
        title=event.title, address=event.address, kind=event.kind,
        starts=event.starts_at.astimezone(zone).time(), ends=event.ends_at.astimezone(zone).time(),
        host=HostInput(name=host.name, email=host.email, phone=host.phone,
                       organization=host.organization),
        description=event.description, venue=event.venue, postal_code=event.postal_code,
        latitude=event.latitude, longitude=event.longitude,
        is_private_home=event.is_private_home, show_exact_location=event.show_exact_location,
        activities=list(event.activities.values_list("slug", flat=True)),
        expected_attendance=event.expected_attendance,
        accessibility_notes=event.accessibility_notes,
        visits=[k for k in event.visit_requests.values_list("unit_kind", flat=True)
                if k in season.offered_visit_kinds],
        closure=ClosureInput(
            street=closure.street, from_street=closure.from_street, to_street=closure.to_street,
            blocks=closure.blocks, residential=closure.residential,
            consent_attested=closure.consent_attested,
        ) if closure and season.closures_enabled else None,
    )
    renewed = event_register(season=season, data=data, actor=actor, source="web")
    renewed.renewed_from = event
    renewed.save(update_fields=["renewed_from"])
    return renewed


@transaction.atomic
def season_create(
    *,
    jurisdiction: Jurisdiction,
    year: int,
    slug: str,
    nno_date: dt.date | None = None,
    **rules_,
) -> Season:
    """A new season; without a date it takes the default NNO date for the state."""
    season = Season(
        jurisdiction=jurisdiction,
        year=year,
        slug=slug,
        nno_date=nno_date or default_nno_date(year, jurisdiction.state),
        **rules_,
    )
    season.full_clean()
    season.save()
    return season


SEASON_NOT_ALLOWED = "You may not change the seasons of {town}."
SEASON_EXISTS = "{town} already has a season for {year}: open it from Coordinate."
HOURS_END_BEFORE_START = "The default hours must end after they start."
EARLIEST_AFTER_DEFAULT = "The earliest start must be at or before the default start."
LATEST_BEFORE_DEFAULT = "The latest end must be at or after the default end."
DEADLINE_AFTER_NIGHT = "The registration deadline must come before the night ends."
RAIN_DATE_NOT_AFTER = "The rain date must be after the night."
RAIN_DATE_REQUIRED = "Give the town's rain date, or pick another rule."
TIER_FEE_NEGATIVE = "The fee cannot be below zero; 0 is free."
NO_VISIT_KIND = "Offer at least one kind of visit."
UNKNOWN_VISIT_KIND = "Unknown kind of visit: {kinds}."
TIER_TWICE = "Another tier has the same moment, number of blocks and street type."
TIER_NOT_FOUND = "This tier is no longer in the season; reload the page."
TIER_ERROR = "closure_tiers.{n}.{field}"

# The rules a coordinator sets on the season's settings screen, in the order it shows them.
SEASON_RULES = (
    "nno_date", "default_start", "default_end", "earliest_start", "latest_end",
    "registration_deadline", "one_event_per_block", "closures_enabled", "permit_prefix",
    "neighbor_consent_percent", "visit_kinds", "visit_request_lead_days",
    "visit_times_allowed", "rain_date_rule", "rain_date", "notes",
)


@dataclass(frozen=True)
class FeeTierInput:
    """One closure fee tier as the coordinator typed it; `id` names an existing tier."""

    filed_by: dt.datetime
    fee: Decimal
    label: str = ""
    max_blocks: int | None = None
    residential_only: bool = False
    id: int | None = None
    delete: bool = False


@dataclass(frozen=True)
class SeasonInput:
    """A season's rules (every name in SEASON_RULES) and, unless None, all its fee tiers:
    existing tiers left out of `tiers` are kept as they are."""

    rules: dict
    tiers: tuple[FeeTierInput, ...] | None = None


def _shown(value, zone) -> str:
    """A value for the audit trail; moments in the town's zone."""
    if isinstance(value, dt.datetime):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")
    if value is None:
        return ""
    return str(value)


def _tier_text(tier, zone) -> str:
    fee = f"{tier.fee:.2f}" if tier.fee is not None else "?"
    text = f"${fee} until {_shown(tier.filed_by, zone)}"
    if tier.max_blocks:
        text += f", at most {tier.max_blocks} blocks"
    if tier.residential_only:
        text += ", residential only"
    return f"{text} ({tier.label})" if tier.label else text


def _check_season_rules(season: Season, errors: _Errors) -> None:
    """What the database's constraints would refuse, said for the coordinator, and the
    rules' own sense (a deadline after the night, a rain date before it)."""
    if season.default_start and season.default_end:
        if season.default_end <= season.default_start:
            errors.add("default_end", HOURS_END_BEFORE_START)
        if season.earliest_start and season.earliest_start > season.default_start:
            errors.add("earliest_start", EARLIEST_AFTER_DEFAULT)
        if season.latest_end and season.latest_end < season.default_end:
            errors.add("latest_end", LATEST_BEFORE_DEFAULT)
    if season.nno_date and season.latest_end and season.registration_deadline:
        if season.registration_deadline > season.window[1]:
            errors.add("registration_deadline", DEADLINE_AFTER_NIGHT)
    if season.rain_date_rule == RainDateRule.FIXED and not season.rain_date:
        errors.add("rain_date", RAIN_DATE_REQUIRED)
    if season.nno_date and season.rain_date and season.rain_date <= season.nno_date:
        errors.add("rain_date", RAIN_DATE_NOT_AFTER)
    kinds = season.visit_kinds or []
    unknown = sorted(set(kinds) - set(UnitKind.values))
    if unknown:
        errors.add("visit_kinds", UNKNOWN_VISIT_KIND.format(kinds=", ".join(unknown)))


@transaction.atomic
def season_update(*, season: Season, data: SeasonInput, actor: Actor) -> Season:
    """A coordinator changes their season's rules and closure fee tiers, all or nothing.
    Visit kinds offered as every kind are stored as none (which means all kinds)."""
    season = Season.objects.select_for_update().select_related("jurisdiction").get(pk=season.pk)
    town = season.jurisdiction
    if not can_manage_season(actor.user, season):
        raise PermissionError(SEASON_NOT_ALLOWED.format(town=town.name))
    zone = town.zone
    errors = _Errors()
    rules_ = dict(data.rules)
    kinds = rules_.get("visit_kinds", season.visit_kinds)
    if "visit_kinds" in rules_:
        if not kinds:
            errors.add("visit_kinds", NO_VISIT_KIND)
        elif set(kinds) >= set(UnitKind.values):
            kinds = []
        rules_["visit_kinds"] = [k for k in UnitKind.values if k in kinds] + sorted(
            set(kinds) - set(UnitKind.values))
    if rules_.get("rain_date_rule", season.rain_date_rule) != RainDateRule.FIXED:
        rules_["rain_date"] = None
    before = {name: getattr(season, name) for name in SEASON_RULES}
    for name, value in rules_.items():
        if name not in SEASON_RULES:
            raise TypeError(f"{name} is not a rule of the season")
        setattr(season, name, value.strip() if isinstance(value, str) else value)
    _check_season_rules(season, errors)
    _model_errors(season, errors)

    existing = {t.pk: t for t in season.closure_tiers.all()}
    removed, changed, added, kept = [], [], [], []
    if data.tiers is not None:
        named = set()
        for n, given in enumerate(data.tiers):
            if given.id is not None and (given.id not in existing or given.id in named):
                errors.add(TIER_ERROR.format(n=n, field="__all__"), TIER_NOT_FOUND)
                continue
            if given.id is not None:
                named.add(given.id)
            if given.delete:
                if given.id is not None:
                    removed.append(existing[given.id])
                continue
            tier = existing.get(given.id) or ClosureFeeTier(season=season)
            old = _tier_text(tier, zone) if tier.pk else None
            tier.filed_by, tier.fee, tier.label = given.filed_by, given.fee, given.label.strip()
            tier.max_blocks, tier.residential_only = given.max_blocks, given.residential_only
            if tier.fee is not None and tier.fee < 0:
                errors.add(TIER_ERROR.format(n=n, field="fee"), TIER_FEE_NEGATIVE)
            _model_errors(tier, errors, prefix=TIER_ERROR.format(n=n, field=""),
                          exclude=["season"])
            kept.append((n, tier))
            if old is None:
                added.append(tier)
            elif old != _tier_text(tier, zone):
                changed.append((old, tier))
        kept += [(None, t) for pk, t in existing.items() if pk not in named]
    seen = {}
    for n, tier in kept:
        key = (tier.filed_by, tier.residential_only, tier.max_blocks)
        if key in seen and n is not None:
            errors.add(TIER_ERROR.format(n=n, field="filed_by"), TIER_TWICE)
        seen.setdefault(key, n)
    errors.raise_if_any()

    changes = {
        name: [_shown(old, zone), _shown(getattr(season, name), zone)]
        for name, old in before.items() if old != getattr(season, name)
    }
    season.save()
    # Removed and changed tiers leave first, so that tiers trading moments never meet the
    # database's one-tier-per-moment rule half-way; changed ones come back with their ids.
    ClosureFeeTier.objects.filter(
        pk__in=[t.pk for t in removed] + [t.pk for _, t in changed]).delete()
    for n, tier in kept:
        if n is not None:
            tier.save()
    if removed:
        changes["closure tiers removed"] = [_tier_text(t, zone) for t in removed]
    if changed:
        changes["closure tiers changed"] = [[old, _tier_text(t, zone)] for old, t in changed]
    if added:
        changes["closure tiers added"] = [_tier_text(t, zone) for t in added]
    if changes:
        audit_record(actor=actor, season=season, action="season settings changed",
                     changes=changes)
    return season


def _moved(moment: dt.datetime | None, days: int, zone) -> dt.datetime | None:
    """The same wall-clock time in the town, `days` later (23:59 stays 23:59 across DST)."""
    if moment is None:
        return None
    local_ = moment.astimezone(zone)
    return dt.datetime.combine(local_.date() + dt.timedelta(days=days), local_.time(),
                               tzinfo=zone)


@transaction.atomic
def season_start(*, jurisdiction: Jurisdiction, year: int, actor: Actor) -> Season:
    """A town's season for a new year, with the rules and fee tiers of its latest earlier
    season. The night is the default one for the year (the first Tuesday of August; of
    October in Texas); the deadlines, fee tiers and rain date keep their distance from it."""
    if not can_manage_jurisdiction(actor.user, jurisdiction):
        raise PermissionError(SEASON_NOT_ALLOWED.format(town=jurisdiction.name))
    if Season.objects.filter(jurisdiction=jurisdiction, year=year).exists():
        raise ValidationError({"year": SEASON_EXISTS.format(town=jurisdiction.name, year=year)})
    previous = (Season.objects.filter(jurisdiction=jurisdiction, year__lt=year)
                .order_by("-year").first())
    nno_date = default_nno_date(year, jurisdiction.state)
    copied = {}
    if previous is not None:
        zone = jurisdiction.zone
        days = (nno_date - previous.nno_date).days
        copied = {name: getattr(previous, name) for name in SEASON_RULES if name != "nno_date"}
        copied["visit_kinds"] = list(previous.visit_kinds or [])
        copied["registration_deadline"] = _moved(previous.registration_deadline, days, zone)
        if previous.rain_date:
            copied["rain_date"] = previous.rain_date + dt.timedelta(days=days)
    slug = f"{jurisdiction.slug}-{year}"
    if Season.objects.filter(slug=slug).exists():
        slug = f"{slug}-{secrets.token_hex(2)}"
    season = season_create(jurisdiction=jurisdiction, year=year, slug=slug, nno_date=nno_date,
                           **copied)
    if previous is not None:
        for tier in previous.closure_tiers.all():
            ClosureFeeTier.objects.create(
                season=season, filed_by=_moved(tier.filed_by, days, jurisdiction.zone),
                fee=tier.fee, label=tier.label, max_blocks=tier.max_blocks,
                residential_only=tier.residential_only)
    audit_record(actor=actor, season=season, action="season started",
                 changes={"copied from": previous.slug if previous else "",
                          "nno_date": str(season.nno_date)})
    return season


@transaction.atomic
def activities_ensure_standard() -> None:
    """Add any standard activity that is missing (a migration adds them on a new database)."""
    for position, (slug, name) in enumerate(STANDARD_ACTIVITIES):
        Activity.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


REPORT_TOO_EARLY = "You can report on the night once your event has started."
REPORT_NOT_APPROVED = "Only approved events report on the night."
TOO_MANY_PHOTOS = "Send at most {n} photos."
MAX_PHOTOS = 6


@transaction.atomic
def host_report_submit(*, event: Event, attendance: int, agency_ids: list[int], notes: str,
                       photos: list, now: dt.datetime | None = None) -> "HostReport":
    """The host's report after the night; sending it again corrects it and adds photos."""
    from nightout.registry.models import Agency, EventPhoto, HostReport
    from nightout.registry.photos import PhotoError, clean_photo

    now = now or timezone.now()
    if event.status != EventStatus.APPROVED:
        raise ValidationError(REPORT_NOT_APPROVED)
    if now < event.starts_at:
        raise ValidationError(REPORT_TOO_EARLY)
    existing = EventPhoto.objects.filter(report__event=event).count()
    if existing + len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": TOO_MANY_PHOTOS.format(n=MAX_PHOTOS)})
    cleaned = []
    for upload in photos:
        try:
            cleaned.append(clean_photo(upload))
        except PhotoError as exc:
            raise ValidationError({"photos": str(exc)}) from None
    report = HostReport.objects.filter(event=event).first() or HostReport(event=event)
    report.attendance, report.notes, report.submitted_at = attendance, notes.strip(), now
    report.full_clean()  # before writing: a database may refuse what the door refuses
    report.save()
    report.agencies_came.set(Agency.objects.filter(pk__in=agency_ids))
    for content in cleaned:
        EventPhoto.objects.create(report=report, image=content, uploaded_at=now)
    audit_record(actor=HOST, season=event.season, event=event, action="reported",
                 changes={"attendance": attendance, "photos": len(cleaned)}, at=now)
    return report
