"""A town (a jurisdiction) as nightout knows it: added by a site administrator or a regional
organizer, its name, state and time zone, its area and its districts. A new area or new
districts are previewed first (`town_area_preview`, `town_districts_preview`: what they would
change) and then set; every change is in the town's history (audit entries of the town, with no
season)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from nightout.accounts.permissions import (
    can_add_town,
    can_set_up_jurisdiction,
    can_view_region,
    is_site_admin,
)
from nightout.errors import Invalid, NotAllowed
from nightout.geo.areas import area_summary
from nightout.geo.geojson import contains, district_of
from nightout.registry.actors import Actor, audit_record
from nightout.registry.models import AuditEntry, Event, EventStatus, Jurisdiction, Region
from nightout.registry.services._inputs import Errors, model_errors

NOT_YOURS_TO_ADD = ("Only site administrators and regional organizers add towns; ask the "
                    "organizer of your region.")
NOT_YOUR_REGION = "You organize no region called {region}."
REGION_NEEDED = "Choose the region the town joins."
NOT_YOUR_TOWN = ("{town} is not one of your towns: its coordinators and the organizers of its "
                 "region set it up.")
AREA_NEEDED = "Draw the town's area on the map, or upload it (GeoJSON or KML)."
TOWN_EXISTS = "{name}, {state} is already in nightout."

# A town's own fields, in the order its form shows them, with their names in its history.
TOWN_FIELDS = {"name": "Name", "state": "State", "time_zone": "Time zone", "website": "Website"}
# Events that still count: a new area or new districts are checked against these.
LIVE = (EventStatus.SUBMITTED, EventStatus.APPROVED)


@dataclass(frozen=True)
class TownInput:
    """A town as its form says it; `boundary` (checked by `area_read`) only for a new town,
    `region` the region a new town joins (an organizer's must be theirs)."""

    name: str
    state: str
    time_zone: str
    website: str = ""
    boundary: dict | None = None
    region: Region | None = None


NOT_YOURS_TO_ADD_REGION = "Only site administrators add regions."
REGION_EXISTS = "There is already a region called {name}."


@transaction.atomic
def region_create(*, name: str, description: str = "", actor: Actor) -> Region:
    """A new region (towns seen together, with their organizers): site administrators only."""
    if not (actor.is_system or is_site_admin(actor.user)):
        raise NotAllowed(NOT_YOURS_TO_ADD_REGION)
    name = name.strip()
    if Region.objects.filter(name__iexact=name).exists():
        raise Invalid({"name": REGION_EXISTS.format(name=name)})
    base = slugify(name)[:100] or "region"
    slug, n = base, 1
    while Region.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    region = Region(name=name, slug=slug, description=description.strip())
    errors = Errors()
    model_errors(region, errors)
    errors.raise_if_any()
    region.save()
    return region


def _slug(name: str, state: str) -> str:
    base = slugify(f"{name}-{state}")[:100] or "town"
    slug, n = base, 1
    while Jurisdiction.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _saved(town: Jurisdiction) -> Jurisdiction:
    errors = Errors()
    model_errors(town, errors)
    errors.raise_if_any()
    town.save()
    return town


@transaction.atomic
def town_create(*, data: TownInput, actor: Actor) -> Jurisdiction:
    """A new town with its area (its centre is the area's); an organizer's joins their
    region. Recorded in the town's history."""
    user = actor.user
    if not (actor.is_system or can_add_town(user)):
        raise NotAllowed(NOT_YOURS_TO_ADD)
    region = data.region
    if region is not None and not (actor.is_system or can_view_region(user, region)):
        raise NotAllowed(NOT_YOUR_REGION.format(region=region))
    if region is None and not (actor.is_system or is_site_admin(user)):
        raise Invalid({"region": REGION_NEEDED})
    if data.boundary is None:
        raise Invalid({"boundary": AREA_NEEDED})
    name, state = data.name.strip(), data.state.strip().upper()
    if Jurisdiction.objects.filter(name__iexact=name, state=state).exists():
        raise Invalid({"name": TOWN_EXISTS.format(name=name, state=state)})
    summary = area_summary(data.boundary)
    town = _saved(Jurisdiction(
        name=name, slug=_slug(name, state), state=state, time_zone=data.time_zone,
        website=data.website.strip(), boundary=data.boundary,
        center_latitude=summary["latitude"], center_longitude=summary["longitude"]))
    if region is not None:
        town.regions.add(region)
    audit_record(actor=actor, season=None, jurisdiction=town, action="town added", changes={
        **{label: str(getattr(town, name)) for name, label in TOWN_FIELDS.items()
           if getattr(town, name)},
        "Area": _area_words(summary), **({"Region": str(region)} if region else {})})
    return town


def _may_set_up(town: Jurisdiction, actor: Actor) -> None:
    if not (actor.is_system or can_set_up_jurisdiction(actor.user, town)):
        raise NotAllowed(NOT_YOUR_TOWN.format(town=town.name))


@transaction.atomic
def town_update(*, town: Jurisdiction, data: TownInput, actor: Actor) -> Jurisdiction:
    """The town's name, state, time zone and website; what changed goes in its history."""
    _may_set_up(town, actor)
    town = Jurisdiction.objects.select_for_update().get(pk=town.pk)
    before = {name: getattr(town, name) for name in TOWN_FIELDS}
    town.name, town.state = data.name.strip(), data.state.strip().upper()
    town.time_zone, town.website = data.time_zone, data.website.strip()
    if (Jurisdiction.objects.filter(name__iexact=town.name, state=town.state)
            .exclude(pk=town.pk).exists()):
        raise Invalid({"name": TOWN_EXISTS.format(name=town.name, state=town.state)})
    if before["time_zone"] != town.time_zone:
        _zone_moved(town, before["time_zone"])
    _saved(town)
    changes = {label: [str(before[name]), str(getattr(town, name))]
               for name, label in TOWN_FIELDS.items() if before[name] != getattr(town, name)}
    if changes:
        audit_record(actor=actor, season=None, jurisdiction=town, action="town changed",
                     changes=changes)
    return town


ZONE_HAS_PARTIES = ("{town} already has registered parties: their hours would show at other "
                    "times in another zone. A site administrator can move them with the zone.")


def _zone_moved(town: Jurisdiction, old_zone: str) -> None:
    """A town's zone corrected before its parties: each season's registration deadline and
    closure fee tiers keep their time on the town's clock (20 July 23:59 stays 23:59).
    Refused once a season has parties, whose hours are moments already."""
    from zoneinfo import ZoneInfo

    from nightout.registry.models import ClosureFeeTier, Season

    if Event.objects.filter(season__jurisdiction=town).exists():
        raise Invalid({"time_zone": ZONE_HAS_PARTIES.format(town=town.name)})
    old, new = ZoneInfo(old_zone), ZoneInfo(town.time_zone)

    def kept(moment):
        return moment.astimezone(old).replace(tzinfo=new) if moment else moment

    for season in Season.objects.filter(jurisdiction=town):
        season.registration_deadline = kept(season.registration_deadline)
        season.save(update_fields=["registration_deadline"])
    for tier in ClosureFeeTier.objects.filter(season__jurisdiction=town):
        tier.filed_by = kept(tier.filed_by)
        tier.save(update_fields=["filed_by"])


def _area_words(summary: dict) -> str:
    parts = f", {summary['parts']} parts" if summary["parts"] > 1 else ""
    return f"{summary['square_miles']} square miles{parts}, {summary['points']} points"


def _upcoming_events(town: Jurisdiction, *, today: dt.date | None = None):
    """The events that still count, of the town's seasons whose night is not past."""
    today = today or timezone.localdate(timezone=town.zone)
    return Event.objects.filter(season__jurisdiction=town, season__nno_date__gte=today,
                                status__in=LIVE)


@dataclass(frozen=True)
class AreaPreview:
    """What setting `boundary` as the town's area would do."""

    boundary: dict
    summary: dict
    outside: list[Event]  # upcoming events whose pin falls outside it

    @property
    def outside_titles(self) -> list[str]:
        """A few of them, by title, each once."""
        return list(dict.fromkeys(e.title for e in self.outside))[:5]


def town_area_preview(*, town: Jurisdiction, boundary: dict) -> AreaPreview:
    events = _upcoming_events(town).only("id", "title", "latitude", "longitude", "season_id")
    outside = [e for e in events if e.latitude is not None and e.longitude is not None
               and not contains(boundary, e.latitude, e.longitude)]
    return AreaPreview(boundary=boundary, summary=area_summary(boundary), outside=outside)


@transaction.atomic
def town_area_set(*, town: Jurisdiction, boundary: dict, actor: Actor) -> Jurisdiction:
    """The town's area, and its centre with it. Events already registered keep their pins:
    one now outside the area is only flagged by the preview."""
    _may_set_up(town, actor)
    town = Jurisdiction.objects.select_for_update().get(pk=town.pk)
    before = area_summary(town.boundary) if town.boundary else None
    summary = area_summary(boundary)
    town.boundary = boundary
    town.center_latitude, town.center_longitude = summary["latitude"], summary["longitude"]
    _saved(town)
    audit_record(actor=actor, season=None, jurisdiction=town, action="area set", changes={
        "Area": [_area_words(before) if before else "(none)", _area_words(summary)]})
    return town


@dataclass(frozen=True)
class DistrictsPreview:
    """What setting `districts` would do: the names kept, added and gone, and how many of the
    upcoming events would move from one district to another."""

    districts: dict
    names: list[str]
    added: list[str]
    gone: list[str]
    moves: list[tuple[str, str, int]]  # (from, to, how many events), "" for none
    units_in_gone: list[str]


def _moves(town: Jurisdiction, districts: dict) -> dict[int, tuple[str, str]]:
    """{event id: (its district now, its district with `districts`)} for those that change."""
    moved = {}
    for pk, lat, lon, now in _upcoming_events(town).values_list(
            "pk", "latitude", "longitude", "district"):
        new = district_of(districts, lat, lon) or "" if lat is not None else now
        if new != now:
            moved[pk] = (now, new)
    return moved


def _units_in(town: Jurisdiction, names: list[str]) -> list:
    from nightout.visits.models import Unit  # a unit keeps to a district of its town

    today = timezone.localdate(timezone=town.zone)
    return list(Unit.objects.filter(season__jurisdiction=town, season__nno_date__gte=today,
                                    district__in=names).select_related("season"))


def town_districts_preview(*, town: Jurisdiction, districts: dict) -> DistrictsPreview:
    names = [f["properties"]["name"] for f in districts["features"]]
    old = town.district_names
    gone = [n for n in old if n not in names]
    counted = Counter(_moves(town, districts).values())
    return DistrictsPreview(
        districts=districts, names=names, added=[n for n in names if n not in old], gone=gone,
        moves=sorted(((a, b, n) for (a, b), n in counted.items()), key=lambda m: -m[2]),
        units_in_gone=[f"{u.name} ({u.season.year})" for u in _units_in(town, gone)])


@transaction.atomic
def town_districts_set(*, town: Jurisdiction, districts: dict, actor: Actor) -> Jurisdiction:
    """The town's districts. The upcoming events are placed in them again (each move in the
    event's history), and a unit kept to a district that is gone may go anywhere."""
    _may_set_up(town, actor)
    town = Jurisdiction.objects.select_for_update().get(pk=town.pk)
    old = town.district_names
    town.districts = districts
    _saved(town)
    moved = _moves(town, districts)
    events = Event.objects.in_bulk(list(moved))
    now = timezone.now()
    for after in {new for _, new in moved.values()}:
        Event.objects.filter(pk__in=[pk for pk, (_, new) in moved.items() if new == after]
                             ).update(district=after)
    AuditEntry.objects.bulk_create([
        AuditEntry(at=now, actor=actor.user, actor_label=actor.label, season_id=e.season_id,
                   event=e, action="district changed",
                   changes={"district": [moved[pk][0] or "(none)", moved[pk][1] or "(none)"]},
                   note="The town's districts were replaced.")
        for pk, e in events.items()])
    gone = [n for n in old if n not in town.district_names]
    units = _units_in(town, gone)
    for unit in units:
        unit.district = ""
        unit.save(update_fields=["district"])
    audit_record(actor=actor, season=None, jurisdiction=town, action="districts set", changes={
        "Districts": [", ".join(old) or "(none)", ", ".join(town.district_names)],
        "Events moved": str(len(moved)),
        **({"Units now anywhere": ", ".join(u.name for u in units)} if units else {})})
    return town


def town_history(*, town: Jurisdiction):
    return (AuditEntry.objects.filter(jurisdiction=town, season__isnull=True)
            .select_related("actor").order_by("-at", "-id"))
