"""A host's event: registration, the host's (or the town's) edit and renewal,
and the held change: a host's edit of an approved event's public side, which waits for the
coordinator (decided in `review`)."""

import datetime as dt
import secrets
from dataclasses import asdict, dataclass, replace

from django.db import transaction
from django.utils import timezone

from nightout.errors import Invalid
from nightout.finder.places import public_place, public_point_refresh
from nightout.geo.distance import haversine_m
from nightout.registry import rules
from nightout.registry.actors import NEW_HOST, Actor, audit_record
from nightout.registry.models import (
    ACTIVE_CLOSURE,
    STAFF_SOURCES,
    Activity,
    Closure,
    ClosureStatus,
    Event,
    EventStatus,
    HostContact,
    PendingChange,
    Season,
)
from nightout.registry.services._access import (
    check_deadline_waiver,
    check_event_actor,
    check_town_entry,
)
from nightout.registry.services._inputs import (
    ClosureInput,
    Errors,
    EventInput,
    HostInput,
    audit_text,
    model_errors,
)
from nightout.registry.services._resolve import (
    SeasonFacts,
    closure_build,
    event_fields,
    notify_host,
    resolve,
    same_block,
    write_requests,
)

ALREADY_CANCELLED = "This event was cancelled."
NO_NEXT_SEASON = "{town} has not opened a later season yet."
ALREADY_RENEWED = "This event is already registered for {season}."
HOST_NAME_REQUIRED = "Give your name, for the coordinator (it is never public)."
HOST_EMAIL_REQUIRED = "Give your email: your private link to the registration goes there."
HOST_NAME_NEEDED = "Give the host's name."
HOST_UNREACHABLE = "Give the host's email or phone, so the town can reach them."


@dataclass
class Registration:
    """A registration that passed every rule, not yet written: the event, its host contact
    and its closure (unsaved), what was derived from the input, and the moment it was made."""

    event: Event
    host: HostContact
    closure: Closure | None
    data: EventInput
    derived: dict
    at: dt.datetime


def registration_check(
    *, season: Season, data: EventInput, at: dt.datetime, source: str = "web",
    import_key: str = "", deadlines: bool = True, facts: SeasonFacts | None = None,
) -> Registration:
    """The checking half of a registration: every rule of the season and every model's
    validation, raising `Invalid` with all that is wrong. It writes nothing and makes no
    query but the season's look-ups (`facts`, shared when checking many rows). Who may ask
    for `deadlines=False` is the caller's to check (`event_register`, `imports`)."""
    errors = Errors()
    if deadlines:
        errors.add("__all__", rules.registration_open(season, at))
    derived = resolve(season, data, at, errors, deadlines=deadlines, facts=facts)
    event = Event(**event_fields(season, data, derived), status=EventStatus.SUBMITTED,
                  submitted_at=at, source=source, import_key=import_key,
                  manage_secret=secrets.token_urlsafe(24))
    public_point_refresh(event)
    host = HostContact(event=event, **asdict(data.host))
    if source == "web":
        errors.add("host_name", None if data.host.name.strip() else HOST_NAME_REQUIRED)
        errors.add("host_email", None if data.host.email.strip() else HOST_EMAIL_REQUIRED)
    elif source in STAFF_SOURCES:  # a host who phoned may have no email, not no way to reach
        errors.add("host_name", None if data.host.name.strip() else HOST_NAME_NEEDED)
        errors.add("host_email", None if data.host.email.strip() or data.host.phone.strip()
                   else HOST_UNREACHABLE)
    model_errors(event, errors, exclude=["season"])  # the season is the caller's, and saved
    model_errors(host, errors, prefix="host_", exclude=["event"])
    closure = None
    if data.closure:
        closure = closure_build(event, data, derived, Closure(requested_at=at))
        model_errors(closure, errors, prefix="closure_", exclude=["event"])
    errors.raise_if_any()
    return Registration(event=event, host=host, closure=closure, data=data, derived=derived,
                        at=at)


