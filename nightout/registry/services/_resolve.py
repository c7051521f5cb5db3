"""An event's input checked against its season's rules, and written to the event's rows:
shared by registration, the host's edit and renewal (`events`)."""

import datetime as dt

from django.db import transaction

from nightout.finder.lookup import place_find
from nightout.geo.geojson import district_of
from nightout.registry import rules
from nightout.registry.models import (
    ACTIVE_CLOSURE,
    Activity,
    Closure,
    ClosureStatus,
    Event,
    EventStatus,
    LocationPrecision,
    Season,
    UnitKind,
    VisitRequest,
)
from nightout.registry.services._inputs import Errors, EventInput

NO_LOCATION = (
    "Place the pin on the map, or give a ZIP code in {town} so we can place it near you."
)
UNKNOWN_ACTIVITY = "Unknown activity: {slugs}."


class SeasonFacts:
    """What every registration in a season looks up: the activities, the closure fee tiers,
    and where a ZIP code lies. Looked up once when first asked, then kept: one for a single
    registration, one for a whole spreadsheet (`imports.check`), so that checking thousands
    of rows makes the same few queries as checking one."""

    def __init__(self, season: Season) -> None:
        self.season = season
        self._activities: dict[str, Activity] | None = None
        self._tiers: list | None = None
        self._places: dict[str, tuple[float, float] | None] = {}

    def activities(self, slugs: list[str]) -> list[Activity]:
        if self._activities is None:
            self._activities = {a.slug: a for a in Activity.objects.all()}
        return [self._activities[s] for s in dict.fromkeys(slugs) if s in self._activities]

    @property
    def tiers(self) -> list:
        if self._tiers is None:
            self._tiers = list(self.season.closure_tiers.all())
        return self._tiers

    def place(self, postal_code: str) -> tuple[float, float] | None:
        """Where the ZIP code lies near the town (`place_find`), or None."""
        code = postal_code.strip()
        if code not in self._places:
            place = place_find(jurisdiction=self.season.jurisdiction, postal_code=code)
            self._places[code] = place.point if place else None
        return self._places[code]


def resolve(
    season: Season, data: EventInput, at: dt.datetime, errors: Errors, *,
    existing_visits: frozenset[str] = frozenset(), closure_filed_at: dt.datetime | None = None,
    deadlines: bool = True, facts: SeasonFacts | None = None, day: dt.date | None = None,
) -> dict:
    """Check `data` against the season's rules; return the derived values. On an edit, visits
    already requested and a closure already filed keep the moment they were first asked for.
    `facts` are the season's look-ups, when the caller checks many registrations. The hours
    are on `day`: the season's night, unless the party was moved to its rain date."""
    facts = facts or SeasonFacts(season)
    jurisdiction = season.jurisdiction
    day = day or season.nno_date
    starts_at = season.at(day, data.starts)
    ends_at = season.at(day, data.ends)
    errors.add("ends", rules.hours_problem(season, starts_at, ends_at))

    latitude, longitude, precision = data.latitude, data.longitude, LocationPrecision.ADDRESS
    if latitude is None or longitude is None:
        point = facts.place(data.postal_code)
        if point:
            (latitude, longitude), precision = point, LocationPrecision.POSTAL_CODE
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
            tiers=facts.tiers,
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
        rain_date = None  # the message is all that is said of it, not a date's format too

    activities = facts.activities(data.activities)
    if len(activities) != len(set(data.activities)):
        missing = sorted(set(data.activities) - {a.slug for a in activities})
        errors.add("activities", UNKNOWN_ACTIVITY.format(slugs=", ".join(missing)))
    return {
        "starts_at": starts_at, "ends_at": ends_at, "latitude": latitude,
        "longitude": longitude, "precision": precision, "fee": fee, "rain_date": rain_date,
        "activities": activities,
    }


def event_fields(season: Season, data: EventInput, derived: dict) -> dict:
    """The event's own fields from `data`; the coordinator's notes only when `data` has them
    (None leaves them as they are)."""
    notes = {} if data.coordinator_notes is None else {
        "coordinator_notes": data.coordinator_notes.strip()}
    return {**notes,
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
        # The town's district map decides; without one, the district the list names.
        "district": district_of(season.jurisdiction.districts, derived["latitude"] or 0,
                                derived["longitude"] or 0) or data.district.strip(),
    }


def same_block(event: Event) -> Event | None:
    if not event.season.one_event_per_block or not event.block_key:
        return None
    return (
        Event.objects.filter(season=event.season, block_key=event.block_key)
        .exclude(pk=event.pk)
        .exclude(status__in=[EventStatus.REJECTED, EventStatus.CANCELLED])
        .order_by("submitted_at", "pk")
        .first()
    )


def write_requests(event: Event, data: EventInput, derived: dict, at: dt.datetime) -> None:
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
    closure = closure_build(event, data, derived, active or Closure(requested_at=at))
    closure.full_clean(validate_constraints=False)
    closure.save()


def closure_build(event: Event, data: EventInput, derived: dict, closure: Closure) -> Closure:
    """`closure` (the active one, or a new one) as `data` asks for it, not yet saved."""
    closure.event = event
    closure.street = data.closure.street.strip()
    closure.from_street = data.closure.from_street.strip()
    closure.to_street = data.closure.to_street.strip()
    closure.blocks = data.closure.blocks
    closure.residential = data.closure.residential
    closure.barricades = data.closure.barricades or 2 * data.closure.blocks
    closure.consent_attested = data.closure.consent_attested
    closure.consent_percent = event.season.neighbor_consent_percent or None
    if isinstance(derived["fee"], rules.Fee):
        closure.fee, closure.fee_label = derived["fee"].amount, derived["fee"].label
    return closure


def notify_host(event: Event, template: str, reason: str = "") -> None:
    from nightout.registry.tasks import host_email_send

    transaction.on_commit(
        lambda: host_email_send.enqueue(event_id=event.pk, template=template, reason=reason)
    )