@transaction.atomic
def event_register(
    *, season: Season, data: EventInput, actor: Actor = NEW_HOST, source: str = "web",
    submitted_at: dt.datetime | None = None, import_key: str = "", deadlines: bool = True,
) -> Event:
    """A host registers an event. Every rule of the season is checked; nothing is written
    unless all pass. The event waits for the coordinator (status submitted).

    Registration is open to anyone by design: a new party has no link and needs no account,
    so `actor` is checked for nothing here (an anonymous `NEW_HOST` by default); it is
    recorded in the audit trail. The coordinator's review is the gate.

    `deadlines=False` is for a coordinator recording registrations the town already took
    (an import): the registration, visit and closure deadlines then do not apply. Only the
    system and the season's coordinators may ask for it (`NotAllowed` for anyone else)."""
    if not deadlines:
        check_deadline_waiver(actor, season)
    if source in STAFF_SOURCES:
        check_town_entry(actor, season)
    at = submitted_at or timezone.now()
    checked = registration_check(season=season, data=data, at=at, source=source,
                                 import_key=import_key, deadlines=deadlines)
    event, host = checked.event, checked.host
    event.save()
    host.event = event
    host.save()
    write_requests(event, data, checked.derived, at)
    event.same_block_as = same_block(event)
    if event.same_block_as:
        event.save(update_fields=["same_block_as"])
    audit_record(actor=actor, season=season, event=event, action="registered",
                 changes=registered_changes(source, submitted_at=at))
    if source == "web" or source in STAFF_SOURCES:  # with the private link, if it has an email
        notify_host(event, "registered")
    return event


def registered_changes(source: str, *, submitted_at: dt.datetime) -> dict:
    """What the audit trail records of a registration, dated when it is written: for an
    imported one, also when the town's list says it was submitted."""
    changes = {"status": EventStatus.SUBMITTED, "source": source}
    if source == "import":
        changes["submitted_at"] = submitted_at.isoformat()
    return changes


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
# What a calendar that holds the event must take again when it changes (RFC 5545 SEQUENCE):
# its time and date, its place as the public sees it, its status.
def calendar_values(event: Event) -> dict:
    """What a calendar shows of the event that a change can move: its hours, its status and
    its public place (the block and its point for a private home), to compare with after a
    change (`sequence_bump`). A change of the hidden address alone moves nothing public, so
    it is not counted: the public count must not tell that the exact spot changed."""
    place = public_place(event)
    return {"starts_at": event.starts_at, "ends_at": event.ends_at, "status": event.status,
            "place": (place.display, place.latitude, place.longitude)}


def sequence_bump(event: Event, before: dict) -> bool:
    """Count a change of what calendars hold (`before`, from `calendar_values`) in the
    event's `sequence`, unsaved; the caller saves it with the change. Whether it changed."""
    if calendar_values(event) == before:
        return False
    event.sequence += 1
    return True


def _held_for_review(actor: Actor, event: Event) -> bool:
    """Whether `actor`'s edit of an approved event's public side waits for the coordinator:
    the host's (by the private link) does; a coordinator's, and the system's (the command
    line's import), do not. No one else gets this far (`check_event_actor`)."""
    return event.status == EventStatus.APPROVED and actor.host_of is not None


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
    return [audit_text(before, zone), audit_text(after, zone)]


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
def event_update(*, event: Event, data: EventInput, actor: Actor,
                 deadlines: bool = True) -> Event:
    """The host (through the private link) or a coordinator changes an event. The host's
    change to an approved event's public side (text, place, hours, activities) waits for the
    coordinator, the approved version staying public meanwhile (`event_change_accept`); what
    only the town sees (contact, attendance, visits, closure) is saved at once, without the
    public's "last changed" moving. Anyone else is refused (`NotAllowed`)."""
    event = Event.objects.select_for_update().select_related("season__jurisdiction").get(
        pk=event.pk)
    check_event_actor(actor, event)
    if not deadlines:
        check_deadline_waiver(actor, event.season)
    if event.status == EventStatus.CANCELLED:
        raise Invalid(ALREADY_CANCELLED)
    at = timezone.now()
    errors = Errors()
    active = event.closures.filter(ACTIVE_CLOSURE).first()
    derived = resolve(
        event.season, data, at, errors,
        existing_visits=frozenset(event.visit_requests.values_list("unit_kind", flat=True)),
        closure_filed_at=active.requested_at if active else None, deadlines=deadlines,
        # A party moved to its rain date stays on it when its host changes something else.
        day=(event.starts_at.astimezone(event.season.jurisdiction.zone).date()
             if event.rescheduled_from else None),
    )
    fields = event_fields(event.season, data, derived)
    del fields["season"]
    if actor.host_of is not None:  # the town's notes are not the host's to change
        fields.pop("coordinator_notes", None)
    if not event.season.jurisdiction.districts and not data.district:
        fields["district"] = event.district  # no district map: the one the town's list named
    before = {name: getattr(event, name) for name in fields}
    calendar_before = calendar_values(event)
    for name, value in fields.items():
        setattr(event, name, value)
    host = event.host_contact
    for name, value in asdict(data.host).items():
        setattr(host, name, value)
    model_errors(event, errors)
    model_errors(host, errors, prefix="host_", exclude=["event"])
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
    event.same_block_as = same_block(event)
    public_point_refresh(event)  # after a held change put the approved place back
    sequence_bump(event, calendar_before)  # a held change moves nothing yet
    if activities_changed or any(name in PUBLIC_FIELDS for name in changes) or (
            "status" in changes):
        event.save()
    else:  # nothing the public sees: its "last changed" (feeds, calendars) stays
        event.save(update_fields=[*(n for n in changes if n in fields), "same_block_as",
                                  "public_latitude", "public_longitude"])
    host.save()
    write_requests(event, data, derived, at)
    if not held_for_review:
        _pending_rebase(event)
    audit_record(actor=actor, season=event.season, event=event, action="edited",
                 changes=changes, at=at)
    return event


@transaction.atomic
def event_renew(*, event: Event, actor: Actor) -> Event:
    """Register the same event again for the town's next season, in one step: its host
    (through the private link) or a coordinator; anyone else is refused (`NotAllowed`)."""
    check_event_actor(actor, event)
    season = (
        Season.objects.filter(jurisdiction=event.season.jurisdiction, year__gt=event.season.year)
        .select_related("jurisdiction").order_by("year").first()
    )
    if season is None:
        raise Invalid(NO_NEXT_SEASON.format(town=event.season.jurisdiction.name))
    if event.renewals.filter(season=season).exists():
        raise Invalid(ALREADY_RENEWED.format(season=season))
    data = event_as_input(event)
    data = replace(data, visits=[k for k in data.visits if k in season.offered_visit_kinds],
                   closure=data.closure if season.closures_enabled else None,
                   coordinator_notes=None, district="")
    renewed = event_register(season=season, data=data, actor=actor, source="web")
    renewed.renewed_from = event
    renewed.save(update_fields=["renewed_from"])
    return renewed


def event_as_input(event: Event) -> EventInput:
    """What the event holds, as a registration would say it: the base that a renewal, or a
    re-import that names only some of the fields, starts from."""
    zone = event.season.jurisdiction.zone
    closure = event.closures.exclude(status=ClosureStatus.CANCELLED).order_by("-pk").first()
    host = getattr(event, "host_contact", None) or HostContact(event=event)
    return EventInput(
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
        visits=list(event.visit_requests.values_list("unit_kind", flat=True)),
        closure=ClosureInput(
            street=closure.street, from_street=closure.from_street, to_street=closure.to_street,
            blocks=closure.blocks, residential=closure.residential,
            consent_attested=closure.consent_attested, barricades=closure.barricades,
        ) if closure else None,
        coordinator_notes=event.coordinator_notes, district=event.district,
    )
